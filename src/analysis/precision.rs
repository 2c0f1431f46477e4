//! Precision control: as many paths as it takes for a chosen standard error.

use crate::error::{Error, Result};
use crate::process::GrowthProcess;
use crate::sim::{SimulationOutput, Simulator};
use crate::stats::proportion_se;

/// When to stop adding paths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrecisionOptions {
    /// The largest standard error allowed for every check's probability (a fraction:
    /// 0.005 is half a percentage point).
    pub se_bound: f64,
    /// Paths of the first run.
    pub initial_paths: u64,
    /// Never run more paths than this; if the bound is still not met, the run stops
    /// with [`PrecisionRun::met`] false.
    pub max_paths: u64,
}

impl Default for PrecisionOptions {
    /// Half a percentage point, from 10,000 paths, up to 10 million.
    fn default() -> Self {
        PrecisionOptions {
            se_bound: 0.005,
            initial_paths: 10_000,
            max_paths: 10_000_000,
        }
    }
}

/// One run of a precision-controlled sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Paths of this run.
    pub paths: u64,
    /// Each check's probability at the deadline, in the order the checks were added.
    pub p: Vec<f64>,
    /// Their standard errors `√(p(1−p)/N)`.
    pub se: Vec<f64>,
}

/// The outcome of [`run_to_precision`].
#[derive(Debug, Clone)]
pub struct PrecisionRun {
    /// The last (longest) run, in full.
    pub output: SimulationOutput,
    /// Every run, first to last.
    pub rounds: Vec<Round>,
    /// Whether every standard error of the last run is at most the bound.
    pub met: bool,
}

impl PrecisionRun {
    /// The final number of paths.
    pub fn paths(&self) -> u64 {
        self.output.paths
    }

    /// The last run's round: probabilities and standard errors.
    pub fn last(&self) -> &Round {
        self.rounds.last().expect("at least one round is run")
    }
}

/// Runs the simulator `build(n)` with more and more paths until the standard error of
/// every check's probability at the deadline (the headline figure of each goal) is at
/// most `options.se_bound`.
///
/// After a run with N paths and probabilities p̂ᵢ, the paths needed are
/// `N* = maxᵢ p̂ᵢ(1−p̂ᵢ)/se²`; the next run has `max(⌈1.1·N*⌉, 2N)` paths (capped at
/// `options.max_paths`), so the count at least doubles and the sequence stops after at
/// most `log₂(max/initial) + 1` runs, having cost at most about twice its last run.
///
/// `build` must return the same simulation for every n but the path count (same
/// processes, checks, seed and stream): the engine draws path i from its own stream
/// keyed by (seed, stream, i), so each run reproduces the previous run's paths exactly
/// and adds new ones; nothing already simulated changes. A probability of 0 or 1 has a
/// standard error of 0 (a deterministic goal needs no more paths).
///
/// ```
/// use goalcast::analysis::{PrecisionOptions, run_to_precision};
/// use goalcast::process::LogNormalGrowth;
/// use goalcast::sim::{Check, CheckThreshold, Measure, Simulator};
/// use goalcast::target::Comparator;
///
/// let process = LogNormalGrowth::new(0.12, 0.046).unwrap();
/// let goal = Check {
///     measure: Measure::Level(0),
///     comparator: Comparator::AtLeast,
///     threshold: CheckThreshold::Level(1254.7 * 1.14f64.powi(6)),
///     from_step: 1,
///     deadline_step: 6,
/// };
/// let build = |n| Simulator::new(&process, 1254.7, 6).quantiles(&[]).paths(n).seed(1).check(goal);
/// let options = PrecisionOptions { se_bound: 0.002, initial_paths: 5_000, ..Default::default() };
/// let run = run_to_precision(build, &options)?;
/// assert!(run.met && run.last().se[0] <= 0.002);
/// // p ≈ 0.17 needs p(1−p)/se² ≈ 36,000 paths
/// assert!(run.paths() > 30_000 && run.paths() < 100_000);
/// # Ok::<(), goalcast::Error>(())
/// ```
pub fn run_to_precision<'p, P: GrowthProcess + 'p>(
    build: impl Fn(u64) -> Simulator<'p, P>,
    options: &PrecisionOptions,
) -> Result<PrecisionRun> {
    let (output, rounds, met) = refine(options, |paths| {
        let output = build(paths).run()?;
        let p = output
            .checks
            .iter()
            .map(|c| c.at_deadline as f64 / output.paths as f64)
            .collect();
        Ok((output, p))
    })?;
    Ok(PrecisionRun {
        output,
        rounds,
        met,
    })
}

/// The loop of [`run_to_precision`] over any run that reports probabilities estimated
/// from its number of paths: `run(N)` returns its result and its probabilities. Returns
/// the last result, every round, and whether the bound was met.
pub fn refine<T>(
    options: &PrecisionOptions,
    mut run: impl FnMut(u64) -> Result<(T, Vec<f64>)>,
) -> Result<(T, Vec<Round>, bool)> {
    let PrecisionOptions {
        se_bound,
        initial_paths,
        max_paths,
    } = *options;
    if !(se_bound.is_finite() && se_bound > 0.0) {
        return Err(Error::Parameter {
            name: "se_bound",
            value: se_bound,
            reason: "the standard error bound must be positive and finite".into(),
        });
    }
    if initial_paths == 0 || max_paths < initial_paths {
        return Err(Error::Parameter {
            name: "max_paths",
            value: max_paths as f64,
            reason: format!("need 1 ≤ initial paths ({initial_paths}) ≤ max paths"),
        });
    }
    let mut paths = initial_paths;
    let mut rounds = Vec::new();
    loop {
        let (result, p) = run(paths)?;
        let se: Vec<f64> = p.iter().map(|&p| proportion_se(p, paths)).collect();
        let met = se.iter().all(|&s| s <= se_bound);
        let needed = p
            .iter()
            .map(|&p| p * (1.0 - p) / (se_bound * se_bound))
            .fold(0.0, f64::max);
        rounds.push(Round { paths, p, se });
        if met || paths >= max_paths {
            return Ok((result, rounds, met));
        }
        let next = ((1.1 * needed).ceil() as u64).max(paths.saturating_mul(2));
        paths = next.min(max_paths);
    }
}

use ndarray::Array2;
use rayon::prelude::*;

use super::stream::{path_rng_from_id, stream_id};
use crate::error::{Error, Result};
use crate::process::GrowthProcess;
use crate::stats::quantiles_type7;
use crate::target::Comparator;

/// Paths per unit of parallel work. Fixed, so the work split never depends on the
/// thread count (and results could not even if it did: see the module docs).
const CHUNK_PATHS: usize = 4096;

/// The level a goal is compared with, in log space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CheckThreshold {
    /// A fixed log-level `ln K`.
    Level(f64),
    /// The path's own log-level at `step` plus `log_factor` (growth measured from a
    /// simulated base year).
    Relative {
        /// Step (years after the start) of the base level; 0 is the start.
        step: usize,
        /// `ln` of the required multiple.
        log_factor: f64,
    },
}

/// A goal to evaluate on every path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// At least or at most the threshold.
    pub comparator: Comparator,
    /// The threshold.
    pub threshold: CheckThreshold,
    /// The first step (years after the start, ≥ 1) at which reaching it counts.
    pub from_step: usize,
    /// The deadline step (≤ the simulated horizon).
    pub deadline_step: usize,
}

/// Integer tallies of one check over all paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckCounts {
    /// Paths on which the goal holds at the deadline.
    pub at_deadline: u64,
    /// `first_reached[s]`: paths on which the goal first holds at step s
    /// (zero outside `from_step..=deadline_step`).
    pub first_reached: Vec<u64>,
}

impl CheckCounts {
    fn zero(years: usize) -> Self {
        CheckCounts {
            at_deadline: 0,
            first_reached: vec![0; years + 1],
        }
    }

    fn add(&mut self, other: &CheckCounts) {
        self.at_deadline += other.at_deadline;
        for (a, b) in self.first_reached.iter_mut().zip(&other.first_reached) {
            *a += b;
        }
    }

    /// Paths on which the goal holds in at least one year up to the deadline.
    pub fn reached_by_deadline(&self) -> u64 {
        self.first_reached.iter().sum()
    }
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct SimulationOutput {
    /// Number of paths.
    pub paths: u64,
    /// Starting level.
    pub start: f64,
    /// Log-levels, one row per path, one column per step 1..=years.
    pub log_levels: Array2<f64>,
    /// One tally per check, in the order the checks were added.
    pub checks: Vec<CheckCounts>,
}

impl SimulationOutput {
    /// Number of simulated years.
    pub fn years(&self) -> usize {
        self.log_levels.ncols()
    }

    /// Quantiles of the level (NumPy's default, type 7, on levels) for every step
    /// 0..=years: one row per step, one column per probability in `probs`.
    pub fn quantiles(&self, probs: &[f64]) -> Array2<f64> {
        let years = self.years();
        let mut out = Array2::zeros((years + 1, probs.len()));
        out.row_mut(0).fill(self.start);
        let mut column = Vec::with_capacity(self.log_levels.nrows());
        for step in 1..=years {
            column.clear();
            column.extend(self.log_levels.column(step - 1).iter().map(|x| x.exp()));
            let q = quantiles_type7(&mut column, probs);
            out.row_mut(step).assign(&ndarray::ArrayView1::from(&q));
        }
        out
    }
}

/// Runs Monte Carlo paths of one growth process from one starting level.
///
/// ```
/// use goalcast::process::LogNormalGrowth;
/// use goalcast::sim::{Check, CheckThreshold, Simulator};
/// use goalcast::target::Comparator;
///
/// let process = LogNormalGrowth::new(0.14, 0.05).unwrap();
/// // R&D spending of 1254.7 (亿元) in 2022: how often is 2500 reached by 2028?
/// let out = Simulator::new(&process, 1254.7, 6)
///     .paths(10_000)
///     .seed(7)
///     .stream("Hubei/rd_expenditure")
///     .check(Check {
///         comparator: Comparator::AtLeast,
///         threshold: CheckThreshold::Level(2500f64.ln()),
///         from_step: 1,
///         deadline_step: 6,
///     })
///     .run()
///     .unwrap();
/// let p = out.checks[0].at_deadline as f64 / out.paths as f64;
/// assert!(p > 0.6 && p < 0.9);
/// ```
#[derive(Debug, Clone)]
pub struct Simulator<'p, P> {
    process: &'p P,
    start: f64,
    years: usize,
    paths: u64,
    seed: u64,
    stream: u64,
    checks: Vec<Check>,
}

impl<'p, P: GrowthProcess> Simulator<'p, P> {
    /// Paths of `process` starting at level `start`, over `years` annual steps.
    /// Defaults: 10,000 paths, seed [`crate::DEFAULT_SEED`], stream of the empty key.
    pub fn new(process: &'p P, start: f64, years: usize) -> Self {
        Simulator {
            process,
            start,
            years,
            paths: 10_000,
            seed: crate::DEFAULT_SEED,
            stream: stream_id(""),
            checks: Vec::new(),
        }
    }

    /// Number of paths.
    pub fn paths(mut self, paths: u64) -> Self {
        self.paths = paths;
        self
    }

    /// Seed of the run.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Names the random stream (by convention the indicator key, `Hubei/gdp`), so that
    /// different indicators draw independent paths under one seed.
    pub fn stream(mut self, key: &str) -> Self {
        self.stream = stream_id(key);
        self
    }

    /// Adds a goal to check on every path.
    pub fn check(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    fn validate(&self) -> Result<()> {
        if self.paths == 0 {
            return Err(Error::Simulation(
                "the number of paths must be at least 1".into(),
            ));
        }
        if self.years == 0 {
            return Err(Error::Simulation(
                "the horizon must be at least one year".into(),
            ));
        }
        if !(self.start.is_finite() && self.start > 0.0) {
            return Err(Error::Simulation(format!(
                "the starting level must be positive and finite for compound growth, got {}",
                self.start
            )));
        }
        for (i, c) in self.checks.iter().enumerate() {
            let base_step = match c.threshold {
                CheckThreshold::Level(k) if !k.is_finite() => {
                    return Err(Error::Simulation(format!(
                        "check {i}: log-threshold {k} is not finite"
                    )));
                }
                CheckThreshold::Relative { log_factor, .. } if !log_factor.is_finite() => {
                    return Err(Error::Simulation(format!(
                        "check {i}: log-factor {log_factor} is not finite"
                    )));
                }
                CheckThreshold::Level(_) => 0,
                CheckThreshold::Relative { step, .. } => step,
            };
            if c.deadline_step == 0
                || c.deadline_step > self.years
                || c.from_step == 0
                || c.from_step > c.deadline_step
                || base_step >= c.from_step
            {
                return Err(Error::Simulation(format!(
                    "check {i}: steps must satisfy base < from ≤ deadline ≤ {} (base {base_step}, from {}, deadline {})",
                    self.years, c.from_step, c.deadline_step
                )));
            }
        }
        Ok(())
    }

    /// Runs the simulation.
    pub fn run(&self) -> Result<SimulationOutput> {
        self.validate()?;
        let years = self.years;
        let n = usize::try_from(self.paths)
            .map_err(|_| Error::Simulation("too many paths for this platform".into()))?;
        let mut log_levels = Array2::<f64>::zeros((n, years));
        let log_start = self.start.ln();
        let storage = log_levels
            .as_slice_mut()
            .expect("a freshly allocated array is contiguous");
        let empty = || vec![CheckCounts::zero(years); self.checks.len()];
        let checks = storage
            .par_chunks_mut(CHUNK_PATHS * years)
            .enumerate()
            .map(|(chunk, block)| {
                let mut counts = empty();
                let first_path = (chunk * CHUNK_PATHS) as u64;
                for (i, row) in block.chunks_exact_mut(years).enumerate() {
                    let mut rng = path_rng_from_id(self.seed, self.stream, first_path + i as u64);
                    self.process.sample_log_growth(&mut rng, row);
                    let mut x = log_start;
                    for v in row.iter_mut() {
                        x += *v;
                        *v = x;
                    }
                    self.tally(log_start, row, &mut counts);
                }
                counts
            })
            .reduce(empty, |mut a, b| {
                for (x, y) in a.iter_mut().zip(&b) {
                    x.add(y);
                }
                a
            });
        Ok(SimulationOutput {
            paths: self.paths,
            start: self.start,
            log_levels,
            checks,
        })
    }

    /// Evaluates every check on one path of log-levels (`row[s-1]` is step s).
    #[inline]
    fn tally(&self, log_start: f64, row: &[f64], counts: &mut [CheckCounts]) {
        let at = |step: usize| if step == 0 { log_start } else { row[step - 1] };
        for (check, tally) in self.checks.iter().zip(counts.iter_mut()) {
            let threshold = match check.threshold {
                CheckThreshold::Level(k) => k,
                CheckThreshold::Relative { step, log_factor } => at(step) + log_factor,
            };
            if check.comparator.holds(at(check.deadline_step), threshold) {
                tally.at_deadline += 1;
            }
            if let Some(step) = (check.from_step..=check.deadline_step)
                .find(|&s| check.comparator.holds(at(s), threshold))
            {
                tally.first_reached[step] += 1;
            }
        }
    }
}

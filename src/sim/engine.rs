//! What the engine is asked and answers: the `Simulator` builder, the checks it
//! tallies, its output. The kernel that draws the paths is in `kernel.rs`.

use ndarray::{Array2, Array3};

use super::kernel::Kernel;
use super::shard::{Partial, Sharding, Tally};
use crate::error::{Result, SimulationError as Invalid};
use crate::process::{GrowthProcess, Scale};
use crate::random::stream_id;
use crate::target::Comparator;

/// Paths per unit of parallel work. Fixed, so the work split never depends on the
/// thread count (and results could not even if it did: see the module docs).
pub const CHUNK_PATHS: usize = 4096;

/// Paths whose range sets the streaming histograms' bins (run once, before the rest).
pub(super) const PILOT_PATHS: usize = 1024;

/// The default quantile probabilities (5, 25, 50, 75, 95 %).
pub const DEFAULT_PROBS: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// What a check compares with its threshold in each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The level of indicator `i`.
    Level(usize),
    /// The ratio numerator / denominator of two indicators (a share, as a fraction).
    Ratio {
        /// Index of the numerator indicator.
        numerator: usize,
        /// Index of the denominator indicator.
        denominator: usize,
    },
    /// The running total of indicator `i`'s levels from `from_step` on.
    Cumulative(usize),
    /// The level of indicator `i` in every year of the window (all must hold).
    EveryYear(usize),
    /// The growth factor `X[t]/X[t−1]` of indicator `i` in every year of the window.
    EveryYearGrowth(usize),
}

impl Measure {
    pub(super) fn indicators(self) -> [usize; 2] {
        match self {
            Measure::Level(i)
            | Measure::Cumulative(i)
            | Measure::EveryYear(i)
            | Measure::EveryYearGrowth(i) => [i, i],
            Measure::Ratio {
                numerator,
                denominator,
            } => [numerator, denominator],
        }
    }
}

/// The level a check compares with, in the measure's units (not logs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CheckThreshold {
    /// A fixed value K (a level, a ratio as a fraction, a total, a growth factor).
    Level(f64),
    /// `factor` times the measure's own simulated value at `step` (growth measured from
    /// a simulated base year). Only for [`Measure::Level`] and [`Measure::Ratio`].
    Relative {
        /// Step (years after the start) of the base value; 0 is the start.
        step: usize,
        /// The multiple required.
        factor: f64,
    },
}

/// A goal to evaluate on every path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// What is compared.
    pub measure: Measure,
    /// At least or at most the threshold.
    pub comparator: Comparator,
    /// The threshold.
    pub threshold: CheckThreshold,
    /// The first step (years after the start, ≥ 1) of the window.
    pub from_step: usize,
    /// The deadline step (≤ the simulated horizon).
    pub deadline_step: usize,
}

/// Integer tallies of one check over all paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckCounts {
    /// Paths on which the goal is met at the deadline (for every-year measures: in every
    /// year of the window).
    pub at_deadline: u64,
    /// `first_reached[s]`: paths on which the goal first holds at step s (zero outside
    /// the window, and everywhere for every-year measures, where it does not apply).
    pub first_reached: Vec<u64>,
    /// `holds_in_year[s]`: paths on which the condition holds in step s.
    pub holds_in_year: Vec<u64>,
}

impl CheckCounts {
    pub(super) fn zero(years: usize) -> Self {
        CheckCounts {
            at_deadline: 0,
            first_reached: vec![0; years + 1],
            holds_in_year: vec![0; years + 1],
        }
    }

    pub(super) fn add(&mut self, other: &CheckCounts) {
        self.at_deadline += other.at_deadline;
        for (a, b) in self.first_reached.iter_mut().zip(&other.first_reached) {
            *a += b;
        }
        for (a, b) in self.holds_in_year.iter_mut().zip(&other.holds_in_year) {
            *a += b;
        }
    }

    /// Paths on which the goal holds in at least one year of the window.
    pub fn reached_by_deadline(&self) -> u64 {
        self.first_reached.iter().sum()
    }
}

/// How quantiles of the levels are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuantileMode {
    /// Exact type-7 quantiles over all paths. Memory: 8 bytes per indicator, year and
    /// path (`8·k·N·T`), plus the same again when per-path values are kept.
    #[default]
    Exact,
    /// Streaming: a fixed-bin histogram of log-levels per indicator and year whose range
    /// is set from the first 1024 paths ([`LogBins`]). Memory does not grow with the
    /// number of paths; bins are at most `ln(1 + STREAMING_MAX_REL_ERROR)` wide
    /// ([`crate::stats::STREAMING_MAX_REL_ERROR`], 1e-3), so every quantile whose order
    /// statistics fall inside the range is within that relative error of the exact one.
    /// Probabilities must lie in [0.01, 0.99].
    Streaming,
    /// Chosen by size ([`QuantileMode::chosen`]): exact while the exact quantiles'
    /// memory ([`super::memory::exact_bytes`]) stays at most
    /// [`super::memory::AUTO_EXACT_MAX_BYTES`] (64 MB), streaming beyond.
    Auto,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct SimulationOutput {
    /// Number of paths.
    pub paths: u64,
    /// Number of simulated years.
    pub years: usize,
    /// One tally per check, in the order the checks were added.
    pub checks: Vec<CheckCounts>,
    /// Per indicator: level quantiles, one row per step 0..=years, one column per
    /// probability.
    pub quantiles: Vec<Array2<f64>>,
    /// Per-path log-levels, indexed `[indicator, step − 1, path]`, when requested with
    /// [`Simulator::keep_paths`] (exact mode only).
    pub log_levels: Option<Array3<f64>>,
}

/// One indicator of a (possibly joint) simulation.
#[derive(Debug, Clone)]
pub(super) struct Member<'p, P> {
    pub(super) process: &'p P,
    pub(super) start: f64,
    /// Steps after the run's start at which this indicator's last known value lies;
    /// before it the level stays at `start`, after it the process moves it.
    pub(super) offset: usize,
    /// Levels are whole numbers (counts): quantiles are of rounded levels.
    pub(super) integer: bool,
    /// How the process's state maps to the level.
    pub(super) scale: Scale,
}

/// Runs Monte Carlo paths of one indicator, or of several jointly with correlated shocks.
///
/// ```
/// use goalcast::process::LogNormalGrowth;
/// use goalcast::sim::{Check, CheckThreshold, Measure, Simulator};
/// use goalcast::target::Comparator;
///
/// let process = LogNormalGrowth::new(0.14, 0.05).unwrap();
/// // R&D spending of 1254.7 (亿元) in 2022: how often is 2500 reached by 2028?
/// let out = Simulator::new(&process, 1254.7, 6)
///     .paths(10_000)
///     .seed(7)
///     .stream("Hubei/rd_expenditure")
///     .check(Check {
///         measure: Measure::Level(0),
///         comparator: Comparator::AtLeast,
///         threshold: CheckThreshold::Level(2500.0),
///         from_step: 1,
///         deadline_step: 6,
///     })
///     .run()
///     .unwrap();
/// let p = out.checks[0].at_deadline as f64 / out.paths as f64;
/// assert!(p > 0.6 && p < 0.9);
/// ```
#[derive(Debug, Clone)]
#[must_use = "a Simulator does nothing until `run` is called"]
pub struct Simulator<'p, P> {
    pub(super) members: Vec<Member<'p, P>>,
    pub(super) cholesky: Option<Array2<f64>>,
    pub(super) years: usize,
    pub(super) paths: u64,
    pub(super) seed: u64,
    pub(super) stream: u64,
    pub(super) checks: Vec<Check>,
    pub(super) probs: Vec<f64>,
    pub(super) mode: QuantileMode,
    pub(super) keep_paths: bool,
    pub(super) sharding: Option<Sharding<'p>>,
}

impl<'p, P: GrowthProcess> Simulator<'p, P> {
    /// Paths of `process` starting at level `start`, over `years` annual steps.
    /// Defaults: 10,000 paths, seed [`crate::DEFAULT_SEED`], stream of the empty key,
    /// quantiles [`DEFAULT_PROBS`], exact.
    pub fn new(process: &'p P, start: f64, years: usize) -> Self {
        Simulator {
            members: vec![Member {
                process,
                start,
                offset: 0,
                integer: false,
                scale: process.scale(),
            }],
            cholesky: None,
            years,
            paths: 10_000,
            seed: crate::DEFAULT_SEED,
            stream: stream_id(""),
            checks: Vec::new(),
            probs: DEFAULT_PROBS.to_vec(),
            mode: QuantileMode::Exact,
            keep_paths: false,
            sharding: None,
        }
    }

    /// Adds another indicator simulated jointly on the same paths (index = number of
    /// indicators added before it), whose last known value `start` lies `offset` steps
    /// after the run's start.
    pub fn indicator(mut self, process: &'p P, start: f64, offset: usize) -> Self {
        self.members.push(Member {
            process,
            start,
            offset,
            integer: false,
            scale: process.scale(),
        });
        self
    }

    /// Sets the offset of the first indicator (see [`Simulator::indicator`]).
    pub fn offset(mut self, offset: usize) -> Self {
        self.members[0].offset = offset;
        self
    }

    /// Marks indicator `i` as a count: its quantiles are of levels rounded to whole
    /// numbers. (Checks on counts take whole-number thresholds from the caller.)
    pub fn integer(mut self, i: usize, integer: bool) -> Self {
        if let Some(m) = self.members.get_mut(i) {
            m.integer = integer;
        }
        self
    }

    /// Correlates the indicators' yearly shocks: `cholesky` is the lower-triangular
    /// factor L of their correlation matrix (shocks `z = L·ε`).
    pub fn cholesky(mut self, cholesky: Array2<f64>) -> Self {
        self.cholesky = Some(cholesky);
        self
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

    /// The checks added, in order.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// Quantile probabilities reported for every indicator and year.
    pub fn quantiles(mut self, probs: &[f64]) -> Self {
        self.probs = probs.to_vec();
        self
    }

    /// Exact or streaming quantiles.
    pub fn quantile_mode(mut self, mode: QuantileMode) -> Self {
        self.mode = mode;
        self
    }

    /// The quantile mode the run uses: the one set, with [`QuantileMode::Auto`] chosen
    /// from this run's indicators, years and paths (exact when paths are kept).
    pub fn chosen_mode(&self) -> QuantileMode {
        if self.keep_paths {
            return QuantileMode::Exact;
        }
        self.mode.chosen(super::memory::exact_bytes(
            self.members.len() as u64,
            self.years as u64,
            self.paths,
        ))
    }

    /// Keeps every path's log-levels in the output (exact mode; doubles its memory).
    pub fn keep_paths(mut self, keep: bool) -> Self {
        self.keep_paths = keep;
        self
    }

    /// Takes part in a sharded run: draws only a shard's slice of the paths and records
    /// it, or draws nothing and merges every shard's slices ([`Sharding`]).
    pub fn sharding(mut self, sharding: Option<Sharding<'p>>) -> Self {
        self.sharding = sharding;
        self
    }

    /// The paths this run draws: its shard's slice, or all of them.
    fn slice(&self) -> std::ops::Range<u64> {
        match self.sharding {
            Some(Sharding::Shard(shard, _)) => shard.range(self.paths),
            _ => 0..self.paths,
        }
    }

    pub(super) fn validate(&self) -> Result<()> {
        let fail = |e: Invalid| Err(e.into());
        if self.paths == 0 {
            return fail(Invalid::NoPaths);
        }
        if self.years == 0 {
            return fail(Invalid::NoYears);
        }
        for (i, m) in self.members.iter().enumerate() {
            if m.offset >= self.years {
                return fail(Invalid::NoYearToSimulate {
                    indicator: i,
                    offset: m.offset,
                });
            }
            if !m.start.is_finite() || m.scale.to_state(m.start).is_none() {
                return fail(Invalid::StartOutsideModel {
                    indicator: i,
                    start: m.start,
                    scale: m.scale,
                });
            }
        }
        let k = self.members.len();
        if let Some(l) = &self.cholesky
            && l.dim() != (k, k)
        {
            return fail(Invalid::CholeskyShape {
                found: l.dim(),
                indicators: k,
            });
        }
        let mode = self.chosen_mode();
        let range = if mode == QuantileMode::Streaming {
            0.01..=0.99
        } else {
            0.0..=1.0
        };
        if let Some(p) = self.probs.iter().find(|p| !range.contains(*p)) {
            return fail(Invalid::QuantileOutOfRange {
                probability: *p,
                streaming: mode == QuantileMode::Streaming,
            });
        }
        if mode == QuantileMode::Streaming && self.paths > u64::from(u32::MAX) {
            return fail(Invalid::TooManyStreamingPaths {
                max: u64::from(u32::MAX),
            });
        }
        if self.keep_paths && mode == QuantileMode::Streaming {
            return fail(Invalid::KeepPathsNeedsExact);
        }
        if mode == QuantileMode::Exact {
            let slice = self.slice();
            let needed =
                super::memory::exact_bytes(k as u64, self.years as u64, slice.end - slice.start);
            let available = super::memory::available();
            let fits = match (needed, available) {
                (None, _) => false,
                (Some(n), Some(a)) => n <= a,
                (Some(n), None) => usize::try_from(n).is_ok(),
            };
            if !fits {
                return fail(Invalid::TooMuchMemory {
                    needed,
                    available,
                    paths: self.paths,
                });
            }
        }
        for (n, c) in self.checks.iter().enumerate() {
            if c.measure.indicators().iter().any(|&i| i >= k) {
                return fail(Invalid::UnknownIndicator {
                    check: n,
                    indicators: k,
                });
            }
            let base_step = match c.threshold {
                CheckThreshold::Level(v) if !(v.is_finite() && v > 0.0) => {
                    return fail(Invalid::BadThreshold {
                        check: n,
                        threshold: v,
                    });
                }
                CheckThreshold::Relative { factor, .. }
                    if !(factor.is_finite() && factor > 0.0) =>
                {
                    return fail(Invalid::BadFactor { check: n, factor });
                }
                CheckThreshold::Relative { .. }
                    if !matches!(c.measure, Measure::Level(_) | Measure::Ratio { .. }) =>
                {
                    return fail(Invalid::RelativeNeedsLevel { check: n });
                }
                CheckThreshold::Level(_) => 0,
                CheckThreshold::Relative { step, .. } => step,
            };
            let latest_start = c
                .measure
                .indicators()
                .iter()
                .map(|&i| self.members[i].offset)
                .max()
                .unwrap_or(0);
            if c.deadline_step == 0
                || c.deadline_step > self.years
                || c.from_step <= latest_start
                || c.from_step > c.deadline_step
                || base_step >= c.from_step
                || (matches!(c.threshold, CheckThreshold::Relative { .. })
                    && base_step < latest_start)
            {
                return fail(Invalid::StepsOutOfOrder {
                    check: n,
                    years: self.years,
                    start: latest_start,
                    base: base_step,
                    from: c.from_step,
                    deadline: c.deadline_step,
                });
            }
        }
        Ok(())
    }

    /// Runs the simulation. Under [`Sharding::Shard`] the output is that of the shard's
    /// slice of the paths alone (`paths` is the slice's size); under
    /// [`Sharding::Merge`] it is the whole run's, exactly as if it had run here.
    pub fn run(&self) -> Result<SimulationOutput> {
        self.validate()?;
        usize::try_from(self.paths).map_err(|_| Invalid::TooManyPaths)?;
        let kernel = Kernel::new(self);
        let bins = kernel.bins();
        let slice = self.slice();
        let (checks, tally) = match self.sharding {
            Some(Sharding::Merge(replay)) => {
                let fingerprint = Partial::fingerprint_of(self);
                Partial::combine(replay.next(fingerprint, self.paths)?, self.paths)?
            }
            _ => kernel.gather(slice.start as usize..slice.end as usize, &bins),
        };
        if let Some(Sharding::Shard(_, recorder)) = self.sharding {
            let partial = Partial {
                fingerprint: Partial::fingerprint_of(self),
                paths: self.paths,
                range: slice.clone(),
                indicators: self.members.len(),
                years: self.years,
                checks,
                body: tally,
            };
            recorder.record(&partial)?;
            return self.output(
                &kernel,
                slice.end - slice.start,
                partial.checks,
                partial.body,
                &bins,
            );
        }
        self.output(&kernel, self.paths, checks, tally, &bins)
    }

    /// The output of `paths` paths from their tallies.
    fn output(
        &self,
        kernel: &Kernel<'_, 'p, P>,
        paths: u64,
        checks: Vec<CheckCounts>,
        tally: Tally,
        bins: &[crate::stats::LogBins],
    ) -> Result<SimulationOutput> {
        let (quantiles, log_levels) = kernel.finish(tally, bins);
        Ok(SimulationOutput {
            paths,
            years: self.years,
            checks,
            quantiles,
            log_levels,
        })
    }
}

use std::ops::Range;
use std::sync::Mutex;

use ndarray::{Array2, Array3, ArrayViewMut3, Axis};
use rayon::prelude::*;

use crate::error::{Result, SimulationError as Invalid};
use crate::process::{GrowthProcess, Scale};
use crate::random::{LANES, LaneStreams, PathStreams, stream_id};
use crate::stats::{LogBins, quantiles_type7_by};
use crate::target::{Comparator, LOG_TOLERANCE};

/// Paths per unit of parallel work. Fixed, so the work split never depends on the
/// thread count (and results could not even if it did: see the module docs).
pub const CHUNK_PATHS: usize = 4096;

/// Paths whose range sets the streaming histograms' bins (run once, before the rest).
const PILOT_PATHS: usize = 1024;

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
    fn indicators(self) -> [usize; 2] {
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
    fn zero(years: usize) -> Self {
        CheckCounts {
            at_deadline: 0,
            first_reached: vec![0; years + 1],
            holds_in_year: vec![0; years + 1],
        }
    }

    fn add(&mut self, other: &CheckCounts) {
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
    /// number of paths; each quantile is within a relative error of one bin width
    /// (about `span/8192`, typically 1e-4) of its histogram estimate. Probabilities must
    /// lie in [0.01, 0.99].
    Streaming,
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
struct Member<'p, P> {
    process: &'p P,
    start: f64,
    /// Steps after the run's start at which this indicator's last known value lies;
    /// before it the level stays at `start`, after it the process moves it.
    offset: usize,
    /// Levels are whole numbers (counts): quantiles are of rounded levels.
    integer: bool,
    /// How the process's state maps to the level.
    scale: Scale,
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
    members: Vec<Member<'p, P>>,
    cholesky: Option<Array2<f64>>,
    years: usize,
    paths: u64,
    seed: u64,
    stream: u64,
    checks: Vec<Check>,
    probs: Vec<f64>,
    mode: QuantileMode,
    keep_paths: bool,
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

    /// Keeps every path's log-levels in the output (exact mode; doubles its memory).
    pub fn keep_paths(mut self, keep: bool) -> Self {
        self.keep_paths = keep;
        self
    }

    fn validate(&self) -> Result<()> {
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
        let range = if self.mode == QuantileMode::Streaming {
            0.01..=0.99
        } else {
            0.0..=1.0
        };
        if let Some(p) = self.probs.iter().find(|p| !range.contains(*p)) {
            return fail(Invalid::QuantileOutOfRange {
                probability: *p,
                streaming: self.mode == QuantileMode::Streaming,
            });
        }
        if self.mode == QuantileMode::Streaming && self.paths > u64::from(u32::MAX) {
            return fail(Invalid::TooManyStreamingPaths {
                max: u64::from(u32::MAX),
            });
        }
        if self.keep_paths && self.mode == QuantileMode::Streaming {
            return fail(Invalid::KeepPathsNeedsExact);
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

    /// Runs the simulation.
    pub fn run(&self) -> Result<SimulationOutput> {
        self.validate()?;
        let n = usize::try_from(self.paths).map_err(|_| Invalid::TooManyPaths)?;
        let kernel = Kernel::new(self);
        let (checks, quantiles, log_levels) = match self.mode {
            QuantileMode::Exact if self.keep_paths || !self.probs.is_empty() => kernel.run_exact(n),
            _ => kernel.run_streaming(n),
        };
        Ok(SimulationOutput {
            paths: self.paths,
            years: self.years,
            checks,
            quantiles,
            log_levels,
        })
    }
}

/// A check with its threshold in the units the kernel compares.
#[derive(Debug, Clone, Copy)]
struct Prepared {
    check: Check,
    /// `ln` of the fixed threshold, or of the relative factor, moved by the comparison
    /// tolerance in the goal's favour: the condition is `x ≥ it` (at least) or `x ≤ it`.
    log_threshold: f64,
    /// `exp(log_threshold)`: the threshold of cumulative totals, which are levels.
    level_threshold: f64,
    at_least: bool,
}

/// Whether `x` meets a prepared threshold (see [`Prepared::log_threshold`]).
#[inline(always)]
fn meets(at_least: bool, x: f64, threshold: f64) -> bool {
    if at_least {
        x >= threshold
    } else {
        x <= threshold
    }
}

/// The per-path machinery of one run, shared by all threads.
struct Kernel<'s, 'p, P> {
    sim: &'s Simulator<'p, P>,
    streams: PathStreams,
    prepared: Vec<Prepared>,
    log_starts: Vec<f64>,
    scales: Vec<Scale>,
    /// Per indicator: `Some((a, b))` when its process is affine in its shocks
    /// ([`GrowthProcess::affine_log_growth`]), asked once per run.
    affine: Vec<Option<(f64, f64)>>,
    draws: bool,
}

/// Scratch space of one worker, for a block of paths: their generators, their shocks
/// (then log-growths) laid out by (indicator, year, path), and their states laid out by
/// (indicator, step, path).
struct Scratch {
    streams: LaneStreams,
    shocks: Vec<f64>,
    lanes: Vec<f64>,
    /// Per path of the block: the condition has held in an earlier year of the window.
    seen: [bool; LANES],
    /// Per path of the block: the condition has held in every year so far.
    all: [bool; LANES],
    /// Per path of the block: running total of a cumulative measure.
    total: [f64; LANES],
}

impl<'s, 'p, P: GrowthProcess> Kernel<'s, 'p, P> {
    fn new(sim: &'s Simulator<'p, P>) -> Self {
        let prepared = sim
            .checks
            .iter()
            .map(|&check| {
                let at_least = check.comparator == Comparator::AtLeast;
                let scale = sim.members[check.measure.indicators()[0]].scale;
                let log = match (check.threshold, check.measure) {
                    (CheckThreshold::Level(v), Measure::Level(_) | Measure::EveryYear(_)) => {
                        scale.to_state(v).expect("validated")
                    }
                    (CheckThreshold::Level(v), _) => v.ln(),
                    (CheckThreshold::Relative { factor, .. }, _) => factor.ln(),
                };
                let log_threshold = if at_least {
                    log - LOG_TOLERANCE
                } else {
                    log + LOG_TOLERANCE
                };
                Prepared {
                    check,
                    log_threshold,
                    level_threshold: log_threshold.exp(),
                    at_least,
                }
            })
            .collect();
        let draws = sim.members.len() > 1 || sim.members.iter().any(|m| m.process.uses_shocks());
        Kernel {
            sim,
            streams: PathStreams::new(sim.seed, sim.stream),
            prepared,
            log_starts: sim
                .members
                .iter()
                .map(|m| m.scale.to_state(m.start).expect("validated"))
                .collect(),
            scales: sim.members.iter().map(|m| m.scale).collect(),
            affine: sim
                .members
                .iter()
                .map(|m| m.process.affine_log_growth())
                .collect(),
            draws,
        }
    }

    fn k(&self) -> usize {
        self.sim.members.len()
    }

    fn scratch(&self) -> Scratch {
        let (k, t) = (self.k(), self.sim.years);
        Scratch {
            streams: LaneStreams::default(),
            shocks: vec![0.0; k * t * LANES],
            lanes: vec![0.0; k * (t + 1) * LANES],
            seen: [false; LANES],
            all: [true; LANES],
            total: [0.0; LANES],
        }
    }

    fn zero_counts(&self) -> Vec<CheckCounts> {
        vec![CheckCounts::zero(self.sim.years); self.prepared.len()]
    }

    /// The states of indicator `i` at step `s` for the block's paths.
    #[inline(always)]
    fn lane<'a>(&self, lanes: &'a [f64], i: usize, s: usize, len: usize) -> &'a [f64] {
        let at = (i * (self.sim.years + 1) + s) * LANES;
        &lanes[at..at + len]
    }

    /// Draws the paths `first..first + LANES` into the scratch lanes. Each path's draws
    /// come from its own stream in the order a path-by-path loop would make them: the
    /// shocks of indicator 0 year by year, then those of indicator 1, ..., then any
    /// further draws of the processes, indicator by indicator.
    #[inline(always)]
    fn draw(&self, first: u64, scratch: &mut Scratch) {
        let (k, t) = (self.k(), self.sim.years);
        let Scratch {
            streams,
            shocks,
            lanes,
            ..
        } = scratch;
        streams.seed(&self.streams, first);
        if self.draws {
            streams.normal_rows(shocks);
        }
        if let Some(l) = &self.sim.cholesky {
            // z_i = Σ_{j≤i} L_ij ε_j, in place from the last indicator down.
            for i in (0..k).rev() {
                for year in 0..t {
                    for p in 0..LANES {
                        let z: f64 = (0..=i)
                            .map(|j| l[[i, j]] * shocks[(j * t + year) * LANES + p])
                            .sum();
                        shocks[(i * t + year) * LANES + p] = z;
                    }
                }
            }
        }
        for (i, m) in self.sim.members.iter().enumerate() {
            let growth = &mut shocks[i * t * LANES..(i + 1) * t * LANES];
            // An affine process's log-growths are made in the cumulation's own pass.
            let affine = self.affine[i];
            if affine.is_none() {
                lane_log_growth(m.process, streams, growth);
            }
            let lanes = &mut lanes[i * (t + 1) * LANES..(i + 1) * (t + 1) * LANES];
            lanes[..(m.offset + 1) * LANES].fill(self.log_starts[i]);
            for s in m.offset + 1..=t {
                let (before, after) = lanes.split_at_mut(s * LANES);
                let previous = &before[(s - 1) * LANES..];
                let r = &growth[(s - 1) * LANES..s * LANES];
                let after = after[..LANES].iter_mut().zip(previous).zip(r);
                match affine {
                    Some((drift, sigma)) => {
                        for ((x, &b), &z) in after {
                            *x = b + (drift + sigma * z);
                        }
                    }
                    None => {
                        for ((x, &b), &r) in after {
                            *x = b + r;
                        }
                    }
                }
            }
        }
    }

    /// Draws paths `first..first + len` (len ≤ [`LANES`]) into the scratch lanes and
    /// tallies every check.
    #[inline(always)]
    fn block(&self, first: u64, len: usize, scratch: &mut Scratch, counts: &mut [CheckCounts]) {
        self.draw(first, scratch);
        for (prepared, c) in self.prepared.iter().zip(counts.iter_mut()) {
            self.tally(prepared, scratch, len, c);
        }
    }

    /// Evaluates one check on the block's paths, year by year.
    #[inline(always)]
    fn tally(
        &self,
        prepared: &Prepared,
        scratch: &mut Scratch,
        len: usize,
        counts: &mut CheckCounts,
    ) {
        let c = &prepared.check;
        let (at_least, threshold) = (prepared.at_least, prepared.log_threshold);
        let Scratch {
            lanes,
            seen,
            all,
            total,
            ..
        } = scratch;
        let (seen, all, total) = (&mut seen[..len], &mut all[..len], &mut total[..len]);
        seen.fill(false);
        all.fill(true);
        total.fill(0.0);
        let every_year = matches!(
            c.measure,
            Measure::EveryYear(_) | Measure::EveryYearGrowth(_)
        );
        let mut holds_at_deadline = 0;
        for s in c.from_step..=c.deadline_step {
            // Per path: does the condition hold in step s?
            let mut ok = [false; LANES];
            let ok = &mut ok[..len];
            match (c.measure, c.threshold) {
                (Measure::Level(i) | Measure::EveryYear(i), CheckThreshold::Level(_)) => {
                    for (o, &x) in ok.iter_mut().zip(self.lane(lanes, i, s, len)) {
                        *o = meets(at_least, x, threshold);
                    }
                }
                (Measure::Level(i), CheckThreshold::Relative { step, .. }) => {
                    let (x, base) = (self.lane(lanes, i, s, len), self.lane(lanes, i, step, len));
                    for ((o, &x), &b) in ok.iter_mut().zip(x).zip(base) {
                        *o = meets(at_least, x - b, threshold);
                    }
                }
                (
                    Measure::Ratio {
                        numerator,
                        denominator,
                    },
                    th,
                ) => {
                    let (a, b) = (
                        self.lane(lanes, numerator, s, len),
                        self.lane(lanes, denominator, s, len),
                    );
                    let base_step = match th {
                        CheckThreshold::Relative { step, .. } => Some(step),
                        CheckThreshold::Level(_) => None,
                    };
                    for (p, o) in ok.iter_mut().enumerate() {
                        let base = base_step.map_or(0.0, |step| {
                            self.lane(lanes, numerator, step, len)[p]
                                - self.lane(lanes, denominator, step, len)[p]
                        });
                        *o = meets(at_least, a[p] - b[p] - base, threshold);
                    }
                }
                (Measure::Cumulative(i), _) => {
                    let scale = self.scales[i];
                    for ((o, t), &x) in ok
                        .iter_mut()
                        .zip(total.iter_mut())
                        .zip(self.lane(lanes, i, s, len))
                    {
                        *t += scale.to_level(x);
                        *o = meets(at_least, *t, prepared.level_threshold);
                    }
                }
                (Measure::EveryYearGrowth(i), _) => {
                    let (x, before) =
                        (self.lane(lanes, i, s, len), self.lane(lanes, i, s - 1, len));
                    for ((o, &x), &b) in ok.iter_mut().zip(x).zip(before) {
                        *o = meets(at_least, x - b, threshold);
                    }
                }
                (Measure::EveryYear(_), CheckThreshold::Relative { .. }) => {
                    unreachable!("validated")
                }
            }
            let mut holding = 0u32;
            let mut first = 0u32;
            for ((&o, seen), all) in ok.iter().zip(seen.iter_mut()).zip(all.iter_mut()) {
                holding += u32::from(o);
                first += u32::from(o & !*seen);
                *seen |= o;
                *all &= o;
            }
            let (holding, first) = (u64::from(holding), u64::from(first));
            counts.holds_in_year[s] += holding;
            if !every_year {
                // For every-year measures the first year does not apply.
                counts.first_reached[s] += first;
            }
            holds_at_deadline = holding;
        }
        if every_year {
            counts.at_deadline += all.iter().map(|&a| u64::from(a)).sum::<u64>();
        } else {
            counts.at_deadline += holds_at_deadline;
        }
    }

    /// Runs the paths of one chunk, block by block, handing each block's lanes to `sink`.
    fn chunk(
        &self,
        chunk: usize,
        n: usize,
        scratch: &mut Scratch,
        counts: &mut [CheckCounts],
        mut sink: impl FnMut(&[f64], usize, usize),
    ) -> usize {
        let first = chunk * CHUNK_PATHS;
        let end = (first + CHUNK_PATHS).min(n);
        scratch.streams.isa().run(
            #[inline(always)]
            || {
                for start in (first..end).step_by(LANES) {
                    let len = LANES.min(end - start);
                    self.block(start as u64, len, scratch, counts);
                    sink(&scratch.lanes, start - first, len);
                }
            },
        );
        end - first
    }

    /// Exact mode: states stored by (indicator, year, path); quantiles by selection.
    fn run_exact(&self, n: usize) -> (Vec<CheckCounts>, Vec<Array2<f64>>, Option<Array3<f64>>) {
        let (k, t) = (self.k(), self.sim.years);
        let mut levels = Array3::<f64>::zeros((k, t, n));
        let counts = levels
            .axis_chunks_iter_mut(Axis(2), CHUNK_PATHS)
            .into_par_iter()
            .enumerate()
            .fold(
                || (self.zero_counts(), self.scratch()),
                |(mut counts, mut scratch), (chunk, mut store): (usize, ArrayViewMut3<f64>)| {
                    self.chunk(
                        chunk,
                        n,
                        &mut scratch,
                        &mut counts,
                        #[inline(always)]
                        |lanes, offset, len| {
                            for i in 0..k {
                                for year in 0..t {
                                    let mut indicator = store.index_axis_mut(Axis(0), i);
                                    let mut lane = indicator.index_axis_mut(Axis(0), year);
                                    let dst =
                                        lane.as_slice_mut().expect("the last axis is contiguous");
                                    dst[offset..offset + len].copy_from_slice(self.lane(
                                        lanes,
                                        i,
                                        year + 1,
                                        len,
                                    ));
                                }
                            }
                        },
                    );
                    (counts, scratch)
                },
            )
            .map(|(counts, _)| counts)
            .reduce(|| self.zero_counts(), merge_counts);
        // Quantiles of every (indicator, year) lane, lanes in parallel. Selection reorders
        // a lane, so per-path values that must be kept are copied first.
        let quantile_rows = |(cell, lane): (usize, &mut [f64])| {
            let m = &self.sim.members[cell / t];
            let (scale, integer) = (m.scale, m.integer);
            quantiles_type7_by(lane, &self.sim.probs, |x| {
                let level = scale.to_level(x);
                if integer { level.round() } else { level }
            })
        };
        let storage = levels.as_slice_mut().expect("a fresh array is contiguous");
        let rows: Vec<Vec<f64>> = if self.sim.keep_paths {
            let mut copy = storage.to_vec();
            copy.par_chunks_mut(n.max(1))
                .enumerate()
                .map(quantile_rows)
                .collect()
        } else {
            storage
                .par_chunks_mut(n.max(1))
                .enumerate()
                .map(quantile_rows)
                .collect()
        };
        let mut quantiles = self.start_rows();
        for (cell, row) in rows.iter().enumerate() {
            quantiles[cell / t]
                .row_mut(cell % t + 1)
                .assign(&ndarray::ArrayView1::from(row));
        }
        (counts, quantiles, self.sim.keep_paths.then_some(levels))
    }

    /// Streaming mode: per-(indicator, year) histograms of states; memory does not grow
    /// with the number of paths. Also serves runs that ask for no quantiles.
    fn run_streaming(&self, n: usize) -> (Vec<CheckCounts>, Vec<Array2<f64>>, Option<Array3<f64>>) {
        let (k, t) = (self.k(), self.sim.years);
        // With no quantiles requested there is nothing to bin: checks only.
        let bins = if self.sim.probs.is_empty() {
            Vec::new()
        } else {
            self.pilot_bins(n.min(PILOT_PATHS))
        };
        let width = bins.first().map_or(0, LogBins::len);
        let chunks = n.div_ceil(CHUNK_PATHS);
        // Counts fit in u32: a bin holds at most N paths, and N is checked against it.
        let zero = || {
            (
                self.zero_counts(),
                vec![0u32; k * t * width],
                vec![0u16; bins.len() * CHUNK_PATHS],
                self.scratch(),
            )
        };
        let workers = per_worker(0..chunks, zero, |chunk, (counts, hist, index, scratch)| {
            let len = self.chunk(
                chunk,
                n,
                scratch,
                counts,
                #[inline(always)]
                |lanes, at, len| {
                    for (cell, b) in bins.iter().enumerate() {
                        let (i, year) = (cell / t, cell % t);
                        let index = &mut index[cell * CHUNK_PATHS + at..][..len];
                        b.index_into(self.lane(lanes, i, year + 1, len), index);
                    }
                },
            );
            // One (indicator, year) at a time, so that its counters stay in L1.
            for (cell, b) in bins.iter().enumerate() {
                b.count_bins(
                    &index[cell * CHUNK_PATHS..][..len],
                    &mut hist[cell * width..(cell + 1) * width],
                );
            }
        });
        // Added up in place (no total exceeds N, checked against u32 in `validate`).
        let (counts, hist) = workers
            .into_iter()
            .map(|(counts, hist, _, _)| (counts, hist))
            .reduce(|(c1, mut h1), (c2, h2)| {
                h1.iter_mut().zip(h2).for_each(|(a, b)| *a += b);
                (merge_counts(c1, c2), h1)
            })
            .expect("at least one path, so at least one worker");
        let mut quantiles = self.start_rows();
        if width > 0 {
            for (i, q) in quantiles.iter_mut().enumerate() {
                for year in 0..t {
                    let cell = i * t + year;
                    let m = &self.sim.members[i];
                    let (scale, integer) = (m.scale, m.integer);
                    let row = bins[cell].quantiles(
                        &hist[cell * width..(cell + 1) * width],
                        &self.sim.probs,
                        |x| {
                            let level = scale.to_level(x);
                            if integer { level.round() } else { level }
                        },
                    );
                    q.row_mut(year + 1).assign(&ndarray::ArrayView1::from(&row));
                }
            }
        }
        (counts, quantiles, None)
    }

    /// Histogram layouts per (indicator, year) from the range of the first `pilot` paths.
    fn pilot_bins(&self, pilot: usize) -> Vec<LogBins> {
        let (k, t) = (self.k(), self.sim.years);
        let mut lo = vec![f64::INFINITY; k * t];
        let mut hi = vec![f64::NEG_INFINITY; k * t];
        let mut scratch = self.scratch();
        let mut ignored = self.zero_counts();
        self.chunk(0, pilot, &mut scratch, &mut ignored, |lanes, _, len| {
            for cell in 0..k * t {
                for &x in self.lane(lanes, cell / t, cell % t + 1, len) {
                    lo[cell] = lo[cell].min(x);
                    hi[cell] = hi[cell].max(x);
                }
            }
        });
        lo.iter()
            .zip(&hi)
            .map(|(&a, &b)| LogBins::for_range(a, b, LogBins::DEFAULT_BINS))
            .collect()
    }

    /// One quantile table per indicator with the start level in row 0.
    fn start_rows(&self) -> Vec<Array2<f64>> {
        self.sim
            .members
            .iter()
            .map(|m| {
                let mut q = Array2::zeros((self.sim.years + 1, self.sim.probs.len()));
                q.row_mut(0).fill(m.start);
                q
            })
            .collect()
    }
}

/// Runs `work` on every chunk of `chunks` in parallel, each worker thread accumulating
/// into one value of its own (made by `zero` when the thread first takes a chunk), and
/// returns those values. Chunks are taken one at a time, so the threads stay busy to the
/// end, while accumulators are made and merged only once per thread. Which chunks a
/// thread ran varies from run to run: accumulate only what adds up the same in any
/// grouping (integer counts).
fn per_worker<A: Send>(
    chunks: Range<usize>,
    zero: impl Fn() -> A + Sync,
    work: impl Fn(usize, &mut A) + Sync,
) -> Vec<A> {
    let slots: Vec<Mutex<Option<A>>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new(None))
        .collect();
    chunks.into_par_iter().for_each(|chunk| {
        // Each pool thread has its own slot; the lock is never contended (a chunk does
        // not wait on other rayon work while it runs).
        let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
        let mut acc = slots[slot].lock().expect("a worker panicked");
        work(chunk, acc.get_or_insert_with(&zero));
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().expect("a worker panicked"))
        .collect()
}

fn merge_counts(mut a: Vec<CheckCounts>, b: Vec<CheckCounts>) -> Vec<CheckCounts> {
    for (x, y) in a.iter_mut().zip(&b) {
        x.add(y);
    }
    a
}
/// A process's log-growths for a block of [`LANES`] paths, as the engine lays them out:
/// `buf[y·LANES + p]` is path p's shock of year y+1 on entry and its log-growth on
/// return, and path p's further randomness comes from lane p of `streams`, which is left
/// where path p's generator stands afterwards. Applies
/// [`GrowthProcess::log_growth_from_shocks`] path by path (affine processes never come
/// here: the cumulation adds their growth itself), so the lane layout stays inside the
/// engine.
fn lane_log_growth<P: GrowthProcess + ?Sized>(
    process: &P,
    streams: &mut LaneStreams,
    buf: &mut [f64],
) {
    let years = buf.len() / LANES;
    // One path's years: on the stack for horizons up to 128 years.
    let (mut stack, mut heap) = ([0.0; 128], Vec::new());
    let path = if years <= stack.len() {
        &mut stack[..years]
    } else {
        heap.resize(years, 0.0);
        &mut heap[..]
    };
    for p in 0..LANES {
        let mut rng = streams.rng(p);
        for (y, v) in path.iter_mut().enumerate() {
            *v = buf[y * LANES + p];
        }
        process.log_growth_from_shocks(&mut rng, path);
        for (y, &v) in path.iter().enumerate() {
            buf[y * LANES + p] = v;
        }
        streams.set_rng(p, &rng);
    }
}

#[cfg(test)]
mod tests {
    use rand_core::Rng;

    use super::lane_log_growth;
    use crate::process::{GrowthProcess, RareShockGrowth};
    use crate::random::{LANES, LaneStreams, PathStreams, stream_id};

    #[test]
    fn processes_with_further_draws_give_the_same_paths_lane_by_lane() {
        let process = RareShockGrowth::new(0.08, 0.05, 0.2, 0.3).unwrap();
        let streams = PathStreams::new(3, stream_id("rare"));
        let years = 9;
        let mut lanes = LaneStreams::default();
        lanes.seed(&streams, 100);
        // Drawn with the engine's vectorised code (`normals` above is compiled for the
        // baseline instruction set of this test): both must match the reference.
        let mut block = vec![0.0; years * LANES];
        lanes.fill_normals(&mut block);
        lane_log_growth(&process, &mut lanes, &mut block);
        for p in 0..LANES {
            let mut rng = streams.path(100 + p as u64);
            let mut path = vec![0.0; years];
            process.sample_log_growth(&mut rng, &mut path);
            for (y, &v) in path.iter().enumerate() {
                assert_eq!(
                    block[y * LANES + p].to_bits(),
                    v.to_bits(),
                    "lane {p}, year {y}"
                );
            }
            assert_eq!(lanes.rng(p).next_u64(), rng.next_u64(), "lane {p}");
        }
    }
}

//! What an economist asks after "how likely is it?": the growth it would take, the
//! official progress category, which assumption matters, and how precise the answer is.
//!
//! Every function here works on one [`Goal`] — a growth [`Model`], a start level and a
//! [`Check`] as the engine evaluates it — and talks to the model only through
//! [`Model::with_median_growth`], [`Model::parameters`] and [`Model::with_parameter`],
//! so it applies unchanged to every process the library has or will have.
//!
//! * [`critical_shifts`]: every path's *critical shift*, the smallest change δ of the
//!   central log-growth `μ = ln(1+g)` at which that path meets the goal (largest for
//!   `≤`), from one pass over the paths ([`crate::sim::Simulator::critical_shifts`]).
//!   The growth for a chance p is `μ₀` plus a quantile of the shifts, and the chance at
//!   any growth is their empirical distribution: the [`GrowthCurve`]. Held in memory:
//!   8 bytes per path, one goal at a time.
//! * [`required_growth`]: the central growth g at which `P(goal) = p` (defaults 50, 80
//!   and 90 %), from the critical shifts, equal (to [`LOG_GROWTH_TOLERANCE`]) to what
//!   [`required_growth_by_bisection`] finds by bisection in log-growth with **common
//!   random numbers**:
//!   every step of the bisection re-runs the same paths (same seed, same stream), so the
//!   estimated probability is a monotone step function of g and the bisection converges
//!   to a reproducible answer. For the lognormal model the exact answer is
//!   `μ_p = (ln(K/X₀) + z_p·σ√T) / T` (for `≥`; `−z_p` for `≤`), where `z_p = Φ⁻¹(p)`;
//!   the Monte Carlo answer is the empirical quantile of the paths, with standard error
//!   `se(μ̂_p) = σ·√(p(1−p)/N) / (√T·φ(z_p))` (the standard error of a sample quantile,
//!   divided by the slope). See [`lognormal_required_log_growth`].
//! * [`progress_categories`]: the Eurostat / Statistics Canada thresholds applied
//!   forward, on every path, from the latest value to the deadline (the official
//!   assessments from history are [`crate::official`]). With
//!   actual compound growth `a = (X_T/X₀)^{1/T} − 1` and required growth
//!   `r = (K/X₀)^{1/T} − 1`, the ratio `a/r` is ≥ 95 % *on track*, 60–95 % *moderate
//!   progress*, 0–60 % *insufficient progress*, below 0 *moving away*. Each boundary
//!   `a/r = c` is the level `X₀(1+c·r)^T`, so the categories are intervals of the
//!   deadline level and their probabilities are counted exactly as integer hits of three
//!   extra checks. For the lognormal model
//!   `P(a/r ≥ c) = Φ(T·(ln(1+g) − ln(1+c·r)) / (σ√T))` (for r > 0; mirrored for r < 0).
//! * [`sensitivity`]: `P(goal)` with each parameter shifted down and up (default ±1
//!   percentage point for growth, ±25 % relative for every other parameter), on common
//!   random numbers, as a table ([`crate::report::tables::sensitivity_csv`]) and a tornado chart
//!   ([`crate::plot::write_tornado`]).
//! * [`run_to_precision`]: more paths until the standard error `√(p̂(1−p̂)/N)` of every
//!   check is below a bound. Paths are per-path streams, so a longer run reproduces the
//!   shorter one's paths exactly and only adds new ones.

mod critical;
mod precision;
mod progress;
mod required;
mod sensitivity;

pub use critical::{
    CURVE_MAX_STEPS, CURVE_STEPS_PCT, CriticalShifts, CurvePoint, GrowthCurve, critical_shifts,
    critical_shifts_of,
};
pub use precision::{PrecisionOptions, PrecisionRun, Round, refine, run_to_precision};
pub use progress::{
    MODERATE_RATIO, ON_TRACK_RATIO, Progress, ProgressOutlook, ProgressSetup, progress_categories,
};
pub use required::{
    DEFAULT_PROBABILITIES, GROWTH_BRACKET, LOG_GROWTH_TOLERANCE, RequiredGrowth,
    lognormal_required_log_growth, required_growth, required_growth_by_bisection,
    required_growth_se, solve_log_growth,
};
pub use sensitivity::{
    Sensitivity, SensitivityRow, Shift, Shifts, sensitivity, sensitivity_with_shifts,
};

use crate::error::{Result, SimulationError};
use crate::process::Model;
use crate::sim::RunSettings;
use crate::sim::{Check, CheckThreshold, Measure, Simulator};
use crate::target::Comparator;

/// One goal on one indicator, as the engine evaluates it: paths of `model` from `start`
/// (step 0) to the check's deadline, on the random stream named `stream`.
///
/// The check's measure must concern indicator 0 only (level, cumulative, every-year;
/// not a ratio of two indicators).
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// The indicator's growth model.
    pub model: Model,
    /// The indicator's last known level, where paths start.
    pub start: f64,
    /// What is required of the paths.
    pub check: Check,
    /// The random stream's key (by convention the indicator key, `Hubei/gdp`).
    pub stream: String,
}

impl Goal {
    /// A goal with the empty stream key.
    pub fn new(model: Model, start: f64, check: Check) -> Self {
        Goal {
            model,
            start,
            check,
            stream: String::new(),
        }
    }

    /// The simplest goal: the level is at least (or at most) `threshold` after `years`
    /// years.
    pub fn level(
        model: Model,
        start: f64,
        threshold: f64,
        years: usize,
        comparator: Comparator,
    ) -> Self {
        Goal::new(
            model,
            start,
            Check {
                measure: Measure::Level(0),
                comparator,
                threshold: CheckThreshold::Level(threshold),
                from_step: 1,
                deadline_step: years,
            },
        )
    }

    /// The same goal on another random stream.
    pub fn with_stream(mut self, key: &str) -> Self {
        self.stream = key.to_string();
        self
    }

    fn validate(&self) -> Result<()> {
        if matches!(self.check.measure, Measure::Ratio { .. }) {
            return Err(SimulationError::RatioNeedsJointSimulation.into());
        }
        Ok(())
    }

    /// The engine set up for this goal under `model` (the goal's own model or a variant
    /// of it), with no quantiles: only the check is counted. Every analysis function
    /// builds its runs here, so they all share the goal's paths (common random numbers).
    pub fn simulator<'m>(&self, model: &'m Model, settings: RunSettings) -> Simulator<'m, Model> {
        Simulator::new(model, self.start, self.check.deadline_step)
            .quantiles(&[])
            .paths(settings.paths)
            .seed(settings.seed)
            .stream(&self.stream)
            .check(self.check)
    }

    /// `P(goal met at the deadline)` under `model`.
    fn probability_with(&self, model: &Model, settings: RunSettings) -> Result<f64> {
        self.validate()?;
        let out = self.simulator(model, settings).run()?;
        Ok(out.checks[0].at_deadline as f64 / out.paths as f64)
    }

    /// `P(goal met at the deadline)` from `settings.paths` paths under `settings.seed`.
    ///
    /// ```
    /// use goalcast::RunSettings;
    /// use goalcast::analysis::Goal;
    /// use goalcast::process::{LogNormalGrowth, Model};
    /// use goalcast::target::Comparator;
    ///
    /// let model = Model::LogNormal(LogNormalGrowth::new(0.10, 0.05).unwrap());
    /// // the median path: 100 · 1.1⁵
    /// let goal = Goal::level(model, 100.0, 100.0 * 1.1f64.powi(5), 5, Comparator::AtLeast);
    /// let p = goal.probability(RunSettings { paths: 20_000, seed: 1, ..Default::default() })?;
    /// assert!((p - 0.5).abs() < 0.02);
    /// # Ok::<(), goalcast::Error>(())
    /// ```
    pub fn probability(&self, settings: RunSettings) -> Result<f64> {
        self.probability_with(&self.model, settings)
    }
}

/// Everything the analysis says about one target: the growth it would take for the
/// [`DEFAULT_PROBABILITIES`], the progress categories (for goals on the level at the
/// deadline) and the sensitivity to every parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetAnalysis {
    /// Central growth for 50 %, 80 % and 90 % chances.
    pub growth_needed: Vec<RequiredGrowth>,
    /// Forward-looking progress categories at the deadline, as probabilities, where they
    /// apply.
    pub progress: Option<ProgressOutlook>,
    /// The probability under ± shifts of every parameter.
    pub sensitivity: Sensitivity,
    /// The probability as a function of central growth, where the paths' critical
    /// shifts exist (see [`critical_shifts`]).
    pub growth_curve: Option<GrowthCurve>,
}

/// Runs the whole analysis of one goal (named `target` in the sensitivity table), with
/// common random numbers throughout: one pass gives every path's critical shift (where
/// the model says how its paths move; else bisection) and, on the same paths, the
/// tallies of the goal and of its progress boundaries — so the growth needed, the growth
/// curve, the progress categories, the base probability and the growth rows of the
/// sensitivity; the other parameters are re-run.
pub fn analyse(target: &str, goal: &Goal, settings: RunSettings) -> Result<TargetAnalysis> {
    goal.validate()?;
    // On a level goal the progress boundaries are counted on the same pass.
    let level = matches!(goal.check.measure, Measure::Level(0));
    let (sim, setup) = if level {
        let (sim, setup) = progress::progress_run(goal, settings)?;
        (sim, Some(setup))
    } else {
        (goal.simulator(&goal.model, settings), None)
    };
    let Some((shifts, counts)) = critical_shifts_of(&sim, &goal.model, 0)? else {
        return Ok(TargetAnalysis {
            growth_needed: required_growth_by_bisection(goal, settings, &DEFAULT_PROBABILITIES)?,
            progress: level
                .then(|| progress_categories(goal, settings))
                .transpose()?,
            sensitivity: sensitivity(target, goal, settings, &Shifts::default())?,
            growth_curve: None,
        });
    };
    let at_deadline: Vec<u64> = counts.iter().map(|c| c.at_deadline).collect();
    Ok(TargetAnalysis {
        growth_needed: DEFAULT_PROBABILITIES
            .iter()
            .map(|&p| shifts.required(p))
            .collect(),
        progress: setup
            .map(|s| s.outlook(goal.model.median_growth(), &at_deadline, settings.paths)),
        sensitivity: sensitivity_with_shifts(
            target,
            goal,
            settings,
            &Shifts::default(),
            Some(&shifts),
        )?,
        growth_curve: Some(shifts.curve()),
    })
}

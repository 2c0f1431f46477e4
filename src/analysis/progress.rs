//! goalcast's forward-looking progress categories: the probability of each category
//! *at the deadline*, with actual growth on a path from the latest value against the
//! growth required *from the latest value*. The thresholds are those of Eurostat's SDG
//! monitoring and Statistics Canada's method; their official assessments, from history,
//! are [`crate::official`].

use std::fmt;

use super::Goal;
use crate::error::{Result, SimulationError};
use crate::process::Model;
use crate::sim::RunSettings;
use crate::sim::{Check, CheckThreshold, Measure, Simulator};
use crate::target::Comparator;

/// Lowest ratio of actual to required growth that is "on track" (95 %).
pub const ON_TRACK_RATIO: f64 = 0.95;

/// Lowest ratio of actual to required growth that is "moderate progress" (60 %).
pub const MODERATE_RATIO: f64 = 0.60;

/// A progress category: the ratio of a path's actual compound growth to the growth the
/// goal requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Progress {
    /// Ratio ≥ 95 %: significant progress, on track.
    OnTrack,
    /// 60 % ≤ ratio < 95 %: moderate progress.
    Moderate,
    /// 0 ≤ ratio < 60 %: insufficient progress.
    Insufficient,
    /// Ratio < 0: moving away from the goal.
    MovingAway,
}

impl Progress {
    /// The categories from best to worst (the order of [`ProgressOutlook::probabilities`]).
    pub const ALL: [Progress; 4] = [
        Progress::OnTrack,
        Progress::Moderate,
        Progress::Insufficient,
        Progress::MovingAway,
    ];

    /// The category of a ratio of actual to required growth.
    ///
    /// ```
    /// use goalcast::analysis::Progress;
    /// assert_eq!(Progress::of_ratio(0.95), Progress::OnTrack);
    /// assert_eq!(Progress::of_ratio(0.6), Progress::Moderate);
    /// assert_eq!(Progress::of_ratio(0.0), Progress::Insufficient);
    /// assert_eq!(Progress::of_ratio(-0.1), Progress::MovingAway);
    /// ```
    pub fn of_ratio(ratio: f64) -> Progress {
        if ratio >= ON_TRACK_RATIO {
            Progress::OnTrack
        } else if ratio >= MODERATE_RATIO {
            Progress::Moderate
        } else if ratio >= 0.0 {
            Progress::Insufficient
        } else {
            Progress::MovingAway
        }
    }

    /// Name in tables: `on_track`, `moderate`, `insufficient`, `moving_away`.
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::OnTrack => "on_track",
            Progress::Moderate => "moderate",
            Progress::Insufficient => "insufficient",
            Progress::MovingAway => "moving_away",
        }
    }

    /// Chinese label for charts.
    pub fn name_zh(self) -> &'static str {
        match self {
            Progress::OnTrack => "进展顺利",
            Progress::Moderate => "进展一般",
            Progress::Insufficient => "进展不足",
            Progress::MovingAway => "背离目标",
        }
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A goal's progress category, deterministic and as probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressOutlook {
    /// Compound annual growth required from the start (for a goal measured from a
    /// simulated base year: from that year) to meet the goal exactly at the deadline.
    pub required_growth: f64,
    /// Whether the start already meets the goal (required growth zero or in the goal's
    /// favour); the categories are then "on track" (still met at the deadline) or
    /// "moving away" (no longer met), as the growth ratio says nothing.
    pub already_met: bool,
    /// The category of the path growing at the model's central growth g every year
    /// (ratio `g/r`): what a deterministic projection of the central assumption says.
    pub deterministic: Progress,
    /// The category of the median path (the one whose ratio is the median over paths),
    /// read from the probabilities: the first category, best to worst, at which their
    /// running total reaches ½.
    pub median: Progress,
    /// P(category), in the order of [`Progress::ALL`] (best to worst); they sum to 1.
    pub probabilities: [f64; 4],
    /// Number of paths.
    pub paths: u64,
}

impl ProgressOutlook {
    /// The probability of one category.
    pub fn probability(&self, category: Progress) -> f64 {
        self.probabilities[category as usize]
    }
}

/// The forward-looking progress category of `goal` on every path (thresholds of the
/// Eurostat / Statistics Canada rule; not their official, historical assessment:
/// [`crate::official`]).
///
/// For a path from `X₀` to `X_T`, the actual compound growth is `a = (X_T/X₀)^{1/T} − 1`
/// and the required growth `r = (K/X₀)^{1/T} − 1`; the category follows the ratio `a/r`
/// ([`Progress::of_ratio`]). For `r ≠ 0`, `a/r ≥ c` ⟺ `X_T ≥ X₀·(1+c·r)^T` when
/// r > 0 (`≤` when r < 0), so each category boundary (c = 0.95, 0.6, 0) is one more
/// level check at the deadline on the same paths, and the probabilities are exact
/// integer counts. A goal measured from a simulated base year B (a relative threshold)
/// uses the path's own `X_B` in place of `X₀` and `T − B` years.
///
/// Only goals on the level at the deadline (measure [`Measure::Level`]) have a required
/// growth; other measures are an error.
///
/// ```
/// use goalcast::RunSettings;
/// use goalcast::analysis::{Goal, Progress, progress_categories};
/// use goalcast::process::{LogNormalGrowth, Model};
/// use goalcast::target::Comparator;
///
/// // 12 % central growth against a goal of 14 % a year for 6 years: ratio 0.86.
/// let model = Model::LogNormal(LogNormalGrowth::new(0.12, 0.046).unwrap());
/// let goal = Goal::level(model, 1254.7, 1254.7 * 1.14f64.powi(6), 6, Comparator::AtLeast);
/// let outlook = progress_categories(&goal, RunSettings { paths: 20_000, seed: 1, ..Default::default() })?;
/// assert_eq!(outlook.deterministic, Progress::Moderate);
/// assert_eq!(outlook.median, Progress::Moderate);
/// assert!(outlook.probability(Progress::OnTrack) > 0.2); // yet on track on many paths
/// assert!((outlook.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// # Ok::<(), goalcast::Error>(())
/// ```
pub fn progress_categories(goal: &Goal, settings: RunSettings) -> Result<ProgressOutlook> {
    let (sim, setup) = progress_run(goal, settings)?;
    let out = sim.run()?;
    let counts: Vec<u64> = out.checks.iter().map(|k| k.at_deadline).collect();
    Ok(setup.outlook(goal.model.median_growth(), &counts, out.paths))
}

/// The run [`progress_categories`] counts on: the goal's own check first, then one check
/// per category boundary; and how its counts become the outlook.
pub(super) fn progress_run<'m>(
    goal: &'m Goal,
    settings: RunSettings,
) -> Result<(Simulator<'m, Model>, ProgressSetup)> {
    goal.validate()?;
    let c = goal.check;
    if !matches!(c.measure, Measure::Level(0)) {
        return Err(SimulationError::NeedsLevelGoal.into());
    }
    // The base step and the total growth factor the goal requires from it.
    let (base, factor) = match c.threshold {
        CheckThreshold::Level(k) => (0, k / goal.start),
        CheckThreshold::Relative { step, factor } => (step, factor),
    };
    let years = c
        .deadline_step
        .checked_sub(base)
        .filter(|&n| n > 0)
        .ok_or(SimulationError::DeadlineNotAfterBase)?;
    let setup = ProgressSetup::new(factor, years, c.comparator);
    let threshold = |f: f64| match c.threshold {
        CheckThreshold::Level(_) => CheckThreshold::Level(goal.start * f),
        CheckThreshold::Relative { step, .. } => CheckThreshold::Relative { step, factor: f },
    };
    let mut sim = goal.simulator(&goal.model, settings);
    for f in setup.boundaries() {
        sim = sim.check(Check {
            measure: Measure::Level(0),
            comparator: setup.toward,
            threshold: threshold(f),
            from_step: c.deadline_step,
            deadline_step: c.deadline_step,
        });
    }
    Ok((sim, setup))
}

/// What the progress categories of a goal need, whatever its measure: the required
/// growth and the boundaries of the categories as multiples of the start value.
/// [`progress_categories`] uses it on a level; the assessment on a share (the ratio of
/// two jointly simulated indicators), with the same rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProgressSetup {
    /// Compound annual growth `r = factor^{1/T} − 1` that meets the goal exactly.
    pub required: f64,
    /// The start already meets the goal.
    pub already_met: bool,
    /// The direction in which the ratio `a/r` grows (`≥` when r > 0).
    pub toward: Comparator,
    factor: f64,
    years: f64,
    comparator: Comparator,
}

impl ProgressSetup {
    /// A goal requiring `factor` times the start value (`K/X₀`) after `years` years,
    /// at least or at most (`comparator`).
    pub fn new(factor: f64, years: usize, comparator: Comparator) -> Self {
        let n = years as f64;
        let required = (factor.ln() / n).exp_m1();
        let already_met = match comparator {
            Comparator::AtLeast => required <= 0.0,
            Comparator::AtMost => required >= 0.0,
        };
        let toward = if required > 0.0 {
            Comparator::AtLeast
        } else {
            Comparator::AtMost
        };
        ProgressSetup {
            required,
            already_met,
            toward,
            factor,
            years: n,
            comparator,
        }
    }

    /// The multiples of the start value at the category boundaries `a/r` = 0.95, 0.6
    /// and 0 (`(1 + c·r)^T`), each to be checked with [`ProgressSetup::toward`] at the
    /// deadline; none when the goal is already met.
    pub fn boundaries(&self) -> Vec<f64> {
        if self.already_met {
            return Vec::new();
        }
        [ON_TRACK_RATIO, MODERATE_RATIO, 0.0]
            .into_iter()
            .map(|ratio| (self.years * (ratio * self.required).ln_1p()).exp())
            .collect()
    }

    /// The outlook from the counts at the deadline of the goal's own check (first) and
    /// of the [`ProgressSetup::boundaries`] checks (after it), over `paths` paths, with
    /// `central` the central growth of the measure.
    pub fn outlook(&self, central: f64, counts: &[u64], paths: u64) -> ProgressOutlook {
        let total = paths as f64;
        let share = |hits: u64| hits as f64 / total;
        let (probabilities, deterministic) = if self.already_met {
            let met = share(counts[0]);
            let still_met = self
                .comparator
                .holds(self.years * central.ln_1p(), self.factor.ln());
            (
                [met, 0.0, 0.0, 1.0 - met],
                if still_met {
                    Progress::OnTrack
                } else {
                    Progress::MovingAway
                },
            )
        } else {
            // Paths with ratio ≥ 0.95, ≥ 0.6, ≥ 0: nested sets, counted on the same paths.
            let at_least = &counts[1..];
            (
                [
                    share(at_least[0]),
                    share(at_least[1] - at_least[0]),
                    share(at_least[2] - at_least[1]),
                    share(paths - at_least[2]),
                ],
                Progress::of_ratio(central / self.required),
            )
        };
        let mut running = 0.0;
        let median = Progress::ALL
            .into_iter()
            .zip(probabilities)
            .find(|&(_, p)| {
                running += p;
                running >= 0.5
            })
            .map_or(Progress::MovingAway, |(category, _)| category);
        ProgressOutlook {
            required_growth: self.required,
            already_met: self.already_met,
            deterministic,
            median,
            probabilities,
            paths,
        }
    }
}

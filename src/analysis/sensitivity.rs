//! Sensitivity of a goal's probability to each parameter of its model (a tornado).

use super::Goal;
use super::critical::CriticalShifts;
use crate::error::{Error, Result};
use crate::process::Model;
use crate::sim::RunSettings;

use rayon::prelude::*;

/// How far a parameter is moved down and up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shift {
    /// `value ∓ d` (for growth, d = 0.01 is one percentage point).
    Absolute(f64),
    /// `value · (1 ∓ f)` (f = 0.25 is ±25 % of the value).
    Relative(f64),
    /// Not shifted: no row (for a parameter that is a definition rather than an
    /// assumption, such as the `upper` bound of a share).
    Hold,
}

impl Shift {
    /// The low and high values around `value` (`None` for [`Shift::Hold`]).
    pub fn apply(self, value: f64) -> Option<(f64, f64)> {
        match self {
            Shift::Absolute(d) => Some((value - d, value + d)),
            Shift::Relative(f) => Some((value * (1.0 - f), value * (1.0 + f))),
            Shift::Hold => None,
        }
    }
}

/// The shift of each parameter: named ones, and a default for the rest.
///
/// The default ([`Shifts::default`]) moves `growth` by ±1 percentage point
/// (`Absolute(0.01)`), holds `upper` (the bound of a share, a definition), and moves
/// every other parameter — volatility, and whatever a model adds (persistence, shock
/// probability, degrees of freedom …) — by ±25 % of its value (`Relative(0.25)`): a
/// parameter at zero therefore does not move.
#[derive(Debug, Clone, PartialEq)]
pub struct Shifts {
    /// Shifts of named parameters (names as in [`crate::process::Model::parameters`]).
    pub by_parameter: Vec<(String, Shift)>,
    /// The shift of any parameter not named.
    pub default: Shift,
}

impl Default for Shifts {
    fn default() -> Self {
        Shifts {
            by_parameter: vec![
                ("growth".to_string(), Shift::Absolute(0.01)),
                ("upper".to_string(), Shift::Hold),
            ],
            default: Shift::Relative(0.25),
        }
    }
}

impl Shifts {
    /// The shift of the parameter `name`.
    pub fn for_parameter(&self, name: &str) -> Shift {
        self.by_parameter
            .iter()
            .find(|(n, _)| n == name)
            .map_or(self.default, |&(_, s)| s)
    }
}

/// One bar of a tornado: a parameter moved down and up.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    /// Parameter name (`growth`, `volatility`, …).
    pub parameter: String,
    /// Its value in the model.
    pub base_value: f64,
    /// The value moved down.
    pub low_value: f64,
    /// The value moved up.
    pub high_value: f64,
    /// P(goal) at the low value; `None` when the model refuses that value (a volatility
    /// below zero, a persistence of 1 or more …).
    pub p_low: Option<f64>,
    /// P(goal) at the high value; `None` when the model refuses it.
    pub p_high: Option<f64>,
}

impl SensitivityRow {
    /// The width of the bar: `|p_high − p_low|`, or the distance of the one side the
    /// model accepts from `p_base`.
    pub fn swing(&self, p_base: f64) -> f64 {
        let lo = self.p_low.unwrap_or(p_base);
        let hi = self.p_high.unwrap_or(p_base);
        (hi - lo).abs()
    }
}

/// A goal's probability and how it moves with each parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// The target's id.
    pub target: String,
    /// P(goal) under the model as given.
    pub p_base: f64,
    /// Paths per run.
    pub paths: u64,
    /// One row per parameter, largest swing first (ties in the model's order).
    pub rows: Vec<SensitivityRow>,
}

/// P(`goal`) with each of the model's parameters ([`crate::process::Model::parameters`])
/// moved down and up by `shifts`, the others held at their values.
///
/// Every run uses the same seed and stream, so the differences `p_high − p_base` and
/// `p_base − p_low` are differences on the *same* paths (common random numbers): their
/// Monte Carlo error is far below that of each probability, and a parameter that does
/// not matter shows no bar at all rather than noise.
///
/// ```
/// use goalcast::RunSettings;
/// use goalcast::analysis::{Goal, Shifts, sensitivity};
/// use goalcast::report::tables::sensitivity_csv;
/// use goalcast::process::{LogNormalGrowth, Model};
/// use goalcast::target::Comparator;
///
/// let model = Model::LogNormal(LogNormalGrowth::new(0.12, 0.046).unwrap());
/// let goal = Goal::level(model, 1254.7, 1254.7 * 1.14f64.powi(6), 6, Comparator::AtLeast);
/// let settings = RunSettings { paths: 20_000, seed: 1, ..Default::default() };
/// let s = sensitivity("000_rd_growth", &goal, settings, &Shifts::default())?;
/// assert_eq!(s.rows[0].parameter, "growth"); // the largest swing comes first
/// let growth = &s.rows[0];
/// assert!(growth.p_low.unwrap() < s.p_base && s.p_base < growth.p_high.unwrap());
/// let csv = String::from_utf8(sensitivity_csv(&[s]).unwrap()).unwrap();
/// assert!(csv.starts_with("target,parameter,base_value,low_value,high_value,p_low,p_base,p_high\n"));
/// # Ok::<(), goalcast::Error>(())
/// ```
pub fn sensitivity(
    target: &str,
    goal: &Goal,
    settings: RunSettings,
    shifts: &Shifts,
) -> Result<Sensitivity> {
    sensitivity_with_shifts(target, goal, settings, shifts, None)
}

/// [`sensitivity`], with the base probability and the `growth` rows read from the
/// paths' critical shifts (`critical`, of the same goal and settings) instead of re-run:
/// the same counts, from the same paths, without three more runs.
pub fn sensitivity_with_shifts(
    target: &str,
    goal: &Goal,
    settings: RunSettings,
    shifts: &Shifts,
    critical: Option<&CriticalShifts>,
) -> Result<Sensitivity> {
    goal.validate()?;
    let p_base = match critical {
        Some(c) => c.base_probability(),
        None => goal.probability_with(&goal.model, settings)?,
    };
    let p_with = |name: &str, value: f64| -> Result<Option<f64>> {
        let p = |model: Model| match critical {
            Some(c) if name == "growth" => Ok(c.probability_at(model.median_growth())),
            _ => goal.probability_with(&model, settings),
        };
        match goal.model.with_parameter(name, value).and_then(p) {
            Ok(p) => Ok(Some(p)),
            // A value outside the parameter's domain, or one that puts the start out of
            // the model's range (the goal itself ran above): no bar on that side.
            Err(Error::Parameter { .. } | Error::Simulation(_)) => Ok(None),
            Err(e) => Err(e),
        }
    };
    // Each re-run draws the same streams whatever ran before it, so they run side by
    // side; the rows keep the model's order.
    let moved: Vec<(&str, f64, f64, f64)> = goal
        .model
        .parameters()
        .into_iter()
        .filter_map(|(name, value)| {
            let (low, high) = shifts.for_parameter(name).apply(value)?;
            Some((name, value, low, high))
        })
        .collect();
    let mut rows = moved
        .into_par_iter()
        .map(|(name, base_value, low_value, high_value)| {
            let (p_low, p_high) =
                rayon::join(|| p_with(name, low_value), || p_with(name, high_value));
            Ok(SensitivityRow {
                parameter: name.to_string(),
                base_value,
                low_value,
                high_value,
                p_low: p_low?,
                p_high: p_high?,
            })
        })
        .collect::<Vec<Result<SensitivityRow>>>()
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    // Stable sort: equal swings keep the model's order.
    rows.sort_by(|a, b| b.swing(p_base).total_cmp(&a.swing(p_base)));
    Ok(Sensitivity {
        target: target.to_string(),
        p_base,
        paths: settings.paths,
        rows,
    })
}

//! Goals settled by observed values: the deadline year is published, or the goal is met
//! (or broken) in a year already observed. Nothing is simulated for them; the outcome
//! carries the observed figure and its source.

use crate::indicator::{Indicator, IndicatorKey};
use crate::io::catalogue::Catalogue;
use crate::target::{Comparator, Target, TargetKind, Unsimulated};

/// An outcome settled by data.
#[derive(Debug, Clone, PartialEq)]
pub struct Settled {
    /// [`Unsimulated::AlreadyMet`] or [`Unsimulated::AlreadyMissed`].
    pub status: Unsimulated,
    /// The observed year that settles it.
    pub year: i32,
    /// The observed figure in the goal's terms: a level (in the indicator's unit), a
    /// share in percent, a total, or a growth in percent.
    pub observed: f64,
    /// What the goal requires, in the same terms.
    pub required: f64,
    /// Where the observed figure comes from.
    pub source: String,
}

/// The year goals of `document` are measured from, when its targets state one: the
/// commonest base year among them (the latest of equally common ones).
pub(super) fn document_base_year(catalogue: &Catalogue, document: &str) -> Option<i32> {
    let mut counts = std::collections::BTreeMap::new();
    for t in catalogue.targets.iter().filter(|t| t.document == document) {
        if let Some(b) = t.base_year {
            *counts.entry(b).or_insert(0usize) += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(year, n)| (n, year))
        .map(|(y, _)| y)
}

/// The outcome of `t` if observed values settle it, else `None`.
///
/// * level, share: the value in the deadline year decides; before it, an "at least"
///   goal met in an observed year from the goal's base year on (the document's, when
///   the goal states none) is met;
/// * increase and decline, growth: the deadline year's value against the base value
///   times the factor (an increase met early is met);
/// * cumulative: the observed total of the window reaching the goal is met, a complete
///   window decides;
/// * every-year minimum and growth: a year of the window that breaks the goal settles it
///   as missed; a complete window that keeps it, as met.
pub fn settle(t: &Target, catalogue: &Catalogue) -> Option<Settled> {
    if !t.kind.is_simulated() {
        return None;
    }
    let value = t.value?;
    let indicator = catalogue.indicators.iter().find(|i| i.key == t.indicator)?;
    let from = t
        .base_year
        .or_else(|| document_base_year(catalogue, &t.document))
        .unwrap_or(i32::MIN);
    let outcome = |year: i32, observed: f64, required: f64, holds: bool| Settled {
        status: if holds {
            Unsimulated::AlreadyMet
        } else {
            Unsimulated::AlreadyMissed
        },
        year,
        observed,
        required,
        source: indicator.sources.get(&year).cloned().unwrap_or_default(),
    };
    let holds = |x: f64, k: f64| t.comparator.holds(x.ln(), k.ln());
    let early = t.comparator == Comparator::AtLeast;
    // A level-like figure per year, and what it must reach.
    let by_level = |figure: &dyn Fn(i32) -> Option<f64>, k: f64| {
        if let Some(x) = figure(t.deadline) {
            return Some(outcome(t.deadline, x, k, holds(x, k)));
        }
        // Only observed years can settle it (a goal with no base year starts from the
        // earliest one, not from every year since `i32::MIN`).
        let mut observed: Vec<i32> = indicator
            .history
            .iter()
            .map(|h| h.year)
            .filter(|&y| early && y >= from && y < t.deadline)
            .collect();
        observed.sort_unstable();
        let met = observed
            .into_iter()
            .find_map(|y| figure(y).filter(|&x| holds(x, k)).map(|x| (y, x)));
        met.map(|(y, x)| outcome(y, x, k, true))
    };
    match t.kind {
        TargetKind::Level => by_level(&|y| indicator.value_in(y), value),
        TargetKind::Share => {
            let d = IndicatorKey::new(
                t.indicator.jurisdiction.clone(),
                t.denominator.clone().unwrap_or_default(),
            );
            let den: &Indicator = catalogue.indicators.iter().find(|i| i.key == d)?;
            let ratio = |y: i32| Some(100.0 * indicator.value_in(y)? / den.value_in(y)?);
            by_level(&ratio, value)
        }
        TargetKind::Growth | TargetKind::Increase | TargetKind::Decline => {
            let base_year = t.base_year?;
            let base = t.base_value.or_else(|| indicator.value_in(base_year))?;
            let k = base * t.factor()?;
            if t.kind == TargetKind::Increase {
                by_level(&|y| indicator.value_in(y).filter(|_| y > base_year), k)
            } else {
                let x = indicator.value_in(t.deadline)?;
                Some(outcome(t.deadline, x, k, holds(x, k)))
            }
        }
        TargetKind::Cumulative => {
            let window: Vec<i32> = (t.base_year? + 1..=t.deadline).collect();
            let observed: Vec<(i32, f64)> = window
                .iter()
                .map_while(|&y| indicator.value_in(y).map(|x| (y, x)))
                .collect();
            let (&(last, _), total) = (
                observed.last()?,
                observed.iter().map(|(_, x)| x).sum::<f64>(),
            );
            let complete = observed.len() == window.len();
            let reached = total >= value;
            // Later years add positive amounts: a total at or above an "at most" goal
            // before the window ends breaks it.
            match t.comparator {
                Comparator::AtLeast if reached || complete => {
                    Some(outcome(last, total, value, reached))
                }
                Comparator::AtMost if complete => Some(outcome(last, total, value, total <= value)),
                Comparator::AtMost if reached => Some(outcome(last, total, value, false)),
                _ => None,
            }
        }
        TargetKind::PerYear | TargetKind::GrowthEveryYear => {
            let window: Vec<i32> = (t.base_year? + 1..=t.deadline).collect();
            let growth = t.kind == TargetKind::GrowthEveryYear;
            let figure = |y: i32| {
                let x = indicator.value_in(y)?;
                if growth {
                    Some(100.0 * (x / indicator.value_in(y - 1)? - 1.0))
                } else {
                    Some(x)
                }
            };
            let keeps = |x: f64| {
                if growth {
                    t.comparator
                        .holds((1.0 + x / 100.0).ln(), (1.0 + value / 100.0).ln())
                } else {
                    holds(x, value)
                }
            };
            let mut last = None;
            for &y in &window {
                let x = figure(y)?;
                if !keeps(x) {
                    return Some(outcome(y, x, value, false));
                }
                last = Some((y, x));
            }
            last.map(|(y, x)| outcome(y, x, value, true))
        }
        TargetKind::Rank | TargetKind::Milestone => None,
    }
}

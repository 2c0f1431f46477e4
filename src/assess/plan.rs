//! What each target asks of which indicators, and which indicators are simulated
//! together: the planning half of an assessment, decided before any path is drawn.

use std::collections::BTreeMap;

use super::base_needed::Waiting;
use crate::error::{Error, Result};
use crate::indicator::{Indicator, IndicatorKey, Observation};
use crate::io::catalogue::Catalogue;
use crate::reference::ReferenceClasses;
use crate::scenario::{Assumption, Scenario};
use crate::target::{Comparator, Target, TargetKind, Threshold, Unsimulated};

/// What a target asks of which indicators, in level units.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) target: usize,
    pub(super) measure: PlanMeasure,
    pub(super) comparator: Comparator,
    pub(super) threshold: Threshold,
    /// The fixed value as the target states it (before the whole-number adjustment of
    /// counts), for reports.
    pub(super) stated: Option<f64>,
    /// First year of the window in which the condition is checked.
    pub(super) from_year: i32,
    pub(super) deadline: i32,
    /// For a goal that needs no base level on an indicator with no known value: the
    /// base year, where its paths start as an index (level 1).
    pub(super) index_from: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlanMeasure {
    Level(usize),
    Ratio(usize, usize),
    Cumulative(usize),
    EveryYear(usize),
    EveryYearGrowth(usize),
}

impl PlanMeasure {
    pub(super) fn indicators(self) -> Vec<usize> {
        match self {
            PlanMeasure::Ratio(a, b) => vec![a, b],
            PlanMeasure::Level(i)
            | PlanMeasure::Cumulative(i)
            | PlanMeasure::EveryYear(i)
            | PlanMeasure::EveryYearGrowth(i) => vec![i],
        }
    }
}

/// A whole-number threshold for a count: `round(X) ≥ K` ⟺ `X ≥ ⌈K⌉ − ½`, and
/// `round(X) ≤ K` ⟺ `X ≤ ⌊K⌋ + ½`.
fn count_threshold(k: f64, comparator: Comparator) -> f64 {
    match comparator {
        Comparator::AtLeast => k.ceil() - 0.5,
        Comparator::AtMost => k.floor() + 0.5,
    }
}

pub(super) fn is_count(indicator: &Indicator) -> bool {
    indicator.unit == "count"
}

/// Works out what a target asks, or why it cannot be simulated.
pub(super) fn plan(
    index: usize,
    t: &Target,
    catalogue: &Catalogue,
) -> std::result::Result<Plan, Unsimulated> {
    if !t.kind.is_simulated() {
        return Err(Unsimulated::Recorded);
    }
    let value = t.value.ok_or(Unsimulated::NeedsValue)?;
    if let Some(settled) = super::settle::settle(t, catalogue) {
        return Err(settled.status);
    }
    let position = |key: &IndicatorKey| catalogue.indicators.iter().position(|i| &i.key == key);
    let i = position(&t.indicator).expect("every target's indicator is catalogued");
    let indicator = &catalogue.indicators[i];
    let Some(start) = indicator.base else {
        return plan_index(index, t, value, i);
    };
    if t.deadline <= start.year {
        return Err(Unsimulated::DeadlineNotAfterBase);
    }
    let count = is_count(indicator);
    let fixed = |k: f64| {
        Threshold::Level(if count {
            count_threshold(k, t.comparator)
        } else {
            k
        })
    };
    let after_start = start.year + 1;
    let mut plan = Plan {
        target: index,
        measure: PlanMeasure::Level(i),
        comparator: t.comparator,
        threshold: Threshold::Level(value),
        stated: Some(value),
        from_year: after_start,
        deadline: t.deadline,
        index_from: None,
    };
    match t.kind {
        TargetKind::Level => plan.threshold = fixed(value),
        TargetKind::Growth | TargetKind::Increase | TargetKind::Decline => {
            plan.threshold = match t.threshold(indicator)? {
                Threshold::Level(k) => {
                    plan.stated = Some(k);
                    fixed(k)
                }
                relative @ Threshold::Relative { year, .. } => {
                    plan.from_year = year + 1;
                    plan.stated = None;
                    relative
                }
            };
        }
        TargetKind::Share => plan_share(&mut plan, t, value, catalogue, start)?,
        TargetKind::Cumulative | TargetKind::PerYear | TargetKind::GrowthEveryYear => {
            plan_window(&mut plan, t, value, indicator, start, fixed)?;
        }
        TargetKind::Rank | TargetKind::Milestone => unreachable!("filtered above"),
    }
    Ok(plan)
}

/// A goal that needs no base level — growth, an increase, a decline or growth in every
/// year, measured from a base year — on an indicator with no known value: its paths
/// start as an index (1 in the base year), and the goal is a multiple of it. Other kinds
/// need a base.
fn plan_index(
    index: usize,
    t: &Target,
    value: f64,
    i: usize,
) -> std::result::Result<Plan, Unsimulated> {
    let base_year = t.base_year.ok_or(Unsimulated::NeedsBaseline)?;
    if t.deadline <= base_year {
        return Err(Unsimulated::DeadlineNotAfterBase);
    }
    let (measure, threshold, stated) = match t.kind {
        TargetKind::Growth | TargetKind::Increase | TargetKind::Decline => {
            let factor = t.factor().ok_or(Unsimulated::NeedsBaseline)?;
            let relative = Threshold::Relative {
                year: base_year,
                factor,
            };
            (PlanMeasure::Level(i), relative, None)
        }
        TargetKind::GrowthEveryYear => {
            let factor = 1.0 + value / 100.0;
            (
                PlanMeasure::EveryYearGrowth(i),
                Threshold::Level(factor),
                Some(factor),
            )
        }
        _ => return Err(Unsimulated::NeedsBaseline),
    };
    Ok(Plan {
        target: index,
        measure,
        comparator: t.comparator,
        threshold,
        stated,
        from_year: base_year + 1,
        deadline: t.deadline,
        index_from: Some(base_year),
    })
}

/// A share: the ratio of the indicator to its denominator, simulated jointly.
fn plan_share(
    plan: &mut Plan,
    t: &Target,
    value: f64,
    catalogue: &Catalogue,
    start: Observation,
) -> std::result::Result<(), Unsimulated> {
    let position = |key: &IndicatorKey| catalogue.indicators.iter().position(|i| &i.key == key);
    let PlanMeasure::Level(i) = plan.measure else {
        unreachable!("a plan starts on its own indicator")
    };
    let indicator = &catalogue.indicators[i];

    let d = IndicatorKey::new(
        t.indicator.jurisdiction.clone(),
        t.denominator.clone().unwrap_or_default(),
    );
    let j = position(&d).expect("share denominators are catalogued");
    let den = &catalogue.indicators[j];
    let den_start = den.base.ok_or(Unsimulated::NeedsBaseline)?;
    if den.unit != indicator.unit {
        return Err(Unsimulated::UnitsDiffer);
    }
    plan.from_year = start.year.max(den_start.year) + 1;
    if t.deadline < plan.from_year {
        return Err(Unsimulated::DeadlineNotAfterBase);
    }
    plan.measure = PlanMeasure::Ratio(i, j);
    plan.threshold = Threshold::Level(value / 100.0);
    plan.stated = Some(value / 100.0);
    Ok(())
}

/// A goal over a window of years (a total, a minimum every year, growth every year): the
/// years of the window already observed are taken from history.
fn plan_window(
    plan: &mut Plan,
    t: &Target,
    value: f64,
    indicator: &Indicator,
    start: Observation,
    fixed: impl Fn(f64) -> Threshold,
) -> std::result::Result<(), Unsimulated> {
    let PlanMeasure::Level(i) = plan.measure else {
        unreachable!("a plan starts on its own indicator")
    };
    let after_start = start.year + 1;

    let base_year = t.base_year.ok_or(Unsimulated::NeedsBaseline)?;
    // Years of the window already observed are taken from history.
    let observed: Vec<i32> = (base_year + 1..=start.year).collect();
    let known = |y: i32| indicator.value_in(y).ok_or(Unsimulated::NeedsBaseline);
    plan.from_year = after_start.max(base_year + 1);
    match t.kind {
        TargetKind::Cumulative => {
            // Totals already reached are settled by `settle` before planning.
            let done: f64 = observed
                .iter()
                .map(|&y| known(y))
                .sum::<std::result::Result<f64, _>>()?;
            let remaining = value - done;
            plan.measure = PlanMeasure::Cumulative(i);
            plan.threshold = Threshold::Level(remaining);
            plan.stated = Some(remaining);
        }
        TargetKind::PerYear => {
            // Observed years that break the goal are settled by `settle`.
            for &y in &observed {
                known(y)?;
            }
            plan.measure = PlanMeasure::EveryYear(i);
            plan.threshold = fixed(value);
        }
        _ => {
            let factor = 1.0 + value / 100.0;
            for &y in &observed {
                known(y)?;
                known(y - 1)?;
            }
            plan.measure = PlanMeasure::EveryYearGrowth(i);
            plan.threshold = Threshold::Level(factor);
            plan.stated = Some(factor);
        }
    }
    Ok(())
}

/// Whether each target of `catalogue` can be simulated, and if not why — the same
/// decision [`super::assess`] makes, without simulating (no scenario needed).
pub fn readiness(catalogue: &Catalogue) -> Vec<std::result::Result<(), Unsimulated>> {
    catalogue
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| plan(i, t, catalogue).map(|_| ()))
        .collect()
}

/// Groups of indicators simulated jointly: those linked by a share target, or by a
/// correlation of their shocks (`links`).
pub(super) fn groups(
    n_indicators: usize,
    plans: &[Plan],
    links: &[(usize, usize)],
) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n_indicators).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut used = vec![false; n_indicators];
    for p in plans {
        let members = p.measure.indicators();
        for &m in &members {
            used[m] = true;
        }
        for w in members.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    for &(a, b) in links {
        if used[a] && used[b] {
            let (a, b) = (root(&mut parent, a), root(&mut parent, b));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in (0..n_indicators).filter(|&i| used[i]) {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    by_root.into_values().collect()
}

/// Pairs of catalogue indicators whose shocks the scenario correlates: they are
/// simulated jointly.
pub(super) fn correlation_links(
    catalogue: &Catalogue,
    scenario: &Scenario,
) -> Result<Vec<(usize, usize)>> {
    let named = |key: &IndicatorKey| {
        scenario
            .correlated_indicators()
            .iter()
            .any(|n| *n == key.id || *n == key.to_string())
    };
    let named: Vec<(usize, &Indicator)> = catalogue
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| named(&i.key))
        .collect();
    let mut links = Vec::new();
    for (n, &(a, ka)) in named.iter().enumerate() {
        for &(b, kb) in &named[n + 1..] {
            if let Some(l) = scenario.cholesky_for(&[ka.key.clone(), kb.key.clone()])?
                && l[[1, 0]] != 0.0
            {
                links.push((a, b));
            }
        }
    }
    Ok(links)
}

/// The assumption of one indicator: calibrated from its history when the scenario asks
/// (`model = "calibrated"`), the scenario's when it states one (or refuses to estimate),
/// else its own history or its reference class's prior.
fn assumption_of(
    catalogue: &Catalogue,
    indicator: &Indicator,
    scenario: &Scenario,
    classes: &ReferenceClasses,
) -> Result<Assumption> {
    if let Some(request) = scenario.calibration_for(&indicator.key) {
        let evidence = match &request.from {
            None => indicator,
            Some(key) => catalogue.series(key).ok_or_else(|| Error::Calibration {
                indicator: indicator.key.to_string(),
                reason: format!(
                    "scenario {} calibrates it from {key}, which has no values in the \
                     catalogue or the history",
                    request.scenario
                ),
            })?,
        };
        crate::reference::calibrated(indicator, evidence, &request)
    } else if scenario.states(&indicator.key) || !scenario.estimates_unstated() {
        scenario.assumption_for(&indicator.key)
    } else {
        scenario.allows_estimate(&indicator.key)?;
        classes.unstated(indicator)
    }
}

/// The assumption of every indicator of `groups`, resolved at once: one problem is
/// returned as it is, several together, so that an analyst sees every indicator the
/// scenario leaves without an assumption in one message. Indicators of goals waiting
/// for a base (`waiting`) get one where one can be had (the second map): they are not
/// simulated, so lacking one is no error.
pub(super) fn resolve_assumptions(
    catalogue: &Catalogue,
    scenario: &Scenario,
    classes: &ReferenceClasses,
    groups: &[Vec<usize>],
    waiting: &[Waiting],
) -> Result<(BTreeMap<usize, Assumption>, BTreeMap<usize, Assumption>)> {
    let mut resolved = BTreeMap::new();
    let mut problems = Vec::new();
    for &i in groups.iter().flatten() {
        match assumption_of(catalogue, &catalogue.indicators[i], scenario, classes) {
            Ok(a) => {
                resolved.insert(i, a);
            }
            Err(e) => problems.push(e),
        }
    }
    let spare = waiting
        .iter()
        .flat_map(|w| w.indicators.iter().copied())
        .filter_map(|i| {
            assumption_of(catalogue, &catalogue.indicators[i], scenario, classes)
                .ok()
                .map(|a| (i, a))
        })
        .collect();
    match problems.len() {
        0 => Ok((resolved, spare)),
        1 => Err(problems.remove(0)),
        _ => Err(Error::Assumptions {
            path: scenario.path.clone(),
            problems: problems.iter().map(ToString::to_string).collect(),
        }),
    }
}

/// Goals waiting for a base that a base-needed figure answers.
pub(super) fn waiting_for_a_base(
    catalogue: &Catalogue,
    outcomes: &[super::TargetOutcome],
) -> Vec<Waiting> {
    outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| o.result == Err(Unsimulated::NeedsBaseline))
        .filter_map(|(n, o)| super::base_needed::waiting(n, &o.target, catalogue))
        .collect()
}

/// Where each planned indicator's paths start: its last known value or, for an
/// indicator with no known value, an index of 1 in the earliest base year of its goals
/// (`true`).
pub(super) fn starts(
    catalogue: &Catalogue,
    plans: &[Plan],
) -> BTreeMap<usize, (Observation, bool)> {
    let mut starts = BTreeMap::new();
    for p in plans {
        for i in p.measure.indicators() {
            let start = match (catalogue.indicators[i].base, p.index_from) {
                (Some(base), _) => (base, false),
                (None, Some(year)) => (Observation { year, value: 1.0 }, true),
                (None, None) => {
                    unreachable!("a plan on an indicator with no value is an index plan")
                }
            };
            starts
                .entry(i)
                .and_modify(|s: &mut (Observation, bool)| {
                    if start.0.year < s.0.year {
                        *s = start;
                    }
                })
                .or_insert(start);
        }
    }
    starts
}

/// Refuses a scenario that names an indicator the catalogue does not have.
pub(super) fn check_scenario_keys(catalogue: &Catalogue, scenario: &Scenario) -> Result<()> {
    for key in scenario.indicator_keys() {
        let known = catalogue
            .indicators
            .iter()
            .any(|i| i.key.id == key || i.key.to_string() == key);
        if !known {
            return Err(Error::Scenario {
                path: scenario.path.clone(),
                line: None,
                key: format!("indicators.{key}"),
                reason: format!(
                    "the catalogue ({}) has no indicator `{key}`",
                    catalogue
                        .sources
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    Ok(())
}

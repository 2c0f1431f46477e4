//! What each target asks of which indicators, and which indicators are simulated
//! together: the planning half of an assessment, decided before any path is drawn.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::indicator::{Indicator, IndicatorKey, Observation};
use crate::io::catalogue::Catalogue;
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
    let position = |key: &IndicatorKey| catalogue.indicators.iter().position(|i| &i.key == key);
    let i = position(&t.indicator).expect("every target's indicator is catalogued");
    let indicator = &catalogue.indicators[i];
    let start = indicator.base.ok_or(Unsimulated::NeedsBaseline)?;
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
            let done: f64 = observed
                .iter()
                .map(|&y| known(y))
                .sum::<std::result::Result<f64, _>>()?;
            let remaining = value - done;
            if remaining <= 0.0 {
                return match t.comparator {
                    Comparator::AtLeast => Err(Unsimulated::AlreadyMet),
                    Comparator::AtMost => Err(Unsimulated::AlreadyMissed),
                };
            }
            plan.measure = PlanMeasure::Cumulative(i);
            plan.threshold = Threshold::Level(remaining);
            plan.stated = Some(remaining);
        }
        TargetKind::PerYear => {
            for &y in &observed {
                if !t.comparator.holds(known(y)?.ln(), value.ln()) {
                    return Err(Unsimulated::AlreadyMissed);
                }
            }
            plan.measure = PlanMeasure::EveryYear(i);
            plan.threshold = fixed(value);
        }
        _ => {
            let factor = 1.0 + value / 100.0;
            for &y in &observed {
                let growth = known(y)? / known(y - 1)?;
                if !t.comparator.holds(growth.ln(), factor.ln()) {
                    return Err(Unsimulated::AlreadyMissed);
                }
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

/// The assumption of every indicator of `groups`, resolved at once: one problem is
/// returned as it is, several together, so that an analyst sees every indicator the
/// scenario leaves without an assumption in one message.
pub(super) fn resolve_assumptions(
    catalogue: &Catalogue,
    scenario: &Scenario,
    groups: &[Vec<usize>],
) -> Result<BTreeMap<usize, Assumption>> {
    let mut resolved = BTreeMap::new();
    let mut problems = Vec::new();
    for &i in groups.iter().flatten() {
        match scenario.assumption_for(&catalogue.indicators[i].key) {
            Ok(a) => {
                resolved.insert(i, a);
            }
            Err(e) => problems.push(e),
        }
    }
    match problems.len() {
        0 => Ok(resolved),
        1 => Err(problems.remove(0)),
        _ => Err(Error::Assumptions {
            path: scenario.path.clone(),
            problems: problems.iter().map(ToString::to_string).collect(),
        }),
    }
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

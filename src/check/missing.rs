//! Missing figures: a document's figure that cannot be read (`needs_value`), and an
//! indicator with no known value where a simulable goal needs one (`needs_baseline`).

use std::collections::{BTreeMap, HashSet};

use crate::indicator::IndicatorKey;
use crate::io::catalogue::Catalogue;
use crate::io::history::History;
use crate::target::{Target, TargetKind, Unsimulated};

use super::facts::Facts;
use super::{Figure, Finding, FindingKind, Severity};

/// Every uncertain target: what can be read.
pub(super) fn needs_value(cat: &Catalogue, facts: &Facts) -> Vec<Finding> {
    cat.targets
        .iter()
        .filter(|t| t.uncertain)
        .map(|t| {
            let mut figures = Vec::new();
            if let (Some(y), Some(v)) = (t.base_year, t.base_value) {
                figures.push(Figure::new(
                    format!("base {y}"),
                    v,
                    facts.unit_of(&t.indicator),
                ));
            }
            let mut text = format!("Document {} writes «{}».", t.document, t.quote);
            if t.value.is_none() {
                text.push_str(&format!(
                    " The `{}` figure due {} cannot be read; supply it (target_value) to simulate.",
                    t.kind, t.deadline
                ));
            }
            if !t.note.is_empty() {
                text.push_str(&format!(" Reading: {}", t.note));
            }
            Finding::new(
                FindingKind::NeedsValue,
                Severity::Missing,
                &[t],
                Some(t.indicator.clone()),
                figures,
                text,
            )
        })
        .collect()
}

/// The targets the assessment would report as `needs_baseline`
/// ([`crate::assess::readiness`]). Which targets wait for a baseline is the assessment's
/// decision, not a second one; a target whose figure is unreadable is asked as if the
/// figure were supplied (any valid value: whether a base is known does not depend on it).
fn waiting(cat: &Catalogue, history: Option<&History>) -> HashSet<String> {
    let mut planned = history
        .and_then(|h| cat.clone().with_history(h).ok())
        .unwrap_or_else(|| cat.clone());
    for t in planned.targets.iter_mut().filter(|t| t.value.is_none()) {
        t.value = Some(1.0);
    }
    planned
        .targets
        .iter()
        .zip(crate::assess::readiness(&planned))
        .filter(|(_, r)| matches!(r, Err(Unsimulated::NeedsBaseline)))
        .map(|(t, _)| t.id.clone())
        .collect()
}

/// Simulable goals whose indicator has no known value where one is needed.
pub(super) fn needs_baseline(
    cat: &Catalogue,
    history: Option<&History>,
    facts: &Facts,
) -> Vec<Finding> {
    let waiting = waiting(cat, history);
    // missing indicator → (targets, what is needed)
    let mut missing: BTreeMap<IndicatorKey, Vec<(&Target, String)>> = BTreeMap::new();
    for t in cat.targets.iter().filter(|t| waiting.contains(&t.id)) {
        for (key, _, what) in needs_of(t, facts) {
            missing.entry(key).or_default().push((t, what));
        }
    }
    missing
        .into_iter()
        .map(|(key, items)| {
            let unit = facts.unit_of(&key);
            let targets: Vec<&Target> = items.iter().map(|(t, _)| *t).collect();
            let mut needs: Vec<String> = Vec::new();
            for (t, what) in &items {
                let line = format!("{what} for {}", t.id);
                if !needs.contains(&line) {
                    needs.push(line);
                }
            }
            let unit_text = if unit.is_empty() {
                "unit not stated by any row".to_string()
            } else {
                format!("in `{unit}`")
            };
            let text = format!(
                "No value of {key} ({unit_text}) is known from the documents or history. Supply {}.",
                needs.join("; ")
            );
            Finding::new(
                FindingKind::NeedsBaseline,
                Severity::Missing,
                &targets,
                Some(key),
                Vec::new(),
                text,
            )
        })
        .collect()
}

/// A value that goals waiting for a base need: a line to fill in a history file.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineNeed {
    /// The indicator whose value is needed.
    pub indicator: IndicatorKey,
    /// The year of the value: the goal's base year when it is measured from one, else
    /// the goal's base year if before its deadline, else the latest year any value of the
    /// catalogue or history describes (at most the year before the deadline).
    pub year: i32,
    /// The indicator's unit (empty when nothing states it).
    pub unit: String,
    /// The ids of the goals waiting for it.
    pub targets: Vec<String>,
    /// What of it each goal needs, in words.
    pub what: Vec<String>,
}

/// The values to supply, one per indicator and year, for every goal the assessment
/// would report as `needs_baseline`: filling them in (a history file) turns those goals
/// into answers. In indicator, then year order.
pub fn baseline_needs(cat: &Catalogue, history: Option<&History>) -> Vec<BaselineNeed> {
    let facts = Facts::new(cat, history);
    let waiting = waiting(cat, history);
    let latest = facts.latest_year();
    let mut needs: BTreeMap<(IndicatorKey, i32), BaselineNeed> = BTreeMap::new();
    for t in cat.targets.iter().filter(|t| waiting.contains(&t.id)) {
        for (key, year, what) in needs_of(t, &facts) {
            let year = year
                .or(t.base_year.filter(|&b| b < t.deadline))
                .or(latest.map(|y| y.min(t.deadline - 1)))
                .unwrap_or(t.deadline - 1);
            let need = needs
                .entry((key.clone(), year))
                .or_insert_with(|| BaselineNeed {
                    unit: facts.unit_of(&key),
                    indicator: key,
                    year,
                    targets: Vec::new(),
                    what: Vec::new(),
                });
            need.targets.push(t.id.clone());
            need.what.push(format!("{what} for {}", t.id));
        }
    }
    needs.into_values().collect()
}

/// The values a waiting target needs: which indicator, the year if the goal fixes it,
/// and what of it.
fn needs_of(t: &Target, facts: &Facts) -> Vec<(IndicatorKey, Option<i32>, String)> {
    let key = &t.indicator;
    let any = facts.latest_known(key).is_some();
    let mut needs = Vec::new();
    match t.kind {
        TargetKind::Level => {
            if !any {
                needs.push((
                    key.clone(),
                    None,
                    format!("a recent value (before {})", t.deadline),
                ));
            }
        }
        TargetKind::Growth | TargetKind::Increase | TargetKind::Decline => {
            let Some(b) = t.base_year else {
                return needs;
            };
            let stated = t.base_value.is_some() || facts.known_at(key, b).is_some();
            let earlier = facts.latest_known(key).is_some_and(|(y, _, _)| y < b);
            if !stated && !earlier {
                let what = if any {
                    format!("the {b} value (known values start after {b})")
                } else {
                    format!("the {b} value (or an earlier one)")
                };
                needs.push((key.clone(), Some(b), what));
            }
        }
        TargetKind::Share => {
            if t.base_value.is_some() {
                return needs;
            }
            if !any {
                let what = format!("a recent value (before {}, numerator)", t.deadline);
                needs.push((key.clone(), None, what));
            }
            if let Some(d) = &t.denominator {
                let dkey = IndicatorKey::new(key.jurisdiction.clone(), d.clone());
                if facts.latest_known(&dkey).is_none() {
                    let what = format!("a recent value (before {}, denominator)", t.deadline);
                    needs.push((dkey, None, what));
                }
            }
        }
        TargetKind::Cumulative | TargetKind::PerYear | TargetKind::GrowthEveryYear => {
            if !any {
                let what = "recent yearly values (the flow the goal sums or bounds)".to_string();
                needs.push((key.clone(), None, what));
            }
        }
        TargetKind::Rank | TargetKind::Milestone => {}
    }
    if needs.is_empty() {
        let what = format!("a known value in or before the base year of {}", t.id);
        needs.push((key.clone(), t.base_year, what));
    }
    needs
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::testing::{catalogue, history, hubei};
    use super::super::{FindingKind, Severity, check_catalogue};
    use crate::indicator::IndicatorKey;

    #[test]
    fn unreadable_figures_need_a_value() {
        let c = catalogue(
            "u,labs,Hubei,湖北实验室,Hubei labs,count,level,>=,,,,2025,003,建?0个左右湖北实验室,,true,tens digit lost,\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::NeedsValue).collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Missing);
        assert!(f[0].explanation.contains("建?0个左右湖北实验室"));
        assert!(f[0].explanation.contains("tens digit lost"));
    }

    #[test]
    fn goals_without_a_known_base_need_a_baseline() {
        let c = catalogue(
            "a,labs,Hubei,实验室,labs,count,level,>=,,,30,2028,000,q,,,,\n\
             b,rd,Hubei,研发,R&D,亿元,growth,>=,2023,,14,2028,000,q,,,,\n\
             c,rd,Hubei,研发,R&D,亿元,growth,>=,2015,,14,2020,000,q,,,,\n\
             d,rd,Hubei,研发强度,R&D share,%,share,>=,,,3,2028,000,q,gdp,,,\n\
             e,talents,Hubei,人才,talents,count,cumulative,>=,2023,,500,2028,000,q,,,,\n\
             f,rank,Hubei,排名,rank,rank,rank,<=,,,1,2028,000,q,,,,\n",
        );
        let h = history("rd,Hubei,2022,1254.7,亿元,\n");
        let r = check_catalogue(&c, Some(&h), &hubei());
        let needs = r.targets_in(FindingKind::NeedsBaseline);
        // b starts from the simulated 2023 level (history ends in 2022); c's deadline
        // (2020) is before the last known value, which the assessment reports as
        // `deadline_not_after_base`, not as a missing baseline.
        assert_eq!(needs, BTreeSet::from(["a", "d", "e"]), "{r:#?}");
        let gdp = r
            .of_kind(FindingKind::NeedsBaseline)
            .find(|f| f.indicator == Some(IndicatorKey::new("Hubei", "gdp")))
            .expect("the missing denominator is named");
        assert_eq!(gdp.targets, ["d"]);
    }
}

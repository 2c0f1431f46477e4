//! City beside province: goals of one indicator and kind in several jurisdictions, set
//! side by side (`side_by_side`; a problem when a city's additive goal exceeds the
//! province's), or `unit_mismatch` when the jurisdictions write them in different units.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::io::catalogue::Catalogue;
use crate::target::{Comparator, Target, TargetKind};

use super::facts::Facts;
use super::text::{
    is_additive_unit, kind_rank, num, pct_text, period, value_figure_unit, with_unit,
};
use super::{EXACT, Figure, Finding, FindingKind, PROVINCE, Severity};

/// Goals of one indicator and kind in several jurisdictions, side by side.
pub(super) fn side_by_side(cat: &Catalogue, facts: &Facts) -> Vec<Finding> {
    let position = super::positions(cat);
    // Keyed by the kind's position in `TargetKind::ALL` (the documentation's order).
    let mut groups: BTreeMap<(&str, usize), Vec<&Target>> = BTreeMap::new();
    for t in &cat.targets {
        if t.kind == TargetKind::Milestone {
            continue;
        }
        groups
            .entry((t.indicator.id.as_str(), kind_rank(t.kind)))
            .or_default()
            .push(t);
    }
    let mut findings = Vec::new();
    for ((id, _), mut group) in groups {
        let places: BTreeSet<&str> = group
            .iter()
            .map(|t| t.indicator.jurisdiction.as_str())
            .collect();
        if places.len() < 2 {
            continue;
        }
        group.sort_by_key(|t| {
            (
                t.indicator.jurisdiction != PROVINCE,
                t.indicator.jurisdiction.clone(),
                position[t.id.as_str()],
            )
        });
        findings.push(compare(id, &group, places.len(), &position, facts));
    }
    findings
}

/// One indicator's goals of one kind in `places` jurisdictions, wholes first.
fn compare(
    id: &str,
    group: &[&Target],
    places: usize,
    position: &HashMap<&str, usize>,
    facts: &Facts,
) -> Finding {
    let kind = group[0].kind;
    if let Some(mismatch) = mixed_units(id, group, facts) {
        return mismatch;
    }
    // One unit for every jurisdiction.
    let unit = facts.value_unit(group[0]);
    let (figures, lines) = listing(group, &unit);
    let mut text = format!(
        "`{kind}` goals on {id} in {places} jurisdictions: {}.",
        lines.join("; ")
    );
    let additive = matches!(
        kind,
        TargetKind::Level | TargetKind::Cumulative | TargetKind::PerYear
    ) && is_additive_unit(&unit);
    let mut exceeds = false;
    for part in group.iter().filter(|t| t.value.is_some()) {
        let Some(whole) = whole_of(part, group, position) else {
            continue;
        };
        let (sentence, above) = part_and_whole(part, whole, additive, &unit);
        text.push_str(&sentence);
        exceeds |= above;
    }
    let severity = if exceeds {
        Severity::Problem
    } else {
        Severity::Note
    };
    Finding::new(
        FindingKind::SideBySide,
        severity,
        group,
        None,
        figures,
        text,
    )
}

/// The `unit_mismatch` problem of a group whose jurisdictions write their figures in
/// different units.
fn mixed_units(id: &str, group: &[&Target], facts: &Facts) -> Option<Finding> {
    let units: BTreeMap<&str, String> = group
        .iter()
        .map(|t| (t.indicator.jurisdiction.as_str(), facts.value_unit(t)))
        .collect();
    let distinct: BTreeSet<&String> = units.values().collect();
    if distinct.len() <= 1 {
        return None;
    }
    let list: Vec<String> = units.iter().map(|(j, u)| format!("{j} `{u}`")).collect();
    Some(Finding::new(
        FindingKind::UnitMismatch,
        Severity::Problem,
        group,
        None,
        Vec::new(),
        format!(
            "`{}` goals on {id} are written in different units: {}. They are not compared; write every jurisdiction's {id} in one unit.",
            group[0].kind,
            list.join(", ")
        ),
    ))
}

/// Every goal of the group as a figure (the readable ones) and as a line of text.
fn listing(group: &[&Target], unit: &str) -> (Vec<Figure>, Vec<String>) {
    let mut figures = Vec::new();
    let mut lines = Vec::new();
    for t in group {
        let label = format!("{} {}", t.indicator.jurisdiction, period(t));
        match t.value {
            Some(v) => {
                let fig_unit = value_figure_unit(t, unit);
                lines.push(format!("{label} {} ({})", with_unit(v, &fig_unit), t.id));
                figures.push(Figure::new(label, v, fig_unit));
            }
            None => lines.push(format!("{label} unreadable ({})", t.id)),
        }
    }
    (figures, lines)
}

/// The goal a city's goal is compared with: the province's readable goal whose deadline
/// is closest (none for the province's own goals).
fn whole_of<'t>(
    part: &Target,
    group: &[&'t Target],
    position: &HashMap<&str, usize>,
) -> Option<&'t Target> {
    if part.indicator.jurisdiction == PROVINCE {
        return None;
    }
    group
        .iter()
        .copied()
        .filter(|t| t.indicator.jurisdiction == PROVINCE && t.value.is_some())
        .min_by_key(|p| ((p.deadline - part.deadline).abs(), position[p.id.as_str()]))
}

/// A part's goal beside its whole's: the sentence, and whether an additive part needs
/// more than the whole.
fn part_and_whole(part: &Target, whole: &Target, additive: bool, unit: &str) -> (String, bool) {
    let (cv, pv) = (
        part.value.unwrap_or_default(),
        whole.value.unwrap_or_default(),
    );
    let (place, parent) = (&part.indicator.jurisdiction, &whole.indicator.jurisdiction);
    if additive {
        let mut text = format!(
            " {place}'s goal is {} of {parent}'s ({} by {} vs {} by {}).",
            pct_text(cv / pv),
            num(cv),
            part.deadline,
            num(pv),
            whole.deadline
        );
        let above = cv > pv && part.comparator == Comparator::AtLeast;
        if above {
            text.push_str(&format!(
                " A part of {parent} cannot need more than the whole: {} exceeds {}.",
                part.id, whole.id
            ));
        }
        return (text, above);
    }
    let diff = cv - pv;
    let by = if unit == "%" {
        format!("{} points", num(diff.abs()))
    } else {
        with_unit(diff.abs(), unit)
    };
    let text = if diff.abs() <= EXACT * pv.abs().max(1.0) {
        format!(
            " {place} sets the same figure as {parent} ({} and {}).",
            part.id, whole.id
        )
    } else {
        format!(
            " {place} is {by} {} {parent} ({} vs {}).",
            if diff > 0.0 { "above" } else { "below" },
            part.id,
            whole.id
        )
    };
    (text, false)
}

#[cfg(test)]
mod tests {
    use super::super::testing::catalogue;
    use super::super::{FindingKind, Severity, check_catalogue};

    #[test]
    fn city_and_province_goals_are_set_side_by_side() {
        let c = catalogue(
            "a,rd,Hubei,研发,R&D,亿元,growth,>=,2023,,14,2028,000,q,,,,\n\
             b,rd,Ezhou,研发,R&D,亿元,growth,>=,2023,,12,2029,001,q,,,,\n\
             c,hte,Hubei,高企,HTE,count,level,>=,,,500,2028,000,q,,,,\n\
             d,hte,Ezhou,高企,HTE,count,level,>=,,,450,2029,001,q,,,,\n\
             e,hte,Huangshi,高企,HTE,count,level,>=,,,1500,2030,004,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::SideBySide).collect();
        assert_eq!(f.len(), 2, "{f:#?}");
        let rd = f.iter().find(|x| x.targets == ["a", "b"]).unwrap();
        assert_eq!(rd.severity, Severity::Note);
        assert!(
            rd.explanation.contains("Ezhou is 2 points below Hubei"),
            "{}",
            rd.explanation
        );
        let hte = f.iter().find(|x| x.targets == ["c", "d", "e"]).unwrap();
        assert_eq!(hte.severity, Severity::Problem);
        assert!(hte.explanation.contains("e exceeds c"));
    }

    #[test]
    fn different_units_across_jurisdictions_are_not_compared() {
        let c = catalogue(
            "a,trade,Hubei,进出口,trade,亿元,level,>=,,,10000,2028,000,q,,,,\n\
             b,trade,Ezhou,进出口,trade,万元,level,>=,,,1000000,2029,001,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        assert_eq!(r.count(FindingKind::UnitMismatch), 1, "{r:#?}");
        assert_eq!(r.count(FindingKind::SideBySide), 0);
    }
}

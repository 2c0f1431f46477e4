//! City beside province: goals of one indicator and kind in several jurisdictions, set
//! side by side (`side_by_side`), or `unit_mismatch` when the jurisdictions write them in
//! different units.
//!
//! Which jurisdiction lies within which comes from the data ([`Jurisdictions`]): the
//! goals are listed wholes first (by depth in the hierarchy, then name), and each goal is
//! compared with a goal of the nearest jurisdiction it lies within that has a readable
//! one. A part whose additive goal (an amount, a count) exceeds its whole's is a
//! problem. Without a hierarchy the goals are listed and nothing is compared.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::io::catalogue::Catalogue;
use crate::io::jurisdictions::Jurisdictions;
use crate::target::{Comparator, Target, TargetKind};

use super::facts::Facts;
use super::text::{
    is_additive_unit, kind_rank, num, pct_text, period, value_figure_unit, with_unit,
};
use super::{EXACT, Figure, Finding, FindingKind, Severity};

/// Goals of one indicator and kind in several jurisdictions, side by side.
pub(super) fn side_by_side(
    cat: &Catalogue,
    facts: &Facts,
    jurisdictions: &Jurisdictions,
) -> Vec<Finding> {
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
                jurisdictions.depth(&t.indicator.jurisdiction),
                t.indicator.jurisdiction.clone(),
                position[t.id.as_str()],
            )
        });
        let wholes = Wholes {
            group: &group,
            position: &position,
            jurisdictions,
        };
        findings.push(compare(id, places.len(), &wholes, facts));
    }
    findings
}

/// One indicator's goals of one kind in `places` jurisdictions, wholes first.
fn compare(id: &str, places: usize, wholes: &Wholes<'_, '_>, facts: &Facts) -> Finding {
    let group = wholes.group;
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
        let Some(whole) = wholes.of(part) else {
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

/// One group of goals, and where to find the whole a goal of it is a part of.
struct Wholes<'g, 't> {
    group: &'g [&'t Target],
    position: &'g HashMap<&'t str, usize>,
    jurisdictions: &'g Jurisdictions,
}

impl<'t> Wholes<'_, 't> {
    /// The goal `part` is compared with: of the nearest jurisdiction it lies within
    /// that has a readable goal in the group, the one whose deadline is closest (the
    /// first in the catalogue on a tie).
    fn of(&self, part: &Target) -> Option<&'t Target> {
        self.jurisdictions
            .ancestors(&part.indicator.jurisdiction)
            .into_iter()
            .find_map(|whole| {
                self.group
                    .iter()
                    .copied()
                    .filter(|t| t.indicator.jurisdiction == whole && t.value.is_some())
                    .min_by_key(|p| {
                        (
                            (p.deadline - part.deadline).abs(),
                            self.position[p.id.as_str()],
                        )
                    })
            })
    }
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
    use super::super::testing::{catalogue, hubei};
    use super::super::{FindingKind, Severity, check_catalogue};
    use crate::io::jurisdictions::Jurisdictions;

    fn jurisdictions(rows: &str) -> Jurisdictions {
        Jurisdictions::from_reader(
            format!("jurisdiction,parent,name_zh,name_en\n{rows}").as_bytes(),
            "j.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn city_and_province_goals_are_set_side_by_side() {
        let c = catalogue(
            "a,rd,Hubei,研发,R&D,亿元,growth,>=,2023,,14,2028,000,q,,,,\n\
             b,rd,Ezhou,研发,R&D,亿元,growth,>=,2023,,12,2029,001,q,,,,\n\
             c,hte,Hubei,高企,HTE,count,level,>=,,,500,2028,000,q,,,,\n\
             d,hte,Ezhou,高企,HTE,count,level,>=,,,450,2029,001,q,,,,\n\
             e,hte,Huangshi,高企,HTE,count,level,>=,,,1500,2030,004,q,,,,\n",
        );
        let r = check_catalogue(&c, None, &hubei());
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
        let r = check_catalogue(&c, None, &hubei());
        assert_eq!(r.count(FindingKind::UnitMismatch), 1, "{r:#?}");
        assert_eq!(r.count(FindingKind::SideBySide), 0);
    }

    #[test]
    fn the_whole_a_goal_lies_within_comes_from_the_data() {
        let c = catalogue(
            "a,hte,Changsha,高企,HTE,count,level,>=,,,900,2028,000,q,,,,\n\
             b,hte,Hunan,高企,HTE,count,level,>=,,,800,2028,000,q,,,,\n",
        );
        let hunan = jurisdictions("Hunan,,湖南省,Hunan\nChangsha,Hunan,长沙市,Changsha\n");
        let r = check_catalogue(&c, None, &hunan);
        let f: Vec<_> = r.of_kind(FindingKind::SideBySide).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        // The whole first, whatever the catalogue order.
        assert_eq!(f[0].targets, ["b", "a"]);
        assert_eq!(f[0].severity, Severity::Problem);
        assert!(
            f[0].explanation
                .contains("A part of Hunan cannot need more than the whole: a exceeds b."),
            "{}",
            f[0].explanation
        );
        // Hubei's hierarchy does not know Hunan: listed, not compared.
        for none in [hubei(), Jurisdictions::default()] {
            let r = check_catalogue(&c, None, &none);
            let f: Vec<_> = r.of_kind(FindingKind::SideBySide).collect();
            assert_eq!(f.len(), 1, "{r:#?}");
            assert_eq!(f[0].severity, Severity::Note);
            assert_eq!(
                f[0].explanation,
                "`level` goals on hte in 2 jurisdictions: Changsha 2028 900 count (a); Hunan 2028 800 count (b)."
            );
        }
    }

    #[test]
    fn a_county_is_compared_with_the_nearest_whole_that_has_a_goal() {
        let three = jurisdictions(
            "Hubei,,湖北省,Hubei\n\
             Huangshi,Hubei,黄石市,Huangshi\n\
             Yangxin,Huangshi,阳新县,Yangxin\n",
        );
        let c = catalogue(
            "a,hte,Yangxin,高企,HTE,count,level,>=,,,100,2030,004,q,,,,\n\
             b,hte,Huangshi,高企,HTE,count,level,>=,,,1500,2030,004,q,,,,\n\
             c,hte,Hubei,高企,HTE,count,level,>=,,,500,2028,000,q,,,,\n",
        );
        let r = check_catalogue(&c, None, &three);
        let f: Vec<_> = r.of_kind(FindingKind::SideBySide).collect();
        assert_eq!(f[0].targets, ["c", "b", "a"]);
        assert!(
            f[0].explanation
                .contains("Yangxin's goal is 6.67 % of Huangshi's")
        );
        assert!(
            f[0].explanation
                .contains("Huangshi's goal is 300 % of Hubei's")
        );
        assert!(f[0].explanation.contains("b exceeds c"));
        // Without a readable Huangshi goal, Yangxin is set beside Hubei.
        let c = catalogue(
            "a,hte,Yangxin,高企,HTE,count,level,>=,,,100,2030,004,q,,,,\n\
             b,hte,Huangshi,高企,HTE,count,level,>=,,,,2030,004,q,,true,lost,\n\
             c,hte,Hubei,高企,HTE,count,level,>=,,,500,2028,000,q,,,,\n",
        );
        let r = check_catalogue(&c, None, &three);
        let f: Vec<_> = r.of_kind(FindingKind::SideBySide).collect();
        assert!(
            f[0].explanation
                .contains("Yangxin's goal is 20 % of Hubei's")
        );
        assert_eq!(f[0].severity, Severity::Note);
    }
}

//! Parts and wholes: targets with a `parent` against the whole they belong to. A broken
//! or double-counting structure is a `parent_structure` problem; the parts' sum beside
//! the whole's goal is a `sub_targets` finding (a problem when the parts exceed it).

use std::collections::BTreeMap;

use crate::indicator::IndicatorKey;
use crate::io::catalogue::Catalogue;
use crate::target::{Comparator, Target};

use super::facts::Facts;
use super::text::{pct_text, with_unit};
use super::{EXACT, Figure, Finding, FindingKind, Severity};

/// A `parent_structure` problem about `targets` (the first one's indicator).
fn broken(targets: &[&Target], text: String) -> Finding {
    Finding::new(
        FindingKind::ParentStructure,
        Severity::Problem,
        targets,
        Some(targets[0].indicator.clone()),
        Vec::new(),
        text,
    )
}

/// Parts (`parent`) against their whole.
pub(super) fn sub_targets(cat: &Catalogue, facts: &Facts) -> Vec<Finding> {
    let position = super::positions(cat);
    let target = |id: &str| position.get(id).map(|&i| &cat.targets[i]);
    let mut findings = Vec::new();
    let mut children: BTreeMap<usize, Vec<&Target>> = BTreeMap::new();
    for t in &cat.targets {
        let Some(parent_id) = &t.parent else {
            continue;
        };
        let Some(parent) = target(parent_id) else {
            findings.push(broken(
                &[t],
                format!(
                    "{}'s parent `{parent_id}` is not a target of this catalogue.",
                    t.id
                ),
            ));
            continue;
        };
        // A chain of parents that comes back to the target is a cycle.
        let mut seen = std::collections::BTreeSet::from([t.id.as_str()]);
        let mut next = Some(parent);
        let mut cycle = false;
        while let Some(p) = next {
            if !seen.insert(p.id.as_str()) {
                cycle = true;
                break;
            }
            next = p.parent.as_deref().and_then(target);
        }
        if cycle {
            findings.push(broken(
                &[t, parent],
                format!(
                    "The parent chain of {} comes back to a target already in it: a part cannot contain its whole.",
                    t.id
                ),
            ));
            continue;
        }
        children
            .entry(position[parent.id.as_str()])
            .or_default()
            .push(t);
    }
    for (index, kids) in children {
        let parent = &cat.targets[index];
        let (comparable, problems) = comparable_parts(parent, &kids, facts);
        findings.extend(problems);
        findings.extend(sum_of_parts(parent, &comparable, facts));
    }
    findings
}

/// The parts that can be added up against their whole, and a problem for every other.
fn comparable_parts<'t>(
    parent: &Target,
    kids: &[&'t Target],
    facts: &Facts,
) -> (Vec<&'t Target>, Vec<Finding>) {
    let unit = facts.unit_of(&parent.indicator);
    let mut comparable = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&IndicatorKey, &Target> = BTreeMap::new();
    for &k in kids {
        if k.indicator == parent.indicator {
            problems.push(broken(
                &[k, parent],
                format!(
                    "{} is set on the same indicator as its parent {}: a part cannot be measured by the whole's own figure.",
                    k.id, parent.id
                ),
            ));
            continue;
        }
        if let Some(first) = seen.insert(&k.indicator, k) {
            problems.push(broken(
                &[first, k, parent],
                format!(
                    "{} and {} put the same indicator {} under {}: summing the parts would count it twice.",
                    first.id, k.id, k.indicator, parent.id
                ),
            ));
            continue;
        }
        let kunit = facts.unit_of(&k.indicator);
        let mut why = Vec::new();
        if k.kind != parent.kind {
            why.push(format!("kind `{}` vs `{}`", k.kind, parent.kind));
        }
        if kunit != unit {
            why.push(format!("unit `{kunit}` vs `{unit}`"));
        }
        if k.deadline != parent.deadline {
            why.push(format!("deadline {} vs {}", k.deadline, parent.deadline));
        }
        if k.indicator.jurisdiction != parent.indicator.jurisdiction {
            why.push(format!(
                "jurisdiction {} vs {}",
                k.indicator.jurisdiction, parent.indicator.jurisdiction
            ));
        }
        if why.is_empty() {
            comparable.push(k);
        } else {
            problems.push(broken(
                &[k, parent],
                format!(
                    "{} cannot be added up as a part of {}: {}.",
                    k.id,
                    parent.id,
                    why.join(", ")
                ),
            ));
        }
    }
    (comparable, problems)
}

/// The readable parts' sum beside the whole's goal (none without comparable parts).
fn sum_of_parts(parent: &Target, comparable: &[&Target], facts: &Facts) -> Option<Finding> {
    if comparable.is_empty() {
        return None;
    }
    let unit = facts.unit_of(&parent.indicator);
    let mut involved = vec![parent];
    involved.extend(comparable.iter().copied());
    let readable: Vec<&Target> = comparable
        .iter()
        .copied()
        .filter(|k| k.value.is_some())
        .collect();
    let unreadable: Vec<&str> = comparable
        .iter()
        .filter(|k| k.value.is_none())
        .map(|k| k.id.as_str())
        .collect();
    let sum: f64 = readable.iter().filter_map(|k| k.value).sum();
    let mut figures: Vec<Figure> = Vec::new();
    if let Some(v) = parent.value {
        figures.push(Figure::new(parent.id.clone(), v, unit.clone()));
    }
    for k in &readable {
        figures.push(Figure::new(
            k.id.clone(),
            k.value.unwrap_or_default(),
            unit.clone(),
        ));
    }
    figures.push(Figure::new("sum of parts", sum, unit.clone()));
    let never_both = "The whole's goal already contains its parts: add either the whole or its parts to any total, never both.";
    let missing = if unreadable.is_empty() {
        String::new()
    } else {
        format!(" Unreadable parts, not added: {}.", unreadable.join(", "))
    };
    let (severity, text) = match parent.value {
        None => (
            Severity::Note,
            format!(
                "The whole {} cannot be read; its {} readable parts sum to {}, a lower bound for it.",
                parent.id,
                readable.len(),
                with_unit(sum, &unit)
            ),
        ),
        Some(whole) => {
            figures.push(Figure::new("rest of the whole", whole - sum, unit.clone()));
            against_whole(parent, whole, readable.len(), sum, &unit)
        }
    };
    Some(Finding::new(
        FindingKind::SubTargets,
        severity,
        &involved,
        Some(parent.indicator.clone()),
        figures,
        format!("{text}{missing} {never_both}"),
    ))
}

/// `n` readable parts summing to `sum` against the whole's readable goal `whole`.
fn against_whole(
    parent: &Target,
    whole: f64,
    n: usize,
    sum: f64,
    unit: &str,
) -> (Severity, String) {
    let rest = whole - sum;
    if sum > whole * (1.0 + EXACT) {
        let comparator = if parent.comparator == Comparator::AtLeast {
            "at least"
        } else {
            "at most"
        };
        return (
            Severity::Problem,
            format!(
                "The parts' goals add up to {}, more than the whole's goal of {comparator} {} (by {}): the whole's figure is understated or a part is counted in it twice.",
                with_unit(sum, unit),
                with_unit(whole, unit),
                with_unit(-rest, unit)
            ),
        );
    }
    let how = if rest.abs() <= whole * EXACT {
        "exactly the whole's goal: the parts are the whole".to_string()
    } else {
        format!(
            "{} of the whole's goal of {}; {} is left to parts without a goal of their own",
            pct_text(sum / whole),
            with_unit(whole, unit),
            with_unit(rest, unit)
        )
    };
    let (parts, verb) = if n == 1 {
        ("The one part".to_string(), "is")
    } else {
        (format!("The {n} parts"), "add up to")
    };
    (
        Severity::Note,
        format!(
            "{parts} of {} {verb} {}, {how}.",
            parent.id,
            with_unit(sum, unit)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue, close, figure, hubei};
    use super::super::{FindingKind, Severity, check_catalogue};

    #[test]
    fn parts_that_exceed_their_whole_are_a_problem() {
        let c = catalogue(
            "w,it,Hubei,信息技术,IT,亿元,level,>=,,,5000,2025,002,q,,,,\n\
             a,ic,Hubei,集成电路,IC,亿元,level,>=,,,3000,2025,002,q,,,,w\n\
             b,display,Hubei,新型显示,display,亿元,level,>=,,,2500,2025,002,q,,,,w\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::SubTargets).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert_eq!(f[0].severity, Severity::Problem);
        assert_eq!(f[0].targets, ["w", "a", "b"]);
        assert!(close(figure(f[0], "sum of parts"), 5500.0));
        assert!(close(figure(f[0], "rest of the whole"), -500.0));
    }

    #[test]
    fn parts_inside_their_whole_leave_a_rest() {
        let c = catalogue(
            "w,it,Hubei,信息技术,IT,亿元,level,>=,,,13000,2025,002,q,,,,\n\
             a,ic,Hubei,集成电路,IC,亿元,level,>=,,,1200,2025,002,q,,,,w\n\
             b,display,Hubei,新型显示,display,亿元,level,>=,,,1600,2025,002,q,,,,w\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::SubTargets).collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Note);
        assert!(close(figure(f[0], "rest of the whole"), 10_200.0));
        assert!(f[0].explanation.contains("never both"));
    }

    #[test]
    fn broken_or_double_counting_parents_are_named() {
        let c = catalogue(
            "w,it,Hubei,信息技术,IT,亿元,level,>=,,,13000,2025,002,q,,,,\n\
             a,ic,Hubei,集成电路,IC,亿元,level,>=,,,1200,2025,002,q,,,,w\n\
             b,ic,Hubei,集成电路,IC,亿元,level,>=,,,1200,2025,002,q,,,,w\n\
             c,cars,Hubei,汽车,cars,万辆,level,>=,,,300,2025,002,q,,,,w\n\
             d,x,Hubei,x,x,亿元,level,>=,,,1,2025,002,q,,,,nowhere\n\
             e,y,Hubei,y,y,亿元,level,>=,,,1,2025,002,q,,,,f\n\
             f,z,Hubei,z,z,亿元,level,>=,,,1,2025,002,q,,,,e\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::ParentStructure).collect();
        let text: Vec<&str> = f.iter().map(|f| f.explanation.as_str()).collect();
        assert!(
            text.iter().any(|t| t.contains("count it twice")),
            "{text:#?}"
        );
        assert!(
            text.iter().any(|t| t.contains("unit `万辆` vs `亿元`")),
            "{text:#?}"
        );
        assert!(
            text.iter().any(|t| t.contains("`nowhere` is not a target")),
            "{text:#?}"
        );
        assert_eq!(text.iter().filter(|t| t.contains("comes back")).count(), 2);
        assert!(f.iter().all(|f| f.severity == Severity::Problem));
    }
}

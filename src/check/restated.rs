//! Restated goals: the same indicator, jurisdiction and kind in two documents
//! (`restated`; a problem when the figures for the same period differ).

use crate::io::catalogue::Catalogue;
use crate::target::{Comparator, Target, TargetKind};

use super::facts::Facts;
use super::text::{annual, pct_text, period, value_figure_unit, with_unit};
use super::{EXACT, Figure, Finding, FindingKind, Severity};

/// The same indicator, jurisdiction and kind in two documents.
pub(super) fn restated(cat: &Catalogue, facts: &Facts) -> Vec<Finding> {
    let targets = &cat.targets;
    let mut findings = Vec::new();
    for (i, a) in targets.iter().enumerate() {
        if a.kind == TargetKind::Milestone {
            continue;
        }
        for b in &targets[i + 1..] {
            if b.document == a.document || b.indicator != a.indicator || b.kind != a.kind {
                continue;
            }
            findings.push(restated_pair(a, b, facts));
        }
    }
    findings
}

fn restated_pair(a: &Target, b: &Target, facts: &Facts) -> Finding {
    let unit = facts.value_unit(a);
    let mut figures = Vec::new();
    for t in [a, b] {
        if let Some(v) = t.value {
            figures.push(Figure::new(
                format!("{} ({})", t.id, period(t)),
                v,
                value_figure_unit(t, &unit),
            ));
        }
    }
    let (severity, text) = match (a.value, b.value) {
        (Some(va), Some(vb)) => compare(a, b, (va, vb), &unit, &mut figures),
        _ => {
            let unreadable: Vec<&str> = [a, b]
                .iter()
                .filter(|t| t.value.is_none())
                .map(|t| t.id.as_str())
                .collect();
            let text = format!(
                "Documents {} and {} set a `{}` goal on {} ({} and {}); {} cannot be read, so agreement cannot be checked (see needs_value).",
                a.document,
                b.document,
                a.kind,
                a.indicator,
                period(a),
                period(b),
                unreadable.join(" and ")
            );
            (Severity::Note, text)
        }
    };
    Finding::new(
        FindingKind::Restated,
        severity,
        &[a, b],
        Some(a.indicator.clone()),
        figures,
        text,
    )
}

/// Two readable restatements: equal or not, for the same period or not.
fn compare(
    a: &Target,
    b: &Target,
    (va, vb): (f64, f64),
    unit: &str,
    figures: &mut Vec<Figure>,
) -> (Severity, String) {
    let same_period =
        a.deadline == b.deadline && (!a.kind.is_relative() || a.base_year == b.base_year);
    let equal = (va - vb).abs() <= EXACT * va.abs().max(vb.abs());
    let (fa, fb) = (
        with_unit(va, &value_figure_unit(a, unit)),
        with_unit(vb, &value_figure_unit(b, unit)),
    );
    let documents = format!("Documents {} and {}", a.document, b.document);
    if same_period && equal {
        let text = format!(
            "{documents} set the same goal on {}: {fa} by {}. They agree.",
            a.indicator,
            period(a)
        );
        return (Severity::Note, text);
    }
    if same_period {
        let text = format!(
            "{documents} set different figures for the same goal on {} ({}): {fa} vs {fb}. Which one is meant?",
            a.indicator,
            period(a)
        );
        return (Severity::Problem, text);
    }
    let mut text = format!(
        "{documents} set a `{}` goal on {} for different periods: {fa} by {} and {fb} by {}.",
        a.kind,
        a.indicator,
        period(a),
        period(b)
    );
    if equal {
        text.push_str(" The figure is the same; only the period differs.");
    }
    if a.kind == TargetKind::Level && a.deadline != b.deadline && va > 0.0 && vb > 0.0 {
        text.push_str(&between_levels((a, va), (b, vb), equal, figures));
    }
    (Severity::Note, text)
}

/// Two level goals due in different years: the growth that leads from one to the other.
fn between_levels(
    (a, va): (&Target, f64),
    (b, vb): (&Target, f64),
    equal: bool,
    figures: &mut Vec<Figure>,
) -> String {
    let (early, late) = if a.deadline < b.deadline {
        ((a, va), (b, vb))
    } else {
        ((b, vb), (a, va))
    };
    let g = annual(late.1 / early.1, late.0.deadline - early.0.deadline);
    figures.push(Figure::new(
        format!(
            "growth {}-{} between the goals",
            early.0.deadline, late.0.deadline
        ),
        g * 100.0,
        "%/yr",
    ));
    if late.1 < early.1 && a.comparator == Comparator::AtLeast {
        format!(
            " The later goal ({}, {}) is lower than the earlier one ({}, {}): {} a year between them: either the later document no longer expects the earlier goal to be met, or the two measure different things.",
            late.0.id,
            late.0.deadline,
            early.0.id,
            early.0.deadline,
            pct_text(g)
        )
    } else if !equal {
        format!(
            " Going from one goal to the other takes {} a year.",
            pct_text(g)
        )
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue, close, figure, hubei};
    use super::super::{FindingKind, Severity, check_catalogue};

    #[test]
    fn restated_goals_agree_disagree_or_differ_in_period() {
        let c = catalogue(
            "a,cargo,Ezhou,货邮,cargo,万吨,level,>=,,,300,2028,000,q,,,,\n\
             b,cargo,Ezhou,货邮,cargo,万吨,level,>=,,,300,2029,001,q,,,,\n\
             c,it,Hubei,光芯屏端网,IT,亿元,level,>=,,,13000,2025,002,q,,,,\n\
             d,it,Hubei,光芯屏端网,IT,亿元,level,>=,,,10000,2028,000,q,,,,\n\
             e,rd,Hubei,研发,R&D,亿元,growth,>=,2020,,15,2025,002,q,,,,\n\
             f,rd,Hubei,研发,R&D,亿元,growth,>=,2020,,14,2025,003,q,,,,\n\
             g,rd,Hubei,研发,R&D,亿元,growth,>=,2023,,,2028,004,q,,true,reads ?4,\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::Restated).collect();
        let find = |a: &str, b: &str| {
            f.iter()
                .find(|x| x.targets == [a, b])
                .unwrap_or_else(|| panic!("no pair {a} {b}: {f:#?}"))
        };
        let ab = find("a", "b");
        assert_eq!(ab.severity, Severity::Note);
        assert!(ab.explanation.contains("only the period differs"));
        let cd = find("c", "d");
        assert!(cd.explanation.contains("lower than the earlier one"));
        assert!(close(
            figure(cd, "growth 2025-2028"),
            ((10_000.0f64 / 13_000.0).powf(1.0 / 3.0) - 1.0) * 100.0
        ));
        let ef = find("e", "f");
        assert_eq!(ef.severity, Severity::Problem);
        assert!(find("e", "g").explanation.contains("cannot be read"));
        // Goals within one document are not restatements.
        assert!(f.iter().all(|x| x.documents.len() == 2));
    }
}

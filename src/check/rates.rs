//! Rates beside levels: a rate goal and a level goal on one indicator and deadline imply
//! the base (or, with a known base, each other): `implied_base` or `conflict`; a yearly
//! growth rate and a total increase over one period: `equivalent_rates` or `conflict`.

use crate::io::catalogue::Catalogue;
use crate::target::{Target, TargetKind};

use super::facts::Facts;
use super::text::{
    annual, capitalise, describe_rate, describe_rate_bare, num, pct_text, rate_label, rate_unit,
    with_unit,
};
use super::{AGREEMENT_TOLERANCE, EXACT, Figure, Finding, FindingKind, Severity};

/// Rate + level (implied base, conflict) and growth + increase (equivalent rates).
pub(super) fn rate_level_pairs(cat: &Catalogue, facts: &Facts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for group in super::by_key_and_deadline(cat).values() {
        let rates: Vec<&Target> = group
            .iter()
            .copied()
            .filter(|t| t.kind.is_relative())
            .collect();
        let levels: Vec<&Target> = group
            .iter()
            .copied()
            .filter(|t| t.kind == TargetKind::Level)
            .collect();
        for r in &rates {
            // A rate goal is read with the level goals of its own document; levels of
            // other documents (restatements, see `restated`) only when it has none.
            let comparable = |l: &&&Target| l.comparator == r.comparator;
            let own: Vec<&Target> = levels
                .iter()
                .filter(comparable)
                .filter(|l| l.document == r.document)
                .copied()
                .collect();
            let chosen: Vec<&Target> = if own.is_empty() {
                levels.iter().filter(comparable).copied().collect()
            } else {
                own
            };
            findings.extend(
                chosen
                    .into_iter()
                    .filter_map(|l| rate_and_level(facts, r, l)),
            );
        }
        for (i, a) in rates.iter().enumerate() {
            for b in &rates[i + 1..] {
                let pair = match (a.kind, b.kind) {
                    (TargetKind::Growth, TargetKind::Increase) => Some((*a, *b)),
                    (TargetKind::Increase, TargetKind::Growth) => Some((*b, *a)),
                    _ => None,
                };
                if let Some((g, p)) = pair
                    && g.base_year == p.base_year
                {
                    findings.extend(growth_and_increase(g, p));
                }
            }
        }
    }
    findings
}

/// A rate goal read with a level goal of the same indicator and deadline.
struct RateAndLevel<'t> {
    rate: &'t Target,
    level: &'t Target,
    base_year: i32,
    /// The unit of the indicator's levels.
    unit: String,
    /// The base the rate is measured from, where some source states it.
    known: Option<(f64, String)>,
}

/// What a finding says: its kind, severity and explanation.
type Said = (FindingKind, Severity, String);

fn implied_base(text: String) -> Said {
    (FindingKind::ImpliedBase, Severity::Note, text)
}

fn rate_and_level(facts: &Facts, r: &Target, l: &Target) -> Option<Finding> {
    let key = &r.indicator;
    let pair = RateAndLevel {
        rate: r,
        level: l,
        base_year: r.base_year?,
        unit: facts.unit_of(key),
        known: facts.base_of(r, Some(l)),
    };
    let mut figures = Vec::new();
    if let Some(v) = l.value {
        figures.push(Figure::new(
            format!("level goal {}", l.deadline),
            v,
            pair.unit.clone(),
        ));
    }
    if let Some(v) = r.value {
        figures.push(Figure::new(rate_label(r), v, rate_unit(r)));
    }
    let (kind, severity, text) = match (r.factor(), l.value) {
        (Some(f), Some(level)) => pair.both_read(facts, f, level, &mut figures),
        (Some(f), None) => implied_base(pair.level_unread(f, &mut figures)),
        (None, Some(level)) => implied_base(pair.rate_unread(level, &mut figures)),
        (None, None) => implied_base(format!(
            "Neither the rate goal {} nor the level goal {} can be read: nothing can be derived yet.",
            r.id, l.id
        )),
    };
    Some(Finding::new(
        kind,
        severity,
        &[r, l],
        Some(key.clone()),
        figures,
        text,
    ))
}

impl RateAndLevel<'_> {
    /// Both figures read: the base they imply, beside the known base or the nearest
    /// known value.
    fn both_read(&self, facts: &Facts, f: f64, level: f64, figures: &mut Vec<Figure>) -> Said {
        let (base_year, unit) = (self.base_year, &self.unit);
        let implied = level / f;
        figures.push(Figure::new(
            format!("implied base {base_year}"),
            implied,
            unit.clone(),
        ));
        let what = capitalise(&describe_rate(self.rate));
        if let Some((k, src)) = &self.known {
            return self.against_known(f, level, (*k, src), figures);
        }
        let key = &self.rate.indicator;
        let Some((y, v, src)) = facts.nearest_known(key, base_year) else {
            return implied_base(format!(
                "{what} and the level goal {} imply a {base_year} base of {}; no value of {key} is known to compare it with.",
                with_unit(level, unit),
                with_unit(implied, unit)
            ));
        };
        figures.push(Figure::new(format!("known {y}"), v, unit.clone()));
        let (from, to, growth) = if y < base_year {
            (y, base_year, annual(implied / v, base_year - y))
        } else {
            (base_year, y, annual(v / implied, y - base_year))
        };
        figures.push(Figure::new(
            format!("growth {from}-{to} this requires"),
            growth * 100.0,
            "%/yr",
        ));
        let equal = (implied / v - 1.0).abs() <= EXACT;
        implied_base(format!(
            "{what} and the level goal {} imply a {base_year} base of {}; no value for {base_year} is known. The nearest known value is {} in {y} ({src}){}.",
            with_unit(level, unit),
            with_unit(implied, unit),
            with_unit(v, unit),
            if equal {
                format!(
                    ", exactly the implied base: the goal may count from {y}, or assume no change from {from} to {to}"
                )
            } else {
                format!(
                    ", so the indicator would have to grow {} a year from {from} to {to}",
                    pct_text(growth)
                )
            }
        ))
    }

    /// Both figures read and the base known: they agree, or they conflict.
    fn against_known(
        &self,
        f: f64,
        level: f64,
        (k, src): (f64, &str),
        figures: &mut Vec<Figure>,
    ) -> Said {
        let (base_year, unit, deadline) = (self.base_year, &self.unit, self.level.deadline);
        let implied = level / f;
        figures.push(Figure::new(format!("known {base_year}"), k, unit.clone()));
        if (implied / k - 1.0).abs() <= AGREEMENT_TOLERANCE {
            return implied_base(format!(
                "{} and the level goal {} imply a {base_year} base of {}, which agrees with the known value {} ({src}).",
                capitalise(&describe_rate(self.rate)),
                with_unit(level, unit),
                with_unit(implied, unit),
                with_unit(k, unit)
            ));
        }
        let from_rate = k * f;
        figures.push(Figure::new(
            format!("level the rate gives {deadline}"),
            from_rate,
            unit.clone(),
        ));
        (
            FindingKind::Conflict,
            Severity::Problem,
            format!(
                "{} from the known {base_year} value {} ({src}) gives {} in {deadline}, but the level goal is {} ({:+.1} %): the two goals cannot both be meant as written. Together they imply a {base_year} base of {}.",
                capitalise(&describe_rate_bare(self.rate)),
                with_unit(k, unit),
                with_unit(from_rate, unit),
                with_unit(level, unit),
                (level / from_rate - 1.0) * 100.0,
                with_unit(implied, unit)
            ),
        )
    }

    /// The level goal cannot be read: the level the rate gives from a known base.
    fn level_unread(&self, f: f64, figures: &mut Vec<Figure>) -> String {
        let (base_year, unit, l) = (self.base_year, &self.unit, self.level);
        let Some((k, src)) = &self.known else {
            return format!(
                "The level goal {} cannot be read and no {base_year} value of {} is known: nothing can be derived until one of them is supplied (then base = level / {}).",
                l.id,
                self.rate.indicator,
                num(f)
            );
        };
        figures.push(Figure::new(format!("known {base_year}"), *k, unit.clone()));
        figures.push(Figure::new(
            format!("level the rate gives {}", l.deadline),
            k * f,
            unit.clone(),
        ));
        format!(
            "The level goal {} cannot be read. {} from the known {base_year} value {} ({src}) gives {} in {}: a reading of the level below that contradicts the rate goal.",
            l.id,
            capitalise(&describe_rate_bare(self.rate)),
            with_unit(*k, unit),
            with_unit(k * f, unit),
            l.deadline
        )
    }

    /// The rate goal cannot be read: the rate the level implies from a known base.
    fn rate_unread(&self, level: f64, figures: &mut Vec<Figure>) -> String {
        let (base_year, unit, r) = (self.base_year, &self.unit, self.rate);
        let Some((k, src)) = &self.known else {
            return format!(
                "The rate goal {} cannot be read and no {base_year} value of {} is known: nothing can be derived yet.",
                r.id, r.indicator
            );
        };
        figures.push(Figure::new(format!("known {base_year}"), *k, unit.clone()));
        let years = self.level.deadline - base_year;
        let (label, value) = match r.kind {
            TargetKind::Growth => ("growth a year", annual(level / k, years)),
            TargetKind::Decline => ("total decline", 1.0 - level / k),
            _ => ("total increase", level / k - 1.0),
        };
        figures.push(Figure::new(
            format!("implied {label}"),
            value * 100.0,
            rate_unit(r),
        ));
        format!(
            "The rate goal {} cannot be read. The level goal {} and the known {base_year} value {} ({src}) imply {} {}.",
            r.id,
            with_unit(level, unit),
            with_unit(*k, unit),
            label,
            pct_text(value)
        )
    }
}

/// A yearly growth goal `g` and a total increase goal `p` over the same period.
fn growth_and_increase(g: &Target, p: &Target) -> Option<Finding> {
    let base_year = g.base_year?;
    let n = g.deadline - base_year;
    let mut figures = Vec::new();
    if let Some(v) = g.value {
        figures.push(Figure::new(rate_label(g), v, "%/yr"));
    }
    if let Some(v) = p.value {
        figures.push(Figure::new(rate_label(p), v, "%"));
    }
    let period = format!("{base_year}-{}", g.deadline);
    let total_of = |gv: f64, figures: &mut Vec<Figure>| {
        let total = (1.0 + gv / 100.0).powi(n) - 1.0;
        figures.push(Figure::new(
            "total increase the growth gives",
            total * 100.0,
            "%",
        ));
        total
    };
    let yearly_of = |pv: f64, figures: &mut Vec<Figure>| {
        let yearly = annual(1.0 + pv / 100.0, n);
        figures.push(Figure::new(
            "yearly growth the increase needs",
            yearly * 100.0,
            "%/yr",
        ));
        yearly
    };
    let mut kind = FindingKind::EquivalentRates;
    let mut severity = Severity::Note;
    let text = match (g.value, p.value) {
        (Some(gv), Some(pv)) => {
            let total = total_of(gv, &mut figures);
            let yearly = yearly_of(pv, &mut figures);
            let agree = ((1.0 + total) / (1.0 + pv / 100.0) - 1.0).abs() <= AGREEMENT_TOLERANCE;
            let text = format!(
                "Over {period} ({n} years), growth of {} a year is a total increase of {}; {} needs {} a year.",
                pct_text(gv / 100.0),
                pct_text(total),
                describe_rate(p),
                pct_text(yearly)
            );
            if agree {
                format!("{text} The two goals agree.")
            } else {
                (kind, severity) = (FindingKind::Conflict, Severity::Problem);
                format!("{text} The two goals disagree: one of them is the binding one.")
            }
        }
        (Some(gv), None) => format!(
            "The increase goal {} cannot be read; growth of {} a year over {period} is a total increase of {}.",
            p.id,
            pct_text(gv / 100.0),
            pct_text(total_of(gv, &mut figures))
        ),
        (None, Some(pv)) => format!(
            "The growth goal {} cannot be read; {} over {period} ({n} years) is {} a year, so a readable rate below that would contradict it.",
            g.id,
            describe_rate(p),
            pct_text(yearly_of(pv, &mut figures))
        ),
        (None, None) => return None,
    };
    Some(Finding::new(
        kind,
        severity,
        &[g, p],
        Some(g.indicator.clone()),
        figures,
        text,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue, close, figure, history, hubei};
    use super::super::{FindingKind, Severity, check_catalogue};

    #[test]
    fn a_growth_and_a_level_imply_a_base() {
        let c = catalogue(
            "g,rev,Hubei,营收,revenue,亿元,growth,>=,2020,,14,2025,002,q,,,,\n\
             l,rev,Hubei,营收,revenue,亿元,level,>=,,,13000,2025,002,q,,,,\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::ImpliedBase).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert!(close(
            figure(f[0], "implied base 2020"),
            13_000.0 / 1.14f64.powi(5)
        ));
        assert_eq!(f[0].severity, Severity::Note);
        assert!(f[0].explanation.contains("no value of Hubei/rev is known"));
    }

    #[test]
    fn an_implied_base_is_set_beside_the_nearest_known_value() {
        let c = catalogue(
            "d,hte,Ezhou,高企,HTE,count,increase,>=,2023,,100,2029,001,q,,,,\n\
             l,hte,Ezhou,高企,HTE,count,level,>=,,,450,2029,001,q,,,,\n",
        );
        let h = history("hte,Ezhou,2022,225,count,\n");
        let r = check_catalogue(&c, Some(&h), &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::ImpliedBase).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert!(close(figure(f[0], "implied base 2023"), 225.0));
        assert!(close(figure(f[0], "known 2022"), 225.0));
        assert!(close(figure(f[0], "growth 2022-2023"), 0.0));
        assert!(f[0].explanation.contains("exactly the implied base"));
    }

    #[test]
    fn a_doubling_beside_a_base_that_is_not_half_the_level_is_a_conflict() {
        let c = catalogue(
            "d,tc,Hubei,技术合同,turnover,亿元,increase,>=,2020,1686.97,100,2025,003,q,,,,\n\
             l,tc,Hubei,技术合同,turnover,亿元,level,>=,,,3000,2025,003,q,,,,\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::Conflict).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert_eq!(f[0].severity, Severity::Problem);
        assert!(close(figure(f[0], "level the rate gives"), 3373.94));
        assert!(
            f[0].explanation
                .contains("A doubling from the known 2020 value")
        );
    }

    #[test]
    fn growth_and_increase_that_disagree_are_a_conflict() {
        let c = catalogue(
            "d,va,Hubei,增加值,value added,亿元,increase,>=,2020,8684.1,100,2025,003,q,,,,\n\
             g,va,Hubei,增加值,value added,亿元,growth,>=,2020,8684.1,12,2025,003,q,,,,\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::Conflict).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert!(close(
            figure(f[0], "total increase the growth gives"),
            (1.12f64.powi(5) - 1.0) * 100.0
        ));
        assert!(close(
            figure(f[0], "yearly growth the increase needs"),
            (2f64.powf(0.2) - 1.0) * 100.0
        ));
    }

    #[test]
    fn an_unreadable_rate_beside_a_doubling_gets_the_equivalent_rate() {
        let c = catalogue(
            "d,va,Hubei,增加值,value added,亿元,increase,>=,2020,8684.1,100,2025,003,q,,,,\n\
             g,va,Hubei,增加值,value added,亿元,growth,>=,2020,8684.1,,2025,003,q,,true,reads ?2%,\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::EquivalentRates).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert!(close(
            figure(f[0], "yearly growth"),
            (2f64.powf(0.2) - 1.0) * 100.0
        ));
        assert_eq!(r.count(FindingKind::NeedsValue), 1);
    }
}

//! Implied denominators: a level (stated, or from a rate and a known base) and a share of
//! the same numerator and deadline imply the denominator, `D = L / (s/100)`, set beside
//! the denominator's own goals and its latest known value (`implied_denominator`, or
//! `conflict` when a denominator goal disagrees).

use crate::indicator::IndicatorKey;
use crate::io::catalogue::Catalogue;
use crate::target::{Target, TargetKind};

use super::facts::Facts;
use super::text::{annual, describe_rate, pct_text, with_unit};
use super::{AGREEMENT_TOLERANCE, Figure, Finding, FindingKind, Groups, Severity};

/// A level (stated, or from a rate and a known base) and a share imply the denominator.
pub(super) fn implied_denominators(cat: &Catalogue, facts: &Facts) -> Vec<Finding> {
    let groups = super::by_key_and_deadline(cat);
    let mut findings = Vec::new();
    for t in &cat.targets {
        if t.kind != TargetKind::Share {
            continue;
        }
        let Some(denominator) = &t.denominator else {
            continue;
        };
        let dkey = IndicatorKey::new(t.indicator.jurisdiction.clone(), denominator.clone());
        let share = ShareGoal {
            share: t,
            denominator,
            unit: facts.unit_of(&t.indicator),
            dunit: facts.unit_of(&dkey),
            dkey,
        };
        for (level, l, how) in share.levels(&groups, facts) {
            findings.push(share.implies(level, l, &how, &groups, facts));
        }
    }
    findings
}

/// A share goal with a denominator.
struct ShareGoal<'t> {
    share: &'t Target,
    /// The denominator's indicator id (`gdp`).
    denominator: &'t str,
    /// The denominator in the share's jurisdiction.
    dkey: IndicatorKey,
    /// The unit of the numerator's levels.
    unit: String,
    /// The unit of the denominator's known values.
    dunit: String,
}

impl<'t> ShareGoal<'t> {
    /// The levels of the numerator due with the share: level goals of the same
    /// comparator, and rate goals from a known base; with the goal and how it is known.
    fn levels(&self, groups: &Groups<'t>, facts: &Facts) -> Vec<(f64, &'t Target, String)> {
        let t = self.share;
        let mut levels = Vec::new();
        for &l in groups
            .get(&(t.indicator.clone(), t.deadline))
            .into_iter()
            .flatten()
        {
            match l.kind {
                TargetKind::Level if l.comparator == t.comparator => {
                    if let Some(v) = l.value {
                        levels.push((v, l, format!("level goal {}", l.id)));
                    }
                }
                TargetKind::Growth | TargetKind::Increase => {
                    if let (Some(f), Some((k, src))) = (l.factor(), facts.base_of(l, None)) {
                        let how = format!(
                            "{} from {} ({src})",
                            describe_rate(l),
                            with_unit(k, &self.unit)
                        );
                        levels.push((k * f, l, how));
                    }
                }
                _ => {}
            }
        }
        levels
    }

    /// What the level `level` of goal `l` and the share imply.
    fn implies(
        &self,
        level: f64,
        l: &Target,
        how: &str,
        groups: &Groups<'_>,
        facts: &Facts,
    ) -> Finding {
        let (t, denominator, dkey, unit) = (self.share, self.denominator, &self.dkey, &self.unit);
        let mut figures = vec![Figure::new(
            format!("level {}", t.deadline),
            level,
            unit.clone(),
        )];
        let finding = |kind, severity, figures, text| {
            Finding::new(kind, severity, &[l, t], Some(dkey.clone()), figures, text)
        };
        let Some(share) = t.value else {
            let text = format!(
                "The share goal {} cannot be read; once supplied, {dkey} in {} = {} / share.",
                t.id,
                t.deadline,
                with_unit(level, unit)
            );
            return finding(
                FindingKind::ImpliedDenominator,
                Severity::Note,
                figures,
                text,
            );
        };
        figures.push(Figure::new(format!("share {}", t.deadline), share, "%"));
        let implied = level / (share / 100.0);
        figures.push(Figure::new(
            format!("implied {denominator} {}", t.deadline),
            implied,
            unit.clone(),
        ));
        let mut text = format!(
            "{} ({how}) at {} of {denominator} implies {denominator} of {} in {}.",
            with_unit(level, unit),
            pct_text(share / 100.0),
            with_unit(implied, unit),
            t.deadline
        );
        if !self.dunit.is_empty() && self.dunit != *unit {
            text.push_str(&format!(
                " Known values of {dkey} are in `{}`, not `{unit}`: not compared.",
                self.dunit
            ));
            return finding(
                FindingKind::ImpliedDenominator,
                Severity::Note,
                figures,
                text,
            );
        }
        let agree = self.beside_goals(implied, groups, &mut figures, &mut text);
        self.growth_needed(implied, facts, &mut figures, &mut text);
        if agree {
            finding(
                FindingKind::ImpliedDenominator,
                Severity::Note,
                figures,
                text,
            )
        } else {
            finding(FindingKind::Conflict, Severity::Problem, figures, text)
        }
    }

    /// The implied denominator beside the denominator's readable level goals due with
    /// the share; whether every one of them agrees.
    fn beside_goals(
        &self,
        implied: f64,
        groups: &Groups<'_>,
        figures: &mut Vec<Figure>,
        text: &mut String,
    ) -> bool {
        let (denominator, unit) = (self.denominator, &self.unit);
        let goals = groups
            .get(&(self.dkey.clone(), self.share.deadline))
            .into_iter()
            .flatten()
            .filter(|d| d.kind == TargetKind::Level && d.value.is_some());
        let mut agree = true;
        for d in goals {
            let v = d.value.unwrap_or_default();
            figures.push(Figure::new(format!("goal {}", d.id), v, unit.clone()));
            if (implied / v - 1.0).abs() > AGREEMENT_TOLERANCE {
                agree = false;
                text.push_str(&format!(
                    " The {denominator} goal {} is {}: the level, the share and the {denominator} goal disagree.",
                    d.id,
                    with_unit(v, unit)
                ));
            } else {
                text.push_str(&format!(
                    " This agrees with the {denominator} goal {} ({}).",
                    d.id,
                    with_unit(v, unit)
                ));
            }
        }
        agree
    }

    /// The growth the implied denominator needs from its latest known value.
    fn growth_needed(
        &self,
        implied: f64,
        facts: &Facts,
        figures: &mut Vec<Figure>,
        text: &mut String,
    ) {
        let (denominator, unit, deadline) = (self.denominator, &self.unit, self.share.deadline);
        match facts.latest_known(&self.dkey) {
            Some((y, v, src)) if y < deadline => {
                let g = annual(implied / v, deadline - y);
                figures.push(Figure::new(
                    format!("latest {denominator} {y}"),
                    v,
                    unit.clone(),
                ));
                figures.push(Figure::new(
                    format!("{denominator} growth {y}-{deadline} required"),
                    g * 100.0,
                    "%/yr",
                ));
                text.push_str(&format!(
                    " From the latest known {denominator}, {} in {y} ({src}), that needs growth of {} a year (nominal, in {unit}).",
                    with_unit(v, unit),
                    pct_text(g)
                ));
            }
            _ => text.push_str(&format!(
                " No earlier value of {} is known to say what growth it needs.",
                self.dkey
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue, close, figure, history, hubei};
    use super::super::{FindingKind, Severity, check_catalogue};
    use crate::indicator::IndicatorKey;

    #[test]
    fn a_level_and_a_share_imply_gdp_and_the_growth_it_needs() {
        let c = catalogue(
            "a,sei,Hubei,战新,SEI,亿元,level,>=,,,18000,2028,000,q,,,,\n\
             b,sei,Hubei,战新占比,SEI share,%,share,>=,,,25,2028,000,q,gdp,,,\n",
        );
        let h = history("gdp,Hubei,2022,53734.92,亿元,\n");
        let r = check_catalogue(&c, Some(&h), &hubei());
        let f: Vec<_> = r.of_kind(FindingKind::ImpliedDenominator).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert_eq!(f[0].targets, ["a", "b"]);
        assert!(close(figure(f[0], "implied gdp"), 72_000.0));
        let g = (72_000.0_f64 / 53_734.92).powf(1.0 / 6.0) - 1.0;
        assert!(close(figure(f[0], "gdp growth 2022-2028"), g * 100.0));
        assert_eq!(f[0].indicator, Some(IndicatorKey::new("Hubei", "gdp")));
        assert_eq!(r.count_severity(Severity::Problem), 0);
    }

    #[test]
    fn a_denominator_goal_that_disagrees_is_a_conflict() {
        let c = catalogue(
            "a,sei,Hubei,战新,SEI,亿元,level,>=,,,18000,2028,000,q,,,,\n\
             b,sei,Hubei,战新占比,SEI share,%,share,>=,,,25,2028,000,q,gdp,,,\n\
             g,gdp,Hubei,GDP,GDP,亿元,level,>=,,,90000,2028,000,q,,,,\n",
        );
        let r = check_catalogue(&c, None, &hubei());
        assert_eq!(r.count(FindingKind::Conflict), 1, "{r:#?}");
        assert_eq!(r.count(FindingKind::ImpliedDenominator), 0);
    }
}

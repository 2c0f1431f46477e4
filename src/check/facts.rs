//! The shared fact table: what value is known for an indicator in a year, and where it
//! comes from. Built once from the catalogue and the history, then only read.
//!
//! Precedence, per indicator and year: a base a target states wins (the first target
//! that states it), then a value the catalogue carries, then the history (values only,
//! the last row wins). History rows in another unit than the indicator's are refused and
//! reported by [`history_in_other_units`].

use std::collections::BTreeMap;
use std::fmt;

use crate::indicator::IndicatorKey;
use crate::io::catalogue::Catalogue;
use crate::io::history::{Bound, History};
use crate::target::{Target, TargetKind};

use super::{Finding, FindingKind, Severity};

/// Where a known value comes from.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Source {
    /// A target states it as its base.
    Stated(String),
    /// The catalogue carries it (history merged before the check).
    Catalogue,
    /// The history file, at this line.
    History(u64),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Stated(id) => write!(f, "stated by {id}"),
            Source::Catalogue => f.write_str("catalogue"),
            Source::History(line) => write!(f, "history line {line}"),
        }
    }
}

/// Known values of one indicator, by year, in one unit.
#[derive(Debug, Clone, Default)]
struct Known {
    unit: String,
    values: BTreeMap<i32, (f64, Source)>,
}

/// A known value: year, value, where it comes from.
pub(super) type KnownValue<'s> = (i32, f64, &'s Source);

/// History rows refused for their unit: the indicator's unit, the rows' unit, their lines.
type Refused = (String, String, Vec<u64>);

/// What is known of every indicator, immutable once built.
#[derive(Debug, Clone, Default)]
pub(super) struct Facts {
    known: BTreeMap<IndicatorKey, Known>,
    refused: BTreeMap<IndicatorKey, Refused>,
}

impl Facts {
    /// The values the catalogue carries and its targets state, then the history's.
    pub(super) fn new(cat: &Catalogue, history: Option<&History>) -> Self {
        let mut facts = Facts::default();
        for ind in &cat.indicators {
            let known = facts.known.entry(ind.key.clone()).or_default();
            known.unit = ind.unit.clone();
            for h in &ind.history {
                known.values.insert(h.year, (h.value, Source::Catalogue));
            }
        }
        for t in &cat.targets {
            if let (Some(year), Some(value)) = (t.base_year, t.base_value) {
                let known = facts.known.entry(t.indicator.clone()).or_default();
                if !matches!(known.values.get(&year), Some((_, Source::Stated(_)))) {
                    known
                        .values
                        .insert(year, (value, Source::Stated(t.id.clone())));
                }
            }
        }
        if let Some(h) = history {
            facts.add_history(h);
        }
        facts
    }

    /// Adds history values (last row wins), refusing rows in another unit.
    fn add_history(&mut self, history: &History) {
        for row in history.rows.iter().filter(|r| r.bound == Bound::Value) {
            let known = self.known.entry(row.indicator.clone()).or_default();
            if known.unit.is_empty() {
                known.unit = row.unit.clone();
            }
            if known.unit != row.unit {
                self.refused
                    .entry(row.indicator.clone())
                    .or_insert_with(|| (known.unit.clone(), row.unit.clone(), Vec::new()))
                    .2
                    .push(row.line);
                continue;
            }
            match known.values.get(&row.year) {
                None | Some((_, Source::History(_))) => {
                    known
                        .values
                        .insert(row.year, (row.value, Source::History(row.line)));
                }
                Some(_) => {}
            }
        }
    }

    /// The unit of an indicator's levels (empty when nothing says it).
    pub(super) fn unit_of(&self, key: &IndicatorKey) -> String {
        self.known
            .get(key)
            .map(|k| k.unit.clone())
            .unwrap_or_default()
    }

    /// The unit of a target's figure: `%` for rates and shares, `rank` for ranks, else
    /// the indicator's unit.
    pub(super) fn value_unit(&self, t: &Target) -> String {
        match t.kind {
            TargetKind::Growth | TargetKind::Increase | TargetKind::Decline | TargetKind::Share => {
                "%".into()
            }
            TargetKind::Rank => "rank".into(),
            _ => self.unit_of(&t.indicator),
        }
    }

    /// The value known for `year`.
    pub(super) fn known_at(&self, key: &IndicatorKey, year: i32) -> Option<(f64, &Source)> {
        self.known.get(key)?.values.get(&year).map(|(v, s)| (*v, s))
    }

    /// The known value closest to `year`: the latest before it, else the earliest after.
    pub(super) fn nearest_known(&self, key: &IndicatorKey, year: i32) -> Option<KnownValue<'_>> {
        let values = &self.known.get(key)?.values;
        values
            .range(..year)
            .next_back()
            .or_else(|| values.range(year..).next())
            .map(|(y, (v, s))| (*y, *v, s))
    }

    /// The latest year any known value describes.
    pub(super) fn latest_year(&self) -> Option<i32> {
        self.known
            .values()
            .filter_map(|k| k.values.keys().next_back().copied())
            .max()
    }

    /// The latest known value.
    pub(super) fn latest_known(&self, key: &IndicatorKey) -> Option<KnownValue<'_>> {
        self.known
            .get(key)?
            .values
            .iter()
            .next_back()
            .map(|(y, (v, s))| (*y, *v, s))
    }

    /// The base a rate goal is measured from, if some source states it: the rate goal
    /// itself, then `other` (a goal read with it) for the same base year, then the table.
    pub(super) fn base_of(&self, rate: &Target, other: Option<&Target>) -> Option<(f64, String)> {
        let year = rate.base_year?;
        if let Some(v) = rate.base_value {
            return Some((v, format!("stated by {}", rate.id)));
        }
        if let Some(o) = other
            && o.base_year == Some(year)
            && let Some(v) = o.base_value
        {
            return Some((v, format!("stated by {}", o.id)));
        }
        self.known_at(&rate.indicator, year)
            .map(|(v, s)| (v, s.to_string()))
    }
}

/// `unit_mismatch`: history rows in another unit than the catalogue's, which the fact
/// table refused.
pub(super) fn history_in_other_units(cat: &Catalogue, facts: &Facts) -> Vec<Finding> {
    facts
        .refused
        .iter()
        .map(|(key, (unit, history_unit, lines))| {
            let targets: Vec<&Target> = cat.targets.iter().filter(|t| &t.indicator == key).collect();
            let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
            Finding::new(
                FindingKind::UnitMismatch,
                Severity::Problem,
                &targets,
                Some(key.clone()),
                Vec::new(),
                format!(
                    "The catalogue writes {key} in `{unit}` but history line(s) {} are in `{history_unit}`; those values are not used. Convert them to `{unit}`.",
                    lines.join(", ")
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue, history, hubei};
    use super::super::{FindingKind, check_catalogue};

    #[test]
    fn history_in_another_unit_is_reported_and_not_used() {
        let c = catalogue("a,trade,Hubei,进出口,trade,亿元,level,>=,,,10000,2028,000,q,,,,\n");
        let h = history("trade,Hubei,2022,6000,万元,\n");
        let r = check_catalogue(&c, Some(&h), &hubei());
        assert_eq!(r.count(FindingKind::UnitMismatch), 1, "{r:#?}");
        assert!(r.targets_in(FindingKind::NeedsBaseline).contains("a"));
    }
}

//! Kinds of goal and what each one requires of an indicator's path.

use std::fmt;
use std::str::FromStr;

pub use crate::error::Unsimulated;
use crate::indicator::{Indicator, IndicatorKey};
pub use crate::units::{Comparator, LOG_TOLERANCE};

/// The kind of a quantitative goal (see `data/README.md` for how each is read from a document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// The indicator is at least / at most a level in the deadline year (达到, 突破).
    Level,
    /// Average annual compound growth of at least g from the base year (年均增长):
    /// the level `base · (1+g)^(deadline − base_year)`.
    Growth,
    /// Total growth of at least p from the base year (增长 p, 倍增): the level `base · (1+p)`.
    Increase,
    /// A fall of at least d from the base year (下降): at most `base · (1 − d)`.
    Decline,
    /// A ratio to another indicator, in percent (占 GDP 比重).
    Share,
    /// A total over the years after the base year up to the deadline (累计).
    Cumulative,
    /// At least a value in every year of the period (每年).
    PerYear,
    /// Growth of at least g % in every year of the period (每年增长), as distinct from
    /// average growth.
    GrowthEveryYear,
    /// A rank among jurisdictions; recorded, not simulated.
    Rank,
    /// A yes/no milestone; recorded, not simulated.
    Milestone,
}

impl TargetKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [TargetKind; 10] = [
        TargetKind::Level,
        TargetKind::Growth,
        TargetKind::Increase,
        TargetKind::Decline,
        TargetKind::Share,
        TargetKind::Cumulative,
        TargetKind::PerYear,
        TargetKind::GrowthEveryYear,
        TargetKind::Rank,
        TargetKind::Milestone,
    ];

    /// The name used in catalogue files.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Level => "level",
            TargetKind::Growth => "growth",
            TargetKind::Increase => "increase",
            TargetKind::Decline => "decline",
            TargetKind::Share => "share",
            TargetKind::Cumulative => "cumulative",
            TargetKind::PerYear => "per_year",
            TargetKind::GrowthEveryYear => "growth_every_year",
            TargetKind::Rank => "rank",
            TargetKind::Milestone => "milestone",
        }
    }

    /// Whether the kind is simulated (all but ranks and milestones).
    pub fn is_simulated(self) -> bool {
        !matches!(self, TargetKind::Rank | TargetKind::Milestone)
    }

    /// Checks a target value of this kind (`unit` is the indicator's unit); the error
    /// says what the value must be.
    pub fn check_value(kind: TargetKind, unit: &str, v: f64) -> Result<(), &'static str> {
        match kind {
            _ if !v.is_finite() => Err("not a finite number"),
            TargetKind::Level if v <= 0.0 => Err("a level target must be positive"),
            TargetKind::Level if unit == "%" && v > 100.0 => {
                Err("a percentage level cannot exceed 100 %")
            }
            TargetKind::Growth | TargetKind::Increase | TargetKind::GrowthEveryYear
                if v <= -100.0 =>
            {
                Err("growth is in percent and must be above -100")
            }
            TargetKind::Decline if !(v > 0.0 && v < 100.0) => {
                Err("a decline is in percent and must lie strictly between 0 and 100")
            }
            TargetKind::Share if !(v > 0.0 && v <= 100.0) => {
                Err("a share is in percent of its denominator and must lie in (0, 100]")
            }
            TargetKind::Cumulative | TargetKind::PerYear if v < 0.0 => {
                Err("a total or yearly minimum cannot be negative")
            }
            TargetKind::Rank if !(v >= 1.0 && v.fract() == 0.0) => {
                Err("a rank is a whole number from 1")
            }
            _ => Ok(()),
        }
    }

    /// Whether the target value is a percentage change from the base year.
    pub fn is_relative(self) -> bool {
        matches!(
            self,
            TargetKind::Growth | TargetKind::Increase | TargetKind::Decline
        )
    }
}

impl fmt::Display for TargetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TargetKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        TargetKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = TargetKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown kind; expected one of {}", names.join(", "))
            })
    }
}

/// A quantitative goal set on one indicator, as recorded from its source document.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Unique id, e.g. `000_rd_growth`.
    pub id: String,
    /// The indicator the goal is set on.
    pub indicator: IndicatorKey,
    /// The catalogue row's Chinese name: of what the goal measures (for a share, the
    /// share itself, `新能源汽车占比`), for charts.
    pub name_zh: String,
    /// The catalogue row's English name.
    pub name_en: String,
    /// Kind of goal.
    pub kind: TargetKind,
    /// At least or at most.
    pub comparator: Comparator,
    /// The figure as the catalogue records it: a level in the indicator's unit, or a
    /// percentage for relative kinds. `None` when the document's figure cannot be read.
    pub value: Option<f64>,
    /// The year relative goals are measured from.
    pub base_year: Option<i32>,
    /// The indicator's value in `base_year`, when the document states it.
    pub base_value: Option<f64>,
    /// The year by which the goal is due.
    pub deadline: i32,
    /// The seed document that sets it (`000` … `004`).
    pub document: String,
    /// The verbatim clause of the document.
    pub quote: String,
    /// For `share`: the denominator indicator's id.
    pub denominator: Option<String>,
    /// The document's figure could not be read with confidence.
    pub uncertain: bool,
    /// The id of the target this one is a part of (a cluster's pillar), if any.
    pub parent: Option<String>,
    /// Reading notes.
    pub note: String,
}

/// What a simulated goal requires of the indicator's level in a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// A fixed level K, in the indicator's unit.
    Level(f64),
    /// `factor` times the indicator's own (simulated) level in `year`: growth measured
    /// from a base year later than the last known value.
    Relative {
        /// The base year whose simulated level the goal is measured from.
        year: i32,
        /// The multiple of that level required (e.g. 1.14⁵).
        factor: f64,
    },
}

impl Target {
    /// What the goal requires, in a few words (`年均增长 ≥ 14 %`, `≥ 10,000 亿元`,
    /// `占比 ≥ 50 %`), for charts; `unit` is the indicator's unit.
    pub fn describe(&self, unit: &str) -> String {
        let sign = self.comparator.sign();
        let Some(v) = self.value else {
            return if self.kind == TargetKind::Milestone {
                "里程碑 milestone".into()
            } else {
                "目标值不明 value unreadable".into()
            };
        };
        let unit = if unit == "count" { "" } else { unit };
        let v = crate::units::group_thousands(v);
        match self.kind {
            TargetKind::Level => format!("{sign} {v} {unit}"),
            TargetKind::Growth => format!("年均增长 {sign} {v} %"),
            TargetKind::Increase => format!("增长 {sign} {v} %"),
            TargetKind::Decline => format!("下降 ≥ {v} %"),
            // the goal's name says of what (占GDP比重): the denominator's id is not a name
            TargetKind::Share => format!("占比 {sign} {v} %"),
            TargetKind::Cumulative => format!("累计 {sign} {v} {unit}"),
            TargetKind::PerYear => format!("每年 {sign} {v} {unit}"),
            TargetKind::GrowthEveryYear => format!("每年增长 {sign} {v} %"),
            TargetKind::Rank => format!("排名 {sign} {v}"),
            TargetKind::Milestone => "里程碑 milestone".into(),
        }
        .trim_end()
        .to_string()
    }

    /// The multiple of the base-year level a relative goal requires, e.g. `1.14^5` for
    /// 14 % a year over five years; `None` for other kinds or an unreadable value.
    pub fn factor(&self) -> Option<f64> {
        let v = self.value? / 100.0;
        match self.kind {
            TargetKind::Growth => {
                let years = self.deadline - self.base_year?;
                Some((1.0 + v).powi(years))
            }
            TargetKind::Increase => Some(1.0 + v),
            TargetKind::Decline => Some(1.0 - v),
            _ => None,
        }
    }

    /// What the goal requires of `indicator`, whose last known value is where paths start.
    ///
    /// * `level`: the stated level.
    /// * `growth`, `increase`, `decline` with base year B: if B is at or before the start
    ///   and the base value is known (stated by the target, or a known value of the
    ///   indicator in B), a fixed level `base · factor`; if B is after the start,
    ///   `factor` times the simulated level in B.
    pub fn threshold(&self, indicator: &Indicator) -> Result<Threshold, Unsimulated> {
        if !self.kind.is_simulated() {
            return Err(Unsimulated::Recorded);
        }
        let Some(value) = self.value else {
            return Err(Unsimulated::NeedsValue);
        };
        let start = indicator.base.ok_or(Unsimulated::NeedsBaseline)?;
        if self.deadline <= start.year {
            return Err(Unsimulated::DeadlineNotAfterBase);
        }
        if self.kind == TargetKind::Level {
            return Ok(Threshold::Level(value));
        }
        let factor = self.factor().ok_or(Unsimulated::NeedsBaseline)?;
        let base_year = self.base_year.ok_or(Unsimulated::NeedsBaseline)?;
        if base_year > start.year {
            Ok(Threshold::Relative {
                year: base_year,
                factor,
            })
        } else {
            let base = self
                .base_value
                .or_else(|| indicator.value_in(base_year))
                .ok_or(Unsimulated::NeedsBaseline)?;
            Ok(Threshold::Level(base * factor))
        }
    }
}

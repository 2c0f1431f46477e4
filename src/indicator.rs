//! Indicators: the quantities that policy goals are set on.

use std::fmt;

/// Names an indicator in one jurisdiction, e.g. `Hubei/rd_expenditure`.
///
/// The same indicator id (R&D spending) is tracked separately for the province and
/// for each city, so the simulation unit is the pair.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndicatorKey {
    /// Jurisdiction, e.g. `Hubei`, `Ezhou`, `Huangshi`.
    pub jurisdiction: String,
    /// Indicator id, snake_case, e.g. `rd_expenditure`.
    pub id: String,
}

impl IndicatorKey {
    /// Builds a key from a jurisdiction and an indicator id.
    pub fn new(jurisdiction: impl Into<String>, id: impl Into<String>) -> Self {
        IndicatorKey {
            jurisdiction: jurisdiction.into(),
            id: id.into(),
        }
    }
}

impl fmt::Display for IndicatorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.jurisdiction, self.id)
    }
}

/// A value of an indicator in a given year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Calendar year.
    pub year: i32,
    /// Value, in the indicator's unit.
    pub value: f64,
}

/// An indicator: what is measured, in which unit, and where its simulation starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Which indicator, where.
    pub key: IndicatorKey,
    /// Chinese name as the source document writes it.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Unit of every value of this indicator (e.g. `亿元`, `count`, `%`).
    pub unit: String,
    /// The latest known value, from which paths start; `None` when no source states one.
    pub base: Option<Observation>,
    /// Known values (bases stated by the documents, history), by year, for charts.
    pub history: Vec<Observation>,
    /// Where each known value comes from, by year: the history file's source and grade,
    /// or the seed document that states it.
    pub sources: std::collections::BTreeMap<i32, String>,
}

impl Indicator {
    /// The known value in `year`, if any.
    pub fn value_in(&self, year: i32) -> Option<f64> {
        self.history
            .iter()
            .find(|h| h.year == year)
            .map(|h| h.value)
    }
}

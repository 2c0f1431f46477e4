//! Reading observed values (`data/history.csv`, long format) and choosing one value per year.
//!
//! Rule: for one indicator, jurisdiction and year, rows with an empty `bound` are values;
//! among several values the **last row in the file wins** and the others are reported
//! as overridden ([`History::overridden`]); bounds and estimates are never used as values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::indicator::{IndicatorKey, Observation};
use crate::io::csv_table::{CsvTable, Row};

/// What a history figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A published value.
    Value,
    /// At least this much (突破, 超过).
    Lower,
    /// At most this much.
    Upper,
    /// Expected, projected or derived: not a published value.
    Estimate,
}

/// One row of a history file.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// Which indicator, where.
    pub indicator: IndicatorKey,
    /// Year.
    pub year: i32,
    /// Figure, in `unit`.
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// Value or bound.
    pub bound: Bound,
    /// Source address or `seed NNN`.
    pub source: String,
    /// Line in the file.
    pub line: u64,
}

/// A value that another row for the same indicator and year replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Indicator.
    pub indicator: IndicatorKey,
    /// Year.
    pub year: i32,
    /// The value used, and its line.
    pub used: (f64, u64),
    /// The values not used, and their lines.
    pub dropped: Vec<(f64, u64)>,
}

/// A checked history file.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The file.
    pub path: PathBuf,
    /// Every row, in file order.
    pub rows: Vec<HistoryRow>,
}

impl History {
    /// Reads and checks a history file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        Self::from_reader(file, path)
    }

    /// Reads and checks history from any reader; `name` stands for the file in errors.
    pub fn from_reader(reader: impl std::io::Read, name: impl AsRef<Path>) -> Result<Self> {
        let path = name.as_ref();
        let table = CsvTable::read(
            reader,
            path,
            &["indicator", "jurisdiction", "year", "value", "unit"],
            &["bound", "source", "quote", "note"],
        )?;
        let rows = table
            .rows()
            .map(|row| parse_row(&row))
            .collect::<Result<_>>()?;
        Ok(History {
            path: path.to_path_buf(),
            rows,
        })
    }

    /// Values chosen for one indicator, by year (bounds and estimates left out).
    pub fn values(&self, key: &IndicatorKey) -> Vec<Observation> {
        self.chosen()
            .into_iter()
            .filter(|((k, _), _)| k == key)
            .map(|((_, year), rows)| Observation {
                year,
                value: rows.last().expect("groups are not empty").value,
            })
            .collect()
    }

    /// Every indicator, year with more than one differing value, and which one was used.
    pub fn overridden(&self) -> Vec<Override> {
        self.chosen()
            .into_iter()
            .filter_map(|((indicator, year), rows)| {
                let (last, earlier) = rows.split_last()?;
                let dropped: Vec<_> = earlier
                    .iter()
                    .filter(|r| r.value != last.value)
                    .map(|r| (r.value, r.line))
                    .collect();
                (!dropped.is_empty()).then_some(Override {
                    indicator,
                    year,
                    used: (last.value, last.line),
                    dropped,
                })
            })
            .collect()
    }

    /// The unit of an indicator's rows (the first row's), if it has any.
    pub fn unit_of(&self, key: &IndicatorKey) -> Option<(&str, u64)> {
        self.rows
            .iter()
            .find(|r| &r.indicator == key)
            .map(|r| (r.unit.as_str(), r.line))
    }

    fn chosen(&self) -> BTreeMap<(IndicatorKey, i32), Vec<&HistoryRow>> {
        let mut groups: BTreeMap<(IndicatorKey, i32), Vec<&HistoryRow>> = BTreeMap::new();
        for r in self.rows.iter().filter(|r| r.bound == Bound::Value) {
            groups
                .entry((r.indicator.clone(), r.year))
                .or_default()
                .push(r);
        }
        groups
    }
}

fn parse_row(row: &Row<'_>) -> Result<HistoryRow> {
    let bound = match row.raw("bound") {
        "" => Bound::Value,
        "lower" => Bound::Lower,
        "upper" => Bound::Upper,
        "estimate" => Bound::Estimate,
        other => {
            return Err(row.error(
                "bound",
                other,
                "expected empty, `lower`, `upper` or `estimate`",
            ));
        }
    };
    let value = row.number("value")?;
    let unit = row.text("unit")?;
    if unit != "%" && value < 0.0 {
        return Err(row.error("value", row.raw("value"), "a level cannot be negative"));
    }
    Ok(HistoryRow {
        indicator: IndicatorKey::new(row.text("jurisdiction")?, row.text("indicator")?),
        year: row.year("year")?,
        value,
        unit,
        bound,
        source: row.raw("source").to_string(),
        line: row.line(),
    })
}

//! Reading observed values (`data/history.csv`, long format) and choosing one value per year.
//!
//! Rule: for one indicator, jurisdiction and year, rows with an empty `bound` are values;
//! among several values the **best-graded source wins** (`official` over `press` over
//! `secondary` over an ungraded row) and, between rows of the same grade, the **last row
//! in the file**; the others are reported as overridden ([`History::overridden`]).
//! Bounds and estimates are never used as values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::indicator::{Indicator, IndicatorKey, Observation};
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

/// How far a history figure's source can be trusted (column `reliability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reliability {
    /// No grade given.
    Ungraded,
    /// Anything else: an encyclopedia copy, a page that names no source.
    Secondary,
    /// A reprint that names the official source (统计公报, 政府工作报告, 省统计局).
    Press,
    /// A government or statistics-office page, or a seed document itself.
    Official,
}

impl Reliability {
    /// The grade as written in the file (empty when ungraded).
    pub fn as_str(self) -> &'static str {
        match self {
            Reliability::Ungraded => "",
            Reliability::Secondary => "secondary",
            Reliability::Press => "press",
            Reliability::Official => "official",
        }
    }
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
    /// How far the source can be trusted.
    pub reliability: Reliability,
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
            &["bound", "source", "quote", "note", "reliability"],
        )?;
        // Every row is read, so one message names every bad row of the file.
        let rows = table.parse_rows(|row| parse_row(&row))?;
        Ok(History {
            path: path.to_path_buf(),
            rows,
        })
    }

    /// The history as known at the end of `year`: only rows of that year or before
    /// (`--as-of`). The file path is kept, so errors still name the file.
    ///
    /// ```
    /// use goalcast::io::history::History;
    /// let csv = "indicator,jurisdiction,year,value,unit\nrd,Hubei,2021,1.0,亿元\nrd,Hubei,2022,1.1,亿元\n";
    /// let h = History::from_reader(csv.as_bytes(), "h.csv")?.as_of(2021);
    /// assert_eq!(h.rows.len(), 1);
    /// # Ok::<(), goalcast::Error>(())
    /// ```
    pub fn as_of(&self, year: i32) -> History {
        History {
            path: self.path.clone(),
            rows: self
                .rows
                .iter()
                .filter(|r| r.year <= year)
                .cloned()
                .collect(),
        }
    }

    /// Values chosen for one indicator, by year (bounds and estimates left out).
    pub fn values(&self, key: &IndicatorKey) -> Vec<Observation> {
        self.chosen(Some(key))
            .into_iter()
            .map(|((_, year), rows)| Observation {
                year,
                value: rows.last().expect("groups are not empty").value,
            })
            .collect()
    }

    /// Values chosen for one indicator, by year, each with where it comes from (the
    /// row's source, its grade and line).
    pub fn values_with_sources(&self, key: &IndicatorKey) -> Vec<(Observation, String)> {
        self.chosen(Some(key))
            .into_iter()
            .map(|((_, year), rows)| {
                let r = rows.last().expect("groups are not empty");
                let grade = match r.reliability {
                    Reliability::Ungraded => "ungraded",
                    g => g.as_str(),
                };
                let source = format!(
                    "{} ({grade}; {}, line {})",
                    r.source,
                    self.path.display(),
                    r.line
                );
                (
                    Observation {
                        year,
                        value: r.value,
                    },
                    source,
                )
            })
            .collect()
    }

    /// Every series of the file as an indicator (key, unit of its first row, chosen
    /// values and their sources), in key order; names are the ids.
    pub fn series(&self) -> Vec<Indicator> {
        let keys: std::collections::BTreeSet<&IndicatorKey> =
            self.rows.iter().map(|r| &r.indicator).collect();
        keys.into_iter()
            .filter_map(|key| {
                let chosen = self.values_with_sources(key);
                let unit = self.unit_of(key)?.0.to_string();
                Some(Indicator {
                    key: key.clone(),
                    name_zh: key.id.clone(),
                    name_en: key.id.clone(),
                    unit,
                    base: chosen.last().map(|(o, _)| *o),
                    history: chosen.iter().map(|(o, _)| *o).collect(),
                    sources: chosen.into_iter().map(|(o, s)| (o.year, s)).collect(),
                })
            })
            .collect()
    }

    /// Every indicator, year with more than one differing value, and which one was used.
    pub fn overridden(&self) -> Vec<Override> {
        self.chosen(None)
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

    /// Every (indicator, year)'s rows, the chosen one last; only `key`'s if given.
    fn chosen(
        &self,
        key: Option<&IndicatorKey>,
    ) -> BTreeMap<(IndicatorKey, i32), Vec<&HistoryRow>> {
        let mut groups: BTreeMap<(IndicatorKey, i32), Vec<&HistoryRow>> = BTreeMap::new();
        let rows = self
            .rows
            .iter()
            .filter(|r| r.bound == Bound::Value && key.is_none_or(|k| &r.indicator == k));
        for r in rows {
            groups
                .entry((r.indicator.clone(), r.year))
                .or_default()
                .push(r);
        }
        // The chosen row comes last: best grade, then last in the file (a stable sort).
        for rows in groups.values_mut() {
            rows.sort_by_key(|r| r.reliability);
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
    let reliability = match row.raw("reliability") {
        "" => Reliability::Ungraded,
        "official" => Reliability::Official,
        "press" => Reliability::Press,
        "secondary" => Reliability::Secondary,
        other => {
            return Err(row.error(
                "reliability",
                other,
                "expected empty, `official`, `press` or `secondary`",
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
        reliability,
        line: row.line(),
    })
}

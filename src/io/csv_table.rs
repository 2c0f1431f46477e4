//! A CSV file read whole, with typed field access whose errors name file, line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A CSV file with a header row, columns in any order.
pub(crate) struct CsvTable {
    path: PathBuf,
    header: HashMap<String, usize>,
    records: Vec<csv::StringRecord>,
}

/// One row of a [`CsvTable`].
pub(crate) struct Row<'a> {
    path: &'a Path,
    header: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

fn file_error(path: &Path, e: &csv::Error) -> Error {
    let line = |pos: &Option<csv::Position>| pos.as_ref().map_or(0, csv::Position::line);
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {}: {len} fields where the header has {expected_len}",
            line(pos)
        ),
        csv::ErrorKind::Utf8 { pos, .. } => format!(
            "line {}: not valid UTF-8 (save the file as UTF-8; GBK is not read)",
            line(pos)
        ),
        _ => e.to_string(),
    };
    Error::CsvFile {
        path: path.to_path_buf(),
        reason,
    }
}

impl CsvTable {
    /// Reads every record; refuses a header that lacks a `required` column or has a
    /// column that is neither required nor `optional`.
    pub(crate) fn read(
        reader: impl std::io::Read,
        path: &Path,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Self> {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(reader);
        let mut header: HashMap<String, usize> = HashMap::new();
        for (i, name) in csv
            .headers()
            .map_err(|e| file_error(path, &e))?
            .iter()
            .enumerate()
        {
            if let Some(first) = header.insert(name.trim().to_string(), i) {
                return Err(Error::CsvFile {
                    path: path.to_path_buf(),
                    reason: format!(
                        "line 1: column `{}` appears twice in the header (fields {} and {}); \
                         keep one",
                        name.trim(),
                        first + 1,
                        i + 1
                    ),
                });
            }
        }
        let missing: Vec<_> = required
            .iter()
            .filter(|c| !header.contains_key(**c))
            .collect();
        if !missing.is_empty() {
            return Err(Error::CsvFile {
                path: path.to_path_buf(),
                reason: format!("header lacks required column(s) {missing:?}"),
            });
        }
        let mut unknown: Vec<&String> = header
            .keys()
            .filter(|c| !required.contains(&c.as_str()) && !optional.contains(&c.as_str()))
            .collect();
        unknown.sort();
        if let Some(c) = unknown.first() {
            return Err(Error::CsvFile {
                path: path.to_path_buf(),
                reason: format!(
                    "unknown column `{c}` in the header (known: {required:?} and {optional:?})"
                ),
            });
        }
        let records = csv
            .records()
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| file_error(path, &e))?;
        Ok(CsvTable {
            path: path.to_path_buf(),
            header,
            records,
        })
    }

    /// Every row parsed by `parse`, in file order; when rows fail, one error names every
    /// failing row (up to [`crate::error::MAX_PROBLEMS`]).
    pub(crate) fn parse_rows<T>(&self, parse: impl Fn(Row<'_>) -> Result<T>) -> Result<Vec<T>> {
        let (rows, errors): (Vec<_>, Vec<_>) = self.rows().map(parse).partition(Result::is_ok);
        let errors = errors.into_iter().filter_map(Result::err).collect();
        match Error::problems(&self.path, errors) {
            Some(e) => Err(e),
            None => Ok(rows.into_iter().filter_map(Result::ok).collect()),
        }
    }

    /// The rows, in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.records.iter().map(|record| Row {
            path: &self.path,
            header: &self.header,
            record,
        })
    }
}

impl Row<'_> {
    /// 1-based line of the row in its file.
    pub(crate) fn line(&self) -> u64 {
        self.record.position().map_or(0, csv::Position::line)
    }

    /// The file the row is in.
    pub(crate) fn path(&self) -> &Path {
        self.path
    }

    /// An error about one field of this row.
    pub(crate) fn error(&self, column: &str, value: &str, reason: impl Into<String>) -> Error {
        Error::Csv {
            path: self.path.to_path_buf(),
            line: self.line(),
            column: column.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// An identifier ([`crate::io::rules::check_identifier`]) that must be present.
    pub(crate) fn identifier(&self, column: &str) -> Result<String> {
        let raw = self.text(column)?;
        crate::io::rules::check_identifier(&raw)
            .map_err(|reason| self.error(column, &raw, reason))?;
        Ok(raw)
    }

    /// An identifier, or `None` for an empty cell.
    pub(crate) fn optional_identifier(&self, column: &str) -> Result<Option<String>> {
        if self.raw(column).is_empty() {
            return Ok(None);
        }
        self.identifier(column).map(Some)
    }

    /// The trimmed text of a field (empty if the column is absent).
    pub(crate) fn raw(&self, column: &str) -> &str {
        self.header
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    /// A field that must not be empty.
    pub(crate) fn text(&self, column: &str) -> Result<String> {
        let raw = self.raw(column);
        if raw.is_empty() {
            return Err(self.error(column, raw, "empty cell; a value is required"));
        }
        Ok(raw.to_string())
    }

    /// A finite number, or `None` for an empty cell. `NaN`, `inf` and figures beyond
    /// [`crate::io::rules::PLAUSIBLE_MAX`] are refused.
    pub(crate) fn optional_number(&self, column: &str) -> Result<Option<f64>> {
        let raw = self.raw(column);
        if raw.is_empty() {
            return Ok(None);
        }
        match raw.parse::<f64>() {
            Ok(v) => crate::io::rules::check_plausible(v)
                .map(|()| Some(v))
                .map_err(|reason| self.error(column, raw, reason)),
            _ => Err(self.error(column, raw, "not a number")),
        }
    }

    /// A finite number that must be present.
    pub(crate) fn number(&self, column: &str) -> Result<f64> {
        self.optional_number(column)?
            .ok_or_else(|| self.error(column, "", "empty cell; a number is required"))
    }

    /// A calendar year, or `None` for an empty cell.
    pub(crate) fn optional_year(&self, column: &str) -> Result<Option<i32>> {
        let raw = self.raw(column);
        if raw.is_empty() {
            return Ok(None);
        }
        match raw.parse::<i32>() {
            Ok(y) if (1900..=2200).contains(&y) => Ok(Some(y)),
            _ => Err(self.error(
                column,
                raw,
                "not a calendar year (a whole number from 1900 to 2200)",
            )),
        }
    }

    /// A calendar year that must be present.
    pub(crate) fn year(&self, column: &str) -> Result<i32> {
        self.optional_year(column)?
            .ok_or_else(|| self.error(column, "", "empty cell; a year is required"))
    }

    /// `true`, `false` or empty (false).
    pub(crate) fn flag(&self, column: &str) -> Result<bool> {
        match self.raw(column) {
            "" | "false" => Ok(false),
            "true" => Ok(true),
            other => Err(self.error(column, other, "expected `true`, `false` or empty")),
        }
    }

    /// A non-empty field parsed with `FromStr`, whose error message explains the domain.
    pub(crate) fn parsed<T: std::str::FromStr<Err = String>>(&self, column: &str) -> Result<T> {
        let raw = self.text(column)?;
        raw.parse()
            .map_err(|reason: String| self.error(column, &raw, reason))
    }
}

//! Writing tables: a CSV file from typed rows, and the cell formats every table shares.
//!
//! A table is a `#[derive(Serialize, Default)]` struct per row whose field names are the
//! column names, in order: the struct *is* the column contract. Cells are text formatted
//! here (shortest round-trip decimals, percentages rounded to 1e-10 points), so every
//! table writes a figure the same way. This module is a leaf: it knows rows only as
//! `Serialize` values.

use serde::Serialize;

use crate::error::{Error, Result};

/// A fraction as a percentage, rounded to 1e-10 points so that `0.28 * 100` prints as `28`.
///
/// ```
/// assert_eq!(goalcast::io::csv_write::pct(0.28), "28");
/// ```
pub fn pct(fraction: f64) -> String {
    ((fraction * 100.0 * 1e10).round() / 1e10).to_string()
}

/// A probability as reported: rounded to 4 decimals, the precision a Monte Carlo
/// estimate from 10⁴–10⁶ paths carries.
///
/// ```
/// assert_eq!(goalcast::io::csv_write::prob(0.123456), "0.1235");
/// assert_eq!(goalcast::io::csv_write::prob(1.0), "1");
/// ```
pub fn prob(p: f64) -> String {
    ((p * 1e4).round() / 1e4).to_string()
}

/// A level (a quantile, a threshold, a base needed) as reported: rounded to 6
/// significant digits, more than a simulated level carries.
///
/// ```
/// use goalcast::io::csv_write::level;
/// assert_eq!(level(140.49280000000005), "140.493");
/// assert_eq!(level(12345678.9), "12345700");
/// assert_eq!(level(0.000123456789), "0.000123457");
/// ```
pub fn level(x: f64) -> String {
    significant(x, 6)
}

/// A standard error as reported: 2 significant digits.
///
/// ```
/// assert_eq!(goalcast::io::csv_write::std_error(0.0015811), "0.0016");
/// ```
pub fn std_error(x: f64) -> String {
    significant(x, 2)
}

/// `x` rounded to `digits` significant digits, written as the shortest decimal.
fn significant(x: f64, digits: usize) -> String {
    if !x.is_finite() || x == 0.0 {
        return x.to_string();
    }
    // Scientific notation rounds to the digits; parsing it back gives the nearest double.
    format!("{x:.*e}", digits - 1)
        .parse::<f64>()
        .unwrap_or(x)
        .to_string()
}

/// An optional figure as text, empty when absent.
pub fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn buffer_error(e: impl ToString) -> Error {
    Error::io("(csv buffer)", std::io::Error::other(e.to_string()))
}

/// The column names of a row type, in order: its serialized field names.
///
/// ```
/// #[derive(serde::Serialize, Default)]
/// struct Row { target: String, p_reach: String }
/// assert_eq!(goalcast::io::csv_write::columns::<Row>(), ["target", "p_reach"]);
/// ```
pub fn columns<R: Serialize + Default>() -> Vec<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // A row of empty strings and a header: neither can fail to serialize.
    w.serialize(R::default()).expect("a default row serializes");
    let bytes = w.into_inner().expect("writing to memory");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    r.records()
        .next()
        .and_then(|h| h.ok())
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// A cell as a spreadsheet may safely open it (OWASP "CSV injection"): a text cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be evaluated as a
/// formula, so it gets a leading `'`; a number (`-5.5`, `+3`, `-inf` is not one) is left
/// as it is, as is every other cell.
///
/// ```
/// use goalcast::io::csv_write::neutralise;
/// assert_eq!(neutralise("=1+2"), "'=1+2");
/// assert_eq!(neutralise("@SUM(1+1)"), "'@SUM(1+1)");
/// assert_eq!(neutralise("-5.5"), "-5.5");
/// assert_eq!(neutralise("年均增长14%"), "年均增长14%");
/// ```
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.parse::<f64>().is_ok_and(f64::is_finite);
    if risky && !number {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A CSV table in memory: the header (the row type's [`columns`], written even when
/// there is no row), then one line per row, every cell [`neutralise`]d.
pub fn csv_of<R: Serialize + Default>(rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(columns::<R>()).map_err(buffer_error)?;
    // The rows' cells as text, then each made safe.
    let mut plain = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows {
        plain.serialize(row).map_err(buffer_error)?;
    }
    let bytes = plain.into_inner().map_err(buffer_error)?;
    let mut cells = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    for record in cells.records() {
        let record = record.map_err(buffer_error)?;
        w.write_record(record.iter().map(|c| neutralise(c).into_owned()))
            .map_err(buffer_error)?;
    }
    w.into_inner().map_err(buffer_error)
}

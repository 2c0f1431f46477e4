//! The cells of a result table as typed values: the workbook and `results.json` read
//! the very text the CSVs hold and type each cell by its column, so all three agree.

use crate::error::{Error, Result};

/// One cell of a table, typed by its column.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// An empty cell: a figure that does not apply.
    Empty,
    /// A figure of a numeric column.
    Number(f64),
    /// Text, or a figure of a column that holds identifiers (a seed, a target id).
    Text(String),
}

/// What a numeric column holds, for its display format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numeric {
    /// A year or a count: shown without decimals.
    Whole,
    /// A probability (a fraction): shown to 4 decimals.
    Probability,
    /// A percentage: shown to 2 decimals.
    Percent,
    /// A level or any other figure: shown with thousands separators, as many decimals as
    /// it has.
    Level,
}

/// Whether the column `name` holds figures, and which kind: percentages end in `_pct`,
/// probabilities start with `p_` (or are `probability`), quantiles are `q05` … `q95`;
/// years, counts and values are named. Seeds and ids stay text (a seed may exceed the
/// 15 digits a spreadsheet keeps).
pub fn numeric(name: &str) -> Option<Numeric> {
    const WHOLE: [&str; 13] = [
        "year",
        "base_year",
        "deadline",
        "start_year",
        "paths",
        "base_needed_year",
        "observed_year",
        "used_line",
        "observations",
        "intervals",
        "first_year",
        "last_year",
        "ar1_pairs",
    ];
    const LEVEL: [&str; 15] = [
        "base_value",
        "target_value",
        "start_value",
        "threshold",
        "low_value",
        "high_value",
        "used_value",
        "base_needed_p50",
        "base_needed_p80",
        "observed_value",
        "required_value",
        "span_years",
        "ar1_phi",
        "ar1_phi_se",
        "shock_rate",
    ];
    let quantile =
        name.len() == 3 && name.starts_with('q') && name[1..].bytes().all(|b| b.is_ascii_digit());
    if WHOLE.contains(&name) || name.ends_with("_year") {
        Some(Numeric::Whole)
    } else if name.ends_with("_pct") {
        Some(Numeric::Percent)
    } else if name.starts_with("p_") || name == "probability" {
        Some(Numeric::Probability)
    } else if LEVEL.contains(&name) || quantile {
        Some(Numeric::Level)
    } else {
        None
    }
}

/// A cell of column `column` from its CSV text: empty, a number if the column is
/// numeric and the text a finite number, else text.
///
/// ```
/// use goalcast::report::cells::{Cell, cell};
/// assert_eq!(cell("p_reach", "0.4321"), Cell::Number(0.4321));
/// assert_eq!(cell("target", "000_gdp"), Cell::Text("000_gdp".into()));
/// assert_eq!(cell("q50", ""), Cell::Empty);
/// ```
pub fn cell(column: &str, text: &str) -> Cell {
    if text.is_empty() {
        return Cell::Empty;
    }
    match (numeric(column), text.parse::<f64>()) {
        (Some(_), Ok(x)) if x.is_finite() => Cell::Number(x),
        _ => Cell::Text(text.to_string()),
    }
}

/// A table: its column names and its rows of typed cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The typed cells of CSV bytes written by [`crate::io::csv_write::csv_of`].
    pub fn from_csv(bytes: &[u8]) -> Result<Self> {
        let fail = |e: csv::Error| Error::io("(csv buffer)", std::io::Error::other(e.to_string()));
        let mut r = csv::Reader::from_reader(bytes);
        let columns: Vec<String> = r
            .headers()
            .map_err(fail)?
            .iter()
            .map(String::from)
            .collect();
        let rows = r
            .records()
            .map(|rec| {
                let rec = rec.map_err(fail)?;
                Ok(columns
                    .iter()
                    .zip(rec.iter())
                    .map(|(c, t)| cell(c, t))
                    .collect())
            })
            .collect::<Result<_>>()?;
        Ok(Table { columns, rows })
    }
}

//! The one error type of goalcast.
//!
//! Every error that comes from user input names where the input came from: the file,
//! the line and the column (or TOML key), the offending value and what is wrong with it.

use std::path::PathBuf;

/// Shorthand for `Result<T, goalcast::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in goalcast.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field of a CSV file is missing, malformed or out of range.
    #[error("{path}: line {line}, column `{column}`: {reason} (value: {value:?})")]
    Csv {
        /// The file read.
        path: PathBuf,
        /// 1-based line number in the file (the header is line 1).
        line: u64,
        /// The column name from the header.
        column: String,
        /// The raw text of the field.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// A CSV file is not well-formed as a whole (bad quoting, a missing column, wrong field count).
    #[error("{path}: {reason}")]
    CsvFile {
        /// The file read.
        path: PathBuf,
        /// What is wrong, with the line where the reader stopped.
        reason: String,
    },
    /// A scenario file is malformed or sets an impossible parameter.
    #[error("{path}{}: `{key}`: {reason}", line.map(|l| format!(": line {l}")).unwrap_or_default())]
    Scenario {
        /// The scenario file.
        path: PathBuf,
        /// 1-based line number where known.
        line: Option<usize>,
        /// The TOML key (e.g. `indicators.rd_expenditure.growth_pct`).
        key: String,
        /// What is wrong.
        reason: String,
    },
    /// A model parameter is out of its domain (raised by constructors such as
    /// [`LogNormalGrowth::new`](crate::process::LogNormalGrowth::new)).
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    Parameter {
        /// Parameter name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The domain it must lie in.
        reason: String,
    },
    /// An indicator's history cannot be calibrated (too few intervals, a bad value, a
    /// duplicate or unsorted year, an impossible window); raised by
    /// [`Calibration::fit`](crate::calibrate::Calibration::fit).
    #[error("{indicator}: cannot calibrate: {reason}")]
    Calibration {
        /// The indicator key, e.g. `Hubei/rd_expenditure`.
        indicator: String,
        /// What is wrong.
        reason: String,
    },
    /// A simulation request that cannot be run (zero paths, no years …).
    #[error("invalid simulation: {0}")]
    Simulation(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Drawing a chart failed.
    #[error("{path}: chart could not be drawn: {reason}")]
    Plot {
        /// The chart file.
        path: PathBuf,
        /// What the backend reported.
        reason: String,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

//! The one error type of goalcast.
//!
//! Every error that comes from user input names where the input came from: the file,
//! the line and the column (or TOML key), the offending value and what is wrong with it.

use std::path::PathBuf;

/// The most problems of one file an [`Error::Problems`] lists.
pub const MAX_PROBLEMS: usize = 20;

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
    Simulation(#[from] SimulationError),
    /// Several indicators that need simulating have no usable assumption in the
    /// scenario: every one of them is named at once, one problem a line.
    #[error("{path}: {} indicators have no usable assumption:\n  {}", problems.len(), problems.join("\n  "))]
    Assumptions {
        /// The scenario file.
        path: PathBuf,
        /// Each problem, as its own error would state it, in catalogue order.
        problems: Vec<String>,
    },
    /// A target id asked of an assessment is not in its catalogue.
    #[error("no target `{id}` in the catalogue")]
    UnknownTarget {
        /// The id asked for.
        id: String,
    },
    /// A target asked of an assessment was not simulated, and why.
    #[error("target `{id}` was not simulated: {why}")]
    NotSimulated {
        /// The target id.
        id: String,
        /// Why not.
        why: Unsimulated,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An output folder that cannot be used (`/`, a home folder, a folder of other
    /// files, one another run is writing to), refused before any work.
    #[error("{path}: {reason}")]
    OutDir {
        /// The folder given as `--out`.
        path: PathBuf,
        /// Why it is refused, and what to do.
        reason: String,
    },
    /// A run would need more memory than it may use; refused before it starts.
    #[error("not enough memory: {reason}")]
    Memory {
        /// What the run needs, the limit, and what to do instead.
        reason: String,
    },
    /// Several problems in one input file, every one named (file, line, column or key,
    /// value, rule), at most [`MAX_PROBLEMS`] of them.
    #[error("{path}: {count} problem{}:\n  {}{}", if *count == 1 { "" } else { "s" }, problems.join("\n  "), if *count > problems.len() { format!("\n  … and {} more", count - problems.len()) } else { String::new() })]
    Problems {
        /// The file.
        path: PathBuf,
        /// How many problems were found.
        count: usize,
        /// The first [`MAX_PROBLEMS`], each as one line.
        problems: Vec<String>,
    },
    /// A sharded run or a merge that cannot go on: an option a shard cannot take, a
    /// shard folder that is missing, damaged or from another run (`path` names it).
    #[error("{}{reason}", path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    Shard {
        /// The shard folder or file concerned, when there is one.
        path: Option<PathBuf>,
        /// What is wrong, and what to do.
        reason: String,
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

/// Why a simulation request cannot be run: raised by the engine and the analyses
/// before any path is drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SimulationError {
    /// Zero paths.
    #[error("the number of paths must be at least 1")]
    NoPaths,
    /// More paths than the platform can index.
    #[error("too many paths for this platform")]
    TooManyPaths,
    /// A horizon of zero years.
    #[error("the horizon must be at least one year")]
    NoYears,
    /// An indicator starts at or after the horizon.
    #[error("indicator {indicator}: offset {offset} leaves no year to simulate")]
    NoYearToSimulate {
        /// Position of the indicator in the simulation.
        indicator: usize,
        /// Its first simulated step.
        offset: usize,
    },
    /// A starting level the model cannot hold (zero or negative on the log scale, at or
    /// above the bound of a share).
    #[error(
        "indicator {indicator}: the starting level {start} is outside the range of its model ({scale:?})"
    )]
    StartOutsideModel {
        /// Position of the indicator in the simulation.
        indicator: usize,
        /// The starting level.
        start: f64,
        /// The scale of its model.
        scale: crate::units::Scale,
    },
    /// Exact quantiles of this many paths would need more memory than is available (or
    /// more than can be counted).
    #[error(
        "{paths} paths with exact quantiles need {} of memory, more than the {} available; \
         use `--quantiles streaming` (memory independent of the paths) or fewer `--paths`",
        needed.map_or_else(|| "more bytes than can be counted".to_string(), human_bytes),
        available.map_or_else(|| "memory".to_string(), human_bytes)
    )]
    TooMuchMemory {
        /// Bytes needed (`None`: more than a `u64` counts).
        needed: Option<u64>,
        /// Bytes available, where known.
        available: Option<u64>,
        /// Paths asked for.
        paths: u64,
    },
    /// A Cholesky factor of the wrong size.
    #[error(
        "the Cholesky factor is {found:?}; {indicators} indicators need {indicators}×{indicators}"
    )]
    CholeskyShape {
        /// Its rows and columns.
        found: (usize, usize),
        /// Indicators simulated.
        indicators: usize,
    },
    /// A quantile probability outside [0, 1] (exact) or [0.01, 0.99] (streaming).
    #[error("quantile probability {probability} outside {} for {} quantiles", if *streaming { "0.01..=0.99" } else { "0.0..=1.0" }, if *streaming { "Streaming" } else { "Exact" })]
    QuantileOutOfRange {
        /// The probability asked for.
        probability: f64,
        /// Whether quantiles are streaming.
        streaming: bool,
    },
    /// More paths than streaming histograms count.
    #[error("streaming quantiles count at most {max} paths")]
    TooManyStreamingPaths {
        /// The largest number of paths.
        max: u64,
    },
    /// Per-path values asked of a streaming run.
    #[error("per-path values are kept only in exact mode")]
    KeepPathsNeedsExact,
    /// A check on an indicator that is not simulated.
    #[error("check {check}: refers to an indicator beyond the {indicators} simulated")]
    UnknownIndicator {
        /// Position of the check.
        check: usize,
        /// Indicators simulated.
        indicators: usize,
    },
    /// Critical shifts asked of a check the run does not have.
    #[error("check {check} asked for, but the run has {checks} checks")]
    UnknownCheck {
        /// Position asked for.
        check: usize,
        /// Checks of the run.
        checks: usize,
    },
    /// A level threshold that is not positive and finite.
    #[error("check {check}: threshold {threshold} must be positive and finite")]
    BadThreshold {
        /// Position of the check.
        check: usize,
        /// The threshold.
        threshold: f64,
    },
    /// A growth factor that is not positive and finite.
    #[error("check {check}: factor {factor} must be positive and finite")]
    BadFactor {
        /// Position of the check.
        check: usize,
        /// The factor.
        factor: f64,
    },
    /// A relative threshold on a measure other than a level or a ratio.
    #[error("check {check}: a relative threshold needs a level or ratio measure")]
    RelativeNeedsLevel {
        /// Position of the check.
        check: usize,
    },
    /// A check's steps out of order.
    #[error(
        "check {check}: steps must satisfy start ≤ base < from ≤ deadline ≤ {years} (start {start}, base {base}, from {from}, deadline {deadline})"
    )]
    StepsOutOfOrder {
        /// Position of the check.
        check: usize,
        /// The horizon.
        years: usize,
        /// Latest starting step of its indicators.
        start: usize,
        /// Base step.
        base: usize,
        /// First step checked.
        from: usize,
        /// Deadline step.
        deadline: usize,
    },
    /// A share goal given to an analysis of one indicator.
    #[error(
        "a ratio of two indicators needs a joint simulation; analysis functions take goals on one indicator"
    )]
    RatioNeedsJointSimulation,
    /// Progress categories asked of a goal that is not on the level at the deadline.
    #[error("progress categories need a goal on the level at the deadline")]
    NeedsLevelGoal,
    /// A deadline not after the base year.
    #[error("the deadline must come after the base year")]
    DeadlineNotAfterBase,
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

/// Why a recorded goal is not simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Unsimulated {
    /// Neither the document nor history gives the base the goal is measured from.
    #[error(
        "no base value: neither the document nor the history gives the value the goal is measured from"
    )]
    NeedsBaseline,
    /// The document's figure could not be read (`uncertain`); supply it to simulate.
    #[error("the document's figure could not be read; supply it (overrides) to simulate")]
    NeedsValue,
    /// A rank or milestone: recorded only.
    #[error("a rank or milestone: recorded, not simulated")]
    Recorded,
    /// The deadline is not after the indicator's last known value: nothing to simulate.
    #[error("the deadline is not after the indicator's last known value")]
    DeadlineNotAfterBase,
    /// A share whose numerator and denominator are in different units.
    #[error("the numerator and denominator of the share are in different units")]
    UnitsDiffer,
    /// Observed values already meet the goal (a cumulative total already reached).
    #[error("observed values already meet the goal")]
    AlreadyMet,
    /// Observed values already break the goal (an every-year minimum already missed).
    #[error("observed values already break the goal")]
    AlreadyMissed,
}

impl Unsimulated {
    /// Status word written in result tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Unsimulated::NeedsBaseline => "needs_baseline",
            Unsimulated::NeedsValue => "needs_value",
            Unsimulated::Recorded => "recorded",
            Unsimulated::DeadlineNotAfterBase => "deadline_not_after_base",
            Unsimulated::UnitsDiffer => "units_differ",
            Unsimulated::AlreadyMet => "already_met",
            Unsimulated::AlreadyMissed => "already_missed",
        }
    }
}

/// Why a published progress assessment ([`crate::official`]) of a goal cannot be
/// computed from the indicator's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Unassessed {
    /// A rank or milestone: the published methods assess a measured series.
    #[error("a rank or milestone: not a measured series")]
    NotQuantitative,
    /// A cumulative total, an every-year minimum or growth in every year: the published
    /// methods assess a level reached by a target year.
    #[error("not a level in its deadline year (cumulative, every-year)")]
    NotALevel,
    /// A goal measured from a base year whose level is not known (or lies after the
    /// latest value): no target level to compare with.
    #[error("the target level depends on a base year with no known value")]
    NoTargetLevel,
    /// A share whose numerator or denominator has no known value in common years, or
    /// whose denominator is not in the catalogue.
    #[error("no year with both the share's numerator and denominator known")]
    NoShareSeries,
    /// No known value at all.
    #[error("no known value")]
    NoHistory,
    /// No known value in or after the base year, or none after it.
    #[error("fewer than two values from the base year on")]
    TooShort,
    /// No known value in the assessment window's start years (Eurostat: 5 to 3 years
    /// before the latest for the short term, 15 to 10 for the long term).
    #[error("no known value at the start of the window")]
    WindowTooShort,
    /// The deadline is not after the latest known value: the goal is settled by
    /// observed values, not assessed on its way.
    #[error("the deadline is not after the latest known value")]
    DeadlinePassed,
    /// The base and the latest value have opposite signs (or, for Eurostat, the window
    /// starts at zero): compound growth is undefined.
    #[error("compound growth undefined (a sign change, or a start at zero)")]
    GrowthUndefined,
}

impl Unassessed {
    /// Word written in result tables (`official_note`).
    pub fn as_str(self) -> &'static str {
        match self {
            Unassessed::NotQuantitative => "not_quantitative",
            Unassessed::NotALevel => "not_a_level",
            Unassessed::NoTargetLevel => "no_target_level",
            Unassessed::NoShareSeries => "no_share_series",
            Unassessed::NoHistory => "no_history",
            Unassessed::TooShort => "too_short",
            Unassessed::WindowTooShort => "window_too_short",
            Unassessed::DeadlinePassed => "deadline_passed",
            Unassessed::GrowthUndefined => "growth_undefined",
        }
    }
}

/// A byte count for people, as errors about memory write it: `1.5 GB`, `320 MB`.
///
/// ```
/// assert_eq!(goalcast::error::human_bytes(1_500_000_000), "1.5 GB");
/// assert_eq!(goalcast::error::human_bytes(320_000_000), "320 MB");
/// assert_eq!(goalcast::error::human_bytes(1024), "1024 bytes");
/// ```
pub fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.0} MB", b / 1e6)
    } else {
        format!("{bytes} bytes")
    }
}

impl Error {
    /// Several errors found in one file, as one: a single error stays as it is.
    pub fn problems(path: impl Into<PathBuf>, mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            count => Some(Error::Problems {
                path: path.into(),
                count,
                problems: errors
                    .iter()
                    .take(MAX_PROBLEMS)
                    .map(ToString::to_string)
                    .collect(),
            }),
        }
    }
}

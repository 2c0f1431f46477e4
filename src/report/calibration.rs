//! What `goalcast calibrate` writes: a scenario file that runs as it is, and the
//! calibration table (CSV and text) it rests on.
//!
//! Each calibrated series becomes an `[indicators."Jurisdiction/id"]` table with the
//! model a run would use for `model = "calibrated"` ([`crate::reference::calibrated`]):
//! `uncertain` below [`SHORT_SERIES`](crate::reference::SHORT_SERIES) intervals (central
//! growth and volatility drawn per path from their estimation distribution),
//! `lognormal` above, `bounded_share` for a share; its `source` says how it was
//! estimated. A series that cannot be calibrated is a comment saying why, so the gap is
//! visible and nothing is guessed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::io::write_atomic;
use crate::reference::SeriesCalibration;
use crate::report::tables::calibration_csv;

/// What the estimates were made from, for the scenario file's header and names.
#[derive(Debug, Clone, Default)]
pub struct CalibrationOrigin {
    /// The history file.
    pub history: PathBuf,
    /// `--window`, if any.
    pub window: Option<(i32, i32)>,
    /// `--exclude`d years.
    pub exclude: Vec<i32>,
    /// `--as-of`, if any.
    pub as_of: Option<i32>,
}

impl CalibrationOrigin {
    /// `data/history.csv, window 2015-2022, excluding 2020, as of 2022`.
    fn describe(&self) -> String {
        let mut text = self.history.display().to_string();
        if let Some((a, b)) = self.window {
            let _ = write!(text, ", window {a}-{b}");
        }
        if !self.exclude.is_empty() {
            let years: Vec<String> = self.exclude.iter().map(i32::to_string).collect();
            let _ = write!(text, ", excluding the growth into {}", years.join(", "));
        }
        if let Some(year) = self.as_of {
            let _ = write!(text, ", as of end {year}");
        }
        text
    }
}

/// A TOML string (quoted and escaped).
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The scenario file of a set of calibrations (see the module docs).
pub fn scenario_toml(
    estimates: &[SeriesCalibration],
    origin: &CalibrationOrigin,
    name: &str,
) -> String {
    let described = origin.describe();
    let mut out = format!(
        "# Written by `goalcast calibrate` (goalcast {}) from {described}.\n\
         # Each table: central growth and volatility estimated from the series' own history\n\
         # (see goalcast::calibrate); below {} intervals with their parameter uncertainty\n\
         # (model `uncertain`). Series that could not be calibrated are listed at the end.\n\n\
         name = {}\ndescription = {}\n\n[defaults]\nmodel = \"lognormal\"\n",
        env!("CARGO_PKG_VERSION"),
        crate::reference::SHORT_SERIES,
        quoted(name),
        quoted(&format!("Growth estimated from {described}")),
    );
    let mut skipped = String::new();
    for e in estimates {
        let key = e.series.key.to_string();
        match &e.result {
            Ok((report, assumption)) => {
                let _ = write!(
                    out,
                    "\n[indicators.{}]\nmodel = {}\n",
                    quoted(&key),
                    quoted(assumption.model.name())
                );
                for (name, value) in assumption.model.parameters() {
                    let (field, value) = match name {
                        "persistence" | "df" | "volatility_df" | "upper" => {
                            (name.to_string(), value)
                        }
                        _ => (format!("{name}_pct"), 100.0 * value),
                    };
                    let _ = writeln!(out, "{field} = {value}");
                }
                let _ = writeln!(
                    out,
                    "source = {}",
                    quoted(&format!(
                        "goalcast calibrate, {described}: {} ({} intervals)",
                        assumption.source.as_deref().unwrap_or_default(),
                        report.n_intervals
                    ))
                );
            }
            Err(why) => {
                let _ = writeln!(skipped, "# {key}: not calibrated: {why}");
            }
        }
    }
    if !skipped.is_empty() {
        out.push_str("\n# Not calibrated (state an assumption for these, or add history):\n");
        out.push_str(&skipped);
    }
    out
}

/// The calibration table as text: one line per series.
pub fn calibration_txt(estimates: &[SeriesCalibration], origin: &CalibrationOrigin) -> String {
    let mut out = format!(
        "Calibration from {}\n\n{:<48} {:>4} {:>11} {:>15} {:>15} {:>12} {}\n",
        origin.describe(),
        "series",
        "n",
        "years",
        "growth % (SE)",
        "volatility %",
        "AR(1) φ",
        "model"
    );
    for e in estimates {
        let key = e.series.key.to_string();
        match &e.result {
            Ok((r, a)) => {
                let years = r
                    .years_covered
                    .map_or_else(String::new, |(a, b)| format!("{a}-{b}"));
                let se =
                    |x: Option<f64>| x.map_or_else(|| "-".into(), |v| format!("{:.1}", 100.0 * v));
                let phi = r
                    .ar1
                    .fit()
                    .map_or_else(|| "-".into(), |f| format!("{:.2} ({:.2})", f.phi, f.phi_se));
                let _ = writeln!(
                    out,
                    "{key:<48} {:>4} {years:>11} {:>15} {:>15} {phi:>12} {}",
                    r.n_intervals,
                    format!("{:.1} ({})", 100.0 * r.growth, se(r.growth_se)),
                    format!("{:.1} ({})", 100.0 * r.volatility, se(r.volatility_se)),
                    a.model.name()
                );
            }
            Err(why) => {
                let _ = writeln!(out, "{key:<48} not calibrated: {why}");
            }
        }
    }
    out
}

/// Writes the scenario file `out` and, beside it, `<stem>_calibration.csv` and
/// `<stem>_calibration.txt`; returns the paths written.
pub fn write_calibration(
    estimates: &[SeriesCalibration],
    origin: &CalibrationOrigin,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let stem = out
        .file_stem()
        .map_or_else(|| "calibrated".into(), |s| s.to_string_lossy().into_owned());
    let dir = out.parent().unwrap_or(Path::new(""));
    if !dir.as_os_str().is_empty() {
        std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io(dir, e))?;
    }
    let csv = dir.join(format!("{stem}_calibration.csv"));
    let txt = dir.join(format!("{stem}_calibration.txt"));
    let reports: Vec<_> = estimates
        .iter()
        .filter_map(|e| e.result.as_ref().ok().map(|(r, _)| r.clone()))
        .collect();
    write_atomic(&csv, &calibration_csv(&reports)?)?;
    write_atomic(&txt, calibration_txt(estimates, origin).as_bytes())?;
    write_atomic(out, scenario_toml(estimates, origin, &stem).as_bytes())?;
    Ok(vec![out.to_path_buf(), csv, txt])
}

//! Result tables and the run manifest.
//!
//! Column names are a contract: tools read them. New columns may be added; none is
//! renamed or removed. A figure that does not apply is an empty cell.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::analysis::{DEFAULT_PROBABILITIES, TargetAnalysis};
use crate::assess::Assessment;
use crate::error::{Error, Result};
use crate::io::history::History;
use crate::io::write_atomic;
use crate::process::Model;

/// Columns of `summary.csv`, in order.
pub const SUMMARY_COLUMNS: [&str; 39] = [
    "target",
    "indicator",
    "jurisdiction",
    "kind",
    "comparator",
    "base_year",
    "base_value",
    "target_value",
    "deadline",
    "unit",
    "status",
    "start_year",
    "start_value",
    "threshold",
    "model",
    "growth_pct",
    "volatility_pct",
    "paths",
    "seed",
    "p_reach",
    "p_reach_se",
    "p_reach_by",
    "p_reach_closed_form",
    "required_growth_pct",
    "q05",
    "q50",
    "q95",
    "document",
    "assumption_source",
    "quote",
    "growth_needed_p50_pct",
    "growth_needed_p80_pct",
    "growth_needed_p90_pct",
    "progress_deterministic",
    "progress_median",
    "p_on_track",
    "p_moderate",
    "p_insufficient",
    "p_moving_away",
];

/// The analysis columns of a summary row (empty when the analysis was not run).
fn analysis_cells(analysis: Option<&TargetAnalysis>) -> Vec<String> {
    let Some(a) = analysis else {
        return vec![String::new(); 9];
    };
    let mut cells: Vec<String> = DEFAULT_PROBABILITIES
        .iter()
        .map(|p| {
            let g = a
                .growth_needed
                .iter()
                .find(|r| r.probability == *p)
                .and_then(|r| r.growth);
            g.map(pct).unwrap_or_default()
        })
        .collect();
    match &a.progress {
        Some(o) => {
            cells.push(o.deterministic.as_str().to_string());
            cells.push(o.median.as_str().to_string());
            cells.extend(o.probabilities.iter().map(f64::to_string));
        }
        None => cells.extend(std::iter::repeat_n(String::new(), 6)),
    }
    cells
}

/// A fraction as a percentage, rounded to 1e-10 points so that `0.28 * 100` prints as `28`.
pub(crate) fn pct(fraction: f64) -> String {
    ((fraction * 100.0 * 1e10).round() / 1e10).to_string()
}

/// An optional figure as text, empty when absent.
pub(crate) fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// A CSV table in memory: the header, then the rows.
pub(crate) fn csv_bytes(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let to_err = |e: csv::Error| Error::io("(csv buffer)", std::io::Error::other(e.to_string()));
    w.write_record(header).map_err(to_err)?;
    for row in rows {
        w.write_record(&row).map_err(to_err)?;
    }
    w.into_inner()
        .map_err(|e| Error::io("(csv buffer)", std::io::Error::other(e.to_string())))
}

/// `summary.csv`: one row per target.
pub fn summary_csv(a: &Assessment) -> Result<Vec<u8>> {
    let rows = a.targets.iter().map(|o| {
        let t = &o.target;
        let unit = a
            .catalogue_indicator(&t.indicator)
            .map(|i| i.unit.clone())
            .unwrap_or_default();
        let mut row = vec![
            t.id.clone(),
            t.indicator.id.clone(),
            t.indicator.jurisdiction.clone(),
            t.kind.to_string(),
            t.comparator.to_string(),
            opt(t.base_year),
            opt(t.base_value),
            opt(t.value),
            t.deadline.to_string(),
            unit,
        ];
        match &o.result {
            Ok(e) => {
                let m = &e.assumption.model;
                let volatility = match m {
                    Model::Deterministic(_) => String::new(),
                    _ => pct(m.volatility()),
                };
                row.extend([
                    "simulated".to_string(),
                    e.start.year.to_string(),
                    e.start.value.to_string(),
                    opt(e.threshold),
                    m.name().to_string(),
                    pct(m.median_growth()),
                    volatility,
                    a.settings.paths.to_string(),
                    a.settings.seed.to_string(),
                    e.p_reach.to_string(),
                    e.p_reach_se.to_string(),
                    opt(e.p_reach_by),
                    opt(e.p_reach_closed_form),
                    e.required_growth.map(pct).unwrap_or_default(),
                    e.deadline_quantiles[0].to_string(),
                    e.deadline_quantiles[1].to_string(),
                    e.deadline_quantiles[2].to_string(),
                ]);
                row.extend([
                    t.document.clone(),
                    opt(e.assumption.source.clone()),
                    t.quote.clone(),
                ]);
                row.extend(analysis_cells(e.analysis.as_ref()));
            }
            Err(why) => {
                row.push(why.as_str().to_string());
                row.extend(std::iter::repeat_n(String::new(), 16));
                row.extend([t.document.clone(), String::new(), t.quote.clone()]);
                row.extend(analysis_cells(None));
            }
        }
        row
    });
    csv_bytes(&SUMMARY_COLUMNS, rows)
}

/// `quantiles.csv`: level quantiles of every simulated indicator, every year.
pub fn quantiles_csv(a: &Assessment) -> Result<Vec<u8>> {
    let rows = a.indicators.iter().flat_map(|o| {
        o.years.iter().enumerate().map(move |(i, year)| {
            let mut row = vec![o.indicator.key.id.clone(), year.to_string()];
            row.extend(o.quantiles.row(i).iter().map(f64::to_string));
            row.push(o.indicator.key.jurisdiction.clone());
            row.push(o.indicator.unit.clone());
            row
        })
    });
    csv_bytes(
        &[
            "indicator",
            "year",
            "q05",
            "q25",
            "q50",
            "q75",
            "q95",
            "jurisdiction",
            "unit",
        ],
        rows,
    )
}

/// `first_reached.csv`: for each simulated target and each year of its window, the
/// probability that it first holds in that year (`probability`, summing to
/// `p_reach_by`; empty for every-year kinds, where it does not apply) and the
/// probability that its condition holds in that year (`p_holds`).
pub fn first_reached_csv(a: &Assessment) -> Result<Vec<u8>> {
    let rows = a.targets.iter().flat_map(|o| {
        let id = o.target.id.clone();
        o.result.iter().flat_map(move |e| {
            let id = id.clone();
            e.holds_by_year
                .iter()
                .enumerate()
                .map(move |(i, (year, holds))| {
                    let first = e
                        .first_reached
                        .get(i)
                        .map(|(_, p)| p.to_string())
                        .unwrap_or_default();
                    vec![id.clone(), year.to_string(), first, holds.to_string()]
                })
        })
    });
    csv_bytes(&["target", "year", "probability", "p_holds"], rows)
}

/// `history_choices.csv`: every indicator and year where the history file holds several
/// differing values, the one used (the last) and the ones set aside, with their lines.
pub fn history_choices_csv(history: &History) -> Result<Vec<u8>> {
    let lines = |v: &[(f64, u64)]| {
        let join =
            |f: &dyn Fn(&(f64, u64)) -> String| v.iter().map(f).collect::<Vec<_>>().join(";");
        (join(&|d| d.0.to_string()), join(&|d| d.1.to_string()))
    };
    let rows = history.overridden().into_iter().map(|o| {
        let (values, at) = lines(&o.dropped);
        vec![
            o.indicator.id.clone(),
            o.indicator.jurisdiction.clone(),
            o.year.to_string(),
            o.used.0.to_string(),
            o.used.1.to_string(),
            values,
            at,
        ]
    });
    csv_bytes(
        &[
            "indicator",
            "jurisdiction",
            "year",
            "used_value",
            "used_line",
            "dropped_values",
            "dropped_lines",
        ],
        rows,
    )
}

/// One input file of a run, with its SHA-256.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// Path as given.
    pub path: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
}

impl InputFile {
    /// Hashes a file.
    pub fn hash(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Ok(InputFile {
            path: path.display().to_string(),
            sha256: format!("{:x}", Sha256::digest(&bytes)),
        })
    }
}

/// `manifest.json`: what produced the outputs, enough to reproduce them.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// goalcast version.
    pub goalcast_version: &'static str,
    /// Seed.
    pub seed: u64,
    /// Paths per indicator.
    pub paths: u64,
    /// Random stream construction.
    pub generator: &'static str,
    /// Quantile definition.
    pub quantiles: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// Inputs with hashes.
    pub inputs: Vec<InputFile>,
    /// Files written.
    pub outputs: Vec<String>,
}

/// Writes the three tables into `dir` (created if missing) and returns their paths.
pub fn write_tables(a: &Assessment, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let files = [
        ("summary.csv", summary_csv(a)?),
        ("quantiles.csv", quantiles_csv(a)?),
        ("first_reached.csv", first_reached_csv(a)?),
    ];
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            write_atomic(&path, &bytes).map(|()| path)
        })
        .collect()
}

/// Writes `manifest.json` into `dir`.
pub fn write_manifest(manifest: &Manifest, dir: &Path) -> Result<PathBuf> {
    let path = dir.join("manifest.json");
    let mut bytes = serde_json::to_vec_pretty(manifest)
        .map_err(|e| Error::io(&path, std::io::Error::other(e.to_string())))?;
    bytes.push(b'\n');
    write_atomic(&path, &bytes)?;
    Ok(path)
}

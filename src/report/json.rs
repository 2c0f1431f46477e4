//! `results.json`: the summary of a run as data, for notebooks and dashboards.
//!
//! The file is one [`Results`] object: the run's [`Settings`], the summary's `columns`
//! in `summary.csv`'s order, and `targets`, one object per target whose keys are those
//! columns. A cell is `null` when empty, a number in a numeric column (the same rounded
//! figure as the CSV: [`super::cells::numeric`] says which columns), else a string. In
//! Python: `pandas.DataFrame(json.load(f)["targets"])[columns]`.
//!
//! ```
//! let text = r#"{"goalcast_version":"0.1.0","settings":{"paths":1000,"seed":1,
//!   "quantiles":"exact","analysis":false,"generator":"g","scenario":"s"},
//!   "columns":["target","p_reach"],"targets":[{"target":"a","p_reach":0.25}]}"#;
//! let r: goalcast::report::json::Results = serde_json::from_str(text).unwrap();
//! assert_eq!(r.targets[0]["p_reach"], 0.25);
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::RunInputs;
use super::cells::{Cell, Table};
use crate::assess::Assessment;
use crate::error::{Error, Result};
use crate::io::write_atomic;
use crate::sim::GENERATOR;

/// The settings of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Monte Carlo paths per indicator (or group of jointly simulated indicators).
    pub paths: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// `exact` or `streaming` quantiles.
    pub quantiles: String,
    /// Whether the growth needed, progress categories and sensitivity were computed.
    pub analysis: bool,
    /// The random stream construction.
    pub generator: String,
    /// The scenario's name.
    pub scenario: String,
    /// `--as-of`: only what was known at the end of this year was used (absent when
    /// everything known was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<i32>,
}

/// `results.json`: the settings and the summary row of every target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// The goalcast version that wrote the file.
    pub goalcast_version: String,
    /// How the run was made.
    pub settings: Settings,
    /// The summary's columns, in `summary.csv`'s order.
    pub columns: Vec<String>,
    /// One object per target, in catalogue order: column → `null`, number or string.
    pub targets: Vec<BTreeMap<String, serde_json::Value>>,
}

impl Results {
    /// The results of `a` run with `inputs`.
    pub fn of(a: &Assessment, inputs: &RunInputs<'_>) -> Result<Self> {
        let table = Table::from_csv(&super::tables::summary_csv(a)?)?;
        let targets = table
            .rows
            .into_iter()
            .map(|row| {
                table
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, cell)| {
                        let value = match cell {
                            Cell::Empty => serde_json::Value::Null,
                            Cell::Number(x) => serde_json::Number::from_f64(x)
                                .map_or(serde_json::Value::Null, serde_json::Value::Number),
                            Cell::Text(t) => serde_json::Value::String(t),
                        };
                        (c.clone(), value)
                    })
                    .collect()
            })
            .collect();
        Ok(Results {
            goalcast_version: env!("CARGO_PKG_VERSION").into(),
            settings: Settings {
                paths: a.settings.paths,
                seed: a.settings.seed,
                quantiles: a.settings.quantiles.name().into(),
                analysis: a.settings.analysis,
                generator: GENERATOR.into(),
                scenario: inputs.scenario_name.into(),
                as_of: inputs.as_of,
            },
            columns: table.columns,
            targets,
        })
    }
}

/// Writes `results.json` into `dir`.
pub fn write_results(results: &Results, dir: &Path) -> Result<PathBuf> {
    let path = dir.join("results.json");
    let mut bytes = serde_json::to_vec_pretty(results)
        .map_err(|e| Error::io(&path, std::io::Error::other(e.to_string())))?;
    bytes.push(b'\n');
    write_atomic(&path, &bytes)?;
    Ok(path)
}

//! Figures an analyst supplies for targets: values the documents give unreadably
//! (seed 003's lost digits) or bases they do not state.
//!
//! ```toml
//! [targets.003_tech_contract_level]
//! target_value = 3000            # the document reads "达?000亿元"
//! source = "analyst's reading; to be confirmed"
//!
//! [targets.000_manufacturing_share]
//! base_year = 2023
//! base_value = 31.5
//! source = "2023 statistical communiqué"
//! ```
//!
//! Every override must say where its figure comes from (`source`), which is written into
//! the target's note. Unknown keys and unknown target ids are errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// One target's supplied figures.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetOverride {
    /// The target value, in the catalogue's terms (percent for relative kinds).
    pub target_value: Option<f64>,
    /// The base year.
    pub base_year: Option<i32>,
    /// The indicator's value in the base year.
    pub base_value: Option<f64>,
    /// Where the figures come from (required).
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    #[serde(default)]
    targets: BTreeMap<String, TargetOverride>,
}

/// A checked overrides file.
#[derive(Debug, Clone, PartialEq)]
pub struct Overrides {
    /// The file.
    pub path: PathBuf,
    /// Supplied figures by target id.
    pub targets: BTreeMap<String, TargetOverride>,
}

impl Overrides {
    /// Reads an overrides file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml_str(&text, path)
    }

    /// Parses overrides; `path` names them in errors.
    pub fn from_toml_str(text: &str, path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file: OverridesFile = crate::io::parse_toml(text, &path)?;
        for (id, o) in &file.targets {
            let bad = |field: &str, reason: &str| Error::Scenario {
                path: path.clone(),
                line: None,
                key: format!("targets.{id}.{field}"),
                reason: reason.to_string(),
            };
            if o.source.trim().is_empty() {
                return Err(bad("source", "say where the figure comes from"));
            }
            if o.base_value.is_some_and(|b| !(b.is_finite() && b > 0.0)) {
                return Err(bad(
                    "base_value",
                    "a base level must be positive and finite",
                ));
            }
            if o.base_value.is_some() != o.base_year.is_some() {
                return Err(bad("base_year", "base_year and base_value go together"));
            }
            if o.target_value.is_none() && o.base_value.is_none() {
                return Err(bad(
                    "target_value",
                    "nothing to override: give target_value or a base",
                ));
            }
        }
        Ok(Overrides {
            path,
            targets: file.targets,
        })
    }
}

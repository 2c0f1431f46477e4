//! Scenario files: the growth assumptions a run is made under.
//!
//! A scenario is read from TOML into [`ScenarioFile`] (unknown keys are refused) and then
//! checked into a [`Scenario`]; the engine only ever sees checked [`Assumption`]s.
//!
//! ```toml
//! name = "baseline"
//!
//! [defaults]
//! model = "lognormal"
//! volatility_pct = 4.0
//!
//! [indicators.rd_expenditure]          # every jurisdiction's rd_expenditure
//! growth_pct = 12.0
//! source = "2018-2022 average of published R&D spending"
//!
//! [indicators."Ezhou/rd_expenditure"]  # one jurisdiction only; takes precedence
//! growth_pct = 10.0
//! ```
//!
//! A field is taken from the most specific table that sets it: `"Jurisdiction/id"`, then
//! `id`, then `[defaults]`. An indicator left without a growth assumption is an error
//! that names it: goalcast never assumes a growth rate silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::indicator::IndicatorKey;
use crate::process::{DeterministicGrowth, LogNormalGrowth, Model};

/// Assumption fields as written in a scenario file (any of them may be omitted).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AssumptionFields {
    /// `"lognormal"` or `"deterministic"`.
    pub model: Option<String>,
    /// Central annual growth, in percent.
    pub growth_pct: Option<f64>,
    /// Standard deviation of yearly log-growth, in percent (5 means 0.05).
    pub volatility_pct: Option<f64>,
    /// Where the assumption comes from (free text, copied to result tables).
    pub source: Option<String>,
}

/// A scenario file as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Scenario name.
    pub name: Option<String>,
    /// What the scenario represents.
    pub description: Option<String>,
    /// Fields that apply to every indicator unless a more specific table sets them.
    #[serde(default)]
    pub defaults: AssumptionFields,
    /// Per-indicator tables, keyed by `id` or `"Jurisdiction/id"`.
    #[serde(default)]
    pub indicators: BTreeMap<String, AssumptionFields>,
}

/// A checked growth assumption for one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    /// The growth model.
    pub model: Model,
    /// Where the assumption comes from.
    pub source: Option<String>,
}

/// A checked scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Scenario name (the file stem when the file gives none).
    pub name: String,
    /// The file it was read from.
    pub path: PathBuf,
    file: ScenarioFile,
    text: String,
}

impl Scenario {
    /// Reads and checks a scenario file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml_str(&text, path)
    }

    /// Parses and checks scenario text; `path` names it in errors.
    pub fn from_toml_str(text: &str, path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file: ScenarioFile = toml::from_str(text).map_err(|e| Error::Scenario {
            path: path.clone(),
            line: e.span().map(|s| line_of(text, s.start)),
            key: "(file)".into(),
            reason: e.message().to_string(),
        })?;
        let scenario = Scenario {
            name: file.name.clone().unwrap_or_else(|| {
                path.file_stem()
                    .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
            }),
            path,
            file,
            text: text.to_string(),
        };
        scenario.check_fields("defaults", &scenario.file.defaults)?;
        for (key, fields) in &scenario.file.indicators {
            scenario.check_fields(&format!("indicators.{key}"), fields)?;
        }
        Ok(scenario)
    }

    /// The keys of the per-indicator tables.
    pub fn indicator_keys(&self) -> impl Iterator<Item = &str> {
        self.file.indicators.keys().map(String::as_str)
    }

    /// An error about `key` (`table.field`), with the line of that field when the file
    /// has it.
    fn error(&self, key: &str, reason: impl Into<String>) -> Error {
        Error::Scenario {
            path: self.path.clone(),
            line: self.line_of_key(key),
            key: key.to_string(),
            reason: reason.into(),
        }
    }

    /// The line of `field` inside the table `[table]` (`key` = `table.field`).
    fn line_of_key(&self, key: &str) -> Option<usize> {
        let (table, field) = key.rsplit_once('.')?;
        let header = |l: &str| {
            let l = l.trim();
            l.starts_with('[') && l.trim_matches(|c| c == '[' || c == ']').replace('"', "") == table
        };
        let mut lines = self.text.lines().enumerate();
        lines.find(|(_, l)| header(l))?;
        lines
            .take_while(|(_, l)| !l.trim_start().starts_with('['))
            .find(|(_, l)| {
                let l = l.trim_start();
                l.starts_with(field) && l[field.len()..].trim_start().starts_with('=')
            })
            .map(|(i, _)| i + 1)
    }

    fn check_fields(&self, table: &str, f: &AssumptionFields) -> Result<()> {
        if let Some(m) = &f.model
            && !matches!(m.as_str(), "lognormal" | "deterministic")
        {
            return Err(self.error(
                &format!("{table}.model"),
                format!("unknown model `{m}`; expected `lognormal` or `deterministic`"),
            ));
        }
        if let Some(g) = f.growth_pct
            && !(g.is_finite() && g > -100.0)
        {
            return Err(self.error(
                &format!("{table}.growth_pct"),
                format!("growth of {g} % is impossible: it must be finite and above -100"),
            ));
        }
        if let Some(v) = f.volatility_pct
            && !(v.is_finite() && v >= 0.0)
        {
            return Err(self.error(
                &format!("{table}.volatility_pct"),
                format!("volatility of {v} % is impossible: it must be finite and non-negative"),
            ));
        }
        if f.model.as_deref() == Some("deterministic") && f.volatility_pct.is_some_and(|v| v > 0.0)
        {
            return Err(self.error(
                &format!("{table}.volatility_pct"),
                "a deterministic model has no volatility; remove it or choose `lognormal`",
            ));
        }
        Ok(())
    }

    /// The checked assumption for an indicator, or an error naming the indicator and
    /// the key to set.
    pub fn assumption_for(&self, key: &IndicatorKey) -> Result<Assumption> {
        let specific = self.file.indicators.get(&key.to_string());
        let general = self.file.indicators.get(&key.id);
        let tables = [specific, general, Some(&self.file.defaults)];
        let pick =
            |f: fn(&AssumptionFields) -> Option<&_>| tables.iter().flatten().find_map(|t| f(t));
        let model = pick(|t| t.model.as_ref()).map_or("lognormal", String::as_str);
        let growth = tables
            .iter()
            .flatten()
            .find_map(|t| t.growth_pct)
            .ok_or_else(|| {
                self.error(
                &format!("indicators.{}.growth_pct", key.id),
                format!(
                    "no growth assumption for indicator {key}: set growth_pct in [indicators.{}] \
                     (or [indicators.\"{key}\"]); goalcast does not guess growth",
                    key.id
                ),
            )
            })?;
        let source = pick(|t| t.source.as_ref()).cloned();
        let model = if model == "deterministic" {
            Model::Deterministic(DeterministicGrowth::new(growth / 100.0)?)
        } else {
            let vol = tables.iter().flatten().find_map(|t| t.volatility_pct).ok_or_else(|| {
                self.error(
                    &format!("indicators.{}.volatility_pct", key.id),
                    format!("the lognormal model of {key} needs volatility_pct (here or in [defaults])"),
                )
            })?;
            Model::LogNormal(LogNormalGrowth::new(growth / 100.0, vol / 100.0)?)
        };
        Ok(Assumption { model, source })
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

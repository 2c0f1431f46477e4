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
//! `id`, then `[defaults]`.
//!
//! An indicator the file does not state (no table of its own, no `growth_pct` in
//! `[defaults]`) is **estimated** by default: from its own history where it has enough,
//! else from a reference-class prior ([`crate::reference`]); every output row says which
//! (`assumption_basis`: `stated`, `history (n values, first-last)`, `prior: <class> (k
//! series)`). With `unstated = "refuse"` at the top of the file, such an indicator is an
//! error that names it instead. goalcast never assumes a growth rate silently.
//!
//! # Models and their fields
//!
//! Rates are in percent (`growth_pct = 12` is 12 %); coefficients are plain numbers.
//! Growth lies above −100 and at most 1000, volatility from 0 to 200; every table that
//! breaks a rule is named in one error. A `growth_pct` between 0 and 1 is legal but
//! reads as a fraction written where a percentage is meant, so
//! [`Scenario::warnings`] names it ("0.0765 — did you mean 7.65 %?").
//!
//! | `model` | required fields | optional |
//! |---|---|---|
//! | `deterministic` | `growth_pct` | |
//! | `lognormal` (the default) | `growth_pct`, `volatility_pct` | |
//! | `ar1` | `growth_pct`, `volatility_pct` (marginal sd of a year's log-growth), `persistence` (φ, in (−1, 1)) | |
//! | `student_t` | `growth_pct`, `volatility_pct` (the sd), `df` (ν > 2) | |
//! | `rare_shock` | `growth_pct` (of a year without shock), `volatility_pct`, `shock_probability_pct` (0–100), `shock_size_pct` (the fall, 0 ≤ · < 100) | |
//! | `uncertain` | `growth_pct` (ĝ), `volatility_pct` (σ̂), `growth_se_pct` (SE(ĝ)) | `volatility_df` (ν > 0; σ fixed without it) |
//! | `bounded_share` | `growth_pct` (central growth of the odds s/(U−s)), `volatility_pct` (sd of the yearly change of the logit) | `upper` (U, default 100) |
//!
//! The formulas are in [`crate::process`] and [`crate::guide`]. A table that names a
//! model may not set fields that model does not use, and an indicator's own table may
//! not set a model-specific field its resolved model does not use (fields in
//! `[defaults]` apply only where they are relevant). Impossible values are refused with
//! the file, line and key.
//!
//! # Named scenarios
//!
//! ```toml
//! [scenarios.downturn]
//! description = "a 2020-like year in ten"
//! [scenarios.downturn.defaults]
//! model = "rare_shock"
//! shock_probability_pct = 10
//! shock_size_pct = 5
//! [scenarios.downturn.indicators.rd_expenditure]
//! growth_pct = 8.0
//! ```
//!
//! [`Scenario::variant`] applies such a table on top of the base tables, field by field:
//! a field the variant sets replaces the base's value in the same table (`[defaults]` or
//! `[indicators.<id>]`), everything else is kept; when the variant changes a table's
//! model, the base fields of that table the new model does not use are dropped. The
//! precedence between tables is unchanged (an indicator's own table still beats
//! `[defaults]`, so a variant's `[defaults]` does not override a base indicator table).
//! The base is the scenario named by `name` (or the file stem); [`Scenario::names`]
//! lists it first.
//!
//! # Correlated shocks
//!
//! ```toml
//! [correlation]
//! indicators = ["gdp", "rd_expenditure"]
//! matrix = [[1.0, 0.6],
//!           [0.6, 1.0]]
//! ```
//!
//! The yearly normal shocks of the named indicators are correlated by the matrix, which
//! must be square with one row per name, symmetric, with a unit diagonal, entries in
//! [−1, 1] and positive semi-definite. Each name must have an `[indicators.<name>]`
//! table (in the base or a variant). A bare id (`gdp`) applies within each jurisdiction:
//! `Hubei/gdp` and `Hubei/rd_expenditure` are correlated, `Hubei/gdp` and
//! `Ezhou/rd_expenditure` are not; a `"Jurisdiction/id"` name correlates that series
//! only. [`Scenario::cholesky_for`] gives the factor the engine needs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::indicator::IndicatorKey;
mod correlation;

use crate::process::{
    Ar1Growth, BoundedShare, DeterministicGrowth, LogNormalGrowth, Model, RareShockGrowth,
    StudentTGrowth, UncertainGrowth,
};
use correlation::Correlation;

/// Assumption fields as written in a scenario file (any of them may be omitted).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AssumptionFields {
    /// One of [`MODELS`] (`"lognormal"` when no table sets it).
    pub model: Option<String>,
    /// Central annual growth, in percent.
    pub growth_pct: Option<f64>,
    /// Standard deviation of yearly log-growth, in percent (5 means 0.05).
    pub volatility_pct: Option<f64>,
    /// `ar1`: the AR(1) coefficient φ of yearly log-growth, in (−1, 1) (not percent).
    pub persistence: Option<f64>,
    /// `student_t`: degrees of freedom ν, above 2.
    pub df: Option<f64>,
    /// `rare_shock`: yearly probability of a shock, in percent.
    pub shock_probability_pct: Option<f64>,
    /// `rare_shock`: the fall of the level in a shock year, in percent.
    pub shock_size_pct: Option<f64>,
    /// `uncertain`: standard error of the central growth, in percent.
    pub growth_se_pct: Option<f64>,
    /// `uncertain`: degrees of freedom of the volatility estimate (n − 1 for n intervals).
    pub volatility_df: Option<f64>,
    /// `bounded_share`: the level the share cannot reach (default 100).
    pub upper: Option<f64>,
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
    /// Named variants, `[scenarios.<name>]`.
    #[serde(default)]
    pub scenarios: BTreeMap<String, VariantFile>,
    /// Correlation of the indicators' yearly shocks.
    pub correlation: Option<CorrelationFile>,
    /// What an indicator without a table of its own gets: `"estimate"` (the default:
    /// its own history, else a reference-class prior, labelled in every output) or
    /// `"refuse"` (an error naming every such indicator).
    pub unstated: Option<String>,
}

/// A named variant as written: overrides on top of the base tables.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VariantFile {
    /// What the variant represents.
    pub description: Option<String>,
    /// Overrides of `[defaults]`.
    #[serde(default)]
    pub defaults: AssumptionFields,
    /// Overrides of `[indicators.<id>]` tables (or new ones).
    #[serde(default)]
    pub indicators: BTreeMap<String, AssumptionFields>,
}

/// A correlation matrix as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CorrelationFile {
    /// Indicator keys (`id` or `"Jurisdiction/id"`), one per row and column.
    pub indicators: Vec<String>,
    /// The correlation matrix, row by row.
    pub matrix: Vec<Vec<f64>>,
}

/// The model names a scenario may use.
pub const MODELS: [&str; 7] = [
    "lognormal",
    "deterministic",
    "ar1",
    "student_t",
    "rare_shock",
    "uncertain",
    "bounded_share",
];

/// The values of the top-level `unstated` key.
pub const UNSTATED: [&str; 2] = ["estimate", "refuse"];

/// Every numeric field of [`AssumptionFields`].
const NUMERIC_FIELDS: [&str; 9] = [
    "growth_pct",
    "volatility_pct",
    "persistence",
    "df",
    "shock_probability_pct",
    "shock_size_pct",
    "growth_se_pct",
    "volatility_df",
    "upper",
];

/// The numeric fields a model uses: (required, optional).
fn model_fields(model: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match model {
        "deterministic" => (&["growth_pct"], &[]),
        "ar1" => (&["growth_pct", "volatility_pct", "persistence"], &[]),
        "student_t" => (&["growth_pct", "volatility_pct", "df"], &[]),
        "rare_shock" => (
            &[
                "growth_pct",
                "volatility_pct",
                "shock_probability_pct",
                "shock_size_pct",
            ],
            &[],
        ),
        "uncertain" => (
            &["growth_pct", "volatility_pct", "growth_se_pct"],
            &["volatility_df"],
        ),
        "bounded_share" => (&["growth_pct", "volatility_pct"], &["upper"]),
        _ => (&["growth_pct", "volatility_pct"], &[]),
    }
}

fn uses(model: &str, field: &str) -> bool {
    let (required, optional) = model_fields(model);
    required.contains(&field) || optional.contains(&field)
}

impl AssumptionFields {
    /// The value of a numeric field by name.
    fn get(&self, field: &str) -> Option<f64> {
        match field {
            "growth_pct" => self.growth_pct,
            "volatility_pct" => self.volatility_pct,
            "persistence" => self.persistence,
            "df" => self.df,
            "shock_probability_pct" => self.shock_probability_pct,
            "shock_size_pct" => self.shock_size_pct,
            "growth_se_pct" => self.growth_se_pct,
            "volatility_df" => self.volatility_df,
            "upper" => self.upper,
            _ => None,
        }
    }

    fn slot(&mut self, field: &str) -> Option<&mut Option<f64>> {
        Some(match field {
            "growth_pct" => &mut self.growth_pct,
            "volatility_pct" => &mut self.volatility_pct,
            "persistence" => &mut self.persistence,
            "df" => &mut self.df,
            "shock_probability_pct" => &mut self.shock_probability_pct,
            "shock_size_pct" => &mut self.shock_size_pct,
            "growth_se_pct" => &mut self.growth_se_pct,
            "volatility_df" => &mut self.volatility_df,
            "upper" => &mut self.upper,
            _ => return None,
        })
    }

    /// `top` over `self`, field by field; when `top` changes the model, the fields of
    /// `self` the new model does not use are dropped first.
    fn overlaid_by(&self, top: &AssumptionFields) -> AssumptionFields {
        let mut base = self.clone();
        if let Some(m) = &top.model
            && base.model.as_ref() != Some(m)
        {
            for field in NUMERIC_FIELDS {
                if !uses(m, field)
                    && let Some(slot) = base.slot(field)
                {
                    *slot = None;
                }
            }
        }
        let mut out = top.clone();
        out.model = top.model.clone().or(base.model.clone());
        out.source = top.source.clone().or(base.source.clone());
        for field in NUMERIC_FIELDS {
            let v = base.get(field);
            if let Some(slot) = out.slot(field)
                && slot.is_none()
            {
                *slot = v;
            }
        }
        out
    }
}

/// A checked growth assumption for one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    /// The growth model.
    pub model: Model,
    /// Where the assumption comes from.
    pub source: Option<String>,
    /// What kind of evidence it rests on.
    pub basis: Basis,
}

/// What an assumption rests on, in the words result tables use (`assumption_basis`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// The scenario file states it.
    Stated,
    /// Estimated from the indicator's own history.
    History {
        /// Known values used.
        values: usize,
        /// First year of the data.
        first: i32,
        /// Last year of the data.
        last: i32,
    },
    /// A reference-class prior ([`crate::reference`]).
    Prior {
        /// The class and how many series it rests on, e.g. `money_flows (12 series)`.
        label: String,
    },
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Basis::Stated => f.write_str("stated"),
            Basis::History {
                values,
                first,
                last,
            } => write!(f, "history ({values} values, {first}-{last})"),
            Basis::Prior { label } => write!(f, "prior: {label}"),
        }
    }
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
    correlation: Option<Correlation>,
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
        let file: ScenarioFile = crate::io::parse_toml(text, &path)?;
        let mut scenario = Scenario {
            name: file.name.clone().unwrap_or_else(|| {
                path.file_stem()
                    .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
            }),
            path,
            file,
            text: text.to_string(),
            correlation: None,
        };
        for name in scenario.file.scenarios.keys() {
            if *name == scenario.name {
                return Err(scenario.error(
                    &format!("scenarios.{name}"),
                    format!("`{name}` is the base scenario's own name; give the variant another"),
                ));
            }
        }
        // Every table is checked, so one message names every bad field of the file.
        let problems = scenario
            .tables()
            .into_iter()
            .filter_map(|(table, fields)| scenario.check_fields(&table, fields).err())
            .collect();
        if let Some(e) = Error::problems(&scenario.path, problems) {
            return Err(e);
        }
        if let Some(u) = &scenario.file.unstated
            && !UNSTATED.contains(&u.as_str())
        {
            return Err(scenario.error(
                "unstated",
                format!(
                    "unknown value `{u}`; expected one of {}",
                    UNSTATED.join(", ")
                ),
            ));
        }
        scenario.correlation = scenario.check_correlation()?;
        Ok(scenario)
    }

    /// The keys of the per-indicator tables, of the base and of every named variant
    /// (sorted, each once).
    pub fn indicator_keys(&self) -> impl Iterator<Item = &str> {
        let keys: std::collections::BTreeSet<&str> = self
            .file
            .indicators
            .keys()
            .chain(
                self.file
                    .scenarios
                    .values()
                    .flat_map(|v| v.indicators.keys()),
            )
            .map(String::as_str)
            .collect();
        keys.into_iter()
    }

    /// The names of the scenarios the file defines: the base first, then the
    /// `[scenarios.<name>]` variants in alphabetical order.
    pub fn names(&self) -> Vec<&str> {
        std::iter::once(self.name.as_str())
            .chain(self.file.scenarios.keys().map(String::as_str))
            .collect()
    }

    /// What the scenario represents (the variant's description, else the file's).
    pub fn description(&self) -> Option<&str> {
        self.file.description.as_deref()
    }

    /// The scenario `name`: the base itself, or the base with the variant
    /// `[scenarios.<name>]` applied (see the [module docs](self)). The variant carries
    /// the base's correlation matrix and defines no further variants.
    pub fn variant(&self, name: &str) -> Result<Scenario> {
        if name == self.name {
            return Ok(self.clone());
        }
        let v = self.file.scenarios.get(name).ok_or_else(|| {
            self.error(
                &format!("scenarios.{name}"),
                format!(
                    "no scenario named `{name}`; this file defines {}",
                    self.names().join(", ")
                ),
            )
        })?;
        let mut file = self.file.clone();
        file.name = Some(name.to_string());
        file.description = v.description.clone().or(file.description);
        file.defaults = file.defaults.overlaid_by(&v.defaults);
        for (key, top) in &v.indicators {
            let merged = file
                .indicators
                .get(key)
                .map_or_else(|| top.clone(), |base| base.overlaid_by(top));
            file.indicators.insert(key.clone(), merged);
        }
        file.scenarios.clear();
        Ok(Scenario {
            name: name.to_string(),
            path: self.path.clone(),
            file,
            text: self.text.clone(),
            correlation: self.correlation.clone(),
        })
    }

    /// Whether the scenario states the assumption of `key`: a table of its own
    /// (`[indicators."Jurisdiction/id"]` or `[indicators.id]`) or a `growth_pct` in
    /// `[defaults]`. Other indicators are estimated (see [`Scenario::estimates_unstated`]).
    pub fn states(&self, key: &IndicatorKey) -> bool {
        self.file.indicators.contains_key(&key.to_string())
            || self.file.indicators.contains_key(&key.id)
            || self.file.defaults.growth_pct.is_some()
    }

    /// Whether indicators the scenario does not state are estimated (`unstated =
    /// "estimate"`, the default) rather than refused (`unstated = "refuse"`).
    pub fn estimates_unstated(&self) -> bool {
        self.file.unstated.as_deref() != Some("refuse")
    }

    /// The indicator names of the correlation matrix, as written (empty without one).
    pub fn correlated_indicators(&self) -> &[String] {
        self.correlation.as_ref().map_or(&[], |c| &c.names)
    }

    /// Every table of assumptions with its TOML key: `defaults`, `indicators.<key>`,
    /// and the same inside each `scenarios.<name>`.
    fn tables(&self) -> Vec<(String, &AssumptionFields)> {
        let mut tables = vec![("defaults".to_string(), &self.file.defaults)];
        for (key, fields) in &self.file.indicators {
            tables.push((format!("indicators.{key}"), fields));
        }
        for (name, variant) in &self.file.scenarios {
            tables.push((format!("scenarios.{name}.defaults"), &variant.defaults));
            for (key, fields) in &variant.indicators {
                tables.push((format!("scenarios.{name}.indicators.{key}"), fields));
            }
        }
        tables
    }

    /// What is legal but probably a mistake: a `growth_pct` between 0 and 1, which reads
    /// as a fraction where a percentage is meant ("0.0765 — did you mean 7.65 %?"). One
    /// line a finding, naming the file, line and key.
    pub fn warnings(&self) -> Vec<String> {
        self.tables()
            .into_iter()
            .filter_map(|(table, fields)| {
                let g = fields.growth_pct.filter(|g| *g > 0.0 && *g < 1.0)?;
                let key = format!("{table}.growth_pct");
                let line = self
                    .line_of_key(&key)
                    .map(|l| format!(": line {l}"))
                    .unwrap_or_default();
                Some(format!(
                    "{}{line}: `{key}` = {g} — did you mean {} %? growth_pct is in percent \
                     ({g} means {g} % a year)",
                    self.path.display(),
                    crate::io::csv_write::pct(g)
                ))
            })
            .collect()
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
            && !MODELS.contains(&m.as_str())
        {
            return Err(self.error(
                &format!("{table}.model"),
                format!("unknown model `{m}`; expected one of {}", MODELS.join(", ")),
            ));
        }
        type Rule = (&'static str, fn(f64) -> bool, &'static str);
        let rules: [Rule; 9] = [
            (
                "growth_pct",
                |g| g > -100.0 && g <= 1000.0,
                "growth of {} % a year is impossible: it must be finite, above -100 and at most 1000",
            ),
            (
                "volatility_pct",
                |v| (0.0..=200.0).contains(&v),
                "volatility of {} % is impossible: it must be finite, non-negative and at most 200",
            ),
            (
                "persistence",
                |p| p.abs() < 1.0,
                "persistence {} is impossible: the AR(1) coefficient φ must lie strictly between -1 and 1 (it is a coefficient such as 0.4, not a percentage)",
            ),
            (
                "df",
                |d| d > 2.0,
                "{} degrees of freedom are impossible: the Student-t needs df above 2 for a finite variance",
            ),
            (
                "shock_probability_pct",
                |p| (0.0..=100.0).contains(&p),
                "a yearly shock probability of {} % is impossible: it must lie in [0, 100]",
            ),
            (
                "shock_size_pct",
                |d| (0.0..100.0).contains(&d),
                "a shock of {} % is impossible: the fall must lie in [0, 100) percent",
            ),
            (
                "growth_se_pct",
                |s| (0.0..=1000.0).contains(&s),
                "a standard error of {} % is impossible: it must be finite, non-negative and at most 1000",
            ),
            (
                "volatility_df",
                |d| d > 0.0,
                "{} degrees of freedom are impossible: volatility_df must be positive",
            ),
            (
                "upper",
                |u| u > 0.0,
                "an upper bound of {} is impossible: it must be finite and positive",
            ),
        ];
        for (field, ok, message) in rules {
            if let Some(v) = f.get(field)
                && !(v.is_finite() && ok(v))
            {
                return Err(self.error(
                    &format!("{table}.{field}"),
                    message.replacen("{}", &v.to_string(), 1),
                ));
            }
        }
        if f.model.as_deref() == Some("deterministic") && f.volatility_pct.is_some_and(|v| v > 0.0)
        {
            return Err(self.error(
                &format!("{table}.volatility_pct"),
                "a deterministic model has no volatility; remove it or choose `lognormal`",
            ));
        }
        if let Some(m) = &f.model
            && let Some(field) = NUMERIC_FIELDS
                .iter()
                .find(|&&x| f.get(x).is_some() && !uses(m, x) && x != "volatility_pct")
        {
            return Err(self.error(
                &format!("{table}.{field}"),
                format!(
                    "`{field}` is not a parameter of the `{m}` model (it uses {})",
                    model_fields(m)
                        .0
                        .iter()
                        .chain(model_fields(m).1)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
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
        let model = tables
            .iter()
            .flatten()
            .find_map(|t| t.model.as_deref())
            .unwrap_or("lognormal");
        let source = tables.iter().flatten().find_map(|t| t.source.clone());
        // A model-specific field in the indicator's own tables that its model ignores.
        for (table_key, table) in [(key.to_string(), specific), (key.id.clone(), general)] {
            let Some(t) = table else { continue };
            if let Some(field) = NUMERIC_FIELDS[2..]
                .iter()
                .find(|&&f| t.get(f).is_some() && !uses(model, f))
            {
                return Err(self.error(
                    &format!("indicators.{table_key}.{field}"),
                    format!(
                        "`{field}` is set for {key}, whose model is `{model}`, which does not use it"
                    ),
                ));
            }
        }
        let (required, _) = model_fields(model);
        let value = |field: &str| tables.iter().flatten().find_map(|t| t.get(field));
        let need = |field: &str| {
            value(field).ok_or_else(|| {
                let reason = if field == "growth_pct" {
                    format!(
                        "no growth assumption for indicator {key}: set growth_pct in [indicators.{}] \
                         (or [indicators.\"{key}\"]); goalcast does not guess growth",
                        key.id
                    )
                } else if field == "volatility_pct" && model == "lognormal" {
                    format!("the lognormal model of {key} needs volatility_pct (here or in [defaults])")
                } else {
                    format!(
                        "the `{model}` model of {key} needs {field} (in [indicators.{}] or [defaults])",
                        key.id
                    )
                };
                self.error(&format!("indicators.{}.{field}", key.id), reason)
            })
        };
        // Check required fields in the table's order, so the first missing one is named.
        for field in required {
            need(field)?;
        }
        let pct = |field: &str| need(field).map(|v| v / 100.0);
        let model = match model {
            "deterministic" => Model::Deterministic(DeterministicGrowth::new(pct("growth_pct")?)?),
            "ar1" => Model::Ar1(Ar1Growth::new(
                pct("growth_pct")?,
                pct("volatility_pct")?,
                need("persistence")?,
            )?),
            "student_t" => Model::StudentT(StudentTGrowth::new(
                pct("growth_pct")?,
                pct("volatility_pct")?,
                need("df")?,
            )?),
            "rare_shock" => Model::RareShock(RareShockGrowth::new(
                pct("growth_pct")?,
                pct("volatility_pct")?,
                pct("shock_probability_pct")?,
                pct("shock_size_pct")?,
            )?),
            "uncertain" => Model::Uncertain(UncertainGrowth::new(
                pct("growth_pct")?,
                pct("growth_se_pct")?,
                pct("volatility_pct")?,
                value("volatility_df"),
            )?),
            "bounded_share" => Model::BoundedShare(BoundedShare::new(
                pct("growth_pct")?,
                pct("volatility_pct")?,
                value("upper").unwrap_or(100.0),
            )?),
            _ => Model::LogNormal(LogNormalGrowth::new(
                pct("growth_pct")?,
                pct("volatility_pct")?,
            )?),
        };
        Ok(Assumption {
            model,
            source,
            basis: Basis::Stated,
        })
    }
}

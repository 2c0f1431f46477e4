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
//! [`Scenario::variant`] applies such a table on top of the base tables, field by field.
//! For each field, the first of these that sets it wins:
//!
//! 1. the variant's table of the indicator (`[scenarios.X.indicators.<id>]`);
//! 2. the variant's `[scenarios.X.defaults]` — it applies to **every** indicator the
//!    variant does not set itself, over the base's own indicator tables (model-specific
//!    fields only where the indicator's model uses them);
//! 3. the base's table of the indicator (`[indicators.<id>]`);
//! 4. the base's `[defaults]`.
//!
//! When a higher level changes the model, the lower levels' fields the new model does
//! not use are dropped. Between the tables of one level, `"Jurisdiction/id"` still beats
//! `id`. An indicator the scenario does not state at all is estimated from data; a
//! variant whose defaults set fields without a `growth_pct` could not change such an
//! indicator, so running it is refused with a message naming the indicator
//! ([`Scenario::allows_estimate`]) rather than silently changing nothing.
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
    /// `calibrated`: points added to the central growth estimated from history (a
    /// variant's "two points faster than the trend").
    pub growth_shift_pct: Option<f64>,
    /// `calibrated`: a factor on the volatility estimated from history (a variant's
    /// "wider swings").
    pub volatility_scale: Option<f64>,
    /// `calibrated`: the years whose values the estimate uses, `[first, last]`.
    pub window: Option<[i32; 2]>,
    /// `calibrated`: years whose growth (the interval ending in them) is left out.
    pub exclude: Option<Vec<i32>>,
    /// `calibrated`: estimate from another series (`"Jurisdiction/id"`, or an `id` of the
    /// indicator's own jurisdiction), e.g. a city's count from its province's history
    /// when the city publishes none.
    pub from: Option<String>,
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
pub const MODELS: [&str; 8] = [
    "calibrated",
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
const NUMERIC_FIELDS: [&str; 11] = [
    "growth_pct",
    "volatility_pct",
    "persistence",
    "df",
    "shock_probability_pct",
    "shock_size_pct",
    "growth_se_pct",
    "volatility_df",
    "upper",
    "growth_shift_pct",
    "volatility_scale",
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
        "calibrated" => (&[], &["growth_shift_pct", "volatility_scale"]),
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
            "growth_shift_pct" => self.growth_shift_pct,
            "volatility_scale" => self.volatility_scale,
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
            "growth_shift_pct" => &mut self.growth_shift_pct,
            "volatility_scale" => &mut self.volatility_scale,
            _ => return None,
        })
    }

    /// These fields without the model-specific ones the model of `table` does not use
    /// (its own model, else this table's, else `fallback`, else lognormal): defaults
    /// apply to a table only where they are relevant.
    fn relevant_to(&self, table: &AssumptionFields, fallback: Option<&str>) -> AssumptionFields {
        let model = self
            .model
            .as_deref()
            .or(table.model.as_deref())
            .or(fallback)
            .unwrap_or("lognormal");
        let mut out = self.clone();
        for field in &NUMERIC_FIELDS[2..] {
            if !uses(model, field)
                && let Some(slot) = out.slot(field)
            {
                *slot = None;
            }
        }
        out
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
            if m != "calibrated" {
                (base.window, base.exclude, base.from) = (None, None, None);
            }
        }
        let mut out = top.clone();
        out.model = top.model.clone().or(base.model.clone());
        out.source = top.source.clone().or(base.source.clone());
        out.window = top.window.or(base.window);
        out.exclude = top.exclude.clone().or(base.exclude.clone());
        out.from = top.from.clone().or(base.from.clone());
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

/// What `model = "calibrated"` asks for one indicator: estimate central growth and
/// volatility from its history (in the window, without the excluded years' growth) and
/// move the central growth by `growth_shift` and scale the volatility by
/// `volatility_scale`.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationRequest {
    /// `window = [first, last]`: the years whose values are used.
    pub window: Option<(i32, i32)>,
    /// `exclude`: years whose growth (the interval ending in them) is left out.
    pub exclude: Vec<i32>,
    /// `growth_shift_pct / 100`: added to the estimated central growth.
    pub growth_shift: f64,
    /// `volatility_scale`: the estimated volatility is multiplied by it (1 by default).
    pub volatility_scale: f64,
    /// `from`: the series to estimate from, when not the indicator's own.
    pub from: Option<IndicatorKey>,
    /// The table's `source` text, if any.
    pub source: Option<String>,
    /// The scenario's name and file, for messages.
    pub scenario: String,
}

impl Default for CalibrationRequest {
    /// The estimate as it is: the whole history, no year excluded, nothing moved.
    fn default() -> Self {
        CalibrationRequest {
            window: None,
            exclude: Vec::new(),
            growth_shift: 0.0,
            volatility_scale: 1.0,
            from: None,
            source: None,
            scenario: String::new(),
        }
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
    /// Estimated from history: the indicator's own, or the series named by `from`.
    History {
        /// The series estimated from, when not the indicator's own.
        of: Option<String>,
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
                of: None,
                values,
                first,
                last,
            } => write!(f, "history ({values} values, {first}-{last})"),
            Basis::History {
                of: Some(series),
                values,
                first,
                last,
            } => write!(f, "history of {series} ({values} values, {first}-{last})"),
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
    /// For a variant: its name and the fields its `[scenarios.<name>.defaults]` sets,
    /// which an estimated indicator could not take (see [`Scenario::allows_estimate`]).
    variant_defaults: Option<(String, Vec<&'static str>)>,
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
            variant_defaults: None,
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
        // The variant's defaults over every base indicator table (the fields its model
        // uses), then the variant's own table of that indicator over the result.
        let fallback = file.defaults.model.clone();
        for table in file.indicators.values_mut() {
            *table = table.overlaid_by(&v.defaults.relevant_to(table, fallback.as_deref()));
        }
        for (key, top) in &v.indicators {
            let merged = file
                .indicators
                .get(key)
                .map_or_else(|| top.clone(), |base| base.overlaid_by(top));
            file.indicators.insert(key.clone(), merged);
        }
        file.scenarios.clear();
        let set: Vec<&'static str> = NUMERIC_FIELDS
            .into_iter()
            .filter(|f| v.defaults.get(f).is_some())
            .chain(v.defaults.model.is_some().then_some("model"))
            .collect();
        Ok(Scenario {
            name: name.to_string(),
            path: self.path.clone(),
            file,
            text: self.text.clone(),
            correlation: self.correlation.clone(),
            variant_defaults: (!set.is_empty()).then(|| (name.to_string(), set)),
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

    /// Whether the indicator `key`, which the scenario does not state, may be estimated
    /// (from its history or a reference-class prior) under this scenario: an error when
    /// the scenario is a variant whose `[scenarios.<name>.defaults]` sets fields without
    /// a `growth_pct`, as those fields could not reach an estimated assumption and would
    /// change nothing for it. The message says how to state the indicator instead.
    pub fn allows_estimate(&self, key: &IndicatorKey) -> Result<()> {
        let Some((name, fields)) = &self.variant_defaults else {
            return Ok(());
        };
        Err(self.error(
            &format!("scenarios.{name}.defaults.{}", fields[0]),
            format!(
                "the variant `{name}` sets {} in its defaults, but {key} has no table of its own \
                 and no growth_pct in [defaults], so its assumption is estimated from data and \
                 those defaults could not apply to it; add [indicators.{}] with growth_pct \
                 (and the variant's fields apply over it), or set growth_pct in \
                 [scenarios.{name}.defaults]",
                fields.join(", "),
                key.id
            ),
        ))
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
        let rules: [Rule; 11] = [
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
            (
                "growth_shift_pct",
                |g| g.abs() < 100.0,
                "a shift of {} points of growth is impossible: it must be finite and between -100 and 100",
            ),
            (
                "volatility_scale",
                |v| (0.0..=10.0).contains(&v),
                "a volatility scale of {} is impossible: it must be finite and between 0 and 10",
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
        self.check_calibration_fields(table, f)?;
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

    /// The fields only `model = "calibrated"` uses: a window of two ordered years, excluded
    /// years, and no stated growth or volatility beside an estimate.
    fn check_calibration_fields(&self, table: &str, f: &AssumptionFields) -> Result<()> {
        let calibrated = f.model.as_deref() == Some("calibrated");
        if let Some(m) = f.model.as_deref().filter(|_| !calibrated)
            && let Some(field) = [
                ("window", f.window.is_some()),
                ("exclude", f.exclude.is_some()),
                ("from", f.from.is_some()),
            ]
            .iter()
            .find_map(|(name, set)| set.then_some(*name))
        {
            return Err(self.error(
                &format!("{table}.{field}"),
                format!("`{field}` belongs to `model = \"calibrated\"`, not to the `{m}` model"),
            ));
        }
        if calibrated
            && let Some(field) = ["growth_pct", "volatility_pct"]
                .into_iter()
                .find(|x| f.get(x).is_some())
        {
            return Err(self.error(
                &format!("{table}.{field}"),
                format!(
                    "a calibrated model estimates `{field}` from history; move the estimate with \
                     growth_shift_pct, or choose a model whose figures you state"
                ),
            ));
        }
        let plausible = |y: i32| (1900..=2200).contains(&y);
        if let Some([first, last]) = f.window
            && !(plausible(first) && plausible(last) && first < last)
        {
            return Err(self.error(
                &format!("{table}.window"),
                format!(
                    "window [{first}, {last}] is impossible: two years between 1900 and 2200, the first before the last"
                ),
            ));
        }
        if let Some(y) = f.exclude.iter().flatten().find(|y| !plausible(**y)) {
            return Err(self.error(
                &format!("{table}.exclude"),
                format!("excluded year {y} is impossible: years lie between 1900 and 2200"),
            ));
        }
        Ok(())
    }

    /// The tables that apply to `key`, most specific first: `[indicators."J/id"]`,
    /// `[indicators.id]`, `[defaults]`.
    fn tables_for(&self, key: &IndicatorKey) -> [Option<&AssumptionFields>; 3] {
        [
            self.file.indicators.get(&key.to_string()),
            self.file.indicators.get(&key.id),
            Some(&self.file.defaults),
        ]
    }

    /// The model named for `key` by the most specific table that names one
    /// (`lognormal` when none does).
    fn model_name(&self, key: &IndicatorKey) -> &str {
        self.tables_for(key)
            .into_iter()
            .flatten()
            .find_map(|t| t.model.as_deref())
            .unwrap_or("lognormal")
    }

    /// What `model = "calibrated"` asks for `key`, or `None` when the indicator's model
    /// is another. The estimate itself needs the indicator's history and is made when a
    /// run loads it ([`crate::reference::calibrated`]).
    pub fn calibration_for(&self, key: &IndicatorKey) -> Option<CalibrationRequest> {
        if !self.states(key) || self.model_name(key) != "calibrated" {
            return None;
        }
        let tables: Vec<&AssumptionFields> = self.tables_for(key).into_iter().flatten().collect();
        Some(CalibrationRequest {
            window: tables.iter().find_map(|t| t.window).map(|[a, b]| (a, b)),
            exclude: tables
                .iter()
                .find_map(|t| t.exclude.clone())
                .unwrap_or_default(),
            growth_shift: tables
                .iter()
                .find_map(|t| t.growth_shift_pct)
                .map_or(0.0, |g| g / 100.0),
            volatility_scale: tables
                .iter()
                .find_map(|t| t.volatility_scale)
                .unwrap_or(1.0),
            from: tables.iter().find_map(|t| t.from.as_deref()).map(|name| {
                match name.split_once('/') {
                    Some((jurisdiction, id)) => IndicatorKey::new(jurisdiction, id),
                    None => IndicatorKey::new(key.jurisdiction.as_str(), name),
                }
            }),
            source: tables.iter().find_map(|t| t.source.clone()),
            scenario: format!("{} ({})", self.name, self.path.display()),
        })
    }

    /// The checked assumption for an indicator, or an error naming the indicator and
    /// the key to set.
    pub fn assumption_for(&self, key: &IndicatorKey) -> Result<Assumption> {
        let tables = self.tables_for(key);
        let [specific, general, _] = tables;
        let model = self.model_name(key);
        if model == "calibrated" {
            return Err(self.error(
                &format!("indicators.{}.model", key.id),
                format!(
                    "{key} is calibrated from its history when a run loads it; \
                     its assumption needs the catalogue and history (see Scenario::calibration_for)"
                ),
            ));
        }
        let source = tables.iter().flatten().find_map(|t| t.source.clone());
        // A model-specific field in the indicator's own tables that its model ignores.
        for (table_key, table) in [(key.to_string(), specific), (key.id.clone(), general)] {
            let Some(t) = table else { continue };
            if t.window.is_some() || t.exclude.is_some() || t.from.is_some() {
                return Err(self.error(
                    &format!("indicators.{table_key}.window"),
                    format!(
                        "`window`, `exclude` or `from` is set for {key}, whose model is `{model}`; \
                         they belong to `model = \"calibrated\"`"
                    ),
                ));
            }
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

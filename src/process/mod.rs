//! Growth processes: how an indicator's level moves from one year to the next.
//!
//! Every process is an immutable value, validated when it is built, that turns one
//! path's standard-normal shocks (one per year, drawn by the engine, correlated across
//! indicators when a scenario says so) into yearly **log-growths** `ln(X[t+1] / X[t])`.
//! Working in log space keeps the engine's inner loop to additions; levels are
//! exponentiated only when reported.
//!
//! Convention: a process's `median_growth` g is the *central* annual growth. For the
//! lognormal process the deterministic path at g is the median path, and the mean level
//! is higher than the median by the factor `exp(σ²/2)` a year.

mod deterministic;
mod lognormal;

pub use deterministic::DeterministicGrowth;
pub use lognormal::LogNormalGrowth;

use rand_core::Rng;
use rand_distr::{Distribution, StandardNormal};

/// How a process's simulated state maps to the indicator's level.
///
/// Most indicators live on the log scale (state = ln level, so levels stay positive).
/// A bounded indicator — a share that cannot pass 100 % — lives on the logit scale
/// (state = ln(level / (upper − level))), so its level stays strictly between 0 and
/// `upper` whatever the shocks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// `state = ln(level)`.
    Log,
    /// `state = ln(level / (upper − level))`.
    Logit {
        /// The bound the level cannot reach (e.g. 100 for a percentage).
        upper: f64,
    },
}

impl Scale {
    /// The state of a level (`None` when the level is outside the scale's range).
    pub fn to_state(self, level: f64) -> Option<f64> {
        match self {
            Scale::Log if level > 0.0 => Some(level.ln()),
            Scale::Logit { upper } if level > 0.0 && level < upper => {
                Some((level / (upper - level)).ln())
            }
            _ => None,
        }
    }

    /// The level of a state.
    #[inline]
    pub fn to_level(self, state: f64) -> f64 {
        match self {
            Scale::Log => state.exp(),
            Scale::Logit { upper } => upper / (1.0 + (-state).exp()),
        }
    }
}

/// A model of yearly growth that can be simulated path by path.
pub trait GrowthProcess: Sync {
    /// On entry `buf[t]` is the path's standard-normal shock of year t+1; on return it is
    /// the log-growth from year t to year t+1. Any further randomness (jumps, parameter
    /// draws) comes only from `rng`, so a path is a pure function of its stream.
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]);

    /// Whether the process uses the normal shocks (a deterministic one does not, and the
    /// engine then need not draw them).
    fn uses_shocks(&self) -> bool {
        true
    }

    /// The central (median) annual growth rate g, as a fraction.
    fn median_growth(&self) -> f64;

    /// The scale the process moves the indicator on (see [`Scale`]).
    fn scale(&self) -> Scale {
        Scale::Log
    }

    /// One path's log-growths drawn directly from `rng`: standard normals, then
    /// [`GrowthProcess::log_growth_from_shocks`].
    fn sample_log_growth<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        if self.uses_shocks() {
            for x in out.iter_mut() {
                *x = StandardNormal.sample(rng);
            }
        }
        self.log_growth_from_shocks(rng, out);
    }
}

/// A growth model chosen at run time (from a scenario file).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// Compound growth at a fixed rate, no uncertainty.
    Deterministic(DeterministicGrowth),
    /// Independent normal log-growth each year.
    LogNormal(LogNormalGrowth),
}

impl Model {
    /// The name used in scenario files and result tables.
    pub fn name(&self) -> &'static str {
        match self {
            Model::Deterministic(_) => "deterministic",
            Model::LogNormal(_) => "lognormal",
        }
    }

    /// The central annual growth rate, as a fraction.
    pub fn median_growth(&self) -> f64 {
        match self {
            Model::Deterministic(p) => p.median_growth(),
            Model::LogNormal(p) => p.median_growth(),
        }
    }

    /// The standard deviation of yearly log-growth (0 for the deterministic model).
    pub fn volatility(&self) -> f64 {
        match self {
            Model::Deterministic(_) => 0.0,
            Model::LogNormal(p) => p.sigma(),
        }
    }

    /// The same model with another central growth (a fraction): what "the growth it
    /// would take" varies.
    pub fn with_median_growth(&self, growth: f64) -> crate::error::Result<Model> {
        Ok(match self {
            Model::Deterministic(_) => Model::Deterministic(DeterministicGrowth::new(growth)?),
            Model::LogNormal(p) => Model::LogNormal(LogNormalGrowth::new(growth, p.sigma())?),
        })
    }

    /// The model's parameters by name (`growth`, `volatility`, …), as fractions: what a
    /// sensitivity analysis shifts.
    pub fn parameters(&self) -> Vec<(&'static str, f64)> {
        match self {
            Model::Deterministic(p) => vec![("growth", p.median_growth())],
            Model::LogNormal(p) => vec![("growth", p.median_growth()), ("volatility", p.sigma())],
        }
    }

    /// The same model with one parameter (named as in [`Model::parameters`]) replaced.
    pub fn with_parameter(&self, name: &str, value: f64) -> crate::error::Result<Model> {
        match (self, name) {
            (_, "growth") => self.with_median_growth(value),
            (Model::LogNormal(p), "volatility") => Ok(Model::LogNormal(LogNormalGrowth::new(
                p.median_growth(),
                value,
            )?)),
            _ => Err(crate::error::Error::Parameter {
                name: "parameter",
                value,
                reason: format!("the {} model has no parameter `{name}`", self.name()),
            }),
        }
    }
}

impl GrowthProcess for Model {
    #[inline]
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        match self {
            Model::Deterministic(p) => p.log_growth_from_shocks(rng, buf),
            Model::LogNormal(p) => p.log_growth_from_shocks(rng, buf),
        }
    }

    fn uses_shocks(&self) -> bool {
        match self {
            Model::Deterministic(p) => p.uses_shocks(),
            Model::LogNormal(p) => p.uses_shocks(),
        }
    }

    fn median_growth(&self) -> f64 {
        Model::median_growth(self)
    }

    fn scale(&self) -> Scale {
        match self {
            Model::Deterministic(p) => p.scale(),
            Model::LogNormal(p) => p.scale(),
        }
    }
}

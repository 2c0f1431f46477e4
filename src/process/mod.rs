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
}

//! The settings of a run: how many paths, under which seed, with which quantiles.

use super::QuantileMode;

/// How many paths, under which seed, with which quantiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSettings {
    /// Paths per indicator (or group of jointly simulated indicators).
    pub paths: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Exact or streaming quantiles.
    pub quantiles: QuantileMode,
    /// Also run the analysis of every target simulated on its own (growth needed for
    /// 50/80/90 %, progress categories, sensitivity): about a hundred check-only runs
    /// per target.
    pub analysis: bool,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            paths: crate::DEFAULT_PATHS,
            seed: crate::DEFAULT_SEED,
            quantiles: QuantileMode::Exact,
            analysis: false,
        }
    }
}

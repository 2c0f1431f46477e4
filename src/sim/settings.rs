//! The settings of a run: how many paths, under which seed, with which quantiles.

use super::QuantileMode;
use super::memory::AUTO_EXACT_MAX_BYTES;
use crate::stats::STREAMING_MAX_REL_ERROR;

/// How many paths, under which seed, with which quantiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSettings {
    /// Paths per indicator (or group of jointly simulated indicators).
    pub paths: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Exact or streaming quantiles, or chosen by size ([`QuantileMode::Auto`], the
    /// default).
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
            quantiles: QuantileMode::Auto,
            analysis: false,
        }
    }
}

impl QuantileMode {
    /// The mode a run uses, given the bytes its exact quantiles would take (`None`: more
    /// than a `u64` counts): [`QuantileMode::Auto`] becomes exact up to
    /// [`AUTO_EXACT_MAX_BYTES`] and streaming beyond; an explicit mode stays.
    ///
    /// ```
    /// use goalcast::sim::QuantileMode;
    /// assert_eq!(QuantileMode::Auto.chosen(Some(8_000_000)), QuantileMode::Exact);
    /// assert_eq!(QuantileMode::Auto.chosen(Some(800_000_000)), QuantileMode::Streaming);
    /// assert_eq!(QuantileMode::Exact.chosen(Some(800_000_000)), QuantileMode::Exact);
    /// ```
    pub fn chosen(self, exact_bytes: Option<u64>) -> QuantileMode {
        match self {
            QuantileMode::Auto if exact_bytes.is_some_and(|b| b <= AUTO_EXACT_MAX_BYTES) => {
                QuantileMode::Exact
            }
            QuantileMode::Auto => QuantileMode::Streaming,
            explicit => explicit,
        }
    }

    /// The mode's name on the command line and in `results.json`.
    pub fn name(self) -> &'static str {
        match self {
            QuantileMode::Exact => "exact",
            QuantileMode::Streaming => "streaming",
            QuantileMode::Auto => "auto",
        }
    }

    /// The largest relative error of a reported quantile: 0 for exact quantiles,
    /// [`STREAMING_MAX_REL_ERROR`] for streaming ones (`None` for `Auto`, not yet
    /// chosen).
    pub fn max_rel_error(self) -> Option<f64> {
        match self {
            QuantileMode::Exact => Some(0.0),
            QuantileMode::Streaming => Some(STREAMING_MAX_REL_ERROR),
            QuantileMode::Auto => None,
        }
    }
}

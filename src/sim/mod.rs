//! The Monte Carlo engine.
//!
//! [`Simulator`] runs many paths of one indicator — or of several jointly, with
//! correlated shocks — from their last known values, in parallel with rayon, and checks
//! goals on every path as it goes. Paths are processed in fixed chunks; per-chunk
//! results are integer counts (reduced by addition, so the order of reduction cannot
//! change them), per-path levels stored by path index (exact mode) or integer histogram
//! counts (streaming mode). Output is therefore byte-identical for any number of threads.

mod engine;
mod kernel;
pub mod memory;
mod settings;
pub mod shard;

pub use crate::random::{
    GENERATOR, LANES, LaneStreams, PathRng, PathStreams, STREAM_CONTRACT, path_rng, stream_id,
};
pub use engine::{
    CHUNK_PATHS, Check, CheckCounts, CheckThreshold, DEFAULT_PROBS, Measure, QuantileMode,
    SimulationOutput, Simulator,
};
pub use kernel::Response;
pub use settings::RunSettings;
pub use shard::{Partial, Recorder, Replay, Shard, Sharding, Tally};

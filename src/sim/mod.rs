//! The Monte Carlo engine.
//!
//! [`Simulator`] runs many paths of one indicator from its last known value, in parallel
//! with rayon, and checks goals on every path as it goes. Paths are processed in fixed
//! chunks; per-chunk results are integer counts (reduced by addition, so the order of
//! reduction cannot change them) and per-path levels stored by path index. Output is
//! therefore byte-identical for any number of threads.

mod engine;
mod stream;

pub use engine::{Check, CheckCounts, CheckThreshold, SimulationOutput, Simulator};
pub use stream::{GENERATOR, PathRng, path_rng, path_rng_from_id, stream_id};

//! Random streams: one reproducible counter-based stream per (seed, stream key, path),
//! and the standard normals drawn from it, for 64 paths at once in vector instructions.
//!
//! This is the lowest layer the engine builds on: it knows nothing of indicators,
//! processes or goals. [`crate::sim`] re-exports what a caller needs
//! ([`path_rng`], [`GENERATOR`], [`STREAM_CONTRACT`]).

mod ars;
mod isa;
mod stream;
mod ziggurat_tables;

pub use stream::{
    FurtherDraws, GENERATOR, LANES, LaneStreams, PathRng, PathStreams, STREAM_CONTRACT, path_rng,
    stream_id,
};

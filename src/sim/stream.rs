//! Per-path random streams.
//!
//! Path `i` of stream `key` under seed `s` draws from its own Xoshiro256++ generator,
//! seeded from `(s, key, i)` alone. Results therefore do not depend on how paths are
//! split across threads, and running more paths leaves the earlier paths unchanged.

use rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every path uses (portable across platforms and releases of `rand_xoshiro`).
pub type PathRng = Xoshiro256PlusPlus;

/// Human-readable description of the stream construction, written to run manifests.
pub const GENERATOR: &str = "Xoshiro256++ (rand_xoshiro 0.8) per path, seeded by SplitMix64 from \
fmix64(fmix64(seed ^ fmix64(FNV-1a(stream key))) + path * 0x9E3779B97F4A7C15); \
normals by rand_distr 0.6 StandardNormal (ziggurat)";

/// MurmurHash3's 64-bit finaliser: a bijective mixer with full avalanche.
#[inline]
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// FNV-1a hash of a stream key: stable across platforms and Rust releases
/// (unlike `std`'s `DefaultHasher`).
pub fn stream_id(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The streams of one run: a seed and a stream id, mixed once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStreams {
    base: u64,
}

impl PathStreams {
    /// Streams for `seed` and stream id `stream` (see [`stream_id`]).
    pub fn new(seed: u64, stream: u64) -> Self {
        PathStreams {
            base: fmix64(seed ^ fmix64(stream)),
        }
    }

    /// The generator of path `path`.
    ///
    /// For a fixed seed and stream, distinct paths get distinct 64-bit seeds (`path ↦
    /// base + path·φ` is injective for odd φ and `fmix64` is a bijection), which
    /// SplitMix64 expands into the 256-bit state.
    #[inline]
    pub fn path(&self, path: u64) -> PathRng {
        Xoshiro256PlusPlus::seed_from_u64(fmix64(
            self.base
                .wrapping_add(path.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        ))
    }
}

/// The generator of path `path` of the stream named `key` (e.g. `Hubei/gdp`).
pub fn path_rng(seed: u64, key: &str, path: u64) -> PathRng {
    PathStreams::new(seed, stream_id(key)).path(path)
}

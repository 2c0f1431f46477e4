//! Per-path random streams, and the lane-parallel normal sampler that draws from them.
//!
//! Path `i` of stream `key` under seed `s` draws from its own Xoshiro256++ generator,
//! seeded from `(s, key, i)` alone. Results therefore do not depend on how paths are
//! split across threads, and running more paths leaves the earlier paths unchanged.
//!
//! The engine advances the generators of a block of [`LANES`] paths together
//! ([`LaneStreams`]): one step of every generator, then one ziggurat draw per path, in
//! loops over the block that the compiler turns into vector instructions. Each path's
//! generator still produces exactly its own sequence, so a path's normal draws are
//! bit-for-bit those of `rand_distr`'s `StandardNormal` on that path's generator
//! (tested against `rand_xoshiro` and `rand_distr` in `tests/streams.rs`).

use std::convert::Infallible;

use rand_core::{TryRng, utils};

use super::isa::Isa;
use super::ziggurat_tables::{F, R, X};

/// Human-readable description of the stream construction, written to run manifests.
pub const GENERATOR: &str = "Xoshiro256++ per path, seeded by SplitMix64 from \
fmix64(fmix64(seed ^ fmix64(FNV-1a(stream key))) + path * 0x9E3779B97F4A7C15); \
normals by the 256-layer ziggurat of rand_distr 0.6 StandardNormal (same values)";

/// Paths whose generators advance together (a block of the engine).
pub const LANES: usize = 64;

/// MurmurHash3's 64-bit finaliser: a bijective mixer with full avalanche.
#[inline(always)]
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// One output of SplitMix64 (state advanced in place).
#[inline(always)]
fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a hash of a stream key: stable across platforms and Rust releases
/// (unlike `std`'s `DefaultHasher`).
pub fn stream_id(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The Xoshiro256++ generator of one path (Blackman and Vigna; the same sequence as
/// `rand_xoshiro::Xoshiro256PlusPlus` seeded with `seed_from_u64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRng {
    s: [u64; 4],
}

impl PathRng {
    /// The generator whose 256-bit state SplitMix64 expands from `seed`. (Four
    /// consecutive SplitMix64 outputs are distinct, so the state is never all zero.)
    #[inline(always)]
    fn from_u64(mut seed: u64) -> Self {
        PathRng {
            s: [
                splitmix64(&mut seed),
                splitmix64(&mut seed),
                splitmix64(&mut seed),
                splitmix64(&mut seed),
            ],
        }
    }

    #[inline(always)]
    fn step(&mut self) -> u64 {
        let [a, b, c, d] = &mut self.s;
        let out = a.wrapping_add(*d).rotate_left(23).wrapping_add(*a);
        let t = *b << 17;
        *c ^= *a;
        *d ^= *b;
        *b ^= *c;
        *a ^= *d;
        *c ^= t;
        *d = d.rotate_left(45);
        out
    }

    /// A uniform draw in [0, 1) from the top 53 bits (as `rand`'s `StandardUniform`).
    fn uniform(&mut self) -> f64 {
        (self.step() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform draw in (0, 1) (as `rand`'s `Open01`).
    fn open01(&mut self) -> f64 {
        f64::from_bits((self.step() >> 12) | ONE_BITS) - (1.0 - f64::EPSILON / 2.0)
    }
}

impl TryRng for PathRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.step() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.step())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        utils::fill_bytes_via_next_word(dst, || self.try_next_u64())
    }
}

/// Bits of 1.0 (exponent of [1, 2)); with 52 random mantissa bits, a float in [1, 2).
const ONE_BITS: u64 = 0x3ff0_0000_0000_0000;
/// Bits of 2.0 (exponent of [2, 4)).
const TWO_BITS: u64 = 0x4000_0000_0000_0000;

/// The first ziggurat attempt of a draw from 64 random bits: the layer `i`, the
/// candidate `x = u·X[i]` with u uniform on [−1, 1), and whether it is accepted at once
/// (`|x| < X[i+1]`, about 99 % of draws).
#[inline(always)]
fn ziggurat_attempt(bits: u64) -> (usize, f64, f64, bool) {
    let i = usize::from(bits as u8);
    let u = f64::from_bits((bits >> 12) | TWO_BITS) - 3.0;
    let x = u * X[i];
    (i, u, x, x.abs() < X[i + 1])
}

/// Completes a ziggurat draw whose first attempt, from `bits`, was not accepted at once:
/// the wedge test, the tail, and further attempts, exactly as `rand_distr` does them.
#[cold]
#[inline(never)]
fn finish_normal(rng: &mut PathRng, mut bits: u64) -> f64 {
    loop {
        let (i, u, x, accepted) = ziggurat_attempt(bits);
        if accepted {
            return x;
        }
        if i == 0 {
            // The tail beyond R (Marsaglia's method).
            let (mut tx, mut ty) = (1.0f64, 0.0f64);
            while -2.0 * ty < tx * tx {
                tx = rng.open01().ln() / R;
                ty = rng.open01().ln();
            }
            return if u < 0.0 { tx - R } else { R - tx };
        }
        if F[i + 1] + (F[i] - F[i + 1]) * rng.uniform() < (-x * x / 2.0).exp() {
            return x;
        }
        bits = rng.step();
    }
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

    /// The 64-bit seed of path `path`: distinct for distinct paths (`path ↦ base +
    /// path·φ` is injective for odd φ and `fmix64` is a bijection).
    #[inline(always)]
    fn seed_of(&self, path: u64) -> u64 {
        fmix64(
            self.base
                .wrapping_add(path.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        )
    }

    /// The generator of path `path`, which SplitMix64 expands from its seed.
    #[inline]
    pub fn path(&self, path: u64) -> PathRng {
        PathRng::from_u64(self.seed_of(path))
    }
}

/// The generator of path `path` of the stream named `key` (e.g. `Hubei/gdp`).
///
/// ```
/// use rand_core::Rng;
/// let mut a = goalcast::sim::path_rng(1, "Hubei/gdp", 0);
/// let mut b = goalcast::sim::path_rng(1, "Hubei/gdp", 0);
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
pub fn path_rng(seed: u64, key: &str, path: u64) -> PathRng {
    PathStreams::new(seed, stream_id(key)).path(path)
}

/// The generators of a block of [`LANES`] consecutive paths, stored lane by lane (one
/// array per state word) so that one step of all of them is a handful of vector
/// instructions.
#[derive(Debug, Clone)]
#[repr(C, align(64))]
pub struct LaneStreams {
    s: [[u64; LANES]; 4],
    isa: Isa,
}

impl Default for LaneStreams {
    fn default() -> Self {
        LaneStreams {
            s: [[0; LANES]; 4],
            isa: Isa::detect(),
        }
    }
}

impl LaneStreams {
    /// Seeds lane `p` with the generator of path `first + p`, for every lane.
    #[inline(always)]
    pub fn seed(&mut self, streams: &PathStreams, first: u64) {
        for p in 0..LANES {
            let mut x = streams.seed_of(first + p as u64);
            for word in &mut self.s {
                word[p] = splitmix64(&mut x);
            }
        }
    }

    /// The generator of lane `p`, as it stands.
    #[inline]
    pub fn rng(&self, p: usize) -> PathRng {
        PathRng {
            s: [self.s[0][p], self.s[1][p], self.s[2][p], self.s[3][p]],
        }
    }

    /// Puts back the generator of lane `p` after draws made from it with [`Self::rng`].
    #[inline]
    pub fn set_rng(&mut self, p: usize, rng: &PathRng) {
        for (word, &v) in self.s.iter_mut().zip(&rng.s) {
            word[p] = v;
        }
    }

    /// Standard-normal draws in rows of [`LANES`]: `out[r·LANES + p]` is the r-th draw of
    /// lane p (`out.len()` must be a multiple of `LANES`). Compiled for the widest
    /// instruction set the machine has; the values do not depend on it.
    ///
    /// ```
    /// use goalcast::sim::{LANES, LaneStreams, PathStreams, stream_id};
    /// let mut lanes = LaneStreams::default();
    /// lanes.seed(&PathStreams::new(1, stream_id("Hubei/gdp")), 0);
    /// let mut z = vec![0.0; 10 * LANES]; // ten years of 64 paths
    /// lanes.fill_normals(&mut z);
    /// assert!(z.iter().all(|x| x.is_finite()));
    /// ```
    #[inline(always)]
    pub fn fill_normals(&mut self, out: &mut [f64]) {
        let isa = self.isa;
        isa.run(
            #[inline(always)]
            || self.normal_rows(out),
        );
    }

    /// The first `out.len() / LANES` normal draws of paths `first..first + LANES`, in
    /// rows as [`Self::fill_normals`] lays them out: the lanes are seeded for those paths
    /// first, as the engine does for each block.
    ///
    /// ```
    /// use goalcast::sim::{LANES, LaneStreams, PathStreams, path_rng, stream_id};
    /// use rand_distr::{Distribution, StandardNormal};
    /// let streams = PathStreams::new(1, stream_id("Hubei/gdp"));
    /// let mut z = vec![0.0; 3 * LANES];
    /// LaneStreams::default().fill_path_normals(&streams, 128, &mut z);
    /// let mut path_130 = path_rng(1, "Hubei/gdp", 130);
    /// for year in 0..3 {
    ///     let expected: f64 = StandardNormal.sample(&mut path_130);
    ///     assert_eq!(z[year * LANES + 2], expected);
    /// }
    /// ```
    #[inline(always)]
    pub fn fill_path_normals(&mut self, streams: &PathStreams, first: u64, out: &mut [f64]) {
        let isa = self.isa;
        isa.run(
            #[inline(always)]
            || {
                self.seed(streams, first);
                self.normal_rows(out);
            },
        );
    }

    /// As [`Self::fill_normals`], compiled for the caller's instruction set (the engine
    /// calls it inside its own block loop, which [`Self::isa`] chose).
    #[inline(always)]
    pub(crate) fn normal_rows(&mut self, out: &mut [f64]) {
        assert!(out.len().is_multiple_of(LANES), "rows of LANES draws");
        for row in out.chunks_exact_mut(LANES) {
            self.normals(row.try_into().expect("rows of LANES"));
        }
    }

    /// The instruction set these streams' loops are compiled for.
    pub(crate) fn isa(&self) -> Isa {
        self.isa
    }

    /// One standard-normal draw per lane: `out[p]` from lane p's generator.
    #[inline(always)]
    pub fn normals(&mut self, out: &mut [f64; LANES]) {
        let mut bits = [0u64; LANES];
        let mut missed = [0u8; LANES];
        let [s0, s1, s2, s3] = &mut self.s;
        for p in 0..LANES {
            let mut rng = PathRng {
                s: [s0[p], s1[p], s2[p], s3[p]],
            };
            bits[p] = rng.step();
            [s0[p], s1[p], s2[p], s3[p]] = rng.s;
            let (_, _, x, accepted) = ziggurat_attempt(bits[p]);
            out[p] = x;
            missed[p] = u8::from(!accepted);
        }
        // About one lane in a hundred continues the draw on its own.
        for (word, flags) in missed.chunks_exact(8).enumerate() {
            let mut flags = u64::from_le_bytes(flags.try_into().expect("chunks of 8"));
            while flags != 0 {
                let p = word * 8 + flags.trailing_zeros() as usize / 8;
                flags &= flags - 1;
                let mut rng = self.rng(p);
                out[p] = finish_normal(&mut rng, bits[p]);
                self.set_rng(p, &rng);
            }
        }
    }
}

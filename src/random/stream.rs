//! Per-path random streams, and the lane-parallel normal sampler that draws from them.
//!
//! **Stream contract 3.** Every random word of path `i` of stream `key` under seed `s` is
//! a block of the counter-based generator ARS-7 ([`super::ars`]) under a 128-bit key
//! made from `(s, key)` alone, at a counter that names the path and the word:
//!
//! - the first ziggurat attempt of the path's n-th standard-normal shock is half `n % 2`
//!   (low word first) of the block at counter `(i, n / 2)`;
//! - a shock that leaves the ziggurat's fast path (about 0.43 % of them) continues from
//!   the words of the blocks at `(i, 2⁶² + n·2²⁰ + j)`, j = 0, 1, …;
//! - a process's further draws (jumps, parameter draws: [`PathRng`] as a generator) come
//!   from a Xoshiro256++ generator whose state SplitMix64 expands from the low word of
//!   the block at `(i, 2⁶³)`, made when the path first asks for one (a fast generator,
//!   since some processes draw many words per path).
//!
//! A shock is therefore a pure function of (seed, stream key, path, n): nothing is seeded
//! per path, results do not depend on how paths are split across threads, and running
//! more paths or more years leaves the earlier draws unchanged.
//!
//! The engine draws the shocks of a block of [`LANES`] paths together ([`LaneStreams`]):
//! one ARS block per path for two shocks, then one ziggurat attempt per path, in loops
//! over the block that the compiler turns into vector instructions; the rare
//! continuations are made path by path. [`PathRng::standard_normal`] makes the same
//! draws one path at a time (tested bit for bit in `tests/streams.rs`, with the
//! sampler's distribution tested there too).

use std::convert::Infallible;

use rand_core::{TryRng, utils};

use super::ars;
use super::isa::Isa;
use super::ziggurat_tables::{F, LAYERS, R, X};

/// Human-readable description of the stream construction, written to run manifests.
pub const GENERATOR: &str = "stream contract 3: ARS-7 (Random123, AES rounds) counter-based, \
key (fmix64(s ^ fmix64(FNV-1a(stream key))), fmix64 of that ^ 0x6A09E667F3BCC909) for seed s; \
shock n of path i from half n%2 of the block at counter (i, n/2), continuations at \
(i, 2^62 + n*2^20 + j); further draws by Xoshiro256++ seeded by SplitMix64 from the low word \
of the block at (i, 2^63); normals by the 1024-layer ziggurat (layer from the word's low 10 bits, \
u in [-1, 1) from its top 52; wedge tests, Marsaglia's tail beyond R = 4.0388 and retries as \
rand_distr 0.6 makes them)";

/// The version of the stream contract ([`GENERATOR`]): it changes whenever the same
/// seed would give different random numbers. Version 1 was Xoshiro256++ per path with
/// `rand_distr`'s `StandardNormal`; version 2 the same ARS-7 words as now, with
/// `rand_distr`'s 256-layer ziggurat tables (its first attempt accepted 98.5 % of the time,
/// against 99.57 % for the 1024 layers of version 3).
pub const STREAM_CONTRACT: u32 = 3;

/// Paths whose shocks are drawn together (a block of the engine).
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

/// FNV-1a hash of a stream key: stable across platforms and Rust releases
/// (unlike `std`'s `DefaultHasher`).
pub fn stream_id(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The counter domain of shock continuations (see the module documentation).
const SLOW: u64 = 1 << 62;
/// The counter of the block that seeds a process's further draws.
const EXTRA: u64 = 1 << 63;

/// One output of SplitMix64 (state advanced in place).
#[inline(always)]
fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The Xoshiro256++ state of path `path`'s further draws.
fn extra_state(key: [u64; 2], path: u64) -> [u64; 4] {
    expand(ars::block(key, [path, EXTRA])[0])
}

/// The Xoshiro256++ state SplitMix64 expands from `seed` (four consecutive SplitMix64
/// outputs are distinct, so the state is never all zero).
#[inline(always)]
fn expand(mut seed: u64) -> [u64; 4] {
    [
        splitmix64(&mut seed),
        splitmix64(&mut seed),
        splitmix64(&mut seed),
        splitmix64(&mut seed),
    ]
}

/// One step of Xoshiro256++ (Blackman and Vigna).
#[inline(always)]
fn xoshiro_step(s: &mut [u64; 4]) -> u64 {
    let [a, b, c, d] = s;
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

/// The continuation words of one shock of one path: the words of the blocks at counters
/// `(path, domain + j)`, j = 0, 1, …, low word first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Words {
    key: [u64; 2],
    path: u64,
    domain: u64,
    /// Index of the next word.
    next: u64,
    /// The high word of the current block (valid when `next` is odd).
    spare: u64,
}

impl Words {
    #[inline]
    fn word(&mut self) -> u64 {
        let at = self.next;
        self.next += 1;
        if at & 1 == 1 {
            return self.spare;
        }
        let [lo, hi] = ars::block(self.key, [self.path, self.domain + (at >> 1)]);
        self.spare = hi;
        lo
    }

    /// A uniform draw in [0, 1) from the top 53 bits (as `rand`'s `StandardUniform`).
    fn uniform(&mut self) -> f64 {
        (self.word() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform draw in (0, 1) (as `rand`'s `Open01`).
    fn open01(&mut self) -> f64 {
        f64::from_bits((self.word() >> 12) | ONE_BITS) - (1.0 - f64::EPSILON / 2.0)
    }
}

/// The random stream of one path: its standard-normal shocks
/// ([`PathRng::standard_normal`]) and, as a [`rand_core`] generator, the further draws
/// of its process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRng {
    key: [u64; 2],
    path: u64,
    /// Index of the next shock.
    shock: u64,
    /// The generator of the further draws, once one is asked for.
    extra: Option<[u64; 4]>,
}

impl PathRng {
    /// The path's next standard-normal shock: the same value the engine draws for it.
    pub fn standard_normal(&mut self) -> f64 {
        let n = self.shock;
        self.shock += 1;
        let (key, path) = (self.key, self.path);
        let bits = ars::block(key, [path, n >> 1])[(n & 1) as usize];
        let (_, _, x, accepted) = ziggurat_attempt(bits);
        if accepted {
            x
        } else {
            finish_normal(&mut continuation(key, path, n), bits)
        }
    }
}

/// The continuation words of shock `n` of path `path`.
#[inline]
fn continuation(key: [u64; 2], path: u64, n: u64) -> Words {
    Words {
        key,
        path,
        domain: SLOW + (n << 20),
        next: 0,
        spare: 0,
    }
}

impl PathRng {
    /// The next word of the further draws.
    #[inline]
    fn extra_word(&mut self) -> u64 {
        let (key, path) = (self.key, self.path);
        xoshiro_step(self.extra.get_or_insert_with(|| extra_state(key, path)))
    }
}

impl TryRng for PathRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.extra_word() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.extra_word())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        utils::fill_bytes_via_next_word(dst, || self.try_next_u64())
    }
}

/// The further draws of one lane of [`LaneStreams`], made in place on its generator: the
/// same words as [`PathRng`]'s of that path.
#[derive(Debug)]
pub struct FurtherDraws<'a>(&'a mut [u64; 4]);

impl TryRng for FurtherDraws<'_> {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((xoshiro_step(self.0) >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(xoshiro_step(self.0))
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
/// (`|x| < X[i+1]`, about 99.57 % of draws).
#[inline(always)]
fn ziggurat_attempt(bits: u64) -> (usize, f64, f64, bool) {
    let i = bits as usize & (LAYERS - 1);
    let u = f64::from_bits((bits >> 12) | TWO_BITS) - 3.0;
    let x = u * X[i];
    (i, u, x, x.abs() < X[i + 1])
}

/// Completes a ziggurat draw whose first attempt, from `bits`, was not accepted at once:
/// the wedge test, the tail (Marsaglia's method), and further attempts, as `rand_distr`
/// does them, with every further word from the shock's continuation `words`.
#[cold]
#[inline(never)]
fn finish_normal(words: &mut Words, mut bits: u64) -> f64 {
    loop {
        let (i, u, x, accepted) = ziggurat_attempt(bits);
        if accepted {
            return x;
        }
        if i == 0 {
            // The tail beyond R (Marsaglia's method).
            let (mut tx, mut ty) = (1.0f64, 0.0f64);
            while -2.0 * ty < tx * tx {
                tx = words.open01().ln() / R;
                ty = words.open01().ln();
            }
            return if u < 0.0 { tx - R } else { R - tx };
        }
        if F[i + 1] + (F[i] - F[i + 1]) * words.uniform() < (-x * x / 2.0).exp() {
            return x;
        }
        bits = words.word();
    }
}

/// The streams of one run: a seed and a stream id, mixed once into the generator's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStreams {
    key: [u64; 2],
}

impl PathStreams {
    /// Streams for `seed` and stream id `stream` (see [`stream_id`]).
    pub fn new(seed: u64, stream: u64) -> Self {
        let base = fmix64(seed ^ fmix64(stream));
        PathStreams {
            key: [base, fmix64(base ^ 0x6A09_E667_F3BC_C909)],
        }
    }

    /// The stream of path `path`.
    #[inline]
    pub fn path(&self, path: u64) -> PathRng {
        PathRng {
            key: self.key,
            path,
            shock: 0,
            extra: None,
        }
    }
}

/// The stream of path `path` of the stream named `key` (e.g. `Hubei/gdp`).
///
/// ```
/// use rand_core::Rng;
/// let mut a = goalcast::sim::path_rng(1, "Hubei/gdp", 0);
/// let mut b = goalcast::sim::path_rng(1, "Hubei/gdp", 0);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert_eq!(a.standard_normal(), b.standard_normal());
/// ```
pub fn path_rng(seed: u64, key: &str, path: u64) -> PathRng {
    PathStreams::new(seed, stream_id(key)).path(path)
}

/// The streams of a block of [`LANES`] consecutive paths, stored lane by lane: the
/// shock counter they share, the second words of the current shock blocks, and each
/// lane's position in its further draws.
#[derive(Debug, Clone)]
#[repr(C, align(64))]
pub struct LaneStreams {
    /// The second (high) words of the blocks of shocks `next - 1` and `next` (valid when
    /// `next` is odd).
    spare: [u64; LANES],
    /// Per lane: the generator of its further draws, where one was made.
    extra: [[u64; 4]; LANES],
    extra_made: [bool; LANES],
    key: [u64; 2],
    /// Path of lane 0.
    first: u64,
    /// Index of every lane's next shock.
    next: u64,
    isa: Isa,
    rounds: ars::Rounds,
}

impl Default for LaneStreams {
    fn default() -> Self {
        LaneStreams {
            spare: [0; LANES],
            extra: [[0; 4]; LANES],
            extra_made: [false; LANES],
            key: [0; 2],
            first: 0,
            next: 0,
            isa: Isa::detect(),
            rounds: ars::Rounds::detect(),
        }
    }
}

impl LaneStreams {
    /// Sets lane `p` to the stream of path `first + p`, at its start, for every lane.
    /// Nothing is computed per path: a counter-based stream needs no seeding.
    #[inline(always)]
    pub fn seed(&mut self, streams: &PathStreams, first: u64) {
        self.key = streams.key;
        self.first = first;
        self.next = 0;
        self.extra_made = [false; LANES];
    }

    /// The stream of lane `p`, as it stands.
    #[inline]
    pub fn rng(&self, p: usize) -> PathRng {
        PathRng {
            key: self.key,
            path: self.first.wrapping_add(p as u64),
            shock: self.next,
            extra: self.extra_made[p].then_some(self.extra[p]),
        }
    }

    /// Makes every lane's generator of further draws (the same as [`PathRng`] makes on
    /// its first further draw), 64 blocks at once: a process that draws more than its
    /// shocks calls this before taking the lanes' streams one by one.
    #[inline(always)]
    pub fn prepare_further_draws(&mut self) {
        if self.extra_made.iter().all(|&m| m) {
            return;
        }
        let (mut lo, mut hi) = ([0u64; LANES], [0u64; LANES]);
        ars::lanes(self.rounds, self.key, self.first, EXTRA, &mut lo, &mut hi);
        for ((state, &made), &seed) in self.extra.iter_mut().zip(&self.extra_made).zip(&lo) {
            if !made {
                *state = expand(seed);
            }
        }
        self.extra_made = [true; LANES];
    }

    /// Lane `p`'s further draws, in place: what [`Self::rng`] and [`Self::set_rng`]
    /// give, without copying the generator out and back. Call
    /// [`Self::prepare_further_draws`] first.
    #[inline]
    pub fn further(&mut self, p: usize) -> FurtherDraws<'_> {
        debug_assert!(self.extra_made[p], "prepare_further_draws was not called");
        FurtherDraws(&mut self.extra[p])
    }

    /// Puts back the stream of lane `p` after further draws made from it with
    /// [`Self::rng`] (its shocks are drawn by the lanes, not by it).
    #[inline]
    pub fn set_rng(&mut self, p: usize, rng: &PathRng) {
        if let Some(s) = rng.extra {
            self.extra[p] = s;
            self.extra_made[p] = true;
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
    /// rows as [`Self::fill_normals`] lays them out: the lanes are set to those paths
    /// first, as the engine does for each block.
    ///
    /// ```
    /// use goalcast::sim::{LANES, LaneStreams, PathStreams, path_rng, stream_id};
    /// let streams = PathStreams::new(1, stream_id("Hubei/gdp"));
    /// let mut z = vec![0.0; 3 * LANES];
    /// LaneStreams::default().fill_path_normals(&streams, 128, &mut z);
    /// let mut path_130 = path_rng(1, "Hubei/gdp", 130);
    /// for year in 0..3 {
    ///     assert_eq!(z[year * LANES + 2], path_130.standard_normal());
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

    /// One standard-normal draw per lane: `out[p]` is the next shock of lane p's path.
    #[inline(always)]
    pub fn normals(&mut self, out: &mut [f64; LANES]) {
        let n = self.next;
        self.next += 1;
        let mut bits = [0u64; LANES];
        if n & 1 == 0 {
            ars::lanes(
                self.rounds,
                self.key,
                self.first,
                n >> 1,
                &mut bits,
                &mut self.spare,
            );
        } else {
            bits = self.spare;
        }
        let mut missed = [0u8; LANES];
        for p in 0..LANES {
            let (_, _, x, accepted) = ziggurat_attempt(bits[p]);
            out[p] = x;
            missed[p] = u8::from(!accepted);
        }
        // About one lane in 230 continues the draw on its own.
        for (word, flags) in missed.chunks_exact(8).enumerate() {
            let mut flags = u64::from_le_bytes(flags.try_into().expect("chunks of 8"));
            while flags != 0 {
                let p = word * 8 + flags.trailing_zeros() as usize / 8;
                flags &= flags - 1;
                let path = self.first.wrapping_add(p as u64);
                out[p] = finish_normal(&mut continuation(self.key, path, n), bits[p]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ziggurat_tables::{F, LAYERS, R, V, X};
    use statrs::function::erf::erfc;

    fn relative(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    /// The largest relative difference from V of the areas of layers 1..LAYERS,
    /// `X[i]·(F[i+1] − F[i])`.
    fn worst_layer(x: &[f64; LAYERS + 1], f: &[f64; LAYERS + 1]) -> f64 {
        (1..LAYERS)
            .map(|i| relative(x[i] * (f[i + 1] - f[i]), V))
            .fold(0.0, f64::max)
    }

    /// The generated tables define a ziggurat: the base layer (the rectangle up to R and
    /// the tail beyond) and every other layer have the same area V, the edges fall from
    /// `X[0] = V / f(R)` through `X[1] = R` to `X[LAYERS] = 0`, and `F` is f at them.
    #[test]
    fn the_ziggurat_tables_satisfy_their_defining_relations() {
        let f = |x: f64| (-x * x / 2.0).exp();
        let tail = (std::f64::consts::PI / 2.0).sqrt() * erfc(R / std::f64::consts::SQRT_2);
        let base = R * f(R) + tail;
        // statrs's erfc is good to about 1e-10 of the tail here (5e-15 of V).
        assert!(relative(base, V) < 1e-11, "base layer {base:e}, V {V:e}");
        assert!(relative(X[0] * F[1], V) < 1e-13);
        assert_eq!((X[1], X[LAYERS], F[LAYERS]), (R, 0.0, 1.0));
        for i in 0..=LAYERS {
            // F is f at the unrounded edge: X's rounding moves f by up to X²·2⁻⁵³.
            assert!(relative(F[i], f(X[i])) < 4e-15, "F[{i}]");
        }
        assert!(X.windows(2).all(|w| w[1] < w[0]), "X falls");
        let worst = worst_layer(&X, &F);
        assert!(worst < 1e-11, "a layer's area is off V by {worst:e}");
        // One edge moved by a billionth breaks its two layers.
        let mut moved = X;
        moved[LAYERS / 2] *= 1.0 + 1e-9;
        assert!(worst_layer(&moved, &F) > 1e-10);
    }
}

//! ARS-7, the counter-based generator of Salmon, Moraes, Dror and Shaw ("Parallel random
//! numbers: as easy as 1, 2, 3", SC 2011; Random123's `ars1xm128i_R<7>`): a 128-bit
//! counter XORed with the key, then seven AES rounds whose round keys walk a Weyl sequence
//! from the key (`k_{r+1} = k_r + (0x9E3779B97F4A7C15, 0xBB67AE8584CAA73B)`, two 64-bit
//! additions), the last one without MixColumns. Every block is a pure function of
//! (key, counter): no state to seed per path and no order to keep.
//!
//! The rounds run on the processor's AES instructions where it has them (every x86-64
//! with AVX2 does), two blocks per instruction where it has VAES (256-bit AES rounds:
//! AMD Zen 3 and later, Intel Ice Lake and later), and in portable code otherwise; all
//! three give the same bits (tested here, with the AES round itself checked against
//! FIPS-197's known answer).
#![allow(unsafe_code)]

use super::stream::LANES;

/// AES rounds of a block (Random123's default for ARS).
const ROUNDS: usize = 7;
/// The Weyl increment of the round keys (low, high 64 bits).
const WEYL: [u64; 2] = [0x9E37_79B9_7F4A_7C15, 0xBB67_AE85_84CA_A73B];

/// The round keys `k_0..=k_ROUNDS` of `key`.
#[inline(always)]
fn round_keys(key: [u64; 2]) -> [[u64; 2]; ROUNDS + 1] {
    let mut k = [key; ROUNDS + 1];
    for r in 1..=ROUNDS {
        k[r] = [
            k[r - 1][0].wrapping_add(WEYL[0]),
            k[r - 1][1].wrapping_add(WEYL[1]),
        ];
    }
    k
}

/// Whether this machine runs AES rounds in hardware.
pub(super) fn hardware() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("aes")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// How the blocks of a lane group are computed: every way gives the same bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rounds {
    /// Portable code.
    Portable,
    /// AES instructions on 128-bit registers, one block each.
    Aes,
    /// VAES on 256-bit registers, two blocks each (AMD Zen 3 and later, Intel Ice Lake
    /// and later).
    Vaes,
}

impl Rounds {
    /// The fastest way this machine offers.
    pub(super) fn detect() -> Rounds {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            if has!("vaes") && has!("avx2") && has!("aes") {
                return Rounds::Vaes;
            }
        }
        if hardware() {
            Rounds::Aes
        } else {
            Rounds::Portable
        }
    }
}

/// The block of counter `(lo, hi)` under `key`, as (low, high) 64-bit words.
pub(super) fn block(key: [u64; 2], counter: [u64; 2]) -> [u64; 2] {
    #[cfg(target_arch = "x86_64")]
    if hardware() {
        // SAFETY: the processor has AES instructions (checked just above).
        return unsafe { hw::block(key, counter) };
    }
    soft::block(key, counter)
}

/// The blocks of counters `(first + p, index)` for the lanes p of a block of paths: the
/// low words into `lo[p]`, the high words into `hi[p]`, computed the way `rounds` says
/// (one [`Rounds::detect`] found on this machine).
#[inline(always)]
pub(super) fn lanes(
    rounds: Rounds,
    key: [u64; 2],
    first: u64,
    index: u64,
    lo: &mut [u64; LANES],
    hi: &mut [u64; LANES],
) {
    match rounds {
        // SAFETY: `detect` found VAES, AVX2 and AES on this machine.
        #[cfg(target_arch = "x86_64")]
        Rounds::Vaes => unsafe { hw::lanes_vaes(key, first, index, lo, hi) },
        // SAFETY: `detect` found AES instructions on this machine.
        #[cfg(target_arch = "x86_64")]
        Rounds::Aes => unsafe { hw::lanes(key, first, index, lo, hi) },
        _ => {
            for p in 0..LANES {
                [lo[p], hi[p]] = soft::block(key, [first.wrapping_add(p as u64), index]);
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod hw {
    use std::arch::x86_64::{
        __m128i, __m256i, _mm_add_epi64, _mm_aesenc_si128, _mm_aesenclast_si128, _mm_set_epi64x,
        _mm_storeu_si128, _mm_unpackhi_epi64, _mm_unpacklo_epi64, _mm_xor_si128,
        _mm256_aesenc_epi128, _mm256_aesenclast_epi128, _mm256_broadcastsi128_si256,
        _mm256_set_epi64x, _mm256_storeu_si256, _mm256_unpackhi_epi64, _mm256_unpacklo_epi64,
        _mm256_xor_si256,
    };

    use super::{LANES, ROUNDS, WEYL};

    #[inline]
    #[target_feature(enable = "aes")]
    fn pack(w: [u64; 2]) -> __m128i {
        _mm_set_epi64x(w[1] as i64, w[0] as i64)
    }

    #[inline]
    #[target_feature(enable = "aes")]
    fn keys(key: [u64; 2]) -> [__m128i; ROUNDS + 1] {
        let weyl = pack(WEYL);
        let mut k = [pack(key); ROUNDS + 1];
        for r in 1..=ROUNDS {
            k[r] = _mm_add_epi64(k[r - 1], weyl);
        }
        k
    }

    /// One block. Safety: the processor must have AES instructions.
    #[target_feature(enable = "aes")]
    pub(super) unsafe fn block(key: [u64; 2], counter: [u64; 2]) -> [u64; 2] {
        let k = keys(key);
        let mut v = _mm_xor_si128(pack(counter), k[0]);
        for rk in &k[1..ROUNDS] {
            v = _mm_aesenc_si128(v, *rk);
        }
        v = _mm_aesenclast_si128(v, k[ROUNDS]);
        let mut out = [0u64; 2];
        // SAFETY: `out` is 16 writable bytes; the store is unaligned.
        unsafe { _mm_storeu_si128(out.as_mut_ptr().cast(), v) };
        out
    }

    /// Blocks of eight lanes at a time, so that eight AES rounds are in flight (an AES
    /// round has a latency of about four cycles and two issue per cycle). Safety: the
    /// processor must have AES instructions.
    #[target_feature(enable = "aes")]
    pub(super) unsafe fn lanes(
        key: [u64; 2],
        first: u64,
        index: u64,
        lo: &mut [u64; LANES],
        hi: &mut [u64; LANES],
    ) {
        const GROUP: usize = 8;
        let k = keys(key);
        for g in (0..LANES).step_by(GROUP) {
            let mut v: [__m128i; GROUP] = std::array::from_fn(|q| {
                _mm_xor_si128(pack([first.wrapping_add((g + q) as u64), index]), k[0])
            });
            for rk in &k[1..ROUNDS] {
                for x in &mut v {
                    *x = _mm_aesenc_si128(*x, *rk);
                }
            }
            for x in &mut v {
                *x = _mm_aesenclast_si128(*x, k[ROUNDS]);
            }
            for q in (0..GROUP).step_by(2) {
                let (a, b) = (v[q], v[q + 1]);
                // SAFETY: `g + q + 1 < LANES`, so two u64 fit at `g + q`; unaligned store.
                unsafe {
                    _mm_storeu_si128(lo[g + q..].as_mut_ptr().cast(), _mm_unpacklo_epi64(a, b));
                    _mm_storeu_si128(hi[g + q..].as_mut_ptr().cast(), _mm_unpackhi_epi64(a, b));
                }
            }
        }
    }

    /// As [`lanes`], two blocks per 256-bit register: sixteen lanes at a time, eight
    /// registers in flight. Register j of a group holds the blocks of lanes
    /// `4⌊j/2⌋ + j%2` and that plus 2, so that unpacking the 64-bit words of registers
    /// 2m and 2m + 1 gives the low and high words of four consecutive lanes. Safety:
    /// the processor must have VAES, AVX2 and AES instructions.
    #[target_feature(enable = "vaes,avx2,aes")]
    pub(super) unsafe fn lanes_vaes(
        key: [u64; 2],
        first: u64,
        index: u64,
        lo: &mut [u64; LANES],
        hi: &mut [u64; LANES],
    ) {
        const GROUP: usize = 16;
        let k = keys(key).map(|rk| _mm256_broadcastsi128_si256(rk));
        let index = index as i64;
        for g in (0..LANES).step_by(GROUP) {
            let mut v: [__m256i; GROUP / 2] = std::array::from_fn(|j| {
                let lane = first.wrapping_add((g + 4 * (j / 2) + j % 2) as u64);
                let counters =
                    _mm256_set_epi64x(index, lane.wrapping_add(2) as i64, index, lane as i64);
                _mm256_xor_si256(counters, k[0])
            });
            for rk in &k[1..ROUNDS] {
                for x in &mut v {
                    *x = _mm256_aesenc_epi128(*x, *rk);
                }
            }
            for x in &mut v {
                *x = _mm256_aesenclast_epi128(*x, k[ROUNDS]);
            }
            for m in 0..GROUP / 4 {
                let (a, b) = (v[2 * m], v[2 * m + 1]);
                let at = g + 4 * m;
                // SAFETY: `at + 3 < LANES`, so four u64 fit at `at`; unaligned stores.
                unsafe {
                    _mm256_storeu_si256(lo[at..].as_mut_ptr().cast(), _mm256_unpacklo_epi64(a, b));
                    _mm256_storeu_si256(hi[at..].as_mut_ptr().cast(), _mm256_unpackhi_epi64(a, b));
                }
            }
        }
    }
}

/// The AES round in portable code, on the state as the AES instructions hold it: byte i
/// of the 128-bit value (little-endian words) is row `i % 4`, column `i / 4`.
mod soft {
    use super::{ROUNDS, round_keys};

    /// Multiplication in GF(2⁸) modulo x⁸ + x⁴ + x³ + x + 1.
    const fn gf_mul(mut a: u8, mut b: u8) -> u8 {
        let mut p = 0u8;
        while b != 0 {
            if b & 1 != 0 {
                p ^= a;
            }
            let carry = a & 0x80 != 0;
            a <<= 1;
            if carry {
                a ^= 0x1b;
            }
            b >>= 1;
        }
        p
    }

    /// The AES S-box: the inverse in GF(2⁸) (x²⁵⁴, 0 for 0), then the affine map.
    pub(super) const SBOX: [u8; 256] = {
        let mut s = [0u8; 256];
        let mut x = 0usize;
        while x < 256 {
            let (mut inv, mut e, mut base) = (1u8, 254u32, x as u8);
            while e != 0 {
                if e & 1 != 0 {
                    inv = gf_mul(inv, base);
                }
                base = gf_mul(base, base);
                e >>= 1;
            }
            if x == 0 {
                inv = 0;
            }
            s[x] = inv
                ^ inv.rotate_left(1)
                ^ inv.rotate_left(2)
                ^ inv.rotate_left(3)
                ^ inv.rotate_left(4)
                ^ 0x63;
            x += 1;
        }
        s
    };

    fn bytes(w: [u64; 2]) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&w[0].to_le_bytes());
        b[8..].copy_from_slice(&w[1].to_le_bytes());
        b
    }

    fn words(b: [u8; 16]) -> [u64; 2] {
        [
            u64::from_le_bytes(b[..8].try_into().expect("8 bytes")),
            u64::from_le_bytes(b[8..].try_into().expect("8 bytes")),
        ]
    }

    /// SubBytes and ShiftRows.
    fn sub_shift(s: [u8; 16]) -> [u8; 16] {
        std::array::from_fn(|i| {
            let (row, col) = (i % 4, i / 4);
            SBOX[usize::from(s[row + 4 * ((col + row) % 4)])]
        })
    }

    /// MixColumns.
    fn mix(s: [u8; 16]) -> [u8; 16] {
        std::array::from_fn(|i| {
            let (row, col) = (i % 4, i / 4);
            let a = |r: usize| s[4 * col + (row + r) % 4];
            gf_mul(a(0), 2) ^ gf_mul(a(1), 3) ^ a(2) ^ a(3)
        })
    }

    /// One AES round (`aesenc`; `last`: `aesenclast`, without MixColumns).
    pub(super) fn round(state: [u64; 2], key: [u64; 2], last: bool) -> [u64; 2] {
        let s = sub_shift(bytes(state));
        let s = if last { s } else { mix(s) };
        let [a, b] = words(s);
        [a ^ key[0], b ^ key[1]]
    }

    /// One ARS block.
    pub(super) fn block(key: [u64; 2], counter: [u64; 2]) -> [u64; 2] {
        let k = round_keys(key);
        let mut v = [counter[0] ^ k[0][0], counter[1] ^ k[0][1]];
        for (r, rk) in k.iter().enumerate().skip(1) {
            v = round(v, *rk, r == ROUNDS);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AES-128 with the round function under test: FIPS-197 appendix C.1.
    #[test]
    fn the_aes_round_encrypts_the_fips_197_example() {
        let key: [u8; 16] = std::array::from_fn(|i| i as u8);
        let plain: [u8; 16] = std::array::from_fn(|i| (i as u8) * 0x11);
        // Key expansion (FIPS-197 section 5.2), in 32-bit words of 4 bytes.
        let mut w = [[0u8; 4]; 44];
        for i in 0..4 {
            w[i].copy_from_slice(&key[4 * i..4 * i + 4]);
        }
        let mut rcon = 1u8;
        for i in 4..44 {
            let mut t = w[i - 1];
            if i % 4 == 0 {
                t = [t[1], t[2], t[3], t[0]].map(|b| soft::SBOX[usize::from(b)]);
                t[0] ^= rcon;
                rcon = (rcon << 1) ^ if rcon & 0x80 != 0 { 0x1b } else { 0 };
            }
            w[i] = std::array::from_fn(|j| w[i - 4][j] ^ t[j]);
        }
        let round_key = |r: usize| {
            let b: [u8; 16] = std::array::from_fn(|i| w[4 * r + i / 4][i % 4]);
            [
                u64::from_le_bytes(b[..8].try_into().unwrap()),
                u64::from_le_bytes(b[8..].try_into().unwrap()),
            ]
        };
        let p = [
            u64::from_le_bytes(plain[..8].try_into().unwrap()),
            u64::from_le_bytes(plain[8..].try_into().unwrap()),
        ];
        let k0 = round_key(0);
        let mut v = [p[0] ^ k0[0], p[1] ^ k0[1]];
        for r in 1..=10 {
            v = soft::round(v, round_key(r), r == 10);
        }
        let mut out = v[0].to_le_bytes().to_vec();
        out.extend(v[1].to_le_bytes());
        let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "69c4e0d86a7b0430d8cdb78070b4c55a");
    }

    #[test]
    fn hardware_and_portable_blocks_agree() {
        let mut x = 0x0123_4567_89ab_cdefu64;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x ^ (x >> 29)
        };
        for _ in 0..200 {
            let (key, counter) = ([next(), next()], [next(), next()]);
            assert_eq!(block(key, counter), soft::block(key, counter));
        }
        let (key, first, index) = ([next(), next()], u64::MAX - 3, next());
        let mut ways = vec![Rounds::Portable];
        if hardware() {
            ways.push(Rounds::Aes);
        }
        if Rounds::detect() == Rounds::Vaes {
            ways.push(Rounds::Vaes);
        }
        for rounds in ways {
            let (mut lo, mut hi) = ([0; LANES], [0; LANES]);
            lanes(rounds, key, first, index, &mut lo, &mut hi);
            for p in 0..LANES {
                let expected = soft::block(key, [first.wrapping_add(p as u64), index]);
                assert_eq!([lo[p], hi[p]], expected, "{rounds:?}, lane {p}");
            }
        }
    }
}

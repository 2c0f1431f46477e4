//! The engine's random streams against the reference crates: each path's generator is
//! `rand_xoshiro`'s Xoshiro256++ seeded as the run manifest documents, and the
//! lane-parallel ziggurat gives bit-for-bit `rand_distr`'s `StandardNormal` on it —
//! including the draws that leave the fast path (wedges and the tail beyond 3.65).

use goalcast::sim::{LANES, LaneStreams, PathStreams, path_rng, stream_id};
use rand_core::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The generator of a path as `goalcast::sim::GENERATOR` describes it.
fn documented(seed: u64, key: &str, path: u64) -> Xoshiro256PlusPlus {
    let base = fmix64(seed ^ fmix64(stream_id(key)));
    Xoshiro256PlusPlus::seed_from_u64(fmix64(
        base.wrapping_add(path.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
    ))
}

#[test]
fn path_generators_are_the_documented_xoshiro256pp_streams() {
    for (seed, key) in [(0, ""), (42, "Hubei/rd_expenditure"), (u64::MAX, "x")] {
        for path in [0, 1, 63, 64, 1 << 40] {
            let mut ours = path_rng(seed, key, path);
            let mut reference = documented(seed, key, path);
            for _ in 0..100 {
                assert_eq!(ours.next_u64(), reference.next_u64());
            }
            assert_eq!(ours.next_u32(), reference.next_u32());
            let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
            ours.fill_bytes(&mut a);
            reference.fill_bytes(&mut b);
            assert_eq!(a, b);
        }
    }
}

#[test]
fn lane_normals_are_rand_distr_standard_normals_bit_for_bit() {
    let streams = PathStreams::new(7, stream_id("lane normals"));
    let draws = 12;
    let (mut tail, mut total) = (0usize, 0usize);
    let mut lanes = LaneStreams::default();
    let mut out = [0.0; LANES];
    for block in 0..1500u64 {
        let first = block * LANES as u64 + 5; // blocks need not start at a multiple
        lanes.seed(&streams, first);
        let mut reference: Vec<_> = (0..LANES as u64).map(|p| streams.path(first + p)).collect();
        for _ in 0..draws {
            lanes.normals(&mut out);
            for (p, rng) in reference.iter_mut().enumerate() {
                let z: f64 = StandardNormal.sample(rng);
                assert_eq!(out[p].to_bits(), z.to_bits(), "block {block}, lane {p}");
                tail += usize::from(z.abs() > 3.654_152_885_361_009);
                total += 1;
            }
        }
        // Every generator stands where the path-by-path one does.
        for (p, rng) in reference.iter_mut().enumerate() {
            assert_eq!(lanes.rng(p).next_u64(), rng.next_u64());
        }
    }
    // The tail (probability 2.6e-4) was exercised, at about its rate.
    let expected = 2.58e-4 * total as f64;
    assert!(
        (tail as f64 - expected).abs() < 5.0 * expected.sqrt(),
        "{tail} tail draws in {total}, expected about {expected:.0}"
    );
}

//! The engine's random streams under stream contract 3 (`goalcast::sim::GENERATOR`):
//! the lane-parallel sampler gives each path exactly the shocks its own stream gives
//! path by path (including the draws that leave the ziggurat's fast path), a path's
//! draws depend on nothing but (seed, stream key, path), pinned golden values, and the
//! distribution of the normals: Kolmogorov–Smirnov at 10⁷ draws, moments, and the
//! frequencies beyond 4, 4.04 (the ziggurat's tail) and 5 standard deviations against
//! the exact normal tail.

use goalcast::sim::{
    GENERATOR, LANES, LaneStreams, PathStreams, STREAM_CONTRACT, path_rng, stream_id,
};
use rand_core::Rng;
use statrs::function::erf::erfc;

/// `draws` standard normals from the lanes, in blocks of 64 paths × `rows` shocks, the
/// way the engine draws a run's shocks.
fn lane_draws(seed: u64, key: &str, draws: usize, rows: usize) -> Vec<f64> {
    let streams = PathStreams::new(seed, stream_id(key));
    let mut lanes = LaneStreams::default();
    let mut out = vec![0.0; draws.div_ceil(rows * LANES) * rows * LANES];
    for (b, block) in out.chunks_exact_mut(rows * LANES).enumerate() {
        lanes.fill_path_normals(&streams, (b * LANES) as u64, block);
    }
    out.truncate(draws);
    out
}

/// Where the 1024-layer ziggurat's tail starts (its R).
const TAIL: f64 = 4.038_849_846_109_504;

/// P(|Z| > x) for a standard normal Z.
fn two_sided_tail(x: f64) -> f64 {
    erfc(x / std::f64::consts::SQRT_2)
}

#[test]
fn lane_normals_are_each_paths_own_shocks_bit_for_bit() {
    let streams = PathStreams::new(7, stream_id("lane normals"));
    let draws = 13; // odd: a block's second word is used across rows
    let (mut slow, mut total) = (0usize, 0usize);
    let mut lanes = LaneStreams::default();
    let mut out = [0.0; LANES];
    for block in 0..6000u64 {
        let first = block * LANES as u64 + 5; // blocks need not start at a multiple
        lanes.seed(&streams, first);
        let mut reference: Vec<_> = (0..LANES as u64).map(|p| streams.path(first + p)).collect();
        for _ in 0..draws {
            lanes.normals(&mut out);
            for (p, rng) in reference.iter_mut().enumerate() {
                let z = rng.standard_normal();
                assert_eq!(out[p].to_bits(), z.to_bits(), "block {block}, lane {p}");
                slow += usize::from(z.abs() > TAIL);
                total += 1;
            }
        }
        // The lanes' further draws start where each path's own do.
        for (p, rng) in reference.iter_mut().enumerate() {
            assert_eq!(lanes.rng(p).next_u64(), rng.next_u64());
        }
    }
    // The tail (probability 5.4e-5), which needs the continuation words, was exercised.
    let expected = two_sided_tail(TAIL) * total as f64;
    assert!(
        (slow as f64 - expected).abs() < 5.0 * expected.sqrt(),
        "{slow} tail draws in {total}, expected about {expected:.0}"
    );
}

#[test]
fn a_paths_draws_depend_only_on_seed_key_and_path() {
    let mut a = path_rng(3, "Hubei/gdp", 1000);
    let first: Vec<f64> = (0..20).map(|_| a.standard_normal()).collect();
    // Further draws of the process do not move the shocks, nor shocks the further draws.
    let mut b = path_rng(3, "Hubei/gdp", 1000);
    let words: Vec<u64> = (0..7).map(|_| b.next_u64()).collect();
    let second: Vec<f64> = (0..20).map(|_| b.standard_normal()).collect();
    assert_eq!(first, second);
    let mut c = path_rng(3, "Hubei/gdp", 1000);
    let _ = c.standard_normal();
    assert_eq!(words, (0..7).map(|_| c.next_u64()).collect::<Vec<_>>());
    // Other paths, keys and seeds give other draws.
    for mut other in [
        path_rng(3, "Hubei/gdp", 1001),
        path_rng(3, "Hubei/gdq", 1000),
        path_rng(4, "Hubei/gdp", 1000),
    ] {
        assert_ne!(first[0], other.standard_normal());
    }
    // Lanes drawn from any block start and any number of rows agree with the path.
    for (first_path, rows) in [(1000, 3), (999, 20), (960, 1)] {
        let streams = PathStreams::new(3, stream_id("Hubei/gdp"));
        let mut z = vec![0.0; rows * LANES];
        LaneStreams::default().fill_path_normals(&streams, first_path, &mut z);
        let lane = (1000 - first_path) as usize;
        for (r, x) in first.iter().take(rows).enumerate() {
            assert_eq!(z[r * LANES + lane], *x);
        }
    }
}

#[test]
fn golden_values_of_stream_contract_3() {
    assert_eq!(STREAM_CONTRACT, 3);
    assert!(GENERATOR.starts_with("stream contract 3: ARS-7"));
    // Path 0 of `Hubei/gdp` under seed 1: shocks −0.86391, −1.31781, −0.18054, then
    // two words of further draws.
    let mut rng = path_rng(1, "Hubei/gdp", 0);
    let normals: Vec<u64> = (0..3).map(|_| rng.standard_normal().to_bits()).collect();
    let words: Vec<u64> = (0..2).map(|_| rng.next_u64()).collect();
    assert_eq!(
        (normals, words),
        (
            vec![
                0xbfeb_a527_fbe6_cd84,
                0xbff5_15c2_f071_d6e9,
                0xbfc7_1bdf_6ea3_8c41
            ],
            vec![0x2af1_bb7a_fce9_6e46, 0xaa69_0828_3369_3440]
        )
    );
}

#[test]
fn ten_million_normals_pass_kolmogorov_smirnov_and_their_moments_are_right() {
    let n = 10_000_000;
    let mut z = lane_draws(2026, "ks", n, 10);
    let nf = n as f64;
    let mean = z.iter().sum::<f64>() / nf;
    let central = |k: i32| z.iter().map(|x| (x - mean).powi(k)).sum::<f64>() / nf;
    let (var, m3, m4) = (central(2), central(3), central(4));
    let skew = m3 / var.powf(1.5);
    let kurt = m4 / (var * var) - 3.0;
    // Standard errors at n draws: 1/√n, √(2/n), √(6/n), √(24/n); 5 of them allowed.
    let se = |v: f64| 5.0 * (v / nf).sqrt();
    assert!(mean.abs() < se(1.0), "mean {mean}");
    assert!((var - 1.0).abs() < se(2.0), "variance {var}");
    assert!(skew.abs() < se(6.0), "skewness {skew}");
    assert!(kurt.abs() < se(24.0), "excess kurtosis {kurt}");
    z.sort_unstable_by(f64::total_cmp);
    let d = z
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = 0.5 * erfc(-x / std::f64::consts::SQRT_2);
            (f - i as f64 / nf).max((i + 1) as f64 / nf - f)
        })
        .fold(0.0, f64::max);
    // Critical value of D at the 0.1 % level: 1.949/√n.
    assert!(d < 1.949 / nf.sqrt(), "KS distance {d:.3e}");
}

#[test]
fn tail_frequencies_match_the_exact_normal_tail() {
    // 2·10⁸ draws: about 115 beyond 5σ, 12,700 beyond 4σ, 10,700 beyond the ziggurat's
    // tail start 4.039 (drawn by Marsaglia's tail method) — each half on each side.
    let n = 200_000_000usize;
    let streams = PathStreams::new(11, stream_id("tails"));
    let mut lanes = LaneStreams::default();
    let rows = 16;
    let mut z = vec![0.0; rows * LANES];
    let cuts = [4.0, TAIL, 5.0];
    let mut counts = [[0u64; 2]; 3];
    for b in 0..n / (rows * LANES) {
        lanes.fill_path_normals(&streams, (b * LANES) as u64, &mut z);
        for &x in &z {
            if x.abs() > cuts[0] {
                for (c, &cut) in cuts.iter().enumerate() {
                    counts[c][usize::from(x > 0.0)] += u64::from(x.abs() > cut);
                }
            }
        }
    }
    let drawn = (n / (rows * LANES) * rows * LANES) as f64;
    for (c, &cut) in cuts.iter().enumerate() {
        let expected = two_sided_tail(cut) * drawn / 2.0;
        for side in counts[c] {
            let dev = (side as f64 - expected) / expected.sqrt();
            assert!(
                dev.abs() < 5.0,
                "beyond {cut}σ on one side: {side}, expected {expected:.1} (z = {dev:.2})"
            );
        }
    }
}

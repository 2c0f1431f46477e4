//! Simulation throughput, reported in path-steps per second (criterion's "elements").
//!
//! `cargo bench --bench simulate`. The "full job" is the workload of the NumPy
//! comparison (`benches/compare/`): N paths × T = 10 years of lognormal growth, the
//! fraction of paths at or above a level in every year, and the 5/50/95 % quantiles of
//! the level in every year. `limit/` is the per-core rate of the generator and normal
//! sampler alone: `lanes` as the engine draws (64 generators advanced together, in
//! vector instructions), the ceiling for one thread; `lanes_seeded` the same with each
//! block of 64 paths' generators seeded before its 10 draws per path, as per-path
//! streams require; `scalar` one generator at a time through `rand_distr` (the same
//! values, drawn the usual way), for reference.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use goalcast::process::{GrowthProcess, LogNormalGrowth};
use goalcast::sim::{
    Check, CheckThreshold, LANES, LaneStreams, Measure, PathStreams, QuantileMode, Simulator,
    path_rng, stream_id,
};
use goalcast::stats::quantiles_type7_by;
use goalcast::target::Comparator;
use rand_core::Rng;
use rand_distr::{Distribution, StandardNormal};

const YEARS: usize = 10;

fn simulator(p: &LogNormalGrowth, paths: u64) -> Simulator<'_, LogNormalGrowth> {
    Simulator::new(p, 100.0, YEARS)
        .paths(paths)
        .seed(1)
        .stream("bench")
        .check(Check {
            measure: Measure::Level(0),
            comparator: Comparator::AtLeast,
            threshold: CheckThreshold::Level(300.0),
            from_step: 1,
            deadline_step: YEARS,
        })
}

fn full_job(c: &mut Criterion) {
    let p = LogNormalGrowth::new(0.12, 0.08).unwrap();
    let mut group = c.benchmark_group("full_job");
    group.sample_size(10);
    for paths in [100_000u64, 1_000_000] {
        group.throughput(Throughput::Elements(paths * YEARS as u64));
        for (name, mode) in [
            ("streaming", QuantileMode::Streaming),
            ("exact", QuantileMode::Exact),
        ] {
            group.bench_with_input(BenchmarkId::new(name, paths), &paths, |b, &n| {
                b.iter(|| {
                    simulator(&p, n)
                        .quantiles(&[0.05, 0.5, 0.95])
                        .quantile_mode(mode)
                        .run()
                        .unwrap()
                })
            });
        }
        group.bench_with_input(BenchmarkId::new("hits_only", paths), &paths, |b, &n| {
            b.iter(|| simulator(&p, n).quantiles(&[]).run().unwrap().checks[0].at_deadline)
        });
    }
    group.finish();
}

fn parts(c: &mut Criterion) {
    let p = LogNormalGrowth::new(0.12, 0.08).unwrap();
    let mut parts = c.benchmark_group("parts");
    parts.throughput(Throughput::Elements(YEARS as u64));
    parts.bench_function("one_path_log_growth", |b| {
        let mut rng = path_rng(1, "bench", 0);
        let mut buf = [0.0; YEARS];
        b.iter(|| {
            p.sample_log_growth(&mut rng, &mut buf);
            buf[YEARS - 1]
        })
    });
    parts.bench_function("path_stream_seeding", |b| {
        let mut i = 0u64;
        b.iter(|| {
            i += 1;
            path_rng(1, "bench", i).next_u64()
        })
    });
    parts.finish();

    let mut q = c.benchmark_group("quantiles");
    let n = 1_000_000;
    q.throughput(Throughput::Elements(n as u64));
    let mut rng = path_rng(2, "bench", 0);
    let values: Vec<f64> = (0..n).map(|_| StandardNormal.sample(&mut rng)).collect();
    q.bench_function("exact_type7_three_probs", |b| {
        b.iter_batched_ref(
            || values.clone(),
            |v| quantiles_type7_by(v, &[0.05, 0.5, 0.95], f64::exp),
            criterion::BatchSize::LargeInput,
        )
    });
    q.finish();
}

fn limit(c: &mut Criterion) {
    let mut g = c.benchmark_group("limit");
    let n = 10 * (1u64 << 20); // a multiple of 16 and of 10 rows of 64 lanes
    g.throughput(Throughput::Elements(n));
    g.bench_function("lanes", |b| {
        let mut lanes = LaneStreams::default();
        lanes.seed(&PathStreams::new(3, stream_id("bench")), 0);
        let mut z = vec![0.0; 16 * LANES];
        b.iter(|| {
            let mut acc = 0.0f64;
            for _ in 0..n as usize / z.len() {
                lanes.fill_normals(&mut z);
                acc += z[0];
            }
            acc
        })
    });
    g.bench_function("lanes_seeded", |b| {
        // As the engine draws: 10 years per path, each block's generators seeded first.
        let streams = PathStreams::new(3, stream_id("bench"));
        let mut lanes = LaneStreams::default();
        let mut z = vec![0.0; 10 * LANES];
        b.iter(|| {
            let mut acc = 0.0f64;
            for block in 0..n / z.len() as u64 {
                lanes.fill_path_normals(&streams, block * LANES as u64, &mut z);
                acc += z[0];
            }
            acc
        })
    });
    g.bench_function("scalar", |b| {
        let mut rng = path_rng(3, "bench", 0);
        b.iter(|| {
            let mut acc = 0.0f64;
            for _ in 0..n {
                let z: f64 = StandardNormal.sample(&mut rng);
                acc += z;
            }
            acc
        })
    });
    g.finish();
}

criterion_group!(benches, full_job, parts, limit);
criterion_main!(benches);

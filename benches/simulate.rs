//! Simulation throughput, reported in path-steps per second (criterion's "elements").
//!
//! `cargo bench --bench simulate`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use goalcast::process::{GrowthProcess, LogNormalGrowth};
use goalcast::sim::{Check, CheckThreshold, Simulator, path_rng};
use goalcast::target::Comparator;
use rand_distr::{Distribution, StandardNormal};

const YEARS: usize = 10;

fn full_job(c: &mut Criterion) {
    let p = LogNormalGrowth::new(0.12, 0.08).unwrap();
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    for paths in [100_000u64, 1_000_000] {
        group.throughput(Throughput::Elements(paths * YEARS as u64));
        group.bench_with_input(
            BenchmarkId::new("lognormal_hits_and_quantiles", paths),
            &paths,
            |b, &n| {
                b.iter(|| {
                    let out = Simulator::new(&p, 100.0, YEARS)
                        .paths(n)
                        .seed(1)
                        .stream("bench")
                        .check(Check {
                            comparator: Comparator::AtLeast,
                            threshold: CheckThreshold::Level(300f64.ln()),
                            from_step: 1,
                            deadline_step: YEARS,
                        })
                        .run()
                        .unwrap();
                    out.quantiles(&[0.05, 0.5, 0.95])
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("lognormal_hits_only", paths),
            &paths,
            |b, &n| {
                b.iter(|| {
                    Simulator::new(&p, 100.0, YEARS)
                        .paths(n)
                        .seed(1)
                        .stream("bench")
                        .check(Check {
                            comparator: Comparator::AtLeast,
                            threshold: CheckThreshold::Level(300f64.ln()),
                            from_step: 1,
                            deadline_step: YEARS,
                        })
                        .run()
                        .unwrap()
                        .checks[0]
                        .at_deadline
                })
            },
        );
    }
    group.finish();

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
    parts.bench_function("standard_normal_x10", |b| {
        let mut rng = path_rng(1, "bench", 0);
        b.iter(|| {
            (0..YEARS)
                .map(|_| -> f64 { StandardNormal.sample(&mut rng) })
                .sum::<f64>()
        })
    });
    parts.finish();
}

criterion_group!(benches, full_job);
criterion_main!(benches);

//! The engine against a plain re-implementation on the same random streams: every count
//! must agree exactly, exact quantiles must equal NumPy-style quantiles of the sorted
//! levels, and streaming quantiles must lie within their documented accuracy.

use goalcast::process::{GrowthProcess, LogNormalGrowth};
use goalcast::sim::{
    CHUNK_PATHS, Check, CheckThreshold, Measure, PathStreams, QuantileMode, Simulator, stream_id,
};
use goalcast::stats::quantiles_type7;
use goalcast::target::Comparator;
use ndarray::array;

const YEARS: usize = 8;
const PATHS: u64 = 20_000;
const OFFSET_B: usize = 1;

fn checks() -> Vec<Check> {
    let c = |measure, comparator, threshold, from_step, deadline_step| Check {
        measure,
        comparator,
        threshold,
        from_step,
        deadline_step,
    };
    vec![
        c(
            Measure::Level(0),
            Comparator::AtLeast,
            CheckThreshold::Level(180.0),
            1,
            6,
        ),
        c(
            Measure::Level(0),
            Comparator::AtMost,
            CheckThreshold::Level(120.0),
            2,
            8,
        ),
        c(
            Measure::Level(0),
            Comparator::AtLeast,
            CheckThreshold::Relative {
                step: 2,
                factor: 1.1f64.powi(5),
            },
            3,
            7,
        ),
        c(
            Measure::Ratio {
                numerator: 0,
                denominator: 1,
            },
            Comparator::AtLeast,
            CheckThreshold::Level(0.30),
            2,
            8,
        ),
        c(
            Measure::Cumulative(1),
            Comparator::AtLeast,
            CheckThreshold::Level(2600.0),
            2,
            8,
        ),
        c(
            Measure::EveryYear(0),
            Comparator::AtLeast,
            CheckThreshold::Level(95.0),
            1,
            5,
        ),
        c(
            Measure::EveryYearGrowth(1),
            Comparator::AtLeast,
            CheckThreshold::Level(1.0),
            2,
            6,
        ),
    ]
}

/// The log-levels of one path, written out plainly: shocks drawn indicator by indicator,
/// correlated by L, turned into log-growths, summed from each indicator's start.
fn reference_path(
    streams: &PathStreams,
    path: u64,
    p: [&LogNormalGrowth; 2],
    l: &ndarray::Array2<f64>,
) -> [[f64; YEARS + 1]; 2] {
    let mut rng = streams.path(path);
    let mut eps = [[0.0; YEARS]; 2];
    for row in eps.iter_mut() {
        for e in row.iter_mut() {
            *e = rng.standard_normal();
        }
    }
    let mut z = [[0.0; YEARS]; 2];
    for t in 0..YEARS {
        z[0][t] = l[[0, 0]] * eps[0][t];
        z[1][t] = l[[1, 0]] * eps[0][t] + l[[1, 1]] * eps[1][t];
    }
    let starts = [(100.0f64.ln(), 0), (300.0f64.ln(), OFFSET_B)];
    let mut out = [[0.0; YEARS + 1]; 2];
    for i in 0..2 {
        p[i].log_growth_from_shocks(&mut rng, &mut z[i]);
        let (x0, offset) = starts[i];
        for s in 0..=YEARS {
            out[i][s] = if s <= offset {
                x0
            } else {
                out[i][s - 1] + z[i][s - 1]
            };
        }
    }
    out
}

#[test]
fn counts_and_quantiles_match_a_plain_implementation() {
    let a = LogNormalGrowth::new(0.08, 0.10).unwrap();
    let b = LogNormalGrowth::new(0.05, 0.06).unwrap();
    let rho: f64 = 0.6;
    let l = array![[1.0, 0.0], [rho, (1.0 - rho * rho).sqrt()]];
    let mut sim = Simulator::new(&a, 100.0, YEARS)
        .indicator(&b, 300.0, OFFSET_B)
        .cholesky(l.clone())
        .paths(PATHS)
        .seed(17)
        .stream("reference")
        .keep_paths(true);
    for c in checks() {
        sim = sim.check(c);
    }
    let out = sim.run().unwrap();

    let streams = PathStreams::new(17, stream_id("reference"));
    let tol = goalcast::target::LOG_TOLERANCE;
    let holds = |cmp: Comparator, v: f64, k: f64| match cmp {
        Comparator::AtLeast => v >= k - tol,
        Comparator::AtMost => v <= k + tol,
    };
    let n_checks = checks().len();
    let mut at_deadline = vec![0u64; n_checks];
    let mut first = vec![vec![0u64; YEARS + 1]; n_checks];
    let mut per_year = vec![vec![0u64; YEARS + 1]; n_checks];
    let mut levels = vec![Vec::new(); 2 * YEARS];
    for path in 0..PATHS {
        let x = reference_path(&streams, path, [&a, &b], &l);
        for (i, row) in x.iter().enumerate() {
            for s in 1..=YEARS {
                levels[i * YEARS + s - 1].push(row[s].exp());
            }
        }
        for (n, c) in checks().iter().enumerate() {
            let window = c.from_step..=c.deadline_step;
            let mut total = 0.0;
            let conditions: Vec<(usize, bool)> = window
                .clone()
                .map(|s| {
                    let ok = match (c.measure, c.threshold) {
                        (Measure::Level(i), CheckThreshold::Level(k)) => {
                            holds(c.comparator, x[i][s], k.ln())
                        }
                        (Measure::Level(i), CheckThreshold::Relative { step, factor }) => {
                            holds(c.comparator, x[i][s], x[i][step] + factor.ln())
                        }
                        (
                            Measure::Ratio {
                                numerator,
                                denominator,
                            },
                            CheckThreshold::Level(k),
                        ) => holds(c.comparator, x[numerator][s] - x[denominator][s], k.ln()),
                        (Measure::Cumulative(i), CheckThreshold::Level(k)) => {
                            total += x[i][s].exp();
                            holds(c.comparator, total.ln(), k.ln())
                        }
                        (Measure::EveryYear(i), CheckThreshold::Level(k)) => {
                            holds(c.comparator, x[i][s], k.ln())
                        }
                        (Measure::EveryYearGrowth(i), CheckThreshold::Level(k)) => {
                            holds(c.comparator, x[i][s] - x[i][s - 1], k.ln())
                        }
                        _ => unreachable!(),
                    };
                    (s, ok)
                })
                .collect();
            for &(s, ok) in &conditions {
                per_year[n][s] += u64::from(ok);
            }
            let every_year = matches!(
                c.measure,
                Measure::EveryYear(_) | Measure::EveryYearGrowth(_)
            );
            if every_year {
                at_deadline[n] += u64::from(conditions.iter().all(|&(_, ok)| ok));
            } else {
                at_deadline[n] += u64::from(conditions.last().unwrap().1);
                if let Some(&(s, _)) = conditions.iter().find(|&&(_, ok)| ok) {
                    first[n][s] += 1;
                }
            }
        }
    }
    for n in 0..n_checks {
        assert_eq!(
            out.checks[n].at_deadline, at_deadline[n],
            "check {n}: at deadline"
        );
        assert_eq!(
            out.checks[n].first_reached, first[n],
            "check {n}: first reached"
        );
        assert_eq!(
            out.checks[n].holds_in_year, per_year[n],
            "check {n}: per year"
        );
        assert!(
            at_deadline[n] > 0 && at_deadline[n] < PATHS,
            "check {n} is degenerate: {}",
            at_deadline[n]
        );
    }

    // exact quantiles: NumPy's definition on the levels
    let probs = goalcast::sim::DEFAULT_PROBS;
    for i in 0..2 {
        for s in 1..=YEARS {
            let expect = quantiles_type7(&mut levels[i * YEARS + s - 1], &probs);
            for (j, e) in expect.iter().enumerate() {
                let got = out.quantiles[i][[s, j]];
                assert!(
                    (got - e).abs() <= 1e-12 * e,
                    "indicator {i} step {s} q{j}: {got} vs {e}"
                );
            }
        }
    }

    // streaming quantiles: within their documented accuracy of the exact ones
    let mut streaming = Simulator::new(&a, 100.0, YEARS)
        .indicator(&b, 300.0, OFFSET_B)
        .cholesky(l)
        .paths(PATHS)
        .seed(17)
        .stream("reference")
        .quantile_mode(QuantileMode::Streaming);
    for c in checks() {
        streaming = streaming.check(c);
    }
    let streamed = streaming.run().unwrap();
    assert_eq!(
        streamed.checks, out.checks,
        "counts do not depend on the quantile mode"
    );
    for i in 0..2 {
        for s in (1 + if i == 1 { OFFSET_B } else { 0 })..=YEARS {
            for j in 0..probs.len() {
                let (exact, approx) = (out.quantiles[i][[s, j]], streamed.quantiles[i][[s, j]]);
                assert!(
                    (approx / exact - 1.0).abs() < 2e-3,
                    "indicator {i} step {s} q{j}: {approx} vs {exact}"
                );
            }
        }
    }
}

#[test]
fn streaming_quantiles_are_close_and_thread_invariant() {
    let p = LogNormalGrowth::new(0.12, 0.08).unwrap();
    let run = |mode, threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            Simulator::new(&p, 100.0, 10)
                .paths(200_003)
                .seed(4)
                .quantile_mode(mode)
                .run()
                .unwrap()
                .quantiles
        })
    };
    let exact = run(QuantileMode::Exact, 2);
    let one = run(QuantileMode::Streaming, 1);
    let two = run(QuantileMode::Streaming, 2);
    assert_eq!(one, two);
    let worst = exact[0]
        .iter()
        .zip(one[0].iter())
        .map(|(e, s)| (s / e - 1.0).abs())
        .fold(0.0, f64::max);
    // the histogram's span is about 1.5× the pilot range of log-levels (≈ 0.7 here)
    // over 8192 bins: one bin ≈ 1.3e-4 in log-level
    assert!(worst < 2e-4, "streaming quantiles off by {worst:e}");
}

/// A chunk shorter than the ones before it must count its own paths only. With one full
/// chunk re-counted, the median would weigh one half of the sample twice and move by
/// about 0.02 σ, some forty bin widths.
#[test]
fn streaming_counts_every_path_once_when_the_last_chunk_is_short() {
    let p = LogNormalGrowth::new(0.12, 0.08).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for paths in [2 * CHUNK_PATHS as u64 + 1, 3 * CHUNK_PATHS as u64 - 65] {
        let run = |mode| {
            pool.install(|| {
                Simulator::new(&p, 100.0, 10)
                    .paths(paths)
                    .seed(9)
                    .quantiles(&[0.25, 0.5, 0.75])
                    .quantile_mode(mode)
                    .run()
                    .unwrap()
                    .quantiles
            })
        };
        let (exact, streaming) = (run(QuantileMode::Exact), run(QuantileMode::Streaming));
        for (e, s) in exact[0].iter().zip(streaming[0].iter()) {
            assert!((s / e - 1.0).abs() < 3e-4, "{paths} paths: {s} against {e}");
        }
    }
}

//! The analysis from one simulation: each path's critical shift of central growth
//! against re-running the paths (bisection, shifted runs), against the lognormal closed
//! form, and a deliberately wrong loading that must fail the same comparison.

use goalcast::RunSettings;
use goalcast::analysis::{
    CriticalShifts, GROWTH_BRACKET, Goal, LOG_GROWTH_TOLERANCE, Shifts, critical_shifts,
    lognormal_required_log_growth, required_growth, required_growth_by_bisection,
    required_growth_se, sensitivity, sensitivity_with_shifts,
};
use goalcast::process::{
    Ar1Growth, BoundedShare, DeterministicGrowth, GrowthProcess, GrowthResponse, LogNormalGrowth,
    Model, RareShockGrowth, StudentTGrowth, UncertainGrowth,
};
use goalcast::sim::{Check, CheckThreshold, Measure, Response, Simulator};
use goalcast::target::Comparator;

/// A small deterministic generator of test parameters (xorshift).
struct Draws(u64);

impl Draws {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.unit()
    }

    fn index(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n - 1)
    }
}

/// One model of every kind, with drawn parameters.
fn models(d: &mut Draws) -> Vec<Model> {
    let g = d.between(-0.05, 0.25);
    let v = d.between(0.01, 0.15);
    vec![
        Model::Deterministic(DeterministicGrowth::new(g).unwrap()),
        Model::LogNormal(LogNormalGrowth::new(g, v).unwrap()),
        Model::Ar1(Ar1Growth::new(g, v, d.between(-0.8, 0.9)).unwrap()),
        Model::StudentT(StudentTGrowth::new(g, v, d.between(2.5, 10.0)).unwrap()),
        Model::RareShock(
            RareShockGrowth::new(g, v, d.between(0.02, 0.3), d.between(0.05, 0.4)).unwrap(),
        ),
        Model::Uncertain(UncertainGrowth::new(g, d.between(0.0, 0.06), v, None).unwrap()),
        Model::Uncertain(
            UncertainGrowth::new(g, d.between(0.005, 0.06), v, Some(d.between(2.0, 12.0))).unwrap(),
        ),
        Model::BoundedShare(BoundedShare::new(g, v * 2.0, 100.0).unwrap()),
    ]
}

/// Per-path log-levels (logits for a share) `[step − 1][path]` of `model`.
fn states(model: &Model, start: f64, years: usize, paths: u64) -> Vec<Vec<f64>> {
    let out = Simulator::new(model, start, years)
        .paths(paths)
        .seed(11)
        .stream("loading")
        .quantiles(&[])
        .keep_paths(true)
        .run()
        .unwrap();
    let levels = out.log_levels.unwrap();
    (0..years)
        .map(|y| (0..paths as usize).map(|p| levels[[0, y, p]]).collect())
        .collect()
}

/// `h(δ)` as the response claims it, for a path whose own q is `q`.
fn claimed(response: GrowthResponse, q: f64, delta: f64) -> f64 {
    match response {
        GrowthResponse::Uniform => delta,
        GrowthResponse::OwnCentral => delta + q * ((-delta).exp() - 1.0),
    }
}

/// The largest gap, over paths, steps and shifts, between the state re-run with
/// `with_median_growth(e^{μ+δ} − 1)` and the state moved as `response` claims
/// (`t·h(δ)`), q measured at one shift and checked at the others.
fn loading_error(model: &Model, response: GrowthResponse) -> f64 {
    let (start, years, paths) = (
        if model.name() == "bounded_share" {
            30.0
        } else {
            100.0
        },
        6,
        300,
    );
    let mu = model.median_growth().ln_1p();
    let at = |delta: f64| {
        let moved = model.with_median_growth((mu + delta).exp_m1()).unwrap();
        states(&moved, start, years, paths)
    };
    let base = at(0.0);
    let probe_delta = -0.5;
    let probe = at(probe_delta);
    let mut worst: f64 = 0.0;
    for delta in [-0.3, -0.02, 0.07, 0.5] {
        let shifted = at(delta);
        for p in 0..paths as usize {
            let t_last = years as f64;
            let h_probe = (probe[years - 1][p] - base[years - 1][p]) / t_last;
            let q = (h_probe - probe_delta) / (-probe_delta).exp_m1();
            for (y, row) in shifted.iter().enumerate() {
                let t = (y + 1) as f64;
                let want = base[y][p] + t * claimed(response, q, delta);
                worst = worst.max((row[p] - want).abs());
            }
        }
    }
    worst
}

#[test]
fn every_process_moves_its_paths_as_its_growth_response_claims() {
    let mut d = Draws(0x5eed_1234);
    for _ in 0..3 {
        for model in models(&mut d) {
            let response = model.growth_response().expect("every model says");
            let err = loading_error(&model, response);
            assert!(err < 1e-9, "{}: off by {err}", model.name());
        }
    }
}

#[test]
fn a_wrong_loading_is_caught_path_by_path() {
    let model = Model::Uncertain(UncertainGrowth::new(0.1, 0.03, 0.05, Some(5.0)).unwrap());
    assert!(loading_error(&model, GrowthResponse::Uniform) > 1e-4);
    // and a uniform model claimed to carry its own q (which is zero there) still passes
    let model = Model::LogNormal(LogNormalGrowth::new(0.1, 0.05).unwrap());
    assert!(loading_error(&model, GrowthResponse::OwnCentral) < 1e-9);
}

/// A goal of each measure on `model`, with thresholds drawn near its median path.
fn goals(d: &mut Draws, model: Model) -> Vec<Goal> {
    let years = 2 + d.index(7);
    let start = if model.name() == "bounded_share" {
        20.0
    } else {
        100.0
    };
    let scale = model.scale();
    let x0 = scale.to_state(start).unwrap();
    let mu = model.median_growth().ln_1p();
    // a state the median path passes at step s, moved by up to ± 1.5 % a year
    let level_at = |d: &mut Draws, s: usize| {
        let state = x0 + s as f64 * (mu + d.between(-0.015, 0.015));
        scale.to_level(state)
    };
    let comparator = if d.unit() < 0.5 {
        Comparator::AtLeast
    } else {
        Comparator::AtMost
    };
    let from = 1 + d.index(years);
    let check = |measure, threshold, from_step| Check {
        measure,
        comparator,
        threshold,
        from_step,
        deadline_step: years,
    };
    let mut out = vec![
        check(
            Measure::Level(0),
            CheckThreshold::Level(level_at(d, years)),
            years,
        ),
        check(
            Measure::Level(0),
            CheckThreshold::Level(level_at(d, years)),
            from,
        ),
        check(
            Measure::EveryYear(0),
            CheckThreshold::Level(level_at(d, from)),
            from,
        ),
        check(
            Measure::EveryYearGrowth(0),
            CheckThreshold::Level((mu - 0.02 + d.between(-0.02, 0.02)).exp()),
            from,
        ),
    ];
    if scale == goalcast::process::Scale::Log {
        let base = d.index(years);
        out.push(check(
            Measure::Level(0),
            CheckThreshold::Relative {
                step: base,
                factor: ((years - base) as f64 * (mu + d.between(-0.015, 0.015))).exp(),
            },
            base + 1,
        ));
        let total: f64 = (from..=years).map(|s| level_at(d, s)).sum();
        out.push(check(
            Measure::Cumulative(0),
            CheckThreshold::Level(total),
            from,
        ));
    }
    out.into_iter()
        .map(|c| Goal::new(model, start, c).with_stream("critical"))
        .collect()
}

fn settings(paths: u64, seed: u64) -> RunSettings {
    RunSettings {
        paths,
        seed,
        ..Default::default()
    }
}

/// Distance in log-growth, `None` and `None` agreeing.
fn gap(a: Option<f64>, b: Option<f64>) -> f64 {
    match (a, b) {
        (Some(a), Some(b)) => (a.ln_1p() - b.ln_1p()).abs(),
        (None, None) => 0.0,
        _ => f64::INFINITY,
    }
}

const PROBABILITIES: [f64; 5] = [0.1, 0.5, 0.8, 0.9, 0.97];

#[test]
fn critical_shifts_give_the_bisection_answer_for_every_model_and_measure() {
    let mut d = Draws(0xc0ff_ee11);
    let mut compared = 0;
    for round in 0..3 {
        for model in models(&mut d) {
            for goal in goals(&mut d, model) {
                let s = settings(1500 + 37 * round, 100 + round);
                let fast = required_growth(&goal, s, &PROBABILITIES).unwrap();
                let slow = required_growth_by_bisection(&goal, s, &PROBABILITIES).unwrap();
                for (f, b) in fast.iter().zip(&slow) {
                    let e = gap(f.growth, b.growth);
                    assert!(
                        e <= LOG_GROWTH_TOLERANCE,
                        "{} {:?}: p {}: {:?} vs bisection {:?}",
                        model.name(),
                        goal.check,
                        f.probability,
                        f.growth,
                        b.growth
                    );
                    compared += usize::from(f.growth.is_some());
                }
            }
        }
    }
    assert!(compared > 300, "only {compared} answers compared");
}

#[test]
fn a_wrong_loading_gives_answers_bisection_refutes() {
    // Claim the uncertain model moves uniformly: the answer no longer equals the re-runs.
    let model = Model::Uncertain(UncertainGrowth::new(0.08, 0.04, 0.05, Some(4.0)).unwrap());
    let goal = Goal::level(model, 100.0, 100.0 * 1.1f64.powi(6), 6, Comparator::AtLeast);
    let s = settings(3000, 5);
    let mu = model.median_growth().ln_1p();
    let (mut shifts, counts) = goal
        .simulator(&goal.model, s)
        .critical_shifts(0, Response::Uniform, -5.0..=5.0)
        .unwrap();
    shifts.sort_by(f64::total_cmp);
    let wrong = CriticalShifts {
        log_growth: mu,
        comparator: Comparator::AtLeast,
        shifts,
        met: counts[0].at_deadline,
    };
    let slow = required_growth_by_bisection(&goal, s, &[0.9]).unwrap();
    let e = gap(wrong.required(0.9).growth, slow[0].growth);
    assert!(e > 100.0 * LOG_GROWTH_TOLERANCE, "off by only {e}");
    // the right response agrees
    let right = critical_shifts(&goal, s).unwrap().unwrap();
    assert!(gap(right.required(0.9).growth, slow[0].growth) <= LOG_GROWTH_TOLERANCE);
}

#[test]
fn lognormal_answers_are_within_monte_carlo_error_of_the_closed_form() {
    let mut d = Draws(0xabcd_0042);
    let paths = 40_000;
    for _ in 0..12 {
        let sigma = d.between(0.01, 0.2);
        let years = 1 + d.index(10);
        let model = Model::LogNormal(LogNormalGrowth::new(d.between(0.0, 0.2), sigma).unwrap());
        let k = 100.0 * d.between(1.0, 2.5);
        let comparator = if d.unit() < 0.5 {
            Comparator::AtLeast
        } else {
            Comparator::AtMost
        };
        let goal = Goal::level(model, 100.0, k, years, comparator);
        let shifts = critical_shifts(&goal, settings(paths, 9)).unwrap().unwrap();
        for p in PROBABILITIES {
            let got = shifts.required(p).growth.unwrap().ln_1p();
            let exact = lognormal_required_log_growth(100.0, k, sigma, years as u32, p, comparator);
            let se = required_growth_se(sigma, years as u32, p, paths);
            assert!(
                (got - exact).abs() < 4.5 * se,
                "p {p}: {got} vs {exact} (se {se})"
            );
        }
    }
}

#[test]
fn the_curve_is_the_re_run_probability_at_each_of_its_growths() {
    let mut d = Draws(0x7777);
    for model in models(&mut d) {
        let goal = goals(&mut d, model).swap_remove(0);
        let s = settings(2000, 3);
        let shifts = critical_shifts(&goal, s).unwrap().unwrap();
        let curve = shifts.curve();
        assert!(curve.points.len() >= 3 && curve.points.len() <= 101);
        assert!(curve.points.windows(2).all(|w| w[0].growth < w[1].growth));
        for point in curve.points.iter().step_by(7) {
            let moved = Goal {
                model: model.with_median_growth(point.growth).unwrap(),
                ..goal.clone()
            };
            assert_eq!(
                moved.probability(s).unwrap(),
                point.probability,
                "{}",
                model.name()
            );
        }
        let (lo, hi) = (curve.points[0].growth, curve.points.last().unwrap().growth);
        assert!(lo >= GROWTH_BRACKET.0 && hi <= GROWTH_BRACKET.1);
    }
}

#[test]
fn growth_rows_of_the_sensitivity_equal_the_re_runs_exactly() {
    let mut d = Draws(0x1357);
    for round in 0..2 {
        for model in models(&mut d) {
            for goal in goals(&mut d, model) {
                let s = settings(1200, 40 + round);
                let shifts = critical_shifts(&goal, s).unwrap();
                let re_run = sensitivity("t", &goal, s, &Shifts::default()).unwrap();
                let read =
                    sensitivity_with_shifts("t", &goal, s, &Shifts::default(), shifts.as_ref())
                        .unwrap();
                assert_eq!(re_run, read, "{} {:?}", model.name(), goal.check);
            }
        }
    }
}

#[test]
fn critical_shifts_do_not_depend_on_the_thread_count() {
    let mut d = Draws(0x2468);
    let model = models(&mut d).swap_remove(6);
    let goal = goals(&mut d, model).swap_remove(0);
    let s = settings(20_000, 8);
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| critical_shifts(&goal, s).unwrap().unwrap())
    };
    let one = on(1);
    let bits = |c: &CriticalShifts| c.shifts.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one), bits(&on(2)));
    assert_eq!(bits(&one), bits(&on(3)));
}

#[test]
fn a_share_s_critical_shifts_give_the_bisection_answer_for_its_numerator() {
    use goalcast::analysis::{critical_shifts_of, solve_log_growth};
    let mut d = Draws(0x9999);
    for round in 0..4 {
        let all = models(&mut d);
        // numerator: an uncertain or lognormal model; denominator: any log-scale model
        let numerator = all[[1, 5, 6][round % 3]];
        let denominator = all[[2, 3, 4, 1][round]];
        let rho = d.between(-0.6, 0.6);
        let l = ndarray::array![[1.0, 0.0], [rho, (1.0 - rho * rho).sqrt()]];
        let years = 3 + d.index(5);
        let relative = round % 2 == 1;
        let comparator = if round < 2 {
            Comparator::AtLeast
        } else {
            Comparator::AtMost
        };
        let drift = (numerator.median_growth().ln_1p() - denominator.median_growth().ln_1p()
            + d.between(-0.01, 0.01))
            * years as f64;
        let check = Check {
            measure: Measure::Ratio {
                numerator: 0,
                denominator: 1,
            },
            comparator,
            threshold: if relative {
                CheckThreshold::Relative {
                    step: 1,
                    factor: (drift * (years - 1) as f64 / years as f64).exp(),
                }
            } else {
                CheckThreshold::Level(0.3 * drift.exp())
            },
            from_step: years,
            deadline_step: years,
        };
        let setup = (&denominator, years, &l, check, 21 + round as u64);
        let (shifts, counts) = critical_shifts_of(&share_sim(&numerator, setup), &numerator, 0)
            .unwrap()
            .unwrap();
        let out = share_sim(&numerator, setup).run().unwrap();
        assert_eq!(counts, out.checks);
        for p in [0.5, 0.8, 0.9] {
            let p_at = |mu: f64| {
                let moved = numerator.with_median_growth(mu.exp_m1())?;
                let out = share_sim(&moved, setup).run()?;
                Ok(out.checks[0].at_deadline as f64 / out.paths as f64)
            };
            let slow = solve_log_growth(p, comparator == Comparator::AtLeast, p_at)
                .unwrap()
                .map(f64::exp_m1);
            let fast = shifts.required(p).growth;
            assert!(
                gap(fast, slow) <= LOG_GROWTH_TOLERANCE,
                "round {round} p {p}: {fast:?} vs bisection {slow:?}"
            );
        }
    }
}

/// Paths of a share numerator / denominator: (denominator, years, Cholesky factor,
/// check, seed).
type ShareSetup<'a> = (&'a Model, usize, &'a ndarray::Array2<f64>, Check, u64);

fn share_sim<'a>(numerator: &'a Model, setup: ShareSetup<'a>) -> Simulator<'a, Model> {
    let (denominator, years, l, check, seed) = setup;
    Simulator::new(numerator, 30.0, years)
        .indicator(denominator, 100.0, 0)
        .cholesky(l.clone())
        .paths(1500)
        .seed(seed)
        .stream("share")
        .quantiles(&[])
        .check(check)
}

#[test]
fn the_one_pass_analysis_equals_the_re_run_analysis() {
    use goalcast::analysis::{analyse, progress_categories};
    let mut d = Draws(0x4242);
    for round in 0..2 {
        for model in models(&mut d) {
            for goal in goals(&mut d, model).into_iter().take(3) {
                let s = settings(1000, 70 + round);
                let fast = analyse("t", &goal, s).unwrap();
                let re_run = sensitivity("t", &goal, s, &Shifts::default()).unwrap();
                assert_eq!(
                    fast.sensitivity,
                    re_run,
                    "{} {:?}",
                    model.name(),
                    goal.check
                );
                let level = matches!(goal.check.measure, Measure::Level(0));
                let progress = level.then(|| progress_categories(&goal, s).unwrap());
                assert_eq!(fast.progress, progress);
                let slow = required_growth_by_bisection(&goal, s, &[0.5, 0.8, 0.9]).unwrap();
                for (f, b) in fast.growth_needed.iter().zip(&slow) {
                    assert!(gap(f.growth, b.growth) <= LOG_GROWTH_TOLERANCE);
                }
                assert!(fast.growth_curve.is_some());
            }
        }
    }
}

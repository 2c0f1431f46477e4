//! Progress categories, sensitivity and precision control (`goalcast::analysis`),
//! against closed forms where the lognormal model has them.

use goalcast::RunSettings;
use goalcast::analysis::{
    Goal, PrecisionOptions, Progress, Shift, Shifts, progress_categories, run_to_precision,
    sensitivity,
};
use goalcast::analytic::{normal_cdf, p_reach_lognormal};
use goalcast::process::{DeterministicGrowth, LogNormalGrowth, Model};
use goalcast::report::tables::sensitivity_csv;
use goalcast::sim::{Check, CheckThreshold, Measure, Simulator};
use goalcast::target::Comparator;
use ndarray::s;
use rand_core::Rng;
use statrs::distribution::{ChiSquared, ContinuousCDF};

fn settings(paths: u64, seed: u64) -> RunSettings {
    RunSettings {
        paths,
        seed,
        ..Default::default()
    }
}

fn lognormal(g: f64, sigma: f64) -> Model {
    Model::LogNormal(LogNormalGrowth::new(g, sigma).unwrap())
}

fn deterministic(g: f64) -> Model {
    Model::Deterministic(DeterministicGrowth::new(g).unwrap())
}

fn relative(
    model: Model,
    base: usize,
    factor: f64,
    deadline: usize,
    comparator: Comparator,
) -> Goal {
    Goal::new(
        model,
        100.0,
        Check {
            measure: Measure::Level(0),
            comparator,
            threshold: CheckThreshold::Relative { step: base, factor },
            from_step: base + 1,
            deadline_step: deadline,
        },
    )
}

// ---------------------------------------------------------------- progress categories

#[test]
fn deterministic_paths_fall_in_the_deterministic_category_with_certainty() {
    let grow = |g: f64| {
        Goal::level(
            deterministic(g),
            100.0,
            100.0 * 1.1f64.powi(5),
            5,
            Comparator::AtLeast,
        )
    };
    let shrink = |g: f64| {
        Goal::level(
            deterministic(g),
            100.0,
            100.0 * 0.95f64.powi(5),
            5,
            Comparator::AtMost,
        )
    };
    let met = |g: f64| Goal::level(deterministic(g), 100.0, 90.0, 5, Comparator::AtLeast);
    let cases = [
        (grow(0.10), Progress::OnTrack),      // ratio 1
        (grow(0.096), Progress::OnTrack),     // 0.96
        (grow(0.08), Progress::Moderate),     // 0.8
        (grow(0.03), Progress::Insufficient), // 0.3
        (grow(-0.02), Progress::MovingAway),
        (shrink(-0.06), Progress::OnTrack), // a fall of 6 % a year against 5 % required
        (shrink(-0.04), Progress::Moderate),
        (shrink(-0.01), Progress::Insufficient),
        (shrink(0.01), Progress::MovingAway),
        (met(0.0), Progress::OnTrack),      // already met and still met
        (met(-0.05), Progress::MovingAway), // already met, lost by the deadline
        (
            relative(
                deterministic(0.1),
                2,
                1.1f64.powi(3),
                5,
                Comparator::AtLeast,
            ),
            Progress::OnTrack,
        ),
        (
            relative(
                deterministic(0.07),
                2,
                1.1f64.powi(3),
                5,
                Comparator::AtLeast,
            ),
            Progress::Moderate,
        ),
    ];
    for (goal, expected) in cases {
        let o = progress_categories(&goal, settings(1_000, 1)).unwrap();
        assert_eq!(o.deterministic, expected, "{goal:?}");
        assert_eq!(o.median, expected, "{goal:?}");
        for c in Progress::ALL {
            let want = if c == expected { 1.0 } else { 0.0 };
            assert_eq!(
                o.probability(c),
                want,
                "{c} for {goal:?}: {:?}",
                o.probabilities
            );
        }
    }
}

#[test]
fn progress_needs_a_level_goal() {
    let mut goal = Goal::level(lognormal(0.1, 0.05), 100.0, 150.0, 5, Comparator::AtLeast);
    goal.check.measure = Measure::Cumulative(0);
    assert!(progress_categories(&goal, settings(100, 1)).is_err());
    goal.check.measure = Measure::Ratio {
        numerator: 0,
        denominator: 0,
    };
    assert!(progress_categories(&goal, settings(100, 1)).is_err());
}

/// `P(a/r ≥ c)` for the lognormal model: `ln(X_T/X₀) ~ Normal(T·ln(1+g), σ²T)`, and
/// `a/r ≥ c` ⟺ `ln(X_T/X₀) ≥ T·ln(1+c·r)` for r > 0 (≤ for r < 0).
fn p_ratio_at_least(c: f64, r: f64, g: f64, sigma: f64, years: f64) -> f64 {
    let margin = years * (g.ln_1p() - (c * r).ln_1p());
    let z = margin / (sigma * years.sqrt());
    if r > 0.0 {
        normal_cdf(z)
    } else {
        normal_cdf(-z)
    }
}

#[test]
fn lognormal_category_probabilities_match_their_closed_forms() {
    const CASES: usize = 40;
    const PATHS: u64 = 50_000;
    let mut rng = goalcast::sim::path_rng(2026, "progress cases", 0);
    let mut u = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let (mut z_all, mut z_on) = (Vec::new(), Vec::new());
    for i in 0..CASES {
        let g = -0.05 + 0.30 * u();
        let sigma = 0.01 + 0.24 * u();
        let years = 1 + (u() * 15.0) as usize;
        let up = i % 3 != 2;
        let r = if up {
            0.01 + 0.24 * u()
        } else {
            -0.01 - 0.14 * u()
        };
        let comparator = if up {
            Comparator::AtLeast
        } else {
            Comparator::AtMost
        };
        let base = (i % 4 == 3 && years > 1).then(|| 1 + (u() * (years - 1) as f64) as usize);
        let model = lognormal(g, sigma);
        let goal = match base {
            None => Goal::level(
                model,
                100.0,
                100.0 * (1.0 + r).powi(years as i32),
                years,
                comparator,
            ),
            Some(b) => relative(
                model,
                b,
                (1.0 + r).powi((years - b) as i32),
                years,
                comparator,
            ),
        }
        .with_stream(&format!("progress {i}"));
        let n = (years - base.unwrap_or(0)) as f64;
        let o = progress_categories(&goal, settings(PATHS, 3)).unwrap();
        assert!((o.required_growth - r).abs() < 1e-12);
        let at_least: Vec<f64> = [0.95, 0.6, 0.0]
            .iter()
            .map(|&c| p_ratio_at_least(c, r, g, sigma, n))
            .collect();
        let exact = [
            at_least[0],
            at_least[1] - at_least[0],
            at_least[2] - at_least[1],
            1.0 - at_least[2],
        ];
        for (k, (&got, &want)) in o.probabilities.iter().zip(&exact).enumerate() {
            let se = (want * (1.0 - want) / PATHS as f64).sqrt();
            if se < 1e-4 {
                // a category with almost no mass: at most a handful of paths
                assert!(
                    (got - want).abs() < 10.0 / PATHS as f64,
                    "case {i} category {k}: {got} vs {want}"
                );
                continue;
            }
            let z = (got - want) / se;
            z_all.push(z);
            if k == 0 {
                z_on.push(z);
            }
        }
        assert_eq!(o.deterministic, Progress::of_ratio(g / r));
    }
    let max = z_all.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let chi2: f64 = z_on.iter().map(|x| x * x).sum();
    let bound = ChiSquared::new(z_on.len() as f64)
        .unwrap()
        .inverse_cdf(0.999);
    println!(
        "progress: {} z-scores, max |z| = {max:.2}; on track Σz² = {chi2:.1} (bound {bound:.1})",
        z_all.len()
    );
    assert!(max < 4.5, "max |z| = {max:.2}: {z_all:?}");
    assert!(chi2 < bound, "Σz² = {chi2:.1} ≥ {bound:.1}");
}

#[test]
fn already_met_goals_split_into_on_track_and_moving_away() {
    let goal = Goal::level(lognormal(-0.02, 0.05), 100.0, 95.0, 4, Comparator::AtLeast);
    let o = progress_categories(&goal, settings(50_000, 9)).unwrap();
    assert!(o.already_met);
    let p = p_reach_lognormal(100.0, 95.0, -0.02, 0.05, 4, Comparator::AtLeast);
    let se = (p * (1.0 - p) / 50_000.0).sqrt();
    assert!((o.probability(Progress::OnTrack) - p).abs() < 4.0 * se);
    assert_eq!(
        o.probability(Progress::Moderate) + o.probability(Progress::Insufficient),
        0.0
    );
}

// ---------------------------------------------------------------- sensitivity

#[test]
fn sensitivity_differences_on_common_paths_match_the_closed_form_tightly() {
    // On common random numbers the paths meeting the goal at one parameter value are a
    // subset of those meeting it at a more favourable value (for growth, and for
    // volatility with a fixed threshold), so p̂_high − p̂_base counts the paths in
    // between: its standard error is √(Δ(1−Δ)/N), far below the √(2p(1−p)/N) of two
    // independent runs.
    const PATHS: u64 = 50_000;
    let mut rng = goalcast::sim::path_rng(7, "sensitivity cases", 0);
    let mut u = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut worst = 0.0f64;
    let mut gain = Vec::new();
    for i in 0..12 {
        let (g, sigma, years) = (
            0.02 + 0.15 * u(),
            0.02 + 0.10 * u(),
            2 + (u() * 8.0) as usize,
        );
        let comparator = if i % 3 == 2 {
            Comparator::AtMost
        } else {
            Comparator::AtLeast
        };
        let k = 100.0 * (1.0 + g + 0.04 * (u() - 0.5)).powi(years as i32);
        let goal = Goal::level(lognormal(g, sigma), 100.0, k, years, comparator)
            .with_stream(&format!("s{i}"));
        let s = sensitivity("t", &goal, settings(PATHS, 5), &Shifts::default()).unwrap();
        let exact =
            |g: f64, sigma: f64| p_reach_lognormal(100.0, k, g, sigma, years as u32, comparator);
        let p0 = exact(g, sigma);
        assert!((s.p_base - p0).abs() < 4.0 * (p0 * (1.0 - p0) / PATHS as f64).sqrt());
        for row in &s.rows {
            for (value, got) in [(row.low_value, row.p_low), (row.high_value, row.p_high)] {
                let want = match row.parameter.as_str() {
                    "growth" => exact(value, sigma),
                    "volatility" => exact(g, value),
                    other => panic!("unexpected parameter {other}"),
                };
                let delta = want - p0;
                let se = (delta.abs() * (1.0 - delta.abs()) / PATHS as f64).sqrt();
                let z = (got.unwrap() - s.p_base - delta) / se.max(1e-9);
                worst = worst.max(z.abs());
                gain.push(
                    (2.0 * p0 * (1.0 - p0)).sqrt()
                        / (delta.abs() * (1.0 - delta.abs())).sqrt().max(1e-9),
                );
            }
        }
        // Largest swing first.
        assert!(
            s.rows
                .windows(2)
                .all(|w| w[0].swing(s.p_base) >= w[1].swing(s.p_base))
        );
    }
    gain.sort_by(f64::total_cmp);
    println!(
        "sensitivity: max |z| of differences = {worst:.2}; CRN shrinks their se by a median factor {:.1}",
        gain[gain.len() / 2]
    );
    assert!(worst < 4.0);
}

#[test]
fn sensitivity_shifts_are_configurable_and_refused_values_are_empty() {
    let goal = Goal::level(
        lognormal(0.12, 0.05),
        100.0,
        100.0 * 1.14f64.powi(6),
        6,
        Comparator::AtLeast,
    );
    let shifts = Shifts {
        by_parameter: vec![
            ("growth".into(), Shift::Hold),
            ("volatility".into(), Shift::Absolute(0.08)),
        ],
        default: Shift::Relative(0.25),
    };
    let s = sensitivity("000_rd_growth", &goal, settings(10_000, 1), &shifts).unwrap();
    assert_eq!(s.rows.len(), 1);
    let row = &s.rows[0];
    assert_eq!(row.parameter, "volatility");
    assert!((row.low_value + 0.03).abs() < 1e-12 && row.p_low.is_none()); // σ < 0
    assert!(row.p_high.unwrap() > s.p_base); // the median path misses: spread helps

    let csv = sensitivity_csv(&[s.clone(), s]).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "target",
            "parameter",
            "base_value",
            "low_value",
            "high_value",
            "p_low",
            "p_base",
            "p_high"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "000_rd_growth");
    assert_eq!(&rows[0][5], "");
    assert_eq!(rows[0][2].parse::<f64>().unwrap(), 0.05);
}

#[test]
fn deterministic_sensitivity_is_zero_or_one() {
    // 12 % a year against 12.5 % required: missed; 13 % meets it.
    let goal = Goal::level(
        deterministic(0.12),
        100.0,
        100.0 * 1.125f64.powi(5),
        5,
        Comparator::AtLeast,
    );
    let s = sensitivity("t", &goal, settings(100, 1), &Shifts::default()).unwrap();
    assert_eq!(s.rows.len(), 1);
    assert_eq!(
        (s.rows[0].p_low, s.p_base, s.rows[0].p_high),
        (Some(0.0), 0.0, Some(1.0))
    );
}

// ---------------------------------------------------------------- precision

fn rd_check(k: f64) -> Check {
    Check {
        measure: Measure::Level(0),
        comparator: Comparator::AtLeast,
        threshold: CheckThreshold::Level(k),
        from_step: 1,
        deadline_step: 6,
    }
}

#[test]
fn precision_meets_the_bound_and_extends_the_first_run() {
    let process = LogNormalGrowth::new(0.12, 0.05).unwrap();
    let build = |n| {
        Simulator::new(&process, 100.0, 6)
            .quantiles(&[])
            .keep_paths(true)
            .paths(n)
            .seed(42)
            .stream("precision")
            .check(rd_check(100.0 * 1.14f64.powi(6)))
            .check(rd_check(100.0 * 1.12f64.powi(6)))
    };
    let options = PrecisionOptions {
        se_bound: 0.003,
        initial_paths: 2_000,
        max_paths: 1_000_000,
    };
    let run = run_to_precision(build, &options).unwrap();
    assert!(run.met);
    assert!(
        run.last().se.iter().all(|&se| se <= 0.003),
        "{:?}",
        run.last()
    );
    // p ≈ 0.5 for the second check needs ≈ 0.25/0.003² ≈ 27,800 paths; no more than
    // about 1.1 times that (or one doubling) is spent.
    println!(
        "precision rounds: {:?}",
        run.rounds
            .iter()
            .map(|r| (r.paths, r.se.clone()))
            .collect::<Vec<_>>()
    );
    assert!(run.paths() >= 27_000 && run.paths() <= 2 * 31_000);
    assert!(run.rounds.windows(2).all(|w| w[1].paths >= 2 * w[0].paths));

    // The first run is a prefix of the last: same log-levels path by path, and its
    // counts are the counts of the last run's first paths.
    let first = build(options.initial_paths).run().unwrap();
    let n0 = options.initial_paths as usize;
    let last = run.output.log_levels.as_ref().unwrap();
    assert_eq!(
        first.log_levels.as_ref().unwrap(),
        &last.slice(s![.., .., ..n0])
    );
    let log_k = (100.0 * 1.14f64.powi(6) / 100.0).ln() + 100f64.ln();
    let hits = last
        .slice(s![0, 5, ..n0])
        .iter()
        .filter(|&&x| x >= log_k - 1e-9)
        .count();
    assert_eq!(hits as u64, first.checks[0].at_deadline);
    assert_eq!(run.rounds[0].p[0], hits as f64 / n0 as f64);
}

#[test]
fn precision_stops_at_the_path_limit_and_at_certainty() {
    let process = LogNormalGrowth::new(0.12, 0.05).unwrap();
    let build = |n| {
        Simulator::new(&process, 100.0, 6)
            .quantiles(&[])
            .paths(n)
            .check(rd_check(100.0 * 1.12f64.powi(6)))
    };
    let options = PrecisionOptions {
        se_bound: 1e-4,
        initial_paths: 1_000,
        max_paths: 20_000,
    };
    let run = run_to_precision(build, &options).unwrap();
    assert!(!run.met);
    assert_eq!(run.paths(), 20_000);
    assert!(run.rounds.len() <= 6, "{} rounds", run.rounds.len());

    // A deterministic goal: p = 1, standard error 0, one run.
    let certain = DeterministicGrowth::new(0.2).unwrap();
    let run = run_to_precision(
        |n| {
            Simulator::new(&certain, 100.0, 6)
                .quantiles(&[])
                .paths(n)
                .check(rd_check(150.0))
        },
        &PrecisionOptions::default(),
    )
    .unwrap();
    assert!(run.met && run.rounds.len() == 1 && run.last().p == [1.0]);

    let bad = PrecisionOptions {
        se_bound: 0.0,
        ..Default::default()
    };
    assert!(run_to_precision(build, &bad).is_err());
    let bad = PrecisionOptions {
        initial_paths: 10,
        max_paths: 5,
        ..Default::default()
    };
    assert!(run_to_precision(build, &bad).is_err());
}

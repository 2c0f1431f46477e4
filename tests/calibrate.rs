//! Calibration from history: estimates recovered within their own standard errors at the
//! rate theory predicts, a biased estimator caught by the same check, gaps, windows and
//! exclusions computed by hand, errors named, and the shipped Hubei series.

use goalcast::calibrate::{Ar1, Calibration, CalibrationReport, MIN_AR1_RUN, Prior, Source};
use goalcast::indicator::{IndicatorKey, Observation};
use goalcast::io::csv_write::columns;
use goalcast::io::history::History;
use goalcast::process::{GrowthProcess, LogNormalGrowth};
use goalcast::report::tables::{CalibrationRow, calibration_csv};
use goalcast::sim::path_rng;
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

const SEED: u64 = 20_240_421;
const Z95: f64 = 1.96;

fn key() -> IndicatorKey {
    IndicatorKey::new("Hubei", "rd_expenditure")
}

fn obs(year: i32, value: f64) -> Observation {
    Observation { year, value }
}

/// Observations at `years` (a subset of `first..`) of a path starting at 100 in year
/// `first` with yearly log-growths `r` (`r[t]` from year first+t to first+t+1).
fn observe(first: i32, r: &[f64], years: &[i32]) -> Vec<Observation> {
    let mut log_level = 100f64.ln();
    let mut levels = vec![log_level];
    for x in r {
        log_level += x;
        levels.push(log_level);
    }
    years
        .iter()
        .map(|&y| obs(y, levels[(y - first) as usize].exp()))
        .collect()
}

/// Checks an observed coverage rate against its expected rate within three binomial
/// standard deviations.
fn coverage_ok(hits: usize, reps: usize, expected: f64) -> Result<f64, String> {
    let rate = hits as f64 / reps as f64;
    let tol = 3.0 * (expected * (1.0 - expected) / reps as f64).sqrt();
    if (rate - expected).abs() <= tol {
        Ok(rate)
    } else {
        Err(format!(
            "coverage {rate:.4} outside {expected:.4} ± {tol:.4} ({hits}/{reps})"
        ))
    }
}

/// The exact probability that `|μ̂ − μ| < 1.96·SE(μ̂)`: the ratio is t with n − 1 degrees
/// of freedom.
fn expected_mu_coverage(n: usize) -> f64 {
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).unwrap();
    t.cdf(Z95) - t.cdf(-Z95)
}

/// The exact probability that `|σ̂ − σ| < 1.96·σ̂/√(2(n−1))`: with c = 1.96/√(2(n−1)),
/// the event is `σ/(1+c) < σ̂ < σ/(1−c)`, and `(n−1)σ̂²/σ²` is χ² with n − 1 degrees of
/// freedom.
fn expected_sigma_coverage(n: usize) -> f64 {
    let k = (n - 1) as f64;
    let c = Z95 / (2.0 * k).sqrt();
    assert!(c < 1.0);
    let chi = ChiSquared::new(k).unwrap();
    chi.cdf(k / (1.0 - c).powi(2)) - chi.cdf(k / (1.0 + c).powi(2))
}

// ---------------------------------------------------------------- (a), (b) recovery

const G: f64 = 0.10;
const SIGMA: f64 = 0.05;
const FIRST: i32 = 2000;
const LAST: i32 = 2040;
/// Years not observed: gaps of one to three years.
const MISSING: [i32; 13] = [
    2001, 2004, 2005, 2009, 2013, 2016, 2017, 2018, 2022, 2027, 2031, 2032, 2036,
];
const REPS: usize = 1000;

/// One simulated history per replication, from the library's own generator.
fn simulated_histories() -> Vec<Vec<Observation>> {
    let process = LogNormalGrowth::new(G, SIGMA).unwrap();
    let years: Vec<i32> = (FIRST..=LAST).filter(|y| !MISSING.contains(y)).collect();
    (0..REPS as u64)
        .map(|rep| {
            let mut rng = path_rng(SEED, "tests/calibrate/recovery", rep);
            let mut r = vec![0.0; (LAST - FIRST) as usize];
            process.sample_log_growth(&mut rng, &mut r);
            observe(FIRST, &r, &years)
        })
        .collect()
}

#[test]
fn estimates_fall_within_their_standard_errors_at_the_expected_rate() {
    let mu = G.ln_1p();
    let histories = simulated_histories();
    let fits: Vec<CalibrationReport> = histories
        .iter()
        .map(|h| Calibration::new().fit(&key(), h).unwrap())
        .collect();
    let n = fits[0].n_intervals;
    assert_eq!(n, (LAST - FIRST) as usize - MISSING.len());
    assert_eq!(fits[0].span_years, (LAST - FIRST) as u32);

    let count = |f: &dyn Fn(&CalibrationReport) -> bool| fits.iter().filter(|r| f(r)).count();
    let mu_hits = count(&|r| (r.mu - mu).abs() < Z95 * r.mu_se.unwrap());
    let g_hits = count(&|r| (r.growth - G).abs() < Z95 * r.growth_se.unwrap());
    let sigma_hits = count(&|r| (r.volatility - SIGMA).abs() < Z95 * r.volatility_se.unwrap());
    let (e_mu, e_sigma) = (expected_mu_coverage(n), expected_sigma_coverage(n));
    let mu_rate = coverage_ok(mu_hits, REPS, e_mu).unwrap();
    // ĝ's delta-method interval is the μ̂ interval to first order.
    let g_rate = coverage_ok(g_hits, REPS, e_mu).unwrap();
    let sigma_rate = coverage_ok(sigma_hits, REPS, e_sigma).unwrap();
    eprintln!(
        "n = {n}: mu {mu_rate:.3} (expected {e_mu:.3}), g {g_rate:.3}, \
         sigma {sigma_rate:.3} (expected {e_sigma:.3})"
    );

    // The estimators are unbiased: means within 4 standard errors of the mean.
    let mean =
        |f: &dyn Fn(&CalibrationReport) -> f64| fits.iter().map(f).sum::<f64>() / REPS as f64;
    let mu_bar = mean(&|r| r.mu);
    let sd_mu = SIGMA / f64::from(LAST - FIRST).sqrt();
    assert!(
        (mu_bar - mu).abs() < 4.0 * sd_mu / (REPS as f64).sqrt(),
        "{mu_bar}"
    );
    let var_bar = mean(&|r| r.volatility.powi(2));
    let sd_var = SIGMA.powi(2) * (2.0 / (n - 1) as f64).sqrt();
    assert!(
        (var_bar - SIGMA.powi(2)).abs() < 4.0 * sd_var / (REPS as f64).sqrt(),
        "{var_bar}"
    );
}

#[test]
fn biased_estimators_fail_the_same_coverage_check() {
    let mu = G.ln_1p();
    let histories = simulated_histories();
    let n = histories[0].len() - 1;
    let e_mu = expected_mu_coverage(n);
    let e_sigma = expected_sigma_coverage(n);

    // Log-growths and interval lengths of one history.
    let intervals = |h: &[Observation]| -> Vec<(f64, f64)> {
        h.windows(2)
            .map(|w| {
                (
                    (w[1].value / w[0].value).ln(),
                    f64::from(w[1].year - w[0].year),
                )
            })
            .collect()
    };
    let (mut gross, mut subtle, mut no_gaps_sigma) = (0, 0, 0);
    for h in &histories {
        let iv = intervals(h);
        let k = iv.len() as f64;
        let sum_r: f64 = iv.iter().map(|x| x.0).sum();
        let sum_d: f64 = iv.iter().map(|x| x.1).sum();
        let good = Calibration::new().fit(&key(), h).unwrap();
        assert!(
            (sum_r / sum_d - good.mu).abs() < 1e-12,
            "the honest μ̂ is Σr/Σd"
        );
        // Gross: dividing by n instead of Σd, with the honest standard error.
        if (sum_r / k - mu).abs() < Z95 * good.mu_se.unwrap() {
            gross += 1;
        }
        // Subtle: the right μ̂, but a standard error σ̂/√n that ignores the gaps.
        if (good.mu - mu).abs() < Z95 * good.volatility / k.sqrt() {
            subtle += 1;
        }
        // Volatility that ignores the gaps: the spread of r[i] as if every d were 1.
        let r_bar = sum_r / k;
        let s = (iv.iter().map(|x| (x.0 - r_bar).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        if (s - SIGMA).abs() < Z95 * s / (2.0 * (k - 1.0)).sqrt() {
            no_gaps_sigma += 1;
        }
    }
    for (name, hits, expected) in [
        ("mean over n", gross, e_mu),
        ("SE over sqrt(n)", subtle, e_mu),
        ("sigma ignoring gaps", no_gaps_sigma, e_sigma),
    ] {
        let verdict = coverage_ok(hits, REPS, expected);
        eprintln!("{name}: {verdict:?}");
        assert!(verdict.is_err(), "{name} passed the coverage check");
    }
}

/// AR(1) log-growth `r[t] = μ + φ(r[t−1] − μ) + σ·e[t]`, started from its stationary
/// distribution; the innovations come from the library's generator.
fn ar1_series(rep: u64, phi: f64, years: usize) -> Vec<f64> {
    let (mu, sigma) = (0.08f64.ln_1p(), 0.04);
    let standard_normal = LogNormalGrowth::new(0.0, 1.0).unwrap();
    let mut rng = path_rng(SEED, "tests/calibrate/ar1", rep);
    let mut e = vec![0.0; years];
    standard_normal.sample_log_growth(&mut rng, &mut e);
    let mut r = Vec::with_capacity(years);
    let mut prev = mu + sigma / (1.0 - phi * phi).sqrt() * e[0];
    r.push(prev);
    for z in &e[1..] {
        prev = mu + phi * (prev - mu) + sigma * z;
        r.push(prev);
    }
    r
}

#[test]
fn ar1_coefficient_is_recovered_within_its_standard_error() {
    const PHI: f64 = 0.5;
    const T: usize = 200;
    const AR_REPS: usize = 400;
    let years: Vec<i32> = (1800..=1800 + T as i32).collect();
    let (mut hits, mut no_intercept_hits, mut sum_phi) = (0, 0, 0.0);
    for rep in 0..AR_REPS as u64 {
        let r = ar1_series(rep, PHI, T);
        let report = Calibration::new()
            .fit(&key(), &observe(1800, &r, &years))
            .unwrap();
        let fit = *report.ar1.fit().expect("a long annual series");
        assert_eq!((fit.pairs, fit.years), (T - 1, (1801, 1800 + T as i32)));
        sum_phi += fit.phi;
        if (fit.phi - PHI).abs() < Z95 * fit.phi_se {
            hits += 1;
        }
        // Power: a regression through the origin (no intercept) is biased towards 1.
        let (sxy, sxx) = r
            .windows(2)
            .fold((0.0, 0.0), |(a, b), w| (a + w[0] * w[1], b + w[0] * w[0]));
        if (sxy / sxx - PHI).abs() < Z95 * fit.phi_se {
            no_intercept_hits += 1;
        }
    }
    // Least squares φ̂ is biased by about −(1 + 3φ)/T = −0.0125 here, a fifth of its
    // standard error, which lowers the coverage of ±1.96 SE by well under a point.
    let rate = coverage_ok(hits, AR_REPS, 0.95).unwrap();
    let mean_phi = sum_phi / AR_REPS as f64;
    eprintln!("AR(1): coverage {rate:.3}, mean phi {mean_phi:.4}");
    assert!((mean_phi - (PHI - (1.0 + 3.0 * PHI) / T as f64)).abs() < 0.01);
    let biased = coverage_ok(no_intercept_hits, AR_REPS, 0.95);
    eprintln!("AR(1) through the origin: {biased:?}");
    assert!(biased.is_err());
}

#[test]
fn ar1_needs_a_long_enough_run_of_consecutive_years() {
    let r = ar1_series(0, 0.3, 20);
    let annual = |m: usize| -> Vec<Observation> {
        let years: Vec<i32> = (2000..=2000 + m as i32).collect();
        observe(2000, &r[..m], &years)
    };
    let fit = |h: &[Observation]| Calibration::new().fit(&key(), h).unwrap();
    assert!(fit(&annual(MIN_AR1_RUN)).ar1.fit().is_some());
    let Ar1::NotEstimated(why) = fit(&annual(MIN_AR1_RUN - 1)).ar1 else {
        panic!("estimated on too short a run");
    };
    assert!(why.contains("has 7") && why.contains("at least 8"), "{why}");
    // A gap or an excluded year breaks a run: 2000..2009 with 2005 excluded leaves
    // runs of 5 and 4 log-growths.
    let long = annual(9);
    let report = Calibration::new()
        .exclude(&[2005])
        .fit(&key(), &long)
        .unwrap();
    assert!(report.ar1.fit().is_none(), "{:?}", report.ar1);
    let gap: Vec<Observation> = long.iter().copied().filter(|o| o.year != 2004).collect();
    assert!(fit(&gap).ar1.fit().is_none());
}

// ---------------------------------------------------------------- (c), (d) by hand

/// Log-levels 0, 0.2, 0.35, 0.55, 0.65 in 2015, 2017, 2018, 2020, 2021: intervals
/// (d, r) = (2, 0.2), (1, 0.15), (2, 0.2), (1, 0.1).
fn hand_series() -> Vec<Observation> {
    [
        (2015, 0.0),
        (2017, 0.2),
        (2018, 0.35),
        (2020, 0.55),
        (2021, 0.65),
    ]
    .into_iter()
    .map(|(y, l): (i32, f64)| obs(y, 100.0 * l.exp()))
    .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn gaps_are_weighted_exactly() {
    let r = Calibration::new().fit(&key(), &hand_series()).unwrap();
    assert_eq!(r.source, Source::History);
    assert_eq!((r.observations, r.n_intervals, r.span_years), (5, 4, 6));
    assert_eq!(r.years_covered, Some((2015, 2021)));
    // μ̂ = Σr/Σd = 0.65/6
    assert!(close(r.mu, 13.0 / 120.0), "{}", r.mu);
    // residuals r − dμ̂: −1/60, 1/24, −1/60, −1/120; squared over d:
    // 1/7200 + 1/576 + 1/7200 + 1/14400 = 1/480; σ̂² = (1/480)/3 = 1/1440
    assert!(
        close(r.volatility.powi(2), 1.0 / 1440.0),
        "{}",
        r.volatility
    );
    assert!(close(r.mu_se.unwrap(), (1.0f64 / 1440.0 / 6.0).sqrt()));
    assert!(close(
        r.volatility_se.unwrap(),
        (1.0f64 / 1440.0 / 6.0).sqrt()
    ));
    assert!(close(r.growth, (13.0f64 / 120.0).exp() - 1.0));
    assert!(close(
        r.growth_se.unwrap(),
        (13.0f64 / 120.0).exp() * r.mu_se.unwrap()
    ));
    assert!(matches!(r.ar1, Ar1::NotEstimated(_)));
    assert!(r.shocks.is_empty() && r.shock_rate().is_none());
    // the estimates drive the simulation directly
    let p = r.lognormal().unwrap();
    assert!(close(p.mu(), r.mu) && close(p.sigma(), r.volatility));
}

#[test]
fn window_and_excluded_years() {
    let h = hand_series();
    // Window 2017–2021: the 2015→2017 interval starts outside and is dropped.
    let r = Calibration::new()
        .window(2017, 2021)
        .fit(&key(), &h)
        .unwrap();
    assert_eq!((r.observations, r.n_intervals, r.span_years), (4, 3, 4));
    assert!(close(r.mu, 0.45 / 4.0));

    // Excluding 2020 removes 2018→2020 (the interval ending in 2020); 2020→2021 stays.
    // Left: (1, 0.15), (1, 0.1): μ̂ = 0.125, σ̂² = (0.025² + 0.025²)/1.
    // 2019 has no interval ending in it and changes nothing.
    let spec = Calibration::new().window(2017, 2021).exclude(&[2020, 2019]);
    let r = spec.fit(&key(), &h).unwrap();
    assert_eq!(r.excluded_years, vec![2019, 2020]);
    assert_eq!(
        r.intervals
            .iter()
            .map(|i| (i.from, i.to))
            .collect::<Vec<_>>(),
        vec![(2017, 2018), (2020, 2021)]
    );
    assert_eq!(
        (r.n_intervals, r.span_years, r.window_span_years),
        (2, 2, 4)
    );
    assert!(close(r.mu, 0.125));
    assert!(close(r.volatility.powi(2), 0.00125));
    assert!(
        r.shocks.is_empty(),
        "shocks are reported only when asked for"
    );

    // The same, with the excluded interval reported as shock evidence:
    // deviation 0.2 − 2·0.125 = −0.05 over a 2-year span; one shock in 4 window years.
    let r = spec.excluded_as_shocks().fit(&key(), &h).unwrap();
    assert!(close(r.mu, 0.125), "shocks stay out of the estimates");
    assert_eq!(r.shocks.len(), 1);
    let s = r.shocks[0];
    assert_eq!((s.year, s.span), (2020, 2));
    assert!(close(s.log_growth, 0.2) && close(s.deviation, -0.05));
    assert!(close(s.z, -0.05 / (0.00125f64.sqrt() * 2f64.sqrt())));
    assert_eq!(r.shock_rate(), Some(0.25));
    assert!(close(r.mean_shock().unwrap(), -0.05));
}

// ---------------------------------------------------------------- (e) errors, prior

fn fit_err(spec: &Calibration, series: &[Observation]) -> String {
    spec.fit(&key(), series).unwrap_err().to_string()
}

#[test]
fn bad_or_short_input_is_an_error_naming_the_indicator() {
    let spec = Calibration::new();
    let good = hand_series();
    let with = |year: i32, value: f64| -> Vec<Observation> {
        let mut s = good.clone();
        s.iter_mut().find(|o| o.year == year).unwrap().value = value;
        s
    };
    let mut duplicate = good.clone();
    duplicate.insert(2, obs(2017, 130.0));
    let mut unsorted = good.clone();
    unsorted.swap(1, 2);
    for (series, spec, expect) in [
        (
            good[..2].to_vec(),
            &spec,
            "1 log-growth interval(s) in the series, at least 2",
        ),
        (Vec::new(), &spec, "0 log-growth interval(s)"),
        (with(2018, f64::NAN), &spec, "the value for 2018 is NaN"),
        (
            with(2018, f64::INFINITY),
            &spec,
            "the value for 2018 is inf",
        ),
        (with(2018, -3.0), &spec, "the value for 2018 is -3"),
        (with(2018, 0.0), &spec, "the value for 2018 is 0"),
        (duplicate, &spec, "year 2017 appears twice"),
        (
            unsorted,
            &spec,
            "years are not sorted: 2017 comes after 2018",
        ),
    ] {
        let msg = fit_err(spec, &series);
        assert!(
            msg.contains("Hubei/rd_expenditure") && msg.contains(expect),
            "{msg}"
        );
    }
    let msg = fit_err(&Calibration::new().window(2021, 2015), &good);
    assert!(msg.contains("window starts in 2021"), "{msg}");
    // exclusions can leave too little: 2017–2021 without 2018 and 2020 keeps one interval
    let msg = fit_err(
        &Calibration::new().window(2017, 2021).exclude(&[2018, 2020]),
        &good,
    );
    assert!(
        msg.contains("window 2017-2021") && msg.contains("after excluding 2018;2020"),
        "{msg}"
    );
}

#[test]
fn a_prior_is_used_only_when_asked_and_is_labelled() {
    let prior = Prior::new(0.12, 0.04, "national R&D growth 2016-2022").unwrap();
    let short = &hand_series()[..2];
    let r = Calibration::new()
        .prior(prior.clone())
        .fit(&key(), short)
        .unwrap();
    assert_eq!(r.source, Source::Prior);
    assert_eq!(r.source.as_str(), "prior");
    assert_eq!((r.growth, r.volatility, r.n_intervals), (0.12, 0.04, 1));
    assert!(close(r.mu, 0.12f64.ln_1p()));
    assert_eq!((r.growth_se, r.mu_se, r.volatility_se), (None, None, None));
    let why = r.prior_reason.as_deref().unwrap();
    assert!(
        why.contains("1 log-growth interval(s)") && why.contains("national R&D growth"),
        "{why}"
    );
    // enough history: the prior is not used
    let r2 = Calibration::new()
        .prior(prior.clone())
        .fit(&key(), &hand_series())
        .unwrap();
    assert_eq!(
        (r2.source, r2.prior_reason.clone()),
        (Source::History, None)
    );
    // a prior never hides bad input
    let bad = [obs(2015, 1.0), obs(2016, f64::NAN)];
    assert!(Calibration::new().prior(prior).fit(&key(), &bad).is_err());
    // a prior is itself checked
    assert!(Prior::new(-1.5, 0.04, "r").is_err());
    assert!(Prior::new(0.1, f64::NAN, "r").is_err());
    assert!(Prior::new(0.1, 0.04, "").is_err());

    // the table labels each row's source
    let csv = calibration_csv(&[r2, r]).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    // the column contract of calibration.csv
    assert_eq!(
        header,
        [
            "indicator",
            "jurisdiction",
            "source",
            "window_first",
            "window_last",
            "excluded_years",
            "observations",
            "intervals",
            "first_year",
            "last_year",
            "span_years",
            "growth_pct",
            "growth_se_pct",
            "volatility_pct",
            "volatility_se_pct",
            "ar1_phi",
            "ar1_phi_se",
            "ar1_pairs",
            "ar1_first_year",
            "ar1_last_year",
            "ar1_note",
            "shock_years",
            "shock_spans",
            "shock_deviation_pct",
            "shock_rate",
            "prior_reason",
        ]
    );
    assert_eq!(header, columns::<CalibrationRow>());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col = |name: &str| {
        columns::<CalibrationRow>()
            .iter()
            .position(|c| *c == name)
            .unwrap()
    };
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][col("source")], "history");
    assert_eq!(&rows[1][col("source")], "prior");
    assert_eq!(&rows[1][col("growth_pct")], "12");
    assert_eq!(&rows[1][col("growth_se_pct")], "");
    assert!(rows[1][col("prior_reason")].contains("national R&D growth"));
    assert_eq!(&rows[0][col("intervals")], "4");
    assert_eq!(&rows[0][col("span_years")], "6");
    assert!(!rows[0][col("ar1_note")].is_empty());
}

#[test]
fn shocks_and_windows_reach_the_table() {
    let r = Calibration::new()
        .window(2017, 2021)
        .exclude(&[2020])
        .excluded_as_shocks()
        .fit(&key(), &hand_series())
        .unwrap();
    let csv = calibration_csv(&[r]).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let cells = reader.records().next().unwrap().unwrap();
    let col = |name: &str| {
        columns::<CalibrationRow>()
            .iter()
            .position(|c| *c == name)
            .unwrap()
    };
    assert_eq!(cells.len(), columns::<CalibrationRow>().len());
    assert_eq!(&cells[col("window_first")], "2017");
    assert_eq!(&cells[col("window_last")], "2021");
    assert_eq!(&cells[col("excluded_years")], "2020");
    assert_eq!(&cells[col("shock_years")], "2020");
    assert_eq!(&cells[col("shock_spans")], "2");
    assert_eq!(&cells[col("shock_deviation_pct")], "-5");
    assert_eq!(&cells[col("shock_rate")], "0.25");
    assert_eq!(&cells[col("growth_pct")], "13.3148453067");
    assert_eq!(
        &cells[col("ar1_note")],
        "the longest run of consecutive one-year log-growths has 1 (year 2021); at least 8 needed"
    );
}

// ---------------------------------------------------------------- (f) Hubei history

#[test]
fn the_shipped_hubei_series_calibrate_to_plausible_values() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let history = History::from_path(root.join("data/history.csv")).unwrap();
    let spec = Calibration::new();
    let mut reports = Vec::new();
    for (id, n, span, g_range) in [
        ("rd_expenditure", 6, 8, (0.05, 0.20)),
        ("tech_contract_turnover", 7, 11, (0.05, 0.35)),
        ("high_tech_enterprises", 7, 9, (0.10, 0.40)),
    ] {
        let key = IndicatorKey::new("Hubei", id);
        let r = spec.fit_history(&history, &key).unwrap();
        eprintln!(
            "{key}: g {:.4} (SE {:.4}), sigma {:.4} (SE {:.4}), n {}, span {} years, {:?}",
            r.growth,
            r.growth_se.unwrap(),
            r.volatility,
            r.volatility_se.unwrap(),
            r.n_intervals,
            r.span_years,
            r.years_covered,
        );
        assert_eq!(r.source, Source::History);
        assert_eq!((r.n_intervals, r.span_years), (n, span), "{key}");
        assert!(
            (g_range.0..=g_range.1).contains(&r.growth),
            "{key}: g = {}",
            r.growth
        );
        let (g_se, s_se) = (r.growth_se.unwrap(), r.volatility_se.unwrap());
        assert!(g_se.is_finite() && g_se > 0.0 && g_se < r.growth, "{key}");
        assert!(r.volatility.is_finite() && r.volatility > 0.0 && r.volatility < 0.5);
        assert!(s_se.is_finite() && s_se > 0.0, "{key}");
        assert!(r.ar1.fit().is_none(), "{key}: too few consecutive years");
        assert!(r.lognormal().is_ok());
        reports.push(r);
    }
    // R&D spending grew 4.9 % in 2020, far below its trend: with 2020 excluded and
    // reported as a shock, the deviation is negative.
    let r = Calibration::new()
        .exclude(&[2020])
        .excluded_as_shocks()
        .fit_history(&history, &IndicatorKey::new("Hubei", "rd_expenditure"))
        .unwrap();
    eprintln!(
        "Hubei/rd_expenditure without 2020: g {:.4} (SE {:.4}), sigma {:.4}, shock {:?}",
        r.growth,
        r.growth_se.unwrap(),
        r.volatility,
        r.shocks
    );
    assert_eq!(r.n_intervals, 5);
    assert!(r.shocks[0].deviation < 0.0 && r.growth > reports[0].growth);
    let csv = calibration_csv(&reports).unwrap();
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 4);
}

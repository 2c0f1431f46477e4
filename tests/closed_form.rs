//! Monte Carlo against the lognormal closed form, over many random parameter sets.
//!
//! For each set, z = (p̂ − p) / √(p(1−p)/N). A correct engine gives |z| < 4 for every set
//! and Σz² below the χ² 99.9 % quantile with as many degrees of freedom as sets. The
//! same test applied to deliberately broken models must fail: that shows it has power.

use goalcast::analytic::p_reach_lognormal;
use goalcast::process::{GrowthProcess, LogNormalGrowth};
use goalcast::sim::{Check, CheckThreshold, Measure, Simulator};
use goalcast::target::Comparator;
use rand_core::Rng;
use statrs::distribution::{ChiSquared, ContinuousCDF};

const SETS: usize = 60;
const PATHS: u64 = 100_000;

/// One random parameter set: growth, volatility, horizon, comparator, and a threshold
/// placed so that the true probability lies between about 2 % and 98 %.
#[derive(Debug, Clone, Copy)]
struct Case {
    growth: f64,
    sigma: f64,
    years: usize,
    comparator: Comparator,
    /// Log-threshold relative to the start; `None` for a fixed level, `Some(b)` for
    /// growth measured from the simulated level `b` years after the start.
    base_step: Option<usize>,
    log_k: f64,
}

fn cases() -> Vec<Case> {
    let mut rng = goalcast::sim::path_rng(2024, "closed-form cases", 0);
    let u = |rng: &mut goalcast::sim::PathRng| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    (0..SETS)
        .map(|i| {
            let growth = -0.05 + 0.30 * u(&mut rng);
            let sigma = 0.01 + 0.29 * u(&mut rng);
            let years = 1 + (u(&mut rng) * 15.0) as usize;
            let comparator = if i % 3 == 2 {
                Comparator::AtMost
            } else {
                Comparator::AtLeast
            };
            let base_step =
                (i % 4 == 3 && years > 1).then(|| 1 + (u(&mut rng) * (years - 1) as f64) as usize);
            let n = (years - base_step.unwrap_or(0)) as f64;
            let z = -2.0 + 4.0 * u(&mut rng);
            let log_k = n * growth.ln_1p() - z * sigma * n.sqrt();
            Case {
                growth,
                sigma,
                years,
                comparator,
                base_step,
                log_k,
            }
        })
        .collect()
}

/// z-scores of the simulated probabilities of `make(case)` against the closed form.
fn z_scores<P: GrowthProcess>(make: impl Fn(&Case) -> P) -> Vec<f64> {
    cases()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let process = make(c);
            let start: f64 = 250.0;
            let threshold = match c.base_step {
                None => CheckThreshold::Level(start * c.log_k.exp()),
                Some(step) => CheckThreshold::Relative {
                    step,
                    factor: c.log_k.exp(),
                },
            };
            let out = Simulator::new(&process, start, c.years)
                .quantiles(&[])
                .paths(PATHS)
                .seed(99)
                .stream(&format!("case {i}"))
                .check(Check {
                    measure: Measure::Level(0),
                    comparator: c.comparator,
                    threshold,
                    from_step: c.base_step.unwrap_or(0) + 1,
                    deadline_step: c.years,
                })
                .run()
                .unwrap();
            let p_hat = out.checks[0].at_deadline as f64 / PATHS as f64;
            let n = (c.years - c.base_step.unwrap_or(0)) as u32;
            let p = p_reach_lognormal(1.0, c.log_k.exp(), c.growth, c.sigma, n, c.comparator);
            (p_hat - p) / (p * (1.0 - p) / PATHS as f64).sqrt()
        })
        .collect()
}

/// Whether a set of z-scores passes: every |z| < 4 and Σz² below the χ² 99.9 % bound.
fn passes(z: &[f64]) -> (bool, f64, f64, f64) {
    let max = z.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let chi2: f64 = z.iter().map(|x| x * x).sum();
    let bound = ChiSquared::new(z.len() as f64).unwrap().inverse_cdf(0.999);
    (max < 4.0 && chi2 < bound, max, chi2, bound)
}

#[test]
fn monte_carlo_matches_closed_form() {
    let z = z_scores(|c| LogNormalGrowth::new(c.growth, c.sigma).unwrap());
    let (ok, max, chi2, bound) = passes(&z);
    assert!(
        ok,
        "max |z| = {max:.2}, Σz² = {chi2:.1} (bound {bound:.1}); z = {z:?}"
    );
    assert_eq!(z.len(), SETS);
}

/// A process whose drift is off by one percentage point of log-growth.
struct DriftOff(LogNormalGrowth);

impl GrowthProcess for DriftOff {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        self.0.log_growth_from_shocks(rng, buf);
        buf.iter_mut().for_each(|x| *x += 0.01);
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

/// The classic mean/median confusion: log-growth mean ln(1+g) − σ²/2, as if g were the mean growth.
struct MeanForMedian(LogNormalGrowth);

impl GrowthProcess for MeanForMedian {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, _rng: &mut R, buf: &mut [f64]) {
        for z in buf.iter_mut() {
            *z = self.0.mu() - 0.5 * self.0.sigma().powi(2) + self.0.sigma() * *z;
        }
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

#[test]
fn broken_drift_fails_the_same_test() {
    let z = z_scores(|c| DriftOff(LogNormalGrowth::new(c.growth, c.sigma).unwrap()));
    let (ok, max, chi2, bound) = passes(&z);
    assert!(
        !ok,
        "a drift error of one point went unnoticed: max |z| = {max:.2}, Σz² = {chi2:.1} (bound {bound:.1})"
    );
}

#[test]
fn broken_variance_term_fails_the_same_test() {
    let z = z_scores(|c| MeanForMedian(LogNormalGrowth::new(c.growth, c.sigma).unwrap()));
    let (ok, max, chi2, bound) = passes(&z);
    assert!(
        !ok,
        "a σ²/2 drift error went unnoticed: max |z| = {max:.2}, Σz² = {chi2:.1} (bound {bound:.1})"
    );
}

#[test]
fn deterministic_model_is_a_step_function() {
    use goalcast::process::DeterministicGrowth;
    let p = DeterministicGrowth::new(0.10).unwrap();
    // exactly on the threshold: reached (tolerance in the goal's favour)
    let k = 100.0 * 1.1f64.powi(5);
    for (level, expect) in [(k, 1.0), (k * 1.001, 0.0), (k * 0.999, 1.0)] {
        let out = Simulator::new(&p, 100.0, 5)
            .paths(10)
            .check(Check {
                measure: Measure::Level(0),
                comparator: Comparator::AtLeast,
                threshold: CheckThreshold::Level(level),
                from_step: 1,
                deadline_step: 5,
            })
            .run()
            .unwrap();
        let mc = out.checks[0].at_deadline as f64 / 10.0;
        let cf = p_reach_lognormal(100.0, level, 0.10, 0.0, 5, Comparator::AtLeast);
        assert_eq!((mc, cf), (expect, expect), "level {level}");
    }
}

//! Monte Carlo of the new growth processes against their closed forms, over many random
//! parameter sets.
//!
//! As in `closed_form.rs`: for each set, z = (estimate − exact) / standard error; a
//! correct process gives |z| < 4 for every set and Σz² below the χ² 99.9 % quantile with
//! as many degrees of freedom as sets. Each test is also run on a deliberately broken
//! variant of the process, which must fail it. Run with `--nocapture` to see the figures.

use goalcast::analytic::{
    ar1_sum_variance, p_reach_ar1, p_reach_bounded_share, p_reach_rare_shock,
    p_reach_student_t_one_year, p_reach_uncertain,
};
use goalcast::process::{
    Ar1Growth, BoundedShare, GrowthProcess, Model, RareShockGrowth, Scale, StudentTGrowth,
    UncertainGrowth,
};
use goalcast::sim::{Check, CheckThreshold, Measure, PathRng, Simulator, path_rng};
use goalcast::target::Comparator;
use rand_core::Rng;
use rand_distr::{ChiSquared, Distribution, StandardNormal};
use statrs::distribution::{ChiSquared as ChiSquaredDist, ContinuousCDF};

const SETS: usize = 50;
const PATHS: u64 = 100_000;

fn uniform(rng: &mut PathRng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn between(rng: &mut PathRng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * uniform(rng)
}

fn comparator(i: usize) -> Comparator {
    if i % 3 == 2 {
        Comparator::AtMost
    } else {
        Comparator::AtLeast
    }
}

/// Summary of a set of z-scores: every |z| < 4 and Σz² below the χ² 99.9 % bound.
#[derive(Debug)]
struct Verdict {
    ok: bool,
    max: f64,
    chi2: f64,
    bound: f64,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "max |z| = {:.2}, Σz² = {:.1} (bound {:.1})",
            self.max, self.chi2, self.bound
        )
    }
}

fn verdict(name: &str, z: &[f64]) -> Verdict {
    let max = z.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let chi2: f64 = z.iter().map(|x| x * x).sum();
    let bound = ChiSquaredDist::new(z.len() as f64)
        .unwrap()
        .inverse_cdf(0.999);
    let ok = max < 4.0 && chi2 < bound;
    eprintln!(
        "{name}: {} sets, max |z| = {max:.2}, Σz² = {chi2:.1} (bound {bound:.1}) -> {}",
        z.len(),
        if ok { "pass" } else { "FAIL" }
    );
    Verdict {
        ok,
        max,
        chi2,
        bound,
    }
}

fn assert_passes(name: &str, z: &[f64]) {
    let v = verdict(name, z);
    assert!(v.ok, "{name}: {v}; z = {z:?}");
    assert_eq!(z.len(), SETS);
}

fn assert_fails(name: &str, z: &[f64]) {
    let v = verdict(name, z);
    assert!(!v.ok, "{name}: a broken process went unnoticed: {v}");
}

/// Simulated probability of a check with the level measure of a single indicator.
fn p_hat<P: GrowthProcess>(
    process: &P,
    start: f64,
    years: usize,
    comparator: Comparator,
    threshold: CheckThreshold,
    from_step: usize,
    stream: &str,
) -> f64 {
    let out = Simulator::new(process, start, years)
        .quantiles(&[])
        .paths(PATHS)
        .seed(4242)
        .stream(stream)
        .check(Check {
            measure: Measure::Level(0),
            comparator,
            threshold,
            from_step,
            deadline_step: years,
        })
        .run()
        .unwrap();
    out.checks[0].at_deadline as f64 / PATHS as f64
}

fn z_binomial(p_hat: f64, p: f64) -> f64 {
    (p_hat - p) / (p * (1.0 - p) / PATHS as f64).sqrt()
}

/// Per-path log-growth `ln(X[T]/X[0])` of a process over `years`.
fn log_growths<P: GrowthProcess>(process: &P, years: usize, stream: &str) -> Vec<f64> {
    let out = Simulator::new(process, 1.0, years)
        .quantiles(&[])
        .keep_paths(true)
        .paths(PATHS)
        .seed(4242)
        .stream(stream)
        .run()
        .unwrap();
    let levels = out.log_levels.unwrap();
    (0..PATHS as usize)
        .map(|j| levels[[0, years - 1, j]])
        .collect()
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, v)
}

// ---------------------------------------------------------------------------- AR(1)

#[derive(Debug, Clone, Copy)]
struct Ar1Case {
    growth: f64,
    sigma: f64,
    phi: f64,
    years: usize,
    base_step: Option<usize>,
    log_k: f64,
}

fn ar1_cases() -> Vec<Ar1Case> {
    let mut rng = path_rng(2024, "ar1 cases", 0);
    (0..SETS)
        .map(|i| {
            let growth = between(&mut rng, -0.05, 0.25);
            let sigma = between(&mut rng, 0.01, 0.25);
            let phi = between(&mut rng, -0.8, 0.95);
            let years = 1 + (uniform(&mut rng) * 15.0) as usize;
            let base_step = (i % 4 == 3 && years > 1)
                .then(|| 1 + (uniform(&mut rng) * (years - 1) as f64) as usize);
            let n = (years - base_step.unwrap_or(0)) as u32;
            let z = between(&mut rng, -2.0, 2.0);
            let log_k = f64::from(n) * growth.ln_1p() - z * ar1_sum_variance(sigma, phi, n).sqrt();
            Ar1Case {
                growth,
                sigma,
                phi,
                years,
                base_step,
                log_k,
            }
        })
        .collect()
}

fn ar1_z<P: GrowthProcess>(make: impl Fn(&Ar1Case) -> P) -> Vec<f64> {
    ar1_cases()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let start = 250.0;
            let threshold = match c.base_step {
                None => CheckThreshold::Level(start * c.log_k.exp()),
                Some(step) => CheckThreshold::Relative {
                    step,
                    factor: c.log_k.exp(),
                },
            };
            let cmp = comparator(i);
            let from = c.base_step.unwrap_or(0) + 1;
            let got = p_hat(
                &make(c),
                start,
                c.years,
                cmp,
                threshold,
                from,
                &format!("ar1 {i}"),
            );
            let n = (c.years - c.base_step.unwrap_or(0)) as u32;
            let p = p_reach_ar1(1.0, c.log_k.exp(), c.growth, c.sigma, c.phi, n, cmp);
            z_binomial(got, p)
        })
        .collect()
}

#[test]
fn ar1_matches_its_closed_form() {
    let z = ar1_z(|c| Ar1Growth::new(c.growth, c.sigma, c.phi).unwrap());
    assert_passes("ar1", &z);
}

/// σ read as the innovation sd instead of the marginal sd (marginal sd σ/√(1−φ²)).
struct InnovationForMarginal(Ar1Growth);

impl GrowthProcess for InnovationForMarginal {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        let p = &self.0;
        let marginal = p.sigma() / (1.0 - p.persistence().powi(2)).sqrt();
        Ar1Growth::new(p.median_growth(), marginal, p.persistence())
            .unwrap()
            .log_growth_from_shocks(rng, buf);
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

/// Starts from the mean, `r[0] = μ + σ_e·z[0]`, instead of the stationary distribution.
struct StartAtMean(Ar1Growth);

impl GrowthProcess for StartAtMean {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, _rng: &mut R, buf: &mut [f64]) {
        let p = &self.0;
        let mut dev = 0.0;
        for x in buf.iter_mut() {
            dev = p.persistence() * dev + p.innovation_sd() * *x;
            *x = p.mu() + dev;
        }
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

#[test]
fn ar1_with_innovation_sd_for_marginal_sd_fails() {
    let z = ar1_z(|c| InnovationForMarginal(Ar1Growth::new(c.growth, c.sigma, c.phi).unwrap()));
    assert_fails("ar1, broken: σ as innovation sd", &z);
}

#[test]
fn ar1_started_at_the_mean_fails() {
    let z = ar1_z(|c| StartAtMean(Ar1Growth::new(c.growth, c.sigma, c.phi).unwrap()));
    assert_fails("ar1, broken: start at the mean", &z);
}

#[test]
fn ar1_sum_variance_by_direct_summation() {
    for phi in [-0.9f64, -0.3, 0.0, 0.4, 0.95] {
        for n in 1..20u32 {
            let direct: f64 = (0..n as i32)
                .flat_map(|s| (0..n as i32).map(move |t| phi.powi((s - t).abs())))
                .sum::<f64>()
                * 0.04;
            let e = 0.2f64.powi(2) * (1.0 - phi * phi);
            let form2 = e / (1.0 - phi).powi(2)
                * (f64::from(n) - 2.0 * phi * (1.0 - phi.powi(n as i32)) / (1.0 - phi * phi));
            let got = ar1_sum_variance(0.2, phi, n);
            assert!(
                (got - direct).abs() < 1e-10 * direct.max(1.0),
                "φ {phi}, n {n}"
            );
            assert!(
                (got - form2).abs() < 1e-10 * direct.max(1.0),
                "φ {phi}, n {n}"
            );
        }
    }
}

// ------------------------------------------------------------------------ Student-t

fn t_one_year_z<P: GrowthProcess>(make: impl Fn(f64, f64, f64) -> P) -> Vec<f64> {
    let mut rng = path_rng(2024, "student t one-year cases", 0);
    (0..SETS)
        .map(|i| {
            let growth = between(&mut rng, -0.05, 0.25);
            let sigma = between(&mut rng, 0.01, 0.25);
            let df = 2.2 * (30.0f64 / 2.2).powf(uniform(&mut rng)); // log-uniform in (2.2, 30)
            // thresholds out to 3 sd, where the tails differ from the normal's
            let z = between(&mut rng, -3.0, 3.0);
            let log_k = growth.ln_1p() - z * sigma;
            let cmp = comparator(i);
            let start = 80.0;
            let got = p_hat(
                &make(growth, sigma, df),
                start,
                1,
                cmp,
                CheckThreshold::Level(start * log_k.exp()),
                1,
                &format!("t1 {i}"),
            );
            let p = p_reach_student_t_one_year(1.0, log_k.exp(), growth, sigma, df, cmp);
            z_binomial(got, p)
        })
        .collect()
}

#[test]
fn student_t_one_year_matches_the_t_distribution() {
    let z = t_one_year_z(|g, s, df| StudentTGrowth::new(g, s, df).unwrap());
    assert_passes("student_t, T = 1, P(X ≥ K) vs t CDF", &z);
}

/// Normal shocks with the same sd: thin tails.
#[test]
fn student_t_replaced_by_normal_fails() {
    let z = t_one_year_z(|g, s, _| goalcast::process::LogNormalGrowth::new(g, s).unwrap());
    assert_fails("student_t, broken: normal shocks", &z);
}

/// The t variable not rescaled to unit variance (sd σ·√(ν/(ν−2))).
struct Unscaled(StudentTGrowth);

impl GrowthProcess for Unscaled {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        let p = &self.0;
        let chi2 = ChiSquared::new(p.df()).unwrap();
        for x in buf.iter_mut() {
            let w: f64 = chi2.sample(rng);
            *x = p.mu() + p.sigma() * *x / (w / p.df()).sqrt();
        }
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

#[test]
fn student_t_unscaled_fails_one_year() {
    let z = t_one_year_z(|g, s, df| Unscaled(StudentTGrowth::new(g, s, df).unwrap()));
    assert_fails("student_t, broken: not scaled to unit variance (T = 1)", &z);
}

/// z-scores of the sample mean and variance of the T-year log-growth (T = 2..15) against
/// `T·ln(1+g)` and `T·σ²`, and of `P(X[T] ≥ median) = ½`.
fn t_moments_z<P: GrowthProcess>(make: impl Fn(f64, f64, f64) -> P) -> (Vec<f64>, Vec<f64>) {
    let mut rng = path_rng(2024, "student t moment cases", 0);
    let n = PATHS as f64;
    let (mut moments, mut medians) = (Vec::new(), Vec::new());
    for i in 0..SETS / 2 {
        let growth = between(&mut rng, -0.05, 0.25);
        let sigma = between(&mut rng, 0.01, 0.25);
        let df = between(&mut rng, 8.5, 40.0);
        let years = 2 + (uniform(&mut rng) * 14.0) as usize;
        let x = log_growths(&make(growth, sigma, df), years, &format!("t moments {i}"));
        let t = years as f64;
        let (m, v) = mean_var(&x);
        let var = t * sigma * sigma;
        // Var of the sample variance: (μ4 − var²)/N with excess kurtosis 6/((ν−4)T).
        let mu4 = var * var * (3.0 + 6.0 / ((df - 4.0) * t));
        moments.push((m - t * growth.ln_1p()) / (var / n).sqrt());
        moments.push((v - var) / ((mu4 - var * var) / n).sqrt());
        let above = x.iter().filter(|&&a| a >= t * growth.ln_1p()).count() as f64 / n;
        medians.push(z_binomial(above, 0.5));
    }
    (moments, medians)
}

#[test]
fn student_t_mean_variance_and_median_over_years() {
    let (moments, medians) = t_moments_z(|g, s, df| StudentTGrowth::new(g, s, df).unwrap());
    assert_passes("student_t, T = 2..15, mean and variance", &moments);
    let v = verdict("student_t, T = 2..15, P(X ≥ median) = ½", &medians);
    assert!(v.ok, "{v}");
}

#[test]
fn student_t_unscaled_fails_the_variance() {
    let (moments, _) = t_moments_z(|g, s, df| Unscaled(StudentTGrowth::new(g, s, df).unwrap()));
    assert_fails(
        "student_t, broken: not scaled (mean and variance)",
        &moments,
    );
}

// ----------------------------------------------------------------------- rare shocks

fn rare_z<P: GrowthProcess>(make: impl Fn(f64, f64, f64, f64) -> P) -> Vec<f64> {
    let mut rng = path_rng(2024, "rare shock cases", 0);
    (0..SETS)
        .map(|i| {
            let growth = between(&mut rng, -0.02, 0.2);
            let sigma = between(&mut rng, 0.01, 0.15);
            let prob = between(&mut rng, 0.0, 0.3);
            let drop = between(&mut rng, 0.02, 0.4);
            let years = 1 + (uniform(&mut rng) * 15.0) as usize;
            let n = years as f64;
            let jump = (-drop).ln_1p();
            let sd = (n * sigma * sigma + n * prob * (1.0 - prob) * jump * jump).sqrt();
            let z = between(&mut rng, -1.5, 1.5);
            let log_k = n * growth.ln_1p() + n * prob * jump - z * sd;
            let cmp = comparator(i);
            let start = 40.0;
            let got = p_hat(
                &make(growth, sigma, prob, drop),
                start,
                years,
                cmp,
                CheckThreshold::Level(start * log_k.exp()),
                1,
                &format!("rare {i}"),
            );
            let p = p_reach_rare_shock(
                1.0,
                log_k.exp(),
                growth,
                sigma,
                prob,
                drop,
                years as u32,
                cmp,
            );
            z_binomial(got, p)
        })
        .collect()
}

#[test]
fn rare_shocks_match_the_binomial_mixture() {
    let z = rare_z(|g, s, p, d| RareShockGrowth::new(g, s, p, d).unwrap());
    assert_passes("rare_shock", &z);
}

/// The drop subtracted from log-growth (`−drop`) instead of `ln(1 − drop)`.
struct LinearDrop(RareShockGrowth);

impl GrowthProcess for LinearDrop {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        let p = &self.0;
        for x in buf.iter_mut() {
            let hit = uniform_from(rng) < p.shock_probability();
            *x = p.mu() + p.sigma() * *x - if hit { p.shock_size() } else { 0.0 };
        }
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

/// One shock draw per path (every year or none) instead of one per year.
struct OneDrawPerPath(RareShockGrowth);

impl GrowthProcess for OneDrawPerPath {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        let p = &self.0;
        let hit = uniform_from(rng) < p.shock_probability();
        for x in buf.iter_mut() {
            *x = p.mu() + p.sigma() * *x + if hit { (-p.shock_size()).ln_1p() } else { 0.0 };
        }
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

fn uniform_from<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn rare_shocks_with_a_linear_drop_fail() {
    let z = rare_z(|g, s, p, d| LinearDrop(RareShockGrowth::new(g, s, p, d).unwrap()));
    assert_fails("rare_shock, broken: −drop for ln(1−drop)", &z);
}

#[test]
fn rare_shocks_drawn_once_per_path_fail() {
    let z = rare_z(|g, s, p, d| OneDrawPerPath(RareShockGrowth::new(g, s, p, d).unwrap()));
    assert_fails("rare_shock, broken: one draw per path", &z);
}

// ----------------------------------------------------------- parameter uncertainty

fn uncertain_z<P: GrowthProcess>(
    with_df: bool,
    make: impl Fn(f64, f64, f64, Option<f64>) -> P,
) -> Vec<f64> {
    let mut rng = path_rng(2024, if with_df { "uncertain df" } else { "uncertain" }, 0);
    (0..SETS)
        .map(|i| {
            let growth = between(&mut rng, -0.02, 0.25);
            let se = between(&mut rng, 0.0, 0.05);
            let sigma = between(&mut rng, 0.01, 0.2);
            let df = with_df.then(|| between(&mut rng, 1.5, 30.0));
            let years = 1 + (uniform(&mut rng) * 15.0) as usize;
            let n = years as f64;
            let mu_se = se / (1.0 + growth);
            let sd = (n * sigma * sigma + n * n * mu_se * mu_se).sqrt();
            let z = between(&mut rng, -2.0, 2.0);
            let log_k = n * growth.ln_1p() - z * sd;
            let cmp = comparator(i);
            let start = 1254.7;
            let got = p_hat(
                &make(growth, se, sigma, df),
                start,
                years,
                cmp,
                CheckThreshold::Level(start * log_k.exp()),
                1,
                &format!("uncertain {with_df} {i}"),
            );
            let p = p_reach_uncertain(
                1.0,
                log_k.exp(),
                growth,
                mu_se,
                sigma,
                df,
                years as u32,
                cmp,
            );
            z_binomial(got, p)
        })
        .collect()
}

#[test]
fn uncertain_growth_with_fixed_sigma_matches_its_normal_closed_form() {
    let z = uncertain_z(false, |g, se, s, df| {
        UncertainGrowth::new(g, se, s, df).unwrap()
    });
    assert_passes("uncertain, σ fixed", &z);
}

#[test]
fn uncertain_growth_with_uncertain_sigma_matches_its_t_closed_form() {
    let z = uncertain_z(true, |g, se, s, df| {
        UncertainGrowth::new(g, se, s, df).unwrap()
    });
    assert_passes("uncertain, σ on ν df", &z);
}

/// μ redrawn every year instead of once per path: variance nσ² + n·se² (not n²·se²).
struct MuPerYear(UncertainGrowth);

impl GrowthProcess for MuPerYear {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        let p = &self.0;
        for x in buf.iter_mut() {
            let u: f64 = StandardNormal.sample(rng);
            *x = p.mu() + p.mu_se() * u + p.sigma() * *x;
        }
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

/// σ drawn from the sampling law of σ̂ given σ, `σ̂·√(W/ν)`, instead of the posterior
/// `σ̂·√(ν/W)`.
struct SamplingLawSigma(UncertainGrowth);

impl GrowthProcess for SamplingLawSigma {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        let p = &self.0;
        let df = p.volatility_df().unwrap();
        let w: f64 = ChiSquared::new(df).unwrap().sample(rng);
        let ratio = (w / df).sqrt();
        let u: f64 = StandardNormal.sample(rng);
        let mu = p.mu() + p.mu_se() * ratio * u;
        for x in buf.iter_mut() {
            *x = mu + p.sigma() * ratio * *x;
        }
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
}

#[test]
fn uncertain_growth_drawn_every_year_fails() {
    let z = uncertain_z(false, |g, se, s, df| {
        MuPerYear(UncertainGrowth::new(g, se, s, df).unwrap())
    });
    assert_fails("uncertain, broken: μ drawn every year", &z);
}

#[test]
fn uncertain_sigma_from_the_sampling_law_fails() {
    let z = uncertain_z(true, |g, se, s, df| {
        SamplingLawSigma(UncertainGrowth::new(g, se, s, df).unwrap())
    });
    assert_fails("uncertain, broken: σ̂·√(W/ν) for σ̂·√(ν/W)", &z);
}

// --------------------------------------------------------------------- bounded share

#[derive(Debug, Clone, Copy)]
struct ShareCase {
    start: f64,
    upper: f64,
    growth: f64,
    sigma: f64,
    years: usize,
    k: f64,
}

fn share_cases() -> Vec<ShareCase> {
    let mut rng = path_rng(2024, "bounded share cases", 0);
    (0..SETS)
        .map(|i| {
            let upper = if i % 2 == 0 {
                100.0
            } else {
                between(&mut rng, 0.5, 300.0)
            };
            let start = upper * between(&mut rng, 0.03, 0.97);
            let growth = between(&mut rng, -0.2, 0.4);
            let sigma = between(&mut rng, 0.02, 0.6);
            let years = 1 + (uniform(&mut rng) * 15.0) as usize;
            let l0 = (start / (upper - start)).ln();
            let z = between(&mut rng, -2.0, 2.0);
            let lk = l0 + years as f64 * growth.ln_1p() - z * sigma * (years as f64).sqrt();
            let k = upper / (1.0 + (-lk).exp());
            ShareCase {
                start,
                upper,
                growth,
                sigma,
                years,
                k,
            }
        })
        .collect()
}

fn share_z<P: GrowthProcess>(make: impl Fn(&ShareCase) -> P) -> Vec<f64> {
    share_cases()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cmp = comparator(i);
            let got = p_hat(
                &make(c),
                c.start,
                c.years,
                cmp,
                CheckThreshold::Level(c.k),
                1,
                &format!("share {i}"),
            );
            let p = p_reach_bounded_share(
                c.start,
                c.k,
                c.growth,
                c.sigma,
                c.upper,
                c.years as u32,
                cmp,
            )
            .unwrap();
            z_binomial(got, p)
        })
        .collect()
}

#[test]
fn bounded_share_matches_its_logit_closed_form() {
    let z = share_z(|c| BoundedShare::new(c.growth, c.sigma, c.upper).unwrap());
    assert_passes("bounded_share", &z);
}

/// The same drift and shocks on the log scale of the share (no bound).
struct Unbounded(BoundedShare);

impl GrowthProcess for Unbounded {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        self.0.log_growth_from_shocks(rng, buf);
    }
    fn median_growth(&self) -> f64 {
        self.0.median_growth()
    }
    fn scale(&self) -> Scale {
        Scale::Log
    }
}

#[test]
fn bounded_share_on_the_log_scale_fails() {
    let z = share_z(|c| Unbounded(BoundedShare::new(c.growth, c.sigma, c.upper).unwrap()));
    assert_fails("bounded_share, broken: log scale", &z);
}

#[test]
fn bounded_share_levels_stay_inside_the_bound() {
    for (i, c) in share_cases().iter().enumerate() {
        let p = BoundedShare::new(c.growth, c.sigma, c.upper).unwrap();
        let out = Simulator::new(&p, c.start, c.years)
            .quantiles(&[0.0, 1.0])
            .keep_paths(true)
            .paths(20_000)
            .seed(7)
            .stream(&format!("share range {i}"))
            .run()
            .unwrap();
        let q = &out.quantiles[0];
        for year in 0..=c.years {
            assert!(q[[year, 0]] > 0.0 && q[[year, 1]] < c.upper, "{c:?}: {q}");
        }
        let scale = p.scale();
        assert!(
            out.log_levels
                .unwrap()
                .iter()
                .all(|&s| (0.0..c.upper).contains(&scale.to_level(s)) && scale.to_level(s) > 0.0)
        );
    }
    // the broken variant does leave the range
    let c = share_cases()
        .into_iter()
        .find(|c| c.growth > 0.1 && c.start > 0.5 * c.upper)
        .unwrap();
    let p = Unbounded(BoundedShare::new(c.growth, c.sigma, c.upper).unwrap());
    let out = Simulator::new(&p, c.start, c.years.max(5))
        .quantiles(&[1.0])
        .paths(20_000)
        .run()
        .unwrap();
    assert!(out.quantiles[0][[c.years.max(5), 0]] > c.upper);
}

#[test]
fn odds_growth_for_a_median_share_puts_the_median_there() {
    let g = BoundedShare::odds_growth_for(30.0, 55.0, 6, 100.0).unwrap();
    let p = BoundedShare::new(g, 0.3, 100.0).unwrap();
    let out = Simulator::new(&p, 30.0, 6)
        .quantiles(&[0.5])
        .paths(PATHS)
        .run()
        .unwrap();
    let median = out.quantiles[0][[6, 0]];
    // the sample median's sd is about √(p(1−p)/N)/density ≈ 0.1 point here
    assert!((median - 55.0).abs() < 0.5, "median {median}");
    assert!(BoundedShare::odds_growth_for(0.0, 55.0, 6, 100.0).is_err());
    assert!(BoundedShare::odds_growth_for(30.0, 100.0, 6, 100.0).is_err());
}

// --------------------------------------------------------------- constructors, Model

#[test]
fn constructors_refuse_impossible_parameters() {
    use goalcast::Error;
    let bad = [
        Ar1Growth::new(0.1, 0.05, 1.0).err(),
        Ar1Growth::new(0.1, 0.05, -1.2).err(),
        Ar1Growth::new(0.1, -0.05, 0.5).err(),
        Ar1Growth::new(-1.0, 0.05, 0.5).err(),
        StudentTGrowth::new(0.1, 0.05, 2.0).err(),
        StudentTGrowth::new(0.1, 0.05, f64::NAN).err(),
        RareShockGrowth::new(0.1, 0.05, 1.5, 0.1).err(),
        RareShockGrowth::new(0.1, 0.05, -0.1, 0.1).err(),
        RareShockGrowth::new(0.1, 0.05, 0.1, 1.0).err(),
        RareShockGrowth::new(0.1, 0.05, 0.1, -0.1).err(),
        UncertainGrowth::new(0.1, -0.01, 0.05, None).err(),
        UncertainGrowth::new(0.1, 0.01, 0.05, Some(0.0)).err(),
        BoundedShare::new(0.1, 0.05, -100.0).err(),
        BoundedShare::new(0.1, 0.05, f64::INFINITY).err(),
    ];
    for (i, e) in bad.into_iter().enumerate() {
        assert!(
            matches!(e, Some(Error::Parameter { .. })),
            "case {i}: {e:?}"
        );
    }
}

#[test]
fn model_parameters_round_trip() {
    let models = [
        Model::Ar1(Ar1Growth::new(0.1, 0.05, 0.5).unwrap()),
        Model::StudentT(StudentTGrowth::new(0.1, 0.05, 5.0).unwrap()),
        Model::RareShock(RareShockGrowth::new(0.1, 0.05, 0.1, 0.2).unwrap()),
        Model::Uncertain(UncertainGrowth::new(0.1, 0.02, 0.05, Some(4.0)).unwrap()),
        Model::Uncertain(UncertainGrowth::new(0.1, 0.02, 0.05, None).unwrap()),
        Model::BoundedShare(BoundedShare::new(0.1, 0.05, 100.0).unwrap()),
    ];
    for m in models {
        for (name, value) in m.parameters() {
            assert_eq!(
                m.with_parameter(name, value).unwrap(),
                m,
                "{} {name}",
                m.name()
            );
            let shifted = m.with_parameter(name, value * 1.01).unwrap();
            let got = shifted
                .parameters()
                .into_iter()
                .find(|(n, _)| *n == name)
                .unwrap()
                .1;
            assert!((got - value * 1.01).abs() < 1e-15, "{} {name}", m.name());
        }
        assert_eq!(m.with_median_growth(0.2).unwrap().median_growth(), 0.2);
        assert!(m.with_parameter("nonsense", 1.0).is_err());
        assert!(m.uses_shocks());
    }
}

#[test]
fn model_p_reach_agrees_with_the_simulation() {
    // One representative set per model through the Model enum (the dispatch the engine uses).
    let models = [
        Model::Ar1(Ar1Growth::new(0.08, 0.06, 0.6).unwrap()),
        Model::StudentT(StudentTGrowth::new(0.08, 0.06, 4.0).unwrap()),
        Model::RareShock(RareShockGrowth::new(0.08, 0.04, 0.1, 0.15).unwrap()),
        Model::Uncertain(UncertainGrowth::new(0.08, 0.02, 0.05, Some(6.0)).unwrap()),
        Model::BoundedShare(BoundedShare::new(0.15, 0.2, 100.0).unwrap()),
    ];
    let mut z = Vec::new();
    for (i, m) in models.iter().enumerate() {
        let years = if matches!(m, Model::StudentT(_)) {
            1
        } else {
            6
        };
        let (start, k) = (40.0, 50.0);
        let got = p_hat(
            m,
            start,
            years,
            Comparator::AtLeast,
            CheckThreshold::Level(k),
            1,
            &format!("model {i}"),
        );
        let p = m
            .p_reach(start, k, years as u32, Comparator::AtLeast)
            .unwrap();
        z.push(z_binomial(got, p));
    }
    let v = verdict("Model::p_reach, one set per model", &z);
    assert!(v.ok, "{v}; z = {z:?}");
    assert!(
        models[1]
            .p_reach(40.0, 50.0, 2, Comparator::AtLeast)
            .is_none()
    );
}

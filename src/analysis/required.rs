//! The growth it would take: the central growth at which a goal is reached with a chosen
//! probability.

use statrs::distribution::{Continuous, ContinuousCDF, Normal};

use super::Goal;
use super::critical::critical_shifts;
use crate::error::{Error, Result};
use crate::sim::RunSettings;
use crate::target::Comparator;

/// The probabilities asked for when none are given: 50, 80 and 90 %.
pub const DEFAULT_PROBABILITIES: [f64; 3] = [0.5, 0.8, 0.9];

/// The range of central growth searched, as fractions: from a fall of 95 % a year to a
/// rise of 400 % a year.
pub const GROWTH_BRACKET: (f64, f64) = (-0.95, 4.0);

/// Width in log-growth `ln(1+g)` at which the bisection stops (about 1e-7 of growth, far
/// below any Monte Carlo error). The answer is the midpoint of the last interval.
pub const LOG_GROWTH_TOLERANCE: f64 = 1e-7;

/// The central growth that gives a goal a chosen probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequiredGrowth {
    /// The probability asked for.
    pub probability: f64,
    /// The central annual growth g (a fraction) at which the simulated probability
    /// first reaches `probability` (for a `≤` goal: the highest such growth); `None`
    /// when even the end of [`GROWTH_BRACKET`] most favourable to the goal does not give
    /// it, or its least favourable end already does.
    pub growth: Option<f64>,
}

/// The central growth at which `goal` is met at its deadline with each of the
/// `probabilities` (use [`DEFAULT_PROBABILITIES`]).
///
/// From every path's critical shift ([`critical_shifts`]) where the model and measure
/// have one (every model of this library, every measure of one indicator), in one pass
/// over the paths; otherwise [`required_growth_by_bisection`]. Both give the same
/// answer to [`LOG_GROWTH_TOLERANCE`]: for each probability p, bisection in log-growth `μ = ln(1+g)` over [`GROWTH_BRACKET`]
/// on `μ ↦ P̂(μ)`, the share of `settings.paths` paths meeting the goal under
/// `goal.model.with_median_growth(e^μ − 1)`. Every evaluation uses the same seed and
/// stream (common random numbers), so P̂ is a monotone step function of μ for any
/// process whose paths shift up with their central growth, the bisection's comparisons
/// never contradict each other, and the answers are monotone in p. For a `≥` goal P̂
/// increases with growth and the answer is the smallest growth with `P̂ ≥ p`; for a `≤`
/// goal it decreases and the answer is the largest.
///
/// For the lognormal model the exact answer is [`lognormal_required_log_growth`]; the
/// Monte Carlo answer is within a few [`required_growth_se`] of it.
///
/// ```
/// use goalcast::RunSettings;
/// use goalcast::analysis::{DEFAULT_PROBABILITIES, Goal, lognormal_required_log_growth, required_growth};
/// use goalcast::process::{LogNormalGrowth, Model};
/// use goalcast::target::Comparator;
///
/// // R&D spending 1254.7 (亿元) in 2022; the goal is 14 % a year to 2028.
/// let model = Model::LogNormal(LogNormalGrowth::new(0.12, 0.046).unwrap());
/// let k = 1254.7 * 1.14f64.powi(6);
/// let goal = Goal::level(model, 1254.7, k, 6, Comparator::AtLeast);
/// let settings = RunSettings { paths: 20_000, seed: 1, ..Default::default() };
/// let answers = required_growth(&goal, settings, &DEFAULT_PROBABILITIES)?;
/// let g80 = answers[1].growth.unwrap();
/// let exact = lognormal_required_log_growth(1254.7, k, 0.046, 6, 0.8, Comparator::AtLeast).exp_m1();
/// assert!((g80 - exact).abs() < 1e-3);        // ≈ 15.8 % a year
/// assert!(answers[0].growth < answers[1].growth && answers[1].growth < answers[2].growth);
/// # Ok::<(), goalcast::Error>(())
/// ```
pub fn required_growth(
    goal: &Goal,
    settings: RunSettings,
    probabilities: &[f64],
) -> Result<Vec<RequiredGrowth>> {
    check_probabilities(probabilities)?;
    match critical_shifts(goal, settings)? {
        Some(shifts) => Ok(probabilities.iter().map(|&p| shifts.required(p)).collect()),
        None => required_growth_by_bisection(goal, settings, probabilities),
    }
}

/// Every probability strictly between 0 and 1.
pub(super) fn check_probabilities(probabilities: &[f64]) -> Result<()> {
    match probabilities.iter().find(|p| !(**p > 0.0 && **p < 1.0)) {
        Some(&p) => Err(Error::Parameter {
            name: "probability",
            value: p,
            reason: "a required probability must lie strictly between 0 and 1".into(),
        }),
        None => Ok(()),
    }
}

/// [`required_growth`] by bisection on re-runs of the paths (common random numbers),
/// whatever the model and measure: what the critical shifts reproduce in one pass, and
/// what is used where there are none (a model that does not say how its paths move
/// with growth).
pub fn required_growth_by_bisection(
    goal: &Goal,
    settings: RunSettings,
    probabilities: &[f64],
) -> Result<Vec<RequiredGrowth>> {
    goal.validate()?;
    check_probabilities(probabilities)?;
    let increasing = goal.check.comparator == Comparator::AtLeast;
    let p_at = |mu: f64| -> Result<f64> {
        let model = goal.model.with_median_growth(mu.exp_m1())?;
        goal.probability_with(&model, settings)
    };
    probabilities
        .iter()
        .map(|&p| {
            let mu = solve_log_growth(p, increasing, p_at)?;
            Ok(RequiredGrowth {
                probability: p,
                growth: mu.map(f64::exp_m1),
            })
        })
        .collect()
}

/// Bisection for the log-growth μ at which `p_at(μ) = p`, over [`GROWTH_BRACKET`] (in
/// log-growth) down to [`LOG_GROWTH_TOLERANCE`].
///
/// `p_at` must be increasing in μ when `increasing` (the answer is then the boundary of
/// `{μ : p_at(μ) ≥ p}` from below) and decreasing otherwise (boundary from above).
/// Returns `None` when the bracket's ends do not straddle p. [`required_growth`] calls
/// it with a `p_at` on common random numbers; it is public so that other estimators of
/// `p_at` (a closed form, or a fresh seed per call, to see why that is worse) can be
/// compared on the same footing.
///
/// ```
/// use goalcast::analysis::solve_log_growth;
/// // P(μ) = μ/2 on [0, 2] rises through 0.8 at μ = 1.6
/// let mu = solve_log_growth(0.8, true, |mu| Ok((mu / 2.0).clamp(0.0, 1.0)))?.unwrap();
/// assert!((mu - 1.6).abs() < 1e-6);
/// # Ok::<(), goalcast::Error>(())
/// ```
pub fn solve_log_growth(
    p: f64,
    increasing: bool,
    p_at: impl Fn(f64) -> Result<f64>,
) -> Result<Option<f64>> {
    let mut lo = GROWTH_BRACKET.0.ln_1p();
    let mut hi = GROWTH_BRACKET.1.ln_1p();
    let ok = |mu: f64| -> Result<bool> { Ok(p_at(mu)? >= p) };
    // The end where the goal is easiest must meet p, the other must not.
    let (easy, hard) = if increasing { (hi, lo) } else { (lo, hi) };
    if !ok(easy)? || ok(hard)? {
        return Ok(None);
    }
    while hi - lo > LOG_GROWTH_TOLERANCE {
        let mid = 0.5 * (lo + hi);
        if ok(mid)? == increasing {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Some(0.5 * (lo + hi)))
}

/// The exact log-growth `μ = ln(1+g)` at which a lognormal path from `x0` meets `k` after
/// `years` years with probability p: solving `Φ((ln(x0/k) + Tμ)/(σ√T)) = p` gives
///
/// `μ_p = (ln(k/x0) + z_p·σ√T) / T` for `≥`, and `μ_p = (ln(k/x0) − z_p·σ√T) / T` for `≤`,
///
/// with `z_p = Φ⁻¹(p)`. With σ = 0 it is the constant growth `ln(k/x0)/T`.
///
/// ```
/// use goalcast::analysis::lognormal_required_log_growth;
/// use goalcast::target::Comparator;
/// // with probability ½ the median path must hit the target: no volatility premium
/// let mu = lognormal_required_log_growth(100.0, 121.0, 0.1, 2, 0.5, Comparator::AtLeast);
/// assert!((mu.exp_m1() - 0.10).abs() < 1e-12);
/// ```
pub fn lognormal_required_log_growth(
    x0: f64,
    k: f64,
    sigma: f64,
    years: u32,
    p: f64,
    comparator: Comparator,
) -> f64 {
    let t = f64::from(years);
    let z = standard_normal().inverse_cdf(p);
    let sign = match comparator {
        Comparator::AtLeast => 1.0,
        Comparator::AtMost => -1.0,
    };
    ((k / x0).ln() + sign * z * sigma * t.sqrt()) / t
}

/// The Monte Carlo standard error of the bisection's answer μ̂_p under the lognormal
/// model with `paths` paths:
///
/// `se(μ̂_p) = σ·√(p(1−p)/N) / (√T·φ(z_p))`.
///
/// Why: on common random numbers a path meets a `≥` goal iff `Tμ + σS ≥ ln(K/x0)`, with
/// `S` the path's sum of T standard normals, so the bisection returns
/// `μ̂ = (ln(K/x0) − σ·Ŝ_{1−p}) / T`, where `Ŝ_{1−p}` is the sample (1−p)-quantile of the
/// N sums. A sample quantile of `Normal(0, T)` has standard error
/// `√T·√(p(1−p)/N)/φ(z_p)`; multiply by σ/T. (The same holds for `≤` goals.)
///
/// ```
/// let se = goalcast::analysis::required_growth_se(0.05, 5, 0.8, 100_000);
/// assert!(se > 0.9e-4 && se < 1.1e-4); // about 0.01 percentage points of log-growth
/// ```
pub fn required_growth_se(sigma: f64, years: u32, p: f64, paths: u64) -> f64 {
    let n = standard_normal();
    let z = n.inverse_cdf(p);
    sigma * (p * (1.0 - p) / paths as f64).sqrt() / (f64::from(years).sqrt() * n.pdf(z))
}

fn standard_normal() -> Normal {
    Normal::standard()
}

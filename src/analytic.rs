//! Closed forms for the lognormal and deterministic models.
//!
//! They are reported beside every Monte Carlo figure they apply to, and the test suite
//! checks the simulation against them.

use statrs::function::erf::erfc;

use crate::target::{Comparator, LOG_TOLERANCE};

/// Standard normal distribution function Φ(z), accurate in both tails.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// `P(Y ≥ 0)` for `Y ~ Normal(mean, sd²)`, with the mirror `P(Y ≤ 0)` for `<=`; with
/// `sd = 0`, 0 or 1 (a margin within [`LOG_TOLERANCE`] of zero counts as met).
///
/// Every closed form of the library reduces to this: Y is the log-margin by which the
/// goal is met in the deadline year.
pub fn p_normal_margin(mean: f64, sd: f64, comparator: Comparator) -> f64 {
    if sd == 0.0 {
        let met = match comparator {
            Comparator::AtLeast => mean >= -LOG_TOLERANCE,
            Comparator::AtMost => mean <= LOG_TOLERANCE,
        };
        return if met { 1.0 } else { 0.0 };
    }
    match comparator {
        Comparator::AtLeast => normal_cdf(mean / sd),
        Comparator::AtMost => normal_cdf(-mean / sd),
    }
}

/// Probability that a lognormal path reaches a level in year T.
///
/// With yearly log-growth `Normal(ln(1+g), σ²)`, `ln X[T]` is normal with mean
/// `ln X[0] + T·ln(1+g)` and variance `σ²T`, so
///
/// `P(X[T] ≥ K) = Φ((ln(X[0]/K) + T·ln(1+g)) / (σ√T))` and `P(X[T] ≤ K) = 1 − P(X[T] ≥ K)`.
///
/// With σ = 0 the path is deterministic and the probability is 0 or 1 (a path on the
/// threshold, within [`LOG_TOLERANCE`], reaches it). A growth target measured from a
/// simulated base year uses `x0 = 1`, `k` = the required factor and `years` = T − base.
///
/// ```
/// use goalcast::analytic::p_reach_lognormal;
/// use goalcast::target::Comparator;
/// // the median path reaches its own median exactly half the time
/// let p = p_reach_lognormal(100.0, 100.0 * 1.1f64.powi(5), 0.10, 0.08, 5, Comparator::AtLeast);
/// assert!((p - 0.5).abs() < 1e-12);
/// ```
pub fn p_reach_lognormal(
    x0: f64,
    k: f64,
    growth: f64,
    sigma: f64,
    years: u32,
    comparator: Comparator,
) -> f64 {
    let drift = (x0 / k).ln() + f64::from(years) * growth.ln_1p();
    p_normal_margin(drift, sigma * f64::from(years).sqrt(), comparator)
}

/// The constant annual growth that takes `x0` to `k` in `years` years: `(k/x0)^(1/years) − 1`.
///
/// ```
/// let g = goalcast::analytic::required_growth(100.0, 121.0, 2);
/// assert!((g - 0.10).abs() < 1e-12);
/// ```
pub fn required_growth(x0: f64, k: f64, years: u32) -> f64 {
    ((k / x0).ln() / f64::from(years)).exp_m1()
}

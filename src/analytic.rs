//! Closed forms for the growth models.
//!
//! They are reported beside every Monte Carlo figure they apply to, and the test suite
//! checks the simulation against them. [`Model::p_reach`](crate::process::Model::p_reach)
//! picks the one that fits a model.

use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::erf::erfc;

use crate::units::{Comparator, LOG_TOLERANCE, Scale};

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

/// `P(Y ≥ 0)` (or `P(Y ≤ 0)`) for `Y = mean + sd·T`, T a standard Student-t with `df`
/// degrees of freedom (sd = 0: as [`p_normal_margin`]).
pub fn p_student_t_margin(mean: f64, sd: f64, df: f64, comparator: Comparator) -> f64 {
    if sd == 0.0 {
        return p_normal_margin(mean, 0.0, comparator);
    }
    let t = StudentsT::new(0.0, 1.0, df).expect("df is checked positive by the caller");
    match comparator {
        Comparator::AtLeast => t.cdf(mean / sd),
        Comparator::AtMost => t.cdf(-mean / sd),
    }
}

/// Variance of the sum of `years` consecutive values of a stationary AR(1) with marginal
/// standard deviation `sigma` and coefficient `phi` (|φ| < 1):
///
/// `Var(r[0] + … + r[n−1]) = σ²·Σ_{s,t} φ^|s−t| = σ² · [ n·(1+φ)/(1−φ) − 2φ·(1 − φⁿ)/(1−φ)² ]`.
///
/// (Autocovariances `σ²φ^k`; there are `n − k` pairs at lag k, so the sum is
/// `σ²·(n + 2·Σ_{k=1}^{n−1} (n−k)·φ^k)`, which closes to the bracket. With
/// `σ_e² = σ²(1−φ²)` it is `σ_e²/(1−φ)²·[n − 2φ(1−φⁿ)/(1−φ²)]`.) It is `nσ²` at φ = 0,
/// `σ²` for n = 1 and `2σ²(1+φ)` for n = 2.
///
/// ```
/// use goalcast::analytic::ar1_sum_variance;
/// let direct: f64 = (0..5).flat_map(|s: i32| (0..5).map(move |t: i32| 0.6f64.powi((s - t).abs()))).sum();
/// assert!((ar1_sum_variance(1.0, 0.6, 5) - direct).abs() < 1e-12);
/// ```
pub fn ar1_sum_variance(sigma: f64, phi: f64, years: u32) -> f64 {
    let n = f64::from(years);
    let one = 1.0 - phi;
    sigma
        * sigma
        * (n * (1.0 + phi) / one - 2.0 * phi * (1.0 - phi.powi(years as i32)) / (one * one))
}

/// Probability that a stationary AR(1) log-growth path ([`Ar1Growth`](crate::process::Ar1Growth))
/// reaches K after n years: the n-year log-growth is normal with mean `n·ln(1+g)` and
/// variance [`ar1_sum_variance`], so
///
/// `P(X[n] ≥ K) = Φ((ln(X[0]/K) + n·ln(1+g)) / √Var)`.
pub fn p_reach_ar1(
    x0: f64,
    k: f64,
    growth: f64,
    sigma: f64,
    phi: f64,
    years: u32,
    comparator: Comparator,
) -> f64 {
    let drift = (x0 / k).ln() + f64::from(years) * growth.ln_1p();
    let sd = ar1_sum_variance(sigma, phi, years).max(0.0).sqrt();
    p_normal_margin(drift, sd, comparator)
}

/// Probability that one year of Student-t log-growth
/// ([`StudentTGrowth`](crate::process::StudentTGrowth)) reaches K:
///
/// `P(X[1] ≥ K) = F_ν((ln(X[0]/K) + ln(1+g)) / (σ·√((ν−2)/ν)))`,
///
/// F_ν the Student-t distribution function (the scale `σ√((ν−2)/ν)` makes the sd σ).
/// Over more years the sum of t variables has no closed form.
pub fn p_reach_student_t_one_year(
    x0: f64,
    k: f64,
    growth: f64,
    sigma: f64,
    df: f64,
    comparator: Comparator,
) -> f64 {
    let drift = (x0 / k).ln() + growth.ln_1p();
    p_student_t_margin(drift, sigma * ((df - 2.0) / df).sqrt(), df, comparator)
}

/// Probability that lognormal growth with rare shocks
/// ([`RareShockGrowth`](crate::process::RareShockGrowth)) reaches K after n years:
/// conditional on k shock years the log-growth is
/// `Normal(n·ln(1+g) + k·ln(1−drop), nσ²)`, and k is `Binomial(n, p)`, so
///
/// `P(X[n] ≥ K) = Σ_{k=0}^{n} C(n,k)·pᵏ(1−p)ⁿ⁻ᵏ · Φ((ln(X[0]/K) + n·ln(1+g) + k·ln(1−drop)) / (σ√n))`.
///
/// ```
/// use goalcast::analytic::{p_reach_lognormal, p_reach_rare_shock};
/// use goalcast::target::Comparator::AtLeast;
/// let a = p_reach_rare_shock(100.0, 150.0, 0.08, 0.05, 0.0, 0.2, 5, AtLeast);
/// assert!((a - p_reach_lognormal(100.0, 150.0, 0.08, 0.05, 5, AtLeast)).abs() < 1e-15);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn p_reach_rare_shock(
    x0: f64,
    k: f64,
    growth: f64,
    sigma: f64,
    probability: f64,
    drop: f64,
    years: u32,
    comparator: Comparator,
) -> f64 {
    let drift = (x0 / k).ln() + f64::from(years) * growth.ln_1p();
    let sd = sigma * f64::from(years).sqrt();
    let jump = (-drop).ln_1p();
    let mut choose = 1.0; // C(n, j)
    let mut total = 0.0;
    for j in 0..=years {
        let weight =
            choose * probability.powi(j as i32) * (1.0 - probability).powi((years - j) as i32);
        if weight > 0.0 {
            total += weight * p_normal_margin(drift + f64::from(j) * jump, sd, comparator);
        }
        choose *= f64::from(years - j) / f64::from(j + 1);
    }
    total
}

/// Probability that growth with uncertain parameters
/// ([`UncertainGrowth`](crate::process::UncertainGrowth)) reaches K after n years.
/// `mu_se` is SE(μ̂) on the log scale. With σ fixed (`volatility_df = None`),
/// `ln X[n] ~ Normal(ln X[0] + n·μ̂, nσ̂² + n²·SE(μ̂)²)`:
///
/// `P(X[n] ≥ K) = Φ((ln(X[0]/K) + n·μ̂) / √(nσ̂² + n²·SE(μ̂)²))`;
///
/// with σ uncertain on ν degrees of freedom both variance terms scale with ν/W,
/// `W ~ χ²_ν`, and Φ becomes the Student-t distribution function `F_ν`.
#[allow(clippy::too_many_arguments)]
pub fn p_reach_uncertain(
    x0: f64,
    k: f64,
    growth: f64,
    mu_se: f64,
    sigma: f64,
    volatility_df: Option<f64>,
    years: u32,
    comparator: Comparator,
) -> f64 {
    let n = f64::from(years);
    let drift = (x0 / k).ln() + n * growth.ln_1p();
    let sd = (n * sigma * sigma + n * n * mu_se * mu_se).sqrt();
    match volatility_df {
        Some(df) => p_student_t_margin(drift, sd, df, comparator),
        None => p_normal_margin(drift, sd, comparator),
    }
}

/// Probability that a bounded share ([`BoundedShare`](crate::process::BoundedShare))
/// starting at `s0` is at least (or at most) K after n years, with `L = ln(s/(U − s))`:
///
/// `P(s[n] ≥ K) = Φ((L(s0) + n·ln(1+g) − L(K)) / (σ√n))`.
///
/// A threshold at or beyond the bounds is met surely or never (K ≤ 0 always, K ≥ U never,
/// for "at least"). `None` when `s0` is not strictly between 0 and U.
pub fn p_reach_bounded_share(
    s0: f64,
    k: f64,
    growth: f64,
    sigma: f64,
    upper: f64,
    years: u32,
    comparator: Comparator,
) -> Option<f64> {
    let scale = Scale::Logit { upper };
    let l0 = scale.to_state(s0)?;
    let at_least = comparator == Comparator::AtLeast;
    let Some(lk) = scale.to_state(k) else {
        let always = if k <= 0.0 { at_least } else { !at_least };
        return Some(if always { 1.0 } else { 0.0 });
    };
    let drift = l0 + f64::from(years) * growth.ln_1p() - lk;
    Some(p_normal_margin(
        drift,
        sigma * f64::from(years).sqrt(),
        comparator,
    ))
}

/// The two series of a share and their lognormal laws: numerator N and denominator D,
/// each with its start, central growth, volatility and simulated years.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareLaw {
    /// Numerator start, central growth, volatility, years simulated.
    pub numerator: (f64, f64, f64, u32),
    /// Denominator start, central growth, volatility, years simulated.
    pub denominator: (f64, f64, f64, u32),
    /// Correlation of their yearly shocks.
    pub rho: f64,
}

/// `P(N[T]/D[T] ≥ s)` (or `≤`) for two lognormal series: `ln(N/D)` at the deadline is
/// normal with mean `ln(N0/D0) + n_N ln(1+g_N) − n_D ln(1+g_D)` and variance
/// `n_N σ_N² + n_D σ_D² − 2ρ σ_N σ_D min(n_N, n_D)` (the shocks of the years both are
/// simulated are correlated).
///
/// ```
/// use goalcast::analytic::{ShareLaw, p_share_lognormal};
/// use goalcast::target::Comparator;
/// // R&D 1254.7 and GDP 53734.9 (亿元) in 2022; R&D grows 12 %, GDP 5 %: intensity ≥ 3 % in 2028?
/// let law = ShareLaw { numerator: (1254.7, 0.12, 0.05, 6), denominator: (53734.9, 0.05, 0.03, 6), rho: 0.5 };
/// let p = p_share_lognormal(&law, 0.03, Comparator::AtLeast);
/// assert!(p > 0.5 && p < 1.0);
/// ```
pub fn p_share_lognormal(law: &ShareLaw, share: f64, comparator: Comparator) -> f64 {
    let (n0, gn, sn, yn) = law.numerator;
    let (d0, gd, sd, yd) = law.denominator;
    let mean = (n0 / d0 / share).ln() + f64::from(yn) * gn.ln_1p() - f64::from(yd) * gd.ln_1p();
    let var = f64::from(yn) * sn * sn + f64::from(yd) * sd * sd
        - 2.0 * law.rho * sn * sd * f64::from(yn.min(yd));
    p_normal_margin(mean, var.max(0.0).sqrt(), comparator)
}

/// Probability that a lognormal path observed once a year reaches a level K in at least
/// one of the years 1..=T (`p_reach_by`), approximated by the continuous-monitoring
/// first-passage formula with the Broadie–Glasserman–Kou discrete-monitoring
/// correction.
///
/// With `b = ln(K/X0)` and drift `μ = ln(1+g)`, a Brownian motion with drift reaches b
/// before T with probability `Φ((μT − b)/(σ√T)) + e^{2μb/σ²}·Φ((−μT − b)/(σ√T))` (b > 0,
/// for `≥`; mirrored for `≤`). Observing only once a year misses crossings between
/// observations; shifting the barrier away by `β σ √Δt`, `β = −ζ(½)/√(2π) ≈ 0.5826`,
/// Δt = 1 year, corrects this to first order. It is an approximation (exact in the limit
/// of many observations); with 3 to 12 yearly observations it is mostly within two
/// percentage points of the simulated value and at worst about six, when σ is small
/// against the yearly drift (`tests/closed_form_kinds.rs`). A level already met at the
/// start gives 1.
pub fn p_reach_by_lognormal(
    x0: f64,
    k: f64,
    growth: f64,
    sigma: f64,
    years: u32,
    comparator: Comparator,
) -> f64 {
    const BETA: f64 = 0.582_597_157_939_010_7;
    let t = f64::from(years);
    // Work with an upward barrier: a `≤` goal is the mirror image.
    let (b, mu) = match comparator {
        Comparator::AtLeast => ((k / x0).ln(), growth.ln_1p()),
        Comparator::AtMost => ((x0 / k).ln(), -growth.ln_1p()),
    };
    if b <= 0.0 {
        return 1.0;
    }
    if sigma == 0.0 {
        return if mu * t >= b - LOG_TOLERANCE {
            1.0
        } else {
            0.0
        };
    }
    let b = b + BETA * sigma;
    let s = sigma * t.sqrt();
    let tail = (2.0 * mu * b / (sigma * sigma)).exp() * normal_cdf((-mu * t - b) / s);
    (normal_cdf((mu * t - b) / s) + tail).min(1.0)
}

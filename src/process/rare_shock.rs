use rand_core::Rng;
use rand_distr::{Bernoulli, Distribution};

use super::{GrowthProcess, GrowthResponse, check_growth, check_volatility};
use crate::error::{Error, Result};

/// Lognormal growth with rare shocks (a 2020): each year independently, with probability
/// p, the level also falls by the fraction `drop`:
///
/// `r[t] = ln(1+g) + σ·z[t] + J[t]·ln(1 − drop)`, `J[t] ~ Bernoulli(p)` (drawn from the
/// path's random stream).
///
/// g is the central growth of a year **without** a shock (the median path of the
/// lognormal part); the shock years come on top, so the median of the whole process is
/// below `X[0]·(1+g)^t` when p > 0. With k shocks in n years the log-growth is
/// `Normal(n·ln(1+g) + k·ln(1−drop), n·σ²)`, and k is `Binomial(n, p)`, so
///
/// `P(X[n] ≥ K) = Σ_k C(n,k) pᵏ (1−p)ⁿ⁻ᵏ · Φ((ln(X[0]/K) + n·ln(1+g) + k·ln(1−drop)) / (σ√n))`
///
/// ([`analytic::p_reach_rare_shock`](crate::analytic::p_reach_rare_shock)).
///
/// ```
/// use goalcast::process::{GrowthProcess, RareShockGrowth};
/// // 8 % central growth, sd 3 %, a 1-in-20 chance each year of losing 10 %
/// let p = RareShockGrowth::new(0.08, 0.03, 0.05, 0.10).unwrap();
/// let mut rng = goalcast::sim::path_rng(1, "Hubei/gdp", 0);
/// let mut r = [0.0; 6];
/// p.sample_log_growth(&mut rng, &mut r);
/// assert!(r.iter().all(|x| x.is_finite()));
/// assert!(RareShockGrowth::new(0.08, 0.03, 0.05, 1.0).is_err()); // a drop to zero
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RareShockGrowth {
    growth: f64,
    mu: f64,
    sigma: f64,
    probability: f64,
    drop: f64,
    log_jump: f64,
    bernoulli: Bernoulli,
}

impl RareShockGrowth {
    /// Central growth of a normal year `growth` (fraction, above −1), standard deviation
    /// of yearly log-growth `volatility` (≥ 0), yearly shock probability `probability`
    /// (in [0, 1]) and the fall in a shock year `drop` (a fraction in [0, 1): 0.1 for a
    /// 10 % fall).
    pub fn new(growth: f64, volatility: f64, probability: f64, drop: f64) -> Result<Self> {
        check_growth(growth)?;
        check_volatility(volatility)?;
        let bernoulli = Bernoulli::new(probability).map_err(|_| Error::Parameter {
            name: "shock_probability",
            value: probability,
            reason: "a yearly probability must lie in [0, 1]".into(),
        })?;
        if !(drop.is_finite() && (0.0..1.0).contains(&drop)) {
            return Err(Error::Parameter {
                name: "shock_size",
                value: drop,
                reason: "the fall in a shock year must be a fraction in [0, 1) (a fall of less than 100 %)".into(),
            });
        }
        Ok(RareShockGrowth {
            growth,
            mu: growth.ln_1p(),
            sigma: volatility,
            probability,
            drop,
            log_jump: (-drop).ln_1p(),
            bernoulli,
        })
    }

    /// Mean of the lognormal part of yearly log-growth, `ln(1+g)`.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// Standard deviation σ of the lognormal part.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// Yearly probability of a shock.
    pub fn shock_probability(&self) -> f64 {
        self.probability
    }

    /// Fall of the level in a shock year (a fraction).
    pub fn shock_size(&self) -> f64 {
        self.drop
    }
}

impl GrowthProcess for RareShockGrowth {
    #[inline]
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        for x in buf.iter_mut() {
            let jump = if self.bernoulli.sample(rng) {
                self.log_jump
            } else {
                0.0
            };
            *x = self.mu + self.sigma * *x + jump;
        }
    }

    fn growth_response(&self) -> Option<GrowthResponse> {
        Some(GrowthResponse::Uniform)
    }

    fn median_growth(&self) -> f64 {
        self.growth
    }
}

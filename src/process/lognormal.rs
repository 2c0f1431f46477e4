use rand_core::Rng;

use super::{GrowthProcess, GrowthResponse, shift_and_scale};
use crate::error::{Error, Result};

/// Lognormal growth: each year's log-growth `ln(X[t+1]/X[t])` is
/// `Normal(ln(1+g), σ²)`, independent across years.
///
/// g is the central (median) growth: the median of `X[t]` is `X[0]·(1+g)^t`, and
/// `P(X[T] ≥ K) = Φ((ln(X[0]/K) + T·ln(1+g)) / (σ√T))`
/// (see [`analytic::p_reach_lognormal`](crate::analytic::p_reach_lognormal)).
///
/// ```
/// use goalcast::process::{GrowthProcess, LogNormalGrowth};
/// let p = LogNormalGrowth::new(0.10, 0.05).unwrap();
/// let mut rng = goalcast::sim::path_rng(1, "Hubei/gdp", 0);
/// let mut g = [0.0; 5];
/// p.sample_log_growth(&mut rng, &mut g);
/// assert!(g.iter().all(|x| x.is_finite()));
/// assert!(LogNormalGrowth::new(0.10, -0.05).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogNormalGrowth {
    growth: f64,
    mu: f64,
    sigma: f64,
}

impl LogNormalGrowth {
    /// Central growth `growth` (fraction, above −1) and log-growth standard deviation
    /// `sigma` (≥ 0).
    pub fn new(growth: f64, sigma: f64) -> Result<Self> {
        if !growth.is_finite() || growth <= -1.0 {
            return Err(Error::Parameter {
                name: "growth",
                value: growth,
                reason: "must be a finite fraction above -1 (a fall of less than 100 %)".into(),
            });
        }
        if !sigma.is_finite() || sigma < 0.0 {
            return Err(Error::Parameter {
                name: "sigma",
                value: sigma,
                reason: "the volatility of log-growth must be finite and non-negative".into(),
            });
        }
        Ok(LogNormalGrowth {
            growth,
            mu: growth.ln_1p(),
            sigma,
        })
    }

    /// Mean of yearly log-growth, `ln(1+g)`.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// Standard deviation of yearly log-growth.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }
}

impl GrowthProcess for LogNormalGrowth {
    #[inline]
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, _rng: &mut R, buf: &mut [f64]) {
        shift_and_scale(buf, self.mu, self.sigma);
    }

    #[inline(always)]
    fn affine_log_growth(&self) -> Option<(f64, f64)> {
        Some((self.mu, self.sigma))
    }

    fn growth_response(&self) -> Option<GrowthResponse> {
        Some(GrowthResponse::Uniform)
    }

    fn median_growth(&self) -> f64 {
        self.growth
    }
}

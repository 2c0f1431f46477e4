use rand_core::Rng;

use super::{GrowthProcess, GrowthResponse, check_growth, check_volatility};
use crate::error::{Error, Result};

/// Persistent growth: yearly log-growth follows a stationary AR(1) around `μ = ln(1+g)`,
///
/// `r[t] = μ + φ·(r[t−1] − μ) + σ_e·z[t]`, with `σ_e = σ·√(1 − φ²)`,
///
/// where **σ is the marginal standard deviation** of one year's log-growth (what a
/// scenario's `volatility_pct` states, and what the standard deviation of a historical
/// series of growth rates estimates) and φ ∈ (−1, 1) the persistence (first-order
/// autocorrelation of growth). A good year tends to be followed by a good year when
/// φ > 0.
///
/// **Start.** The first year's deviation is drawn from the stationary distribution,
/// `r[0] − μ ~ Normal(0, σ²)` (from the first shock, `r[0] = μ + σ·z[0]`), so every year
/// has the same marginal law `Normal(μ, σ²)` and the median path is `X[0]·(1+g)^t`. The
/// process does not condition on the last observed growth rate: with φ > 0 a bad last
/// year would pull the first simulated years down, which this model leaves out.
///
/// **Sum.** The n-year log-growth `S = r[0] + … + r[n−1]` is normal with mean `n·μ` and
///
/// `Var S = σ² · [ n·(1+φ)/(1−φ) − 2φ·(1 − φⁿ)/(1−φ)² ]`
///
/// (equivalently `σ_e²/(1−φ)² · [n − 2φ(1−φⁿ)/(1−φ²)]`), which is `n·σ²` at φ = 0 and
/// grows towards `n²·σ²` as φ → 1; see [`analytic::ar1_sum_variance`](crate::analytic::ar1_sum_variance).
///
/// ```
/// use goalcast::process::{Ar1Growth, GrowthProcess};
/// let p = Ar1Growth::new(0.08, 0.04, 0.5).unwrap();
/// let mut rng = goalcast::sim::path_rng(1, "Hubei/gdp", 0);
/// let mut r = [0.0; 6];
/// p.sample_log_growth(&mut rng, &mut r);
/// assert!(r.iter().all(|x| x.is_finite()));
/// assert!(Ar1Growth::new(0.08, 0.04, 1.0).is_err()); // a unit root is not stationary
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ar1Growth {
    growth: f64,
    mu: f64,
    sigma: f64,
    phi: f64,
    innovation_sd: f64,
}

impl Ar1Growth {
    /// Central growth `growth` (fraction, above −1), marginal standard deviation of yearly
    /// log-growth `volatility` (≥ 0) and persistence `phi` (|φ| < 1).
    pub fn new(growth: f64, volatility: f64, phi: f64) -> Result<Self> {
        check_growth(growth)?;
        check_volatility(volatility)?;
        if !(phi.is_finite() && phi.abs() < 1.0) {
            return Err(Error::Parameter {
                name: "persistence",
                value: phi,
                reason: "the AR(1) coefficient must lie strictly between -1 and 1 (|φ| ≥ 1 is not stationary)".into(),
            });
        }
        Ok(Ar1Growth {
            growth,
            mu: growth.ln_1p(),
            sigma: volatility,
            phi,
            innovation_sd: volatility * (1.0 - phi * phi).sqrt(),
        })
    }

    /// Mean of yearly log-growth, `ln(1+g)`.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// Marginal standard deviation σ of one year's log-growth.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// The persistence φ.
    pub fn persistence(&self) -> f64 {
        self.phi
    }

    /// Standard deviation of the innovations, `σ_e = σ·√(1 − φ²)`.
    pub fn innovation_sd(&self) -> f64 {
        self.innovation_sd
    }
}

impl GrowthProcess for Ar1Growth {
    #[inline]
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, _rng: &mut R, buf: &mut [f64]) {
        let mut dev = 0.0;
        for (t, x) in buf.iter_mut().enumerate() {
            dev = if t == 0 {
                self.sigma * *x
            } else {
                self.phi * dev + self.innovation_sd * *x
            };
            *x = self.mu + dev;
        }
    }

    fn growth_response(&self) -> Option<GrowthResponse> {
        Some(GrowthResponse::Uniform)
    }

    fn median_growth(&self) -> f64 {
        self.growth
    }
}

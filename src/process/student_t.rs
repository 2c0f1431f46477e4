use rand_core::Rng;
use rand_distr::{ChiSquared, Distribution};

use super::{GrowthProcess, GrowthResponse, check_growth, check_volatility};
use crate::error::{Error, Result};

/// Fat-tailed growth: yearly log-growth is `ln(1+g) + σ·t[t]`, where `t[t]` is a
/// Student-t variable with ν > 2 degrees of freedom scaled to unit variance, independent
/// across years:
///
/// `t = z / √(W/ν) · √((ν−2)/ν) = z · √((ν−2)/W)`, `W ~ χ²_ν` (drawn from the path's
/// random stream), z the engine's normal shock.
///
/// σ stays the standard deviation of yearly log-growth and g the central (median)
/// growth: each year's log-growth is symmetric about `ln(1+g)`, so the median path is
/// `X[0]·(1+g)^t`. One year: `P(X[1] ≥ K) = 1 − F_ν((ln(K/X[0]) − ln(1+g)) / (σ·√((ν−2)/ν)))`,
/// F_ν the Student-t distribution function. Over n years the log-growth has mean
/// `n·ln(1+g)`, variance `n·σ²` and, for ν > 4, excess kurtosis `6/((ν−4)·n)`: the
/// tails thin out as years add up. Small ν (3–5) gives the occasional very bad or very
/// good year; ν → ∞ is the lognormal model.
///
/// With correlated shocks each indicator draws its own W, so the correlation of the
/// t-variables is somewhat below that of the normal shocks.
///
/// ```
/// use goalcast::process::{GrowthProcess, StudentTGrowth};
/// let p = StudentTGrowth::new(0.08, 0.04, 4.0).unwrap();
/// let mut rng = goalcast::sim::path_rng(1, "Hubei/gdp", 0);
/// let mut r = [0.0; 6];
/// p.sample_log_growth(&mut rng, &mut r);
/// assert!(r.iter().all(|x| x.is_finite()));
/// assert!(StudentTGrowth::new(0.08, 0.04, 2.0).is_err()); // no finite variance
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StudentTGrowth {
    growth: f64,
    mu: f64,
    sigma: f64,
    df: f64,
    chi2: ChiSquared<f64>,
    /// `σ·√(ν−2)`: the shock is `z · scale / √W`.
    scale: f64,
}

impl StudentTGrowth {
    /// Central growth `growth` (fraction, above −1), standard deviation of yearly
    /// log-growth `volatility` (≥ 0), degrees of freedom `df` (> 2, finite).
    pub fn new(growth: f64, volatility: f64, df: f64) -> Result<Self> {
        check_growth(growth)?;
        check_volatility(volatility)?;
        let bad_df = || Error::Parameter {
            name: "df",
            value: df,
            reason:
                "the degrees of freedom must be finite and above 2 (so that the variance exists)"
                    .into(),
        };
        if !(df.is_finite() && df > 2.0) {
            return Err(bad_df());
        }
        let chi2 = ChiSquared::new(df).map_err(|_| bad_df())?;
        Ok(StudentTGrowth {
            growth,
            mu: growth.ln_1p(),
            sigma: volatility,
            df,
            chi2,
            scale: volatility * (df - 2.0).sqrt(),
        })
    }

    /// Mean (and median) of yearly log-growth, `ln(1+g)`.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// Standard deviation σ of yearly log-growth.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// Degrees of freedom ν.
    pub fn df(&self) -> f64 {
        self.df
    }
}

impl GrowthProcess for StudentTGrowth {
    #[inline]
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        for x in buf.iter_mut() {
            let w: f64 = self.chi2.sample(rng);
            *x = self.mu + self.scale * *x / w.sqrt();
        }
    }

    fn growth_response(&self) -> Option<GrowthResponse> {
        Some(GrowthResponse::Uniform)
    }

    fn median_growth(&self) -> f64 {
        self.growth
    }
}

use rand_core::Rng;
use rand_distr::{ChiSquared, Distribution, StandardNormal};

use super::{GrowthProcess, GrowthResponse, check_growth, check_volatility};
use crate::error::{Error, Result};

/// Lognormal growth whose parameters are themselves uncertain, as they are when
/// estimated from a short history: every path draws its own central log-growth μ (and,
/// given degrees of freedom, its own volatility σ) once, from the path's random stream,
/// and then grows lognormally with them.
///
/// With estimates `μ̂ = ln(1+ĝ)`, `SE(μ̂)` and `σ̂`:
///
/// * **fixed σ** (no degrees of freedom): `σ = σ̂`, `μ ~ Normal(μ̂, SE(μ̂)²)`;
/// * **uncertain σ** (`volatility_df` = ν, n − 1 for n intervals): `W ~ χ²_ν`,
///   `σ = σ̂·√(ν/W)` (so `σ² = ν·σ̂²/W`, the scaled-inverse-χ² posterior of σ² under the
///   usual non-informative prior — not `σ̂·√(W/ν)`, which is the sampling law of σ̂ given
///   σ), and `μ ~ Normal(μ̂, SE(μ̂)²·σ²/σ̂²)`, the posterior of μ given σ. Then μ on its
///   own is `μ̂ + SE(μ̂)·t_ν`, the Student-t statement of [`crate::calibrate`].
///
/// Then `r[t] = μ + σ·z[t]`. Over n years `ln(X[n]/X[0]) − n·μ̂` is
/// `√(nσ̂² + n²·SE(μ̂)²)` times a standard normal (fixed σ) or a Student-t with ν degrees
/// of freedom (uncertain σ; both terms scale with the same `√(ν/W)`), so
///
/// `P(X[n] ≥ K) = F((ln(X[0]/K) + n·μ̂) / √(nσ̂² + n²·SE(μ̂)²))`, F = Φ or `F_ν`
///
/// ([`analytic::p_reach_uncertain`](crate::analytic::p_reach_uncertain)). The growth
/// uncertainty adds a variance growing with n², so it dominates at long horizons. The
/// median path is still `X[0]·(1+ĝ)^t`.
///
/// `growth_se` is the standard error of ĝ (as in `calibration.csv`'s `growth_se_pct`);
/// it is converted to the log scale by the delta method, `SE(μ̂) = SE(ĝ)/(1+ĝ)`.
///
/// ```
/// use goalcast::process::{GrowthProcess, UncertainGrowth};
/// let p = UncertainGrowth::new(0.12, 0.02, 0.05, Some(4.0)).unwrap();
/// let mut rng = goalcast::sim::path_rng(1, "Hubei/rd_expenditure", 0);
/// let mut r = [0.0; 6];
/// p.sample_log_growth(&mut rng, &mut r);
/// assert!(r.iter().all(|x| x.is_finite()));
/// assert!(UncertainGrowth::new(0.12, -0.02, 0.05, None).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UncertainGrowth {
    growth: f64,
    mu: f64,
    growth_se: f64,
    mu_se: f64,
    sigma: f64,
    df: Option<f64>,
    chi2: Option<ChiSquared<f64>>,
}

impl UncertainGrowth {
    /// Central growth estimate `growth` (fraction, above −1), its standard error
    /// `growth_se` (≥ 0, a fraction), the volatility estimate `volatility` (≥ 0) and,
    /// optionally, the degrees of freedom of that estimate `volatility_df` (> 0; n − 1
    /// for n intervals), `None` to keep σ fixed.
    pub fn new(
        growth: f64,
        growth_se: f64,
        volatility: f64,
        volatility_df: Option<f64>,
    ) -> Result<Self> {
        check_growth(growth)?;
        check_volatility(volatility)?;
        if !(growth_se.is_finite() && growth_se >= 0.0) {
            return Err(Error::Parameter {
                name: "growth_se",
                value: growth_se,
                reason: "the standard error of the growth must be finite and non-negative".into(),
            });
        }
        let chi2 = match volatility_df {
            None => None,
            Some(df) => {
                let bad = || Error::Parameter {
                    name: "volatility_df",
                    value: df,
                    reason: "the degrees of freedom of the volatility must be finite and positive"
                        .into(),
                };
                if !(df.is_finite() && df > 0.0) {
                    return Err(bad());
                }
                Some(ChiSquared::new(df).map_err(|_| bad())?)
            }
        };
        Ok(UncertainGrowth {
            growth,
            mu: growth.ln_1p(),
            growth_se,
            mu_se: growth_se / (1.0 + growth),
            sigma: volatility,
            df: volatility_df,
            chi2,
        })
    }

    /// μ̂ = ln(1+ĝ).
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// SE(μ̂) = SE(ĝ)/(1+ĝ).
    pub fn mu_se(&self) -> f64 {
        self.mu_se
    }

    /// SE(ĝ), as given.
    pub fn growth_se(&self) -> f64 {
        self.growth_se
    }

    /// σ̂.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// One path's draw: W ~ χ²_ν (1 with σ fixed, unused), then u ~ N(0, 1).
    #[inline]
    fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> [f64; 2] {
        let w = match &self.chi2 {
            Some(chi2) => chi2.sample(rng),
            None => 1.0,
        };
        [w, StandardNormal.sample(rng)]
    }

    /// Degrees of freedom of σ̂ (`None`: σ fixed).
    pub fn volatility_df(&self) -> Option<f64> {
        self.df
    }
}

impl GrowthProcess for UncertainGrowth {
    #[inline]
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        let (mu, sigma) = self.path_affine(self.draw(rng));
        for x in buf.iter_mut() {
            *x = mu + sigma * *x;
        }
    }

    #[inline]
    fn path_draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Option<[f64; 2]> {
        Some(self.draw(rng))
    }

    /// The path's own central log-growth and volatility from its draw [W, u]:
    /// `μ̂ + SE(μ̂)·√(ν/W)·u` and `σ̂·√(ν/W)` (√(ν/W) is 1 with σ fixed).
    #[inline(always)]
    fn path_affine(&self, [w, u]: [f64; 2]) -> (f64, f64) {
        let ratio = match self.df {
            Some(df) => (df / w).sqrt(),
            None => 1.0,
        };
        (self.mu + self.mu_se * ratio * u, self.sigma * ratio)
    }

    fn growth_response(&self) -> Option<GrowthResponse> {
        Some(GrowthResponse::OwnCentral)
    }

    fn median_growth(&self) -> f64 {
        self.growth
    }
}

use rand_core::Rng;

use super::{
    GrowthProcess, GrowthResponse, Scale, check_growth, check_volatility, shift_and_scale,
};
use crate::error::{Error, Result};

/// A share that cannot pass an upper bound (100 for a percentage): its **odds**
/// `s / (U − s)` grow lognormally, so the share moves on the logit scale,
///
/// `L[t] = ln(s[t] / (U − s[t]))`, `L[t+1] = L[t] + ln(1+g) + σ·z[t]`, `s[t] = U / (1 + e^(−L[t]))`,
///
/// and stays strictly between 0 and U whatever the shocks ([`Scale::Logit`]).
///
/// **What g means.** g is the central (median) annual growth of the odds `s/(U − s)`.
/// While the share is far below the bound the odds are about `s/U`, so g is then the
/// share's own central growth (a share of 5 % growing by g = 10 % a year is about 5.5 %
/// a year later); as the share approaches U its growth slows to zero. The median path is
/// the logistic of the median logit path,
///
/// `median s[t] = U / (1 + e^(−(L[0] + t·ln(1+g))))`,
///
/// and [`BoundedShare::odds_growth_for`] gives the g that puts that median at a stated
/// share in a stated year ("the median share in 2030 is 60 %"). σ is the standard
/// deviation of the yearly change of the logit. Then
///
/// `P(s[n] ≥ K) = Φ((L[0] + n·ln(1+g) − ln(K/(U − K))) / (σ√n))`
///
/// ([`analytic::p_reach_bounded_share`](crate::analytic::p_reach_bounded_share)).
///
/// ```
/// use goalcast::process::{BoundedShare, GrowthProcess, Scale};
/// let p = BoundedShare::new(0.10, 0.15, 100.0).unwrap();
/// assert_eq!(p.scale(), Scale::Logit { upper: 100.0 });
/// // the odds growth that takes a 30 % share to a median of 50 % in 5 years
/// let g = BoundedShare::odds_growth_for(30.0, 50.0, 5, 100.0).unwrap();
/// assert!((g - (7.0f64 / 3.0).powf(0.2) + 1.0).abs() < 1e-12);
/// assert!(BoundedShare::new(0.10, 0.15, 0.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundedShare {
    growth: f64,
    drift: f64,
    sigma: f64,
    upper: f64,
}

impl BoundedShare {
    /// Central annual growth of the odds `growth` (fraction, above −1), standard
    /// deviation of the yearly change of the logit `volatility` (≥ 0), and the bound
    /// `upper` (> 0, finite; 100 for a share in percent).
    pub fn new(growth: f64, volatility: f64, upper: f64) -> Result<Self> {
        check_growth(growth)?;
        check_volatility(volatility)?;
        check_upper(upper)?;
        Ok(BoundedShare {
            growth,
            drift: growth.ln_1p(),
            sigma: volatility,
            upper,
        })
    }

    /// The odds growth g whose median path goes from `start` to `median_share` in
    /// `years` years under the bound `upper`:
    /// `g = exp((logit(median_share) − logit(start)) / years) − 1`, logit on the scale
    /// of `upper`. Both shares must lie strictly between 0 and `upper`.
    pub fn odds_growth_for(start: f64, median_share: f64, years: u32, upper: f64) -> Result<f64> {
        check_upper(upper)?;
        let scale = Scale::Logit { upper };
        let logit = |name: &'static str, v: f64| {
            scale.to_state(v).ok_or_else(|| Error::Parameter {
                name,
                value: v,
                reason: format!("a share must lie strictly between 0 and {upper}"),
            })
        };
        let (a, b) = (logit("start", start)?, logit("median_share", median_share)?);
        if years == 0 {
            return Err(Error::Parameter {
                name: "years",
                value: 0.0,
                reason: "the median must be stated at least one year ahead".into(),
            });
        }
        Ok(((b - a) / f64::from(years)).exp_m1())
    }

    /// Yearly drift of the logit, `ln(1+g)`.
    pub fn drift(&self) -> f64 {
        self.drift
    }

    /// Standard deviation σ of the yearly change of the logit.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// The bound U.
    pub fn upper(&self) -> f64 {
        self.upper
    }
}

fn check_upper(upper: f64) -> Result<()> {
    if upper.is_finite() && upper > 0.0 {
        Ok(())
    } else {
        Err(Error::Parameter {
            name: "upper",
            value: upper,
            reason: "the bound of a share must be finite and positive (100 for percent)".into(),
        })
    }
}

impl GrowthProcess for BoundedShare {
    #[inline]
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, _rng: &mut R, buf: &mut [f64]) {
        shift_and_scale(buf, self.drift, self.sigma);
    }

    #[inline(always)]
    fn affine_log_growth(&self) -> Option<(f64, f64)> {
        Some((self.drift, self.sigma))
    }

    fn growth_response(&self) -> Option<GrowthResponse> {
        Some(GrowthResponse::Uniform)
    }

    fn median_growth(&self) -> f64 {
        self.growth
    }

    fn scale(&self) -> Scale {
        Scale::Logit { upper: self.upper }
    }
}

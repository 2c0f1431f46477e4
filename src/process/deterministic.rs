use rand_core::Rng;

use super::{GrowthProcess, GrowthResponse};
use crate::error::{Error, Result};

/// Compound growth at a fixed annual rate g: `X[t] = X[0] · (1+g)^t`.
///
/// ```
/// use goalcast::process::DeterministicGrowth;
/// assert!(DeterministicGrowth::new(0.14).is_ok());
/// assert!(DeterministicGrowth::new(-1.5).is_err()); // a level cannot fall below zero
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeterministicGrowth {
    growth: f64,
    log_growth: f64,
}

impl DeterministicGrowth {
    /// A process growing at `growth` a year (a fraction: 0.14 for 14 %); must exceed −1.
    pub fn new(growth: f64) -> Result<Self> {
        if !growth.is_finite() || growth <= -1.0 {
            return Err(Error::Parameter {
                name: "growth",
                value: growth,
                reason: "must be a finite fraction above -1 (a fall of less than 100 %)".into(),
            });
        }
        Ok(DeterministicGrowth {
            growth,
            log_growth: growth.ln_1p(),
        })
    }
}

impl GrowthProcess for DeterministicGrowth {
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, _rng: &mut R, buf: &mut [f64]) {
        buf.fill(self.log_growth);
    }

    fn uses_shocks(&self) -> bool {
        false
    }

    fn growth_response(&self) -> Option<GrowthResponse> {
        Some(GrowthResponse::Uniform)
    }

    fn median_growth(&self) -> f64 {
        self.growth
    }
}

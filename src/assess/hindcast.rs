//! Goals already decided, forecast as goalcast would have forecast them: for every goal
//! that published figures settle (met or missed, [`super::settle`]), the probability a
//! run as of the goal's base year gives it, beside the deterministic rule's call (its
//! central growth against the growth the goal required), each scored by Brier against
//! what happened.

use super::{Assessment, assess};
use crate::io::catalogue::Catalogue;
use crate::scenario::Scenario;
use crate::sim::RunSettings;
use crate::target::{Comparator, Unsimulated};

/// One settled goal, forecast from its base year.
#[derive(Debug, Clone, PartialEq)]
pub struct Hindcast {
    /// Target id.
    pub target: String,
    /// The year the forecast is as of: the goal's base year (its deadline less five
    /// years when it has none).
    pub as_of: i32,
    /// goalcast's probability then.
    pub p_reach: f64,
    /// The deterministic rule's call then: central growth at least the growth required
    /// (at most, for an "at most" goal).
    pub deterministic_met: bool,
    /// What happened.
    pub met: bool,
}

impl Hindcast {
    /// `(p − outcome)²` of goalcast and of the deterministic call.
    pub fn brier(&self) -> (f64, f64) {
        let y = f64::from(u8::from(self.met));
        (
            (self.p_reach - y).powi(2),
            (f64::from(u8::from(self.deterministic_met)) - y).powi(2),
        )
    }
}

/// The hindcast of every goal of `catalogue` that `now` (its assessment on all figures)
/// settles and that a run as of its base year simulates; second, the as-of years whose
/// run could not be made (e.g. a calibrated indicator with too little history then),
/// with the reason.
pub fn hindcasts(
    catalogue: &Catalogue,
    scenario: &Scenario,
    now: &Assessment,
    settings: RunSettings,
) -> (Vec<Hindcast>, Vec<(i32, String)>) {
    let mut out = Vec::new();
    let mut failed = Vec::new();
    let mut years: Vec<i32> = now
        .targets
        .iter()
        .filter(|t| t.settled.is_some())
        .map(|t| t.target.base_year.unwrap_or(t.target.deadline - 5))
        .collect();
    years.sort_unstable();
    years.dedup();
    for year in years {
        let then = match assess(&catalogue.clone().as_of(year), scenario, settings) {
            Ok(a) => a,
            Err(e) => {
                failed.push((year, e.to_string()));
                continue;
            }
        };
        for (t_now, t_then) in now.targets.iter().zip(&then.targets) {
            let Some(settled) = &t_now.settled else {
                continue;
            };
            if t_now.target.base_year.unwrap_or(t_now.target.deadline - 5) != year {
                continue;
            }
            let Ok(e) = &t_then.result else { continue };
            let Some(required) = e.required_growth else {
                continue;
            };
            let g = e.assumption.model.median_growth();
            out.push(Hindcast {
                target: t_now.target.id.clone(),
                as_of: year,
                p_reach: e.p_reach,
                deterministic_met: match t_now.target.comparator {
                    Comparator::AtLeast => g >= required,
                    Comparator::AtMost => g <= required,
                },
                met: settled.status == Unsimulated::AlreadyMet,
            });
        }
    }
    (out, failed)
}

//! The analysis from one simulation: every path's critical shift of central growth
//! ([`crate::sim::Simulator::critical_shifts`]) gives the growth needed for any chance,
//! and the chance at any growth, without re-running the paths.

use rayon::slice::ParallelSliceMut;

use super::required::GROWTH_BRACKET;
use super::{Goal, RequiredGrowth};
use crate::error::Result;
use crate::process::{GrowthProcess, GrowthResponse, Model};
use crate::sim::{CheckCounts, Response, RunSettings, Simulator};
use crate::stats::proportion_se;
use crate::target::Comparator;

/// The shift of central log-growth at which the probe run of an uncertain-parameter
/// model measures each path's own q (see [`crate::process::GrowthResponse::OwnCentral`]):
/// large enough that rounding does not matter, small enough that every model accepts it.
const PROBE_SHIFT: f64 = -0.5;

/// Points of a growth curve at most (one more than its steps).
pub const CURVE_MAX_STEPS: usize = 100;

/// The round steps of a growth curve's grid, in percentage points, smallest first.
pub const CURVE_STEPS_PCT: [f64; 9] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0];

/// Every path's critical shift of one goal, sorted: the smallest change δ of central
/// log-growth `μ = ln(1+g)` at which the path meets the goal (for `≤` goals the
/// largest), so that under common random numbers the share of paths meeting it at
/// `μ₀ + δ` is the empirical distribution function of the shifts at δ (for `≥`; its
/// complement from above for `≤`). Memory: 8 bytes per path.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticalShifts {
    /// The model's central log-growth `μ₀ = ln(1+g₀)`.
    pub log_growth: f64,
    /// The goal's side.
    pub comparator: Comparator,
    /// One shift per path, ascending (`±∞` for a path whose shift lies beyond
    /// [`GROWTH_BRACKET`]).
    pub shifts: Vec<f64>,
    /// Paths meeting the goal at the model's own growth, as the engine tallies them on
    /// the same pass (the base probability's numerator).
    pub met: u64,
}

/// One point of a growth curve: the chance of the goal at one central growth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    /// Central annual growth, as a fraction.
    pub growth: f64,
    /// The share of paths meeting the goal at that growth.
    pub probability: f64,
    /// Its Monte Carlo standard error, `√(p(1−p)/N)`.
    pub se: f64,
}

/// The goal's probability as a function of central growth.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthCurve {
    /// Points in increasing growth: every multiple of the step (the smallest of
    /// [`CURVE_STEPS_PCT`] giving at most [`CURVE_MAX_STEPS`] steps) from the growth
    /// that gives a 1 % chance to the one that gives 99 %, both rounded outwards to the
    /// step and kept within [`GROWTH_BRACKET`].
    pub points: Vec<CurvePoint>,
}

/// The critical shift of every path of `goal` under `settings`, when the model says how
/// its paths move with central growth ([`GrowthProcess::growth_response`]); `None`
/// otherwise (the caller then re-runs the paths). One pass over the paths (two for the
/// uncertain-parameter model, whose paths' own q is measured on a probe run).
pub fn critical_shifts(goal: &Goal, settings: RunSettings) -> Result<Option<CriticalShifts>> {
    goal.validate()?;
    let shifts = critical_shifts_of(&goal.simulator(&goal.model, settings), &goal.model, 0)?;
    Ok(shifts.map(|(shifts, _)| shifts))
}

/// The critical shifts of check `check` of `sim`, whose checked indicator (a ratio's
/// numerator) follows `model`: what [`critical_shifts`] does for one goal, for a group of
/// jointly simulated indicators; with the tallies of every check of `sim` on the same
/// paths ([`Simulator::run`]'s). `None` when the model does not say how its paths move
/// with central growth.
pub fn critical_shifts_of(
    sim: &Simulator<'_, Model>,
    model: &Model,
    check: usize,
) -> Result<Option<(CriticalShifts, Vec<CheckCounts>)>> {
    let log_growth = model.median_growth().ln_1p();
    let range = (
        GROWTH_BRACKET.0.ln_1p() - log_growth - 1.0,
        GROWTH_BRACKET.1.ln_1p() - log_growth + 1.0,
    );
    let probe: Model;
    let response = match model.growth_response() {
        None => return Ok(None),
        Some(GrowthResponse::Uniform) => Response::Uniform,
        Some(GrowthResponse::OwnCentral) => {
            probe = model.with_median_growth((log_growth + PROBE_SHIFT).exp_m1())?;
            Response::OwnCentral {
                probe: &probe,
                delta: probe.median_growth().ln_1p() - log_growth,
            }
        }
    };
    let (mut shifts, counts) = sim.critical_shifts(check, response, range.0..=range.1)?;
    shifts.par_sort_unstable_by(f64::total_cmp);
    let comparator = sim.checks()[check].comparator;
    let shifts = CriticalShifts {
        log_growth,
        comparator,
        met: counts[check].at_deadline,
        shifts,
    };
    Ok(Some((shifts, counts)))
}

impl CriticalShifts {
    fn paths(&self) -> usize {
        self.shifts.len()
    }

    /// The share of paths meeting the goal at the model's own growth: the engine's
    /// count, not read from the shifts.
    pub fn base_probability(&self) -> f64 {
        self.met as f64 / self.paths() as f64
    }

    /// Paths meeting the goal at the central log-growth `μ₀ + delta`.
    fn meeting(&self, delta: f64) -> usize {
        match self.comparator {
            Comparator::AtLeast => self.shifts.partition_point(|&c| c <= delta),
            Comparator::AtMost => self.paths() - self.shifts.partition_point(|&c| c < delta),
        }
    }

    /// The share of paths meeting the goal at central growth `growth` (a fraction): what
    /// re-running the paths with [`Model::with_median_growth`]`(growth)` counts.
    pub fn probability_at(&self, growth: f64) -> f64 {
        self.meeting(growth.ln_1p() - self.log_growth) as f64 / self.paths() as f64
    }

    /// The central growth at which the share of paths meeting the goal first reaches
    /// `p` (for `≤` goals: the highest such growth), as bisection on re-runs finds it
    /// ([`super::required_growth_by_bisection`], to its tolerance): with k the smallest
    /// count of paths whose share is at least p, the k-th smallest shift (`≥`) or the
    /// k-th largest (`≤`). `None` outside [`GROWTH_BRACKET`], as there.
    pub fn required(&self, p: f64) -> RequiredGrowth {
        let n = self.paths();
        let share = |k: usize| k as f64 / n as f64;
        // The smallest k with k/N ≥ p, in the same floating-point comparison as the
        // bisection's.
        let mut k = ((p * n as f64).ceil() as usize).min(n + 1);
        while k > 0 && share(k - 1) >= p {
            k -= 1;
        }
        while k <= n && share(k) < p {
            k += 1;
        }
        let (lo, hi) = (
            GROWTH_BRACKET.0.ln_1p() - self.log_growth,
            GROWTH_BRACKET.1.ln_1p() - self.log_growth,
        );
        let growth = (1..=n).contains(&k).then(|| match self.comparator {
            Comparator::AtLeast => self.shifts[k - 1],
            Comparator::AtMost => self.shifts[n - k],
        });
        let inside = |d: f64| match self.comparator {
            Comparator::AtLeast => d > lo && d <= hi,
            Comparator::AtMost => d >= lo && d < hi,
        };
        RequiredGrowth {
            probability: p,
            growth: growth
                .filter(|&d| inside(d))
                .map(|d| (self.log_growth + d).exp_m1()),
        }
    }

    /// The goal's probability on a grid of central growth (see [`GrowthCurve`]).
    pub fn curve(&self) -> GrowthCurve {
        let (bottom, top) = (GROWTH_BRACKET.0, GROWTH_BRACKET.1);
        // Where the chance passes 1 % and 99 % (either side): the 1st and 99th
        // percentiles of the shifts, as growth, within the bracket.
        let n = self.paths();
        let at = |p: f64| {
            let d = self.shifts[((p * n as f64) as usize).min(n - 1)];
            (self.log_growth + d).exp_m1().clamp(bottom, top)
        };
        let (a, b) = (at(0.01), at(0.99));
        let step = CURVE_STEPS_PCT
            .iter()
            .map(|s| s / 100.0)
            .find(|s| (b - a) / s <= (CURVE_MAX_STEPS - 2) as f64)
            .unwrap_or(CURVE_STEPS_PCT[CURVE_STEPS_PCT.len() - 1] / 100.0);
        let first = ((a / step).floor() - 1.0).max((bottom / step).ceil()) as i64;
        let last = ((b / step).ceil() + 1.0).min((top / step).floor()) as i64;
        let n = self.paths() as u64;
        GrowthCurve {
            points: (first..=last)
                .map(|i| {
                    let growth = i as f64 * step;
                    let probability = self.probability_at(growth);
                    CurvePoint {
                        growth,
                        probability,
                        se: proportion_se(probability, n),
                    }
                })
                .collect(),
        }
    }
}

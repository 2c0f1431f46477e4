//! Each path's *critical shift*: the smallest change δ of the central log-growth
//! `μ = ln(1+g)` at which the path meets a goal (for `≤` goals the largest), from one
//! pass over the paths.
//!
//! Under common random numbers a change δ of μ moves a path's state (log-level, or logit
//! of a bounded share) at step s by `c_s·h(δ)`, with `c_s = s − offset` the years the
//! path has moved by then, and `h(δ) = δ` for every process but the uncertain-parameter
//! one, where `h(δ) = δ + q·(e^{−δ} − 1)` with the path's own q
//! ([`crate::process::GrowthResponse`]). So, with the path's states `L_s` at δ = 0 and
//! the threshold K (in state units, moved by the comparison tolerance in the goal's
//! favour, as the tally compares):
//!
//! | measure | path meets (for `≥`) | critical h |
//! |---|---|---|
//! | level at the deadline D | `L_D + c_D·h ≥ K` | `(K − L_D)/c_D` |
//! | every year s of the window | all s | `max_s (K − L_s)/c_s` (`min` for `≤`) |
//! | growth from a simulated base year b | `L_D − L_b + (c_D − c_b)·h ≥ ln f` | `(ln f − L_D + L_b)/(D − b)` |
//! | every year's growth | `L_s − L_{s−1} + h ≥ ln f` for all s | `max_s (ln f − L_s + L_{s−1})` (`min` for `≤`) |
//! | running total | `Σ_s level(L_s + c_s·h) ≥ K` | the root, by safeguarded Newton |
//! | ratio N/D at the deadline (N's growth moved) | `L^N_D − L^D_D + c^N_D·h ≥ ln K` | `(ln K − L^N_D + L^D_D)/c^N_D` (from a base year b: as for growth) |
//!
//! and the critical δ is h itself, or `h⁻¹` of it (safeguarded Newton, on the branch
//! where h increases). Memory: 8 bytes per path (one `f64`), besides what the run itself needs.

use rayon::prelude::*;

use super::{Kernel, Prepared, merge_counts};
use crate::error::{Result, SimulationError as Invalid};
use crate::process::{GrowthProcess, Scale};
use crate::sim::engine::{CHUNK_PATHS, CheckCounts, CheckThreshold, Measure, Member, Simulator};
use crate::sim::memory;

/// How a change δ of the central log-growth moves the shifted indicator's paths (see
/// [`crate::process::GrowthResponse`]).
#[derive(Debug, Clone, Copy)]
pub enum Response<'p, P> {
    /// Every yearly log-growth moves by δ: `h(δ) = δ`.
    Uniform,
    /// `h(δ) = δ + q·(e^{−δ} − 1)` with each path's own q, measured on the same paths of
    /// `probe`: the same process with its central log-growth moved by `delta` (≠ 0).
    OwnCentral {
        /// The process re-built with its central log-growth moved by `delta`.
        probe: &'p P,
        /// The shift of `probe`'s central log-growth, `ln(1+g₁) − ln(1+g₀)`.
        delta: f64,
    },
}

impl<'p, P: GrowthProcess> Simulator<'p, P> {
    /// Per path (in path order), the critical shift of check `check` for the indicator
    /// it concerns: the smallest δ (for `≥`; largest for `≤`) of its central log-growth
    /// at which the path meets the goal at the deadline (for every-year measures: in
    /// every year of the window), as the tally counts it. A path meets at δ iff
    /// `δ ≥ c` (`≥` goals) or `δ ≤ c` (`≤` goals). Values are exact for
    /// [`Response::Uniform`] and measures with a closed form; where a root is solved for
    /// (running totals, [`Response::OwnCentral`]) δ is searched within `range`, and a
    /// root below it is `−∞`, above it `+∞`. Also returns the tallies of every check of
    /// the run at the model's own growth, as [`Simulator::run`] counts them on the same
    /// paths.
    ///
    /// For a ratio of two indicators the numerator's central growth is the one moved.
    /// Errors as [`Simulator::run`], and when the 8 bytes per path do not fit in memory.
    ///
    /// ```
    /// use goalcast::process::LogNormalGrowth;
    /// use goalcast::sim::{Check, CheckThreshold, Measure, Response, Simulator};
    /// use goalcast::target::Comparator;
    ///
    /// let process = LogNormalGrowth::new(0.10, 0.05).unwrap();
    /// let check = Check {
    ///     measure: Measure::Level(0),
    ///     comparator: Comparator::AtLeast,
    ///     threshold: CheckThreshold::Level(150.0),
    ///     from_step: 4,
    ///     deadline_step: 4,
    /// };
    /// let sim = Simulator::new(&process, 100.0, 4).paths(1000).quantiles(&[]).check(check);
    /// let (shifts, counts) = sim.critical_shifts(0, Response::Uniform, -3.0..=2.0)?;
    /// let met = sim.run()?.checks[0].at_deadline;
    /// assert_eq!(shifts.iter().filter(|&&c| c <= 0.0).count() as u64, met);
    /// assert_eq!(counts[0].at_deadline, met);
    /// # Ok::<(), goalcast::Error>(())
    /// ```
    pub fn critical_shifts(
        &self,
        check: usize,
        response: Response<'p, P>,
        range: std::ops::RangeInclusive<f64>,
    ) -> Result<(Vec<f64>, Vec<CheckCounts>)> {
        self.validate()?;
        let Some(c) = self.checks.get(check) else {
            return Err(Invalid::UnknownCheck {
                check,
                checks: self.checks.len(),
            }
            .into());
        };
        let n = usize::try_from(self.paths).map_err(|_| Invalid::TooManyPaths)?;
        let needed = memory::critical_bytes(self.paths);
        let available = memory::available();
        if !matches!((needed, available), (Some(b), Some(a)) if b <= a)
            && !matches!((needed, available), (Some(_), None))
        {
            return Err(Invalid::TooMuchMemory {
                needed,
                available,
                paths: self.paths,
            }
            .into());
        }
        let kernel = Kernel::new(self);
        let probe = match response {
            Response::Uniform => None,
            Response::OwnCentral { probe, delta } => {
                let i = c.measure.indicators()[0];
                let members = self
                    .members
                    .iter()
                    .enumerate()
                    .map(|(j, m)| Member {
                        process: if j == i { probe } else { m.process },
                        scale: if j == i { probe.scale() } else { m.scale },
                        ..*m
                    })
                    .collect();
                let sim = Simulator {
                    members,
                    cholesky: self.cholesky.clone(),
                    checks: self.checks.clone(),
                    probs: self.probs.clone(),
                    ..*self
                };
                Some((sim, delta))
            }
        };
        let probe_kernel = probe
            .as_ref()
            .map(|(sim, delta)| (Kernel::new(sim), (*delta, 1.0 / (-delta).exp_m1())));
        let prepared = kernel.prepared[check];
        let range = (*range.start(), *range.end());
        let mut out = vec![0.0; n];
        // Per chunk: its paths' shifts in place, its integer tallies returned and added.
        let counts = out
            .par_chunks_mut(CHUNK_PATHS)
            .enumerate()
            .map_init(
                || (kernel.scratch(), kernel.scratch()),
                |(scratch, probe_scratch), (chunk, out)| {
                    let mut counts = kernel.zero_counts();
                    kernel.chunk(
                        (chunk * CHUNK_PATHS)..((chunk + 1) * CHUNK_PATHS).min(n),
                        scratch,
                        &mut counts,
                        #[inline(always)]
                        |lanes, at, len| {
                            let first = (chunk * CHUNK_PATHS + at) as u64;
                            let own = probe_kernel.as_ref().map(|(k, delta)| {
                                k.draw(first, probe_scratch);
                                (&probe_scratch.lanes[..], *delta)
                            });
                            for p in 0..len {
                                let q = own.map(|(moved, delta)| {
                                    kernel.own_q(&prepared, lanes, moved, delta, p)
                                });
                                out[at + p] = kernel.critical(&prepared, lanes, p, q, range);
                            }
                        },
                    );
                    counts
                },
            )
            .reduce(|| kernel.zero_counts(), merge_counts);
        Ok((out, counts))
    }
}

impl<P: GrowthProcess> Kernel<'_, '_, P> {
    /// The years indicator `i` has moved by step `s`.
    fn moved(&self, i: usize, s: usize) -> f64 {
        s.saturating_sub(self.sim.members[i].offset) as f64
    }

    /// Path p's own q (see [`Response::OwnCentral`]) from its last state under the
    /// probe: `L' − L = c·h(delta)`.
    fn own_q(
        &self,
        prepared: &Prepared,
        lanes: &[f64],
        moved: &[f64],
        (delta, delta_factor): (f64, f64),
        p: usize,
    ) -> f64 {
        let i = prepared.check.measure.indicators()[0];
        let t = self.sim.years;
        let at = (i * (t + 1) + t) * super::LANES + p;
        let h = (moved[at] - lanes[at]) / self.moved(i, t);
        (h - delta) * delta_factor
    }

    /// Path p's critical shift of one check (module docs), `q` its own q under
    /// [`Response::OwnCentral`].
    fn critical(
        &self,
        prepared: &Prepared,
        lanes: &[f64],
        p: usize,
        q: Option<f64>,
        (lo, hi): (f64, f64),
    ) -> f64 {
        let c = &prepared.check;
        let (k, at_least) = (prepared.log_threshold, prepared.at_least);
        let state = |i: usize, s: usize| lanes[(i * (self.sim.years + 1) + s) * super::LANES + p];
        let window = c.from_step..=c.deadline_step;
        // The critical h of every measure but running totals, and how it combines over
        // the years of an every-year window.
        let extreme = |values: &mut dyn Iterator<Item = f64>| {
            if at_least {
                values.fold(f64::NEG_INFINITY, f64::max)
            } else {
                values.fold(f64::INFINITY, f64::min)
            }
        };
        let h = match (c.measure, c.threshold) {
            (Measure::Level(i), CheckThreshold::Level(_)) => {
                let d = c.deadline_step;
                (k - state(i, d)) / self.moved(i, d)
            }
            (Measure::EveryYear(i), _) => {
                extreme(&mut window.map(|s| (k - state(i, s)) / self.moved(i, s)))
            }
            (Measure::Level(i), CheckThreshold::Relative { step, .. }) => {
                let d = c.deadline_step;
                (k - state(i, d) + state(i, step)) / (self.moved(i, d) - self.moved(i, step))
            }
            (Measure::EveryYearGrowth(i), _) => {
                extreme(&mut window.map(|s| k - state(i, s) + state(i, s - 1)))
            }
            (Measure::Cumulative(i), _) => {
                let scale = self.scales[i];
                let total = |delta: f64| {
                    let (h, slope) = response_at(q, delta);
                    window
                        .clone()
                        .fold((-prepared.level_threshold, 0.0), |(v, d), s| {
                            let moved = self.moved(i, s);
                            let x = state(i, s) + moved * h;
                            let (level, dlevel) = level_and_slope(scale, x);
                            (v + level, d + dlevel * moved * slope)
                        })
                };
                let lo = q.map_or(lo, |q| lo.max(branch_start(q)));
                // f(δ) = total − K increases: a `≥` goal is met from its root up, a `≤`
                // goal up to it.
                return root(total, lo, hi, 0.0);
            }
            (
                Measure::Ratio {
                    numerator: i,
                    denominator,
                },
                threshold,
            ) => {
                let d = c.deadline_step;
                let ratio = |s: usize| state(i, s) - state(denominator, s);
                match threshold {
                    CheckThreshold::Level(_) => (k - ratio(d)) / self.moved(i, d),
                    CheckThreshold::Relative { step, .. } => {
                        (k - ratio(d) + ratio(step)) / (self.moved(i, d) - self.moved(i, step))
                    }
                }
            }
        };
        match q {
            None => h,
            Some(q) => {
                let lo = lo.max(branch_start(q));
                let f = |delta: f64| {
                    let (v, slope) = response_at(Some(q), delta);
                    (v - h, slope)
                };
                // Newton from the first-order guess converges in a few steps on the
                // branch where h increases; anything else goes to the safeguarded root.
                let mut x = h - q * ((-h).exp() - 1.0);
                for _ in 0..6 {
                    let (v, slope) = f(x);
                    if slope.is_nan() || slope <= 0.0 {
                        break;
                    }
                    let step = v / slope;
                    x -= step;
                    if step.abs() <= 1e-15 * x.abs().max(1.0) {
                        if x > lo && x < hi {
                            return x;
                        }
                        break;
                    }
                }
                root(f, lo, hi, h)
            }
        }
    }
}

/// `h(δ)` and `h′(δ)` (see [`Response`]): `(δ, 1)` without q.
fn response_at(q: Option<f64>, delta: f64) -> (f64, f64) {
    match q {
        None => (delta, 1.0),
        Some(q) => {
            let e = (-delta).exp();
            (delta + q * (e - 1.0), 1.0 - q * e)
        }
    }
}

/// Where `h` starts to increase: `ln q` for q > 0 (its minimum), nowhere below for
/// q ≤ 0.
fn branch_start(q: f64) -> f64 {
    if q > 0.0 { q.ln() } else { f64::NEG_INFINITY }
}

/// A level and its derivative in the state, on `scale`.
fn level_and_slope(scale: Scale, x: f64) -> (f64, f64) {
    let level = scale.to_level(x);
    match scale {
        Scale::Log => (level, level),
        Scale::Logit { upper } => (level, level * (1.0 - level / upper)),
    }
}

/// The root in `[lo, hi]` of an increasing `f` (returning its value and slope), by
/// Newton's method from `guess`, kept inside the shrinking bracket (a step that would
/// leave it bisects instead). `−∞` when `f(lo) ≥ 0`, `+∞` when `f(hi) < 0`.
fn root(f: impl Fn(f64) -> (f64, f64), mut lo: f64, mut hi: f64, guess: f64) -> f64 {
    if lo > hi || f(lo).0 >= 0.0 {
        return f64::NEG_INFINITY;
    }
    if f(hi).0 < 0.0 {
        return f64::INFINITY;
    }
    let mut x = if guess > lo && guess < hi {
        guess
    } else {
        0.5 * (lo + hi)
    };
    for _ in 0..200 {
        let (v, slope) = f(x);
        if v < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - v / slope;
        let next = if newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 1e-15 * x.abs().max(1.0) || hi - lo <= 1e-15 * x.abs().max(1.0) {
            return next;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::root;

    #[test]
    fn root_finds_crossings_and_reports_ones_outside_the_bracket() {
        let f = |x: f64| (x * x * x + x - 2.0, 3.0 * x * x + 1.0);
        assert!((root(f, -5.0, 5.0, 0.0) - 1.0).abs() < 1e-14);
        assert_eq!(root(f, 2.0, 5.0, 3.0), f64::NEG_INFINITY);
        assert_eq!(root(f, -5.0, 0.5, 0.0), f64::INFINITY);
    }
}

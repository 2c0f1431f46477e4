//! Share goals on their own scale: the fan of the share (numerator / denominator on the
//! group's joint paths), the numerator growth a chance takes, and the progress
//! categories of the share.

use ndarray::Array2;

use super::Group;
use crate::analysis::{
    CriticalShifts, DEFAULT_PROBABILITIES, GrowthCurve, ProgressOutlook, ProgressSetup,
    RequiredGrowth, critical_shifts_of, solve_log_growth,
};
use crate::assess::plan::Plan;
use crate::assess::{QUANTILE_PROBS, SHARE_FAN_PATHS, ShareOutcome};
use crate::error::Result;
use crate::process::{GrowthProcess, Model};
use crate::sim::{Check, CheckThreshold, Measure, QuantileMode};
use crate::stats::quantiles_type7;
use crate::target::{Comparator, Threshold};

impl Group<'_> {
    /// The share of plan `p` (numerator `a`, denominator `b`, catalogue positions) in
    /// every year from the later of their start years: quantiles over the first
    /// [`SHARE_FAN_PATHS`] paths of the group's own simulation (same seed and stream, so
    /// the same paths as the probabilities are counted on).
    pub(super) fn share_fan(&self, p: &Plan, a: usize, b: usize) -> Result<ShareOutcome> {
        let (sa, sb) = (self.slot(a), self.slot(b));
        let paths = self.settings.paths.min(SHARE_FAN_PATHS);
        let out = self
            .simulator(&self.models, self.cholesky.as_ref())
            .paths(paths)
            .quantile_mode(QuantileMode::Exact)
            .quantiles(&[])
            .keep_paths(true)
            .run()?;
        let states = out.log_levels.expect("kept in exact mode");
        let (scale_a, scale_b) = (self.models[sa].scale(), self.models[sb].scale());
        let first = self.starts[sa].year.max(self.starts[sb].year);
        let years: Vec<i32> = (first..=self.horizon).collect();
        let start_share = self.starts[sa].value / self.starts[sb].value;
        let mut quantiles = Array2::zeros((years.len(), QUANTILE_PROBS.len()));
        for (row, &year) in years.iter().enumerate() {
            let step = self.step(year);
            let q = if step == 0 {
                vec![start_share; QUANTILE_PROBS.len()]
            } else {
                let (num, den) = (
                    states.slice(ndarray::s![sa, step - 1, ..]),
                    states.slice(ndarray::s![sb, step - 1, ..]),
                );
                let mut shares: Vec<f64> = num
                    .iter()
                    .zip(den.iter())
                    .map(|(&x, &y)| scale_a.to_level(x) / scale_b.to_level(y))
                    .collect();
                quantiles_type7(&mut shares, &QUANTILE_PROBS)
            };
            quantiles
                .row_mut(row)
                .assign(&ndarray::ArrayView1::from(&q[..]));
        }
        let catalogue = self.catalogue;
        Ok(ShareOutcome {
            target: catalogue.targets[p.target].id.clone(),
            numerator: catalogue.indicators[a].key.clone(),
            denominator: catalogue.indicators[b].key.clone(),
            years,
            quantiles,
            paths: out.paths,
        })
    }

    /// P(check `which` holds at its deadline) on the group's paths under `models`.
    pub(super) fn share_probability(
        &self,
        models: &[Model],
        cholesky: Option<&Array2<f64>>,
        which: usize,
    ) -> Result<f64> {
        let out = self.simulate(models, cholesky, &[])?;
        Ok(out.checks[which].at_deadline as f64 / out.paths as f64)
    }

    /// The central growth of the numerator (slot `a` of the group) at which the share
    /// goal (check `which`) is met with each of the [`DEFAULT_PROBABILITIES`], the
    /// denominator held at its assumption, on the group's own paths (common random
    /// numbers), as [`crate::analysis::required_growth`] does for one indicator: from the
    /// paths' critical shifts, with the goal's chance against the numerator's growth
    /// (its growth curve); else by bisection in log-growth, without a curve. A `≥` share
    /// rises with its numerator's growth, a `≤` share falls.
    pub(super) fn share_growth_needed(
        &self,
        p: &Plan,
        which: usize,
        a: usize,
    ) -> Result<(Vec<RequiredGrowth>, Option<GrowthCurve>)> {
        if let Some(shifts) = self.share_shifts(which, a)? {
            let needed = DEFAULT_PROBABILITIES
                .iter()
                .map(|&p| shifts.required(p))
                .collect();
            return Ok((needed, Some(shifts.curve())));
        }
        let increasing = p.comparator == Comparator::AtLeast;
        let p_at = |mu: f64| -> Result<f64> {
            let mut models = self.models.clone();
            models[a] = models[a].with_median_growth(mu.exp_m1())?;
            self.share_probability(&models, self.cholesky.as_ref(), which)
        };
        let needed = DEFAULT_PROBABILITIES
            .iter()
            .map(|&probability| {
                Ok(RequiredGrowth {
                    probability,
                    growth: solve_log_growth(probability, increasing, p_at)?.map(f64::exp_m1),
                })
            })
            .collect::<Result<_>>()?;
        Ok((needed, None))
    }

    /// Every path's critical shift of the numerator's (slot `a`) central growth for the
    /// share goal of check `which`, on the group's paths; `None` when the numerator's
    /// model does not say how its paths move.
    fn share_shifts(&self, which: usize, a: usize) -> Result<Option<CriticalShifts>> {
        let sim = self
            .checks
            .iter()
            .fold(
                self.simulator(&self.models, self.cholesky.as_ref()),
                |sim, &c| sim.check(c),
            )
            .quantile_mode(self.settings.quantiles)
            .quantiles(&[]);
        Ok(critical_shifts_of(&sim, &self.models[a], which)?.map(|(shifts, _)| shifts))
    }

    /// The progress categories of a share goal with a fixed threshold K: the share's
    /// actual compound growth against the growth `(K/S₀)^{1/T} − 1` it requires, from
    /// its start `S₀` (the later of the two start years) to the deadline, each
    /// category boundary one more ratio check on the group's paths. The central growth
    /// is that of the ratio, `(1+g_N)/(1+g_D) − 1`. `None` for a share measured from a
    /// simulated base year.
    pub(super) fn share_progress(
        &self,
        p: &Plan,
        a: usize,
        b: usize,
    ) -> Result<Option<ProgressOutlook>> {
        let Threshold::Level(k) = p.threshold else {
            return Ok(None);
        };
        let first = self.starts[a].year.max(self.starts[b].year);
        let Some(years) = usize::try_from(p.deadline - first).ok().filter(|&n| n > 0) else {
            return Ok(None);
        };
        let s0 = self.starts[a].value / self.starts[b].value;
        let setup = ProgressSetup::new(k / s0, years, p.comparator);
        let measure = Measure::Ratio {
            numerator: a,
            denominator: b,
        };
        let deadline_step = self.step(p.deadline);
        let goal = Check {
            measure,
            comparator: p.comparator,
            threshold: CheckThreshold::Level(k),
            from_step: deadline_step,
            deadline_step,
        };
        let sim = std::iter::once(goal)
            .chain(setup.boundaries().into_iter().map(|f| Check {
                measure,
                comparator: setup.toward,
                threshold: CheckThreshold::Level(s0 * f),
                from_step: deadline_step,
                deadline_step,
            }))
            .fold(
                self.simulator(&self.models, self.cholesky.as_ref())
                    .quantiles(&[]),
                |sim, c| sim.check(c),
            );
        let out = sim.run()?;
        let counts: Vec<u64> = out.checks.iter().map(|c| c.at_deadline).collect();
        let central =
            (1.0 + self.models[a].median_growth()) / (1.0 + self.models[b].median_growth()) - 1.0;
        Ok(Some(setup.outlook(central, &counts, out.paths)))
    }
}

//! Simulating one group of jointly simulated indicators and turning its counts into
//! the figures of each target: the probability, its standard error, the closed form,
//! the growth it would take and, when asked, the analysis.

use std::collections::BTreeMap;

use ndarray::Array2;

use super::plan::{Plan, PlanMeasure, is_count};
use super::{Evaluation, IndicatorOutcome, ShareOutcome};
use crate::analysis::{Goal, Sensitivity, SensitivityRow, Shifts, TargetAnalysis, analyse};
use crate::analytic::required_growth;
use crate::error::Result;
use crate::indicator::{Indicator, IndicatorKey, Observation};
use crate::io::catalogue::Catalogue;
use crate::process::Model;
use crate::scenario::{Assumption, Scenario};
use crate::sim::{
    Check, CheckThreshold, Measure, RunSettings, Sharding, SimulationOutput, Simulator,
};
use crate::stats::proportion_se;
use crate::target::{Comparator, Threshold};

mod share;

/// The reported quantiles' probabilities (5, 25, 50, 75, 95 %).
use super::QUANTILE_PROBS;

/// What a group's simulation gives: each target's evaluation and each indicator's fan,
/// by catalogue position.
pub(super) type GroupResults = (
    Vec<(usize, Evaluation)>,
    Vec<(usize, IndicatorOutcome)>,
    Vec<(usize, ShareOutcome)>,
);

/// One group of indicators simulated on the same paths, with the checks of its targets.
pub(super) struct Group<'a> {
    catalogue: &'a Catalogue,
    /// Catalogue positions of the members.
    indices: &'a [usize],
    members: Vec<&'a Indicator>,
    assumptions: Vec<Assumption>,
    models: Vec<Model>,
    starts: Vec<Observation>,
    /// Per member: paths start as an index (no level known).
    index: Vec<bool>,
    /// The first simulated year's predecessor: step 0.
    origin: i32,
    horizon: i32,
    plans: Vec<&'a Plan>,
    /// The check of each plan, in plan order, then one check per share plan: its share
    /// at or above 100 % at the deadline (see [`Group::over_whole`]).
    checks: Vec<Check>,
    /// Per plan: the position in `checks` of its share's check at 100 %, for shares.
    over_whole: Vec<Option<usize>>,
    stream: String,
    cholesky: Option<Array2<f64>>,
    settings: RunSettings,
    /// The shard this run draws, or the shards it merges.
    sharding: Option<Sharding<'a>>,
}

impl<'a> Group<'a> {
    /// The group of catalogue indicators `indices`, with the plans on them alone.
    pub(super) fn new(
        catalogue: &'a Catalogue,
        scenario: &Scenario,
        indices: &'a [usize],
        plans: &'a [Plan],
        assumptions: Vec<Assumption>,
        starts: &BTreeMap<usize, (Observation, bool)>,
        settings: RunSettings,
    ) -> Result<Self> {
        let members: Vec<&Indicator> = indices.iter().map(|&i| &catalogue.indicators[i]).collect();
        let models = assumptions.iter().map(|a| a.model).collect();
        let (starts, index): (Vec<Observation>, Vec<bool>) =
            indices.iter().map(|i| starts[i]).unzip();
        let origin = starts
            .iter()
            .map(|s| s.year)
            .min()
            .expect("groups are not empty");
        let plans: Vec<&Plan> = plans
            .iter()
            .filter(|p| p.measure.indicators().iter().all(|i| indices.contains(i)))
            .collect();
        let horizon = plans
            .iter()
            .map(|p| p.deadline)
            .max()
            .expect("groups have plans");
        let stream = members
            .iter()
            .map(|m| m.key.to_string())
            .collect::<Vec<_>>()
            .join("+");
        let keys: Vec<IndicatorKey> = members.iter().map(|m| m.key.clone()).collect();
        let cholesky = scenario.cholesky_for(&keys)?;
        let mut group = Group {
            catalogue,
            indices,
            members,
            assumptions,
            models,
            starts,
            index,
            origin,
            horizon,
            plans,
            checks: Vec::new(),
            over_whole: Vec::new(),
            stream,
            cholesky,
            settings,
            sharding: None,
        };
        group.checks = group.plans.iter().map(|p| group.check_of(p)).collect();
        group.over_whole = (0..group.plans.len())
            .map(|k| group.over_whole(k))
            .collect();
        Ok(group)
    }

    /// The group's simulations take part in a sharded run ([`Sharding`]).
    pub(super) fn sharded(mut self, sharding: Option<Sharding<'a>>) -> Self {
        self.sharding = sharding;
        self
    }

    fn step(&self, year: i32) -> usize {
        (year - self.origin) as usize
    }

    /// The position in the group of catalogue indicator `i`.
    fn slot(&self, i: usize) -> usize {
        self.indices
            .iter()
            .position(|&g| g == i)
            .expect("member of the group")
    }

    /// The engine's check of a plan.
    fn check_of(&self, p: &Plan) -> Check {
        let slot = |i| self.slot(i);
        let measure = match p.measure {
            PlanMeasure::Level(i) => Measure::Level(slot(i)),
            PlanMeasure::Ratio(a, b) => Measure::Ratio {
                numerator: slot(a),
                denominator: slot(b),
            },
            PlanMeasure::Cumulative(i) => Measure::Cumulative(slot(i)),
            PlanMeasure::EveryYear(i) => Measure::EveryYear(slot(i)),
            PlanMeasure::EveryYearGrowth(i) => Measure::EveryYearGrowth(slot(i)),
        };
        let threshold = match p.threshold {
            Threshold::Level(k) => CheckThreshold::Level(k),
            Threshold::Relative { year, factor } => CheckThreshold::Relative {
                step: self.step(year),
                factor,
            },
        };
        Check {
            measure,
            comparator: p.comparator,
            threshold,
            from_step: self.step(p.from_year),
            deadline_step: self.step(p.deadline),
        }
    }

    /// For plan `k` on a share: adds the check that its share is at or above 100 % at the
    /// deadline (the numerator at or above the denominator, which the goal's own
    /// definition rules out but two separately uncertain levels can show) and returns
    /// its position; `None` for other plans.
    fn over_whole(&mut self, k: usize) -> Option<usize> {
        let goal = self.checks[k];
        let Measure::Ratio { .. } = goal.measure else {
            return None;
        };
        self.checks.push(Check {
            comparator: Comparator::AtLeast,
            threshold: CheckThreshold::Level(1.0),
            from_step: goal.deadline_step,
            ..goal
        });
        Some(self.checks.len() - 1)
    }

    /// Whether member k's levels are whole numbers (a count with a known level; an
    /// index is not rounded).
    fn integer(&self, k: usize) -> bool {
        is_count(self.members[k]) && !self.index[k]
    }

    /// The group's simulation, for the given models and correlation; the sensitivity of
    /// a share re-runs it (check-only, same streams) with one parameter moved.
    fn simulate(
        &self,
        models: &[Model],
        cholesky: Option<&Array2<f64>>,
        probs: &[f64],
    ) -> Result<SimulationOutput> {
        let sim = self
            .simulator(models, cholesky)
            .quantile_mode(self.settings.quantiles)
            .quantiles(probs);
        self.checks.iter().fold(sim, |sim, &c| sim.check(c)).run()
    }

    /// The group's paths under `models` (the same seed and stream whatever the models),
    /// with no checks and the engine's default quantiles.
    fn simulator<'m>(
        &self,
        models: &'m [Model],
        cholesky: Option<&Array2<f64>>,
    ) -> Simulator<'m, Model>
    where
        'a: 'm,
    {
        let (starts, settings) = (&self.starts, self.settings);
        let mut sim = Simulator::new(&models[0], starts[0].value, self.step(self.horizon))
            .offset(self.step(starts[0].year))
            .integer(0, self.integer(0))
            .paths(settings.paths)
            .seed(settings.seed)
            .stream(&self.stream)
            .sharding(self.sharding);
        if let Some(l) = cholesky {
            sim = sim.cholesky(l.clone());
        }
        for k in 1..self.members.len() {
            sim = sim
                .indicator(&models[k], starts[k].value, self.step(starts[k].year))
                .integer(k, self.integer(k));
        }
        sim
    }

    /// Simulates the group: the evaluation of each of its targets (by catalogue
    /// position) and the fan of each of its indicators.
    pub(super) fn run(&self) -> Result<GroupResults> {
        let output = self.simulate(&self.models, self.cholesky.as_ref(), &QUANTILE_PROBS)?;
        let mut evaluations = Vec::with_capacity(self.plans.len());
        let mut shares = Vec::new();
        for ((p, counts), over_whole) in self.plans.iter().zip(&output.checks).zip(&self.over_whole)
        {
            if let PlanMeasure::Ratio(a, b) = p.measure {
                shares.push((p.target, self.share_fan(p, a, b)?));
            }
            let primary = self.slot(p.measure.indicators()[0]);
            let evaluation = evaluate(
                p,
                counts,
                over_whole.map(|c| output.checks[c].at_deadline),
                &output,
                primary,
                &self.assumptions,
                &self.starts,
                self.index[primary],
                |i| self.slot(i),
                self.origin,
                self.cholesky.as_ref(),
            );
            evaluations.push((p.target, evaluation));
        }
        let fans = self
            .indices
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let offset = self.step(self.starts[k].year);
                let outcome = IndicatorOutcome {
                    indicator: self.catalogue.indicators[i].clone(),
                    assumption: self.assumptions[k].clone(),
                    years: (self.starts[k].year..=self.horizon).collect(),
                    index_year: self.index[k].then_some(self.starts[k].year),
                    quantiles: output.quantiles[k]
                        .slice_axis(ndarray::Axis(0), (offset..).into())
                        .to_owned(),
                };
                (i, outcome)
            })
            .collect();
        Ok((evaluations, fans, shares))
    }

    /// Each of the group's evaluations (from [`Group::run`], in its order) with its goal
    /// and, when asked, its analysis.
    pub(super) fn analyse_all(
        &self,
        evaluations: Vec<(usize, Evaluation)>,
    ) -> Result<Vec<(usize, Evaluation)>> {
        let items = self.plans.iter().zip(evaluations).enumerate().collect();
        super::each(
            super::side_by_side(self.settings.paths, self.sharding.is_some()),
            items,
            |(which, (p, (target, mut evaluation)))| {
                self.analyse(p, which, &mut evaluation)?;
                Ok((target, evaluation))
            },
        )
    }

    /// The goal of a target on one indicator alone (kept for further analysis) and, when
    /// asked, its analysis; for a share, its sensitivity by re-running the group.
    fn analyse(&self, p: &Plan, which: usize, evaluation: &mut Evaluation) -> Result<()> {
        let id = &self.catalogue.targets[p.target].id;
        if let (PlanMeasure::Ratio(a, b), true) = (p.measure, self.settings.analysis) {
            let (a, b) = (self.slot(a), self.slot(b));
            let p_of = |models: &[Model], l: Option<&Array2<f64>>| -> Result<f64> {
                self.share_probability(models, l, which)
            };
            let (growth_needed, growth_curve) = self.share_growth_needed(p, which, a)?;
            evaluation.analysis = Some(TargetAnalysis {
                growth_needed,
                progress: self.share_progress(p, a, b)?,
                sensitivity: share_sensitivity(
                    id,
                    evaluation.p_reach,
                    self.settings.paths,
                    &self.models,
                    [(a, &self.members[a].key.id), (b, &self.members[b].key.id)],
                    self.cholesky.as_ref(),
                    p_of,
                )?,
                growth_curve,
            });
        }
        if self.members.len() == 1 && !matches!(p.measure, PlanMeasure::Ratio(..)) {
            let goal = Goal {
                model: self.models[0],
                start: self.starts[0].value,
                check: self.checks[which],
                stream: self.stream.clone(),
            };
            if self.settings.analysis {
                evaluation.analysis = Some(analyse(id, &goal, self.settings)?);
            }
            evaluation.goal = Some(goal);
        }
        Ok(())
    }
}

/// Sensitivity of a share's probability to every parameter of its numerator and
/// denominator, and to the correlation of their shocks (±0.2, within ±0.99), each moved
/// alone with common random numbers. `p_of` runs the group for given models and
/// Cholesky factor.
fn share_sensitivity(
    target: &str,
    p_base: f64,
    paths: u64,
    models: &[Model],
    members: [(usize, &str); 2],
    cholesky: Option<&Array2<f64>>,
    p_of: impl Fn(&[Model], Option<&Array2<f64>>) -> Result<f64>,
) -> Result<Sensitivity> {
    let shifts = Shifts::default();
    let mut rows = Vec::new();
    for (slot, name) in members {
        for (parameter, value) in models[slot].parameters() {
            let Some((low, high)) = shifts.for_parameter(parameter).apply(value) else {
                continue;
            };
            let p_at = |v: f64| -> Result<Option<f64>> {
                let Ok(model) = models[slot].with_parameter(parameter, v) else {
                    return Ok(None);
                };
                let mut shifted = models.to_vec();
                shifted[slot] = model;
                p_of(&shifted, cholesky).map(Some)
            };
            rows.push(SensitivityRow {
                parameter: format!("{name} {parameter}"),
                base_value: value,
                low_value: low,
                high_value: high,
                p_low: p_at(low)?,
                p_high: p_at(high)?,
            });
        }
    }
    if models.len() == 2 {
        let rho = cholesky.map_or(0.0, |l| l[[1, 0]]);
        let (low, high) = ((rho - 0.2).max(-0.99), (rho + 0.2).min(0.99));
        let p_at = |r: f64| {
            let l = ndarray::array![[1.0, 0.0], [r, (1.0 - r * r).sqrt()]];
            p_of(models, Some(&l)).map(Some)
        };
        rows.push(SensitivityRow {
            parameter: "correlation".into(),
            base_value: rho,
            low_value: low,
            high_value: high,
            p_low: p_at(low)?,
            p_high: p_at(high)?,
        });
    }
    rows.sort_by(|x, y| y.swing(p_base).total_cmp(&x.swing(p_base)));
    Ok(Sensitivity {
        target: target.to_string(),
        p_base,
        paths,
        rows,
    })
}

/// Turns a check's counts into the figures reported for its target.
#[allow(clippy::too_many_arguments)]
pub(super) fn evaluate(
    p: &Plan,
    counts: &crate::sim::CheckCounts,
    over_whole: Option<u64>,
    output: &SimulationOutput,
    primary: usize,
    assumptions: &[Assumption],
    starts: &[Observation],
    index_start: bool,
    slot: impl Fn(usize) -> usize,
    origin: i32,
    cholesky: Option<&Array2<f64>>,
) -> Evaluation {
    let n = output.paths as f64;
    let year_of = |s: usize| origin + s as i32;
    let step = |year: i32| (year - origin) as usize;
    let window = step(p.from_year)..=step(p.deadline);
    let every_year = matches!(
        p.measure,
        PlanMeasure::EveryYear(_) | PlanMeasure::EveryYearGrowth(_)
    );
    let p_reach = counts.at_deadline as f64 / n;
    let start = starts[primary];
    let model = |i: usize| assumptions[slot(i)].model;
    let deadline_row = output.quantiles[primary].row(step(p.deadline));
    let rho = match (p.measure, cholesky) {
        (PlanMeasure::Ratio(a, b), Some(l)) => {
            let (a, b) = (slot(a), slot(b));
            (0..l.ncols()).map(|j| l[[a, j]] * l[[b, j]]).sum()
        }
        _ => 0.0,
    };
    let (closed, required) = closed_form_and_required(p, &model, &|i| starts[slot(i)], rho);
    // A share is at most 100 %: every path at or above it meets a `≥` goal (whose
    // threshold is at most 100 %) and none meets a `≤` goal below 100 %.
    let coherent = over_whole.map(|over| {
        let met = match p.comparator {
            Comparator::AtLeast => counts.at_deadline.saturating_sub(over),
            Comparator::AtMost => counts.at_deadline.min(output.paths - over),
        };
        (over, met)
    });
    Evaluation {
        assumption: assumptions[primary].clone(),
        start,
        index_start,
        threshold: p.stated,
        p_reach,
        p_reach_se: proportion_se(p_reach, output.paths),
        p_reach_by: (!every_year).then(|| counts.reached_by_deadline() as f64 / n),
        p_reach_closed_form: closed,
        required_growth: required,
        first_reached: if every_year {
            Vec::new()
        } else {
            window
                .clone()
                .map(|s| (year_of(s), counts.first_reached[s] as f64 / n))
                .collect()
        },
        holds_by_year: window
            .map(|s| (year_of(s), counts.holds_in_year[s] as f64 / n))
            .collect(),
        deadline_quantiles: [deadline_row[0], deadline_row[2], deadline_row[4]],
        p_share_over_100: coherent.map(|(over, _)| over as f64 / n),
        p_reach_coherent: coherent.and_then(|(over, met)| {
            let below = output.paths - over;
            (below > 0).then(|| met as f64 / below as f64)
        }),
        goal: None,
        analysis: None,
    }
}

/// Closed form of `p_reach` (level and ratio kinds) and the constant growth that meets
/// the target exactly.
fn closed_form_and_required(
    p: &Plan,
    model: &dyn Fn(usize) -> Model,
    start: &dyn Fn(usize) -> Observation,
    rho: f64,
) -> (Option<f64>, Option<f64>) {
    let years = |from: i32| (p.deadline - from) as u32;
    match (p.measure, p.threshold) {
        (PlanMeasure::Level(i), Threshold::Level(k)) => {
            let (x0, n) = (start(i).value, years(start(i).year));
            (
                model(i).p_reach(x0, k, n, p.comparator),
                Some(required_growth(x0, k, n)),
            )
        }
        (PlanMeasure::Level(i), Threshold::Relative { year, factor }) => {
            // Growth from a simulated base year: the same law over T − B years, for the
            // stationary processes of this library.
            let n = years(year);
            (
                model(i).p_reach(1.0, factor, n, p.comparator),
                Some(required_growth(1.0, factor, n)),
            )
        }
        (PlanMeasure::Ratio(a, b), Threshold::Level(k)) => {
            // ln(N/D) at the deadline is normal when both are lognormal: means subtract,
            // variances add less twice the covariance of the years both are simulated.
            let (na, nb) = (years(start(a).year), years(start(b).year));
            let r0 = start(a).value / start(b).value;
            let n = years(start(a).year.max(start(b).year));
            let lognormal = |m: Model| matches!(m, Model::LogNormal(_) | Model::Deterministic(_));
            let closed = (lognormal(model(a)) && lognormal(model(b))).then(|| {
                let (ma, mb) = (model(a), model(b));
                let law = crate::analytic::ShareLaw {
                    numerator: (start(a).value, ma.median_growth(), ma.volatility(), na),
                    denominator: (start(b).value, mb.median_growth(), mb.volatility(), nb),
                    rho,
                };
                crate::analytic::p_share_lognormal(&law, k, p.comparator)
            });
            (closed, Some(required_growth(r0, k, n)))
        }
        (PlanMeasure::Cumulative(i), Threshold::Level(k)) => {
            let x0 = start(i).value;
            let offsets: Vec<i32> = (p.from_year..=p.deadline)
                .map(|y| y - start(i).year)
                .collect();
            let total = |g: f64| offsets.iter().map(|&s| x0 * (1.0 + g).powi(s)).sum::<f64>();
            (None, solve_increasing(total, k))
        }
        (PlanMeasure::EveryYear(i), Threshold::Level(k)) => {
            let x0 = start(i).value;
            let needed = (p.from_year..=p.deadline)
                .map(|y| required_growth(x0, k, (y - start(i).year) as u32));
            let g = match p.comparator {
                Comparator::AtLeast => needed.fold(f64::NEG_INFINITY, f64::max),
                Comparator::AtMost => needed.fold(f64::INFINITY, f64::min),
            };
            (None, Some(g))
        }
        (PlanMeasure::EveryYearGrowth(_), Threshold::Level(factor)) => (None, Some(factor - 1.0)),
        _ => (None, None),
    }
}

/// The growth g in (−0.99, 10) at which the increasing function `f(g)` equals `target`,
/// by bisection; `None` if it lies outside that range.
fn solve_increasing(f: impl Fn(f64) -> f64, target: f64) -> Option<f64> {
    let (mut lo, mut hi) = (-0.99, 10.0);
    if f(lo) > target || f(hi) < target {
        return None;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

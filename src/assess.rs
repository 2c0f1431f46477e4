//! Assessing a catalogue of targets under a scenario: the whole analysis in one call.
//!
//! Every simulable target becomes a check on the paths of the indicator(s) it concerns.
//! Indicators linked by a share (numerator and denominator) are simulated jointly on the
//! same paths; every other indicator on its own stream. Paths start from each
//! indicator's last known value and run to the group's latest deadline. Targets that
//! cannot be simulated are kept, with the reason.

use std::collections::BTreeMap;

use ndarray::Array2;

use crate::analysis::{Goal, Sensitivity, SensitivityRow, Shifts, TargetAnalysis, analyse};
use crate::analytic::required_growth;
use crate::error::{Error, Result};
use crate::indicator::{Indicator, IndicatorKey, Observation};
use crate::io::catalogue::Catalogue;
use crate::process::Model;
use crate::scenario::{Assumption, Scenario};
use crate::sim::{Check, CheckThreshold, Measure, QuantileMode, SimulationOutput, Simulator};
use crate::stats::proportion_se;
use crate::target::{Comparator, Target, TargetKind, Threshold, Unsimulated};

/// Probabilities of the reported quantiles (5, 25, 50, 75, 95 %).
pub const QUANTILE_PROBS: [f64; 5] = crate::sim::DEFAULT_PROBS;

/// How many paths, under which seed, with which quantiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSettings {
    /// Paths per indicator (or group of jointly simulated indicators).
    pub paths: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Exact or streaming quantiles.
    pub quantiles: QuantileMode,
    /// Also run the analysis of every target simulated on its own (growth needed for
    /// 50/80/90 %, progress categories, sensitivity): about a hundred check-only runs
    /// per target.
    pub analysis: bool,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            paths: crate::DEFAULT_PATHS,
            seed: crate::DEFAULT_SEED,
            quantiles: QuantileMode::Exact,
            analysis: false,
        }
    }
}

/// The simulated fan of one indicator.
#[derive(Debug, Clone)]
pub struct IndicatorOutcome {
    /// The indicator.
    pub indicator: Indicator,
    /// The assumption it was simulated under.
    pub assumption: Assumption,
    /// Years from its start (last known value) to the latest deadline of its group.
    pub years: Vec<i32>,
    /// Level quantiles ([`QUANTILE_PROBS`]), one row per year.
    pub quantiles: Array2<f64>,
}

/// The figures of one simulated target.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The growth model of the target's indicator (the numerator, for a share) and its source.
    pub assumption: Assumption,
    /// The indicator's last known value, where paths start.
    pub start: Observation,
    /// The value required, when it is fixed: a level, a share as a fraction, the total
    /// still to come for a cumulative goal, the growth factor for an every-year growth
    /// goal; `None` when measured from a simulated base year.
    pub threshold: Option<f64>,
    /// P(the target is met at the deadline; for every-year kinds, in every year).
    pub p_reach: f64,
    /// Monte Carlo standard error of `p_reach`.
    pub p_reach_se: f64,
    /// P(it holds in at least one year up to the deadline); `None` for every-year kinds.
    pub p_reach_by: Option<f64>,
    /// The closed-form value of `p_reach`, for kinds that have one.
    pub p_reach_closed_form: Option<f64>,
    /// Constant annual growth of the indicator (of the ratio, for a share) that meets the
    /// target exactly.
    pub required_growth: Option<f64>,
    /// `(year, P(first holds in that year))`; empty for every-year kinds.
    pub first_reached: Vec<(i32, f64)>,
    /// `(year, P(the condition holds in that year))` over the target's window.
    pub holds_by_year: Vec<(i32, f64)>,
    /// The indicator's 5, 50 and 95 % quantiles in the deadline year.
    pub deadline_quantiles: [f64; 3],
    /// The goal as the engine checks it on its own paths, for further analysis (`None`
    /// for goals simulated jointly with other indicators).
    pub goal: Option<Goal>,
    /// Growth needed, progress categories and sensitivity, when asked for
    /// ([`RunSettings::analysis`]).
    pub analysis: Option<TargetAnalysis>,
}

/// One target and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetOutcome {
    /// The target as catalogued.
    pub target: Target,
    /// The figures, or why there are none.
    pub result: std::result::Result<Evaluation, Unsimulated>,
}

/// The outcome of a whole run.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// Paths and seed.
    pub settings: RunSettings,
    /// Simulated indicators, in catalogue order.
    pub indicators: Vec<IndicatorOutcome>,
    /// Every target, in catalogue order.
    pub targets: Vec<TargetOutcome>,
    /// Every indicator of the catalogue (names, units, known values), simulated or not.
    pub catalogue_indicators: Vec<Indicator>,
}

impl Assessment {
    /// The catalogue's indicator with this key.
    pub fn catalogue_indicator(&self, key: &IndicatorKey) -> Option<&Indicator> {
        self.catalogue_indicators.iter().find(|i| &i.key == key)
    }
}

/// What a target asks of which indicators, in level units.
#[derive(Debug, Clone)]
struct Plan {
    target: usize,
    measure: PlanMeasure,
    comparator: Comparator,
    threshold: Threshold,
    /// The fixed value as the target states it (before the whole-number adjustment of
    /// counts), for reports.
    stated: Option<f64>,
    /// First year of the window in which the condition is checked.
    from_year: i32,
    deadline: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlanMeasure {
    Level(usize),
    Ratio(usize, usize),
    Cumulative(usize),
    EveryYear(usize),
    EveryYearGrowth(usize),
}

impl PlanMeasure {
    fn indicators(self) -> Vec<usize> {
        match self {
            PlanMeasure::Ratio(a, b) => vec![a, b],
            PlanMeasure::Level(i)
            | PlanMeasure::Cumulative(i)
            | PlanMeasure::EveryYear(i)
            | PlanMeasure::EveryYearGrowth(i) => vec![i],
        }
    }
}

/// A whole-number threshold for a count: `round(X) ≥ K` ⟺ `X ≥ ⌈K⌉ − ½`, and
/// `round(X) ≤ K` ⟺ `X ≤ ⌊K⌋ + ½`.
fn count_threshold(k: f64, comparator: Comparator) -> f64 {
    match comparator {
        Comparator::AtLeast => k.ceil() - 0.5,
        Comparator::AtMost => k.floor() + 0.5,
    }
}

fn is_count(indicator: &Indicator) -> bool {
    indicator.unit == "count"
}

/// Works out what a target asks, or why it cannot be simulated.
fn plan(index: usize, t: &Target, catalogue: &Catalogue) -> std::result::Result<Plan, Unsimulated> {
    if !t.kind.is_simulated() {
        return Err(Unsimulated::Recorded);
    }
    let value = t.value.ok_or(Unsimulated::NeedsValue)?;
    let position = |key: &IndicatorKey| catalogue.indicators.iter().position(|i| &i.key == key);
    let i = position(&t.indicator).expect("every target's indicator is catalogued");
    let indicator = &catalogue.indicators[i];
    let start = indicator.base.ok_or(Unsimulated::NeedsBaseline)?;
    if t.deadline <= start.year {
        return Err(Unsimulated::DeadlineNotAfterBase);
    }
    let count = is_count(indicator);
    let fixed = |k: f64| {
        Threshold::Level(if count {
            count_threshold(k, t.comparator)
        } else {
            k
        })
    };
    let after_start = start.year + 1;
    let mut plan = Plan {
        target: index,
        measure: PlanMeasure::Level(i),
        comparator: t.comparator,
        threshold: Threshold::Level(value),
        stated: Some(value),
        from_year: after_start,
        deadline: t.deadline,
    };
    match t.kind {
        TargetKind::Level => plan.threshold = fixed(value),
        TargetKind::Growth | TargetKind::Increase | TargetKind::Decline => {
            plan.threshold = match t.threshold(indicator)? {
                Threshold::Level(k) => {
                    plan.stated = Some(k);
                    fixed(k)
                }
                relative @ Threshold::Relative { year, .. } => {
                    plan.from_year = year + 1;
                    plan.stated = None;
                    relative
                }
            };
        }
        TargetKind::Share => {
            let d = IndicatorKey::new(
                t.indicator.jurisdiction.clone(),
                t.denominator.clone().unwrap_or_default(),
            );
            let j = position(&d).expect("share denominators are catalogued");
            let den = &catalogue.indicators[j];
            let den_start = den.base.ok_or(Unsimulated::NeedsBaseline)?;
            if den.unit != indicator.unit {
                return Err(Unsimulated::UnitsDiffer);
            }
            plan.from_year = start.year.max(den_start.year) + 1;
            if t.deadline < plan.from_year {
                return Err(Unsimulated::DeadlineNotAfterBase);
            }
            plan.measure = PlanMeasure::Ratio(i, j);
            plan.threshold = Threshold::Level(value / 100.0);
            plan.stated = Some(value / 100.0);
        }
        TargetKind::Cumulative | TargetKind::PerYear | TargetKind::GrowthEveryYear => {
            let base_year = t.base_year.ok_or(Unsimulated::NeedsBaseline)?;
            // Years of the window already observed are taken from history.
            let observed: Vec<i32> = (base_year + 1..=start.year).collect();
            let known = |y: i32| indicator.value_in(y).ok_or(Unsimulated::NeedsBaseline);
            plan.from_year = after_start.max(base_year + 1);
            match t.kind {
                TargetKind::Cumulative => {
                    let done: f64 = observed
                        .iter()
                        .map(|&y| known(y))
                        .sum::<std::result::Result<f64, _>>()?;
                    let remaining = value - done;
                    if remaining <= 0.0 {
                        return match t.comparator {
                            Comparator::AtLeast => Err(Unsimulated::AlreadyMet),
                            Comparator::AtMost => Err(Unsimulated::AlreadyMissed),
                        };
                    }
                    plan.measure = PlanMeasure::Cumulative(i);
                    plan.threshold = Threshold::Level(remaining);
                    plan.stated = Some(remaining);
                }
                TargetKind::PerYear => {
                    for &y in &observed {
                        if !t.comparator.holds(known(y)?.ln(), value.ln()) {
                            return Err(Unsimulated::AlreadyMissed);
                        }
                    }
                    plan.measure = PlanMeasure::EveryYear(i);
                    plan.threshold = fixed(value);
                }
                _ => {
                    let factor = 1.0 + value / 100.0;
                    for &y in &observed {
                        let growth = known(y)? / known(y - 1)?;
                        if !t.comparator.holds(growth.ln(), factor.ln()) {
                            return Err(Unsimulated::AlreadyMissed);
                        }
                    }
                    plan.measure = PlanMeasure::EveryYearGrowth(i);
                    plan.threshold = Threshold::Level(factor);
                    plan.stated = Some(factor);
                }
            }
        }
        TargetKind::Rank | TargetKind::Milestone => unreachable!("filtered above"),
    }
    Ok(plan)
}

/// Whether each target of `catalogue` can be simulated, and if not why — the same
/// decision [`assess`] makes, without simulating (no scenario needed).
pub fn readiness(catalogue: &Catalogue) -> Vec<std::result::Result<(), Unsimulated>> {
    catalogue
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| plan(i, t, catalogue).map(|_| ()))
        .collect()
}

/// Groups of indicators simulated jointly: those linked by a share target, or by a
/// correlation of their shocks (`links`).
fn groups(n_indicators: usize, plans: &[Plan], links: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n_indicators).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut used = vec![false; n_indicators];
    for p in plans {
        let members = p.measure.indicators();
        for &m in &members {
            used[m] = true;
        }
        for w in members.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    for &(a, b) in links {
        if used[a] && used[b] {
            let (a, b) = (root(&mut parent, a), root(&mut parent, b));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in (0..n_indicators).filter(|&i| used[i]) {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    by_root.into_values().collect()
}

/// Simulates every simulable target of `catalogue` under `scenario`.
///
/// Errors if an indicator that needs simulating has no assumption in the scenario, or if
/// the scenario names an indicator the catalogue does not have.
pub fn assess(
    catalogue: &Catalogue,
    scenario: &Scenario,
    settings: RunSettings,
) -> Result<Assessment> {
    check_scenario_keys(catalogue, scenario)?;
    let mut targets: Vec<TargetOutcome> = catalogue
        .targets
        .iter()
        .map(|t| TargetOutcome {
            target: t.clone(),
            result: Err(Unsimulated::NeedsBaseline),
        })
        .collect();
    let mut plans = Vec::new();
    for (i, t) in catalogue.targets.iter().enumerate() {
        match plan(i, t, catalogue) {
            Ok(p) => plans.push(p),
            Err(why) => targets[i].result = Err(why),
        }
    }

    let mut outcomes: Vec<(usize, IndicatorOutcome)> = Vec::new();
    // Indicators whose shocks the scenario correlates are simulated jointly.
    let named = |key: &IndicatorKey| {
        scenario
            .correlated_indicators()
            .iter()
            .any(|n| *n == key.id || *n == key.to_string())
    };
    let mut links = Vec::new();
    for (a, ka) in catalogue
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| named(&i.key))
    {
        for (b, kb) in catalogue
            .indicators
            .iter()
            .enumerate()
            .skip(a + 1)
            .filter(|(_, i)| named(&i.key))
        {
            if let Some(l) = scenario.cholesky_for(&[ka.key.clone(), kb.key.clone()])?
                && l[[1, 0]] != 0.0
            {
                links.push((a, b));
            }
        }
    }
    for group in groups(catalogue.indicators.len(), &plans, &links) {
        let members: Vec<&Indicator> = group.iter().map(|&i| &catalogue.indicators[i]).collect();
        let assumptions = members
            .iter()
            .map(|m| scenario.assumption_for(&m.key))
            .collect::<Result<Vec<_>>>()?;
        let models: Vec<Model> = assumptions.iter().map(|a| a.model).collect();
        let starts: Vec<Observation> = members
            .iter()
            .map(|m| m.base.expect("planned indicators have a base"))
            .collect();
        let origin = starts
            .iter()
            .map(|s| s.year)
            .min()
            .expect("groups are not empty");
        let group_plans: Vec<&Plan> = plans
            .iter()
            .filter(|p| p.measure.indicators().iter().all(|i| group.contains(i)))
            .collect();
        let horizon = group_plans
            .iter()
            .map(|p| p.deadline)
            .max()
            .expect("groups have plans");
        let step = |year: i32| (year - origin) as usize;
        let slot = |i: usize| {
            group
                .iter()
                .position(|&g| g == i)
                .expect("member of the group")
        };

        let stream = members
            .iter()
            .map(|m| m.key.to_string())
            .collect::<Vec<_>>()
            .join("+");
        let keys: Vec<IndicatorKey> = members.iter().map(|m| m.key.clone()).collect();
        let cholesky = scenario.cholesky_for(&keys)?;
        let mut checks = Vec::with_capacity(group_plans.len());
        for p in &group_plans {
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
                    step: step(year),
                    factor,
                },
            };
            checks.push(Check {
                measure,
                comparator: p.comparator,
                threshold,
                from_step: step(p.from_year),
                deadline_step: step(p.deadline),
            });
        }
        // The group's simulation, for the given models and correlation; the sensitivity
        // of a share re-runs it (check-only, same streams) with one parameter moved.
        let simulate = |models: &[Model], cholesky: Option<&Array2<f64>>, probs: &[f64]| {
            let mut sim = Simulator::new(&models[0], starts[0].value, step(horizon))
                .offset(step(starts[0].year))
                .integer(0, is_count(members[0]))
                .paths(settings.paths)
                .seed(settings.seed)
                .quantile_mode(settings.quantiles)
                .quantiles(probs)
                .stream(&stream);
            if let Some(l) = cholesky {
                sim = sim.cholesky(l.clone());
            }
            for (k, m) in members.iter().enumerate().skip(1) {
                sim = sim
                    .indicator(&models[k], starts[k].value, step(starts[k].year))
                    .integer(k, is_count(m));
            }
            checks.iter().fold(sim, |sim, &c| sim.check(c)).run()
        };
        let output = simulate(&models, cholesky.as_ref(), &QUANTILE_PROBS)?;

        for ((p, counts), check) in group_plans.iter().zip(&output.checks).zip(&checks) {
            let primary = slot(p.measure.indicators()[0]);
            let evaluation = evaluate(
                p,
                counts,
                &output,
                primary,
                &assumptions,
                &starts,
                slot,
                origin,
                cholesky.as_ref(),
            );
            let mut evaluation = evaluation;
            if let (PlanMeasure::Ratio(a, b), true) = (p.measure, settings.analysis) {
                let (a, b) = (slot(a), slot(b));
                let which = checks
                    .iter()
                    .position(|c| c == check)
                    .expect("the plan's check");
                let p_of = |models: &[Model], l: Option<&Array2<f64>>| -> Result<f64> {
                    let out = simulate(models, l, &[])?;
                    Ok(out.checks[which].at_deadline as f64 / out.paths as f64)
                };
                evaluation.analysis = Some(TargetAnalysis {
                    growth_needed: Vec::new(),
                    progress: None,
                    sensitivity: share_sensitivity(
                        &catalogue.targets[p.target].id,
                        evaluation.p_reach,
                        settings.paths,
                        &models,
                        [(a, &members[a].key.id), (b, &members[b].key.id)],
                        cholesky.as_ref(),
                        p_of,
                    )?,
                });
            }
            if group.len() == 1 && !matches!(p.measure, PlanMeasure::Ratio(..)) {
                let goal = Goal {
                    model: models[0],
                    start: starts[0].value,
                    check: *check,
                    stream: stream.clone(),
                };
                if settings.analysis {
                    evaluation.analysis =
                        Some(analyse(&catalogue.targets[p.target].id, &goal, settings)?);
                }
                evaluation.goal = Some(goal);
            }
            targets[p.target].result = Ok(evaluation);
        }
        for (k, &i) in group.iter().enumerate() {
            let offset = step(starts[k].year);
            outcomes.push((
                i,
                IndicatorOutcome {
                    indicator: catalogue.indicators[i].clone(),
                    assumption: assumptions[k].clone(),
                    years: (starts[k].year..=horizon).collect(),
                    quantiles: output.quantiles[k]
                        .slice_axis(ndarray::Axis(0), (offset..).into())
                        .to_owned(),
                },
            ));
        }
    }
    outcomes.sort_by_key(|(i, _)| *i);
    Ok(Assessment {
        settings,
        indicators: outcomes.into_iter().map(|(_, o)| o).collect(),
        targets,
        catalogue_indicators: catalogue.indicators.clone(),
    })
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
fn evaluate(
    p: &Plan,
    counts: &crate::sim::CheckCounts,
    output: &SimulationOutput,
    primary: usize,
    assumptions: &[Assumption],
    starts: &[Observation],
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
    Evaluation {
        assumption: assumptions[primary].clone(),
        start,
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

fn check_scenario_keys(catalogue: &Catalogue, scenario: &Scenario) -> Result<()> {
    for key in scenario.indicator_keys() {
        let known = catalogue
            .indicators
            .iter()
            .any(|i| i.key.id == key || i.key.to_string() == key);
        if !known {
            return Err(Error::Scenario {
                path: scenario.path.clone(),
                line: None,
                key: format!("indicators.{key}"),
                reason: format!(
                    "the catalogue ({}) has no indicator `{key}`",
                    catalogue
                        .sources
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    Ok(())
}

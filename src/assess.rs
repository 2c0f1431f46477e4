//! Assessing a catalogue of targets under a scenario: the whole analysis in one call.
//!
//! For every indicator with at least one simulable target, paths start from the
//! indicator's last known value and run to its latest deadline; every target on it is
//! checked on the same paths. Targets that cannot be simulated are kept, with the reason.

use ndarray::Array2;

use crate::analytic::{p_reach_lognormal, required_growth};
use crate::error::{Error, Result};
use crate::indicator::{Indicator, Observation};
use crate::io::catalogue::Catalogue;
use crate::process::Model;
use crate::scenario::{Assumption, Scenario};
use crate::sim::{Check, CheckThreshold, SimulationOutput, Simulator};
use crate::stats::proportion_se;
use crate::target::{Target, Threshold, Unsimulated};

/// Probabilities of the reported quantiles (5, 25, 50, 75, 95 %).
pub const QUANTILE_PROBS: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// How many paths, under which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSettings {
    /// Paths per indicator.
    pub paths: u64,
    /// Seed of every random stream.
    pub seed: u64,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            paths: crate::DEFAULT_PATHS,
            seed: crate::DEFAULT_SEED,
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
    /// Years from the start (last known value) to the latest deadline.
    pub years: Vec<i32>,
    /// Level quantiles ([`QUANTILE_PROBS`]), one row per year.
    pub quantiles: Array2<f64>,
}

/// The figures of one simulated target.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The growth model and its source.
    pub assumption: Assumption,
    /// The indicator's last known value, where paths start.
    pub start: Observation,
    /// The level required, when it is fixed (`None` when measured from a simulated base year).
    pub threshold: Option<f64>,
    /// P(the target holds in the deadline year).
    pub p_reach: f64,
    /// Monte Carlo standard error of `p_reach`.
    pub p_reach_se: f64,
    /// P(the target holds in at least one year up to the deadline).
    pub p_reach_by: f64,
    /// The closed-form value of `p_reach` for the model.
    pub p_reach_closed_form: f64,
    /// Constant annual growth that reaches the target exactly at the deadline.
    pub required_growth: f64,
    /// `(year, P(first holds in that year))` for every year it can first hold.
    pub first_reached: Vec<(i32, f64)>,
    /// The level's 5, 50 and 95 % quantiles in the deadline year.
    pub deadline_quantiles: [f64; 3],
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

    let mut targets: Vec<TargetOutcome> = catalogue
        .targets
        .iter()
        .map(|t| TargetOutcome {
            target: t.clone(),
            result: Err(Unsimulated::NeedsBaseline),
        })
        .collect();
    let mut indicators = Vec::new();

    for indicator in &catalogue.indicators {
        let mut planned = Vec::new();
        for (i, outcome) in targets.iter_mut().enumerate() {
            if outcome.target.indicator != indicator.key {
                continue;
            }
            match outcome.target.threshold(indicator) {
                Ok(threshold) => planned.push((i, threshold)),
                Err(why) => outcome.result = Err(why),
            }
        }
        let (Some(start), false) = (indicator.base, planned.is_empty()) else {
            continue;
        };
        let assumption = scenario.assumption_for(&indicator.key)?;
        let horizon = planned
            .iter()
            .map(|&(i, _)| targets[i].target.deadline)
            .max()
            .expect("planned is not empty");
        let years = usize::try_from(horizon - start.year).map_err(|_| {
            Error::Simulation(format!(
                "{}: the deadline {horizon} is before the base year {}",
                indicator.key, start.year
            ))
        })?;
        let checks: Vec<Check> = planned
            .iter()
            .map(|&(i, threshold)| check_for(&targets[i].target, threshold, start))
            .collect();
        let output = run_model(
            &assumption.model,
            start.value,
            years,
            settings,
            &indicator.key.to_string(),
            &checks,
        )?;
        let quantiles = output.quantiles(&QUANTILE_PROBS);
        for (&(i, threshold), (check, counts)) in
            planned.iter().zip(checks.iter().zip(&output.checks))
        {
            let n = output.paths as f64;
            let p_reach = counts.at_deadline as f64 / n;
            let deadline_row = quantiles.row(check.deadline_step);
            let (fixed, factor, years_measured) = match threshold {
                Threshold::Level(k) => (Some(k), k / start.value, check.deadline_step),
                Threshold::Relative { year, factor } => (
                    None,
                    factor,
                    check.deadline_step - (year - start.year) as usize,
                ),
            };
            let years_measured = years_measured as u32;
            let target = &targets[i].target;
            targets[i].result = Ok(Evaluation {
                assumption: assumption.clone(),
                start,
                threshold: fixed,
                p_reach,
                p_reach_se: proportion_se(p_reach, output.paths),
                p_reach_by: counts.reached_by_deadline() as f64 / n,
                p_reach_closed_form: p_reach_lognormal(
                    1.0,
                    factor,
                    assumption.model.median_growth(),
                    assumption.model.volatility(),
                    years_measured,
                    target.comparator,
                ),
                required_growth: required_growth(1.0, factor, years_measured),
                first_reached: (check.from_step..=check.deadline_step)
                    .map(|s| (start.year + s as i32, counts.first_reached[s] as f64 / n))
                    .collect(),
                deadline_quantiles: [deadline_row[0], deadline_row[2], deadline_row[4]],
            });
        }
        indicators.push(IndicatorOutcome {
            indicator: indicator.clone(),
            assumption,
            years: (start.year..=horizon).collect(),
            quantiles,
        });
    }
    Ok(Assessment {
        settings,
        indicators,
        targets,
    })
}

/// The engine's check for a target's threshold, in steps after the start year.
fn check_for(target: &Target, threshold: Threshold, start: Observation) -> Check {
    let deadline_step = (target.deadline - start.year) as usize;
    let (threshold, from_step) = match threshold {
        Threshold::Level(k) => (CheckThreshold::Level(k.ln()), 1),
        Threshold::Relative { year, factor } => {
            let step = (year - start.year) as usize;
            (
                CheckThreshold::Relative {
                    step,
                    log_factor: factor.ln(),
                },
                step + 1,
            )
        }
    };
    Check {
        comparator: target.comparator,
        threshold,
        from_step,
        deadline_step,
    }
}

/// Runs the engine for one model (dispatching once, so the inner loop is monomorphic).
pub fn run_model(
    model: &Model,
    start: f64,
    years: usize,
    settings: RunSettings,
    stream: &str,
    checks: &[Check],
) -> Result<SimulationOutput> {
    macro_rules! simulate {
        ($process:expr) => {
            checks
                .iter()
                .fold(
                    Simulator::new($process, start, years)
                        .paths(settings.paths)
                        .seed(settings.seed)
                        .stream(stream),
                    |sim, &c| sim.check(c),
                )
                .run()
        };
    }
    match model {
        Model::Deterministic(p) => simulate!(p),
        Model::LogNormal(p) => simulate!(p),
    }
}

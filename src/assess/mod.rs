//! Assessing a catalogue of targets under a scenario: the whole analysis in one call.
//!
//! Every simulable target becomes a check on the paths of the indicator(s) it concerns.
//! Indicators linked by a share (numerator and denominator) are simulated jointly on the
//! same paths; every other indicator on its own stream. Paths start from each
//! indicator's last known value and run to the group's latest deadline. Targets that
//! cannot be simulated are kept, with the reason.

mod base_needed;
mod group;
mod hindcast;
mod plan;
pub mod preflight;
mod settle;

use crate::analysis::{Goal, TargetAnalysis};
use crate::error::{Error, Result};
use crate::indicator::{Indicator, IndicatorKey, Observation};
use crate::io::catalogue::Catalogue;
use crate::reference::ReferenceClasses;
use crate::scenario::{Assumption, Scenario};
use crate::sim::{QuantileMode, RunSettings, Sharding};
use crate::target::{Target, Unsimulated};
use ndarray::Array2;

pub use base_needed::{BaseMemo, BaseNeeded, MAX_PATHS as BASE_NEEDED_MAX_PATHS};
pub use hindcast::{Hindcast, hindcasts};
pub use plan::readiness;
pub use settle::{Settled, settle};

/// Probabilities of the reported quantiles (5, 25, 50, 75, 95 %).
pub const QUANTILE_PROBS: [f64; 5] = crate::sim::DEFAULT_PROBS;

/// The simulated fan of one indicator.
#[derive(Debug, Clone)]
pub struct IndicatorOutcome {
    /// The indicator.
    pub indicator: Indicator,
    /// The assumption it was simulated under.
    pub assumption: Assumption,
    /// Years from its start (last known value) to the latest deadline of its group.
    pub years: Vec<i32>,
    /// `Some(year)` when its level is unknown and paths start as an index, 1 in that
    /// year: the quantiles are multiples of the level of `year`.
    pub index_year: Option<i32>,
    /// Level quantiles ([`QUANTILE_PROBS`]), one row per year.
    pub quantiles: Array2<f64>,
}

/// The simulated fan of a share goal: the share (numerator / denominator, a fraction)
/// on the jointly simulated paths of its two indicators.
#[derive(Debug, Clone)]
pub struct ShareOutcome {
    /// The share target's id.
    pub target: String,
    /// The numerator indicator.
    pub numerator: IndicatorKey,
    /// The denominator indicator.
    pub denominator: IndicatorKey,
    /// Years from the later of the two start years to the deadline of the group.
    pub years: Vec<i32>,
    /// Quantiles ([`QUANTILE_PROBS`]) of the share as a fraction, one row per year, from
    /// the first [`SHARE_FAN_PATHS`] paths of the joint simulation (all of them at the
    /// default path count; paths are prefix-stable, so these are the same paths).
    pub quantiles: Array2<f64>,
    /// Paths the quantiles are taken over.
    pub paths: u64,
}

/// The share of paths at or above 100 % beyond which a share goal's figure is named
/// beside its chance (the terminal summary, the dashboard); `p_share_over_100` is
/// written for every share goal.
pub const SHARE_OVER_100_NOTED: f64 = 0.01;

/// The most paths a share's fan is computed from (its per-path values are kept:
/// 8 bytes per indicator, year and path).
pub const SHARE_FAN_PATHS: u64 = 100_000;

/// The figures of one simulated target.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The growth model of the target's indicator (the numerator, for a share) and its source.
    pub assumption: Assumption,
    /// The indicator's last known value, where paths start (`1` in the base year when
    /// its level is unknown: see `index_start`).
    pub start: Observation,
    /// Paths start as an index (1 in the goal's base year) because no level of the
    /// indicator is known: a goal of growth, an increase, a decline or growth in every
    /// year needs none. Quantiles are then multiples of the base-year level.
    pub index_start: bool,
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
    /// For a share: P(the share is at or above 100 % at the deadline), the numerator at
    /// or above its denominator. No economy shows that; a model of two separately
    /// uncertain levels can, most of all where one of them rests on a wide prior, and
    /// `p_reach` counts those paths. `None` for other kinds.
    pub p_share_over_100: Option<f64>,
    /// For a share: P(the target is met at the deadline | the share is below 100 % then),
    /// `p_reach` on the paths the goal's definition allows. `None` for other kinds, and
    /// where no path is below 100 %.
    pub p_reach_coherent: Option<f64>,
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
    /// For a goal settled by observed values (`already_met`, `already_missed`): the
    /// observed figure and its source.
    pub settled: Option<Settled>,
    /// For a goal waiting for a base level: the base that would give it a 50 % and an
    /// 80 % chance.
    pub base_needed: Option<BaseNeeded>,
}

/// The outcome of a whole run.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// Paths and seed.
    pub settings: RunSettings,
    /// Simulated indicators, in catalogue order.
    pub indicators: Vec<IndicatorOutcome>,
    /// The fan of every simulated share goal, in catalogue order of the targets.
    pub shares: Vec<ShareOutcome>,
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

    /// The outcome of the target `id`, simulated or not; `None` if the catalogue has no
    /// such target.
    pub fn outcome(&self, id: &str) -> Option<&TargetOutcome> {
        self.targets.iter().find(|t| t.target.id == id)
    }

    /// The figures of the simulated target `id`: [`Error::UnknownTarget`] if the
    /// catalogue has no such target, [`Error::NotSimulated`] with the reason if it was
    /// not simulated.
    pub fn target(&self, id: &str) -> Result<&Evaluation> {
        let outcome = self
            .outcome(id)
            .ok_or_else(|| Error::UnknownTarget { id: id.into() })?;
        outcome
            .result
            .as_ref()
            .map_err(|&why| Error::NotSimulated { id: id.into(), why })
    }
}

/// What an [`Observer`] is told of a run in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Every target is planned: `groups` simulations (each of one indicator, or of
    /// several simulated jointly) will run, for `targets` targets.
    Planned {
        /// Simulations to run.
        groups: usize,
        /// Targets simulated.
        targets: usize,
    },
    /// `done` of `total` simulations have run.
    Simulated {
        /// Simulations finished.
        done: usize,
        /// Simulations in all.
        total: usize,
    },
    /// `done` of `total` steps of the analysis have run: with [`RunSettings::analysis`],
    /// the growth needed, progress and sensitivity of each simulation's targets; then
    /// the base needed by each goal waiting for one.
    Analysed {
        /// Steps finished.
        done: usize,
        /// Steps in all.
        total: usize,
    },
    /// Told by the report layer ([`crate::report`]): `done` of `total` charts drawn.
    Drawn {
        /// Charts (or groups of charts) drawn.
        done: usize,
        /// Charts in all.
        total: usize,
    },
}

/// Watches a long run: a progress bar, a log. Called between simulations, from
/// whichever of the assessment's threads finished a step, one call at a time; it cannot
/// change results.
pub trait Observer: Sync {
    /// Called once per event; within a phase, `done` counts up.
    fn observe(&self, event: Event);
}

/// The assessment of a catalogue under a scenario, configured by builder methods and run
/// with [`Assessor::run`]: the library's main entry point.
///
/// ```
/// use goalcast::prelude::*;
///
/// let catalogue = Catalogue::from_reader(
///     "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote\n\
///      rd,rd_expenditure,Hubei,研发经费投入,R&D expenditure,亿元,growth,>=,2022,1254.7,14,2027,000,年均增长14%以上\n"
///         .as_bytes(),
///     "inline.csv",
/// )?;
/// let scenario = Scenario::from_toml_str(
///     "[indicators.rd_expenditure]\nmodel = \"lognormal\"\ngrowth_pct = 12.0\nvolatility_pct = 4.0\n",
///     "inline.toml",
/// )?;
/// let run = Assessor::new(&catalogue, &scenario).paths(20_000).seed(1).run()?;
/// let rd = run.target("rd")?;
/// assert!((rd.p_reach - rd.p_reach_closed_form.unwrap()).abs() < 4.0 * rd.p_reach_se + 1e-3);
/// assert!(matches!(run.target("nope"), Err(Error::UnknownTarget { .. })));
/// # Ok::<(), goalcast::Error>(())
/// ```
#[derive(Clone, Copy)]
#[must_use = "an Assessor does nothing until `run` is called"]
pub struct Assessor<'a> {
    catalogue: &'a Catalogue,
    scenario: &'a Scenario,
    settings: RunSettings,
    observer: Option<&'a dyn Observer>,
    sharding: Option<Sharding<'a>>,
    memo: Option<&'a BaseMemo>,
}

impl<'a> Assessor<'a> {
    /// The assessment of `catalogue` under `scenario`, with default settings
    /// ([`RunSettings::default`]).
    pub fn new(catalogue: &'a Catalogue, scenario: &'a Scenario) -> Self {
        Assessor {
            catalogue,
            scenario,
            settings: RunSettings::default(),
            observer: None,
            sharding: None,
            memo: None,
        }
    }

    /// Paths per indicator (or group of jointly simulated indicators).
    pub fn paths(mut self, paths: u64) -> Self {
        self.settings.paths = paths;
        self
    }

    /// Seed of every random stream.
    pub fn seed(mut self, seed: u64) -> Self {
        self.settings.seed = seed;
        self
    }

    /// Exact or streaming quantiles.
    pub fn quantiles(mut self, mode: QuantileMode) -> Self {
        self.settings.quantiles = mode;
        self
    }

    /// Also analyse every target: growth needed, progress categories, sensitivity.
    pub fn analysis(mut self, analysis: bool) -> Self {
        self.settings.analysis = analysis;
        self
    }

    /// All settings at once.
    pub fn settings(mut self, settings: RunSettings) -> Self {
        self.settings = settings;
        self
    }

    /// An observer told of the run's progress.
    pub fn observer(mut self, observer: &'a dyn Observer) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Takes part in a sharded run: every simulation draws only the shard's slice of
    /// its paths and records it, or merges every shard's slices instead of drawing
    /// ([`Sharding`]). The analysis re-runs simulations whose choice depends on earlier
    /// results, so it is refused under sharding ([`Error::Shard`]).
    pub fn sharding(mut self, sharding: Sharding<'a>) -> Self {
        self.sharding = Some(sharding);
        self
    }

    /// Takes base-needed figures from `memo` where it holds the same computation, and
    /// puts its own there: the runs of one catalogue under several scenarios share one.
    pub fn base_memo(mut self, memo: &'a BaseMemo) -> Self {
        self.memo = Some(memo);
        self
    }

    fn tell(&self, event: Event) {
        if let Some(o) = self.observer {
            o.observe(event);
        }
    }

    /// Simulates every simulable target.
    ///
    /// Errors if the scenario names an indicator the catalogue does not have, or gives
    /// no usable assumption for indicators that need simulating (all of them named in
    /// one error), or if a simulation cannot run.
    pub fn run(&self) -> Result<Assessment> {
        let (catalogue, scenario) = (self.catalogue, self.scenario);
        if self.sharding.is_some() && self.settings.analysis {
            return Err(Error::Shard {
                path: None,
                reason: "the analysis cannot be sharded (it chooses its simulations from \
                         earlier results): run it without sharding"
                    .into(),
            });
        }
        let settings = preflight::choose_quantiles(catalogue, self.settings, self.settings.paths);
        plan::check_scenario_keys(catalogue, scenario)?;
        let mut targets: Vec<TargetOutcome> = catalogue
            .targets
            .iter()
            .map(|t| TargetOutcome {
                target: t.clone(),
                result: Err(Unsimulated::NeedsBaseline),
                settled: None,
                base_needed: None,
            })
            .collect();
        let mut plans = Vec::new();
        for (i, t) in catalogue.targets.iter().enumerate() {
            match plan::plan(i, t, catalogue) {
                Ok(p) => plans.push(p),
                Err(why) => {
                    targets[i].result = Err(why);
                    targets[i].settled = settle(t, catalogue);
                }
            }
        }
        let links = plan::correlation_links(catalogue, scenario)?;
        let groups = plan::groups(catalogue.indicators.len(), &plans, &links);
        let classes = ReferenceClasses::estimate(&catalogue.history_series);
        let waiting = plan::waiting_for_a_base(catalogue, &targets);
        let (mut assumptions, spare) =
            plan::resolve_assumptions(catalogue, scenario, &classes, &groups, &waiting)?;
        let starts = plan::starts(catalogue, &plans);
        self.tell(Event::Planned {
            groups: groups.len(),
            targets: plans.len(),
        });
        let parallel = side_by_side(settings.paths, self.sharding.is_some());
        let members: Vec<(&Vec<usize>, Vec<Assumption>)> = groups
            .iter()
            .map(|indices| {
                let members = indices
                    .iter()
                    .map(|i| assumptions.remove(i).expect("resolved above"))
                    .collect();
                (indices, members)
            })
            .collect();
        let told = Told::new(self.observer);
        let simulated = each(parallel, members, |(indices, members)| {
            let group = group::Group::new(
                catalogue, scenario, indices, &plans, members, &starts, settings,
            )?
            .sharded(self.sharding);
            let results = group.run()?;
            told.step(|done| Event::Simulated {
                done,
                total: groups.len(),
            });
            Ok((group, results))
        })?;
        // The analysis of each group after every simulation, so that progress is told
        // phase by phase; it draws on its own streams, so the order changes no figure.
        let group_steps = if settings.analysis { groups.len() } else { 0 };
        let steps = group_steps + waiting.len();
        let told = Told::new(self.observer);
        let analysed = || {
            each(
                parallel,
                simulated,
                |(group, (evaluations, fans, shares))| {
                    let evaluations = group.analyse_all(evaluations)?;
                    if group_steps > 0 {
                        told.step(|done| Event::Analysed { done, total: steps });
                    }
                    Ok((evaluations, fans, shares))
                },
            )
        };
        let bases = || {
            each(parallel, waiting.iter().collect(), |w| {
                let assumptions: Option<Vec<Assumption>> =
                    w.indicators.iter().map(|i| spare.get(i).cloned()).collect();
                let base = match assumptions {
                    Some(assumptions) => base_needed::base_needed(
                        w,
                        catalogue,
                        scenario,
                        assumptions,
                        (settings, self.sharding),
                        self.memo,
                    )?,
                    None => None,
                };
                told.step(|done| Event::Analysed { done, total: steps });
                Ok((w.target, base))
            })
        };
        let (analysed, bases) = if parallel {
            rayon::join(analysed, bases)
        } else {
            (analysed(), bases())
        };
        let (mut fans, mut shares) = (Vec::new(), Vec::new());
        for (evaluations, outcomes, share_fans) in analysed? {
            for (target, evaluation) in evaluations {
                targets[target].result = Ok(evaluation);
            }
            fans.extend(outcomes);
            shares.extend(share_fans);
        }
        for (target, base) in bases? {
            targets[target].base_needed = base;
        }
        fans.sort_by_key(|(i, _)| *i);
        shares.sort_by_key(|(i, _)| *i);
        Ok(Assessment {
            settings,
            indicators: fans.into_iter().map(|(_, o)| o).collect(),
            shares: shares.into_iter().map(|(_, s)| s).collect(),
            targets,
            catalogue_indicators: catalogue.indicators.clone(),
        })
    }
}

/// Simulates every simulable target of `catalogue` under `scenario`: the same as
/// `Assessor::new(catalogue, scenario).settings(settings).run()`.
pub fn assess(
    catalogue: &Catalogue,
    scenario: &Scenario,
    settings: RunSettings,
) -> Result<Assessment> {
    Assessor::new(catalogue, scenario).settings(settings).run()
}

/// Most paths at which a run's simulations run side by side (above, one after another,
/// each simulation's paths still split over the threads): what side by side holds at
/// once stays small (an analysed goal's critical shifts, 8 bytes a path; a base-needed
/// figure's paths), and larger simulations keep every thread busy by themselves.
pub const SIDE_BY_SIDE_MAX_PATHS: u64 = 250_000;

/// Whether simulations of `paths` paths run side by side: they are independent (each
/// draws from its own streams), but a sharded run records and replays its simulations
/// in order, one at a time.
pub fn side_by_side(paths: u64, sharded: bool) -> bool {
    !sharded && paths <= SIDE_BY_SIDE_MAX_PATHS
}

/// `f` of each item, in the items' order: on rayon's threads when `parallel`, else one
/// after another, stopping at the first error. The first error in the items' order is
/// the one returned, whichever finished first.
pub(crate) fn each<T: Send, R: Send>(
    parallel: bool,
    items: Vec<T>,
    f: impl Fn(T) -> Result<R> + Sync + Send,
) -> Result<Vec<R>> {
    use rayon::prelude::*;
    if !parallel {
        return items.into_iter().map(f).collect();
    }
    let results: Vec<Result<R>> = items.into_par_iter().map(f).collect();
    results.into_iter().collect()
}

/// Progress of one phase told from whichever thread finishes a step: one event at a
/// time, `done` counting up.
pub(crate) struct Told<'o> {
    observer: Option<&'o dyn Observer>,
    done: std::sync::Mutex<usize>,
}

impl<'o> Told<'o> {
    pub(crate) fn new(observer: Option<&'o dyn Observer>) -> Self {
        Told {
            observer,
            done: std::sync::Mutex::new(0),
        }
    }

    /// Counts a step done and tells `event(done)`.
    pub(crate) fn step(&self, event: impl FnOnce(usize) -> Event) {
        // A poisoned count only means another step panicked; the count is still right.
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done += 1;
        if let Some(o) = self.observer {
            o.observe(event(*done));
        }
    }
}

//! Growth assumptions for indicators a scenario leaves unstated: estimated from the
//! indicator's own history where it has enough, else a **reference-class prior** built
//! from the indicators of its class that do have history.
//!
//! # Classes
//!
//! An indicator belongs to the class an economist would put it in, decided by its unit
//! and, for counts, by what is counted ([`ReferenceClass::of`]):
//!
//! | class | unit | examples |
//! |---|---|---|
//! | `money_flows` | 亿元, 万亿元, 亿美元, 万元, 元 | revenue, value added, R&D spending, trade, turnover |
//! | `enterprises` | count of enterprises | high-tech enterprises, technology SMEs, "little giants" |
//! | `institutions` | count of anything else | laboratories, platforms, incubators, facilities |
//! | `people` | count of people, 人, 人年 | talents, researchers, academicians |
//! | `capacities` | physical units (万吨, 万标箱, 万千瓦, 万辆, EFLOPS …) and per-head ratios | throughput, capacity, computing power, patents per 10,000 people |
//! | `shares` | % | shares of GDP, rates |
//!
//! Series that are not annual levels are left out of every class: growth rates and
//! changes (an id with `growth`, `change`, `_vs_`, `contribution`) and partial years
//! (`_h1`, `_q1`, `_q1_q3`, `_ytd`, `_midyear`). Yearly flows (revenue, enterprises
//! added in a year) are annual levels and belong to their class.
//!
//! # The history estimate
//!
//! An indicator with at least [`MIN_SERIES_INTERVALS`] intervals of its own (two for a
//! share: shares move smoothly and are seldom published for long) is calibrated
//! ([`Calibration::fit`]) and simulated with its parameter uncertainty
//! ([`UncertainGrowth`]: each path draws its central growth and volatility from the
//! estimation distribution) while it has fewer than [`SHORT_SERIES`] intervals, as every
//! provincial series does; a share is calibrated on its odds `s/(100 − s)` and simulated
//! as a [`BoundedShare`]. The assumption says `history (n values, first–last)`.
//!
//! # The class prior
//!
//! For the k series of a class with enough history (series i: log-growth estimate
//! `μ̂ᵢ`, its standard error `SE(μ̂ᵢ)`, volatility `σ̂ᵢ` on `nᵢ` intervals):
//!
//! * central log-growth `μ̄ = Σ μ̂ᵢ / k`;
//! * between-series variance `τ² = Σ (μ̂ᵢ − μ̄)² / (k − 1)`;
//! * the uncertainty of a new member's central growth
//!   `SE = √(τ²·(1 + 1/k) + maxᵢ SE(μ̂ᵢ)²)`: the spread of growth across the class (the
//!   predictive spread of one more series; τ² is not reduced by the members' own
//!   estimation noise) plus the estimation variance of the least certain member, so a
//!   prior is wider than any one calibrated series of its class — deliberately
//!   conservative;
//! * volatility: the largest member's, `σ = maxᵢ σ̂ᵢ`, with the degrees of freedom of
//!   the class's evidence, `Σ (nᵢ − 1)`. With both the growth uncertainty and the yearly noise at
//!   least any member's, the prior's spread of growth over any horizon is wider than
//!   that of every calibrated series of its class (a test checks it on the shipped
//!   history).
//!
//! The prior is simulated as [`UncertainGrowth`] (`ĝ = e^μ̄ − 1`,
//! `SE(ĝ) = e^μ̄·SE`, σ, its degrees of freedom); a share as a [`BoundedShare`] on
//! its odds whose yearly volatility also carries the growth uncertainty
//! (`√(σ² + SE²)`), said in its label. The assumption says
//! `prior: <class> (k series)`. A class with fewer than [`MIN_CLASS_SERIES`] series
//! takes the prior of every class pooled (shares apart), labelled as such (`prior: all
//! classes (k series; <class> has j)`): wider, never silent. So does an indicator whose
//! unit is unknown (a share's numerator no source gives a value of): `prior: all
//! classes (k series; unit unknown)`.
//!
//! ```
//! use goalcast::indicator::{Indicator, IndicatorKey, Observation};
//! use goalcast::reference::{ReferenceClass, ReferenceClasses};
//!
//! let series = |id: &str, unit: &str, values: &[(i32, f64)]| Indicator {
//!     key: IndicatorKey::new("Hubei", id),
//!     name_zh: String::new(),
//!     name_en: String::new(),
//!     unit: unit.into(),
//!     base: values.last().map(|&(year, value)| Observation { year, value }),
//!     history: values.iter().map(|&(year, value)| Observation { year, value }).collect(),
//!     sources: Default::default(),
//! };
//! let evidence = [
//!     series("revenue_a", "亿元", &[(2020, 100.0), (2021, 110.0), (2022, 123.0), (2023, 133.0)]),
//!     series("revenue_b", "亿元", &[(2020, 50.0), (2021, 54.0), (2022, 57.0), (2023, 62.0)]),
//!     series("revenue_c", "亿元", &[(2020, 71.0), (2021, 80.0), (2022, 92.0), (2023, 99.0)]),
//! ];
//! let classes = ReferenceClasses::estimate(&evidence);
//! let newcomer = series("revenue_d", "亿元", &[(2023, 40.0)]);
//! assert_eq!(ReferenceClass::of(&newcomer), Some(ReferenceClass::MoneyFlows));
//! let assumption = classes.unstated(&newcomer)?;
//! assert_eq!(assumption.basis.to_string(), "prior: money_flows (3 series)");
//! # Ok::<(), goalcast::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use crate::calibrate::{Calibration, CalibrationReport, MIN_INTERVALS};
use crate::error::{Error, Result};
use crate::indicator::{Indicator, Observation};
use crate::process::{BoundedShare, LogNormalGrowth, Model, UncertainGrowth};
use crate::scenario::{Assumption, Basis, CalibrationRequest};

/// Below this many intervals a history estimate carries its parameter uncertainty
/// (every series of the bundled history does).
pub const SHORT_SERIES: usize = 10;

/// Fewest intervals (consecutive known values) a series needs to be calibrated on its
/// own or to count as evidence for its class; shares need [`MIN_INTERVALS`].
pub const MIN_SERIES_INTERVALS: usize = 3;

/// Fewest series with history a class needs for a prior of its own.
pub const MIN_CLASS_SERIES: usize = 3;

/// The upper bound of a share in percent.
const SHARE_UPPER: f64 = 100.0;

/// A class of indicators that grow alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReferenceClass {
    /// Money flows and stocks in yuan: revenue, value added, spending, trade.
    MoneyFlows,
    /// Counts of certified or listed enterprises.
    Enterprises,
    /// Counts of laboratories, platforms, institutions, facilities.
    Institutions,
    /// Counts of people.
    People,
    /// Physical capacities and throughputs, per-head ratios.
    Capacities,
    /// Shares and rates in percent.
    Shares,
}

impl ReferenceClass {
    /// Every class, in the order of the documentation.
    pub const ALL: [ReferenceClass; 6] = [
        ReferenceClass::MoneyFlows,
        ReferenceClass::Enterprises,
        ReferenceClass::Institutions,
        ReferenceClass::People,
        ReferenceClass::Capacities,
        ReferenceClass::Shares,
    ];

    /// The name written in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceClass::MoneyFlows => "money_flows",
            ReferenceClass::Enterprises => "enterprises",
            ReferenceClass::Institutions => "institutions",
            ReferenceClass::People => "people",
            ReferenceClass::Capacities => "capacities",
            ReferenceClass::Shares => "shares",
        }
    }

    /// The class of an indicator, or `None` for a series that is not an annual level
    /// (a growth rate, a partial year, a yearly addition: see the module docs).
    pub fn of(indicator: &Indicator) -> Option<ReferenceClass> {
        let id = indicator.key.id.as_str();
        let has = |words: &[&str]| words.iter().any(|w| id.contains(w));
        let not_a_level = has(&["growth", "change", "_vs_", "contribution"])
            || ["_h1", "_q1", "_q1_q3", "_ytd", "_midyear"]
                .iter()
                .any(|s| id.ends_with(s));
        if not_a_level {
            return None;
        }
        let unit = indicator.unit.trim();
        Some(match unit {
            "亿元" | "万亿元" | "亿美元" | "万元" | "元" => ReferenceClass::MoneyFlows,
            "%" => ReferenceClass::Shares,
            "人" | "人年" | "名" | "万人" => ReferenceClass::People,
            "count" | "家" | "个" | "项" => {
                if has(&["enterprise", "smes", "giant", "firm", "compan", "listed"]) {
                    ReferenceClass::Enterprises
                } else if has(&[
                    "talent",
                    "personnel",
                    "academician",
                    "expert",
                    "people",
                    "researcher",
                    "vice_president",
                    "scientist",
                ]) {
                    ReferenceClass::People
                } else {
                    ReferenceClass::Institutions
                }
            }
            "" => return None,
            _ => ReferenceClass::Capacities,
        })
    }
}

impl fmt::Display for ReferenceClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One series' estimate, as a class prior uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesFit {
    /// `Jurisdiction/id`.
    pub series: String,
    /// μ̂, mean yearly log-growth (of the odds, for a share).
    pub mu: f64,
    /// SE(μ̂).
    pub mu_se: f64,
    /// σ̂.
    pub volatility: f64,
    /// Intervals used.
    pub intervals: usize,
}

/// The prior of one class (or of all classes pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct ClassPrior {
    /// The class; `None` for every class pooled.
    pub class: Option<ReferenceClass>,
    /// The series it rests on.
    pub series: Vec<SeriesFit>,
    /// μ̄, the class's central log-growth.
    pub mu: f64,
    /// τ, the standard deviation of the series' μ̂ across the class.
    pub between_sd: f64,
    /// SE of a new member's central log-growth (see the module docs).
    pub mu_se: f64,
    /// Volatility σ: the largest of the members'.
    pub volatility: f64,
    /// Its degrees of freedom, those of the class's evidence, `Σ (nᵢ − 1)`.
    pub volatility_df: f64,
}

impl ClassPrior {
    fn of(class: Option<ReferenceClass>, series: Vec<SeriesFit>) -> Option<ClassPrior> {
        let k = series.len();
        if k < 2 {
            return None;
        }
        let kf = k as f64;
        let mu = series.iter().map(|s| s.mu).sum::<f64>() / kf;
        let tau2 = series.iter().map(|s| (s.mu - mu).powi(2)).sum::<f64>() / (kf - 1.0);
        let widest = series.iter().map(|s| s.mu_se).fold(0.0, f64::max);
        let spread = tau2 * (1.0 + 1.0 / kf) + widest * widest;
        // The most volatile member's volatility; its uncertainty has the degrees of
        // freedom of the whole class's evidence.
        let volatility = series.iter().map(|s| s.volatility).fold(0.0, f64::max);
        let df: f64 = series.iter().map(|s| (s.intervals - 1) as f64).sum();
        Some(ClassPrior {
            class,
            mu,
            between_sd: tau2.sqrt(),
            mu_se: spread.sqrt(),
            volatility,
            volatility_df: df,
            series,
        })
    }

    /// The growth process of the prior: uncertain lognormal growth, or for a share a
    /// bounded share whose yearly volatility carries the growth uncertainty.
    pub fn model(&self, share: bool) -> Result<Model> {
        let growth = self.mu.exp_m1();
        Ok(if share {
            Model::BoundedShare(BoundedShare::new(
                growth,
                self.volatility.hypot(self.mu_se),
                SHARE_UPPER,
            )?)
        } else {
            Model::Uncertain(UncertainGrowth::new(
                growth,
                self.mu.exp() * self.mu_se,
                self.volatility,
                Some(self.volatility_df),
            )?)
        })
    }

    fn label(&self) -> String {
        self.class
            .map_or_else(|| "all classes".to_string(), |c| c.as_str().to_string())
    }
}

/// The class priors estimated from a set of series, and the rule that gives an
/// unstated indicator its assumption.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReferenceClasses {
    /// Priors of the classes with at least [`MIN_CLASS_SERIES`] series.
    pub classes: BTreeMap<ReferenceClass, ClassPrior>,
    /// Series with history per class, including classes too small for a prior.
    pub counts: BTreeMap<ReferenceClass, usize>,
    /// Every class's series pooled (shares apart: they move on another scale).
    pub pooled: Option<ClassPrior>,
}

impl ReferenceClasses {
    /// Estimates every class from the `evidence` series that have at least
    /// [`MIN_SERIES_INTERVALS`] intervals (every series of a history file, typically).
    pub fn estimate(evidence: &[Indicator]) -> Self {
        let mut by_class: BTreeMap<ReferenceClass, Vec<SeriesFit>> = BTreeMap::new();
        for indicator in evidence {
            let Some(class) = ReferenceClass::of(indicator) else {
                continue;
            };
            let share = class == ReferenceClass::Shares;
            if let Some(report) = fit(indicator, share, &Calibration::new())
                && let Some(mu_se) = report.mu_se
            {
                by_class.entry(class).or_default().push(SeriesFit {
                    series: indicator.key.to_string(),
                    mu: report.mu,
                    mu_se,
                    volatility: report.volatility,
                    intervals: report.n_intervals,
                });
            }
        }
        let counts = by_class.iter().map(|(c, s)| (*c, s.len())).collect();
        let pooled = ClassPrior::of(
            None,
            by_class
                .iter()
                .filter(|(c, _)| **c != ReferenceClass::Shares)
                .flat_map(|(_, s)| s.iter().cloned())
                .collect(),
        );
        let classes = by_class
            .into_iter()
            .filter(|(_, s)| s.len() >= MIN_CLASS_SERIES)
            .filter_map(|(c, s)| ClassPrior::of(Some(c), s).map(|p| (c, p)))
            .collect();
        ReferenceClasses {
            classes,
            counts,
            pooled,
        }
    }

    /// The assumption of an indicator the scenario does not state: its own history
    /// when it has [`MIN_SERIES_INTERVALS`] intervals, else its class's prior, else the pooled
    /// prior (labelled). An error names the indicator when none applies (a series that
    /// is not an annual level, or no evidence at all).
    pub fn unstated(&self, indicator: &Indicator) -> Result<Assumption> {
        let class = ReferenceClass::of(indicator);
        let share = class == Some(ReferenceClass::Shares);
        if let Some(report) = fit(indicator, share, &Calibration::new()) {
            return history_assumption(&report, share, &CalibrationRequest::default());
        }
        let fail = |reason: String| Error::Calibration {
            indicator: indicator.key.to_string(),
            reason,
        };
        let unit_unknown = indicator.unit.trim().is_empty();
        let class = match class {
            Some(c) => Some(c),
            None if unit_unknown => None,
            None => {
                return Err(fail(
                    "no growth assumption: the scenario states none, its history is too short \
                     and it belongs to no reference class (not an annual level)"
                        .into(),
                ));
            }
        };
        let own = class.and_then(|c| self.classes.get(&c));
        let (prior, label) = match own {
            Some(p) => (p, format!("{} ({} series)", p.label(), p.series.len())),
            None => {
                let why = match class {
                    Some(c) => format!(
                        "its class `{c}` has {} series with history, fewer than the \
                         {MIN_CLASS_SERIES} a prior needs",
                        self.counts.get(&c).copied().unwrap_or(0)
                    ),
                    None => "its unit is unknown".into(),
                };
                let pooled = self.pooled.as_ref().filter(|_| !share).ok_or_else(|| {
                    fail(format!(
                        "no growth assumption: the scenario states none, its history is too \
                         short, {why}, and no series of any class has history"
                    ))
                })?;
                let short = match class {
                    Some(c) => format!("{c} has {}", self.counts.get(&c).copied().unwrap_or(0)),
                    None => "unit unknown".into(),
                };
                let label = format!("all classes ({} series; {short})", pooled.series.len());
                (pooled, label)
            }
        };
        let label = if share {
            format!("{label}; growth uncertainty in the yearly volatility")
        } else {
            label
        };
        Ok(Assumption {
            model: prior.model(share)?,
            source: Some(format!(
                "reference-class prior: central growth {:.1} %/yr (± {:.1}), volatility {:.1} %",
                100.0 * prior.mu.exp_m1(),
                100.0 * prior.mu.exp() * prior.mu_se,
                100.0 * prior.volatility
            )),
            basis: Basis::Prior { label },
        })
    }
}

/// The assumption `model = "calibrated"` asks for: the indicator's own history estimate
/// (the same rule as for an unstated indicator: parameter uncertainty below
/// [`SHORT_SERIES`] intervals, a share on its odds) in the request's window and without
/// its excluded years, its central growth moved by the request's shift. Fewer than
/// [`MIN_SERIES_INTERVALS`] intervals ([`MIN_INTERVALS`] for a share) is an error that
/// names the indicator and what it has. `evidence` is the series estimated from: the
/// indicator itself, or the series the request names with `from` (same unit required).
pub fn calibrated(
    indicator: &Indicator,
    evidence: &Indicator,
    request: &CalibrationRequest,
) -> Result<Assumption> {
    calibration(indicator, evidence, request).map(|(_, assumption)| assumption)
}

/// [`calibrated`] with the estimate it rests on (what `goalcast calibrate` tabulates).
pub fn calibration(
    indicator: &Indicator,
    evidence: &Indicator,
    request: &CalibrationRequest,
) -> Result<(CalibrationReport, Assumption)> {
    let share = ReferenceClass::of(indicator) == Some(ReferenceClass::Shares)
        || indicator.unit.trim() == "%";
    let analog = (evidence.key != indicator.key).then(|| evidence.key.to_string());
    if analog.is_some() && !indicator.unit.is_empty() && evidence.unit != indicator.unit {
        return Err(Error::Calibration {
            indicator: indicator.key.to_string(),
            reason: format!(
                "scenario {} calibrates it from {}, measured in `{}`, not in its own unit `{}`",
                request.scenario, evidence.key, evidence.unit, indicator.unit
            ),
        });
    }
    let mut spec = Calibration::new().exclude(&request.exclude);
    if let Some((first, last)) = request.window {
        spec = spec.window(first, last);
    }
    let report = fit(evidence, share, &spec).ok_or_else(|| Error::Calibration {
        indicator: indicator.key.to_string(),
        reason: format!(
            "{}its known values ({}) give fewer than {} usable intervals{}; state its growth instead",
            if request.scenario.is_empty() {
                String::new()
            } else {
                format!(
                    "scenario {} asks to calibrate it from {}, but ",
                    request.scenario,
                    analog.as_deref().unwrap_or("its own history")
                )
            },
            years_of(&evidence.history),
            if share { MIN_INTERVALS } else { MIN_SERIES_INTERVALS },
            request
                .window
                .map_or_else(String::new, |(a, b)| format!(" in the window {a}-{b}"))
        ),
    })?;
    let mut assumption = history_assumption(&report, share, request)?;
    if let Basis::History { of, .. } = &mut assumption.basis {
        of.clone_from(&analog);
    }
    if let Some(text) = &request.source {
        let own = assumption.source.take().unwrap_or_default();
        assumption.source = Some(format!("{own}; {text}"));
    }
    Ok((report, assumption))
}

/// The years of a series, e.g. `2015, 2017-2022`, or `none`.
fn years_of(series: &[Observation]) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for o in series {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == o.year => *last = o.year,
            _ => runs.push((o.year, o.year)),
        }
    }
    if runs.is_empty() {
        return "none".into();
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The indicator's own calibration under `spec` (on the odds, for a share), when its
/// known values give at least [`MIN_SERIES_INTERVALS`] intervals ([`MIN_INTERVALS`] for
/// a share).
fn fit(indicator: &Indicator, share: bool, spec: &Calibration) -> Option<CalibrationReport> {
    let series: Vec<Observation> = if share {
        let odds = |o: &Observation| Observation {
            year: o.year,
            value: o.value / (SHARE_UPPER - o.value),
        };
        if indicator.history.iter().any(|o| o.value >= SHARE_UPPER) {
            return None;
        }
        indicator.history.iter().map(odds).collect()
    } else {
        indicator.history.clone()
    };
    let needed = if share {
        MIN_INTERVALS
    } else {
        MIN_SERIES_INTERVALS
    };
    spec.fit(&indicator.key, &series)
        .ok()
        .filter(|report| report.n_intervals >= needed)
}

/// The assumption a history calibration gives (see the module docs), its central
/// growth moved and its volatility scaled as `request` asks (a default request leaves
/// them as estimated).
fn history_assumption(
    report: &CalibrationReport,
    share: bool,
    request: &CalibrationRequest,
) -> Result<Assumption> {
    let (first, last) = report.years_covered.unwrap_or_default();
    let shift = request.growth_shift;
    let scale = request.volatility_scale;
    let growth = report.growth + shift;
    let volatility = report.volatility * scale;
    let model = if share {
        Model::BoundedShare(BoundedShare::new(growth, volatility, SHARE_UPPER)?)
    } else if report.n_intervals < SHORT_SERIES {
        let u = report.uncertain()?;
        Model::Uncertain(UncertainGrowth::new(
            growth,
            u.growth_se(),
            u.sigma() * scale,
            u.volatility_df(),
        )?)
    } else {
        Model::LogNormal(LogNormalGrowth::new(growth, volatility)?)
    };
    let mut moved = String::new();
    if shift != 0.0 {
        moved.push_str(&format!(
            "; moved {:+.1} points by the scenario",
            100.0 * shift
        ));
    }
    if scale != 1.0 {
        moved.push_str(&format!("; volatility ×{scale} by the scenario"));
    }
    Ok(Assumption {
        model,
        source: Some(format!(
            "estimated from history {first}-{last}: {:.1} %/yr (SE {:.1}), volatility {:.1} %{}{moved}",
            100.0 * report.growth,
            100.0 * report.growth_se.unwrap_or(f64::NAN),
            100.0 * report.volatility,
            if share { " (of the odds)" } else { "" }
        )),
        basis: Basis::History {
            of: None,
            values: report.observations,
            first,
            last,
        },
    })
}

/// One series of a history file as `goalcast calibrate` estimates it: the estimate and
/// the assumption it gives, or why it has none.
#[derive(Debug, Clone)]
pub struct SeriesCalibration {
    /// The series (key, unit, known values).
    pub series: Indicator,
    /// The estimate and its assumption, or the reason there is none.
    pub result: std::result::Result<(CalibrationReport, Assumption), String>,
}

/// Calibrates every series of `series` (each on its own history, under `request`) in
/// key order: the rule a run applies to `model = "calibrated"`. A series that is not an
/// annual level (a growth rate, a partial year: see the module docs) is not calibrated,
/// and says so.
pub fn calibrate_all(series: &[Indicator], request: &CalibrationRequest) -> Vec<SeriesCalibration> {
    series
        .iter()
        .map(|s| SeriesCalibration {
            series: s.clone(),
            result: match ReferenceClass::of(s) {
                None if !s.unit.trim().is_empty() => Err(
                    "not an annual level (a growth rate, a change or a partial year): \
                     its growth is not a compound-growth parameter"
                        .into(),
                ),
                _ => calibration(s, s, request).map_err(|e| match e {
                    Error::Calibration { reason, .. } => reason,
                    other => other.to_string(),
                }),
            },
        })
        .collect()
}

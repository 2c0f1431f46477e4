//! The published progress assessments, computed from an indicator's history exactly as
//! their publishers compute them: Statistics Canada's method (the one Open SDG
//! platforms run) and Eurostat's short-term and long-term SDG assessments.
//!
//! These answer a question about the **past**: has the series, so far, moved fast
//! enough? goalcast's own categories ([`crate::analysis::progress_categories`]) answer a
//! question about the **deadline**: on each simulated path, the growth from the latest
//! value to the deadline against the growth required *from the latest value*. The two
//! can differ for the same goal; both are reported, under different column names
//! (`statcan_*`, `eurostat_5y_*`, `eurostat_15y_*` here; `progress_*`, `p_on_track` …
//! for goalcast's).
//!
//! # Statistics Canada / Open SDG
//!
//! Base year `t₀` = 2015, or the first year with data after it ([`STATCAN_BASE_YEAR`]);
//! latest year `t` = the last year with data (at least one year after `t₀`). With
//! `d = +1` when the goal wants the indicator up (`≥`), `−1` when down (`≤`), and
//! `s = −1` when the base value is negative (all values negative), `+1` otherwise:
//!
//! * observed growth `CAGR_o = (x_t/x_{t₀})^{1/(t−t₀)} − 1`;
//! * **with a target** `y_T` in year `T`: `CAGR_r = (y_T/x_{t₀})^{1/(T−t₀)} − 1` and the
//!   progress value `R = s·d·CAGR_o / |CAGR_r|`. The latest value already meeting the
//!   target is **target achieved** (score 5) whatever the trend; otherwise
//!   `R ≥ 0.95` substantial progress ("on track"), `0.6 ≤ R < 0.95` moderate progress
//!   ("progress made but acceleration needed"), `0 ≤ R < 0.6` limited progress,
//!   `R < 0` deterioration. Score: linear from −5 at `R = −0.6` to 0 at `R = 0.6` and
//!   from 0 to 5 at `R = 1.3`, clamped to `[−5, 5]`. A natural limit is ignored when a
//!   target is given.
//! * **without a target**: the progress value is `v = s·d·CAGR_o`, against thresholds
//!   1.5 % · C, 0.5 % · C and 0 (same four categories). C = 1 unless the indicator has
//!   a natural limit L in the desired direction (a share's 100 %): with `a = 4.44`,
//!   `C = 1 − (|x_{t₀}|/|L|)^a` when `|x_{t₀}| ≤ |L|`, `1 − ((2|L| − |x_{t₀}|)/|L|)^a` when
//!   `|L| < |x_{t₀}| < 2|L|`, and 1 beyond. Score: `max(125v − 2.5, −5)` for `v < 0`;
//!   5 when `C = 0` (the base sits on the limit and is held); else `500v/C − 2.5` up
//!   to 0.5 %·C, `250v/C − 1.25` up to 1.5 %·C, `min(500v/C − 5, 5)` above.
//! * A base value or target of zero is replaced by 0.001 (the method's own rule). A
//!   base equal to the target leaves R undefined (sdg-build divides by zero): goalcast
//!   reports no R, and target achieved if the latest value still meets the target,
//!   deterioration (score −5) if not; Eurostat's ratio likewise.
//!
//! # Eurostat (SDG monitoring report)
//!
//! Two windows ending at the latest year t: the **short term**, from t − 5, and the
//! **long term**, from t − 15 ([`Term`]). When the window's first year has no value the
//! first year with a value is used, as long as the window keeps at least 3 (short) or
//! 10 (long) years. From the window's start `t₀`:
//!
//! * **with a target**: actual growth `a = (x_t/x_{t₀})^{1/(t−t₀)} − 1`, required growth
//!   `r = (y_T/x_{t₀})^{1/(T−t₀)} − 1` from the *start of the window*, ratio `a/r`
//!   (written `d·a/|r|`, which is the same whenever the window starts short of the
//!   target and keeps its meaning when the start already met it): ≥ 95 % significant
//!   progress, 60–95 % moderate progress, 0–60 % insufficient progress towards the
//!   target, below 0 movement away from it. A latest value that meets the target is
//!   significant progress (its ratio is then ≥ 1 whenever the window starts short of
//!   the target).
//! * **without a target**: `d·a` against ±1 % a year: ≥ 1 % significant progress,
//!   0–1 % moderate progress towards the objectives, −1–0 % moderate movement away,
//!   below −1 % significant movement away.
//!
//! # Sources
//!
//! * Open SDG, `docs/progress-methodology.md` ("Progress Measurement Methodology",
//!   Statistics Canada): the formulas, the thresholds 0.95 / 0.6 / 0 and
//!   1.5 % / 0.5 % / 0, the scores (−60 % → −5, 60 % → 0, 130 % → 5; −2 % → −5,
//!   0 → −2.5, 0.5 % → 0, 1.5 % → 2.5, 2 % → 5), the zero replacements, the base-year
//!   rule and the minimum of two years.
//! * sdg-build's `IndicatorProgress.py` (`SeriesProgress`: `methodology_1`,
//!   `methodology_2`, `get_score`, `get_progress_thresholds`): `R = sign·direction·
//!   CAGR_o/|CAGR_r|`, the scaling factor with exponent 4.44, the status keys written
//!   here (`target_achieved`, `substantial_progress`, …), and that a limit is ignored
//!   when a target is given. Its score slopes are rounded (7.1429, 4.2857, 4.1667);
//!   the documented end points are used here (scores differ by < 1e-4).
//! * Eurostat, *Sustainable development in the European Union — Monitoring report on
//!   progress towards the SDGs in an EU context* (editions 2020–2025, introduction and
//!   methodological annex): the short-term (5-year) and long-term (15-year) windows,
//!   the category names, required growth from the start of the window, and the ±1 %
//!   thresholds without a target.

pub use crate::error::Unassessed;
use crate::indicator::{Indicator, Observation};
use crate::target::{Comparator, Target, TargetKind, Threshold};

/// Statistics Canada's default base year.
pub const STATCAN_BASE_YEAR: i32 = 2015;

/// What a zero base value or a zero target is replaced by in Statistics Canada's method.
pub const ZERO_REPLACEMENT: f64 = 0.001;

/// Statistics Canada's thresholds on R (with a target): on track, moderate, limited.
pub const STATCAN_RATIO_THRESHOLDS: [f64; 3] = [0.95, 0.6, 0.0];

/// Statistics Canada's thresholds on observed growth (no target), before the scaling
/// factor C.
pub const STATCAN_GROWTH_THRESHOLDS: [f64; 3] = [0.015, 0.005, 0.0];

/// Exponent of Statistics Canada's natural-limit scaling factor.
pub const LIMIT_EXPONENT: f64 = 4.44;

/// Eurostat's thresholds on the ratio of actual to required growth (with a target).
pub const EUROSTAT_RATIO_THRESHOLDS: [f64; 3] = [0.95, 0.6, 0.0];

/// Eurostat's threshold on growth in the desired direction without a target (±1 %).
pub const EUROSTAT_GROWTH_THRESHOLD: f64 = 0.01;

/// What a goal asks of a series, as the published methods read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    /// The target level (in the series' unit), or `None`: assess the trend only.
    pub target: Option<f64>,
    /// The year the target is due.
    pub target_year: i32,
    /// The desired direction: `≥` (up, d = +1) or `≤` (down, d = −1).
    pub direction: Comparator,
    /// A natural limit in the desired direction (100 for a percentage that should
    /// rise), used by Statistics Canada's method without a target.
    pub limit: Option<f64>,
}

impl Objective {
    /// d: +1 when the goal wants the indicator up, −1 when down.
    pub fn direction_sign(&self) -> f64 {
        match self.direction {
            Comparator::AtLeast => 1.0,
            Comparator::AtMost => -1.0,
        }
    }

    /// Whether `value` meets the target.
    fn met_by(&self, value: f64) -> bool {
        self.target.is_some_and(|k| match self.direction {
            Comparator::AtLeast => value >= k,
            Comparator::AtMost => value <= k,
        })
    }
}

/// Compound annual growth from `x0` in `t0` to `x1` in `t1`: `(x1/x0)^{1/(t1−t0)} − 1`.
pub fn cagr(x0: f64, t0: i32, x1: f64, t1: i32) -> f64 {
    (x1 / x0).powf(1.0 / f64::from(t1 - t0)) - 1.0
}

/// The first and last known values from `from` on; the series is sorted by year.
fn first_from(series: &[Observation], from: i32) -> Option<Observation> {
    series.iter().find(|o| o.year >= from).copied()
}

/// Statistics Canada's categories, with the status keys of sdg-build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatCanStatus {
    /// The latest value meets the target.
    TargetAchieved,
    /// "On track": R ≥ 0.95 (growth ≥ 1.5 %·C without a target).
    SubstantialProgress,
    /// "Progress made but acceleration needed": 0.6 ≤ R < 0.95.
    ModerateProgress,
    /// "Limited progress": 0 ≤ R < 0.6.
    LimitedProgress,
    /// "Deterioration": R < 0.
    Deterioration,
}

impl StatCanStatus {
    /// The key written in tables (sdg-build's): `target_achieved`, `substantial_progress`,
    /// `moderate_progress`, `limited_progress`, `deterioration`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatCanStatus::TargetAchieved => "target_achieved",
            StatCanStatus::SubstantialProgress => "substantial_progress",
            StatCanStatus::ModerateProgress => "moderate_progress",
            StatCanStatus::LimitedProgress => "limited_progress",
            StatCanStatus::Deterioration => "deterioration",
        }
    }

    /// The name the published methodology gives it (lower case), for charts.
    pub fn label(self) -> &'static str {
        match self {
            StatCanStatus::TargetAchieved => "target achieved",
            StatCanStatus::SubstantialProgress => "on track",
            StatCanStatus::ModerateProgress => "acceleration needed",
            StatCanStatus::LimitedProgress => "limited progress",
            StatCanStatus::Deterioration => "deterioration",
        }
    }

    /// The category of a progress value against three thresholds (high, med, low).
    fn of(value: f64, [high, med, low]: [f64; 3]) -> Self {
        if value >= high {
            StatCanStatus::SubstantialProgress
        } else if value >= med {
            StatCanStatus::ModerateProgress
        } else if value >= low {
            StatCanStatus::LimitedProgress
        } else {
            StatCanStatus::Deterioration
        }
    }
}

/// Statistics Canada's assessment of one series, with every figure it used.
#[derive(Debug, Clone, PartialEq)]
pub struct StatCan {
    /// Base year t₀: 2015, or the first year with data after it.
    pub base_year: i32,
    /// Value in the base year, as used (0 replaced by 0.001).
    pub base_value: f64,
    /// Latest year with data.
    pub latest_year: i32,
    /// Value in the latest year.
    pub latest_value: f64,
    /// The target, as used (0 replaced by 0.001); `None` for the trend method.
    pub target: Option<f64>,
    /// The target year.
    pub target_year: i32,
    /// Observed compound annual growth `CAGR_o` from the base year to the latest.
    pub observed_growth: f64,
    /// Growth required from the base year to reach the target in the target year.
    pub required_growth: Option<f64>,
    /// The natural-limit scaling factor C (trend method with a limit).
    pub coefficient: Option<f64>,
    /// The progress value: R (with a target) or `s·d·CAGR_o` (without); `None` when the
    /// base equals the target (R undefined).
    pub progress_value: Option<f64>,
    /// The category.
    pub status: StatCanStatus,
    /// The score, −5 … 5.
    pub score: f64,
}

/// Statistics Canada's scaling factor C for a base value near a natural limit.
///
/// ```
/// use goalcast::official::limit_coefficient;
/// assert_eq!(limit_coefficient(50.0, 100.0), 1.0 - 0.5f64.powf(4.44));
/// assert_eq!(limit_coefficient(100.0, 100.0), 0.0);
/// assert_eq!(limit_coefficient(250.0, 100.0), 1.0);
/// ```
pub fn limit_coefficient(base_value: f64, limit: f64) -> f64 {
    let (b, l) = (base_value.abs(), limit.abs());
    if b >= 2.0 * l {
        1.0
    } else if b <= l {
        1.0 - (b / l).powf(LIMIT_EXPONENT)
    } else {
        1.0 - ((2.0 * l - b) / l).powf(LIMIT_EXPONENT)
    }
}

/// Statistics Canada's score of R (with a target): −5 at R = −0.6, 0 at 0.6, 5 at 1.3.
fn ratio_score(r: f64) -> f64 {
    if r >= 0.6 {
        (5.0 * (r - 0.6) / 0.7).min(5.0)
    } else {
        (5.0 * (r - 0.6) / 1.2).max(-5.0)
    }
}

/// Statistics Canada's score of growth v without a target, thresholds scaled by C.
fn growth_score(v: f64, c: f64) -> f64 {
    let [high, med, _] = STATCAN_GROWTH_THRESHOLDS.map(|x| x * c);
    if v < 0.0 {
        (125.0 * v - 2.5).max(-5.0)
    } else if c == 0.0 {
        5.0
    } else if v >= high {
        (500.0 * v / c - 5.0).min(5.0)
    } else if v >= med {
        250.0 * v / c - 1.25
    } else {
        500.0 * v / c - 2.5
    }
}

/// Statistics Canada's assessment of `series` (sorted by year) against `objective`,
/// from `base_year` (normally [`STATCAN_BASE_YEAR`]).
///
/// ```
/// use goalcast::indicator::Observation;
/// use goalcast::official::{Objective, StatCanStatus, statcan, STATCAN_BASE_YEAR};
/// use goalcast::target::Comparator;
/// let series = [Observation { year: 2015, value: 830.0 }, Observation { year: 2022, value: 3017.86 }];
/// let goal = Objective { target: Some(10_000.0), target_year: 2028, direction: Comparator::AtLeast, limit: None };
/// let a = statcan(&series, &goal, STATCAN_BASE_YEAR)?;
/// assert_eq!(a.status, StatCanStatus::SubstantialProgress); // R = 0.96: on track
/// # Ok::<(), goalcast::official::Unassessed>(())
/// ```
pub fn statcan(
    series: &[Observation],
    objective: &Objective,
    base_year: i32,
) -> Result<StatCan, Unassessed> {
    let latest = *series.last().ok_or(Unassessed::NoHistory)?;
    let base = first_from(series, base_year).ok_or(Unassessed::TooShort)?;
    if latest.year - base.year < 1 {
        return Err(Unassessed::TooShort);
    }
    let base_value = if base.value == 0.0 {
        ZERO_REPLACEMENT
    } else {
        base.value
    };
    if base_value * latest.value < 0.0 {
        return Err(Unassessed::GrowthUndefined);
    }
    let sign = if base_value < 0.0 { -1.0 } else { 1.0 };
    let d = objective.direction_sign();
    let observed = cagr(base_value, base.year, latest.value, latest.year);
    let (target, required, coefficient, progress_value, status, score) = match objective.target {
        Some(k) => {
            let k = if k == 0.0 { ZERO_REPLACEMENT } else { k };
            let required = cagr(base_value, base.year, k, objective.target_year);
            // R is undefined when the base equals the target (the published code
            // divides by zero there): still met is target achieved, else deterioration.
            let r = (required != 0.0).then(|| sign * d * observed / required.abs());
            let status = if objective.met_by(latest.value) {
                StatCanStatus::TargetAchieved
            } else {
                r.map_or(StatCanStatus::Deterioration, |r| {
                    StatCanStatus::of(r, STATCAN_RATIO_THRESHOLDS)
                })
            };
            let score = match (status, r) {
                (StatCanStatus::TargetAchieved, _) => 5.0,
                (_, Some(r)) => ratio_score(r),
                (_, None) => -5.0,
            };
            (Some(k), Some(required), None, r, status, score)
        }
        None => {
            let c = objective.limit.map(|l| limit_coefficient(base_value, l));
            let c_used = c.unwrap_or(1.0);
            let v = sign * d * observed;
            let status = StatCanStatus::of(v, STATCAN_GROWTH_THRESHOLDS.map(|x| x * c_used));
            (None, None, c, Some(v), status, growth_score(v, c_used))
        }
    };
    Ok(StatCan {
        base_year: base.year,
        base_value,
        latest_year: latest.year,
        latest_value: latest.value,
        target,
        target_year: objective.target_year,
        observed_growth: observed,
        required_growth: required,
        coefficient,
        progress_value,
        status,
        score,
    })
}

/// Eurostat's two assessment windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Term {
    /// The last five years (at least three).
    Short,
    /// The last fifteen years (at least ten).
    Long,
}

impl Term {
    /// Both terms, short first.
    pub const ALL: [Term; 2] = [Term::Short, Term::Long];

    /// Length of the window in years, and the fewest years it may shrink to when its
    /// first year has no value.
    pub fn years(self) -> (i32, i32) {
        match self {
            Term::Short => (5, 3),
            Term::Long => (15, 10),
        }
    }
}

/// Eurostat's categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EurostatStatus {
    /// Ratio ≥ 95 % (or the target met); without a target, growth ≥ 1 % a year.
    SignificantProgress,
    /// Ratio 60–95 %; without a target, growth 0–1 %.
    ModerateProgress,
    /// Ratio 0–60 % (with a target only).
    InsufficientProgress,
    /// Ratio below 0 (with a target only).
    MovementAway,
    /// Without a target: growth between −1 % and 0 in the desired direction.
    ModerateMovementAway,
    /// Without a target: growth below −1 % in the desired direction.
    SignificantMovementAway,
}

impl EurostatStatus {
    /// Key written in tables, e.g. `significant_progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            EurostatStatus::SignificantProgress => "significant_progress",
            EurostatStatus::ModerateProgress => "moderate_progress",
            EurostatStatus::InsufficientProgress => "insufficient_progress",
            EurostatStatus::MovementAway => "movement_away",
            EurostatStatus::ModerateMovementAway => "moderate_movement_away",
            EurostatStatus::SignificantMovementAway => "significant_movement_away",
        }
    }

    /// The name in a few words, for charts.
    pub fn label(self) -> &'static str {
        match self {
            EurostatStatus::SignificantProgress => "significant progress",
            EurostatStatus::ModerateProgress => "moderate progress",
            EurostatStatus::InsufficientProgress => "insufficient progress",
            EurostatStatus::MovementAway => "movement away",
            EurostatStatus::ModerateMovementAway => "moderate movement away",
            EurostatStatus::SignificantMovementAway => "significant movement away",
        }
    }
}

/// Eurostat's assessment over one window, with every figure it used.
#[derive(Debug, Clone, PartialEq)]
pub struct Eurostat {
    /// Short or long term.
    pub term: Term,
    /// First year of the window t₀.
    pub start_year: i32,
    /// Value in t₀.
    pub start_value: f64,
    /// Latest year t.
    pub latest_year: i32,
    /// Value in t.
    pub latest_value: f64,
    /// Actual compound annual growth over the window.
    pub observed_growth: f64,
    /// Growth required from t₀ to reach the target in its year (with a target).
    pub required_growth: Option<f64>,
    /// `d·a/|r|` (with a target; `None` when the window starts at the target).
    pub ratio: Option<f64>,
    /// The category.
    pub status: EurostatStatus,
}

/// Eurostat's assessment of `series` (sorted by year) over the `term` window.
pub fn eurostat(
    series: &[Observation],
    objective: &Objective,
    term: Term,
) -> Result<Eurostat, Unassessed> {
    let latest = *series.last().ok_or(Unassessed::NoHistory)?;
    let (full, least) = term.years();
    let start = first_from(series, latest.year - full)
        .filter(|o| latest.year - o.year >= least)
        .ok_or(Unassessed::WindowTooShort)?;
    if start.value == 0.0 || start.value * latest.value < 0.0 {
        return Err(Unassessed::GrowthUndefined);
    }
    let d = objective.direction_sign();
    let observed = cagr(start.value, start.year, latest.value, latest.year);
    let (required, ratio, status) = match objective.target {
        Some(k) => {
            let r = cagr(start.value, start.year, k, objective.target_year);
            let ratio = (r != 0.0).then(|| d * observed / r.abs());
            let [high, med, low] = EUROSTAT_RATIO_THRESHOLDS;
            let status = match ratio {
                _ if objective.met_by(latest.value) => EurostatStatus::SignificantProgress,
                Some(x) if x >= high => EurostatStatus::SignificantProgress,
                Some(x) if x >= med => EurostatStatus::ModerateProgress,
                Some(x) if x >= low => EurostatStatus::InsufficientProgress,
                _ => EurostatStatus::MovementAway,
            };
            (Some(r), ratio, status)
        }
        None => {
            let v = d * observed;
            let t = EUROSTAT_GROWTH_THRESHOLD;
            let status = if v >= t {
                EurostatStatus::SignificantProgress
            } else if v >= 0.0 {
                EurostatStatus::ModerateProgress
            } else if v >= -t {
                EurostatStatus::ModerateMovementAway
            } else {
                EurostatStatus::SignificantMovementAway
            };
            (None, None, status)
        }
    };
    Ok(Eurostat {
        term,
        start_year: start.year,
        start_value: start.value,
        latest_year: latest.year,
        latest_value: latest.value,
        observed_growth: observed,
        required_growth: required,
        ratio,
        status,
    })
}

/// The published assessments of one goal: Statistics Canada's and Eurostat's short-
/// and long-term, each with its figures or why it cannot be computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Official {
    /// Statistics Canada / Open SDG.
    pub statcan: Result<StatCan, Unassessed>,
    /// Eurostat, last five years.
    pub eurostat_short: Result<Eurostat, Unassessed>,
    /// Eurostat, last fifteen years.
    pub eurostat_long: Result<Eurostat, Unassessed>,
}

impl Official {
    /// All three missing for the same reason (the goal itself rules them out).
    pub fn unassessed(why: Unassessed) -> Self {
        Official {
            statcan: Err(why),
            eurostat_short: Err(why),
            eurostat_long: Err(why),
        }
    }

    /// Why each missing assessment is missing, e.g. `eurostat_15y: window_too_short`;
    /// empty when all three are computed.
    pub fn note(&self) -> String {
        let mut notes: Vec<String> = Vec::new();
        let mut add = |name: &str, why: Option<Unassessed>| {
            if let Some(why) = why {
                notes.push(format!("{name}: {}", why.as_str()));
            }
        };
        add("statcan", self.statcan.as_ref().err().copied());
        add("eurostat_5y", self.eurostat_short.as_ref().err().copied());
        add("eurostat_15y", self.eurostat_long.as_ref().err().copied());
        notes.join("; ")
    }

    /// A few words for a chart: Statistics Canada's category as published
    /// (`StatCan: on track`), or why there is none (`StatCan n/a: too short`).
    pub fn label(&self) -> String {
        match &self.statcan {
            Ok(s) => format!("StatCan: {}", s.status.label()),
            Err(why) => format!("StatCan n/a: {}", why.as_str().replace('_', " ")),
        }
    }
}

/// The series a target is assessed on (sorted by year): the indicator's known values,
/// or for a share the ratio `100·N/D` in the years both are known.
pub fn series_of(
    target: &Target,
    indicator: &Indicator,
    denominator: Option<&Indicator>,
) -> Result<Vec<Observation>, Unassessed> {
    let mut series: Vec<Observation> = if target.kind == TargetKind::Share {
        let d = denominator.ok_or(Unassessed::NoShareSeries)?;
        let s: Vec<Observation> = indicator
            .history
            .iter()
            .filter_map(|n| {
                d.value_in(n.year)
                    .filter(|&v| v != 0.0)
                    .map(|v| Observation {
                        year: n.year,
                        value: 100.0 * n.value / v,
                    })
            })
            .collect();
        if s.is_empty() {
            return Err(Unassessed::NoShareSeries);
        }
        s
    } else {
        indicator.history.clone()
    };
    series.sort_by_key(|o| o.year);
    Ok(series)
}

/// The objective of a target as the published methods read it, given the series it is
/// assessed on: the level it requires by its deadline (none when the figure cannot be
/// read: the trend is assessed), its direction, and 100 as the natural limit of a
/// percentage that should rise.
pub fn objective_of(
    target: &Target,
    indicator: &Indicator,
    series: &[Observation],
) -> Result<Objective, Unassessed> {
    match target.kind {
        TargetKind::Rank | TargetKind::Milestone => return Err(Unassessed::NotQuantitative),
        TargetKind::Cumulative | TargetKind::PerYear | TargetKind::GrowthEveryYear => {
            return Err(Unassessed::NotALevel);
        }
        _ => {}
    }
    let latest = series.last().ok_or(Unassessed::NoHistory)?;
    if target.deadline <= latest.year {
        return Err(Unassessed::DeadlinePassed);
    }
    let level = match (target.value, target.kind) {
        (None, _) => None,
        (Some(v), TargetKind::Level | TargetKind::Share) => Some(v),
        (Some(_), _) => match target.threshold(indicator) {
            Ok(Threshold::Level(k)) => Some(k),
            _ => return Err(Unassessed::NoTargetLevel),
        },
    };
    let percent = target.kind == TargetKind::Share || indicator.unit == "%";
    Ok(Objective {
        target: level,
        target_year: target.deadline,
        direction: target.comparator,
        limit: (percent && target.comparator == Comparator::AtLeast).then_some(100.0),
    })
}

/// The published assessments of `target` on `indicator` (and, for a share, its
/// `denominator`), from their known values.
pub fn assess(target: &Target, indicator: &Indicator, denominator: Option<&Indicator>) -> Official {
    let assessed = series_of(target, indicator, denominator).and_then(|series| {
        objective_of(target, indicator, &series).map(|objective| (series, objective))
    });
    match assessed {
        Ok((series, objective)) => Official {
            statcan: statcan(&series, &objective, STATCAN_BASE_YEAR),
            eurostat_short: eurostat(&series, &objective, Term::Short),
            eurostat_long: eurostat(&series, &objective, Term::Long),
        },
        Err(why) => Official::unassessed(why),
    }
}

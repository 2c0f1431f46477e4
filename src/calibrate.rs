//! Growth and volatility estimated from history, with standard errors.
//!
//! A [`Calibration`] is the unfitted specification (window, excluded years, what to do
//! with them, a fallback prior); [`Calibration::fit`] turns one indicator's observed
//! levels into a [`CalibrationReport`]: the estimates, their standard errors, the data
//! they rest on and whether they came from history or from a prior. The report is a
//! value; [`CalibrationReport::lognormal`] hands its estimates to the simulation, and
//! [`crate::report::tables::calibration_csv`] writes a set of reports as a table.
//!
//! # Model
//!
//! The library's lognormal convention: yearly log-growth `ln(X[t+1]/X[t])` is
//! `Normal(μ, σ²)`, independent across years, with `μ = ln(1+g)` and g the central
//! (median) growth. Observations may have gaps (2015, 2017, 2018, 2020 …). Consecutive
//! observations `X[i−1]` (year `y[i−1]`) and `X[i]` (year `y[i]`) form an *interval*
//! i with length `d[i] = y[i] − y[i−1]` years and log-growth `r[i] = ln(X[i]/X[i−1])`;
//! under the model `r[i] ~ Normal(d[i]·μ, d[i]·σ²)`, independent across intervals.
//! With n intervals, weighted least squares with weights `1/d[i]` (the maximum
//! likelihood estimate of μ) gives
//!
//! * `μ̂ = Σ r[i] / Σ d[i]` (the log of the total growth over the years covered),
//! * `σ̂² = Σ (r[i] − d[i]·μ̂)² / d[i] / (n − 1)` (unbiased: one degree of freedom is
//!   spent on μ̂; the maximum likelihood estimate divides by n),
//! * `SE(μ̂) = σ̂ / √(Σ d[i])`,
//! * `SE(σ̂) ≈ σ̂ / √(2(n − 1))` (large-sample),
//! * `ĝ = exp(μ̂) − 1` with the delta-method `SE(ĝ) ≈ exp(μ̂)·SE(μ̂)`.
//!
//! Under the model `(μ̂ − μ)/SE(μ̂)` has a Student t distribution with n − 1 degrees of
//! freedom, so with the handful of intervals a provincial series offers (n = 5: 4
//! degrees of freedom) `μ̂ ± 1.96·SE` covers μ markedly less than 95 % of the time; use
//! the t quantile for intervals. At least [`MIN_INTERVALS`] intervals are required.
//!
//! # Persistence
//!
//! Where the intervals used include a run of at least [`MIN_AR1_RUN`] consecutive
//! one-year log-growths `r[1..m]`, an AR(1) coefficient is estimated on the longest
//! such run (the latest if several are equally long) by least squares of `r[t]` on
//! `r[t−1]`, t = 2..m, with an intercept:
//! `φ̂ = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)²`, `â = ȳ − φ̂·x̄`,
//! `s² = Σ (y − â − φ̂·x)² / (m − 3)`, `SE(φ̂) = s / √(Σ (x − x̄)²)`
//! (x = `r[t−1]`, y = `r[t]`). The small-sample bias of φ̂ (about `−(1 + 3φ)/m`) is not
//! corrected. Otherwise the report says that AR(1) was not estimated and why
//! ([`Ar1::NotEstimated`]). μ̂ and σ̂ are the independent-growth estimates either way.
//!
//! # Window and excluded years
//!
//! A window `(first, last)` keeps the observations with `first ≤ year ≤ last`;
//! intervals are formed between consecutive kept observations, so an interval that
//! starts or ends outside the window is not used. An **excluded year** Y removes the
//! interval that *ends* in Y (the growth into Y, e.g. 2019→2020, or 2018→2020 across a
//! gap); the observation of year Y itself stays and starts the next interval, so the
//! rebound Y→Y+1 is kept unless Y+1 is excluded as well. Excluded years with no
//! interval ending in them have no effect.
//!
//! With [`Calibration::excluded_as_shocks`] the removed intervals are in addition
//! reported as evidence for a rare-shock component ([`ShockYear`]): each one's
//! deviation `r − d·μ̂` from the growth the fitted model expects over its d years (the
//! whole deviation is attributed to the excluded year).
//! [`CalibrationReport::shock_rate`] (shocks per year of the window) and
//! [`CalibrationReport::mean_shock`] summarise them.
//!
//! # Too little data
//!
//! Fewer than [`MIN_INTERVALS`] intervals is an [`Error::Calibration`] naming the
//! indicator, unless the caller supplies a [`Prior`]; then the report carries the
//! prior's values, no standard errors, [`Source::Prior`] and the reason. Bad input (a
//! non-finite or non-positive value, a duplicate or unsorted year) is an error even
//! with a prior.
//!
//! ```
//! use goalcast::calibrate::{Calibration, Source};
//! use goalcast::indicator::{IndicatorKey, Observation};
//!
//! let obs = |year, value| Observation { year, value };
//! let series = [obs(2015, 100.0), obs(2017, 121.0), obs(2018, 133.1), obs(2020, 161.05)];
//! let key = IndicatorKey::new("Hubei", "rd_expenditure");
//! let report = Calibration::new().fit(&key, &series)?;
//! assert_eq!(report.source, Source::History);
//! assert!((report.growth - 0.10).abs() < 1e-4); // 10 % a year throughout
//! # Ok::<(), goalcast::Error>(())
//! ```

use std::fmt;

use crate::error::{Error, Result};
use crate::indicator::{IndicatorKey, Observation};
use crate::io::history::History;
use crate::process::{LogNormalGrowth, UncertainGrowth};

/// Fewest intervals (pairs of consecutive observations) a history fit needs: with one,
/// the volatility has no degree of freedom left.
pub const MIN_INTERVALS: usize = 2;

/// Fewest consecutive one-year log-growths on which an AR(1) coefficient is estimated
/// (7 lagged pairs, 5 residual degrees of freedom).
pub const MIN_AR1_RUN: usize = 8;

/// A fallback assumption for an indicator whose history is too short to calibrate.
///
/// ```
/// use goalcast::calibrate::Prior;
/// assert!(Prior::new(0.10, 0.05, "national R&D growth 2016-2022").is_ok());
/// assert!(Prior::new(0.10, -0.05, "a negative volatility").is_err());
/// assert!(Prior::new(0.10, 0.05, " ").is_err()); // a prior must say where it comes from
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Prior {
    growth: f64,
    volatility: f64,
    reason: String,
}

impl Prior {
    /// Central growth `growth` (a fraction above −1), volatility of yearly log-growth
    /// `volatility` (finite, ≥ 0) and a non-empty `reason` saying where they come from.
    pub fn new(growth: f64, volatility: f64, reason: impl Into<String>) -> Result<Self> {
        if !growth.is_finite() || growth <= -1.0 {
            return Err(Error::Parameter {
                name: "growth",
                value: growth,
                reason: "must be a finite fraction above -1 (a fall of less than 100 %)".into(),
            });
        }
        if !volatility.is_finite() || volatility < 0.0 {
            return Err(Error::Parameter {
                name: "volatility",
                value: volatility,
                reason: "the volatility of log-growth must be finite and non-negative".into(),
            });
        }
        let reason = reason.into();
        if reason.trim().is_empty() {
            return Err(Error::Calibration {
                indicator: "(prior)".into(),
                reason: "the reason is empty: a prior must state where it comes from".into(),
            });
        }
        Ok(Prior {
            growth,
            volatility,
            reason,
        })
    }

    /// Central growth, as a fraction.
    pub fn growth(&self) -> f64 {
        self.growth
    }

    /// Standard deviation of yearly log-growth.
    pub fn volatility(&self) -> f64 {
        self.volatility
    }

    /// Where the prior comes from.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Where a report's estimates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Estimated from the indicator's history.
    History,
    /// The caller's [`Prior`], because history was too short.
    Prior,
}

impl Source {
    /// The label written to tables: `history` or `prior`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Source::History => "history",
            Source::Prior => "prior",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The unfitted specification: which years to use and what to do with too little data.
///
/// Built by value (`Calibration::new().window(2015, 2022).exclude(&[2020])`), checked
/// and applied by [`fit`](Calibration::fit); the same specification can fit any number
/// of indicators.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use = "a Calibration does nothing until `fit` is called"]
pub struct Calibration {
    window: Option<(i32, i32)>,
    exclude: Vec<i32>,
    shocks: bool,
    prior: Option<Prior>,
}

impl Calibration {
    /// All years, nothing excluded, no prior.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses only observations with `first ≤ year ≤ last` (checked by `fit`:
    /// `first ≤ last`).
    pub fn window(mut self, first: i32, last: i32) -> Self {
        self.window = Some((first, last));
        self
    }

    /// Excludes the intervals ending in each of `years` (added to any excluded before).
    pub fn exclude(mut self, years: &[i32]) -> Self {
        self.exclude.extend_from_slice(years);
        self.exclude.sort_unstable();
        self.exclude.dedup();
        self
    }

    /// Reports the excluded intervals as rare-shock evidence ([`ShockYear`]) instead
    /// of only dropping them. They stay out of μ̂ and σ̂.
    pub fn excluded_as_shocks(mut self) -> Self {
        self.shocks = true;
        self
    }

    /// Falls back on `prior` when the history has fewer than [`MIN_INTERVALS`]
    /// intervals (the report is then labelled [`Source::Prior`]). Ignored when the
    /// history suffices.
    pub fn prior(mut self, prior: Prior) -> Self {
        self.prior = Some(prior);
        self
    }

    /// Fits one indicator's observed levels, sorted by year.
    ///
    /// Errors ([`Error::Calibration`], naming `key`) when a value is not finite or not
    /// positive, a year is repeated or out of order, the window is reversed, or fewer
    /// than [`MIN_INTERVALS`] intervals remain and no prior was given.
    ///
    /// ```
    /// use goalcast::calibrate::{Ar1, Calibration, Prior, Source};
    /// use goalcast::indicator::{IndicatorKey, Observation};
    ///
    /// let key = IndicatorKey::new("Hubei", "tech_contract_turnover");
    /// let series: Vec<Observation> = [(2015, 830.0), (2017, 1066.0), (2018, 1237.0),
    ///                                 (2020, 1686.97), (2022, 3017.86)]
    ///     .into_iter()
    ///     .map(|(year, value)| Observation { year, value })
    ///     .collect();
    ///
    /// let report = Calibration::new().exclude(&[2020]).excluded_as_shocks().fit(&key, &series)?;
    /// assert_eq!((report.n_intervals, report.span_years), (3, 5)); // 2018→2020 left out
    /// assert_eq!(report.shocks[0].year, 2020);
    /// assert!(report.growth_se.is_some() && report.volatility > 0.0);
    /// assert!(matches!(report.ar1, Ar1::NotEstimated(_))); // no 8 consecutive years
    ///
    /// // Too short: an error naming the indicator, or a prior labelled as such.
    /// let short = Calibration::new().window(2020, 2022);
    /// let err = short.fit(&key, &series).unwrap_err().to_string();
    /// assert!(err.contains("Hubei/tech_contract_turnover"), "{err}");
    /// let prior = Prior::new(0.15, 0.08, "national technology market growth")?;
    /// let report = short.prior(prior).fit(&key, &series)?;
    /// assert_eq!(report.source, Source::Prior);
    /// assert_eq!(report.growth_se, None);
    /// # Ok::<(), goalcast::Error>(())
    /// ```
    pub fn fit(&self, key: &IndicatorKey, series: &[Observation]) -> Result<CalibrationReport> {
        let fail = |reason: String| Error::Calibration {
            indicator: key.to_string(),
            reason,
        };
        check_series(series).map_err(fail)?;
        if let Some((first, last)) = self.window
            && first > last
        {
            return Err(fail(format!(
                "the window starts in {first}, after it ends in {last}"
            )));
        }
        let kept: Vec<Observation> = series
            .iter()
            .copied()
            .filter(|o| {
                self.window
                    .is_none_or(|(first, last)| (first..=last).contains(&o.year))
            })
            .collect();
        let (used, removed): (Vec<Interval>, Vec<Interval>) = kept
            .windows(2)
            .map(|w| Interval {
                from: w[0].year,
                to: w[1].year,
                log_growth: (w[1].value / w[0].value).ln(),
            })
            .partition(|i| self.exclude.binary_search(&i.to).is_err());
        let window_span_years = used.iter().chain(&removed).map(Interval::years).sum();
        let mut report = CalibrationReport {
            indicator: key.clone(),
            source: Source::History,
            window: self.window,
            excluded_years: self.exclude.clone(),
            observations: kept.len(),
            n_intervals: used.len(),
            years_covered: used.first().zip(used.last()).map(|(a, b)| (a.from, b.to)),
            span_years: used.iter().map(Interval::years).sum(),
            window_span_years,
            intervals: used,
            growth: f64::NAN,
            growth_se: None,
            mu: f64::NAN,
            mu_se: None,
            volatility: f64::NAN,
            volatility_se: None,
            ar1: Ar1::NotEstimated(String::new()),
            shocks_reported: self.shocks,
            shocks: Vec::new(),
            prior_reason: None,
        };

        if report.n_intervals < MIN_INTERVALS {
            let why = format!(
                "{} log-growth interval(s) in the {}, at least {MIN_INTERVALS} needed \
                 (consecutive observations{})",
                report.n_intervals,
                self.window
                    .map_or("series".to_string(), |(a, b)| format!("window {a}-{b}")),
                if self.exclude.is_empty() {
                    String::new()
                } else {
                    format!(", after excluding {}", join(&self.exclude))
                }
            );
            let Some(prior) = &self.prior else {
                return Err(fail(why));
            };
            report.source = Source::Prior;
            report.growth = prior.growth;
            report.mu = prior.growth.ln_1p();
            report.volatility = prior.volatility;
            report.ar1 = Ar1::NotEstimated("a prior was used".into());
            report.prior_reason = Some(format!("{why}; prior: {}", prior.reason));
            return Ok(report);
        }

        // Weighted least squares / maximum likelihood, formulas in the module docs.
        let n = report.n_intervals as f64;
        let span = f64::from(report.span_years);
        let mu = report.intervals.iter().map(|i| i.log_growth).sum::<f64>() / span;
        let ss: f64 = report
            .intervals
            .iter()
            .map(|i| {
                let d = f64::from(i.years());
                (i.log_growth - d * mu).powi(2) / d
            })
            .sum();
        let sigma = (ss / (n - 1.0)).sqrt();
        let mu_se = sigma / span.sqrt();
        report.mu = mu;
        report.mu_se = Some(mu_se);
        report.growth = mu.exp_m1();
        report.growth_se = Some(mu.exp() * mu_se);
        report.volatility = sigma;
        report.volatility_se = Some(sigma / (2.0 * (n - 1.0)).sqrt());
        report.ar1 = fit_ar1(&report.intervals);
        if self.shocks {
            report.shocks = removed
                .iter()
                .map(|i| {
                    let d = f64::from(i.years());
                    let deviation = i.log_growth - d * mu;
                    ShockYear {
                        year: i.to,
                        span: i.years(),
                        log_growth: i.log_growth,
                        deviation,
                        z: deviation / (sigma * d.sqrt()),
                    }
                })
                .collect();
        }
        Ok(report)
    }

    /// Fits the values `history` chooses for `key` ([`History::values`]: one value per
    /// year, bounds and estimates left out).
    pub fn fit_history(&self, history: &History, key: &IndicatorKey) -> Result<CalibrationReport> {
        self.fit(key, &history.values(key))
    }
}

/// Checks that values are finite and positive and years strictly increasing.
fn check_series(series: &[Observation]) -> std::result::Result<(), String> {
    for o in series {
        if !o.value.is_finite() || o.value <= 0.0 {
            return Err(format!(
                "the value for {} is {}: a level must be finite and positive to take its log",
                o.year, o.value
            ));
        }
    }
    for w in series.windows(2) {
        if w[1].year == w[0].year {
            return Err(format!("year {} appears twice", w[0].year));
        }
        if w[1].year < w[0].year {
            return Err(format!(
                "years are not sorted: {} comes after {}",
                w[1].year, w[0].year
            ));
        }
    }
    Ok(())
}

/// AR(1) on the longest run of consecutive one-year intervals (formulas in the module docs).
fn fit_ar1(intervals: &[Interval]) -> Ar1 {
    // (start, length) of the longest run, the latest among equals.
    let mut best = (0, 0);
    let (mut run_start, mut run_len) = (0, 0);
    for (k, i) in intervals.iter().enumerate() {
        if i.years() != 1 {
            run_len = 0;
            continue;
        }
        if run_len > 0 && intervals[k - 1].to == i.from {
            run_len += 1;
        } else {
            (run_start, run_len) = (k, 1);
        }
        if run_len >= best.1 {
            best = (run_start, run_len);
        }
    }
    let (start, len) = best;
    if len < MIN_AR1_RUN {
        let run = match len {
            0 => String::new(),
            1 => format!(" (year {})", intervals[start].to),
            _ => format!(
                " (years {}-{})",
                intervals[start].to,
                intervals[start + len - 1].to
            ),
        };
        return Ar1::NotEstimated(format!(
            "the longest run of consecutive one-year log-growths has {len}{run}; \
             at least {MIN_AR1_RUN} needed"
        ));
    }
    let run = &intervals[start..start + len];
    let x: Vec<f64> = run[..len - 1].iter().map(|i| i.log_growth).collect();
    let y: Vec<f64> = run[1..].iter().map(|i| i.log_growth).collect();
    let pairs = x.len() as f64; // m − 1 for a run of m log-growths
    let x_bar = x.iter().sum::<f64>() / pairs;
    let y_bar = y.iter().sum::<f64>() / pairs;
    let sxx: f64 = x.iter().map(|v| (v - x_bar).powi(2)).sum();
    let sxy: f64 = x
        .iter()
        .zip(&y)
        .map(|(a, b)| (a - x_bar) * (b - y_bar))
        .sum();
    if sxx <= 0.0 {
        return Ar1::NotEstimated("log-growth does not vary over the run".into());
    }
    let phi = sxy / sxx;
    let intercept = y_bar - phi * x_bar;
    let sse: f64 = x
        .iter()
        .zip(&y)
        .map(|(a, b)| (b - intercept - phi * a).powi(2))
        .sum();
    let s2 = sse / (pairs - 2.0);
    Ar1::Estimated(Ar1Fit {
        phi,
        phi_se: (s2 / sxx).sqrt(),
        intercept,
        pairs: x.len(),
        years: (run[0].to, run[len - 1].to),
    })
}

/// Log-growth between two consecutive observations used by a fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Year of the earlier observation.
    pub from: i32,
    /// Year of the later observation (the year an exclusion refers to).
    pub to: i32,
    /// `ln(X[to] / X[from])`.
    pub log_growth: f64,
}

impl Interval {
    /// Length in years, `to − from` (at least 1).
    pub fn years(&self) -> u32 {
        self.to.abs_diff(self.from)
    }
}

/// An excluded interval reported as evidence for a rare shock.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct ShockYear {
    /// The excluded year (the interval's end).
    pub year: i32,
    /// The interval's length d in years (1 unless the year before is missing).
    pub span: u32,
    /// The interval's log-growth r.
    pub log_growth: f64,
    /// `r − d·μ̂`: how far the interval fell short of (negative) or exceeded the fitted
    /// central growth, in log points.
    pub deviation: f64,
    /// The deviation in standard deviations of the fitted model: `(r − d·μ̂) / (σ̂√d)`.
    pub z: f64,
}

/// AR(1) persistence of yearly log-growth, when estimated.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Ar1Fit {
    /// φ̂, the coefficient of `r[t−1]`.
    pub phi: f64,
    /// Its standard error.
    pub phi_se: f64,
    /// â, the intercept (the process mean is `â / (1 − φ̂)`).
    pub intercept: f64,
    /// Number of pairs `(r[t−1], r[t])` regressed (run length − 1).
    pub pairs: usize,
    /// End years of the first and last log-growth of the run.
    pub years: (i32, i32),
}

/// Whether AR(1) persistence was estimated.
#[derive(Debug, Clone, PartialEq)]
pub enum Ar1 {
    /// Estimated on the longest run of consecutive one-year log-growths.
    Estimated(Ar1Fit),
    /// Not estimated, and why.
    NotEstimated(String),
}

impl Ar1 {
    /// The fit, if estimated.
    pub fn fit(&self) -> Option<&Ar1Fit> {
        match self {
            Ar1::Estimated(f) => Some(f),
            Ar1::NotEstimated(_) => None,
        }
    }
}

/// One indicator's calibration: estimates, standard errors and what they rest on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CalibrationReport {
    /// Which indicator.
    pub indicator: IndicatorKey,
    /// `history` or `prior`.
    pub source: Source,
    /// The window asked for, if any.
    pub window: Option<(i32, i32)>,
    /// The excluded years asked for, sorted (those with no interval ending in them had
    /// no effect).
    pub excluded_years: Vec<i32>,
    /// Observations inside the window.
    pub observations: usize,
    /// n, the number of intervals used.
    pub n_intervals: usize,
    /// Start year of the first and end year of the last interval used (`None` with no
    /// interval).
    pub years_covered: Option<(i32, i32)>,
    /// `Σ d[i]` over the intervals used.
    pub span_years: u32,
    /// `Σ d[i]` over all intervals in the window, excluded ones included: the years at
    /// risk for [`shock_rate`](CalibrationReport::shock_rate).
    pub window_span_years: u32,
    /// The intervals used, in order.
    pub intervals: Vec<Interval>,
    /// ĝ = exp(μ̂) − 1, central annual growth (a fraction), or the prior's.
    pub growth: f64,
    /// SE(ĝ) by the delta method; `None` for a prior.
    pub growth_se: Option<f64>,
    /// μ̂, mean yearly log-growth.
    pub mu: f64,
    /// SE(μ̂) = σ̂ / √(Σd); `None` for a prior.
    pub mu_se: Option<f64>,
    /// σ̂, standard deviation of yearly log-growth, or the prior's.
    pub volatility: f64,
    /// SE(σ̂) ≈ σ̂ / √(2(n − 1)); `None` for a prior.
    pub volatility_se: Option<f64>,
    /// AR(1) persistence, or why it was not estimated.
    pub ar1: Ar1,
    /// Whether excluded intervals were reported as shocks
    /// ([`Calibration::excluded_as_shocks`]).
    pub shocks_reported: bool,
    /// The excluded intervals as shock evidence (empty unless `shocks_reported`).
    pub shocks: Vec<ShockYear>,
    /// For a prior: why history did not suffice and where the prior comes from.
    pub prior_reason: Option<String>,
}

impl CalibrationReport {
    /// The lognormal growth process at the estimates (g, σ).
    pub fn lognormal(&self) -> Result<LogNormalGrowth> {
        LogNormalGrowth::new(self.growth, self.volatility)
    }

    /// The uncertain-growth process at the estimates: ĝ, SE(ĝ), σ̂ and ν = n − 1 (σ
    /// uncertain), so that each path draws its own central growth and volatility from
    /// the estimation distribution. A report from a prior has no standard error and is
    /// refused.
    pub fn uncertain(&self) -> Result<UncertainGrowth> {
        let se = self.growth_se.ok_or_else(|| Error::Parameter {
            name: "growth_se",
            value: f64::NAN,
            reason: format!(
                "the calibration of {} comes from a prior and has no standard error",
                self.indicator
            ),
        })?;
        let df = self.n_intervals.saturating_sub(1) as f64;
        UncertainGrowth::new(self.growth, se, self.volatility, Some(df))
    }

    /// Shocks per year of the window, `shocks / window_span_years`: a rough yearly
    /// probability of a shock. `None` unless shocks were reported and the window spans
    /// at least a year.
    pub fn shock_rate(&self) -> Option<f64> {
        (self.shocks_reported && self.window_span_years > 0)
            .then(|| self.shocks.len() as f64 / f64::from(self.window_span_years))
    }

    /// Mean deviation `r − d·μ̂` of the shocks, in log points (`None` with no shock).
    pub fn mean_shock(&self) -> Option<f64> {
        (!self.shocks.is_empty()).then(|| {
            self.shocks.iter().map(|s| s.deviation).sum::<f64>() / self.shocks.len() as f64
        })
    }
}

fn join<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(T::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

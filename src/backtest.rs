//! Rolling-origin evaluation: what goalcast would have said at earlier dates, scored
//! against what happened.
//!
//! For every series of a history file that is an annual level (not a share, a growth
//! rate or a partial year), every origin year `o` and every horizon `h`: the series is
//! calibrated on its values up to `o` ([`Calibration::fit`], at least
//! [`MIN_SERIES_INTERVALS`] intervals), the forecast starts from the last value up to
//! `o` (year `b`, `k = o + h − b` years ahead), and it is scored against the observed
//! value of year `o + h`, when there is one. As in fable/forecast's `tsCV`, nothing
//! after the origin is used.
//!
//! # Methods
//!
//! With `μ̂`, `SE(μ̂) = σ̂/√(Σd)`, `σ̂` and `n` intervals, the forecast of `ln X[b+k]` is
//! `ln X[b] + k·μ̂ + s·Z` with
//!
//! | method | s | Z |
//! |---|---|---|
//! | `goalcast` (parameter uncertainty, the default below [`SHORT_SERIES`] intervals) | `√(kσ̂² + k²·SE(μ̂)²)` | Student t, n − 1 degrees of freedom |
//! | `goalcast_fixed` (the estimates taken as true) | `σ̂·√k` | standard normal |
//! | `rw_drift` (random walk with drift, as forecast's `rwf(drift = TRUE)`) | `√(kσ̂² + k²·SE(μ̂)²)` | standard normal |
//! | `cagr` (Eurostat's deterministic rule: the compound growth of the last five years carried forward) | 0 | — |
//!
//! The two goalcast rows are exactly the predictive laws of
//! [`UncertainGrowth`](crate::process::UncertainGrowth) and
//! [`LogNormalGrowth`](crate::process::LogNormalGrowth) at the estimates (their closed
//! forms, [`crate::analytic`]), so no simulation noise enters the scores.
//!
//! # Scores
//!
//! * **PIT** `F(ln y)`: uniform on (0, 1) for a calibrated forecaster;
//! * **coverage**: whether y lies inside the central 50 % and 90 % intervals;
//! * **CRPS** of `ln X` (a relative error, comparable across series):
//!   normal `s·[z(2Φ(z) − 1) + 2φ(z) − 1/√π]`; Student t (ν > 1)
//!   `s·[z(2F(z) − 1) + 2f(z)(ν + z²)/(ν − 1) − 2√ν·B(½, ν − ½)/((ν − 1)·B(½, ν/2)²)]`
//!   (Jordan, Krüger & Lerch, *scoringRules*, 2019), z = (ln y − m)/s; a point forecast's
//!   CRPS is its absolute error.
//! * **Brier score of goal-like events**: for each forecast and each growth rate g of
//!   [`EVENT_GROWTH`], the event "the level in year o + h is at least `X[b](1+g)^k`" —
//!   what a growth goal asks — with the forecast's probability of it (0 or 1 for the
//!   CAGR rule). These events feed the reliability diagram.
//!
//! ```
//! use goalcast::backtest::{Backtest, Method};
//! use goalcast::indicator::{Indicator, IndicatorKey, Observation};
//!
//! let values: Vec<Observation> = (0..12)
//!     .map(|t| Observation { year: 2010 + t, value: 100.0 * 1.1f64.powi(t) })
//!     .collect();
//! let series = Indicator {
//!     key: IndicatorKey::new("Hubei", "revenue"),
//!     name_zh: String::new(),
//!     name_en: String::new(),
//!     unit: "亿元".into(),
//!     base: values.last().copied(),
//!     history: values,
//!     sources: Default::default(),
//! };
//! let bt = Backtest::new((2015, 2019), (1, 2)).run(&[series]);
//! // 5 origins × 2 horizons, each scored by the four methods.
//! assert_eq!(bt.forecasts.len(), 5 * 2 * Method::ALL.len());
//! ```

use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};
use statrs::function::beta::beta;

use crate::analytic::normal_cdf;
use crate::calibrate::Calibration;
use crate::indicator::{Indicator, Observation};
use crate::reference::{MIN_SERIES_INTERVALS, ReferenceClass, SHORT_SERIES};

/// Growth rates of the goal-like events scored by Brier and the reliability diagram.
pub const EVENT_GROWTH: [f64; 6] = [0.0, 0.05, 0.10, 0.15, 0.20, 0.30];

/// Years over which the CAGR rule measures growth (Eurostat's short-term window).
pub const CAGR_YEARS: i32 = 5;

/// A forecasting method scored by the backtest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// goalcast with parameter uncertainty (Student t).
    Goalcast,
    /// goalcast with the estimates taken as true (normal, σ̂√k).
    GoalcastFixed,
    /// Random walk with drift (normal, drift uncertainty included).
    RandomWalkDrift,
    /// The deterministic CAGR rule (a point forecast).
    Cagr,
}

impl Method {
    /// Every method, in table order.
    pub const ALL: [Method; 4] = [
        Method::Goalcast,
        Method::GoalcastFixed,
        Method::RandomWalkDrift,
        Method::Cagr,
    ];

    /// The name written in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Goalcast => "goalcast",
            Method::GoalcastFixed => "goalcast_fixed",
            Method::RandomWalkDrift => "rw_drift",
            Method::Cagr => "cagr",
        }
    }
}

/// The forecast law of `ln X` in the target year (`m` the centre, `s` the scale).
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub enum Law {
    /// `m + s·Z`, Z standard normal.
    Normal { m: f64, s: f64 },
    /// `m + s·T`, T Student t with `df` degrees of freedom.
    StudentT { m: f64, s: f64, df: f64 },
    /// A point forecast.
    Point { m: f64 },
}

impl Law {
    /// `P(ln X ≤ x)`.
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Law::Normal { m, s } => normal_cdf((x - m) / s),
            Law::StudentT { m, s, df } => t_law(df).cdf((x - m) / s),
            Law::Point { m } => f64::from(u8::from(x >= m)),
        }
    }

    /// CRPS of the law at the observation `x` (see the module docs).
    pub fn crps(&self, x: f64) -> f64 {
        match *self {
            Law::Normal { m, s } => {
                let z = (x - m) / s;
                let pdf = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
                s * (z * (2.0 * normal_cdf(z) - 1.0) + 2.0 * pdf
                    - 1.0 / std::f64::consts::PI.sqrt())
            }
            Law::StudentT { m, s, df } => {
                let z = (x - m) / s;
                let t = t_law(df);
                let tail = 2.0 * df.sqrt() * beta(0.5, df - 0.5)
                    / ((df - 1.0) * beta(0.5, df / 2.0).powi(2));
                s * (z * (2.0 * t.cdf(z) - 1.0) + 2.0 * t.pdf(z) * (df + z * z) / (df - 1.0) - tail)
            }
            Law::Point { m } => (x - m).abs(),
        }
    }
}

fn t_law(df: f64) -> StudentsT {
    StudentsT::new(0.0, 1.0, df).expect("degrees of freedom checked positive")
}

/// One forecast and its scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// `Jurisdiction/id`.
    pub series: String,
    /// Origin year: nothing later was used.
    pub origin: i32,
    /// Horizon in years after the origin.
    pub horizon: i32,
    /// The method.
    pub method: Method,
    /// Intervals the estimate rests on.
    pub intervals: usize,
    /// Year and value the forecast starts from (the last known up to the origin).
    pub start: Observation,
    /// The observed value of year `origin + horizon`.
    pub observed: f64,
    /// The forecast law of the log-level.
    pub law: Law,
    /// PIT `F(ln observed)` (`None` for a point forecast).
    pub pit: Option<f64>,
    /// Inside the central 50 % interval.
    pub in50: Option<bool>,
    /// Inside the central 90 % interval.
    pub in90: Option<bool>,
    /// CRPS of the log-level.
    pub crps: f64,
    /// The goal-like events: (growth g, forecast probability, happened).
    pub events: Vec<(f64, f64, bool)>,
}

/// A backtest's settings: origin years and horizons (both inclusive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backtest {
    origins: (i32, i32),
    horizons: (i32, i32),
    volatility_scale: f64,
}

/// Every forecast of a backtest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BacktestResult {
    /// In order of series, origin, horizon, method.
    pub forecasts: Vec<Forecast>,
    /// Series left out, and why.
    pub skipped: Vec<(String, String)>,
}

impl Backtest {
    /// Origins `first..=last`, horizons `first..=last` (at least 1).
    pub fn new(origins: (i32, i32), horizons: (i32, i32)) -> Self {
        Backtest {
            origins,
            horizons: (horizons.0.max(1), horizons.1.max(1)),
            volatility_scale: 1.0,
        }
    }

    /// Multiplies every estimated volatility by `factor` (1 by default): a stress test
    /// of what too narrow (factor < 1) or too wide bands do to the scores.
    pub fn volatility_scale(mut self, factor: f64) -> Self {
        self.volatility_scale = factor;
        self
    }

    /// Scores every method on every series, origin and horizon the data allow.
    pub fn run(&self, series: &[Indicator]) -> BacktestResult {
        let mut out = BacktestResult::default();
        for s in series {
            let class = ReferenceClass::of(s);
            if class.is_none() || class == Some(ReferenceClass::Shares) {
                out.skipped.push((
                    s.key.to_string(),
                    "not an annual level on a log scale (a share, rate or partial year)".into(),
                ));
                continue;
            }
            let before = out.forecasts.len();
            for origin in self.origins.0..=self.origins.1 {
                for horizon in self.horizons.0..=self.horizons.1 {
                    out.forecasts
                        .extend(forecasts(s, origin, horizon, self.volatility_scale));
                }
            }
            if out.forecasts.len() == before {
                out.skipped.push((
                    s.key.to_string(),
                    format!(
                        "no origin in {}-{} with {MIN_SERIES_INTERVALS} intervals before it and a value {}-{} years after",
                        self.origins.0, self.origins.1, self.horizons.0, self.horizons.1
                    ),
                ));
            }
        }
        out
    }
}

/// The four methods' forecasts of one series from one origin over one horizon, or none
/// when the data do not allow it.
fn forecasts(s: &Indicator, origin: i32, horizon: i32, scale: f64) -> Vec<Forecast> {
    let known: Vec<Observation> = s
        .history
        .iter()
        .copied()
        .filter(|o| o.year <= origin)
        .collect();
    let (Some(start), Some(observed)) = (known.last().copied(), s.value_in(origin + horizon))
    else {
        return Vec::new();
    };
    let Ok(mut fit) = Calibration::new().fit(&s.key, &known) else {
        return Vec::new();
    };
    fit.volatility *= scale;
    let (Some(mu_se), true) = (
        fit.mu_se.map(|se| se * scale),
        fit.n_intervals >= MIN_SERIES_INTERVALS && fit.volatility > 0.0,
    ) else {
        return Vec::new();
    };
    let k = f64::from(origin + horizon - start.year);
    let m = start.value.ln() + k * fit.mu;
    let spread = (k * fit.volatility.powi(2) + k * k * mu_se * mu_se).sqrt();
    let df = (fit.n_intervals - 1) as f64;
    let cagr_from = known
        .iter()
        .find(|o| o.year >= start.year - CAGR_YEARS && o.year < start.year)
        .or(known.first())
        .copied()
        .unwrap_or(start);
    let cagr = (start.value / cagr_from.value).ln() / f64::from(start.year - cagr_from.year);
    let laws = [
        (
            Method::Goalcast,
            if fit.n_intervals < SHORT_SERIES {
                Law::StudentT { m, s: spread, df }
            } else {
                Law::Normal {
                    m,
                    s: fit.volatility * k.sqrt(),
                }
            },
        ),
        (
            Method::GoalcastFixed,
            Law::Normal {
                m,
                s: fit.volatility * k.sqrt(),
            },
        ),
        (Method::RandomWalkDrift, Law::Normal { m, s: spread }),
        (
            Method::Cagr,
            Law::Point {
                m: start.value.ln() + k * cagr,
            },
        ),
    ];
    let y = observed.ln();
    laws.into_iter()
        .map(|(method, law)| {
            let pit = (!matches!(law, Law::Point { .. })).then(|| law.cdf(y));
            Forecast {
                series: s.key.to_string(),
                origin,
                horizon,
                method,
                intervals: fit.n_intervals,
                start,
                observed,
                law,
                pit,
                in50: pit.map(|p| (0.25..=0.75).contains(&p)),
                in90: pit.map(|p| (0.05..=0.95).contains(&p)),
                crps: law.crps(y),
                events: EVENT_GROWTH
                    .iter()
                    .map(|&g| {
                        let threshold = start.value.ln() + k * g.ln_1p();
                        (g, 1.0 - law.cdf(threshold - 1e-12), y >= threshold)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// One method's scores over a backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodSummary {
    /// The method.
    pub method: Method,
    /// Forecasts scored.
    pub forecasts: usize,
    /// Share inside the 50 % interval, with its 95 % binomial (Wilson) interval.
    pub coverage50: Option<(f64, f64, f64)>,
    /// Share inside the 90 % interval, with its 95 % binomial (Wilson) interval.
    pub coverage90: Option<(f64, f64, f64)>,
    /// Mean PIT (0.5 for a calibrated forecaster).
    pub mean_pit: Option<f64>,
    /// Mean CRPS of the log-level (lower is better).
    pub mean_crps: f64,
    /// Mean Brier score of the goal-like events (lower is better).
    pub brier: f64,
    /// Events scored.
    pub events: usize,
}

/// The Wilson score interval of a proportion `k/n` at 95 % (`z = 1.96`).
///
/// ```
/// let (lo, hi) = goalcast::backtest::wilson(9, 10);
/// assert!(lo < 0.9 && hi > 0.9 && hi <= 1.0);
/// ```
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n, z) = (k as f64, n as f64, 1.96_f64);
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

impl BacktestResult {
    /// Scores per method, in [`Method::ALL`] order.
    pub fn summary(&self) -> Vec<MethodSummary> {
        Method::ALL
            .iter()
            .map(|&method| {
                let f: Vec<&Forecast> = self
                    .forecasts
                    .iter()
                    .filter(|f| f.method == method)
                    .collect();
                let n = f.len();
                let coverage = |inside: fn(&Forecast) -> Option<bool>| {
                    let flags: Vec<bool> = f.iter().filter_map(|x| inside(x)).collect();
                    (!flags.is_empty()).then(|| {
                        let k = flags.iter().filter(|b| **b).count();
                        let (lo, hi) = wilson(k, flags.len());
                        (k as f64 / flags.len() as f64, lo, hi)
                    })
                };
                let pits: Vec<f64> = f.iter().filter_map(|x| x.pit).collect();
                let events: Vec<(f64, bool)> = f
                    .iter()
                    .flat_map(|x| x.events.iter().map(|&(_, p, hit)| (p, hit)))
                    .collect();
                let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
                MethodSummary {
                    method,
                    forecasts: n,
                    coverage50: coverage(|x| x.in50),
                    coverage90: coverage(|x| x.in90),
                    mean_pit: (!pits.is_empty()).then(|| mean(&pits)),
                    mean_crps: mean(&f.iter().map(|x| x.crps).collect::<Vec<_>>()),
                    brier: mean(
                        &events
                            .iter()
                            .map(|&(p, hit)| (p - f64::from(u8::from(hit))).powi(2))
                            .collect::<Vec<_>>(),
                    ),
                    events: events.len(),
                }
            })
            .collect()
    }

    /// PIT histogram of a method: counts in `bins` equal bins of (0, 1).
    pub fn pit_histogram(&self, method: Method, bins: usize) -> Vec<usize> {
        let mut counts = vec![0; bins];
        for p in self
            .forecasts
            .iter()
            .filter(|f| f.method == method)
            .filter_map(|f| f.pit)
        {
            counts[((p * bins as f64) as usize).min(bins - 1)] += 1;
        }
        counts
    }

    /// Reliability diagram of a method: per bin of forecast probability (`bins` equal
    /// bins), the mean forecast probability, the observed frequency and the count of
    /// the goal-like events in it (empty bins left out).
    pub fn reliability(&self, method: Method, bins: usize) -> Vec<(f64, f64, usize)> {
        let mut sums = vec![(0.0, 0usize, 0usize); bins];
        for f in self.forecasts.iter().filter(|f| f.method == method) {
            for &(_, p, hit) in &f.events {
                let b = ((p * bins as f64) as usize).min(bins - 1);
                sums[b].0 += p;
                sums[b].1 += usize::from(hit);
                sums[b].2 += 1;
            }
        }
        sums.into_iter()
            .filter(|s| s.2 > 0)
            .map(|(p, hits, n)| (p / n as f64, hits as f64 / n as f64, n))
            .collect()
    }
}

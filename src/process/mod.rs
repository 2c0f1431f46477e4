//! Growth processes: how an indicator's level moves from one year to the next.
//!
//! Every process is an immutable value, validated when it is built, that turns one
//! path's standard-normal shocks (one per year, drawn by the engine, correlated across
//! indicators when a scenario says so) into yearly **log-growths** `ln(X[t+1] / X[t])`.
//! Working in log space keeps the engine's inner loop to additions; levels are
//! exponentiated only when reported.
//!
//! Convention: a process's `median_growth` g is the *central* annual growth. For the
//! lognormal process the deterministic path at g is the median path, and the mean level
//! is higher than the median by the factor `exp(σ²/2)` a year.
//!
//! | model (scenario name) | yearly log-growth `r[t]` | g is |
//! |---|---|---|
//! | [`DeterministicGrowth`] (`deterministic`) | `ln(1+g)` | the growth |
//! | [`LogNormalGrowth`] (`lognormal`) | `ln(1+g) + σ·z[t]` | the median growth |
//! | [`Ar1Growth`] (`ar1`) | `ln(1+g) + d[t]`, `d[t] = φ·d[t−1] + σ√(1−φ²)·z[t]`, `d[0] = σ·z[0]` | the median growth |
//! | [`StudentTGrowth`] (`student_t`) | `ln(1+g) + σ·z[t]·√((ν−2)/W[t])`, `W[t] ~ χ²_ν` | the median growth |
//! | [`RareShockGrowth`] (`rare_shock`) | `ln(1+g) + σ·z[t] + J[t]·ln(1−drop)`, `J[t] ~ Bernoulli(p)` | the median growth of a year without a shock |
//! | [`UncertainGrowth`] (`uncertain`) | `μ + σ·z[t]`, (μ, σ) drawn once per path around (ln(1+ĝ), σ̂) | the median growth ĝ |
//! | [`BoundedShare`] (`bounded_share`) | change of `ln(s/(U−s))`: `ln(1+g) + σ·z[t]` | the median growth of the odds `s/(U−s)` |

mod ar1;
mod bounded_share;
mod deterministic;
mod lognormal;
mod rare_shock;
mod student_t;
mod uncertain;

pub use ar1::Ar1Growth;
pub use bounded_share::BoundedShare;
pub use deterministic::DeterministicGrowth;
pub use lognormal::LogNormalGrowth;
pub use rare_shock::RareShockGrowth;
pub use student_t::StudentTGrowth;
pub use uncertain::UncertainGrowth;

use rand_core::Rng;

use crate::analytic;
use crate::error::{Error, Result};
use crate::random::PathRng;
use crate::target::Comparator;
pub use crate::units::Scale;

/// `x ↦ drift + sigma·x` for every shock: the yearly log-growths of a process whose
/// shocks enter linearly, whatever the order of paths and years in `buf`.
#[inline(always)]
fn shift_and_scale(buf: &mut [f64], drift: f64, sigma: f64) {
    for x in buf.iter_mut() {
        *x = drift + sigma * *x;
    }
}

/// Checks a central growth rate: a finite fraction above −1.
pub(crate) fn check_growth(growth: f64) -> Result<()> {
    if growth.is_finite() && growth > -1.0 {
        Ok(())
    } else {
        Err(Error::Parameter {
            name: "growth",
            value: growth,
            reason: "must be a finite fraction above -1 (a fall of less than 100 %)".into(),
        })
    }
}

/// Checks a standard deviation of log-growth: finite and non-negative.
pub(crate) fn check_volatility(sigma: f64) -> Result<()> {
    if sigma.is_finite() && sigma >= 0.0 {
        Ok(())
    } else {
        Err(Error::Parameter {
            name: "volatility",
            value: sigma,
            reason: "the volatility of log-growth must be finite and non-negative".into(),
        })
    }
}

/// A model of yearly growth that can be simulated path by path.
pub trait GrowthProcess: Sync {
    /// On entry `buf[t]` is the path's standard-normal shock of year t+1; on return it is
    /// the log-growth from year t to year t+1. Any further randomness (jumps, parameter
    /// draws) comes only from `rng`, so a path is a pure function of its stream.
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]);

    /// `Some((a, b))` when every year's log-growth is exactly `a + b·z` of its shock z
    /// (computed in that order) and the process draws nothing else: the engine then adds
    /// it to the state in the same pass. None by default.
    fn affine_log_growth(&self) -> Option<(f64, f64)> {
        None
    }

    /// `Some(draw)` when the path's log-growth is `a + b·z` of its shock z in every year
    /// (computed in that order), with `(a, b) = path_affine(draw)` and `draw` the path's
    /// only further draws, made here from `rng`: the uncertain-parameter model. The
    /// engine then draws for 64 paths, and works out and applies their (a, b) together.
    /// `None` by default, and then nothing is drawn.
    fn path_draw<R: Rng + ?Sized>(&self, _rng: &mut R) -> Option<[f64; 2]> {
        None
    }

    /// A path's (a, b) from its [`GrowthProcess::path_draw`]; only called for a process
    /// that makes one (the default, never called, gives the identity `(0, 1)`).
    fn path_affine(&self, _draw: [f64; 2]) -> (f64, f64) {
        (0.0, 1.0)
    }

    /// How every path's yearly log-growths move when the central log-growth
    /// `μ = ln(1+g)` moves by δ (the same model re-built by
    /// [`Model::with_median_growth`] at `e^{μ+δ} − 1`, the same random stream): what lets
    /// the engine give each path's *critical shift*
    /// ([`crate::sim::Simulator::critical_shifts`]). `None` (the default) for a process
    /// that does not say: the analysis then re-runs it (bisection).
    fn growth_response(&self) -> Option<GrowthResponse> {
        None
    }

    /// Whether the process uses the normal shocks (a deterministic one does not, and the
    /// engine then need not draw them).
    fn uses_shocks(&self) -> bool {
        true
    }

    /// The central (median) annual growth rate g, as a fraction.
    fn median_growth(&self) -> f64;

    /// The scale the process moves the indicator on (see [`Scale`]).
    fn scale(&self) -> Scale {
        Scale::Log
    }

    /// One path's log-growths drawn directly from its stream: its standard-normal shocks
    /// ([`PathRng::standard_normal`], the engine's), then
    /// [`GrowthProcess::log_growth_from_shocks`].
    fn sample_log_growth(&self, rng: &mut PathRng, out: &mut [f64]) {
        if self.uses_shocks() {
            for x in out.iter_mut() {
                *x = rng.standard_normal();
            }
        }
        self.log_growth_from_shocks(rng, out);
    }
}

/// How a path's yearly log-growths `r[t]` move when the process's central log-growth
/// `μ = ln(1+g)` moves by δ, all its random draws held (common random numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrowthResponse {
    /// `r[t] + δ` in every year and on every path: the log-level at step t (t years after
    /// the path starts moving) moves by `t·δ` (on the logit scale for a bounded share).
    /// Every process whose randomness does not depend on g: deterministic, lognormal,
    /// AR(1) (the deviations `d[t]` do not involve μ), Student-t, rare shocks, bounded
    /// shares.
    Uniform,
    /// `r[t] + δ + q·(e^{−δ} − 1)`, where `q = m − μ` is the path's own draw of its central
    /// log-growth m less the model's μ: [`UncertainGrowth`], whose path draws
    /// `m = μ + SE(ĝ)/(1+g)·√(ν/W)·u` with `SE(ĝ)` held, so its spread shrinks by `e^{−δ}`
    /// as g grows. `h(δ) = δ + q·(e^{−δ} − 1)` increases wherever `q·e^{−δ} < 1` (every
    /// growth above `−100 % + q`, i.e. always for `q ≤ 0`, and for `q > 0` except at growth
    /// rates so low that no goal asks about them); the log-level at step t moves by
    /// `t·h(δ)`.
    OwnCentral,
}

/// A growth model chosen at run time (from a scenario file).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// Compound growth at a fixed rate, no uncertainty.
    Deterministic(DeterministicGrowth),
    /// Independent normal log-growth each year.
    LogNormal(LogNormalGrowth),
    /// Persistent (AR(1)) normal log-growth.
    Ar1(Ar1Growth),
    /// Fat-tailed (Student-t) log-growth.
    StudentT(StudentTGrowth),
    /// Normal log-growth plus rare yearly drops.
    RareShock(RareShockGrowth),
    /// Normal log-growth with parameters drawn once per path.
    Uncertain(UncertainGrowth),
    /// A share below an upper bound, lognormal in its odds.
    BoundedShare(BoundedShare),
}

/// Applies `$body` to the process inside any [`Model`] variant.
macro_rules! each {
    ($model:expr, $p:ident => $body:expr) => {
        match $model {
            Model::Deterministic($p) => $body,
            Model::LogNormal($p) => $body,
            Model::Ar1($p) => $body,
            Model::StudentT($p) => $body,
            Model::RareShock($p) => $body,
            Model::Uncertain($p) => $body,
            Model::BoundedShare($p) => $body,
        }
    };
}

impl Model {
    /// The name used in scenario files and result tables.
    pub fn name(&self) -> &'static str {
        match self {
            Model::Deterministic(_) => "deterministic",
            Model::LogNormal(_) => "lognormal",
            Model::Ar1(_) => "ar1",
            Model::StudentT(_) => "student_t",
            Model::RareShock(_) => "rare_shock",
            Model::Uncertain(_) => "uncertain",
            Model::BoundedShare(_) => "bounded_share",
        }
    }

    /// The central annual growth rate, as a fraction (for `rare_shock`: of a year
    /// without a shock; for `bounded_share`: of the odds `s/(U−s)`).
    pub fn median_growth(&self) -> f64 {
        each!(self, p => p.median_growth())
    }

    /// The standard deviation of yearly log-growth: 0 for the deterministic model, the
    /// marginal σ for `ar1`, σ (the sd, not the t scale) for `student_t`, σ of the
    /// lognormal part for `rare_shock`, σ̂ for `uncertain`, σ of the logit for
    /// `bounded_share`.
    pub fn volatility(&self) -> f64 {
        match self {
            Model::Deterministic(_) => 0.0,
            Model::LogNormal(p) => p.sigma(),
            Model::Ar1(p) => p.sigma(),
            Model::StudentT(p) => p.sigma(),
            Model::RareShock(p) => p.sigma(),
            Model::Uncertain(p) => p.sigma(),
            Model::BoundedShare(p) => p.sigma(),
        }
    }

    /// The same model with another central growth (a fraction): what "the growth it
    /// would take" varies.
    pub fn with_median_growth(&self, growth: f64) -> Result<Model> {
        self.with_parameter("growth", growth)
    }

    /// The model's parameters by name, as fractions (`growth`, `volatility`,
    /// `persistence`, `df`, `shock_probability`, `shock_size`, `growth_se`,
    /// `volatility_df`, `upper`): what a sensitivity analysis shifts.
    pub fn parameters(&self) -> Vec<(&'static str, f64)> {
        let g = ("growth", self.median_growth());
        let v = ("volatility", self.volatility());
        match self {
            Model::Deterministic(_) => vec![g],
            Model::LogNormal(_) => vec![g, v],
            Model::Ar1(p) => vec![g, v, ("persistence", p.persistence())],
            Model::StudentT(p) => vec![g, v, ("df", p.df())],
            Model::RareShock(p) => vec![
                g,
                v,
                ("shock_probability", p.shock_probability()),
                ("shock_size", p.shock_size()),
            ],
            Model::Uncertain(p) => {
                let mut out = vec![g, v, ("growth_se", p.growth_se())];
                out.extend(p.volatility_df().map(|df| ("volatility_df", df)));
                out
            }
            Model::BoundedShare(p) => vec![g, v, ("upper", p.upper())],
        }
    }

    /// The same model with one parameter (named as in [`Model::parameters`]) replaced.
    pub fn with_parameter(&self, name: &str, value: f64) -> Result<Model> {
        let set = |n: &str, current: f64| if n == name { value } else { current };
        let (g, v) = (
            set("growth", self.median_growth()),
            set("volatility", self.volatility()),
        );
        let known = self.parameters().iter().any(|(n, _)| *n == name)
            || (name == "volatility_df" && matches!(self, Model::Uncertain(_)));
        if !known {
            return Err(Error::Parameter {
                name: "parameter",
                value,
                reason: format!("the {} model has no parameter `{name}`", self.name()),
            });
        }
        Ok(match self {
            Model::Deterministic(_) => Model::Deterministic(DeterministicGrowth::new(g)?),
            Model::LogNormal(_) => Model::LogNormal(LogNormalGrowth::new(g, v)?),
            Model::Ar1(p) => Model::Ar1(Ar1Growth::new(g, v, set("persistence", p.persistence()))?),
            Model::StudentT(p) => Model::StudentT(StudentTGrowth::new(g, v, set("df", p.df()))?),
            Model::RareShock(p) => Model::RareShock(RareShockGrowth::new(
                g,
                v,
                set("shock_probability", p.shock_probability()),
                set("shock_size", p.shock_size()),
            )?),
            Model::Uncertain(p) => Model::Uncertain(UncertainGrowth::new(
                g,
                set("growth_se", p.growth_se()),
                v,
                if name == "volatility_df" {
                    Some(value)
                } else {
                    p.volatility_df()
                },
            )?),
            Model::BoundedShare(p) => {
                Model::BoundedShare(BoundedShare::new(g, v, set("upper", p.upper()))?)
            }
        })
    }

    /// The exact probability that the level after `years` years, from `x0`, is at least
    /// (or at most) `k`, where the model has a closed form: every model but `student_t`
    /// over more than one year. For a target measured from a simulated base year use
    /// `x0 = 1`, `k` = the required factor (log-scale models only: on the logit scale
    /// a factor is not a level).
    ///
    /// ```
    /// use goalcast::process::{Ar1Growth, Model};
    /// use goalcast::target::Comparator;
    /// let m = Model::Ar1(Ar1Growth::new(0.10, 0.05, 0.6).unwrap());
    /// let p = m.p_reach(100.0, 100.0 * 1.1f64.powi(4), 4, Comparator::AtLeast).unwrap();
    /// assert!((p - 0.5).abs() < 1e-12); // the median path
    /// ```
    pub fn p_reach(&self, x0: f64, k: f64, years: u32, comparator: Comparator) -> Option<f64> {
        let g = self.median_growth();
        let v = self.volatility();
        Some(match self {
            Model::Deterministic(_) | Model::LogNormal(_) => {
                analytic::p_reach_lognormal(x0, k, g, v, years, comparator)
            }
            Model::Ar1(p) => analytic::p_reach_ar1(x0, k, g, v, p.persistence(), years, comparator),
            Model::StudentT(p) if years == 1 => {
                analytic::p_reach_student_t_one_year(x0, k, g, v, p.df(), comparator)
            }
            Model::StudentT(_) => return None,
            Model::RareShock(p) => analytic::p_reach_rare_shock(
                x0,
                k,
                g,
                v,
                p.shock_probability(),
                p.shock_size(),
                years,
                comparator,
            ),
            Model::Uncertain(p) => analytic::p_reach_uncertain(
                x0,
                k,
                g,
                p.mu_se(),
                v,
                p.volatility_df(),
                years,
                comparator,
            ),
            Model::BoundedShare(p) => {
                analytic::p_reach_bounded_share(x0, k, g, v, p.upper(), years, comparator)?
            }
        })
    }
}

impl GrowthProcess for Model {
    #[inline]
    fn log_growth_from_shocks<R: Rng + ?Sized>(&self, rng: &mut R, buf: &mut [f64]) {
        each!(self, p => p.log_growth_from_shocks(rng, buf))
    }

    #[inline(always)]
    fn affine_log_growth(&self) -> Option<(f64, f64)> {
        each!(self, p => p.affine_log_growth())
    }

    #[inline]
    fn path_draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Option<[f64; 2]> {
        each!(self, p => p.path_draw(rng))
    }

    #[inline(always)]
    fn path_affine(&self, draw: [f64; 2]) -> (f64, f64) {
        each!(self, p => p.path_affine(draw))
    }

    fn growth_response(&self) -> Option<GrowthResponse> {
        each!(self, p => p.growth_response())
    }

    fn uses_shocks(&self) -> bool {
        each!(self, p => p.uses_shocks())
    }

    fn median_growth(&self) -> f64 {
        Model::median_growth(self)
    }

    fn scale(&self) -> Scale {
        each!(self, p => p.scale())
    }
}

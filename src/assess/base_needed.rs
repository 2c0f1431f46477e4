//! The base a goal would need: for a goal waiting for a base level, the base-year
//! value that gives it a 50 % and an 80 % chance under the indicator's assumption.
//!
//! Paths give, per path, the statistic S the goal is about, in multiples of the base
//! B in the anchor year A:
//!
//! * a level, a total or an every-year minimum of an indicator with no known value:
//!   paths start as an index (1 in A); S is the level in the deadline year, the total
//!   over the window, or the smallest level of the window. The goal "at least K" holds
//!   from a base b when `b·S ≥ K`, so the chance p needs `b ≥ K / q₁₋ₚ(S)`; "at most K"
//!   needs `b ≤ K / qₚ(S)`;
//! * a share whose numerator or denominator has no known value: both start as an index
//!   in A (their shocks correlated as the scenario says); S is the ratio of their
//!   growth multiples, and the bound is on the share in A, in percent, as above;
//! * growth, an increase or a decline from a base year A whose value is unknown while
//!   a later one, X in year s, is: paths start from X; the goal "at least f·B" holds
//!   when `X_T ≥ f·b`, so the chance p needs `b ≤ q₁₋ₚ(X_T) / f`; "at most", `b ≥ qₚ(X_T) / f`.
//!
//! q is the type-7 quantile over the paths. The anchor is the goal's base year (the
//! window's start for totals and every-year goals) or, for a level or share goal that
//! states none, its document's base year.

use ndarray::Array2;

use super::settle::document_base_year;
use crate::error::Result;
use crate::indicator::{Indicator, IndicatorKey};
use crate::io::catalogue::Catalogue;
use crate::process::{GrowthProcess, Model, Scale};
use crate::scenario::{Assumption, Scenario};
use crate::sim::{QuantileMode, RunSettings, Sharding, Simulator};
use crate::stats::quantiles_type7;
use crate::target::{Comparator, Target, TargetKind};

/// Most paths a base-needed computation draws (it keeps every path's levels).
pub const MAX_PATHS: u64 = 200_000;

/// The base-year value a goal would need.
///
/// Paths from an index of 1 in the anchor year give the change D of the indicator's
/// state (log level, or logit for a bounded share) to the deadline, or the log of the
/// window's total or smallest level; a goal "at least K" then needs a base whose state
/// is at least `state(K) − q₁₋ₚ(D)` for a chance p ("at most": `state(K) − qₚ(D)`).
/// A growth, increase or decline goal whose base-year value is unknown while a later
/// level X is known needs a base of at most `q₁₋ₚ(X_T) / f`, f the goal's factor.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseNeeded {
    /// The year the base is in (the anchor A).
    pub year: i32,
    /// `AtLeast`: a base of at least `p50` gives a chance of 50 % or more; `AtMost`: a
    /// base of at most `p50` does.
    pub bound: Comparator,
    /// The base that gives a 50 % chance (a share in percent, for a share goal).
    pub p50: f64,
    /// The base that gives an 80 % chance.
    pub p80: f64,
    /// Paths drawn.
    pub paths: u64,
    /// The assumption of the goal's indicator (the numerator, for a share).
    pub assumption: Assumption,
}

/// A goal waiting for a base that a base-needed figure answers.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Waiting {
    /// Catalogue position of the target.
    pub(super) target: usize,
    /// The year of the base.
    pub(super) anchor: i32,
    /// The indicator (and the denominator, for a share), by catalogue position.
    pub(super) indicators: Vec<usize>,
}

/// Whether `t`, waiting for a base, is answered by a base-needed figure, and how.
pub(super) fn waiting(target: usize, t: &Target, catalogue: &Catalogue) -> Option<Waiting> {
    t.value?;
    let position = |key: &IndicatorKey| catalogue.indicators.iter().position(|i| &i.key == key);
    let i = position(&t.indicator)?;
    let known = catalogue.indicators[i].base;
    let document_year = || {
        t.base_year
            .or_else(|| document_base_year(catalogue, &t.document))
    };
    let (anchor, indicators) = match t.kind {
        TargetKind::Level if known.is_none() => (document_year()?, vec![i]),
        TargetKind::Cumulative | TargetKind::PerYear if known.is_none() => (t.base_year?, vec![i]),
        TargetKind::Share => {
            let d = IndicatorKey::new(
                t.indicator.jurisdiction.clone(),
                t.denominator.clone().unwrap_or_default(),
            );
            (document_year()?, vec![i, position(&d)?])
        }
        TargetKind::Growth | TargetKind::Increase | TargetKind::Decline => {
            let base_year = t.base_year?;
            let known = known?;
            (known.year > base_year && known.year < t.deadline).then_some((base_year, vec![i]))?
        }
        _ => return None,
    };
    (anchor < t.deadline).then_some(Waiting {
        target,
        anchor,
        indicators,
    })
}

/// Base-needed figures already worked out, by everything they depend on: the runs of a
/// scenario file's variants take the base scenario's where their assumptions and
/// correlations agree, rather than drawing the same paths again.
#[derive(Debug, Default)]
pub struct BaseMemo {
    done: std::sync::Mutex<Vec<(MemoKey, Option<BaseNeeded>)>>,
}

/// What a base-needed figure of one catalogue's target depends on besides the catalogue.
#[derive(Debug, Clone, PartialEq)]
struct MemoKey {
    target: usize,
    assumptions: Vec<Assumption>,
    cholesky: Option<Array2<f64>>,
    paths: u64,
    seed: u64,
}

impl BaseMemo {
    /// How many computations it holds.
    pub fn len(&self) -> usize {
        self.done.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, key: &MemoKey) -> Option<Option<BaseNeeded>> {
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.iter().find(|(k, _)| k == key).map(|(_, b)| b.clone())
    }

    fn put(&self, key: MemoKey, base: &Option<BaseNeeded>) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        if !done.iter().any(|(k, _)| k == &key) {
            done.push((key, base.clone()));
        }
    }
}

/// The base `w`'s goal would need (see the module docs); `assumptions` holds one per
/// indicator of `w`. Taken from `memo` when it holds the same computation, and put
/// there otherwise.
pub(super) fn base_needed(
    w: &Waiting,
    catalogue: &Catalogue,
    scenario: &Scenario,
    assumptions: Vec<Assumption>,
    (settings, sharding): (RunSettings, Option<Sharding<'_>>),
    memo: Option<&BaseMemo>,
) -> Result<Option<BaseNeeded>> {
    let keys: Vec<IndicatorKey> = w
        .indicators
        .iter()
        .map(|&i| catalogue.indicators[i].key.clone())
        .collect();
    let cholesky = match keys.len() {
        1 => None,
        _ => scenario.cholesky_for(&keys)?,
    };
    let key = MemoKey {
        target: w.target,
        assumptions,
        cholesky,
        paths: settings.paths,
        seed: settings.seed,
    };
    if let Some(base) = memo.and_then(|m| m.get(&key)) {
        return Ok(base);
    }
    let base = compute(w, catalogue, &keys, &key, sharding)?;
    if let Some(m) = memo {
        m.put(key, &base);
    }
    Ok(base)
}

/// [`base_needed`] worked out: the paths drawn and their statistic's quantiles.
fn compute(
    w: &Waiting,
    catalogue: &Catalogue,
    keys: &[IndicatorKey],
    key: &MemoKey,
    sharding: Option<Sharding<'_>>,
) -> Result<Option<BaseNeeded>> {
    let t = &catalogue.targets[w.target];
    let k = t.value.expect("waiting() requires a value");
    let members: Vec<&Indicator> = w
        .indicators
        .iter()
        .map(|&i| &catalogue.indicators[i])
        .collect();
    let models: Vec<Model> = key.assumptions.iter().map(|a| a.model).collect();
    // On a bounded (logit) scale a base shifts the state rather than multiplying the
    // level: only a level goal has a base-needed figure there.
    let scale = models[0].scale();
    let logit = models.iter().any(|m| m.scale() != Scale::Log);
    if logit && !matches!(t.kind, TargetKind::Level) && !t.kind.is_relative() {
        return Ok(None);
    }
    // A relative goal starts from the known level after the base year, others as an index.
    let relative = t.kind.is_relative();
    let start = match (relative, members[0].base) {
        (true, Some(known)) => known,
        _ => crate::indicator::Observation {
            year: w.anchor,
            value: 1.0,
        },
    };
    let years = (t.deadline - start.year) as usize;
    let paths = key.paths.min(MAX_PATHS);
    let stream = keys
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("+");
    let mut sim = Simulator::new(&models[0], start.value, years)
        .paths(paths)
        .seed(key.seed)
        .stream(&stream)
        .quantile_mode(QuantileMode::Exact)
        .quantiles(&[])
        .keep_paths(true)
        .sharding(sharding);
    if let Some(den) = models.get(1) {
        sim = sim.indicator(den, 1.0, 0);
        if let Some(l) = &key.cholesky {
            sim = sim.cholesky(l.clone());
        }
    }
    let levels = sim
        .run()?
        .log_levels
        .expect("kept paths are returned in exact mode");
    // All the paths, or a shard's slice of them (see `Sharding`).
    let drawn = levels.len_of(ndarray::Axis(2));
    let start_state = scale
        .to_state(start.value)
        .expect("an index of 1 is in range");
    let mut statistic: Vec<f64> = (0..drawn)
        .map(|p| {
            let state = |k: usize, step: usize| levels[[k, step - 1, p]];
            let level = |step: usize| scale.to_level(state(0, step));
            match t.kind {
                _ if relative => level(years),
                // The change of state from the index start (a log-multiple, or a shift
                // of the logit).
                TargetKind::Level => state(0, years) - start_state,
                TargetKind::Cumulative => (1..=years).map(level).sum::<f64>().ln(),
                TargetKind::PerYear => (1..=years).map(level).fold(f64::INFINITY, f64::min).ln(),
                _ => state(0, years) - state(1, years),
            }
        })
        .collect();
    // The quantile that gives chance p, and how the base follows from it.
    let at_least = t.comparator == Comparator::AtLeast;
    let q = quantiles_type7(&mut statistic, &[0.2, 0.5, 0.8]);
    let q_for = |p: f64| match (at_least, p > 0.6) {
        (true, true) => q[0],
        (false, true) => q[2],
        _ => q[1],
    };
    let factor = t.factor().unwrap_or(1.0);
    // Relative goals: q is the deadline level and the base q / f. Others: q is a change
    // of state D on the goal's scale (the logit for a level of a bounded share, else the
    // log), and the base's state is the goal's state less D.
    let goal_scale = if t.kind == TargetKind::Level {
        scale
    } else {
        Scale::Log
    };
    let base = |q: f64| {
        if relative {
            Some(q / factor)
        } else {
            Some(goal_scale.to_level(goal_scale.to_state(k)? - q))
        }
    };
    let (Some(p50), Some(p80)) = (base(q_for(0.5)), base(q_for(0.8))) else {
        return Ok(None);
    };
    let bound = match (relative, at_least) {
        (false, _) => t.comparator,
        (true, true) => Comparator::AtMost,
        (true, false) => Comparator::AtLeast,
    };
    Ok(Some(BaseNeeded {
        year: w.anchor,
        bound,
        p50,
        p80,
        paths,
        assumption: key.assumptions[0].clone(),
    }))
}

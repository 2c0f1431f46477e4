//! What `goalcast backtest` writes: every scored forecast (`backtest.csv`), the scores
//! per method (`backtest_summary.csv`, `backtest_summary.txt`), a PIT histogram
//! (`pit_histogram.png/svg`) and a reliability diagram (`reliability.png/svg`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::backtest::{BacktestResult, Law, Method, MethodSummary};
use crate::error::Result;
use crate::io::csv_write::{csv_of, opt};
use crate::io::write_atomic;
use crate::plot::{
    PitHistogram, PitPanel, Reliability, ReliabilityCurve, write_pit_histogram, write_reliability,
};

/// Bins of the PIT histogram and of the reliability diagram.
pub const BINS: usize = 10;

/// A row of `backtest.csv`: one forecast by one method.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct BacktestRow {
    pub series: String,
    pub origin: String,
    pub horizon: String,
    pub method: String,
    pub intervals: String,
    pub start_year: String,
    pub start_value: String,
    pub observed: String,
    pub median: String,
    pub q05: String,
    pub q95: String,
    pub pit: String,
    pub in50: String,
    pub in90: String,
    pub crps_log: String,
}

/// A row of `backtest_summary.csv`: one method's scores.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct BacktestSummaryRow {
    pub method: String,
    pub forecasts: String,
    pub coverage50: String,
    pub coverage50_lo: String,
    pub coverage50_hi: String,
    pub coverage90: String,
    pub coverage90_lo: String,
    pub coverage90_hi: String,
    pub mean_pit: String,
    pub mean_crps_log: String,
    pub brier_events: String,
    pub events: String,
}

/// The level at probability `p` of a forecast law of the log-level.
fn level_at(law: &Law, p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
    match *law {
        Law::Normal { m, s } => (m + s * Normal::standard().inverse_cdf(p)).exp(),
        Law::StudentT { m, s, df } => {
            StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |t| (m + s * t.inverse_cdf(p)).exp())
        }
        Law::Point { m } => m.exp(),
    }
}

fn summary_row(s: &MethodSummary) -> BacktestSummaryRow {
    let split = |c: Option<(f64, f64, f64)>| {
        (
            opt(c.map(|x| x.0)),
            opt(c.map(|x| x.1)),
            opt(c.map(|x| x.2)),
        )
    };
    let (coverage50, coverage50_lo, coverage50_hi) = split(s.coverage50);
    let (coverage90, coverage90_lo, coverage90_hi) = split(s.coverage90);
    BacktestSummaryRow {
        method: s.method.as_str().into(),
        forecasts: s.forecasts.to_string(),
        coverage50,
        coverage50_lo,
        coverage50_hi,
        coverage90,
        coverage90_lo,
        coverage90_hi,
        mean_pit: opt(s.mean_pit),
        mean_crps_log: s.mean_crps.to_string(),
        brier_events: s.brier.to_string(),
        events: s.events.to_string(),
    }
}

/// The scores per method as a text table, with the series left out.
pub fn backtest_txt(result: &BacktestResult) -> String {
    let cov = |c: Option<(f64, f64, f64)>| {
        c.map_or_else(
            || "-".into(),
            |(p, lo, hi)| format!("{:.2} [{:.2}, {:.2}]", p, lo, hi),
        )
    };
    let mut out = format!(
        "{:<15} {:>9} {:>20} {:>20} {:>9} {:>10} {:>8}\n",
        "method", "forecasts", "50 % coverage", "90 % coverage", "mean PIT", "CRPS(log)", "Brier"
    );
    for s in result.summary() {
        let _ = writeln!(
            out,
            "{:<15} {:>9} {:>20} {:>20} {:>9} {:>10.4} {:>8.4}",
            s.method.as_str(),
            s.forecasts,
            cov(s.coverage50),
            cov(s.coverage90),
            s.mean_pit.map_or_else(|| "-".into(), |p| format!("{p:.3}")),
            s.mean_crps,
            s.brier
        );
    }
    out.push_str("\nCoverage: share of observed values inside the central band, with its 95 % binomial (Wilson) interval.\n");
    if !result.skipped.is_empty() {
        let _ = writeln!(out, "\n{} series not scored:", result.skipped.len());
        for (series, why) in &result.skipped {
            let _ = writeln!(out, "  {series}: {why}");
        }
    }
    out
}

/// Writes the backtest's files into `dir` (created if missing); returns their paths.
pub fn write_backtest(result: &BacktestResult, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io(dir, e))?;
    let rows = result.forecasts.iter().map(|f| BacktestRow {
        series: f.series.clone(),
        origin: f.origin.to_string(),
        horizon: f.horizon.to_string(),
        method: f.method.as_str().into(),
        intervals: f.intervals.to_string(),
        start_year: f.start.year.to_string(),
        start_value: f.start.value.to_string(),
        observed: f.observed.to_string(),
        median: level_at(&f.law, 0.5).to_string(),
        q05: level_at(&f.law, 0.05).to_string(),
        q95: level_at(&f.law, 0.95).to_string(),
        pit: opt(f.pit),
        in50: opt(f.in50),
        in90: opt(f.in90),
        crps_log: f.crps.to_string(),
    });
    let mut written = Vec::new();
    let csv = dir.join("backtest.csv");
    write_atomic(&csv, &csv_of(rows)?)?;
    written.push(csv);
    let summary = dir.join("backtest_summary.csv");
    write_atomic(&summary, &csv_of(result.summary().iter().map(summary_row))?)?;
    written.push(summary);
    let txt = dir.join("backtest_summary.txt");
    write_atomic(&txt, backtest_txt(result).as_bytes())?;
    written.push(txt);
    let probabilistic = [
        Method::Goalcast,
        Method::GoalcastFixed,
        Method::RandomWalkDrift,
    ];
    let panels: Vec<PitPanel> = probabilistic
        .iter()
        .map(|&m| PitPanel {
            method: m.as_str().into(),
            counts: result.pit_histogram(m, BINS),
        })
        .collect();
    written.extend(write_pit_histogram(
        &PitHistogram { panels: &panels },
        dir,
        "pit_histogram",
    )?);
    let curves: Vec<ReliabilityCurve> = Method::ALL
        .iter()
        .map(|&m| ReliabilityCurve {
            method: m.as_str().into(),
            points: result.reliability(m, BINS),
        })
        .collect();
    written.extend(write_reliability(
        &Reliability { curves: &curves },
        dir,
        "reliability",
    )?);
    Ok(written)
}

/// A row of `backtest_goals.csv`: one settled goal forecast from its base year.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct HindcastRow {
    pub target: String,
    pub as_of: String,
    pub p_reach: String,
    pub deterministic_met: String,
    pub met: String,
    pub brier_goalcast: String,
    pub brier_deterministic: String,
}

/// Writes `backtest_goals.csv` and returns its path and a one-line summary (goals, mean
/// Brier of goalcast and of the deterministic call).
pub fn write_hindcasts(
    hindcasts: &[crate::assess::Hindcast],
    dir: &Path,
) -> Result<(PathBuf, String)> {
    let path = dir.join("backtest_goals.csv");
    let rows = hindcasts.iter().map(|h| {
        let (bg, bd) = h.brier();
        HindcastRow {
            target: h.target.clone(),
            as_of: h.as_of.to_string(),
            p_reach: h.p_reach.to_string(),
            deterministic_met: h.deterministic_met.to_string(),
            met: h.met.to_string(),
            brier_goalcast: bg.to_string(),
            brier_deterministic: bd.to_string(),
        }
    });
    write_atomic(&path, &csv_of(rows)?)?;
    let n = hindcasts.len().max(1) as f64;
    let (g, d) = hindcasts.iter().fold((0.0, 0.0), |(g, d), h| {
        let (bg, bd) = h.brier();
        (g + bg, d + bd)
    });
    let line = format!(
        "Settled goals forecast from their base year: {} (met {}); Brier goalcast {:.4}, deterministic rule {:.4}",
        hindcasts.len(),
        hindcasts.iter().filter(|h| h.met).count(),
        g / n,
        d / n
    );
    Ok((path, line))
}

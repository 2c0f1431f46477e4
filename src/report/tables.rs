//! Every table a run writes, one typed row per table: the field names of each row struct
//! are the file's columns, in order, and are a contract other tools rely on.
//!
//! | file | row | one row per |
//! |---|---|---|
//! | `summary.csv` | [`SummaryRow`] | target |
//! | `quantiles.csv` | [`QuantileRow`] | simulated indicator and year |
//! | `first_reached.csv` | [`FirstReachedRow`] | simulated target and year of its window |
//! | `history_choices.csv` | [`HistoryChoiceRow`] | indicator and year with differing values |
//! | `sensitivity.csv` | [`SensitivityCsvRow`] | analysed target and parameter |
//! | `calibration.csv` | [`CalibrationRow`] | calibrated indicator |
//! | `scenarios.csv` | [`ScenarioRow`] | target and named scenario |
//! | `check.csv` | [`CheckRow`] | finding of the consistency check |
//!
//! A figure that does not apply is an empty cell; percentages are written by
//! [`pct`]; reported figures are rounded to the precision they carry: probabilities to
//! 4 decimals ([`prob`]), standard errors to 2 significant digits ([`std_error`]),
//! simulated levels (quantiles, thresholds, bases needed) to 6 significant digits
//! ([`level`]); inputs (observed values, catalogue figures) as given.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::{DEFAULT_PROBABILITIES, Sensitivity, TargetAnalysis};
use crate::assess::{Assessment, Evaluation, TargetOutcome};
use crate::calibrate::{Ar1, CalibrationReport};
use crate::check::{CheckReport, Figure, Finding};
use crate::error::{Error, Result};
use crate::io::csv_write::{csv_of, level, opt, pct, prob, std_error};
use crate::io::history::History;
use crate::io::write_atomic;
use crate::process::Model;
use crate::scenario::Assumption;

/// A row of `summary.csv`: the target as catalogued, what the run made of it, and (with
/// `--analysis`) the growth it would need and its progress categories.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)] // the columns are documented in the README and `guide::data_formats`
pub struct SummaryRow {
    pub target: String,
    pub indicator: String,
    pub jurisdiction: String,
    pub kind: String,
    pub comparator: String,
    pub base_year: String,
    pub base_value: String,
    pub target_value: String,
    pub deadline: String,
    pub unit: String,
    pub status: String,
    pub start_year: String,
    pub start_value: String,
    pub threshold: String,
    pub model: String,
    pub growth_pct: String,
    pub volatility_pct: String,
    pub paths: String,
    pub seed: String,
    pub p_reach: String,
    pub p_reach_se: String,
    pub p_reach_by: String,
    pub p_reach_closed_form: String,
    pub required_growth_pct: String,
    pub q05: String,
    pub q50: String,
    pub q95: String,
    /// How the quantiles (`q05`…`q95`) were computed: `exact` or `streaming` (by
    /// `--quantiles`, or chosen by the run's size).
    pub quantile_method: String,
    /// The largest relative error of those quantiles: 0 (exact) or 0.001 (streaming).
    pub quantile_max_rel_error: String,
    pub document: String,
    pub assumption_source: String,
    pub quote: String,
    pub growth_needed_p50_pct: String,
    pub growth_needed_p80_pct: String,
    pub growth_needed_p90_pct: String,
    pub progress_deterministic: String,
    pub progress_median: String,
    pub p_on_track: String,
    pub p_moderate: String,
    pub p_insufficient: String,
    pub p_moving_away: String,
    pub assumption_basis: String,
    pub start_basis: String,
    pub base_needed_year: String,
    pub base_needed_bound: String,
    pub base_needed_p50: String,
    pub base_needed_p80: String,
    pub observed_year: String,
    pub observed_value: String,
    pub required_value: String,
    pub observed_source: String,
    pub statcan_base_year: String,
    pub statcan_base_value: String,
    pub statcan_latest_year: String,
    pub statcan_latest_value: String,
    pub statcan_target_value: String,
    pub statcan_target_year: String,
    pub statcan_observed_growth_pct: String,
    pub statcan_required_growth_pct: String,
    pub statcan_coefficient: String,
    pub statcan_ratio: String,
    pub statcan_status: String,
    pub statcan_score: String,
    pub eurostat_5y_start_year: String,
    pub eurostat_5y_observed_growth_pct: String,
    pub eurostat_5y_required_growth_pct: String,
    pub eurostat_5y_ratio: String,
    pub eurostat_5y_status: String,
    pub eurostat_15y_start_year: String,
    pub eurostat_15y_observed_growth_pct: String,
    pub eurostat_15y_required_growth_pct: String,
    pub eurostat_15y_ratio: String,
    pub eurostat_15y_status: String,
    pub official_note: String,
    /// For a share: P(the share is at or above 100 % at the deadline) on the run's paths.
    pub p_share_over_100: String,
    /// For a share: P(reached at the deadline | the share is below 100 % then).
    pub p_reach_coherent: String,
}

impl SummaryRow {
    /// The row of one target of an assessment.
    pub fn of(a: &Assessment, o: &TargetOutcome) -> Self {
        let t = &o.target;
        let mut row = SummaryRow {
            target: t.id.clone(),
            indicator: t.indicator.id.clone(),
            jurisdiction: t.indicator.jurisdiction.clone(),
            kind: t.kind.to_string(),
            comparator: t.comparator.to_string(),
            base_year: opt(t.base_year),
            base_value: opt(t.base_value),
            target_value: opt(t.value),
            deadline: t.deadline.to_string(),
            unit: a
                .catalogue_indicator(&t.indicator)
                .map(|i| i.unit.clone())
                .unwrap_or_default(),
            document: t.document.clone(),
            quote: t.quote.clone(),
            ..Default::default()
        };
        match &o.result {
            Ok(e) => {
                row.status = "simulated".into();
                row.fill_simulated(a, e);
            }
            Err(why) => row.status = why.as_str().into(),
        }
        if let Some(b) = &o.base_needed {
            row.fill_assumption(&b.assumption);
            row.paths = b.paths.to_string();
            row.seed = a.settings.seed.to_string();
            row.base_needed_year = b.year.to_string();
            row.base_needed_bound = b.bound.to_string();
            row.base_needed_p50 = level(b.p50);
            row.base_needed_p80 = level(b.p80);
        }
        if let Some(s) = &o.settled {
            row.observed_year = s.year.to_string();
            row.observed_value = s.observed.to_string();
            row.required_value = s.required.to_string();
            row.observed_source = s.source.clone();
        }
        row.fill_official(a, t);
        row
    }

    fn fill_assumption(&mut self, assumption: &Assumption) {
        let m = &assumption.model;
        self.model = m.name().into();
        self.growth_pct = pct(m.median_growth());
        if !matches!(m, Model::Deterministic(_)) {
            self.volatility_pct = pct(m.volatility());
        }
        self.assumption_source = opt(assumption.source.clone());
        self.assumption_basis = assumption.basis.to_string();
    }

    fn fill_simulated(&mut self, a: &Assessment, e: &Evaluation) {
        self.start_year = e.start.year.to_string();
        if e.index_start {
            self.start_basis = format!("index ({} = 1)", e.start.year);
        } else {
            self.start_value = e.start.value.to_string();
            self.start_basis = "observed".into();
        }
        self.threshold = e.threshold.map(level).unwrap_or_default();
        self.fill_assumption(&e.assumption);
        self.paths = a.settings.paths.to_string();
        self.seed = a.settings.seed.to_string();
        self.p_reach = prob(e.p_reach);
        self.p_reach_se = std_error(e.p_reach_se);
        self.p_reach_by = e.p_reach_by.map(prob).unwrap_or_default();
        self.p_reach_closed_form = e.p_reach_closed_form.map(prob).unwrap_or_default();
        self.p_share_over_100 = e.p_share_over_100.map(prob).unwrap_or_default();
        self.p_reach_coherent = e.p_reach_coherent.map(prob).unwrap_or_default();
        self.required_growth_pct = e.required_growth.map(pct).unwrap_or_default();
        [self.q05, self.q50, self.q95] = e.deadline_quantiles.map(level);
        self.quantile_method = a.settings.quantiles.name().into();
        self.quantile_max_rel_error = a
            .settings
            .quantiles
            .max_rel_error()
            .map(|e| e.to_string())
            .unwrap_or_default();
        if let Some(x) = &e.analysis {
            self.fill_analysis(x);
        }
    }

    fn fill_analysis(&mut self, x: &TargetAnalysis) {
        let needed = |p: f64| {
            x.growth_needed
                .iter()
                .find(|r| r.probability == p)
                .and_then(|r| r.growth)
                .map(pct)
                .unwrap_or_default()
        };
        [
            self.growth_needed_p50_pct,
            self.growth_needed_p80_pct,
            self.growth_needed_p90_pct,
        ] = DEFAULT_PROBABILITIES.map(needed);
        if let Some(o) = &x.progress {
            self.progress_deterministic = o.deterministic.as_str().into();
            self.progress_median = o.median.as_str().into();
            [
                self.p_on_track,
                self.p_moderate,
                self.p_insufficient,
                self.p_moving_away,
            ] = o.probabilities.map(prob);
        }
    }
}

/// `summary.csv`: one [`SummaryRow`] per target.
pub fn summary_csv(a: &Assessment) -> Result<Vec<u8>> {
    csv_of(a.targets.iter().map(|o| SummaryRow::of(a, o)))
}

/// A row of `quantiles.csv`: an indicator's level quantiles (5, 25, 50, 75, 95 %) in a year.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct QuantileRow {
    pub indicator: String,
    pub year: String,
    pub q05: String,
    pub q25: String,
    pub q50: String,
    pub q75: String,
    pub q95: String,
    pub jurisdiction: String,
    pub unit: String,
}

/// `quantiles.csv`: level quantiles of every simulated indicator, every year.
pub fn quantiles_csv(a: &Assessment) -> Result<Vec<u8>> {
    let rows = a.indicators.iter().flat_map(|o| {
        o.years.iter().enumerate().map(move |(i, year)| {
            let q: Vec<String> = o.quantiles.row(i).iter().map(|&q| level(q)).collect();
            let [q05, q25, q50, q75, q95]: [String; 5] =
                q.try_into().expect("five reported quantiles");
            QuantileRow {
                indicator: o.indicator.key.id.clone(),
                year: year.to_string(),
                q05,
                q25,
                q50,
                q75,
                q95,
                jurisdiction: o.indicator.key.jurisdiction.clone(),
                unit: match o.index_year {
                    Some(y) => format!("index ({y} = 1)"),
                    None => o.indicator.unit.clone(),
                },
            }
        })
    });
    csv_of(rows)
}

/// A row of `first_reached.csv`: the probability that a target first holds in `year`
/// (`probability`, summing to `p_reach_by`; empty for every-year kinds, where it does
/// not apply) and that its condition holds in that year (`p_holds`).
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct FirstReachedRow {
    pub target: String,
    pub year: String,
    pub probability: String,
    pub p_holds: String,
}

/// `first_reached.csv`: every simulated target, every year of its window.
pub fn first_reached_csv(a: &Assessment) -> Result<Vec<u8>> {
    let rows = a.targets.iter().flat_map(|o| {
        o.result.iter().flat_map(move |e| {
            e.holds_by_year
                .iter()
                .enumerate()
                .map(move |(i, (year, holds))| FirstReachedRow {
                    target: o.target.id.clone(),
                    year: year.to_string(),
                    probability: e
                        .first_reached
                        .get(i)
                        .map(|&(_, p)| prob(p))
                        .unwrap_or_default(),
                    p_holds: prob(*holds),
                })
        })
    });
    csv_of(rows)
}

/// A row of `history_choices.csv`: an indicator and year where the history file holds
/// several differing values, the one used (the last) and those set aside, with their lines.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct HistoryChoiceRow {
    pub indicator: String,
    pub jurisdiction: String,
    pub year: String,
    pub used_value: String,
    pub used_line: String,
    pub dropped_values: String,
    pub dropped_lines: String,
}

/// `history_choices.csv`.
pub fn history_choices_csv(history: &History) -> Result<Vec<u8>> {
    let join = |v: &[(f64, u64)], f: &dyn Fn(&(f64, u64)) -> String| {
        v.iter().map(f).collect::<Vec<_>>().join(";")
    };
    let rows = history.overridden().into_iter().map(|o| HistoryChoiceRow {
        indicator: o.indicator.id.clone(),
        jurisdiction: o.indicator.jurisdiction.clone(),
        year: o.year.to_string(),
        used_value: o.used.0.to_string(),
        used_line: o.used.1.to_string(),
        dropped_values: join(&o.dropped, &|d| d.0.to_string()),
        dropped_lines: join(&o.dropped, &|d| d.1.to_string()),
    });
    csv_of(rows)
}

/// A row of `sensitivity.csv`: one parameter of one target moved down and up alone.
/// Values and probabilities are fractions; an empty `p_low` / `p_high` means the model
/// refuses that value.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct SensitivityCsvRow {
    pub target: String,
    pub parameter: String,
    pub base_value: String,
    pub low_value: String,
    pub high_value: String,
    pub p_low: String,
    pub p_base: String,
    pub p_high: String,
}

/// The sensitivity table of several targets, as CSV bytes.
///
/// ```
/// use goalcast::analysis::{Goal, Shifts, sensitivity};
/// use goalcast::process::{LogNormalGrowth, Model};
/// use goalcast::report::tables::sensitivity_csv;
/// use goalcast::sim::RunSettings;
/// use goalcast::target::Comparator;
///
/// let model = Model::LogNormal(LogNormalGrowth::new(0.10, 0.05).unwrap());
/// let goal = Goal::level(model, 100.0, 133.1, 3, Comparator::AtLeast);
/// let settings = RunSettings { paths: 2_000, seed: 1, ..Default::default() };
/// let s = sensitivity("demo", &goal, settings, &Shifts::default()).unwrap();
/// let csv = String::from_utf8(sensitivity_csv(&[s]).unwrap()).unwrap();
/// assert!(csv.starts_with("target,parameter,base_value,low_value,high_value,p_low,p_base,p_high\n"));
/// ```
pub fn sensitivity_csv(items: &[Sensitivity]) -> Result<Vec<u8>> {
    // Shifted values to 12 decimals, so that 0.046 · 1.25 prints as 0.0575.
    let value = |v: f64| ((v * 1e12).round() / 1e12).to_string();
    let rows = items.iter().flat_map(|s| {
        s.rows.iter().map(move |r| SensitivityCsvRow {
            target: s.target.clone(),
            parameter: r.parameter.clone(),
            base_value: value(r.base_value),
            low_value: value(r.low_value),
            high_value: value(r.high_value),
            p_low: r.p_low.map(prob).unwrap_or_default(),
            p_base: prob(s.p_base),
            p_high: r.p_high.map(prob).unwrap_or_default(),
        })
    });
    csv_of(rows)
}

/// A row of `calibration.csv`.
///
/// `source` is `history` or `prior`; `window_first`, `window_last` are empty without a
/// window; `excluded_years` is `;`-separated; `observations` in the window; `intervals`
/// (n); `first_year`, `last_year` covered; `span_years` (Σd); `growth_pct` (100·ĝ),
/// `growth_se_pct`; `volatility_pct` (100·σ̂), `volatility_se_pct`; `ar1_phi`,
/// `ar1_phi_se`, `ar1_pairs`, `ar1_first_year`, `ar1_last_year` (empty when not
/// estimated) and `ar1_note` (why not); `shock_years`, `shock_spans`,
/// `shock_deviation_pct` (100·(r − d·μ̂), `;`-separated, in the same order),
/// `shock_rate` (shocks per window year; empty unless shocks were reported);
/// `prior_reason`.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct CalibrationRow {
    pub indicator: String,
    pub jurisdiction: String,
    pub source: String,
    pub window_first: String,
    pub window_last: String,
    pub excluded_years: String,
    pub observations: String,
    pub intervals: String,
    pub first_year: String,
    pub last_year: String,
    pub span_years: String,
    pub growth_pct: String,
    pub growth_se_pct: String,
    pub volatility_pct: String,
    pub volatility_se_pct: String,
    pub ar1_phi: String,
    pub ar1_phi_se: String,
    pub ar1_pairs: String,
    pub ar1_first_year: String,
    pub ar1_last_year: String,
    pub ar1_note: String,
    pub shock_years: String,
    pub shock_spans: String,
    pub shock_deviation_pct: String,
    pub shock_rate: String,
    pub prior_reason: String,
}

impl CalibrationRow {
    /// The row of one calibration report.
    pub fn of(r: &CalibrationReport) -> Self {
        let ar1 = r.ar1.fit();
        let join = |f: &dyn Fn(&crate::calibrate::ShockYear) -> String| {
            r.shocks.iter().map(f).collect::<Vec<_>>().join(";")
        };
        CalibrationRow {
            indicator: r.indicator.id.clone(),
            jurisdiction: r.indicator.jurisdiction.clone(),
            source: r.source.to_string(),
            window_first: opt(r.window.map(|w| w.0)),
            window_last: opt(r.window.map(|w| w.1)),
            excluded_years: r
                .excluded_years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            observations: r.observations.to_string(),
            intervals: r.n_intervals.to_string(),
            first_year: opt(r.years_covered.map(|y| y.0)),
            last_year: opt(r.years_covered.map(|y| y.1)),
            span_years: r.span_years.to_string(),
            growth_pct: pct(r.growth),
            growth_se_pct: opt(r.growth_se.map(pct)),
            volatility_pct: pct(r.volatility),
            volatility_se_pct: opt(r.volatility_se.map(pct)),
            ar1_phi: opt(ar1.map(|a| a.phi)),
            ar1_phi_se: opt(ar1.map(|a| a.phi_se)),
            ar1_pairs: opt(ar1.map(|a| a.pairs)),
            ar1_first_year: opt(ar1.map(|a| a.years.0)),
            ar1_last_year: opt(ar1.map(|a| a.years.1)),
            ar1_note: match &r.ar1 {
                Ar1::Estimated(_) => String::new(),
                Ar1::NotEstimated(why) => why.clone(),
            },
            shock_years: join(&|s| s.year.to_string()),
            shock_spans: join(&|s| s.span.to_string()),
            shock_deviation_pct: join(&|s| pct(s.deviation)),
            shock_rate: opt(r.shock_rate()),
            prior_reason: opt(r.prior_reason.clone()),
        }
    }
}

/// `calibration.csv`: one [`CalibrationRow`] per report.
pub fn calibration_csv(reports: &[CalibrationReport]) -> Result<Vec<u8>> {
    csv_of(reports.iter().map(CalibrationRow::of))
}

/// A row of `scenarios.csv`: one target under one named scenario.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct ScenarioRow {
    pub target: String,
    pub scenario: String,
    pub status: String,
    pub p_reach: String,
    pub p_reach_se: String,
    pub p_reach_closed_form: String,
    pub growth_pct: String,
    pub volatility_pct: String,
    pub q50: String,
}

impl ScenarioRow {
    /// The row of one target's outcome under the scenario `name`.
    pub fn of(name: &str, o: &TargetOutcome) -> Self {
        let mut row = ScenarioRow {
            target: o.target.id.clone(),
            scenario: name.to_string(),
            ..Default::default()
        };
        match &o.result {
            Ok(e) => {
                row.status = "simulated".into();
                row.p_reach = prob(e.p_reach);
                row.p_reach_se = std_error(e.p_reach_se);
                row.p_reach_closed_form = e.p_reach_closed_form.map(prob).unwrap_or_default();
                row.growth_pct = pct(e.assumption.model.median_growth());
                row.volatility_pct = pct(e.assumption.model.volatility());
                row.q50 = level(e.deadline_quantiles[1]);
            }
            Err(why) => row.status = why.as_str().into(),
        }
        row
    }
}

/// `scenarios.csv`: the row of every target under every named scenario of `runs`
/// (assessments of one catalogue; the first is the base), target by target.
pub fn scenarios_csv(runs: &[(String, Assessment)]) -> Result<Vec<u8>> {
    let targets = runs.first().map_or(0, |(_, a)| a.targets.len());
    csv_of((0..targets).flat_map(|i| {
        runs.iter()
            .map(move |(name, a)| ScenarioRow::of(name, &a.targets[i]))
    }))
}

/// The sensitivity of every analysed target of `a`, in catalogue order.
pub fn sensitivities(a: &Assessment) -> Vec<Sensitivity> {
    a.targets
        .iter()
        .filter_map(|o| {
            Some(
                o.result
                    .as_ref()
                    .ok()?
                    .analysis
                    .as_ref()?
                    .sensitivity
                    .clone(),
            )
        })
        .collect()
}

/// A row of `growth_curve.csv`: the probability of one analysed target at one central
/// growth of its indicator (`growth_pct`, in percent), from every path's critical shift
/// (common random numbers: the share of the same paths that meets the goal when the
/// central growth is moved there), with its standard error. The grid is
/// [`crate::analysis::GrowthCurve`]'s.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct GrowthCurveRow {
    pub target: String,
    pub growth_pct: String,
    pub p_reach: String,
    pub p_reach_se: String,
}

/// `growth_curve.csv`: [`GrowthCurveRow`]s of every target with a growth curve, in the
/// catalogue's order.
pub fn growth_curve_csv(a: &Assessment) -> Result<Vec<u8>> {
    let rows = a.targets.iter().flat_map(|o| {
        let curve = o
            .result
            .as_ref()
            .ok()
            .and_then(|e| e.analysis.as_ref()?.growth_curve.as_ref());
        curve.into_iter().flat_map(move |c| {
            c.points.iter().map(move |p| GrowthCurveRow {
                target: o.target.id.clone(),
                growth_pct: pct(p.growth),
                p_reach: prob(p.probability),
                p_reach_se: std_error(p.se),
            })
        })
    });
    csv_of(rows)
}

/// A row of `check.csv`: one finding of the consistency check. Target ids and documents
/// are separated by `;`, figures (`name = value unit`) by `; `.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)]
pub struct CheckRow {
    pub kind: String,
    pub severity: String,
    pub targets: String,
    pub documents: String,
    pub indicator: String,
    pub figures: String,
    pub explanation: String,
}

impl CheckRow {
    /// The row of one finding.
    pub fn of(f: &Finding) -> Self {
        let figures: Vec<String> = f.figures.iter().map(Figure::to_string).collect();
        CheckRow {
            kind: f.kind.as_str().into(),
            severity: f.severity.as_str().into(),
            targets: f.targets.join(";"),
            documents: f.documents.join(";"),
            indicator: opt(f.indicator.as_ref()),
            figures: figures.join("; "),
            explanation: f.explanation.clone(),
        }
    }
}

/// `check.csv`: one [`CheckRow`] per finding, in the report's order.
pub fn check_csv(report: &CheckReport) -> Result<Vec<u8>> {
    csv_of(report.findings.iter().map(CheckRow::of))
}

/// Writes `summary.csv`, `quantiles.csv` and `first_reached.csv` into `dir` (created if
/// missing), and `growth_curve.csv` when a target has a growth curve (`--analysis`),
/// and returns their paths.
pub fn write_tables(a: &Assessment, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let curves = a.targets.iter().any(|o| {
        o.result.as_ref().is_ok_and(|e| {
            e.analysis
                .as_ref()
                .is_some_and(|x| x.growth_curve.is_some())
        })
    });
    let mut files = vec![
        ("summary.csv", summary_csv(a)?),
        ("quantiles.csv", quantiles_csv(a)?),
        ("first_reached.csv", first_reached_csv(a)?),
    ];
    if curves {
        files.push(("growth_curve.csv", growth_curve_csv(a)?));
    }
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            write_atomic(&path, &bytes).map(|()| path)
        })
        .collect()
}

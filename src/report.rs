//! Writing a whole run: tables, fan charts and the manifest, in one call shared by the
//! command line and the examples.

use std::path::{Path, PathBuf};

use crate::assess::Assessment;
use crate::error::Result;
use crate::io::history::History;
use crate::io::results::{InputFile, Manifest, history_choices_csv, write_manifest, write_tables};
use crate::io::write_atomic;
use crate::plot::{
    Dashboard, DashboardRow, FanChart, RowStatus, TargetMark, write_dashboard, write_fan_chart,
};
use crate::sim::GENERATOR;
use crate::target::TargetKind;

/// The file stem of an indicator's fan chart: `fan_<jurisdiction>_<indicator>`, lower case.
pub fn fan_chart_stem(outcome: &crate::assess::IndicatorOutcome) -> String {
    let key = &outcome.indicator.key;
    format!("fan_{}_{}", key.jurisdiction, key.id).to_lowercase()
}

/// The inputs of a run, as far as the report needs them.
#[derive(Debug, Clone, Copy)]
pub struct RunInputs<'a> {
    /// Title of the dashboard, in Chinese and in English (e.g. the document's title).
    pub title: (&'a str, &'a str),
    /// Scenario name, written to the manifest.
    pub scenario_name: &'a str,
    /// Files hashed into the manifest.
    pub files: &'a [&'a Path],
    /// The history used, if any: its choices between differing values are written out.
    pub history: Option<&'a History>,
}

/// Writes `summary.csv`, `quantiles.csv`, `first_reached.csv`, a fan chart per
/// simulated indicator and a one-page `dashboard` of every target (PNG and SVG),
/// `history_choices.csv` when a history was used, and `manifest.json` into `dir`.
/// Returns every path written.
pub fn write_report(a: &Assessment, inputs: RunInputs<'_>, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = write_tables(a, dir)?;
    if let Some(history) = inputs.history {
        let path = dir.join("history_choices.csv");
        write_atomic(&path, &history_choices_csv(history)?)?;
        written.push(path);
    }
    for outcome in &a.indicators {
        let marks: Vec<TargetMark> = a
            .targets
            .iter()
            .filter(|t| t.target.indicator == outcome.indicator.key)
            // goals on the level itself; shares and totals are not on the level's scale
            .filter(|t| {
                matches!(
                    t.target.kind,
                    TargetKind::Level
                        | TargetKind::Growth
                        | TargetKind::Increase
                        | TargetKind::Decline
                        | TargetKind::PerYear
                )
            })
            .filter_map(|t| {
                let e = t.result.as_ref().ok()?;
                Some(TargetMark {
                    id: t.target.id.clone(),
                    year: t.target.deadline,
                    level: e.threshold?,
                    comparator: t.target.comparator,
                    p_reach: e.p_reach,
                })
            })
            .collect();
        let chart = FanChart {
            outcome,
            history: &outcome.indicator.history,
            targets: &marks,
        };
        written.extend(write_fan_chart(&chart, dir, &fan_chart_stem(outcome))?);
    }
    written.extend(write_dashboard_of(a, &inputs, dir)?);
    let manifest = Manifest {
        goalcast_version: env!("CARGO_PKG_VERSION"),
        seed: a.settings.seed,
        paths: a.settings.paths,
        generator: GENERATOR,
        quantiles: "type 7 (NumPy default) on levels, exact over all paths",
        scenario: inputs.scenario_name.to_string(),
        inputs: inputs
            .files
            .iter()
            .map(|p| InputFile::hash(p))
            .collect::<Result<_>>()?,
        outputs: written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect(),
    };
    written.push(write_manifest(&manifest, dir)?);
    Ok(written)
}

/// The dashboard of every target of an assessment.
fn write_dashboard_of(a: &Assessment, inputs: &RunInputs<'_>, dir: &Path) -> Result<[PathBuf; 2]> {
    let indicator = |t: &crate::target::Target| a.catalogue_indicator(&t.indicator);
    let rows: Vec<DashboardRow> = a
        .targets
        .iter()
        .map(|o| {
            let t = &o.target;
            let (name_zh, name_en, unit) = indicator(t).map_or_else(Default::default, |i| {
                (i.name_zh.clone(), i.name_en.clone(), i.unit.clone())
            });
            DashboardRow {
                id: t.id.clone(),
                name_zh,
                name_en,
                goal: t.describe(&unit),
                deadline: t.deadline,
                status: match &o.result {
                    Ok(e) => RowStatus::Simulated {
                        p_reach: e.p_reach,
                        p_reach_se: e.p_reach_se,
                        required_growth_pct: e.required_growth.map(|g| g * 100.0),
                        assumed_growth_pct: e.assumption.model.median_growth() * 100.0,
                    },
                    Err(why) => RowStatus::NotSimulated {
                        reason: why.as_str().to_string(),
                    },
                },
            }
        })
        .collect();
    let subtitle = format!(
        "scenario {} · {} paths · seed {}",
        inputs.scenario_name, a.settings.paths, a.settings.seed
    );
    let dashboard = Dashboard {
        title_zh: inputs.title.0,
        title_en: inputs.title.1,
        subtitle: &subtitle,
        rows: &rows,
    };
    write_dashboard(&dashboard, dir, "dashboard")
}

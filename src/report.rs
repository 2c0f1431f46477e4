//! Writing a whole run: tables, fan charts and the manifest, in one call shared by the
//! command line and the examples.

use std::path::{Path, PathBuf};

use crate::assess::Assessment;
use crate::error::Result;
use crate::io::history::History;
use crate::io::results::{InputFile, Manifest, history_choices_csv, write_manifest, write_tables};
use crate::io::write_atomic;
use crate::plot::{FanChart, TargetMark, write_fan_chart};
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
    /// Scenario name, written to the manifest.
    pub scenario_name: &'a str,
    /// Files hashed into the manifest.
    pub files: &'a [&'a Path],
    /// The history used, if any: its choices between differing values are written out.
    pub history: Option<&'a History>,
}

/// Writes `summary.csv`, `quantiles.csv`, `first_reached.csv`, a fan chart per
/// simulated indicator (PNG and SVG), `history_choices.csv` when a history was used,
/// and `manifest.json` into `dir`. Returns every path written.
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

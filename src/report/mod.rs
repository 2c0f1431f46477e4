//! Writing a whole run: tables, fan charts and the manifest, in one call shared by the
//! command line and the examples.
//!
//! The report layer sits above the assessment and the check: [`tables`] turns results
//! (and a check's findings) into typed rows, [`text_table`] writes a check report as a
//! plain-text table, [`manifest`] records what produced them, [`crate::plot`] draws
//! them, and this module puts a whole run's files in place.

pub mod backtest;
pub mod calibration;
pub mod cells;
pub mod html;
pub mod json;
pub mod manifest;
mod official_columns;
pub mod shard;
pub mod staging;
pub mod status;
pub mod tables;
pub mod template;
pub mod text_table;
pub mod workbook;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use crate::assess::{Assessment, TargetOutcome};
use crate::error::Result;
use crate::io::history::History;
use crate::io::write_atomic;
use crate::plot::{
    ComparisonRow, Dashboard, DashboardRow, FanChart, RowStatus, ScenarioComparison, ShareFanChart,
    TargetMark, TornadoChart, format_figure, write_dashboard, write_fan_chart,
    write_scenario_comparison, write_share_fan_chart, write_tornado,
};
use crate::sim::{GENERATOR, STREAM_CONTRACT};
use crate::target::{TargetKind, Unsimulated};
use manifest::{InputFile, Manifest, quantile_method, write_manifest};
use tables::{history_choices_csv, write_tables};

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
    /// The year the run is as of (`--as-of`), if any: said on the dashboard and in the
    /// manifest.
    pub as_of: Option<i32>,
}

/// Writes `summary.csv`, `quantiles.csv`, `first_reached.csv`, a fan chart per
/// simulated indicator and a one-page `dashboard` of every target (PNG and SVG),
/// `history_choices.csv` when a history was used, and with the analysis
/// `sensitivity.csv` and a tornado chart per target, into `dir`. Returns every path
/// written; [`write_run_manifest`] records them last.
pub fn write_report(a: &Assessment, inputs: RunInputs<'_>, dir: &Path) -> Result<Vec<PathBuf>> {
    write_report_observed(a, inputs, dir, &status::Silent)
}

/// [`write_report`], telling `observer` of the charts drawn
/// ([`Event::Drawn`](crate::assess::Event::Drawn)).
pub fn write_report_observed(
    a: &Assessment,
    inputs: RunInputs<'_>,
    dir: &Path,
    observer: &dyn crate::assess::Observer,
) -> Result<Vec<PathBuf>> {
    // A fan chart per indicator, the dashboard, and the tornados in one go. Charts are
    // drawn in parallel (each is its own file); the paths are listed in a fixed order and
    // the observer is told of each chart in turn.
    let charts = a.indicators.len() + 2;
    let told = crate::assess::Told::new(Some(observer));
    let drawn = || {
        told.step(|done| crate::assess::Event::Drawn {
            done,
            total: charts,
        })
    };
    // The tables, the fans, the share fans, the dashboard and the sensitivity charts
    // side by side (each writes its own files); their files listed in that order.
    let tables = || -> Result<Vec<PathBuf>> {
        let mut written = write_tables(a, dir)?;
        if let Some(history) = inputs.history {
            let path = dir.join("history_choices.csv");
            write_atomic(&path, &history_choices_csv(history)?)?;
            written.push(path);
        }
        Ok(written)
    };
    let fans = || -> Result<Vec<PathBuf>> {
        let fans: Vec<Result<Vec<PathBuf>>> = a
            .indicators
            .par_iter()
            .map(|outcome| {
                let files = write_fan_chart(
                    &FanChart {
                        outcome: &named(a, outcome),
                        history: &outcome.indicator.history,
                        targets: &fan_marks(a, outcome),
                    },
                    dir,
                    &fan_chart_stem(outcome),
                )?;
                drawn();
                Ok(files.into())
            })
            .collect();
        in_order(fans)
    };
    let share_fans = || write_share_fans(a, dir);
    let dashboard = || -> Result<Vec<PathBuf>> {
        let files = write_dashboard_of(a, &inputs, dir)?;
        drawn();
        Ok(files.into())
    };
    let sensitivity = || -> Result<Vec<PathBuf>> {
        let files = write_sensitivity_of(a, dir)?;
        drawn();
        Ok(files)
    };
    let parts: [&(dyn Fn() -> Result<Vec<PathBuf>> + Sync); 5] =
        [&tables, &fans, &share_fans, &dashboard, &sensitivity];
    in_order(parts.par_iter().map(|part| part()).collect())
}

/// An indicator's outcome under the names its charts give it ([`display_names`]).
fn named(
    a: &Assessment,
    outcome: &crate::assess::IndicatorOutcome,
) -> crate::assess::IndicatorOutcome {
    let mut named = outcome.clone();
    (named.indicator.name_zh, named.indicator.name_en) = display_names(a, &outcome.indicator);
    named
}

/// The goals a fan chart marks on its indicator: goals on the level itself (shares and
/// totals are not on the level's scale), at their level.
fn fan_marks(a: &Assessment, outcome: &crate::assess::IndicatorOutcome) -> Vec<TargetMark> {
    a.targets
        .iter()
        .filter(|t| t.target.indicator == outcome.indicator.key)
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
            let unit = &outcome.indicator.unit;
            let (label, level) = match e.threshold {
                Some(level) => (mark_label(&t.target, unit), level),
                // Measured from a simulated base year: drawn at the level the median
                // path's base-year value implies.
                None => {
                    let base_year = t.target.base_year?;
                    let row = outcome.years.iter().position(|&y| y == base_year)?;
                    let median = outcome.quantiles[[row, 2]];
                    (
                        format!(
                            "{}，自 {base_year} 年中位数 from the median {base_year} level:",
                            t.target.describe(unit)
                        ),
                        median * t.target.factor()?,
                    )
                }
            };
            Some(TargetMark {
                id: t.target.id.clone(),
                label,
                year: t.target.deadline,
                level,
                comparator: t.target.comparator,
                p_reach: e.p_reach,
            })
        })
        .collect()
}

/// The names a chart gives an indicator, Chinese and English: its own, unless only
/// share goals name it, whose names are the share's; it is then the share's numerator
/// or denominator (`新能源汽车占比：分子`, `numerator of New-energy vehicles as a share of
/// vehicle output`).
pub fn display_names(a: &Assessment, i: &crate::indicator::Indicator) -> (String, String) {
    let shares = || {
        a.targets.iter().map(|o| &o.target).filter(|t| {
            t.kind == TargetKind::Share && t.indicator.jurisdiction == i.key.jurisdiction
        })
    };
    let named_by_itself = a
        .targets
        .iter()
        .any(|o| o.target.indicator == i.key && o.target.kind != TargetKind::Share);
    if !named_by_itself {
        if let Some(t) = shares().find(|t| t.indicator == i.key) {
            return (
                format!("{}：分子", t.name_zh),
                format!("numerator of {}", t.name_en),
            );
        }
        if let Some(t) = shares().find(|t| t.denominator.as_deref() == Some(i.key.id.as_str())) {
            return (
                format!("{}：分母", t.name_zh),
                format!("denominator of {}", t.name_en),
            );
        }
    }
    (i.name_zh.clone(), i.name_en.clone())
}

/// What a fan chart writes beside a goal's marker before its level: `目标 goal`, or
/// the goal in words when it is not a level (`年均增长 ≥ 14 %:`).
fn mark_label(t: &crate::target::Target, unit: &str) -> String {
    match t.kind {
        TargetKind::Level => "目标 goal".to_string(),
        _ => format!("{}:", t.describe(unit)),
    }
}

/// The file stem of a share goal's fan chart: `fan_share_<target id>`, lower case.
pub fn share_fan_stem(share: &crate::assess::ShareOutcome) -> String {
    format!("fan_share_{}", share.target).to_lowercase()
}

/// The fan chart of every simulated share goal: the share in percent, its known
/// values (years in which both parts are known) and its target.
fn write_share_fans(a: &Assessment, dir: &Path) -> Result<Vec<PathBuf>> {
    let charts: Vec<Result<Vec<PathBuf>>> = a
        .shares
        .par_iter()
        .map(|share| {
            let Some(o) = a.outcome(&share.target) else {
                return Ok(Vec::new());
            };
            let Ok(e) = &o.result else {
                return Ok(Vec::new());
            };
            let history: Vec<crate::indicator::Observation> = match (
                a.catalogue_indicator(&share.numerator),
                a.catalogue_indicator(&share.denominator),
            ) {
                (Some(n), Some(d)) => n
                    .history
                    .iter()
                    .filter_map(|h| {
                        let below = d.value_in(h.year)?;
                        (below != 0.0).then(|| crate::indicator::Observation {
                            year: h.year,
                            value: h.value / below,
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let marks: Vec<TargetMark> = e
                .threshold
                .map(|level| TargetMark {
                    id: o.target.id.clone(),
                    label: "目标 goal".to_string(),
                    year: o.target.deadline,
                    level,
                    comparator: o.target.comparator,
                    p_reach: e.p_reach,
                })
                .into_iter()
                .collect();
            let chart = ShareFanChart {
                share,
                title_zh: &o.target.name_zh,
                title_en: &o.target.name_en,
                history: &history,
                targets: &marks,
            };
            Ok(write_share_fan_chart(&chart, dir, &share_fan_stem(share))?.into())
        })
        .collect();
    in_order(charts)
}

/// The files of charts drawn in parallel, in the order they were listed; the first error.
fn in_order(charts: Vec<Result<Vec<PathBuf>>>) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for files in charts {
        written.extend(files?);
    }
    Ok(written)
}

/// Writes `manifest.json` into `dir`: the settings of `a`, the inputs with their hashes
/// and every file in `outputs` (written before it, so it lists them all), each once, then
/// every other file found in `dir` (written by other code into the same run), each with
/// its SHA-256.
pub fn write_run_manifest(
    a: &Assessment,
    inputs: &RunInputs<'_>,
    outputs: &[PathBuf],
    dir: &Path,
) -> Result<PathBuf> {
    let mut names: Vec<String> = Vec::new();
    let listed = outputs
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| crate::error::Error::io(dir, e))? {
        let entry = entry.map_err(|e| crate::error::Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !name.starts_with('.') && name != "manifest.json" {
            found.push(name);
        }
    }
    found.sort();
    for name in listed.chain(found) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let manifest = Manifest {
        goalcast_version: env!("CARGO_PKG_VERSION"),
        seed: a.settings.seed,
        paths: a.settings.paths,
        generator: GENERATOR,
        stream_contract: STREAM_CONTRACT,
        quantiles: quantile_method(a.settings.quantiles),
        scenario: inputs.scenario_name.to_string(),
        as_of: inputs.as_of,
        inputs: hash_inputs(inputs.files)?,
        output_sha256: names
            .iter()
            .map(|n| manifest::OutputFile::hash(dir, n))
            .collect::<Result<_>>()?,
        outputs: names,
    };
    write_manifest(&manifest, dir)
}

/// Every input file with its SHA-256.
fn hash_inputs(files: &[&Path]) -> Result<Vec<InputFile>> {
    files.iter().map(|p| InputFile::hash(p)).collect()
}

/// The dashboard of every target of an assessment.
fn write_dashboard_of(a: &Assessment, inputs: &RunInputs<'_>, dir: &Path) -> Result<[PathBuf; 2]> {
    let indicator = |t: &crate::target::Target| a.catalogue_indicator(&t.indicator);
    let rows: Vec<DashboardRow> = a
        .targets
        .iter()
        .map(|o| {
            let t = &o.target;
            let unit = indicator(t).map(|i| i.unit.clone()).unwrap_or_default();
            DashboardRow {
                id: t.id.clone(),
                name_zh: t.name_zh.clone(),
                name_en: t.name_en.clone(),
                goal: t.describe(&unit),
                deadline: t.deadline,
                status: row_status(o, &unit, assumed_growth(a, o)),
                official: official_columns::official_of(a, t).label(),
            }
        })
        .collect();
    let mut subtitle = format!(
        "情景 scenario {} · {} paths · seed {}",
        inputs.scenario_name,
        crate::units::group_thousands(a.settings.paths as f64),
        a.settings.seed
    );
    if let Some(year) = inputs.as_of {
        subtitle.push_str(&format!(" · as of end {year} (截至{year}年末)"));
    }
    let dashboard = Dashboard {
        title_zh: inputs.title.0,
        title_en: inputs.title.1,
        subtitle: &subtitle,
        rows: &rows,
    };
    write_dashboard(&dashboard, dir, "dashboard")
}

/// The inputs of a [`FileRun`], read and checked.
struct Loaded {
    catalogue: crate::io::catalogue::Catalogue,
    history: Option<History>,
    scenario: crate::scenario::Scenario,
}

/// A run described by its files: what the command line and the examples do.
#[derive(Debug, Clone)]
pub struct FileRun {
    /// Catalogue CSV.
    pub catalogue: PathBuf,
    /// History CSV, if any.
    pub history: Option<PathBuf>,
    /// Overrides TOML (figures supplied by the analyst), if any.
    pub overrides: Option<PathBuf>,
    /// Scenario TOML, if any (without one, every simulated indicator is an error that names it).
    pub scenario: Option<PathBuf>,
    /// Output directory.
    pub out: PathBuf,
    /// Dashboard title (Chinese, English).
    pub title: (String, String),
    /// Paths, seed, quantiles.
    pub settings: crate::sim::RunSettings,
    /// If set, the run is extended (same seed: earlier paths unchanged) until every
    /// simulated target's standard error is at most this (a fraction), up to 10 million
    /// paths; `settings.paths` is the first run's size.
    pub se_target: Option<f64>,
    /// If set, only what was known at the end of this year is used, for bases and for
    /// estimates (history, document and override values alike: [`History::as_of`],
    /// [`crate::io::catalogue::Catalogue::as_of`]); the manifest and the dashboard
    /// title say so.
    pub as_of: Option<i32>,
    /// The most memory the run may use, in bytes; `None`: the memory available
    /// (`MemAvailable`). A run that would need more is refused before it starts
    /// ([`crate::sim::preflight`]).
    pub max_memory: Option<u64>,
    /// Optional outputs: `report.html`, a byte-order mark on the CSVs, the jurisdictions
    /// of the consistency check the workbook and the report show.
    pub extras: Extras,
}

/// What a [`FileRun`] writes beyond its tables, charts, `results.xlsx` and
/// `results.json` (which it always writes). All off by default.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Write `report.html`: one self-contained page of the whole run ([`html`]).
    pub report_html: bool,
    /// Start every CSV with a UTF-8 byte-order mark (for Excel and WPS); without it the
    /// CSVs are plain UTF-8, the contract.
    pub csv_bom: bool,
    /// Jurisdictions CSV of the consistency check (which jurisdiction lies within
    /// which); without it the check compares no jurisdiction with another.
    pub jurisdictions: Option<PathBuf>,
}

impl FileRun {
    /// The run of one seed document of this repository: `data/catalogue/<catalogue>.csv`,
    /// `data/history.csv` and `data/scenarios/<scenario>.toml` under `root`, writing to
    /// `out/<scenario>/`, with default settings and the analysis of every target.
    pub fn seed_document(
        root: &Path,
        catalogue: &str,
        scenario: &str,
        title: (&str, &str),
    ) -> Self {
        FileRun {
            catalogue: root.join("data/catalogue").join(format!("{catalogue}.csv")),
            history: Some(root.join("data/history.csv")),
            overrides: None,
            scenario: Some(root.join("data/scenarios").join(format!("{scenario}.toml"))),
            out: root.join("out").join(scenario),
            title: (title.0.to_string(), title.1.to_string()),
            settings: crate::sim::RunSettings {
                analysis: true,
                ..Default::default()
            },
            se_target: None,
            as_of: None,
            max_memory: None,
            extras: Extras {
                report_html: true,
                csv_bom: false,
                jurisdictions: Some(root.join("data/jurisdictions.csv")),
            },
        }
    }

    /// What in the inputs is legal but probably a mistake, one line each: the scenario's
    /// [`crate::scenario::Scenario::warnings`] and the catalogue's
    /// [`crate::io::catalogue::Catalogue::unknown_denominators`]; the command line prints
    /// them.
    pub fn warnings(&self) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        if let Some(path) = &self.history {
            let catalogue = crate::io::catalogue::Catalogue::from_path(&self.catalogue)?;
            warnings.extend(catalogue.unknown_denominators(&History::from_path(path)?));
        }
        if let Some(path) = &self.scenario {
            warnings.extend(crate::scenario::Scenario::from_path(path)?.warnings());
        }
        Ok(warnings)
    }

    /// Reads, checks, simulates and writes everything into a staging folder, then puts it
    /// in place as `out` in one step ([`staging`]); returns the assessment and the files
    /// of the run (in `out`, sorted by name). A run that fails leaves `out` as it was.
    pub fn run(&self) -> Result<(Assessment, Vec<PathBuf>)> {
        self.run_observed(&status::Silent)
    }

    /// [`FileRun::run`], telling `observer` of its progress: the simulations, their
    /// analysis and the charts ([`Event`](crate::assess::Event)).
    pub fn run_observed(
        &self,
        observer: &dyn crate::assess::Observer,
    ) -> Result<(Assessment, Vec<PathBuf>)> {
        self.run_sharded(observer, None, || Ok(()))
    }

    /// [`FileRun::run_observed`] with every simulation taking part in `sharding` (a
    /// merge: [`shard::merge`]); `simulated` is called once every simulation has run,
    /// before anything is written.
    fn run_sharded(
        &self,
        observer: &dyn crate::assess::Observer,
        sharding: Option<crate::sim::Sharding<'_>>,
        simulated: impl FnOnce() -> Result<()>,
    ) -> Result<(Assessment, Vec<PathBuf>)> {
        let inputs = self.load()?;
        self.preflight(&inputs, self.largest_paths())?;
        // Inputs are valid and the run fits: take `--out` (lock, leftovers) before the
        // long part, and write everything into the staging folder.
        let staging = staging::Staging::begin(&self.out)?;
        let runs = self.assess_all(&inputs, observer, sharding)?;
        simulated()?;
        self.write_all(&inputs, &runs, staging.dir(), observer)?;
        self.commit(staging, runs)
    }

    /// Reads and checks the inputs: the catalogue with its history and overrides (as of
    /// [`FileRun::as_of`]), the history, the scenario.
    fn load(&self) -> Result<Loaded> {
        let mut catalogue = crate::io::catalogue::Catalogue::from_path(&self.catalogue)?;
        let history = self
            .history
            .as_deref()
            .map(History::from_path)
            .transpose()?
            .map(|h| match self.as_of {
                Some(year) => h.as_of(year),
                None => h,
            });
        if let Some(h) = &history {
            catalogue = catalogue.with_history(h)?;
        }
        if let Some(path) = &self.overrides {
            catalogue =
                catalogue.with_overrides(&crate::io::overrides::Overrides::from_path(path)?)?;
        }
        if let Some(year) = self.as_of {
            catalogue = catalogue.as_of(year);
        }
        let scenario = match &self.scenario {
            Some(path) => crate::scenario::Scenario::from_path(path)?,
            None => crate::scenario::Scenario::from_toml_str("", "(no scenario file)")?,
        };
        Ok(Loaded {
            catalogue,
            history,
            scenario,
        })
    }

    /// The largest number of paths a simulation of this run may draw (a run to a
    /// precision may extend to 1e7).
    fn largest_paths(&self) -> u64 {
        match self.se_target {
            Some(_) => self.settings.paths.max(10_000_000),
            None => self.settings.paths,
        }
    }

    /// The run's settings with its quantile method chosen by size, once, from the
    /// largest run of the whole run's paths (never a shard's), for every run below.
    fn chosen_settings(&self, inputs: &Loaded) -> crate::sim::RunSettings {
        crate::assess::preflight::choose_quantiles(
            &inputs.catalogue,
            self.settings,
            self.largest_paths(),
        )
    }

    /// Refuses a run whose `paths` (per simulation drawn here: the largest run, or a
    /// shard's slice) would not fit in memory.
    fn preflight(&self, inputs: &Loaded, paths: u64) -> Result<()> {
        crate::assess::preflight::check(
            &inputs.catalogue,
            self.chosen_settings(inputs),
            paths,
            self.max_memory,
        )
    }

    /// The assessment under the base scenario (extended to [`FileRun::se_target`] if
    /// set), then under each variant of the scenario file (without the analysis), by
    /// name; every simulation takes part in `sharding` if given.
    fn assess_all(
        &self,
        inputs: &Loaded,
        observer: &dyn crate::assess::Observer,
        sharding: Option<crate::sim::Sharding<'_>>,
    ) -> Result<Vec<(String, Assessment)>> {
        let (catalogue, scenario) = (&inputs.catalogue, &inputs.scenario);
        fn assessor<'a>(
            catalogue: &'a crate::io::catalogue::Catalogue,
            scenario: &'a crate::scenario::Scenario,
            settings: crate::sim::RunSettings,
            sharding: Option<crate::sim::Sharding<'a>>,
        ) -> crate::assess::Assessor<'a> {
            let assessor = crate::assess::Assessor::new(catalogue, scenario).settings(settings);
            match sharding {
                Some(s) => assessor.sharding(s),
                None => assessor,
            }
        }
        let chosen = self.chosen_settings(inputs);
        // The variants take the base scenario's base-needed figures where they agree.
        let memo = crate::assess::BaseMemo::default();
        let assess_with = |paths: u64| {
            let settings = crate::sim::RunSettings { paths, ..chosen };
            assessor(catalogue, scenario, settings, sharding)
                .observer(observer)
                .base_memo(&memo)
                .run()
        };
        let assessment = match self.se_target {
            None => assess_with(self.settings.paths)?,
            Some(se_bound) => {
                let options = crate::analysis::PrecisionOptions {
                    se_bound,
                    initial_paths: self.settings.paths,
                    max_paths: self.settings.paths.max(10_000_000),
                };
                let (a, _, _) = crate::analysis::refine(&options, |paths| {
                    let a = assess_with(paths)?;
                    let p = a
                        .targets
                        .iter()
                        .filter_map(|t| t.result.as_ref().ok())
                        .map(|e| e.p_reach)
                        .collect();
                    Ok((a, p))
                })?;
                a
            }
        };
        // The base scenario was just run; only the variants are run again, side by side
        // where the simulations are ([`crate::assess::side_by_side`]).
        let settings = crate::sim::RunSettings {
            analysis: false,
            ..assessment.settings
        };
        let names: Vec<&str> = scenario.names().into_iter().skip(1).collect();
        let parallel = crate::assess::side_by_side(settings.paths, sharding.is_some());
        let variants = crate::assess::each(parallel, names, |name| {
            let variant = scenario.variant(name)?;
            let assessment = assessor(catalogue, &variant, settings, sharding)
                .base_memo(&memo)
                .run()?;
            Ok((name.to_string(), assessment))
        })?;
        let mut runs = vec![(scenario.name.clone(), assessment)];
        runs.extend(variants);
        Ok(runs)
    }

    /// The inputs as the report names them: title, scenario, files hashed, history.
    fn report_inputs<'a>(&'a self, inputs: &'a Loaded, files: &'a [&'a Path]) -> RunInputs<'a> {
        RunInputs {
            title: (&self.title.0, &self.title.1),
            scenario_name: &inputs.scenario.name,
            files,
            history: inputs.history.as_ref(),
            as_of: self.as_of,
        }
    }

    /// The input files hashed into the manifest, in order.
    fn files(&self) -> Vec<&Path> {
        let mut files = vec![self.catalogue.as_path()];
        files.extend(self.history.as_deref());
        files.extend(self.overrides.as_deref());
        files.extend(self.scenario.as_deref());
        files
    }

    /// Writes every file of the run of `runs` (the base scenario first) into `dir`:
    /// the report, the scenarios side by side, the extras and the manifest last.
    fn write_all(
        &self,
        loaded: &Loaded,
        runs: &[(String, Assessment)],
        dir: &Path,
        observer: &dyn crate::assess::Observer,
    ) -> Result<()> {
        let assessment = &runs[0].1;
        let files = self.files();
        let inputs = self.report_inputs(loaded, &files);
        // The report beside what does not depend on it: the scenarios compared, the
        // check, the JSON results and the inputs' hashes.
        let scenarios = || -> Result<Vec<PathBuf>> {
            if runs.len() == 1 {
                return Ok(Vec::new());
            }
            let scenario = &loaded.scenario;
            let mut descriptions = vec![scenario.description().map(str::to_string)];
            for (name, _) in &runs[1..] {
                descriptions.push(scenario.variant(name)?.description().map(str::to_string));
            }
            write_scenarios_described(runs, &descriptions, (&self.title.0, &self.title.1), dir)
        };
        let rest = || -> Result<_> {
            let jurisdictions = match &self.extras.jurisdictions {
                Some(path) => crate::io::jurisdictions::Jurisdictions::from_path(path)?,
                None => Default::default(),
            };
            let check = crate::check::check_catalogue(
                &loaded.catalogue,
                loaded.history.as_ref(),
                &jurisdictions,
            );
            Ok((
                scenarios()?,
                check,
                json::Results::of(assessment, &inputs)?,
                hash_inputs(inputs.files)?,
            ))
        };
        let (report, rest) = rayon::join(
            || write_report_observed(assessment, inputs, dir, observer),
            rest,
        );
        let mut written = report?;
        let (compared, check, results, hashed) = rest?;
        written.extend(compared);
        written.extend(self.write_extras(runs, &check, &results, &hashed, &written, dir)?);
        write_run_manifest(assessment, &inputs, &written, dir)?;
        Ok(())
    }

    /// Puts the staged run in place as `out`: its assessment under the base scenario
    /// and its files (in `out`, sorted by name).
    fn commit(
        &self,
        staging: staging::Staging,
        mut runs: Vec<(String, Assessment)>,
    ) -> Result<(Assessment, Vec<PathBuf>)> {
        let written = staging
            .files()?
            .into_iter()
            .map(|name| self.out.join(name))
            .collect();
        staging.commit()?;
        Ok((runs.swap_remove(0).1, written))
    }

    /// `results.xlsx`, `results.json`, with [`Extras::report_html`] `report.html`, and
    /// with [`Extras::csv_bom`] the byte-order mark on every CSV already `written`.
    fn write_extras(
        &self,
        runs: &[(String, Assessment)],
        check: &crate::check::CheckReport,
        results: &json::Results,
        inputs: &[InputFile],
        written: &[PathBuf],
        dir: &Path,
    ) -> Result<Vec<PathBuf>> {
        let mut extra = vec![
            workbook::write_workbook(runs, check, dir)?,
            json::write_results(results, dir)?,
        ];
        if self.extras.report_html {
            let page = html::Page {
                title: (&self.title.0, &self.title.1),
                runs,
                check,
                results,
                inputs,
                written,
            };
            extra.push(html::write_html(&page, dir)?);
        }
        if self.extras.csv_bom {
            for path in written
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            {
                let bytes = std::fs::read(path).map_err(|e| crate::error::Error::io(path, e))?;
                write_atomic(path, &[b"\xEF\xBB\xBF".as_slice(), &bytes].concat())?;
            }
        }
        Ok(extra)
    }
}

/// `scenarios.csv` and the comparison chart `scenarios.png/svg` of assessments of the
/// same catalogue under several named scenarios (the first is the base).
pub fn write_scenarios(
    runs: &[(String, Assessment)],
    title: (&str, &str),
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    write_scenarios_described(runs, &[], title, dir)
}

/// [`write_scenarios`], with what each scenario represents (`descriptions`, in the
/// order of `runs`; missing ones are left out) written beside its name in the chart's
/// legend. The first scenario is named `基准情景 baseline` and the variants by their
/// names with spaces for underscores, so the legend reads as words.
pub fn write_scenarios_described(
    runs: &[(String, Assessment)],
    descriptions: &[Option<String>],
    title: (&str, &str),
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    let Some((_, base)) = runs.first() else {
        return Ok(Vec::new());
    };
    let mut chart_rows = Vec::new();
    for (i, outcome) in base.targets.iter().enumerate() {
        let p_reach: Vec<Option<f64>> = runs
            .iter()
            .map(|(_, a)| a.targets[i].result.as_ref().ok().map(|e| e.p_reach))
            .collect();
        if p_reach.iter().any(Option::is_some) {
            let unit = base
                .catalogue_indicator(&outcome.target.indicator)
                .map(|i| i.unit.clone())
                .unwrap_or_default();
            chart_rows.push(ComparisonRow {
                label: format!(
                    "{}  {} ({})",
                    outcome.target.name_zh,
                    outcome.target.describe(&unit),
                    outcome.target.deadline
                ),
                p_reach,
            });
        }
    }
    let csv = dir.join("scenarios.csv");
    write_atomic(&csv, &tables::scenarios_csv(runs)?)?;
    let names: Vec<String> = runs
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let name = if i == 0 {
                "基准情景 baseline".to_string()
            } else {
                name.replace('_', " ")
            };
            match descriptions.get(i).cloned().flatten() {
                Some(d) => format!("{name} · {d}"),
                None => name,
            }
        })
        .collect();
    let chart = ScenarioComparison {
        title_zh: &format!("{} · 情景比较", title.0),
        title_en: &format!("{} · scenarios side by side", title.1),
        scenarios: &names,
        rows: &chart_rows,
    };
    let mut written = vec![csv];
    written.extend(write_scenario_comparison(&chart, dir, "scenarios")?);
    Ok(written)
}

/// A plain-text table of the simulated targets and a count of the others, for terminals.
pub fn summary_text(a: &Assessment) -> String {
    let mut s = format!(
        "{:<40} {:>8} {:>9} {:>9} {:>9} {:>10}\n",
        "target", "deadline", "P(reach)", "± s.e.", "closed", "needs %/yr"
    );
    let mut statuses = std::collections::BTreeMap::new();
    // Share goals above 100 % on more than a few paths, named after the table.
    let mut shares_over = String::new();
    for t in &a.targets {
        let status = t
            .result
            .as_ref()
            .map_or_else(|why| why.as_str(), |_| "simulated");
        *statuses.entry(status).or_insert(0) += 1;
        if let Ok(e) = &t.result {
            s += &format!(
                "{:<40} {:>8} {:>9.4} {:>9.4} {:>9} {:>10}\n",
                t.target.id,
                t.target.deadline,
                e.p_reach,
                e.p_reach_se,
                e.p_reach_closed_form
                    .map_or("-".into(), |p| format!("{p:.4}")),
                e.required_growth
                    .map_or("-".into(), |g| format!("{:.2}", g * 100.0)),
            );
            if let Some(over) = e
                .p_share_over_100
                .filter(|&p| p > crate::assess::SHARE_OVER_100_NOTED)
            {
                shares_over += &format!(
                    "{}: the share is at or above 100 % on {:.1} % of paths in {}; \
                     P(reach | below 100 %) = {}\n",
                    t.target.id,
                    over * 100.0,
                    t.target.deadline,
                    e.p_reach_coherent.map_or("-".into(), |p| format!("{p:.4}")),
                );
            }
        }
    }
    s += &shares_over;
    let counts: Vec<String> = statuses.iter().map(|(k, v)| format!("{k} {v}")).collect();
    s += &format!("{} targets: {}\n", a.targets.len(), counts.join(", "));
    s
}

/// `sensitivity.csv` and a tornado chart per target, for the targets analysed.
fn write_sensitivity_of(a: &Assessment, dir: &Path) -> Result<Vec<PathBuf>> {
    let analysed: Vec<(&crate::target::Target, &crate::analysis::TargetAnalysis)> = a
        .targets
        .iter()
        .filter_map(|o| Some((&o.target, o.result.as_ref().ok()?.analysis.as_ref()?)))
        .collect();
    if analysed.is_empty() {
        return Ok(Vec::new());
    }
    let mut written = Vec::new();
    let path = dir.join("sensitivity.csv");
    write_atomic(&path, &tables::sensitivity_csv(&tables::sensitivities(a))?)?;
    written.push(path);
    let curves: Vec<(String, &crate::analysis::GrowthCurve)> = analysed
        .iter()
        .filter_map(|(t, x)| Some((format!("{} {}", t.id, t.name_zh), x.growth_curve.as_ref()?)))
        .collect();
    if !curves.is_empty() {
        let chart = crate::plot::GrowthCurves {
            title_zh: "中心增速与达成概率",
            title_en: "chance of each goal against its indicator's central growth",
            curves: &curves,
        };
        written.extend(crate::plot::write_growth_curves(
            &chart,
            dir,
            "growth_curve",
        )?);
    }
    let tornados: Vec<Result<Vec<PathBuf>>> = analysed
        .par_iter()
        .map(|&(t, x)| {
            let unit = a
                .catalogue_indicator(&t.indicator)
                .map(|i| i.unit.clone())
                .unwrap_or_default();
            let title_zh = format!("{} {} ({})", t.name_zh, t.describe(&unit), t.deadline);
            let title_en = format!(
                "{} by {}: sensitivity of P(reach) to the model's parameters",
                t.name_en, t.deadline
            );
            // a share's parameters are prefixed by its indicators' ids
            let roles: Vec<(&str, &str, &str)> = match &t.denominator {
                Some(d) if t.kind == TargetKind::Share => vec![
                    (t.indicator.id.as_str(), "分子", "numerator"),
                    (d.as_str(), "分母", "denominator"),
                ],
                _ => Vec::new(),
            };
            let chart = TornadoChart {
                sensitivity: &x.sensitivity,
                title_zh: &title_zh,
                title_en: &title_en,
                roles: &roles,
            };
            Ok(write_tornado(&chart, dir, &format!("tornado_{}", t.id))?.into())
        })
        .collect();
    written.extend(in_order(tornados)?);
    Ok(written)
}

/// The central annual growth assumed for what a simulated goal measures, to set beside
/// the growth it requires: the indicator's, or for a share the share's own,
/// `(1 + g_N) / (1 + g_D) − 1` from its numerator's and denominator's assumptions
/// (the required growth of a share is the share's too).
fn assumed_growth(a: &Assessment, o: &TargetOutcome) -> Option<f64> {
    let e = o.result.as_ref().ok()?;
    let numerator = e.assumption.model.median_growth();
    if o.target.kind != TargetKind::Share {
        return Some(numerator);
    }
    let denominator = a
        .shares
        .iter()
        .find(|s| s.target == o.target.id)
        .and_then(|s| {
            a.indicators
                .iter()
                .find(|i| i.indicator.key == s.denominator)
        })?;
    Some((1.0 + numerator) / (1.0 + denominator.assumption.model.median_growth()) - 1.0)
}

/// What the dashboard draws for one target: its probability, the observed figure that
/// settles it, the base it would need, or why it was not simulated.
fn row_status(o: &TargetOutcome, unit: &str, assumed_growth: Option<f64>) -> RowStatus {
    let t = &o.target;
    // Figures of a share or of growth every year are percentages.
    let unit = match t.kind {
        TargetKind::Share | TargetKind::GrowthEveryYear => "%",
        _ => unit,
    };
    match (&o.result, &o.settled, &o.base_needed) {
        (Ok(e), _, _) => RowStatus::Simulated {
            p_reach: e.p_reach,
            p_reach_se: e.p_reach_se,
            required_growth_pct: e.required_growth.map(|g| g * 100.0),
            assumed_growth_pct: assumed_growth.unwrap_or(f64::NAN) * 100.0,
            share_over_100: e.p_share_over_100,
        },
        (Err(_), Some(s), _) => RowStatus::Settled {
            met: s.status == Unsimulated::AlreadyMet,
            year: s.year,
            observed: format_figure(s.observed, unit),
            required: format!(
                "{} {}",
                t.comparator.sign(),
                format_figure(s.required, unit)
            ),
        },
        (Err(_), None, Some(b)) => RowStatus::BaseNeeded {
            year: b.year,
            bound: b.bound.sign().into(),
            p50: format_figure(b.p50, unit),
            p80: format_figure(b.p80, unit),
        },
        (Err(why), None, None) => RowStatus::NotSimulated {
            reason: why.as_str().to_string(),
        },
    }
}

//! The goalcast command line: a thin layer over the library.

#[path = "goalcast/progress.rs"]
mod progress;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use goalcast::io::history::History;
use goalcast::report::{Extras, FileRun};
use goalcast::sim::QuantileMode;
use goalcast::{Catalogue, Jurisdictions, RunSettings};

/// The jurisdictions file `check` reads when `--jurisdictions` is not given (relative to
/// the working directory; without it there is no hierarchy).
const DEFAULT_JURISDICTIONS: &str = "data/jurisdictions.csv";

#[derive(Parser)]
#[command(
    name = "goalcast",
    version,
    about = "Probabilities that policy goals are reached by their deadlines"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate every target of a catalogue and write tables, charts and a manifest.
    Run {
        /// Catalogue CSV (columns: see data/README.md).
        #[arg(long)]
        catalogue: PathBuf,
        /// History CSV (long format, see data/README.md): known values used as bases and drawn on charts.
        #[arg(long)]
        history: Option<PathBuf>,
        /// Overrides TOML: target values or bases the documents do not give, deadlines read
        /// differently (see `goalcast::io::overrides`).
        #[arg(long)]
        overrides: Option<PathBuf>,
        /// Scenario TOML with the growth assumptions.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Monte Carlo paths per indicator.
        #[arg(long, default_value_t = goalcast::DEFAULT_PATHS, value_parser = clap::value_parser!(u64).range(1..))]
        paths: u64,
        /// Seed of every random stream.
        #[arg(long, default_value_t = goalcast::DEFAULT_SEED)]
        seed: u64,
        /// Quantiles: `exact` (type 7 over all paths; memory 8 bytes per path and year) or
        /// `streaming` (histogram; memory independent of the path count, relative error ≈ 1e-4).
        #[arg(long, value_enum, default_value_t = Quantiles::Exact)]
        quantiles: Quantiles,
        /// Also compute, for every target simulated on its own, the growth needed for 50,
        /// 80 and 90 % chances, the progress categories and the sensitivity to every
        /// parameter (sensitivity.csv and a tornado chart per target).
        #[arg(long)]
        analysis: bool,
        /// Extend the run (earlier paths unchanged) until every simulated target's standard
        /// error is at most this many percentage points; --paths is the first run's size.
        #[arg(long)]
        se_target_pct: Option<f64>,
        /// Worker threads (results do not depend on it); default: all cores.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        threads: Option<u16>,
        /// Output directory (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Also write `report.html`: the whole run on one self-contained page (goals,
        /// charts, scenarios, consistency check, assumptions, manifest).
        #[arg(long)]
        report: bool,
        /// Start every CSV with a UTF-8 byte-order mark, for Excel and WPS (default: plain
        /// UTF-8).
        #[arg(long)]
        csv_bom: bool,
    },
    /// Check a set of targets for consistency: implied figures, restated goals, parts
    /// and wholes, city beside province, missing baselines and values.
    Check {
        /// Catalogue CSV files (all are checked together).
        #[arg(long, required = true, num_args = 1..)]
        catalogue: Vec<PathBuf>,
        /// History CSV (long format).
        #[arg(long)]
        history: Option<PathBuf>,
        /// Also write `check.csv` and `check.txt` into this directory.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Jurisdictions CSV (jurisdiction, parent, name_zh, name_en): which jurisdiction
        /// lies within which, so that a city's goals are compared with its province's.
        /// Default: data/jurisdictions.csv in the working directory if it exists, else
        /// no hierarchy (goals are listed side by side, none compared with another's).
        #[arg(long)]
        jurisdictions: Option<PathBuf>,
        /// Write the history rows to fill (value, source, quote) for every goal waiting
        /// for a base, in the history format: fill them in and pass the file with
        /// `--history` to turn those goals into answers.
        #[arg(long)]
        template: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Quantiles {
    Exact,
    Streaming,
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run {
            catalogue,
            history,
            overrides,
            scenario,
            paths,
            seed,
            quantiles,
            analysis,
            se_target_pct,
            threads,
            out,
            report,
            csv_bom,
        } => {
            if let Some(t) = threads {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(usize::from(t))
                    .build_global()
                    .context("could not start the worker threads")?;
            }
            let name = catalogue
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let run = FileRun {
                catalogue,
                history,
                overrides,
                scenario,
                out: out.clone(),
                title: ("目标达成概率".into(), name),
                settings: RunSettings {
                    paths,
                    seed,
                    quantiles: match quantiles {
                        Quantiles::Exact => QuantileMode::Exact,
                        Quantiles::Streaming => QuantileMode::Streaming,
                    },
                    analysis,
                },
                se_target: se_target_pct.map(|pct| pct / 100.0),
                extras: Extras {
                    report_html: report,
                    csv_bom,
                    jurisdictions: Some(PathBuf::from(DEFAULT_JURISDICTIONS))
                        .filter(|p| p.is_file()),
                },
            };
            let (assessment, written) = if std::io::stderr().is_terminal() {
                let progress = progress::Bars::default();
                let result = run.run_observed(&progress);
                progress.finish();
                result?
            } else {
                run.run()?
            };
            let simulated = assessment
                .targets
                .iter()
                .filter(|t| t.result.is_ok())
                .count();
            println!(
                "{} targets, {simulated} simulated over {} indicators ({paths} paths, seed {seed}); {} files written to {}",
                assessment.targets.len(),
                assessment.indicators.len(),
                written.len(),
                out.display()
            );
            print!("{}", goalcast::report::status::status_lines(&assessment));
            Ok(())
        }
        Command::Check {
            catalogue,
            history,
            out,
            jurisdictions,
            template,
        } => check(
            &catalogue,
            history.as_deref(),
            jurisdictions.as_deref(),
            out.as_deref(),
            template.as_deref(),
        ),
    }
}

/// `goalcast check`: the report on standard output and, with `--out`, in files.
fn check(
    catalogue: &[PathBuf],
    history: Option<&Path>,
    jurisdictions: Option<&Path>,
    out: Option<&Path>,
    template: Option<&Path>,
) -> anyhow::Result<()> {
    let cat = Catalogue::from_paths(catalogue)?;
    let hist = history.map(History::from_path).transpose()?;
    if let Some(path) = template {
        let needs = goalcast::check::baseline_needs(&cat, hist.as_ref());
        goalcast::io::write_atomic(path, &goalcast::report::template::template_csv(&needs)?)?;
        eprintln!(
            "{} values to fill for goals waiting for a base written to {}",
            needs.len(),
            path.display()
        );
    }
    let default = Path::new(DEFAULT_JURISDICTIONS);
    let places = match jurisdictions {
        Some(path) => Jurisdictions::from_path(path)?,
        None if default.is_file() => Jurisdictions::from_path(default)?,
        None => Jurisdictions::default(),
    };
    let report = goalcast::check::check_catalogue(&cat, hist.as_ref(), &places);
    let table = goalcast::report::text_table::check_txt(&report);
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
        goalcast::io::write_atomic(
            &dir.join("check.csv"),
            &goalcast::report::tables::check_csv(&report)?,
        )?;
        goalcast::io::write_atomic(&dir.join("check.txt"), table.as_bytes())?;
    }
    // A reader that stops early (`| head`) is not an error.
    match std::io::stdout().write_all(table.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

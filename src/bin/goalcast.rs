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
        /// Quantiles: `exact` (type 7 over all paths; memory 8 bytes per path and year),
        /// `streaming` (histogram; memory independent of the path count, relative error at
        /// most 1e-3), or `auto` (exact while its memory stays at most 64 MB, streaming
        /// beyond, decided from all the run's paths).
        #[arg(long, value_enum, default_value_t = Quantiles::Auto)]
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
        /// Worker threads (results do not depend on it); default: all cores. At most
        /// 4 × the cores (more only slows a run down).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        threads: Option<u16>,
        /// Use only what was known at the end of this year (history, document and
        /// override values), for bases and estimates: what goalcast would have said then.
        #[arg(long, value_name = "YEAR")]
        as_of: Option<i32>,
        /// The most memory the run may use (bytes, or with a suffix: 512M, 4G); a run that
        /// would need more is refused before it starts. Default: the memory available.
        #[arg(long, value_parser = parse_bytes)]
        max_memory: Option<u64>,
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
        /// Run only shard I of N (e.g. 2/7): every simulation on its I-th slice of the
        /// paths, written to --out as partial results for `goalcast merge` (not with
        /// --analysis or --se-target-pct).
        #[arg(long, value_name = "I/N")]
        shard: Option<goalcast::sim::Shard>,
    },
    /// Merge the folders of every shard of a run (`goalcast run … --shard I/N`) into
    /// exactly the files the unsharded run writes; refuses shards of different inputs,
    /// seeds, paths or versions, and a missing, repeated or damaged shard.
    Merge {
        /// Output directory (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Worker threads (results do not depend on it); default: all cores.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        threads: Option<u16>,
        /// The shard folders, one per shard, in any order.
        #[arg(required = true, num_args = 1.., value_name = "SHARD_DIR")]
        shards: Vec<PathBuf>,
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
        /// Use only history up to the end of this year.
        #[arg(long, value_name = "YEAR")]
        as_of: Option<i32>,
        /// Write the history rows to fill (value, source, quote) for every goal waiting
        /// for a base, in the history format: fill them in and pass the file with
        /// `--history` to turn those goals into answers.
        #[arg(long)]
        template: Option<PathBuf>,
    },
    /// Estimate central growth and volatility (with standard errors, AR(1) where the
    /// series allows) of every series of a history file, and write a scenario file that
    /// runs as it is, plus the calibration table (`<stem>_calibration.csv/.txt`).
    Calibrate {
        /// History CSV (long format).
        #[arg(long)]
        history: PathBuf,
        /// Only the indicators of these catalogues (then the scenario file runs as it is
        /// with them: a scenario may name only indicators its catalogue has).
        #[arg(long, num_args = 1..)]
        catalogue: Vec<PathBuf>,
        /// Only these series: `id` (every jurisdiction) or `Jurisdiction/id`.
        #[arg(long, num_args = 1.., value_delimiter = ',')]
        indicators: Vec<String>,
        /// Use only the values of these years, e.g. `2015-2022`.
        #[arg(long, value_name = "FIRST-LAST", value_parser = parse_window)]
        window: Option<(i32, i32)>,
        /// Leave out the growth into these years (e.g. `2020`: the interval ending in it).
        #[arg(long, num_args = 1.., value_delimiter = ',')]
        exclude: Vec<i32>,
        /// Use only history up to the end of this year.
        #[arg(long, value_name = "YEAR")]
        as_of: Option<i32>,
        /// The scenario file to write (the tables go beside it).
        #[arg(long)]
        out: PathBuf,
    },
    /// Replay what goalcast would have said at earlier dates and score it against what
    /// happened (PIT, 50/90 % coverage, CRPS, Brier of goal-like events), beside the
    /// CAGR rule and a random walk with drift.
    Backtest {
        /// History CSV (long format).
        #[arg(long)]
        history: PathBuf,
        /// Origin years: data up to each origin are used.
        #[arg(long, value_name = "FIRST-LAST", value_parser = parse_window, default_value = "2017-2021")]
        origins: (i32, i32),
        /// Horizons in years after the origin.
        #[arg(long, value_name = "FIRST-LAST", value_parser = parse_range, default_value = "1-3")]
        horizons: (i32, i32),
        /// Catalogues whose goals published figures already settle: each is forecast as
        /// of its base year and scored (Brier) beside the deterministic rule's call.
        #[arg(long, num_args = 1..)]
        catalogue: Vec<PathBuf>,
        /// The scenario of each `--catalogue`, in the same order.
        #[arg(long, num_args = 1..)]
        scenario: Vec<PathBuf>,
        /// Only these series: `id` (every jurisdiction) or `Jurisdiction/id`.
        #[arg(long, num_args = 1.., value_delimiter = ',')]
        indicators: Vec<String>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
}

/// `1-3` as (1, 3); `2` as (2, 2).
fn parse_range(text: &str) -> Result<(i32, i32), String> {
    if let Ok(n) = text.trim().parse::<i32>() {
        return if n >= 1 {
            Ok((n, n))
        } else {
            Err(format!("horizon {n} must be at least 1"))
        };
    }
    let (a, b) = first_last(text, "range", "1-3", "a whole number")?;
    if a < 1 || a > b {
        return Err(format!(
            "range {a}-{b}: both at least 1, the first not after the last"
        ));
    }
    Ok((a, b))
}

/// `FIRST-LAST` as two whole numbers; `what` names the argument (a range, a window),
/// `example` shows one and `each` says what each number is, for the error.
fn first_last(text: &str, what: &str, example: &str, each: &str) -> Result<(i32, i32), String> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| format!("`{text}` is not a {what}: write FIRST-LAST, e.g. {example}"))?;
    let n = |y: &str| {
        y.trim()
            .parse::<i32>()
            .map_err(|_| format!("`{y}` in `{text}` is not {each}"))
    };
    Ok((n(a)?, n(b)?))
}

/// `2015-2022` as (2015, 2022).
fn parse_window(text: &str) -> Result<(i32, i32), String> {
    let (a, b) = first_last(text, "window", "2015-2022", "a year")?;
    if a >= b {
        return Err(format!(
            "window {a}-{b}: the first year must come before the last"
        ));
    }
    Ok((a, b))
}

/// `--threads` may be at most this many times the number of cores.
const THREADS_PER_CORE: usize = 4;

/// A byte count: digits with an optional K, M, G or T suffix (powers of 1024).
fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_uppercase()),
        _ => (t, 'B'),
    };
    let shift = match unit {
        'B' => 0,
        'K' => 10,
        'M' => 20,
        'G' => 30,
        'T' => 40,
        _ => return Err(format!("unknown unit `{unit}` (use K, M, G or T)")),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of bytes (e.g. 512M, 4G)"))?;
    n.checked_mul(1u64 << shift)
        .filter(|&b| b > 0)
        .ok_or_else(|| format!("`{text}`: must be more than 0 and less than 16 EB"))
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Quantiles {
    Exact,
    Streaming,
    Auto,
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
            as_of,
            max_memory,
            out,
            report,
            csv_bom,
            shard,
        } => {
            start_threads(threads)?;
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
                        Quantiles::Auto => QuantileMode::Auto,
                    },
                    analysis,
                },
                se_target: se_target_pct.map(|pct| pct / 100.0),
                as_of,
                max_memory,
                extras: Extras {
                    report_html: report,
                    csv_bom,
                    jurisdictions: Some(PathBuf::from(DEFAULT_JURISDICTIONS))
                        .filter(|p| p.is_file()),
                },
            };
            for warning in run.warnings()? {
                eprintln!("warning: {warning}");
            }
            if let Some(shard) = shard {
                let (header, written) = observed(|o| run.run_shard_observed(shard, o))?;
                println!(
                    "shard {shard}: {} simulations, {} bytes of partial results; {} files written to {}",
                    header.simulations,
                    header.partials_bytes,
                    written.len(),
                    out.display()
                );
                return Ok(());
            }
            let (assessment, written) = observed(|o| run.run_observed(o))?;
            let simulated = assessment
                .targets
                .iter()
                .filter(|t| t.result.is_ok())
                .count();
            let q = assessment.settings.quantiles;
            println!(
                "{} targets, {simulated} simulated over {} indicators ({paths} paths, seed {seed}, \
                 {} quantiles, relative error at most {}); {} files written to {}",
                assessment.targets.len(),
                assessment.indicators.len(),
                q.name(),
                q.max_rel_error().unwrap_or(f64::NAN),
                written.len(),
                out.display()
            );
            print!("{}", goalcast::report::status::status_lines(&assessment));
            Ok(())
        }
        Command::Merge {
            out,
            threads,
            shards,
        } => {
            start_threads(threads)?;
            let (assessment, written) =
                observed(|o| goalcast::report::shard::merge_observed(&out, &shards, o))?;
            println!(
                "{} shards merged: {} targets ({} paths, seed {}); {} files written to {}",
                shards.len(),
                assessment.targets.len(),
                assessment.settings.paths,
                assessment.settings.seed,
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
            as_of,
            template,
        } => check(
            &catalogue,
            history.as_deref(),
            jurisdictions.as_deref(),
            out.as_deref(),
            as_of,
            template.as_deref(),
        ),
        Command::Backtest {
            history,
            origins,
            horizons,
            catalogue,
            scenario,
            indicators,
            out,
        } => {
            if catalogue.len() != scenario.len() {
                anyhow::bail!(
                    "--catalogue names {} files and --scenario {}: give one scenario per catalogue",
                    catalogue.len(),
                    scenario.len()
                );
            }
            let goals: Vec<(PathBuf, PathBuf)> = catalogue.into_iter().zip(scenario).collect();
            backtest(&history, origins, horizons, &indicators, &goals, &out)
        }
        Command::Calibrate {
            history,
            catalogue,
            indicators,
            window,
            exclude,
            as_of,
            out,
        } => {
            let keys = if catalogue.is_empty() {
                None
            } else {
                let cat = Catalogue::from_paths(&catalogue)?;
                Some(cat.indicators.into_iter().map(|i| i.key).collect())
            };
            calibrate(
                &history,
                keys.as_ref(),
                &indicators,
                (window, exclude, as_of),
                &out,
            )
        }
    }
}

/// Starts `threads` worker threads (default: one per core), at most
/// [`THREADS_PER_CORE`] per core.
fn start_threads(threads: Option<u16>) -> anyhow::Result<()> {
    if let Some(t) = threads {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let max = THREADS_PER_CORE * cores;
        anyhow::ensure!(
            usize::from(t) <= max,
            "--threads {t}: at most {max} ({THREADS_PER_CORE} × the {cores} cores); \
             more threads only slow a run down"
        );
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(t))
            .build_global()
            .context("could not start the worker threads")?;
    }
    Ok(())
}

/// Runs `work` with progress bars on a terminal, silently otherwise.
fn observed<T>(
    work: impl FnOnce(&dyn goalcast::assess::Observer) -> goalcast::Result<T>,
) -> goalcast::Result<T> {
    if std::io::stderr().is_terminal() {
        let progress = progress::Bars::default();
        let result = work(&progress);
        progress.finish();
        result
    } else {
        work(&goalcast::report::status::Silent)
    }
}

/// `goalcast check`: the report on standard output and, with `--out`, in files.
fn check(
    catalogue: &[PathBuf],
    history: Option<&Path>,
    jurisdictions: Option<&Path>,
    out: Option<&Path>,
    as_of: Option<i32>,
    template: Option<&Path>,
) -> anyhow::Result<()> {
    let cat = Catalogue::from_paths(catalogue)?;
    let hist = history
        .map(History::from_path)
        .transpose()?
        .map(|h| match as_of {
            Some(year) => h.as_of(year),
            None => h,
        });
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

/// `goalcast calibrate`: the scenario file and tables, and the text table on standard output.
fn calibrate(
    history: &Path,
    catalogue: Option<&std::collections::BTreeSet<goalcast::indicator::IndicatorKey>>,
    indicators: &[String],
    (window, exclude, as_of): (Option<(i32, i32)>, Vec<i32>, Option<i32>),
    out: &Path,
) -> anyhow::Result<()> {
    let mut hist = History::from_path(history)?;
    if let Some(year) = as_of {
        hist = hist.as_of(year);
    }
    let series: Vec<_> = hist
        .series()
        .into_iter()
        .filter(|s| catalogue.is_none_or(|keys| keys.contains(&s.key)))
        .filter(|s| {
            indicators.is_empty()
                || indicators
                    .iter()
                    .any(|i| *i == s.key.id || *i == s.key.to_string())
        })
        .collect();
    if series.is_empty() {
        anyhow::bail!(
            "{}: no series {}",
            history.display(),
            if indicators.is_empty() {
                "at all".to_string()
            } else {
                format!("named {}", indicators.join(", "))
            }
        );
    }
    let request = goalcast::scenario::CalibrationRequest {
        window,
        exclude: exclude.clone(),
        ..Default::default()
    };
    let estimates = goalcast::reference::calibrate_all(&series, &request);
    let origin = goalcast::report::calibration::CalibrationOrigin {
        history: history.to_path_buf(),
        window,
        exclude,
        as_of,
    };
    let written = goalcast::report::calibration::write_calibration(&estimates, &origin, out)?;
    print!(
        "{}",
        goalcast::report::calibration::calibration_txt(&estimates, &origin)
    );
    let calibrated = estimates.iter().filter(|e| e.result.is_ok()).count();
    println!(
        "\n{calibrated} of {} series calibrated; written: {}",
        estimates.len(),
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// `goalcast backtest`: the files and the summary table on standard output.
fn backtest(
    history: &Path,
    origins: (i32, i32),
    horizons: (i32, i32),
    indicators: &[String],
    goals: &[(PathBuf, PathBuf)],
    out: &Path,
) -> anyhow::Result<()> {
    let hist = History::from_path(history)?;
    let series: Vec<_> = hist
        .series()
        .into_iter()
        .filter(|s| {
            indicators.is_empty()
                || indicators
                    .iter()
                    .any(|i| *i == s.key.id || *i == s.key.to_string())
        })
        .collect();
    let result = goalcast::backtest::Backtest::new(origins, horizons).run(&series);
    if result.forecasts.is_empty() {
        anyhow::bail!(
            "{}: no series has {} intervals before an origin in {}-{} and a value {}-{} years after it",
            history.display(),
            goalcast::reference::MIN_SERIES_INTERVALS,
            origins.0,
            origins.1,
            horizons.0,
            horizons.1
        );
    }
    let mut written = goalcast::report::backtest::write_backtest(&result, out)?;
    print!("{}", goalcast::report::backtest::backtest_txt(&result));
    if !goals.is_empty() {
        let settings = RunSettings {
            paths: 20_000,
            ..Default::default()
        };
        let mut all = Vec::new();
        for (catalogue, scenario) in goals {
            let cat = Catalogue::from_path(catalogue)?.with_history(&hist)?;
            let scenario = goalcast::scenario::Scenario::from_path(scenario)?;
            let now = goalcast::assess::assess(&cat, &scenario, settings)?;
            let (done, failed) = goalcast::assess::hindcasts(&cat, &scenario, &now, settings);
            all.extend(done);
            for (year, why) in failed {
                println!("{}: no forecast as of {year}: {why}", catalogue.display());
            }
        }
        let (path, line) = goalcast::report::backtest::write_hindcasts(&all, out)?;
        println!("{line}");
        written.push(path);
    }
    println!("{} files written to {}", written.len(), out.display());
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::{parse_range, parse_window};

    #[test]
    fn ranges_and_windows_read_first_last_and_say_what_is_wrong() {
        assert_eq!(parse_range("1-3"), Ok((1, 3)));
        assert_eq!(parse_range(" 2 "), Ok((2, 2)));
        assert_eq!(parse_window("2015-2022"), Ok((2015, 2022)));
        let err = |r: Result<(i32, i32), String>| r.unwrap_err();
        assert!(
            err(parse_range("1:3")).contains("`1:3` is not a range: write FIRST-LAST, e.g. 1-3")
        );
        assert!(err(parse_range("1-x")).contains("`x` in `1-x` is not a whole number"));
        assert!(err(parse_range("3-1")).contains("range 3-1"));
        assert!(err(parse_range("0")).contains("horizon 0 must be at least 1"));
        assert!(
            err(parse_window("2015")).contains("is not a window: write FIRST-LAST, e.g. 2015-2022")
        );
        assert!(err(parse_window("2015-20x")).contains("`20x` in `2015-20x` is not a year"));
        assert!(
            err(parse_window("2022-2015")).contains("the first year must come before the last")
        );
    }
}

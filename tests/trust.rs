//! Probabilities that can be trusted, shown: `model = "calibrated"`, `calibrate`,
//! `--as-of` and the backtest (issue 13).

use std::path::{Path, PathBuf};

use goalcast::backtest::{Backtest, Method};
use goalcast::indicator::{Indicator, IndicatorKey, Observation};
use goalcast::prelude::*;
use goalcast::reference::{MIN_SERIES_INTERVALS, calibrate_all};
use goalcast::report::FileRun;
use goalcast::scenario::{Basis, CalibrationRequest};
use rand_core::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote";
const HISTORY_HEADER: &str =
    "indicator,jurisdiction,year,value,unit,bound,source,quote,note,reliability";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn history(rows: &[(&str, i32, f64)]) -> History {
    let body: String = rows
        .iter()
        .map(|(id, y, v)| format!("{id},Hubei,{y},{v},亿元,,test,,,official\n"))
        .collect();
    History::from_reader(format!("{HISTORY_HEADER}\n{body}").as_bytes(), "h.csv").unwrap()
}

/// A catalogue with one level goal on `id`, joined to `h`.
fn catalogue(id: &str, h: &History) -> Catalogue {
    let rows = format!("g,{id},Hubei,指标,Indicator,亿元,level,>=,,,300,2030,000,达到300\n");
    Catalogue::from_reader(format!("{HEADER}\n{rows}").as_bytes(), "c.csv")
        .unwrap()
        .with_history(h)
        .unwrap()
}

const RD: [(&str, i32, f64); 7] = [
    ("rd", 2015, 100.0),
    ("rd", 2016, 111.0),
    ("rd", 2017, 120.0),
    ("rd", 2018, 135.0),
    ("rd", 2019, 149.0),
    ("rd", 2020, 151.0),
    ("rd", 2021, 170.0),
];

fn assumption(scenario: &str, c: &Catalogue) -> goalcast::scenario::Assumption {
    let s = Scenario::from_toml_str(scenario, "s.toml").unwrap();
    let a = goalcast::assess::assess(
        c,
        &s,
        RunSettings {
            paths: 1000,
            ..Default::default()
        },
    )
    .unwrap();
    a.targets[0].result.as_ref().unwrap().assumption.clone()
}

#[test]
fn a_calibrated_model_is_the_history_estimate_with_its_window_exclusions_and_shift() {
    let h = history(&RD);
    let c = catalogue("rd", &h);
    let plain = assumption("[indicators.rd]\nmodel = \"calibrated\"\n", &c);
    let series = &c.indicators[0].history;
    let fit = goalcast::calibrate::Calibration::new()
        .fit(&c.indicators[0].key, series)
        .unwrap();
    // Six intervals: below SHORT_SERIES, so parameter uncertainty by default.
    assert_eq!(plain.model.name(), "uncertain");
    assert!((plain.model.median_growth() - fit.growth).abs() < 1e-12);
    assert!((plain.model.volatility() - fit.volatility).abs() < 1e-12);
    assert_eq!(plain.basis.to_string(), "history (7 values, 2015-2021)");

    let moved = assumption(
        "[indicators.rd]\nmodel = \"calibrated\"\nwindow = [2016, 2021]\nexclude = [2020]\ngrowth_shift_pct = 2\nvolatility_scale = 1.5\n",
        &c,
    );
    let windowed = goalcast::calibrate::Calibration::new()
        .window(2016, 2021)
        .exclude(&[2020])
        .fit(&c.indicators[0].key, series)
        .unwrap();
    assert_eq!(windowed.n_intervals, 4);
    assert!((moved.model.median_growth() - (windowed.growth + 0.02)).abs() < 1e-12);
    assert!((moved.model.volatility() - 1.5 * windowed.volatility).abs() < 1e-12);
    assert!(
        moved
            .source
            .as_deref()
            .unwrap()
            .contains("moved +2.0 points")
    );
}

#[test]
fn calibrated_models_refuse_what_they_cannot_do_and_say_why() {
    let refused = |text: &str| {
        Scenario::from_toml_str(text, "s.toml")
            .unwrap_err()
            .to_string()
    };
    assert!(
        refused("[indicators.rd]\nmodel = \"calibrated\"\ngrowth_pct = 12\n")
            .contains("estimates `growth_pct` from history")
    );
    assert!(
        refused("[indicators.rd]\nmodel = \"lognormal\"\nwindow = [2015, 2020]\n")
            .contains("`window` belongs to `model = \"calibrated\"`")
    );
    assert!(
        refused("[indicators.rd]\nmodel = \"calibrated\"\nwindow = [2020, 2015]\n")
            .contains("window [2020, 2015] is impossible")
    );
    // Too little history: the run names the indicator and the years it has.
    let h = history(&RD[..3]);
    let c = catalogue("rd", &h);
    let s = Scenario::from_toml_str("[indicators.rd]\nmodel = \"calibrated\"\n", "s.toml").unwrap();
    let e = goalcast::assess::assess(&c, &s, RunSettings::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("Hubei/rd"), "{e}");
    assert!(e.contains("2015-2017"), "{e}");
    assert!(
        e.contains(&format!("fewer than {MIN_SERIES_INTERVALS}")),
        "{e}"
    );
    // A `from` series that does not exist is named.
    let s = Scenario::from_toml_str(
        "[indicators.rd]\nmodel = \"calibrated\"\nfrom = \"Hubei/gdp\"\n",
        "s.toml",
    )
    .unwrap();
    let e = goalcast::assess::assess(&c, &s, RunSettings::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("Hubei/gdp") && e.contains("no values"), "{e}");
}

#[test]
fn a_calibrate_scenario_file_runs_as_it_is_and_gives_the_calibrated_assumption() {
    let h = history(&RD);
    let c = catalogue("rd", &h);
    let estimates = calibrate_all(&h.series(), &CalibrationRequest::default());
    let origin = goalcast::report::calibration::CalibrationOrigin {
        history: PathBuf::from("h.csv"),
        ..Default::default()
    };
    let text = goalcast::report::calibration::scenario_toml(&estimates, &origin, "calibrated");
    let from_file = assumption(&text, &c);
    let calibrated = assumption("[indicators.rd]\nmodel = \"calibrated\"\n", &c);
    assert_eq!(from_file.model.name(), calibrated.model.name());
    for ((name, a), (_, b)) in from_file
        .model
        .parameters()
        .into_iter()
        .zip(calibrated.model.parameters())
    {
        assert!(
            (a - b).abs() <= 1e-12 * b.abs().max(1.0),
            "{name}: {a} vs {b}"
        );
    }
    assert_eq!(from_file.basis, Basis::Stated);
    assert!(
        from_file
            .source
            .unwrap()
            .starts_with("goalcast calibrate, h.csv")
    );
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn as_of_on_a_longer_history_equals_the_run_on_the_history_cut_at_that_year() {
    let dir = tempfile::tempdir().unwrap();
    let full = root().join("data/history.csv");
    // The history cut at 2021: the same records (quoted fields and all) of 2021 and before.
    let mut reader = csv::Reader::from_path(&full).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(reader.headers().unwrap()).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        if record[2].trim().parse::<i32>().unwrap() <= 2021 {
            writer.write_record(&record).unwrap();
        }
    }
    let cut = writer.into_inner().unwrap();
    let cut_path = dir.path().join("history_2021.csv");
    std::fs::write(&cut_path, cut).unwrap();
    let run = |history: &Path, as_of: Option<i32>, out: &str| {
        let mut r = FileRun::seed_document(
            root(),
            "003_hubei_sci_tech_2025",
            "hubei_sci_tech_2025",
            ("科技", "sci-tech"),
        );
        r.history = Some(history.to_path_buf());
        r.settings.paths = 4000;
        r.settings.analysis = false;
        r.as_of = as_of;
        r.out = dir.path().join(out);
        r.run().unwrap();
        files(&r.out)
    };
    let later = run(&full, Some(2021), "as_of");
    let cut_as_of = run(&cut_path, Some(2021), "cut_as_of");
    let cut_only = run(&cut_path, None, "cut");
    // Files that differ, by name (the manifest, and report.html which shows it, hash the
    // input file; history_choices.csv gives line numbers of the file read, which differ
    // between the two files).
    let differing = |a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], skip: &[&str]| {
        assert_eq!(
            a.iter().map(|f| &f.0).collect::<Vec<_>>(),
            b.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        a.iter()
            .zip(b)
            .filter(|(x, y)| x.1 != y.1 && !skip.iter().any(|s| x.0.starts_with(s)))
            .map(|(x, _)| x.0.clone())
            .collect::<Vec<_>>()
    };
    let inputs = ["manifest", "history_choices", "report.html"];
    assert_eq!(differing(&later, &cut_as_of, &inputs), Vec::<String>::new());
    // Without --as-of only the dashboard's "as of" line and the settings in
    // results.json differ.
    assert_eq!(
        differing(&later, &cut_only, &inputs),
        vec!["dashboard.png", "dashboard.svg", "results.json"]
    );
    let manifest = String::from_utf8(
        later
            .iter()
            .find(|(n, _)| n == "manifest.json")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(manifest.contains("\"as_of\": 2021"), "{manifest}");
    // And the cut matters: with the whole history the answers differ.
    let now = run(&full, None, "now");
    assert_ne!(
        now.iter().find(|(n, _)| n == "summary.csv"),
        later.iter().find(|(n, _)| n == "summary.csv")
    );
}

/// `series` lognormal histories of 8 values (7 intervals) from 2000 plus one value
/// `1 + i % 3` years after 2007, with true growth 6 % and volatility `sigma`.
fn simulated(series: usize, sigma: f64, seed: u64) -> Vec<Indicator> {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..series)
        .map(|i| {
            let z0: f64 = StandardNormal.sample(&mut rng);
            let mut x = 100.0 * (0.5 * z0).exp();
            let mut values = Vec::new();
            let last = 2007 + 1 + (i % 3) as i32;
            for year in 2000..=last {
                if year > 2000 {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    x *= (0.06f64.ln_1p() + sigma * z).exp();
                }
                if year <= 2007 || year == last {
                    values.push(Observation { year, value: x });
                }
            }
            Indicator {
                key: IndicatorKey::new("Sim", format!("revenue_{i}")),
                name_zh: String::new(),
                name_en: String::new(),
                unit: "亿元".into(),
                base: values.last().copied(),
                history: values,
                sources: Default::default(),
            }
        })
        .collect()
}

#[test]
fn on_a_known_lognormal_process_coverage_is_within_its_binomial_interval_and_understated_volatility_fails()
 {
    let data = simulated(3000, 0.08, 7);
    let scored = |bt: Backtest| {
        let r = bt.run(&data);
        r.summary()
            .into_iter()
            .find(|s| s.method == Method::Goalcast)
            .unwrap()
    };
    let honest = scored(Backtest::new((2007, 2007), (1, 3)));
    assert_eq!(honest.forecasts, 3000);
    let (c90, lo, hi) = honest.coverage90.unwrap();
    assert!(lo <= 0.90 && 0.90 <= hi, "90 % coverage {c90} [{lo}, {hi}]");
    let (c50, lo, hi) = honest.coverage50.unwrap();
    assert!(lo <= 0.50 && 0.50 <= hi, "50 % coverage {c50} [{lo}, {hi}]");
    let pit = honest.mean_pit.unwrap();
    assert!((pit - 0.5).abs() < 0.02, "mean PIT {pit}");
    // The same forecaster with its volatility understated by half: bands too narrow.
    let narrow = scored(Backtest::new((2007, 2007), (1, 3)).volatility_scale(0.5));
    let (c90, _, hi) = narrow.coverage90.unwrap();
    assert!(hi < 0.80, "understated volatility still covers {c90}");
    // Without parameter uncertainty the bands are too narrow too, on 7 intervals.
    let fixed = Backtest::new((2007, 2007), (1, 3))
        .run(&data)
        .summary()
        .into_iter()
        .find(|s| s.method == Method::GoalcastFixed)
        .unwrap();
    assert!(fixed.coverage90.unwrap().2 < 0.90, "{:?}", fixed.coverage90);
}

#[test]
fn the_crps_closed_forms_match_numerical_integration() {
    use goalcast::backtest::Law;
    for law in [
        Law::Normal { m: 0.3, s: 0.7 },
        Law::StudentT {
            m: -0.2,
            s: 0.5,
            df: 3.0,
        },
        Law::StudentT {
            m: 0.0,
            s: 1.2,
            df: 12.0,
        },
    ] {
        for y in [-1.5, 0.0, 0.4, 2.5] {
            // CRPS = ∫ (F(x) − 1{x ≥ y})² dx, midpoint rule over a wide range.
            let (a, b, n) = (-400.0, 400.0, 800_000);
            let h = (b - a) / f64::from(n);
            let numeric: f64 = (0..n)
                .map(|i| {
                    let x = a + (f64::from(i) + 0.5) * h;
                    let step = if x >= y { 1.0 } else { 0.0 };
                    (law.cdf(x) - step).powi(2) * h
                })
                .sum();
            let closed = law.crps(y);
            assert!(
                (closed - numeric).abs() < 2e-3,
                "{law:?} at {y}: {closed} vs {numeric}"
            );
        }
    }
}

#[test]
fn the_backtest_command_writes_its_tables_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bt");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_goalcast"))
        .args(["backtest", "--history"])
        .arg(root().join("data/history.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for f in [
        "backtest.csv",
        "backtest_summary.csv",
        "backtest_summary.txt",
        "pit_histogram.png",
        "pit_histogram.svg",
        "reliability.png",
        "reliability.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let summary = std::fs::read_to_string(out.join("backtest_summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 1 + Method::ALL.len());
    // calibrate on one catalogue writes a scenario that `run` takes as it is.
    let scenario = dir.path().join("cal/h24.toml");
    let cal = std::process::Command::new(env!("CARGO_BIN_EXE_goalcast"))
        .args(["calibrate", "--history"])
        .arg(root().join("data/history.csv"))
        .arg("--catalogue")
        .arg(root().join("data/catalogue/000_hubei_2024.csv"))
        .args(["--window", "2015-2024", "--exclude", "2020", "--out"])
        .arg(&scenario)
        .output()
        .unwrap();
    assert!(
        cal.status.success(),
        "{}",
        String::from_utf8_lossy(&cal.stderr)
    );
    assert!(dir.path().join("cal/h24_calibration.csv").is_file());
    assert!(dir.path().join("cal/h24_calibration.txt").is_file());
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_goalcast"))
        .args(["run", "--paths", "2000", "--catalogue"])
        .arg(root().join("data/catalogue/000_hubei_2024.csv"))
        .arg("--history")
        .arg(root().join("data/history.csv"))
        .arg("--scenario")
        .arg(&scenario)
        .arg("--out")
        .arg(dir.path().join("run"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn the_five_scenario_files_state_numbers_only_where_history_cannot_be_calibrated() {
    // Stated on purpose although a series exists: the technology-SME register's history
    // is its roll-out (a break in scope), said in the files.
    let breaks = ["tech_smes"];
    let h = History::from_path(root().join("data/history.csv")).unwrap();
    for (catalogue, scenario) in [
        ("000_hubei_2024", "hubei_2024"),
        ("001_ezhou_2029", "ezhou_2029"),
        ("002_hubei_manufacturing_2025", "hubei_manufacturing_2025"),
        ("003_hubei_sci_tech_2025", "hubei_sci_tech_2025"),
        ("004_huangshi_2030", "huangshi_2030"),
    ] {
        let c = Catalogue::from_path(root().join(format!("data/catalogue/{catalogue}.csv")))
            .unwrap()
            .with_history(&h)
            .unwrap();
        let s =
            Scenario::from_path(root().join(format!("data/scenarios/{scenario}.toml"))).unwrap();
        let mut calibrated = 0;
        for indicator in &c.indicators {
            if !s.states(&indicator.key) || breaks.contains(&indicator.key.id.as_str()) {
                continue;
            }
            if s.calibration_for(&indicator.key).is_some() {
                calibrated += 1;
                continue;
            }
            let intervals = indicator.history.len().saturating_sub(1);
            assert!(
                intervals < MIN_SERIES_INTERVALS,
                "{scenario}: {} is stated although its history has {intervals} intervals",
                indicator.key
            );
        }
        assert!(
            calibrated > 0 || scenario == "hubei_manufacturing_2025",
            "{scenario} calibrates nothing"
        );
    }
}

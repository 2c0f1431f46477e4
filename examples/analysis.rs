//! A worked example on real history: Hubei's R&D spending against the goal of 14 %
//! growth a year (seed 000, 2024–2028, measured from 2023; data end in 2022).
//!
//! 1. Calibrate growth and volatility from `data/history.csv` (with standard errors),
//!    and again treating 2020 as a shock year.
//! 2. Compare models side by side: the calibrated lognormal, the same with parameter
//!    uncertainty (each path draws its own growth from the estimate's distribution),
//!    and with rare shocks of the size 2020 showed.
//! 3. For the calibrated model: the growth needed for 50 / 80 / 90 % chances, the
//!    Eurostat / Statistics Canada progress categories as probabilities, and the
//!    sensitivity to every parameter (tornado chart).
//!
//! `cargo run --release --example analysis` writes `out/analysis/`: `calibration.csv`,
//! `models.csv`, `models.png/.svg`, `sensitivity.csv` and `tornado_rd_expenditure.png/.svg`.

use std::path::Path;

use goalcast::analysis::{
    DEFAULT_PROBABILITIES, Goal, Progress, Shifts, progress_categories, required_growth,
    sensitivity,
};
use goalcast::calibrate::Calibration;
use goalcast::indicator::IndicatorKey;
use goalcast::io::history::History;
use goalcast::io::write_atomic;
use goalcast::plot::{
    ComparisonRow, ScenarioComparison, TornadoChart, write_scenario_comparison, write_tornado,
};
use goalcast::process::{Model, RareShockGrowth};
use goalcast::report::tables::{calibration_csv, sensitivity_csv};
use goalcast::sim::{Check, CheckThreshold, Measure};
use goalcast::target::Comparator;
use goalcast::{DEFAULT_PATHS, DEFAULT_SEED, RunSettings};

fn main() -> goalcast::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("out/analysis");
    std::fs::create_dir_all(&dir).map_err(|e| goalcast::Error::io(&dir, e))?;
    let history = History::from_path(root.join("data/history.csv"))?;
    let key = IndicatorKey::new("Hubei", "rd_expenditure");

    // 1. Calibration.
    let plain = Calibration::new().fit_history(&history, &key)?;
    let shocks = Calibration::new()
        .exclude(&[2020])
        .excluded_as_shocks()
        .fit_history(&history, &key)?;
    write_atomic(
        &dir.join("calibration.csv"),
        &calibration_csv(&[plain.clone(), shocks.clone()])?,
    )?;
    let se = |x: Option<f64>| x.map_or("-".into(), |v| format!("{:.2}", v * 100.0));
    println!(
        "calibration of {key} ({} intervals, {:?}):",
        plain.n_intervals, plain.years_covered
    );
    for (name, r) in [("all years", &plain), ("2020 as a shock", &shocks)] {
        println!(
            "  {name:<16} growth {:.2} % (se {}), volatility {:.2} % (se {})",
            r.growth * 100.0,
            se(r.growth_se),
            r.volatility * 100.0,
            se(r.volatility_se)
        );
    }

    // The goal: 14 % a year from the (simulated) 2023 level to 2028; paths start in 2022.
    let start = history
        .values(&key)
        .last()
        .copied()
        .expect("R&D has history");
    let check = Check {
        measure: Measure::Level(0),
        comparator: Comparator::AtLeast,
        threshold: CheckThreshold::Relative {
            step: (2023 - start.year) as usize,
            factor: 1.14f64.powi(5),
        },
        from_step: (2024 - start.year) as usize,
        deadline_step: (2028 - start.year) as usize,
    };
    let settings = RunSettings {
        paths: DEFAULT_PATHS,
        seed: DEFAULT_SEED,
        ..Default::default()
    };
    let goal =
        |model: Model| Goal::new(model, start.value, check).with_stream("Hubei/rd_expenditure");

    // 2. Models side by side.
    let calibrated = Model::LogNormal(plain.lognormal()?);
    let shock_size = -shocks.mean_shock().unwrap_or(0.0);
    let models = [
        ("calibrated lognormal", calibrated),
        (
            "parameter uncertainty",
            Model::Uncertain(plain.uncertain()?),
        ),
        (
            "rare shocks (2020-like)",
            Model::RareShock(RareShockGrowth::new(
                shocks.growth,
                shocks.volatility,
                shocks.shock_rate().unwrap_or(0.0),
                1.0 - (-shock_size).exp(),
            )?),
        ),
    ];
    let mut rows = vec![vec![
        "model".to_string(),
        "p_reach".into(),
        "p_reach_closed_form".into(),
        "growth_pct".into(),
    ]];
    let mut p_reach = Vec::new();
    println!("P(14 %/yr from 2023 to 2028):");
    for (name, model) in &models {
        let p = goal(*model).probability(settings)?;
        let closed = model.p_reach(1.0, 1.14f64.powi(5), 5, Comparator::AtLeast);
        println!(
            "  {name:<24} {p:.4}  (closed form {})",
            closed.map_or("-".into(), |c| format!("{c:.4}"))
        );
        rows.push(vec![
            name.to_string(),
            p.to_string(),
            closed.map_or(String::new(), |c| c.to_string()),
            (model.median_growth() * 100.0).to_string(),
        ]);
        p_reach.push(Some(p));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        w.write_record(r).expect("writing to memory");
    }
    write_atomic(
        &dir.join("models.csv"),
        &w.into_inner().expect("writing to memory"),
    )?;
    let names: Vec<String> = models.iter().map(|(n, _)| n.to_string()).collect();
    write_scenario_comparison(
        &ScenarioComparison {
            title_zh: "全社会研发经费投入年均增长14%以上（2023–2028）· 模型比较",
            title_en: "Hubei R&D spending, 14 % a year 2023-2028: models side by side",
            scenarios: &names,
            rows: &[ComparisonRow {
                label: "000_rd_expenditure_growth  年均增长 ≥ 14 % (2028)".into(),
                p_reach,
            }],
        },
        &dir,
        "models",
    )?;

    // 3. Growth needed, progress categories, sensitivity — for the calibrated model.
    let g = goal(calibrated);
    for r in required_growth(&g, settings, &DEFAULT_PROBABILITIES)? {
        let growth = r
            .growth
            .map_or("-".into(), |g| format!("{:.2} %", g * 100.0));
        println!(
            "growth needed for a {:.0} % chance: {growth}",
            r.probability * 100.0
        );
    }
    let outlook = progress_categories(&g, settings)?;
    println!(
        "progress: deterministic {}, median {}",
        outlook.deterministic.as_str(),
        outlook.median.as_str()
    );
    for c in Progress::ALL {
        println!("  P({:<13}) = {:.4}", c.as_str(), outlook.probability(c));
    }
    let s = sensitivity(
        "000_rd_expenditure_growth",
        &g,
        settings,
        &Shifts::default(),
    )?;
    write_atomic(
        &dir.join("sensitivity.csv"),
        &sensitivity_csv(std::slice::from_ref(&s))?,
    )?;
    write_tornado(
        &TornadoChart {
            sensitivity: &s,
            title_zh: "全社会研发经费投入年均增长14%以上（2023–2028）",
            title_en: "Hubei R&D spending, 14 % a year 2023-2028: sensitivity to the calibrated parameters",
            roles: &[],
        },
        &dir,
        "tornado_rd_expenditure",
    )?;
    println!("written to {}", dir.display());
    Ok(())
}

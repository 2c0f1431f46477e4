//! The analyses of `goalcast::analysis` on one goal: Hubei's R&D spending, 1254.7 亿元 in
//! 2022, under the goal of 14 % growth a year to 2028 (seed 000), with growth estimated
//! from 2015–2022 (12.2 % a year, σ = 4.6 %).
//!
//! `cargo run --release --example analysis` writes `out/analysis/`: `sensitivity.csv` and
//! the tornado chart `tornado_rd_expenditure.png` / `.svg`, and prints the growth it
//! would take, the progress categories and a precision-controlled probability.

use std::path::Path;

use goalcast::analysis::{
    DEFAULT_PROBABILITIES, Goal, PrecisionOptions, Progress, Shifts, progress_categories,
    required_growth, run_to_precision, sensitivity, sensitivity_csv,
};
use goalcast::plot::{TornadoChart, write_tornado};
use goalcast::process::{LogNormalGrowth, Model};
use goalcast::target::Comparator;
use goalcast::{DEFAULT_PATHS, DEFAULT_SEED, RunSettings};

fn main() -> goalcast::Result<()> {
    let dir = Path::new("out/analysis");
    std::fs::create_dir_all(dir).map_err(|e| goalcast::Error::io(dir, e))?;
    let (start, years) = (1254.7, 6);
    let k = start * 1.14f64.powi(years as i32);
    let model = Model::LogNormal(LogNormalGrowth::new(0.122, 0.046)?);
    let goal = Goal::level(model, start, k, years, Comparator::AtLeast)
        .with_stream("Hubei/rd_expenditure");
    let settings = RunSettings {
        paths: DEFAULT_PATHS,
        seed: DEFAULT_SEED,
        ..Default::default()
    };

    println!("P(goal) = {:.3}", goal.probability(settings)?);
    for r in required_growth(&goal, settings, &DEFAULT_PROBABILITIES)? {
        let g = r
            .growth
            .map_or("—".into(), |g| format!("{:.2} %", g * 100.0));
        println!("growth needed for P = {:.0} %: {g}", r.probability * 100.0);
    }

    let outlook = progress_categories(&goal, settings)?;
    println!(
        "required growth {:.2} %; deterministic category {}, median path {}",
        outlook.required_growth * 100.0,
        outlook.deterministic,
        outlook.median
    );
    for c in Progress::ALL {
        println!("  P({c}) = {:.3}", outlook.probability(c));
    }

    let s = sensitivity("000_rd_growth", &goal, settings, &Shifts::default())?;
    goalcast::io::write_atomic(
        &dir.join("sensitivity.csv"),
        &sensitivity_csv(std::slice::from_ref(&s))?,
    )?;
    let chart = TornadoChart {
        sensitivity: &s,
        title_zh: "湖北省全社会研发经费投入年均增长14%以上 (至2028年)",
        title_en: "Hubei R&D expenditure: 14 % a year to 2028 (from 1254.7 亿元 in 2022)",
    };
    let [png, _] = write_tornado(&chart, dir, "tornado_rd_expenditure")?;
    println!("wrote {}", png.display());

    let run = run_to_precision(
        |n| {
            goal.simulator(
                &goal.model,
                RunSettings {
                    paths: n,
                    ..settings
                },
            )
        },
        &PrecisionOptions::default(),
    )?;
    println!(
        "to a standard error of 0.5 points: {} paths, P = {:.4} ± {:.4} (runs: {})",
        run.paths(),
        run.last().p[0],
        run.last().se[0],
        run.rounds.len()
    );
    Ok(())
}

//! The main job: the goals of the Hubei 2024 opinions on new quality productive forces
//! (seed 000) that carry a number, a deadline and a known base, simulated under the
//! history-based scenario; tables and fan charts go to `out/hubei_2024/`.
//!
//! ```text
//! cargo run --release --example hubei_2024 [-- PATHS [SEED]]
//! ```

use std::path::Path;

use anyhow::Context;
use goalcast::io::history::History;
use goalcast::report::RunInputs;
use goalcast::{Catalogue, RunSettings, Scenario, assess, report};

fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue_path = root.join("data/catalogue/000_hubei_2024.csv");
    let history_path = root.join("data/history.csv");
    let scenario_path = root.join("data/scenarios/hubei_2024.toml");
    let out = root.join("out/hubei_2024");

    let mut args = std::env::args().skip(1);
    let mut settings = RunSettings::default();
    if let Some(p) = args.next() {
        settings.paths = p.parse().context("PATHS must be a whole number")?;
    }
    if let Some(s) = args.next() {
        settings.seed = s.parse().context("SEED must be a whole number")?;
    }

    let history = History::from_path(&history_path)?;
    let catalogue = Catalogue::from_path(&catalogue_path)?.with_history(&history)?;
    let scenario = Scenario::from_path(&scenario_path)?;
    let assessment = assess(&catalogue, &scenario, settings)?;
    let inputs = RunInputs {
        title: (
            "湖北省加快培育新质生产力推动高质量发展的实施意见（2024）",
            "Hubei opinions on new quality productive forces (2024): goals for 2028",
        ),
        scenario_name: &scenario.name,
        files: &[&catalogue_path, &history_path, &scenario_path],
        history: Some(&history),
    };
    let written = report::write_report(&assessment, inputs, &out)?;

    println!("Hubei 2024 (seed 000): {} goals", assessment.targets.len());
    println!(
        "{:<40} {:>8} {:>9} {:>9} {:>9} {:>10}",
        "target", "deadline", "P(reach)", "± s.e.", "closed", "needs %/yr"
    );
    for t in &assessment.targets {
        if let Ok(e) = &t.result {
            println!(
                "{:<40} {:>8} {:>9.4} {:>9.4} {:>9} {:>10}",
                t.target.id,
                t.target.deadline,
                e.p_reach,
                e.p_reach_se,
                e.p_reach_closed_form
                    .map_or("-".into(), |p| format!("{p:.4}")),
                e.required_growth
                    .map_or("-".into(), |g| format!("{:.2}", g * 100.0)),
            );
        }
    }
    let mut statuses = std::collections::BTreeMap::new();
    for t in &assessment.targets {
        let status = t
            .result
            .as_ref()
            .map_or_else(|why| why.as_str(), |_| "simulated");
        *statuses.entry(status).or_insert(0) += 1;
    }
    println!("status counts: {statuses:?}");
    println!("{} files written to {}", written.len(), out.display());
    Ok(())
}

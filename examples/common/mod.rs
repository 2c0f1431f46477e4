//! The runner shared by the five seed-document examples: one table row per document
//! (catalogue, scenario, dashboard titles, overrides), one body that runs it.

/// A seed document's run: catalogue stem, scenario (and output folder) name, titles, the
/// overrides file of the run (`data/overrides/<stem>.toml`) and other readings.
struct SeedRun {
    catalogue: &'static str,
    scenario: &'static str,
    title_zh: &'static str,
    title_en: &'static str,
    overrides: Option<&'static str>,
    readings: &'static [Reading],
}

/// Another reading of a document, run after the main one: an overrides file
/// (`data/overrides/<stem>.toml`), its output folder under `out/`, its dashboard's
/// English title and what it reads differently.
struct Reading {
    overrides: &'static str,
    out: &'static str,
    title_en: &'static str,
    label: &'static str,
}

const SEED_RUNS: [SeedRun; 5] = [
    SeedRun {
        catalogue: "000_hubei_2024",
        scenario: "hubei_2024",
        title_zh: "湖北省加快培育新质生产力推动高质量发展的实施意见（2024）",
        title_en: "Hubei opinions on new quality productive forces (2024): goals for 2028",
        overrides: None,
        readings: &[Reading {
            overrides: "000_deadline_2029",
            out: "hubei_2024_deadline_2029",
            title_en: "Hubei opinions on new quality productive forces (2024): goals for 2029 (other reading)",
            label: "力争未来五年 read as 2025-2029: deadlines 2029, base years 2024",
        }],
    },
    SeedRun {
        catalogue: "001_ezhou_2029",
        scenario: "ezhou_2029",
        title_zh: "鄂州市加快培育新质生产力推动产业高质量发展实施方案（2024）",
        title_en: "Ezhou plan for new quality productive forces (2024): goals for 2029",
        overrides: None,
        readings: &[],
    },
    SeedRun {
        catalogue: "002_hubei_manufacturing_2025",
        scenario: "hubei_manufacturing_2025",
        title_zh: "湖北省制造业高质量发展“十四五”规划",
        title_en: "Hubei 14th five-year plan for high-quality manufacturing: goals for 2025",
        overrides: None,
        readings: &[],
    },
    SeedRun {
        catalogue: "003_hubei_sci_tech_2025",
        scenario: "hubei_sci_tech_2025",
        title_zh: "湖北省科技创新“十四五”规划",
        title_en: "Hubei 14th five-year plan for science and technology innovation: goals for 2025",
        // Two lost digits as an official summary of the plan states them.
        overrides: Some("003_official_summaries"),
        readings: &[],
    },
    SeedRun {
        catalogue: "004_huangshi_2030",
        scenario: "huangshi_2030",
        title_zh: "黄石市关于推进创新强市建设的实施意见（征求意见稿）",
        title_en: "Huangshi opinions on an innovation-strong city (draft): goals for 2030",
        overrides: None,
        readings: &[],
    },
];

/// Runs the seed document whose scenario is `scenario`: `data/catalogue/<catalogue>.csv`,
/// `data/history.csv`, `data/scenarios/<scenario>.toml` and the document's overrides, if
/// any, with the analysis of every target, into `out/<scenario>/`; then each other
/// reading into its own folder; prints every summary.
pub fn run(scenario: &str) -> anyhow::Result<()> {
    let seed = SEED_RUNS
        .iter()
        .find(|s| s.scenario == scenario)
        .ok_or_else(|| anyhow::anyhow!("no seed document runs the scenario `{scenario}`"))?;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let overrides = |stem: &str| root.join("data/overrides").join(format!("{stem}.toml"));
    let mut run = goalcast::report::FileRun::seed_document(
        root,
        seed.catalogue,
        seed.scenario,
        (seed.title_zh, seed.title_en),
    );
    run.overrides = seed.overrides.map(overrides);
    let (assessment, written) = run.run()?;
    print!("{}", goalcast::report::summary_text(&assessment));
    print!("{}", goalcast::report::status::status_lines(&assessment));
    println!("{} files written to {}", written.len(), run.out.display());
    for reading in seed.readings {
        let other = goalcast::report::FileRun {
            overrides: Some(overrides(reading.overrides)),
            out: root.join("out").join(reading.out),
            title: (seed.title_zh.to_string(), reading.title_en.to_string()),
            ..run.clone()
        };
        println!(
            "\nOther reading: {} ({}.toml)",
            reading.label, reading.overrides
        );
        let (assessment, written) = other.run()?;
        print!("{}", goalcast::report::summary_text(&assessment));
        println!("{} files written to {}", written.len(), other.out.display());
    }
    Ok(())
}

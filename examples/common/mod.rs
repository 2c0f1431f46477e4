//! The runner shared by the five seed-document examples: one table row per document
//! (catalogue, scenario, dashboard titles), one body that runs it.

/// A seed document's run: catalogue stem, scenario (and output folder) name, titles.
struct SeedRun {
    catalogue: &'static str,
    scenario: &'static str,
    title_zh: &'static str,
    title_en: &'static str,
}

const SEED_RUNS: [SeedRun; 5] = [
    SeedRun {
        catalogue: "000_hubei_2024",
        scenario: "hubei_2024",
        title_zh: "湖北省加快培育新质生产力推动高质量发展的实施意见（2024）",
        title_en: "Hubei opinions on new quality productive forces (2024): goals for 2028",
    },
    SeedRun {
        catalogue: "001_ezhou_2029",
        scenario: "ezhou_2029",
        title_zh: "鄂州市加快培育新质生产力推动产业高质量发展实施方案（2024）",
        title_en: "Ezhou plan for new quality productive forces (2024): goals for 2029",
    },
    SeedRun {
        catalogue: "002_hubei_manufacturing_2025",
        scenario: "hubei_manufacturing_2025",
        title_zh: "湖北省制造业高质量发展“十四五”规划",
        title_en: "Hubei 14th five-year plan for high-quality manufacturing: goals for 2025",
    },
    SeedRun {
        catalogue: "003_hubei_sci_tech_2025",
        scenario: "hubei_sci_tech_2025",
        title_zh: "湖北省科技创新“十四五”规划",
        title_en: "Hubei 14th five-year plan for science and technology innovation: goals for 2025",
    },
    SeedRun {
        catalogue: "004_huangshi_2030",
        scenario: "huangshi_2030",
        title_zh: "黄石市关于推进创新强市建设的实施意见（征求意见稿）",
        title_en: "Huangshi opinions on an innovation-strong city (draft): goals for 2030",
    },
];

/// Runs the seed document whose scenario is `scenario`: `data/catalogue/<catalogue>.csv`,
/// `data/history.csv` and `data/scenarios/<scenario>.toml`, with the analysis of every
/// target, into `out/<scenario>/`; prints the summary.
pub fn run(scenario: &str) -> anyhow::Result<()> {
    let seed = SEED_RUNS
        .iter()
        .find(|s| s.scenario == scenario)
        .ok_or_else(|| anyhow::anyhow!("no seed document runs the scenario `{scenario}`"))?;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = goalcast::report::FileRun::seed_document(
        root,
        seed.catalogue,
        seed.scenario,
        (seed.title_zh, seed.title_en),
    );
    let (assessment, written) = run.run()?;
    print!("{}", goalcast::report::summary_text(&assessment));
    println!("{} files written to {}", written.len(), run.out.display());
    Ok(())
}

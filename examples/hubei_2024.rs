//! The main job: the goals of the Hubei 2024 opinions on new quality productive forces (seed 000), simulated under the history-based scenario; tables, fan charts and the dashboard go to `out/hubei_2024/`.
//!
//! ```text
//! cargo run --release --example hubei_2024
//! ```

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = goalcast::report::FileRun::seed_document(
        root,
        "000_hubei_2024",
        "hubei_2024",
        (
            "湖北省加快培育新质生产力推动高质量发展的实施意见（2024）",
            "Hubei opinions on new quality productive forces (2024): goals for 2028",
        ),
    );
    let (assessment, written) = run.run()?;
    print!("{}", goalcast::report::summary_text(&assessment));
    println!("{} files written to {}", written.len(), run.out.display());
    Ok(())
}

//! The goals of Ezhou's 2024 plan for new quality productive forces (seed 001), to 2029; output in `out/ezhou_2029/`.
//!
//! ```text
//! cargo run --release --example ezhou_2029
//! ```

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = goalcast::report::FileRun::seed_document(
        root,
        "001_ezhou_2029",
        "ezhou_2029",
        (
            "鄂州市加快培育新质生产力推动产业高质量发展实施方案（2024）",
            "Ezhou plan for new quality productive forces (2024): goals for 2029",
        ),
    );
    let (assessment, written) = run.run()?;
    print!("{}", goalcast::report::summary_text(&assessment));
    println!("{} files written to {}", written.len(), run.out.display());
    Ok(())
}

//! The goals of Hubei's 14th five-year plan for science and technology (seed 003), 2021–2025; output in `out/hubei_sci_tech_2025/`.
//!
//! ```text
//! cargo run --release --example hubei_sci_tech_2025
//! ```

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = goalcast::report::FileRun::seed_document(
        root,
        "003_hubei_sci_tech_2025",
        "hubei_sci_tech_2025",
        (
            "湖北省科技创新“十四五”规划",
            "Hubei 14th five-year plan for science and technology innovation: goals for 2025",
        ),
    );
    let (assessment, written) = run.run()?;
    print!("{}", goalcast::report::summary_text(&assessment));
    println!("{} files written to {}", written.len(), run.out.display());
    Ok(())
}

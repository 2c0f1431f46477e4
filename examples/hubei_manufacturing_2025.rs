//! The goals of Hubei's 14th five-year plan for manufacturing (seed 002), 2021–2025; output in `out/hubei_manufacturing_2025/`.
//!
//! ```text
//! cargo run --release --example hubei_manufacturing_2025
//! ```

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = goalcast::report::FileRun::seed_document(
        root,
        "002_hubei_manufacturing_2025",
        "hubei_manufacturing_2025",
        (
            "湖北省制造业高质量发展“十四五”规划",
            "Hubei 14th five-year plan for high-quality manufacturing: goals for 2025",
        ),
    );
    let (assessment, written) = run.run()?;
    print!("{}", goalcast::report::summary_text(&assessment));
    println!("{} files written to {}", written.len(), run.out.display());
    Ok(())
}

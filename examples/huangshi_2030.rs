//! The goals of Huangshi's draft opinions on an innovation-strong city (seed 004), to 2030; output in `out/huangshi_2030/`.
//!
//! ```text
//! cargo run --release --example huangshi_2030
//! ```

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = goalcast::report::FileRun::seed_document(
        root,
        "004_huangshi_2030",
        "huangshi_2030",
        (
            "黄石市关于推进创新强市建设的实施意见（征求意见稿）",
            "Huangshi opinions on an innovation-strong city (draft): goals for 2030",
        ),
    );
    let (assessment, written) = run.run()?;
    print!("{}", goalcast::report::summary_text(&assessment));
    println!("{} files written to {}", written.len(), run.out.display());
    Ok(())
}

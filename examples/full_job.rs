//! The "full job" of the throughput comparison with NumPy (`benches/compare/`): N paths
//! × T years of lognormal growth (start 100, g = 12 %, σ = 8 %), the fraction of paths
//! at or above K = 300 in every year, and the 5/50/95 % quantiles of the level in every
//! year. Prints one JSON line.
//!
//! ```text
//! cargo run --release --example full_job -- --paths 1000000 --years 10 --threads 2 --repeat 3
//! ```

use std::time::Instant;

use clap::Parser;
use goalcast::process::LogNormalGrowth;
use goalcast::sim::{Check, CheckThreshold, Measure, QuantileMode, Simulator};
use goalcast::target::Comparator;

#[derive(Parser)]
struct Args {
    /// Paths.
    #[arg(long, default_value_t = 1_000_000)]
    paths: u64,
    /// Years.
    #[arg(long, default_value_t = 10)]
    years: usize,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Repeats; the best time is reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// `streaming` (memory flat in the path count) or `exact`.
    #[arg(long, default_value = "streaming")]
    quantiles: String,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mode = match args.quantiles.as_str() {
        "streaming" => QuantileMode::Streaming,
        "exact" => QuantileMode::Exact,
        other => anyhow::bail!("--quantiles takes `streaming` or `exact`, not `{other}`"),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let process = LogNormalGrowth::new(0.12, 0.08)?;
    let sim = Simulator::new(&process, 100.0, args.years)
        .paths(args.paths)
        .seed(args.seed)
        .stream("full_job")
        .quantiles(&[0.05, 0.5, 0.95])
        .quantile_mode(mode)
        .check(Check {
            measure: Measure::Level(0),
            comparator: Comparator::AtLeast,
            threshold: CheckThreshold::Level(300.0),
            from_step: 1,
            deadline_step: args.years,
        });
    let mut best = f64::INFINITY;
    let mut output = None;
    for _ in 0..args.repeat.max(1) {
        let t0 = Instant::now();
        let out = pool.install(|| sim.run())?;
        best = best.min(t0.elapsed().as_secs_f64());
        output = Some(out);
    }
    let out = output.expect("at least one repeat");
    let n = out.paths as f64;
    let hits: Vec<f64> = out.checks[0].holds_in_year[1..]
        .iter()
        .map(|&h| h as f64 / n)
        .collect();
    let column =
        |j: usize| -> Vec<f64> { (1..=args.years).map(|t| out.quantiles[0][[t, j]]).collect() };
    let json = serde_json::json!({
        "impl": "goalcast",
        "quantiles": args.quantiles,
        "paths": args.paths,
        "years": args.years,
        "threads": args.threads,
        "seconds": best,
        "path_steps_per_sec": n * args.years as f64 / best,
        "hit_fraction": hits,
        "q05": column(0),
        "q50": column(1),
        "q95": column(2),
    });
    println!("{json}");
    Ok(())
}

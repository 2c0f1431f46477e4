//! The "full job" of the throughput comparison with NumPy (`benches/compare/`): N paths
//! × T years of lognormal growth (start 100, g = 12 %, σ = 8 %), the fraction of paths
//! at or above K = 300 in every year, and the 5/50/95 % quantiles of the level in every
//! year. Prints one JSON line.
//!
//! `--quantiles` is `auto` by default (exact while the stored levels take at most 64 MB,
//! streaming beyond; the JSON's `quantile_mode` says which ran); `--quantiles none` runs
//! the hit counting alone; `--limit` instead measures the generator and normal sampler
//! alone on one thread (N·T draws), the ceiling the full job's per-core rate is compared
//! with: once drawing many rows for one block of paths, and once block by block of 64
//! paths, T rows each, as the engine draws them (each path has its own stream; under
//! stream contracts 2 and 3 a block's streams need no seeding). It also times the
//! streaming quantiles' own stage alone — binning and counting N·T log-levels, chunk by
//! chunk and year by year as the engine does — so that the full job can be compared with
//! the sum of its stages.
//!
//! ```text
//! cargo run --release --example full_job -- --paths 1000000 --years 10 --threads 2 --repeat 3
//! cargo run --release --example full_job -- --limit
//! ```

use std::time::Instant;

use clap::Parser;
use goalcast::process::LogNormalGrowth;
use goalcast::sim::{
    CHUNK_PATHS, Check, CheckThreshold, LANES, LaneStreams, Measure, PathStreams, QuantileMode,
    Simulator, stream_id,
};
use goalcast::stats::LogBins;
use goalcast::target::Comparator;

/// The job's process: the level starts at `START` and grows by a factor whose log is
/// Normal(ln(1 + `GROWTH`), `SIGMA`²) each year.
const START: f64 = 100.0;
const GROWTH: f64 = 0.12;
const SIGMA: f64 = 0.08;

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
    /// `auto` (exact while its memory stays at most 64 MB, streaming beyond), `streaming`
    /// (memory flat in the path count), `exact`, or `none` (hits only).
    #[arg(long, default_value = "auto")]
    quantiles: String,
    /// Measure the generator + normal sampler alone (one thread) instead.
    #[arg(long)]
    limit: bool,
}

/// Best time of `repeat` runs of `f`, with the last result.
fn best_of<T>(repeat: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let out = f();
        best = best.min(t0.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("at least one repeat"))
}

/// Standard normals per second from the engine's generators and sampler, one thread,
/// `paths·years` draws in all, two ways:
/// - `normals_per_sec`: the sampler alone, 16 rows of 64 lanes at a time from one
///   block of paths' streams (so the draws stay in the first-level cache);
/// - `seeded_normals_per_sec`: as the engine must draw them, each block of 64 paths'
///   streams set to their path indices, then `years` rows drawn.
///
/// And `histogram_values_per_sec`: the streaming histograms' stage alone, one thread,
/// `paths·years` log-levels of the job's process binned and counted by [`LogBins`] as
/// the engine does, one chunk of [`CHUNK_PATHS`] paths at a time (the chunk's levels are
/// drawn once and binned again for every chunk, so no drawing is timed).
fn limit(args: &Args) -> serde_json::Value {
    let draws = args.paths * args.years as u64;
    let streams = PathStreams::new(args.seed, stream_id("limit"));
    let rows = 16;
    let block = (rows * LANES) as u64;
    let (seconds, checksum) = best_of(args.repeat, || {
        let mut lanes = LaneStreams::default();
        lanes.seed(&streams, 0);
        let mut z = vec![0.0; rows * LANES];
        let mut sum = 0.0;
        for _ in 0..draws.div_ceil(block) {
            lanes.fill_normals(&mut z);
            sum += z[0];
        }
        sum
    });
    let done = draws.div_ceil(block) * block;
    let blocks = args.paths.div_ceil(LANES as u64);
    let (seeded_seconds, seeded_checksum) = best_of(args.repeat, || {
        let mut lanes = LaneStreams::default();
        let mut z = vec![0.0; args.years * LANES];
        let mut sum = 0.0;
        for b in 0..blocks {
            lanes.fill_path_normals(&streams, b * LANES as u64, &mut z);
            sum += z[0];
        }
        sum
    });
    let seeded = blocks * (args.years * LANES) as u64;
    let (histogram_seconds, histogram_checksum) = histogram_stage(args, &streams);
    let binned = args.paths.div_ceil(CHUNK_PATHS as u64) * (CHUNK_PATHS * args.years) as u64;
    serde_json::json!({
        "impl": "goalcast",
        "probe": "limit",
        "draws": done,
        "threads": 1,
        "seconds": seconds,
        "normals_per_sec": done as f64 / seconds,
        "seeded_draws": seeded,
        "seeded_seconds": seeded_seconds,
        "seeded_normals_per_sec": seeded as f64 / seeded_seconds,
        "histogram_values": binned,
        "histogram_seconds": histogram_seconds,
        "histogram_values_per_sec": binned as f64 / histogram_seconds,
        "checksum": checksum + seeded_checksum + histogram_checksum as f64,
    })
}

/// Best time of binning and counting `paths·years` log-levels (see [`limit`]), with the
/// largest count of any bin as a checksum.
fn histogram_stage(args: &Args, streams: &PathStreams) -> (f64, u32) {
    let years = args.years;
    // One chunk's log-levels by year: ln START + t·ln(1 + GROWTH) + SIGMA·(sum of t normals).
    let mut levels = vec![0.0; years * CHUNK_PATHS];
    let mut lanes = LaneStreams::default();
    let mut z = vec![0.0; years * LANES];
    for block in 0..CHUNK_PATHS / LANES {
        lanes.fill_path_normals(streams, (block * LANES) as u64, &mut z);
        for lane in 0..LANES {
            let mut x = START.ln();
            for year in 0..years {
                x += GROWTH.ln_1p() + SIGMA * z[year * LANES + lane];
                levels[year * CHUNK_PATHS + block * LANES + lane] = x;
            }
        }
    }
    let layouts: Vec<LogBins> = levels
        .chunks_exact(CHUNK_PATHS)
        .map(|year| {
            let (lo, hi) = year
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                    (lo.min(x), hi.max(x))
                });
            LogBins::for_streaming(lo, hi)
        })
        .collect();
    let width = layouts.iter().map(LogBins::len).max().unwrap_or(0);
    let chunks = args.paths.div_ceil(CHUNK_PATHS as u64);
    best_of(args.repeat, || {
        let mut counts = vec![0u32; years * width];
        let mut index = vec![0u16; years * CHUNK_PATHS];
        for _ in 0..chunks {
            for (year, layout) in layouts.iter().enumerate() {
                layout.index_into(
                    &levels[year * CHUNK_PATHS..][..CHUNK_PATHS],
                    &mut index[year * CHUNK_PATHS..][..CHUNK_PATHS],
                );
            }
            for (year, layout) in layouts.iter().enumerate() {
                layout.count_bins(
                    &index[year * CHUNK_PATHS..][..CHUNK_PATHS],
                    &mut counts[year * width..][..layout.len()],
                );
            }
        }
        std::hint::black_box(counts.iter().copied().max().unwrap_or(0))
    })
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.years >= 1, "--years must be at least 1");
    if args.limit {
        println!("{}", limit(&args));
        return Ok(());
    }
    let (mode, probs): (_, &[f64]) = match args.quantiles.as_str() {
        "streaming" => (QuantileMode::Streaming, &[0.05, 0.5, 0.95]),
        "exact" => (QuantileMode::Exact, &[0.05, 0.5, 0.95]),
        "auto" => (QuantileMode::Auto, &[0.05, 0.5, 0.95]),
        "none" => (QuantileMode::Streaming, &[]),
        other => {
            anyhow::bail!("--quantiles takes `auto`, `streaming`, `exact` or `none`, not `{other}`")
        }
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let process = LogNormalGrowth::new(GROWTH, SIGMA)?;
    let sim = Simulator::new(&process, START, args.years)
        .paths(args.paths)
        .seed(args.seed)
        .stream("full_job")
        .quantiles(probs)
        .quantile_mode(mode)
        .check(Check {
            measure: Measure::Level(0),
            comparator: Comparator::AtLeast,
            threshold: CheckThreshold::Level(300.0),
            from_step: 1,
            deadline_step: args.years,
        });
    let (best, out) = best_of(args.repeat, || pool.install(|| sim.run()));
    let out = out?;
    let n = out.paths as f64;
    let hits: Vec<f64> = out.checks[0].holds_in_year[1..]
        .iter()
        .map(|&h| h as f64 / n)
        .collect();
    // No columns when the quantiles are off (`--quantiles none`).
    let column = |j: usize| -> Vec<f64> {
        if j < probs.len() {
            (1..=args.years).map(|t| out.quantiles[0][[t, j]]).collect()
        } else {
            Vec::new()
        }
    };
    let json = serde_json::json!({
        "impl": "goalcast",
        "quantiles": args.quantiles,
        "quantile_mode": sim.chosen_mode().name(),
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

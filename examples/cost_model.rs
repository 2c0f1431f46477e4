//! Measures the engine's cost model (PERFORMANCE.md): wall time and peak memory of one
//! simulation as the paths N, years T, jointly simulated indicators k and goals checked
//! g vary, for exact and streaming quantiles, on 1 and 2 threads; then fits
//!
//! ```text
//! time ≈ a + N·T·(b·k + c·g)        (per quantile method and thread count)
//! ```
//!
//! by least squares and prints every measurement and the fitted coefficients as CSV-like
//! lines. Each configuration runs in a fresh process (this program, called with
//! `--one`), so its peak memory is that process's resident high-water mark (`VmHWM`),
//! comparable with the engine's own estimate (`goalcast::sim::memory`).
//!
//! ```text
//! cargo run --release --example cost_model              # the full grid (about a minute)
//! cargo run --release --example cost_model -- --quick   # a smaller grid
//! ```

use std::time::Instant;

use clap::Parser;
use goalcast::process::LogNormalGrowth;
use goalcast::sim::{Check, CheckThreshold, Measure, QuantileMode, Simulator, memory};
use goalcast::target::Comparator;

#[derive(Parser)]
struct Args {
    /// A smaller grid (paths ÷ 10).
    #[arg(long)]
    quick: bool,
    /// Repeats of each configuration; the best time is kept.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Runs one configuration, `mode,threads,paths,years,indicators,goals`, and prints
    /// `seconds,peak_bytes` (used by the grid, one process per configuration).
    #[arg(long)]
    one: Option<String>,
}

/// One configuration of the grid.
#[derive(Debug, Clone, Copy)]
struct Config {
    paths: u64,
    years: usize,
    indicators: usize,
    goals: usize,
    mode: QuantileMode,
    threads: usize,
}

/// Resident high-water mark in bytes, where the kernel reports it.
fn peak_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Best wall time of `repeat` runs of one configuration, in this process.
fn measure(c: Config, repeat: usize) -> anyhow::Result<f64> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(c.threads)
        .build()?;
    let process = LogNormalGrowth::new(0.08, 0.06)?;
    let mut sim = Simulator::new(&process, 100.0, c.years)
        .paths(c.paths)
        .seed(1)
        .stream("cost_model")
        .quantiles(&[0.05, 0.5, 0.95])
        .quantile_mode(c.mode);
    for _ in 1..c.indicators {
        sim = sim.indicator(&process, 100.0, 0);
    }
    for g in 0..c.goals {
        // Goals on different indicators and levels, checked in every year of the window.
        sim = sim.check(Check {
            measure: Measure::Level(g % c.indicators),
            comparator: Comparator::AtLeast,
            threshold: CheckThreshold::Level(120.0 + 10.0 * g as f64),
            from_step: 1,
            deadline_step: c.years,
        });
    }
    let mut best = f64::INFINITY;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let out = pool.install(|| sim.run())?;
        best = best.min(t0.elapsed().as_secs_f64());
        std::hint::black_box(&out);
    }
    Ok(best)
}

/// Runs `c` in a fresh process (this program with `--one`): best time and peak memory.
fn measure_in_child(c: Config, repeat: usize) -> anyhow::Result<(f64, Option<u64>)> {
    let spec = format!(
        "{},{},{},{},{},{}",
        mode_name(c.mode),
        c.threads,
        c.paths,
        c.years,
        c.indicators,
        c.goals
    );
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["--one", &spec, "--repeat", &repeat.to_string()])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "configuration {spec} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout)?;
    let (seconds, peak) = text
        .trim()
        .split_once(',')
        .ok_or_else(|| anyhow::anyhow!("unexpected child output `{text}`"))?;
    Ok((seconds.parse()?, peak.parse().ok()))
}

/// Parses `mode,threads,paths,years,indicators,goals`.
fn parse_config(spec: &str) -> anyhow::Result<Config> {
    let f: Vec<&str> = spec.split(',').collect();
    anyhow::ensure!(
        f.len() == 6,
        "--one takes six comma-separated fields, not `{spec}`"
    );
    let mode = match f[0] {
        "exact" => QuantileMode::Exact,
        "streaming" => QuantileMode::Streaming,
        other => anyhow::bail!("unknown quantile method `{other}`"),
    };
    Ok(Config {
        mode,
        threads: f[1].parse()?,
        paths: f[2].parse()?,
        years: f[3].parse()?,
        indicators: f[4].parse()?,
        goals: f[5].parse()?,
    })
}

/// Least squares for `time = a + b·x1 + c·x2`, solved from the normal equations.
fn fit(rows: &[(f64, f64, f64)]) -> Option<[f64; 3]> {
    let mut m = [[0.0; 4]; 3];
    for &(x1, x2, y) in rows {
        let x = [1.0, x1, x2];
        for i in 0..3 {
            for j in 0..3 {
                m[i][j] += x[i] * x[j];
            }
            m[i][3] += x[i] * y;
        }
    }
    // Gauss–Jordan elimination with partial pivoting on the 3×4 augmented matrix.
    for col in 0..3 {
        let pivot = (col..3).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        m.swap(col, pivot);
        if m[col][col].abs() < 1e-300 {
            return None;
        }
        let pivot_row = m[col];
        for (row, r) in m.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot_row[col];
                for (x, p) in r.iter_mut().zip(pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    Some([m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]])
}

fn mode_name(mode: QuantileMode) -> &'static str {
    match mode {
        QuantileMode::Exact => "exact",
        QuantileMode::Streaming => "streaming",
        QuantileMode::Auto => "auto",
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(spec) = &args.one {
        let seconds = measure(parse_config(spec)?, args.repeat)?;
        let peak = peak_bytes().map_or("NA".to_string(), |b| b.to_string());
        println!("{seconds},{peak}");
        return Ok(());
    }
    let scale = if args.quick { 10 } else { 1 };
    let mut grid = Vec::new();
    for mode in [QuantileMode::Streaming, QuantileMode::Exact] {
        for threads in [1, 2] {
            let base = Config {
                paths: 1_000_000 / scale,
                years: 10,
                indicators: 1,
                goals: 1,
                mode,
                threads,
            };
            for paths in [250_000, 1_000_000, 4_000_000] {
                grid.push(Config {
                    paths: paths / scale,
                    ..base
                });
            }
            for years in [5, 20] {
                grid.push(Config { years, ..base });
            }
            for indicators in [2, 4] {
                grid.push(Config { indicators, ..base });
            }
            for goals in [4, 16] {
                grid.push(Config { goals, ..base });
            }
        }
    }
    println!(
        "mode,threads,paths,years,indicators,goals,seconds,ns_per_path_step,process_peak_mb,engine_estimate_mb"
    );
    let mut measured = Vec::new();
    for c in grid {
        let (seconds, peak) = measure_in_child(c, args.repeat)?;
        let path_steps = c.paths as f64 * c.years as f64;
        let estimate = match c.mode {
            QuantileMode::Exact | QuantileMode::Auto => {
                memory::exact_bytes(c.indicators as u64, c.years as u64, c.paths)
            }
            QuantileMode::Streaming => {
                memory::streaming_bytes(c.indicators as u64, c.years as u64, c.threads as u64)
            }
        };
        let mb = |b: Option<u64>| b.map_or("NA".to_string(), |b| format!("{:.1}", b as f64 / 1e6));
        println!(
            "{},{},{},{},{},{},{:.4},{:.3},{},{}",
            mode_name(c.mode),
            c.threads,
            c.paths,
            c.years,
            c.indicators,
            c.goals,
            seconds,
            seconds / path_steps * 1e9,
            mb(peak),
            mb(estimate),
        );
        measured.push((c, seconds));
    }
    println!();
    println!("fit: seconds ≈ a + N·T·(b·k + c·g)");
    println!("mode,threads,a_ms,b_ns_per_path_step_indicator,c_ns_per_path_step_goal");
    for mode in [QuantileMode::Streaming, QuantileMode::Exact] {
        for threads in [1, 2] {
            let rows: Vec<(f64, f64, f64)> = measured
                .iter()
                .filter(|(c, _)| c.mode == mode && c.threads == threads)
                .map(|(c, s)| {
                    let nt = c.paths as f64 * c.years as f64;
                    (nt * c.indicators as f64, nt * c.goals as f64, *s)
                })
                .collect();
            match fit(&rows) {
                Some([a, b, c]) => println!(
                    "{},{},{:.2},{:.3},{:.3}",
                    mode_name(mode),
                    threads,
                    a * 1e3,
                    b * 1e9,
                    c * 1e9
                ),
                None => println!("{},{},NA,NA,NA", mode_name(mode), threads),
            }
        }
    }
    Ok(())
}

//! The memory a run will need, computed from the catalogue before any path is drawn, and
//! a refusal (in well under a second) of a run that would not fit.
//!
//! The bound is an upper one: every indicator a goal is set on that has a known value is
//! counted as if all were simulated in one group, each from its latest known year to the
//! latest deadline of the catalogue. Exact quantiles store 8 bytes per path, year and indicator; streaming
//! quantiles a histogram per thread whatever the number of paths
//! ([`crate::sim::memory`]); `--analysis` adds 8 bytes per path (one goal's critical
//! shifts, [`crate::sim::memory::critical_bytes`]).

use crate::error::{Error, Result, human_bytes};
use crate::io::catalogue::Catalogue;
use crate::sim::memory::critical_bytes;
use crate::sim::{QuantileMode, RunSettings, memory};

/// `settings` with [`QuantileMode::Auto`] chosen for the whole run from the bound on
/// its exact quantiles' memory at `paths`, the largest run's paths (all of a sharded
/// run's paths, not one shard's): exact up to 64 MB, streaming beyond.
pub fn choose_quantiles(catalogue: &Catalogue, settings: RunSettings, paths: u64) -> RunSettings {
    // The quantiles' own memory decides, not the analysis's (which either method adds).
    let exact = RunSettings {
        quantiles: QuantileMode::Exact,
        analysis: false,
        ..settings
    };
    RunSettings {
        quantiles: settings.quantiles.chosen(needed(catalogue, exact, paths).0),
        ..settings
    }
}

/// The bytes a run of `catalogue` with `settings` may need at most, with the arithmetic
/// in words; `paths` is the largest run (an extended run's last size). `None` when the
/// size does not fit in a `u64`.
pub fn needed(catalogue: &Catalogue, settings: RunSettings, paths: u64) -> (Option<u64>, String) {
    // Indicators a goal is set on that have a known value to start from, each simulated
    // from its latest known year to the latest deadline.
    let last = catalogue
        .targets
        .iter()
        .map(|t| t.deadline)
        .max()
        .unwrap_or(0);
    let starts: Vec<i32> = catalogue
        .indicators
        .iter()
        .filter(|i| catalogue.targets.iter().any(|t| t.indicator == i.key))
        .filter_map(|i| i.base.map(|b| b.year))
        .collect();
    let indicator_years: u64 = starts
        .iter()
        .map(|&y| u64::try_from(last - y).unwrap_or(0).max(1))
        .sum::<u64>()
        .max(1);
    let (bytes, how) = match settings.quantiles {
        QuantileMode::Auto => {
            return needed(
                catalogue,
                choose_quantiles(catalogue, settings, paths),
                paths,
            );
        }
        QuantileMode::Exact => (
            memory::exact_bytes(1, indicator_years, paths),
            format!(
                "exact quantiles: 8 bytes × {paths} paths × {indicator_years} indicator-years \
                 ({} indicators)",
                starts.len()
            ),
        ),
        QuantileMode::Streaming => {
            let threads = rayon::current_num_threads() as u64;
            (
                memory::streaming_bytes(1, indicator_years, threads),
                format!(
                    "streaming quantiles: at most 256 KB × {indicator_years} indicator-years × {threads} threads"
                ),
            )
        }
    };
    if !settings.analysis {
        return (bytes, how);
    }
    // The analysis holds one goal's critical shifts at a time besides the run, or, where
    // goals are analysed side by side, at most every goal's.
    let goals = if super::side_by_side(paths, false) {
        catalogue.targets.len().max(1) as u64
    } else {
        1
    };
    (
        bytes.and_then(|b| b.checked_add(critical_bytes(paths)?.checked_mul(goals)?)),
        format!(
            "{how}, plus the analysis's critical shifts: 8 bytes × {paths} paths × {goals} goal{}",
            if goals == 1 { "" } else { "s at once" }
        ),
    )
}

/// Refuses a run that would need more than `max_memory` bytes (`--max-memory`) or more
/// than the memory available; `paths` is the largest run (an extended run's last size).
pub fn check(
    catalogue: &Catalogue,
    settings: RunSettings,
    paths: u64,
    max_memory: Option<u64>,
) -> Result<()> {
    // Streaming counters hold at most u32::MAX paths: say so before any size, which at
    // such path counts would only say that it cannot be counted.
    let max = u64::from(u32::MAX);
    if choose_quantiles(catalogue, settings, paths).quantiles == QuantileMode::Streaming
        && paths > max
    {
        return Err(crate::error::SimulationError::TooManyStreamingPaths { max }.into());
    }
    let (needed, how) = needed(catalogue, settings, paths);
    let available = memory::available();
    let (limit, what) = match (max_memory, available) {
        (Some(m), Some(a)) if a < m => (Some(a), "memory available"),
        (Some(m), _) => (Some(m), "--max-memory"),
        (None, a) => (a, "memory available"),
    };
    let fits = match (needed, limit) {
        (None, _) => false,
        (Some(n), Some(l)) => n <= l,
        (Some(_), None) => true,
    };
    if fits {
        return Ok(());
    }
    Err(Error::Memory {
        reason: format!(
            "the run needs up to {} ({how}), more than the {} {what}; {}",
            needed.map_or_else(|| "more bytes than can be counted".into(), human_bytes),
            limit.map_or_else(String::new, human_bytes),
            match settings.quantiles {
                QuantileMode::Exact | QuantileMode::Auto =>
                    "use `--quantiles streaming` (memory independent of \
                     --paths), fewer `--paths`, or a larger `--max-memory`",
                QuantileMode::Streaming => "use fewer `--threads` or a larger `--max-memory`",
            }
        ),
    })
}

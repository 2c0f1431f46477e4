//! What a simulation needs in memory, computed before anything is allocated, and what
//! the machine has.
//!
//! Exact quantiles store every path's level in every year: 8 bytes × paths × years ×
//! indicators of a group. Streaming quantiles count each thread's paths in histograms of
//! `u32` counts: 4 bytes × at most 65,536 counters (8,194 unless the spread of levels
//! needs finer bins for the 1e-3 accuracy) × years × indicators per thread, whatever the
//! number of paths. [`crate::sim::QuantileMode::Auto`] runs exact quantiles up to
//! [`AUTO_EXACT_MAX_BYTES`]. The analysis (`--analysis`) holds one `f64` per path, each
//! path's critical shift of one goal at a time: 8 bytes × paths (160 MB at 2·10⁷ paths).
//! Sizes are computed with checked arithmetic: a size that does not fit
//! in a `u64` is `None`, never a wrap-around or a panic.

/// Counters of a streaming histogram per indicator and year, at most (as the kernel
/// allocates them: [`crate::stats::LogBins::MAX_BINS`] bins, under- and overflow).
const STREAMING_BINS: u64 = crate::stats::LogBins::MAX_BINS as u64 + 2;

/// The largest exact-quantile memory ([`exact_bytes`]) for which
/// [`crate::sim::QuantileMode::Auto`] chooses exact quantiles: 64 MB.
pub const AUTO_EXACT_MAX_BYTES: u64 = 64_000_000;

/// Bytes of the stored levels of an exact run: 8 × `indicators` × `years` × `paths`.
pub fn exact_bytes(indicators: u64, years: u64, paths: u64) -> Option<u64> {
    8u64.checked_mul(indicators)?
        .checked_mul(years)?
        .checked_mul(paths)
}

/// Bytes of the critical shifts of a run ([`crate::sim::Simulator::critical_shifts`]):
/// 8 × `paths`.
pub fn critical_bytes(paths: u64) -> Option<u64> {
    paths.checked_mul(8)
}

/// Bytes of the histograms of a streaming run on `threads` threads.
pub fn streaming_bytes(indicators: u64, years: u64, threads: u64) -> Option<u64> {
    (4 * STREAMING_BINS)
        .checked_mul(indicators)?
        .checked_mul(years)?
        .checked_mul(threads.max(1))
}

/// The memory available to a new allocation (`MemAvailable` of `/proc/meminfo`), or
/// `None` where it cannot be read.
pub fn available() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_overflow_to_none_and_scale_with_each_factor() {
        assert_eq!(exact_bytes(2, 10, 1000), Some(160_000));
        assert_eq!(exact_bytes(1, 10, u64::MAX / 8), None);
        assert_eq!(streaming_bytes(1, 1, 2), Some(524_288));
        assert_eq!(critical_bytes(20_000_000), Some(160_000_000));
        assert_eq!(critical_bytes(u64::MAX), None);
    }
}

//! Sharded runs: one simulation's paths split into contiguous slices run apart (on
//! other machines, by a batch scheduler), and merged into exactly the output of the
//! whole run.
//!
//! Every path has its own random stream ([`crate::random::PathStreams`]), so the paths
//! of a slice are the same paths the whole run draws, and every statistic the engine
//! keeps adds up over slices: check tallies are integer counts, streaming quantiles
//! come from integer histogram counts (whose bins every slice sets from the same first
//! [`PILOT_PATHS`](super::engine) paths of the whole run), and exact quantiles and kept
//! paths come from the per-path log-levels, put back in path order. A [`Partial`] holds
//! what one slice produced; [`Simulator::run`](super::Simulator::run) records it under
//! [`Sharding::Shard`] and, under [`Sharding::Merge`], adds the partials of every slice
//! instead of drawing, then computes quantiles exactly as the whole run does.
//!
//! Which slice a shard runs is fixed by the simulation's own path count
//! ([`Shard::range`]), so a simulation of fewer paths (a share's fan, a base needed) is
//! split the same way and every shard knows its part of each without talking to the
//! others. Files, headers and checks of shards are the report layer's
//! ([`crate::report::shard`]).

use std::ops::Range;

use ndarray::{Array3, Axis};
use sha2::{Digest, Sha256};

use super::engine::{CheckCounts, Simulator};
use crate::error::{Error, Result};

/// Shard `index` of `count` (1-based, as Slurm's array task ids are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// Shard `index` of `count`: `1 ≤ index ≤ count`.
    pub fn new(index: u32, count: u32) -> Result<Self> {
        if count == 0 || index == 0 || index > count {
            return Err(Error::Shard {
                path: None,
                reason: format!(
                    "shard {index}/{count}: the shard must lie in 1..=N with N at least 1"
                ),
            });
        }
        Ok(Shard { index, count })
    }

    /// Which shard (1-based).
    pub fn index(self) -> u32 {
        self.index
    }

    /// How many shards the run is split into.
    pub fn count(self) -> u32 {
        self.count
    }

    /// The paths of a simulation of `paths` paths this shard runs:
    /// `⌊paths·(i−1)/N⌋ .. ⌊paths·i/N⌋`. The N ranges are contiguous, in order, and
    /// cover `0..paths`; their sizes differ by at most one.
    pub fn range(self, paths: u64) -> Range<u64> {
        let at = |i: u32| (u128::from(paths) * u128::from(i) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = Error;

    /// `I/N`, e.g. `2/7`.
    fn from_str(text: &str) -> Result<Self> {
        let bad = || Error::Shard {
            path: None,
            reason: format!("`{text}` is not a shard: write I/N, e.g. 2/7 (shard 2 of 7)"),
        };
        let (i, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let number = |s: &str| s.trim().parse::<u32>().map_err(|_| bad());
        Shard::new(number(i)?, number(n)?)
    }
}

/// What one slice of one simulation produced: enough to compute, with the other
/// slices', the output of the whole simulation exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    /// The simulation's [fingerprint](Partial::fingerprint_of): its paths, seed, stream,
    /// starts, checks, quantiles and mode. Slices of one simulation share it.
    pub fingerprint: u64,
    /// Paths of the whole simulation.
    pub paths: u64,
    /// The paths this slice ran.
    pub range: Range<u64>,
    /// Indicators simulated jointly.
    pub indicators: usize,
    /// Simulated years.
    pub years: usize,
    /// One tally per check, over the slice's paths.
    pub checks: Vec<CheckCounts>,
    /// Per-path log-levels or histogram counts.
    pub body: Tally,
}

/// The path-dependent part of a [`Partial`].
#[derive(Debug, Clone, PartialEq)]
pub enum Tally {
    /// Exact quantiles or kept paths: every path's log-level, indexed
    /// `[indicator, step − 1, path − range.start]`.
    Exact(Array3<f64>),
    /// Streaming quantiles: per (indicator, year), in that order, the counters of its
    /// histogram (`counters` of them each, bins set from the whole run's pilot paths);
    /// empty when the simulation reports no quantiles (checks only).
    Histograms {
        /// Counters per (indicator, year) histogram.
        counters: usize,
        /// `indicators · years · counters` counts.
        counts: Vec<u32>,
    },
}

impl Partial {
    /// A fingerprint of everything that decides a simulation's paths and statistics
    /// except the growth processes themselves (which the run's input hashes cover): the
    /// first 8 bytes, little-endian, of the SHA-256 of their canonical description.
    pub fn fingerprint_of<P>(sim: &Simulator<'_, P>) -> u64 {
        let members: Vec<String> = sim
            .members
            .iter()
            .map(|m| {
                format!(
                    "{:016x}/{}/{}/{:?}",
                    m.start.to_bits(),
                    m.offset,
                    m.integer,
                    m.scale
                )
            })
            .collect();
        let cholesky: Option<Vec<u64>> = sim
            .cholesky
            .as_ref()
            .map(|l| l.iter().map(|x| x.to_bits()).collect());
        let probs: Vec<u64> = sim.probs.iter().map(|p| p.to_bits()).collect();
        let text = format!(
            "paths {} seed {} stream {} years {} members {members:?} cholesky {cholesky:?} \
             checks {:?} probs {probs:?} mode {:?} keep {}",
            sim.paths, sim.seed, sim.stream, sim.years, sim.checks, sim.mode, sim.keep_paths
        );
        let digest = Sha256::digest(text.as_bytes());
        u64::from_le_bytes(digest[..8].try_into().expect("a SHA-256 has 32 bytes"))
    }

    /// The partials of every slice of one simulation, in shard order, added into the
    /// whole simulation's tallies. Errors if they are not the contiguous slices of
    /// `0..paths` or do not fit together.
    pub fn combine(parts: Vec<Partial>, paths: u64) -> Result<(Vec<CheckCounts>, Tally)> {
        let broken = |reason: String| Error::Shard { path: None, reason };
        let mut at = 0;
        for p in &parts {
            if p.range.start != at || p.paths != paths {
                return Err(broken(format!(
                    "the slices of a simulation of {paths} paths do not follow each other: \
                     paths {}..{} after {at}",
                    p.range.start, p.range.end
                )));
            }
            at = p.range.end;
        }
        if at != paths {
            return Err(broken(format!(
                "the slices cover {at} of a simulation's {paths} paths"
            )));
        }
        let mut parts = parts.into_iter();
        let first = parts.next().ok_or_else(|| broken("no shard".into()))?;
        let shape = (first.indicators, first.years, first.checks.len());
        let mut checks = first.checks;
        let mut body = first.body;
        let mut blocks = Vec::new();
        for p in parts {
            if (p.indicators, p.years, p.checks.len()) != shape {
                return Err(broken(format!(
                    "shards disagree on a simulation's shape: {:?} against {shape:?}",
                    (p.indicators, p.years, p.checks.len())
                )));
            }
            for (a, b) in checks.iter_mut().zip(&p.checks) {
                a.add(b);
            }
            match (&mut body, p.body) {
                (Tally::Exact(_), Tally::Exact(levels)) => blocks.push(levels),
                (
                    Tally::Histograms { counters, counts },
                    Tally::Histograms {
                        counters: c,
                        counts: more,
                    },
                ) if *counters == c && counts.len() == more.len() => {
                    counts.iter_mut().zip(more).for_each(|(a, b)| *a += b);
                }
                _ => {
                    return Err(broken(
                        "shards disagree on how a simulation's quantiles are kept".into(),
                    ));
                }
            }
        }
        if let Tally::Exact(levels) = &mut body
            && !blocks.is_empty()
        {
            // Put back in path order, in standard layout (the engine selects in place).
            let (k, t, _) = levels.dim();
            let mut whole = Array3::zeros((k, t, usize::try_from(paths).unwrap_or(usize::MAX)));
            let mut at = 0;
            for block in std::iter::once(&*levels).chain(&blocks) {
                let (bk, bt, len) = block.dim();
                if (bk, bt) != (k, t) || at + len > whole.len_of(Axis(2)) {
                    return Err(broken("per-path blocks do not fit together".into()));
                }
                whole
                    .slice_axis_mut(Axis(2), (at..at + len).into())
                    .assign(block);
                at += len;
            }
            *levels = whole;
        }
        Ok((checks, body))
    }
}

/// Receives the partial of every simulation a shard runs, in the order they run.
pub trait Recorder: Sync {
    /// Keeps `partial` (writes it out).
    fn record(&self, partial: &Partial) -> Result<()>;
}

/// Gives back, simulation by simulation in the order they ran, the partials every
/// shard recorded.
pub trait Replay: Sync {
    /// The partials of the next simulation, one per shard in shard order; errors
    /// (naming the shard) if a shard's next simulation is not the one with this
    /// `fingerprint` and `paths`.
    fn next(&self, fingerprint: u64, paths: u64) -> Result<Vec<Partial>>;
}

/// How a [`Simulator`] takes part in a sharded run.
#[derive(Clone, Copy)]
pub enum Sharding<'a> {
    /// Draw only this shard's slice of the paths and hand its [`Partial`] to the
    /// recorder; the output returned is that of the slice alone.
    Shard(Shard, &'a dyn Recorder),
    /// Draw nothing: add up the partials of every shard, and return the output of the
    /// whole simulation.
    Merge(&'a dyn Replay),
}

impl std::fmt::Debug for Sharding<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sharding::Shard(s, _) => write!(f, "Sharding::Shard({s})"),
            Sharding::Merge(_) => write!(f, "Sharding::Merge"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn shards_cover_the_paths_in_order_with_sizes_within_one() {
        for paths in [1u64, 7, 10, 1000, 1023, 100_003] {
            for count in 1..=9u32.min(paths as u32) {
                let mut at = 0;
                for i in 1..=count {
                    let r = Shard::new(i, count).unwrap().range(paths);
                    assert_eq!(r.start, at);
                    let len = r.end - r.start;
                    assert!(len == paths / u64::from(count) || len == paths / u64::from(count) + 1);
                    at = r.end;
                }
                assert_eq!(at, paths);
            }
        }
    }

    #[test]
    fn shard_text_is_read_and_bad_text_refused() {
        assert_eq!("2/7".parse::<Shard>().unwrap(), Shard::new(2, 7).unwrap());
        for bad in ["0/3", "4/3", "1/0", "2", "a/b", "-1/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}

//! The kernel of the engine: paths drawn a block of 64 at a time, checks tallied as
//! integer counts, quantiles exact or from histograms, work split over rayon workers in
//! fixed chunks so that results do not depend on the number of threads.

mod critical;

pub use critical::Response;

use std::ops::Range;
use std::sync::Mutex;

use ndarray::{Array2, Array3, ArrayViewMut3, Axis};
use rayon::prelude::*;

use super::engine::{
    CHUNK_PATHS, Check, CheckCounts, CheckThreshold, Measure, PILOT_PATHS, QuantileMode, Simulator,
};
use super::shard::Tally;
use crate::process::{GrowthProcess, Scale};
use crate::random::{LANES, LaneStreams, PathStreams};
use crate::stats::{LogBins, quantiles_type7_by};
use crate::target::{Comparator, LOG_TOLERANCE};

/// A check with its threshold in the units the kernel compares.
#[derive(Debug, Clone, Copy)]
struct Prepared {
    check: Check,
    /// `ln` of the fixed threshold, or of the relative factor, moved by the comparison
    /// tolerance in the goal's favour: the condition is `x ≥ it` (at least) or `x ≤ it`.
    log_threshold: f64,
    /// `exp(log_threshold)`: the threshold of cumulative totals, which are levels.
    level_threshold: f64,
    at_least: bool,
}

/// Whether `x` meets a prepared threshold (see [`Prepared::log_threshold`]).
#[inline(always)]
fn meets(at_least: bool, x: f64, threshold: f64) -> bool {
    if at_least {
        x >= threshold
    } else {
        x <= threshold
    }
}

/// The per-path machinery of one run, shared by all threads.
pub(super) struct Kernel<'s, 'p, P> {
    sim: &'s Simulator<'p, P>,
    streams: PathStreams,
    prepared: Vec<Prepared>,
    log_starts: Vec<f64>,
    scales: Vec<Scale>,
    /// Per indicator: `Some((a, b))` when its process is affine in its shocks
    /// ([`GrowthProcess::affine_log_growth`]), asked once per run.
    affine: Vec<Option<(f64, f64)>>,
    draws: bool,
}

/// Scratch space of one worker, for a block of paths: their generators, their shocks
/// (then log-growths) laid out by (indicator, year, path), and their states laid out by
/// (indicator, step, path).
struct Scratch {
    streams: LaneStreams,
    shocks: Vec<f64>,
    lanes: Vec<f64>,
    /// Per path of the block: running total of a cumulative measure.
    total: [f64; LANES],
}

impl<'s, 'p, P: GrowthProcess> Kernel<'s, 'p, P> {
    pub(super) fn new(sim: &'s Simulator<'p, P>) -> Self {
        let prepared = sim
            .checks
            .iter()
            .map(|&check| {
                let at_least = check.comparator == Comparator::AtLeast;
                let scale = sim.members[check.measure.indicators()[0]].scale;
                let log = match (check.threshold, check.measure) {
                    (CheckThreshold::Level(v), Measure::Level(_) | Measure::EveryYear(_)) => {
                        scale.to_state(v).expect("validated")
                    }
                    (CheckThreshold::Level(v), _) => v.ln(),
                    (CheckThreshold::Relative { factor, .. }, _) => factor.ln(),
                };
                let log_threshold = if at_least {
                    log - LOG_TOLERANCE
                } else {
                    log + LOG_TOLERANCE
                };
                Prepared {
                    check,
                    log_threshold,
                    level_threshold: log_threshold.exp(),
                    at_least,
                }
            })
            .collect();
        let draws = sim.members.len() > 1 || sim.members.iter().any(|m| m.process.uses_shocks());
        Kernel {
            sim,
            streams: PathStreams::new(sim.seed, sim.stream),
            prepared,
            log_starts: sim
                .members
                .iter()
                .map(|m| m.scale.to_state(m.start).expect("validated"))
                .collect(),
            scales: sim.members.iter().map(|m| m.scale).collect(),
            affine: sim
                .members
                .iter()
                .map(|m| m.process.affine_log_growth())
                .collect(),
            draws,
        }
    }

    fn k(&self) -> usize {
        self.sim.members.len()
    }

    fn scratch(&self) -> Scratch {
        let (k, t) = (self.k(), self.sim.years);
        Scratch {
            streams: LaneStreams::default(),
            shocks: vec![0.0; k * t * LANES],
            lanes: vec![0.0; k * (t + 1) * LANES],
            total: [0.0; LANES],
        }
    }

    fn zero_counts(&self) -> Vec<CheckCounts> {
        vec![CheckCounts::zero(self.sim.years); self.prepared.len()]
    }

    /// The states of indicator `i` at step `s` for the block's paths.
    #[inline(always)]
    fn lane<'a>(&self, lanes: &'a [f64], i: usize, s: usize, len: usize) -> &'a [f64] {
        let at = (i * (self.sim.years + 1) + s) * LANES;
        &lanes[at..at + len]
    }

    /// The states of indicator `i` at step `s`, every lane of the block (lanes from the
    /// block's length on hold an earlier block's states).
    #[inline(always)]
    fn row<'a>(&self, lanes: &'a [f64], i: usize, s: usize) -> &'a [f64; LANES] {
        self.lane(lanes, i, s, LANES)
            .try_into()
            .expect("rows of LANES")
    }

    /// Draws the paths `first..first + LANES` into the scratch lanes. Each path's draws
    /// come from its own stream in the order a path-by-path loop would make them: the
    /// shocks of indicator 0 year by year, then those of indicator 1, ..., then any
    /// further draws of the processes, indicator by indicator.
    #[inline(always)]
    fn draw(&self, first: u64, scratch: &mut Scratch) {
        let (k, t) = (self.k(), self.sim.years);
        let Scratch {
            streams,
            shocks,
            lanes,
            ..
        } = scratch;
        streams.seed(&self.streams, first);
        if self.draws {
            streams.normal_rows(shocks);
        }
        if let Some(l) = &self.sim.cholesky {
            // z_i = Σ_{j≤i} L_ij ε_j, in place from the last indicator down.
            for i in (0..k).rev() {
                for year in 0..t {
                    for p in 0..LANES {
                        let z: f64 = (0..=i)
                            .map(|j| l[[i, j]] * shocks[(j * t + year) * LANES + p])
                            .sum();
                        shocks[(i * t + year) * LANES + p] = z;
                    }
                }
            }
        }
        for (i, m) in self.sim.members.iter().enumerate() {
            let growth = &mut shocks[i * t * LANES..(i + 1) * t * LANES];
            // An affine process's log-growths are made in the cumulation's own pass.
            let affine = self.affine[i];
            if affine.is_none() {
                lane_log_growth(m.process, streams, growth);
            }
            let lanes = &mut lanes[i * (t + 1) * LANES..(i + 1) * (t + 1) * LANES];
            lanes[..(m.offset + 1) * LANES].fill(self.log_starts[i]);
            for s in m.offset + 1..=t {
                let (before, after) = lanes.split_at_mut(s * LANES);
                let previous = &before[(s - 1) * LANES..];
                let r = &growth[(s - 1) * LANES..s * LANES];
                let after = after[..LANES].iter_mut().zip(previous).zip(r);
                match affine {
                    Some((drift, sigma)) => {
                        for ((x, &b), &z) in after {
                            *x = b + (drift + sigma * z);
                        }
                    }
                    None => {
                        for ((x, &b), &r) in after {
                            *x = b + r;
                        }
                    }
                }
            }
        }
    }

    /// Draws paths `first..first + len` (len ≤ [`LANES`]) into the scratch lanes and
    /// tallies every check.
    #[inline(always)]
    fn block(&self, first: u64, len: usize, scratch: &mut Scratch, counts: &mut [CheckCounts]) {
        self.draw(first, scratch);
        for (prepared, c) in self.prepared.iter().zip(counts.iter_mut()) {
            self.tally(prepared, scratch, len, c);
        }
    }

    /// Evaluates one check on the block's paths, year by year.
    #[inline(always)]
    fn tally(
        &self,
        prepared: &Prepared,
        scratch: &mut Scratch,
        len: usize,
        counts: &mut CheckCounts,
    ) {
        let c = &prepared.check;
        let (at_least, threshold) = (prepared.at_least, prepared.log_threshold);
        let Scratch { lanes, total, .. } = scratch;
        total.fill(0.0);
        let every_year = matches!(
            c.measure,
            Measure::EveryYear(_) | Measure::EveryYearGrowth(_)
        );
        // Bit p of a mask is path p of the block; lanes from `len` on are not paths.
        const _: () = assert!(LANES <= u64::BITS as usize);
        let paths = u64::MAX >> (LANES - len);
        // Paths on which the condition held in an earlier year, in every year so far.
        let (mut seen, mut all) = (0u64, paths);
        let mut holds_at_deadline = 0;
        for s in c.from_step..=c.deadline_step {
            // Does the condition hold in step s? Every lane is compared (the lanes past
            // `len` hold an earlier block's states), then the paths are kept.
            let holds = paths
                & match (c.measure, c.threshold) {
                    (Measure::Level(i) | Measure::EveryYear(i), CheckThreshold::Level(_)) => {
                        let x = self.row(lanes, i, s);
                        lane_mask(|p| meets(at_least, x[p], threshold))
                    }
                    (Measure::Level(i), CheckThreshold::Relative { step, .. }) => {
                        let (x, base) = (self.row(lanes, i, s), self.row(lanes, i, step));
                        lane_mask(|p| meets(at_least, x[p] - base[p], threshold))
                    }
                    (
                        Measure::Ratio {
                            numerator,
                            denominator,
                        },
                        th,
                    ) => {
                        let (a, b) = (
                            self.row(lanes, numerator, s),
                            self.row(lanes, denominator, s),
                        );
                        let base = match th {
                            CheckThreshold::Relative { step, .. } => Some((
                                self.row(lanes, numerator, step),
                                self.row(lanes, denominator, step),
                            )),
                            CheckThreshold::Level(_) => None,
                        };
                        lane_mask(|p| {
                            let base = base.map_or(0.0, |(a, b)| a[p] - b[p]);
                            meets(at_least, a[p] - b[p] - base, threshold)
                        })
                    }
                    (Measure::Cumulative(i), _) => {
                        let (scale, x) = (self.scales[i], self.row(lanes, i, s));
                        for (t, &x) in total.iter_mut().zip(x) {
                            *t += scale.to_level(x);
                        }
                        lane_mask(|p| meets(at_least, total[p], prepared.level_threshold))
                    }
                    (Measure::EveryYearGrowth(i), _) => {
                        let (x, before) = (self.row(lanes, i, s), self.row(lanes, i, s - 1));
                        lane_mask(|p| meets(at_least, x[p] - before[p], threshold))
                    }
                    (Measure::EveryYear(_), CheckThreshold::Relative { .. }) => {
                        unreachable!("validated")
                    }
                };
            let holding = u64::from(holds.count_ones());
            counts.holds_in_year[s] += holding;
            if !every_year {
                // For every-year measures the first year does not apply.
                counts.first_reached[s] += u64::from((holds & !seen).count_ones());
            }
            seen |= holds;
            all &= holds;
            holds_at_deadline = holding;
        }
        if every_year {
            counts.at_deadline += u64::from(all.count_ones());
        } else {
            counts.at_deadline += holds_at_deadline;
        }
    }

    /// The paths of chunk `chunk` of the slice `paths`: [`CHUNK_PATHS`] of them from
    /// `paths.start`, the last chunk shorter.
    fn chunk_paths(chunk: usize, paths: &Range<usize>) -> Range<usize> {
        let first = paths.start + chunk * CHUNK_PATHS;
        first..(first + CHUNK_PATHS).min(paths.end)
    }

    /// Runs the paths of one chunk, block by block, handing each block's lanes to `sink`
    /// with the block's position in the chunk.
    fn chunk(
        &self,
        paths: Range<usize>,
        scratch: &mut Scratch,
        counts: &mut [CheckCounts],
        mut sink: impl FnMut(&[f64], usize, usize),
    ) -> usize {
        let Range { start: first, end } = paths;
        scratch.streams.isa().run(
            #[inline(always)]
            || {
                for start in (first..end).step_by(LANES) {
                    let len = LANES.min(end - start);
                    self.block(start as u64, len, scratch, counts);
                    sink(&scratch.lanes, start - first, len);
                }
            },
        );
        end - first
    }

    /// Draws the paths `paths` (a slice of the run's, or all of them) and tallies the
    /// checks, keeping what the quantiles need: every path's state (exact mode, or kept
    /// paths) or histogram counts over `bins` ([`Kernel::bins`]).
    pub(super) fn gather(
        &self,
        paths: Range<usize>,
        bins: &[LogBins],
    ) -> (Vec<CheckCounts>, Tally) {
        match self.sim.chosen_mode() {
            QuantileMode::Exact if self.sim.keep_paths || !self.sim.probs.is_empty() => {
                let (counts, levels) = self.gather_exact(paths);
                (counts, Tally::Exact(levels))
            }
            _ => {
                let (counts, hist) = self.gather_streaming(paths, bins);
                let counters = bins_width(bins);
                (
                    counts,
                    Tally::Histograms {
                        counters,
                        counts: hist,
                    },
                )
            }
        }
    }

    /// The quantiles (and kept paths) from what [`Kernel::gather`] kept, over one slice
    /// or over all the run's paths put together.
    pub(super) fn finish(
        &self,
        tally: Tally,
        bins: &[LogBins],
    ) -> (Vec<Array2<f64>>, Option<Array3<f64>>) {
        match tally {
            Tally::Exact(levels) => self.finish_exact(levels),
            Tally::Histograms { counts, .. } => (self.finish_streaming(bins, &counts), None),
        }
    }

    /// Exact mode: states stored by (indicator, year, path).
    fn gather_exact(&self, paths: Range<usize>) -> (Vec<CheckCounts>, Array3<f64>) {
        let (k, t) = (self.k(), self.sim.years);
        let mut levels = Array3::<f64>::zeros((k, t, paths.len()));
        let counts = levels
            .axis_chunks_iter_mut(Axis(2), CHUNK_PATHS)
            .into_par_iter()
            .enumerate()
            .fold(
                || (self.zero_counts(), self.scratch()),
                |(mut counts, mut scratch), (chunk, mut store): (usize, ArrayViewMut3<f64>)| {
                    self.chunk(
                        Self::chunk_paths(chunk, &paths),
                        &mut scratch,
                        &mut counts,
                        #[inline(always)]
                        |lanes, offset, len| {
                            for i in 0..k {
                                for year in 0..t {
                                    let mut indicator = store.index_axis_mut(Axis(0), i);
                                    let mut lane = indicator.index_axis_mut(Axis(0), year);
                                    let dst =
                                        lane.as_slice_mut().expect("the last axis is contiguous");
                                    dst[offset..offset + len].copy_from_slice(self.lane(
                                        lanes,
                                        i,
                                        year + 1,
                                        len,
                                    ));
                                }
                            }
                        },
                    );
                    (counts, scratch)
                },
            )
            .map(|(counts, _)| counts)
            .reduce(|| self.zero_counts(), merge_counts);
        (counts, levels)
    }

    /// Exact quantiles by selection over every (indicator, year) lane of `levels`.
    fn finish_exact(&self, mut levels: Array3<f64>) -> (Vec<Array2<f64>>, Option<Array3<f64>>) {
        let (t, n) = (self.sim.years, levels.len_of(Axis(2)));
        // Quantiles of every (indicator, year) lane, lanes in parallel. Selection reorders
        // a lane, so per-path values that must be kept are copied first.
        let quantile_rows = |(cell, lane): (usize, &mut [f64])| {
            let m = &self.sim.members[cell / t];
            let (scale, integer) = (m.scale, m.integer);
            quantiles_type7_by(lane, &self.sim.probs, |x| {
                let level = scale.to_level(x);
                if integer { level.round() } else { level }
            })
        };
        let storage = levels.as_slice_mut().expect("a fresh array is contiguous");
        let rows: Vec<Vec<f64>> = if self.sim.keep_paths {
            let mut copy = storage.to_vec();
            copy.par_chunks_mut(n.max(1))
                .enumerate()
                .map(quantile_rows)
                .collect()
        } else {
            storage
                .par_chunks_mut(n.max(1))
                .enumerate()
                .map(quantile_rows)
                .collect()
        };
        let mut quantiles = self.start_rows();
        for (cell, row) in rows.iter().enumerate() {
            quantiles[cell / t]
                .row_mut(cell % t + 1)
                .assign(&ndarray::ArrayView1::from(row));
        }
        (quantiles, self.sim.keep_paths.then_some(levels))
    }

    /// The streaming histograms' bins, per (indicator, year): set from the range of the
    /// whole run's first [`PILOT_PATHS`] paths, whichever slice is drawn; none when the
    /// run reports no quantiles or exact ones.
    pub(super) fn bins(&self) -> Vec<LogBins> {
        if self.sim.chosen_mode() != QuantileMode::Streaming || self.sim.probs.is_empty() {
            return Vec::new();
        }
        let whole = usize::try_from(self.sim.paths).unwrap_or(usize::MAX);
        self.pilot_bins(whole.min(PILOT_PATHS))
    }

    /// Streaming mode: per-(indicator, year) histograms of states; memory does not grow
    /// with the number of paths. Also serves runs that ask for no quantiles.
    fn gather_streaming(
        &self,
        paths: Range<usize>,
        bins: &[LogBins],
    ) -> (Vec<CheckCounts>, Vec<u32>) {
        let (k, t) = (self.k(), self.sim.years);
        let width = bins_width(bins);
        let chunks = paths.len().div_ceil(CHUNK_PATHS);
        // Counts fit in u32: a bin holds at most N paths, and N is checked against it.
        let zero = || {
            (
                self.zero_counts(),
                vec![0u32; k * t * width],
                vec![0u16; bins.len() * CHUNK_PATHS],
                self.scratch(),
            )
        };
        let workers = per_worker(0..chunks, zero, |chunk, (counts, hist, index, scratch)| {
            let len = self.chunk(
                Self::chunk_paths(chunk, &paths),
                scratch,
                counts,
                #[inline(always)]
                |lanes, at, len| {
                    for (cell, b) in bins.iter().enumerate() {
                        let (i, year) = (cell / t, cell % t);
                        let index = &mut index[cell * CHUNK_PATHS + at..][..len];
                        b.index_into(self.lane(lanes, i, year + 1, len), index);
                    }
                },
            );
            // One (indicator, year) at a time, so that its counters stay in L1.
            for (cell, b) in bins.iter().enumerate() {
                b.count_bins(
                    &index[cell * CHUNK_PATHS..][..len],
                    &mut hist[cell * width..][..b.len()],
                );
            }
        });
        // Added up in place (no total exceeds N, checked against u32 in `validate`).
        let (counts, hist) = workers
            .into_iter()
            .map(|(counts, hist, _, _)| (counts, hist))
            .reduce(|(c1, mut h1), (c2, h2)| {
                h1.iter_mut().zip(h2).for_each(|(a, b)| *a += b);
                (merge_counts(c1, c2), h1)
            })
            .unwrap_or_else(|| (self.zero_counts(), vec![0; k * t * width]));
        (counts, hist)
    }

    /// Quantiles from the histograms `hist` over `bins` (see [`Kernel::gather`]).
    fn finish_streaming(&self, bins: &[LogBins], hist: &[u32]) -> Vec<Array2<f64>> {
        let t = self.sim.years;
        let width = bins_width(bins);
        let mut quantiles = self.start_rows();
        if width > 0 {
            for (i, q) in quantiles.iter_mut().enumerate() {
                for year in 0..t {
                    let cell = i * t + year;
                    let m = &self.sim.members[i];
                    let (scale, integer) = (m.scale, m.integer);
                    let row = bins[cell].quantiles(
                        &hist[cell * width..][..bins[cell].len()],
                        &self.sim.probs,
                        |x| {
                            let level = scale.to_level(x);
                            if integer { level.round() } else { level }
                        },
                    );
                    q.row_mut(year + 1).assign(&ndarray::ArrayView1::from(&row));
                }
            }
        }
        quantiles
    }

    /// Histogram layouts per (indicator, year) from the range of the first `pilot` paths.
    fn pilot_bins(&self, pilot: usize) -> Vec<LogBins> {
        let (k, t) = (self.k(), self.sim.years);
        let mut lo = vec![f64::INFINITY; k * t];
        let mut hi = vec![f64::NEG_INFINITY; k * t];
        let mut scratch = self.scratch();
        let mut ignored = self.zero_counts();
        self.chunk(0..pilot, &mut scratch, &mut ignored, |lanes, _, len| {
            for cell in 0..k * t {
                for &x in self.lane(lanes, cell / t, cell % t + 1, len) {
                    lo[cell] = lo[cell].min(x);
                    hi[cell] = hi[cell].max(x);
                }
            }
        });
        lo.iter()
            .zip(&hi)
            .map(|(&a, &b)| LogBins::for_streaming(a, b))
            .collect()
    }

    /// One quantile table per indicator with the start level in row 0.
    fn start_rows(&self) -> Vec<Array2<f64>> {
        self.sim
            .members
            .iter()
            .map(|m| {
                let mut q = Array2::zeros((self.sim.years + 1, self.sim.probs.len()));
                q.row_mut(0).fill(m.start);
                q
            })
            .collect()
    }
}

/// Runs `work` on every chunk of `chunks` in parallel, each worker thread accumulating
/// into one value of its own (made by `zero` when the thread first takes a chunk), and
/// returns those values. Chunks are taken one at a time, so the threads stay busy to the
/// end, while accumulators are made and merged only once per thread. Which chunks a
/// thread ran varies from run to run: accumulate only what adds up the same in any
/// grouping (integer counts).
/// Counters per (indicator, year) of a histogram buffer: the widest of `bins` (bins are
/// as narrow as the accuracy needs, so their number varies with each cell's range).
fn bins_width(bins: &[LogBins]) -> usize {
    bins.iter().map(LogBins::len).max().unwrap_or(0)
}

fn per_worker<A: Send>(
    chunks: Range<usize>,
    zero: impl Fn() -> A + Sync,
    work: impl Fn(usize, &mut A) + Sync,
) -> Vec<A> {
    let slots: Vec<Mutex<Option<A>>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new(None))
        .collect();
    chunks.into_par_iter().for_each(|chunk| {
        // Each pool thread has its own slot; the lock is never contended (a chunk does
        // not wait on other rayon work while it runs).
        let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
        let mut acc = slots[slot].lock().expect("a worker panicked");
        work(chunk, acc.get_or_insert_with(&zero));
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().expect("a worker panicked"))
        .collect()
}

fn merge_counts(mut a: Vec<CheckCounts>, b: Vec<CheckCounts>) -> Vec<CheckCounts> {
    for (x, y) in a.iter_mut().zip(&b) {
        x.add(y);
    }
    a
}

/// The mask of the lanes where `holds` is true: bit p for lane p. Written as one
/// comparison per lane, which compiles to vector compares and their sign masks.
#[inline(always)]
fn lane_mask(mut holds: impl FnMut(usize) -> bool) -> u64 {
    (0..LANES).fold(0, |mask, p| mask | (u64::from(holds(p)) << p))
}

/// A process's log-growths for a block of [`LANES`] paths, as the engine lays them out:
/// `buf[y·LANES + p]` is path p's shock of year y+1 on entry and its log-growth on
/// return, and path p's further randomness comes from lane p of `streams`, which is left
/// where path p's generator stands afterwards. Makes every lane's
/// [`GrowthProcess::path_draw`] and applies its (a, b) row by row, or else applies
/// [`GrowthProcess::log_growth_from_shocks`] path by path (affine processes never come
/// here: the cumulation adds their growth itself), so the lane layout stays inside the
/// engine.
fn lane_log_growth<P: GrowthProcess + ?Sized>(
    process: &P,
    streams: &mut LaneStreams,
    buf: &mut [f64],
) {
    let years = buf.len() / LANES;
    // One path's years: on the stack for horizons up to 128 years.
    let (mut stack, mut heap) = ([0.0; 128], Vec::new());
    let path = if years <= stack.len() {
        &mut stack[..years]
    } else {
        heap.resize(years, 0.0);
        &mut heap[..]
    };
    streams.prepare_further_draws();
    // A path-affine process: every lane's draw, then their (a, b), then a + b·z row by
    // row.
    let mut draws = [[0.0; 2]; LANES];
    let mut affine = true;
    for (p, draw) in draws.iter_mut().enumerate() {
        let Some(d) = process.path_draw(&mut streams.further(p)) else {
            affine = false;
            break;
        };
        *draw = d;
    }
    if affine {
        let (mut a, mut b) = ([0.0; LANES], [0.0; LANES]);
        for ((a, b), &draw) in a.iter_mut().zip(&mut b).zip(&draws) {
            (*a, *b) = process.path_affine(draw);
        }
        for row in buf.chunks_exact_mut(LANES) {
            for ((x, &a), &b) in row.iter_mut().zip(&a).zip(&b) {
                *x = a + b * *x;
            }
        }
        return;
    }
    for p in 0..LANES {
        let mut rng = streams.rng(p);
        for (y, v) in path.iter_mut().enumerate() {
            *v = buf[y * LANES + p];
        }
        process.log_growth_from_shocks(&mut rng, path);
        for (y, &v) in path.iter().enumerate() {
            buf[y * LANES + p] = v;
        }
        streams.set_rng(p, &rng);
    }
}

#[cfg(test)]
mod tests {
    use rand_core::Rng;

    use super::lane_log_growth;
    use crate::process::{GrowthProcess, RareShockGrowth, UncertainGrowth};
    use crate::random::{LANES, LaneStreams, PathStreams, stream_id};

    /// The engine's lanes (shocks drawn together, then `lane_log_growth`) against
    /// `process` drawn path by path from each path's own stream: the same bits, and each
    /// lane's generator left where the path's stands.
    fn lanes_equal_paths<P: GrowthProcess>(process: &P, key: &str) {
        let streams = PathStreams::new(3, stream_id(key));
        let years = 9;
        let mut lanes = LaneStreams::default();
        lanes.seed(&streams, 100);
        // Drawn with the engine's vectorised code (`normals` above is compiled for the
        // baseline instruction set of this test): both must match the reference.
        let mut block = vec![0.0; years * LANES];
        lanes.fill_normals(&mut block);
        lane_log_growth(process, &mut lanes, &mut block);
        for p in 0..LANES {
            let mut rng = streams.path(100 + p as u64);
            let mut path = vec![0.0; years];
            process.sample_log_growth(&mut rng, &mut path);
            for (y, &v) in path.iter().enumerate() {
                assert_eq!(
                    block[y * LANES + p].to_bits(),
                    v.to_bits(),
                    "{key}: lane {p}, year {y}"
                );
            }
            assert_eq!(lanes.rng(p).next_u64(), rng.next_u64(), "{key}: lane {p}");
        }
    }

    #[test]
    fn processes_with_further_draws_give_the_same_paths_lane_by_lane() {
        // Drawn path by path (jumps) ...
        lanes_equal_paths(&RareShockGrowth::new(0.08, 0.05, 0.2, 0.3).unwrap(), "rare");
        // ... and every lane's draw first, then (a, b) together (`path_draw`), with σ
        // uncertain and fixed.
        for df in [Some(7.0), Some(0.6), None] {
            let process = UncertainGrowth::new(0.08, 0.03, 0.05, df).unwrap();
            assert!(
                process
                    .path_draw(&mut PathStreams::new(1, 1).path(0))
                    .is_some()
            );
            lanes_equal_paths(&process, &format!("uncertain {df:?}"));
        }
    }
}

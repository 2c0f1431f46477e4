//! Sharded runs on disk: `goalcast run … --shard I/N` writes a shard folder, and
//! `goalcast merge --out DIR SHARD_DIR…` turns the N folders into exactly the files the
//! unsharded run writes.
//!
//! A shard runs every simulation of the run (the base scenario, then each variant, in
//! the order the unsharded run does) on its slice of the paths
//! ([`Shard::range`](crate::sim::Shard::range)) and records what the merge needs
//! ([`Partial`]). The merge reads the same inputs, checks them against the hashes the
//! shards recorded, and runs the same code as `goalcast run` (the same
//! [`FileRun`](super::FileRun)), each simulation adding the shards' partials instead
//! of drawing; so every table, chart, workbook, page and the manifest come out byte for
//! byte as the unsharded run's.
//!
//! # The shard folder (format version 1)
//!
//! - `shard.json` ([`ShardHeader`]): the format and its version, goalcast's version, the
//!   random stream contract, `shard` of `shards`, the run (input files as given with
//!   their SHA-256, seed, paths, quantile method, title, outputs asked for), and the
//!   number of simulations, size and SHA-256 of `partials.bin`.
//! - `partials.bin`: little-endian binary. The magic bytes `GCSHARD\0`, then `u32`
//!   format version, `u32` shard, `u32` shards; then one record per simulation, in the
//!   order they ran:
//!
//!   | field | type |
//!   |---|---|
//!   | fingerprint of the simulation ([`Partial::fingerprint_of`]) | `u64` |
//!   | paths of the whole simulation, first path, end of the slice | 3 × `u64` |
//!   | indicators k, years T, checks C | 3 × `u32` |
//!   | body kind: 1 per-path levels, 2 histograms | `u32` |
//!   | per check: paths meeting it at the deadline, then T+1 first-reached counts, then T+1 holds-in-year counts | `u64`s |
//!   | kind 1: every path's log-level (IEEE 754 bits), indicator by indicator, year by year, path by path | k·T·(end − first) × `f64` |
//!   | kind 2: counters per histogram H (0: no quantiles), then per indicator and year its H counts | `u32`, k·T·H × `u32` |
//!
//! - `manifest.json`: the shard folder's own manifest (what wrote it, its files' hashes),
//!   which also lets a later shard run replace the folder safely ([`super::staging`]).
//!
//! The quantile method is an input of the format: it is the run's (`--quantiles`), the
//! same for every shard whatever its slice, and each record's body says which one its
//! simulation used. A new format version is a new `FORMAT_VERSION`; the merge refuses
//! any other.
//!
//! # What a shard cannot do
//! `--analysis` and `--se-target-pct` choose further simulations from the results of
//! earlier ones (bisection, extension until a precision is met): a shard does not know
//! the whole run's results, so both are refused under `--shard`; run them unsharded.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ndarray::Array3;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::manifest::InputFile;
use super::{FileRun, Loaded};
use crate::assess::{Assessment, Observer, SHARE_FAN_PATHS};
use crate::error::{Error, Result};
use crate::io::write_atomic;
use crate::sim::{
    CheckCounts, GENERATOR, Partial, QuantileMode, Recorder, Replay, Shard, Sharding, Tally,
};

/// The format's name, in `shard.json`.
pub const FORMAT: &str = "goalcast-shard";
/// The format's version; the merge refuses shards of any other.
pub const FORMAT_VERSION: u32 = 1;
/// The header of a shard folder.
pub const HEADER: &str = "shard.json";
/// The partial results of a shard folder.
pub const PARTIALS: &str = "partials.bin";
/// The first bytes of `partials.bin`.
const MAGIC: &[u8; 8] = b"GCSHARD\0";
/// Body kinds of a record.
const BODY_EXACT: u32 = 1;
const BODY_HISTOGRAMS: u32 = 2;

/// `shard.json`: what a shard folder holds and the run it is a part of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardHeader {
    /// [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// goalcast version that wrote the shard.
    pub goalcast_version: String,
    /// Random stream contract ([`GENERATOR`]).
    pub generator: String,
    /// Which shard (1-based).
    pub shard: u32,
    /// How many shards the run is split into.
    pub shards: u32,
    /// The run, the same for every shard.
    pub run: ShardRun,
    /// Simulations recorded in `partials.bin`.
    pub simulations: u64,
    /// Size of `partials.bin` in bytes.
    pub partials_bytes: u64,
    /// Hex SHA-256 of `partials.bin`.
    pub partials_sha256: String,
}

/// The run a shard is a part of: everything `goalcast merge` needs to write its files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardRun {
    /// Catalogue CSV, as given.
    pub catalogue: PathBuf,
    /// History CSV, as given.
    pub history: Option<PathBuf>,
    /// Overrides TOML, as given.
    pub overrides: Option<PathBuf>,
    /// Scenario TOML, as given.
    pub scenario: Option<PathBuf>,
    /// Jurisdictions CSV of the consistency check, as given.
    pub jurisdictions: Option<PathBuf>,
    /// Every input file above with its SHA-256.
    pub inputs: Vec<InputFile>,
    /// Dashboard title (Chinese, English).
    pub title: (String, String),
    /// Paths of the whole run.
    pub paths: u64,
    /// Seed.
    pub seed: u64,
    /// Quantile method of the whole run: `exact` or `streaming`.
    pub quantiles: String,
    /// `--as-of`.
    pub as_of: Option<i32>,
    /// `--report`.
    pub report_html: bool,
    /// `--csv-bom`.
    pub csv_bom: bool,
}

/// The most shards a run may be split into: every simulation must give each shard at
/// least one path, and a share's fan simulates at most [`SHARE_FAN_PATHS`].
pub fn max_shards(paths: u64) -> u64 {
    paths.min(SHARE_FAN_PATHS)
}

fn shard_error(path: &Path, reason: impl std::fmt::Display) -> Error {
    Error::Shard {
        path: Some(path.to_path_buf()),
        reason: reason.to_string(),
    }
}

fn quantiles_name(mode: QuantileMode) -> &'static str {
    match mode {
        QuantileMode::Exact => "exact",
        QuantileMode::Streaming => "streaming",
        QuantileMode::Auto => "auto",
    }
}

fn quantiles_of(name: &str, header: &Path) -> Result<QuantileMode> {
    match name {
        "exact" => Ok(QuantileMode::Exact),
        "streaming" => Ok(QuantileMode::Streaming),
        "auto" => Ok(QuantileMode::Auto),
        other => Err(shard_error(
            header,
            format!("unknown quantile method `{other}` (exact or streaming)"),
        )),
    }
}

impl FileRun {
    /// The run's description as a shard records it, with its inputs' hashes.
    fn shard_run(&self, inputs: &Loaded) -> Result<ShardRun> {
        let mut files = self.files();
        files.extend(self.extras.jurisdictions.as_deref());
        Ok(ShardRun {
            catalogue: self.catalogue.clone(),
            history: self.history.clone(),
            overrides: self.overrides.clone(),
            scenario: self.scenario.clone(),
            jurisdictions: self.extras.jurisdictions.clone(),
            inputs: super::hash_inputs(&files)?,
            title: self.title.clone(),
            paths: self.settings.paths,
            seed: self.settings.seed,
            quantiles: quantiles_name(self.chosen_settings(inputs).quantiles).into(),
            as_of: self.as_of,
            report_html: self.extras.report_html,
            csv_bom: self.extras.csv_bom,
        })
    }

    /// Runs shard `shard` of this run into `out` (a shard folder, see the module docs):
    /// every simulation on its slice of the paths. Refuses the analysis, a standard-error
    /// target, and more shards than [`max_shards`]. Returns the header and the files.
    pub fn run_shard(&self, shard: Shard) -> Result<(ShardHeader, Vec<PathBuf>)> {
        self.run_shard_observed(shard, &super::status::Silent)
    }

    /// [`FileRun::run_shard`], telling `observer` of the simulations.
    pub fn run_shard_observed(
        &self,
        shard: Shard,
        observer: &dyn Observer,
    ) -> Result<(ShardHeader, Vec<PathBuf>)> {
        let refuse = |reason: String| Error::Shard { path: None, reason };
        if self.settings.analysis {
            return Err(refuse(format!(
                "--shard {shard}: --analysis cannot be sharded (it chooses further \
                 simulations from earlier results); run the analysis without --shard"
            )));
        }
        if self.se_target.is_some() {
            return Err(refuse(format!(
                "--shard {shard}: --se-target-pct cannot be sharded (the run grows until \
                 a precision the whole run reaches); give --paths instead"
            )));
        }
        let most = max_shards(self.settings.paths);
        if u64::from(shard.count()) > most {
            return Err(refuse(format!(
                "--shard {shard}: at most {most} shards for {} paths (every shard needs \
                 paths of every simulation)",
                self.settings.paths
            )));
        }
        let inputs = self.load()?;
        let run = self.shard_run(&inputs)?;
        let slice = shard.range(self.settings.paths);
        self.preflight(&inputs, slice.end - slice.start)?;
        let staging = super::staging::Staging::begin(&self.out)?;
        let dir = staging.dir();
        let writer = PartialWriter::create(&dir.join(PARTIALS), shard)?;
        let runs = self.assess_all(&inputs, observer, Some(Sharding::Shard(shard, &writer)))?;
        let (simulations, partials_bytes, partials_sha256) = writer.finish()?;
        let header = ShardHeader {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            goalcast_version: env!("CARGO_PKG_VERSION").into(),
            generator: GENERATOR.into(),
            shard: shard.index(),
            shards: shard.count(),
            run,
            simulations,
            partials_bytes,
            partials_sha256,
        };
        let path = dir.join(HEADER);
        let mut bytes = serde_json::to_vec_pretty(&header)
            .map_err(|e| Error::io(&path, std::io::Error::other(e.to_string())))?;
        bytes.push(b'\n');
        write_atomic(&path, &bytes)?;
        let files = self.files();
        let report_inputs = self.report_inputs(&inputs, &files);
        let written = [dir.join(PARTIALS), path];
        super::write_run_manifest(&runs[0].1, &report_inputs, &written, dir)?;
        let (_, written) = self.commit(staging, runs)?;
        Ok((header, written))
    }
}

/// Merges the shard folders `shards` (one per shard of one run, in any order) into
/// `out`: exactly the files the unsharded run writes. Refuses, naming the folder, a
/// shard of another run (inputs, seed, paths, quantiles, options), of another format or
/// goalcast version or stream contract, a damaged shard, a missing or repeated shard,
/// and inputs changed since the shards ran. Returns the assessment and the files.
pub fn merge(out: &Path, shards: &[PathBuf]) -> Result<(Assessment, Vec<PathBuf>)> {
    merge_observed(out, shards, &super::status::Silent)
}

/// [`merge`], telling `observer` of its progress.
pub fn merge_observed(
    out: &Path,
    shards: &[PathBuf],
    observer: &dyn Observer,
) -> Result<(Assessment, Vec<PathBuf>)> {
    let headers = check_shards(shards)?;
    let (_, first) = &headers[0];
    let run = &first.run;
    for input in &run.inputs {
        let now = InputFile::hash(Path::new(&input.path))?;
        if now.sha256 != input.sha256 {
            return Err(shard_error(
                Path::new(&input.path),
                "this input changed after the shards ran (its SHA-256 differs from the \
                 one they recorded): run the shards again, or restore the file",
            ));
        }
    }
    let file_run = FileRun {
        catalogue: run.catalogue.clone(),
        history: run.history.clone(),
        overrides: run.overrides.clone(),
        scenario: run.scenario.clone(),
        out: out.to_path_buf(),
        title: run.title.clone(),
        settings: crate::sim::RunSettings {
            paths: run.paths,
            seed: run.seed,
            quantiles: quantiles_of(&run.quantiles, &shards[0].join(HEADER))?,
            analysis: false,
        },
        se_target: None,
        as_of: run.as_of,
        max_memory: None,
        extras: super::Extras {
            report_html: run.report_html,
            csv_bom: run.csv_bom,
            jurisdictions: run.jurisdictions.clone(),
        },
    };
    let replay = PartialReaders::open(&headers)?;
    file_run.run_sharded(observer, Some(Sharding::Merge(&replay)), || replay.finish())
}

/// Reads every shard's header and checks they are the shards 1..=N of one run, each
/// once, with intact partials; returns them in shard order with their folders.
fn check_shards(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, ShardHeader)>> {
    let first_dir = dirs.first().ok_or_else(|| Error::Shard {
        path: None,
        reason: "no shard folder given".into(),
    })?;
    let mut headers = Vec::with_capacity(dirs.len());
    for dir in dirs {
        headers.push((dir.clone(), read_header(dir)?));
    }
    let (_, first) = &headers[0];
    let first_run = serde_json::to_value(&first.run).expect("a header serialises");
    for (dir, h) in &headers {
        let same = [
            (
                "format",
                h.format == FORMAT,
                FORMAT.to_string(),
                h.format.clone(),
            ),
            (
                "format version",
                h.format_version == FORMAT_VERSION,
                FORMAT_VERSION.to_string(),
                h.format_version.to_string(),
            ),
            (
                "goalcast version",
                h.goalcast_version == env!("CARGO_PKG_VERSION"),
                env!("CARGO_PKG_VERSION").into(),
                h.goalcast_version.clone(),
            ),
            (
                "random stream contract",
                h.generator == GENERATOR,
                GENERATOR.into(),
                h.generator.clone(),
            ),
            (
                "number of shards",
                h.shards == first.shards,
                first.shards.to_string(),
                h.shards.to_string(),
            ),
        ];
        if let Some((what, _, want, found)) = same.iter().find(|(_, ok, _, _)| !ok) {
            return Err(shard_error(
                dir,
                format!(
                    "{what} is {found}, not {want} (this goalcast, or {})",
                    first_dir.display()
                ),
            ));
        }
        let run = serde_json::to_value(&h.run).expect("a header serialises");
        if let (Some(a), Some(b)) = (first_run.as_object(), run.as_object())
            && let Some((key, value)) = b.iter().find(|(k, v)| a.get(*k) != Some(*v))
        {
            return Err(shard_error(
                dir,
                format!(
                    "a shard of another run: its `{key}` is {value}, {}'s is {} \
                     (shards of one run share inputs, seed, paths, quantiles and options)",
                    first_dir.display(),
                    a.get(key)
                        .map_or_else(|| "missing".into(), ToString::to_string)
                ),
            ));
        }
    }
    let n = first.shards;
    let mut by_index: Vec<Option<&PathBuf>> = vec![None; n as usize];
    for (dir, h) in &headers {
        let slot = h
            .shard
            .checked_sub(1)
            .and_then(|i| by_index.get_mut(i as usize))
            .ok_or_else(|| {
                shard_error(dir, format!("shard {} of {n} is not in 1..={n}", h.shard))
            })?;
        if let Some(other) = slot {
            return Err(shard_error(
                dir,
                format!(
                    "shard {}/{n} is given twice: here and in {}",
                    h.shard,
                    other.display()
                ),
            ));
        }
        *slot = Some(dir);
    }
    if let Some(missing) = by_index.iter().position(Option::is_none) {
        return Err(Error::Shard {
            path: None,
            reason: format!(
                "shard {}/{n} is missing: give all {n} shard folders of the run \
                 ({} given)",
                missing + 1,
                dirs.len()
            ),
        });
    }
    for (dir, h) in &headers {
        check_partials(dir, h)?;
    }
    headers.sort_by_key(|(_, h)| h.shard);
    Ok(headers)
}

fn read_header(dir: &Path) -> Result<ShardHeader> {
    let path = dir.join(HEADER);
    let bytes = std::fs::read(&path).map_err(|e| {
        shard_error(
            dir,
            format!("not a shard folder ({HEADER} cannot be read: {e})"),
        )
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| shard_error(&path, format!("not a shard header of this version: {e}")))
}

/// Checks that `partials.bin` has the size and SHA-256 its header recorded.
fn check_partials(dir: &Path, h: &ShardHeader) -> Result<()> {
    let path = dir.join(PARTIALS);
    let mut file = File::open(&path).map_err(|e| shard_error(&path, e))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher).map_err(|e| shard_error(&path, e))?;
    let sha = format!("{:x}", hasher.finalize());
    if bytes != h.partials_bytes || sha != h.partials_sha256 {
        return Err(shard_error(
            &path,
            format!(
                "damaged: {bytes} bytes with SHA-256 {sha}, but {HEADER} recorded {} bytes \
                 with SHA-256 {}; run this shard again",
                h.partials_bytes, h.partials_sha256
            ),
        ));
    }
    Ok(())
}

/// `partials.bin` being written: records appended as the simulations run, hashed on
/// the way.
struct PartialWriter {
    path: PathBuf,
    state: Mutex<Written>,
}

struct Written {
    out: BufWriter<File>,
    hasher: Sha256,
    bytes: u64,
    records: u64,
}

impl Written {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hasher.update(bytes);
        self.bytes += bytes.len() as u64;
        self.out.write_all(bytes)
    }

    fn u32(&mut self, x: u32) -> std::io::Result<()> {
        self.put(&x.to_le_bytes())
    }

    fn u64(&mut self, x: u64) -> std::io::Result<()> {
        self.put(&x.to_le_bytes())
    }

    /// Many values at once, through a buffer of 64 KiB.
    fn many<T: Copy, const N: usize>(
        &mut self,
        xs: impl Iterator<Item = T>,
        bytes: impl Fn(T) -> [u8; N],
    ) -> std::io::Result<()> {
        let mut buffer = Vec::with_capacity(1 << 16);
        for x in xs {
            buffer.extend_from_slice(&bytes(x));
            if buffer.len() >= 1 << 16 {
                self.put(&buffer)?;
                buffer.clear();
            }
        }
        self.put(&buffer)
    }

    fn record(&mut self, p: &Partial) -> std::io::Result<()> {
        let small = |x: usize| u32::try_from(x).map_err(std::io::Error::other);
        self.u64(p.fingerprint)?;
        for x in [p.paths, p.range.start, p.range.end] {
            self.u64(x)?;
        }
        self.u32(small(p.indicators)?)?;
        self.u32(small(p.years)?)?;
        self.u32(small(p.checks.len())?)?;
        self.u32(match p.body {
            Tally::Exact(_) => BODY_EXACT,
            Tally::Histograms { .. } => BODY_HISTOGRAMS,
        })?;
        for c in &p.checks {
            self.u64(c.at_deadline)?;
            let counts = c.first_reached.iter().chain(&c.holds_in_year).copied();
            self.many(counts, u64::to_le_bytes)?;
        }
        match &p.body {
            Tally::Exact(levels) => self.many(levels.iter().map(|x| x.to_bits()), u64::to_le_bytes),
            Tally::Histograms { counters, counts } => {
                self.u32(small(*counters)?)?;
                self.many(counts.iter().copied(), u32::to_le_bytes)
            }
        }
    }
}

impl PartialWriter {
    fn create(path: &Path, shard: Shard) -> Result<Self> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let mut state = Written {
            out: BufWriter::with_capacity(1 << 20, file),
            hasher: Sha256::new(),
            bytes: 0,
            records: 0,
        };
        let mut head = || -> std::io::Result<()> {
            state.put(MAGIC)?;
            state.u32(FORMAT_VERSION)?;
            state.u32(shard.index())?;
            state.u32(shard.count())
        };
        head().map_err(|e| Error::io(path, e))?;
        Ok(PartialWriter {
            path: path.to_path_buf(),
            state: Mutex::new(state),
        })
    }

    /// Flushes the file: the number of records, its size and hex SHA-256.
    fn finish(self) -> Result<(u64, u64, String)> {
        let path = self.path;
        let state = self.state.into_inner().map_err(|_| {
            Error::io(
                &path,
                std::io::Error::other("a simulation failed while recording"),
            )
        })?;
        let file = state
            .out
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&path, e))?;
        Ok((
            state.records,
            state.bytes,
            format!("{:x}", state.hasher.finalize()),
        ))
    }
}

impl Recorder for PartialWriter {
    fn record(&self, partial: &Partial) -> Result<()> {
        let mut state = self.state.lock().map_err(|_| {
            Error::io(
                &self.path,
                std::io::Error::other("a simulation failed while recording"),
            )
        })?;
        state
            .record(partial)
            .map_err(|e| Error::io(&self.path, e))?;
        state.records += 1;
        Ok(())
    }
}

/// Every shard's `partials.bin`, read record by record as the merge's simulations run.
struct PartialReaders {
    readers: Mutex<Vec<Reading>>,
}

struct Reading {
    dir: PathBuf,
    input: BufReader<File>,
    header: ShardHeader,
    records: u64,
}

impl Reading {
    fn take<const N: usize>(&mut self) -> std::io::Result<[u8; N]> {
        let mut b = [0; N];
        self.input.read_exact(&mut b)?;
        Ok(b)
    }

    fn u32(&mut self) -> std::io::Result<u32> {
        self.take().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> std::io::Result<u64> {
        self.take().map(u64::from_le_bytes)
    }

    /// `n` values of `N` bytes each.
    fn many<T, const N: usize>(
        &mut self,
        n: usize,
        value: impl Fn([u8; N]) -> T,
    ) -> std::io::Result<Vec<T>> {
        let mut out = Vec::with_capacity(n.min(1 << 24));
        let mut buffer = vec![0u8; N << 13];
        let mut left = n;
        while left > 0 {
            let now = left.min(1 << 13);
            let bytes = &mut buffer[..now * N];
            self.input.read_exact(bytes)?;
            out.extend(
                bytes
                    .chunks_exact(N)
                    .map(|c| value(c.try_into().expect("chunks of N bytes"))),
            );
            left -= now;
        }
        Ok(out)
    }

    /// The next record, or an error saying what is wrong with it.
    fn record(&mut self) -> std::io::Result<Partial> {
        let bad = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        let fingerprint = self.u64()?;
        let (paths, start, end) = (self.u64()?, self.u64()?, self.u64()?);
        if start > end || end > paths {
            return Err(bad(format!("slice {start}..{end} of {paths} paths")));
        }
        let (k, t, c) = (
            self.u32()? as usize,
            self.u32()? as usize,
            self.u32()? as usize,
        );
        let kind = self.u32()?;
        let mut checks = Vec::with_capacity(c.min(1 << 16));
        for _ in 0..c {
            let at_deadline = self.u64()?;
            let mut counts = self.many(2 * (t + 1), u64::from_le_bytes)?;
            let holds_in_year = counts.split_off(t + 1);
            checks.push(CheckCounts {
                at_deadline,
                first_reached: counts,
                holds_in_year,
            });
        }
        let len = usize::try_from(end - start).map_err(|e| bad(e.to_string()))?;
        let cells = k
            .checked_mul(t)
            .ok_or_else(|| bad("too many cells".into()))?;
        let body = match kind {
            BODY_EXACT => {
                let n = cells
                    .checked_mul(len)
                    .ok_or_else(|| bad("too many values".into()))?;
                let values = self.many(n, |b| f64::from_bits(u64::from_le_bytes(b)))?;
                Tally::Exact(
                    Array3::from_shape_vec((k, t, len), values).map_err(|e| bad(e.to_string()))?,
                )
            }
            BODY_HISTOGRAMS => {
                let counters = self.u32()? as usize;
                let n = cells
                    .checked_mul(counters)
                    .ok_or_else(|| bad("too many counters".into()))?;
                Tally::Histograms {
                    counters,
                    counts: self.many(n, u32::from_le_bytes)?,
                }
            }
            other => return Err(bad(format!("unknown body kind {other}"))),
        };
        Ok(Partial {
            fingerprint,
            paths,
            range: start..end,
            indicators: k,
            years: t,
            checks,
            body,
        })
    }
}

impl PartialReaders {
    /// Opens every shard's partials (in shard order) and checks their first bytes.
    fn open(headers: &[(PathBuf, ShardHeader)]) -> Result<Self> {
        let mut readers = Vec::with_capacity(headers.len());
        for (dir, header) in headers {
            let path = dir.join(PARTIALS);
            let file = File::open(&path).map_err(|e| shard_error(&path, e))?;
            let mut reading = Reading {
                dir: dir.clone(),
                input: BufReader::with_capacity(1 << 20, file),
                header: header.clone(),
                records: 0,
            };
            let head = (|| -> std::io::Result<(bool, u32, u32, u32)> {
                let magic = reading.take::<8>()?;
                Ok((
                    &magic == MAGIC,
                    reading.u32()?,
                    reading.u32()?,
                    reading.u32()?,
                ))
            })()
            .map_err(|e| shard_error(&path, e))?;
            if head != (true, FORMAT_VERSION, header.shard, header.shards) {
                return Err(shard_error(
                    &path,
                    format!(
                        "does not start as partials of shard {}/{} in format version \
                         {FORMAT_VERSION}",
                        header.shard, header.shards
                    ),
                ));
            }
            readers.push(reading);
        }
        Ok(PartialReaders {
            readers: Mutex::new(readers),
        })
    }

    /// Checks that every shard's every record was used: the merge ran the simulations
    /// the shards ran, no fewer.
    fn finish(&self) -> Result<()> {
        let readers = self.readers.lock().map_err(|_| Error::Shard {
            path: None,
            reason: "a simulation failed while merging".into(),
        })?;
        for r in readers.iter() {
            if r.records != r.header.simulations {
                return Err(shard_error(
                    &r.dir,
                    format!(
                        "has {} simulations, the merge ran {}: a shard of other inputs or \
                         another goalcast",
                        r.header.simulations, r.records
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Replay for PartialReaders {
    fn next(&self, fingerprint: u64, paths: u64) -> Result<Vec<Partial>> {
        let mut readers = self.readers.lock().map_err(|_| Error::Shard {
            path: None,
            reason: "a simulation failed while merging".into(),
        })?;
        let mut parts = Vec::with_capacity(readers.len());
        for r in readers.iter_mut() {
            if r.records >= r.header.simulations {
                return Err(shard_error(
                    &r.dir,
                    format!(
                        "has {} simulations, the merge runs more: a shard of other inputs \
                         or another goalcast",
                        r.header.simulations
                    ),
                ));
            }
            let part = r.record().map_err(|e| {
                shard_error(
                    &r.dir.join(PARTIALS),
                    format!("simulation {} cannot be read: {e}", r.records + 1),
                )
            })?;
            r.records += 1;
            let shard = Shard::new(r.header.shard, r.header.shards)?;
            if part.fingerprint != fingerprint
                || part.paths != paths
                || part.range != shard.range(paths)
            {
                return Err(shard_error(
                    &r.dir,
                    format!(
                        "its simulation {} is not the one the merge runs (another \
                         simulation, {} paths against {paths}): a shard of other inputs or \
                         another goalcast",
                        r.records, part.paths
                    ),
                ));
            }
            parts.push(part);
        }
        Ok(parts)
    }
}

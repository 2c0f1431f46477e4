//! `manifest.json`: what produced a run's outputs, enough to reproduce them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::io::write_atomic;
use crate::sim::QuantileMode;

/// One input file of a run, with its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    /// Path as given.
    pub path: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
}

impl InputFile {
    /// Hashes a file.
    pub fn hash(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Ok(InputFile {
            path: path.display().to_string(),
            sha256: format!("{:x}", Sha256::digest(&bytes)),
        })
    }
}

/// `manifest.json`: what produced the outputs, enough to reproduce them.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// goalcast version.
    pub goalcast_version: &'static str,
    /// Seed.
    pub seed: u64,
    /// Paths per indicator.
    pub paths: u64,
    /// Random stream construction.
    pub generator: &'static str,
    /// Version of the stream contract ([`crate::sim::STREAM_CONTRACT`]): runs of the
    /// same inputs and seed under different versions draw different numbers.
    pub stream_contract: u32,
    /// Quantile definition, as the run computed them ([`quantile_method`]).
    pub quantiles: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// `--as-of`: the run used only what was known at the end of this year (absent for a
    /// run on everything known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<i32>,
    /// Inputs with hashes.
    pub inputs: Vec<InputFile>,
    /// Files written, the manifest excepted.
    pub outputs: Vec<String>,
    /// Every file of `outputs`, once, with the SHA-256 of its bytes.
    pub output_sha256: Vec<OutputFile>,
}

/// One output file of a run, with its SHA-256.
#[derive(Debug, Clone, Serialize)]
pub struct OutputFile {
    /// File name inside the run's folder.
    pub file: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
}

impl OutputFile {
    /// Hashes the file `name` of the folder `dir`.
    pub fn hash(dir: &Path, name: &str) -> Result<Self> {
        let path = dir.join(name);
        // Streamed: a shard's partial results may be larger than the run's memory.
        let mut file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(&path, e))?;
        Ok(OutputFile {
            file: name.to_string(),
            sha256: format!("{:x}", hasher.finalize()),
        })
    }
}

/// How the reported quantiles were computed, in the manifest's words.
pub fn quantile_method(mode: QuantileMode) -> &'static str {
    match mode {
        QuantileMode::Exact => {
            "exact: type 7 (NumPy default) on levels over all paths (relative error 0)"
        }
        QuantileMode::Streaming => {
            "streaming: type 7 (NumPy default) on levels, from a histogram of log-level per \
             indicator and year (8192 bins or more, each at most ln(1.001) wide, range set by \
             the first 1024 paths): relative error at most 1e-3 at every reported quantile"
        }
        QuantileMode::Auto => "auto: exact up to 64 MB of stored levels, streaming beyond",
    }
}

/// Writes `manifest.json` into `dir`.
pub fn write_manifest(manifest: &Manifest, dir: &Path) -> Result<PathBuf> {
    let path = dir.join("manifest.json");
    let mut bytes = serde_json::to_vec_pretty(manifest)
        .map_err(|e| Error::io(&path, std::io::Error::other(e.to_string())))?;
    bytes.push(b'\n');
    write_atomic(&path, &bytes)?;
    Ok(path)
}

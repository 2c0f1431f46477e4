//! Files in and out: catalogues, scenarios' results, run manifests.
//!
//! Every output file is written to a temporary file beside it and renamed into place,
//! so a failed or interrupted run never leaves a half-written table or destroys the
//! results of an earlier run.

pub mod catalogue;
mod csv_table;
pub mod csv_write;
pub mod history;
pub mod jurisdictions;
pub mod overrides;
pub mod rules;

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| Error::io(path, std::io::Error::other("not a file path")))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Parses TOML text into `T`; a syntax or schema error names the file and line.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T> {
    toml::from_str(text).map_err(|e: toml::de::Error| Error::Scenario {
        path: path.to_path_buf(),
        line: e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
        key: "(file)".into(),
        reason: e.message().to_string(),
    })
}

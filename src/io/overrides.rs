//! Figures and readings an analyst supplies for targets: values the documents give
//! unreadably (seed 003's lost digits), bases they do not state, and another reading of
//! a deadline.
//!
//! ```toml
//! [targets.003_tech_contract_level]
//! target_value = 3000            # the document reads "达?000亿元"
//! source = "analyst's reading; to be confirmed"
//!
//! [targets.000_manufacturing_share]
//! base_year = 2023
//! base_value = 31.5
//! source = "2023 statistical communiqué"
//!
//! [targets.000_tech_contract_turnover]
//! deadline = 2029                # one target's deadline read differently
//! source = "力争未来五年 read as 2025-2029"
//!
//! # Every target of document 000: its period (deadline and, where it has one, base
//! # year) one year later: "力争未来五年" read as 2025-2029 (base 2024), not 2024-2028.
//! [documents."000"]
//! shift_years = 1
//! source = "力争未来五年 read as the five years after the year of issue"
//! ```
//!
//! Every entry must say where it comes from (`source`), which is written into the note
//! of every target it changes. A target entry gives at least one of `target_value`,
//! `base_year` with `base_value`, and `deadline`; years are calendar years (1900 to 2200,
//! as in the catalogue) and a deadline comes after the target's base year. A document
//! entry moves the period of every target of that document by `shift_years` (a whole
//! number, not 0): the deadline and the base year move together, so a five-year window
//! stays five years long; a base value the catalogue states belongs to the old base year
//! and is dropped from the target (the indicator keeps it as an observation of its year).
//! Document entries are applied first, then target entries, whose figures are absolute.
//! Unknown keys, unknown target ids and documents without targets are errors that name
//! the file and the key.
//!
//! ```
//! use goalcast::Catalogue;
//! use goalcast::io::overrides::Overrides;
//!
//! let csv = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote\n\
//!            000_rd,rd_expenditure,Hubei,研发经费,R&D,亿元,growth,>=,2023,,14,2028,000,年均增长14%以上\n\
//!            000_share,manufacturing_value_added,Hubei,制造业,Manufacturing,%,level,>=,,,30,2028,000,达到30%以上\n";
//! let catalogue = Catalogue::from_reader(csv.as_bytes(), "c.csv")?;
//! let reading = Overrides::from_toml_str(
//!     "[documents.\"000\"]\nshift_years = 1\nsource = \"力争未来五年 read as 2025-2029\"\n",
//!     "2029.toml",
//! )?;
//! let shifted = catalogue.clone().with_overrides(&reading)?;
//! let years: Vec<_> = shifted.targets.iter().map(|t| (t.base_year, t.deadline)).collect();
//! assert_eq!(years, [(Some(2024), 2029), (None, 2029)]);
//! assert!(shifted.targets[0].note.contains("deadline 2028 → 2029"));
//!
//! // A deadline must come after the base year; the error names the file and the key.
//! let early = Overrides::from_toml_str(
//!     "[targets.000_rd]\ndeadline = 2023\nsource = \"x\"\n",
//!     "early.toml",
//! )?;
//! let msg = catalogue.with_overrides(&early).unwrap_err().to_string();
//! assert!(msg.contains("early.toml") && msg.contains("targets.000_rd.deadline"), "{msg}");
//! # Ok::<(), goalcast::Error>(())
//! ```

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The calendar years a base year or deadline may take (the catalogue's range).
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

/// The largest period shift a document entry may ask for, in years either way.
pub const MAX_SHIFT_YEARS: i32 = 100;

/// One target's supplied figures.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetOverride {
    /// The target value, in the catalogue's terms (percent for relative kinds).
    pub target_value: Option<f64>,
    /// The base year.
    pub base_year: Option<i32>,
    /// The indicator's value in the base year.
    pub base_value: Option<f64>,
    /// The year by which the goal is due, read differently from the catalogue.
    pub deadline: Option<i32>,
    /// Where the figures come from (required).
    pub source: String,
}

/// A reading of every target of one document.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocumentOverride {
    /// Years by which the period of every target of the document moves: its deadline and,
    /// where it has one, its base year (1 reads "the next five years" one year later).
    pub shift_years: i32,
    /// Where the reading comes from (required).
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    #[serde(default)]
    targets: BTreeMap<String, TargetOverride>,
    #[serde(default)]
    documents: BTreeMap<String, DocumentOverride>,
}

/// A checked overrides file.
#[derive(Debug, Clone, PartialEq)]
pub struct Overrides {
    /// The file.
    pub path: PathBuf,
    /// Supplied figures by target id.
    pub targets: BTreeMap<String, TargetOverride>,
    /// Readings of whole documents, by document prefix (`000` … `004`).
    pub documents: BTreeMap<String, DocumentOverride>,
}

impl Overrides {
    /// Reads an overrides file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml_str(&text, path)
    }

    /// Parses overrides; `path` names them in errors.
    pub fn from_toml_str(text: &str, path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file: OverridesFile = crate::io::parse_toml(text, &path)?;
        let bad = |key: String, reason: &str| Error::Scenario {
            path: path.clone(),
            line: None,
            key,
            reason: reason.to_string(),
        };
        for (id, o) in &file.targets {
            let bad = |field: &str, reason: &str| bad(format!("targets.{id}.{field}"), reason);
            if o.source.trim().is_empty() {
                return Err(bad("source", "say where the figure comes from"));
            }
            if o.base_value.is_some_and(|b| !(b.is_finite() && b > 0.0)) {
                return Err(bad(
                    "base_value",
                    "a base level must be positive and finite",
                ));
            }
            if o.base_value.is_some() != o.base_year.is_some() {
                return Err(bad("base_year", "base_year and base_value go together"));
            }
            for (field, year) in [("base_year", o.base_year), ("deadline", o.deadline)] {
                if year.is_some_and(|y| !YEARS.contains(&y)) {
                    return Err(bad(
                        field,
                        "not a calendar year (a whole number from 1900 to 2200)",
                    ));
                }
            }
            if let (Some(b), Some(d)) = (o.base_year, o.deadline)
                && d <= b
            {
                return Err(bad(
                    "deadline",
                    &format!("the deadline must come after the base year {b}"),
                ));
            }
            if o.target_value.is_none() && o.base_value.is_none() && o.deadline.is_none() {
                return Err(bad(
                    "target_value",
                    "nothing to override: give target_value, a base or a deadline",
                ));
            }
        }
        for (document, d) in &file.documents {
            let bad =
                |field: &str, reason: &str| bad(format!("documents.{document}.{field}"), reason);
            if d.source.trim().is_empty() {
                return Err(bad("source", "say where the reading comes from"));
            }
            if d.shift_years == 0 {
                return Err(bad("shift_years", "a shift of 0 years changes nothing"));
            }
            if d.shift_years.abs() > MAX_SHIFT_YEARS {
                return Err(bad(
                    "shift_years",
                    "a period moves by at most 100 years either way",
                ));
            }
        }
        Ok(Overrides {
            path,
            targets: file.targets,
            documents: file.documents,
        })
    }
}

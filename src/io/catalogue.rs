//! Reading and checking a catalogue of targets (see `data/README.md` for the format).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::indicator::{Indicator, IndicatorKey, Observation};
use crate::io::csv_table::{CsvTable, Row};
use crate::io::history::History;
use crate::io::overrides::{Overrides, YEARS};
use crate::target::{Comparator, Target, TargetKind};

/// Columns every catalogue file must have.
pub const REQUIRED_COLUMNS: [&str; 14] = [
    "id",
    "indicator",
    "jurisdiction",
    "name_zh",
    "name_en",
    "unit",
    "kind",
    "comparator",
    "base_year",
    "base_value",
    "target_value",
    "deadline",
    "document",
    "quote",
];

/// Columns a catalogue file may add.
pub const OPTIONAL_COLUMNS: [&str; 4] = ["denominator", "uncertain", "note", "parent"];

/// A checked set of targets and the indicators they are set on.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// Files the catalogue was read from.
    pub sources: Vec<PathBuf>,
    /// Indicators, in order of first appearance.
    pub indicators: Vec<Indicator>,
    /// Targets, in file order.
    pub targets: Vec<Target>,
    /// Every series of the history file joined by [`Catalogue::with_history`], whether
    /// or not a target is set on it: the evidence reference-class priors are estimated
    /// from ([`crate::reference`]).
    pub history_series: Vec<Indicator>,
}

/// A parsed row: the target, the indicator's names and unit, and where it came from.
struct ParsedRow {
    target: Target,
    names: (String, String, String),
    origin: RowOrigin,
}

/// Where a row came from, for error messages.
#[derive(Debug, Clone)]
struct RowOrigin {
    path: PathBuf,
    line: u64,
}

impl Catalogue {
    /// Reads and checks one catalogue file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        Self::from_paths(&[path.as_ref()])
    }

    /// Reads and checks several catalogue files as one catalogue (ids unique across them).
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Self> {
        let mut rows = Vec::new();
        for path in paths {
            let path = path.as_ref();
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            rows.extend(read_rows(file, path)?);
        }
        let sources = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        build(sources, rows)
    }

    /// Reads and checks a catalogue from any reader; `name` stands for the file in errors.
    pub fn from_reader(reader: impl std::io::Read, name: impl AsRef<Path>) -> Result<Self> {
        let name = name.as_ref();
        let rows = read_rows(reader, name)?;
        build(vec![name.to_path_buf()], rows)
    }

    /// Adds observed values from a history file to the indicators they concern.
    ///
    /// A value the catalogue states (a target's base) takes precedence over a history
    /// value for the same year; each indicator's base becomes its latest known value.
    /// History rows must be in the catalogue's unit of the indicator.
    pub fn with_history(mut self, history: &History) -> Result<Self> {
        for indicator in &mut self.indicators {
            let Some((unit, line)) = history.unit_of(&indicator.key) else {
                continue;
            };
            if indicator.unit.is_empty() {
                indicator.unit = unit.to_string();
            } else if unit != indicator.unit {
                return Err(Error::Csv {
                    path: history.path.clone(),
                    line,
                    column: "unit".into(),
                    value: unit.to_string(),
                    reason: format!(
                        "the catalogue writes {} in `{}`; convert history to the same unit",
                        indicator.key, indicator.unit
                    ),
                });
            }
            for (value, source) in history.values_with_sources(&indicator.key) {
                if !indicator.history.iter().any(|h| h.year == value.year) {
                    indicator.history.push(value);
                    indicator.sources.insert(value.year, source);
                }
            }
            indicator.history.sort_by_key(|h| h.year);
            indicator.base = indicator.history.last().copied();
        }
        self.check_history_bases(history)?;
        self.history_series = history.series();
        if let Some(path) = Some(history.path.clone()).filter(|p| !self.sources.contains(p)) {
            self.sources.push(path);
        }
        Ok(self)
    }

    /// The known values of a series: the catalogue's indicator of that key, else the
    /// history file's series ([`Catalogue::history_series`]).
    pub fn series(&self, key: &IndicatorKey) -> Option<&Indicator> {
        self.indicator(key)
            .or_else(|| self.history_series.iter().find(|s| &s.key == key))
    }

    /// The catalogue as known at the end of `year` (`--as-of`): every indicator keeps
    /// only the values of that year or before, whether they came from a history file,
    /// the document or an override, and its base becomes the latest of them; the
    /// history series behind reference-class priors are cut the same way. The targets
    /// are unchanged.
    pub fn as_of(mut self, year: i32) -> Self {
        for indicator in self
            .indicators
            .iter_mut()
            .chain(self.history_series.iter_mut())
        {
            indicator.history.retain(|o| o.year <= year);
            indicator.sources.retain(|y, _| *y <= year);
            indicator.base = indicator.history.last().copied();
        }
        self
    }

    /// Applies an analyst's figures and readings ([`Overrides`]): first every document
    /// entry (the period of each of the document's targets moves by `shift_years`: its
    /// deadline and base year; a stated base value of the old base year is dropped from
    /// the target), then every target entry: a value replaces an unreadable or absent one
    /// (the target is no longer `uncertain`), a base becomes a known value of the
    /// indicator, a deadline replaces the catalogue's. The source is appended to the note
    /// of every target changed.
    pub fn with_overrides(mut self, overrides: &Overrides) -> Result<Self> {
        let path = &overrides.path;
        let bad = |key: String, reason: String| Error::Scenario {
            path: path.clone(),
            line: None,
            key,
            reason,
        };
        let add_note = |t: &mut Target, what: String, source: &str| {
            let note = format!("override ({}): {what}{source}", path.display());
            t.note = if t.note.is_empty() {
                note
            } else {
                format!("{}; {note}", t.note)
            };
        };
        for (document, d) in &overrides.documents {
            let key = format!("documents.{document}.shift_years");
            let mut any = false;
            for t in self.targets.iter_mut().filter(|t| &t.document == document) {
                any = true;
                let moved = |y: i32| Some(y + d.shift_years).filter(|y| YEARS.contains(y));
                let deadline = moved(t.deadline).ok_or_else(|| {
                    bad(
                        key.clone(),
                        format!(
                            "{}'s deadline {} would leave the calendar years",
                            t.id, t.deadline
                        ),
                    )
                })?;
                let base_year = match t.base_year {
                    Some(b) => Some(moved(b).ok_or_else(|| {
                        bad(
                            key.clone(),
                            format!("{}'s base year {b} would leave the calendar years", t.id),
                        )
                    })?),
                    None => None,
                };
                let mut what = format!("deadline {} → {deadline}", t.deadline);
                if let (Some(old), Some(new)) = (t.base_year, base_year) {
                    what.push_str(&format!(", base year {old} → {new}"));
                }
                if let Some(v) = t.base_value.take() {
                    what.push_str(&format!(
                        " (the stated base {v} is of {}, not used)",
                        t.base_year.unwrap_or_default()
                    ));
                }
                t.deadline = deadline;
                t.base_year = base_year;
                let shift = format!("shift_years = {:+}", d.shift_years);
                add_note(t, format!("{what}, {shift}: "), &d.source);
            }
            if !any {
                return Err(bad(
                    format!("documents.{document}"),
                    format!("the catalogue has no target of document `{document}`"),
                ));
            }
        }
        for (id, o) in &overrides.targets {
            let bad = |field: &str, reason: String| bad(format!("targets.{id}.{field}"), reason);
            let Some(t) = self.targets.iter_mut().find(|t| &t.id == id) else {
                return Err(bad("", format!("the catalogue has no target `{id}`")));
            };
            let indicator = self
                .indicators
                .iter_mut()
                .find(|i| i.key == t.indicator)
                .expect("every target's indicator is catalogued");
            let mut what = Vec::new();
            if let Some(v) = o.target_value {
                TargetKind::check_value(t.kind, &indicator.unit, v)
                    .map_err(|r| bad("target_value", r.to_string()))?;
                t.value = Some(v);
                t.uncertain = false;
            }
            let deadline = o.deadline.unwrap_or(t.deadline);
            if let Some(d) = o.deadline {
                if let Some(b) = o.base_year.or(t.base_year)
                    && d <= b
                {
                    return Err(bad(
                        "deadline",
                        format!("the deadline must come after the base year {b}"),
                    ));
                }
                if d != t.deadline {
                    what.push(format!("deadline {} → {d}", t.deadline));
                }
                t.deadline = d;
            }
            if let (Some(year), Some(value)) = (o.base_year, o.base_value) {
                if year >= deadline {
                    return Err(bad(
                        "base_year",
                        format!("the base year must come before the deadline {deadline}"),
                    ));
                }
                t.base_year = Some(year);
                t.base_value = Some(value);
                indicator.history.retain(|h| h.year != year);
                indicator.history.push(Observation { year, value });
                indicator.history.sort_by_key(|h| h.year);
                indicator.base = indicator.history.last().copied();
            }
            let what = if what.is_empty() {
                String::new()
            } else {
                format!("{}: ", what.join(", "))
            };
            add_note(t, what, &o.source);
        }
        if !self.sources.contains(&overrides.path) {
            self.sources.push(overrides.path.clone());
        }
        Ok(self)
    }

    /// Refuses a latest known value of zero or below, taken from `history`, for an
    /// indicator whose goals grow it by compounding (a level, growth, increase, decline,
    /// cumulative or per-year goal): naming the history file, its line and the value.
    fn check_history_bases(&self, history: &History) -> Result<()> {
        let compounding = |k: TargetKind| {
            matches!(
                k,
                TargetKind::Level
                    | TargetKind::Growth
                    | TargetKind::Increase
                    | TargetKind::Decline
                    | TargetKind::Cumulative
                    | TargetKind::PerYear
            )
        };
        let problems = self
            .indicators
            .iter()
            .filter(|i| {
                self.targets
                    .iter()
                    .any(|t| t.indicator == i.key && compounding(t.kind))
            })
            .filter_map(|i| {
                let base = i.base.filter(|b| b.value <= 0.0)?;
                let row = history.rows.iter().rev().find(|r| {
                    r.indicator == i.key && r.year == base.year && r.value == base.value
                })?;
                Some(Error::Csv {
                    path: history.path.clone(),
                    line: row.line,
                    column: "value".into(),
                    value: base.value.to_string(),
                    reason: format!(
                        "the latest known value of {} ({}) is its base, and a level that \
                         grows by compounding must start above zero",
                        i.key, base.year
                    ),
                })
            })
            .collect();
        match Error::problems(&history.path, problems) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Shares whose denominator is neither an indicator a goal is set on nor a series of
    /// `history`, one line each naming the nearest existing id (a typo such as `gpd`
    /// shows; a whole with no figures yet is reported as waiting for a baseline).
    pub fn unknown_denominators(&self, history: &History) -> Vec<String> {
        let known: Vec<&IndicatorKey> = self
            .targets
            .iter()
            .map(|t| &t.indicator)
            .chain(history.rows.iter().map(|r| &r.indicator))
            .collect();
        let mut ids: Vec<&str> = known.iter().map(|k| k.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        self.targets
            .iter()
            .filter_map(|t| {
                let d = t.denominator.as_ref()?;
                let key = IndicatorKey::new(t.indicator.jurisdiction.clone(), d.clone());
                if known.contains(&&key) {
                    return None;
                }
                let hint = crate::io::rules::nearest(d, ids.iter().copied())
                    .map(|n| format!("; nearest existing id: `{n}`"))
                    .unwrap_or_default();
                Some(format!(
                    "{}: target `{}`, column `denominator`: `{d}` is not an indicator of {} in \
                     the catalogue or in {} (the share waits for a baseline{hint})",
                    self.sources
                        .first()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    t.id,
                    t.indicator.jurisdiction,
                    history.path.display()
                ))
            })
            .collect()
    }

    /// The indicator a target is set on.
    pub fn indicator(&self, key: &IndicatorKey) -> Option<&Indicator> {
        self.indicators.iter().find(|i| &i.key == key)
    }
}

/// Reads every row of one file into checked targets with their origins.
fn read_rows(reader: impl std::io::Read, path: &Path) -> Result<Vec<ParsedRow>> {
    let table = CsvTable::read(reader, path, &REQUIRED_COLUMNS, &OPTIONAL_COLUMNS)?;
    let parse = |row: Row<'_>| -> Result<ParsedRow> {
        Ok(ParsedRow {
            names: (
                row.text("name_zh")?,
                row.text("name_en")?,
                row.text("unit")?,
            ),
            target: parse_target(&row)?,
            origin: RowOrigin {
                path: row.path().to_path_buf(),
                line: row.line(),
            },
        })
    };
    // Every row is read, so one message names every bad row of the file.
    table.parse_rows(parse)
}

/// Parses and checks one row on its own.
fn parse_target(row: &Row<'_>) -> Result<Target> {
    let kind: TargetKind = row.parsed("kind")?;
    let comparator: Comparator = row.parsed("comparator")?;
    let uncertain = row.flag("uncertain")?;
    let base_year = row.optional_year("base_year")?;
    let base_value = row.optional_number("base_value")?;
    let value = row.optional_number("target_value")?;
    let deadline = row.year("deadline")?;
    let unit = row.text("unit")?;

    if let Some(b) = base_value
        && b <= 0.0
    {
        return Err(row.error(
            "base_value",
            row.raw("base_value"),
            "a base level must be positive (compound growth cannot start at zero or below)",
        ));
    }
    if base_value.is_some() && base_year.is_none() {
        return Err(row.error(
            "base_year",
            "",
            "base_value is given, so its base_year is required",
        ));
    }
    let needs_base_year = matches!(
        kind,
        TargetKind::Growth
            | TargetKind::Increase
            | TargetKind::Decline
            | TargetKind::Cumulative
            | TargetKind::PerYear
            | TargetKind::GrowthEveryYear
    );
    if needs_base_year && base_year.is_none() {
        return Err(row.error(
            "base_year",
            "",
            format!("a `{kind}` target is measured from a base year; it is required"),
        ));
    }
    if let Some(b) = base_year
        && deadline <= b
    {
        return Err(row.error(
            "deadline",
            row.raw("deadline"),
            format!("the deadline must come after the base year {b}"),
        ));
    }
    if value.is_none() && !uncertain && kind != TargetKind::Milestone {
        return Err(row.error(
            "target_value",
            "",
            "empty cell; a target value is required (mark `uncertain` = true if the document's figure cannot be read)",
        ));
    }
    if let Some(v) = value
        && let Err(reason) = TargetKind::check_value(kind, &unit, v)
    {
        return Err(row.error("target_value", row.raw("target_value"), reason));
    }
    if kind == TargetKind::Decline && comparator != Comparator::AtMost {
        return Err(row.error(
            "comparator",
            row.raw("comparator"),
            "a decline target caps the level: its comparator is `<=`",
        ));
    }
    let id = row.identifier("id")?;
    let indicator = IndicatorKey::new(
        row.identifier("jurisdiction")?,
        row.identifier("indicator")?,
    );
    let denominator = row.optional_identifier("denominator")?;
    if denominator.as_deref() == Some(indicator.id.as_str()) {
        return Err(row.error(
            "denominator",
            row.raw("denominator"),
            "a share of the indicator itself is always 100 %; name the whole it is a share of",
        ));
    }
    if kind == TargetKind::Share && denominator.is_none() {
        return Err(row.error(
            "denominator",
            "",
            "a share target names its denominator indicator (e.g. gdp)",
        ));
    }
    Ok(Target {
        id,
        indicator,
        name_zh: row.text("name_zh")?,
        name_en: row.text("name_en")?,
        kind,
        comparator,
        value,
        base_year,
        base_value,
        deadline,
        document: row.text("document")?,
        quote: row.text("quote")?,
        denominator,
        uncertain,
        note: row.raw("note").to_string(),
        parent: row.optional_identifier("parent")?,
    })
}

/// Checks rows against each other (unique ids, consistent bases) and builds indicators.
fn build(sources: Vec<PathBuf>, rows: Vec<ParsedRow>) -> Result<Catalogue> {
    // File names are lower-cased ids: two ids, or two indicators, that differ only in
    // case (or in where `_` splits jurisdiction from indicator) would share a file.
    let mut stems: HashMap<String, (String, &RowOrigin)> = HashMap::new();
    for ParsedRow { target, origin, .. } in &rows {
        let key = &target.indicator;
        for (stem, name, column) in [
            (format!("tornado_{}", target.id), target.id.clone(), "id"),
            (
                format!("fan_{}_{}", key.jurisdiction, key.id),
                key.to_string(),
                "indicator",
            ),
        ] {
            let stem = stem.to_lowercase();
            match stems.get(&stem) {
                Some((other, first)) if *other != name => {
                    return Err(Error::Csv {
                        path: origin.path.clone(),
                        line: origin.line,
                        column: column.into(),
                        value: name,
                        reason: format!(
                            "its output file `{stem}` would be that of `{other}` ({}, line {}); \
                             names that differ only in case or in where `_` falls are one name",
                            first.path.display(),
                            first.line
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    stems.insert(stem, (name, origin));
                }
            }
        }
    }
    let mut seen: HashMap<&str, &RowOrigin> = HashMap::new();
    for ParsedRow { target, origin, .. } in &rows {
        if let Some(first) = seen.insert(&target.id, origin) {
            return Err(Error::Csv {
                path: origin.path.clone(),
                line: origin.line,
                column: "id".into(),
                value: target.id.clone(),
                reason: format!(
                    "duplicated target id (first used at {}, line {})",
                    first.path.display(),
                    first.line
                ),
            });
        }
    }

    let mut indicators: Vec<(Indicator, &RowOrigin)> = Vec::new();
    let mut stated: BTreeMap<(IndicatorKey, i32), (f64, &RowOrigin)> = BTreeMap::new();
    for ParsedRow {
        target,
        names,
        origin,
    } in &rows
    {
        let mut names = names.clone();
        if target.kind == TargetKind::Share {
            // A share row's unit is that of its target (%), not of the numerator indicator.
            names.2 = String::new();
        }
        match indicators
            .iter_mut()
            .find(|(i, _)| i.key == target.indicator)
        {
            Some((existing, first)) if existing.unit.is_empty() => {
                if target.kind != TargetKind::Share {
                    // A share row names the share; a row on the indicator itself names it.
                    existing.name_zh.clone_from(&names.0);
                    existing.name_en.clone_from(&names.1);
                }
                existing.unit = names.2;
                *first = origin;
            }
            Some((existing, first)) if existing.unit != names.2 && !names.2.is_empty() => {
                return Err(Error::Csv {
                    path: origin.path.clone(),
                    line: origin.line,
                    column: "unit".into(),
                    value: names.2,
                    reason: format!(
                        "{} is in `{}` at {}, line {}; write every row of one indicator in one unit",
                        target.indicator,
                        existing.unit,
                        first.path.display(),
                        first.line
                    ),
                });
            }
            Some(_) => {}
            None => indicators.push((
                Indicator {
                    key: target.indicator.clone(),
                    name_zh: names.0,
                    name_en: names.1,
                    unit: names.2,
                    base: None,
                    history: Vec::new(),
                    sources: BTreeMap::new(),
                },
                origin,
            )),
        }
        let (Some(year), Some(value)) = (target.base_year, target.base_value) else {
            continue;
        };
        let key = (target.indicator.clone(), year);
        if let Some((earlier, first)) = stated.get(&key) {
            if (earlier - value).abs() > 1e-9 * earlier.abs() {
                return Err(Error::Csv {
                    path: origin.path.clone(),
                    line: origin.line,
                    column: "base_value".into(),
                    value: value.to_string(),
                    reason: format!(
                        "{} in {year} is stated as {earlier} at {}, line {}; one indicator has one value per year",
                        target.indicator,
                        first.path.display(),
                        first.line
                    ),
                });
            }
        } else {
            stated.insert(key, (value, origin));
        }
    }
    let mut indicators: Vec<Indicator> = indicators.into_iter().map(|(i, _)| i).collect();
    // Denominators of shares are indicators too, even when no goal is set on them
    // (their unit and values come from history).
    for ParsedRow { target, .. } in &rows {
        if let Some(d) = &target.denominator {
            let key = IndicatorKey::new(target.indicator.jurisdiction.clone(), d.clone());
            if !indicators.iter().any(|i| i.key == key) {
                indicators.push(Indicator {
                    key,
                    name_zh: d.clone(),
                    name_en: d.clone(),
                    unit: String::new(),
                    base: None,
                    history: Vec::new(),
                    sources: BTreeMap::new(),
                });
            }
        }
    }
    for ((key, year), (value, origin)) in &stated {
        let indicator = indicators
            .iter_mut()
            .find(|i| &i.key == key)
            .expect("every stated base belongs to a target's indicator");
        indicator.sources.insert(
            *year,
            format!(
                "{}, line {} (base stated by the document)",
                origin.path.display(),
                origin.line
            ),
        );
        // `stated` iterates in year order, so the last one pushed is the latest.
        indicator.history.push(Observation {
            year: *year,
            value: *value,
        });
        indicator.base = indicator.history.last().copied();
    }
    let targets: Vec<Target> = rows.into_iter().map(|r| r.target).collect();
    Ok(Catalogue {
        sources,
        indicators,
        targets,
        history_series: Vec::new(),
    })
}

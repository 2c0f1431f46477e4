//! Consistency checks of a set of targets, before anything is simulated.
//!
//! [`check_catalogue`] reads a catalogue (one seed document or all five together) and,
//! optionally, observed history, and returns a [`CheckReport`]: a list of [`Finding`]s
//! that an economist can read as a table — the kind of finding, the targets involved,
//! the figures (each with its unit) and an explanation. The report is data;
//! [`crate::report::tables::check_csv`] and [`CheckReport::render_table`] turn it into a
//! CSV file and a plain-text table. Nothing here prints, exits or panics on user data.
//!
//! # What is checked
//!
//! | kind | severity | what |
//! |---|---|---|
//! | `conflict` | problem | two goals on one indicator and deadline that cannot both be meant as written: a rate goal and a level goal that disagree given a known base (a "doubling" beside a base that is not half the level), or a yearly growth rate and a total increase over the same period that differ |
//! | `parent_structure` | problem | a `parent` that is not in the catalogue, a cycle, a part in another unit, deadline or jurisdiction than its whole, the same indicator listed twice under one whole (double counting), or a part on the whole's own indicator |
//! | `unit_mismatch` | problem | history in another unit than the catalogue, or one indicator in different units in different jurisdictions: such values are never compared |
//! | `restated` | problem if the figures differ, else note | the same goal (indicator, jurisdiction, kind) in two documents |
//! | `sub_targets` | problem if the parts exceed the whole, else note | parts (`parent`) against their whole |
//! | `implied_denominator` | note | a level and a share of the same numerator and deadline imply the denominator (GDP) |
//! | `implied_base` | note | a rate goal and a level goal on the same indicator and deadline imply the base (or, with a known base, the level or the rate) |
//! | `equivalent_rates` | note | a yearly growth rate and a total increase over the same period agree |
//! | `side_by_side` | note (problem if a city's goal exceeds the province's) | goals of one indicator and kind in several jurisdictions |
//! | `needs_value` | missing | the document's figure is unreadable (`uncertain`): what can be read |
//! | `needs_baseline` | missing | an indicator with no known value where a simulable goal needs one |
//!
//! Findings come in a fixed order: by kind (the order above), then severity, then the
//! catalogue position of their first target.
//!
//! # Formulas
//!
//! A rate goal on base year B with deadline T multiplies the base by a factor f:
//! growth g a year, `f = (1+g)^(T−B)`; increase p, `f = 1+p` (a doubling: p = 100 %);
//! decline d, `f = 1−d`. Then
//!
//! * a level goal L on the same indicator and deadline implies the base `B₀ = L / f`;
//!   with a known base K the rate implies the level `K·f`, and the level implies the
//!   rate (`(L/K)^(1/(T−B)) − 1` a year, `L/K − 1` in total);
//! * a level L and a share s % of a denominator imply the denominator `D = L / (s/100)`;
//!   from its latest known value v in year y it needs growth `(D/v)^(1/(T−y)) − 1` a year;
//! * growth g a year over n years is a total increase of `(1+g)^n − 1`, and an increase
//!   p over n years is `(1+p)^(1/n) − 1` a year;
//! * between a goal V₁ due in T₁ and a goal V₂ due in T₂ lie `(V₂/V₁)^(1/(T₂−T₁)) − 1` a year.
//!
//! Two figures agree when they differ by at most [`AGREEMENT_TOLERANCE`] (relative): the
//! documents round their numbers. Restated goals agree only when equal.
//!
//! # Known values
//!
//! A base is known when a target states it (`base_year`, `base_value`), when the
//! catalogue already carries it (after [`Catalogue::with_history`]) or when the history
//! file has a value for that indicator and year (the history selection rule: values only,
//! the last row wins; bounds and estimates are never used). A stated base wins over a
//! history value for the same year.
//!
//! ```
//! use goalcast::Catalogue;
//! use goalcast::check::{FindingKind, check_catalogue};
//!
//! let catalogue = Catalogue::from_reader(
//!     "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote,denominator\n\
//!      a,sei_value_added,Hubei,战略性新兴产业增加值,SEI value added,亿元,level,>=,,,18000,2028,000,达到1.8万亿元,\n\
//!      b,sei_value_added,Hubei,战略性新兴产业增加值占GDP比重,SEI share of GDP,%,share,>=,,,25,2028,000,占GDP比重达到25%,gdp\n"
//!         .as_bytes(),
//!     "inline.csv",
//! )?;
//! let report = check_catalogue(&catalogue, None);
//! let gdp = report.of_kind(FindingKind::ImpliedDenominator).next().unwrap();
//! let implied = gdp.figures.iter().find(|f| f.name == "implied gdp 2028").unwrap();
//! assert_eq!((implied.value, implied.unit.as_str()), (72_000.0, "亿元")); // 18000 亿元 at 25 % of GDP
//! assert!(report.render_table().contains("implied_denominator"));
//! # Ok::<(), goalcast::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use crate::indicator::IndicatorKey;
use crate::io::catalogue::Catalogue;
use crate::io::history::{Bound, History};
use crate::target::{Comparator, Target, TargetKind};

/// The jurisdiction that contains all others: a city's additive goal (a count, an amount)
/// above the province's is reported as a problem.
pub const PROVINCE: &str = "Hubei";

/// Largest relative difference at which two derived figures still agree (5 %).
pub const AGREEMENT_TOLERANCE: f64 = 0.05;

/// Relative difference below which two stated figures are equal.
const EXACT: f64 = 1e-9;

/// What a finding is about. The order of the variants is the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum FindingKind {
    /// Two goals on one indicator and deadline that cannot both hold as written.
    Conflict,
    /// A `parent` relation that is broken or double-counts.
    ParentStructure,
    /// Values in different units where the same unit is required.
    UnitMismatch,
    /// The same goal in two documents.
    Restated,
    /// Parts against their whole.
    SubTargets,
    /// A level and a share imply the denominator.
    ImpliedDenominator,
    /// A rate and a level imply the base (or, with a known base, each other).
    ImpliedBase,
    /// A yearly growth rate and a total increase over the same period.
    EquivalentRates,
    /// One indicator's goals in several jurisdictions.
    SideBySide,
    /// The document's figure cannot be read.
    NeedsValue,
    /// No known value where a simulable goal needs one.
    NeedsBaseline,
}

impl FindingKind {
    /// Every kind, in report order.
    pub const ALL: [FindingKind; 11] = [
        FindingKind::Conflict,
        FindingKind::ParentStructure,
        FindingKind::UnitMismatch,
        FindingKind::Restated,
        FindingKind::SubTargets,
        FindingKind::ImpliedDenominator,
        FindingKind::ImpliedBase,
        FindingKind::EquivalentRates,
        FindingKind::SideBySide,
        FindingKind::NeedsValue,
        FindingKind::NeedsBaseline,
    ];

    /// The name written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Conflict => "conflict",
            FindingKind::ParentStructure => "parent_structure",
            FindingKind::UnitMismatch => "unit_mismatch",
            FindingKind::Restated => "restated",
            FindingKind::SubTargets => "sub_targets",
            FindingKind::ImpliedDenominator => "implied_denominator",
            FindingKind::ImpliedBase => "implied_base",
            FindingKind::EquivalentRates => "equivalent_rates",
            FindingKind::SideBySide => "side_by_side",
            FindingKind::NeedsValue => "needs_value",
            FindingKind::NeedsBaseline => "needs_baseline",
        }
    }

    /// One line saying what the kind means, for the legend of a report.
    pub fn description(self) -> &'static str {
        match self {
            FindingKind::Conflict => {
                "two goals on one indicator and deadline disagree (rate vs level given a known base, yearly rate vs total increase)"
            }
            FindingKind::ParentStructure => {
                "a part/whole (`parent`) relation is broken or counts something twice"
            }
            FindingKind::UnitMismatch => "figures in different units; they are not compared",
            FindingKind::Restated => {
                "the same goal (indicator, jurisdiction, kind) in two documents"
            }
            FindingKind::SubTargets => "the parts of a whole against the whole's goal",
            FindingKind::ImpliedDenominator => {
                "a level and a share of the same numerator imply the denominator (GDP)"
            }
            FindingKind::ImpliedBase => {
                "a rate goal and a level goal imply the base (or each other, given a known base)"
            }
            FindingKind::EquivalentRates => {
                "a yearly growth rate and a total increase over the same period agree"
            }
            FindingKind::SideBySide => "one indicator's goals in several jurisdictions",
            FindingKind::NeedsValue => "the document's figure cannot be read; supply it",
            FindingKind::NeedsBaseline => {
                "no known value of the indicator; supply one to simulate these goals"
            }
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Figures that disagree or a structure that is wrong: a reading to revisit.
    Problem,
    /// Data to supply before the goal can be simulated.
    Missing,
    /// Derived figures and comparisons, for information.
    Note,
}

impl Severity {
    /// The name written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Problem => "problem",
            Severity::Missing => "missing",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A number in a finding, with its name and unit (`implied GDP 2028 = 72000 亿元`).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What the number is.
    pub name: String,
    /// The number.
    pub value: f64,
    /// Its unit (`亿元`, `count`, `%`, `%/yr` …).
    pub unit: String,
}

impl Figure {
    fn new(name: impl Into<String>, value: f64, unit: impl Into<String>) -> Self {
        Figure {
            name: name.into(),
            value,
            unit: unit.into(),
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.name, with_unit(self.value, &self.unit))
    }
}

/// One row of a check report.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What the finding is about.
    pub kind: FindingKind,
    /// How much it matters.
    pub severity: Severity,
    /// The ids of the targets involved, in the order the explanation names them.
    pub targets: Vec<String>,
    /// The seed documents of those targets, sorted.
    pub documents: Vec<String>,
    /// The indicator concerned, when there is one.
    pub indicator: Option<IndicatorKey>,
    /// The figures, each with its unit.
    pub figures: Vec<Figure>,
    /// What the figures mean, in words.
    pub explanation: String,
}

/// The findings of [`check_catalogue`], in report order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckReport {
    /// How many targets were checked.
    pub targets_checked: usize,
    /// The findings, ordered by kind, severity and catalogue position.
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// The findings of one kind.
    pub fn of_kind(&self, kind: FindingKind) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }

    /// How many findings of one kind.
    pub fn count(&self, kind: FindingKind) -> usize {
        self.of_kind(kind).count()
    }

    /// How many findings of one severity.
    pub fn count_severity(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The ids of every target named by a finding of `kind`.
    pub fn targets_in(&self, kind: FindingKind) -> BTreeSet<&str> {
        self.of_kind(kind)
            .flat_map(|f| f.targets.iter().map(String::as_str))
            .collect()
    }

    /// The report as a plain-text table (one block of lines per finding, columns wrapped
    /// to fixed widths; Chinese characters count as two columns), with a summary above
    /// and a legend of the kinds below.
    pub fn render_table(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "{} targets checked: {} findings ({} problem, {} missing, {} note)\n",
            self.targets_checked,
            self.findings.len(),
            self.count_severity(Severity::Problem),
            self.count_severity(Severity::Missing),
            self.count_severity(Severity::Note),
        ));
        let counts: Vec<String> = FindingKind::ALL
            .iter()
            .filter(|k| self.count(**k) > 0)
            .map(|k| format!("{} {}", k.as_str(), self.count(*k)))
            .collect();
        if !counts.is_empty() {
            out.push_str(&format!("by kind: {}\n", counts.join(", ")));
        }
        out.push('\n');

        // The targets column fits the longest id (within reason).
        let id_width = self
            .findings
            .iter()
            .flat_map(|f| f.targets.iter().map(|t| display_width(t)))
            .max()
            .unwrap_or(0)
            .clamp(24, 56);
        let widths = [4, 19, 8, id_width, 44, 60];
        let header = ["#", "kind", "severity", "targets", "figures", "explanation"];
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        push_row(&mut out, &widths, &header.map(|h| vec![h.to_string()]));
        push_row(
            &mut out,
            &widths,
            &rule.iter().map(|r| vec![r.clone()]).collect::<Vec<_>>(),
        );
        for (i, f) in self.findings.iter().enumerate() {
            let mut targets: Vec<String> = Vec::new();
            if let Some(key) = &f.indicator {
                targets.extend(wrap(&format!("[{key}]"), widths[3]));
            }
            for t in &f.targets {
                targets.extend(wrap(t, widths[3]));
            }
            let figures: Vec<String> = f
                .figures
                .iter()
                .flat_map(|fig| wrap(&fig.to_string(), widths[4]))
                .collect();
            let cells = vec![
                vec![(i + 1).to_string()],
                vec![f.kind.as_str().to_string()],
                vec![f.severity.as_str().to_string()],
                targets,
                figures,
                wrap(&f.explanation, widths[5]),
            ];
            push_row(&mut out, &widths, &cells);
            out.push('\n');
        }
        out.push_str("Kinds:\n");
        for k in FindingKind::ALL {
            out.push_str(&format!("  {:<20} {}\n", k.as_str(), k.description()));
        }
        out
    }
}

/// Checks a catalogue for consistency; `history` (if given) supplies known values.
///
/// See the [module documentation](self) for what is checked and the formulas. The
/// catalogue may already carry history ([`Catalogue::with_history`]); values are then
/// not counted twice. History rows in another unit than the catalogue's for the same
/// indicator are reported (`unit_mismatch`) and not used.
pub fn check_catalogue(catalogue: &Catalogue, history: Option<&History>) -> CheckReport {
    let mut ctx = Ctx::new(catalogue, history);
    // Which targets wait for a baseline is the assessment's decision, not a second one;
    // a target whose figure is unreadable is asked as if the figure were supplied (any
    // valid value: whether a base is known does not depend on it).
    let mut planned = history
        .and_then(|h| catalogue.clone().with_history(h).ok())
        .unwrap_or_else(|| catalogue.clone());
    for t in planned.targets.iter_mut().filter(|t| t.value.is_none()) {
        t.value = Some(1.0);
    }
    ctx.waiting = planned
        .targets
        .iter()
        .zip(crate::assess::readiness(&planned))
        .filter(|(_, r)| matches!(r, Err(crate::target::Unsimulated::NeedsBaseline)))
        .map(|(t, _)| t.id.clone())
        .collect();
    ctx.rate_level_pairs();
    ctx.implied_denominators();
    ctx.sub_targets();
    ctx.restated();
    ctx.side_by_side();
    ctx.needs_value();
    ctx.needs_baseline();
    let order = ctx.order;
    let mut findings = ctx.findings;
    let position = |f: &Finding| {
        f.targets
            .iter()
            .filter_map(|t| order.get(t.as_str()).copied())
            .min()
            .unwrap_or(usize::MAX)
    };
    findings.sort_by(|a, b| {
        (a.kind, a.severity, position(a), &a.targets).cmp(&(
            b.kind,
            b.severity,
            position(b),
            &b.targets,
        ))
    });
    CheckReport {
        targets_checked: catalogue.targets.len(),
        findings,
    }
}

/// Where a known value comes from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    /// A target states it as its base.
    Stated(String),
    /// The catalogue carries it (history merged before the check).
    Catalogue,
    /// The history file, at this line.
    History(u64),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Stated(id) => write!(f, "stated by {id}"),
            Source::Catalogue => f.write_str("catalogue"),
            Source::History(line) => write!(f, "history line {line}"),
        }
    }
}

/// Known values of one indicator, by year, in one unit.
#[derive(Debug, Clone, Default)]
struct Known {
    unit: String,
    values: BTreeMap<i32, (f64, Source)>,
}

/// A known value: year, value, where it comes from.
type KnownValue<'s> = (i32, f64, &'s Source);

/// State of one check run.
struct Ctx<'a> {
    cat: &'a Catalogue,
    /// Targets the assessment would report as `needs_baseline` ([`crate::assess::readiness`]).
    waiting: HashSet<String>,
    order: HashMap<&'a str, usize>,
    known: BTreeMap<IndicatorKey, Known>,
    findings: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    fn new(cat: &'a Catalogue, history: Option<&History>) -> Self {
        let order = cat
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut ctx = Ctx {
            cat,
            waiting: HashSet::new(),
            order,
            known: BTreeMap::new(),
            findings: Vec::new(),
        };
        for ind in &cat.indicators {
            let known = ctx.known.entry(ind.key.clone()).or_default();
            known.unit = ind.unit.clone();
            for h in &ind.history {
                known.values.insert(h.year, (h.value, Source::Catalogue));
            }
        }
        for t in &cat.targets {
            if let (Some(year), Some(value)) = (t.base_year, t.base_value) {
                let known = ctx.known.entry(t.indicator.clone()).or_default();
                if !matches!(known.values.get(&year), Some((_, Source::Stated(_)))) {
                    known
                        .values
                        .insert(year, (value, Source::Stated(t.id.clone())));
                }
            }
        }
        if let Some(h) = history {
            ctx.add_history(h);
        }
        ctx
    }

    /// Adds history values (last row wins), refusing rows in another unit.
    fn add_history(&mut self, history: &History) {
        let mut mismatched: BTreeMap<IndicatorKey, (String, String, Vec<u64>)> = BTreeMap::new();
        for row in history.rows.iter().filter(|r| r.bound == Bound::Value) {
            let known = self.known.entry(row.indicator.clone()).or_default();
            if known.unit.is_empty() {
                known.unit = row.unit.clone();
            }
            if known.unit != row.unit {
                mismatched
                    .entry(row.indicator.clone())
                    .or_insert_with(|| (known.unit.clone(), row.unit.clone(), Vec::new()))
                    .2
                    .push(row.line);
                continue;
            }
            match known.values.get(&row.year) {
                None | Some((_, Source::History(_))) => {
                    known
                        .values
                        .insert(row.year, (row.value, Source::History(row.line)));
                }
                Some(_) => {}
            }
        }
        let cat: &'a Catalogue = self.cat;
        for (key, (unit, history_unit, lines)) in mismatched {
            let targets: Vec<&Target> = cat.targets.iter().filter(|t| t.indicator == key).collect();
            let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
            self.push(
                FindingKind::UnitMismatch,
                Severity::Problem,
                &targets,
                Some(key.clone()),
                Vec::new(),
                format!(
                    "The catalogue writes {key} in `{unit}` but history line(s) {} are in `{history_unit}`; those values are not used. Convert them to `{unit}`.",
                    lines.join(", ")
                ),
            );
        }
    }

    fn push(
        &mut self,
        kind: FindingKind,
        severity: Severity,
        targets: &[&Target],
        indicator: Option<IndicatorKey>,
        figures: Vec<Figure>,
        explanation: String,
    ) {
        let documents: BTreeSet<String> = targets.iter().map(|t| t.document.clone()).collect();
        self.findings.push(Finding {
            kind,
            severity,
            targets: targets.iter().map(|t| t.id.clone()).collect(),
            documents: documents.into_iter().collect(),
            indicator,
            figures,
            explanation,
        });
    }

    fn target(&self, id: &str) -> Option<&'a Target> {
        let cat: &'a Catalogue = self.cat;
        self.order.get(id).map(|&i| &cat.targets[i])
    }

    /// The unit of an indicator's levels (empty when nothing says it).
    fn unit_of(&self, key: &IndicatorKey) -> String {
        self.known
            .get(key)
            .map(|k| k.unit.clone())
            .unwrap_or_default()
    }

    /// The unit of a target's figure: `%` for rates and shares, `rank` for ranks, else
    /// the indicator's unit.
    fn value_unit(&self, t: &Target) -> String {
        match t.kind {
            TargetKind::Growth | TargetKind::Increase | TargetKind::Decline | TargetKind::Share => {
                "%".into()
            }
            TargetKind::Rank => "rank".into(),
            _ => self.unit_of(&t.indicator),
        }
    }

    fn known_at(&self, key: &IndicatorKey, year: i32) -> Option<(f64, &Source)> {
        self.known.get(key)?.values.get(&year).map(|(v, s)| (*v, s))
    }

    /// The known value closest to `year`: the latest before it, else the earliest after.
    fn nearest_known(&self, key: &IndicatorKey, year: i32) -> Option<KnownValue<'_>> {
        let values = &self.known.get(key)?.values;
        values
            .range(..year)
            .next_back()
            .or_else(|| values.range(year..).next())
            .map(|(y, (v, s))| (*y, *v, s))
    }

    fn latest_known(&self, key: &IndicatorKey) -> Option<KnownValue<'_>> {
        self.known
            .get(key)?
            .values
            .iter()
            .next_back()
            .map(|(y, (v, s))| (*y, *v, s))
    }

    /// The base a rate goal is measured from, if some source states it.
    fn base_of(&self, rate: &Target, other: Option<&Target>) -> Option<(f64, String)> {
        let year = rate.base_year?;
        if let Some(v) = rate.base_value {
            return Some((v, format!("stated by {}", rate.id)));
        }
        if let Some(o) = other
            && o.base_year == Some(year)
            && let Some(v) = o.base_value
        {
            return Some((v, format!("stated by {}", o.id)));
        }
        self.known_at(&rate.indicator, year)
            .map(|(v, s)| (v, s.to_string()))
    }

    /// Targets grouped by indicator and deadline, in catalogue order.
    fn by_key_and_deadline(&self) -> BTreeMap<(IndicatorKey, i32), Vec<&'a Target>> {
        let cat: &'a Catalogue = self.cat;
        let mut groups: BTreeMap<(IndicatorKey, i32), Vec<&'a Target>> = BTreeMap::new();
        for t in &cat.targets {
            groups
                .entry((t.indicator.clone(), t.deadline))
                .or_default()
                .push(t);
        }
        groups
    }

    /// Rate + level (implied base, conflict) and growth + increase (equivalent rates).
    fn rate_level_pairs(&mut self) {
        for ((_, _), group) in self.by_key_and_deadline() {
            let rates: Vec<&Target> = group
                .iter()
                .copied()
                .filter(|t| t.kind.is_relative())
                .collect();
            let levels: Vec<&Target> = group
                .iter()
                .copied()
                .filter(|t| t.kind == TargetKind::Level)
                .collect();
            for r in &rates {
                // A rate goal is read with the level goals of its own document; levels of
                // other documents (restatements, see `restated`) only when it has none.
                let comparable = |l: &&&Target| l.comparator == r.comparator;
                let own: Vec<&Target> = levels
                    .iter()
                    .filter(comparable)
                    .filter(|l| l.document == r.document)
                    .copied()
                    .collect();
                let chosen: Vec<&Target> = if own.is_empty() {
                    levels.iter().filter(comparable).copied().collect()
                } else {
                    own
                };
                for l in chosen {
                    self.rate_and_level(r, l);
                }
            }
            for (i, a) in rates.iter().enumerate() {
                for b in &rates[i + 1..] {
                    let pair = match (a.kind, b.kind) {
                        (TargetKind::Growth, TargetKind::Increase) => Some((*a, *b)),
                        (TargetKind::Increase, TargetKind::Growth) => Some((*b, *a)),
                        _ => None,
                    };
                    if let Some((g, p)) = pair
                        && g.base_year == p.base_year
                    {
                        self.growth_and_increase(g, p);
                    }
                }
            }
        }
    }

    fn rate_and_level(&mut self, r: &Target, l: &Target) {
        let key = r.indicator.clone();
        let unit = self.unit_of(&key);
        let Some(base_year) = r.base_year else {
            return;
        };
        let deadline = l.deadline;
        let what = describe_rate(r);
        let known = self.base_of(r, Some(l));
        let mut figures = Vec::new();
        if let Some(v) = l.value {
            figures.push(Figure::new(
                format!("level goal {deadline}"),
                v,
                unit.clone(),
            ));
        }
        if let Some(v) = r.value {
            figures.push(Figure::new(rate_label(r), v, rate_unit(r)));
        }
        let pair = [r, l];
        match (r.factor(), l.value) {
            (Some(f), Some(level)) => {
                let implied = level / f;
                figures.push(Figure::new(
                    format!("implied base {base_year}"),
                    implied,
                    unit.clone(),
                ));
                if let Some((k, src)) = known {
                    figures.push(Figure::new(format!("known {base_year}"), k, unit.clone()));
                    let ratio = implied / k;
                    if (ratio - 1.0).abs() <= AGREEMENT_TOLERANCE {
                        self.push(
                            FindingKind::ImpliedBase,
                            Severity::Note,
                            &pair,
                            Some(key),
                            figures,
                            format!(
                                "{} and the level goal {} imply a {base_year} base of {}, which agrees with the known value {} ({src}).",
                                capitalise(&what),
                                with_unit(level, &unit),
                                with_unit(implied, &unit),
                                with_unit(k, &unit)
                            ),
                        );
                    } else {
                        let from_rate = k * f;
                        figures.push(Figure::new(
                            format!("level the rate gives {deadline}"),
                            from_rate,
                            unit.clone(),
                        ));
                        self.push(
                            FindingKind::Conflict,
                            Severity::Problem,
                            &pair,
                            Some(key),
                            figures,
                            format!(
                                "{} from the known {base_year} value {} ({src}) gives {} in {deadline}, but the level goal is {} ({:+.1} %): the two goals cannot both be meant as written. Together they imply a {base_year} base of {}.",
                                capitalise(&describe_rate_bare(r)),
                                with_unit(k, &unit),
                                with_unit(from_rate, &unit),
                                with_unit(level, &unit),
                                (level / from_rate - 1.0) * 100.0,
                                with_unit(implied, &unit)
                            ),
                        );
                    }
                } else if let Some((y, v, src)) = self.nearest_known(&key, base_year) {
                    let src = src.to_string();
                    figures.push(Figure::new(format!("known {y}"), v, unit.clone()));
                    let (from, to, growth) = if y < base_year {
                        (y, base_year, annual(implied / v, base_year - y))
                    } else {
                        (base_year, y, annual(v / implied, y - base_year))
                    };
                    figures.push(Figure::new(
                        format!("growth {from}-{to} this requires"),
                        growth * 100.0,
                        "%/yr",
                    ));
                    let equal = (implied / v - 1.0).abs() <= EXACT;
                    self.push(
                        FindingKind::ImpliedBase,
                        Severity::Note,
                        &pair,
                        Some(key),
                        figures,
                        format!(
                            "{} and the level goal {} imply a {base_year} base of {}; no value for {base_year} is known. The nearest known value is {} in {y} ({src}){}.",
                            capitalise(&what),
                            with_unit(level, &unit),
                            with_unit(implied, &unit),
                            with_unit(v, &unit),
                            if equal {
                                format!(
                                    ", exactly the implied base: the goal may count from {y}, or assume no change from {from} to {to}"
                                )
                            } else {
                                format!(
                                    ", so the indicator would have to grow {} a year from {from} to {to}",
                                    pct_text(growth)
                                )
                            }
                        ),
                    );
                } else {
                    self.push(
                        FindingKind::ImpliedBase,
                        Severity::Note,
                        &pair,
                        Some(key.clone()),
                        figures,
                        format!(
                            "{} and the level goal {} imply a {base_year} base of {}; no value of {key} is known to compare it with.",
                            capitalise(&what),
                            with_unit(level, &unit),
                            with_unit(implied, &unit)
                        ),
                    );
                }
            }
            (Some(f), None) => {
                let explanation = match known {
                    Some((k, src)) => {
                        figures.push(Figure::new(format!("known {base_year}"), k, unit.clone()));
                        figures.push(Figure::new(
                            format!("level the rate gives {deadline}"),
                            k * f,
                            unit.clone(),
                        ));
                        format!(
                            "The level goal {} cannot be read. {} from the known {base_year} value {} ({src}) gives {} in {deadline}: a reading of the level below that contradicts the rate goal.",
                            l.id,
                            capitalise(&describe_rate_bare(r)),
                            with_unit(k, &unit),
                            with_unit(k * f, &unit)
                        )
                    }
                    None => format!(
                        "The level goal {} cannot be read and no {base_year} value of {key} is known: nothing can be derived until one of them is supplied (then base = level / {}).",
                        l.id,
                        num(f)
                    ),
                };
                self.push(
                    FindingKind::ImpliedBase,
                    Severity::Note,
                    &pair,
                    Some(key),
                    figures,
                    explanation,
                );
            }
            (None, Some(level)) => {
                let years = deadline - base_year;
                let explanation = match known {
                    Some((k, src)) => {
                        figures.push(Figure::new(format!("known {base_year}"), k, unit.clone()));
                        let (label, value) = match r.kind {
                            TargetKind::Growth => ("growth a year", annual(level / k, years)),
                            TargetKind::Decline => ("total decline", 1.0 - level / k),
                            _ => ("total increase", level / k - 1.0),
                        };
                        figures.push(Figure::new(
                            format!("implied {label}"),
                            value * 100.0,
                            if r.kind == TargetKind::Growth {
                                "%/yr"
                            } else {
                                "%"
                            },
                        ));
                        format!(
                            "The rate goal {} cannot be read. The level goal {} and the known {base_year} value {} ({src}) imply {} {}.",
                            r.id,
                            with_unit(level, &unit),
                            with_unit(k, &unit),
                            label,
                            pct_text(value)
                        )
                    }
                    None => format!(
                        "The rate goal {} cannot be read and no {base_year} value of {key} is known: nothing can be derived yet.",
                        r.id
                    ),
                };
                self.push(
                    FindingKind::ImpliedBase,
                    Severity::Note,
                    &pair,
                    Some(key),
                    figures,
                    explanation,
                );
            }
            (None, None) => self.push(
                FindingKind::ImpliedBase,
                Severity::Note,
                &pair,
                Some(key),
                figures,
                format!(
                    "Neither the rate goal {} nor the level goal {} can be read: nothing can be derived yet.",
                    r.id, l.id
                ),
            ),
        }
    }

    fn growth_and_increase(&mut self, g: &Target, p: &Target) {
        let (Some(base_year), key) = (g.base_year, g.indicator.clone()) else {
            return;
        };
        let n = g.deadline - base_year;
        let pair = [g, p];
        let mut figures = Vec::new();
        if let Some(v) = g.value {
            figures.push(Figure::new(rate_label(g), v, "%/yr"));
        }
        if let Some(v) = p.value {
            figures.push(Figure::new(rate_label(p), v, "%"));
        }
        let period = format!("{base_year}-{}", g.deadline);
        match (g.value, p.value) {
            (Some(gv), Some(pv)) => {
                let total = (1.0 + gv / 100.0).powi(n) - 1.0;
                let yearly = annual(1.0 + pv / 100.0, n);
                figures.push(Figure::new(
                    "total increase the growth gives",
                    total * 100.0,
                    "%",
                ));
                figures.push(Figure::new(
                    "yearly growth the increase needs",
                    yearly * 100.0,
                    "%/yr",
                ));
                let agree = ((1.0 + total) / (1.0 + pv / 100.0) - 1.0).abs() <= AGREEMENT_TOLERANCE;
                let text = format!(
                    "Over {period} ({n} years), growth of {} a year is a total increase of {}; {} needs {} a year.",
                    pct_text(gv / 100.0),
                    pct_text(total),
                    describe_rate(p),
                    pct_text(yearly)
                );
                if agree {
                    self.push(
                        FindingKind::EquivalentRates,
                        Severity::Note,
                        &pair,
                        Some(key),
                        figures,
                        format!("{text} The two goals agree."),
                    );
                } else {
                    self.push(
                        FindingKind::Conflict,
                        Severity::Problem,
                        &pair,
                        Some(key),
                        figures,
                        format!("{text} The two goals disagree: one of them is the binding one."),
                    );
                }
            }
            (Some(gv), None) => {
                let total = (1.0 + gv / 100.0).powi(n) - 1.0;
                figures.push(Figure::new(
                    "total increase the growth gives",
                    total * 100.0,
                    "%",
                ));
                self.push(
                    FindingKind::EquivalentRates,
                    Severity::Note,
                    &pair,
                    Some(key),
                    figures,
                    format!(
                        "The increase goal {} cannot be read; growth of {} a year over {period} is a total increase of {}.",
                        p.id,
                        pct_text(gv / 100.0),
                        pct_text(total)
                    ),
                );
            }
            (None, Some(pv)) => {
                let yearly = annual(1.0 + pv / 100.0, n);
                figures.push(Figure::new(
                    "yearly growth the increase needs",
                    yearly * 100.0,
                    "%/yr",
                ));
                self.push(
                    FindingKind::EquivalentRates,
                    Severity::Note,
                    &pair,
                    Some(key),
                    figures,
                    format!(
                        "The growth goal {} cannot be read; {} over {period} ({n} years) is {} a year, so a readable rate below that would contradict it.",
                        g.id,
                        describe_rate(p),
                        pct_text(yearly)
                    ),
                );
            }
            (None, None) => {}
        }
    }

    /// A level (stated, or from a rate and a known base) and a share imply the denominator.
    fn implied_denominators(&mut self) {
        let cat: &'a Catalogue = self.cat;
        let groups = self.by_key_and_deadline();
        for t in &cat.targets {
            if t.kind != TargetKind::Share {
                continue;
            }
            let Some(denominator) = &t.denominator else {
                continue;
            };
            let group = groups
                .get(&(t.indicator.clone(), t.deadline))
                .cloned()
                .unwrap_or_default();
            let unit = self.unit_of(&t.indicator);
            let mut levels: Vec<(f64, &Target, String)> = Vec::new();
            for &l in &group {
                match l.kind {
                    TargetKind::Level if l.comparator == t.comparator => {
                        if let Some(v) = l.value {
                            levels.push((v, l, format!("level goal {}", l.id)));
                        }
                    }
                    TargetKind::Growth | TargetKind::Increase => {
                        if let (Some(f), Some((k, src))) = (l.factor(), self.base_of(l, None)) {
                            levels.push((
                                k * f,
                                l,
                                format!(
                                    "{} from {} ({src})",
                                    describe_rate(l),
                                    with_unit(k, &unit)
                                ),
                            ));
                        }
                    }
                    _ => {}
                }
            }
            let dkey = IndicatorKey::new(t.indicator.jurisdiction.clone(), denominator.clone());
            let dunit = self.unit_of(&dkey);
            for (level, l, how) in levels {
                let pair = [l, t];
                let mut figures = vec![Figure::new(
                    format!("level {}", t.deadline),
                    level,
                    unit.clone(),
                )];
                let Some(share) = t.value else {
                    self.push(
                        FindingKind::ImpliedDenominator,
                        Severity::Note,
                        &pair,
                        Some(dkey.clone()),
                        figures,
                        format!(
                            "The share goal {} cannot be read; once supplied, {dkey} in {} = {} / share.",
                            t.id,
                            t.deadline,
                            with_unit(level, &unit)
                        ),
                    );
                    continue;
                };
                figures.push(Figure::new(format!("share {}", t.deadline), share, "%"));
                let implied = level / (share / 100.0);
                figures.push(Figure::new(
                    format!("implied {denominator} {}", t.deadline),
                    implied,
                    unit.clone(),
                ));
                let mut text = format!(
                    "{} ({how}) at {} of {denominator} implies {denominator} of {} in {}.",
                    with_unit(level, &unit),
                    pct_text(share / 100.0),
                    with_unit(implied, &unit),
                    t.deadline
                );
                let mut severity = Severity::Note;
                let mut kind = FindingKind::ImpliedDenominator;
                if !dunit.is_empty() && dunit != unit {
                    text.push_str(&format!(
                        " Known values of {dkey} are in `{dunit}`, not `{unit}`: not compared."
                    ));
                } else {
                    let goals: Vec<&Target> = groups
                        .get(&(dkey.clone(), t.deadline))
                        .map(|g| {
                            g.iter()
                                .copied()
                                .filter(|d| d.kind == TargetKind::Level && d.value.is_some())
                                .collect()
                        })
                        .unwrap_or_default();
                    for d in goals {
                        let v = d.value.unwrap_or_default();
                        figures.push(Figure::new(format!("goal {}", d.id), v, unit.clone()));
                        if (implied / v - 1.0).abs() > AGREEMENT_TOLERANCE {
                            severity = Severity::Problem;
                            kind = FindingKind::Conflict;
                            text.push_str(&format!(
                                " The {denominator} goal {} is {}: the level, the share and the {denominator} goal disagree.",
                                d.id,
                                with_unit(v, &unit)
                            ));
                        } else {
                            text.push_str(&format!(
                                " This agrees with the {denominator} goal {} ({}).",
                                d.id,
                                with_unit(v, &unit)
                            ));
                        }
                    }
                    match self.latest_known(&dkey) {
                        Some((y, v, src)) if y < t.deadline => {
                            let g = annual(implied / v, t.deadline - y);
                            let src = src.to_string();
                            figures.push(Figure::new(
                                format!("latest {denominator} {y}"),
                                v,
                                unit.clone(),
                            ));
                            figures.push(Figure::new(
                                format!("{denominator} growth {y}-{} required", t.deadline),
                                g * 100.0,
                                "%/yr",
                            ));
                            text.push_str(&format!(
                                " From the latest known {denominator}, {} in {y} ({src}), that needs growth of {} a year (nominal, in {unit}).",
                                with_unit(v, &unit),
                                pct_text(g)
                            ));
                        }
                        _ => text.push_str(&format!(
                            " No earlier value of {dkey} is known to say what growth it needs."
                        )),
                    }
                }
                self.push(kind, severity, &pair, Some(dkey.clone()), figures, text);
            }
        }
    }

    /// Parts (`parent`) against their whole.
    fn sub_targets(&mut self) {
        let cat: &'a Catalogue = self.cat;
        let mut children: BTreeMap<usize, Vec<&'a Target>> = BTreeMap::new();
        for t in &cat.targets {
            let Some(parent_id) = &t.parent else {
                continue;
            };
            let Some(parent) = self.target(parent_id) else {
                self.push(
                    FindingKind::ParentStructure,
                    Severity::Problem,
                    &[t],
                    Some(t.indicator.clone()),
                    Vec::new(),
                    format!(
                        "{}'s parent `{parent_id}` is not a target of this catalogue.",
                        t.id
                    ),
                );
                continue;
            };
            // A chain of parents that comes back to the target is a cycle.
            let mut seen = BTreeSet::from([t.id.as_str()]);
            let mut next = Some(parent);
            let mut cycle = false;
            while let Some(p) = next {
                if !seen.insert(p.id.as_str()) {
                    cycle = true;
                    break;
                }
                next = p.parent.as_deref().and_then(|id| self.target(id));
            }
            if cycle {
                self.push(
                    FindingKind::ParentStructure,
                    Severity::Problem,
                    &[t, parent],
                    Some(t.indicator.clone()),
                    Vec::new(),
                    format!(
                        "The parent chain of {} comes back to a target already in it: a part cannot contain its whole.",
                        t.id
                    ),
                );
                continue;
            }
            children
                .entry(self.order[parent.id.as_str()])
                .or_default()
                .push(t);
        }
        for (index, kids) in children {
            let parent = &cat.targets[index];
            self.parts_of(parent, &kids);
        }
    }

    fn parts_of(&mut self, parent: &'a Target, kids: &[&'a Target]) {
        let unit = self.unit_of(&parent.indicator);
        let mut comparable: Vec<&Target> = Vec::new();
        let mut seen: BTreeMap<&IndicatorKey, &Target> = BTreeMap::new();
        for &k in kids {
            if k.indicator == parent.indicator {
                self.push(
                    FindingKind::ParentStructure,
                    Severity::Problem,
                    &[k, parent],
                    Some(k.indicator.clone()),
                    Vec::new(),
                    format!(
                        "{} is set on the same indicator as its parent {}: a part cannot be measured by the whole's own figure.",
                        k.id, parent.id
                    ),
                );
                continue;
            }
            if let Some(first) = seen.insert(&k.indicator, k) {
                self.push(
                    FindingKind::ParentStructure,
                    Severity::Problem,
                    &[first, k, parent],
                    Some(k.indicator.clone()),
                    Vec::new(),
                    format!(
                        "{} and {} put the same indicator {} under {}: summing the parts would count it twice.",
                        first.id, k.id, k.indicator, parent.id
                    ),
                );
                continue;
            }
            let kunit = self.unit_of(&k.indicator);
            let mut why = Vec::new();
            if k.kind != parent.kind {
                why.push(format!("kind `{}` vs `{}`", k.kind, parent.kind));
            }
            if kunit != unit {
                why.push(format!("unit `{kunit}` vs `{unit}`"));
            }
            if k.deadline != parent.deadline {
                why.push(format!("deadline {} vs {}", k.deadline, parent.deadline));
            }
            if k.indicator.jurisdiction != parent.indicator.jurisdiction {
                why.push(format!(
                    "jurisdiction {} vs {}",
                    k.indicator.jurisdiction, parent.indicator.jurisdiction
                ));
            }
            if why.is_empty() {
                comparable.push(k);
            } else {
                self.push(
                    FindingKind::ParentStructure,
                    Severity::Problem,
                    &[k, parent],
                    Some(k.indicator.clone()),
                    Vec::new(),
                    format!(
                        "{} cannot be added up as a part of {}: {}.",
                        k.id,
                        parent.id,
                        why.join(", ")
                    ),
                );
            }
        }
        if comparable.is_empty() {
            return;
        }
        let mut involved = vec![parent];
        involved.extend(comparable.iter().copied());
        let readable: Vec<&Target> = comparable
            .iter()
            .copied()
            .filter(|k| k.value.is_some())
            .collect();
        let unreadable: Vec<&str> = comparable
            .iter()
            .filter(|k| k.value.is_none())
            .map(|k| k.id.as_str())
            .collect();
        let sum: f64 = readable.iter().filter_map(|k| k.value).sum();
        let mut figures: Vec<Figure> = Vec::new();
        if let Some(v) = parent.value {
            figures.push(Figure::new(parent.id.clone(), v, unit.clone()));
        }
        for k in &readable {
            figures.push(Figure::new(
                k.id.clone(),
                k.value.unwrap_or_default(),
                unit.clone(),
            ));
        }
        figures.push(Figure::new("sum of parts", sum, unit.clone()));
        let never_both = "The whole's goal already contains its parts: add either the whole or its parts to any total, never both.";
        let missing = if unreadable.is_empty() {
            String::new()
        } else {
            format!(" Unreadable parts, not added: {}.", unreadable.join(", "))
        };
        let Some(whole) = parent.value else {
            self.push(
                FindingKind::SubTargets,
                Severity::Note,
                &involved,
                Some(parent.indicator.clone()),
                figures,
                format!(
                    "The whole {} cannot be read; its {} readable parts sum to {}, a lower bound for it.{missing} {never_both}",
                    parent.id,
                    readable.len(),
                    with_unit(sum, &unit)
                ),
            );
            return;
        };
        let rest = whole - sum;
        figures.push(Figure::new("rest of the whole", rest, unit.clone()));
        let comparator_note = if parent.comparator == Comparator::AtLeast {
            "at least"
        } else {
            "at most"
        };
        if sum > whole * (1.0 + EXACT) {
            self.push(
                FindingKind::SubTargets,
                Severity::Problem,
                &involved,
                Some(parent.indicator.clone()),
                figures,
                format!(
                    "The parts' goals add up to {}, more than the whole's goal of {comparator_note} {} (by {}): the whole's figure is understated or a part is counted in it twice.{missing} {never_both}",
                    with_unit(sum, &unit),
                    with_unit(whole, &unit),
                    with_unit(-rest, &unit)
                ),
            );
        } else {
            let share = sum / whole;
            let how = if rest.abs() <= whole * EXACT {
                "exactly the whole's goal: the parts are the whole".to_string()
            } else {
                format!(
                    "{} of the whole's goal of {}; {} is left to parts without a goal of their own",
                    pct_text(share),
                    with_unit(whole, &unit),
                    with_unit(rest, &unit)
                )
            };
            self.push(
                FindingKind::SubTargets,
                Severity::Note,
                &involved,
                Some(parent.indicator.clone()),
                figures,
                format!(
                    "{} of {} {} {}, {how}.{missing} {never_both}",
                    if readable.len() == 1 {
                        "The one part".to_string()
                    } else {
                        format!("The {} parts", readable.len())
                    },
                    parent.id,
                    if readable.len() == 1 {
                        "is"
                    } else {
                        "add up to"
                    },
                    with_unit(sum, &unit)
                ),
            );
        }
    }

    /// The same indicator, jurisdiction and kind in two documents.
    fn restated(&mut self) {
        let cat: &'a Catalogue = self.cat;
        let targets = &cat.targets;
        for (i, a) in targets.iter().enumerate() {
            if a.kind == TargetKind::Milestone {
                continue;
            }
            for b in &targets[i + 1..] {
                if b.document == a.document || b.indicator != a.indicator || b.kind != a.kind {
                    continue;
                }
                self.restated_pair(a, b);
            }
        }
    }

    fn restated_pair(&mut self, a: &Target, b: &Target) {
        let unit = self.value_unit(a);
        let key = a.indicator.clone();
        let period = |t: &Target| match t.base_year.filter(|_| t.kind.is_relative()) {
            Some(b) => format!("{b}-{}", t.deadline),
            None => t.deadline.to_string(),
        };
        let mut figures = Vec::new();
        for t in [a, b] {
            if let Some(v) = t.value {
                figures.push(Figure::new(
                    format!("{} ({})", t.id, period(t)),
                    v,
                    value_figure_unit(t, &unit),
                ));
            }
        }
        let pair = [a, b];
        let same_period =
            a.deadline == b.deadline && (!a.kind.is_relative() || a.base_year == b.base_year);
        let (Some(va), Some(vb)) = (a.value, b.value) else {
            let unreadable: Vec<&str> = pair
                .iter()
                .filter(|t| t.value.is_none())
                .map(|t| t.id.as_str())
                .collect();
            self.push(
                FindingKind::Restated,
                Severity::Note,
                &pair,
                Some(key),
                figures,
                format!(
                    "Documents {} and {} set a `{}` goal on {} ({} and {}); {} cannot be read, so agreement cannot be checked (see needs_value).",
                    a.document,
                    b.document,
                    a.kind,
                    a.indicator,
                    period(a),
                    period(b),
                    unreadable.join(" and ")
                ),
            );
            return;
        };
        let equal = (va - vb).abs() <= EXACT * va.abs().max(vb.abs());
        if same_period {
            if equal {
                self.push(
                    FindingKind::Restated,
                    Severity::Note,
                    &pair,
                    Some(key),
                    figures,
                    format!(
                        "Documents {} and {} set the same goal on {}: {} by {}. They agree.",
                        a.document,
                        b.document,
                        a.indicator,
                        with_unit(va, &value_figure_unit(a, &unit)),
                        period(a)
                    ),
                );
            } else {
                self.push(
                    FindingKind::Restated,
                    Severity::Problem,
                    &pair,
                    Some(key),
                    figures,
                    format!(
                        "Documents {} and {} set different figures for the same goal on {} ({}): {} vs {}. Which one is meant?",
                        a.document,
                        b.document,
                        a.indicator,
                        period(a),
                        with_unit(va, &value_figure_unit(a, &unit)),
                        with_unit(vb, &value_figure_unit(b, &unit))
                    ),
                );
            }
            return;
        }
        let mut text = format!(
            "Documents {} and {} set a `{}` goal on {} for different periods: {} by {} and {} by {}.",
            a.document,
            b.document,
            a.kind,
            a.indicator,
            with_unit(va, &value_figure_unit(a, &unit)),
            period(a),
            with_unit(vb, &value_figure_unit(b, &unit)),
            period(b)
        );
        if equal {
            text.push_str(" The figure is the same; only the period differs.");
        }
        if a.kind == TargetKind::Level && a.deadline != b.deadline && va > 0.0 && vb > 0.0 {
            let (early, late) = if a.deadline < b.deadline {
                ((a, va), (b, vb))
            } else {
                ((b, vb), (a, va))
            };
            let g = annual(late.1 / early.1, late.0.deadline - early.0.deadline);
            figures.push(Figure::new(
                format!(
                    "growth {}-{} between the goals",
                    early.0.deadline, late.0.deadline
                ),
                g * 100.0,
                "%/yr",
            ));
            if late.1 < early.1 && a.comparator == Comparator::AtLeast {
                text.push_str(&format!(
                    " The later goal ({}, {}) is lower than the earlier one ({}, {}): {} a year between them: either the later document no longer expects the earlier goal to be met, or the two measure different things.",
                    late.0.id,
                    late.0.deadline,
                    early.0.id,
                    early.0.deadline,
                    pct_text(g)
                ));
            } else if !equal {
                text.push_str(&format!(
                    " Going from one goal to the other takes {} a year.",
                    pct_text(g)
                ));
            }
        }
        self.push(
            FindingKind::Restated,
            Severity::Note,
            &pair,
            Some(key),
            figures,
            text,
        );
    }

    /// Goals of one indicator and kind in several jurisdictions, side by side.
    fn side_by_side(&mut self) {
        let cat: &'a Catalogue = self.cat;
        // Keyed by the kind's position in `TargetKind::ALL` (the documentation's order).
        let mut groups: BTreeMap<(&str, usize), Vec<&'a Target>> = BTreeMap::new();
        for t in &cat.targets {
            if t.kind == TargetKind::Milestone {
                continue;
            }
            groups
                .entry((t.indicator.id.as_str(), kind_rank(t.kind)))
                .or_default()
                .push(t);
        }
        for ((id, _), mut group) in groups {
            let kind = group[0].kind;
            let places: BTreeSet<&str> = group
                .iter()
                .map(|t| t.indicator.jurisdiction.as_str())
                .collect();
            if places.len() < 2 {
                continue;
            }
            group.sort_by_key(|t| {
                (
                    t.indicator.jurisdiction != PROVINCE,
                    t.indicator.jurisdiction.clone(),
                    self.order[t.id.as_str()],
                )
            });
            let units: BTreeMap<&str, String> = group
                .iter()
                .map(|t| (t.indicator.jurisdiction.as_str(), self.value_unit(t)))
                .collect();
            let distinct: BTreeSet<&String> = units.values().collect();
            if distinct.len() > 1 {
                let list: Vec<String> = units.iter().map(|(j, u)| format!("{j} `{u}`")).collect();
                self.push(
                    FindingKind::UnitMismatch,
                    Severity::Problem,
                    &group,
                    None,
                    Vec::new(),
                    format!(
                        "`{kind}` goals on {id} are written in different units: {}. They are not compared; write every jurisdiction's {id} in one unit.",
                        list.join(", ")
                    ),
                );
                continue;
            }
            let unit = units.values().next().cloned().unwrap_or_default();
            let mut figures = Vec::new();
            let mut lines = Vec::new();
            for t in &group {
                let label = format!(
                    "{} {}",
                    t.indicator.jurisdiction,
                    match t.base_year.filter(|_| t.kind.is_relative()) {
                        Some(b) => format!("{b}-{}", t.deadline),
                        None => t.deadline.to_string(),
                    }
                );
                match t.value {
                    Some(v) => {
                        figures.push(Figure::new(label.clone(), v, value_figure_unit(t, &unit)));
                        lines.push(format!(
                            "{label} {} ({})",
                            with_unit(v, &value_figure_unit(t, &unit)),
                            t.id
                        ));
                    }
                    None => lines.push(format!("{label} unreadable ({})", t.id)),
                }
            }
            let mut severity = Severity::Note;
            let mut text = format!(
                "`{kind}` goals on {id} in {} jurisdictions: {}.",
                places.len(),
                lines.join("; ")
            );
            let province: Vec<&Target> = group
                .iter()
                .copied()
                .filter(|t| t.indicator.jurisdiction == PROVINCE && t.value.is_some())
                .collect();
            let additive = matches!(
                kind,
                TargetKind::Level | TargetKind::Cumulative | TargetKind::PerYear
            ) && is_additive_unit(&unit);
            for city in group
                .iter()
                .filter(|t| t.indicator.jurisdiction != PROVINCE && t.value.is_some())
            {
                let cv = city.value.unwrap_or_default();
                // Compare with the province goal whose deadline is closest.
                let Some(p) = province.iter().min_by_key(|p| {
                    (
                        (p.deadline - city.deadline).abs(),
                        self.order[p.id.as_str()],
                    )
                }) else {
                    continue;
                };
                let pv = p.value.unwrap_or_default();
                if additive {
                    text.push_str(&format!(
                        " {}'s goal is {} of {}'s ({} by {} vs {} by {}).",
                        city.indicator.jurisdiction,
                        pct_text(cv / pv),
                        PROVINCE,
                        num(cv),
                        city.deadline,
                        num(pv),
                        p.deadline
                    ));
                    if cv > pv && city.comparator == Comparator::AtLeast {
                        severity = Severity::Problem;
                        text.push_str(&format!(
                            " A part of {PROVINCE} cannot need more than the whole: {} exceeds {}.",
                            city.id, p.id
                        ));
                    }
                } else {
                    let diff = cv - pv;
                    let by = if unit == "%" {
                        format!("{} points", num(diff.abs()))
                    } else {
                        with_unit(diff.abs(), &unit)
                    };
                    if diff.abs() <= EXACT * pv.abs().max(1.0) {
                        text.push_str(&format!(
                            " {} sets the same figure as {} ({} and {}).",
                            city.indicator.jurisdiction, PROVINCE, city.id, p.id
                        ));
                    } else {
                        text.push_str(&format!(
                            " {} is {by} {} {} ({} vs {}).",
                            city.indicator.jurisdiction,
                            if diff > 0.0 { "above" } else { "below" },
                            PROVINCE,
                            city.id,
                            p.id
                        ));
                    }
                }
            }
            self.push(
                FindingKind::SideBySide,
                severity,
                &group,
                None,
                figures,
                text,
            );
        }
    }

    /// Every uncertain target: what can be read.
    fn needs_value(&mut self) {
        let cat: &'a Catalogue = self.cat;
        for t in &cat.targets {
            if !t.uncertain {
                continue;
            }
            let mut figures = Vec::new();
            if let (Some(y), Some(v)) = (t.base_year, t.base_value) {
                figures.push(Figure::new(
                    format!("base {y}"),
                    v,
                    self.unit_of(&t.indicator),
                ));
            }
            let mut text = format!("Document {} writes «{}».", t.document, t.quote);
            if t.value.is_none() {
                text.push_str(&format!(
                    " The `{}` figure due {} cannot be read; supply it (target_value) to simulate.",
                    t.kind, t.deadline
                ));
            }
            if !t.note.is_empty() {
                text.push_str(&format!(" Reading: {}", t.note));
            }
            self.push(
                FindingKind::NeedsValue,
                Severity::Missing,
                &[t],
                Some(t.indicator.clone()),
                figures,
                text,
            );
        }
    }

    /// Simulable goals whose indicator has no known value where one is needed.
    fn needs_baseline(&mut self) {
        // missing indicator → (targets, what is needed)
        let cat: &'a Catalogue = self.cat;
        let mut missing: BTreeMap<IndicatorKey, Vec<(&'a Target, String)>> = BTreeMap::new();
        let listed = |m: &BTreeMap<IndicatorKey, Vec<(&'a Target, String)>>| {
            m.values().map(Vec::len).sum::<usize>()
        };
        for t in cat.targets.iter().filter(|t| self.waiting.contains(&t.id)) {
            let key = &t.indicator;
            let any = self.latest_known(key).is_some();
            let before = listed(&missing);
            match t.kind {
                TargetKind::Level => {
                    if !any {
                        missing
                            .entry(key.clone())
                            .or_default()
                            .push((t, format!("a recent value (before {})", t.deadline)));
                    }
                }
                TargetKind::Growth | TargetKind::Increase | TargetKind::Decline => {
                    let Some(b) = t.base_year else {
                        continue;
                    };
                    let stated = t.base_value.is_some() || self.known_at(key, b).is_some();
                    let earlier = self.latest_known(key).is_some_and(|(y, _, _)| y < b);
                    if !stated && !earlier {
                        missing.entry(key.clone()).or_default().push((
                            t,
                            if any {
                                format!("the {b} value (known values start after {b})")
                            } else {
                                format!("the {b} value (or an earlier one)")
                            },
                        ));
                    }
                }
                TargetKind::Share => {
                    if t.base_value.is_some() {
                        continue;
                    }
                    if !any {
                        missing.entry(key.clone()).or_default().push((
                            t,
                            format!("a recent value (before {}, numerator)", t.deadline),
                        ));
                    }
                    if let Some(d) = &t.denominator {
                        let dkey = IndicatorKey::new(key.jurisdiction.clone(), d.clone());
                        if self.latest_known(&dkey).is_none() {
                            missing.entry(dkey).or_default().push((
                                t,
                                format!("a recent value (before {}, denominator)", t.deadline),
                            ));
                        }
                    }
                }
                TargetKind::Cumulative | TargetKind::PerYear | TargetKind::GrowthEveryYear => {
                    if !any {
                        missing.entry(key.clone()).or_default().push((
                            t,
                            "recent yearly values (the flow the goal sums or bounds)".to_string(),
                        ));
                    }
                }
                TargetKind::Rank | TargetKind::Milestone => {}
            }
            if listed(&missing) == before {
                missing.entry(key.clone()).or_default().push((
                    t,
                    format!("a known value in or before the base year of {}", t.id),
                ));
            }
        }
        for (key, items) in missing {
            let unit = self.unit_of(&key);
            let targets: Vec<&Target> = items.iter().map(|(t, _)| *t).collect();
            let mut needs: Vec<String> = Vec::new();
            for (t, what) in &items {
                let line = format!("{what} for {}", t.id);
                if !needs.contains(&line) {
                    needs.push(line);
                }
            }
            let unit_text = if unit.is_empty() {
                "unit not stated by any row".to_string()
            } else {
                format!("in `{unit}`")
            };
            self.push(
                FindingKind::NeedsBaseline,
                Severity::Missing,
                &targets,
                Some(key.clone()),
                Vec::new(),
                format!(
                    "No value of {key} ({unit_text}) is known from the documents or history. Supply {}.",
                    needs.join("; ")
                ),
            );
        }
    }
}

/// The position of a kind in [`TargetKind::ALL`].
fn kind_rank(kind: TargetKind) -> usize {
    TargetKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

/// Whether goals in `unit` add up across jurisdictions (amounts and counts, not rates,
/// ratios per head, ranks or classes).
fn is_additive_unit(unit: &str) -> bool {
    !(unit.is_empty()
        || unit == "%"
        || unit.contains('/')
        || matches!(unit, "rank" | "class" | "ratio" | "tier" | "status"))
}

/// The constant yearly growth that multiplies a level by `factor` over `years`.
fn annual(factor: f64, years: i32) -> f64 {
    if years == 0 {
        return f64::NAN;
    }
    factor.powf(1.0 / f64::from(years)) - 1.0
}

/// "growth of 14 % a year from 2023", "a doubling from 2020" …
fn describe_rate(t: &Target) -> String {
    let from = t
        .base_year
        .map(|b| format!(" from {b}"))
        .unwrap_or_default();
    describe_rate_from(t, &from)
}

/// "growth of 14 % a year", "a doubling" …, without the base year.
fn describe_rate_bare(t: &Target) -> String {
    describe_rate_from(t, "")
}

fn describe_rate_from(t: &Target, from: &str) -> String {
    match (t.kind, t.value) {
        (_, None) => format!("an unreadable `{}` goal{from}", t.kind),
        (TargetKind::Growth, Some(v)) => format!("growth of {} a year{from}", pct_text(v / 100.0)),
        (TargetKind::Increase, Some(v)) if (v - 100.0).abs() < EXACT => format!("a doubling{from}"),
        (TargetKind::Increase, Some(v)) => format!("an increase of {}{from}", pct_text(v / 100.0)),
        (TargetKind::Decline, Some(v)) => format!("a decline of {}{from}", pct_text(v / 100.0)),
        (kind, Some(v)) => format!("a `{kind}` goal of {}{from}", num(v)),
    }
}

/// The name of a rate goal's figure.
fn rate_label(t: &Target) -> String {
    let period = match t.base_year {
        Some(b) => format!(" {b}-{}", t.deadline),
        None => String::new(),
    };
    match t.kind {
        TargetKind::Growth => format!("growth goal{period}"),
        TargetKind::Increase => format!("increase goal{period}"),
        TargetKind::Decline => format!("decline goal{period}"),
        kind => format!("{kind} goal{period}"),
    }
}

/// `%/yr` for yearly growth, `%` for totals.
fn rate_unit(t: &Target) -> &'static str {
    if t.kind == TargetKind::Growth {
        "%/yr"
    } else {
        "%"
    }
}

/// The unit of a target's figure in a comparison: `%/yr` for growth, else `unit`.
fn value_figure_unit(t: &Target, unit: &str) -> String {
    if t.kind == TargetKind::Growth {
        "%/yr".into()
    } else {
        unit.to_string()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A number for reading: integers as integers, otherwise two decimals from 1 up and
/// four significant digits below; trailing zeros dropped.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if (x - x.round()).abs() < 1e-9 * x.abs().max(1.0) {
        return format!("{}", x.round() as i64);
    }
    let a = x.abs();
    let s = if a >= 1.0 {
        format!("{x:.2}")
    } else {
        let digits = (3 - a.log10().floor() as i32).clamp(0, 12) as usize;
        format!("{x:.digits$}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A fraction as a percentage for text: `0.1487` → `14.87 %`.
fn pct_text(fraction: f64) -> String {
    format!("{} %", num(fraction * 100.0))
}

/// A number followed by its unit (none when the unit is empty).
fn with_unit(x: f64, unit: &str) -> String {
    if unit.is_empty() {
        num(x)
    } else {
        format!("{} {unit}", num(x))
    }
}

/// Columns a character takes in a terminal: 2 for East Asian wide and full-width
/// characters, 1 otherwise.
fn char_width(c: char) -> usize {
    let u = u32::from(c);
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Wraps text to `width` columns: breaks at spaces, between wide characters, and inside
/// a word only when the word alone is wider than a line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut tokens: Vec<(String, bool)> = Vec::new(); // (token, space before)
    let mut space = false;
    let mut word = String::new();
    let flush = |word: &mut String, space: &mut bool, tokens: &mut Vec<(String, bool)>| {
        if !word.is_empty() {
            tokens.push((std::mem::take(word), *space));
            *space = false;
        }
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut space, &mut tokens);
            space = true;
        } else if char_width(c) == 2 {
            flush(&mut word, &mut space, &mut tokens);
            tokens.push((c.to_string(), space));
            space = false;
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut space, &mut tokens);

    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for (token, space_before) in tokens {
        let w = display_width(&token);
        let gap = usize::from(space_before && !line.is_empty());
        if used + gap + w <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(&token);
            used += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if w <= width {
            line.push_str(&token);
            used = w;
        } else {
            for c in token.chars() {
                let cw = char_width(c);
                if used + cw > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Appends one table row whose cells span several lines.
fn push_row(out: &mut String, widths: &[usize], cells: &[Vec<String>]) {
    let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    for i in 0..height {
        let mut line = String::new();
        for (j, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let text = cell.get(i).map_or("", String::as_str);
            if j > 0 {
                line.push_str("  ");
            }
            line.push_str(text);
            if j + 1 < cells.len() {
                line.push_str(&" ".repeat(w.saturating_sub(display_width(text))));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote,denominator,uncertain,note,parent\n";

    fn catalogue(rows: &str) -> Catalogue {
        Catalogue::from_reader(format!("{HEADER}{rows}").as_bytes(), "test.csv")
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn history(rows: &str) -> History {
        History::from_reader(
            format!("indicator,jurisdiction,year,value,unit,bound\n{rows}").as_bytes(),
            "h.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn figure(f: &Finding, prefix: &str) -> f64 {
        f.figures
            .iter()
            .find(|g| g.name.starts_with(prefix))
            .unwrap_or_else(|| panic!("no figure {prefix} in {f:?}"))
            .value
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn a_level_and_a_share_imply_gdp_and_the_growth_it_needs() {
        let c = catalogue(
            "a,sei,Hubei,战新,SEI,亿元,level,>=,,,18000,2028,000,q,,,,\n\
             b,sei,Hubei,战新占比,SEI share,%,share,>=,,,25,2028,000,q,gdp,,,\n",
        );
        let h = history("gdp,Hubei,2022,53734.92,亿元,\n");
        let r = check_catalogue(&c, Some(&h));
        let f: Vec<_> = r.of_kind(FindingKind::ImpliedDenominator).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert_eq!(f[0].targets, ["a", "b"]);
        assert!(close(figure(f[0], "implied gdp"), 72_000.0));
        let g = (72_000.0_f64 / 53_734.92).powf(1.0 / 6.0) - 1.0;
        assert!(close(figure(f[0], "gdp growth 2022-2028"), g * 100.0));
        assert_eq!(f[0].indicator, Some(IndicatorKey::new("Hubei", "gdp")));
        assert_eq!(r.count_severity(Severity::Problem), 0);
    }

    #[test]
    fn a_denominator_goal_that_disagrees_is_a_conflict() {
        let c = catalogue(
            "a,sei,Hubei,战新,SEI,亿元,level,>=,,,18000,2028,000,q,,,,\n\
             b,sei,Hubei,战新占比,SEI share,%,share,>=,,,25,2028,000,q,gdp,,,\n\
             g,gdp,Hubei,GDP,GDP,亿元,level,>=,,,90000,2028,000,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        assert_eq!(r.count(FindingKind::Conflict), 1, "{r:#?}");
        assert_eq!(r.count(FindingKind::ImpliedDenominator), 0);
    }

    #[test]
    fn a_growth_and_a_level_imply_a_base() {
        let c = catalogue(
            "g,rev,Hubei,营收,revenue,亿元,growth,>=,2020,,14,2025,002,q,,,,\n\
             l,rev,Hubei,营收,revenue,亿元,level,>=,,,13000,2025,002,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::ImpliedBase).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert!(close(
            figure(f[0], "implied base 2020"),
            13_000.0 / 1.14f64.powi(5)
        ));
        assert_eq!(f[0].severity, Severity::Note);
        assert!(f[0].explanation.contains("no value of Hubei/rev is known"));
    }

    #[test]
    fn an_implied_base_is_set_beside_the_nearest_known_value() {
        let c = catalogue(
            "d,hte,Ezhou,高企,HTE,count,increase,>=,2023,,100,2029,001,q,,,,\n\
             l,hte,Ezhou,高企,HTE,count,level,>=,,,450,2029,001,q,,,,\n",
        );
        let h = history("hte,Ezhou,2022,225,count,\n");
        let r = check_catalogue(&c, Some(&h));
        let f: Vec<_> = r.of_kind(FindingKind::ImpliedBase).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert!(close(figure(f[0], "implied base 2023"), 225.0));
        assert!(close(figure(f[0], "known 2022"), 225.0));
        assert!(close(figure(f[0], "growth 2022-2023"), 0.0));
        assert!(f[0].explanation.contains("exactly the implied base"));
    }

    #[test]
    fn a_doubling_beside_a_base_that_is_not_half_the_level_is_a_conflict() {
        let c = catalogue(
            "d,tc,Hubei,技术合同,turnover,亿元,increase,>=,2020,1686.97,100,2025,003,q,,,,\n\
             l,tc,Hubei,技术合同,turnover,亿元,level,>=,,,3000,2025,003,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::Conflict).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert_eq!(f[0].severity, Severity::Problem);
        assert!(close(figure(f[0], "level the rate gives"), 3373.94));
        assert!(
            f[0].explanation
                .contains("A doubling from the known 2020 value")
        );
    }

    #[test]
    fn consistent_goals_produce_no_problem() {
        // A doubling from a stated base with the matching level, growth and increase
        // that agree, parts inside their whole, and the same goal restated unchanged.
        let c = catalogue(
            "d,tc,Hubei,技术合同,turnover,亿元,increase,>=,2020,1500,100,2025,003,q,,,,\n\
             l,tc,Hubei,技术合同,turnover,亿元,level,>=,,,3000,2025,003,q,,,,\n\
             g,tc,Hubei,技术合同,turnover,亿元,growth,>=,2020,,14.87,2025,003,q,,,,\n\
             w,chem,Hubei,化工及能源,chemicals and energy,亿元,level,>=,,,10000,2025,002,q,,,,\n\
             p1,chem_a,Hubei,化工,chemicals,亿元,level,>=,,,7500,2025,002,q,,,,w\n\
             p2,chem_b,Hubei,能源,energy,亿元,level,>=,,,2500,2025,002,q,,,,w\n\
             x,auto,Hubei,汽车,automotive,亿元,level,>=,,,10000,2025,002,q,,,,\n\
             y,auto,Hubei,汽车,automotive,亿元,level,>=,,,10000,2025,003,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        assert_eq!(r.count_severity(Severity::Problem), 0, "{r:#?}");
        assert_eq!(r.count(FindingKind::Conflict), 0);
        assert_eq!(r.count(FindingKind::ParentStructure), 0);
        assert_eq!(r.count(FindingKind::EquivalentRates), 1);
        let parts: Vec<_> = r.of_kind(FindingKind::SubTargets).collect();
        assert_eq!(parts.len(), 1);
        assert!(parts[0].explanation.contains("the parts are the whole"));
        let restated: Vec<_> = r.of_kind(FindingKind::Restated).collect();
        assert_eq!(restated.len(), 1);
        assert!(restated[0].explanation.contains("They agree"));
        // No figure is unreadable.
        let missing: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::NeedsValue)
            .collect();
        assert!(missing.is_empty());
    }

    #[test]
    fn growth_and_increase_that_disagree_are_a_conflict() {
        let c = catalogue(
            "d,va,Hubei,增加值,value added,亿元,increase,>=,2020,8684.1,100,2025,003,q,,,,\n\
             g,va,Hubei,增加值,value added,亿元,growth,>=,2020,8684.1,12,2025,003,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::Conflict).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert!(close(
            figure(f[0], "total increase the growth gives"),
            (1.12f64.powi(5) - 1.0) * 100.0
        ));
        assert!(close(
            figure(f[0], "yearly growth the increase needs"),
            (2f64.powf(0.2) - 1.0) * 100.0
        ));
    }

    #[test]
    fn an_unreadable_rate_beside_a_doubling_gets_the_equivalent_rate() {
        let c = catalogue(
            "d,va,Hubei,增加值,value added,亿元,increase,>=,2020,8684.1,100,2025,003,q,,,,\n\
             g,va,Hubei,增加值,value added,亿元,growth,>=,2020,8684.1,,2025,003,q,,true,reads ?2%,\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::EquivalentRates).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert!(close(
            figure(f[0], "yearly growth"),
            (2f64.powf(0.2) - 1.0) * 100.0
        ));
        assert_eq!(r.count(FindingKind::NeedsValue), 1);
    }

    #[test]
    fn parts_that_exceed_their_whole_are_a_problem() {
        let c = catalogue(
            "w,it,Hubei,信息技术,IT,亿元,level,>=,,,5000,2025,002,q,,,,\n\
             a,ic,Hubei,集成电路,IC,亿元,level,>=,,,3000,2025,002,q,,,,w\n\
             b,display,Hubei,新型显示,display,亿元,level,>=,,,2500,2025,002,q,,,,w\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::SubTargets).collect();
        assert_eq!(f.len(), 1, "{r:#?}");
        assert_eq!(f[0].severity, Severity::Problem);
        assert_eq!(f[0].targets, ["w", "a", "b"]);
        assert!(close(figure(f[0], "sum of parts"), 5500.0));
        assert!(close(figure(f[0], "rest of the whole"), -500.0));
    }

    #[test]
    fn parts_inside_their_whole_leave_a_rest() {
        let c = catalogue(
            "w,it,Hubei,信息技术,IT,亿元,level,>=,,,13000,2025,002,q,,,,\n\
             a,ic,Hubei,集成电路,IC,亿元,level,>=,,,1200,2025,002,q,,,,w\n\
             b,display,Hubei,新型显示,display,亿元,level,>=,,,1600,2025,002,q,,,,w\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::SubTargets).collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Note);
        assert!(close(figure(f[0], "rest of the whole"), 10_200.0));
        assert!(f[0].explanation.contains("never both"));
    }

    #[test]
    fn broken_or_double_counting_parents_are_named() {
        let c = catalogue(
            "w,it,Hubei,信息技术,IT,亿元,level,>=,,,13000,2025,002,q,,,,\n\
             a,ic,Hubei,集成电路,IC,亿元,level,>=,,,1200,2025,002,q,,,,w\n\
             b,ic,Hubei,集成电路,IC,亿元,level,>=,,,1200,2025,002,q,,,,w\n\
             c,cars,Hubei,汽车,cars,万辆,level,>=,,,300,2025,002,q,,,,w\n\
             d,x,Hubei,x,x,亿元,level,>=,,,1,2025,002,q,,,,nowhere\n\
             e,y,Hubei,y,y,亿元,level,>=,,,1,2025,002,q,,,,f\n\
             f,z,Hubei,z,z,亿元,level,>=,,,1,2025,002,q,,,,e\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::ParentStructure).collect();
        let text: Vec<&str> = f.iter().map(|f| f.explanation.as_str()).collect();
        assert!(
            text.iter().any(|t| t.contains("count it twice")),
            "{text:#?}"
        );
        assert!(
            text.iter().any(|t| t.contains("unit `万辆` vs `亿元`")),
            "{text:#?}"
        );
        assert!(
            text.iter().any(|t| t.contains("`nowhere` is not a target")),
            "{text:#?}"
        );
        assert_eq!(text.iter().filter(|t| t.contains("comes back")).count(), 2);
        assert!(f.iter().all(|f| f.severity == Severity::Problem));
    }

    #[test]
    fn restated_goals_agree_disagree_or_differ_in_period() {
        let c = catalogue(
            "a,cargo,Ezhou,货邮,cargo,万吨,level,>=,,,300,2028,000,q,,,,\n\
             b,cargo,Ezhou,货邮,cargo,万吨,level,>=,,,300,2029,001,q,,,,\n\
             c,it,Hubei,光芯屏端网,IT,亿元,level,>=,,,13000,2025,002,q,,,,\n\
             d,it,Hubei,光芯屏端网,IT,亿元,level,>=,,,10000,2028,000,q,,,,\n\
             e,rd,Hubei,研发,R&D,亿元,growth,>=,2020,,15,2025,002,q,,,,\n\
             f,rd,Hubei,研发,R&D,亿元,growth,>=,2020,,14,2025,003,q,,,,\n\
             g,rd,Hubei,研发,R&D,亿元,growth,>=,2023,,,2028,004,q,,true,reads ?4,\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::Restated).collect();
        let find = |a: &str, b: &str| {
            f.iter()
                .find(|x| x.targets == [a, b])
                .unwrap_or_else(|| panic!("no pair {a} {b}: {f:#?}"))
        };
        let ab = find("a", "b");
        assert_eq!(ab.severity, Severity::Note);
        assert!(ab.explanation.contains("only the period differs"));
        let cd = find("c", "d");
        assert!(cd.explanation.contains("lower than the earlier one"));
        assert!(close(
            figure(cd, "growth 2025-2028"),
            ((10_000.0f64 / 13_000.0).powf(1.0 / 3.0) - 1.0) * 100.0
        ));
        let ef = find("e", "f");
        assert_eq!(ef.severity, Severity::Problem);
        assert!(find("e", "g").explanation.contains("cannot be read"));
        // Goals within one document are not restatements.
        assert!(f.iter().all(|x| x.documents.len() == 2));
    }

    #[test]
    fn city_and_province_goals_are_set_side_by_side() {
        let c = catalogue(
            "a,rd,Hubei,研发,R&D,亿元,growth,>=,2023,,14,2028,000,q,,,,\n\
             b,rd,Ezhou,研发,R&D,亿元,growth,>=,2023,,12,2029,001,q,,,,\n\
             c,hte,Hubei,高企,HTE,count,level,>=,,,500,2028,000,q,,,,\n\
             d,hte,Ezhou,高企,HTE,count,level,>=,,,450,2029,001,q,,,,\n\
             e,hte,Huangshi,高企,HTE,count,level,>=,,,1500,2030,004,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::SideBySide).collect();
        assert_eq!(f.len(), 2, "{f:#?}");
        let rd = f.iter().find(|x| x.targets == ["a", "b"]).unwrap();
        assert_eq!(rd.severity, Severity::Note);
        assert!(
            rd.explanation.contains("Ezhou is 2 points below Hubei"),
            "{}",
            rd.explanation
        );
        let hte = f.iter().find(|x| x.targets == ["c", "d", "e"]).unwrap();
        assert_eq!(hte.severity, Severity::Problem);
        assert!(hte.explanation.contains("e exceeds c"));
    }

    #[test]
    fn different_units_across_jurisdictions_are_not_compared() {
        let c = catalogue(
            "a,trade,Hubei,进出口,trade,亿元,level,>=,,,10000,2028,000,q,,,,\n\
             b,trade,Ezhou,进出口,trade,万元,level,>=,,,1000000,2029,001,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        assert_eq!(r.count(FindingKind::UnitMismatch), 1, "{r:#?}");
        assert_eq!(r.count(FindingKind::SideBySide), 0);
    }

    #[test]
    fn history_in_another_unit_is_reported_and_not_used() {
        let c = catalogue("a,trade,Hubei,进出口,trade,亿元,level,>=,,,10000,2028,000,q,,,,\n");
        let h = history("trade,Hubei,2022,6000,万元,\n");
        let r = check_catalogue(&c, Some(&h));
        assert_eq!(r.count(FindingKind::UnitMismatch), 1, "{r:#?}");
        assert!(r.targets_in(FindingKind::NeedsBaseline).contains("a"));
    }

    #[test]
    fn unreadable_figures_need_a_value() {
        let c = catalogue(
            "u,labs,Hubei,湖北实验室,Hubei labs,count,level,>=,,,,2025,003,建?0个左右湖北实验室,,true,tens digit lost,\n",
        );
        let r = check_catalogue(&c, None);
        let f: Vec<_> = r.of_kind(FindingKind::NeedsValue).collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Missing);
        assert!(f[0].explanation.contains("建?0个左右湖北实验室"));
        assert!(f[0].explanation.contains("tens digit lost"));
    }

    #[test]
    fn goals_without_a_known_base_need_a_baseline() {
        let c = catalogue(
            "a,labs,Hubei,实验室,labs,count,level,>=,,,30,2028,000,q,,,,\n\
             b,rd,Hubei,研发,R&D,亿元,growth,>=,2023,,14,2028,000,q,,,,\n\
             c,rd,Hubei,研发,R&D,亿元,growth,>=,2015,,14,2020,000,q,,,,\n\
             d,rd,Hubei,研发强度,R&D share,%,share,>=,,,3,2028,000,q,gdp,,,\n\
             e,talents,Hubei,人才,talents,count,cumulative,>=,2023,,500,2028,000,q,,,,\n\
             f,rank,Hubei,排名,rank,rank,rank,<=,,,1,2028,000,q,,,,\n",
        );
        let h = history("rd,Hubei,2022,1254.7,亿元,\n");
        let r = check_catalogue(&c, Some(&h));
        let needs = r.targets_in(FindingKind::NeedsBaseline);
        // b starts from the simulated 2023 level (history ends in 2022); c's deadline
        // (2020) is before the last known value, which the assessment reports as
        // `deadline_not_after_base`, not as a missing baseline.
        assert_eq!(needs, BTreeSet::from(["a", "d", "e"]), "{r:#?}");
        let gdp = r
            .of_kind(FindingKind::NeedsBaseline)
            .find(|f| f.indicator == Some(IndicatorKey::new("Hubei", "gdp")))
            .expect("the missing denominator is named");
        assert_eq!(gdp.targets, ["d"]);
    }

    #[test]
    fn the_report_is_ordered_and_renders_as_csv_and_text() {
        let c = catalogue(
            "u,labs,Hubei,湖北实验室,Hubei labs,count,level,>=,,,,2025,003,建?0个,,true,lost,\n\
             d,tc,Hubei,技术合同,turnover,亿元,increase,>=,2020,1686.97,100,2025,003,q,,,,\n\
             l,tc,Hubei,技术合同,turnover,亿元,level,>=,,,3000,2025,003,q,,,,\n",
        );
        let r = check_catalogue(&c, None);
        let kinds: Vec<FindingKind> = r.findings.iter().map(|f| f.kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted);
        assert_eq!(r, check_catalogue(&c, None));

        let csv = String::from_utf8(crate::report::tables::check_csv(&r).unwrap()).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "kind,severity,targets,documents,indicator,figures,explanation"
        );
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.records().count(), r.findings.len());

        let text = r.render_table();
        assert!(text.starts_with("3 targets checked:"));
        for f in &r.findings {
            assert!(text.contains(f.kind.as_str()));
        }
        assert!(text.contains("needs_value") && text.contains("conflict"));
    }

    #[test]
    fn wrapping_counts_chinese_characters_as_two_columns() {
        assert_eq!(display_width("湖北 ab"), 7);
        let lines = wrap("全社会研发经费投入年均增长14%以上 and more words here", 12);
        assert!(lines.iter().all(|l| display_width(l) <= 12), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "全社会研发经费投入年均增长14%以上andmorewordshere"
        );
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(num(72_000.0), "72000");
        assert_eq!(num(11_176.614), "11176.61");
        assert_eq!(num(1686.97), "1686.97");
        assert_eq!(num(14.8698), "14.87");
        assert_eq!(num(5.0), "5");
        assert_eq!(num(0.012345), "0.01235");
        assert_eq!(num(-0.0), "0");
    }
}

//! Consistency checks of a set of targets, before anything is simulated.
//!
//! [`check_catalogue`] reads a catalogue (one seed document or all five together) and,
//! optionally, observed history, and returns a [`CheckReport`]: a list of [`Finding`]s
//! that an economist can read as a table — the kind of finding, the targets involved,
//! the figures (each with its unit) and an explanation. The report is data;
//! [`crate::report::tables::check_csv`] and [`crate::report::text_table::check_txt`] turn it into a
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
//! | `side_by_side` | note (problem if a city's additive goal exceeds that of the jurisdiction it lies within) | goals of one indicator and kind in several jurisdictions; which jurisdiction lies within which comes from a [`Jurisdictions`] table (`data/jurisdictions.csv`) |
//! | `needs_value` | missing | the document's figure is unreadable (`uncertain`): what can be read |
//! | `needs_baseline` | missing | an indicator with no known value where a simulable goal needs one |
//!
//! Findings come in a fixed order: by kind (the order above), then severity, then the
//! catalogue position of their first target.
//!
//! # Rules
//!
//! Each kind of finding is a rule in its own file: a function of the catalogue and the
//! shared fact table (`facts.rs`: what value is known for an indicator in a year, built
//! once, then only read) that returns its findings. `rates.rs` (rates beside levels,
//! growth beside increase), `denominators.rs` (implied denominators), `parts.rs` (parts
//! and wholes), `restated.rs`, `side_by_side.rs` (city beside province) and `missing.rs`
//! (needs_value, needs_baseline); `text.rs` writes the numbers and goals the
//! explanations share. [`check_catalogue`] runs them all and orders their findings.
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
//! use goalcast::{Catalogue, Jurisdictions};
//! use goalcast::check::{FindingKind, check_catalogue};
//!
//! let catalogue = Catalogue::from_reader(
//!     "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote,denominator\n\
//!      a,sei_value_added,Hubei,战略性新兴产业增加值,SEI value added,亿元,level,>=,,,18000,2028,000,达到1.8万亿元,\n\
//!      b,sei_value_added,Hubei,战略性新兴产业增加值占GDP比重,SEI share of GDP,%,share,>=,,,25,2028,000,占GDP比重达到25%,gdp\n"
//!         .as_bytes(),
//!     "inline.csv",
//! )?;
//! let report = check_catalogue(&catalogue, None, &Jurisdictions::default());
//! let gdp = report.of_kind(FindingKind::ImpliedDenominator).next().unwrap();
//! let implied = gdp.figures.iter().find(|f| f.name == "implied gdp 2028").unwrap();
//! assert_eq!((implied.value, implied.unit.as_str()), (72_000.0, "亿元")); // 18000 亿元 at 25 % of GDP
//! assert!(goalcast::report::text_table::check_txt(&report).contains("implied_denominator"));
//! # Ok::<(), goalcast::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use crate::indicator::IndicatorKey;
use crate::io::catalogue::Catalogue;
use crate::io::history::History;
use crate::io::jurisdictions::Jurisdictions;
use crate::target::Target;

mod denominators;
mod facts;
mod missing;
mod parts;
mod rates;
mod restated;
mod side_by_side;
mod text;

pub use missing::{BaselineNeed, baseline_needs};

use facts::Facts;
use text::with_unit;

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

impl Finding {
    /// A finding about `targets`, in the order given; their documents, sorted once each.
    fn new(
        kind: FindingKind,
        severity: Severity,
        targets: &[&Target],
        indicator: Option<IndicatorKey>,
        figures: Vec<Figure>,
        explanation: String,
    ) -> Self {
        let documents: BTreeSet<String> = targets.iter().map(|t| t.document.clone()).collect();
        Finding {
            kind,
            severity,
            targets: targets.iter().map(|t| t.id.clone()).collect(),
            documents: documents.into_iter().collect(),
            indicator,
            figures,
            explanation,
        }
    }
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
}

/// Checks a catalogue for consistency; `history` (if given) supplies known values, and
/// `jurisdictions` which jurisdiction lies within which (an empty table: none).
///
/// See the [module documentation](self) for what is checked and the formulas. The
/// catalogue may already carry history ([`Catalogue::with_history`]); values are then
/// not counted twice. History rows in another unit than the catalogue's for the same
/// indicator are reported (`unit_mismatch`) and not used.
pub fn check_catalogue(
    catalogue: &Catalogue,
    history: Option<&History>,
    jurisdictions: &Jurisdictions,
) -> CheckReport {
    let facts = Facts::new(catalogue, history);
    let rules = [
        facts::history_in_other_units(catalogue, &facts),
        rates::rate_level_pairs(catalogue, &facts),
        denominators::implied_denominators(catalogue, &facts),
        parts::sub_targets(catalogue, &facts),
        restated::restated(catalogue, &facts),
        side_by_side::side_by_side(catalogue, &facts, jurisdictions),
        missing::needs_value(catalogue, &facts),
        missing::needs_baseline(catalogue, history, &facts),
    ];
    let mut findings: Vec<Finding> = rules.into_iter().flatten().collect();
    let order = positions(catalogue);
    let position = |f: &Finding| {
        f.targets
            .iter()
            .filter_map(|t| order.get(t.as_str()).copied())
            .min()
            .unwrap_or(usize::MAX)
    };
    // A stable sort: findings equal in all of these keep the order the rules gave them.
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

/// Each target's position in the catalogue, by id.
fn positions(cat: &Catalogue) -> HashMap<&str, usize> {
    cat.targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect()
}

/// Targets grouped by indicator and deadline, in catalogue order.
type Groups<'a> = BTreeMap<(IndicatorKey, i32), Vec<&'a Target>>;

/// The targets of a catalogue grouped by indicator and deadline.
fn by_key_and_deadline(cat: &Catalogue) -> Groups<'_> {
    let mut groups = Groups::new();
    for t in &cat.targets {
        groups
            .entry((t.indicator.clone(), t.deadline))
            .or_default()
            .push(t);
    }
    groups
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::{MIXED, catalogue, hubei};
    use super::*;

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
        let r = check_catalogue(&c, None, &hubei());
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
    fn the_report_is_ordered() {
        let c = catalogue(MIXED);
        let r = check_catalogue(&c, None, &hubei());
        let kinds: Vec<FindingKind> = r.findings.iter().map(|f| f.kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted);
        assert_eq!(r, check_catalogue(&c, None, &hubei()));
    }
}

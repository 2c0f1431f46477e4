//! The shipped catalogue (`data/catalogue/*.csv`) against its seed documents and history.
//!
//! `data/catalogue/README.md` is generated from the data by the ignored test
//! `regenerate_catalogue_readme`:
//!
//! ```sh
//! cargo test --test catalogue_data -- --ignored
//! ```
//!
//! and `catalogue_readme_is_up_to_date` fails when the data or the check changed without
//! regenerating it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use goalcast::check::{CheckReport, FindingKind, Severity, check_catalogue};
use goalcast::io::history::History;
use goalcast::report::text_table::check_txt;
use goalcast::target::{Target, TargetKind};
use goalcast::{Catalogue, Jurisdictions};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The catalogue files, sorted by name (so by document).
fn catalogue_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("data/catalogue"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files
}

fn whole_catalogue() -> Catalogue {
    Catalogue::from_paths(&catalogue_files()).unwrap_or_else(|e| panic!("{e}"))
}

fn history() -> History {
    History::from_path(root().join("data/history.csv")).unwrap_or_else(|e| panic!("{e}"))
}

fn jurisdictions() -> Jurisdictions {
    Jurisdictions::from_path(root().join("data/jurisdictions.csv"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The seed file of a document prefix (`000` → `seeds/000_b3dc0a321f64986b.txt`).
fn seed_text(document: &str) -> String {
    let mut matches: Vec<PathBuf> = std::fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "txt")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{document}_")))
        })
        .collect();
    assert_eq!(matches.len(), 1, "one seed file for document {document}");
    std::fs::read_to_string(matches.pop().unwrap()).unwrap()
}

/// Kinds that describe a path the engine can (or will) simulate.
fn simulable(kind: TargetKind) -> bool {
    !matches!(kind, TargetKind::Rank | TargetKind::Milestone)
}

#[test]
fn every_row_of_the_five_files_loads_and_ids_are_unique() {
    let files = catalogue_files();
    assert_eq!(files.len(), 5, "{files:?}");
    let catalogue = whole_catalogue();
    let mut per_file = 0;
    for f in &files {
        let rows = std::fs::read_to_string(f).unwrap();
        let mut reader = csv::Reader::from_reader(rows.as_bytes());
        per_file += reader.records().count();
        // Each file also loads on its own.
        Catalogue::from_path(f).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(catalogue.targets.len(), per_file);
    let ids: BTreeSet<&str> = catalogue.targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), catalogue.targets.len());
    for t in &catalogue.targets {
        assert!(
            t.id.starts_with(&format!("{}_", t.document)),
            "{} should start with its document prefix {}",
            t.id,
            t.document
        );
    }
    // The history loads with the catalogue (units agree).
    catalogue
        .with_history(&history())
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_jurisdiction_has_a_row_and_one_top() {
    let jurisdictions = jurisdictions();
    let catalogue = whole_catalogue();
    let history = history();
    let used: BTreeSet<&str> = catalogue
        .targets
        .iter()
        .map(|t| t.indicator.jurisdiction.as_str())
        .chain(
            history
                .rows
                .iter()
                .map(|r| r.indicator.jurisdiction.as_str()),
        )
        .collect();
    let unlisted: Vec<&&str> = used
        .iter()
        .filter(|j| jurisdictions.get(j).is_none())
        .collect();
    assert!(
        unlisted.is_empty(),
        "not in data/jurisdictions.csv: {unlisted:?}"
    );
    // One top, which every other jurisdiction lies within.
    let tops: Vec<&str> = jurisdictions
        .iter()
        .filter(|j| j.parent.is_none())
        .map(|j| j.id.as_str())
        .collect();
    assert_eq!(tops, ["China"]);
    for j in jurisdictions.iter().filter(|j| j.parent.is_some()) {
        assert_eq!(
            jurisdictions.ancestors(&j.id).last(),
            Some(&"China"),
            "{}",
            j.id
        );
    }
    assert_eq!(jurisdictions.parent("Ezhou"), Some("Hubei"));
}

#[test]
fn every_quote_occurs_verbatim_in_its_seed() {
    let catalogue = whole_catalogue();
    let mut seeds: BTreeMap<String, String> = BTreeMap::new();
    let mut missing = Vec::new();
    for t in &catalogue.targets {
        let text = seeds
            .entry(t.document.clone())
            .or_insert_with(|| seed_text(&t.document));
        if !text.contains(&t.quote) {
            missing.push(format!("{}: {}", t.id, t.quote));
        }
    }
    assert!(
        missing.is_empty(),
        "quotes not in their seed:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_simulable_target_has_a_base_or_is_reported_as_needing_one() {
    let history = history();
    let catalogue = whole_catalogue();
    let report = check_catalogue(&catalogue, Some(&history), &jurisdictions());
    let with_history = catalogue.with_history(&history).unwrap();
    let needs = report.targets_in(FindingKind::NeedsBaseline);
    // Goals of growth from a base year need no base level: they are simulated as an index.
    let ready = goalcast::assess::readiness(&with_history);
    let mut unexplained = Vec::new();
    for (t, ready) in with_history.targets.iter().zip(&ready) {
        if !simulable(t.kind) {
            continue;
        }
        let indicator = with_history.indicator(&t.indicator).unwrap();
        let has_base = t.base_value.is_some() || indicator.base.is_some();
        if !has_base && ready.is_err() && !needs.contains(t.id.as_str()) {
            unexplained.push(t.id.as_str());
        }
    }
    assert!(
        unexplained.is_empty(),
        "no base and not reported as needing one: {unexplained:?}"
    );
    // And nothing that has no base at all is missing from the report's list.
    assert!(
        needs
            .iter()
            .all(|id| with_history.targets.iter().any(|t| t.id == *id))
    );
}

#[test]
fn uncertain_rows_of_seed_003_have_empty_values_and_a_note() {
    let catalogue = whole_catalogue();
    let uncertain: Vec<&Target> = catalogue.targets.iter().filter(|t| t.uncertain).collect();
    assert!(!uncertain.is_empty());
    for t in &uncertain {
        assert_eq!(t.document, "003", "{}: only seed 003 lost digits", t.id);
        assert!(
            t.value.is_none(),
            "{}: an unreadable figure is left empty",
            t.id
        );
        assert!(
            !t.note.trim().is_empty(),
            "{}: the note says what can be read",
            t.id
        );
        assert!(
            t.quote.contains('?'),
            "{}: the quote shows the lost character",
            t.id
        );
    }
    // Every figure of seed 003 whose quote has a lost character is marked uncertain.
    for t in catalogue.targets.iter().filter(|t| t.document == "003") {
        if t.quote.contains('?') && t.kind != TargetKind::Milestone {
            assert!(t.uncertain, "{} quotes a lost character", t.id);
        }
    }
    let report = check_catalogue(&catalogue, None, &jurisdictions());
    let listed = report.targets_in(FindingKind::NeedsValue);
    for t in &uncertain {
        assert!(listed.contains(t.id.as_str()));
    }
}

#[test]
fn parents_are_wholes_in_the_same_document_unit_and_deadline() {
    let catalogue = whole_catalogue();
    let mut with_parent = 0;
    for t in catalogue.targets.iter().filter(|t| t.parent.is_some()) {
        with_parent += 1;
        let p = catalogue
            .targets
            .iter()
            .find(|p| Some(&p.id) == t.parent.as_ref())
            .unwrap_or_else(|| panic!("{}: parent not found", t.id));
        assert_eq!(p.document, t.document, "{}", t.id);
        assert_eq!(p.deadline, t.deadline, "{}", t.id);
        assert_eq!(p.kind, t.kind, "{}", t.id);
        let unit = |x: &Target| catalogue.indicator(&x.indicator).unwrap().unit.clone();
        assert_eq!(unit(p), unit(t), "{}", t.id);
    }
    assert!(with_parent > 0);
    let report = check_catalogue(&catalogue, None, &jurisdictions());
    assert_eq!(report.count(FindingKind::ParentStructure), 0, "{report:#?}");
}

#[test]
fn the_check_of_the_whole_catalogue_is_deterministic() {
    let history = history();
    let catalogue = whole_catalogue();
    let a = check_catalogue(&catalogue, Some(&history), &jurisdictions());
    let b = check_catalogue(&catalogue, Some(&history), &jurisdictions());
    assert_eq!(a, b);
    assert_eq!(check_txt(&a), check_txt(&b));
    // A catalogue that already carries the history gives the same findings.
    let merged = catalogue.clone().with_history(&history).unwrap();
    let c = check_catalogue(&merged, Some(&history), &jurisdictions());
    let kinds = |r: &CheckReport| -> Vec<(FindingKind, Vec<String>)> {
        r.findings
            .iter()
            .map(|f| (f.kind, f.targets.clone()))
            .collect()
    };
    assert_eq!(kinds(&a), kinds(&c));
}

// ---------------------------------------------------------------------------------------
// data/catalogue/README.md

const README: &str = "data/catalogue/README.md";

fn readme_text() -> String {
    let catalogue = whole_catalogue();
    let history = history();
    let report = check_catalogue(&catalogue, Some(&history), &jurisdictions());
    let mut out = String::new();
    out.push_str(
        "# The catalogue of goals\n\n\
         One CSV per seed document (format: [`../README.md`](../README.md)). This page is\n\
         generated from the data — do not edit it by hand; after changing the catalogue,\n\
         the history or the check, run\n\n\
         ```sh\n\
         cargo test --test catalogue_data -- --ignored\n\
         ```\n\n\
         (`cargo test` fails while this page is out of date).\n\n",
    );

    // Targets per document and kind.
    let documents: BTreeSet<&str> = catalogue
        .targets
        .iter()
        .map(|t| t.document.as_str())
        .collect();
    let files = catalogue_files();
    out.push_str("## Targets per document and kind\n\n| document | file |");
    for k in TargetKind::ALL {
        out.push_str(&format!(" {} |", k.as_str()));
    }
    out.push_str(" total |\n|---|---|");
    for _ in TargetKind::ALL {
        out.push_str("---:|");
    }
    out.push_str("---:|\n");
    let count = |d: Option<&str>, k: Option<TargetKind>| {
        catalogue
            .targets
            .iter()
            .filter(|t| d.is_none_or(|d| t.document == d) && k.is_none_or(|k| t.kind == k))
            .count()
    };
    for d in &documents {
        let file = files
            .iter()
            .filter_map(|f| f.file_name()?.to_str())
            .find(|n| n.starts_with(&format!("{d}_")))
            .unwrap_or("");
        out.push_str(&format!("| {d} | `{file}` |"));
        for k in TargetKind::ALL {
            out.push_str(&format!(" {} |", count(Some(d), Some(k))));
        }
        out.push_str(&format!(" {} |\n", count(Some(d), None)));
    }
    out.push_str("| **all** | |");
    for k in TargetKind::ALL {
        out.push_str(&format!(" **{}** |", count(None, Some(k))));
    }
    out.push_str(&format!(" **{}** |\n\n", count(None, None)));

    // Status.
    let total = catalogue.targets.len();
    let of = |f: &dyn Fn(&Target) -> bool| catalogue.targets.iter().filter(|t| f(t)).count();
    let simulable_n = of(&|t| simulable(t.kind));
    let recorded_n = of(&|t| !simulable(t.kind));
    let with_history = catalogue.clone().with_history(&history).unwrap();
    let readiness = goalcast::assess::readiness(&with_history);
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &readiness {
        *by_status
            .entry(
                r.as_ref()
                    .map_or_else(|why| why.as_str(), |_| "ready to simulate"),
            )
            .or_default() += 1;
    }
    let with_parent = of(&|t| t.parent.is_some());
    out.push_str("## Status of the targets (with `data/history.csv`)\n\n");
    out.push_str("As `goalcast::assess` decides it (`goalcast::assess::readiness`):\n\n");
    out.push_str("| | targets |\n|---|---:|\n");
    out.push_str(&format!("| all targets | {total} |\n"));
    out.push_str(&format!(
        "| simulable kinds (all but rank and milestone) | {simulable_n} |\n"
    ));
    out.push_str(&format!(
        "| recorded only (rank, milestone) | {recorded_n} |\n"
    ));
    for (status, n) in &by_status {
        out.push_str(&format!("| status `{status}` | {n} |\n"));
    }
    out.push_str(&format!(
        "| parts of a whole (`parent` set) | {with_parent} |\n\n"
    ));
    let ready_ids: Vec<String> = with_history
        .targets
        .iter()
        .zip(&readiness)
        .filter(|(_, r)| r.is_ok())
        .map(|(t, _)| format!("`{}` ({})", t.id, t.kind))
        .collect();
    out.push_str(&format!("Ready to simulate: {}.\n\n", ready_ids.join(", ")));

    // The check.
    out.push_str(
        "## Consistency check of the whole catalogue\n\n\
         `goalcast::check::check_catalogue` on all five files together with\n\
         `data/history.csv` (kinds and formulas: the `goalcast::check` module documentation):\n\n\
         ```text\n",
    );
    out.push_str(&check_txt(&report));
    out.push_str("```\n");
    out
}

#[test]
#[ignore = "writes data/catalogue/README.md; run with --ignored after changing the data"]
fn regenerate_catalogue_readme() {
    std::fs::write(root().join(README), readme_text()).unwrap();
}

#[test]
fn catalogue_readme_is_up_to_date() {
    let on_disk = std::fs::read_to_string(root().join(README)).unwrap_or_default();
    assert!(
        on_disk == readme_text(),
        "{README} is out of date: run `cargo test --test catalogue_data -- --ignored`"
    );
}

/// The top-level README repeats the counts of targets per document, kind and status.
#[test]
fn top_level_readme_states_the_current_counts() {
    let top = std::fs::read_to_string(root().join("README.md")).unwrap();
    let generated = readme_text();
    let tables: Vec<&str> = generated.lines().filter(|l| l.starts_with('|')).collect();
    assert!(tables.len() > 10);
    for line in tables {
        assert!(
            top.contains(line),
            "README.md lacks `{line}`: copy the tables of data/catalogue/README.md into it"
        );
    }
}

/// The national carbon goals seed 003 restates are China's, not Hubei's; a jurisdiction
/// outside the three documents' own loads, with the history, like any other.
#[test]
fn restated_national_goals_are_chinas() {
    let catalogue = whole_catalogue().with_history(&history()).unwrap();
    for (id, deadline) in [("003_carbon_peak", 2030), ("003_carbon_neutrality", 2060)] {
        let t = catalogue.targets.iter().find(|t| t.id == id).unwrap();
        assert_eq!(t.indicator.jurisdiction, "China", "{id}");
        assert_eq!(
            (t.kind, t.deadline),
            (TargetKind::Milestone, deadline),
            "{id}"
        );
        assert!(t.note.contains("China's national goals"), "{id}");
    }
}

/// Seed 002's pillar 新一代信息技术 (13000 亿元) is its eight ICT clusters, its advantage
/// industry 高端装备 (5500 亿元) its five equipment clusters, and 现代化工及能源 (10000
/// 亿元) its two named parts: each set of parts adds up exactly to its whole, and the
/// check says so.
#[test]
fn seed_002_parts_add_up_exactly_to_their_wholes() {
    let catalogue = whole_catalogue();
    let report = check_catalogue(&catalogue, None, &jurisdictions());
    for (whole, parts) in [
        ("002_revenue_new_generation_it_2025", 8),
        ("002_revenue_high_end_equipment_2025", 5),
        ("002_revenue_chemicals_energy_2025", 2),
    ] {
        let of: Vec<&Target> = catalogue
            .targets
            .iter()
            .filter(|t| t.parent.as_deref() == Some(whole))
            .collect();
        assert_eq!(of.len(), parts, "{whole}");
        let sum: f64 = of.iter().map(|t| t.value.unwrap()).sum();
        let figure = catalogue
            .targets
            .iter()
            .find(|t| t.id == whole)
            .and_then(|t| t.value)
            .unwrap();
        assert_eq!(sum, figure, "{whole}");
        let finding = report
            .of_kind(FindingKind::SubTargets)
            .find(|f| f.targets.first().map(String::as_str) == Some(whole))
            .unwrap_or_else(|| panic!("no sub_targets finding for {whole}"));
        assert_eq!(finding.severity, Severity::Note, "{whole}");
        assert!(
            finding.explanation.contains("exactly the whole's goal"),
            "{whole}: {}",
            finding.explanation
        );
        for t in &of {
            assert!(finding.targets.contains(&t.id), "{whole}: {}", t.id);
        }
    }
}

//! Figures supplied by the analyst for unreadable or missing values.

use goalcast::Unsimulated;
use goalcast::io::history::History;
use goalcast::io::overrides::Overrides;
use goalcast::{Catalogue, RunSettings, Scenario, assess};

fn sci_tech() -> Catalogue {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let history = History::from_path(root.join("data/history.csv")).unwrap();
    Catalogue::from_path(root.join("data/catalogue/003_hubei_sci_tech_2025.csv"))
        .unwrap()
        .with_history(&history)
        .unwrap()
}

#[test]
fn a_supplied_value_makes_an_unreadable_target_simulable() {
    let before = sci_tech();
    let t = before
        .targets
        .iter()
        .find(|t| t.id == "003_tech_contract_level")
        .unwrap();
    assert!(t.uncertain && t.value.is_none());
    let o = Overrides::from_toml_str(
        "[targets.003_tech_contract_level]\ntarget_value = 3000\nsource = \"analyst's reading of 达?000亿元\"\n",
        "o.toml",
    )
    .unwrap();
    let after = before.with_overrides(&o).unwrap();
    let t = after
        .targets
        .iter()
        .find(|t| t.id == "003_tech_contract_level")
        .unwrap();
    assert_eq!((t.value, t.uncertain), (Some(3000.0), false));
    assert!(t.note.contains("o.toml") && t.note.contains("analyst's reading"));
    let scenario = Scenario::from_toml_str(
        "[defaults]\nvolatility_pct = 10\ngrowth_pct = 20\n",
        "s.toml",
    )
    .unwrap();
    let a = assess(
        &after,
        &scenario,
        RunSettings {
            paths: 2_000,
            ..Default::default()
        },
    )
    .unwrap();
    let outcome = a
        .targets
        .iter()
        .find(|t| t.target.id == "003_tech_contract_level")
        .unwrap();
    // Simulated against the supplied level, or settled against it by published figures.
    match (&outcome.result, &outcome.settled) {
        (Ok(e), _) => assert_eq!(e.threshold, Some(3000.0)),
        (Err(_), Some(s)) => assert_eq!(s.required, 3000.0),
        (Err(why), None) => panic!("not simulated: {why}"),
    }
}

#[test]
fn bad_overrides_are_named() {
    let cases = [
        (
            "[targets.003_nope]\ntarget_value = 1\nsource = \"x\"\n",
            "no target `003_nope`",
        ),
        (
            "[targets.003_tech_contract_level]\ntarget_value = 1\n",
            "missing field `source`",
        ),
        (
            "[targets.003_tech_contract_level]\ntarget_value = 1\nsource = \" \"\n",
            "where the figure comes from",
        ),
        (
            "[targets.003_tech_contract_level]\ntarget_value = -5\nsource = \"x\"\n",
            "must be positive",
        ),
        (
            "[targets.003_tech_contract_level]\nbase_value = 5\nsource = \"x\"\n",
            "go together",
        ),
        (
            "[targets.003_tech_contract_level]\ntarget_valu = 5\nsource = \"x\"\n",
            "unknown field",
        ),
    ];
    for (text, fragment) in cases {
        let msg = Overrides::from_toml_str(text, "o.toml")
            .and_then(|o| sci_tech().with_overrides(&o).map(|_| ()))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("o.toml") && msg.contains(fragment),
            "{fragment}: {msg}"
        );
    }
}

fn root() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn hubei_2024() -> Catalogue {
    let history = History::from_path(root().join("data/history.csv")).unwrap();
    Catalogue::from_path(root().join("data/catalogue/000_hubei_2024.csv"))
        .unwrap()
        .with_history(&history)
        .unwrap()
}

#[test]
fn a_deadline_is_read_differently_for_one_target() {
    let o = Overrides::from_toml_str(
        "[targets.000_rd_expenditure_growth]\ndeadline = 2029\nsource = \"力争未来五年 as 2025-2029\"\n",
        "d.toml",
    )
    .unwrap();
    let after = hubei_2024().with_overrides(&o).unwrap();
    let t = after
        .targets
        .iter()
        .find(|t| t.id == "000_rd_expenditure_growth")
        .unwrap();
    assert_eq!((t.base_year, t.deadline), (Some(2023), 2029));
    assert!(t.note.contains("d.toml") && t.note.contains("deadline 2028 → 2029"));
    // The other targets keep the catalogue's deadline.
    assert!(
        after
            .targets
            .iter()
            .filter(|t| t.id != "000_rd_expenditure_growth")
            .all(|t| t.deadline == 2028)
    );
}

#[test]
fn a_document_entry_moves_every_period_of_the_document() {
    let before = hubei_2024();
    let o = Overrides::from_toml_str(
        "[documents.\"000\"]\nshift_years = 1\nsource = \"2025-2029\"\n\n\
         [targets.000_nev_share]\ndeadline = 2030\nsource = \"one target later still\"\n",
        "shift.toml",
    )
    .unwrap();
    let after = before.clone().with_overrides(&o).unwrap();
    for (b, a) in before.targets.iter().zip(&after.targets) {
        // Target entries come after document entries and are absolute.
        let deadline = if a.id == "000_nev_share" { 2030 } else { 2029 };
        assert_eq!(a.deadline, deadline, "{}", a.id);
        assert_eq!(a.base_year, b.base_year.map(|y| y + 1), "{}", a.id);
        assert!(a.note.contains("shift_years = +1: 2025-2029"), "{}", a.note);
    }
}

#[test]
fn bad_deadlines_and_document_entries_are_named() {
    let cases = [
        (
            "[targets.000_rd_expenditure_growth]\ndeadline = 1800\nsource = \"x\"\n",
            "targets.000_rd_expenditure_growth.deadline",
            "not a calendar year",
        ),
        (
            // The catalogue's base year is 2023.
            "[targets.000_rd_expenditure_growth]\ndeadline = 2023\nsource = \"x\"\n",
            "targets.000_rd_expenditure_growth.deadline",
            "after the base year 2023",
        ),
        (
            "[targets.000_nev_share]\nbase_year = 2024\nbase_value = 5\ndeadline = 2024\nsource = \"x\"\n",
            "targets.000_nev_share.deadline",
            "after the base year 2024",
        ),
        (
            "[targets.000_rd_expenditure_growth]\ndeadline = 2029\n",
            "(file)",
            "missing field `source`",
        ),
        (
            "[documents.\"000\"]\nshift_years = 0\nsource = \"x\"\n",
            "documents.000.shift_years",
            "changes nothing",
        ),
        (
            "[documents.\"000\"]\nshift_years = 500\nsource = \"x\"\n",
            "documents.000.shift_years",
            "at most 100 years",
        ),
        (
            "[documents.\"000\"]\nshift_years = 1\nsource = \"\"\n",
            "documents.000.source",
            "where the reading comes from",
        ),
        (
            "[documents.\"009\"]\nshift_years = 1\nsource = \"x\"\n",
            "documents.009",
            "no target of document `009`",
        ),
        (
            "[documents.\"000\"]\ndeadline = 2029\nsource = \"x\"\n",
            "(file)",
            "unknown field",
        ),
    ];
    for (text, key, fragment) in cases {
        let msg = Overrides::from_toml_str(text, "o.toml")
            .and_then(|o| hubei_2024().with_overrides(&o).map(|_| ()))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("o.toml") && msg.contains(key) && msg.contains(fragment),
            "{fragment}: {msg}"
        );
    }
}

/// Every file in `data/overrides/` loads and applies to the catalogue of its document
/// (the file's prefix), and every target it changes says so in its note.
#[test]
fn every_shipped_overrides_file_applies_to_its_catalogue() {
    let mut files: Vec<_> = std::fs::read_dir(root().join("data/overrides"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let names: Vec<_> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["000_deadline_2029.toml", "003_official_summaries.toml"]
    );
    let history = History::from_path(root().join("data/history.csv")).unwrap();
    for (file, name) in files.iter().zip(&names) {
        let prefix = &name[..4];
        let catalogue_file = std::fs::read_dir(root().join("data/catalogue"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        let before = Catalogue::from_path(&catalogue_file)
            .unwrap()
            .with_history(&history)
            .unwrap();
        let o = Overrides::from_path(file).unwrap_or_else(|e| panic!("{e}"));
        let after = before
            .clone()
            .with_overrides(&o)
            .unwrap_or_else(|e| panic!("{e}"));
        let changed: Vec<_> = after
            .targets
            .iter()
            .zip(&before.targets)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a)
            .collect();
        assert!(!changed.is_empty(), "{name}");
        for t in &changed {
            assert!(t.note.contains(name.as_str()), "{name}: {}", t.id);
        }
    }
}

/// The 2029 reading of seed 000: every target takes its deadline from 力争未来五年, so
/// every target moves: deadline 2029, base year 2024 where there is one.
#[test]
fn the_2029_reading_moves_every_target_of_seed_000() {
    let o = Overrides::from_path(root().join("data/overrides/000_deadline_2029.toml")).unwrap();
    assert!(o.documents["000"].source.contains("力争未来五年"));
    let before = hubei_2024();
    assert!(
        before
            .targets
            .iter()
            .all(|t| t.note.contains("力争未来五年"))
    );
    let after = before.clone().with_overrides(&o).unwrap();
    assert_eq!(after.targets.len(), 63);
    for t in &after.targets {
        assert_eq!(t.deadline, 2029, "{}", t.id);
        assert!(t.base_year.is_none_or(|y| y == 2024), "{}", t.id);
    }
}

/// The sourced figures of seed 003: only technology contracts (3000 亿元) and high-tech
/// enterprises (20,000) are stated by an official summary; every other lost digit,
/// technology SMEs included, stays unread.
#[test]
fn the_official_summaries_of_seed_003_give_two_figures_only() {
    let o =
        Overrides::from_path(root().join("data/overrides/003_official_summaries.toml")).unwrap();
    let given: Vec<(&str, Option<f64>)> = o
        .targets
        .iter()
        .map(|(id, t)| (id.as_str(), t.target_value))
        .collect();
    assert_eq!(
        given,
        [
            ("003_high_tech_enterprises_level", Some(20000.0)),
            ("003_tech_contract_level", Some(3000.0)),
        ]
    );
    assert!(o.documents.is_empty());
    for t in o.targets.values() {
        assert!(t.source.contains("湖北省科技厅") && t.source.contains("«"));
    }
    let after = sci_tech().with_overrides(&o).unwrap();
    let still: Vec<&str> = after
        .targets
        .iter()
        .filter(|t| t.uncertain)
        .map(|t| t.id.as_str())
        .collect();
    assert!(still.contains(&"003_tech_smes_level"));
    assert_eq!(
        still.len(),
        sci_tech().targets.iter().filter(|t| t.uncertain).count() - 2
    );
    let readiness = goalcast::assess::readiness(&after);
    for id in o.targets.keys() {
        let (_, r) = after
            .targets
            .iter()
            .zip(&readiness)
            .find(|(t, _)| &t.id == id)
            .unwrap();
        // Simulable now, or settled by the published figures of 2025.
        assert!(
            matches!(
                r,
                Ok(()) | Err(Unsimulated::AlreadyMet | Unsimulated::AlreadyMissed)
            ),
            "{id}: {r:?}"
        );
    }
}

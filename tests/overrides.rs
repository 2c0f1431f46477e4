//! Figures supplied by the analyst for unreadable or missing values.

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

//! Scenario files: every model parses into the right process, every bad input gives a
//! clear error (file, line, key), named variants override exactly what they say, and the
//! correlation matrix is checked and factorised.

use goalcast::indicator::IndicatorKey;
use goalcast::process::Model;
use goalcast::{Error, Scenario};
use ndarray::Array2;

fn key(jurisdiction: &str, id: &str) -> IndicatorKey {
    IndicatorKey::new(jurisdiction, id)
}

fn hubei(id: &str) -> IndicatorKey {
    key("Hubei", id)
}

fn parse(text: &str) -> goalcast::Result<Scenario> {
    Scenario::from_toml_str(text, "test.toml")
}

/// The (line, key, reason) of a scenario error; panics on anything else.
fn scenario_error(e: Error) -> (Option<usize>, String, String) {
    let shown = e.to_string();
    match e {
        Error::Scenario {
            path,
            line,
            key,
            reason,
        } => {
            assert_eq!(path.to_str(), Some("test.toml"));
            assert!(shown.starts_with("test.toml"), "{shown}");
            (line, key, reason)
        }
        other => panic!("expected a scenario error, got {other:?}"),
    }
}

/// Parsing fails with an error at `line` on `key` whose reason contains `words`.
fn refused(text: &str, line: Option<usize>, key: &str, words: &str) {
    let e = parse(text).expect_err("the file must be refused");
    let (l, k, reason) = scenario_error(e);
    assert_eq!((l, k.as_str()), (line, key), "{reason}");
    assert!(reason.contains(words), "`{reason}` lacks `{words}`");
}

// ------------------------------------------------------------------------- models

const ALL_MODELS: &str = r#"
[defaults]
volatility_pct = 4.0

[indicators.a]
model = "lognormal"
growth_pct = 10

[indicators.b]
model = "deterministic"
growth_pct = 7.5

[indicators.c]
model = "ar1"
growth_pct = 8
persistence = 0.4

[indicators.d]
model = "student_t"
growth_pct = 8
df = 5

[indicators.e]
model = "rare_shock"
growth_pct = 8
shock_probability_pct = 5
shock_size_pct = 10

[indicators.f]
model = "uncertain"
growth_pct = 12.2
growth_se_pct = 2.1
volatility_df = 4

[indicators.g]
model = "uncertain"
growth_pct = 12.2
growth_se_pct = 2.1

[indicators.h]
model = "bounded_share"
growth_pct = 10
volatility_pct = 15

[indicators.i]
model = "bounded_share"
growth_pct = 10
upper = 1.0
"#;

#[test]
fn every_model_parses_into_its_process() {
    let s = parse(ALL_MODELS).unwrap();
    let m = |id: &str| s.assumption_for(&hubei(id)).unwrap().model;
    let params = |id: &str| m(id).parameters();
    assert_eq!(m("a").name(), "lognormal");
    assert_eq!(params("a"), vec![("growth", 0.10), ("volatility", 0.04)]);
    assert_eq!(m("b").name(), "deterministic");
    assert_eq!(params("b"), vec![("growth", 0.075)]);
    assert_eq!(
        params("c"),
        vec![("growth", 0.08), ("volatility", 0.04), ("persistence", 0.4)]
    );
    assert_eq!(m("c").name(), "ar1");
    assert_eq!(
        params("d"),
        vec![("growth", 0.08), ("volatility", 0.04), ("df", 5.0)]
    );
    assert_eq!(m("d").name(), "student_t");
    assert_eq!(
        params("e"),
        vec![
            ("growth", 0.08),
            ("volatility", 0.04),
            ("shock_probability", 0.05),
            ("shock_size", 0.10)
        ]
    );
    let Model::Uncertain(f) = m("f") else {
        panic!("uncertain expected")
    };
    assert!((f.growth_se() - 0.021).abs() < 1e-15);
    assert_eq!(f.volatility_df(), Some(4.0));
    let Model::Uncertain(g) = m("g") else {
        panic!("uncertain expected")
    };
    assert_eq!(g.volatility_df(), None);
    assert_eq!(
        params("h"),
        vec![("growth", 0.10), ("volatility", 0.15), ("upper", 100.0)]
    );
    assert_eq!(m("h").name(), "bounded_share");
    assert_eq!(params("i")[2], ("upper", 1.0));
}

#[test]
fn the_existing_keys_keep_working() {
    // the README's example, and a deterministic model ignoring a default volatility
    let s = parse(
        "name = \"baseline\"\n[defaults]\nmodel = \"lognormal\"\nvolatility_pct = 3\n\
         [indicators.rd_expenditure]\ngrowth_pct = 12.2\nvolatility_pct = 4.6\nsource = \"history\"\n\
         [indicators.gdp]\nmodel = \"deterministic\"\ngrowth_pct = 6\n",
    )
    .unwrap();
    let a = s.assumption_for(&hubei("rd_expenditure")).unwrap();
    assert_eq!(
        a.model.parameters(),
        vec![("growth", 0.122), ("volatility", 0.046)]
    );
    assert_eq!(a.source.as_deref(), Some("history"));
    assert_eq!(
        s.assumption_for(&hubei("gdp")).unwrap().model.name(),
        "deterministic"
    );
    assert_eq!(s.names(), vec!["baseline"]);
    let from_disk = Scenario::from_path("data/scenarios/hubei_2024.toml").unwrap();
    assert_eq!(
        from_disk.names(),
        vec!["hubei_2024_baseline", "downturn", "policy_push"]
    );
    assert!(
        from_disk
            .cholesky_for(&[hubei("rd_expenditure")])
            .unwrap()
            .is_none()
    );
    let l = from_disk
        .cholesky_for(&[
            hubei("new_energy_vehicle_output"),
            hubei("automobile_output"),
        ])
        .unwrap()
        .expect("the two vehicle series are correlated");
    assert!((l[[1, 0]] - 0.5).abs() < 1e-12);
}

// ----------------------------------------------------------------- bad assumptions

#[test]
fn impossible_values_are_refused_with_line_and_key() {
    let cases: [(&str, &str, &str); 12] = [
        ("model = \"garch\"", "model", "unknown model `garch`"),
        ("model = \"student_t\"\ndf = -3", "df", "df above 2"),
        ("model = \"student_t\"\ndf = 2", "df", "df above 2"),
        (
            "model = \"ar1\"\npersistence = 1.0",
            "persistence",
            "strictly between -1 and 1",
        ),
        (
            "model = \"ar1\"\npersistence = -1.5",
            "persistence",
            "strictly between -1 and 1",
        ),
        (
            "model = \"ar1\"\npersistence = 40",
            "persistence",
            "not a percentage",
        ),
        (
            "model = \"rare_shock\"\nshock_probability_pct = 120",
            "shock_probability_pct",
            "[0, 100]",
        ),
        (
            "model = \"rare_shock\"\nshock_size_pct = 100",
            "shock_size_pct",
            "[0, 100)",
        ),
        (
            "model = \"uncertain\"\ngrowth_se_pct = -1",
            "growth_se_pct",
            "non-negative",
        ),
        (
            "model = \"uncertain\"\nvolatility_df = 0",
            "volatility_df",
            "positive",
        ),
        (
            "model = \"bounded_share\"\nupper = 0",
            "upper",
            "finite and positive",
        ),
        ("growth_pct = -120", "growth_pct", "above -100"),
    ];
    for (body, field, words) in cases {
        // the offending field is on the line after `[indicators.gdp]` + the model line
        let text = format!(
            "name = \"x\"\n\n[indicators.gdp]\ngrowth_pct = 5\nvolatility_pct = 2\n{body}\n"
        );
        let text = if field == "growth_pct" {
            format!("name = \"x\"\n\n[indicators.gdp]\nvolatility_pct = 2\n{body}\n")
        } else {
            text
        };
        let line = text
            .lines()
            .position(|l| l.starts_with(&format!("{field} =")))
            .map(|i| i + 1);
        refused(&text, line, &format!("indicators.gdp.{field}"), words);
    }
}

#[test]
fn unknown_fields_are_refused() {
    let e = parse("[indicators.gdp]\ngrowth_pct = 5\npersistance = 0.3\n").unwrap_err();
    let (line, _, reason) = scenario_error(e);
    assert_eq!(line, Some(3));
    assert!(reason.contains("unknown field `persistance`"), "{reason}");
    let e = parse("[scenarios.x]\ndefault = 1\n").unwrap_err();
    assert!(scenario_error(e).2.contains("unknown field `default`"));
}

#[test]
fn fields_of_another_model_are_refused() {
    refused(
        "[indicators.gdp]\nmodel = \"lognormal\"\ngrowth_pct = 5\nvolatility_pct = 2\ndf = 4\n",
        Some(5),
        "indicators.gdp.df",
        "not a parameter of the `lognormal` model",
    );
    refused(
        "[indicators.gdp]\nmodel = \"deterministic\"\ngrowth_pct = 5\nvolatility_pct = 2\n",
        Some(4),
        "indicators.gdp.volatility_pct",
        "no volatility",
    );
    // the model comes from [defaults]; the indicator's own table sets a field it ignores
    let s = parse("[defaults]\nmodel = \"ar1\"\n[indicators.gdp]\ngrowth_pct = 5\nvolatility_pct = 2\ndf = 4\n")
        .unwrap();
    let (line, key, reason) = scenario_error(s.assumption_for(&hubei("gdp")).unwrap_err());
    assert_eq!((line, key.as_str()), (Some(6), "indicators.gdp.df"));
    assert!(
        reason.contains("Hubei/gdp") && reason.contains("`ar1`"),
        "{reason}"
    );
    // a model-specific default is ignored where the model does not use it
    let s = parse("[defaults]\ndf = 4\n[indicators.gdp]\ngrowth_pct = 5\nvolatility_pct = 2\n")
        .unwrap();
    assert_eq!(
        s.assumption_for(&hubei("gdp")).unwrap().model.name(),
        "lognormal"
    );
}

#[test]
fn a_missing_required_field_names_the_indicator_and_the_key() {
    let cases = [
        ("model = \"lognormal\"\ngrowth_pct = 5", "volatility_pct"),
        (
            "model = \"ar1\"\ngrowth_pct = 5\nvolatility_pct = 2",
            "persistence",
        ),
        (
            "model = \"student_t\"\ngrowth_pct = 5\nvolatility_pct = 2",
            "df",
        ),
        (
            "model = \"rare_shock\"\ngrowth_pct = 5\nvolatility_pct = 2\nshock_size_pct = 10",
            "shock_probability_pct",
        ),
        (
            "model = \"rare_shock\"\ngrowth_pct = 5\nvolatility_pct = 2\nshock_probability_pct = 10",
            "shock_size_pct",
        ),
        (
            "model = \"uncertain\"\ngrowth_pct = 5\nvolatility_pct = 2",
            "growth_se_pct",
        ),
        (
            "model = \"bounded_share\"\ngrowth_pct = 5",
            "volatility_pct",
        ),
        (
            "model = \"ar1\"\nvolatility_pct = 2\npersistence = 0.2",
            "growth_pct",
        ),
    ];
    for (body, field) in cases {
        let s = parse(&format!("[indicators.gdp]\n{body}\n")).unwrap();
        let (_, key, reason) = scenario_error(s.assumption_for(&key("Ezhou", "gdp")).unwrap_err());
        assert_eq!(key, format!("indicators.gdp.{field}"));
        assert!(
            reason.contains("Ezhou/gdp") && reason.contains(field),
            "{reason}"
        );
    }
}

// ----------------------------------------------------------------- named scenarios

const VARIANTS: &str = r#"
name = "baseline"
description = "history-based"

[defaults]
model = "lognormal"
volatility_pct = 4

[indicators.gdp]
growth_pct = 6
source = "plan"

[indicators.rd_expenditure]
model = "ar1"
growth_pct = 12
persistence = 0.3

[indicators."Ezhou/rd_expenditure"]
growth_pct = 10

[scenarios.policy_push]
description = "R&D push"
[scenarios.policy_push.indicators.rd_expenditure]
growth_pct = 15

[scenarios.downturn]
[scenarios.downturn.defaults]
volatility_pct = 6
[scenarios.downturn.indicators.gdp]
model = "rare_shock"
shock_probability_pct = 10
shock_size_pct = 5
[scenarios.downturn.indicators.rd_expenditure]
model = "lognormal"
"#;

#[test]
fn named_variants_override_exactly_what_they_say() {
    let base = parse(VARIANTS).unwrap();
    assert_eq!(base.names(), vec!["baseline", "downturn", "policy_push"]);
    assert_eq!(base.variant("baseline").unwrap(), base);
    let params = |s: &Scenario, k: &IndicatorKey| s.assumption_for(k).unwrap().model.parameters();

    let push = base.variant("policy_push").unwrap();
    assert_eq!(push.name, "policy_push");
    assert_eq!(push.description(), Some("R&D push"));
    assert_eq!(push.names(), vec!["policy_push"]);
    assert_eq!(
        params(&push, &hubei("rd_expenditure")),
        vec![("growth", 0.15), ("volatility", 0.04), ("persistence", 0.3)]
    );
    // everything else as in the base, including the more specific Ezhou table
    for k in [
        hubei("gdp"),
        key("Ezhou", "rd_expenditure"),
        key("Ezhou", "gdp"),
    ] {
        assert_eq!(
            push.assumption_for(&k).unwrap(),
            base.assumption_for(&k).unwrap(),
            "{k}"
        );
    }

    let down = base.variant("downturn").unwrap();
    assert_eq!(down.description(), Some("history-based"));
    let gdp = down.assumption_for(&hubei("gdp")).unwrap();
    assert_eq!(gdp.source.as_deref(), Some("plan"));
    assert_eq!(
        gdp.model.parameters(),
        vec![
            ("growth", 0.06),
            ("volatility", 0.06),
            ("shock_probability", 0.10),
            ("shock_size", 0.05)
        ]
    );
    // switching rd_expenditure to lognormal drops the base table's persistence
    assert_eq!(
        params(&down, &hubei("rd_expenditure")),
        vec![("growth", 0.12), ("volatility", 0.06)]
    );
    // the Ezhou table names no model: it inherits the variant's lognormal via the id table
    assert_eq!(
        params(&down, &key("Ezhou", "rd_expenditure")),
        vec![("growth", 0.10), ("volatility", 0.06)]
    );

    let (_, k, reason) = scenario_error(base.variant("boom").unwrap_err());
    assert_eq!(k, "scenarios.boom");
    assert!(
        reason.contains("baseline, downturn, policy_push"),
        "{reason}"
    );
    let keys: Vec<&str> = base.indicator_keys().collect();
    assert_eq!(keys, vec!["Ezhou/rd_expenditure", "gdp", "rd_expenditure"]);
}

#[test]
fn bad_values_in_variants_are_refused_where_they_are() {
    let text =
        format!("{VARIANTS}[scenarios.crash.indicators.gdp]\nmodel = \"student_t\"\ndf = 1.5\n");
    let line = text.lines().count();
    refused(
        &text,
        Some(line),
        "scenarios.crash.indicators.gdp.df",
        "df above 2",
    );
    refused(
        "name = \"base\"\n[scenarios.base.defaults]\ngrowth_pct = 1\n",
        None,
        "scenarios.base",
        "base scenario's own name",
    );
}

// --------------------------------------------------------------------- correlation

fn with_correlation(names: &str, matrix: &str) -> String {
    format!(
        "[defaults]\nvolatility_pct = 3\n[indicators.gdp]\ngrowth_pct = 6\n[indicators.rd]\ngrowth_pct = 12\n\
         [indicators.exports]\ngrowth_pct = 8\n\n[correlation]\nindicators = {names}\nmatrix = {matrix}\n"
    )
}

const MATRIX_LINE: Option<usize> = Some(12);

#[test]
fn bad_correlation_matrices_are_refused() {
    let three = r#"["gdp", "rd", "exports"]"#;
    let cases = [
        (
            three,
            "[[1.0, 0.6, 0.2], [0.5, 1.0, 0.1], [0.2, 0.1, 1.0]]",
            "not symmetric",
        ),
        (
            three,
            "[[1.0, 0.9, 0.9], [0.9, 1.0, -0.9], [0.9, -0.9, 1.0]]",
            "not positive semi-definite",
        ),
        (
            three,
            "[[1.0, 0.6, 0.2], [0.6, 0.9, 0.1], [0.2, 0.1, 1.0]]",
            "diagonal must be 1",
        ),
        (
            three,
            "[[1.0, 1.6, 0.2], [1.6, 1.0, 0.1], [0.2, 0.1, 1.0]]",
            "must lie in [-1, 1]",
        ),
        (three, "[[1.0, 0.6], [0.6, 1.0]]", "must be square, 3×3"),
        (
            three,
            "[[1.0, 0.6, 0.1], [0.6, 1.0], [0.1, 0.0, 1.0]]",
            "must be square",
        ),
    ];
    for (names, matrix, words) in cases {
        refused(
            &with_correlation(names, matrix),
            MATRIX_LINE,
            "correlation.matrix",
            words,
        );
    }
    for (names, words) in [
        (r#"["gdp", "imports"]"#, "unknown indicator `imports`"),
        (r#"["gdp", "gdp"]"#, "named twice"),
        ("[]", "at least one"),
    ] {
        let matrix = if names == "[]" {
            "[]"
        } else {
            "[[1.0, 0.5], [0.5, 1.0]]"
        };
        refused(
            &with_correlation(names, matrix),
            Some(11),
            "correlation.indicators",
            words,
        );
    }
    let e =
        parse(&with_correlation(r#"["gdp"]"#, "[[1.0]]").replace("matrix", "matrx")).unwrap_err();
    assert!(scenario_error(e).2.contains("unknown field `matrx`"));
}

fn product(l: &Array2<f64>) -> Array2<f64> {
    l.dot(&l.t())
}

fn assert_close(a: &Array2<f64>, b: &Array2<f64>, tol: f64) {
    assert_eq!(a.dim(), b.dim());
    for (x, y) in a.iter().zip(b.iter()) {
        assert!((x - y).abs() <= tol, "{a}\nvs\n{b}");
    }
}

#[test]
fn cholesky_factor_reproduces_the_matrix() {
    let m = [[1.0, 0.6, -0.3], [0.6, 1.0, 0.25], [-0.3, 0.25, 1.0]];
    let text = with_correlation(r#"["gdp", "rd", "exports"]"#, &format!("{m:?}"));
    let s = parse(&text).unwrap();
    assert_eq!(s.correlated_indicators(), ["gdp", "rd", "exports"]);
    let full = Array2::from_shape_fn((3, 3), |(i, j)| m[i][j]);
    let keys = [hubei("gdp"), hubei("rd"), hubei("exports")];
    let l = s.cholesky_for(&keys).unwrap().unwrap();
    assert!(
        (0..3).all(|i| (i + 1..3).all(|j| l[[i, j]] == 0.0)),
        "lower: {l}"
    );
    assert_close(&product(&l), &full, 1e-14);

    // another order, a subset, and a key without a row
    let keys = [hubei("exports"), hubei("other"), hubei("gdp")];
    let l = s.cholesky_for(&keys).unwrap().unwrap();
    let want = Array2::from_shape_vec((3, 3), vec![1.0, 0.0, -0.3, 0.0, 1.0, 0.0, -0.3, 0.0, 1.0])
        .unwrap();
    assert_close(&product(&l), &want, 1e-14);

    // no correlated pair among the keys: no factor
    assert!(
        s.cholesky_for(&[hubei("gdp"), hubei("other")])
            .unwrap()
            .is_none()
    );
    assert!(s.cholesky_for(&[hubei("gdp")]).unwrap().is_none());
    // bare ids correlate within a jurisdiction only
    let keys = [hubei("gdp"), key("Ezhou", "rd"), key("Ezhou", "gdp")];
    let l = s.cholesky_for(&keys).unwrap().unwrap();
    let want =
        Array2::from_shape_vec((3, 3), vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.6, 0.0, 0.6, 1.0]).unwrap();
    assert_close(&product(&l), &want, 1e-14);
}

#[test]
fn semi_definite_matrices_factorise_with_zero_pivots() {
    // gdp and rd perfectly correlated; exports perfectly anti-correlated with both
    let m = [[1.0, 1.0, -1.0], [1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]];
    let s = parse(&with_correlation(
        r#"["gdp", "rd", "exports"]"#,
        &format!("{m:?}"),
    ))
    .unwrap();
    let l = s
        .cholesky_for(&[hubei("gdp"), hubei("rd"), hubei("exports")])
        .unwrap()
        .unwrap();
    assert!(l.iter().all(|x| x.is_finite()));
    assert_close(
        &product(&l),
        &Array2::from_shape_fn((3, 3), |(i, j)| m[i][j]),
        1e-12,
    );
    // a rank-2 matrix: the third series is a combination of the first two
    let (a, b) = (0.6f64, 0.8f64); // z3 = a·z1 + b·z2 with corr(z1, z2) = 0
    let m = [[1.0, 0.0, a], [0.0, 1.0, b], [a, b, 1.0]];
    let s = parse(&with_correlation(
        r#"["gdp", "rd", "exports"]"#,
        &format!("{m:?}"),
    ))
    .unwrap();
    let l = s
        .cholesky_for(&[hubei("gdp"), hubei("rd"), hubei("exports")])
        .unwrap()
        .unwrap();
    assert_eq!(l[[2, 2]], 0.0);
    assert_close(
        &product(&l),
        &Array2::from_shape_fn((3, 3), |(i, j)| m[i][j]),
        1e-12,
    );
}

#[test]
fn correlations_across_jurisdictions_that_cannot_hold_are_an_error() {
    // Hubei/gdp ~ Ezhou/gdp and both ~ rd (bare id, so within each jurisdiction only):
    // the implied 4×4 matrix is not positive semi-definite.
    let text = "[defaults]\nvolatility_pct = 3\ngrowth_pct = 5\n[indicators.\"Hubei/gdp\"]\n[indicators.\"Ezhou/gdp\"]\n\
                [indicators.rd]\n[correlation]\nindicators = [\"Hubei/gdp\", \"Ezhou/gdp\", \"rd\"]\n\
                matrix = [[1.0, 0.9, 0.9], [0.9, 1.0, 0.9], [0.9, 0.9, 1.0]]\n";
    let s = parse(text).unwrap();
    let keys = [
        hubei("gdp"),
        key("Ezhou", "gdp"),
        hubei("rd"),
        key("Ezhou", "rd"),
    ];
    let (_, k, reason) = scenario_error(s.cholesky_for(&keys).unwrap_err());
    assert_eq!(k, "correlation.matrix");
    assert!(
        reason.contains("Ezhou/rd") && reason.contains("Jurisdiction/id"),
        "{reason}"
    );
}

#[test]
fn the_readme_example_of_every_model_parses() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let block = readme
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.contains("model = \"ar1\""))
        .expect("the README shows the models");
    let s = parse(block).unwrap();
    let names: Vec<&str> = [
        "gdp",
        "tech_contract_turnover",
        "import_export_total",
        "rd_expenditure",
        "nev_share",
    ]
    .iter()
    .map(|id| s.assumption_for(&hubei(id)).unwrap().model.name())
    .collect();
    assert_eq!(
        names,
        [
            "ar1",
            "student_t",
            "rare_shock",
            "uncertain",
            "bounded_share"
        ]
    );
    assert_eq!(s.names()[1], "downturn");
    let l = s
        .cholesky_for(&[hubei("gdp"), hubei("rd_expenditure")])
        .unwrap()
        .unwrap();
    assert!((l[[1, 0]] - 0.6).abs() < 1e-15);
}

// ------------------------------------------------ variant defaults and their precedence

/// The TOML block after the `variant-precedence-example` marker in the README.
fn readme_variant_example() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let (_, after) = readme
        .split_once("<!-- variant-precedence-example -->\n```toml\n")
        .expect("the README has the variant precedence example");
    after
        .split_once("```")
        .expect("closed code block")
        .0
        .to_string()
}

#[test]
fn the_readme_precedence_example_means_what_its_comments_say() {
    let base = parse(&readme_variant_example()).unwrap();
    let params = |s: &Scenario, id: &str| s.assumption_for(&hubei(id)).unwrap().model.parameters();
    assert_eq!(
        params(&base, "gdp"),
        vec![("growth", 0.06), ("volatility", 0.04)]
    );
    assert_eq!(
        params(&base, "rd_expenditure"),
        vec![("growth", 0.12), ("volatility", 0.05)]
    );
    let down = base.variant("downturn").unwrap();
    assert_eq!(
        params(&down, "gdp"),
        vec![("growth", 0.04), ("volatility", 0.08)]
    );
    assert_eq!(
        params(&down, "rd_expenditure"),
        vec![("growth", 0.12), ("volatility", 0.06)]
    );
    // an indicator with no table of its own gets the variant's defaults too
    let once = parse(&(readme_variant_example() + "[indicators.exports]\ngrowth_pct = 3\n"))
        .unwrap()
        .variant("downturn")
        .unwrap();
    assert_eq!(
        params(&once, "exports"),
        vec![("growth", 0.03), ("volatility", 0.08)]
    );
}

#[test]
fn variant_defaults_override_a_base_table_that_sets_the_field() {
    // the issue's pattern: every base table sets its own volatility; the variant's
    // defaults must still reach them all
    let base = parse(
        "[indicators.gdp]\ngrowth_pct = 6\nvolatility_pct = 2\n\
         [indicators.rd_expenditure]\nmodel = \"ar1\"\ngrowth_pct = 12\nvolatility_pct = 3\npersistence = 0.3\n\
         [scenarios.stress.defaults]\nvolatility_pct = 9\npersistence = 0.5\n",
    )
    .unwrap();
    let stress = base.variant("stress").unwrap();
    let params = |s: &Scenario, id: &str| s.assumption_for(&hubei(id)).unwrap().model.parameters();
    assert_eq!(
        params(&stress, "gdp"),
        vec![("growth", 0.06), ("volatility", 0.09)],
        "persistence is not a lognormal field: it does not apply to gdp"
    );
    assert_eq!(
        params(&stress, "rd_expenditure"),
        vec![("growth", 0.12), ("volatility", 0.09), ("persistence", 0.5)]
    );
    assert_eq!(
        params(&base, "gdp"),
        vec![("growth", 0.06), ("volatility", 0.02)]
    );
    // a variant's defaults that change the model switch every base table to it
    let shock = parse(
        "[indicators.gdp]\ngrowth_pct = 6\nvolatility_pct = 2\n\
         [scenarios.shock.defaults]\nmodel = \"rare_shock\"\nshock_probability_pct = 10\nshock_size_pct = 5\n",
    )
    .unwrap()
    .variant("shock")
    .unwrap();
    assert_eq!(
        params(&shock, "gdp"),
        vec![
            ("growth", 0.06),
            ("volatility", 0.02),
            ("shock_probability", 0.10),
            ("shock_size", 0.05)
        ]
    );
}

#[test]
fn variant_defaults_that_cannot_reach_an_estimated_indicator_are_refused() {
    use goalcast::prelude::*;
    let catalogue = Catalogue::from_reader(
        "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote\n\
         rd,rd_expenditure,Hubei,研发经费投入,R&D expenditure,亿元,level,>=,2022,1254.7,2000,2027,000,2000亿元\n"
            .as_bytes(),
        "inline.csv",
    )
    .unwrap();
    let base = parse("[scenarios.calm.defaults]\nvolatility_pct = 1\n").unwrap();
    let calm = base.variant("calm").unwrap();
    let err = Assessor::new(&catalogue, &calm)
        .paths(1000)
        .run()
        .unwrap_err();
    let (line, key, reason) = scenario_error(err);
    assert_eq!(key, "scenarios.calm.defaults.volatility_pct");
    assert_eq!(line, Some(2));
    assert!(
        reason.contains("Hubei/rd_expenditure") && reason.contains("[indicators.rd_expenditure]"),
        "{reason}"
    );
    // the base itself estimates the indicator as before (here: no history, so the
    // error is about the missing data, not about the variant)
    let e = Assessor::new(&catalogue, &base)
        .paths(1000)
        .run()
        .unwrap_err()
        .to_string();
    assert!(!e.contains("calm"), "{e}");
}

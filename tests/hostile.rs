//! Hostile input: a corpus of malformed files, each with the message it must get, and
//! arbitrary or mutated bytes fed to every loader without a panic.
//!
//! Every case is checked: an error whose text contains the expected fragment (and the
//! file's name), or a warning that does. A case that loads silently fails the test.

use goalcast::io::overrides::Overrides;
use goalcast::{Catalogue, History, Jurisdictions, Scenario};
use proptest::prelude::*;

const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote";
const ROW: &str =
    "rd,rd_expenditure,Hubei,研发,R&D,亿元,growth,>=,2022,1254.7,14,2028,000,年均增长14%";
const SHARE: &str = "sh,hitech_output,Hubei,高新,High tech,%,share,>=,,,30,2028,000,占比30%,gdp";
const HISTORY_HEADER: &str = "indicator,jurisdiction,year,value,unit";

/// A catalogue of the header and `rows` (with the optional `denominator` column when asked).
fn catalogue(rows: &[&str]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// One catalogue row with one field replaced.
fn row_with(column: &str, value: &str) -> String {
    let names: Vec<&str> = HEADER.split(',').collect();
    let mut cells: Vec<String> = ROW.split(',').map(str::to_string).collect();
    let i = names.iter().position(|c| *c == column).expect("a column");
    cells[i] = value.to_string();
    cells.join(",")
}

enum Input {
    Catalogue(String),
    History(String),
    Overrides(String),
    Scenario(String),
    Jurisdictions(String),
    /// A catalogue with a history: the catalogue's warnings are checked.
    Denominators(String, String),
}

/// What happened to one case: an error's text, a warning's text, or nothing.
enum Outcome {
    Error(String),
    Warning(String),
    Accepted,
}

fn load(input: &Input) -> Outcome {
    let err = |e: goalcast::Error| Outcome::Error(e.to_string());
    let result = match input {
        Input::Catalogue(t) => Catalogue::from_reader(t.as_bytes(), "cat.csv").map(|_| ()),
        Input::History(t) => History::from_reader(t.as_bytes(), "hist.csv").map(|_| ()),
        Input::Overrides(t) => {
            let cat = Catalogue::from_reader(catalogue(&[ROW]).as_bytes(), "cat.csv").unwrap();
            Overrides::from_toml_str(t, "over.toml")
                .and_then(|o| cat.with_overrides(&o).map(|_| ()))
        }
        Input::Scenario(t) => match Scenario::from_toml_str(t, "scen.toml") {
            Ok(s) => match s.warnings().first() {
                Some(w) => return Outcome::Warning(w.clone()),
                None => Ok(()),
            },
            Err(e) => Err(e),
        },
        Input::Jurisdictions(t) => {
            Jurisdictions::from_reader(t.as_bytes(), "places.csv").map(|_| ())
        }
        Input::Denominators(c, h) => {
            let cat = Catalogue::from_reader(c.as_bytes(), "cat.csv").unwrap();
            let hist = History::from_reader(h.as_bytes(), "hist.csv").unwrap();
            match cat.unknown_denominators(&hist).first() {
                Some(w) => return Outcome::Warning(w.clone()),
                None => cat.with_history(&hist).map(|_| ()),
            }
        }
    };
    match result {
        Ok(()) => Outcome::Accepted,
        Err(e) => err(e),
    }
}

fn file_of(input: &Input) -> &'static str {
    match input {
        Input::Catalogue(_) => "cat.csv",
        Input::Denominators(..) => ".csv",
        Input::History(_) => "hist.csv",
        Input::Overrides(_) => "over.toml",
        Input::Scenario(_) => "scen.toml",
        Input::Jurisdictions(_) => "places.csv",
    }
}

fn scenario(body: &str) -> String {
    format!("name = \"s\"\n[defaults]\nvolatility_pct = 5\n{body}\n")
}

fn history(rows: &[&str]) -> String {
    format!("{HISTORY_HEADER}\n{}\n", rows.join("\n"))
}

/// The corpus: (name, input, expected fragment, is a warning).
fn corpus() -> Vec<(&'static str, Input, &'static str, bool)> {
    use Input::*;
    let c = |rows: &[&str]| Catalogue(catalogue(rows));
    let field = |col: &str, v: &str| Catalogue(catalogue(&[&row_with(col, v)]));
    let with_den = |den: &str| {
        format!(
            "{HEADER},denominator\n{ROW},\n{}\n",
            SHARE.replace(",gdp", &format!(",{den}"))
        )
    };
    vec![
        // Catalogue: identifiers (file names are built from them).
        (
            "id with a slash",
            field("id", "a/b"),
            "character '/'",
            false,
        ),
        (
            "id traversal",
            field("id", "../../escaped"),
            "not allowed",
            false,
        ),
        (
            "jurisdiction traversal",
            field("jurisdiction", "X/../../escaped"),
            "column `jurisdiction`",
            false,
        ),
        (
            "indicator with NUL",
            field("indicator", "a\0b"),
            "column `indicator`",
            false,
        ),
        (
            "indicator with space",
            field("indicator", "a b"),
            "character ' '",
            false,
        ),
        (
            "id with backslash",
            field("id", "a\\b"),
            "not allowed",
            false,
        ),
        (
            "id starting with dot",
            field("id", ".hidden"),
            "column `id`",
            false,
        ),
        (
            "id starting with underscore",
            field("id", "_x"),
            "starting with a letter",
            false,
        ),
        (
            "id too long",
            field("id", &"x".repeat(65)),
            "too long",
            false,
        ),
        ("id non-ASCII", field("id", "研发"), "not allowed", false),
        ("empty id", field("id", ""), "empty cell", false),
        (
            "case collision of ids",
            c(&[ROW, &ROW.replacen("rd,", "RD,", 1)]),
            "differ only in case",
            false,
        ),
        (
            "case collision of jurisdictions",
            c(&[ROW, &ROW.replacen("rd,", "x,", 1).replace("Hubei", "HUBEI")]),
            "would be that of",
            false,
        ),
        (
            "underscore collision",
            c(&[
                &row_with("jurisdiction", "a_b"),
                &row_with("jurisdiction", "a")
                    .replace("rd_expenditure", "b_rd_expenditure")
                    .replacen("rd,", "y,", 1),
            ]),
            "would be that of",
            false,
        ),
        (
            "duplicate id",
            c(&[ROW, ROW]),
            "duplicated target id",
            false,
        ),
        // Catalogue: figures.
        (
            "base 1e308",
            field("base_value", "1e308"),
            "not a plausible figure",
            false,
        ),
        (
            "base inf",
            field("base_value", "inf"),
            "not a finite number",
            false,
        ),
        (
            "base NaN",
            field("base_value", "NaN"),
            "not a finite number",
            false,
        ),
        (
            "base zero",
            field("base_value", "0"),
            "must be positive",
            false,
        ),
        (
            "base negative",
            field("base_value", "-5"),
            "must be positive",
            false,
        ),
        (
            "base text",
            field("base_value", "lots"),
            "not a number",
            false,
        ),
        (
            "target 1e300",
            field("target_value", "1e300"),
            "not a plausible figure",
            false,
        ),
        (
            "target -inf",
            field("target_value", "-inf"),
            "not a finite number",
            false,
        ),
        (
            "target empty",
            field("target_value", ""),
            "target value is required",
            false,
        ),
        (
            "base year 0",
            field("base_year", "0"),
            "not a calendar year",
            false,
        ),
        (
            "base year 1800",
            field("base_year", "1800"),
            "not a calendar year",
            false,
        ),
        (
            "deadline 99999",
            field("deadline", "99999"),
            "not a calendar year",
            false,
        ),
        (
            "deadline before base",
            field("deadline", "2020"),
            "must come after the base year",
            false,
        ),
        (
            "deadline fractional",
            field("deadline", "2028.5"),
            "not a calendar year",
            false,
        ),
        (
            "unknown kind",
            field("kind", "wish"),
            "column `kind`",
            false,
        ),
        (
            "unknown comparator",
            field("comparator", "=~"),
            "column `comparator`",
            false,
        ),
        (
            "uncertain not a flag",
            Catalogue(format!("{HEADER},uncertain\n{ROW},maybe\n")),
            "expected `true`",
            false,
        ),
        (
            "decline with >=",
            Catalogue(catalogue(&[&ROW.replace("growth,>=", "decline,>=")])),
            "comparator is `<=`",
            false,
        ),
        (
            "growth without base year",
            Catalogue(catalogue(&[&ROW.replace(",2022,1254.7,", ",,,")])),
            "base year",
            false,
        ),
        (
            "base value without year",
            Catalogue(catalogue(&[&ROW.replace(",2022,1254.7,", ",,1254.7,")])),
            "base_year is required",
            false,
        ),
        (
            "share of itself",
            Catalogue(format!(
                "{HEADER},denominator\n{}\n",
                SHARE.replace(",gdp", ",hitech_output")
            )),
            "share of the indicator itself",
            false,
        ),
        (
            "share without denominator",
            Catalogue(format!(
                "{HEADER},denominator\n{}\n",
                SHARE.replace(",gdp", ",")
            )),
            "names its denominator",
            false,
        ),
        (
            "denominator traversal",
            Catalogue(format!(
                "{HEADER},denominator\n{}\n",
                SHARE.replace(",gdp", ",../gdp")
            )),
            "column `denominator`",
            false,
        ),
        (
            "two bad rows in one message",
            c(&[
                &row_with("base_value", "inf"),
                &row_with("id", "a/b").replacen("a/b", "q/r", 1),
            ]),
            "2 problems",
            false,
        ),
        // Catalogue: the file as a whole.
        (
            "duplicate column",
            Catalogue(format!("{HEADER},id\n{ROW},rd2\n")),
            "appears twice",
            false,
        ),
        (
            "missing column",
            Catalogue("id,indicator\nx,y\n".into()),
            "lacks required column",
            false,
        ),
        (
            "unknown column",
            Catalogue(format!("{HEADER},colour\n{ROW},red\n")),
            "unknown column `colour`",
            false,
        ),
        (
            "ragged row",
            Catalogue(format!("{HEADER}\n{ROW},extra\n")),
            "fields where the header has",
            false,
        ),
        (
            "not UTF-8",
            Catalogue(String::from_utf8_lossy(b"id\xff").into_owned() + "\n"),
            "lacks required column",
            false,
        ),
        (
            "unknown denominator named",
            Denominators(with_den("gpd"), history(&["gdp,Hubei,2022,100,亿元"])),
            "nearest existing id: `gdp`",
            true,
        ),
        // History.
        (
            "history 1e308",
            History(history(&["gdp,Hubei,2022,1e308,亿元"])),
            "not a plausible figure",
            false,
        ),
        (
            "history NaN",
            History(history(&["gdp,Hubei,2022,NaN,亿元"])),
            "not a finite number",
            false,
        ),
        (
            "history year 1800",
            History(history(&["gdp,Hubei,1800,5,亿元"])),
            "not a calendar year",
            false,
        ),
        (
            "history empty value",
            History(history(&["gdp,Hubei,2022,,亿元"])),
            "column `value`",
            false,
        ),
        (
            "history duplicate column",
            History(format!("{HISTORY_HEADER},value\ngdp,Hubei,2022,1,亿元,2\n")),
            "appears twice",
            false,
        ),
        (
            "history missing column",
            History("indicator,year\ngdp,2022\n".into()),
            "lacks required column",
            false,
        ),
        (
            "history every bad row at once",
            History(history(&[
                "gdp,Hubei,2022,inf,亿元",
                "gdp,Hubei,2023,x,亿元",
                "gdp,Hubei,1,5,亿元",
            ])),
            "3 problems",
            false,
        ),
        // Overrides.
        (
            "override base year 0",
            Overrides("[targets.rd]\nbase_year = 0\nbase_value = 5\nsource = \"x\"\n".into()),
            "base_year",
            false,
        ),
        (
            "override base year 1800",
            Overrides("[targets.rd]\nbase_year = 1800\nbase_value = 5\nsource = \"x\"\n".into()),
            "base_year",
            false,
        ),
        (
            "override base value inf",
            Overrides("[targets.rd]\nbase_year = 2022\nbase_value = inf\nsource = \"x\"\n".into()),
            "base_value",
            false,
        ),
        (
            "override unknown target",
            Overrides("[targets.nope]\ndeadline = 2030\nsource = \"x\"\n".into()),
            "no target `nope`",
            false,
        ),
        (
            "override without source",
            Overrides("[targets.rd]\ndeadline = 2030\n".into()),
            "source",
            false,
        ),
        (
            "override not TOML",
            Overrides("[targets.rd\n".into()),
            "over.toml",
            false,
        ),
        // Scenario.
        (
            "growth 1e308",
            Scenario(scenario("growth_pct = 1e308")),
            "at most 1000",
            false,
        ),
        (
            "growth -100",
            Scenario(scenario("growth_pct = -100")),
            "above -100",
            false,
        ),
        (
            "growth nan",
            Scenario(scenario("growth_pct = nan")),
            "growth_pct",
            false,
        ),
        (
            "volatility 1e6",
            Scenario(scenario(
                "growth_pct = 5\n[indicators.gdp]\nvolatility_pct = 1e6",
            )),
            "at most 200",
            false,
        ),
        (
            "volatility negative",
            Scenario(scenario(
                "growth_pct = 5\n[indicators.gdp]\nvolatility_pct = -1",
            )),
            "non-negative",
            false,
        ),
        (
            "persistence 1",
            Scenario(scenario(
                "growth_pct = 5\n[indicators.gdp]\nmodel = \"ar1\"\npersistence = 1",
            )),
            "persistence",
            false,
        ),
        (
            "every bad table at once",
            Scenario(scenario(
                "growth_pct = 1e9\n[indicators.a]\nvolatility_pct = -3\n[indicators.b]\ngrowth_pct = -200",
            )),
            "3 problems",
            false,
        ),
        (
            "unknown model",
            Scenario(scenario("model = \"magic\"")),
            "unknown model",
            false,
        ),
        (
            "unknown key",
            Scenario(scenario("colour = 3")),
            "scen.toml",
            false,
        ),
        (
            "growth as a fraction",
            Scenario(scenario("growth_pct = 0.0765")),
            "did you mean 7.65 %?",
            true,
        ),
        // Jurisdictions.
        (
            "jurisdictions missing column",
            Jurisdictions("jurisdiction\nHubei\n".into()),
            "lacks required column",
            false,
        ),
        (
            "jurisdictions duplicate column",
            Jurisdictions(
                "jurisdiction,parent,name_zh,name_en,parent\nHubei,China,湖北,Hubei,x\n".into(),
            ),
            "appears twice",
            false,
        ),
        (
            "jurisdictions ragged",
            Jurisdictions("jurisdiction,parent,name_zh,name_en\nHubei,China\n".into()),
            "fields where the header has",
            false,
        ),
    ]
}

#[test]
fn every_case_of_the_corpus_gets_its_message() {
    let cases = corpus();
    let (mut errors, mut warnings, mut failures) = (0, 0, Vec::new());
    for (name, input, fragment, is_warning) in &cases {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load(input)));
        match outcome {
            Err(_) => failures.push(format!("{name}: PANIC")),
            Ok(Outcome::Accepted) => failures.push(format!("{name}: silently accepted")),
            Ok(Outcome::Error(m))
                if !is_warning && m.contains(fragment) && m.contains(file_of(input)) =>
            {
                errors += 1
            }
            Ok(Outcome::Warning(m)) if *is_warning && m.contains(fragment) => warnings += 1,
            Ok(Outcome::Error(m) | Outcome::Warning(m)) => {
                failures.push(format!("{name}: expected {fragment:?} in {m:?}"))
            }
        }
    }
    println!(
        "hostile corpus: {} cases, {errors} clear errors, {warnings} warnings, {} failures",
        cases.len(),
        failures.len()
    );
    assert!(cases.len() >= 60, "{} cases", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Valid files of every loader, mutated below.
fn seeds() -> [(usize, String); 5] {
    [
        (0, catalogue(&[ROW])),
        (1, history(&["gdp,Hubei,2022,100,亿元"])),
        (2, "[targets.rd]\ndeadline = 2030\nsource = \"x\"\n".into()),
        (3, scenario("growth_pct = 5")),
        (
            4,
            "jurisdiction,parent,name_zh,name_en\nHubei,China,湖北,Hubei\n".into(),
        ),
    ]
}

/// Feeds bytes to loader `which`; any result but a panic is fine.
fn feed(which: usize, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let _ = match which {
        0 => Catalogue::from_reader(bytes, "c.csv").map(|_| ()),
        1 => History::from_reader(bytes, "h.csv").map(|_| ()),
        2 => Overrides::from_toml_str(&text, "o.toml").map(|_| ()),
        3 => Scenario::from_toml_str(&text, "s.toml").map(|s| {
            let _ = s.warnings();
        }),
        _ => Jurisdictions::from_reader(bytes, "j.csv").map(|_| ()),
    };
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_a_loader(which in 0usize..5, bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        feed(which, &bytes);
    }

    #[test]
    fn mutated_valid_files_never_panic_a_loader(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut bytes = seeds()[which].1.clone().into_bytes();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len() + 1);
            match op {
                0 => bytes.insert(i, byte),
                1 if i < bytes.len() => { bytes.remove(i); }
                _ if i < bytes.len() => bytes[i] = byte,
                _ => bytes.push(byte),
            }
        }
        feed(which, &bytes);
        // Loaded files that are still valid must keep holding their rules.
        if which == 0 && let Ok(c) = Catalogue::from_reader(bytes.as_slice(), "c.csv") {
            for t in &c.targets {
                prop_assert!(goalcast::io::rules::check_identifier(&t.id).is_ok());
            }
        }
    }
}

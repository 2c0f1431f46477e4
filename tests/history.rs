//! History: one value per year by a stated rule, bounds never used, bases from history.

use goalcast::indicator::{IndicatorKey, Observation};
use goalcast::io::history::{History, Reliability};
use goalcast::{Catalogue, RunSettings, Scenario, assess};

const HISTORY: &str = "\
indicator,jurisdiction,year,value,unit,bound,source,quote,note
rd_expenditure,Hubei,2020,1005.28,亿元,,press,由1005.28亿元,first release
rd_expenditure,Hubei,2020,1005.3,亿元,,seed 003,1005.3亿元,revision
rd_expenditure,Hubei,2021,1160,亿元,,press,达到1160亿元,
rd_expenditure,Hubei,2022,1300,亿元,lower,press,突破1300亿元,a bound
rd_expenditure,Ezhou,2021,40,亿元,,press,q,
";

const CATALOGUE: &str = "\
id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote
g,rd_expenditure,Hubei,研发经费投入,R&D expenditure,亿元,growth,>=,2020,,14,2025,003,年均增长14%
l,rd_expenditure,Hubei,研发经费投入,R&D expenditure,亿元,level,>=,,,2000,2025,003,达到2000亿元
e,rd_expenditure,Ezhou,研发经费投入,R&D expenditure,亿元,level,>=,,,80,2029,001,q
n,gdp,Hubei,地区生产总值,GDP,亿元,level,>=,,,70000,2025,003,q
";

#[test]
fn last_value_wins_bounds_are_ignored_and_overrides_are_reported() {
    let h = History::from_reader(HISTORY.as_bytes(), "history.csv").unwrap();
    let hubei = IndicatorKey::new("Hubei", "rd_expenditure");
    assert_eq!(
        h.values(&hubei),
        vec![
            Observation {
                year: 2020,
                value: 1005.3
            },
            Observation {
                year: 2021,
                value: 1160.0
            },
        ]
    );
    let o = h.overridden();
    assert_eq!(o.len(), 1);
    assert_eq!(
        (o[0].year, o[0].used, o[0].dropped.clone()),
        (2020, (1005.3, 3), vec![(1005.28, 2)])
    );
}

#[test]
fn bases_come_from_history_and_missing_ones_are_reported() {
    let h = History::from_reader(HISTORY.as_bytes(), "history.csv").unwrap();
    let cat = Catalogue::from_reader(CATALOGUE.as_bytes(), "cat.csv")
        .unwrap()
        .with_history(&h)
        .unwrap();
    let scen = Scenario::from_toml_str(
        "[defaults]\nvolatility_pct = 5\ngrowth_pct = 12\n",
        "s.toml",
    )
    .unwrap();
    let a = assess(
        &cat,
        &scen,
        RunSettings {
            paths: 2_000,
            seed: 3,
            ..Default::default()
        },
    )
    .unwrap();
    let by_id = |id: &str| a.targets.iter().find(|t| t.target.id == id).unwrap();
    // growth from 2020 with no stated base: history's 2020 value, fixed threshold
    let g = by_id("g").result.as_ref().unwrap();
    assert_eq!(
        g.start,
        Observation {
            year: 2021,
            value: 1160.0
        }
    );
    assert!((g.threshold.unwrap() - 1005.3 * 1.14f64.powi(5)).abs() < 1e-9);
    // each jurisdiction starts from its own history
    assert_eq!(by_id("e").result.as_ref().unwrap().start.value, 40.0);
    // GDP has no history: reported, not dropped, not invented
    assert_eq!(
        by_id("n").result.as_ref().unwrap_err().as_str(),
        "needs_baseline"
    );
}

#[test]
fn history_in_another_unit_is_refused() {
    let h = History::from_reader(
        "indicator,jurisdiction,year,value,unit\nrd_expenditure,Hubei,2021,0.116,万亿元\n"
            .as_bytes(),
        "h.csv",
    )
    .unwrap();
    let err = Catalogue::from_reader(CATALOGUE.as_bytes(), "cat.csv")
        .unwrap()
        .with_history(&h)
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("h.csv") && msg.contains("line 2") && msg.contains("`unit`"),
        "{msg}"
    );
}

#[test]
fn bad_history_rows_are_named() {
    for (row, column) in [
        ("rd_expenditure,Hubei,2021,NaN,亿元,", "value"),
        ("rd_expenditure,Hubei,20x1,1,亿元,", "year"),
        ("rd_expenditure,Hubei,2021,1,亿元,maybe", "bound"),
        ("rd_expenditure,Hubei,2021,-4,亿元,", "value"),
    ] {
        let text = format!("indicator,jurisdiction,year,value,unit,bound\n{row}\n");
        let msg = History::from_reader(text.as_bytes(), "h.csv")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("line 2") && msg.contains(&format!("column `{column}`")),
            "{msg}"
        );
    }
}

#[test]
fn the_shipped_history_and_catalogues_load_together() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let h = History::from_path(root.join("data/history.csv")).unwrap();
    for entry in std::fs::read_dir(root.join("data/catalogue")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            Catalogue::from_path(&path)
                .and_then(|c| c.with_history(&h))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

#[test]
fn the_best_graded_source_wins_whatever_its_place_in_the_file() {
    let text = "\
indicator,jurisdiction,year,value,unit,bound,source,quote,note,reliability
x,Hubei,2023,100,亿元,,http://gov.example/a,100亿元,,official
x,Hubei,2023,101,亿元,,http://mirror.example/b,101亿元,,secondary
x,Hubei,2023,102,亿元,,http://news.example/c,102亿元,,press
x,Hubei,2024,110,亿元,,http://news.example/d,110亿元,,press
x,Hubei,2024,111,亿元,,http://news.example/e,111亿元,,press
";
    let h = History::from_reader(text.as_bytes(), "graded.csv").unwrap();
    let key = IndicatorKey::new("Hubei", "x");
    // 2023: official beats two later rows; 2024: same grade, the last row.
    let values: Vec<f64> = h.values(&key).iter().map(|o| o.value).collect();
    assert_eq!(values, [100.0, 111.0]);
    let o = h.overridden();
    assert_eq!(
        (o[0].used, o[0].dropped.clone()),
        ((100.0, 2), vec![(101.0, 3), (102.0, 4)])
    );
    // An ungraded row loses to any grade.
    let mixed = "indicator,jurisdiction,year,value,unit,reliability\nx,Hubei,2023,7,亿元,secondary\nx,Hubei,2023,8,亿元,\n";
    let h = History::from_reader(mixed.as_bytes(), "mixed.csv").unwrap();
    assert_eq!(h.values(&key)[0].value, 7.0);
}

#[test]
fn an_unknown_grade_is_an_error_naming_file_line_and_column() {
    let text = "indicator,jurisdiction,year,value,unit,reliability\nx,Hubei,2023,7,亿元,trusted\n";
    let e = History::from_reader(text.as_bytes(), "graded.csv")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("graded.csv") && e.contains("line 2") && e.contains("`reliability`"),
        "{e}"
    );
    assert!(e.contains("`official`, `press` or `secondary`"), "{e}");
}

#[test]
fn every_shipped_history_row_has_a_source_a_quote_and_a_grade() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("data/history.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (source, quote, grade) = (col("source"), col("quote"), col("reliability"));
    let mut rows = 0;
    for (i, record) in reader.records().enumerate() {
        let r = record.unwrap();
        let line = i + 2;
        assert!(!r[source].trim().is_empty(), "line {line}: no source");
        assert!(!r[quote].trim().is_empty(), "line {line}: no quote");
        assert!(
            ["official", "press", "secondary"].contains(&&r[grade]),
            "line {line}: grade {:?}",
            &r[grade]
        );
        rows += 1;
    }
    assert!(rows > 100);
    // The loader reads the grades too, and ranks them.
    let h = History::from_path(&path).unwrap();
    assert!(h.rows.iter().all(|r| r.reliability > Reliability::Ungraded));
}

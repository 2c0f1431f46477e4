//! Every goal answered: growth goals with no base level, reference-class priors, the
//! base a goal would need, outcomes settled by published figures, graded history.

use goalcast::prelude::*;
use goalcast::reference::{ReferenceClass, ReferenceClasses};
use goalcast::scenario::Basis;
use statrs::distribution::{ContinuousCDF, Normal};

const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote";
const HISTORY_HEADER: &str =
    "indicator,jurisdiction,year,value,unit,bound,source,quote,note,reliability";

fn catalogue(rows: &str, history: &str) -> Catalogue {
    let c = Catalogue::from_reader(format!("{HEADER}\n{rows}").as_bytes(), "c.csv").unwrap();
    let h =
        History::from_reader(format!("{HISTORY_HEADER}\n{history}").as_bytes(), "h.csv").unwrap();
    c.with_history(&h).unwrap()
}

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str(text, "s.toml").unwrap()
}

fn root() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_growth_goal_with_no_base_level_is_simulated_and_equals_the_closed_form() {
    // No value of `sei` is known anywhere: 14 % a year from 2023 needs none.
    let c = catalogue(
        "g,sei,Hubei,战新,SEI,亿元,growth,>=,2023,,14,2028,000,年均增长14%\n",
        "",
    );
    let (g, sigma) = (0.12, 0.05);
    let s = scenario(&format!(
        "[indicators.sei]\ngrowth_pct = {}\nvolatility_pct = {}\n",
        g * 100.0,
        sigma * 100.0
    ));
    let run = Assessor::new(&c, &s).paths(200_000).seed(7).run().unwrap();
    let e = run.target("g").unwrap();
    assert!(e.index_start);
    assert_eq!((e.start.year, e.start.value), (2023, 1.0));
    // P(5·ln(1+g) + σ√5·Z ≥ 5·ln 1.14), by hand.
    let n = 5.0_f64;
    let z = (n * (1.0f64 + g).ln() - n * 1.14f64.ln()) / (sigma * n.sqrt());
    let exact = Normal::standard().cdf(z);
    assert!((e.p_reach_closed_form.unwrap() - exact).abs() < 1e-9);
    assert!(
        (e.p_reach - exact).abs() < 4.0 * e.p_reach_se,
        "{} vs {exact} ± {}",
        e.p_reach,
        e.p_reach_se
    );
    // The same goal with a wrongly stated growth misses the closed form: the test bites.
    let wrong = scenario("[indicators.sei]\ngrowth_pct = 13\nvolatility_pct = 5\n");
    let w = Assessor::new(&c, &wrong)
        .paths(200_000)
        .seed(7)
        .run()
        .unwrap();
    let w = w.target("g").unwrap();
    assert!((w.p_reach - exact).abs() > 10.0 * w.p_reach_se);
}

#[test]
fn a_class_prior_is_wider_than_any_series_of_its_class() {
    let history = History::from_path(root().join("data/history.csv")).unwrap();
    let classes = ReferenceClasses::estimate(&history.series());
    assert!(
        classes.classes.contains_key(&ReferenceClass::MoneyFlows),
        "the shipped history has a money-flows class"
    );
    for (class, prior) in &classes.classes {
        assert!(prior.series.len() >= goalcast::reference::MIN_CLASS_SERIES);
        let widest = prior.series.iter().map(|s| s.mu_se).fold(0.0, f64::max);
        assert!(
            prior.mu_se > widest && prior.mu_se > prior.between_sd,
            "{class}: SE {} vs widest series {widest}, between {}",
            prior.mu_se,
            prior.between_sd
        );
        // Five years ahead, the prior's spread of log-growth beats every member's own.
        let spread = |sigma: f64, se: f64| (5.0 * sigma * sigma + 25.0 * se * se).sqrt();
        for s in &prior.series {
            assert!(
                spread(prior.volatility, prior.mu_se) > spread(s.volatility, s.mu_se),
                "{class}: {} is wider than the prior",
                s.series
            );
        }
    }
    // A newcomer with one known value gets its class's prior, labelled.
    let newcomer = Indicator {
        key: IndicatorKey::new("Hubei", "new_industry_revenue"),
        name_zh: String::new(),
        name_en: String::new(),
        unit: "亿元".into(),
        base: Some(Observation {
            year: 2024,
            value: 100.0,
        }),
        history: vec![Observation {
            year: 2024,
            value: 100.0,
        }],
        sources: Default::default(),
    };
    let a = classes.unstated(&newcomer).unwrap();
    let Basis::Prior { label } = &a.basis else {
        panic!("{:?}", a.basis)
    };
    assert!(label.starts_with("money_flows ("), "{label}");
    assert_eq!(a.model.name(), "uncertain");
}

use goalcast::indicator::{Indicator, IndicatorKey, Observation};

#[test]
fn the_base_needed_fed_back_gives_its_chance() {
    // A level goal on an indicator with no known value; the document's base year (2023)
    // comes from its other goal.
    let rows = "l,rev,Hubei,营收,revenue,亿元,level,>=,,,5000,2028,000,达到5000亿元\n\
                g,gdp,Hubei,GDP,GDP,亿元,growth,>=,2023,,6,2028,000,年均增长6%\n";
    let s = scenario(
        "[indicators.rev]\ngrowth_pct = 10\nvolatility_pct = 6\n\
         [indicators.gdp]\ngrowth_pct = 6\nvolatility_pct = 2\n",
    );
    let c = catalogue(rows, "");
    let run = Assessor::new(&c, &s).paths(100_000).seed(3).run().unwrap();
    let o = run.outcome("l").unwrap();
    assert_eq!(o.result, Err(Unsimulated::NeedsBaseline));
    let b = o.base_needed.as_ref().unwrap();
    assert_eq!(
        (b.year, b.bound),
        (2023, goalcast::units::Comparator::AtLeast)
    );
    assert!(b.p80 > b.p50);
    // Closed form of the median: 5000 / 1.1^5.
    assert!(
        (b.p50 / (5000.0 / 1.1f64.powi(5)) - 1.0).abs() < 0.005,
        "{}",
        b.p50
    );
    for (base, chance) in [(b.p50, 0.5), (b.p80, 0.8)] {
        let history = format!("rev,Hubei,2023,{base},亿元,,test,q,,official\n");
        let fed = catalogue(rows, &history);
        let run = Assessor::new(&fed, &s)
            .paths(100_000)
            .seed(3)
            .run()
            .unwrap();
        let e = run.target("l").unwrap();
        assert!(
            (e.p_reach - chance).abs() < 3.0 * e.p_reach_se + 1e-4,
            "base {base}: P = {} ± {}, expected {chance}",
            e.p_reach,
            e.p_reach_se
        );
    }
}

#[test]
fn a_bounded_share_needs_a_base_on_its_own_scale() {
    // A rate in percent moves on the logit scale: the base is a shift, not a multiple,
    // and stays below 100 %.
    let rows = "r,rate,Hubei,转化率,rate,%,level,>=,,,80,2028,000,提高到80%\n\
                g,gdp,Hubei,GDP,GDP,亿元,growth,>=,2023,,6,2028,000,年均增长6%\n";
    let s = scenario(
        "[indicators.rate]\nmodel = \"bounded_share\"\ngrowth_pct = 5\nvolatility_pct = 10\n\
         [indicators.gdp]\ngrowth_pct = 6\nvolatility_pct = 2\n",
    );
    let run = Assessor::new(&catalogue(rows, ""), &s)
        .paths(100_000)
        .seed(5)
        .run()
        .unwrap();
    let b = run.outcome("r").unwrap().base_needed.clone().unwrap();
    assert!(b.p50 < b.p80 && b.p80 < 100.0, "{b:?}");
    // Closed form of the median: odds(b)·1.05^5 = odds(80 %).
    let odds = 4.0 / 1.05f64.powi(5);
    assert!(
        (b.p50 / (100.0 * odds / (1.0 + odds)) - 1.0).abs() < 0.005,
        "{}",
        b.p50
    );
    let history = format!("rate,Hubei,2023,{},%,,test,q,,official\n", b.p50);
    let fed = Assessor::new(&catalogue(rows, &history), &s)
        .paths(100_000)
        .seed(5)
        .run()
        .unwrap();
    let e = fed.target("r").unwrap();
    assert!(
        (e.p_reach - 0.5).abs() < 3.0 * e.p_reach_se + 1e-4,
        "{}",
        e.p_reach
    );
}

#[test]
fn published_figures_settle_a_goal_with_their_source() {
    let c = catalogue(
        "met,labs,Hubei,实验室,labs,count,level,>=,2023,,30,2025,003,达到30家\n\
         missed,labs,Hubei,实验室,labs,count,level,>=,2023,,60,2025,003,达到60家\n\
         early,labs,Hubei,实验室,labs,count,level,>=,2023,,40,2028,000,达到40家\n",
        "labs,Hubei,2023,31,count,,https://example.gov.cn/a,31家,,official\n\
         labs,Hubei,2024,38,count,,https://example.gov.cn/b,38家,,official\n\
         labs,Hubei,2025,45,count,,https://example.gov.cn/c,45家,,official\n",
    );
    let run = Assessor::new(&c, &scenario(""))
        .paths(1_000)
        .seed(1)
        .run()
        .unwrap();
    let settled = |id: &str| run.outcome(id).unwrap().settled.clone().unwrap();
    let met = settled("met");
    assert_eq!(
        (met.status, met.year, met.observed),
        (Unsimulated::AlreadyMet, 2025, 45.0)
    );
    assert!(met.source.contains("https://example.gov.cn/c") && met.source.contains("official"));
    assert_eq!(settled("missed").status, Unsimulated::AlreadyMissed);
    // Met in 2025, before its 2028 deadline.
    let early = settled("early");
    assert_eq!((early.status, early.year), (Unsimulated::AlreadyMet, 2025));
}

#[test]
fn every_history_row_has_a_source_a_quote_and_a_grade() {
    let text = std::fs::read_to_string(root().join("data/history.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (source, quote, grade) = (column("source"), column("quote"), column("reliability"));
    let mut rows = 0;
    for (n, record) in reader.records().enumerate() {
        let r = record.unwrap();
        rows += 1;
        for c in [source, quote] {
            assert!(
                !r[c].trim().is_empty(),
                "line {}: empty {}",
                n + 2,
                &headers[c]
            );
        }
        assert!(
            ["official", "press", "secondary"].contains(&&r[grade]),
            "line {}: grade `{}`",
            n + 2,
            &r[grade]
        );
    }
    assert!(rows > 300, "{rows} rows");
}

#[test]
fn a_memo_hands_a_variant_the_base_figures_only_where_its_assumptions_agree() {
    let rows = "l,rev,Hubei,营收,revenue,亿元,level,>=,,,5000,2028,000,达到5000亿元\n\
                g,gdp,Hubei,GDP,GDP,亿元,growth,>=,2023,,6,2028,000,年均增长6%\n";
    let c = catalogue(rows, "");
    let base = scenario(
        "[indicators.rev]\ngrowth_pct = 10\nvolatility_pct = 6\n\
         [indicators.gdp]\ngrowth_pct = 6\nvolatility_pct = 2\n",
    );
    // The same assumption for `rev`, another for `gdp`; then another for `rev`.
    let same = scenario(
        "[indicators.rev]\ngrowth_pct = 10\nvolatility_pct = 6\n\
         [indicators.gdp]\ngrowth_pct = 4\nvolatility_pct = 2\n",
    );
    let other = scenario(
        "[indicators.rev]\ngrowth_pct = 8\nvolatility_pct = 6\n\
         [indicators.gdp]\ngrowth_pct = 6\nvolatility_pct = 2\n",
    );
    let memo = goalcast::assess::BaseMemo::default();
    let needed = |s: &Scenario, memo: Option<&goalcast::assess::BaseMemo>| {
        let assessor = Assessor::new(&c, s).paths(20_000).seed(3);
        let run = match memo {
            Some(m) => assessor.base_memo(m).run(),
            None => assessor.run(),
        };
        run.unwrap()
            .outcome("l")
            .unwrap()
            .base_needed
            .clone()
            .unwrap()
    };
    let b = needed(&base, Some(&memo));
    assert_eq!(memo.len(), 1);
    // Taken from the memo, and what a fresh run gives.
    assert_eq!(needed(&same, Some(&memo)), b);
    assert_eq!(needed(&same, None), b);
    assert_eq!(memo.len(), 1);
    // Worked out again, as a fresh run would.
    let o = needed(&other, Some(&memo));
    assert_eq!(o, needed(&other, None));
    assert!(o.p50 > b.p50, "{} vs {}", o.p50, b.p50);
    assert_eq!(memo.len(), 2);
}

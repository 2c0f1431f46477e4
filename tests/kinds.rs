//! Kinds of goal through the whole assessment: counts stay whole numbers, and years of a
//! cumulative or every-year goal that are already observed come from history.

use goalcast::analytic::p_reach_lognormal;
use goalcast::io::history::History;
use goalcast::target::Comparator;
use goalcast::{Catalogue, RunSettings, Scenario, assess};

const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote";

fn run(rows: &str, history: &str) -> goalcast::Assessment {
    let catalogue =
        Catalogue::from_reader(format!("{HEADER}\n{rows}").as_bytes(), "k.csv").unwrap();
    let history = History::from_reader(
        format!("indicator,jurisdiction,year,value,unit\n{history}").as_bytes(),
        "h.csv",
    )
    .unwrap();
    let scenario = Scenario::from_toml_str(
        "[defaults]\ngrowth_pct = 10\nvolatility_pct = 20\n",
        "s.toml",
    )
    .unwrap();
    assess(
        &catalogue.with_history(&history).unwrap(),
        &scenario,
        RunSettings {
            paths: 50_000,
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn counts_are_whole_numbers() {
    // 2 national labs in 2022; at least 3 by 2025: round(X) ≥ 3 ⟺ X ≥ 2.5
    let a = run(
        "labs,national_labs,Hubei,国家实验室,National labs,count,level,>=,,,3,2025,000,q\n",
        "national_labs,Hubei,2022,2,count\n",
    );
    let e = a.targets[0].result.as_ref().unwrap();
    let exact = p_reach_lognormal(2.0, 2.5, 0.10, 0.20, 3, Comparator::AtLeast);
    assert!((e.p_reach_closed_form.unwrap() - exact).abs() < 1e-12);
    assert!((e.p_reach - exact).abs() < 4.0 * e.p_reach_se);
    assert_eq!(
        e.threshold,
        Some(3.0),
        "the stated figure is reported, not the half-unit"
    );
    for q in a.indicators[0].quantiles.iter() {
        assert_eq!(q.fract(), 0.0, "count quantile {q} is not a whole number");
    }
}

#[test]
fn observed_years_settle_or_shorten_cumulative_and_every_year_goals() {
    let history = "talents,Hubei,2021,40,count\ntalents,Hubei,2022,45,count\n";
    let a = run(
        "met,talents,Hubei,人才,Talents,count,cumulative,>=,2020,,80,2025,000,q1\n\
         rest,talents,Hubei,人才,Talents,count,cumulative,>=,2020,,300,2025,000,q2\n\
         missed,talents,Hubei,人才,Talents,count,per_year,>=,2020,,42,2025,000,q3\n\
         yearly,talents,Hubei,人才,Talents,count,per_year,>=,2021,,30,2025,000,q4\n",
        history,
    );
    let by = |id: &str| &a.targets.iter().find(|t| t.target.id == id).unwrap().result;
    // 40 + 45 = 85 already ≥ 80
    assert_eq!(by("met").as_ref().unwrap_err().as_str(), "already_met");
    // 300 − 85 = 215 still to come over 2023–2025
    let rest = by("rest").as_ref().unwrap();
    assert_eq!(rest.threshold, Some(215.0));
    assert_eq!(rest.holds_by_year.first().map(|h| h.0), Some(2023));
    // 2021 was 40 < 42: the every-year minimum is already missed
    assert_eq!(
        by("missed").as_ref().unwrap_err().as_str(),
        "already_missed"
    );
    // 2022 (45 ≥ 30) is observed and met; 2023–2025 are simulated, and every year must hold
    let yearly = by("yearly").as_ref().unwrap();
    assert!(yearly.p_reach_by.is_none() && yearly.first_reached.is_empty());
    let every: f64 = yearly.holds_by_year.iter().map(|h| h.1).fold(1.0, f64::min);
    assert!(
        yearly.p_reach <= every + 1e-12,
        "all years ≤ any single year"
    );
}

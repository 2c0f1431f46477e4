//! The published progress assessments (`goalcast::official`) on hand-worked cases, each
//! figure computed by hand from the methods' documentation (Open SDG's progress
//! methodology, sdg-build's `SeriesProgress`, Eurostat's monitoring report), and the
//! worked example of issue 17 beside goalcast's forward-looking categories.

use goalcast::RunSettings;
use goalcast::analysis::{Goal, Progress, progress_categories};
use goalcast::analytic::normal_cdf;
use goalcast::indicator::{IndicatorKey, Observation};
use goalcast::official::{
    self, EurostatStatus as E, Objective, STATCAN_BASE_YEAR, StatCanStatus as S, Term, Unassessed,
    eurostat, statcan,
};
use goalcast::process::{LogNormalGrowth, Model};
use goalcast::target::Comparator;
use goalcast::{Catalogue, History};

fn series(points: &[(i32, f64)]) -> Vec<Observation> {
    points
        .iter()
        .map(|&(year, value)| Observation { year, value })
        .collect()
}

fn goal(target: Option<f64>, target_year: i32, direction: Comparator) -> Objective {
    Objective {
        target,
        target_year,
        direction,
        limit: None,
    }
}

/// One hand-worked case: the series, the objective, and what each method gives.
struct Case {
    name: &'static str,
    series: Vec<Observation>,
    objective: Objective,
    /// StatCan: base year, progress value (R or signed growth), status, score.
    statcan: Result<(i32, f64, S, f64), Unassessed>,
    /// Eurostat short term: start year, ratio (or signed growth without a target), status.
    short: Result<(i32, f64, E), Unassessed>,
    /// Eurostat long term.
    long: Result<(i32, f64, E), Unassessed>,
}

const UP: Comparator = Comparator::AtLeast;
const DOWN: Comparator = Comparator::AtMost;

fn cases() -> Vec<Case> {
    vec![
        // (120/50)^(1/5) − 1 = 19.14 % against (100/50)^(1/10) − 1 = 7.18 %: R = 2.67,
        // but 120 ≥ 100 already: target achieved, score 5 whatever the trend. Eurostat's
        // short window starts in 2015 (t − 5), the same ratio; no 10-year window.
        Case {
            name: "target met early",
            series: series(&[(2015, 50.0), (2020, 120.0)]),
            objective: goal(Some(100.0), 2025, UP),
            statcan: Ok((2015, 2.666137196186252, S::TargetAchieved, 5.0)),
            short: Ok((2015, 2.666137196186252, E::SignificantProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // At most 70 by 2030 from 100 in 2015: required −2.350 %, observed 90 in 2023:
        // −1.308 %; R = d·CAGR_o/|CAGR_r| = 0.557: limited progress, score
        // 5·(0.557 − 0.6)/1.2 = −0.180. Eurostat from 2018 (95): a = −1.076 %,
        // r = (70/95)^(1/12) − 1 = −2.513 %, ratio 0.428: insufficient progress.
        Case {
            name: "negative direction",
            series: series(&[(2015, 100.0), (2018, 95.0), (2023, 90.0)]),
            objective: goal(Some(70.0), 2030, DOWN),
            statcan: Ok((
                2015,
                0.5568048643942716,
                S::LimitedProgress,
                -0.17997973169053505,
            )),
            short: Ok((2018, 0.42802654892329656, E::InsufficientProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // No 2015 value: the base year is 2016, the first after it. 1.3^(1/5) − 1 =
        // 5.387 % against 2^(1/14) − 1 = 5.076 %: R = 1.061, on track, score
        // 5·0.461/0.7 = 3.296. Eurostat's short window starts in 2016 too; the 2013
        // value is only 8 years back, short of the long window's 10.
        Case {
            name: "base year missing",
            series: series(&[(2013, 80.0), (2016, 100.0), (2021, 130.0)]),
            objective: goal(Some(200.0), 2030, UP),
            statcan: Ok((
                2016,
                1.0614168607551457,
                S::SubstantialProgress,
                3.2958347196796125,
            )),
            short: Ok((2016, 1.0614168607551457, E::SignificantProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // A zero base is replaced by 0.001: (5/0.001)^(1/5) − 1 = 449.3 % against
        // (10/0.001)^(1/15) − 1 = 84.8 %: R = 5.30, score capped at 5. Eurostat has
        // no replacement: growth from zero is undefined.
        Case {
            name: "zero base value",
            series: series(&[(2015, 0.0), (2020, 5.0)]),
            objective: goal(Some(10.0), 2030, UP),
            statcan: Ok((2015, 5.29905500973169, S::SubstantialProgress, 5.0)),
            short: Err(Unassessed::GrowthUndefined),
            long: Err(Unassessed::WindowTooShort),
        },
        // A zero target is replaced by 0.001: required (0.001/10)^(1/15) − 1 = −45.9 %,
        // observed 0.8^(1/5) − 1 = −4.36 %: R = 0.095, limited, score −2.104. Eurostat:
        // required growth to zero is −100 %, ratio 0.0436: insufficient progress.
        Case {
            name: "zero target",
            series: series(&[(2015, 10.0), (2020, 8.0)]),
            objective: goal(Some(0.0), 2030, DOWN),
            statcan: Ok((
                2015,
                0.09512772741844266,
                S::LimitedProgress,
                -2.103634469089822,
            )),
            short: Ok((2015, 0.043647500209963, E::InsufficientProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // A share at 98 % that should rise, no target: growth 0.1018 % a year. The
        // limit 100 scales the thresholds by C = 1 − 0.98^4.44 = 0.0858 (to 0.129 % and
        // 0.0429 %): moderate progress, score 250·v/C − 1.25 = 1.717. Eurostat: 0–1 %:
        // moderate progress towards the objectives.
        Case {
            name: "bounded share near its limit, no target",
            series: series(&[(2015, 98.0), (2020, 98.5)]),
            objective: Objective {
                limit: Some(100.0),
                ..goal(None, 2030, UP)
            },
            statcan: Ok((
                2015,
                0.001018332049841142,
                S::ModerateProgress,
                1.7173542852544355,
            )),
            short: Ok((2015, 0.001018332049841142, E::ModerateProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // The same share without its limit: 0.1018 % < 0.5 %: limited progress, score
        // 500·v − 2.5 = −1.991.
        Case {
            name: "the same share, limit not applied",
            series: series(&[(2015, 98.0), (2020, 98.5)]),
            objective: goal(None, 2030, UP),
            statcan: Ok((
                2015,
                0.001018332049841142,
                S::LimitedProgress,
                -1.990833975079429,
            )),
            short: Ok((2015, 0.001018332049841142, E::ModerateProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // With a target (99 % by 2025) the limit is ignored: R = 0.1018 % / 0.1016 % =
        // 1.0025, on track (98.5 < 99: not achieved), score 2.875.
        Case {
            name: "bounded share with a target",
            series: series(&[(2015, 98.0), (2020, 98.5)]),
            objective: Objective {
                limit: Some(100.0),
                ..goal(Some(99.0), 2025, UP)
            },
            statcan: Ok((
                2015,
                1.0025393738330657,
                S::SubstantialProgress,
                2.8752812416647555,
            )),
            short: Ok((2015, 1.0025393738330657, E::SignificantProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // No target, up: 1.1^(1/5) − 1 = 1.924 % ≥ 1.5 %: on track, score
        // min(500·v − 5, 5) = 4.622; Eurostat ≥ 1 %: significant progress.
        Case {
            name: "no target",
            series: series(&[(2015, 100.0), (2020, 110.0)]),
            objective: goal(None, 2030, UP),
            statcan: Ok((
                2015,
                0.019244876491456564,
                S::SubstantialProgress,
                4.622438245728283,
            )),
            short: Ok((2015, 0.019244876491456564, E::SignificantProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // The same series when the indicator should fall: v = −1.924 %: deterioration,
        // score max(125·v − 2.5, −5) = −4.906; Eurostat below −1 %: significant movement
        // away.
        Case {
            name: "no target, wrong direction",
            series: series(&[(2015, 100.0), (2020, 110.0)]),
            objective: goal(None, 2030, DOWN),
            statcan: Ok((
                2015,
                -0.019244876491456564,
                S::Deterioration,
                -4.905609561432071,
            )),
            short: Ok((2015, -0.019244876491456564, E::SignificantMovementAway)),
            long: Err(Unassessed::WindowTooShort),
        },
        // Three years of data: StatCan needs two years (base 2019, the first after
        // 2015): 1.2^(1/3) − 1 = 6.266 % against 1.5^(1/8) − 1 = 5.199 %, R = 1.205,
        // score 4.323. Eurostat's short window shrinks to the three years it keeps.
        Case {
            name: "window of three years",
            series: series(&[(2019, 100.0), (2022, 120.0)]),
            objective: goal(Some(150.0), 2027, UP),
            statcan: Ok((
                2019,
                1.2052157174719256,
                S::SubstantialProgress,
                4.322969410513755,
            )),
            short: Ok((2019, 1.2052157174719256, E::SignificantProgress)),
            long: Err(Unassessed::WindowTooShort),
        },
        // Two years: too short for Eurostat (at least three), enough for StatCan.
        Case {
            name: "window of two years",
            series: series(&[(2020, 100.0), (2022, 120.0)]),
            objective: goal(Some(150.0), 2027, UP),
            statcan: Ok((
                2020,
                (1.2f64.sqrt() - 1.0) / (1.5f64.powf(1.0 / 7.0) - 1.0),
                S::SubstantialProgress,
                5.0,
            )),
            short: Err(Unassessed::WindowTooShort),
            long: Err(Unassessed::WindowTooShort),
        },
        // One value from 2015 on: not assessed.
        Case {
            name: "a single year since the base year",
            series: series(&[(2010, 90.0), (2016, 100.0)]),
            objective: goal(Some(150.0), 2027, UP),
            statcan: Err(Unassessed::TooShort),
            short: Err(Unassessed::WindowTooShort),
            long: Err(Unassessed::WindowTooShort),
        },
    ]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn hand_worked_cases() {
    for c in cases() {
        let name = c.name;
        let s = statcan(&c.series, &c.objective, STATCAN_BASE_YEAR);
        match (&s, &c.statcan) {
            (Ok(s), Ok((year, value, status, score))) => {
                assert_eq!(s.base_year, *year, "{name}: base year");
                assert!(close(s.progress_value.unwrap(), *value), "{name}: {s:?}");
                assert_eq!(s.status, *status, "{name}");
                assert!(close(s.score, *score), "{name}: score {}", s.score);
                assert!((-5.0..=5.0).contains(&s.score), "{name}");
            }
            (Err(got), Err(want)) => assert_eq!(got, want, "{name}"),
            (got, want) => panic!("{name}: StatCan gave {got:?}, expected {want:?}"),
        }
        for (term, want) in [(Term::Short, &c.short), (Term::Long, &c.long)] {
            let e = eurostat(&c.series, &c.objective, term);
            match (&e, want) {
                (Ok(e), Ok((year, value, status))) => {
                    assert_eq!(e.start_year, *year, "{name} {term:?}");
                    let got = e
                        .ratio
                        .unwrap_or(c.objective.direction_sign() * e.observed_growth);
                    assert!(close(got, *value), "{name} {term:?}: {e:?}");
                    assert_eq!(e.status, *status, "{name} {term:?}");
                }
                (Err(got), Err(want)) => assert_eq!(got, want, "{name} {term:?}"),
                (got, want) => panic!("{name} {term:?}: gave {got:?}, expected {want:?}"),
            }
        }
    }
}

/// The category boundaries are inclusive from below, as published (`R ≥ 0.95`,
/// `0.6 ≤ R`, `0 ≤ R`), and the scores meet at them: 2.5 at 0.95, 0 at 0.6, −2.5 at 0.
/// A base equal to the target leaves R undefined: target achieved while still met,
/// deterioration (−5) once below it; no ratio is reported.
#[test]
fn base_equal_to_target() {
    let objective = goal(Some(30.0), 2025, UP);
    let held = statcan(&series(&[(2015, 30.0), (2020, 31.0)]), &objective, 2015).unwrap();
    assert_eq!(
        (held.status, held.score, held.progress_value),
        (S::TargetAchieved, 5.0, None)
    );
    let lost = statcan(&series(&[(2015, 30.0), (2020, 28.0)]), &objective, 2015).unwrap();
    assert_eq!(
        (lost.status, lost.score, lost.progress_value),
        (S::Deterioration, -5.0, None)
    );
    let e = eurostat(
        &series(&[(2015, 30.0), (2020, 28.0)]),
        &objective,
        Term::Short,
    )
    .unwrap();
    assert_eq!((e.status, e.ratio), (E::MovementAway, None));
}

#[test]
fn boundaries_and_scores_meet() {
    // A series whose R is exactly c: x_t chosen so that CAGR_o = c·CAGR_r over 1 year.
    let required = 1.2f64.powf(1.0 / 10.0) - 1.0; // 100 → 120 over 2015–2025
    for (c, status, score) in [
        (0.95, S::SubstantialProgress, 2.5),
        (0.6, S::ModerateProgress, 0.0),
        (0.0, S::LimitedProgress, -2.5),
        (1.3, S::SubstantialProgress, 5.0),
        (-0.6, S::Deterioration, -5.0),
    ] {
        let s = series(&[(2015, 100.0), (2016, 100.0 * (1.0 + c * required))]);
        let a = statcan(&s, &goal(Some(120.0), 2025, UP), STATCAN_BASE_YEAR).unwrap();
        let value = a.progress_value.unwrap();
        assert!((value - c).abs() < 1e-12, "{c}: {value}");
        // The boundary itself may fall a rounding step either side: test just inside.
        let s_in = series(&[(2015, 100.0), (2016, 100.0 * (1.0 + (c + 1e-9) * required))]);
        let a_in = statcan(&s_in, &goal(Some(120.0), 2025, UP), STATCAN_BASE_YEAR).unwrap();
        assert_eq!(a_in.status, status, "{c}");
        assert!((a.score - score).abs() < 1e-9, "{c}: score {}", a.score);
    }
}

/// The worked example of issue 17: technology-contract turnover, 830 亿元 (2015) →
/// 3017.86 亿元 (2022), goal 10000 亿元 by 2028, from the project's own catalogue and
/// history (values up to 2022). Statistics Canada: on track (R = 0.96); goalcast's
/// forward-looking deterministic category: moderate (20.3 % assumed against 22.1 %
/// required from 2022, ratio 0.92); and goalcast's probabilities of each category.
#[test]
fn technology_contract_example() {
    let history = History::from_path("data/history.csv").unwrap();
    let catalogue = Catalogue::from_path("data/catalogue/000_hubei_2024.csv")
        .unwrap()
        .with_history(&history)
        .unwrap();
    let target = catalogue
        .targets
        .iter()
        .find(|t| t.id == "000_tech_contract_turnover")
        .unwrap();
    let mut indicator = catalogue
        .indicator(&IndicatorKey::new("Hubei", "tech_contract_turnover"))
        .unwrap()
        .clone();
    indicator.history.retain(|o| o.year <= 2022);
    indicator.base = indicator.history.last().copied();

    let o = official::assess(target, &indicator, None);
    let s = o.statcan.as_ref().unwrap();
    assert_eq!((s.base_year, s.base_value), (2015, 830.0));
    assert_eq!((s.latest_year, s.latest_value), (2022, 3017.86));
    assert!((s.observed_growth - 0.2025100474688959).abs() < 1e-12);
    assert!((s.required_growth.unwrap() - 0.21101030581809344).abs() < 1e-12);
    assert!((s.progress_value.unwrap() - 0.9597163829688707).abs() < 1e-12);
    assert_eq!(s.status, S::SubstantialProgress);
    assert_eq!(s.status.label(), "on track");
    assert!((s.score - 2.569402735491934).abs() < 1e-9);
    // Eurostat, short term from 2017 (1066): a = (3017.86/1066)^(1/5) − 1 = 23.14 %,
    // r = (10000/1066)^(1/11) − 1 = 22.57 %; long term from 2012 (235; 2007 has none).
    let e = o.eurostat_short.as_ref().unwrap();
    assert_eq!(e.start_year, 2017);
    let a = (3017.86f64 / 1066.0).powf(0.2) - 1.0;
    let r = (10000.0f64 / 1066.0).powf(1.0 / 11.0) - 1.0;
    assert!((e.ratio.unwrap() - a / r).abs() < 1e-12);
    assert_eq!(e.status, E::SignificantProgress);
    assert_eq!(o.eurostat_long.as_ref().unwrap().start_year, 2012);
    assert_eq!(o.label(), "StatCan: on track");

    // goalcast, forward-looking: from 3017.86 in 2022 to the deadline 2028 (6 years)
    // under the history-based assumption (20.3 % central growth, σ = 10.4 %).
    let (g, sigma, years) = (0.203, 0.104, 6);
    let model = Model::LogNormal(LogNormalGrowth::new(g, sigma).unwrap());
    let goal = Goal::level(model, 3017.86, 10_000.0, years, Comparator::AtLeast);
    let settings = RunSettings {
        paths: 200_000,
        seed: 17,
        ..Default::default()
    };
    let outlook = progress_categories(&goal, settings).unwrap();
    let required = (10_000.0f64 / 3017.86).powf(1.0 / 6.0) - 1.0;
    assert!((outlook.required_growth - required).abs() < 1e-12);
    assert!((required - 0.2212).abs() < 5e-4, "required {required}");
    assert!((g / required - 0.918).abs() < 1e-3);
    assert_eq!(outlook.deterministic, Progress::Moderate);
    // Each probability against its closed form P(a/r ≥ c) = Φ(T(ln(1+g) − ln(1+c·r))/(σ√T)).
    let n = f64::from(years as u32);
    let at_least =
        |c: f64| normal_cdf(n * ((1.0 + g).ln() - (1.0 + c * required).ln()) / (sigma * n.sqrt()));
    let exact = [
        at_least(0.95),
        at_least(0.6) - at_least(0.95),
        at_least(0.0) - at_least(0.6),
        1.0 - at_least(0.0),
    ];
    for (p, q) in outlook.probabilities.iter().zip(exact) {
        let se = (q * (1.0 - q) / settings.paths as f64).sqrt();
        assert!((p - q).abs() <= 4.0 * se + 1e-9, "{p} vs {q}");
    }
    // The figures the guide prints (rounded to a percentage point).
    let printed = [0.45, 0.48, 0.08, 0.00];
    for (q, shown) in exact.iter().zip(printed) {
        assert!((q - shown).abs() < 0.005, "{q} vs guide {shown}");
    }
    assert_eq!(outlook.median, Progress::Moderate);
}

/// `summary.csv` carries the official columns at its end, filled from the catalogue's
/// history where it allows and with the reason where it does not.
#[test]
fn summary_columns() {
    use goalcast::Scenario;
    use goalcast::assess::Assessor;
    use goalcast::report::tables::summary_csv;

    let history = History::from_path("data/history.csv").unwrap();
    let catalogue = Catalogue::from_path("data/catalogue/000_hubei_2024.csv")
        .unwrap()
        .with_history(&history)
        .unwrap();
    let scenario = Scenario::from_path("data/scenarios/hubei_2024.toml").unwrap();
    let run = Assessor::new(&catalogue, &scenario)
        .paths(1_000)
        .seed(1)
        .run()
        .unwrap();
    let csv = String::from_utf8(summary_csv(&run).unwrap()).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    // The official columns close the table; the share columns were added after them.
    assert_eq!(
        header[at("official_note")..],
        ["official_note", "p_share_over_100", "p_reach_coherent"]
    );
    assert!(at("statcan_base_year") > at("observed_source"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap().clone();

    // Technology contracts with the 2023 figure (4860): R = ((4860/830)^(1/8) − 1) /
    // ((10000/830)^(1/13) − 1).
    let tech = row("000_tech_contract_turnover");
    assert_eq!(&tech[at("statcan_base_year")], "2015");
    assert_eq!(&tech[at("statcan_latest_year")], "2023");
    let r = ((4860.0f64 / 830.0).powf(1.0 / 8.0) - 1.0)
        / ((10_000.0f64 / 830.0).powf(1.0 / 13.0) - 1.0);
    let got: f64 = tech[at("statcan_ratio")].parse().unwrap();
    assert!((got - r).abs() < 1e-12, "{got} vs {r}");
    assert_eq!(&tech[at("statcan_status")], "substantial_progress");
    assert_eq!(&tech[at("eurostat_5y_start_year")], "2018");
    assert_eq!(&tech[at("eurostat_15y_start_year")], "2012");
    assert_eq!(&tech[at("official_note")], "");

    // A milestone: no assessment, and the note says why.
    let milestone = rows.iter().find(|r| &r[at("kind")] == "milestone").unwrap();
    assert_eq!(&milestone[at("statcan_status")], "");
    assert_eq!(
        &milestone[at("official_note")],
        "statcan: not_quantitative; eurostat_5y: not_quantitative; eurostat_15y: not_quantitative"
    );
}

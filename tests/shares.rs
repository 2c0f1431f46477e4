//! Share goals shown and analysed as shares: the fan of the share in percent with its
//! target, the numerator growth a chance takes (against its closed form), the progress
//! categories of the share.

use goalcast::analysis::Progress;
use goalcast::io::history::History;
use goalcast::prelude::*;
use goalcast::report::{RunInputs, share_fan_stem, write_report};
use statrs::distribution::{ContinuousCDF, Normal};

/// New-energy vehicles 40 of 100 vehicles in 2023; the goal: a share of at least 50 % in
/// 2026.
fn catalogue() -> Catalogue {
    let catalogue = Catalogue::from_reader(
        "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote,denominator\n\
         nev_share,nev_output,Hubei,新能源汽车占比,New-energy vehicles as a share of vehicle output,%,share,>=,,,50,2026,000,占比达到50%以上,vehicle_output\n"
            .as_bytes(),
        "inline.csv",
    )
    .unwrap();
    let history = History::from_reader(
        "indicator,jurisdiction,year,value,unit\n\
         nev_output,Hubei,2022,30,万辆\n\
         nev_output,Hubei,2023,40,万辆\n\
         vehicle_output,Hubei,2022,100,万辆\n\
         vehicle_output,Hubei,2023,100,万辆\n"
            .as_bytes(),
        "inline_history.csv",
    )
    .unwrap();
    catalogue.with_history(&history).unwrap()
}

fn scenario(numerator: &str, denominator: &str) -> Scenario {
    Scenario::from_toml_str(
        &format!(
            "[indicators.nev_output]\n{numerator}\n[indicators.vehicle_output]\n{denominator}\n"
        ),
        "inline.toml",
    )
    .unwrap()
}

fn run(s: &Scenario, paths: u64) -> Assessment {
    Assessor::new(&catalogue(), s)
        .paths(paths)
        .seed(11)
        .analysis(true)
        .run()
        .unwrap()
}

#[test]
fn a_deterministic_share_fan_and_growth_needed_match_the_arithmetic() {
    // numerator +20 %/yr, denominator +5 %/yr, no noise: the share is
    // 0.4 · (1.2/1.05)^t, and the numerator growth that reaches 50 % in 3 years is
    // (0.5/0.4)^(1/3) · 1.05 − 1 whatever the chance asked for
    let s = scenario(
        "model = \"deterministic\"\ngrowth_pct = 20",
        "model = \"deterministic\"\ngrowth_pct = 5",
    );
    let a = run(&s, 2_000);
    assert_eq!(a.shares.len(), 1);
    let share = &a.shares[0];
    assert_eq!(share.target, "nev_share");
    assert_eq!(share.years, vec![2023, 2024, 2025, 2026]);
    for (row, t) in (0..4).enumerate() {
        let expected = 0.4 * (1.2f64 / 1.05).powi(t);
        for q in share.quantiles.row(row) {
            assert!((q - expected).abs() < 1e-12, "{t}: {q} vs {expected}");
        }
    }
    let e = a.target("nev_share").unwrap();
    assert_eq!(e.threshold, Some(0.5));
    assert_eq!(e.p_reach, 1.0);
    let analysis = e.analysis.as_ref().unwrap();
    let exact = (0.5f64 / 0.4).powf(1.0 / 3.0) * 1.05 - 1.0;
    assert_eq!(analysis.growth_needed.len(), 3);
    for g in &analysis.growth_needed {
        let got = g.growth.unwrap();
        assert!(
            (got - exact).abs() < 1e-6,
            "{}: {got} vs {exact}",
            g.probability
        );
    }
    // the share grows (1.2/1.05 − 1 =) 14.3 %/yr against the 7.7 %/yr it needs: on track
    let progress = analysis.progress.as_ref().unwrap();
    assert!((progress.required_growth - ((0.5f64 / 0.4).powf(1.0 / 3.0) - 1.0)).abs() < 1e-12);
    assert_eq!(progress.deterministic, Progress::OnTrack);
    assert_eq!(progress.probability(Progress::OnTrack), 1.0);
}

#[test]
fn lognormal_share_growth_needed_matches_its_closed_form() {
    // ln(share_T) ~ N(ln s0 + T(μ_N − μ_D), T(σ_N² + σ_D²)) for independent lognormals:
    // P(share_T ≥ K) = p at μ_N = (ln(K/s0) + z_p·√(T(σ_N² + σ_D²)))/T + μ_D
    let s = scenario(
        "growth_pct = 10\nvolatility_pct = 6",
        "growth_pct = 3\nvolatility_pct = 4",
    );
    let paths = 40_000;
    let a = run(&s, paths);
    let analysis = a.target("nev_share").unwrap().analysis.clone().unwrap();
    let (t, sd) = (3.0f64, (0.06f64.powi(2) + 0.04f64.powi(2)).sqrt());
    let normal = Normal::standard();
    for g in &analysis.growth_needed {
        let z = normal.inverse_cdf(g.probability);
        let mu = ((0.5f64 / 0.4).ln() + z * sd * t.sqrt()) / t + 1.03f64.ln();
        let exact = mu.exp_m1();
        // the standard error of the Monte Carlo answer: sd·√(p(1−p)/N) / (√T·φ(z))
        let se = sd * (g.probability * (1.0 - g.probability) / paths as f64).sqrt()
            / (t.sqrt() * (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt());
        let got = g.growth.unwrap();
        assert!(
            (got.ln_1p() - mu).abs() < 4.0 * se + 1e-6,
            "p = {}: {got} vs {exact} (se {se})",
            g.probability
        );
    }
    // and the fan's median follows the median share
    let share = &a.shares[0];
    let median_2026 = share.quantiles[[3, 2]];
    let expected = 0.4 * (1.10f64 / 1.03).powi(3);
    assert!(
        (median_2026 / expected - 1.0).abs() < 0.01,
        "{median_2026} vs {expected}"
    );
}

#[test]
fn the_share_fan_chart_is_drawn_in_percent_with_its_target() {
    let s = scenario(
        "model = \"deterministic\"\ngrowth_pct = 20",
        "model = \"deterministic\"\ngrowth_pct = 5",
    );
    let a = run(&s, 2_000);
    let dir = tempfile::tempdir().unwrap();
    let written = write_report(
        &a,
        RunInputs {
            title: ("测试", "test"),
            scenario_name: "test",
            files: &[],
            history: None,
            as_of: None,
        },
        dir.path(),
    )
    .unwrap();
    let stem = share_fan_stem(&a.shares[0]);
    assert_eq!(stem, "fan_share_nev_share");
    let svg_path = dir.path().join(format!("{stem}.svg"));
    assert!(written.contains(&svg_path));
    assert!(dir.path().join(format!("{stem}.png")).exists());
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    // the goal's own names, the axis in percent, the target at 50 % with its chance
    assert!(svg.contains("新能源汽车占比 · New-energy vehicles as a share of vehicle output"));
    assert!(svg.contains("占比 share (%)"));
    assert!(svg.contains("目标 goal ≥ 50 % · P = 100.0 %"), "{svg}");
    // the axis runs over the shares in percent (40 → 69.1), not over 万辆 or fractions
    let ticks: Vec<&str> = svg
        .split("</text>")
        .filter_map(|t| t.rsplit('>').next())
        .map(str::trim)
        .collect();
    assert!(ticks.contains(&"60"), "no 60 % tick: {ticks:?}");
    assert!(!ticks.contains(&"0.6"), "{ticks:?}");
}

/// P(share_T ≥ 1) and P(share_T ≥ K | share_T < 1) for independent lognormals, with
/// ln(share_T) ~ N(ln s0 + T(μ_N − μ_D), T(σ_N² + σ_D²)).
fn share_closed_forms(mean: f64, sd: f64, k: f64) -> (f64, f64) {
    let normal = Normal::standard();
    let below = normal.cdf(-mean / sd);
    let met_below = below - normal.cdf((k.ln() - mean) / sd);
    (1.0 - below, met_below / below)
}

#[test]
fn the_share_over_100_and_the_coherent_chance_match_their_closed_forms() {
    // Numerators that grow fast and wildly enough to pass their denominator on some
    // paths: the share at or above 100 % in 2026 and the chance of ≥ 50 % on the other
    // paths, against the closed forms, over parameter sets from a fixed generator.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut uniform = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let (paths, t) = (20_000u64, 3.0f64);
    let mut worst_broken = 0.0f64;
    for set in 0..10 {
        let (g_n, v_n) = (0.15 + 0.35 * uniform(), 0.10 + 0.30 * uniform());
        let (g_d, v_d) = (0.08 * uniform(), 0.02 + 0.10 * uniform());
        let s = scenario(
            &format!(
                "growth_pct = {}\nvolatility_pct = {}",
                g_n * 100.0,
                v_n * 100.0
            ),
            &format!(
                "growth_pct = {}\nvolatility_pct = {}",
                g_d * 100.0,
                v_d * 100.0
            ),
        );
        let a = Assessor::new(&catalogue(), &s)
            .paths(paths)
            .seed(100 + set)
            .run()
            .unwrap();
        let e = a.target("nev_share").unwrap();
        let (over, coherent) = (e.p_share_over_100.unwrap(), e.p_reach_coherent.unwrap());
        let mean = 0.4f64.ln() + t * ((1.0 + g_n).ln() - (1.0 + g_d).ln());
        let sd = (t * (v_n * v_n + v_d * v_d)).sqrt();
        let (over_exact, coherent_exact) = share_closed_forms(mean, sd, 0.5);
        let over_se = (over_exact * (1.0 - over_exact) / paths as f64).sqrt();
        let below = paths as f64 * (1.0 - over_exact);
        let coherent_se = (coherent_exact * (1.0 - coherent_exact) / below).sqrt();
        assert!(
            (over - over_exact).abs() < 4.0 * over_se + 1e-9,
            "set {set}: P(share ≥ 100 %) {over} vs {over_exact} (se {over_se})"
        );
        assert!(
            (coherent - coherent_exact).abs() < 4.0 * coherent_se + 1e-9,
            "set {set}: P(≥ 50 % | < 100 %) {coherent} vs {coherent_exact} (se {coherent_se})"
        );
        // p_reach counts the paths above 100 % as met (a ≥ goal below 100 %).
        let n = paths as f64;
        let met_below = (e.p_reach - over) * n;
        assert!((coherent * (n - over * n) - met_below).abs() < 1e-6);
        // A broken closed form (the denominator's volatility left out) is caught.
        let (broken, _) = share_closed_forms(mean, (t * v_n * v_n).sqrt(), 0.5);
        worst_broken = worst_broken.max((over - broken).abs() / over_se.max(1e-12));
    }
    assert!(
        worst_broken > 4.0,
        "a closed form without the denominator's volatility passed: max |z| {worst_broken}"
    );
}

#[test]
fn the_shares_over_100_are_counted_on_every_path_and_named_in_the_terminal_summary() {
    // A numerator on a wide path (+40 %/yr, volatility 30 %): 0.4·1.4³ = 1.10 at the
    // median, so more than half the paths pass 100 %.
    let s = scenario(
        "growth_pct = 40\nvolatility_pct = 30",
        "growth_pct = 3\nvolatility_pct = 2",
    );
    let a = Assessor::new(&catalogue(), &s)
        .paths(5_000)
        .seed(3)
        .run()
        .unwrap();
    let e = a.target("nev_share").unwrap();
    assert!(e.p_share_over_100.unwrap() > 0.5);
    let text = goalcast::report::summary_text(&a);
    assert!(
        text.contains("nev_share: the share is at or above 100 % on"),
        "{text}"
    );
    // A goal that is not a share has neither figure.
    let level = Assessor::new(
        &Catalogue::from_reader(
            "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote,denominator\n\
             nev,nev_output,Hubei,新能源汽车,New-energy vehicles,万辆,level,>=,2023,40,60,2026,000,达到60万辆,\n"
                .as_bytes(),
            "inline.csv",
        )
        .unwrap(),
        &Scenario::from_toml_str(
            "[indicators.nev_output]\ngrowth_pct = 10\nvolatility_pct = 5\n",
            "inline.toml",
        )
        .unwrap(),
    )
    .paths(1_000)
    .run()
    .unwrap();
    let e = level.target("nev").unwrap();
    assert_eq!((e.p_share_over_100, e.p_reach_coherent), (None, None));
}

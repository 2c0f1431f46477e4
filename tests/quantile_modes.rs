//! Quantiles chosen by size (issue 16 part 5) and the accuracy streaming quantiles
//! promise: every reported quantile within a relative error of 1e-3 of the exact one, for
//! every process, on the same paths.

use goalcast::assess::preflight::choose_quantiles;
use goalcast::io::catalogue::Catalogue;
use goalcast::io::history::History;
use goalcast::process::{
    Ar1Growth, GrowthProcess, LogNormalGrowth, RareShockGrowth, StudentTGrowth, UncertainGrowth,
};
use goalcast::sim::{
    DEFAULT_PROBS, QuantileMode, RunSettings, Simulator, memory::AUTO_EXACT_MAX_BYTES,
};
use goalcast::stats::STREAMING_MAX_REL_ERROR;

/// Largest relative difference between streaming and exact quantiles of the same paths,
/// over every year and every probability of `probs`.
fn worst_relative_error<P: GrowthProcess>(process: &P, probs: &[f64]) -> f64 {
    let sim = |mode| {
        Simulator::new(process, 250.0, 12)
            .paths(200_000)
            .seed(5)
            .stream("accuracy")
            .quantiles(probs)
            .quantile_mode(mode)
            .run()
            .unwrap()
    };
    let (exact, streaming) = (sim(QuantileMode::Exact), sim(QuantileMode::Streaming));
    exact.quantiles[0]
        .iter()
        .zip(streaming.quantiles[0].iter())
        .map(|(e, s)| (s / e - 1.0).abs())
        .fold(0.0, f64::max)
}

#[test]
fn streaming_quantiles_are_within_1e_3_of_exact_at_every_reported_quantile() {
    let probs = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
    assert!(DEFAULT_PROBS.iter().all(|p| probs.contains(p)));
    let cases: Vec<(&str, f64)> = vec![
        (
            "lognormal, sigma 1 %",
            worst_relative_error(&LogNormalGrowth::new(0.05, 0.01).unwrap(), &probs),
        ),
        (
            "lognormal, sigma 8 %",
            worst_relative_error(&LogNormalGrowth::new(0.12, 0.08).unwrap(), &probs),
        ),
        // A wide spread: the pilot range needs more than the default 8192 bins.
        (
            "lognormal, sigma 60 %",
            worst_relative_error(&LogNormalGrowth::new(0.0, 0.6).unwrap(), &probs),
        ),
        (
            "ar1",
            worst_relative_error(&Ar1Growth::new(0.06, 0.1, 0.7).unwrap(), &probs),
        ),
        (
            "student_t, df 3",
            worst_relative_error(&StudentTGrowth::new(0.06, 0.1, 3.0).unwrap(), &probs),
        ),
        (
            "rare_shock",
            worst_relative_error(&RareShockGrowth::new(0.08, 0.05, 0.1, 0.3).unwrap(), &probs),
        ),
        (
            "uncertain",
            worst_relative_error(
                &UncertainGrowth::new(0.06, 0.03, 0.08, Some(8.0)).unwrap(),
                &probs,
            ),
        ),
    ];
    for (name, err) in cases {
        assert!(
            err <= STREAMING_MAX_REL_ERROR,
            "{name}: streaming quantiles off by {err:.2e}, more than {STREAMING_MAX_REL_ERROR}"
        );
    }
}

#[test]
fn auto_is_exact_up_to_64_mb_and_streaming_beyond() {
    let process = LogNormalGrowth::new(0.12, 0.08).unwrap();
    let sim = |paths| {
        Simulator::new(&process, 100.0, 10)
            .paths(paths)
            .quantile_mode(QuantileMode::Auto)
    };
    // 8 bytes × 10 years × paths: 800,000 paths are exactly 64 MB.
    assert_eq!(AUTO_EXACT_MAX_BYTES, 64_000_000);
    assert_eq!(sim(800_000).chosen_mode(), QuantileMode::Exact);
    assert_eq!(sim(800_001).chosen_mode(), QuantileMode::Streaming);
    assert_eq!(sim(10_000_000).chosen_mode(), QuantileMode::Streaming);
    // Kept paths need exact quantiles whatever the size.
    assert_eq!(
        sim(10_000_000).keep_paths(true).chosen_mode(),
        QuantileMode::Exact
    );
    // An explicit mode wins.
    let forced = sim(10_000_000).quantile_mode(QuantileMode::Exact);
    assert_eq!(forced.chosen_mode(), QuantileMode::Exact);
    // Auto's exact run is the exact run.
    let (a, e) = (
        sim(1000).run().unwrap(),
        sim(1000).quantile_mode(QuantileMode::Exact).run().unwrap(),
    );
    assert_eq!(a.quantiles, e.quantiles);
    assert_eq!(RunSettings::default().quantiles, QuantileMode::Auto);
}

#[test]
fn a_catalogue_run_chooses_from_all_its_paths() {
    let catalogue = Catalogue::from_path("data/catalogue/000_hubei_2024.csv")
        .unwrap()
        .with_history(&History::from_path("data/history.csv").unwrap())
        .unwrap();
    let settings = RunSettings::default();
    let chosen = |paths| choose_quantiles(&catalogue, settings, paths).quantiles;
    assert_eq!(chosen(100_000), QuantileMode::Exact);
    assert_eq!(chosen(10_000_000), QuantileMode::Streaming);
    // The settings' own path count does not decide: the paths given (a sharded or
    // extended run's total) do.
    let small = RunSettings {
        paths: 1000,
        ..settings
    };
    assert_eq!(
        choose_quantiles(&catalogue, small, 10_000_000).quantiles,
        QuantileMode::Streaming
    );
    let explicit = RunSettings {
        quantiles: QuantileMode::Exact,
        ..settings
    };
    assert_eq!(
        choose_quantiles(&catalogue, explicit, 10_000_000).quantiles,
        QuantileMode::Exact
    );
}

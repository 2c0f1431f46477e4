//! Properties that must hold on any parameters, with common random numbers (the same
//! seed, so the same shocks): the probability never falls when central growth rises or
//! when the target falls, and quantiles are ordered.

use goalcast::process::LogNormalGrowth;
use goalcast::sim::{Check, CheckThreshold, Measure, Simulator};
use goalcast::target::Comparator;
use proptest::prelude::*;

fn p_reach(growth: f64, sigma: f64, target: f64, years: usize, seed: u64) -> (u64, Vec<f64>) {
    let p = LogNormalGrowth::new(growth, sigma).unwrap();
    let out = Simulator::new(&p, 100.0, years)
        .paths(2_000)
        .seed(seed)
        .stream("property")
        .check(Check {
            measure: Measure::Level(0),
            comparator: Comparator::AtLeast,
            threshold: CheckThreshold::Level(target),
            from_step: 1,
            deadline_step: years,
        })
        .run()
        .unwrap();
    let q = out.quantiles[0].row(years).to_vec();
    (out.checks[0].at_deadline, q)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn more_growth_never_lowers_the_probability(
        growth in -0.1f64..0.3, extra in 0.0f64..0.1, sigma in 0.0f64..0.4,
        target in 50.0f64..400.0, years in 1usize..15, seed in any::<u64>(),
    ) {
        let (low, _) = p_reach(growth, sigma, target, years, seed);
        let (high, _) = p_reach(growth + extra, sigma, target, years, seed);
        prop_assert!(high >= low, "growth {growth} → {}: hits {low} → {high}", growth + extra);
    }

    #[test]
    fn a_lower_target_never_lowers_the_probability(
        growth in -0.1f64..0.3, sigma in 0.0f64..0.4, target in 50.0f64..400.0,
        cut in 0.0f64..0.5, years in 1usize..15, seed in any::<u64>(),
    ) {
        let (hard, _) = p_reach(growth, sigma, target, years, seed);
        let (easy, _) = p_reach(growth, sigma, target * (1.0 - cut), years, seed);
        prop_assert!(easy >= hard);
    }

    #[test]
    fn quantiles_are_ordered(
        growth in -0.1f64..0.3, sigma in 0.0f64..0.4, years in 1usize..15, seed in any::<u64>(),
    ) {
        let (_, q) = p_reach(growth, sigma, 100.0, years, seed);
        prop_assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    }
}

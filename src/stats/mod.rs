//! Summary statistics of simulated paths.

mod histogram;

pub use histogram::{LogBins, STREAMING_MAX_REL_ERROR};

/// Quantiles by NumPy's default definition (Hyndman–Fan type 7): for sorted values
/// `x[0..n]` and probability p, with `h = (n−1)p`, the quantile is
/// `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
///
/// `values` is reordered in place. Returns one quantile per probability.
///
/// ```
/// let mut x = vec![4.0, 1.0, 3.0, 2.0];
/// // numpy.quantile([1, 2, 3, 4], [0.1, 0.5]) == [1.3, 2.5]
/// let q = goalcast::stats::quantiles_type7(&mut x, &[0.1, 0.5]);
/// assert!((q[0] - 1.3).abs() < 1e-12 && (q[1] - 2.5).abs() < 1e-12);
/// ```
///
/// # Panics
/// If `values` is empty or a probability lies outside [0, 1]: callers hold at least one
/// path and fixed probabilities.
pub fn quantiles_type7(values: &mut [f64], probs: &[f64]) -> Vec<f64> {
    quantiles_type7_by(values, probs, |x| x)
}

/// Type-7 quantiles of `level(x)` for a monotone increasing `level`, selecting order
/// statistics on `x` and interpolating on levels: with `x` = log-levels and
/// `level = exp`, this is NumPy's `quantile` of the levels, without exponentiating
/// every value. Uses selection (O(n) per probability), not a full sort; `values` is
/// reordered in place.
///
/// # Panics
/// As [`quantiles_type7`].
pub fn quantiles_type7_by(
    values: &mut [f64],
    probs: &[f64],
    level: impl Fn(f64) -> f64,
) -> Vec<f64> {
    assert!(!values.is_empty(), "quantiles of an empty sample");
    let n = values.len();
    let mut order: Vec<usize> = (0..probs.len()).collect();
    order.sort_by(|&a, &b| probs[a].total_cmp(&probs[b]));
    let mut out = vec![0.0; probs.len()];
    // Ranks in increasing order: each selection only searches what lies above the
    // previous one.
    let mut done = 0;
    for i in order {
        let p = probs[i];
        assert!((0.0..=1.0).contains(&p), "probability {p} outside [0, 1]");
        let h = (n - 1) as f64 * p;
        let lo = h.floor() as usize;
        let (_, &mut x_lo, above) =
            values[done..].select_nth_unstable_by(lo - done, f64::total_cmp);
        let x_hi = above.iter().copied().min_by(f64::total_cmp).unwrap_or(x_lo);
        let (a, b) = (level(x_lo), level(x_hi));
        out[i] = a + (h - lo as f64) * (b - a);
        done = lo;
    }
    out
}

/// Monte Carlo standard error of a proportion estimated from `n` paths: `√(p(1−p)/n)`.
pub fn proportion_se(p: f64, n: u64) -> f64 {
    (p * (1.0 - p) / n as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_numpy_default() {
        // numpy.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95]) with NumPy 2 (method="linear")
        let mut x = vec![3.2, -1.0, 7.5, 0.25, 9.0, 4.4, 4.4, 12.0, -3.5, 6.1, 2.0];
        let q = quantiles_type7(&mut x, &[0.05, 0.25, 0.5, 0.75, 0.95]);
        let numpy = [-2.25, 1.125, 4.4, 6.8, 10.5];
        for (a, b) in q.iter().zip(numpy) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
    }

    #[test]
    fn type7_extremes_and_single_value() {
        let mut x = vec![5.0, 1.0, 3.0];
        assert_eq!(quantiles_type7(&mut x, &[0.0, 1.0]), vec![1.0, 5.0]);
        assert_eq!(quantiles_type7(&mut [2.5], &[0.05, 0.95]), vec![2.5, 2.5]);
    }

    #[test]
    fn proportion_se_is_binomial() {
        assert!((proportion_se(0.5, 100) - 0.05).abs() < 1e-15);
        assert_eq!(proportion_se(1.0, 10), 0.0);
    }
}

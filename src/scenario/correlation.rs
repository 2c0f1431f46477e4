//! The `[correlation]` table: checked once into a matrix, and the Cholesky factor of the
//! shocks of any set of indicators.

use ndarray::Array2;

use super::Scenario;
use crate::error::Result;
use crate::indicator::IndicatorKey;

/// A checked correlation matrix.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Correlation {
    pub(super) names: Vec<String>,
    pub(super) matrix: Array2<f64>,
}

impl Scenario {
    /// The lower-triangular Cholesky factor L (`L·Lᵀ = C`) of the correlation matrix C of
    /// the yearly shocks of `keys`, in that order, ready for
    /// [`Simulator::cholesky`](crate::sim::Simulator::cholesky); `None` when no two of
    /// them are correlated (C is the identity).
    ///
    /// A key takes the row of its `"Jurisdiction/id"` name, else of its bare `id`. Two
    /// keys are correlated by the matrix entry of their rows, except that a bare-id row
    /// applies only within one jurisdiction (keys of different jurisdictions matched
    /// through a bare id are uncorrelated). Keys without a row are uncorrelated with
    /// everything. Zero pivots of a semi-definite matrix (perfect correlation) give a
    /// zero column. A sub-matrix built this way across jurisdictions can fail to be
    /// positive semi-definite; that is an error naming the keys.
    ///
    /// ```
    /// use goalcast::{Scenario, indicator::IndicatorKey};
    /// let s = Scenario::from_toml_str(
    ///     "[indicators.gdp]\ngrowth_pct = 6\nvolatility_pct = 2\n\
    ///      [indicators.rd]\ngrowth_pct = 12\nvolatility_pct = 4\n\
    ///      [correlation]\nindicators = [\"gdp\", \"rd\"]\nmatrix = [[1.0, 0.6], [0.6, 1.0]]\n",
    ///     "inline.toml",
    /// )?;
    /// let key = |id: &str| IndicatorKey { jurisdiction: "Hubei".into(), id: id.into() };
    /// let l = s.cholesky_for(&[key("gdp"), key("rd")])?.unwrap();
    /// assert!((l[[1, 0]] - 0.6).abs() < 1e-12 && (l[[1, 1]] - 0.8).abs() < 1e-12);
    /// assert!(s.cholesky_for(&[key("gdp")])?.is_none());
    /// # Ok::<(), goalcast::Error>(())
    /// ```
    pub fn cholesky_for(&self, keys: &[IndicatorKey]) -> Result<Option<Array2<f64>>> {
        let Some(c) = &self.correlation else {
            return Ok(None);
        };
        // (row, matched through a bare id)
        let rows: Vec<Option<(usize, bool)>> = keys
            .iter()
            .map(|k| {
                let full = k.to_string();
                c.names
                    .iter()
                    .position(|n| *n == full)
                    .map(|r| (r, false))
                    .or_else(|| c.names.iter().position(|n| *n == k.id).map(|r| (r, true)))
            })
            .collect();
        let n = keys.len();
        let mut sub = Array2::<f64>::eye(n);
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                if let (Some((ri, bi)), Some((rj, bj))) = (rows[i], rows[j]) {
                    let same_place = keys[i].jurisdiction == keys[j].jurisdiction;
                    if ri != rj && (same_place || !(bi || bj)) {
                        sub[[i, j]] = c.matrix[[ri, rj]];
                    }
                }
            }
        }
        if sub == Array2::<f64>::eye(n) {
            return Ok(None);
        }
        cholesky_psd(&sub).map(Some).map_err(|at| {
            self.error(
                "correlation.matrix",
                format!(
                    "the correlations it implies among {} are not positive semi-definite \
                     (the factorisation fails at {}): name these series with \
                     \"Jurisdiction/id\" to state their correlations across jurisdictions",
                    keys.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    keys[at]
                ),
            )
        })
    }

    /// Checks `[correlation]` into a matrix.
    pub(super) fn check_correlation(&self) -> Result<Option<Correlation>> {
        let Some(c) = &self.file.correlation else {
            return Ok(None);
        };
        let names = &c.indicators;
        let n = names.len();
        let key_names = "correlation.indicators";
        let key = "correlation.matrix";
        if n == 0 {
            return Err(self.error(key_names, "name at least one indicator"));
        }
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(self.error(key_names, format!("`{name}` is named twice")));
            }
            let known = self.file.indicators.contains_key(name)
                || self
                    .file
                    .scenarios
                    .values()
                    .any(|v| v.indicators.contains_key(name));
            if !known {
                return Err(self.error(
                    key_names,
                    format!(
                        "unknown indicator `{name}`: the scenario has no [indicators.{name}] \
                         table (correlate only indicators it gives assumptions for)"
                    ),
                ));
            }
        }
        if c.matrix.len() != n || c.matrix.iter().any(|row| row.len() != n) {
            let shape = c
                .matrix
                .iter()
                .map(|r| r.len().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(self.error(
                key,
                format!(
                    "the matrix must be square, {n}×{n} for the {n} indicators named; it has {} rows of lengths [{shape}]",
                    c.matrix.len()
                ),
            ));
        }
        let m = Array2::from_shape_fn((n, n), |(i, j)| c.matrix[i][j]);
        for i in 0..n {
            for j in 0..n {
                let v = m[[i, j]];
                if !(v.is_finite() && (-1.0..=1.0).contains(&v)) {
                    return Err(self.error(
                        key,
                        format!(
                            "entry ({}, {}) = {v} is not a correlation: it must lie in [-1, 1]",
                            names[i], names[j]
                        ),
                    ));
                }
            }
            if (m[[i, i]] - 1.0).abs() > 1e-12 {
                return Err(self.error(
                    key,
                    format!(
                        "the diagonal must be 1 (a series is perfectly correlated with itself); ({0}, {0}) is {1}",
                        names[i],
                        m[[i, i]]
                    ),
                ));
            }
            for j in 0..i {
                if (m[[i, j]] - m[[j, i]]).abs() > 1e-12 {
                    return Err(self.error(
                        key,
                        format!(
                            "the matrix is not symmetric: ({a}, {b}) = {} but ({b}, {a}) = {}",
                            m[[i, j]],
                            m[[j, i]],
                            a = names[i],
                            b = names[j]
                        ),
                    ));
                }
            }
        }
        if let Err(at) = cholesky_psd(&m) {
            return Err(self.error(
                key,
                format!(
                    "the matrix is not positive semi-definite, so no set of series can have \
                     these correlations: the Cholesky factorisation fails at `{}`, so its \
                     correlations with the series listed before it are inconsistent",
                    names[at]
                ),
            ));
        }
        Ok(Some(Correlation {
            names: names.clone(),
            matrix: m,
        }))
    }
}

/// Lower Cholesky factor of a symmetric positive semi-definite matrix, `L·Lᵀ = A`.
///
/// A pivot within rounding of zero (a perfectly correlated series) gives a zero column,
/// after checking that the rest of that column is zero as well (as it must be in a
/// semi-definite matrix); a negative pivot, or a non-zero column under a zero pivot,
/// means A is not positive semi-definite: `Err(index)` of the failing row.
fn cholesky_psd(a: &Array2<f64>) -> std::result::Result<Array2<f64>, usize> {
    const ZERO_PIVOT: f64 = 1e-12;
    const NEGATIVE: f64 = -1e-10;
    // Under a pivot d ≤ 1e-12 a semi-definite matrix has |residual| ≤ √d ≤ 1e-6.
    const RESIDUAL: f64 = 2e-6;
    let n = a.nrows();
    let mut l = Array2::<f64>::zeros((n, n));
    for j in 0..n {
        let d = a[[j, j]] - (0..j).map(|k| l[[j, k]] * l[[j, k]]).sum::<f64>();
        if d < NEGATIVE {
            return Err(j);
        }
        let pivot = if d > ZERO_PIVOT { d.sqrt() } else { 0.0 };
        l[[j, j]] = pivot;
        for i in j + 1..n {
            let r = a[[i, j]] - (0..j).map(|k| l[[i, k]] * l[[j, k]]).sum::<f64>();
            if pivot > 0.0 {
                l[[i, j]] = r / pivot;
            } else if r.abs() > RESIDUAL {
                return Err(j);
            }
        }
    }
    Ok(l)
}

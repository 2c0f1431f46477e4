//! Units and comparisons shared by every layer above: which side of a threshold reaches
//! a goal, the tolerance of that comparison, the scale an indicator moves on, and how a
//! figure's digits are grouped for reading.
//!
//! This module sits at the bottom of the crate, beside [`crate::error`]: the closed forms
//! ([`crate::analytic`]), the growth processes ([`crate::process`]) and the engine all
//! read these types, and none of them is imported from here.

use std::fmt;
use std::str::FromStr;

/// Tolerance of threshold comparisons in log space (a relative 1e-9 of the level).
pub const LOG_TOLERANCE: f64 = 1e-9;

/// Which side of the threshold reaches the goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// `>=`: at least the threshold (以上, 突破, 超过).
    AtLeast,
    /// `<=`: at most the threshold (以内, 下降).
    AtMost,
}

impl Comparator {
    /// `>=` or `<=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
        }
    }

    /// `≥` or `≤`, as charts write it.
    pub fn sign(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
        }
    }

    /// Whether the log-level `log_value` meets the log-threshold `log_threshold`.
    ///
    /// A path exactly on the threshold reaches it; so that rounding cannot flip a
    /// deterministic path that lands on it, the comparison allows [`LOG_TOLERANCE`]
    /// in the goal's favour.
    #[inline]
    pub fn holds(self, log_value: f64, log_threshold: f64) -> bool {
        match self {
            Comparator::AtLeast => log_value >= log_threshold - LOG_TOLERANCE,
            Comparator::AtMost => log_value <= log_threshold + LOG_TOLERANCE,
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Comparator {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            ">=" => Ok(Comparator::AtLeast),
            "<=" => Ok(Comparator::AtMost),
            _ => Err("unknown comparator; expected `>=` or `<=`".into()),
        }
    }
}

/// How a process's simulated state maps to the indicator's level.
///
/// Most indicators live on the log scale (state = ln level, so levels stay positive).
/// A bounded indicator — a share that cannot pass 100 % — lives on the logit scale
/// (state = ln(level / (upper − level))), so its level stays strictly between 0 and
/// `upper` whatever the shocks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// `state = ln(level)`.
    Log,
    /// `state = ln(level / (upper − level))`.
    Logit {
        /// The bound the level cannot reach (e.g. 100 for a percentage).
        upper: f64,
    },
}

impl Scale {
    /// The state of a level (`None` when the level is outside the scale's range).
    pub fn to_state(self, level: f64) -> Option<f64> {
        match self {
            Scale::Log if level > 0.0 => Some(level.ln()),
            Scale::Logit { upper } if level > 0.0 && level < upper => {
                Some((level / (upper - level)).ln())
            }
            _ => None,
        }
    }

    /// The level of a state.
    #[inline]
    pub fn to_level(self, state: f64) -> f64 {
        match self {
            Scale::Log => state.exp(),
            Scale::Logit { upper } => upper / (1.0 + (-state).exp()),
        }
    }
}

/// A number as charts and goal descriptions write it: from 1,000 up rounded to a whole
/// number with its thousands separated by commas, below as Rust writes it (shortest
/// form that reads back exactly).
///
/// ```
/// use goalcast::units::group_thousands;
/// assert_eq!(group_thousands(18000.0), "18,000");
/// assert_eq!(group_thousands(-1234567.8), "-1,234,568");
/// assert_eq!(group_thousands(999.5), "999.5");
/// assert_eq!(group_thousands(14.0), "14");
/// ```
pub fn group_thousands(value: f64) -> String {
    if !(value.is_finite() && value.abs() >= 1000.0) {
        return value.to_string();
    }
    let digits = format!("{:.0}", value.abs());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if value < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

//! Numbers and goals in words: the formatting every rule's explanation shares.

use crate::target::{Target, TargetKind};

use super::EXACT;

/// The position of a kind in [`TargetKind::ALL`].
pub(super) fn kind_rank(kind: TargetKind) -> usize {
    TargetKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

/// Whether goals in `unit` add up across jurisdictions (amounts and counts, not rates,
/// ratios per head, ranks or classes).
pub(super) fn is_additive_unit(unit: &str) -> bool {
    !(unit.is_empty()
        || unit == "%"
        || unit.contains('/')
        || matches!(unit, "rank" | "class" | "ratio" | "tier" | "status"))
}

/// The constant yearly growth that multiplies a level by `factor` over `years`.
pub(super) fn annual(factor: f64, years: i32) -> f64 {
    if years == 0 {
        return f64::NAN;
    }
    factor.powf(1.0 / f64::from(years)) - 1.0
}

/// "growth of 14 % a year from 2023", "a doubling from 2020" …
pub(super) fn describe_rate(t: &Target) -> String {
    let from = t
        .base_year
        .map(|b| format!(" from {b}"))
        .unwrap_or_default();
    describe_rate_from(t, &from)
}

/// "growth of 14 % a year", "a doubling" …, without the base year.
pub(super) fn describe_rate_bare(t: &Target) -> String {
    describe_rate_from(t, "")
}

fn describe_rate_from(t: &Target, from: &str) -> String {
    match (t.kind, t.value) {
        (_, None) => format!("an unreadable `{}` goal{from}", t.kind),
        (TargetKind::Growth, Some(v)) => format!("growth of {} a year{from}", pct_text(v / 100.0)),
        (TargetKind::Increase, Some(v)) if (v - 100.0).abs() < EXACT => format!("a doubling{from}"),
        (TargetKind::Increase, Some(v)) => format!("an increase of {}{from}", pct_text(v / 100.0)),
        (TargetKind::Decline, Some(v)) => format!("a decline of {}{from}", pct_text(v / 100.0)),
        (kind, Some(v)) => format!("a `{kind}` goal of {}{from}", num(v)),
    }
}

/// The name of a rate goal's figure.
pub(super) fn rate_label(t: &Target) -> String {
    let period = match t.base_year {
        Some(b) => format!(" {b}-{}", t.deadline),
        None => String::new(),
    };
    match t.kind {
        TargetKind::Growth => format!("growth goal{period}"),
        TargetKind::Increase => format!("increase goal{period}"),
        TargetKind::Decline => format!("decline goal{period}"),
        kind => format!("{kind} goal{period}"),
    }
}

/// `%/yr` for yearly growth, `%` for totals.
pub(super) fn rate_unit(t: &Target) -> &'static str {
    if t.kind == TargetKind::Growth {
        "%/yr"
    } else {
        "%"
    }
}

/// The unit of a target's figure in a comparison: `%/yr` for growth, else `unit`.
pub(super) fn value_figure_unit(t: &Target, unit: &str) -> String {
    if t.kind == TargetKind::Growth {
        "%/yr".into()
    } else {
        unit.to_string()
    }
}

/// The period a goal covers: `2023-2028` for a rate from a base year, else the deadline.
pub(super) fn period(t: &Target) -> String {
    match t.base_year.filter(|_| t.kind.is_relative()) {
        Some(b) => format!("{b}-{}", t.deadline),
        None => t.deadline.to_string(),
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A number for reading: integers as integers, otherwise two decimals from 1 up and
/// four significant digits below; trailing zeros dropped.
pub(super) fn num(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if (x - x.round()).abs() < 1e-9 * x.abs().max(1.0) {
        return format!("{}", x.round() as i64);
    }
    let a = x.abs();
    let s = if a >= 1.0 {
        format!("{x:.2}")
    } else {
        let digits = (3 - a.log10().floor() as i32).clamp(0, 12) as usize;
        format!("{x:.digits$}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A fraction as a percentage for text: `0.1487` → `14.87 %`.
pub(super) fn pct_text(fraction: f64) -> String {
    format!("{} %", num(fraction * 100.0))
}

/// A number followed by its unit (none when the unit is empty).
pub(super) fn with_unit(x: f64, unit: &str) -> String {
    if unit.is_empty() {
        num(x)
    } else {
        format!("{} {unit}", num(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(num(72_000.0), "72000");
        assert_eq!(num(11_176.614), "11176.61");
        assert_eq!(num(1686.97), "1686.97");
        assert_eq!(num(14.8698), "14.87");
        assert_eq!(num(5.0), "5");
        assert_eq!(num(0.012345), "0.01235");
        assert_eq!(num(-0.0), "0");
    }
}

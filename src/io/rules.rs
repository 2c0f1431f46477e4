//! Rules every input value obeys, shared by the readers: identifiers, plausible figures,
//! the nearest known name for a typo.
//!
//! **Identifiers** (target `id`, `indicator`, `jurisdiction`, `denominator`, `parent`)
//! are 1 to 64 characters from `A–Z a–z 0–9 _ -`, starting with a letter or a digit.
//! Output file names are built from them (`fan_<jurisdiction>_<indicator>`,
//! `tornado_<id>`), so a name can never leave the output folder, and the catalogue also
//! refuses two ids, or two indicators, whose file names would be the same once lower-cased.
//!
//! **Figures** (bases, target values, history values) are finite and at most
//! [`PLAUSIBLE_MAX`] in size: a larger figure is a typo or a unit error, and simulating
//! it would overflow to infinity.

/// The largest magnitude a figure in an input file may have (a thousand trillion).
pub const PLAUSIBLE_MAX: f64 = 1e15;

/// The longest identifier.
pub const MAX_IDENTIFIER_LEN: usize = 64;

/// `Ok` for an identifier; else the rule it breaks, in words.
///
/// ```
/// use goalcast::io::rules::check_identifier;
/// assert!(check_identifier("rd_expenditure").is_ok());
/// assert!(check_identifier("X/../../escaped").unwrap_err().contains("`/`"));
/// ```
pub fn check_identifier(text: &str) -> Result<(), String> {
    let rule = "an identifier is 1 to 64 characters from A-Z a-z 0-9 _ -, starting with a \
                letter or a digit";
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(format!(
            "character {:?} (`{}`) is not allowed: {rule}",
            c,
            c.escape_default()
        ));
    }
    if text.len() > MAX_IDENTIFIER_LEN {
        return Err(format!("{} characters is too long: {rule}", text.len()));
    }
    if !text.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(rule.to_string());
    }
    Ok(())
}

/// `Ok` for a figure that is finite and at most [`PLAUSIBLE_MAX`] in size.
pub fn check_plausible(value: f64) -> Result<(), String> {
    if !value.is_finite() {
        Err("not a finite number".to_string())
    } else if value.abs() <= PLAUSIBLE_MAX {
        Ok(())
    } else {
        Err(format!(
            "not a plausible figure: it must be finite and at most {PLAUSIBLE_MAX:e} in size \
             (a typo or a unit error?)"
        ))
    }
}

/// Levenshtein distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word` (fewest edits; the first of equals), if any.
///
/// ```
/// let ids = ["gdp", "population", "rd_expenditure"];
/// assert_eq!(goalcast::io::rules::nearest("gpd", ids), Some("gdp"));
/// ```
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates.into_iter().min_by_key(|c| distance(word, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_refuse_separators_dots_and_control_characters() {
        for bad in ["a/b", "..", ".hidden", "a b", "a\0b", "a\\b", "", "_x", "é"] {
            assert!(check_identifier(bad).is_err(), "{bad:?}");
        }
        assert!(check_identifier(&"a".repeat(65)).is_err());
        for good in ["Hubei", "000_rd", "gdp-real", "x"] {
            assert!(check_identifier(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn plausible_figures_are_finite_and_bounded() {
        assert!(check_plausible(1e308).is_err());
        assert!(check_plausible(f64::NAN).is_err());
        assert!(check_plausible(-5.5).is_ok());
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}

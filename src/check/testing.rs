//! Inputs the rules' unit tests share: a catalogue and a history from inline rows, and
//! a finding's figures by name.

use crate::io::catalogue::Catalogue;
use crate::io::history::History;

use super::Finding;

const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote,denominator,uncertain,note,parent\n";

/// A catalogue of `rows` (the columns of [`HEADER`]).
pub(crate) fn catalogue(rows: &str) -> Catalogue {
    Catalogue::from_reader(format!("{HEADER}{rows}").as_bytes(), "test.csv")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A history of `rows` (`indicator,jurisdiction,year,value,unit,bound`).
pub(crate) fn history(rows: &str) -> History {
    History::from_reader(
        format!("indicator,jurisdiction,year,value,unit,bound\n{rows}").as_bytes(),
        "h.csv",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The value of the first figure whose name starts with `prefix`.
pub(crate) fn figure(f: &Finding, prefix: &str) -> f64 {
    f.figures
        .iter()
        .find(|g| g.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no figure {prefix} in {f:?}"))
        .value
}

/// Equal to 1e-9 relative (absolute below 1).
pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

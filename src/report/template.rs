//! The baseline template of `goalcast check --template FILE`: the history rows an
//! analyst fills in (the `value`, its `source` and `quote`) so that goals waiting for a
//! base become answers when the file is passed with `--history`.

use serde::Serialize;

use crate::check::BaselineNeed;
use crate::error::Result;
use crate::io::csv_write::csv_of;

/// A row of the template: the columns of `history.csv` (see `data/README.md`), `value`,
/// `source` and `quote` empty to fill; `note` says which goals wait for it and why.
#[derive(Debug, Clone, Default, Serialize)]
#[allow(missing_docs)] // the history format's columns, documented in data/README.md
pub struct TemplateRow {
    pub indicator: String,
    pub jurisdiction: String,
    pub year: String,
    pub value: String,
    pub unit: String,
    pub bound: String,
    pub source: String,
    pub quote: String,
    pub note: String,
    pub reliability: String,
}

/// The template's CSV bytes: one row per needed value ([`crate::check::baseline_needs`]).
pub fn template_csv(needs: &[BaselineNeed]) -> Result<Vec<u8>> {
    csv_of(needs.iter().map(|n| TemplateRow {
        indicator: n.indicator.id.clone(),
        jurisdiction: n.indicator.jurisdiction.clone(),
        year: n.year.to_string(),
        unit: n.unit.clone(),
        note: format!("needed: {}", n.what.join("; ")),
        ..Default::default()
    }))
}

//! The `statcan_*`, `eurostat_5y_*`, `eurostat_15y_*` and `official_note` columns of
//! `summary.csv`: the published progress assessments ([`crate::official`]) of each
//! target, from the catalogue's known values.

use crate::assess::Assessment;
use crate::indicator::IndicatorKey;
use crate::io::csv_write::{opt, pct};
use crate::official::{self, Eurostat, Official, Unassessed};
use crate::target::Target;

use super::tables::SummaryRow;

/// The published assessments of target `t` of an assessment, from the catalogue's
/// indicator (and, for a share, its denominator).
pub(crate) fn official_of(a: &Assessment, t: &Target) -> Official {
    let Some(indicator) = a.catalogue_indicator(&t.indicator) else {
        return Official::unassessed(Unassessed::NoHistory);
    };
    let denominator = t.denominator.as_ref().and_then(|d| {
        a.catalogue_indicator(&IndicatorKey::new(
            t.indicator.jurisdiction.clone(),
            d.clone(),
        ))
    });
    official::assess(t, indicator, denominator)
}

/// The four cells of one Eurostat window: start year, growths, ratio, status.
fn eurostat_cells(e: &Result<Eurostat, Unassessed>) -> [String; 5] {
    match e {
        Ok(e) => [
            e.start_year.to_string(),
            pct(e.observed_growth),
            e.required_growth.map(pct).unwrap_or_default(),
            opt(e.ratio),
            e.status.as_str().into(),
        ],
        Err(_) => Default::default(),
    }
}

impl SummaryRow {
    /// Fills the official columns of target `t`.
    pub(crate) fn fill_official(&mut self, a: &Assessment, t: &Target) {
        let o = official_of(a, t);
        if let Ok(s) = &o.statcan {
            self.statcan_base_year = s.base_year.to_string();
            self.statcan_base_value = s.base_value.to_string();
            self.statcan_latest_year = s.latest_year.to_string();
            self.statcan_latest_value = s.latest_value.to_string();
            self.statcan_target_value = opt(s.target);
            self.statcan_target_year = s.target_year.to_string();
            self.statcan_observed_growth_pct = pct(s.observed_growth);
            self.statcan_required_growth_pct = s.required_growth.map(pct).unwrap_or_default();
            self.statcan_coefficient = opt(s.coefficient);
            self.statcan_ratio = opt(s.target.and(s.progress_value));
            self.statcan_status = s.status.as_str().into();
            self.statcan_score = s.score.to_string();
        }
        [
            self.eurostat_5y_start_year,
            self.eurostat_5y_observed_growth_pct,
            self.eurostat_5y_required_growth_pct,
            self.eurostat_5y_ratio,
            self.eurostat_5y_status,
        ] = eurostat_cells(&o.eurostat_short);
        [
            self.eurostat_15y_start_year,
            self.eurostat_15y_observed_growth_pct,
            self.eurostat_15y_required_growth_pct,
            self.eurostat_15y_ratio,
            self.eurostat_15y_status,
        ] = eurostat_cells(&o.eurostat_long);
        self.official_note = o.note();
    }
}

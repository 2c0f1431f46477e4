//! `results.xlsx`: the run's tables as one workbook for Excel and WPS.
//!
//! Sheets `summary`, `quantiles`, `first_reached`, `scenarios`, `sensitivity` and
//! `check`, each the CSV of the same name cell for cell: figures as numbers (typed by
//! column, [`super::cells`]) with a display format (probabilities `0.0000`, percentages
//! `0.00`, years `0`, levels with thousands separators), text as text (Chinese intact,
//! since the file is XML in UTF-8). The header row is bold and frozen. The document's
//! creation date is fixed (2000-01-01), so the same run writes the same bytes.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::cells::{Cell, Numeric, Table, numeric};
use super::tables;
use crate::assess::Assessment;
use crate::check::CheckReport;
use crate::error::{Error, Result};
use crate::io::write_atomic;

/// The sheets of `results.xlsx`, in order, each with the CSV bytes it holds: the base
/// run's summary, quantiles, first-reached and sensitivity tables, every scenario of
/// `runs` (the first is the base), and the consistency check.
pub fn sheets(
    runs: &[(String, Assessment)],
    check: &CheckReport,
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let Some((_, base)) = runs.first() else {
        return Ok(Vec::new());
    };
    Ok(vec![
        ("summary", tables::summary_csv(base)?),
        ("quantiles", tables::quantiles_csv(base)?),
        ("first_reached", tables::first_reached_csv(base)?),
        ("scenarios", tables::scenarios_csv(runs)?),
        (
            "sensitivity",
            tables::sensitivity_csv(&tables::sensitivities(base))?,
        ),
        ("check", tables::check_csv(check)?),
    ])
}

/// The bytes of `results.xlsx` of the given sheets (name, CSV bytes).
pub fn workbook_bytes(sheets: &[(&str, Vec<u8>)]) -> Result<Vec<u8>> {
    let fail = |e: XlsxError| Error::io("results.xlsx", std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(fail)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title("goalcast results"),
    );
    let header = Format::new().set_bold();
    let format_of = |kind: Numeric| {
        Format::new().set_num_format(match kind {
            Numeric::Whole => "0",
            Numeric::Probability => "0.0000",
            Numeric::Percent => "0.00",
            Numeric::Level => "#,##0.######",
        })
    };
    for (name, csv) in sheets {
        let table = Table::from_csv(csv)?;
        let sheet = book.add_worksheet();
        sheet.set_name(*name).map_err(fail)?;
        for (c, column) in table.columns.iter().enumerate() {
            let col =
                u16::try_from(c).map_err(|e| fail(XlsxError::ParameterError(e.to_string())))?;
            sheet
                .write_string_with_format(0, col, column, &header)
                .map_err(fail)?;
            let format = numeric(column).map(format_of);
            for (r, row) in table.rows.iter().enumerate() {
                let row_no = u32::try_from(r + 1)
                    .map_err(|e| fail(XlsxError::ParameterError(e.to_string())))?;
                match (&row[c], &format) {
                    (Cell::Empty, _) => {}
                    (Cell::Number(x), Some(f)) => {
                        sheet
                            .write_number_with_format(row_no, col, *x, f)
                            .map_err(fail)?;
                    }
                    (Cell::Number(x), None) => {
                        sheet.write_number(row_no, col, *x).map_err(fail)?;
                    }
                    (Cell::Text(t), _) => {
                        sheet.write_string(row_no, col, t).map_err(fail)?;
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        sheet.set_autofit_max_width(400).autofit();
    }
    book.save_to_buffer().map_err(fail)
}

/// Writes `results.xlsx` into `dir` ([`sheets`], [`workbook_bytes`]).
pub fn write_workbook(
    runs: &[(String, Assessment)],
    check: &CheckReport,
    dir: &Path,
) -> Result<PathBuf> {
    let path = dir.join("results.xlsx");
    write_atomic(&path, &workbook_bytes(&sheets(runs, check)?)?)?;
    Ok(path)
}

//! The backtest's two charts: a PIT histogram per method and a reliability diagram of
//! goal-like events (forecast probability against observed frequency).

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::FAMILY;
use super::{Drawing, PALETTE, write_png_svg};
use crate::error::Result;

/// One method's PIT histogram: counts per equal bin of (0, 1).
#[derive(Debug, Clone, PartialEq)]
pub struct PitPanel {
    /// Method name.
    pub method: String,
    /// Counts per bin.
    pub counts: Vec<usize>,
}

/// PIT histograms side by side.
#[derive(Debug, Clone, Copy)]
pub struct PitHistogram<'a> {
    /// One panel per probabilistic method.
    pub panels: &'a [PitPanel],
}

/// One method's reliability points: (mean forecast probability, observed frequency,
/// events).
#[derive(Debug, Clone, PartialEq)]
pub struct ReliabilityCurve {
    /// Method name.
    pub method: String,
    /// Points, one per non-empty probability bin.
    pub points: Vec<(f64, f64, usize)>,
}

/// The reliability diagram.
#[derive(Debug, Clone, Copy)]
pub struct Reliability<'a> {
    /// One curve per method.
    pub curves: &'a [ReliabilityCurve],
}

const PANEL_W: u32 = 420;
const PANEL_H: u32 = 380;

/// Writes `<stem>.png` and `<stem>.svg`: the PIT histograms.
pub fn write_pit_histogram(c: &PitHistogram<'_>, dir: &Path, stem: &str) -> Result<[PathBuf; 2]> {
    write_png_svg(c, dir, stem)
}

/// Writes `<stem>.png` and `<stem>.svg`: the reliability diagram.
pub fn write_reliability(c: &Reliability<'_>, dir: &Path, stem: &str) -> Result<[PathBuf; 2]> {
    write_png_svg(c, dir, stem)
}

impl Drawing for PitHistogram<'_> {
    fn size(&self) -> (u32, u32) {
        (PANEL_W * self.panels.len().max(1) as u32, PANEL_H + 60)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> super::DrawResult {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let (title, body) = root.split_vertically(60);
        title
            .titled(
                "PIT 直方图 · PIT histograms (flat for calibrated forecasts; the dashed line is the count a flat histogram has)",
                (FAMILY, 17),
            )
            .map_err(err)?;
        let areas = body.split_evenly((1, self.panels.len().max(1)));
        for ((panel, area), color) in self.panels.iter().zip(&areas).zip(PALETTE.iter().cycle()) {
            let bins = panel.counts.len().max(1);
            let top = panel.counts.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.15;
            let total: usize = panel.counts.iter().sum();
            let mut chart = ChartBuilder::on(area)
                .caption(format!("{} (n = {total})", panel.method), (FAMILY, 16))
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(44)
                .build_cartesian_2d(0.0..1.0, 0.0..top)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_desc("PIT")
                .y_desc("forecasts")
                .label_style((FAMILY, 12))
                .disable_x_mesh()
                .draw()
                .map_err(err)?;
            let w = 1.0 / bins as f64;
            chart
                .draw_series(panel.counts.iter().enumerate().map(|(i, &c)| {
                    let x = i as f64 * w;
                    Rectangle::new([(x, 0.0), (x + w, c as f64)], color.mix(0.7).filled())
                }))
                .map_err(err)?;
            let flat = total as f64 / bins as f64;
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, flat), (1.0, flat)],
                    6,
                    4,
                    BLACK.stroke_width(1),
                ))
                .map_err(err)?;
        }
        Ok(())
    }
}

impl Drawing for Reliability<'_> {
    fn size(&self) -> (u32, u32) {
        (760, 700)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> super::DrawResult {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(root)
            .caption(
                "可靠性图 · Reliability of goal-like events (on the diagonal: calibrated)",
                (FAMILY, 18),
            )
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("forecast probability 预测概率")
            .y_desc("observed frequency 实际频率")
            .label_style((FAMILY, 13))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (1.0, 1.0)],
                RGBColor(150, 150, 150),
            ))
            .map_err(err)?;
        for (curve, color) in self.curves.iter().zip(PALETTE.iter().cycle()) {
            let color = *color;
            chart
                .draw_series(LineSeries::new(
                    curve.points.iter().map(|&(p, f, _)| (p, f)),
                    color.stroke_width(2),
                ))
                .map_err(err)?
                .label(curve.method.clone())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2))
                });
            chart
                .draw_series(curve.points.iter().map(|&(p, f, n)| {
                    // Marker area grows with the events in the bin.
                    let r = (2.0 + (n as f64).sqrt()).min(12.0) as i32;
                    Circle::new((p, f), r, color.filled())
                }))
                .map_err(err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font((FAMILY, 14))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

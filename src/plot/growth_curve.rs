//! Growth curves: each analysed target's probability as a function of the central growth
//! of its indicator ([`crate::analysis::GrowthCurve`]), one line per target.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::FAMILY;
use super::{Drawing, PALETTE, write_png_svg};
use crate::analysis::GrowthCurve;
use crate::error::Result;

/// Everything the growth-curve chart shows.
#[derive(Debug, Clone, Copy)]
pub struct GrowthCurves<'a> {
    /// Title in Chinese.
    pub title_zh: &'a str,
    /// Title in English.
    pub title_en: &'a str,
    /// One line per target: its label in the legend and its curve.
    pub curves: &'a [(String, &'a GrowthCurve)],
}

const WIDTH: u32 = 1200;
const PLOT_H: u32 = 620;
/// Pixels per legend line below the plot.
const LEGEND_LINE_H: u32 = 22;

/// Writes the chart as `<stem>.png` and `<stem>.svg`: x the central annual growth (%)
/// of the target's indicator (over the range where some curve lies between 1 % and
/// 99 %), y the probability of the goal, one coloured line per
/// target (colours repeat every eight, with a dashed style after the first eight), and
/// a legend of the targets below.
///
/// ```
/// use goalcast::RunSettings;
/// use goalcast::analysis::{Goal, critical_shifts};
/// use goalcast::plot::{GrowthCurves, write_growth_curves};
/// use goalcast::process::{LogNormalGrowth, Model};
/// use goalcast::target::Comparator;
///
/// let model = Model::LogNormal(LogNormalGrowth::new(0.12, 0.046).unwrap());
/// let goal = Goal::level(model, 1254.7, 1254.7 * 1.14f64.powi(6), 6, Comparator::AtLeast);
/// let settings = RunSettings { paths: 10_000, seed: 1, ..Default::default() };
/// let curve = critical_shifts(&goal, settings)?.unwrap().curve();
/// let dir = tempfile::tempdir().unwrap();
/// let chart = GrowthCurves {
///     title_zh: "增速与达成概率",
///     title_en: "Chance of each goal against the central growth",
///     curves: &[("000_rd_growth".to_string(), &curve)],
/// };
/// let [png, svg] = write_growth_curves(&chart, dir.path(), "growth_curve")?;
/// assert!(png.exists() && svg.exists());
/// # Ok::<(), goalcast::Error>(())
/// ```
pub fn write_growth_curves(c: &GrowthCurves<'_>, dir: &Path, stem: &str) -> Result<[PathBuf; 2]> {
    write_png_svg(c, dir, stem)
}

impl Drawing for GrowthCurves<'_> {
    fn size(&self) -> (u32, u32) {
        let legend = LEGEND_LINE_H * self.curves.len().div_ceil(2).max(1) as u32;
        (WIDTH, PLOT_H + legend + 30)
    }

    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let (plot, legend) = root.split_vertically(PLOT_H);
        // The x range: where some curve is between 1 % and 99 % (a curve's flat tails,
        // out to the bracket of growth rates, would squash the rest).
        let points = self.curves.iter().flat_map(|(_, c)| &c.points);
        let moving = points.filter(|p| (0.01..=0.99).contains(&p.probability));
        let (lo, hi) = moving.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.growth * 100.0), b.max(p.growth * 100.0))
        });
        let (lo, hi) = if lo < hi {
            let pad = 0.05 * (hi - lo);
            (lo - pad, hi + pad)
        } else {
            (-1.0, 1.0)
        };
        let mut cc = ChartBuilder::on(&plot)
            .caption(
                format!("{} · {}", self.title_zh, self.title_en),
                (FAMILY, 22),
            )
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(lo..hi, 0.0..1.0)
            .map_err(err)?;
        cc.configure_mesh()
            .x_desc("中心年增速 central annual growth (%)")
            .y_desc("达成概率 P(goal)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{:.0} %", y * 100.0))
            .label_style((FAMILY, 15))
            .axis_desc_style((FAMILY, 16))
            .draw()
            .map_err(err)?;
        for (i, (_, curve)) in self.curves.iter().enumerate() {
            let style = PALETTE[i % PALETTE.len()].stroke_width(2);
            let line = curve
                .points
                .iter()
                .map(|p| (p.growth * 100.0, p.probability));
            if i < PALETTE.len() {
                cc.draw_series(LineSeries::new(line, style)).map_err(err)?;
            } else {
                cc.draw_series(DashedLineSeries::new(line, 8, 5, style))
                    .map_err(err)?;
            }
        }
        for (i, (label, _)) in self.curves.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let x = 30 + (i % 2) as i32 * (WIDTH as i32 / 2);
            let y = (LEGEND_LINE_H as usize * (i / 2)) as i32 + 12;
            // dashed (two strokes) as its line is after the first eight
            let strokes: &[(i32, i32)] = if i < PALETTE.len() {
                &[(0, 26)]
            } else {
                &[(0, 10), (16, 26)]
            };
            for &(a, b) in strokes {
                legend
                    .draw(&PathElement::new(
                        [(x + a, y), (x + b, y)],
                        color.stroke_width(3),
                    ))
                    .map_err(err)?;
            }
            let text = super::fit(&legend, label, 14.0, WIDTH as i32 / 2 - 60)?;
            legend
                .draw(&Text::new(
                    text,
                    (x + 34, y - 8),
                    (FAMILY, 14).into_font().color(&BLACK),
                ))
                .map_err(err)?;
        }
        Ok(())
    }
}

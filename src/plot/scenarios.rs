//! Several scenarios side by side: each target's probability under each scenario.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::{Drawing, PALETTE, write_png_svg};
use crate::error::Result;

/// One target's probabilities, one per scenario (`None` where it was not simulated).
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    /// What is drawn at the left: the target and its goal.
    pub label: String,
    /// P(reach) under each scenario, in the order of [`ScenarioComparison::scenarios`].
    pub p_reach: Vec<Option<f64>>,
}

/// Everything the comparison chart shows.
#[derive(Debug, Clone, Copy)]
pub struct ScenarioComparison<'a> {
    /// Title in Chinese.
    pub title_zh: &'a str,
    /// Title in English.
    pub title_en: &'a str,
    /// Scenarios as the legend names them (one line each, shortened with `…` to fit),
    /// e.g. `基准情景 baseline · Growth continues at its 2015-2022 pace`.
    pub scenarios: &'a [String],
    /// One row per target.
    pub rows: &'a [ComparisonRow],
}

const WIDTH: u32 = 1200;
/// Pixels above the legend (titles), and per legend line.
const TITLE_H: i32 = 78;
const LEGEND_LINE_H: i32 = 24;
const FOOTER_H: i32 = 60;
const ROW_H: i32 = 34;
const LABEL_W: i32 = 470;
const RIGHT: i32 = 1160;

/// Writes the chart as `<stem>.png` and `<stem>.svg`: one row per target, a marker per
/// scenario at its probability of reaching the target, a grey line spanning them.
pub fn write_scenario_comparison(
    c: &ScenarioComparison<'_>,
    dir: &Path,
    stem: &str,
) -> Result<[PathBuf; 2]> {
    write_png_svg(c, dir, stem)
}

impl ScenarioComparison<'_> {
    /// Pixels above the first row: titles and one legend line per scenario.
    fn header_h(&self) -> i32 {
        TITLE_H + LEGEND_LINE_H * self.scenarios.len().max(1) as i32 + 20
    }
}

impl Drawing for ScenarioComparison<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.rows.len().max(1) as i32;
        (WIDTH, (self.header_h() + FOOTER_H + ROW_H * rows) as u32)
    }

    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let text = |s: &str, at: (i32, i32), size: f64, color: &RGBColor, h: HPos| {
            root.draw(&Text::new(
                s.to_string(),
                at,
                (FAMILY, size)
                    .into_font()
                    .color(color)
                    .pos(Pos::new(h, VPos::Center)),
            ))
            .map_err(err)
        };
        text(self.title_zh, (20, 24), 26.0, &BLACK, HPos::Left)?;
        text(
            self.title_en,
            (20, 56),
            17.0,
            &RGBColor(70, 70, 70),
            HPos::Left,
        )?;
        for (i, name) in self.scenarios.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let y = TITLE_H + LEGEND_LINE_H * i as i32 + LEGEND_LINE_H / 2;
            root.draw(&Circle::new((26, y), 6, color.filled()))
                .map_err(err)?;
            let name = super::fit(root, name, 15.0, RIGHT - 40)?;
            text(&name, (40, y), 15.0, &BLACK, HPos::Left)?;
        }
        let header_h = self.header_h();
        let x_of = |p: f64| LABEL_W + ((RIGHT - LABEL_W) as f64 * p).round() as i32;
        let bottom = header_h + ROW_H * self.rows.len().max(1) as i32;
        for tick in 0..=5 {
            let p = f64::from(tick) / 5.0;
            let x = x_of(p);
            root.draw(&PathElement::new(
                [(x, header_h - 6), (x, bottom)],
                RGBColor(220, 220, 220),
            ))
            .map_err(err)?;
            text(
                &format!("{:.0} %", p * 100.0),
                (x, bottom + 16),
                14.0,
                &RGBColor(90, 90, 90),
                HPos::Center,
            )?;
        }
        text(
            "P(目标在期限年达成) · P(goal holds in its deadline year)",
            ((LABEL_W + RIGHT) / 2, bottom + 40),
            14.0,
            &RGBColor(90, 90, 90),
            HPos::Center,
        )?;
        for (r, row) in self.rows.iter().enumerate() {
            let y = header_h + ROW_H * r as i32 + ROW_H / 2;
            if r % 2 == 0 {
                root.draw(&Rectangle::new(
                    [(10, y - ROW_H / 2), (RIGHT + 20, y + ROW_H / 2)],
                    RGBColor(247, 247, 247).filled(),
                ))
                .map_err(err)?;
            }
            let label = super::fit(root, &row.label, 14.0, LABEL_W - 30)?;
            text(&label, (20, y), 14.0, &BLACK, HPos::Left)?;
            let xs: Vec<i32> = row.p_reach.iter().flatten().map(|&p| x_of(p)).collect();
            if let (Some(&lo), Some(&hi)) = (xs.iter().min(), xs.iter().max()) {
                root.draw(&PathElement::new(
                    [(lo, y), (hi, y)],
                    RGBColor(160, 160, 160).stroke_width(3),
                ))
                .map_err(err)?;
            }
            // Scenarios side by side vertically, so equal probabilities stay visible.
            let n = row.p_reach.len() as i32;
            for (i, p) in row.p_reach.iter().enumerate() {
                if let Some(p) = p {
                    let color = PALETTE[i % PALETTE.len()];
                    let dy = (2 * i as i32 - (n - 1)) * 5;
                    root.draw(&Circle::new((x_of(*p), y + dy), 6, color.filled()))
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}

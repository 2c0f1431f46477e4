use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::{Drawing, write_png_svg};
use crate::assess::IndicatorOutcome;
use crate::error::Result;
use crate::indicator::Observation;
use crate::target::Comparator;

/// A goal drawn on a fan chart: a marker at its level in its deadline year.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetMark {
    /// Target id.
    pub id: String,
    /// Deadline year.
    pub year: i32,
    /// Required level.
    pub level: f64,
    /// At least / at most.
    pub comparator: Comparator,
    /// Probability of reaching it at the deadline.
    pub p_reach: f64,
}

/// Everything a fan chart shows.
#[derive(Debug, Clone)]
pub struct FanChart<'a> {
    /// The simulated indicator (years, quantiles, names, unit).
    pub outcome: &'a IndicatorOutcome,
    /// Known values drawn as points.
    pub history: &'a [Observation],
    /// Goals on the indicator.
    pub targets: &'a [TargetMark],
}

const BAND_OUTER: RGBColor = RGBColor(198, 219, 239);
const BAND_INNER: RGBColor = RGBColor(107, 174, 214);
const MEDIAN: RGBColor = RGBColor(8, 81, 156);
const TARGET: RGBColor = RGBColor(203, 24, 29);

/// Writes a fan chart as `<stem>.png` (1200×750) and `<stem>.svg`; returns both paths.
pub fn write_fan_chart(
    chart: &FanChart<'_>,
    dir: &Path,
    stem: &str,
) -> Result<[std::path::PathBuf; 2]> {
    write_png_svg(chart, dir, stem)
}

impl Drawing for FanChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1200, 750)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        draw(root, self)
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &FanChart<'_>,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let o = chart.outcome;
    let ind = &o.indicator;
    root.fill(&WHITE).map_err(err)?;

    let q = &o.quantiles;
    let first_year = chart
        .history
        .iter()
        .map(|h| h.year)
        .chain(o.years.first().copied())
        .min()
        .unwrap_or(0);
    let last_year = *o.years.last().unwrap_or(&first_year);
    let values = q
        .iter()
        .copied()
        .chain(chart.history.iter().map(|h| h.value))
        .chain(chart.targets.iter().map(|t| t.level));
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = (hi - lo).max(hi.abs() * 0.01) * 0.08;
    let (y0, y1) = ((lo - pad).max(0.0), hi + pad);
    // Nothing non-finite is drawn: an axis over NaN or infinity never ends its ticks.
    if !(y0.is_finite() && y1.is_finite() && (y1 - y0).is_finite()) {
        return Err(format!(
            "{}: the levels to draw are not finite (from {lo} to {hi}); the inputs or the \
             assumption overflow",
            ind.key
        ));
    }
    let y1 = if y1 > y0 { y1 } else { y0 + 1.0 };

    let title = format!(
        "{} · {} ({})",
        ind.name_zh, ind.name_en, ind.key.jurisdiction
    );
    let mut cc = ChartBuilder::on(root)
        .caption(title, (FAMILY, 30))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(
            f64::from(first_year) - 0.5..f64::from(last_year) + 0.5,
            y0..y1,
        )
        .map_err(err)?;
    cc.configure_mesh()
        .x_desc("年份 year")
        .y_desc(match o.index_year {
            Some(year) => format!("{} (index, {year} level = 1)", ind.name_en),
            None => format!("{} ({})", ind.name_en, ind.unit),
        })
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| fmt_level(*y))
        .x_labels((last_year - first_year + 1).clamp(2, 20) as usize)
        .label_style((FAMILY, 16))
        .axis_desc_style((FAMILY, 18))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;

    let years: Vec<f64> = o.years.iter().map(|&y| f64::from(y)).collect();
    let band = |lo_col: usize, hi_col: usize| -> Vec<(f64, f64)> {
        let upper = years.iter().enumerate().map(|(i, &x)| (x, q[[i, hi_col]]));
        let lower = years
            .iter()
            .enumerate()
            .rev()
            .map(|(i, &x)| (x, q[[i, lo_col]]));
        upper.chain(lower).collect()
    };
    cc.draw_series(std::iter::once(Polygon::new(
        band(0, 4),
        BAND_OUTER.filled(),
    )))
    .map_err(err)?
    .label("5–95 %")
    .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], BAND_OUTER.filled()));
    cc.draw_series(std::iter::once(Polygon::new(
        band(1, 3),
        BAND_INNER.filled(),
    )))
    .map_err(err)?
    .label("25–75 %")
    .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], BAND_INNER.filled()));
    cc.draw_series(LineSeries::new(
        years.iter().enumerate().map(|(i, &x)| (x, q[[i, 2]])),
        MEDIAN.stroke_width(3),
    ))
    .map_err(err)?
    .label("中位数 median")
    .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], MEDIAN.stroke_width(3)));

    if !chart.history.is_empty() {
        cc.draw_series(
            chart
                .history
                .iter()
                .map(|h| Circle::new((f64::from(h.year), h.value), 5, BLACK.filled())),
        )
        .map_err(err)?
        .label("历史 history")
        .legend(|(x, y)| Circle::new((x + 8, y), 5, BLACK.filled()));
    }

    for (i, t) in chart.targets.iter().enumerate() {
        let x = f64::from(t.year);
        cc.draw_series(std::iter::once(PathElement::new(
            [(x, y0), (x, y1)],
            RGBColor(120, 120, 120).stroke_width(1),
        )))
        .map_err(err)?;
        let marker = cc
            .draw_series(std::iter::once(TriangleMarker::new(
                (x, t.level),
                10,
                TARGET.filled(),
            )))
            .map_err(err)?;
        if i == 0 {
            marker
                .label("目标 target")
                .legend(|(x, y)| TriangleMarker::new((x + 8, y), 7, TARGET.filled()));
        }
        let sign = match t.comparator {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
        };
        let label = format!(
            "{} {sign} {}: P = {:.1}%",
            t.id,
            fmt_level(t.level),
            t.p_reach * 100.0
        );
        let dy = 18.0 * (i as f64 + 1.0) * (y1 - y0) / 700.0;
        cc.draw_series(std::iter::once(Text::new(
            label,
            (x - 0.45, t.level + dy),
            (FAMILY, 15)
                .into_font()
                .color(&TARGET)
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        )))
        .map_err(err)?;
    }

    cc.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font((FAMILY, 15))
        .draw()
        .map_err(err)?;
    Ok(())
}

/// A level with a sensible number of digits for a label.
fn fmt_level(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

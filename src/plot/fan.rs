use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::{Drawing, write_png_svg};
use ndarray::Array2;

use crate::assess::{IndicatorOutcome, ShareOutcome};
use crate::error::Result;
use crate::indicator::Observation;
use crate::target::Comparator;

/// A goal drawn on a fan chart: a marker at its level in its deadline year.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetMark {
    /// Target id.
    pub id: String,
    /// The goal in words, drawn beside its marker with the level and its probability
    /// (e.g. `年均增长 ≥ 14 % · 14 % a year from the median 2023 level`).
    pub label: String,
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

/// Everything the fan chart of a share goal shows: the share in percent, from the
/// joint simulation of its numerator and denominator.
#[derive(Debug, Clone)]
pub struct ShareFanChart<'a> {
    /// The simulated share (fractions).
    pub share: &'a ShareOutcome,
    /// Title in Chinese: the goal's own name, e.g. `新能源汽车占比`.
    pub title_zh: &'a str,
    /// Title in English, e.g. `New-energy vehicles as a share of vehicle output`.
    pub title_en: &'a str,
    /// Known shares (fractions), from years in which both parts are known.
    pub history: &'a [Observation],
    /// The goal (its level a fraction).
    pub targets: &'a [TargetMark],
}

/// What any fan chart draws, in the unit of its axis.
struct Fan<'a> {
    title: String,
    y_label: String,
    years: &'a [i32],
    /// Quantiles (5, 25, 50, 75, 95 %), one row per year, in the axis unit.
    quantiles: Array2<f64>,
    history: Vec<Observation>,
    targets: Vec<TargetMark>,
    /// The unit figures are written in (`%` for shares).
    unit: &'a str,
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

/// Writes the fan chart of a share goal as `<stem>.png` (1200×750) and `<stem>.svg`:
/// the share in percent, its history and its target; returns both paths.
pub fn write_share_fan_chart(
    chart: &ShareFanChart<'_>,
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
        let o = self.outcome;
        let ind = &o.indicator;
        draw(
            root,
            &Fan {
                title: format!(
                    "{} · {} ({})",
                    ind.name_zh, ind.name_en, ind.key.jurisdiction
                ),
                y_label: match o.index_year {
                    Some(year) => format!("{} (index, {year} level = 1)", ind.name_en),
                    None => format!("{} ({})", ind.name_en, ind.unit),
                },
                years: &o.years,
                quantiles: o.quantiles.clone(),
                history: self.history.to_vec(),
                targets: self.targets.to_vec(),
                unit: if o.index_year.is_some() {
                    ""
                } else {
                    &ind.unit
                },
            },
        )
    }
}

impl Drawing for ShareFanChart<'_> {
    fn size(&self) -> (u32, u32) {
        (1200, 750)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let percent = |o: &Observation| Observation {
            year: o.year,
            value: o.value * 100.0,
        };
        draw(
            root,
            &Fan {
                title: format!(
                    "{} · {} ({})",
                    self.title_zh, self.title_en, self.share.numerator.jurisdiction
                ),
                y_label: "占比 share (%)".to_string(),
                years: &self.share.years,
                quantiles: self.share.quantiles.mapv(|v| v * 100.0),
                history: self.history.iter().map(percent).collect(),
                targets: self
                    .targets
                    .iter()
                    .map(|t| TargetMark {
                        level: t.level * 100.0,
                        ..t.clone()
                    })
                    .collect(),
                unit: "%",
            },
        )
    }
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &Fan<'_>) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;

    let q = &chart.quantiles;
    let first_year = chart
        .history
        .iter()
        .map(|h| h.year)
        .chain(chart.years.first().copied())
        .min()
        .unwrap_or(0);
    let last_year = *chart.years.last().unwrap_or(&first_year);
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
            chart.title
        ));
    }
    let y1 = if y1 > y0 { y1 } else { y0 + 1.0 };

    let mut cc = ChartBuilder::on(root)
        .caption(&chart.title, (FAMILY, 30))
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
        .y_desc(&chart.y_label)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| super::format_figure(*y, ""))
        .x_labels((last_year - first_year + 1).clamp(2, 20) as usize)
        .label_style((FAMILY, 16))
        .axis_desc_style((FAMILY, 18))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;

    let years: Vec<f64> = chart.years.iter().map(|&y| f64::from(y)).collect();
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

    // Targets: a marker each; labels placed afterwards, clear of the bands.
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
    }
    // What a label must not cover, in pixels: the outer band (top and bottom at each
    // year), the history points and the labels already placed.
    let px = |x: f64, y: f64| cc.backend_coord(&(x, y));
    let band_px: Vec<(i32, i32, i32)> = years
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let (bx, top) = px(x, q[[i, 4]]);
            (bx, top, px(x, q[[i, 0]]).1)
        })
        .collect();
    let points: Vec<(i32, i32)> = chart
        .history
        .iter()
        .map(|h| px(f64::from(h.year), h.value))
        .collect();
    let (x_range, y_range) = cc.plotting_area().get_pixel_range();
    let mut placed: Vec<Boxed> = Vec::new();
    for t in &chart.targets {
        let sign = t.comparator.sign();
        let label = format!(
            "{} {sign} {} · P = {:.1} %",
            t.label,
            super::format_figure(t.level, chart.unit),
            t.p_reach * 100.0
        );
        let (w, h) = (super::text_width(root, &label, 15.0)? + 8, 20);
        let (mx, my) = px(f64::from(t.year), t.level);
        let right = mx - 14;
        let left = (right - w).max(x_range.start + 2);
        let blocked = |b: &Boxed| {
            b.hits_band(&band_px)
                || points.iter().any(|&p| b.near(p, 6))
                || placed.iter().any(|o| b.overlaps(o))
        };
        let spot = free_spot(
            (left, left + w),
            h,
            my,
            (y_range.start, y_range.end),
            blocked,
        )
        .unwrap_or(Boxed {
            x: (left, left + w),
            y: (my - h / 2, my + h / 2),
        });
        root.draw(&Rectangle::new(
            [(spot.x.0, spot.y.0), (spot.x.1, spot.y.1)],
            WHITE.mix(0.85).filled(),
        ))
        .map_err(err)?;
        let mid = (spot.y.0 + spot.y.1) / 2;
        if (mid - my).abs() > h / 2 {
            root.draw(&PathElement::new(
                [(spot.x.1, mid), (mx - 8, my)],
                TARGET.mix(0.6).stroke_width(1),
            ))
            .map_err(err)?;
        }
        root.draw(&Text::new(
            label,
            (spot.x.0 + 4, mid),
            (FAMILY, 15)
                .into_font()
                .color(&TARGET)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
        placed.push(spot);
    }

    // The legend in the first corner of the plot (upper left, lower right, lower left,
    // upper right) where it covers no band, point, marker or label; its size as plotters
    // lays it out (lines of 15 px text, a 30 px key, 10 px margins), with some slack.
    let mut entries = vec!["5–95 %", "25–75 %", "中位数 median"];
    if !chart.history.is_empty() {
        entries.push("历史 history");
    }
    if !chart.targets.is_empty() {
        entries.push("目标 target");
    }
    let widest = entries
        .iter()
        .map(|e| super::measure(e, 15.0))
        .collect::<Result<Vec<i32>, String>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    let (lw, lh) = (widest + 56, 19 * entries.len() as i32 + 26);
    let (aw, ah) = (x_range.end - x_range.start, y_range.end - y_range.start);
    let markers: Vec<(i32, i32)> = chart
        .targets
        .iter()
        .map(|t| px(f64::from(t.year), t.level))
        .collect();
    let corner = [
        (5, 5),
        (aw - lw - 5, ah - lh - 5),
        (5, ah - lh - 5),
        (aw - lw - 5, 5),
    ]
    .into_iter()
    .find(|&(x, y)| {
        let b = Boxed {
            x: (x_range.start + x, x_range.start + x + lw),
            y: (y_range.start + y, y_range.start + y + lh),
        };
        !b.hits_band(&band_px)
            && !points.iter().chain(&markers).any(|&p| b.near(p, 6))
            && !placed.iter().any(|o| b.overlaps(o))
    })
    .unwrap_or((5, 5));
    cc.configure_series_labels()
        .position(SeriesLabelPosition::Coordinate(corner.0, corner.1))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font((FAMILY, 15))
        .draw()
        .map_err(err)?;
    Ok(())
}

/// A label's box in pixels: `x` and `y` are (first, last) pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Boxed {
    x: (i32, i32),
    y: (i32, i32),
}

impl Boxed {
    /// Whether the box covers part of the band, given as (x, top, bottom) pixels per
    /// year and straight between years.
    fn hits_band(&self, band: &[(i32, i32, i32)]) -> bool {
        band.windows(2).any(|w| {
            let ((xa, ta, ba), (xb, tb, bb)) = (w[0], w[1]);
            // the band's extent over the part of [xa, xb] the box spans
            let (from, to) = (self.x.0.max(xa), self.x.1.min(xb));
            if from > to || xb == xa {
                return false;
            }
            let at = |x: i32, a: i32, b: i32| a + (b - a) * (x - xa) / (xb - xa);
            let top = at(from, ta, tb).min(at(to, ta, tb));
            let bottom = at(from, ba, bb).max(at(to, ba, bb));
            self.y.0 <= bottom && self.y.1 >= top
        }) || band.len() == 1 && {
            let (x, top, bottom) = band[0];
            (self.x.0..=self.x.1).contains(&x) && self.y.0 <= bottom && self.y.1 >= top
        }
    }

    /// Whether point `p` lies within `margin` pixels of the box.
    fn near(&self, (x, y): (i32, i32), margin: i32) -> bool {
        x >= self.x.0 - margin
            && x <= self.x.1 + margin
            && y >= self.y.0 - margin
            && y <= self.y.1 + margin
    }

    fn overlaps(&self, o: &Boxed) -> bool {
        self.x.0 <= o.x.1 && self.x.1 >= o.x.0 && self.y.0 <= o.y.1 && self.y.1 >= o.y.0
    }
}

/// The box `h` pixels high over columns `x` nearest (vertically) to centre line `want`
/// that lies within rows `area` (first, end) and is not `blocked`; `None` if there is
/// none.
fn free_spot(
    x: (i32, i32),
    h: i32,
    want: i32,
    area: (i32, i32),
    blocked: impl Fn(&Boxed) -> bool,
) -> Option<Boxed> {
    let at = |centre: i32| Boxed {
        x,
        y: (centre - h / 2, centre - h / 2 + h),
    };
    let inside = |b: &Boxed| b.y.0 >= area.0 + 2 && b.y.1 < area.1 - 2;
    (0..area.1 - area.0)
        .step_by(3)
        .flat_map(|d| [want - d, want + d])
        .map(at)
        .filter(inside)
        .find(|b| !blocked(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_moves_off_the_band_to_the_nearest_free_rows() {
        // a band from x 100 to 300, rows 200 (top) to 400 (bottom); the target sits
        // inside it at row 300: the nearest free boxes end at row 199 or start at 401,
        // equally far, and the search tries above first
        let band = [(100, 200, 400), (300, 200, 400)];
        let spot = free_spot((150, 250), 20, 300, (0, 700), |b| b.hits_band(&band)).unwrap();
        assert!(spot.y.1 < 200 || spot.y.0 > 400, "{spot:?}");
        assert!(!spot.hits_band(&band));
        assert_eq!(spot.y.1, 199);
        // a label left of the band stays where it is wanted
        let left = free_spot((0, 90), 20, 300, (0, 700), |b| b.hits_band(&band)).unwrap();
        assert_eq!(left.y, (290, 310));
        // a band filling the area leaves no spot
        let full = [(0, 0, 700), (400, 0, 700)];
        assert!(free_spot((150, 250), 20, 300, (0, 700), |b| b.hits_band(&full)).is_none());
    }

    #[test]
    fn a_widening_band_is_measured_between_years() {
        // the band widens from rows 290-310 at x 0 to 100-500 at x 400: a box at x
        // 350-360 and rows 150-170 is inside it although both years' ends are not
        let band = [(0, 290, 310), (400, 100, 500)];
        let b = Boxed {
            x: (350, 360),
            y: (150, 170),
        };
        assert!(b.hits_band(&band));
        let clear = Boxed {
            x: (10, 20),
            y: (150, 170),
        };
        assert!(!clear.hits_band(&band));
    }
}

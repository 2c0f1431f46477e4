//! Tornado chart: how a goal's probability moves when each parameter is moved down and
//! up ([`crate::analysis::sensitivity`]).

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::{DrawResult, Drawing, text_width, write_png_svg};
use crate::analysis::Sensitivity;
use crate::error::{Error, Result};

/// Everything a tornado chart shows.
#[derive(Debug, Clone)]
pub struct TornadoChart<'a> {
    /// The probabilities (rows are drawn in their order, first on top).
    pub sensitivity: &'a Sensitivity,
    /// Title in Chinese, e.g. `全社会研发经费投入年均增长14%以上 (2028)`.
    pub title_zh: &'a str,
    /// Title in English, e.g. `R&D expenditure, 14 % a year to 2028`.
    pub title_en: &'a str,
    /// Names for the indicator ids that prefix parameters of jointly simulated goals
    /// (`automobile_output growth`), as `(id, Chinese, English)`, e.g.
    /// `("automobile_output", "分母", "denominator")`; empty for a goal on one indicator.
    pub roles: &'a [(&'a str, &'a str, &'a str)],
}

const LOW: RGBColor = RGBColor(49, 130, 189);
const HIGH: RGBColor = RGBColor(230, 85, 13);
const BASE: RGBColor = RGBColor(60, 60, 60);
const MUTED: RGBColor = RGBColor(110, 110, 110);
const ZEBRA: RGBColor = RGBColor(246, 246, 246);

const WIDTH: u32 = 1200;
/// Pixels above the plot (titles, legend) and below it (axis, note).
const HEADER_H: u32 = 150;
const FOOTER_H: u32 = 110;
/// Pixels per parameter row.
const ROW_H: u32 = 90;
/// Width of the parameter labels left of the plot.
const LABEL_W: u32 = 330;
/// At most this many rows on one chart.
const MAX_ROWS: usize = 40;

/// Writes the tornado chart as `<stem>.png` and `<stem>.svg` in `dir`; returns both
/// paths.
///
/// One row per parameter, in the order of [`Sensitivity::rows`] (largest swing on
/// top): a bar from the base probability to the probability with the parameter moved
/// down (blue) and one to the probability with it moved up (orange), each labelled with
/// its probability; the parameter's name and values at the left; a vertical line at the
/// base probability. The image is 1200 pixels wide, 90 pixels a row. Both files are drawn
/// under temporary names and renamed when both succeeded; every failure is an
/// [`Error::Plot`] (among them a probability outside [0, 1] and more than 40 rows).
///
/// ```
/// use goalcast::RunSettings;
/// use goalcast::analysis::{Goal, Shifts, sensitivity};
/// use goalcast::plot::{TornadoChart, write_tornado};
/// use goalcast::process::{LogNormalGrowth, Model};
/// use goalcast::target::Comparator;
///
/// let model = Model::LogNormal(LogNormalGrowth::new(0.12, 0.046).unwrap());
/// let goal = Goal::level(model, 1254.7, 1254.7 * 1.14f64.powi(6), 6, Comparator::AtLeast);
/// let settings = RunSettings { paths: 10_000, seed: 1, ..Default::default() };
/// let s = sensitivity("000_rd_growth", &goal, settings, &Shifts::default())?;
/// let dir = tempfile::tempdir().unwrap();
/// let chart = TornadoChart {
///     sensitivity: &s,
///     title_zh: "全社会研发经费投入年均增长14%以上",
///     title_en: "R&D expenditure, 14 % a year",
///     roles: &[],
/// };
/// let [png, svg] = write_tornado(&chart, dir.path(), "tornado_rd")?;
/// assert!(png.exists() && svg.exists());
/// # Ok::<(), goalcast::Error>(())
/// ```
pub fn write_tornado(chart: &TornadoChart<'_>, dir: &Path, stem: &str) -> Result<[PathBuf; 2]> {
    check(chart.sensitivity).map_err(|reason| Error::Plot {
        path: dir.join(format!("{stem}.png")),
        reason,
    })?;
    write_png_svg(chart, dir, stem)
}

impl Drawing for TornadoChart<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.sensitivity.rows.len().max(1) as u32;
        (WIDTH, HEADER_H + FOOTER_H + ROW_H * rows)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        draw(root, self)
    }
}

fn check(s: &Sensitivity) -> Result<(), String> {
    if s.rows.len() > MAX_ROWS {
        return Err(format!(
            "{} parameters do not fit on one chart (at most {MAX_ROWS})",
            s.rows.len()
        ));
    }
    let probabilities = s
        .rows
        .iter()
        .flat_map(|r| [r.p_low, r.p_high])
        .flatten()
        .chain([s.p_base]);
    for p in probabilities {
        if !(0.0..=1.0).contains(&p) {
            return Err(format!("{p} is not a probability"));
        }
    }
    Ok(())
}

/// The model parameter of a row (`growth` of `automobile_output growth`) and the role
/// its indicator plays, `(Chinese, English)`, when the parameter is prefixed by an
/// indicator id named in `roles`.
fn split_parameter<'r>(
    parameter: &'r str,
    roles: &'r [(&'r str, &'r str, &'r str)],
) -> (&'r str, Option<(&'r str, &'r str)>) {
    roles
        .iter()
        .find_map(|&(id, zh, en)| {
            let rest = parameter.strip_prefix(id)?.strip_prefix(' ')?;
            Some((rest, Some((zh, en))))
        })
        .unwrap_or((parameter, None))
}

/// The label of a row's parameter: Chinese and English, with the role of its indicator
/// (`分母增长率 denominator growth`).
fn parameter_label(parameter: &str, roles: &[(&str, &str, &str)]) -> String {
    let (name, role) = split_parameter(parameter, roles);
    let (zh, en) = parameter_names(name);
    match (role, zh.is_empty()) {
        (Some((rz, re)), false) => format!("{rz}{zh} {re} {en}"),
        (Some((rz, re)), true) => format!("{rz} {re} {en}"),
        (None, false) => format!("{zh} {en}"),
        (None, true) => en,
    }
}

/// Chinese and English names of the parameters the library's models have.
fn parameter_names(name: &str) -> (&'static str, String) {
    let zh = match name {
        "correlation" => "相关系数",
        "growth" => "增长率",
        "volatility" => "波动率",
        "persistence" => "持续性",
        "df" => "自由度",
        "shock_probability" => "冲击概率",
        "shock_size" => "冲击幅度",
        "growth_se" => "增长率不确定性",
        "volatility_df" => "波动率自由度",
        "upper" => "上限",
        _ => "",
    };
    (zh, name.replace('_', " "))
}

/// A parameter value: rates in percent, other parameters as plain numbers.
fn fmt_value(name: &str, v: f64) -> String {
    let rate = matches!(
        name,
        "growth" | "volatility" | "growth_se" | "shock_probability" | "shock_size"
    );
    if rate {
        format!("{:.1} %", v * 100.0)
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

fn fmt_p(p: f64) -> String {
    format!("{:.1} %", p * 100.0)
}

fn text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    at: (i32, i32),
    size: f64,
    colour: &RGBColor,
    pos: Pos,
) -> DrawResult {
    let font = (FAMILY, size).into_font().color(colour).pos(pos);
    area.draw(&Text::new(s.to_string(), at, font))
        .map_err(|e| e.to_string())
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &TornadoChart<'_>) -> DrawResult {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = chart.sensitivity;
    root.fill(&WHITE).map_err(err)?;
    let left = Pos::new(HPos::Left, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    let centre = Pos::new(HPos::Center, VPos::Center);

    // Titles.
    text(root, chart.title_zh, (30, 32), 28.0, &BLACK, left)?;
    text(root, chart.title_en, (30, 68), 20.0, &MUTED, left)?;
    text(
        root,
        &format!(
            "达标概率对参数的敏感性 · how P(goal) moves with each parameter (base {})",
            fmt_p(s.p_base)
        ),
        (30, 102),
        17.0,
        &BLACK,
        left,
    )?;
    // Legend.
    let legend_y = 132;
    for (i, (colour, label)) in [
        (LOW, "参数下调 parameter down"),
        (HIGH, "参数上调 parameter up"),
    ]
    .iter()
    .enumerate()
    {
        let x = 30 + 300 * i as i32;
        root.draw(&Rectangle::new(
            [(x, legend_y - 8), (x + 26, legend_y + 8)],
            colour.filled(),
        ))
        .map_err(err)?;
        text(root, label, (x + 34, legend_y), 16.0, &BLACK, left)?;
    }

    // The probability axis: every probability shown, padded; in percent.
    let values: Vec<f64> = s
        .rows
        .iter()
        .flat_map(|r| [r.p_low, r.p_high])
        .flatten()
        .chain([s.p_base])
        .map(|p| p * 100.0)
        .collect();
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let pad = ((hi - lo) * 0.12).max(1.0);
    let (x0, x1) = ((lo - pad).max(0.0), (hi + pad).min(100.0));
    let n = s.rows.len().max(1);
    let body = root.margin(HEADER_H as i32, 40, 0, 0);
    let mut cc = ChartBuilder::on(&body)
        .margin_top(30)
        .margin_right(40)
        .margin_bottom(10)
        .x_label_area_size(56)
        .y_label_area_size(LABEL_W)
        .build_cartesian_2d(x0..x1, -0.5..n as f64 - 0.5)
        .map_err(err)?;
    cc.configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc("达标概率 P(goal met at the deadline), %")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .label_style((FAMILY, 16))
        .axis_desc_style((FAMILY, 18))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;

    // Rows: the first on top.
    let row_y = |i: usize| (n - 1 - i) as f64;
    for i in (0..n).step_by(2) {
        let y = row_y(i);
        cc.draw_series(std::iter::once(Rectangle::new(
            [(x0, y - 0.5), (x1, y + 0.5)],
            ZEBRA.filled(),
        )))
        .map_err(err)?;
    }
    let base = s.p_base * 100.0;
    let half = 0.28;
    let (plot_left, _) = cc.backend_coord(&(x0, 0.0));
    let (plot_right, _) = cc.backend_coord(&(x1, 0.0));
    for (i, r) in s.rows.iter().enumerate() {
        let y = row_y(i);
        // Sides that move the probability at all, longer bar first.
        let mut bars: Vec<(f64, RGBColor)> = [(r.p_low, LOW), (r.p_high, HIGH)]
            .into_iter()
            .filter_map(|(p, c)| p.map(|p| (p, c)))
            .filter(|&(p, _)| p != s.p_base)
            .collect();
        bars.sort_by(|a, b| (b.0 - s.p_base).abs().total_cmp(&(a.0 - s.p_base).abs()));
        // Both on one side of the base (an effect that is not monotone): the shorter bar
        // drawn thinner over the longer, both labels beyond the longer bar's end, one
        // above the other.
        let same_side = bars.len() == 2 && (bars[0].0 - s.p_base) * (bars[1].0 - s.p_base) > 0.0;
        for (k, &(p, colour)) in bars.iter().enumerate() {
            let v = p * 100.0;
            let thin = if same_side && k == 1 {
                half * 0.5
            } else {
                half
            };
            cc.draw_series(std::iter::once(Rectangle::new(
                [(base.min(v), y - thin), (base.max(v), y + thin)],
                colour.filled(),
            )))
            .map_err(err)?;
            let end = if same_side { bars[0].0 * 100.0 } else { v };
            let (px, py) = cc.backend_coord(&(end, y));
            let dy = match (same_side, k) {
                (false, _) => 0,
                (true, 0) => -11,
                (true, _) => 11,
            };
            // Beyond the bar's end; inside it, in white, where the plot ends too soon.
            let label = fmt_p(p);
            let width = text_width(root, &label, 16.0)? + 10;
            let outward = if end < base { -1 } else { 1 };
            let room = if end < base {
                px - plot_left
            } else {
                plot_right - px
            };
            let (side, colour) = if room >= width || same_side {
                (outward, colour)
            } else {
                (-outward, WHITE)
            };
            let pos = if side < 0 { right } else { left };
            text(root, &label, (px + 8 * side, py + dy), 16.0, &colour, pos)?;
        }
        if bars.is_empty() {
            let (px, py) = cc.backend_coord(&(base, y));
            text(root, "无影响 no effect", (px + 10, py), 15.0, &MUTED, left)?;
        }
        // Parameter name and values, left of the plot.
        let (lx, ly) = cc.backend_coord(&(x0, y));
        let name = parameter_label(&r.parameter, chart.roles);
        text(root, &name, (lx - 14, ly - 13), 18.0, &BLACK, right)?;
        let missing = |p: Option<f64>| if p.is_some() { "" } else { " (无效 n/a)" };
        let (parameter, _) = split_parameter(&r.parameter, chart.roles);
        let values = format!(
            "{}   ↓ {}{}   ↑ {}{}",
            fmt_value(parameter, r.base_value),
            fmt_value(parameter, r.low_value),
            missing(r.p_low),
            fmt_value(parameter, r.high_value),
            missing(r.p_high),
        );
        text(root, &values, (lx - 14, ly + 13), 15.0, &MUTED, right)?;
    }
    if s.rows.is_empty() {
        let (px, py) = cc.backend_coord(&(0.5 * (x0 + x1), 0.0));
        text(
            root,
            "无参数 no parameter to shift",
            (px, py),
            18.0,
            &MUTED,
            centre,
        )?;
    }
    // The base probability.
    cc.draw_series(std::iter::once(PathElement::new(
        [(base, -0.5), (base, n as f64 - 0.5)],
        BASE.stroke_width(2),
    )))
    .map_err(err)?;
    let (bx, by) = cc.backend_coord(&(base, n as f64 - 0.5));
    text(
        root,
        &format!("基准 base {}", fmt_p(s.p_base)),
        (bx, by - 10),
        15.0,
        &BASE,
        Pos::new(HPos::Center, VPos::Bottom),
    )?;
    // Note.
    let (_, bottom) = root.dim_in_pixel();
    text(
        root,
        &format!(
            "{} paths, common random numbers: every bar uses the same paths as the base. 每根柱使用相同的模拟路径。",
            crate::units::group_thousands(s.paths as f64)
        ),
        (30, bottom as i32 - 22),
        14.0,
        &MUTED,
        left,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_s_parameters_are_named_by_role_in_both_languages_and_percent() {
        let roles = [
            ("new_energy_vehicle_output", "分子", "numerator"),
            ("automobile_output", "分母", "denominator"),
        ];
        assert_eq!(
            parameter_label("automobile_output growth", &roles),
            "分母增长率 denominator growth"
        );
        assert_eq!(
            parameter_label("new_energy_vehicle_output volatility", &roles),
            "分子波动率 numerator volatility"
        );
        assert_eq!(
            parameter_label("correlation", &roles),
            "相关系数 correlation"
        );
        assert_eq!(parameter_label("growth", &[]), "增长率 growth");
        let (name, _) = split_parameter("automobile_output growth", &roles);
        assert_eq!(fmt_value(name, 0.02), "2.0 %");
        assert_eq!(fmt_value("correlation", 0.5), "0.500");
    }
}

//! Charts. Every plotters call of goalcast lives in this module: fan charts of single
//! indicators ([`write_fan_chart`]) and a one-page dashboard of a document's targets
//! ([`write_dashboard`]), scenarios side by side ([`write_scenario_comparison`]),
//! sensitivity tornados ([`write_tornado`]) and growth curves
//! ([`write_growth_curves`]).
//!
//! Text is drawn with the bundled WenQuanYi Micro Hei font (Apache-2.0, see
//! `assets/fonts/`), so Chinese and Latin render identically on any machine, with or
//! without system fonts.

mod backtest;
mod dashboard;
mod fan;
mod font;
mod glyphs;
mod growth_curve;
mod scenarios;
mod tornado;

pub use backtest::{
    PitHistogram, PitPanel, Reliability, ReliabilityCurve, write_pit_histogram, write_reliability,
};
pub use dashboard::{
    AT_RISK_MIN, Dashboard, DashboardRow, ON_TRACK_MIN, Outlook, RowStatus, UNCERTAIN_MIN,
    display_order, reason_text, write_dashboard,
};
pub use fan::{FanChart, ShareFanChart, TargetMark, write_fan_chart, write_share_fan_chart};
pub use growth_curve::{GrowthCurves, write_growth_curves};
pub use scenarios::{ComparisonRow, ScenarioComparison, write_scenario_comparison};
pub use tornado::{TornadoChart, write_tornado};

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::{Error, Result};

/// The colours of the charts' series, in order; a chart with more series than colours
/// cycles through them.
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(33, 113, 181),
    RGBColor(217, 72, 1),
    RGBColor(35, 139, 69),
    RGBColor(136, 65, 157),
    RGBColor(206, 18, 86),
    RGBColor(99, 99, 99),
    RGBColor(140, 109, 49),
    RGBColor(23, 190, 207),
];

/// The result of drawing: errors are messages, turned into [`Error::Plot`] with the file.
type DrawResult = std::result::Result<(), String>;

/// Width of `s` in pixels at `size` in the bundled font, as drawn on `area`.
fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
) -> std::result::Result<i32, String> {
    let font = TextStyle::from((font::FAMILY, size).into_font());
    let (w, _) = area
        .estimate_text_size(s, &font)
        .map_err(|e| e.to_string())?;
    Ok(i32::try_from(w).unwrap_or(i32::MAX))
}

/// `s`, shortened with `…` so that it fits in `max_w` pixels.
pub(super) fn fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    max_w: i32,
) -> std::result::Result<String, String> {
    if text_width(root, s, size)? <= max_w {
        return Ok(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    // The longest prefix that fits with an ellipsis, by bisection on the char count.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(root, &candidate, size)? <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    // Cut Latin text at a word boundary when one is near.
    let mut cut = lo;
    if chars.get(lo).is_some_and(char::is_ascii_alphanumeric)
        && let Some(space) = chars[..lo].iter().rposition(|c| *c == ' ')
        && lo - space <= 12
    {
        cut = space;
    }
    let kept: String = chars[..cut].iter().collect();
    Ok(format!("{}…", kept.trim_end()))
}

/// Width of `s` in pixels at `size` in the bundled font, as plotters measures it
/// (advances and kerning), without a drawing area.
fn measure(s: &str, size: f64) -> std::result::Result<i32, String> {
    use ab_glyph::{Font, ScaleFont};
    let font = font::glyph_font()?.as_scaled(size as f32);
    let mut width = 0f32;
    let mut previous = None;
    for c in s.chars() {
        let id = font.glyph_id(c);
        width += font.h_advance(id);
        if let Some(p) = previous {
            width += font.kern(p, id);
        }
        previous = Some(id);
    }
    Ok(width as i32)
}

/// `head` followed by `items` joined by `separator`, broken into lines of at most
/// `max_w` pixels at `size`, between items (an item wider than a line is cut with `…`).
fn wrap(
    head: &str,
    items: &[String],
    separator: &str,
    size: f64,
    max_w: i32,
) -> std::result::Result<Vec<String>, String> {
    let mut lines = Vec::new();
    let mut line = head.to_string();
    let mut fresh = true;
    for item in items {
        let joined = if fresh {
            format!("{line}{item}")
        } else {
            format!("{line}{separator}{item}")
        };
        if measure(&joined, size)? <= max_w || (fresh && line.is_empty()) {
            line = joined;
        } else {
            lines.push(format!("{line}{separator}"));
            line = item.clone();
        }
        fresh = false;
        while measure(&line, size)? > max_w {
            // one item wider than the line: cut it
            let mut chars: Vec<char> = line.chars().collect();
            while !chars.is_empty()
                && measure(&(chars.iter().collect::<String>() + "…"), size)? > max_w
            {
                chars.pop();
            }
            line = chars.iter().collect::<String>() + "…";
        }
    }
    lines.push(line);
    Ok(lines)
}

/// What each chart module draws: its size and its drawing on any backend.
trait Drawing {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws on `root`; errors are messages.
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>;
}

/// Draws `chart` as `<stem>.png` and `<stem>.svg` in `dir`: both are drawn under
/// temporary names and renamed only when both succeeded, so a failure never destroys
/// earlier charts. Errors are [`Error::Plot`] naming the file.
fn write_png_svg(chart: &impl Drawing, dir: &Path, stem: &str) -> Result<[PathBuf; 2]> {
    let png = dir.join(format!("{stem}.png"));
    let svg = dir.join(format!("{stem}.svg"));
    let plot_err = |path: &Path| {
        let path = path.to_path_buf();
        move |reason: String| Error::Plot { path, reason }
    };
    font::ensure_registered().map_err(plot_err(&png))?;
    let size = chart.size();
    let tmp_png = dir.join(format!(".{stem}.tmp.png"));
    let tmp_svg = dir.join(format!(".{stem}.tmp.svg"));
    let drawn = (|| {
        {
            let mut rgb = vec![0u8; 3 * size.0 as usize * size.1 as usize];
            {
                let root =
                    glyphs::Glyphs(BitMapBackend::with_buffer(&mut rgb, size)).into_drawing_area();
                chart.draw_on(&root).map_err(plot_err(&png))?;
                root.present().map_err(|e| plot_err(&png)(e.to_string()))?;
            }
            encode_png(&rgb, size, &tmp_png).map_err(plot_err(&png))?;
        }
        {
            let root = SVGBackend::new(&tmp_svg, size).into_drawing_area();
            chart.draw_on(&root).map_err(plot_err(&svg))?;
            root.present().map_err(|e| plot_err(&svg)(e.to_string()))?;
        }
        for (tmp, path) in [(&tmp_png, &png), (&tmp_svg, &svg)] {
            std::fs::rename(tmp, path)
                .map_err(|e| plot_err(path)(format!("could not rename the drawn file: {e}")))?;
        }
        Ok(())
    })();
    if drawn.is_err() {
        // Best effort: the error being returned matters more than a leftover file.
        let _ = std::fs::remove_file(&tmp_png);
        let _ = std::fs::remove_file(&tmp_svg);
    }
    drawn.map(|()| [png, svg])
}

/// Writes 8-bit RGB pixels as a PNG file. Every row takes the Paeth filter: trying all
/// five filters on every row (the encoder's default) made the five seed documents'
/// charts 4 % smaller and was most of the cost of drawing them.
fn encode_png(
    rgb: &[u8],
    (width, height): (u32, u32),
    path: &Path,
) -> std::result::Result<(), String> {
    let file =
        std::fs::File::create(path).map_err(|e| format!("could not create the file: {e}"))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::FilterType::Paeth);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())
}

/// A figure as charts write it, with its unit: four significant digits, thousands
/// separated (`12,346 亿元`, `3.142 %`, `20,000` for a count).
///
/// ```
/// use goalcast::plot::format_figure;
/// assert_eq!(format_figure(12345.6, "亿元"), "12,346 亿元");
/// assert_eq!(format_figure(3.14159, "%"), "3.142 %");
/// assert_eq!(format_figure(20000.0, "count"), "20,000");
/// assert_eq!(format_figure(0.012345, "万吨"), "0.01235 万吨");
/// ```
pub fn format_figure(value: f64, unit: &str) -> String {
    let number = if !value.is_finite() || value.abs() >= 1000.0 {
        crate::units::group_thousands(value)
    } else if value == 0.0 {
        "0".into()
    } else {
        let decimals = (3 - value.abs().log10().floor() as i32).max(0) as usize;
        let text = format!("{value:.decimals$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    };
    match unit {
        "" | "count" => number,
        unit => format!("{number} {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_every_item_once() {
        let items: Vec<String> = (0..30).map(|i| format!("目标名称 {i} (2028)")).collect();
        let lines = wrap("仅记录 recorded（30）：", &items, "、", 14.0, 400).unwrap();
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(measure(line, 14.0).unwrap() <= 400, "{line}");
        }
        let all = lines.concat();
        assert!(all.starts_with("仅记录 recorded（30）：目标名称 0 (2028)、"));
        for item in &items {
            assert_eq!(all.matches(item.as_str()).count(), 1, "{item}");
        }
        assert_eq!(all.matches("、").count(), 29);
        // one item too wide for a line is cut, not dropped
        let long = wrap("", &["x".repeat(500)], "、", 14.0, 100).unwrap();
        assert_eq!(long.len(), 1);
        assert!(long[0].ends_with('…') && measure(&long[0], 14.0).unwrap() <= 100);
    }
}

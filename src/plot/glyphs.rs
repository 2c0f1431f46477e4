//! A drawing backend that places every glyph by its own outline, so that Latin text is
//! evenly spaced in bitmaps.
//!
//! plotters 0.3.7 draws a glyph's pixels from its pen position, dropping the glyph's
//! left side bearing and the fraction of a pixel where the pen lies (`font/ab_glyph.rs`
//! uses the outline's top edge but not its left edge): narrow letters (`i`, `l`, `t`)
//! then sit too far left, and text reads "mi lestone", "scenari o". [`Glyphs`] wraps a
//! backend and draws text itself: each glyph positioned at its pen position (advances
//! and kerning as plotters measures them, so layout and [`super::text_width`] agree),
//! its pixels from its own pixel bounds. Everything else goes to the wrapped backend
//! unchanged. SVG keeps text as text and needs none of this.

use ab_glyph::{Font, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle};
use plotters_backend::{DrawingBackend, DrawingErrorKind};

use super::font;

/// `B`, with text drawn glyph by glyph from each glyph's own bounds.
pub(super) struct Glyphs<B>(pub(super) B);

/// Each covered pixel of `text` at `size` pixels, as `(x, y, coverage)` relative to the
/// top left of its layout box (the box plotters measures: advances plus kerning wide,
/// `size / 1.24` high, the baseline where plotters puts it).
pub(super) fn coverage(text: &str, size: f64) -> Result<Vec<(i32, i32, f32)>, String> {
    let font = font::glyph_font()?.as_scaled(size as f32);
    let mut pixels = Vec::new();
    let mut pen = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            pen += font.kern(p, id);
        }
        previous = Some(id);
        let glyph = id.with_scale_and_position(font.scale(), point(pen, 0.0));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            // plotters' vertical placement, so that text stays where layouts expect it
            let y0 = ((size as f32) / 2.0 + bounds.min.y) as i32;
            let x0 = bounds.min.x as i32;
            outline.draw(|x, y, a| pixels.push((x0 + x as i32, y0 + y as i32, a)));
        }
        pen += font.h_advance(id);
    }
    Ok(pixels)
}

impl<B: DrawingBackend> DrawingBackend for Glyphs<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.0.estimate_text_size(text, style)
    }

    /// plotters' own `draw_text` (anchor, transform, clipping), with the glyphs of
    /// [`coverage`].
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let font_error = |e: String| DrawingErrorKind::FontError(e.into());
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        for (x, y, a) in coverage(text, style.size()).map_err(font_error)? {
            let (x, y) = transform.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                self.0.draw_pixel((x, y), color.mix(f64::from(a)))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// plotters 0.3.7's own placement (`font/ab_glyph.rs`): each glyph drawn at the
    /// truncated pen position, its left bearing dropped.
    fn plotters_coverage(text: &str, size: f64) -> Vec<(i32, i32, f32)> {
        let font = font::glyph_font().unwrap().as_scaled(size as f32);
        let (mut pixels, mut pen) = (Vec::new(), 0f32);
        for c in text.chars() {
            if let Some(q) = font.outline_glyph(font.scaled_glyph(c)) {
                let y0 = ((size as f32) / 2.0 + q.px_bounds().min.y) as i32;
                q.draw(|x, y, a| pixels.push((x as i32 + pen as i32, y as i32 + y0, a)));
            }
            pen += font.h_advance(font.glyph_id(c));
        }
        pixels
    }

    /// The gaps between inked runs of columns in `text`'s pixels.
    fn gaps_of(pixels: &[(i32, i32, f32)]) -> Vec<i32> {
        let max = pixels.iter().map(|p| p.0).max().unwrap();
        let inked: Vec<bool> = (0..=max)
            .map(|x| pixels.iter().any(|&(px, _, a)| px == x && a > 0.3))
            .collect();
        let mut gaps = Vec::new();
        let (mut run, mut seen) = (0, false);
        for &ink in &inked {
            if ink {
                if run > 0 && seen {
                    gaps.push(run);
                }
                (run, seen) = (0, true);
            } else {
                run += 1;
            }
        }
        gaps
    }

    /// The widest gap between letters less the narrowest, over words that plotters
    /// spaced unevenly, at the sizes charts use.
    fn worst_spread(place: impl Fn(&str, f64) -> Vec<(i32, i32, f32)>) -> i32 {
        let mut worst = 0;
        for size in [14.0, 15.0, 16.0, 17.0, 18.0, 20.0] {
            for word in ["milestone", "scenario", "median"] {
                let g = gaps_of(&place(word, size));
                let spread = g.iter().max().unwrap() - g.iter().min().unwrap();
                worst = worst.max(spread);
            }
        }
        worst
    }

    #[test]
    fn letters_are_evenly_spaced() {
        // within two pixels at every size; plotters' own placement is not (the same
        // measure shows its "mi lestone")
        assert!(worst_spread(|t, s| coverage(t, s).unwrap()) <= 2);
        assert!(worst_spread(plotters_coverage) > 2);
    }

    #[test]
    fn text_stays_within_its_measured_box() {
        let pixels = coverage("scenario milestone 12,345", 16.0).unwrap();
        let width: f32 = {
            let font = font::glyph_font().unwrap().as_scaled(16.0);
            "scenario milestone 12,345"
                .chars()
                .map(|c| font.h_advance(font.glyph_id(c)))
                .sum()
        };
        assert!(
            pixels
                .iter()
                .all(|p| p.0 >= -1 && p.0 as f32 <= width + 1.0)
        );
    }
}

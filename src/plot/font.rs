use std::sync::OnceLock;

use plotters::style::FontStyle;

/// WenQuanYi Micro Hei 0.2.0-beta (Debian package `fonts-wqy-microhei`), covering CJK and Latin.
static FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// The family name charts ask for; mapped to the bundled font.
pub(crate) const FAMILY: &str = "sans-serif";

/// The bundled font for drawing glyphs directly ([`super::glyphs`]).
pub(crate) fn glyph_font() -> Result<&'static ab_glyph::FontRef<'static>, String> {
    static GLYPHS: OnceLock<Result<ab_glyph::FontRef<'static>, String>> = OnceLock::new();
    GLYPHS
        .get_or_init(|| {
            ab_glyph::FontRef::try_from_slice(FONT)
                .map_err(|_| "the bundled font could not be loaded".to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Registers the bundled font once per process.
pub(crate) fn ensure_registered() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            for style in [FontStyle::Normal, FontStyle::Bold] {
                plotters::style::register_font(FAMILY, style, FONT)
                    .map_err(|_| "the bundled font could not be loaded".to_string())?;
            }
            Ok(())
        })
        .clone()
}

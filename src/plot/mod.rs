//! Charts. Every plotters call of goalcast lives in this module.
//!
//! Text is drawn with the bundled WenQuanYi Micro Hei font (Apache-2.0, see
//! `assets/fonts/`), so Chinese and Latin render identically on any machine, with or
//! without system fonts.

mod fan;
mod font;

pub use fan::{FanChart, TargetMark, write_fan_chart};

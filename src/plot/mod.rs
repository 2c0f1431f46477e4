//! Charts. Every plotters call of goalcast lives in this module: fan charts of single
//! indicators ([`write_fan_chart`]) and a one-page dashboard of a document's targets
//! ([`write_dashboard`]).
//!
//! Text is drawn with the bundled WenQuanYi Micro Hei font (Apache-2.0, see
//! `assets/fonts/`), so Chinese and Latin render identically on any machine, with or
//! without system fonts.

mod dashboard;
mod fan;
mod font;
mod tornado;

pub use dashboard::{
    AT_RISK_MIN, Dashboard, DashboardRow, ON_TRACK_MIN, Outlook, RowStatus, UNCERTAIN_MIN,
    display_order, reason_text, write_dashboard,
};
pub use fan::{FanChart, TargetMark, write_fan_chart};
pub use tornado::{TornadoChart, write_tornado};

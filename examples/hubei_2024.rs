//! The main job: the goals of the Hubei 2024 opinions on new quality productive forces (seed 000), simulated under the history-based scenario; tables, fan charts and the dashboard go to `out/hubei_2024/`.
//!
//! The document dates its goals by 力争未来五年 only: the catalogue reads 2024–2028 (deadline 2028); the other reading, 2025–2029 (`data/overrides/000_deadline_2029.toml`), is run next into `out/hubei_2024_deadline_2029/`, and both summaries are printed.
//!
//! ```text
//! cargo run --release --example hubei_2024
//! ```

mod common;

fn main() -> anyhow::Result<()> {
    common::run("hubei_2024")
}

//! The goals of Hubei's 14th five-year plan for science and technology (seed 003), 2021–2025; output in `out/hubei_sci_tech_2025/`.
//!
//! Two of the digits the scraped text lost are supplied as an official summary of the plan states them (`data/overrides/003_official_summaries.toml`, each with its source); the others stay unread.
//!
//! ```text
//! cargo run --release --example hubei_sci_tech_2025
//! ```

mod common;

fn main() -> anyhow::Result<()> {
    common::run("hubei_sci_tech_2025")
}

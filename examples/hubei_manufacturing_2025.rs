//! The goals of Hubei's 14th five-year plan for manufacturing (seed 002), 2021–2025; output in `out/hubei_manufacturing_2025/`.
//!
//! ```text
//! cargo run --release --example hubei_manufacturing_2025
//! ```

mod common;

fn main() -> anyhow::Result<()> {
    common::run("hubei_manufacturing_2025")
}

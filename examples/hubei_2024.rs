//! The main job: the goals of the Hubei 2024 opinions on new quality productive forces (seed 000), simulated under the history-based scenario; tables, fan charts and the dashboard go to `out/hubei_2024/`.
//!
//! ```text
//! cargo run --release --example hubei_2024
//! ```

mod common;

fn main() -> anyhow::Result<()> {
    common::run("hubei_2024")
}

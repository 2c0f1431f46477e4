//! The goals of Ezhou's 2024 plan for new quality productive forces (seed 001), to 2029; output in `out/ezhou_2029/`.
//!
//! ```text
//! cargo run --release --example ezhou_2029
//! ```

mod common;

fn main() -> anyhow::Result<()> {
    common::run("ezhou_2029")
}

//! The goals of Huangshi's draft opinions on an innovation-strong city (seed 004), to 2030; output in `out/huangshi_2030/`.
//!
//! ```text
//! cargo run --release --example huangshi_2030
//! ```

mod common;

fn main() -> anyhow::Result<()> {
    common::run("huangshi_2030")
}

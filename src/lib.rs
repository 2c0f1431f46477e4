//! # goalcast
//!
//! With what probability is a government's quantitative goal reached by its deadline?
//! goalcast holds goals as data (baseline, target, deadline, unit, source quote), models
//! each indicator as a compound-growth path — deterministic or stochastic — runs Monte
//! Carlo paths in parallel, reproducibly, and reports the probability of reaching each
//! goal beside its closed form, the growth it would take, and fan charts.
//!
//! ## Quick start
//!
//! Read the goals of a document, the published history and a scenario of growth
//! assumptions; assess; read one target's answer:
//!
//! ```
//! use goalcast::prelude::*;
//! let history   = History::from_path("data/history.csv")?;
//! let catalogue = Catalogue::from_path("data/catalogue/000_hubei_2024.csv")?.with_history(&history)?;
//! let scenario  = Scenario::from_path("data/scenarios/hubei_2024.toml")?;
//! let run = Assessor::new(&catalogue, &scenario).paths(100_000).seed(1).run()?;
//! let rd  = run.target("000_rd_expenditure_growth")?;   // typed error if unknown or not simulated
//! println!("P = {:.3} ± {:.3}", rd.p_reach, rd.p_reach_se);
//! # assert!((rd.p_reach - rd.p_reach_closed_form.unwrap()).abs() < 4.0 * rd.p_reach_se + 1e-3);
//! # assert!(matches!(run.target("000_no_such_goal"), Err(Error::UnknownTarget { .. })));
//! # Ok::<(), goalcast::Error>(())
//! ```
//!
//! A target that was not simulated says why ([`Unsimulated`] prints as a sentence), and
//! an [`Observer`](assess::Observer) passed to [`Assessor::observer`] is told of a long
//! run's progress.
//!
//! ## Layers
//!
//! Modules depend only on modules below them (checked by `tests/architecture.rs`; the
//! page `ARCHITECTURE.md` says what each owns and where new things go):
//!
//! | layer | modules |
//! |---|---|
//! | errors and units | [`error`], [`units`] |
//! | random streams | [`random`] |
//! | what is measured and required | [`indicator`], [`target`], [`stats`], [`analytic`], [`official`] (the published progress assessments, from history) |
//! | growth processes | [`process`] |
//! | inputs, calibration and scenarios | [`io`] (readers, CSV cells), [`calibrate`], [`scenario`], [`reference`] (estimates for unstated indicators) |
//! | the simulation engine | [`sim`] |
//! | analyses | [`analysis`] |
//! | assessment | [`assess`](mod@assess) |
//! | consistency checks | [`check`] |
//! | report and charts | [`report`] (tables, manifest, a whole run), [`plot`] |
//! | the command line | `src/bin/goalcast.rs` |
//!
//! [`guide`] holds the methodology, file formats and reproducibility, written out.

#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
pub mod analytic;
pub mod assess;
pub mod backtest;
pub mod calibrate;
pub mod check;
pub mod error;
pub mod guide;
pub mod indicator;
pub mod io;
pub mod official;
pub mod plot;
pub mod process;
pub mod random;
pub mod reference;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod target;
pub mod units;

pub use assess::{Assessment, Assessor, Evaluation, assess};
pub use error::{Error, Result};
pub use io::catalogue::Catalogue;
pub use io::history::History;
pub use io::jurisdictions::Jurisdictions;
pub use scenario::Scenario;
pub use sim::RunSettings;
pub use target::Unsimulated;

/// The seed used when none is given: the issue date of the Hubei 2024 opinions (seed 000).
pub const DEFAULT_SEED: u64 = 20_240_421;

/// Paths per indicator when none is given: standard errors of at most 0.16 percentage points.
pub const DEFAULT_PATHS: u64 = 100_000;

/// What most programs need, in one import: `use goalcast::prelude::*;`.
pub mod prelude {
    pub use crate::assess::{Assessment, Assessor, Evaluation, Event, Observer, TargetOutcome};
    pub use crate::error::{Error, Result};
    pub use crate::io::catalogue::Catalogue;
    pub use crate::io::history::History;
    pub use crate::io::jurisdictions::Jurisdictions;
    pub use crate::scenario::Scenario;
    pub use crate::sim::{QuantileMode, RunSettings};
    pub use crate::target::{Target, TargetKind, Unsimulated};
}

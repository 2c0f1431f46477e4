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
//! ```
//! use goalcast::{assess, Catalogue, RunSettings, Scenario};
//!
//! let catalogue = Catalogue::from_reader(
//!     "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote\n\
//!      rd,rd_expenditure,Hubei,研发经费投入,R&D expenditure,亿元,growth,>=,2022,1254.7,14,2027,000,年均增长14%以上\n"
//!         .as_bytes(),
//!     "inline.csv",
//! )?;
//! let scenario = Scenario::from_toml_str(
//!     "[indicators.rd_expenditure]\nmodel = \"lognormal\"\ngrowth_pct = 12.0\nvolatility_pct = 4.0\n",
//!     "inline.toml",
//! )?;
//! let result = assess(&catalogue, &scenario, RunSettings { paths: 20_000, seed: 1, ..Default::default() })?;
//! let e = result.targets[0].result.as_ref().unwrap();
//! // Monte Carlo and the closed form agree within a few standard errors.
//! let exact = e.p_reach_closed_form.unwrap();
//! assert!((e.p_reach - exact).abs() < 4.0 * e.p_reach_se + 1e-3);
//! assert!(e.p_reach < 0.5); // 12 % central growth rarely delivers 14 % a year
//! # Ok::<(), goalcast::Error>(())
//! ```
//!
//! ## Modules
//!
//! Data flows one way: files → [`Catalogue`] and [`Scenario`] → [`sim`] engine →
//! [`Assessment`] → tables and charts ([`report`]).
//!
//! * [`indicator`], [`target`]: what is measured and what is required of it.
//! * [`process`]: growth models; [`analytic`]: their closed forms.
//! * [`calibrate`]: growth and volatility estimated from history, with standard errors.
//! * [`scenario`]: assumptions from TOML, checked once.
//! * [`sim`]: per-path random streams and the parallel engine; [`stats`]: quantiles.
//! * [`assess`](mod@assess): the whole analysis in one call.
//! * [`check`]: consistency checks of a catalogue (implied figures, restated goals, parts and wholes, missing data).
//! * [`io`], [`plot`], [`report`]: files in and out.
//! * [`guide`]: methodology, file formats and reproducibility, written out.

#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
pub mod analytic;
pub mod assess;
pub mod calibrate;
pub mod check;
pub mod error;
pub mod guide;
pub mod indicator;
pub mod io;
pub mod plot;
pub mod process;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod target;

pub use assess::{Assessment, RunSettings, assess};
pub use error::{Error, Result};
pub use io::catalogue::Catalogue;
pub use scenario::Scenario;

/// The seed used when none is given: the issue date of the Hubei 2024 opinions (seed 000).
pub const DEFAULT_SEED: u64 = 20_240_421;

/// Paths per indicator when none is given: standard errors of at most 0.16 percentage points.
pub const DEFAULT_PATHS: u64 = 100_000;

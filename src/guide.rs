//! Guide pages: documentation only.
//!
//! # Methodology
//!
//! **Indicators and targets.** An indicator X (R&D spending of Hubei, in 亿元) has a
//! last known value `X[0]` in year `y0`. A target requires, in its deadline year T, that
//! `X[T] ≥ K` (or `≤ K`), where the level K follows from the kind:
//!
//! | kind | K |
//! |---|---|
//! | `level` | the stated level |
//! | `growth` g % a year from base year B | `X[B] · (1 + g)^(T − B)` |
//! | `increase` by p % from B | `X[B] · (1 + p)` |
//! | `decline` by d % from B | `X[B] · (1 − d)`, comparator `≤` |
//!
//! `X[B]` is the stated base value when B ≤ y0 (or `X[0]` when B = y0). When B is after
//! the last known year, K is the path's own simulated `X[B]` times the factor, so the
//! growth is measured from the year the document measures it from.
//!
//! **Processes.** Paths move in yearly steps of log-growth `r[t] = ln(X[t+1]/X[t])`:
//!
//! * deterministic: `r[t] = ln(1+g)`;
//! * lognormal: `r[t] ~ Normal(ln(1+g), σ²)`, independent across years.
//!
//! g is the **central (median) growth**: the deterministic path at g is the median path
//! of the lognormal model, and the mean level exceeds it by `exp(σ²t/2)`. A scenario's
//! `growth_pct` is g in percent, `volatility_pct` is σ in percent of log-growth.
//!
//! **Probabilities.** Over N paths, `p_reach = hits / N` with standard error
//! `√(p(1−p)/N)`; `p_reach_by` is the share of paths on which the target holds in at
//! least one year after the base up to T; `first_reached` is the distribution of the
//! first such year. For the lognormal model
//!
//! `P(X[T] ≥ K) = Φ((ln(X[0]/K) + n·ln(1+g)) / (σ√n))`, n = T − y0,
//!
//! and `P(X[T] ≤ K)` is its complement; for a target measured from a simulated base year
//! B the same formula holds with `X[0]/K` replaced by `1/factor` and n = T − B. This is
//! `p_reach_closed_form`, reported beside every Monte Carlo figure. Comparisons allow a
//! tolerance of 1e-9 in log-level in the goal's favour so that a deterministic path
//! landing exactly on a target reaches it.
//!
//! **Required growth.** `required_growth_pct` is the constant annual growth taking the
//! base to K by T: `(K/X[0])^(1/n) − 1`.
//!
//! **Quantiles** of the level in each year are NumPy's default (Hyndman–Fan type 7),
//! computed exactly over all paths: for sorted levels `x[0..N]`, `h = (N−1)p`,
//! `q = x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`.
//!
//! # Data formats
//!
//! * Catalogue CSV: see `data/README.md` (columns `id, indicator, jurisdiction, name_zh,
//!   name_en, unit, kind, comparator, base_year, base_value, target_value, deadline,
//!   document, quote`, optional `denominator, uncertain, note`). `growth`, `increase`
//!   and `decline` values are in percent.
//! * Scenario TOML: see [`crate::scenario`].
//! * Outputs: `summary.csv` (columns [`crate::io::results::SUMMARY_COLUMNS`]),
//!   `quantiles.csv`, `first_reached.csv`, `manifest.json`, `fan_<jurisdiction>_<indicator>.png/.svg`.
//!
//! # Reproducibility
//!
//! Path i of indicator key k under seed s draws from its own Xoshiro256++ generator
//! seeded from (s, FNV-1a(k), i) through bijective mixing ([`crate::sim::path_rng`]).
//! Paths are processed in fixed chunks; per-path levels are stored by index and hits are
//! counted as integers, so outputs are byte-identical for any number of threads, and a
//! run with more paths reproduces the first paths of a shorter one exactly. The default
//! seed is [`crate::DEFAULT_SEED`]. `manifest.json` records the version, seed, paths,
//! generator and SHA-256 of every input.

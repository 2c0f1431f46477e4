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
//! The other kinds compare another quantity with their figure:
//!
//! | kind | condition |
//! |---|---|
//! | `share` of denominator D, s % | `X[T]/D[T] ≥ s/100`; X and D simulated jointly (correlated when the scenario says so) |
//! | `cumulative` total V from B | `Σ_{t=B+1..T} X[t] ≥ V`; years up to y0 are taken from history, the rest simulated (`V − known` remains) |
//! | `per_year` minimum m from B | `X[t] ≥ m` in every year t = B+1..T (observed years from history; a miss there is `already_missed`) |
//! | `growth_every_year` g % from B | `X[t]/X[t−1] ≥ 1+g` in every year (as distinct from average growth) |
//! | `rank`, `milestone` | recorded, not simulated |
//!
//! **Counts** (unit `count`) stay whole numbers: `round(X) ≥ K` ⟺ `X ≥ ⌈K⌉ − ½` (and
//! `round(X) ≤ K` ⟺ `X ≤ ⌊K⌋ + ½`), so thresholds are moved by the half unit and
//! quantiles are of rounded levels.
//!
//! **Shares, closed form.** With N and D lognormal (central growths g_N, g_D,
//! volatilities σ_N, σ_D, shock correlation ρ, n_N and n_D years simulated, n = min),
//! `ln(N[T]/D[T])` is normal with mean `ln(N0/D0) + n_N ln(1+g_N) − n_D ln(1+g_D)` and
//! variance `n_N σ_N² + n_D σ_D² − 2ρ σ_N σ_D n`, so
//! `P(N[T]/D[T] ≥ s) = Φ((mean − ln s)/√variance)`.
//!
//! **Processes.** Paths move in yearly steps of log-growth `r[t] = ln(X[t+1]/X[t])`:
//!
//! * deterministic: `r[t] = ln(1+g)`;
//! * lognormal: `r[t] ~ Normal(ln(1+g), σ²)`, independent across years.
//!
//! g is the **central (median) growth**: the deterministic path at g is the median path
//! of the lognormal model, and the mean level exceeds it by `exp(σ²t/2)`. A scenario's
//! `growth_pct` is g in percent, `volatility_pct` is σ in percent of log-growth.
//! Write `μ = ln(1+g)`, `z[t]` the engine's standard-normal shocks (correlated across
//! indicators by a scenario's `[correlation]` matrix C through its Cholesky factor L,
//! `z = L·ε`), and `S[n] = r[0] + … + r[n−1]` the n-year log-growth.
//!
//! * **AR(1)** (`ar1`; persistence φ, |φ| < 1; σ the *marginal* sd of a year's
//!   log-growth): `d[0] = σ·z[0]` (the stationary start), `d[t] = φ·d[t−1] + σ√(1−φ²)·z[t]`,
//!   `r[t] = μ + d[t]`. `S[n] ~ Normal(nμ, V)` with
//!   `V = σ²·[n(1+φ)/(1−φ) − 2φ(1−φⁿ)/(1−φ)²] = σ_e²/(1−φ)²·[n − 2φ(1−φⁿ)/(1−φ²)]`,
//!   `σ_e = σ√(1−φ²)` (from `Cov(r[s], r[t]) = σ²φ^|s−t|`), so
//!   `P(X[n] ≥ K) = Φ((ln(X[0]/K) + nμ)/√V)`. The start does not condition on the last
//!   observed growth.
//! * **Student-t** (`student_t`; ν > 2): `r[t] = μ + σ·z[t]·√((ν−2)/W[t])`,
//!   `W[t] ~ χ²_ν`, i.e. σ times a t variable scaled to unit variance
//!   (`t·√((ν−2)/ν)`, `t = z/√(W/ν)`). The median is still μ; one year:
//!   `P(X[1] ≥ K) = F_ν((ln(X[0]/K) + μ)/(σ√((ν−2)/ν)))`; n years: mean nμ, variance nσ²,
//!   excess kurtosis `6/((ν−4)n)` (ν > 4).
//! * **Rare shocks** (`rare_shock`; yearly probability p, fall `drop`):
//!   `r[t] = μ + σ·z[t] + J[t]·ln(1−drop)`, `J[t] ~ Bernoulli(p)` independent; g is the
//!   growth of a year without a shock.
//!   `P(X[n] ≥ K) = Σ_{k=0}^{n} C(n,k)pᵏ(1−p)ⁿ⁻ᵏ·Φ((ln(X[0]/K) + nμ + k·ln(1−drop))/(σ√n))`.
//! * **Parameter uncertainty** (`uncertain`; estimates ĝ, SE(ĝ), σ̂, optionally ν = n − 1):
//!   once per path, `σ = σ̂` (or `σ = σ̂·√(ν/W)`, `W ~ χ²_ν`: the scaled-inverse-χ²
//!   posterior of σ², not the sampling law `σ̂·√(W/ν)`), `μ = μ̂ + SE(μ̂)·(σ/σ̂)·u`,
//!   `u ~ Normal(0, 1)`, `μ̂ = ln(1+ĝ)`, `SE(μ̂) = SE(ĝ)/(1+ĝ)`; then `r[t] = μ + σ·z[t]`.
//!   `S[n] − nμ̂ = √(nσ̂² + n²·SE(μ̂)²)·Y` with Y standard normal (σ fixed) or Student-t
//!   on ν degrees of freedom, so `P(X[n] ≥ K) = F((ln(X[0]/K) + nμ̂)/√(nσ̂² + n²SE(μ̂)²))`,
//!   F = Φ or `F_ν`: the growth uncertainty adds a variance growing with n².
//! * **Bounded share** (`bounded_share`; bound U, default 100): the logit
//!   `L[t] = ln(s[t]/(U − s[t]))` moves by `r[t] = μ + σ·z[t]`, `s[t] = U/(1 + e^(−L[t]))`,
//!   so `0 < s < U` on every path. g is the central growth of the odds `s/(U − s)`, about
//!   the share's own growth while it is far below U; the median path is
//!   `U/(1 + e^(−(L[0] + tμ)))`, and `g = exp((L(m) − L(s[0]))/T) − 1` puts the median at m
//!   in T years ([`crate::process::BoundedShare::odds_growth_for`]).
//!   `P(s[n] ≥ K) = Φ((L[0] + nμ − ln(K/(U − K)))/(σ√n))`.
//!
//! [`crate::process::Model::p_reach`] evaluates these closed forms, and
//! `tests/processes.rs` checks each against the simulation over 50 random parameter
//! sets (and checks that a deliberately broken variant of each fails).
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
//! **Shares above 100 %.** A share goal's numerator and denominator are simulated as two
//! levels, so a path can carry the numerator past its denominator, a share no economy
//! shows (most often where the numerator rests on a wide prior). For every share goal
//! the run counts those paths at the deadline over all N, `p_share_over_100 = O / N`,
//! and the chance on the other paths, `p_reach_coherent = M / (N − O)`, where M counts
//! the paths below 100 % that meet the goal: `hits − O` for a `≥` goal (its threshold is
//! at most 100 %, so every path above 100 % meets it), `hits` for a `≤` goal. For
//! independent lognormals, ln(X[T]/D[T]) is normal with mean ln(s₀) + n(μ_X − μ_D) and
//! variance n(σ_X² + σ_D²), and both have closed forms (`tests/shares.rs` checks them
//! over random parameter sets, and that a form without the denominator's volatility
//! fails). `p_reach` itself is unchanged; the terminal summary names every share goal
//! with more than 1 % of its paths above 100 %.
//!
//! **Required growth.** `required_growth_pct` is the constant annual growth taking the
//! base to K by T: `(K/X[0])^(1/n) − 1`.
//!
//! **Quantiles** of the level in each year are NumPy's default (Hyndman–Fan type 7),
//! computed exactly over all paths: for sorted levels `x[0..N]`, `h = (N−1)p`,
//! `q = x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])` (`--quantiles exact`; memory 8 bytes
//! per indicator, year and path). `--quantiles streaming` keeps, per indicator and year,
//! a histogram of equal bins of log-level over the range of the first 1024 paths widened
//! by a quarter on each side ([`crate::stats::LogBins::for_streaming`]: 8192 bins, more
//! where the spread needs them, each at most ln 1.001 wide); the k-th of c values in a
//! bin is placed at (k+½)/c of it, so each order statistic is within one bin width of the
//! truth: a relative error of the level of at most 1e-3 at every reported quantile
//! (tested for every process in `tests/quantile_modes.rs`), with memory independent of
//! N. `--quantiles auto`, the default, runs exact quantiles while they need at most
//! 64 MB (decided once for the whole run's paths) and streaming ones beyond;
//! `summary.csv` (`quantile_method`, `quantile_max_rel_error`) and `manifest.json` say
//! which ran and how accurate it is.
//!
//! # Assumptions for indicators a scenario leaves unstated
//!
//! An indicator without a table of its own in the scenario (and no `growth_pct` in
//! `[defaults]`) is estimated ([`crate::reference`]): from its own history when it has
//! three intervals or more (two for a share, on its odds), with parameter uncertainty;
//! else from its reference class; else from all classes pooled. `assumption_basis` in
//! `summary.csv` says which. From the shipped `data/history.csv` (series with enough
//! data; figures in percent a year; the prior's SE adds the between-series spread to the
//! least certain member's own, and its volatility is the largest member's):
//!
//! | class | series | central growth | between-series sd | SE of a new member's growth | volatility | series used |
//! |---|---:|---:|---:|---:|---:|---|
//! | `money_flows` | 5 | 15.0 | 7.8 | 10.1 | 18.0 | Hubei GDP, high-tech industry value added, trade, R&D spending, technology contracts |
//! | `capacities` | 3 | 23.5 | 6.4 | 14.1 | 24.0 | Hubei invention patents per 10,000 people, NEV output; Wuhan port containers |
//! | `shares` (odds) | 4 | 8.8 | 3.1 | 8.5 | 24.5 | Huangshi high-tech VA share; Hubei science literacy, digital-economy share, R&D intensity |
//! | all classes pooled (shares apart) | 11 | 20.1 | 9.8 | 15.8 | 24.5 | the series above and Hubei high-tech enterprises, technology SMEs, R&D personnel |
//!
//! `enterprises` (2 series), `people` (1) and `institutions` (0) have too few series for
//! a prior of their own: their indicators take the pooled prior, labelled `prior: all
//! classes (11 series; enterprises has 2)`. These priors are wide on purpose: a goal
//! answered by a prior says how much the answer depends on an assumption no data of the
//! indicator supports; its `base_needed` and probability should be read with the
//! label.
//!
//! Goals of growth, an increase, a decline or growth in every year on an indicator with
//! no known level need none: paths start at 1 in the base year (`start_basis`
//! `index (B = 1)`). Goals that do need a level get the base that would give them a 50 %
//! and an 80 % chance (`base_needed_p50`, `base_needed_p80`; formulas at
//! [`crate::assess::BaseNeeded`]; on the logit scale for a bounded share).
//!
//! # Calibration, as-of runs and the backtest
//!
//! **Calibrated assumptions.** `model = "calibrated"` in a scenario table asks a run to
//! estimate the indicator's central growth and volatility from its history when it loads
//! it (the estimator of [`crate::calibrate`]: growth as the average log-growth, gaps
//! spread evenly; volatility with n − 1 degrees of freedom), optionally in a `window =
//! [first, last]`, without the growth into `exclude = [2020]`, from another series
//! (`from = "Hubei/high_tech_enterprises"` for a city that publishes none), moved by
//! `growth_shift_pct` and with volatility scaled by `volatility_scale` (what a variant
//! such as "two points faster than the trend" or "wider swings" sets). Nobody copies
//! numbers by hand. `goalcast calibrate --history FILE [--catalogue FILE…]
//! [--indicators …] [--window A-B] [--exclude YEARS] [--as-of YEAR] --out s.toml` writes
//! the same estimates as a scenario file that runs as it is, plus
//! `s_calibration.csv/.txt` (estimates, standard errors, n, window, AR(1) where a run of
//! eight one-year growths allows it); a series it cannot calibrate is a comment saying
//! why.
//!
//! **Parameter uncertainty by default.** Below [`crate::reference::SHORT_SERIES`] (10)
//! intervals — every provincial series — a calibrated indicator draws, per path, its
//! central growth and volatility from their estimation distribution
//! ([`crate::process::UncertainGrowth`]; the model column says `uncertain`): the forecast
//! of `ln X` k years ahead is then Student t with n − 1 degrees of freedom and scale
//! `√(kσ̂² + k²·SE(μ̂)²)` instead of normal with `σ̂√k`. The evidence for the rule is the
//! backtest below: on the shipped history, bands that take the estimates as true cover
//! the observed value 66 % of the time where they claim 90 %.
//!
//! **As of a year.** `--as-of YEAR` (on `run`, `check`, `calibrate`) uses only what was
//! known at the end of that year — history, document and override values, for bases
//! and estimates — and says so in the manifest (`as_of`) and on the dashboard: what
//! goalcast would have said then. A run with `--as-of 2021` on a history that goes on to
//! 2025 writes the same tables as the run on the history cut at 2021
//! (`tests/trust.rs`).
//!
//! **The backtest.** `goalcast backtest --history FILE [--origins 2017-2021]
//! [--horizons 1-3] [--catalogue … --scenario …] --out DIR` replays, for every series
//! with three intervals before an origin, what each method would have forecast for each
//! horizon, and scores it against the value observed ([`crate::backtest`]): goalcast,
//! goalcast without parameter uncertainty, a random walk with drift and Eurostat's
//! deterministic CAGR rule. How to read `backtest_summary.txt`:
//!
//! * **Coverage.** A calibrated forecaster's 90 % bands hold the observed value 90 % of
//!   the time and its 50 % bands half of the time. The table gives each coverage with its
//!   95 % binomial (Wilson) interval: with 32 forecasts a coverage of 0.94 has the
//!   interval [0.80, 0.98], so a small sample cannot prove calibration — it can only
//!   fail to reject it, or reject it (the fixed-parameter bands' 0.66 [0.48, 0.80]
//!   excludes 0.90). Forecasts of one series from overlapping origins are not
//!   independent, so the true uncertainty is wider than the interval shown.
//! * **PIT histogram** (`pit_histogram.png`): flat when calibrated; a U shape (values
//!   piling up at 0 and 1) means bands too narrow, a hump in the middle bands too wide,
//!   a slope a biased centre. Mean PIT above 0.5 means outcomes above the median more
//!   often than not (growth underestimated).
//! * **CRPS** of the log-level: the error of the whole forecast distribution in relative
//!   terms (a point forecast's CRPS is its absolute error); lower is better, and it
//!   rewards sharp bands only when they are also right.
//! * **Reliability diagram** (`reliability.png`) and **Brier score**: each forecast is
//!   turned into goal-like events — "average growth of at least 0, 5, 10, 15, 20, 30 % a
//!   year" — and the forecast probability set against the observed frequency; points on
//!   the diagonal are calibrated. With `--catalogue`/`--scenario`, every goal already
//!   settled by published figures is forecast as of its base year and its Brier score set
//!   beside the deterministic rule's met / not-met call (`backtest_goals.csv`).
//!
//! When the backtest says the bands are too narrow (coverage below its interval, a U
//! shaped PIT): keep parameter uncertainty on (do not state a calibrated series as
//! `lognormal`), widen with `volatility_scale` in the scenario, add a rare-shock
//! component for breaks such as 2020, or shorten the window to the regime the goal lives
//! in — and run the backtest again to see that it helped.
//!
//! # Data formats
//!
//! * Catalogue CSV: see `data/README.md` (columns `id, indicator, jurisdiction, name_zh,
//!   name_en, unit, kind, comparator, base_year, base_value, target_value, deadline,
//!   document, quote`, optional `denominator, uncertain, note, parent`). `growth`,
//!   `increase`, `decline`, `share` and `growth_every_year` values are in percent.
//! * History CSV: `indicator, jurisdiction, year, value, unit, bound, source, quote, note`
//!   ([`crate::io::history`]: one value per year, the best-graded source and then the last row wins, bounds never used).
//! * Jurisdictions CSV: `jurisdiction, parent, name_zh, name_en`
//!   ([`crate::io::jurisdictions`]: which jurisdiction lies within which; used by the check).
//! * Overrides TOML: `[targets.<id>] target_value | base_year + base_value | deadline,
//!   source` and `[documents."<NNN>"] shift_years, source` ([`crate::io::overrides`]).
//! * Scenario TOML: see [`crate::scenario`] (models and their fields, named variants
//!   `[scenarios.<name>]`, the `[correlation]` matrix).
//! * Outputs: `summary.csv` (columns [`crate::report::tables::SummaryRow`]),
//!   `quantiles.csv`, `first_reached.csv` (`target, year, probability, p_holds`),
//!   `history_choices.csv`, `manifest.json`, `fan_<jurisdiction>_<indicator>.png/.svg`,
//!   `dashboard.png/.svg`; with variants `scenarios.csv` and `scenarios.png/.svg`; with
//!   `--analysis` `sensitivity.csv` and `tornado_<target>.png/.svg`; always
//!   `results.xlsx` ([`crate::report::workbook`]) and `results.json`
//!   ([`crate::report::json::Results`]); with `--report` `report.html`
//!   ([`crate::report::html`]). Reported figures are rounded to the precision they carry
//!   ([`crate::io::csv_write::prob`], [`crate::io::csv_write::level`]).
//!
//! # Reproducibility
//!
//! Path i of stream k (an indicator key, or the keys of jointly simulated indicators
//! joined by `+`) under seed s draws from its own stream ([`crate::sim::path_rng`]),
//! under stream contract 3 ([`crate::sim::GENERATOR`], [`crate::sim::STREAM_CONTRACT`],
//! both in every manifest): every random word is a block of the counter-based generator
//! ARS-7 (AES rounds, as in Random123) under a key made from (s, k), at a counter that
//! names the path i and the draw, so a draw is a pure function of (s, k, i, draw) and
//! nothing is seeded per path. Normal shocks come from a 1024-layer ziggurat (tables
//! generated to 60 digits, the draw's first attempt accepted 99.57 % of the time) on
//! those words, drawn for 64 paths at once in vector
//! instructions ([`crate::sim::LaneStreams`]; the values do not depend on the
//! instruction set used, and equal the path-by-path
//! [`crate::sim::PathRng::standard_normal`]). Paths are processed
//! in fixed chunks of 4096 (blocks of 64 evaluated year by year); per-path levels are
//! stored by index, hits and histogram bins are counted as integers and merged by
//! addition, so outputs are byte-identical for any number of threads, and a run with
//! more paths reproduces the first paths of a shorter one exactly. The default
//! seed is [`crate::DEFAULT_SEED`]. `manifest.json` records the version, seed, paths,
//! generator and SHA-256 of every input.
//!
//! # Required growth, progress categories, sensitivity, precision
//!
//! [`crate::analysis`] answers the questions that follow a probability, for one goal
//! (a model, a start level `X₀` and a check with threshold K after T years).
//!
//! **The growth it would take.** The central growth g at which `P(goal) = p` (by
//! default p = 50, 80 and 90 %), found by bisection in `μ = ln(1+g)` with every step on
//! the same paths (same seed and stream: common random numbers), so the simulated
//! probability is a monotone step function of g and the answer is the empirical
//! quantile of one set of paths. For the lognormal model
//! `μ_p = (ln(K/X₀) + z_p·σ√T) / T` (`−z_p` for `≤` goals), `z_p = Φ⁻¹(p)`, and the
//! Monte Carlo answer has standard error `σ·√(p(1−p)/N) / (√T·φ(z_p))`. At p = ½ the
//! answer is the constant growth to the target, `(K/X₀)^{1/T} − 1`; above ½ the spread
//! adds a premium.
//!
//! **Progress categories at the deadline (goalcast's, forward-looking).** The
//! `progress_*` and `p_on_track` … `p_moving_away` columns borrow the thresholds of the
//! published methods (ratio of actual to required compound growth: ≥ 95 % *on track*,
//! 60–95 % *moderate*, 0–60 % *insufficient*, below 0 *moving away*) but answer a
//! different question: on each simulated path, will growth **from the latest value to
//! the deadline** be fast enough, against the growth required **from the latest
//! value**? Actual growth on a path is `a = (X_T/X₀)^{1/T} − 1` and required growth
//! `r = (K/X₀)^{1/T} − 1`, X₀ the latest known value and T the years to the deadline;
//! `a/r ≥ c` is the level check `X_T ≥ X₀(1+c·r)^T` (`≤` when r < 0), so the category
//! probabilities are counted exactly on the paths. For the lognormal model
//! `P(a/r ≥ c) = Φ(T·(ln(1+g) − ln(1+c·r)) / (σ√T))` for r > 0. The deterministic
//! category is that of the path growing at g (ratio g/r); the median category is that
//! of the median path. A goal already met at the start is on track if still met at the
//! deadline and moving away otherwise.
//!
//! **Official progress assessments (from history, as published).** The `statcan_*`,
//! `eurostat_5y_*` and `eurostat_15y_*` columns are the assessments an official
//! dashboard would show, computed from the indicator's known values only
//! ([`crate::official`], where every formula and its source is written out):
//!
//! * *Statistics Canada / Open SDG*: observed growth from the base year (2015, or the
//!   first year with data after it) to the latest year,
//!   `CAGR_o = (x_t/x_{t₀})^{1/(t−t₀)} − 1`, over the growth required **from the base
//!   year** to the target, `CAGR_r = (y_T/x_{t₀})^{1/(T−t₀)} − 1`:
//!   `R = d·CAGR_o/|CAGR_r|` (d = −1 for a goal that wants the indicator down). Latest
//!   value already meeting the target: `target_achieved`, score 5. Otherwise
//!   `R ≥ 0.95` `substantial_progress` (published name: on track), `0.6 ≤ R < 0.95`
//!   `moderate_progress` (progress made but acceleration needed), `0 ≤ R < 0.6`
//!   `limited_progress`, `R < 0` `deterioration`; the score runs linearly from −5
//!   (R = −0.6) through 0 (R = 0.6) to 5 (R = 1.3). A goal whose figure cannot be read
//!   is assessed on its trend: growth in the desired direction against 1.5 % / 0.5 % /
//!   0, those thresholds scaled down by `C = 1 − (x_{t₀}/L)^{4.44}` for a percentage
//!   that should rise towards its limit L = 100. A zero base or target is replaced by
//!   0.001.
//! * *Eurostat*: the same ratio over the **last 5 years** (short term, at least 3) and
//!   the **last 15 years** (long term, at least 10), with the required growth counted
//!   from the start of that window: ≥ 95 % `significant_progress`, 60–95 %
//!   `moderate_progress`, 0–60 % `insufficient_progress`, below 0 `movement_away`.
//!
//! They are filled only where the history allows (a level, a share or a goal measured
//! from a known base level; a value from the base year or window start on; the deadline
//! still ahead); `official_note` says why not otherwise, and the dashboard shows
//! `StatCan: …` under each goal.
//!
//! *Why they differ, worked.* Technology-contract turnover of Hubei, 830 亿元 (2015) →
//! 3017.86 亿元 (2022), goal 10000 亿元 by 2028 (with values up to 2022, as in issue
//! 17; `tests/official.rs` reproduces every figure):
//!
//! | | growth observed / assumed | growth required | ratio | category |
//! |---|---|---|---|---|
//! | Statistics Canada (2015 → 2022, from 2015) | 20.25 % | 21.10 % (2015 → 2028) | 0.96 | on track (`substantial_progress`, score 2.57) |
//! | Eurostat short term (2017 → 2022, from 2017) | 23.14 % | 22.57 % (2017 → 2028) | 1.03 | significant progress |
//! | goalcast, deterministic (2022 → 2028) | 20.3 % (assumed) | 22.1 % (from 2022) | 0.92 | moderate |
//!
//! goalcast's probabilities of each category at the deadline under the history-based
//! assumption (lognormal, g = 20.3 %, σ = 10.4 %): on track 45 %, moderate 48 %,
//! insufficient 8 %, moving away 0 %; the median path is moderate. Both readings are
//! right about different things: the official rule credits the fast years behind, which
//! make the rest of the way from 2015 look affordable; goalcast asks whether the growth
//! still needed from 2022 — which the slower start has pushed up to 22.1 % — will come.
//!
//! **Sensitivity.** P(goal) with each model parameter moved down and up — by default
//! growth ±1 percentage point, every other parameter ±25 % of its value, the bound of a
//! share held — on common random numbers, so each difference counts the paths that
//! change side (standard error `√(Δ(1−Δ)/N)` rather than `√(2p(1−p)/N)`). Shown as a
//! table (`target, parameter, base_value, low_value, high_value, p_low, p_base,
//! p_high`) and a tornado chart ([`crate::plot::write_tornado`]).
//!
//! **Precision.** [`crate::analysis::run_to_precision`] adds paths until every check's
//! standard error `√(p̂(1−p̂)/N)` is below a bound (default 0.5 percentage points): after
//! a run of N paths the next has `max(1.1·maxᵢ p̂ᵢ(1−p̂ᵢ)/se², 2N)` paths. Path i always
//! draws from the stream keyed by (seed, indicator, i), so each run repeats the
//! previous one's paths exactly and adds new ones.

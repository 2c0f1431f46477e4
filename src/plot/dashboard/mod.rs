//! A one-page dashboard of every target of one document: a bar of P(reach) per target,
//! coloured by outlook, with the growth it would take beside the growth assumed; goals
//! settled by observed values in their own colours, with the observed figure; goals
//! waiting for a base with the base they would need; and grey rows saying why the
//! other targets were not simulated.
//!
//! The input is a plain table ([`DashboardRow`]) rather than an assessment, so the chart
//! does not depend on how the engine represents its results.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

mod row;

use super::font::FAMILY;
use super::{DrawResult, Drawing, fit, text_width, write_png_svg};
use crate::error::{Error, Result};

/// P(reach) at or above which a target is drawn as on track (green).
pub const ON_TRACK_MIN: f64 = 0.80;
/// P(reach) at or above which (and below [`ON_TRACK_MIN`]) a target is uncertain (amber).
pub const UNCERTAIN_MIN: f64 = 0.50;
/// P(reach) at or above which (and below [`UNCERTAIN_MIN`]) a target is at risk (orange);
/// below it a target is off track (red).
pub const AT_RISK_MIN: f64 = 0.20;

/// One target on the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardRow {
    /// Target id (not drawn; kept so callers can match rows to their tables).
    pub id: String,
    /// Chinese name of the indicator, e.g. `全社会研发经费投入`.
    pub name_zh: String,
    /// Short English name, e.g. `Gross domestic R&D expenditure`; shortened with `…` when
    /// it does not fit.
    pub name_en: String,
    /// What the goal requires, in a few characters, e.g. `年均增长 ≥ 14 %` or
    /// `≥ 18000 亿元`; may be empty. It tells apart two goals on the same indicator.
    pub goal: String,
    /// Deadline year.
    pub deadline: i32,
    /// Simulated figures, or why there are none.
    pub status: RowStatus,
    /// The published progress assessment in a few words (`StatCan: on track`), drawn
    /// after the English name; may be empty.
    pub official: String,
}

/// What became of a target.
#[derive(Debug, Clone, PartialEq)]
pub enum RowStatus {
    /// Simulated.
    Simulated {
        /// P(the goal holds in the deadline year), in `[0, 1]`.
        p_reach: f64,
        /// Monte Carlo standard error of `p_reach` (a probability, not percent).
        p_reach_se: f64,
        /// Constant annual growth, in percent, that reaches the goal exactly at the
        /// deadline (`None` where no constant growth does).
        required_growth_pct: Option<f64>,
        /// Central annual growth assumed by the scenario, in percent.
        assumed_growth_pct: f64,
        /// For a share goal: P(the share is at or above 100 % at the deadline), drawn
        /// beside the probability when above 1 % (`p_share_over_100`).
        share_over_100: Option<f64>,
    },
    /// Settled by an observed value (met or missed), not simulated.
    Settled {
        /// Met (true) or missed.
        met: bool,
        /// The observed year that settles it.
        year: i32,
        /// The observed figure, formatted with its unit.
        observed: String,
        /// What the goal requires, formatted with its unit.
        required: String,
    },
    /// Waiting for a base level, answered by the base it would need.
    BaseNeeded {
        /// The year of the base.
        year: i32,
        /// `≥` (a base of at least …) or `≤` (at most …).
        bound: String,
        /// The base giving a 50 % chance, formatted with its unit.
        p50: String,
        /// The base giving an 80 % chance, formatted with its unit.
        p80: String,
    },
    /// Not simulated.
    NotSimulated {
        /// The status word of the result tables (`needs_baseline`, `needs_value`,
        /// `recorded`, `deadline_not_after_base` …); these are drawn
        /// as bilingual phrases, any other text is drawn as given.
        reason: String,
    },
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, Copy)]
pub struct Dashboard<'a> {
    /// Chinese title, e.g. the document's name.
    pub title_zh: &'a str,
    /// English title.
    pub title_en: &'a str,
    /// One line on how the figures were made: scenario, paths, seed.
    pub subtitle: &'a str,
    /// The targets, in document order.
    pub rows: &'a [DashboardRow],
}

/// How likely a simulated target is to be reached, by the thresholds above.
///
/// The class is taken from the point estimate of P(reach); its Monte Carlo error (shown
/// as a whisker) is far smaller than the width of a class at the usual path counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outlook {
    /// P < [`AT_RISK_MIN`] (red).
    OffTrack,
    /// [`AT_RISK_MIN`] ≤ P < [`UNCERTAIN_MIN`] (orange).
    AtRisk,
    /// [`UNCERTAIN_MIN`] ≤ P < [`ON_TRACK_MIN`] (amber).
    Uncertain,
    /// P ≥ [`ON_TRACK_MIN`] (green).
    OnTrack,
}

impl Outlook {
    /// All classes, from the best to the worst (legend order).
    pub const ALL: [Outlook; 4] = [
        Outlook::OnTrack,
        Outlook::Uncertain,
        Outlook::AtRisk,
        Outlook::OffTrack,
    ];

    /// The class of a probability of reaching a goal.
    pub fn of(p_reach: f64) -> Outlook {
        if p_reach >= ON_TRACK_MIN {
            Outlook::OnTrack
        } else if p_reach >= UNCERTAIN_MIN {
            Outlook::Uncertain
        } else if p_reach >= AT_RISK_MIN {
            Outlook::AtRisk
        } else {
            Outlook::OffTrack
        }
    }

    /// Legend text: the range and the name in Chinese and English.
    pub fn label(self) -> &'static str {
        match self {
            Outlook::OnTrack => "≥ 80 %  进展顺利 on track",
            Outlook::Uncertain => "50–80 %  存在变数 uncertain",
            Outlook::AtRisk => "20–50 %  有风险 at risk",
            Outlook::OffTrack => "< 20 %  难以达成 off track",
        }
    }

    fn colour(self) -> RGBColor {
        match self {
            Outlook::OnTrack => RGBColor(35, 139, 69),
            Outlook::Uncertain => RGBColor(236, 183, 37),
            Outlook::AtRisk => RGBColor(241, 105, 19),
            Outlook::OffTrack => RGBColor(203, 24, 29),
        }
    }
}

/// Reasons for not simulating, in the order their groups are drawn: first those the
/// analyst can fix by supplying data, then those settled by observed values, then those
/// that are never simulated. Unknown reasons come last.
const REASONS: [(&str, &str); 7] = [
    ("needs_value", "未模拟：目标值不明 · needs the target value"),
    ("needs_baseline", "未模拟：缺基数 · needs a baseline"),
    (
        "units_differ",
        "未模拟：分子分母单位不同 · share in mixed units",
    ),
    (
        "already_met",
        "已由历史数据达成 · already met by observed values",
    ),
    (
        "already_missed",
        "已由历史数据确定未达成 · already missed in observed years",
    ),
    (
        "deadline_not_after_base",
        "未模拟：期限不晚于最新数据 · deadline not after the last known value",
    ),
    (
        "recorded",
        "仅记录（排名、里程碑）· recorded only (rank, milestone)",
    ),
];

/// The phrase drawn for a reason code; unknown codes are drawn as given.
pub fn reason_text(reason: &str) -> &str {
    REASONS
        .iter()
        .find(|(code, _)| *code == reason)
        .map_or(reason, |(_, text)| text)
}

fn reason_rank(reason: &str) -> usize {
    REASONS
        .iter()
        .position(|(code, _)| *code == reason)
        .unwrap_or(REASONS.len())
}

/// The groups of rows, in the order they are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Simulated,
    Settled,
    BaseNeeded,
    NotSimulated,
}

fn section(row: &DashboardRow) -> Section {
    match row.status {
        RowStatus::Simulated { .. } => Section::Simulated,
        RowStatus::Settled { .. } => Section::Settled,
        RowStatus::BaseNeeded { .. } => Section::BaseNeeded,
        RowStatus::NotSimulated { .. } => Section::NotSimulated,
    }
}

/// The order rows are drawn in, as indices into `rows`.
///
/// Simulated targets come first, the least likely at the top: a one-page summary is read
/// from the top, and the question it answers is which goals need attention. Ties keep
/// document order. Goals settled by observed values follow (missed first), then goals
/// answered by the base they would need, then the targets that were not simulated,
/// grouped by reason (those that more data would make simulable first, recorded-only
/// goals last; unknown reasons after those, alphabetically), in document order within a
/// group.
pub fn display_order(rows: &[DashboardRow]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    // A stable sort keeps document order among equal keys.
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&rows[a], &rows[b]);
        section(ra)
            .cmp(&section(rb))
            .then_with(|| match (&ra.status, &rb.status) {
                (
                    RowStatus::Simulated { p_reach: pa, .. },
                    RowStatus::Simulated { p_reach: pb, .. },
                ) => pa.total_cmp(pb),
                (RowStatus::Settled { met: ma, .. }, RowStatus::Settled { met: mb, .. }) => {
                    ma.cmp(mb)
                }
                (
                    RowStatus::NotSimulated { reason: ra },
                    RowStatus::NotSimulated { reason: rb },
                ) => (reason_rank(ra), ra).cmp(&(reason_rank(rb), rb)),
                _ => Ordering::Equal,
            })
    });
    order
}

// Layout, in pixels.
const WIDTH: u32 = 1600;
const MARGIN: i32 = 32;
/// Width of the label column (names and goal); the deadline is right-aligned at `BAR_X0 - 16`.
const LABEL_W: i32 = 540;
const BAR_X0: i32 = 680;
const BAR_W: i32 = 520;
const BAR_X1: i32 = BAR_X0 + BAR_W;
const FIGURES_X: i32 = BAR_X1 + 24;
const RIGHT: i32 = WIDTH as i32 - MARGIN;
const HEADER_H: i32 = 226;
const SECTION_H: i32 = 34;
const ROW_H: i32 = 42;
/// Room for the tick labels under the simulated rows.
const AXIS_H: i32 = 30;
const FOOTER_H: i32 = 24;
/// Text size and line height of the folded list of targets not simulated.
const FOLD_SIZE: f64 = 14.0;
const FOLD_LINE_H: i32 = 22;
const MIN_HEIGHT: u32 = 480;
/// More rows than fit on any page (42 pixels each): refused rather than drawn.
pub(crate) const MAX_ROWS: usize = 600;

const INK: RGBColor = RGBColor(33, 33, 33);
const MUTED: RGBColor = RGBColor(99, 99, 99);
const FAINT: RGBColor = RGBColor(150, 150, 150);
const GRID: RGBColor = RGBColor(200, 200, 200);
const TRACK: RGBColor = RGBColor(238, 238, 238);
const ZEBRA: RGBColor = RGBColor(247, 247, 247);
const GREY_BAR: RGBColor = RGBColor(224, 224, 224);
/// Goals met by observed values.
const MET: RGBColor = RGBColor(66, 133, 204);
/// Goals missed by observed values.
const MISSED: RGBColor = RGBColor(123, 82, 163);
/// Goals answered by the base they would need.
const BASE_NEEDED: RGBColor = RGBColor(214, 222, 240);

/// Writes the dashboard as `<stem>.png` and `<stem>.svg` in `dir` and returns both paths.
///
/// Rows are drawn in [`display_order`]. The image is 1600 pixels wide; its height grows
/// with the number of rows (42 pixels a row, at least 480 in all). Both files are drawn
/// under temporary names and renamed only when both succeeded, so an earlier dashboard
/// survives a failure. Every failure is an [`Error::Plot`]: among them a probability
/// outside `[0, 1]`, a standard error that is negative or not finite, and more than 600
/// rows.
pub fn write_dashboard(d: &Dashboard<'_>, dir: &Path, stem: &str) -> Result<[PathBuf; 2]> {
    check_rows(d.rows).map_err(|reason| Error::Plot {
        path: dir.join(format!("{stem}.png")),
        reason,
    })?;
    let order = display_order(d.rows);
    let layout = Layout::new(d.rows, &order).map_err(|reason| Error::Plot {
        path: dir.join(format!("{stem}.png")),
        reason,
    })?;
    write_png_svg(&(d, layout), dir, stem)
}

impl Drawing for (&Dashboard<'_>, Layout) {
    fn size(&self) -> (u32, u32) {
        (WIDTH, self.1.height)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        draw(root, self.0, &self.1)
    }
}

fn check_rows(rows: &[DashboardRow]) -> Result<(), String> {
    if rows.len() > MAX_ROWS {
        return Err(format!(
            "{} targets do not fit on one page (at most {MAX_ROWS})",
            rows.len()
        ));
    }
    for row in rows {
        if let RowStatus::Simulated {
            p_reach,
            p_reach_se,
            share_over_100,
            ..
        } = row.status
        {
            if let Some(over) = share_over_100.filter(|p| !(0.0..=1.0).contains(p)) {
                return Err(format!(
                    "target `{}`: share_over_100 = {over} is not a probability",
                    row.id
                ));
            }
            if !(0.0..=1.0).contains(&p_reach) {
                return Err(format!(
                    "target `{}`: p_reach = {p_reach} is not a probability",
                    row.id
                ));
            }
            if !(p_reach_se.is_finite() && p_reach_se >= 0.0) {
                return Err(format!(
                    "target `{}`: p_reach_se = {p_reach_se} is not a standard error",
                    row.id
                ));
            }
        }
    }
    Ok(())
}

/// Where everything goes down the page, in pixels from the top.
#[derive(Debug)]
struct Layout {
    /// Top of each section heading, and its section.
    sections: Vec<(i32, Section)>,
    /// Top of each row, and the row's index, in display order.
    rows: Vec<(i32, usize)>,
    /// Vertical extent of the probability grid (the simulated rows), if any.
    grid: Option<(i32, i32)>,
    /// The targets that were not simulated, folded into lines of names grouped by
    /// reason: the top of each line and its text.
    folded: Vec<(i32, String)>,
    /// Image height.
    height: u32,
}

impl Layout {
    /// Lays out `order` (indices into `rows`, grouped by section). The caller has
    /// checked that there are at most [`MAX_ROWS`] rows.
    /// Rows not simulated are folded into [`Layout::folded`] lines, wrapped to the page.
    fn new(rows: &[DashboardRow], order: &[usize]) -> Result<Layout, String> {
        let mut y = HEADER_H;
        let mut sections = Vec::new();
        let mut placed = Vec::with_capacity(order.len());
        let mut grid: Option<(i32, i32)> = None;
        let mut previous: Option<Section> = None;
        let mut folded = Vec::new();
        // The not-simulated rows' reasons, in display order, each with its names.
        let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
        for &i in order {
            let here = section(&rows[i]);
            if previous != Some(here) {
                if previous == Some(Section::Simulated) {
                    y += AXIS_H;
                }
                sections.push((y, here));
                y += SECTION_H;
            }
            previous = Some(here);
            if let RowStatus::NotSimulated { reason } = &rows[i].status {
                let name = format!("{} ({})", rows[i].name_zh, rows[i].deadline);
                match reasons.last_mut() {
                    Some((r, names)) if r == reason => names.push(name),
                    _ => reasons.push((reason, vec![name])),
                }
                continue;
            }
            if here == Section::Simulated {
                grid = Some((grid.map_or(y, |(top, _)| top), y + ROW_H));
            }
            placed.push((y, i));
            y += ROW_H;
        }
        if previous == Some(Section::Simulated) {
            y += AXIS_H;
        }
        for (reason, names) in reasons {
            let head = format!("{}（{}）：", reason_text(reason), names.len());
            y += 6;
            for line in super::wrap(&head, &names, "、", FOLD_SIZE, RIGHT - MARGIN)? {
                folded.push((y, line));
                y += FOLD_LINE_H;
            }
        }
        let height = u32::try_from(y + FOOTER_H)
            .unwrap_or(MIN_HEIGHT)
            .max(MIN_HEIGHT);
        Ok(Layout {
            sections,
            rows: placed,
            grid,
            folded,
            height,
        })
    }
}

/// Pixel x of a probability on the bar scale.
fn bar_x(p: f64) -> i32 {
    BAR_X0 + (p.clamp(0.0, 1.0) * f64::from(BAR_W)).round() as i32
}

/// A number in percent with one decimal, or `–` when it is not finite.
fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "–".to_string()
    }
}

/// A small non-negative percentage (twice a standard error) with enough digits to show
/// that it is not zero.
fn pct_small(v: f64) -> String {
    if v >= 0.095 {
        format!("{v:.1}")
    } else if v >= 0.005 {
        format!("{v:.2}")
    } else {
        "< 0.01".to_string()
    }
}

/// Draws `s` with the bottom of its text box (just below the baseline) at `y`, starting
/// (or ending, for `HPos::Right`) at `x`.
fn text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    (x, y): (i32, i32),
    size: f64,
    colour: &RGBColor,
    h: HPos,
) -> DrawResult {
    text_styled(root, s, (x, y), size, FontStyle::Normal, colour, h)
}

fn text_styled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    (x, y): (i32, i32),
    size: f64,
    style: FontStyle,
    colour: &RGBColor,
    h: HPos,
) -> DrawResult {
    let font = (FAMILY, size, style)
        .into_font()
        .color(colour)
        .pos(Pos::new(h, VPos::Bottom));
    root.draw(&Text::new(s.to_string(), (x, y), font))
        .map_err(|e| e.to_string())
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &Dashboard<'_>,
    layout: &Layout,
) -> DrawResult {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let rows = d.rows;
    let width = RIGHT - MARGIN;

    // Title, subtitle.
    let title = fit(root, d.title_zh, 32.0, width)?;
    text_styled(
        root,
        &title,
        (MARGIN, 52),
        32.0,
        FontStyle::Bold,
        &INK,
        HPos::Left,
    )?;
    let title_en = fit(root, d.title_en, 21.0, width)?;
    text(root, &title_en, (MARGIN, 84), 21.0, &INK, HPos::Left)?;
    let subtitle = fit(root, d.subtitle, 16.0, width)?;
    text(root, &subtitle, (MARGIN, 112), 16.0, &MUTED, HPos::Left)?;

    // Legend, with the count in each class.
    let simulated: Vec<f64> = rows
        .iter()
        .filter_map(|r| match r.status {
            RowStatus::Simulated { p_reach, .. } => Some(p_reach),
            _ => None,
        })
        .collect();
    let count = |s: Section| rows.iter().filter(|r| section(r) == s).count();
    let settled = |met: bool| {
        rows.iter()
            .filter(|r| matches!(r.status, RowStatus::Settled { met: m, .. } if m == met))
            .count()
    };
    let mut legend: Vec<(RGBColor, String)> = Outlook::ALL
        .iter()
        .map(|&o| {
            let n = simulated.iter().filter(|&&p| Outlook::of(p) == o).count();
            (o.colour(), format!("{} ({n})", o.label()))
        })
        .collect();
    legend.extend([
        (MET, format!("已达成 met ({})", settled(true))),
        (MISSED, format!("未达成 missed ({})", settled(false))),
        (
            BASE_NEEDED,
            format!("所需基数 base needed ({})", count(Section::BaseNeeded)),
        ),
        (
            GREY_BAR,
            format!("未模拟 not simulated ({})", count(Section::NotSimulated)),
        ),
    ]);
    // One line across the page: the text shrinks (to 12 px) and the gaps narrow (to
    // 12 px) until every entry fits.
    let gaps = i32::try_from(legend.len().saturating_sub(1))
        .unwrap_or(0)
        .max(1);
    let mut size = 16.0;
    let widths = loop {
        let widths = legend
            .iter()
            .map(|(_, label)| text_width(root, label, size).map(|w| w + 30))
            .collect::<Result<Vec<i32>, String>>()?;
        if widths.iter().sum::<i32>() + 12 * gaps <= width || size <= 12.0 {
            break widths;
        }
        size -= 1.0;
    };
    let gap = ((width - widths.iter().sum::<i32>()) / gaps).clamp(12, 30);
    let mut x = MARGIN;
    let legend_y = 146;
    for ((colour, label), w) in legend.iter().zip(&widths) {
        root.draw(&Rectangle::new(
            [(x, legend_y - 14), (x + 22, legend_y + 2)],
            colour.filled(),
        ))
        .map_err(err)?;
        text(root, label, (x + 30, legend_y + 2), size, &INK, HPos::Left)?;
        x += w + gap;
    }
    let note = "条 = 期限年达成概率 P(goal holds in its deadline year) · 须线与 ± = 2 倍蒙特卡洛标准误 (2 s.e.) · \
                需 = 达标所需年均增长 required annual growth · 设 = 情景假设年均增长 assumed central growth";
    let note = fit(root, note, 14.0, width)?;
    text(root, &note, (MARGIN, 178), 14.0, &MUTED, HPos::Left)?;

    // Column headings.
    let headings_y = HEADER_H - 12;
    text(
        root,
        "目标 goal",
        (MARGIN, headings_y),
        15.0,
        &MUTED,
        HPos::Left,
    )?;
    text(
        root,
        "期限 by",
        (BAR_X0 - 16, headings_y),
        15.0,
        &MUTED,
        HPos::Right,
    )?;
    text(
        root,
        "P(reach) · 需 vs 设 growth",
        (FIGURES_X, headings_y),
        15.0,
        &MUTED,
        HPos::Left,
    )?;

    // Zebra stripes first, so grid lines and bars lie on top.
    for (k, &(top, _)) in layout.rows.iter().enumerate() {
        if k % 2 == 1 {
            root.draw(&Rectangle::new(
                [(MARGIN - 8, top), (RIGHT + 8, top + ROW_H)],
                ZEBRA.filled(),
            ))
            .map_err(err)?;
        }
    }
    // The probability axis: grid lines at the thresholds over the simulated rows, tick
    // labels above the first and below the last.
    let ticks = [
        (0.0, "0", HPos::Left),
        (AT_RISK_MIN, "20", HPos::Center),
        (UNCERTAIN_MIN, "50", HPos::Center),
        (ON_TRACK_MIN, "80", HPos::Center),
        (1.0, "100 %", HPos::Right),
    ];
    if let Some((grid_top, grid_bottom)) = layout.grid {
        for &(p, label, h) in &ticks {
            let x = bar_x(p);
            root.draw(&PathElement::new(
                [(x, grid_top.min(HEADER_H) - 4), (x, grid_bottom + 6)],
                GRID.stroke_width(1),
            ))
            .map_err(err)?;
            text(root, label, (x, headings_y), 15.0, &MUTED, h)?;
            text(root, label, (x, grid_bottom + 26), 15.0, &MUTED, h)?;
        }
    }

    for &(top, here) in &layout.sections {
        let n = count(here);
        let heading = match here {
            Section::Simulated => {
                format!("已模拟 simulated ({n}) · 按达成概率由低到高 least likely first")
            }
            Section::Settled => format!(
                "已由统计数据确定 settled by published figures ({n}) · 观测值 observed vs 目标 goal"
            ),
            Section::BaseNeeded => format!(
                "缺基数 · 所需基数 waiting for a base ({n}) · 达成概率 50 % / 80 % 所需的基年水平 the base-year level a 50 % / 80 % chance needs"
            ),
            Section::NotSimulated => {
                format!("未模拟 not simulated ({n}) · 按原因分组 grouped by reason")
            }
        };
        let heading = fit(root, &heading, 17.0, RIGHT - MARGIN)?;
        text_styled(
            root,
            &heading,
            (MARGIN, top + SECTION_H - 9),
            17.0,
            FontStyle::Bold,
            &INK,
            HPos::Left,
        )?;
        root.draw(&PathElement::new(
            [
                (MARGIN - 8, top + SECTION_H - 2),
                (RIGHT + 8, top + SECTION_H - 2),
            ],
            FAINT.stroke_width(1),
        ))
        .map_err(err)?;
    }

    for &(top, i) in &layout.rows {
        row::draw_row(root, &rows[i], top)?;
    }
    for (top, line) in &layout.folded {
        text(
            root,
            line,
            (MARGIN, top + FOLD_LINE_H - 4),
            FOLD_SIZE,
            &MUTED,
            HPos::Left,
        )?;
    }
    if rows.is_empty() {
        text(
            root,
            "没有目标 no targets",
            (MARGIN, HEADER_H + 40),
            18.0,
            &MUTED,
            HPos::Left,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, status: RowStatus) -> DashboardRow {
        DashboardRow {
            id: id.to_string(),
            name_zh: "指标".to_string(),
            name_en: "indicator".to_string(),
            goal: String::new(),
            deadline: 2028,
            status,
            official: String::new(),
        }
    }

    fn sim(id: &str, p: f64) -> DashboardRow {
        row(
            id,
            RowStatus::Simulated {
                p_reach: p,
                p_reach_se: 0.001,
                required_growth_pct: Some(10.0),
                assumed_growth_pct: 8.0,
                share_over_100: None,
            },
        )
    }

    fn not_sim(id: &str, reason: &str) -> DashboardRow {
        row(
            id,
            RowStatus::NotSimulated {
                reason: reason.to_string(),
            },
        )
    }

    #[test]
    fn outlook_thresholds_are_inclusive_below() {
        assert_eq!(Outlook::of(1.0), Outlook::OnTrack);
        assert_eq!(Outlook::of(ON_TRACK_MIN), Outlook::OnTrack);
        assert_eq!(Outlook::of(0.7999), Outlook::Uncertain);
        assert_eq!(Outlook::of(UNCERTAIN_MIN), Outlook::Uncertain);
        assert_eq!(Outlook::of(0.4999), Outlook::AtRisk);
        assert_eq!(Outlook::of(AT_RISK_MIN), Outlook::AtRisk);
        assert_eq!(Outlook::of(0.1999), Outlook::OffTrack);
        assert_eq!(Outlook::of(0.0), Outlook::OffTrack);
    }

    #[test]
    fn simulated_first_least_likely_first_then_grouped_by_reason() {
        let rows = [
            not_sim("a", "recorded"),
            sim("b", 0.9),
            not_sim("c", "needs_baseline"),
            sim("d", 0.1),
            not_sim("e", "something_new"),
            not_sim("f", "units_differ"),
            sim("g", 0.5),
            not_sim("h", "needs_baseline"),
            sim("i", 0.1),
            not_sim("j", "needs_value"),
        ];
        let ids: Vec<&str> = display_order(&rows)
            .into_iter()
            .map(|i| rows[i].id.as_str())
            .collect();
        assert_eq!(ids, ["d", "i", "g", "b", "j", "c", "h", "f", "a", "e"]);
    }

    #[test]
    fn known_reasons_are_translated_unknown_kept() {
        assert!(reason_text("needs_baseline").contains("缺基数"));
        assert_eq!(reason_text("waiting for data"), "waiting for data");
    }

    fn layout(rows: &[DashboardRow]) -> Layout {
        Layout::new(rows, &display_order(rows)).unwrap()
    }

    #[test]
    fn height_grows_with_rows_from_a_minimum() {
        assert_eq!(layout(&[]).height, MIN_HEIGHT);
        let few: Vec<_> = (0..3).map(|i| sim(&i.to_string(), 0.5)).collect();
        assert_eq!(layout(&few).height, MIN_HEIGHT);
        let mut many: Vec<_> = (0..60).map(|i| sim(&i.to_string(), 0.5)).collect();
        many.extend((0..10).map(|i| not_sim(&i.to_string(), "recorded")));
        many.push(not_sim("x", "needs_value"));
        let l = layout(&many);
        // the eleven not simulated fold into one line per reason (short names)
        assert_eq!(l.rows.len(), 60);
        assert_eq!(l.folded.len(), 2);
        assert!(l.folded[0].1.starts_with(reason_text("needs_value")));
        assert!(l.folded[1].1.contains("（10）：指标 (2028)、指标 (2028)"));
        let expected =
            HEADER_H + 2 * SECTION_H + AXIS_H + 60 * ROW_H + 2 * (6 + FOLD_LINE_H) + FOOTER_H;
        assert_eq!(l.height, u32::try_from(expected).unwrap());
        // The grid covers exactly the simulated rows; sections and rows do not overlap.
        assert_eq!(
            l.grid,
            Some((HEADER_H + SECTION_H, HEADER_H + SECTION_H + 60 * ROW_H))
        );
        assert_eq!(l.sections[1].0, l.grid.unwrap().1 + AXIS_H);
        assert_eq!(l.folded[0].0, l.sections[1].0 + SECTION_H + 6);
    }

    #[test]
    fn too_many_rows_are_refused() {
        let rows: Vec<_> = (0..=MAX_ROWS).map(|i| sim(&i.to_string(), 0.5)).collect();
        assert!(check_rows(&rows).is_err());
    }

    #[test]
    fn bad_probabilities_are_refused() {
        assert!(check_rows(&[sim("x", f64::NAN)]).is_err());
        assert!(check_rows(&[sim("x", 1.2)]).is_err());
        let mut r = sim("x", 0.5);
        if let RowStatus::Simulated { p_reach_se, .. } = &mut r.status {
            *p_reach_se = f64::INFINITY;
        }
        assert!(check_rows(&[r]).is_err());
        let mut r = sim("x", 0.5);
        if let RowStatus::Simulated { share_over_100, .. } = &mut r.status {
            *share_over_100 = Some(1.5);
        }
        assert!(check_rows(&[r]).unwrap_err().contains("share_over_100"));
        assert!(check_rows(&[sim("x", 0.5), not_sim("y", "recorded")]).is_ok());
    }
}

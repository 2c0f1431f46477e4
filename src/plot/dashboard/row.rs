//! One row of the dashboard: the goal's label, and its bar and figures by status.

use plotters::coord::Shift;
use plotters::prelude::{
    Color, DrawingArea, DrawingAreaErrorKind, DrawingBackend, FontStyle, PathElement, RGBColor,
    Rectangle, WHITE,
};
use plotters::style::text_anchor::HPos;

use super::super::{DrawResult, text_width};
use super::{
    BAR_W, BAR_X0, BAR_X1, BASE_NEEDED, DashboardRow, FIGURES_X, GREY_BAR, INK, LABEL_W, MARGIN,
    MET, MISSED, MUTED, Outlook, RIGHT, ROW_H, RowStatus, TRACK, bar_x, fit, pct, pct_small,
    reason_text, text, text_styled,
};

pub(super) fn draw_row<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    row: &DashboardRow,
    top: i32,
) -> DrawResult {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let line1 = top + 20;
    let line2 = top + 37;
    let mid = top + ROW_H / 2;

    // Label: Chinese name and goal on the first line, English name on the second.
    let name = fit(root, &row.name_zh, 17.0, LABEL_W)?;
    text(root, &name, (MARGIN, line1), 17.0, &INK, HPos::Left)?;
    let used = text_width(root, &name, 17.0)? + 12;
    if !row.goal.is_empty() && used + 40 < LABEL_W {
        let goal = fit(root, &row.goal, 15.0, LABEL_W - used)?;
        text(
            root,
            &goal,
            (MARGIN + used, line1),
            15.0,
            &MUTED,
            HPos::Left,
        )?;
    }
    // Second line: the English name, and the published assessment at the right end.
    let mut name_w = LABEL_W;
    if !row.official.is_empty() {
        let official = fit(root, &row.official, 13.0, LABEL_W / 2)?;
        name_w -= text_width(root, &official, 13.0)? + 14;
        text_styled(
            root,
            &official,
            (MARGIN + LABEL_W, line2),
            13.0,
            FontStyle::Normal,
            &MUTED,
            HPos::Right,
        )?;
    }
    let name_en = fit(root, &row.name_en, 14.0, name_w)?;
    text(root, &name_en, (MARGIN, line2), 14.0, &MUTED, HPos::Left)?;
    text(
        root,
        &row.deadline.to_string(),
        (BAR_X0 - 16, mid + 8),
        17.0,
        &INK,
        HPos::Right,
    )?;

    let (bar_top, bar_bottom) = (top + 9, top + ROW_H - 9);
    match &row.status {
        RowStatus::Simulated {
            p_reach,
            p_reach_se,
            required_growth_pct,
            assumed_growth_pct,
            share_over_100,
        } => {
            let outlook = Outlook::of(*p_reach);
            root.draw(&Rectangle::new(
                [(BAR_X0, bar_top), (BAR_X1, bar_bottom)],
                TRACK.filled(),
            ))
            .map_err(err)?;
            let end = bar_x(*p_reach);
            if end > BAR_X0 {
                root.draw(&Rectangle::new(
                    [(BAR_X0, bar_top), (end, bar_bottom)],
                    outlook.colour().filled(),
                ))
                .map_err(err)?;
            }
            // Whisker: ±2 s.e., at least the width of its caps so it stays visible.
            let (lo, hi) = (
                bar_x(p_reach - 2.0 * p_reach_se),
                bar_x(p_reach + 2.0 * p_reach_se),
            );
            let cap = |x: i32| PathElement::new([(x, bar_top - 4), (x, bar_bottom + 4)], INK);
            root.draw(&PathElement::new(
                [(lo, mid), (hi, mid)],
                INK.stroke_width(2),
            ))
            .map_err(err)?;
            root.draw(&cap(lo)).map_err(err)?;
            root.draw(&cap(hi)).map_err(err)?;

            let p = format!("{} %", pct(p_reach * 100.0));
            text_styled(
                root,
                &p,
                (FIGURES_X, line1),
                18.0,
                FontStyle::Bold,
                &INK,
                HPos::Left,
            )?;
            let p_w = text_width(root, &p, 18.0)?;
            let se = format!("± {}", pct_small(2.0 * p_reach_se * 100.0));
            text(
                root,
                &se,
                (FIGURES_X + p_w + 8, line1),
                14.0,
                &MUTED,
                HPos::Left,
            )?;
            // A share whose paths pass 100 %: how many, so that the chance is read
            // with them in mind (`p_reach_coherent` in the tables).
            if let Some(over) = share_over_100.filter(|&p| p > crate::assess::SHARE_OVER_100_NOTED)
            {
                let se_w = text_width(root, &se, 14.0)?;
                let note = format!("· ≥100 %: {} % 路径 paths", pct(over * 100.0));
                let room = RIGHT - (FIGURES_X + p_w + se_w + 20);
                let note = fit(root, &note, 14.0, room)?;
                text(
                    root,
                    &note,
                    (FIGURES_X + p_w + se_w + 20, line1),
                    14.0,
                    &Outlook::AtRisk.colour(),
                    HPos::Left,
                )?;
            }
            let growth = format!(
                "需 {} %/年 · 设 {} %",
                required_growth_pct.map_or_else(|| "–".to_string(), pct),
                pct(*assumed_growth_pct)
            );
            let growth = fit(root, &growth, 15.0, RIGHT - FIGURES_X)?;
            text(root, &growth, (FIGURES_X, line2), 15.0, &MUTED, HPos::Left)?;
        }
        RowStatus::Settled {
            met,
            year,
            observed,
            required,
        } => {
            let (colour, word) = if *met {
                (MET, "已达成 met")
            } else {
                (MISSED, "未达成 missed")
            };
            let goal = format!("目标 goal {required}");
            let label = format!("{word} · {year}");
            band(root, top, colour, &label, &WHITE, Some((observed, &goal)))?;
        }
        RowStatus::BaseNeeded {
            year,
            bound,
            p50,
            p80,
        } => {
            let word = if bound == "≤" {
                "at most"
            } else {
                "at least"
            };
            let label = format!(
                "{year} 年基数 {bound} {p50} → 50 % · reachable from a {year} level of {word} {p50}"
            );
            let (strong, second) = (format!("{bound} {p50}"), format!("80 %: {bound} {p80}"));
            band(
                root,
                top,
                BASE_NEEDED,
                &label,
                &INK,
                Some((&strong, &second)),
            )?;
        }
        RowStatus::NotSimulated { reason } => {
            band(root, top, GREY_BAR, reason_text(reason), &MUTED, None)?;
        }
    }
    Ok(())
}

/// A full-width bar in `colour` with `label` on it and, in the figures column, a bold
/// first line and a muted second one: a row whose answer is not a probability.
fn band<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    top: i32,
    colour: RGBColor,
    label: &str,
    ink: &RGBColor,
    figures: Option<(&str, &str)>,
) -> DrawResult {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let mid = top + ROW_H / 2;
    root.draw(&Rectangle::new(
        [(BAR_X0, top + 9), (BAR_X1, top + ROW_H - 9)],
        colour.filled(),
    ))
    .map_err(err)?;
    let label = fit(root, label, 15.0, BAR_W - 20)?;
    text(root, &label, (BAR_X0 + 10, mid + 6), 15.0, ink, HPos::Left)?;
    if let Some((first, second)) = figures {
        let first = fit(root, first, 17.0, RIGHT - FIGURES_X)?;
        text_styled(
            root,
            &first,
            (FIGURES_X, top + 20),
            17.0,
            FontStyle::Bold,
            &INK,
            HPos::Left,
        )?;
        let second = fit(root, second, 15.0, RIGHT - FIGURES_X)?;
        text(
            root,
            &second,
            (FIGURES_X, top + 37),
            15.0,
            &MUTED,
            HPos::Left,
        )?;
    }
    Ok(())
}

//! The check report as a plain-text table (`check.txt`): one block of lines per finding,
//! columns wrapped to fixed widths, Chinese characters counted as two columns.

use crate::check::{CheckReport, FindingKind, Severity};

/// A check report as a plain-text table (one block of lines per finding, columns wrapped
/// to fixed widths; Chinese characters count as two columns), with a summary above
/// and a legend of the kinds below.
pub fn check_txt(report: &CheckReport) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} targets checked: {} findings ({} problem, {} missing, {} note)\n",
        report.targets_checked,
        report.findings.len(),
        report.count_severity(Severity::Problem),
        report.count_severity(Severity::Missing),
        report.count_severity(Severity::Note),
    ));
    let counts: Vec<String> = FindingKind::ALL
        .iter()
        .filter(|k| report.count(**k) > 0)
        .map(|k| format!("{} {}", k.as_str(), report.count(*k)))
        .collect();
    if !counts.is_empty() {
        out.push_str(&format!("by kind: {}\n", counts.join(", ")));
    }
    out.push('\n');

    // The targets column fits the longest id (within reason).
    let id_width = report
        .findings
        .iter()
        .flat_map(|f| f.targets.iter().map(|t| display_width(t)))
        .max()
        .unwrap_or(0)
        .clamp(24, 56);
    let widths = [4, 19, 8, id_width, 44, 60];
    let header = ["#", "kind", "severity", "targets", "figures", "explanation"];
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    push_row(&mut out, &widths, &header.map(|h| vec![h.to_string()]));
    push_row(
        &mut out,
        &widths,
        &rule.iter().map(|r| vec![r.clone()]).collect::<Vec<_>>(),
    );
    for (i, f) in report.findings.iter().enumerate() {
        let mut targets: Vec<String> = Vec::new();
        if let Some(key) = &f.indicator {
            targets.extend(wrap(&format!("[{key}]"), widths[3]));
        }
        for t in &f.targets {
            targets.extend(wrap(t, widths[3]));
        }
        let figures: Vec<String> = f
            .figures
            .iter()
            .flat_map(|fig| wrap(&fig.to_string(), widths[4]))
            .collect();
        let cells = vec![
            vec![(i + 1).to_string()],
            vec![f.kind.as_str().to_string()],
            vec![f.severity.as_str().to_string()],
            targets,
            figures,
            wrap(&f.explanation, widths[5]),
        ];
        push_row(&mut out, &widths, &cells);
        out.push('\n');
    }
    out.push_str("Kinds:\n");
    for k in FindingKind::ALL {
        out.push_str(&format!("  {:<20} {}\n", k.as_str(), k.description()));
    }
    out
}

/// Columns a character takes in a terminal: 2 for East Asian wide and full-width
/// characters, 1 otherwise.
fn char_width(c: char) -> usize {
    let u = u32::from(c);
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Wraps text to `width` columns: breaks at spaces, between wide characters, and inside
/// a word only when the word alone is wider than a line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut tokens: Vec<(String, bool)> = Vec::new(); // (token, space before)
    let mut space = false;
    let mut word = String::new();
    let flush = |word: &mut String, space: &mut bool, tokens: &mut Vec<(String, bool)>| {
        if !word.is_empty() {
            tokens.push((std::mem::take(word), *space));
            *space = false;
        }
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut space, &mut tokens);
            space = true;
        } else if char_width(c) == 2 {
            flush(&mut word, &mut space, &mut tokens);
            tokens.push((c.to_string(), space));
            space = false;
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut space, &mut tokens);

    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for (token, space_before) in tokens {
        let w = display_width(&token);
        let gap = usize::from(space_before && !line.is_empty());
        if used + gap + w <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(&token);
            used += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if w <= width {
            line.push_str(&token);
            used = w;
        } else {
            for c in token.chars() {
                let cw = char_width(c);
                if used + cw > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Appends one table row whose cells span several lines.
fn push_row(out: &mut String, widths: &[usize], cells: &[Vec<String>]) {
    let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    for i in 0..height {
        let mut line = String::new();
        for (j, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let text = cell.get(i).map_or("", String::as_str);
            if j > 0 {
                line.push_str("  ");
            }
            line.push_str(text);
            if j + 1 < cells.len() {
                line.push_str(&" ".repeat(w.saturating_sub(display_width(text))));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_catalogue;
    use crate::check::testing::{MIXED, catalogue, hubei};
    use crate::report::tables::check_csv;

    #[test]
    fn the_report_renders_as_csv_and_text() {
        let c = catalogue(MIXED);
        let r = check_catalogue(&c, None, &hubei());
        let csv = String::from_utf8(check_csv(&r).unwrap()).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "kind,severity,targets,documents,indicator,figures,explanation"
        );
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.records().count(), r.findings.len());

        let text = check_txt(&r);
        assert!(text.starts_with("3 targets checked:"));
        for f in &r.findings {
            assert!(text.contains(f.kind.as_str()));
        }
        assert!(text.contains("needs_value") && text.contains("conflict"));
    }

    #[test]
    fn wrapping_counts_chinese_characters_as_two_columns() {
        assert_eq!(display_width("湖北 ab"), 7);
        let lines = wrap("全社会研发经费投入年均增长14%以上 and more words here", 12);
        assert!(lines.iter().all(|l| display_width(l) <= 12), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "全社会研发经费投入年均增长14%以上andmorewordshere"
        );
        assert_eq!(wrap("", 5), [""]);
    }
}

//! The one-page dashboard: files written, fonts embedded, failures leave earlier charts.
//!
//! Rows are built from the real catalogues (names, goals, deadlines) with statuses made
//! up deterministically, so the test does not depend on the simulation engine.
//! `cargo test --test dashboard -- --ignored` writes preview images to
//! `out/dashboard_preview/` for looking at.

use std::path::Path;

use goalcast::Error;
use goalcast::plot::{Dashboard, DashboardRow, RowStatus, write_dashboard};

/// Rows from a catalogue: statuses follow the kind (shares, cumulative and per-year goals
/// are not simulated yet, ranks and milestones are recorded), every third level goal
/// lacks a baseline, and probabilities are spread over [0, 1] by a fixed sequence.
fn catalogue_rows(file: &str) -> Vec<DashboardRow> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/catalogue")
        .join(file);
    let mut reader = csv::Reader::from_path(&path).expect("catalogue readable");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (zh, en, kind, comparator, value, unit, deadline, id) = (
        col("name_zh"),
        col("name_en"),
        col("kind"),
        col("comparator"),
        col("target_value"),
        col("unit"),
        col("deadline"),
        col("id"),
    );
    let mut rows = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let r = record.expect("record");
        let v = &r[value];
        let cmp = match &r[comparator] {
            ">=" => "≥",
            "<=" => "≤",
            other => other,
        };
        let goal = match &r[kind] {
            "growth" => format!("年均增长 {} {v} %", cmp),
            "increase" => format!("增长 {} {v} %", cmp),
            "decline" => format!("下降 {} {v} %", cmp),
            "rank" | "milestone" => String::new(),
            _ => format!("{} {v} {}", cmp, &r[unit]),
        };
        let status = match &r[kind] {
            _ if v.is_empty() && !matches!(&r[kind], "rank" | "milestone") => {
                not_simulated("needs_value")
            }
            "share" | "cumulative" | "per_year" => not_simulated("needs_baseline"),
            "rank" | "milestone" => not_simulated("recorded"),
            "level" if k % 3 == 0 => not_simulated("needs_baseline"),
            _ => {
                // A fixed low-discrepancy sequence over [0, 1].
                let p = (k as f64 * 0.618_034).fract();
                RowStatus::Simulated {
                    p_reach: p,
                    p_reach_se: (p * (1.0 - p) / 20_000.0).sqrt(),
                    required_growth_pct: Some(4.0 + 20.0 * (1.0 - p)),
                    assumed_growth_pct: 8.0 + (k % 7) as f64,
                    share_over_100: (k % 5 == 0).then_some(0.2),
                }
            }
        };
        rows.push(DashboardRow {
            id: r[id].to_string(),
            name_zh: r[zh].to_string(),
            name_en: r[en].to_string(),
            goal,
            deadline: r[deadline].parse().expect("deadline"),
            status,
            official: if k % 2 == 0 {
                "StatCan: on track".to_string()
            } else {
                "StatCan n/a: fewer than two values from the base year on".to_string()
            },
        });
    }
    rows
}

fn not_simulated(reason: &str) -> RowStatus {
    RowStatus::NotSimulated {
        reason: reason.to_string(),
    }
}

fn dashboard(rows: &[DashboardRow]) -> Dashboard<'_> {
    Dashboard {
        title_zh: "关于加快发展新质生产力的若干措施（2024）",
        title_en: "Hubei 2024: measures to accelerate new quality productive forces (seed 000)",
        subtitle: "情景 scenario: baseline · 20,000 paths · seed 20240421",
        rows,
    }
}

#[test]
fn forty_mixed_rows_write_png_and_svg_with_chinese_text() {
    let rows: Vec<_> = catalogue_rows("000_hubei_2024.csv")
        .into_iter()
        .take(40)
        .collect();
    assert_eq!(rows.len(), 40);
    let simulated = rows
        .iter()
        .filter(|r| matches!(r.status, RowStatus::Simulated { .. }))
        .count();
    assert!(simulated > 3 && simulated < 37, "a mix of statuses");

    let dir = tempfile::tempdir().unwrap();
    let [png, svg] = write_dashboard(&dashboard(&rows), dir.path(), "dashboard").unwrap();
    assert_eq!(png, dir.path().join("dashboard.png"));
    assert_eq!(svg, dir.path().join("dashboard.svg"));
    let png_bytes = std::fs::read(&png).unwrap();
    assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(svg_text.contains("全社会研发经费投入"));
    assert!(svg_text.contains("未模拟"));
    assert!(svg_text.contains("需 14.0 %/年") || svg_text.contains("需 "));
    // Targets not simulated are one folded list per reason, each named with its deadline,
    // not a grey bar each.
    let not_simulated: Vec<&DashboardRow> = rows
        .iter()
        .filter(|r| matches!(r.status, RowStatus::NotSimulated { .. }))
        .collect();
    assert!(!not_simulated.is_empty());
    for r in &not_simulated {
        let RowStatus::NotSimulated { reason } = &r.status else {
            unreachable!()
        };
        assert!(
            svg_text.contains(&format!("{}（", goalcast::plot::reason_text(reason))),
            "{reason}"
        );
        assert!(
            svg_text.contains(&format!("{} ({})", r.name_zh, r.deadline)),
            "{}",
            r.name_zh
        );
    }
    // Only the two charts are left: no temporary files.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["dashboard.png", "dashboard.svg"]);
}

#[test]
fn a_failed_dashboard_leaves_the_earlier_one() {
    let rows = catalogue_rows("001_ezhou_2029.csv");
    let dir = tempfile::tempdir().unwrap();
    let [png, svg] = write_dashboard(&dashboard(&rows), dir.path(), "d").unwrap();
    let (png_before, svg_before) = (std::fs::read(&png).unwrap(), std::fs::read(&svg).unwrap());

    let mut bad = rows.clone();
    bad.push(DashboardRow {
        id: "broken".to_string(),
        name_zh: "坏".to_string(),
        name_en: "broken".to_string(),
        goal: String::new(),
        deadline: 2029,
        official: String::new(),
        status: RowStatus::Simulated {
            p_reach: f64::NAN,
            p_reach_se: 0.0,
            required_growth_pct: Some(1.0),
            assumed_growth_pct: 1.0,
            share_over_100: None,
        },
    });
    let e = write_dashboard(&dashboard(&bad), dir.path(), "d").unwrap_err();
    assert!(
        matches!(&e, Error::Plot { reason, .. } if reason.contains("broken")),
        "{e}"
    );
    assert_eq!(std::fs::read(&png).unwrap(), png_before);
    assert_eq!(std::fs::read(&svg).unwrap(), svg_before);
}

#[test]
fn a_missing_directory_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir");
    let rows = catalogue_rows("001_ezhou_2029.csv");
    let e = write_dashboard(&dashboard(&rows), &missing, "d").unwrap_err();
    assert!(matches!(e, Error::Plot { .. }), "{e}");
}

#[test]
fn no_rows_still_draw() {
    let dir = tempfile::tempdir().unwrap();
    let [png, _] = write_dashboard(&dashboard(&[]), dir.path(), "empty").unwrap();
    assert!(png.exists());
}

/// Writes preview images of a small and a large dashboard for looking at.
#[test]
#[ignore = "writes preview images to out/dashboard_preview/"]
fn preview() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("out/dashboard_preview");
    std::fs::create_dir_all(&out).unwrap();

    // Small: the four goals of seed 000 simulated in the baseline run, and one without a base.
    let all = catalogue_rows("000_hubei_2024.csv");
    let real = [
        ("000_rd_expenditure_growth", 0.21775, 0.00292, 14.0, 12.2),
        ("000_tech_contract_turnover", 0.36845, 0.00341, 22.1, 20.3),
        ("000_high_tech_enterprises", 0.99895, 0.00023, 19.27, 28.0),
        ("000_import_export_total", 0.34845, 0.00337, 9.28, 8.0),
    ];
    let mut small: Vec<DashboardRow> = real
        .iter()
        .map(|&(id, p, se, req, assumed)| {
            let mut r = all.iter().find(|r| r.id == id).unwrap().clone();
            r.status = RowStatus::Simulated {
                p_reach: p,
                p_reach_se: se,
                required_growth_pct: Some(req),
                assumed_growth_pct: assumed,
                share_over_100: None,
            };
            r
        })
        .collect();
    small.push(
        all.iter()
            .find(|r| r.id == "000_sei_value_added")
            .unwrap()
            .clone(),
    );
    small[4].status = not_simulated("needs_baseline");
    write_dashboard(&dashboard(&small), &out, "dashboard_small").unwrap();

    // Large: the 69 goals of seed 002 and one from seed 000, with made-up statuses.
    let mut large = catalogue_rows("002_hubei_manufacturing_2025.csv");
    large.extend(
        all.into_iter()
            .filter(|r| r.id == "000_emerging_specialty_clusters_500bn"),
    );
    assert_eq!(large.len(), 70);
    let d = Dashboard {
        title_zh: "湖北省制造业高质量发展“十四五”规划",
        title_en: "Hubei manufacturing high-quality development plan, 14th Five-Year Plan (seed 002)",
        ..dashboard(&large)
    };
    write_dashboard(&d, &out, "dashboard_large").unwrap();
}

//! The tornado chart: files written, rows in order, failures leave earlier charts.
//!
//! `cargo test --test tornado -- --ignored` writes preview images to
//! `out/tornado_preview/` for looking at.

use std::path::Path;

use goalcast::Error;
use goalcast::analysis::{Sensitivity, SensitivityRow};
use goalcast::plot::{TornadoChart, write_tornado};

fn row(
    name: &str,
    base: f64,
    low: f64,
    high: f64,
    p: (Option<f64>, Option<f64>),
) -> SensitivityRow {
    SensitivityRow {
        parameter: name.to_string(),
        base_value: base,
        low_value: low,
        high_value: high,
        p_low: p.0,
        p_high: p.1,
    }
}

/// Every case a chart must survive: bars on both sides, both on one side (an effect that
/// is not monotone), a side the model refuses, a parameter with no effect, a parameter
/// the chart has no Chinese name for.
fn awkward() -> Sensitivity {
    Sensitivity {
        target: "001_gdp_level".to_string(),
        p_base: 0.62,
        paths: 100_000,
        rows: vec![
            row("growth", 0.06, 0.05, 0.07, (Some(0.31), Some(0.86))),
            row("volatility", 0.03, 0.0225, 0.0375, (Some(0.66), Some(0.59))),
            row("persistence", 0.9, 0.675, 1.125, (Some(0.52), None)),
            row("df", 5.0, 3.75, 6.25, (Some(0.64), Some(0.655))),
            row(
                "shock_probability",
                0.05,
                0.0375,
                0.0625,
                (Some(0.63), Some(0.61)),
            ),
            row("new_thing", 2.0, 1.5, 2.5, (Some(0.62), Some(0.62))),
        ],
    }
}

fn chart(s: &Sensitivity) -> TornadoChart<'_> {
    TornadoChart {
        sensitivity: s,
        title_zh: "鄂州市地区生产总值突破1500亿元 (2025年)",
        title_en: "Ezhou GDP above 150 billion yuan by 2025 (illustrative figures)",
        roles: &[],
    }
}

fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn writes_png_and_svg_with_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let s = awkward();
    let [png, svg] = write_tornado(&chart(&s), dir.path(), "tornado").unwrap();
    // 1200 wide, 150 + 110 + 90 per row high.
    assert_eq!(png_size(&png), (1200, 150 + 110 + 90 * 6));
    let text = std::fs::read_to_string(&svg).unwrap();
    for needle in [
        "鄂州市地区生产总值",
        "Ezhou GDP",
        "增长率 growth",
        "基准 base 62.0 %",
        "86.0 %",
        "无效 n/a",
        "new thing",
        "100,000 paths",
    ] {
        assert!(text.contains(needle), "the SVG lacks {needle:?}");
    }
    // Largest swing on top: growth's label is drawn above volatility's.
    let y_of = |needle: &str| {
        let at = text.find(needle).unwrap();
        let tag = &text[text[..at].rfind("<text").unwrap()..at];
        let y = tag.split("y=\"").nth(1).unwrap();
        y[..y.find('"').unwrap()].parse::<f64>().unwrap()
    };
    assert!(y_of("增长率 growth") < y_of("波动率 volatility"));
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn a_bad_probability_is_a_plot_error_and_keeps_the_earlier_chart() {
    let dir = tempfile::tempdir().unwrap();
    let good = awkward();
    let [png, _] = write_tornado(&chart(&good), dir.path(), "t").unwrap();
    let before = std::fs::read(&png).unwrap();
    let mut bad = awkward();
    bad.rows[0].p_high = Some(1.2);
    match write_tornado(&chart(&bad), dir.path(), "t") {
        Err(Error::Plot { path, reason }) => {
            assert_eq!(path, png);
            assert!(reason.contains("1.2"), "{reason}");
        }
        other => panic!("expected a plot error, got {other:?}"),
    }
    assert_eq!(std::fs::read(&png).unwrap(), before);
    // A directory that does not exist: a plot error naming the chart, not a panic.
    let missing = dir.path().join("no/such/dir");
    assert!(matches!(
        write_tornado(&chart(&good), &missing, "t"),
        Err(Error::Plot { .. })
    ));
}

#[test]
fn no_parameters_still_draws() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sensitivity {
        rows: Vec::new(),
        ..awkward()
    };
    let [png, svg] = write_tornado(&chart(&s), dir.path(), "empty").unwrap();
    assert_eq!(png_size(&png), (1200, 150 + 110 + 90));
    assert!(
        std::fs::read_to_string(svg)
            .unwrap()
            .contains("no parameter to shift")
    );
}

#[test]
#[ignore = "writes preview images to out/tornado_preview/"]
fn preview() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("out/tornado_preview");
    std::fs::create_dir_all(&dir).unwrap();
    let s = awkward();
    write_tornado(&chart(&s), &dir, "awkward").unwrap();
    let one = Sensitivity {
        rows: vec![row("growth", 0.14, 0.13, 0.15, (Some(0.02), Some(0.97)))],
        p_base: 0.5,
        ..awkward()
    };
    write_tornado(&chart(&one), &dir, "one_row").unwrap();
}

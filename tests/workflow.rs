//! The analyst's outputs of a whole run: the workbook read back by another reader, the
//! JSON parsed back, the CSVs with a byte-order mark, progress told phase by phase, and
//! report.html rendered in a real browser (headless Chromium).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use calamine::{Data, Reader, Xlsx, open_workbook};
use goalcast::assess::{Assessment, Event, Observer};
use goalcast::report::FileRun;
use goalcast::report::json::Results;

#[derive(Default)]
struct Recorder(Mutex<Vec<Event>>);

impl Observer for Recorder {
    fn observe(&self, event: Event) {
        self.0.lock().unwrap().push(event);
    }
}

/// The Hubei 2024 document's run with few paths, every extra on, into a temporary folder.
fn hubei_run(dir: &Path) -> (Assessment, Vec<PathBuf>, Vec<Event>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut run = FileRun::seed_document(root, "000_hubei_2024", "hubei_2024", ("湖北", "Hubei"));
    run.out = dir.to_path_buf();
    run.settings.paths = 2_000;
    run.extras.csv_bom = true;
    let recorder = Recorder::default();
    let (a, written) = run.run_observed(&recorder).unwrap();
    (a, written, recorder.0.into_inner().unwrap())
}

fn summary_csv(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    // The csv crate strips the byte-order mark.
    let mut r = csv::Reader::from_path(dir.join("summary.csv")).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Whether `text` of column `column` is written as a number by the workbook and JSON.
fn is_number(column: &str, text: &str) -> bool {
    goalcast::report::cells::numeric(column).is_some() && text.parse::<f64>().is_ok()
}

#[test]
fn a_hubei_run_writes_workbook_json_bom_and_tells_its_phases() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (a, written, events) = hubei_run(dir);
    for name in ["results.xlsx", "results.json", "report.html"] {
        assert!(written.contains(&dir.join(name)), "{name} not written");
    }
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"results.xlsx\"") && manifest.contains("\"report.html\""));

    // Phases in order: planned, every simulation, the analysis, the charts.
    let phase = |e: &Event| match e {
        Event::Planned { .. } => 0,
        Event::Simulated { .. } => 1,
        Event::Analysed { .. } => 2,
        Event::Drawn { .. } => 3,
        _ => 9,
    };
    let phases: Vec<i32> = events.iter().map(phase).collect();
    assert!(phases.windows(2).all(|w| w[0] <= w[1]), "{phases:?}");
    for p in 0..4 {
        assert!(phases.contains(&p), "phase {p} not told: {phases:?}");
    }
    let last = |p: i32| events.iter().rev().find(|e| phase(e) == p).unwrap();
    for p in 1..4 {
        match *last(p) {
            Event::Simulated { done, total }
            | Event::Analysed { done, total }
            | Event::Drawn { done, total } => assert_eq!(done, total),
            _ => unreachable!(),
        }
    }

    // Every CSV starts with a byte-order mark.
    for path in written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
    {
        let bytes = std::fs::read(path).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{}", path.display());
        assert!(
            !bytes[3..].starts_with(b"\xEF\xBB\xBF"),
            "{}",
            path.display()
        );
    }

    let (header, rows) = summary_csv(dir);
    assert_eq!(rows.len(), a.targets.len());

    // The workbook, read by calamine, holds the summary cell for cell.
    let mut book: Xlsx<_> = open_workbook(dir.join("results.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "summary",
            "quantiles",
            "first_reached",
            "scenarios",
            "sensitivity",
            "check"
        ]
    );
    let sheet = book.worksheet_range("summary").unwrap();
    let cells: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(cells.len(), rows.len() + 1);
    for (c, name) in header.iter().enumerate() {
        assert_eq!(cells[0][c], Data::String(name.clone()));
    }
    let mut numbers = 0;
    let mut chinese = 0;
    for (row, csv_row) in cells[1..].iter().zip(&rows) {
        for (c, text) in csv_row.iter().enumerate() {
            let cell = row.get(c).cloned().unwrap_or(Data::Empty);
            let expected = if text.is_empty() {
                Data::Empty
            } else if is_number(&header[c], text) {
                numbers += 1;
                Data::Float(text.parse().unwrap())
            } else {
                chinese += usize::from(
                    text.chars()
                        .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                );
                Data::String(text.clone())
            };
            assert_eq!(cell, expected, "row {} column {}", row[0], header[c]);
        }
    }
    assert!(
        numbers > 100 && chinese > 50,
        "{numbers} numbers, {chinese} Chinese cells"
    );
    // The check sheet has the findings of check.csv's format.
    let check = book.worksheet_range("check").unwrap();
    assert_eq!(check.rows().next().unwrap()[0], Data::String("kind".into()));
    assert!(check.height() > 1);

    // results.json parses back into its serde type, with the same figures.
    let text = std::fs::read_to_string(dir.join("results.json")).unwrap();
    let results: Results = serde_json::from_str(&text).unwrap();
    assert_eq!(results.columns, header);
    assert_eq!(results.settings.paths, 2_000);
    assert_eq!(results.settings.seed, goalcast::DEFAULT_SEED);
    assert_eq!(results.targets.len(), rows.len());
    for (object, csv_row) in results.targets.iter().zip(&rows) {
        for (c, text) in csv_row.iter().enumerate() {
            let value = &object[&header[c]];
            if text.is_empty() {
                assert!(value.is_null());
            } else if is_number(&header[c], text) {
                assert_eq!(value.as_f64(), Some(text.parse().unwrap()));
            } else {
                assert_eq!(value.as_str(), Some(text.as_str()));
            }
        }
    }

    // Reported figures carry the precision they have.
    let p = header.iter().position(|h| h == "p_reach").unwrap();
    let q = header.iter().position(|h| h == "q50").unwrap();
    for row in &rows {
        if let Some((_, decimals)) = row[p].split_once('.') {
            assert!(decimals.len() <= 4, "{}", row[p]);
        }
        let digits = row[q]
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>();
        assert!(digits.trim_matches('0').len() <= 6, "{}", row[q]);
    }

    // report.html is self-contained and renders in a real browser.
    browser_checks(dir, a.targets.len());
}

fn chromium(args: &[String]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .expect("Chromium is needed for this test: apt-get install chromium (.ci/run does)");
    Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .expect("Chromium starts")
}

fn browser_checks(dir: &Path, targets: usize) {
    let page = dir.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    for external in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(
            !html.contains(external),
            "report.html refers outside: {external}"
        );
    }
    assert!(html.matches("<svg").count() > 20, "charts inline");
    let url = format!("file://{}", page.display());

    // After the script runs, the goals table has one row per goal.
    let dom = chromium(&["--dump-dom".into(), url.clone()]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains(&format!("data-goal-rows=\"{targets}\"")),
        "the script did not count {targets} rows"
    );
    let goals = &dom[dom.find("<table id=\"goals\"").unwrap()..];
    let goals = &goals[..goals.find("</table>").unwrap()];
    assert_eq!(goals.matches("<tr class=").count(), targets);

    // A screenshot that is not blank: many pixels are neither white nor one colour.
    let shot = dir.join("report.png");
    let out = chromium(&[
        "--window-size=1280,1600".into(),
        format!("--screenshot={}", shot.display()),
        url,
    ]);
    assert!(shot.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    let decoder = png::Decoder::new(std::fs::File::open(&shot).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let pixels = bytes.len() / step;
    let inked = bytes
        .chunks(step)
        .filter(|p| p[..3].iter().any(|&c| c < 200))
        .count();
    assert!(info.width == 1280 && pixels > 1_000_000);
    assert!(
        inked * 100 > pixels,
        "blank screenshot: {inked} of {pixels} pixels inked"
    );
}

fn goalcast(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_goalcast"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_filled_baseline_template_turns_waiting_goals_into_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let catalogue = file(
        "catalogue.csv",
        "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote\n\
         tc,tech_contract_turnover,Hubei,技术合同成交额,Technology contracts,亿元,level,>=,,,10000,2028,000,突破万亿元\n\
         rd,rd_expenditure,Hubei,研发经费投入,R&D expenditure,亿元,level,>=,2023,,2000,2028,000,达到2000亿元\n\
         rank,innovation_rank,Hubei,创新能力排名,Innovation rank,rank,rank,<=,,,7,2028,000,进入前7\n",
    );
    let scenario = file(
        "scenario.toml",
        "[defaults]\nmodel = \"lognormal\"\ngrowth_pct = 10\nvolatility_pct = 5\n",
    );
    let template = tmp.path().join("template.csv");
    let out = tmp.path().join("out");
    let run = |history: Option<&str>| {
        let mut args = vec!["run", "--catalogue", &catalogue, "--scenario", &scenario];
        args.extend(["--paths", "2000", "--out", out.to_str().unwrap()]);
        if let Some(h) = history {
            args.extend(["--history", h]);
        }
        String::from_utf8(goalcast(&args).stdout).unwrap()
    };

    // Unfilled: both goals wait, and the run says which and why.
    let before = run(None);
    assert!(before.contains("simulated 0:"), "{before}");
    assert!(
        before.contains("needs_baseline 2 (no base value"),
        "{before}"
    );
    assert!(
        before.contains("recorded 1 (a rank or milestone"),
        "{before}"
    );

    goalcast(&[
        "check",
        "--catalogue",
        &catalogue,
        "--template",
        template.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&template).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("indicator,jurisdiction,year,value,unit,bound,source,quote,note,reliability")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(
        rows[0].starts_with("rd_expenditure,Hubei,2023,,亿元,"),
        "{text}"
    );
    assert!(
        rows[1].starts_with("tech_contract_turnover,Hubei,"),
        "{text}"
    );

    // Filled with numbers, passed as the history: both goals are answered.
    let mut reader = csv::Reader::from_path(&template).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(reader.headers().unwrap()).unwrap();
    for record in reader.records() {
        let mut cells: Vec<String> = record.unwrap().iter().map(String::from).collect();
        cells[3] = "1000".into();
        cells[6] = "filled by hand".into();
        writer.write_record(&cells).unwrap();
    }
    let filled = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let history = file("filled.csv", &filled);
    let after = run(Some(&history));
    assert!(after.contains("simulated 2: tc, rd"), "{after}");
    assert!(!after.contains("needs_baseline"), "{after}");
}

//! The command line end to end, and clear errors for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote";
const GOOD_ROWS: &str = "\
rd,rd_expenditure,Hubei,研发经费投入,R&D expenditure,亿元,growth,>=,2022,1254.7,14,2028,000,年均增长14%以上
tc,tech_contract_turnover,Hubei,技术合同成交额,Technology contracts,亿元,level,>=,2022,3017.86,10000,2028,000,突破万亿元
en,energy_intensity,Hubei,单位GDP能耗,Energy intensity,tce/万元,decline,<=,2023,0.5,10,2028,000,下降10%以上
rank,innovation_rank,Hubei,创新能力排名,Innovation rank,rank,rank,<=,,,7,2028,000,进入前7
";
const SCENARIO: &str = "
name = \"cli-test\"
[defaults]
model = \"lognormal\"
volatility_pct = 5
[indicators.rd_expenditure]
growth_pct = 12
[indicators.tech_contract_turnover]
growth_pct = 20
[indicators.energy_intensity]
model = \"deterministic\"
growth_pct = -2.5
";

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Self {
        Dir(tempfile::tempdir().unwrap())
    }
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

fn goalcast(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goalcast"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn run(catalogue: &Path, scenario: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "--catalogue",
        catalogue.to_str().unwrap(),
        "--scenario",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--paths",
        "20000",
    ];
    args.extend_from_slice(extra);
    goalcast(&args)
}

#[test]
fn end_to_end_writes_tables_charts_and_manifest() {
    let d = Dir::new();
    let cat = d.file("cat.csv", &format!("{HEADER}\n{GOOD_ROWS}"));
    let scen = d.file("scen.toml", SCENARIO);
    let out = d.path("out");
    let o = run(&cat, &scen, &out, &["--seed", "7"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    for f in [
        "summary.csv",
        "quantiles.csv",
        "first_reached.csv",
        "manifest.json",
        "fan_hubei_rd_expenditure.png",
        "fan_hubei_rd_expenditure.svg",
        "fan_hubei_energy_intensity.png",
    ] {
        let meta = std::fs::metadata(out.join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        assert!(meta.len() > 100, "{f} is nearly empty");
    }
    let png = std::fs::read(out.join("fan_hubei_rd_expenditure.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let svg = std::fs::read_to_string(out.join("fan_hubei_rd_expenditure.svg")).unwrap();
    assert!(svg.contains("研发经费投入") && svg.contains("R&amp;D expenditure"));

    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    for col in [
        "target",
        "indicator",
        "kind",
        "comparator",
        "base_year",
        "base_value",
        "target_value",
        "deadline",
        "model",
        "growth_pct",
        "volatility_pct",
        "paths",
        "seed",
        "p_reach",
        "p_reach_se",
        "p_reach_by",
        "p_reach_closed_form",
        "required_growth_pct",
        "q05",
        "q50",
        "q95",
    ] {
        assert!(header.contains(&col), "summary.csv lacks {col}");
    }
    let mut reader = csv::Reader::from_reader(summary.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    assert_eq!(rows.len(), 4);
    for row in &rows[..3] {
        assert_eq!(&row[col("status")], "simulated");
        assert_eq!(&row[col("seed")], "7");
        let p: f64 = row[col("p_reach")].parse().unwrap();
        let se: f64 = row[col("p_reach_se")].parse().unwrap();
        let cf: f64 = row[col("p_reach_closed_form")].parse().unwrap();
        // both written to 4 decimals, the standard error to 2 significant digits
        assert!((p - cf).abs() <= 4.0 * se + 1e-4, "{p} vs {cf} ± {se}");
    }
    // the rank is recorded, with its figures left empty
    assert_eq!(&rows[3][col("status")], "recorded");
    assert_eq!(&rows[3][col("p_reach")], "");
    // the deterministic decline: −2.5 %/yr for 5 years is −11.9 %: reached for sure
    assert_eq!(&rows[2][col("p_reach")], "1");
    assert_eq!(&rows[2][col("volatility_pct")], "");

    let quantiles = std::fs::read_to_string(out.join("quantiles.csv")).unwrap();
    assert!(quantiles.starts_with("indicator,year,q05,q25,q50,q75,q95"));
    let first = std::fs::read_to_string(out.join("first_reached.csv")).unwrap();
    assert!(
        first.starts_with("target,year,probability,p_holds\nrd,2023,"),
        "{first}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 7);
    assert_eq!(manifest["paths"], 20000);
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), 2);
    assert_eq!(manifest["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn thread_count_does_not_change_outputs() {
    let d = Dir::new();
    let cat = d.file("cat.csv", &format!("{HEADER}\n{GOOD_ROWS}"));
    let scen = d.file("scen.toml", SCENARIO);
    let read = |out: &Path, f: &str| std::fs::read(out.join(f)).unwrap();
    let (a, b) = (d.path("t1"), d.path("t2"));
    assert!(run(&cat, &scen, &a, &["--threads", "1"]).status.success());
    assert!(run(&cat, &scen, &b, &["--threads", "2"]).status.success());
    for f in [
        "summary.csv",
        "quantiles.csv",
        "first_reached.csv",
        "results.xlsx",
        "results.json",
    ] {
        assert!(
            read(&a, f) == read(&b, f),
            "{f} differs between 1 and 2 threads"
        );
    }
}

/// Runs on a catalogue with one bad row and checks the message names file, line and column.
fn assert_catalogue_error(row: &str, column: &str, fragment: &str) {
    let d = Dir::new();
    let cat = d.file("bad.csv", &format!("{HEADER}\n{GOOD_ROWS}{row}\n"));
    let scen = d.file("scen.toml", SCENARIO);
    let o = run(&cat, &scen, &d.path("out"), &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "accepted a bad row: {row}");
    assert!(!err.contains("panicked"), "panicked on {row}: {err}");
    assert!(
        err.contains("bad.csv") && err.contains("line 6"),
        "no file/line in: {err}"
    );
    assert!(
        err.contains(&format!("column `{column}`")),
        "no column `{column}` in: {err}"
    );
    assert!(err.contains(fragment), "`{fragment}` not in: {err}");
}

#[test]
fn bad_catalogue_rows_are_named() {
    let cases = [
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,level,>=,2022,NaN,60000,2028,000,q",
            "base_value",
            "not a finite number",
        ),
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,level,>=,2022,53734,inf,2028,000,q",
            "target_value",
            "not a finite number",
        ),
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,level,>=,2022,53734,,2028,000,q",
            "target_value",
            "empty cell",
        ),
        (
            "x,gdp,Hubei,,GDP,亿元,level,>=,2022,53734,60000,2028,000,q",
            "name_zh",
            "empty cell",
        ),
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,level,>=,2022,-5,60000,2028,000,q",
            "base_value",
            "must be positive",
        ),
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,growth,>=,2022,53734,6,2020,000,q",
            "deadline",
            "after the base year 2022",
        ),
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,levle,>=,2022,53734,60000,2028,000,q",
            "kind",
            "unknown kind",
        ),
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,level,=>,2022,53734,60000,2028,000,q",
            "comparator",
            "unknown comparator",
        ),
        (
            "x,energy,Hubei,能耗,Energy,tce,decline,<=,2022,0.5,120,2028,000,q",
            "target_value",
            "strictly between 0 and 100",
        ),
        (
            "x,energy,Hubei,能耗,Energy,tce,decline,>=,2022,0.5,10,2028,000,q",
            "comparator",
            "`<=`",
        ),
        (
            "x,mfg,Hubei,制造业,Manufacturing,%,share,>=,,,140,2028,000,q",
            "target_value",
            "(0, 100]",
        ),
        (
            "x,mfg,Hubei,制造业,Manufacturing,%,share,>=,,,30,2028,000,q",
            "denominator",
            "denominator",
        ),
        (
            "x,rate,Hubei,转化率,Conversion rate,%,level,>=,,,140,2028,000,q",
            "target_value",
            "cannot exceed 100",
        ),
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,growth,>=,,,6,2028,000,q",
            "base_year",
            "base year",
        ),
        (
            "x,gdp,Hubei,生产总值,GDP,亿元,level,>=,2022,53734,60000,2028.5,000,q",
            "deadline",
            "calendar year",
        ),
        (
            "rd,gdp,Hubei,生产总值,GDP,亿元,level,>=,2022,53734,60000,2028,000,q",
            "id",
            "duplicated target id",
        ),
        (
            "x,rd_expenditure,Hubei,研发,R&D,万元,level,>=,,,3000,2028,000,q",
            "unit",
            "one unit",
        ),
        (
            "x,rd_expenditure,Hubei,研发,R&D,亿元,level,>=,2022,1300,3000,2028,000,q",
            "base_value",
            "one value per year",
        ),
    ];
    for (row, column, fragment) in cases {
        assert_catalogue_error(row, column, fragment);
    }
}

fn assert_fails_with(cat_text: &str, scen_text: &str, fragments: &[&str]) {
    let d = Dir::new();
    let cat = d.file("bad.csv", cat_text);
    let scen = d.file("scen.toml", scen_text);
    let o = run(&cat, &scen, &d.path("out"), &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "accepted bad input; expected {fragments:?}"
    );
    assert!(!err.contains("panicked"), "panicked: {err}");
    for f in fragments {
        assert!(err.contains(f), "`{f}` not in: {err}");
    }
}

#[test]
fn malformed_files_are_named() {
    let good = format!("{HEADER}\n{GOOD_ROWS}");
    // a row with too few fields
    assert_fails_with(
        &format!("{good}x,gdp,Hubei\n"),
        SCENARIO,
        &["bad.csv", "line 6", "3 fields where the header has 14"],
    );
    // a missing column
    assert_fails_with(
        "id,indicator\nx,gdp\n",
        SCENARIO,
        &["bad.csv", "lacks required column"],
    );
    // an unknown column (a typo would otherwise be ignored)
    assert_fails_with(
        &format!("{HEADER},notes\n"),
        SCENARIO,
        &["bad.csv", "unknown column `notes`"],
    );
}

#[test]
fn bad_scenarios_are_named() {
    let cat = format!("{HEADER}\n{GOOD_ROWS}");
    // no growth assumption for a simulated indicator, estimating refused: named, never
    // defaulted
    let missing = SCENARIO.replace("[indicators.tech_contract_turnover]\ngrowth_pct = 20\n", "");
    assert_fails_with(
        &cat,
        &format!("unstated = \"refuse\"\n{missing}"),
        &["scen.toml", "Hubei/tech_contract_turnover", "growth_pct"],
    );
    // estimated by default, but with no history anywhere there is nothing to estimate
    // from: named, never defaulted
    assert_fails_with(
        &cat,
        &missing,
        &[
            "Hubei/tech_contract_turnover",
            "no series of any class has history",
        ],
    );
    // an unknown value of `unstated`
    assert_fails_with(
        &cat,
        &format!("unstated = \"guess\"\n{SCENARIO}"),
        &["scen.toml", "unstated", "unknown value `guess`"],
    );
    // unknown key
    let typo = SCENARIO.replace("volatility_pct = 5", "volatilty_pct = 5");
    assert_fails_with(
        &cat,
        &typo,
        &["scen.toml", "line 5", "unknown field `volatilty_pct`"],
    );
    // impossible parameters
    let neg = SCENARIO.replace("volatility_pct = 5", "volatility_pct = -5");
    assert_fails_with(
        &cat,
        &neg,
        &["scen.toml", "defaults.volatility_pct", "non-negative"],
    );
    let fall = SCENARIO.replace("growth_pct = 12", "growth_pct = -150");
    assert_fails_with(
        &cat,
        &fall,
        &[
            "scen.toml",
            "indicators.rd_expenditure.growth_pct",
            "above -100",
        ],
    );
    let nan = SCENARIO.replace("growth_pct = 12", "growth_pct = nan");
    assert_fails_with(&cat, &nan, &["scen.toml", "growth_pct", "finite"]);
    let model = SCENARIO.replace("model = \"lognormal\"", "model = \"garch\"");
    assert_fails_with(
        &cat,
        &model,
        &["scen.toml", "defaults.model", "unknown model `garch`"],
    );
    // an indicator the catalogue does not have
    let extra = format!("{SCENARIO}\n[indicators.gpd]\ngrowth_pct = 5\n");
    assert_fails_with(
        &cat,
        &extra,
        &["scen.toml", "indicators.gpd", "no indicator `gpd`"],
    );
    // not TOML at all
    assert_fails_with(&cat, "growth = [", &["scen.toml", "line 1"]);
}

#[test]
fn non_utf8_catalogue_is_refused() {
    let d = Dir::new();
    let cat = d.path("gbk.csv");
    let mut bytes = format!("{HEADER}\n").into_bytes();
    bytes.extend_from_slice(b"x,gdp,Hubei,\xc9\xfa\xb2\xfa,GDP,yi,level,>=,2022,1,2,2028,000,q\n");
    std::fs::write(&cat, bytes).unwrap();
    let scen = d.file("scen.toml", SCENARIO);
    let o = run(&cat, &scen, &d.path("out"), &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("gbk.csv") && err.contains("UTF-8"), "{err}");
}

#[test]
fn a_failed_run_keeps_earlier_results() {
    let d = Dir::new();
    let cat = d.file("cat.csv", &format!("{HEADER}\n{GOOD_ROWS}"));
    let scen = d.file("scen.toml", SCENARIO);
    let out = d.path("out");
    assert!(run(&cat, &scen, &out, &[]).status.success());
    let before = std::fs::read(out.join("summary.csv")).unwrap();
    let broken = d.file(
        "broken.toml",
        &SCENARIO.replace("growth_pct = 20", "growth_pct = -200"),
    );
    assert!(!run(&cat, &broken, &out, &[]).status.success());
    assert_eq!(std::fs::read(out.join("summary.csv")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files left behind: {leftovers:?}"
    );
}

#[test]
fn bad_flags_are_refused_by_the_parser() {
    let o = goalcast(&["run", "--catalogue", "x.csv", "--out", "o", "--paths", "0"]);
    assert!(!o.status.success());
    let o = goalcast(&[
        "run",
        "--catalogue",
        "x.csv",
        "--out",
        "o",
        "--threads",
        "0",
    ]);
    assert!(!o.status.success());
    let o = goalcast(&[
        "run",
        "--catalogue",
        "/nonexistent/x.csv",
        "--out",
        "/tmp/goalcast-never",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("/nonexistent/x.csv"),
        "{err}"
    );
}

#[test]
fn check_subcommand_reads_the_whole_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = Dir::new();
    let out = d.path("check");
    let mut args: Vec<String> = vec!["check".into(), "--catalogue".into()];
    for f in std::fs::read_dir(root.join("data/catalogue")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "csv") {
            args.push(p.display().to_string());
        }
    }
    args.extend([
        "--history".into(),
        root.join("data/history.csv").display().to_string(),
    ]);
    args.extend(["--out".into(), out.display().to_string()]);
    let o = goalcast(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("targets checked") && text.contains("implied_denominator"),
        "{text}"
    );
    let csv = std::fs::read_to_string(out.join("check.csv")).unwrap();
    assert!(csv.starts_with("kind,severity,targets"));
    assert_eq!(
        std::fs::read_to_string(out.join("check.txt")).unwrap(),
        text
    );
}

#[test]
fn check_takes_the_hierarchy_from_the_jurisdictions_file() {
    let d = Dir::new();
    let cat = d.file(
        "cat.csv",
        &format!(
            "{HEADER}\n\
             a,hte,Changsha,高企,HTE,count,level,>=,,,900,2028,000,q\n\
             b,hte,Hunan,高企,HTE,count,level,>=,,,800,2028,000,q\n"
        ),
    );
    let good = d.file(
        "j.csv",
        "jurisdiction,parent,name_zh,name_en\nHunan,,湖南省,Hunan\nChangsha,Hunan,长沙市,Changsha\n",
    );
    let bad = d.file(
        "bad_j.csv",
        "jurisdiction,parent,name_zh,name_en\nChangsha,Hunan,长沙市,Changsha\n",
    );
    let check = |extra: &[&str], dir: &Path| {
        let mut args = vec!["check", "--catalogue", cat.to_str().unwrap()];
        args.extend(extra);
        Command::new(env!("CARGO_BIN_EXE_goalcast"))
            .args(&args)
            .current_dir(dir)
            .output()
            .expect("the binary runs")
    };
    let csv = |o: &Output, out: &Path| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(out.join("check.csv")).unwrap()
    };
    let (with, without) = (d.path("with"), d.path("without"));
    let o = check(
        &[
            "--jurisdictions",
            good.to_str().unwrap(),
            "--out",
            with.to_str().unwrap(),
        ],
        d.0.path(),
    );
    let table = csv(&o, &with);
    assert!(
        table.contains("A part of Hunan cannot need more than the whole: a exceeds b."),
        "{table}"
    );
    // No flag and no data/jurisdictions.csv in the working directory: no hierarchy.
    let o = check(&["--out", without.to_str().unwrap()], d.0.path());
    let table = csv(&o, &without);
    assert!(
        table.contains("`level` goals on hte in 2 jurisdictions:"),
        "{table}"
    );
    assert!(!table.contains("A part of"), "{table}");
    // A parent without a row is refused, naming file, line and column.
    let o = check(&["--jurisdictions", bad.to_str().unwrap()], d.0.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "accepted {bad:?}");
    assert!(
        err.contains("bad_j.csv: line 2, column `parent`"),
        "no file/line/column in: {err}"
    );
}

#[test]
fn variants_and_analysis_are_written_beside_the_base_run() {
    let d = Dir::new();
    let cat = d.file("cat.csv", &format!("{HEADER}\n{GOOD_ROWS}"));
    let scen = d.file(
        "scen.toml",
        &format!("{SCENARIO}\n[scenarios.push.indicators.rd_expenditure]\ngrowth_pct = 15\n"),
    );
    let out = d.path("out");
    let o = run(&cat, &scen, &out, &["--analysis"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let scenarios = std::fs::read_to_string(out.join("scenarios.csv")).unwrap();
    let rows: Vec<&str> = scenarios.lines().collect();
    assert_eq!(
        rows[0],
        "target,scenario,status,p_reach,p_reach_se,p_reach_closed_form,growth_pct,volatility_pct,q50"
    );
    // four targets × two scenarios
    assert_eq!(rows.len(), 1 + 8);
    let p = |scenario: &str| -> f64 {
        let row = rows
            .iter()
            .find(|r| r.starts_with(&format!("rd,{scenario},")))
            .unwrap();
        row.split(',').nth(3).unwrap().parse().unwrap()
    };
    assert!(
        p("push") > p("cli-test") + 0.2,
        "a faster growth must raise the probability"
    );
    assert!(out.join("scenarios.png").exists() && out.join("sensitivity.csv").exists());
    assert!(out.join("tornado_rd.png").exists());
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(summary.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|c| c == name).unwrap();
    let rd = reader.records().next().unwrap().unwrap();
    let g80: f64 = rd[col("growth_needed_p80_pct")].parse().unwrap();
    let g50: f64 = rd[col("growth_needed_p50_pct")].parse().unwrap();
    assert!(
        g80 > g50 && (g50 - 14.0).abs() < 0.2,
        "50 %: {g50}, 80 %: {g80}"
    );
    let cats: f64 = [
        "p_on_track",
        "p_moderate",
        "p_insufficient",
        "p_moving_away",
    ]
    .iter()
    .map(|c| rd[col(c)].parse::<f64>().unwrap())
    .sum();
    // The four add up to 1 before each is rounded to 4 decimals (`csv_write::prob`).
    assert!(
        (cats - 1.0).abs() <= 4.0 * 0.5e-4 + 1e-12,
        "categories sum to {cats}"
    );
}

#[test]
fn a_standard_error_target_extends_the_run() {
    let d = Dir::new();
    let cat = d.file("cat.csv", &format!("{HEADER}\n{GOOD_ROWS}"));
    let scen = d.file("scen.toml", SCENARIO);
    let out = d.path("out");
    let args = [
        "run",
        "--catalogue",
        cat.to_str().unwrap(),
        "--scenario",
        scen.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--paths",
        "1000",
        "--se-target-pct",
        "0.5",
    ];
    let o = goalcast(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(summary.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|c| c == name).unwrap();
    for row in reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[col("status")] == "simulated")
    {
        let paths: u64 = row[col("paths")].parse().unwrap();
        let se: f64 = row[col("p_reach_se")].parse().unwrap();
        assert!(paths > 1000 && se <= 0.005, "paths {paths}, se {se}");
    }
}

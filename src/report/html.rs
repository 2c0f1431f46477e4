//! `report.html`: a whole run on one self-contained page to open and send.
//!
//! No network and no external asset: the style, a small script (sort by a column, filter
//! by text) and every chart (the run's own SVG files, inline) are in the file. Sections:
//! the goals (probability, status, growth it would take, base it would need, source
//! quote), the charts (dashboard, fan charts, tornados), the scenario comparison, the
//! consistency check, the assumptions and their sources, and the manifest (settings,
//! inputs with their SHA-256, files written). Labels are in Chinese and English.

use std::path::{Path, PathBuf};

use super::json::Results;
use super::manifest::InputFile;
use super::tables::ScenarioRow;
use crate::assess::Assessment;
use crate::check::CheckReport;
use crate::error::{Error, Result};
use crate::io::csv_write::{prob, std_error};
use crate::io::write_atomic;
use crate::plot::RowStatus;

/// What the page shows.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// Title (Chinese, English).
    pub title: (&'a str, &'a str),
    /// The base run first, then each scenario variant.
    pub runs: &'a [(String, Assessment)],
    /// The consistency check of the catalogue.
    pub check: &'a CheckReport,
    /// The run's settings ([`Results::settings`]).
    pub results: &'a Results,
    /// The input files, hashed.
    pub inputs: &'a [InputFile],
    /// The files written before the page: its `.svg` charts are drawn inline, in order.
    pub written: &'a [PathBuf],
}

/// `text` with `&`, `<`, `>` and `"` escaped for HTML.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            _ => s.push(c),
        }
    }
    s
}

const STYLE: &str = "body{font-family:'WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif;margin:2em auto;max-width:1600px;padding:0 1em;color:#212121}\
h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:2em}\
table{border-collapse:collapse;font-size:.85em;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top}\
th{background:#f1f3f5;cursor:pointer;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}\
tr.simulated td.s{color:#1b5e20}tr.other td.s{color:#757575}.q{color:#555;min-width:16em}td.d{min-width:14em}td:first-child{word-break:break-all}\
svg{max-width:100%;height:auto;display:block;margin:1em 0}figure{margin:0}input{font-size:1em;padding:4px;width:24em}\
.meta{color:#555}code{font-size:.9em}";

/// Sorts a table by the clicked column (numbers as numbers, empty cells last) and
/// hides rows that do not contain the filter's text.
const SCRIPT: &str = r#"function sortBy(th){const t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,d=th.dataset.dir==='asc'?'desc':'asc';th.dataset.dir=d;
const v=r=>{const x=r.cells[i].dataset.v??r.cells[i].textContent.trim();const n=parseFloat(x);return x===''?null:(isNaN(n)||!/^-?[0-9.eE+-]+$/.test(x)?x:n);};
const rows=[...b.rows].sort((r,s)=>{const a=v(r),c=v(s);if(a===null)return 1;if(c===null)return -1;const o=(typeof a==='number'&&typeof c==='number')?a-c:String(a).localeCompare(String(c),'zh');return d==='asc'?o:-o;});
rows.forEach(r=>b.appendChild(r));}
function filterRows(input){const q=input.value.toLowerCase(),t=document.getElementById(input.dataset.table);let n=0;
for(const r of t.tBodies[0].rows){const show=r.textContent.toLowerCase().includes(q);r.hidden=!show;if(show)n++;}
document.getElementById(input.dataset.table+'-count').textContent=n;}
document.querySelectorAll('th').forEach(th=>th.addEventListener('click',()=>sortBy(th)));
document.body.dataset.goalRows=document.getElementById('goals').tBodies[0].rows.length;
document.querySelectorAll('input[data-table]').forEach(i=>i.addEventListener('input',()=>filterRows(i)));"#;

/// A table: header labels, then rows of (cell text, numeric sort key, is numeric).
fn table(id: &str, header: &[&str], rows: &[(String, Vec<(String, bool)>)]) -> String {
    let mut s = format!("<table id=\"{id}\"><thead><tr>");
    for h in header {
        s += &format!("<th>{h}</th>");
    }
    s += "</tr></thead><tbody>\n";
    for (class, cells) in rows {
        s += &format!("<tr class=\"{class}\">");
        for (i, (text, numeric)) in cells.iter().enumerate() {
            let class = match (numeric, i) {
                (true, _) => " class=\"n\"",
                (false, 5) if id == "goals" => " class=\"s\"",
                (false, 11) if id == "goals" => " class=\"q\"",
                (false, 10) if id == "goals" => " class=\"d\"",
                _ => "",
            };
            s += &format!("<td{class}>{}</td>", escape(text));
        }
        s += "</tr>\n";
    }
    s + "</tbody></table>\n"
}

fn goals_section(a: &Assessment) -> String {
    let two = |x: f64| format!("{x:.2}");
    let rows: Vec<(String, Vec<(String, bool)>)> = a
        .targets
        .iter()
        .map(|o| {
            let t = &o.target;
            let (zh, en, unit) = a
                .catalogue_indicator(&t.indicator)
                .map(|i| (i.name_zh.clone(), i.name_en.clone(), i.unit.clone()))
                .unwrap_or_default();
            let empty = || (String::new(), true);
            let (p, se, needed, assumed, detail) =
                match super::row_status(o, &unit, super::assumed_growth(a, o)) {
                    RowStatus::Simulated {
                        p_reach,
                        p_reach_se,
                        required_growth_pct,
                        assumed_growth_pct,
                        ..
                    } => (
                        (prob(p_reach), true),
                        (std_error(p_reach_se), true),
                        (required_growth_pct.map(two).unwrap_or_default(), true),
                        (two(assumed_growth_pct), true),
                        String::new(),
                    ),
                    RowStatus::Settled {
                        met,
                        year,
                        observed,
                        required,
                    } => (
                        empty(),
                        empty(),
                        empty(),
                        empty(),
                        format!(
                            "{} {year}: {observed} ({required})",
                            if met {
                                "已达成 met"
                            } else {
                                "未达成 missed"
                            }
                        ),
                    ),
                    RowStatus::BaseNeeded {
                        year,
                        bound,
                        p50,
                        p80,
                    } => (
                        empty(),
                        empty(),
                        empty(),
                        empty(),
                        format!("所需基数 base needed {year} {bound} {p50} (50 %) · {p80} (80 %)"),
                    ),
                    _ => (
                        empty(),
                        empty(),
                        empty(),
                        empty(),
                        o.result
                            .as_ref()
                            .err()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    ),
                };
            let class = if o.result.is_ok() {
                "simulated"
            } else {
                "other"
            };
            let status = o
                .result
                .as_ref()
                .map_or_else(|why| why.as_str(), |_| "simulated");
            let cells = vec![
                (t.id.clone(), false),
                (format!("{zh} / {en}"), false),
                (t.indicator.jurisdiction.clone(), false),
                (t.describe(&unit), false),
                (t.deadline.to_string(), true),
                (status.to_string(), false),
                p,
                se,
                needed,
                assumed,
                (detail, false),
                (format!("{} · {}", t.document, t.quote), false),
            ];
            (class.to_string(), cells)
        })
        .collect();
    let header = [
        "目标 target",
        "指标 indicator",
        "地区 jurisdiction",
        "目标值 goal",
        "期限 deadline",
        "状态 status",
        "达成概率 P(reach)",
        "± s.e.",
        "所需增速 growth needed %/yr",
        "假设增速 growth assumed %",
        "所需基数等 base needed, observed, why",
        "来源 source quote",
    ];
    format!(
        "<h2 id=\"goals-h\">目标 Goals</h2>\n<p><input type=\"search\" placeholder=\"筛选 filter…\" \
         data-table=\"goals\"> <span class=\"meta\">显示 showing <span id=\"goals-count\">{n}</span> / {n} \
         · 点击表头排序 click a header to sort</span></p>\n{}",
        table("goals", &header, &rows),
        n = rows.len()
    )
}

fn charts_section(written: &[PathBuf]) -> Result<String> {
    let mut s = String::from("<h2>图表 Charts</h2>\n");
    for path in written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
    {
        let svg = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Any XML declaration is dropped: the SVG element sits in the page.
        let start = svg.find("<svg").unwrap_or(0);
        s += &format!(
            "<figure id=\"{}\"><figcaption><code>{}</code></figcaption>\n{}</figure>\n",
            escape(&name),
            escape(&name),
            &svg[start..]
        );
    }
    Ok(s)
}

fn scenarios_section(runs: &[(String, Assessment)]) -> String {
    let Some((_, base)) = runs.first() else {
        return String::new();
    };
    let names: Vec<&str> = runs.iter().map(|(n, _)| n.as_str()).collect();
    let rows: Vec<(String, Vec<(String, bool)>)> = (0..base.targets.len())
        .filter(|&i| runs.iter().any(|(_, a)| a.targets[i].result.is_ok()))
        .map(|i| {
            let mut cells = vec![(base.targets[i].target.id.clone(), false)];
            for (name, a) in runs {
                let r = ScenarioRow::of(name, &a.targets[i]);
                cells.push((r.p_reach, true));
            }
            (String::new(), cells)
        })
        .collect();
    let header: Vec<String> = std::iter::once("目标 target".to_string())
        .chain(names.iter().map(|n| format!("P(reach) · {}", escape(n))))
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    format!(
        "<h2>情景比较 Scenarios</h2>\n{}",
        table("scenarios", &header, &rows)
    )
}

fn check_section(check: &CheckReport) -> String {
    let rows: Vec<(String, Vec<(String, bool)>)> = check
        .findings
        .iter()
        .map(|f| {
            let r = super::tables::CheckRow::of(f);
            let cells = vec![
                (r.kind, false),
                (r.severity, false),
                (r.targets, false),
                (r.indicator, false),
                (r.figures, false),
                (r.explanation, false),
            ];
            (String::new(), cells)
        })
        .collect();
    let header = [
        "类别 kind",
        "程度 severity",
        "目标 targets",
        "指标 indicator",
        "数值 figures",
        "说明 explanation",
    ];
    format!(
        "<h2>一致性检查 Consistency check</h2>\n<p><input type=\"search\" placeholder=\"筛选 filter…\" \
         data-table=\"check\"> <span class=\"meta\"><span id=\"check-count\">{n}</span> / {n}</span></p>\n{}",
        table("check", &header, &rows),
        n = rows.len()
    )
}

fn assumptions_section(a: &Assessment) -> String {
    let rows: Vec<(String, Vec<(String, bool)>)> = a
        .indicators
        .iter()
        .map(|o| {
            let m = &o.assumption.model;
            let i = &o.indicator;
            let cells = vec![
                (i.key.to_string(), false),
                (format!("{} / {}", i.name_zh, i.name_en), false),
                (m.name().to_string(), false),
                (format!("{:.2}", m.median_growth() * 100.0), true),
                (format!("{:.2}", m.volatility() * 100.0), true),
                (o.assumption.basis.to_string(), false),
                (o.assumption.source.clone().unwrap_or_default(), false),
            ];
            (String::new(), cells)
        })
        .collect();
    let header = [
        "指标 indicator",
        "名称 name",
        "模型 model",
        "增速 growth %",
        "波动 volatility %",
        "依据 basis",
        "来源 source",
    ];
    format!(
        "<h2>假设及来源 Assumptions and their sources</h2>\n{}",
        table("assumptions", &header, &rows)
    )
}

fn manifest_section(page: &Page<'_>) -> String {
    let s = &page.results.settings;
    let mut out = format!(
        "<h2>运行记录 Manifest</h2>\n<p>goalcast {} · 情景 scenario <code>{}</code> · 路径 paths {} · \
         种子 seed {} · 分位数 quantiles {} · 分析 analysis {} · {}</p>\n<table><thead><tr>\
         <th>输入文件 input</th><th>SHA-256</th></tr></thead><tbody>\n",
        escape(&page.results.goalcast_version),
        escape(&s.scenario),
        s.paths,
        s.seed,
        escape(&s.quantiles),
        s.analysis,
        escape(&s.generator)
    );
    for f in page.inputs {
        out += &format!(
            "<tr><td>{}</td><td><code>{}</code></td></tr>\n",
            escape(&f.path),
            f.sha256
        );
    }
    out += "</tbody></table>\n<p>输出文件 outputs: ";
    let names: Vec<String> = page
        .written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| format!("<code>{}</code>", escape(&n.to_string_lossy())))
        .collect();
    out + &names.join(" ") + "</p>\n"
}

/// The page's HTML.
pub fn html(page: &Page<'_>) -> Result<String> {
    let Some((_, base)) = page.runs.first() else {
        return Err(Error::io(
            "report.html",
            std::io::Error::other("no run to report"),
        ));
    };
    let s = &page.results.settings;
    let simulated = base.targets.iter().filter(|t| t.result.is_ok()).count();
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{zh} · {en}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{zh}<br><small>{en}</small></h1>\n\
         <p class=\"meta\">{n} 个目标 goals, {simulated} 个已模拟 simulated · 情景 scenario {scenario} · \
         {paths} 路径 paths · 种子 seed {seed}</p>\n\
         {goals}{charts}{scenarios}{check}{assumptions}{manifest}\
         <script>{SCRIPT}</script>\n</body>\n</html>\n",
        zh = escape(page.title.0),
        en = escape(page.title.1),
        n = base.targets.len(),
        scenario = escape(&s.scenario),
        paths = s.paths,
        seed = s.seed,
        goals = goals_section(base),
        charts = charts_section(page.written)?,
        scenarios = scenarios_section(page.runs),
        check = check_section(page.check),
        assumptions = assumptions_section(base),
        manifest = manifest_section(page),
    ))
}

/// Writes `report.html` into `dir`.
pub fn write_html(page: &Page<'_>, dir: &Path) -> Result<PathBuf> {
    let path = dir.join("report.html");
    write_atomic(&path, html(page)?.as_bytes())?;
    Ok(path)
}

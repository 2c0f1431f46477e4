//! A run is all or nothing: killed at random moments, run twice at once, fed names that
//! try to leave `--out`, `--out` holds exactly one complete run whose manifest hashes
//! match every file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote";
const ROWS: [&str; 3] = [
    "rd,rd_expenditure,Hubei,研发经费投入,R&D expenditure,亿元,growth,>=,2022,1254.7,14,2028,000,年均增长14%以上",
    "tc,tech_contract_turnover,Hubei,技术合同成交额,Technology contracts,亿元,level,>=,2022,3017.86,10000,2028,000,突破万亿元",
    "en,energy_intensity,Hubei,单位GDP能耗,Energy intensity,tce/万元,decline,<=,2023,0.5,10,2028,000,下降10%以上",
];
const SCENARIO: &str = "name = \"atomic\"\n[defaults]\ngrowth_pct = 10\nvolatility_pct = 5\n[scenarios.fast.defaults]\nvolatility_pct = 8\n";

struct Inputs {
    dir: tempfile::TempDir,
}

impl Inputs {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for (name, rows) in [("all.csv", &ROWS[..]), ("fewer.csv", &ROWS[..1])] {
            std::fs::write(
                dir.path().join(name),
                format!("{HEADER}\n{}\n", rows.join("\n")),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
        Inputs { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, catalogue: &str, out: &Path, seed: u64, paths: &str) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_goalcast"));
        c.args(["run", "--analysis", "--paths", paths, "--seed"])
            .arg(seed.to_string())
            .arg("--catalogue")
            .arg(self.path(catalogue))
            .arg("--scenario")
            .arg(self.path("s.toml"))
            .arg("--out")
            .arg(out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    fn run(&self, catalogue: &str, out: &Path, seed: u64) -> Output {
        let o = self.command(catalogue, out, seed, "2000").output().unwrap();
        eprintln!("{}", String::from_utf8_lossy(&o.stderr));
        o
    }
}

/// `out` holds one complete run: its manifest lists every file once, every hash matches,
/// and nothing else (no leftover, no file of another run) is there. Returns the seed.
fn assert_one_complete_run(out: &Path) -> u64 {
    let text = std::fs::read_to_string(out.join("manifest.json")).expect("a manifest");
    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
    let listed: Vec<(String, String)> = m["output_sha256"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "a file listed twice");
    for (name, sha) in &listed {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&format!("{:x}", Sha256::digest(&bytes)), sha, "{name}");
    }
    let mut present: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "manifest.json")
        .collect();
    present.sort();
    assert_eq!(present, names, "files in --out beside the manifest's");
    m["seed"].as_u64().unwrap()
}

/// Entries of the parent of `out` other than `out` and its lock: leftovers.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| *n != name && *n != format!(".{name}.goalcast.lock"))
        .collect()
}

#[test]
fn a_run_killed_at_any_moment_leaves_one_complete_run() {
    let inputs = Inputs::new();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("out");
    let start = Instant::now();
    assert!(inputs.run("all.csv", &out, 1).status.success());
    let one_run = start.elapsed();
    assert_eq!(assert_one_complete_run(&out), 1);
    // A fixed sequence of moments over the whole run (and a little after it).
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut seeds_seen = std::collections::BTreeSet::new();
    let kills = 24;
    for i in 0..kills {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let fraction = (state >> 11) as f64 / (1u64 << 53) as f64;
        let wait = one_run.mul_f64(1.2 * fraction);
        // Alternate catalogues: a run with fewer indicators must not leave the other's charts.
        let catalogue = if i % 2 == 0 { "fewer.csv" } else { "all.csv" };
        let mut child = inputs
            .command(catalogue, &out, 100 + i, "2000")
            .spawn()
            .unwrap();
        std::thread::sleep(wait);
        let _ = child.kill();
        let _ = child.wait();
        let seed = assert_one_complete_run(&out);
        seeds_seen.insert(seed);
        assert!(
            !leftovers(&out).iter().any(|n| !n.contains("goalcast-")),
            "{:?}",
            leftovers(&out)
        );
        // The next run cleans what this one left.
        if i % 6 == 5 {
            assert!(inputs.run("all.csv", &out, 7).status.success());
            assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
        }
    }
    // Some runs were killed after they had put their results in place, some before.
    assert!(seeds_seen.len() >= 3, "{seeds_seen:?}");
    println!(
        "kill test: {kills} kills survived with a consistent --out; runs seen afterwards: {}",
        seeds_seen.len()
    );
}

#[test]
fn a_second_run_on_the_same_out_is_stopped_with_a_clear_message() {
    let inputs = Inputs::new();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("out");
    let first = inputs
        .command("all.csv", &out, 1, "400000")
        .spawn()
        .unwrap();
    // Wait until the first run holds the lock (its staging folder exists).
    let deadline = Instant::now() + Duration::from_secs(60);
    while !leftovers(&out)
        .iter()
        .any(|n| n.contains("goalcast-staging"))
    {
        assert!(
            Instant::now() < deadline,
            "the first run never started staging"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = inputs.run("fewer.csv", &out, 2);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success());
    assert!(
        stderr.contains("another goalcast run is writing to this folder"),
        "{stderr}"
    );
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(assert_one_complete_run(&out), 1);
}

#[test]
fn names_that_try_to_leave_out_are_refused_and_nothing_is_written() {
    let inputs = Inputs::new();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("a").join("out");
    for (column, evil) in [
        ("Hubei", "X/../../escaped"),
        ("rd_expenditure", "../../escaped"),
        ("rd,", "..%2f/escaped,"),
    ] {
        let text = format!("{HEADER}\n{}\n", ROWS[0].replacen(column, evil, 1));
        std::fs::write(inputs.path("evil.csv"), text).unwrap();
        let o = inputs.run("evil.csv", &out, 1);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success());
        assert!(
            stderr.contains("evil.csv") && stderr.contains("not allowed"),
            "{stderr}"
        );
        let mut found = Vec::new();
        for entry in walk(parent.path()) {
            found.push(entry);
        }
        assert!(found.is_empty(), "{found:?}");
    }
}

/// Every file under `dir`, recursively.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

#[test]
fn a_new_run_drops_old_files_keeps_the_users_and_refuses_foreign_folders() {
    let inputs = Inputs::new();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("out");
    assert!(inputs.run("all.csv", &out, 1).status.success());
    assert!(out.join("fan_hubei_tech_contract_turnover.png").exists());
    std::fs::write(out.join("notes.txt"), "my notes").unwrap();
    std::fs::create_dir(out.join("mine")).unwrap();
    std::fs::write(out.join("mine/a.txt"), "a").unwrap();
    let o = inputs.run("fewer.csv", &out, 2);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.join("fan_hubei_tech_contract_turnover.png").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("mine/a.txt")).unwrap(),
        "a"
    );
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("notes.txt"));
    // A failed run (a scenario that breaks) leaves the last run as it was.
    let before = std::fs::read(out.join("manifest.json")).unwrap();
    std::fs::write(inputs.path("s.toml"), "name = 3").unwrap();
    assert!(!inputs.run("all.csv", &out, 3).status.success());
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), before);
    std::fs::write(inputs.path("s.toml"), SCENARIO).unwrap();
    // Folders that are not a run's are refused.
    let foreign = parent.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.docx"), "x").unwrap();
    for (dir, fragment) in [
        (foreign.as_path(), "files goalcast did not write"),
        (Path::new("/"), "must name a folder"),
    ] {
        let o = inputs.run("all.csv", dir, 1);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success() && stderr.contains(fragment), "{stderr}");
    }
    assert!(foreign.join("thesis.docx").exists());
}

#[test]
fn resource_limits_are_refused_at_once_with_the_flag_named() {
    let inputs = Inputs::new();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("out");
    for (paths, extra, fragment) in [
        // Exact quantiles (chosen, not by size) that cannot fit.
        (
            "9223372036854775807",
            &["--quantiles", "exact"][..],
            "--quantiles streaming",
        ),
        (
            "1000000000",
            &["--quantiles", "exact"][..],
            "--quantiles streaming",
        ),
        // By size, streaming: refused for counting more paths than its counters hold.
        ("9223372036854775807", &[][..], "at most 4294967295 paths"),
        ("100000", &["--max-memory", "1M"][..], "--max-memory"),
        ("10", &["--threads", "10000"][..], "--threads 10000"),
    ] {
        let start = Instant::now();
        let o = inputs
            .command("all.csv", &out, 1, paths)
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{extra:?}");
        assert!(stderr.contains(fragment), "{extra:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{extra:?} took {:?}",
            start.elapsed()
        );
    }
    assert!(!out.exists());
}

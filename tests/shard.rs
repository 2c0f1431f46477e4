//! Sharded runs merged exactly: `run --shard I/N` on every shard, then `merge`, writes
//! every file of the unsharded run byte for byte (exact and streaming quantiles, two
//! catalogues, one with a share goal, N = 1, 2, 3 and 7 with uneven slices); the merge
//! refuses shards of another seed or other inputs, a missing, repeated or damaged
//! shard, and inputs changed since; a shard refuses the analysis and a standard-error
//! target; a failed merge leaves the earlier results in place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use goalcast::report::FileRun;
use goalcast::report::shard::{PARTIALS, merge};
use goalcast::sim::{QuantileMode, Shard};
use goalcast::{Error, RunSettings};

/// Not a multiple of 2, 3 or 7: every split is uneven.
const PATHS: u64 = 2003;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The run of a seed document at `PATHS` paths into `out`, with `report.html`.
fn file_run(document: &str, scenario: &str, seed: u64, mode: QuantileMode, out: &Path) -> FileRun {
    let mut run = FileRun::seed_document(&root(), document, scenario, ("目标达成概率", document));
    run.out = out.to_path_buf();
    run.settings = RunSettings {
        paths: PATHS,
        seed,
        quantiles: mode,
        analysis: false,
    };
    run
}

/// Every file of a folder (names relative to it) with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        assert!(path.is_file(), "{} is not a file", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        all.insert(name, std::fs::read(&path).unwrap());
    }
    all
}

/// Runs shards 1..=n of `run` into `parent/<tag>_shard<i>`; returns their folders.
fn shards(run: &FileRun, n: u32, parent: &Path, tag: &str) -> Vec<PathBuf> {
    (1..=n)
        .map(|i| {
            let dir = parent.join(format!("{tag}_shard{i}"));
            let shard = FileRun {
                out: dir.clone(),
                ..run.clone()
            };
            let (header, _) = shard.run_shard(Shard::new(i, n).unwrap()).unwrap();
            assert_eq!((header.shard, header.shards), (i, n));
            dir
        })
        .collect()
}

fn shard_error(result: goalcast::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(e @ Error::Shard { .. }) => e.to_string(),
        other => panic!("expected a shard error, got {other:?}"),
    }
}

#[test]
fn merged_shards_write_every_file_of_the_unsharded_run_byte_for_byte() {
    let parent = tempfile::tempdir().unwrap();
    let documents = [
        ("000_hubei_2024", "hubei_2024"),
        ("004_huangshi_2030", "huangshi_2030"),
    ];
    for (document, scenario) in documents {
        for mode in [QuantileMode::Exact, QuantileMode::Streaming] {
            let tag = format!("{document}_{mode:?}");
            let whole_dir = parent.path().join(format!("{tag}_whole"));
            let run = file_run(document, scenario, 11, mode, &whole_dir);
            let (assessment, _) = run.run().unwrap();
            assert!(assessment.targets.iter().any(|t| t.result.is_ok()));
            let whole = files(&whole_dir);
            assert!(whole.contains_key("report.html") && whole.contains_key("manifest.json"));
            for n in [1, 2, 3, 7] {
                let dirs = shards(&run, n, parent.path(), &format!("{tag}_{n}"));
                let mut reversed = dirs.clone();
                reversed.reverse();
                let out = parent.path().join(format!("{tag}_{n}_merged"));
                let (merged_assessment, _) = merge(&out, &reversed).unwrap();
                assert_eq!(merged_assessment.targets, assessment.targets);
                let merged = files(&out);
                assert_eq!(
                    whole.keys().collect::<Vec<_>>(),
                    merged.keys().collect::<Vec<_>>(),
                    "{tag}, {n} shards: the same files"
                );
                for (name, bytes) in &whole {
                    assert!(
                        merged[name] == *bytes,
                        "{tag}, {n} shards: {name} differs from the unsharded run's"
                    );
                }
            }
        }
    }
}

#[test]
fn the_merge_refuses_shards_that_do_not_make_one_run_and_keeps_earlier_results() {
    let parent = tempfile::tempdir().unwrap();
    let p = parent.path();
    let mode = QuantileMode::Streaming;
    let run = file_run("000_hubei_2024", "hubei_2024", 3, mode, &p.join("x"));
    let good = shards(&run, 3, p, "good");
    // An earlier, complete merge that a failed one must leave as it was.
    let out = p.join("merged");
    merge(&out, &good).unwrap();
    let before = files(&out);
    let refuse = |dirs: &[PathBuf], needle: &str| {
        let message = shard_error(merge(&out, dirs));
        assert!(
            message.contains(needle),
            "`{message}` should say `{needle}`"
        );
        assert!(
            files(&out) == before,
            "a failed merge changed {}",
            out.display()
        );
        message
    };

    // Another seed: shard 2 of a run with seed 4.
    let other_seed = FileRun {
        settings: RunSettings {
            seed: 4,
            ..run.settings
        },
        ..run.clone()
    };
    let seed4 = shards(&other_seed, 3, p, "seed4");
    let message = refuse(
        &[good[0].clone(), seed4[1].clone(), good[2].clone()],
        "`seed`",
    );
    assert!(
        message.contains(&seed4[1].display().to_string()),
        "{message}"
    );

    // Other inputs: the same scenario with one growth changed, in another file.
    let scenario = root().join("data/scenarios/hubei_2024.toml");
    let text = std::fs::read_to_string(&scenario).unwrap();
    let changed = p.join("hubei_2024_changed.toml");
    std::fs::write(&changed, format!("{text}\n# changed\n")).unwrap();
    let other_inputs = FileRun {
        scenario: Some(changed.clone()),
        ..run.clone()
    };
    let changed_dirs = shards(&other_inputs, 3, p, "changed");
    let message = refuse(
        &[good[0].clone(), good[1].clone(), changed_dirs[2].clone()],
        "a shard of another run",
    );
    assert!(
        message.contains("`inputs`") || message.contains("`scenario`"),
        "{message}"
    );

    // Another quantile method.
    let exact = FileRun {
        settings: RunSettings {
            quantiles: QuantileMode::Exact,
            ..run.settings
        },
        ..run.clone()
    };
    let exact_dirs = shards(&exact, 3, p, "exact");
    refuse(
        &[exact_dirs[0].clone(), good[1].clone(), good[2].clone()],
        "`quantiles`",
    );

    // Missing, repeated, foreign, damaged.
    refuse(&good[..2], "shard 3/3 is missing");
    refuse(
        &[good[0].clone(), good[1].clone(), good[1].clone()],
        "given twice",
    );
    refuse(
        &[good[0].clone(), good[1].clone(), p.join("nowhere")],
        "not a shard folder",
    );
    let two = shards(&run, 2, p, "two");
    refuse(
        &[good[0].clone(), two[1].clone(), good[2].clone()],
        "number of shards",
    );
    for (name, damage) in [("flipped", 0usize), ("truncated", 1)] {
        let dir = p.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for f in std::fs::read_dir(&good[1]).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
        }
        let partials = dir.join(PARTIALS);
        let mut bytes = std::fs::read(&partials).unwrap();
        if damage == 0 {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x10;
        } else {
            bytes.truncate(bytes.len() - 3);
        }
        std::fs::write(&partials, bytes).unwrap();
        let message = refuse(&[good[0].clone(), dir.clone(), good[2].clone()], "damaged");
        assert!(
            message.contains(&partials.display().to_string()),
            "{message}"
        );
    }
    // A damaged header is named too.
    let header = good[2].join(goalcast::report::shard::HEADER);
    let kept = std::fs::read(&header).unwrap();
    std::fs::write(&header, &kept[..kept.len() / 2]).unwrap();
    refuse(&good, "shard.json");
    std::fs::write(&header, kept).unwrap();

    // An input changed after the shards ran.
    std::fs::write(&changed, format!("{text}\n# changed again\n")).unwrap();
    refuse(&changed_dirs, "changed after the shards ran");

    // The good shards still merge, exactly as before.
    merge(&out, &good).unwrap();
    assert!(files(&out) == before);
}

#[test]
fn a_shard_refuses_the_analysis_a_precision_target_and_too_many_shards() {
    let parent = tempfile::tempdir().unwrap();
    let run = file_run(
        "000_hubei_2024",
        "hubei_2024",
        1,
        QuantileMode::Exact,
        &parent.path().join("s"),
    );
    let shard = Shard::new(1, 2).unwrap();
    let analysis = FileRun {
        settings: RunSettings {
            analysis: true,
            ..run.settings
        },
        ..run.clone()
    };
    assert!(shard_error(analysis.run_shard(shard)).contains("--analysis"));
    let se = FileRun {
        se_target: Some(0.01),
        ..run.clone()
    };
    assert!(shard_error(se.run_shard(shard)).contains("--se-target-pct"));
    let too_many = Shard::new(1, PATHS as u32 + 1).unwrap();
    assert!(shard_error(run.run_shard(too_many)).contains("at most 2003 shards"));
    assert!(!parent.path().join("s").exists(), "nothing is written");
}

#[test]
fn the_command_line_runs_shards_and_merges_them_and_names_what_it_refuses() {
    let parent = tempfile::tempdir().unwrap();
    let p = parent.path();
    let goalcast = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_goalcast"))
            .current_dir(root())
            .args(args)
            .output()
            .unwrap()
    };
    let path = |name: &str| p.join(name).display().to_string();
    let run: Vec<&str> = vec![
        "run",
        "--catalogue",
        "data/catalogue/004_huangshi_2030.csv",
        "--history",
        "data/history.csv",
        "--scenario",
        "data/scenarios/huangshi_2030.toml",
        "--paths",
        "1001",
        "--quantiles",
        "streaming",
    ];
    let whole = path("whole");
    assert!(
        goalcast(&[&run[..], &["--out", &whole]].concat())
            .status
            .success()
    );
    for i in ["1/2", "2/2"] {
        let out = path(&format!("shard{}", &i[..1]));
        let done = goalcast(&[&run[..], &["--shard", i, "--out", &out]].concat());
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert!(String::from_utf8_lossy(&done.stdout).starts_with(&format!("shard {i}: ")));
    }
    let merged = path("merged");
    let done = goalcast(&["merge", "--out", &merged, &path("shard2"), &path("shard1")]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(files(&p.join("whole")) == files(&p.join("merged")));

    let refused = |args: &[&str], needle: &str| {
        let done = goalcast(args);
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert!(
            !done.status.success() && stderr.contains(needle),
            "{stderr}"
        );
    };
    let out = path("refused");
    refused(
        &[&run[..], &["--shard", "3/2", "--out", &out]].concat(),
        "shard 3/2",
    );
    refused(
        &[&run[..], &["--shard", "1/2", "--analysis", "--out", &out]].concat(),
        "--analysis",
    );
    refused(
        &["merge", "--out", &out, &path("shard1")],
        "shard 2/2 is missing",
    );
    assert!(!p.join("refused").exists());
}

//! Crash safety: `rapporteur index` and `rapporteur run` killed with SIGKILL at random (seeded)
//! moments. After each kill the index must open (`rapporteur stats --json` and the library),
//! be consistent, and hold either the state before the command or the state after it, never
//! a mix; `run`'s output files (`results.json`, `report.html`, the CSV and Markdown files) must
//! each be the old file or the new one, never a partial one.
//!
//! The corpus is small so that the trials stay within seconds in a debug build; `CRASH_SEED`
//! changes the seed, `CRASH_TRIALS` the number of `index` trials (100 by default) and
//! `CRASH_RUN_TRIALS` that of `run` trials (20).

mod common;
use common::*;

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rapporteur::index::Index;

const BIN: &str = env!("CARGO_BIN_EXE_rapporteur");

/// xorshift64*: enough randomness for kill times, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn seed() -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x1CF0_2026)
}

const TOPICS: &[&[&str]] = &[
    &[
        "community",
        "networks",
        "rural",
        "spectrum",
        "licences",
        "connectivity",
        "villages",
        "operators",
    ],
    &[
        "data",
        "flows",
        "localisation",
        "privacy",
        "governance",
        "sovereignty",
        "trust",
        "interoperability",
    ],
    &[
        "misinformation",
        "platforms",
        "moderation",
        "elections",
        "literacy",
        "journalism",
        "trust",
        "content",
    ],
    &[
        "cybersecurity",
        "norms",
        "incidents",
        "resilience",
        "critical",
        "infrastructure",
        "capacity",
        "attacks",
    ],
];

/// One JSON Lines corpus: proposals `from..to` of 2026, in version `version`.
fn corpus(path: &Path, from: usize, to: usize, version: &str, rng: &mut Rng) {
    let mut out = String::new();
    for n in from..to {
        let topic = TOPICS[n % TOPICS.len()];
        let words: Vec<&str> = (0..60)
            .map(|_| topic[rng.below(topic.len() as u64) as usize])
            .collect();
        let doc = serde_json::json!({
            "id": format!("2026-ws-{n:03}"),
            "kind": "proposal",
            "year": 2026,
            "title": format!("{} {} ({version})", topic[0], topic[1]),
            "text": format!("{version} text {n}. {}.", words.join(" ")),
            "speakers": [format!("Person {n}, Civil Society, African Group")],
        });
        out.push_str(&doc.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

fn reset(dir: &Path, from: &Path) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap();
    }
    copy_dir(from, dir);
}

/// The index's documents as id → text, read through the library.
fn state(index: &Path) -> Result<BTreeMap<String, String>, String> {
    let docs = Index::open(index)
        .and_then(|i| i.documents())
        .map_err(|e| e.to_string())?;
    Ok(docs
        .into_iter()
        .map(|d| (d.id, d.text.to_string()))
        .collect())
}

/// `rapporteur --index DIR stats --json`: succeeds and counts `n` documents.
fn stats_count(index: &Path) -> Result<u64, String> {
    let o = Command::new(BIN)
        .arg("--index")
        .arg(index)
        .args(["stats", "--json"])
        .output()
        .unwrap();
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr).into_owned());
    }
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).map_err(|e| e.to_string())?;
    v["documents"]
        .as_u64()
        .ok_or_else(|| format!("no count in {v}"))
}

/// Runs `args` to the end; panics on failure.
fn complete(args: &[&OsStr]) -> Duration {
    let started = Instant::now();
    let o = Command::new(BIN).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "{:?}: {}",
        args,
        String::from_utf8_lossy(&o.stderr)
    );
    started.elapsed()
}

/// Starts `args`, kills it with SIGKILL after `delay` (if it is still running), reaps it.
/// Returns whether it was killed before finishing.
fn kill_after(args: &[&OsStr], delay: Duration) -> bool {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    if !finished {
        child.kill().unwrap(); // SIGKILL on unix
    }
    let status = child.wait().unwrap();
    !finished && !status.success()
}

/// A temporary folder, in memory where there is a tmpfs: the kills test what a killed process
/// leaves behind, not what a power cut does, so the flushes to disk (slow on a busy disk) only
/// cost time.
fn workdir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

fn refs(a: &[OsString]) -> Vec<&OsStr> {
    a.iter().map(OsString::as_os_str).collect()
}

#[test]
fn killed_index_leaves_the_old_or_the_new_state() {
    let started = Instant::now();
    let mut rng = Rng(seed());
    let work = workdir();
    let (old_input, new_input) = (work.path().join("old.jsonl"), work.path().join("new.jsonl"));
    corpus(&old_input, 0, 40, "old", &mut rng);
    // Replaces half of the old documents and adds as many.
    corpus(&new_input, 20, 60, "new", &mut rng);
    let base = work.path().join("base");
    let idx = work.path().join("idx");
    complete(&[
        "--index".as_ref(),
        base.as_os_str(),
        "index".as_ref(),
        old_input.as_os_str(),
    ]);
    let old = state(&base).unwrap();
    reset(&idx, &base);
    let args: Vec<&OsStr> = vec![
        "--index".as_ref(),
        idx.as_os_str(),
        "index".as_ref(),
        new_input.as_os_str(),
    ];
    let full = complete(&args);
    let new = state(&idx).unwrap();
    assert_eq!((old.len(), new.len()), (40, 60));

    let trials: usize = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let span = full.as_micros() as u64 * 12 / 10;
    let (mut killed, mut saw_old, mut saw_new, mut failures) = (0, 0, 0, Vec::new());
    for trial in 0..trials {
        reset(&idx, &base);
        let delay = Duration::from_micros(rng.below(span));
        killed += usize::from(kill_after(&args, delay));
        let got = state(&idx);
        let counted = stats_count(&idx);
        match (&got, &counted) {
            (Ok(s), Ok(n)) if *s == old && *n == 40 => saw_old += 1,
            (Ok(s), Ok(n)) if *s == new && *n == 60 => saw_new += 1,
            _ => failures.push(format!(
                "trial {trial} (killed after {delay:?}): {} documents by the library ({:?}), stats: {counted:?}",
                got.as_ref().map_or(0, |s| s.len()),
                got.as_ref().err()
            )),
        }
        // Every tenth trial: the index takes the next writer (the lock died with the process).
        if trial % 10 == 9 {
            complete(&args);
            if state(&idx).as_ref() != Ok(&new) {
                failures.push(format!(
                    "trial {trial}: re-indexing after the kill went wrong"
                ));
            }
        }
    }
    eprintln!(
        "crash trials (index): {trials}, killed mid-way {killed}, old state {saw_old}, new state {saw_new}, \
         failures {}; seed {:#x}; full run {full:?}; took {:?}",
        failures.len(),
        seed(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        killed > trials / 4,
        "too few trials killed the process mid-way"
    );
}

/// The files `run` wrote into `out` (not the index), by name; temporary files left by a kill
/// are not outputs.
fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(out).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_file() && !name.ends_with(".tmp") {
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

#[test]
fn killed_run_leaves_old_or_new_outputs() {
    let started = Instant::now();
    let mut rng = Rng(seed() ^ 0xA5A5);
    let work = workdir();
    let (old_input, new_input) = (work.path().join("old.jsonl"), work.path().join("new.jsonl"));
    corpus(&old_input, 0, 16, "old", &mut rng);
    corpus(&new_input, 8, 24, "new", &mut rng);
    let out = work.path().join("out");
    let base = work.path().join("base");
    let run = |input: &Path| -> Vec<OsString> {
        vec![
            "--quiet".into(),
            "run".into(),
            input.into(),
            "--out".into(),
            out.clone().into(),
        ]
    };
    let old_args = run(&old_input);
    let new_args = run(&new_input);
    complete(&refs(&old_args));
    let old_files = outputs(&out);
    let old = state(&out.join("index")).unwrap();
    for name in ["results.json", "report.html", "clusters.csv", "screen.csv"] {
        assert!(old_files.contains_key(name), "the run wrote no {name}");
    }
    copy_dir(&out, &base);
    let full = complete(&refs(&new_args));
    let new_files = outputs(&out);
    let new = state(&out.join("index")).unwrap();
    assert_ne!(old_files["results.json"], new_files["results.json"]);

    let trials: usize = std::env::var("CRASH_RUN_TRIALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let span = full.as_micros() as u64 * 11 / 10;
    let (mut killed, mut failures) = (0, Vec::new());
    let mut mixed = 0;
    for trial in 0..trials {
        reset(&out, &base);
        let delay = Duration::from_micros(rng.below(span));
        killed += usize::from(kill_after(&refs(&new_args), delay));
        let got = outputs(&out);
        let names: std::collections::BTreeSet<&String> =
            old_files.keys().chain(new_files.keys()).collect();
        let mut newer = 0;
        for name in &names {
            let file = got.get(*name);
            if file.is_some() && file == new_files.get(*name) {
                newer += 1;
            } else if file != old_files.get(*name) {
                failures.push(format!(
                    "trial {trial} (killed after {delay:?}): {name} is neither the old nor the new file ({} bytes)",
                    file.map_or(0, Vec::len)
                ));
            }
        }
        // The files of one run are renamed into place one after the other: a kill between
        // two renames leaves some old and some new files, each whole.
        mixed += usize::from(newer > 0 && newer < names.len());
        let index = out.join("index");
        match (state(&index), stats_count(&index)) {
            (Ok(s), Ok(n)) if (s == old || s == new) && n as usize == s.len() => {}
            (s, n) => failures.push(format!(
                "trial {trial} (killed after {delay:?}): index {:?} documents, stats {n:?}",
                s.map(|s| s.len())
            )),
        }
    }
    eprintln!(
        "crash trials (run): {trials}, killed mid-way {killed}, outputs partly replaced {mixed}, failures {}; \
         seed {:#x}; full run {full:?}; took {:?}",
        failures.len(),
        seed() ^ 0xA5A5,
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! Privacy: no person name of the corpus and no e-mail address in any output of `run` (JSON,
//! CSV, Markdown, HTML) or of the commands that print documents with `--redact`; drafts that
//! never name individuals, with or without it; and a main job that needs no network.
//!
//! The corpus is the sample plus `tests/fixtures/named-speakers/`, whose texts quote speakers
//! by full name, by title and surname and by surname alone.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use rapporteur::Document;

fn rapporteur(args: &[&std::ffi::OsStr]) -> Output {
    let o = Command::cargo_bin("rapporteur")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Where `name` stands as a whole word in `text`.
fn has_word(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

const EMAILS: [&str; 2] = ["maria.vanderberg@example.org", "grace.roe@example.com"];

/// Surnames of the fixture that are told apart from words (see `redact.rs`): they must go
/// even alone. "Li" and "Roe" are too short to be taken out alone; they go after a title.
const SURNAMES: [&str; 5] = ["Kamau", "Sundararajan", "Sissoko", "Morimoto", "Mwale"];

/// The sample corpus with the named-speakers fixture, copied into `dir`, and its documents.
fn corpus(dir: &Path) -> (PathBuf, Vec<Document>) {
    let corpus = dir.join("corpus");
    copy_dir(&repo_root().join("corpora/sample"), &corpus);
    copy_dir(
        &repo_root().join("tests/fixtures/named-speakers/2026"),
        &corpus.join("2026/named"),
    );
    let (docs, _) = rapporteur::ingest::load(
        std::slice::from_ref(&corpus),
        &rapporteur::ingest::IngestOptions::default(),
    )
    .unwrap();
    (corpus, docs)
}

/// The spellings of the corpus's people no output may hold: every full name (two words or
/// more), each name's last word after a title ("Ms. Kamau", "Mr Li"), and [`SURNAMES`].
fn person_names(docs: &[Document]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in docs
        .iter()
        .flat_map(|d| d.organisers.iter().chain(&d.speakers))
        .filter_map(|p| p.name.as_deref())
    {
        let parts: Vec<&str> = name.split_whitespace().collect();
        if parts.len() < 2 {
            continue;
        }
        names.push(parts.join(" "));
        for title in ["Ms", "Ms.", "Mr", "Mr.", "Dr", "Dr."] {
            names.push(format!("{title} {}", parts[parts.len() - 1]));
        }
    }
    names.extend(SURNAMES.iter().map(|s| s.to_string()));
    names.sort();
    names.dedup();
    assert!(names.len() > 100, "{names:?}");
    for n in [
        "Maria van der Berg",
        "Nia Wanjiru Kamau",
        "Ms. Kamau",
        "Mr. Li",
    ] {
        assert!(names.iter().any(|m| m == n), "{n} missing");
    }
    names
}

/// The names of `names` and the fixture's e-mail addresses found in `text`, as "what: name".
fn leaks(what: &str, text: &str, names: &[String]) -> Vec<String> {
    let names = names.iter().filter(|n| has_word(text, n));
    let emails = EMAILS.iter().filter(|e| text.contains(**e));
    names
        .map(String::as_str)
        .chain(emails.copied())
        .map(|n| format!("{what}: {n}"))
        .collect()
}

/// The HTML of one section of the report.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

/// `rapporteur run` of `corpus` into `out` (with `--redact` when asked), and what it said.
fn run(corpus: &Path, out: &Path, redact: bool) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = Vec::new();
    if redact {
        args.push("--redact".as_ref());
    }
    args.extend([
        "run".as_ref(),
        corpus.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    rapporteur(&args)
}

#[test]
fn redact_removes_names_and_emails_from_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, docs) = corpus(dir.path());
    let names = person_names(&docs);
    let out = dir.path().join("out");
    let o = run(&corpus, &out, true);
    let index = out.join("index");
    let mut outputs: Vec<(String, String)> = vec![(
        "run stdout and stderr".into(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )];
    for entry in std::fs::read_dir(&out).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            outputs.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    assert!(
        outputs.len() >= 6,
        "{:?}",
        outputs.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    // Without --redact the same commands name people, in the person fields and in running
    // text (else this test would prove nothing).
    let plain = |args: &[&str]| {
        let mut full: Vec<&std::ffi::OsStr> = vec!["--index".as_ref(), index.as_os_str()];
        full.extend(args.iter().map(std::ffi::OsStr::new));
        String::from_utf8_lossy(&rapporteur(&full).stdout).into_owned()
    };
    let screen = plain(&["screen", "--year", "2026", "--json"]);
    assert!(!leaks("screen", &screen, &names).is_empty(), "{screen}");
    let search = plain(&["search", "Kamau licence", "--json"]);
    assert!(!leaks("search", &search, &names).is_empty(), "{search}");
    for args in [
        vec!["search", "community networks licence", "--json"],
        vec!["search", "Kamau licence", "--json"],
        vec!["search", "Kamau Sundararajan Roe"],
        vec!["search", "spectrum fees Li", "--limit", "30"],
        vec!["screen", "--year", "2026", "--csv"],
        vec!["screen", "--year", "2026", "--json"],
        vec!["screen", "--year", "2026", "--md"],
    ] {
        let mut full: Vec<&std::ffi::OsStr> =
            vec!["--redact".as_ref(), "--index".as_ref(), index.as_os_str()];
        full.extend(args.iter().map(std::ffi::OsStr::new));
        let o = rapporteur(&full);
        outputs.push((
            args.join(" "),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        ));
    }
    let found: Vec<String> = outputs
        .iter()
        .flat_map(|(what, text)| leaks(what, text, &names))
        .collect();
    assert!(found.is_empty(), "names left:\n{}", found.join("\n"));
    assert!(outputs.iter().any(|(_, t)| t.contains("[name]")));
    assert!(outputs.iter().any(|(_, t)| t.contains("[e-mail]")));
    // Surnames too short to tell from words stay when alone (documented in redact.rs).
    let results = &outputs
        .iter()
        .find(|o| o.0.ends_with("results.json"))
        .unwrap()
        .1;
    assert!(
        results.contains("[name] and Sissoko agreed") || results.contains("Li and [name] agreed")
    );
}

#[test]
fn drafts_never_name_individuals() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, docs) = corpus(dir.path());
    let names = person_names(&docs);
    let out = dir.path().join("out");
    run(&corpus, &out, false);
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let results: serde_json::Value = serde_json::from_str(&read("results.json")).unwrap();
    let html = read("report.html");
    let drafts = [
        ("messages.md", read("messages.md")),
        ("results.json messages", results["messages"].to_string()),
        (
            "results.json convergence",
            results["convergence"].to_string(),
        ),
        (
            "report.html messages",
            section(&html, "messages").to_string(),
        ),
        (
            "report.html convergence",
            section(&html, "convergence").to_string(),
        ),
    ];
    let found: Vec<String> = drafts
        .iter()
        .flat_map(|(what, text)| leaks(what, text, &names))
        .collect();
    assert!(found.is_empty(), "names in drafts:\n{}", found.join("\n"));

    // The drafts quote sentences that name people as written (else this proves nothing):
    // messages from the sample's takeaways, points from the fixture's.
    let text_of = |id: &str| &docs.iter().find(|d| d.id == id).unwrap().text;
    let extracts: Vec<&serde_json::Value> = results["messages"]["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["questions"].as_array().unwrap())
        .flat_map(|q| q["messages"].as_array().unwrap())
        .flat_map(|m| m["extracts"].as_array().unwrap())
        .collect();
    let named = extracts
        .iter()
        .filter(|e| {
            let span = |i: usize| e["span"][i].as_u64().unwrap() as usize;
            let written = &text_of(e["doc"].as_str().unwrap())[span(0)..span(1)];
            !leaks("", written, &names).is_empty()
        })
        .count();
    assert!(named >= 3, "{named} extracts of named sentences");
    let cited: Vec<&str> = results["convergence"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["statements"].as_array().unwrap())
        .filter_map(|s| s["doc"].as_str())
        .collect();
    for fixture in ["2026-tk-150", "2026-tk-321", "2026-tk-331"] {
        assert!(cited.contains(&fixture), "{fixture} cited by no point");
    }
    assert!(drafts[1].1.contains("[name]"));
}

/// `unshare` flags that give a child a network namespace of its own, if this machine allows
/// one: `-n` (root), else `-rn` (an unprivileged user namespace too).
fn no_network() -> Result<&'static str, String> {
    let mut why = Vec::new();
    for flags in ["-n", "-rn"] {
        match std::process::Command::new("unshare")
            .args([flags, "--", "cat", "/proc/self/net/dev"])
            .output()
        {
            Ok(o) if o.status.success() => {
                // The namespace holds the loopback interface and nothing else.
                let dev = String::from_utf8_lossy(&o.stdout);
                let interfaces: Vec<&str> = dev
                    .lines()
                    .skip(2)
                    .filter_map(|l| l.split(':').next())
                    .map(str::trim)
                    .collect();
                assert_eq!(interfaces, ["lo"], "unshare {flags}: {dev}");
                return Ok(flags);
            }
            Ok(o) => why.push(format!("unshare {flags}: {}", stderr(&o).trim())),
            Err(e) => why.push(format!("unshare {flags}: {e}")),
        }
    }
    Err(why.join("; "))
}

#[test]
fn the_main_job_needs_no_network() {
    let flags = match no_network() {
        Ok(flags) => flags,
        Err(why) => {
            skipped(
                "the_main_job_needs_no_network",
                format_args!("no network namespace can be created here ({why})"),
            );
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let online = dir.path().join("online");
    let offline = dir.path().join("offline");
    let bin = assert_cmd::cargo::cargo_bin("rapporteur");
    let o = std::process::Command::new(&bin)
        .args(["--quiet", "run", "--out"])
        .arg(&online)
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = std::process::Command::new("unshare")
        .args([flags, "--"])
        .arg(&bin)
        .args(["--quiet", "run", "--out"])
        .arg(&offline)
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(o.status.success(), "offline run: {}", stderr(&o));
    let mut files = 0;
    for entry in std::fs::read_dir(&online).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            let name = p.file_name().unwrap();
            assert!(
                std::fs::read(&p).unwrap() == std::fs::read(offline.join(name)).unwrap(),
                "{name:?} differs without network"
            );
            files += 1;
        }
    }
    assert_eq!(
        files, 7,
        "report.html, results.json, messages.md, clusters.*, screen.*"
    );
    let index = |out: &Path| {
        let o = std::process::Command::new(&bin)
            .arg("--index")
            .arg(out.join("index"))
            .args(["stats", "--json"])
            .output()
            .unwrap();
        stdout_json(&o)
    };
    assert_eq!(index(&online), index(&offline));
}

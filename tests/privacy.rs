//! `--redact`: no person name of the corpus and no e-mail address in any output of `run`
//! (JSON, CSV, Markdown, HTML) or of the commands that print documents.

mod common;
use common::*;

use std::process::Output;

use assert_cmd::Command;

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

const EMAIL: &str = "jane.roe@example.org";

#[test]
fn redact_removes_names_and_emails_from_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_dir(&repo_root().join("corpora/sample"), &corpus);
    std::fs::write(
        corpus.join("2026/contact.jsonl"),
        format!(
            "{{\"id\":\"2026-contact\",\"kind\":\"takeaway\",\"year\":2026,\"title\":\"Contact Jane Roe\",\"text\":\"Community networks need spectrum; write to Jane Roe at {EMAIL} for the licence template.\",\"speakers\":[\"Jane Roe, Civil Society, WEOG\"]}}\n"
        ),
    )
    .unwrap();
    let (docs, _) = rapporteur::ingest::load(
        std::slice::from_ref(&corpus),
        &rapporteur::ingest::IngestOptions::default(),
    )
    .unwrap();
    let mut names: Vec<String> = docs
        .iter()
        .flat_map(|d| d.organisers.iter().chain(&d.speakers))
        .filter_map(|p| p.name.clone())
        .filter(|n| n.split_whitespace().count() >= 2)
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() > 20, "{names:?}");
    assert!(names.iter().any(|n| n == "Jane Roe"));

    let out = dir.path().join("out");
    let o = rapporteur(&[
        "--redact".as_ref(),
        "run".as_ref(),
        corpus.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
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
    // Without --redact the same commands name people (else this test would prove nothing).
    let screen = rapporteur(&[
        "--index".as_ref(),
        index.as_os_str(),
        "screen".as_ref(),
        "--year".as_ref(),
        "2026".as_ref(),
        "--json".as_ref(),
    ]);
    let screen = String::from_utf8_lossy(&screen.stdout);
    assert!(names.iter().any(|n| has_word(&screen, n)), "{screen}");
    for args in [
        vec!["search", "community networks spectrum", "--json"],
        vec!["search", "licence template"],
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
    let mut leaks = Vec::new();
    for (what, text) in &outputs {
        if text.contains(EMAIL) {
            leaks.push(format!("{what}: {EMAIL}"));
        }
        for n in &names {
            if has_word(text, n) {
                leaks.push(format!("{what}: {n}"));
            }
        }
    }
    assert!(leaks.is_empty(), "names left:\n{}", leaks.join("\n"));
    assert!(outputs.iter().any(|(_, t)| t.contains("[name]")));
    assert!(outputs.iter().any(|(_, t)| t.contains("[e-mail]")));
}

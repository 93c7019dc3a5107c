//! End-to-end tests: the real `rapporteur` binary on real files in a temporary folder.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// A temporary working folder and the binary.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }

    /// Runs `rapporteur --index <tmp>/idx ARGS…` in the temporary folder.
    fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("rapporteur")
            .unwrap()
            .current_dir(self.dir.path())
            .arg("--index")
            .arg(self.path("idx"))
            .args(args)
            .output()
            .unwrap()
    }
}

const GOOD: &str = r#"{"id":"a","kind":"proposal","year":2026,"title":"Community networks","text":"Community networks connect rural villages where operators do not invest."}
{"id":"b","kind":"takeaway","year":2026,"text":"Participants agreed that data governance frameworks need trust and interoperability."}
"#;

fn stats(env: &Env) -> Value {
    let o = env.run(&["stats", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout_json(&o)
}

#[test]
fn index_search_and_stats_json_shapes() {
    let env = Env::new();
    let input = env.write("in.jsonl", GOOD);
    let o = env.run(&["index", input.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("indexed 2 documents from 1 files"));

    let o = env.run(&["search", "data governance", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = stdout_json(&o);
    assert_eq!(r["total"], 1);
    let hit = &r["hits"][0];
    for key in ["id", "score", "title", "kind", "year", "snippet"] {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
    }
    assert_eq!(hit["id"], "b");
    assert_eq!(r["facets"]["kind"]["takeaway"], 1);

    let s = stats(&env);
    assert_eq!(s["documents"], 2);
    assert_eq!(s["by_kind"]["proposal"], 1);
    assert_eq!(s["by_year"]["2026"], 2);
    assert_eq!(s["by_language"]["en"], 2);
    assert!(s.get("by_track").is_some());
}

#[test]
fn reindexing_replaces_by_id() {
    let env = Env::new();
    let input = env.write("in.jsonl", GOOD);
    env.run(&["index", input.to_str().unwrap()]);
    let again = env.write(
        "again.jsonl",
        r#"{"id":"a","kind":"proposal","year":2025,"text":"Spectrum policy for rural areas and small operators."}"#,
    );
    let o = env.run(&["index", again.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("1 replaced an earlier version, 2 in the index"),
        "{}",
        stderr(&o)
    );
    let s = stats(&env);
    assert_eq!(s["documents"], 2);
    assert_eq!(s["by_year"]["2025"], 1);
}

#[test]
fn bundled_corpus_counts_match_the_input_lines() {
    let env = Env::new();
    let corpus = repo_root().join("corpora/sample");
    let o = env.run(&["index", corpus.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut lines = 0;
    let mut by_kind = std::collections::BTreeMap::<String, u64>::new();
    for year in ["2024", "2025", "2026"] {
        for entry in std::fs::read_dir(corpus.join(year)).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                lines += 1;
                let v: Value = serde_json::from_str(line).unwrap();
                *by_kind
                    .entry(v["kind"].as_str().unwrap().to_string())
                    .or_default() += 1;
            }
        }
    }
    let s = stats(&env);
    assert_eq!(s["documents"], lines);
    for (kind, n) in by_kind {
        assert_eq!(s["by_kind"][&kind], n, "{kind}");
    }
}

#[test]
fn main_job_runs_on_the_bundled_corpus() {
    let env = Env::new();
    let root = repo_root();
    let o = Command::cargo_bin("rapporteur")
        .unwrap()
        .current_dir(&root)
        .args(["run", "--out"])
        .arg(env.path("out"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The closing summary is on stderr: counts, then where the files are.
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let summary = stderr(&o);
    for fragment in [
        "Proposals of 2026 against the policy questions",
        "Screening: ",
        "Convergence: ",
        "Messages: ",
        "report.html",
        "messages.md",
        "results.json",
    ] {
        assert!(
            summary.contains(fragment),
            "summary lacks {fragment}: {summary}"
        );
    }
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("out/results.json")).unwrap())
            .unwrap();
    let clusters = results["clustering"]["clusters"].as_array().unwrap();
    let questions: Vec<&str> = clusters
        .iter()
        .filter_map(|c| c["policy_question"].as_str())
        .collect();
    assert_eq!(questions.len(), 8, "one cluster per focused question");
    assert_eq!(
        results["clustering"]["assignments"]
            .as_array()
            .unwrap()
            .len(),
        127
    );
    let csv = std::fs::read_to_string(env.path("out/clusters.csv")).unwrap();
    assert!(csv.starts_with("id,title,cluster,policy_questions,score\n"));
    assert_eq!(csv.lines().count(), 128);
    assert!(env.path("out/clusters.md").is_file());
    let screen = std::fs::read_to_string(env.path("out/screen.csv")).unwrap();
    assert!(
        screen.lines().count() > 1,
        "the planted overlaps are flagged"
    );
    let pairs = results["screening"]["pairs"].as_array().unwrap();
    assert!(pairs.iter().any(|p| p["class"] == "same_proposal"));
    // Convergence and the draft messages of the year, as `converge` and `messages` give them.
    let points = results["convergence"]["points"].as_array().unwrap();
    assert!(points.len() > 50, "{} points", points.len());
    let tracks = results["messages"]["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 3);
    let md = std::fs::read_to_string(env.path("out/messages.md")).unwrap();
    assert!(md.starts_with("# Thematic messages 2026 (draft)"), "{md}");
    assert!(md.contains("[^1]: "), "sources as footnotes: {md}");
    assert!(env.path("out/index").is_dir());
    assert!(!env.path("out/index.new").exists());
}

#[test]
fn real_igf_files_load_as_they_are() {
    let shared = repo_root().join("../shared/corpora/igf");
    if !shared.is_dir() {
        skipped(
            "real_igf_files_load_as_they_are",
            format_args!(
                "{} is absent (evaluation data, not part of the repository)",
                shared.display()
            ),
        );
        return;
    }
    let env = Env::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut lines = 0;
    for f in &files {
        lines += std::fs::read_to_string(f).unwrap().lines().count();
    }
    let mut args = vec!["index"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let o = env.run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stats(&env)["documents"], lines);
    let o = env.run(&["search", "data governance", "--json"]);
    let r = stdout_json(&o);
    assert!(r["total"].as_u64().unwrap() >= 10);
    assert!(r["hits"][0]["snippet"].as_str().unwrap().len() > 20);
}

// ---- bad input: the suite (one test per case) is tests/bad_inputs.rs ----

#[test]
fn skip_invalid_counts_and_lists_what_it_skipped() {
    let env = Env::new();
    let p = env.write(
        "mixed.jsonl",
        "{\"id\":\"1\",\"text\":\"good one\"}\nnot json\n{\"id\":\"1\",\"text\":\"dup\"}\n{\"id\":\"2\",\"text\":\"good two\"}\n",
    );
    let o = env.run(&["index", p.to_str().unwrap(), "--skip-invalid"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("indexed 2 documents"), "{err}");
    assert!(err.contains("skipped 2 records"), "{err}");
    assert!(err.contains("mixed.jsonl:2: invalid JSON"), "{err}");
    assert!(err.contains("mixed.jsonl:3: duplicate id `1`"), "{err}");
}

#[test]
fn accepted_oddities_bom_crlf_nul_unknown_fields() {
    let env = Env::new();
    let p = env.write(
        "odd.jsonl",
        b"\xEF\xBB\xBF{\"id\":\"1\",\"text\":\"line one\\r\\nline two\\u0000 end\",\"ws_number\":7}\r\n{\"id\":\"2\",\"text\":\"second \\u001b[31mred\\u001b[0m text\"}\r\n",
    );
    let o = env.run(&["index", p.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = stdout_json(&o);
    assert_eq!(r["total"], 2);
    assert_eq!(r["ingest"]["unknown_fields"]["ws_number"], 1);
    let o = env.run(&["search", "red"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        !out.contains('\u{1b}'),
        "terminal escapes reach the terminal: {out:?}"
    );
}

#[test]
fn help_has_examples_and_exit_codes() {
    let env = Env::new();
    let o = env.run(&["--help"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Examples:") && out.contains("Exit codes"),
        "{out}"
    );
    let o = env.run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cluster_outputs_and_evaluation_on_the_sample_corpus() {
    let env = Env::new();
    let root = repo_root();
    let o = env.run(&["index", root.join("corpora/sample").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let q = root.join("corpora/sample/questions-2026.toml");
    let q = q.to_str().unwrap();

    let o = env.run(&["cluster", "--questions", q, "--csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 127, "one row per 2026 proposal");
    assert!(rows.iter().all(|r| r[0].starts_with("2026-ws-")));
    // The vectors were cached beside the index, and the next run reads them back.
    let cache = env.path("idx/rapporteur-vectors.bin");
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
    let again = env.run(&["cluster", "--questions", q, "--csv"]);
    assert_eq!(
        again.stdout, o.stdout,
        "same result from the cached vectors"
    );
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        written
    );

    let o = env.run(&["cluster", "--questions", q, "--md"]);
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(
        md.starts_with("# Clusters") && md.contains("## data-1: How can cross-border data flows")
    );

    // Scored on the 2026 labels, which the defaults were not tuned on (see cluster::ClusterParams).
    let o = env.run(&[
        "--json",
        "eval",
        "cluster",
        "--labels",
        root.join("corpora/labels").to_str().unwrap(),
        "--questions",
        q,
    ]);
    let e = stdout_json(&o);
    let nmi = e["partition"]["nmi"].as_f64().unwrap();
    assert!(
        nmi > 0.45,
        "NMI {nmi} is not above the TF-IDF + k-means baseline (0.450)"
    );

    // A new proposal changes the index: the cache no longer matches and is fitted again.
    let extra = env.write(
        "extra.jsonl",
        r#"{"id":"2026-ws-999","kind":"proposal","year":2026,"title":"Spectrum for community networks","text":"Community networks need affordable spectrum licences and backhaul to connect rural villages."}"#,
    );
    assert!(
        env.run(&["index", extra.to_str().unwrap()])
            .status
            .success()
    );
    let bytes = std::fs::read(&cache).unwrap();
    let o = env.run(&["cluster", "--questions", q, "--csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv::Reader::from_reader(o.stdout.as_slice())
        .records()
        .count();
    assert_eq!(rows, 128, "the new proposal is clustered");
    assert_ne!(
        std::fs::read(&cache).unwrap(),
        bytes,
        "the cache was rewritten"
    );
}

#[test]
fn csv_cells_never_start_a_formula() {
    const TEXTS: [&str; 2] = [
        "Community networks and spectrum for rural connectivity.",
        "Cross-border data flows and trust in data protection.",
    ];
    let env = Env::new();
    let mut lines = String::new();
    for (i, title) in [
        "=HYPERLINK(\"http://x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "-2+3",
        "Plain title",
    ]
    .iter()
    .enumerate()
    {
        lines.push_str(
            &serde_json::json!({
                "id": format!("p{i}"), "kind": "proposal", "year": 2026, "title": title,
                "text": TEXTS[i % 2]
            })
            .to_string(),
        );
        lines.push('\n');
    }
    let input = env.write("in.jsonl", lines);
    env.run(&["index", input.to_str().unwrap()]);
    let o = env.run(&["cluster", "--k", "1", "--csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    for r in reader.records() {
        let title = r.unwrap()[1].to_string();
        assert!(!title.starts_with(['=', '+', '-', '@']), "{title}");
    }
}

// ---- archive formats: HTML pages, PDFs, transcripts, folders ----

#[test]
fn mixed_archive_folder_with_coverage_report() {
    let env = Env::new();
    let archive = env.path("archive");
    copy_dir(&repo_root().join("tests/fixtures/archive"), &archive);
    env.write("archive/notes.docx", "PK");
    let o = env.run(&["index", archive.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = stdout_json(&o);
    let i = &r["ingest"];
    assert_eq!(i["documents"], 11, "{i}");
    assert_eq!(i["files"], 11);
    assert_eq!(i["ignored_files"].as_array().unwrap().len(), 1);
    let skipped = &i["skipped"][0];
    assert!(
        skipped["at"]
            .as_str()
            .unwrap()
            .ends_with("scanned-letter.pdf")
    );
    assert!(
        skipped["message"]
            .as_str()
            .unwrap()
            .contains("no text layer")
    );
    let c = &i["coverage"];
    for (field, n) in [
        ("documents", 11),
        ("year", 11),
        ("kind", 11),
        ("title", 10),
        ("track", 5),
        ("policy_questions", 6),
        ("speakers_with_group", 4),
        ("session", 5),
        ("turns", 2),
    ] {
        assert_eq!(c[field], n, "coverage of {field}: {c}");
    }
    let by_format = &i["coverage_by_format"];
    for (format, n) in [("html", 5), ("pdf", 3), ("text", 1), ("jsonl", 2)] {
        assert_eq!(by_format[format]["documents"], n, "{format}: {by_format}");
    }

    let s = stats(&env);
    for (kind, n) in [
        ("proposal", 4),
        ("report", 2),
        ("transcript", 2),
        ("message", 1),
        ("dc_output", 1),
        ("takeaway", 1),
    ] {
        assert_eq!(s["by_kind"][kind], n, "{kind}: {}", s["by_kind"]);
    }
    // PDF text (two columns, hyphenation undone) and transcript turns are searchable.
    let o = env.run(&["search", "\"volunteer networks\"", "--json"]);
    assert_eq!(stdout_json(&o)["hits"][0]["id"], "reports/ws-40-report");
    let o = env.run(&["search", "satellite", "--kind", "transcript", "--json"]);
    assert_eq!(stdout_json(&o)["hits"][0]["id"], "transcripts/ws-88");

    // The text report names the coverage and what was skipped or not read.
    let env = Env::new();
    let o = env.run(&["index", archive.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for fragment in [
        "field coverage of 11 documents: year 11 (100%), kind 11 (100%), title 10 (91%), track 5 (45%), policy questions 6 (55%), speakers with stakeholder group 4 (36%)",
        "   pdf (3 documents):",
        "skipped 1 records:",
        "scanned-letter.pdf: no text layer on any of its 1 pages (a scanned PDF?)",
        "1 files in the folders were not read (unsupported type)",
    ] {
        assert!(err.contains(fragment), "stderr lacks {fragment:?}: {err}");
    }
}

#[test]
fn types_filter_reads_only_the_named_formats() {
    let env = Env::new();
    let archive = env.path("archive");
    copy_dir(&repo_root().join("tests/fixtures/archive"), &archive);
    let o = env.run(&[
        "index",
        archive.to_str().unwrap(),
        "--types",
        "html,pdf",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let i = &stdout_json(&o)["ingest"];
    assert_eq!(i["documents"], 8);
    assert_eq!(i["filtered_files"], 2);
    let o = env.run(&["index", archive.to_str().unwrap(), "--types", "docx"]);
    expect_failure(&o, 2, &["unknown file type `docx`", "html, pdf"]);
}

// ---- screening for duplicate and overlapping proposals ----

/// The labelled pairs of `corpora/labels` as `(a, b)` → class (`None`: a hard negative).
fn labelled_pairs() -> std::collections::HashMap<(String, String), Option<String>> {
    let mut pairs = std::collections::HashMap::new();
    for entry in std::fs::read_dir(repo_root().join("corpora/labels")).unwrap() {
        let labels: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let key = |p: &Value| {
            let (a, b) = (p["a"].as_str().unwrap(), p["b"].as_str().unwrap());
            (a.min(b).to_string(), a.max(b).to_string())
        };
        for p in labels["overlap_pairs"].as_array().into_iter().flatten() {
            pairs.insert(key(p), Some(p["class"].as_str().unwrap().to_string()));
        }
        for p in labels["hard_negatives"].as_array().into_iter().flatten() {
            pairs.insert(key(p), None);
        }
    }
    pairs
}

fn pair_key(p: &Value) -> (String, String) {
    let (a, b) = (p["a"].as_str().unwrap(), p["b"].as_str().unwrap());
    (a.min(b).to_string(), a.max(b).to_string())
}

#[test]
fn screen_outputs_and_evaluation_on_the_sample_corpus() {
    let env = Env::new();
    let root = repo_root();
    let o = env.run(&["index", root.join("corpora/sample").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let labels = labelled_pairs();

    // JSON, the 2026 call against the two archive years.
    let o = env.run(&[
        "--json",
        "screen",
        "--year",
        "2026",
        "--against",
        "2024",
        "2025",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = stdout_json(&o);
    let pairs = r["pairs"].as_array().unwrap();
    assert!(!pairs.is_empty());
    for key in [
        "a",
        "b",
        "score",
        "class",
        "signals",
        "evidence",
        "shared_people",
    ] {
        assert!(pairs[0].get(key).is_some(), "pair lacks {key}");
    }
    for key in ["groups", "diversity", "params"] {
        assert!(r.get(key).is_some(), "result lacks {key}");
    }
    assert_eq!(r["diversity"].as_array().unwrap().len(), 127);
    assert_eq!(
        labels.get(&pair_key(&pairs[0])),
        Some(&Some("same_proposal".to_string())),
        "the top pair is a labelled version: {}",
        pairs[0]
    );
    for p in pairs {
        assert_ne!(
            labels.get(&pair_key(p)),
            Some(&None),
            "hard negative flagged: {p}"
        );
        let years = [p["a_year"].as_u64(), p["b_year"].as_u64()];
        assert!(
            years.contains(&Some(2026)),
            "no pair within the archive years: {p}"
        );
    }
    let resubmission = pairs
        .iter()
        .find(|p| pair_key(p) == ("2024-ws-002".into(), "2026-ws-321".into()))
        .expect("the 2024 resubmission is flagged");
    assert_eq!(resubmission["class"], "same_proposal");
    assert!(!resubmission["evidence"].as_array().unwrap().is_empty());

    // CSV: one row per pair, both titles, the top evidence.
    let o = env.run(&[
        "screen",
        "--year",
        "2026",
        "--min-class",
        "strong_overlap",
        "--csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    for column in [
        "a_title",
        "b_title",
        "class",
        "score",
        "shared_people",
        "evidence_a",
    ] {
        assert!(header.iter().any(|h| h == column), "CSV lacks {column}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r[6] == *"strong_overlap" || r[6] == *"same_proposal")
    );

    // With the questions, the merge candidates per question: in the CSV, the labelled
    // version pair on data-2 is in a data-2 group; in the Markdown, under the question's text.
    let questions = root.join("corpora/sample/questions-2026.toml");
    let questions = questions.to_str().unwrap();
    let o = env.run(&[
        "screen",
        "--year",
        "2026",
        "--questions",
        questions,
        "--csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (a, b, group) = (column("a"), column("b"), column("merge_group"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let version = rows
        .iter()
        .find(|r| (&r[a], &r[b]) == ("2026-ws-006", "2026-ws-040"))
        .expect("the data-2 version pair is flagged");
    assert!(version[group].starts_with("data-2 #"), "{:?}", version);
    let o = env.run(&["screen", "--year", "2026", "--questions", questions, "--md"]);
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(
        md.contains("### data-2: What transparency, oversight and redress mechanisms"),
        "{md}"
    );

    // Markdown: summary, pairs with evidence, merge candidates, panel diversity.
    let o = env.run(&["screen", "--year", "2026", "--md", "--limit", "3"]);
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(md.starts_with("# Screening of 2026"), "{md}");
    for part in [
        "## 1. ",
        "Evidence (aligned passages",
        "## Merge candidates",
        "## Panel diversity",
    ] {
        assert!(md.contains(part), "Markdown lacks {part:?}");
    }
    assert!(!md.contains("## 4. "), "--limit 3");

    // Evaluation: held-out (2026) pairs, no hard negative flagged.
    let o = env.run(&[
        "--json",
        "eval",
        "screen",
        "--labels",
        root.join("corpora/labels").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stdout_json(&o);
    assert_eq!(e["all"]["hard_negatives_flagged"], 0);
    let (f1, auc) = (
        e["test"]["flags"]["f1"].as_f64().unwrap(),
        e["test"]["roc_auc"].as_f64().unwrap(),
    );
    assert!(
        f1 > 0.79 && auc > 0.823,
        "test F1 {f1}, AUC {auc}: not above the reference pipeline (best F1 0.789, AUC 0.823)"
    );
    let o = env.run(&[
        "eval",
        "screen",
        "--labels",
        root.join("corpora/labels").to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("calibration") && text.contains("These are the values in use."),
        "{text}"
    );
}

#[test]
fn screen_csv_cells_never_start_a_formula() {
    let env = Env::new();
    let texts = [
        "Community networks in rural villages need affordable spectrum licences. Regulators \
         rarely reserve frequencies for small operators. Cooperatives run towers with solar power.",
        "Online safety laws require platforms to verify the age of users. Facial age estimation \
         collects sensitive data about minors. Privacy regulators warn about biometric databases.",
    ];
    let mut lines = String::new();
    for (i, title) in [
        "=HYPERLINK(\"http://x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "Plain",
    ]
    .iter()
    .enumerate()
    {
        let record = serde_json::json!({
            "id": format!("-p{i}"), "kind": "proposal", "year": 2026, "title": title,
            "text": texts[i / 2]
        });
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    let input = env.write("in.jsonl", lines);
    env.run(&["index", input.to_str().unwrap()]);
    let o = env.run(&["screen", "--csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "two pairs of copies");
    for r in &rows {
        for cell in r.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
}

#[test]
fn real_igf_page_versions_rank_first_in_screening() {
    let file = repo_root().join("../shared/corpora/igf/igf_proposals_2017_2022.jsonl");
    if !file.is_file() {
        skipped(
            "real_igf_page_versions_rank_first_in_screening",
            format_args!(
                "{} is absent (evaluation data, not part of the repository)",
                file.display()
            ),
        );
        return;
    }
    let env = Env::new();
    let o = env.run(&["index", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = env.run(&["--json", "screen"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = stdout_json(&o);
    let pairs = r["pairs"].as_array().unwrap();
    let mut top: Vec<(String, String)> = pairs[..4].iter().map(pair_key).collect();
    top.sort();
    let versions: Vec<(String, String)> = [112, 178, 182, 236]
        .iter()
        .map(|n| (format!("igf2019-ws{n}-v1"), format!("igf2019-ws{n}-v2")))
        .collect();
    assert_eq!(
        top, versions,
        "the -v1/-v2 page versions are the top four pairs"
    );
    for p in pairs {
        let (a, b) = pair_key(p);
        if a.starts_with("igf2021") && b.starts_with("igf2021") {
            assert_ne!(p["class"], "same_proposal", "2021 menu-question pair: {p}");
            assert!(!a.contains("ws115") && !b.contains("ws115"), "{p}");
        }
    }
}

#[test]
fn main_job_outputs_are_identical_across_runs_and_thread_counts() {
    let env = Env::new();
    let root = repo_root();
    let run = |out: &str, threads: &str| {
        let o = Command::cargo_bin("rapporteur")
            .unwrap()
            .current_dir(&root)
            .env("RAYON_NUM_THREADS", threads)
            .args(["--quiet", "run", "--out"])
            .arg(env.path(out))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        // --quiet: nothing but errors.
        assert!(
            o.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        assert!(o.stderr.is_empty(), "{}", stderr(&o));
    };
    run("one", "1");
    run("two", "2");
    run("again", "2");
    for file in [
        "report.html",
        "results.json",
        "clusters.csv",
        "clusters.md",
        "screen.csv",
        "screen.md",
        "messages.md",
    ] {
        let a = std::fs::read(env.path("one").join(file)).unwrap();
        for other in ["two", "again"] {
            let b = std::fs::read(env.path(other).join(file)).unwrap();
            assert!(a == b, "{file} differs between runs (one vs {other})");
        }
    }
}

// ---- the HTML report, in a real browser ----

/// A 2026 proposal whose title and source try to run script in the report.
const HOSTILE: &str = r##"{"id":"hostile-1","kind":"proposal","year":2026,"title":"<script>document.title='pwned';document.body.insertAdjacentHTML('beforeend','<p id=pwned>pwned</p>')</script><img src=x onerror=\"document.title='pwned'\"> Cross-border data flows","text":"How can cross-border data flows be governed so that trade and trust grow together? Data governance, data protection and interoperability across borders.","source":"javascript:document.title='pwned'"}
"##;

/// Chromium on the PATH, if installed.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|b| dir.join(b)))
        .find(|p| p.is_file())
}

/// Loads `page` (with `fragment`, e.g. `#selftest`) in headless Chromium; returns the DOM
/// after scripts ran, and the log.
fn dump_dom(browser: &Path, page: &Path, fragment: &str, profile: &Path) -> (String, String) {
    let o = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--timeout=20000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!(
            "file://{}{fragment}",
            page.canonicalize().unwrap().display()
        ))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "chromium failed: {log}");
    (String::from_utf8_lossy(&o.stdout).into_owned(), log)
}

/// Copies of a 2026 proposal and of a 2026 takeaway with script in their titles and texts.
/// The proposal copy pairs with its original in the screening (so its text is in the page,
/// for the pair viewer); the takeaway copy makes the points of its original (so it is cited,
/// and its text is listed among the sources).
fn hostile_copies(corpus: &Path) -> String {
    let mut out = String::new();
    for (file, id) in [
        ("proposals-trust.jsonl", "2026-ws-219"),
        ("takeaways-data.jsonl", "2026-tk-002"),
    ] {
        let lines = std::fs::read_to_string(corpus.join("2026").join(file)).unwrap();
        let line = lines
            .lines()
            .find(|l| l.contains(&format!("\"id\": \"{id}\"")))
            .unwrap();
        let mut doc: Value = serde_json::from_str(line).unwrap();
        doc["id"] = format!("hostile-{id}").into();
        doc["title"] = format!(
            "<script>document.title='pwned'</script> {}",
            doc["title"].as_str().unwrap()
        )
        .into();
        doc["text"] = doc["text"]
            .as_str()
            .unwrap()
            .replacen(
                ". ",
                ". <script>document.body.insertAdjacentHTML('beforeend','<p id=pwned>pwned</p>')</script> ",
                1,
            )
            .into();
        out.push_str(&serde_json::to_string(&doc).unwrap());
        out.push('\n');
    }
    out
}

/// The `key=value` pairs the report's self-test (report.html#selftest) wrote into
/// `data-selftest`.
fn selftest_results(dom: &str) -> std::collections::BTreeMap<String, String> {
    let start = dom
        .find("data-selftest=\"")
        .unwrap_or_else(|| panic!("the self-test did not run"))
        + "data-selftest=\"".len();
    let end = start + dom[start..].find('"').unwrap();
    dom[start..end]
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The report of the main job (and the same from `rapporteur report`) in headless Chromium.
///
/// How Chromium is driven: `--dump-dom` loads the page, runs its script and prints the DOM,
/// without any protocol client. Interaction is exercised by the page's own self-test, which
/// runs only when the address ends in `#selftest`: it clicks the score header of the pair
/// table, types into its filter (an `input` event, as typing sends) and clicks the
/// strongest pair, through the same event handlers a person triggers, and writes what it
/// observed (row order changed, rows ascending, rows shown and hidden, documents and
/// highlighted passages in the viewer) into `data-selftest` on `<html>`. This test reads
/// those observations from the dumped DOM and judges them, and fails on any console message
/// (Chromium logs console output and uncaught errors to stderr with `--enable-logging`).
#[test]
fn report_renders_in_headless_chromium_and_escapes_documents() {
    let Some(browser) = chromium() else {
        skipped(
            "report_renders_in_headless_chromium_and_escapes_documents",
            "chromium not installed (apt-get install -y chromium)",
        );
        return;
    };
    let env = Env::new();
    copy_dir(&repo_root().join("corpora/sample"), &env.path("corpus"));
    env.write("corpus/2026/hostile.jsonl", HOSTILE);
    env.write(
        "corpus/2026/hostile-copies.jsonl",
        hostile_copies(&env.path("corpus")),
    );
    let o = env.run(&["--quiet", "run", "corpus", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The same report from the index, by `rapporteur report`.
    let o = Command::cargo_bin("rapporteur")
        .unwrap()
        .current_dir(env.dir.path())
        .args(["--quiet", "--index", "out/index", "report"])
        .args([
            "--questions",
            "corpus/questions-2026.toml",
            "--out",
            "r.html",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    for page in ["out/report.html", "r.html"] {
        let html = std::fs::read_to_string(env.path(page)).unwrap();
        for network in ["http://", "https://", "src=\"", "@import", "url("] {
            // Links to sources are allowed; nothing is loaded from anywhere.
            if network.starts_with("http") {
                assert!(
                    !html.contains(&format!("src=\"{network}")),
                    "{page} loads {network}"
                );
            } else {
                assert!(!html.contains(network), "{page} loads something: {network}");
            }
        }
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{page}: a script element besides the page's own"
        );
        let (dom, log) = dump_dom(&browser, &env.path(page), "#selftest", &env.path("profile"));
        assert!(
            dom.contains("data-ready=\"1\""),
            "{page}: the script did not finish"
        );
        assert!(!dom.contains("data-errors="), "{page}: script errors");
        for section in [
            "overview",
            "focus",
            "map",
            "clusters",
            "screening",
            "convergence",
            "messages",
            "proposals",
            "sources",
        ] {
            assert!(
                dom.contains(&format!("<section id=\"{section}\">")),
                "{page}: no {section} section"
            );
        }
        assert!(dom.contains("<circle"), "{page}: the map has no points");
        assert!(
            dom.contains("class=\"point\"") && dom.contains("class=\"messages\""),
            "{page}: no convergence points or messages"
        );
        assert!(
            dom.contains("href=\"#src-"),
            "{page}: messages do not link to their sources"
        );

        // The pair table, driven by the self-test.
        let seen = selftest_results(&dom);
        let num = |k: &str| -> usize {
            seen.get(k)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{page}: self-test lacks {k}: {seen:?}"))
        };
        assert!(!seen.contains_key("exception"), "{page}: {seen:?}");
        assert!(num("rows") > 10, "{page}: {seen:?}");
        assert_eq!(
            num("order_changed"),
            1,
            "{page}: sorting changed nothing: {seen:?}"
        );
        assert_eq!(num("ascending"), 1, "{page}: not sorted by score: {seen:?}");
        assert!(num("filter_shown") >= 1, "{page}: {seen:?}");
        assert!(
            num("filter_hidden") >= 1,
            "{page}: the filter hid nothing: {seen:?}"
        );
        assert_eq!(num("filter_shown") + num("filter_hidden"), num("rows"));
        assert_eq!(num("filter_matching"), 1, "{page}: {seen:?}");
        assert_eq!(
            num("view_open"),
            1,
            "{page}: the pair did not open: {seen:?}"
        );
        assert_eq!(num("view_docs"), 2, "{page}: not side by side: {seen:?}");
        assert!(
            num("view_marks") >= 1,
            "{page}: no passage highlighted: {seen:?}"
        );

        // Hostile titles and texts show as text, in every section they reach.
        assert!(
            dom.contains("&lt;script&gt;document.title='pwned'"),
            "{page}: the hostile title is not shown as text"
        );
        assert!(
            dom.contains("&lt;script&gt;document.body.insertAdjacentHTML("),
            "{page}: the hostile text is not shown as text"
        );
        for id in ["hostile-2026-ws-219", "hostile-2026-tk-002"] {
            assert!(dom.contains(id), "{page}: {id} is not in the report");
        }
        assert!(
            !dom.contains("id=\"pwned\""),
            "{page}: the hostile script ran"
        );
        assert!(
            !dom.contains("<title>pwned"),
            "{page}: the hostile script ran"
        );
        assert!(!dom.contains("javascript:"), "{page}: a javascript: link");
        for line in log.lines() {
            assert!(
                !line.contains("Uncaught") && !line.contains("CONSOLE"),
                "{page}: console message: {line}"
            );
        }
    }
}

/// Indexes the sample corpus in a fresh folder; returns it with the questions file.
fn sample_env() -> (Env, String) {
    let env = Env::new();
    let root = repo_root();
    let o = env.run(&["index", root.join("corpora/sample").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let q = root.join("corpora/sample/questions-2026.toml");
    (env, q.to_str().unwrap().to_string())
}

#[test]
fn converge_json_and_markdown_on_the_sample_corpus() {
    let (env, q) = sample_env();
    let o = env.run(&["--json", "converge", "--questions", &q]);
    assert!(o.status.success(), "{}", stderr(&o));
    let c = stdout_json(&o);
    let points = c["points"].as_array().unwrap();
    assert!(points.len() > 50, "{} points", points.len());
    for p in points {
        for key in [
            "id",
            "policy_question",
            "class",
            "summary",
            "support",
            "statements",
        ] {
            assert!(p.get(key).is_some(), "point lacks {key}: {p}");
        }
        for key in ["sessions", "stakeholder_groups", "regions"] {
            assert!(p["support"][key].is_array(), "support lacks {key}: {p}");
        }
        let s = &p["statements"][0];
        assert!(s["doc"].is_string() && s["text"].is_string(), "{p}");
    }
    let classes: std::collections::BTreeSet<&str> = points
        .iter()
        .map(|p| p["class"].as_str().unwrap())
        .collect();
    assert_eq!(
        classes,
        std::collections::BTreeSet::from(["converging", "diverging", "emerging"])
    );
    // A disagreement stated inside one session is found, with its two sides.
    let farmers = points
        .iter()
        .find(|p| {
            p["statements"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["id"] == "2026-tk-010#2")
        })
        .unwrap();
    assert_eq!(farmers["class"], "diverging");
    assert_eq!(farmers["sides"].as_array().unwrap().len(), 2);

    let o = env.run(&["converge", "--questions", &q, "--md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(md.starts_with("# Convergence and divergence"), "{md}");
    assert!(
        md.contains("### data-1: How can cross-border data flows") && md.contains("#### Diverging")
    );
    // Same input, same output.
    let again = env.run(&["converge", "--questions", &q, "--md"]);
    assert_eq!(o.stdout, again.stdout);
}

#[test]
fn messages_draft_booklet_and_check_on_the_sample_corpus() {
    let (env, q) = sample_env();
    let o = env.run(&["--json", "messages", "--questions", &q]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = stdout_json(&o);
    let tracks = m["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 3);
    assert_eq!(
        m["violations"].as_array().unwrap().len(),
        0,
        "{}",
        m["violations"]
    );
    for t in tracks {
        assert!(t["track"].is_string());
        for question in t["questions"].as_array().unwrap() {
            assert!(question["id"].is_string() && question["text"].is_string());
            let messages = question["messages"].as_array().unwrap();
            assert!((1..=7).contains(&messages.len()), "{question}");
            for msg in messages {
                let text = msg["text"].as_str().unwrap();
                assert!(text.split_whitespace().count() <= 60, "{text}");
                assert!(!msg["sources"].as_array().unwrap().is_empty());
                assert!(msg["actionable_by"].is_array());
                let class = msg["class"].as_str().unwrap();
                assert!(["converging", "diverging", "emerging"].contains(&class));
            }
        }
    }

    // The Markdown draft passes its own check; a shorter limit holds too.
    let o = env.run(&["messages", "--questions", &q, "--md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = env.write("draft.md", &o.stdout);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("# Thematic messages 2026 (draft)") && text.contains("[^1]: 2026-"));
    let o = env.run(&[
        "messages",
        "--questions",
        &q,
        "--check",
        draft.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains(" 0 violations"));
    let o = env.run(&["--json", "messages", "--questions", &q, "--max-words", "35"]);
    let m = stdout_json(&o);
    for msg in m["tracks"][0]["questions"][0]["messages"]
        .as_array()
        .unwrap()
    {
        assert!(
            msg["text"].as_str().unwrap().split_whitespace().count() <= 35,
            "{msg}"
        );
    }

    // A draft written by a person: each violation with its line, exit 1.
    let bad = env.write(
        "bad.md",
        "# Messages\n\n## Data\n\n- Irena Kovačević of the Civic Code Lab said registers help.[^1]\n- Everyone agreed that farmers should be paid for their data.[^2]\n- A message with no source at all.\n\n[^1]: 2026-tk-003#4\n[^2]: 2026-tk-010#2\n",
    );
    let o = env.run(&[
        "messages",
        "--questions",
        &q,
        "--check",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let path = bad.display().to_string();
    for expected in [
        format!("{path}:5: name"),
        format!("{path}:6: diverging_as_consensus"),
        format!("{path}:7: no_source"),
    ] {
        assert!(out.contains(&expected), "{expected} not in {out}");
    }

    // The DC booklet: every output, at most 80 words, grouped by track, and it checks clean.
    let o = env.run(&["--json", "messages", "--questions", &q, "--booklet"]);
    let b = stdout_json(&o);
    let outputs: Vec<&Value> = b["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["outputs"].as_array().unwrap())
        .collect();
    assert_eq!(outputs.len(), 8);
    assert!(outputs.iter().all(|e| e["words"].as_u64().unwrap() <= 80));
    let o = env.run(&["messages", "--questions", &q, "--booklet", "--md"]);
    let booklet = env.write("booklet.md", &o.stdout);
    let o = env.run(&[
        "messages",
        "--questions",
        &q,
        "--booklet",
        "--check",
        booklet.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn converge_and_messages_evaluation_on_the_sample_corpus() {
    let (env, q) = sample_env();
    let labels = repo_root().join("corpora/labels");
    let labels = labels.to_str().unwrap();
    let o = env.run(&[
        "--json",
        "eval",
        "converge",
        "--labels",
        labels,
        "--questions",
        &q,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stdout_json(&o);
    let s = &e["scores"];
    assert_eq!(s["calibrated_on"], "data");
    assert!(s["tracks"]["access"].is_object() && s["held_out"].is_object());
    let within = s["all"]["within_session"]["recall"].as_f64().unwrap();
    assert!(within > 0.9, "within-session divergence recall {within}");
    assert!(s["all"]["placement"]["accuracy"].as_f64().unwrap() > 0.7);
    assert_eq!(e["placement"].as_array().unwrap().len(), 4);

    let o = env.run(&[
        "eval",
        "messages",
        "--labels",
        labels,
        "--questions",
        &q,
        "--real-text",
        "absent",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("| lexrank R1") && out.contains("Real text: SKIPPED"),
        "{out}"
    );
    assert!(out.contains("(100 %) break no guideline"), "{out}");
}

#[test]
fn real_igf_reports_are_drafted_and_compared() {
    let shared = repo_root().join("../shared/corpora/igf");
    if !shared.join("igf_session_reports.jsonl").is_file() {
        skipped(
            "real_igf_reports_are_drafted_and_compared",
            format_args!(
                "{} is absent (evaluation data, not part of the repository)",
                shared.display()
            ),
        );
        return;
    }
    let (env, q) = sample_env();
    let labels = repo_root().join("corpora/labels");
    let o = env.run(&[
        "--json",
        "eval",
        "messages",
        "--labels",
        labels.to_str().unwrap(),
        "--questions",
        &q,
        "--real-text",
        shared.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = &stdout_json(&o)["real_text"];
    assert_eq!(r["documents"], 6);
    assert!(r["reference_messages"].as_u64().unwrap() >= 3);
    assert!(r["scores"]["system"]["rouge_1"]["f1"].as_f64().unwrap() > 0.0);
    assert_eq!(r["compliance"]["share"], 1.0);
}

// ---- command-line conventions: completions, man page, colour, config file, --quiet ----

/// `rapporteur ARGS…` in the temporary folder, without the `--index` that `Env::run` adds.
fn bare(env: &Env, args: &[&str]) -> Output {
    Command::cargo_bin("rapporteur")
        .unwrap()
        .current_dir(env.dir.path())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn completions_for_every_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = bare(&env, &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = String::from_utf8_lossy(&o.stdout);
        for word in ["rapporteur", "converge", "questions"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let o = bare(&env, &["completions", "tcsh"]);
    expect_failure(&o, 2, &["invalid value 'tcsh'"]);
}

#[test]
fn man_page_on_stdout_and_into_a_folder() {
    let env = Env::new();
    let o = bare(&env, &["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains(".TH rapporteur 1"), "{page}");
    assert!(
        page.contains(".SH SUBCOMMANDS") || page.contains("rapporteur\\-run"),
        "{page}"
    );
    let o = bare(&env, &["man", "--dir", "man1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for file in [
        "rapporteur.1",
        "rapporteur-run.1",
        "rapporteur-eval-screen.1",
    ] {
        let text = std::fs::read_to_string(env.path("man1").join(file)).unwrap();
        assert!(text.contains(".TH"), "{file}");
    }
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let env = Env::new();
    let input = env.write("in.jsonl", GOOD);
    assert!(
        env.run(&["index", input.to_str().unwrap()])
            .status
            .success()
    );
    // Not a terminal: no escape sequences.
    let o = env.run(&["search", "community"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!o.stdout.contains(&0x1b), "colour on a pipe");
    // A terminal, through util-linux `script` (a pseudo-terminal).
    let Some(script) = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("script"))
            .find(|p| p.is_file())
    }) else {
        skipped(
            "colour_only_on_a_terminal_and_never_with_no_color (terminal part)",
            "`script` (util-linux) not installed",
        );
        return;
    };
    let binary = assert_cmd::cargo::cargo_bin("rapporteur");
    let line = format!(
        "'{}' --index '{}' search community",
        binary.display(),
        env.path("idx").display()
    );
    let on_terminal = |no_color: Option<&str>| {
        let mut c = std::process::Command::new(&script);
        c.args(["-qec", &line, "/dev/null"])
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    assert!(on_terminal(None).contains(&0x1b), "no colour on a terminal");
    assert!(
        !on_terminal(Some("1")).contains(&0x1b),
        "colour on a terminal with NO_COLOR set"
    );
}

#[test]
fn config_file_sets_defaults_and_flags_win() {
    let env = Env::new();
    env.write("in.jsonl", GOOD);
    let questions = repo_root().join("corpora/sample/questions-2026.toml");
    env.write(
        "rapporteur.toml",
        format!(
            "# defaults for this folder\nindex = \"cfg-idx\"\nquestions = \"{}\"\nout = \"results\"\ninputs = [\"in.jsonl\"]\n",
            questions.display()
        ),
    );
    // The index path.
    let o = bare(&env, &["index", "in.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(env.path("cfg-idx").is_dir());
    let o = bare(&env, &["--json", "stats"]);
    assert_eq!(stdout_json(&o)["documents"], 2);
    // A flag beats the file, before or after the command.
    for args in [
        &["--index", "nowhere", "stats"][..],
        &["stats", "--index", "nowhere"],
    ] {
        let o = bare(&env, args);
        expect_failure(&o, 2, &["no index at nowhere"]);
    }
    // run: inputs, questions and output folder from the file.
    let o = bare(&env, &["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The questions were read (convergence was tried, not skipped for want of questions).
    assert!(stderr(&o).contains("Wrote results"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("need the policy questions"),
        "{}",
        stderr(&o)
    );
    assert!(env.path("results/results.json").is_file());
    assert!(env.path("results/report.html").is_file());
    // --config FILE elsewhere: its relative paths are taken from its folder.
    env.write("conf/team.toml", "index = \"team-idx\"\n");
    let o = bare(&env, &["--config", "conf/team.toml", "index", "in.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(env.path("conf/team-idx").is_dir());
}

#[test]
fn bad_config_file_names_file_and_line() {
    let env = Env::new();
    env.write("rapporteur.toml", "index = \"idx\"\nquestions = [\n");
    let o = bare(&env, &["stats"]);
    expect_failure(&o, 2, &["rapporteur.toml:", "hint: the config file takes"]);
    env.write(
        "rapporteur.toml",
        "index = \"idx\"\nquestoins = \"q.toml\"\n",
    );
    let o = bare(&env, &["stats"]);
    expect_failure(
        &o,
        2,
        &["rapporteur.toml:2:1:", "unknown field `questoins`"],
    );
    env.write("rapporteur.toml", "index = 3\n");
    let o = bare(&env, &["stats"]);
    expect_failure(&o, 2, &["rapporteur.toml:1:9:"]);
    let o = bare(&env, &["--config", "missing.toml", "stats"]);
    expect_failure(&o, 2, &["config file missing.toml"]);
    // Completions and the man page do not read it.
    assert!(bare(&env, &["completions", "bash"]).status.success());
}

#[test]
fn run_quiet_prints_nothing_but_errors() {
    let env = Env::new();
    let input = env.write("in.jsonl", GOOD);
    let q = repo_root().join("corpora/sample/questions-2026.toml");
    let args = [
        "--quiet",
        "run",
        input.to_str().unwrap(),
        "--questions",
        q.to_str().unwrap(),
        "--out",
        "out",
    ];
    let o = bare(&env, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    assert!(env.path("out/report.html").is_file());
    // Without --quiet, the summary says where the files are.
    let o = bare(&env, &args[1..]);
    assert!(stderr(&o).contains("report.html"), "{}", stderr(&o));
    // Errors still show.
    env.write("bad.jsonl", "{\"id\": 1}\n");
    let o = bare(&env, &["--quiet", "run", "bad.jsonl", "--out", "out2"]);
    expect_failure(&o, 2, &["rapporteur: error:", "bad.jsonl:1"]);
    assert!(o.stdout.is_empty());
}

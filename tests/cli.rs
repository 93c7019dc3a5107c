//! End-to-end tests: the real `rapporteur` binary on real files in a temporary folder.

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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            stderr(o)
        )
    })
}

/// Asserts the exit code and that stderr contains every fragment.
fn expect_failure(o: &Output, code: i32, fragments: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "exit code; stderr: {err}");
    for f in fragments {
        assert!(err.contains(f), "stderr lacks {f:?}: {err}");
    }
    assert!(!err.contains("panicked"), "panic: {err}");
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
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
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Proposals of 2026 against the policy questions"),
        "{out}"
    );
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
    assert!(env.path("out/index").is_dir());
    assert!(!env.path("out/index.new").exists());
}

#[test]
fn real_igf_files_load_as_they_are() {
    let shared = repo_root().join("../shared/corpora/igf");
    if !shared.is_dir() {
        eprintln!(
            "SKIPPED real_igf_files_load_as_they_are: {} is absent (evaluation data, not part of the repository)",
            shared.display()
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

// ---- bad input: each case names file and line, exits 2, never panics, never half-writes ----

fn index_fails(content: &[u8], name: &str, code: i32, fragments: &[&str]) {
    let env = Env::new();
    let p = env.write(name, content);
    let o = env.run(&["index", p.to_str().unwrap()]);
    expect_failure(&o, code, fragments);
}

#[test]
fn bad_truncated_json_line() {
    index_fails(
        b"{\"id\":\"1\",\"text\":\"ok text\"}\n{\"id\":\"2\",\"text\":\"cut",
        "in.jsonl",
        2,
        &[
            "in.jsonl:2: invalid JSON: EOF while parsing",
            "hint: fix the record, or pass --skip-invalid",
        ],
    );
}

#[test]
fn bad_json_array_instead_of_lines() {
    index_fails(
        b"[{\"id\":\"1\",\"text\":\"x\"}, {\"id\":\"2\",\"text\":\"y\"}]\n",
        "in.json",
        2,
        &["in.json:1: expected one JSON object per line (JSON Lines), found an array"],
    );
    index_fails(
        b"[\n  {\"id\":\"1\",\"text\":\"x\"}\n]\n",
        "pretty.json",
        2,
        &["pretty.json:1: expected one JSON object per line", "jq -c"],
    );
}

#[test]
fn bad_invalid_utf8_gives_byte_offset() {
    index_fails(
        b"{\"id\":\"1\",\"text\":\"fine\"}\n{\"id\":\"2\",\"text\":\"caf\xe9\"}\n",
        "in.jsonl",
        2,
        &["in.jsonl:2: invalid UTF-8 at byte offset 46 of the file"],
    );
}

#[test]
fn bad_missing_id_and_text() {
    index_fails(
        b"{\"text\":\"no id here\"}\n",
        "in.jsonl",
        2,
        &["in.jsonl:1: missing field `id`"],
    );
    index_fails(
        b"{\"id\":\"x\"}\n",
        "in.jsonl",
        2,
        &["in.jsonl:1: missing field `text`"],
    );
    index_fails(
        b"{\"id\":\"x\",\"text\":\"\"}\n",
        "in.jsonl",
        2,
        &["in.jsonl:1: field `text` is empty"],
    );
}

#[test]
fn bad_wrong_field_types() {
    index_fails(
        b"{\"id\":\"x\",\"text\":\"t\",\"year\":\"next year\"}\n",
        "in.jsonl",
        2,
        &["in.jsonl:1: field `year`: \"next year\" is not a year"],
    );
    index_fails(
        b"{\"id\":\"x\",\"text\":\"t\",\"speakers\":42}\n",
        "in.jsonl",
        2,
        &["in.jsonl:1: field `speakers`: expected a list of people, found a number"],
    );
    index_fails(
        b"{\"id\":{\"a\":1},\"text\":\"t\"}\n",
        "in.jsonl",
        2,
        &["in.jsonl:1: field `id`: expected a string, found an object"],
    );
}

#[test]
fn bad_duplicate_ids_in_one_input() {
    index_fails(
        b"{\"id\":\"x\",\"text\":\"one\"}\n{\"id\":\"y\",\"text\":\"two\"}\n{\"id\":\"x\",\"text\":\"three\"}\n",
        "in.jsonl",
        2,
        &["in.jsonl:3: duplicate id `x` (first seen at", "in.jsonl:1)"],
    );
}

#[test]
fn bad_empty_file_and_blank_lines_only() {
    index_fails(
        b"",
        "empty.jsonl",
        2,
        &["empty.jsonl: no documents in the file"],
    );
    index_fails(
        &b"\n".repeat(1_000_000),
        "blank.jsonl",
        2,
        &["blank.jsonl: no documents in the file"],
    );
}

#[test]
fn bad_huge_record_is_refused_without_loading() {
    let mut line = b"{\"id\":\"big\",\"text\":\"".to_vec();
    line.extend(std::iter::repeat_n(b'a', 100 << 20));
    line.extend(b"\"}\n{\"id\":\"small\",\"text\":\"fine text\"}\n");
    index_fails(
        &line,
        "big.jsonl",
        2,
        &[
            "big.jsonl:1: record of 104857623 bytes is over the limit of 67108864 bytes (--max-record-bytes)",
        ],
    );
}

#[test]
fn bad_deeply_nested_json() {
    let mut line = b"{\"id\":\"x\",\"text\":\"t\",\"deep\":".to_vec();
    line.extend(std::iter::repeat_n(b'[', 100_000));
    line.extend(std::iter::repeat_n(b']', 100_000));
    line.extend(b"}\n");
    index_fails(
        &line,
        "deep.jsonl",
        2,
        &["deep.jsonl:1: invalid JSON: recursion limit exceeded"],
    );
}

#[test]
fn bad_csv_ragged_row_and_open_quote() {
    index_fails(
        b"id,text\n1,fine\n2,too,many\n",
        "in.csv",
        2,
        &["in.csv:3: row has 3 fields but the header has 2"],
    );
    index_fails(
        b"id,text\n1,\"never closed\n2,next row\n",
        "quote.csv",
        2,
        &["quote.csv:2: a quote opened in this record is never closed"],
    );
}

#[test]
fn bad_missing_input_and_unsupported_type() {
    let env = Env::new();
    let o = env.run(&["index", "nope.jsonl"]);
    expect_failure(&o, 2, &["nope.jsonl: no such file or directory"]);
    let doc = env.write("paper.docx", "PK");
    let o = env.run(&["index", doc.to_str().unwrap()]);
    expect_failure(&o, 2, &["paper.docx: unsupported file type"]);
}

#[test]
fn bad_bad_field_mapping_is_a_usage_error() {
    let env = Env::new();
    let p = env.write("in.csv", "id,description\n1,hello there\n");
    let o = env.run(&["index", p.to_str().unwrap(), "--map", "body=description"]);
    expect_failure(&o, 2, &["`body` is not a document field"]);
    let o = env.run(&["index", p.to_str().unwrap(), "--map", "text=description"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn bad_questions_file_syntax_error() {
    let env = Env::new();
    let corpus = env.write("in.jsonl", GOOD);
    let q = env.write(
        "q.toml",
        "year = 2026\n[[tracks]]\nid = \"data\nname = \"x\"\n",
    );
    let o = env.run(&[
        "run",
        corpus.to_str().unwrap(),
        "--questions",
        q.to_str().unwrap(),
        "--out",
        env.path("out").to_str().unwrap(),
    ]);
    expect_failure(&o, 2, &["q.toml:3:"]);
}

#[test]
fn bad_query_syntax() {
    let env = Env::new();
    let input = env.write("in.jsonl", GOOD);
    env.run(&["index", input.to_str().unwrap()]);
    let o = env.run(&["search", "title_en:("]);
    expect_failure(
        &o,
        2,
        &["invalid query", "hint: quote phrases, or pass --plain"],
    );
}

#[test]
fn bad_missing_and_incompatible_index() {
    let env = Env::new();
    let o = env.run(&["stats"]);
    expect_failure(&o, 2, &["no index at", "create one with `rapporteur index"]);
    let input = env.write("in.jsonl", GOOD);
    env.run(&["index", input.to_str().unwrap()]);
    env.write("idx/rapporteur-index.json", r#"{"format": 999}"#);
    let o = env.run(&["stats"]);
    expect_failure(&o, 1, &["written in index format 999", "delete the folder"]);
    let foreign = env.write("foreign/readme.txt", "not an index");
    let o = Command::cargo_bin("rapporteur")
        .unwrap()
        .args([
            "--index",
            foreign.parent().unwrap().to_str().unwrap(),
            "index",
        ])
        .arg(&input)
        .output()
        .unwrap();
    expect_failure(&o, 2, &["is not a rapporteur index"]);
}

#[test]
fn bad_read_only_index_folder() {
    let env = Env::new();
    let input = env.write("in.jsonl", GOOD);
    let ro = env.path("ro");
    std::fs::create_dir(&ro).unwrap();
    let mut perms = std::fs::metadata(&ro).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ro, perms).unwrap();
    // root ignores permission bits; the case is only meaningful for other users.
    if std::fs::write(ro.join("probe"), "x").is_ok() {
        eprintln!(
            "SKIPPED bad_read_only_index_folder: running as root, permissions are not enforced"
        );
        return;
    }
    let o = Command::cargo_bin("rapporteur")
        .unwrap()
        .args(["--index", ro.join("idx").to_str().unwrap(), "index"])
        .arg(&input)
        .output()
        .unwrap();
    expect_failure(&o, 1, &["Permission denied"]);
}

#[test]
fn bad_input_leaves_the_previous_index_intact() {
    let env = Env::new();
    let good = env.write("good.jsonl", GOOD);
    env.run(&["index", good.to_str().unwrap()]);
    let bad = env.write(
        "bad.jsonl",
        "{\"id\":\"c\",\"text\":\"new document\"}\n{\"id\":\"d\",\"text\":42}\n",
    );
    let o = env.run(&["index", bad.to_str().unwrap()]);
    expect_failure(
        &o,
        2,
        &["bad.jsonl:2: field `text`: expected a string, found a number"],
    );
    assert_eq!(
        stats(&env)["documents"],
        2,
        "nothing of the failed run is visible"
    );
}

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

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

#[test]
fn bad_broken_pdf_and_empty_page() {
    index_fails(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer << /Root 1 0 R",
        "broken.pdf",
        2,
        &[
            "broken.pdf: not a readable PDF",
            "hint: fix the record, or pass --skip-invalid",
        ],
    );
    index_fails(
        b"GIF89a not a pdf",
        "fake.pdf",
        2,
        &["fake.pdf: not a PDF (the file does not start with %PDF)"],
    );
    index_fails(
        b"<html><head><script>only()</script></head><body><nav>Menu</nav></body></html>",
        "empty.html",
        2,
        &["empty.html: no text in the page once scripts, navigation and menus are left out"],
    );
    let env = Env::new();
    let bad = env.write("broken.pdf", "%PDF-1.7\ngarbage");
    let good = env.write("page.html", "<p>Community networks need spectrum.</p>");
    let o = env.run(&[
        "index",
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("broken.pdf: not a readable PDF"),
        "{}",
        stderr(&o)
    );
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
fn bad_screen_usage() {
    let env = Env::new();
    let input = env.write("in.jsonl", GOOD);
    env.run(&["index", input.to_str().unwrap()]);
    let o = env.run(&["screen", "--against", "2025"]);
    expect_failure(&o, 2, &["--year"]);
    let o = env.run(&["screen", "--min-class", "twins"]);
    expect_failure(&o, 2, &["unknown class `twins`"]);
    let o = env.run(&["screen", "--year", "1999"]);
    expect_failure(&o, 2, &["no proposal documents of 1999 in the index"]);
    let o = env.run(&["screen", "--csv", "--md"]);
    expect_failure(&o, 2, &["cannot be used with"]);
    let o = env.run(&["eval", "screen", "--labels", "missing-labels"]);
    expect_failure(&o, 2, &["missing-labels"]);
}

#[test]
fn real_igf_page_versions_rank_first_in_screening() {
    let file = repo_root().join("../shared/corpora/igf/igf_proposals_2017_2022.jsonl");
    if !file.is_file() {
        eprintln!(
            "SKIPPED real_igf_page_versions_rank_first_in_screening: {} is absent (evaluation data, not part of the repository)",
            file.display()
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

/// Loads `page` in headless Chromium; returns the DOM after scripts ran, and the log.
fn dump_dom(browser: &Path, page: &Path, profile: &Path) -> (String, String) {
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
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "chromium failed: {log}");
    (String::from_utf8_lossy(&o.stdout).into_owned(), log)
}

#[test]
fn report_renders_in_headless_chromium_and_escapes_documents() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED report_renders_in_headless_chromium_and_escapes_documents: chromium not installed (apt-get install -y chromium)"
        );
        return;
    };
    let env = Env::new();
    copy_dir(&repo_root().join("corpora/sample"), &env.path("corpus"));
    env.write("corpus/2026/hostile.jsonl", HOSTILE);
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
        let (dom, log) = dump_dom(&browser, &env.path(page), &env.path("profile"));
        assert!(
            dom.contains("data-ready=\"1\""),
            "{page}: the script did not finish"
        );
        for section in ["overview", "focus", "map", "clusters", "proposals"] {
            assert!(
                dom.contains(&format!("<section id=\"{section}\">")),
                "{page}: no {section} section"
            );
        }
        assert!(dom.contains("<circle"), "{page}: the map has no points");
        assert!(
            dom.contains("&lt;script&gt;document.title='pwned'"),
            "{page}: the hostile title is not shown as text"
        );
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
        eprintln!(
            "SKIPPED real_igf_reports_are_drafted_and_compared: {} is absent (evaluation data, not part of the repository)",
            shared.display()
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

#[test]
fn bad_converge_and_messages_usage() {
    let env = Env::new();
    let input = env.write("in.jsonl", GOOD);
    env.run(&["index", input.to_str().unwrap()]);
    // The default questions file is the sample corpus's, absent here.
    let o = env.run(&["converge"]);
    expect_failure(
        &o,
        2,
        &["no policy-questions file", "hint: pass --questions"],
    );
    let q = repo_root().join("corpora/sample/questions-2026.toml");
    let q = q.to_str().unwrap();
    let o = env.run(&["converge", "--questions", q, "--year", "2019"]);
    expect_failure(&o, 2, &["no takeaways, reports or DC outputs of 2019"]);
    let o = env.run(&["messages", "--questions", q, "--max-words", "5"]);
    expect_failure(&o, 2, &["at least 20 words"]);
    let o = env.run(&["messages", "--questions", q, "--check", "missing.md"]);
    expect_failure(&o, 2, &["missing.md"]);
    let o = env.run(&["eval", "converge", "--labels", "nowhere", "--questions", q]);
    expect_failure(&o, 2, &["nowhere"]);
}

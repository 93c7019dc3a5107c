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
        out.contains("Proposals that best match each policy question"),
        "{out}"
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("out/results.json")).unwrap())
            .unwrap();
    assert_eq!(results["questions"].as_array().unwrap().len(), 8);
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
    let pdf = env.write("paper.pdf", "%PDF-1.4");
    let o = env.run(&["index", pdf.to_str().unwrap()]);
    expect_failure(&o, 2, &["paper.pdf: unsupported file type"]);
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
    assert!(err.contains("skipped 2 invalid records"), "{err}");
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

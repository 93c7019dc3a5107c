//! The bad-input suite: one test per malformed input or bad usage. Each runs the real binary
//! and asserts the exit code (2 bad input or usage, 1 a failure while running), the message
//! (file, line, byte offset or column where they apply) and that nothing panicked; failed
//! `index` runs leave nothing half-written. Small inputs are fixtures in `tests/bad_inputs/`;
//! the huge ones (a 200 MB line, a million empty lines, deep nesting) are generated in a
//! temporary folder at test time.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// A temporary folder with the index at `idx`.
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

    fn idx(&self) -> PathBuf {
        self.path("idx")
    }

    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    /// `rapporteur --index <tmp>/idx ARGS…`, in the fixtures folder.
    fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        self.run_on(&self.idx(), args)
    }

    fn run_on<S: AsRef<std::ffi::OsStr>>(&self, index: &Path, args: &[S]) -> Output {
        Command::cargo_bin("rapporteur")
            .unwrap()
            .current_dir(fixtures())
            .arg("--index")
            .arg(index)
            .args(args)
            .output()
            .unwrap()
    }

    /// An index holding `good.jsonl` (two documents of 2026).
    fn indexed() -> Env {
        let env = Env::new();
        let o = env.run(&["index", "good.jsonl"]);
        assert!(o.status.success(), "{}", stderr(&o));
        env
    }

    fn documents(&self) -> Option<u64> {
        let o = self.run(&["stats", "--json"]);
        o.status
            .success()
            .then(|| stdout_json(&o)["documents"].as_u64().unwrap())
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/bad_inputs")
}

/// Indexes the inputs (fixture names or paths) into a fresh index, expects the failure, and
/// checks that no document of the failed run is visible.
fn index_fails(inputs: &[&str], code: i32, fragments: &[&str]) {
    let env = Env::new();
    let mut args = vec!["index"];
    args.extend(inputs);
    let o = env.run(&args);
    expect_failure(&o, code, fragments);
    assert!(
        matches!(env.documents(), None | Some(0)),
        "a failed run left documents in the index"
    );
}

/// Indexes one fixture and expects success; returns `--json` output.
fn index_ok(inputs: &[&str]) -> Value {
    let env = Env::new();
    let mut args = vec!["index", "--json"];
    args.extend(inputs);
    let o = env.run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    stdout_json(&o)
}

const HINT: &str = "hint: fix the record, or pass --skip-invalid";

// ---- JSON Lines ----

#[test]
fn truncated_json_line() {
    index_fails(
        &["truncated.jsonl"],
        2,
        &["truncated.jsonl:2: invalid JSON: EOF while parsing", HINT],
    );
}

#[test]
fn json_array_on_one_line() {
    index_fails(
        &["array.json"],
        2,
        &[
            "array.json:1: expected one JSON object per line (JSON Lines), found an array",
            "jq -c",
        ],
    );
}

#[test]
fn json_array_over_several_lines() {
    index_fails(
        &["pretty.json"],
        2,
        &[
            "pretty.json:1: expected one JSON object per line",
            "spread over several lines",
            "jq -c",
        ],
    );
}

#[test]
fn json_value_that_is_not_an_object() {
    index_fails(
        &["scalar.jsonl"],
        2,
        &["scalar.jsonl:2: expected a JSON object, found another JSON value"],
    );
}

#[test]
fn invalid_utf8_gives_line_and_byte_offset() {
    index_fails(
        &["invalid_utf8.jsonl"],
        2,
        &["invalid_utf8.jsonl:2: invalid UTF-8 at byte offset 46 of the file"],
    );
}

#[test]
fn invalid_utf8_offset_counts_the_byte_order_mark() {
    index_fails(
        &["bom_invalid_utf8.jsonl"],
        2,
        &["bom_invalid_utf8.jsonl:1: invalid UTF-8 at byte offset 24 of the file"],
    );
}

#[test]
fn missing_id() {
    index_fails(
        &["missing_id.jsonl"],
        2,
        &["missing_id.jsonl:1: missing field `id`"],
    );
}

#[test]
fn null_id() {
    index_fails(
        &["null_id.jsonl"],
        2,
        &["null_id.jsonl:1: missing field `id`"],
    );
}

#[test]
fn missing_text() {
    index_fails(
        &["missing_text.jsonl"],
        2,
        &["missing_text.jsonl:1: missing field `text`"],
    );
}

#[test]
fn blank_text() {
    index_fails(
        &["empty_text.jsonl"],
        2,
        &["empty_text.jsonl:1: field `text` is empty"],
    );
}

#[test]
fn year_that_is_not_a_year() {
    index_fails(
        &["year_not_a_year.jsonl"],
        2,
        &["year_not_a_year.jsonl:1: field `year`: \"next year\" is not a year"],
    );
}

#[test]
fn speakers_that_are_not_a_list() {
    index_fails(
        &["speakers_number.jsonl"],
        2,
        &["speakers_number.jsonl:1: field `speakers`: expected a list of people, found a number"],
    );
}

#[test]
fn id_that_is_an_object() {
    index_fails(
        &["id_object.jsonl"],
        2,
        &["id_object.jsonl:1: field `id`: expected a string, found an object"],
    );
}

#[test]
fn text_that_is_a_number() {
    index_fails(
        &["text_number.jsonl"],
        2,
        &["text_number.jsonl:1: field `text`: expected a string, found a number"],
    );
}

#[test]
fn kind_that_is_a_list() {
    index_fails(
        &["kind_list.jsonl"],
        2,
        &["kind_list.jsonl:1: field `kind`: expected a string, found a list"],
    );
}

#[test]
fn policy_questions_that_are_a_number() {
    index_fails(
        &["questions_number.jsonl"],
        2,
        &[
            "questions_number.jsonl:1: field `policy_questions`: expected a string or a list of strings, found a number",
        ],
    );
}

#[test]
fn duplicate_ids_in_one_file() {
    index_fails(
        &["duplicate_ids.jsonl"],
        2,
        &[
            "duplicate_ids.jsonl:3: duplicate id `x` (first seen at",
            "duplicate_ids.jsonl:1)",
        ],
    );
}

#[test]
fn duplicate_ids_across_files() {
    index_fails(
        &["dup_across"],
        2,
        &["dup_across/b.jsonl:1: duplicate id `shared` (first seen at dup_across/a.jsonl:1)"],
    );
}

#[test]
fn duplicate_ids_across_formats() {
    index_fails(
        &["dup_formats"],
        2,
        &["dup_formats/b.csv:2: duplicate id `p1` (first seen at dup_formats/a.jsonl:1)"],
    );
}

#[test]
fn empty_file() {
    index_fails(
        &["empty.jsonl"],
        2,
        &["empty.jsonl: no documents in the file (it is empty or holds only blank lines)"],
    );
}

#[test]
fn blank_and_crlf_lines_only() {
    index_fails(
        &["blank_crlf.jsonl"],
        2,
        &["blank_crlf.jsonl: no documents in the file"],
    );
}

#[test]
fn a_million_empty_lines() {
    let env = Env::new();
    let p = env.write("blank.jsonl", b"\n".repeat(1_000_000));
    let o = env.run(&[Path::new("index"), &p]);
    expect_failure(&o, 2, &["blank.jsonl: no documents in the file"]);
}

#[test]
fn a_million_empty_lines_around_one_record() {
    let env = Env::new();
    let mut data = b"\n".repeat(500_000);
    data.extend(b"{\"id\":\"1\",\"text\":\"a lonely record\"}\n");
    data.extend(b"\r\n".repeat(500_000));
    data.extend(b"{\"id\":\"2\",\"text\":");
    let p = env.write("sparse.jsonl", data);
    let o = env.run(&[Path::new("index"), &p]);
    expect_failure(
        &o,
        2,
        &["sparse.jsonl:1000002: invalid JSON: EOF while parsing"],
    );
}

#[test]
fn a_200_mb_line_is_refused_without_being_loaded() {
    let env = Env::new();
    let p = env.path("big.jsonl");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
        f.write_all(b"{\"id\":\"big\",\"text\":\"").unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all(b"\"}\n{\"id\":\"small\",\"text\":\"fine text\"}\n")
            .unwrap();
    }
    let o = env.run(&[Path::new("index"), &p]);
    expect_failure(
        &o,
        2,
        &[
            "big.jsonl:1: record of 209715223 bytes is over the limit of 67108864 bytes (--max-record-bytes)",
            HINT,
        ],
    );
    // Past it with --skip-invalid: the next record is read.
    let o = env.run(&[Path::new("index"), &p, Path::new("--skip-invalid")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("big.jsonl:1: record of 209715223 bytes"));
    assert_eq!(env.documents(), Some(1));
}

/// Paragraphs of two sentences, separated by blank lines, `bytes` long or a little more.
fn paragraphs(bytes: usize) -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < bytes {
        n += 1;
        text.push_str(&format!(
            "Paragraph {n} on community networks. Licences should fit small operators.\n\n"
        ));
    }
    text
}

/// The text of document `id` in the index of `env`.
fn stored_text(env: &Env, id: &str) -> String {
    let docs = rapporteur::index::Index::open(&env.idx())
        .unwrap()
        .documents()
        .unwrap();
    docs.into_iter()
        .find(|d| d.id == id)
        .unwrap()
        .text
        .to_string()
}

#[test]
fn a_long_text_is_cut_at_a_paragraph_end_with_a_warning() {
    let env = Env::new();
    let text = paragraphs(300_000);
    let record = serde_json::json!({"id": "long", "text": text});
    let p = env.write(
        "long.jsonl",
        format!("{record}\n{{\"id\":\"short\",\"text\":\"Short text.\"}}\n"),
    );
    let o = env.run(&[
        Path::new("index"),
        &p,
        Path::new("--max-text-bytes"),
        Path::new("100000"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: 1 document truncated") && err.contains("long.jsonl:1"),
        "{err}"
    );
    assert!(err.contains("text of 300"), "{err}");
    let stored = stored_text(&env, "long");
    assert!(
        (87_500..=100_000).contains(&stored.len()),
        "{}",
        stored.len()
    );
    assert!(text.starts_with(&stored) && stored.ends_with("small operators."));
    assert_eq!(env.documents(), Some(2));
}

#[test]
fn the_text_limit_can_be_set_in_the_config_file() {
    let env = Env::new();
    let p = env.write(
        "long.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"id": "long", "text": paragraphs(20_000)})
        ),
    );
    let config = env.write("rapporteur.toml", "max_text_bytes = 5000\n");
    let o = env.run(&[Path::new("--config"), &config, Path::new("index"), &p]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: 1 document truncated"));
    assert!(stored_text(&env, "long").len() <= 5000);
    // The command line wins over the file.
    let env = Env::new();
    let o = env.run(&[
        Path::new("--config"),
        &config,
        Path::new("index"),
        &p,
        Path::new("--max-text-bytes"),
        Path::new("100000"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("truncated"));
}

#[test]
fn a_text_file_over_the_record_limit_is_read_only_in_part() {
    let env = Env::new();
    // 3 MB of text with a two-byte character across the 1,000,000-byte read limit.
    let mut text = paragraphs(999_990);
    text.truncate(999_999);
    text.push_str("é and more");
    text.push_str(&paragraphs(2_000_000));
    let p = env.write("huge.txt", &text);
    let o = env.run(&[
        Path::new("index"),
        &p,
        Path::new("--max-record-bytes"),
        Path::new("1000000"),
        Path::new("--max-text-bytes"),
        Path::new("200000"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: 1 document truncated"), "{err}");
    assert!(
        err.contains(&format!(
            "file of {} bytes: only the first 1000000 read",
            text.len()
        )),
        "{err}"
    );
    let stored = stored_text(&env, "huge");
    assert!(stored.len() <= 200_000 && text.starts_with(&stored));
    // A limit above the read limit: the document is cut where the read stopped, inside `é`.
    let env = Env::new();
    let o = env.run(&[
        Path::new("index"),
        &p,
        Path::new("--max-record-bytes"),
        Path::new("1000000"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: 1 document truncated"));
    assert_eq!(stored_text(&env, "huge").len(), 999_999);
}

#[test]
fn deeply_nested_json() {
    let env = Env::new();
    let mut line = b"{\"id\":\"x\",\"text\":\"t\",\"deep\":".to_vec();
    line.extend(std::iter::repeat_n(b'[', 100_000));
    line.extend(std::iter::repeat_n(b']', 100_000));
    line.extend(b"}\n");
    let p = env.write("deep.jsonl", line);
    let o = env.run(&[Path::new("index"), &p]);
    expect_failure(
        &o,
        2,
        &["deep.jsonl:1: invalid JSON: recursion limit exceeded"],
    );
}

#[test]
fn raw_nul_byte_in_a_line() {
    index_fails(
        &["nul_raw.jsonl"],
        2,
        &["nul_raw.jsonl:2: invalid JSON: control character"],
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let r = index_ok(&["bom.jsonl"]);
    assert_eq!(r["total"], 1);
}

#[test]
fn crlf_line_ends_are_accepted() {
    let r = index_ok(&["crlf.jsonl"]);
    assert_eq!(r["total"], 2);
}

#[test]
fn escaped_nul_is_removed_and_counted() {
    let env = Env::new();
    let o = env.run(&["index", "nul_escaped.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 control characters"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unknown_fields_are_kept_and_counted() {
    let r = index_ok(&["unknown_fields.jsonl"]);
    assert_eq!(r["ingest"]["unknown_fields"]["ws_number"], 1);
    assert_eq!(r["ingest"]["unknown_fields"]["rating"], 1);
}

// ---- CSV ----

#[test]
fn csv_row_with_too_many_fields() {
    index_fails(
        &["ragged.csv"],
        2,
        &["ragged.csv:3: row has 3 fields but the header has 2"],
    );
}

#[test]
fn csv_row_with_too_few_fields() {
    index_fails(
        &["short_row.csv"],
        2,
        &["short_row.csv:3: row has 2 fields but the header has 3"],
    );
}

#[test]
fn csv_ragged_rows_skipped_with_skip_invalid() {
    let r = index_ok(&["ragged.csv", "--skip-invalid"]);
    assert_eq!(r["total"], 1);
    assert_eq!(r["ingest"]["skipped"].as_array().unwrap().len(), 1);
}

#[test]
fn csv_unbalanced_quote() {
    index_fails(
        &["open_quote.csv"],
        2,
        &["open_quote.csv:2: a quote opened in this record is never closed"],
    );
}

#[test]
fn csv_without_a_text_column() {
    index_fails(
        &["no_text_column.csv"],
        2,
        &["no_text_column.csv:2: missing field `text`"],
    );
}

#[test]
fn csv_header_only() {
    index_fails(
        &["header_only.csv"],
        2,
        &["header_only.csv: no documents in the file"],
    );
}

#[test]
fn csv_invalid_utf8_gives_line_and_byte_offset() {
    index_fails(
        &["invalid_utf8.csv"],
        2,
        &["invalid_utf8.csv:3: invalid UTF-8 at byte offset 20 of the file"],
    );
}

#[test]
fn csv_byte_order_mark_is_accepted() {
    let r = index_ok(&["bom.csv"]);
    assert_eq!(r["total"], 1);
}

// ---- other formats, paths and flags ----

#[test]
fn broken_pdf() {
    index_fails(
        &["broken.pdf"],
        2,
        &["broken.pdf: not a readable PDF", HINT],
    );
}

#[test]
fn file_named_pdf_that_is_not_one() {
    index_fails(
        &["fake.pdf"],
        2,
        &["fake.pdf: not a PDF (the file does not start with %PDF)"],
    );
}

#[test]
fn empty_pdf() {
    index_fails(&["empty.pdf"], 2, &["empty.pdf: not a PDF"]);
}

#[test]
fn broken_pdf_skipped_with_skip_invalid() {
    let r = index_ok(&["broken.pdf", "broken_markup.html", "--skip-invalid"]);
    assert_eq!(r["total"], 1);
    let skipped = r["ingest"]["skipped"].to_string();
    assert!(skipped.contains("not a readable PDF"), "{skipped}");
}

#[test]
fn html_page_without_text() {
    index_fails(
        &["no_text.html"],
        2,
        &["no_text.html: no text in the page once scripts, navigation and menus are left out"],
    );
}

#[test]
fn html_nested_too_deep() {
    let env = Env::new();
    let page = format!(
        "<html><body>{}deep text{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let p = env.write("deep.html", page);
    let o = env.run(&[Path::new("index"), &p]);
    expect_failure(
        &o,
        2,
        &[
            "deep.html: elements nested 100000 deep (more than 1024)",
            HINT,
        ],
    );
}

#[test]
fn pdf_nested_too_deep() {
    // A page dictionary holding an array nested 100,000 deep, with a valid cross-reference
    // table so that the parser reaches it.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /X {deep} >>"),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (n, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{o}\nendobj\n", n + 1));
    }
    let xref = pdf.len();
    pdf.push_str("xref\n0 4\n0000000000 65535 f \n");
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ));
    let env = Env::new();
    let p = env.write("deep.pdf", pdf);
    let o = env.run(&[Path::new("index"), &p]);
    expect_failure(&o, 2, &["deep.pdf: not a readable PDF"]);
}

#[test]
fn questions_nested_too_deep() {
    let env = Env::indexed();
    let q = env.write(
        "deep.toml",
        format!(
            "year = 2026\nx = {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    let o = env.run(&[Path::new("cluster"), Path::new("--questions"), &q]);
    expect_failure(&o, 2, &["deep.toml:2:", "cannot recurse further"]);
}

#[test]
fn html_with_broken_markup_is_read() {
    let r = index_ok(&["broken_markup.html"]);
    assert_eq!(r["total"], 1);
}

#[test]
fn binary_bytes_in_a_text_file() {
    index_fails(
        &["binary.txt"],
        2,
        &["binary.txt:2: invalid UTF-8 at byte offset 11 of the file"],
    );
}

#[test]
fn empty_text_file() {
    index_fails(&["empty.txt"], 2, &["empty.txt: no documents in the file"]);
}

#[test]
fn unsupported_file_type() {
    index_fails(&["paper.docx"], 2, &["paper.docx: unsupported file type"]);
}

#[test]
fn missing_input() {
    index_fails(
        &["nope.jsonl"],
        2,
        &["nope.jsonl: no such file or directory"],
    );
}

#[test]
fn unknown_type_filter() {
    let env = Env::new();
    let o = env.run(&["index", "good.jsonl", "--types", "docx"]);
    expect_failure(&o, 2, &["unknown file type `docx`", "html, pdf"]);
}

#[test]
fn bad_field_mapping() {
    let env = Env::new();
    let o = env.run(&["index", "no_text_column.csv", "--map", "body=description"]);
    expect_failure(&o, 2, &["`body` is not a document field"]);
    let o = env.run(&["index", "no_text_column.csv", "--map", "text"]);
    expect_failure(
        &o,
        2,
        &["field mapping `text` is not of the form field=column"],
    );
    let o = env.run(&["index", "no_text_column.csv", "--map", "text=description"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn record_limit_that_is_not_a_number() {
    let env = Env::new();
    let o = env.run(&["index", "good.jsonl", "--max-record-bytes", "lots"]);
    expect_failure(
        &o,
        2,
        &["invalid value 'lots' for '--max-record-bytes <BYTES>'"],
    );
}

#[test]
fn unknown_command() {
    let env = Env::new();
    let o = env.run(&["frobnicate"]);
    expect_failure(&o, 2, &["unrecognized subcommand 'frobnicate'"]);
}

// ---- the policy-questions file ----

fn questions_fail(file: &str, fragments: &[&str]) {
    let env = Env::indexed();
    let o = env.run(&["cluster", "--questions", file]);
    expect_failure(&o, 2, fragments);
}

#[test]
fn questions_syntax_error_has_line_and_column() {
    let env = Env::new();
    let out = env.path("out");
    let o = env.run(&[
        Path::new("run"),
        Path::new("good.jsonl"),
        Path::new("--questions"),
        Path::new("q_syntax.toml"),
        Path::new("--out"),
        &out,
    ]);
    expect_failure(&o, 2, &["q_syntax.toml:3:11: invalid basic string"]);
    assert!(!out.join("results.json").exists());
}

#[test]
fn questions_unknown_field() {
    questions_fail(
        "q_unknown_field.toml",
        &["q_unknown_field.toml:8:1: unknown field `keyword`, expected one of"],
    );
}

#[test]
fn questions_wrong_type() {
    questions_fail(
        "q_wrong_type.toml",
        &["q_wrong_type.toml:1:8: invalid type: string \"twenty\""],
    );
}

#[test]
fn questions_duplicate_id_names_its_second_line() {
    questions_fail(
        "q_duplicate.toml",
        &["q_duplicate.toml:9:6: duplicate id `data-1`"],
    );
}

#[test]
fn questions_without_tracks() {
    questions_fail(
        "q_no_tracks.toml",
        &["q_no_tracks.toml: no tracks: add at least one [[tracks]] table"],
    );
}

#[test]
fn questions_invalid_utf8() {
    questions_fail(
        "q_invalid_utf8.toml",
        &["q_invalid_utf8.toml:3:8: invalid UTF-8 at byte offset 30"],
    );
}

#[test]
fn questions_file_missing() {
    questions_fail("nope.toml", &["nope.toml: No such file or directory"]);
}

// ---- the index folder ----

#[test]
fn no_index() {
    let env = Env::new();
    let o = env.run(&["stats"]);
    expect_failure(&o, 2, &["no index at", "create one with `rapporteur index"]);
}

#[test]
fn index_of_an_incompatible_version() {
    let env = Env::indexed();
    env.write("idx/rapporteur-index.json", r#"{"format": 999}"#);
    let o = env.run(&["stats"]);
    expect_failure(&o, 1, &["written in index format 999", "delete the folder"]);
    let o = env.run(&["index", "good.jsonl"]);
    expect_failure(&o, 1, &["written in index format 999"]);
}

#[test]
fn index_marker_that_is_not_json() {
    let env = Env::indexed();
    env.write("idx/rapporteur-index.json", "{garbage");
    let o = env.run(&["search", "community"]);
    expect_failure(&o, 1, &["index format unreadable", "delete the folder"]);
}

#[test]
fn folder_that_is_not_an_index() {
    let env = Env::new();
    env.write("readme.txt", "not an index");
    let o = env.run_on(env.dir.path(), &["index", "good.jsonl"]);
    expect_failure(
        &o,
        2,
        &["is not a rapporteur index", "choose another --index folder"],
    );
    assert!(env.path("readme.txt").exists());
}

#[test]
fn index_folder_below_a_file() {
    let env = Env::new();
    let file = env.write("afile", "x");
    let o = env.run_on(&file.join("idx"), &["index", "good.jsonl"]);
    expect_failure(&o, 1, &["afile/idx: Not a directory"]);
}

#[test]
fn read_only_index_folder() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let ro = env.path("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    // SAFETY: geteuid has no preconditions.
    let o = if unsafe { libc::geteuid() } == 0 {
        // Root ignores permission bits, so the command runs as `nobody`, for whom they hold
        // (the temporary folder opened up so that it can reach `ro`).
        std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin = assert_cmd::cargo::cargo_bin("rapporteur");
        match std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin)
            .current_dir(fixtures())
            .arg("--index")
            .arg(ro.join("idx"))
            .args(["index", "good.jsonl"])
            .output()
        {
            Ok(o) => o,
            Err(e) => {
                skipped(
                    "read_only_index_folder",
                    format_args!("running as root and setpriv is unavailable ({e})"),
                );
                return;
            }
        }
    } else {
        env.run_on(&ro.join("idx"), &["index", "good.jsonl"])
    };
    expect_failure(&o, 1, &["Permission denied"]);
    assert!(!ro.join("idx").exists());
}

/// A second writer while another holds the index's writer lock (taken here as tantivy takes
/// it: an exclusive `flock` on `.tantivy-writer.lock`).
#[test]
fn locked_index() {
    use std::os::fd::AsRawFd;
    let env = Env::indexed();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(env.path("idx/.tantivy-writer.lock"))
        .unwrap();
    // SAFETY: a valid open file descriptor.
    let r = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    assert_eq!(r, 0, "could not take the lock");
    let o = env.run(&["index", "crlf.jsonl"]);
    expect_failure(
        &o,
        1,
        &["is locked: another `rapporteur index` is writing to it"],
    );
    // Readers are not kept out, and nothing was written.
    assert_eq!(env.documents(), Some(2));
    drop(lock);
    let o = env.run(&["index", "crlf.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(env.documents(), Some(4));
}

#[test]
fn damaged_index_metadata() {
    let env = Env::indexed();
    env.write("idx/meta.json", "{garbage");
    let o = env.run(&["stats"]);
    expect_failure(
        &o,
        1,
        &[
            "is damaged",
            "delete the folder and run `rapporteur index` again",
        ],
    );
}

#[test]
fn damaged_index_segment() {
    let env = Env::indexed();
    let mut cut = 0;
    for entry in std::fs::read_dir(env.idx()).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "store") {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&p)
                .unwrap()
                .set_len(10)
                .unwrap();
            cut += 1;
        }
    }
    assert!(cut > 0);
    let o = env.run(&["search", "community"]);
    expect_failure(&o, 1, &["is damaged", "delete the folder"]);
}

#[test]
fn interrupted_index_creation_is_started_afresh() {
    // What a `rapporteur index` killed while creating the index leaves: the marker, no data.
    let env = Env::new();
    std::fs::create_dir(env.idx()).unwrap();
    env.write(
        "idx/rapporteur-index.json",
        format!("{{\"format\": {}}}", rapporteur::index::INDEX_FORMAT),
    );
    let o = env.run(&["stats"]);
    expect_failure(&o, 2, &["no index at"]);
    let o = env.run(&["index", "good.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(env.documents(), Some(2));
}

#[test]
fn bad_input_leaves_the_previous_index_intact() {
    let env = Env::indexed();
    let o = env.run(&["index", "crlf.jsonl", "text_number.jsonl"]);
    expect_failure(
        &o,
        2,
        &["text_number.jsonl:1: field `text`: expected a string, found a number"],
    );
    assert_eq!(
        env.documents(),
        Some(2),
        "nothing of the failed run is visible"
    );
}

// ---- bad arguments to the commands ----

#[test]
fn cluster_k_zero() {
    let env = Env::indexed();
    let o = env.run(&["cluster", "--k", "0"]);
    expect_failure(&o, 2, &["k must be at least 1"]);
}

#[test]
fn cluster_dims_zero() {
    let env = Env::indexed();
    let o = env.run(&["cluster", "--dims", "0"]);
    expect_failure(&o, 2, &["invalid vector parameters: dims"]);
}

#[test]
fn cluster_year_without_documents() {
    let env = Env::indexed();
    let o = env.run(&["cluster", "--year", "1999"]);
    expect_failure(&o, 2, &["no proposal documents of 1999 in the index"]);
}

#[test]
fn screen_year_that_is_not_a_number() {
    let env = Env::indexed();
    let o = env.run(&["screen", "--year", "20x6"]);
    expect_failure(&o, 2, &["invalid value '20x6' for '--year <YEAR>'"]);
}

#[test]
fn screen_year_out_of_range() {
    let env = Env::indexed();
    let o = env.run(&["screen", "--year", "99999"]);
    expect_failure(&o, 2, &["invalid value '99999' for '--year <YEAR>'"]);
}

#[test]
fn screen_year_without_proposals() {
    let env = Env::indexed();
    let o = env.run(&["screen", "--year", "1999"]);
    expect_failure(&o, 2, &["no proposal documents of 1999 in the index"]);
}

#[test]
fn screen_against_without_year() {
    let env = Env::indexed();
    let o = env.run(&["screen", "--against", "2025"]);
    expect_failure(&o, 2, &["--year"]);
}

#[test]
fn screen_unknown_class() {
    let env = Env::indexed();
    let o = env.run(&["screen", "--min-class", "twins"]);
    expect_failure(&o, 2, &["unknown class `twins`"]);
}

#[test]
fn screen_two_output_formats() {
    let env = Env::indexed();
    let o = env.run(&["screen", "--csv", "--md"]);
    expect_failure(&o, 2, &["cannot be used with"]);
}

#[test]
fn search_bad_syntax() {
    let env = Env::indexed();
    let o = env.run(&["search", "title_en:("]);
    expect_failure(
        &o,
        2,
        &["invalid query", "hint: quote phrases, or pass --plain"],
    );
}

#[test]
fn search_unknown_field() {
    let env = Env::indexed();
    let o = env.run(&["search", "year:2026"]);
    expect_failure(
        &o,
        2,
        &["invalid query `year:2026`", "Field does not exist: 'year'"],
    );
}

#[test]
fn search_query_the_schema_cannot_run() {
    let env = Env::indexed();
    let o = env.run(&["search", "title_en:*"]);
    expect_failure(
        &o,
        2,
        &[
            "invalid query `title_en:*`",
            "not a fast field",
            "hint: quote phrases",
        ],
    );
}

#[test]
fn search_empty_query() {
    let env = Env::indexed();
    let o = env.run(&["search", "  "]);
    expect_failure(&o, 2, &["the query is empty"]);
}

#[test]
fn eval_with_malformed_labels_file() {
    let env = Env::indexed();
    let o = env.run(&["eval", "cluster", "--labels", "labels_malformed.json"]);
    expect_failure(
        &o,
        2,
        &["labels_malformed.json: EOF while parsing", "line 2"],
    );
}

#[test]
fn eval_with_labels_of_the_wrong_shape() {
    let env = Env::indexed();
    let o = env.run(&["eval", "screen", "--labels", "labels_wrong_shape.json"]);
    expect_failure(
        &o,
        2,
        &["labels_wrong_shape.json: invalid type", "line 1 column 2"],
    );
}

#[test]
fn eval_with_a_document_labelled_twice() {
    let env = Env::indexed();
    let o = env.run(&["eval", "cluster", "--labels", "labels_twice"]);
    expect_failure(
        &o,
        2,
        &["labels_twice/b.json: document `a` is labelled twice"],
    );
}

#[test]
fn eval_with_missing_or_empty_labels() {
    let env = Env::indexed();
    let o = env.run(&["eval", "screen", "--labels", "missing-labels"]);
    expect_failure(&o, 2, &["missing-labels"]);
    std::fs::create_dir(env.path("empty-labels")).unwrap();
    let empty = env.path("empty-labels");
    let o = env.run(&[
        Path::new("eval"),
        Path::new("cluster"),
        Path::new("--labels"),
        &empty,
    ]);
    expect_failure(
        &o,
        2,
        &["empty-labels: no labels: the folder holds no .json file"],
    );
    let q = repo_root().join("corpora/sample/questions-2026.toml");
    let o = env.run(&[
        Path::new("eval"),
        Path::new("converge"),
        Path::new("--labels"),
        Path::new("nowhere"),
        Path::new("--questions"),
        &q,
    ]);
    expect_failure(&o, 2, &["nowhere"]);
}

#[test]
fn converge_without_a_questions_file() {
    let env = Env::indexed();
    // The default questions file is the sample corpus's, absent from the fixtures folder.
    let o = env.run(&["converge"]);
    expect_failure(
        &o,
        2,
        &["no policy-questions file", "hint: pass --questions"],
    );
}

#[test]
fn converge_year_without_outcomes() {
    let env = Env::indexed();
    let q = repo_root().join("corpora/sample/questions-2026.toml");
    let o = env.run(&[
        Path::new("converge"),
        Path::new("--questions"),
        &q,
        Path::new("--year"),
        Path::new("2019"),
    ]);
    expect_failure(&o, 2, &["no takeaways, reports or DC outputs of 2019"]);
}

#[test]
fn messages_with_too_few_words() {
    let env = Env::indexed();
    let q = repo_root().join("corpora/sample/questions-2026.toml");
    let o = env.run(&[
        Path::new("messages"),
        Path::new("--questions"),
        &q,
        Path::new("--max-words"),
        Path::new("5"),
    ]);
    expect_failure(&o, 2, &["at least 20 words"]);
}

#[test]
fn messages_check_of_a_missing_draft() {
    let env = Env::indexed();
    let q = repo_root().join("corpora/sample/questions-2026.toml");
    let o = env.run(&[
        Path::new("messages"),
        Path::new("--questions"),
        &q,
        Path::new("--check"),
        Path::new("missing.md"),
    ]);
    expect_failure(&o, 2, &["missing.md"]);
}

#[test]
fn run_output_folder_below_a_file() {
    let env = Env::new();
    let file = env.write("afile", "x");
    let out = file.join("out");
    let o = env.run(&[
        Path::new("run"),
        Path::new("good.jsonl"),
        Path::new("--out"),
        &out,
    ]);
    expect_failure(&o, 1, &["afile/out", "Not a directory"]);
}

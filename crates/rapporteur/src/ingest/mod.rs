//! Ingest: files in, [`Document`]s out, streaming.
//!
//! Readers for JSON Lines (`.jsonl`, `.ndjson`, `.json`), CSV with a header row (`.csv`),
//! text files with optional front matter (`.txt`, `.md`), saved web pages (`.html`, `.htm`)
//! and PDFs (`.pdf`), chosen by extension ([`Format`]). Every record goes through
//! [`record::convert`] (field mapping, type checks, normalisation, the proposal-form parser,
//! transcript turns, kind/year/track/session inference, language detection) and is handed to
//! a [`Sink`] one at a time, so a multi-gigabyte file is never held in memory.
//!
//! Errors name the file and line or page ([`IngestError`]). With `skip_invalid` a bad record
//! is counted in [`IngestSummary::skipped`] and reading goes on; a PDF without a text layer is
//! always skipped and listed there; nothing is dropped silently. [`IngestSummary::coverage`]
//! says how many documents got each structured field.

mod csv_reader;
mod error;
pub mod form;
pub mod html;
mod jsonl;
pub mod normalize;
pub mod pdf;
pub mod record;
mod text;
pub mod transcript;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use error::{IngestError, Problem};
pub use normalize::Repairs;
pub use record::{FieldMap, RecordOptions};

use crate::model::{Document, Kind};

/// Settings for an ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// How records become documents.
    pub record: RecordOptions,
    /// Go past bad records (counting them) instead of stopping at the first.
    pub skip_invalid: bool,
    /// A JSON Lines record (one line), or a whole HTML or PDF file, larger than this is
    /// refused without being read whole; of a larger text file only this much is read (the
    /// document is truncated, with a note).
    pub max_record_bytes: u64,
    /// Only read files of these formats (empty: all). Files left out are counted in
    /// [`IngestSummary::filtered_files`].
    pub formats: Vec<Format>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            record: RecordOptions::default(),
            skip_invalid: false,
            max_record_bytes: 64 << 20,
            formats: Vec::new(),
        }
    }
}

/// Receives documents as they are read.
pub trait Sink {
    /// Takes one document. An error stops the ingest.
    fn document(&mut self, doc: Document) -> Result<(), crate::Error>;
    /// Told the number of input bytes read so far (for progress display).
    fn progress(&mut self, _bytes_read: u64) {}
}

impl Sink for Vec<Document> {
    fn document(&mut self, doc: Document) -> Result<(), crate::Error> {
        self.push(doc);
        Ok(())
    }
}

/// A record passed over with `skip_invalid`, or a note about a record that was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// `file:line`.
    pub at: String,
    /// What happened.
    pub message: String,
}

/// How many documents got each structured field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Documents counted.
    pub documents: usize,
    /// Documents with a year.
    pub year: usize,
    /// Documents with a kind other than `other`.
    pub kind: usize,
    /// Documents with a title.
    pub title: usize,
    /// Documents with a track.
    pub track: usize,
    /// Documents with at least one policy question.
    pub policy_questions: usize,
    /// Documents with at least one speaker whose stakeholder group is known.
    pub speakers_with_group: usize,
    /// Documents linked to a session.
    pub session: usize,
    /// Transcripts split into speaker turns.
    pub turns: usize,
}

impl Coverage {
    /// Counts one document.
    pub fn add(&mut self, doc: &Document) {
        let n = |b: bool| usize::from(b);
        self.documents += 1;
        self.year += n(doc.year.is_some());
        self.kind += n(doc.kind != Kind::Other);
        self.title += n(!doc.title.is_empty());
        self.track += n(doc.track.is_some());
        self.policy_questions += n(!doc.policy_questions.is_empty());
        self.speakers_with_group += n(doc.speakers.iter().any(|p| p.stakeholder_group.is_some()));
        self.session += n(doc.session.is_some());
        self.turns += n(doc.extra.get("turns").is_some_and(|t| t.is_array()));
    }
}

/// What an ingest read, kept, repaired and skipped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    /// Input files read.
    pub files: usize,
    /// Files found in folders but not read (unsupported type), by path.
    pub ignored_files: Vec<String>,
    /// Files of a format left out by [`IngestOptions::formats`].
    pub filtered_files: usize,
    /// Input bytes read.
    pub bytes: u64,
    /// Documents handed to the sink.
    pub documents: usize,
    /// Records skipped: bad records (only with `skip_invalid`), and files with no text to
    /// index (a PDF without a text layer) always.
    pub skipped: Vec<Notice>,
    /// Notes on documents that were kept (truncation, unknown kind).
    pub notes: Vec<Notice>,
    /// Where the documents are (`file:line`) whose text was cut: to
    /// [`RecordOptions::max_text_bytes`], or a text file read only up to
    /// [`IngestOptions::max_record_bytes`]. Each also has a note.
    pub truncated: Vec<String>,
    /// Repairs made by text normalisation, summed over all documents.
    #[serde(skip)]
    pub repairs: Repairs,
    /// Input fields outside the model (kept in `extra`), with how many documents had each.
    pub unknown_fields: BTreeMap<String, usize>,
    /// How many documents got each structured field.
    pub coverage: Coverage,
    /// The same, by input format (`jsonl`, `csv`, `text`, `html`, `pdf`).
    pub coverage_by_format: BTreeMap<String, Coverage>,
}

/// The file formats rapporteur reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// One JSON object per line.
    JsonLines,
    /// CSV with a header row.
    Csv,
    /// A text or Markdown file, one document, optional front matter.
    Text,
    /// A saved web page, one document.
    Html,
    /// A PDF, one document.
    Pdf,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 5] = [
        Format::JsonLines,
        Format::Csv,
        Format::Text,
        Format::Html,
        Format::Pdf,
    ];

    /// The format of a path, by extension.
    pub fn of(path: &Path) -> Option<Format> {
        Format::from_name(path.extension()?.to_str()?)
    }

    /// The format named by a file extension or a format name (`jsonl`, `json`, `csv`, `txt`,
    /// `md`, `text`, `html`, `htm`, `pdf`), case-insensitively.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Format::JsonLines,
            "csv" => Format::Csv,
            "txt" | "md" | "markdown" | "text" => Format::Text,
            "html" | "htm" => Format::Html,
            "pdf" => Format::Pdf,
            _ => return None,
        })
    }

    /// The format's short name (`jsonl`, `csv`, `text`, `html`, `pdf`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
            Format::Text => "text",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// An input file and the folder it was found in (text documents take ids relative to it).
#[derive(Debug, Clone)]
struct Input {
    path: PathBuf,
    root: Option<PathBuf>,
    format: Format,
}

/// Expands the given paths: files are taken as they are, folders walked (sorted, hidden
/// entries skipped). Returns the inputs and the files in folders that are not read.
fn expand(paths: &[PathBuf]) -> Result<(Vec<Input>, Vec<String>), IngestError> {
    let mut inputs = Vec::new();
    let mut ignored = Vec::new();
    for path in paths {
        let err = |problem| IngestError {
            path: path.clone(),
            line: None,
            problem,
        };
        let meta = std::fs::metadata(path).map_err(|e| {
            err(if e.kind() == std::io::ErrorKind::NotFound {
                Problem::NotFound
            } else {
                Problem::Io(e)
            })
        })?;
        if meta.is_dir() {
            walk(path, path, &mut inputs, &mut ignored)?;
        } else {
            let format = Format::of(path).ok_or_else(|| err(Problem::Unsupported))?;
            inputs.push(Input {
                path: path.clone(),
                root: None,
                format,
            });
        }
    }
    Ok((inputs, ignored))
}

fn walk(
    root: &Path,
    dir: &Path,
    inputs: &mut Vec<Input>,
    ignored: &mut Vec<String>,
) -> Result<(), IngestError> {
    let io = |e| IngestError {
        path: dir.to_path_buf(),
        line: None,
        problem: Problem::Io(e),
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, inputs, ignored)?;
        } else if let Some(format) = Format::of(&path) {
            inputs.push(Input {
                path,
                root: Some(root.to_path_buf()),
                format,
            });
        } else {
            ignored.push(path.display().to_string());
        }
    }
    Ok(())
}

/// State shared by the readers while one ingest runs.
struct Run<'a> {
    opts: &'a IngestOptions,
    sink: &'a mut dyn Sink,
    summary: IngestSummary,
    seen: HashMap<String, String>,
    bytes_before: u64,
    /// The format of the file being read.
    format: Format,
}

impl Run<'_> {
    /// Handles one record's fields: converts, checks the id, hands the document on.
    /// Record-level problems are returned to be skipped or raised by [`Run::fail`].
    fn record(
        &mut self,
        path: &Path,
        line: Option<u64>,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), crate::Error> {
        self.record_read(path, line, fields, false)
    }

    /// [`Run::record`] of a record of which only a part was read (`cut`).
    fn record_read(
        &mut self,
        path: &Path,
        line: Option<u64>,
        fields: serde_json::Map<String, serde_json::Value>,
        cut: bool,
    ) -> Result<(), crate::Error> {
        let converted = record::convert(fields, &self.opts.record);
        self.accept(path, line, converted, cut)
    }

    /// Takes a converted record (or the problem that stopped its conversion): checks the id,
    /// counts, hands the document on.
    fn accept(
        &mut self,
        path: &Path,
        line: Option<u64>,
        converted: Result<record::Converted, Problem>,
        cut: bool,
    ) -> Result<(), crate::Error> {
        let converted = match converted {
            Ok(c) => c,
            Err(problem) => return self.fail(path, line, problem),
        };
        let at = location(path, line);
        let doc = converted.document;
        if let Some(first) = self.seen.get(&doc.id) {
            let problem = Problem::DuplicateId {
                id: doc.id.clone(),
                first: first.clone(),
            };
            return self.fail(path, line, problem);
        }
        self.seen.insert(doc.id.clone(), at.clone());
        if cut || converted.truncated {
            self.summary.truncated.push(at.clone());
        }
        for note in converted.notes {
            self.summary.notes.push(Notice {
                at: at.clone(),
                message: note,
            });
        }
        self.summary.repairs.add(converted.repairs);
        for key in doc.extra.keys() {
            *self.summary.unknown_fields.entry(key.clone()).or_default() += 1;
        }
        self.summary.coverage.add(&doc);
        self.summary
            .coverage_by_format
            .entry(self.format.as_str().to_string())
            .or_default()
            .add(&doc);
        self.summary.documents += 1;
        self.sink.document(doc)
    }

    /// A bad record: skipped and counted with `skip_invalid`, else the error.
    fn fail(
        &mut self,
        path: &Path,
        line: Option<u64>,
        problem: Problem,
    ) -> Result<(), crate::Error> {
        let err = IngestError {
            path: path.to_path_buf(),
            line,
            problem,
        };
        if self.opts.skip_invalid && err.is_record_level() {
            self.summary.skipped.push(Notice {
                at: location(path, line),
                message: err.problem.to_string(),
            });
            Ok(())
        } else {
            Err(err.into())
        }
    }

    /// A file with nothing to index (a PDF without a text layer): listed as skipped whatever
    /// `skip_invalid` says, since no edit of the input would fix it.
    fn skip(&mut self, at: String, message: String) {
        self.summary.skipped.push(Notice { at, message });
    }

    /// A note on a document that is kept.
    fn note(&mut self, at: String, message: String) {
        self.summary.notes.push(Notice { at, message });
    }

    fn progress(&mut self, bytes_in_file: u64) {
        self.sink.progress(self.bytes_before + bytes_in_file);
    }
}

fn location(path: &Path, line: Option<u64>) -> String {
    match line {
        Some(l) => format!("{}:{}", path.display(), l),
        None => path.display().to_string(),
    }
}

/// Total size in bytes of the files that [`ingest`] would read (for progress display).
pub fn total_bytes(paths: &[PathBuf]) -> u64 {
    expand(paths).map_or(0, |(inputs, _)| {
        inputs
            .iter()
            .filter_map(|i| std::fs::metadata(&i.path).ok())
            .map(|m| m.len())
            .sum()
    })
}

/// Reads every input and hands each document to `sink`, in input order.
pub fn ingest(
    paths: &[PathBuf],
    opts: &IngestOptions,
    sink: &mut dyn Sink,
) -> Result<IngestSummary, crate::Error> {
    let (mut inputs, ignored) = expand(paths)?;
    let before = inputs.len();
    inputs.retain(|i| opts.formats.is_empty() || opts.formats.contains(&i.format));
    let mut run = Run {
        opts,
        sink,
        summary: IngestSummary {
            ignored_files: ignored,
            filtered_files: before - inputs.len(),
            ..IngestSummary::default()
        },
        seen: HashMap::new(),
        bytes_before: 0,
        format: Format::JsonLines,
    };
    for input in &inputs {
        let records_before = run.summary.documents + run.summary.skipped.len();
        run.format = input.format;
        let root = input.root.as_deref();
        let bytes = match input.format {
            Format::JsonLines => jsonl::read(&input.path, &mut run)?,
            Format::Csv => csv_reader::read(&input.path, &mut run)?,
            Format::Text => text::read(&input.path, root, &mut run)?,
            Format::Html => html::read(&input.path, root, &mut run)?,
            Format::Pdf => pdf::read(&input.path, root, &mut run)?,
        };
        run.summary.files += 1;
        run.bytes_before += bytes;
        run.summary.bytes += bytes;
        if run.summary.documents + run.summary.skipped.len() == records_before {
            run.fail(&input.path, None, Problem::Empty)?;
        }
    }
    Ok(run.summary)
}

/// Reads every input into memory: convenient for the analyses and tests.
pub fn load(
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<(Vec<Document>, IngestSummary), crate::Error> {
    let mut docs = Vec::new();
    let summary = ingest(paths, opts, &mut docs)?;
    Ok((docs, summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::File::create(&p)
            .unwrap()
            .write_all(content)
            .unwrap();
        p
    }

    #[test]
    fn duplicate_ids_across_files_are_refused_then_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let a = file(dir.path(), "a.jsonl", b"{\"id\":\"x\",\"text\":\"one\"}\n");
        let b = file(dir.path(), "b.jsonl", b"{\"id\":\"x\",\"text\":\"two\"}\n");
        let err = load(&[a.clone(), b.clone()], &IngestOptions::default()).unwrap_err();
        assert!(
            err.to_string().ends_with(&format!(
                "b.jsonl:1: duplicate id `x` (first seen at {}:1)",
                a.display()
            )),
            "{err}"
        );
        let opts = IngestOptions {
            skip_invalid: true,
            ..IngestOptions::default()
        };
        let (docs, summary) = load(&[a, b], &opts).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(summary.skipped.len(), 1);
    }

    #[test]
    fn folder_walk_is_sorted_and_reports_ignored_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("2019")).unwrap();
        file(
            dir.path(),
            "2019/b.txt",
            b"Second text about spectrum policy.",
        );
        file(dir.path(), "2019/a.md", b"First text about data flows.");
        file(dir.path(), "notes.docx", b"PK");
        file(dir.path(), ".hidden.txt", b"secret");
        let (docs, summary) = load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
        let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["2019/a", "2019/b"]);
        assert_eq!(docs[0].year, Some(2019));
        assert_eq!(summary.ignored_files.len(), 1);
    }

    /// Field-extraction accuracy on the archive fixtures (`tests/fixtures/archive`, HTML, PDF
    /// and text files written to mimic IGF pages), per field, against `archive-expected.json`. Prints
    /// the table (`cargo test -p rapporteur archive_field_accuracy -- --nocapture`).
    #[test]
    fn archive_field_accuracy() {
        use serde_json::{Value, json};
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/archive");
        let expected: serde_json::Map<String, Value> = serde_json::from_str(
            &std::fs::read_to_string(root.with_file_name("archive-expected.json")).unwrap(),
        )
        .unwrap();
        let (docs, summary) = load(std::slice::from_ref(&root), &IngestOptions::default()).unwrap();
        assert_eq!(summary.skipped.len(), 1, "{:?}", summary.skipped);
        assert!(summary.skipped[0].message.contains("no text layer"));
        let fields = [
            "kind",
            "year",
            "title",
            "ws_number",
            "session",
            "track",
            "policy_questions",
            "speakers",
            "organisers",
            "turns",
            "pages",
            "text",
        ];
        let mut right: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut wrong = Vec::new();
        for (id, want) in &expected {
            let doc = docs
                .iter()
                .find(|d| &d.id == id)
                .unwrap_or_else(|| panic!("no document {id}"));
            let text_ok = want["text_has"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| doc.text.contains(t.as_str().unwrap()))
                && want["text_lacks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|t| !doc.text.contains(t.as_str().unwrap()));
            let got = |field: &str| -> Value {
                match field {
                    "kind" => json!(doc.kind.as_str()),
                    "year" => json!(doc.year),
                    "title" => json!(doc.title),
                    "ws_number" => doc.extra.get("ws_number").cloned().unwrap_or(Value::Null),
                    "session" => json!(doc.session),
                    "track" => json!(doc.track),
                    "policy_questions" => json!(doc.policy_questions),
                    "speakers" => doc
                        .speakers
                        .iter()
                        .map(|p| {
                            json!([
                                p.name,
                                p.stakeholder_group.map(|g| g.as_str()),
                                p.region.map(|r| r.as_str())
                            ])
                        })
                        .collect(),
                    "organisers" => json!(doc.organisers.len()),
                    "turns" => doc.extra.get("turns").map_or(Value::Null, |t| {
                        t.as_array()
                            .unwrap()
                            .iter()
                            .map(|t| t["speaker"].clone())
                            .collect()
                    }),
                    "pages" => doc.extra.get("pages").map_or(Value::Null, |p| {
                        p.as_array()
                            .unwrap()
                            .iter()
                            .map(|p| p["page"].clone())
                            .collect()
                    }),
                    _ => json!(text_ok),
                }
            };
            for field in fields {
                let want = if field == "text" {
                    json!(true)
                } else {
                    want[field].clone()
                };
                let entry = right.entry(field).or_default();
                entry.1 += 1;
                if got(field) == want {
                    entry.0 += 1;
                } else {
                    let got = if field == "text" {
                        format!("{:?}", doc.text)
                    } else {
                        got(field).to_string()
                    };
                    wrong.push(format!("{id} {field}: got {got} want {want}"));
                }
            }
        }
        println!("field extraction on {} archive fixtures:", expected.len());
        for field in fields {
            let (ok, n) = right[field];
            println!(
                "  {field:<17} {ok:>2}/{n}  {:>5.1}%",
                100.0 * ok as f64 / n as f64
            );
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn missing_and_unsupported_paths() {
        let dir = tempfile::tempdir().unwrap();
        let err = load(&[dir.path().join("nope.jsonl")], &IngestOptions::default()).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("nope.jsonl: no such file or directory")
        );
        let docx = file(dir.path(), "x.docx", b"PK");
        let err = load(&[docx], &IngestOptions::default()).unwrap_err();
        assert!(err.to_string().contains("unsupported file type"));
    }
}

//! Ingest: files in, [`Document`]s out, streaming.
//!
//! Readers for JSON Lines (`.jsonl`, `.ndjson`, `.json`), CSV with a header row (`.csv`) and
//! folders of text files with optional front matter (`.txt`, `.md`), chosen by extension.
//! Every record goes through [`record::convert`] (field mapping, type checks, normalisation,
//! the proposal-form parser, language detection) and is handed to a [`Sink`] one at a time, so
//! a multi-gigabyte file is never held in memory.
//!
//! Errors name the file and line ([`IngestError`]). With `skip_invalid` a bad record is
//! counted in [`IngestSummary::skipped`] and reading goes on; nothing is dropped silently.

mod csv_reader;
mod error;
pub mod form;
mod jsonl;
pub mod normalize;
pub mod record;
mod text;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use error::{IngestError, Problem};
pub use normalize::Repairs;
pub use record::{FieldMap, RecordOptions};

use crate::model::Document;

/// Settings for an ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// How records become documents.
    pub record: RecordOptions,
    /// Go past bad records (counting them) instead of stopping at the first.
    pub skip_invalid: bool,
    /// A JSON Lines record (one line) longer than this is refused without being read whole.
    pub max_record_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            record: RecordOptions::default(),
            skip_invalid: false,
            max_record_bytes: 64 << 20,
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

/// What an ingest read, kept, repaired and skipped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    /// Input files read.
    pub files: usize,
    /// Files found in folders but not read (unsupported type), by path.
    pub ignored_files: Vec<String>,
    /// Input bytes read.
    pub bytes: u64,
    /// Documents handed to the sink.
    pub documents: usize,
    /// Records skipped (only with `skip_invalid`).
    pub skipped: Vec<Notice>,
    /// Notes on documents that were kept (truncation, unknown kind).
    pub notes: Vec<Notice>,
    /// Repairs made by text normalisation, summed over all documents.
    #[serde(skip)]
    pub repairs: Repairs,
    /// Input fields outside the model (kept in `extra`), with how many documents had each.
    pub unknown_fields: BTreeMap<String, usize>,
}

/// The file formats rapporteur reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    JsonLines,
    /// CSV with a header row.
    Csv,
    /// A text or Markdown file, one document, optional front matter.
    Text,
}

impl Format {
    /// The format of a path, by extension.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Format::JsonLines,
            "csv" => Format::Csv,
            "txt" | "md" | "markdown" => Format::Text,
            _ => return None,
        })
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
        let at = location(path, line);
        let converted = match record::convert(fields, &self.opts.record) {
            Ok(c) => c,
            Err(problem) => return self.fail(path, line, problem),
        };
        let doc = converted.document;
        if let Some(first) = self.seen.get(&doc.id) {
            let problem = Problem::DuplicateId {
                id: doc.id.clone(),
                first: first.clone(),
            };
            return self.fail(path, line, problem);
        }
        self.seen.insert(doc.id.clone(), at.clone());
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
    let (inputs, ignored) = expand(paths)?;
    let mut run = Run {
        opts,
        sink,
        summary: IngestSummary {
            ignored_files: ignored,
            ..IngestSummary::default()
        },
        seen: HashMap::new(),
        bytes_before: 0,
    };
    for input in &inputs {
        let records_before = run.summary.documents + run.summary.skipped.len();
        let bytes = match input.format {
            Format::JsonLines => jsonl::read(&input.path, &mut run)?,
            Format::Csv => csv_reader::read(&input.path, &mut run)?,
            Format::Text => text::read(&input.path, input.root.as_deref(), &mut run)?,
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
        file(dir.path(), "notes.pdf", b"%PDF");
        file(dir.path(), ".hidden.txt", b"secret");
        let (docs, summary) = load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
        let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["2019/a", "2019/b"]);
        assert_eq!(docs[0].year, Some(2019));
        assert_eq!(summary.ignored_files.len(), 1);
    }

    #[test]
    fn missing_and_unsupported_paths() {
        let dir = tempfile::tempdir().unwrap();
        let err = load(&[dir.path().join("nope.jsonl")], &IngestOptions::default()).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("nope.jsonl: no such file or directory")
        );
        let pdf = file(dir.path(), "x.pdf", b"%PDF");
        let err = load(&[pdf], &IngestOptions::default()).unwrap_err();
        assert!(err.to_string().contains("unsupported file type"));
    }
}

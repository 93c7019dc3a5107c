//! Ingest errors: what was wrong, and where (file, line, field).

use std::fmt;
use std::path::PathBuf;

/// What is wrong with one input record or file.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// The file could not be read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 at byte offset {offset} of the file")]
    InvalidUtf8 {
        /// Byte offset from the start of the file.
        offset: u64,
    },
    /// A JSON Lines record that is not a JSON object.
    #[error("{0}")]
    Json(String),
    /// A CSV row that cannot be read.
    #[error("{0}")]
    Csv(String),
    /// A required field is missing or null.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// The text is empty after normalisation.
    #[error("field `text` is empty")]
    EmptyText,
    /// A field has the wrong JSON type.
    #[error("field `{field}`: expected {expected}, found {found}")]
    WrongType {
        /// Field name.
        field: &'static str,
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// A field has an unusable value.
    #[error("field `{field}`: {message}")]
    BadValue {
        /// Field name.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The id was already used by an earlier record of this ingest.
    #[error("duplicate id `{id}` (first seen at {first})")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first seen.
        first: String,
    },
    /// A record longer than the record size limit.
    #[error("record of {bytes} bytes is over the limit of {limit} bytes (--max-record-bytes)")]
    TooLarge {
        /// Size of the record (at least this many bytes).
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A page or PDF that cannot be read as one (broken, encrypted, or with no text).
    #[error("{0}")]
    Unreadable(String),
    /// A file without any record.
    #[error("no documents in the file (it is empty or holds only blank lines)")]
    Empty,
    /// A file whose type rapporteur does not read.
    #[error(
        "unsupported file type (expected .jsonl, .ndjson, .json, .csv, .txt, .md, .html, .htm or .pdf)"
    )]
    Unsupported,
    /// A path that does not exist.
    #[error("no such file or directory")]
    NotFound,
}

/// A problem at a place in the input.
#[derive(Debug, thiserror::Error)]
pub struct IngestError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line (JSONL, CSV) or `None` for the whole file (a PDF's page is named in the
    /// problem).
    pub line: Option<u64>,
    /// What is wrong.
    #[source]
    pub problem: Problem,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.problem),
            None => write!(f, "{}: {}", self.path.display(), self.problem),
        }
    }
}

impl IngestError {
    /// True when the problem concerns one record only, so that `--skip-invalid` may go past it.
    pub fn is_record_level(&self) -> bool {
        !matches!(
            self.problem,
            Problem::Io(_) | Problem::NotFound | Problem::Unsupported
        )
    }
}

//! Text and Markdown files: one document each, with optional front matter; and what every
//! one-document-per-file format (text, HTML, PDF) takes from the file's path.
//!
//! Front matter is a block of `key: value` lines between two `---` lines at the top of the
//! file. Keys are document fields (`id`, `kind`, `year`, `title`, `track`, `session`,
//! `language`, `source`; `policy_questions` and `speakers` separated by `;`) or kept as
//! unknown fields. Without an `id`, the id is the path below the folder given, without the
//! extension; without a `year`, a year-like folder name (`2019/`) is used; without a `kind`,
//! a folder named after a kind (`reports/`, `transcripts/`, `proposals/`, `messages/`…).

use std::path::Path;

use serde_json::{Map, Value};

use super::{IngestError, Problem, Run};
use crate::model::Kind;

/// Reads one text file; returns the bytes read.
pub(super) fn read(
    path: &Path,
    root: Option<&Path>,
    run: &mut Run<'_>,
) -> Result<u64, crate::Error> {
    let (bytes, size) = read_start(path, run)?;
    let cut = size > bytes.len() as u64;
    let len = size;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        // The read stopped inside a character.
        Err(e) if cut && e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(e) => {
            let offset = e.valid_up_to() as u64;
            let line = memchr::memchr_iter(b'\n', &bytes[..e.valid_up_to()]).count() as u64 + 1;
            run.fail(path, Some(line), Problem::InvalidUtf8 { offset })?;
            return Ok(len);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(len);
    }
    let (mut fields, body) = match front_matter(text) {
        Ok(parts) => parts,
        Err((line, message)) => {
            run.fail(
                path,
                Some(line),
                Problem::BadValue {
                    field: "front matter",
                    message,
                },
            )?;
            return Ok(len);
        }
    };
    for (key, value) in file_fields(path, root) {
        fields.entry(key).or_insert(value);
    }
    fields.insert("text".into(), Value::String(body.to_string()));
    if cut {
        run.note(
            path.display().to_string(),
            format!(
                "file of {size} bytes: only the first {} read (--max-record-bytes)",
                bytes.len()
            ),
        );
    }
    run.record_read(path, None, fields, cut)?;
    Ok(len)
}

/// Reads a text file, or only its first [`super::IngestOptions::max_record_bytes`] when it is
/// larger; returns the bytes and the file's size.
fn read_start(path: &Path, run: &mut Run<'_>) -> Result<(Vec<u8>, u64), crate::Error> {
    use std::io::Read;
    let io = |e| IngestError {
        path: path.to_path_buf(),
        line: None,
        problem: Problem::Io(e),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let limit = run.opts.max_record_bytes;
    let mut bytes = Vec::with_capacity(size.min(limit) as usize);
    file.take(limit).read_to_end(&mut bytes).map_err(io)?;
    run.progress(size);
    Ok((bytes, size))
}

/// Reads a whole one-document file (HTML, PDF). A file over the record size limit is refused
/// (as a bad record: `Ok(None)` when skipped) without being read.
pub(super) fn read_whole(path: &Path, run: &mut Run<'_>) -> Result<Option<Vec<u8>>, crate::Error> {
    let io = |e| IngestError {
        path: path.to_path_buf(),
        line: None,
        problem: Problem::Io(e),
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    let limit = run.opts.max_record_bytes;
    if size > limit {
        run.progress(size);
        run.fail(path, None, Problem::TooLarge { bytes: size, limit })?;
        return Ok(None);
    }
    let bytes = std::fs::read(path).map_err(io)?;
    run.progress(bytes.len() as u64);
    Ok(Some(bytes))
}

/// The fields a one-document file takes from its path: `id` (the path below the folder given,
/// without the extension), `year` and `kind` from folder names, when they name one.
pub(super) fn file_fields(path: &Path, root: Option<&Path>) -> Map<String, Value> {
    let mut fields = Map::new();
    let relative = root
        .and_then(|r| path.strip_prefix(r).ok())
        .unwrap_or_else(|| Path::new(path.file_name().unwrap_or_default()));
    let id = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    fields.insert("id".into(), Value::String(id));
    if let Some(year) = year_from_path(path) {
        fields.insert("year".into(), Value::from(year));
    }
    if let Some(kind) = kind_from_path(path) {
        fields.insert("kind".into(), Value::String(kind.as_str().into()));
    }
    fields
}

/// The names of the folders holding a file, nearest first (at most four).
fn folders(path: &Path) -> impl Iterator<Item = &str> {
    path.parent()
        .into_iter()
        .flat_map(|p| p.components().rev())
        .filter_map(|c| c.as_os_str().to_str())
        .take(4)
}

/// Front matter fields and the body after them.
type Parts<'a> = (Map<String, Value>, &'a str);

/// Splits front matter from the body. Errors carry the 1-based line.
fn front_matter(text: &str) -> Result<Parts<'_>, (u64, String)> {
    let mut fields = Map::new();
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok((fields, text));
    };
    let mut consumed = text.len() - rest.len();
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        consumed += line.len();
        let line_no = i as u64 + 2;
        let l = line.trim();
        if l == "---" {
            return Ok((fields, &text[consumed..]));
        }
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let Some((key, value)) = l.split_once(':') else {
            return Err((line_no, format!("expected `key: value`, found `{l}`")));
        };
        let key = key.trim().to_string();
        let value = value.trim().trim_matches('"').to_string();
        let value = match key.as_str() {
            "policy_questions" | "policy_question" => Value::Array(
                value
                    .split(';')
                    .map(|q| Value::String(q.trim().to_string()))
                    .collect(),
            ),
            _ => Value::String(value),
        };
        fields.insert(key, value);
    }
    Err((1, "front matter opened with `---` is never closed".into()))
}

/// A year-like folder name (`2019/`).
fn year_from_path(path: &Path) -> Option<u16> {
    folders(path)
        .filter_map(|name| name.parse::<u16>().ok())
        .find(|y| (2006..=2100).contains(y))
}

/// A folder named after a kind (`reports/`, `transcripts/`, `session_reports/`…); generic
/// names that happen to be kind aliases (`output`, `other`, `dc`) do not count.
fn kind_from_path(path: &Path) -> Option<Kind> {
    folders(path).find_map(|name| {
        let n = name.to_lowercase();
        if matches!(n.as_str(), "output" | "outputs" | "other" | "dc") {
            return None;
        }
        Kind::from_name(&n).filter(|k| *k != Kind::Other)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split() {
        let (f, body) = front_matter(
            "---\nid: ws-1\nkind: proposal\npolicy_questions: A?; B?\n---\nBody text\n",
        )
        .unwrap();
        assert_eq!(f["id"], "ws-1");
        assert_eq!(f["policy_questions"][1], "B?");
        assert_eq!(body, "Body text\n");
    }

    #[test]
    fn no_front_matter() {
        let (f, body) = front_matter("Just text\n---\n").unwrap();
        assert!(f.is_empty());
        assert_eq!(body, "Just text\n---\n");
    }

    #[test]
    fn broken_front_matter_names_the_line() {
        assert_eq!(
            front_matter("---\nid: a\nnot a pair\n---\nx").unwrap_err(),
            (3, "expected `key: value`, found `not a pair`".to_string())
        );
        assert_eq!(front_matter("---\nid: a\n").unwrap_err().0, 1);
    }

    #[test]
    fn year_from_folder() {
        assert_eq!(
            year_from_path(Path::new("archive/2019/ws-1.txt")),
            Some(2019)
        );
        assert_eq!(year_from_path(Path::new("misc/ws-1.txt")), None);
    }

    #[test]
    fn kind_from_folder() {
        let f = file_fields(
            Path::new("/data/igf/transcripts/2019/ws-184.html"),
            Some(Path::new("/data/igf")),
        );
        assert_eq!(f["id"], "transcripts/2019/ws-184");
        assert_eq!(f["year"], 2019);
        assert_eq!(f["kind"], "transcript");
        assert_eq!(
            kind_from_path(Path::new("Session Reports/a.pdf")),
            Some(Kind::Report)
        );
        assert_eq!(kind_from_path(Path::new("output/a.pdf")), None);
        assert_eq!(kind_from_path(Path::new("a.pdf")), None);
    }
}

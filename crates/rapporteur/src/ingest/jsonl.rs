//! JSON Lines reader: one JSON object per line, streamed with a bounded line buffer.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;

use super::record::{self, Converted, RecordOptions};
use super::{IngestError, Problem, Run};

/// Lines are decoded, parsed and converted in parallel batches of at most this many lines…
const BATCH_LINES: usize = 1024;
/// …or about this many bytes (a single longer line makes a batch of its own), then handed on
/// one at a time in file order, so that the result does not depend on the batching.
const BATCH_BYTES: usize = 16 << 20;

/// A line as read: where it is, and its bytes (`None` when over the record size limit).
struct Line {
    number: u64,
    start: u64,
    len: u64,
    bytes: Option<Vec<u8>>,
}

/// Reads one JSON Lines file; returns the bytes read.
pub(super) fn read(path: &Path, run: &mut Run<'_>) -> Result<u64, crate::Error> {
    let io = |e| IngestError {
        path: path.to_path_buf(),
        line: None,
        problem: Problem::Io(e),
    };
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path).map_err(io)?);
    let limit = run.opts.max_record_bytes;
    let mut offset = 0u64;
    let mut number = 0u64;
    let mut batch: Vec<Line> = Vec::with_capacity(BATCH_LINES);
    loop {
        let mut bytes = 0;
        batch.clear();
        while batch.len() < BATCH_LINES && bytes < BATCH_BYTES {
            let mut buf = Vec::new();
            let (len, complete) = read_line(&mut reader, &mut buf, limit).map_err(io)?;
            if len == 0 {
                break;
            }
            number += 1;
            bytes += buf.len();
            batch.push(Line {
                number,
                start: offset,
                len,
                bytes: complete.then_some(buf),
            });
            offset += len;
        }
        if batch.is_empty() {
            break;
        }
        let converted: Vec<_> = batch
            .par_iter()
            .map(|line| convert_line(line, limit, &run.opts.record))
            .collect();
        for (line, outcome) in batch.iter().zip(converted) {
            run.progress(line.start + line.len);
            match outcome {
                None => {}
                Some(Err(problem)) => run.fail(path, Some(line.number), problem)?,
                Some(converted) => run.accept(path, Some(line.number), converted, false)?,
            }
        }
    }
    Ok(offset)
}

/// One line's document, or the problem with it; `None` for a blank line.
fn convert_line(
    line: &Line,
    limit: u64,
    opts: &RecordOptions,
) -> Option<Result<Converted, Problem>> {
    let Some(buf) = &line.bytes else {
        return Some(Err(Problem::TooLarge {
            bytes: line.len,
            limit,
        }));
    };
    let mut bytes = buf.as_slice();
    if line.number == 1 {
        bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim(),
        Err(e) => {
            let bom = (buf.len() - bytes.len()) as u64;
            let offset = line.start + bom + e.valid_up_to() as u64;
            return Some(Err(Problem::InvalidUtf8 { offset }));
        }
    };
    if text.is_empty() {
        return None;
    }
    Some(parse_object(text).and_then(|fields| record::convert(fields, opts)))
}

/// Reads up to and including the next `\n`, keeping at most `limit` bytes in `buf`.
/// Returns the bytes consumed and whether the line fit.
fn read_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<(u64, bool)> {
    let mut consumed = 0u64;
    let mut fits = true;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, fits));
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let n = chunk.len();
        if fits && (buf.len() + n) as u64 <= limit.saturating_add(1) {
            buf.extend_from_slice(chunk);
        } else {
            fits = false;
            buf.clear();
        }
        reader.consume(n);
        consumed += n as u64;
        if done {
            return Ok((consumed, fits));
        }
    }
}

fn parse_object(text: &str) -> Result<serde_json::Map<String, Value>, Problem> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::Array(_)) => Err(Problem::Json(
            "expected one JSON object per line (JSON Lines), found an array; \
             convert with `jq -c '.[]'`"
                .into(),
        )),
        Ok(_) => Err(Problem::Json(
            "expected a JSON object, found another JSON value".into(),
        )),
        Err(e) if text.starts_with('[') && e.is_eof() => Err(Problem::Json(
            "expected one JSON object per line (JSON Lines), found the start of a JSON array \
             spread over several lines; convert with `jq -c '.[]'`"
                .into(),
        )),
        Err(e) => Err(Problem::Json(format!("invalid JSON: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_not_buffered() {
        let data = format!("{}\nshort\n", "x".repeat(10_000));
        let mut r = std::io::BufReader::with_capacity(64, data.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut r, &mut buf, 100).unwrap(), (10_001, false));
        assert!(buf.is_empty());
        assert_eq!(read_line(&mut r, &mut buf, 100).unwrap(), (6, true));
        assert_eq!(buf, b"short\n");
        buf.clear();
        assert_eq!(read_line(&mut r, &mut buf, 100).unwrap(), (0, true));
    }

    #[test]
    fn json_problems_are_explained() {
        assert!(
            parse_object("[{\"id\":1}]")
                .unwrap_err()
                .to_string()
                .contains("found an array")
        );
        assert!(
            parse_object("[")
                .unwrap_err()
                .to_string()
                .contains("JSON array")
        );
        assert!(
            parse_object("{\"id\": ")
                .unwrap_err()
                .to_string()
                .starts_with("invalid JSON: EOF")
        );
        assert!(
            parse_object("42")
                .unwrap_err()
                .to_string()
                .contains("another JSON value")
        );
    }
}

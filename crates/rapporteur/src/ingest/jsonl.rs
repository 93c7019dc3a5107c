//! JSON Lines reader: one JSON object per line, streamed with a bounded line buffer.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use super::{IngestError, Problem, Run};

/// Reads one JSON Lines file; returns the bytes read.
pub(super) fn read(path: &Path, run: &mut Run<'_>) -> Result<u64, crate::Error> {
    let io = |e| IngestError {
        path: path.to_path_buf(),
        line: None,
        problem: Problem::Io(e),
    };
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path).map_err(io)?);
    let limit = run.opts.max_record_bytes;
    let mut buf = Vec::new();
    let mut offset = 0u64;
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let (len, complete) = read_line(&mut reader, &mut buf, limit).map_err(io)?;
        if len == 0 {
            break;
        }
        line_no += 1;
        let start = offset;
        offset += len;
        run.progress(offset);
        if !complete {
            run.fail(path, Some(line_no), Problem::TooLarge { bytes: len, limit })?;
            continue;
        }
        let mut bytes = buf.as_slice();
        if line_no == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let bom = (buf.len() - bytes.len()) as u64;
                let offset = start + bom + e.valid_up_to() as u64;
                run.fail(path, Some(line_no), Problem::InvalidUtf8 { offset })?;
                continue;
            }
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match parse_object(text) {
            Ok(fields) => run.record(path, Some(line_no), fields)?,
            Err(problem) => run.fail(path, Some(line_no), problem)?,
        }
    }
    Ok(offset)
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

//! CSV reader: a header row names the fields (mapped with `--map`), one document per row.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use serde_json::{Map, Value};

use super::{IngestError, Problem, Run};

/// Reads one CSV file; returns the bytes read.
pub(super) fn read(path: &Path, run: &mut Run<'_>) -> Result<u64, crate::Error> {
    let io = |e| IngestError {
        path: path.to_path_buf(),
        line: None,
        problem: Problem::Io(e),
    };
    let file = File::open(path).map_err(io)?;
    let file_len = file.metadata().map_err(io)?.len();
    let mut file = BufReader::with_capacity(1 << 20, file);
    // Skip a UTF-8 byte order mark.
    let mut head = [0u8; 3];
    let n = read_up_to(&mut file, &mut head).map_err(io)?;
    let prefix: &[u8] = if head[..n] == *b"\xEF\xBB\xBF" {
        &[]
    } else {
        &head[..n]
    };
    let bom = (n - prefix.len()) as u64;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(prefix.chain(file));

    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            run.fail(path, Some(1), csv_problem(&e))?;
            return Ok(bom);
        }
    };
    let mut names = Vec::with_capacity(header.len());
    for field in header.iter() {
        match std::str::from_utf8(field) {
            Ok(s) => names.push(s.trim().to_string()),
            Err(e) => {
                let offset = bom + field_offset(&header, field) + e.valid_up_to() as u64;
                return Err(IngestError {
                    path: path.to_path_buf(),
                    line: Some(1),
                    problem: Problem::InvalidUtf8 { offset },
                }
                .into());
            }
        }
    }

    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line());
                let fatal = !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                run.fail(path, line, csv_problem(&e))?;
                if fatal {
                    break;
                }
                continue;
            }
        }
        let pos = record
            .position()
            .cloned()
            .unwrap_or_else(csv::Position::new);
        run.progress(bom + pos.byte());
        let mut fields = Map::new();
        let mut bad = None;
        for (name, cell) in names.iter().zip(record.iter()) {
            match std::str::from_utf8(cell) {
                Ok(s) if s.trim().is_empty() => {}
                Ok(s) => {
                    fields.insert(name.clone(), Value::String(s.to_string()));
                }
                Err(e) => {
                    let offset =
                        bom + pos.byte() + field_offset(&record, cell) + e.valid_up_to() as u64;
                    bad = Some(Problem::InvalidUtf8 { offset });
                    break;
                }
            }
        }
        if bad.is_none()
            && reader.position().byte() + bom >= file_len
            && record.iter().any(|f| f.contains(&b'\n'))
            && odd_quotes(path, bom + pos.byte(), file_len).map_err(io)?
        {
            bad = Some(Problem::Csv(
                "a quote opened in this record is never closed: the rest of the file was read \
                 as one field"
                    .into(),
            ));
        }
        match bad {
            Some(problem) => run.fail(path, Some(pos.line()), problem)?,
            None => run.record(path, Some(pos.line()), fields)?,
        }
    }
    Ok(bom + reader.position().byte())
}

/// True when the bytes `from..to` of the file hold an odd number of `"`: a quoted field was
/// opened and never closed (escaped quotes come in pairs).
fn odd_quotes(path: &Path, from: u64, to: u64) -> std::io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(from))?;
    let mut rest = f.take(to.saturating_sub(from));
    let mut buf = vec![0u8; 1 << 16];
    let mut quotes = 0usize;
    loop {
        let n = rest.read(&mut buf)?;
        if n == 0 {
            return Ok(quotes % 2 == 1);
        }
        quotes += memchr::memchr_iter(b'"', &buf[..n]).count();
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Approximate byte offset of a field inside its record (fields and one separator each;
/// quotes are not counted).
fn field_offset(record: &csv::ByteRecord, field: &[u8]) -> u64 {
    let mut offset = 0u64;
    for f in record.iter() {
        if std::ptr::eq(f, field) {
            break;
        }
        offset += f.len() as u64 + 1;
    }
    offset
}

fn csv_problem(e: &csv::Error) -> Problem {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Problem::Csv(format!(
            "row has {len} fields but the header has {expected_len} \
             (a ragged row, or a quote left open on an earlier line)"
        )),
        csv::ErrorKind::Io(err) => Problem::Csv(format!("read error: {err}")),
        _ => Problem::Csv(format!("invalid CSV: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{IngestOptions, load};
    use std::io::Write;

    fn csv(content: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.csv");
        std::fs::File::create(&p)
            .unwrap()
            .write_all(content)
            .unwrap();
        (dir, p)
    }

    #[test]
    fn reads_rows_with_bom_crlf_and_quotes() {
        let (_d, p) = csv(b"\xEF\xBB\xBFid,kind,year,text\r\n1,proposal,2019,\"Multi\r\nline, quoted\"\r\n2,report,2020,plain\r\n");
        let (docs, _) = load(&[p], &IngestOptions::default()).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "1");
        assert_eq!(docs[0].year, Some(2019));
        assert_eq!(docs[0].text, "Multi\nline, quoted");
    }

    #[test]
    fn ragged_row_names_its_line() {
        let (_d, p) = csv(b"id,text\n1,a\n2,b,extra\n");
        let err = load(&[p], &IngestOptions::default())
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("in.csv:3: row has 3 fields but the header has 2 (a ragged row, or a quote left open on an earlier line)"), "{err}");
    }

    #[test]
    fn unclosed_quote_is_reported() {
        let (_d, p) = csv(b"id,text\n1,ok\n2,\"never closed\n3,next\n");
        let err = load(&[p], &IngestOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("in.csv:3: a quote opened in this record is never closed"),
            "{err}"
        );
        let (_d, p) = csv(b"id,text\n1,\"fine \"\"quoted\"\"\nline\"\n");
        assert!(load(&[p], &IngestOptions::default()).is_ok());
    }

    #[test]
    fn invalid_utf8_in_a_cell_gives_the_offset() {
        let (_d, p) = csv(b"id,text\n1,ok\n2,bad\xff\n");
        let err = load(&[p], &IngestOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("in.csv:3: invalid UTF-8 at byte offset 18 of the file"),
            "{err}"
        );
    }
}

//! A corpus held for the vector and cluster stages without its documents: each document's
//! topic text waits in a file and is read back a range at a time, once per pass; only what a
//! clustering reports about a document ([`DocInfo`]) stays in memory.

use std::borrow::Cow;
use std::fs::File;
use std::io::Write;
use std::ops::Range;

use super::{FNV_OFFSET, Texts, VectorError, fnv1a, topic_text};
use crate::analysis::Analyzer;
use crate::ingest::Sink;
use crate::model::{Document, Kind, Region, StakeholderGroup};

/// What a clustering says about a document besides its text: id, title, and what the
/// composition of a cluster counts.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: Kind,
    /// IGF year.
    pub year: Option<u16>,
    /// Language code.
    pub language: Option<String>,
    /// Distinct stakeholder groups of its organisers and speakers, sorted.
    pub stakeholder_groups: Vec<StakeholderGroup>,
    /// Distinct regional groups of its organisers and speakers, sorted.
    pub regions: Vec<Region>,
}

impl DocInfo {
    /// The information of a document.
    pub fn of(doc: &Document) -> DocInfo {
        DocInfo {
            id: doc.id.clone(),
            title: doc.title.clone(),
            kind: doc.kind,
            year: doc.year,
            language: doc.language.clone(),
            stakeholder_groups: doc.stakeholder_groups(),
            regions: doc.regions(),
        }
    }

    /// The analyser of the document's language.
    pub fn analyzer(&self) -> &'static Analyzer {
        Analyzer::for_code(self.language.as_deref())
    }
}

/// Documents as the cluster stage reads them: their topic texts, in passes, and their
/// [`DocInfo`]. Implemented by documents in memory and by a [`Corpus`].
pub trait Documents: Texts {
    /// The information of document `i`.
    fn info(&self, i: usize) -> Cow<'_, DocInfo>;
}

impl Documents for [Document] {
    fn info(&self, i: usize) -> Cow<'_, DocInfo> {
        Cow::Owned(DocInfo::of(&self[i]))
    }
}

/// Documents whose topic texts ([`topic_text`]) are kept in a file given by the caller (a
/// temporary file: the library reads no environment to find one), written once as the
/// documents come (it is an ingest [`Sink`]) and read back by position.
#[derive(Debug)]
pub struct Corpus {
    file: File,
    /// Bytes written so far.
    end: u64,
    /// Offset and length of each document's text in the file.
    spans: Vec<(u64, u32)>,
    info: Vec<DocInfo>,
}

impl Corpus {
    /// An empty corpus writing its texts to `file` (opened for reading and writing, empty).
    pub fn new(file: File) -> Corpus {
        Corpus {
            file,
            end: 0,
            spans: Vec::new(),
            info: Vec::new(),
        }
    }

    /// Adds a document: its topic text goes to the file, its information stays.
    pub fn push(&mut self, doc: &Document) -> Result<(), VectorError> {
        let text = topic_text(doc);
        let len = u32::try_from(text.len())
            .map_err(|_| VectorError::Io(format!("the text of `{}` is over 4 GB", doc.id)))?;
        (&self.file).write_all(text.as_bytes()).map_err(io)?;
        self.spans.push((self.end, len));
        self.end += u64::from(len);
        self.info.push(DocInfo::of(doc));
        Ok(())
    }

    /// A fingerprint of the documents' ids in their order (FNV-1a), for cache keys.
    pub fn fingerprint(&self) -> u64 {
        self.info
            .iter()
            .fold(FNV_OFFSET, |h, d| fnv1a(fnv1a(h, d.id.as_bytes()), b"\n"))
    }

    /// Orders the documents by id (the order of [`crate::index::Index::documents`]).
    pub fn sort_by_id(&mut self) {
        let mut order: Vec<usize> = (0..self.info.len()).collect();
        order.sort_by(|&a, &b| self.info[a].id.cmp(&self.info[b].id));
        self.spans = order.iter().map(|&i| self.spans[i]).collect();
        let mut info: Vec<Option<DocInfo>> = std::mem::take(&mut self.info)
            .into_iter()
            .map(Some)
            .collect();
        self.info = order
            .iter()
            .map(|&i| info[i].take().expect("a permutation takes each once"))
            .collect();
    }
}

fn io(e: std::io::Error) -> VectorError {
    VectorError::Io(e.to_string())
}

impl Sink for Corpus {
    fn document(&mut self, doc: Document) -> Result<(), crate::Error> {
        Ok(self.push(&doc)?)
    }
}

impl Texts for Corpus {
    fn len(&self) -> usize {
        self.info.len()
    }

    fn each(
        &self,
        range: Range<usize>,
        f: &mut dyn FnMut(usize, &str, &'static Analyzer),
    ) -> Result<(), VectorError> {
        let mut buf = Vec::new();
        for i in range {
            let (offset, len) = self.spans[i];
            buf.resize(len as usize, 0);
            read_at(&self.file, &mut buf, offset).map_err(io)?;
            let text = std::str::from_utf8(&buf).map_err(|e| VectorError::Io(e.to_string()))?;
            f(i, text, self.info[i].analyzer());
        }
        Ok(())
    }
}

impl Documents for Corpus {
    fn info(&self, i: usize) -> Cow<'_, DocInfo> {
        Cow::Borrowed(&self.info[i])
    }
}

/// Fills `buf` from `file` at `offset`, without moving a shared cursor (threads read at once).
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Fills `buf` from `file` at `offset`, without moving a shared cursor (threads read at once).
#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn texts_come_back_by_position_and_in_id_order() {
        let mut corpus = Corpus::new(tempfile::tempfile().unwrap());
        for (id, text) in [("b", "Spectrum for villages."), ("a", "Data flows.")] {
            let mut d = Document::new(id, Kind::Proposal, text);
            d.language = Some("en".into());
            corpus.push(&d).unwrap();
        }
        corpus.sort_by_id();
        let mut seen = Vec::new();
        corpus
            .each(0..2, &mut |i, text, _| {
                seen.push((i, text.trim().to_string()))
            })
            .unwrap();
        assert_eq!(
            seen,
            [
                (0, "Data flows.".to_string()),
                (1, "Spectrum for villages.".to_string())
            ]
        );
        assert_eq!(corpus.info(1).id, "b");
    }
}

//! The on-disk search index. The only module that knows tantivy.
//!
//! Layout of an index folder: tantivy's files plus `rapporteur-index.json`, which records the
//! index format this version writes. Each document is stored whole (as JSON) and indexed in the
//! title and body fields of its language, each with that language's [`crate::analysis`]
//! tokenizer; one facet field carries kind, year, track, language, stakeholder groups and
//! regions.
//!
//! Writes are atomic: documents become visible only at tantivy's commit, which replaces the
//! index metadata in one rename. An interrupted or failed `add` leaves the previous state
//! searchable. tantivy's writer lock keeps a second writer out ([`IndexError::Locked`]).

mod search;
mod tokenizer;

use std::path::{Path, PathBuf};

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{IndexWriter, TantivyDocument, Term};

pub use search::{Hit, SearchRequest, SearchResults, Stats};

use crate::analysis::Lang;
use crate::ingest::{self, IngestOptions, IngestSummary, Sink};
use crate::model::Document;

/// The index format this version reads and writes. Bump it when the schema or the analysis
/// pipeline changes, so an old index is refused with a clear message instead of misread.
pub const INDEX_FORMAT: u32 = 1;

/// Default index folder.
pub const DEFAULT_PATH: &str = "rapporteur-index";

const META_FILE: &str = "rapporteur-index.json";
/// The file of [`Index::vectors_cache`].
const VECTORS_CACHE: &str = "rapporteur-vectors.bin";

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index at the path.
    #[error("no index at {0} (create one with `rapporteur index PATH…`)")]
    NotFound(PathBuf),
    /// A folder that holds something else than a rapporteur index.
    #[error("{0} is not a rapporteur index (it has no {META_FILE}); choose another --index folder")]
    NotAnIndex(PathBuf),
    /// An index written by an incompatible version.
    #[error(
        "the index at {path} was written in index format {found}, this version reads format {INDEX_FORMAT}; \
         delete the folder and run `rapporteur index` again"
    )]
    Incompatible {
        /// Index folder.
        path: PathBuf,
        /// The format found.
        found: String,
    },
    /// Another writer holds the index.
    #[error("the index at {0} is locked: another `rapporteur index` is writing to it")]
    Locked(PathBuf),
    /// A file-system error.
    #[error("{path}: {source}")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The query could not be parsed.
    #[error("invalid query `{query}`: {message}")]
    Query {
        /// The query.
        query: String,
        /// What is wrong with it.
        message: String,
    },
    /// Any other error from the index engine.
    #[error("index at {path}: {source}")]
    Engine {
        /// Index folder.
        path: PathBuf,
        /// The error.
        source: tantivy::TantivyError,
    },
    /// An index whose files cannot be opened (damaged, or cut short by hand).
    #[error(
        "the index at {path} is damaged ({message}); delete the folder and run `rapporteur index` again"
    )]
    Damaged {
        /// Index folder.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A stored document that cannot be read back.
    #[error("index at {path}: stored document cannot be read ({message}); the index is damaged")]
    Corrupt {
        /// Index folder.
        path: PathBuf,
        /// What failed.
        message: String,
    },
}

/// The fields of the schema.
#[derive(Clone, Debug)]
struct Fields {
    id: Field,
    doc: Field,
    facets: Field,
    title: Vec<Field>,
    body: Vec<Field>,
}

impl Fields {
    fn schema() -> Schema {
        let mut b = Schema::builder();
        b.add_text_field("id", STRING | STORED);
        b.add_text_field("doc", STORED);
        b.add_facet_field("facets", FacetOptions::default());
        for lang in Lang::ALL {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(&tokenizer::AnalysisTokenizer::name(lang))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let opts = TextOptions::default().set_indexing_options(indexing);
            b.add_text_field(&format!("title_{}", lang.code()), opts.clone());
            b.add_text_field(&format!("body_{}", lang.code()), opts);
        }
        b.build()
    }

    fn from_schema(schema: &Schema) -> Option<Fields> {
        let get = |name: &str| schema.get_field(name).ok();
        let per_lang = |prefix: &str| {
            Lang::ALL
                .iter()
                .map(|l| get(&format!("{prefix}_{}", l.code())))
                .collect::<Option<Vec<_>>>()
        };
        Some(Fields {
            id: get("id")?,
            doc: get("doc")?,
            facets: get("facets")?,
            title: per_lang("title")?,
            body: per_lang("body")?,
        })
    }

    fn lang_slot(lang: Lang) -> usize {
        Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0)
    }
}

/// What one `add` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AddReport {
    /// What was read.
    pub ingest: IngestSummary,
    /// Documents that replaced one with the same id already in the index.
    pub replaced: usize,
    /// Documents in the index after the commit.
    pub total: u64,
}

/// An open rapporteur index.
pub struct Index {
    path: PathBuf,
    inner: tantivy::Index,
    fields: Fields,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("path", &self.path).finish()
    }
}

impl Index {
    /// Opens an existing index.
    pub fn open(path: &Path) -> Result<Index, IndexError> {
        if !path.exists() || interrupted_creation(path) {
            return Err(IndexError::NotFound(path.to_path_buf()));
        }
        check_meta(path)?;
        let inner = tantivy::Index::open_in_dir(path).map_err(|e| damaged(path, e))?;
        let fields =
            Fields::from_schema(&inner.schema()).ok_or_else(|| IndexError::Incompatible {
                path: path.to_path_buf(),
                found: "unknown (schema fields differ)".into(),
            })?;
        Ok(Index::with_tokenizers(path, inner, fields))
    }

    /// Opens the index at `path`, creating it (and the folder) if there is none.
    pub fn open_or_create(path: &Path) -> Result<Index, IndexError> {
        let io = |e| IndexError::Io {
            path: path.to_path_buf(),
            source: e,
        };
        let empty = match std::fs::read_dir(path) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => return Err(io(e)),
        };
        if !empty && !interrupted_creation(path) {
            return Index::open(path);
        }
        std::fs::create_dir_all(path).map_err(io)?;
        write_meta(path).map_err(io)?;
        let schema = Fields::schema();
        let fields = Fields::from_schema(&schema).expect("the schema has every field");
        let inner = tantivy::Index::create_in_dir(path, schema).map_err(|e| engine(path, e))?;
        Ok(Index::with_tokenizers(path, inner, fields))
    }

    fn with_tokenizers(path: &Path, inner: tantivy::Index, fields: Fields) -> Index {
        for lang in Lang::ALL {
            inner.tokenizers().register(
                &tokenizer::AnalysisTokenizer::name(lang),
                tokenizer::AnalysisTokenizer::new(lang),
            );
        }
        Index {
            path: path.to_path_buf(),
            inner,
            fields,
        }
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Names the index's contents: it changes with every commit that changes them (the
    /// commit's opstamp, and each segment with its deletions).
    pub fn generation(&self) -> Result<String, IndexError> {
        let metas = self.inner.load_metas().map_err(|e| engine(&self.path, e))?;
        let mut generation = metas.opstamp.to_string();
        for s in &metas.segments {
            generation.push_str(&format!(
                " {}-{}",
                s.id().uuid_string(),
                s.num_deleted_docs()
            ));
        }
        Ok(generation)
    }

    /// Where clustering keeps the vectors it fitted on this index's documents
    /// ([`crate::vectors::VectorValidParams::fit_cached`]); a file of ours beside tantivy's,
    /// which tantivy leaves alone.
    pub fn vectors_cache(&self) -> PathBuf {
        self.path.join(VECTORS_CACHE)
    }

    /// Reads `inputs` and adds every document, replacing documents with the same id, in one
    /// atomic commit. On any error nothing is committed. `progress` is told the input bytes
    /// read so far.
    pub fn add(
        &self,
        inputs: &[PathBuf],
        opts: &IngestOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<AddReport, crate::Error> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let mut writer: IndexWriter<TantivyDocument> = self
            .inner
            .writer_with_num_threads(threads, threads * 64_000_000)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked(self.path.clone()),
                e => engine(&self.path, e),
            })?;
        let searcher = self
            .inner
            .reader()
            .map_err(|e| damaged(&self.path, e))?
            .searcher();
        let mut sink = WriterSink {
            index: self,
            writer: &mut writer,
            searcher: &searcher,
            replaced: 0,
            progress,
        };
        let summary = ingest::ingest(inputs, opts, &mut sink)?;
        let replaced = sink.replaced;
        writer.commit().map_err(|e| engine(&self.path, e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| engine(&self.path, e))?;
        let total = self.reader()?.searcher().num_docs();
        Ok(AddReport {
            ingest: summary,
            replaced,
            total,
        })
    }

    fn reader(&self) -> Result<tantivy::IndexReader, IndexError> {
        self.inner.reader().map_err(|e| damaged(&self.path, e))
    }

    fn tantivy_doc(&self, doc: &Document) -> Result<TantivyDocument, IndexError> {
        let f = &self.fields;
        let json = serde_json::to_string(doc).map_err(|e| IndexError::Corrupt {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        let slot = Fields::lang_slot(doc.language.as_deref().map_or(Lang::En, Lang::from_code));
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &doc.id);
        d.add_text(f.doc, &json);
        d.add_text(f.title[slot], &doc.title);
        d.add_text(f.body[slot], &doc.text);
        for facet in search::facets_of(doc) {
            d.add_facet(f.facets, facet);
        }
        Ok(d)
    }

    /// Every stored document, sorted by id.
    pub fn documents(&self) -> Result<Vec<Document>, IndexError> {
        let mut docs = Vec::new();
        self.for_each_document(&mut |d| {
            docs.push(d);
            Ok(())
        })?;
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(docs)
    }

    /// Hands every stored document to `f`, one at a time, in storage order (not sorted: a
    /// caller that keeps only part of each document need not hold them all).
    pub fn for_each_document<E: From<IndexError>>(
        &self,
        f: &mut dyn FnMut(Document) -> Result<(), E>,
    ) -> Result<(), E> {
        let searcher = self.reader()?.searcher();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc_id in segment.doc_ids_alive() {
                let addr = tantivy::DocAddress::new(ord as u32, doc_id);
                f(search::stored_document(self, &searcher, addr)?)?;
            }
        }
        Ok(())
    }
}

/// Feeds ingested documents into a tantivy writer.
struct WriterSink<'a> {
    index: &'a Index,
    writer: &'a mut IndexWriter<TantivyDocument>,
    searcher: &'a tantivy::Searcher,
    replaced: usize,
    progress: &'a mut dyn FnMut(u64),
}

impl Sink for WriterSink<'_> {
    fn document(&mut self, doc: Document) -> Result<(), crate::Error> {
        let term = Term::from_field_text(self.index.fields.id, &doc.id);
        let exists = self
            .searcher
            .doc_freq(&term)
            .map_err(|e| engine(&self.index.path, e))?
            > 0;
        if exists {
            self.replaced += 1;
            self.writer.delete_term(term);
        }
        let d = self.index.tantivy_doc(&doc)?;
        self.writer
            .add_document(d)
            .map_err(|e| engine(&self.index.path, e))?;
        Ok(())
    }

    fn progress(&mut self, bytes_read: u64) {
        (self.progress)(bytes_read);
    }
}

/// Puts the complete index folder `fresh` in the place of `target`, which may hold an older
/// index. Readers of `target` see the old index or the new one, never none: on Linux the two
/// folders are exchanged in one `renameat2(RENAME_EXCHANGE)` and the old one (now at `fresh`)
/// removed. Where that call is not available the old folder is first renamed aside, which
/// leaves a short moment without an index at `target` (a killed process leaves both folders).
pub fn swap_in(fresh: &Path, target: &Path) -> Result<(), IndexError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Io { path, source }
    };
    if !target.exists() {
        return std::fs::rename(fresh, target).map_err(io(target));
    }
    #[cfg(target_os = "linux")]
    if exchange(fresh, target).is_ok() {
        return remove_tree(fresh);
    }
    let mut aside = target.as_os_str().to_owned();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    remove_tree(&aside)?;
    std::fs::rename(target, &aside).map_err(io(target))?;
    std::fs::rename(fresh, target).map_err(io(target))?;
    remove_tree(&aside)
}

/// Exchanges two paths atomically (Linux 3.15+, on file systems that support it).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Removes a folder and everything in it; a folder that is not there is not an error.
pub(crate) fn remove_tree(path: &Path) -> Result<(), IndexError> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(IndexError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// True for a folder where index creation was cut short (killed): this version's marker file
/// is there but tantivy's `meta.json`, written last, is not. Such a folder holds no documents
/// and is created afresh.
fn interrupted_creation(path: &Path) -> bool {
    path.join(META_FILE).is_file() && !path.join("meta.json").exists()
}

/// An error opening the index's files: the index is damaged.
fn damaged(path: &Path, e: tantivy::TantivyError) -> IndexError {
    match e {
        tantivy::TantivyError::IoError(_)
        | tantivy::TantivyError::OpenReadError(_)
        | tantivy::TantivyError::OpenDirectoryError(_)
        | tantivy::TantivyError::DataCorruption(_)
        | tantivy::TantivyError::SchemaError(_)
        | tantivy::TantivyError::IncompatibleIndex(_) => IndexError::Damaged {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
        e => engine(path, e),
    }
}

fn engine(path: &Path, e: tantivy::TantivyError) -> IndexError {
    IndexError::Engine {
        path: path.to_path_buf(),
        source: e,
    }
}

fn write_meta(path: &Path) -> std::io::Result<()> {
    let meta = serde_json::json!({
        "format": INDEX_FORMAT,
        "written_by": concat!("rapporteur ", env!("CARGO_PKG_VERSION")),
    });
    let tmp = path.join(format!("{META_FILE}.tmp"));
    std::fs::write(&tmp, format!("{meta:#}\n"))?;
    std::fs::rename(tmp, path.join(META_FILE))
}

fn check_meta(path: &Path) -> Result<(), IndexError> {
    let text = match std::fs::read_to_string(path.join(META_FILE)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(IndexError::NotAnIndex(path.to_path_buf()));
        }
        Err(e) => {
            return Err(IndexError::Io {
                path: path.join(META_FILE),
                source: e,
            });
        }
    };
    let found = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("format").cloned());
    match found {
        Some(v) if v.as_u64() == Some(u64::from(INDEX_FORMAT)) => Ok(()),
        Some(v) => Err(IndexError::Incompatible {
            path: path.to_path_buf(),
            found: v.to_string(),
        }),
        None => Err(IndexError::Incompatible {
            path: path.to_path_buf(),
            found: "unreadable".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn jsonl(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
        let p = dir.join(name);
        let mut f = std::fs::File::create(&p).unwrap();
        for l in lines {
            writeln!(f, "{l}").unwrap();
        }
        p
    }

    #[test]
    fn add_replace_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let idx_path = dir.path().join("idx");
        let a = jsonl(
            dir.path(),
            "a.jsonl",
            &[
                r#"{"id":"1","kind":"proposal","year":2019,"title":"Data flows","text":"Cross-border data flows and trust in the digital economy."}"#,
                r#"{"id":"2","kind":"takeaway","year":2020,"text":"Community networks connect rural areas at low cost."}"#,
            ],
        );
        let idx = Index::open_or_create(&idx_path).unwrap();
        let r = idx
            .add(&[a], &IngestOptions::default(), &mut |_| {})
            .unwrap();
        assert_eq!((r.total, r.replaced), (2, 0));

        let b = jsonl(
            dir.path(),
            "b.jsonl",
            &[
                r#"{"id":"2","kind":"takeaway","year":2021,"text":"Spectrum for community networks was discussed."}"#,
            ],
        );
        let r = idx
            .add(&[b], &IngestOptions::default(), &mut |_| {})
            .unwrap();
        assert_eq!((r.total, r.replaced), (2, 1));
        let docs = Index::open(&idx_path).unwrap().documents().unwrap();
        assert_eq!(docs[1].year, Some(2021));
        assert_eq!(docs[0].title, "Data flows");
    }

    #[test]
    fn failed_add_leaves_the_previous_state() {
        let dir = tempfile::tempdir().unwrap();
        let idx_path = dir.path().join("idx");
        let good = jsonl(
            dir.path(),
            "good.jsonl",
            &[r#"{"id":"1","text":"first text here"}"#],
        );
        let bad = jsonl(
            dir.path(),
            "bad.jsonl",
            &[
                r#"{"id":"2","text":"second text here"}"#,
                r#"{"id":"3","text": }"#,
            ],
        );
        let idx = Index::open_or_create(&idx_path).unwrap();
        idx.add(&[good], &IngestOptions::default(), &mut |_| {})
            .unwrap();
        let err = idx
            .add(&[bad], &IngestOptions::default(), &mut |_| {})
            .unwrap_err();
        assert!(
            err.to_string().contains("bad.jsonl:2: invalid JSON"),
            "{err}"
        );
        let ids: Vec<_> = idx.documents().unwrap().into_iter().map(|d| d.id).collect();
        assert_eq!(ids, ["1"]);
    }

    #[test]
    fn swap_in_replaces_the_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (fresh, target) = (dir.path().join("new"), dir.path().join("index"));
        std::fs::create_dir(&fresh).unwrap();
        std::fs::write(fresh.join("f"), "new").unwrap();
        swap_in(&fresh, &target).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("f")).unwrap(), "new");
        std::fs::create_dir(&fresh).unwrap();
        std::fs::write(fresh.join("g"), "newer").unwrap();
        swap_in(&fresh, &target).unwrap();
        assert!(!fresh.exists() && !target.join("f").exists());
        assert_eq!(std::fs::read_to_string(target.join("g")).unwrap(), "newer");
    }

    #[test]
    fn second_writer_is_locked_out() {
        let dir = tempfile::tempdir().unwrap();
        let idx = Index::open_or_create(dir.path()).unwrap();
        let _held: IndexWriter<TantivyDocument> = idx.inner.writer(15_000_000).unwrap();
        let inputs = tempfile::tempdir().unwrap();
        let input = jsonl(inputs.path(), "in.jsonl", &[r#"{"id":"1","text":"x y z"}"#]);
        let err = idx
            .add(&[input], &IngestOptions::default(), &mut |_| {})
            .unwrap_err();
        assert!(err.to_string().contains("is locked"), "{err}");
    }

    #[test]
    fn missing_foreign_and_incompatible_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none");
        assert!(matches!(
            Index::open(&missing),
            Err(IndexError::NotFound(_))
        ));
        std::fs::write(dir.path().join("other.txt"), "x").unwrap();
        assert!(matches!(
            Index::open_or_create(dir.path()),
            Err(IndexError::NotAnIndex(_))
        ));
        let old = dir.path().join("old");
        Index::open_or_create(&old).unwrap();
        std::fs::write(old.join(META_FILE), r#"{"format": 0}"#).unwrap();
        let err = Index::open(&old).unwrap_err().to_string();
        assert!(err.contains("written in index format 0"), "{err}");
    }
}

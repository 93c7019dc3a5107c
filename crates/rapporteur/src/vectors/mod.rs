//! Document vectors: TF-IDF over the shared analysis pipeline, then LSA.
//!
//! [`VectorParams`] → [`VectorParams::check`] → [`VectorValidParams::fit_on`] builds a
//! [`Vectors`] model from [`Texts`] read in two passes (documents in memory, or a [`Corpus`]
//! whose texts wait in a file): a vocabulary (stemmed words and word bigrams within a
//! document-frequency window), the sparse term counts from which the L2-normalised TF-IDF
//! rows (sublinear tf, smoothed idf) are computed, and their truncated SVD (randomised,
//! seeded: [`svd`]), giving one L2-normalised dense vector per document.
//! [`Vectors::project`] maps any new text (a policy question) into the same space.
//! Everything is deterministic for a given seed, whatever the thread count.

mod cache;
mod corpus;
pub mod svd;

pub use cache::CacheUse;
pub use corpus::{Corpus, DocInfo, Documents};

use std::collections::HashMap;
use std::ops::Range;

use ndarray::{Array1, Array2, ArrayView1, Axis};
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use serde::{Deserialize, Serialize};
use sprs::CsMatI;

use crate::analysis::{Analyzer, glossary};
use crate::model::Document;

/// Sections of the proposal form that say nothing about the topic (format, logistics).
const NON_TOPIC_SECTIONS: &[&str] = &[
    "format",
    "format description",
    "session format",
    "online participation",
    "discussion facilitation",
    "sdgs",
    "targets",
    "agenda",
];

/// The text that stands for a document's topic: title, policy questions and the sections
/// that carry content (not format or logistics); the whole text when it has no sections.
/// People lines of the form are left out, so that a shared team does not make a topic.
pub fn topic_text(doc: &Document) -> String {
    let mut parts: Vec<&str> = vec![doc.title.as_str()];
    if doc.sections.is_empty() {
        parts.push(&doc.text);
    } else {
        parts.extend(doc.policy_questions.iter().map(String::as_str));
        for s in &doc.sections {
            let question_section = s.name.starts_with("policy question")
                || s.name == "key policy questions and expectations";
            if !NON_TOPIC_SECTIONS.contains(&s.name.as_str()) && !question_section {
                parts.push(&s.text);
            }
        }
    }
    parts.join("\n")
}

/// Texts tokenised by one task.
const CHUNK: usize = 1024;

/// Parameters of the vector model. Defaults: `min_df` 2, `max_df` 0.9, at most 65,536 terms
/// (those in most documents, chosen on at most ~40,000 of them), bigrams on,
/// cross-language glossary on, sublinear tf, 100 dimensions, 10 oversampling columns, 2 power iterations, seed 42.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VectorParams {
    min_df: usize,
    max_df: f64,
    max_terms: usize,
    bigrams: bool,
    cross_language: bool,
    sublinear_tf: bool,
    dims: usize,
    svd_sample: usize,
    vocab_sample: usize,
    oversample: usize,
    power_iterations: usize,
    seed: u64,
}

impl Default for VectorParams {
    fn default() -> Self {
        VectorParams::new()
    }
}

impl VectorParams {
    /// The defaults listed on the type.
    pub fn new() -> VectorParams {
        VectorParams {
            min_df: 2,
            max_df: 0.9,
            max_terms: 1 << 16,
            bigrams: true,
            cross_language: true,
            sublinear_tf: true,
            dims: 100,
            svd_sample: 20_000,
            vocab_sample: 40_000,
            oversample: 10,
            power_iterations: 2,
            seed: 42,
        }
    }
    /// Terms in fewer documents than this are dropped.
    pub fn min_df(mut self, n: usize) -> Self {
        self.min_df = n;
        self
    }
    /// Terms in more than this share of documents are dropped.
    pub fn max_df(mut self, share: f64) -> Self {
        self.max_df = share;
        self
    }
    /// Keep at most this many terms, those in most documents (ties: alphabetical). Archives
    /// of thousands of documents have hundreds of thousands of rare bigrams that add little
    /// to LSA; the SVD's cost grows with the vocabulary.
    pub fn max_terms(mut self, n: usize) -> Self {
        self.max_terms = n;
        self
    }
    /// Add word bigrams to the vocabulary.
    pub fn bigrams(mut self, on: bool) -> Self {
        self.bigrams = on;
        self
    }
    /// Map French, Spanish and Portuguese words to English through the glossary, so that
    /// documents in those languages meet English ones.
    pub fn cross_language(mut self, on: bool) -> Self {
        self.cross_language = on;
        self
    }
    /// Use `1 + ln(tf)` instead of raw counts.
    pub fn sublinear_tf(mut self, on: bool) -> Self {
        self.sublinear_tf = on;
        self
    }
    /// LSA dimensions (capped by the corpus size at fit time).
    pub fn dims(mut self, dims: usize) -> Self {
        self.dims = dims;
        self
    }
    /// Fit the SVD on at most this many documents (an even stride through the corpus) and
    /// project all of them into the space it finds: on large archives the SVD's cost grows
    /// with the corpus while the topic space it finds barely changes.
    pub fn svd_sample(mut self, n: usize) -> Self {
        self.svd_sample = n;
        self
    }
    /// Choose the vocabulary from at most about this many documents (evenly spaced chunks of
    /// the corpus); the counts and idf of the terms chosen are then taken over every document.
    /// The pass that chooses them costs as much as the one that counts. On the generated 100k
    /// corpus a sample of 40,000 cut that stage's CPU by a third at the same NMI (1.000); one
    /// of 20,000 cut it by 44 % but k-means then found a worse optimum (NMI 0.935).
    pub fn vocab_sample(mut self, n: usize) -> Self {
        self.vocab_sample = n;
        self
    }
    /// Extra random columns of the randomised SVD.
    pub fn oversample(mut self, n: usize) -> Self {
        self.oversample = n;
        self
    }
    /// Power iterations of the randomised SVD (more: more accurate, slower).
    pub fn power_iterations(mut self, n: usize) -> Self {
        self.power_iterations = n;
        self
    }
    /// Seed of the random projection.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates the parameters.
    pub fn check(self) -> Result<VectorValidParams, VectorError> {
        if self.min_df == 0 {
            return Err(VectorError::InvalidParams(
                "min_df must be at least 1".into(),
            ));
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err(VectorError::InvalidParams(format!(
                "max_df must be in (0, 1], not {}",
                self.max_df
            )));
        }
        if self.dims == 0 || self.max_terms == 0 || self.svd_sample < 2 || self.vocab_sample == 0 {
            return Err(VectorError::InvalidParams(
                "dims, max_terms and vocab_sample must be at least 1, svd_sample at least 2".into(),
            ));
        }
        Ok(VectorValidParams(self))
    }
}

/// Checked [`VectorParams`]; the only way to [`fit`](VectorValidParams::fit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VectorValidParams(VectorParams);

/// Errors of the vector stage.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VectorError {
    /// Invalid parameters.
    #[error("invalid vector parameters: {0}")]
    InvalidParams(String),
    /// Nothing to build vectors from.
    #[error(
        "no terms left to build vectors from ({docs} documents; every term is below min_df or above max_df)"
    )]
    EmptyVocabulary {
        /// Number of documents given.
        docs: usize,
    },
    /// The SVD failed.
    #[error("the SVD failed: {0}")]
    Svd(String),
    /// The file holding a [`Corpus`]'s texts could not be written or read.
    #[error("the corpus's text file: {0}")]
    Io(String),
}

/// The fitted vector model.
#[derive(Debug, Clone)]
pub struct Vectors {
    params: VectorParams,
    /// Vocabulary terms, sorted; a term's index is its column.
    terms: Vec<String>,
    /// Term hash → column.
    term_index: HashIndex<u32>,
    idf: Vec<f32>,
    /// Raw term counts (documents × terms, `u32` columns): the TF-IDF rows are computed from
    /// them when needed ([`Vectors::tfidf_row_at`]), and cluster labels sum them.
    pub counts: svd::Csr,
    /// Each term's count summed over all documents.
    pub term_totals: Vec<f32>,
    /// Dense LSA vectors (documents × dims), L2-normalised rows.
    pub lsa: Array2<f32>,
    /// Right singular vectors (terms × dims): `x · projection` maps a TF-IDF row into the
    /// LSA space of the documents.
    projection: Array2<f32>,
    /// Singular values, descending.
    pub singular_values: Vec<f32>,
}

/// Deterministic 64-bit hash of a word (FNV-1a over its bytes), with the lowest bit clear.
fn term_hash(term: &str) -> u64 {
    fnv1a(FNV_OFFSET, term.as_bytes()) & !1
}

/// Where FNV-1a starts.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over `bytes`, continuing from `h`.
fn fnv1a(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Hash of the bigram `a b` from the hashes of its words (no string is built), with the
/// lowest bit set, so that a hash tells a bigram from a word.
fn bigram_hash(a: u64, b: u64) -> u64 {
    (a.rotate_left(29) ^ b ^ 0x5bd1_e995_9e37_79b9).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1
}

fn is_bigram(h: u64) -> bool {
    h & 1 == 1
}

/// Calls `f(hash, word)` for every term of a text, in order: each stemmed word (`word` is
/// `Some`), followed by the bigram it ends, if any (`word` is `None`; neighbouring words,
/// stop words between them allowed). French, Spanish and Portuguese words are mapped to
/// English through the glossary when `cross_language` is set. Because a bigram always comes
/// right after its second word, a sequence of hashes says which words each bigram joins.
fn for_each_term(
    text: &str,
    analyzer: &Analyzer,
    bigrams: bool,
    cross_language: bool,
    mut f: impl FnMut(u64, Option<&str>),
) {
    let glossary = if cross_language {
        glossary::to_english(analyzer.lang())
    } else {
        None
    };
    let mut prev: Option<(u64, usize)> = None;
    let mut push = |term: &str, position: usize| {
        let h = term_hash(term);
        f(h, Some(term));
        if bigrams {
            if let Some((p, pos)) = prev
                && position - pos <= 2
            {
                f(bigram_hash(p, h), None);
            }
            prev = Some((h, position));
        }
    };
    analyzer.for_each_term(text, |term, _, _, position| {
        match glossary.and_then(|g| g.get(term)) {
            Some(english) => english.iter().for_each(|e| push(e, position)),
            None => push(term, position),
        }
    });
}

/// A fast map keyed by term hashes (already well mixed).
pub(crate) type HashIndex<V> = HashMap<u64, V, FxBuildHasher>;

/// The spelling of each word, by term hash.
pub(crate) type Spellings = HashIndex<Box<str>>;

/// Texts a vector model is fitted on, read in passes: each text is asked for more than once,
/// a range at a time and from several threads, so that a corpus need not be in memory at
/// once (a [`Corpus`] keeps its texts in a file).
pub trait Texts: Sync {
    /// Number of texts.
    fn len(&self) -> usize;

    /// True when there are no texts.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f(i, text, analyser)` for each text `i` of `range`, in order.
    fn each(
        &self,
        range: Range<usize>,
        f: &mut dyn FnMut(usize, &str, &'static Analyzer),
    ) -> Result<(), VectorError>;
}

impl Texts for [Document] {
    fn len(&self) -> usize {
        <[Document]>::len(self)
    }

    fn each(
        &self,
        range: Range<usize>,
        f: &mut dyn FnMut(usize, &str, &'static Analyzer),
    ) -> Result<(), VectorError> {
        for i in range {
            f(i, &topic_text(&self[i]), analyzer_of(&self[i]));
        }
        Ok(())
    }
}

impl Texts for [(String, &'static Analyzer)] {
    fn len(&self) -> usize {
        <[(String, &'static Analyzer)]>::len(self)
    }

    fn each(
        &self,
        range: Range<usize>,
        f: &mut dyn FnMut(usize, &str, &'static Analyzer),
    ) -> Result<(), VectorError> {
        for i in range {
            f(i, &self[i].0, self[i].1);
        }
        Ok(())
    }
}

/// Texts between two prunings of the document-frequency table.
const BUCKET: usize = 8 * CHUNK;

/// The document-frequency table is pruned once it holds this many times more terms than the
/// vocabulary keeps.
const PRUNE_FACTOR: usize = 32;

/// Document frequencies of one chunk of texts (with the last text counted), and the spelling
/// of each word it contains.
struct DfChunk {
    df: HashIndex<(u32, u32)>,
    words: HashIndex<Box<str>>,
}

/// First pass over the texts `range`: their document frequencies.
fn df_chunk<T: Texts + ?Sized>(
    range: Range<usize>,
    texts: &T,
    p: &VectorParams,
) -> Result<DfChunk, VectorError> {
    let mut chunk = DfChunk {
        df: HashIndex::default(),
        words: HashIndex::default(),
    };
    texts.each(range, &mut |i, text, analyzer| {
        for_each_term(text, analyzer, p.bigrams, p.cross_language, |h, word| {
            // Counted once per text: the entry remembers the last text that counted it.
            let (count, last) = chunk.df.entry(h).or_insert((0, u32::MAX));
            if *last != i as u32 {
                *count += 1;
                *last = i as u32;
            }
            if let Some(w) = word {
                chunk.words.entry(h).or_insert_with(|| w.into());
            }
        });
    })?;
    Ok(chunk)
}

/// Term counts of one chunk of texts over the vocabulary, and the two words of the bigrams
/// among `bigrams` that it contains.
struct CountChunk {
    rows: Vec<Vec<(u32, f32)>>,
    pairs: HashIndex<(u64, u64)>,
}

/// Second pass over the texts `range`: counts of the vocabulary's columns (`columns`: term
/// hash → column), each row sorted by column. With `bigrams`, also the words of those bigrams:
/// a bigram follows its second word, and its first word is the last word before that.
fn count_chunk<T: Texts + ?Sized>(
    range: Range<usize>,
    texts: &T,
    p: &VectorParams,
    columns: &HashIndex<u32>,
    bigrams: Option<&HashIndex<()>>,
) -> Result<CountChunk, VectorError> {
    let mut chunk = CountChunk {
        rows: Vec::with_capacity(range.len()),
        pairs: HashIndex::default(),
    };
    texts.each(range, &mut |_, text, analyzer| {
        let mut hashes = Vec::new();
        for_each_term(text, analyzer, p.bigrams, p.cross_language, |h, _| {
            hashes.push(h)
        });
        if let Some(wanted) = bigrams {
            for (i, &h) in hashes.iter().enumerate() {
                if is_bigram(h) && wanted.contains_key(&h) && !chunk.pairs.contains_key(&h) {
                    let second = hashes[i - 1];
                    let first = hashes[..i - 1].iter().rev().find(|&&x| !is_bigram(x));
                    if let Some(&first) = first {
                        chunk.pairs.insert(h, (first, second));
                    }
                }
            }
        }
        hashes.sort_unstable();
        chunk.rows.push(count_hashes(&hashes, columns));
    })?;
    Ok(chunk)
}

/// The analyser of a document's language.
pub fn analyzer_of(doc: &Document) -> &'static Analyzer {
    Analyzer::for_code(doc.language.as_deref())
}

impl VectorValidParams {
    /// The parameters.
    pub fn params(&self) -> &VectorParams {
        &self.0
    }

    /// Builds the model from documents (their [`topic_text`]).
    pub fn fit(&self, docs: &[Document]) -> Result<Vectors, VectorError> {
        self.fit_on(docs)
    }

    /// Builds the model from texts with their analysers.
    pub fn fit_texts(&self, texts: &[(String, &'static Analyzer)]) -> Result<Vectors, VectorError> {
        self.fit_on(texts)
    }

    /// Builds the model from texts read in two passes, holding only what it keeps: the term
    /// counts of the vocabulary (and, during the first pass, a document-frequency table,
    /// pruned on large corpora; see [`VectorValidParams::document_frequencies`]).
    pub fn fit_on<T: Texts + ?Sized>(&self, texts: &T) -> Result<Vectors, VectorError> {
        let p = &self.0;
        let n = texts.len();
        let (kept, words) = self.document_frequencies(texts)?;
        release_free_memory();

        // Second pass: counts over the kept terms, columns in `kept` order for now.
        let columns = columns_of(&kept);
        let wanted: HashIndex<()> = kept
            .iter()
            .filter(|(_, h)| is_bigram(*h))
            .map(|&(_, h)| (h, ()))
            .collect();
        let mut pairs = HashIndex::<(u64, u64)>::default();
        let mut indptr = vec![0];
        let mut indices: Vec<u32> = Vec::new();
        let mut data: Vec<f32> = Vec::new();
        for round in chunk_ranges(0..n).chunks(rayon::current_num_threads()) {
            // Once every bigram's words are known, the texts need not be searched for them.
            let need = (pairs.len() < wanted.len()).then_some(&wanted);
            let chunks = round
                .par_iter()
                .map(|r| count_chunk(r.clone(), texts, p, &columns, need))
                .collect::<Result<Vec<_>, _>>()?;
            for c in chunks {
                for row in c.rows {
                    indices.extend(row.iter().map(|&(i, _)| i));
                    data.extend(row.iter().map(|&(_, v)| v));
                    indptr.push(indices.len());
                }
                for (h, pair) in c.pairs {
                    pairs.entry(h).or_insert(pair);
                }
            }
        }
        drop(columns);
        release_free_memory();
        self.assemble(n, &kept, (words, pairs), (indptr, indices, data))
    }

    /// Builds the model from term counts computed beforehand, by a caller that analyses its
    /// texts anyway: `counts(i)` gives the terms of text `i` as `(hash, count)` sorted by
    /// hash (hashes as [`VectorValidParams::for_each_term`] gives them), and `words` the
    /// spelling of every word hash. The same model as [`VectorValidParams::fit_on`] on the
    /// same texts, except that the document-frequency table is never pruned (the counts are
    /// at hand anyway). Bigrams need the texts: a model with bigrams is refused.
    pub(crate) fn fit_counts(
        &self,
        n: usize,
        counts: &(dyn Fn(usize) -> Vec<(u64, u32)> + Sync),
        words: Spellings,
    ) -> Result<Vectors, VectorError> {
        let p = &self.0;
        if p.bigrams {
            return Err(VectorError::InvalidParams(
                "a model with bigrams is fitted on texts, not on counts".into(),
            ));
        }
        let sample = self.vocab_sample(n);
        let sampled: usize = sample.iter().map(|r| r.len()).sum();
        let tables = sample
            .par_iter()
            .map(|r| {
                let mut df = HashIndex::<u32>::default();
                for i in r.clone() {
                    for (h, _) in counts(i) {
                        *df.entry(h).or_default() += 1;
                    }
                }
                df
            })
            .collect::<Vec<_>>();
        let mut df = HashIndex::<u32>::default();
        for t in tables {
            for (h, d) in t {
                *df.entry(h).or_default() += d;
            }
        }
        let kept = self.select_terms(df.into_iter(), sampled, n)?;
        let columns = columns_of(&kept);
        let rows: Vec<Vec<(u32, f32)>> = (0..n)
            .into_par_iter()
            .map(|i| {
                let mut row: Vec<(u32, f32)> = counts(i)
                    .into_iter()
                    .filter_map(|(h, c)| Some((*columns.get(&h)?, c as f32)))
                    .collect();
                row.sort_unstable_by_key(|&(c, _)| c);
                row
            })
            .collect();
        drop(columns);
        self.assemble(n, &kept, (words, HashIndex::default()), csr_arrays(rows))
    }

    /// The model from the counts of the `kept` terms (`(df, hash)`), given as the
    /// `(indptr, indices, data)` arrays of a CSR matrix (row `i`: text `i`; columns in `kept`
    /// order): columns sorted by spelling, idf, SVD.
    fn assemble(
        &self,
        n: usize,
        kept: &[(u32, u64)],
        (words, pairs): (Spellings, HashIndex<(u64, u64)>),
        (indptr, mut indices, mut data): (Vec<usize>, Vec<u32>, Vec<f32>),
    ) -> Result<Vectors, VectorError> {
        let p = &self.0;
        // Columns in the order of the terms' spellings.
        let spell = |h: u64| -> String {
            match pairs.get(&h) {
                Some((a, b)) => format!("{} {}", words[a], words[b]),
                None => words[&h].to_string(),
            }
        };
        let mut vocab: Vec<(String, u64, usize)> = kept
            .iter()
            .enumerate()
            .map(|(c, &(_, h))| (spell(h), h, c))
            .collect();
        drop((words, pairs));
        vocab.sort_unstable();
        let mut column_of = vec![0u32; vocab.len()];
        for (column, &(_, _, c)) in vocab.iter().enumerate() {
            column_of[c] = column as u32;
        }
        indices
            .par_iter_mut()
            .for_each(|c| *c = column_of[*c as usize]);
        sort_rows(&indptr, &mut indices, &mut data);
        let term_index: HashIndex<u32> = vocab
            .iter()
            .enumerate()
            .map(|(i, (_, h, _))| (*h, i as u32))
            .collect();
        let terms: Vec<String> = vocab.into_iter().map(|(t, _, _)| t).collect();
        let counts = CsMatI::new((n, terms.len()), indptr, indices, data);

        // Document frequencies and totals counted in the second pass, which are exact.
        let mut df = vec![0u32; terms.len()];
        let mut term_totals = vec![0f32; terms.len()];
        for (&c, &v) in counts.indices().iter().zip(counts.data()) {
            df[c as usize] += 1;
            term_totals[c as usize] += v;
        }
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| (((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32)
            .collect();

        let mut vectors = Vectors {
            params: p.clone(),
            terms,
            term_index,
            idf,
            counts,
            term_totals,
            lsa: Array2::zeros((0, 0)),
            projection: Array2::zeros((0, 0)),
            singular_values: Vec::new(),
        };
        // The SVD is fitted on an even stride of the documents (all of them when they fit).
        let stride = n.div_ceil(p.svd_sample);
        let fitted = csr(
            (0..n).step_by(stride).map(|i| vectors.tfidf_row_at(i)),
            vectors.terms.len(),
        );
        let k = p
            .dims
            .min(fitted.rows().saturating_sub(1))
            .min(vectors.terms.len())
            .max(1);
        let decomposition = svd::randomized(&fitted, k, p.oversample, p.power_iterations, p.seed)
            .map_err(VectorError::Svd)?;
        drop(fitted);
        // A V = U S: the documents left out of the sample are projected like new texts.
        let mut lsa = if stride > 1 {
            svd::rows_times_dense(n, &decomposition.v, |i| {
                vectors
                    .tfidf_row_at(i)
                    .into_iter()
                    .map(|(c, v)| (c as usize, v))
            })
        } else {
            decomposition.u_s
        };
        normalize_rows(&mut lsa);
        vectors.lsa = lsa;
        vectors.projection = decomposition.v;
        vectors.singular_values = decomposition.singular_values;
        Ok(vectors)
    }

    /// First pass, over at most about [`VectorParams::vocab_sample`] texts: the terms of the
    /// vocabulary with their document frequencies in them, as
    /// `(df, hash)`, and the spelling of every word (words are never pruned from it: a kept
    /// bigram is spelled from its words). Terms are counted in buckets of texts;
    /// when the table grows past [`PRUNE_FACTOR`] times `max_terms`, it is pruned after the
    /// bucket by lossy counting (Manku and Motwani 2002): a term goes when its count, plus the
    /// buckets that went by before it was last inserted, is at most the buckets read, so that
    /// a term dropped was in at most that many texts, and a term kept misses at most that many
    /// from its count. What goes is the tail of rare bigrams; the counts this choice is made on
    /// are exact on corpora too small for pruning, and the idf of the terms kept is always
    /// counted exactly in the second pass.
    fn document_frequencies<T: Texts + ?Sized>(
        &self,
        texts: &T,
    ) -> Result<(Vec<(u32, u64)>, Spellings), VectorError> {
        let p = &self.0;
        let n = texts.len();
        let limit = p.max_terms.saturating_mul(PRUNE_FACTOR);
        let sample = self.vocab_sample(n);
        let sampled: usize = sample.iter().map(|r| r.len()).sum();
        // Per term: documents counted, and buckets read before it was last inserted.
        let mut df = HashIndex::<(u32, u32)>::default();
        let mut words = HashIndex::<Box<str>>::default();
        for (bucket, ranges) in sample.chunks(BUCKET / CHUNK).enumerate() {
            // A round of chunks at a time, so that few chunk tables are alive at once.
            for round in ranges.chunks(rayon::current_num_threads()) {
                let chunks = round
                    .par_iter()
                    .map(|r| df_chunk(r.clone(), texts, p))
                    .collect::<Result<Vec<_>, _>>()?;
                // Sums and spellings do not depend on the chunking, so neither does the result.
                for c in chunks {
                    for (h, (d, _)) in c.df {
                        df.entry(h).or_insert((0, bucket as u32)).0 += d;
                    }
                    for (h, w) in c.words {
                        words.entry(h).or_insert(w);
                    }
                }
            }
            if df.len() > limit {
                let read = bucket as u32 + 1;
                df.retain(|_, &mut (d, before)| d + before > read);
                df.shrink_to_fit();
            }
        }
        let kept = self.select_terms(df.into_iter().map(|(h, (d, _))| (h, d)), sampled, n)?;
        Ok((kept, words))
    }

    /// The texts the vocabulary is chosen on: every `stride`-th chunk of texts, about
    /// [`VectorParams::vocab_sample`] of them (all of them on smaller corpora).
    fn vocab_sample(&self, n: usize) -> Vec<Range<usize>> {
        let all = chunk_ranges(0..n);
        let stride = all.len().div_ceil(self.0.vocab_sample.div_ceil(CHUNK));
        all.into_iter().step_by(stride.max(1)).collect()
    }

    /// The vocabulary, as `(df, hash)`, from the document frequencies (`(hash, df)`) in
    /// `sampled` of the `n` texts: terms within `min_df` and `max_df`, at most `max_terms` of
    /// them; an error when none is left.
    fn select_terms(
        &self,
        df: impl Iterator<Item = (u64, u32)>,
        sampled: usize,
        n: usize,
    ) -> Result<Vec<(u32, u64)>, VectorError> {
        let p = &self.0;
        let max_df = ((p.max_df * sampled as f64).floor() as u32).max(1);
        let mut kept: Vec<(u32, u64)> = df
            .filter(|&(_, d)| d as usize >= p.min_df && d <= max_df)
            .map(|(h, d)| (d, h))
            .collect();
        if kept.len() > p.max_terms {
            // The terms in most documents; ties by hash, which is deterministic.
            kept.select_nth_unstable_by(p.max_terms - 1, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            kept.truncate(p.max_terms);
        }
        if kept.is_empty() {
            return Err(VectorError::EmptyVocabulary { docs: n });
        }
        Ok(kept)
    }

    /// Calls `f(hash, word)` for every term of a text as this model counts it (see
    /// [`for_each_term`]): for callers that analyse texts once for several uses.
    pub(crate) fn for_each_term(
        &self,
        text: &str,
        analyzer: &Analyzer,
        f: impl FnMut(u64, Option<&str>),
    ) {
        for_each_term(text, analyzer, self.0.bigrams, self.0.cross_language, f);
    }
}

/// Hands the memory freed so far back to the system. glibc keeps what a pass's chunk tables
/// and rows freed in its per-thread arenas (40–60 MB at 100,000 documents), which would
/// otherwise sit under everything the next pass and the SVD allocate. Under another global
/// allocator (this project's binaries use mimalloc, which returns freed pages by itself) it
/// does nothing.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// `range` cut into chunks of [`CHUNK`] texts.
fn chunk_ranges(range: Range<usize>) -> Vec<Range<usize>> {
    range
        .clone()
        .step_by(CHUNK)
        .map(|from| from..(from + CHUNK).min(range.end))
        .collect()
}

/// Sorts each row of a CSR matrix by column (indices and values together).
fn sort_rows(indptr: &[usize], indices: &mut [u32], data: &mut [f32]) {
    let mut pairs: Vec<(u32, f32)> = Vec::new();
    for w in indptr.windows(2) {
        let (from, to) = (w[0], w[1]);
        pairs.clear();
        pairs.extend(
            indices[from..to]
                .iter()
                .copied()
                .zip(data[from..to].iter().copied()),
        );
        pairs.sort_unstable_by_key(|&(c, _)| c);
        for (k, (c, v)) in pairs.iter().enumerate() {
            indices[from + k] = *c;
            data[from + k] = *v;
        }
    }
}

/// Counts of vocabulary columns from a text's sorted term hashes (sorted by column).
fn count_hashes(hashes: &[u64], index: &HashIndex<u32>) -> Vec<(u32, f32)> {
    let mut row: Vec<(u32, f32)> = Vec::new();
    for run in hashes.chunk_by(|a, b| a == b) {
        if let Some(&i) = index.get(&run[0]) {
            row.push((i, run.len() as f32));
        }
    }
    row.sort_unstable_by_key(|&(i, _)| i);
    row
}

fn weight_row(mut row: Vec<(u32, f32)>, idf: &[f32], sublinear: bool) -> Vec<(u32, f32)> {
    for (i, v) in row.iter_mut() {
        let tf = if sublinear { 1.0 + v.ln() } else { *v };
        *v = tf * idf[*i as usize];
    }
    let norm = row.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        row.iter_mut().for_each(|(_, v)| *v /= norm);
    }
    row
}

/// Term hash → column, for the vocabulary `kept` (`(df, hash)`) in its order.
fn columns_of(kept: &[(u32, u64)]) -> HashIndex<u32> {
    kept.iter()
        .enumerate()
        .map(|(c, &(_, h))| (h, c as u32))
        .collect()
}

/// The `(indptr, indices, data)` arrays of a CSR matrix from its rows.
fn csr_arrays(rows: impl IntoIterator<Item = Vec<(u32, f32)>>) -> (Vec<usize>, Vec<u32>, Vec<f32>) {
    let mut indptr = vec![0];
    let mut indices = Vec::new();
    let mut data = Vec::new();
    for row in rows {
        indices.extend(row.iter().map(|&(i, _)| i));
        data.extend(row.iter().map(|&(_, v)| v));
        indptr.push(indices.len());
    }
    (indptr, indices, data)
}

/// A CSR matrix of `m` columns from its rows (each sorted by column).
fn csr(rows: impl Iterator<Item = Vec<(u32, f32)>>, m: usize) -> svd::Csr {
    let (indptr, indices, data) = csr_arrays(rows);
    CsMatI::new((indptr.len() - 1, m), indptr, indices, data)
}

/// L2-normalises every row in place (zero rows stay zero).
pub fn normalize_rows(m: &mut Array2<f32>) {
    m.axis_iter_mut(Axis(0))
        .into_par_iter()
        .for_each(|mut row| {
            let norm = row.dot(&row).sqrt();
            if norm > 0.0 {
                row /= norm;
            }
        });
}

impl Vectors {
    /// Number of documents.
    pub fn len(&self) -> usize {
        self.lsa.nrows()
    }

    /// True when the model holds no documents.
    pub fn is_empty(&self) -> bool {
        self.lsa.nrows() == 0
    }

    /// The vocabulary term of a column.
    pub fn term(&self, column: usize) -> &str {
        &self.terms[column]
    }

    /// The parameters the model was fitted with.
    pub fn params(&self) -> &VectorParams {
        &self.params
    }

    /// The TF-IDF row of a new text (sorted column indices and weights, L2-normalised);
    /// words outside the vocabulary are ignored.
    pub fn tfidf_row(&self, text: &str, analyzer: &Analyzer) -> Vec<(u32, f32)> {
        let p = &self.params;
        let mut hashes = Vec::new();
        for_each_term(text, analyzer, p.bigrams, p.cross_language, |h, _| {
            hashes.push(h)
        });
        hashes.sort_unstable();
        self.tfidf_row_of_hashes(&hashes)
    }

    /// The TF-IDF row of a text analysed beforehand: its term hashes, sorted (see
    /// [`VectorValidParams::for_each_term`]).
    pub(crate) fn tfidf_row_of_hashes(&self, sorted: &[u64]) -> Vec<(u32, f32)> {
        let row = count_hashes(sorted, &self.term_index);
        weight_row(row, &self.idf, self.params.sublinear_tf)
    }

    /// The TF-IDF row of document `i` (sorted column indices and weights, L2-normalised).
    pub fn tfidf_row_at(&self, i: usize) -> Vec<(u32, f32)> {
        let row = self.counts.outer_view(i).map_or_else(Vec::new, |r| {
            r.indices()
                .iter()
                .copied()
                .zip(r.data().iter().copied())
                .collect()
        });
        weight_row(row, &self.idf, self.params.sublinear_tf)
    }

    /// Maps a new text into LSA space (L2-normalised; zero if no word is known).
    pub fn project(&self, text: &str, analyzer: &Analyzer) -> Array1<f32> {
        let row = self.tfidf_row(text, analyzer);
        let mut v = Array1::<f32>::zeros(self.projection.ncols());
        for (i, w) in row {
            v.scaled_add(w, &self.projection.row(i as usize));
        }
        let norm = v.dot(&v).sqrt();
        if norm > 0.0 {
            v /= norm;
        }
        v
    }
}

impl Vectors {
    /// The most frequent spelling of some vocabulary terms in the given texts (lower-cased
    /// words as written, e.g. `communities` for the stem `communiti`), for labels people read.
    pub fn surface_forms(
        &self,
        texts: &[(String, &'static Analyzer)],
        columns: &[usize],
    ) -> HashMap<usize, String> {
        let wanted: HashMap<&str, usize> = columns
            .iter()
            .map(|&c| (self.terms[c].as_str(), c))
            .collect();
        let mut seen: HashMap<(usize, String), usize> = HashMap::new();
        for (text, analyzer) in texts {
            let mut prev: Option<(String, usize, usize)> = None;
            analyzer.for_each_token(text, |t| {
                let word = text[t.from..t.to].to_lowercase();
                if let Some(&c) = wanted.get(t.term.as_str()) {
                    *seen.entry((c, word.clone())).or_default() += 1;
                }
                if let Some((p, from, pos)) = &prev
                    && t.position - pos <= 2
                    && let Some(&c) = wanted.get(format!("{p} {}", t.term).as_str())
                {
                    let phrase = text[*from..t.to]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    *seen.entry((c, phrase.to_lowercase())).or_default() += 1;
                }
                prev = Some((t.term, t.from, t.position));
            });
        }
        let mut best: HashMap<usize, (usize, String)> = HashMap::new();
        for ((c, word), n) in seen {
            let e = best.entry(c).or_insert((0, String::new()));
            if n > e.0 || (n == e.0 && word < e.1) {
                *e = (n, word);
            }
        }
        columns
            .iter()
            .map(|&c| {
                (
                    c,
                    best.remove(&c)
                        .map_or_else(|| self.terms[c].clone(), |(_, w)| w),
                )
            })
            .collect()
    }
}

/// Cosine of two L2-normalised vectors.
pub fn cosine(a: ArrayView1<f32>, b: ArrayView1<f32>) -> f32 {
    a.dot(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn doc(id: &str, text: &str) -> Document {
        let mut d = Document::new(id, Kind::Proposal, text);
        d.language = Some("en".into());
        d
    }

    fn docs() -> Vec<Document> {
        [
            "Community networks connect rural villages with spectrum and local operators.",
            "Spectrum policy and community networks for rural connectivity.",
            "Rural connectivity needs community networks and cheaper spectrum licences.",
            "Cross-border data flows need trust and data protection rules.",
            "Data protection rules make cross-border data flows trusted.",
            "Trust in cross-border data flows depends on data protection.",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| doc(&i.to_string(), t))
        .collect()
    }

    #[test]
    fn invalid_params_are_refused() {
        assert!(VectorParams::new().min_df(0).check().is_err());
        assert!(VectorParams::new().max_df(0.0).check().is_err());
        assert!(VectorParams::new().max_df(1.5).check().is_err());
        assert!(VectorParams::new().dims(0).check().is_err());
        assert!(VectorParams::new().vocab_sample(0).check().is_err());
    }

    #[test]
    fn topics_separate_and_questions_project_near_their_documents() {
        let v = VectorParams::new()
            .dims(3)
            .check()
            .unwrap()
            .fit(&docs())
            .unwrap();
        assert_eq!(v.lsa.nrows(), 6);
        let same = cosine(v.lsa.row(0), v.lsa.row(1));
        let other = cosine(v.lsa.row(0), v.lsa.row(4));
        assert!(same > other + 0.3, "same topic {same}, other topic {other}");
        let q = v.project(
            "How can community networks use spectrum?",
            Analyzer::get(crate::analysis::Lang::En),
        );
        assert!(cosine(q.view(), v.lsa.row(1)) > cosine(q.view(), v.lsa.row(4)));
        assert!(
            v.terms.contains(&"data flow".to_string()),
            "bigrams are in the vocabulary"
        );
    }

    #[test]
    fn rows_are_normalised_and_the_fit_is_deterministic() {
        let p = VectorParams::new().dims(3).check().unwrap();
        let a = p.fit(&docs()).unwrap();
        let b = p.fit(&docs()).unwrap();
        assert_eq!(a.lsa, b.lsa);
        for row in a.lsa.rows() {
            assert!((row.dot(&row) - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn max_terms_keeps_the_terms_in_most_documents() {
        let fit = |max: usize| {
            VectorParams::new()
                .max_terms(max)
                .dims(2)
                .check()
                .unwrap()
                .fit(&docs())
                .unwrap()
        };
        let (all, few) = (fit(usize::MAX), fit(4));
        assert_eq!(few.terms.len(), 4);
        let df = |term: &str| {
            let c = all.terms.iter().position(|t| t == term).unwrap();
            all.counts
                .outer_iterator()
                .filter(|r| r.get(c).is_some())
                .count()
        };
        let kept = few.terms.iter().map(|t| df(t)).min().unwrap();
        let dropped = all
            .terms
            .iter()
            .filter(|t| !few.terms.contains(t))
            .map(|t| df(t))
            .max()
            .unwrap();
        assert!(kept >= dropped, "kept df {kept} < dropped df {dropped}");
        assert!(
            all.terms.iter().any(|t| t.contains(' ')),
            "bigrams spelled out"
        );
    }

    #[test]
    fn svd_on_a_sample_projects_the_rest_into_the_same_space() {
        let all = VectorParams::new().dims(2).check().unwrap();
        let sampled = VectorParams::new().dims(2).svd_sample(3).check().unwrap();
        let (a, b) = (all.fit(&docs()).unwrap(), sampled.fit(&docs()).unwrap());
        assert_eq!(b.lsa.nrows(), 6);
        // Fitted on documents 0, 2 and 4, the space still separates the two topics for all.
        for v in [&a, &b] {
            let same = cosine(v.lsa.row(1), v.lsa.row(2));
            let other = cosine(v.lsa.row(1), v.lsa.row(3));
            assert!(same > other + 0.3, "same topic {same}, other topic {other}");
        }
    }

    /// 4,096 documents (four chunks of texts): the six of [`docs`] over and over.
    fn repeated() -> Vec<Document> {
        (0..4096)
            .map(|i| doc(&format!("{i:04}"), &docs()[i % 6].text))
            .collect()
    }

    #[test]
    fn vocabulary_chosen_on_a_sample_counts_every_document() {
        // A word seen in two documents only, outside the sample (chunks 0 and 2 of four).
        let mut corpus = repeated();
        for d in &mut corpus[1500..1502] {
            d.text = format!("{} Zanzibar zanzibar.", d.text).into();
        }
        let all = VectorParams::new().dims(2).check().unwrap();
        let sampled = VectorParams::new()
            .dims(2)
            .vocab_sample(2048)
            .check()
            .unwrap();
        let (a, b) = (all.fit(&corpus).unwrap(), sampled.fit(&corpus).unwrap());
        assert!(a.terms.iter().any(|t| t == "zanzibar"));
        assert!(!b.terms.iter().any(|t| t == "zanzibar"));
        // Every other term (not its bigrams either) is kept, and counted over all 4,096
        // documents.
        let seen = |t: &String| !t.contains("zanzibar");
        let others: Vec<&String> = a.terms.iter().filter(|t| seen(t)).collect();
        assert_eq!(others, b.terms.iter().collect::<Vec<_>>());
        let total = |v: &Vectors, term: &str| {
            v.term_totals[v.terms.iter().position(|t| t == term).unwrap()]
        };
        assert_eq!(total(&a, "spectrum"), total(&b, "spectrum"));
        assert_eq!(
            b.idf,
            a.idf
                .iter()
                .enumerate()
                .filter(|&(c, _)| seen(&a.terms[c]))
                .map(|(_, &v)| v)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_model_fitted_on_counts_is_the_model_fitted_on_the_texts() {
        // Vocabulary on a sample, min_df 2: both selections are exercised.
        let mut corpus = repeated();
        for d in &mut corpus[0..3] {
            d.text = format!("{} Zanzibar zanzibar, and glaciers.", d.text).into();
        }
        corpus[5].text = format!("{} Kilimanjaro.", corpus[5].text).into();
        let params = VectorParams::new()
            .dims(2)
            .min_df(2)
            .bigrams(false)
            .vocab_sample(2048)
            .check()
            .unwrap();
        let texts: Vec<(String, &'static Analyzer)> = corpus
            .iter()
            .map(|d| (topic_text(d), analyzer_of(d)))
            .collect();
        let mut words = Spellings::default();
        let hashes: Vec<Vec<u64>> = texts
            .iter()
            .map(|(text, analyzer)| {
                let mut h = Vec::new();
                params.for_each_term(text, analyzer, |x, word| {
                    h.push(x);
                    if let Some(w) = word {
                        words.entry(x).or_insert_with(|| w.into());
                    }
                });
                h.sort_unstable();
                h
            })
            .collect();
        let counts = |i: usize| -> Vec<(u64, u32)> {
            hashes[i]
                .chunk_by(|a, b| a == b)
                .map(|run| (run[0], run.len() as u32))
                .collect()
        };
        let (a, b) = (
            params.fit_texts(&texts).unwrap(),
            params.fit_counts(corpus.len(), &counts, words).unwrap(),
        );
        assert!(a.terms.iter().any(|t| t == "zanzibar"));
        assert!(!a.terms.iter().any(|t| t == "kilimanjaro"), "below min_df");
        assert_eq!(a.terms, b.terms);
        assert_eq!(a.idf, b.idf);
        assert_eq!(a.term_totals, b.term_totals);
        assert_eq!(a.lsa, b.lsa);
        for i in [0, 1, 4095] {
            assert_eq!(a.tfidf_row_at(i), b.tfidf_row_at(i));
            let (text, analyzer) = &texts[i];
            assert_eq!(
                a.tfidf_row(text, analyzer),
                b.tfidf_row_of_hashes(&hashes[i])
            );
        }
        // Bigrams cannot be spelled from counts.
        let with_bigrams = VectorParams::new().bigrams(true).check().unwrap();
        assert!(matches!(
            with_bigrams.fit_counts(corpus.len(), &counts, Spellings::default()),
            Err(VectorError::InvalidParams(_))
        ));
    }

    #[test]
    fn empty_vocabulary_is_an_error() {
        let d = vec![doc("a", "alpha beta"), doc("b", "gamma delta")];
        let err = VectorParams::new().check().unwrap().fit(&d).unwrap_err();
        assert!(matches!(err, VectorError::EmptyVocabulary { docs: 2 }));
    }

    #[test]
    fn topic_text_skips_people_and_logistics() {
        let text = "IGF 2026 WS #1 Spectrum for villages\n\nSpeaker 1: Ana Ruiz, Government, GRULAC\n\nFormat\n\nRound Table - 90 Min\n\nDescription:\nCommunity networks need spectrum.";
        let d = crate::ingest::record::convert(
            serde_json::json!({"id": "x", "text": text})
                .as_object()
                .unwrap()
                .clone(),
            &Default::default(),
        )
        .unwrap()
        .document;
        let t = topic_text(&d);
        assert!(t.contains("Community networks need spectrum."));
        assert!(!t.contains("Ana Ruiz") && !t.contains("Round Table"), "{t}");
    }
}

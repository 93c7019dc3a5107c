//! Document vectors: TF-IDF over the shared analysis pipeline, then LSA.
//!
//! [`VectorParams`] → [`VectorParams::check`] → [`VectorValidParams::fit`] builds a
//! [`Vectors`] model from documents: a vocabulary (stemmed words and word bigrams within a
//! document-frequency window), the sparse L2-normalised TF-IDF matrix (sublinear tf, smoothed
//! idf) and its truncated SVD (randomised, seeded: [`svd`]), giving one L2-normalised dense
//! vector per document. [`Vectors::project`] maps any new text (a policy question) into the
//! same space. Everything is deterministic for a given seed, whatever the thread count.

pub mod svd;

use std::borrow::Cow;
use std::collections::HashMap;

use ndarray::{Array1, Array2, ArrayView1, Axis};
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use serde::Serialize;
use sprs::CsMat;

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
/// (those in most documents), bigrams on,
/// cross-language glossary on, sublinear tf, 100 dimensions, 10 oversampling columns, 2 power iterations, seed 42.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VectorParams {
    min_df: usize,
    max_df: f64,
    max_terms: usize,
    bigrams: bool,
    cross_language: bool,
    sublinear_tf: bool,
    dims: usize,
    svd_sample: usize,
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
        if self.dims == 0 || self.max_terms == 0 || self.svd_sample < 2 {
            return Err(VectorError::InvalidParams(
                "dims and max_terms must be at least 1, svd_sample at least 2".into(),
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
    /// Sparse TF-IDF rows (documents × terms), L2-normalised.
    pub tfidf: CsMat<f32>,
    /// Raw term counts (documents × terms), for cluster labels.
    pub counts: CsMat<f32>,
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
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in term.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h & !1
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
type HashIndex<V> = HashMap<u64, V, FxBuildHasher>;

/// What one chunk of texts holds: each text's term hashes in text order, the chunk's
/// document frequencies, and the spelling of each word it contains.
struct Chunk {
    sequences: Vec<Vec<u64>>,
    /// Document frequency, and the last text counted.
    df: HashIndex<(u32, usize)>,
    words: HashIndex<Box<str>>,
}

/// Tokenises the texts `range` of a corpus.
fn hash_chunk<'t>(
    range: std::ops::Range<usize>,
    text_of: &(impl Fn(usize) -> (Cow<'t, str>, &'static Analyzer) + Sync),
    p: &VectorParams,
) -> Chunk {
    let mut chunk = Chunk {
        sequences: Vec::with_capacity(range.len()),
        df: HashIndex::default(),
        words: HashIndex::default(),
    };
    for i in range {
        let (text, analyzer) = text_of(i);
        let mut sequence = Vec::new();
        for_each_term(&text, analyzer, p.bigrams, p.cross_language, |h, word| {
            sequence.push(h);
            // Counted once per text: the entry remembers the last text that counted it.
            let (count, last) = chunk.df.entry(h).or_insert((0, usize::MAX));
            if *last != i {
                *count += 1;
                *last = i;
            }
            if let Some(w) = word {
                chunk.words.entry(h).or_insert_with(|| w.into());
            }
        });
        chunk.sequences.push(sequence);
    }
    chunk
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
        self.fit_with(docs.len(), |i| {
            (Cow::Owned(topic_text(&docs[i])), analyzer_of(&docs[i]))
        })
    }

    /// Builds the model from texts with their analysers.
    pub fn fit_texts(&self, texts: &[(String, &'static Analyzer)]) -> Result<Vectors, VectorError> {
        self.fit_with(texts.len(), |i| {
            (Cow::Borrowed(texts[i].0.as_str()), texts[i].1)
        })
    }

    /// Builds the model from `n` texts given one at a time (so that they need not all be in
    /// memory at once).
    fn fit_with<'t>(
        &self,
        n: usize,
        text_of: impl Fn(usize) -> (Cow<'t, str>, &'static Analyzer) + Sync,
    ) -> Result<Vectors, VectorError> {
        let p = &self.0;
        // One tokenising pass, in chunks of texts; chunk tables are merged a round at a time
        // (sums and spellings do not depend on the chunking, so neither does the result).
        let threads = rayon::current_num_threads();
        let ranges: Vec<_> = (0..n)
            .step_by(CHUNK)
            .map(|from| from..(from + CHUNK).min(n))
            .collect();
        let mut sequences: Vec<Vec<u64>> = Vec::with_capacity(n);
        let mut df = HashIndex::<u32>::default();
        let mut words = HashIndex::<Box<str>>::default();
        for round in ranges.chunks(threads) {
            let chunks: Vec<Chunk> = round
                .par_iter()
                .map(|r| hash_chunk(r.clone(), &text_of, p))
                .collect();
            for c in chunks {
                sequences.extend(c.sequences);
                for (h, (d, _)) in c.df {
                    *df.entry(h).or_default() += d;
                }
                for (h, w) in c.words {
                    words.entry(h).or_insert(w);
                }
            }
        }
        let max_df = ((p.max_df * n as f64).floor() as u32).max(1);
        let mut kept: Vec<(u32, u64)> = df
            .iter()
            .filter(|&(_, &d)| d as usize >= p.min_df && d <= max_df)
            .map(|(&h, &d)| (d, h))
            .collect();
        drop(df);
        if kept.is_empty() {
            return Err(VectorError::EmptyVocabulary { docs: n });
        }
        if kept.len() > p.max_terms {
            // The terms in most documents; ties by hash, which is deterministic.
            kept.select_nth_unstable_by(p.max_terms - 1, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            kept.truncate(p.max_terms);
        }
        let pairs = bigram_words(&sequences, &kept);
        let spell = |h: u64| -> String {
            match pairs.get(&h) {
                Some((a, b)) => format!("{} {}", words[a], words[b]),
                None => words[&h].to_string(),
            }
        };
        let mut vocab: Vec<(String, u64, u32)> =
            kept.into_iter().map(|(d, h)| (spell(h), h, d)).collect();
        drop(words);
        vocab.sort_unstable();
        let term_index: HashIndex<u32> = vocab
            .iter()
            .enumerate()
            .map(|(i, (_, h, _))| (*h, i as u32))
            .collect();
        let idf: Vec<f32> = vocab
            .iter()
            .map(|(_, _, df)| (((1 + n) as f64 / (1 + *df) as f64).ln() + 1.0) as f32)
            .collect();
        let terms: Vec<String> = vocab.into_iter().map(|(t, _, _)| t).collect();

        // Per-document counts over the vocabulary, from the hashes.
        let rows: Vec<Vec<(u32, f32)>> = sequences
            .into_par_iter()
            .map(|mut hashes| {
                hashes.sort_unstable();
                count_hashes(&hashes, &term_index)
            })
            .collect();
        let counts = csr(&rows, n, terms.len());
        let mut term_totals = vec![0f32; terms.len()];
        for row in &rows {
            for &(i, c) in row {
                term_totals[i as usize] += c;
            }
        }
        let weighted: Vec<Vec<(u32, f32)>> = rows
            .into_par_iter()
            .map(|row| weight_row(row, &idf, p.sublinear_tf))
            .collect();
        let tfidf = csr(&weighted, n, terms.len());
        let stride = n.div_ceil(p.svd_sample);
        let sample = (stride > 1).then(|| {
            let rows: Vec<_> = weighted.into_iter().step_by(stride).collect();
            csr(&rows, rows.len(), terms.len())
        });
        let fitted = sample.as_ref().unwrap_or(&tfidf);

        let k = p
            .dims
            .min(fitted.rows().saturating_sub(1))
            .min(terms.len())
            .max(1);
        let decomposition = svd::randomized(fitted, k, p.oversample, p.power_iterations, p.seed)
            .map_err(VectorError::Svd)?;
        // A V = U S: the documents left out of the sample are projected like new texts.
        let mut lsa = match sample {
            Some(_) => svd::sparse_dense(&tfidf, &decomposition.v),
            None => decomposition.u_s,
        };
        normalize_rows(&mut lsa);
        Ok(Vectors {
            params: p.clone(),
            terms,
            term_index,
            idf,
            tfidf,
            counts,
            term_totals,
            lsa,
            projection: decomposition.v,
            singular_values: decomposition.singular_values,
        })
    }
}

/// The two words of each bigram among `kept`, read from the sequences: a bigram follows its
/// second word, and its first word is the last word before that.
fn bigram_words(sequences: &[Vec<u64>], kept: &[(u32, u64)]) -> HashIndex<(u64, u64)> {
    let wanted: HashIndex<()> = kept
        .iter()
        .filter(|(_, h)| is_bigram(*h))
        .map(|&(_, h)| (h, ()))
        .collect();
    let mut found = HashIndex::default();
    for seq in sequences {
        if found.len() == wanted.len() {
            break;
        }
        for (i, &h) in seq.iter().enumerate() {
            if is_bigram(h) && wanted.contains_key(&h) && !found.contains_key(&h) {
                let second = seq[i - 1];
                let first = seq[..i - 1].iter().rev().find(|&&x| !is_bigram(x));
                if let Some(&first) = first {
                    found.insert(h, (first, second));
                }
            }
        }
    }
    found
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

fn csr(rows: &[Vec<(u32, f32)>], n: usize, m: usize) -> CsMat<f32> {
    let nnz = rows.iter().map(Vec::len).sum();
    let mut indptr = Vec::with_capacity(n + 1);
    let mut indices = Vec::with_capacity(nnz);
    let mut data = Vec::with_capacity(nnz);
    indptr.push(0);
    for row in rows {
        for &(i, v) in row {
            indices.push(i as usize);
            data.push(v);
        }
        indptr.push(indices.len());
    }
    CsMat::new((n, m), indptr, indices, data)
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
        let row = count_hashes(&hashes, &self.term_index);
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

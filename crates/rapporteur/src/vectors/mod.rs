//! Document vectors: TF-IDF over the shared analysis pipeline, then LSA.
//!
//! [`VectorParams`] → [`VectorParams::check`] → [`VectorValidParams::fit`] builds a
//! [`Vectors`] model from documents: a vocabulary (stemmed words and word bigrams within a
//! document-frequency window), the sparse L2-normalised TF-IDF matrix (sublinear tf, smoothed
//! idf) and its truncated SVD (randomised, seeded: [`svd`]), giving one L2-normalised dense
//! vector per document. [`Vectors::project`] maps any new text (a policy question) into the
//! same space. Everything is deterministic for a given seed, whatever the thread count.

pub mod svd;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use ndarray::{Array1, Array2, ArrayView1, Axis};
use rayon::prelude::*;
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

/// Parameters of the vector model. Defaults: `min_df` 2, `max_df` 0.9, bigrams on,
/// cross-language glossary on, sublinear tf, 100 dimensions, 10 oversampling columns, 2 power iterations, seed 42.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VectorParams {
    min_df: usize,
    max_df: f64,
    bigrams: bool,
    cross_language: bool,
    sublinear_tf: bool,
    dims: usize,
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
            bigrams: true,
            cross_language: true,
            sublinear_tf: true,
            dims: 100,
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
        if self.dims == 0 {
            return Err(VectorError::InvalidParams("dims must be at least 1".into()));
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
    term_index: HashMap<String, u32>,
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

/// Deterministic 64-bit hash of a term (FNV-1a), used to count terms before the vocabulary
/// is known.
fn term_hash(term: &str) -> u64 {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    term.hash(&mut h);
    h.0
}

struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Emits unigrams and, if asked, bigrams of neighbouring terms (stop words between them
/// allowed), as `"a b"`.
struct Terms<F: FnMut(&str)> {
    f: F,
    bigrams: bool,
    prev: Option<(String, usize)>,
    bigram: String,
}

impl<F: FnMut(&str)> Terms<F> {
    fn push(&mut self, term: &str, position: usize) {
        (self.f)(term);
        if !self.bigrams {
            return;
        }
        if let Some((p, pos)) = &self.prev
            && position - pos <= 2
        {
            self.bigram.clear();
            self.bigram.push_str(p);
            self.bigram.push(' ');
            self.bigram.push_str(term);
            (self.f)(&self.bigram);
        }
        self.prev = Some((term.to_string(), position));
    }
}

/// Calls `f` with every term of a text: stemmed words and bigrams, with French, Spanish and
/// Portuguese words mapped to English through the glossary when `cross_language` is set.
fn for_each_term(
    text: &str,
    analyzer: &Analyzer,
    bigrams: bool,
    cross_language: bool,
    f: impl FnMut(&str),
) {
    let glossary = if cross_language {
        glossary::to_english(analyzer.lang())
    } else {
        None
    };
    let mut terms = Terms {
        f,
        bigrams,
        prev: None,
        bigram: String::new(),
    };
    analyzer.for_each_token(text, |t| match glossary.and_then(|g| g.get(&t.term)) {
        Some(english) => english.iter().for_each(|e| terms.push(e, t.position)),
        None => terms.push(&t.term, t.position),
    });
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
        let texts: Vec<(String, &'static Analyzer)> = docs
            .par_iter()
            .map(|d| (topic_text(d), analyzer_of(d)))
            .collect();
        self.fit_texts(&texts)
    }

    /// Builds the model from texts with their analysers.
    pub fn fit_texts(&self, texts: &[(String, &'static Analyzer)]) -> Result<Vectors, VectorError> {
        let p = &self.0;
        let n = texts.len();
        // Pass 1: document frequencies of term hashes, keeping one spelling per hash.
        let df: HashMap<u64, (u32, String)> = texts
            .par_iter()
            .fold(
                HashMap::new,
                |mut acc: HashMap<u64, (u32, String)>, (text, analyzer)| {
                    let mut seen = std::collections::HashSet::new();
                    for_each_term(text, analyzer, p.bigrams, p.cross_language, |term| {
                        let h = term_hash(term);
                        if seen.insert(h) {
                            acc.entry(h).or_insert_with(|| (0, term.to_string())).0 += 1;
                        }
                    });
                    acc
                },
            )
            .reduce(HashMap::new, |mut a, b| {
                for (h, (n, term)) in b {
                    a.entry(h).or_insert((0, term)).0 += n;
                }
                a
            });
        let max_df = (p.max_df * n as f64).floor() as u32;
        let mut vocab: Vec<(String, u32)> = df
            .into_values()
            .filter(|(n, _)| *n as usize >= p.min_df && *n <= max_df.max(1))
            .map(|(n, t)| (t, n))
            .collect();
        if vocab.is_empty() {
            return Err(VectorError::EmptyVocabulary { docs: n });
        }
        vocab.sort();
        let term_index: HashMap<String, u32> = vocab
            .iter()
            .enumerate()
            .map(|(i, (t, _))| (t.clone(), i as u32))
            .collect();
        let idf: Vec<f32> = vocab
            .iter()
            .map(|(_, df)| (((1 + n) as f64 / (1 + *df) as f64).ln() + 1.0) as f32)
            .collect();
        let terms: Vec<String> = vocab.into_iter().map(|(t, _)| t).collect();

        // Pass 2: per-document counts over the vocabulary.
        let rows: Vec<Vec<(u32, f32)>> = texts
            .par_iter()
            .map(|(text, analyzer)| count_row(text, analyzer, p, &term_index))
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

        let k = p.dims.min(n.saturating_sub(1)).min(terms.len()).max(1);
        let decomposition = svd::randomized(&tfidf, k, p.oversample, p.power_iterations, p.seed)
            .map_err(VectorError::Svd)?;
        let mut lsa = decomposition.u_s;
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

fn count_row(
    text: &str,
    analyzer: &Analyzer,
    p: &VectorParams,
    index: &HashMap<String, u32>,
) -> Vec<(u32, f32)> {
    let mut counts: HashMap<u32, f32> = HashMap::new();
    for_each_term(text, analyzer, p.bigrams, p.cross_language, |term| {
        if let Some(&i) = index.get(term) {
            *counts.entry(i).or_default() += 1.0;
        }
    });
    let mut row: Vec<(u32, f32)> = counts.into_iter().collect();
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
        let row = count_row(text, analyzer, &self.params, &self.term_index);
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

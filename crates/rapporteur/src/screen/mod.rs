//! Screening proposals for duplicates and overlaps, with the evidence behind each pair.
//!
//! [`ScreenParams`] → [`ScreenParams::check`] → [`ScreenValidParams::fit`] builds a
//! [`Screener`] over the documents of a call (and, for cross-year screening, earlier years'
//! documents); [`Screener::screen`] returns a [`Screening`]: the flagged pairs with their
//! class, score, signals and evidence, merge-candidate groups and panel diversity.
//! [`screen`] does both in one call.
//!
//! **Passages and boilerplate.** Every document is cut into passages (sentences of the title,
//! policy questions and content sections; see [`passages`]), each weighted by how many
//! teams (documents linked by shared people) use its word shingles, so stock form text, menu
//! policy questions and an organisation's standard paragraph weigh little while one team's
//! yearly resubmission does not. Passages are TF-IDF rows of one vector model
//! ([`crate::vectors`]: unigrams, every term, cross-language glossary) fitted on the
//! boilerplate-free text; its LSA space (randomised SVD, one power iteration: enough to find
//! neighbours) serves the neighbour search.
//!
//! **Candidates** (never all pairs): MinHash LSH over the documents' boilerplate-free word
//! shingles ([`minhash`]; oversized buckets are skipped) finds near-verbatim versions, however
//! often one team resubmits; the nearest neighbours in LSA space ([`neighbours`]: exact up to
//! 20k documents, LSH beyond) find paraphrases and versions that share few shingles (excerpts
//! starting at different points).
//!
//! **Scoring** ([`Signals`], all reported): passages reused near-verbatim (found through
//! shared shingles) and the share of text they make; `topic`, the rarity-weighted content
//! similarity in which reused passages count only for the share they make, so a pasted
//! paragraph does not make two proposals similar; the similarity of titles, of policy
//! questions and of descriptions; shared people and organisations, weighted by how rare they
//! are. [`Weights`] combine them into the score; [`Thresholds`] give the class. Weights and
//! the three main thresholds are constants calibrated on the labelled pairs of the archive
//! years (`eval::screen` chooses them and checks that the constants still are its choice).
//! **Evidence** (best-aligned passage pairs, boilerplate excluded) is computed for flagged
//! pairs only.

mod diversity;
mod groups;
pub mod minhash;
pub mod neighbours;
pub mod passages;
mod score;
pub(crate) mod sparse;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use ndarray::Array2;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

pub use diversity::{Diversity, DiversityFlag, diversity};
pub use groups::{ByQuestion, Placement, QuestionGroups};
use score::Scratch;
pub use score::{Evidence, Signals};

use crate::model::Document;
use crate::vectors::{Spellings, VectorError, VectorParams, analyzer_of};
pub(crate) use groups::id_groups;
use groups::{components, doc_groups, is_strong};
use passages::{Part, Passage, ShingleCounts, Source};
use sparse::{Rows, Sparse};

/// How strongly two proposals overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairClass {
    /// Same subject: the proposers should coordinate.
    Related,
    /// Largely the same session: the proposers should be asked to merge.
    StrongOverlap,
    /// The same proposal: a version or a resubmission.
    SameProposal,
}

impl PairClass {
    /// The name, as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PairClass::Related => "related",
            PairClass::StrongOverlap => "strong_overlap",
            PairClass::SameProposal => "same_proposal",
        }
    }

    /// Parses a class name (`related`, `strong_overlap`, `same_proposal`; `-` for `_`).
    pub fn from_name(name: &str) -> Option<PairClass> {
        match name.trim().to_lowercase().replace('-', "_").as_str() {
            "related" => Some(PairClass::Related),
            "strong_overlap" | "strong" => Some(PairClass::StrongOverlap),
            "same_proposal" | "same" => Some(PairClass::SameProposal),
            _ => None,
        }
    }
}

/// Thresholds of the classes. A pair is flagged when its score reaches `related`. A flagged
/// pair is the `same_proposal` when much of its text is the same (shared text from
/// `same_proposal_shared_text`: a resubmission or a version), or when it has the same title
/// and the same team (title from `same_title`, people or organisations from `same_team`: two
/// versions of one page whose excerpts share little text); else a `strong_overlap` when its
/// score reaches `strong_overlap`; else `related`. `related`, `strong_overlap` and
/// `same_proposal_shared_text` are calibrated on labels (see `eval::screen`); `same_title`
/// and `same_team` are set by design, as no labelled pair of the calibration split is a page
/// version.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Lowest score of a flagged pair.
    pub related: f32,
    /// Lowest score of a strong overlap.
    pub strong_overlap: f32,
    /// Lowest shared-text share of the same proposal.
    pub same_proposal_shared_text: f32,
    /// Lowest title similarity of a same-title, same-team version.
    pub same_title: f32,
    /// Lowest people (or organisations) overlap of a same-title, same-team version.
    pub same_team: f32,
}

impl Thresholds {
    /// The class of a pair with this score and these signals, if it is flagged.
    pub fn class(&self, score: f32, s: &Signals) -> Option<PairClass> {
        let same_page =
            s.title >= self.same_title && s.people.max(s.organisations) >= self.same_team;
        if score < self.related {
            None
        } else if s.shared_text >= self.same_proposal_shared_text || same_page {
            Some(PairClass::SameProposal)
        } else if score >= self.strong_overlap {
            Some(PairClass::StrongOverlap)
        } else {
            Some(PairClass::Related)
        }
    }
}

/// How the score combines the signals. With `c` the weighted mean of topic, policy
/// questions, title and shared text (weights normalised to sum 1) and `p` the larger of
/// shared people and half the shared organisations, `score = c + people · p · c · (1 − c)`:
/// a shared team lifts a pair that is already similar, never an unrelated one, and the score
/// stays in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    /// Weight of [`Signals::topic`].
    pub topic: f32,
    /// Weight of [`Signals::policy_questions`].
    pub policy_questions: f32,
    /// Weight of [`Signals::title`].
    pub title: f32,
    /// Weight of [`Signals::shared_text`].
    pub shared_text: f32,
    /// Lift from shared (rare) people and organisations, in `[0, 1]`.
    pub people: f32,
}

impl Weights {
    /// The score of a pair's signals.
    pub fn score(&self, s: &Signals) -> f32 {
        let total = self.topic + self.policy_questions + self.title + self.shared_text;
        let c = ((self.topic * s.topic
            + self.policy_questions * s.policy_questions
            + self.title * s.title
            + self.shared_text * s.shared_text)
            / total)
            .clamp(0.0, 1.0);
        let p = s.people.max(s.organisations / 2.0);
        c + self.people * p * c * (1.0 - c)
    }
}

/// Parameters of screening. Defaults: word 3-shingles; menu questions weigh 0.2; MinHash
/// with 42 bands of 3 rows, buckets over 200 skipped; 10 LSA neighbours with cosine ≥ 0.15,
/// exact up to 20,000 documents (LSH with 12 tables of 14 bits beyond); 100 LSA dimensions;
/// passages with cosine ≥ 0.8 count as reused; 3 evidence passages of cosine ≥ 0.3; weights
/// and thresholds as calibrated (see [`ScreenParams::weights`],
/// [`ScreenParams::thresholds`]); pairs from `related` up are reported; seed 42.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenParams {
    shingle: usize,
    menu_weight: f32,
    bands: usize,
    rows: usize,
    max_bucket: usize,
    neighbours: usize,
    min_neighbour_cosine: f32,
    exact_limit: usize,
    dims: usize,
    verbatim: f32,
    evidence: usize,
    min_evidence: f32,
    weights: Weights,
    thresholds: Thresholds,
    min_class: PairClass,
    seed: u64,
}

impl Default for ScreenParams {
    fn default() -> Self {
        ScreenParams::new()
    }
}

/// The weights found by calibration on the archive-year labels (see `eval::screen`).
pub const CALIBRATED_WEIGHTS: Weights = Weights {
    topic: 0.7,
    policy_questions: 0.0,
    title: 0.3,
    shared_text: 0.0,
    people: 0.5,
};

/// The thresholds found by calibration on the archive-year labels (see `eval::screen`).
pub const CALIBRATED_THRESHOLDS: Thresholds = Thresholds {
    related: 0.163,
    strong_overlap: 0.304,
    same_proposal_shared_text: 0.253,
    same_title: 0.9,
    same_team: 0.5,
};

impl ScreenParams {
    /// The defaults listed on the type.
    pub fn new() -> ScreenParams {
        ScreenParams {
            shingle: 3,
            menu_weight: 0.2,
            bands: 42,
            rows: 3,
            max_bucket: 200,
            neighbours: 10,
            min_neighbour_cosine: 0.15,
            exact_limit: 20_000,
            dims: 100,
            verbatim: 0.8,
            evidence: 3,
            min_evidence: 0.3,
            weights: CALIBRATED_WEIGHTS,
            thresholds: CALIBRATED_THRESHOLDS,
            min_class: PairClass::Related,
            seed: 42,
        }
    }
    /// Words per shingle.
    pub fn shingle(mut self, k: usize) -> Self {
        self.shingle = k;
        self
    }
    /// Factor on the weight of policy questions picked from the form's menu.
    pub fn menu_weight(mut self, w: f32) -> Self {
        self.menu_weight = w;
        self
    }
    /// MinHash LSH: bands and rows per band (the signature has `bands × rows` hashes).
    pub fn bands(mut self, bands: usize, rows: usize) -> Self {
        self.bands = bands;
        self.rows = rows;
        self
    }
    /// LSH buckets with more documents than this are skipped.
    pub fn max_bucket(mut self, n: usize) -> Self {
        self.max_bucket = n;
        self
    }
    /// LSA neighbours per document (0: MinHash candidates only).
    pub fn neighbours(mut self, k: usize) -> Self {
        self.neighbours = k;
        self
    }
    /// Smallest LSA cosine of a neighbour.
    pub fn min_neighbour_cosine(mut self, c: f32) -> Self {
        self.min_neighbour_cosine = c;
        self
    }
    /// Exact neighbour search up to this many documents, approximate beyond.
    pub fn exact_limit(mut self, n: usize) -> Self {
        self.exact_limit = n;
        self
    }
    /// LSA dimensions.
    pub fn dims(mut self, dims: usize) -> Self {
        self.dims = dims;
        self
    }
    /// Passage cosine from which a passage counts as reused near-verbatim.
    pub fn verbatim(mut self, c: f32) -> Self {
        self.verbatim = c;
        self
    }
    /// Evidence passage pairs per flagged pair, and their smallest cosine.
    pub fn evidence(mut self, n: usize, min_cosine: f32) -> Self {
        self.evidence = n;
        self.min_evidence = min_cosine;
        self
    }
    /// How the score combines the signals.
    pub fn weights(mut self, w: Weights) -> Self {
        self.weights = w;
        self
    }
    /// Class thresholds on the score.
    pub fn thresholds(mut self, t: Thresholds) -> Self {
        self.thresholds = t;
        self
    }
    /// The weakest class reported.
    pub fn min_class(mut self, c: PairClass) -> Self {
        self.min_class = c;
        self
    }
    /// Seed of the MinHash functions, the SVD and the approximate neighbour search.
    pub fn seed(mut self, s: u64) -> Self {
        self.seed = s;
        self
    }

    /// Validates the parameters.
    pub fn check(self) -> Result<ScreenValidParams, ScreenError> {
        let bad = |m: String| Err(ScreenError::InvalidParams(m));
        if self.shingle == 0 || self.dims == 0 {
            return bad("shingle and dims must be at least 1".into());
        }
        if self.bands == 0 || self.rows == 0 || self.max_bucket < 2 {
            return bad("bands and rows must be at least 1 and max_bucket at least 2".into());
        }
        for (name, v) in [
            ("menu weight", self.menu_weight),
            ("verbatim", self.verbatim),
            ("evidence cosine", self.min_evidence),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return bad(format!("{name} must be in [0, 1], not {v}"));
            }
        }
        if !(-1.0..=1.0).contains(&self.min_neighbour_cosine) {
            return bad(format!(
                "neighbour cosine must be in [-1, 1], not {}",
                self.min_neighbour_cosine
            ));
        }
        let w = &self.weights;
        let parts = [w.topic, w.policy_questions, w.title, w.shared_text];
        // `x.is_nan()` too: a NaN weight is not a weight.
        if parts.iter().any(|&x| x.is_nan() || x < 0.0) || parts.iter().sum::<f32>() <= 0.0 {
            return bad("weights must not be negative, and one of them must be positive".into());
        }
        if !(0.0..=1.0).contains(&w.people) {
            return bad(format!(
                "the people lift must be in [0, 1], not {}",
                w.people
            ));
        }
        let t = &self.thresholds;
        if !(0.0 < t.related && t.related <= t.strong_overlap)
            || [t.same_proposal_shared_text, t.same_title, t.same_team]
                .iter()
                .any(|v| !(0.0..=1.0).contains(v))
        {
            return bad(format!(
                "thresholds must satisfy 0 < related ≤ strong_overlap, with shares and similarities in [0, 1], not {t:?}"
            ));
        }
        Ok(ScreenValidParams(self))
    }
}

/// Checked [`ScreenParams`]; the only way to [`fit`](ScreenValidParams::fit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenValidParams(ScreenParams);

/// Errors of screening.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScreenError {
    /// Invalid parameters.
    #[error("invalid screening parameters: {0}")]
    InvalidParams(String),
    /// Nothing to screen.
    #[error("no documents to screen")]
    NoDocuments,
    /// The vectors cannot be built.
    #[error(transparent)]
    Vectors(#[from] VectorError),
}

/// A flagged (or scored) pair of documents; its ids, titles and evidence borrow the
/// documents'.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenPair<'a> {
    /// First document (a document of the screened year before an earlier year's).
    pub a: Cow<'a, str>,
    /// Second document.
    pub b: Cow<'a, str>,
    /// Title of `a`.
    pub a_title: Cow<'a, str>,
    /// Title of `b`.
    pub b_title: Cow<'a, str>,
    /// Year of `a`.
    pub a_year: Option<u16>,
    /// Year of `b`.
    pub b_year: Option<u16>,
    /// Overlap score in `[0, 1]`.
    pub score: f32,
    /// Class, if the score reaches the `related` threshold.
    pub class: Option<PairClass>,
    /// The signals the score is made of.
    pub signals: Signals,
    /// Best-aligned passage pairs, most telling first.
    pub evidence: Vec<Evidence<'a>>,
    /// People who organise or speak in both.
    pub shared_people: Vec<String>,
    /// Organisations found in both.
    pub shared_organisations: Vec<String>,
}

/// How the candidate pairs were found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CandidateCounts {
    /// Pairs from MinHash LSH.
    pub minhash: usize,
    /// Pairs from the LSA neighbour search.
    pub neighbours: usize,
    /// Distinct pairs scored.
    pub total: usize,
}

/// The result of screening; its evidence borrows the documents' text (see
/// [`Screening::into_owned`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening<'a> {
    /// Flagged pairs, highest score first.
    pub pairs: Vec<ScreenPair<'a>>,
    /// Merge candidates: connected groups of documents of the screened year linked by
    /// `strong_overlap` or `same_proposal` pairs (ids sorted; groups by first id).
    pub groups: Vec<Vec<String>>,
    /// The merge candidates per policy question, when the caller had the proposals clustered
    /// (see [`Screening::group_by_question`]); `None` otherwise.
    pub by_question: Option<ByQuestion>,
    /// Panel diversity of every screened document.
    pub diversity: Vec<Diversity>,
    /// Documents screened.
    pub documents: usize,
    /// Earlier documents screened against.
    pub earlier_documents: usize,
    /// Candidate pairs.
    pub candidates: CandidateCounts,
    /// Flagged pairs per class.
    pub flagged: BTreeMap<PairClass, usize>,
    /// The parameters used.
    pub params: ScreenValidParams,
}

impl Screening<'_> {
    /// The screening with its own copy of the evidence, free of the documents.
    pub fn into_owned(self) -> Screening<'static> {
        let own = |t: Cow<str>| Cow::Owned(t.into_owned());
        Screening {
            pairs: self
                .pairs
                .into_iter()
                .map(|p| ScreenPair {
                    a: own(p.a),
                    b: own(p.b),
                    a_title: own(p.a_title),
                    b_title: own(p.b_title),
                    evidence: p
                        .evidence
                        .into_iter()
                        .map(|e| Evidence {
                            a_text: own(e.a_text),
                            b_text: own(e.b_text),
                            ..e
                        })
                        .collect(),
                    ..p
                })
                .collect(),
            ..self
        }
    }
}

/// A candidate pair `(a, b)`, `a < b` (indices into the screener's documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// First document.
    pub a: usize,
    /// Second document.
    pub b: usize,
    /// Found by MinHash LSH.
    pub minhash: bool,
    /// Found by the neighbour search.
    pub neighbours: bool,
}

/// A passage of a fitted screener: its shingles are in the screener's shingle index.
#[derive(Debug, Clone)]
struct Piece {
    source: Source,
    part: Part,
    weight: f32,
    /// Number of distinct shingles.
    shingles: u32,
}

impl From<Passage> for Piece {
    fn from(p: Passage) -> Piece {
        Piece {
            source: p.source,
            part: p.part,
            weight: p.weight,
            shingles: p.shingles.len() as u32,
        }
    }
}

/// A document's parts as sums of its passages' TF-IDF rows, each passage at its rarity
/// weight (not normalised: the content, questions and description together, is their sum),
/// with their lengths.
#[derive(Debug, Clone)]
struct Parts {
    /// Title, policy questions and description, in [`Part`] order.
    sums: [Sparse; 3],
    /// Their L2 norms.
    norms: [f32; 3],
    /// The norm of the content (questions and description).
    content_norm: f32,
    /// Shingles of the content passages, summed.
    content_len: f32,
}

impl Parts {
    fn new(passages: &[Piece], rows: &Rows) -> Parts {
        let sums = [Part::Title, Part::Question, Part::Description].map(|part| {
            let mut sum = sparse::sum(
                passages
                    .iter()
                    .zip(rows.iter())
                    .filter(|(p, _)| p.part == part)
                    .map(|(p, r)| (p.weight, r)),
            );
            // Kept for the screener's life: the merge leaves slack (28 % at 100,000 documents).
            sum.shrink_to_fit();
            sum
        });
        let norms = sums.each_ref().map(|v| sparse::dot(v, v).sqrt());
        let (q, d) = (
            &sums[Part::Question as usize],
            &sums[Part::Description as usize],
        );
        let content_norm = (sparse::dot(q, q) + 2.0 * sparse::dot(q, d) + sparse::dot(d, d))
            .max(0.0)
            .sqrt();
        let content_len = passages
            .iter()
            .filter(|p| p.part != Part::Title)
            .map(|p| p.shingles as f32)
            .sum();
        Parts {
            sums,
            norms,
            content_norm,
            content_len,
        }
    }
}

/// Documents per chunk of the passage analysis (each chunk gathers its words' spellings).
const ANALYSIS_CHUNK: usize = 1024;

/// Bits of a shingle-index entry that hold the passage number (the rest: the shingle's hash).
const PASSAGE_BITS: u32 = 24;

/// The content shingles of a document's passages that `keep` keeps, as sorted entries
/// `hash << 24 | passage` (the top 40 bits of the hash: a collision only makes two passages
/// be compared). Passages beyond the 2²⁴th of a document (a text of over 100 MB) are left
/// out.
fn shingle_index(passages: &[Passage], keep: impl Fn(u64) -> bool) -> Vec<u64> {
    let mut index: Vec<u64> = passages
        .iter()
        .enumerate()
        .take(1 << PASSAGE_BITS)
        .filter(|(_, p)| p.part != Part::Title)
        .flat_map(|(k, p)| {
            p.shingles
                .iter()
                .filter(|&&s| keep(s))
                .map(move |&s| (s >> PASSAGE_BITS) << PASSAGE_BITS | k as u64)
        })
        .collect();
    index.sort_unstable();
    index
}

/// Names and organisations of a document's people, normalised, with a display form.
#[derive(Debug, Clone, Default)]
struct People<'a> {
    names: Keyed<'a>,
    organisations: Keyed<'a>,
}

/// Normalised keys, sorted and unique, each with its display form as first found in the
/// document (borrowed from it). A sorted vector, not a map: one per document is kept for
/// the scoring.
#[derive(Debug, Clone, Default)]
struct Keyed<'a>(Vec<(Box<str>, &'a str)>);

impl<'a> Keyed<'a> {
    /// From `(key, display)` pairs in document order; a key's first display is kept.
    fn new(mut pairs: Vec<(Box<str>, &'a str)>) -> Keyed<'a> {
        // Stable: of equal keys, the first found stays first and `dedup_by` keeps it.
        pairs.sort_by(|x, y| x.0.cmp(&y.0));
        pairs.dedup_by(|later, first| later.0 == first.0);
        Keyed(pairs)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// The keys, in order.
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| &**k)
    }

    fn contains(&self, key: &str) -> bool {
        self.0.binary_search_by(|(k, _)| (**k).cmp(key)).is_ok()
    }

    /// The entries whose key `other` has too, in key order.
    fn shared<'s>(&'s self, other: &Keyed) -> impl Iterator<Item = &'s (Box<str>, &'a str)> {
        self.0.iter().filter(|(k, _)| other.contains(k))
    }
}

/// A fitted screener: passages, weights, vectors and people of the documents.
#[derive(Debug)]
pub struct Screener<'a> {
    params: ScreenParams,
    docs: Vec<&'a Document>,
    current: usize,
    passages: Vec<Vec<Piece>>,
    rows: Vec<Rows>,
    parts: Vec<Parts>,
    shingle_index: Rows<u64>,
    lsa: Array2<f32>,
    /// Columns of the passage rows (the vector model's terms).
    columns: usize,
    shingles: Rows<u64>,
    people: Vec<People<'a>>,
    name_df: Frequencies,
    organisation_df: Frequencies,
    questions: Vec<Vec<String>>,
}

/// Lower-cased, accents and punctuation removed, spaces collapsed: "José  Pérez-Li" →
/// "jose perez li".
fn normalise_name(s: &str) -> String {
    if s.is_ascii() {
        // What the general path gives for ASCII (no decomposition, no combining mark),
        // without its per-character Unicode lookups.
        let mut out = String::with_capacity(s.len());
        for word in s
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        return out;
    }
    normalise_unicode(s)
}

/// [`normalise_name`] for any text.
fn normalise_unicode(s: &str) -> String {
    let plain: String = s
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl People<'_> {
    /// True when the two share a person or an organisation.
    fn shares_anyone(&self, other: &People) -> bool {
        self.names.shared(&other.names).next().is_some()
            || self
                .organisations
                .shared(&other.organisations)
                .next()
                .is_some()
    }
}

fn people_of(doc: &Document) -> People<'_> {
    let count = doc.people().count();
    let (mut names, mut organisations) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for person in doc.people() {
        if let Some(n) = person.name.as_deref() {
            let key = normalise_name(n);
            if key.contains(' ') || key.len() > 3 {
                names.push((key.into_boxed_str(), n.trim()));
            }
        }
        if let Some(o) = person.organisation.as_deref() {
            let key = normalise_name(o);
            if !key.is_empty() {
                organisations.push((key.into_boxed_str(), o.trim()));
            }
        }
    }
    People {
        names: Keyed::new(names),
        organisations: Keyed::new(organisations),
    }
}

/// In how many of the sets each key is.
fn document_frequency<'k>(
    sets: impl Iterator<Item = impl Iterator<Item = &'k str>>,
) -> Frequencies {
    let mut df = Frequencies::default();
    for set in sets {
        for key in set {
            match df.get_mut(key) {
                Some(n) => *n += 1,
                None => {
                    df.insert(key.to_string(), 1);
                }
            }
        }
    }
    df
}

/// Document frequencies of names or organisations.
type Frequencies = HashMap<String, u32, FxBuildHasher>;

/// Candidate pairs scored per task (with one scoring scratch).
const SCORE_CHUNK: usize = 4096;

/// Weight from which a passage counts as topical text (not boilerplate) for the vector model
/// and as evidence, and a shingle for MinHash: 1/2 or more, i.e. found in the documents of at
/// most 3 teams.
const TOPICAL: f32 = 0.5;

impl ScreenValidParams {
    /// The parameters.
    pub fn params(&self) -> &ScreenParams {
        &self.0
    }

    /// How the score combines the signals.
    pub fn weights(&self) -> Weights {
        self.0.weights
    }

    /// The class thresholds.
    pub fn thresholds(&self) -> Thresholds {
        self.0.thresholds
    }

    /// Prepares screening of `current` (the call) against `earlier` (other years; may be
    /// empty): pairs within `current` and between `current` and `earlier` are screened.
    /// Boilerplate frequencies and vectors are computed over both.
    pub fn fit<'a>(
        &self,
        current: impl IntoIterator<Item = &'a Document>,
        earlier: impl IntoIterator<Item = &'a Document>,
    ) -> Result<Screener<'a>, ScreenError> {
        let p = &self.0;
        let mut docs: Vec<&Document> = current.into_iter().collect();
        if docs.is_empty() {
            return Err(ScreenError::NoDocuments);
        }
        let current = docs.len();
        docs.extend(earlier);
        let mut passages: Vec<Vec<Passage>> = docs
            .par_iter()
            .map(|d| passages::passages(d, p.shingle))
            .collect();
        let people: Vec<People> = docs.par_iter().map(|d| people_of(d)).collect();
        passages::mark_menu_questions(&mut passages, &docs, |i, j| {
            docs[i].year.is_some()
                && docs[i].year == docs[j].year
                && !people[i].shares_anyone(&people[j])
        });
        let team = teams(&people);
        let counts = ShingleCounts::new(&passages, &team);
        // Boilerplate-free shingles (found in at most 3 teams' documents), for MinHash.
        let shingles = Rows::from(passages::weigh(
            &mut passages,
            &counts,
            p.menu_weight,
            TOPICAL,
        ));
        // A document that is its own team shares no shingle of one team (its own) with any
        // other document: those are left out of its index.
        let alone: Vec<bool> = team.iter().enumerate().map(|(i, &t)| t == i).collect();
        let shingle_index = Rows::from(
            passages
                .par_iter()
                .zip(&alone)
                .map(|(ps, &alone)| shingle_index(ps, |s| !alone || counts.df(s) > 1))
                .collect::<Vec<_>>(),
        );
        drop(counts);
        // The shingles now live in the index: only their number is kept. A new vector of the
        // exact length: collecting in place would keep each `Passage` buffer, half of it
        // unused once holding the smaller pieces (113 MB at 100,000 documents).
        let passages: Vec<Vec<Piece>> = passages
            .into_par_iter()
            .map(|ps| {
                let mut pieces = Vec::with_capacity(ps.len());
                pieces.extend(ps.into_iter().map(Piece::from));
                pieces
            })
            .collect();

        let model = VectorParams::new()
            .min_df(1)
            .max_df(1.0)
            // Every word: rare ones weigh in the passage norms the thresholds assume.
            .max_terms(usize::MAX)
            .bigrams(false)
            .dims(p.dims)
            .power_iterations(1)
            .seed(p.seed)
            .check()?;
        // Each passage analysed once: its term hashes, sorted, serve the vector model (a
        // document's text is its topical passages) and the passage rows. The spelling of
        // every word is gathered by chunks of documents.
        let analysed: Vec<(Vec<Rows<u64>>, Spellings)> = (0..docs.len())
            .step_by(ANALYSIS_CHUNK)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|from| {
                let mut words = Spellings::default();
                let terms = (from..(from + ANALYSIS_CHUNK).min(docs.len()))
                    .map(|i| {
                        let analyzer = analyzer_of(docs[i]);
                        Rows::new(passages[i].iter().map(|p| {
                            let mut hashes = Vec::new();
                            let text = p.source.text(docs[i]);
                            model.for_each_term(text, analyzer, |h, word| {
                                hashes.push(h);
                                if let Some(w) = word {
                                    words.entry(h).or_insert_with(|| w.into());
                                }
                            });
                            hashes.sort_unstable();
                            hashes
                        }))
                    })
                    .collect::<Vec<_>>();
                (terms, words)
            })
            .collect();
        let mut words = Spellings::default();
        let mut terms: Vec<Rows<u64>> = Vec::with_capacity(docs.len());
        for (t, w) in analysed {
            terms.extend(t);
            for (h, spelling) in w {
                words.entry(h).or_insert(spelling);
            }
        }
        let topical = |i: usize| -> Vec<(u64, u32)> {
            let mut hashes: Vec<u64> = passages[i]
                .iter()
                .zip(terms[i].iter())
                .filter(|(p, _)| p.weight >= TOPICAL)
                .flat_map(|(_, t)| t.iter().copied())
                .collect();
            hashes.sort_unstable();
            hashes
                .chunk_by(|a, b| a == b)
                .map(|run| (run[0], run.len() as u32))
                .collect()
        };
        let vectors = model.fit_counts(docs.len(), &topical, words)?;
        let rows: Vec<Rows> = terms
            .par_iter()
            .map(|t| Rows::new(t.iter().map(|h| vectors.tfidf_row_of_hashes(h))))
            .collect();
        drop(terms);
        let parts: Vec<Parts> = passages
            .par_iter()
            .zip(&rows)
            .map(|(ps, rs)| Parts::new(ps, rs))
            .collect();

        let columns = parts
            .iter()
            .flat_map(|p| p.sums.iter().filter_map(|s| s.last()))
            .map(|&(c, _)| c as usize + 1)
            .max()
            .unwrap_or(0);
        let name_df = document_frequency(people.iter().map(|p| p.names.keys()));
        let organisation_df = document_frequency(people.iter().map(|p| p.organisations.keys()));
        let questions = docs
            .par_iter()
            .map(|d| {
                let mut q: Vec<String> = d
                    .policy_questions
                    .iter()
                    .map(|q| normalise_name(q))
                    .filter(|q| q.split(' ').count() >= 4)
                    .collect();
                q.sort();
                q.dedup();
                q
            })
            .collect();
        Ok(Screener {
            params: p.clone(),
            current,
            docs,
            passages,
            rows,
            parts,
            shingle_index,
            lsa: vectors.lsa,
            columns,
            shingles,
            people,
            name_df,
            organisation_df,
            questions,
        })
    }
}

/// A team number per document: documents by the same people (sharing at least two names,
/// and at least half of the smaller list of names) are one team, transitively. Names found
/// in more than 50 documents (moderators of everything) do not link documents.
fn teams(people: &[People]) -> Vec<usize> {
    let mut by_name: HashMap<&str, Vec<usize>, FxBuildHasher> = HashMap::default();
    for (i, p) in people.iter().enumerate() {
        for name in p.names.keys() {
            by_name.entry(name).or_default().push(i);
        }
    }
    let mut edges = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for name in p.names.keys() {
            let docs = &by_name[name];
            if docs.len() <= 50 {
                for &j in docs.iter().filter(|&&j| j > i) {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        for (j, n) in shared {
            let smaller = p.names.len().min(people[j].names.len());
            if n >= 2 && 2 * n >= smaller {
                edges.push((i, j));
            }
        }
    }
    let mut team: Vec<usize> = (0..people.len()).collect();
    for (t, group) in components(people.len(), edges.into_iter())
        .into_iter()
        .enumerate()
    {
        for i in group {
            team[i] = people.len() + t;
        }
    }
    team
}

impl<'a> Screener<'a> {
    /// All documents: the screened ones first, then the earlier ones.
    pub fn documents(&self) -> &[&'a Document] {
        &self.docs
    }

    /// The index of a document id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.docs.iter().position(|d| d.id == id)
    }

    /// Candidate pairs, sorted: MinHash LSH and LSA neighbours, restricted to pairs with at
    /// least one screened document.
    pub fn candidates(&self) -> Vec<Candidate> {
        let p = &self.params;
        let hasher = minhash::MinHasher::new(p.bands * p.rows, p.seed);
        let signatures: Vec<Option<Vec<u64>>> = (0..self.docs.len())
            .into_par_iter()
            .map(|i| hasher.signature(self.shingles.row(i)))
            .collect();
        let by_minhash = minhash::lsh_pairs(
            &signatures,
            minhash::Bands {
                bands: p.bands,
                rows: p.rows,
                max_bucket: p.max_bucket,
            },
        );
        let by_neighbours = neighbours::nearest(
            self.lsa.view(),
            &neighbours::Search {
                k: p.neighbours,
                min_cosine: p.min_neighbour_cosine,
                exact_limit: p.exact_limit,
                tables: 12,
                bits: 14,
                max_bucket: p.max_bucket,
                seed: p.seed,
            },
        );
        let mut all: BTreeMap<(u32, u32), Candidate> = BTreeMap::new();
        for (pairs, from_minhash) in [(by_minhash, true), (by_neighbours, false)] {
            for (a, b) in pairs {
                if (a as usize) >= self.current {
                    continue;
                }
                let c = all.entry((a, b)).or_insert(Candidate {
                    a: a as usize,
                    b: b as usize,
                    minhash: false,
                    neighbours: false,
                });
                if from_minhash {
                    c.minhash = true;
                } else {
                    c.neighbours = true;
                }
            }
        }
        all.into_values().collect()
    }

    /// Screens: scores every candidate pair and keeps those of `min_class` or above.
    pub fn screen(&self) -> Screening<'a> {
        let p = &self.params;
        let candidates = self.candidates();
        // Signals for every candidate; evidence for the flagged pairs only.
        // Candidates come sorted by `a`: a chunk's scratch keeps `a` loaded across them. One
        // scratch per chunk, dropped before the chunk's pairs are handed on, so that a thread
        // holds one at a time however rayon nests its jobs.
        let scored: Vec<Vec<(&Candidate, ScreenPair<'a>)>> = candidates
            .par_chunks(SCORE_CHUNK)
            .map(|chunk| {
                let mut scratch = Scratch::new(self.columns);
                chunk
                    .iter()
                    .filter_map(|c| {
                        let signals = self.signals_in(&mut scratch, c.a, c.b);
                        let class = p.thresholds.class(p.weights.score(&signals), &signals);
                        class
                            .is_some_and(|class| class >= p.min_class)
                            .then(|| (c, self.pair_in(&mut scratch, c.a, c.b, signals)))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let groups = doc_groups(
            &self.docs,
            scored
                .iter()
                .flatten()
                .filter(|(c, pair)| is_strong(pair) && c.b < self.current)
                .map(|(c, _)| (c.a, c.b)),
        );
        // Each chunk freed once moved: the pairs are never all live twice (at 100,000
        // documents, 719,000 pairs of 224 bytes each, before their heap parts).
        let mut pairs: Vec<ScreenPair<'a>> = Vec::with_capacity(scored.iter().map(Vec::len).sum());
        for chunk in scored {
            pairs.extend(chunk.into_iter().map(|(_, pair)| pair));
        }
        // Unstable (no buffer of half the pairs) and still deterministic: no two pairs are
        // equal in this order, as their ids differ.
        pairs.sort_unstable_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then_with(|| x.a.cmp(&y.a))
                .then_with(|| x.b.cmp(&y.b))
        });
        let mut flagged = BTreeMap::new();
        for pair in &pairs {
            if let Some(c) = pair.class {
                *flagged.entry(c).or_default() += 1;
            }
        }
        Screening {
            groups,
            by_question: None,
            diversity: self.docs[..self.current]
                .iter()
                .map(|d| diversity(d))
                .collect(),
            documents: self.current,
            earlier_documents: self.docs.len() - self.current,
            candidates: CandidateCounts {
                minhash: candidates.iter().filter(|c| c.minhash).count(),
                neighbours: candidates.iter().filter(|c| c.neighbours).count(),
                total: candidates.len(),
            },
            flagged,
            pairs,
            params: ScreenValidParams(p.clone()),
        }
    }
}

/// Screens `current` (and `current` against `earlier`) in one call; see [`Screener`].
pub fn screen<'a>(
    current: impl IntoIterator<Item = &'a Document>,
    earlier: impl IntoIterator<Item = &'a Document>,
    params: &ScreenValidParams,
) -> Result<Screening<'a>, ScreenError> {
    Ok(params.fit(current, earlier)?.screen())
}

#[cfg(test)]
mod tests;

//! Clustering documents against the year's focused policy questions, and emergent themes.
//!
//! **Guided** ([`ClusterValidParams::guided`]): every document is scored against every
//! question by cosine in LSA space. A question's vector is its text, narrative and keywords
//! projected into that space, then refined by pseudo-relevance feedback (Rocchio: the
//! question plus the centroid of the documents it scores best on, a few rounds), or, with
//! [`GuidedMethod::SeededKMeans`], used as the initial centroid of a k-means run. A document
//! answers each question whose score reaches the absolute threshold and a share of its best
//! score (multi-label); documents that reach no question form the emergent pool, clustered
//! with k-means, k chosen by silhouette.
//!
//! **Unguided** ([`ClusterValidParams::unguided`]): k-means over all documents, k given or
//! chosen by silhouette, for archives without questions.
//!
//! Every cluster is described by class-based TF-IDF terms, its most central document and its
//! composition (stakeholder groups, regions, kinds, years); [`Focus`] measures how focused a
//! call is. Deterministic: k-means is seeded, ties are broken by document order.

mod describe;
mod map;

use std::collections::BTreeMap;

use linfa::DatasetBase;
use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array1, Array2, Axis};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::Serialize;

pub use describe::Composition;
pub use map::MapPoint;

use crate::analysis::{Analyzer, Lang};
use crate::model::Document;
use crate::questions::PolicyQuestions;
use crate::vectors::{Documents, Vectors, normalize_rows};

/// How guided clustering places documents on questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GuidedMethod {
    /// Cosine to question vectors refined by pseudo-relevance feedback.
    Feedback,
    /// k-means with the question vectors as initial centroids (plus extra centroids for
    /// emergent themes).
    SeededKMeans,
}

/// Parameters of clustering. Defaults (chosen on the 2024–2025 archive labels of the sample
/// corpus, not on the 2026 call they are reported on): feedback method, raw cosine scores,
/// threshold 0.2, emergent themes attached to a question at a mean score of 0.15, secondary
/// questions at ≥ 0.8 of the best score, 3 feedback rounds over the best 10 documents with
/// weight 1.0, emergent k from 2 to 6, unguided k chosen by silhouette between 2 and 20, 8
/// terms per cluster, 10 k-means runs fitted on at most 20,000 documents, seed 7. Standardised (z) scores did as well on the
/// archive but fail when one question dominates a call (as data governance did in 2019), so
/// they are an option, not the default.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterParams {
    method: GuidedMethod,
    standardize: bool,
    threshold: f32,
    relative: f32,
    feedback_docs: usize,
    feedback_weight: f32,
    feedback_rounds: usize,
    max_emergent_k: usize,
    attach: Option<f32>,
    k: Option<usize>,
    max_k: usize,
    top_terms: usize,
    n_runs: usize,
    kmeans_sample: usize,
    seed: u64,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams::new()
    }
}

impl ClusterParams {
    /// The defaults listed on the type.
    pub fn new() -> ClusterParams {
        ClusterParams {
            method: GuidedMethod::Feedback,
            standardize: false,
            threshold: 0.2,
            relative: 0.8,
            feedback_docs: 10,
            feedback_weight: 1.0,
            feedback_rounds: 3,
            max_emergent_k: 6,
            attach: Some(0.15),
            k: None,
            max_k: 20,
            top_terms: 8,
            n_runs: 10,
            kmeans_sample: 20_000,
            seed: 7,
        }
    }
    /// Guided method.
    pub fn method(mut self, m: GuidedMethod) -> Self {
        self.method = m;
        self
    }
    /// Compare each question's scores as z-scores over the documents (mean 0, deviation 1),
    /// so that the threshold does not depend on the corpus size and the LSA dimensions.
    pub fn standardize(mut self, on: bool) -> Self {
        self.standardize = on;
        self
    }
    /// Minimum score (cosine, or z-score when standardised) for a document to answer a
    /// question.
    pub fn threshold(mut self, t: f32) -> Self {
        self.threshold = t;
        self
    }
    /// A second question counts when its score is at least this share of the best.
    pub fn relative(mut self, r: f32) -> Self {
        self.relative = r;
        self
    }
    /// Documents per question used for feedback (0: no feedback).
    pub fn feedback_docs(mut self, n: usize) -> Self {
        self.feedback_docs = n;
        self
    }
    /// Weight of the feedback centroid against the question.
    pub fn feedback_weight(mut self, w: f32) -> Self {
        self.feedback_weight = w;
        self
    }
    /// Feedback rounds.
    pub fn feedback_rounds(mut self, n: usize) -> Self {
        self.feedback_rounds = n;
        self
    }
    /// Largest number of emergent themes considered.
    pub fn max_emergent_k(mut self, k: usize) -> Self {
        self.max_emergent_k = k;
        self
    }
    /// An emergent theme whose members score, on average, at least this on one question is
    /// attached to that question (`None`: never).
    pub fn attach(mut self, a: Option<f32>) -> Self {
        self.attach = a;
        self
    }
    /// Fixed number of clusters for unguided clustering (`None`: chosen by silhouette).
    pub fn k(mut self, k: Option<usize>) -> Self {
        self.k = k;
        self
    }
    /// Largest k tried when choosing k.
    pub fn max_k(mut self, k: usize) -> Self {
        self.max_k = k;
        self
    }
    /// Terms that describe each cluster.
    pub fn top_terms(mut self, n: usize) -> Self {
        self.top_terms = n;
        self
    }
    /// k-means restarts (the best inertia wins).
    pub fn n_runs(mut self, n: usize) -> Self {
        self.n_runs = n;
        self
    }
    /// Seed of k-means.
    /// Fit k-means on at most this many documents (an even stride) and assign all of them
    /// to the nearest centroid: on archives of 100,000 documents the centroids of a sample
    /// are as good and each pass over all of them costs seconds.
    pub fn kmeans_sample(mut self, n: usize) -> Self {
        self.kmeans_sample = n;
        self
    }
    /// Seed of k-means.
    pub fn seed(mut self, s: u64) -> Self {
        self.seed = s;
        self
    }

    /// Validates the parameters.
    pub fn check(self) -> Result<ClusterValidParams, ClusterError> {
        let bad = |m: String| Err(ClusterError::InvalidParams(m));
        if !self.threshold.is_finite()
            || (!self.standardize && !(-1.0..=1.0).contains(&self.threshold))
        {
            return bad(format!(
                "threshold must be a cosine in [-1, 1], not {}",
                self.threshold
            ));
        }
        if !(0.0..=1.0).contains(&self.relative) {
            return bad(format!("relative must be in [0, 1], not {}", self.relative));
        }
        if self.feedback_weight < 0.0 {
            return bad("feedback weight must not be negative".into());
        }
        if self.k == Some(0) || self.max_k < 2 {
            return bad("k must be at least 1 and max_k at least 2".into());
        }
        if self.n_runs == 0 || self.top_terms == 0 || self.kmeans_sample < self.max_k {
            return bad(
                "n_runs and top_terms must be at least 1, kmeans_sample at least max_k".into(),
            );
        }
        Ok(ClusterValidParams(self))
    }
}

/// Errors of clustering.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClusterError {
    /// Invalid parameters.
    #[error("invalid clustering parameters: {0}")]
    InvalidParams(String),
    /// No documents to cluster.
    #[error("no documents to cluster{0}")]
    NoDocuments(String),
    /// More clusters asked for than documents.
    #[error("cannot make {k} clusters of {n} documents")]
    TooFewDocuments {
        /// Clusters asked for.
        k: usize,
        /// Documents available.
        n: usize,
    },
    /// The documents and the vectors do not match.
    #[error("{docs} documents but {vectors} vectors")]
    Mismatch {
        /// Documents.
        docs: usize,
        /// Vector rows.
        vectors: usize,
    },
    /// k-means failed.
    #[error("k-means failed: {0}")]
    KMeans(String),
    /// The documents' texts could not be read back (a [`crate::vectors::Corpus`]'s file).
    #[error("reading the documents' texts: {0}")]
    Texts(String),
}

/// Checked [`ClusterParams`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterValidParams(ClusterParams);

/// A document in a cluster, with its score (cosine to the question or to the centroid).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// Document id.
    pub id: String,
    /// Score.
    pub score: f32,
}

/// One cluster: a policy question with the documents that answer it, or an emergent theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// `<question id>`, `emergent-<n>` or `theme-<n>`.
    pub id: String,
    /// The question, for guided clusters.
    pub policy_question: Option<String>,
    /// The question's track, for guided clusters.
    pub track: Option<String>,
    /// A short label from the top terms.
    pub label: String,
    /// Class-based TF-IDF terms, most distinctive first.
    pub terms: Vec<String>,
    /// Number of members.
    pub size: usize,
    /// The member closest to the cluster's centre.
    pub central: Option<String>,
    /// Members, best score first.
    pub members: Vec<Member>,
    /// Who and what the members are.
    pub composition: Composition,
    /// Members per year.
    pub years: BTreeMap<String, usize>,
}

/// Where one document went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its main cluster (the best question, or its emergent theme); `None`: unassigned.
    pub cluster: Option<String>,
    /// Every question it answers, best first.
    pub policy_questions: Vec<String>,
    /// Score in its main cluster.
    pub score: f32,
}

/// How focused a call is: the "issue soup" signal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Focus {
    /// Documents clustered.
    pub documents: usize,
    /// Documents answering at least one focused question.
    pub on_questions: usize,
    /// `on_questions / documents`.
    pub share_on_questions: f64,
    /// Documents per question (main question only).
    pub per_question: BTreeMap<String, usize>,
    /// Entropy of the spread over questions, divided by its maximum (1: even spread).
    pub spread: f64,
    /// `exp(entropy)`: how many questions the call effectively covers.
    pub effective_questions: f64,
    /// Documents in the emergent pool.
    pub emergent_pool: usize,
    /// Questions no document answers (reported, not an error).
    pub questions_without_documents: Vec<String>,
}

/// How k was chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KChoice {
    /// The k used.
    pub k: usize,
    /// Mean silhouette (cosine distance) for every k tried.
    pub silhouette: BTreeMap<usize, f64>,
}

/// The result of clustering.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clustering {
    /// Question clusters (in programme order) then emergent themes or unguided themes.
    pub clusters: Vec<Cluster>,
    /// Documents in no cluster.
    pub unassigned: Vec<String>,
    /// One row per document.
    pub assignments: Vec<Assignment>,
    /// Programme focus (guided only).
    pub focus: Option<Focus>,
    /// How k was chosen for the emergent or unguided themes.
    pub k_choice: Option<KChoice>,
    /// The documents on a plane (first two principal components of their LSA vectors), in
    /// the order of `assignments`.
    pub map: Vec<MapPoint>,
    /// The parameters used.
    pub params: ClusterParams,
}

/// The text that stands for a question: text, narrative and keywords.
fn question_text(q: &crate::questions::Question) -> String {
    let mut parts = vec![q.text.as_str()];
    parts.extend(q.narrative.as_deref());
    parts.extend(q.keywords.iter().map(String::as_str));
    parts.join("\n")
}

fn kmeans(
    x: &Array2<f32>,
    k: usize,
    runs: usize,
    p: &ClusterParams,
    init: Option<Array2<f32>>,
) -> Result<(Array1<usize>, Array2<f32>), ClusterError> {
    let stride = x.nrows().div_ceil(p.kmeans_sample);
    let fitted = x.slice(ndarray::s![..;stride, ..]).to_owned();
    let data = DatasetBase::from(fitted);
    let mut params = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(p.seed))
        .n_runs(runs)
        .tolerance(1e-4)
        .max_n_iterations(300);
    if let Some(c) = init {
        params = params.init_method(KMeansInit::Precomputed(c)).n_runs(1);
    }
    let model = params
        .fit(&data)
        .map_err(|e| ClusterError::KMeans(e.to_string()))?;
    let labels = model.predict(x);
    Ok((labels, model.centroids().clone()))
}

/// Mean silhouette with cosine distance (rows L2-normalised); sampled to at most
/// `max_points` rows (the first ones of a fixed stride, so deterministic).
fn silhouette(x: &Array2<f32>, labels: &Array1<usize>, k: usize, max_points: usize) -> f64 {
    let n = x.nrows();
    let stride = n.div_ceil(max_points).max(1);
    let idx: Vec<usize> = (0..n).step_by(stride).collect();
    let mut total = 0.0;
    for &i in &idx {
        let mut sum = vec![0.0f64; k];
        let mut count = vec![0usize; k];
        for &j in &idx {
            if i != j {
                let d = 1.0 - f64::from(x.row(i).dot(&x.row(j)));
                sum[labels[j]] += d;
                count[labels[j]] += 1;
            }
        }
        let own = labels[i];
        if count[own] == 0 {
            continue;
        }
        let a = sum[own] / count[own] as f64;
        let b = (0..k)
            .filter(|&c| c != own && count[c] > 0)
            .map(|c| sum[c] / count[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() {
            total += (b - a) / a.max(b);
        }
    }
    total / idx.len() as f64
}

/// k-means with k given or chosen by silhouette in `2..=max_k`.
fn themes(
    x: &Array2<f32>,
    fixed: Option<usize>,
    max_k: usize,
    p: &ClusterParams,
) -> Result<(Array1<usize>, KChoice), ClusterError> {
    let n = x.nrows();
    if let Some(k) = fixed {
        if k > n {
            return Err(ClusterError::TooFewDocuments { k, n });
        }
        let (labels, _) = kmeans(x, k, p.n_runs, p, None)?;
        return Ok((
            labels,
            KChoice {
                k,
                silhouette: BTreeMap::new(),
            },
        ));
    }
    let top = max_k.min(n / 2);
    if top < 2 {
        return Ok((
            Array1::zeros(n),
            KChoice {
                k: 1,
                silhouette: BTreeMap::new(),
            },
        ));
    }
    let mut scores = BTreeMap::new();
    let mut best: Option<(f64, usize, Array1<usize>)> = None;
    for k in 2..=top {
        let (labels, _) = kmeans(x, k, p.n_runs.min(3), p, None)?;
        let s = silhouette(x, &labels, k, 2000);
        scores.insert(k, (s * 1e4).round() / 1e4);
        if best.as_ref().is_none_or(|(b, _, _)| s > *b + 1e-9) {
            best = Some((s, k, labels));
        }
    }
    let (_, k, _) = best.expect("at least one k tried");
    let (labels, _) = kmeans(x, k, p.n_runs, p, None)?;
    Ok((
        labels,
        KChoice {
            k,
            silhouette: scores,
        },
    ))
}

impl ClusterValidParams {
    /// The parameters.
    pub fn params(&self) -> &ClusterParams {
        &self.0
    }

    fn check_input<D: Documents + ?Sized>(docs: &D, vectors: &Vectors) -> Result<(), ClusterError> {
        if docs.is_empty() {
            return Err(ClusterError::NoDocuments(String::new()));
        }
        if docs.len() != vectors.len() {
            return Err(ClusterError::Mismatch {
                docs: docs.len(),
                vectors: vectors.len(),
            });
        }
        Ok(())
    }

    /// Scores as given, or as z-scores per question when standardising.
    fn scale(&self, mut scores: Array2<f32>) -> Array2<f32> {
        if self.0.standardize && scores.nrows() > 1 {
            for mut col in scores.columns_mut() {
                let mean = col.mean().unwrap_or(0.0);
                let sd = col.std(0.0);
                col.mapv_inplace(|s| if sd > 0.0 { (s - mean) / sd } else { 0.0 });
            }
        }
        scores
    }

    /// Question scores (documents × questions) after pseudo-relevance feedback.
    fn feedback_scores(&self, x: &Array2<f32>, q0: &Array2<f32>) -> Array2<f32> {
        let p = &self.0;
        // Only documents that look relevant to the question as written feed back, so that a
        // question nobody answers cannot drift onto its nearest outliers.
        let initial = self.scale(x.dot(&q0.t()));
        let mut scores = initial.clone();
        for _ in 0..p.feedback_rounds {
            if p.feedback_docs == 0 {
                break;
            }
            let best = argmax_rows(&scores);
            let mut next = q0.clone();
            for (i, mut row) in next.axis_iter_mut(Axis(0)).enumerate() {
                // The documents this question scores best on, among those it wins.
                let mut own: Vec<usize> = (0..x.nrows())
                    .filter(|&j| best[j] == i && initial[[j, i]] >= p.threshold)
                    .collect();
                own.sort_by(|&a, &b| scores[[b, i]].total_cmp(&scores[[a, i]]).then(a.cmp(&b)));
                own.truncate(p.feedback_docs);
                if own.is_empty() {
                    continue;
                }
                let mut centroid = Array1::<f32>::zeros(x.ncols());
                for &j in &own {
                    centroid += &x.row(j);
                }
                centroid /= own.len() as f32;
                row.scaled_add(p.feedback_weight, &centroid);
            }
            normalize_rows(&mut next);
            scores = self.scale(x.dot(&next.t()));
        }
        scores
    }

    /// Question scores from k-means seeded with the questions; documents that land in an
    /// extra (emergent) centroid score below the threshold on every question.
    fn seeded_scores(
        &self,
        x: &Array2<f32>,
        q0: &Array2<f32>,
    ) -> Result<Array2<f32>, ClusterError> {
        let p = &self.0;
        let nq = q0.nrows();
        // Extra seeds: the documents farthest from every question, greedily spread.
        let extra = p.max_emergent_k.min(x.nrows().saturating_sub(nq));
        let mut init = q0.clone();
        let mut chosen: Vec<usize> = Vec::new();
        for _ in 0..extra {
            let far = (0..x.nrows())
                .filter(|j| !chosen.contains(j))
                .min_by(|&a, &b| {
                    let near = |j: usize| {
                        init.rows()
                            .into_iter()
                            .map(|c| c.dot(&x.row(j)))
                            .fold(f32::MIN, f32::max)
                    };
                    near(a).total_cmp(&near(b)).then(a.cmp(&b))
                });
            let Some(j) = far else { break };
            chosen.push(j);
            init.push_row(x.row(j)).expect("same width");
        }
        let (labels, mut centroids) = kmeans(x, init.nrows(), 1, p, Some(init))?;
        normalize_rows(&mut centroids);
        let initial = self.scale(x.dot(&q0.t()));
        let mut scores = self.scale(x.dot(&centroids.slice(ndarray::s![..nq, ..]).t()));
        for (j, &l) in labels.iter().enumerate() {
            // A document answers no question when it joined an extra centroid, or when the
            // question it joined does not look relevant to it as written (a seed that nobody
            // answers still gathers a cluster).
            if l >= nq || initial[[j, l]] < p.threshold {
                scores.row_mut(j).mapv_inplace(|s| s.min(p.threshold - 1.0));
            }
        }
        Ok(scores)
    }

    /// Clusters documents against the year's policy questions.
    pub fn guided(
        &self,
        docs: &[Document],
        vectors: &Vectors,
        questions: &PolicyQuestions,
    ) -> Result<Clustering, ClusterError> {
        self.guided_on(docs, vectors, questions)
    }

    /// [`ClusterValidParams::guided`] for any [`Documents`] (a [`crate::vectors::Corpus`]).
    pub fn guided_on<D: Documents + ?Sized>(
        &self,
        docs: &D,
        vectors: &Vectors,
        questions: &PolicyQuestions,
    ) -> Result<Clustering, ClusterError> {
        Self::check_input(docs, vectors)?;
        let p = &self.0;
        let qs: Vec<_> = questions.questions().collect();
        let x = &vectors.lsa;
        let mut q0 = Array2::<f32>::zeros((qs.len(), x.ncols()));
        for (i, (_, q)) in qs.iter().enumerate() {
            q0.row_mut(i)
                .assign(&vectors.project(&question_text(q), Analyzer::get(Lang::En)));
        }
        let scores = match p.method {
            GuidedMethod::Feedback => self.feedback_scores(x, &q0),
            GuidedMethod::SeededKMeans => self.seeded_scores(x, &q0)?,
        };

        // Multi-label assignment.
        let mut answers: Vec<Vec<(usize, f32)>> = Vec::with_capacity(docs.len());
        for row in scores.rows() {
            let best = row.iter().cloned().fold(f32::MIN, f32::max);
            let mut a: Vec<(usize, f32)> = if best >= p.threshold {
                row.iter()
                    .enumerate()
                    .filter(|&(_, &s)| s >= p.threshold && s >= p.relative * best)
                    .map(|(i, &s)| (i, s))
                    .collect()
            } else {
                Vec::new()
            };
            a.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            answers.push(a);
        }

        // Emergent pool: documents that answer no question.
        let pool: Vec<usize> = (0..docs.len()).filter(|&j| answers[j].is_empty()).collect();
        let mut emergent: Vec<Vec<usize>> = Vec::new();
        let mut k_choice = None;
        let mut unassigned = Vec::new();
        if pool.len() >= 2 {
            let sub = x.select(Axis(0), &pool);
            let (labels, choice) = themes(&sub, None, p.max_emergent_k, p)?;
            for c in 0..choice.k {
                let members: Vec<usize> = pool
                    .iter()
                    .zip(labels.iter())
                    .filter(|&(_, &l)| l == c)
                    .map(|(&j, _)| j)
                    .collect();
                // A theme that, taken together, leans to one question is a sub-theme of it:
                // its documents answer that question after all.
                match attach_to(&scores, &members, p.attach) {
                    Some(i) => {
                        for &j in &members {
                            answers[j] = vec![(i, scores[[j, i]])];
                        }
                    }
                    None => emergent.push(members),
                }
            }
            k_choice = Some(choice);
        } else {
            unassigned.extend(pool.iter().map(|&j| docs.info(j).id.clone()));
        }

        let describer =
            describe::Describer::new(docs, vectors, qs.len() + emergent.len(), p.top_terms);
        let mut clusters = Vec::new();
        for (i, (track, q)) in qs.iter().enumerate() {
            let members: Vec<usize> = (0..docs.len())
                .filter(|&j| answers[j].iter().any(|&(qi, _)| qi == i))
                .collect();
            let member_scores: Vec<f32> = members.iter().map(|&j| scores[[j, i]]).collect();
            let mut c = describer.describe(q.id.clone(), &members, Some(&member_scores))?;
            c.policy_question = Some(q.id.clone());
            c.track = Some(track.id.clone());
            clusters.push(c);
        }
        let mut emergent_of = vec![None; docs.len()];
        for (c, members) in emergent.iter().enumerate() {
            let id = format!("emergent-{}", c + 1);
            for &j in members {
                emergent_of[j] = Some(id.clone());
            }
            clusters.push(describer.describe(id, members, None)?);
        }

        let assignments = (0..docs.len())
            .map(|j| {
                let (cluster, score) = match answers[j].first() {
                    Some(&(i, s)) => (Some(qs[i].1.id.clone()), s),
                    None => (emergent_of[j].clone(), 0.0),
                };
                let d = docs.info(j);
                Assignment {
                    id: d.id.clone(),
                    title: d.title.clone(),
                    cluster,
                    policy_questions: answers[j]
                        .iter()
                        .map(|&(i, _)| qs[i].1.id.clone())
                        .collect(),
                    score,
                }
            })
            .collect::<Vec<_>>();
        let focus = focus(
            &assignments,
            &qs.iter().map(|(_, q)| q.id.clone()).collect::<Vec<_>>(),
            emergent.iter().map(Vec::len).sum::<usize>() + unassigned.len(),
        );
        Ok(Clustering {
            clusters,
            unassigned,
            assignments,
            focus: Some(focus),
            k_choice,
            map: map_points(docs, vectors),
            params: p.clone(),
        })
    }

    /// Clusters documents without questions (archives): k-means, k fixed or by silhouette.
    pub fn unguided(
        &self,
        docs: &[Document],
        vectors: &Vectors,
    ) -> Result<Clustering, ClusterError> {
        self.unguided_on(docs, vectors)
    }

    /// [`ClusterValidParams::unguided`] for any [`Documents`] (a [`crate::vectors::Corpus`]).
    pub fn unguided_on<D: Documents + ?Sized>(
        &self,
        docs: &D,
        vectors: &Vectors,
    ) -> Result<Clustering, ClusterError> {
        Self::check_input(docs, vectors)?;
        let p = &self.0;
        let (labels, choice) = themes(&vectors.lsa, p.k, p.max_k, p)?;
        let describer = describe::Describer::new(docs, vectors, choice.k, p.top_terms);
        let mut clusters = Vec::new();
        let mut cluster_of = vec![String::new(); docs.len()];
        for c in 0..choice.k {
            let members: Vec<usize> = (0..docs.len()).filter(|&j| labels[j] == c).collect();
            let id = format!("theme-{}", c + 1);
            for &j in &members {
                cluster_of[j].clone_from(&id);
            }
            clusters.push(describer.describe(id, &members, None)?);
        }
        let score_of: BTreeMap<&str, f32> = clusters
            .iter()
            .flat_map(|c| c.members.iter().map(|m| (m.id.as_str(), m.score)))
            .collect();
        let assignments = cluster_of
            .into_iter()
            .enumerate()
            .map(|(j, c)| {
                let d = docs.info(j);
                Assignment {
                    id: d.id.clone(),
                    title: d.title.clone(),
                    score: score_of.get(d.id.as_str()).copied().unwrap_or(0.0),
                    cluster: Some(c),
                    policy_questions: Vec::new(),
                }
            })
            .collect();
        Ok(Clustering {
            clusters,
            unassigned: Vec::new(),
            assignments,
            focus: None,
            k_choice: Some(choice),
            map: map_points(docs, vectors),
            params: p.clone(),
        })
    }
}

/// Fits vectors on `docs` and clusters them: guided when questions are given, else unguided.
pub fn cluster_documents(
    docs: &[Document],
    questions: Option<&PolicyQuestions>,
    vectors: &crate::vectors::VectorValidParams,
    params: &ClusterValidParams,
) -> Result<Clustering, crate::Error> {
    cluster_corpus(docs, questions, vectors, params)
}

/// [`cluster_documents`] for any [`Documents`]: a [`crate::vectors::Corpus`] clusters a
/// corpus without holding its documents.
pub fn cluster_corpus<D: Documents + ?Sized>(
    docs: &D,
    questions: Option<&PolicyQuestions>,
    vectors: &crate::vectors::VectorValidParams,
    params: &ClusterValidParams,
) -> Result<Clustering, crate::Error> {
    if docs.is_empty() {
        return Err(ClusterError::NoDocuments(String::new()).into());
    }
    let v = vectors.fit_on(docs)?;
    Ok(match questions {
        Some(q) => params.guided_on(docs, &v, q)?,
        None => params.unguided_on(docs, &v)?,
    })
}

/// The documents on the plane of the first two principal components of their LSA vectors.
fn map_points<D: Documents + ?Sized>(docs: &D, vectors: &Vectors) -> Vec<MapPoint> {
    map::principal_plane(&vectors.lsa)
        .into_iter()
        .enumerate()
        .map(|(j, [x, y])| MapPoint {
            id: docs.info(j).id.clone(),
            x,
            y,
        })
        .collect()
}

/// The question whose mean score over `members` is highest, if that mean reaches `attach`.
fn attach_to(scores: &Array2<f32>, members: &[usize], attach: Option<f32>) -> Option<usize> {
    let attach = attach?;
    if members.is_empty() {
        return None;
    }
    let means: Vec<f32> = (0..scores.ncols())
        .map(|i| members.iter().map(|&j| scores[[j, i]]).sum::<f32>() / members.len() as f32)
        .collect();
    let (best, mean) =
        means.iter().enumerate().fold(
            (0, f32::MIN),
            |(bi, bs), (i, &s)| if s > bs { (i, s) } else { (bi, bs) },
        );
    (mean >= attach).then_some(best)
}

fn argmax_rows(m: &Array2<f32>) -> Vec<usize> {
    m.rows()
        .into_iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .fold(
                    (0, f32::MIN),
                    |(bi, bs), (i, &s)| if s > bs { (i, s) } else { (bi, bs) },
                )
                .0
        })
        .collect()
}

fn focus(assignments: &[Assignment], question_ids: &[String], pool: usize) -> Focus {
    let mut per_question: BTreeMap<String, usize> =
        question_ids.iter().map(|q| (q.clone(), 0)).collect();
    for a in assignments {
        if let Some(q) = a.policy_questions.first() {
            *per_question.entry(q.clone()).or_default() += 1;
        }
    }
    let on: usize = per_question.values().sum();
    let entropy: f64 = per_question
        .values()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / on as f64;
            -p * p.ln()
        })
        .sum();
    let max = (question_ids.len() as f64).ln();
    Focus {
        documents: assignments.len(),
        on_questions: on,
        share_on_questions: on as f64 / assignments.len().max(1) as f64,
        spread: if max > 0.0 { entropy / max } else { 0.0 },
        effective_questions: entropy.exp(),
        emergent_pool: pool,
        questions_without_documents: question_ids
            .iter()
            .filter(|q| !assignments.iter().any(|a| a.policy_questions.contains(q)))
            .cloned()
            .collect(),
        per_question,
    }
}

#[cfg(test)]
mod tests;

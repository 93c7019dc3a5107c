//! Placing statements on the year's policy questions.
//!
//! Four ways, measured against the labels by `rapporteur eval converge` (see
//! [`AssignBy`]); all reuse the guided clustering of [`crate::cluster`]: on the statements
//! themselves, on the documents they come from, or on the proposals of their sessions. When
//! a document or session answers several questions, each statement takes the one its own
//! text is closest to (LSA cosine to the question's text, narrative and keywords).

use std::collections::HashMap;

use serde::Serialize;

use super::Statement;
use ndarray::Array1;

use super::space::Space;
use crate::analysis::{Analyzer, Lang};
use crate::cluster::{ClusterParams, cluster_documents};
use crate::model::{Document, Kind};
use crate::questions::{PolicyQuestions, Question};
use crate::vectors::VectorParams;

/// How statements are placed on policy questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignBy {
    /// Guided clustering of the statements themselves.
    Statement,
    /// Guided clustering of the documents (takeaways, reports, DC outputs); each statement
    /// takes the closest of its document's questions.
    Document,
    /// Guided clustering of the session's proposal; each statement takes the closest of the
    /// proposal's questions (documents without a session fall back to [`AssignBy::Document`]).
    Session,
    /// The session's and the document's questions together.
    Hybrid,
}

/// The text that stands for a question: text, narrative and keywords.
pub fn question_text(q: &Question) -> String {
    let mut parts = vec![q.text.as_str()];
    parts.extend(q.narrative.as_deref());
    parts.extend(q.keywords.iter().map(String::as_str));
    parts.join("\n")
}

/// Question ids per document id, from guided clustering of `docs`.
fn guided(
    docs: &[Document],
    questions: &PolicyQuestions,
) -> Result<HashMap<String, Vec<String>>, crate::Error> {
    if docs.is_empty() {
        return Ok(HashMap::new());
    }
    let vectors = VectorParams::new().check()?;
    let params = ClusterParams::new().check()?;
    let c = cluster_documents(docs, Some(questions), &vectors, &params)?;
    Ok(c.assignments
        .into_iter()
        .map(|a| (a.id, a.policy_questions))
        .collect())
}

/// The question index of every statement (`None`: no focused question).
pub(super) fn assign(
    by: AssignBy,
    statements: &[Statement],
    space: &Space,
    outcomes: &[Document],
    proposals: &[Document],
    questions: &PolicyQuestions,
) -> Result<Vec<Option<usize>>, crate::Error> {
    let qs: Vec<&Question> = questions.questions().map(|(_, q)| q).collect();
    let index: HashMap<&str, usize> = qs
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let candidates: Vec<Vec<usize>> =
        candidates(by, statements, space, outcomes, proposals, questions)?
            .into_iter()
            .map(|c| {
                let mut ids: Vec<usize> = c
                    .iter()
                    .filter_map(|q| index.get(q.as_str()).copied())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect();
    let en = Analyzer::get(Lang::En);
    let mut qv: Vec<Array1<f32>> = qs
        .iter()
        .map(|q| space.embed(&question_text(q), en).lsa().to_owned())
        .collect();
    let x = space.lsa();
    let mut placed = vec![None; statements.len()];
    for round in 0..=FEEDBACK_ROUNDS {
        let cos = |i: usize, q: usize| x.row(i).dot(&qv[q]);
        // A document none of whose placements named a question takes the question its
        // statements are closest to on average.
        let mut doc_best: HashMap<&str, usize> = HashMap::new();
        for (doc, members) in by_document(statements) {
            let best = (0..qs.len())
                .map(|q| (q, members.iter().map(|&i| cos(i, q)).sum::<f32>()))
                .fold(None, |b: Option<(usize, f32)>, (q, s)| match b {
                    Some((_, bs)) if bs >= s => b,
                    _ => Some((q, s)),
                });
            if let Some((q, _)) = best {
                doc_best.insert(doc, q);
            }
        }
        for (i, s) in statements.iter().enumerate() {
            placed[i] = if candidates[i].is_empty() {
                doc_best.get(s.doc.as_str()).copied()
            } else {
                candidates[i]
                    .iter()
                    .map(|&q| (q, cos(i, q)))
                    .fold(None, |b: Option<(usize, f32)>, (q, s)| match b {
                        Some((_, bs)) if bs >= s => b,
                        _ => Some((q, s)),
                    })
                    .map(|(q, _)| q)
            };
        }
        if round == FEEDBACK_ROUNDS {
            break;
        }
        // Pseudo-relevance feedback: each question moves towards the statements placed on it.
        for (q, v) in qv.iter_mut().enumerate() {
            let mine: Vec<usize> = (0..statements.len())
                .filter(|&i| placed[i] == Some(q))
                .collect();
            if mine.is_empty() {
                continue;
            }
            let mut centroid = Array1::<f32>::zeros(x.ncols());
            for &i in &mine {
                centroid += &x.row(i);
            }
            centroid /= mine.len() as f32;
            let mut next = &qs_vector(space, qs[q], en) + &centroid;
            let norm = next.dot(&next).sqrt();
            if norm > 0.0 {
                next /= norm;
            }
            *v = next;
        }
    }
    Ok(placed)
}

/// Feedback rounds of the question vectors.
const FEEDBACK_ROUNDS: usize = 2;

fn qs_vector(space: &Space, q: &Question, en: &Analyzer) -> Array1<f32> {
    space.embed(&question_text(q), en).lsa().to_owned()
}

/// Statement indices per document, in document order.
fn by_document(statements: &[Statement]) -> Vec<(&str, Vec<usize>)> {
    let mut out: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        match out.last_mut() {
            Some((d, v)) if *d == s.doc => v.push(i),
            _ => out.push((s.doc.as_str(), vec![i])),
        }
    }
    out
}

/// The questions each statement may take: those of its session's proposal, of its
/// document, or of its own text, as the method says.
fn candidates(
    by: AssignBy,
    statements: &[Statement],
    space: &Space,
    outcomes: &[Document],
    proposals: &[Document],
    questions: &PolicyQuestions,
) -> Result<Vec<Vec<String>>, crate::Error> {
    if by == AssignBy::Statement {
        let pseudo: Vec<Document> = statements
            .iter()
            .map(|s| {
                let mut d = Document::new(s.id.clone(), Kind::Other, s.text.clone());
                d.language = s.language.clone();
                d
            })
            .collect();
        let c = ClusterParams::new()
            .check()?
            .guided(&pseudo, space.vectors(), questions)?;
        return Ok(c
            .assignments
            .into_iter()
            .map(|a| a.policy_questions)
            .collect());
    }
    let by_doc = if by == AssignBy::Session {
        // Only the documents without a known session need their own placement.
        let known: std::collections::HashSet<&str> =
            proposals.iter().map(|p| p.id.as_str()).collect();
        let lone: Vec<Document> = outcomes
            .iter()
            .filter(|d| !d.session.as_deref().is_some_and(|s| known.contains(s)))
            .cloned()
            .collect();
        guided(&lone, questions)?
    } else {
        guided(outcomes, questions)?
    };
    let by_session = if matches!(by, AssignBy::Session | AssignBy::Hybrid) {
        guided(proposals, questions)?
    } else {
        HashMap::new()
    };
    Ok(statements
        .iter()
        .map(|s| {
            let session = s.session.as_deref().and_then(|id| by_session.get(id));
            let doc = by_doc.get(&s.doc);
            match by {
                AssignBy::Session => session.or(doc).cloned().unwrap_or_default(),
                _ => session.into_iter().chain(doc).flatten().cloned().collect(),
            }
        })
        .collect())
}

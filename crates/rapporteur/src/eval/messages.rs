//! Scoring drafted messages: ROUGE against the reference messages of the labels, side by
//! side with the lead and LexRank baselines in the same word budget; guideline compliance
//! of the drafts; and the same ROUGE comparison on real IGF texts (the 2019 Data Governance
//! session reports against the opening of the 2019 Data Governance messages).
//!
//! Per question, the system's messages form one summary and the question's reference
//! messages one reference; the baselines pick from the same statements (those placed on
//! the question), as written, up to as many words as the system's messages have.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::Labels;
use super::baselines::{Sentence, lead, lexrank};
use super::rouge::{Rouge, rouge};
use crate::converge::{AssignBy, ConvergeParams, Converged};
use crate::draft::{DraftValidParams, Messages, Violation};
use crate::ingest::{IngestOptions, load};
use crate::model::Kind;
use crate::questions::{PolicyQuestions, Question, Track};

/// ROUGE of the three systems on one question (or one real-text set).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Question id.
    pub question: String,
    /// Words of the system's messages (the baselines' budget).
    pub words: usize,
    /// Words of the reference.
    pub reference_words: usize,
    /// The drafted messages.
    pub system: Rouge,
    /// The lead baseline.
    pub lead: Rouge,
    /// The LexRank baseline.
    pub lexrank: Rouge,
}

/// Guideline compliance of a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compliance {
    /// Messages checked.
    pub messages: usize,
    /// Messages with no violation.
    pub compliant: usize,
    /// `compliant / messages`.
    pub share: f64,
    /// The violations.
    pub violations: Vec<Violation>,
}

impl Compliance {
    fn new(messages: usize, violations: Vec<Violation>) -> Compliance {
        let mut bad: Vec<&str> = violations.iter().map(|v| v.at.as_str()).collect();
        bad.sort_unstable();
        bad.dedup();
        let compliant = messages - bad.len().min(messages);
        Compliance {
            messages,
            compliant,
            share: if messages == 0 {
                1.0
            } else {
                compliant as f64 / messages as f64
            },
            violations,
        }
    }
}

/// The real-text comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RealText {
    /// Session reports read.
    pub documents: usize,
    /// Statements found in them.
    pub statements: usize,
    /// Reference message bullets.
    pub reference_messages: usize,
    /// ROUGE of the three systems.
    pub scores: Comparison,
    /// The drafted messages.
    pub messages: Vec<String>,
    /// Their guideline compliance.
    pub compliance: Compliance,
}

/// The evaluation of drafted messages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessagesEval {
    /// Per question.
    pub questions: Vec<Comparison>,
    /// Mean over questions.
    pub mean: BTreeMap<String, Rouge>,
    /// Guideline compliance of the drafted messages.
    pub compliance: Compliance,
    /// The same on real texts, when they were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub real_text: Option<RealText>,
}

/// The comparison on one pool of statements (indices into `c.statements`).
fn compare(
    c: &Converged,
    question: &str,
    pool: &[usize],
    system: &str,
    reference: &str,
) -> Comparison {
    let words = system.split_whitespace().count();
    let positions: Vec<usize> = pool
        .iter()
        .map(|&i| {
            pool.iter()
                .filter(|&&j| c.statements[j].doc == c.statements[i].doc && j < i)
                .count()
        })
        .collect();
    let sentences: Vec<Sentence> = pool
        .iter()
        .zip(&positions)
        .map(|(&i, &position)| Sentence {
            text: &c.statements[i].quote,
            doc: &c.statements[i].doc,
            position,
            row: c.space.row(i),
        })
        .collect();
    Comparison {
        question: question.to_string(),
        words,
        reference_words: reference.split_whitespace().count(),
        system: rouge(system, reference),
        lead: rouge(&lead(&sentences, words), reference),
        lexrank: rouge(&lexrank(&sentences, words), reference),
    }
}

fn message_count(m: &Messages) -> usize {
    m.tracks
        .iter()
        .flat_map(|t| &t.questions)
        .map(|q| q.messages.len())
        .sum()
}

/// Scores drafted messages against the labels' reference messages.
pub fn evaluate(c: &Converged, messages: &Messages, labels: &Labels) -> MessagesEval {
    let mut questions = Vec::new();
    for q in messages.tracks.iter().flat_map(|t| &t.questions) {
        let reference: Vec<&str> = labels
            .reference_messages
            .iter()
            .filter(|m| m.policy_question == q.id)
            .map(|m| m.text.as_str())
            .collect();
        if reference.is_empty() {
            continue;
        }
        let system: Vec<&str> = q.messages.iter().map(|m| m.text.as_str()).collect();
        let pool: Vec<usize> = (0..c.statements.len())
            .filter(|&i| c.statements[i].policy_question.as_deref() == Some(q.id.as_str()))
            .collect();
        questions.push(compare(
            c,
            &q.id,
            &pool,
            &system.join(" "),
            &reference.join(" "),
        ));
    }
    let mut mean = BTreeMap::new();
    for (name, pick) in [
        (
            "system",
            (|q: &Comparison| q.system) as fn(&Comparison) -> Rouge,
        ),
        ("lead", |q: &Comparison| q.lead),
        ("lexrank", |q: &Comparison| q.lexrank),
    ] {
        mean.insert(
            name.to_string(),
            Rouge::mean(&questions.iter().map(pick).collect::<Vec<_>>()),
        );
    }
    MessagesEval {
        questions,
        mean,
        compliance: Compliance::new(message_count(messages), messages.violations.clone()),
        real_text: None,
    }
}

/// The files of the real-text comparison, in a folder of IGF texts.
pub const REAL_TEXT_FILES: [&str; 4] = [
    "igf_session_reports.jsonl",
    "igf_messages.jsonl",
    "igf_track_definitions.jsonl",
    "igf_proposals_2017_2022.jsonl",
];

/// Drafts messages from the 2019 Data Governance session reports of a folder of real IGF
/// texts and compares them with the opening of the 2019 Data Governance messages. `None`
/// when the folder lacks the files.
pub fn real_text(dir: &Path, draft: &DraftValidParams) -> Result<Option<RealText>, crate::Error> {
    if !REAL_TEXT_FILES.iter().all(|f| dir.join(f).is_file()) {
        return Ok(None);
    }
    let paths: Vec<_> = REAL_TEXT_FILES.iter().map(|f| dir.join(f)).collect();
    let (docs, _) = load(&paths, &IngestOptions::default())?;
    let track = "Data Governance";
    let reports: Vec<_> = docs
        .iter()
        .filter(|d| {
            d.kind == Kind::Report && d.year == Some(2019) && d.track.as_deref() == Some(track)
        })
        .cloned()
        .collect();
    let reference: Vec<String> = docs
        .iter()
        .filter(|d| {
            d.kind == Kind::Message && d.year == Some(2019) && d.track.as_deref() == Some(track)
        })
        .flat_map(|d| d.text.lines())
        .filter_map(|l| l.trim().strip_prefix('•'))
        .map(|l| l.trim().to_string())
        .collect();
    // The 2019 call's track narrative stands for the question (the 2019 programme had
    // themes, not focused questions).
    let narrative = docs
        .iter()
        .find(|d| {
            d.kind == Kind::Other && d.year == Some(2019) && d.track.as_deref() == Some(track)
        })
        .map_or_else(|| track.to_string(), |d| d.text.to_string());
    let questions = PolicyQuestions {
        year: Some(2019),
        title: None,
        tracks: vec![Track {
            id: "data-governance".into(),
            name: track.into(),
            narrative: None,
            questions: vec![Question {
                id: "data-governance-2019".into(),
                text: narrative,
                narrative: None,
                keywords: Vec::new(),
            }],
        }],
        open_track: None,
    };
    if reports.is_empty() || reference.is_empty() {
        return Ok(None);
    }
    // The proposals' organisers and speakers feed the names gazetteer.
    let mut input = reports.clone();
    input.extend(docs.iter().filter(|d| d.kind == Kind::Proposal).cloned());
    let c = ConvergeParams::new()
        .year(Some(2019))
        .kinds(vec![Kind::Report])
        .assign(AssignBy::Document)
        .check()?
        .fit(&input, &questions)?;
    let messages = draft.messages(&c, &questions);
    let texts: Vec<String> = messages
        .tracks
        .iter()
        .flat_map(|t| &t.questions)
        .flat_map(|q| q.messages.iter().map(|m| m.text.clone()))
        .collect();
    let pool: Vec<usize> = (0..c.statements.len()).collect();
    let scores = compare(
        &c,
        "data-governance-2019",
        &pool,
        &texts.join(" "),
        &reference.join(" "),
    );
    Ok(Some(RealText {
        documents: reports.len(),
        statements: c.statements.len(),
        reference_messages: reference.len(),
        scores,
        compliance: Compliance::new(texts.len(), messages.violations.clone()),
        messages: texts,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Rule;

    #[test]
    fn compliance_counts_messages_not_violations() {
        let v = |at: &str| Violation {
            line: None,
            at: at.into(),
            rule: Rule::Length,
            message: String::new(),
        };
        let c = Compliance::new(
            4,
            vec![v("q1 message 1"), v("q1 message 1"), v("q2 message 3")],
        );
        assert_eq!(c.compliant, 2);
        assert!((c.share - 0.5).abs() < 1e-12);
        assert_eq!(Compliance::new(0, Vec::new()).share, 1.0);
    }
}

//! Gold labels of a corpus (`corpora/labels/*.json`), read only by evaluation.
//!
//! A labels folder holds one or more JSON files, each with the sections below; files are
//! merged (a document labelled twice is an error). The schema is documented in
//! `corpora/AUTHORING.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The label of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocLabel {
    /// Track id, or `open` for the open / emerging track.
    pub track: String,
    /// Focused policy question ids the document answers.
    #[serde(default)]
    pub policy_questions: Vec<String>,
    /// Emergent theme, for documents that answer no focused question.
    #[serde(default)]
    pub emergent: Option<String>,
}

impl DocLabel {
    /// The document's primary class for clustering: its first question, or
    /// `emergent:<theme>`.
    pub fn primary(&self) -> String {
        match (self.policy_questions.first(), &self.emergent) {
            (Some(q), _) => q.clone(),
            (None, Some(theme)) => format!("emergent:{theme}"),
            (None, None) => format!("track:{}", self.track),
        }
    }
}

/// Two passages that overlap, quoted from the two texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// From the first document.
    pub a: String,
    /// From the second document.
    pub b: String,
}

/// A labelled overlapping pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverlapPair {
    /// First document.
    pub a: String,
    /// Second document.
    pub b: String,
    /// `same_proposal`, `strong_overlap` or `related`.
    pub class: String,
    /// `near_verbatim`, `paraphrase`, `same_team` or `cross_year`.
    pub difficulty: String,
    /// The passages that overlap.
    #[serde(default)]
    pub passages: Vec<Passage>,
}

/// A labelled pair that must not be flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardNegative {
    /// First document.
    pub a: String,
    /// Second document.
    pub b: String,
    /// `shared_boilerplate`, `stock_text` or `menu_question`.
    pub reason: String,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
}

/// A point of convergence: the same point made in several sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvergencePoint {
    /// Label id.
    pub id: String,
    /// Question id.
    pub policy_question: String,
    /// One-line summary.
    pub point: String,
    /// Statement references `<doc id>#<line>`.
    pub statements: Vec<String>,
}

/// One side of a divergence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    /// The position.
    pub position: String,
    /// Statement references.
    pub statements: Vec<String>,
}

/// A point of divergence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DivergencePoint {
    /// Label id.
    pub id: String,
    /// Question id.
    pub policy_question: String,
    /// What is contested.
    pub point: String,
    /// True when the disagreement was stated inside one session.
    pub within_session: bool,
    /// The positions.
    pub sides: Vec<Side>,
}

/// A reference thematic message, written by hand from the takeaways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceMessage {
    /// Question id.
    pub policy_question: String,
    /// `converging` or `diverging`.
    pub class: String,
    /// The message.
    pub text: String,
    /// Takeaway ids it was written from.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// All labels of a corpus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    /// Per-document labels.
    #[serde(default)]
    pub documents: BTreeMap<String, DocLabel>,
    /// Overlapping proposal pairs.
    #[serde(default)]
    pub overlap_pairs: Vec<OverlapPair>,
    /// Pairs that share stock text but not a topic.
    #[serde(default)]
    pub hard_negatives: Vec<HardNegative>,
    /// Convergence points.
    #[serde(default)]
    pub convergence: Vec<ConvergencePoint>,
    /// Divergence points.
    #[serde(default)]
    pub divergence: Vec<DivergencePoint>,
    /// Reference messages.
    #[serde(default)]
    pub reference_messages: Vec<ReferenceMessage>,
}

/// A labels file or folder that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct LabelsError {
    /// File or folder.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl Labels {
    /// Reads a labels file, or every `*.json` file of a folder (sorted), merged.
    pub fn load(path: &Path) -> Result<Labels, LabelsError> {
        let err = |path: &Path, message: String| LabelsError {
            path: path.to_path_buf(),
            message,
        };
        let files = if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| err(path, e.to_string()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(err(
                    path,
                    "no labels: the folder holds no .json file".into(),
                ));
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut all = Labels::default();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|e| err(&file, e.to_string()))?;
            let part: Labels =
                serde_json::from_str(&text).map_err(|e| err(&file, e.to_string()))?;
            for (id, label) in part.documents {
                if all.documents.insert(id.clone(), label).is_some() {
                    return Err(err(&file, format!("document `{id}` is labelled twice")));
                }
            }
            all.overlap_pairs.extend(part.overlap_pairs);
            all.hard_negatives.extend(part.hard_negatives);
            all.convergence.extend(part.convergence);
            all.divergence.extend(part.divergence);
            all.reference_messages.extend(part.reference_messages);
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    //! The bundled sample corpus against its labels: counts and consistency promised in
    //! `corpora/README.md`.
    use super::*;
    use crate::ingest::{IngestOptions, load};
    use crate::model::{Document, Kind};
    use std::collections::{BTreeSet, HashMap};

    fn corpus() -> (Vec<Document>, Labels) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora");
        let (docs, _) = load(&[root.join("sample")], &IngestOptions::default()).unwrap();
        let labels = Labels::load(&root.join("labels")).unwrap();
        (docs, labels)
    }

    fn lines(doc: &Document) -> Vec<&str> {
        doc.text.lines().filter(|l| !l.trim().is_empty()).collect()
    }

    #[test]
    fn every_document_is_labelled_and_every_label_exists() {
        let (docs, labels) = corpus();
        let ids: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        for d in &docs {
            assert!(
                labels.documents.contains_key(&d.id),
                "{} has no label",
                d.id
            );
        }
        for id in labels.documents.keys() {
            assert!(ids.contains(id.as_str()), "label for unknown document {id}");
        }
        let pair_ids = labels
            .overlap_pairs
            .iter()
            .flat_map(|p| [&p.a, &p.b])
            .chain(labels.hard_negatives.iter().flat_map(|p| [&p.a, &p.b]));
        for id in pair_ids {
            assert!(
                ids.contains(id.as_str()),
                "pair names unknown document {id}"
            );
        }
    }

    #[test]
    fn counts_match_the_corpus_spec() {
        let (docs, labels) = corpus();
        let of = |kind: Kind, year: u16| {
            docs.iter()
                .filter(|d| d.kind == kind && d.year == Some(year))
                .collect::<Vec<_>>()
        };
        let proposals = of(Kind::Proposal, 2026);
        assert!(proposals.len() >= 120, "{} proposals", proposals.len());
        for p in &proposals {
            let words = p.text.split_whitespace().count();
            assert!(words >= 120, "{} has {words} words", p.id);
            assert!(
                !p.speakers.is_empty(),
                "{}: the form parser found no speakers",
                p.id
            );
            assert!(
                !p.policy_questions.is_empty(),
                "{}: no policy questions parsed",
                p.id
            );
        }
        let fr_es = proposals
            .iter()
            .filter(|p| matches!(p.language.as_deref(), Some("fr" | "es")))
            .count();
        assert!(
            fr_es >= 12,
            "{fr_es} French or Spanish proposals (detected)"
        );
        let label = |d: &Document| &labels.documents[&d.id];
        let two = proposals
            .iter()
            .filter(|p| label(p).policy_questions.len() >= 2)
            .count();
        assert!(two >= 5, "{two} proposals address two questions");
        let mut themes: HashMap<&str, usize> = HashMap::new();
        for p in &proposals {
            if let Some(t) = &label(p).emergent {
                *themes.entry(t.as_str()).or_default() += 1;
            }
        }
        assert!(themes.values().sum::<usize>() >= 10, "{themes:?}");
        assert!(
            (2..=3).contains(&themes.len()) && themes.values().all(|&n| n >= 3),
            "{themes:?}"
        );

        let takeaways = of(Kind::Takeaway, 2026);
        assert!(takeaways.len() >= 40, "{} takeaways", takeaways.len());
        let ids: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        for t in &takeaways {
            assert!((3..=4).contains(&lines(t).len()), "{}", t.id);
            let session = t.session.as_deref().unwrap();
            assert!(ids.contains(session), "{} links to missing {session}", t.id);
            assert!(
                !t.stakeholder_groups().is_empty(),
                "{}: no stakeholder groups",
                t.id
            );
        }
        assert!(of(Kind::Report, 2026).len() >= 6);
        assert!(of(Kind::DcOutput, 2026).len() >= 8);
        for year in [2024, 2025] {
            assert!(of(Kind::Proposal, year).len() >= 30, "archive {year}");
        }

        assert!(labels.overlap_pairs.len() >= 20);
        assert!(labels.hard_negatives.len() >= 10);
        let difficulties: BTreeSet<&str> = labels
            .overlap_pairs
            .iter()
            .map(|p| p.difficulty.as_str())
            .collect();
        assert_eq!(
            difficulties,
            BTreeSet::from(["cross_year", "near_verbatim", "paraphrase", "same_team"])
        );
    }

    #[test]
    fn passages_and_statement_references_point_into_the_texts() {
        let (docs, labels) = corpus();
        let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for p in &labels.overlap_pairs {
            for passage in &p.passages {
                for (id, quote) in [(&p.a, &passage.a), (&p.b, &passage.b)] {
                    let text = squash(&by_id[id.as_str()].text);
                    assert!(
                        text.contains(&squash(quote)),
                        "{id} lacks passage {quote:?}"
                    );
                }
            }
        }
        let check = |r: &str| {
            let (id, n) = r.split_once('#').unwrap();
            let n: usize = n.parse().unwrap();
            assert!((1..=lines(by_id[id]).len()).contains(&n), "{r}");
        };
        for c in &labels.convergence {
            c.statements.iter().for_each(|r| check(r));
            let sessions: BTreeSet<_> = c.statements.iter().map(|r| r.split('#').next()).collect();
            assert!(sessions.len() >= 3, "{}", c.id);
        }
        for d in &labels.divergence {
            assert!(d.sides.len() >= 2, "{}", d.id);
            d.sides
                .iter()
                .flat_map(|s| &s.statements)
                .for_each(|r| check(r));
        }
        let questions: BTreeSet<&str> = labels
            .reference_messages
            .iter()
            .map(|m| m.policy_question.as_str())
            .collect();
        assert_eq!(
            questions.len(),
            8,
            "reference messages for every question: {questions:?}"
        );
        for m in &labels.reference_messages {
            assert!(m.text.split_whitespace().count() <= 60, "{}", m.text);
        }
    }
}

//! The real IGF proposals of a shared folder of texts (`igf_proposals_2017_2022.jsonl`) as an
//! evaluation set, built at evaluation time and never written into the repository:
//!
//! - **clustering**: the 2019 proposals against the three 2019 themes, written here as one
//!   question each ([`questions_2019`]), scored against the tracks the file gives
//!   ([`track_labels`]: only tracks whose `track_basis` states evidence from the page, or
//!   every track as weak labels);
//! - **screening**: all proposals screened together; the `-v1`/`-v2` versions of one page are
//!   certain duplicates and must rank at the very top ([`version_pairs`]); 2021 proposals
//!   that paste the same menu policy question are not duplicates ([`menu_question_pairs`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::Labels;
use super::labels::DocLabel;
use super::metrics::{PrecisionRecall, roc_auc};
use crate::ingest::{IngestOptions, load};
use crate::model::{Document, Kind};
use crate::questions::{PolicyQuestions, Question, Track};
use crate::screen::{PairClass, ScreenError, ScreenValidParams};

/// The file of real proposals in a folder of IGF texts.
pub const PROPOSALS_FILE: &str = "igf_proposals_2017_2022.jsonl";

/// The 2019 themes: the track name the file uses, the question id, and one sentence written
/// for this evaluation (the 2019 call had themes, not focused questions).
const THEMES_2019: [(&str, &str, &str); 3] = [
    (
        "Data Governance",
        "data-governance",
        "How should personal and non-personal data be collected, shared, protected and used, \
         within and across borders, so that data-driven innovation serves people and respects \
         their privacy and rights?",
    ),
    (
        "Digital Inclusion",
        "digital-inclusion",
        "How can everyone, including women, persons with disabilities and people in rural and \
         developing regions, get affordable and meaningful Internet access and the skills to \
         use it?",
    ),
    (
        "Security, Safety, Stability & Resilience",
        "security",
        "How can governments, companies, the technical community and users keep the Internet \
         secure, safe, stable and resilient, through cybersecurity norms, cooperation against \
         attacks and protection from online harms?",
    ),
];

/// The proposals of a folder of real IGF texts, sorted by id; `None` when the folder lacks
/// [`PROPOSALS_FILE`].
pub fn load_proposals(dir: &Path) -> Result<Option<Vec<Document>>, crate::Error> {
    let path = dir.join(PROPOSALS_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let (docs, _) = load(&[path], &IngestOptions::default())?;
    let mut docs: Vec<Document> = docs
        .into_iter()
        .filter(|d| d.kind == Kind::Proposal)
        .collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Some(docs))
}

/// The three 2019 themes, one question each (see the module documentation).
pub fn questions_2019() -> PolicyQuestions {
    PolicyQuestions {
        year: Some(2019),
        title: Some("IGF 2019 themes (one question each, written for the evaluation)".into()),
        tracks: THEMES_2019
            .iter()
            .map(|(name, id, text)| Track {
                id: (*id).into(),
                name: (*name).into(),
                narrative: None,
                questions: vec![Question {
                    id: (*id).into(),
                    text: (*text).into(),
                    narrative: None,
                    keywords: Vec::new(),
                }],
            })
            .collect(),
        open_track: None,
    }
}

/// Which of the file's tracks count as labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackBasis {
    /// Tracks whose `track_basis` names evidence and does not say "inferred" (the approved
    /// list, the page's relevance-to-theme text, its title or policy questions).
    Stated,
    /// Every track given, inferred ones included (weak labels).
    Any,
}

/// Labels of the `year` proposals among `docs` that have a 2019 theme as track (accepted by
/// `basis`): the theme's question of [`questions_2019`].
pub fn track_labels(docs: &[Document], year: u16, basis: TrackBasis) -> Labels {
    let mut labels = Labels::default();
    for d in docs.iter().filter(|d| d.year == Some(year)) {
        let Some((_, id, _)) = THEMES_2019
            .iter()
            .find(|(name, _, _)| d.track.as_deref() == Some(*name))
        else {
            continue;
        };
        let stated = d
            .extra
            .get("track_basis")
            .and_then(|b| b.as_str())
            .is_some_and(|b| !b.to_lowercase().contains("inferred"));
        if basis == TrackBasis::Any || stated {
            labels.documents.insert(
                d.id.clone(),
                DocLabel {
                    track: (*id).into(),
                    policy_questions: vec![(*id).into()],
                    emergent: None,
                },
            );
        }
    }
    labels
}

/// Pairs of page versions (`<id>-v1`, `<id>-v2`, …) among `docs`, each pair sorted.
pub fn version_pairs(docs: &[Document]) -> Vec<(String, String)> {
    let mut pages: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in docs {
        if let Some((page, v)) = d.id.rsplit_once("-v")
            && !v.is_empty()
            && v.bytes().all(|b| b.is_ascii_digit())
        {
            pages.entry(page).or_default().push(&d.id);
        }
    }
    let mut pairs = Vec::new();
    for ids in pages.values_mut() {
        ids.sort_unstable();
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                pairs.push((a.to_string(), b.to_string()));
            }
        }
    }
    pairs
}

/// Pairs of 2021 proposals among `docs` whose policy questions share a line of at least 40
/// characters, as written (the 2021 form had proposers pick questions from a menu), each pair
/// sorted.
pub fn menu_question_pairs(docs: &[Document]) -> Vec<(String, String)> {
    let lines = |d: &Document| -> BTreeSet<String> {
        d.policy_questions
            .iter()
            .flat_map(|q| q.lines())
            .map(|l| l.trim().trim_start_matches('-').trim().to_lowercase())
            .filter(|l| l.chars().count() >= 40)
            .collect()
    };
    let of_2021: Vec<(&Document, BTreeSet<String>)> = docs
        .iter()
        .filter(|d| d.year == Some(2021))
        .map(|d| (d, lines(d)))
        .collect();
    let mut pairs = Vec::new();
    for (i, (a, la)) in of_2021.iter().enumerate() {
        for (b, lb) in &of_2021[i + 1..] {
            if !la.is_disjoint(lb) {
                let (x, y) = if a.id < b.id { (a, b) } else { (b, a) };
                pairs.push((x.id.clone(), y.id.clone()));
            }
        }
    }
    pairs.sort();
    pairs
}

/// One pair of interest, scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedPair {
    /// First document.
    pub a: String,
    /// Second document.
    pub b: String,
    /// The screening score.
    pub score: f32,
    /// Rank of the score among every pair (1 = highest; ties share the better rank).
    pub rank: usize,
    /// The class given by screening (`None`: not flagged).
    pub class: Option<PairClass>,
}

/// Screening of the real proposals against the pairs the file makes certain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RealScreen {
    /// Proposals screened (all years together).
    pub documents: usize,
    /// Pairs scored (every pair of documents).
    pub pairs: usize,
    /// The page-version pairs, by rank.
    pub versions: Vec<RankedPair>,
    /// Every page-version pair ranks above every other pair.
    pub versions_on_top: bool,
    /// ROC-AUC of the score, page-version pairs against every other pair.
    pub roc_auc: f64,
    /// Pairs classed `same_proposal` against the page-version pairs, every other pair taken
    /// as a negative (so precision is a lower bound: an unlabelled flag may be right).
    pub same_proposal: PrecisionRecall,
    /// Pairs flagged (any class) in all.
    pub flagged: usize,
    /// The 2021 pairs sharing a menu question, by rank.
    pub menu_pairs: Vec<RankedPair>,
    /// Of those, flagged at any class.
    pub menu_flagged: usize,
    /// Of those, classed `same_proposal` (must be 0).
    pub menu_same_proposal: usize,
}

/// Screens `docs` (all together) with `params` and scores every pair: the page versions
/// against the rest, and the 2021 menu-question pairs.
pub fn screen(docs: &[Document], params: &ScreenValidParams) -> Result<RealScreen, ScreenError> {
    let screener = params.fit(docs, &[])?;
    let flagged: BTreeMap<(String, String), PairClass> = screener
        .screen()
        .pairs
        .into_iter()
        .filter_map(|p| {
            let class = p.class?;
            Some((ordered(&p.a, &p.b), class))
        })
        .collect();
    let n = screener.documents().len();
    let mut scores: BTreeMap<(String, String), f32> = BTreeMap::new();
    for i in 0..n {
        for j in i + 1..n {
            let p = screener.pair(i, j);
            scores.insert(ordered(&p.a, &p.b), p.score);
        }
    }
    let ranked = |pairs: Vec<(String, String)>| -> Vec<RankedPair> {
        let mut out: Vec<RankedPair> = pairs
            .into_iter()
            .filter_map(|key| {
                let score = *scores.get(&key)?;
                Some(RankedPair {
                    rank: 1 + scores.values().filter(|&&s| s > score).count(),
                    score,
                    class: flagged.get(&key).copied(),
                    a: key.0,
                    b: key.1,
                })
            })
            .collect();
        out.sort_by(|x, y| x.rank.cmp(&y.rank).then_with(|| x.a.cmp(&y.a)));
        out
    };
    let versions = ranked(version_pairs(docs));
    let menu_pairs = ranked(menu_question_pairs(docs));
    let positive: BTreeSet<(&str, &str)> = versions
        .iter()
        .map(|p| (p.a.as_str(), p.b.as_str()))
        .collect();
    let (pos, neg): (Vec<_>, Vec<_>) = scores
        .iter()
        .partition(|((a, b), _)| positive.contains(&(a.as_str(), b.as_str())));
    let values = |v: &[(&(String, String), &f32)]| -> Vec<f64> {
        v.iter().map(|(_, s)| f64::from(**s)).collect()
    };
    let same: Vec<&(String, String)> = flagged
        .iter()
        .filter(|(_, c)| **c == PairClass::SameProposal)
        .map(|(k, _)| k)
        .collect();
    let tp = same
        .iter()
        .filter(|k| positive.contains(&(k.0.as_str(), k.1.as_str())))
        .count();
    Ok(RealScreen {
        documents: n,
        pairs: scores.len(),
        versions_on_top: versions.iter().all(|p| p.rank <= versions.len()),
        roc_auc: roc_auc(&values(&pos), &values(&neg)),
        same_proposal: PrecisionRecall::new(tp, same.len() - tp, versions.len() - tp),
        flagged: flagged.len(),
        menu_flagged: menu_pairs.iter().filter(|p| p.class.is_some()).count(),
        menu_same_proposal: menu_pairs
            .iter()
            .filter(|p| p.class == Some(PairClass::SameProposal))
            .count(),
        versions,
        menu_pairs,
    })
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, year: u16, track: Option<&str>, basis: Option<&str>, pq: &str) -> Document {
        let mut d = Document::new(id, Kind::Proposal, "text");
        d.year = Some(year);
        d.track = track.map(str::to_string);
        if let Some(b) = basis {
            d.extra.insert("track_basis".into(), b.into());
        }
        if !pq.is_empty() {
            d.policy_questions = vec![pq.to_string()];
        }
        d
    }

    #[test]
    fn versions_menu_pairs_and_labels() {
        let menu = "Regulation, competition and innovation: how could frameworks help?";
        let docs = vec![
            doc(
                "igf2019-ws1-v1",
                2019,
                Some("Data Governance"),
                Some("approved list"),
                "",
            ),
            doc(
                "igf2019-ws1-v2",
                2019,
                Some("Data Governance"),
                Some("topic - inferred"),
                "",
            ),
            doc(
                "igf2019-ws2",
                2019,
                Some("Other"),
                Some("approved list"),
                "",
            ),
            doc("igf2019-ws3", 2019, None, None, ""),
            doc(
                "igf2021-ws9",
                2021,
                None,
                None,
                &format!("- {menu}\nOwn question"),
            ),
            doc("igf2021-ws10", 2021, None, None, menu),
            doc(
                "igf2021-ws11",
                2021,
                None,
                None,
                "Another question entirely, long enough",
            ),
        ];
        assert_eq!(
            version_pairs(&docs),
            [("igf2019-ws1-v1".to_string(), "igf2019-ws1-v2".to_string())]
        );
        assert_eq!(
            menu_question_pairs(&docs),
            [("igf2021-ws10".to_string(), "igf2021-ws9".to_string())]
        );
        let stated = track_labels(&docs, 2019, TrackBasis::Stated);
        assert_eq!(
            stated.documents.keys().collect::<Vec<_>>(),
            ["igf2019-ws1-v1"]
        );
        assert_eq!(
            stated.documents["igf2019-ws1-v1"].primary(),
            "data-governance"
        );
        assert_eq!(
            track_labels(&docs, 2019, TrackBasis::Any).documents.len(),
            2
        );
        assert_eq!(questions_2019().questions().count(), 3);
    }
}

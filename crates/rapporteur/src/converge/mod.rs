//! Convergence and divergence: where sessions make the same point, where they oppose each
//! other, and what only one session said.
//!
//! [`ConvergeParams`] → [`ConvergeParams::check`] → [`ConvergeValidParams::fit`]:
//!
//! 1. **Statements** ([`statements`]): takeaways, reports and DC outputs are split into
//!    sentences, attribution and names stripped, provenance kept (document, line, session,
//!    kind, stakeholder groups and regions present).
//! 2. **Space** ([`space`]): one TF-IDF + LSA model ([`crate::vectors`]) fitted on the
//!    statements; similarity mixes the LSA and TF-IDF cosines.
//! 3. **Questions** ([`assign`]): each statement is placed on a policy question by the guided
//!    clustering of [`crate::cluster`] (of its session's proposal, by default).
//! 4. **Divergence** ([`stance`]): a line that reports a disagreement inside a session is a
//!    diverging point of its own; statements of different sessions on one question that argue
//!    opposite positions (similar, both positional, opposite evaluative polarity) form a
//!    diverging point with two sides.
//! 5. **Points**: the other statements of a question are grouped by average-linkage
//!    agglomerative clustering; a point is `converging` when it has support from enough
//!    sessions and stakeholder groups, else `emerging`.
//!
//! Deterministic: documents are taken in id order, the LSA is seeded and every tie is broken
//! by statement order.

pub mod assign;
pub mod names;
pub mod space;
pub mod stance;
pub mod statements;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

pub use assign::AssignBy;
pub use names::{NameKind, NameSpan, Names};
pub use space::Space;
pub use statements::Statement;

use crate::model::{Document, Kind, Region, StakeholderGroup};
use crate::questions::PolicyQuestions;
use crate::vectors::VectorParams;

/// Parameters of convergence analysis. Defaults, calibrated on the labels of the `data`
/// track of the sample corpus only (the `access` and `trust` tracks are held out; see
/// `rapporteur eval converge --calibrate`): statements of takeaways, reports and DC outputs,
/// placed by [`AssignBy::Hybrid`], similarity 0.75 · LSA + 0.25 · TF-IDF cosine, points
/// grouped on second-order similarity alone (`direct` 0) until the average falls below 0.3,
/// opposing
/// statements considered from a similarity of 0.15, a point converges with 3 sessions and
/// 2 stakeholder groups, statements of at least 5 words, 100 LSA dimensions (3 power
/// iterations), seed 42.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConvergeParams {
    year: Option<u16>,
    kinds: Vec<Kind>,
    assign: AssignBy,
    alpha: f32,
    direct: f32,
    threshold: f32,
    divergence_threshold: f32,
    min_sessions: usize,
    min_groups: usize,
    min_words: usize,
    dims: usize,
    seed: u64,
}

impl Default for ConvergeParams {
    fn default() -> Self {
        ConvergeParams::new()
    }
}

impl ConvergeParams {
    /// The defaults listed on the type.
    pub fn new() -> ConvergeParams {
        ConvergeParams {
            year: None,
            kinds: vec![Kind::Takeaway, Kind::Report, Kind::DcOutput],
            assign: AssignBy::Hybrid,
            alpha: 0.75,
            direct: 0.0,
            threshold: 0.3,
            divergence_threshold: 0.15,
            min_sessions: 3,
            min_groups: 2,
            min_words: 5,
            dims: 100,
            seed: 42,
        }
    }
    /// Only documents of this year (`None`: all).
    pub fn year(mut self, year: Option<u16>) -> Self {
        self.year = year;
        self
    }
    /// Kinds of documents split into statements.
    pub fn kinds(mut self, kinds: Vec<Kind>) -> Self {
        self.kinds = kinds;
        self
    }
    /// How statements are placed on questions.
    pub fn assign(mut self, by: AssignBy) -> Self {
        self.assign = by;
        self
    }
    /// Weight of the LSA cosine against the TF-IDF cosine in the similarity.
    pub fn alpha(mut self, alpha: f32) -> Self {
        self.alpha = alpha;
        self
    }
    /// Weight of the direct similarity against the second-order one (agreement of the two
    /// statements' similarity profiles over the question) when grouping points.
    pub fn direct(mut self, w: f32) -> Self {
        self.direct = w;
        self
    }
    /// Average similarity at which agglomerative clustering stops merging.
    pub fn threshold(mut self, t: f32) -> Self {
        self.threshold = t;
        self
    }
    /// Similarity from which two opposing statements are taken to be about one point.
    pub fn divergence_threshold(mut self, t: f32) -> Self {
        self.divergence_threshold = t;
        self
    }
    /// Sessions a point needs to converge.
    pub fn min_sessions(mut self, n: usize) -> Self {
        self.min_sessions = n;
        self
    }
    /// Stakeholder groups a point needs to converge.
    pub fn min_groups(mut self, n: usize) -> Self {
        self.min_groups = n;
        self
    }
    /// Shortest statement kept, in words.
    pub fn min_words(mut self, n: usize) -> Self {
        self.min_words = n;
        self
    }
    /// LSA dimensions.
    pub fn dims(mut self, n: usize) -> Self {
        self.dims = n;
        self
    }
    /// Seed of the LSA.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How statements are placed on questions.
    pub fn assign_by(&self) -> AssignBy {
        self.assign
    }

    /// The year read (`None`: all).
    pub fn selected_year(&self) -> Option<u16> {
        self.year
    }

    /// Whether documents of this kind are split into statements.
    pub fn reads(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    /// Sessions a point needs to converge.
    pub fn min_sessions_needed(&self) -> usize {
        self.min_sessions
    }

    /// Stakeholder groups a point needs to converge.
    pub fn min_groups_needed(&self) -> usize {
        self.min_groups
    }

    /// Validates the parameters.
    pub fn check(self) -> Result<ConvergeValidParams, ConvergeError> {
        let bad = |m: String| Err(ConvergeError::InvalidParams(m));
        for (name, w) in [("alpha", self.alpha), ("direct", self.direct)] {
            if !(0.0..=1.0).contains(&w) {
                return bad(format!("{name} must be in [0, 1], not {w}"));
            }
        }
        for (name, t) in [
            ("threshold", self.threshold),
            ("divergence threshold", self.divergence_threshold),
        ] {
            if !(-1.0..=1.0).contains(&t) {
                return bad(format!("{name} must be a similarity in [-1, 1], not {t}"));
            }
        }
        if self.min_sessions < 2 || self.min_groups == 0 {
            return bad(
                "a converging point needs at least 2 sessions and 1 stakeholder group".into(),
            );
        }
        if self.kinds.is_empty() {
            return bad("no kinds of documents to read statements from".into());
        }
        if self.dims == 0 {
            return bad("dims must be at least 1".into());
        }
        Ok(ConvergeValidParams(self))
    }
}

/// Checked [`ConvergeParams`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConvergeValidParams(ConvergeParams);

/// Errors of convergence analysis.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConvergeError {
    /// Invalid parameters.
    #[error("invalid convergence parameters: {0}")]
    InvalidParams(String),
    /// No statement to analyse.
    #[error("no statements found in {0}")]
    NoStatements(String),
}

/// The class of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Broad support: enough sessions and stakeholder groups.
    Converging,
    /// Contested: opposing positions, each side with its sources.
    Diverging,
    /// Narrow support (fewer sessions than a converging point needs).
    Emerging,
}

impl Class {
    /// The name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Converging => "converging",
            Class::Diverging => "diverging",
            Class::Emerging => "emerging",
        }
    }
}

/// Who supports a point.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Support {
    /// Distinct sessions (a takeaway or report without a session counts as its own).
    pub sessions: Vec<String>,
    /// Dynamic Coalition outputs (intersessional work, not sessions).
    pub outputs: Vec<String>,
    /// Stakeholder groups present in those sessions.
    pub stakeholder_groups: Vec<StakeholderGroup>,
    /// Regional groups present.
    pub regions: Vec<Region>,
    /// Kinds of documents.
    pub kinds: Vec<Kind>,
}

/// A statement as cited by a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cited {
    /// Statement id (`<doc>#<line>[.<sentence>]`).
    pub id: String,
    /// Document id.
    pub doc: String,
    /// Line number in the document.
    pub line: usize,
    /// The statement without attribution.
    pub text: String,
    /// The sentence as written, the names of people replaced by `[name]`
    /// ([`Statement::shown`]).
    pub quote: String,
    /// Which side of a diverging point it is on (0 or 1); both for a disagreement inside
    /// one session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<usize>,
}

/// One side of a diverging point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The position, in the words of its most central statement.
    pub position: String,
    /// Statement ids.
    pub statements: Vec<String>,
    /// Sessions on this side.
    pub sessions: Vec<String>,
}

/// How a point diverges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// A disagreement stated inside one session.
    pub within_session: bool,
    /// Opposing statements from different sessions.
    pub across_sessions: bool,
}

/// A point: statements of one question that make the same point, or that argue it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// `<question>-<n>`.
    pub id: String,
    /// Question id.
    pub policy_question: String,
    /// Track id.
    pub track: String,
    /// Converging, diverging or emerging.
    pub class: Class,
    /// The most central statement.
    pub summary: String,
    /// Who supports it.
    pub support: Support,
    /// Its statements.
    pub statements: Vec<Cited>,
    /// For a diverging point, its two sides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sides: Vec<Side>,
    /// For a diverging point, how it diverges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub divergence: Option<Divergence>,
    /// Indices of the statements in [`Converged::statements`].
    #[serde(skip)]
    pub members: Vec<usize>,
}

/// Counts for one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionCount {
    /// Question id.
    pub id: String,
    /// Track id.
    pub track: String,
    /// Statements placed on it.
    pub statements: usize,
    /// Points per class.
    pub points: BTreeMap<String, usize>,
}

/// The result of convergence analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Convergence {
    /// Documents read.
    pub documents: usize,
    /// Statements found.
    pub statements: usize,
    /// Statements placed on no focused question.
    pub unplaced: usize,
    /// Counts per question, in programme order.
    pub questions: Vec<QuestionCount>,
    /// Points, question by question: converging, diverging, then emerging, best supported
    /// first.
    pub points: Vec<Point>,
    /// The parameters used.
    pub params: ConvergeParams,
}

/// Convergence analysis with what drafting needs: the statements and their space.
#[derive(Debug, Clone)]
pub struct Converged {
    /// The result.
    pub convergence: Convergence,
    /// Every statement, with its question.
    pub statements: Vec<Statement>,
    /// The question index of every statement (order of [`PolicyQuestions::questions`]).
    pub question_of: Vec<Option<usize>>,
    /// The statement space.
    pub space: Space,
    /// The names gazetteer of the corpus.
    pub names: Names,
}

/// Statements placed on questions, before they are grouped into points.
#[derive(Debug, Clone)]
pub struct Prepared {
    documents: usize,
    statements: Vec<Statement>,
    question_of: Vec<Option<usize>>,
    space: Space,
    names: Names,
    questions: Vec<(String, String)>,
}

impl Prepared {
    /// The statements split from the outcomes, each with its policy question.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

/// Union-find root.
fn root(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    parent[i] = r;
    r
}

impl ConvergeValidParams {
    /// The parameters.
    pub fn params(&self) -> &ConvergeParams {
        &self.0
    }

    /// Analyses `docs` (all documents; the parameters select year and kinds; proposals
    /// give the sessions' questions and, with everyone's organisers and speakers, the names
    /// gazetteer) against the questions.
    pub fn fit(
        &self,
        docs: &[Document],
        questions: &PolicyQuestions,
    ) -> Result<Converged, crate::Error> {
        Ok(self.group(self.prepare(docs, questions)?))
    }

    /// The stages that do not depend on the similarity and thresholds: statements, their
    /// space and their questions (so that calibration can regroup without redoing them).
    pub fn prepare(
        &self,
        docs: &[Document],
        questions: &PolicyQuestions,
    ) -> Result<Prepared, crate::Error> {
        let p = &self.0;
        let in_year = |d: &&Document| p.year.is_none() || d.year == p.year;
        let mut outcomes: Vec<Document> = docs
            .iter()
            .filter(in_year)
            .filter(|d| p.kinds.contains(&d.kind))
            .cloned()
            .collect();
        outcomes.sort_by(|a, b| a.id.cmp(&b.id));
        let proposals: Vec<Document> = docs
            .iter()
            .filter(in_year)
            .filter(|d| d.kind == Kind::Proposal)
            .cloned()
            .collect();
        let names = Names::from_documents(docs);
        let opts = statements::SplitOptions {
            min_words: p.min_words,
        };
        let mut stmts: Vec<Statement> = outcomes
            .iter()
            .flat_map(|d| statements::split(d, &names, &opts))
            .collect();
        if stmts.len() < 2 {
            let what = match p.year {
                Some(y) => format!("the {y} takeaways, reports and outputs"),
                None => "the takeaways, reports and outputs".into(),
            };
            return Err(ConvergeError::NoStatements(what).into());
        }
        let space = self.space(&stmts)?;
        let question_of =
            assign::assign(p.assign, &stmts, &space, &outcomes, &proposals, questions)?;
        let questions: Vec<(String, String)> = questions
            .questions()
            .map(|(t, q)| (t.id.clone(), q.id.clone()))
            .collect();
        for (s, q) in stmts.iter_mut().zip(&question_of) {
            s.policy_question = q.map(|q| questions[q].1.clone());
        }
        Ok(Prepared {
            documents: outcomes.len(),
            statements: stmts,
            question_of,
            space,
            names,
            questions,
        })
    }

    /// Groups prepared statements into points with these parameters' similarity and
    /// thresholds.
    pub fn group(&self, prepared: Prepared) -> Converged {
        let p = &self.0;
        let Prepared {
            documents,
            statements: stmts,
            question_of,
            space,
            names,
            questions,
        } = prepared;
        let space = space.with_alpha(p.alpha);
        let mut points = Vec::new();
        let mut counts = Vec::new();
        // The questions' statements are grouped independently, in parallel; the points are
        // then numbered in question order.
        let found: Vec<(Vec<usize>, Vec<Point>)> = (0..questions.len())
            .into_par_iter()
            .map(|qi| {
                let members: Vec<usize> = (0..stmts.len())
                    .filter(|&i| question_of[i] == Some(qi))
                    .collect();
                let mine = self.points_of(&members, &stmts, &space);
                (members, mine)
            })
            .collect();
        for ((track, qid), (members, mut mine)) in questions.iter().zip(found) {
            mine.sort_by(|a, b| {
                a.class
                    .cmp(&b.class)
                    .then(b.support.sessions.len().cmp(&a.support.sessions.len()))
                    .then(
                        b.support
                            .stakeholder_groups
                            .len()
                            .cmp(&a.support.stakeholder_groups.len()),
                    )
                    .then(a.members.cmp(&b.members))
            });
            let mut per_class = BTreeMap::new();
            for (n, point) in mine.iter_mut().enumerate() {
                point.id = format!("{qid}-{}", n + 1);
                point.policy_question.clone_from(qid);
                point.track.clone_from(track);
                *per_class
                    .entry(point.class.as_str().to_string())
                    .or_default() += 1;
            }
            counts.push(QuestionCount {
                id: qid.clone(),
                track: track.clone(),
                statements: members.len(),
                points: per_class,
            });
            points.extend(mine);
        }
        let convergence = Convergence {
            documents,
            statements: stmts.len(),
            unplaced: question_of.iter().filter(|q| q.is_none()).count(),
            questions: counts,
            points,
            params: p.clone(),
        };
        Converged {
            convergence,
            statements: stmts,
            question_of,
            space,
            names,
        }
    }

    /// The statement space.
    fn space(&self, stmts: &[Statement]) -> Result<Space, crate::Error> {
        let p = &self.0;
        let pseudo: Vec<Document> = stmts
            .iter()
            .map(|s| {
                let mut d = Document::new(s.id.clone(), Kind::Other, s.text.clone());
                d.language = s.language.clone();
                d
            })
            .collect();
        // Statements are short: three power iterations keep their LSA accurate, whatever the
        // default of the vectors module.
        let vectors = VectorParams::new()
            .dims(p.dims)
            .power_iterations(3)
            .oversample(10)
            .seed(p.seed)
            .check()?
            .fit(&pseudo)?;
        Ok(Space::new(vectors, p.alpha))
    }

    /// The points of one question's statements.
    fn points_of(&self, members: &[usize], stmts: &[Statement], space: &Space) -> Vec<Point> {
        let p = &self.0;
        // Opposing statements of different sessions, linked.
        let mut parent: Vec<usize> = (0..stmts.len()).collect();
        let mut linked = BTreeSet::new();
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if stmts[a].source() != stmts[b].source()
                    && !stmts[a].within_session_divergence
                    && !stmts[b].within_session_divergence
                    && space.similarity(a, b) >= p.divergence_threshold
                    && stance::opposed(&stmts[a].quote, &stmts[b].quote)
                {
                    let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                    parent[ra.max(rb)] = ra.min(rb);
                    linked.insert(a);
                    linked.insert(b);
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in &linked {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        let mut points: Vec<Point> = groups
            .into_values()
            .map(|g| self.across(g, stmts, space))
            .collect();
        for &i in members
            .iter()
            .filter(|&&i| stmts[i].within_session_divergence)
        {
            points.push(self.within(i, stmts));
        }
        let rest: Vec<usize> = members
            .iter()
            .copied()
            .filter(|i| !linked.contains(i) && !stmts[*i].within_session_divergence)
            .collect();
        // Different lines of one document make different points.
        let apart =
            |a: usize, b: usize| stmts[a].doc == stmts[b].doc && stmts[a].line != stmts[b].line;
        // Second-order similarity: statements make the same point when they resemble the same
        // statements of the question (their similarity profiles agree), mixed with the direct
        // similarity by `direct`.
        let profiles: Vec<Vec<f32>> = rest
            .iter()
            .map(|&i| {
                let mut v: Vec<f32> = members
                    .iter()
                    .map(|&j| {
                        if i == j {
                            0.0
                        } else {
                            space.similarity(i, j).max(0.0)
                        }
                    })
                    .collect();
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                if norm > 0.0 {
                    v.iter_mut().for_each(|x| *x /= norm);
                }
                v
            })
            .collect();
        let at: HashMap<usize, usize> = rest.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let sim = |a: usize, b: usize| {
            let second: f32 = profiles[at[&a]]
                .iter()
                .zip(&profiles[at[&b]])
                .map(|(x, y)| x * y)
                .sum();
            p.direct * space.similarity(a, b) + (1.0 - p.direct) * second
        };
        for cluster in space::agglomerate(&rest, p.threshold, sim, apart) {
            let support = support(&cluster, stmts);
            let class = if support.sessions.len() >= p.min_sessions
                && support.stakeholder_groups.len() >= p.min_groups
            {
                Class::Converging
            } else {
                Class::Emerging
            };
            let central = central(&cluster, space);
            points.push(Point {
                id: String::new(),
                policy_question: String::new(),
                track: String::new(),
                class,
                summary: stmts[central].text.clone(),
                support,
                statements: cluster.iter().map(|&i| cite(&stmts[i], None)).collect(),
                sides: Vec::new(),
                divergence: None,
                members: cluster,
            });
        }
        points
    }

    /// A diverging point from opposing statements of different sessions: sides by the sign
    /// of their polarity.
    fn across(&self, members: Vec<usize>, stmts: &[Statement], space: &Space) -> Point {
        let side_of = |i: usize| usize::from(stance::polarity(&stmts[i].quote) < 0);
        let sides: Vec<Side> = (0..2)
            .map(|s| {
                let on: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&i| side_of(i) == s)
                    .collect();
                let c = central(&on, space);
                let mut sessions: Vec<String> =
                    on.iter().map(|&i| stmts[i].source().to_string()).collect();
                sessions.sort();
                sessions.dedup();
                Side {
                    position: stmts[c].text.clone(),
                    statements: on.iter().map(|&i| stmts[i].id.clone()).collect(),
                    sessions,
                }
            })
            .collect();
        let c = central(&members, space);
        Point {
            id: String::new(),
            policy_question: String::new(),
            track: String::new(),
            class: Class::Diverging,
            summary: stmts[c].text.clone(),
            support: support(&members, stmts),
            statements: members
                .iter()
                .map(|&i| cite(&stmts[i], Some(side_of(i))))
                .collect(),
            sides,
            divergence: Some(Divergence {
                within_session: false,
                across_sessions: true,
            }),
            members,
        }
    }

    /// A diverging point from a disagreement stated inside one session.
    fn within(&self, i: usize, stmts: &[Statement]) -> Point {
        let s = &stmts[i];
        let split = stance::within_session(&s.text, s.language.as_deref());
        let positions = split.map(|sp| sp.sides).unwrap_or_default();
        let sides = positions
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| Side {
                position: p.clone(),
                statements: vec![s.id.clone()],
                sessions: vec![s.source().to_string()],
            })
            .collect();
        Point {
            id: String::new(),
            policy_question: String::new(),
            track: String::new(),
            class: Class::Diverging,
            summary: s.text.clone(),
            support: support(&[i], stmts),
            statements: vec![cite(s, None)],
            sides,
            divergence: Some(Divergence {
                within_session: true,
                across_sessions: false,
            }),
            members: vec![i],
        }
    }
}

/// The member with the highest mean similarity to the others (the first on ties).
pub fn central(members: &[usize], space: &Space) -> usize {
    let mut best = (members[0], f32::MIN);
    for &i in members {
        let mean = members
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| space.similarity(i, j))
            .sum::<f32>()
            / (members.len().max(2) - 1) as f32;
        if mean > best.1 {
            best = (i, mean);
        }
    }
    best.0
}

fn cite(s: &Statement, side: Option<usize>) -> Cited {
    Cited {
        id: s.id.clone(),
        doc: s.doc.clone(),
        line: s.line,
        text: s.text.clone(),
        quote: s.shown.clone(),
        side,
    }
}

/// The support of a group of statements.
pub fn support(members: &[usize], stmts: &[Statement]) -> Support {
    let mut sessions = BTreeSet::new();
    let mut outputs = BTreeSet::new();
    let mut groups = BTreeSet::new();
    let mut regions = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    for &i in members {
        let s = &stmts[i];
        if s.kind == Kind::DcOutput {
            outputs.insert(s.doc.clone());
        } else {
            sessions.insert(s.source().to_string());
        }
        groups.extend(s.stakeholder_groups.iter().copied());
        regions.extend(s.regions.iter().copied());
        kinds.insert(s.kind);
    }
    Support {
        sessions: sessions.into_iter().collect(),
        outputs: outputs.into_iter().collect(),
        stakeholder_groups: groups.into_iter().collect(),
        regions: regions.into_iter().collect(),
        kinds: kinds.into_iter().collect(),
    }
}

#[cfg(test)]
pub(crate) mod tests;

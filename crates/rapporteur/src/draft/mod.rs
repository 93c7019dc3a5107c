//! Drafts of consolidated thematic messages, a booklet of Dynamic Coalition outputs, and a
//! guideline checker for any draft.
//!
//! [`DraftParams`] → [`DraftParams::check`] → [`DraftValidParams::messages`] turns the points
//! of a [`Converged`] analysis into 3–7 messages per policy question, organised by track
//! (guideline 5.4 of the MAG Working Group on Strategy). Messages are **extractive**: each
//! sentence is a source sentence, chosen for its centrality across the point's sessions,
//! a second one added by maximal marginal relevance (MMR) when the length limit leaves room,
//! then lightly compressed ([`compress`]: attribution already stripped, hedges trimmed,
//! asides dropped only as far as the limit needs). Converging points come first, then the
//! significant disagreements, phrased as such ("Views differed: some argued that …; others
//! warned that …") with the sources of both sides, then emerging points when a question has
//! fewer than three. Near-duplicate messages are merged (redundancy control). Decision-making
//! fora named in the statements become the message's "actionable by" ([`fora`]).
//!
//! [`DraftValidParams::booklet`] summarises each DC output in at most 80 words, grouped by
//! track. [`check`] checks any draft, including one written by a person.

pub mod check;
pub mod compress;
pub mod fora;

use std::collections::BTreeSet;

use serde::Serialize;

pub use check::{Checker, Rule, Violation};

use crate::converge::stance;
use crate::converge::{Class, Converged, Point, Statement};
use crate::model::{Document, Kind};
use crate::questions::PolicyQuestions;
use compress::{compress, compress_contrast, decapitalise, end_sentence, trim_hedges, words};

/// Parameters of drafting. Defaults: at most 60 words per message (80 per booklet entry), 3
/// to 7 messages per question, MMR weight 0.7, messages at a similarity of 0.45 or more to
/// an earlier one merged into it, at most 4 kinds of fora per message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftParams {
    max_words: usize,
    booklet_words: usize,
    min_messages: usize,
    max_messages: usize,
    lambda: f32,
    redundancy: f32,
    max_fora: usize,
}

impl Default for DraftParams {
    fn default() -> Self {
        DraftParams::new()
    }
}

impl DraftParams {
    /// The defaults listed on the type.
    pub fn new() -> DraftParams {
        DraftParams {
            max_words: 60,
            booklet_words: 80,
            min_messages: 3,
            max_messages: 7,
            lambda: 0.7,
            redundancy: 0.45,
            max_fora: 4,
        }
    }
    /// Longest message, in words.
    pub fn max_words(mut self, n: usize) -> Self {
        self.max_words = n;
        self
    }
    /// Longest booklet entry, in words.
    pub fn booklet_words(mut self, n: usize) -> Self {
        self.booklet_words = n;
        self
    }
    /// Fewest messages per question (when there are enough points).
    pub fn min_messages(mut self, n: usize) -> Self {
        self.min_messages = n;
        self
    }
    /// Most messages per question.
    pub fn max_messages(mut self, n: usize) -> Self {
        self.max_messages = n;
        self
    }
    /// MMR weight of relevance against novelty.
    pub fn lambda(mut self, l: f32) -> Self {
        self.lambda = l;
        self
    }
    /// Similarity from which a message is merged into an earlier one of the same class.
    pub fn redundancy(mut self, r: f32) -> Self {
        self.redundancy = r;
        self
    }

    /// The length limit of a message, in words.
    pub fn message_limit(&self) -> usize {
        self.max_words
    }

    /// The length limit of a booklet entry, in words.
    pub fn booklet_limit(&self) -> usize {
        self.booklet_words
    }

    /// Validates the parameters.
    pub fn check(self) -> Result<DraftValidParams, DraftError> {
        let bad = |m: String| Err(DraftError::InvalidParams(m));
        if self.max_words < 20 || self.booklet_words < 20 {
            return bad(format!(
                "messages need at least 20 words to state both sides of a disagreement, not {}",
                self.max_words.min(self.booklet_words)
            ));
        }
        if self.min_messages == 0 || self.min_messages > self.max_messages {
            return bad(format!(
                "messages per question must be between 1 and a maximum at least as large, not {}–{}",
                self.min_messages, self.max_messages
            ));
        }
        if !(0.0..=1.0).contains(&self.lambda) || !(0.0..=1.0).contains(&self.redundancy) {
            return bad("lambda and redundancy must be in [0, 1]".into());
        }
        Ok(DraftValidParams(self))
    }
}

/// Checked [`DraftParams`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftValidParams(DraftParams);

/// Errors of drafting.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DraftError {
    /// Invalid parameters.
    #[error("invalid drafting parameters: {0}")]
    InvalidParams(String),
}

/// A source sentence a message quotes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extract {
    /// Statement id.
    pub statement: String,
    /// Document id.
    pub doc: String,
    /// Line number in the document (the labels' `<doc>#<line>`).
    pub line: usize,
    /// Byte span of the sentence in the document text.
    pub span: [usize; 2],
    /// The sentence as written, the names of people replaced by `[name]`
    /// ([`Statement::shown`]): drafts never name individuals.
    pub quote: String,
}

/// One side of a disagreement, with its sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageSide {
    /// The position as drafted.
    pub position: String,
    /// Documents on this side.
    pub sources: Vec<String>,
}

/// A drafted message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// The message.
    pub text: String,
    /// Class of its point.
    pub class: Class,
    /// The point (or points, when near-duplicates were merged) it states.
    pub points: Vec<String>,
    /// Documents supporting it.
    pub sources: Vec<String>,
    /// Kinds of decision-making fora named in its statements.
    pub actionable_by: Vec<String>,
    /// The sentences it is made of.
    pub extracts: Vec<Extract>,
    /// For a disagreement, its sides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sides: Vec<MessageSide>,
    /// Words in the text.
    pub words: usize,
}

/// The messages of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionMessages {
    /// Question id.
    pub id: String,
    /// The question.
    pub text: String,
    /// Its messages: converging, diverging, then emerging.
    pub messages: Vec<Message>,
}

/// The messages of one track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackMessages {
    /// Track id.
    pub track: String,
    /// Track name.
    pub name: String,
    /// Its questions, in programme order.
    pub questions: Vec<QuestionMessages>,
}

/// The draft set of thematic messages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Messages {
    /// Tracks in programme order.
    pub tracks: Vec<TrackMessages>,
    /// Guideline violations found in the draft by [`Checker`] (none expected).
    pub violations: Vec<Violation>,
    /// The parameters.
    pub params: DraftParams,
}

/// A Dynamic Coalition output, summarised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BookletEntry {
    /// Document id.
    pub doc: String,
    /// Title of the output.
    pub title: String,
    /// The summary.
    pub summary: String,
    /// Words in the summary.
    pub words: usize,
    /// The sentences it is made of.
    pub extracts: Vec<Extract>,
    /// Kinds of decision-making fora the output addresses.
    pub actionable_by: Vec<String>,
}

/// The outputs of one track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BookletTrack {
    /// Track id (or the open track's).
    pub track: String,
    /// Track name.
    pub name: String,
    /// Its outputs, by id.
    pub outputs: Vec<BookletEntry>,
}

/// The booklet of DC outputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Booklet {
    /// Tracks in programme order.
    pub tracks: Vec<BookletTrack>,
    /// Guideline violations found in the booklet (none expected).
    pub violations: Vec<Violation>,
    /// The parameters.
    pub params: DraftParams,
}

/// Weight of a sentence's centrality by the kind of its document, when drafting messages:
/// takeaways first, then reports, then DC outputs (which have their booklet).
fn kind_weight(kind: Kind) -> f32 {
    match kind {
        Kind::Takeaway => 1.0,
        Kind::Report => 0.9,
        _ => 0.8,
    }
}

/// Least similarity of a second sentence to the first one of a message (or summary).
const COHERENCE: f32 = 0.15;

fn extract(s: &Statement) -> Extract {
    Extract {
        statement: s.id.clone(),
        doc: s.doc.clone(),
        line: s.line,
        span: s.span,
        quote: s.shown.clone(),
    }
}

fn sorted_docs<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    ids.map(str::to_string)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

impl DraftValidParams {
    /// The parameters.
    pub fn params(&self) -> &DraftParams {
        &self.0
    }

    /// Drafts the messages of every track and question, and checks them.
    pub fn messages(&self, c: &Converged, questions: &PolicyQuestions) -> Messages {
        let tracks = questions
            .tracks
            .iter()
            .map(|t| TrackMessages {
                track: t.id.clone(),
                name: t.name.clone(),
                questions: t
                    .questions
                    .iter()
                    .map(|q| QuestionMessages {
                        id: q.id.clone(),
                        text: q.text.clone(),
                        messages: self.question(c, &q.id),
                    })
                    .collect(),
            })
            .collect::<Vec<_>>();
        let checker = Checker::new(
            c,
            c.statements.iter().map(|s| s.doc.clone()),
            self.0.max_words,
        );
        let violations = tracks
            .iter()
            .flat_map(|t| &t.questions)
            .flat_map(|q| {
                q.messages.iter().enumerate().map(move |(n, m)| {
                    let refs: Vec<String> = m
                        .extracts
                        .iter()
                        .map(|e| e.statement.clone())
                        .chain(m.sources.iter().cloned())
                        .collect();
                    (format!("{} message {}", q.id, n + 1), &m.text, refs)
                })
            })
            .flat_map(|(at, text, refs)| checker.check_message(None, &at, text, &refs))
            .collect();
        Messages {
            tracks,
            violations,
            params: self.0.clone(),
        }
    }

    /// The messages of one question.
    fn question(&self, c: &Converged, qid: &str) -> Vec<Message> {
        let p = &self.0;
        let mut points: Vec<&Point> = c
            .convergence
            .points
            .iter()
            .filter(|pt| pt.policy_question == qid)
            .collect();
        // Points come sorted by class then support; emerging points with more than one
        // source before single-source ones.
        points.sort_by_key(|pt| {
            (
                pt.class,
                pt.class == Class::Emerging
                    && pt.support.sessions.len() + pt.support.outputs.len() < 2,
            )
        });
        let diverging = points
            .iter()
            .filter(|pt| pt.class == Class::Diverging)
            .count();
        let converging = points
            .iter()
            .filter(|pt| pt.class == Class::Converging)
            .count();
        // Up to three slots are kept for significant disagreements.
        let conv_slots = converging.min(p.max_messages - diverging.min(3).min(p.max_messages));
        let en = crate::analysis::Analyzer::get(crate::analysis::Lang::En);
        let mut out: Vec<(Message, crate::converge::space::Embedded)> = Vec::new();
        let mut conv_taken = 0;
        for pt in points {
            let room = match pt.class {
                Class::Converging => conv_taken < conv_slots,
                Class::Diverging => out.len() < p.max_messages,
                Class::Emerging => out.len() < p.min_messages,
            };
            if !room {
                continue;
            }
            let message = self.draft_point(c, pt);
            // Redundancy control: a near-duplicate of an earlier message of the same class
            // adds its points and sources to it instead.
            let e = c.space.embed(&message.text, en);
            let twin = out.iter().position(|(m, me)| {
                m.class == message.class && c.space.similarity_between(me, &e) >= p.redundancy
            });
            match twin {
                Some(k) => {
                    let m = &mut out[k].0;
                    m.points.extend(message.points);
                    m.sources =
                        sorted_docs(m.sources.iter().chain(&message.sources).map(String::as_str));
                }
                None => {
                    conv_taken += usize::from(pt.class == Class::Converging);
                    out.push((message, e));
                }
            }
        }
        out.into_iter().map(|(m, _)| m).collect()
    }

    /// Centrality of each member: mean similarity to the members of other sources (to all
    /// others when the point has one source).
    fn centrality(&self, c: &Converged, members: &[usize]) -> Vec<f32> {
        members
            .iter()
            .map(|&i| {
                let src = c.statements[i].source();
                let others: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&j| j != i && c.statements[j].source() != src)
                    .collect();
                let others = if others.is_empty() {
                    members.iter().copied().filter(|&j| j != i).collect()
                } else {
                    others
                };
                if others.is_empty() {
                    return 0.0;
                }
                others
                    .iter()
                    .map(|&j| c.space.similarity(i, j))
                    .sum::<f32>()
                    / others.len() as f32
            })
            .collect()
    }

    /// Picks sentences of `members` for a text of at most `budget` words: the most central
    /// one that fits, then by MMR while room is left. For a message (`one_point`), later
    /// sentences come from other sources and must stay close to the first. Returns the
    /// member indices in order of choice.
    fn pick(
        &self,
        c: &Converged,
        members: &[usize],
        budget: usize,
        max_picks: usize,
        one_point: bool,
    ) -> Vec<usize> {
        let score = self.centrality(c, members);
        let len = |i: usize| words(&trim_hedges(&c.statements[i].text));
        let mut picked: Vec<usize> = Vec::new();
        let mut used = 0;
        while picked.len() < max_picks {
            let left = budget.saturating_sub(used);
            let best = members
                .iter()
                .enumerate()
                .filter(|&(_, &i)| !picked.contains(&i))
                .filter(|&(_, &i)| {
                    let source = c.statements[i].source();
                    picked.is_empty()
                        || len(i) <= left
                            && (!one_point
                                || picked.iter().all(|&j| c.statements[j].source() != source))
                })
                .map(|(k, &i)| {
                    let redundancy = picked
                        .iter()
                        .map(|&j| c.space.similarity(i, j))
                        .fold(0.0f32, f32::max);
                    // A sentence too long for the limit needs cutting: prefer one that fits.
                    let fits = if len(i) <= budget { 0.0 } else { 0.1 };
                    // Messages consolidate what sessions said: their own words come first.
                    let voice = if one_point {
                        kind_weight(c.statements[i].kind)
                    } else {
                        1.0
                    };
                    let mmr = self.0.lambda * score[k] * voice
                        - (1.0 - self.0.lambda) * redundancy
                        - fits;
                    (i, mmr)
                })
                .fold(None, |b: Option<(usize, f32)>, (i, s)| match b {
                    Some((_, bs)) if bs >= s => b,
                    _ => Some((i, s)),
                });
            let Some((i, mmr)) = best else { break };
            let coherent = !one_point
                || picked
                    .first()
                    .is_none_or(|&j| c.space.similarity(i, j) >= COHERENCE);
            if !picked.is_empty() && (mmr <= 0.0 || left < 12 || !coherent) {
                break;
            }
            used += len(i).min(budget);
            picked.push(i);
        }
        picked
    }

    /// Drafts the message of one point.
    fn draft_point(&self, c: &Converged, pt: &Point) -> Message {
        let p = &self.0;
        let st = &c.statements;
        let across = pt.divergence.is_some_and(|d| d.across_sessions) && pt.sides.len() == 2;
        let (text, used, sides) = if across {
            self.across(c, pt)
        } else {
            let (text, picks) = if pt.class == Class::Diverging {
                let i = pt.members[0];
                (self.disagreement(&st[i].text), vec![i])
            } else {
                let picks = self.pick(c, &pt.members, p.max_words, 2, true);
                let mut text = String::new();
                let mut left = p.max_words;
                for &i in &picks {
                    let part = compress(&st[i].text, left);
                    left = left.saturating_sub(words(&part));
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&part);
                }
                (text, picks)
            };
            (text, picks, Vec::new())
        };
        let quotes: Vec<&str> = pt
            .members
            .iter()
            .map(|&i| st[i].quote.as_str())
            .chain([text.as_str()])
            .collect();
        Message {
            words: words(&text),
            actionable_by: fora::named(&quotes, p.max_fora),
            class: pt.class,
            points: vec![pt.id.clone()],
            sources: sorted_docs(pt.members.iter().map(|&i| st[i].doc.as_str())),
            extracts: used.iter().map(|&i| extract(&st[i])).collect(),
            sides,
            text,
        }
    }

    /// A disagreement reported inside one session: the sentences that carry it (the cue
    /// and the positions), compressed without losing a side, and said to be one.
    fn disagreement(&self, text: &str) -> String {
        let max = self.0.max_words;
        let sentences = crate::converge::statements::sentences(text);
        let carrying: Vec<&str> = sentences
            .iter()
            .map(|(_, s)| s.trim())
            .filter(|s| stance::reports_divergence(s) || stance::positional(s))
            .collect();
        // The sentences that carry the disagreement, then the ones after them while they
        // add little (a cue alone, "views differed", says too little).
        let all: Vec<&str> = sentences.iter().map(|(_, s)| s.trim()).collect();
        let mut chosen: Vec<&str> = if carrying.is_empty() {
            all.clone()
        } else {
            carrying
        };
        let first = all
            .iter()
            .position(|s| Some(s) == chosen.first())
            .unwrap_or(0);
        for s in &all[first..] {
            if chosen.iter().map(|c| words(c)).sum::<usize>() >= 20 {
                break;
            }
            if !chosen.contains(s) {
                chosen.push(s);
            }
        }
        chosen.sort_by_key(|s| all.iter().position(|a| a == s));
        let mut out = String::new();
        let mut left = max;
        for s in chosen {
            if left < 8 {
                break;
            }
            let part = compress_contrast(s, left);
            left = left.saturating_sub(words(&part));
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&part);
        }
        if stance::reports_divergence(&out) {
            out
        } else {
            compress_contrast(&format!("Views differed: {}", decapitalise(&out)), max)
        }
    }

    /// A disagreement across sessions: the central statement of each side.
    fn across(&self, c: &Converged, pt: &Point) -> (String, Vec<usize>, Vec<MessageSide>) {
        let st = &c.statements;
        let half = (self.0.max_words - 6) / 2;
        let mut used = Vec::new();
        let mut parts = Vec::new();
        let mut sides = Vec::new();
        for k in 0..pt.sides.len() {
            let members: Vec<usize> = pt
                .members
                .iter()
                .copied()
                .filter(|&i| {
                    pt.statements
                        .iter()
                        .any(|s| s.id == st[i].id && s.side == Some(k))
                })
                .collect();
            let pick = self.pick(c, &members, half, 1, true);
            let Some(&i) = pick.first() else { continue };
            let text = compress(&st[i].text, half);
            used.push(i);
            sides.push(MessageSide {
                position: text.clone(),
                sources: sorted_docs(members.iter().map(|&j| st[j].doc.as_str())),
            });
            parts.push((text, st[i].verb.clone()));
        }
        let clause =
            |(t, _): &(String, Option<String>)| decapitalise(t.trim_end_matches(['.', '…', ' ']));
        let text = match parts.as_slice() {
            [a, b] if a.1.is_some() && b.1.is_some() => format!(
                "Views differed: some {} that {}; others {} that {}.",
                a.1.as_deref().unwrap_or("held"),
                clause(a),
                b.1.as_deref().unwrap_or("held"),
                clause(b)
            ),
            [a, b] => format!(
                "Views differed. {} By contrast, {}",
                end_sentence(&a.0),
                end_sentence(&decapitalise(&b.0))
            ),
            _ => format!(
                "Views differed: {}",
                parts
                    .first()
                    .map(|p| decapitalise(&p.0))
                    .unwrap_or_default()
            ),
        };
        (text, used, sides)
    }

    /// Summarises every DC output in at most the booklet length, grouped by track (the
    /// track of the questions most of its statements are placed on), and checks them.
    pub fn booklet(
        &self,
        c: &Converged,
        docs: &[Document],
        questions: &PolicyQuestions,
    ) -> Booklet {
        let p = &self.0;
        let track_of_question: Vec<&str> =
            questions.questions().map(|(t, _)| t.id.as_str()).collect();
        let open = questions
            .open_track
            .as_ref()
            .map_or(("open", "Open and Emerging Issues"), |o| {
                (o.id.as_str(), o.name.as_str())
            });
        let mut tracks: Vec<BookletTrack> = questions
            .tracks
            .iter()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .chain([open])
            .map(|(id, name)| BookletTrack {
                track: id.to_string(),
                name: name.to_string(),
                outputs: Vec::new(),
            })
            .collect();
        let mut outputs: Vec<&Document> =
            docs.iter().filter(|d| d.kind == Kind::DcOutput).collect();
        outputs.sort_by(|a, b| a.id.cmp(&b.id));
        for d in outputs {
            let members: Vec<usize> = (0..c.statements.len())
                .filter(|&i| c.statements[i].doc == d.id)
                .collect();
            if members.is_empty() {
                continue;
            }
            let mut votes = vec![0usize; track_of_question.len()];
            for &i in &members {
                if let Some(q) = c.question_of[i] {
                    votes[q] += 1;
                }
            }
            let track = votes
                .iter()
                .enumerate()
                .filter(|&(_, &v)| v > 0)
                .fold(None, |b: Option<(usize, usize)>, (q, &v)| match b {
                    Some((_, bv)) if bv >= v => b,
                    _ => Some((q, v)),
                })
                .map_or(open.0, |(q, _)| track_of_question[q]);
            let mut picks = self.pick(c, &members, p.booklet_words, members.len(), false);
            picks.sort_unstable();
            let mut summary = String::new();
            let mut left = p.booklet_words;
            let mut used = Vec::new();
            for i in picks {
                if left < 8 {
                    break;
                }
                let part = compress(&c.statements[i].text, left);
                left = left.saturating_sub(words(&part));
                if !summary.is_empty() {
                    summary.push(' ');
                }
                summary.push_str(&part);
                used.push(i);
            }
            let quotes: Vec<&str> = members
                .iter()
                .map(|&i| c.statements[i].quote.as_str())
                .collect();
            let entry = BookletEntry {
                doc: d.id.clone(),
                title: d.title.clone(),
                words: words(&summary),
                summary,
                extracts: used.iter().map(|&i| extract(&c.statements[i])).collect(),
                actionable_by: fora::named(&quotes, p.max_fora),
            };
            if let Some(t) = tracks.iter_mut().find(|t| t.track == track) {
                t.outputs.push(entry);
            }
        }
        tracks.retain(|t| !t.outputs.is_empty());
        let checker = Checker::new(c, docs.iter().map(|d| d.id.clone()), p.booklet_words);
        let violations = tracks
            .iter()
            .flat_map(|t| &t.outputs)
            .flat_map(|e| {
                checker.check_message(None, &e.doc, &e.summary, std::slice::from_ref(&e.doc))
            })
            .collect();
        Booklet {
            tracks,
            violations,
            params: p.clone(),
        }
    }
}

#[cfg(test)]
mod tests;

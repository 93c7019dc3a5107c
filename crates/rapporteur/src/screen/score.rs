//! Scoring one pair: signals, reused passages, evidence, class.

use std::borrow::Cow;

use serde::Serialize;

use super::passages::Part;
use super::sparse::{self, dot};
use super::{PASSAGE_BITS, ScreenPair, Screener, minhash};

/// The signals of a pair, each in `[0, 1]` unless said otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signals {
    /// TF-IDF cosine of the descriptions (content sections), passages weighted by rarity.
    pub description: f32,
    /// TF-IDF cosine of the policy questions, passages weighted by rarity (menu questions
    /// weigh little).
    pub policy_questions: f32,
    /// TF-IDF cosine of the titles.
    pub title: f32,
    /// Share of the two contents (questions and description; mean of both sides) in
    /// passages reused near-verbatim (a passage of the other text shares a word shingle with
    /// it and has a TF-IDF cosine of at least `verbatim`), each passage counted at its rarity
    /// weight: reused boilerplate counts little.
    pub shared_text: f32,
    /// How much the two texts are about the same thing:
    /// `(1 − shared_text) · rest + shared_text · content`, where `content` is the
    /// rarity-weighted cosine of the whole content (questions and description) and `rest`
    /// that of what is left once the reused passages are set aside. So one pasted paragraph
    /// does not make two unrelated proposals similar, while a text reused whole counts at
    /// its full similarity.
    pub topic: f32,
    /// Shared people over the smaller team, each weighted by how rare the person is.
    pub people: f32,
    /// Shared organisations over the fewer organisations, weighted by rarity.
    pub organisations: f32,
    /// Cosine of the LSA vectors (boilerplate-free text).
    pub lsa: f32,
    /// Exact Jaccard similarity of the boilerplate-free word shingles.
    pub shingle_jaccard: f32,
    /// Both state the same track (`None` when either states none). Reported, not scored.
    pub same_track: Option<bool>,
    /// Both state a policy question word for word (often a menu question). Reported, not
    /// scored: sharing a menu question is what unrelated proposals do.
    pub same_question: bool,
}

/// Two aligned passages, one from each text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence<'a> {
    /// Passage of `a` (borrowed from the document where it is a span of it, as most are:
    /// hundreds of thousands of flagged pairs copy no text).
    pub a_text: Cow<'a, str>,
    /// Passage of `b`.
    pub b_text: Cow<'a, str>,
    /// TF-IDF cosine of the two passages.
    pub similarity: f32,
    /// Rarity of the passages (the smaller weight, at least 1/2): 1 for text only these
    /// two documents have, lower for text found in a few more.
    pub rarity: f32,
}

/// Clamps to `[0, 1]`, turning `-0.0` (an empty float sum) into `0.0`.
fn unit(x: f32) -> f32 {
    x.clamp(0.0, 1.0) + 0.0
}

fn rarity(df: u32) -> f32 {
    if df <= 2 { 1.0 } else { 1.0 / (df - 1) as f32 }
}

/// Weighted overlap of two keyed sets over the smaller one, each shared key weighted by its
/// rarity (`df`).
fn overlap(a: &super::Keyed, b: &super::Keyed, df: &super::Frequencies) -> f32 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let sum: f32 = a
        .shared(b)
        .map(|(k, _)| rarity(df.get(&**k).copied().unwrap_or(1)))
        .sum();
    unit(sum / n as f32)
}

/// What scoring reuses across the candidate pairs of one document `a` (candidates come
/// sorted by `a`): its part sums scattered into dense vectors, so that a dot product with any
/// `b` costs one lookup per entry of `b` and adds the same products in the same column order
/// as [`dot`] (so gives the same sums), and the postings of its content passages, for the
/// evidence. One per chunk of candidates; loading another document clears only the entries
/// it set.
pub(super) struct Scratch {
    doc: Option<usize>,
    dense: [Vec<f32>; 3],
    postings: Option<Postings>,
}

/// A document's content passages (not titles, not boilerplate) and their terms as
/// `(column, passage, value)` postings sorted by column.
struct Postings {
    passages: Vec<usize>,
    list: Vec<(u32, u32, f32)>,
}

impl Scratch {
    /// Scratch for a screener whose vectors have `columns` columns.
    pub(super) fn new(columns: usize) -> Scratch {
        Scratch {
            doc: None,
            dense: std::array::from_fn(|_| vec![0.0; columns]),
            postings: None,
        }
    }

    /// Makes `a` the loaded document.
    fn load(&mut self, s: &Screener, a: usize) {
        if self.doc == Some(a) {
            return;
        }
        for (part, dense) in self.dense.iter_mut().enumerate() {
            if let Some(old) = self.doc {
                for &(c, _) in &s.parts[old].sums[part] {
                    dense[c as usize] = 0.0;
                }
            }
            for &(c, v) in &s.parts[a].sums[part] {
                dense[c as usize] = v;
            }
        }
        self.doc = Some(a);
        self.postings = None;
    }

    /// Dot product of the loaded document's `part` sum with `b`.
    fn dot(&self, part: usize, b: &[(u32, f32)]) -> f32 {
        let dense = &self.dense[part];
        b.iter()
            .fold(0.0, |sum, &(c, v)| sum + dense[c as usize] * v)
    }
}

impl<'a> Screener<'a> {
    /// The content passages of `a` and `b` reused near-verbatim in the other document: pairs
    /// of passages that share a word shingle and have a cosine of at least `verbatim`.
    fn reused(&self, a: usize, b: usize) -> (Vec<bool>, Vec<bool>) {
        let (ia, ib) = (self.shingle_index.row(a), self.shingle_index.row(b));
        let mut reused_a = vec![false; self.passages[a].len()];
        let mut reused_b = vec![false; self.passages[b].len()];
        let mut tried: Vec<(u32, u32)> = Vec::new();
        let hash = |x: u64| x >> PASSAGE_BITS;
        let passage = |x: u64| (x & ((1 << PASSAGE_BITS) - 1)) as u32;
        let (mut i, mut j) = (0, 0);
        while i < ia.len() && j < ib.len() {
            match hash(ia[i]).cmp(&hash(ib[j])) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let s = hash(ia[i]);
                    let end_a = i + ia[i..].iter().take_while(|&&x| hash(x) == s).count();
                    let end_b = j + ib[j..].iter().take_while(|&&x| hash(x) == s).count();
                    for &x in &ia[i..end_a] {
                        for &y in &ib[j..end_b] {
                            tried.push((passage(x), passage(y)));
                        }
                    }
                    i = end_a;
                    j = end_b;
                }
            }
        }
        tried.sort_unstable();
        tried.dedup();
        for (x, y) in tried {
            let (x, y) = (x as usize, y as usize);
            if !(reused_a[x] && reused_b[y])
                && dot(self.rows[a].row(x), self.rows[b].row(y)) >= self.params.verbatim
            {
                reused_a[x] = true;
                reused_b[y] = true;
            }
        }
        (reused_a, reused_b)
    }

    /// The signals of a pair (indices into [`Screener::documents`]). Each call sets up a
    /// scratch of the vocabulary's size: for many pairs, [`Screener::screen`] shares one.
    pub fn signals(&self, a: usize, b: usize) -> Signals {
        self.signals_in(&mut Scratch::new(self.columns), a, b)
    }

    /// [`Screener::signals`] with `a` loaded in `scratch`.
    pub(super) fn signals_in(&self, scratch: &mut Scratch, a: usize, b: usize) -> Signals {
        scratch.load(self, a);
        let (da, db) = (self.docs[a], self.docs[b]);
        let (reused_a, reused_b) = self.reused(a, b);
        // Share of the content reused, each passage counted at its rarity: reused
        // boilerplate counts little.
        let share = |i: usize, reused: &[bool]| {
            let shared: f32 = self.passages[i]
                .iter()
                .zip(reused)
                .filter(|(_, r)| **r)
                .map(|(p, _)| p.weight * p.shingles as f32)
                .sum();
            let len = self.parts[i].content_len;
            if len > 0.0 { shared / len } else { 0.0 }
        };
        let shared = (share(a, &reused_a) + share(b, &reused_b)) / 2.0;
        let (xa, xb) = (&self.parts[a], &self.parts[b]);
        let cosine = |part: Part| {
            let i = part as usize;
            let norms = xa.norms[i] * xb.norms[i];
            if norms > 0.0 {
                scratch.dot(i, &xb.sums[i]) / norms
            } else {
                0.0
            }
        };
        let (q, d) = (Part::Question as usize, Part::Description as usize);
        let content = if xa.content_norm * xb.content_norm > 0.0 {
            (scratch.dot(q, &xb.sums[q])
                + scratch.dot(q, &xb.sums[d])
                + scratch.dot(d, &xb.sums[q])
                + scratch.dot(d, &xb.sums[d]))
                / (xa.content_norm * xb.content_norm)
        } else {
            0.0
        };
        let rest = if reused_a.contains(&true) {
            // The content without the reused passages: summed from the passages left, not
            // subtracted from the whole (which leaves rounding residue when most is reused).
            let rest_of = |i: usize, reused: &[bool]| {
                sparse::weighted_sum(
                    self.passages[i]
                        .iter()
                        .zip(self.rows[i].iter())
                        .zip(reused)
                        .filter(|((p, _), r)| !**r && p.part != Part::Title)
                        .map(|((p, row), _)| (p.weight, row)),
                )
            };
            dot(&rest_of(a, &reused_a), &rest_of(b, &reused_b))
        } else {
            content
        };
        let (pa, pb) = (&self.people[a], &self.people[b]);
        Signals {
            description: unit(cosine(Part::Description)),
            policy_questions: unit(cosine(Part::Question)),
            title: unit(cosine(Part::Title)),
            shared_text: unit(shared),
            topic: unit((1.0 - shared) * rest + shared * content),
            people: overlap(&pa.names, &pb.names, &self.name_df),
            organisations: overlap(&pa.organisations, &pb.organisations, &self.organisation_df),
            lsa: unit(self.lsa.row(a).dot(&self.lsa.row(b))),
            shingle_jaccard: unit(
                minhash::jaccard(self.shingles.row(a), self.shingles.row(b)) as f32
            ),
            same_track: match (&da.track, &db.track) {
                (Some(x), Some(y)) => Some(x.trim().eq_ignore_ascii_case(y.trim())),
                _ => None,
            },
            same_question: self.questions[a]
                .iter()
                .any(|q| self.questions[b].binary_search(q).is_ok()),
        }
    }

    /// The postings of a document's content passages. All passage-pair cosines of a pair
    /// are found at once by merging the two documents' postings, so that each pair of
    /// passages meets only on the terms it shares.
    fn postings(&self, i: usize) -> Postings {
        let passages: Vec<usize> = (0..self.passages[i].len())
            .filter(|&k| {
                let p = &self.passages[i][k];
                p.part != Part::Title && p.weight >= super::TOPICAL
            })
            .collect();
        let mut list: Vec<(u32, u32, f32)> = passages
            .iter()
            .enumerate()
            .flat_map(|(x, &k)| {
                self.rows[i]
                    .row(k)
                    .iter()
                    .map(move |&(c, v)| (c, x as u32, v))
            })
            .collect();
        list.sort_unstable_by_key(|&(c, x, _)| (c, x));
        Postings { passages, list }
    }

    /// The best-aligned content passages of a pair: a one-to-one greedy matching of
    /// passages with cosine at least `min_evidence`, most telling (cosine × rarity) first.
    /// Boilerplate (passages weighing less than 1/2) is never evidence.
    fn evidence(&self, scratch: &mut Scratch, a: usize, b: usize) -> Vec<Evidence<'a>> {
        let p = &self.params;
        scratch.load(self, a);
        let pa = scratch.postings.get_or_insert_with(|| self.postings(a));
        let pb = self.postings(b);
        let (ca, la, cb, lb) = (&pa.passages, &pa.list, &pb.passages, &pb.list);
        let mut sums = vec![0f32; ca.len() * cb.len()];
        let (mut i, mut j) = (0, 0);
        while i < la.len() && j < lb.len() {
            match la[i].0.cmp(&lb[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let c = la[i].0;
                    let end_a = i + la[i..].iter().take_while(|t| t.0 == c).count();
                    let end_b = j + lb[j..].iter().take_while(|t| t.0 == c).count();
                    for &(_, x, va) in &la[i..end_a] {
                        let row = &mut sums[x as usize * cb.len()..][..cb.len()];
                        for &(_, y, vb) in &lb[j..end_b] {
                            row[y as usize] += va * vb;
                        }
                    }
                    i = end_a;
                    j = end_b;
                }
            }
        }
        let mut matches: Vec<(f32, f32, usize, usize)> = Vec::new();
        for (x, row) in sums.chunks(cb.len().max(1)).enumerate() {
            for (y, &s) in row.iter().enumerate() {
                if s >= p.min_evidence {
                    let w = self.passages[a][ca[x]]
                        .weight
                        .min(self.passages[b][cb[y]].weight);
                    matches.push((s * w, s, x, y));
                }
            }
        }
        // Most telling first; among equals, the longer passage (more to read, less chance).
        let length = |x: usize| self.passages[a][ca[x]].shingles;
        matches.sort_by(|m, n| {
            n.0.total_cmp(&m.0)
                .then(length(n.2).cmp(&length(m.2)))
                .then(m.2.cmp(&n.2))
                .then(m.3.cmp(&n.3))
        });
        let (mut used_a, mut used_b) = (vec![false; ca.len()], vec![false; cb.len()]);
        let mut chosen = Vec::with_capacity(p.evidence);
        for (_, similarity, x, y) in matches {
            if chosen.len() >= p.evidence {
                break;
            }
            if used_a[x] || used_b[y] {
                continue;
            }
            used_a[x] = true;
            used_b[y] = true;
            chosen.push((similarity, x, y));
        }
        // At its exact length, since the evidence of every flagged pair is kept: a vector
        // grown by pushes holds room for four items, most pairs have two or three (the
        // screening of 100,000 generated documents peaks 75 MiB lower this way).
        let mut evidence = Vec::with_capacity(chosen.len());
        evidence.extend(chosen.into_iter().map(|(similarity, x, y)| {
            let (pa, pb) = (&self.passages[a][ca[x]], &self.passages[b][cb[y]]);
            Evidence {
                a_text: pa.source.text_of(self.docs[a]),
                b_text: pb.source.text_of(self.docs[b]),
                similarity: unit(similarity),
                rarity: pa.weight.min(pb.weight),
            }
        }));
        evidence
    }

    /// Scores one pair of documents (indices into [`Screener::documents`]), with its
    /// evidence.
    pub fn pair(&self, a: usize, b: usize) -> ScreenPair<'a> {
        let mut scratch = Scratch::new(self.columns);
        let signals = self.signals_in(&mut scratch, a, b);
        self.pair_in(&mut scratch, a, b, signals)
    }

    /// A scored pair from its signals, with `a` loaded in `scratch`.
    pub(super) fn pair_in(
        &self,
        scratch: &mut Scratch,
        a: usize,
        b: usize,
        signals: Signals,
    ) -> ScreenPair<'a> {
        let p = &self.params;
        let (da, db) = (self.docs[a], self.docs[b]);
        let (pa, pb) = (&self.people[a], &self.people[b]);
        let score = p.weights.score(&signals);
        ScreenPair {
            a: Cow::Borrowed(&da.id),
            b: Cow::Borrowed(&db.id),
            a_title: Cow::Borrowed(&da.title),
            b_title: Cow::Borrowed(&db.title),
            a_year: da.year,
            b_year: db.year,
            score,
            class: p.thresholds.class(score, &signals),
            signals,
            evidence: self.evidence(scratch, a, b),
            shared_people: pa
                .names
                .shared(&pb.names)
                .map(|(_, d)| d.to_string())
                .collect(),
            shared_organisations: pa
                .organisations
                .shared(&pb.organisations)
                .map(|(_, d)| d.to_string())
                .collect(),
        }
    }
}

//! Documents cut into passages (sentences), each weighted by how rare its text is.
//!
//! A passage is a sentence or list item of the title, the policy questions or the content
//! sections of a proposal (description, expected outcomes…); format, logistics and
//! participation sections are left out, as are the people lines. Each passage carries the
//! hashes of its word shingles ([`super::minhash::shingles`]). Counting in how many teams'
//! documents each shingle occurs gives **boilerplate suppression**: a shingle found in the
//! documents of `df` teams weighs `1` when `df ≤ 2` (one pair can share it) and `1/(df − 1)`
//! beyond, so stock text, menu questions and an organisation's standard paragraph, pasted
//! into many proposals by different people, weigh little, while one team's proposal
//! resubmitted year after year does not become boilerplate; a passage weighs the mean of its
//! shingles. Policy questions picked from the
//! call's menu are multiplied by a further factor: the "Policy Question(s)" of a form that
//! also has "Additional Policy Questions Information" (as the 2021 form had), and any
//! question stated word for word by two proposals of one year that share no organiser or
//! speaker ([`mark_menu_questions`]): unrelated teams do not write the same question.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use serde::Serialize;

use super::minhash;
use crate::model::Document;

/// Which part of a document a passage comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The title.
    Title,
    /// A policy question.
    Question,
    /// Description, expected outcomes and the other content sections.
    Description,
}

/// A sentence of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Where its text is (whitespace collapsed): see [`Source::text`].
    pub source: Source,
    /// Where it comes from.
    pub part: Part,
    /// True for a policy question picked from the form's menu.
    pub menu: bool,
    /// Shingle hashes, sorted, without repeats.
    pub shingles: Vec<u64>,
    /// Rarity weight in `(0, 1]`, set by [`weigh`].
    pub weight: f32,
}

/// Sections that say nothing about the topic: format, logistics, participation, tags.
const SKIPPED_SECTIONS: &[&str] = &[
    "format",
    "format description",
    "session format",
    "online participation",
    "discussion facilitation",
    "sdgs",
    "agenda",
    "subtheme",
    "theme",
    "thematic track",
    "track",
    "issue area",
    "short title",
];

const MENU_SECTION: &str = "additional policy questions information";

fn is_question_section(name: &str) -> bool {
    name.starts_with("policy question")
        || name == MENU_SECTION
        || name == "key policy questions and expectations"
}

/// Where a passage's text is. Most passages are a span of their document, so the millions
/// of passages of an archive hold no copy of the text (at 100,000 generated proposals,
/// 2.7 million passages: the screening fit's peak fell by 385 MiB).
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Bytes `start..end` of a field of the document: field 0 is the title, field `k ≥ 1`
    /// is section `k − 1`, or the text when the document has no sections.
    Span {
        /// The field.
        field: u16,
        /// First byte.
        start: u32,
        /// End byte (exclusive).
        end: u32,
    },
    /// Its own copy, where cutting changed the text (spaces collapsed).
    Copy(Box<str>),
}

impl Source {
    /// The text, in `doc`, the document the passage was cut from.
    pub fn text<'d>(&'d self, doc: &'d Document) -> &'d str {
        match *self {
            Source::Span { field, start, end } => spanned(doc, field, start, end),
            Source::Copy(ref text) => text,
        }
    }

    /// The text as long as `doc` lives: borrowed from it for a span, else a copy.
    pub fn text_of<'d>(&self, doc: &'d Document) -> Cow<'d, str> {
        match *self {
            Source::Span { field, start, end } => Cow::Borrowed(spanned(doc, field, start, end)),
            Source::Copy(ref text) => Cow::Owned(text.to_string()),
        }
    }
}

/// Bytes `start..end` of field `field` of a document.
fn spanned(doc: &Document, field: u16, start: u32, end: u32) -> &str {
    &field_text(doc, field as usize)[start as usize..end as usize]
}

/// Field `k` of a document, as [`Source::Span`] numbers them.
fn field_text(doc: &Document, k: usize) -> &str {
    match k {
        0 => &doc.title,
        _ if doc.sections.is_empty() => &doc.text,
        _ => &doc.sections[k - 1].text,
    }
}

/// Splits text into sentences and list items: at line breaks, and after `.`, `?` or `!`
/// followed by a space and a capital, a digit or a quote (so "e.g. this" stays whole). List
/// markers (`1.`, `-`, `•`) are dropped, pieces without a letter are dropped, and pieces of
/// fewer than three words join the next one on their line. Spaces are collapsed: a sentence
/// is borrowed from `text` where that changes nothing, as it mostly does.
pub fn sentences(text: &str) -> Vec<Cow<'_, str>> {
    let mut cut = Cutter {
        text,
        out: Vec::new(),
        carry: String::new(),
        span: (0, 0),
    };
    for line in text.lines() {
        let line = strip_marker(line.trim());
        let mut start = 0;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let end = i + c.len_utf8();
            let boundary = matches!(c, '.' | '?' | '!')
                && chars.peek().is_some_and(|(_, n)| n.is_whitespace())
                && line[end..].trim_start().chars().next().is_some_and(|n| {
                    n.is_uppercase()
                        || n.is_ascii_digit()
                        || matches!(n, '"' | '“' | '«' | '¿' | '¡' | '(')
                });
            if boundary {
                cut.piece(&line[start..end]);
                start = end;
            }
        }
        cut.piece(&line[start..]);
        if !cut.carry.is_empty() {
            cut.emit();
        }
    }
    cut.out
}

/// The state of [`sentences`]: the sentence being gathered and where it lies in the text.
struct Cutter<'t> {
    text: &'t str,
    out: Vec<Cow<'t, str>>,
    /// The pieces gathered, spaces collapsed.
    carry: String,
    /// Byte range of `text` from the first gathered piece to the end of the last.
    span: (usize, usize),
}

impl<'t> Cutter<'t> {
    /// Adds a piece (a slice of the text) to the sentence; emits it once it has three words.
    fn piece(&mut self, piece: &'t str) {
        let piece = strip_marker(piece.trim());
        if !piece.chars().any(char::is_alphabetic) {
            return;
        }
        // Pieces are slices of the text: their place is their distance from its start.
        let at = piece.as_ptr() as usize - self.text.as_ptr() as usize;
        if self.carry.is_empty() {
            self.span.0 = at;
        } else {
            self.carry.push(' ');
        }
        self.span.1 = at + piece.len();
        self.carry
            .extend(piece.split_whitespace().flat_map(|w| [w, " "]));
        self.carry.truncate(self.carry.trim_end().len());
        if self.carry.split_whitespace().count() >= 3 {
            self.emit();
        }
    }

    /// Emits the gathered sentence: borrowed when the text has it as it is.
    fn emit(&mut self) {
        let raw = &self.text[self.span.0..self.span.1];
        let sentence = std::mem::take(&mut self.carry);
        self.out.push(if raw == sentence {
            Cow::Borrowed(raw)
        } else {
            Cow::Owned(sentence)
        });
    }
}

fn strip_marker(line: &str) -> &str {
    let rest = line.trim_start_matches(['-', '•', '*', '➢', '–', '·']);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = if digits > 0 && digits <= 2 {
        let after = &rest[digits..];
        after
            .strip_prefix(['.', ')'])
            .filter(|a| a.starts_with(' '))
            .unwrap_or(rest)
    } else {
        rest
    };
    rest.trim_start()
}

/// Cuts a document into passages (weights not yet set). Without sections the whole text
/// is the description.
pub fn passages(doc: &Document, k: usize) -> Vec<Passage> {
    let mut out = Vec::new();
    let mut add = |field: usize, part: Part, menu: bool| {
        let text = field_text(doc, field);
        for s in sentences(text) {
            let shingles = minhash::shingles(&s, k);
            if shingles.is_empty() {
                continue;
            }
            let span = match &s {
                Cow::Borrowed(b) => {
                    let start = b.as_ptr() as usize - text.as_ptr() as usize;
                    let span = |x: usize| u32::try_from(x).ok();
                    u16::try_from(field)
                        .ok()
                        .zip(span(start))
                        .zip(span(start + b.len()))
                        .map(|((field, start), end)| Source::Span { field, start, end })
                }
                Cow::Owned(_) => None,
            };
            out.push(Passage {
                source: span.unwrap_or_else(|| Source::Copy(s.into())),
                part,
                menu,
                shingles,
                weight: 1.0,
            });
        }
    };
    add(0, Part::Title, false);
    if doc.sections.is_empty() {
        add(1, Part::Description, false);
    } else {
        let has_menu = doc.sections.iter().any(|s| s.name == MENU_SECTION);
        for (k, s) in doc.sections.iter().enumerate() {
            if SKIPPED_SECTIONS.contains(&s.name.as_str()) {
                continue;
            }
            if is_question_section(&s.name) {
                add(k + 1, Part::Question, has_menu && s.name != MENU_SECTION);
            } else {
                add(k + 1, Part::Description, false);
            }
        }
    }
    out
}

/// Marks as menu questions the questions (passages of the policy questions, or ending in
/// `?`) that two documents state word for word when `unrelated(i, j)` says those documents
/// come from different proposers of one call; then every passage (titles apart) that copies
/// at least half its shingles from menu questions, marked here or before.
/// `documents[i]` is the document `docs[i]` was cut from.
pub fn mark_menu_questions(
    docs: &mut [Vec<Passage>],
    documents: &[&Document],
    unrelated: impl Fn(usize, usize) -> bool,
) {
    let mut by_text: HashMap<u64, Vec<(usize, usize)>, FxBuildHasher> = HashMap::default();
    for (d, ps) in docs.iter().enumerate() {
        for (k, p) in ps.iter().enumerate() {
            let text = p.source.text(documents[d]);
            if p.part == Part::Question || (p.part == Part::Description && text.ends_with('?')) {
                let key = minhash::fnv1a(minhash::words(text).join(" ").as_bytes());
                by_text.entry(key).or_default().push((d, k));
            }
        }
    }
    for places in by_text.values().filter(|v| v.len() > 1) {
        let menu = places.iter().enumerate().any(|(x, &(i, _))| {
            places[x + 1..]
                .iter()
                .any(|&(j, _)| i != j && unrelated(i.min(j), i.max(j)))
        });
        if menu {
            for &(d, k) in places {
                docs[d][k].menu = true;
            }
        }
    }
    // Text copied from menu questions is boilerplate wherever it stands: passages with at
    // least half their shingles from menu questions are menu text too.
    let menu: std::collections::HashSet<u64, FxBuildHasher> = docs
        .iter()
        .flatten()
        .filter(|p| p.menu)
        .flat_map(|p| p.shingles.iter().copied())
        .collect();
    if menu.is_empty() {
        return;
    }
    docs.par_iter_mut().flatten().for_each(|p| {
        if p.part != Part::Title && !p.menu {
            let copied = p.shingles.iter().filter(|s| menu.contains(s)).count();
            p.menu = 2 * copied >= p.shingles.len();
        }
    });
}

/// In how many teams' documents each shingle occurs, for shingles of two or more teams (the
/// rest: one). A team is a group of documents by the same people (see `teams` in the
/// parent module), so that a proposal resubmitted every year is not boilerplate while a
/// paragraph pasted by many teams is.
#[derive(Debug, Clone, Default)]
pub struct ShingleCounts {
    counts: HashMap<u64, u32, FxBuildHasher>,
}

impl ShingleCounts {
    /// Counts the distinct shingles of every document, once per team (`team[i]` is the team
    /// of document `i`).
    pub fn new(docs: &[Vec<Passage>], team: &[usize]) -> ShingleCounts {
        // The documents of each team, so that a team's shingles are merged before counting.
        let mut by_team: Vec<(usize, usize)> = team.iter().copied().zip(0..docs.len()).collect();
        by_team.sort_unstable();
        let teams: Vec<&[(usize, usize)]> = by_team.chunk_by(|a, b| a.0 == b.0).collect();
        let mut all: Vec<u64> = teams
            .par_iter()
            .flat_map_iter(|members| {
                let mut set: Vec<u64> = members
                    .iter()
                    .flat_map(|&(_, d)| docs[d].iter())
                    .flat_map(|p| p.shingles.iter().copied())
                    .collect();
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect();
        all.par_sort_unstable();
        let counts = all
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() > 1)
            .map(|run| (run[0], run.len() as u32))
            .collect();
        ShingleCounts { counts }
    }

    /// Teams whose documents have the shingle (1 for shingles never counted twice).
    pub fn df(&self, shingle: u64) -> u32 {
        self.counts.get(&shingle).copied().unwrap_or(1)
    }

    /// The rarity weight of a shingle: 1 up to 2 teams, `1/(df − 1)` beyond.
    pub fn weight(&self, shingle: u64) -> f32 {
        let df = self.df(shingle);
        if df <= 2 { 1.0 } else { 1.0 / (df - 1) as f32 }
    }
}

/// Sets every passage's weight: the mean shingle weight, times `menu_weight` for menu
/// questions. Returns each document's shingles of weight `topical` or more, sorted, without
/// repeats (the boilerplate-free shingles MinHash works on).
pub fn weigh(
    docs: &mut [Vec<Passage>],
    counts: &ShingleCounts,
    menu_weight: f32,
    topical: f32,
) -> Vec<Vec<u64>> {
    docs.par_iter_mut()
        .map(|ps| {
            let mut kept = Vec::new();
            for p in ps.iter_mut() {
                let mut sum = 0.0;
                for &s in &p.shingles {
                    let w = counts.weight(s);
                    sum += w;
                    if w >= topical {
                        kept.push(s);
                    }
                }
                p.weight = sum / p.shingles.len() as f32;
                if p.menu {
                    p.weight *= menu_weight;
                }
            }
            kept.sort_unstable();
            kept.dedup();
            kept
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Section};

    #[test]
    fn sentences_split_at_ends_and_lines_and_drop_markers() {
        let s = sentences(
            "1. What should a register contain? 2. Who checks it?\n- A bullet item with words\nFirst sentence here. Second one, e.g. this; third part follows. Dr. Who speaks.",
        );
        assert_eq!(
            s,
            [
                "What should a register contain?",
                "Who checks it?",
                "A bullet item with words",
                "First sentence here.",
                "Second one, e.g. this; third part follows.",
                "Dr. Who speaks."
            ]
        );
        assert!(sentences("  \n 12. \n").is_empty());
        assert_eq!(
            sentences("Pays : Sénégal. ¿Quién modera?"),
            ["Pays : Sénégal.", "¿Quién modera?"]
        );
        assert_eq!(sentences("Too short"), ["Too short"]);
        // Borrowed where the text has the sentence as it is (short pieces joined included),
        // a copy where spaces were collapsed or a dropped piece lies between.
        let borrowed = |s: &Cow<str>| matches!(s, Cow::Borrowed(_));
        let kinds = |text| sentences(text).iter().map(borrowed).collect::<Vec<_>>();
        assert_eq!(kinds("Hi there. We meet today."), [true]);
        assert_eq!(kinds("1. What should a register contain?"), [true]);
        assert_eq!(
            sentences("Two  spaces in here. Then 42. Short one. Fine words here."),
            [
                "Two spaces in here.",
                "Then 42. Short one.",
                "Fine words here."
            ]
        );
        assert_eq!(
            kinds("Two  spaces in here. Then 42. Short one. Fine words here."),
            [false, true, true]
        );
        assert_eq!(kinds("Hi. 12. Then more words."), [false]);
    }

    fn proposal(id: &str, description: &str, questions: &[(&str, &str)]) -> Document {
        let mut d = Document::new(id, Kind::Proposal, description);
        d.title = format!("Title of {id} about things");
        d.sections.push(Section {
            name: "format".into(),
            text: "Round Table - U-shape - 90 Min".into(),
        });
        for (name, text) in questions {
            d.sections.push(Section {
                name: (*name).into(),
                text: (*text).into(),
            });
        }
        d.sections.push(Section {
            name: "description".into(),
            text: description.into(),
        });
        d
    }

    #[test]
    fn parts_skip_logistics_and_mark_menu_questions() {
        let d = proposal(
            "a",
            "Community networks need spectrum. They also need finance.",
            &[
                (
                    "policy question(s)",
                    "How can the unconnected be connected by 2030?",
                ),
                (
                    MENU_SECTION,
                    "Which spectrum rules help village networks grow?",
                ),
            ],
        );
        let ps = passages(&d, 3);
        let parts: Vec<(Part, bool)> = ps.iter().map(|p| (p.part, p.menu)).collect();
        assert_eq!(
            parts,
            [
                (Part::Title, false),
                (Part::Question, true),
                (Part::Question, false),
                (Part::Description, false),
                (Part::Description, false)
            ]
        );
        assert!(!ps.iter().any(|p| p.source.text(&d).contains("Round Table")));
        // Passages are spans of the document, not copies (a single space between words).
        assert!(ps.iter().all(|p| matches!(p.source, Source::Span { .. })));
        let plain = Document::new(
            "b",
            Kind::Other,
            "Just a text without any form. Two sentences.",
        );
        assert!(
            passages(&plain, 3)
                .iter()
                .all(|p| p.part == Part::Description)
        );
    }

    #[test]
    fn text_in_many_documents_weighs_little() {
        let stock = "The session will be fully hybrid with an online moderator.";
        let own = [
            "Spectrum auctions favour large operators.",
            "Children need privacy by design.",
            "Data trusts require independent oversight.",
            "Submarine cables cross fragile waters.",
            "Elections attract coordinated disinformation.",
            "Repair rights reduce electronic waste.",
        ];
        let mut docs: Vec<Vec<Passage>> = own
            .iter()
            .enumerate()
            .map(|(i, own)| passages(&proposal(&i.to_string(), &format!("{own} {stock}"), &[]), 3))
            .collect();
        // Documents 0 and 1 also share one sentence: a pair, full weight.
        let shared = "A sentence only these two proposals share word for word.";
        for d in &mut docs[..2] {
            d.extend(passages(&proposal("x", shared, &[]), 3).into_iter().skip(1));
        }
        let counts = ShingleCounts::new(&docs, &(0..docs.len()).collect::<Vec<_>>());
        weigh(&mut docs, &counts, 0.2, 0.5);
        let weight_of = |d: &[Passage], text: &str| {
            let shingles = minhash::shingles(text, 3);
            d.iter()
                .find(|p| p.shingles == shingles)
                .map(|p| p.weight)
                .unwrap()
        };
        assert!(
            (weight_of(&docs[0], stock) - 0.2).abs() < 1e-6,
            "6 documents: 1/5"
        );
        assert_eq!(weight_of(&docs[0], shared), 1.0);
        assert_eq!(weight_of(&docs[3], own[3]), 1.0);
        assert_eq!(counts.df(minhash::shingles("fully hybrid with", 3)[0]), 6);
    }

    #[test]
    fn questions_shared_by_unrelated_proposers_are_menu_questions() {
        let q = "What is needed to ensure that data governance frameworks are effective?";
        let own = "Who should certify the auditors of public algorithms?";
        // Document 2 has its own question; its description is `last`.
        let documents = |last: &str| -> Vec<Document> {
            (0..3)
                .map(|i| {
                    proposal(
                        &i.to_string(),
                        if i < 2 { "A description." } else { last },
                        &[("policy question(s)", if i < 2 { q } else { own })],
                    )
                })
                .collect()
        };
        let mark = |documents: &[Document], unrelated: bool| {
            let refs: Vec<&Document> = documents.iter().collect();
            let mut docs: Vec<Vec<Passage>> = refs.iter().map(|d| passages(d, 3)).collect();
            mark_menu_questions(&mut docs, &refs, |_, _| unrelated);
            docs
        };
        let question = |d: &[Passage]| d.iter().find(|p| p.part == Part::Question).unwrap().menu;
        // Documents 0 and 1 state the same question; unrelated proposers: a menu question.
        let docs = mark(&documents("A description."), true);
        assert!(question(&docs[0]) && question(&docs[1]) && !question(&docs[2]));
        // The same team (or different years): not a menu question.
        let docs = mark(&documents("A description."), false);
        assert!(!question(&docs[0]) && !question(&docs[1]));
        // A passage copying most of a menu question is menu text too.
        let docs = mark(&documents(&format!("We ask: {q}")), true);
        assert!(docs[2].last().unwrap().menu && !question(&docs[2]));
    }

    #[test]
    fn menu_questions_are_scaled() {
        let d = proposal(
            "a",
            "Some description of the session.",
            &[
                (
                    "policy question(s)",
                    "How can the unconnected be connected by 2030?",
                ),
                (
                    MENU_SECTION,
                    "Which spectrum rules help village networks grow?",
                ),
            ],
        );
        let mut docs = vec![passages(&d, 3)];
        let counts = ShingleCounts::new(&docs, &(0..docs.len()).collect::<Vec<_>>());
        weigh(&mut docs, &counts, 0.25, 0.5);
        let w: Vec<f32> = docs[0].iter().map(|p| p.weight).collect();
        assert_eq!(w, [1.0, 0.25, 1.0, 1.0]);
    }
}

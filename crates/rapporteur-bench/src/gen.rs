//! A deterministic synthetic corpus of IGF-like workshop proposals.
//!
//! Each document is a [`Document`] of kind `proposal` whose text follows the IGF proposal form
//! (`IGF <year> WS #<n> <title>`, `Organizer`/`Speaker` lines, Format, Policy Question(s),
//! Description, Expected Outcomes), 2–5 KB long. The prose mixes real English function words
//! (40 % of tokens) with pseudo-words from a 30,000-word lexicon: half of the content words
//! come from the document's topic (one of [`TOPICS`], each a 400-word Zipf(0.9) vocabulary),
//! half from a Zipf(1.07) background over the whole lexicon — the parameters of the peer's
//! `scale.py`. Ground truth travels in extra fields:
//!
//! * `topic`: the true topic, `0..TOPICS`;
//! * `dup_of`: for the 5 % planted near-duplicates, the id of the original (never itself a
//!   duplicate) that was copied with 10 % of its prose tokens replaced, else `null`;
//! * `boilerplate`: indices of the shared boilerplate paragraphs the text contains (3 in 7
//!   documents carry one or two of the [`BOILERPLATES`], picked with Zipf(1) weights, so the
//!   commonest is in about 17 % of the documents).
//!
//! Document `i` depends only on the seed and `i` (each document has its own random streams),
//! so output is byte-identical for any thread count, and a corpus of `n` documents is a prefix
//! of a larger one with the same seed.

use std::collections::HashSet;
use std::io::{self, Write};

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rapporteur::{Document, Kind, Person, Region, StakeholderGroup};
use rayon::prelude::*;
use serde_json::Value;

/// Number of topics.
pub const TOPICS: usize = 20;
/// Number of shared boilerplate paragraphs.
pub const BOILERPLATES: usize = 12;
const LEXICON: usize = 30_000;
const TOPIC_WORDS: usize = 400;
const FUNCTION_RATE: f64 = 0.4;
const TOPIC_RATE: f64 = 0.5;
const DUP_RATE: f64 = 0.05;
const DUP_EDIT: f64 = 0.10;
/// One proposal in this many is held as a session with takeaways ([`Model::takeaway`]).
pub const SESSION_EVERY: usize = 3;
/// Target text sizes in bytes; the last sentence may overshoot by one sentence.
const TEXT_BYTES: std::ops::Range<usize> = 2048..4608;
/// Documents generated in parallel before being written, in order.
const CHUNK: usize = 2048;
/// Marks a word id that is followed by a comma.
const COMMA: u32 = 1 << 31;

/// English function words, most frequent first (drawn with Zipf(1) weights).
const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "with", "be", "on",
    "not", "this", "by", "are", "from", "or", "at", "an", "which", "have", "we", "their", "can",
    "will", "but", "has", "its", "they", "more", "been", "also", "these", "all", "should", "such",
    "would", "other", "between", "how", "there", "than", "who", "what", "into", "both", "while",
    "about", "through", "them", "only", "those", "must", "may", "could", "new", "over", "within",
    "where", "when", "each", "most", "across", "without", "under", "so", "our", "us", "do", "does",
    "was", "were", "if", "no", "one", "two", "many", "some", "own", "same", "very", "why",
    "whether", "because", "after", "before", "during", "against", "among", "still",
];
const QUESTION_LEADS: &[&str] = &[
    "How can",
    "How should",
    "What role can",
    "What measures would",
    "Which",
    "In what ways do",
    "Why do",
];
const TITLE_CONNECTORS: &[&str] = &["and", "for", "of", "in", "beyond", "through"];
const FORMATS: &[&str] = &[
    "Round Table - 90 Min",
    "Panel - 60 Min",
    "Break-out Group Discussions - 90 Min",
    "Debate - 60 Min",
    "Other - 90 Min",
];
const CONSONANTS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "ch",
    "sh", "th", "tr", "st", "pl", "gr", "br",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"];
const GROUPS: [(StakeholderGroup, &str, &[&str]); 5] = [
    (
        StakeholderGroup::CivilSociety,
        "Civil Society",
        &["Foundation", "Network", "University", "Initiative"],
    ),
    (
        StakeholderGroup::PrivateSector,
        "Private Sector",
        &["Telecom", "Technologies", "Group"],
    ),
    (
        StakeholderGroup::TechnicalCommunity,
        "Technical Community",
        &["Registry", "Labs", "Internet Society Chapter"],
    ),
    (
        StakeholderGroup::Government,
        "Government",
        &["Ministry", "Regulatory Authority"],
    ),
    (
        StakeholderGroup::IntergovernmentalOrganisation,
        "Intergovernmental Organization",
        &["Commission", "Union", "Agency"],
    ),
];
const REGIONS: [(Region, &str); 5] = [
    (Region::African, "African Group"),
    (Region::AsiaPacific, "Asia-Pacific Group"),
    (Region::EasternEuropean, "Eastern European Group"),
    (
        Region::Grulac,
        "Latin American and Caribbean Group (GRULAC)",
    ),
    (Region::Weog, "Western European and Others Group (WEOG)"),
];

/// Independent random streams of one document (or of the shared model).
#[derive(Clone, Copy)]
enum Stream {
    Duplicate,
    Content,
    Edit,
    Model,
    Outcome,
}

/// A sentence: word ids (with [`COMMA`] marks) and, for a question, its opening words.
struct Sentence {
    lead: Option<&'static str>,
    words: Vec<u32>,
}

/// A proposal before rendering; near-duplicates copy and edit their original's draft.
struct Draft {
    topic: usize,
    year: u16,
    title: String,
    organisers: Vec<Person>,
    speakers: Vec<Person>,
    format: &'static str,
    questions: Vec<Sentence>,
    description: Vec<Vec<Sentence>>,
    boilerplate: Vec<usize>,
    outcomes: Vec<Sentence>,
}

/// The generator for one seed: lexicon, topic vocabularies and boilerplate paragraphs.
pub struct Model {
    seed: u64,
    /// Function words, then the lexicon; word ids index this.
    words: Vec<String>,
    function_ranks: Zipf,
    /// Lexicon ids in background-rank order.
    background: Vec<u32>,
    background_ranks: Zipf,
    /// Per topic, lexicon ids in rank order.
    topics: Vec<Vec<u32>>,
    topic_ranks: Zipf,
    boilerplates: Vec<String>,
    boilerplate_ranks: Zipf,
}

impl Model {
    /// Builds the model for `seed` (a few milliseconds).
    pub fn new(seed: u64) -> Model {
        let mut rng = stream(seed, 0, Stream::Model);
        let mut words: Vec<String> = FUNCTION_WORDS.iter().map(|w| w.to_string()).collect();
        let mut seen: HashSet<String> = words.iter().cloned().collect();
        while words.len() < FUNCTION_WORDS.len() + LEXICON {
            let w = pseudo_word(&mut rng);
            if w.len() >= 3 && seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let lexicon: Vec<u32> = (FUNCTION_WORDS.len() as u32..words.len() as u32).collect();
        let mut background = lexicon.clone();
        shuffle(&mut background, &mut rng);
        let topics = (0..TOPICS)
            .map(|_| {
                let mut pool = lexicon.clone();
                shuffle(&mut pool, &mut rng);
                pool.truncate(TOPIC_WORDS);
                pool
            })
            .collect();
        let mut model = Model {
            seed,
            words,
            function_ranks: Zipf::new(FUNCTION_WORDS.len(), 1.0),
            background,
            background_ranks: Zipf::new(LEXICON, 1.07),
            topics,
            topic_ranks: Zipf::new(TOPIC_WORDS, 0.9),
            boilerplates: Vec::new(),
            boilerplate_ranks: Zipf::new(BOILERPLATES, 1.0),
        };
        model.boilerplates = (0..BOILERPLATES)
            .map(|_| {
                let mut text = String::new();
                for k in 0..rng.gen_range(3..=5) {
                    if k > 0 {
                        text.push(' ');
                    }
                    let s = model.sentence(&mut rng, None, None);
                    model.push_sentence(&mut text, &s);
                }
                text
            })
            .collect();
        model
    }

    /// The id of document `i`.
    pub fn id(i: usize) -> String {
        format!("gen-{i:07}")
    }

    /// Document `i` of the corpus.
    pub fn document(&self, i: usize) -> Document {
        let dup_of = self.original_of(i);
        let mut draft = self.draft(dup_of.unwrap_or(i));
        let mut rng = stream(self.seed, i, Stream::Edit);
        let number = rng.gen_range(1..=999);
        if dup_of.is_some() {
            let sentences = draft.questions.iter_mut().chain(&mut draft.outcomes);
            for s in sentences.chain(draft.description.iter_mut().flatten()) {
                for w in &mut s.words {
                    if rng.gen_bool(DUP_EDIT) {
                        *w = self.background_word(&mut rng) | (*w & COMMA);
                    }
                }
            }
        }
        let mut doc = Document::new(Model::id(i), Kind::Proposal, self.render(&draft, number));
        doc.year = Some(draft.year);
        doc.title = draft.title;
        doc.speakers = draft.speakers;
        doc.extra.insert("topic".into(), draft.topic.into());
        doc.extra.insert(
            "dup_of".into(),
            dup_of.map_or(Value::Null, |s| Model::id(s).into()),
        );
        doc.extra
            .insert("boilerplate".into(), draft.boilerplate.into());
        doc
    }

    /// The takeaways of the session of proposal `i`, for one proposal in [`SESSION_EVERY`]
    /// (an accepted workshop): 3–4 numbered key messages on the proposal's topic, in the
    /// wording rapporteurs use: agreement (half), positions argued for or warned against
    /// (two fifths, so that sessions oppose each other), and disagreement within the session.
    /// The session is the proposal's id, its year and speakers the proposal's.
    pub fn takeaway(&self, i: usize) -> Option<Document> {
        if i % SESSION_EVERY != 0 {
            return None;
        }
        let draft = self.draft(self.original_of(i).unwrap_or(i));
        let mut rng = stream(self.seed, i, Stream::Outcome);
        let mut text = String::new();
        for k in 0..rng.gen_range(3..=4) {
            let mut point = String::new();
            self.push_sentence(
                &mut point,
                &self.sentence(&mut rng, Some(draft.topic), None),
            );
            point.pop(); // the full stop
            point[..1].make_ascii_lowercase();
            let group = GROUPS[rng.gen_range(0..GROUPS.len())].1;
            let message = match rng.gen_range(0..10) {
                0..=4 => format!("Participants agreed that {point}."),
                5 | 6 => {
                    format!("{group} speakers argued that {point} is necessary and effective.")
                }
                7 | 8 => {
                    format!("{group} speakers warned that {point} risks harm and undermines trust.")
                }
                _ => format!(
                    "Views differed on whether {point}: some argued that it is necessary, while others warned that it risks harm."
                ),
            };
            text.push_str(&format!("{}. {message}\n", k + 1));
        }
        let mut doc = Document::new(format!("gen-tk-{i:07}"), Kind::Takeaway, text);
        doc.year = Some(draft.year);
        doc.title = format!("Key Takeaways: {}", draft.title);
        // A session is named by its proposal's id, as convergence analysis links them.
        doc.session = Some(Model::id(i));
        doc.speakers = draft.speakers;
        doc.extra.insert("topic".into(), draft.topic.into());
        Some(doc)
    }

    /// The policy questions of a generated corpus, as a questions file: one track, one
    /// question per topic, written from the topic's commonest words (its keywords too).
    pub fn questions_toml(&self) -> String {
        let mut out = String::from(
            "# Generated by rapporteur-bench: one question per topic of the synthetic corpus.\n\n\
             title = \"Generated corpus\"\n\n[[tracks]]\nid = \"gen\"\nname = \"Generated topics\"\n",
        );
        for (t, words) in self.topics.iter().enumerate() {
            let top: Vec<&str> = words.iter().take(12).map(|&w| self.word(w)).collect();
            out.push_str(&format!(
                "\n[[tracks.questions]]\nid = \"topic-{t}\"\ntext = \"How can {} be governed?\"\nkeywords = [{}]\n",
                top.join(" "),
                top[..6].iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
            ));
        }
        out
    }

    /// The document that `i` was directly copied from, if it is a planted near-duplicate.
    fn copied_from(&self, i: usize) -> Option<usize> {
        let mut rng = stream(self.seed, i, Stream::Duplicate);
        (i > 0 && rng.gen_bool(DUP_RATE)).then(|| rng.gen_range(0..i))
    }

    /// The original that document `i` is a near-duplicate of (following copies of copies).
    fn original_of(&self, i: usize) -> Option<usize> {
        let mut src = self.copied_from(i)?;
        while let Some(s) = self.copied_from(src) {
            src = s;
        }
        Some(src)
    }

    /// The unedited draft of document `i`, with a description long enough for its target size.
    fn draft(&self, i: usize) -> Draft {
        let mut rng = stream(self.seed, i, Stream::Content);
        let topic = rng.gen_range(0..TOPICS);
        let t = Some(topic);
        let mut draft = Draft {
            topic,
            year: rng.gen_range(2006..=2025),
            title: self.title(&mut rng, topic),
            organisers: (0..rng.gen_range(1..=3))
                .map(|_| person(&mut rng))
                .collect(),
            speakers: (0..rng.gen_range(3..=5))
                .map(|_| person(&mut rng))
                .collect(),
            format: FORMATS[rng.gen_range(0..FORMATS.len())],
            questions: (0..rng.gen_range(1..=3))
                .map(|_| {
                    let lead = QUESTION_LEADS[rng.gen_range(0..QUESTION_LEADS.len())];
                    self.sentence(&mut rng, t, Some(lead))
                })
                .collect(),
            description: Vec::new(),
            boilerplate: Vec::new(),
            outcomes: (0..rng.gen_range(2..=4))
                .map(|_| self.sentence(&mut rng, t, None))
                .collect(),
        };
        let shared = [0, 0, 0, 0, 1, 1, 2][rng.gen_range(0..7)];
        while draft.boilerplate.len() < shared {
            let b = self.boilerplate_ranks.sample(&mut rng);
            if !draft.boilerplate.contains(&b) {
                draft.boilerplate.push(b);
            }
        }
        let target = rng.gen_range(TEXT_BYTES);
        let mut len = self.render(&draft, 999).len();
        while len < target {
            let s = self.sentence(&mut rng, t, None);
            len += s
                .words
                .iter()
                .map(|&w| self.word(w).len() + 1)
                .sum::<usize>()
                + 1;
            match draft.description.last_mut() {
                Some(p) if p.len() < 3 || rng.gen_bool(0.7) => p.push(s),
                _ => draft.description.push(vec![s]),
            }
        }
        draft
    }

    /// The form text of a draft.
    fn render(&self, d: &Draft, number: u32) -> String {
        let mut out = String::with_capacity(TEXT_BYTES.end + 512);
        out.push_str(&format!("IGF {} WS #{number} {}\n\n", d.year, d.title));
        for (role, people) in [("Organizer", &d.organisers), ("Speaker", &d.speakers)] {
            for (k, p) in people.iter().enumerate() {
                out.push_str(&format!("{role} {}: {}\n", k + 1, form_line(p)));
            }
            out.push('\n');
        }
        out.push_str(&format!("Format\n\n{}\n\nPolicy Question(s)\n\n", d.format));
        for (k, q) in d.questions.iter().enumerate() {
            out.push_str(&format!("{}. ", k + 1));
            self.push_sentence(&mut out, q);
            out.push('\n');
        }
        out.push_str("\nDescription:\n");
        for paragraph in &d.description {
            self.push_paragraph(&mut out, paragraph);
            out.push_str("\n\n");
        }
        for &b in &d.boilerplate {
            out.push_str(&self.boilerplates[b]);
            out.push_str("\n\n");
        }
        out.push_str("Expected Outcomes\n");
        self.push_paragraph(&mut out, &d.outcomes);
        out.push('\n');
        out
    }

    fn push_paragraph(&self, out: &mut String, sentences: &[Sentence]) {
        for (k, s) in sentences.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            self.push_sentence(out, s);
        }
    }

    /// Writes a sentence: capitalised, commas where marked, `?` after a question.
    fn push_sentence(&self, out: &mut String, s: &Sentence) {
        let start = out.len();
        if let Some(lead) = s.lead {
            out.push_str(lead);
            out.push(' ');
        }
        for (k, &w) in s.words.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(self.word(w));
            if w & COMMA != 0 {
                out.push(',');
            }
        }
        out[start..start + 1].make_ascii_uppercase();
        out.push(if s.lead.is_some() { '?' } else { '.' });
    }

    fn word(&self, id: u32) -> &str {
        &self.words[(id & !COMMA) as usize]
    }

    /// 8–24 words; function words, then topic or background words. `topic: None` draws
    /// content words from the background only.
    fn sentence(
        &self,
        rng: &mut impl Rng,
        topic: Option<usize>,
        lead: Option<&'static str>,
    ) -> Sentence {
        let n = rng.gen_range(8..=24);
        let words = (0..n)
            .map(|k| {
                let w = if rng.gen_bool(FUNCTION_RATE) {
                    self.function_ranks.sample(rng) as u32
                } else {
                    self.content_word(rng, topic)
                };
                if k + 1 < n && rng.gen_bool(0.06) {
                    w | COMMA
                } else {
                    w
                }
            })
            .collect();
        Sentence { lead, words }
    }

    fn content_word(&self, rng: &mut impl Rng, topic: Option<usize>) -> u32 {
        match topic {
            Some(t) if rng.gen_bool(TOPIC_RATE) => self.topics[t][self.topic_ranks.sample(rng)],
            _ => self.background_word(rng),
        }
    }

    fn background_word(&self, rng: &mut impl Rng) -> u32 {
        self.background[self.background_ranks.sample(rng)]
    }

    /// 3–6 capitalised content words (70 % from the topic), maybe with a connector.
    fn title(&self, rng: &mut impl Rng, topic: usize) -> String {
        let n = rng.gen_range(3..=6);
        let mut parts = Vec::with_capacity(n + 1);
        for k in 0..n {
            if k == n / 2 && rng.gen_bool(0.5) {
                parts.push(TITLE_CONNECTORS[rng.gen_range(0..TITLE_CONNECTORS.len())].to_string());
            }
            let w = if rng.gen_bool(0.7) {
                self.topics[topic][self.topic_ranks.sample(rng)]
            } else {
                self.background_word(rng)
            };
            parts.push(capitalised(self.word(w)));
        }
        parts.join(" ")
    }
}

/// Writes documents `0..n` of `model` as JSON Lines; returns the bytes written. Documents are
/// generated in parallel in chunks and written in order.
pub fn write_corpus(model: &Model, n: usize, out: &mut impl Write) -> io::Result<u64> {
    write_lines(n, out, |i| Some(model.document(i)))
}

/// Writes the takeaways of the sessions among documents `0..n` ([`Model::takeaway`]) as JSON
/// Lines; returns the bytes written.
pub fn write_takeaways(model: &Model, n: usize, out: &mut impl Write) -> io::Result<u64> {
    write_lines(n, out, |i| model.takeaway(i))
}

/// Writes `make(i)` for `i` in `0..n` (when there is one), made in parallel chunks, in order.
fn write_lines(
    n: usize,
    out: &mut impl Write,
    make: impl Fn(usize) -> Option<Document> + Sync,
) -> io::Result<u64> {
    let mut bytes = 0;
    for start in (0..n).step_by(CHUNK) {
        let lines: Vec<Vec<u8>> = (start..n.min(start + CHUNK))
            .into_par_iter()
            .filter_map(|i| {
                let doc = make(i)?;
                let mut line = Vec::with_capacity(doc.text.len() + 1024);
                serde_json::to_writer(&mut line, &doc).expect("documents serialise");
                line.push(b'\n');
                Some(line)
            })
            .collect();
        for line in &lines {
            out.write_all(line)?;
            bytes += line.len() as u64;
        }
    }
    out.flush()?;
    Ok(bytes)
}

/// The random stream `which` of document `doc` under `seed`.
fn stream(seed: u64, doc: usize, which: Stream) -> Xoshiro256PlusPlus {
    // Two bits for the first four streams (the corpus bytes depend on them: keep them);
    // the outcome stream, added later, sets the top bit instead.
    let key = match which {
        Stream::Outcome => (doc as u64) << 2 | 1 << 63,
        _ => (doc as u64) << 2 | which as u64,
    };
    Xoshiro256PlusPlus::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ key)
}

/// A Zipf distribution over 0-based ranks `0..n`: inverse-CDF sampling, with a guide table
/// that narrows the binary search to the ranks of one of [`Zipf::GUIDE`] equal slices of
/// `[0, 1)`.
struct Zipf {
    cdf: Vec<f64>,
    /// `guide[k]`: the first rank whose cumulative probability reaches `k / GUIDE`.
    guide: Vec<usize>,
}

impl Zipf {
    /// A power of two, so that `u * GUIDE` and `k / GUIDE` are exact.
    const GUIDE: usize = 1024;

    /// Zipf(`s`) over `n` ranks (probability of rank `r` ∝ `(r + 1)^-s`).
    fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (1..=n)
            .map(|r| {
                acc += (r as f64).powf(-s);
                acc
            })
            .collect();
        cdf.iter_mut().for_each(|c| *c /= acc);
        let guide = (0..=Zipf::GUIDE)
            .map(|k| {
                let p = k as f64 / Zipf::GUIDE as f64;
                cdf.partition_point(|&c| c < p).min(n - 1)
            })
            .collect();
        Zipf { cdf, guide }
    }

    /// The first rank whose cumulative probability reaches a uniform draw `u`.
    fn sample(&self, rng: &mut impl Rng) -> usize {
        let u: f64 = rng.r#gen();
        let k = (u * Zipf::GUIDE as f64) as usize;
        let (lo, hi) = (self.guide[k], self.guide[k + 1]);
        lo + self.cdf[lo..=hi].partition_point(|&c| c < u).min(hi - lo)
    }
}

/// Fisher–Yates shuffle.
fn shuffle<T>(v: &mut [T], rng: &mut impl Rng) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.gen_range(0..=i));
    }
}

/// 1–3 consonant–vowel syllables, sometimes closed by a consonant (as in `scale.py`).
fn pseudo_word(rng: &mut impl Rng) -> String {
    let mut w = String::new();
    for _ in 0..rng.gen_range(1..=3) {
        w.push_str(CONSONANTS[rng.gen_range(0..CONSONANTS.len())]);
        w.push_str(VOWELS[rng.gen_range(0..VOWELS.len())]);
    }
    if rng.gen_bool(0.4) {
        w.push_str(CONSONANTS[rng.gen_range(0..CONSONANTS.len())]);
    }
    w
}

fn capitalised(word: &str) -> String {
    let mut w = word.to_string();
    w[..1].make_ascii_uppercase();
    w
}

/// A person with a pseudo-name, an organisation, a stakeholder group and a region.
fn person(rng: &mut impl Rng) -> Person {
    let (group, _, suffixes) = GROUPS[rng.gen_range(0..GROUPS.len())];
    let (region, _) = REGIONS[rng.gen_range(0..REGIONS.len())];
    let name = format!(
        "{} {}",
        capitalised(&pseudo_word(rng)),
        capitalised(&pseudo_word(rng))
    );
    let suffix = suffixes[rng.gen_range(0..suffixes.len())];
    Person {
        name: Some(name),
        organisation: Some(format!("{} {suffix}", capitalised(&pseudo_word(rng)))),
        stakeholder_group: Some(group),
        region: Some(region),
    }
}

/// "Name, Stakeholder group, Regional group" as written on the IGF form.
fn form_line(p: &Person) -> String {
    let group = GROUPS.iter().find(|g| Some(g.0) == p.stakeholder_group);
    let region = REGIONS.iter().find(|r| Some(r.0) == p.region);
    format!(
        "{}, {}, {}",
        p.name.as_deref().unwrap_or_default(),
        group.map_or("", |g| g.1),
        region.map_or("", |r| r.1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapporteur::ingest::{IngestOptions, load};

    fn corpus(seed: u64, n: usize, threads: usize) -> Vec<u8> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut out = Vec::new();
        pool.install(|| write_corpus(&Model::new(seed), n, &mut out))
            .unwrap();
        out
    }

    fn documents(bytes: &[u8]) -> Vec<Document> {
        bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect()
    }

    #[test]
    fn same_seed_same_bytes_for_any_thread_count() {
        let one = corpus(7, 150, 1);
        assert_eq!(one, corpus(7, 150, 2));
        assert_eq!(one, corpus(7, 150, 3));
        assert_ne!(one, corpus(8, 150, 2));
        // Document i depends on the seed and i only: a smaller corpus is a prefix.
        assert!(one.starts_with(&corpus(7, 40, 2)));
    }

    #[test]
    fn sizes_topics_duplicates_and_boilerplate() {
        let model = Model::new(3);
        let mut bytes = Vec::new();
        write_corpus(&model, 600, &mut bytes).unwrap();
        let docs = documents(&bytes);
        assert_eq!(docs.len(), 600);
        let mut dups = 0;
        let mut with_boilerplate = 0;
        for (i, d) in docs.iter().enumerate() {
            assert_eq!(d.id, Model::id(i));
            assert_eq!(d.kind, Kind::Proposal);
            assert!((2000..=5120).contains(&d.text.len()), "{}", d.text.len());
            assert!((3..=5).contains(&d.speakers.len()));
            assert!(d.extra["topic"].as_u64().unwrap() < TOPICS as u64);
            let boilerplate = d.extra["boilerplate"].as_array().unwrap();
            for b in boilerplate {
                assert!(
                    d.text
                        .contains(&model.boilerplates[b.as_u64().unwrap() as usize])
                );
            }
            with_boilerplate += usize::from(!boilerplate.is_empty());
            if let Some(src) = d.extra["dup_of"].as_str() {
                dups += 1;
                let o = docs.iter().find(|o| o.id == src).unwrap();
                assert!(o.id < d.id && o.extra["dup_of"].is_null());
                assert_eq!((&o.title, &o.extra["topic"]), (&d.title, &d.extra["topic"]));
                let (a, b): (Vec<_>, Vec<_>) =
                    (o.text.split(' ').collect(), d.text.split(' ').collect());
                let same = a.iter().zip(&b).filter(|(x, y)| x == y).count();
                let share = same as f64 / a.len() as f64;
                assert!((0.8..0.99).contains(&share), "{share}");
            }
        }
        assert!((15..=50).contains(&dups), "{dups} duplicates");
        assert!(
            (200..=320).contains(&with_boilerplate),
            "{with_boilerplate}"
        );
    }

    #[test]
    fn rapporteur_reads_the_form() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        let mut file = std::fs::File::create(&path).unwrap();
        write_corpus(&Model::new(0), 40, &mut file).unwrap();
        let (docs, summary) = load(&[path], &IngestOptions::default()).unwrap();
        assert_eq!(summary.documents, 40);
        for d in &docs {
            assert_eq!(d.language.as_deref(), Some("en"), "{}", d.id);
            assert!(!d.organisers.is_empty() && d.organisers[0].region.is_some());
            assert!(
                (1..=3).contains(&d.policy_questions.len()),
                "{:?}",
                d.policy_questions
            );
            assert!(d.section("description").is_some() && d.section("expected outcomes").is_some());
            assert!(d.extra.contains_key("ws_number"));
        }
    }

    #[test]
    fn takeaways_belong_to_their_sessions_and_converge() {
        use rapporteur::converge::{Class, ConvergeParams};
        use rapporteur::questions::PolicyQuestions;
        let dir = tempfile::tempdir().unwrap();
        let model = Model::new(0);
        let (proposals, takeaways) = (dir.path().join("p.jsonl"), dir.path().join("t.jsonl"));
        write_corpus(&model, 300, &mut std::fs::File::create(&proposals).unwrap()).unwrap();
        write_takeaways(&model, 300, &mut std::fs::File::create(&takeaways).unwrap()).unwrap();
        let (docs, _) = load(&[proposals, takeaways], &IngestOptions::default()).unwrap();
        let outcomes: Vec<&Document> = docs.iter().filter(|d| d.kind == Kind::Takeaway).collect();
        assert_eq!(outcomes.len(), 100, "one proposal in three is a session");
        for t in &outcomes {
            let i: usize = t.id["gen-tk-".len()..].parse().unwrap();
            let p = &docs[i];
            assert_eq!(
                (t.session.as_ref(), t.year),
                (Some(&p.id), p.year),
                "{}",
                t.id
            );
            assert_eq!(t.extra["topic"], p.extra["topic"]);
            assert!((3..=4).contains(&t.text.lines().count()), "{}", t.text);
        }
        let path = dir.path().join("questions.toml");
        let questions = PolicyQuestions::parse(&model.questions_toml(), &path).unwrap();
        assert_eq!(questions.questions().count(), TOPICS);
        let converged = ConvergeParams::new()
            .check()
            .unwrap()
            .fit(&docs, &questions)
            .unwrap();
        let c = &converged.convergence;
        assert!(c.statements >= 300, "{} statements", c.statements);
        for class in [Class::Converging, Class::Diverging] {
            assert!(
                c.points.iter().any(|p| p.class == class),
                "no {class:?} point among {}",
                c.points.len()
            );
        }
    }
}

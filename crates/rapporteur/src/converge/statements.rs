//! Statements: the sentences of takeaways, reports and Dynamic Coalition outputs that say
//! something about a policy question, with their provenance.
//!
//! A document's non-empty lines are numbered from 1 (the scheme of the labels,
//! `<doc id>#<line>`). Titles, headings, questions and the sections of the report template
//! that do not report the discussion (key policy questions, other initiatives, gender
//! reflections) are skipped. The other lines are split into sentences with Unicode sentence
//! boundaries (UAX #29), repaired after abbreviations ("Ms.", "e.g."); a line that reports a
//! disagreement inside the session stays whole, so that both sides remain together.
//! Attribution ("Participants agreed that …", "Irena K. of the Civic Code Lab stressed that
//! …") is stripped and remaining names are removed; the verbatim sentence and its byte span
//! are kept for the footnotes.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::names::{NameKind, Names};
use super::stance;
use crate::model::{Document, Kind, Region, StakeholderGroup};

/// One statement and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// `<doc>#<line>` or `<doc>#<line>.<sentence>` when the line holds several statements.
    pub id: String,
    /// Document id.
    pub doc: String,
    /// 1-based number of the line among the document's non-empty lines.
    pub line: usize,
    /// 1-based number of the sentence in the line.
    pub sentence: usize,
    /// Byte span of the verbatim sentence in the document text.
    pub span: [usize; 2],
    /// The sentence as written.
    pub quote: String,
    /// The sentence as written with the names of people replaced by `[name]`: how outputs
    /// quote it (drafts never name individuals; `span` locates the original).
    pub shown: String,
    /// The sentence without attribution and names.
    pub text: String,
    /// The reporting verb that was stripped ("argued", "agreed"), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    /// Kind of the document.
    pub kind: Kind,
    /// The session (proposal id) the document reports on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Section of the report template the line is in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Stakeholder groups present in the session (or among the document's people).
    pub stakeholder_groups: Vec<StakeholderGroup>,
    /// Regional groups present.
    pub regions: Vec<Region>,
    /// Language code of the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// True when the line reports a disagreement inside the session.
    pub within_session_divergence: bool,
    /// The policy question it is placed on (set by [`super::assign`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_question: Option<String>,
}

impl Statement {
    /// The source a statement counts for: its session, else its document.
    pub fn source(&self) -> &str {
        self.session.as_deref().unwrap_or(&self.doc)
    }

    /// The line reference used by the labels: `<doc>#<line>`.
    pub fn line_ref(&self) -> String {
        format!("{}#{}", self.doc, self.line)
    }
}

/// Report sections that do not report the discussion.
const SKIP_SECTIONS: &[&str] = &[
    "key policy questions and expectations",
    "key policy questions",
    "policy questions",
    "other initiatives addressing the session issues",
    "other initiatives",
    "gender reflections",
    "expected outcomes",
    "agenda",
    "description",
];

/// Report sections that do.
const KEEP_SECTIONS: &[&str] = &[
    "summary of issues discussed",
    "discussion areas",
    "policy recommendations or suggestions for the way forward",
    "policy recommendations",
    "event report",
];

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Ms", "Mrs", "Dr", "Prof", "St", "No", "e.g", "i.e", "etc", "vs", "cf", "Art", "para",
    "Inc", "Ltd", "Co", "Jr", "Sr", "Sra", "approx", "M", "Mme", "p", "pp", "Nos",
];

/// Auxiliaries and common verbs: a short sentence with none of them is a heading.
const COMMON_VERBS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "should", "must", "will", "would", "can", "could",
    "may", "might", "need", "needs", "has", "have", "had", "do", "does", "did", "agreed", "remain",
    "remains", "est", "sont", "doit", "doivent", "es", "son", "debe", "deben",
];

/// Reporting verbs whose subject is attribution, not content.
const REPORTING_VERBS: &[&str] = &[
    "agreed",
    "argued",
    "noted",
    "stressed",
    "emphasised",
    "emphasized",
    "said",
    "stated",
    "cautioned",
    "warned",
    "held",
    "insisted",
    "suggested",
    "pointed out",
    "explained",
    "reported",
    "observed",
    "recalled",
    "believed",
    "considered",
    "concluded",
    "acknowledged",
    "recognised",
    "recognized",
    "highlighted",
    "underlined",
    "added",
    "maintained",
    "claimed",
    "proposed",
    "recommended",
    "urged",
    "contended",
    "countered",
    "replied",
    "showed",
    "shared",
    "felt",
    "found",
    "affirmed",
    "underscored",
    "considers",
    "believes",
    "recommends",
    "notes",
    "stresses",
    "holds",
    "converged on the view",
    "agreed on the view",
    "expressed the view",
    "took the view",
];

/// Words between a reporting verb and `that` that keep it a reporting verb.
const VERB_FILLERS: &[&str] = &[
    "strongly",
    "also",
    "repeatedly",
    "firmly",
    "again",
    "broadly",
];

/// Passive and impersonal openings that add nothing ("It was noted that …").
const IMPERSONAL: &[&str] = &[
    "there was broad agreement that",
    "there was general agreement that",
    "there was wide agreement that",
    "there was agreement that",
    "there was consensus that",
    "there was a broad consensus that",
    "there was broad consensus that",
    "there was a consensus that",
    "there was a shared view that",
    "it was agreed that",
    "it was noted that",
    "it was stressed that",
    "it was emphasised that",
    "it was emphasized that",
    "it was highlighted that",
    "it was underlined that",
    "it was argued that",
    "it was suggested that",
    "it was recognised that",
    "it was recognized that",
    "it was observed that",
    "it was felt that",
    "it was pointed out that",
    "participants agreed that",
    "speakers agreed that",
];

/// Sentences about the session rather than the issue (format, attendance, votes, the text
/// itself).
const PROCEDURAL: &[&str] = &[
    "the session was",
    "the session will",
    "this session",
    "the workshop was",
    "the round table asked",
    "the roundtable asked",
    "the panel was",
    "the debate was",
    "the organisers",
    "the organizers",
    "in the opening vote",
    "in the closing vote",
    "this text",
    "this document",
    "this paper",
    "this statement",
    "this report",
    "we recommend the following",
    "the coalition invites",
    "recommendations adopted by",
    "read more",
    "participants referred to",
    "speakers from the",
    "the audience vote",
    "these recommendations",
    "our members include",
    "our coalition",
    "over the past year",
    "at this year's igf",
    "the dynamic coalition on",
    "it is a working document",
];

/// Labels that open a numbered item of a statement or policy guide ("Principle 3:").
const ITEM_LABELS: &[&str] = &[
    "principle",
    "recommendation",
    "priority",
    "action",
    "step",
    "goal",
    "objective",
    "commitment",
];

/// Options of statement extraction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SplitOptions {
    /// Shortest statement kept, in words.
    pub min_words: usize,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions { min_words: 5 }
    }
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The non-empty lines of a text as (1-based number, byte offset, line without its end).
pub fn numbered_lines(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if !line.trim().is_empty() {
            out.push((out.len() + 1, offset, line));
        }
        offset += raw.len();
    }
    out
}

/// Length in bytes of a list marker at the start of `line` ("1. ", "- ", "• ", "(a) "),
/// counting the spaces before and after it.
fn marker_len(line: &str) -> usize {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let rest = trimmed;
    let bullet = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '•' | '*' | '–' | '·' | '▪' | '◦'))
        .map(char::len_utf8);
    let numbered = {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let letter = rest.starts_with('(') && rest[1..].find(')').is_some_and(|i| i <= 3);
        if (1..=3).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
            Some(digits + 1)
        } else if letter {
            rest.find(')').map(|i| i + 1)
        } else {
            None
        }
    };
    match bullet.or(numbered) {
        Some(n) if rest[n..].starts_with(char::is_whitespace) => {
            let after = rest[n..].len() - rest[n..].trim_start().len();
            lead + n + after
        }
        _ => lead,
    }
}

/// A heading: short, without the punctuation that ends a sentence.
fn is_heading(body: &str) -> bool {
    let t = body.trim();
    let ends = t.ends_with(['.', '!', '?', '…', '"', '”', ';']);
    !ends && word_count(t) <= 14
}

fn heading_name(body: &str) -> String {
    body.trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits a document into statements.
pub fn split(doc: &Document, names: &Names, opts: &SplitOptions) -> Vec<Statement> {
    let lines = numbered_lines(&doc.text);
    let mut out = Vec::new();
    let mut skipping = false;
    let mut section: Option<String> = None;
    let groups = doc.stakeholder_groups();
    let regions = doc.regions();
    let lang = doc.language.clone();
    for &(number, offset, line) in &lines {
        let m = marker_len(line);
        let body = &line[m..];
        let trimmed = body.trim();
        if is_heading(body) {
            let name = heading_name(body);
            if SKIP_SECTIONS.iter().any(|s| name.starts_with(s)) {
                skipping = true;
                section = Some(name);
            } else if KEEP_SECTIONS.iter().any(|s| name.starts_with(s)) {
                skipping = false;
                section = Some(name);
            }
            continue;
        }
        if skipping
            || trimmed.ends_with('?')
            || trimmed.starts_with('[')
            || trimmed.ends_with(':') && word_count(trimmed) <= 14
            || word_count(trimmed) < opts.min_words
        {
            continue;
        }
        let base = offset + m;
        let within = stance::within_session(trimmed, lang.as_deref()).is_some();
        let mut sentences: Vec<(usize, &str)> = if within {
            vec![(0, body)]
        } else {
            sentences(body)
        };
        // In a numbered or bulleted item, a short first sentence without a verb ("A floor,
        // not a ceiling.") is the item's heading.
        if m > 0 && sentences.len() > 1 && run_in_heading(sentences[0].1) {
            sentences.remove(0);
        }
        let several = sentences.len() > 1;
        for (k, (at, sentence)) in sentences.into_iter().enumerate() {
            let lead = sentence.len() - sentence.trim_start().len();
            let quote = sentence.trim();
            if word_count(quote) < opts.min_words || quote.ends_with('?') {
                continue;
            }
            // "Principle 3: Communities decide …" → "Communities decide …".
            let label = quote.find(": ").filter(|&i| {
                let head = quote[..i].to_lowercase();
                let mut w = head.split_whitespace();
                w.next().is_some_and(|f| ITEM_LABELS.contains(&f))
                    && w.all(|x| x.chars().all(|c| c.is_ascii_alphanumeric()))
                    && word_count(&head) <= 2
            });
            let (lead, quote) = match label {
                Some(i) => (lead + i + 2, &quote[i + 2..]),
                None => (lead, quote),
            };
            let start = base + at + lead;
            let (text, verb) = if within {
                (scrub_names(quote, names), None)
            } else {
                clean(quote, names)
            };
            if verb.is_none() && procedural(&text) {
                continue;
            }
            out.push(Statement {
                id: if several {
                    format!("{}#{}.{}", doc.id, number, k + 1)
                } else {
                    format!("{}#{}", doc.id, number)
                },
                doc: doc.id.clone(),
                line: number,
                sentence: k + 1,
                span: [start, start + quote.len()],
                quote: quote.to_string(),
                shown: names.without_people(quote),
                text,
                verb,
                kind: doc.kind,
                session: doc.session.clone(),
                section: section.clone(),
                stakeholder_groups: groups.clone(),
                regions: regions.clone(),
                language: lang.clone(),
                within_session_divergence: within,
                policy_question: None,
            });
        }
    }
    out
}

/// Sentences of a line with their byte offsets, repaired after abbreviations and initials.
pub fn sentences(line: &str) -> Vec<(usize, &str)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (at, s) in line.split_sentence_bound_indices() {
        let merge = out.last().is_some_and(|&(a, b)| {
            let prev = line[a..b].trim_end();
            let last_word = prev
                .trim_end_matches('.')
                .rsplit(|c: char| c.is_whitespace() || c == '(')
                .next()
                .unwrap_or("");
            let abbreviation = prev.ends_with('.')
                && (ABBREVIATIONS.contains(&last_word)
                    || last_word.chars().count() == 1 && last_word.chars().all(char::is_uppercase));
            let lower_next = s.trim_start().starts_with(|c: char| c.is_lowercase());
            abbreviation || lower_next
        });
        match out.last_mut() {
            Some(last) if merge => last.1 = at + s.len(),
            _ => out.push((at, at + s.len())),
        }
    }
    // A very short first sentence ("Registers.") is a run-in heading: the statement starts
    // after it.
    if out.len() > 1 && word_count(&line[out[0].0..out[0].1]) < 4 {
        out.remove(0);
    }
    out.into_iter().map(|(a, b)| (a, &line[a..b])).collect()
}

/// A sentence of at most seven words without an auxiliary, a common verb or a past form.
fn run_in_heading(sentence: &str) -> bool {
    word_count(sentence) <= 7
        && !sentence
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .any(|w| COMMON_VERBS.contains(&w.as_str()) || w.len() > 4 && w.ends_with("ed"))
}

fn procedural(text: &str) -> bool {
    let lower = text.to_lowercase();
    PROCEDURAL.iter().any(|p| lower.starts_with(p))
        || lower.contains("mailing list")
        || lower.contains("per cent of those in the room")
        || lower.contains("participants attended")
        || lower.contains("brings together")
        || lower.contains("were developed by")
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Strips attribution and names; returns the text and the reporting verb stripped.
pub fn clean(sentence: &str, names: &Names) -> (String, Option<String>) {
    let (content, verb) = strip_attribution(sentence);
    // "X noted that A, and that B": without "X noted", the second "that" dangles.
    let content = if verb.is_some() {
        content
            .replace(", and that ", ", and ")
            .replace(" and that ", " and ")
    } else {
        content.to_string()
    };
    (scrub_names(&content, names), verb)
}

/// Removes "Subject verb that" from the start of a sentence when a reporting verb follows a
/// short subject; "It was noted that" and similar openings too.
fn strip_attribution(sentence: &str) -> (&str, Option<String>) {
    let lower = sentence.to_lowercase();
    for p in IMPERSONAL {
        if lower.starts_with(p) && lower.is_char_boundary(p.len()) {
            let verb = p
                .split_whitespace()
                .find(|w| w.ends_with("ed") || *w == "consensus" || *w == "agreement")
                .map(str::to_string);
            return (sentence[p.len()..].trim_start(), verb);
        }
    }
    // Byte offsets of word starts, in the lower-cased text (same offsets: ASCII-only verbs,
    // and lower-casing keeps the length of the text for the scripts of the corpus).
    if lower.len() != sentence.len() {
        return (sentence, None);
    }
    let word_starts: Vec<usize> = lower
        .char_indices()
        .filter(|&(i, c)| {
            c.is_alphabetic()
                && !lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        })
        .map(|(i, _)| i)
        .collect();
    for &at in word_starts.iter().skip(1).take(22) {
        let subject = &lower[..at];
        if subject.contains(" that ") || subject.contains(';') || subject.contains(':') {
            break;
        }
        for verb in REPORTING_VERBS {
            if !lower[at..].starts_with(verb) {
                continue;
            }
            let mut rest = lower[at + verb.len()..].trim_start();
            if lower[at + verb.len()..].starts_with(char::is_alphanumeric) {
                continue;
            }
            while let Some(f) = VERB_FILLERS.iter().find(|f| rest.starts_with(*f)) {
                rest = rest[f.len()..].trim_start();
            }
            let rest = rest.strip_prefix(',').map_or(rest, str::trim_start);
            if let Some(after) = rest.strip_prefix("that ") {
                // Negated or modal subjects ("did not agree that") are content, not attribution.
                if subject.contains(" not ") || subject.ends_with("not ") {
                    return (sentence, None);
                }
                let from = lower.len() - after.len();
                let verb = verb.split_whitespace().next().unwrap_or(verb).to_string();
                return (&sentence[from..], Some(verb));
            }
        }
    }
    (sentence, None)
}

/// Removes names: a parenthesis or a short comma-delimited aside holding a name goes; a name
/// that is the subject of the sentence becomes "One speaker"/"One organisation"; any other
/// name becomes "a speaker" or "an organisation".
pub fn scrub_names(text: &str, names: &Names) -> String {
    let mut text = text.to_string();
    // Restart after each edit: offsets move. Each edit removes at least one name, so there
    // are at most as many passes as names found at first.
    for _ in 0..names.find(&text).len() {
        let spans = names.find(&text);
        let Some(span) = spans.first() else { break };
        let (from, to) = widen(&text, span.from, span.to);
        let (from, to, replacement) = if let Some((a, b)) = aside(&text, from, to) {
            (a, b, String::new())
        } else {
            let generic = match span.kind {
                NameKind::Person => "a speaker",
                NameKind::Organisation => "an organisation",
            };
            let start =
                text[..from].trim_end().is_empty() || text[..from].trim_end().ends_with('.');
            let generic = if start {
                capitalise(generic)
            } else {
                generic.to_string()
            };
            // "The Acme Foundation" → "An organisation", not "The an organisation".
            let before = &text[..from];
            let article = ["the ", "The "].iter().find(|a| before.ends_with(*a));
            let from = article.map_or(from, |a| from - a.len());
            let generic = if article.is_some_and(|a| a.starts_with('T')) {
                capitalise(&generic)
            } else {
                generic
            };
            (from, to, generic)
        };
        text.replace_range(from..to, &replacement);
    }
    for (from, to) in [
        ("a speaker of an organisation", "a speaker"),
        ("A speaker of an organisation", "A speaker"),
        ("a speaker from an organisation", "a speaker"),
        ("A speaker from an organisation", "A speaker"),
    ] {
        text = text.replace(from, to);
    }
    tidy(&text)
}

/// Extends a name span over "of (the) <Organisation>" and "the representative of".
fn widen(text: &str, from: usize, to: usize) -> (usize, usize) {
    let mut from = from;
    for lead in [
        "the representative of ",
        "The representative of ",
        "a representative of ",
        "A representative of ",
        "representatives of ",
    ] {
        if text[..from].ends_with(lead) {
            from -= lead.len();
            break;
        }
    }
    (from, to)
}

/// The parenthesis or short comma-delimited aside (", including X,") around a span, if any.
fn aside(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let open = text[..from].rfind(['(', ',']);
    let close_paren = text[to..].find(')').map(|i| to + i);
    if let Some(o) = open
        && text[o..].starts_with('(')
        && let Some(c) = close_paren
        && !text[o..from].contains(')')
    {
        let start = text[..o].trim_end().len();
        return Some((start, c + 1));
    }
    let o = open?;
    if !text[o..].starts_with(',') {
        return None;
    }
    let c = text[to..].find([',', ';', '.']).map(|i| to + i)?;
    if !text[c..].starts_with(',') || word_count(&text[o + 1..c]) > 12 {
        return None;
    }
    let inner = text[o + 1..from].trim_start().to_lowercase();
    let intro = [
        "including",
        "such as",
        "notably",
        "among them",
        "from",
        "of",
        "for",
    ];
    intro
        .iter()
        .any(|w| inner.starts_with(w))
        .then_some((o, c + 1))
}

/// Collapses spaces and fixes spacing before punctuation after edits.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in [
        (" ,", ","),
        (" .", "."),
        (" ;", ";"),
        (" :", ":"),
        (",,", ","),
    ] {
        while out.contains(from) {
            out = out.replace(from, to);
        }
    }
    capitalise(out.trim_start_matches([',', ';', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Person;

    fn names() -> Names {
        let mut d = Document::new("p", Kind::Proposal, "x");
        d.speakers = vec![Person::parse("Irena Kovačević, Civic Code Lab")];
        Names::from_documents(&[d])
    }

    fn takeaway(text: &str) -> Document {
        let mut d = Document::new("2026-tk-003", Kind::Takeaway, text);
        d.session = Some("2026-ws-003".into());
        d.language = Some("en".into());
        d.speakers = vec![Person::parse("Civil Society, African Group")];
        d
    }

    #[test]
    fn lines_are_numbered_like_the_labels() {
        let text = "1. First point here made.\n\n2. Second point, also made.\n";
        let n = numbered_lines(text);
        assert_eq!(n.len(), 2);
        assert_eq!((n[1].0, &text[n[1].1..n[1].1 + 2]), (2, "2."));
    }

    #[test]
    fn attribution_and_names_are_stripped_and_provenance_kept() {
        let d = takeaway(
            "1. Participants agreed that a public register is a low-cost first step towards accountability.\n2. Irena Kovačević of the Civic Code Lab stressed that small towns cannot build registers alone. Ms. Ana Ruiz said that budgets are short everywhere.",
        );
        let s = split(&d, &names(), &SplitOptions::default());
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(s[0].id, "2026-tk-003#1");
        assert_eq!(
            s[0].text,
            "A public register is a low-cost first step towards accountability."
        );
        assert_eq!(s[0].verb.as_deref(), Some("agreed"));
        assert_eq!(s[1].id, "2026-tk-003#2.1");
        assert_eq!(s[1].text, "Small towns cannot build registers alone.");
        assert_eq!(s[2].text, "Budgets are short everywhere.");
        assert_eq!(
            clean(
                "Speakers noted that fees are high, and that grants help.",
                &names()
            )
            .0,
            "Fees are high, and grants help."
        );
        assert_eq!(&d.text[s[1].span[0]..s[1].span[1]], s[1].quote);
        assert_eq!(s[1].source(), "2026-ws-003");
        assert_eq!(s[1].stakeholder_groups, [StakeholderGroup::CivilSociety]);
    }

    #[test]
    fn a_disagreement_inside_a_session_stays_one_statement() {
        let d = takeaway(
            "1. Views differed on paying farmers for their data. Some leaders argued that a dividend is fair, while others warned that it commodifies privacy.",
        );
        let s = split(&d, &names(), &SplitOptions::default());
        assert_eq!(s.len(), 1);
        assert!(s[0].within_session_divergence);
        assert_eq!(s[0].id, "2026-tk-003#1");
    }

    #[test]
    fn report_template_sections_and_headings() {
        let mut d = takeaway(
            "IGF 2026 WS #3 Public Registers of Algorithms\n\n1. Key Policy Questions and Expectations\nThe round table asked how registers help residents hold cities to account.\n\n2. Summary of Issues Discussed\nThe session was run as a debate with two teams.\nParticipants agreed that registers must be kept current.\n\n5. Gender Reflections\nThree of the five speakers were women and said so clearly.",
        );
        d.kind = Kind::Report;
        let s = split(&d, &names(), &SplitOptions::default());
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Registers must be kept current."]);
        assert_eq!(s[0].section.as_deref(), Some("summary of issues discussed"));
    }

    #[test]
    fn names_in_asides_and_subjects() {
        let n = names();
        assert_eq!(
            scrub_names(
                "Industry speakers, including the representative of Corvid Systems, argued for codes.",
                &n
            ),
            "Industry speakers argued for codes."
        );
        assert_eq!(
            scrub_names(
                "Tomás Villalobos, from an electoral tribunal, defended fast orders.",
                &Names::default()
            ),
            "Tomás Villalobos, from an electoral tribunal, defended fast orders.",
            "an unknown name without a title is not found by the patterns"
        );
        assert_eq!(
            scrub_names("The Acme Foundation questioned whether it helps.", &n),
            "An organisation questioned whether it helps."
        );
        assert_eq!(
            scrub_names("A speaker (Dr Jane Roe) disagreed.", &n),
            "A speaker disagreed."
        );
    }

    #[test]
    fn run_in_headings_of_numbered_items_are_dropped() {
        let d = takeaway(
            "2. A floor, not a ceiling. Recognition should rest on a shared baseline of rights.\nShared rules help small firms. Nobody objected to that idea.",
        );
        let s = split(&d, &names(), &SplitOptions::default());
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Recognition should rest on a shared baseline of rights.",
                "Shared rules help small firms.",
                "Nobody objected to that idea."
            ]
        );
        assert_eq!(&d.text[s[0].span[0]..s[0].span[1]], s[0].quote);
    }

    #[test]
    fn sentences_survive_abbreviations() {
        let s = sentences("Mr. Touré spoke, e.g. on costs. Others disagreed with him.");
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[1].1.trim(), "Others disagreed with him.");
    }
}

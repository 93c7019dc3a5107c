//! The guideline checker (guideline 5.6 of the MAG Working Group on Strategy: length
//! limits, no singling out of organisations, disagreement reported as such), usable on any
//! draft: the structured messages of [`super::DraftValidParams::messages`], or a Markdown
//! file written or edited by a person.
//!
//! In Markdown, a message is a list item (with its continuation lines) or a paragraph after
//! the first second-level heading; headings, footnote definitions, italic-only notes
//! ("_Actionable by: …_"), tables and code are not messages. A leading class label
//! (`**Converging.**`) and footnote markers do not count as words. Sources are footnotes
//! (`[^1]` with `[^1]: 2026-tk-002#3 "…"`) or document ids written in the text.
//!
//! Rules: a message over the length limit; a name of a person or organisation (gazetteer of
//! the corpus's organisers and speakers, plus patterns); a message about a point the
//! analysis found contested that does not say views differed; a message with no source; a
//! source that is not a document of the corpus.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::analysis::{Analyzer, detect_language};
use crate::converge::{Class, Converged, NameKind, stance};

use super::compress::words;

/// A guideline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Longer than the limit.
    Length,
    /// Names a person or an organisation.
    Name,
    /// States a contested point as if it were agreed.
    DivergingAsConsensus,
    /// Cites no source.
    NoSource,
    /// Cites a source that is not in the corpus.
    UnknownSource,
}

impl Rule {
    /// The rule's name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Length => "length",
            Rule::Name => "name",
            Rule::DivergingAsConsensus => "diverging_as_consensus",
            Rule::NoSource => "no_source",
            Rule::UnknownSource => "unknown_source",
        }
    }
}

/// A guideline violation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// 1-based line of the message in a Markdown draft.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Where the message is (`data-1 message 2`, or the first words of a Markdown message).
    pub at: String,
    /// The guideline.
    pub rule: Rule,
    /// What is wrong.
    pub message: String,
}

/// A message found in a Markdown draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftItem {
    /// 1-based line where it starts.
    pub line: usize,
    /// Its text, without markup, class label, footnote markers or inline sources.
    pub text: String,
    /// Its sources: the ids (`doc` or `doc#line`) in its footnotes and in its text, and
    /// the footnotes that name no document (as `[^id]`).
    pub refs: Vec<String>,
}

/// Similarity from which a message without line references is taken to be about a point.
const ABOUT: f32 = 0.2;

/// Checks drafts against the guidelines, knowing the corpus and its points.
#[derive(Debug)]
pub struct Checker<'a> {
    converged: &'a Converged,
    known: BTreeSet<String>,
    max_words: usize,
    /// Line reference → points holding it.
    line_points: HashMap<String, Vec<usize>>,
    /// Document id → points holding one of its statements.
    doc_points: HashMap<String, Vec<usize>>,
}

impl<'a> Checker<'a> {
    /// A checker for drafts of `converged`, accepting `known` document ids as sources, with
    /// a length limit of `max_words`.
    pub fn new(
        converged: &'a Converged,
        known: impl IntoIterator<Item = String>,
        max_words: usize,
    ) -> Checker<'a> {
        let mut line_points: HashMap<String, Vec<usize>> = HashMap::new();
        let mut doc_points: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, p) in converged.convergence.points.iter().enumerate() {
            for s in &p.statements {
                line_points
                    .entry(format!("{}#{}", s.doc, s.line))
                    .or_default()
                    .push(k);
                if s.id.contains('.') {
                    line_points.entry(s.id.clone()).or_default().push(k);
                }
                doc_points.entry(s.doc.clone()).or_default().push(k);
            }
        }
        for v in line_points.values_mut().chain(doc_points.values_mut()) {
            v.dedup();
        }
        Checker {
            converged,
            known: known.into_iter().collect(),
            max_words,
            line_points,
            doc_points,
        }
    }

    /// The document part of a reference, if it names a known document.
    fn known_doc<'r>(&self, r: &'r str) -> Option<&'r str> {
        let doc = r.split('#').next().unwrap_or(r);
        self.known.contains(doc).then_some(doc)
    }

    /// Checks one message; `refs` are its sources (`doc`, `doc#line`, or `[^id]` for a
    /// footnote that names no document).
    pub fn check_message(
        &self,
        line: Option<usize>,
        at: &str,
        text: &str,
        refs: &[String],
    ) -> Vec<Violation> {
        let mut out = Vec::new();
        let mut flag = |rule: Rule, message: String| {
            out.push(Violation {
                line,
                at: at.to_string(),
                rule,
                message,
            })
        };
        let n = words(text);
        if n > self.max_words {
            flag(
                Rule::Length,
                format!("{n} words, over the limit of {}", self.max_words),
            );
        }
        for span in self.converged.names.find(text) {
            let what = match span.kind {
                NameKind::Person => "a person",
                NameKind::Organisation => "an organisation",
            };
            flag(
                Rule::Name,
                format!("names {what}: \"{}\"", &text[span.from..span.to]),
            );
        }
        let known: Vec<&String> = refs
            .iter()
            .filter(|r| self.known_doc(r).is_some())
            .collect();
        for r in refs.iter().filter(|r| self.known_doc(r).is_none()) {
            let message = if r.starts_with("[^") {
                format!("footnote {r} names no document of the corpus")
            } else {
                format!("source {r} is not a document of the corpus")
            };
            flag(Rule::UnknownSource, message);
        }
        if known.is_empty() && refs.is_empty() {
            flag(Rule::NoSource, "cites no source".into());
        }
        if !stance::reports_divergence(text)
            && let Some(point) = self.contested(text, &known)
        {
            let how = if stance::reports_consensus(text) {
                "the message states agreement"
            } else {
                "the message does not say that views differed"
            };
            flag(
                Rule::DivergingAsConsensus,
                format!("point {point} is contested, but {how}"),
            );
        }
        out
    }

    /// The id of a diverging point the message is about, if any. Each cited statement
    /// (`doc#line.sentence`) or line (`doc#line`) stands for the point closest to the
    /// message among the points holding it; without such references, the point closest to
    /// the message among those of its cited documents (or of the whole corpus) does.
    fn contested(&self, text: &str, refs: &[&String]) -> Option<String> {
        let points = &self.converged.convergence.points;
        let space = &self.converged.space;
        let e = space.embed(text, Analyzer::for_code(detect_language(text)));
        let closest = |candidates: Vec<usize>, least: f32| {
            candidates
                .into_iter()
                .map(|k| {
                    let best = points[k]
                        .members
                        .iter()
                        .map(|&i| space.similarity_to(&e, i))
                        .fold(f32::MIN, f32::max);
                    (k, best)
                })
                .fold(None, |b: Option<(usize, f32)>, (k, s)| match b {
                    Some((_, bs)) if bs >= s => b,
                    _ => Some((k, s)),
                })
                .filter(|&(_, s)| s >= least)
                .map(|(k, _)| k)
        };
        let lines: Vec<&String> = refs.iter().copied().filter(|r| r.contains('#')).collect();
        if !lines.is_empty() {
            return lines
                .iter()
                .filter_map(|r| self.line_points.get(r.as_str()))
                .filter_map(|ks| closest(ks.clone(), f32::MIN))
                .find(|&k| points[k].class == Class::Diverging)
                .map(|k| points[k].id.clone());
        }
        let candidates: Vec<usize> = if refs.is_empty() {
            (0..points.len()).collect()
        } else {
            let mut v: Vec<usize> = refs
                .iter()
                .filter_map(|r| self.doc_points.get(r.as_str()))
                .flatten()
                .copied()
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        closest(candidates, ABOUT)
            .filter(|&k| points[k].class == Class::Diverging)
            .map(|k| points[k].id.clone())
    }

    /// Checks a Markdown draft: the number of messages found, and the violations, each
    /// naming the line of its message.
    pub fn check_markdown(&self, markdown: &str) -> (usize, Vec<Violation>) {
        let items = parse_markdown(markdown, &|t| self.known_doc(t).is_some());
        let violations = items
            .iter()
            .flat_map(|item| {
                let at: String = item
                    .text
                    .split_whitespace()
                    .take(8)
                    .collect::<Vec<_>>()
                    .join(" ");
                self.check_message(Some(item.line), &at, &item.text, &item.refs)
            })
            .collect();
        (items.len(), violations)
    }
}

/// Removes Markdown backslash escapes.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Tokens of a text that may be references (`doc` or `doc#line`).
fn ref_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '"' | '“' | '”' | '—')
    })
    .map(|t| t.trim_end_matches(['.', ':']))
    .filter(|t| !t.is_empty())
}

/// Footnote markers `[^id]` in a text, with their byte ranges.
fn footnote_markers(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("[^") {
        let s = at + i;
        match text[s..].find(']') {
            Some(j) => {
                out.push((s, s + j + 1, &text[s + 2..s + j]));
                at = s + j + 1;
            }
            None => break,
        }
    }
    out
}

const LABELS: &[&str] = &["converging", "diverging", "emerging"];

/// The text of a message as a reader sees it: markers, labels and inline sources removed.
fn clean_message(raw: &str, is_ref: &dyn Fn(&str) -> bool) -> (String, Vec<String>) {
    let mut text = raw.to_string();
    for (s, e, _) in footnote_markers(raw).into_iter().rev() {
        text.replace_range(s..e, "");
    }
    let text = unescape(&text);
    // Inline sources.
    let mut inline = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        let refs: Vec<&str> = ref_tokens(w).filter(|t| is_ref(t)).collect();
        if !refs.is_empty() && ref_tokens(w).all(is_ref) {
            inline.extend(refs.iter().map(|r| r.to_string()));
            // Punctuation after the reference stays with the sentence.
            let tail: String = w
                .chars()
                .rev()
                .take_while(|c| matches!(c, '.' | ',' | ';' | ':'))
                .collect();
            if let Some(last) = kept.last_mut() {
                last.extend(tail.chars().rev());
            }
            continue;
        }
        kept.push(w.to_string());
    }
    let mut text = kept.join(" ").replace("()", "").replace("[]", "");
    // Emphasis, links and a leading class label.
    text = text.replace("**", "").replace("__", "");
    let trimmed = text.trim_start();
    let lower = trimmed.to_lowercase();
    if let Some(label) = LABELS.iter().find(|l| lower.starts_with(*l)) {
        let rest = &trimmed[label.len()..];
        if rest.starts_with(['.', ':']) {
            text = rest[1..].to_string();
        }
    }
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' => {}
            '_' if out.is_empty()
                || out.ends_with(' ')
                || chars.peek().is_none_or(|n| !n.is_alphanumeric()) => {}
            _ => out.push(c),
        }
    }
    // "Actionable by: …" at the end is a note, not part of the message.
    if let Some(i) = out.to_lowercase().find("actionable by:") {
        out.truncate(i);
    }
    (out.split_whitespace().collect::<Vec<_>>().join(" "), inline)
}

/// The messages of a Markdown draft (see the module documentation); `is_ref` tells a
/// document reference from a word.
pub fn parse_markdown(markdown: &str, is_ref: &dyn Fn(&str) -> bool) -> Vec<DraftItem> {
    let lines: Vec<&str> = markdown.lines().collect();
    // Footnote definitions and their continuation lines.
    let mut notes: HashMap<String, String> = HashMap::new();
    let mut in_note = vec![false; lines.len()];
    let mut current: Option<String> = None;
    for (n, line) in lines.iter().enumerate() {
        if let Some(rest) = line.strip_prefix("[^")
            && let Some(close) = rest.find("]:")
        {
            let id = rest[..close].to_string();
            notes.insert(id.clone(), rest[close + 2..].to_string());
            current = Some(id);
            in_note[n] = true;
        } else if let Some(id) = &current
            && (line.starts_with("    ") || line.starts_with('\t'))
        {
            if let Some(t) = notes.get_mut(id) {
                t.push(' ');
                t.push_str(line.trim());
            }
            in_note[n] = true;
        } else {
            current = None;
        }
    }
    let mut items: Vec<DraftItem> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let flush = |open: &mut Option<(usize, String)>, items: &mut Vec<DraftItem>| {
        if let Some((line, raw)) = open.take() {
            let (text, mut refs) = clean_message(&raw, is_ref);
            for (_, _, id) in footnote_markers(&raw) {
                let note = notes.get(id).map(|n| unescape(n)).unwrap_or_default();
                let found: Vec<String> = ref_tokens(&note)
                    .filter(|t| {
                        is_ref(t)
                            || t.contains('#')
                                && t.chars().next().is_some_and(char::is_alphanumeric)
                    })
                    .map(str::to_string)
                    .collect();
                if found.is_empty() {
                    refs.push(format!("[^{id}]"));
                }
                refs.extend(found);
            }
            refs.sort();
            refs.dedup();
            if !text.is_empty() {
                items.push(DraftItem { line, text, refs });
            }
        }
    };
    let mut seen_section = false;
    let mut fenced = false;
    for (n, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut open, &mut items);
            fenced = !fenced;
            continue;
        }
        if fenced || in_note[n] {
            flush(&mut open, &mut items);
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('|') || trimmed.starts_with("<!--") {
            flush(&mut open, &mut items);
            continue;
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            flush(&mut open, &mut items);
            seen_section |= hashes >= 2;
            continue;
        }
        if !seen_section {
            continue;
        }
        let italic_note = (trimmed.starts_with('_') && trimmed.ends_with('_'))
            || (trimmed.starts_with('*')
                && !trimmed.starts_with("**")
                && trimmed.ends_with('*')
                && !trimmed.starts_with("* "));
        if italic_note {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let body = trimmed.trim_start_matches('>').trim_start();
        let marker = list_marker(body);
        if indent <= 3 && marker > 0 {
            flush(&mut open, &mut items);
            open = Some((n + 1, body[marker..].to_string()));
        } else if let Some((_, raw)) = open.as_mut() {
            raw.push(' ');
            raw.push_str(body);
        } else {
            open = Some((n + 1, body.to_string()));
        }
    }
    flush(&mut open, &mut items);
    items
}

/// Length of a list marker ("- ", "* ", "+ ", "1. ", "2) ") at the start of `text`, or 0.
fn list_marker(text: &str) -> usize {
    if text.starts_with("- ") || text.starts_with("* ") || text.starts_with("+ ") {
        return 2;
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits)
        && (text[digits..].starts_with(". ") || text[digits..].starts_with(") "))
    {
        return digits + 2;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(t: &str) -> bool {
        matches!(
            t.split('#').next(),
            Some("2026-tk-002" | "2026-tk-019" | "2026-dc-x")
        )
    }

    #[test]
    fn markdown_messages_with_labels_footnotes_and_notes() {
        let md = "# Messages\n\nIntro paragraph, not a message.\n\n## Data\n\n### data-1: A question?\n\n- **Converging.** Interoperable arrangements are preferred.[^1][^2]\n  _Actionable by: regulators._\n- A second message\n  over two lines (2026-tk-019).\n\nA paragraph message with no source.\n\n| a | b |\n\n[^1]: 2026-tk-002#1 \"quote\"\n[^2]: 2026-tk-019#2 \"another\"\n    continued\n";
        let items = parse_markdown(md, &known);
        assert_eq!(items.len(), 3, "{items:#?}");
        assert_eq!(items[0].line, 9);
        assert_eq!(items[0].text, "Interoperable arrangements are preferred.");
        assert_eq!(items[0].refs, ["2026-tk-002#1", "2026-tk-019#2"]);
        assert_eq!(items[1].text, "A second message over two lines.");
        assert_eq!(items[1].refs, ["2026-tk-019"]);
        assert_eq!(items[2].line, 14);
        assert!(items[2].refs.is_empty());
    }

    #[test]
    fn footnotes_naming_nothing_known_are_kept_as_markers() {
        let md = "## T\n\n- Message one.[^a] And an escaped \\*star\\*.\n\n[^a]: a personal note\n[^b]: unused-doc#4\n";
        let items = parse_markdown(md, &known);
        assert_eq!(items[0].refs, ["[^a]"]);
        assert_eq!(items[0].text, "Message one. And an escaped star.");
    }

    #[test]
    fn cleaning_keeps_words_with_underscores() {
        let (t, _) = clean_message("Use snake_case and _emphasis_ here.", &known);
        assert_eq!(t, "Use snake_case and emphasis here.");
    }
}

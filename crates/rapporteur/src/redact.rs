//! Redaction: person names and e-mail addresses taken out of text about to be written.
//!
//! Speakers and organisers are personal data. A [`Redactor`] learns the people of a corpus
//! (organisers, speakers, the speakers of transcript turns) and works on finished output
//! (text, JSON, CSV, Markdown, HTML), so that no output format can leak a name another one
//! hides — in the person fields and in running text alike (document texts, titles, snippets,
//! evidence passages, statements). It replaces with `[name]`:
//!
//! - every full name as written, and a name of three words or more without its middle names
//!   ("Nia Kamau" for "Nia Wanjiru Kamau");
//! - a title (`Ms`, `Mr`, `Dr`, `Prof`, `Minister`… with or without its full stop) followed by
//!   the last word or words of a name ("Ms. Kamau", "Dr Ferreyra Paz"), title included;
//! - a surname alone when it is told apart from words ([`Names::surnames`]: four letters or
//!   more, never written in lower case in the corpus, not a common capitalised word of the
//!   domain). Shorter or ambiguous surnames ("Roe", "Rose") are replaced only after a title
//!   or as part of the full name: alone they would also take out words. First names alone
//!   are left, for the same reason.
//!
//! Each of these also in capitals (captioned transcripts), HTML-escaped and JSON-escaped; and
//! every e-mail address becomes `[e-mail]`. A name is replaced only as a whole word, so that
//! `Ana` leaves `Analysis` alone. Names broken over two lines are not found.

use std::collections::BTreeMap;

use aho_corasick::AhoCorasick;

use crate::converge::names::{HONORIFICS, Names};
use crate::model::Document;

/// What a name becomes.
pub const NAME: &str = "[name]";
/// What an e-mail address becomes.
pub const EMAIL: &str = "[e-mail]";

/// Where a spelling is a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Form {
    /// Anywhere, as a whole word.
    Alone,
    /// Only after a title ("Ms. Kamau").
    AfterTitle,
}

/// Replaces known person names and any e-mail address.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// How each pattern of `finder` may match.
    forms: Vec<Form>,
    /// Every spelling of every name (`None`: no names known).
    finder: Option<AhoCorasick>,
}

impl Redactor {
    /// A redactor for the people of `docs`.
    pub fn new(docs: &[Document]) -> Redactor {
        let mut forms: BTreeMap<String, Form> = BTreeMap::new();
        let mut add = |text: String, form: Form| {
            for s in spellings(&text) {
                let f = forms.entry(s).or_insert(form);
                *f = (*f).min(form);
            }
        };
        let people = docs
            .iter()
            .flat_map(Document::people)
            .filter_map(|p| p.name.as_deref());
        let turns = docs
            .iter()
            .filter_map(|d| d.extra.get("turns").and_then(|t| t.as_array()))
            .flatten()
            .filter_map(|t| t.get("speaker").and_then(|s| s.as_str()));
        for name in people.chain(turns) {
            let parts: Vec<&str> = name.split_whitespace().collect();
            if !is_name(&parts) {
                continue;
            }
            add(parts.join(" "), Form::Alone);
            if parts.len() >= 3 {
                add(
                    format!("{} {}", parts[0], parts[parts.len() - 1]),
                    Form::Alone,
                );
            }
            for k in 1..parts.len() {
                add(parts[k..].join(" "), Form::AfterTitle);
            }
        }
        for surname in Names::from_documents(docs).surnames() {
            add(surname.to_string(), Form::Alone);
        }
        if forms.is_empty() {
            return Redactor::default();
        }
        let (patterns, forms): (Vec<String>, Vec<Form>) = forms.into_iter().unzip();
        Redactor {
            finder: Some(AhoCorasick::new(&patterns).expect("name patterns fit an automaton")),
            forms,
        }
    }

    /// The spellings known (every form of every name, in every escaping).
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    /// True when no name is known (e-mail addresses are still replaced).
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// `text` with every known name and every e-mail address replaced.
    pub fn redact(&self, text: &str) -> String {
        let text = redact_emails(text);
        let Some(finder) = &self.finder else {
            return text;
        };
        let inside = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut spans: Vec<(usize, usize)> = finder
            .find_overlapping_iter(&text)
            .filter(|m| {
                !inside(text[..m.start()].chars().next_back())
                    && !inside(text[m.end()..].chars().next())
            })
            .filter_map(
                |m| match (self.forms[m.pattern()], title_before(&text, m.start())) {
                    (_, Some(title)) => Some((title, m.end())),
                    (Form::Alone, None) => Some((m.start(), m.end())),
                    (Form::AfterTitle, None) => None,
                },
            )
            .collect();
        spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (from, to) in spans {
            if from < last {
                continue;
            }
            out.push_str(&text[last..from]);
            out.push_str(NAME);
            last = to;
        }
        out.push_str(&text[last..]);
        out
    }
}

/// True for the words of a person's name: two letters or more, and not a role label of
/// transcripts (`Moderator`, `Speaker`).
fn is_name(parts: &[&str]) -> bool {
    let lower = parts.join(" ").to_lowercase();
    parts
        .iter()
        .flat_map(|p| p.chars())
        .filter(|c| c.is_alphabetic())
        .count()
        >= 2
        && ![
            "moderator",
            "speaker",
            "audience",
            "participant",
            "chair",
            "unknown",
        ]
        .iter()
        .any(|role| lower.starts_with(role))
}

/// A name as written and in capitals, each also HTML- and JSON-escaped.
fn spellings(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for spelling in [name.to_string(), name.to_uppercase()] {
        let escaped = spelling
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        for s in [
            escaped.replace('\'', "&#39;"),
            escaped.replace('\'', "&#x27;"),
            escaped.replace('"', "&quot;"),
            spelling.replace('"', "\\\""),
            spelling.clone(),
        ] {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// Where the title before byte `at` starts ("Ms. " or "Dr " right before it), if there is one.
fn title_before(text: &str, at: usize) -> Option<usize> {
    let before = &text[..at];
    let trimmed = before.trim_end();
    if trimmed.len() == before.len() {
        return None;
    }
    let word = trimmed.strip_suffix('.').unwrap_or(trimmed);
    let start = word
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let title = &word[start..];
    HONORIFICS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(title))
        .then_some(start)
}

/// Replaces e-mail addresses (`local@domain.tld`).
fn redact_emails(text: &str) -> String {
    if !text.contains('@') {
        return text.to_string();
    }
    let local = |c: u8| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'-';
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'@', &b[i..]) {
        let at = i + off;
        i = at + 1;
        let mut start = at;
        while start > last && local(b[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < b.len() && domain(b[end]) {
            end += 1;
        }
        // A domain ends in a letter, after a dot: trailing dots and hyphens are punctuation.
        while end > at + 1 && !b[end - 1].is_ascii_alphanumeric() {
            end -= 1;
        }
        let host = &text[at + 1..end];
        let dotted = host.rsplit_once('.').is_some_and(|(h, tld)| {
            !h.is_empty() && tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic())
        });
        if start == at || !dotted {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(EMAIL);
        last = end;
        i = end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Person};

    fn person(name: &str) -> Person {
        Person {
            name: Some(name.into()),
            ..Person::default()
        }
    }

    fn redactor(text: &str, people: &[&str]) -> Redactor {
        let mut d = Document::new("1", Kind::Proposal, text);
        d.speakers = people.iter().map(|n| person(n)).collect();
        Redactor::new(&[d])
    }

    #[test]
    fn names_and_emails_are_replaced_as_whole_words() {
        let r = redactor("text", &["Ana Lima", "Seán O'Brien"]);
        assert_eq!(
            r.redact(
                "Ana Lima (ana.lima@example.org) and ANA LIMA met Seán O&#39;Brien. Ana Limas."
            ),
            "[name] ([e-mail]) and [name] met [name]. Ana Limas."
        );
        assert_eq!(
            r.redact("mail x@y, a@b.c, me@host.example."),
            "mail x@y, a@b.c, [e-mail]."
        );
        assert_eq!(
            r.redact("{\"name\":\"Seán O'Brien\"}"),
            "{\"name\":\"[name]\"}"
        );
    }

    #[test]
    fn short_forms_after_a_title_and_distinctive_surnames() {
        let r = redactor(
            "The roe deer and the rose garden were discussed.",
            &[
                "Nia Wanjiru Kamau",
                "Jane Roe",
                "Lucía Ferreyra Paz",
                "Tom Rose",
            ],
        );
        assert_eq!(
            r.redact("Nia Kamau spoke; Ms. Kamau and Kamau's team, then KAMAU."),
            "[name] spoke; [name] and [name]'s team, then [name]."
        );
        assert_eq!(
            r.redact("Ms Roe, MR. ROE and Dr Ferreyra Paz; Sra. Paz."),
            "[name], [name] and [name]; [name]."
        );
        // Too short or written in lower case in the corpus: alone, these are words.
        assert_eq!(
            r.redact("Roe deer and Rose gardens; Paz."),
            "Roe deer and Rose gardens; Paz."
        );
    }

    #[test]
    fn role_labels_and_initials_stay() {
        let r = redactor("text", &["Moderator", "J"]);
        assert!(r.is_empty());
        assert_eq!(r.redact("The Moderator, J."), "The Moderator, J.");
    }
}

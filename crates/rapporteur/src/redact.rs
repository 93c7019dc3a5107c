//! Redaction: person names and e-mail addresses taken out of text about to be written.
//!
//! Speakers and organisers are personal data. A [`Redactor`] learns the names of a corpus
//! (organisers, speakers, the speakers of transcript turns) and replaces every occurrence of
//! them, as written, in capitals (captioned transcripts) and HTML-escaped, with `[name]`, and
//! every e-mail address with `[e-mail]`. It works on finished output (text, JSON, CSV,
//! Markdown, HTML), so that no output format can leak a name another one hides; a name is
//! replaced only as a whole word, so that `Ana` leaves `Analysis` alone.

use std::collections::BTreeSet;

use crate::model::Document;

/// What a name becomes.
pub const NAME: &str = "[name]";
/// What an e-mail address becomes.
pub const EMAIL: &str = "[e-mail]";

/// Replaces known person names and any e-mail address.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Spellings to replace, longest first (so that "Jane Doe-Smith" goes before "Jane Doe").
    names: Vec<String>,
}

impl Redactor {
    /// A redactor for the people of `docs`.
    pub fn new<'a>(docs: impl IntoIterator<Item = &'a Document>) -> Redactor {
        let mut names = BTreeSet::new();
        for d in docs {
            for p in d.organisers.iter().chain(&d.speakers) {
                if let Some(n) = &p.name {
                    names.insert(n.clone());
                }
            }
            let turns = d.extra.get("turns").and_then(|t| t.as_array());
            for t in turns.into_iter().flatten() {
                if let Some(n) = t.get("speaker").and_then(|s| s.as_str()) {
                    names.insert(n.to_string());
                }
            }
        }
        let mut r = Redactor::default();
        for n in names {
            r.add_name(&n);
        }
        r
    }

    /// Adds a name (with its capitals and HTML-escaped spellings). Names of one letter and
    /// role labels of transcripts (`Moderator`, `Speaker`) are left alone.
    pub fn add_name(&mut self, name: &str) {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower = name.to_lowercase();
        if name.chars().filter(|c| c.is_alphabetic()).count() < 2
            || [
                "moderator",
                "speaker",
                "audience",
                "participant",
                "chair",
                "unknown",
            ]
            .iter()
            .any(|role| lower.starts_with(role))
        {
            return;
        }
        let upper = name.to_uppercase();
        for spelling in [name.clone(), upper] {
            let escaped = spelling
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            for s in [
                spelling.clone(),
                escaped.replace('\'', "&#39;"),
                escaped.replace('\'', "&#x27;"),
                escaped.replace('"', "&quot;"),
                spelling.replace('"', "\\\""),
            ] {
                if !self.names.contains(&s) {
                    self.names.push(s);
                }
            }
        }
        self.names
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    }

    /// The names known, as given (for tests and reports).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no name is known (e-mail addresses are still replaced).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// `text` with every known name and every e-mail address replaced.
    pub fn redact(&self, text: &str) -> String {
        let mut out = redact_emails(text);
        for name in &self.names {
            if !out.contains(name.as_str()) {
                continue;
            }
            out = replace_words(&out, name, NAME);
        }
        out
    }
}

/// Replaces `word` where it stands as a whole word (not inside a longer word).
fn replace_words(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(word) {
        if at < last {
            continue;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let inside = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        if inside(before) || inside(after) {
            continue;
        }
        out.push_str(&text[last..at]);
        out.push_str(with);
        last = at + word.len();
    }
    out.push_str(&text[last..]);
    out
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

    #[test]
    fn names_and_emails_are_replaced_as_whole_words() {
        let mut d = Document::new("1", Kind::Proposal, "text");
        d.speakers.push(Person {
            name: Some("Ana Lima".into()),
            ..Person::default()
        });
        d.organisers.push(Person {
            name: Some("Seán O'Brien".into()),
            ..Person::default()
        });
        let r = Redactor::new([&d]);
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
    fn role_labels_and_initials_stay() {
        let mut r = Redactor::default();
        r.add_name("Moderator");
        r.add_name("J");
        assert!(r.is_empty());
    }
}

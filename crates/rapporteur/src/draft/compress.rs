//! Light compression of extracted sentences: hedges and discourse fillers go, then, only as
//! far as the length limit needs, parentheses, examples ("such as …", "including …"),
//! trailing reasons and second clauses. The words that remain are the source's words, in
//! its order.

use crate::converge::statements::tidy;

/// Hedges and fillers removed wherever they stand (lower-case; matched case-insensitively).
const HEDGES: &[&str] = &[
    "it was felt that ",
    "it could be argued that ",
    ", arguably,",
    ", in many respects,",
    ", to some extent,",
    ", in fact,",
    ", of course,",
    ", indeed,",
    ", clearly,",
    ", essentially,",
    ", basically,",
    ", in general,",
    "more or less ",
    "somewhat ",
    "quite ",
    "really ",
];

/// Openings that only link to what came before.
const OPENINGS: &[&str] = &[
    "however, ",
    "moreover, ",
    "furthermore, ",
    "in addition, ",
    "additionally, ",
    "finally, ",
    "overall, ",
    "also, ",
    "at the same time, ",
    "similarly, ",
    "in this context, ",
    "for this reason, ",
    "arguably, ",
    "in fact, ",
    "of course, ",
    "indeed, ",
    "clearly, ",
    "essentially, ",
    "basically, ",
    "in general, ",
    "to some extent, ",
];

/// Asides dropped when a sentence is too long: from the marker to the next comma, semicolon
/// or full stop.
const ASIDES: &[&str] = &[
    ", such as ",
    ", including ",
    ", for example ",
    ", for instance ",
    ", e.g. ",
    ", notably ",
    ", in particular ",
    " such as ",
];

/// Trailing clauses dropped when a sentence is still too long: from the marker to the end.
const TAILS: &[&str] = &[
    ", which ",
    ", since ",
    ", because ",
    " because ",
    ", so that ",
    " so that ",
    ", as ",
    ", while ",
    ", whereas ",
    ", provided ",
    ", with ",
    ", and that ",
    " rather than ",
];

/// Number of words.
pub fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Lower-cases the first letter unless the first word is an acronym or a name-like word
/// written in capitals throughout ("ICANN").
pub fn decapitalise(text: &str) -> String {
    let first: String = text.chars().take_while(|c| c.is_alphanumeric()).collect();
    if first.chars().filter(|c| c.is_uppercase()).count() > 1 {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Removes every case-insensitive occurrence of `needle` (ASCII) from `text`.
fn remove_all(text: &str, needle: &str) -> String {
    let mut out = text.to_string();
    loop {
        let lower = out.to_ascii_lowercase();
        let Some(i) = lower.find(needle) else { break };
        let before = lower[..i].chars().next_back();
        if needle.starts_with(char::is_alphanumeric) && before.is_some_and(char::is_alphanumeric) {
            // Inside a word: leave it (and stop, to avoid looping on it).
            break;
        }
        out.replace_range(i..i + needle.len(), "");
    }
    out
}

/// Hedges and openings removed, spacing tidied, first letter capitalised; a sentence that
/// opens on "He" or "She" (whose person was named in the sentence before) opens on "One
/// speaker".
pub fn trim_hedges(text: &str) -> String {
    let mut t = text.trim().to_string();
    for pronoun in ["He ", "She "] {
        if let Some(rest) = t.strip_prefix(pronoun) {
            t = format!("One speaker {rest}");
        }
    }
    for o in OPENINGS {
        if t.to_ascii_lowercase().starts_with(o) {
            t = t[o.len()..].to_string();
        }
    }
    for h in HEDGES {
        t = remove_all(&t, h);
    }
    capitalise(&tidy(&t))
}

/// Ends a text with a full stop (replacing a trailing comma, semicolon or colon).
pub fn end_sentence(text: &str) -> String {
    let t = text
        .trim_end()
        .trim_end_matches([',', ';', ':', ' ', '—', '–', '-']);
    if t.ends_with(['.', '!', '?', '…']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// Drops the first parenthesis.
fn drop_parenthesis(text: &str) -> Option<String> {
    let open = text.find(" (")?;
    let close = text[open..].find(')')? + open;
    Some(format!("{}{}", &text[..open], &text[close + 1..]))
}

/// Drops the first aside (", such as …,").
fn drop_aside(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let (at, marker) = ASIDES
        .iter()
        .filter_map(|m| lower.find(m).map(|i| (i, *m)))
        .min()?;
    let from = at + marker.len();
    let end = lower[from..]
        .find([',', ';', '.', ':'])
        .map_or(text.len(), |i| from + i);
    let rest = &text[end..];
    let rest = if marker.starts_with(',') {
        rest.strip_prefix(',').unwrap_or(rest)
    } else {
        rest
    };
    Some(format!("{}{}", &text[..at], rest))
}

/// Drops the last trailing clause (", which …" to the end).
fn drop_tail(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = TAILS
        .iter()
        .filter_map(|m| lower.rfind(m))
        .filter(|&i| words(&text[..i]) >= 8)
        .max()?;
    Some(end_sentence(&text[..at]))
}

/// Keeps the first of two clauses joined by a semicolon or a colon, when it is long enough
/// to stand alone.
fn first_clause(text: &str) -> Option<String> {
    let at = [text.find("; "), text.find(": ")]
        .into_iter()
        .flatten()
        .min()
        .filter(|&i| words(&text[..i]) >= 8)?;
    Some(end_sentence(&text[..at]))
}

/// Compresses one sentence to at most `max_words` words, removing as little as it can; the
/// last resort cuts at the last comma before the limit, or at the limit with "…".
pub fn compress(text: &str, max_words: usize) -> String {
    shorten(
        text,
        max_words,
        &[drop_parenthesis, drop_aside, drop_tail, first_clause],
    )
}

/// Like [`compress`], for a sentence that reports a disagreement: its second side (after
/// "while", "whereas" or a semicolon) is never dropped.
pub fn compress_contrast(text: &str, max_words: usize) -> String {
    shorten(
        text,
        max_words,
        &[drop_parenthesis, drop_aside, drop_reason],
    )
}

/// Drops the last trailing reason or relative clause, but not a contrast.
fn drop_reason(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = [
        ", which ",
        ", since ",
        ", because ",
        " because ",
        ", so that ",
        ", as ",
    ]
    .iter()
    .filter_map(|m| lower.rfind(m))
    .filter(|&i| words(&text[..i]) >= 8)
    .filter(|&i| !lower[i..].contains(" while ") && !lower[i..].contains("; "))
    .max()?;
    Some(end_sentence(&text[..at]))
}

type Step = fn(&str) -> Option<String>;

/// Drops a closing parenthesis that only names an audience ("(for regulators)",
/// "(legislators; technical community)"): the message's "actionable by" says it.
fn drop_audience(text: &str) -> String {
    let t = text.trim_end();
    let body = t.trim_end_matches(['.', ' ']);
    if body.ends_with(')')
        && let Some(open) = body.rfind(" (")
    {
        let inner = &body[open + 2..body.len() - 1];
        if inner.starts_with("for ") || inner.contains(';') {
            return end_sentence(&body[..open]);
        }
    }
    t.to_string()
}

fn shorten(text: &str, max_words: usize, steps: &[Step]) -> String {
    let mut t = drop_audience(&trim_hedges(text));
    for step in steps {
        while words(&t) > max_words {
            match step(&t) {
                Some(shorter) if shorter.len() < t.len() => t = tidy(&shorter),
                _ => break,
            }
        }
    }
    if words(&t) <= max_words {
        return end_sentence(&t);
    }
    let kept: Vec<&str> = t.split_whitespace().take(max_words).collect();
    let cut = kept.join(" ");
    match cut.rfind([',', ';']) {
        Some(i) if words(&cut[..i]) * 10 >= max_words * 6 => end_sentence(&cut[..i]),
        _ => {
            let shorter: Vec<&str> = t
                .split_whitespace()
                .take(max_words.saturating_sub(1).max(1))
                .collect();
            format!("{} …", shorter.join(" ").trim_end_matches([',', ';', ':']))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hedges_and_openings_go() {
        assert_eq!(
            trim_hedges("However, it was felt that registers are, to some extent, quite useful."),
            "Registers are useful."
        );
        assert_eq!(
            trim_hedges("Indeed, spectrum matters."),
            "Spectrum matters."
        );
        assert_eq!(
            trim_hedges("Rather than fees, grants."),
            "Rather than fees, grants."
        );
        assert_eq!(
            trim_hedges("He cautioned, however, that it fails."),
            "One speaker cautioned, however, that it fails."
        );
    }

    #[test]
    fn compression_removes_only_what_the_limit_needs() {
        let s = "Regulators should open idle spectrum (in particular TV white spaces), such as channels left by broadcasters, to schools, since these cannot pay licence fees.";
        assert_eq!(compress(s, 40), s);
        assert_eq!(
            compress(s, 16),
            "Regulators should open idle spectrum to schools, since these cannot pay licence fees."
        );
        let c = compress(s, 12);
        assert!(words(&c) <= 12, "{c}");
        assert!(c.starts_with("Regulators should open idle spectrum"), "{c}");
    }

    #[test]
    fn last_resort_cuts_at_a_comma_or_marks_the_cut() {
        let s = "One two three four five six seven eight, nine ten eleven twelve thirteen fourteen";
        assert_eq!(compress(s, 10), "One two three four five six seven eight.");
        let s = "One two three four five six seven eight nine ten eleven twelve";
        let c = compress(s, 6);
        assert!(c.ends_with(" …") && words(&c) <= 6, "{c}");
    }

    #[test]
    fn case_helpers() {
        assert_eq!(decapitalise("Regulators act."), "regulators act.");
        assert_eq!(decapitalise("ICANN acts."), "ICANN acts.");
        assert_eq!(end_sentence("a list;"), "a list.");
    }
}

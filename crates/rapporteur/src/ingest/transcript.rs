//! Real-time captioning transcripts: recognised by their `>> SPEAKER NAME:` turns and split
//! into speaker turns.
//!
//! IGF transcripts open with a title line naming the session ("IGF 2019 – Day 1 – Raum I –
//! WS #184 Crossborder data…"), then the captioning disclaimer, then turns: a line starting
//! with `>>`, optionally followed by the speaker's name and a colon (`>> THOMAS GROB:  Hello`,
//! `>> Rene Summer: Yes.`; unnamed turns such as `>> Can you hear me?` are kept without a
//! speaker). A turn runs until the next `>>` line. The parser never fails.

use serde::Serialize;

/// One speaker turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Turn {
    /// The speaker as captioned ("Thomas Grob", "Moderator"); `None` for unnamed turns.
    /// All-capital names are title-cased.
    pub speaker: Option<String>,
    /// What was said.
    pub text: String,
}

/// What the parser recognised in a transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    /// The title line (the first line, when it is not a turn).
    pub title: Option<String>,
    /// Year from the title ("IGF 2019 …").
    pub year: Option<u16>,
    /// Workshop number from the title ("WS #184", "WS 253").
    pub ws_number: Option<u32>,
    /// The speaker turns, in order.
    pub turns: Vec<Turn>,
}

/// Phrases of the captioning disclaimer at the top of IGF transcripts.
const DISCLAIMERS: &[&str] = &["real-time captioning", "outputs of the captioning"];

/// True when the text looks like a captioning transcript: at least three `>>` turns, or one
/// turn and the captioning disclaimer.
pub fn looks_like(text: &str) -> bool {
    let turns = text
        .lines()
        .filter(|l| l.trim_start().starts_with(">>"))
        .take(3)
        .count();
    if turns >= 3 {
        return true;
    }
    if turns == 0 {
        return false;
    }
    let head: String = text.chars().take(2000).collect::<String>().to_lowercase();
    DISCLAIMERS.iter().any(|d| head.contains(d))
}

/// Splits a transcript (already normalised) into its title and turns. Returns `None` when the
/// text does not look like a transcript ([`looks_like`]).
pub fn parse(text: &str) -> Option<Transcript> {
    if !looks_like(text) {
        return None;
    }
    let mut t = Transcript::default();
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    if let Some(first) = first.filter(|l| !l.starts_with(">>") && l.chars().count() <= 300) {
        t.title = Some(first.to_string());
        t.year = year_in(first);
        t.ws_number = ws_number_in(first);
    }
    let mut current: Option<(Option<String>, Vec<&str>)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix(">>") {
            push_turn(&mut t.turns, current.take());
            let (speaker, said) = split_speaker(rest.trim());
            current = Some((speaker, vec![said]));
        } else if let Some((_, body)) = current.as_mut() {
            body.push(trimmed);
        }
    }
    push_turn(&mut t.turns, current);
    Some(t)
}

fn push_turn(turns: &mut Vec<Turn>, turn: Option<(Option<String>, Vec<&str>)>) {
    let Some((speaker, body)) = turn else { return };
    let text = body.join("\n").trim().to_string();
    if text.is_empty() && speaker.is_none() {
        return;
    }
    turns.push(Turn { speaker, text });
}

/// `THOMAS GROB:  Hello` → (Some("Thomas Grob"), "Hello"); `Can you hear me?` → (None, …).
fn split_speaker(rest: &str) -> (Option<String>, &str) {
    let Some((name, said)) = rest.split_once(':') else {
        return (None, rest);
    };
    let name = name.trim();
    if is_name(name) {
        (Some(pretty_name(name)), said.trim())
    } else {
        (None, rest)
    }
}

/// A speaker label: one to six words of letters (with `.`, `-`, `'`, parentheses), starting
/// with a capital letter, at most 60 characters.
fn is_name(label: &str) -> bool {
    let words = label.split_whitespace().count();
    (1..=6).contains(&words)
        && label.chars().count() <= 60
        && label.chars().next().is_some_and(char::is_uppercase)
        && label
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'' | '’' | '(' | ')'))
        && label
            .split_whitespace()
            .all(|w| w.starts_with(|c: char| c.is_uppercase() || c == '('))
}

/// Title-cases an all-capital name ("THOMAS GROB" → "Thomas Grob"); other names are kept.
fn pretty_name(name: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().any(char::is_lowercase) {
        return name;
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

/// The year after "IGF" in a title ("IGF 2019 – Day 1", "IGF2022").
pub(crate) fn year_in(title: &str) -> Option<u16> {
    let upper = title.to_uppercase();
    let mut from = 0;
    while let Some(i) = upper[from..].find("IGF") {
        let after = upper[from + i + 3..].trim_start();
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 4
            && let Ok(y) = digits.parse::<u16>()
            && (2006..=2100).contains(&y)
        {
            return Some(y);
        }
        from += i + 3;
    }
    None
}

/// The workshop number in a title: "WS #184", "WS#184", "WS 253".
pub(crate) fn ws_number_in(title: &str) -> Option<u32> {
    let bytes = title.as_bytes();
    let mut from = 0;
    while let Some(i) = title[from..].find("WS") {
        let at = from + i;
        let boundary = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let after = title[at + 2..].trim_start();
        let after = after.strip_prefix('#').unwrap_or(after).trim_start();
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if boundary && !digits.is_empty() && digits.len() <= 5 {
            return digits.parse().ok();
        }
        from = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSCRIPT: &str = "IGF 2031 – Day 3 – Hall B – WS #407 Mesh networks after the storm

The following are the outputs of the real-time captioning taken during the meeting. It may be incomplete.

>> Is the microphone on?

>> PRIYA NAIR-OKONJO:  Good afternoon.  I chair this session.

We have three speakers.

>> Tomás Álvarez: Thank you, Priya.
>> MODERATOR: Next question from the room.
>> Kofi I think we lost the line.";

    #[test]
    fn splits_turns_and_reads_the_title() {
        let t = parse(TRANSCRIPT).unwrap();
        assert_eq!(t.year, Some(2031));
        assert_eq!(t.ws_number, Some(407));
        assert!(t.title.unwrap().ends_with("after the storm"));
        let speakers: Vec<_> = t.turns.iter().map(|t| t.speaker.as_deref()).collect();
        assert_eq!(
            speakers,
            [
                None,
                Some("Priya Nair-Okonjo"),
                Some("Tomás Álvarez"),
                Some("Moderator"),
                None
            ]
        );
        assert_eq!(
            t.turns[1].text,
            "Good afternoon.  I chair this session.\n\nWe have three speakers."
        );
        assert_eq!(t.turns[4].text, "Kofi I think we lost the line.");
    }

    #[test]
    fn prose_is_not_a_transcript() {
        assert!(parse("A report. >> not a turn\nMore text.").is_none());
        assert!(!looks_like(">> one\n>> two"));
        assert!(looks_like(">> one\n>> two\n>> three"));
    }

    #[test]
    fn workshop_numbers_and_years() {
        assert_eq!(ws_number_in("IGF 2022 Day 2 WS #253 Towards"), Some(253));
        assert_eq!(ws_number_in("this is IGF 2022, WS 253, towards"), Some(253));
        assert_eq!(ws_number_in("NEWS 12 from the OF #3"), None);
        assert_eq!(year_in("IGF2022 Day 4"), Some(2022));
        assert_eq!(year_in("Opening of the IGF"), None);
    }

    #[test]
    fn speaker_labels() {
        assert_eq!(
            split_speaker("AUDIENCE:  Thanks"),
            (Some("Audience".into()), "Thanks")
        );
        assert_eq!(
            split_speaker("so the point is: data").0,
            None,
            "lower-case prose is not a name"
        );
        assert_eq!(split_speaker("Q1? More: text").0, None);
    }
}

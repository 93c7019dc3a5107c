//! Text normalisation applied to every text field at ingest.
//!
//! Real IGF pages carry line-ending variants, control characters, repeated lines (a speaker
//! line printed twice) and mojibake (UTF-8 decoded as a Windows code page, e.g. the lock glyph
//! shown as `ðŸ”’` or `πŸ”’`). Normalisation repairs these and counts what it changed.

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// What normalisation changed in one text.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Repairs {
    /// Mis-decoded UTF-8 sequences restored.
    pub mojibake: usize,
    /// Control characters removed (NUL and friends; tab and newline are kept).
    pub controls: usize,
    /// Lines dropped because they repeated the line before them.
    pub repeated_lines: usize,
}

impl Repairs {
    /// True when nothing was changed beyond line endings and Unicode composition.
    pub fn is_empty(&self) -> bool {
        *self == Repairs::default()
    }

    /// Adds another text's repairs to these.
    pub fn add(&mut self, other: Repairs) {
        self.mojibake += other.mojibake;
        self.controls += other.controls;
        self.repeated_lines += other.repeated_lines;
    }
}

/// Normalises a multi-line text: line endings to `\n`, mojibake repaired, Unicode NFC,
/// control characters removed, trailing spaces trimmed, runs of blank lines folded to one and
/// a line that repeats the one before it dropped.
pub fn normalize_text(text: &str) -> (String, Repairs) {
    let mut repairs = Repairs::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fixed = fix_mojibake(text, &mut repairs.mojibake);
    // Most texts are already NFC; the quick check proves it without composing a copy.
    let composed = match is_nfc_quick(fixed.chars()) {
        IsNormalized::Yes => fixed,
        _ => Cow::Owned(fixed.nfc().collect()),
    };

    let mut out = String::with_capacity(composed.len());
    // A line with control characters is copied here without them; other lines are used as
    // they are.
    let mut cleaned = String::new();
    // Where the last line written sits in `out`.
    let mut prev_line: Option<Range<usize>> = None;
    let mut blank_run = 0usize;
    for raw in composed.split('\n') {
        // `\r` is a control character too, so a line without any is used unchanged.
        let line = if raw.chars().any(|c| c.is_control() && c != '\t') {
            cleaned.clear();
            for c in raw.chars() {
                if c == '\r' {
                    continue;
                }
                if c.is_control() && c != '\t' {
                    repairs.controls += 1;
                    continue;
                }
                cleaned.push(c);
            }
            cleaned.as_str()
        } else {
            raw
        };
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if prev_line.clone().is_some_and(|r| &out[r] == line) {
            repairs.repeated_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_run > 0 {
                out.push('\n');
            }
        }
        blank_run = 0;
        let start = out.len();
        out.push_str(line);
        prev_line = Some(start..out.len());
    }
    (out, repairs)
}

/// Normalises a one-line field (a title, a name): as [`normalize_text`], then whitespace
/// folded to single spaces.
pub fn normalize_line(text: &str) -> String {
    let (t, _) = normalize_text(text);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Windows-1252 bytes 0x80..=0x9F; the rest of the high half is Latin-1.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The byte a character stands for when UTF-8 was decoded as Windows-1252.
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 {
        return None;
    }
    if (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| 0x80 + i as u8)
}

/// Lead bytes of 4-byte UTF-8 sequences (emoji) as shown by Greek (1253) and Thai (874) code
/// pages, as seen on mirrored IGF pages.
fn four_byte_lead(c: char) -> Option<u8> {
    match c {
        'π' | '๐' => Some(0xF0),
        'ρ' | '๑' => Some(0xF1),
        'ς' | '๒' => Some(0xF2),
        'σ' | '๓' => Some(0xF3),
        'τ' | '๔' => Some(0xF4),
        _ => None,
    }
}

fn fix_mojibake<'a>(text: &'a str, fixed: &mut usize) -> Cow<'a, str> {
    // Fast path: every mojibake sequence contains a continuation byte shown as a char ≥ U+0080
    // after a lead; plain ASCII cannot hold one.
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    // The repaired text, once there is a repair: `text` up to `copied`, repaired.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        if let Some((decoded, used)) = decode_at(&text[at..]) {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..at]);
            out.push(decoded);
            *fixed += 1;
            at += used;
            copied = at;
        } else {
            at += c.len_utf8();
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Tries to read one mis-decoded UTF-8 character at the start of `text`; returns it and the
/// bytes of `text` it replaces.
fn decode_at(text: &str) -> Option<(char, usize)> {
    let mut chars = text.chars();
    let first = chars.next()?;
    // Only U+00C2..=U+00F4 stand for a lead byte (Windows-1252 maps nothing else there).
    let (lead, len) = match first as u32 {
        b @ 0xC2..=0xDF => (b as u8, 2),
        b @ 0xE0..=0xEF => (b as u8, 3),
        b @ 0xF0..=0xF4 => (b as u8, 4),
        _ => (four_byte_lead(first)?, 4),
    };
    let mut bytes = [lead, 0, 0, 0];
    let mut used = first.len_utf8();
    for byte in &mut bytes[1..len] {
        let c = chars.next()?;
        match cp1252_byte(c) {
            Some(b @ 0x80..=0xBF) => *byte = b,
            _ => return None,
        }
        used += c.len_utf8();
    }
    let s = std::str::from_utf8(&bytes[..len]).ok()?;
    let decoded = s.chars().next()?;
    // A decoded C1 control or a lone combining mark is not a plausible original.
    if decoded.is_control() {
        return None;
    }
    Some((decoded, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_glyph_mojibake_is_repaired() {
        for bad in ["πŸ”’ Session", "๐Ÿ”’ Session", "ðŸ”’ Session"] {
            let (t, r) = normalize_text(bad);
            assert_eq!(t, "🔒 Session", "{bad}");
            assert_eq!(r.mojibake, 1);
        }
    }

    #[test]
    fn latin_mojibake_is_repaired_but_real_accents_are_kept() {
        let (t, r) = normalize_text("Participaci\u{c3}\u{b3}n y d\u{c3}\u{a9}bat");
        assert_eq!(t, "Participación y débat");
        assert_eq!(r.mojibake, 2);
        let (t, r) = normalize_text("L'été à Genève, ça coûte «cher».");
        assert_eq!(t, "L'été à Genève, ça coûte «cher».");
        assert!(r.is_empty());
    }

    #[test]
    fn greek_and_thai_text_is_left_alone() {
        for s in ["Η πρόσβαση στο διαδίκτυο”", "ภาษาไทย การเข้าถึง"]
        {
            let (t, r) = normalize_text(s);
            assert_eq!(t, s);
            assert_eq!(r.mojibake, 0);
        }
    }

    #[test]
    fn line_endings_controls_and_repeats() {
        let (t, r) = normalize_text(
            "\u{feff}Title\r\n\r\n\r\nSpeaker 1: A, Civil Society\r\nSpeaker 1: A, Civil Society\nx\u{0}y  \n",
        );
        assert_eq!(t, "Title\n\nSpeaker 1: A, Civil Society\nxy");
        assert_eq!(r.repeated_lines, 1);
        assert_eq!(r.controls, 1);
    }

    #[test]
    fn nfc_composition() {
        let (t, _) = normalize_text("Cafe\u{301}");
        assert_eq!(t, "Café");
    }

    #[test]
    fn one_line_fields_fold_whitespace() {
        assert_eq!(normalize_line("  A\n title\t here "), "A title here");
    }
}

//! The one text-analysis pipeline, shared by the search index and the vectors.
//!
//! Words are found with Unicode word boundaries (UAX #29), lower-cased, French/Italian/Catalan
//! elisions (`l'`, `d'`, `qu'`) removed, stop words dropped and the rest stemmed with the
//! Snowball stemmer of the document's language. Languages with a stemmer and a stop-word list:
//! English, French, Spanish, Portuguese, German, Russian and Arabic; any other language is
//! lower-cased and stop-word-free only. Using the same [`Analyzer`] for indexing, queries and
//! term vectors guarantees that the terms match.

pub mod glossary;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxBuildHasher;
use unicode_segmentation::UnicodeSegmentation;

use crate::model::Section;

/// A language the pipeline has a stemmer and stop words for, or `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Portuguese.
    Pt,
    /// German.
    De,
    /// Russian.
    Ru,
    /// Arabic.
    Ar,
    /// Any other language: no stemming, no stop words.
    Other,
}

impl Lang {
    /// Every language, `Other` last.
    pub const ALL: [Lang; 8] = [
        Lang::En,
        Lang::Fr,
        Lang::Es,
        Lang::Pt,
        Lang::De,
        Lang::Ru,
        Lang::Ar,
        Lang::Other,
    ];

    /// Maps an ISO 639-1 (or 639-3) code; unknown codes give `Other`.
    pub fn from_code(code: &str) -> Lang {
        match code.to_ascii_lowercase().as_str() {
            "en" | "eng" => Lang::En,
            "fr" | "fra" | "fre" => Lang::Fr,
            "es" | "spa" => Lang::Es,
            "pt" | "por" => Lang::Pt,
            "de" | "deu" | "ger" => Lang::De,
            "ru" | "rus" => Lang::Ru,
            "ar" | "ara" => Lang::Ar,
            _ => Lang::Other,
        }
    }

    /// The ISO 639-1 code (`xx` for `Other`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::De => "de",
            Lang::Ru => "ru",
            Lang::Ar => "ar",
            Lang::Other => "xx",
        }
    }

    fn stemmer(self) -> Option<Algorithm> {
        Some(match self {
            Lang::En => Algorithm::English,
            Lang::Fr => Algorithm::French,
            Lang::Es => Algorithm::Spanish,
            Lang::Pt => Algorithm::Portuguese,
            Lang::De => Algorithm::German,
            Lang::Ru => Algorithm::Russian,
            Lang::Ar => Algorithm::Arabic,
            Lang::Other => return None,
        })
    }

    /// NLTK stop-word list (short, function words only: topic words such as "information"
    /// or "world" stay, unlike the much longer ISO lists).
    fn stop_words(self) -> &'static [&'static str] {
        match self {
            Lang::Other => &[],
            lang => stop_words::lookup(lang.code()).unwrap_or(&[]),
        }
    }
}

/// How many bytes of a text language detection reads. whatlang's cost is mostly fixed per
/// call (the text's trigrams against the profiles of some 40 Latin-script languages), the
/// rest grows with the sample: 111 µs per generated proposal at 1 KB against 190 µs at
/// 4 KB, with the same language found for all 10,000 of them, the 100 real IGF texts and
/// the 249 of the sample corpus (English, French and Spanish).
const SAMPLE_BYTES: usize = 1024;

/// Detects the language of a text (ISO 639-1 code where one exists, else ISO 639-3).
/// Looks at the first [`SAMPLE_BYTES`] (1 KB) only; `None` for texts too short to tell.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    // Too short to tell: fewer than three words (found without counting them all).
    sample.split_whitespace().nth(2)?;
    let info = whatlang::detect(sample)?;
    Some(match info.lang() {
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Fra => "fr",
        whatlang::Lang::Spa => "es",
        whatlang::Lang::Por => "pt",
        whatlang::Lang::Deu => "de",
        whatlang::Lang::Rus => "ru",
        whatlang::Lang::Ara => "ar",
        whatlang::Lang::Cmn => "zh",
        whatlang::Lang::Jpn => "ja",
        whatlang::Lang::Ita => "it",
        other => other.code(),
    })
}

/// Detects the language of a document from its prose: its sections' texts in order when it
/// has sections, else its text. A form's labels and people lines, which are not sections,
/// are in English whatever language the proposal is written in, and would fill much of the
/// sample of a short one.
pub fn detect_document_language(text: &str, sections: &[Section]) -> Option<&'static str> {
    if sections.is_empty() {
        return detect_language(text);
    }
    let mut prose = String::with_capacity(SAMPLE_BYTES + 256);
    for s in sections {
        if prose.len() >= SAMPLE_BYTES {
            break;
        }
        prose.push_str(&s.text);
        prose.push('\n');
    }
    detect_language(&prose)
}

/// A stem cache: word → stem, for one language.
type StemCache = HashMap<String, String, FxBuildHasher>;

thread_local! {
    /// Stems already computed on this thread, per language: words are Zipf-distributed, so
    /// most lookups hit. A [`TermStream`] takes its language's cache for its lifetime and
    /// gives it back when dropped, so that a word costs one look-up, not a thread-local
    /// access, a borrow and a look-up of the language as well.
    static STEMS: RefCell<HashMap<Lang, StemCache, FxBuildHasher>> =
        RefCell::new(HashMap::default());
}

/// Writes the stem of `word` into `out` (replacing its content), from `cache` or computed
/// and remembered.
fn stem_into(cache: &mut StemCache, stemmer: &Stemmer, word: &str, out: &mut String) {
    out.clear();
    if let Some(stem) = cache.get(word) {
        out.push_str(stem);
        return;
    }
    let stem = stemmer.stem(word).into_owned();
    // Bounded: a pathological input (random strings) must not grow it without end.
    if cache.len() > 200_000 {
        cache.clear();
    }
    out.push_str(&stem);
    cache.insert(word.to_string(), stem);
}

/// One analysed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The term (lower-cased, stemmed).
    pub term: String,
    /// Byte offset of the word's start in the text.
    pub from: usize,
    /// Byte offset of the word's end.
    pub to: usize,
    /// Word position, counting stop words, so that phrases keep their gaps.
    pub position: usize,
}

/// Analyses text of one language. Cheap to get: one per language is built once and shared.
pub struct Analyzer {
    lang: Lang,
    stemmer: Option<Stemmer>,
    stop: HashSet<&'static str, FxBuildHasher>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("lang", &self.lang)
            .finish()
    }
}

const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "dell",
    "all", "nell", "sull",
];

impl Analyzer {
    /// The shared analyzer of a language.
    pub fn get(lang: Lang) -> &'static Analyzer {
        static ANALYZERS: OnceLock<Vec<Analyzer>> = OnceLock::new();
        let all = ANALYZERS.get_or_init(|| {
            Lang::ALL
                .iter()
                .map(|&lang| Analyzer {
                    lang,
                    stemmer: lang.stemmer().map(Stemmer::create),
                    stop: lang.stop_words().iter().copied().collect(),
                })
                .collect()
        });
        &all[Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0)]
    }

    /// The analyzer for a language code (as stored on documents); unknown codes give `Other`.
    pub fn for_code(code: Option<&str>) -> &'static Analyzer {
        Analyzer::get(code.map(Lang::from_code).unwrap_or(Lang::En))
    }

    /// The language of this analyzer.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// True for a stop word of this language (given lower-cased).
    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop.contains(word)
    }

    /// Calls `f` for every kept token of `text`, in order.
    pub fn for_each_token(&self, text: &str, mut f: impl FnMut(Token)) {
        self.for_each_term(text, |term, from, to, position| {
            f(Token {
                term: term.to_string(),
                from,
                to,
                position,
            })
        });
    }

    /// Like [`Analyzer::for_each_token`] without allocating: calls `f(term, from, to,
    /// position)` with the term borrowed for the call.
    pub fn for_each_term(&self, text: &str, mut f: impl FnMut(&str, usize, usize, usize)) {
        let mut terms = self.term_stream(text);
        while let Some((term, from, to, position)) = terms.next_term() {
            f(term, from, to, position);
        }
    }

    /// The kept tokens of `text` one at a time, each borrowed until the next: for a caller
    /// that pulls them (the index's tokenizer).
    pub(crate) fn term_stream<'a>(&'a self, text: &'a str) -> TermStream<'a> {
        // A second stream of the language on this thread, while this one lives, starts
        // with an empty cache: slower, never wrong.
        let stems = self
            .stemmer
            .as_ref()
            .map(|_| STEMS.with(|c| c.borrow_mut().remove(&self.lang).unwrap_or_default()));
        TermStream {
            analyzer: self,
            words: text.unicode_word_indices().enumerate(),
            lower: String::new(),
            term: String::new(),
            stems,
        }
    }

    /// All kept tokens of `text`.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.for_each_token(text, |t| out.push(t));
        out
    }

    /// The terms of `text`, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_token(text, |t| out.push(t.term));
        out
    }
}

/// The kept tokens of a text, analysed one at a time ([`Analyzer::term_stream`]).
pub(crate) struct TermStream<'a> {
    analyzer: &'a Analyzer,
    words: std::iter::Enumerate<unicode_segmentation::UnicodeWordIndices<'a>>,
    /// The current word, lower-cased.
    lower: String,
    /// The current word's stem.
    term: String,
    /// This thread's stem cache of the language, while the stream lives (none without a
    /// stemmer).
    stems: Option<StemCache>,
}

impl Drop for TermStream<'_> {
    fn drop(&mut self) {
        if let Some(stems) = self.stems.take() {
            // `try_with`: the thread's storage may already be gone when a thread ends.
            let _ = STEMS.try_with(|c| c.borrow_mut().insert(self.analyzer.lang, stems));
        }
    }
}

impl TermStream<'_> {
    /// The next kept token: `(term, from, to, position)`, the term borrowed until the next
    /// call.
    pub(crate) fn next_term(&mut self) -> Option<(&str, usize, usize, usize)> {
        let analyzer = self.analyzer;
        for (position, (from, word)) in self.words.by_ref() {
            let mut start = from;
            let mut kept = word;
            if let Some(i) = word.find(['\'', '’'])
                && ELISIONS.contains(&word[..i].to_lowercase().as_str())
            {
                let cut = i + word[i..].chars().next().map_or(1, char::len_utf8);
                start = from + cut;
                kept = &word[cut..];
            }
            let lower = &mut self.lower;
            lower.clear();
            if kept.is_ascii() {
                lower.push_str(kept);
                lower.make_ascii_lowercase();
            } else {
                // `str::to_lowercase` (not per char) for the final sigma of Greek words.
                lower.push_str(&kept.to_lowercase().replace('’', "'"));
            }
            if lower.is_empty() || analyzer.stop.contains(lower.as_str()) {
                continue;
            }
            if lower.len() < 4 && lower.bytes().all(|c| c.is_ascii_digit()) {
                // Short numbers (list numbering, durations) carry no topic.
                continue;
            }
            let term = match (&analyzer.stemmer, &mut self.stems) {
                (Some(s), Some(stems)) => {
                    stem_into(stems, s, lower, &mut self.term);
                    self.term.as_str()
                }
                _ => self.lower.as_str(),
            };
            return Some((term, start, from + word.len(), position));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stems_and_drops_stop_words() {
        let a = Analyzer::get(Lang::En);
        assert_eq!(
            a.terms("The governance of cross-border data flows, 2019."),
            ["govern", "cross", "border", "data", "flow", "2019"]
        );
    }

    #[test]
    fn french_elision_and_stemming() {
        let a = Analyzer::get(Lang::Fr);
        let t = a.tokens("L’accès à l'Internet des communautés");
        let terms: Vec<_> = t.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["acces", "internet", "communaut"]);
        assert_eq!(
            &"L’accès à l'Internet des communautés"[t[0].from..t[0].to],
            "accès"
        );
    }

    #[test]
    fn spanish_russian_arabic_are_stemmed() {
        assert_eq!(
            Analyzer::get(Lang::Es).terms("las redes comunitarias"),
            ["red", "comunitari"]
        );
        assert_eq!(
            Analyzer::get(Lang::Ru).terms("управления данными"),
            ["управлен", "дан"]
        );
        assert!(!Analyzer::get(Lang::Ar).terms("حوكمة البيانات").is_empty());
    }

    #[test]
    fn positions_count_stop_words() {
        let t = Analyzer::get(Lang::En).tokens("access to the internet");
        assert_eq!(t.iter().map(|t| t.position).collect::<Vec<_>>(), [0, 3]);
    }

    #[test]
    fn detects_languages() {
        assert_eq!(
            detect_language(
                "The workshop will discuss how data can flow across borders with trust."
            ),
            Some("en")
        );
        assert_eq!(
            detect_language(
                "El taller debatirá cómo las redes comunitarias conectan a las zonas rurales."
            ),
            Some("es")
        );
        assert_eq!(
            detect_language("L'atelier examinera comment les données circulent entre les pays."),
            Some("fr")
        );
        assert_eq!(detect_language("Too short"), None);
    }
}

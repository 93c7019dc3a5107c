//! A bilingual glossary of Internet-governance vocabulary (French, Spanish, Portuguese →
//! English), so that documents in those languages share terms with English ones when they are
//! compared (dictionary-based cross-language matching).
//!
//! The glossaries (`glossary/*.tsv`, `foreign<TAB>english`, written for this project) are
//! stemmed with the same analysers as the texts: a foreign stem maps to the English stems of
//! its translation.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Analyzer, Lang};

/// Foreign stem → English stems.
pub type Glossary = HashMap<String, Vec<String>>;

fn source(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Fr => include_str!("glossary/fr.tsv"),
        Lang::Es => include_str!("glossary/es.tsv"),
        Lang::Pt => include_str!("glossary/pt.tsv"),
        _ => return None,
    })
}

fn build(lang: Lang, tsv: &str) -> Glossary {
    let foreign = Analyzer::get(lang);
    let english = Analyzer::get(Lang::En);
    let mut map = Glossary::new();
    for line in tsv.lines() {
        let Some((word, translation)) = line.split_once('\t') else {
            continue;
        };
        let stems = foreign.terms(word.trim());
        let target = english.terms(translation.trim());
        // Only single-word entries whose word survives analysis (not a stop word).
        if let ([stem], false) = (stems.as_slice(), target.is_empty()) {
            map.entry(stem.clone()).or_insert(target);
        }
    }
    map
}

/// The glossary into English of a language, if there is one.
pub fn to_english(lang: Lang) -> Option<&'static Glossary> {
    static GLOSSARIES: OnceLock<Vec<(Lang, Glossary)>> = OnceLock::new();
    let all = GLOSSARIES.get_or_init(|| {
        [Lang::Fr, Lang::Es, Lang::Pt]
            .into_iter()
            .filter_map(|l| source(l).map(|tsv| (l, build(l, tsv))))
            .collect()
    });
    all.iter().find(|(l, _)| *l == lang).map(|(_, g)| g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossaries_are_well_formed_and_map_to_english_stems() {
        for lang in [Lang::Fr, Lang::Es, Lang::Pt] {
            let tsv = source(lang).unwrap();
            for (n, line) in tsv.lines().enumerate() {
                assert_eq!(
                    line.split('\t').count(),
                    2,
                    "{lang:?} line {}: {line:?}",
                    n + 1
                );
            }
            assert!(to_english(lang).unwrap().len() > 300, "{lang:?}");
        }
        let en = |w: &str| Analyzer::get(Lang::En).terms(w);
        let fr = to_english(Lang::Fr).unwrap();
        let stem = |l: Lang, w: &str| Analyzer::get(l).terms(w).remove(0);
        assert_eq!(fr[&stem(Lang::Fr, "données")], en("data"));
        let es = to_english(Lang::Es).unwrap();
        assert_eq!(es[&stem(Lang::Es, "redes")], en("networks"));
        assert!(to_english(Lang::En).is_none());
    }
}

//! Names of people and organisations in statements and drafts: a gazetteer built from the
//! organisers and speakers of the corpus, plus patterns (honorifics, organisation suffixes,
//! "the representative of …", CamelCase brands).
//!
//! Used twice: statements drop names before they reach a draft, and the guideline checker
//! flags names left in any draft. Decision-making fora (ITU, ICANN, parliaments…) and IGF
//! bodies (Dynamic Coalitions, regional IGFs) are not names in this sense: naming the forum an
//! action concerns is what the guidelines ask for.

use std::collections::BTreeSet;

use aho_corasick::AhoCorasick;
use serde::Serialize;

use crate::model::Document;

/// What a name found in a text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// A person.
    Person,
    /// An organisation.
    Organisation,
}

/// A name found in a text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameSpan {
    /// Start byte.
    pub from: usize,
    /// End byte.
    pub to: usize,
    /// Person or organisation.
    pub kind: NameKind,
}

/// Titles that precede a person's name (written with or without a full stop).
pub(crate) const HONORIFICS: &[&str] = &[
    "Mr",
    "Ms",
    "Mrs",
    "Mx",
    "Dr",
    "Prof",
    "Professor",
    "Commissioner",
    "Minister",
    "Ambassador",
    "Senator",
    "Judge",
    "Sir",
    "Dame",
    "Sr",
    "Sra",
    "Mme",
    "M",
    "Dra",
];

/// Last words of organisation names.
const ORG_SUFFIXES: &[&str] = &[
    "Institute",
    "Foundation",
    "Alliance",
    "Systems",
    "Group",
    "Lab",
    "Labs",
    "Inc",
    "Ltd",
    "LLC",
    "GmbH",
    "Association",
    "Corporation",
    "Company",
    "Agritech",
    "Services",
    "University",
    "Centre",
    "Center",
    "Mobile",
    "Telecom",
    "Technologies",
    "Solutions",
    "Consulting",
    "Partners",
    "Media",
    "Bank",
    "Logistics",
    "Ixim",
];

/// Capitalised words that start organisation names in Spanish, French and Portuguese
/// ("Red de Radios …", "Fundación …").
const ORG_HEADS: &[&str] = &[
    "Red",
    "Fundación",
    "Fundação",
    "Asociación",
    "Association",
    "Instituto",
    "Institut",
    "Centro",
    "Observatorio",
    "Coalición",
];

/// Articles that may open a capitalised run without being part of the name.
const ARTICLES: &[&str] = &["The", "El", "La", "Le", "Les", "Los", "Las", "A", "An", "L"];

/// Small words allowed inside a multi-word name.
const CONNECTORS: &[&str] = &[
    "of", "for", "and", "on", "de", "del", "la", "las", "los", "des", "du", "da", "do", "&",
];

/// Lower-case particles inside a person's name ("Maria van der Berg", "Ana de la Cruz").
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "do", "dos", "das", "du", "la",
    "le", "bin", "binti", "ibn", "al", "el", "ter", "ten", "y",
];

/// Capitalised terms that are never the name of a single organisation or person here:
/// fora, IGF bodies, places and common capitalised words of the domain.
const NOT_NAMES: &[&str] = &[
    "Internet",
    "Dynamic",
    "Coalition",
    "IGF",
    "IGFs",
    "United",
    "Nations",
    "UN",
    "Global",
    "Majority",
    "South",
    "North",
    "Sustainable",
    "Development",
    "Goals",
    "Forum",
    "Governance",
    "European",
    "Union",
    "African",
    "World",
    "Trade",
    "Organization",
    "Organisation",
    "International",
    "Telecommunication",
    "Human",
    "Rights",
    "Council",
    "Data",
    "Protection",
    "Artificial",
    "Intelligence",
    "Public",
    "Private",
    "Sector",
    "Civil",
    "Society",
    "Technical",
    "Community",
    "Government",
    "Governments",
    "Intergovernmental",
    "Group",
    "Asia",
    "Pacific",
    "Asia-Pacific",
    "Bank",
    "Latin",
    "America",
    "Caribbean",
    "Western",
    "Eastern",
    "Europe",
    "Others",
    "National",
    "Regional",
    "Youth",
    "Women",
];

/// Finds names of people and organisations.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// What each pattern of `finder` names.
    kinds: Vec<NameKind>,
    /// Full names and organisations from the corpus (`None`: none known), all searched in
    /// one pass over a text however many the corpus holds.
    finder: Option<AhoCorasick>,
    /// Surnames of people in the corpus (matched alone when capitalised mid-sentence).
    surnames: BTreeSet<String>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'
}

/// Words of a text with their byte offsets (letters, digits, hyphens, apostrophes).
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out.into_iter()
        .map(|(s, w)| {
            let w = w.trim_end_matches(['\'', '’', '-']);
            (s, w)
        })
        .filter(|(_, w)| !w.is_empty())
        .collect()
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// A brand written in CamelCase ("GreenRow"), not an acronym ("ICANN") or a plural ("CERTs").
fn camel_case(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.len() >= 4
        && chars[0].is_uppercase()
        && chars[1].is_lowercase()
        && chars[2..].iter().any(|c| c.is_uppercase())
        && chars.iter().all(|c| c.is_alphabetic())
}

/// True when byte `at` of `text` starts a sentence (only spaces, quotes, list markers or
/// brackets since the last sentence end or line start).
fn sentence_start(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        if matches!(c, '.' | '!' | '?' | '\n' | ':' | ';') {
            return true;
        }
        if c.is_alphanumeric() {
            return false;
        }
    }
    true
}

impl Names {
    /// The gazetteer of a corpus: organisers' and speakers' names and organisations.
    pub fn from_documents(docs: &[Document]) -> Names {
        let mut phrases = BTreeSet::new();
        let mut surnames = BTreeSet::new();
        // Words written in lower case somewhere in the corpus are words, not surnames.
        let mut lower = std::collections::HashSet::new();
        for d in docs {
            for (_, w) in words(&d.text) {
                if !capitalised(w) {
                    lower.insert(w.to_string());
                }
            }
        }
        for p in docs.iter().flat_map(Document::people) {
            if let Some(name) = p.name.as_deref().map(str::trim) {
                let parts: Vec<&str> = name.split_whitespace().collect();
                // A name has two or more words, the first and last capitalised, lower-case
                // particles between; single words are too ambiguous.
                if is_full_name(&parts) {
                    phrases.insert((name.to_string(), NameKind::Person));
                    let last = parts[parts.len() - 1].trim_end_matches('.');
                    if last.chars().count() >= 4
                        && !NOT_NAMES.contains(&last)
                        && !lower.contains(&last.to_lowercase())
                    {
                        surnames.insert(last.to_string());
                    }
                }
            }
            if let Some(org) = p.organisation.as_deref().map(str::trim)
                && org.chars().count() >= 4
                && capitalised(org)
                && !NOT_NAMES.contains(&org)
            {
                phrases.insert((org.to_string(), NameKind::Organisation));
            }
        }
        let (patterns, kinds): (Vec<String>, Vec<NameKind>) = phrases.into_iter().unzip();
        let finder = (!patterns.is_empty())
            .then(|| AhoCorasick::new(&patterns).expect("name patterns fit an automaton"));
        Names {
            kinds,
            finder,
            surnames,
        }
    }

    /// The surnames of the corpus's people that are told apart from words: the last word of
    /// a name, of four letters or more, never written in lower case in the corpus and not a
    /// common capitalised word of the domain ("Community", "Rights").
    pub fn surnames(&self) -> impl Iterator<Item = &str> {
        self.surnames.iter().map(String::as_str)
    }

    /// `text` with the names of people replaced by [`crate::redact::NAME`] (organisations
    /// kept): how a sentence is quoted in drafts, which never name individuals.
    pub fn without_people(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for span in self.find(text) {
            if span.kind == NameKind::Person {
                out.push_str(&text[last..span.from]);
                out.push_str(crate::redact::NAME);
                last = span.to;
            }
        }
        out.push_str(&text[last..]);
        out
    }

    /// Every name in `text`, sorted, not overlapping.
    pub fn find(&self, text: &str) -> Vec<NameSpan> {
        let mut found: Vec<NameSpan> = Vec::new();
        let boundary = |s: usize, e: usize| {
            !text[..s]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !text[e..].chars().next().is_some_and(char::is_alphanumeric)
        };
        for m in self
            .finder
            .iter()
            .flat_map(|f| f.find_overlapping_iter(text))
        {
            if boundary(m.start(), m.end()) {
                found.push(NameSpan {
                    from: m.start(),
                    to: m.end(),
                    kind: self.kinds[m.pattern()],
                });
            }
        }
        let ws = words(text);
        let mut i = 0;
        let mut local_surnames: BTreeSet<&str> = BTreeSet::new();
        while i < ws.len() {
            let (start, w) = ws[i];
            let bare = w.trim_end_matches('.');
            // Honorific (with or without its full stop) + capitalised words: a person.
            if HONORIFICS.contains(&bare) && i + 1 < ws.len() && capitalised(ws[i + 1].1) {
                let mut j = i + 1;
                while j < ws.len()
                    && capitalised(ws[j].1)
                    && j - i <= 4
                    && !(gap(text, &ws, j) && !(j == i + 1 && after_title(text, &ws, j)))
                {
                    j += 1;
                }
                if j - 1 > i {
                    local_surnames.insert(ws[j - 1].1);
                    found.push(NameSpan {
                        from: start,
                        to: ws[j - 1].0 + ws[j - 1].1.len(),
                        kind: NameKind::Person,
                    });
                    i = j;
                    continue;
                }
            }
            // Capitalised run ending in an organisation suffix, or starting with an
            // organisation head word.
            if capitalised(w) && !NOT_NAMES.contains(&w) || camel_case(w) {
                let mut j = i;
                let mut last_cap = i;
                while j < ws.len() {
                    let word = ws[j].1;
                    if j > i && gap(text, &ws, j) {
                        break;
                    }
                    if capitalised(word) || camel_case(word) {
                        last_cap = j;
                    } else if !CONNECTORS.contains(&word) {
                        break;
                    }
                    j += 1;
                }
                let mut run = &ws[i..=last_cap];
                // A leading article is not part of the name.
                if run.len() > 1 && ARTICLES.contains(&run[0].1) {
                    run = &run[1..];
                }
                let start = run[0].0;
                let caps = run.iter().filter(|(_, w)| capitalised(w)).count();
                let suffix = ORG_SUFFIXES.contains(&run[run.len() - 1].1);
                let head = ORG_HEADS.contains(&run[0].1) && caps >= 3;
                let brand = run.iter().any(|(_, w)| camel_case(w));
                let all_common = run
                    .iter()
                    .all(|(_, w)| NOT_NAMES.contains(w) || CONNECTORS.contains(w));
                if !all_common && ((suffix && caps >= 2) || head || brand) {
                    found.push(NameSpan {
                        from: start,
                        to: run[run.len() - 1].0 + run[run.len() - 1].1.len(),
                        kind: NameKind::Organisation,
                    });
                    i = last_cap + 1;
                    continue;
                }
            }
            i += 1;
        }
        // Surnames alone: from the gazetteer, or given earlier in this text with a title;
        // at the start of a sentence only when a verb or a comma follows ("Weiß said").
        for &(start, w) in &ws {
            // "Weiß's proposal": the possessive is not part of the name.
            let w = w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w);
            let known = self.surnames.contains(w) || local_surnames.contains(w);
            let followed = text[start + w.len()..]
                .trim_start()
                .starts_with(|c: char| c.is_lowercase() || c == ',');
            if known && (!sentence_start(text, start) || followed) {
                found.push(NameSpan {
                    from: start,
                    to: start + w.len(),
                    kind: NameKind::Person,
                });
            }
        }
        found.sort_by(|a, b| a.from.cmp(&b.from).then(b.to.cmp(&a.to)));
        let mut out: Vec<NameSpan> = Vec::new();
        for s in found {
            match out.last_mut() {
                // A run holding a person's name ("Jakub Lewandowski of Lumen Logistics
                // Group") names a person.
                Some(last) if s.from < last.to => {
                    last.to = last.to.max(s.to);
                    last.kind = last.kind.min(s.kind);
                }
                _ => out.push(s),
            }
        }
        out
    }
}

/// True when the words of a person's name: two or more, the first and last capitalised, any
/// others capitalised or name particles.
fn is_full_name(parts: &[&str]) -> bool {
    parts.len() >= 2
        && capitalised(parts[0])
        && capitalised(parts[parts.len() - 1])
        && parts
            .iter()
            .all(|w| capitalised(w) || NAME_PARTICLES.contains(w))
}

/// True when word `j` follows a title and its full stop ("Ms. Weiß").
fn after_title(text: &str, ws: &[(usize, &str)], j: usize) -> bool {
    let prev_end = ws[j - 1].0 + ws[j - 1].1.len();
    let between = &text[prev_end..ws[j].0];
    between
        .strip_prefix('.')
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(char::is_whitespace))
}

/// True when punctuation other than a space separates word `j` from the word before it.
fn gap(text: &str, ws: &[(usize, &str)], j: usize) -> bool {
    let prev_end = ws[j - 1].0 + ws[j - 1].1.len();
    text[prev_end..ws[j].0].chars().any(|c| !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Person};

    fn names() -> Names {
        let mut d = Document::new("p", Kind::Proposal, "x");
        d.speakers = vec![
            Person::parse("Irena Kovačević, Civic Code Lab"),
            Person::parse("Jakub Lewandowski, Lumen Logistics Group"),
            Person::parse("Civil Society, African Group"),
            Person::parse("Maria van der Berg, Government, WEOG"),
        ];
        Names::from_documents(&[d])
    }

    fn found<'a>(n: &Names, text: &'a str) -> Vec<&'a str> {
        n.find(text).iter().map(|s| &text[s.from..s.to]).collect()
    }

    #[test]
    fn gazetteer_names_and_surnames() {
        let n = names();
        assert_eq!(
            found(
                &n,
                "Irena Kovačević of the Civic Code Lab stressed that towns need help."
            ),
            ["Irena Kovačević", "Civic Code Lab"]
        );
        assert_eq!(
            found(&n, "As noted by Kovačević, towns need help."),
            ["Kovačević"]
        );
        assert!(found(&n, "Anonymised organisers from civil society spoke.").is_empty());
        assert_eq!(
            found(&n, "As Maria van der Berg said, Berg's plan works."),
            ["Maria van der Berg", "Berg"]
        );
        assert_eq!(
            n.without_people("Jakub Lewandowski of Lumen Logistics Group argued it."),
            "[name] argued it."
        );
        assert_eq!(
            n.without_people("Irena Kovačević of the Civic Code Lab and Ms. Berg agreed."),
            "[name] of the Civic Code Lab and [name] agreed."
        );
    }

    #[test]
    fn patterns_find_titles_suffixes_and_brands() {
        let n = Names::default();
        assert_eq!(
            found(
                &n,
                "Mr Ibrahima Touré of Baobab Cloud Services questioned it."
            ),
            ["Mr Ibrahima Touré", "Baobab Cloud Services"]
        );
        assert_eq!(
            found(
                &n,
                "The representative of GreenRow Agritech acknowledged it."
            ),
            ["GreenRow Agritech"]
        );
        assert_eq!(
            found(
                &n,
                "Ms Rebekka Weiß said so. Later, Weiß added that parents matter."
            ),
            ["Ms Rebekka Weiß", "Weiß"]
        );
        assert_eq!(
            found(&n, "Dr. Amina Yusuf and Mrs. Li disagreed."),
            ["Dr. Amina Yusuf", "Mrs. Li"]
        );
        assert_eq!(
            found(&n, "The Red de Radios Comunitarias Ixim was sceptical."),
            ["Red de Radios Comunitarias Ixim"]
        );
    }

    #[test]
    fn fora_and_igf_bodies_are_not_names() {
        let n = Names::default();
        for text in [
            "The ITU, ICANN and the Internet Governance Forum should act.",
            "The Dynamic Coalition on Data and Trust and the United Nations agree.",
            "National CERTs and the Human Rights Council were named.",
            "The Global Majority and the European Union differ.",
        ] {
            assert!(found(&n, text).is_empty(), "{text}: {:?}", found(&n, text));
        }
    }
}

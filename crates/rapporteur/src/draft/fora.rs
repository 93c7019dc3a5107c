//! Decision-making fora named in statements, for a message's "actionable by" (guideline 5.7
//! of the MAG Working Group on Strategy: identify the kinds of fora an action relates to).
//!
//! Each forum is a kind of body with the phrases that name it in English, French and
//! Spanish; matching is case-insensitive on whole words, except for acronyms.

/// Kinds of fora and the phrases that name them.
pub const FORA: &[(&str, &[&str])] = &[
    (
        "parliaments",
        &[
            "parliament",
            "parliaments",
            "parliamentarians",
            "legislators",
            "legislature",
            "legislatures",
            "lawmakers",
            "parlement",
            "parlements",
            "parlamento",
            "parlamentos",
            "legisladores",
        ],
    ),
    (
        "governments and ministries",
        &[
            "governments",
            "ministries",
            "ministry",
            "finance ministries",
            "gouvernements",
            "gobiernos",
            "ministerios",
        ],
    ),
    (
        "municipal authorities",
        &[
            "municipal authorities",
            "municipalities",
            "city administrations",
        ],
    ),
    (
        "regulators",
        &[
            "regulator",
            "regulators",
            "regulatory authority",
            "regulatory authorities",
            "telecom regulators",
            "régulateurs",
            "reguladores",
        ],
    ),
    (
        "data protection authorities",
        &[
            "data protection authority",
            "data protection authorities",
            "supervisory authorities",
            "supervisory authority",
            "autorités de protection des données",
        ],
    ),
    (
        "oversight bodies",
        &[
            "oversight body",
            "oversight bodies",
            "ombudsperson",
            "ombudsman",
            "dedicated regulator",
        ],
    ),
    (
        "courts",
        &[
            "courts",
            "independent courts",
            "judiciary",
            "tribunales",
            "tribunaux",
        ],
    ),
    (
        "electoral authorities",
        &[
            "electoral authorities",
            "electoral bodies",
            "electoral tribunal",
        ],
    ),
    (
        "standards bodies",
        &[
            "standards bodies",
            "standards body",
            "standards fora",
            "standard-setting bodies",
            "standards organisations",
            "standards organizations",
            "IETF",
            "W3C",
            "IEEE",
            "3GPP",
            "ISO",
        ],
    ),
    (
        "UN agencies and processes",
        &[
            "UN agencies",
            "United Nations",
            "UN process",
            "UNESCO",
            "UNICEF",
            "UNCTAD",
            "UNDP",
            "OHCHR",
            "Human Rights Council",
            "WIPO",
            "Nations Unies",
            "Naciones Unidas",
        ],
    ),
    ("ITU", &["ITU", "International Telecommunication Union"]),
    ("ICANN", &["ICANN"]),
    (
        "regional organisations",
        &[
            "regional organisations",
            "regional organizations",
            "regional bodies",
            "regional economic communities",
            "African Union",
            "European Union",
            "ASEAN",
            "regional associations of regulators",
            "regional networks",
        ],
    ),
    (
        "trade fora",
        &[
            "trade negotiations",
            "trade negotiators",
            "trade agreements",
            "trade protocol",
            "WTO",
            "World Trade Organization",
        ],
    ),
    (
        "development partners",
        &[
            "development partners",
            "development banks",
            "donors",
            "World Bank",
        ],
    ),
    (
        "universal service fund administrators",
        &[
            "fund administrators",
            "universal service fund administrators",
        ],
    ),
    (
        "CERTs",
        &[
            "CERT",
            "CERTs",
            "CSIRT",
            "CSIRTs",
            "computer emergency response teams",
        ],
    ),
    (
        "procurement agencies",
        &["procurement agencies", "procurement authorities"],
    ),
    (
        "statistics offices",
        &[
            "statistics offices",
            "statistical offices",
            "national statistics office",
        ],
    ),
    (
        "national and regional IGFs",
        &[
            "regional IGFs",
            "national IGFs",
            "NRIs",
            "national and regional IGF",
        ],
    ),
];

/// True when `phrase` occurs in `text` as whole words (case-insensitive unless the phrase
/// is an acronym).
fn mentions(text: &str, lower: &str, phrase: &str) -> bool {
    let acronym = phrase.chars().filter(|c| c.is_uppercase()).count() > 1 && !phrase.contains(' ');
    let (hay, needle) = if acronym {
        (text, phrase.to_string())
    } else {
        (lower, phrase.to_lowercase())
    };
    let mut at = 0;
    while let Some(i) = hay[at..].find(&needle) {
        let s = at + i;
        let e = s + needle.len();
        let before = hay[..s].chars().next_back();
        let after = hay[e..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        at = e;
    }
    false
}

/// The kinds of fora named in some texts, most often named first (ties: list order), at
/// most `max`.
pub fn named(texts: &[&str], max: usize) -> Vec<String> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for (k, (_, phrases)) in FORA.iter().enumerate() {
        let n = texts
            .iter()
            .filter(|t| {
                let lower = t.to_lowercase();
                phrases.iter().any(|p| mentions(t, &lower, p))
            })
            .count();
        if n > 0 {
            counts.push((k, n));
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
        .into_iter()
        .take(max)
        .map(|(k, _)| FORA[k].0.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fora_are_found_and_ranked() {
        let texts = [
            "Regulators and parliaments should act (for procurement agencies and legislators).",
            "The ITU and regulators should publish data.",
            "Les parlements doivent agir.",
        ];
        assert_eq!(named(&texts, 3), ["parliaments", "regulators", "ITU"]);
        assert!(
            named(&["A submitted design."], 3).is_empty(),
            "ISO inside a word is not ISO"
        );
        assert!(named(&["Citizens iso-late."], 3).is_empty());
    }
}

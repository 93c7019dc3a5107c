//! Stance: disagreement reported inside a session, positions taken against each other across
//! sessions, and the wording of consensus and divergence in drafts.
//!
//! Cue lists are given for English, French and Spanish and are all tried on every text (a
//! cue of one language does not occur by accident in another, and a language detector can
//! be wrong on a single sentence).

/// Phrases that report a disagreement ("views differed", "no consensus").
const DIVERGENCE: &[&str] = &[
    // English
    "views differed",
    "views diverged",
    "views were divided",
    "views remain divided",
    "views remained divided",
    "views on",
    "opinions differed",
    "opinions diverged",
    "opinions were divided",
    "divided participants",
    "participants were divided",
    "remained divided",
    "remain divided",
    "sharply divided",
    "there was disagreement",
    "there was no agreement",
    "there was no consensus",
    "no consensus",
    "no agreement",
    "did not agree",
    "do not agree",
    "does not agree",
    "disagree",
    "disagrees",
    "disagreed",
    "disagreement",
    "did not settle",
    "did not resolve",
    "was not resolved",
    "remained contested",
    "remains contested",
    "remain contested",
    "was contested",
    "were contested",
    "differed sharply",
    "opposing views",
    "divergent views",
    "diverging views",
    "views diverge",
    "divided on",
    "split on",
    "rejected this",
    "rejected that",
    "replied that",
    "countered that",
    "objected that",
    "pushed back",
    // French
    "les avis divergent",
    "les avis ont divergé",
    "les avis divergeaient",
    "avis partagés",
    "les avis étaient partagés",
    "les opinions divergent",
    "points de vue divergents",
    "pas de consensus",
    "aucun consensus",
    "pas d'accord",
    "désaccord",
    "ont répliqué",
    "ont rétorqué",
    "se sont opposés",
    // Spanish
    "las opiniones difirieron",
    "opiniones divididas",
    "las opiniones estuvieron divididas",
    "opiniones encontradas",
    "no hubo consenso",
    "sin consenso",
    "no hubo acuerdo",
    "desacuerdo",
    "discreparon",
    "discrepancias",
    "respondieron que",
    "replicaron que",
    "se opusieron",
    "puntos de vista divergentes",
];

/// Verbs and phrases of a position argued against others.
const ARGUE: &[&str] = &[
    // English
    "argued",
    "arguing",
    "warned",
    "warning",
    "held that",
    "insisted",
    "cautioned",
    "defended",
    "rejected",
    "opposed",
    "objected",
    "countered",
    "replied",
    "contended",
    "maintained that",
    "preferred",
    "favoured",
    "favored",
    "questioned whether",
    "disputed",
    "doubted",
    "criticised",
    "criticized",
    "wary of",
    "scepticism",
    "skepticism",
    "sceptical",
    "skeptical",
    "proponents",
    "opponents",
    "most participants",
    // French
    "ont soutenu",
    "a soutenu",
    "ont fait valoir",
    "a fait valoir",
    "ont averti",
    "a averti",
    "ont mis en garde",
    "a mis en garde",
    "ont insisté",
    "ont défendu",
    "ont rejeté",
    "ont contesté",
    "préfèrent",
    "préféraient",
    // Spanish
    "argumentaron",
    "argumentó",
    "sostuvieron",
    "sostuvo",
    "advirtieron",
    "advirtió",
    "insistieron",
    "defendieron",
    "rechazaron",
    "cuestionaron",
    "prefirieron",
];

/// "Some … others" in each language.
const SOME_OTHERS: &[(&[&str], &[&str])] = &[
    (
        &["some"],
        &["others", "other speakers", "other participants"],
    ),
    (&["certains", "certaines"], &["d'autres"]),
    (&["algunos", "algunas"], &["otros", "otras"]),
];

/// Verbs that only report (after "others"): "some noted …, others noted …" is no
/// disagreement.
const NEUTRAL: &[&str] = &[
    "noted",
    "mentioned",
    "described",
    "shared",
    "highlighted",
    "discussed",
    "presented",
    "added",
    "pointed",
    "explained",
    "focused",
    "spoke",
    "recalled",
    "gave",
    "cited",
    "stressed",
    "emphasised",
    "emphasized",
    "underlined",
    "described",
    "ont",
    "a",
    "han",
    "señalaron",
    "mencionaron",
    "describieron",
    "ont noté",
    "ont souligné",
];

/// Where the second side of a disagreement starts.
const PIVOTS: &[&str] = &[
    ", while ",
    "; ",
    " whereas ",
    ", but ",
    ", alors que ",
    ", tandis que ",
    ", mientras que ",
    ", mientras ",
    ", pero ",
];

/// Phrases that report consensus.
const CONSENSUS: &[&str] = &[
    "agreed",
    "agreement",
    "consensus",
    "broad support",
    "strong support",
    "there was support",
    "converged",
    "all participants",
    "all speakers",
    "widely shared",
    "common ground",
    "unanimous",
    "shared view",
    "participants favoured",
    // French
    "se sont accordés",
    "ont convenu",
    "large accord",
    "accord général",
    "unanimité",
    // Spanish
    "consenso",
    "acordaron",
    "coincidieron",
    "amplio apoyo",
    "acuerdo general",
];

/// Evaluative words and phrases that speak for what a statement is about.
const POSITIVE: &[&str] = &[
    "legitimate",
    "useful",
    "necessary",
    "essential",
    "effective",
    "beneficial",
    "fair",
    "fastest",
    "better",
    "best",
    "deliver",
    "delivered",
    "brought",
    "help",
    "helps",
    "protect",
    "protects",
    "deter",
    "deters",
    "sufficient",
    "adaptable",
    "credible",
    "valuable",
    "keep pace",
    "must continue",
    "defended",
    "favoured",
    "favored",
    "low cost",
    "on-ramp",
    "without delay",
    "needed",
    "should finance",
    "legítimo",
    "útil",
    "necesario",
    "légitime",
    "utile",
    "nécessaire",
];

/// Evaluative words and phrases that speak against it.
const NEGATIVE: &[&str] = &[
    "fragment",
    "fragments",
    "weaken",
    "harm",
    "harmful",
    "risks",
    "threat",
    "threatens",
    "undermine",
    "undermines",
    "endanger",
    "endangers",
    "costs",
    "costly",
    "unaffordable",
    "fail",
    "failed",
    "insufficient",
    "inadequate",
    "outdated",
    "poor-quality",
    "wary",
    "scepticism",
    "skepticism",
    "rejected",
    "opposed",
    "breaks",
    "cut young people off",
    "cut off",
    "crowds out",
    "no substitute",
    "dependence",
    "dependent",
    "censorship",
    "arms race",
    "questioned whether",
    "warned",
    "cautioned",
    "not protected",
    "not prevented",
    "rather than",
    "instead of",
    "perjudica",
    "riesgo",
    "nuit",
    "risque",
];

/// Words that turn the next evaluative word around.
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "cannot", "can't", "without", "neither", "nor", "ne", "pas", "sin",
];

/// Lower-cases and unifies apostrophes.
fn normalise(text: &str) -> String {
    text.to_lowercase().replace('’', "'")
}

/// Byte offsets where `phrase` occurs in `text` as whole words.
fn occurrences(text: &str, phrase: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find(phrase) {
        let s = at + i;
        let e = s + phrase.len();
        let before = text[..s].chars().next_back();
        let after = text[e..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            out.push(s);
        }
        at = s + phrase.len().max(1);
    }
    out
}

fn has(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| !occurrences(text, p).is_empty())
}

/// A disagreement stated inside one session: the cue that reveals it and the two positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The cue ("views differed", "some … others", "argued …; … replied").
    pub cue: String,
    /// The two positions, as written.
    pub sides: [String; 2],
}

/// Finds a disagreement reported inside one session in a line (a takeaway, a bullet, a
/// paragraph). `None` when the line reports none.
pub fn within_session(line: &str, _lang: Option<&str>) -> Option<Split> {
    let text = normalise(line);
    let cue = DIVERGENCE
        .iter()
        .filter(|c| **c != "views on")
        .find(|c| !occurrences(&text, c).is_empty())
        .map(|c| c.to_string())
        .or_else(|| {
            // "Some … others", unless both only report ("some noted …, others noted …").
            SOME_OTHERS.iter().find_map(|(some, others)| {
                let s = some.iter().flat_map(|w| occurrences(&text, w)).min()?;
                let (o, len) = others
                    .iter()
                    .flat_map(|w| occurrences(&text, w).into_iter().map(move |o| (o, w.len())))
                    .find(|&(o, _)| o > s)?;
                let next = text[o + len..]
                    .split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .find(|w| !w.is_empty())
                    .unwrap_or("");
                let argued = has(&text[s..], ARGUE);
                (argued || !NEUTRAL.contains(&next))
                    .then(|| format!("{} … {}", &text[s..s + 4], &text[o..o + len]))
            })
        })
        .or_else(|| {
            // Two positions argued against each other, joined by a pivot.
            let pivot = PIVOTS
                .iter()
                .flat_map(|p| occurrences_plain(&text, p))
                .find(|&at| has(&text[..at], ARGUE) && has(&text[at..], COUNTER))?;
            Some(format!(
                "…{}…",
                text[pivot..].chars().take(12).collect::<String>()
            ))
        })?;
    Some(Split {
        cue,
        sides: sides(line),
    })
}

/// Verbs that answer a position just stated.
const COUNTER: &[&str] = &[
    "replied",
    "rejected",
    "countered",
    "objected",
    "insisted",
    "warned",
    "held that",
    "preferred",
    "ont répliqué",
    "ont rétorqué",
    "respondieron",
    "replicaron",
    "rechazaron",
];

/// Plain substring occurrences (for pivots, which carry their own spaces).
fn occurrences_plain(text: &str, needle: &str) -> Vec<usize> {
    text.match_indices(needle).map(|(i, _)| i).collect()
}

/// The two positions of a line reporting a disagreement: split at the pivot nearest the
/// middle of the part after the first sentence naming the disagreement.
fn sides(line: &str) -> [String; 2] {
    let lower = normalise(line);
    let start = if lower.len() == line.len() {
        // Skip a first sentence that only names the disagreement ("Views differed on X.").
        match line.find(". ") {
            Some(i) if has(&lower[..i], DIVERGENCE) && i + 2 < line.len() => i + 2,
            _ => line.find(": ").map_or(0, |i| i + 2),
        }
    } else {
        0
    };
    let body = &line[start..];
    let lower_body = normalise(body);
    let cut = if lower_body.len() == body.len() {
        PIVOTS
            .iter()
            .flat_map(|p| {
                occurrences_plain(&lower_body, p)
                    .into_iter()
                    .map(move |i| (i, p.len()))
            })
            .min_by_key(|&(i, _)| i.abs_diff(body.len() / 2))
    } else {
        None
    };
    let trim = |s: &str| {
        s.trim()
            .trim_end_matches(['.', ';', ','])
            .trim()
            .to_string()
    };
    match cut {
        Some((i, n)) => [trim(&body[..i]), trim(&body[i + n..])],
        None => [trim(body), String::new()],
    }
}

/// True when a text argues a position (rather than reporting agreement or a fact).
pub fn positional(text: &str) -> bool {
    has(&normalise(text), ARGUE)
}

/// True when a text states a disagreement (for checking drafts).
pub fn reports_divergence(text: &str) -> bool {
    let t = normalise(text);
    has(&t, DIVERGENCE)
        || has(
            &t,
            &[
                "diverged",
                "divided",
                "contested",
                "by contrast",
                "on the other hand",
            ],
        )
        || SOME_OTHERS
            .iter()
            .any(|(some, others)| has(&t, some) && has(&t, others))
}

/// True when a text states consensus (for checking drafts).
pub fn reports_consensus(text: &str) -> bool {
    has(&normalise(text), CONSENSUS)
}

/// Evaluative polarity of a text: positive minus negative cues, a negation turning the
/// next cue within three words around.
pub fn polarity(text: &str) -> i32 {
    let t = normalise(text);
    let word_at: Vec<usize> = t
        .char_indices()
        .filter(|&(i, c)| {
            c.is_alphanumeric()
                && !t[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        })
        .map(|(i, _)| i)
        .collect();
    let negated = |at: usize| {
        let n = word_at.partition_point(|&w| w < at);
        word_at[n.saturating_sub(3)..n].iter().any(|&w| {
            let word: String = t[w..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '\'')
                .collect();
            NEGATIONS.contains(&word.as_str())
        })
    };
    let mut score = 0;
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (cues, sign) in [(NEGATIVE, -1), (POSITIVE, 1)] {
        for cue in cues {
            for at in occurrences(&t, cue) {
                let end = at + cue.len();
                if taken.iter().any(|&(a, b)| at < b && a < end) {
                    continue;
                }
                taken.push((at, end));
                // Negative cues that carry their own negation are not turned around.
                let own = cue.starts_with("no") || cue.starts_with("cut") || cue.contains(' ');
                score += if !own && negated(at) { -sign } else { sign };
            }
        }
    }
    score
}

/// True when two statements (their verbatim texts) take opposite positions: both argue a
/// position and their evaluative polarities have opposite signs.
pub fn opposed(a: &str, b: &str) -> bool {
    positional(a) && positional(b) && polarity(a) * polarity(b) < 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_session_cues_in_three_languages() {
        for line in [
            "Views differed on paying farmers: some argued that a dividend is fair, while others warned that it commodifies privacy.",
            "The platform argued that disclosure would let it be gamed; union speakers rejected this as insufficient.",
            "Les avis divergent sur la localisation des données : certains la jugent nécessaire, d'autres coûteuse.",
            "Certains participants ont soutenu que la licence doit être gratuite, d'autres ont mis en garde contre les abus.",
            "No hubo consenso sobre el uso de los fondos de servicio universal.",
            "Algunos argumentaron que el espectro debe ser gratuito, mientras otros advirtieron sobre la interferencia.",
        ] {
            assert!(within_session(line, None).is_some(), "{line}");
        }
        for line in [
            "Participants agreed that registers help residents.",
            "Some speakers noted the human rights impact, while others noted the economic impact.",
            "Concerns were raised that registers are incomplete.",
        ] {
            assert!(within_session(line, None).is_none(), "{line}");
        }
    }

    #[test]
    fn sides_split_at_the_pivot() {
        let s = within_session(
            "Views differed on whether commitments belong in trade texts. Trade officials argued that binding commitments give certainty, while civil society speakers held that safeguards belong in data protection law.",
            None,
        )
        .unwrap();
        assert_eq!(s.cue, "views differed");
        assert_eq!(
            s.sides[0],
            "Trade officials argued that binding commitments give certainty"
        );
        assert_eq!(
            s.sides[1],
            "civil society speakers held that safeguards belong in data protection law"
        );
    }

    #[test]
    fn polarity_and_opposition() {
        let pro = "Government speakers argued that national hosting is a legitimate exercise of sovereignty.";
        let con = "Technical speakers warned that localisation mandates fragment the Internet and weaken security.";
        assert!(polarity(pro) > 0 && polarity(con) < 0);
        assert!(opposed(pro, con));
        assert!(!opposed(
            pro,
            "Participants agreed that hosting is legitimate."
        ));
        assert!(polarity("It should not be prohibited because it is not harmful.") > 0);
    }

    #[test]
    fn draft_wording() {
        assert!(reports_divergence(
            "Views on zero-rating remain divided: some see an on-ramp, others a trap."
        ));
        assert!(reports_divergence("Zero-rating remains contested."));
        assert!(!reports_divergence(
            "Participants agreed that zero-rating helps."
        ));
        assert!(reports_consensus(
            "There was broad support for open spectrum."
        ));
        assert!(reports_consensus(
            "Hubo amplio apoyo a las redes comunitarias."
        ));
    }
}

//! Parser for the IGF session proposal form as it appears on the IGF web pages.
//!
//! The form: a title line `IGF <year> WS #<n> <title>` (the title may sit on the next line; `OF`,
//! `TH`, `DC`… for other session types), `Organizer N: …` and `Speaker N: …` lines ("Name,
//! Stakeholder group, Regional group", or only the groups when anonymised), then headed
//! sections: Format, Policy Question(s), Description, Expected Outcomes and the like. Session
//! reports use numbered headings ("1. Key Policy Questions and Expectations"). The parser
//! never fails: it returns what it recognised.

use crate::model::{Person, Section};

/// What the parser recognised in a form text.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Form {
    /// Year from the title line.
    pub year: Option<u16>,
    /// Session type code from the title line ("WS", "OF"…).
    pub session_type: Option<String>,
    /// Session number from the title line.
    pub number: Option<u32>,
    /// Title.
    pub title: Option<String>,
    /// Organisers, in form order.
    pub organisers: Vec<Person>,
    /// Speakers, in form order.
    pub speakers: Vec<Person>,
    /// Session format ("Round Table - 90 Min").
    pub format: Option<String>,
    /// Policy questions, split into single questions where the text numbers or lists them.
    pub policy_questions: Vec<String>,
    /// Every headed section, in order, with lower-case names.
    pub sections: Vec<Section>,
}

impl Form {
    /// True when the text looked like a form (a title line or people lines or sections).
    pub fn is_recognised(&self) -> bool {
        self.number.is_some() || !self.speakers.is_empty() || !self.sections.is_empty()
    }
}

/// Section headings of the proposal form and the report template (lower case, no colon).
const HEADINGS: &[&str] = &[
    "policy question(s)",
    "policy questions",
    "policy question",
    "additional policy questions information",
    "description",
    "expected outcomes",
    "relevance to theme",
    "relevance to internet governance",
    "relevance to the theme",
    "sdgs",
    "online participation",
    "discussion facilitation",
    "connection with previous messages",
    "targets",
    "subtheme",
    "theme",
    "thematic track",
    "track",
    "issue area",
    "format",
    "format description",
    "session format",
    "what will participants gain from attending this session?",
    "what will participants gain",
    "key takeaways",
    "key policy questions and expectations",
    "summary of issues discussed",
    "discussion areas",
    "policy recommendations or suggestions for the way forward",
    "policy recommendations",
    "calls to action",
    "call to action",
    "other initiatives addressing the session issues",
    "gender reflections",
    "agenda",
    "short title",
    "issues",
    "background paper",
];

/// Headings of the session report templates: a text with one of them is a report.
pub(crate) const REPORT_HEADINGS: &[&str] = &[
    "key policy questions and expectations",
    "summary of issues discussed",
    "policy recommendations or suggestions for the way forward",
    "key takeaways",
    "calls to action",
    "call to action",
];

/// Headings whose first line names the track.
pub(crate) const TRACK_HEADINGS: &[&str] =
    &["track", "thematic track", "theme", "subtheme", "issue area"];

/// Headings whose text is policy questions.
const QUESTION_HEADINGS: &[&str] = &[
    "policy question(s)",
    "policy questions",
    "policy question",
    "additional policy questions information",
    "key policy questions and expectations",
];

/// Headings of people lists that carry no section of their own.
const PEOPLE_HEADINGS: &[&str] = &[
    "additional speakers",
    "online moderator",
    "onsite moderator",
    "moderator",
    "rapporteur",
    "organizers",
    "organisers",
    "speakers",
];

/// Parses a form text (already normalised).
pub fn parse(text: &str) -> Form {
    let mut form = Form::default();
    let mut lines = text.lines().map(str::trim).peekable();

    // Title line, with the title on the same or the next line.
    while let Some(line) = lines.peek() {
        if line.is_empty() {
            lines.next();
            continue;
        }
        if let Some((year, kind, number, rest)) = title_line(line) {
            form.year = year;
            form.session_type = Some(kind.to_string());
            form.number = Some(number);
            lines.next();
            form.title = if rest.is_empty() {
                next_plain_line(&mut lines)
            } else {
                Some(rest.to_string())
            };
        }
        break;
    }

    let mut current: Option<(String, Vec<&str>)> = None;
    let mut people_block = false;
    for line in lines {
        if let Some((role, rest)) = person_line(line) {
            let person = Person::parse(rest);
            if !person.is_empty() {
                match role {
                    Role::Organiser => form.organisers.push(person),
                    Role::Speaker => form.speakers.push(person),
                }
            }
            continue;
        }
        if let Some((heading, inline)) = heading_line(line) {
            flush(&mut form, current.take());
            people_block = PEOPLE_HEADINGS.contains(&heading.as_str());
            if !people_block {
                let mut body = Vec::new();
                if !inline.is_empty() {
                    body.push(inline);
                }
                current = Some((heading, body));
            }
            continue;
        }
        if people_block {
            // Moderator and rapporteur lines: not speakers, not a section.
            continue;
        }
        if let Some((_, body)) = current.as_mut() {
            body.push(line);
        }
    }
    flush(&mut form, current.take());
    form
}

fn flush(form: &mut Form, section: Option<(String, Vec<&str>)>) {
    let Some((name, body)) = section else { return };
    let text = body.join("\n").trim().to_string();
    if text.is_empty() {
        return;
    }
    if QUESTION_HEADINGS.contains(&name.as_str()) {
        form.policy_questions.extend(split_questions(&text));
    }
    if name == "format" && form.format.is_none() {
        form.format = text.lines().next().map(str::to_string);
    }
    form.sections.push(Section {
        name,
        text: text.into(),
    });
}

/// True when the first non-empty line of a text is a form title line (`IGF 2019 WS #112 …`).
pub(crate) fn starts_with_title_line(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| title_line(l).is_some())
}

/// True when a line is a form or report heading ("Description", "2. Discussion Areas:").
pub(crate) fn is_heading(line: &str) -> bool {
    heading_line(line.trim()).is_some()
}

/// `IGF 2019 WS #112 Title` → (2019, "WS", 112, "Title"). A year outside the IGF's
/// (2006–2100: `IGF 3032`, a typo) is no year.
fn title_line(line: &str) -> Option<(Option<u16>, &str, u32, &str)> {
    let rest = line.strip_prefix("IGF")?.trim_start();
    let (year, rest) = rest.split_at_checked(4)?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = year
        .parse::<u16>()
        .ok()
        .filter(|y| (2006..=2100).contains(y));
    let rest = rest.trim_start();
    let hash = rest.find('#')?;
    let kind = rest[..hash].trim();
    if kind.is_empty() || kind.len() > 12 || !kind.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let after = rest[hash + 1..].trim_start();
    let digits = after.chars().take_while(char::is_ascii_digit).count();
    let number: u32 = after[..digits].parse().ok()?;
    let title = after[digits..]
        .trim_start_matches([':', '-', '–', ' '])
        .trim();
    Some((year, kind, number, title))
}

fn next_plain_line<'a>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> Option<String> {
    while let Some(line) = lines.peek() {
        if line.is_empty() {
            lines.next();
            continue;
        }
        if person_line(line).is_some() || heading_line(line).is_some() {
            return None;
        }
        let title = line.to_string();
        lines.next();
        return Some(title);
    }
    None
}

enum Role {
    Organiser,
    Speaker,
}

/// `Organizer 2: …`, `Speaker 1: …`, `Co-Proposer's Name: …`.
fn person_line(line: &str) -> Option<(Role, &str)> {
    let (label, rest) = line.split_once(':')?;
    let label = label.trim().to_lowercase();
    let word = label.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let role = match word {
        "organizer" | "organiser" | "co-organizer" | "co-organiser" => Role::Organiser,
        "speaker" | "panelist" | "panellist" => Role::Speaker,
        _ => return None,
    };
    // Require the number: "Speaker: …" as prose is not a form line.
    if word.len() == label.len() {
        return None;
    }
    Some((role, rest.trim()))
}

/// A heading line: a known heading alone (optionally numbered, optionally ending in `:`), or
/// `Heading: inline text`.
fn heading_line(line: &str) -> Option<(String, &str)> {
    let unnumbered = line
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .strip_prefix(". ")
        .filter(|_| line.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(line)
        .trim();
    for &h in HEADINGS.iter().chain(PEOPLE_HEADINGS) {
        // The headings are lower-case ASCII: compare the line's own bytes without changing
        // case (lower-casing the line changes the length of some letters, `Ⱥ` → `ⱥ`, and
        // makes ASCII of others, the Kelvin sign → `k`).
        let Some(head) = unnumbered.get(..h.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(h) {
            continue;
        }
        let rest_trim = unnumbered[h.len()..].trim_start();
        if rest_trim.is_empty() || rest_trim == ":" {
            return Some((h.to_string(), ""));
        }
        if let Some(after) = rest_trim.strip_prefix(':') {
            return Some((h.to_string(), after.trim()));
        }
    }
    None
}

/// Splits a policy-question section into questions: numbered or bulleted items, else
/// sentences ending in `?`, else the whole text.
pub fn split_questions(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut listed = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(item) = list_item(line) {
            listed = true;
            items.push(item.to_string());
        } else if listed && let Some(last) = items.last_mut() {
            last.push(' ');
            last.push_str(line);
        } else {
            items.push(line.to_string());
        }
    }
    if !listed {
        let questions: Vec<String> = text
            .split_inclusive('?')
            .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|q| q.ends_with('?'))
            .collect();
        if !questions.is_empty() {
            return questions;
        }
        let whole = text.split_whitespace().collect::<Vec<_>>().join(" ");
        return if whole.is_empty() {
            Vec::new()
        } else {
            vec![whole]
        };
    }
    // A bullet with nothing after it is no question.
    items.retain(|q| !q.is_empty());
    items
}

fn list_item(line: &str) -> Option<&str> {
    for bullet in ["•", "-", "*", "➢", "–"] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some(rest.trim());
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &line[digits..];
        for sep in [". ", ") ", ".", ")"] {
            if let Some(r) = rest.strip_prefix(sep) {
                return Some(r.trim());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Region, StakeholderGroup};

    const FORM: &str = "IGF 2026 WS #17 Trusted data corridors for small firms

Organizer 1: Lucía Fernández, Observatorio Digital del Sur
Organizer 2: ,
Organizer 3: Civil Society, African Group

Speaker 1: Kwame Mensah, Private Sector, African Group
Speaker 2: Ana Ruiz, government, GRULAC

Online Moderator

Lucía Fernández, Civil Society, Latin American and Caribbean Group (GRULAC)

Format

Round Table - U-shape - 90 Min

Policy Question(s)

1. How can small firms trust data corridors?
2. Which safeguards travel with the data?

Description: Small firms trade across borders.
They need legal certainty.

Expected Outcomes
A checklist for regulators.";

    #[test]
    fn parses_the_proposal_form() {
        let f = parse(FORM);
        assert_eq!(f.year, Some(2026));
        assert_eq!(f.session_type.as_deref(), Some("WS"));
        assert_eq!(f.number, Some(17));
        assert_eq!(
            f.title.as_deref(),
            Some("Trusted data corridors for small firms")
        );
        assert_eq!(f.organisers.len(), 2, "the empty organiser line is dropped");
        assert_eq!(
            f.organisers[1].stakeholder_group,
            Some(StakeholderGroup::CivilSociety)
        );
        assert_eq!(f.speakers.len(), 2, "the moderator is not a speaker");
        assert_eq!(f.speakers[1].region, Some(Region::Grulac));
        assert_eq!(f.format.as_deref(), Some("Round Table - U-shape - 90 Min"));
        assert_eq!(
            f.policy_questions,
            vec![
                "How can small firms trust data corridors?",
                "Which safeguards travel with the data?"
            ]
        );
        assert_eq!(
            f.sections
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            [
                "format",
                "policy question(s)",
                "description",
                "expected outcomes"
            ]
        );
        assert_eq!(
            f.sections[2].text,
            "Small firms trade across borders.\nThey need legal certainty."
        );
    }

    #[test]
    fn title_on_the_next_line() {
        let f = parse(
            "IGF 2019 WS #112\nAssessing the role of algorithms\n\nSubtheme\n\nSpeaker 1: A B, Civil Society, WEOG",
        );
        assert_eq!(f.number, Some(112));
        assert_eq!(f.title.as_deref(), Some("Assessing the role of algorithms"));
        assert_eq!(f.speakers.len(), 1);
    }

    #[test]
    fn other_session_types_and_report_headings() {
        let f = parse(
            "IGF 2019 OF #18 Personal Information Protection\n\n1. Key Policy Questions and Expectations\n\n1. Protection of personal information.\n\n2. Discussion Areas:\n\nThere was broad support.",
        );
        assert_eq!(f.session_type.as_deref(), Some("OF"));
        assert_eq!(
            f.policy_questions,
            vec!["Protection of personal information."]
        );
        assert_eq!(f.sections[1].name, "discussion areas");
    }

    #[test]
    fn questions_without_numbers_split_on_question_marks() {
        assert_eq!(
            split_questions("What is at stake? Who decides?\nAnd how"),
            vec!["What is at stake?", "Who decides?"]
        );
        assert_eq!(
            split_questions("A statement only"),
            vec!["A statement only"]
        );
    }

    #[test]
    fn prose_is_not_a_form() {
        let f = parse("Participants agreed that speaker diversity matters.");
        assert!(!f.is_recognised());
    }
}

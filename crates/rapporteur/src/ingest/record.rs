//! Turning one input record (a JSON object, a CSV row, a text file's front matter) into a
//! [`Document`], with a precise error for each field that cannot be used.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::Problem;
use super::normalize::{Repairs, normalize_line, normalize_text};
use super::{form, transcript};
use crate::analysis;
use crate::model::{Document, Kind, Person, Section};

/// Renames applied to input fields before they are read: `target ← source`
/// (`--map text=description` reads the model's `text` from the input's `description`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    renames: Vec<(String, String)>,
}

impl FieldMap {
    /// Parses `target=source` pairs.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = &'a str>) -> Result<FieldMap, String> {
        let mut renames = Vec::new();
        for pair in pairs {
            let (target, source) = pair
                .split_once('=')
                .ok_or_else(|| format!("field mapping `{pair}` is not of the form field=column"))?;
            let (target, source) = (target.trim(), source.trim());
            if !FIELDS.contains(&target) {
                return Err(format!(
                    "field mapping `{pair}`: `{target}` is not a document field (one of {})",
                    FIELDS.join(", ")
                ));
            }
            if source.is_empty() {
                return Err(format!("field mapping `{pair}`: empty column name"));
            }
            renames.push((target.to_string(), source.to_string()));
        }
        Ok(FieldMap { renames })
    }

    fn apply(&self, map: &mut Map<String, Value>) {
        for (target, source) in &self.renames {
            if let Some(v) = map.remove(source) {
                map.insert(target.clone(), v);
            }
        }
    }
}

/// The fields of the document model, as named in input records.
pub const FIELDS: &[&str] = &[
    "id",
    "kind",
    "year",
    "title",
    "track",
    "policy_questions",
    "text",
    "sections",
    "organisers",
    "speakers",
    "session",
    "language",
    "source",
];

/// Aliases found in real exports, mapped onto model fields.
const ALIASES: &[(&str, &str)] = &[
    ("policy_question", "policy_questions"),
    ("organizers", "organisers"),
    ("lang", "language"),
    ("url", "source"),
    ("session_id", "session"),
];

/// Settings for turning records into documents.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// Input field renames.
    pub map: FieldMap,
    /// Kind of records that name none and whose kind cannot be told from their content.
    pub default_kind: Kind,
    /// Text longer than this (in bytes) is cut, with a warning: at the last paragraph end in
    /// the limit's last eighth, else the last sentence or line end there, else a character
    /// boundary. The default, 4 MiB (about 600,000 words), is ten times the longest document
    /// of the IGF archive (a three-day meeting's transcript, 300–400 KB) yet keeps one
    /// runaway record (a whole site dumped into one field) from being carried, several times
    /// over, through analysis, vectors, statements and the report.
    pub max_text_bytes: usize,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions {
            map: FieldMap::default(),
            default_kind: Kind::Other,
            max_text_bytes: 4 << 20,
        }
    }
}

/// A document and what was repaired or noted while reading it.
#[derive(Debug)]
pub struct Converted {
    /// The document.
    pub document: Document,
    /// Repairs made by normalisation.
    pub repairs: Repairs,
    /// Notes worth telling the user (truncation, an unknown kind kept as `other`).
    pub notes: Vec<String>,
    /// True when the text was cut to [`RecordOptions::max_text_bytes`].
    pub truncated: bool,
}

/// Builds a document from a record's fields.
pub fn convert(mut map: Map<String, Value>, opts: &RecordOptions) -> Result<Converted, Problem> {
    opts.map.apply(&mut map);
    for (alias, field) in ALIASES {
        if !map.contains_key(*field)
            && let Some(v) = map.remove(*alias)
        {
            map.insert(field.to_string(), v);
        }
    }
    let mut notes = Vec::new();
    let mut repairs = Repairs::default();

    let id = match map.remove("id") {
        None | Some(Value::Null) => return Err(Problem::MissingField("id")),
        Some(Value::String(s)) if s.trim().is_empty() => return Err(Problem::MissingField("id")),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(v) => return Err(wrong("id", "a string", &v)),
    };
    let mut text = match map.remove("text") {
        None | Some(Value::Null) => return Err(Problem::MissingField("text")),
        Some(Value::String(s)) => s,
        Some(v) => return Err(wrong("text", "a string", &v)),
    };
    let truncated = text.len() > opts.max_text_bytes;
    if truncated {
        let cut = cut_point(&text, opts.max_text_bytes);
        notes.push(format!(
            "text of {} bytes cut to {cut} bytes (limit {}, --max-text-bytes)",
            text.len(),
            opts.max_text_bytes
        ));
        text.truncate(cut);
    }
    let (text, r) = normalize_text(&text);
    repairs.add(r);
    if text.trim().is_empty() {
        return Err(Problem::EmptyText);
    }

    let kind_given = match map.remove("kind") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(v) => return Err(wrong("kind", "a string", &v)),
    };
    let form = form::parse(&text);
    let title_given = optional_string("title", map.remove("title"))?.map(|t| normalize_line(&t));
    let kind = match &kind_given {
        Some(name) => Kind::from_name(name).unwrap_or_else(|| {
            notes.push(format!("unknown kind `{name}` kept as `other`"));
            Kind::Other
        }),
        None => infer_kind(&text, &form, title_given.as_deref()).unwrap_or(opts.default_kind),
    };
    let transcript = if kind == Kind::Transcript {
        transcript::parse(&text)
    } else {
        None
    };
    if let Some(name) = kind_given
        && name != kind.as_str()
    {
        // Keep the source's own kind name (e.g. `session_report`, `track_definition`).
        map.insert("source_kind".into(), Value::String(name));
    }

    let title = title_given
        .or_else(|| form.title.clone())
        .or_else(|| transcript.as_ref().and_then(|t| t.title.clone()))
        .unwrap_or_default();
    let year = match map.remove("year") {
        None | Some(Value::Null) => form
            .year
            .or_else(|| transcript.as_ref().and_then(|t| t.year))
            .or_else(|| title_year(&title))
            .or_else(|| title_year(text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")))
            .or_else(|| transcript::year_in(text_head(&text, 600))),
        Some(v) => Some(parse_year(&v)?),
    };
    let track = optional_string("track", map.remove("track"))?
        .map(|t| normalize_line(&t))
        .or_else(|| track_of(&form))
        .or_else(|| track_after_update_line(&text));
    let mut policy_questions = match map.remove("policy_questions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => form::split_questions(&normalize_text(&s).0),
        Some(Value::Array(items)) => string_list("policy_questions", items)?,
        Some(v) => {
            return Err(wrong(
                "policy_questions",
                "a string or a list of strings",
                &v,
            ));
        }
    };
    policy_questions.retain(|q| !q.trim().is_empty());
    let mut sections = match map.remove("sections") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => parse_sections(v)?,
    };
    let mut organisers = people("organisers", map.remove("organisers"))?;
    let mut speakers = people("speakers", map.remove("speakers"))?;
    let session = match map.remove("session") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(v) => return Err(wrong("session", "a string", &v)),
    };
    let language = optional_string("language", map.remove("language"))?
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty());
    let source = optional_string("source", map.remove("source"))?;

    // Structured fields the record did not give come from the form text.
    if policy_questions.is_empty() {
        policy_questions = form.policy_questions;
    }
    if sections.is_empty() {
        sections = form.sections;
    }
    if organisers.is_empty() {
        organisers = form.organisers;
    }
    if speakers.is_empty() {
        speakers = form.speakers;
    }
    let language = language
        .or_else(|| analysis::detect_document_language(&text, &sections).map(str::to_string));
    let ws_number = match &form.session_type {
        Some(t) if t == "WS" => form.number,
        Some(_) => None,
        None => transcript
            .as_ref()
            .and_then(|t| t.ws_number)
            .or_else(|| transcript::ws_number_in(&title)),
    };
    if let Some(n) = ws_number
        && !map.contains_key("ws_number")
    {
        map.insert("ws_number".into(), Value::from(n));
    }
    // A report, takeaway or transcript of workshop N of year Y belongs to session `igfY-wsN`.
    let session = session.or_else(|| match (kind, year, ws_number) {
        (Kind::Report | Kind::Takeaway | Kind::Transcript, Some(y), Some(n)) => {
            Some(format!("igf{y}-ws{n}"))
        }
        _ => None,
    });
    if let Some(t) = transcript
        && !map.contains_key("turns")
    {
        map.insert("turns".into(), turns_value(t.turns, &speakers));
    }

    let extra: BTreeMap<String, Value> = map.into_iter().collect();
    let mut document = Document {
        id,
        kind,
        year,
        title,
        track,
        policy_questions,
        text: text.into(),
        sections,
        organisers,
        speakers,
        session,
        language,
        source,
        extra,
    };
    document.share_section_texts();
    Ok(Converted {
        document,
        repairs,
        notes,
        truncated,
    })
}

/// Where to cut a text of more than `limit` bytes: after the last paragraph end (a blank
/// line) in the limit's last eighth, else after the last sentence or line end there, else at
/// the last character boundary.
fn cut_point(text: &str, limit: usize) -> usize {
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut from = end - end / 8;
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let window = &text[from..end];
    let after = |found: Option<(usize, &str)>| found.map(|(i, m)| from + i + m.len());
    after(window.rmatch_indices("\n\n").next())
        .or_else(|| {
            after(
                window
                    .rmatch_indices(['\n', '.', '!', '?', '。'])
                    .find(|&(i, m)| window[i + m.len()..].starts_with(char::is_whitespace)),
            )
        })
        .unwrap_or(end)
}

/// The kind of a record that names none, from its content: a captioning transcript, a session
/// report (report template headings), a workshop proposal (the form's `WS` title line), a
/// Dynamic Coalition or Best Practice Forum output, or a (third-party) session report (by the
/// title and the first lines), or IGF messages (by the title, else the first line).
fn infer_kind(text: &str, form: &form::Form, title: Option<&str>) -> Option<Kind> {
    if transcript::looks_like(text) {
        return Some(Kind::Transcript);
    }
    if form
        .sections
        .iter()
        .any(|s| form::REPORT_HEADINGS.contains(&s.name.as_str()))
    {
        return Some(Kind::Report);
    }
    // The form's title line, or (an excerpt without it) both organiser and speaker lines.
    if form.session_type.as_deref() == Some("WS")
        || (!form.organisers.is_empty() && !form.speakers.is_empty())
    {
        return Some(Kind::Proposal);
    }
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let title = title
        .or(form.title.as_deref())
        .or_else(|| lines.next())
        .unwrap_or("")
        .to_lowercase();
    let head = format!("{title}\n{}", lines.take(4).collect::<Vec<_>>().join("\n")).to_lowercase();
    if head.contains("dynamic coalition") || head.contains("best practice forum") {
        return Some(Kind::DcOutput);
    }
    if head.contains("session report") || head.contains("event report") {
        return Some(Kind::Report);
    }
    if title.contains("messages") {
        return Some(Kind::Message);
    }
    None
}

/// The track named under a Track / Theme / Subtheme heading, when it is one short line.
fn track_of(form: &form::Form) -> Option<String> {
    form.sections
        .iter()
        .filter(|s| form::TRACK_HEADINGS.contains(&s.name.as_str()))
        .filter_map(|s| s.text.lines().next())
        .map(normalize_line)
        .find(|t| t.starts_with(char::is_alphanumeric) && t.chars().count() <= 100)
}

/// The year of an IGF title: the first year in a line that names the IGF ("IGF Messages 2022
/// and Call for Inputs 2023" → 2022).
fn title_year(line: &str) -> Option<u16> {
    let lower = line.to_lowercase();
    if !lower.contains("igf") && !lower.contains("internet governance forum") {
        return None;
    }
    line.split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse::<u16>().ok())
        .find(|y| (2006..=2100).contains(y))
}

/// The theme line that IGF session report pages show under their "Updated: …" line.
fn track_after_update_line(text: &str) -> Option<String> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(12);
    lines.find(|l| l.starts_with("Updated:"))?;
    let line = lines.next()?;
    let plain = line.chars().count() <= 80
        && !line.ends_with([':', '.', '?'])
        && !line.chars().any(|c| c.is_ascii_digit())
        && !form::is_heading(line);
    plain.then(|| line.to_string())
}

/// At most the first `max` bytes of a text, cut at a character boundary.
fn text_head(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Transcript turns as JSON, with the stakeholder group of speakers the record names.
fn turns_value(turns: Vec<transcript::Turn>, speakers: &[Person]) -> Value {
    let group_of = |name: &str| {
        speakers
            .iter()
            .find(|p| {
                p.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .and_then(|p| p.stakeholder_group)
    };
    Value::Array(
        turns
            .into_iter()
            .map(|t| {
                let mut m = Map::new();
                if let Some(g) = t.speaker.as_deref().and_then(group_of) {
                    m.insert("stakeholder_group".into(), Value::String(g.as_str().into()));
                }
                m.insert(
                    "speaker".into(),
                    t.speaker.map_or(Value::Null, Value::String),
                );
                m.insert("text".into(), Value::String(t.text));
                Value::Object(m)
            })
            .collect(),
    )
}

fn wrong(field: &'static str, expected: &'static str, found: &Value) -> Problem {
    let found = match found {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    Problem::WrongType {
        field,
        expected,
        found,
    }
}

fn optional_string(field: &'static str, v: Option<Value>) -> Result<Option<String>, Problem> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(v) => Err(wrong(field, "a string", &v)),
    }
}

fn parse_year(v: &Value) -> Result<u16, Problem> {
    let n = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => return Err(wrong("year", "a year such as 2019", v)),
    };
    match n {
        Some(y @ 1990..=2100) => Ok(y as u16),
        _ => Err(Problem::BadValue {
            field: "year",
            message: format!("{v} is not a year between 1990 and 2100"),
        }),
    }
}

fn string_list(field: &'static str, items: Vec<Value>) -> Result<Vec<String>, Problem> {
    items
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(normalize_line(&s)),
            v => Err(wrong(field, "a list of strings", &v)),
        })
        .collect()
}

fn parse_sections(v: Value) -> Result<Vec<Section>, Problem> {
    let section = |name: String, text: Value| -> Result<Section, Problem> {
        match text {
            Value::String(t) => Ok(Section {
                name: name.trim().to_lowercase(),
                text: normalize_text(&t).0.into(),
            }),
            v => Err(wrong("sections", "section texts as strings", &v)),
        }
    };
    match v {
        Value::Object(m) => m.into_iter().map(|(k, t)| section(k, t)).collect(),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(mut m) => {
                    let name = match m.remove("name") {
                        Some(Value::String(n)) => n,
                        _ => return Err(Problem::MissingField("sections[].name")),
                    };
                    section(name, m.remove("text").unwrap_or(Value::Null))
                }
                v => Err(wrong("sections", "objects with name and text", &v)),
            })
            .collect(),
        v => Err(wrong("sections", "an object of name → text, or a list", &v)),
    }
}

fn people(field: &'static str, v: Option<Value>) -> Result<Vec<Person>, Problem> {
    let items = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        // CSV cells and simple exports: one person per line or per `;`.
        Some(Value::String(s)) => {
            return Ok(s
                .split(['\n', ';'])
                .map(|line| Person::parse(&normalize_line(line)))
                .filter(|p| !p.is_empty())
                .collect());
        }
        Some(Value::Array(items)) => items,
        Some(v) => return Err(wrong(field, "a list of people", &v)),
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let person = match item {
            Value::String(s) => Person::parse(&normalize_line(&s)),
            Value::Object(m) => person_object(field, m)?,
            v => return Err(wrong(field, "a list of people", &v)),
        };
        if !person.is_empty() {
            out.push(person);
        }
    }
    Ok(out)
}

fn person_object(field: &'static str, m: Map<String, Value>) -> Result<Person, Problem> {
    let mut p = Person::default();
    for (k, v) in m {
        let s = match v {
            Value::Null => continue,
            Value::String(s) => normalize_line(&s),
            v => return Err(wrong(field, "people with string fields", &v)),
        };
        if s.is_empty() {
            continue;
        }
        match k.as_str() {
            "name" => p.name = Some(s),
            "organisation" | "organization" | "org" | "affiliation" => p.organisation = Some(s),
            "stakeholder_group" | "stakeholder" | "group" => {
                p.stakeholder_group = crate::model::StakeholderGroup::parse(&s)
            }
            "region" | "regional_group" => p.region = crate::model::Region::parse(&s),
            _ => {}
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conv(v: Value) -> Result<Converted, Problem> {
        let Value::Object(m) = v else { unreachable!() };
        convert(m, &RecordOptions::default())
    }

    #[test]
    fn archive_record_maps_and_keeps_unknown_fields() {
        let c = conv(json!({
            "id": "igf2019-ws112-v1", "kind": "session_report", "year": 2019,
            "title": "T", "policy_question": "What should be done?", "ws_number": 112,
            "text": "Some report text about data governance and human rights online."
        }))
        .unwrap();
        let d = c.document;
        assert_eq!(d.kind, Kind::Report);
        assert_eq!(d.policy_questions, vec!["What should be done?"]);
        assert_eq!(d.extra["ws_number"], 112);
        assert_eq!(d.extra["source_kind"], "session_report");
        assert_eq!(d.language.as_deref(), Some("en"));
    }

    #[test]
    fn kind_year_track_and_session_are_inferred() {
        let report = conv(json!({"id": "r", "text": "IGF 2031 WS #9 Solar relays\n\nUpdated: Tue, 09/12/2031 - 10:14\nResilient Infrastructure\n1. Key Policy Questions and Expectations\n\n- Who pays for batteries?"}))
            .unwrap()
            .document;
        assert_eq!(report.kind, Kind::Report);
        assert_eq!(report.year, Some(2031));
        assert_eq!(report.track.as_deref(), Some("Resilient Infrastructure"));
        assert_eq!(report.session.as_deref(), Some("igf2031-ws9"));
        assert_eq!(report.policy_questions, vec!["Who pays for batteries?"]);

        let excerpt = conv(json!({"id": "p", "text": "Session\nOrganizer 1: Ana Ruiz, Red Solar\nSpeaker 1: Li Na, Government, Asia-Pacific Group"}))
            .unwrap()
            .document;
        assert_eq!(excerpt.kind, Kind::Proposal, "organiser and speaker lines");
        assert_eq!(excerpt.year, None);

        let messages = conv(json!({"id": "m", "text": "IGF Messages 2031 and the call for inputs to IGF 2032\n\nText."}))
            .unwrap()
            .document;
        assert_eq!(messages.kind, Kind::Message);
        assert_eq!(messages.year, Some(2031));

        let dc = conv(json!({"id": "d", "title": "Dynamic Coalition on Solar Relays", "text": "Adopted at IGF 2031."}))
            .unwrap()
            .document;
        assert_eq!((dc.kind, dc.year), (Kind::DcOutput, Some(2031)));
    }

    #[test]
    fn transcripts_get_turns_with_known_groups() {
        let d = conv(json!({"id": "t", "speakers": ["Ana Ruiz, Civil Society, GRULAC"],
            "text": "IGF 2031 Day 2 WS #9 Solar relays\n\n>> ANA RUIZ: Welcome.\n>> Li Na: Thanks.\n>> Can you hear me?"}))
        .unwrap()
        .document;
        assert_eq!(d.kind, Kind::Transcript);
        assert_eq!(d.year, Some(2031));
        assert_eq!(d.title, "IGF 2031 Day 2 WS #9 Solar relays");
        assert_eq!(d.extra["ws_number"], 9);
        assert_eq!(d.session.as_deref(), Some("igf2031-ws9"));
        assert_eq!(
            d.extra["turns"],
            json!([
                {"stakeholder_group": "civil society", "speaker": "Ana Ruiz", "text": "Welcome."},
                {"speaker": "Li Na", "text": "Thanks."},
                {"speaker": null, "text": "Can you hear me?"}
            ])
        );
        // A kind given as something else keeps the text whole.
        let d = conv(json!({"id": "t", "kind": "report", "text": ">> A: x\n>> B: y\n>> C: z"}))
            .unwrap()
            .document;
        assert!(!d.extra.contains_key("turns"));
    }

    #[test]
    fn form_text_fills_structure() {
        let c = conv(json!({"id": 7, "text": "IGF 2026 WS #7 A title\n\nSpeaker 1: Ana Ruiz, Government, GRULAC\n\nPolicy Question(s)\n\nWho pays?"}))
            .unwrap();
        let d = c.document;
        assert_eq!(d.id, "7");
        assert_eq!(d.kind, Kind::Proposal);
        assert_eq!(d.year, Some(2026));
        assert_eq!(d.title, "A title");
        assert_eq!(d.speakers.len(), 1);
        assert_eq!(d.policy_questions, vec!["Who pays?"]);
    }

    #[test]
    fn field_errors_name_the_field() {
        let e = conv(json!({"id": "a", "text": "x", "year": "soon"})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `year`: \"soon\" is not a year between 1990 and 2100"
        );
        let e = conv(json!({"id": "a", "text": ["x"]})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `text`: expected a string, found a list"
        );
        let e = conv(json!({"text": "x"})).unwrap_err();
        assert_eq!(e.to_string(), "missing field `id`");
        let e = conv(json!({"id": "a", "text": "  "})).unwrap_err();
        assert_eq!(e.to_string(), "field `text` is empty");
    }

    #[test]
    fn language_is_detected_on_the_prose_not_the_english_form_labels() {
        let groups = [
            ("Civil Society", "African Group"),
            ("Private Sector", "Western European and Others Group"),
            ("Technical Community", "Asia-Pacific Group"),
            ("Government", "Latin American and Caribbean Group"),
        ];
        let mut text = "IGF 2025 WS #412 Réseaux communautaires\n\n".to_string();
        for (i, (group, region)) in groups.iter().cycle().take(14).enumerate() {
            let role = if i < 4 { "Organizer" } else { "Speaker" };
            text.push_str(&format!(
                "{role} {}: Awa Ndiaye, {group}, {region}\n",
                i % 4 + 1
            ));
        }
        text.push_str(
            "\nFormat\n\nRound Table - 90 Min\n\nDescription:\nL'atelier examinera comment les \
             réseaux communautaires peuvent connecter les zones rurales où les opérateurs ne \
             vont pas, et quelles règles de licence et de spectre leur permettent de durer.",
        );
        // The labels and people lines make most of the first kilobyte of the text…
        assert!(text.find("L'atelier").unwrap() > 900);
        assert_eq!(analysis::detect_language(&text), Some("en"));
        // …but not the sections the language is detected on.
        let d = conv(json!({"id": "fr", "text": text})).unwrap().document;
        assert_eq!(d.sections.len(), 2, "{:?}", d.sections);
        assert_eq!(d.language.as_deref(), Some("fr"));
    }

    #[test]
    fn mapping_renames_columns() {
        let map = FieldMap::parse(["text=description"]).unwrap();
        let Value::Object(m) = json!({"id": "a", "description": "hello there"}) else {
            unreachable!()
        };
        let opts = RecordOptions {
            map,
            ..RecordOptions::default()
        };
        assert_eq!(convert(m, &opts).unwrap().document.text, "hello there");
        assert!(FieldMap::parse(["body=description"]).is_err());
        assert!(FieldMap::parse(["text"]).is_err());
    }

    #[test]
    fn long_text_is_cut_with_a_note() {
        let Value::Object(m) = json!({"id": "a", "text": "é".repeat(100)}) else {
            unreachable!()
        };
        let opts = RecordOptions {
            max_text_bytes: 51,
            ..RecordOptions::default()
        };
        let c = convert(m, &opts).unwrap();
        assert_eq!(c.document.text.len(), 50);
        assert_eq!(c.notes.len(), 1);
        assert!(c.truncated);
    }

    #[test]
    fn cuts_fall_on_paragraph_then_sentence_ends() {
        let para = "One sentence here. Another one there.\n\n";
        let text = para.repeat(10);
        let cut = cut_point(&text, 200);
        assert_eq!(&text[..cut], para.repeat(5));
        let text = "Words and more words. ".repeat(20);
        let cut = cut_point(&text, 200);
        assert!(text[..cut].ends_with("words.") && cut > 175, "{cut}");
        let text = "é".repeat(200);
        assert_eq!(cut_point(&text, 101), 100);
    }

    #[test]
    fn people_as_strings_and_objects() {
        let c = conv(json!({"id": "a", "text": "t", "speakers": [
            "Jane Doe, Civil Society, African Group",
            {"name": "Li Wei", "stakeholder_group": "Private Sector", "region": "Asia-Pacific Group"}
        ], "organisers": "A, Org one; B, Org two"}))
        .unwrap();
        assert_eq!(c.document.speakers.len(), 2);
        assert_eq!(c.document.organisers.len(), 2);
        assert_eq!(
            c.document.speakers[1].region,
            Some(crate::model::Region::AsiaPacific)
        );
    }
}

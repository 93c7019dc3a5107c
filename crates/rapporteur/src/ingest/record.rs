//! Turning one input record (a JSON object, a CSV row, a text file's front matter) into a
//! [`Document`], with a precise error for each field that cannot be used.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::Problem;
use super::form;
use super::normalize::{Repairs, normalize_line, normalize_text};
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
    /// Kind of records that name none (and whose text is not a recognisable form).
    pub default_kind: Kind,
    /// Text longer than this (in bytes) is cut at a character boundary, with a warning.
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
    if text.len() > opts.max_text_bytes {
        let mut cut = opts.max_text_bytes;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        notes.push(format!(
            "text of {} bytes cut to the limit of {} bytes",
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
    let kind = match &kind_given {
        Some(name) => Kind::from_name(name).unwrap_or_else(|| {
            notes.push(format!("unknown kind `{name}` kept as `other`"));
            Kind::Other
        }),
        None if form.session_type.as_deref() == Some("WS") => Kind::Proposal,
        None => opts.default_kind,
    };
    if let Some(name) = kind_given
        && name != kind.as_str()
    {
        // Keep the source's own kind name (e.g. `session_report`, `track_definition`).
        map.insert("source_kind".into(), Value::String(name));
    }

    let year = match map.remove("year") {
        None | Some(Value::Null) => form.year,
        Some(v) => Some(parse_year(&v)?),
    };
    let title = match optional_string("title", map.remove("title"))? {
        Some(t) => normalize_line(&t),
        None => form.title.clone().unwrap_or_default(),
    };
    let track = optional_string("track", map.remove("track"))?.map(|t| normalize_line(&t));
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
        .filter(|l| !l.is_empty())
        .or_else(|| analysis::detect_language(&text).map(str::to_string));
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
    if let Some(n) = form.number
        && !map.contains_key("ws_number")
        && form.session_type.as_deref() == Some("WS")
    {
        map.insert("ws_number".into(), Value::from(n));
    }

    let extra: BTreeMap<String, Value> = map.into_iter().collect();
    Ok(Converted {
        document: Document {
            id,
            kind,
            year,
            title,
            track,
            policy_questions,
            text,
            sections,
            organisers,
            speakers,
            session,
            language,
            source,
            extra,
        },
        repairs,
        notes,
    })
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
                text: normalize_text(&t).0,
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

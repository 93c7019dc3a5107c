//! The corpus model: documents, people and the fixed vocabularies of the IGF.
//!
//! Every stage after ingest works on [`Document`]s. Fields the model does not know are kept in
//! [`Document::extra`] and written back unchanged, so a corpus round-trips through rapporteur.

use std::collections::BTreeMap;
use std::fmt;

use arcstr::{ArcStr, Substr};
use serde::{Deserialize, Serialize};

/// What kind of IGF text a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A workshop (or open forum, town hall…) proposal.
    Proposal,
    /// The 3–4 key takeaways a rapporteur reads out at the end of a session.
    Takeaway,
    /// A session report.
    Report,
    /// An output of a Dynamic Coalition, Best Practice Forum or national/regional IGF.
    DcOutput,
    /// Thematic messages (IGF Messages).
    Message,
    /// A real-time captioning transcript.
    Transcript,
    /// Anything else (track definitions, MAG process documents…).
    Other,
}

impl Kind {
    /// All kinds, in display order.
    pub const ALL: [Kind; 7] = [
        Kind::Proposal,
        Kind::Takeaway,
        Kind::Report,
        Kind::DcOutput,
        Kind::Message,
        Kind::Transcript,
        Kind::Other,
    ];

    /// The canonical name, as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Proposal => "proposal",
            Kind::Takeaway => "takeaway",
            Kind::Report => "report",
            Kind::DcOutput => "dc_output",
            Kind::Message => "message",
            Kind::Transcript => "transcript",
            Kind::Other => "other",
        }
    }

    /// Maps a kind name as found in the wild (canonical names, plurals and the names used by
    /// the IGF archive exports) to a kind. Returns `None` for names it does not know.
    pub fn from_name(name: &str) -> Option<Kind> {
        let n = name.trim().to_lowercase().replace([' ', '-'], "_");
        Some(match n.as_str() {
            "proposal" | "proposals" | "workshop_proposal" | "workshop" => Kind::Proposal,
            "takeaway" | "takeaways" | "key_takeaways" => Kind::Takeaway,
            "report" | "reports" | "session_report" | "session_reports" => Kind::Report,
            "dc_output" | "dc_outputs" | "dc" | "bpf_output" | "nri_output" | "output" => {
                Kind::DcOutput
            }
            "message" | "messages" => Kind::Message,
            "transcript" | "transcripts" => Kind::Transcript,
            "other" | "track_definition" | "mag_process" => Kind::Other,
            _ => return None,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The five stakeholder groups of the IGF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StakeholderGroup {
    /// Civil society, including academia when the form files it there.
    CivilSociety,
    /// The private sector.
    PrivateSector,
    /// The technical community.
    TechnicalCommunity,
    /// Governments.
    Government,
    /// Intergovernmental organisations.
    IntergovernmentalOrganisation,
}

impl StakeholderGroup {
    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            StakeholderGroup::CivilSociety => "civil society",
            StakeholderGroup::PrivateSector => "private sector",
            StakeholderGroup::TechnicalCommunity => "technical community",
            StakeholderGroup::Government => "government",
            StakeholderGroup::IntergovernmentalOrganisation => "intergovernmental organisation",
        }
    }

    /// Recognises the spellings of the IGF forms ("Civil Society", "Intergovernmental
    /// Organization", "IGO", "private-sector"…). `None` if the text names no group.
    pub fn parse(text: &str) -> Option<StakeholderGroup> {
        let t = squash(text);
        Some(match t.as_str() {
            "civilsociety" | "cs" | "academia" | "ngo" => StakeholderGroup::CivilSociety,
            "privatesector" | "business" | "industry" => StakeholderGroup::PrivateSector,
            "technicalcommunity" | "technical" | "tc" => StakeholderGroup::TechnicalCommunity,
            "government" | "governments" | "gov" | "publicsector" => StakeholderGroup::Government,
            "intergovernmentalorganization"
            | "intergovernmentalorganisation"
            | "intergovernmental"
            | "igo"
            | "io"
            | "internationalorganization"
            | "internationalorganisation" => StakeholderGroup::IntergovernmentalOrganisation,
            _ => return None,
        })
    }
}

impl fmt::Display for StakeholderGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The five UN regional groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Region {
    /// African Group.
    #[serde(rename = "African")]
    African,
    /// Asia-Pacific Group.
    #[serde(rename = "Asia-Pacific")]
    AsiaPacific,
    /// Eastern European Group.
    #[serde(rename = "Eastern European")]
    EasternEuropean,
    /// Latin American and Caribbean Group.
    #[serde(rename = "GRULAC")]
    Grulac,
    /// Western European and Others Group.
    #[serde(rename = "WEOG")]
    Weog,
}

impl Region {
    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::African => "African",
            Region::AsiaPacific => "Asia-Pacific",
            Region::EasternEuropean => "Eastern European",
            Region::Grulac => "GRULAC",
            Region::Weog => "WEOG",
        }
    }

    /// Recognises the spellings of the IGF forms ("Latin American and Caribbean Group
    /// (GRULAC)", "Asia Pacific", "WEOG"…). `None` if the text names no group.
    pub fn parse(text: &str) -> Option<Region> {
        let t = squash(text);
        let t = t.strip_suffix("group").unwrap_or(&t);
        if t.contains("grulac") || t.starts_with("latinamerica") {
            return Some(Region::Grulac);
        }
        if t.contains("weog") || t.starts_with("westerneuropean") {
            return Some(Region::Weog);
        }
        Some(match t {
            "african" | "africa" | "africangroup" => Region::African,
            "asiapacific" | "asia" | "apac" | "asiapacificgroup" => Region::AsiaPacific,
            "easterneuropean" | "easterneurope" | "eeg" => Region::EasternEuropean,
            _ => return None,
        })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lower-cases and keeps only letters, so that spelling variants compare equal.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An organiser or speaker. Any part may be missing (anonymised forms give only the groups).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The person's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The organisation the person is with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Stakeholder group, normalised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder_group: Option<StakeholderGroup>,
    /// UN regional group, normalised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

impl Person {
    /// Parses a form line such as "Jane Doe, Civil Society, African Group",
    /// "Jane Doe, Example University" or "Technical Community, WEOG".
    ///
    /// Parts that name a stakeholder group or region are recognised wherever they stand; of
    /// the other parts, the first is the name and the rest the organisation.
    pub fn parse(line: &str) -> Person {
        let mut person = Person::default();
        let mut rest = Vec::new();
        for part in line.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if person.stakeholder_group.is_none()
                && let Some(g) = StakeholderGroup::parse(part)
            {
                person.stakeholder_group = Some(g);
                continue;
            }
            if person.region.is_none()
                && let Some(r) = Region::parse(part)
            {
                person.region = Some(r);
                continue;
            }
            rest.push(part);
        }
        let mut rest = rest.into_iter();
        person.name = rest.next().map(str::to_string);
        let org: Vec<&str> = rest.collect();
        if !org.is_empty() {
            person.organisation = Some(org.join(", "));
        }
        person
    }

    /// True when nothing is known of the person.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.organisation.is_none()
            && self.stakeholder_group.is_none()
            && self.region.is_none()
    }
}

/// One IGF text and everything known about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Unique id, stable across every stage.
    pub id: String,
    /// What kind of text this is.
    pub kind: Kind,
    /// IGF year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Title (empty when unknown).
    #[serde(default)]
    pub title: String,
    /// Track or theme, as given by the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    /// The policy questions the document states or answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_questions: Vec<String>,
    /// Full text, normalised. Reference-counted, so that sections can be slices of it.
    pub text: ArcStr,
    /// Named sections ("description", "expected outcomes"…), in the order they appear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Organisers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisers: Vec<Person>,
    /// Speakers (or, for takeaways, the stakeholder groups present).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<Person>,
    /// The session (proposal id) a takeaway, report or transcript comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// ISO 639-1 language code (given, or detected at ingest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where the text comes from (URL or file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Fields the model does not know, kept as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A named part of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Section name, lower-cased ("description").
    pub name: String,
    /// Section text: a slice of the document's text where it is one (see
    /// [`Document::share_section_texts`]), else a string of its own.
    pub text: Substr,
}

impl Document {
    /// A document with only the required fields set.
    pub fn new(id: impl Into<String>, kind: Kind, text: impl Into<ArcStr>) -> Document {
        Document {
            id: id.into(),
            kind,
            year: None,
            title: String::new(),
            track: None,
            policy_questions: Vec::new(),
            text: text.into(),
            sections: Vec::new(),
            organisers: Vec::new(),
            speakers: Vec::new(),
            session: None,
            language: None,
            source: None,
            extra: BTreeMap::new(),
        }
    }

    /// Makes each section's text that appears verbatim in the document's text, after the
    /// section before it, a slice of that text instead of a copy. A form's sections are cut
    /// from its text, so a parsed proposal would otherwise hold most of its text twice (at
    /// 100,000 generated proposals, 284 MB of sections beside 341 MB of text). The texts
    /// read the same either way.
    pub fn share_section_texts(&mut self) {
        // `Substr` ranges are `u32`: a text beyond 4 GiB keeps its sections as copies.
        if u32::try_from(self.text.len()).is_err() {
            return;
        }
        let mut from = 0;
        for s in &mut self.sections {
            if ArcStr::ptr_eq(s.text.parent(), &self.text) {
                from = s.text.range().end;
                continue;
            }
            if s.text.is_empty() {
                continue;
            }
            if let Some(at) = self.text[from..].find(s.text.as_str()) {
                let start = from + at;
                from = start + s.text.len();
                s.text = self.text.substr(start..from);
            }
        }
    }

    /// The text of a named section, if present (name compared case-insensitively).
    pub fn section(&self, name: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
            .map(|s| s.text.as_str())
    }

    /// Organisers then speakers.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.organisers.iter().chain(&self.speakers)
    }

    /// Distinct stakeholder groups among organisers and speakers, sorted.
    pub fn stakeholder_groups(&self) -> Vec<StakeholderGroup> {
        let mut v: Vec<_> = self.people().filter_map(|p| p.stakeholder_group).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Distinct regional groups among organisers and speakers, sorted.
    pub fn regions(&self) -> Vec<Region> {
        let mut v: Vec<_> = self.people().filter_map(|p| p.region).collect();
        v.sort();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_line_with_groups() {
        let p = Person::parse("Amara Okafor, Civil Society, African Group");
        assert_eq!(p.name.as_deref(), Some("Amara Okafor"));
        assert_eq!(p.organisation, None);
        assert_eq!(p.stakeholder_group, Some(StakeholderGroup::CivilSociety));
        assert_eq!(p.region, Some(Region::African));
    }

    #[test]
    fn person_line_with_organisation() {
        let p = Person::parse("B Wanner, U.S. Council for International Business");
        assert_eq!(p.name.as_deref(), Some("B Wanner"));
        assert_eq!(
            p.organisation.as_deref(),
            Some("U.S. Council for International Business")
        );
        assert_eq!(p.stakeholder_group, None);
    }

    #[test]
    fn anonymised_person_line() {
        let p = Person::parse("Technical Community, Latin American and Caribbean Group (GRULAC)");
        assert_eq!(p.name, None);
        assert_eq!(
            p.stakeholder_group,
            Some(StakeholderGroup::TechnicalCommunity)
        );
        assert_eq!(p.region, Some(Region::Grulac));
    }

    #[test]
    fn region_spellings() {
        for (s, r) in [
            ("Western European and Others Group (WEOG)", Region::Weog),
            ("Asia Pacific", Region::AsiaPacific),
            ("Asia-Pacific Group", Region::AsiaPacific),
            ("Eastern European Group", Region::EasternEuropean),
            ("GRULAC", Region::Grulac),
            ("African Group", Region::African),
        ] {
            assert_eq!(Region::parse(s), Some(r), "{s}");
        }
        assert_eq!(Region::parse("Example University"), None);
    }

    #[test]
    fn stakeholder_spellings() {
        assert_eq!(
            StakeholderGroup::parse("Intergovernmental Organisation"),
            Some(StakeholderGroup::IntergovernmentalOrganisation)
        );
        assert_eq!(
            StakeholderGroup::parse("private-sector"),
            Some(StakeholderGroup::PrivateSector)
        );
        assert_eq!(StakeholderGroup::parse("Deutsche Telekom"), None);
    }

    #[test]
    fn kind_names_from_the_archive() {
        assert_eq!(Kind::from_name("session_report"), Some(Kind::Report));
        assert_eq!(Kind::from_name("messages"), Some(Kind::Message));
        assert_eq!(Kind::from_name("track_definition"), Some(Kind::Other));
        assert_eq!(Kind::from_name("DC output"), Some(Kind::DcOutput));
        assert_eq!(Kind::from_name("poem"), None);
    }

    #[test]
    fn document_round_trips_unknown_fields() {
        let json =
            r#"{"id":"a","kind":"proposal","title":"T","text":"x","ws_number":12,"note":"n"}"#;
        let d: Document = serde_json::from_str(json).unwrap();
        assert_eq!(d.extra["ws_number"], 12);
        let back = serde_json::to_string(&d).unwrap();
        assert!(back.contains(r#""ws_number":12"#) && back.contains(r#""note":"n""#));
    }

    #[test]
    fn sections_found_in_the_text_become_slices_of_it() {
        let text = "IGF 2025 WS #1 T\n\nDescription:\nSame words.\n\nOutcomes\nSame words.";
        let mut d = Document::new("a", Kind::Proposal, text);
        for (name, body) in [
            ("description", "Same words."),
            ("expected outcomes", "Same words."),
            ("format", "Not in the text."),
        ] {
            d.sections.push(Section {
                name: name.into(),
                text: body.into(),
            });
        }
        let before = serde_json::to_string(&d).unwrap();
        d.share_section_texts();
        let shared = |k: usize| ArcStr::ptr_eq(d.sections[k].text.parent(), &d.text);
        assert!(shared(0) && shared(1) && !shared(2));
        // The second section is the second occurrence, after the first section.
        let first = text.find("Same words.").unwrap();
        assert_eq!(d.sections[0].text.range(), first..first + 11);
        assert_eq!(d.sections[1].text.range(), text.len() - 11..text.len());
        assert_eq!(serde_json::to_string(&d).unwrap(), before);
        // Idempotent, and read back from JSON the same.
        d.share_section_texts();
        assert_eq!(d.sections[1].text.range(), text.len() - 11..text.len());
        let mut back: Document = serde_json::from_str(&before).unwrap();
        back.share_section_texts();
        assert_eq!(back, d);
    }
}

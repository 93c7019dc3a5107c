//! A small corpus of two questions: a point made in three sessions, a disagreement inside a
//! session and two sessions arguing against each other; also used by the drafting tests.

use std::path::Path;

use super::*;
use crate::model::Person;

pub(crate) fn questions() -> PolicyQuestions {
    PolicyQuestions::parse(
        r#"
year = 2026
[[tracks]]
id = "access"
name = "Access"
[[tracks.questions]]
id = "access-1"
text = "How can community networks, spectrum and universal service funds connect rural villages?"
keywords = ["community networks", "spectrum", "licence", "universal service fund"]
[[tracks]]
id = "data"
name = "Data"
[[tracks.questions]]
id = "data-1"
text = "How should cross-border data flows and data localisation be governed?"
keywords = ["data localisation", "data flows", "sovereignty"]
"#,
        Path::new("q.toml"),
    )
    .unwrap()
}

fn doc(id: &str, kind: Kind, session: Option<&str>, people: &[&str], text: &str) -> Document {
    let mut d = Document::new(id, kind, text);
    d.year = Some(2026);
    d.language = Some("en".into());
    d.session = session.map(str::to_string);
    d.speakers = people.iter().map(|p| Person::parse(p)).collect();
    d
}

pub(crate) fn corpus() -> Vec<Document> {
    let access = "Community networks connect rural villages with spectrum licences and universal service funds.";
    let data = "Cross-border data flows, data localisation and sovereignty shape the data economy.";
    let mut docs = Vec::new();
    for (n, topic) in [
        (1, access),
        (2, access),
        (3, access),
        (4, data),
        (5, data),
        (6, data),
    ] {
        docs.push(doc(
            &format!("ws-{n}"),
            Kind::Proposal,
            None,
            &[
                "Irena Kovačević, Civic Code Lab",
                "Ana Ruiz, Government, GRULAC",
            ],
            &format!("{topic} The session discusses {topic}"),
        ));
    }
    let cs = "Civil Society, African Group";
    let gov = "Government, WEOG";
    let tc = "Technical Community, Asia-Pacific Group";
    docs.push(doc("tk-1", Kind::Takeaway, Some("ws-1"), &[cs, gov], "1. Participants agreed that a community network licence with nominal fees is the most useful step a regulator can take for rural villages.\n2. Views differed on universal service funds: some argued that the funds should finance community networks directly, while others warned that large tenders for licensed operators deliver more coverage."));
    docs.push(doc("tk-2", Kind::Takeaway, Some("ws-2"), &[tc, gov], "1. There was broad agreement that a community network licence with nominal fees would help rural villages more than any other step a regulator can take.\n2. Irena Kovačević of the Civic Code Lab stressed that spectrum sharing helps rural schools and clinics."));
    docs.push(doc("tk-3", Kind::Takeaway, Some("ws-3"), &[cs, tc], "1. Speakers agreed that regulators should create a community network licence with nominal fees for rural villages.\n2. Spectrum left idle in rural areas should be opened to schools on a licence-exempt basis."));
    docs.push(doc("tk-4", Kind::Takeaway, Some("ws-4"), &[gov], "1. Government speakers argued that data localisation of sensitive public data is a legitimate protection of sovereignty.\n2. Cross-border data flows need trusted rules for small firms."));
    docs.push(doc("tk-5", Kind::Takeaway, Some("ws-5"), &[tc], "1. Technical speakers warned that data localisation mandates fragment the Internet and weaken security.\n2. Cross-border data flows need interoperable rules between countries."));
    docs.push(doc("tk-6", Kind::Takeaway, Some("ws-6"), &[cs], "1. Participants noted that electronic waste from discarded phones pollutes rivers near recycling sites."));
    docs
}

fn fit(params: ConvergeParams) -> Converged {
    params
        .check()
        .unwrap()
        .fit(&corpus(), &questions())
        .unwrap()
}

fn params() -> ConvergeParams {
    ConvergeParams::new()
        .year(Some(2026))
        .threshold(0.1)
        .direct(1.0)
        .divergence_threshold(0.0)
        .dims(8)
}

fn point_with<'a>(c: &'a Converged, statement: &str) -> &'a Point {
    c.convergence
        .points
        .iter()
        .find(|p| p.statements.iter().any(|s| s.id == statement))
        .unwrap_or_else(|| panic!("no point holds {statement}"))
}

#[test]
fn a_point_made_in_three_sessions_converges() {
    let c = fit(params());
    let p = point_with(&c, "tk-1#1");
    assert_eq!(p.class, Class::Converging, "{p:#?}");
    assert_eq!(p.policy_question, "access-1");
    assert_eq!(p.track, "access");
    assert_eq!(p.support.sessions, ["ws-1", "ws-2", "ws-3"]);
    assert!(p.support.stakeholder_groups.len() >= 2);
    assert!(p.statements.iter().any(|s| s.id == "tk-3#1"));
}

#[test]
fn disagreements_inside_and_across_sessions() {
    let c = fit(params());
    let within = point_with(&c, "tk-1#2");
    assert_eq!(within.class, Class::Diverging);
    assert!(within.divergence.is_some_and(|d| d.within_session));
    assert_eq!(within.sides.len(), 2);
    let across = point_with(&c, "tk-4#1");
    assert_eq!(across.class, Class::Diverging, "{across:#?}");
    assert!(across.divergence.is_some_and(|d| d.across_sessions));
    assert!(across.statements.iter().any(|s| s.id == "tk-5#1"));
    assert_eq!(across.sides.len(), 2);
    assert_ne!(across.sides[0].sessions, across.sides[1].sessions);
}

#[test]
fn one_session_is_emerging_and_names_are_gone() {
    let c = fit(params());
    assert_eq!(point_with(&c, "tk-6#1").class, Class::Emerging);
    for s in &c.statements {
        assert!(
            !s.text.contains("Kovačević") && !s.text.contains("Civic Code"),
            "{}",
            s.text
        );
    }
    let s = c.statements.iter().find(|s| s.id == "tk-2#2").unwrap();
    assert_eq!(s.text, "Spectrum sharing helps rural schools and clinics.");
    assert!(c.statements.iter().all(|s| s.policy_question.is_some()));
}

#[test]
fn fits_are_deterministic() {
    let a = fit(params());
    let b = fit(params());
    assert_eq!(a.convergence, b.convergence);
    assert_eq!(
        serde_json::to_string(&a.convergence).unwrap(),
        serde_json::to_string(&b.convergence).unwrap()
    );
}

#[test]
fn no_outcome_documents_is_an_error() {
    let docs: Vec<Document> = corpus()
        .into_iter()
        .filter(|d| d.kind == Kind::Proposal)
        .collect();
    let err = params()
        .check()
        .unwrap()
        .fit(&docs, &questions())
        .unwrap_err();
    assert!(
        matches!(err, crate::Error::Converge(ConvergeError::NoStatements(_))),
        "{err}"
    );
}

#[test]
fn alpha_and_direct_must_be_weights() {
    assert!(ConvergeParams::new().alpha(1.5).check().is_err());
    assert!(ConvergeParams::new().direct(-0.1).check().is_err());
}

#[test]
fn thresholds_must_be_similarities() {
    assert!(ConvergeParams::new().threshold(2.0).check().is_err());
    assert!(
        ConvergeParams::new()
            .divergence_threshold(-1.5)
            .check()
            .is_err()
    );
}

#[test]
fn a_converging_point_needs_two_sessions_and_a_group() {
    assert!(ConvergeParams::new().min_sessions(1).check().is_err());
    assert!(ConvergeParams::new().min_groups(0).check().is_err());
}

#[test]
fn kinds_and_dims_cannot_be_empty() {
    assert!(ConvergeParams::new().kinds(Vec::new()).check().is_err());
    assert!(ConvergeParams::new().dims(0).check().is_err());
    assert!(ConvergeParams::new().check().is_ok());
}

#[test]
fn autotraits() {
    fn has<T: Send + Sync + Clone + std::fmt::Debug>() {}
    has::<ConvergeParams>();
    has::<ConvergeValidParams>();
    has::<Converged>();
}

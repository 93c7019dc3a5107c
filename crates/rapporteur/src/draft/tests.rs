//! Drafting on the small corpus of the convergence tests.

use super::*;
use crate::converge::tests::{corpus, questions};
use crate::converge::{ConvergeParams, Converged};

fn docs() -> Vec<Document> {
    let mut docs = corpus();
    let mut dc = Document::new(
        "dc-1",
        Kind::DcOutput,
        "The Dynamic Coalition on Community Connectivity brings together operators and researchers.\n1. Licences. Regulators should create a community network licence with nominal fees for rural villages.\n2. Funds. Universal service funds should finance community networks and their running costs.\n3. Spectrum. Idle spectrum should be opened to schools and clinics on a licence-exempt basis.",
    );
    dc.year = Some(2026);
    dc.language = Some("en".into());
    dc.title = "Dynamic Coalition on Community Connectivity — Recommendations".into();
    docs.push(dc);
    docs
}

fn converged() -> Converged {
    ConvergeParams::new()
        .year(Some(2026))
        .threshold(0.1)
        .direct(1.0)
        .divergence_threshold(0.0)
        .dims(8)
        .check()
        .unwrap()
        .fit(&docs(), &questions())
        .unwrap()
}

fn all(m: &Messages) -> Vec<&Message> {
    m.tracks
        .iter()
        .flat_map(|t| &t.questions)
        .flat_map(|q| &q.messages)
        .collect()
}

#[test]
fn messages_are_extractive_traceable_and_within_the_limit() {
    let c = converged();
    let m = DraftParams::new()
        .check()
        .unwrap()
        .messages(&c, &questions());
    assert_eq!(m.tracks.len(), 2);
    assert!(m.violations.is_empty(), "{:#?}", m.violations);
    let docs = docs();
    for msg in all(&m) {
        assert!(msg.words <= 60 && msg.words == words(&msg.text), "{msg:#?}");
        assert!(!msg.sources.is_empty() && !msg.extracts.is_empty());
        for e in &msg.extracts {
            let d = docs.iter().find(|d| d.id == e.doc).unwrap();
            assert_eq!(
                c.names.without_people(&d.text[e.span[0]..e.span[1]]),
                e.quote
            );
        }
        if msg.class == Class::Diverging {
            assert!(stance::reports_divergence(&msg.text), "{}", msg.text);
        }
    }
    let access = &m.tracks[0].questions[0];
    assert!((1..=7).contains(&access.messages.len()));
    assert_eq!(access.messages[0].class, Class::Converging, "{access:#?}");
    assert!(
        access.messages[0]
            .actionable_by
            .contains(&"regulators".to_string()),
        "{:?}",
        access.messages[0].actionable_by
    );
}

#[test]
fn a_disagreement_across_sessions_names_both_sides() {
    let c = converged();
    let m = DraftParams::new()
        .check()
        .unwrap()
        .messages(&c, &questions());
    let across = all(&m)
        .into_iter()
        .find(|msg| msg.sides.len() == 2)
        .expect("a message with two sides");
    assert!(across.text.starts_with("Views differed"), "{}", across.text);
    assert!(
        across.sources.contains(&"tk-4".to_string())
            && across.sources.contains(&"tk-5".to_string())
    );
    assert_ne!(across.sides[0].sources, across.sides[1].sources);
}

#[test]
fn a_shorter_limit_is_respected_and_drafts_are_deterministic() {
    let c = converged();
    let p = DraftParams::new().max_words(25).check().unwrap();
    let m = p.messages(&c, &questions());
    assert!(all(&m).iter().all(|msg| msg.words <= 25), "{m:#?}");
    assert_eq!(m, p.messages(&c, &questions()));
}

#[test]
fn booklet_summarises_each_output_by_track() {
    let c = converged();
    let b = DraftParams::new()
        .check()
        .unwrap()
        .booklet(&c, &docs(), &questions());
    assert!(b.violations.is_empty(), "{:#?}", b.violations);
    assert_eq!(b.tracks.len(), 1);
    assert_eq!(b.tracks[0].track, "access");
    let e = &b.tracks[0].outputs[0];
    assert_eq!(e.doc, "dc-1");
    assert!(e.words <= 80 && e.words > 10, "{e:#?}");
    assert!(
        !e.summary.contains("brings together"),
        "self-description is left out"
    );
}

#[test]
fn the_checker_finds_each_kind_of_violation_with_its_line() {
    let c = converged();
    let docs = docs();
    let checker = Checker::new(&c, docs.iter().map(|d| d.id.clone()), 20);
    let md = "# Draft\n\n## Access\n\n\
- Regulators should create a community network licence with nominal fees.[^1]\n\
- Irena Kovačević said spectrum sharing helps rural schools.[^2]\n\
- Universal service funds should finance community networks directly, and everyone agreed on it.[^3]\n\
- A message nobody can trace to any session at all.\n\
- Licences should be cheap, as one session and then another and another and another and yet another said at very great length today.[^1]\n\
- Spectrum sharing helps schools (ws-99#1).[^4]\n\n\
[^1]: tk-1#1\n[^2]: tk-2#2\n[^3]: tk-1#2\n[^4]: a note without a source\n";
    let (n, v) = checker.check_markdown(md);
    assert_eq!(n, 6);
    let found: Vec<(Option<usize>, Rule)> = v.iter().map(|x| (x.line, x.rule)).collect();
    assert!(found.contains(&(Some(6), Rule::Name)), "{v:#?}");
    assert!(
        found.contains(&(Some(7), Rule::DivergingAsConsensus)),
        "{v:#?}"
    );
    assert!(found.contains(&(Some(8), Rule::NoSource)), "{v:#?}");
    assert!(found.contains(&(Some(9), Rule::Length)), "{v:#?}");
    assert!(found.contains(&(Some(10), Rule::UnknownSource)), "{v:#?}");
    assert!(!found.iter().any(|(line, _)| *line == Some(5)), "{v:#?}");
}

#[test]
fn limits_must_leave_room_for_both_sides() {
    assert!(DraftParams::new().max_words(10).check().is_err());
    assert!(DraftParams::new().booklet_words(5).check().is_err());
}

#[test]
fn message_counts_must_be_ordered() {
    assert!(DraftParams::new().min_messages(0).check().is_err());
    assert!(
        DraftParams::new()
            .min_messages(8)
            .max_messages(7)
            .check()
            .is_err()
    );
}

#[test]
fn weights_must_be_in_the_unit_interval() {
    assert!(DraftParams::new().lambda(1.5).check().is_err());
    assert!(DraftParams::new().redundancy(-0.5).check().is_err());
    assert!(DraftParams::new().check().is_ok());
}

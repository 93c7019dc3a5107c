use serde_json::json;

use super::*;
use crate::model::{Kind, Person, Section};

const STOCK: &str = "The Harbour Institute is an independent research centre founded in 2001 that \
    works on technology and society through fellowships and regional hubs in three continents.";

/// A proposal in the form: title, people, a question and a description.
fn proposal(
    id: &str,
    year: u16,
    title: &str,
    question: &str,
    description: &str,
    people: &[&str],
) -> Document {
    let mut d = Document::new(
        id,
        Kind::Proposal,
        format!("{title}\n{question}\n{description}"),
    );
    d.year = Some(year);
    d.title = title.into();
    d.language = Some("en".into());
    d.speakers = people.iter().map(|p| Person::parse(p)).collect();
    d.policy_questions = vec![question.into()];
    d.sections = vec![
        Section {
            name: "policy question(s)".into(),
            text: question.into(),
        },
        Section {
            name: "description".into(),
            text: description.into(),
        },
    ];
    d
}

/// Ten proposals of 2026 on different topics, some pasting the same stock paragraph, plus a
/// near-verbatim second version of the first and a paraphrase of the second.
fn call() -> Vec<Document> {
    let topics = [
        (
            "Spectrum for village networks",
            "How can spectrum rules let villages build their own networks?",
            "Community networks in rural villages need affordable spectrum licences. Regulators rarely reserve frequencies for small operators. Cooperatives run towers with solar power and local volunteers. We compare licensing reforms in three countries and their effect on rural prices.",
        ),
        (
            "Age checks and children's privacy",
            "Can age assurance protect children without identity databases?",
            "Online safety laws require platforms to verify the age of users. Facial age estimation and document uploads collect sensitive data about minors. Privacy regulators warn about biometric databases held by vendors. The panel tests privacy-preserving tokens issued by trusted third parties.",
        ),
        (
            "Submarine cables and maintenance vessels",
            "Who pays when damaged submarine cables must be restored?",
            "Most international traffic crosses undersea cables. Maintenance vessels are few and old, and outages isolate small islands for weeks. Insurance and shared maintenance agreements could shorten outages. Operators and island governments discuss a regional restoration fund.",
        ),
        (
            "Election deepfakes and platform labels",
            "Should platforms label synthetic media during elections?",
            "Generative tools make convincing fake videos of candidates. Electoral commissions lack rules for synthetic media. Labels and provenance standards are uneven across platforms. Fact-checkers share evidence from recent national elections.",
        ),
        (
            "E-waste and the right to repair",
            "How can repair rules reduce electronic waste in the Global South?",
            "Discarded phones travel to informal recyclers who burn cables for copper. Right-to-repair laws require manufacturers to sell spare parts and manuals. Software locks still prevent independent repair shops from fixing devices. Repair cooperatives describe their work in two cities.",
        ),
        (
            "Data trusts for city sensors",
            "Who should govern the data collected by urban sensors?",
            "Cities install sensors that count pedestrians, cars and air pollution. Residents rarely know who holds the data or how it is used. A data trust could hold it on their behalf under a public charter. Three municipal pilots report on governance and funding.",
        ),
    ];
    let mut docs: Vec<Document> = topics
        .iter()
        .enumerate()
        .map(|(i, (t, q, d))| {
            let d = if i >= 2 {
                format!("{d} {STOCK}")
            } else {
                (*d).to_string()
            };
            proposal(
                &format!("ws-{i}"),
                2026,
                t,
                q,
                &d,
                &[
                    &format!("Person {i} Alpha, Civil Society, African Group"),
                    &format!("Person {i} Beta, Government, WEOG"),
                ],
            )
        })
        .collect();
    // A second version of ws-0: same team, most sentences kept.
    docs.push(proposal(
        "ws-10",
        2026,
        "Spectrum for village networks: licensing reform",
        "How can spectrum rules let villages build their own networks?",
        "Community networks in rural villages need affordable spectrum licences. Regulators rarely reserve frequencies for small operators. Cooperatives run towers with solar power and local volunteers. We now compare licensing reforms in four countries and their effect on rural prices.",
        &["Person 0 Alpha, Civil Society, African Group", "Person 0 Beta, Government, WEOG"],
    ));
    // A paraphrase of ws-1 by another team.
    docs.push(proposal(
        "ws-11",
        2026,
        "Proving age online without surveillance",
        "How can children's privacy survive age verification laws?",
        "New laws oblige social media platforms to check the age of every user. Uploading identity documents or facial age estimation exposes children's data to vendors. Privacy regulators are worried about biometric databases. We discuss tokens from trusted third parties that prove age privately.",
        &["Someone Else, Private Sector, Asia-Pacific Group", "Another Person, Technical Community, GRULAC"],
    ));
    docs
}

fn params() -> ScreenValidParams {
    ScreenParams::new().check().unwrap()
}

fn find<'r>(r: &'r Screening, a: &str, b: &str) -> Option<&'r ScreenPair<'r>> {
    r.pairs
        .iter()
        .find(|p| (p.a == a && p.b == b) || (p.a == b && p.b == a))
}

#[test]
fn versions_and_paraphrases_are_flagged_and_stock_text_is_not() {
    let docs = call();
    let r = screen(&docs, &[], &params()).unwrap();
    let version = find(&r, "ws-0", "ws-10").expect("the second version is flagged");
    assert_eq!(version.class, Some(PairClass::SameProposal));
    assert!(version.signals.shared_text > 0.5, "{:?}", version.signals);
    assert_eq!(version.shared_people.len(), 2);
    assert!(!version.evidence.is_empty() && version.evidence[0].similarity > 0.8);
    let paraphrase = find(&r, "ws-1", "ws-11").expect("the paraphrase is flagged");
    assert!(
        paraphrase
            .class
            .is_some_and(|c| c < PairClass::SameProposal)
    );
    assert!(paraphrase.shared_people.is_empty());
    for p in &r.pairs {
        assert!(
            !(&*p.a >= "ws-2" && &*p.a <= "ws-5" && &*p.b >= "ws-2" && &*p.b <= "ws-5"),
            "stock text made a pair: {} {} {:?}",
            p.a,
            p.b,
            p.signals
        );
    }
    assert_eq!(r.pairs[0].a, "ws-0", "the version ranks first");
    assert_eq!(
        r.groups,
        [["ws-0", "ws-10"], ["ws-1", "ws-11"]].map(|g| g.map(String::from).to_vec())
    );
    assert_eq!(r.documents, 8);
    assert_eq!(r.diversity.len(), 8);
    assert!(r.diversity.iter().all(|d| d.flag.is_none()));
}

#[test]
fn screening_is_deterministic_and_serialisable() {
    let (first, second) = (call(), call());
    let a = screen(&first, &[], &params()).unwrap();
    let b = screen(&second, &[], &params()).unwrap();
    assert_eq!(a, b);
    let json = serde_json::to_value(&a).unwrap();
    for key in ["pairs", "groups", "by_question", "diversity", "params"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    let pair = &json["pairs"][0];
    for key in [
        "a",
        "b",
        "score",
        "class",
        "signals",
        "evidence",
        "shared_people",
    ] {
        assert!(pair.get(key).is_some(), "{key}");
    }
    assert!(pair["evidence"][0].get("a_text").is_some());
    assert_eq!(
        json["params"]["thresholds"]["related"],
        json!(CALIBRATED_THRESHOLDS.related)
    );
}

#[test]
fn against_earlier_years_pairs_across_years_only() {
    let mut docs = call();
    docs.truncate(6);
    // Last year's version of ws-0, submitted twice.
    let earlier: Vec<Document> = ["old-0", "old-1"]
        .iter()
        .map(|id| {
            let mut d = call().remove(6);
            d.id = (*id).into();
            d.year = Some(2025);
            d
        })
        .collect();
    let r = screen(&docs, &earlier, &params()).unwrap();
    assert_eq!(r.earlier_documents, 2);
    let resubmission = find(&r, "ws-0", "old-0").expect("the resubmission is flagged");
    assert_eq!(resubmission.class, Some(PairClass::SameProposal));
    assert_eq!(resubmission.b_year, Some(2025));
    assert!(
        find(&r, "old-0", "old-1").is_none(),
        "no pairs among earlier documents"
    );
    assert!(
        r.groups.is_empty(),
        "groups hold documents of the screened year only"
    );
    assert_eq!(r.diversity.len(), docs.len());
}

#[test]
fn menu_questions_do_not_make_a_pair() {
    let menu =
        "What is needed to ensure that data governance frameworks are effective and trusted?";
    let mut docs = call();
    for i in [2, 3] {
        docs[i].policy_questions.push(menu.into());
        docs[i].sections.push(Section {
            name: "policy question(s)".into(),
            text: menu.into(),
        });
    }
    let r = screen(&docs, &[], &params()).unwrap();
    assert!(find(&r, "ws-2", "ws-3").is_none());
    let s = params().fit(&docs, &[]).unwrap();
    let p = s.pair(2, 3);
    assert!(p.signals.same_question, "reported");
    assert!(
        p.evidence
            .iter()
            .all(|e| !e.a_text.contains("data governance frameworks")),
        "menu text is never evidence: {:?}",
        p.evidence
    );
}

#[test]
fn min_class_filters_and_classes_follow_thresholds() {
    let strong = ScreenParams::new()
        .min_class(PairClass::SameProposal)
        .check()
        .unwrap();
    let docs = call();
    let r = screen(&docs, &[], &strong).unwrap();
    assert!(
        r.pairs
            .iter()
            .all(|p| p.class == Some(PairClass::SameProposal))
    );
    assert_eq!(r.pairs.len(), 1);
    let t = CALIBRATED_THRESHOLDS;
    let s = params().fit(&call(), &[]).unwrap().pair(0, 6).signals;
    let none = Signals {
        shared_text: 0.0,
        title: 0.0,
        ..s.clone()
    };
    assert_eq!(t.class(t.related - 0.01, &s), None);
    assert_eq!(t.class(t.related, &s), Some(PairClass::SameProposal));
    assert_eq!(t.class(t.related, &none), Some(PairClass::Related));
    assert_eq!(
        t.class(t.strong_overlap, &none),
        Some(PairClass::StrongOverlap)
    );
    let same_page = Signals {
        title: 1.0,
        people: 1.0,
        ..none.clone()
    };
    assert_eq!(
        t.class(t.related, &same_page),
        Some(PairClass::SameProposal)
    );
}

#[test]
fn scores_stay_in_range_and_people_only_lift_similar_pairs() {
    let w = CALIBRATED_WEIGHTS;
    let s = params().fit(&call(), &[]).unwrap().pair(0, 6).signals;
    let unrelated = Signals {
        topic: 0.0,
        title: 0.0,
        policy_questions: 0.0,
        shared_text: 0.0,
        people: 1.0,
        ..s.clone()
    };
    assert_eq!(
        w.score(&unrelated),
        0.0,
        "a shared team alone is not an overlap"
    );
    let alone = Signals {
        people: 0.0,
        organisations: 0.0,
        ..s.clone()
    };
    assert!(w.score(&s) > w.score(&alone));
    let all = Signals {
        topic: 1.0,
        title: 1.0,
        policy_questions: 1.0,
        shared_text: 1.0,
        people: 1.0,
        ..s
    };
    assert!((w.score(&all) - 1.0).abs() < 1e-6);
}

#[test]
fn invalid_params_are_refused() {
    let bad = |p: ScreenParams| assert!(p.check().is_err());
    bad(ScreenParams::new().shingle(0));
    bad(ScreenParams::new().dims(0));
    bad(ScreenParams::new().bands(0, 3));
    bad(ScreenParams::new().bands(10, 0));
    bad(ScreenParams::new().max_bucket(1));
    bad(ScreenParams::new().menu_weight(1.5));
    bad(ScreenParams::new().verbatim(-0.1));
    bad(ScreenParams::new().evidence(3, 2.0));
    bad(ScreenParams::new().min_neighbour_cosine(1.5));
    bad(ScreenParams::new().weights(Weights {
        topic: 0.0,
        policy_questions: 0.0,
        title: 0.0,
        shared_text: 0.0,
        people: 0.0,
    }));
    bad(ScreenParams::new().weights(Weights {
        topic: -1.0,
        ..CALIBRATED_WEIGHTS
    }));
    bad(ScreenParams::new().weights(Weights {
        people: 2.0,
        ..CALIBRATED_WEIGHTS
    }));
    bad(ScreenParams::new().thresholds(Thresholds {
        related: 0.5,
        strong_overlap: 0.4,
        ..CALIBRATED_THRESHOLDS
    }));
    bad(ScreenParams::new().thresholds(Thresholds {
        related: 0.0,
        ..CALIBRATED_THRESHOLDS
    }));
    bad(ScreenParams::new().thresholds(Thresholds {
        same_team: 1.5,
        ..CALIBRATED_THRESHOLDS
    }));
    assert!(ScreenParams::new().check().is_ok());
}

#[test]
fn nothing_to_screen_is_an_error() {
    assert_eq!(
        params().fit(&[], &call()).unwrap_err(),
        ScreenError::NoDocuments
    );
    let one = &call()[..1];
    let r = screen(one, &[], &params()).unwrap();
    assert!(r.pairs.is_empty() && r.groups.is_empty());
}

#[test]
fn names_are_normalised() {
    assert_eq!(normalise_name("  José  Pérez-Li "), "jose perez li");
    assert_eq!(normalise_name("NIC.br"), "nic br");
    // The ASCII fast path gives what the Unicode path gives.
    for s in [
        "  Dr. Ana  O'Neil-Smith, PhD ",
        "How can\tcross-border data flows (CBDF) be governed?",
        "ICANN/GAC 2026: ccTLD #3",
        "",
        " - ",
    ] {
        assert_eq!(normalise_name(s), normalise_unicode(s), "{s:?}");
    }
}

#[test]
fn components_join_chains() {
    let g = components(6, [(0, 1), (1, 2), (4, 5)].into_iter());
    assert_eq!(g, vec![vec![0, 1, 2], vec![4, 5]]);
}

#[test]
fn a_proposal_resubmitted_every_year_is_still_the_same_proposal() {
    let docs: Vec<Document> = call().into_iter().take(6).collect();
    let earlier: Vec<Document> = (2022..2026)
        .map(|y| {
            let mut d = call().remove(6);
            d.id = format!("old-{y}");
            d.year = Some(y);
            d
        })
        .collect();
    let r = screen(&docs, &earlier, &params()).unwrap();
    for y in 2022..2026 {
        let p = find(&r, "ws-0", &format!("old-{y}")).expect("every earlier copy is flagged");
        assert_eq!(p.class, Some(PairClass::SameProposal), "{:?}", p.signals);
    }
}

#[test]
fn teams_are_documents_by_the_same_people() {
    let mut docs = call();
    // ws-2 shares one speaker with ws-0: not the same team; ws-10 is ws-0's team.
    docs[2].speakers.push(Person::parse(
        "Person 0 Alpha, Civil Society, African Group",
    ));
    let people: Vec<People> = docs.iter().map(people_of).collect();
    let t = teams(&people);
    assert_eq!(t[0], t[6], "ws-0 and its version");
    assert_ne!(t[0], t[2]);
    assert_ne!(t[1], t[7], "the paraphrase is by another team");
}

#[test]
fn merge_candidates_are_grouped_per_policy_question() {
    use crate::cluster::{ClusterParams, cluster_documents};
    use crate::questions::PolicyQuestions;
    let docs = call();
    let questions = PolicyQuestions::parse(
        r#"
year = 2026
[[tracks]]
id = "access"
name = "Universal Access"
[[tracks.questions]]
id = "access-1"
text = "How can spectrum licensing let rural villages and cooperatives build community networks?"
keywords = ["spectrum", "community networks", "rural villages"]
[[tracks]]
id = "safety"
name = "Children Online"
[[tracks.questions]]
id = "safety-1"
text = "How can age verification and age assurance protect children's privacy online?"
keywords = ["age assurance", "children", "privacy"]
"#,
        std::path::Path::new("q.toml"),
    )
    .unwrap();
    let clustering = cluster_documents(
        &docs,
        Some(&questions),
        &crate::vectors::VectorParams::new().dims(4).check().unwrap(),
        &ClusterParams::new().check().unwrap(),
    )
    .unwrap();
    let r = screen(&docs, &[], &params()).unwrap();
    let by = r.group_by_question(&clustering);
    let groups_of = |id: &str| {
        by.clusters
            .iter()
            .find(|c| c.cluster == id)
            .map(|c| c.groups.clone())
            .unwrap_or_default()
    };
    assert_eq!(groups_of("access-1"), vec![vec!["ws-0", "ws-10"]]);
    assert_eq!(groups_of("safety-1"), vec![vec!["ws-1", "ws-11"]]);
    let placement = by.placement();
    let placed: Vec<(&str, usize)> = placement
        .groups_with("ws-10", "ws-0")
        .into_iter()
        .map(|(c, n)| (c.cluster.as_str(), n))
        .collect();
    assert_eq!(placed, [("access-1", 1)]);
    assert!(placement.groups_with("ws-0", "ws-1").is_empty());
    // Every group lies within its cluster, and every strong link of the call is in a group
    // of a cluster holding both ends, or listed as across questions.
    for qg in &by.clusters {
        let c = clustering
            .clusters
            .iter()
            .find(|c| c.id == qg.cluster)
            .unwrap();
        for id in qg.groups.iter().flatten() {
            assert!(c.members.iter().any(|m| &m.id == id), "{id} in {}", c.id);
        }
    }
    for p in r
        .pairs
        .iter()
        .filter(|p| p.class >= Some(PairClass::StrongOverlap))
    {
        let within = !placement.groups_with(&p.a, &p.b).is_empty();
        let across = by.across.contains(&[p.a.to_string(), p.b.to_string()]);
        assert!(
            within != across,
            "{} {}: within {within}, across {across}",
            p.a,
            p.b
        );
    }
}

#[test]
fn a_strong_link_between_two_questions_is_reported_across() {
    use crate::cluster::{Assignment, Cluster, ClusterParams, Clustering, Member};
    let docs = call();
    let r = screen(&docs, &[], &params()).unwrap();
    assert_eq!(
        find(&r, "ws-0", "ws-10").unwrap().class,
        Some(PairClass::SameProposal)
    );
    // ws-0 and its second version filed under two different questions.
    let cluster = |id: &str, member: &str| Cluster {
        id: id.into(),
        policy_question: Some(format!("{id}?")),
        track: None,
        label: id.into(),
        terms: Vec::new(),
        size: 1,
        central: Some(member.into()),
        members: vec![Member {
            id: member.into(),
            score: 0.5,
        }],
        composition: Default::default(),
        years: BTreeMap::new(),
    };
    let assignment = |id: &str, q: &str| Assignment {
        id: id.into(),
        title: id.into(),
        cluster: Some(q.into()),
        policy_questions: vec![q.into()],
        score: 0.5,
    };
    let clustering = Clustering {
        clusters: vec![cluster("q-1", "ws-0"), cluster("q-2", "ws-10")],
        unassigned: Vec::new(),
        assignments: vec![assignment("ws-0", "q-1"), assignment("ws-10", "q-2")],
        focus: None,
        k_choice: None,
        map: Vec::new(),
        params: ClusterParams::new(),
    };
    let by = r.group_by_question(&clustering);
    assert!(by.clusters.is_empty());
    assert_eq!(by.across, vec![["ws-0".to_string(), "ws-10".to_string()]]);
}

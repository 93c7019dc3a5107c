//! Scoring a clustering against gold labels.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Labels;
use super::metrics::{PartitionScores, PrecisionRecall, partition_scores};
use crate::cluster::Clustering;

/// How a clustering agrees with the labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterEval {
    /// Documents clustered.
    pub documents: usize,
    /// Documents that have a label (the ones scored).
    pub scored: usize,
    /// Main cluster against the main label (first question, or `emergent:<theme>`).
    pub partition: PartitionScores,
    /// Per question: is the document placed on the question (any of its questions) when the
    /// labels say it answers it (any of its questions)?
    pub per_question: BTreeMap<String, PrecisionRecall>,
    /// All questions pooled (micro average).
    pub questions_micro: PrecisionRecall,
    /// Emergent detection: placed on no question, when labelled with no question.
    pub emergent: PrecisionRecall,
}

/// Scores `clustering` against `labels`; documents without a label are not scored.
pub fn evaluate(clustering: &Clustering, labels: &Labels) -> ClusterEval {
    let mut gold = Vec::new();
    let mut predicted = Vec::new();
    let mut per_question: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let (mut etp, mut efp, mut efn) = (0, 0, 0);
    for a in &clustering.assignments {
        let Some(label) = labels.documents.get(&a.id) else {
            continue;
        };
        gold.push(label.primary());
        predicted.push(a.cluster.clone().unwrap_or_else(|| "unassigned".into()));
        let mut named: Vec<&String> = label
            .policy_questions
            .iter()
            .chain(&a.policy_questions)
            .collect();
        named.sort();
        named.dedup();
        for q in named {
            let e = per_question.entry(q.clone()).or_default();
            match (
                label.policy_questions.contains(q),
                a.policy_questions.contains(q),
            ) {
                (true, true) => e.0 += 1,
                (false, true) => e.1 += 1,
                (true, false) => e.2 += 1,
                (false, false) => {}
            }
        }
        match (
            label.policy_questions.is_empty(),
            a.policy_questions.is_empty(),
        ) {
            (true, true) => etp += 1,
            (false, true) => efp += 1,
            (true, false) => efn += 1,
            (false, false) => {}
        }
    }
    let per_question: BTreeMap<String, PrecisionRecall> = per_question
        .into_iter()
        .map(|(q, (tp, fp, r#fn))| (q, PrecisionRecall::new(tp, fp, r#fn)))
        .collect();
    let (tp, fp, r#fn) = per_question.values().fold((0, 0, 0), |acc, pr| {
        (acc.0 + pr.tp, acc.1 + pr.fp, acc.2 + pr.r#fn)
    });
    ClusterEval {
        documents: clustering.assignments.len(),
        scored: gold.len(),
        partition: partition_scores(&gold, &predicted),
        per_question,
        questions_micro: PrecisionRecall::new(tp, fp, r#fn),
        emergent: PrecisionRecall::new(etp, efp, efn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Assignment, ClusterParams};
    use crate::eval::labels::DocLabel;

    fn assignment(id: &str, cluster: Option<&str>, qs: &[&str]) -> Assignment {
        Assignment {
            id: id.into(),
            title: String::new(),
            cluster: cluster.map(str::to_string),
            policy_questions: qs.iter().map(|q| q.to_string()).collect(),
            score: 0.5,
        }
    }

    #[test]
    fn counts_questions_and_emergent_detection() {
        let clustering = Clustering {
            clusters: Vec::new(),
            unassigned: Vec::new(),
            assignments: vec![
                assignment("a", Some("q1"), &["q1", "q2"]),
                assignment("b", Some("q2"), &["q2"]),
                assignment("c", Some("emergent-1"), &[]),
                assignment("d", Some("q1"), &["q1"]),
                assignment("unlabelled", Some("q1"), &["q1"]),
            ],
            focus: None,
            k_choice: None,
            map: Vec::new(),
            params: ClusterParams::new(),
        };
        let mut labels = Labels::default();
        let label = |qs: &[&str], emergent: Option<&str>| DocLabel {
            track: "t".into(),
            policy_questions: qs.iter().map(|q| q.to_string()).collect(),
            emergent: emergent.map(str::to_string),
        };
        labels.documents.insert("a".into(), label(&["q1"], None));
        labels.documents.insert("b".into(), label(&["q2"], None));
        labels.documents.insert("c".into(), label(&[], Some("env")));
        labels.documents.insert("d".into(), label(&[], Some("env")));
        let e = evaluate(&clustering, &labels);
        assert_eq!(e.scored, 4);
        let q1 = e.per_question["q1"];
        assert_eq!((q1.tp, q1.fp, q1.r#fn), (1, 1, 0));
        let q2 = e.per_question["q2"];
        assert_eq!((q2.tp, q2.fp, q2.r#fn), (1, 1, 0));
        assert_eq!((e.emergent.tp, e.emergent.fp, e.emergent.r#fn), (1, 0, 1));
    }
}

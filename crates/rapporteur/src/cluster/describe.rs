//! What a cluster is about and who is in it: class-based TF-IDF terms (as in BERTopic), the
//! most central member, and the composition of its members.

use std::collections::BTreeMap;

use ndarray::Array1;
use serde::Serialize;

use super::{Cluster, ClusterError, Member};
use crate::vectors::{Documents, Vectors};

/// Who and what the members of a cluster are.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Composition {
    /// Members with at least one organiser or speaker of each stakeholder group.
    pub stakeholder_groups: BTreeMap<String, usize>,
    /// Members with at least one organiser or speaker of each regional group.
    pub regions: BTreeMap<String, usize>,
    /// Members per kind.
    pub kinds: BTreeMap<String, usize>,
    /// Members per language.
    pub languages: BTreeMap<String, usize>,
}

/// Describes clusters of one clustering (the class-based weights depend on how many
/// clusters share the words).
pub(super) struct Describer<'a, D: ?Sized> {
    docs: &'a D,
    vectors: &'a Vectors,
    avg_words: f32,
    top: usize,
}

impl<'a, D: Documents + ?Sized> Describer<'a, D> {
    pub(super) fn new(docs: &'a D, vectors: &'a Vectors, clusters: usize, top: usize) -> Self {
        let words: f32 = vectors.term_totals.iter().sum();
        Describer {
            docs,
            vectors,
            avg_words: words / clusters.max(1) as f32,
            top,
        }
    }

    /// Describes the cluster of `members`. Scores are given (question clusters) or, when
    /// `None`, the cosine of each member to the members' centroid.
    pub(super) fn describe(
        &self,
        id: String,
        members: &[usize],
        scores: Option<&[f32]>,
    ) -> Result<Cluster, ClusterError> {
        let x = &self.vectors.lsa;
        let mut centroid = Array1::<f32>::zeros(x.ncols());
        for &j in members {
            centroid += &x.row(j);
        }
        let norm = centroid.dot(&centroid).sqrt();
        if norm > 0.0 {
            centroid /= norm;
        }
        let to_centroid: Vec<f32> = members.iter().map(|&j| x.row(j).dot(&centroid)).collect();
        let central = members
            .iter()
            .zip(&to_centroid)
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(&j, _)| self.docs.info(j).id.clone());
        let scores = scores.unwrap_or(&to_centroid);
        let mut list: Vec<Member> = members
            .iter()
            .zip(scores)
            .map(|(&j, &s)| Member {
                id: self.docs.info(j).id.clone(),
                score: (s * 1e4).round() / 1e4,
            })
            .collect();
        list.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));

        let terms = self.terms(members)?;
        let label = terms.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        let mut composition = Composition::default();
        let mut years = BTreeMap::new();
        for &j in members {
            let d = self.docs.info(j);
            for g in &d.stakeholder_groups {
                *composition
                    .stakeholder_groups
                    .entry(g.to_string())
                    .or_default() += 1;
            }
            for r in &d.regions {
                *composition.regions.entry(r.to_string()).or_default() += 1;
            }
            *composition.kinds.entry(d.kind.to_string()).or_default() += 1;
            let lang = d.language.clone().unwrap_or_else(|| "unknown".into());
            *composition.languages.entry(lang).or_default() += 1;
            let year = d.year.map_or_else(|| "unknown".into(), |y| y.to_string());
            *years.entry(year).or_default() += 1;
        }
        Ok(Cluster {
            id,
            policy_question: None,
            track: None,
            label,
            terms,
            size: members.len(),
            central,
            members: list,
            composition,
            years,
        })
    }

    /// c-TF-IDF: term count in the cluster (L1-normalised) × ln(1 + average words per
    /// cluster / the term's count in the whole corpus). A word already inside a chosen
    /// bigram is skipped.
    fn terms(&self, members: &[usize]) -> Result<Vec<String>, ClusterError> {
        // Dense sums: clusters of thousands of members touch most of the vocabulary.
        let mut tf = vec![0f32; self.vectors.term_totals.len()];
        for &j in members {
            if let Some(row) = self.vectors.counts.outer_view(j) {
                for (c, &v) in row.iter() {
                    tf[c] += v;
                }
            }
        }
        let total: f32 = tf.iter().sum();
        if total == 0.0 {
            return Ok(Vec::new());
        }
        let mut weighted: Vec<(usize, f32)> = tf
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0.0)
            .map(|(c, n)| {
                let w = n / total * (1.0 + self.avg_words / self.vectors.term_totals[c]).ln();
                (c, w)
            })
            .collect();
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut chosen: Vec<usize> = Vec::new();
        for (c, _) in weighted {
            if chosen.len() == self.top {
                break;
            }
            let term = self.vectors.term(c);
            let inside = chosen.iter().any(|&o| {
                let other = self.vectors.term(o);
                other.split(' ').any(|w| w == term) || term.split(' ').any(|w| w == other)
            });
            if !inside {
                chosen.push(c);
            }
        }
        // Spellings are read from a sample of members: enough to find the common one.
        let mut texts = Vec::new();
        for &j in members.iter().take(50) {
            self.docs
                .each(j..j + 1, &mut |_, text, analyzer| {
                    texts.push((text.to_string(), analyzer))
                })
                .map_err(|e| ClusterError::Texts(e.to_string()))?;
        }
        let surface = self.vectors.surface_forms(&texts, &chosen);
        Ok(chosen.iter().map(|c| surface[c].clone()).collect())
    }
}

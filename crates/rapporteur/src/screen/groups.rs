//! Merge candidates: proposals linked by strong overlaps, as connected groups, overall and per
//! policy question.
//!
//! A MAG member works through a call one policy question at a time, so the groups are also
//! given per question: [`Screening::group_by_question`] joins a screening with a
//! [`Clustering`] of the same proposals and, for each question (and each emergent theme),
//! links only the proposals placed on it. Two proposals that overlap strongly but share no
//! question are counted apart, since one of them may have been filed under the wrong question.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::{PairClass, ScreenPair, Screening};
use crate::cluster::Clustering;
use crate::model::Document;

/// The merge candidates of one policy question or emergent theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionGroups {
    /// The cluster: a question id, or an emergent theme (`emergent-<n>`, `theme-<n>`).
    pub cluster: String,
    /// Whether the cluster is a policy question's (else an emergent or unguided theme).
    pub is_question: bool,
    /// The question's track.
    pub track: Option<String>,
    /// The cluster's label (its top terms).
    pub label: String,
    /// Proposals placed in the cluster.
    pub proposals: usize,
    /// Connected groups of the cluster's proposals linked by `strong_overlap` or
    /// `same_proposal` pairs (ids sorted; groups by first id).
    pub groups: Vec<Vec<String>>,
}

/// Merge candidates per policy question; see [`Screening::group_by_question`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ByQuestion {
    /// Questions and emergent themes with at least one group, in the clustering's order.
    pub clusters: Vec<QuestionGroups>,
    /// Strong links between two proposals of the screened year that share no cluster (one of
    /// them may be filed under the wrong question), as `[a, b]`.
    pub across: Vec<[String; 2]>,
}

impl ByQuestion {
    /// Where each proposal is among the groups, to ask of many pairs which groups hold both.
    pub fn placement(&self) -> Placement<'_> {
        let mut of: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for (c, qg) in self.clusters.iter().enumerate() {
            for (g, ids) in qg.groups.iter().enumerate() {
                for id in ids {
                    of.entry(id.as_str()).or_default().push((c, g));
                }
            }
        }
        Placement { by: self, of }
    }
}

/// The groups of each proposal; see [`ByQuestion::placement`].
#[derive(Debug)]
pub struct Placement<'a> {
    by: &'a ByQuestion,
    /// Proposal → `(cluster index, group index)`, in the order of the clusters.
    of: HashMap<&'a str, Vec<(usize, usize)>>,
}

impl<'a> Placement<'a> {
    /// The groups holding both `a` and `b`: `(cluster, group number from 1)`.
    pub fn groups_with(&self, a: &str, b: &str) -> Vec<(&'a QuestionGroups, usize)> {
        let of = |id: &str| self.of.get(id).map_or(&[][..], Vec::as_slice);
        of(a)
            .iter()
            .filter(|place| of(b).contains(place))
            .map(|&(c, g)| (&self.by.clusters[c], g + 1))
            .collect()
    }
}

/// Whether a pair links two proposals worth merging.
pub(super) fn is_strong(pair: &ScreenPair) -> bool {
    pair.class.is_some_and(|c| c >= PairClass::StrongOverlap)
}

impl Screening<'_> {
    /// The merge-candidate groups per cluster of `clustering` (a clustering of the screened
    /// proposals): for each question and emergent theme, the connected groups of its
    /// screened proposals linked by strong pairs whose two ends are both placed on it (a
    /// proposal answering two questions can be in a group of each; earlier years' proposals
    /// are left out, as in [`Screening::groups`]).
    pub fn group_by_question(&self, clustering: &Clustering) -> ByQuestion {
        // Merging is for proposals of the same call: the screened ones (those with a panel
        // diversity row), not earlier years'.
        let screened: BTreeSet<&str> = self.diversity.iter().map(|d| d.id.as_str()).collect();
        let links: Vec<(&str, &str)> = self
            .pairs
            .iter()
            .filter(|p| is_strong(p))
            .map(|p| (&*p.a, &*p.b))
            .filter(|(a, b)| screened.contains(a) && screened.contains(b))
            .collect();
        // The clusters of each document, then each link under the clusters of both its ends.
        let mut placed: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, c) in clustering.clusters.iter().enumerate() {
            for m in &c.members {
                placed.entry(m.id.as_str()).or_default().push(k);
            }
        }
        let clustered: HashSet<&str> = clustering
            .assignments
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        let mut inside: Vec<Vec<(&str, &str)>> = vec![Vec::new(); clustering.clusters.len()];
        let mut across = Vec::new();
        for (a, b) in links {
            let of = |id: &str| placed.get(id).map_or(&[][..], Vec::as_slice);
            let shared: Vec<usize> = of(a)
                .iter()
                .copied()
                .filter(|k| of(b).contains(k))
                .collect();
            for &k in &shared {
                inside[k].push((a, b));
            }
            if shared.is_empty() && clustered.contains(a) && clustered.contains(b) {
                across.push([a.to_string(), b.to_string()]);
            }
        }
        let clusters = clustering
            .clusters
            .iter()
            .zip(inside)
            .filter_map(|(c, links)| {
                let groups = id_groups(links);
                (!groups.is_empty()).then(|| QuestionGroups {
                    cluster: c.id.clone(),
                    is_question: c.policy_question.is_some(),
                    track: c.track.clone(),
                    label: c.label.clone(),
                    proposals: c.size,
                    groups,
                })
            })
            .collect();
        ByQuestion { clusters, across }
    }
}

/// Connected groups of the ids joined by `links`: ids sorted within a group, groups by their
/// first id.
pub(crate) fn id_groups<'a>(
    links: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<Vec<String>> {
    let links: Vec<(&str, &str)> = links.into_iter().collect();
    let ids: BTreeMap<&str, usize> = links
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let names: Vec<&str> = ids.keys().copied().collect();
    // The ids are numbered in sorted order, so sorted indices give sorted ids.
    components(names.len(), links.iter().map(|(a, b)| (ids[a], ids[b])))
        .into_iter()
        .map(|g| g.into_iter().map(|i| names[i].to_string()).collect())
        .collect()
}

/// Connected groups of the documents joined by `links` (indices into `docs`), as
/// [`id_groups`] gives them for their ids (documents have distinct ids): ids sorted within a
/// group, groups by their first id. Indices spare the look-up of every link's ids.
pub(super) fn doc_groups(
    docs: &[&Document],
    links: impl Iterator<Item = (usize, usize)>,
) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = components(docs.len(), links)
        .into_iter()
        .map(|g| {
            let mut ids: Vec<String> = g.into_iter().map(|i| docs[i].id.clone()).collect();
            ids.sort_unstable();
            ids
        })
        .collect();
    // Disjoint groups: their first ids differ, so this orders them by first id.
    groups.sort_unstable();
    groups
}

/// Union-find over indices: the groups of two or more linked indices, each sorted, groups by
/// their smallest index.
pub(super) fn components(n: usize, edges: impl Iterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut linked = vec![false; n];
    for (a, b) in edges {
        linked[a] = true;
        linked[b] = true;
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in (0..n).filter(|&i| linked[i]) {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}

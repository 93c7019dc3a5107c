//! Scores of a partition against gold labels: NMI, ARI, V-measure (homogeneity,
//! completeness), and precision / recall / F1 of sets.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// Agreement of a predicted partition with the gold one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PartitionScores {
    /// Normalised mutual information (arithmetic mean normalisation; equals V-measure).
    pub nmi: f64,
    /// Adjusted Rand index.
    pub ari: f64,
    /// Each cluster holds one class.
    pub homogeneity: f64,
    /// Each class sits in one cluster.
    pub completeness: f64,
    /// Harmonic mean of homogeneity and completeness.
    pub v_measure: f64,
    /// Number of items scored.
    pub n: usize,
}

fn entropy(counts: impl Iterator<Item = usize>, n: f64) -> f64 {
    counts
        .filter(|&c| c > 0)
        .map(|c| {
            let p = c as f64 / n;
            -p * p.ln()
        })
        .sum()
}

fn choose2(x: usize) -> f64 {
    let x = x as f64;
    x * (x - 1.0) / 2.0
}

/// Each distinct item of `items` numbered in order of first appearance.
fn dense_ids<T: Eq + Hash>(items: &[T]) -> HashMap<&T, usize> {
    let mut ids = HashMap::new();
    for item in items {
        let next = ids.len();
        ids.entry(item).or_insert(next);
    }
    ids
}

/// Scores `predicted` against `gold` (same length, item by item).
pub fn partition_scores<A: Eq + Hash, B: Eq + Hash>(
    gold: &[A],
    predicted: &[B],
) -> PartitionScores {
    assert_eq!(gold.len(), predicted.len(), "one prediction per item");
    let n = gold.len();
    if n == 0 {
        return PartitionScores {
            nmi: 0.0,
            ari: 0.0,
            homogeneity: 0.0,
            completeness: 0.0,
            v_measure: 0.0,
            n,
        };
    }
    let nf = n as f64;
    // Classes and clusters numbered in order of first appearance, and the sums taken in that
    // order, so that the scores are the same to the last bit from run to run.
    let classes = dense_ids(gold);
    let clusters = dense_ids(predicted);
    let mut class_sizes = vec![0usize; classes.len()];
    let mut cluster_sizes = vec![0usize; clusters.len()];
    let mut joint: HashMap<(usize, usize), usize> = HashMap::new();
    for (g, p) in gold.iter().zip(predicted) {
        let (i, j) = (classes[g], clusters[p]);
        class_sizes[i] += 1;
        cluster_sizes[j] += 1;
        *joint.entry((i, j)).or_default() += 1;
    }
    let mut joint: Vec<((usize, usize), usize)> = joint.into_iter().collect();
    joint.sort_unstable();
    let h_c = entropy(class_sizes.iter().copied(), nf);
    let h_k = entropy(cluster_sizes.iter().copied(), nf);
    let mi: f64 = joint
        .iter()
        .map(|&((i, j), nij)| {
            let pij = nij as f64 / nf;
            pij * (nij as f64 * nf / (class_sizes[i] as f64 * cluster_sizes[j] as f64)).ln()
        })
        .sum();
    let homogeneity = if h_c == 0.0 { 1.0 } else { mi / h_c };
    let completeness = if h_k == 0.0 { 1.0 } else { mi / h_k };
    let v_measure = if homogeneity + completeness == 0.0 {
        0.0
    } else {
        2.0 * homogeneity * completeness / (homogeneity + completeness)
    };
    let nmi = if h_c + h_k == 0.0 {
        1.0
    } else {
        2.0 * mi / (h_c + h_k)
    };

    let index: f64 = joint.iter().map(|&(_, c)| choose2(c)).sum();
    let a: f64 = class_sizes.iter().map(|&c| choose2(c)).sum();
    let b: f64 = cluster_sizes.iter().map(|&c| choose2(c)).sum();
    let expected = a * b / choose2(n).max(1.0);
    let max = (a + b) / 2.0;
    let ari = if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (index - expected) / (max - expected)
    };
    PartitionScores {
        nmi,
        ari,
        homogeneity,
        completeness,
        v_measure,
        n,
    }
}

/// Precision, recall and F1 of a binary decision.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PrecisionRecall {
    /// Correct positives.
    pub tp: usize,
    /// Wrong positives.
    pub fp: usize,
    /// Missed positives.
    pub r#fn: usize,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl PrecisionRecall {
    /// From counts.
    pub fn new(tp: usize, fp: usize, r#fn: usize) -> PrecisionRecall {
        let precision = if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let recall = if tp + r#fn == 0 {
            0.0
        } else {
            tp as f64 / (tp + r#fn) as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        PrecisionRecall {
            tp,
            fp,
            r#fn,
            precision,
            recall,
            f1,
        }
    }
}

/// ROC-AUC of scores for positives and negatives: the probability that a random positive
/// scores above a random negative (ties count half).
pub fn roc_auc(positives: &[f64], negatives: &[f64]) -> f64 {
    if positives.is_empty() || negatives.is_empty() {
        return f64::NAN;
    }
    let mut wins = 0.0;
    for p in positives {
        for q in negatives {
            wins += if p > q {
                1.0
            } else if p == q {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (positives.len() * negatives.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_partitions_score_one_whatever_the_names() {
        let s = partition_scores(&["a", "a", "b", "b", "c"], &[2, 2, 0, 0, 1]);
        assert!((s.nmi - 1.0).abs() < 1e-12 && (s.ari - 1.0).abs() < 1e-12);
    }

    #[test]
    fn known_values() {
        // Checked against scikit-learn 1.9: normalized_mutual_info_score and
        // adjusted_rand_score of ([0,0,0,1,1,1], [0,0,1,1,2,2]).
        let s = partition_scores(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
        assert!((s.nmi - 0.515_804).abs() < 1e-5, "{}", s.nmi);
        assert!((s.ari - 0.242_424).abs() < 1e-5, "{}", s.ari);
        assert!((s.v_measure - s.nmi).abs() < 1e-12);
    }

    #[test]
    fn one_cluster_for_everything_scores_zero() {
        let s = partition_scores(&[0, 0, 1, 1], &[0, 0, 0, 0]);
        assert!(s.nmi.abs() < 1e-12 && s.ari.abs() < 1e-12);
    }

    #[test]
    fn precision_recall_and_auc() {
        let pr = PrecisionRecall::new(3, 1, 2);
        assert!((pr.precision - 0.75).abs() < 1e-12 && (pr.recall - 0.6).abs() < 1e-12);
        assert_eq!(roc_auc(&[0.9, 0.8], &[0.1, 0.85]), 0.75);
    }
}

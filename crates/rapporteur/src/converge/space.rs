//! The statement space: every statement as a TF-IDF row and an LSA vector of one model
//! ([`crate::vectors`]) fitted on the statements, and a similarity that mixes the two
//! (LSA sees topics, TF-IDF sees the words of a point). Average-linkage agglomerative
//! clustering over that similarity groups statements into points.

use ndarray::{Array1, Array2};

use crate::analysis::Analyzer;
use crate::screen::sparse::dot as sparse_dot;
use crate::vectors::Vectors;

/// Statements in a vector space, with the similarity used for points.
#[derive(Debug, Clone)]
pub struct Space {
    vectors: Vectors,
    rows: Vec<Vec<(u32, f32)>>,
    alpha: f32,
}

/// A text placed in the space (a draft's message, a question).
#[derive(Debug, Clone)]
pub struct Embedded {
    lsa: Array1<f32>,
    row: Vec<(u32, f32)>,
}

impl Embedded {
    /// The LSA vector.
    pub fn lsa(&self) -> &Array1<f32> {
        &self.lsa
    }
}

impl Space {
    /// The space of fitted vectors (one row per statement); `alpha` weighs LSA against
    /// TF-IDF in [`Space::similarity`].
    pub fn new(vectors: Vectors, alpha: f32) -> Space {
        let rows = (0..vectors.len())
            .map(|i| vectors.tfidf_row_at(i))
            .collect();
        Space {
            vectors,
            rows,
            alpha,
        }
    }

    /// The same space with another LSA weight.
    pub fn with_alpha(mut self, alpha: f32) -> Space {
        self.alpha = alpha;
        self
    }

    /// The LSA vectors (statements × dimensions).
    pub fn lsa(&self) -> &Array2<f32> {
        &self.vectors.lsa
    }

    /// Similarity of statements `i` and `j`: `alpha · LSA cosine + (1 − alpha) · TF-IDF
    /// cosine`.
    pub fn similarity(&self, i: usize, j: usize) -> f32 {
        let lsa = self.vectors.lsa.row(i).dot(&self.vectors.lsa.row(j));
        self.alpha * lsa + (1.0 - self.alpha) * sparse_dot(&self.rows[i], &self.rows[j])
    }

    /// Places a new text in the space.
    pub fn embed(&self, text: &str, analyzer: &Analyzer) -> Embedded {
        Embedded {
            lsa: self.vectors.project(text, analyzer),
            row: self.vectors.tfidf_row(text, analyzer),
        }
    }

    /// Similarity of an embedded text to statement `i`.
    pub fn similarity_to(&self, e: &Embedded, i: usize) -> f32 {
        let lsa = e.lsa.dot(&self.vectors.lsa.row(i));
        self.alpha * lsa + (1.0 - self.alpha) * sparse_dot(&e.row, &self.rows[i])
    }

    /// Similarity of two embedded texts.
    pub fn similarity_between(&self, a: &Embedded, b: &Embedded) -> f32 {
        self.alpha * a.lsa.dot(&b.lsa) + (1.0 - self.alpha) * sparse_dot(&a.row, &b.row)
    }

    /// LSA cosine of an embedded text and statement `i`.
    pub fn lsa_cosine(&self, e: &Embedded, i: usize) -> f32 {
        e.lsa.dot(&self.vectors.lsa.row(i))
    }

    /// The TF-IDF row of statement `i`.
    pub fn row(&self, i: usize) -> &[(u32, f32)] {
        &self.rows[i]
    }

    /// The fitted vector model.
    pub fn vectors(&self) -> &Vectors {
        &self.vectors
    }
}

/// Average-linkage agglomerative clustering of `items` under `sim`, merging while the best
/// average similarity between two clusters reaches `threshold`, never merging clusters
/// holding two items that must stay `apart` (cannot-link). Clusters come out sorted by
/// their first item; ties merge the pair with the smallest indices (deterministic).
pub fn agglomerate(
    items: &[usize],
    threshold: f32,
    sim: impl Fn(usize, usize) -> f32,
    apart: impl Fn(usize, usize) -> bool,
) -> Vec<Vec<usize>> {
    let n = items.len();
    let mut clusters: Vec<Option<Vec<usize>>> = items.iter().map(|&i| Some(vec![i])).collect();
    // Sum of pairwise similarities between clusters, and whether they must stay apart.
    let mut sums = vec![vec![0f32; n]; n];
    let mut conflict = vec![vec![false; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let s = sim(items[a], items[b]);
            sums[a][b] = s;
            sums[b][a] = s;
            let c = apart(items[a], items[b]);
            conflict[a][b] = c;
            conflict[b][a] = c;
        }
    }
    loop {
        let mut best: Option<(f32, usize, usize)> = None;
        for a in 0..n {
            let Some(ca) = &clusters[a] else { continue };
            for b in a + 1..n {
                let Some(cb) = &clusters[b] else { continue };
                let avg = sums[a][b] / (ca.len() * cb.len()) as f32;
                if !conflict[a][b] && avg >= threshold && best.is_none_or(|(s, _, _)| avg > s) {
                    best = Some((avg, a, b));
                }
            }
        }
        let Some((_, a, b)) = best else { break };
        let moved = clusters[b].take().unwrap_or_default();
        if let Some(ca) = clusters[a].as_mut() {
            ca.extend(moved);
        }
        for c in 0..n {
            if c != a && c != b {
                sums[a][c] += sums[b][c];
                sums[c][a] = sums[a][c];
                conflict[a][c] |= conflict[b][c];
                conflict[c][a] = conflict[a][c];
            }
        }
    }
    let mut out: Vec<Vec<usize>> = clusters
        .into_iter()
        .flatten()
        .map(|mut c| {
            c.sort_unstable();
            c
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_dot_merges_sorted_rows() {
        assert_eq!(
            sparse_dot(&[(0, 1.0), (3, 2.0)], &[(3, 0.5), (4, 9.0)]),
            1.0
        );
        assert_eq!(sparse_dot(&[], &[(1, 1.0)]), 0.0);
    }

    #[test]
    fn agglomeration_stops_at_the_threshold() {
        // Items 0–2 close together, 3–4 close together, 5 alone.
        let group = |i: usize| match i {
            0..=2 => 0,
            3 | 4 => 1,
            _ => 2,
        };
        let sim = |a: usize, b: usize| if group(a) == group(b) { 0.9 } else { 0.1 };
        let never = |_: usize, _: usize| false;
        let c = agglomerate(&[0, 1, 2, 3, 4, 5], 0.5, sim, never);
        assert_eq!(c, vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
        assert_eq!(agglomerate(&[0, 1, 2, 3, 4, 5], 0.05, sim, never).len(), 1);
        // Items 0 and 1 must stay apart: 2 joins one of them.
        let apart = |a: usize, b: usize| a.min(b) == 0 && a.max(b) == 1;
        assert_eq!(
            agglomerate(&[0, 1, 2], 0.5, sim, apart),
            vec![vec![0, 2], vec![1]]
        );
        assert_eq!(agglomerate(&[0, 3], 0.95, sim, never).len(), 2);
    }
}

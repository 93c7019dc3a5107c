//! Extractive baselines for the drafted messages: lead and LexRank.
//!
//! Both pick whole source sentences, in the same word budget as the system they are
//! compared with (the last sentence is cut at the budget, as ROUGE's length limit does).
//!
//! - **Lead**: the first sentence of every document, in document order, then the second
//!   sentences, and so on (the multi-document form of the lead baseline).
//! - **LexRank** (Erkan & Radev, 2004): sentences are nodes, linked when their TF-IDF cosine
//!   reaches 0.1 (thresholded LexRank); the stationary distribution of the degree-normalised
//!   graph with damping 0.85 ranks them; sentences are taken by rank, skipping any with a
//!   cosine above 0.5 to one already taken.

use crate::screen::sparse::dot as sparse_dot;

/// A sentence a baseline may pick.
#[derive(Debug, Clone, Copy)]
pub struct Sentence<'a> {
    /// The sentence.
    pub text: &'a str,
    /// Its document.
    pub doc: &'a str,
    /// Its position in the document (0-based).
    pub position: usize,
    /// Its TF-IDF row (sorted columns, L2-normalised).
    pub row: &'a [(u32, f32)],
}

/// Joins sentences and cuts the text at `budget` words.
fn within(texts: &[&str], budget: usize) -> String {
    texts
        .iter()
        .flat_map(|t| t.split_whitespace())
        .take(budget)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lead baseline.
pub fn lead(sentences: &[Sentence], budget: usize) -> String {
    let mut order: Vec<&Sentence> = sentences.iter().collect();
    // Rank of each sentence within its document, then document order.
    let mut rank = Vec::with_capacity(order.len());
    for s in &order {
        let earlier = sentences
            .iter()
            .filter(|o| o.doc == s.doc && o.position < s.position)
            .count();
        rank.push(earlier);
    }
    let mut idx: Vec<usize> = (0..order.len()).collect();
    idx.sort_by(|&a, &b| rank[a].cmp(&rank[b]).then(order[a].doc.cmp(order[b].doc)));
    order = idx.into_iter().map(|i| order[i]).collect();
    within(&order.iter().map(|s| s.text).collect::<Vec<_>>(), budget)
}

/// LexRank scores of sentences (thresholded graph, power iteration).
pub fn lexrank_scores(rows: &[&[(u32, f32)]], threshold: f32, damping: f64) -> Vec<f64> {
    let n = rows.len();
    if n == 0 {
        return Vec::new();
    }
    let links: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            (0..n)
                .filter(|&j| j != i && sparse_dot(rows[i], rows[j]) >= threshold)
                .collect()
        })
        .collect();
    let mut p = vec![1.0 / n as f64; n];
    for _ in 0..200 {
        let mut next = vec![(1.0 - damping) / n as f64; n];
        for (i, out) in links.iter().enumerate() {
            if out.is_empty() {
                // A sentence without links spreads its weight evenly.
                for v in next.iter_mut() {
                    *v += damping * p[i] / n as f64;
                }
            } else {
                for &j in out {
                    next[j] += damping * p[i] / out.len() as f64;
                }
            }
        }
        let delta: f64 = next.iter().zip(&p).map(|(a, b)| (a - b).abs()).sum();
        p = next;
        if delta < 1e-9 {
            break;
        }
    }
    p
}

/// The LexRank baseline.
pub fn lexrank(sentences: &[Sentence], budget: usize) -> String {
    let rows: Vec<&[(u32, f32)]> = sentences.iter().map(|s| s.row).collect();
    let scores = lexrank_scores(&rows, 0.1, 0.85);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut taken: Vec<usize> = Vec::new();
    let mut words = 0;
    for i in order {
        if words >= budget {
            break;
        }
        if taken.iter().any(|&j| sparse_dot(rows[i], rows[j]) > 0.5) {
            continue;
        }
        words += sentences[i].text.split_whitespace().count();
        taken.push(i);
    }
    within(
        &taken.iter().map(|&i| sentences[i].text).collect::<Vec<_>>(),
        budget,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s<'a>(text: &'a str, doc: &'a str, position: usize, row: &'a [(u32, f32)]) -> Sentence<'a> {
        Sentence {
            text,
            doc,
            position,
            row,
        }
    }

    #[test]
    fn lead_takes_first_sentences_round_robin() {
        let r = [(0, 1.0)];
        let v = [
            s("a1 x.", "a", 0, &r),
            s("a2 x.", "a", 1, &r),
            s("b1 x.", "b", 0, &r),
        ];
        assert_eq!(lead(&v, 4), "a1 x. b1 x.");
        assert_eq!(lead(&v, 3), "a1 x. b1");
    }

    #[test]
    fn lexrank_prefers_the_central_sentence_and_skips_duplicates() {
        let hub = [(0, 0.6), (1, 0.6), (2, 0.53)];
        let a = [(0, 1.0)];
        let b = [(1, 1.0)];
        let c = [(2, 1.0)];
        let scores = lexrank_scores(&[&a, &hub, &b, &c], 0.1, 0.85);
        assert!(scores[1] > scores[0] && scores[1] > scores[2], "{scores:?}");
        let v = [
            s("Leaf one here.", "d", 0, &a),
            s("The hub sentence.", "d", 1, &hub),
            s("Leaf two.", "e", 0, &b),
            s("Leaf three.", "f", 0, &c),
        ];
        assert!(lexrank(&v, 3).starts_with("The hub sentence."));
        let dup = [
            s("Same words.", "d", 0, &a),
            s("Same words again.", "e", 0, &a),
        ];
        assert_eq!(lexrank(&dup, 10), "Same words.");
    }
}

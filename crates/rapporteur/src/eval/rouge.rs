//! ROUGE-1, ROUGE-2 and ROUGE-L (Lin, 2004) of a candidate text against a reference text.
//!
//! Tokens are lower-cased runs of letters and digits, stemmed with the English Snowball
//! stemmer (as ROUGE-1.5.5's `-m` uses Porter's); stop words are kept. ROUGE-N counts clipped
//! n-gram matches; ROUGE-L is the longest common subsequence of the two token sequences
//! taken whole (not the sentence-level union LCS of ROUGE-1.5.5), with β = 1.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;

/// Precision, recall and F1 of one ROUGE measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Matches over candidate units.
    pub precision: f64,
    /// Matches over reference units.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl Prf {
    fn new(matches: f64, candidate: f64, reference: f64) -> Prf {
        let precision = if candidate > 0.0 {
            matches / candidate
        } else {
            0.0
        };
        let recall = if reference > 0.0 {
            matches / reference
        } else {
            0.0
        };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }

    /// The mean of several scores (each field averaged).
    pub fn mean(all: &[Prf]) -> Prf {
        let n = all.len().max(1) as f64;
        Prf {
            precision: all.iter().map(|p| p.precision).sum::<f64>() / n,
            recall: all.iter().map(|p| p.recall).sum::<f64>() / n,
            f1: all.iter().map(|p| p.f1).sum::<f64>() / n,
        }
    }
}

/// ROUGE-1, ROUGE-2 and ROUGE-L.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rouge {
    /// Unigrams.
    pub rouge_1: Prf,
    /// Bigrams.
    pub rouge_2: Prf,
    /// Longest common subsequence.
    pub rouge_l: Prf,
}

impl Rouge {
    /// The mean of several scores.
    pub fn mean(all: &[Rouge]) -> Rouge {
        let pick = |f: fn(&Rouge) -> Prf| Prf::mean(&all.iter().map(f).collect::<Vec<_>>());
        Rouge {
            rouge_1: pick(|r| r.rouge_1),
            rouge_2: pick(|r| r.rouge_2),
            rouge_l: pick(|r| r.rouge_l),
        }
    }
}

/// The ROUGE tokens of a text.
pub fn tokens(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
        .collect()
}

fn ngrams(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut out = HashMap::new();
    if tokens.len() >= n {
        for g in tokens.windows(n) {
            *out.entry(g).or_default() += 1;
        }
    }
    out
}

fn rouge_n(candidate: &[String], reference: &[String], n: usize) -> Prf {
    let c = ngrams(candidate, n);
    let r = ngrams(reference, n);
    let matches: usize = c
        .iter()
        .map(|(g, &k)| k.min(r.get(g).copied().unwrap_or(0)))
        .sum();
    Prf::new(
        matches as f64,
        c.values().sum::<usize>() as f64,
        r.values().sum::<usize>() as f64,
    )
}

fn lcs(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// ROUGE of `candidate` against `reference`.
pub fn rouge(candidate: &str, reference: &str) -> Rouge {
    let c = tokens(candidate);
    let r = tokens(reference);
    Rouge {
        rouge_1: rouge_n(&c, &r, 1),
        rouge_2: rouge_n(&c, &r, 2),
        rouge_l: Prf::new(lcs(&c, &r) as f64, c.len() as f64, r.len() as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Lin (2004)'s example: "police killed the gunman" against "police kill the gunman".
        let r = rouge("police kill the gunman", "police killed the gunman");
        assert!(
            (r.rouge_1.f1 - 1.0).abs() < 1e-12,
            "stemming matches kill/killed"
        );
        let r = rouge("the gunman police killed", "police killed the gunman");
        assert!((r.rouge_1.recall - 1.0).abs() < 1e-12);
        assert!((r.rouge_2.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((r.rouge_l.recall - 0.5).abs() < 1e-12);
    }

    #[test]
    fn clipping_and_empty_texts() {
        let r = rouge("the the the", "the cat");
        assert!((r.rouge_1.precision - 1.0 / 3.0).abs() < 1e-12);
        assert!((r.rouge_1.recall - 0.5).abs() < 1e-12);
        assert_eq!(rouge("", "the cat").rouge_1.f1, 0.0);
        let m = Rouge::mean(&[rouge("a b", "a b"), rouge("c", "d")]);
        assert!((m.rouge_1.f1 - 0.5).abs() < 1e-12);
    }
}

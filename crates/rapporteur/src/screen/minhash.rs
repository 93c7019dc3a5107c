//! Word shingles, MinHash signatures and locality-sensitive hashing (banding).
//!
//! Text is normalised (Unicode words, lower-cased, so punctuation, case and spacing do not
//! matter) and cut into overlapping runs of `k` words; each run is hashed to 64 bits with a
//! fixed hash, so the same text gives the same shingles on every machine. A [`MinHasher`]
//! keeps, per position of the signature, the smallest hash of the shingles falling there
//! (one-permutation hashing): two signatures agree in a position with probability (close to)
//! the Jaccard similarity of the sets. [`lsh_pairs`] cuts
//! signatures into bands of `rows` values; sets that agree on a whole band become candidate
//! pairs, so the pairs found are those with Jaccard above about `(1/bands)^(1/rows)` (0.29
//! for the 42 × 3 of screening), without comparing every pair. Everything is seeded and deterministic.

use rayon::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// FNV-1a over bytes: a fixed, portable 64-bit hash.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The SplitMix64 finaliser: a bijective mix of 64 bits.
pub fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The normalised words of a text: Unicode words, lower-cased.
pub fn words(text: &str) -> Vec<String> {
    text.unicode_words().map(str::to_lowercase).collect()
}

/// Hashes of the `k`-word shingles of a text, sorted and without repeats. A text with
/// fewer than `k` words (but at least one) gives one shingle of all its words.
pub fn shingles(text: &str, k: usize) -> Vec<u64> {
    let hashes: Vec<u64> = text.unicode_words().map(word_hash).collect();
    shingles_of_word_hashes(&hashes, k)
}

/// `fnv1a` of the lower-cased word, without building the lower-cased string when the word
/// is ASCII (nearly always: this runs for every word of every proposal).
fn word_hash(word: &str) -> u64 {
    if word.is_ascii() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in word.bytes() {
            h ^= u64::from(b.to_ascii_lowercase());
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    } else {
        fnv1a(word.to_lowercase().as_bytes())
    }
}

/// Shingle hashes from word hashes (see [`shingles`]).
fn shingles_of_word_hashes(words: &[u64], k: usize) -> Vec<u64> {
    let k = k.max(1);
    if words.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<u64> = words
        .windows(k.min(words.len()))
        .map(|w| {
            w.iter().fold(0x9e37_79b9_7f4a_7c15_u64, |h, &x| {
                mix64(h.rotate_left(17) ^ x)
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// MinHash signatures of `n` values by one-permutation hashing with optimal densification
/// (Li, Owen and Zhang 2012; Shrivastava 2017): each shingle is hashed once, with a seeded
/// hash, and falls into one of `n` bins by its hash; a bin keeps its smallest hash; an empty
/// bin copies the value of the first non-empty bin of a seeded probe sequence of its own. Two
/// signatures agree in a position with probability (close to) the Jaccard similarity of the
/// sets, as with `n` independent hash functions, at the cost of one hash per shingle instead
/// of `n`.
#[derive(Debug, Clone)]
pub struct MinHasher {
    n: usize,
    seed: u64,
}

/// The bin of a 64-bit hash among `n` (its high bits: multiply-shift).
fn bin(h: u64, n: usize) -> usize {
    ((u128::from(h) * n as u128) >> 64) as usize
}

impl MinHasher {
    /// Signatures of `n` values (at least 1), seeded with `seed`.
    pub fn new(n: usize, seed: u64) -> MinHasher {
        MinHasher {
            n: n.max(1),
            seed: mix64(seed ^ 0x9e37_79b9_7f4a_7c15),
        }
    }

    /// The MinHash signature of a set of shingle hashes; `None` for an empty set (it has no
    /// meaningful signature and must not collide with other empty sets).
    pub fn signature(&self, set: &[u64]) -> Option<Vec<u64>> {
        if set.is_empty() {
            return None;
        }
        let n = self.n;
        let mut sig = vec![u64::MAX; n];
        let mut filled = vec![false; n];
        for &x in set {
            let h = mix64(x ^ self.seed);
            let b = bin(h, n);
            if !filled[b] || h < sig[b] {
                sig[b] = h;
                filled[b] = true;
            }
        }
        // Densification: only empty bins are written, only filled ones read, and the set is
        // not empty, so every probe sequence ends.
        for i in 0..n {
            if filled[i] {
                continue;
            }
            let mut attempt = 0u64;
            loop {
                let j = bin(mix64(self.seed ^ ((i as u64) << 32 | attempt)), n);
                if filled[j] {
                    sig[i] = sig[j];
                    break;
                }
                attempt += 1;
            }
        }
        Some(sig)
    }
}

/// Exact Jaccard similarity of two sorted, repeat-free sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// Banding parameters of LSH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bands {
    /// Number of bands.
    pub bands: usize,
    /// Signature values per band.
    pub rows: usize,
    /// Buckets with more members than this are skipped (they come from text many documents
    /// share, and would make a quadratic number of pairs).
    pub max_bucket: usize,
}

/// Candidate pairs `(i, j)`, `i < j`, sorted: documents whose signatures agree on at least
/// one whole band. `signatures[i]` is `None` for documents without shingles; they pair with
/// nothing. Signatures must be at least `bands × rows` long.
pub fn lsh_pairs(signatures: &[Option<Vec<u64>>], bands: Bands) -> Vec<(u32, u32)> {
    let mut pairs: Vec<(u32, u32)> = (0..bands.bands)
        .into_par_iter()
        .flat_map_iter(|band| {
            let lo = band * bands.rows;
            let mut keys: Vec<(u64, u32)> = signatures
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let s = s.as_ref()?;
                    let key = s[lo..lo + bands.rows]
                        .iter()
                        .fold(mix64(band as u64), |h, &x| mix64(h ^ x));
                    Some((key, i as u32))
                })
                .collect();
            keys.sort_unstable();
            let mut out = Vec::new();
            for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
                if bucket.len() < 2 || bucket.len() > bands.max_bucket {
                    continue;
                }
                for (x, &(_, i)) in bucket.iter().enumerate() {
                    for &(_, j) in &bucket[x + 1..] {
                        out.push((i, j));
                    }
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256Plus;

    /// Estimated Jaccard similarity: the share of positions where two signatures agree.
    fn estimate(a: &[u64], b: &[u64]) -> f64 {
        a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
    }

    #[test]
    fn shingles_ignore_case_punctuation_and_spacing() {
        assert_eq!(
            shingles("Community networks, in RURAL  areas.", 3),
            shingles("community networks in rural\nareas", 3)
        );
        assert_eq!(shingles("one two three four", 3).len(), 2);
        assert_eq!(shingles("two words", 3).len(), 1, "short text: one shingle");
        assert!(shingles("  ,. ", 3).is_empty());
    }

    #[test]
    fn word_hashes_are_hashes_of_the_lower_cased_words() {
        for w in [
            "IGF",
            "multistakeholder",
            "Données",
            "ÉTAT",
            "ΣΟΦΊΑ",
            "İstanbul",
            "x",
        ] {
            assert_eq!(word_hash(w), fnv1a(w.to_lowercase().as_bytes()), "{w}");
        }
    }

    #[test]
    fn shingle_hashes_are_fixed() {
        // The same text hashes the same on every machine and in every run.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            shingles("open access fibre", 3),
            shingles("Open access fibre", 3)
        );
        assert_ne!(
            shingles("open access fibre", 3),
            shingles("fibre access open", 3)
        );
    }

    #[test]
    fn identical_and_disjoint_sets() {
        let h = MinHasher::new(64, 1);
        let a = shingles(
            "the utility could lease its spare fibre at a fraction of the cost",
            3,
        );
        let b = shingles(
            "children share workarounds within days of the new age checks",
            3,
        );
        let sa = h.signature(&a).unwrap();
        assert_eq!(estimate(&sa, &h.signature(&a).unwrap()), 1.0);
        assert!(estimate(&sa, &h.signature(&b).unwrap()) < 0.1);
        assert_eq!(h.signature(&[]), None);
        assert_eq!(jaccard(&a, &a), 1.0);
        assert_eq!(jaccard(&a, &b), 0.0);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn estimate_is_close_to_the_true_jaccard() {
        let mut rng = Xoshiro256Plus::seed_from_u64(3);
        let h = MinHasher::new(512, 9);
        for overlap in [0.1, 0.3, 0.5, 0.8] {
            let shared: Vec<u64> = (0..(400.0 * overlap) as usize)
                .map(|_| rng.r#gen())
                .collect();
            let mut a: Vec<u64> = shared.clone();
            let mut b: Vec<u64> = shared;
            let own = (400.0 * (1.0 - overlap) / 2.0) as usize;
            a.extend((0..own).map(|_| rng.r#gen::<u64>()));
            b.extend((0..own).map(|_| rng.r#gen::<u64>()));
            a.sort_unstable();
            b.sort_unstable();
            let truth = jaccard(&a, &b);
            let est = estimate(&h.signature(&a).unwrap(), &h.signature(&b).unwrap());
            assert!(
                (truth - est).abs() < 0.07,
                "true {truth:.3}, estimated {est:.3}"
            );
        }
    }

    #[test]
    fn signatures_depend_on_the_seed_only() {
        let set = shingles("a set of words that is long enough to have shingles", 3);
        assert_eq!(
            MinHasher::new(32, 5).signature(&set),
            MinHasher::new(32, 5).signature(&set)
        );
        assert_ne!(
            MinHasher::new(32, 5).signature(&set),
            MinHasher::new(32, 6).signature(&set)
        );
    }

    #[test]
    fn banding_finds_near_duplicates_only() {
        let base = "almost every high voltage transmission line built in the last twenty years \
                    carries optical fibre inside its earth wire mainly for the utility's own grid \
                    control and most of those fibres are dark";
        let edited = base.replace("last twenty", "past twenty");
        let other = "facial age estimation is reported to be less accurate for darker skin tones \
                     and for teenagers close to the threshold while document checks exclude people";
        let h = MinHasher::new(40, 1);
        let sigs: Vec<_> = [base, other, edited.as_str()]
            .iter()
            .map(|t| h.signature(&shingles(t, 3)))
            .chain([None])
            .collect();
        let bands = Bands {
            bands: 20,
            rows: 2,
            max_bucket: 10,
        };
        assert_eq!(lsh_pairs(&sigs, bands), vec![(0, 2)]);
        // A bucket larger than the cap is skipped: three identical texts, cap 2.
        let same = vec![h.signature(&shingles(base, 3)); 3];
        assert!(
            lsh_pairs(
                &same,
                Bands {
                    max_bucket: 2,
                    ..bands
                }
            )
            .is_empty()
        );
        assert_eq!(lsh_pairs(&same, bands).len(), 3);
    }
}

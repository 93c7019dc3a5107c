//! Nearest neighbours by cosine among L2-normalised rows (the LSA vectors).
//!
//! Up to `exact_limit` rows, [`nearest`] is exact: the rows are multiplied by the whole
//! matrix block by block (rayon over blocks), `O(n²·d)` but fast for 20k × 100. Beyond it the
//! search is approximate and sub-quadratic: random-hyperplane LSH (SimHash, seeded) puts rows
//! whose signs agree on `bits` random hyperplanes in one bucket, in `tables` independent
//! tables, and only bucket mates are compared. An HNSW index (e.g. the `hnsw_rs` crate) would
//! be the next step for millions of rows.

use ndarray::{Array2, ArrayView2, Axis, s};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

/// How neighbours are searched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Search {
    /// Neighbours kept per row.
    pub k: usize,
    /// Smallest cosine kept.
    pub min_cosine: f32,
    /// Exact search up to this many rows, LSH beyond.
    pub exact_limit: usize,
    /// LSH tables (approximate search only).
    pub tables: usize,
    /// Hyperplanes per table (approximate search only).
    pub bits: usize,
    /// Buckets larger than this are skipped (approximate search only).
    pub max_bucket: usize,
    /// Seed of the hyperplanes.
    pub seed: u64,
}

/// Pairs `(i, j)`, `i < j`, sorted, where `j` is among the `k` nearest rows of `i` (or `i` of
/// `j`) with cosine at least `min_cosine`. Rows must be L2-normalised; zero rows pair with
/// nothing.
pub fn nearest(x: ArrayView2<f32>, search: &Search) -> Vec<(u32, u32)> {
    if search.k == 0 || x.nrows() < 2 {
        return Vec::new();
    }
    let lists = if x.nrows() <= search.exact_limit {
        exact(x, search)
    } else {
        approximate(x, search)
    };
    let mut pairs: Vec<(u32, u32)> = lists
        .into_iter()
        .enumerate()
        .flat_map(|(i, list)| {
            list.into_iter()
                .map(move |(j, _)| (i.min(j) as u32, i.max(j) as u32))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Keeps the `k` best `(row, cosine)`: highest cosine first, ties by row.
fn top_k(mut found: Vec<(usize, f32)>, k: usize) -> Vec<(usize, f32)> {
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found.truncate(k);
    found
}

fn exact(x: ArrayView2<f32>, search: &Search) -> Vec<Vec<(usize, f32)>> {
    const BLOCK: usize = 256;
    let n = x.nrows();
    (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .flat_map_iter(|b| {
            let lo = b * BLOCK;
            let hi = (lo + BLOCK).min(n);
            let sims = x.slice(s![lo..hi, ..]).dot(&x.t());
            (lo..hi)
                .map(|i| {
                    let row = sims.row(i - lo);
                    let found = row
                        .iter()
                        .enumerate()
                        .filter(|&(j, &c)| j != i && c >= search.min_cosine)
                        .map(|(j, &c)| (j, c))
                        .collect();
                    top_k(found, search.k)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn approximate(x: ArrayView2<f32>, search: &Search) -> Vec<Vec<(usize, f32)>> {
    let n = x.nrows();
    let bits = search.bits.clamp(1, 64);
    let mut rng = Xoshiro256Plus::seed_from_u64(search.seed);
    let mut mates: Vec<(u32, u32)> = Vec::new();
    for _ in 0..search.tables {
        let planes =
            Array2::from_shape_simple_fn((x.ncols(), bits), || rng.gen_range(-1.0f32..1.0));
        let projected = x.dot(&planes);
        let mut keys: Vec<(u64, u32)> = projected
            .axis_iter(Axis(0))
            .enumerate()
            .filter(|(i, _)| x.row(*i).iter().any(|&v| v != 0.0))
            .map(|(i, p)| {
                let key = p
                    .iter()
                    .enumerate()
                    .fold(0u64, |k, (b, &v)| k | (u64::from(v >= 0.0) << b));
                (key, i as u32)
            })
            .collect();
        keys.sort_unstable();
        for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
            if bucket.len() < 2 || bucket.len() > search.max_bucket {
                continue;
            }
            for (a, &(_, i)) in bucket.iter().enumerate() {
                for &(_, j) in &bucket[a + 1..] {
                    mates.push((i, j));
                }
            }
        }
    }
    mates.par_sort_unstable();
    mates.dedup();
    let cosines: Vec<f32> = mates
        .par_iter()
        .map(|&(i, j)| x.row(i as usize).dot(&x.row(j as usize)))
        .collect();
    // Each row's best k kept as the mates stream by, not every mate's cosine in per-row
    // lists: with those lists the search raised the peak by ~460 MB at 100k rows (8.4 M
    // mates).
    let mut best = Best::new(n, search.k);
    for (&(i, j), &c) in mates.iter().zip(&cosines) {
        if c >= search.min_cosine {
            best.offer(i as usize, j as usize, c);
            best.offer(j as usize, i as usize, c);
        }
    }
    best.into_lists()
}

/// The `k` best `(row, cosine)` of every row, in [`top_k`]'s order (highest cosine first,
/// ties by row); the same lists as [`top_k`] over all the rows offered, if no row is offered
/// twice to the same row.
struct Best {
    k: usize,
    lists: Vec<(usize, f32)>,
    lens: Vec<usize>,
}

impl Best {
    fn new(n: usize, k: usize) -> Best {
        Best {
            k,
            lists: vec![(0, 0.0); n * k],
            lens: vec![0; n],
        }
    }

    /// Offers row `j` at cosine `c` to row `i`'s list.
    fn offer(&mut self, i: usize, j: usize, c: f32) {
        let list = &mut self.lists[i * self.k..][..self.k];
        let len = self.lens[i];
        // Entries before `(j, c)` in the order (a higher cosine, or the same and a lower
        // row): the list is sorted, so they are a prefix.
        let at = list[..len].partition_point(|&(r, x)| x.total_cmp(&c).then(j.cmp(&r)).is_gt());
        if at == self.k {
            return;
        }
        let end = (len + 1).min(self.k);
        list.copy_within(at..end - 1, at + 1);
        list[at] = (j, c);
        self.lens[i] = end;
    }

    fn into_lists(self) -> Vec<Vec<(usize, f32)>> {
        self.lists
            .chunks(self.k)
            .zip(self.lens)
            .map(|(list, len)| list[..len].to_vec())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectors::normalize_rows;

    /// Rows in four tight groups of five, in 16 dimensions.
    fn groups() -> Array2<f32> {
        let mut rng = Xoshiro256Plus::seed_from_u64(1);
        let mut x =
            Array2::from_shape_fn((20, 16), |(i, j)| if j / 4 == i % 4 { 1.0 } else { 0.0 });
        x.mapv_inplace(|v| v + rng.gen_range(-0.05f32..0.05));
        normalize_rows(&mut x);
        x
    }

    fn search(exact_limit: usize) -> Search {
        Search {
            k: 4,
            min_cosine: 0.5,
            exact_limit,
            tables: 8,
            bits: 4,
            max_bucket: 50,
            seed: 3,
        }
    }

    #[test]
    fn exact_search_pairs_each_group_and_nothing_else() {
        let pairs = nearest(groups().view(), &search(100));
        assert_eq!(
            pairs.len(),
            4 * 10,
            "every pair within the four groups of five"
        );
        assert!(pairs.iter().all(|&(i, j)| i % 4 == j % 4 && i < j));
    }

    #[test]
    fn approximate_search_finds_the_same_pairs() {
        let exact = nearest(groups().view(), &search(100));
        let approx = nearest(groups().view(), &search(10));
        assert!(
            approx.iter().all(|p| exact.contains(p)),
            "never a wrong pair"
        );
        assert!(
            approx.len() * 10 >= exact.len() * 9,
            "{} of {}",
            approx.len(),
            exact.len()
        );
        assert_eq!(
            approx,
            nearest(groups().view(), &search(10)),
            "deterministic"
        );
    }

    #[test]
    fn best_keeps_what_top_k_of_every_offer_keeps() {
        let mut rng = Xoshiro256Plus::seed_from_u64(7);
        let (n, k) = (30, 4);
        let mut best = Best::new(n, k);
        let mut all: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
        for i in 0..n {
            for j in i + 1..n {
                if rng.gen_bool(0.4) {
                    continue;
                }
                // Cosines on a coarse grid, so that ties (broken by row) are common.
                let c = f32::from(rng.gen_range(0u8..6)) / 5.0;
                best.offer(i, j, c);
                best.offer(j, i, c);
                all[i].push((j, c));
                all[j].push((i, c));
            }
        }
        let expected: Vec<Vec<(usize, f32)>> = all.into_iter().map(|f| top_k(f, k)).collect();
        assert!(expected.iter().any(|l| l.len() == k));
        assert_eq!(best.into_lists(), expected);
    }

    #[test]
    fn k_and_zero_rows_are_respected() {
        let mut x = groups();
        x.row_mut(0).fill(0.0);
        let pairs = nearest(
            x.view(),
            &Search {
                k: 1,
                ..search(100)
            },
        );
        assert!(pairs.iter().all(|&(i, _)| i != 0));
        assert!(pairs.len() <= 20);
        assert!(nearest(x.slice(s![..1, ..]), &search(100)).is_empty());
    }
}

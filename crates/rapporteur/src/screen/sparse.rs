//! Sparse vectors as sorted `(column, value)` lists: dot products and weighted sums.

/// A sparse vector: `(column, value)` sorted by column, no repeated column.
pub type Sparse = Vec<(u32, f32)>;

/// Dot product of two sparse vectors.
pub fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// `Σ weight · row` (not normalised); entries that cancel out are dropped.
pub fn sum<'a>(rows: impl IntoIterator<Item = (f32, &'a [(u32, f32)])>) -> Sparse {
    let mut all: Vec<(u32, f32)> = rows
        .into_iter()
        .flat_map(|(w, row)| row.iter().map(move |&(c, v)| (c, w * v)))
        .collect();
    all.sort_unstable_by_key(|&(c, _)| c);
    let mut out: Sparse = Vec::with_capacity(all.len());
    for (c, v) in all {
        match out.last_mut() {
            Some(last) if last.0 == c => last.1 += v,
            _ => out.push((c, v)),
        }
    }
    out.retain(|&(_, v)| v.abs() > 1e-7);
    out
}

/// The vector scaled to length 1 (empty when it is zero).
pub fn normalised(mut v: Sparse) -> Sparse {
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
    if norm == 0.0 {
        return Vec::new();
    }
    v.iter_mut().for_each(|(_, x)| *x /= norm);
    v
}

/// `Σ weight · row`, L2-normalised (empty when the sum is zero).
pub fn weighted_sum<'a>(rows: impl IntoIterator<Item = (f32, &'a [(u32, f32)])>) -> Sparse {
    normalised(sum(rows))
}

/// Several lists in one allocation (by default sparse vectors: a small CSR matrix): list `k`
/// is `items[offsets[k]..offsets[k + 1]]`.
#[derive(Debug, Clone)]
pub struct Rows<T = (u32, f32)> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T> Rows<T> {
    /// The lists, in order.
    pub fn new(rows: impl IntoIterator<Item = Vec<T>>) -> Rows<T> {
        let mut out = Rows {
            offsets: vec![0],
            items: Vec::new(),
        };
        out.append(rows);
        out.items.shrink_to_fit();
        out
    }

    fn append(&mut self, rows: impl IntoIterator<Item = Vec<T>>) {
        for row in rows {
            self.items.extend(row);
            self.offsets.push(self.items.len() as u32);
        }
    }

    /// List `k`.
    pub fn row(&self, k: usize) -> &[T] {
        &self.items[self.offsets[k] as usize..self.offsets[k + 1] as usize]
    }

    /// Every list, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[T]> {
        self.offsets
            .windows(2)
            .map(|w| &self.items[w[0] as usize..w[1] as usize])
    }
}

/// The lists of a vector of vectors, each freed once copied, into one allocation of the
/// exact size: no slack, and the many small allocations give their memory back.
impl<T> From<Vec<Vec<T>>> for Rows<T> {
    fn from(rows: Vec<Vec<T>>) -> Rows<T> {
        let mut out = Rows {
            offsets: Vec::with_capacity(rows.len() + 1),
            items: Vec::with_capacity(rows.iter().map(Vec::len).sum()),
        };
        out.offsets.push(0);
        out.append(rows);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_and_weighted_sum() {
        let a: Sparse = vec![(1, 0.6), (4, 0.8)];
        let b: Sparse = vec![(0, 1.0), (4, 0.5)];
        assert!((dot(&a, &b) - 0.4).abs() < 1e-6);
        assert_eq!(dot(&a, &[]), 0.0);
        let s = weighted_sum([(1.0, a.as_slice()), (0.0, b.as_slice())]);
        assert_eq!(s, a);
        let s = weighted_sum([(2.0, a.as_slice()), (2.0, a.as_slice())]);
        assert!((dot(&s, &s) - 1.0).abs() < 1e-6);
        assert!(weighted_sum([(0.0, a.as_slice())]).is_empty());
        assert_eq!(sum([(1.0, a.as_slice()), (-1.0, a.as_slice())]), Vec::new());
        assert_eq!(
            sum([(1.0, a.as_slice()), (1.0, b.as_slice())]),
            vec![(0, 1.0), (1, 0.6), (4, 1.3)]
        );
        let rows: Rows = Rows::new([a.clone(), Vec::new(), b.clone()]);
        assert_eq!(rows.row(0), a.as_slice());
        assert!(rows.row(1).is_empty());
        assert_eq!(rows.iter().collect::<Vec<_>>(), [&a[..], &[], &b[..]]);
        let from = Rows::from(vec![a.clone(), Vec::new(), b.clone()]);
        assert_eq!(from.iter().collect::<Vec<_>>(), [&a[..], &[], &b[..]]);
        assert_eq!(from.items.capacity(), a.len() + b.len());
    }
}

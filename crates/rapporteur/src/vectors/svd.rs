//! Truncated SVD of a sparse matrix by randomised range finding (Halko, Martinsson and Tropp
//! 2011, algorithms 4.4 and 5.1), with power iterations.
//!
//! `A` (n × m, sparse) is multiplied by a seeded random m × l matrix (l = k + oversampling);
//! the range is refined by power iterations, re-orthonormalised each time; the small l × l
//! problem is solved by a symmetric eigendecomposition. Sparse products run on all cores
//! (rows in parallel, each written by one thread), so results do not depend on the thread
//! count.

use linfa_linalg::eigh::Eigh;
use ndarray::{Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use sprs::CsMatI;

/// A sparse matrix in CSR form with `u32` column indices (half the memory of `usize`).
pub type Csr = CsMatI<f32, u32, usize>;

/// The parts of a truncated SVD `A ≈ U S Vᵀ` that LSA needs.
#[derive(Debug, Clone)]
pub struct Decomposition {
    /// `U S` (n × k): the documents in LSA space.
    pub u_s: Array2<f32>,
    /// `V` (m × k): a new row `x` of `A` maps to `x · V`, consistent with `u_s` (`A V = U S`).
    pub v: Array2<f32>,
    /// Singular values, descending (length k).
    pub singular_values: Vec<f32>,
}

/// Sparse × dense: `a` (n × m, CSR) times `b` (m × l).
pub fn sparse_dense(a: &Csr, b: &Array2<f32>) -> Array2<f32> {
    let indptr = a.proper_indptr();
    rows_times_dense(a.rows(), b, |i| {
        let r = indptr[i]..indptr[i + 1];
        a.indices()[r.clone()]
            .iter()
            .map(|&j| j as usize)
            .zip(a.data()[r].iter().copied())
    })
}

/// Sparse rows times dense: `n` rows (`row(i)`: its column indices and values) times `b`
/// (m × l), for rows that are computed rather than stored.
pub fn rows_times_dense<R>(
    n: usize,
    b: &Array2<f32>,
    row: impl Fn(usize) -> R + Sync,
) -> Array2<f32>
where
    R: IntoIterator<Item = (usize, f32)>,
{
    let b = b.as_standard_layout();
    let l = b.ncols();
    let mut out = Array2::<f32>::zeros((n, l));
    out.axis_iter_mut(Axis(0))
        .into_par_iter()
        .enumerate()
        .for_each(|(i, mut out)| {
            // Plain slices: the inner loop vectorises, without ndarray's per-call overhead.
            let out = out
                .as_slice_mut()
                .expect("rows of a new array are contiguous");
            for (j, v) in row(i) {
                let src = b.row(j);
                let src = src.as_slice().expect("standard layout rows are contiguous");
                for (o, &x) in out.iter_mut().zip(src) {
                    *o += v * x;
                }
            }
        });
    out
}

/// Orthonormal basis of the columns of `y` by symmetric orthogonalisation of the Gram
/// matrix (twice, for accuracy). Columns in the null space are dropped.
fn orthonormalize(y: &Array2<f32>) -> Result<Array2<f32>, String> {
    let mut q = y.clone();
    for _ in 0..2 {
        let gram = q.t().dot(&q).mapv(f64::from);
        let (vals, vecs) = gram.eigh().map_err(|e| e.to_string())?;
        let max = vals.iter().cloned().fold(0.0f64, f64::max);
        let keep: Vec<usize> = (0..vals.len())
            .filter(|&i| vals[i] > max * 1e-10 && vals[i] > 0.0)
            .collect();
        if keep.is_empty() {
            return Err("the matrix is zero".into());
        }
        let mut w = Array2::<f32>::zeros((vecs.nrows(), keep.len()));
        for (c, &i) in keep.iter().enumerate() {
            let scale = 1.0 / vals[i].sqrt();
            for r in 0..vecs.nrows() {
                w[[r, c]] = (vecs[[r, i]] * scale) as f32;
            }
        }
        q = q.dot(&w);
    }
    Ok(q)
}

/// Truncated SVD of rank `k` of `a`.
pub fn randomized(
    a: &Csr,
    k: usize,
    oversample: usize,
    power_iterations: usize,
    seed: u64,
) -> Result<Decomposition, String> {
    let (n, m) = (a.rows(), a.cols());
    let l = (k + oversample).min(n).min(m).max(1);
    let at: Csr = a.transpose_view().to_csr();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let omega = Array2::from_shape_fn((m, l), |_| rng.r#gen::<f32>() * 2.0 - 1.0);
    let y = sparse_dense(a, &omega);
    // Large matrices go as soon as they are used: the SVD sets the vector stage's peak memory.
    drop(omega);
    let mut q = orthonormalize(&y)?;
    drop(y);
    for _ in 0..power_iterations {
        // Only the document side is re-orthonormalised: the term side (Aᵀ Q) is as tall as
        // the vocabulary, often 10–30× the documents, and orthonormalising it cost more than
        // all the sparse products. One step multiplies by A Aᵀ, which squares the spread of
        // the singular values; Q's orthonormalisation after each step keeps f32 accurate.
        let z = sparse_dense(&at, &q);
        q = orthonormalize(&sparse_dense(a, &z))?;
    }
    // B = Qᵀ A, handled through Z = Aᵀ Q = Bᵀ; B Bᵀ = Zᵀ Z.
    let z = sparse_dense(&at, &q);
    drop(at);
    let bbt = z.t().dot(&z).mapv(f64::from);
    let (vals, vecs) = bbt.eigh().map_err(|e| e.to_string())?;
    let mut order: Vec<usize> = (0..vals.len()).collect();
    order.sort_by(|&i, &j| vals[j].total_cmp(&vals[i]));
    let k = k.min(order.len());
    let mut w = Array2::<f32>::zeros((vecs.nrows(), k));
    let mut singular_values = Vec::with_capacity(k);
    for (c, &i) in order.iter().take(k).enumerate() {
        singular_values.push(vals[i].max(0.0).sqrt() as f32);
        for r in 0..vecs.nrows() {
            w[[r, c]] = vecs[[r, i]] as f32;
        }
    }
    // B = W S Vᵀ, so U = Q W (U S = Q W S) and V = Bᵀ W S⁻¹ = Z W S⁻¹.
    let mut u_s = q.dot(&w);
    let mut v = z.dot(&w);
    for (c, &sv) in singular_values.iter().enumerate() {
        u_s.column_mut(c).mapv_inplace(|x| x * sv);
        let inv = if sv > 0.0 { 1.0 / sv } else { 0.0 };
        v.column_mut(c).mapv_inplace(|x| x * inv);
    }
    Ok(Decomposition {
        u_s,
        v,
        singular_values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::TriMatI;

    /// A random sparse matrix of known low rank plus noise.
    fn low_rank(n: usize, m: usize, rank: usize, seed: u64) -> (Csr, Array2<f32>) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let left = Array2::from_shape_fn((n, rank), |_| rng.r#gen::<f32>());
        let right = Array2::from_shape_fn((rank, m), |_| rng.r#gen::<f32>());
        let dense = left.dot(&right);
        let mut t = TriMatI::<f32, u32>::new((n, m));
        for ((i, j), &v) in dense.indexed_iter() {
            t.add_triplet(i, j, v);
        }
        (t.to_csr(), dense)
    }

    #[test]
    fn recovers_the_singular_values_of_a_low_rank_matrix() {
        let (a, dense) = low_rank(60, 40, 5, 7);
        let d = randomized(&a, 5, 10, 2, 1).unwrap();
        // The exact singular values, from the eigenvalues of AᵀA.
        let (vals, _) = dense.t().dot(&dense).mapv(f64::from).eigh().unwrap();
        let mut exact: Vec<f64> = vals.iter().map(|v| v.max(0.0).sqrt()).collect();
        exact.sort_by(|a, b| b.total_cmp(a));
        for (got, want) in d.singular_values.iter().zip(&exact) {
            assert!(
                (f64::from(*got) - want).abs() / want < 1e-3,
                "{got} vs {want}"
            );
        }
        // U S Vᵀ reconstructs A, and projecting A's rows gives U S back.
        let projected = sparse_dense(&a, &d.v);
        let us_norm = d.u_s.mapv(|x| x * x).sum().sqrt();
        let diff = (&projected - &d.u_s).mapv(|x| x * x).sum().sqrt();
        assert!(diff / us_norm < 1e-3, "projection error {}", diff / us_norm);
    }

    #[test]
    fn same_seed_same_result() {
        let (a, _) = low_rank(30, 20, 3, 3);
        let x = randomized(&a, 3, 5, 1, 9).unwrap();
        let y = randomized(&a, 3, 5, 1, 9).unwrap();
        assert_eq!(x.u_s, y.u_s);
    }

    #[test]
    fn zero_matrix_is_an_error() {
        let a: Csr = TriMatI::<f32, u32>::new((4, 3)).to_csr();
        assert!(randomized(&a, 2, 1, 1, 0).is_err());
    }
}

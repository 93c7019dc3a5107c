//! A 2-D map of the clustered documents: the first two principal components of their LSA rows.

use ndarray::{Array1, Array2, Axis};
use serde::Serialize;

/// Where a document sits on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapPoint {
    /// Document id.
    pub id: String,
    /// First principal component.
    pub x: f32,
    /// Second principal component.
    pub y: f32,
}

/// Rows converted to `f64` and centred at a time: the whole matrix in `f64`, twice, was the
/// largest allocation of a clustering of 100,000 documents.
const BLOCK: usize = 8192;

/// The rows of `x`, centred, projected on their first two principal components (power
/// iteration on the covariance with deflation, from a fixed start, so deterministic). Each
/// component's sign is fixed so that its largest loading is positive; coordinates are rounded
/// to 4 decimals.
pub(super) fn principal_plane(x: &Array2<f32>) -> Vec<[f32; 2]> {
    let (n, d) = x.dim();
    if n == 0 || d == 0 {
        return vec![[0.0, 0.0]; n];
    }
    let blocks = || {
        x.axis_chunks_iter(Axis(0), BLOCK)
            .map(|b| b.mapv(f64::from))
    };
    let mut sum = Array1::<f64>::zeros(d);
    for b in blocks() {
        sum += &b.sum_axis(Axis(0));
    }
    let mean = sum / n as f64;
    let centred = || blocks().map(|b| b - &mean);
    let mut cov = Array2::<f64>::zeros((d, d));
    for c in centred() {
        cov += &c.t().dot(&c);
    }
    let mut coords = vec![[0.0f32; 2]; n];
    for axis in 0..2 {
        let Some((value, v)) = top_eigenvector(&cov) else {
            break;
        };
        let scores = centred().flat_map(|c| c.dot(&v));
        for (c, s) in coords.iter_mut().zip(scores) {
            c[axis] = ((s * 1e4).round() / 1e4) as f32;
        }
        // Deflate: remove the component found.
        let outer = v
            .view()
            .insert_axis(Axis(1))
            .dot(&v.view().insert_axis(Axis(0)));
        cov.scaled_add(-value, &outer);
    }
    coords
}

/// The largest eigenvalue of a symmetric positive semi-definite matrix and its unit
/// eigenvector, or `None` when the matrix is (numerically) zero.
fn top_eigenvector(m: &Array2<f64>) -> Option<(f64, Array1<f64>)> {
    let d = m.nrows();
    let mut v = Array1::from_shape_fn(d, |i| 1.0 + i as f64 / d as f64);
    v /= v.dot(&v).sqrt();
    let mut value = 0.0;
    for _ in 0..500 {
        let next = m.dot(&v);
        let norm = next.dot(&next).sqrt();
        if norm < 1e-12 {
            return None;
        }
        let next = next / norm;
        let delta = (&next - &v).mapv(f64::abs).sum();
        v = next;
        value = norm;
        if delta < 1e-10 {
            break;
        }
    }
    let largest = v
        .iter()
        .copied()
        .fold(0.0f64, |a, b| if b.abs() > a.abs() { b } else { a });
    if largest < 0.0 {
        v.mapv_inplace(|a| -a);
    }
    Some((value, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn points_on_a_line_spread_on_the_first_axis() {
        let x = array![[0.0f32, 0.0, 1.0], [1.0, 1.0, 1.0], [2.0, 2.0, 1.0]];
        let p = principal_plane(&x);
        assert_eq!(p.len(), 3);
        assert!((p[0][0] + p[2][0]).abs() < 1e-3, "{p:?}");
        assert!(p[2][0] > 1.0, "{p:?}");
        assert!(p.iter().all(|c| c[1].abs() < 1e-3), "{p:?}");
    }

    #[test]
    fn degenerate_inputs_give_the_origin() {
        assert!(principal_plane(&Array2::<f32>::zeros((0, 3))).is_empty());
        assert_eq!(
            principal_plane(&Array2::<f32>::ones((2, 3))),
            vec![[0.0, 0.0]; 2]
        );
    }
}

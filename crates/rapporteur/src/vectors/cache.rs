//! Fitted vectors kept in a file, so that clustering the same documents again (another `k`,
//! another questions file, the report) does not fit them again.
//!
//! The file starts with a magic line and a JSON header holding the caller's key (which names
//! the documents: the index generation and the ids) and the parameters; then the numeric
//! arrays, little-endian. A file written for another key or other parameters, of another
//! format version, or cut short, is a miss: the vectors are fitted and the file rewritten
//! (to a temporary name, renamed over the old one, so that a reader never sees half a file).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use sprs::CsMatI;

use super::{HashIndex, Texts, VectorError, VectorParams, VectorValidParams, Vectors};

/// First bytes of a cache file; the last digit is the format version.
const MAGIC: &[u8; 8] = b"RPVECS01";

/// What a cache file says of itself before its arrays.
#[derive(Serialize, Deserialize)]
struct Header {
    key: String,
    params: VectorParams,
    terms: Vec<String>,
    rows: usize,
    nnz: usize,
    dims: usize,
    singular_values: Vec<f32>,
}

/// How [`VectorValidParams::fit_cached`] got its vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheUse {
    /// Read from the cache.
    Hit,
    /// Fitted, and the cache written.
    Written,
    /// Fitted, but the cache could not be written (the reason).
    NotWritten(String),
}

impl VectorValidParams {
    /// The vectors of `texts`: read from `path` when it holds vectors fitted with these
    /// parameters for the same `key`, else fitted and written there. `key` must change
    /// whenever the texts may have: the caller names them (an index generation and the
    /// documents' ids).
    pub fn fit_cached<T: Texts + ?Sized>(
        &self,
        texts: &T,
        path: &Path,
        key: &str,
    ) -> Result<(Vectors, CacheUse), VectorError> {
        if let Some(v) = read(path, key, &self.0).filter(|v| v.lsa.nrows() == texts.len()) {
            return Ok((v, CacheUse::Hit));
        }
        let v = self.fit_on(texts)?;
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let written = File::create(&tmp)
            .and_then(|f| {
                let mut out = BufWriter::new(f);
                write(&v, key, &mut out)?;
                out.into_inner().map_err(|e| e.into_error())?.sync_all()
            })
            .and_then(|()| std::fs::rename(&tmp, path));
        Ok(match written {
            Ok(()) => (v, CacheUse::Written),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                (v, CacheUse::NotWritten(format!("{}: {e}", path.display())))
            }
        })
    }
}

fn write(v: &Vectors, key: &str, out: &mut impl Write) -> io::Result<()> {
    let header = serde_json::to_vec(&Header {
        key: key.to_string(),
        params: v.params.clone(),
        terms: v.terms.clone(),
        rows: v.counts.rows(),
        nnz: v.counts.nnz(),
        dims: v.lsa.ncols(),
        singular_values: v.singular_values.clone(),
    })?;
    out.write_all(MAGIC)?;
    out.write_all(&(header.len() as u64).to_le_bytes())?;
    out.write_all(&header)?;
    let mut hashes = vec![0u64; v.terms.len()];
    for (&h, &c) in &v.term_index {
        hashes[c as usize] = h;
    }
    for h in hashes {
        out.write_all(&h.to_le_bytes())?;
    }
    for &i in v.counts.indptr().raw_storage() {
        out.write_all(&(i as u64).to_le_bytes())?;
    }
    for &c in v.counts.indices() {
        out.write_all(&c.to_le_bytes())?;
    }
    let floats = v.idf.iter().chain(&v.term_totals).chain(v.counts.data());
    let arrays = v.lsa.iter().chain(v.projection.iter());
    for x in floats.chain(arrays) {
        out.write_all(&x.to_le_bytes())?;
    }
    Ok(())
}

/// The vectors in `path` if it holds a whole cache file for `key` and `params`.
fn read(path: &Path, key: &str, params: &VectorParams) -> Option<Vectors> {
    let mut input = BufReader::new(File::open(path).ok()?);
    let mut magic = [0u8; 8];
    input.read_exact(&mut magic).ok()?;
    if &magic != MAGIC {
        return None;
    }
    let len = values(&mut input, 1, u64::from_le_bytes)?[0];
    // The header holds the vocabulary: at most a few MB; a larger length is corruption.
    if len > 1 << 30 {
        return None;
    }
    let mut header = vec![0u8; len as usize];
    input.read_exact(&mut header).ok()?;
    let h: Header = serde_json::from_slice(&header).ok()?;
    if h.key != key || &h.params != params {
        return None;
    }
    let m = h.terms.len();
    let term_index: HashIndex<u32> = values(&mut input, m, u64::from_le_bytes)?
        .into_iter()
        .enumerate()
        .map(|(c, hash)| (hash, c as u32))
        .collect();
    let indptr: Vec<usize> = values(&mut input, h.rows + 1, u64::from_le_bytes)?
        .into_iter()
        .map(|i| i as usize)
        .collect();
    let indices = values(&mut input, h.nnz, u32::from_le_bytes)?;
    let idf = values(&mut input, m, f32::from_le_bytes)?;
    let term_totals = values(&mut input, m, f32::from_le_bytes)?;
    let data = values(&mut input, h.nnz, f32::from_le_bytes)?;
    let lsa = Array2::from_shape_vec(
        (h.rows, h.dims),
        values(&mut input, h.rows * h.dims, f32::from_le_bytes)?,
    )
    .ok()?;
    let projection = Array2::from_shape_vec(
        (m, h.dims),
        values(&mut input, m * h.dims, f32::from_le_bytes)?,
    )
    .ok()?;
    // Anything after the arrays means the file is not what the header says.
    if input.read(&mut [0u8]).ok()? != 0 {
        return None;
    }
    let counts = CsMatI::try_new((h.rows, m), indptr, indices, data).ok()?;
    Some(Vectors {
        params: h.params,
        terms: h.terms,
        term_index,
        idf,
        counts,
        term_totals,
        lsa,
        projection,
        singular_values: h.singular_values,
    })
}

/// Reads `n` little-endian values of `N` bytes each, made by `from`.
fn values<const N: usize, T>(
    input: &mut impl Read,
    n: usize,
    from: fn([u8; N]) -> T,
) -> Option<Vec<T>> {
    let mut bytes = vec![0u8; n.checked_mul(N)?];
    input.read_exact(&mut bytes).ok()?;
    Some(
        bytes
            .chunks_exact(N)
            .map(|c| from(c.try_into().expect("chunks of N bytes")))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Kind};

    fn docs(extra: &str) -> Vec<Document> {
        [
            "Community networks connect rural villages with spectrum and local operators.",
            "Spectrum policy and community networks for rural connectivity.",
            "Rural connectivity needs community networks and cheaper spectrum licences.",
            "Cross-border data flows need trust and data protection rules.",
            "Data protection rules make cross-border data flows trusted.",
            extra,
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut d = Document::new(i.to_string(), Kind::Proposal, *t);
            d.language = Some("en".into());
            d
        })
        .collect()
    }

    fn same(a: &Vectors, b: &Vectors) -> bool {
        a.terms == b.terms
            && a.term_index == b.term_index
            && a.idf == b.idf
            && a.counts == b.counts
            && a.term_totals == b.term_totals
            && a.lsa == b.lsa
            && a.projection == b.projection
            && a.singular_values == b.singular_values
    }

    #[test]
    fn a_cache_is_read_back_for_its_key_and_params_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vectors.bin");
        let corpus = docs("Trust in cross-border data flows depends on data protection.");
        let p = VectorParams::new().dims(2).check().unwrap();
        let (fitted, how) = p.fit_cached(corpus.as_slice(), &path, "gen 1").unwrap();
        assert_eq!(how, CacheUse::Written);
        let (read, how) = p.fit_cached(corpus.as_slice(), &path, "gen 1").unwrap();
        assert_eq!(how, CacheUse::Hit);
        assert!(same(&fitted, &read));
        // Projection of new text works the same from the read vectors.
        let a = fitted.project(
            "rural spectrum",
            crate::analysis::Analyzer::for_code(Some("en")),
        );
        let b = read.project(
            "rural spectrum",
            crate::analysis::Analyzer::for_code(Some("en")),
        );
        assert_eq!(a, b);

        // Another key (the documents changed): fitted again on the new texts, and rewritten.
        let changed = docs("Data protection and trust in rural community networks.");
        let (refit, how) = p.fit_cached(changed.as_slice(), &path, "gen 2").unwrap();
        assert_eq!(how, CacheUse::Written);
        assert!(!same(&refit, &fitted));
        // Other parameters: a miss too.
        let q = VectorParams::new().dims(3).check().unwrap();
        assert_eq!(
            q.fit_cached(changed.as_slice(), &path, "gen 2").unwrap().1,
            CacheUse::Written
        );
    }

    #[test]
    fn a_damaged_cache_is_a_miss_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vectors.bin");
        let corpus = docs("Trust in cross-border data flows depends on data protection.");
        let p = VectorParams::new().dims(2).check().unwrap();
        let (fitted, _) = p.fit_cached(corpus.as_slice(), &path, "k").unwrap();
        let whole = std::fs::read(&path).unwrap();
        for damaged in [
            whole[..whole.len() - 3].to_vec(),
            [whole.as_slice(), b"x"].concat(),
            b"RPVECS01garbage".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&path, &damaged).unwrap();
            let (v, how) = p.fit_cached(corpus.as_slice(), &path, "k").unwrap();
            assert_eq!(how, CacheUse::Written);
            assert!(same(&v, &fitted));
        }
        // A folder where the file should be: fitted, and the reason it was not written.
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        let (_, how) = p.fit_cached(corpus.as_slice(), &path, "k").unwrap();
        assert!(matches!(how, CacheUse::NotWritten(_)), "{how:?}");
    }
}

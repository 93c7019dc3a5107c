//! The ingest benchmark: time `Index::open_or_create` + `Index::add` of a generated corpus
//! into a fresh index folder, and the peak memory of that work alone.
//!
//! The measured stage runs in a child process (`rapporteur-bench stage ingest CORPUS INDEX`)
//! that reports its own wall time and `VmHWM` (the resident-set high-water mark) from
//! `/proc/self/status` as one JSON line just before it exits. A child is needed because the
//! parent has generated the corpus, and `getrusage`'s `ru_maxrss` would carry the parent's
//! peak across fork and exec.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};
use rapporteur::index::Index;
use rapporteur::ingest::IngestOptions;
use serde::{Deserialize, Serialize};

use crate::r#gen::{Model, write_corpus};

/// Bump when the generator's output changes, so cached corpora are not reused.
const GENERATOR_VERSION: u32 = 1;

/// What the child process measures and prints.
#[derive(Debug, Serialize, Deserialize)]
pub struct Stage {
    /// Documents in the index after the commit.
    pub documents: u64,
    /// Input bytes read.
    pub input_bytes: u64,
    /// Wall time of `open_or_create` + `add` (including tantivy's commit and merges).
    pub seconds: f64,
    /// CPU time (user + system, all threads) of the child process.
    pub cpu_seconds: f64,
    /// The 1-minute load average when the work started: other processes' share of the CPUs.
    pub load_at_start: f64,
    /// Resident set of the child before the work started, in KiB.
    pub rss_start_kib: u64,
    /// Peak resident set (VmHWM) of the child, in KiB.
    pub peak_rss_kib: u64,
}

/// One benchmark result.
#[derive(Debug, Serialize)]
pub struct Measurement {
    /// Documents generated.
    pub n: usize,
    /// Generator seed.
    pub seed: u64,
    /// What the child measured.
    #[serde(flatten)]
    pub stage: Stage,
    /// Documents per second.
    pub docs_per_s: f64,
    /// Input megabytes (10^6 bytes) per second.
    pub mb_per_s: f64,
    /// Size of the index folder afterwards.
    pub index_bytes: u64,
}

impl Measurement {
    /// The Markdown table header matching [`Measurement::row`].
    pub const HEADER: &str = "| N | input MB | seconds | CPU s | docs/s | MB/s | peak RSS MiB | index MiB | load |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /// One Markdown table row.
    pub fn row(&self) -> String {
        let mib = |b: u64| b as f64 / (1 << 20) as f64;
        format!(
            "| {} | {:.1} | {:.2} | {:.2} | {:.0} | {:.2} | {:.0} | {:.0} | {:.2} |",
            self.n,
            self.stage.input_bytes as f64 / 1e6,
            self.stage.seconds,
            self.stage.cpu_seconds,
            self.docs_per_s,
            self.mb_per_s,
            mib(self.stage.peak_rss_kib << 10),
            mib(self.index_bytes),
            self.stage.load_at_start
        )
    }
}

/// The corpus of `n` documents for `seed` under `target/bench-corpora/`, generated on first
/// use (written to a temporary name and renamed, so an interrupted run is not reused).
pub fn corpus(n: usize, seed: u64) -> anyhow::Result<PathBuf> {
    let dir = target_dir().join("bench-corpora");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir.canonicalize()?;
    let path = dir.join(format!("igf-v{GENERATOR_VERSION}-seed{seed}-n{n}.jsonl"));
    if !path.exists() {
        let start = Instant::now();
        let tmp = path.with_extension("jsonl.tmp");
        let mut out = BufWriter::new(File::create(&tmp)?);
        let bytes = write_corpus(&Model::new(seed), n, &mut out)?;
        drop(out);
        std::fs::rename(&tmp, &path)?;
        eprintln!(
            "generated {} ({:.1} MB) in {:.2} s",
            path.display(),
            bytes as f64 / 1e6,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(path)
}

/// Generates (or reuses) the corpus and measures indexing it in a child process. The index
/// goes to a temporary folder, removed afterwards, or to `keep`, which must be empty or absent.
pub fn measure(n: usize, seed: u64, keep: Option<&Path>) -> anyhow::Result<Measurement> {
    let corpus = corpus(n, seed)?;
    let tmp = tempfile::Builder::new()
        .prefix("rapporteur-bench-")
        .tempdir()?;
    let index = match keep {
        Some(dir) if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) => {
            bail!(
                "{} is not empty: --keep needs a fresh folder",
                dir.display()
            )
        }
        Some(dir) => dir.to_path_buf(),
        None => tmp.path().join("index"),
    };
    eprintln!("indexing {n} documents into {}", index.display());
    let out = Command::new(std::env::current_exe()?)
        .args(["stage", "ingest"])
        .arg(&corpus)
        .arg(&index)
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        bail!("the indexing stage failed ({})", out.status);
    }
    let line = String::from_utf8_lossy(&out.stdout);
    let stage: Stage = serde_json::from_str(line.lines().last().unwrap_or_default())
        .with_context(|| format!("unreadable stage report: {line}"))?;
    if stage.documents != n as u64 {
        bail!("indexed {} documents, expected {n}", stage.documents);
    }
    let index_bytes = std::fs::read_dir(&index)?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    Ok(Measurement {
        n,
        seed,
        docs_per_s: n as f64 / stage.seconds,
        mb_per_s: stage.input_bytes as f64 / 1e6 / stage.seconds,
        stage,
        index_bytes,
    })
}

/// The measured stage, run in the child: indexes `corpus` into `index` and prints a [`Stage`]
/// as JSON on stdout.
pub fn stage_ingest(corpus: &Path, index: &Path) -> anyhow::Result<()> {
    let rss_start_kib = proc_status_kib("VmRSS")?;
    let load_at_start = std::fs::read_to_string("/proc/loadavg")?
        .split_whitespace()
        .next()
        .and_then(|l| l.parse().ok())
        .context("unreadable /proc/loadavg")?;
    let cpu_start = cpu_seconds()?;
    let start = Instant::now();
    let idx = Index::open_or_create(index)?;
    let report = idx.add(
        &[corpus.to_path_buf()],
        &IngestOptions::default(),
        &mut |_| {},
    )?;
    let seconds = start.elapsed().as_secs_f64();
    let stage = Stage {
        documents: report.total,
        input_bytes: report.ingest.bytes,
        seconds,
        cpu_seconds: cpu_seconds()? - cpu_start,
        load_at_start,
        rss_start_kib,
        peak_rss_kib: proc_status_kib("VmHWM")?,
    };
    println!("{}", serde_json::to_string(&stage)?);
    Ok(())
}

/// A `kB` field of `/proc/self/status` (Linux).
fn proc_status_kib(field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().strip_suffix("kB")?.trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/self/status"))
}

/// User + system CPU time of this process, all threads (`/proc/self/stat` fields 14 and 15,
/// in ticks of USER_HZ = 100 per second on Linux).
fn cpu_seconds() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // Fields after the parenthesised command name, which may itself contain spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => Ok((user + system) as f64 / 100.0),
        _ => bail!("unreadable /proc/self/stat"),
    }
}

/// Cargo's target folder: `$CARGO_TARGET_DIR`, else the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    )
}

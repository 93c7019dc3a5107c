//! The benchmark harness: each stage of rapporteur on a generated corpus, timed with its peak
//! memory, and the same work done by the reference Python pipeline (`peer/scale.py`) on the
//! same documents in the same run.
//!
//! Every measured stage runs in a child process (`rapporteur-bench stage <name> CORPUS …`)
//! that reports its own wall time, CPU time and `VmHWM` (the resident-set high-water mark)
//! from `/proc/self/status` as one JSON line just before it exits. A child is needed because
//! the parent has generated the corpus, and `getrusage`'s `ru_maxrss` would carry the
//! parent's peak across fork and exec. The screen and converge stages work on documents in
//! memory: they load them first, then reset the high-water mark (`/proc/self/clear_refs`), as
//! the peer does after loading, so both report the memory of the pipeline with the corpus
//! loaded (the converge stage has no peer). The
//! cluster stage streams: its time and peak memory include reading and parsing the JSON Lines
//! file (ingest: normalisation, form parsing, language detection) into a
//! [`rapporteur::vectors::Corpus`], whose topic texts wait in a temporary file; nothing is
//! reset, while the peer's figures still exclude its loading and include the texts it holds.
//! The e2e stage is the product's pipeline in one process (index, read the documents back
//! from the index, cluster, screen), measured from its start with nothing reset: the
//! number to hold against the end-to-end targets.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};
use rapporteur::cluster::ClusterParams;
use rapporteur::converge::{Class, ConvergeParams};
use rapporteur::draft::DraftParams;
use rapporteur::eval::metrics::partition_scores;
use rapporteur::index::Index;
use rapporteur::ingest::{IngestOptions, Sink, ingest, load};
use rapporteur::questions::PolicyQuestions;
use rapporteur::screen::{PairClass, ScreenParams};
use rapporteur::vectors::{Corpus, Documents, VectorParams};
use rapporteur::{Document, Kind};
use serde::{Deserialize, Serialize};

use crate::r#gen::{Model, TOPICS, write_corpus, write_takeaways};

/// Bump when the generator's output changes, so cached corpora are not reused.
const GENERATOR_VERSION: u32 = 1;

/// The stages the harness can measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum StageName {
    /// Index the JSON Lines corpus into a fresh tantivy index (read, parse, detect language,
    /// analyse, index, commit).
    Ingest,
    /// Read the JSON Lines corpus into a [`rapporteur::vectors::Corpus`] (streaming), then
    /// TF-IDF, LSA (randomised SVD to 100 dimensions) and unguided k-means with k = 20, with
    /// cluster labels; the peer's `cluster` pipeline does TF-IDF → SVD(100) → k-means(20)
    /// on texts it loaded before its clock started.
    Cluster,
    /// Overlap screening of every document against every other (MinHash LSH and LSA
    /// neighbours, pair scoring, evidence); the peer's `minhash` pipeline does MinHash LSH.
    Screen,
    /// Convergence and messages on the generated session takeaways (one proposal in
    /// [`crate::r#gen::SESSION_EVERY`] is a session with 3–4 key messages) against one generated policy
    /// question per topic: statements, their space and questions, grouping into converging
    /// and diverging points, then the drafted messages with the guideline check. No peer
    /// pipeline does this.
    Converge,
    /// The whole pipeline in one process, as a user runs it: the ingest stage's indexing,
    /// the documents read back from the index, the cluster stage's vectors and k-means on
    /// them, then the screen stage's screening. Nothing is reset: the peak is the
    /// pipeline's. The peer's `cluster` and `minhash` pipelines, one after the other: their
    /// times summed, the larger of their peaks (each excluding its loading).
    E2e,
}

impl StageName {
    fn as_str(self) -> &'static str {
        match self {
            StageName::Ingest => "ingest",
            StageName::Cluster => "cluster",
            StageName::Screen => "screen",
            StageName::Converge => "converge",
            StageName::E2e => "e2e",
        }
    }

    /// The peer pipelines that do the same work, if any.
    fn peer_pipelines(self) -> &'static [&'static str] {
        match self {
            StageName::Ingest | StageName::Converge => &[],
            StageName::Cluster => &["cluster"],
            StageName::Screen => &["minhash"],
            StageName::E2e => &["cluster", "minhash"],
        }
    }
}

/// Sample sizes of the vector and clustering fits, when not the library's defaults (to
/// measure what fitting on a sample costs in quality).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Samples {
    /// Fit the SVD on at most this many documents (default: the library's).
    #[arg(long, value_name = "N")]
    pub svd_sample: Option<usize>,
    /// Choose the vocabulary on at most this many documents (default: the library's).
    #[arg(long, value_name = "N")]
    pub vocab_sample: Option<usize>,
    /// Fit k-means on at most this many documents (default: the library's).
    #[arg(long, value_name = "N")]
    pub kmeans_sample: Option<usize>,
}

impl Samples {
    fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for (flag, value) in [
            ("--svd-sample", self.svd_sample),
            ("--vocab-sample", self.vocab_sample),
            ("--kmeans-sample", self.kmeans_sample),
        ] {
            if let Some(v) = value {
                args.extend([flag.to_string(), v.to_string()]);
            }
        }
        args
    }
}

/// What a child process measures and prints.
#[derive(Debug, Serialize, Deserialize)]
pub struct StageReport {
    /// Documents the stage worked on.
    pub documents: u64,
    /// Input bytes.
    pub input_bytes: u64,
    /// Wall time of the measured work (for the screen stage, not the loading of the
    /// documents).
    pub seconds: f64,
    /// CPU time (user + system, all threads) of the measured work.
    pub cpu_seconds: f64,
    /// Wall time of the steps of the work.
    pub steps: BTreeMap<String, f64>,
    /// Peak resident set (VmHWM) at the end of each step, in KiB: the step that raised it is
    /// where the memory went.
    #[serde(default)]
    pub step_peak_rss_kib: BTreeMap<String, u64>,
    /// CPU time (all threads) of each step: unlike wall time, it barely moves with the load
    /// of other processes.
    #[serde(default)]
    pub step_cpu_seconds: BTreeMap<String, f64>,
    /// Quality against the generator's ground truth (NMI against the topics, recall of the
    /// planted duplicates…).
    pub quality: BTreeMap<String, f64>,
    /// The 1-minute load average when the work started: other processes' share of the CPUs.
    pub load_at_start: f64,
    /// Resident set when the measured work started, in KiB.
    pub rss_start_kib: u64,
    /// Peak resident set (VmHWM) during the measured work, in KiB.
    pub peak_rss_kib: u64,
}

/// The peer's measurement of the same work.
#[derive(Debug, Clone, Serialize)]
pub struct PeerReport {
    /// The peer pipeline (`cluster`, `minhash`, or both joined by `+`).
    pub pipeline: String,
    /// Wall time of the pipeline (the peer's `timing_s.total`).
    pub seconds: f64,
    /// Peak resident set (VmHWM, reset after loading), in KiB.
    pub peak_rss_kib: u64,
    /// Quality against the same ground truth.
    pub quality: BTreeMap<String, f64>,
}

/// One benchmark result: a stage at one size, with the peer's run of the same work.
#[derive(Debug, Serialize)]
pub struct Measurement {
    /// Stage.
    pub stage: StageName,
    /// Documents generated.
    pub n: usize,
    /// Generator seed.
    pub seed: u64,
    /// What the child measured.
    pub ours: StageReport,
    /// Documents per second.
    pub docs_per_s: f64,
    /// The peer's run, when the peer was available and does this work.
    pub peer: Option<PeerReport>,
}

impl Measurement {
    /// The Markdown table header matching [`Measurement::row`].
    pub const HEADER: &str = "| stage | N | seconds | CPU s | docs/s | peak RSS MiB | quality | steps (wall / CPU s) | peer s | peer RSS MiB | peer quality | speed-up | memory ratio | load |\n\
         |---|---:|---:|---:|---:|---:|---|---|---:|---:|---|---:|---:|---:|";

    /// One Markdown table row.
    pub fn row(&self) -> String {
        let mib = |kib: u64| kib as f64 / 1024.0;
        let list = |m: &BTreeMap<String, f64>, digits: usize| {
            m.iter()
                .map(|(k, v)| match v.fract() == 0.0 && *v >= 1.0 {
                    true => format!("{k} {v}"),
                    false => format!("{k} {v:.digits$}"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let o = &self.ours;
        let steps = o
            .steps
            .iter()
            .map(|(k, wall)| match o.step_cpu_seconds.get(k) {
                Some(cpu) => format!("{k} {wall:.2} / {cpu:.2}"),
                None => format!("{k} {wall:.2}"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let (peer_s, peer_rss, peer_q, speed, mem) = match &self.peer {
            Some(p) => (
                format!("{:.2}", p.seconds),
                format!("{:.0}", mib(p.peak_rss_kib)),
                list(&p.quality, 3),
                format!("{:.1}×", p.seconds / o.seconds),
                format!("{:.2}", o.peak_rss_kib as f64 / p.peak_rss_kib as f64),
            ),
            None => Default::default(),
        };
        format!(
            "| {} | {} | {:.2} | {:.2} | {:.0} | {:.0} | {} | {} | {peer_s} | {peer_rss} | {peer_q} | {speed} | {mem} | {:.2} |",
            self.stage.as_str(),
            self.n,
            o.seconds,
            o.cpu_seconds,
            self.docs_per_s,
            mib(o.peak_rss_kib),
            list(&o.quality, 3),
            steps,
            o.load_at_start
        )
    }
}

/// The corpus of `n` documents for `seed` under `target/bench-corpora/`, generated on first
/// use.
pub fn corpus(n: usize, seed: u64) -> anyhow::Result<PathBuf> {
    let dir = target_dir().join("bench-corpora");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir
        .canonicalize()?
        .join(format!("igf-v{GENERATOR_VERSION}-seed{seed}-n{n}.jsonl"));
    cached(&path, |out| write_corpus(&Model::new(seed), n, out))?;
    Ok(path)
}

/// The inputs of the converge stage beside `corpus` (of `n` documents for `seed`): the
/// takeaways of its sessions, and its policy questions; generated on first use.
fn converge_inputs(corpus: &Path, n: usize, seed: u64) -> anyhow::Result<(PathBuf, PathBuf)> {
    let (takeaways, questions) = converge_paths(corpus);
    let model = Model::new(seed);
    cached(&takeaways, |out| write_takeaways(&model, n, out))?;
    cached(&questions, |out| {
        let toml = model.questions_toml();
        out.write_all(toml.as_bytes())?;
        Ok(toml.len() as u64)
    })?;
    Ok((takeaways, questions))
}

/// Where [`converge_inputs`] keeps the takeaways and questions of `corpus`.
fn converge_paths(corpus: &Path) -> (PathBuf, PathBuf) {
    (
        corpus.with_extension("takeaways.jsonl"),
        corpus.with_extension("questions.toml"),
    )
}

/// Writes `path` with `write` unless it exists, through a temporary name renamed at the end
/// (so that an interrupted run is not reused).
fn cached(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<u64>,
) -> anyhow::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let start = Instant::now();
    let tmp = path.with_extension("tmp");
    let mut out = BufWriter::new(File::create(&tmp)?);
    let bytes = write(&mut out)?;
    out.flush()?;
    drop(out);
    std::fs::rename(&tmp, path)?;
    eprintln!(
        "generated {} ({:.1} MB) in {:.2} s",
        path.display(),
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The corpus in the peer's input format (`id`, `text`, `topic`, `dup_of` as the row number
/// of the original or -1), written next to it on first use.
fn peer_corpus(corpus: &Path) -> anyhow::Result<PathBuf> {
    let path = corpus.with_extension("peer.jsonl");
    if path.exists() {
        return Ok(path);
    }
    let mut rows = Vec::new();
    for (i, line) in BufReader::new(File::open(corpus)?).lines().enumerate() {
        let mut v: serde_json::Value = serde_json::from_str(&line?)
            .with_context(|| format!("{}:{}", corpus.display(), i + 1))?;
        rows.push((
            v["id"].as_str().unwrap_or_default().to_string(),
            v["text"].take(),
            v["topic"].take(),
            v["dup_of"].as_str().map(str::to_string),
        ));
    }
    let row_of: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.0.as_str(), i))
        .collect();
    let tmp = path.with_extension("tmp");
    let mut out = BufWriter::new(File::create(&tmp)?);
    for (id, text, topic, dup_of) in &rows {
        let dup = dup_of
            .as_deref()
            .and_then(|d| row_of.get(d))
            .map_or(-1, |&r| r as i64);
        let line = serde_json::json!({"id": id, "text": text, "topic": topic, "dup_of": dup});
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    drop(out);
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// Where the reference pipeline lives: a copy of `peer/` with its virtual environment in
/// `.venv` (see `peer/README.md`).
#[derive(Debug, Clone)]
pub struct Peer {
    /// The folder holding `scale.py` and `.venv/`.
    pub dir: PathBuf,
    /// The pipelines already measured in this run, by pipeline and corpus: the e2e stage
    /// reuses the cluster and screen stages' runs of the peer.
    done: RefCell<HashMap<(&'static str, PathBuf), PeerReport>>,
}

impl Peer {
    /// The peer at `dir`, if its script and Python are there.
    pub fn find(dir: &Path) -> Option<Peer> {
        (dir.join("scale.py").is_file() && dir.join(".venv/bin/python").is_file()).then(|| Peer {
            dir: dir.to_path_buf(),
            done: RefCell::default(),
        })
    }

    /// The peer's run of `pipelines` on the corpus, one after the other (measured once per
    /// run of the harness): their times summed, the larger of their peaks.
    fn measure_all(&self, pipelines: &[&'static str], corpus: &Path) -> anyhow::Result<PeerReport> {
        let mut all: Option<PeerReport> = None;
        for &pipeline in pipelines {
            let key = (pipeline, corpus.to_path_buf());
            let cached = self.done.borrow().get(&key).cloned();
            let r = match cached {
                Some(r) => r,
                None => {
                    let r = self.measure(pipeline, corpus)?;
                    self.done.borrow_mut().insert(key, r.clone());
                    r
                }
            };
            all = Some(match all {
                None => r,
                Some(mut a) => {
                    a.pipeline = format!("{}+{}", a.pipeline, r.pipeline);
                    a.seconds += r.seconds;
                    a.peak_rss_kib = a.peak_rss_kib.max(r.peak_rss_kib);
                    a.quality.extend(r.quality);
                    a
                }
            });
        }
        all.context("no peer pipeline")
    }

    /// Runs one peer pipeline on the corpus in a child process.
    fn measure(&self, pipeline: &str, corpus: &Path) -> anyhow::Result<PeerReport> {
        let input = peer_corpus(corpus)?;
        let out_dir = tempfile::tempdir()?;
        let out = out_dir.path().join("scale.json");
        eprintln!("peer: {pipeline} on {}", input.display());
        let status = Command::new(self.dir.join(".venv/bin/python"))
            .arg(self.dir.join("scale.py"))
            .args(["--pipelines", pipeline, "--timeout", "3600", "--input"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .status()?;
        if !status.success() {
            bail!("the peer's {pipeline} pipeline failed ({status})");
        }
        let report: serde_json::Value = serde_json::from_reader(File::open(&out)?)?;
        let r = &report["results"][0];
        if r["status"] != "ok" {
            bail!("the peer's {pipeline} pipeline: {}", r["status"]);
        }
        let mut quality = BTreeMap::new();
        for (key, name) in [("nmi_vs_topic", "nmi"), ("planted_recall", "recall")] {
            if let Some(v) = r[key].as_f64() {
                quality.insert(name.to_string(), v);
            }
        }
        if let Some(c) = r["candidate_pairs"].as_f64() {
            quality.insert("candidates".into(), c);
        }
        Ok(PeerReport {
            pipeline: pipeline.to_string(),
            seconds: r["timing_s"]["total"].as_f64().context("no peer timing")?,
            peak_rss_kib: (r["vm_hwm_mib"].as_f64().context("no peer VmHWM")? * 1024.0) as u64,
            quality,
        })
    }
}

/// Generates (or reuses) the corpus, measures `stage` on it in a child process, and runs the
/// peer's matching pipeline when a peer is given.
pub fn measure(
    stage: StageName,
    n: usize,
    seed: u64,
    peer: Option<&Peer>,
    samples: &Samples,
) -> anyhow::Result<Measurement> {
    let corpus = corpus(n, seed)?;
    if stage == StageName::Converge {
        converge_inputs(&corpus, n, seed)?;
    }
    let tmp = tempfile::Builder::new()
        .prefix("rapporteur-bench-")
        .tempdir()?;
    eprintln!("{}: {n} documents", stage.as_str());
    let out = Command::new(std::env::current_exe()?)
        .args(["stage", stage.as_str()])
        .arg(&corpus)
        .arg(tmp.path().join("index"))
        .args(samples.args())
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        bail!("the {} stage failed ({})", stage.as_str(), out.status);
    }
    let line = String::from_utf8_lossy(&out.stdout);
    let ours: StageReport = serde_json::from_str(line.lines().last().unwrap_or_default())
        .with_context(|| format!("unreadable stage report: {line}"))?;
    if ours.documents != n as u64 {
        bail!("the stage saw {} documents, expected {n}", ours.documents);
    }
    let peer = match (peer, stage.peer_pipelines()) {
        (Some(p), pipelines) if !pipelines.is_empty() => Some(p.measure_all(pipelines, &corpus)?),
        _ => None,
    };
    Ok(Measurement {
        stage,
        n,
        seed,
        docs_per_s: n as f64 / ours.seconds,
        ours,
        peer,
    })
}

/// Timing and memory of the work done in a child process.
struct Meter {
    start: Instant,
    cpu_start: f64,
    load_at_start: f64,
    rss_start_kib: u64,
    steps: BTreeMap<String, f64>,
    step_peaks: BTreeMap<String, u64>,
    step_cpu: BTreeMap<String, f64>,
    step_start: Instant,
    step_cpu_start: f64,
}

impl Meter {
    /// Starts measuring here: resets the high-water mark to the current resident set.
    fn start() -> anyhow::Result<Meter> {
        // Linux: "5" resets VmHWM to the current RSS; ignored where not permitted.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let load_at_start = std::fs::read_to_string("/proc/loadavg")?
            .split_whitespace()
            .next()
            .and_then(|l| l.parse().ok())
            .context("unreadable /proc/loadavg")?;
        Ok(Meter {
            start: Instant::now(),
            cpu_start: cpu_seconds()?,
            load_at_start,
            rss_start_kib: proc_status_kib("VmRSS")?,
            steps: BTreeMap::new(),
            step_peaks: BTreeMap::new(),
            step_cpu: BTreeMap::new(),
            step_start: Instant::now(),
            step_cpu_start: cpu_seconds()?,
        })
    }

    /// Ends a named step.
    fn step(&mut self, name: &str) {
        self.steps
            .insert(name.into(), self.step_start.elapsed().as_secs_f64());
        if let Ok(peak) = proc_status_kib("VmHWM") {
            self.step_peaks.insert(name.into(), peak);
        }
        if let Ok(cpu) = cpu_seconds() {
            self.step_cpu.insert(name.into(), cpu - self.step_cpu_start);
            self.step_cpu_start = cpu;
        }
        self.step_start = Instant::now();
    }

    /// Prints the report of the work as one JSON line.
    fn finish(
        self,
        documents: usize,
        input_bytes: u64,
        quality: BTreeMap<String, f64>,
    ) -> anyhow::Result<()> {
        let report = StageReport {
            documents: documents as u64,
            input_bytes,
            seconds: self.start.elapsed().as_secs_f64(),
            cpu_seconds: cpu_seconds()? - self.cpu_start,
            steps: self.steps,
            step_peak_rss_kib: self.step_peaks,
            step_cpu_seconds: self.step_cpu,
            quality,
            load_at_start: self.load_at_start,
            rss_start_kib: self.rss_start_kib,
            peak_rss_kib: proc_status_kib("VmHWM")?,
        };
        println!("{}", serde_json::to_string(&report)?);
        Ok(())
    }
}

/// The measured work, run in the child: one stage on `corpus`, printing a [`StageReport`]
/// as JSON on stdout. `index` is a fresh folder the ingest stage may write to.
pub fn run_stage(
    stage: StageName,
    corpus: &Path,
    index: &Path,
    samples: &Samples,
) -> anyhow::Result<()> {
    let input_bytes = std::fs::metadata(corpus)?.len();
    match stage {
        StageName::Ingest => {
            let mut meter = Meter::start()?;
            let (_, total) = index_corpus(corpus, index)?;
            meter.step("index");
            return meter.finish(total, input_bytes, BTreeMap::new());
        }
        StageName::Cluster => return cluster_stage(corpus, input_bytes, samples),
        StageName::Converge => return converge_stage(corpus, input_bytes),
        StageName::E2e => return e2e_stage(corpus, index, input_bytes, samples),
        StageName::Screen => {}
    }
    let (docs, _) = load(&[corpus.to_path_buf()], &IngestOptions::default())?;
    let mut meter = Meter::start()?;
    let quality = screen_stage(&docs, &mut meter)?;
    meter.finish(docs.len(), input_bytes, quality)
}

/// Convergence and messages over the proposals and their sessions' takeaways, loaded first
/// (the high-water mark is reset after loading, as for screening). Quality: the share of
/// statements placed on their session's topic question, the points of each class, the
/// messages drafted and the guideline violations among them.
fn converge_stage(corpus: &Path, input_bytes: u64) -> anyhow::Result<()> {
    let (takeaways, questions) = converge_paths(corpus);
    let input_bytes = input_bytes + std::fs::metadata(&takeaways)?.len();
    let questions = PolicyQuestions::load(&questions)?;
    let (docs, _) = load(
        &[corpus.to_path_buf(), takeaways],
        &IngestOptions::default(),
    )?;
    let mut meter = Meter::start()?;
    let params = ConvergeParams::new().check()?;
    let prepared = params.prepare(&docs, &questions)?;
    meter.step("prepare");
    let topic_of: HashMap<&str, i64> = docs
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.extra.get("topic")?.as_i64()?)))
        .collect();
    let statements = prepared.statements();
    let on_topic = statements
        .iter()
        .filter(|s| {
            let topic = topic_of.get(s.doc.as_str()).map(|t| format!("topic-{t}"));
            s.policy_question.is_some() && s.policy_question == topic
        })
        .count();
    let mut quality = BTreeMap::from([
        ("statements".to_string(), statements.len() as f64),
        (
            "on_topic".to_string(),
            on_topic as f64 / statements.len().max(1) as f64,
        ),
    ]);
    let converged = params.group(prepared);
    meter.step("group");
    let messages = DraftParams::new().check()?.messages(&converged, &questions);
    meter.step("messages");
    for class in [Class::Converging, Class::Diverging, Class::Emerging] {
        let points = converged
            .convergence
            .points
            .iter()
            .filter(|p| p.class == class)
            .count();
        quality.insert(format!("{}_points", class.as_str()), points as f64);
    }
    let drafted = messages
        .tracks
        .iter()
        .flat_map(|t| &t.questions)
        .map(|q| q.messages.len())
        .sum::<usize>();
    quality.insert("messages".into(), drafted as f64);
    quality.insert("violations".into(), messages.violations.len() as f64);
    // The row's N is the proposals; the takeaways are one in SESSION_EVERY of them.
    let proposals = docs.iter().filter(|d| d.kind == Kind::Proposal).count();
    quality.insert("takeaways".into(), (docs.len() - proposals) as f64);
    meter.finish(proposals, input_bytes, quality)
}

/// Indexes the corpus into a fresh index at `index`; the index and the documents added.
fn index_corpus(corpus: &Path, index: &Path) -> anyhow::Result<(Index, usize)> {
    let idx = Index::open_or_create(index)?;
    let report = idx.add(
        &[corpus.to_path_buf()],
        &IngestOptions::default(),
        &mut |_| {},
    )?;
    Ok((idx, report.total as usize))
}

/// The whole pipeline in one process (see [`StageName::E2e`]).
fn e2e_stage(
    corpus: &Path,
    index: &Path,
    input_bytes: u64,
    samples: &Samples,
) -> anyhow::Result<()> {
    let mut meter = Meter::start()?;
    let (idx, _) = index_corpus(corpus, index)?;
    meter.step("index");
    let docs = idx.documents()?;
    // Closed once read, as the main job does: its mapped files need not stay resident.
    drop(idx);
    meter.step("read");
    let topics: Vec<i64> = docs.iter().map(topic).collect();
    let nmi = cluster_nmi(&docs[..], &topics, samples, &mut meter)?;
    let mut quality = screen_stage(&docs, &mut meter)?;
    quality.insert("nmi".to_string(), nmi);
    meter.finish(docs.len(), input_bytes, quality)
}

/// The generated topic of a document (-1 when it has none).
fn topic(doc: &Document) -> i64 {
    doc.extra
        .get("topic")
        .and_then(|t| t.as_i64())
        .unwrap_or(-1)
}

/// A [`Corpus`] that also keeps each document's generated topic, for the NMI.
struct Topics {
    corpus: Corpus,
    topics: Vec<i64>,
}

impl Sink for Topics {
    fn document(&mut self, doc: Document) -> Result<(), rapporteur::Error> {
        self.topics.push(topic(&doc));
        self.corpus.document(doc)
    }
}

/// The corpus streamed into a [`Corpus`], vectors fitted on it in passes and unguided
/// clustering into [`TOPICS`] themes; NMI against the true topics.
fn cluster_stage(corpus: &Path, input_bytes: u64, samples: &Samples) -> anyhow::Result<()> {
    let mut meter = Meter::start()?;
    let mut docs = Topics {
        corpus: Corpus::new(tempfile::tempfile()?),
        topics: Vec::new(),
    };
    ingest(
        &[corpus.to_path_buf()],
        &IngestOptions::default(),
        &mut docs,
    )?;
    meter.step("read");
    let nmi = cluster_nmi(&docs.corpus, &docs.topics, samples, &mut meter)?;
    meter.finish(
        docs.topics.len(),
        input_bytes,
        BTreeMap::from([("nmi".to_string(), nmi)]),
    )
}

/// Vectors fitted on `docs` and unguided clustering into [`TOPICS`] themes, as steps of
/// `meter`; the NMI of the themes against the generated `topics`.
fn cluster_nmi<D: Documents + ?Sized>(
    docs: &D,
    topics: &[i64],
    samples: &Samples,
    meter: &mut Meter,
) -> anyhow::Result<f64> {
    let mut vector_params = VectorParams::new();
    if let Some(n) = samples.svd_sample {
        vector_params = vector_params.svd_sample(n);
    }
    if let Some(n) = samples.vocab_sample {
        vector_params = vector_params.vocab_sample(n);
    }
    let vectors = vector_params.check()?.fit_on(docs)?;
    meter.step("vectors");
    let mut cluster_params = ClusterParams::new().k(Some(TOPICS));
    if let Some(n) = samples.kmeans_sample {
        cluster_params = cluster_params.kmeans_sample(n);
    }
    let clustering = cluster_params.check()?.unguided_on(docs, &vectors)?;
    meter.step("kmeans+describe");
    let predicted: Vec<&str> = clustering
        .assignments
        .iter()
        .map(|a| a.cluster.as_deref().unwrap_or(""))
        .collect();
    Ok(partition_scores(topics, &predicted).nmi)
}

/// Screening of every document against every other; recall of the planted duplicates.
fn screen_stage(docs: &[Document], meter: &mut Meter) -> anyhow::Result<BTreeMap<String, f64>> {
    let screener = ScreenParams::new().check()?.fit(docs, &[])?;
    meter.step("fit");
    let screening = screener.screen();
    meter.step("score");
    // The quality counts are not the screening's memory: the screener goes first, and no set
    // of all the flagged pairs is built (at 100,000 documents, 719,000 of them).
    drop(screener);
    let planted = planted_pairs(docs);
    let planted_set: HashSet<(&str, &str)> = planted.iter().copied().collect();
    let mut quality =
        BTreeMap::from([("candidates".to_string(), screening.candidates.total as f64)]);
    for (name, class) in [
        ("related", PairClass::Related),
        ("strong", PairClass::StrongOverlap),
        ("same", PairClass::SameProposal),
    ] {
        let (mut flagged, mut found_set) = (0, HashSet::new());
        for p in &screening.pairs {
            if p.class.is_some_and(|c| c >= class) {
                flagged += 1;
                let pair = ordered(&p.a, &p.b);
                if planted_set.contains(&pair) {
                    found_set.insert(pair);
                }
            }
        }
        let found = planted.iter().filter(|p| found_set.contains(*p)).count();
        // Recall of the planted duplicates among the pairs of this class or above.
        quality.insert(
            format!("recall_{name}"),
            found as f64 / planted.len().max(1) as f64,
        );
        quality.insert(format!("flagged_{name}"), flagged as f64);
    }
    Ok(quality)
}

fn ordered<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The planted near-duplicate pairs (document, original) of a generated corpus.
fn planted_pairs(docs: &[Document]) -> Vec<(&str, &str)> {
    docs.iter()
        .filter_map(|d| {
            let original = d.extra.get("dup_of")?.as_str()?;
            Some(ordered(d.id.as_str(), original))
        })
        .collect()
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

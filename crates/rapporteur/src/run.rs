//! The main job: index a corpus afresh and report on it.
//!
//! Today the job indexes the inputs into a new index (swapped in when complete), counts the
//! corpus, and, when a policy-questions file is given, lists the proposals whose text best
//! matches each question (BM25 over the question and its keywords). Later stages (clustering,
//! screening, convergence, drafting) add their results to [`RunReport`].

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::index::{AddReport, Hit, Index, IndexError, SearchRequest, Stats};
use crate::ingest::IngestOptions;
use crate::model::Kind;
use crate::questions::PolicyQuestions;

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
    /// Matches listed per question.
    pub matches_per_question: usize,
}

/// Best-matching proposals for one policy question.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionMatches {
    /// Track id.
    pub track: String,
    /// Question id.
    pub question: String,
    /// Question text.
    pub text: String,
    /// Proposals matching the question, best first.
    pub matches: Vec<Hit>,
}

/// Everything the main job found.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// What was indexed.
    pub index: AddReport,
    /// Corpus counts.
    pub stats: Stats,
    /// Per-question matches (empty without a questions file).
    pub questions: Vec<QuestionMatches>,
}

/// Runs the main job. `progress` is told the input bytes read so far.
pub fn run(config: &RunConfig, progress: &mut dyn FnMut(u64)) -> Result<RunReport, crate::Error> {
    let final_path = config.out.join("index");
    let fresh = config.out.join("index.new");
    remove_dir(&fresh)?;
    let index = Index::open_or_create(&fresh)?;
    let added = index.add(&config.inputs, &config.ingest, progress)?;
    drop(index);
    // Swap the complete new index in; a run interrupted before this leaves the old one.
    remove_dir(&final_path)?;
    std::fs::rename(&fresh, &final_path).map_err(|e| IndexError::Io {
        path: final_path.clone(),
        source: e,
    })?;
    let index = Index::open(&final_path)?;
    let stats = index.stats()?;

    let mut questions = Vec::new();
    if let Some(pq) = &config.questions {
        for (track, q) in pq.questions() {
            let text = std::iter::once(q.text.as_str())
                .chain(q.keywords.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            let results = index.search(&SearchRequest {
                query: text,
                plain: true,
                kind: Some(Kind::Proposal),
                year: pq.year,
                track: None,
                limit: config.matches_per_question,
            })?;
            questions.push(QuestionMatches {
                track: track.id.clone(),
                question: q.id.clone(),
                text: q.text.clone(),
                matches: results.hits,
            });
        }
    }
    Ok(RunReport {
        index: added,
        stats,
        questions,
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

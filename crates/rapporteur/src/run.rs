//! The main job: index a corpus afresh, then run the analyses on it.
//!
//! Stages: index (into a new folder, swapped in when complete), corpus counts, clustering of
//! the year's proposals against the policy questions (or into themes when there are none),
//! screening of the year's proposals for overlaps (among themselves and with earlier years),
//! convergence and divergence across the year's takeaways, reports and DC outputs, and the
//! draft thematic messages drawn from them (both need the policy questions). Each stage is a library function; this module only chains them and collects their results
//! in a [`RunReport`].

use std::path::PathBuf;

use serde::Serialize;

use crate::cluster::{ClusterValidParams, Clustering, cluster_documents};
use crate::converge::{ConvergeError, ConvergeParams, Converged, Convergence};
use crate::draft::{DraftValidParams, Messages};
use crate::index::{AddReport, Index, Stats};
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
    /// Convergence settings (the year is set to the analysed year).
    pub converge: ConvergeParams,
    /// Drafting settings.
    pub draft: DraftValidParams,
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
    /// Overlapping proposals of that year, among themselves and against earlier years, with
    /// the merge candidates per policy question of the clustering.
    pub screening: Option<Screening<'static>>,
    /// Convergence and divergence across that year's takeaways, reports and DC outputs
    /// (when there are policy questions and such documents).
    pub convergence: Option<Convergence>,
    /// The draft thematic messages drawn from the convergence analysis.
    pub messages: Option<Messages>,
}

/// The takeaways, reports and DC outputs (the kinds and year `params` reads) among `docs`,
/// counted: convergence analysis needs at least one.
pub fn outcomes_of(docs: &[Document], params: &ConvergeParams) -> usize {
    let year = params.selected_year();
    docs.iter()
        .filter(|d| params.reads(d.kind) && (year.is_none() || d.year == year))
        .count()
}

/// Convergence analysis of the year's outcomes (`params` says which year) and the draft
/// messages drawn from it; `None` when there is no takeaway, report or DC output to read, or
/// when they hold fewer than two statements.
pub fn synthesise(
    docs: &[Document],
    questions: &PolicyQuestions,
    params: ConvergeParams,
    draft: &DraftValidParams,
) -> Result<Option<(Converged, Messages)>, crate::Error> {
    if outcomes_of(docs, &params) == 0 {
        return Ok(None);
    }
    let converged = match params.check()?.fit(docs, questions) {
        Ok(c) => c,
        // Too few statements to compare (a handful of short takeaways): nothing to say.
        Err(crate::Error::Converge(ConvergeError::NoStatements(_))) => return Ok(None),
        Err(e) => return Err(e),
    };
    let messages = draft.messages(&converged, questions);
    Ok(Some((converged, messages)))
}

/// The proposals of `year` screened among themselves and against the proposals of earlier
/// years; `None` when there are none of `year`.
pub fn screen_year<'a>(
    docs: &'a [Document],
    year: Option<u16>,
    params: &ScreenValidParams,
) -> Result<Option<Screening<'a>>, crate::Error> {
    // References, not copies: the earlier years can be most of an archive.
    let proposals: Vec<&Document> = docs.iter().filter(|d| is_proposal_of(d, year)).collect();
    if proposals.is_empty() {
        return Ok(None);
    }
    let earlier = docs
        .iter()
        .filter(|d| d.kind == Kind::Proposal && d.year.zip(year).is_some_and(|(a, b)| a < b));
    Ok(Some(screen(proposals, earlier, params)?))
}

/// The proposals of `year` (all proposals when `year` is `None`).
pub fn proposals_of(docs: &[Document], year: Option<u16>) -> Vec<Document> {
    docs.iter()
        .filter(|d| is_proposal_of(d, year))
        .cloned()
        .collect()
}

fn is_proposal_of(d: &Document, year: Option<u16>) -> bool {
    d.kind == Kind::Proposal && (year.is_none() || d.year == year)
}

/// Runs the main job.
pub fn run(
    config: &RunConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<RunReport, crate::Error> {
    progress(Progress::Stage("indexing"));
    let final_path = config.out.join("index");
    let fresh = config.out.join("index.new");
    crate::index::remove_tree(&fresh)?;
    let index = Index::open_or_create(&fresh)?;
    let added = index.add(&config.inputs, &config.ingest, &mut |b| {
        progress(Progress::Bytes(b))
    })?;
    drop(index);
    // Swap the complete new index in; a run interrupted before this leaves the old one.
    crate::index::swap_in(&fresh, &final_path)?;
    let index = Index::open(&final_path)?;
    let stats = index.stats()?;
    let docs = index.documents()?;
    // Closed before the analyses: the files read stay mapped, and counted in the resident
    // set, as long as it is open (218 MB while reading 100,000 documents; the main job's
    // peak at 100,000 fell by 48 MB).
    drop(index);

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
    // The report outlives the documents: its evidence gets its own copy.
    let mut screening = screen_year(&docs, year, &config.screen)?.map(Screening::into_owned);
    if let (Some(s), Some(c)) = (&mut screening, &clustering) {
        s.by_question = Some(s.group_by_question(c));
    }
    let (convergence, messages) = match &config.questions {
        Some(questions) => {
            progress(Progress::Stage("converging"));
            let params = config.converge.clone().year(year);
            match synthesise(&docs, questions, params, &config.draft)? {
                Some((converged, messages)) => (Some(converged.convergence), Some(messages)),
                None => (None, None),
            }
        }
        None => (None, None),
    };
    Ok(RunReport {
        index: added,
        stats,
        year,
        clustering,
        screening,
        convergence,
        messages,
    })
}

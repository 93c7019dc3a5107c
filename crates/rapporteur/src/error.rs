//! The crate's error type: one enum over the stages' errors.

/// Any error of rapporteur.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: a file or record that cannot be read (names the file and line).
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
    /// The index cannot be opened, written or searched.
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// The policy-questions file is invalid.
    #[error(transparent)]
    Questions(#[from] crate::questions::QuestionsError),
    /// Vectors cannot be built.
    #[error(transparent)]
    Vectors(#[from] crate::vectors::VectorError),
    /// Clustering cannot be done.
    #[error(transparent)]
    Cluster(#[from] crate::cluster::ClusterError),
    /// Screening cannot be done.
    #[error(transparent)]
    Screen(#[from] crate::screen::ScreenError),
    /// Convergence analysis cannot be done.
    #[error(transparent)]
    Converge(#[from] crate::converge::ConvergeError),
    /// Drafting cannot be done.
    #[error(transparent)]
    Draft(#[from] crate::draft::DraftError),
}

impl Error {
    /// True when the error is the user's input (bad files, bad query, bad questions file)
    /// rather than a failure while running; the CLI exits 2 for these, 1 otherwise.
    pub fn is_bad_input(&self) -> bool {
        use crate::index::IndexError;
        match self {
            Error::Ingest(e) => !matches!(e.problem, crate::ingest::Problem::Io(_)),
            Error::Questions(_) => true,
            Error::Vectors(e) => !matches!(e, crate::vectors::VectorError::Io(_)),
            Error::Converge(_) | Error::Draft(_) => true,
            Error::Cluster(e) => !matches!(
                e,
                crate::cluster::ClusterError::KMeans(_) | crate::cluster::ClusterError::Texts(_)
            ),
            Error::Screen(e) => !matches!(
                e,
                crate::screen::ScreenError::Vectors(crate::vectors::VectorError::Svd(_))
            ),
            Error::Index(e) => matches!(
                e,
                IndexError::Query { .. } | IndexError::NotFound(_) | IndexError::NotAnIndex(_)
            ),
        }
    }
}

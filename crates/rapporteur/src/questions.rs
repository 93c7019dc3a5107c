//! The policy-questions file: a year's tracks, each with its two or three focused policy
//! questions, plus an optional open / emerging issues track.
//!
//! ```toml
//! year = 2026
//! [[tracks]]
//! id = "data"
//! name = "Data Governance"
//! [[tracks.questions]]
//! id = "data-1"
//! text = "How can cross-border data flows be governed …?"
//! keywords = ["data flows", "localisation"]
//! [open_track]
//! id = "open"
//! name = "Open and Emerging Issues"
//! ```

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A year's focused policy questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyQuestions {
    /// IGF year the questions belong to.
    #[serde(default)]
    pub year: Option<u16>,
    /// A title for reports.
    #[serde(default)]
    pub title: Option<String>,
    /// The tracks, in programme order.
    pub tracks: Vec<Track>,
    /// The open / emerging issues track, if the call has one.
    #[serde(default)]
    pub open_track: Option<OpenTrack>,
}

/// A thematic track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Track {
    /// Short id (`data`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The track narrative.
    #[serde(default)]
    pub narrative: Option<String>,
    /// The focused policy questions.
    pub questions: Vec<Question>,
}

/// A focused policy question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique id (`data-1`).
    pub id: String,
    /// The question.
    pub text: String,
    /// Optional explanation.
    #[serde(default)]
    pub narrative: Option<String>,
    /// Optional key terms.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// The open / emerging issues track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenTrack {
    /// Short id (`open`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Optional narrative.
    #[serde(default)]
    pub narrative: Option<String>,
}

/// An invalid policy-questions file.
#[derive(Debug, thiserror::Error)]
pub enum QuestionsError {
    /// The file cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Error.
        source: std::io::Error,
    },
    /// Syntax or schema error, with its position.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// File.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Well-formed but inconsistent (duplicate ids, empty questions…).
    #[error("{path}: {message}")]
    Invalid {
        /// File.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl PolicyQuestions {
    /// Reads and checks a questions file.
    pub fn load(path: &Path) -> Result<PolicyQuestions, QuestionsError> {
        let bytes = std::fs::read(path).map_err(|e| QuestionsError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[start..]).chars().count() + 1;
            QuestionsError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: format!("invalid UTF-8 at byte offset {}", e.valid_up_to()),
            }
        })?;
        PolicyQuestions::parse(text, path)
    }

    /// Parses and checks questions from TOML text; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<PolicyQuestions, QuestionsError> {
        let q: PolicyQuestions = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            QuestionsError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        q.check().map_err(|message| {
            // A duplicate id is placed at its second occurrence.
            let second = message
                .strip_prefix("duplicate id `")
                .and_then(|rest| rest.strip_suffix('`'))
                .and_then(|id| {
                    let quoted = [format!("\"{id}\""), format!("'{id}'")];
                    let mut at: Vec<usize> = quoted
                        .iter()
                        .flat_map(|q| text.match_indices(q.as_str()).map(|(i, _)| i))
                        .collect();
                    at.sort_unstable();
                    at.get(1).copied()
                });
            match second {
                Some(offset) => {
                    let (line, column) = line_column(text, offset);
                    QuestionsError::Syntax {
                        path: path.to_path_buf(),
                        line,
                        column,
                        message,
                    }
                }
                None => QuestionsError::Invalid {
                    path: path.to_path_buf(),
                    message,
                },
            }
        })?;
        Ok(q)
    }

    fn check(&self) -> Result<(), String> {
        if self.tracks.is_empty() {
            return Err("no tracks: add at least one [[tracks]] table".into());
        }
        let mut ids = HashSet::new();
        for track in &self.tracks {
            if track.id.trim().is_empty() {
                return Err(format!("track `{}` has an empty id", track.name));
            }
            if !ids.insert(track.id.as_str()) {
                return Err(format!("duplicate id `{}`", track.id));
            }
            if track.questions.is_empty() {
                return Err(format!("track `{}` has no questions", track.id));
            }
            for q in &track.questions {
                if q.id.trim().is_empty() {
                    return Err(format!(
                        "a question of track `{}` has an empty id",
                        track.id
                    ));
                }
                if q.text.trim().is_empty() {
                    return Err(format!("question `{}` has no text", q.id));
                }
                if !ids.insert(q.id.as_str()) {
                    return Err(format!("duplicate id `{}`", q.id));
                }
            }
        }
        if let Some(open) = &self.open_track
            && !ids.insert(open.id.as_str())
        {
            return Err(format!("duplicate id `{}`", open.id));
        }
        Ok(())
    }

    /// Every question with its track, in programme order.
    pub fn questions(&self) -> impl Iterator<Item = (&Track, &Question)> {
        self.tracks
            .iter()
            .flat_map(|t| t.questions.iter().map(move |q| (t, q)))
    }
}

/// The 1-based line and column (in characters) of a byte offset of `text`, for messages
/// about TOML files.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
year = 2026
[[tracks]]
id = "data"
name = "Data"
[[tracks.questions]]
id = "data-1"
text = "How?"
keywords = ["flows"]
[[tracks.questions]]
id = "data-2"
text = "Why?"
[open_track]
id = "open"
name = "Open"
"#;

    #[test]
    fn parses_tracks_and_questions() {
        let q = PolicyQuestions::parse(GOOD, Path::new("q.toml")).unwrap();
        let ids: Vec<_> = q
            .questions()
            .map(|(t, q)| (t.id.as_str(), q.id.as_str()))
            .collect();
        assert_eq!(ids, [("data", "data-1"), ("data", "data-2")]);
        assert_eq!(q.open_track.unwrap().id, "open");
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let bad = "year = 2026\n[[tracks]]\nid = \"data\nname = \"x\"\n";
        let e = PolicyQuestions::parse(bad, Path::new("q.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("q.toml:3:"), "{e}");
    }

    #[test]
    fn unknown_field_is_reported() {
        let bad = GOOD.replace("keywords", "keyword");
        let e = PolicyQuestions::parse(&bad, Path::new("q.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `keyword`"), "{e}");
        assert!(e.starts_with("q.toml:9:"), "{e}");
    }

    #[test]
    fn duplicate_and_empty_ids_are_refused() {
        let dup = GOOD.replace("data-2", "data-1");
        let e = PolicyQuestions::parse(&dup, Path::new("q.toml"))
            .unwrap_err()
            .to_string();
        assert_eq!(e, "q.toml:11:6: duplicate id `data-1`");
        let e = PolicyQuestions::parse("tracks = []", Path::new("q.toml")).unwrap_err();
        assert!(e.to_string().contains("no tracks"));
    }

    #[test]
    fn bundled_sample_questions_load() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora/sample/questions-2026.toml");
        let q = PolicyQuestions::load(&path).unwrap();
        assert_eq!(q.tracks.len(), 3);
        assert!(
            q.tracks
                .iter()
                .all(|t| (2..=3).contains(&t.questions.len()))
        );
    }
}

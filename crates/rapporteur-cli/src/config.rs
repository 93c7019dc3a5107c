//! The configuration file, `rapporteur.toml`: defaults for flags, so that a team's usual
//! questions file, index and output folder need not be typed each time.
//!
//! Looked up in the current folder, or given with `--config FILE`. A flag on the command line
//! beats the file; the file beats the built-in default. Relative paths in the file are taken
//! from the file's folder. Unknown keys are errors (a typo must not be silently ignored), and
//! every error names the file, line and column.
//!
//! ```toml
//! index = "rapporteur-index"                        # --index
//! questions = "corpora/sample/questions-2026.toml"  # --questions
//! out = "rapporteur-out"                            # run --out
//! inputs = ["corpora/sample"]                       # run's PATHs when none are given
//! max_text_bytes = 4194304                          # index and run --max-text-bytes
//! ```

use std::path::{Path, PathBuf};

use clap::ArgMatches;
use clap::parser::ValueSource;
use rapporteur::questions::line_column;
use serde::Deserialize;

use crate::synthesis::HasSource;
use crate::{Cli, Command, EvalCommand, Failure};

/// The file looked up in the current folder.
pub const FILE_NAME: &str = "rapporteur.toml";

/// What the file may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Index folder (`--index`).
    index: Option<PathBuf>,
    /// Policy-questions file (`--questions`).
    questions: Option<PathBuf>,
    /// Output folder of `run` (`--out`).
    out: Option<PathBuf>,
    /// Inputs of `run` when no PATH is given.
    inputs: Option<Vec<PathBuf>>,
    /// Longest document text of `index` and `run` (`--max-text-bytes`).
    max_text_bytes: Option<usize>,
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| Failure {
            message: format!("config file {}: {e}", path.display()),
            code: 2,
            hint: Some("pass --config FILE with an existing file, or leave it out"),
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(&text, span.start));
            Failure {
                message: format!(
                    "{}:{line}:{column}: {}",
                    path.display(),
                    e.message().trim()
                ),
                code: 2,
                hint: Some(
                    "the config file takes `index`, `questions`, `out` (paths), `inputs` (a list of paths) and `max_text_bytes` (a number)",
                ),
            }
        })?;
        // Relative paths are relative to the file's folder.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let from_dir = |p: &mut PathBuf| {
                if p.is_relative() {
                    *p = dir.join(&*p);
                }
            };
            config.index.as_mut().map(from_dir);
            config.questions.as_mut().map(from_dir);
            config.out.as_mut().map(from_dir);
            for p in config.inputs.iter_mut().flatten() {
                from_dir(p);
            }
        }
        Ok(config)
    }

    /// The file given with `--config`, else `rapporteur.toml` in the current folder, if any.
    pub fn find(given: Option<&Path>) -> Result<Option<Config>, Failure> {
        match given {
            Some(path) => Config::load(path).map(Some),
            None => {
                let path = Path::new(FILE_NAME);
                if path.is_file() {
                    Config::load(path).map(Some)
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// Sets the values the command line left at their defaults.
    pub fn apply(&self, cli: &mut Cli, matches: &ArgMatches) {
        if let Some(index) = self.index.as_ref().filter(|_| defaulted(matches, "index")) {
            cli.index = index.clone();
        }
        // The matches of the (innermost) subcommand, where its own flags are.
        let mut leaf = matches;
        while let Some((_, sub)) = leaf.subcommand() {
            leaf = sub;
        }
        let questions = self.questions.as_ref();
        if let Some(max) = self
            .max_text_bytes
            .filter(|_| defaulted(leaf, "max_text_bytes"))
        {
            match &mut cli.command {
                Command::Run(args) => args.ingest.max_text_bytes = max,
                Command::Index(args) => args.ingest.max_text_bytes = max,
                _ => {}
            }
        }
        match &mut cli.command {
            Command::Run(args) => {
                args.questions = args.questions.take().or_else(|| questions.cloned());
                if let Some(out) = self.out.as_ref().filter(|_| defaulted(leaf, "out")) {
                    args.out = out.clone();
                }
                if let Some(inputs) = self
                    .inputs
                    .as_ref()
                    .filter(|i| !i.is_empty() && defaulted(leaf, "paths"))
                {
                    args.paths = inputs.clone();
                }
            }
            Command::Cluster(args) | Command::Eval(EvalCommand::Cluster { cluster: args, .. }) => {
                args.questions = args.questions.take().or_else(|| questions.cloned());
            }
            Command::Report(args) => {
                args.questions = args.questions.take().or_else(|| questions.cloned());
            }
            Command::Screen(args) => {
                args.questions = args.questions.take().or_else(|| questions.cloned());
            }
            Command::Converge(args) => args.source_mut().set_questions(questions),
            Command::Messages(args) => args.source_mut().set_questions(questions),
            Command::Eval(EvalCommand::Converge(args)) => {
                args.source_mut().set_questions(questions)
            }
            Command::Eval(EvalCommand::Messages(args)) => {
                args.source_mut().set_questions(questions)
            }
            _ => {}
        }
    }
}

/// True when the argument was not given on the command line (nor by environment).
fn defaulted(matches: &ArgMatches, id: &str) -> bool {
    !matches!(
        matches.value_source(id),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}

//! The reporting commands: `converge`, `messages` (and `--booklet`, `--check`), and their
//! evaluations `eval converge` and `eval messages`.

use std::path::{Path, PathBuf};

use clap::Args;
use rapporteur::Document;
use rapporteur::converge::{AssignBy, ConvergeParams, Converged};
use rapporteur::draft::{Checker, DraftParams, DraftValidParams};
use rapporteur::eval::Labels;
use rapporteur::eval::converge::{calibrate, evaluate};
use rapporteur::eval::messages;
use rapporteur::index::Index;
use rapporteur::questions::PolicyQuestions;

use crate::{Cli, Failure, output, usage};

/// The questions file of the bundled sample corpus (the default, as `run` defaults to the
/// corpus itself).
const SAMPLE_QUESTIONS: &str = "corpora/sample/questions-2026.toml";

/// What the reporting commands read.
#[derive(Args, Debug)]
pub struct SourceArgs {
    /// The year's policy questions (TOML; default: the config file's `questions`, else
    /// corpora/sample/questions-2026.toml).
    #[arg(long, value_name = "FILE")]
    questions: Option<PathBuf>,
    /// Only documents of this year (default: the questions file's year).
    #[arg(long)]
    year: Option<u16>,
    /// How statements are placed on policy questions.
    #[arg(long, value_enum, default_value = "hybrid")]
    assign: AssignArg,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum AssignArg {
    /// Guided clustering of the statements.
    Statement,
    /// Guided clustering of their documents.
    Document,
    /// Guided clustering of their sessions' proposals.
    Session,
    /// Sessions' and documents' questions together.
    Hybrid,
}

impl AssignArg {
    fn by(self) -> AssignBy {
        match self {
            AssignArg::Statement => AssignBy::Statement,
            AssignArg::Document => AssignBy::Document,
            AssignArg::Session => AssignBy::Session,
            AssignArg::Hybrid => AssignBy::Hybrid,
        }
    }
}

impl SourceArgs {
    /// The questions file: given, else from the config file, else the sample corpus's.
    fn questions(&self) -> PathBuf {
        self.questions
            .clone()
            .unwrap_or_else(|| PathBuf::from(SAMPLE_QUESTIONS))
    }

    /// Sets the questions file when none was given (from the config file).
    pub fn set_questions(&mut self, questions: Option<&PathBuf>) {
        if self.questions.is_none() {
            self.questions = questions.cloned();
        }
    }
}

/// Commands that read the index and the questions through [`SourceArgs`].
pub trait HasSource {
    /// Their source arguments.
    fn source_mut(&mut self) -> &mut SourceArgs;
}

macro_rules! has_source {
    ($($t:ty),*) => {$(
        impl HasSource for $t {
            fn source_mut(&mut self) -> &mut SourceArgs {
                &mut self.source
            }
        }
    )*};
}
has_source!(
    ConvergeArgs,
    MessagesArgs,
    EvalConvergeArgs,
    EvalMessagesArgs
);

/// `rapporteur converge`.
#[derive(Args, Debug)]
pub struct ConvergeArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// A Markdown report (the default for people).
    #[arg(long)]
    md: bool,
}

/// `rapporteur messages`.
#[derive(Args, Debug)]
pub struct MessagesArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Longest message in words (default 60; 80 per output with --booklet).
    #[arg(long, value_name = "N")]
    max_words: Option<usize>,
    /// The editable Markdown draft, sources as footnotes (the default for people).
    #[arg(long)]
    md: bool,
    /// A booklet of the Dynamic Coalition outputs, each summarised, grouped by track.
    #[arg(long)]
    booklet: bool,
    /// Check a draft (Markdown, written by rapporteur or by a person) against the reporting
    /// guidelines instead of drafting; exits 1 when it finds violations.
    #[arg(long, value_name = "FILE")]
    check: Option<PathBuf>,
}

/// `rapporteur eval converge`.
#[derive(Args, Debug)]
pub struct EvalConvergeArgs {
    /// Labels file or folder.
    #[arg(long, value_name = "PATH")]
    labels: PathBuf,
    #[command(flatten)]
    source: SourceArgs,
    /// The track whose labels the thresholds were calibrated on (reported apart from the
    /// held-out tracks).
    #[arg(long, value_name = "TRACK", default_value = rapporteur::eval::converge::CALIBRATION_TRACK)]
    calibrated_on: String,
    /// Search the threshold grid on that track's labels and print the best settings.
    #[arg(long)]
    calibrate: bool,
}

/// `rapporteur eval messages`.
#[derive(Args, Debug)]
pub struct EvalMessagesArgs {
    /// Labels file or folder.
    #[arg(long, value_name = "PATH")]
    labels: PathBuf,
    #[command(flatten)]
    source: SourceArgs,
    /// Longest message in words.
    #[arg(long, value_name = "N", default_value_t = 60)]
    max_words: usize,
    /// A folder of real IGF texts (igf_session_reports.jsonl, igf_messages.jsonl …) for the
    /// real-text comparison; skipped when absent.
    #[arg(long, value_name = "DIR", default_value = "../shared/corpora/igf")]
    real_text: PathBuf,
}

/// The documents of the index, the questions and the analysis parameters.
fn load(
    cli: &Cli,
    source: &SourceArgs,
) -> Result<(Vec<Document>, PolicyQuestions, ConvergeParams), Failure> {
    let questions_path = source.questions();
    if !questions_path.is_file() {
        return Err(Failure {
            message: format!("no policy-questions file at {}", questions_path.display()),
            code: 2,
            hint: Some("pass --questions FILE (the year's tracks and focused questions, TOML)"),
        });
    }
    let questions = PolicyQuestions::load(&questions_path).map_err(rapporteur::Error::from)?;
    let year = source.year.or(questions.year);
    let docs = Index::open(&cli.index)?.documents()?;
    let params = ConvergeParams::new().year(year).assign(source.assign.by());
    if rapporteur::run::outcomes_of(&docs, &params) == 0 {
        let of = year.map(|y| format!(" of {y}")).unwrap_or_default();
        return Err(usage(format!(
            "no takeaways, reports or DC outputs{of} in the index {}",
            cli.index.display()
        )));
    }
    Ok((docs, questions, params))
}

fn fit(
    docs: &[Document],
    questions: &PolicyQuestions,
    params: ConvergeParams,
) -> Result<Converged, Failure> {
    let params = params.check().map_err(|e| usage(e.to_string()))?;
    Ok(params.fit(docs, questions)?)
}

fn draft_params(max_words: Option<usize>, booklet: bool) -> Result<DraftValidParams, Failure> {
    let mut p = DraftParams::new();
    if let Some(n) = max_words {
        p = if booklet {
            p.booklet_words(n)
        } else {
            p.max_words(n)
        };
    }
    p.check().map_err(|e| usage(e.to_string()))
}

/// `rapporteur converge`.
pub fn cmd_converge(cli: &Cli, args: &ConvergeArgs) -> Result<(), Failure> {
    let (docs, questions, params) = load(cli, &args.source)?;
    let c = fit(&docs, &questions, params)?;
    if cli.json {
        output::json(&c.convergence)
    } else {
        output::print_stdout(&output::convergence_markdown(&c.convergence, &questions));
        Ok(())
    }
}

/// `rapporteur messages`.
pub fn cmd_messages(cli: &Cli, args: &MessagesArgs) -> Result<(), Failure> {
    let (docs, questions, params) = load(cli, &args.source)?;
    let draft = draft_params(args.max_words, args.booklet)?;
    if let Some(file) = &args.check {
        let text = std::fs::read_to_string(file).map_err(|e| Failure {
            message: format!("{}: {e}", file.display()),
            code: 2,
            hint: None,
        })?;
        let c = fit(&docs, &questions, params)?;
        let limit = if args.booklet {
            draft.params().booklet_limit()
        } else {
            draft.params().message_limit()
        };
        let checker = Checker::new(&c, docs.iter().map(|d| d.id.clone()), limit);
        let (items, violations) = checker.check_markdown(&text);
        if cli.json {
            output::json(&serde_json::json!({
                "file": file.display().to_string(),
                "messages": items,
                "violations": violations,
            }))?;
        } else {
            output::print_stdout(&output::check_report(file, items, &violations));
        }
        if violations.is_empty() {
            return Ok(());
        }
        return Err(Failure {
            message: format!(
                "{} guideline violations in {}",
                violations.len(),
                file.display()
            ),
            code: 1,
            hint: None,
        });
    }
    let c = fit(&docs, &questions, params)?;
    if args.booklet {
        let booklet = draft.booklet(&c, &docs, &questions);
        warn_violations(cli, &booklet.violations);
        if cli.json {
            output::json(&booklet)
        } else {
            output::print_stdout(&output::booklet_markdown(&booklet, questions.year));
            Ok(())
        }
    } else {
        let messages = draft.messages(&c, &questions);
        warn_violations(cli, &messages.violations);
        if cli.json {
            output::json(&messages)
        } else {
            output::print_stdout(&output::messages_markdown(
                &messages,
                &c.convergence,
                questions.year,
            ));
            Ok(())
        }
    }
}

/// A drafted text should never break a guideline; if it does, say so on stderr.
pub fn warn_violations(cli: &Cli, violations: &[rapporteur::draft::Violation]) {
    if cli.quiet {
        return;
    }
    for v in violations {
        eprintln!(
            "warning: {}: {}: {}",
            output::clean(&v.at),
            v.rule.as_str(),
            output::clean(&v.message)
        );
    }
}

fn labels(path: &Path) -> Result<Labels, Failure> {
    Labels::load(path).map_err(|e| usage(e.to_string()))
}

/// `rapporteur eval converge`.
pub fn cmd_eval_converge(cli: &Cli, args: &EvalConvergeArgs) -> Result<(), Failure> {
    let labels = labels(&args.labels)?;
    let (docs, questions, params) = load(cli, &args.source)?;
    if !questions.tracks.iter().any(|t| t.id == args.calibrated_on) {
        return Err(usage(format!(
            "no track `{}` in {}",
            args.calibrated_on,
            args.source.questions().display()
        )));
    }
    let c = fit(&docs, &questions, params.clone())?;
    let scores = evaluate(&c, &labels, &questions, &args.calibrated_on);
    // Placement of the labelled statements by every method.
    let mut placement = Vec::new();
    for by in [
        AssignBy::Statement,
        AssignBy::Document,
        AssignBy::Session,
        AssignBy::Hybrid,
    ] {
        let other = if by == c.convergence.params.assign_by() {
            c.clone()
        } else {
            fit(&docs, &questions, params.clone().assign(by))?
        };
        let s = evaluate(&other, &labels, &questions, &args.calibrated_on);
        placement.push((
            by,
            s.all.placement,
            s.all.convergence.f1,
            s.all.divergence.f1,
        ));
    }
    let grid = if args.calibrate {
        let prepared = params
            .clone()
            .check()
            .map_err(|e| usage(e.to_string()))?
            .prepare(&docs, &questions)?;
        calibrate(&prepared, &params, &labels, &questions, &args.calibrated_on)?
    } else {
        Vec::new()
    };
    if cli.json {
        output::json(&serde_json::json!({
            "scores": scores,
            "placement": placement.iter().map(|(by, p, cf, df)| serde_json::json!({
                "assign": by, "placement": p, "convergence_f1": cf, "divergence_f1": df,
            })).collect::<Vec<_>>(),
            "calibration": grid,
        }))
    } else {
        output::print_stdout(&output::converge_eval(&scores, &placement, &grid));
        Ok(())
    }
}

/// `rapporteur eval messages`.
pub fn cmd_eval_messages(cli: &Cli, args: &EvalMessagesArgs) -> Result<(), Failure> {
    let labels = labels(&args.labels)?;
    let (docs, questions, params) = load(cli, &args.source)?;
    let c = fit(&docs, &questions, params)?;
    let draft = draft_params(Some(args.max_words), false)?;
    let drafted = draft.messages(&c, &questions);
    let mut scores = messages::evaluate(&c, &drafted, &labels);
    scores.real_text = messages::real_text(&args.real_text, &draft)?;
    if cli.json {
        output::json(&scores)
    } else {
        output::print_stdout(&output::messages_eval(&scores, &args.real_text));
        Ok(())
    }
}

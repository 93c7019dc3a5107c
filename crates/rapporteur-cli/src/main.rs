//! `rapporteur`: the command line. Parses flags, calls the library, renders the results.
//!
//! Exit codes: 0 success, 1 failure while running, 2 bad input or usage.

mod config;
mod output;
mod report;
mod synthesis;

/// mimalloc: screening and ingest allocate many small vectors from every thread, where
/// glibc's allocator costs about a third of the time (benches/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapporteur::cluster::{ClusterParams, ClusterValidParams, GuidedMethod};
use rapporteur::index::{DEFAULT_PATH, Index, SearchRequest};
use rapporteur::ingest::{FieldMap, Format, IngestOptions, RecordOptions};
use rapporteur::questions::PolicyQuestions;
use rapporteur::screen::{PairClass, ScreenParams};
use rapporteur::vectors::{CacheUse, Corpus, Texts, VectorParams, VectorValidParams};
use rapporteur::{Kind, run};

const EXAMPLES: &str = "\
Examples:
  rapporteur run                                   index the bundled sample corpus and report
  rapporteur index proposals.jsonl reports/        add files and folders to ./rapporteur-index
  rapporteur index export.csv --map text=description --skip-invalid
  rapporteur search \"data governance\" --kind proposal --year 2019
  rapporteur stats --json
  rapporteur messages --md > draft.md              draft the thematic messages (after indexing)
  rapporteur completions bash > /etc/bash_completion.d/rapporteur
  rapporteur man > rapporteur.1

Defaults for --index, --questions, run's --out and inputs can be set in ./rapporteur.toml (or
--config FILE). Colour only on a terminal, never with NO_COLOR set.

Exit codes: 0 success, 1 failure while running, 2 bad input or usage.";

/// Turns the texts of the Internet Governance Forum into something people can act on.
#[derive(Parser, Debug)]
#[command(name = "rapporteur", version, after_help = EXAMPLES)]
struct Cli {
    /// Index folder.
    #[arg(long, global = true, value_name = "DIR", default_value = DEFAULT_PATH)]
    index: PathBuf,
    /// No progress bars, no summaries on stderr.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Write JSON to stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Configuration file with defaults (index, questions, out, inputs) [default:
    /// ./rapporteur.toml when present].
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Take the names of speakers and organisers, and e-mail addresses, out of every output
    /// (stdout, JSON, CSV, Markdown, HTML): they become `[name]` and `[e-mail]`.
    #[arg(long, global = true)]
    redact: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The main job: index a corpus afresh, count it, match proposals to the policy questions.
    #[command(
        after_help = "Example:\n  rapporteur run corpora/sample --questions corpora/sample/questions-2026.toml --out out"
    )]
    Run(RunArgs),
    /// Add JSON Lines, CSV, text, Markdown, HTML and PDF files (or folders of them) to the index.
    #[command(
        after_help = "Examples:\n  rapporteur index corpora/sample\n  rapporteur index export.csv --map text=description --map id=ws_number\n  rapporteur --index /tmp/idx index archive/ --skip-invalid\n  rapporteur index igf-archive/ --types html,pdf    # saved pages and PDFs only"
    )]
    Index(IndexArgs),
    /// Search the index (BM25), with snippets and facet counts.
    #[command(
        after_help = "Examples:\n  rapporteur search \"data governance\"\n  rapporteur search '\"community networks\" spectrum' --kind proposal --limit 5\n  rapporteur search --plain \"How can cross-border data flows be governed?\" --json"
    )]
    Search(SearchArgs),
    /// Count the indexed documents by kind, year, track, language, stakeholder group, region.
    #[command(after_help = "Example:\n  rapporteur stats --json")]
    Stats,
    /// Cluster indexed documents against the year's policy questions (or into themes).
    #[command(
        after_help = "Examples:\n  rapporteur cluster --questions corpora/sample/questions-2026.toml --year 2026 --md\n  rapporteur cluster --questions q.toml --csv > clusters.csv\n  rapporteur cluster --k 12 --json          # unguided themes, e.g. over an archive"
    )]
    Cluster(ClusterArgs),
    /// Find duplicate and overlapping proposals, with the evidence, merge groups and panel
    /// diversity.
    #[command(
        after_help = "Examples:\n  rapporteur screen --year 2026 --md\n  rapporteur screen --year 2026 --against 2024 2025 --csv > pairs.csv\n  rapporteur screen --min-class strong_overlap --json"
    )]
    Screen(ScreenArgs),
    /// Write the HTML report from the index: one self-contained file (overview, programme
    /// focus, policy-question map, cluster cards, themes over time, proposals).
    #[command(
        after_help = "Examples:\n  rapporteur report --questions corpora/sample/questions-2026.toml --out report.html\n  rapporteur report --year 2024 --year 2025 --out themes.html    # unguided themes over time"
    )]
    Report(ReportArgs),
    /// Convergence and divergence across sessions: statements grouped into points per policy
    /// question, with their support, classed converging, diverging or emerging.
    #[command(
        after_help = "Examples:\n  rapporteur converge --questions corpora/sample/questions-2026.toml --md\n  rapporteur converge --year 2026 --json > points.json"
    )]
    Converge(synthesis::ConvergeArgs),
    /// Draft the thematic messages (3–7 per policy question, extractive, with sources), a
    /// booklet of DC outputs, or check a draft against the reporting guidelines.
    #[command(
        after_help = "Examples:\n  rapporteur messages --md > draft.md\n  rapporteur messages --max-words 50 --json\n  rapporteur messages --booklet --md > booklet.md\n  rapporteur messages --check draft.md          # exits 1 when a guideline is broken"
    )]
    Messages(synthesis::MessagesArgs),
    /// Score an analysis against gold labels (e.g. corpora/labels).
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  rapporteur completions bash > ~/.local/share/bash-completion/completions/rapporteur\n  rapporteur completions zsh > ~/.zfunc/_rapporteur\n  rapporteur completions fish > ~/.config/fish/completions/rapporteur.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into a folder.
    #[command(
        after_help = "Examples:\n  rapporteur man > rapporteur.1 && man ./rapporteur.1\n  rapporteur man --dir /usr/local/share/man/man1"
    )]
    Man {
        /// Write rapporteur.1 and a page per subcommand (rapporteur-run.1 …) into this folder.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum EvalCommand {
    /// Cluster, then print NMI, ARI, V-measure and per-question precision and recall.
    #[command(
        after_help = "Example:\n  rapporteur eval cluster --labels corpora/labels --questions corpora/sample/questions-2026.toml"
    )]
    Cluster {
        /// Labels file or folder.
        #[arg(long, value_name = "PATH")]
        labels: PathBuf,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
    /// Screen, then print precision, recall, F1 and ROC-AUC over the labelled pairs, on the
    /// calibration (archive years) and test splits.
    #[command(after_help = "Example:\n  rapporteur eval screen --labels corpora/labels")]
    Screen {
        /// Labels file or folder.
        #[arg(long, value_name = "PATH")]
        labels: PathBuf,
        /// Only documents of this kind.
        #[arg(long, value_parser = parse_kind, default_value = "proposal")]
        kind: Kind,
    },
    /// Convergence and divergence detection: precision and recall against the labels, per
    /// track (calibration track apart), and placement of statements on questions by method.
    #[command(
        after_help = "Examples:\n  rapporteur eval converge --labels corpora/labels\n  rapporteur eval converge --labels corpora/labels --calibrate   # the threshold grid (slow)"
    )]
    Converge(synthesis::EvalConvergeArgs),
    /// Drafted messages: ROUGE-1/2/L against the reference messages beside the lead and
    /// LexRank baselines, guideline compliance, and the real-text comparison.
    #[command(
        after_help = "Example:\n  rapporteur eval messages --labels corpora/labels --real-text ../shared/corpora/igf"
    )]
    Messages(synthesis::EvalMessagesArgs),
}

#[derive(Args, Debug)]
struct ScreenArgs {
    /// Screen the documents of this year (default: all documents together).
    #[arg(long)]
    year: Option<u16>,
    /// Also screen against the documents of these years (resubmissions).
    #[arg(long, value_name = "YEAR", num_args = 1.., requires = "year")]
    against: Vec<u16>,
    /// Only documents of this kind.
    #[arg(long, value_parser = parse_kind, default_value = "proposal")]
    kind: Kind,
    /// The weakest class listed: related, strong_overlap or same_proposal.
    #[arg(long, value_parser = parse_class, default_value = "related")]
    min_class: PairClass,
    /// One CSV row per pair (titles, class, score, shared people, top evidence).
    #[arg(long, conflicts_with = "md")]
    csv: bool,
    /// A Markdown report (the default for people).
    #[arg(long)]
    md: bool,
    /// Pairs shown with their evidence in the Markdown report.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// The year's policy questions (TOML): the proposals are clustered on them too, and the
    /// merge candidates are grouped per question.
    #[arg(long, value_name = "FILE")]
    questions: Option<PathBuf>,
    #[command(flatten)]
    tuning: TuningArgs,
}

#[derive(Args, Debug)]
struct ReportArgs {
    /// The HTML file to write.
    #[arg(long, value_name = "FILE", default_value = "report.html")]
    out: PathBuf,
    /// The year's policy questions (TOML); without it, unguided themes.
    #[arg(long, value_name = "FILE")]
    questions: Option<PathBuf>,
    /// Only proposals of these years (repeatable; default: the questions file's year, if any,
    /// else all years).
    #[arg(long)]
    year: Vec<u16>,
    #[command(flatten)]
    tuning: TuningArgs,
}

#[derive(Args, Debug)]
struct ClusterArgs {
    /// The year's policy questions (TOML); without it, unguided themes.
    #[arg(long, value_name = "FILE")]
    questions: Option<PathBuf>,
    /// Only documents of these years (repeatable; default: the questions file's year, if any).
    #[arg(long)]
    year: Vec<u16>,
    /// Only documents of this kind.
    #[arg(long, value_parser = parse_kind, default_value = "proposal")]
    kind: Kind,
    #[command(flatten)]
    tuning: TuningArgs,
    /// One CSV row per document (id, title, cluster, policy questions, score).
    #[arg(long, conflicts_with_all = ["md"])]
    csv: bool,
    /// A Markdown summary.
    #[arg(long)]
    md: bool,
}

/// Clustering settings shared by `cluster`, `eval cluster` and `run`.
#[derive(Args, Debug)]
struct TuningArgs {
    /// Number of unguided themes (default: chosen by silhouette).
    #[arg(long)]
    k: Option<usize>,
    /// How guided clustering places documents on questions.
    #[arg(long, value_enum, default_value = "feedback")]
    method: MethodArg,
    /// Minimum score (a cosine; a z-score with --standardize) to answer a question.
    #[arg(long)]
    threshold: Option<f32>,
    /// A second question counts when it scores at least this share of the best.
    #[arg(long)]
    relative: Option<f32>,
    /// Threshold on z-scores per question instead of raw cosines (for calls where no
    /// question dominates).
    #[arg(long)]
    standardize: bool,
    /// Attach an emergent theme to a question when its members score this on it on average
    /// (default 0.15).
    #[arg(long)]
    attach: Option<f32>,
    /// Never attach emergent themes to questions.
    #[arg(long, conflicts_with = "attach")]
    no_attach: bool,
    /// Documents per question used for pseudo-relevance feedback (0: none).
    #[arg(long)]
    feedback_docs: Option<usize>,
    /// LSA dimensions.
    #[arg(long, default_value_t = 100)]
    dims: usize,
}

impl TuningArgs {
    /// Checked vector and clustering parameters.
    fn params(&self) -> Result<(VectorValidParams, ClusterValidParams), Failure> {
        let mut params = ClusterParams::new().k(self.k).method(match self.method {
            MethodArg::Feedback => GuidedMethod::Feedback,
            MethodArg::Seeded => GuidedMethod::SeededKMeans,
        });
        params = params.standardize(self.standardize);
        if let Some(t) = self.threshold {
            params = params.threshold(t);
        }
        if self.no_attach {
            params = params.attach(None);
        } else if let Some(a) = self.attach {
            params = params.attach(Some(a));
        }
        if let Some(r) = self.relative {
            params = params.relative(r);
        }
        if let Some(n) = self.feedback_docs {
            params = params.feedback_docs(n);
        }
        let params = params.check().map_err(|e| usage(e.to_string()))?;
        let vectors = VectorParams::new()
            .dims(self.dims)
            .check()
            .map_err(|e| usage(e.to_string()))?;
        Ok((vectors, params))
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum MethodArg {
    /// Question vectors refined by pseudo-relevance feedback.
    Feedback,
    /// k-means seeded with the question vectors.
    Seeded,
}

#[derive(Args, Debug)]
struct IngestArgs {
    /// Read a document field from another input field or CSV column (FIELD=COLUMN); repeatable.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// Go past bad records, counting and listing them, instead of stopping at the first.
    #[arg(long)]
    skip_invalid: bool,
    /// Kind of records that name none and whose content does not tell.
    #[arg(long, value_name = "KIND", value_parser = parse_kind, default_value = "other")]
    default_kind: Kind,
    /// Refuse records (JSON lines, HTML and PDF files) larger than this many bytes without
    /// reading them; read only this much of a larger text file.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    max_record_bytes: u64,
    /// Cut document texts longer than this many bytes, at a paragraph or sentence end, with a
    /// warning naming the file and line (also `max_text_bytes` in rapporteur.toml).
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 20)]
    max_text_bytes: usize,
    /// Only read files of these types, comma-separated (jsonl, csv, text, html, pdf; default:
    /// all). Files left out are counted.
    #[arg(long, value_name = "TYPES", value_delimiter = ',', value_parser = parse_format)]
    types: Vec<Format>,
}

impl IngestArgs {
    fn options(&self) -> Result<IngestOptions, String> {
        Ok(IngestOptions {
            record: RecordOptions {
                map: FieldMap::parse(self.map.iter().map(String::as_str))?,
                default_kind: self.default_kind,
                max_text_bytes: self.max_text_bytes,
            },
            skip_invalid: self.skip_invalid,
            max_record_bytes: self.max_record_bytes,
            formats: self.types.clone(),
        })
    }
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Files and folders to analyse.
    #[arg(value_name = "PATH", default_value = "corpora/sample")]
    paths: Vec<PathBuf>,
    /// The year's policy questions (TOML). Default: questions*.toml among the inputs.
    #[arg(long, value_name = "FILE")]
    questions: Option<PathBuf>,
    /// Output folder (holds the index and results.json).
    #[arg(long, value_name = "DIR", default_value = "rapporteur-out")]
    out: PathBuf,
    #[command(flatten)]
    ingest: IngestArgs,
    #[command(flatten)]
    tuning: TuningArgs,
}

#[derive(Args, Debug)]
struct IndexArgs {
    /// Files and folders to add.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    ingest: IngestArgs,
}

#[derive(Args, Debug)]
struct SearchArgs {
    /// The query: words, "phrases", +required, -excluded, field:term.
    query: String,
    /// Treat the query as plain text (paste a question or a paragraph).
    #[arg(long)]
    plain: bool,
    /// Only this kind (proposal, takeaway, report, dc_output, message, transcript, other).
    #[arg(long, value_parser = parse_kind)]
    kind: Option<Kind>,
    /// Only this year.
    #[arg(long)]
    year: Option<u16>,
    /// Only this track (exact name).
    #[arg(long)]
    track: Option<String>,
    /// Number of hits.
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).ok_or_else(|| {
        let names: Vec<_> = Format::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown file type `{s}` (one of {})", names.join(", "))
    })
}

fn parse_class(s: &str) -> Result<PairClass, String> {
    PairClass::from_name(s).ok_or_else(|| {
        format!("unknown class `{s}` (one of related, strong_overlap, same_proposal)")
    })
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::from_name(s).ok_or_else(|| {
        let names: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown kind `{s}` (one of {})", names.join(", "))
    })
}

/// A failure, with the exit code it deserves and an optional hint.
struct Failure {
    message: String,
    code: u8,
    hint: Option<&'static str>,
}

impl From<rapporteur::Error> for Failure {
    fn from(e: rapporteur::Error) -> Self {
        let hint = match &e {
            rapporteur::Error::Ingest(_) => {
                Some("fix the record, or pass --skip-invalid to go past bad records")
            }
            rapporteur::Error::Index(rapporteur::index::IndexError::Query { .. }) => {
                Some("quote phrases, or pass --plain to search for the words as they are")
            }
            _ => None,
        };
        Failure {
            code: if e.is_bad_input() { 2 } else { 1 },
            message: e.to_string(),
            hint,
        }
    }
}

impl From<rapporteur::index::IndexError> for Failure {
    fn from(e: rapporteur::index::IndexError) -> Self {
        Failure::from(rapporteur::Error::from(e))
    }
}

fn usage(message: String) -> Failure {
    Failure {
        message,
        code: 2,
        hint: None,
    }
}

fn io_failure(what: &str, e: std::io::Error) -> Failure {
    Failure {
        message: format!("{what}: {e}"),
        code: 1,
        hint: None,
    }
}

fn main() -> ExitCode {
    rapporteur::disable_huge_pages();
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let result = match &cli.command {
        // Generated from the flags alone: no config file is read.
        Command::Completions { .. } | Command::Man { .. } => Ok(()),
        _ => config::Config::find(cli.config.as_deref())
            .map(|config| config.map_or((), |c| c.apply(&mut cli, &matches))),
    };
    // `run` learns the names from the index it builds; every other command from --index.
    if cli.redact && !matches!(cli.command, Command::Run(_)) {
        output::redact_with(redactor(&cli.index));
    }
    match result.and_then(|()| dispatch(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("rapporteur: error: {}", output::clean(&f.message));
            if let Some(hint) = f.hint {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(f.code)
        }
    }
}

/// A redactor for the people of the index at `path` (e-mail addresses only when it has none).
fn redactor(path: &std::path::Path) -> rapporteur::redact::Redactor {
    Index::open(path)
        .and_then(|i| i.documents())
        .map(|docs| rapporteur::redact::Redactor::new(&docs))
        .unwrap_or_default()
}

fn dispatch(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Converge(args) => synthesis::cmd_converge(cli, args),
        Command::Messages(args) => synthesis::cmd_messages(cli, args),
        Command::Eval(EvalCommand::Converge(args)) => synthesis::cmd_eval_converge(cli, args),
        Command::Eval(EvalCommand::Messages(args)) => synthesis::cmd_eval_messages(cli, args),
        Command::Index(args) => cmd_index(cli, args),
        Command::Search(args) => cmd_search(cli, args),
        Command::Stats => cmd_stats(cli),
        Command::Run(args) => cmd_run(cli, args),
        Command::Cluster(args) => cmd_cluster(cli, args),
        Command::Eval(EvalCommand::Cluster { labels, cluster }) => {
            cmd_eval_cluster(cli, labels, cluster)
        }
        Command::Screen(args) => cmd_screen(cli, args),
        Command::Report(args) => cmd_report(cli, args),
        Command::Eval(EvalCommand::Screen { labels, kind }) => cmd_eval_screen(cli, labels, *kind),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "rapporteur", &mut out);
            output::print_stdout(&String::from_utf8_lossy(&out));
            Ok(())
        }
        Command::Man { dir } => cmd_man(dir.as_deref()),
    }
}

/// A byte progress bar on stderr, drawn only on a terminal and without `--quiet`.
fn progress_bar(cli: &Cli, paths: &[PathBuf], message: &'static str) -> ProgressBar {
    if cli.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(
        Some(rapporteur::ingest::total_bytes(paths)),
        ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>10} [{bar:32}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

fn cmd_index(cli: &Cli, args: &IndexArgs) -> Result<(), Failure> {
    let opts = args.ingest.options().map_err(usage)?;
    let index = Index::open_or_create(&cli.index)?;
    let bar = progress_bar(cli, &args.paths, "indexing");
    let report = index.add(&args.paths, &opts, &mut |b| bar.set_position(b));
    bar.finish_and_clear();
    let report = report?;
    if cli.json {
        output::json(&report)
    } else {
        output::index_report(&report, &cli.index, cli.quiet);
        Ok(())
    }
}

fn cmd_search(cli: &Cli, args: &SearchArgs) -> Result<(), Failure> {
    let index = Index::open(&cli.index)?;
    let results = index.search(&SearchRequest {
        query: args.query.clone(),
        plain: args.plain,
        kind: args.kind,
        year: args.year,
        track: args.track.clone(),
        limit: args.limit,
    })?;
    if cli.json {
        output::json(&results)
    } else {
        output::search_results(&results, &args.query);
        Ok(())
    }
}

fn cmd_stats(cli: &Cli) -> Result<(), Failure> {
    let stats = Index::open(&cli.index)?.stats()?;
    if cli.json {
        output::json(&stats)
    } else {
        output::stats(&stats);
        Ok(())
    }
}

fn cmd_run(cli: &Cli, args: &RunArgs) -> Result<(), Failure> {
    let questions_path = match &args.questions {
        Some(p) => Some(p.clone()),
        None => find_questions(&args.paths),
    };
    let questions = match &questions_path {
        Some(p) => Some(PolicyQuestions::load(p).map_err(rapporteur::Error::from)?),
        None => None,
    };
    let (vectors, cluster) = args.tuning.params()?;
    let config = run::RunConfig {
        inputs: args.paths.clone(),
        questions,
        out: args.out.clone(),
        ingest: args.ingest.options().map_err(usage)?,
        vectors,
        cluster,
        screen: ScreenParams::new()
            .check()
            .map_err(|e| usage(e.to_string()))?,
        converge: rapporteur::converge::ConvergeParams::new(),
        draft: rapporteur::draft::DraftParams::new()
            .check()
            .map_err(|e| usage(e.to_string()))?,
    };
    let started = std::time::Instant::now();
    let bar = progress_bar(cli, &args.paths, "indexing");
    let report = run::run(&config, &mut |p| match p {
        run::Progress::Stage(name) => bar.set_message(name),
        run::Progress::Bytes(b) => bar.set_position(b),
    });
    bar.finish_and_clear();
    let report = report?;
    if let Some(m) = &report.messages {
        synthesis::warn_violations(cli, &m.violations);
    }
    let documents = Index::open(&args.out.join("index"))?.documents()?;
    if cli.redact {
        output::redact_with(rapporteur::redact::Redactor::new(&documents));
    }
    output::write_run_files(&report, config.questions.as_ref(), &documents, &args.out)
        .map_err(|e| io_failure("writing results", e))?;
    if cli.json {
        output::json(&report)?;
    }
    if !cli.quiet {
        output::run_report(
            &report,
            questions_path.as_deref(),
            &args.out,
            started.elapsed(),
        );
    }
    Ok(())
}

/// CSV written whole to stdout (through the redaction of `--redact`).
fn csv_to_stdout(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Result<(), Failure> {
    let mut csv = Vec::new();
    write(&mut csv).map_err(|e| io_failure("writing CSV", e))?;
    output::print_stdout(&String::from_utf8_lossy(&csv));
    Ok(())
}

fn cmd_cluster(cli: &Cli, args: &ClusterArgs) -> Result<(), Failure> {
    let (result, questions) = clustering(cli, &args.selection())?;
    if cli.json {
        output::json(&result)
    } else if args.csv {
        csv_to_stdout(|out| output::clusters_csv(&result, out))
    } else {
        output::print_stdout(&output::clusters_markdown(&result, questions.as_ref()));
        Ok(())
    }
}

fn cmd_report(cli: &Cli, args: &ReportArgs) -> Result<(), Failure> {
    let (clustering, questions) = clustering(
        cli,
        &Selection {
            questions: args.questions.as_deref(),
            years: &args.year,
            kind: Kind::Proposal,
            tuning: &args.tuning,
        },
    )?;
    let index = Index::open(&cli.index)?;
    let stats = index.stats()?;
    let year = match (
        questions.as_ref().and_then(|q| q.year),
        args.year.as_slice(),
    ) {
        (Some(y), _) | (None, &[y]) => Some(y),
        _ => None,
    };
    // Screening, convergence and messages need one year (and the last two the questions).
    let all = index.documents()?;
    let mut screening = match year {
        Some(_) => run::screen_year(
            &all,
            year,
            &ScreenParams::new()
                .check()
                .map_err(|e| usage(e.to_string()))?,
        )?,
        None => None,
    };
    if let Some(s) = &mut screening {
        s.by_question = Some(s.group_by_question(&clustering));
    }
    let synthesis = match (&questions, year) {
        (Some(q), Some(_)) => run::synthesise(
            &all,
            q,
            rapporteur::converge::ConvergeParams::new().year(year),
            &rapporteur::draft::DraftParams::new()
                .check()
                .map_err(|e| usage(e.to_string()))?,
        )?,
        _ => None,
    };
    let html = report::Report {
        stats: &stats,
        year,
        documents: &all,
        clustering: Some(&clustering),
        questions: questions.as_ref(),
        screening: screening.as_ref(),
        convergence: synthesis.as_ref().map(|(c, _)| &c.convergence),
        messages: synthesis.as_ref().map(|(_, m)| m),
    }
    .render();
    output::write_atomic(&args.out, html.as_bytes())
        .map_err(|e| io_failure(&format!("writing {}", args.out.display()), e))?;
    if !cli.quiet {
        eprintln!("rapporteur: wrote {}", args.out.display());
    }
    Ok(())
}

fn cmd_eval_cluster(
    cli: &Cli,
    labels: &std::path::Path,
    args: &ClusterArgs,
) -> Result<(), Failure> {
    let labels = rapporteur::eval::Labels::load(labels).map_err(|e| usage(e.to_string()))?;
    let (result, _) = clustering(cli, &args.selection())?;
    let scores = rapporteur::eval::cluster::evaluate(&result, &labels);
    if cli.json {
        output::json(&scores)
    } else {
        output::cluster_eval(&scores);
        Ok(())
    }
}

/// Which documents to cluster, and how.
struct Selection<'a> {
    questions: Option<&'a std::path::Path>,
    years: &'a [u16],
    kind: Kind,
    tuning: &'a TuningArgs,
}

impl ClusterArgs {
    fn selection(&self) -> Selection<'_> {
        Selection {
            questions: self.questions.as_deref(),
            years: &self.year,
            kind: self.kind,
            tuning: &self.tuning,
        }
    }
}

/// A clustering and the questions it used.
type Clustered = (rapporteur::cluster::Clustering, Option<PolicyQuestions>);

/// Loads the questions, streams the documents selected from the index into a [`Corpus`]
/// (their texts in a temporary file, so that a large archive is not held in memory), and
/// clusters them, with the vectors cached beside the index for the same documents and
/// parameters.
fn clustering(cli: &Cli, args: &Selection) -> Result<Clustered, Failure> {
    let questions = match args.questions {
        Some(p) => Some(PolicyQuestions::load(p).map_err(rapporteur::Error::from)?),
        None => None,
    };
    let mut years = args.years.to_vec();
    if years.is_empty() {
        years.extend(questions.as_ref().and_then(|q| q.year));
    }
    let file = tempfile::tempfile().map_err(|e| io_failure("creating a temporary file", e))?;
    let mut docs = Corpus::new(file);
    let index = Index::open(&cli.index)?;
    index.for_each_document(&mut |d| {
        if d.kind == args.kind && (years.is_empty() || d.year.is_some_and(|y| years.contains(&y))) {
            docs.push(&d).map_err(rapporteur::Error::from)?;
        }
        Ok::<_, rapporteur::Error>(())
    })?;
    docs.sort_by_id();
    if docs.is_empty() {
        let years: Vec<String> = years.iter().map(u16::to_string).collect();
        let of = if years.is_empty() {
            String::new()
        } else {
            format!(" of {}", years.join(", "))
        };
        return Err(usage(format!(
            "no {} documents{of} in the index",
            args.kind
        )));
    }
    let (vectors, params) = args.tuning.params()?;
    let key = format!("{} {:016x}", index.generation()?, docs.fingerprint());
    let (v, cached) = vectors
        .fit_cached(&docs, &index.vectors_cache(), &key)
        .map_err(rapporteur::Error::from)?;
    if let CacheUse::NotWritten(why) = cached
        && !cli.quiet
    {
        eprintln!("note: the vectors were not cached ({why})");
    }
    let result = match &questions {
        Some(q) => params.guided_on(&docs, &v, q),
        None => params.unguided_on(&docs, &v),
    }
    .map_err(rapporteur::Error::from)?;
    Ok((result, questions))
}

fn cmd_screen(cli: &Cli, args: &ScreenArgs) -> Result<(), Failure> {
    let docs = Index::open(&cli.index)?.documents()?;
    let of_year = |y: u16| {
        docs.iter()
            .filter(|d| d.kind == args.kind && d.year == Some(y))
            .cloned()
            .collect::<Vec<_>>()
    };
    let (current, earlier) = match args.year {
        Some(year) => {
            let mut earlier = Vec::new();
            for &y in args.against.iter().filter(|&&y| y != year) {
                let found = of_year(y);
                if found.is_empty() && !cli.quiet {
                    eprintln!("note: no {} documents of {y} in the index", args.kind);
                }
                earlier.extend(found);
            }
            (of_year(year), earlier)
        }
        None => (
            docs.iter()
                .filter(|d| d.kind == args.kind)
                .cloned()
                .collect(),
            Vec::new(),
        ),
    };
    if current.is_empty() {
        let of = args.year.map(|y| format!(" of {y}")).unwrap_or_default();
        return Err(usage(format!(
            "no {} documents{of} in the index",
            args.kind
        )));
    }
    let params = ScreenParams::new()
        .min_class(args.min_class)
        .check()
        .map_err(|e| usage(e.to_string()))?;
    let mut result =
        rapporteur::screen::screen(&current, &earlier, &params).map_err(rapporteur::Error::from)?;
    let mut questions = None;
    if let Some(path) = &args.questions {
        let years: Vec<u16> = args.year.into_iter().collect();
        let (clustering, loaded) = clustering(
            cli,
            &Selection {
                questions: Some(path),
                years: &years,
                kind: args.kind,
                tuning: &args.tuning,
            },
        )?;
        result.by_question = Some(result.group_by_question(&clustering));
        questions = loaded;
    }
    if cli.json {
        output::json(&result)
    } else if args.csv {
        csv_to_stdout(|out| output::screen_csv(&result, out))
    } else {
        output::print_stdout(&output::screen_markdown(
            &result,
            questions.as_ref(),
            args.year,
            &args.against,
            args.limit,
        ));
        Ok(())
    }
}

fn cmd_eval_screen(cli: &Cli, labels: &std::path::Path, kind: Kind) -> Result<(), Failure> {
    let labels = rapporteur::eval::Labels::load(labels).map_err(|e| usage(e.to_string()))?;
    let docs: Vec<_> = Index::open(&cli.index)?
        .documents()?
        .into_iter()
        .filter(|d| d.kind == kind)
        .collect();
    if docs.is_empty() {
        return Err(usage(format!("no {kind} documents in the index")));
    }
    let params = ScreenParams::new()
        .check()
        .map_err(|e| usage(e.to_string()))?;
    let scores = rapporteur::eval::screen::evaluate(&docs, &labels, &params)
        .map_err(rapporteur::Error::from)?;
    if cli.json {
        output::json(&scores)
    } else {
        output::print_stdout(&output::screen_eval(&scores));
        Ok(())
    }
}

/// `rapporteur man`: the man page on stdout, or every page into a folder.
fn cmd_man(dir: Option<&std::path::Path>) -> Result<(), Failure> {
    match dir {
        Some(dir) => std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(Cli::command(), dir))
            .map_err(|e| io_failure(&format!("writing man pages into {}", dir.display()), e)),
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| io_failure("writing the man page", e))?;
            output::print_stdout(&String::from_utf8_lossy(&out));
            Ok(())
        }
    }
}

/// The first `questions*.toml` directly inside the input folders.
fn find_questions(paths: &[PathBuf]) -> Option<PathBuf> {
    paths.iter().filter(|p| p.is_dir()).find_map(|dir| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "toml")
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("questions"))
            })
            .collect();
        found.sort();
        found.into_iter().next()
    })
}

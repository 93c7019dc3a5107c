//! `rapporteur`: the command line. Parses flags, calls the library, renders the results.
//!
//! Exit codes: 0 success, 1 failure while running, 2 bad input or usage.

mod output;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapporteur::index::{DEFAULT_PATH, Index, SearchRequest};
use rapporteur::ingest::{FieldMap, IngestOptions, RecordOptions};
use rapporteur::questions::PolicyQuestions;
use rapporteur::{Kind, run};

const EXAMPLES: &str = "\
Examples:
  rapporteur run                                   index the bundled sample corpus and report
  rapporteur index proposals.jsonl reports/        add files and folders to ./rapporteur-index
  rapporteur index export.csv --map text=description --skip-invalid
  rapporteur search \"data governance\" --kind proposal --year 2019
  rapporteur stats --json

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
    /// Add JSON Lines, CSV, text and Markdown files (or folders of them) to the index.
    #[command(
        after_help = "Examples:\n  rapporteur index corpora/sample\n  rapporteur index export.csv --map text=description --map id=ws_number\n  rapporteur --index /tmp/idx index archive/ --skip-invalid"
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
}

#[derive(Args, Debug)]
struct IngestArgs {
    /// Read a document field from another input field or CSV column (FIELD=COLUMN); repeatable.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// Go past bad records, counting and listing them, instead of stopping at the first.
    #[arg(long)]
    skip_invalid: bool,
    /// Kind of records that name none.
    #[arg(long, value_name = "KIND", value_parser = parse_kind, default_value = "other")]
    default_kind: Kind,
    /// Refuse records (JSON lines) larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    max_record_bytes: u64,
    /// Cut document texts longer than this many bytes (with a warning).
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 20)]
    max_text_bytes: usize,
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
    /// Proposals listed per policy question.
    #[arg(long, value_name = "N", default_value_t = 5)]
    matches: usize,
    #[command(flatten)]
    ingest: IngestArgs,
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
    let cli = Cli::parse();
    match dispatch(&cli) {
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

fn dispatch(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Index(args) => cmd_index(cli, args),
        Command::Search(args) => cmd_search(cli, args),
        Command::Stats => cmd_stats(cli),
        Command::Run(args) => cmd_run(cli, args),
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
    let config = run::RunConfig {
        inputs: args.paths.clone(),
        questions,
        out: args.out.clone(),
        ingest: args.ingest.options().map_err(usage)?,
        matches_per_question: args.matches,
    };
    let started = std::time::Instant::now();
    let bar = progress_bar(cli, &args.paths, "indexing");
    let report = run::run(&config, &mut |b| bar.set_position(b));
    bar.finish_and_clear();
    let report = report?;
    let results = args.out.join("results.json");
    output::write_json_file(&results, &report).map_err(|e| io_failure("writing results", e))?;
    if cli.json {
        output::json(&report)
    } else {
        output::run_report(
            &report,
            questions_path.as_deref(),
            &args.out,
            started.elapsed(),
        );
        Ok(())
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

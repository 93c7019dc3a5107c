//! `rapporteur-bench`: the command line of the corpus generator and the benchmark harness
//! (see the library, `rapporteur_bench`).
//!
//! ```text
//! rapporteur-bench gen --n 10000 --seed 0 --out corpus.jsonl
//! rapporteur-bench run --sizes 1000,10000 --stages ingest,cluster,screen,converge,e2e --peer /tmp/peer
//! rapporteur-bench eval --peer /tmp/peer --json eval.json
//! ```

/// mimalloc: the measured stages allocate many small vectors from every thread, where
/// glibc's allocator costs about a third of the time (benches/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};

use rapporteur_bench::harness::{self, Measurement, StageName};
use rapporteur_bench::{eval, r#gen};

/// Synthetic corpora and benchmarks for rapporteur.
#[derive(Parser, Debug)]
#[command(name = "rapporteur-bench")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Write a deterministic synthetic corpus of IGF-like proposals as JSON Lines.
    Gen {
        /// Number of documents.
        #[arg(long)]
        n: usize,
        /// Random seed; the same seed gives the same bytes.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output file.
        #[arg(long, value_name = "FILE.jsonl")]
        out: PathBuf,
    },
    /// Measure stages of rapporteur on generated corpora (time, CPU, peak RSS, quality), each
    /// next to the reference Python pipeline's run of the same work when it is available.
    /// Prints a JSON line per measurement, then a Markdown table.
    Run {
        /// Corpus sizes, comma-separated (e.g. 1000,10000,100000).
        #[arg(long, value_delimiter = ',', default_value = "1000")]
        sizes: Vec<usize>,
        /// Stages to measure, comma-separated.
        #[arg(
            long,
            value_enum,
            value_delimiter = ',',
            default_value = "ingest,cluster,screen,converge,e2e"
        )]
        stages: Vec<StageName>,
        /// Random seed of the corpus.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// A copy of `peer/` with its `.venv` (see its README); skipped, with a notice, when
        /// absent.
        #[arg(long, value_name = "DIR", env = "RAPPORTEUR_PEER")]
        peer: Option<PathBuf>,
        /// Also write the measurements as a JSON array to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        #[command(flatten)]
        samples: harness::Samples,
    },
    /// Every quality number (clustering NMI/ARI, screening F1/AUC, convergence, messages
    /// ROUGE and guideline compliance) on the sample corpus and the real IGF texts, next to
    /// the peers' numbers on the same inputs. Prints a Markdown table; skipped parts are
    /// named on stderr and below the table.
    Eval {
        /// A copy of `peer/` with its `.venv` (see its README); its columns are skipped, with
        /// a notice, when absent.
        #[arg(long, value_name = "DIR", env = "RAPPORTEUR_PEER")]
        peer: Option<PathBuf>,
        /// The folder of real IGF texts [default: ../shared/corpora/igf from the repository
        /// root]; its rows are skipped, with a notice, when it is absent.
        #[arg(long, value_name = "DIR")]
        shared: Option<PathBuf>,
        /// Also write the rows, notes and the full evaluation results as JSON to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
    },
    /// The measured work, run in a child process by `run`.
    #[command(hide = true)]
    Stage {
        /// The stage.
        #[arg(value_enum)]
        stage: StageName,
        /// The corpus.
        corpus: PathBuf,
        /// A fresh folder for the index.
        index: PathBuf,
        #[command(flatten)]
        samples: harness::Samples,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Cmd::Gen { n, seed, out } => {
            let start = Instant::now();
            let mut file = BufWriter::new(File::create(&out)?);
            let bytes = r#gen::write_corpus(&r#gen::Model::new(seed), n, &mut file)?;
            eprintln!(
                "wrote {n} documents ({:.1} MB) to {} in {:.2} s",
                bytes as f64 / 1e6,
                out.display(),
                start.elapsed().as_secs_f64()
            );
        }
        Cmd::Run {
            sizes,
            stages,
            seed,
            peer,
            json,
            samples,
        } => {
            let peer = match peer.as_deref().map(|p| (p, harness::Peer::find(p))) {
                Some((_, Some(p))) => Some(p),
                Some((dir, None)) => anyhow::bail!(
                    "{} holds no peer pipeline (scale.py and .venv/bin/python)",
                    dir.display()
                ),
                None => {
                    eprintln!(
                        "NOTE: no peer given (--peer DIR or RAPPORTEUR_PEER): measuring rapporteur alone"
                    );
                    None
                }
            };
            let mut all = Vec::new();
            for &n in &sizes {
                for &stage in &stages {
                    let m = harness::measure(stage, n, seed, peer.as_ref(), &samples)?;
                    println!("{}", serde_json::to_string(&m)?);
                    all.push(m);
                }
            }
            let rows: Vec<String> = all.iter().map(Measurement::row).collect();
            println!("\n{}\n{}", Measurement::HEADER, rows.join("\n"));
            if let Some(path) = json {
                std::fs::write(&path, serde_json::to_string_pretty(&all)?)?;
            }
        }
        Cmd::Eval { peer, shared, json } => {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .canonicalize()?;
            let peer = match peer {
                Some(dir) => Some(harness::Peer::find(&dir).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{} holds no peer pipeline (scale.py and .venv/bin/python)",
                        dir.display()
                    )
                })?),
                None => None,
            };
            let shared = shared.unwrap_or_else(|| root.join("../shared/corpora/igf"));
            let report = eval::evaluate(&eval::EvalConfig {
                root,
                shared: Some(shared),
                peer,
            })?;
            for s in &report.skipped {
                eprintln!("SKIPPED: {s}");
            }
            print!("{}", report.markdown());
            if let Some(path) = json {
                std::fs::write(&path, serde_json::to_string_pretty(&report)?)?;
            }
        }
        Cmd::Stage {
            stage,
            corpus,
            index,
            samples,
        } => {
            // Only in the measured child: the setting passes to the processes a process
            // starts, and the peer must run as it would on its own.
            rapporteur::disable_huge_pages();
            harness::run_stage(stage, &corpus, &index, &samples)?
        }
    }
    Ok(())
}

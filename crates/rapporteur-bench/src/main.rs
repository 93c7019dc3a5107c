//! `rapporteur-bench`: a synthetic IGF-like corpus generator ([`gen`](crate::r#gen)) and the ingest
//! benchmark ([`harness`]).
//!
//! ```text
//! rapporteur-bench gen --n 10000 --seed 0 --out corpus.jsonl
//! rapporteur-bench ingest --sizes 1000,10000,100000
//! ```

mod r#gen;
mod harness;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};

use harness::Measurement;

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
    /// Measure indexing (open_or_create + add) of generated corpora: time, throughput, peak RSS.
    /// Prints a JSON line per size, then a Markdown table.
    Ingest {
        /// Number of documents.
        #[arg(long, required_unless_present = "sizes", conflicts_with = "sizes")]
        n: Option<usize>,
        /// Several sizes, comma-separated (e.g. 1000,10000,100000).
        #[arg(long, value_delimiter = ',')]
        sizes: Vec<usize>,
        /// Random seed of the corpus.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Keep the index in this (empty or new) folder instead of a temporary one.
        #[arg(long, value_name = "DIR", requires = "n")]
        keep: Option<PathBuf>,
    },
    /// The measured work, run in a child process by `ingest`.
    #[command(hide = true)]
    Stage {
        #[command(subcommand)]
        stage: Stage,
    },
}

#[derive(Subcommand, Debug)]
enum Stage {
    /// Index CORPUS into INDEX and print timing and VmHWM as JSON.
    Ingest { corpus: PathBuf, index: PathBuf },
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
        Cmd::Ingest {
            n,
            sizes,
            seed,
            keep,
        } => {
            let mut rows = Vec::new();
            for n in n.into_iter().chain(sizes) {
                let m = harness::measure(n, seed, keep.as_deref())?;
                println!("{}", serde_json::to_string(&m)?);
                rows.push(m.row());
            }
            println!("\n{}\n{}", Measurement::HEADER, rows.join("\n"));
        }
        Cmd::Stage {
            stage: Stage::Ingest { corpus, index },
        } => harness::stage_ingest(&corpus, &index)?,
    }
    Ok(())
}

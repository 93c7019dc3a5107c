//! Rendering results for people (text) and scripts (JSON).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use rapporteur::index::{AddReport, SearchResults, Stats};
use rapporteur::run::RunReport;
use serde::Serialize;

use crate::Failure;

/// Removes control characters (terminal escape sequences among them) from text shown on a
/// terminal; document text is the user's data and must not drive the terminal.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}

fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Pretty JSON to stdout.
pub fn json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .or_else(ignore_broken_pipe)
        .map_err(|e| crate::io_failure("writing JSON", e))
}

fn ignore_broken_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}

/// Writes pretty JSON to a file atomically (temporary file, then rename).
pub fn write_json_file<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The summary of `rapporteur index`, on stderr.
pub fn index_report(r: &AddReport, index: &Path, quiet: bool) {
    if quiet {
        return;
    }
    let i = &r.ingest;
    eprintln!(
        "indexed {} documents from {} files ({:.1} MB) into {}: {} replaced an earlier version, {} in the index",
        i.documents,
        i.files,
        i.bytes as f64 / 1e6,
        index.display(),
        r.replaced,
        r.total
    );
    ingest_notes(i);
}

fn ingest_notes(i: &rapporteur::ingest::IngestSummary) {
    if !i.skipped.is_empty() {
        eprintln!("skipped {} invalid records:", i.skipped.len());
        for n in i.skipped.iter().take(10) {
            eprintln!("  {}: {}", n.at, one_line(&n.message));
        }
        if i.skipped.len() > 10 {
            eprintln!(
                "  … and {} more (--json lists them all)",
                i.skipped.len() - 10
            );
        }
    }
    if !i.notes.is_empty() {
        eprintln!("{} notes on kept records:", i.notes.len());
        for n in i.notes.iter().take(5) {
            eprintln!("  {}: {}", n.at, one_line(&n.message));
        }
    }
    if !i.ignored_files.is_empty() {
        eprintln!(
            "{} files in the folders were not read (unsupported type), e.g. {}",
            i.ignored_files.len(),
            i.ignored_files[0]
        );
    }
    let r = &i.repairs;
    if !r.is_empty() {
        eprintln!(
            "repaired: {} mis-encoded characters, {} control characters, {} repeated lines",
            r.mojibake, r.controls, r.repeated_lines
        );
    }
}

/// Search results as text.
pub fn search_results(r: &SearchResults, query: &str) {
    let bold = color();
    let mut out = String::new();
    out.push_str(&format!(
        "{} of {} matching documents for {}\n",
        r.hits.len(),
        r.total,
        one_line(query)
    ));
    for (n, h) in r.hits.iter().enumerate() {
        let year = h.year.map(|y| format!(" {y}")).unwrap_or_default();
        out.push_str(&format!(
            "\n{:>3}. {}  [{}{}]  score {:.2}\n",
            n + 1,
            one_line(&h.id),
            h.kind,
            year,
            h.score
        ));
        if !h.title.is_empty() {
            out.push_str(&format!("     {}\n", one_line(&h.title)));
        }
        out.push_str(&format!(
            "     {}\n",
            highlight(&h.snippet, &h.highlights, bold)
        ));
    }
    out.push('\n');
    for (dim, values) in &r.facets {
        if !values.is_empty() {
            out.push_str(&format!("{dim}: {}\n", counts(values)));
        }
    }
    print_stdout(&out);
}

fn highlight(snippet: &str, ranges: &[[usize; 2]], bold: bool) -> String {
    let (open, close) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::new();
    let mut at = 0;
    for &[a, b] in ranges {
        if a < at
            || b > snippet.len()
            || !snippet.is_char_boundary(a)
            || !snippet.is_char_boundary(b)
        {
            continue;
        }
        out.push_str(&one_line(&snippet[at..a]));
        if a > at && snippet[..a].ends_with(char::is_whitespace) {
            out.push(' ');
        }
        out.push_str(open);
        out.push_str(&one_line(&snippet[a..b]));
        out.push_str(close);
        if snippet[b..].starts_with(char::is_whitespace) {
            out.push(' ');
        }
        at = b;
    }
    out.push_str(&one_line(&snippet[at..]));
    out
}

fn counts(values: &BTreeMap<String, u64>) -> String {
    let mut v: Vec<_> = values.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| format!("{} {n}", one_line(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Corpus statistics as text.
pub fn stats(s: &Stats) {
    let mut out = format!("{} documents\n", s.documents);
    for (name, values) in [
        ("kind", &s.by_kind),
        ("year", &s.by_year),
        ("track", &s.by_track),
        ("language", &s.by_language),
        ("stakeholder group", &s.by_stakeholder_group),
        ("region", &s.by_region),
    ] {
        if !values.is_empty() {
            out.push_str(&format!("{name:>18}: {}\n", counts(values)));
        }
    }
    print_stdout(&out);
}

/// The main job's summary.
pub fn run_report(r: &RunReport, questions: Option<&Path>, out: &Path, took: Duration) {
    let mut text = String::new();
    let i = &r.index.ingest;
    text.push_str(&format!(
        "rapporteur: {} documents from {} files indexed in {:.1} s\n\n",
        i.documents,
        i.files,
        took.as_secs_f64()
    ));
    print_stdout(&text);
    ingest_notes(i);
    stats(&r.stats);
    let mut text = String::new();
    match questions {
        Some(p) => {
            text.push_str(&format!(
                "\nProposals that best match each policy question ({}; BM25 over the question and its keywords):\n",
                p.display()
            ));
            for q in &r.questions {
                text.push_str(&format!("\n{}  {}\n", q.question, one_line(&q.text)));
                for h in &q.matches {
                    text.push_str(&format!(
                        "    {:<14} {:>6.2}  {}\n",
                        one_line(&h.id),
                        h.score,
                        one_line(&h.title)
                    ));
                }
                if q.matches.is_empty() {
                    text.push_str("    (no matching proposal)\n");
                }
            }
        }
        None => text.push_str("\nNo policy-questions file found (pass --questions FILE).\n"),
    }
    text.push_str(&format!(
        "\nWrote {} and the index {}\n",
        out.join("results.json").display(),
        out.join("index").display()
    ));
    print_stdout(&text);
}

fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
}

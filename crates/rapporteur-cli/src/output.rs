//! Rendering results for people (text) and scripts (JSON).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use rapporteur::cluster::Clustering;
use rapporteur::eval::cluster::ClusterEval;
use rapporteur::eval::screen::{ScreenEval, SplitScores};
use rapporteur::index::{AddReport, SearchResults, Stats};
use rapporteur::questions::PolicyQuestions;
use rapporteur::run::RunReport;
use rapporteur::screen::{DiversityFlag, PairClass, Screening};
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

/// With `--redact`: the names and e-mail addresses taken out of everything written to stdout
/// and to output files (set once, before anything is written).
static REDACTOR: std::sync::OnceLock<rapporteur::redact::Redactor> = std::sync::OnceLock::new();

/// Turns redaction on for the rest of the process.
pub fn redact_with(r: rapporteur::redact::Redactor) {
    let _ = REDACTOR.set(r);
}

/// `text` as it may be written: redacted when `--redact` is on.
pub fn redacted(text: &str) -> std::borrow::Cow<'_, str> {
    match REDACTOR.get() {
        Some(r) => std::borrow::Cow::Owned(r.redact(text)),
        None => std::borrow::Cow::Borrowed(text),
    }
}

fn redacted_bytes(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match (REDACTOR.get(), std::str::from_utf8(bytes)) {
        (Some(r), Ok(text)) => std::borrow::Cow::Owned(r.redact(text).into_bytes()),
        _ => std::borrow::Cow::Borrowed(bytes),
    }
}

/// Pretty JSON to stdout.
pub fn json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| crate::io_failure("writing JSON", e.into()))?;
    text.push('\n');
    std::io::stdout()
        .lock()
        .write_all(redacted(&text).as_bytes())
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
    std::fs::write(&tmp, redacted(&text).as_bytes())?;
    std::fs::rename(&tmp, path)
}

/// Colour on stdout: only on a terminal, and never when `NO_COLOR` is set.
fn color() -> bool {
    std::io::stdout().is_terminal() && no_color_unset()
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
        eprintln!("skipped {} records:", i.skipped.len());
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
    if !i.truncated.is_empty() {
        let n = i.truncated.len();
        eprintln!(
            "warning: {n} document{} truncated (--max-text-bytes, --max-record-bytes): {}{}",
            if n == 1 { "" } else { "s" },
            i.truncated[..n.min(10)].join(", "),
            if n > 10 { ", …" } else { "" }
        );
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
    if i.filtered_files > 0 {
        eprintln!("{} files left out by --types", i.filtered_files);
    }
    let r = &i.repairs;
    if !r.is_empty() {
        eprintln!(
            "repaired: {} mis-encoded characters, {} control characters, {} repeated lines",
            r.mojibake, r.controls, r.repeated_lines
        );
    }
    coverage(i);
}

/// The field coverage report: how many documents got each structured field, overall and, for
/// a mix of formats, by format.
fn coverage(i: &rapporteur::ingest::IngestSummary) {
    if i.documents == 0 {
        return;
    }
    let line = |c: &rapporteur::ingest::Coverage| {
        let pct = |n: usize| format!("{n} ({:.0}%)", 100.0 * n as f64 / c.documents as f64);
        format!(
            "year {}, kind {}, title {}, track {}, policy questions {}, speakers with stakeholder group {}, session {}, transcript turns {}",
            pct(c.year),
            pct(c.kind),
            pct(c.title),
            pct(c.track),
            pct(c.policy_questions),
            pct(c.speakers_with_group),
            pct(c.session),
            pct(c.turns)
        )
    };
    eprintln!(
        "field coverage of {} documents: {}",
        i.coverage.documents,
        line(&i.coverage)
    );
    if i.coverage_by_format.len() > 1 {
        for (format, c) in &i.coverage_by_format {
            eprintln!("  {format:>5} ({} documents): {}", c.documents, line(c));
        }
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

/// Corpus statistics as text, on stdout.
pub fn stats(s: &Stats) {
    print_stdout(&stats_text(s));
}

/// Corpus statistics as text.
fn stats_text(s: &Stats) -> String {
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
    out
}

/// Writes the main job's files into `out`: report.html, results.json, clusters.csv,
/// clusters.md, the screening files and messages.md. `documents` are the documents of the
/// index (for titles, texts and links in the report).
/// Each is written to a temporary file and renamed, so an interrupted run leaves the
/// previous file whole.
pub fn write_run_files(
    r: &RunReport,
    questions: Option<&PolicyQuestions>,
    documents: &[rapporteur::Document],
    out: &Path,
) -> std::io::Result<()> {
    write_json_file(&out.join("results.json"), r)?;
    let html = crate::report::Report {
        stats: &r.stats,
        year: r.year,
        documents,
        clustering: r.clustering.as_ref(),
        questions,
        screening: r.screening.as_ref(),
        convergence: r.convergence.as_ref(),
        messages: r.messages.as_ref(),
    }
    .render();
    write_atomic(&out.join("report.html"), html.as_bytes())?;
    if let (Some(m), Some(c)) = (&r.messages, &r.convergence) {
        write_atomic(
            &out.join("messages.md"),
            messages_markdown(m, c, r.year).as_bytes(),
        )?;
    }
    if let Some(c) = &r.clustering {
        let mut csv = Vec::new();
        clusters_csv(c, &mut csv)?;
        write_atomic(&out.join("clusters.csv"), &csv)?;
        write_atomic(
            &out.join("clusters.md"),
            clusters_markdown(c, questions).as_bytes(),
        )?;
    }
    if let Some(sc) = &r.screening {
        let mut csv = Vec::new();
        screen_csv(sc, &mut csv)?;
        write_atomic(&out.join("screen.csv"), &csv)?;
        let earlier: Vec<u16> = r
            .stats
            .by_year
            .keys()
            .filter_map(|y| y.parse().ok())
            .filter(|y| r.year.is_some_and(|current| *y < current))
            .collect();
        let md = screen_markdown(sc, questions, r.year, &earlier, 50);
        write_atomic(&out.join("screen.md"), md.as_bytes())?;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, redacted_bytes(bytes))?;
    std::fs::rename(&tmp, path)
}

/// The files of the main job, in the order the summary lists them.
pub const RUN_FILES: [&str; 8] = [
    "report.html",
    "results.json",
    "messages.md",
    "clusters.csv",
    "clusters.md",
    "screen.csv",
    "screen.md",
    "index/",
];

/// The main job's closing summary, on stderr: counts and where the files are.
pub fn run_report(r: &RunReport, questions: Option<&Path>, out: &Path, took: Duration) {
    let i = &r.index.ingest;
    let paint = Paint::stderr();
    eprint!(
        "{}\n\n",
        paint.bold(&format!(
            "rapporteur: {} documents from {} files, analysed in {:.1} s",
            i.documents,
            i.files,
            took.as_secs_f64()
        ))
    );
    ingest_notes(i);
    let mut text = stats_text(&r.stats);
    if let Some(c) = &r.clustering {
        let year = r.year.map(|y| format!(" of {y}")).unwrap_or_default();
        let heading = match questions {
            Some(p) => format!(
                "Proposals{year} against the policy questions of {}:",
                p.display()
            ),
            None => format!(
                "Themes of the proposals{year} (no policy-questions file: pass --questions FILE):"
            ),
        };
        text.push_str(&format!("\n{}\n", paint.bold(&heading)));
        if let Some(f) = &c.focus {
            text.push_str(&format!(
                "{} of {} answer a focused question ({:.0} %), {} in the emergent pool\n",
                f.on_questions,
                f.documents,
                100.0 * f.share_on_questions,
                f.emergent_pool
            ));
        }
        for cl in &c.clusters {
            text.push_str(&format!(
                "  {:<12} {:>4}  {}\n",
                one_line(&cl.id),
                cl.size,
                one_line(
                    &cl.terms
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            ));
        }
    }
    if let Some(sc) = &r.screening {
        let count = |class: PairClass| sc.pairs.iter().filter(|p| p.class == Some(class)).count();
        text.push_str(&format!(
            "\n{} {} overlapping pairs ({} same proposal, {} strong overlap, {} related), {} merge-candidate groups, {} panels flagged for diversity\n",
            paint.bold("Screening:"),
            sc.pairs.len(),
            count(PairClass::SameProposal),
            count(PairClass::StrongOverlap),
            count(PairClass::Related),
            sc.groups.len(),
            sc.diversity.iter().filter(|d| d.flag.is_some()).count(),
        ));
    }
    match (&r.convergence, &r.messages) {
        (Some(c), Some(m)) => {
            let count = |class: rapporteur::converge::Class| {
                c.points.iter().filter(|p| p.class == class).count()
            };
            let drafted: usize = m
                .tracks
                .iter()
                .flat_map(|t| &t.questions)
                .map(|q| q.messages.len())
                .sum();
            text.push_str(&format!(
                "\n{} {} statements from {} takeaways, reports and DC outputs: {} converging, {} diverging, {} emerging points\n{} {} draft messages on {} questions\n",
                paint.bold("Convergence:"),
                c.statements,
                c.documents,
                count(rapporteur::converge::Class::Converging),
                count(rapporteur::converge::Class::Diverging),
                count(rapporteur::converge::Class::Emerging),
                paint.bold("Messages:"),
                drafted,
                m.tracks.iter().map(|t| t.questions.len()).sum::<usize>(),
            ));
        }
        _ if questions.is_none() => text.push_str(
            "\nConvergence and messages: not drafted (they need the policy questions: pass --questions FILE)\n",
        ),
        _ => text.push_str(
            "\nConvergence and messages: not drafted (too few takeaways, reports or DC outputs of the year)\n",
        ),
    }
    text.push_str(&format!(
        "\n{}\n",
        paint.bold(&format!("Wrote {}:", out.display()))
    ));
    for f in RUN_FILES {
        if out.join(f).exists() {
            text.push_str(&format!("  {}\n", out.join(f).display()));
        }
    }
    eprint!("{}", redacted(&text));
}

/// Bold text on a terminal, plain text elsewhere or when `NO_COLOR` is set.
#[derive(Clone, Copy)]
pub struct Paint(bool);

impl Paint {
    /// For text written to stderr.
    pub fn stderr() -> Paint {
        Paint(std::io::stderr().is_terminal() && no_color_unset())
    }

    /// `text` in bold, when painting.
    pub fn bold(self, text: &str) -> String {
        if self.0 {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// `NO_COLOR` unset or empty (<https://no-color.org>: "when present and not an empty string").
fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes text to stdout; a closed pipe (`| head`) is not an error worth reporting.
pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(redacted(text).as_bytes());
}

/// A CSV cell that a spreadsheet will not run as a formula: text starting with `=`, `+`,
/// `-`, `@`, tab or carriage return gets a leading apostrophe (OWASP's advice).
pub fn csv_cell(text: &str) -> String {
    let text = clean(text);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// One row per document: id, title, cluster, policy questions, score.
pub fn clusters_csv(r: &Clustering, out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "title", "cluster", "policy_questions", "score"])?;
    for a in &r.assignments {
        w.write_record([
            csv_cell(&a.id),
            csv_cell(&a.title),
            a.cluster.clone().unwrap_or_default(),
            a.policy_questions.join(" "),
            format!("{:.4}", a.score),
        ])?;
    }
    w.flush().or_else(ignore_broken_pipe)
}

/// Markdown escape for table cells and list items: document text must not become markup.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text of the question with this id (empty when there is none).
pub fn question_text(questions: Option<&PolicyQuestions>, id: &str) -> String {
    questions
        .and_then(|q| q.questions().find(|(_, q)| q.id == id))
        .map(|(_, q)| q.text.clone())
        .unwrap_or_default()
}

/// The clustering as a Markdown report.
pub fn clusters_markdown(r: &Clustering, questions: Option<&PolicyQuestions>) -> String {
    let mut out = String::from("# Clusters\n\n");
    if let Some(f) = &r.focus {
        out.push_str(&format!(
            "**Focus**: {} of {} documents ({:.0} %) answer a focused question; spread over the questions {:.2} (1 = even), about {:.1} questions effectively covered; {} in the emergent pool.",
            f.on_questions,
            f.documents,
            100.0 * f.share_on_questions,
            f.spread,
            f.effective_questions,
            f.emergent_pool
        ));
        if !f.questions_without_documents.is_empty() {
            out.push_str(&format!(
                " No document answers {}.",
                f.questions_without_documents.join(", ")
            ));
        }
        out.push_str("\n\n");
    }
    if let Some(k) = &r.k_choice
        && !k.silhouette.is_empty()
    {
        let tried: Vec<String> = k
            .silhouette
            .iter()
            .map(|(k, s)| format!("{k}: {s:.3}"))
            .collect();
        out.push_str(&format!(
            "Themes: k = {} chosen by silhouette ({}).\n\n",
            k.k,
            tried.join(", ")
        ));
    }
    out.push_str("| cluster | size | key terms | central document |\n|---|---|---|---|\n");
    for c in &r.clusters {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md(&c.id),
            c.size,
            md(&c.terms.join(", ")),
            md(c.central.as_deref().unwrap_or("")),
        ));
    }
    for c in &r.clusters {
        out.push_str(&format!("\n## {}", md(&c.id)));
        if let Some(q) = &c.policy_question {
            out.push_str(&format!(": {}", md(&question_text(questions, q))));
        } else {
            out.push_str(&format!(" ({})", md(&c.label)));
        }
        out.push_str(&format!(
            "\n\n{} documents. Stakeholder groups: {}. Regions: {}.\n\n",
            c.size,
            md(&counts_of(&c.composition.stakeholder_groups)),
            md(&counts_of(&c.composition.regions)),
        ));
        for m in c.members.iter().take(15) {
            let title = r
                .assignments
                .iter()
                .find(|a| a.id == m.id)
                .map_or("", |a| a.title.as_str());
            out.push_str(&format!("- {} ({:.2}) {}\n", md(&m.id), m.score, md(title)));
        }
        if c.members.len() > 15 {
            out.push_str(&format!("- … and {} more\n", c.members.len() - 15));
        }
    }
    if !r.unassigned.is_empty() {
        out.push_str(&format!("\nUnassigned: {}\n", md(&r.unassigned.join(", "))));
    }
    out
}

fn counts_of(values: &BTreeMap<String, usize>) -> String {
    let mut v: Vec<_> = values.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if v.is_empty() {
        return "none recorded".into();
    }
    v.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Clustering scores as text.
pub fn cluster_eval(e: &ClusterEval) {
    let p = &e.partition;
    let mut out = format!(
        "{} documents, {} with a label\nNMI {:.3}  ARI {:.3}  V-measure {:.3} (homogeneity {:.3}, completeness {:.3})\n\n",
        e.documents, e.scored, p.nmi, p.ari, p.v_measure, p.homogeneity, p.completeness
    );
    out.push_str("question        precision  recall   F1     (tp/fp/fn)\n");
    let rows = e
        .per_question
        .iter()
        .map(|(q, pr)| (q.as_str(), pr))
        .chain([
            ("all questions", &e.questions_micro),
            ("emergent", &e.emergent),
        ]);
    for (name, pr) in rows {
        out.push_str(&format!(
            "{:<15} {:>9.3} {:>7.3} {:>6.3}   ({}/{}/{})\n",
            name, pr.precision, pr.recall, pr.f1, pr.tp, pr.fp, pr.r#fn
        ));
    }
    print_stdout(&out);
}

fn class_name(c: Option<PairClass>) -> &'static str {
    match c {
        Some(PairClass::SameProposal) => "same proposal",
        Some(PairClass::StrongOverlap) => "strong overlap",
        Some(PairClass::Related) => "related",
        None => "not flagged",
    }
}

/// One row per flagged pair: both ids and titles, class, the merge group per policy question
/// (`data-2 #1`, when the screening has them), score, the signals, shared people and
/// organisations, and the top evidence passage pair.
pub fn screen_csv(r: &Screening, out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "a",
        "b",
        "a_title",
        "b_title",
        "a_year",
        "b_year",
        "class",
        "merge_group",
        "score",
        "topic",
        "title",
        "policy_questions",
        "description",
        "shared_text",
        "people",
        "shared_people",
        "shared_organisations",
        "evidence_a",
        "evidence_b",
        "evidence_similarity",
    ])?;
    let year = |y: Option<u16>| y.map(|y| y.to_string()).unwrap_or_default();
    let placement = r.by_question.as_ref().map(|by| by.placement());
    for p in &r.pairs {
        let s = &p.signals;
        let top = p.evidence.first();
        w.write_record([
            csv_cell(&p.a),
            csv_cell(&p.b),
            csv_cell(&p.a_title),
            csv_cell(&p.b_title),
            year(p.a_year),
            year(p.b_year),
            p.class.map_or("", PairClass::as_str).to_string(),
            placement
                .iter()
                .flat_map(|at| at.groups_with(&p.a, &p.b))
                .map(|(c, n)| format!("{} #{n}", c.cluster))
                .collect::<Vec<_>>()
                .join("; "),
            format!("{:.4}", p.score),
            format!("{:.4}", s.topic),
            format!("{:.4}", s.title),
            format!("{:.4}", s.policy_questions),
            format!("{:.4}", s.description),
            format!("{:.4}", s.shared_text),
            format!("{:.4}", s.people),
            csv_cell(&p.shared_people.join("; ")),
            csv_cell(&p.shared_organisations.join("; ")),
            top.map(|e| csv_cell(&e.a_text)).unwrap_or_default(),
            top.map(|e| csv_cell(&e.b_text)).unwrap_or_default(),
            top.map(|e| format!("{:.4}", e.similarity))
                .unwrap_or_default(),
        ])?;
    }
    w.flush().or_else(ignore_broken_pipe)
}

/// The merge-candidate groups, per policy question when the screening has them.
fn merge_candidates_markdown(r: &Screening, questions: Option<&PolicyQuestions>) -> String {
    let mut titles: BTreeMap<&str, &str> = BTreeMap::new();
    for p in &r.pairs {
        titles.insert(&p.a, &p.a_title);
        titles.insert(&p.b, &p.b_title);
    }
    let group = |ids: &[String]| {
        let named: Vec<String> = ids
            .iter()
            .map(|id| match titles.get(id.as_str()) {
                Some(t) => format!("{} ({})", md(id), md(t)),
                None => md(id),
            })
            .collect();
        format!("- {}\n", named.join(" + "))
    };
    let mut out = String::from("\n## Merge candidates\n\n");
    if r.groups.is_empty() {
        out.push_str("None: no two proposals of the screened year overlap strongly.\n");
        return out;
    }
    let Some(by) = &r.by_question else {
        for g in &r.groups {
            out.push_str(&group(g));
        }
        return out;
    };
    out.push_str(
        "Proposals placed on the same policy question (or emergent theme) and linked by strong overlaps: \
         each group could become one session.\n",
    );
    for c in &by.clusters {
        let what = match c.is_question {
            true => question_text(questions, &c.cluster),
            false => format!("emergent theme ({})", c.label),
        };
        out.push_str(&format!(
            "\n### {}: {}\n\n{} proposals placed here; {} group{}:\n\n",
            md(&c.cluster),
            md(&what),
            c.proposals,
            c.groups.len(),
            if c.groups.len() == 1 { "" } else { "s" }
        ));
        for g in &c.groups {
            out.push_str(&group(g));
        }
    }
    if !by.across.is_empty() {
        out.push_str(&format!(
            "\n### Across questions\n\n{} strong link{} join proposals placed on different questions (is one filed under the wrong question?):\n\n",
            by.across.len(),
            if by.across.len() == 1 { "" } else { "s" }
        ));
        for link in &by.across {
            out.push_str(&group(link));
        }
    }
    out
}

/// The screening as a Markdown report: summary, pairs table, evidence of the top `limit`
/// pairs, merge candidates and panel diversity.
pub fn screen_markdown(
    r: &Screening,
    questions: Option<&PolicyQuestions>,
    year: Option<u16>,
    against: &[u16],
    limit: usize,
) -> String {
    let t = r.params.thresholds();
    let mut out = String::from("# Screening");
    if let Some(y) = year {
        out.push_str(&format!(" of {y}"));
    }
    if !against.is_empty() {
        let years: Vec<String> = against.iter().map(u16::to_string).collect();
        out.push_str(&format!(" against {}", years.join(", ")));
    }
    let count = |c: PairClass| r.flagged.get(&c).copied().unwrap_or(0);
    out.push_str(&format!(
        "\n\n{} documents screened{}; {} candidate pairs scored ({} from MinHash LSH, {} from LSA neighbours). \
         **{} pairs flagged**: {} same proposal, {} strong overlap, {} related.\n\n\
         Thresholds (calibrated on the archive-year labels): flagged from score {:.3}; strong overlap from {:.3}; \
         same proposal when {:.0} % or more of the text is reused near-verbatim.\n\n",
        r.documents,
        if r.earlier_documents > 0 {
            format!(" against {} earlier ones", r.earlier_documents)
        } else {
            String::new()
        },
        r.candidates.total,
        r.candidates.minhash,
        r.candidates.neighbours,
        r.pairs.len(),
        count(PairClass::SameProposal),
        count(PairClass::StrongOverlap),
        count(PairClass::Related),
        t.related,
        t.strong_overlap,
        100.0 * t.same_proposal_shared_text,
    ));
    if !r.pairs.is_empty() {
        out.push_str(
            "| # | a | b | class | score | topic | title | shared text | shared people |\n",
        );
        out.push_str("|---|---|---|---|---|---|---|---|---|\n");
        for (n, p) in r.pairs.iter().enumerate() {
            out.push_str(&format!(
                "| {} | {} {} | {} {} | {} | {:.2} | {:.2} | {:.2} | {:.0} % | {} |\n",
                n + 1,
                md(&p.a),
                md(&p.a_title),
                md(&p.b),
                md(&p.b_title),
                class_name(p.class),
                p.score,
                p.signals.topic,
                p.signals.title,
                100.0 * p.signals.shared_text,
                md(&p.shared_people.join(", ")),
            ));
        }
    }
    for (n, p) in r.pairs.iter().enumerate().take(limit) {
        let s = &p.signals;
        out.push_str(&format!(
            "\n## {}. {} and {}: {} ({:.2})\n\n",
            n + 1,
            md(&p.a),
            md(&p.b),
            class_name(p.class),
            p.score
        ));
        for (id, title, y) in [(&p.a, &p.a_title, p.a_year), (&p.b, &p.b_title, p.b_year)] {
            let y = y.map(|y| format!(" ({y})")).unwrap_or_default();
            out.push_str(&format!("- {}{}: {}\n", md(id), y, md(title)));
        }
        out.push_str(&format!(
            "- Signals: topic {:.2}, description {:.2}, policy questions {:.2}, title {:.2}, text reused {:.0} %, people {:.2}, organisations {:.2}{}\n",
            s.topic,
            s.description,
            s.policy_questions,
            s.title,
            100.0 * s.shared_text,
            s.people,
            s.organisations,
            if s.same_question { "; a policy question stated word for word in both" } else { "" }
        ));
        if !p.shared_people.is_empty() || !p.shared_organisations.is_empty() {
            out.push_str(&format!(
                "- Shared people: {}; organisations: {}\n",
                md(&or_none(&p.shared_people)),
                md(&or_none(&p.shared_organisations))
            ));
        }
        if p.evidence.is_empty() {
            out.push_str("- Evidence: no passage pair aligns closely; the similarity is spread over the texts.\n");
        } else {
            out.push_str("- Evidence (aligned passages, cosine):\n");
        }
        for e in &p.evidence {
            out.push_str(&format!(
                "    - {:.2}: “{}” / “{}”\n",
                e.similarity,
                md(&e.a_text),
                md(&e.b_text),
            ));
        }
    }
    if r.pairs.len() > limit {
        out.push_str(&format!(
            "\n… and {} more pairs (all in --json and --csv).\n",
            r.pairs.len() - limit
        ));
    }
    out.push_str(&merge_candidates_markdown(r, questions));
    out.push_str("\n## Panel diversity\n\n");
    let flagged: Vec<_> = r.diversity.iter().filter(|d| d.flag.is_some()).collect();
    out.push_str(&format!(
        "{} of {} proposals have a panel from one stakeholder group or one region (or record neither).\n",
        flagged.len(),
        r.diversity.len()
    ));
    if !flagged.is_empty() {
        out.push_str("\n| proposal | stakeholder groups | regions | flag |\n|---|---|---|---|\n");
        for d in flagged {
            let groups: Vec<&str> = d.stakeholder_groups.iter().map(|g| g.as_str()).collect();
            let regions: Vec<&str> = d.regions.iter().map(|r| r.as_str()).collect();
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md(&d.id),
                md(&or_none_str(&groups)),
                md(&or_none_str(&regions)),
                match d.flag {
                    Some(DiversityFlag::SingleStakeholderGroup) => "single stakeholder group",
                    Some(DiversityFlag::SingleRegion) => "single region",
                    Some(DiversityFlag::SingleStakeholderGroupAndRegion) =>
                        "single stakeholder group and region",
                    Some(DiversityFlag::NotRecorded) => "not recorded",
                    None => "",
                }
            ));
        }
    }
    out
}

fn or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn or_none_str(v: &[&str]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// Screening scores as text.
pub fn screen_eval(e: &ScreenEval) -> String {
    let mut out = format!("{} documents screened; {}.\n\n", e.documents, e.split_rule);
    out.push_str(
        "split        pairs (+/-)  precision  recall     F1  ROC-AUC  class acc  candidates  hard negatives flagged\n",
    );
    let row = |name: &str, s: &SplitScores| {
        let auc = if s.roc_auc.is_nan() {
            "-".to_string()
        } else {
            format!("{:.3}", s.roc_auc)
        };
        format!(
            "{:<12} {:>5}/{:<5} {:>10.3} {:>7.3} {:>6.3} {:>8} {:>10.3} {:>11.3} {:>23}\n",
            name,
            s.positives,
            s.negatives,
            s.flags.precision,
            s.flags.recall,
            s.flags.f1,
            auc,
            s.class_accuracy,
            s.candidate_recall,
            s.hard_negatives_flagged
        )
    };
    out.push_str(&row("calibration", &e.calibration));
    out.push_str(&row("test", &e.test));
    out.push_str(&row("all", &e.all));
    let c = &e.calibrated;
    let w = |w: &rapporteur::screen::Weights| {
        format!(
            "topic {:.1}, policy questions {:.1}, title {:.1}, shared text {:.1}, people lift {:.1}",
            w.topic, w.policy_questions, w.title, w.shared_text, w.people
        )
    };
    let t = |t: &rapporteur::screen::Thresholds| {
        format!(
            "flagged from {:.3}, strong overlap from {:.3}, same proposal from {:.1} % shared text",
            t.related,
            t.strong_overlap,
            100.0 * t.same_proposal_shared_text
        )
    };
    out.push_str(&format!(
        "\nCalibration on the {} calibration pairs chooses weights {} (separation {:.2}) and thresholds: {}.\n",
        c.pairs,
        w(&c.weights),
        c.separation,
        t(&c.thresholds)
    ));
    let same = c.weights == e.weights
        && (c.thresholds.related - e.thresholds.related).abs() < 0.002
        && (c.thresholds.strong_overlap - e.thresholds.strong_overlap).abs() < 0.002
        && (c.thresholds.same_proposal_shared_text - e.thresholds.same_proposal_shared_text).abs()
            < 0.002;
    if same {
        out.push_str("These are the values in use.\n");
    } else {
        out.push_str(&format!(
            "In use (differs): weights {}; thresholds: {}.\n",
            w(&e.weights),
            t(&e.thresholds)
        ));
    }
    out.push_str("\nlabelled class → class given (all splits)\n");
    for (label, given) in &e.confusion {
        let cells: Vec<String> = given.iter().map(|(g, n)| format!("{g} {n}")).collect();
        out.push_str(&format!("  {label:<15} {}\n", cells.join(", ")));
    }
    let missed: Vec<String> = e
        .pairs
        .iter()
        .filter(|p| p.class.is_some() && p.predicted.is_none())
        .map(|p| format!("{}/{} ({}, {:.3})", p.a, p.b, p.kind, p.score))
        .collect();
    if !missed.is_empty() {
        out.push_str(&format!(
            "\nNot flagged: {}\n",
            one_line(&missed.join(", "))
        ));
    }
    let wrong: Vec<String> = e
        .pairs
        .iter()
        .filter(|p| p.class.is_none() && p.predicted.is_some())
        .map(|p| format!("{}/{} ({}, {:.3})", p.a, p.b, p.kind, p.score))
        .collect();
    if !wrong.is_empty() {
        out.push_str(&format!(
            "\nHard negatives flagged: {}\n",
            one_line(&wrong.join(", "))
        ));
    }
    out.push_str(&format!(
        "\nOpen world: screening all documents flags {} pairs, {} of which no label mentions (not judged).\n",
        e.flagged_pairs, e.flagged_unlabelled
    ));
    out
}

// ---- Reporting: convergence, messages, booklet, guideline checks and their evaluations.

fn list_or_none<T: std::fmt::Display>(items: &[T]) -> String {
    if items.is_empty() {
        "none recorded".into()
    } else {
        items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn support_line(s: &rapporteur::converge::Support) -> String {
    let mut out = format!(
        "{} session{} ({}); stakeholder groups: {}; regions: {}",
        s.sessions.len(),
        if s.sessions.len() == 1 { "" } else { "s" },
        md(&s.sessions.join(", ")),
        md(&list_or_none(&s.stakeholder_groups)),
        md(&list_or_none(&s.regions)),
    );
    if !s.outputs.is_empty() {
        out.push_str(&format!("; DC outputs: {}", md(&s.outputs.join(", "))));
    }
    out
}

/// Emerging points listed per question in the Markdown report (JSON lists them all).
const EMERGING_SHOWN: usize = 8;

/// Convergence and divergence as a Markdown report.
pub fn convergence_markdown(
    c: &rapporteur::converge::Convergence,
    questions: &PolicyQuestions,
) -> String {
    use rapporteur::converge::Class;
    let mut out = String::from("# Convergence and divergence\n\n");
    out.push_str(&format!(
        "{} statements from {} takeaways, reports and DC outputs; {} placed on no focused question. \
         A point **converges** with support from at least {} sessions and {} stakeholder groups, \
         **diverges** when positions oppose each other (inside one session or across sessions), \
         and is **emerging** otherwise.\n",
        c.statements,
        c.documents,
        c.unplaced,
        c.params.min_sessions_needed(),
        c.params.min_groups_needed(),
    ));
    for track in &questions.tracks {
        out.push_str(&format!("\n## {}\n", md(&track.name)));
        for q in &track.questions {
            let count = c.questions.iter().find(|n| n.id == q.id);
            let of = |class: &str| {
                count
                    .and_then(|n| n.points.get(class))
                    .copied()
                    .unwrap_or(0)
            };
            out.push_str(&format!(
                "\n### {}: {}\n\n{} statements: {} converging, {} diverging, {} emerging points.\n",
                md(&q.id),
                md(&q.text),
                count.map_or(0, |n| n.statements),
                of("converging"),
                of("diverging"),
                of("emerging"),
            ));
            let points: Vec<_> = c
                .points
                .iter()
                .filter(|p| p.policy_question == q.id)
                .collect();
            for (class, title) in [
                (Class::Converging, "Converging"),
                (Class::Diverging, "Diverging"),
                (Class::Emerging, "Emerging"),
            ] {
                let mine: Vec<_> = points.iter().filter(|p| p.class == class).collect();
                if mine.is_empty() {
                    continue;
                }
                out.push_str(&format!("\n#### {title}\n\n"));
                let shown = if class == Class::Emerging {
                    EMERGING_SHOWN
                } else {
                    mine.len()
                };
                for p in mine.iter().take(shown) {
                    let how = match p.divergence {
                        Some(d) if d.within_session && !d.across_sessions => {
                            " (inside one session)"
                        }
                        Some(d) if d.across_sessions => " (across sessions)",
                        _ => "",
                    };
                    out.push_str(&format!(
                        "- **{}**{}: {}\n  - Support: {}.\n",
                        md(&p.id),
                        how,
                        md(&p.summary),
                        support_line(&p.support)
                    ));
                    for (k, side) in p.sides.iter().enumerate() {
                        out.push_str(&format!(
                            "  - Side {}: {} ({})\n",
                            k + 1,
                            md(&side.position),
                            md(&side.sessions.join(", "))
                        ));
                    }
                    if class != Class::Emerging {
                        for s in &p.statements {
                            out.push_str(&format!("  - {}: {}\n", md(&s.id), md(&s.text)));
                        }
                    }
                }
                if mine.len() > shown {
                    out.push_str(&format!(
                        "- … and {} more (`--json` lists them all)\n",
                        mine.len() - shown
                    ));
                }
            }
        }
    }
    out
}

fn class_label(c: rapporteur::converge::Class) -> &'static str {
    match c {
        rapporteur::converge::Class::Converging => "Converging",
        rapporteur::converge::Class::Diverging => "Diverging",
        rapporteur::converge::Class::Emerging => "Emerging",
    }
}

/// A footnote's text: the statement (`doc#line` or `doc#line.sentence`) and the sentence
/// as written.
fn footnote(e: &rapporteur::draft::Extract) -> String {
    format!("{} “{}”", e.statement, md(&e.quote))
}

/// The editable Markdown draft of the thematic messages, sources as footnotes.
pub fn messages_markdown(
    m: &rapporteur::draft::Messages,
    c: &rapporteur::converge::Convergence,
    year: Option<u16>,
) -> String {
    let of_year = year.map(|y| format!(" {y}")).unwrap_or_default();
    let mut out = format!("# Thematic messages{of_year} (draft)\n\n");
    out.push_str(&format!(
        "_Drafted by rapporteur from {} statements of {} takeaways, reports and DC outputs. Every \
         sentence is taken from a source; the footnotes give its line and the sentence as written. \
         Edit freely, then run `rapporteur messages --check FILE`._\n",
        c.statements, c.documents
    ));
    let mut notes: Vec<String> = Vec::new();
    for t in &m.tracks {
        out.push_str(&format!("\n## {}\n", md(&t.name)));
        for q in &t.questions {
            out.push_str(&format!("\n### {}: {}\n\n", md(&q.id), md(&q.text)));
            if q.messages.is_empty() {
                out.push_str("_No statement answers this question._\n");
            }
            for msg in &q.messages {
                let mut marks = String::new();
                let quoted: Vec<&str> = msg.extracts.iter().map(|e| e.doc.as_str()).collect();
                for (k, e) in msg.extracts.iter().enumerate() {
                    let mut note = footnote(e);
                    let others: Vec<&str> = msg
                        .sources
                        .iter()
                        .map(String::as_str)
                        .filter(|s| !quoted.contains(s))
                        .collect();
                    if k + 1 == msg.extracts.len() && !others.is_empty() {
                        note.push_str(&format!(" Also supported by: {}.", md(&others.join(", "))));
                    }
                    notes.push(note);
                    marks.push_str(&format!("[^{}]", notes.len()));
                }
                out.push_str(&format!(
                    "- **{}.** {}{}\n",
                    class_label(msg.class),
                    md(&msg.text),
                    marks
                ));
                if !msg.actionable_by.is_empty() {
                    out.push_str(&format!(
                        "  _Actionable by: {}._\n",
                        md(&msg.actionable_by.join(", "))
                    ));
                }
            }
        }
    }
    out.push('\n');
    for (n, note) in notes.iter().enumerate() {
        out.push_str(&format!("[^{}]: {}\n", n + 1, note));
    }
    out
}

/// The booklet of DC outputs as Markdown.
pub fn booklet_markdown(b: &rapporteur::draft::Booklet, year: Option<u16>) -> String {
    let of_year = year.map(|y| format!(" {y}")).unwrap_or_default();
    let mut out = format!("# Dynamic Coalition outputs{of_year}: booklet (draft)\n\n");
    out.push_str(&format!(
        "_Each output in at most {} words, in its own words; the footnotes give the sentences as \
         written. Check with `rapporteur messages --booklet --check FILE`._\n",
        b.params.booklet_limit()
    ));
    let mut notes: Vec<String> = Vec::new();
    for t in &b.tracks {
        out.push_str(&format!("\n## {}\n", md(&t.name)));
        for e in &t.outputs {
            out.push_str(&format!("\n### {}\n\n", md(&e.title)));
            let mut marks = String::new();
            for x in &e.extracts {
                notes.push(footnote(x));
                marks.push_str(&format!("[^{}]", notes.len()));
            }
            out.push_str(&format!("{}{}\n", md(&e.summary), marks));
            if !e.actionable_by.is_empty() {
                out.push_str(&format!(
                    "\n_Actionable by: {}._\n",
                    md(&e.actionable_by.join(", "))
                ));
            }
        }
    }
    out.push('\n');
    for (n, note) in notes.iter().enumerate() {
        out.push_str(&format!("[^{}]: {}\n", n + 1, note));
    }
    out
}

/// The result of `messages --check` as text.
pub fn check_report(file: &Path, messages: usize, v: &[rapporteur::draft::Violation]) -> String {
    let mut out = String::new();
    for x in v {
        out.push_str(&format!(
            "{}:{}: {}: {} ({})\n",
            file.display(),
            x.line.unwrap_or(0),
            x.rule.as_str(),
            one_line(&x.message),
            one_line(&x.at)
        ));
    }
    out.push_str(&format!(
        "{} messages checked, {} violations\n",
        messages,
        v.len()
    ));
    out
}

fn pr_row(name: &str, pr: &rapporteur::eval::metrics::PrecisionRecall) -> String {
    format!(
        "{:<26} {:>9.3} {:>7.3} {:>6.3}   ({}/{}/{})\n",
        name, pr.precision, pr.recall, pr.f1, pr.tp, pr.fp, pr.r#fn
    )
}

/// Convergence scores as text.
pub fn converge_eval(
    e: &rapporteur::eval::converge::ConvergeEval,
    placement: &[(
        rapporteur::converge::AssignBy,
        rapporteur::eval::converge::Placement,
        f64,
        f64,
    )],
    grid: &[rapporteur::eval::converge::GridRow],
) -> String {
    let mut out = format!(
        "Thresholds calibrated on the `{}` track; the other tracks are held out.\n",
        e.calibrated_on
    );
    let mut blocks: Vec<(String, &rapporteur::eval::converge::DetectionScores)> = e
        .tracks
        .iter()
        .map(|(t, s)| {
            let role = if *t == e.calibrated_on {
                " (calibration)"
            } else {
                ""
            };
            (format!("{t}{role}"), s)
        })
        .collect();
    blocks.push(("held-out tracks".into(), &e.held_out));
    blocks.push(("all tracks".into(), &e.all));
    for (name, s) in blocks {
        out.push_str(&format!(
            "\n{name}: predicted {}\n{:<26} precision  recall     F1   (tp/fp/fn)\n",
            counts_of(&s.predicted),
            ""
        ));
        out.push_str(&pr_row("convergence", &s.convergence));
        out.push_str(&pr_row("divergence", &s.divergence));
        out.push_str(&pr_row("  inside one session", &s.within_session));
        out.push_str(&pr_row("  across sessions", &s.across_sessions));
        out.push_str(&format!(
            "{:<26} {:>9.3}   ({} of {} labelled lines; {} kept as statements)\n",
            "placement on questions",
            s.placement.accuracy,
            s.placement.correct,
            s.placement.lines,
            s.placement.found
        ));
    }
    out.push_str("\nPlacement of the labelled statements by method (all tracks):\nmethod      accuracy  convergence F1  divergence F1\n");
    for (by, p, cf, df) in placement {
        let name = serde_json::to_value(by)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<11} {:>8.3} {:>15.3} {:>14.3}\n",
            name, p.accuracy, cf, df
        ));
    }
    if !grid.is_empty() {
        out.push_str(&format!(
            "\nCalibration on `{}` ({} settings), best first (by the summed F1 averaged with the neighbouring thresholds):\nalpha  direct  threshold  divergence  convergence F1  divergence F1  smoothed\n",
            e.calibrated_on,
            grid.len()
        ));
        for r in grid.iter().take(10) {
            out.push_str(&format!(
                "{:>5.2} {:>7.2} {:>10.2} {:>11.2} {:>15.3} {:>14.3} {:>9.3}\n",
                r.alpha,
                r.direct,
                r.threshold,
                r.divergence_threshold,
                r.convergence_f1,
                r.divergence_f1,
                r.smoothed
            ));
        }
    }
    out
}

fn rouge_cells(r: &rapporteur::eval::rouge::Rouge) -> String {
    format!(
        "{:>6.3} {:>6.3} {:>6.3}",
        r.rouge_1.f1, r.rouge_2.f1, r.rouge_l.f1
    )
}

/// Message scores as text.
pub fn messages_eval(e: &rapporteur::eval::messages::MessagesEval, real: &Path) -> String {
    let mut out = String::from(
        "ROUGE F1 of the drafted messages against the reference messages; the baselines pick \
         source sentences up to the same number of words.\n\n\
         question   words  ref  |  system R1    R2    RL  |   lead R1    R2    RL  | lexrank R1    R2    RL\n",
    );
    for q in &e.questions {
        out.push_str(&format!(
            "{:<10} {:>5} {:>4}  | {}  | {}  | {}\n",
            q.question,
            q.words,
            q.reference_words,
            rouge_cells(&q.system),
            rouge_cells(&q.lead),
            rouge_cells(&q.lexrank)
        ));
    }
    let mean = |k: &str| e.mean.get(k).map(rouge_cells).unwrap_or_default();
    out.push_str(&format!(
        "{:<10} {:>5} {:>4}  | {}  | {}  | {}\n",
        "mean",
        "",
        "",
        mean("system"),
        mean("lead"),
        mean("lexrank")
    ));
    let c = &e.compliance;
    out.push_str(&format!(
        "\nGuideline compliance: {} of {} messages ({:.0} %) break no guideline.\n",
        c.compliant,
        c.messages,
        100.0 * c.share
    ));
    for v in &c.violations {
        out.push_str(&format!(
            "  {}: {}: {}\n",
            one_line(&v.at),
            v.rule.as_str(),
            one_line(&v.message)
        ));
    }
    match &e.real_text {
        None => out.push_str(&format!(
            "\nReal text: SKIPPED ({} has no IGF texts).\n",
            real.display()
        )),
        Some(r) => {
            let s = &r.scores;
            out.push_str(&format!(
                "\nReal text ({}): {} 2019 Data Governance session reports, {} statements, against the opening of the 2019 Data Governance messages ({} bullets, {} words).\n\
                 system R1 R2 RL {}  | lead {}  | lexrank {}   ({} words each)\n\
                 Compliance: {} of {} messages.\n",
                real.display(),
                r.documents,
                r.statements,
                r.reference_messages,
                s.reference_words,
                rouge_cells(&s.system),
                rouge_cells(&s.lead),
                rouge_cells(&s.lexrank),
                s.words,
                r.compliance.compliant,
                r.compliance.messages,
            ));
            for m in &r.messages {
                out.push_str(&format!("  - {}\n", one_line(m)));
            }
        }
    }
    out
}

//! Criterion micro-benchmarks of the hot paths, on 1,000 generated proposals (the corpus of
//! `rapporteur-bench gen --n 1000`, read through ingest as a user's file would be) and, for
//! the convergence stage, on the bundled sample corpus:
//!
//! tokenise/analyse, index, TF-IDF + LSA, the randomised SVD alone, k-means, MinHash
//! signatures, pair scoring with evidence, statement grouping.
//!
//!     cargo bench -p rapporteur-bench --bench hot_paths [-- FILTER]
//!
//! Whole-stage times, memory and the comparison with the Python peer are the harness's job
//! (`rapporteur-bench run`, see `benches/RESULTS.md`); these isolate one function each so a
//! change to it shows up here first.

use std::hint::black_box;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rapporteur::Document;
use rapporteur::analysis::Analyzer;
use rapporteur::cluster::ClusterParams;
use rapporteur::converge::ConvergeParams;
use rapporteur::index::Index;
use rapporteur::ingest::{IngestOptions, load};
use rapporteur::questions::PolicyQuestions;
use rapporteur::screen::{ScreenParams, minhash};
use rapporteur::vectors::VectorParams;
use rapporteur_bench::r#gen::{Model, TOPICS, write_corpus};

const N: usize = 1_000;

/// The generated corpus file and its documents, made once per run.
fn corpus() -> &'static (tempfile::TempDir, PathBuf, Vec<Document>) {
    static CORPUS: OnceLock<(tempfile::TempDir, PathBuf, Vec<Document>)> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("corpus.jsonl");
        let mut out = BufWriter::new(std::fs::File::create(&path).expect("corpus file"));
        write_corpus(&Model::new(0), N, &mut out).expect("corpus written");
        drop(out);
        let (docs, _) = load(std::slice::from_ref(&path), &IngestOptions::default())
            .expect("generated corpus loads");
        (dir, path, docs)
    })
}

fn docs() -> &'static [Document] {
    &corpus().2
}

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn analyse(c: &mut Criterion) {
    let text = &docs()[0].text;
    let analyzer = Analyzer::for_code(Some("en"));
    let mut g = c.benchmark_group("analyse");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("one proposal", |b| {
        b.iter(|| {
            let mut terms = 0usize;
            analyzer.for_each_term(black_box(text), |_, _, _, _| terms += 1);
            terms
        })
    });
    g.finish();
}

fn index(c: &mut Criterion) {
    let path = &corpus().1;
    let mut g = c.benchmark_group("index");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("1k proposals into a fresh index", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("index folder"),
            |dir| {
                let index = Index::open_or_create(dir.path()).expect("index opens");
                let report = index
                    .add(
                        std::slice::from_ref(path),
                        &IngestOptions::default(),
                        &mut |_| {},
                    )
                    .expect("corpus indexes");
                assert_eq!(report.total as usize, N);
                dir
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn vectors(c: &mut Criterion) {
    let params = VectorParams::new()
        .check()
        .expect("default vector parameters");
    let fitted = params.fit(docs()).expect("vectors");
    let mut g = c.benchmark_group("vectors");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("TF-IDF + LSA(100), 1k proposals", |b| {
        b.iter(|| params.fit(black_box(docs())).expect("vectors"))
    });
    let clusters = ClusterParams::new().k(Some(TOPICS)).check().expect("k");
    g.bench_function("k-means k=20 with labels, 1k proposals", |b| {
        b.iter(|| clusters.unguided(docs(), &fitted).expect("clusters"))
    });
    g.finish();
}

fn screening(c: &mut Criterion) {
    let text = &docs()[0].text;
    let hasher = minhash::MinHasher::new(126, 42);
    let shingles = minhash::shingles(text, 3);
    let mut g = c.benchmark_group("screen");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("word 3-shingles of one proposal", |b| {
        b.iter(|| minhash::shingles(black_box(text), 3))
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("MinHash signature, 126 hashes", |b| {
        b.iter(|| hasher.signature(black_box(&shingles)))
    });
    let params = ScreenParams::new()
        .check()
        .expect("default screen parameters");
    let screener = params.fit(docs(), &[]).expect("screener");
    // A planted near-duplicate and its original (flagged, with evidence), and a pair of
    // unrelated proposals (scored, little evidence).
    let dup = docs()
        .iter()
        .position(|d| d.extra.get("dup_of").is_some_and(|v| v.is_string()))
        .expect("a planted duplicate");
    let original = docs()[dup].extra["dup_of"].as_str().expect("an id");
    let original = screener.index_of(original).expect("the original");
    let topic = |i: usize| docs()[i].extra["topic"].as_i64();
    let other = (0..N)
        .find(|&i| topic(i) != topic(dup))
        .expect("another topic");
    g.bench_function("pair scoring with evidence, near-duplicate", |b| {
        b.iter(|| screener.pair(black_box(dup), black_box(original)))
    });
    g.bench_function("pair scoring with evidence, unrelated", |b| {
        b.iter(|| screener.pair(black_box(dup), black_box(other)))
    });
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function("whole screening, 1k proposals", |b| {
        b.iter(|| params.fit(docs(), &[]).expect("screener").screen())
    });
    g.finish();
}

fn converge(c: &mut Criterion) {
    let (docs, _) = load(&[repo().join("corpora/sample")], &IngestOptions::default())
        .expect("sample corpus loads");
    let questions = PolicyQuestions::load(&repo().join("corpora/sample/questions-2026.toml"))
        .expect("sample questions");
    let params = ConvergeParams::new()
        .year(Some(2026))
        .check()
        .expect("converge parameters");
    let prepared = params.prepare(&docs, &questions).expect("statements");
    let statements = prepared.statements().len();
    let mut g = c.benchmark_group("converge");
    g.sample_size(10);
    g.bench_function("statements: split, embed, assign (sample 2026)", |b| {
        b.iter(|| {
            params
                .prepare(black_box(&docs), &questions)
                .expect("statements")
        })
    });
    g.throughput(Throughput::Elements(statements as u64));
    g.bench_function("statement grouping (sample 2026)", |b| {
        b.iter_batched(
            || params.prepare(&docs, &questions).expect("statements"),
            |prepared| params.group(prepared),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, analyse, index, vectors, screening, converge);
criterion_main!(benches);

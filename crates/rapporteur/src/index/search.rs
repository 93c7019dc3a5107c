//! BM25 search with snippets and facet counts, and corpus statistics.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::{Fields, Index, IndexError, engine};
use crate::analysis::Lang;
use crate::model::{Document, Kind};

/// The facet dimensions, in output order, with their JSON names.
const DIMENSIONS: [&str; 6] = [
    "kind",
    "year",
    "track",
    "language",
    "stakeholder_group",
    "region",
];

/// The facet paths of a document: `/kind/proposal`, `/year/2019`, `/track/…`,
/// `/language/en`, one `/stakeholder_group/…` and `/region/…` per distinct group.
pub(super) fn facets_of(doc: &Document) -> Vec<Facet> {
    let mut out = vec![Facet::from_path(["kind", doc.kind.as_str()])];
    if let Some(y) = doc.year {
        out.push(Facet::from_path(["year", &y.to_string()]));
    }
    if let Some(t) = &doc.track {
        out.push(Facet::from_path(["track", t.as_str()]));
    }
    if let Some(l) = &doc.language {
        out.push(Facet::from_path(["language", l.as_str()]));
    }
    for g in doc.stakeholder_groups() {
        out.push(Facet::from_path(["stakeholder_group", g.as_str()]));
    }
    for r in doc.regions() {
        out.push(Facet::from_path(["region", r.as_str()]));
    }
    out
}

/// A search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Query in tantivy's query language (words, `"phrases"`, `+must`, `-not`, `OR`), or plain
    /// text when `plain` is set.
    pub query: String,
    /// Treat the query as plain text: no syntax, every analysed word may match (for pasting a
    /// policy question or a paragraph).
    pub plain: bool,
    /// Only documents of this kind.
    pub kind: Option<Kind>,
    /// Only documents of this year.
    pub year: Option<u16>,
    /// Only documents of this track (exact name).
    pub track: Option<String>,
    /// Number of hits to return.
    pub limit: usize,
}

/// One search hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// BM25 score.
    pub score: f32,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: Kind,
    /// Year.
    pub year: Option<u16>,
    /// The best-matching passage of the text.
    pub snippet: String,
    /// Byte ranges of `snippet` that match the query.
    pub highlights: Vec<[usize; 2]>,
}

/// Search results: the total number of matches, the top hits and facet counts over all
/// matches.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: usize,
    /// Top hits, by score (ties by id).
    pub hits: Vec<Hit>,
    /// Facet counts over all matching documents: dimension → value → count.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
}

/// Counts over the whole index.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Number of documents.
    pub documents: u64,
    /// Documents per kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Documents per year.
    pub by_year: BTreeMap<String, u64>,
    /// Documents per track.
    pub by_track: BTreeMap<String, u64>,
    /// Documents per language.
    pub by_language: BTreeMap<String, u64>,
    /// Documents with at least one organiser or speaker of each stakeholder group.
    pub by_stakeholder_group: BTreeMap<String, u64>,
    /// Documents with at least one organiser or speaker of each regional group.
    pub by_region: BTreeMap<String, u64>,
}

fn facet_collector() -> FacetCollector {
    let mut fc = FacetCollector::for_field("facets");
    for dim in DIMENSIONS {
        fc.add_facet(Facet::from_path([dim]));
    }
    fc
}

fn facet_counts(
    counts: &tantivy::collector::FacetCounts,
) -> BTreeMap<String, BTreeMap<String, u64>> {
    DIMENSIONS
        .iter()
        .map(|dim| {
            let values = counts
                .get(Facet::from_path([*dim]))
                .filter_map(|(facet, n)| {
                    let path = facet.to_path();
                    Some((path.last()?.to_string(), n))
                })
                .collect();
            (dim.to_string(), values)
        })
        .collect()
}

pub(super) fn stored_document(
    index: &Index,
    searcher: &Searcher,
    addr: DocAddress,
) -> Result<Document, IndexError> {
    let corrupt = |message: String| IndexError::Corrupt {
        path: index.path.clone(),
        message,
    };
    let doc: TantivyDocument = searcher.doc(addr).map_err(|e| engine(&index.path, e))?;
    let json = doc
        .get_first(index.fields.doc)
        .and_then(|v| v.as_str())
        .ok_or_else(|| corrupt("no stored JSON".into()))?;
    let mut document: Document = serde_json::from_str(json).map_err(|e| corrupt(e.to_string()))?;
    document.share_section_texts();
    Ok(document)
}

impl Index {
    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, IndexError> {
        if req.query.trim().is_empty() {
            return Err(IndexError::Query {
                query: req.query.clone(),
                message: "the query is empty".into(),
            });
        }
        let searcher = self.reader()?.searcher();
        let f = &self.fields;
        let text_fields: Vec<_> = f.title.iter().chain(&f.body).copied().collect();
        let mut parser = QueryParser::for_index(&self.inner, text_fields);
        for &t in &f.title {
            parser.set_field_boost(t, 2.0);
        }
        let user: Box<dyn Query> = if req.plain {
            Box::new(plain_query(f, &req.query))
        } else {
            parser
                .parse_query(&req.query)
                .map_err(|e| IndexError::Query {
                    query: req.query.clone(),
                    message: e.to_string(),
                })?
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user)];
        let mut filter = |path: [&str; 2]| {
            let term = Term::from_facet(f.facets, &Facet::from_path(path));
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        };
        if let Some(k) = req.kind {
            filter(["kind", k.as_str()]);
        }
        let year = req.year.map(|y| y.to_string());
        if let Some(y) = &year {
            filter(["year", y]);
        }
        if let Some(t) = &req.track {
            filter(["track", t]);
        }
        let query = BooleanQuery::new(clauses);

        // Fetch extra hits so that ties at the cut can be ordered by id.
        let fetch = req.limit.saturating_mul(2).saturating_add(10);
        let (top, total, counts) = searcher
            .search(
                &query,
                &(
                    TopDocs::with_limit(fetch).order_by_score(),
                    Count,
                    facet_collector(),
                ),
            )
            .map_err(|e| match e {
                // A query the parser accepts but the schema cannot run (`title_en:*` asks
                // for a fast field): the user's query, not the index, is at fault.
                tantivy::TantivyError::SchemaError(message)
                | tantivy::TantivyError::InvalidArgument(message)
                | tantivy::TantivyError::FieldNotFound(message) => IndexError::Query {
                    query: req.query.clone(),
                    message,
                },
                e => engine(&self.path, e),
            })?;

        let mut found = Vec::with_capacity(top.len());
        for (score, addr) in top {
            found.push((score, stored_document(self, &searcher, addr)?));
        }
        found.sort_by(|(sa, a), (sb, b)| sb.total_cmp(sa).then_with(|| a.id.cmp(&b.id)));
        found.truncate(req.limit);

        let mut generators: Vec<Option<SnippetGenerator>> =
            Lang::ALL.iter().map(|_| None).collect();
        let mut hits = Vec::with_capacity(found.len());
        for (score, doc) in found {
            let slot = Fields::lang_slot(doc.language.as_deref().map_or(Lang::En, Lang::from_code));
            let generator = match &mut generators[slot] {
                Some(g) => g,
                empty => {
                    let mut g = SnippetGenerator::create(&searcher, &query, f.body[slot])
                        .map_err(|e| engine(&self.path, e))?;
                    g.set_max_num_chars(220);
                    empty.insert(g)
                }
            };
            let snip = generator.snippet(&doc.text);
            let (snippet, highlights) = if snip.fragment().is_empty() {
                (lead(&doc.text, 220), Vec::new())
            } else {
                (
                    snip.fragment().to_string(),
                    snip.highlighted()
                        .iter()
                        .map(|r| [r.start, r.end])
                        .collect(),
                )
            };
            hits.push(Hit {
                id: doc.id,
                score,
                title: doc.title,
                kind: doc.kind,
                year: doc.year,
                snippet,
                highlights,
            });
        }
        Ok(SearchResults {
            total,
            hits,
            facets: facet_counts(&counts),
        })
    }

    /// Counts per kind, year, track, language, stakeholder group and region.
    pub fn stats(&self) -> Result<Stats, IndexError> {
        let searcher = self.reader()?.searcher();
        let counts = searcher
            .search(&AllQuery, &facet_collector())
            .map_err(|e| engine(&self.path, e))?;
        let mut by = facet_counts(&counts);
        let mut take = |dim: &str| by.remove(dim).unwrap_or_default();
        Ok(Stats {
            documents: searcher.num_docs(),
            by_kind: take("kind"),
            by_year: take("year"),
            by_track: take("track"),
            by_language: take("language"),
            by_stakeholder_group: take("stakeholder_group"),
            by_region: take("region"),
        })
    }
}

/// Any analysed word of `text` in any language's title (boosted) or body field.
fn plain_query(f: &Fields, text: &str) -> BooleanQuery {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (slot, &lang) in Lang::ALL.iter().enumerate() {
        let mut terms = crate::analysis::Analyzer::get(lang).terms(text);
        terms.sort();
        terms.dedup();
        for term in terms {
            for (field, boost) in [(f.title[slot], 2.0), (f.body[slot], 1.0)] {
                let q = TermQuery::new(
                    Term::from_field_text(field, &term),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        }
    }
    BooleanQuery::new(clauses)
}

/// The first `max` bytes of a text, cut at a word boundary, one line.
fn lead(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.len() <= max {
        return flat;
    }
    let mut cut = max;
    while !flat.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = flat[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", &flat[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::IngestOptions;
    use std::io::Write;

    fn index_of(lines: &[&str]) -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        let mut f = std::fs::File::create(&input).unwrap();
        for l in lines {
            writeln!(f, "{l}").unwrap();
        }
        let idx = Index::open_or_create(&dir.path().join("idx")).unwrap();
        idx.add(&[input], &IngestOptions::default(), &mut |_| {})
            .unwrap();
        (dir, idx)
    }

    const DOCS: &[&str] = &[
        r#"{"id":"p1","kind":"proposal","year":2019,"track":"Data Governance","title":"Data governance for development","text":"How should data governance frameworks support development while protecting rights?","speakers":["A, Civil Society, African Group","B, Government, WEOG"]}"#,
        r#"{"id":"p2","kind":"proposal","year":2020,"track":"Inclusion","title":"Community networks","text":"Community networks and spectrum policy can connect rural areas where operators do not invest."}"#,
        r#"{"id":"t1","kind":"takeaway","year":2019,"track":"Data Governance","text":"Participants agreed that data governance needs multistakeholder cooperation and trust."}"#,
        r#"{"id":"f1","kind":"proposal","year":2019,"title":"Gouvernance des données","text":"La gouvernance des données doit protéger les droits des personnes et soutenir le développement."}"#,
    ];

    #[test]
    fn ranks_snippets_and_facets() {
        let (_d, idx) = index_of(DOCS);
        let r = idx
            .search(&SearchRequest {
                query: "data governance".into(),
                plain: false,
                kind: None,
                year: None,
                track: None,
                limit: 10,
            })
            .unwrap();
        assert_eq!(r.total, 2);
        assert_eq!(r.hits[0].id, "p1", "the title match ranks first");
        let h = &r.hits[1];
        assert_eq!(h.id, "t1");
        let [a, b] = h.highlights[0];
        assert_eq!(h.snippet[a..b].to_lowercase(), "data");
        assert_eq!(r.facets["kind"]["proposal"], 1);
        assert_eq!(r.facets["kind"]["takeaway"], 1);
    }

    #[test]
    fn filters_by_kind_year_and_track() {
        let (_d, idx) = index_of(DOCS);
        let mut req = SearchRequest {
            query: "data".into(),
            plain: false,
            kind: Some(Kind::Takeaway),
            year: None,
            track: None,
            limit: 10,
        };
        assert_eq!(idx.search(&req).unwrap().total, 1);
        req.kind = None;
        req.year = Some(2020);
        assert_eq!(idx.search(&req).unwrap().total, 0);
        req.year = None;
        req.track = Some("Data Governance".into());
        assert_eq!(idx.search(&req).unwrap().total, 2);
    }

    #[test]
    fn french_query_matches_stemmed_french_text() {
        let (_d, idx) = index_of(DOCS);
        let r = idx
            .search(&SearchRequest {
                query: "gouvernance donnée".into(),
                plain: false,
                kind: None,
                year: None,
                track: None,
                limit: 5,
            })
            .unwrap();
        assert_eq!(r.hits[0].id, "f1");
    }

    #[test]
    fn plain_text_needs_no_syntax() {
        let (_d, idx) = index_of(DOCS);
        let r = idx
            .search(&SearchRequest {
                query: "How can community networks: connect (rural) areas?".into(),
                plain: true,
                kind: None,
                year: None,
                track: None,
                limit: 5,
            })
            .unwrap();
        assert_eq!(r.hits[0].id, "p2");
    }

    #[test]
    fn bad_query_is_an_error() {
        let (_d, idx) = index_of(DOCS);
        let err = idx
            .search(&SearchRequest {
                query: "title_en:(".into(),
                plain: false,
                kind: None,
                year: None,
                track: None,
                limit: 5,
            })
            .unwrap_err();
        assert!(matches!(err, IndexError::Query { .. }), "{err}");
    }

    #[test]
    fn stats_count_every_dimension() {
        let (_d, idx) = index_of(DOCS);
        let s = idx.stats().unwrap();
        assert_eq!(s.documents, 4);
        assert_eq!(s.by_kind["proposal"], 3);
        assert_eq!(s.by_year["2019"], 3);
        assert_eq!(s.by_language["fr"], 1);
        assert_eq!(s.by_stakeholder_group["civil society"], 1);
        assert_eq!(s.by_region["WEOG"], 1);
    }
}

//! The HTML report: one self-contained file (inline CSS, JavaScript and SVG; nothing fetched),
//! readable offline and attachable to an email.
//!
//! [`Report`] gathers what there is to show; [`Report::render`] writes it section by
//! section. Each section is a function from the report to an optional [`Section`], so a new
//! analysis (screening pairs, convergence, draft messages) is one more field and one more
//! function, listed in [`Report::sections`]; the navigation follows. Document texts only ever
//! reach the page through [`Html::text`], which escapes them. The script is static: it reads
//! the page, never data, and makes tables with class `sortable` sortable (click a header) and
//! filterable (an `<input data-filter="TABLE-ID">`), and the map's legend highlight a cluster.

mod html;
mod screening;
mod synthesis;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rapporteur::Document;
use rapporteur::cluster::{Cluster, Clustering};
use rapporteur::converge::Convergence;
use rapporteur::draft::Messages;
use rapporteur::index::Stats;
use rapporteur::questions::PolicyQuestions;
use rapporteur::screen::Screening;

use html::Html;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Colours of the clusters, in cluster order (Okabe–Ito first, then darker tones).
const PALETTE: [&str; 16] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a5195", "#2f9e44",
    "#b8860b", "#1f3a93", "#c2185b", "#5d6d7e", "#8c564b", "#17becf", "#bcbd22", "#393b79",
];
/// Colour of documents in no cluster.
const NO_CLUSTER: &str = "#9aa0a6";

/// What the report shows.
pub struct Report<'a> {
    /// Counts of the whole corpus.
    pub stats: &'a Stats,
    /// The year the analyses looked at.
    pub year: Option<u16>,
    /// The documents (for titles, texts and links): at least those analysed and cited.
    pub documents: &'a [Document],
    /// The clustering of those documents, if any.
    pub clustering: Option<&'a Clustering>,
    /// The policy questions clustered against, if any.
    pub questions: Option<&'a PolicyQuestions>,
    /// Overlapping proposals, if screened.
    pub screening: Option<&'a Screening<'a>>,
    /// Convergence and divergence per question, if analysed.
    pub convergence: Option<&'a Convergence>,
    /// The draft thematic messages, if drafted.
    pub messages: Option<&'a Messages>,
}

/// One part of the page.
struct Section {
    /// Anchor.
    id: &'static str,
    /// Heading (and navigation entry).
    title: &'static str,
    body: Html,
}

impl Report<'_> {
    /// The sections that have something to show, in page order.
    fn sections(&self) -> Vec<Section> {
        [
            Some(self.overview()),
            self.focus(),
            self.map(),
            self.clusters(),
            self.over_time(),
            self.screening(),
            self.convergence_section(),
            self.messages_section(),
            self.proposals(),
            self.sources_section(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The whole page.
    pub fn render(&self) -> String {
        let mut h = Html::default();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
            .raw("<title>")
            .text(&self.heading())
            .raw("</title>\n<style>\n")
            .raw(STYLE)
            .raw("</style>\n</head>\n<body>\n<header>\n<h1>")
            .text(&self.heading())
            .raw("</h1>\n<p class=\"sub\">");
        h.int(self.stats.documents).raw(" documents indexed");
        if let Some(c) = self.clustering {
            h.raw(" · ").int(c.assignments.len()).raw(" proposals");
            if let Some(y) = self.year {
                h.raw(" of ").int(y);
            }
            h.raw(" in ").int(c.clusters.len()).raw(" clusters");
        }
        if let Some(sc) = self.screening {
            h.raw(" · ").int(sc.pairs.len()).raw(" overlapping pairs");
        }
        if let Some(m) = self.messages {
            let n: usize = m
                .tracks
                .iter()
                .flat_map(|t| &t.questions)
                .map(|q| q.messages.len())
                .sum();
            h.raw(" · ").int(n).raw(" draft messages");
        }
        h.raw(" · made by rapporteur ")
            .raw(env!("CARGO_PKG_VERSION"))
            .raw("</p>\n");
        let sections = self.sections();
        h.raw("<nav>");
        for s in &sections {
            h.raw("<a href=\"#")
                .raw(s.id)
                .raw("\">")
                .raw(s.title)
                .raw("</a>");
        }
        h.raw("</nav>\n</header>\n<main>\n");
        for s in sections {
            h.raw("<section id=\"")
                .raw(s.id)
                .raw("\">\n<h2>")
                .raw(s.title)
                .raw("</h2>\n")
                .append(s.body)
                .raw("</section>\n");
        }
        h.raw("</main>\n<footer>One self-contained file: nothing is fetched from the network. Hover a point or a bar for details.</footer>\n<script>\n")
            .raw(SCRIPT)
            .raw("</script>\n</body>\n</html>\n");
        h.finish()
    }

    fn heading(&self) -> String {
        let title = self.questions.and_then(|q| q.title.clone());
        match (title, self.year) {
            (Some(t), _) => t,
            (None, Some(y)) => format!("IGF {y}: proposals and themes"),
            (None, None) => "IGF documents: themes".to_string(),
        }
    }

    fn overview(&self) -> Section {
        let s = self.stats;
        let mut h = Html::default();
        h.raw("<div class=\"tiles\">");
        tile(&mut h, "documents", |h| {
            h.int(s.documents);
        });
        tile(&mut h, "years", |h| {
            h.int(s.by_year.len());
        });
        tile(&mut h, "languages", |h| {
            h.int(s.by_language.len());
        });
        if let Some(c) = self.clustering {
            tile(&mut h, "proposals analysed", |h| {
                h.int(c.assignments.len());
            });
        }
        h.raw("</div>\n<div class=\"grid\">");
        for (title, counts) in [
            ("By kind", &s.by_kind),
            ("By year", &s.by_year),
            ("By track", &s.by_track),
            ("By language", &s.by_language),
            (
                "Stakeholder groups (documents with one)",
                &s.by_stakeholder_group,
            ),
            ("Regional groups (documents with one)", &s.by_region),
        ] {
            if counts.is_empty() {
                continue;
            }
            h.raw("<div class=\"card\"><h3>").raw(title).raw("</h3>");
            let mut rows: Vec<(&String, u64)> = counts.iter().map(|(k, &v)| (k, v)).collect();
            if title != "By year" {
                rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            }
            bars(&mut h, rows.iter().map(|(k, v)| (k.as_str(), *v)), None);
            h.raw("</div>");
        }
        h.raw("</div>\n");
        Section {
            id: "overview",
            title: "Overview",
            body: h,
        }
    }

    fn focus(&self) -> Option<Section> {
        let f = self.clustering?.focus.as_ref()?;
        let mut h = Html::default();
        h.raw("<p class=\"lead\">How focused is the call? A call whose proposals answer few of its questions, or spread thinly over many, is an \"issue soup\".</p>\n<div class=\"tiles\">");
        tile(&mut h, "answer a focused question", |h| {
            h.num(100.0 * f.share_on_questions, 0).raw(" %");
        });
        tile(&mut h, "effective questions", |h| {
            h.num(f.effective_questions, 1)
                .raw(" <small>of ")
                .int(f.per_question.len())
                .raw("</small>");
        });
        tile(&mut h, "spread (1 = even)", |h| {
            h.num(f.spread, 2);
        });
        tile(&mut h, "in emergent themes", |h| {
            h.int(f.emergent_pool);
        });
        h.raw("</div>\n");
        if !f.questions_without_documents.is_empty() {
            h.raw("<p class=\"warn\">No proposal answers ");
            for (i, q) in f.questions_without_documents.iter().enumerate() {
                if i > 0 {
                    h.raw(", ");
                }
                h.raw("<b>").text(q).raw("</b>");
                if let Some(text) = self.question_text(q) {
                    h.raw(" (").text(text).raw(")");
                }
            }
            h.raw(".</p>\n");
        }
        h.raw("<div class=\"card focusbars\"><h3>Proposals per question (main question)</h3>");
        let order = self.question_order();
        let mut rows: Vec<(&str, u64)> = f
            .per_question
            .iter()
            .map(|(q, &n)| (q.as_str(), n as u64))
            .collect();
        rows.sort_by_key(|(q, _)| order.get(q).copied().unwrap_or(usize::MAX));
        let labels: Vec<String> = rows
            .iter()
            .map(|(q, _)| match self.question_text(q) {
                Some(text) => format!("{q} · {text}"),
                None => q.to_string(),
            })
            .collect();
        let texts: Vec<Option<&str>> = rows.iter().map(|(q, _)| self.question_text(q)).collect();
        bars(
            &mut h,
            labels
                .iter()
                .map(String::as_str)
                .zip(rows.iter().map(|r| r.1)),
            Some(&texts),
        );
        h.raw("</div>\n");
        Some(Section {
            id: "focus",
            title: "Programme focus",
            body: h,
        })
    }

    fn map(&self) -> Option<Section> {
        let c = self.clustering?;
        if c.map.is_empty() {
            return None;
        }
        let colour = cluster_colours(c);
        let main: HashMap<&str, Option<&str>> = c
            .assignments
            .iter()
            .map(|a| (a.id.as_str(), a.cluster.as_deref()))
            .collect();
        let docs = self.documents_by_id();
        let (w, ht, pad) = (640.0, 420.0, 16.0);
        let range = |v: &mut dyn Iterator<Item = f32>| {
            v.fold((f32::MAX, f32::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)))
        };
        let (x0, x1) = range(&mut c.map.iter().map(|p| p.x));
        let (y0, y1) = range(&mut c.map.iter().map(|p| p.y));
        let sx = |x: f32| pad + (w - 2.0 * pad) * f64::from((x - x0) / (x1 - x0).max(1e-9));
        let sy = |y: f32| ht - pad - (ht - 2.0 * pad) * f64::from((y - y0) / (y1 - y0).max(1e-9));
        let mut h = Html::default();
        h.raw("<p class=\"lead\">Each point is a proposal, placed by what it is about (the first two principal components of its LSA vector): near points share vocabulary. Colour: its main cluster. Hover a point for its title; click a legend entry to pick out one cluster.</p>\n")
            .raw("<div class=\"mapwrap\"><svg id=\"map-svg\" class=\"map\" viewBox=\"0 0 640 420\" role=\"img\" aria-label=\"Map of the proposals coloured by cluster\">")
            .raw("<rect x=\"0\" y=\"0\" width=\"640\" height=\"420\" class=\"bg\"/>");
        // Axes through the centre of the data (the mean is at the origin).
        h.raw("<line class=\"axis\" x1=\"0\" x2=\"640\" y1=\"")
            .num(sy(0.0), 1)
            .raw("\" y2=\"")
            .num(sy(0.0), 1)
            .raw("\"/><line class=\"axis\" y1=\"0\" y2=\"420\" x1=\"")
            .num(sx(0.0), 1)
            .raw("\" x2=\"")
            .num(sx(0.0), 1)
            .raw("\"/>");
        for p in &c.map {
            let cluster = main.get(p.id.as_str()).copied().flatten();
            let (fill, index) = match cluster.and_then(|id| colour.get(id)) {
                Some(&(fill, i)) => (fill, i),
                None => (NO_CLUSTER, usize::MAX),
            };
            // Emergent themes are rings, question clusters discs.
            let ring = cluster.is_some_and(|c| c.starts_with("emergent-"));
            h.raw("<circle r=\"5\" cx=\"")
                .num(sx(p.x), 1)
                .raw("\" cy=\"")
                .num(sy(p.y), 1)
                .raw(if ring {
                    "\" class=\"ring\" style=\"stroke:"
                } else {
                    "\" fill=\""
                })
                .raw(fill)
                .raw("\" data-c=\"");
            if index == usize::MAX {
                h.raw("none");
            } else {
                h.int(index);
            }
            h.raw("\"><title>");
            if let Some(d) = docs.get(p.id.as_str()) {
                h.text(&d.title).raw(" — ");
            }
            h.text(&p.id)
                .raw("\n")
                .text(cluster.unwrap_or("no cluster"))
                .raw("</title></circle>");
        }
        h.raw("</svg>\n<div class=\"legend\" data-map=\"map-svg\">");
        for (i, cl) in c.clusters.iter().enumerate() {
            h.raw("<button type=\"button\" data-c=\"")
                .int(i)
                .raw(if cl.id.starts_with("emergent-") {
                    "\"><i class=\"ring\" style=\"border-color:"
                } else {
                    "\"><i style=\"background:"
                })
                .raw(PALETTE[i % PALETTE.len()])
                .raw("\"></i>")
                .text(&self.cluster_name(cl))
                .raw(" <small>")
                .int(cl.size)
                .raw("</small></button>");
        }
        h.raw("</div></div>\n");
        Some(Section {
            id: "map",
            title: "Policy-question map",
            body: h,
        })
    }

    fn clusters(&self) -> Option<Section> {
        let c = self.clustering?;
        let docs = self.documents_by_id();
        let rows = self.row_numbers();
        let mut h = Html::default();
        h.raw("<div class=\"grid cards\">");
        for (i, cl) in c.clusters.iter().enumerate() {
            h.raw("<article class=\"card cluster\" id=\"cluster-")
                .int(i)
                .raw("\" style=\"border-top-color:")
                .raw(PALETTE[i % PALETTE.len()])
                .raw("\"><h3>")
                .text(&self.cluster_name(cl))
                .raw(" <small>")
                .int(cl.size)
                .raw(if cl.size == 1 {
                    " proposal"
                } else {
                    " proposals"
                })
                .raw("</small></h3>");
            if let Some(text) = cl
                .policy_question
                .as_deref()
                .and_then(|q| self.question_text(q))
            {
                h.raw("<p class=\"question\">").text(text).raw("</p>");
            } else {
                h.raw("<p class=\"question\">Emergent theme: answers none of the focused questions.</p>");
            }
            if !cl.terms.is_empty() {
                h.raw("<p class=\"terms\">");
                for t in &cl.terms {
                    h.raw("<span>").text(t).raw("</span>");
                }
                h.raw("</p>");
            }
            if let Some(central) = &cl.central {
                h.raw("<p><span class=\"k\">Central:</span> ");
                doc_link(&mut h, central, &docs, &rows);
                h.raw("</p>");
            }
            let comp = &cl.composition;
            for (title, counts) in [
                ("Stakeholder groups", &comp.stakeholder_groups),
                ("Regions", &comp.regions),
                ("Languages", &comp.languages),
            ] {
                if counts.is_empty() {
                    continue;
                }
                h.raw("<p class=\"comp\"><span class=\"k\">")
                    .raw(title)
                    .raw(":</span> ");
                let mut counts: Vec<_> = counts.iter().collect();
                counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                for (j, (k, v)) in counts.into_iter().enumerate() {
                    if j > 0 {
                        h.raw(", ");
                    }
                    h.text(k).raw(" ").int(*v);
                }
                h.raw("</p>");
            }
            if cl.members.is_empty() {
                h.raw("<p class=\"muted\">No members.</p>");
            } else {
                h.raw("<details><summary>Members</summary><ol class=\"members\">");
                for m in &cl.members {
                    h.raw("<li>");
                    doc_link(&mut h, &m.id, &docs, &rows);
                    h.raw(" <small>")
                        .num(f64::from(m.score), 2)
                        .raw("</small></li>");
                }
                h.raw("</ol></details>");
            }
            h.raw("</article>");
        }
        h.raw("</div>\n");
        if !c.unassigned.is_empty() {
            h.raw("<p class=\"muted\">In no cluster: ");
            h.join(c.unassigned.iter(), ", ", |h, id| {
                doc_link(h, id, &docs, &rows);
            });
            h.raw("</p>\n");
        }
        Some(Section {
            id: "clusters",
            title: "Clusters",
            body: h,
        })
    }

    /// Members per cluster and year, when the clustering spans several years.
    fn over_time(&self) -> Option<Section> {
        let c = self.clustering?;
        let years: BTreeSet<&String> = c.clusters.iter().flat_map(|cl| cl.years.keys()).collect();
        if years.len() < 2 {
            return None;
        }
        let max = c
            .clusters
            .iter()
            .flat_map(|cl| cl.years.values())
            .copied()
            .max()
            .unwrap_or(1)
            .max(1);
        let mut h = Html::default();
        h.raw("<p class=\"lead\">Proposals per theme and year.</p><div class=\"scroll\"><table class=\"time\"><thead><tr><th>Theme</th>");
        for y in &years {
            h.raw("<th>").text(y).raw("</th>");
        }
        h.raw("</tr></thead><tbody>");
        for (i, cl) in c.clusters.iter().enumerate() {
            h.raw("<tr><th><i class=\"sw\" style=\"background:")
                .raw(PALETTE[i % PALETTE.len()])
                .raw("\"></i>")
                .text(&self.cluster_name(cl))
                .raw("</th>");
            for y in &years {
                let n = cl.years.get(*y).copied().unwrap_or(0);
                h.raw("<td><span class=\"cell\" style=\"opacity:")
                    .num(0.15 + 0.85 * n as f64 / max as f64, 2)
                    .raw(";background:")
                    .raw(PALETTE[i % PALETTE.len()])
                    .raw("\"></span>")
                    .int(n)
                    .raw("</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table></div>\n");
        Some(Section {
            id: "time",
            title: "Themes over time",
            body: h,
        })
    }

    fn proposals(&self) -> Option<Section> {
        let c = self.clustering?;
        let docs = self.documents_by_id();
        let colour = cluster_colours(c);
        let mut h = Html::default();
        h.raw("<p class=\"lead\">Every proposal analysed. Click a column to sort; type to filter.</p>\n<input type=\"search\" class=\"filter\" placeholder=\"Filter proposals…\" aria-label=\"Filter proposals\" data-filter=\"proposals-table\"> <span class=\"count\" data-count=\"proposals-table\"></span>\n<div class=\"scroll\"><table id=\"proposals-table\" class=\"sortable\"><thead><tr><th data-type=\"num\">#</th><th>Title</th><th>Id</th><th>Cluster</th><th>Questions</th><th data-type=\"num\">Score</th></tr></thead><tbody>\n");
        for (n, a) in c.assignments.iter().enumerate() {
            let doc = docs.get(a.id.as_str());
            h.raw("<tr id=\"p-")
                .int(n + 1)
                .raw("\"><td>")
                .int(n + 1)
                .raw("</td><td>");
            let title = if a.title.is_empty() { &a.id } else { &a.title };
            match doc.and_then(|d| safe_url(d.source.as_deref())) {
                Some(url) => {
                    h.raw("<a href=\"")
                        .text(url)
                        .raw("\" rel=\"noopener noreferrer\">")
                        .text(title)
                        .raw("</a>");
                }
                None => {
                    h.text(title);
                }
            }
            h.raw("</td><td class=\"id\">").text(&a.id).raw("</td><td>");
            match &a.cluster {
                Some(cl) => {
                    let fill = colour.get(cl.as_str()).map_or(NO_CLUSTER, |&(f, _)| f);
                    h.raw("<i class=\"sw\" style=\"background:")
                        .raw(fill)
                        .raw("\"></i>")
                        .text(cl);
                }
                None => {
                    h.raw("<span class=\"muted\">none</span>");
                }
            }
            h.raw("</td><td>")
                .text(&a.policy_questions.join(", "))
                .raw("</td><td>")
                .num(f64::from(a.score), 2)
                .raw("</td></tr>\n");
        }
        h.raw("</tbody></table></div>\n");
        Some(Section {
            id: "proposals",
            title: "Proposals",
            body: h,
        })
    }

    fn question_text(&self, id: &str) -> Option<&str> {
        self.questions?
            .questions()
            .find(|(_, q)| q.id == id)
            .map(|(_, q)| q.text.as_str())
    }

    fn question_order(&self) -> HashMap<&str, usize> {
        self.questions
            .map(|qs| {
                qs.questions()
                    .enumerate()
                    .map(|(i, (_, q))| (q.id.as_str(), i))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// "q1 · terms" for a question cluster, "Emergent 1 · terms" for a theme.
    fn cluster_name(&self, cl: &Cluster) -> String {
        let name = match cl.id.strip_prefix("emergent-") {
            Some(n) => format!("Emergent {n}"),
            None => match cl.id.strip_prefix("theme-") {
                Some(n) => format!("Theme {n}"),
                None => cl.id.clone(),
            },
        };
        if cl.label.is_empty() {
            name
        } else {
            format!("{name} · {}", cl.label)
        }
    }

    fn documents_by_id(&self) -> HashMap<&str, &Document> {
        self.documents.iter().map(|d| (d.id.as_str(), d)).collect()
    }

    /// Row number of each proposal in the proposals table.
    fn row_numbers(&self) -> HashMap<&str, usize> {
        self.clustering
            .map(|c| {
                c.assignments
                    .iter()
                    .enumerate()
                    .map(|(n, a)| (a.id.as_str(), n + 1))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Colour and index of each cluster id.
fn cluster_colours(c: &Clustering) -> BTreeMap<&str, (&'static str, usize)> {
    c.clusters
        .iter()
        .enumerate()
        .map(|(i, cl)| (cl.id.as_str(), (PALETTE[i % PALETTE.len()], i)))
        .collect()
}

/// A big number with a caption.
fn tile(h: &mut Html, caption: &'static str, value: impl FnOnce(&mut Html)) {
    h.raw("<div class=\"tile\"><b>");
    value(h);
    h.raw("</b><span>").raw(caption).raw("</span></div>");
}

/// Horizontal bars, one per row, scaled to the largest; `hints` are hover texts per row.
fn bars<'a>(
    h: &mut Html,
    rows: impl Iterator<Item = (&'a str, u64)>,
    hints: Option<&[Option<&str>]>,
) {
    let rows: Vec<_> = rows.collect();
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    h.raw("<div class=\"bars\">");
    for (i, (label, n)) in rows.into_iter().enumerate() {
        h.raw("<div class=\"row\"");
        if let Some(hint) = hints.and_then(|t| t.get(i).copied().flatten()) {
            h.raw(" title=\"").text(hint).raw("\"");
        }
        h.raw("><span class=\"label\">")
            .text(label)
            .raw("</span><span class=\"bar\"><span style=\"width:")
            .num(100.0 * n as f64 / max as f64, 1)
            .raw("%\"></span></span><span class=\"n\">")
            .int(n)
            .raw("</span></div>");
    }
    h.raw("</div>");
}

/// A document's title linking to its row in the proposals table.
fn doc_link(h: &mut Html, id: &str, docs: &HashMap<&str, &Document>, rows: &HashMap<&str, usize>) {
    title_link(h, id, docs, "p-", rows.get(id).copied());
}

/// A document's title (its id when untitled), linking to the anchor `#{prefix}{n}` when the
/// page has an entry `n` for it.
fn title_link(
    h: &mut Html,
    id: &str,
    docs: &HashMap<&str, &Document>,
    prefix: &'static str,
    entry: Option<usize>,
) {
    let title = docs
        .get(id)
        .map(|d| d.title.as_str())
        .filter(|t| !t.is_empty())
        .unwrap_or(id);
    match entry {
        Some(n) => {
            h.raw("<a href=\"#")
                .raw(prefix)
                .int(n)
                .raw("\" title=\"")
                .text(id)
                .raw("\">")
                .text(title)
                .raw("</a>");
        }
        None => {
            h.text(title);
        }
    }
}

/// The source as a link target when it is a web address (never `javascript:` and the like).
fn safe_url(source: Option<&str>) -> Option<&str> {
    let s = source?.trim();
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            safe_url(Some(" https://igf.org/x ")),
            Some("https://igf.org/x")
        );
        assert_eq!(safe_url(Some("HTTP://a")), Some("HTTP://a"));
        assert_eq!(safe_url(Some("javascript:alert(1)")), None);
        assert_eq!(safe_url(Some("data:text/html,x")), None);
        assert_eq!(safe_url(None), None);
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let stats = Stats {
            documents: 1,
            by_kind: [("<b>k</b>".to_string(), 1)].into(),
            by_year: BTreeMap::new(),
            by_track: BTreeMap::new(),
            by_language: BTreeMap::new(),
            by_stakeholder_group: BTreeMap::new(),
            by_region: BTreeMap::new(),
        };
        let hostile = "<img src=x onerror=alert(1)>";
        let mut doc = Document::new("<script>x</script>", rapporteur::Kind::Proposal, "t");
        doc.title = hostile.into();
        doc.source = Some("javascript:alert(1)".into());
        let clustering = Clustering {
            clusters: Vec::new(),
            unassigned: Vec::new(),
            assignments: vec![rapporteur::cluster::Assignment {
                id: doc.id.clone(),
                title: doc.title.clone(),
                cluster: Some("</title><script>".into()),
                policy_questions: vec!["<q>".into()],
                score: 0.5,
            }],
            focus: None,
            k_choice: None,
            map: vec![rapporteur::cluster::MapPoint {
                id: doc.id.clone(),
                x: 0.0,
                y: 0.0,
            }],
            params: rapporteur::cluster::ClusterParams::new(),
        };
        let page = Report {
            stats: &stats,
            year: None,
            documents: std::slice::from_ref(&doc),
            clustering: Some(&clustering),
            questions: None,
            screening: None,
            convergence: None,
            messages: None,
        }
        .render();
        for bad in [
            "<b>k</b>",
            hostile,
            "<q>",
            "javascript:",
            "</title><script>",
        ] {
            assert!(!page.contains(bad), "{bad} unescaped");
        }
        assert!(page.contains("&lt;b&gt;k&lt;/b&gt;"));
        assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "only the page's own script"
        );
    }
}

//! The synthesis sections: convergence and divergence per policy question with the
//! supporting statements, the draft messages, and the source documents both cite (each with
//! its text, so that a citation leads to the words it comes from).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rapporteur::Document;
use rapporteur::converge::{Cited, Class, Point};

use super::html::Html;
use super::{Report, Section, doc_link, safe_url, tile, title_link};

fn class_label(c: Class) -> &'static str {
    match c {
        Class::Converging => "converging",
        Class::Diverging => "diverging",
        Class::Emerging => "emerging",
    }
}

fn class_css(c: Class) -> &'static str {
    match c {
        Class::Converging => "cls conv",
        Class::Diverging => "cls div",
        Class::Emerging => "cls emer",
    }
}

impl Report<'_> {
    /// Numbers of the source documents (`#src-N`), in id order: every document a point or a
    /// message cites.
    pub(super) fn source_numbers(&self) -> BTreeMap<&str, usize> {
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        if let Some(c) = self.convergence {
            for p in &c.points {
                ids.extend(p.statements.iter().map(|s| s.doc.as_str()));
                ids.extend(p.support.outputs.iter().map(String::as_str));
            }
        }
        if let Some(m) = self.messages {
            for msg in m
                .tracks
                .iter()
                .flat_map(|t| &t.questions)
                .flat_map(|q| &q.messages)
            {
                ids.extend(msg.sources.iter().map(String::as_str));
                ids.extend(msg.extracts.iter().map(|e| e.doc.as_str()));
            }
        }
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (id, i + 1))
            .collect()
    }

    pub(super) fn convergence_section(&self) -> Option<Section> {
        let c = self.convergence?;
        let questions = self.questions?;
        let docs = self.documents_by_id();
        let sources = self.source_numbers();
        let rows = self.row_numbers();
        let count = |class: Class| c.points.iter().filter(|p| p.class == class).count();
        let mut h = Html::default();
        h.raw("<p class=\"lead\">The statements of the takeaways, reports and DC outputs, grouped into points per policy question. A point <b>converges</b> with support from at least ")
            .int(c.params.min_sessions_needed())
            .raw(" sessions and ")
            .int(c.params.min_groups_needed())
            .raw(" stakeholder groups, <b>diverges</b> when positions oppose each other (inside one session or across sessions), and is <b>emerging</b> otherwise. Open a point for its statements; a source leads to its document.</p>\n<div class=\"tiles\">");
        tile(&mut h, "statements", |h| {
            h.int(c.statements);
        });
        tile(&mut h, "documents read", |h| {
            h.int(c.documents);
        });
        tile(&mut h, "converging points", |h| {
            h.int(count(Class::Converging));
        });
        tile(&mut h, "diverging points", |h| {
            h.int(count(Class::Diverging));
        });
        tile(&mut h, "emerging points", |h| {
            h.int(count(Class::Emerging));
        });
        h.raw("</div>\n");
        if c.unplaced > 0 {
            h.raw("<p class=\"muted\">")
                .int(c.unplaced)
                .raw(" statements answer none of the focused questions.</p>\n");
        }
        for track in &questions.tracks {
            h.raw("<h3 class=\"sub\">").text(&track.name).raw("</h3>\n");
            for q in &track.questions {
                let points: Vec<&Point> = c
                    .points
                    .iter()
                    .filter(|p| p.policy_question == q.id)
                    .collect();
                let of = |class: Class| points.iter().filter(|p| p.class == class).count();
                h.raw("<article class=\"card qcard\"><h4>")
                    .text(&q.id)
                    .raw(" · ")
                    .text(&q.text)
                    .raw("</h4><p class=\"counts\">");
                for class in [Class::Converging, Class::Diverging, Class::Emerging] {
                    h.raw("<span class=\"")
                        .raw(class_css(class))
                        .raw("\">")
                        .int(of(class))
                        .raw(" ")
                        .raw(class_label(class))
                        .raw("</span> ");
                }
                h.raw("</p>");
                if points.is_empty() {
                    h.raw("<p class=\"muted\">No statement answers this question.</p>");
                }
                for p in points.iter().filter(|p| p.class != Class::Emerging) {
                    point(&mut h, p, &docs, &sources, &rows);
                }
                let emerging: Vec<&&Point> = points
                    .iter()
                    .filter(|p| p.class == Class::Emerging)
                    .collect();
                if !emerging.is_empty() {
                    h.raw("<details class=\"emerging\"><summary>")
                        .int(emerging.len())
                        .raw(if emerging.len() == 1 {
                            " emerging point"
                        } else {
                            " emerging points"
                        })
                        .raw("</summary>");
                    for p in emerging {
                        point(&mut h, p, &docs, &sources, &rows);
                    }
                    h.raw("</details>");
                }
                h.raw("</article>\n");
            }
        }
        Some(Section {
            id: "convergence",
            title: "Convergence",
            body: h,
        })
    }

    pub(super) fn messages_section(&self) -> Option<Section> {
        let m = self.messages?;
        let docs = self.documents_by_id();
        let sources = self.source_numbers();
        let mut h = Html::default();
        h.raw("<p class=\"lead\">Draft thematic messages, 3–7 per policy question: converging points first, then disagreements stated as such, then emerging points. Every sentence is taken from a source (trimmed); the numbers lead to the documents, hover them for the sentence as written. messages.md holds the same draft to edit; check an edited draft with <code>rapporteur messages --check FILE</code>.</p>\n");
        if !m.violations.is_empty() {
            h.raw("<p class=\"warn\">")
                .int(m.violations.len())
                .raw(" guideline warnings on this draft: ");
            h.join(m.violations.iter(), "; ", |h, v| {
                h.text(&v.at).raw(": ").text(&v.message);
            });
            h.raw("</p>\n");
        }
        for t in &m.tracks {
            h.raw("<h3 class=\"sub\">").text(&t.name).raw("</h3>\n");
            for q in &t.questions {
                h.raw("<article class=\"card qcard\"><h4>")
                    .text(&q.id)
                    .raw(" · ")
                    .text(&q.text)
                    .raw("</h4>");
                if q.messages.is_empty() {
                    h.raw("<p class=\"muted\">No statement answers this question.</p></article>\n");
                    continue;
                }
                h.raw("<ol class=\"messages\">");
                for msg in &q.messages {
                    h.raw("<li><span class=\"")
                        .raw(class_css(msg.class))
                        .raw("\">")
                        .raw(class_label(msg.class))
                        .raw("</span> ")
                        .text(&msg.text);
                    for e in &msg.extracts {
                        h.raw(" ");
                        source_mark(&mut h, &e.doc, Some(&e.quote), &sources);
                    }
                    h.raw("<div class=\"msgmeta\">");
                    if !msg.actionable_by.is_empty() {
                        h.raw("<span class=\"k\">Actionable by:</span> ")
                            .text(&msg.actionable_by.join(", "))
                            .raw("<br>");
                    }
                    h.raw("<span class=\"k\">Sources:</span> ");
                    h.join(msg.sources.iter(), ", ", |h, s| {
                        source_link(h, s, &docs, &sources);
                    });
                    h.raw("</div></li>");
                }
                h.raw("</ol></article>\n");
            }
        }
        Some(Section {
            id: "messages",
            title: "Draft messages",
            body: h,
        })
    }

    pub(super) fn sources_section(&self) -> Option<Section> {
        let sources = self.source_numbers();
        if sources.is_empty() {
            return None;
        }
        let docs = self.documents_by_id();
        let rows = self.row_numbers();
        let mut h = Html::default();
        h.raw("<p class=\"lead\">The documents the points and messages cite, with their text.</p>\n<ol class=\"sources\">");
        for (id, n) in &sources {
            h.raw("<li id=\"src-")
                .int(*n)
                .raw("\" value=\"")
                .int(*n)
                .raw("\">");
            match docs.get(id) {
                Some(d) => {
                    h.raw("<b>")
                        .text(if d.title.is_empty() { id } else { &d.title })
                        .raw("</b> <small>")
                        .text(d.kind.as_str());
                    if let Some(y) = d.year {
                        h.raw(" · ").int(y);
                    }
                    h.raw(" · ").text(id).raw("</small>");
                    if let Some(session) = &d.session {
                        h.raw(" <span class=\"k\">Session:</span> ");
                        doc_link(&mut h, session, &docs, &rows);
                    }
                    if let Some(url) = safe_url(d.source.as_deref()) {
                        h.raw(" <a href=\"")
                            .text(url)
                            .raw("\" rel=\"noopener noreferrer\">original</a>");
                    }
                    h.raw("<details><summary>Text</summary><div class=\"ptext\">")
                        .text(&d.text)
                        .raw("</div></details>");
                }
                None => {
                    h.text(id)
                        .raw(" <span class=\"muted\">(not in the index)</span>");
                }
            }
            h.raw("</li>");
        }
        h.raw("</ol>\n");
        Some(Section {
            id: "sources",
            title: "Sources",
            body: h,
        })
    }
}

/// One point: class, summary, support, the two sides of a divergence, its statements.
fn point(
    h: &mut Html,
    p: &Point,
    docs: &HashMap<&str, &Document>,
    sources: &BTreeMap<&str, usize>,
    rows: &HashMap<&str, usize>,
) {
    h.raw("<div class=\"point\"><p><span class=\"")
        .raw(class_css(p.class))
        .raw("\">")
        .raw(class_label(p.class))
        .raw("</span> ");
    if let Some(d) = p.divergence {
        h.raw(match (d.within_session, d.across_sessions) {
            (_, true) => "<small>across sessions</small> ",
            (true, false) => "<small>inside one session</small> ",
            _ => "",
        });
    }
    h.text(&p.summary).raw("</p><p class=\"support\">");
    let s = &p.support;
    h.int(s.sessions.len()).raw(if s.sessions.len() == 1 {
        " session"
    } else {
        " sessions"
    });
    if !s.sessions.is_empty() {
        h.raw(" (");
        h.join(s.sessions.iter(), ", ", |h, id| {
            doc_link(h, id, docs, rows);
        });
        h.raw(")");
    }
    let groups: Vec<&str> = s.stakeholder_groups.iter().map(|g| g.as_str()).collect();
    let regions: Vec<&str> = s.regions.iter().map(|r| r.as_str()).collect();
    let listed = |v: &[&str]| {
        if v.is_empty() {
            "none recorded".to_string()
        } else {
            v.join(", ")
        }
    };
    h.raw(" · <span class=\"k\">stakeholder groups:</span> ")
        .text(&listed(&groups))
        .raw(" · <span class=\"k\">regions:</span> ")
        .text(&listed(&regions));
    if !s.outputs.is_empty() {
        h.raw(" · <span class=\"k\">DC outputs:</span> ");
        h.join(s.outputs.iter(), ", ", |h, id| {
            source_link(h, id, docs, sources);
        });
    }
    h.raw("</p>");
    if !p.sides.is_empty() {
        h.raw("<div class=\"sides\">");
        for (k, side) in p.sides.iter().enumerate() {
            h.raw("<div class=\"side\"><span class=\"k\">Side ")
                .int(k + 1)
                .raw(":</span> ")
                .text(&side.position)
                .raw(" <small>")
                .text(&side.sessions.join(", "))
                .raw("</small></div>");
        }
        h.raw("</div>");
    }
    h.raw("<details><summary>")
        .int(p.statements.len())
        .raw(if p.statements.len() == 1 {
            " statement"
        } else {
            " statements"
        })
        .raw("</summary><ul class=\"stmts\">");
    for st in &p.statements {
        statement(h, st, docs, sources);
    }
    h.raw("</ul></details></div>");
}

/// A statement as written, with its source document and line.
fn statement(
    h: &mut Html,
    s: &Cited,
    docs: &HashMap<&str, &Document>,
    sources: &BTreeMap<&str, usize>,
) {
    h.raw("<li>");
    if let Some(side) = s.side {
        h.raw("<span class=\"k\">side ")
            .int(side + 1)
            .raw(":</span> ");
    }
    h.raw("“").text(&s.quote).raw("” — ");
    source_link(h, &s.doc, docs, sources);
    h.raw(" <small>line ").int(s.line).raw("</small></li>");
}

/// A document's title linking to its entry among the sources.
fn source_link(
    h: &mut Html,
    id: &str,
    docs: &HashMap<&str, &Document>,
    sources: &BTreeMap<&str, usize>,
) {
    title_link(h, id, docs, "src-", sources.get(id).copied());
}

/// A bracketed source number linking to the document; the sentence as written on hover.
fn source_mark(h: &mut Html, id: &str, quote: Option<&str>, sources: &BTreeMap<&str, usize>) {
    match sources.get(id) {
        Some(&n) => {
            h.raw("<a class=\"fn\" href=\"#src-")
                .int(n)
                .raw("\" title=\"");
            if let Some(q) = quote {
                h.text(q).raw("\n— ");
            }
            h.text(id).raw("\">[").int(n).raw("]</a>");
        }
        None => {
            h.raw("<small>[").text(id).raw("]</small>");
        }
    }
}

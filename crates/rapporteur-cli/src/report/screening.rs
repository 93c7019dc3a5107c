//! The screening section: the flagged pairs in a sortable, filterable table (a row opens both
//! proposals side by side, the passages they share marked), merge-candidate groups and the
//! panel-diversity flags.
//!
//! Each proposal of a shown pair is written once, hidden, in a document store; every stretch
//! of its text that is evidence for some pairs is a `<mark data-p="…">` listing those pairs.
//! The script copies the two documents of the clicked pair into the viewer and lights the
//! marks of that pair only, so the page grows with the documents, not with the pairs.

use std::collections::{BTreeSet, HashMap};

use rapporteur::Document;
use rapporteur::screen::{DiversityFlag, PairClass, ScreenPair};

use super::html::Html;
use super::{Report, Section, doc_link, tile};
use crate::output::question_text;

/// Pairs shown in the table (the strongest; the CSV has them all).
const MAX_PAIRS: usize = 500;
/// Bytes of a proposal's text shown beside the other.
const MAX_TEXT: usize = 24_000;

fn class_name(c: Option<PairClass>) -> &'static str {
    match c {
        Some(PairClass::SameProposal) => "same proposal",
        Some(PairClass::StrongOverlap) => "strong overlap",
        Some(PairClass::Related) => "related",
        None => "below threshold",
    }
}

fn class_rank(c: Option<PairClass>) -> usize {
    match c {
        Some(PairClass::SameProposal) => 3,
        Some(PairClass::StrongOverlap) => 2,
        Some(PairClass::Related) => 1,
        None => 0,
    }
}

fn class_css(c: Option<PairClass>) -> &'static str {
    match c {
        Some(PairClass::SameProposal) => "cls same",
        Some(PairClass::StrongOverlap) => "cls strong",
        Some(PairClass::Related) => "cls related",
        None => "cls",
    }
}

fn flag_name(f: DiversityFlag) -> &'static str {
    match f {
        DiversityFlag::SingleStakeholderGroup => "one stakeholder group",
        DiversityFlag::SingleRegion => "one regional group",
        DiversityFlag::SingleStakeholderGroupAndRegion => "one stakeholder group and one region",
        DiversityFlag::NotRecorded => "groups and regions not recorded",
    }
}

impl Report<'_> {
    pub(super) fn screening(&self) -> Option<Section> {
        let sc = self.screening?;
        let docs = self.documents_by_id();
        let rows = self.row_numbers();
        let mut h = Html::default();
        h.raw("<p class=\"lead\">Proposals that overlap: <b>same proposal</b> (a version or a resubmission), <b>strong overlap</b> (the proposers could be asked to merge), <b>related</b> (same subject: they could coordinate). Click a column to sort, type to filter, and click a pair to read both proposals side by side, the passages they share marked.</p>\n<div class=\"tiles\">");
        for class in [
            PairClass::SameProposal,
            PairClass::StrongOverlap,
            PairClass::Related,
        ] {
            let n = sc.pairs.iter().filter(|p| p.class == Some(class)).count();
            tile(
                &mut h,
                match class {
                    PairClass::SameProposal => "same proposal",
                    PairClass::StrongOverlap => "strong overlap",
                    PairClass::Related => "related",
                },
                |h| {
                    h.int(n);
                },
            );
        }
        tile(&mut h, "merge-candidate groups", |h| {
            h.int(sc.groups.len());
        });
        tile(&mut h, "panels flagged for diversity", |h| {
            h.int(sc.diversity.iter().filter(|d| d.flag.is_some()).count());
        });
        h.raw("</div>\n");

        let pairs: Vec<&ScreenPair> = sc.pairs.iter().take(MAX_PAIRS).collect();
        // Number each document of a shown pair, in order of first appearance.
        let mut doc_no: HashMap<&str, usize> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for p in &pairs {
            for id in [&*p.a, &*p.b] {
                if !doc_no.contains_key(id) {
                    doc_no.insert(id, order.len() + 1);
                    order.push(id);
                }
            }
        }
        if pairs.is_empty() {
            h.raw("<p class=\"muted\">No pair of proposals overlaps enough to be flagged.</p>\n");
        } else {
            h.raw("<input type=\"search\" class=\"filter\" placeholder=\"Filter pairs…\" aria-label=\"Filter pairs\" data-filter=\"pairs-table\"> <span class=\"count\" data-count=\"pairs-table\"></span>\n<div class=\"scroll tall\"><table id=\"pairs-table\" class=\"sortable pairs\" data-view=\"pair-view\"><thead><tr><th data-type=\"num\">#</th><th data-type=\"num\">Class</th><th data-type=\"num\">Score</th><th>Proposal A</th><th>Proposal B</th><th>Shared people</th></tr></thead><tbody>\n");
            for (n, p) in pairs.iter().enumerate() {
                h.raw("<tr class=\"pair\" tabindex=\"0\" data-pair=\"")
                    .int(n + 1)
                    .raw("\" data-a=\"d-")
                    .int(doc_no[&*p.a])
                    .raw("\" data-b=\"d-")
                    .int(doc_no[&*p.b])
                    .raw("\" data-signals=\"");
                let s = &p.signals;
                h.raw("topic ")
                    .num(f64::from(s.topic), 2)
                    .raw(" · shared text ")
                    .num(f64::from(s.shared_text), 2)
                    .raw(" · title ")
                    .num(f64::from(s.title), 2)
                    .raw(" · questions ")
                    .num(f64::from(s.policy_questions), 2)
                    .raw(" · people ")
                    .num(f64::from(s.people), 2);
                if !p.shared_organisations.is_empty() {
                    h.raw(" · shared organisations: ")
                        .text(&p.shared_organisations.join(", "));
                }
                h.raw("\"><td>")
                    .int(n + 1)
                    .raw("</td><td data-sort=\"")
                    .int(class_rank(p.class))
                    .raw("\"><span class=\"")
                    .raw(class_css(p.class))
                    .raw("\">")
                    .raw(class_name(p.class))
                    .raw("</span></td><td>")
                    .num(f64::from(p.score), 2)
                    .raw("</td><td>");
                side_cell(&mut h, &p.a, &p.a_title, p.a_year);
                h.raw("</td><td>");
                side_cell(&mut h, &p.b, &p.b_title, p.b_year);
                h.raw("</td><td>")
                    .text(&p.shared_people.join(", "))
                    .raw("</td></tr>\n");
            }
            h.raw("</tbody></table></div>\n");
            if sc.pairs.len() > pairs.len() {
                h.raw("<p class=\"muted\">The ")
                    .int(pairs.len())
                    .raw(" strongest of ")
                    .int(sc.pairs.len())
                    .raw(" pairs are shown; screen.csv lists them all.</p>\n");
            }
            h.raw("<div id=\"pair-view\" class=\"pairview\" hidden><div class=\"pv-head\"><h3 class=\"pv-title\"></h3><button type=\"button\" class=\"pv-close\">Close</button></div><p class=\"pv-meta muted\"></p><div class=\"pv-cols\"><div class=\"pv-col\" data-side=\"a\"></div><div class=\"pv-col\" data-side=\"b\"></div></div></div>\n");
            // The document store.
            h.raw("<div class=\"docstore\" hidden>\n");
            let marks = evidence_ranges(&pairs, &docs);
            for id in &order {
                let no = doc_no[id];
                h.raw("<article class=\"pdoc\" id=\"d-").int(no).raw("\">");
                match docs.get(id) {
                    Some(d) => {
                        proposal_text(&mut h, d, marks.get(id).map_or(&[][..], Vec::as_slice))
                    }
                    None => {
                        h.raw("<h4>")
                            .text(id)
                            .raw("</h4><p class=\"muted\">Text not in the index.</p>");
                    }
                }
                h.raw("</article>\n");
            }
            h.raw("</div>\n");
        }

        h.raw("<h3 class=\"sub\" id=\"merge-candidates\">Merge candidates</h3>\n");
        if sc.groups.is_empty() {
            h.raw(
                "<p class=\"muted\">No group of proposals overlaps strongly enough to merge.</p>\n",
            );
        } else {
            let groups = |h: &mut Html, groups: &[Vec<String>]| {
                h.raw("<ol class=\"groups\">");
                for g in groups {
                    h.raw("<li>");
                    for (i, id) in g.iter().enumerate() {
                        if i > 0 {
                            h.raw(" <span class=\"muted\">+</span> ");
                        }
                        doc_link(h, id, &docs, &rows);
                        if let Some(y) = docs.get(id.as_str()).and_then(|d| d.year) {
                            h.raw(" <small>").int(y).raw("</small>");
                        }
                    }
                    h.raw("</li>");
                }
                h.raw("</ol>\n");
            };
            match &sc.by_question {
                None => {
                    h.raw("<p class=\"lead\">Proposals linked by strong overlaps: each group could become one session.</p>");
                    groups(&mut h, &sc.groups);
                }
                Some(by) => {
                    h.raw("<p class=\"lead\">Proposals placed on the same policy question (or emergent theme) and linked by strong overlaps: each group could become one session.</p>\n");
                    for c in &by.clusters {
                        h.raw("<h4>").text(&c.cluster).raw(": ");
                        match c.is_question {
                            true => h.text(&question_text(self.questions, &c.cluster)),
                            false => h.raw("emergent theme (").text(&c.label).raw(")"),
                        }
                        .raw(" <small class=\"muted\">")
                        .int(c.proposals)
                        .raw(" proposals placed here</small></h4>");
                        groups(&mut h, &c.groups);
                    }
                    if !by.across.is_empty() {
                        h.raw("<h4>Across questions</h4><p class=\"muted\">Strong overlaps between proposals placed on different questions: is one filed under the wrong question?</p>");
                        let links: Vec<Vec<String>> =
                            by.across.iter().map(|l| l.to_vec()).collect();
                        groups(&mut h, &links);
                    }
                }
            }
        }

        h.raw("<h3 class=\"sub\">Panel diversity</h3>\n");
        let flagged: Vec<_> = sc.diversity.iter().filter(|d| d.flag.is_some()).collect();
        if flagged.is_empty() {
            h.raw("<p class=\"muted\">None of the ")
                .int(sc.diversity.len())
                .raw(" panels is drawn from a single stakeholder group or a single region.</p>\n");
        } else {
            h.raw("<p class=\"lead\">")
                .int(flagged.len())
                .raw(" of ")
                .int(sc.diversity.len())
                .raw(" panels are drawn from one stakeholder group or one region (or record neither).</p>\n<div class=\"scroll\"><table id=\"diversity-table\" class=\"sortable\"><thead><tr><th>Proposal</th><th>Flag</th><th>Stakeholder groups</th><th>Regions</th></tr></thead><tbody>\n");
            for d in flagged {
                h.raw("<tr><td>");
                doc_link(&mut h, &d.id, &docs, &rows);
                h.raw("</td><td><span class=\"cls flag\">")
                    .raw(d.flag.map_or("", flag_name))
                    .raw("</span></td><td>");
                let groups: Vec<&str> = d.stakeholder_groups.iter().map(|g| g.as_str()).collect();
                let regions: Vec<&str> = d.regions.iter().map(|r| r.as_str()).collect();
                h.text(&groups.join(", "))
                    .raw("</td><td>")
                    .text(&regions.join(", "))
                    .raw("</td></tr>\n");
            }
            h.raw("</tbody></table></div>\n");
        }
        Some(Section {
            id: "screening",
            title: "Screening",
            body: h,
        })
    }
}

/// A pair's side in the table: title, then year and id.
fn side_cell(h: &mut Html, id: &str, title: &str, year: Option<u16>) {
    h.text(if title.is_empty() { id } else { title })
        .raw("<br><small>");
    if let Some(y) = year {
        h.int(y).raw(" · ");
    }
    h.text(id).raw("</small>");
}

/// Byte ranges of each document's text that are evidence, with the pairs (numbered from 1)
/// they are evidence for.
fn evidence_ranges<'a>(
    pairs: &[&'a ScreenPair],
    docs: &HashMap<&str, &Document>,
) -> HashMap<&'a str, Vec<(usize, usize, usize)>> {
    let mut out: HashMap<&str, Vec<(usize, usize, usize)>> = HashMap::new();
    for (n, p) in pairs.iter().enumerate() {
        for e in &p.evidence {
            for (id, passage) in [(&*p.a, &e.a_text), (&*p.b, &e.b_text)] {
                let Some(d) = docs.get(id) else { continue };
                if let Some((start, end)) = find_collapsed(&d.text, passage) {
                    out.entry(id).or_default().push((start, end, n + 1));
                }
            }
        }
    }
    out
}

/// Where `needle` (whitespace collapsed) occurs in `hay` with any white space between its
/// words: the byte range in `hay`.
fn find_collapsed(hay: &str, needle: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = needle.split_whitespace().collect();
    let first = *words.first()?;
    let mut from = 0;
    while let Some(at) = hay[from..].find(first) {
        let start = from + at;
        let mut pos = start + first.len();
        let mut ok = true;
        for w in &words[1..] {
            let rest = &hay[pos..];
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() || !trimmed.starts_with(w) {
                ok = false;
                break;
            }
            pos += rest.len() - trimmed.len() + w.len();
        }
        if ok {
            return Some((start, pos));
        }
        from = start + first.len();
    }
    None
}

/// A proposal in the document store: title, team, text with its evidence marked.
fn proposal_text(h: &mut Html, d: &Document, marks: &[(usize, usize, usize)]) {
    h.raw("<h4>")
        .text(if d.title.is_empty() { &d.id } else { &d.title })
        .raw("</h4><p class=\"muted\">");
    if let Some(y) = d.year {
        h.int(y).raw(" · ");
    }
    h.text(&d.id);
    let people: BTreeSet<&str> = d.people().filter_map(|p| p.name.as_deref()).collect();
    if !people.is_empty() {
        h.raw(" · ")
            .text(&people.into_iter().collect::<Vec<_>>().join(", "));
    }
    h.raw("</p><div class=\"ptext\">");
    let mut end = d.text.len().min(MAX_TEXT);
    while !d.text.is_char_boundary(end) {
        end -= 1;
    }
    // Cut points, and the pairs covering each stretch between them.
    let mut cuts: BTreeSet<usize> = [0, end].into();
    for &(a, b, _) in marks {
        if a < end {
            cuts.insert(a);
            cuts.insert(b.min(end));
        }
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let covering: BTreeSet<usize> = marks
            .iter()
            .filter(|&&(s, e, _)| s <= a && b <= e)
            .map(|&(_, _, n)| n)
            .collect();
        if covering.is_empty() {
            h.text(&d.text[a..b]);
        } else {
            h.raw("<mark data-p=\"");
            h.join(covering.iter(), " ", |h, n| {
                h.int(*n);
            });
            h.raw("\">").text(&d.text[a..b]).raw("</mark>");
        }
    }
    if end < d.text.len() {
        h.raw(" <span class=\"muted\">[…]</span>");
    }
    h.raw("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_found_across_line_breaks() {
        let hay = "Title\n\nSeveral  platforms\nhave shifted. Then more.";
        let (a, b) = find_collapsed(hay, "Several platforms have shifted.").unwrap();
        assert_eq!(&hay[a..b], "Several  platforms\nhave shifted.");
        assert_eq!(find_collapsed(hay, "Several platforms stayed."), None);
        assert_eq!(find_collapsed(hay, ""), None);
    }
}

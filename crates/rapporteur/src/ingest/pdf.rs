//! PDFs (`.pdf`): one document each, from the text layer, with page numbers kept.
//!
//! The file is parsed with `lopdf` (pure Rust). Each page's content stream is interpreted for
//! its text: the text and graphics matrices give every string a position and a size, fonts
//! give the character codes their Unicode text (`ToUnicode` maps, standard and difference
//! encodings) and their widths. Strings are then laid out as a reader would:
//!
//! - pieces on one baseline are joined into lines, with a space where there is a gap;
//! - a page in two columns (a vertical gutter in the middle crossed only by full-width lines
//!   such as titles) is read column by column;
//! - lines further apart than the usual line spacing, or in another font size, start a new
//!   paragraph (a blank line);
//! - a word hyphenated at the end of a line is joined again (`inter-` + `national` →
//!   `international`) when the next line goes on in lower case;
//! - running headers and footers (the same line at the top or bottom of most pages) and page
//!   numbers are left out.
//!
//! The document's `extra.pages` lists `{"page": n, "start": offset}`: the byte offset in
//! `text` where each page with text begins, for provenance. The title is the largest text at
//! the top of the first page (else the PDF's own title, unless it is a file name). A PDF
//! without any text (a scan) is skipped and listed with the reason; pages without text in a
//! PDF that has some, and pages that cannot be read, are noted. A file that is not a readable
//! PDF is a bad record naming the file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document as Pdf, Encoding, Object, ObjectId};
use serde_json::{Value, json};

use super::normalize::normalize_text;
use super::{Problem, Run, form, text};

/// Reads one PDF; returns the bytes read.
pub(super) fn read(
    path: &Path,
    root: Option<&Path>,
    run: &mut Run<'_>,
) -> Result<u64, crate::Error> {
    let Some(bytes) = text::read_whole(path, run)? else {
        return Ok(std::fs::metadata(path).map_or(0, |m| m.len()));
    };
    let len = bytes.len() as u64;
    let at = path.display().to_string();
    let pdf = match extract(&bytes) {
        Ok(pdf) => pdf,
        Err(message) => {
            run.fail(path, None, Problem::Unreadable(message))?;
            return Ok(len);
        }
    };
    if pdf.text.is_empty() {
        run.skip(
            at,
            format!(
                "no text layer on any of its {} pages (a scanned PDF?): not indexed; \
                 run OCR on it (e.g. ocrmypdf) and index the result",
                pdf.page_count
            ),
        );
        return Ok(len);
    }
    let mut fields = text::file_fields(path, root);
    if !form::starts_with_title_line(&pdf.text)
        && let Some(title) = pdf.title
    {
        fields.insert("title".into(), Value::String(title));
    }
    let pages: Vec<Value> = pdf
        .pages
        .iter()
        .map(|(page, start)| json!({"page": page, "start": start}))
        .collect();
    fields.insert("pages".into(), Value::Array(pages));
    fields.insert("text".into(), Value::String(pdf.text));
    let kept_before = run.summary.documents;
    run.record(path, None, fields)?;
    if run.summary.documents > kept_before {
        if !pdf.empty_pages.is_empty() {
            run.note(
                at.clone(),
                format!(
                    "{} of {} pages have no text layer (scanned?), their text is missing: {}",
                    pdf.empty_pages.len(),
                    pdf.page_count,
                    page_list(&pdf.empty_pages)
                ),
            );
        }
        for (page, message) in pdf.page_errors {
            run.note(
                at.clone(),
                format!("page {page} could not be read: {message}"),
            );
        }
    }
    Ok(len)
}

/// "3, 5, 7 … (12 pages)" for long lists.
fn page_list(pages: &[u32]) -> String {
    let shown: Vec<String> = pages.iter().take(10).map(u32::to_string).collect();
    if pages.len() > 10 {
        format!("pages {} …", shown.join(", "))
    } else {
        format!("pages {}", shown.join(", "))
    }
}

/// The text of a PDF and where its pages start.
#[derive(Debug, Default)]
struct Extracted {
    /// The whole text, normalised (so that record conversion leaves it, and the offsets, as
    /// they are).
    text: String,
    /// (page number, byte offset in `text`) for each page with text.
    pages: Vec<(u32, usize)>,
    /// Title from the first page's largest text, or the PDF's own.
    title: Option<String>,
    /// Pages in the file.
    page_count: usize,
    /// Pages without text.
    empty_pages: Vec<u32>,
    /// Pages that could not be read, with the reason.
    page_errors: Vec<(u32, String)>,
}

fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    if !bytes[..bytes.len().min(1024)]
        .windows(4)
        .any(|w| w == b"%PDF")
    {
        return Err("not a PDF (the file does not start with %PDF)".into());
    }
    let doc = Pdf::load_mem(bytes).map_err(|e| format!("not a readable PDF: {e}"))?;
    let page_ids = doc.get_pages();
    if page_ids.is_empty() {
        return Err("not a readable PDF: no pages found".into());
    }
    let mut out = Extracted {
        page_count: page_ids.len(),
        ..Extracted::default()
    };
    let mut pages: Vec<(u32, Vec<Line>)> = Vec::with_capacity(page_ids.len());
    for (&number, &id) in &page_ids {
        match page_lines(&doc, id) {
            Ok(lines) if lines.iter().any(|l| !l.text.trim().is_empty()) => {
                pages.push((number, lines));
            }
            Ok(_) => out.empty_pages.push(number),
            Err(e) => out.page_errors.push((number, e)),
        }
    }
    out.title = pages
        .first()
        .filter(|(n, _)| *n == 1)
        .and_then(|(_, lines)| title_of(lines))
        .or_else(|| info_title(&doc));
    drop_running_lines(&mut pages);
    for (number, lines) in pages {
        let (page_text, _) = normalize_text(&join_lines(&lines));
        if page_text.is_empty() {
            out.empty_pages.push(number);
            continue;
        }
        // A page that opens with the line the previous one closed with would lose that line
        // to normalisation (repeated lines); drop it here so that offsets stay exact.
        let last = out.text.lines().last().unwrap_or("").to_string();
        let page_text = match page_text.split_once('\n') {
            Some((first, rest)) if !last.is_empty() && first == last => rest.trim_start(),
            None if page_text == last => continue,
            _ => page_text.as_str(),
        };
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
        }
        out.pages.push((number, out.text.len()));
        out.text.push_str(page_text);
    }
    out.empty_pages.sort_unstable();
    Ok(out)
}

/// The PDF's `/Title`, unless it is empty or a file name.
fn info_title(doc: &Pdf) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let (_, info) = doc.dereference(info).ok()?;
    let title = info.as_dict().ok()?.get(b"Title").ok()?;
    let (_, title) = doc.dereference(title).ok()?;
    let title = lopdf::decode_text_string(title).ok()?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = title.to_lowercase();
    let file_like = [".doc", ".docx", ".pdf", ".odt", ".indd", ".ppt", ".pptx"]
        .iter()
        .any(|e| lower.ends_with(e))
        || lower.starts_with("microsoft word")
        || lower == "untitled";
    (!title.is_empty() && !file_like).then_some(title)
}

/// Title: the lines in the largest size on the first page, when that size stands out.
fn title_of(lines: &[Line]) -> Option<String> {
    let lines: Vec<&Line> = lines.iter().filter(|l| !l.text.trim().is_empty()).collect();
    let mut sizes: Vec<f32> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let median = sizes[sizes.len() / 2];
    let max = *sizes.last()?;
    if max < median * 1.2 {
        return None;
    }
    let first = lines.iter().position(|l| l.size >= max * 0.95)?;
    let title: Vec<&str> = lines[first..]
        .iter()
        .take_while(|l| l.size >= max * 0.95)
        .take(3)
        .map(|l| l.text.trim())
        .collect();
    let title = title.join(" ");
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty() && title.chars().count() <= 300).then_some(title)
}

// ---- page content: positioned strings ----

/// A string shown on a page: its start and end on the baseline, and its size.
#[derive(Debug, Clone)]
struct Piece {
    x: f32,
    x_end: f32,
    y: f32,
    size: f32,
    text: String,
}

/// A font's encoding and glyph widths (in thousandths of the font size).
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    first_char: u32,
    widths: Vec<f32>,
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
}

impl Font<'_> {
    fn width(&self, code: u32) -> f32 {
        if self.two_byte {
            return self
                .cid_widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width);
        }
        code.checked_sub(self.first_char)
            .and_then(|i| self.widths.get(i as usize))
            .copied()
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default_width)
    }
}

fn num(o: &Object) -> Option<f32> {
    o.as_float().ok().filter(|f| f.is_finite())
}

fn load_font<'a>(doc: &'a Pdf, dict: &'a Dictionary) -> Font<'a> {
    let get = |d: &'a Dictionary, key: &[u8]| -> Option<&'a Object> {
        let o = d.get(key).ok()?;
        doc.dereference(o).ok().map(|(_, o)| o)
    };
    let two_byte = dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"Type0");
    let mut font = Font {
        encoding: dict.get_font_encoding(doc).ok(),
        two_byte,
        first_char: get(dict, b"FirstChar")
            .and_then(|o| o.as_i64().ok())
            .map_or(0, |c| c.clamp(0, 65_535) as u32),
        widths: get(dict, b"Widths")
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .map(|w| {
                        doc.dereference(w)
                            .ok()
                            .and_then(|(_, w)| num(w))
                            .unwrap_or(0.0)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        cid_widths: HashMap::new(),
        default_width: 500.0,
    };
    if two_byte
        && let Some(desc) = get(dict, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|d| doc.dereference(d).ok())
            .and_then(|(_, d)| d.as_dict().ok())
    {
        font.default_width = get(desc, b"DW").and_then(num).unwrap_or(1000.0);
        if let Some(w) = get(desc, b"W").and_then(|o| o.as_array().ok()) {
            cid_widths(w, &mut font.cid_widths);
        }
    }
    font
}

/// Reads a CID font's `/W` array: `c [w1 w2 …]` and `c_first c_last w` entries.
fn cid_widths(w: &[Object], out: &mut HashMap<u32, f32>) {
    let mut i = 0;
    while i + 1 < w.len() {
        let Some(first) = num(&w[i]).map(|f| f as u32) else {
            return;
        };
        match &w[i + 1] {
            Object::Array(ws) => {
                for (k, width) in ws.iter().enumerate().take(65_536) {
                    if let Some(width) = num(width) {
                        out.insert(first + k as u32, width);
                    }
                }
                i += 2;
            }
            last => {
                let (Some(last), Some(width)) = (num(last), w.get(i + 2).and_then(num)) else {
                    return;
                };
                for c in first..=(last as u32).min(first + 65_536) {
                    out.insert(c, width);
                }
                i += 3;
            }
        }
    }
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` for PDF matrices (row vectors: a point is transformed by `a`, then `b`).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

/// The text state while a content stream is interpreted.
struct State {
    ctm: Matrix,
    tm: Matrix,
    tlm: Matrix,
    font: Option<Vec<u8>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

/// The strings a page shows, in content order, with positions.
fn page_pieces(doc: &Pdf, page: ObjectId) -> Result<Vec<Piece>, String> {
    let fonts: BTreeMap<Vec<u8>, Font> = doc
        .get_page_fonts(page)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(name, dict)| (name, load_font(doc, dict)))
        .collect();
    let data = doc.get_page_content(page).map_err(|e| e.to_string())?;
    let content = Content::decode(&data).map_err(|e| format!("content stream: {e}"))?;
    let mut pieces = Vec::new();
    let mut st = State {
        ctm: IDENTITY,
        tm: IDENTITY,
        tlm: IDENTITY,
        font: None,
        size: 12.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        scale: 1.0,
        leading: 0.0,
        rise: 0.0,
    };
    let mut saved: Vec<Matrix> = Vec::new();
    for op in &content.operations {
        let n = |i: usize| op.operands.get(i).and_then(num);
        match op.operator.as_str() {
            "q" if saved.len() < 1024 => saved.push(st.ctm),
            "Q" => st.ctm = saved.pop().unwrap_or(st.ctm),
            "cm" => {
                if let Some(m) = matrix(&op.operands) {
                    st.ctm = mul(&m, &st.ctm);
                }
            }
            "BT" => {
                st.tm = IDENTITY;
                st.tlm = IDENTITY;
            }
            "Tf" => {
                st.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec);
                st.size = n(1).unwrap_or(st.size);
            }
            "Tc" => st.char_spacing = n(0).unwrap_or(0.0),
            "Tw" => st.word_spacing = n(0).unwrap_or(0.0),
            "Tz" => st.scale = n(0).unwrap_or(100.0) / 100.0,
            "TL" => st.leading = n(0).unwrap_or(0.0),
            "Ts" => st.rise = n(0).unwrap_or(0.0),
            "Td" | "TD" => {
                let (tx, ty) = (n(0).unwrap_or(0.0), n(1).unwrap_or(0.0));
                if op.operator == "TD" {
                    st.leading = -ty;
                }
                st.tlm = mul(&translate(tx, ty), &st.tlm);
                st.tm = st.tlm;
            }
            "Tm" => {
                if let Some(m) = matrix(&op.operands) {
                    st.tlm = m;
                    st.tm = m;
                }
            }
            "T*" => next_line(&mut st),
            "Tj" => show(&fonts, &mut st, op.operands.first(), &mut pieces),
            "'" => {
                next_line(&mut st);
                show(&fonts, &mut st, op.operands.first(), &mut pieces);
            }
            "\"" => {
                st.word_spacing = n(0).unwrap_or(st.word_spacing);
                st.char_spacing = n(1).unwrap_or(st.char_spacing);
                next_line(&mut st);
                show(&fonts, &mut st, op.operands.get(2), &mut pieces);
            }
            "TJ" => {
                let Some(items) = op.operands.first().and_then(|o| o.as_array().ok()) else {
                    continue;
                };
                for item in items {
                    match item {
                        Object::String(..) => show(&fonts, &mut st, Some(item), &mut pieces),
                        other => {
                            if let Some(adj) = num(other) {
                                let tx = -adj / 1000.0 * st.size * st.scale;
                                st.tm = mul(&translate(tx, 0.0), &st.tm);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(pieces)
}

fn matrix(operands: &[Object]) -> Option<Matrix> {
    if operands.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, o) in m.iter_mut().zip(operands) {
        *slot = num(o)?;
    }
    Some(m)
}

fn next_line(st: &mut State) {
    st.tlm = mul(&translate(0.0, -st.leading), &st.tlm);
    st.tm = st.tlm;
}

/// Shows one string: records it as a piece and advances the text matrix.
fn show(
    fonts: &BTreeMap<Vec<u8>, Font>,
    st: &mut State,
    operand: Option<&Object>,
    out: &mut Vec<Piece>,
) {
    let Some(Object::String(bytes, _)) = operand else {
        return;
    };
    let font = st.font.as_ref().and_then(|f| fonts.get(f));
    let two_byte = font.is_some_and(|f| f.two_byte);
    let codes: Vec<u32> = if two_byte {
        bytes
            .chunks(2)
            .map(|c| c.iter().fold(0u32, |acc, b| acc * 256 + u32::from(*b)))
            .collect()
    } else {
        bytes.iter().map(|b| u32::from(*b)).collect()
    };
    let mut advance = 0.0;
    for &code in &codes {
        let w = font.map_or(500.0, |f| f.width(code)) / 1000.0 * st.size;
        let spacing = st.char_spacing
            + if !two_byte && code == 32 {
                st.word_spacing
            } else {
                0.0
            };
        advance += (w + spacing) * st.scale;
    }
    let text = match font.and_then(|f| f.encoding.as_ref()) {
        Some(enc) => Pdf::decode_text(enc, bytes).unwrap_or_default(),
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    let m = mul(&st.tm, &st.ctm);
    let start = (m[2] * st.rise + m[4], m[3] * st.rise + m[5]);
    let end = (
        advance * m[0] + m[2] * st.rise + m[4],
        advance * m[1] + m[3] * st.rise + m[5],
    );
    let size = (st.size * m[2].hypot(m[3])).abs();
    st.tm = mul(&translate(advance, 0.0), &st.tm);
    let text: String = text.chars().filter(|c| *c != '\u{0}').collect();
    if text.is_empty() || !start.0.is_finite() || !start.1.is_finite() {
        return;
    }
    out.push(Piece {
        x: start.0.min(end.0),
        x_end: start.0.max(end.0),
        y: start.1,
        size: if size > 0.1 {
            size
        } else {
            st.size.abs().max(1.0)
        },
        text,
    });
}

// ---- layout: pieces → lines → text ----

/// A line of text as read: its baseline, size and horizontal extent.
#[derive(Debug, Clone)]
struct Line {
    x: f32,
    x_end: f32,
    y: f32,
    size: f32,
    text: String,
}

/// A page's lines in reading order; a blank `text` marks a paragraph break.
fn page_lines(doc: &Pdf, page: ObjectId) -> Result<Vec<Line>, String> {
    let pieces = page_pieces(doc, page)?;
    Ok(layout(pieces))
}

/// Joins pieces on one baseline that are close together (less than one em apart).
fn fragments(mut pieces: Vec<Piece>) -> Vec<Line> {
    pieces.retain(|p| !p.text.trim().is_empty() || p.text.contains(' '));
    pieces.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    // Cluster baselines first (pieces of a line may differ by a fraction of a point).
    let mut rows: Vec<Vec<Piece>> = Vec::new();
    for p in pieces {
        match rows.last_mut() {
            Some(row) if (row[0].y - p.y).abs() < 0.4 * row[0].size.max(p.size) => row.push(p),
            _ => rows.push(vec![p]),
        }
    }
    let mut out = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut current: Option<Line> = None;
        for p in row {
            if let Some(line) = current.as_mut() {
                let gap = p.x - line.x_end;
                if gap < line.size.max(p.size) {
                    let space = gap > 0.15 * p.size
                        && !line.text.ends_with(char::is_whitespace)
                        && !p.text.starts_with(char::is_whitespace);
                    if space {
                        line.text.push(' ');
                    }
                    line.text.push_str(&p.text);
                    line.x_end = line.x_end.max(p.x_end);
                    line.size = line.size.max(p.size);
                    continue;
                }
                out.push(current.take().expect("a current line"));
            }
            current = Some(Line {
                x: p.x,
                x_end: p.x_end,
                y: p.y,
                size: p.size,
                text: p.text,
            });
        }
        out.extend(current);
    }
    out.retain(|l| !l.text.trim().is_empty());
    out
}

/// The x of a column gutter: a vertical strip in the middle of the text crossed by few
/// fragments, with at least three column-wide fragments on each side.
fn gutter(frags: &[Line]) -> Option<f32> {
    if frags.len() < 6 {
        return None;
    }
    let left = frags.iter().map(|f| f.x).fold(f32::INFINITY, f32::min);
    let right = frags
        .iter()
        .map(|f| f.x_end)
        .fold(f32::NEG_INFINITY, f32::max);
    let width = right - left;
    if width.is_nan() || width <= 50.0 {
        return None;
    }
    const BINS: usize = 100;
    let mut cover = [0usize; BINS];
    for f in frags {
        let a = (((f.x - left) / width) * BINS as f32) as usize;
        let b = (((f.x_end - left) / width) * BINS as f32).ceil() as usize;
        for c in cover.iter_mut().take(b.min(BINS)).skip(a.min(BINS)) {
            *c += 1;
        }
    }
    let limit = (frags.len() / 10).max(2);
    // The longest stretch of nearly uncovered bins between 30 % and 70 % of the width.
    let (mut best, mut run_start) = (None::<(usize, usize)>, None::<usize>);
    for (i, &c) in cover.iter().enumerate().take(71).skip(30) {
        if c <= limit {
            let s = *run_start.get_or_insert(i);
            if best.is_none_or(|(bs, be)| i + 1 - s > be - bs) {
                best = Some((s, i + 1));
            }
        } else {
            run_start = None;
        }
    }
    let (s, e) = best?;
    let x = left + (s + e) as f32 / 2.0 / BINS as f32 * width;
    let lefts: Vec<&Line> = frags.iter().filter(|f| f.x_end <= x).collect();
    let rights: Vec<&Line> = frags.iter().filter(|f| f.x >= x).collect();
    let wide = |side: &[&Line], span: f32| {
        let mut w: Vec<f32> = side.iter().map(|f| f.x_end - f.x).collect();
        w.sort_by(f32::total_cmp);
        side.len() >= 3 && w[w.len() / 2] >= 0.5 * span
    };
    (wide(&lefts, x - left) && wide(&rights, right - x)).then_some(x)
}

/// Orders a page's fragments for reading: column by column between full-width lines.
fn layout(pieces: Vec<Piece>) -> Vec<Line> {
    let frags = fragments(pieces);
    let Some(x) = gutter(&frags) else {
        return paragraphs(merge_rows(frags));
    };
    let mut out = Vec::new();
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for f in frags {
        if f.x_end <= x {
            left.push(f);
        } else if f.x >= x {
            right.push(f);
        } else {
            out.extend(paragraphs(merge_rows(std::mem::take(&mut left))));
            out.extend(paragraphs(merge_rows(std::mem::take(&mut right))));
            out.push(f);
            out.push(blank(&out));
        }
    }
    out.extend(paragraphs(merge_rows(left)));
    out.extend(paragraphs(merge_rows(right)));
    out
}

fn blank(lines: &[Line]) -> Line {
    let last = lines.last();
    Line {
        x: 0.0,
        x_end: 0.0,
        y: last.map_or(0.0, |l| l.y),
        size: last.map_or(1.0, |l| l.size),
        text: String::new(),
    }
}

/// Joins fragments on one baseline (far apart, in one column) with a space.
fn merge_rows(frags: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for f in frags {
        match out.last_mut() {
            Some(l) if (l.y - f.y).abs() < 0.4 * l.size.max(f.size) && f.x >= l.x_end => {
                l.text.push(' ');
                l.text.push_str(&f.text);
                l.x_end = f.x_end;
                l.size = l.size.max(f.size);
            }
            _ => out.push(f),
        }
    }
    out
}

/// Marks paragraph breaks (a blank line) where lines are further apart than usual or change
/// size, and ends a block with one.
fn paragraphs(lines: Vec<Line>) -> Vec<Line> {
    if lines.is_empty() {
        return lines;
    }
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .map(|w| w[0].y - w[1].y)
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f32::total_cmp);
    let usual = gaps.get(gaps.len() / 2).copied();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len() + 8);
    for line in lines {
        if let Some(prev) = out.last().filter(|p| !p.text.is_empty()) {
            let gap = prev.y - line.y;
            let bigger = prev.size.max(line.size);
            let size_change = (prev.size - line.size).abs() > 0.15 * bigger;
            let far = gap > 1.9 * bigger || usual.is_some_and(|u| gap > 1.35 * u && gap > bigger);
            if size_change || far || gap < -bigger {
                let b = blank(&out);
                out.push(b);
            }
        }
        out.push(line);
    }
    let b = blank(&out);
    out.push(b);
    out
}

/// True for a line that is only a page number ("12", "Page 3", "3 / 10", "- 4 -").
fn is_page_number(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    let t = t.strip_prefix("page").unwrap_or(&t).trim();
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    !t.is_empty()
        && t.len() <= 12
        && t.split(|c: char| !c.is_ascii_digit())
            .all(|digits| digits.len() <= 3)
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '/' | 'o' | 'f'))
}

/// Leaves out page numbers and running headers and footers: the first or last line of a
/// page when it is a page number, or when (digits aside) it is the first or last line of at
/// least half the pages (three or more).
fn drop_running_lines(pages: &mut [(u32, Vec<Line>)]) {
    let key = |l: &Line| -> String {
        l.text
            .chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect()
    };
    let edges = |lines: &[Line]| -> [Option<usize>; 2] {
        let first = lines.iter().position(|l| !l.text.trim().is_empty());
        let last = lines.iter().rposition(|l| !l.text.trim().is_empty());
        [first, last]
    };
    let mut counts: HashMap<(usize, String), usize> = HashMap::new();
    for (_, lines) in pages.iter() {
        for (side, i) in edges(lines).into_iter().enumerate() {
            if let Some(i) = i {
                *counts.entry((side, key(&lines[i]))).or_default() += 1;
            }
        }
    }
    let threshold = (pages.len() / 2).max(3);
    for (_, lines) in pages.iter_mut() {
        let mut drop = Vec::new();
        for (side, i) in edges(lines).into_iter().enumerate() {
            let Some(i) = i else { continue };
            let k = key(&lines[i]);
            let repeated = !k.is_empty() && counts.get(&(side, k)).is_some_and(|n| *n >= threshold);
            if is_page_number(&lines[i].text) || repeated {
                drop.push(i);
            }
        }
        drop.sort_unstable();
        drop.dedup();
        for i in drop.into_iter().rev() {
            lines.remove(i);
        }
    }
}

/// Writes lines as text: blank lines as paragraph breaks, and words hyphenated at a line end
/// joined again when the next line goes on in lower case.
fn join_lines(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut pending_blank = false;
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if out.is_empty() {
            out.push_str(t);
            continue;
        }
        if pending_blank {
            out.push_str("\n\n");
            pending_blank = false;
            out.push_str(t);
            continue;
        }
        let hyphenated = (out.ends_with('-') || out.ends_with('\u{ad}'))
            && out.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && t.starts_with(char::is_lowercase);
        if hyphenated {
            out.pop();
            out.push_str(t);
        } else {
            out.push('\n');
            out.push_str(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, StringFormat, dictionary};

    /// A text item: x, y, font size, text.
    type Item<'a> = (f32, f32, f32, &'a str);

    /// Builds a PDF with Helvetica text (ASCII) at the given places, one page per slice.
    fn make_pdf(pages: &[Vec<Item<'_>>]) -> Vec<u8> {
        let mut doc = Pdf::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
        let mut kids = Vec::new();
        for items in pages {
            let mut ops = Vec::new();
            for (x, y, size, text) in items {
                ops.push(lopdf::content::Operation::new("BT", vec![]));
                ops.push(lopdf::content::Operation::new(
                    "Tf",
                    vec!["F1".into(), (*size).into()],
                ));
                ops.push(lopdf::content::Operation::new(
                    "Td",
                    vec![(*x).into(), (*y).into()],
                ));
                ops.push(lopdf::content::Operation::new(
                    "Tj",
                    vec![Object::String(
                        text.as_bytes().to_vec(),
                        StringFormat::Literal,
                    )],
                ));
                ops.push(lopdf::content::Operation::new("ET", vec![]));
            }
            let content = Content { operations: ops }.encode().unwrap();
            let content_id = doc.add_object(Stream::new(dictionary! {}, content));
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            });
            kids.push(page.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// Lines of 10-point text from the top of a page, 12 points apart.
    fn column(x: f32, top: f32, lines: &[&'static str]) -> Vec<Item<'static>> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| (x, top - 12.0 * i as f32, 10.0, *t))
            .collect()
    }

    #[test]
    fn pages_title_hyphenation_and_page_numbers() {
        let mut p1 = vec![(72.0, 740.0, 20.0, "Community Networks Report")];
        p1.extend(column(
            72.0,
            700.0,
            &["Rural operators need inter-", "national support."],
        ));
        p1.push((300.0, 40.0, 9.0, "1"));
        let mut p2 = column(72.0, 700.0, &["Second page text."]);
        p2.push((300.0, 40.0, 9.0, "2"));
        let pdf = extract(&make_pdf(&[p1, p2])).unwrap();
        assert_eq!(
            pdf.text,
            "Community Networks Report\n\nRural operators need international support.\n\nSecond page text."
        );
        assert_eq!(pdf.title.as_deref(), Some("Community Networks Report"));
        let second = pdf.pages[1].1;
        assert_eq!(pdf.pages, vec![(1, 0), (2, second)]);
        assert!(pdf.text[second..].starts_with("Second page"));
        assert_eq!(
            normalize_text(&pdf.text).0,
            pdf.text,
            "offsets survive normalisation"
        );
    }

    #[test]
    fn two_columns_are_read_one_after_the_other() {
        let mut page = vec![(
            72.0,
            740.0,
            10.0,
            "A title line that runs across both columns of the page",
        )];
        page.extend(column(
            72.0,
            700.0,
            &[
                "Left one is here and it goes on",
                "left two is here and it goes on",
                "left three is here and goes on",
                "left four is here and it goes on",
            ],
        ));
        page.extend(column(
            320.0,
            700.0,
            &[
                "Right one is here and goes on",
                "right two is here and goes on",
                "right three is here and it goes",
                "right four is here and goes on",
            ],
        ));
        let pdf = extract(&make_pdf(&[page])).unwrap();
        let left = pdf.text.find("left four").unwrap();
        let right = pdf.text.find("Right one").unwrap();
        assert!(left < right, "{}", pdf.text);
        assert!(pdf.text.starts_with("A title line"), "{}", pdf.text);
    }

    #[test]
    fn form_layout_is_not_taken_for_columns() {
        let page = column(
            72.0,
            700.0,
            &[
                "IGF 2031 WS #5 Solar-powered community networks",
                "Organizer 1: Ana Ruiz, Red Solar",
                "Speaker 1: Kofi Boateng, Civil Society, African Group",
                "Speaker 2: Li Na, Government, Asia-Pacific Group",
                "Policy Question(s)",
                "Who maintains the panels?",
            ],
        );
        let pdf = extract(&make_pdf(&[page])).unwrap();
        assert!(
            pdf.text
                .starts_with("IGF 2031 WS #5 Solar-powered community networks\nOrganizer 1"),
            "{}",
            pdf.text
        );
    }

    #[test]
    fn running_headers_are_dropped() {
        let pages: Vec<Vec<Item>> = (0..4)
            .map(|i| {
                let mut p = vec![(72.0, 760.0, 8.0, "IGF Best Practice Forum 2031 - draft")];
                p.push((72.0, 700.0, 10.0, ["One.", "Two.", "Three.", "Four."][i]));
                p
            })
            .collect();
        let pdf = extract(&make_pdf(&pages)).unwrap();
        assert_eq!(pdf.text, "One.\n\nTwo.\n\nThree.\n\nFour.");
    }

    #[test]
    fn no_text_and_broken_files() {
        let empty = extract(&make_pdf(&[vec![], vec![]])).unwrap();
        assert!(empty.text.is_empty());
        assert_eq!(empty.empty_pages, vec![1, 2]);
        assert!(extract(b"hello").unwrap_err().contains("not a PDF"));
        let good = make_pdf(&[column(72.0, 700.0, &["Some text."])]);
        for cut in [10, good.len() / 3, good.len() / 2, good.len() - 30] {
            // Truncated files are an error or whatever text survives, never a panic.
            let _ = extract(&good[..cut]);
        }
        let mut garbled = good.clone();
        for (i, b) in garbled.iter_mut().enumerate().skip(20) {
            if i % 7 == 0 {
                *b = b'(';
            }
        }
        let _ = extract(&garbled);
    }

    /// Mutations per fixture (40 000 in all ran clean once; a few hundred keep the test quick).
    const MUTATIONS: usize = 300;

    /// Corrupted bytes and cut files are an error or a partial text, never a panic.
    #[test]
    fn mutated_files_never_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/archive");
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut texts = 0;
        for name in ["reports/ws-40-report.pdf", "proposals/ws-77.pdf"] {
            let good = std::fs::read(root.join(name)).unwrap();
            for _ in 0..MUTATIONS {
                let mut bad = good.clone();
                for _ in 0..1 + next() % 4 {
                    let i = (next() % bad.len() as u64) as usize;
                    bad[i] = next() as u8;
                }
                let cut = if next() % 4 == 0 {
                    (next() % bad.len() as u64) as usize
                } else {
                    bad.len()
                };
                if let Ok(pdf) = extract(&bad[..cut]) {
                    texts += usize::from(!pdf.text.is_empty());
                }
            }
        }
        assert!(texts > 0, "mutations should leave some files readable");
    }

    #[test]
    fn page_numbers() {
        for p in ["12", "Page 3", "3 / 10", "- 4 -", "page 2 of 9"] {
            assert!(is_page_number(p), "{p}");
        }
        for p in ["2019", "Section 2", "WS #12"] {
            assert!(!is_page_number(p), "{p}");
        }
    }
}

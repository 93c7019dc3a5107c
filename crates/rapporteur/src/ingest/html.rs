//! Saved web pages (`.html`, `.htm`): one document each, from the page's main text.
//!
//! The page is parsed with `scraper` (html5ever, the browsers' parsing algorithm, so broken
//! markup is read as a browser would). The main text is taken from `<main>` (or
//! `[role=main]`, or a lone `<article>`, else `<body>`), leaving out scripts, styles,
//! navigation, page headers and footers, asides, forms, cookie banners, menus, breadcrumbs and
//! hidden elements. Block elements become lines, headings and paragraphs are set apart by
//! blank lines, list items are written `- item` (or `1. item`), table cells are separated by
//! tabs. The text then goes through the same record conversion as every other input, so an IGF
//! proposal page is read by the proposal-form parser and a session report page by its
//! template headings. The title is the form's title line, else the page's `<h1>`, else its
//! `<title>` without the site name. A `<link rel="canonical">` or `og:url` becomes `source`.
//!
//! Bytes that are not UTF-8 are decoded with the page's declared charset (windows-1252 when it
//! declares none).

use std::path::Path;
use std::sync::OnceLock;

use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

use super::{Problem, Run, form, text};

/// What was taken from one page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Page {
    /// The main text, lines and paragraphs kept.
    pub text: String,
    /// The page title (`<h1>`, else `<title>` without the site name).
    pub title: Option<String>,
    /// The page's canonical address, if it states one.
    pub url: Option<String>,
}

/// Reads one saved page; returns the bytes read.
pub(super) fn read(
    path: &Path,
    root: Option<&Path>,
    run: &mut Run<'_>,
) -> Result<u64, crate::Error> {
    let Some(bytes) = text::read_whole(path, run)? else {
        return Ok(std::fs::metadata(path).map_or(0, |m| m.len()));
    };
    let len = bytes.len() as u64;
    let html = decode(&bytes);
    let depth = nesting_depth(&html);
    if depth > MAX_DEPTH {
        run.fail(
            path,
            None,
            Problem::Unreadable(format!(
                "elements nested {depth} deep (more than {MAX_DEPTH}): not a page a browser \
                 would show, and too costly to parse; save the page again from a browser"
            )),
        )?;
        return Ok(len);
    }
    let page = extract(&html);
    if page.text.trim().is_empty() {
        run.fail(
            path,
            None,
            Problem::Unreadable(
                "no text in the page once scripts, navigation and menus are left out".into(),
            ),
        )?;
        return Ok(len);
    }
    let mut fields = text::file_fields(path, root);
    if !form::starts_with_title_line(&page.text)
        && let Some(title) = page.title
    {
        fields.insert("title".into(), Value::String(title));
    }
    if let Some(url) = page.url {
        fields.insert("source".into(), Value::String(url));
    }
    fields.insert("text".into(), Value::String(page.text));
    run.record(path, None, fields)?;
    Ok(len)
}

/// The deepest element nesting read from a page. The HTML parsing algorithm scans the stack of
/// open elements at block tags, so its time grows with the square of the depth (100,000 nested
/// `<div>`s take half an hour); real pages stay below a hundred.
const MAX_DEPTH: usize = 1024;

/// How deep the page's elements nest, counted on the markup without parsing it: start tags
/// open, end tags close; void elements, self-closing tags and the elements whose end tag may be
/// left out (`<p>`, `<li>`, `<td>`…) are not counted; comments and the content of scripts and
/// styles are skipped.
fn nesting_depth(html: &str) -> usize {
    const NOT_COUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
        "tbody", "thead", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
        "frame", "keygen",
    ];
    const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp", "plaintext"];
    let b = html.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(at) = memchr::memchr(b'<', &b[i..]) {
        i += at + 1;
        let rest = &b[i..];
        if rest.starts_with(b"!--") {
            match memchr::memmem::find(rest, b"-->") {
                Some(end) => i += end + 3,
                None => break,
            }
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_at = i + usize::from(closing);
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        if NOT_COUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let Some(end) = memchr::memchr(b'>', &b[name_at..]).map(|e| name_at + e) else {
            break;
        };
        if b[end - 1] == b'/' {
            continue;
        }
        if RAW.contains(&name.as_str()) {
            // Skip to the element's end tag (any case).
            let mut j = end;
            let found = loop {
                match memchr::memmem::find(&b[j..], b"</") {
                    Some(c) => {
                        let at = j + c + 2;
                        let tag = b.get(at..at + name.len());
                        if tag.is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes())) {
                            break Some(at + name.len());
                        }
                        j = at;
                    }
                    None => break None,
                }
            };
            match found {
                Some(k) => i = k,
                None => break,
            }
            continue;
        }
        i = end + 1;
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// The page as text: UTF-8 if it is, else the declared charset, else windows-1252.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_lowercase();
    let encoding = head
        .find("charset=")
        .map(|i| {
            head[i + 8..]
                .trim_start_matches(['"', '\''])
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .next()
                .unwrap_or("")
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    encoding.decode(bytes).0.into_owned()
}

fn selector(cell: &'static OnceLock<Selector>, css: &str) -> &'static Selector {
    cell.get_or_init(|| Selector::parse(css).expect("a valid built-in selector"))
}

/// Extracts the main text, title and address of a page.
pub fn extract(html: &str) -> Page {
    static MAIN: OnceLock<Selector> = OnceLock::new();
    static ARTICLE: OnceLock<Selector> = OnceLock::new();
    static BODY: OnceLock<Selector> = OnceLock::new();
    static H1: OnceLock<Selector> = OnceLock::new();
    static TITLE: OnceLock<Selector> = OnceLock::new();
    static URL: OnceLock<Selector> = OnceLock::new();

    let doc = Html::parse_document(html);
    let main = doc
        .select(selector(&MAIN, "main, [role=main]"))
        .next()
        .or_else(|| {
            let mut articles = doc.select(selector(&ARTICLE, "article"));
            let first = articles.next();
            first.filter(|_| articles.next().is_none())
        })
        .or_else(|| doc.select(selector(&BODY, "body")).next())
        .unwrap_or_else(|| doc.root_element());

    let mut text = render(main);
    let h1 = doc
        .select(selector(&H1, "h1"))
        .map(|h| one_line(&h.text().collect::<String>()))
        .find(|t| !t.is_empty());
    // A title outside the main region (in a page header) still leads the text.
    if let Some(h1) = &h1
        && !text.contains(h1.as_str())
    {
        text = format!("{h1}\n\n{text}");
    }
    let title = h1.or_else(|| {
        doc.select(selector(&TITLE, "title"))
            .next()
            .map(|t| strip_site_name(&one_line(&t.text().collect::<String>())))
            .filter(|t| !t.is_empty())
    });
    let url = doc
        .select(selector(
            &URL,
            "link[rel=canonical], meta[property='og:url']",
        ))
        .find_map(|e| e.attr("href").or_else(|| e.attr("content")))
        .map(str::trim)
        .filter(|u| u.starts_with("http"))
        .map(str::to_string);
    Page { text, title, url }
}

/// "Title | Internet Governance Forum" → "Title".
fn strip_site_name(title: &str) -> String {
    for sep in [" | ", " – ", " — ", " - "] {
        if let Some((head, _)) = title.rsplit_once(sep)
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    title.to_string()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements left out with everything inside them.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
    "select", "textarea", "iframe", "object", "embed", "svg", "canvas", "dialog", "head", "menu",
];

/// ARIA roles of page furniture.
const SKIPPED_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "dialog",
    "alertdialog",
    "search",
    "menu",
    "menubar",
    "complementary",
];

/// Fragments of class and id names of page furniture.
const SKIPPED_NAMES: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "sidebar",
    "skip-link",
    "visually-hidden",
    "sr-only",
    "social",
    "share",
    "newsletter",
    "popup",
    "modal",
    "menu",
    "navbar",
    "navigation",
    "footer",
    "pager",
];

/// True when an element is page furniture rather than content.
fn is_furniture(el: ElementRef<'_>) -> bool {
    let e = el.value();
    let name = e.name();
    if SKIPPED_TAGS.contains(&name) {
        return true;
    }
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.attr("role")
            .is_some_and(|r| SKIPPED_ROLES.contains(&r.trim().to_ascii_lowercase().as_str()))
        || e.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s.contains("display:none") || s.contains("visibility:hidden")
        })
    {
        return true;
    }
    // A page header is furniture unless it carries the title.
    if name == "header" && !el.descendent_elements().any(|d| d.value().name() == "h1") {
        return true;
    }
    let names = e.classes().chain(e.id()).map(str::to_ascii_lowercase);
    for n in names {
        if n == "nav" || n.starts_with("nav-") || SKIPPED_NAMES.iter().any(|s| n.contains(s)) {
            return true;
        }
    }
    false
}

/// How an element breaks the text flow.
fn block_breaks(name: &str) -> Option<usize> {
    Some(match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre" | "table" | "ul"
        | "ol" | "dl" | "figure" | "hr" | "section" | "article" | "main" => 2,
        "div" | "li" | "tr" | "dt" | "dd" | "figcaption" | "address" | "details" | "summary"
        | "fieldset" | "legend" | "caption" | "header" | "body" | "center" => 1,
        _ => return None,
    })
}

enum Step<'a> {
    Open(ElementRef<'a>),
    Close(ElementRef<'a>),
    Text(&'a str),
}

/// Writes text with HTML whitespace rules: runs of spaces fold to one, block boundaries
/// become line breaks.
#[derive(Default)]
struct Writer {
    out: String,
    breaks: usize,
    space: bool,
    pre: usize,
    /// The next block boundary is a space: an inline field label was just written.
    glue: bool,
}

impl Writer {
    fn block(&mut self, n: usize) {
        if self.glue {
            self.glue = false;
            self.space = true;
            return;
        }
        self.breaks = self.breaks.max(n);
        self.space = false;
    }

    fn text(&mut self, t: &str) {
        if self.pre > 0 {
            self.flush();
            self.out.push_str(t);
            return;
        }
        let mut words = t.split_whitespace().peekable();
        if t.starts_with(char::is_whitespace) {
            self.space = true;
        }
        while let Some(w) = words.next() {
            self.flush();
            self.out.push_str(w);
            self.space = words.peek().is_some();
        }
        if t.ends_with(char::is_whitespace) && !t.trim().is_empty() {
            self.space = true;
        }
    }

    /// Emits pending line breaks or a pending space before new text.
    fn flush(&mut self) {
        if self.out.is_empty() {
            self.breaks = 0;
            self.space = false;
            return;
        }
        if self.breaks > 0 {
            while self.out.ends_with(' ') {
                self.out.pop();
            }
            for _ in 0..self.breaks {
                self.out.push('\n');
            }
        } else if self.space && !self.out.ends_with([' ', '\n', '\t']) {
            self.out.push(' ');
        }
        self.breaks = 0;
        self.space = false;
        self.glue = false;
    }
}

/// A field label shown on the line of its value (`<div class="field__label">Organizer
/// 1:</div><div class="field__item">…</div>` in an inline field, or a label ending in `:`).
fn is_inline_label(el: ElementRef<'_>, out: &str) -> bool {
    let has = |e: ElementRef<'_>, part: &str| {
        e.value()
            .classes()
            .any(|c| c.to_ascii_lowercase().contains(part))
    };
    has(el, "label")
        && (out.trim_end().ends_with(':')
            || el
                .parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| has(p, "inline")))
}

/// The text of an element's content, furniture left out. Iterative, so deeply nested markup
/// cannot exhaust the stack.
fn render(root: ElementRef<'_>) -> String {
    let mut w = Writer::default();
    // Item counters of the open lists: `None` for `ul`, the next number for `ol`.
    let mut lists: Vec<Option<u32>> = Vec::new();
    let mut stack = vec![Step::Open(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Text(t) => w.text(t),
            Step::Open(el) => {
                if el != root && is_furniture(el) {
                    continue;
                }
                let name = el.value().name();
                if let Some(n) = block_breaks(name) {
                    w.block(n);
                }
                match name {
                    "br" => w.block(1),
                    "td" | "th" if w.breaks == 0 && !w.out.is_empty() && !w.out.ends_with('\n') => {
                        while w.out.ends_with(' ') {
                            w.out.pop();
                        }
                        w.out.push('\t');
                        w.space = false;
                    }
                    "ul" => lists.push(None),
                    "ol" => lists.push(Some(
                        el.value()
                            .attr("start")
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(1),
                    )),
                    "li" => {
                        let marker = match lists.last_mut() {
                            Some(Some(n)) => {
                                *n += 1;
                                format!("{}. ", *n - 1)
                            }
                            _ => "- ".to_string(),
                        };
                        w.flush();
                        w.out.push_str(&marker);
                    }
                    "pre" => w.pre += 1,
                    "img" => {
                        if let Some(alt) = el.value().attr("alt").filter(|a| !a.trim().is_empty()) {
                            w.text(alt);
                        }
                    }
                    _ => {}
                }
                stack.push(Step::Close(el));
                let children: Vec<_> = el.children().collect();
                for child in children.into_iter().rev() {
                    match child.value() {
                        Node::Element(_) => {
                            if let Some(e) = ElementRef::wrap(child) {
                                stack.push(Step::Open(e));
                            }
                        }
                        Node::Text(t) => stack.push(Step::Text(t)),
                        _ => {}
                    }
                }
            }
            Step::Close(el) => {
                let name = el.value().name();
                match name {
                    "ul" | "ol" => {
                        lists.pop();
                    }
                    "pre" => w.pre = w.pre.saturating_sub(1),
                    _ => {}
                }
                if is_inline_label(el, &w.out) {
                    while w.out.ends_with(' ') {
                        w.out.pop();
                    }
                    if !w.out.ends_with(':') {
                        w.out.push(':');
                    }
                    w.glue = true;
                    w.space = true;
                } else if let Some(n) = block_breaks(name) {
                    w.block(n);
                }
            }
        }
    }
    let mut out = w.out;
    while out.ends_with(char::is_whitespace) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head>
<title>IGF 2031 WS #12 Rural fibre co-ops | Internet Governance Forum</title>
<link rel="canonical" href="https://example.org/igf2031/ws12">
<script>var tracking = "Organizer 9: nobody";</script><style>p{color:red}</style></head>
<body>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<header class="site-header"><a href="/">Home</a><ul class="menu"><li>Programme</li></ul></header>
<nav class="breadcrumb">Home › 2031 › Proposals</nav>
<main><h1>IGF 2031 WS #12 Rural fibre co-ops</h1>
<div class="field"><div class="field__label">Organizer 1:</div> <div>Ana Ruiz, Fibra Comunal</div></div>
<p>Speaker 1: Kofi Boateng, Civil Society, African Group<br>Speaker 2: Li Na, Government, Asia-Pacific Group</p>
<h3>Policy Question(s)</h3>
<ol><li>Who pays for the last mile?</li><li>What do regulators   owe&nbsp;co-ops?</li></ol>
<p hidden>Secret draft text</p>
<table><tr><th>Day</th><td>Two</td></tr></table>
<pre>keep   this</pre>
</main>
<aside>Related sessions</aside><footer>© IGF</footer></body></html>"#;

    #[test]
    fn main_text_without_furniture() {
        let p = extract(PAGE);
        assert_eq!(
            p.title.as_deref(),
            Some("IGF 2031 WS #12 Rural fibre co-ops")
        );
        assert_eq!(p.url.as_deref(), Some("https://example.org/igf2031/ws12"));
        assert_eq!(
            p.text,
            "IGF 2031 WS #12 Rural fibre co-ops\n\nOrganizer 1: Ana Ruiz, Fibra Comunal\n\n\
             Speaker 1: Kofi Boateng, Civil Society, African Group\n\
             Speaker 2: Li Na, Government, Asia-Pacific Group\n\n\
             Policy Question(s)\n\n1. Who pays for the last mile?\n\
             2. What do regulators owe co-ops?\n\nDay\tTwo\n\nkeep   this"
        );
        for furniture in [
            "cookies",
            "Programme",
            "Home",
            "Related",
            "©",
            "Secret",
            "nobody",
        ] {
            assert!(!p.text.contains(furniture), "{furniture}");
        }
    }

    #[test]
    fn title_outside_main_and_site_name() {
        let p = extract(
            "<html><head><title>Key messages – IGF</title></head><body><div id=\"content\"><p>Text one.</p></div></body></html>",
        );
        assert_eq!(p.title.as_deref(), Some("Key messages"));
        assert_eq!(p.text, "Text one.");
        let p = extract("<body><header><h1>Outside</h1></header><main><p>Inside</p></main></body>");
        assert_eq!(p.text, "Outside\n\nInside");
    }

    #[test]
    fn broken_and_deep_markup_does_not_panic() {
        let deep = "<div>".repeat(5_000) + "deep text";
        assert_eq!(extract(&deep).text, "deep text");
        let broken = extract("<p>open <b>bold <i>both</p> after</b></i> <table><td>cell");
        for word in ["open bold both", "after", "cell"] {
            assert!(broken.text.contains(word), "{word}: {:?}", broken.text);
        }
        assert_eq!(extract("").text, "");
        assert!(!extract("\u{0}<<>>&&#xFFFFFF;").text.is_empty());
    }

    #[test]
    fn nesting_depth_is_counted_on_the_markup() {
        assert_eq!(nesting_depth("<div><p>a<p>b<br><img src=x/></div>"), 1);
        assert_eq!(
            nesting_depth("<div><!-- <div><div> --><SCRIPT>'<div></b>'</script ><div>"),
            2
        );
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(nesting_depth("<div><b>x</b></div><span>"), 2);
        assert_eq!(nesting_depth("a < b, <3 </ <"), 0);
    }

    #[test]
    fn declared_charsets_are_decoded() {
        assert_eq!(
            decode(b"<meta charset=\"iso-8859-1\"><p>Particip\xe1cion</p>"),
            "<meta charset=\"iso-8859-1\"><p>Participácion</p>"
        );
        assert_eq!(decode(b"caf\xe9"), "café");
        assert_eq!(decode("déjà".as_bytes()), "déjà");
    }
}

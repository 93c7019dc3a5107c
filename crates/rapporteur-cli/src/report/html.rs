//! An HTML buffer that cannot be handed unescaped text.
//!
//! Markup goes in only as `&'static str`, that is, as literals written in this crate; every
//! other string goes through [`Html::text`], which escapes it for element content and for
//! double-quoted attribute values alike. Numbers have their own methods.

use std::fmt::Write;

/// HTML being written.
#[derive(Default)]
pub struct Html(String);

/// Integers, which need no escaping.
pub trait Int: std::fmt::Display {}
impl Int for usize {}
impl Int for u64 {}
impl Int for u16 {}

impl Html {
    /// Markup written in this crate.
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Text from anywhere (documents, questions, file names), escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                // Control characters other than white space are not allowed in HTML text.
                c if c.is_control() && !matches!(c, '\n' | '\t') => self.0.push('\u{fffd}'),
                c => self.0.push(c),
            }
        }
        self
    }

    /// An integer.
    pub fn int(&mut self, n: impl Int) -> &mut Self {
        let _ = write!(self.0, "{n}");
        self
    }

    /// A number with `decimals` decimals (non-finite numbers as 0).
    pub fn num(&mut self, n: f64, decimals: usize) -> &mut Self {
        let n = if n.is_finite() { n } else { 0.0 };
        let _ = write!(self.0, "{n:.decimals$}");
        self
    }

    /// Writes each item with `item`, separated by `separator`.
    pub fn join<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        separator: &'static str,
        mut item: impl FnMut(&mut Html, T),
    ) -> &mut Self {
        for (i, x) in items.into_iter().enumerate() {
            if i > 0 {
                self.raw(separator);
            }
            item(self, x);
        }
        self
    }

    /// Appends another buffer.
    pub fn append(&mut self, other: Html) -> &mut Self {
        self.0.push_str(&other.0);
        self
    }

    /// The HTML written.
    pub fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        let mut h = Html::default();
        h.raw("<p title=\"")
            .text("a\"b'<c>&")
            .raw("\">")
            .text("<script>alert(1)</script>\u{7}")
            .raw("</p>");
        assert_eq!(
            h.finish(),
            "<p title=\"a&quot;b&#39;&lt;c&gt;&amp;\">&lt;script&gt;alert(1)&lt;/script&gt;\u{fffd}</p>"
        );
    }

    #[test]
    fn numbers() {
        let mut h = Html::default();
        h.int(3usize)
            .raw(" ")
            .num(0.456, 1)
            .raw(" ")
            .num(f64::NAN, 2);
        assert_eq!(h.finish(), "3 0.5 0.00");
    }
}

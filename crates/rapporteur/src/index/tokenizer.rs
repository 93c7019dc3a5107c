//! The analysis pipeline, seen by tantivy as a tokenizer (one per language).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis::{Analyzer, Lang};

/// Runs [`Analyzer`] for one language inside tantivy, for indexing and for queries alike.
#[derive(Clone, Debug)]
pub(super) struct AnalysisTokenizer {
    lang: Lang,
}

impl AnalysisTokenizer {
    pub(super) fn new(lang: Lang) -> Self {
        AnalysisTokenizer { lang }
    }

    /// The name the tokenizer is registered under.
    pub(super) fn name(lang: Lang) -> String {
        format!("rapporteur_{}", lang.code())
    }
}

/// Tokens of one text, produced up front.
pub(super) struct VecTokenStream {
    tokens: Vec<Token>,
    /// Index of the current token plus one (0 before the first `advance`).
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for AnalysisTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        Analyzer::get(self.lang).for_each_token(text, |t| {
            tokens.push(Token {
                offset_from: t.from,
                offset_to: t.to,
                position: t.position,
                text: t.term,
                position_length: 1,
            })
        });
        VecTokenStream { tokens, next: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_the_analyzer_tokens() {
        let mut t = AnalysisTokenizer::new(Lang::En);
        let mut s = t.token_stream("Governing data flows");
        let mut seen = Vec::new();
        while s.advance() {
            seen.push(s.token().text.clone());
        }
        assert_eq!(seen, ["govern", "data", "flow"]);
        assert!(!s.advance());
    }
}

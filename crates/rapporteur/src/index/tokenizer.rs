//! The analysis pipeline, seen by tantivy as a tokenizer (one per language).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis::{Analyzer, Lang, TermStream};

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

/// The tokens of one text, analysed as tantivy pulls them, into one reused token.
pub(super) struct AnalysisTokenStream<'a> {
    terms: TermStream<'a>,
    token: Token,
}

impl TokenStream for AnalysisTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((term, from, to, position)) = self.terms.next_term() else {
            return false;
        };
        let token = &mut self.token;
        token.text.clear();
        token.text.push_str(term);
        token.offset_from = from;
        token.offset_to = to;
        token.position = position;
        token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for AnalysisTokenizer {
    type TokenStream<'a> = AnalysisTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> AnalysisTokenStream<'a> {
        AnalysisTokenStream {
            terms: Analyzer::get(self.lang).term_stream(text),
            token: Token::default(),
        }
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

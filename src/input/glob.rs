//! Globs for choosing the pages of a site folder (`alike index --include`,
//! `--exclude`): `*` is any run of characters but `/`, `**` any run at all,
//! `?` one character but `/`. A glob with a `/` is matched against the
//! page's path in the folder (`2024/05/story/index.html`); one without,
//! against its file name alone (`404.html`).

/// A compiled glob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    text: String,
    tokens: Vec<Token>,
    whole_path: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`
    One,
    /// `*`
    Star,
    /// `**`
    StarStar,
    /// `**/`: no folder, or any folders.
    Folders,
}

impl Glob {
    pub fn new(text: &str) -> Result<Glob, String> {
        let trimmed = text.trim().trim_start_matches("./").trim_start_matches('/');
        if trimmed.is_empty() {
            return Err(format!("\"{text}\" is an empty glob"));
        }
        let mut tokens = Vec::new();
        let mut chars = trimmed.chars().peekable();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '*' if chars.peek() == Some(&'*') => {
                    chars.next();
                    if chars.peek() == Some(&'/') {
                        chars.next();
                        Token::Folders
                    } else {
                        Token::StarStar
                    }
                }
                '*' => Token::Star,
                '?' => Token::One,
                c => Token::Char(c),
            });
        }
        Ok(Glob { text: text.to_string(), whole_path: trimmed.contains('/'), tokens })
    }

    /// Whether the page at `path` (relative to the folder, `/`-separated)
    /// matches.
    pub fn matches(&self, path: &str) -> bool {
        let subject = if self.whole_path { path } else { path.rsplit('/').next().unwrap_or(path) };
        let text: Vec<char> = subject.chars().collect();
        let n = text.len();
        // can[j]: the tokens so far match the first j characters.
        let mut can = vec![false; n + 1];
        can[0] = true;
        for token in &self.tokens {
            let mut next = vec![false; n + 1];
            let mut seen = false;
            for j in 0..=n {
                next[j] = match token {
                    Token::Char(c) => j > 0 && can[j - 1] && text[j - 1] == *c,
                    Token::One => j > 0 && can[j - 1] && text[j - 1] != '/',
                    Token::Star => can[j] || (j > 0 && next[j - 1] && text[j - 1] != '/'),
                    Token::StarStar => can[j] || (j > 0 && next[j - 1]),
                    Token::Folders => can[j] || (seen && text[j - 1] == '/'),
                };
                seen |= can[j];
            }
            can = next;
        }
        can[n]
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(glob: &str, path: &str) -> bool {
        Glob::new(glob).expect("a glob").matches(path)
    }

    #[test]
    fn globs_match_as_documented() {
        assert!(matches("404.html", "404.html"));
        assert!(matches("404.html", "blog/404.html"), "no slash: the file name anywhere");
        assert!(matches("tags/**", "tags/markets/index.html"));
        assert!(matches("/tags/**", "tags/markets/index.html"));
        assert!(!matches("tags/**", "posts/tags/index.html"));
        assert!(matches("**/page/*/index.html", "blog/page/2/index.html"));
        assert!(matches("**/page/*/index.html", "page/2/index.html"), "** matches no folder too");
        assert!(!matches("posts/*.html", "posts/2024/a.html"), "* stays in its folder");
        assert!(matches("posts/**/*.html", "posts/2024/05/a.html"));
        assert!(matches("20??/**", "2024/05/a/index.html"));
        assert!(!matches("20??/**", "204/a.html"));
        assert!(Glob::new("  ").is_err());
    }
}

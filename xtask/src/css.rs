//! A conservative CSS minifier: comments out, whitespace collapsed where CSS grammar ignores it.
//!
//! cargo-leptos runs lightningcss, which also rewrites colours and adds vendor prefixes for `browserquery`;
//! T2M's stylesheet already writes the prefixes it needs, and lightningcss costs minutes of compile on a
//! fresh machine, so xtask only strips what cannot change meaning. Strings and `url(...)` are copied
//! verbatim; a space is kept wherever removing it could join two tokens (`a :hover`, `1px -2px`).

/// Returns `css` without comments and with insignificant whitespace removed.
pub fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
                while let Some(s) = chars.next() {
                    out.push(s);
                    if s == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if s == c {
                        break;
                    }
                }
            }
            '{' | '}' | ';' | ',' | '>' | '~' => {
                pending_space = false;
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
                skip_whitespace(&mut chars);
            }
            ':' => {
                // A space before ':' is a descendant combinator in selectors (`.card :focus`): keep it.
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
                // After it, space is never significant (`margin: 0`, `(max-width: 600px)`).
                skip_whitespace(&mut chars);
            }
            c => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the whitespace seen before `next` unless it sits right after punctuation that ends a token.
fn flush_space(out: &mut String, pending: &mut bool, next: char) {
    if *pending
        && !out.is_empty()
        && !out.ends_with(['{', '}', ';', ',', '>', '~', '('])
        && next != ')'
    {
        out.push(' ');
    }
    *pending = false;
}

fn skip_whitespace(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn minify_drops_comments_and_layout_whitespace() {
        let css = "/* theme */\n:root {\n  --bg: #fff; /* page */\n}\n\n.a,\n.b > .c {\n  margin: 0 auto;\n}\n";
        assert_eq!(minify(css), ":root{--bg:#fff}.a,.b>.c{margin:0 auto}");
    }

    #[test]
    fn minify_keeps_descendant_space_before_pseudo_classes() {
        assert_eq!(
            minify(".card :focus-visible { outline: none }"),
            ".card :focus-visible{outline:none}"
        );
    }

    #[test]
    fn minify_keeps_strings_and_value_spaces() {
        let css = "a::after { content: \"a  /* b */ ;\"; box-shadow: 0 1px 2px rgba(0, 0, 0, .1), 0 -1px red; }";
        assert_eq!(
            minify(css),
            "a::after{content:\"a  /* b */ ;\";box-shadow:0 1px 2px rgba(0,0,0,.1),0 -1px red}"
        );
    }

    #[test]
    fn minify_keeps_calc_operators_spaced() {
        assert_eq!(
            minify("a { width: calc(100% - 2 * 8px); }"),
            "a{width:calc(100% - 2 * 8px)}"
        );
    }

    #[test]
    fn minify_keeps_media_query_words_apart() {
        assert_eq!(
            minify("@media (max-width: 600px) and (prefers-color-scheme: dark) { a { b: c } }"),
            "@media (max-width:600px) and (prefers-color-scheme:dark){a{b:c}}"
        );
    }
}

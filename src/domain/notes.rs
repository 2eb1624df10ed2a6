//! Show notes: the one sanitizer (what podcast apps show of notes) and the Markdown converter.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::domain::check::{merge, Checker};
use crate::domain::limits;

/// Apple's limit on a description, in bytes of what the feed carries.
pub const NOTES_MAX_BYTES: usize = 4000;

/// The tags podcast apps show in notes (Apple lists p, ol, ul, li and a; the others are
/// rendered by Apple, Spotify, Pocket Casts and Overcast alike). Anything else is dropped and
/// its text kept.
const APP_TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(APP_TAGS.iter().copied().collect::<HashSet<_>>())
        .add_tag_attributes("a", ["href"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean_content_tags(["script", "style"].into_iter().collect())
        .strip_comments(true);
    b
});

/// Notes as podcast apps show them: only the tags apps support, links only to http(s) and
/// mailto, no scripts, styles, frames or event handlers.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Markdown notes as the HTML the feed carries: converted (CommonMark with strikethrough
/// dropped to text), then [`sanitize`]d, so raw HTML inside the Markdown is held to the same
/// allow-list.
pub fn markdown_to_html(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::empty());
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    sanitize(&html).trim_end().to_string()
}

/// The HTML and Markdown source of notes (an episode's, or a show's description) after an
/// input of `html` (`description`) and `markdown` (`description_markdown`) over the stored
/// `base_html` and `base_markdown`: Markdown given is converted (and `html` ignored); `null`
/// Markdown keeps the HTML (or takes `html`) and drops the source; HTML given alone drops the
/// old source, which no longer matches it.
pub fn apply(
    c: &mut Checker,
    html: Option<Option<String>>,
    markdown: Option<Option<String>>,
    base_html: &str,
    base_markdown: Option<&str>,
) -> (String, Option<String>) {
    let markdown = match (markdown, html) {
        (Some(Some(m)), _) => m,
        (Some(None), html) => {
            let html = merge(html, Some(base_html.to_string())).unwrap_or_default();
            return (c.long_text("description", &html, limits::NOTES), None);
        }
        (None, Some(html)) => {
            let html = html.unwrap_or_default();
            return (c.long_text("description", &html, limits::NOTES), None);
        }
        (None, None) => return (base_html.to_string(), base_markdown.map(str::to_string)),
    };
    let markdown = c.long_text("description_markdown", &markdown, limits::NOTES);
    if markdown.is_empty() {
        return (String::new(), None);
    }
    let html = markdown_to_html(&markdown);
    if html.chars().count() > limits::NOTES {
        c.error(
            "description_markdown",
            format!("makes notes over {} characters of HTML", limits::NOTES),
        );
    }
    (html, Some(markdown))
}

/// How a podcaster writes notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotesFormat {
    #[default]
    Html,
    Markdown,
}

impl NotesFormat {
    pub fn parse(raw: &str) -> Option<NotesFormat> {
        match raw {
            "html" => Some(NotesFormat::Html),
            "markdown" => Some(NotesFormat::Markdown),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NotesFormat::Html => "html",
            NotesFormat::Markdown => "markdown",
        }
    }
}

/// What notes written in `format` put in the feed, and what apps show of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesPreview {
    /// The HTML the feed carries (HTML notes as written; Markdown converted and sanitized).
    pub feed_html: String,
    /// What apps show: `feed_html`, sanitized.
    pub shown_html: String,
}

impl NotesPreview {
    pub fn of(format: NotesFormat, text: &str) -> NotesPreview {
        let feed_html = match format {
            NotesFormat::Html => text.trim().to_string(),
            NotesFormat::Markdown => markdown_to_html(text),
        };
        let shown_html = sanitize(&feed_html);
        NotesPreview {
            feed_html,
            shown_html,
        }
    }

    /// Bytes of the notes in the feed, which Apple limits to [`NOTES_MAX_BYTES`].
    pub fn bytes(&self) -> usize {
        self.feed_html.len()
    }

    pub fn over_limit(&self) -> bool {
        self.bytes() > NOTES_MAX_BYTES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_that_apps_show() {
        let html = markdown_to_html("Hello **world**\n\n- [a](https://example.com)\n- b");
        assert!(html.contains("<strong>world</strong>"), "{html}");
        assert!(html.contains("<li><a href=\"https://example.com\" rel=\"noopener noreferrer nofollow\">a</a></li>"), "{html}");
    }

    #[test]
    fn scripts_frames_and_javascript_links_are_dropped() {
        let html = markdown_to_html(
            "x <script>alert(1)</script> <iframe src=\"https://e.com\"></iframe> [y](javascript:alert(1)) <b onclick=\"z()\">b</b>",
        );
        assert!(
            !html.contains("script") && !html.contains("alert"),
            "{html}"
        );
        assert!(
            !html.contains("iframe") && !html.contains("onclick"),
            "{html}"
        );
        assert!(html.contains("<b>b</b>"), "{html}");
    }

    #[test]
    fn the_byte_count_is_of_what_the_feed_carries() {
        let p = NotesPreview::of(NotesFormat::Markdown, "é");
        assert_eq!(p.feed_html, "<p>é</p>");
        assert_eq!(p.bytes(), 9);
        assert!(NotesPreview::of(NotesFormat::Html, &"x".repeat(4001)).over_limit());
        assert!(!NotesPreview::of(NotesFormat::Html, &"x".repeat(4000)).over_limit());
    }
}

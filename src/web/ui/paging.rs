//! What list pages share: the page number and search from the query string, and links to other
//! pages that keep the rest of the query (so every page can be bookmarked).

use super::error::UiError;
use crate::app::listing::PageOf;
use crate::web::error::ApiError;

/// A page number from the query string: a whole number from 1, or 1 when absent.
pub fn page_number(raw: Option<&str>) -> Result<i64, UiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(1),
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=1_000_000).contains(p))
            .ok_or_else(|| bad("page", "must be a whole number from 1")),
    }
}

pub fn bad(name: &str, why: &str) -> UiError {
    UiError::Api(ApiError::BadRequest(format!("{name}: {why}")))
}

/// A list's address with these query pairs (empty values left out).
pub fn href(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(k, v);
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// The pager under a list: where the first, previous, next and last pages are.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
}

impl Pager {
    /// `link(n)` is the address of page `n`.
    pub fn new(at: PageOf, link: impl Fn(i64) -> String) -> Pager {
        let (page, pages) = (at.page, at.pages);
        Pager {
            page,
            pages,
            total: at.total,
            first: (page > 2).then(|| link(1)),
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            last: (page + 1 < pages).then(|| link(pages)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_whole_and_positive() {
        assert_eq!(page_number(None).unwrap(), 1);
        assert_eq!(page_number(Some("3")).unwrap(), 3);
        for raw in ["0", "-1", "x", "1.5", "99999999999"] {
            assert!(page_number(Some(raw)).is_err(), "{raw}");
        }
    }

    #[test]
    fn links_keep_the_query_and_drop_empty_values() {
        let to = href("/shows", &[("q", "a b&c"), ("page", "2"), ("sort", "")]);
        assert_eq!(to, "/shows?q=a+b%26c&page=2");
        assert_eq!(href("/shows", &[("q", "")]), "/shows");
    }
}

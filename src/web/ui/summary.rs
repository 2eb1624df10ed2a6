//! The error summary above a form, put in form order with each field's label: the page is
//! rendered first, then each error is placed where its field (`id="f-<name>"`) sits in the
//! page and named by that field's `<label>`, so every form gets this without a list of its
//! own.

const OPEN: &str = "<ul data-error-summary>";
const CLOSE: &str = "</ul>";
const ITEM: &str = "<li data-field=\"";

/// One error as the `errors` macro wrote it: the field's name and the (escaped) message.
struct Item<'a> {
    name: &'a str,
    message: &'a str,
}

fn items(list: &str) -> Vec<Item<'_>> {
    let mut found = Vec::new();
    let mut rest = list;
    while let Some(at) = rest.find(ITEM) {
        rest = &rest[at + ITEM.len()..];
        let Some((name, after)) = rest.split_once("\">") else {
            break;
        };
        let Some((message, after)) = after.split_once("</li>") else {
            break;
        };
        found.push(Item { name, message });
        rest = after;
    }
    found
}

/// The text of `<label for="f-{name}">`, tags dropped (already escaped, as rendered).
fn label_of(html: &str, name: &str) -> Option<String> {
    let open = format!("<label for=\"f-{name}\"");
    let start = html.find(&open)?;
    let body = &html[start..];
    let body = &body[body.find('>')? + 1..];
    let body = &body[..body.find("</label>")?];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// A name as words, for an error whose field has no label on the page.
fn humanize(name: &str) -> String {
    let words = name.replace(['_', '.'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Rewrites the page's error summary (if it has one): errors in the order of their fields,
/// form-wide ones first, each linking to its field by the field's label.
pub fn arrange(html: String) -> String {
    let Some(open) = html.find(OPEN) else {
        return html;
    };
    let start = open + OPEN.len();
    let Some(len) = html[start..].find(CLOSE) else {
        return html;
    };
    let mut listed: Vec<(usize, String)> = items(&html[start..start + len])
        .into_iter()
        .map(|Item { name, message }| {
            if name == "_form" {
                return (0, format!("<li>{message}</li>"));
            }
            let id = format!("id=\"f-{name}\"");
            let label = label_of(&html, name).unwrap_or_else(|| humanize(name));
            match html.find(&id) {
                Some(at) => (
                    at,
                    format!("<li><a href=\"#f-{name}\">{label}</a>: {message}</li>"),
                ),
                None => (usize::MAX, format!("<li>{label}: {message}</li>")),
            }
        })
        .collect();
    listed.sort_by_key(|(at, _)| *at);
    let list: String = listed.into_iter().map(|(_, li)| li).collect();
    format!("{}{list}{}", &html[..start], &html[start + len..])
}

#[cfg(test)]
mod tests {
    use super::arrange;

    #[test]
    fn errors_follow_the_form_and_use_labels() {
        let page = concat!(
            "<ul data-error-summary><li data-field=\"title\">is required</li>",
            "<li data-field=\"_form\">Conflict</li><li data-field=\"author\">too long</li>",
            "<li data-field=\"ghost_field\">odd</li></ul>",
            "<label for=\"f-author\">Author <small>(host)</small></label><input id=\"f-author\">",
            "<label for=\"f-title\">Title</label><input id=\"f-title\">"
        );
        let out = arrange(page.to_string());
        let list = &out[..out.find("</ul>").unwrap()];
        assert_eq!(
            list,
            concat!(
                "<ul data-error-summary><li>Conflict</li>",
                "<li><a href=\"#f-author\">Author (host)</a>: too long</li>",
                "<li><a href=\"#f-title\">Title</a>: is required</li>",
                "<li>Ghost field: odd</li>"
            )
        );
    }

    #[test]
    fn a_page_without_a_summary_is_unchanged() {
        let page = "<p>fine</p>".to_string();
        assert_eq!(arrange(page.clone()), page);
    }
}

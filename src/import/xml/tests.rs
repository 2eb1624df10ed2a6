use super::*;

fn doc(xml: &str) -> Document {
    parse_document(xml.as_bytes(), &mut Report::default()).unwrap()
}

fn error(xml: &str) -> ParseError {
    parse_document(xml.as_bytes(), &mut Report::default()).unwrap_err()
}

#[test]
fn namespaces_are_known_by_uri_or_by_their_usual_prefix() {
    let d = doc(concat!(
        r#"<rss xmlns:it="http://www.itunes.com/DTDs/Podcast-1.0.dtd" xmlns:x="urn:x">"#,
        r#"<it:duration>1</it:duration><itunes:author>a</itunes:author>"#,
        r#"<duration xmlns="http://www.itunes.com/dtds/podcast-1.0.dtd">2</duration>"#,
        r#"<podcast:guid>g</podcast:guid><x:thing/><title>t</title></rss>"#,
    ));
    let names: Vec<(Ns, &str)> = d
        .root
        .children
        .iter()
        .map(|c| (c.ns.clone(), c.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (Ns::Itunes, "duration"),
            (Ns::Itunes, "author"),
            (Ns::Itunes, "duration"),
            (Ns::Podcast, "guid"),
            (Ns::Other("urn:x".into()), "thing"),
            (Ns::Rss, "title"),
        ]
    );
}

#[test]
fn text_joins_cdata_and_references_and_markup_keeps_inline_html() {
    let mut report = Report::default();
    let xml = concat!(
        "<rss><title>Tom &amp; Jerry&nbsp;&#233;<![CDATA[ <b>&amp;</b>]]> &bogus;</title>",
        "<description>Hello <b>bold</b> &amp; <i>more</i></description></rss>"
    );
    let d = parse_document(xml.as_bytes(), &mut report).unwrap();
    assert_eq!(
        d.root.children[0].text,
        "Tom & Jerry\u{a0}é <b>&amp;</b> &bogus;"
    );
    assert_eq!(
        d.markup(&d.root.children[1]),
        "Hello <b>bold</b> &amp; <i>more</i>"
    );
    assert_eq!(report.count(code::UNKNOWN_ENTITY), 1);
}

#[test]
fn malformed_documents_say_where() {
    let err = error("<rss>\n  <channel>\n    <title>x</titel>\n</rss>");
    let ParseError::Malformed { line, column, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!((line, column), (3, 13));
    assert!(matches!(
        error("<rss><channel>"),
        ParseError::Malformed { line: 1, .. }
    ));
    assert!(matches!(error("  \n "), ParseError::Empty));
    assert!(matches!(
        error("<?xml version=\"1.0\"?>"),
        ParseError::Empty
    ));
    let deep = "<a>".repeat(100) + &"</a>".repeat(100);
    assert!(matches!(error(&deep), ParseError::Malformed { .. }));
}

#[test]
fn doctype_entities_are_never_expanded() {
    let xml = concat!(
        r#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>"#,
        "<rss><title>&b;</title></rss>"
    );
    assert_eq!(doc(xml).root.children[0].text, "&b;");
}

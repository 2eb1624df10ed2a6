//! The strict reader itself (`support::parse_strict`): it must reject what a conforming XML 1.0
//! parser rejects, or the round-trip property would prove nothing.

use crate::support::parse_strict;

#[test]
fn strict_reader_rejects_what_xml_1_0_forbids() {
    for (bad, why) in [
        ("<a>\u{1}</a>", "a C0 control"),
        ("<a>\u{fffe}</a>", "U+FFFE"),
        ("<a>&#1;</a>", "a reference to a C0 control"),
        ("<a>&#xFFFF;</a>", "a reference to U+FFFF"),
        ("<a b=\"&#0;\"/>", "a reference to NUL in an attribute"),
        ("<a>&nbsp;</a>", "an undeclared entity"),
        ("<a>x & y</a>", "a bare ampersand"),
        ("<a>]]></a>", "`]]>` in text"),
        ("<a b=\"<\"/>", "`<` in an attribute"),
        ("<a b=\"1\" b=\"2\"/>", "a repeated attribute"),
        ("<a><b></a>", "mismatched end tag"),
        ("<a>", "an unclosed element"),
        ("<a/><b/>", "two roots"),
        ("<a/>text", "text after the root"),
        ("", "no root"),
    ] {
        assert!(
            parse_strict(bad.as_bytes()).is_err(),
            "accepted {why}: {bad:?}"
        );
    }
}

#[test]
fn strict_reader_reads_text_as_an_xml_parser_reports_it() {
    let xml = "<a t=\"x&#9;y\n z&#13;\">1&amp;<![CDATA[<2>]]>&#13;\r\n3<b/></a>";
    let doc = parse_strict(xml.as_bytes()).unwrap();
    assert_eq!(doc.all("a@t"), ["x\ty  z\r"]);
    assert_eq!(doc.all("a"), ["1&<2>\r\n3"]);
    assert_eq!(doc.all("a/b"), [""]);
}

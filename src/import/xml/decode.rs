//! Feed bytes to text: by the BOM, else in the encoding the XML declaration names (any WHATWG
//! label, so ISO-8859-1 and US-ASCII read as windows-1252, as browsers read them).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use crate::import::{
    parse::ParseError,
    report::{code, Report},
};

/// The document as text, in the encoding its BOM or XML declaration names.
pub fn decode(bytes: &[u8], report: &mut Report) -> Result<String, ParseError> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, &bytes[bom..]),
        None => (declared(bytes)?, bytes),
    };
    let (text, replaced) = encoding.decode_without_bom_handling(body);
    if replaced {
        report.add(
            code::ENCODING_REPAIRED,
            format!(
                "the feed is not valid {}; bytes that are not were replaced with U+FFFD",
                encoding.name()
            ),
        );
    }
    Ok(text.into_owned())
}

/// The encoding the XML declaration names; UTF-8 when it names none.
fn declared(bytes: &[u8]) -> Result<&'static Encoding, ParseError> {
    let label = declared_encoding(bytes).unwrap_or_default();
    if label.is_empty() {
        return Ok(UTF_8);
    }
    match Encoding::for_label_no_replacement(label.as_bytes()) {
        // Not a WHATWG label, but feeds write it.
        None if label == "latin-1" => Ok(WINDOWS_1252),
        // A declaration that reads as ASCII is not in UTF-16, which needs a BOM here.
        Some(e) if e == UTF_16LE || e == UTF_16BE => Err(ParseError::UnsupportedEncoding(label)),
        Some(encoding) => Ok(encoding),
        None => Err(ParseError::UnsupportedEncoding(label)),
    }
}

/// The `encoding` of the XML declaration, lower-cased.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head);
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &rest[1..];
    let value = &value[..value.find(quote)?];
    Some(value.trim().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn latin1_and_utf16_feeds_become_text() {
        let mut r = Report::default();
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>caf\xe9 \x93q\x94</rss>";
        assert!(decode(latin1, &mut r).unwrap().ends_with("café “q”</rss>"));
        let latin_1 = b"<?xml version='1.0' encoding='Latin-1'?><rss>\x80</rss>";
        assert!(decode(latin_1, &mut r).unwrap().ends_with("<rss>€</rss>"));
        assert_eq!(
            decode(&utf16le("<rss>é</rss>"), &mut r).unwrap(),
            "<rss>é</rss>"
        );
        assert_eq!(r.count(code::ENCODING_REPAIRED), 0);
    }

    #[test]
    fn other_whatwg_encodings_such_as_iso_8859_2_and_shift_jis_are_read() {
        let mut r = Report::default();
        let latin2 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><rss>\xb3\xf3d\xbc</rss>";
        assert!(decode(latin2, &mut r).unwrap().ends_with("<rss>łódź</rss>"));
        let shift_jis = b"<?xml version='1.0' encoding='Shift_JIS'?><rss>\x93\xfa\x96\x7b</rss>";
        assert!(decode(shift_jis, &mut r)
            .unwrap()
            .ends_with("<rss>日本</rss>"));
        assert_eq!(r.count(code::ENCODING_REPAIRED), 0);
    }

    #[test]
    fn broken_bytes_are_replaced_and_reported() {
        let mut r = Report::default();
        assert_eq!(
            decode(b"<rss>\xff</rss>", &mut r).unwrap(),
            "<rss>\u{FFFD}</rss>"
        );
        assert_eq!(r.count(code::ENCODING_REPAIRED), 1);
        let mut odd = utf16le("<rss/>");
        odd.push(b'x');
        assert_eq!(decode(&odd, &mut r).unwrap(), "<rss/>\u{FFFD}");
        assert_eq!(r.count(code::ENCODING_REPAIRED), 2);
    }

    #[test]
    fn unknown_encodings_and_utf16_without_a_bom_are_refused() {
        for label in ["ebcdic-cp-us", "iso-2022-kr", "utf-16"] {
            let xml = format!(
                "<?xml version='1.0' encoding='{}'?><rss/>",
                label.to_uppercase()
            );
            assert!(
                matches!(
                    decode(xml.as_bytes(), &mut Report::default()),
                    Err(ParseError::UnsupportedEncoding(e)) if e == label
                ),
                "{label}"
            );
        }
    }
}

//! Feed bytes to text: UTF-8 (with or without a BOM), UTF-16 with a BOM, and the Latin-1 family.

use std::borrow::Cow;

use crate::import::{
    parse::ParseError,
    report::{code, Report},
};

/// Windows-1252's characters for 0x80–0x9F (browsers read ISO-8859-1 as Windows-1252 too).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The document as text, in the encoding its BOM or XML declaration names.
pub fn decode(bytes: &[u8], report: &mut Report) -> Result<String, ParseError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(utf8(rest, report));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok(utf16(rest, u16::from_le_bytes, report));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok(utf16(rest, u16::from_be_bytes, report));
    }
    let label = declared_encoding(bytes).unwrap_or_default();
    match label.as_str() {
        "" | "utf-8" | "utf8" => Ok(utf8(bytes, report)),
        "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "l1" | "windows-1252" | "cp1252"
        | "us-ascii" | "ascii" => Ok(bytes.iter().map(|&b| cp1252(b)).collect()),
        _ => Err(ParseError::UnsupportedEncoding(label)),
    }
}

fn cp1252(b: u8) -> char {
    match b {
        0x80..=0x9f => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

fn utf8(bytes: &[u8], report: &mut Report) -> String {
    match String::from_utf8_lossy(bytes) {
        Cow::Borrowed(text) => text.to_string(),
        Cow::Owned(text) => {
            report.add(
                code::ENCODING_REPAIRED,
                "the feed is not valid UTF-8; bytes that are not were replaced with U+FFFD",
            );
            text
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, report: &mut Report) -> String {
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    let mut bad = bytes.len() % 2 == 1;
    let text = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                bad = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if bad {
        report.add(
            code::ENCODING_REPAIRED,
            "the feed is not valid UTF-16; what is not was replaced with U+FFFD",
        );
    }
    text
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

    #[test]
    fn latin1_and_utf16_feeds_become_text() {
        let mut r = Report::default();
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>caf\xe9 \x93q\x94</rss>";
        assert!(decode(latin1, &mut r).unwrap().ends_with("café “q”</rss>"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "<rss>é</rss>".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16, &mut r).unwrap(), "<rss>é</rss>");
        assert_eq!(r.count(code::ENCODING_REPAIRED), 0);
    }

    #[test]
    fn broken_utf8_is_replaced_and_reported_and_odd_encodings_refused() {
        let mut r = Report::default();
        assert_eq!(
            decode(b"<rss>\xff</rss>", &mut r).unwrap(),
            "<rss>\u{FFFD}</rss>"
        );
        assert_eq!(r.count(code::ENCODING_REPAIRED), 1);
        let shift_jis = b"<?xml version='1.0' encoding='Shift_JIS'?><rss/>";
        assert!(matches!(
            decode(shift_jis, &mut r),
            Err(ParseError::UnsupportedEncoding(e)) if e == "shift_jis"
        ));
    }
}

//! Shared by the render tests: a strict reading of the output.

use quick_xml::{
    escape::{resolve_xml_entity, unescape},
    events::Event,
};

/// Characters that XML 1.0 does not allow anywhere in a document (`Char` production), as
/// `render.rs` strips them: C0 controls other than tab, newline and carriage return, U+FFFE and
/// U+FFFF. (Surrogates cannot occur in a Rust string.)
pub fn forbidden(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

/// What the renderer documents it writes for a text value (`clean_len` and `escape` in
/// `render.rs`): the characters XML forbids removed, then trailing whitespace (Unicode
/// `White_Space`, as `char::is_whitespace`) trimmed.
pub fn clean(s: &str) -> String {
    let kept: String = s.chars().filter(|&c| !forbidden(c)).collect();
    kept.trim_end().to_owned()
}

/// The document as a conforming XML 1.0 parser reports it: the text of every element and the
/// value of every attribute, keyed by path (`rss/channel/item/title`,
/// `rss/channel/item/enclosure@url`), in document order. Text is the concatenation of all text,
/// CDATA sections and references directly inside the element, after end-of-line handling;
/// attribute values are normalized (XML 1.0 §3.3.3).
#[derive(Debug, Default)]
pub struct Doc {
    pub values: Vec<(String, String)>,
}

impl Doc {
    /// Values at `path`, in document order.
    pub fn all(&self, path: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Parses `xml` strictly, failing with a description of the first way it is not well-formed
/// XML 1.0 (as far as a non-validating parser must check), and returns its [`Doc`].
///
/// quick-xml is lenient about some rules, so this also checks them: no character that XML
/// forbids (literally or as a character reference), only the predefined entities, no `<` in
/// attribute values, no `]]>` in text, a single root element and nothing but whitespace, the XML
/// declaration, comments and PIs outside it.
pub fn parse_strict(xml: &[u8]) -> Result<Doc, String> {
    let text = std::str::from_utf8(xml).map_err(|e| format!("not UTF-8: {e}"))?;
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| forbidden(c)) {
        return Err(format!("forbidden character {c:?} at byte {i}"));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().enable_all_checks(true);
    reader.config_mut().expand_empty_elements = true;
    let mut doc = Doc::default();
    // Open elements: (path, text so far).
    let mut stack: Vec<(String, String)> = Vec::new();
    let mut roots = 0;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {at}: {e}"))?;
        let piece = match event {
            Event::Start(start) => {
                if stack.is_empty() {
                    roots += 1;
                    if roots > 1 {
                        return Err(format!("a second root element at byte {at}"));
                    }
                }
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let path = match stack.last() {
                    Some((parent, _)) => format!("{parent}/{name}"),
                    None => name,
                };
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| format!("{path}: bad attribute: {e}"))?;
                    let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                    let raw = std::str::from_utf8(&attr.value).unwrap();
                    let value = attribute_value(raw).map_err(|e| format!("{path}@{key}: {e}"))?;
                    doc.values.push((format!("{path}@{key}"), value));
                }
                stack.push((path, String::new()));
                continue;
            }
            Event::End(_) => {
                let (path, text) = stack.pop().expect("checked end names");
                doc.values.push((path, text));
                continue;
            }
            Event::Text(t) => {
                if t.windows(3).any(|w| w == b"]]>") {
                    return Err(format!("`]]>` in text at byte {at}"));
                }
                t.xml10_content()
                    .map_err(|e| format!("at byte {at}: {e}"))?
                    .into_owned()
            }
            Event::CData(c) => c
                .xml10_content()
                .map_err(|e| format!("at byte {at}: {e}"))?
                .into_owned(),
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| format!("at byte {at}: {e}"))?;
                reference(&name).map_err(|e| format!("at byte {at}: {e}"))?
            }
            Event::Decl(_) if at == 0 => continue,
            Event::Decl(_) => return Err(format!("XML declaration not at the start (byte {at})")),
            Event::DocType(_) => return Err(format!("unexpected DOCTYPE at byte {at}")),
            Event::Comment(_) | Event::PI(_) => continue,
            Event::Empty(_) => unreachable!("empty elements are expanded"),
            Event::Eof => break,
        };
        match stack.last_mut() {
            Some((_, text)) => text.push_str(&piece),
            None if piece.chars().all(|c| matches!(c, ' ' | '\t' | '\n')) => {}
            None => return Err(format!("text outside the root element at byte {at}")),
        }
    }
    if let Some((path, _)) = stack.last() {
        return Err(format!("unclosed element {path} at the end"));
    }
    if roots == 0 {
        return Err("no root element".into());
    }
    Ok(doc)
}

/// The replacement text of `&name;`: a predefined entity or a reference to an allowed character.
fn reference(name: &str) -> Result<String, String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => num.parse(),
        }
        .map_err(|_| format!("bad character reference &{name};"))?;
        return match char::from_u32(code) {
            Some(c) if !forbidden(c) => Ok(c.to_string()),
            _ => Err(format!("reference to a character XML forbids: &{name};")),
        };
    }
    resolve_xml_entity(name)
        .map(str::to_owned)
        .ok_or_else(|| format!("undeclared entity &{name};"))
}

/// Attribute-value normalization for CDATA attributes: literal line ends and tabs become
/// spaces, references are replaced.
fn attribute_value(raw: &str) -> Result<String, String> {
    if raw.contains('<') {
        return Err(format!("`<` in attribute value {raw:?}"));
    }
    let spaced = raw.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ");
    // Check every reference first: `unescape` accepts forbidden characters.
    let mut rest = spaced.as_str();
    while let Some(i) = rest.find('&') {
        let end = rest[i..]
            .find(';')
            .ok_or_else(|| format!("unterminated reference in {raw:?}"))?;
        reference(&rest[i + 1..i + end])?;
        rest = &rest[i + end..];
    }
    unescape(&spaced)
        .map(|v| v.into_owned())
        .map_err(|e| format!("{e} in {raw:?}"))
}

//! A forgiving reader for feed XML: the encodings feeds use, namespaces known by their URI (or, when
//! undeclared, by their usual prefix), into a small tree. Entities are never expanded from a DTD.

mod decode;
mod entities;
pub mod limits;

use std::{collections::HashMap, ops::Range, sync::Arc};

use quick_xml::{events::Event, name::ResolveResult, NsReader};

pub use self::decode::decode;
use self::limits::{Budget, MAX_ATTRIBUTES};
use super::{
    parse::ParseError,
    report::{code, Report},
};

/// Deeper documents are refused: no feed needs them, and the tree is walked recursively.
const MAX_DEPTH: usize = 64;

/// The namespaces a feed's elements come from, as far as import cares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ns {
    /// No namespace: RSS itself.
    Rss,
    Itunes,
    Podcast,
    Content,
    Atom,
    Media,
    /// Any other namespace URI, or an undeclared prefix (shared: every element of it has one).
    Other(Arc<str>),
}

impl Ns {
    fn from_uri(uri: &str) -> Ns {
        let lower = uri.trim().to_ascii_lowercase();
        match lower.trim_end_matches('/') {
            "" | "http://backend.userland.com/rss2" | "http://blogs.law.harvard.edu/tech/rss" => {
                Ns::Rss
            }
            "http://www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
            "https://podcastindex.org/namespace/1.0"
            | "http://podcastindex.org/namespace/1.0"
            | "https://github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md" => {
                Ns::Podcast
            }
            "http://purl.org/rss/1.0/modules/content" => Ns::Content,
            "http://www.w3.org/2005/atom" => Ns::Atom,
            "http://search.yahoo.com/mrss" => Ns::Media,
            _ => Ns::Other(uri.trim().into()),
        }
    }

    /// An undeclared prefix: feeds write `itunes:` and `podcast:` without declaring them.
    fn from_prefix(prefix: &str) -> Ns {
        match prefix {
            "itunes" => Ns::Itunes,
            "podcast" => Ns::Podcast,
            "content" => Ns::Content,
            "atom" => Ns::Atom,
            "media" => Ns::Media,
            other => Ns::Other(format!("{other}: (undeclared)").into()),
        }
    }
}

/// An element: its name, attributes, text and child elements.
#[derive(Debug, Clone)]
pub struct Element {
    pub ns: Ns,
    /// The local name, e.g. `duration`.
    pub name: String,
    /// The name as written, e.g. `itunes:duration`.
    pub qname: String,
    /// Attributes by the name as written, values unescaped.
    pub attrs: Vec<(String, String)>,
    /// The element's own text (CDATA and references included), not its children's.
    pub text: String,
    pub children: Vec<Element>,
    /// Where the content between the tags lies in the document.
    pub inner: Range<usize>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is(&self, ns: &Ns, name: &str) -> bool {
        self.ns == *ns && self.name == name
    }

    pub fn child(&self, ns: &Ns, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(ns, name))
    }
}

/// A parsed document: its text and root element.
#[derive(Debug)]
pub struct Document {
    pub source: String,
    pub root: Element,
}

impl Document {
    /// The element's content as markup: its text, or, when it holds elements (HTML written
    /// without CDATA), the source between its tags.
    pub fn markup(&self, el: &Element) -> String {
        if el.children.is_empty() {
            return el.text.clone();
        }
        self.source
            .get(el.inner.clone())
            .unwrap_or_default()
            .to_string()
    }
}

/// Parses `bytes` into a tree; problems that lose nothing are noted in `report`.
pub fn parse_document(bytes: &[u8], report: &mut Report) -> Result<Document, ParseError> {
    parse_text_document(decode(bytes, report)?, report)
}

/// Parses text that is already decoded (its XML declaration's encoding no longer applies).
pub fn parse_text_document(text: String, report: &mut Report) -> Result<Document, ParseError> {
    let source = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if source.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let root = build(&source, report)?;
    Ok(Document { source, root })
}

fn build(source: &str, report: &mut Report) -> Result<Element, ParseError> {
    let mut reader = NsReader::from_str(source);
    reader.config_mut().expand_empty_elements = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut unknown_entities = 0usize;
    let mut budget = Budget::default();
    let mut known = Namespaces::default();
    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = match reader.read_resolved_event() {
            Ok((res, event)) => (known.resolve(res), event),
            Err(e) => return Err(malformed(source, reader.error_position() as usize, &e)),
        };
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    let message = format!("elements are nested more than {MAX_DEPTH} deep");
                    return Err(located(source, before, message));
                }
                let is_item = ns == Ns::Rss && start.local_name().as_ref() == b"item";
                budget.element(stack.len(), is_item)?;
                let qname = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let mut attrs = Vec::new();
                let mut keys = Vec::new();
                // Unchecked: quick-xml's own duplicate check is quadratic; `duplicate` is not.
                for attr in start.attributes().with_checks(false) {
                    let attr = attr.map_err(|e| located(source, before, e.to_string()))?;
                    if keys.len() == MAX_ATTRIBUTES {
                        return Err(too_many_attributes(source, before, &qname));
                    }
                    keys.push(attr.key.into_inner());
                    let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        budget.namespace()?;
                        continue;
                    }
                    let raw = String::from_utf8_lossy(&attr.value);
                    let value = entities::unescape_attribute(&raw, &mut unknown_entities);
                    attrs.push((key, value));
                }
                if let Some(key) = limits::duplicate(&keys) {
                    let key = String::from_utf8_lossy(key);
                    let message = format!("the attribute {key:?} occurs twice in <{qname}>");
                    return Err(located(source, before, message));
                }
                let at = reader.buffer_position() as usize;
                stack.push(Element {
                    ns,
                    name,
                    qname,
                    attrs,
                    text: String::new(),
                    children: Vec::new(),
                    inner: at..at,
                });
            }
            Event::End(_) => {
                let Some(mut done) = stack.pop() else {
                    return Err(located(source, before, "an end tag without a start".into()));
                };
                done.inner.end = before;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => {
                        note_entities(report, unknown_entities);
                        return Ok(done);
                    }
                }
            }
            Event::Text(t) => {
                let text = t
                    .xml10_content()
                    .map_err(|e| located(source, before, e.to_string()))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::CData(c) => {
                let text = c
                    .xml10_content()
                    .map_err(|e| located(source, before, e.to_string()))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        entities::resolve(&name)
                            .map(str::to_string)
                            .unwrap_or_else(|| {
                                unknown_entities += 1;
                                format!("&{name};")
                            })
                    }
                    Err(e) => return Err(located(source, before, e.to_string())),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::Eof => {
                return Err(match stack.last() {
                    Some(open) => located(
                        source,
                        source.len(),
                        format!("the document ends inside <{}>", open.qname),
                    ),
                    None => ParseError::Empty,
                });
            }
            Event::Empty(_)
            | Event::Decl(_)
            | Event::DocType(_)
            | Event::PI(_)
            | Event::Comment(_) => {}
        }
    }
}

/// Namespaces already met, by URI or undeclared prefix: each is classified once, not once
/// per element.
#[derive(Default)]
struct Namespaces {
    bound: HashMap<Vec<u8>, Ns>,
    unknown: HashMap<Vec<u8>, Ns>,
}

impl Namespaces {
    fn resolve(&mut self, res: ResolveResult<'_>) -> Ns {
        let (map, key, classify): (_, &[u8], fn(&str) -> Ns) = match &res {
            ResolveResult::Unbound => return Ns::Rss,
            ResolveResult::Bound(ns) => (&mut self.bound, ns.as_ref(), Ns::from_uri),
            ResolveResult::Unknown(prefix) => (&mut self.unknown, prefix, Ns::from_prefix),
        };
        if let Some(ns) = map.get(key) {
            return ns.clone();
        }
        let ns = classify(&String::from_utf8_lossy(key));
        map.insert(key.to_vec(), ns.clone());
        ns
    }
}

fn note_entities(report: &mut Report, n: usize) {
    if n > 0 {
        report.add(
            code::UNKNOWN_ENTITY,
            format!("{n} unknown entity reference(s) such as &foo; were kept as written"),
        );
    }
}

fn too_many_attributes(source: &str, at: usize, qname: &str) -> ParseError {
    let (line, column) = line_column(source, at);
    ParseError::TooManyAttributes {
        element: qname.to_string(),
        limit: MAX_ATTRIBUTES,
        line,
        column,
    }
}

fn malformed(source: &str, at: usize, err: &quick_xml::Error) -> ParseError {
    located(source, at, err.to_string())
}

/// A syntax error at byte `at` of `source`, with its line and column (from 1).
fn located(source: &str, at: usize, message: String) -> ParseError {
    let (line, column) = line_column(source, at);
    ParseError::Malformed {
        line,
        column,
        message,
    }
}

fn line_column(source: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests;

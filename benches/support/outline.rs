//! A whitespace- and escape-insensitive view of an XML document, to compare renderers' output.

use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One step of a document: text and CDATA are merged, entities resolved, indentation dropped,
/// and attributes sorted, so equal outlines mean the same elements, attributes and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Open(String, Vec<(String, String)>),
    Close(String),
    Text(String),
}

/// The outline of `xml`; panics if it is not well-formed.
pub fn outline(xml: &[u8]) -> Vec<Node> {
    let xml = std::str::from_utf8(xml).expect("UTF-8 output");
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut nodes, mut text) = (Vec::new(), String::new());
    loop {
        let event = reader.read_event().expect("well-formed XML");
        if !matches!(
            event,
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)
        ) {
            if !text.trim().is_empty() {
                nodes.push(Node::Text(std::mem::take(&mut text)));
            }
            text.clear();
        }
        match event {
            Event::Start(e) => nodes.push(open(&e)),
            Event::Empty(e) => {
                nodes.push(open(&e));
                nodes.push(Node::Close(name(&e)));
            }
            Event::End(e) => nodes.push(Node::Close(utf8(e.name().as_ref()))),
            Event::Text(e) => text.push_str(&e.decode().expect("UTF-8 text")),
            Event::CData(e) => text.push_str(&e.decode().expect("UTF-8 CDATA")),
            Event::GeneralRef(r) => match r.resolve_char_ref().expect("a valid reference") {
                Some(c) => text.push(c),
                None => {
                    let entity = r.decode().expect("UTF-8 reference");
                    text.push_str(resolve_xml_entity(&entity).expect("a known entity"));
                }
            },
            Event::Eof => return nodes,
            _ => {}
        }
    }
}

/// The `(title, guid)` of each `item`, in document order.
pub fn items(nodes: &[Node]) -> Vec<(String, String)> {
    let (mut found, mut path) = (Vec::new(), Vec::<&str>::new());
    for node in nodes {
        match node {
            Node::Open(name, _) if name == "item" => {
                found.push((String::new(), String::new()));
                path.push(name);
            }
            Node::Open(name, _) => path.push(name),
            Node::Close(_) => {
                path.pop();
            }
            Node::Text(t) => {
                let (Some(item), [.., "item", field]) = (found.last_mut(), path.as_slice()) else {
                    continue;
                };
                match *field {
                    "title" => item.0.push_str(t),
                    "guid" => item.1.push_str(t),
                    _ => {}
                }
            }
        }
    }
    found
}

fn open(e: &BytesStart) -> Node {
    let mut attrs: Vec<(String, String)> = e
        .attributes()
        .map(|a| {
            let a = a.expect("a well-formed attribute");
            let value = a
                .unescape_value_with(resolve_xml_entity)
                .expect("a valid attribute value");
            (utf8(a.key.as_ref()), value.into_owned())
        })
        .collect();
    attrs.sort();
    Node::Open(name(e), attrs)
}

fn name(e: &BytesStart) -> String {
    utf8(e.name().as_ref())
}

fn utf8(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("a UTF-8 name")
}

//! What changed between two versions of a feed document: episodes added, removed or changed
//! (by guid), and channel fields changed. Read from the two XML documents themselves, so it
//! describes exactly what subscribers' apps saw change.

use std::collections::{BTreeMap, HashMap, HashSet};

use quick_xml::{events::Event, Reader};
use serde::{Deserialize, Serialize};

/// An episode, as a feed names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EpisodeRef {
    pub guid: String,
    pub title: String,
}

/// An episode in both versions whose item differs, and which of its elements did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EpisodeChange {
    pub guid: String,
    pub title: String,
    /// The item's elements that differ, by name (`title`, `enclosure`, `itunes:duration`...).
    pub fields: Vec<String>,
}

/// What changed from one version of a feed document to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeedChanges {
    pub added: Vec<EpisodeRef>,
    pub removed: Vec<EpisodeRef>,
    pub changed: Vec<EpisodeChange>,
    /// Channel fields that differ, named for people (`title`, `artwork`, `categories`...).
    pub channel: Vec<String>,
}

impl FeedChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.channel.is_empty()
    }
}

/// What changed from `old` to `new`; `None` when either is not a feed document.
pub fn between(old: &[u8], new: &[u8]) -> Option<FeedChanges> {
    Some(compare(&Doc::parse(old)?, &Doc::parse(new)?))
}

/// What changed from `old` to `new`, each parsed once ([`Doc::parse`]).
pub fn compare(old: &Doc<'_>, new: &Doc<'_>) -> FeedChanges {
    let mut changes = FeedChanges::default();
    let before: HashMap<&str, &Item> = old.items.iter().map(|i| (i.guid.as_str(), i)).collect();
    let after: HashSet<&str> = new.items.iter().map(|i| i.guid.as_str()).collect();
    for item in &new.items {
        match before.get(item.guid.as_str()) {
            None => changes.added.push(item.named()),
            Some(was) => {
                let fields = differing(&was.fields, &item.fields);
                if !fields.is_empty() {
                    changes.changed.push(EpisodeChange {
                        guid: item.guid.clone(),
                        title: item.title.clone(),
                        fields,
                    });
                }
            }
        }
    }
    for item in &old.items {
        if !after.contains(item.guid.as_str()) {
            changes.removed.push(item.named());
        }
    }
    for name in differing(&old.channel, &new.channel) {
        let label = channel_label(&name);
        if !changes.channel.iter().any(|l| l == label) {
            changes.channel.push(label.to_string());
        }
    }
    changes
}

/// Every episode of a first version, as added.
pub fn first(new: &[u8]) -> Option<FeedChanges> {
    Doc::parse(new).map(|doc| added(&doc))
}

/// Every episode of `doc`, as added.
pub fn added(doc: &Doc<'_>) -> FeedChanges {
    FeedChanges {
        added: doc.items.iter().map(Item::named).collect(),
        ..FeedChanges::default()
    }
}

/// Channel elements that change with every publish, or that no one edits.
const NOISE: &[&str] = &["lastBuildDate", "generator", "item"];

/// The name a podcaster knows a channel element by.
fn channel_label(name: &str) -> &str {
    match name {
        "image" | "itunes:image" => "artwork",
        "itunes:category" => "categories",
        "itunes:explicit" => "explicit",
        "itunes:author" => "author",
        "itunes:owner" => "owner",
        "itunes:type" => "show type",
        "itunes:new-feed-url" => "new feed URL",
        "itunes:block" => "hidden from Apple",
        "itunes:complete" => "complete",
        "atom:link" => "feed links",
        "podcast:guid" => "podcast GUID",
        "podcast:locked" => "locked",
        "podcast:funding" => "funding",
        other => other,
    }
}

/// Names whose values differ, or that only one side has, in name order.
fn differing(old: &Fields<'_>, new: &Fields<'_>) -> Vec<String> {
    let mut names: Vec<String> = old
        .keys()
        .chain(new.keys())
        .filter(|k| old.get(*k) != new.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Each child element by name, as the bytes it was written as (every one of that name).
type Fields<'a> = BTreeMap<String, Vec<&'a [u8]>>;

struct Item<'a> {
    guid: String,
    title: String,
    fields: Fields<'a>,
}

impl Item<'_> {
    fn named(&self) -> EpisodeRef {
        EpisodeRef {
            guid: self.guid.clone(),
            title: self.title.clone(),
        }
    }
}

/// A feed document as compared: each channel child and each item's children, by name, as the
/// bytes written (podpub renders the same value the same way, so equal bytes are equal values).
pub struct Doc<'a> {
    channel: Fields<'a>,
    items: Vec<Item<'a>>,
}

/// An element being read.
struct Open<'a> {
    name: String,
    start: usize,
    /// Its own text, unescaped (kept for an item's guid and title only).
    text: String,
    children: Fields<'a>,
    texts: HashMap<String, String>,
}

impl<'a> Doc<'a> {
    /// Reads a feed document; `None` when it is not one.
    pub fn parse(xml: &'a [u8]) -> Option<Doc<'a>> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().expand_empty_elements = true;
        let mut stack: Vec<Open<'a>> = Vec::new();
        let mut doc = Doc {
            channel: BTreeMap::new(),
            items: Vec::new(),
        };
        let mut seen_channel = false;
        loop {
            let before = reader.buffer_position() as usize;
            let event = reader.read_event().ok()?;
            match event {
                Event::Start(s) => stack.push(Open {
                    name: String::from_utf8_lossy(s.name().as_ref()).into_owned(),
                    start: before,
                    text: String::new(),
                    children: BTreeMap::new(),
                    texts: HashMap::new(),
                }),
                Event::End(_) => {
                    let done = stack.pop()?;
                    let end = reader.buffer_position() as usize;
                    let raw = xml.get(done.start..end)?;
                    let depth = stack.len();
                    // rss > channel > (field | item > field)
                    if depth == 1 && done.name == "channel" {
                        seen_channel = true;
                        doc.channel = done.children;
                        continue;
                    }
                    if depth == 2 && done.name == "item" {
                        let mut texts = done.texts;
                        doc.items.push(Item {
                            guid: texts.remove("guid").unwrap_or_default(),
                            title: texts.remove("title").unwrap_or_default(),
                            fields: done.children,
                        });
                        continue;
                    }
                    if let Some(parent) = stack.last_mut() {
                        let noise = depth == 2 && NOISE.contains(&done.name.as_str());
                        if depth <= 3 && !noise {
                            let named = (done.name == "guid" || done.name == "title") && depth == 3;
                            if named {
                                parent.texts.entry(done.name.clone()).or_insert(done.text);
                            }
                            parent.children.entry(done.name).or_default().push(raw);
                        }
                    }
                }
                Event::Text(t) => push_text(&mut stack, &t.xml10_content().ok()?),
                Event::CData(c) => push_text(&mut stack, &c.xml10_content().ok()?),
                Event::GeneralRef(r) => {
                    let text = match r.resolve_char_ref().ok()? {
                        Some(c) => c.to_string(),
                        None => {
                            let name = r.decode().ok()?;
                            quick_xml::escape::resolve_xml_entity(&name)?.to_string()
                        }
                    };
                    push_text(&mut stack, &text);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        seen_channel.then_some(doc)
    }
}

fn push_text(stack: &mut [Open<'_>], text: &str) {
    // Only an item's children (rss > channel > item > title) keep their text.
    if stack.len() != 4 {
        return;
    }
    if let Some(top) = stack.last_mut() {
        top.text.push_str(text);
    }
}

#[cfg(test)]
mod tests;

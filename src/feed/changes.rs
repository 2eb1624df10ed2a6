//! What changed between two versions of a feed document: episodes added, removed or changed
//! (by guid), and channel fields changed. Read from the two XML documents themselves, so it
//! describes exactly what subscribers' apps saw change.

use std::collections::BTreeMap;

use quick_xml::{events::Event, Reader};
use serde::Serialize;

/// An episode, as a feed names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EpisodeRef {
    pub guid: String,
    pub title: String,
}

/// An episode in both versions whose item differs, and which of its elements did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EpisodeChange {
    pub guid: String,
    pub title: String,
    /// The item's elements that differ, by name (`title`, `enclosure`, `itunes:duration`...).
    pub fields: Vec<String>,
}

/// What changed from one version of a feed document to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
    let (old, new) = (Doc::parse(old)?, Doc::parse(new)?);
    let mut changes = FeedChanges::default();
    for item in &new.items {
        match old.items.iter().find(|o| o.guid == item.guid) {
            None => changes.added.push(item.named()),
            Some(before) => {
                let fields = differing(&before.fields, &item.fields);
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
        if !new.items.iter().any(|n| n.guid == item.guid) {
            changes.removed.push(item.named());
        }
    }
    for name in differing(&old.channel, &new.channel) {
        let label = channel_label(&name);
        if !changes.channel.iter().any(|l| l == label) {
            changes.channel.push(label.to_string());
        }
    }
    Some(changes)
}

/// Every episode of a first version, as added.
pub fn first(new: &[u8]) -> Option<FeedChanges> {
    let doc = Doc::parse(new)?;
    Some(FeedChanges {
        added: doc.items.iter().map(Item::named).collect(),
        ..FeedChanges::default()
    })
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
fn differing(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<String> {
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

struct Item {
    guid: String,
    title: String,
    fields: BTreeMap<String, String>,
}

impl Item {
    fn named(&self) -> EpisodeRef {
        EpisodeRef {
            guid: self.guid.clone(),
            title: self.title.clone(),
        }
    }
}

/// A feed document as compared: each channel child and each item's children, by name, each
/// as one canonical string (the same elements in the same order give the same string).
struct Doc {
    channel: BTreeMap<String, String>,
    items: Vec<Item>,
}

/// An element being read.
#[derive(Default)]
struct Open {
    name: String,
    /// Its attributes, text and descendants, canonically.
    canon: String,
    /// Its own text, unescaped.
    text: String,
    children: BTreeMap<String, String>,
    texts: BTreeMap<String, String>,
}

impl Doc {
    fn parse(xml: &[u8]) -> Option<Doc> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().expand_empty_elements = true;
        let mut stack: Vec<Open> = Vec::new();
        let mut doc = Doc {
            channel: BTreeMap::new(),
            items: Vec::new(),
        };
        let mut buf = Vec::new();
        let mut seen_channel = false;
        loop {
            let event = reader.read_event_into(&mut buf).ok()?;
            match event {
                Event::Start(s) => {
                    let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                    let mut canon = format!("<{name}");
                    for a in s.attributes() {
                        let a = a.ok()?;
                        let value = a.unescape_value().ok()?;
                        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                        canon.push_str(&format!(" {key}={value:?}"));
                    }
                    canon.push('>');
                    stack.push(Open {
                        name,
                        canon,
                        ..Open::default()
                    });
                }
                Event::End(_) => {
                    let mut done = stack.pop()?;
                    done.canon.push_str(&format!("</{}>", done.name));
                    let depth = stack.len();
                    // rss > channel > (field | item > field)
                    if depth == 1 && done.name == "channel" {
                        seen_channel = true;
                        doc.channel = done.children;
                    } else if depth == 2 && done.name == "item" {
                        let texts = &done.texts;
                        doc.items.push(Item {
                            guid: texts.get("guid").cloned().unwrap_or_default(),
                            title: texts.get("title").cloned().unwrap_or_default(),
                            fields: done.children,
                        });
                    }
                    if let Some(parent) = stack.last_mut() {
                        parent.canon.push_str(&done.canon);
                        let keep = !(depth == 2 && NOISE.contains(&done.name.as_str()));
                        if keep {
                            let slot = parent.children.entry(done.name.clone()).or_default();
                            slot.push_str(&done.canon);
                        }
                        parent.texts.entry(done.name).or_insert(done.text);
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
            buf.clear();
        }
        seen_channel.then_some(doc)
    }
}

fn push_text(stack: &mut [Open], text: &str) {
    if let Some(top) = stack.last_mut() {
        // Indentation between elements is not content.
        if !text.trim().is_empty() || !top.text.is_empty() {
            top.text.push_str(text);
            top.canon.push_str(&format!("{text:?}"));
        }
    }
}

#[cfg(test)]
mod tests;

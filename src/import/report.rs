//! What an import could not carry over as it was: one entry per problem, with a stable code.

use std::collections::BTreeMap;

use serde::Serialize;

/// The stable report codes. They are part of the API: never rename one.
pub mod code {
    /// An element podpub has no place for (per element name, with a count).
    pub const ELEMENT_NOT_IMPORTED: &str = "element_not_imported";
    /// Elements of a namespace podpub does not read (per namespace).
    pub const NAMESPACE_NOT_IMPORTED: &str = "namespace_not_imported";
    /// An item without an enclosure: podpub episodes need one.
    pub const ITEM_SKIPPED_NO_ENCLOSURE: &str = "item_skipped_no_enclosure";
    /// An item whose enclosure URL is not an absolute http(s) URL.
    pub const ITEM_SKIPPED_INVALID_ENCLOSURE: &str = "item_skipped_invalid_enclosure";
    /// An item without guid, link or a single enclosure URL to identify it.
    pub const ITEM_SKIPPED_NO_GUID: &str = "item_skipped_no_guid";
    /// An item whose guid is too long to keep (over 2048 characters).
    pub const ITEM_SKIPPED_INVALID_GUID: &str = "item_skipped_invalid_guid";
    /// An item without a title or a single enclosure to name it after.
    pub const ITEM_SKIPPED_NO_TITLE: &str = "item_skipped_no_title";
    /// An item whose guid an earlier item already has.
    pub const ITEM_SKIPPED_DUPLICATE_GUID: &str = "item_skipped_duplicate_guid";
    /// An item without a guid got its link or enclosure URL as its guid.
    pub const GUID_DERIVED: &str = "guid_derived";
    /// The show or an item had no title; one was derived.
    pub const TITLE_DERIVED: &str = "title_derived";
    /// An invalid value was left out.
    pub const VALUE_DROPPED: &str = "value_dropped";
    /// A value longer than podpub stores was shortened.
    pub const VALUE_TRUNCATED: &str = "value_truncated";
    /// A value was corrected: control characters removed, a category respelled, and so on.
    pub const VALUE_CHANGED: &str = "value_changed";
    /// An item without a pubDate; it gets the import time (document order kept).
    pub const DATE_MISSING: &str = "date_missing";
    /// An item whose pubDate is not a date; it gets the import time (document order kept).
    pub const DATE_INVALID: &str = "date_invalid";
    /// An enclosure type missing or invalid, guessed from the file name.
    pub const ENCLOSURE_TYPE_GUESSED: &str = "enclosure_type_guessed";
    /// An item with several enclosures keeps one.
    pub const EXTRA_ENCLOSURES_DROPPED: &str = "extra_enclosures_dropped";
    /// The feed names a new location (`itunes:new-feed-url`); this copy was imported anyway.
    pub const NEW_FEED_URL_IGNORED: &str = "new_feed_url_ignored";
    /// The feed has no `podcast:guid`; it was computed from the feed's own URL.
    pub const PODCAST_GUID_DERIVED: &str = "podcast_guid_derived";
    /// Entity references such as `&foo;` that XML does not define were kept as written.
    pub const UNKNOWN_ENTITY: &str = "unknown_entity";
    /// Bytes not valid in the feed's encoding were replaced with U+FFFD.
    pub const ENCODING_REPAIRED: &str = "encoding_repaired";
}

/// Entries kept per code; the rest are counted in one closing entry.
const PER_CODE: usize = 20;

/// One thing the import changed, dropped or skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportEntry {
    /// Stable, e.g. `item_skipped_no_enclosure`; the README lists them.
    pub code: &'static str,
    pub message: String,
    /// The episode's guid, for entries about one item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
}

/// The entries of one import, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    entries: Vec<ReportEntry>,
    per_code: BTreeMap<&'static str, usize>,
}

impl Report {
    /// Adds an entry about the whole feed.
    pub fn add(&mut self, code: &'static str, message: impl Into<String>) {
        self.push(code, message.into(), None);
    }

    /// Adds an entry about the item with `guid`.
    pub fn item(&mut self, code: &'static str, guid: &str, message: impl Into<String>) {
        let guid = (!guid.is_empty()).then(|| guid.to_string());
        self.push(code, message.into(), guid);
    }

    fn push(&mut self, code: &'static str, message: String, guid: Option<String>) {
        let seen = self.per_code.entry(code).or_default();
        *seen += 1;
        if *seen <= PER_CODE {
            self.entries.push(ReportEntry {
                code,
                message,
                guid,
            });
        }
    }

    /// How many entries have `code`, including those not kept.
    pub fn count(&self, code: &str) -> usize {
        self.per_code.get(code).copied().unwrap_or(0)
    }

    /// The entries, each code's overflow summed up in a last entry of that code.
    pub fn into_entries(self) -> Vec<ReportEntry> {
        let mut entries = self.entries;
        for (code, n) in self.per_code {
            if n > PER_CODE {
                entries.push(ReportEntry {
                    code,
                    message: format!("…and {} more like this", n - PER_CODE),
                    guid: None,
                });
            }
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_one_code_is_summed_up() {
        let mut r = Report::default();
        for i in 0..25 {
            r.item("date_missing", &format!("g{i}"), "no pubDate");
        }
        r.add("element_not_imported", "x");
        assert_eq!(r.count("date_missing"), 25);
        let entries = r.into_entries();
        assert_eq!(entries.len(), PER_CODE + 2);
        let last = entries.last().unwrap();
        assert_eq!(last.code, "date_missing");
        assert_eq!(last.message, "…and 5 more like this");
    }
}

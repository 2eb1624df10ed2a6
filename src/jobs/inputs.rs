//! What a show's published objects are a function of, as one short key.
//!
//! Rendering is pure: the objects depend only on the show's revision (every edit of the show or
//! its episodes bumps it), on the time only through scheduled transitions (the next release,
//! which the render records as `rendered_until`), on the publishing settings, and on the code
//! that renders. A render records the key of its inputs on the show; while the key and the time
//! still match, a refresh knows the objects are current without loading a single episode.
//! `podpub refresh --force` clears the keys.

use sha2::{Digest, Sha256};

/// The source of everything that shapes the published bytes. Any change to these files gives
/// a new build a new key, so the first refresh after an upgrade renders every show again.
const RENDER_SOURCES: &[&[u8]] = &[
    include_bytes!("inputs.rs"),
    include_bytes!("render/mod.rs"),
    include_bytes!("render/write.rs"),
    include_bytes!("render/stylesheet.rs"),
    include_bytes!("render/snapshot.rs"),
    include_bytes!("../../templates/feed/feed.xsl"),
    include_bytes!("../feed/render/mod.rs"),
    include_bytes!("../feed/render/channel.rs"),
    include_bytes!("../feed/render/item.rs"),
    include_bytes!("../feed/render/podcasting.rs"),
    include_bytes!("../feed/render/items.rs"),
    include_bytes!("../feed/render/listing.rs"),
    include_bytes!("../feed/render/value.rs"),
    include_bytes!("../feed/render/live.rs"),
    include_bytes!("../domain/podcasting/live.rs"),
    include_bytes!("../domain/podcasting/analytics.rs"),
    include_bytes!("../feed/render/writer.rs"),
    include_bytes!("../feed/model.rs"),
    include_bytes!("../feed/input.rs"),
    include_bytes!("../feed/plan.rs"),
    include_bytes!("../feed/guid.rs"),
    include_bytes!("../feed/mod.rs"),
    include_bytes!("../domain/mod.rs"),
    include_bytes!("../domain/show.rs"),
    include_bytes!("../domain/episode.rs"),
    include_bytes!("../domain/podcasting.rs"),
    include_bytes!("../domain/text_enum.rs"),
    include_bytes!("../domain/text.rs"),
    include_bytes!("../domain/url.rs"),
    include_bytes!("../publish/mod.rs"),
    include_bytes!("../publish/dir.rs"),
    include_bytes!("../publish/s3.rs"),
];

/// FNV-1a over the render sources and the crate version, computed by the compiler.
pub const RENDER_CODE: u64 = {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let mut i = 0;
    while i < version.len() {
        hash = (hash ^ version[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    let mut f = 0;
    while f < RENDER_SOURCES.len() {
        let file = RENDER_SOURCES[f];
        let mut i = 0;
        while i < file.len() {
            hash = (hash ^ file[i] as u64).wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        f += 1;
    }
    hash
};

/// The settings and code a render depends on, hashed once per process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderInputs {
    fingerprint: String,
}

impl RenderInputs {
    /// `parts` are every setting that changes what is written (base URL, cache control,
    /// installation, ...), in a fixed order.
    pub fn new(parts: &[&str]) -> RenderInputs {
        let mut hasher = Sha256::new();
        hasher.update(RENDER_CODE.to_le_bytes());
        for part in parts {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        RenderInputs {
            fingerprint: hex::encode(&hasher.finalize()[..12]),
        }
    }

    /// The key of a render of `revision` with these settings and this code.
    pub fn key(&self, revision: i64) -> String {
        format!("{revision}:{}", self.fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_changes_with_the_revision_and_every_setting() {
        let base = RenderInputs::new(&["https://feeds.example.com", "public, max-age=300"]);
        let other_url = RenderInputs::new(&["https://cdn.example.com", "public, max-age=300"]);
        let other_cache = RenderInputs::new(&["https://feeds.example.com", "max-age=60"]);
        assert_eq!(base.key(3), base.key(3));
        assert_ne!(base.key(3), base.key(4));
        assert_ne!(base.key(3), other_url.key(3));
        assert_ne!(base.key(3), other_cache.key(3));
        // Parts are length-prefixed: moving a boundary is a different input.
        assert_ne!(
            RenderInputs::new(&["ab", "c"]).key(1),
            RenderInputs::new(&["a", "bc"]).key(1)
        );
    }
}

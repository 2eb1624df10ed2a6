//! Jobs as the rest of podpub sees them: their kinds and states.

use super::text_enum;

text_enum! {
    /// What a job does.
    pub enum JobKind {
        /// Render a show's feed and publish it if it changed.
        Render = "render",
        /// Remove a purged show's objects. Payload: `{"keys": [...]}`.
        Purge = "purge",
        /// Send the queued CDN paths to CloudFront in one invalidation.
        Invalidate = "invalidate",
        /// Tell a WebSub hub, Podping or Podcast Index that a feed changed.
        Notify = "notify",
        /// Measure an uploaded file and fill in what it is for. Payload: `{"media_id": ...}`.
        Probe = "probe",
        /// Copy a show's media (enclosures and artwork named by URL) into the store, and switch
        /// each URL once its copy is verified. `show_id` set; no payload.
        CopyMedia = "copy_media",
    }
}

text_enum! {
    /// Where a job is: waiting, running, finished, waiting for a retry, or given up on.
    pub enum JobState {
        Queued = "queued",
        Running = "running",
        Done = "done",
        Failed = "failed",
        Dead = "dead",
    }
}

text_enum! {
    /// What an object in the store is.
    pub enum ObjectKind {
        /// The subscription feed.
        Feed = "feed",
        /// An RFC 5005 archive page.
        Archive = "archive",
        /// A zero-byte redirect stub.
        Redirect = "redirect",
        /// An object every feed shares, such as the feed stylesheet; owned by no show.
        Static = "static",
    }
}

/// How many jobs wait, run, failed or died, and how long the oldest due one has waited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct QueueDepth {
    pub queued: i64,
    pub running: i64,
    pub failed: i64,
    pub dead: i64,
    pub oldest_due_secs: i64,
}

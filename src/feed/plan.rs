//! Where a show's subscribers belong at a given moment.
//!
//! - A renamed show publishes at its new key, names itself in `<itunes:new-feed-url>` for the
//!   grace period, and each old slug holds a stub to its current home.
//! - A show moving out announces its new home in `<itunes:new-feed-url>` until
//!   `move_redirect_at`; from then on its own key is a stub to that home as well.
//!
//! Like the render, this is a function of the stored show and the time `as_of`.

use chrono::{DateTime, Duration, Utc};

use crate::domain::{feed_url, Show};

/// A show's place at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovePlan {
    /// Where subscribers belong: the show's own feed URL, or its new home once a move out's
    /// redirect is due. Every stub points here.
    pub destination: String,
    /// The show's own key holds a stub, not the feed (a move out whose time has come).
    pub redirected: bool,
    /// `<itunes:new-feed-url>` for the feed.
    pub new_feed_url: Option<String>,
    /// The next time the plan changes on its own (a move out's redirect, a grace period's end).
    pub next_change: Option<DateTime<Utc>>,
}

impl MovePlan {
    pub fn of(show: &Show, base_url: &str, grace: Duration, as_of: DateTime<Utc>) -> MovePlan {
        let own = feed_url(base_url, &show.fields.slug);
        let moving_to = show.new_feed_url.as_ref();
        let redirected = moving_to.is_some() && show.move_redirect_at.is_some_and(|at| at <= as_of);
        let grace_end = show.renamed_at.map(|at| at + grace);
        let new_feed_url = match moving_to {
            Some(url) => Some(url.clone()),
            None if grace_end.is_some_and(|end| end > as_of) => Some(own.clone()),
            None => None,
        };
        let move_due = show.move_redirect_at.filter(|_| moving_to.is_some());
        let next_change = [move_due, grace_end]
            .into_iter()
            .flatten()
            .filter(|at| *at > as_of)
            .min();
        MovePlan {
            destination: match (redirected, moving_to) {
                (true, Some(url)) => url.clone(),
                _ => own,
            },
            redirected,
            new_feed_url,
            next_change,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ShowFields;

    const BASE: &str = "https://feeds.example.com";

    fn show(slug: &str) -> Show {
        let fields = ShowFields {
            slug: slug.into(),
            title: "T".into(),
            ..ShowFields::default()
        };
        Show {
            id: uuid::Uuid::nil(),
            fields,
            podcast_guid: uuid::Uuid::nil(),
            status: crate::domain::ShowStatus::Active,
            new_feed_url: None,
            move_redirect_at: None,
            renamed_at: None,
            revision: 1,
            published_revision: None,
            publish_error: None,
            publish_conflict: false,
            rendered_inputs: None,
            rendered_until: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_show_that_never_moved_is_at_home() {
        let plan = MovePlan::of(&show("home"), BASE, Duration::days(30), Utc::now());
        assert_eq!(plan.destination, "https://feeds.example.com/home/feed.xml");
        assert!(!plan.redirected);
        assert_eq!(plan.new_feed_url, None);
        assert_eq!(plan.next_change, None);
    }

    #[test]
    fn a_renamed_show_names_itself_for_the_grace_period() {
        let t0 = Utc::now();
        let mut s = show("new-name");
        s.renamed_at = Some(t0);
        let grace = Duration::days(30);
        let during = MovePlan::of(&s, BASE, grace, t0 + Duration::days(29));
        assert_eq!(
            during.new_feed_url.as_deref(),
            Some("https://feeds.example.com/new-name/feed.xml")
        );
        assert_eq!(during.next_change, Some(t0 + grace));
        assert!(!during.redirected);
        let after = MovePlan::of(&s, BASE, grace, t0 + grace);
        assert_eq!(after.new_feed_url, None);
        assert_eq!(after.next_change, None);
    }

    #[test]
    fn a_move_out_announces_then_redirects() {
        let t0 = Utc::now();
        let mut s = show("leaving");
        s.new_feed_url = Some("https://elsewhere.example/feed".into());
        s.move_redirect_at = Some(t0 + Duration::days(7));
        let before = MovePlan::of(&s, BASE, Duration::days(30), t0);
        assert!(!before.redirected);
        assert_eq!(
            before.new_feed_url.as_deref(),
            Some("https://elsewhere.example/feed")
        );
        assert_eq!(
            before.destination,
            "https://feeds.example.com/leaving/feed.xml"
        );
        assert_eq!(before.next_change, Some(t0 + Duration::days(7)));
        let after = MovePlan::of(&s, BASE, Duration::days(30), t0 + Duration::days(7));
        assert!(after.redirected);
        assert_eq!(after.destination, "https://elsewhere.example/feed");
        assert_eq!(after.next_change, None);
    }
}

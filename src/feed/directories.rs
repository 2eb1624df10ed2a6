//! The podcast directories a show is submitted to by hand, where, and what each checks, tied
//! to the validation warnings ([`super::validate::code`]) that would make a check fail.

use super::validate::code::*;

/// A directory a podcaster submits the feed to.
#[derive(Debug)]
pub struct Directory {
    pub name: &'static str,
    /// Where a podcaster submits the feed.
    pub submit_url: &'static str,
    pub checks: &'static [Check],
}

/// One thing a directory checks; it is met while the feed has none of `codes`' warnings.
/// An empty `codes`: podpub always publishes what it asks for.
#[derive(Debug)]
pub struct Check {
    pub what: &'static str,
    pub codes: &'static [&'static str],
}

const fn check(what: &'static str, codes: &'static [&'static str]) -> Check {
    Check { what, codes }
}

const ARTWORK: &[&str] = &[ARTWORK_MISSING, ARTWORK_SIZE];

/// The directories, in the order the Feed tab lists them.
pub const DIRECTORIES: &[Directory] = &[
    Directory {
        name: "Apple Podcasts",
        submit_url: "https://podcastsconnect.apple.com/",
        checks: &[
            check(
                "Artwork: a square RGB JPEG or PNG from 1400×1400 to 3000×3000 pixels",
                &[ARTWORK_MISSING, ARTWORK_SIZE, ARTWORK_NOT_RGB],
            ),
            check(
                "At least one category from Apple's list",
                &[CATEGORY_MISSING, CATEGORY_UNKNOWN],
            ),
            check("The explicit flag (itunes:explicit)", &[]),
            check(
                "An owner email (itunes:owner), to verify that the show is yours",
                &[OWNER_EMAIL_MISSING],
            ),
            check("An author (itunes:author)", &[AUTHOR_MISSING]),
            check("At least one published episode", &[EMPTY_SHOW]),
            check(
                "Episode files of a type Apple accepts, with their size",
                &[ENCLOSURE_TYPE_REJECTED, ENCLOSURE_LENGTH_MISSING],
            ),
            check(
                "Titles up to 255 characters, descriptions up to 4,000 bytes",
                &[TITLE_TOO_LONG, DESCRIPTION_TOO_LONG],
            ),
        ],
    },
    Directory {
        name: "Spotify",
        submit_url: "https://creators.spotify.com/",
        checks: &[
            check("Square artwork (Spotify shows it at 1:1)", ARTWORK),
            check(
                "An owner email: Spotify sends it a code to verify the show",
                &[OWNER_EMAIL_MISSING],
            ),
            check("A category", &[CATEGORY_MISSING]),
            check("At least one published episode", &[EMPTY_SHOW]),
            check("A unique guid for each episode", &[DUPLICATE_GUID]),
        ],
    },
    Directory {
        name: "YouTube Music",
        submit_url: "https://studio.youtube.com/",
        checks: &[
            check(
                "An RSS feed whose episodes each have an enclosure with its size",
                &[EMPTY_SHOW, ENCLOSURE_LENGTH_MISSING],
            ),
            check(
                "A unique enclosure URL per episode",
                &[DUPLICATE_ENCLOSURE_URL],
            ),
            check("Show artwork", ARTWORK),
            check(
                "An owner email: YouTube verifies the feed through it",
                &[OWNER_EMAIL_MISSING],
            ),
        ],
    },
    Directory {
        name: "Podcast Index",
        submit_url: "https://podcastindex.org/add",
        checks: &[
            check("podcast:guid, the show's permanent identity", &[]),
            check(
                "podcast:locked, with the owner email that may unlock it",
                &[OWNER_EMAIL_MISSING],
            ),
            check("https URLs in podcast: tags", &[PODCAST_TAG_NOT_HTTPS]),
            check(
                "Value (payment) splits that add up",
                &[
                    VALUE_RECIPIENT_NO_ADDRESS,
                    VALUE_SPLITS_ZERO,
                    VALUE_TIME_SPLIT_PAST_END,
                ],
            ),
            check("Show artwork", &[ARTWORK_MISSING]),
        ],
    },
];

/// A check as it stands for one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub what: &'static str,
    pub met: bool,
    /// The messages of the warnings that fail it (each message once).
    pub messages: Vec<String>,
}

/// Each directory's checks against the feed's warnings, given as `(code, message)`.
pub fn assess<'a>(
    warnings: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
) -> Vec<(&'static Directory, Vec<CheckResult>)> {
    DIRECTORIES
        .iter()
        .map(|d| {
            let results = d
                .checks
                .iter()
                .map(|c| {
                    let mut messages: Vec<String> = Vec::new();
                    for (code, message) in warnings.clone() {
                        if c.codes.contains(&code) && !messages.iter().any(|m| m == message) {
                            messages.push(message.to_string());
                        }
                    }
                    CheckResult {
                        what: c.what,
                        met: messages.is_empty(),
                        messages,
                    }
                })
                .collect();
            (d, results)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_fails_the_checks_tied_to_it_and_no_other() {
        let warnings = [(OWNER_EMAIL_MISSING, "Add an owner email.")];
        let assessed = assess(warnings.iter().copied());
        let (apple, checks) = &assessed[0];
        assert_eq!(apple.name, "Apple Podcasts");
        let failed: Vec<_> = checks.iter().filter(|c| !c.met).collect();
        assert_eq!(failed.len(), 1);
        assert!(failed[0].what.starts_with("An owner email"));
        assert_eq!(failed[0].messages, ["Add an owner email."]);
        for (_, checks) in &assessed {
            assert_eq!(checks.iter().filter(|c| !c.met).count(), 1);
        }
    }

    #[test]
    fn cmyk_artwork_fails_apples_artwork_check_only() {
        let warnings = [(ARTWORK_NOT_RGB, "The artwork is CMYK; Apple wants RGB.")];
        let assessed = assess(warnings.iter().copied());
        let failed = |checks: &[CheckResult]| -> Vec<&str> {
            checks.iter().filter(|c| !c.met).map(|c| c.what).collect()
        };
        let apple = failed(&assessed[0].1);
        assert_eq!(apple.len(), 1);
        assert!(apple[0].starts_with("Artwork: a square RGB"));
        for (directory, checks) in &assessed[1..] {
            assert!(failed(checks).is_empty(), "{}", directory.name);
        }
    }

    #[test]
    fn the_same_message_is_told_once() {
        let warnings = [(EMPTY_SHOW, "Publish one."), (EMPTY_SHOW, "Publish one.")];
        let assessed = assess(warnings.iter().copied());
        let check = assessed[0].1.iter().find(|c| !c.met).unwrap();
        assert_eq!(check.messages.len(), 1);
    }
}

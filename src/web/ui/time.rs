//! Times as people type and read them: in their own time zone, durations as H:MM:SS.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use std::sync::LazyLock;

/// A region of the time zone list (`Europe`, ...) and its zones as (name, shown text).
pub struct ZoneGroup {
    pub region: &'static str,
    pub zones: Vec<(&'static str, String)>,
}

const REGIONS: [&str; 10] = [
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// Every time zone, grouped by region in the usual order (UTC and the old aliases last, under
/// `Other`), each shown without its region and with spaces: `America/New_York` is `New York`.
pub fn zone_groups() -> &'static [ZoneGroup] {
    static GROUPS: LazyLock<Vec<ZoneGroup>> = LazyLock::new(|| {
        let mut groups: Vec<ZoneGroup> = REGIONS
            .iter()
            .chain(&["Other"])
            .map(|region| ZoneGroup {
                region,
                zones: Vec::new(),
            })
            .collect();
        for tz in chrono_tz::TZ_VARIANTS {
            let name = tz.name();
            let (at, shown) = match name.split_once('/') {
                Some((region, rest)) if REGIONS.contains(&region) => {
                    (REGIONS.iter().position(|r| *r == region), rest)
                }
                _ => (None, name),
            };
            let group = &mut groups[at.unwrap_or(REGIONS.len())];
            group.zones.push((name, shown.replace('_', " ")));
        }
        for g in &mut groups {
            g.zones.sort_by(|a, b| a.1.cmp(&b.1));
        }
        groups
    });
    &GROUPS
}

pub fn parse_tz(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

/// The value of a `datetime-local` input (with `step="1"`), to the second.
pub fn input_value(at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    if local.second() == 0 {
        local.format("%Y-%m-%dT%H:%M").to_string()
    } else {
        local.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

/// A `datetime-local` value read in `tz`.
pub fn parse_input(raw: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let raw = raw.trim();
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .map_err(|_| "must be a date and time like 2026-05-01T09:30".to_string())?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        // The clocks went back: the first of the two.
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "does not exist in {tz} (the clocks go forward then)"
        )),
    }
}

/// A time for reading, in `tz`.
pub fn display(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

pub fn duration(seconds: i64) -> String {
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// `H:MM:SS`, `M:SS` or plain seconds; empty is none.
pub fn parse_duration(raw: &str) -> Result<Option<i64>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = raw.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 7) {
        return Err("must be a duration like 1:02:03 (H:MM:SS)");
    }
    let mut total: i64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let n: i64 = part
            .parse()
            .map_err(|_| "must be a duration like 1:02:03 (H:MM:SS)")?;
        if i > 0 && n >= 60 {
            return Err("minutes and seconds go up to 59");
        }
        total = total * 60 + n;
    }
    Ok(Some(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_grouped_by_region_with_every_zone_once() {
        let groups = zone_groups();
        assert_eq!(groups[0].region, "Africa");
        let all: usize = groups.iter().map(|g| g.zones.len()).sum();
        assert_eq!(all, chrono_tz::TZ_VARIANTS.len());
        let america = groups.iter().find(|g| g.region == "America").unwrap();
        assert!(america
            .zones
            .contains(&("America/New_York", "New York".to_string())));
        let other = groups.last().unwrap();
        assert!(other.zones.iter().any(|(name, _)| *name == "UTC"));
    }

    #[test]
    fn durations_round_trip_as_h_mm_ss() {
        assert_eq!(duration(3723), "1:02:03");
        assert_eq!(parse_duration("1:02:03"), Ok(Some(3723)));
        assert_eq!(parse_duration("45:00"), Ok(Some(2700)));
        assert_eq!(parse_duration("90"), Ok(Some(90)));
        assert_eq!(parse_duration(" "), Ok(None));
        assert!(parse_duration("1:75:00").is_err());
        assert!(parse_duration("abc").is_err());
    }

    #[test]
    fn local_times_are_read_in_the_users_zone() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let at = parse_input("2026-07-01T12:00", tz).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-07-01T10:00:00+00:00");
        assert_eq!(input_value(at, tz), "2026-07-01T12:00");
        assert!(parse_input("2026-03-29T02:30", tz).is_err());
        assert!(parse_input("tomorrow", tz).is_err());
    }
}

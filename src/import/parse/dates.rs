//! Dates as feeds write them: RFC 822/2822 (named zones included), the sloppy variants seen in
//! the wild, and ISO 8601.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Zones chrono's RFC 2822 parser knows; it reads any other name as UTC.
const RFC2822_ZONES: &[&str] = &[
    "UT", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
];

/// Parses a feed date; `None` when it is not a date.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    let last = s.rsplit(char::is_whitespace).next().unwrap_or("");
    let numeric_zone = last.starts_with(['+', '-']);
    if numeric_zone || RFC2822_ZONES.contains(&last.to_ascii_uppercase().as_str()) {
        if let Ok(d) = DateTime::parse_from_rfc2822(s) {
            return Some(d.to_utc());
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.to_utc());
    }
    iso_like(s).or_else(|| loose(s))
}

fn iso_like(s: &str) -> Option<DateTime<Utc>> {
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.to_utc());
        }
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc());
        }
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

/// Day, month name, year, time and zone in any order, each optional but the date: for
/// `Monday, July 6 2020 4:00 PM CEST`, `06 Jul 20 04:00:00 +00:00` and the like.
fn loose(s: &str) -> Option<DateTime<Utc>> {
    let (mut day, mut month, mut year) = (None, None, None);
    let (mut hms, mut offset, mut pm) = ((0, 0, 0), 0i32, None);
    let text = strip_comments(s);
    let tokens = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_matches('.'))
        .filter(|t| !t.is_empty());
    for tok in tokens {
        let upper = tok.to_ascii_uppercase();
        if let Some(m) = month_number(&upper) {
            month = Some(m);
        } else if is_weekday(&upper) {
        } else if upper == "AM" || upper == "PM" {
            pm = Some(upper == "PM");
        } else if tok.contains(':') && tok.starts_with(|c: char| c.is_ascii_digit()) {
            let zone_at = tok.find(['+', '-', 'Z', 'z']);
            let (time, zone) = tok.split_at(zone_at.unwrap_or(tok.len()));
            hms = time_of_day(time)?;
            if !zone.is_empty() {
                offset = zone_offset(zone)?;
            }
        } else if let Some(o) = zone_offset(tok) {
            offset = o;
        } else if tok.bytes().all(|b| b.is_ascii_digit()) && tok.len() <= 4 {
            let n: i32 = tok.parse().ok()?;
            match tok.len() {
                3 | 4 => year = Some(n),
                _ if day.is_none() => day = Some(n as u32),
                _ => year = Some(if n < 50 { 2000 + n } else { 1900 + n }),
            }
        } else {
            return None;
        }
    }
    let (h, m, sec) = hms;
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    let naive = NaiveDate::from_ymd_opt(year?, month?, day?)?.and_hms_opt(h, m, sec)?;
    let zone = FixedOffset::east_opt(offset)?;
    Some(zone.from_local_datetime(&naive).single()?.to_utc())
}

fn strip_comments(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

fn month_number(upper: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "MAY",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ];
    if upper.len() < 3 {
        return None;
    }
    let i = MONTHS
        .iter()
        .position(|m| m.starts_with(upper) || (upper == "SEPT" && m.starts_with("SEP")))?;
    Some(i as u32 + 1)
}

fn is_weekday(upper: &str) -> bool {
    const DAYS: [&str; 7] = [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
    ];
    upper.len() >= 3
        && DAYS
            .iter()
            .any(|d| d.starts_with(upper) || upper == "TUES" || upper == "THUR" || upper == "THURS")
}

fn time_of_day(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let sec = match parts.next() {
        None => 0,
        Some(sec) => sec.split('.').next()?.parse::<u32>().ok()?.min(59),
    };
    if parts.next().is_some() || h > 24 || m > 59 {
        return None;
    }
    Some((h % 24, m, sec))
}

/// A zone as seconds east of UTC: `+0100`, `-05:00`, `+1`, `Z`, `GMT+2` or a common name.
fn zone_offset(tok: &str) -> Option<i32> {
    let upper = tok.to_ascii_uppercase();
    for prefix in ["GMT", "UTC", "UT"] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return numeric_offset(rest);
            }
        }
    }
    if upper.starts_with(['+', '-']) {
        return numeric_offset(&upper);
    }
    let hours: f32 = match upper.as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0.0,
        "BST" | "WEST" | "CET" | "MET" => 1.0,
        "CEST" | "MEST" | "EET" | "SAST" => 2.0,
        "EEST" | "MSK" => 3.0,
        "AWST" | "HKT" | "SGT" => 8.0,
        "JST" | "KST" => 9.0,
        "ACST" => 9.5,
        "AEST" => 10.0,
        "ACDT" => 10.5,
        "AEDT" => 11.0,
        "NZST" => 12.0,
        "NZDT" => 13.0,
        "HST" => -10.0,
        "AKST" => -9.0,
        "AKDT" | "PST" => -8.0,
        "PDT" | "MST" => -7.0,
        "MDT" | "CST" => -6.0,
        "CDT" | "EST" => -5.0,
        "EDT" | "AST" => -4.0,
        "ADT" | "BRT" | "ART" => -3.0,
        "NST" => -3.5,
        "NDT" => -2.5,
        _ => return None,
    };
    Some((hours * 3600.0) as i32)
}

fn numeric_offset(s: &str) -> Option<i32> {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = match digits.len() {
        1 | 2 => (digits.parse().ok()?, 0),
        3 => (digits[..1].parse().ok()?, digits[1..].parse().ok()?),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> String {
        parse_date(raw).map_or("none".into(), |d| d.to_rfc3339())
    }

    #[test]
    fn rfc_2822_dates_and_named_zones() {
        assert_eq!(
            at("Mon, 13 Jul 2020 04:00:00 -0000"),
            "2020-07-13T04:00:00+00:00"
        );
        assert_eq!(
            at("Wed, 27 Apr 2011 07:00:00 GMT"),
            "2011-04-27T07:00:00+00:00"
        );
        assert_eq!(
            at("Tue, 10 Jun 2003 04:00:00 EST"),
            "2003-06-10T09:00:00+00:00"
        );
        assert_eq!(
            at("Tue, 10 Jun 2003 04:00:00 PDT"),
            "2003-06-10T11:00:00+00:00"
        );
        assert_eq!(
            at("Tue, 10 Jun 2003 04:00:00 CEST"),
            "2003-06-10T02:00:00+00:00"
        );
        assert_eq!(at("10 Jun 2003 04:00 +0200"), "2003-06-10T02:00:00+00:00");
    }

    #[test]
    fn sloppy_dates_are_understood() {
        // A wrong weekday, full names, one-digit hours, a two-digit year, a colon in the zone.
        assert_eq!(
            at("Fri, 13 Jul 2020 04:00:00 GMT"),
            "2020-07-13T04:00:00+00:00"
        );
        assert_eq!(
            at("Monday, July 6, 2020 4:05 PM EDT"),
            "2020-07-06T20:05:00+00:00"
        );
        assert_eq!(
            at("Mon, 6 Jul 20 4:00:00 +01:00"),
            "2020-07-06T03:00:00+00:00"
        );
        assert_eq!(at("Jul 6 2020 04:00:00 GMT+2"), "2020-07-06T02:00:00+00:00");
        assert_eq!(
            at("Mon, 06 Sept 2020 04:00:00"),
            "2020-09-06T04:00:00+00:00"
        );
        assert_eq!(
            at("Thu, 01 Jan 1970 00:00:00 (UTC)"),
            "1970-01-01T00:00:00+00:00"
        );
        assert_eq!(at("Mon, 13 Jul 2020"), "2020-07-13T00:00:00+00:00");
    }

    #[test]
    fn iso_8601_dates_are_understood() {
        assert_eq!(at("2003-12-13T18:30:02Z"), "2003-12-13T18:30:02+00:00");
        assert_eq!(at("2003-12-13T00:00:00+02:00"), "2003-12-12T22:00:00+00:00");
        assert_eq!(at("2003-12-13 18:30:02"), "2003-12-13T18:30:02+00:00");
        assert_eq!(at("2003-12-13"), "2003-12-13T00:00:00+00:00");
    }

    #[test]
    fn nonsense_is_not_a_date() {
        for raw in [
            "",
            "unknown",
            "32 Jul 2020",
            "Mon, 13 Foo 2020 04:00:00 GMT",
            "13 Jul 2020 25:61",
        ] {
            assert_eq!(at(raw), "none", "{raw:?}");
        }
    }
}

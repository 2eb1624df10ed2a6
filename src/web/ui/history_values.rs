//! The History tab's words for structured values (categories, people, funding, Podcasting 2.0
//! details): "Technology › Tech News, Comedy", not `[{"name":"Technology",…}]`. The API keeps
//! the JSON.

use serde_json::{Map, Value};

/// A list or object value as people read it; `field` picks the form.
pub(super) fn readable(field: &str, value: &Value) -> String {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let (each, sep): (fn(&Value) -> String, &str) = match field {
        "categories" => (category, ", "),
        "persons" => (person, ", "),
        "funding" => (funding, "; "),
        "value" => (value_block, "; "),
        "txt" => (txt, "; "),
        "alternate_enclosures" => (alternate, "; "),
        "location" | "locations" => (location, "; "),
        "soundbites" => (soundbite, "; "),
        _ => (compact, "; "),
    };
    let parts: Vec<String> = items
        .into_iter()
        .map(each)
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        "(none)".into()
    } else {
        parts.join(sep)
    }
}

fn text<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// "Technology › Tech News".
fn category(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    match (text(o, "name"), text(o, "sub")) {
        (Some(name), Some(sub)) => format!("{name} › {sub}"),
        (Some(name), None) => name.to_string(),
        _ => compact(v),
    }
}

/// "Ada Lovelace (host, cast)".
fn person(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    let name = text(o, "name").unwrap_or("(no name)");
    let about: Vec<&str> = ["role", "group"]
        .iter()
        .filter_map(|k| text(o, k))
        .collect();
    if about.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({})", about.join(", "))
    }
}

/// "Support the show: https://…".
fn funding(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    match (text(o, "label"), text(o, "url")) {
        (Some(label), Some(url)) => format!("{label}: {url}"),
        (None, Some(url)) => url.to_string(),
        _ => compact(v),
    }
}

/// "verify: abc123".
fn txt(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    match (text(o, "purpose"), text(o, "value")) {
        (Some(purpose), Some(value)) => format!("{purpose}: {value}"),
        (None, Some(value)) => value.to_string(),
        _ => compact(v),
    }
}

/// "Austin, TX (30.2672,97.7431, OSM R113314, US)".
fn location(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    let name = text(o, "name").unwrap_or("(no name)");
    let mut about = Vec::new();
    if let Some(geo) = text(o, "geo") {
        about.push(geo.strip_prefix("geo:").unwrap_or(geo).to_string());
    }
    if let Some(osm) = text(o, "osm") {
        about.push(format!("OSM {osm}"));
    }
    about.extend(
        ["country", "rel"]
            .iter()
            .filter_map(|k| text(o, k))
            .map(String::from),
    );
    if about.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({})", about.join(", "))
    }
}

/// "Low bandwidth (audio/opus, 32000 bit/s): https://…".
fn alternate(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    let mime = text(o, "type").unwrap_or("?");
    let mut about = vec![mime.to_string()];
    if let Some(bitrate) = o.get("bitrate").filter(|b| !b.is_null()) {
        about.push(format!("{} bit/s", scalar(bitrate)));
    }
    if o.get("default") == Some(&Value::Bool(true)) {
        about.push("default".into());
    }
    let head = match text(o, "title") {
        Some(title) => format!("{title} ({})", about.join(", ")),
        None => about.join(", "),
    };
    let sources = o
        .get("sources")
        .and_then(Value::as_array)
        .map(|s| s.iter().map(scalar).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    if sources.is_empty() {
        head
    } else {
        format!("{head}: {sources}")
    }
}

/// "“The best bit” at 90 s for 30 s".
fn soundbite(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    let at = o.get("start_time").map(scalar).unwrap_or_default();
    let long = o.get("duration").map(scalar).unwrap_or_default();
    match text(o, "title") {
        Some(title) => format!("“{title}” at {at} s for {long} s"),
        None => format!("at {at} s for {long} s"),
    }
}

/// "lightning (keysend) to Alice 90%, Bob 10%, 2 time splits".
fn value_block(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    let kind = text(o, "type").unwrap_or("value");
    let mut out = match text(o, "method") {
        Some(method) => format!("{kind} ({method})"),
        None => kind.to_string(),
    };
    let recipients: Vec<String> = o
        .get("recipients")
        .and_then(Value::as_array)
        .map(|rs| rs.iter().map(recipient).collect())
        .unwrap_or_default();
    if !recipients.is_empty() {
        out.push_str(" to ");
        out.push_str(&recipients.join(", "));
    }
    if let Some(splits) = o.get("time_splits").and_then(Value::as_array) {
        match splits.len() {
            0 => {}
            1 => out.push_str(", 1 time split"),
            n => out.push_str(&format!(", {n} time splits")),
        }
    }
    out
}

/// "Alice 90%" (a split is a share, shown as given).
fn recipient(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return compact(v);
    };
    let who = text(o, "name").or(text(o, "address")).unwrap_or("?");
    let split = o.get("split").map(scalar).unwrap_or_default();
    let fee = if o.get("fee") == Some(&Value::Bool(true)) {
        " fee"
    } else {
        ""
    };
    format!("{who} {split}%{fee}")
}

/// Any other value: its leading text (a name, title, label or address), then its other set
/// fields in brackets, `key: value`, nested lists shortened to a count.
fn compact(v: &Value) -> String {
    let Some(o) = v.as_object() else {
        return scalar(v);
    };
    const LEADS: [&str; 8] = [
        "name",
        "title",
        "label",
        "text",
        "url",
        "href",
        "feed_guid",
        "value",
    ];
    let lead = LEADS.iter().find(|k| text(o, k).is_some()).copied();
    let rest: Vec<String> = o
        .iter()
        .filter(|(k, _)| Some(k.as_str()) != lead)
        .filter_map(|(k, v)| {
            let key = k.replace('_', " ");
            match v {
                Value::Null | Value::Bool(false) => None,
                Value::String(s) if s.is_empty() => None,
                Value::Bool(true) => Some(key),
                Value::Array(a) if a.is_empty() => None,
                Value::Array(a) => Some(format!("{key}: {}", count(a.len()))),
                Value::Object(m) if m.is_empty() => None,
                Value::Object(_) => Some(format!("{key}: {}", compact(v))),
                other => Some(format!("{key}: {}", scalar(other))),
            }
        })
        .collect();
    let lead = lead.and_then(|k| text(o, k));
    match (lead, rest.is_empty()) {
        (Some(lead), true) => lead.to_string(),
        (Some(lead), false) => format!("{lead} ({})", rest.join(", ")),
        (None, _) => rest.join(", "),
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Array(a) => a.iter().map(scalar).collect::<Vec<_>>().join(", "),
        // 90.0 seconds read as 90.
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => (f as i64).to_string(),
            _ => n.to_string(),
        },
        Value::Object(_) => compact(v),
    }
}

#[cfg(test)]
mod tests {
    use super::readable;
    use serde_json::json;

    #[test]
    fn categories_people_and_funding_read_as_words() {
        let categories = json!([{"name": "Technology", "sub": "Tech News"}, {"name": "Comedy"}]);
        assert_eq!(
            readable("categories", &categories),
            "Technology › Tech News, Comedy"
        );
        let persons = json!([{"name": "Ada", "role": "host", "group": null}, {"name": "Bo"}]);
        assert_eq!(readable("persons", &persons), "Ada (host), Bo");
        let funding = json!([{"url": "https://x.example/give", "label": "Support us"}]);
        assert_eq!(
            readable("funding", &funding),
            "Support us: https://x.example/give"
        );
    }

    #[test]
    fn value_blocks_name_their_recipients_and_other_details_are_compact() {
        let value = json!([{"type": "lightning", "method": "keysend",
            "recipients": [{"name": "Alice", "type": "node", "address": "02ab",
                            "split": 90, "fee": false},
                           {"type": "node", "address": "03cd",
                            "split": 10, "fee": true}],
            "time_splits": []}]);
        assert_eq!(
            readable("value", &value),
            "lightning (keysend) to Alice 90%, 03cd 10% fee"
        );
        let transcripts = json!([{"url": "https://x.example/t.vtt", "type": "text/vtt",
            "language": "en", "rel": null}]);
        assert_eq!(
            readable("transcripts", &transcripts),
            "https://x.example/t.vtt (language: en, type: text/vtt)"
        );
        let location = json!({"name": "Austin", "geo": "geo:30.2,-97.7", "osm": null});
        assert_eq!(readable("location", &location), "Austin (30.2,-97.7)");
        assert_eq!(readable("persons", &json!([])), "(none)");
        let alternates = json!([{"type": "audio/opus", "bitrate": 32000, "title": "Small",
            "default": false, "sources": ["https://x.example/a.opus"], "content_types": {}}]);
        assert_eq!(
            readable("alternate_enclosures", &alternates),
            "Small (audio/opus, 32000 bit/s): https://x.example/a.opus"
        );
        let soundbites = json!([{"start_time": 90.0, "duration": 30.0, "title": "Best bit"}]);
        assert_eq!(
            readable("soundbites", &soundbites),
            "“Best bit” at 90 s for 30 s"
        );
    }
}

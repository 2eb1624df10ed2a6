use chrono::TimeZone;

use super::*;
use crate::import::report::code;

fn read(xml: &str) -> ParsedFeed {
    let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    parse(
        xml.as_bytes(),
        Some("https://old.example.com/feed.xml"),
        now,
    )
    .unwrap()
}

/// A feed with `channel` in its channel and `item` in its one item.
fn feed(channel: &str, item: &str) -> String {
    format!(
        r#"<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
        <title>T</title>{channel}
        <item><title>E</title><guid>e</guid><enclosure url="https://cdn.example/e.mp3" length="1" type="audio/mpeg"/>
        {item}</item></channel></rss>"#
    )
}

fn dropped(feed: &ParsedFeed) -> Vec<String> {
    let entries = feed.report.clone().into_entries();
    let dropped = entries.iter().filter(|e| e.code == code::VALUE_DROPPED);
    dropped.map(|e| e.message.clone()).collect()
}

/// Every `<podcast:value …>…</podcast:value>` (or self-closing one) in a text.
fn value_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest
        .find("<podcast:value ")
        .or(rest.find("<podcast:value\n"))
    {
        let tail = &rest[start..];
        let open_end = tail.find('>').unwrap();
        let end = match tail[..open_end].ends_with('/') {
            true => open_end + 1,
            false => tail.find("</podcast:value>").unwrap() + "</podcast:value>".len(),
        };
        out.push(tail[..end].to_string());
        rest = &tail[end..];
    }
    out
}

fn spec(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata");
    std::fs::read_to_string(root.join(path))
        .unwrap_or_else(|e| panic!("{path}: {e} (the testdata lives in ../shared)"))
}

#[test]
fn the_value_examples_of_the_namespace_are_imported_or_dropped_with_a_reason() {
    let mut examples = Vec::new();
    for path in [
        "spec/podcast-namespace/docs/tags/value.md",
        "spec/podcast-namespace/docs/tags/value-recipient.md",
        "spec/podcast-namespace/docs/tags/value-time-split.md",
        "spec/podcast-namespace/docs/examples/value/value.md",
        "feeds/podcast-namespace/podcast-example.xml",
    ] {
        examples.extend(value_blocks(&spec(path)));
    }
    assert!(examples.len() >= 10, "{examples:?}");
    let (mut kept, mut recipients, mut splits) = (0, 0, 0);
    for block in &examples {
        // The docs' elisions ("...") and an empty block (no recipient) are not value blocks apps can pay.
        let complete = block.contains("<podcast:valueRecipient") && !block.contains("...");
        for parsed in [read(&feed(block, "")), read(&feed("", block))] {
            let values = [
                &parsed.show.extras.value,
                &parsed.episodes[0].fields.extras.value,
            ];
            let got: Vec<_> = values.into_iter().flatten().collect();
            if !complete {
                assert!(got.is_empty(), "{block}");
                assert_eq!(dropped(&parsed).len(), 1, "{block}: {:?}", dropped(&parsed));
                continue;
            }
            assert_eq!(got.len(), 1, "{block}: {:?}", dropped(&parsed));
            assert!(
                dropped(&parsed).is_empty(),
                "{block}: {:?}",
                dropped(&parsed)
            );
            let v = got[0];
            kept += 1;
            recipients += v.recipients.len();
            splits += v.time_splits.len();
            recipients += v
                .time_splits
                .iter()
                .map(|t| t.recipients.len())
                .sum::<usize>();
            assert_eq!(
                block.matches("<podcast:valueRecipient").count(),
                v.recipients.len()
                    + v.time_splits
                        .iter()
                        .map(|t| t.recipients.len())
                        .sum::<usize>(),
                "{block}"
            );
            assert_eq!(
                block.matches("<podcast:valueTimeSplit").count(),
                v.time_splits.len()
            );
        }
    }
    assert!(
        kept >= 16 && recipients >= 40 && splits >= 8,
        "{kept} {recipients} {splits}"
    );
}

#[test]
fn a_value_block_keeps_every_attribute_the_feed_gives() {
    let parsed = read(&feed(
        "",
        r#"<podcast:value type="Lightning" method="KeySend" suggested="0.00000005000">
          <podcast:valueRecipient name="Alice" type="Node" address="02d5" split="95" customKey="696969" customValue="abc"/>
          <podcast:valueRecipient name="Host" type="node" address="03ae" split="5" fee="TRUE"/>
          <podcast:valueTimeSplit startTime="60.5" duration="237" remoteStartTime="3" remotePercentage="150">
            <podcast:remoteItem feedGuid="A94F5CC9-8c58-55fc-91fe-a324087a655b" feedUrl="https://f.example/rss"
              itemGuid="https://podcastindex.org/podcast/4148683#1" medium="music"/>
          </podcast:valueTimeSplit>
        </podcast:value>"#,
    ));
    let v = &parsed.episodes[0].fields.extras.value[0];
    assert_eq!((&*v.value_type, &*v.method), ("lightning", "keysend"));
    assert_eq!(v.suggested.as_deref(), Some("0.00000005000"));
    let alice = &v.recipients[0];
    assert_eq!(alice.recipient_type, "node");
    assert_eq!(alice.custom_key.as_deref(), Some("696969"));
    assert_eq!(alice.custom_value.as_deref(), Some("abc"));
    assert!(!alice.fee && v.recipients[1].fee);
    let t = &v.time_splits[0];
    assert_eq!(
        (t.start_time, t.duration, t.remote_start_time),
        (60.5, 237.0, Some(3.0))
    );
    assert_eq!(t.remote_percentage, Some(100), "over 100 counts as 100");
    let r = t.remote_item.as_ref().unwrap();
    assert_eq!(r.feed_guid, "a94f5cc9-8c58-55fc-91fe-a324087a655b");
    assert_eq!(r.medium.as_deref(), Some("music"));
    assert_eq!(
        r.item_guid.as_deref(),
        Some("https://podcastindex.org/podcast/4148683#1")
    );
}

#[test]
fn invalid_value_parts_are_dropped_and_reported() {
    let parsed = read(&feed(
        r#"<podcast:value type="dogecoin" method="keysend">
             <podcast:valueRecipient type="node" address="02d5" split="1"/>
           </podcast:value>"#,
        r#"<podcast:value type="lightning" method="keysend">
             <podcast:valueRecipient name="Half" type="node" address="02d5" split="1.5"/>
             <podcast:valueRecipient name="Whole" type="node" address="03ae" split="2"/>
             <podcast:valueTimeSplit duration="10"><podcast:valueRecipient type="node" address="1" split="1"/></podcast:valueTimeSplit>
           </podcast:value>"#,
    ));
    assert!(parsed.show.extras.value.is_empty());
    let v = &parsed.episodes[0].fields.extras.value[0];
    let names: Vec<_> = v.recipients.iter().map(|r| r.name.as_deref()).collect();
    assert_eq!(names, [Some("Whole")]);
    assert!(v.time_splits.is_empty());
    let dropped = dropped(&parsed);
    assert_eq!(dropped.len(), 3, "{dropped:?}");
    assert!(dropped[0].contains("dogecoin"), "{dropped:?}");
    assert!(dropped.iter().any(|d| d.contains("Half")), "{dropped:?}");
    assert!(
        dropped.iter().any(|d| d.contains("startTime")),
        "{dropped:?}"
    );
}

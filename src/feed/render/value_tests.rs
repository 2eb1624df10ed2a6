use super::*;
use crate::domain::{
    EpisodeFields, EpisodeStatus, ListItem, ShowFields, Value, ValueRecipient, ValueTimeSplit,
};
use chrono::TimeZone;

fn t(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 0, 0, 0).unwrap()
}

fn recipient(name: &str, address: &str, split: i64, fee: bool) -> ValueRecipient {
    ValueRecipient {
        name: Some(name.into()),
        recipient_type: "node".into(),
        address: address.into(),
        split,
        fee,
        ..Default::default()
    }
}

fn render_with(show_value: Vec<Value>, episode_value: Vec<Value>) -> String {
    let show = FeedShow {
        fields: ShowFields {
            title: "Show".into(),
            language: "en".into(),
            ..ShowFields::default()
        },
        feed_url: "https://example.com/s/feed.xml".into(),
        updated_at: t(1),
        ..Default::default()
    };
    let mut show = show;
    show.fields.extras.value = show_value;
    let mut fields = EpisodeFields {
        guid: "e1".into(),
        title: "One".into(),
        enclosure_url: "https://cdn.example/1.mp3".into(),
        enclosure_length: 1,
        enclosure_type: "audio/mpeg".into(),
        publish_at: t(2),
        status: EpisodeStatus::Published,
        ..EpisodeFields::default()
    };
    fields.extras.value = episode_value;
    let episode = Episode {
        fields,
        updated_at: t(2),
        ..Default::default()
    };
    String::from_utf8(render(&show, &[episode], t(3))).unwrap()
}

#[test]
fn value_blocks_render_in_the_channel_and_items_with_recipients_and_time_splits() {
    let channel = Value {
        value_type: "lightning".into(),
        method: "keysend".into(),
        suggested: Some("0.00000015000".into()),
        recipients: vec![
            ValueRecipient {
                custom_key: Some("696969".into()),
                custom_value: Some("eChoVKtO1KujpAA5HCoB".into()),
                ..recipient("Alice & Co", "02d5c1", 40, false)
            },
            recipient("Hosting Provider", "03ae9f", 5, true),
            recipient("Not yet paid", " ", 10, false),
        ],
        time_splits: vec![],
    };
    let item = Value {
        value_type: "lightning".into(),
        method: "keysend".into(),
        suggested: None,
        recipients: vec![recipient("Alice", "02d5c1", 95, false)],
        time_splits: vec![
            ValueTimeSplit {
                start_time: 60.0,
                duration: 237.0,
                remote_percentage: Some(95),
                remote_item: Some(ListItem {
                    feed_guid: "a94f5cc9-8c58-55fc-91fe-a324087a655b".into(),
                    item_guid: Some("https://podcastindex.org/podcast/4148683#1".into()),
                    medium: Some("music".into()),
                    ..ListItem::default()
                }),
                ..Default::default()
            },
            ValueTimeSplit {
                start_time: 63.5,
                duration: 388.0,
                remote_start_time: Some(174.0),
                recipients: vec![recipient("Jimbob (Guest)", "02dd30", 10, false)],
                ..Default::default()
            },
        ],
    };
    let xml = render_with(vec![channel], vec![item]);
    let expected_channel = r#"    <podcast:value type="lightning" method="keysend" suggested="0.00000015000">
      <podcast:valueRecipient name="Alice &amp; Co" type="node" address="02d5c1" split="40" customKey="696969" customValue="eChoVKtO1KujpAA5HCoB"/>
      <podcast:valueRecipient name="Hosting Provider" type="node" address="03ae9f" split="5" fee="true"/>
    </podcast:value>
"#;
    assert!(xml.contains(expected_channel), "{xml}");
    let expected_item = r#"      <podcast:value type="lightning" method="keysend">
        <podcast:valueRecipient name="Alice" type="node" address="02d5c1" split="95"/>
        <podcast:valueTimeSplit startTime="60" duration="237" remotePercentage="95">
          <podcast:remoteItem feedGuid="a94f5cc9-8c58-55fc-91fe-a324087a655b" itemGuid="https://podcastindex.org/podcast/4148683#1" medium="music"/>
        </podcast:valueTimeSplit>
        <podcast:valueTimeSplit startTime="63.5" duration="388" remoteStartTime="174">
          <podcast:valueRecipient name="Jimbob (Guest)" type="node" address="02dd30" split="10"/>
        </podcast:valueTimeSplit>
      </podcast:value>
"#;
    assert!(xml.contains(expected_item), "{xml}");
    assert!(
        !xml.contains("Not yet paid"),
        "a recipient without an address is left out"
    );
}

#[test]
fn a_value_block_without_a_payable_recipient_is_left_out() {
    let block = Value {
        value_type: "lightning".into(),
        method: "keysend".into(),
        recipients: vec![recipient("Nobody", "", 100, false)],
        ..Default::default()
    };
    let xml = render_with(vec![block], vec![]);
    assert!(!xml.contains("podcast:value"), "{xml}");
    let without = render_with(vec![], vec![]);
    assert!(!without.contains("podcast:value"), "{without}");
}

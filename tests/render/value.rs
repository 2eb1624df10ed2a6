//! Value blocks with hostile text: well-formed output, every payable recipient back as given
//! (cleaned), and the `podcast:` elements valid against the namespace schema.

use podpub::domain::{ListItem, Value, ValueRecipient, ValueTimeSplit};
use proptest::{
    collection::vec, option::of, prelude::*, sample::select, strategy::ValueTree,
    test_runner::TestRunner,
};

use crate::{
    arbitrary::text,
    kit::{build, python::xsdcheck},
    support::{clean, parse_strict},
};

fn recipient() -> impl Strategy<Value = ValueRecipient> {
    let address = prop_oneof![1 => text(), 3 => "[0-9a-f]{66}", 1 => Just(String::new())];
    (
        of(text()),
        address,
        0i64..1_000_000,
        any::<bool>(),
        of(("[0-9]{5,9}", text())),
    )
        .prop_map(|(name, address, split, fee, custom)| ValueRecipient {
            name,
            recipient_type: "node".into(),
            address,
            split,
            fee,
            custom_key: custom.as_ref().map(|c| c.0.clone()),
            custom_value: custom.map(|c| c.1),
        })
}

fn time_split() -> impl Strategy<Value = ValueTimeSplit> {
    let remote = of((
        select(
            &[
                "a94f5cc9-8c58-55fc-91fe-a324087a655b",
                "917393e3-1b1e-5cef-ace4-edaa54e1f810",
            ][..],
        ),
        of(text()),
    ));
    (
        0u32..100_000,
        1u32..10_000,
        of(0u32..1000),
        0i64..=100,
        remote,
        vec(recipient(), 1..3),
    )
        .prop_map(
            |(start, duration, remote_start, percent, remote, recipients)| {
                let remote_item = remote.map(|(guid, item_guid)| ListItem {
                    feed_guid: guid.into(),
                    item_guid,
                    medium: Some("music".into()),
                    ..ListItem::default()
                });
                ValueTimeSplit {
                    start_time: f64::from(start) / 4.0,
                    duration: f64::from(duration),
                    remote_start_time: remote_start.map(f64::from),
                    remote_percentage: remote_item.as_ref().map(|_| percent),
                    recipients: if remote_item.is_some() {
                        vec![]
                    } else {
                        recipients
                    },
                    remote_item,
                }
            },
        )
}

fn block() -> impl Strategy<Value = Value> {
    (
        select(&["lightning", "bitcoin"][..]),
        select(&["keysend", "amp", "lnaddress"][..]),
        of("[0-9]{1,3}\\.[0-9]{1,11}"),
        vec(recipient(), 1..5),
        vec(time_split(), 0..3),
    )
        .prop_map(|(t, method, suggested, recipients, time_splits)| Value {
            value_type: t.into(),
            method: method.into(),
            suggested,
            recipients,
            time_splits,
        })
}

fn feed(channel: Vec<Value>, item: Vec<Value>) -> build::Feed {
    build::show("v4v")
        .fields(|f| f.extras.value = channel)
        .episode(build::episode(1).fields(|e| e.extras.value = item))
        .feed()
}

/// Whether a recipient is published: it has an address once cleaned.
fn payable(r: &&ValueRecipient) -> bool {
    !clean(&r.address).is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn value_blocks_with_any_text_render_well_formed_with_every_payable_recipient(
        channel in vec(block(), 0..3),
        item in vec(block(), 0..3),
    ) {
        let out = feed(channel.clone(), item.clone()).render();
        let doc = parse_strict(&out).map_err(TestCaseError::fail)?;
        for (path, blocks) in [("rss/channel", &channel), ("rss/channel/item", &item)] {
            let rendered: Vec<&Value> =
                blocks.iter().filter(|b| b.recipients.iter().any(|r| payable(&r))).collect();
            let at = format!("{path}/podcast:value");
            prop_assert_eq!(doc.all(&format!("{at}@type")).len(), rendered.len());
            let recipients: Vec<&ValueRecipient> =
                rendered.iter().flat_map(|b| b.recipients.iter().filter(payable)).collect();
            let addresses: Vec<String> = recipients.iter().map(|r| clean(&r.address)).collect();
            prop_assert_eq!(doc.all(&format!("{at}/podcast:valueRecipient@address")), addresses);
            let names: Vec<String> = recipients
                .iter()
                .filter_map(|r| r.name.as_deref().map(clean))
                .filter(|n| !n.is_empty())
                .collect();
            prop_assert_eq!(doc.all(&format!("{at}/podcast:valueRecipient@name")), names);
            let splits: Vec<String> = recipients.iter().map(|r| r.split.to_string()).collect();
            prop_assert_eq!(doc.all(&format!("{at}/podcast:valueRecipient@split")), splits);
            let splits = rendered.iter().flat_map(|b| &b.time_splits);
            let shown: Vec<String> = splits
                .filter(|t| t.remote_item.is_some() || t.recipients.iter().any(|r| payable(&r)))
                .map(|t| t.start_time.to_string())
                .collect();
            prop_assert_eq!(doc.all(&format!("{at}/podcast:valueTimeSplit@startTime")), shown);
        }
    }
}

#[test]
fn arbitrary_value_blocks_are_valid_against_the_namespace_schema() {
    let mut runner = TestRunner::deterministic();
    for _ in 0..8 {
        let channel = vec(block(), 1..3).new_tree(&mut runner).unwrap().current();
        let item = vec(block(), 1..3).new_tree(&mut runner).unwrap().current();
        let report = xsdcheck(&feed(channel, item).render());
        assert_eq!(report["valid"], true, "{report:#}");
        assert!(
            report["checked"]["value"].as_u64().unwrap() >= 1,
            "{report:#}"
        );
    }
}

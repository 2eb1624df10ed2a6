//! The `podcast:` elements that shows and items share.

use super::writer::{clean_len, fmt, opt, Body::*, W};
use crate::domain::{AlternateEnclosure, License, Location, Person, Txt};

pub(super) fn persons(w: &mut W, persons: &[Person]) {
    for p in persons.iter().filter(|p| clean_len(&p.name) > 0) {
        let attrs = [
            ("role", opt(&p.role)),
            ("group", opt(&p.group)),
            ("img", opt(&p.img)),
            ("href", opt(&p.href)),
        ];
        w.el_opt("podcast:person", &attrs, Text(&p.name));
    }
}

/// `podcast:location`: the first one, then the others.
pub(super) fn location(w: &mut W, first: &Option<Location>, others: &[Location]) {
    for l in first
        .iter()
        .chain(others)
        .filter(|l| clean_len(&l.name) > 0)
    {
        let attrs = [
            ("rel", l.rel.map(|r| r.as_str())),
            ("geo", opt(&l.geo)),
            ("osm", opt(&l.osm)),
            ("country", opt(&l.country)),
        ];
        w.el_opt("podcast:location", &attrs, Text(&l.name));
    }
}

pub(super) fn license(w: &mut W, license: &Option<License>) {
    if let Some(l) = license.as_ref().filter(|l| clean_len(&l.name) > 0) {
        w.el_opt("podcast:license", &[("url", opt(&l.url))], Text(&l.name));
    }
}

pub(super) fn txt(w: &mut W, records: &[Txt]) {
    for t in records.iter().filter(|t| clean_len(&t.value) > 0) {
        w.el_opt(
            "podcast:txt",
            &[("purpose", opt(&t.purpose))],
            Text(&t.value),
        );
    }
}

pub(super) fn alternate_enclosure(w: &mut W, a: &AlternateEnclosure) {
    let sources: Vec<&str> = a
        .sources
        .iter()
        .map(|s| &**s)
        .filter(|s| clean_len(s) > 0)
        .collect();
    if clean_len(&a.mime_type) == 0 || sources.is_empty() {
        return;
    }
    let (mut len, mut rate, mut height) = ([0; 40], [0; 40], [0; 40]);
    let attrs = [
        ("type", Some(&*a.mime_type)),
        (
            "length",
            a.length.map(|n| fmt(&mut len, format_args!("{n}"))),
        ),
        (
            "bitrate",
            a.bitrate
                .filter(|n| n.is_finite() && (0.0..1e15).contains(n))
                .map(|n| fmt(&mut rate, format_args!("{n}"))),
        ),
        (
            "height",
            a.height.map(|n| fmt(&mut height, format_args!("{n}"))),
        ),
        ("lang", opt(&a.lang)),
        ("title", opt(&a.title)),
        ("rel", opt(&a.rel)),
        ("codecs", opt(&a.codecs)),
        ("default", a.default.then_some("true")),
    ];
    w.el_opt("podcast:alternateEnclosure", &attrs, Open);
    w.deeper(|w| {
        for uri in sources {
            let kind = a.content_types.get(uri).map(String::as_str);
            w.el_opt(
                "podcast:source",
                &[("uri", Some(uri)), ("contentType", kind)],
                Empty,
            );
        }
        super::items::integrity(w, &a.integrity);
    });
    w.line("</podcast:alternateEnclosure>");
}

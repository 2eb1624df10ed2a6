//! The XML writer: indented elements one a line, escaping as each context needs, and dates
//! and numbers formatted without allocating.

use std::io::Write as _;

use chrono::{DateTime, Datelike, Timelike, Utc};

use self::Body::{CData, Empty, Open, Raw, Text};

const MONTHS: &str = "JanFebMarAprMayJunJulAugSepOctNovDec";
/// Indentation of channel children, and of their children (item fields, image, owner).
const C: &str = "    ";
const I: &str = "      ";

pub(super) fn pick(b: bool, yes: &'static str, no: &'static str) -> &'static str {
    [no, yes][b as usize]
}

/// The value, unless it is absent or empty once cleaned.
pub(super) fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|v| clean_len(v) > 0)
}

/// RFC 2822 in GMT, e.g. `Sat, 21 Nov 2026 10:00:00 GMT`.
pub(super) fn rfc2822(buf: &mut [u8; 40], d: DateTime<Utc>) -> &str {
    let wd = 3 * d.weekday().num_days_from_monday() as usize;
    let mo = 3 * d.month0() as usize;
    let y = d.year();
    if !(0..=9999).contains(&y) {
        let (day, month) = (&"MonTueWedThuFriSatSun"[wd..wd + 3], &MONTHS[mo..mo + 3]);
        let (h, m, s) = (d.hour(), d.minute(), d.second());
        let args = format_args!(
            "{day}, {:02} {month} {y:04} {h:02}:{m:02}:{s:02} GMT",
            d.day()
        );
        return fmt(buf, args);
    }
    let two = |b: &mut [u8], n: u32| {
        b[0] = b'0' + (n / 10) as u8;
        b[1] = b'0' + (n % 10) as u8;
    };
    buf[..29].copy_from_slice(b"Mon, 00 Jan 0000 00:00:00 GMT");
    buf[..3].copy_from_slice(&b"MonTueWedThuFriSatSun"[wd..wd + 3]);
    two(&mut buf[5..7], d.day());
    buf[8..11].copy_from_slice(&MONTHS.as_bytes()[mo..mo + 3]);
    two(&mut buf[12..14], y as u32 / 100);
    two(&mut buf[14..16], y as u32 % 100);
    two(&mut buf[17..19], d.hour());
    two(&mut buf[20..22], d.minute());
    two(&mut buf[23..25], d.second());
    std::str::from_utf8(&buf[..29]).unwrap_or_default()
}

/// `n` in decimal, written into the end of `buf`.
pub(super) fn int(buf: &mut [u8; 40], n: i64) -> &str {
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

/// Formats into `buf` without allocating.
pub(super) fn fmt<'b>(buf: &'b mut [u8; 40], args: std::fmt::Arguments) -> &'b str {
    let mut rest = &mut buf[..];
    let _ = rest.write_fmt(args);
    let n = 40 - rest.len();
    std::str::from_utf8(&buf[..n]).unwrap_or_default()
}

/// What follows an element's start tag.
pub(super) enum Body<'b> {
    /// Self-closing.
    Empty,
    /// Children follow, on their own lines.
    Open,
    /// Content that needs no escaping.
    Raw(&'b str),
    Text(&'b str),
    CData(&'b str),
}

/// Writes indented elements, one a line.
pub(super) struct W<'a> {
    pub(super) out: &'a mut Vec<u8>,
    ind: &'static str,
}

impl W<'_> {
    pub(super) fn new(out: &mut Vec<u8>) -> W<'_> {
        W { out, ind: C }
    }

    pub(super) fn el(&mut self, name: &str, attrs: &[(&str, &str)], body: Body) {
        let out = &mut *self.out;
        out.extend_from_slice(self.ind.as_bytes());
        out.push(b'<');
        out.extend_from_slice(name.as_bytes());
        for (k, v) in attrs {
            out.push(b' ');
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b"=\"");
            escape(out, v, Mode::Attr);
            out.push(b'"');
        }
        match body {
            Empty => return out.extend_from_slice(b"/>\n"),
            Open => return out.extend_from_slice(b">\n"),
            Raw(s) => {
                out.push(b'>');
                out.extend_from_slice(s.as_bytes());
            }
            Text(s) => {
                out.push(b'>');
                escape(out, s, Mode::Text);
            }
            CData(s) if clean_len(s) == 0 => out.push(b'>'),
            CData(s) => {
                out.extend_from_slice(b"><![CDATA[");
                escape(out, s, Mode::CData);
                out.extend_from_slice(b"]]>");
            }
        }
        out.extend_from_slice(b"</");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b">\n");
    }

    /// Like [`W::el`], leaving out the attributes that are `None`.
    pub(super) fn el_opt(&mut self, name: &str, attrs: &[(&str, Option<&str>)], body: Body) {
        let mut present = [("", ""); 8];
        let mut n = 0;
        for (k, v) in attrs {
            if let Some(v) = v {
                present[n] = (k, v);
                n += 1;
            }
        }
        self.el(name, &present[..n], body);
    }

    pub(super) fn raw(&mut self, name: &str, content: &str) {
        self.el(name, &[], Raw(content));
    }

    pub(super) fn text(&mut self, name: &str, text: &str) {
        self.el(name, &[], Text(text));
    }

    pub(super) fn opt(&mut self, name: &str, value: &Option<String>) {
        if let Some(v) = opt(value) {
            self.text(name, v);
        }
    }

    pub(super) fn num(&mut self, name: &str, n: Option<i32>) {
        if let Some(n) = n {
            self.raw(name, int(&mut [0; 40], n.into()));
        }
    }

    pub(super) fn date(&mut self, name: &str, d: DateTime<Utc>) {
        self.raw(name, rfc2822(&mut [0; 40], d));
    }

    pub(super) fn line(&mut self, s: &str) {
        self.out.extend_from_slice(self.ind.as_bytes());
        self.out.extend_from_slice(s.as_bytes());
        self.out.push(b'\n');
    }

    pub(super) fn nested(&mut self, f: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.ind, I);
        f(self);
        self.ind = outer;
    }

    /// One level below item children (the sources of an alternate enclosure).
    pub(super) fn deeper(&mut self, f: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.ind, "        ");
        f(self);
        self.ind = outer;
    }

    /// One level below the current one, wherever that is (value blocks nest three deep).
    pub(super) fn indented(&mut self, f: impl FnOnce(&mut Self)) {
        const SPACES: &str = "                ";
        let n = (self.ind.len() + 2).min(SPACES.len());
        let outer = std::mem::replace(&mut self.ind, &SPACES[..n]);
        f(self);
        self.ind = outer;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text = 0,
    Attr = 1,
    CData = 2,
}

/// Per mode, the bytes [`escape`] must look at; all others are copied as they are.
static SPECIAL: [[bool; 256]; 3] = [
    special(Mode::Text),
    special(Mode::Attr),
    special(Mode::CData),
];

const fn special(mode: Mode) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[0xef] = true;
    match mode {
        Mode::Text => {
            (t[b'\t' as usize], t[b'\n' as usize]) = (false, false);
            (t[b'&' as usize], t[b'<' as usize], t[b'>' as usize]) = (true, true, true);
        }
        Mode::Attr => {
            (t[b'&' as usize], t[b'<' as usize], t[b'>' as usize]) = (true, true, true);
            t[b'"' as usize] = true;
        }
        Mode::CData => {
            (t[b'\t' as usize], t[b'\n' as usize]) = (false, false);
            t[b'>' as usize] = true;
        }
    }
    t
}

fn forbidden(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

/// Length in bytes of the prefix of `s` left once trailing whitespace and characters XML forbids
/// are trimmed. Forbidden characters inside that prefix are skipped by [`escape`].
pub(super) fn clean_len(s: &str) -> usize {
    s.char_indices()
        .rev()
        .find(|&(_, c)| !c.is_whitespace() && !forbidden(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Whether `escape` would copy `b` unchanged: a branch-free pass the compiler vectorizes.
fn verbatim(b: &[u8], mode: Mode) -> bool {
    let special = match mode {
        Mode::Text => b.iter().fold(false, |acc, &c| {
            acc | ((c < 0x20) & (c != b'\t') & (c != b'\n'))
                | (c == b'&')
                | (c == b'<')
                | (c == b'>')
                | (c == 0xef)
        }),
        Mode::Attr => b.iter().fold(false, |acc, &c| {
            acc | (c < 0x20) | (c == b'&') | (c == b'<') | (c == b'>') | (c == b'"') | (c == 0xef)
        }),
        Mode::CData => b.iter().fold(false, |acc, &c| {
            acc | ((c < 0x20) & (c != b'\t') & (c != b'\n')) | (c == b']') | (c == 0xef)
        }),
    };
    !special
}

/// Writes `s` cleaned (see [`clean_len`]) and escaped for `mode`. Inside CDATA, `]]>` and `\r`
/// (which parsers would turn into `\n`) are written by closing and reopening the section.
fn escape(out: &mut Vec<u8>, s: &str, mode: Mode) {
    let b = &s.as_bytes()[..clean_len(s)];
    if verbatim(b, mode) {
        return out.extend_from_slice(b);
    }
    let special = &SPECIAL[mode as usize];
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        let c = b[i];
        if !special[c as usize] {
            i += 1;
            continue;
        }
        // A `>` in CDATA matters only after `]]`; a plain byte before it rules that out.
        let after_plain_byte = i > 0 && !matches!(b[i - 1], b']' | 0..=0x1f | 0xbe | 0xbf);
        if c == b'>' && mode == Mode::CData && after_plain_byte {
            i += 1;
            continue;
        }
        let (rep, skip): (&[u8], usize) = match (c, mode) {
            (b'\t' | b'\n', Mode::Text | Mode::CData) => (b"", 0),
            (b'\t', Mode::Attr) => (b"&#9;", 1),
            (b'\n', Mode::Attr) => (b"&#10;", 1),
            (b'\r', Mode::CData) => (b"]]>&#13;<![CDATA[", 1),
            (b'\r', _) => (b"&#13;", 1),
            (0..=0x1f, _) => (b"", 1),
            (b'&' | b'<', Mode::CData) | (b'"', Mode::Text | Mode::CData) => (b"", 0),
            (b'&', _) => (b"&amp;", 1),
            (b'<', _) => (b"&lt;", 1),
            (b'>', Mode::CData) => {
                out.extend_from_slice(&b[start..i]);
                start = i;
                match out.ends_with(b"]]") {
                    true => (b"]]><![CDATA[>", 1),
                    false => (b"", 0),
                }
            }
            (b'>', _) => (b"&gt;", 1),
            (b'"', _) => (b"&quot;", 1),
            (0xef, _) if matches!(b.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])) => (b"", 3),
            _ => (b"", 0),
        };
        if skip == 0 {
            i += 1;
            continue;
        }
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(rep);
        i += skip;
        start = i;
    }
    out.extend_from_slice(&b[start..]);
}

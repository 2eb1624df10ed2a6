//! Entity references: XML's five, and the HTML ones feeds use without declaring them.

/// The text of a named entity, if known: HTML5's entities include XML's five.
pub fn resolve(name: &str) -> Option<&'static str> {
    quick_xml::escape::resolve_html5_entity(name)
}

/// An attribute value with its references resolved and its whitespace normalised as XML
/// does; unknown or broken references are kept as written, and counted in `unknown`.
pub fn unescape_attribute(raw: &str, unknown: &mut usize) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        push_normalised(&mut out, &rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find([';', '&'])
            .map(|i| i + 1)
            .filter(|&i| i <= 40);
        let reference = end
            .filter(|&i| rest.as_bytes()[i] == b';')
            .and_then(|i| character(&rest[1..i]).map(|text| (i, text)));
        match reference {
            Some((i, text)) => {
                out.push_str(&text);
                rest = &rest[i + 1..];
            }
            None => {
                *unknown += 1;
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    push_normalised(&mut out, rest);
    out
}

fn character(name: &str) -> Option<String> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()
    } else {
        return resolve(name).map(str::to_string);
    };
    code.and_then(char::from_u32).map(String::from)
}

fn push_normalised(out: &mut String, text: &str) {
    out.extend(text.chars().map(|c| match c {
        '\t' | '\n' | '\r' => ' ',
        c => c,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_references_resolve_and_broken_ones_stay() {
        let mut unknown = 0;
        assert_eq!(
            unescape_attribute("a?x=1&amp;y=&#233;&eacute;&#x41;\nb", &mut unknown),
            "a?x=1&y=ééA b"
        );
        assert_eq!(unknown, 0);
        assert_eq!(unescape_attribute("a&b=c&zz;", &mut unknown), "a&b=c&zz;");
        assert_eq!(unknown, 2);
    }

    #[test]
    fn xml_and_html_entities_resolve_and_others_do_not() {
        for (name, text) in [
            ("amp", "&"),
            ("apos", "'"),
            ("nbsp", "\u{a0}"),
            ("hellip", "…"),
            ("rsquo", "’"),
            ("eacute", "é"),
            ("Ouml", "Ö"),
            ("euro", "€"),
        ] {
            assert_eq!(resolve(name), Some(text), "{name}");
        }
        for name in ["bogus", "NBSP", "b", ""] {
            assert_eq!(resolve(name), None, "{name}");
        }
    }
}

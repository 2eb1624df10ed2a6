//! A line diff of two feed documents: as unified diff text, and as hunks for a page, with the
//! unchanged runs between them collapsed.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// Unchanged lines shown around each change.
pub const CONTEXT: usize = 3;

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// `+` added, `-` removed, ` ` unchanged.
    pub sign: char,
    pub old_no: Option<usize>,
    pub new_no: Option<usize>,
    pub text: String,
}

/// A run of changes with their context, after `skipped` unchanged lines left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub skipped: usize,
    pub lines: Vec<Line>,
}

/// The diff of `old` to `new` as a page shows it; the unchanged lines after the last hunk
/// are `.1`.
pub fn hunks(old: &str, new: &str) -> (Vec<Hunk>, usize) {
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    let mut shown_to = 0;
    for group in diff.grouped_ops(CONTEXT) {
        let Some(first) = group.first() else {
            continue;
        };
        let start = first.old_range().start;
        let mut lines = Vec::new();
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                lines.push(Line {
                    sign,
                    old_no: change.old_index().map(|i| i + 1),
                    new_no: change.new_index().map(|i| i + 1),
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
        let end = group.last().map_or(start, |op| op.old_range().end);
        out.push(Hunk {
            skipped: start - shown_to,
            lines,
        });
        shown_to = end;
    }
    let total = old.lines().count();
    (out, total.saturating_sub(shown_to))
}

/// The unified diff of `old` (named `old_name`) to `new`, as `diff -u` writes it.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(CONTEXT)
        .header(old_name, new_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: usize, changed: Option<usize>) -> String {
        (1..=n)
            .map(|i| match changed {
                Some(c) if c == i => format!("line {i} changed\n"),
                _ => format!("line {i}\n"),
            })
            .collect()
    }

    #[test]
    fn a_changed_line_is_a_removal_and_an_addition_with_the_rest_collapsed() {
        let (old, new) = (numbered(20, None), numbered(20, Some(10)));
        let (hunks, after) = hunks(&old, &new);
        assert_eq!(hunks.len(), 1);
        assert_eq!(hunks[0].skipped, 6);
        let signs: String = hunks[0].lines.iter().map(|l| l.sign).collect();
        assert_eq!(signs, "   -+   ");
        assert_eq!(hunks[0].lines[3].text, "line 10");
        assert_eq!(hunks[0].lines[4].text, "line 10 changed");
        assert_eq!(hunks[0].lines[4].new_no, Some(10));
        assert_eq!(after, 7);
    }

    #[test]
    fn equal_texts_have_no_hunks() {
        let text = numbered(5, None);
        assert_eq!(hunks(&text, &text), (vec![], 5));
    }

    #[test]
    fn the_unified_diff_reads_as_diff_u_does() {
        let text = unified(&numbered(3, None), &numbered(3, Some(2)), "a.xml", "b.xml");
        assert!(
            text.starts_with("--- a.xml\n+++ b.xml\n@@ -1,3 +1,3 @@\n"),
            "{text}"
        );
        assert!(text.contains("-line 2\n+line 2 changed\n"), "{text}");
    }
}

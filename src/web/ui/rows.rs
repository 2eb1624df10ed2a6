//! Repeatable rows of the Podcasting 2.0 pages: a group's columns (text, a choice from a list,
//! a checkbox, lines), its rows as shown, and how many of them are in use. They work without
//! JavaScript: "Add a row" posts the form back with one more blank row.

use super::form::Fields;

/// The most rows a group shows (the checks allow no more, except value recipients).
pub const MAX_ROWS: usize = 50;

/// One input of a repeatable row.
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    /// The input type; `select` (a closed list), `checkbox` and `lines` (a textarea, one entry
    /// a line) are drawn differently.
    pub kind: &'static str,
    /// The choices of a `select`, or the suggestions of a text input (a datalist).
    pub list: &'static [&'static str],
    /// What the empty choice of a `select` says.
    pub blank: &'static str,
}

impl Column {
    /// The choices, when the column is a closed list.
    pub fn select(&self) -> Option<&'static [&'static str]> {
        (self.kind == "select").then_some(self.list)
    }

    /// The suggestions, when the column takes other values too.
    pub fn suggests(&self) -> bool {
        self.kind != "select" && !self.list.is_empty()
    }

    /// Whether `value` is `choice` (for `selected` and `checked`).
    pub fn is(&self, value: &str, choice: &str) -> bool {
        value == choice
    }

    /// Whether a stored `value` is missing from the select's choices (and must be kept as one).
    pub fn foreign(&self, value: &str) -> bool {
        !value.is_empty() && !self.list.contains(&value)
    }
}

pub const fn col(key: &'static str, label: &'static str, kind: &'static str) -> Column {
    Column {
        key,
        label,
        kind,
        list: &[],
        blank: "",
    }
}

/// A column whose value is one of `list`; `blank` names the empty choice.
pub const fn pick(
    key: &'static str,
    label: &'static str,
    list: &'static [&'static str],
    blank: &'static str,
) -> Column {
    Column {
        key,
        label,
        kind: "select",
        list,
        blank,
    }
}

/// A text column with the suggestions of `list`, which allows other values.
pub const fn suggest(
    key: &'static str,
    label: &'static str,
    list: &'static [&'static str],
) -> Column {
    Column {
        key,
        label,
        kind: "text",
        list,
        blank: "",
    }
}

/// A repeatable group of rows (people, texts, trailers, the podroll...): the rows as shown,
/// one of them blank to add another.
pub struct Group {
    /// The form's name of the group, which names its errors and its inputs (`{field}_{i}_{key}`).
    pub field: String,
    pub legend: &'static str,
    pub hint: &'static str,
    pub columns: &'static [Column],
    /// Each row's values, in column order.
    pub rows: Vec<Vec<String>>,
    pub error: Option<String>,
}

impl Group {
    /// The form name of column `key` in row `i`.
    pub fn name(&self, i: &&usize, key: &str) -> String {
        format!("{}_{i}_{key}", self.field)
    }

    /// The group's rows from `f`: every row in use (at most `max`), then `blank` more.
    pub fn of(
        f: &Fields,
        field: String,
        (legend, hint): (&'static str, &'static str),
        columns: &'static [Column],
        blank: usize,
        max: usize,
    ) -> Group {
        let used = used_rows(f, &field, columns, max);
        let rows = (0..(used + blank).min(max))
            .map(|i| {
                columns
                    .iter()
                    .map(|c| f.v(&format!("{field}_{i}_{}", c.key)).to_string())
                    .collect()
            })
            .collect();
        Group {
            error: f.err(&field).map(str::to_string),
            field,
            legend,
            hint,
            columns,
            rows,
        }
    }
}

/// A repeatable group as a page declares it: (field, legend, hint, columns).
pub type GroupDef = (&'static str, &'static str, &'static str, &'static [Column]);

/// The groups' rows from `f`: every row in use, then one blank (two when `more` names it).
pub fn groups(table: &[GroupDef], f: &Fields, more: &str) -> Vec<Group> {
    table
        .iter()
        .map(|&(field, legend, hint, columns)| {
            let blank = if more == field { 2 } else { 1 };
            Group::of(f, field.into(), (legend, hint), columns, blank, MAX_ROWS)
        })
        .collect()
}

/// How many rows of a group hold anything (the last one used, counted from the first).
pub fn used_rows(f: &Fields, field: &str, columns: &[Column], max: usize) -> usize {
    (0..max)
        .rev()
        .find(|i| {
            columns
                .iter()
                .any(|c| !f.v(&format!("{field}_{i}_{}", c.key)).trim().is_empty())
        })
        .map_or(0, |i| i + 1)
}

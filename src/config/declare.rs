//! The machinery behind the table: `settings!` turns each entry (field, variables, defaults,
//! parser) into a struct field and the code that reads it.

use std::{collections::BTreeMap, fmt};

use super::file::{file_key, FileSettings};

/// Declares a settings struct, one entry per field:
///
/// ```text
/// /// Doc of the field.
/// field: Type = VARIABLE or "default" => parser;
/// ```
///
/// `or none` leaves a variable without a default. A parser gets one [`RawSetting`] per variable and
/// returns the field or its problems. Groups listed under `with` are structs of their own
/// table, read in turn. The macro writes the struct, `vars` (every variable, for the file's
/// keys and the README check) and `read`, which reports every bad value, not just the first.
macro_rules! settings {
    (
        $(#[$attr:meta])*
        pub struct $Struct:ident {
            $(
                $(#[doc = $doc:expr])+
                $field:ident: $ty:ty = $($var:ident or $default:tt),+ => $parse:expr;
            )*
        }
        $(with {
            $(
                $(#[doc = $group_doc:expr])+
                $group:ident: $group_ty:ty,
            )*
        })?
    ) => {
        $(#[$attr])*
        pub struct $Struct {
            $($(#[doc = $doc])+ pub $field: $ty,)*
            $($($(#[doc = $group_doc])+ pub $group: $group_ty,)*)?
        }

        impl $Struct {
            /// Every variable read, in table order.
            pub(super) fn vars() -> Vec<$crate::config::declare::Var> {
                let own = vec![$($($crate::config::declare::var!($var or $default),)+)*];
                [own, $($(<$group_ty>::vars(),)*)?].concat()
            }

            /// Reads every field; `None` when any is bad, each problem added to `problems`.
            pub(super) fn read(
                sources: &$crate::config::declare::Sources<'_>,
                problems: &mut $crate::config::declare::Problems,
            ) -> Option<$Struct> {
                $(
                    let $field = problems.take(($parse)($(
                        &sources.value($crate::config::declare::var!($var or $default))
                    ),+));
                )*
                $($(let $group = <$group_ty>::read(sources, problems);)*)?
                match ($($field,)* $($($group,)*)?) {
                    ($(Some($field),)* $($(Some($group),)*)?) => Some($Struct {
                        $($field,)*
                        $($($group,)*)?
                    }),
                    _ => None,
                }
            }
        }
    };
}

macro_rules! var {
    ($name:ident or none) => {
        $crate::config::declare::Var {
            name: stringify!($name),
            default: None,
        }
    };
    ($name:ident or $default:literal) => {
        $crate::config::declare::Var {
            name: stringify!($name),
            default: Some($default),
        }
    };
}

pub(super) use {settings, var};

/// A variable of the table.
#[derive(Debug, Clone, Copy)]
pub(super) struct Var {
    pub name: &'static str,
    pub default: Option<&'static str>,
}

/// What a parser returns: the value, or one line per problem.
pub(super) type Parsed<T> = Result<T, Problems>;

/// Problems found so far, each a line naming its variable.
#[derive(Debug, Default)]
pub(super) struct Problems(Vec<String>);

impl Problems {
    pub fn push(&mut self, line: String) {
        self.0.push(line);
    }

    /// The value, or `None` with its problems kept.
    pub fn take<T>(&mut self, parsed: Parsed<T>) -> Option<T> {
        parsed.map_err(|mut bad| self.0.append(&mut bad.0)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_lines(self) -> Vec<String> {
        self.0
    }
}

/// Where values come from: the environment first, then the file.
pub(super) struct Sources<'a> {
    pub env: &'a BTreeMap<String, String>,
    pub file: &'a FileSettings,
}

impl Sources<'_> {
    /// A variable's value, trimmed; an empty one is unset, and an unset one takes the default.
    /// A variable set in the environment hides the file's, even when set empty.
    pub fn value(&self, var: Var) -> RawSetting {
        let set = self
            .env
            .get(var.name)
            .or_else(|| file_key(var.name).and_then(|key| self.file.get(&key)));
        let raw = set
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .or(var.default)
            .map(str::to_string);
        RawSetting {
            name: var.name,
            raw,
        }
    }
}

/// One variable's value, as a parser gets it.
#[derive(Debug)]
pub(super) struct RawSetting {
    pub name: &'static str,
    pub raw: Option<String>,
}

impl RawSetting {
    /// A problem with this variable: `{name} {what}`.
    pub fn problem(&self, what: impl fmt::Display) -> Problems {
        Problems(vec![format!("{} {what}", self.name)])
    }

    /// The value, for parsers of variables that always have one (a default, at least).
    pub fn required(&self) -> Parsed<&str> {
        self.raw
            .as_deref()
            .ok_or_else(|| self.problem("is not set"))
    }
}

//! Caps on what one feed may hold, checked while the tree is built, so that parsing stays
//! linear in the input and a hostile document is refused early with its own error.

use std::collections::HashSet;

use crate::import::parse::ParseError;

/// Attributes on one element, namespace declarations included. Real feeds use a handful.
pub const MAX_ATTRIBUTES: usize = 100;
/// Namespace declarations (`xmlns`, `xmlns:x`) in a whole document. Each one in scope is
/// looked at for every element name, so their number must stay small.
pub const MAX_NAMESPACES: usize = 200;
/// Elements in a whole document: each costs memory in the tree, some ten times its bytes.
pub const MAX_ELEMENTS: usize = 1_000_000;
/// Elements inside one `<item>`, at any depth.
pub const MAX_ITEM_ELEMENTS: usize = 1_000;
/// `<item>`s in one feed.
pub const MAX_ITEMS: usize = 50_000;

/// The counts of one document so far.
#[derive(Debug, Default)]
pub struct Budget {
    elements: usize,
    namespaces: usize,
    items: usize,
    /// Elements in the open `<item>`, if one is open.
    item_elements: Option<usize>,
}

impl Budget {
    /// Accounts for a start tag at `depth` (the root is 0). `is_item` says whether it is an
    /// RSS `<item>`; items are counted as children of the channel (depth 2).
    pub fn element(&mut self, depth: usize, is_item: bool) -> Result<(), ParseError> {
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(ParseError::TooManyElements {
                limit: MAX_ELEMENTS,
            });
        }
        if depth == 2 {
            self.item_elements = is_item.then_some(0);
            if is_item {
                self.items += 1;
                if self.items > MAX_ITEMS {
                    return Err(ParseError::TooManyItems { limit: MAX_ITEMS });
                }
            }
        } else if let Some(n) = self.item_elements.as_mut().filter(|_| depth > 2) {
            *n += 1;
            if *n > MAX_ITEM_ELEMENTS {
                return Err(ParseError::TooManyItemElements {
                    item: self.items,
                    limit: MAX_ITEM_ELEMENTS,
                });
            }
        }
        Ok(())
    }

    /// Accounts for one namespace declaration.
    pub fn namespace(&mut self) -> Result<(), ParseError> {
        self.namespaces += 1;
        match self.namespaces > MAX_NAMESPACES {
            true => Err(ParseError::TooManyNamespaces {
                limit: MAX_NAMESPACES,
            }),
            false => Ok(()),
        }
    }
}

/// The first attribute name that occurs twice, found in time linear in their number.
pub fn duplicate<'k>(keys: &[&'k [u8]]) -> Option<&'k [u8]> {
    if keys.len() <= 8 {
        let at = (1..keys.len()).find(|&i| keys[..i].contains(&keys[i]))?;
        return Some(keys[at]);
    }
    let mut seen = HashSet::with_capacity(keys.len());
    keys.iter().copied().find(|k| !seen.insert(*k))
}

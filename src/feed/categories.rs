//! Apple Podcasts categories: the list Apple introduced in 2019, which is still current.
//!
//! Source: Apple Podcasts for Creators, "Apple Podcasts categories",
//! <https://podcasters.apple.com/support/1691-apple-podcasts-categories>. Apple matches
//! `itunes:category` text exactly, so names are spelled here as Apple spells them (case, `&`,
//! hyphens: "How To" but "Stand-Up" and "Self-Improvement").

/// A top-level Apple category and the subcategories it allows (possibly none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppleCategory {
    pub name: &'static str,
    pub subcategories: &'static [&'static str],
}

const fn cat(name: &'static str, subcategories: &'static [&'static str]) -> AppleCategory {
    AppleCategory {
        name,
        subcategories,
    }
}

/// Every Apple category, in Apple's order, with its subcategories.
pub static APPLE_CATEGORIES: &[AppleCategory] = &[
    cat(
        "Arts",
        &[
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    cat(
        "Business",
        &[
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
        ],
    ),
    cat("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    cat(
        "Education",
        &["Courses", "How To", "Language Learning", "Self-Improvement"],
    ),
    cat("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    cat("Government", &[]),
    cat("History", &[]),
    cat(
        "Health & Fitness",
        &[
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ],
    ),
    cat(
        "Kids & Family",
        &[
            "Education for Kids",
            "Parenting",
            "Pets & Animals",
            "Stories for Kids",
        ],
    ),
    cat(
        "Leisure",
        &[
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ],
    ),
    cat(
        "Music",
        &["Music Commentary", "Music History", "Music Interviews"],
    ),
    cat(
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    cat(
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
        ],
    ),
    cat(
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    cat(
        "Society & Culture",
        &[
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
        ],
    ),
    cat(
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    cat("Technology", &[]),
    cat("True Crime", &[]),
    cat(
        "TV & Film",
        &[
            "After Shows",
            "Film History",
            "Film Interviews",
            "Film Reviews",
            "TV Reviews",
        ],
    ),
];

/// How a category (and optional subcategory) compares with Apple's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryCheck {
    /// Spelled exactly as Apple spells it.
    Valid,
    /// Not one of Apple's top-level categories, even ignoring case and whitespace.
    UnknownCategory,
    /// The category is known, but the subcategory is not one of its subcategories.
    UnknownSubcategory,
    /// Known, but spelled with a different case or whitespace; `name` and `sub` are the correct
    /// spellings.
    WrongCase {
        name: &'static str,
        sub: Option<&'static str>,
    },
}

/// Checks `name` (and `sub`, when given) against [`APPLE_CATEGORIES`].
///
/// An exact match is [`CategoryCheck::Valid`]. A match that ignores ASCII case and whitespace is
/// [`CategoryCheck::WrongCase`], carrying Apple's spelling.
pub fn check(name: &str, sub: Option<&str>) -> CategoryCheck {
    let Some((cat, cat_exact)) = lookup(APPLE_CATEGORIES, |c| c.name, name) else {
        return CategoryCheck::UnknownCategory;
    };
    let (sub, sub_exact) = match sub {
        None => (None, true),
        Some(s) => match lookup(cat.subcategories, |n| *n, s) {
            Some((found, exact)) => (Some(*found), exact),
            None => return CategoryCheck::UnknownSubcategory,
        },
    };
    match cat_exact && sub_exact {
        true => CategoryCheck::Valid,
        false => CategoryCheck::WrongCase {
            name: cat.name,
            sub,
        },
    }
}

/// Finds `wanted` among `items` by `key`: exactly (`true`), or else ignoring ASCII case and
/// whitespace (`false`).
fn lookup<T>(
    items: &'static [T],
    key: impl Fn(&T) -> &str,
    wanted: &str,
) -> Option<(&'static T, bool)> {
    let exact = items.iter().find(|i| key(i) == wanted).map(|i| (i, true));
    exact.or_else(|| {
        let loose = items.iter().find(|i| loose_eq(key(i), wanted));
        loose.map(|i| (i, false))
    })
}

/// Equal once whitespace is removed and ASCII letters are folded to lower case.
fn loose_eq(a: &str, b: &str) -> bool {
    fn squash(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
    }
    squash(a).eq(squash(b))
}

#[cfg(test)]
mod tests;

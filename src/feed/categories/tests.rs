use super::*;

#[test]
fn every_top_level_category_is_valid() {
    for c in APPLE_CATEGORIES {
        assert_eq!(check(c.name, None), CategoryCheck::Valid, "{}", c.name);
    }
}

#[test]
fn every_subcategory_is_valid_under_its_category() {
    for c in APPLE_CATEGORIES {
        for s in c.subcategories {
            assert_eq!(check(c.name, Some(s)), CategoryCheck::Valid, "{s}");
        }
    }
}

#[test]
fn the_2019_list_is_complete() {
    let names: Vec<_> = APPLE_CATEGORIES.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "Arts",
            "Business",
            "Comedy",
            "Education",
            "Fiction",
            "Government",
            "History",
            "Health & Fitness",
            "Kids & Family",
            "Leisure",
            "Music",
            "News",
            "Religion & Spirituality",
            "Science",
            "Society & Culture",
            "Sports",
            "Technology",
            "True Crime",
            "TV & Film",
        ]
    );
    let subs: usize = APPLE_CATEGORIES.iter().map(|c| c.subcategories.len()).sum();
    // 19 categories and 91 subcategories: Apple's 110 categories in all.
    assert_eq!(subs, 91);
    let childless = ["Government", "History", "Technology", "True Crime"];
    for c in APPLE_CATEGORIES {
        assert_eq!(c.subcategories.is_empty(), childless.contains(&c.name));
    }
}

#[test]
fn names_are_unique_within_their_level() {
    for (i, c) in APPLE_CATEGORIES.iter().enumerate() {
        assert!(APPLE_CATEGORIES[..i].iter().all(|o| o.name != c.name));
        for (j, s) in c.subcategories.iter().enumerate() {
            assert!(!c.subcategories[..j].contains(s), "{s}");
        }
    }
}

#[test]
fn society_and_culture_documentary_is_valid() {
    assert_eq!(
        check("Society & Culture", Some("Documentary")),
        CategoryCheck::Valid
    );
    assert_eq!(
        check("Arts", Some("Fashion & Beauty")),
        CategoryCheck::Valid
    );
    assert_eq!(check("Education", Some("How To")), CategoryCheck::Valid);
    assert_eq!(check("Comedy", Some("Stand-Up")), CategoryCheck::Valid);
}

#[test]
fn wrong_case_gives_apple_spelling() {
    assert_eq!(
        check("technology", None),
        CategoryCheck::WrongCase {
            name: "Technology",
            sub: None
        }
    );
    assert_eq!(
        check(" tv &  FILM ", Some("film reviews")),
        CategoryCheck::WrongCase {
            name: "TV & Film",
            sub: Some("Film Reviews")
        }
    );
    assert_eq!(
        check("Society & Culture", Some("personal journals")),
        CategoryCheck::WrongCase {
            name: "Society & Culture",
            sub: Some("Personal Journals")
        }
    );
    assert_eq!(
        check("truecrime", None),
        CategoryCheck::WrongCase {
            name: "True Crime",
            sub: None
        }
    );
}

#[test]
fn unknown_category() {
    assert_eq!(
        check("Society and Culture", None),
        CategoryCheck::UnknownCategory
    );
    assert_eq!(
        check("Games & Hobbies", Some("Video Games")),
        CategoryCheck::UnknownCategory
    );
    assert_eq!(check("", None), CategoryCheck::UnknownCategory);
}

#[test]
fn unknown_subcategory() {
    assert_eq!(
        check("Technology", Some("Gadgets")),
        CategoryCheck::UnknownSubcategory
    );
    // A subcategory of another category does not count.
    assert_eq!(
        check("Arts", Some("Documentary")),
        CategoryCheck::UnknownSubcategory
    );
    assert_eq!(
        check("technology", Some("Tech News")),
        CategoryCheck::UnknownSubcategory
    );
}

//! The API lists a show's episodes in the orders the UI offers: by date, by number or by title
//! (natural order), either way, and every cursor it hands out leads through the whole list.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::{spawn_app, TestApp, TestUser};

/// Every title, following the cursors from `first`, two a page.
async fn titles(app: &TestApp, user: &TestUser, first: &str) -> Vec<String> {
    let mut titles = Vec::new();
    let mut path = first.to_string();
    for _ in 0..10 {
        let (status, page) = app.api(Method::GET, &path, Some(user), None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        titles.extend(
            items
                .iter()
                .map(|e| e["title"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("{first}&cursor={cursor}"),
            None => return titles,
        }
    }
    panic!("the cursors never end: {titles:?}");
}

#[tokio::test]
async fn episodes_are_listed_by_number_or_title_either_way_page_by_page() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "sorted", json!({})).await;
    for (title, season, episode, days_ago) in [
        ("Episode 10", 2, 1, 1),
        ("episode 2", 1, 2, 3),
        ("Bonus", 1, 10, 2),
        ("Episode 1", 1, 1, 5),
        ("Zebra crossing", 2, 2, 4),
    ] {
        let at = chrono::Utc::now() - chrono::Duration::days(days_ago);
        app.post_episode(
            &user,
            "sorted",
            json!({"title": title, "season": season, "episode": episode, "publish_at": at}),
        )
        .await;
    }
    let path = "/shows/sorted/episodes?limit=2";
    assert_eq!(
        titles(&app, &user, path).await,
        [
            "Episode 10",
            "Bonus",
            "episode 2",
            "Zebra crossing",
            "Episode 1"
        ],
        "newest first by default"
    );
    assert_eq!(
        titles(&app, &user, &format!("{path}&sort=date&dir=asc")).await,
        [
            "Episode 1",
            "Zebra crossing",
            "episode 2",
            "Bonus",
            "Episode 10"
        ]
    );
    assert_eq!(
        titles(&app, &user, &format!("{path}&sort=title")).await,
        [
            "Bonus",
            "Episode 1",
            "episode 2",
            "Episode 10",
            "Zebra crossing"
        ],
        "natural order, case-insensitive"
    );
    assert_eq!(
        titles(&app, &user, &format!("{path}&sort=number")).await,
        [
            "Episode 1",
            "episode 2",
            "Bonus",
            "Episode 10",
            "Zebra crossing"
        ],
        "season, then episode"
    );
    assert_eq!(
        titles(&app, &user, &format!("{path}&sort=number&dir=desc")).await,
        [
            "Zebra crossing",
            "Episode 10",
            "Bonus",
            "episode 2",
            "Episode 1"
        ]
    );
}

#[tokio::test]
async fn a_bad_sort_or_a_cursor_of_another_sort_is_a_422_naming_the_parameter() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "strict", json!({})).await;
    for n in 0..3 {
        app.post_episode(&user, "strict", json!({"title": format!("E{n}")}))
            .await;
    }
    let get = |path: String| {
        let (app, user) = (&app, &user);
        async move { app.api(Method::GET, &path, Some(user), None).await }
    };
    let (_, by_date) = get("/shows/strict/episodes?limit=1".into()).await;
    let date_cursor = by_date["next_cursor"].as_str().unwrap().to_string();
    let (_, by_title) = get("/shows/strict/episodes?limit=1&sort=title".into()).await;
    let title_cursor = by_title["next_cursor"].as_str().unwrap().to_string();

    for (query, field) in [
        ("sort=size".to_string(), "sort"),
        ("sort=title&dir=up".into(), "dir"),
        (format!("sort=title&cursor={date_cursor}"), "cursor"),
        (format!("cursor={title_cursor}"), "cursor"),
        (
            format!("sort=title&dir=desc&cursor={title_cursor}"),
            "cursor",
        ),
        ("sort=title&cursor=title.asc.-1".into(), "cursor"),
    ] {
        let (status, err) = get(format!("/shows/strict/episodes?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {err}");
        assert!(err["error"]["fields"][field].is_string(), "{query}: {err}");
    }
    let stranger = app.create_user(false).await;
    let (status, _) = app
        .api(
            Method::GET,
            "/shows/strict/episodes?sort=title",
            Some(&stranger),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "someone else's show");
}

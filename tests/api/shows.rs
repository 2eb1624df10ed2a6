//! Shows and episodes through the API, as a podcaster sees them.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use podpub::feed::guid::podcast_guid;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::kit::app::{spawn_app, TestApp, TestUser};

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

fn slugs(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {list}"))
        .iter()
        .map(|s| str_of(s, "slug"))
        .collect()
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {list}"))
        .iter()
        .map(|e| str_of(e, "id").to_string())
        .collect()
}

/// `v` without the keys that change on every write.
fn without(v: &Value, keys: &[&str]) -> Value {
    let mut v = v.clone();
    for k in keys {
        v.as_object_mut().unwrap().remove(*k);
    }
    v
}

async fn get(app: &TestApp, user: &TestUser, path: &str) -> (StatusCode, Value) {
    app.api(Method::GET, path, Some(user), None).await
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tokio::test]
async fn creating_a_show_returns_it_with_its_feed_url_and_podcast_guid() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;

    let show = app.post_show(&user, "my-show", json!({})).await;

    Uuid::parse_str(str_of(&show, "id")).expect("id is a UUID");
    let feed_url = format!("{}/my-show/feed.xml", app.edge_address);
    assert_eq!(show["feed_url"], json!(feed_url));
    assert_eq!(
        show["podcast_guid"],
        json!(podcast_guid(&feed_url).to_string()),
        "podcast_guid is the Podcast Namespace UUIDv5 of the feed URL"
    );
    assert_eq!(show["slug"], "my-show");
    assert_eq!(show["title"], "A Show");
    assert_eq!(show["status"], "active");
    assert!(show["revision"].as_i64().is_some(), "revision: {show}");
    assert_eq!(show["type"], "episodic", "type defaults to episodic");
    assert_eq!(show["explicit"], false);
    for key in ["created_at", "updated_at"] {
        DateTime::parse_from_rfc3339(str_of(&show, key)).expect("times are RFC 3339");
    }

    let (status, fetched) = get(&app, &user, "/shows/my-show").await;
    assert_eq!(status, StatusCode::OK, "{fetched}");
    assert_eq!(fetched, show, "GET returns what POST created");
}

#[tokio::test]
async fn listing_shows_returns_only_the_callers_shows() {
    let app = spawn_app().await;
    let alice = app.create_user(false).await;
    let bob = app.create_user(false).await;
    app.post_show(&alice, "alice-b", json!({})).await;
    app.post_show(&alice, "alice-a", json!({})).await;
    app.post_show(&bob, "bob", json!({})).await;

    let (status, list) = get(&app, &alice, "/shows").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let mut mine = slugs(&list);
    mine.sort();
    assert_eq!(mine, ["alice-a", "alice-b"]);

    let (_, list) = get(&app, &bob, "/shows").await;
    assert_eq!(slugs(&list), ["bob"]);

    let newcomer = app.create_user(false).await;
    let (_, list) = get(&app, &newcomer, "/shows").await;
    assert_eq!(list["items"], json!([]), "a new user sees no shows");
}

#[tokio::test]
async fn patching_the_title_changes_only_the_title_and_bumps_the_revision() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let before = app.post_show(&user, "patchy", json!({})).await;

    let (status, after) = app
        .api(
            Method::PATCH,
            "/shows/patchy",
            Some(&user),
            Some(json!({"title": "A Better Title"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["title"], "A Better Title");
    assert_eq!(
        after["revision"].as_i64().unwrap(),
        before["revision"].as_i64().unwrap() + 1,
        "an edit bumps the revision"
    );
    let volatile = ["title", "revision", "updated_at"];
    assert_eq!(
        without(&after, &volatile),
        without(&before, &volatile),
        "nothing but the title changed"
    );

    let (_, fetched) = get(&app, &user, "/shows/patchy").await;
    assert_eq!(fetched, after, "the edit was stored");
}

#[tokio::test]
async fn patching_null_clears_an_optional_field() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let before = app
        .post_show(&user, "clearing", json!({"link": "https://example.com/"}))
        .await;
    assert_eq!(before["image_url"], "https://example.com/art.jpg");
    assert_eq!(before["link"], "https://example.com/");

    let (status, after) = app
        .api(
            Method::PATCH,
            "/shows/clearing",
            Some(&user),
            Some(json!({"image_url": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["image_url"], Value::Null, "null clears the field");
    assert_eq!(
        after["link"], "https://example.com/",
        "absent keeps the field"
    );

    let (_, fetched) = get(&app, &user, "/shows/clearing").await;
    assert_eq!(fetched["image_url"], Value::Null);
}

#[tokio::test]
async fn a_show_patch_that_fails_validation_changes_nothing() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let before = app.post_show(&user, "steady", json!({})).await;

    for (what, body, field) in [
        (
            "a good title with a bad image",
            json!({"title": "New", "image_url": "javascript:alert(1)"}),
            "image_url",
        ),
        ("an empty title", json!({"title": "  "}), "title"),
        (
            "a good author with a bad language",
            json!({"author": "Someone Else", "language": "english"}),
            "language",
        ),
    ] {
        let (status, err) = app
            .api(Method::PATCH, "/shows/steady", Some(&user), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {err}");
        assert!(
            err["error"]["fields"][field].is_string(),
            "{what}: fields names {field}: {err}"
        );
        let (_, now) = get(&app, &user, "/shows/steady").await;
        assert_eq!(now, before, "{what}: the show is unchanged");
    }
}

#[tokio::test]
async fn a_deleted_show_stays_visible_as_deleted_and_refuses_edits() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "gone", json!({})).await;

    let (status, body) = app
        .api(Method::DELETE, "/shows/gone", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(body, Value::Null, "204 has no body");

    let (status, show) = get(&app, &user, "/shows/gone").await;
    assert_eq!(status, StatusCode::OK, "{show}");
    assert_eq!(show["status"], "deleted");
    assert_eq!(show["block"], true, "a deleted show's feed is blocked");
    assert_eq!(show["complete"], true, "a deleted show's feed is complete");

    let (status, err) = app
        .api(
            Method::PATCH,
            "/shows/gone",
            Some(&user),
            Some(json!({"title": "Back"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "show_deleted");

    let (status, err) = app
        .api(
            Method::POST,
            "/shows/gone/episodes",
            Some(&user),
            Some(json!({
                "title": "Late",
                "enclosure": {"url": "https://example.com/e.mp3", "length": 1, "type": "audio/mpeg"},
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "show_deleted");

    let (_, list) = get(&app, &user, "/shows").await;
    assert_eq!(list["items"], json!([]), "deleted shows leave the list");

    let (status, err) = app
        .api(
            Method::POST,
            "/shows",
            Some(&user),
            Some(json!({"slug": "gone", "title": "Again"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "the slug stays taken: {err}");
    assert_eq!(err["error"]["code"], "slug_taken");
}

#[tokio::test]
async fn a_purged_show_is_gone_and_its_slug_can_be_reused() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let old = app.post_show(&user, "purged", json!({})).await;
    app.post_episode(&user, "purged", json!({})).await;

    let (status, body) = app
        .api(
            Method::DELETE,
            "/shows/purged?purge=true",
            Some(&user),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let (status, _) = get(&app, &user, "/shows/purged").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&app, &user, "/shows/purged/episodes").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let new = app.post_show(&user, "purged", json!({})).await;
    assert_ne!(new["id"], old["id"], "a new show under the old slug");
    let (_, episodes) = get(&app, &user, "/shows/purged/episodes").await;
    assert_eq!(
        episodes["items"],
        json!([]),
        "the old episodes went with it"
    );
}

#[tokio::test]
async fn episodes_posted_at_once_all_land_and_each_bumps_the_revision() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show = app.post_show(&user, "busy", json!({})).await;
    let before = show["revision"].as_i64().unwrap();

    let posts = (0..16).map(|n| {
        let body = json!({
            "title": format!("Episode {n}"),
            "enclosure": {"url": format!("https://example.com/{n}.mp3"), "length": 1, "type": "audio/mpeg"},
        });
        app.api(Method::POST, "/shows/busy/episodes", Some(&user), Some(body))
    });
    for (status, body) in futures::future::join_all(posts).await {
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    let (_, list) = get(&app, &user, "/shows/busy/episodes").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 16);
    let (_, show) = get(&app, &user, "/shows/busy").await;
    assert_eq!(show["revision"].as_i64().unwrap(), before + 16);
}

#[tokio::test]
async fn an_episode_posted_while_its_show_is_deleted_lands_before_or_is_refused() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "doomed", json!({})).await;

    let posts = (0..12).map(|n| {
        let body = json!({
            "title": format!("Episode {n}"),
            "enclosure": {"url": format!("https://example.com/{n}.mp3"), "length": 1, "type": "audio/mpeg"},
        });
        app.api(Method::POST, "/shows/doomed/episodes", Some(&user), Some(body))
    });
    let delete = app.api(Method::DELETE, "/shows/doomed", Some(&user), None);
    let (answers, (deleted, _)) = tokio::join!(futures::future::join_all(posts), delete);
    assert!(deleted.is_success(), "{deleted}");

    let mut created = 0;
    for (status, body) in answers {
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert_eq!(body["error"]["code"], "show_deleted", "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    let (_, list) = get(&app, &user, "/shows/doomed/episodes?limit=500").await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        created,
        "every 201 is stored, and nothing else"
    );
    let (status, _) = app
        .api(Method::POST, "/shows/doomed/episodes", Some(&user), Some(json!({"title": "Late", "enclosure": {"url": "https://example.com/l.mp3", "length": 1, "type": "audio/mpeg"}})))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a deleted show takes no episodes"
    );
}

#[tokio::test]
async fn a_show_without_episodes_lists_none_to_its_owner_and_404_to_others() {
    let app = spawn_app().await;
    let owner = app.create_user(false).await;
    let stranger = app.create_user(false).await;
    let admin = app.create_user(true).await;
    app.post_show(&owner, "quiet", json!({})).await;

    for user in [&owner, &admin] {
        let (status, list) = get(&app, user, "/shows/quiet/episodes").await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list, json!({"items": [], "next_cursor": null}));
    }
    for path in ["/shows/quiet/episodes", "/shows/nowhere/episodes"] {
        let (status, err) = get(&app, &stranger, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {err}");
        assert_eq!(err["error"]["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn another_users_show_answers_404_and_is_left_alone() {
    let app = spawn_app().await;
    let owner = app.create_user(false).await;
    let stranger = app.create_user(false).await;
    app.post_show(&owner, "private", json!({})).await;
    let episode = app.post_episode(&owner, "private", json!({})).await;
    let (_, show) = get(&app, &owner, "/shows/private").await;
    let ep = format!("/shows/private/episodes/{}", str_of(&episode, "id"));
    let new_episode = json!({
        "title": "Intruder",
        "enclosure": {"url": "https://example.com/x.mp3", "length": 1, "type": "audio/mpeg"},
    });

    for (method, path, body) in [
        (Method::GET, "/shows/private".to_string(), None),
        (
            Method::PATCH,
            "/shows/private".to_string(),
            Some(json!({"title": "Mine now"})),
        ),
        (Method::DELETE, "/shows/private".to_string(), None),
        (
            Method::DELETE,
            "/shows/private?purge=true".to_string(),
            None,
        ),
        (Method::GET, "/shows/private/episodes".to_string(), None),
        (
            Method::POST,
            "/shows/private/episodes".to_string(),
            Some(new_episode.clone()),
        ),
        (Method::GET, ep.clone(), None),
        (
            Method::PATCH,
            ep.clone(),
            Some(json!({"title": "Mine now"})),
        ),
        (Method::DELETE, ep.clone(), None),
        (Method::GET, "/shows/private/feed".to_string(), None),
        (Method::POST, "/shows/private/refresh".to_string(), None),
    ] {
        let (status, err) = app.api(method.clone(), &path, Some(&stranger), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {err}");
        assert_eq!(err["error"]["code"], "not_found", "{method} {path}");
    }

    let (_, now) = get(&app, &owner, "/shows/private").await;
    assert_eq!(now, show, "the show is unchanged");
    let (_, now) = get(&app, &owner, &ep).await;
    assert_eq!(now, episode, "the episode is unchanged");
    let (_, list) = get(&app, &owner, "/shows/private/episodes").await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "no episode added"
    );
}

#[tokio::test]
async fn an_admin_can_see_every_show() {
    let app = spawn_app().await;
    let owner = app.create_user(false).await;
    let admin = app.create_user(true).await;
    app.post_show(&owner, "watched", json!({})).await;
    app.post_episode(&owner, "watched", json!({})).await;
    let (_, show) = get(&app, &owner, "/shows/watched").await;

    let (status, seen) = get(&app, &admin, "/shows/watched").await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen, show);
    let (_, list) = get(&app, &admin, "/shows").await;
    assert_eq!(slugs(&list), ["watched"]);
    let (status, episodes) = get(&app, &admin, "/shows/watched/episodes").await;
    assert_eq!(status, StatusCode::OK, "{episodes}");
    assert_eq!(episodes["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_episodes_state_follows_its_status_and_publish_at() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "states", json!({})).await;
    let tomorrow = rfc3339(Utc::now() + Duration::days(1));
    let yesterday = rfc3339(Utc::now() - Duration::days(1));

    for (what, fields, state) in [
        ("default publish_at", json!({}), "published"),
        (
            "a past publish_at",
            json!({"publish_at": yesterday}),
            "published",
        ),
        (
            "a future publish_at",
            json!({"publish_at": tomorrow}),
            "scheduled",
        ),
        ("status draft", json!({"status": "draft"}), "draft"),
        (
            "a future draft",
            json!({"status": "draft", "publish_at": tomorrow}),
            "draft",
        ),
    ] {
        let episode = app.post_episode(&user, "states", fields).await;
        assert_eq!(episode["state"], state, "{what}: {episode}");
        let (_, fetched) = get(
            &app,
            &user,
            &format!("/shows/states/episodes/{}", str_of(&episode, "id")),
        )
        .await;
        assert_eq!(fetched["state"], state, "{what}, read back: {fetched}");
    }
}

#[tokio::test]
async fn an_episode_without_a_guid_gets_one_and_a_given_guid_is_kept() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "guids", json!({})).await;

    let a = app.post_episode(&user, "guids", json!({})).await;
    let b = app.post_episode(&user, "guids", json!({})).await;
    let generated = str_of(&a, "guid");
    assert!(!generated.is_empty(), "a guid is generated: {a}");
    assert_ne!(a["guid"], b["guid"], "generated guids are unique");

    let given = app
        .post_episode(&user, "guids", json!({"guid": "urn:example:ep-1"}))
        .await;
    assert_eq!(given["guid"], "urn:example:ep-1");

    let (status, edited) = app
        .api(
            Method::PATCH,
            &format!("/shows/guids/episodes/{}", str_of(&a, "id")),
            Some(&user),
            Some(json!({"title": "Renamed"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["guid"], a["guid"], "an edit keeps the guid");
}

#[tokio::test]
async fn an_episodes_guid_never_changes() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "fixed", json!({})).await;
    let episode = app
        .post_episode(&user, "fixed", json!({"guid": "original"}))
        .await;
    let path = format!("/shows/fixed/episodes/{}", str_of(&episode, "id"));

    let (status, err) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"guid": "another", "title": "Sneaky"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["error"]["fields"]["guid"].is_string(), "{err}");
    let (_, now) = get(&app, &user, &path).await;
    assert_eq!(now, episode, "a refused patch changes nothing");

    let (status, same) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"guid": "original", "title": "Fine"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "repeating the same guid is fine: {same}"
    );
    assert_eq!(same["guid"], "original");
    assert_eq!(same["title"], "Fine");
}

#[tokio::test]
async fn an_episode_can_be_read_patched_and_deleted_by_id() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show = app.post_show(&user, "crud", json!({})).await;
    let episode = app
        .post_episode(&user, "crud", json!({"season": 2, "episode": 7}))
        .await;
    let path = format!("/shows/crud/episodes/{}", str_of(&episode, "id"));

    let (status, fetched) = get(&app, &user, &path).await;
    assert_eq!(status, StatusCode::OK, "{fetched}");
    assert_eq!(fetched, episode);

    let (status, edited) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"title": "Edited", "season": null, "episode_type": "bonus"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["title"], "Edited");
    assert_eq!(edited["season"], Value::Null, "null clears the season");
    assert_eq!(edited["episode"], 7, "absent keeps the episode number");
    assert_eq!(edited["episode_type"], "bonus");
    assert_eq!(edited["enclosure"], episode["enclosure"]);
    let (_, fetched) = get(&app, &user, &path).await;
    assert_eq!(fetched, edited, "the edit was stored");

    let (_, show_now) = get(&app, &user, "/shows/crud").await;
    assert!(
        show_now["revision"].as_i64() > show["revision"].as_i64(),
        "episode changes bump the show's revision"
    );

    let (status, body) = app.api(Method::DELETE, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) = get(&app, &user, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a deleted episode is gone");
    let (status, _) = app.api(Method::DELETE, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "deleting twice is a 404");
}

#[tokio::test]
async fn an_episode_patch_that_fails_validation_changes_nothing() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "ep-steady", json!({})).await;
    let episode = app.post_episode(&user, "ep-steady", json!({})).await;
    let path = format!("/shows/ep-steady/episodes/{}", str_of(&episode, "id"));
    let (_, show_before) = get(&app, &user, "/shows/ep-steady").await;

    let (status, err) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"title": "New", "duration_seconds": -1})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        err["error"]["fields"]["duration_seconds"].is_string(),
        "{err}"
    );
    let (_, now) = get(&app, &user, &path).await;
    assert_eq!(now, episode, "the episode is unchanged");
    let (_, show_now) = get(&app, &user, "/shows/ep-steady").await;
    assert_eq!(show_now["revision"], show_before["revision"]);
}

#[tokio::test]
async fn episodes_are_listed_newest_first() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "order", json!({})).await;
    let base = Utc::now() - Duration::days(10);
    let mut expected = Vec::new();
    for days in [3, 1, 4, 0, 2] {
        let at = rfc3339(base + Duration::days(days));
        let e = app
            .post_episode(&user, "order", json!({"publish_at": at}))
            .await;
        expected.push((days, str_of(&e, "id").to_string()));
    }
    expected.sort_by_key(|(days, _)| std::cmp::Reverse(*days));
    let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();

    let (status, list) = get(&app, &user, "/shows/order/episodes").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(ids(&list), expected, "newest publish_at first");
    assert_eq!(list["next_cursor"], Value::Null, "one page holds them all");
}

#[tokio::test]
async fn following_cursors_visits_every_episode_exactly_once() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "pages", json!({})).await;
    let base = Utc::now() - Duration::days(30);
    let mut all = Vec::new();
    for days in 0..5 {
        let at = rfc3339(base + Duration::days(days));
        let e = app
            .post_episode(&user, "pages", json!({"publish_at": at}))
            .await;
        all.push(str_of(&e, "id").to_string());
    }
    all.reverse();

    let mut seen = Vec::new();
    let mut path = "/shows/pages/episodes?limit=2".to_string();
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages <= 5, "pagination does not end");
        let (status, page) = get(&app, &user, &path).await;
        assert_eq!(status, StatusCode::OK, "page {pages}: {page}");
        let items = ids(&page);
        assert!(items.len() <= 2, "page {pages} exceeds the limit: {page}");
        seen.extend(items);
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                assert_eq!(page["items"].as_array().unwrap().len(), 2, "page {pages}");
                path = format!("/shows/pages/episodes?limit=2&cursor={cursor}");
            }
            None => {
                assert_eq!(page["next_cursor"], Value::Null, "last page: {page}");
                break;
            }
        }
    }
    assert_eq!(pages, 3, "5 episodes at 2 per page is 3 pages");
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no duplicates: {seen:?}");
    assert_eq!(seen, all, "every episode once, newest first");
}

#[tokio::test]
async fn episodes_can_be_filtered_by_state() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "filters", json!({})).await;
    let published = app.post_episode(&user, "filters", json!({})).await;
    let scheduled = app
        .post_episode(
            &user,
            "filters",
            json!({"publish_at": rfc3339(Utc::now() + Duration::days(7))}),
        )
        .await;
    let draft = app
        .post_episode(&user, "filters", json!({"status": "draft"}))
        .await;

    for (status_filter, episode) in [
        ("published", &published),
        ("scheduled", &scheduled),
        ("draft", &draft),
    ] {
        let (status, list) = get(
            &app,
            &user,
            &format!("/shows/filters/episodes?status={status_filter}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{status_filter}: {list}");
        assert_eq!(
            ids(&list),
            [str_of(episode, "id")],
            "?status={status_filter}"
        );
        assert_eq!(list["items"][0]["state"], status_filter);
    }
    let (_, list) = get(&app, &user, "/shows/filters/episodes").await;
    assert_eq!(ids(&list).len(), 3, "no filter lists all");
}

#[tokio::test]
async fn bad_list_parameters_are_refused() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "params", json!({})).await;
    app.post_episode(&user, "params", json!({})).await;
    let id = Uuid::new_v4();

    let huge = format!("cursor=99999999999999999999999_{id}");
    let beyond_chrono = format!("cursor=9223372036854775807_{id}");
    for (query, field) in [
        ("status=bogus", "status"),
        ("status=", "status"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=501", "limit"),
        ("cursor=nonsense", "cursor"),
        ("cursor=12345_not-a-uuid", "cursor"),
        (huge.as_str(), "cursor"),
        (beyond_chrono.as_str(), "cursor"),
        ("sort=asc", "sort"),
    ] {
        let (status, err) = get(&app, &user, &format!("/shows/params/episodes?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "?{query}: {err}");
        assert_eq!(err["error"]["code"], "invalid", "?{query}");
        assert!(
            err["error"]["fields"][field].is_string(),
            "?{query} names {field}: {err}"
        );
    }

    // A query string that does not parse at all is a 400.
    for query in ["limit=abc", "limit=1e3", "limit=2&limit=3", "order=asc"] {
        let (status, err) = get(&app, &user, &format!("/shows/params/episodes?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "?{query}: {err}");
        assert_eq!(err["error"]["code"], "bad_request", "?{query}");
    }
}

#[tokio::test]
async fn a_guid_is_unique_within_a_show_but_not_across_shows() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "first", json!({})).await;
    app.post_show(&user, "second", json!({})).await;
    app.post_episode(&user, "first", json!({"guid": "shared"}))
        .await;

    let (status, err) = app
        .api(
            Method::POST,
            "/shows/first/episodes",
            Some(&user),
            Some(json!({
                "title": "Copy",
                "guid": "shared",
                "enclosure": {"url": "https://example.com/c.mp3", "length": 1, "type": "audio/mpeg"},
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "guid_taken");
    let (_, list) = get(&app, &user, "/shows/first/episodes").await;
    assert_eq!(ids(&list).len(), 1, "the duplicate was not stored");

    let other = app
        .post_episode(&user, "second", json!({"guid": "shared"}))
        .await;
    assert_eq!(
        other["guid"], "shared",
        "another show may use the same guid"
    );
}

#[tokio::test]
async fn a_show_cannot_take_the_slug_of_the_new_show_page() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let body = json!({"slug": "new", "title": "New", "author": "A"});
    let (status, err) = app
        .api(Method::POST, "/shows", Some(&user), Some(body))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["error"]["fields"]["slug"].is_string(), "{err}");
    app.post_show(&user, "fresh", json!({})).await;
    let (status, err) = app
        .api(
            Method::PATCH,
            "/shows/fresh",
            Some(&user),
            Some(json!({"slug": "new"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rename neither: {err}"
    );
    let (status, _) = get(&app, &user, "/shows/fresh").await;
    assert_eq!(status, StatusCode::OK, "still where it was");
}

//! Lists and forms in the UI: episodes paged past 200 and sorted from the URL, shows searched
//! in natural order, error summaries in form order by label, and a notice shown only once.

use reqwest::StatusCode;

use crate::kit::app::{spawn_app, TestApp};
use crate::ui::{account, Ui};

/// The episode titles of a list page, in order.
fn titles(body: &str, slug: &str) -> Vec<String> {
    let marker = format!("<a href=\"/shows/{slug}/episodes/");
    let table = &body[body.find("<tbody>").unwrap_or(body.len())..];
    table
        .split(&marker)
        .skip(1)
        .filter_map(|rest| {
            let rest = &rest[rest.find("\">")? + 2..];
            Some(rest[..rest.find("</a>")?].to_string())
        })
        .collect()
}

/// The show titles of a shows list, in order.
fn show_titles(body: &str) -> Vec<String> {
    let table = &body[body.find("<tbody>").unwrap_or(0)..];
    table
        .split("<td class=\"title\"><a href=\"/shows/")
        .skip(1)
        .filter_map(|rest| {
            let rest = &rest[rest.find("\">")? + 2..];
            Some(rest[..rest.find("</a>")?].to_string())
        })
        .collect()
}

/// `n` episodes straight into the database: `Episode 1` to `Episode n`, season 1 and episode
/// numbers from 1, one a day from 2024-01-01; the last `drafts` are drafts.
async fn seed_episodes(app: &TestApp, slug: &str, n: i32, drafts: i32) {
    sqlx::query(
        "insert into episodes (show_id, guid, title, enclosure_url, enclosure_length,
             enclosure_type, season, episode, status, publish_at)
         select s.id, 'g' || i, 'Episode ' || i, 'https://example.com/' || i || '.mp3', 10,
             'audio/mpeg', 1, i, case when i > $2 - $3 then 'draft' else 'published' end,
             timestamptz '2024-01-01' + make_interval(days => i)
         from shows s, generate_series(1, $2) i where s.slug = $1",
    )
    .bind(slug)
    .bind(n)
    .bind(drafts)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn owner(app: &TestApp, slug: &str, title: &str) -> (Ui, String) {
    let email = account(app, false).await;
    let mut ui = Ui::new(app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, slug, title).await;
    (ui, csrf)
}

#[tokio::test]
async fn every_one_of_230_episodes_is_reachable_page_by_page_with_counts() {
    let app = spawn_app().await;
    let (mut ui, _) = owner(&app, "long", "Long runner").await;
    seed_episodes(&app, "long", 230, 12).await;

    let first = ui.get("/shows/long/episodes").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("<strong>230</strong> episodes"),
        "{}",
        first.body
    );
    assert!(first.body.contains("218 published"));
    assert!(first.body.contains("0 scheduled"));
    assert!(first.body.contains("12 drafts"));
    assert!(first.body.contains("Page 1 of 5"));
    assert!(
        !first.body.contains("Showing the newest"),
        "no cap any more"
    );
    assert!(
        first.body.contains("S1 E230"),
        "season and episode numbers are shown"
    );

    let mut seen = Vec::new();
    for page in 1..=5 {
        let got = ui.get(&format!("/shows/long/episodes?page={page}")).await;
        assert_eq!(got.status, StatusCode::OK);
        let on_page = titles(&got.body, "long");
        assert_eq!(on_page.len(), if page < 5 { 50 } else { 30 }, "page {page}");
        seen.extend(on_page);
    }
    let expected: Vec<String> = (1..=230).rev().map(|i| format!("Episode {i}")).collect();
    assert_eq!(seen, expected, "newest first, each episode exactly once");

    let last = ui.get("/shows/long/episodes?page=5").await;
    assert!(last.body.contains("rel=\"prev\""), "{}", last.body);
    assert!(last.body.contains("href=\"/shows/long/episodes?page=4\""));
    assert!(!last.body.contains("rel=\"next\""));
    let beyond = ui.get("/shows/long/episodes?page=99").await;
    assert!(
        beyond.body.contains("Page 5 of 5"),
        "a page past the end shows the last"
    );
    for bad in ["page=0", "page=x", "sort=length", "dir=up", "state=gone"] {
        let got = ui.get(&format!("/shows/long/episodes?{bad}")).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn episodes_sort_by_number_title_or_date_as_the_url_says() {
    let app = spawn_app().await;
    let (mut ui, _) = owner(&app, "sorts", "Sorts").await;
    seed_episodes(&app, "sorts", 12, 0).await;
    // Out of date order: renumber so that numbers and dates disagree.
    sqlx::query("update episodes set episode = 13 - episode where guid <> 'g12'")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("update episodes set title = 'bonus: ask me anything', season = null, episode = null where guid = 'g12'")
        .execute(&app.pool)
        .await
        .unwrap();

    let by_title = ui.get("/shows/sorts/episodes?sort=title").await;
    let got = titles(&by_title.body, "sorts");
    let mut expected = vec!["bonus: ask me anything".to_string()];
    expected.extend((1..=11).map(|i| format!("Episode {i}")));
    assert_eq!(
        got, expected,
        "natural, case-insensitive: Episode 2 before Episode 10"
    );
    assert!(
        by_title.body.contains("aria-sort=\"ascending\""),
        "{}",
        by_title.body
    );
    assert!(
        by_title
            .body
            .contains("href=\"/shows/sorts/episodes?sort=title&#38;dir=desc\""),
        "the sorted column's link reverses it"
    );

    let desc = ui.get("/shows/sorts/episodes?sort=title&dir=desc").await;
    let mut reversed = expected.clone();
    reversed.reverse();
    assert_eq!(titles(&desc.body, "sorts"), reversed);
    assert!(desc.body.contains("aria-sort=\"descending\""));

    let by_number = ui.get("/shows/sorts/episodes?sort=number").await;
    let got = titles(&by_number.body, "sorts");
    let mut expected: Vec<String> = (1..=11).rev().map(|i| format!("Episode {i}")).collect();
    expected.push("bonus: ask me anything".into());
    assert_eq!(
        got, expected,
        "S1 E1 first (Episode 11 was renumbered 2), unnumbered last"
    );

    let by_date = ui
        .get("/shows/sorts/episodes?sort=date&dir=asc&q=episode")
        .await;
    let got = titles(&by_date.body, "sorts");
    let expected: Vec<String> = (1..=11).map(|i| format!("Episode {i}")).collect();
    assert_eq!(got, expected, "oldest first, and the search still applies");
    assert!(by_date.body.contains("11 of 12 match"));
}

#[tokio::test]
async fn shows_are_searched_by_title_or_slug_in_natural_order_and_paged() {
    let app = spawn_app().await;
    let admin = account(&app, true).await;
    let (mut ui, csrf) = owner(&app, "show-10", "Show 10").await;
    for (slug, title) in [
        ("show-2", "show 2"),
        ("zebra", "Zebra talk"),
        ("show-1", "Show 1"),
    ] {
        ui.create_show(&csrf, slug, title).await;
    }
    let mine = ui.get("/shows").await;
    assert_eq!(
        show_titles(&mine.body),
        ["Show 1", "show 2", "Show 10", "Zebra talk"],
        "{}",
        mine.body
    );
    let found = ui.get("/shows?q=ZEB").await;
    assert_eq!(show_titles(&found.body), ["Zebra talk"]);
    assert!(found.body.contains("1 show match"));
    let by_slug = ui.get("/shows?q=show-1").await;
    assert_eq!(show_titles(&by_slug.body), ["Show 1", "Show 10"]);
    assert!(ui
        .get("/shows?q=nothing")
        .await
        .body
        .contains("No shows match."));

    // The admin sees everyone's shows, 50 a page.
    sqlx::query(
        "insert into shows (slug, title, podcast_guid)
         select 'bulk-' || i, 'Bulk ' || i, gen_random_uuid() from generate_series(1, 60) i",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let mut admin_ui = Ui::new(&app);
    admin_ui.sign_in(&admin).await;
    let first = admin_ui.get("/admin/shows").await;
    assert!(first.body.contains("64 shows"), "{}", first.body);
    assert!(first.body.contains("Page 1 of 2"));
    let titles = show_titles(&first.body);
    assert_eq!(titles.len(), 50);
    assert_eq!(titles[..3], ["Bulk 1", "Bulk 2", "Bulk 3"]);
    let second = admin_ui.get("/admin/shows?page=2").await;
    let titles = show_titles(&second.body);
    assert_eq!(titles.len(), 14);
    assert_eq!(titles.last().unwrap(), "Zebra talk");
    let bulk = admin_ui.get("/admin/shows?q=bulk&page=2").await;
    assert_eq!(show_titles(&bulk.body).len(), 10);
    assert!(
        bulk.body.contains("href=\"/admin/shows?q=bulk\""),
        "paging keeps the search"
    );
}

#[tokio::test]
async fn a_form_lists_every_error_at_once_in_form_order_by_label() {
    let app = spawn_app().await;
    let (mut ui, csrf) = owner(&app, "errs", "Errors").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("title", ""),
        ("enclosure_url", "not a url"),
        ("enclosure_length", "10"),
        ("enclosure_type", "audio/mpeg"),
        ("season", "two"),
        ("episode", "-3"),
        ("episode_type", "full"),
        ("transcript_url", "ftp://nope"),
        ("action", "draft"),
    ];
    let page = ui.post("/shows/errs/episodes/new", &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let start = page
        .body
        .find("<ul data-error-summary>")
        .expect("a summary");
    let list = &page.body[start..start + page.body[start..].find("</ul>").unwrap()];
    let labels: Vec<&str> = list
        .split("\">")
        .skip(1)
        .map(|rest| &rest[..rest.find("</a>").unwrap()])
        .collect();
    assert_eq!(
        labels,
        [
            "Title",
            "Media URL",
            "Season",
            "Episode number",
            "Transcript URL"
        ],
        "{list}"
    );
    for internal in [">enclosure_url<", ">title<", ">transcript_url<", ">season<"] {
        assert!(!list.contains(internal), "{internal} in {list}");
    }
    assert!(
        list.contains("href=\"#f-enclosure_url\""),
        "each links to its field"
    );
    assert!(
        page.body.contains("id=\"e-season\""),
        "the field's own message too"
    );
    let stored: i64 = sqlx::query_scalar("select count(*) from episodes")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn a_notice_shows_once_after_a_save_and_never_in_the_url() {
    let app = spawn_app().await;
    let (mut ui, csrf) = owner(&app, "noted", "Noted").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("title", "First"),
        ("enclosure_url", "https://example.com/a.mp3"),
        ("enclosure_length", "10"),
        ("enclosure_type", "audio/mpeg"),
        ("episode_type", "full"),
        ("action", "draft"),
    ];
    let saved = ui.post("/shows/noted/episodes/new", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location.as_deref(), Some("/shows/noted/episodes"));
    let cookie = saved
        .set_cookies
        .iter()
        .find(|c| c.starts_with("podpub_notice="))
        .expect("the notice rides in a cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let shown = ui.get("/shows/noted/episodes").await;
    assert!(shown.body.contains("class=\"notice\""), "{}", shown.body);
    assert!(shown.body.contains("Draft saved."));
    let again = ui.get("/shows/noted/episodes").await;
    assert!(
        !again.body.contains("class=\"notice\""),
        "a reload shows it no more"
    );

    // A notice in the URL or a cookie the server did not sign shows nothing.
    let old_link = ui.get("/shows/noted/episodes?notice=saved").await;
    assert!(!old_link.body.contains("class=\"notice\""));
    ui.cookies.push(("podpub_notice".into(), "saved".into()));
    let forged = ui.get("/shows/noted/episodes").await;
    assert!(!forged.body.contains("class=\"notice\""));
}

#[tokio::test]
async fn time_zones_are_grouped_by_region() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let page = ui.get("/account").await;
    let europe = page
        .body
        .find("<optgroup label=\"Europe\">")
        .expect("a Europe group");
    let america = page
        .body
        .find("<optgroup label=\"America\">")
        .expect("an America group");
    assert!(page.body.find("<optgroup label=\"Africa\">").unwrap() < america);
    assert!(america < europe);
    let berlin = page.body.find("<option value=\"Europe/Berlin\"").unwrap();
    assert!(berlin > europe, "Berlin is under Europe");
    assert!(page
        .body
        .contains("<option value=\"America/New_York\">New York</option>"));
}

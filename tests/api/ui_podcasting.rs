//! The Podcasting 2.0 page: the details that were API-only, with repeatable rows.

use reqwest::StatusCode;

use crate::kit::app::spawn_app;
use crate::ui::{account, owner_and_editor, Ui};

async fn extras(app: &crate::kit::app::TestApp) -> serde_json::Value {
    let (extras,): (serde_json::Value,) =
        sqlx::query_as("select to_jsonb(extras) from shows where slug = 'p20'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    extras
}

#[tokio::test]
async fn the_podcasting_page_sets_people_place_license_texts_trailers_images_and_the_podroll() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "p20", "P20").await;
    let page = ui.get("/shows/p20/podcasting").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("name=\"persons_0_name\""),
        "one blank row"
    );
    assert!(!page.body.contains("name=\"persons_1_name\""));

    let form = [
        ("csrf", csrf.as_str()),
        ("action", "save"),
        ("medium", "music"),
        ("podping", "on"),
        ("item_limit", "100"),
        ("locations_0_name", "Austin, TX"),
        ("locations_0_geo", "geo:30.2672,-97.7431"),
        ("license_name", "cc-by-4.0"),
        ("persons_0_name", "Ada Host"),
        ("persons_0_role", "host"),
        ("persons_1_name", ""),
        ("persons_2_name", "Grace Guest"),
        ("persons_2_role", "guest"),
        ("txt_0_purpose", "verify"),
        ("txt_0_value", "S6lpp-7ZCn8-dZfGc-OoyaG"),
        ("trailers_0_title", "Coming soon"),
        ("trailers_0_url", "https://example.com/trailer.mp3"),
        ("trailers_0_pubdate", "2026-01-02T03:04:05"),
        ("trailers_0_length", "12345"),
        ("trailers_0_type", "audio/mpeg"),
        (
            "podroll_0_feed_guid",
            "917393e3-1b1e-5cef-ace4-edaa54e1f810",
        ),
    ];
    let saved = ui.post("/shows/p20/podcasting", &form).await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/shows/p20/podcasting"),
        "{}",
        saved.body
    );
    let x = extras(&app).await;
    assert_eq!(x["medium"], "music");
    assert_eq!(x["podping"], true);
    assert_eq!(x["item_limit"], 100);
    assert_eq!(x["location"]["geo"], "geo:30.2672,-97.7431");
    assert_eq!(x["license"]["name"], "cc-by-4.0");
    let names: Vec<&str> = x["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Ada Host", "Grace Guest"],
        "the empty row is skipped"
    );
    assert_eq!(x["trailers"][0]["pubdate"], "2026-01-02T03:04:05Z");
    assert_eq!(
        x["podroll"][0]["feed_guid"],
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    );

    // Shown again as stored, with one blank row per group; "Add a row" adds another.
    let page = ui.get("/shows/p20/podcasting").await;
    assert!(page.body.contains("value=\"Grace Guest\""));
    assert!(page.body.contains("name=\"persons_2_name\""));
    let mut more = form.to_vec();
    more[1] = ("action", "add_persons");
    let page = ui.post("/shows/p20/podcasting", &more).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("name=\"persons_4_name\""),
        "two blank rows"
    );

    // A bad value is refused beside its group, and nothing stored changes.
    let mut bad = form.to_vec();
    bad[6] = ("locations_0_geo", "geo:999,1e308");
    bad.push(("persons_3_role", "guest"));
    let page = ui.post("/shows/p20/podcasting", &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"e-locations\""), "{}", page.body);
    assert!(
        page.body.contains("value=\"geo:999,1e308\""),
        "what was typed stays"
    );
    assert_eq!(extras(&app).await, x);

    // Emptying a row removes it.
    let mut fewer = form.to_vec();
    fewer.retain(|(k, _)| !k.starts_with("persons_0"));
    let saved = ui.post("/shows/p20/podcasting", &fewer).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(extras(&app).await["persons"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_episodes_podcasting_page_sets_soundbites_links_transcripts_and_the_rest() {
    let app = spawn_app().await;
    let (mut ui, csrf, user) = owner_and_editor(&app, "p20", "P20").await;
    let e = app
        .post_episode(
            &user,
            "p20",
            serde_json::json!({"season": 2, "duration_seconds": 600}),
        )
        .await;
    let id = e["id"].as_str().unwrap();
    let path = format!("/shows/p20/episodes/{id}/podcasting");
    let edit = ui.get(&format!("/shows/p20/episodes/{id}")).await;
    assert!(edit.body.contains(&path), "the episode form links to it");
    let page = ui.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"soundbites_0_start_time\""));

    let form = [
        ("csrf", csrf.as_str()),
        ("action", "save"),
        ("season_name", "The Return"),
        ("episode_display", "Bonus"),
        ("itunes_block", "on"),
        ("persons_0_name", "Grace Guest"),
        ("persons_0_role", "guest"),
        ("soundbites_0_start_time", "73.5"),
        ("soundbites_0_duration", "60"),
        ("soundbites_0_title", "The best bit"),
        ("content_links_0_href", "https://youtube.com/watch?v=x"),
        ("content_links_0_text", "Watch on YouTube"),
        ("transcripts_0_url", "https://example.com/e.vtt"),
        ("transcripts_0_type", "text/vtt"),
        ("transcripts_0_language", "es"),
        ("transcripts_0_rel", "captions"),
        ("funding_0_url", "https://example.com/tip"),
        ("funding_0_label", "Tip jar"),
        ("episode_number", "1.5"),
    ];
    let saved = ui.post(&path, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (x,): (serde_json::Value,) =
        sqlx::query_as("select to_jsonb(extras) from episodes where id = $1::uuid")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(x["season_name"], "The Return");
    assert_eq!(x["episode_display"], "Bonus");
    assert_eq!(x["itunes_block"], true);
    assert_eq!(x["persons"][0]["name"], "Grace Guest");
    assert_eq!(x["soundbites"][0]["start_time"], 73.5);
    assert_eq!(x["content_links"][0]["text"], "Watch on YouTube");
    assert_eq!(x["transcripts"][0]["rel"], "captions");
    assert_eq!(x["funding"][0]["label"], "Tip jar");
    assert_eq!(x["episode_number"], 1.5);
    let page = ui.get(&path).await;
    assert!(page.body.contains("value=\"1.5\""), "{}", page.body);
    assert!(
        page.body.contains("value=\"The best bit\""),
        "shown again as stored"
    );

    // A soundbite that is not a number is refused beside its group; nothing changes.
    let mut bad = form.to_vec();
    bad[7] = ("soundbites_0_start_time", "soon");
    let page = ui.post(&path, &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"e-soundbites\""), "{}", page.body);
    assert!(page.body.contains("value=\"soon\""));
    let mut bad = form.to_vec();
    *bad.last_mut().unwrap() = ("episode_number", "one and a half");
    let page = ui.post(&path, &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("id=\"e-episode_number\""),
        "{}",
        page.body
    );
}

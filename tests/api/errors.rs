//! Every error the API answers: the right status, a JSON body, and never a 500 for bad input.

use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::kit::app::{merge, spawn_app, TestApp, TestUser};

/// Sends a request with exactly the given headers; returns status, headers and the body as JSON.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, header::HeaderMap, Value) {
    let mut req = app
        .client
        .request(method, format!("{}/api/v1{path}", app.address));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.expect("request sent");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{path}: {status}: body is not JSON: {text:?}"));
    (status, headers, body)
}

/// Asserts `body` is the API's error format with `code`.
fn assert_error(body: &Value, code: &str, case: &str) {
    assert_eq!(body["error"]["code"], code, "{case}: {body}");
    assert!(
        body["error"]["message"].is_string(),
        "{case}: a message: {body}"
    );
}

fn is_error_body(body: &Value) -> bool {
    body["error"]["code"].is_string() && body["error"]["message"].is_string()
}

async fn show_slugs(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let (status, list) = app.api(Method::GET, "/shows", Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

async fn episode_count(app: &TestApp, user: &TestUser, slug: &str) -> usize {
    let path = format!("/shows/{slug}/episodes");
    let (status, list) = app.api(Method::GET, &path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().len()
}

/// A valid show body with `extra` merged in.
fn show(extra: Value) -> Value {
    let mut body = json!({
        "slug": "valid-slug",
        "title": "A Title",
        "description": "<p>About</p>",
        "author": "Host",
        "owner_email": "host@example.com",
        "language": "en-us",
    });
    merge(&mut body, extra);
    body
}

/// A valid episode body with `extra` merged in.
fn episode(extra: Value) -> Value {
    let mut body = json!({
        "title": "An Episode",
        "description": "<p>Notes</p>",
        "enclosure": {"url": "https://example.com/ep.mp3", "length": 1234, "type": "audio/mpeg"},
    });
    merge(&mut body, extra);
    body
}

fn without(mut body: Value, key: &str) -> Value {
    body.as_object_mut().unwrap().remove(key);
    body
}

fn enclosure(url: &str, length: Value, mime: &str) -> Value {
    json!({"enclosure": {"url": url, "length": length, "type": mime}})
}

/// What a 4xx must say about the input.
#[derive(Debug, Clone, Copy)]
enum Names {
    /// `error.fields` has this key.
    Field(&'static str),
    /// No `fields`, but the message mentions this.
    Message(&'static str),
}

fn assert_names(body: &Value, names: Names, case: &str) {
    match names {
        Names::Field(field) => assert!(
            body["error"]["fields"][field].is_string(),
            "{case}: error.fields names {field}: {body}"
        ),
        Names::Message(word) => assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(word)),
            "{case}: the message mentions {word}: {body}"
        ),
    }
}

#[tokio::test]
async fn calls_without_a_valid_bearer_token_get_401() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let bearer = format!("Bearer {}", user.token);
    let basic = "Basic dXNlcjpwYXNz";

    for (case, auth) in [
        ("no Authorization header", None),
        ("an unknown token", Some("Bearer not-a-real-token")),
        ("an empty bearer token", Some("Bearer ")),
        ("the Basic scheme", Some(basic)),
        ("a token without a scheme", Some(user.token.as_str())),
        (
            "the right token under Basic",
            Some(&*bearer.replace("Bearer", "Basic")),
        ),
    ] {
        for (method, path) in [
            (Method::GET, "/shows"),
            (Method::POST, "/shows"),
            (Method::GET, "/shows/anything"),
        ] {
            let case = format!("{case}, {method} {path}");
            let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("authorization", *a)).collect();
            let (status, headers, body) = send(&app, method, path, &headers).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}: {body}");
            assert_error(&body, "unauthorized", &case);
            assert_eq!(
                headers
                    .get(header::WWW_AUTHENTICATE)
                    .map(|v| v.to_str().unwrap()),
                Some("Bearer"),
                "{case}: WWW-Authenticate"
            );
        }
    }

    let (status, _, body) = send(
        &app,
        Method::GET,
        "/shows",
        &[("authorization", bearer.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the real token works: {body}");
}

#[tokio::test]
async fn unknown_things_answer_404_with_a_json_body() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "known", json!({})).await;
    let unknown = Uuid::new_v4();

    for path in [
        "/shows/unknown".to_string(),
        "/shows/unknown/episodes".to_string(),
        format!("/shows/unknown/episodes/{unknown}"),
        "/shows/unknown/feed".to_string(),
        format!("/shows/known/episodes/{unknown}"),
        "/shows/known/episodes/not-a-uuid".to_string(),
        "/shows/known/episodes/123".to_string(),
        format!("/jobs/{unknown}"),
        "/jobs/not-a-uuid".to_string(),
        "/no-such-route".to_string(),
        "/shows/known/no-such-thing".to_string(),
        "/shows/known/episodes/x/y".to_string(),
    ] {
        let (status, body) = app.api(Method::GET, &path, Some(&user), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "GET {path}: {body}");
        assert_error(&body, "not_found", &path);
    }

    for (method, path) in [
        (Method::PATCH, format!("/shows/known/episodes/{unknown}")),
        (Method::DELETE, format!("/shows/known/episodes/{unknown}")),
        (
            Method::DELETE,
            "/shows/known/episodes/not-a-uuid".to_string(),
        ),
        (Method::DELETE, "/shows/unknown".to_string()),
        (Method::PATCH, "/shows/unknown".to_string()),
        (Method::POST, "/shows/unknown/refresh".to_string()),
    ] {
        let (status, body) = app
            .api(method.clone(), &path, Some(&user), Some(json!({})))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_error(&body, "not_found", &path);
    }
}

#[tokio::test]
async fn a_taken_slug_answers_409() {
    let app = spawn_app().await;
    let alice = app.create_user(false).await;
    let bob = app.create_user(false).await;
    app.post_show(&alice, "taken", json!({})).await;

    for (case, user) in [("the same owner", &alice), ("another user", &bob)] {
        let (status, body) = app
            .api(
                Method::POST,
                "/shows",
                Some(user),
                Some(show(json!({"slug": "taken"}))),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{case}: {body}");
        assert_error(&body, "slug_taken", case);
    }
    assert_eq!(show_slugs(&app, &bob).await, Vec::<Value>::new());
    assert_eq!(show_slugs(&app, &alice).await.len(), 1);
}

#[tokio::test]
async fn an_oversized_body_answers_413_and_the_server_stays_up() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let big = format!(
        r#"{{"slug":"big","title":"{}"}}"#,
        "a".repeat(10 * 1024 * 1024)
    );

    let (status, body) = app
        .api_raw(Method::POST, "/shows", &user, "application/json", big)
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_error(&body, "payload_too_large", "10 MB body");

    let (status, body) = app.api(Method::GET, "/shows", Some(&user), None).await;
    assert_eq!(status, StatusCode::OK, "the server still answers: {body}");
    assert_eq!(body["items"], json!([]), "nothing was stored");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "ctype", json!({})).await;
    let valid_show = show(json!({})).to_string();
    let valid_episode = episode(json!({})).to_string();

    for (case, path, content_type, body, expected, code) in [
        (
            "truncated JSON",
            "/shows",
            "application/json",
            r#"{"slug":"#.to_string(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "trailing garbage",
            "/shows",
            "application/json",
            format!("{valid_show} x"),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "an empty body",
            "/shows",
            "application/json",
            String::new(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "single quotes",
            "/shows/ctype/episodes",
            "application/json",
            "{'title':'x'}".to_string(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "text/plain",
            "/shows",
            "text/plain",
            valid_show.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "a form",
            "/shows",
            "application/x-www-form-urlencoded",
            "slug=form&title=Form".to_string(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "an empty content type",
            "/shows",
            "",
            valid_show.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "text/plain episode",
            "/shows/ctype/episodes",
            "text/plain",
            valid_episode.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ] {
        let (status, resp) = app
            .api_raw(Method::POST, path, &user, content_type, body)
            .await;
        assert_eq!(status, expected, "{case}: {resp}");
        assert_error(&resp, code, case);
    }

    // Without any Content-Type header at all.
    let resp = app
        .client
        .post(format!("{}/api/v1/shows", app.address))
        .bearer_auth(&user.token)
        .body(valid_show)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let resp: Value = resp.json().await.expect("a JSON error body");
    assert_error(&resp, "unsupported_media_type", "no Content-Type");

    assert_eq!(show_slugs(&app, &user).await.len(), 1, "no show was added");
    assert_eq!(episode_count(&app, &user, "ctype").await, 0, "no episode");

    let (status, _) = app
        .api_raw(
            Method::POST,
            "/shows",
            &user,
            "application/json; charset=utf-8",
            show(json!({"slug": "with-charset"})).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "a charset parameter is fine");
}

/// Show bodies that must be refused with a 422, and what the error must name.
#[rustfmt::skip]
fn invalid_shows() -> Vec<(&'static str, Value, Names)> {
    use Names::{Field, Message};
    let js = "javascript:alert(1)";
    vec![
        ("missing slug", without(show(json!({})), "slug"), Field("slug")),
        ("missing title", without(show(json!({})), "title"), Field("title")),
        ("null title", show(json!({"title": null})), Field("title")),
        ("slug with a space", show(json!({"slug": "My Show"})), Field("slug")),
        ("uppercase slug", show(json!({"slug": "MyShow"})), Field("slug")),
        ("slug with a slash", show(json!({"slug": "a/b"})), Field("slug")),
        ("65-char slug", show(json!({"slug": "a".repeat(65)})), Field("slug")),
        ("empty slug", show(json!({"slug": ""})), Field("slug")),
        ("slug starting with -", show(json!({"slug": "-a"})), Field("slug")),
        ("emoji slug", show(json!({"slug": "🎙"})), Field("slug")),
        ("blank title", show(json!({"title": "   "})), Field("title")),
        ("1001-char title", show(json!({"title": "t".repeat(1001)})), Field("title")),
        ("javascript: image_url", show(json!({"image_url": js})), Field("image_url")),
        ("javascript: link", show(json!({"link": js})), Field("link")),
        ("relative image_url", show(json!({"image_url": "/art.jpg"})), Field("image_url")),
        ("ftp link", show(json!({"link": "ftp://example.com/"})), Field("link")),
        ("link with a password", show(json!({"link": "https://u:p@example.com/"})), Field("link")),
        ("javascript: funding", show(json!({"funding": [{"url": js, "label": "Tip"}]})), Field("funding")),
        ("relative funding", show(json!({"funding": [{"url": "tip", "label": "Tip"}]})), Field("funding")),
        ("control char in title", show(json!({"title": "a\u{1}b"})), Field("title")),
        ("control char in description", show(json!({"description": "a\u{1}b"})), Field("description")),
        ("control char in author", show(json!({"author": "a\u{1}b"})), Field("author")),
        ("newline in title", show(json!({"title": "a\nb"})), Field("title")),
        ("NUL in copyright", show(json!({"copyright": "a\u{0}b"})), Field("copyright")),
        ("U+FFFF in owner_name", show(json!({"owner_name": "a\u{FFFF}b"})), Field("owner_name")),
        ("type weekly", show(json!({"type": "weekly"})), Field("type")),
        ("language english", show(json!({"language": "english"})), Field("language")),
        ("language en_US", show(json!({"language": "en_US"})), Field("language")),
        ("language empty", show(json!({"language": ""})), Field("language")),
        ("owner_email without @", show(json!({"owner_email": "nobody"})), Field("owner_email")),
        ("owner_email with a space", show(json!({"owner_email": "a b@x.com"})), Field("owner_email")),
        ("owner_email with two @", show(json!({"owner_email": "a@b@x.com"})), Field("owner_email")),
        ("empty category name", show(json!({"categories": [{"name": ""}]})), Field("categories")),
        ("11 categories", show(json!({"categories": vec![json!({"name": "Arts"}); 11]})), Field("categories")),
        ("a bad slug does not hide a bad type", show(json!({"slug": "A B", "type": "x"})), Field("type")),
        ("unknown field", show(json!({"colour": "red"})), Message("colour")),
        ("read-only field", show(json!({"podcast_guid": Uuid::new_v4()})), Message("podcast_guid")),
        ("explicit as a string", show(json!({"explicit": "yes"})), Message("explicit")),
        ("title as a number", show(json!({"title": 42})), Message("title")),
        ("categories as an object", show(json!({"categories": {"name": "x"}})), Message("categories")),
        ("category with an unknown key", show(json!({"categories": [{"title": "x"}]})), Message("categories")),
        ("funding label null", show(json!({"funding": [{"url": "https://x.example/", "label": null}]})), Message("funding")),
    ]
}

/// Episode bodies that must be refused with a 422, and what the error must name.
#[rustfmt::skip]
fn invalid_episodes() -> Vec<(&'static str, Value, Names)> {
    use Names::{Field, Message};
    let js = "javascript:alert(1)";
    let mp3 = "https://example.com/ep.mp3";
    vec![
        ("missing title", without(episode(json!({})), "title"), Field("title")),
        ("missing enclosure", without(episode(json!({})), "enclosure"), Field("enclosure")),
        ("blank title", episode(json!({"title": " "})), Field("title")),
        ("empty guid", episode(json!({"guid": ""})), Field("guid")),
        ("javascript: enclosure url", episode(enclosure(js, json!(1), "audio/mpeg")), Field("enclosure.url")),
        ("relative enclosure url", episode(enclosure("/ep.mp3", json!(1), "audio/mpeg")), Field("enclosure.url")),
        ("enclosure url with a space", episode(enclosure("https://x.example/a b", json!(1), "a/b")), Field("enclosure.url")),
        ("negative enclosure length", episode(enclosure(mp3, json!(-1), "audio/mpeg")), Field("enclosure.length")),
        ("enclosure type mp3", episode(enclosure(mp3, json!(1), "mp3")), Field("enclosure.type")),
        ("empty enclosure type", episode(enclosure(mp3, json!(1), "")), Field("enclosure.type")),
        ("javascript: image_url", episode(json!({"image_url": js})), Field("image_url")),
        ("javascript: transcript_url", episode(json!({"transcript_url": js})), Field("transcript_url")),
        ("relative chapters_url", episode(json!({"chapters_url": "chapters.json"})), Field("chapters_url")),
        ("control char in title", episode(json!({"title": "a\u{1}b"})), Field("title")),
        ("control char in description", episode(json!({"description": "a\u{1}b"})), Field("description")),
        ("NUL in guid", episode(json!({"guid": "a\u{0}b"})), Field("guid")),
        ("negative duration", episode(json!({"duration_seconds": -1})), Field("duration_seconds")),
        ("negative season", episode(json!({"season": -1})), Field("season")),
        ("negative episode number", episode(json!({"episode": -5})), Field("episode")),
        ("season beyond i32", episode(json!({"season": 3_000_000_000_i64})), Field("season")),
        ("duration of a year", episode(json!({"duration_seconds": 365 * 24 * 3600})), Field("duration_seconds")),
        ("episode_type movie", episode(json!({"episode_type": "movie"})), Field("episode_type")),
        ("status live", episode(json!({"status": "live"})), Field("status")),
        ("status scheduled", episode(json!({"status": "scheduled"})), Field("status")),
        ("unknown field", episode(json!({"colour": "red"})), Message("colour")),
        ("read-only state", episode(json!({"state": "published"})), Message("state")),
        ("explicit as a string", episode(json!({"explicit": "yes"})), Message("explicit")),
        ("enclosure length as a word", episode(enclosure(mp3, json!("big"), "a/b")), Message("length")),
        ("enclosure length as a float", episode(enclosure(mp3, json!(1.5), "a/b")), Message("length")),
        ("enclosure missing its type", episode(json!({"enclosure": {"url": mp3, "length": 1}})), Message("type")),
        ("enclosure as a string", episode(json!({"enclosure": mp3})), Message("enclosure")),
        ("publish_at tomorrow", episode(json!({"publish_at": "tomorrow"})), Message("publish_at")),
        ("publish_at without a zone", episode(json!({"publish_at": "2024-01-01T00:00:00"})), Message("publish_at")),
        ("publish_at as a number", episode(json!({"publish_at": 1_700_000_000})), Message("publish_at")),
        ("season as a string", episode(json!({"season": "one"})), Message("season")),
    ]
}

/// The code a 422 carries: `invalid` with `fields` after validation, `unprocessable` when the
/// body does not even deserialize.
fn code_for(names: Names) -> &'static str {
    match names {
        Names::Field(_) => "invalid",
        Names::Message(_) => "unprocessable",
    }
}

#[tokio::test]
async fn invalid_show_fields_answer_422_naming_the_field() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;

    for (case, body, names) in invalid_shows() {
        let (status, resp) = app
            .api(Method::POST, "/shows", Some(&user), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {resp}");
        assert_error(&resp, code_for(names), case);
        assert_names(&resp, names, case);
        let stored = show_slugs(&app, &user).await;
        assert!(stored.is_empty(), "{case}: nothing stored: {stored:?}");
    }

    let (status, resp) = app
        .api(Method::POST, "/shows", Some(&user), Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    assert_names(&resp, Names::Field("slug"), "empty object");
    assert_names(&resp, Names::Field("title"), "empty object");
}

#[tokio::test]
async fn invalid_episode_fields_answer_422_naming_the_field() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "eps", json!({})).await;

    for (case, body, names) in invalid_episodes() {
        let (status, resp) = app
            .api(Method::POST, "/shows/eps/episodes", Some(&user), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {resp}");
        assert_error(&resp, code_for(names), case);
        assert_names(&resp, names, case);
        let stored = episode_count(&app, &user, "eps").await;
        assert_eq!(stored, 0, "{case}: nothing stored");
    }
}

/// Bodies no client should send; each goes to every write endpoint.
#[rustfmt::skip]
fn hostile_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let enc = r#""enclosure":{"url":"https://x.example/a","length":1,"type":"a/b"}"#;
    let long = "x".repeat(100_000);
    let long_url = format!("https://x.example/{}", "a".repeat(3000));
    let many_keys: String = (0..10_000).map(|i| format!(r#""k{i}":1,"#)).collect();
    let cases: Vec<(&str, String)> = vec![
        ("null", "null".into()),
        ("an empty array", "[]".into()),
        ("an array holding a show", format!("[{}]", show(json!({"slug": "arr"})))),
        ("a string", r#""slug""#.into()),
        ("a number", "123".into()),
        ("true", "true".into()),
        ("whitespace", "   \n ".into()),
        ("10k nested arrays", format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))),
        ("5k nested objects", format!(r#"{}1{}"#, r#"{"a":"#.repeat(5_000), "}".repeat(5_000))),
        ("1e400 season", format!(r#"{{"slug":"n","title":"t","season":1e400,{enc}}}"#)),
        ("1e400 slug", r#"{"slug":1e400,"title":"t"}"#.into()),
        ("-1e400 length", r#"{"title":"t","enclosure":{"url":"https://x.example/a","length":-1e400,"type":"a/b"}}"#.into()),
        ("u64 overflow", r#"{"title":"t","duration_seconds":99999999999999999999999,"enclosure":{"url":"https://x.example/a","length":18446744073709551616,"type":"a/b"}}"#.into()),
        ("i64::MIN", r#"{"title":"t","season":-9223372036854775808,"enclosure":{"url":"https://x.example/a","length":-9223372036854775808,"type":"a/b"}}"#.into()),
        ("emoji slug", r#"{"slug":"🎙️🔥","title":"🎙️"}"#.into()),
        ("100k-char title", format!(r#"{{"slug":"long","title":"{long}",{enc}}}"#)),
        ("100k-char description", format!(r#"{{"slug":"longdesc","title":"t","description":"{long}",{enc}}}"#)),
        ("NUL everywhere", r#"{"slug":"a\u0000","title":"\u0000","description":"\u0000","guid":"\u0000","language":"en\u0000","type":"\u0000","enclosure":{"url":"https://x.example/\u0000","length":1,"type":"audio/\u0000"}}"#.into()),
        ("NUL in a key", r#"{"sl\u0000ug":"a","title":"t"}"#.into()),
        ("lone surrogate", format!(r#"{{"slug":"s","title":"\ud800",{enc}}}"#)),
        ("duplicate keys", format!(r#"{{"slug":"dup","slug":"dup2","title":"t","title":"u",{enc}}}"#)),
        ("arrays for strings", r#"{"slug":["a"],"title":["t"],"enclosure":[]}"#.into()),
        ("objects for strings", r#"{"slug":{"a":1},"title":{},"guid":{}}"#.into()),
        ("categories of nulls", r#"{"slug":"cats","title":"t","categories":[null,null]}"#.into()),
        ("ten thousand keys", format!(r#"{{{many_keys}"title":"t"}}"#)),
        ("3000-char URLs", format!(r#"{{"slug":"url","title":"t","image_url":"{long_url}","enclosure":{{"url":"{long_url}","length":1,"type":"a/b"}}}}"#)),
        ("broken IPv6 and port", r#"{"slug":"ip","title":"t","link":"http://[::1:99999/","enclosure":{"url":"http://x:99999/a","length":1,"type":"a/b"}}"#.into()),
        ("year 275000", format!(r#"{{"title":"t","publish_at":"+275000-01-01T00:00:00Z",{enc}}}"#)),
        ("year 0", format!(r#"{{"title":"t","publish_at":"0000-01-01T00:00:00Z",{enc}}}"#)),
        ("offset +25:00", format!(r#"{{"title":"t","publish_at":"2024-01-01T00:00:00+25:00",{enc}}}"#)),
        ("bidi and zero-width", format!("{{\"slug\":\"bidi\",\"title\":\"\u{202E}evil\u{200B}\",\"author\":\"\u{FEFF}\",{enc}}}")),
    ];
    let mut bodies: Vec<(&str, Vec<u8>)> = cases.into_iter().map(|(c, b)| (c, b.into_bytes())).collect();
    bodies.push(("invalid UTF-8", b"{\"slug\":\"\xff\xfe\",\"title\":\"t\"}".to_vec()));
    bodies.push(("a byte-order mark", b"\xef\xbb\xbf{\"slug\":\"bom\",\"title\":\"t\"}".to_vec()));
    bodies
}

#[tokio::test]
async fn hostile_bodies_never_cause_a_server_error() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "target", json!({})).await;
    let ep = app.post_episode(&user, "target", json!({})).await;
    let ep_path = format!("/shows/target/episodes/{}", ep["id"].as_str().unwrap());
    let targets = [
        (Method::POST, "/shows"),
        (Method::POST, "/shows/target/episodes"),
        (Method::PATCH, "/shows/target"),
        (Method::PATCH, ep_path.as_str()),
    ];

    let mut failures = Vec::new();
    for (case, body) in hostile_bodies() {
        for (method, path) in &targets {
            let json = "application/json";
            let (status, resp) = app
                .api_raw(method.clone(), path, &user, json, body.clone())
                .await;
            if status.is_server_error() || status.is_client_error() && !is_error_body(&resp) {
                failures.push(format!("{case}: {method} {path} answered {status}: {resp}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    let (status, show) = app
        .api(Method::GET, "/shows/target", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "the server is still up: {show}");
}

#[tokio::test]
async fn hostile_paths_and_queries_never_cause_a_server_error() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "target", json!({})).await;
    let ep = app.post_episode(&user, "target", json!({})).await;
    let id = ep["id"].as_str().unwrap();
    let episodes = "/shows/target/episodes";

    let mut failures = Vec::new();
    for (method, path) in [
        (Method::GET, format!("/shows/{}", "x".repeat(5_000))),
        (Method::GET, format!("{episodes}/%00")),
        (Method::GET, format!("{episodes}/{id}%00")),
        (Method::GET, "/jobs/%00".to_string()),
        (Method::GET, format!("{episodes}?status=%00")),
        (
            Method::GET,
            format!("{episodes}?limit=99999999999999999999"),
        ),
        (Method::GET, format!("{episodes}?cursor=%00")),
        (Method::GET, format!("{episodes}?cursor=0_{id}")),
        (Method::GET, format!("{episodes}?cursor=-1_{id}")),
        (
            Method::GET,
            format!("{episodes}?cursor=8000000000000000000_{id}"),
        ),
        (Method::GET, format!("{episodes}?limit=2&limit=3")),
        (Method::DELETE, "/shows/target?purge=maybe".to_string()),
    ] {
        let json = "application/json";
        let (status, resp) = app.api_raw(method.clone(), &path, &user, json, "{}").await;
        if status.is_server_error() || status.is_client_error() && !is_error_body(&resp) {
            failures.push(format!("{method} {path} answered {status}: {resp}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    let (status, show) = app
        .api(Method::GET, "/shows/target", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{show}");
    assert_eq!(show["status"], "active", "no hostile request deleted it");
}

/// Every route that takes a show slug, with a body that passes validation.
fn slug_routes(slug: &str) -> Vec<(Method, String, Option<Value>)> {
    let ep = format!("/shows/{slug}/episodes/{}", Uuid::new_v4());
    vec![
        (Method::GET, format!("/shows/{slug}"), None),
        (Method::PATCH, format!("/shows/{slug}"), Some(json!({}))),
        (Method::DELETE, format!("/shows/{slug}"), None),
        (Method::DELETE, format!("/shows/{slug}?purge=true"), None),
        (Method::GET, format!("/shows/{slug}/episodes"), None),
        (
            Method::POST,
            format!("/shows/{slug}/episodes"),
            Some(episode(json!({}))),
        ),
        (Method::GET, ep.clone(), None),
        (Method::PATCH, ep.clone(), Some(json!({}))),
        (Method::DELETE, ep, None),
        (Method::GET, format!("/shows/{slug}/feed"), None),
        (Method::POST, format!("/shows/{slug}/refresh"), None),
    ]
}

#[tokio::test]
async fn a_nul_in_a_show_slug_answers_404() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;

    let mut failures = Vec::new();
    for slug in ["%00", "a%00b"] {
        for (method, path, body) in slug_routes(slug) {
            let body = body.unwrap_or(Value::Null).to_string();
            let (status, resp) = app
                .api_raw(method.clone(), &path, &user, "application/json", body)
                .await;
            if status != StatusCode::NOT_FOUND || !is_error_body(&resp) {
                failures.push(format!("{method} {path} answered {status}: {resp}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn a_slug_that_is_not_utf8_answers_a_json_404() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;

    let mut failures = Vec::new();
    for slug in ["%FF", "%C3%28"] {
        for (method, path, body) in slug_routes(slug) {
            let body = body.unwrap_or(Value::Null).to_string();
            let (status, resp) = app
                .api_raw(method.clone(), &path, &user, "application/json", body)
                .await;
            if status != StatusCode::NOT_FOUND || !is_error_body(&resp) {
                failures.push(format!("{method} {path} answered {status}: {resp}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn a_cursor_outside_the_databases_range_answers_422() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "target", json!({})).await;
    let id = Uuid::new_v4();

    let path = format!("/shows/target/episodes?cursor=-8000000000000000000_{id}");
    let (status, resp) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    assert_names(&resp, Names::Field("cursor"), "cursor in 251,000 BC");
}

#[tokio::test]
async fn a_publish_at_outside_the_databases_range_answers_422() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "target", json!({})).await;
    let ep = app.post_episode(&user, "target", json!({})).await;
    let ep_path = format!("/shows/target/episodes/{}", ep["id"].as_str().unwrap());
    let bad = json!({"publish_at": "-5000-01-01T00:00:00Z"});

    for (method, path, body) in [
        (Method::POST, "/shows/target/episodes", episode(bad.clone())),
        (Method::PATCH, ep_path.as_str(), bad),
    ] {
        let (status, resp) = app.api(method.clone(), path, Some(&user), Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{method}: {resp}");
        assert_names(&resp, Names::Field("publish_at"), "year -5000");
    }
}

#[tokio::test]
async fn a_method_a_route_does_not_have_answers_405_with_a_json_body() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "target", json!({})).await;

    for (method, path) in [
        (Method::PUT, "/shows"),
        (Method::DELETE, "/shows"),
        (Method::PUT, "/shows/target"),
        (Method::POST, "/shows/target"),
        (Method::PUT, "/shows/target/episodes"),
    ] {
        let (status, resp) = app
            .api_raw(method.clone(), path, &user, "application/json", "{}")
            .await;
        let case = format!("{method} {path}");
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{case}: {resp}");
        assert!(is_error_body(&resp), "{case}: a JSON error body: {resp}");
    }
}

#[tokio::test]
async fn a_mistyped_field_is_named_in_fields() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let (status, resp) = app
        .api(
            Method::POST,
            "/shows",
            Some(&user),
            Some(json!({"slug": "typed", "title": "T", "explicit": "yes"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp["error"]["fields"]["explicit"].is_string(), "{resp}");
}

#[tokio::test]
async fn a_request_that_overruns_the_time_limit_gets_503_with_retry_after() {
    // An upstream that takes the import's request and then says nothing for a minute.
    let silent = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(60)),
        )
        .mount(&silent)
        .await;
    let url = format!("{}/feed.xml", silent.uri());
    let app = crate::kit::app::spawn_app_with(
        false,
        &[
            ("PODPUB_REQUEST_TIMEOUT_SECS", "1"),
            ("PODPUB_IMPORT_TIMEOUT_SECS", "30"),
            ("PODPUB_IMPORT_ALLOW_PRIVATE", "true"),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    let started = std::time::Instant::now();
    let resp = app
        .client
        .post(format!("{}/api/v1/import", app.address))
        .bearer_auth(&user.token)
        .json(&serde_json::json!({ "url": url }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(resp.headers()["retry-after"], "1");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    // Nothing was imported.
    let (_, shows) = app
        .api(reqwest::Method::GET, "/shows", Some(&user), None)
        .await;
    assert_eq!(shows["items"], serde_json::json!([]));
}

//! `GET /api/v1/openapi.json`: the document is served without a token, names every route, is
//! valid OpenAPI, and the API keeps to it under schemathesis.

use std::{collections::BTreeSet, process::Command};

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::kit::{app::spawn_app, python::venv_bin, scratch::scratch};

/// Every route the router has, as (method, OpenAPI path). Add new routes here and to the
/// document.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/api/v1/shows/{slug}/uploads"),
    ("post", "/api/v1/shows/{slug}/uploads"),
    ("get", "/api/v1/shows/{slug}/uploads/{id}"),
    ("delete", "/api/v1/shows/{slug}/uploads/{id}"),
    ("post", "/api/v1/shows/{slug}/uploads/{id}/complete"),
    ("get", "/api/v1/shows/{slug}/copy-media"),
    ("post", "/api/v1/shows/{slug}/copy-media"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/shows"),
    ("post", "/api/v1/shows"),
    ("get", "/api/v1/shows/{slug}"),
    ("patch", "/api/v1/shows/{slug}"),
    ("delete", "/api/v1/shows/{slug}"),
    ("get", "/api/v1/shows/{slug}/episodes"),
    ("post", "/api/v1/shows/{slug}/episodes"),
    ("get", "/api/v1/shows/{slug}/episodes/{id}"),
    ("patch", "/api/v1/shows/{slug}/episodes/{id}"),
    ("delete", "/api/v1/shows/{slug}/episodes/{id}"),
    ("get", "/api/v1/shows/{slug}/trash"),
    ("get", "/api/v1/shows/{slug}/history"),
    ("get", "/api/v1/shows/{slug}/episodes/{id}/history"),
    ("post", "/api/v1/shows/{slug}/history/{id}/revert"),
    ("post", "/api/v1/shows/{slug}/episodes/{id}/restore"),
    ("post", "/api/v1/shows/{slug}/restore"),
    ("get", "/api/v1/trash"),
    ("get", "/api/v1/shows/{slug}/feed"),
    ("get", "/api/v1/shows/{slug}/feed/versions"),
    ("get", "/api/v1/shows/{slug}/feed/versions/{id}"),
    ("get", "/api/v1/shows/{slug}/feed/versions/{id}/xml"),
    ("get", "/api/v1/shows/{slug}/feed/versions/{id}/diff"),
    ("post", "/api/v1/shows/{slug}/refresh"),
    ("post", "/api/v1/shows/{slug}/move"),
    ("delete", "/api/v1/shows/{slug}/move"),
    ("post", "/api/v1/import"),
    ("get", "/api/v1/jobs/{id}"),
    ("post", "/api/v1/admin/refresh"),
    ("get", "/api/v1/admin/refresh/{batch_id}"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{id}"),
];

/// A concrete path for a template: placeholders become a slug or a UUID.
fn concrete(template: &str) -> String {
    template
        .replace("{slug}", "some-show")
        .replace("{id}", "00000000-0000-0000-0000-000000000001")
        .replace("{batch_id}", "00000000-0000-0000-0000-000000000002")
}

async fn fetch_document(address: &str) -> Value {
    let resp = reqwest::get(format!("{address}/api/v1/openapi.json"))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "served without a token");
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    resp.json().await.expect("the document is JSON")
}

#[tokio::test]
async fn the_document_names_every_route_and_is_valid_openapi() {
    let app = spawn_app().await;
    let doc = fetch_document(&app.address).await;
    if let Ok(path) = std::env::var("PODPUB_OPENAPI_DUMP") {
        std::fs::write(path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    }
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));

    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| !matches!(k.as_str(), "parameters" | "summary" | "description"))
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, expected);

    // Each listed route exists: without a token it answers 401 (or 200 where none is needed),
    // not the router's 404 or 405.
    for (method, path) in ROUTES {
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let resp = app
            .client
            .request(method.clone(), format!("{}{}", app.address, concrete(path)))
            .send()
            .await
            .unwrap();
        let open = matches!(*path, "/healthz" | "/api/v1/openapi.json");
        let want = if open {
            StatusCode::OK
        } else {
            StatusCode::UNAUTHORIZED
        };
        assert_eq!(resp.status(), want, "{method} {path}");
    }

    // The bearer scheme, the error body, and security on all but the open routes.
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let error = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(error["required"], serde_json::json!(["error"]));
    for (method, path) in ROUTES {
        let op = &doc["paths"][path][method];
        let open = matches!(*path, "/healthz" | "/api/v1/openapi.json");
        assert_eq!(
            op["security"] == serde_json::json!([{}]),
            open,
            "{method} {path} security"
        );
        if !open {
            assert_eq!(
                op["responses"]["401"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{method} {path}"
            );
        }
    }

    // `#[serde(flatten)]` is honest: a show is its own fields and all of ShowExtras, an episode
    // its own and all of EpisodeExtras.
    for (view, extras) in [("ShowView", "ShowExtras"), ("EpisodeView", "EpisodeExtras")] {
        let all_of = doc["components"]["schemas"][view]["allOf"]
            .as_array()
            .unwrap_or_else(|| panic!("{view} is allOf"));
        assert!(
            all_of
                .iter()
                .any(|s| s["$ref"] == format!("#/components/schemas/{extras}")),
            "{view} includes {extras}"
        );
    }

    // Every Podcasting 2.0 field the API stores is in the document: each key of the stored
    // details, on the details' schema and on the body that sets them.
    let schemas = &doc["components"]["schemas"];
    let properties = |name: &str| -> BTreeSet<String> {
        let schema = &schemas[name];
        let parts = schema["allOf"].as_array().cloned().unwrap_or_default();
        std::iter::once(schema)
            .chain(parts.iter())
            .filter_map(|s| s["properties"].as_object())
            .flat_map(|p| p.keys().cloned())
            .collect()
    };
    let shows = serde_json::to_value(podpub::domain::ShowExtras::default()).unwrap();
    let episodes = serde_json::to_value(podpub::domain::EpisodeExtras::default()).unwrap();
    for (extras, keys, input) in [
        ("ShowExtras", &shows, "ShowInput"),
        ("EpisodeExtras", &episodes, "EpisodeInput"),
    ] {
        let (documented, settable) = (properties(extras), properties(input));
        for key in keys.as_object().unwrap().keys() {
            assert!(documented.contains(key), "{extras} documents {key}");
            assert!(settable.contains(key), "{input} documents {key}");
        }
    }
    assert!(properties("ShowExtras").contains("live_items"));
    let live = properties("LiveItem");
    for key in ["guid", "title", "start", "end", "status", "enclosure"] {
        assert!(live.contains(key), "LiveItem documents {key}: {live:?}");
    }
    let live_parts = schemas["LiveItem"]["allOf"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        live_parts
            .iter()
            .any(|s| s["$ref"] == "#/components/schemas/EpisodeExtras"),
        "a live item has every item tag: {}",
        schemas["LiveItem"]
    );
    for key in ["rel", "country"] {
        assert!(
            properties("Location").contains(key),
            "Location documents {key}"
        );
    }

    // What a create needs is required in its body's schema, as the API enforces: an empty
    // body is refused naming exactly those fields.
    let user = app.create_user(false).await;
    app.post_show(&user, "documented", serde_json::json!({}))
        .await;
    for (path, url, name, fields) in [
        ("/api/v1/shows", "/shows", "NewShow", vec!["slug", "title"]),
        (
            "/api/v1/shows/{slug}/episodes",
            "/shows/documented/episodes",
            "NewEpisode",
            vec!["enclosure", "title"],
        ),
    ] {
        let body = &doc["paths"][path]["post"]["requestBody"]["content"]["application/json"];
        assert_eq!(
            body["schema"]["$ref"],
            format!("#/components/schemas/{name}")
        );
        let mut required: Vec<&str> = doc["components"]["schemas"][name]["allOf"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["required"].as_array())
            .flatten()
            .map(|f| f.as_str().unwrap())
            .collect();
        required.sort();
        assert_eq!(required, fields, "{name}");
        let (status, err) = app
            .api(Method::POST, url, Some(&user), Some(serde_json::json!({})))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let mut named: Vec<&str> = err["error"]["fields"]
            .as_object()
            .unwrap_or_else(|| panic!("fields in {err}"))
            .keys()
            .map(String::as_str)
            .collect();
        named.sort();
        assert_eq!(named, fields, "{url}");
    }

    // Valid OpenAPI, by an independent validator.
    let dir = scratch("openapi");
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let output = Command::new(venv_bin().join("openapi-spec-validator"))
        .arg(&file)
        .output()
        .expect("openapi-spec-validator runs (is it in scripts/requirements-test.txt?)");
    assert!(
        output.status.success(),
        "openapi-spec-validator:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_keeps_to_its_document_under_schemathesis() {
    let app = spawn_app().await;
    let user = app.create_user(true).await;
    app.post_show(&user, "fuzzed", serde_json::json!({})).await;
    let address = app.address.clone();
    let token = user.token.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(venv_bin().join("schemathesis"))
            .args(["run", &format!("{address}/api/v1/openapi.json")])
            .args(["--url", &address])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--checks", "not_a_server_error,response_schema_conformance"])
            .args(["--max-examples", "10", "--max-time", "40"])
            .args(["--seed", "1", "--no-shrink", "--workers", "1"])
            .env("NO_COLOR", "1")
            .current_dir(std::env::temp_dir())
            .output()
            .expect("schemathesis runs (is it in scripts/requirements-test.txt?)")
    })
    .await
    .unwrap();
    println!("{}", String::from_utf8_lossy(&output.stdout));
    assert!(
        output.status.success(),
        "schemathesis:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

use std::time::Duration;

use secrecy::ExposeSecret;

use super::*;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_are_the_local_embedded_mode() {
    let s = Settings::from_env_map(&env(&[("DATABASE_URL", "postgres://x@localhost/db")])).unwrap();
    assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.edge_listen.to_string(), "127.0.0.1:8081");
    assert_eq!(s.feed_base_url, "http://127.0.0.1:8081");
    assert_eq!(s.publish, PublishTarget::Dir(".podpub/public".into()));
    assert_eq!(s.pool_size, 10);
}

#[test]
fn every_bad_setting_is_reported_on_its_own_line() {
    let err = Settings::from_env_map(&env(&[
        ("PODPUB_POOL_SIZE", "zero"),
        ("PODPUB_FEED_BASE_URL", "javascript:alert(1)"),
        ("PODPUB_PUBLISH_URL", "ftp://x"),
    ]))
    .unwrap_err();
    let text = err.to_string();
    assert_eq!(err.0.len(), 4, "{text}");
    assert!(text.contains("DATABASE_URL is not set"));
    assert!(text.contains("PODPUB_POOL_SIZE must be a number"));
    assert!(text.contains("PODPUB_FEED_BASE_URL"));
    assert!(text.contains("PODPUB_PUBLISH_URL must start with"));
}

#[test]
fn the_feed_content_type_is_one_that_apps_read_as_rss_with_its_charset() {
    let db = ("DATABASE_URL", "postgres://x@localhost/db");
    let s = Settings::from_env_map(&env(&[db])).unwrap();
    assert_eq!(s.feed_content_type, "application/rss+xml; charset=utf-8");
    let s = Settings::from_env_map(&env(&[
        db,
        ("PODPUB_FEED_CONTENT_TYPE", " Application/XML"),
    ]))
    .unwrap();
    assert_eq!(s.feed_content_type, "application/xml; charset=utf-8");
    for bad in ["text/html", "application/xml; charset=latin1"] {
        let err = Settings::from_env_map(&env(&[db, ("PODPUB_FEED_CONTENT_TYPE", bad)]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("PODPUB_FEED_CONTENT_TYPE must be application/rss+xml"),
            "{bad:?}: {err}"
        );
    }
}

#[test]
fn notifications_are_off_unless_configured_and_checked_when_they_are() {
    let db = ("DATABASE_URL", "postgres://x@localhost/db");
    let s = Settings::from_env_map(&env(&[db])).unwrap();
    assert!(s.notify.websub_hubs.is_empty());
    assert!(s.notify.podping.is_none());
    assert!(s.notify.pubnotify_url.is_none());
    let s = Settings::from_env_map(&env(&[
        db,
        (
            "PODPUB_WEBSUB_HUBS",
            "https://pubsubhubbub.appspot.com/, https://hub.example/",
        ),
        ("PODPUB_PODPING_URL", "https://podping.cloud/"),
        ("PODPUB_PODPING_TOKEN", "secret"),
        (
            "PODPUB_PUBNOTIFY_URL",
            "https://api.podcastindex.org/api/1.0/hub/pubnotify",
        ),
    ]))
    .unwrap();
    assert_eq!(
        s.notify.websub_hubs,
        ["https://pubsubhubbub.appspot.com/", "https://hub.example/"]
    );
    let (endpoint, token) = s.notify.podping.as_ref().unwrap();
    assert_eq!(endpoint, "https://podping.cloud/");
    assert_eq!(token.expose_secret(), "secret");
    assert!(s.notify.pubnotify_url.is_some());
    let err = Settings::from_env_map(&env(&[
        db,
        ("PODPUB_WEBSUB_HUBS", "https://ok.example/,javascript:x"),
        ("PODPUB_PODPING_URL", "https://podping.cloud/"),
    ]))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("PODPUB_WEBSUB_HUBS must be an absolute"),
        "{err}"
    );
    assert!(err.contains("PODPUB_PODPING_TOKEN is needed"), "{err}");
}

#[test]
fn s3_publish_url_splits_bucket_and_prefix() {
    let s = Settings::from_env_map(&env(&[
        ("DATABASE_URL", "postgres://x@localhost/db"),
        ("PODPUB_PUBLISH_URL", "s3://feeds-bucket/prod/feeds/"),
        ("PODPUB_FEED_BASE_URL", "https://feeds.example.com/"),
    ]))
    .unwrap();
    assert_eq!(
        s.publish,
        PublishTarget::S3 {
            bucket: "feeds-bucket".into(),
            prefix: "prod/feeds".into()
        }
    );
    assert_eq!(s.feed_base_url, "https://feeds.example.com");
}

#[test]
fn the_toml_file_uses_the_same_names_and_the_environment_wins() {
    let file: FileSettings = toml::from_str(
        "database_url = \"postgres://f@h/db\"\npool_size = 20\nlisten = \"127.0.0.1:9000\"",
    )
    .unwrap();
    let s =
        Settings::from_sources(file, &env(&[("PODPUB_LISTEN", "127.0.0.1:9100")]), true).unwrap();
    assert_eq!(s.pool_size, 20);
    assert_eq!(s.database_url.expose_secret(), "postgres://f@h/db");
    assert_eq!(s.listen.to_string(), "127.0.0.1:9100");
    assert!(toml::from_str::<FileSettings>("colour = \"red\"").is_err());
}

#[test]
fn cloudfront_invalidation_is_off_unless_a_distribution_is_set() {
    let s = Settings::from_env_map(&env(&[("DATABASE_URL", "postgres://x@localhost/db")])).unwrap();
    assert_eq!(s.cloudfront_distribution_id, None);
    assert_eq!(s.invalidation_window, Duration::from_millis(1000));

    let s = Settings::from_env_map(&env(&[
        ("DATABASE_URL", "postgres://x@localhost/db"),
        ("PODPUB_CLOUDFRONT_DISTRIBUTION_ID", " E2QWRUHAPOMQZL "),
        ("PODPUB_INVALIDATION_WINDOW_MS", "0"),
    ]))
    .unwrap();
    assert_eq!(
        s.cloudfront_distribution_id.as_deref(),
        Some("E2QWRUHAPOMQZL")
    );
    assert_eq!(s.invalidation_window, Duration::ZERO);

    let file: FileSettings = toml::from_str(
        "cloudfront_distribution_id = \"EDFDVBD6EXAMPLE\"\ninvalidation_window_ms = 250",
    )
    .unwrap();
    let s = Settings::from_sources(
        file,
        &env(&[("DATABASE_URL", "postgres://x@localhost/db")]),
        true,
    )
    .unwrap();
    assert_eq!(
        s.cloudfront_distribution_id.as_deref(),
        Some("EDFDVBD6EXAMPLE")
    );
    assert_eq!(s.invalidation_window, Duration::from_millis(250));
}

#[test]
fn bad_cloudfront_settings_are_reported() {
    let err = Settings::from_env_map(&env(&[
        ("DATABASE_URL", "postgres://x@localhost/db"),
        (
            "PODPUB_CLOUDFRONT_DISTRIBUTION_ID",
            "d111111abcdef8.cloudfront.net",
        ),
        ("PODPUB_INVALIDATION_WINDOW_MS", "600001"),
    ]))
    .unwrap_err();
    let [id, window] = &err.0[..] else {
        panic!("two problems expected: {err}")
    };
    assert!(id.starts_with("PODPUB_CLOUDFRONT_DISTRIBUTION_ID must be a distribution id"));
    assert!(window.starts_with("PODPUB_INVALIDATION_WINDOW_MS must be a number from 0 to 600000"));
}

#[test]
fn imports_fetch_only_public_addresses_unless_allowed() {
    let db = ("DATABASE_URL", "postgres://x@localhost/db");
    let s = Settings::from_env_map(&env(&[db])).unwrap();
    assert!(!s.import_allow_private);
    assert_eq!(s.import_max_bytes, 20 << 20);
    assert_eq!(s.import_timeout, Duration::from_secs(30));
    let s = Settings::from_env_map(&env(&[db, ("PODPUB_IMPORT_ALLOW_PRIVATE", "TRUE")])).unwrap();
    assert!(s.import_allow_private);
    let err =
        Settings::from_env_map(&env(&[db, ("PODPUB_IMPORT_ALLOW_PRIVATE", "maybe")])).unwrap_err();
    assert!(err.0[0].starts_with("PODPUB_IMPORT_ALLOW_PRIVATE must be true or false"));
}

#[test]
fn a_worker_listens_for_metrics_only_when_told_where() {
    let db = ("DATABASE_URL", "postgres://x@localhost/db");
    let s = Settings::from_env_map(&env(&[db])).unwrap();
    assert_eq!(s.worker_metrics_listen, None);
    let at = ("PODPUB_WORKER_METRICS_LISTEN", "127.0.0.1:9102");
    let s = Settings::from_env_map(&env(&[db, at])).unwrap();
    assert_eq!(
        s.worker_metrics_listen,
        Some("127.0.0.1:9102".parse().unwrap())
    );
    let bad = ("PODPUB_WORKER_METRICS_LISTEN", "port 9102");
    let err = Settings::from_env_map(&env(&[db, bad]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("PODPUB_WORKER_METRICS_LISTEN must be an address"),
        "{err}"
    );
}

#[test]
fn trusted_proxies_are_addresses_and_networks() {
    let db = ("DATABASE_URL", "postgres://x@localhost/db");
    let s = Settings::from_env_map(&env(&[db])).unwrap();
    assert!(s.trusted_proxies.is_empty());
    let list = ("PODPUB_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,fd00::/8");
    let s = Settings::from_env_map(&env(&[db, list])).unwrap();
    let shown: Vec<String> = s.trusted_proxies.iter().map(|n| n.to_string()).collect();
    assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8"]);
    let err = Settings::from_env_map(&env(&[db, ("PODPUB_TRUSTED_PROXIES", "10.0.0.0/33")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("PODPUB_TRUSTED_PROXIES must list"), "{err}");
}

#[test]
fn secure_cookies_follow_the_proxy_unless_set() {
    let db = ("DATABASE_URL", "postgres://x@localhost/db");
    let s = Settings::from_env_map(&env(&[db])).unwrap();
    assert_eq!(s.secure_cookies, SecureCookies::Auto);
    let s = Settings::from_env_map(&env(&[db, ("PODPUB_SECURE_COOKIES", "true")])).unwrap();
    assert_eq!(s.secure_cookies, SecureCookies::Always);
    let err = Settings::from_env_map(&env(&[db, ("PODPUB_SECURE_COOKIES", "maybe")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("PODPUB_SECURE_COOKIES must be auto"), "{err}");
}

#[test]
fn password_is_redacted_in_debug() {
    let s = Settings::from_env_map(&env(&[("DATABASE_URL", "postgres://u:secret@h/db")])).unwrap();
    assert!(!format!("{s:?}").contains("secret"));
}

#[test]
fn the_podping_token_is_redacted_in_debug() {
    let s = Settings::from_env_map(&env(&[
        ("DATABASE_URL", "postgres://x@localhost/db"),
        ("PODPUB_PODPING_URL", "https://podping.cloud/"),
        ("PODPUB_PODPING_TOKEN", "hunter2"),
    ]))
    .unwrap();
    assert!(s.notify.podping.is_some());
    assert!(!format!("{s:?}").contains("hunter2"));
}

#[test]
fn the_file_takes_numbers_and_booleans_as_toml_writes_them() {
    let file: FileSettings =
        toml::from_str("pool_size = 20\nimport_allow_private = true\nsecure_cookies = false")
            .unwrap();
    let s = Settings::from_sources(file, &env(&[]), false).unwrap();
    assert_eq!(s.pool_size, 20);
    assert!(s.import_allow_private);
    assert_eq!(s.secure_cookies, SecureCookies::Never);
    assert!(s.database_url.expose_secret().is_empty());
}

#[test]
fn the_file_refuses_unknown_keys_aws_settings_and_lists() {
    let err = toml::from_str::<FileSettings>("colour = \"red\"").unwrap_err();
    assert!(
        err.message()
            .starts_with("unknown field `colour`, expected one of `database_url`, `pool_size`"),
        "{err}"
    );
    let err = toml::from_str::<FileSettings>("aws_endpoint_url = \"http://x\"").unwrap_err();
    assert!(err.message().starts_with("unknown field"), "{err}");
    let err = toml::from_str::<FileSettings>("listen = [\"127.0.0.1:9000\"]").unwrap_err();
    assert!(err.message().contains("for key `listen`"), "{err}");
}

/// The README's settings table: each `PODPUB_` variable with its default column.
fn readme_rows() -> BTreeMap<String, String> {
    include_str!("../../README.md")
        .lines()
        .filter_map(|line| line.strip_prefix("| `PODPUB_"))
        .map(|row| {
            let (name, rest) = row.split_once('`').expect("a closing backtick");
            let default = rest.split('|').nth(1).expect("a default column");
            (format!("PODPUB_{name}"), default.trim().to_string())
        })
        .collect()
}

#[test]
fn the_readme_lists_every_podpub_variable_of_the_table_and_no_other() {
    let table: Vec<&str> = Settings::vars()
        .iter()
        .map(|var| var.name)
        .filter(|name| name.starts_with("PODPUB_"))
        .collect();
    let readme = readme_rows();
    assert!(readme.len() > 20, "the README's settings table is found");
    for name in &table {
        assert!(
            readme.contains_key(*name),
            "{name} is missing from the README"
        );
    }
    for name in readme.keys() {
        assert!(
            table.contains(&name.as_str()) || name == CONFIG_VAR,
            "the README lists {name}, which no setting reads"
        );
    }
}

#[test]
fn the_readme_gives_the_tables_defaults() {
    let readme = readme_rows();
    for var in Settings::vars() {
        let Some(shown) = readme.get(var.name) else {
            continue;
        };
        match var.default {
            Some(default) => assert_eq!(*shown, format!("`{default}`"), "{}", var.name),
            None => assert!(!shown.starts_with('`'), "{} has no default", var.name),
        }
    }
}

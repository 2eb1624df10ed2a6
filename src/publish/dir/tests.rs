use super::*;
use chrono::TimeZone;

fn temp_root(name: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("podpub-dir-{name}-{}-{n}", std::process::id()))
}

fn req(revision: i64, redirect: Option<&str>) -> PutRequest {
    PutRequest {
        content_type: "application/rss+xml; charset=utf-8".into(),
        cache_control: "public, max-age=300".into(),
        revision,
        installation: "inst-1".into(),
        redirect_location: redirect.map(str::to_owned),
        last_modified: Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap(),
    }
}

async fn list_names(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut rd = tokio::fs::read_dir(dir).await.unwrap();
    while let Some(e) = rd.next_entry().await.unwrap() {
        out.push(e.file_name().to_string_lossy().into_owned());
    }
    out.sort();
    out
}

#[test]
fn keys() {
    for ok in ["feed.xml", "my-show/feed.xml", "a/b/c", "a..b/x.y"] {
        assert!(validate_key(ok), "{ok}");
    }
    for bad in [
        "",
        "/",
        "/a",
        "a/",
        "a//b",
        ".",
        "..",
        "../a",
        "a/../b",
        "a/./b",
        ".meta/a.json",
        "a/.hidden",
        "a\\b",
        "a\0b",
    ] {
        assert!(!validate_key(bad), "{bad:?}");
    }
}

#[tokio::test]
async fn put_head_unchanged_and_overwrite() {
    let root = temp_root("put");
    let t = DirTarget::new(&root);
    assert_eq!(t.head("s/feed.xml").await.unwrap(), None);

    let body = b"<rss>one</rss>";
    let PutOutcome::Written(m1) = t.put("s/feed.xml", body, req(1, None)).await.unwrap() else {
        panic!("expected write");
    };
    let sha = sha256_hex(body);
    assert_eq!(m1.sha256, sha);
    assert_eq!(m1.etag, format!("\"{}\"", &sha[..32]));
    assert_eq!(m1.length, body.len() as u64);
    assert_eq!(m1.revision, 1);
    assert_eq!(std::fs::read(root.join("s/feed.xml")).unwrap(), body);
    let raw = std::fs::read(root.join(".meta/s/feed.xml.json")).unwrap();
    assert_eq!(serde_json::from_slice::<ObjectMeta>(&raw).unwrap(), m1);
    assert_eq!(t.head("s/feed.xml").await.unwrap(), Some(m1.clone()));

    let out = t.put("s/feed.xml", body, req(2, None)).await.unwrap();
    assert_eq!(out, PutOutcome::Unchanged(m1.clone()));
    assert_eq!(t.head("s/feed.xml").await.unwrap().unwrap().revision, 1);

    let PutOutcome::Written(m2) = t
        .put("s/feed.xml", b"<rss>two</rss>", req(3, None))
        .await
        .unwrap()
    else {
        panic!("expected write");
    };
    assert_ne!(m2.etag, m1.etag);
    assert_eq!(t.head("s/feed.xml").await.unwrap(), Some(m2));
    assert_eq!(list_names(&root.join("s")).await, vec!["feed.xml"]);
    assert_eq!(
        list_names(&root.join(".meta/s")).await,
        vec!["feed.xml.json"]
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn redirect_stub_and_delete() {
    let root = temp_root("stub");
    let t = DirTarget::new(&root);
    t.put("old/feed.xml", b"<rss/>", req(1, None))
        .await
        .unwrap();
    let target = Some("https://feeds.example.com/new/feed.xml");
    let PutOutcome::Written(m) = t.put("old/feed.xml", b"", req(2, target)).await.unwrap() else {
        panic!("stub must be written over a feed");
    };
    assert_eq!(m.redirect_location.as_deref(), target);
    assert_eq!(m.length, 0);
    assert!(std::fs::read(root.join("old/feed.xml")).unwrap().is_empty());
    let again = t.put("old/feed.xml", b"", req(3, target)).await.unwrap();
    assert!(matches!(again, PutOutcome::Unchanged(_)));
    let other = t
        .put("old/feed.xml", b"", req(4, Some("https://x.example/f")))
        .await;
    assert!(matches!(other.unwrap(), PutOutcome::Written(_)));

    t.delete("old/feed.xml").await.unwrap();
    assert_eq!(t.head("old/feed.xml").await.unwrap(), None);
    assert!(!root.join("old/feed.xml").exists());
    assert!(!root.join(".meta/old/feed.xml.json").exists());
    t.delete("old/feed.xml").await.unwrap();
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn atomic_write_and_partial_states() {
    let root = temp_root("atomic");
    let t = DirTarget::new(&root);
    // A body without metadata is an in-progress write: invisible.
    std::fs::create_dir_all(root.join("s")).unwrap();
    std::fs::write(root.join("s/feed.xml"), b"partial").unwrap();
    assert_eq!(t.head("s/feed.xml").await.unwrap(), None);
    // A crash between body and metadata renames must not fool the unchanged check.
    t.put("s/feed.xml", b"v1", req(1, None)).await.unwrap();
    std::fs::write(root.join("s/feed.xml"), b"v2").unwrap();
    let out = t.put("s/feed.xml", b"v1", req(2, None)).await.unwrap();
    assert!(matches!(out, PutOutcome::Written(_)));
    assert_eq!(std::fs::read(root.join("s/feed.xml")).unwrap(), b"v1");
    // No temp files are left behind.
    assert_eq!(list_names(&root.join("s")).await, vec!["feed.xml"]);
    assert_eq!(
        list_names(&root.join(".meta/s")).await,
        vec!["feed.xml.json"]
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn invalid_keys_are_rejected() {
    let root = temp_root("invalid");
    let t = DirTarget::new(&root);
    for bad in ["", "../x", ".meta/s/feed.xml.json", "a//b", "a\\b"] {
        let e = t.put(bad, b"x", req(1, None)).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
        let e = t.head(bad).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
        let e = t.delete(bad).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
    }
    assert!(!root.exists());
}

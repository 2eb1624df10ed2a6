use super::*;
use crate::publish::dir::PutRequest;
use axum::http::Request;
use chrono::{TimeZone, Utc};
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

const BODY: &[u8] = b"<rss>0123456789</rss>";

async fn fixture(name: &str) -> (PathBuf, String) {
    let root = std::env::temp_dir().join(format!("podpub-edge-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let t = DirTarget::new(&root);
    let req = |redirect: Option<&str>| PutRequest {
        content_type: "application/rss+xml; charset=utf-8".into(),
        cache_control: "public, max-age=300".into(),
        revision: 1,
        installation: "i".into(),
        redirect_location: redirect.map(str::to_owned),
        last_modified: Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap(),
    };
    t.put("s/feed.xml", BODY, req(None)).await.unwrap();
    t.put(
        "old/feed.xml",
        b"",
        req(Some("https://f.example/s/feed.xml")),
    )
    .await
    .unwrap();
    std::fs::write(root.join("s/pending.xml"), b"no meta yet").unwrap();
    let etag = t.head("s/feed.xml").await.unwrap().unwrap().etag;
    (root, etag)
}

async fn call(root: &Path, method: Method, uri: &str, hs: &[(&str, &str)]) -> (Response, Vec<u8>) {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in hs {
        req = req.header(*k, *v);
    }
    let res = router(root.to_path_buf())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (Response::from_parts(parts, Body::empty()), bytes.to_vec())
}

fn h<'a>(res: &'a Response, name: &str) -> &'a str {
    res.headers().get(name).map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn get_head_and_conditionals() {
    let (root, etag) = fixture("get").await;
    let (res, body) = call(&root, Method::GET, "/s/feed.xml", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body, BODY);
    assert_eq!(
        h(&res, "content-type"),
        "application/rss+xml; charset=utf-8"
    );
    assert_eq!(h(&res, "cache-control"), "public, max-age=300");
    assert_eq!(h(&res, "etag"), etag);
    assert_eq!(h(&res, "last-modified"), "Wed, 01 May 2024 12:00:00 GMT");
    assert_eq!(h(&res, "accept-ranges"), "bytes");
    assert_eq!(h(&res, "content-length"), BODY.len().to_string());

    let (res, body) = call(&root, Method::HEAD, "/s/%66eed.xml", &[]).await;
    assert_eq!((res.status(), body.len()), (StatusCode::OK, 0));
    assert_eq!(h(&res, "content-length"), BODY.len().to_string());
    assert_eq!(h(&res, "etag"), etag);

    let weak_list = format!("\"zzz\", W/{etag}");
    for inm in [etag.as_str(), "*", weak_list.as_str()] {
        let (res, body) = call(&root, Method::GET, "/s/feed.xml", &[("if-none-match", inm)]).await;
        assert_eq!(
            (res.status(), body.len()),
            (StatusCode::NOT_MODIFIED, 0),
            "{inm}"
        );
        assert_eq!(h(&res, "etag"), etag);
        assert_eq!(h(&res, "cache-control"), "public, max-age=300");
    }
    let (res, _) = call(
        &root,
        Method::GET,
        "/s/feed.xml",
        &[("if-none-match", "\"x\"")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let ims = [("if-modified-since", "Wed, 01 May 2024 12:00:00 GMT")];
    let (res, _) = call(&root, Method::GET, "/s/feed.xml", &ims).await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    let old = [("if-modified-since", "Tue, 30 Apr 2024 12:00:00 GMT")];
    let (res, _) = call(&root, Method::GET, "/s/feed.xml", &old).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (res, _) = call(&root, Method::POST, "/s/feed.xml", &[]).await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn ranges() {
    let (root, _) = fixture("range").await;
    let len = BODY.len();
    let cases: [(&str, usize, usize); 5] = [
        ("bytes=0-4", 0, 4),
        ("bytes=5-", 5, len - 1),
        ("bytes=-6", len - 6, len - 1),
        ("bytes=3-1000", 3, len - 1),
        ("bytes=-1000", 0, len - 1),
    ];
    for (range, a, b) in cases {
        let (res, body) = call(&root, Method::GET, "/s/feed.xml", &[("range", range)]).await;
        assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(body, &BODY[a..=b], "{range}");
        assert_eq!(h(&res, "content-range"), format!("bytes {a}-{b}/{len}"));
        assert_eq!(h(&res, "content-length"), (b - a + 1).to_string());
    }
    for range in [format!("bytes={len}-"), "bytes=-0".to_string()] {
        let (res, _) = call(&root, Method::GET, "/s/feed.xml", &[("range", &range)]).await;
        assert_eq!(res.status(), StatusCode::RANGE_NOT_SATISFIABLE, "{range}");
        assert_eq!(h(&res, "content-range"), format!("bytes */{len}"));
    }
    for range in ["bytes=0-1,4-5", "bytes=5-2", "items=0-1", "bytes=x-"] {
        let (res, body) = call(&root, Method::GET, "/s/feed.xml", &[("range", range)]).await;
        assert_eq!(
            (res.status(), body.as_slice()),
            (StatusCode::OK, BODY),
            "{range}"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn redirects_and_not_found() {
    let (root, _) = fixture("redirect").await;
    let (res, body) = call(&root, Method::GET, "/old/feed.xml", &[]).await;
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(h(&res, "location"), "https://f.example/s/feed.xml");
    assert_eq!(h(&res, "cache-control"), "public, max-age=300");
    assert!(body.is_empty());
    for uri in [
        "/",
        "/s",
        "/s/",
        "/.meta/s/feed.xml.json",
        "/s/../s/feed.xml",
        "/%2e%2e/etc/passwd",
        "/s%2f..%2fs/feed.xml",
        "/s/pending.xml",
        "/s/missing.xml",
        "/s/feed.xml/",
        "/s/%zz",
    ] {
        let (res, _) = call(&root, Method::GET, uri, &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{uri}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn malformed_escapes_and_bytes_are_refused_even_where_a_key_reads_so() {
    let (root, _) = fixture("escapes").await;
    let meta = DirTarget::new(&root)
        .head("s/feed.xml")
        .await
        .unwrap()
        .unwrap();
    let req = PutRequest {
        content_type: meta.content_type,
        cache_control: meta.cache_control,
        revision: 1,
        installation: "i".into(),
        redirect_location: None,
        last_modified: Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap(),
    };
    DirTarget::new(&root)
        .put("s/100%", BODY, req)
        .await
        .unwrap();
    let (res, body) = call(&root, Method::GET, "/s/100%25", &[]).await;
    assert_eq!((res.status(), body.as_slice()), (StatusCode::OK, BODY));
    for uri in ["/s/100%", "/s/100%2", "/s/100%%25", "/s/%ff", "/s/%C3%28"] {
        let (res, _) = call(&root, Method::GET, uri, &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{uri}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn serve_over_tcp_head_keeps_length() {
    let (root, _) = fixture("serve").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, root.clone(), async {
        let _ = rx.await;
    }));
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = "HEAD /s/feed.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    conn.write_all(req.as_bytes()).await.unwrap();
    let mut raw = String::new();
    conn.read_to_string(&mut raw).await.unwrap();
    let lower = raw.to_ascii_lowercase();
    assert!(lower.starts_with("http/1.1 200"), "{raw}");
    assert!(
        lower.contains(&format!("content-length: {}\r\n", BODY.len())),
        "{raw}"
    );
    assert!(raw.ends_with("\r\n\r\n"), "{raw}");
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn very_long_paths_and_paths_through_an_object_are_client_errors() {
    let (root, _) = fixture("long").await;
    let long = format!("/{}", "a".repeat(10_000));
    let deep = format!("/{}", vec!["a"; 5_000].join("/"));
    let wide = format!("/s/{}", "b".repeat(251));
    for uri in [long.as_str(), deep.as_str(), wide.as_str()] {
        let (res, _) = call(&root, Method::GET, uri, &[]).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{}", &uri[..20]);
    }
    let just = format!("/s/{}", "b".repeat(250));
    for uri in [just.as_str(), "/s/feed.xml/more", "/s/feed.xml/more/deeper"] {
        let (res, _) = call(&root, Method::GET, uri, &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{}", &uri[..20]);
    }
    let _ = std::fs::remove_dir_all(&root);
}

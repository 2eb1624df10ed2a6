//! moto_server, the tests' S3 and CloudFront: the one `make test` starts, or a private one; clients
//! for it, and buckets that are emptied and deleted when their guard goes (moto keeps everything
//! in memory).

use std::{path::Path, process::Command, time::Duration};

use aws_sdk_s3::{
    types::{Delete, ObjectIdentifier},
    Client,
};
use uuid::Uuid;

use super::{
    block_on_aside,
    procs::{Deadline, Proc},
};

/// The moto_server `make test` started.
pub fn moto_url() -> String {
    std::env::var("PODPUB_TEST_MOTO_URL").expect(
        "PODPUB_TEST_MOTO_URL must name a running moto_server: run the tests with `make test`",
    )
}

async fn aws_config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .load()
        .await
}

/// An S3 client for `endpoint` (moto), path-style.
pub async fn s3_client(endpoint: &str) -> Client {
    let config = aws_sdk_s3::config::Builder::from(&aws_config(endpoint).await)
        .force_path_style(true)
        .build();
    Client::from_conf(config)
}

/// A CloudFront client for `endpoint` (moto).
pub async fn cloudfront_client(endpoint: &str) -> aws_sdk_cloudfront::Client {
    aws_sdk_cloudfront::Client::new(&aws_config(endpoint).await)
}

/// Whether a moto_server answers at `url`.
pub async fn moto_answers(url: &str) -> bool {
    reqwest::Client::new()
        .get(format!("{url}/moto-api/"))
        .timeout(Duration::from_secs(3))
        .send()
        .await
        .is_ok()
}

/// A private `moto_server` on `port` (the test venv's, next to PODPUB_TEST_PYTHON), once it
/// answers HTTP.
pub async fn start_moto(port: u16, name: &str, log_dir: &Path) -> Proc {
    let bin = super::python::venv_bin().join("moto_server");
    let mut cmd = Command::new(bin);
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
    let mut moto = Proc::spawn(name, cmd, log_dir);
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Deadline::new(format!("{name} to answer"), Duration::from_secs(30));
    while !moto_answers(&url).await {
        moto.assert_running();
        deadline.tick().await;
    }
    moto
}

/// A new bucket, emptied and deleted when the guard goes.
pub struct Bucket {
    pub s3: Client,
    pub name: String,
    endpoint: String,
}

impl Bucket {
    /// A bucket named `<prefix>-<uuid>` on the shared moto_server.
    pub async fn create(prefix: &str) -> Bucket {
        Bucket::create_on(&moto_url(), prefix).await
    }

    /// A bucket named `<prefix>-<uuid>` on the S3 at `endpoint`.
    pub async fn create_on(endpoint: &str, prefix: &str) -> Bucket {
        let s3 = s3_client(endpoint).await;
        let name = format!("{prefix}-{}", Uuid::new_v4().simple());
        s3.create_bucket()
            .bucket(&name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("creating bucket {name}: {e}"));
        Bucket {
            s3,
            name,
            endpoint: endpoint.into(),
        }
    }

    /// `s3://<bucket>/<prefix>`, for PODPUB_PUBLISH_URL.
    pub fn publish_url(&self, prefix: &str) -> String {
        format!("s3://{}/{prefix}", self.name)
    }

    /// The object's body as text, or `None` when it can't be read (missing, store down).
    pub async fn text(&self, key: &str) -> Option<String> {
        object_text(&self.s3, &self.name, key).await
    }
}

/// The object's body as text, or `None` when it can't be read (missing, store down).
pub async fn object_text(s3: &Client, bucket: &str, key: &str) -> Option<String> {
    let object = s3.get_object().bucket(bucket).key(key).send().await.ok()?;
    let body = object.body.collect().await.ok()?.into_bytes();
    Some(String::from_utf8(body.to_vec()).expect("the object is UTF-8"))
}

impl Drop for Bucket {
    fn drop(&mut self) {
        let (endpoint, bucket) = (self.endpoint.clone(), self.name.clone());
        block_on_aside(async move {
            // A client of its own: the guard's may hold connections of a runtime that is blocked
            // on this drop.
            let client = s3_client(&endpoint).await;
            let cleanup = async {
                let mut token = None;
                loop {
                    let page = client
                        .list_objects_v2()
                        .bucket(&bucket)
                        .set_continuation_token(token.take())
                        .send()
                        .await?;
                    let ids: Vec<ObjectIdentifier> = page
                        .contents()
                        .iter()
                        .filter_map(|o| o.key())
                        .filter_map(|k| ObjectIdentifier::builder().key(k).build().ok())
                        .collect();
                    if !ids.is_empty() {
                        let delete = Delete::builder()
                            .set_objects(Some(ids))
                            .quiet(true)
                            .build()?;
                        client
                            .delete_objects()
                            .bucket(&bucket)
                            .delete(delete)
                            .send()
                            .await?;
                    }
                    match page.next_continuation_token() {
                        Some(t) if page.is_truncated() == Some(true) => token = Some(t.to_string()),
                        _ => break,
                    }
                }
                client.delete_bucket().bucket(&bucket).send().await?;
                anyhow::Ok(())
            };
            match tokio::time::timeout(Duration::from_secs(120), cleanup).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => eprintln!("removing bucket {bucket}: {e:#}"),
                Err(_) => eprintln!("removing bucket {bucket}: timed out"),
            }
        });
    }
}

//! Media on S3: presigned URLs that let a browser send the bytes to the bucket itself (one PUT,
//! or a multipart upload with a presigned URL per part), and ranged reads for the prober.

use std::time::Duration;

use anyhow::Context;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};

use super::media::{Assembled, SignedUrl, MEDIA_CACHE_CONTROL};
use super::s3::{status, S3Target};

impl S3Target {
    /// A presigned PUT of the whole object, with the headers the client must send.
    pub async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        expires: Duration,
    ) -> anyhow::Result<SignedUrl> {
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .content_type(content_type)
            .cache_control(MEDIA_CACHE_CONTROL)
            .presigned(PresigningConfig::expires_in(expires)?)
            .await
            .context("presigning a PUT")?;
        Ok(SignedUrl {
            url: request.uri().to_string(),
            headers: vec![
                ("Content-Type".into(), content_type.into()),
                ("Cache-Control".into(), MEDIA_CACHE_CONTROL.into()),
            ],
        })
    }

    /// Starts a multipart upload; its id.
    pub async fn start_multipart(&self, key: &str, content_type: &str) -> anyhow::Result<String> {
        let object_key = self.object_key(key);
        let output = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(&object_key)
            .content_type(content_type)
            .cache_control(MEDIA_CACHE_CONTROL)
            .send()
            .await
            .with_context(|| format!("starting a multipart upload of {object_key}"))?;
        output
            .upload_id()
            .map(str::to_string)
            .ok_or_else(|| anyhow::anyhow!("S3 started a multipart upload without an id"))
    }

    /// A presigned PUT of part `number` (from 1) of a multipart upload.
    pub async fn presign_part(
        &self,
        key: &str,
        upload_id: &str,
        number: u32,
        expires: Duration,
    ) -> anyhow::Result<SignedUrl> {
        let request = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .upload_id(upload_id)
            .part_number(number as i32)
            .presigned(PresigningConfig::expires_in(expires)?)
            .await
            .context("presigning a part")?;
        Ok(SignedUrl {
            url: request.uri().to_string(),
            headers: Vec::new(),
        })
    }

    /// Completes a multipart upload of `parts` parts from the ETags the client got for them,
    /// or says what is missing. S3 itself checks each part is the one named and, but for the
    /// last, at least 5 MiB; the caller checks the total length.
    pub async fn complete_multipart(
        &self,
        key: &str,
        upload_id: &str,
        parts: u32,
        etags: &[(u32, String)],
    ) -> anyhow::Result<Assembled> {
        for number in 1..=parts {
            if !etags.iter().any(|(n, _)| *n == number) {
                let why = format!("part {number} of {parts} has no ETag; send it and name it");
                return Ok(Assembled::Missing(why));
            }
        }
        let mut completed: Vec<CompletedPart> = etags
            .iter()
            .filter(|(n, _)| (1..=parts).contains(n))
            .map(|(n, etag)| {
                CompletedPart::builder()
                    .part_number(*n as i32)
                    .e_tag(etag)
                    .build()
            })
            .collect();
        completed.sort_by_key(|p| p.part_number());
        completed.dedup_by_key(|p| p.part_number());
        let object_key = self.object_key(key);
        let done = self
            .client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&object_key)
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(completed))
                    .build(),
            )
            .send()
            .await;
        match done {
            Ok(_) => Ok(Assembled::Done),
            // InvalidPart, InvalidPartOrder, EntityTooSmall: a part is not what was named, or
            // arrived short. NoSuchUpload: the upload is gone.
            Err(err) if matches!(status(&err), Some(400 | 404)) => {
                let code = err.as_service_error().and_then(|e| {
                    use aws_sdk_s3::error::ProvideErrorMetadata;
                    e.code().map(str::to_string)
                });
                let why = match code.as_deref() {
                    Some("EntityTooSmall") => "a part arrived short".to_string(),
                    Some("NoSuchUpload") => "the upload is gone".to_string(),
                    Some(code) => format!("S3 refused the parts ({code})"),
                    None => "S3 refused the parts".to_string(),
                };
                Ok(Assembled::Missing(why))
            }
            Err(err) => Err(anyhow::Error::new(err)
                .context(format!("completing the multipart upload of {object_key}"))),
        }
    }

    /// Gives up a multipart upload: S3 drops its parts.
    pub async fn abort_multipart(&self, key: &str, upload_id: &str) -> anyhow::Result<()> {
        let result = self
            .client
            .abort_multipart_upload()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .upload_id(upload_id)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) if status(&err) == Some(404) => Ok(()),
            Err(err) => Err(anyhow::Error::new(err).context("aborting a multipart upload")),
        }
    }

    /// The object's length, if it exists.
    pub async fn length(&self, key: &str) -> anyhow::Result<Option<u64>> {
        let object_key = self.object_key(key);
        let head = self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .send()
            .await;
        match head {
            Ok(output) => Ok(Some(output.content_length().unwrap_or(0).max(0) as u64)),
            Err(err) if status(&err) == Some(404) => Ok(None),
            Err(err) => Err(anyhow::Error::new(err).context(format!("HEAD {object_key}"))),
        }
    }

    /// Up to `len` bytes of the object from `offset` (a ranged GET).
    pub async fn read_range(&self, key: &str, offset: u64, len: u64) -> anyhow::Result<Vec<u8>> {
        if len == 0 {
            return Ok(Vec::new());
        }
        let object_key = self.object_key(key);
        let output = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .range(format!("bytes={offset}-{}", offset + len - 1))
            .send()
            .await
            .with_context(|| format!("GET {object_key} from byte {offset}"))?;
        let body = output.body.collect().await.context("reading a range")?;
        Ok(body.into_bytes().to_vec())
    }

    /// Stores a whole local file as an immutable media object (multipart when large).
    pub async fn put_file(
        &self,
        key: &str,
        path: &std::path::Path,
        content_type: &str,
        part_bytes: u64,
    ) -> anyhow::Result<()> {
        let length = tokio::fs::metadata(path).await?.len();
        if length <= part_bytes {
            let body = ByteStream::from_path(path).await?;
            self.client
                .put_object()
                .bucket(&self.bucket)
                .key(self.object_key(key))
                .content_type(content_type)
                .cache_control(MEDIA_CACHE_CONTROL)
                .body(body)
                .send()
                .await
                .context("storing a copied file")?;
            return Ok(());
        }
        let upload_id = self.start_multipart(key, content_type).await?;
        let parts = length.div_ceil(part_bytes) as u32;
        let mut etags = Vec::with_capacity(parts as usize);
        let sent = async {
            for number in 1..=parts {
                let offset = u64::from(number - 1) * part_bytes;
                let body = ByteStream::read_from()
                    .path(path)
                    .offset(offset)
                    .length(aws_sdk_s3::primitives::Length::UpTo(part_bytes))
                    .build()
                    .await?;
                let sent = self
                    .client
                    .upload_part()
                    .bucket(&self.bucket)
                    .key(self.object_key(key))
                    .upload_id(&upload_id)
                    .part_number(number as i32)
                    .body(body)
                    .send()
                    .await
                    .with_context(|| format!("sending part {number}"))?;
                etags.push((number, sent.e_tag().unwrap_or_default().to_string()));
            }
            match self
                .complete_multipart(key, &upload_id, parts, &etags)
                .await?
            {
                Assembled::Done => Ok(()),
                Assembled::Missing(why) => Err(anyhow::anyhow!("copying: {why}")),
            }
        }
        .await;
        if sent.is_err() {
            let _ = self.abort_multipart(key, &upload_id).await;
        }
        sent
    }
}

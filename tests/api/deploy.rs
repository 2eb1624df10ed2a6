//! The deployment files under deploy/ are checked, not just written.

use std::{path::Path, process::Command};

use crate::kit::python::venv_bin;

fn deploy(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(name)
}

#[test]
fn the_cloudformation_template_passes_cfn_lint() {
    let output = Command::new(venv_bin().join("cfn-lint"))
        .arg(deploy("cloudformation.yaml"))
        .output()
        .expect("cfn-lint runs (scripts/testenv.sh setup installs it)");
    assert!(
        output.status.success(),
        "cfn-lint found problems:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_template_gives_every_setting_podpub_needs_and_serves_from_the_website_endpoint() {
    let template = std::fs::read_to_string(deploy("cloudformation.yaml")).unwrap();
    for output in [
        "PODPUB_PUBLISH_URL",
        "PODPUB_FEED_BASE_URL",
        "PODPUB_CLOUDFRONT_DISTRIBUTION_ID",
        "PODPUB_MEDIA_BASE_URL",
    ] {
        assert!(
            template.contains(output),
            "{output} is not among the outputs"
        );
    }
    // Redirect stubs only become 301s on the website endpoint.
    assert!(template.contains("FeedBucket.WebsiteURL"));
    for action in [
        "s3:PutObject",
        "s3:DeleteObject",
        "cloudfront:CreateInvalidation",
        "s3:AbortMultipartUpload",
    ] {
        assert!(template.contains(action), "the app's policy lacks {action}");
    }
    // Browsers upload straight to the bucket: CORS lets the app's pages PUT and read the ETag
    // of each part; a lifecycle rule aborts the uploads they never completed.
    for needed in [
        "CorsConfiguration",
        "AllowedOrigins: [!Ref AppOrigin]",
        "AllowedMethods: [PUT]",
        "ExposedHeaders: [ETag]",
        "AbortIncompleteMultipartUpload",
    ] {
        assert!(template.contains(needed), "the bucket lacks {needed}");
    }
}

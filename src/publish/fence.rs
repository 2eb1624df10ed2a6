//! Fenced writes: an object changes only if it is still the one this installation last wrote.

use anyhow::bail;

use super::{Condition, Fenced, PutRequest, Stored, Target};

/// How a fenced write ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FenceOutcome {
    Written(Stored),
    /// A newer revision is already there (another worker got there first): nothing to do.
    Superseded {
        revision: i64,
    },
    /// Another installation (or something that is not podpub) owns the object: refuse.
    Foreign {
        installation: Option<String>,
    },
}

/// How often a write is retried when the object changes between our read and our write.
const ATTEMPTS: usize = 5;

/// Writes `body` at `key` if the object is the one we last wrote (`last_etag`), or absent for a
/// first publish. On a failed precondition it reads the object: a newer revision of ours is
/// success, a foreign installation is refused, an older write of ours is retried on its ETag.
pub async fn write_fenced(
    target: &Target,
    key: &str,
    body: &[u8],
    req: PutRequest,
    last_etag: Option<&str>,
) -> anyhow::Result<FenceOutcome> {
    let mut condition = match last_etag {
        Some(etag) => Condition::Matches(etag.to_string()),
        None => Condition::Absent,
    };
    for _ in 0..ATTEMPTS {
        if let Fenced::Stored(stored) = target.put_if(key, body, req.clone(), &condition).await? {
            return Ok(FenceOutcome::Written(stored));
        }
        condition = match target.head(key).await? {
            None => Condition::Absent,
            Some(head) => {
                if head.installation.as_deref() != Some(req.installation.as_str()) {
                    return Ok(FenceOutcome::Foreign {
                        installation: head.installation,
                    });
                }
                if let Some(revision) = head.revision.filter(|r| *r > req.revision) {
                    return Ok(FenceOutcome::Superseded { revision });
                }
                Condition::Matches(head.etag)
            }
        };
    }
    bail!("the object at {key} kept changing while we wrote it; will retry")
}

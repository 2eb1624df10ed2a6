//! The request deadline, shared by the web tier and the use cases so that it cannot fire once a
//! write has committed: the middleware expires a request only while it is still running, and a
//! use case commits only if it was not expired first. Either the client gets the answer of a
//! committed write, or nothing was written.

use std::{
    future::Future,
    sync::{
        atomic::{AtomicU8, Ordering},
        Arc,
    },
};

use sqlx::{Postgres, Transaction};

use super::{Error, Result};

const RUNNING: u8 = 0;
const COMMITTING: u8 = 1;
const EXPIRED: u8 = 2;

/// The state of one request's deadline: running, then either committing or expired, for good.
#[derive(Debug, Default)]
pub struct Deadline(AtomicU8);

impl Deadline {
    /// Marks the request as expired, unless it is already committing: then it must be
    /// waited for, and this returns `false`.
    pub fn expire(&self) -> bool {
        match self
            .0
            .compare_exchange(RUNNING, EXPIRED, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => true,
            Err(state) => state == EXPIRED,
        }
    }

    /// Claims the right to commit; `false` if the deadline has passed.
    fn begin_commit(&self) -> bool {
        match self
            .0
            .compare_exchange(RUNNING, COMMITTING, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => true,
            Err(state) => state == COMMITTING,
        }
    }
}

tokio::task_local! {
    static DEADLINE: Arc<Deadline>;
}

/// Runs `work` (a request) under `deadline`: the use cases it calls commit through [`commit`].
pub async fn scope<F: Future>(deadline: Arc<Deadline>, work: F) -> F::Output {
    DEADLINE.scope(deadline, work).await
}

/// Commits `tx`, unless the request's deadline has passed: then it rolls back and answers
/// 503, as the client has been told already. Outside a request (the command line, jobs), it
/// just commits. Every use case commits through here.
pub async fn commit(tx: Transaction<'_, Postgres>) -> Result<()> {
    let may = DEADLINE.try_with(|d| d.begin_commit()).unwrap_or(true);
    if !may {
        tx.rollback().await?;
        return Err(Error::Unavailable);
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_either_commits_or_expires_never_both() {
        let d = Deadline::default();
        assert!(d.begin_commit());
        assert!(!d.expire(), "a committing request is waited for");
        assert!(
            d.begin_commit(),
            "a second commit of the same request may go on"
        );

        let d = Deadline::default();
        assert!(d.expire());
        assert!(!d.begin_commit(), "an expired request rolls back");
        assert!(d.expire());
    }
}

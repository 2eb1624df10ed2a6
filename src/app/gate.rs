//! One write transaction per show at a time in this process.
//!
//! Writes to a show take turns at its row lock in Postgres anyway. Without this gate, a burst
//! of writes to one show would each hold a pooled connection while they wait for that lock,
//! and one busy show could take the whole pool and stall every other show's requests. With it,
//! the writers queue here, in memory, in order, and a show holds at most one connection per
//! process for its writes. A writer that waits longer than PODPUB_ACQUIRE_TIMEOUT_MS gets 503
//! with `Retry-After`, as when the pool is empty.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::Error;

#[derive(Debug, Default)]
pub struct ShowGate {
    turns: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// A turn at writing one show; the next writer goes when it drops.
#[derive(Debug)]
pub struct Turn<'a> {
    gate: &'a ShowGate,
    slug: String,
    permit: Option<OwnedSemaphorePermit>,
}

impl ShowGate {
    /// Waits for this process's turn to write the show at `slug`, up to `limit`.
    pub async fn enter(&self, slug: &str, limit: Duration) -> Result<Turn<'_>, Error> {
        let semaphore = {
            let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
            turns
                .entry(slug.to_string())
                .or_insert_with(|| Arc::new(Semaphore::new(1)))
                .clone()
        };
        let mut turn = Turn {
            gate: self,
            slug: slug.to_string(),
            permit: None,
        };
        let acquired = tokio::time::timeout(limit, semaphore.acquire_owned()).await;
        match acquired {
            Ok(permit) => {
                turn.permit = Some(permit.expect("the semaphore is never closed"));
                Ok(turn)
            }
            // `turn` drops here, forgetting the entry if nobody else wants it.
            Err(_) => Err(Error::Unavailable),
        }
    }

    /// Shows with a writer or a waiter.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.turns.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut turns = self.gate.turns.lock().unwrap_or_else(|e| e.into_inner());
        drop(self.permit.take());
        // The map's own handle is the only one left: nobody holds or awaits this show.
        if turns
            .get(&self.slug)
            .is_some_and(|s| Arc::strong_count(s) == 1)
        {
            turns.remove(&self.slug);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[tokio::test]
    async fn writers_of_one_show_take_turns_and_other_shows_go_at_once() {
        let gate = ShowGate::default();
        let first = gate.enter("busy", SECOND).await.unwrap();
        assert!(gate.enter("other", SECOND).await.is_ok());
        let waited = gate.enter("busy", Duration::from_millis(50)).await;
        assert!(matches!(waited, Err(Error::Unavailable)));
        drop(first);
        assert!(gate.enter("busy", SECOND).await.is_ok());
        assert!(gate.is_empty(), "finished turns leave nothing behind");
    }

    #[tokio::test]
    async fn a_waiter_goes_as_soon_as_the_writer_is_done() {
        let gate = Arc::new(ShowGate::default());
        let first = gate.enter("busy", SECOND).await.unwrap();
        let waiter = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.enter("busy", SECOND).await.is_ok() })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(gate.len(), 1, "the waiter keeps the entry");
        drop(first);
        assert!(waiter.await.unwrap());
        assert!(gate.is_empty());
    }
}

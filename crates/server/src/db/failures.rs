//! Logs of failed attempts (wrong passwords, wrong lookups), by salted key, for the limits that
//! stop guessing. An attempt is counted *before* the check it guards (a reservation) and the
//! count is read under the write lock, so N guesses sent at once cost at most the limit; an
//! attempt that succeeds takes its reservation back.

use yizhan_core::Timestamp;

use super::{Db, DbError};

/// Which log: each limit counts in its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempts {
    /// Sign-ins with a wrong password, by hashed account name, account and address, and address.
    SignIn,
    /// Application lookups that matched nothing (and refused duplicates), by hashed reference
    /// and address.
    Lookup,
}

impl Attempts {
    fn table(self) -> &'static str {
        match self {
            Attempts::SignIn => "sign_in_failures",
            Attempts::Lookup => "lookup_failures",
        }
    }
}

/// One attempt counted in advance under some keys; [`Db::release`] takes it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reservation {
    log: Attempts,
    attempt: String,
}

/// What [`Db::reserve`] decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reserved {
    /// Under every limit: the attempt is counted, with each key's count including it.
    Granted {
        /// Take it back with [`Db::release`] when the attempt succeeds.
        reservation: Reservation,
        /// Each key's failures in the window, this attempt included, in the order given.
        counts: Vec<i64>,
    },
    /// The key at this index is at its limit; nothing was counted.
    Refused {
        /// Index into the limits given.
        key: usize,
        /// The oldest failure in the window under that key.
        first: Option<Timestamp>,
    },
}

/// One key's failures in the window: how many, and the oldest (none when there are none).
#[derive(sqlx::FromRow)]
struct Window {
    n: i64,
    first: Option<i64>,
}

impl Db {
    /// Counts one attempt under each `(key, limit)` unless a key already has `limit` failures
    /// after `since`. The rows are written first, so the transaction holds the write lock while
    /// it counts: parallel attempts are counted one after another. `attempt` is a fresh random
    /// id naming this attempt's rows.
    pub async fn reserve(
        &self,
        log: Attempts,
        limits: &[(&str, i64)],
        attempt: &str,
        since: Timestamp,
        now: Timestamp,
    ) -> Result<Reserved, DbError> {
        let insert = format!(
            "INSERT INTO {} (key_hash, at, attempt) VALUES ($1, $2, $3)",
            log.table()
        );
        let count = format!(
            "SELECT COUNT(*) AS n, MIN(at) AS first FROM {} WHERE key_hash = $1 AND at > $2",
            log.table()
        );
        let mut tx = self.write_tx().await?;
        for (key, _) in limits {
            sqlx::query(&insert)
                .bind(key)
                .bind(now.unix())
                .bind(attempt)
                .execute(&mut *tx)
                .await?;
        }
        let mut counts = Vec::with_capacity(limits.len());
        for (i, (key, limit)) in limits.iter().enumerate() {
            let window: Window = sqlx::query_as(&count)
                .bind(key)
                .bind(since.unix())
                .fetch_one(&mut *tx)
                .await?;
            if window.n > *limit {
                let first = window.first.map(Timestamp::from_unix);
                tx.rollback().await?;
                return Ok(Reserved::Refused { key: i, first });
            }
            counts.push(window.n);
        }
        tx.commit().await?;
        Ok(Reserved::Granted {
            reservation: Reservation {
                log,
                attempt: attempt.to_owned(),
            },
            counts,
        })
    }

    /// Takes back a reservation: the attempt succeeded (or was never made).
    pub async fn release(&self, r: &Reservation) -> Result<(), DbError> {
        sqlx::query(&format!("DELETE FROM {} WHERE attempt = $1", r.log.table()))
            .bind(&r.attempt)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets the failures under `key` (after a good sign-in).
    pub async fn clear_failures(&self, log: Attempts, key: &str) -> Result<(), DbError> {
        sqlx::query(&format!("DELETE FROM {} WHERE key_hash = $1", log.table()))
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes failures of both logs older than `before`; how many.
    pub async fn purge_failures(&self, before: Timestamp) -> Result<u64, DbError> {
        let mut n = 0;
        for log in [Attempts::SignIn, Attempts::Lookup] {
            n += sqlx::query(&format!("DELETE FROM {} WHERE at < $1", log.table()))
                .bind(before.unix())
                .execute(&self.pool)
                .await?
                .rows_affected();
        }
        Ok(n)
    }
}

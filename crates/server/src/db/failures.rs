//! Logs of failed attempts (wrong passwords, wrong lookups), by salted key, for the limits that
//! lock an account, a reference or an address for a while.

use sqlx::Row;
use yizhan_core::Timestamp;

use super::{Db, DbError};

/// Which log: each limit counts in its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempts {
    /// Sign-ins with a wrong password, by hashed account name and address.
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

impl Db {
    /// Records one failure under each key, together.
    pub async fn record_failure(
        &self,
        log: Attempts,
        keys: &[&str],
        now: Timestamp,
    ) -> Result<(), DbError> {
        let sql = format!("INSERT INTO {} (key_hash, at) VALUES (?, ?)", log.table());
        let mut tx = self.pool.begin().await?;
        for k in keys {
            sqlx::query(&sql)
                .bind(k)
                .bind(now.unix())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Failures under `key` after `since`: how many, and the oldest one's time.
    pub async fn failures(
        &self,
        log: Attempts,
        key: &str,
        since: Timestamp,
    ) -> Result<(i64, Option<Timestamp>), DbError> {
        let sql = format!(
            "SELECT COUNT(*) AS n, MIN(at) AS first FROM {} WHERE key_hash = ? AND at > ?",
            log.table()
        );
        let row = sqlx::query(&sql)
            .bind(key)
            .bind(since.unix())
            .fetch_one(&self.pool)
            .await?;
        Ok((
            row.try_get("n")?,
            row.try_get::<Option<i64>, _>("first")?
                .map(Timestamp::from_unix),
        ))
    }

    /// Forgets the failures under `key` (after a good sign-in).
    pub async fn clear_failures(&self, log: Attempts, key: &str) -> Result<(), DbError> {
        sqlx::query(&format!("DELETE FROM {} WHERE key_hash = ?", log.table()))
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

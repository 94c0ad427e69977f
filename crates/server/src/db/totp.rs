//! Two-step sign-in records: each account's authenticator secret and its recovery codes.

use yizhan_core::Timestamp;

use super::staff::audit;
use super::{AuditRecord, Db, DbError};

/// An account's authenticator secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpRow {
    /// Base32.
    pub secret: String,
    /// Set up (the first code was right); `false` while set-up waits for it.
    pub confirmed: bool,
    /// The step of the last code accepted.
    pub last_step: Option<i64>,
}

/// An authenticator secret as stored.
#[derive(sqlx::FromRow)]
struct TotpRecord {
    secret: String,
    confirmed_at: Option<i64>,
    last_step: Option<i64>,
}

impl TotpRecord {
    /// Only whether set-up finished matters, not when.
    fn into_totp(self) -> TotpRow {
        TotpRow {
            secret: self.secret,
            confirmed: self.confirmed_at.is_some(),
            last_step: self.last_step,
        }
    }
}

impl Db {
    /// The account's secret, if set up or being set up.
    pub async fn totp(&self, account_id: &str) -> Result<Option<TotpRow>, DbError> {
        let row: Option<TotpRecord> = sqlx::query_as(
            "SELECT secret, confirmed_at, last_step FROM account_totp WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(TotpRecord::into_totp))
    }

    /// Starts set-up with a new secret (replacing one still waiting for its first code);
    /// `false` when two-step is already set up.
    pub async fn begin_totp(&self, account_id: &str, secret: &str) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO account_totp (account_id, secret) VALUES ($1, $2) \
             ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret \
             WHERE account_totp.confirmed_at IS NULL",
        )
        .bind(account_id)
        .bind(secret)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Finishes set-up: the first code's step, the recovery codes' hashes, the end of every
    /// other session of the account, and the log entry, together. `false` if set-up was not waiting (done already, or reset meanwhile).
    pub async fn confirm_totp(
        &self,
        account_id: &str,
        keep_session: &str,
        step: i64,
        recovery_hashes: &[String],
        rec: &AuditRecord,
        now: Timestamp,
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE account_totp SET confirmed_at = $1, last_step = $2 \
             WHERE account_id = $3 AND confirmed_at IS NULL",
        )
        .bind(now.unix())
        .bind(step)
        .bind(account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
            .bind(account_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
                .bind(account_id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records that a code of `step` was used, unless a code of that step or a later one was
    /// used first (`false`: a replay, or two sign-ins racing with one code).
    pub async fn use_totp_step(&self, account_id: &str, step: i64) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE account_totp SET last_step = $1 WHERE account_id = $2 \
             AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $3)",
        )
        .bind(step)
        .bind(account_id)
        .bind(step)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Uses up a recovery code, logging it; `false` if it is not one of the account's unused
    /// codes.
    pub async fn use_recovery_code(
        &self,
        account_id: &str,
        hash: &str,
        rec: &AuditRecord,
        now: Timestamp,
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now.unix())
        .bind(account_id)
        .bind(hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Unused recovery codes left.
    pub async fn recovery_codes_left(&self, account_id: &str) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(account_id)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Removes two-step (an admin's reset for someone who lost their phone) and ends the
    /// account's sessions, logging it; `false` if it had none.
    pub async fn reset_totp(
        &self,
        account_id: &str,
        rec: &AuditRecord,
        now: Timestamp,
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("DELETE FROM account_totp WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        if done == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}

//! Accounts, their stations, sessions and failed sign-ins. Passwords arrive already hashed;
//! session ids arrive as hashes of the cookie.

use std::collections::HashMap;

use yizhan_core::{Account, Role, StationId, Timestamp, UnionId, UnionRef, Username};

use super::staff::audit;
use super::{corrupt, AuditRecord, Db, DbError};

/// What an admin changes on an account; `None` leaves a part as it is.
#[derive(Clone, Copy, Debug, Default)]
pub struct AccountUpdate<'a> {
    /// The stations a manager keeps.
    pub stations: Option<&'a [StationId]>,
    /// Disabled (ends its sessions) or enabled.
    pub disabled: Option<bool>,
    /// The shown name.
    pub display_name: Option<&'a str>,
}

/// An account with what sign-in needs.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The account.
    pub account: Account,
    /// Its Argon2id PHC string.
    pub password_hash: String,
}

/// A session joined with its account.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// The account.
    pub account: Account,
    /// CSRF token of the session.
    pub csrf_token: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was last used.
    pub last_seen_at: Timestamp,
}

/// A new account to store.
#[derive(Clone, Debug)]
pub struct AccountRow<'a> {
    /// Random id.
    pub id: &'a str,
    /// Sign-in name.
    pub username: &'a Username,
    /// Display name.
    pub display_name: &'a str,
    /// Role.
    pub role: Role,
    /// Union.
    pub union_id: &'a UnionId,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
    /// Stations a manager keeps.
    pub stations: &'a [StationId],
}

const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.display_name, a.role, a.union_id, \
     u.name AS union_name, CAST(a.disabled AS INTEGER) AS disabled, \
     CAST(EXISTS (SELECT 1 FROM account_totp t \
     WHERE t.account_id = a.id AND t.confirmed_at IS NOT NULL) AS INTEGER) AS two_step";

/// Which accounts a read wants; each names its own SQL.
enum Who<'a> {
    /// Every account (the command line).
    Everyone,
    /// One account by id.
    One(&'a str),
    /// The accounts of these unions (an admin's scope).
    InUnions(&'a [UnionId]),
}

/// An account as stored (stations apart).
#[derive(sqlx::FromRow)]
struct AccountRecord {
    id: String,
    username: String,
    display_name: String,
    role: String,
    union_id: String,
    union_name: String,
    disabled: i64,
    two_step: i64,
}

impl AccountRecord {
    /// Parses the row into the domain's account with the stations it keeps; a row that no
    /// longer parses is corrupt.
    fn into_account(self, stations: Vec<StationId>) -> Result<Account, DbError> {
        let bad = |e: &dyn std::fmt::Display| corrupt("accounts", &self.id, e);
        Ok(Account {
            username: Username::parse(&self.username).map_err(|e| bad(&e.as_str()))?,
            role: Role::parse(&self.role).ok_or_else(|| bad(&self.role))?,
            union: UnionRef {
                id: UnionId::parse(&self.union_id).map_err(|e| bad(&e))?,
                name: self.union_name,
            },
            stations,
            disabled: self.disabled != 0,
            two_step: self.two_step != 0,
            display_name: self.display_name,
            id: self.id,
        })
    }
}

/// An account's id and password hash, as sign-in reads them.
#[derive(sqlx::FromRow)]
struct PasswordRecord {
    id: String,
    password_hash: String,
}

/// A session as stored.
#[derive(sqlx::FromRow)]
struct SessionRecord {
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    #[sqlx(flatten)]
    account: AccountRecord,
    /// One station the account keeps (a row each; NULL when it keeps none).
    kept: Option<String>,
}

impl SessionRecord {
    /// The session with its account and the stations it keeps.
    fn into_session(self, kept: Vec<StationId>) -> Result<SessionRow, DbError> {
        Ok(SessionRow {
            account: self.account.into_account(kept)?,
            csrf_token: self.csrf_token,
            created_at: Timestamp::from_unix(self.created_at),
            last_seen_at: Timestamp::from_unix(self.last_seen_at),
        })
    }
}

/// A session as its account's list shows it.
#[derive(sqlx::FromRow)]
struct DeviceSession {
    id_hash: String,
    device: Option<String>,
    created_at: i64,
    last_seen_at: i64,
}

impl DeviceSession {
    /// (id hash, device, created, last seen); a session without a device shows "".
    fn into_parts(self) -> (String, String, Timestamp, Timestamp) {
        (
            self.id_hash,
            self.device.unwrap_or_default(),
            Timestamp::from_unix(self.created_at),
            Timestamp::from_unix(self.last_seen_at),
        )
    }
}

/// A manager's station as stored.
#[derive(sqlx::FromRow)]
struct KeptStation {
    account_id: String,
    station_id: String,
}

impl Db {
    /// The stations each of `ids` keeps, read for those accounts only.
    async fn stations_of(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<StationId>>, DbError> {
        let mut out: HashMap<String, Vec<StationId>> = HashMap::new();
        for slice in ids.chunks(500) {
            let sql = format!(
                "SELECT account_id, station_id FROM account_stations \
                 WHERE account_id IN ({}) ORDER BY account_id, station_id",
                super::marks(1, slice.len())
            );
            let mut q = sqlx::query_as::<_, KeptStation>(&sql);
            for id in slice {
                q = q.bind(id.as_str());
            }
            for r in q.fetch_all(&self.pool).await? {
                let station = StationId::parse(&r.station_id)
                    .map_err(|e| corrupt("account_stations", &r.account_id, e))?;
                out.entry(r.account_id).or_default().push(station);
            }
        }
        Ok(out)
    }

    async fn load_accounts(&self, who: Who<'_>) -> Result<Vec<Account>, DbError> {
        let filter = match who {
            Who::Everyone => String::new(),
            Who::One(_) => "WHERE a.id = $1".to_owned(),
            Who::InUnions(unions) => {
                format!("WHERE a.union_id IN ({})", super::marks(1, unions.len()))
            }
        };
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a JOIN unions u ON u.id = a.union_id {filter} \
             ORDER BY a.username"
        );
        let mut q = sqlx::query_as::<_, AccountRecord>(&sql);
        match who {
            Who::Everyone => {}
            Who::One(id) => q = q.bind(id),
            Who::InUnions(unions) => {
                for u in unions {
                    q = q.bind(u.as_str());
                }
            }
        }
        let rows = q.fetch_all(&self.pool).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut stations = self.stations_of(&ids).await?;
        rows.into_iter()
            .map(|r| {
                let kept = stations.remove(&r.id).unwrap_or_default();
                r.into_account(kept)
            })
            .collect()
    }

    /// One account by id.
    pub async fn account(&self, id: &str) -> Result<Option<Account>, DbError> {
        Ok(self.load_accounts(Who::One(id)).await?.pop())
    }

    /// Every account (the command line; staff requests read [`Db::accounts_in`]).
    pub async fn accounts(&self) -> Result<Vec<Account>, DbError> {
        self.load_accounts(Who::Everyone).await
    }

    /// The accounts of `unions`.
    pub async fn accounts_in(&self, unions: &[UnionId]) -> Result<Vec<Account>, DbError> {
        if unions.is_empty() {
            return Ok(Vec::new());
        }
        self.load_accounts(Who::InUnions(unions)).await
    }

    /// The account and password hash for a username.
    pub async fn credentials(&self, username: &Username) -> Result<Option<Credentials>, DbError> {
        let row: Option<PasswordRecord> =
            sqlx::query_as("SELECT id, password_hash FROM accounts WHERE username = $1")
                .bind(username.as_str())
                .fetch_optional(&self.pool)
                .await?;
        let Some(PasswordRecord { id, password_hash }) = row else {
            return Ok(None);
        };
        Ok(self.account(&id).await?.map(|account| Credentials {
            account,
            password_hash,
        }))
    }

    /// The password hash of an account.
    pub async fn password_hash(&self, id: &str) -> Result<Option<String>, DbError> {
        Ok(
            sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Stores a new account; a taken username is a unique violation.
    /// `rec` is logged in the same transaction.
    pub async fn insert_account(
        &self,
        a: &AccountRow<'_>,
        now: Timestamp,
        rec: &AuditRecord,
    ) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO accounts (id, username, display_name, role, union_id, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(a.id)
        .bind(a.username.as_str())
        .bind(a.display_name)
        .bind(a.role.as_str())
        .bind(a.union_id.as_str())
        .bind(a.password_hash)
        .bind(now.unix())
        .execute(&mut *tx)
        .await?;
        for s in a.stations {
            sqlx::query("INSERT INTO account_stations (account_id, station_id) VALUES ($1, $2)")
                .bind(a.id)
                .bind(s.as_str())
                .execute(&mut *tx)
                .await?;
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an account (its sessions and station assignments go with it); `rec` is logged in
    /// the same transaction.
    pub async fn delete_account(
        &self,
        id: &str,
        rec: &AuditRecord,
        now: Timestamp,
    ) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        for sql in [
            "DELETE FROM sessions WHERE account_id = $1",
            "DELETE FROM account_stations WHERE account_id = $1",
            "DELETE FROM accounts WHERE id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes an account's stations, disabled flag or display name. Disabling ends its sessions.
    /// `rec` is logged in the same transaction.
    pub async fn update_account(
        &self,
        id: &str,
        change: AccountUpdate<'_>,
        rec: &AuditRecord,
        now: Timestamp,
    ) -> Result<(), DbError> {
        let AccountUpdate {
            stations,
            disabled,
            display_name,
        } = change;
        let mut tx = self.write_tx().await?;
        if let Some(list) = stations {
            sqlx::query("DELETE FROM account_stations WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for s in list {
                sqlx::query(
                    "INSERT INTO account_stations (account_id, station_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(s.as_str())
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(d) = disabled {
            sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
                .bind(d)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if d {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if let Some(n) = display_name {
            sqlx::query("UPDATE accounts SET display_name = $1 WHERE id = $2")
                .bind(n)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password hash and ends every session of the account but `keep` (a hash);
    /// `rec` is logged in the same transaction.
    pub async fn set_password(
        &self,
        id: &str,
        hash: &str,
        keep: Option<&str>,
        rec: &AuditRecord,
        now: Timestamp,
    ) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash IS DISTINCT FROM $2")
            .bind(id)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session.
    pub async fn insert_session(
        &self,
        id_hash: &str,
        account_id: &str,
        csrf_token: &str,
        device: &str,
        now: Timestamp,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, csrf_token, device, created_at, \
             last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id_hash)
        .bind(account_id)
        .bind(csrf_token)
        .bind(device)
        .bind(now.unix())
        .bind(now.unix())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The sessions of an account, most recently used first: (id hash, device, created,
    /// last seen).
    pub async fn sessions_of(
        &self,
        account_id: &str,
    ) -> Result<Vec<(String, String, Timestamp, Timestamp)>, DbError> {
        let rows: Vec<DeviceSession> = sqlx::query_as(
            "SELECT id_hash, device, created_at, last_seen_at FROM sessions \
             WHERE account_id = $1 ORDER BY last_seen_at DESC, created_at DESC",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(DeviceSession::into_parts).collect())
    }

    /// Deletes sessions idle since `idle_before` or opened before `opened_before`; how many.
    pub async fn purge_sessions(
        &self,
        idle_before: Timestamp,
        opened_before: Timestamp,
    ) -> Result<u64, DbError> {
        Ok(
            sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
                .bind(idle_before.unix())
                .bind(opened_before.unix())
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    /// A session and its (enabled) account.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>, DbError> {
        // One query for the session, its account and the stations it keeps (a row each): every
        // staff request starts here, and on a fleet's PostgreSQL each round trip counts.
        let sql = format!(
            "SELECT s.csrf_token, s.created_at, s.last_seen_at, {ACCOUNT_COLUMNS}, \
             k.station_id AS kept FROM sessions s \
             JOIN accounts a ON a.id = s.account_id JOIN unions u ON u.id = a.union_id \
             LEFT JOIN account_stations k ON k.account_id = a.id \
             WHERE s.id_hash = $1 AND NOT a.disabled ORDER BY k.station_id"
        );
        let rows: Vec<SessionRecord> = sqlx::query_as(&sql)
            .bind(id_hash)
            .fetch_all(&self.pool)
            .await?;
        let mut kept = Vec::with_capacity(rows.len());
        let mut first = None;
        for r in rows {
            if let Some(station) = &r.kept {
                kept.push(
                    StationId::parse(station)
                        .map_err(|e| corrupt("account_stations", &r.account.id, e))?,
                );
            }
            first.get_or_insert(r);
        }
        first.map(|r| r.into_session(kept)).transpose()
    }

    /// Marks a session used now.
    pub async fn touch_session(&self, id_hash: &str, now: Timestamp) -> Result<(), DbError> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now.unix())
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends one session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every session of an account ("sign out everywhere").
    pub async fn delete_sessions_of(&self, account_id: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A secret made once per database (created on first use), e.g. the salt of sign-in keys.
    pub async fn secret(&self, name: &str) -> Result<Vec<u8>, DbError> {
        if let Some(v) = self
            .secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
        {
            return Ok(v.clone());
        }
        let stored: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT value FROM secrets WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        let value = match stored {
            Some(v) => v,
            None => {
                // Made once per database; two servers making it at once keep the first.
                sqlx::query(
                    "INSERT INTO secrets (name, value) VALUES ($1, $2) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .bind(super::random_bytes::<32>()?.to_vec())
                .execute(&self.pool)
                .await?;
                sqlx::query_scalar("SELECT value FROM secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await?
            }
        };
        self.secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), value.clone());
        Ok(value)
    }
}

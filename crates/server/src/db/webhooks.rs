//! Unions' group-chat robots and the posts made to them: set and read by admins, queued by
//! fault reports and the stale scan, claimed and marked by the sender (crate::webhook).

use yizhan_core::{
    DeliveryState, StationId, Timestamp, UnionId, WebhookDelivery, WebhookDraft, WebhookEvent,
    WebhookFormat,
};

use super::staff::{audit, AuditRecord};
use super::{corrupt, hour_of, marks, Db, DbError};

/// A post due to be made, with where and what to post.
#[derive(Clone, Debug, PartialEq)]
pub struct DuePost {
    /// The delivery's id.
    pub id: i64,
    /// Its `next_at` when read: the claim only succeeds if nobody moved it since.
    pub next_at: i64,
    /// Tries made before this one.
    pub attempts: u32,
    /// The robot's address.
    pub url: String,
    /// Its format.
    pub format: WebhookFormat,
    /// What it is about.
    pub event: WebhookEvent,
    /// The report's kind and amenity (`amenity_broken:microwave`), the expired status's
    /// confirmation time for a stale station, or empty.
    pub detail: String,
    /// The station, if any: its id, name and district.
    pub station: Option<(String, String, String)>,
    /// When it happened.
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct DueRecord {
    id: i64,
    next_at: i64,
    attempts: i64,
    url: String,
    format: String,
    event: String,
    detail: String,
    station_id: Option<String>,
    name: Option<String>,
    district: Option<String>,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct DeliveryRecord {
    event: String,
    name: Option<String>,
    created_at: i64,
    attempts: i64,
    sent_at: Option<i64>,
    failed_at: Option<i64>,
    last_status: Option<i64>,
}

/// What one try came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryOutcome {
    /// The robot took it.
    Sent,
    /// It failed; try again at this time.
    RetryAt(Timestamp),
    /// It failed for the last time.
    GiveUp,
}

impl Db {
    /// The robot of `union`: its address and format.
    pub async fn union_webhook(
        &self,
        union: &UnionId,
    ) -> Result<Option<(String, WebhookFormat)>, DbError> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT url, format FROM union_webhooks WHERE union_id = $1")
                .bind(union.as_str())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(url, format)| {
            WebhookFormat::parse(&format)
                .map(|f| (url, f))
                .ok_or_else(|| corrupt("union_webhooks", union.as_str(), "format"))
        })
        .transpose()
    }

    /// Sets (or with `None` removes) the robot of `union`, and logs it, in one transaction.
    pub async fn set_union_webhook(
        &self,
        union: &UnionId,
        hook: Option<&WebhookDraft>,
        now: Timestamp,
        rec: &AuditRecord,
    ) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        match hook {
            Some(h) => {
                sqlx::query(
                    "INSERT INTO union_webhooks (union_id, url, format, updated_at) \
                     VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (union_id) DO UPDATE \
                     SET url = excluded.url, format = excluded.format, updated_at = excluded.updated_at",
                )
                .bind(union.as_str())
                .bind(&h.url)
                .bind(h.format.as_str())
                .bind(now.unix())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM union_webhooks WHERE union_id = $1")
                    .bind(union.as_str())
                    .execute(&mut *tx)
                    .await?;
                // Posts not yet made would go nowhere.
                sqlx::query(
                    "UPDATE webhook_deliveries SET failed_at = $2 \
                     WHERE union_id = $1 AND sent_at IS NULL AND failed_at IS NULL",
                )
                .bind(union.as_str())
                .bind(now.unix())
                .execute(&mut *tx)
                .await?;
            }
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest posts of `union`, newest first.
    pub async fn webhook_deliveries(
        &self,
        union: &UnionId,
        limit: i64,
    ) -> Result<Vec<WebhookDelivery>, DbError> {
        let rows: Vec<DeliveryRecord> = sqlx::query_as(
            "SELECT d.event, s.name, d.created_at, d.attempts, d.sent_at, d.failed_at, d.last_status \
             FROM webhook_deliveries d LEFT JOIN stations s ON s.id = d.station_id \
             WHERE d.union_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2",
        )
        .bind(union.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(WebhookDelivery {
                    event: WebhookEvent::parse(&r.event)
                        .ok_or_else(|| corrupt("webhook_deliveries", &r.event, "event"))?,
                    station: r.name,
                    created_at: Timestamp::from_unix(r.created_at),
                    state: match (r.sent_at, r.failed_at) {
                        (Some(_), _) => DeliveryState::Sent,
                        (None, Some(_)) => DeliveryState::Failed,
                        (None, None) => DeliveryState::Waiting,
                    },
                    attempts: u32::try_from(r.attempts).unwrap_or(0),
                    last_status: r.last_status.and_then(|s| u16::try_from(s).ok()),
                })
            })
            .collect()
    }

    /// Queues a post about `station` (none for a test) to the robot of every union in
    /// `unions` that has one, unless that union already had one about the station this hour;
    /// how many were queued. Runs inside the caller's transaction when given one.
    pub(crate) async fn queue_webhook_posts(
        conn: &mut sqlx::AnyConnection,
        unions: &[UnionId],
        station: Option<&StationId>,
        event: WebhookEvent,
        detail: &str,
        now: Timestamp,
    ) -> Result<u64, DbError> {
        if unions.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "INSERT INTO webhook_deliveries \
               (union_id, station_id, event, detail, hour, created_at, next_at) \
             SELECT union_id, $1, $2, $3, $4, $5, $5 FROM union_webhooks \
             WHERE union_id IN ({}) \
             ON CONFLICT (union_id, station_id, hour) DO NOTHING",
            marks(6, unions.len())
        );
        let mut q = sqlx::query(&sql)
            .bind(station.map(StationId::as_str))
            .bind(event.as_str())
            .bind(detail)
            .bind(hour_of(now))
            .bind(now.unix());
        for u in unions {
            q = q.bind(u.as_str());
        }
        Ok(q.execute(&mut *conn).await?.rows_affected())
    }

    /// Queues a test post to `union`'s robot; whether it has one.
    pub async fn queue_webhook_test(
        &self,
        union: &UnionId,
        now: Timestamp,
    ) -> Result<bool, DbError> {
        let mut conn = self.pool.acquire().await?;
        let n = Db::queue_webhook_posts(
            &mut conn,
            std::slice::from_ref(union),
            None,
            WebhookEvent::Test,
            "",
            now,
        )
        .await?;
        Ok(n > 0)
    }

    /// Posts due at `now`, oldest first, with where and what to post.
    pub async fn due_webhook_posts(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<DuePost>, DbError> {
        let rows: Vec<DueRecord> = sqlx::query_as(
            "SELECT d.id, d.next_at, d.attempts, w.url, w.format, d.event, d.detail, \
                    d.station_id, s.name, s.district, d.created_at \
             FROM webhook_deliveries d \
             JOIN union_webhooks w ON w.union_id = d.union_id \
             LEFT JOIN stations s ON s.id = d.station_id \
             WHERE d.sent_at IS NULL AND d.failed_at IS NULL AND d.next_at <= $1 \
             ORDER BY d.next_at, d.id LIMIT $2",
        )
        .bind(now.unix())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let id = r.id.to_string();
                Ok(DuePost {
                    id: r.id,
                    next_at: r.next_at,
                    attempts: u32::try_from(r.attempts).unwrap_or(0),
                    url: r.url,
                    format: WebhookFormat::parse(&r.format)
                        .ok_or_else(|| corrupt("union_webhooks", &id, "format"))?,
                    event: WebhookEvent::parse(&r.event)
                        .ok_or_else(|| corrupt("webhook_deliveries", &id, "event"))?,
                    detail: r.detail,
                    station: match (r.station_id, r.name, r.district) {
                        (Some(id), Some(name), Some(district)) => Some((id, name, district)),
                        _ => None,
                    },
                    created_at: Timestamp::from_unix(r.created_at),
                })
            })
            .collect()
    }

    /// Takes `post` for one try until `until` (past the request's timeout); `false` when
    /// another instance took it first.
    pub async fn claim_webhook_post(
        &self,
        post: &DuePost,
        until: Timestamp,
    ) -> Result<bool, DbError> {
        let n = sqlx::query(
            "UPDATE webhook_deliveries SET next_at = $3, attempts = attempts + 1 \
             WHERE id = $1 AND next_at = $2 AND sent_at IS NULL AND failed_at IS NULL",
        )
        .bind(post.id)
        .bind(post.next_at)
        .bind(until.unix())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Records what a try of post `id` came to.
    pub async fn finish_webhook_try(
        &self,
        id: i64,
        status: Option<u16>,
        outcome: TryOutcome,
        now: Timestamp,
    ) -> Result<(), DbError> {
        let (sent, failed, next) = match outcome {
            TryOutcome::Sent => (Some(now.unix()), None, now.unix()),
            TryOutcome::GiveUp => (None, Some(now.unix()), now.unix()),
            TryOutcome::RetryAt(t) => (None, None, t.unix()),
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET sent_at = $2, failed_at = $3, next_at = $4, last_status = $5 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(sent)
        .bind(failed)
        .bind(next)
        .bind(status.map(i64::from))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Whether any union has a robot (the stale scan has nothing to do otherwise).
    pub async fn any_webhook(&self) -> Result<bool, DbError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM union_webhooks")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// How far the stale scan has looked; the first call starts it at `now`.
    pub async fn webhook_scanned_to(&self, now: Timestamp) -> Result<Timestamp, DbError> {
        sqlx::query(
            "INSERT INTO webhook_scan (id, scanned_to) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(now.unix())
        .execute(&self.pool)
        .await?;
        let t: i64 = sqlx::query_scalar("SELECT scanned_to FROM webhook_scan WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(Timestamp::from_unix(t))
    }

    /// Visible stations whose status expired in `(after, until]`, each with its union and the
    /// time it was last confirmed.
    pub async fn stations_gone_stale(
        &self,
        after: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<(StationId, UnionId, Option<i64>)>, DbError> {
        let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT id, union_id, confirmed_at FROM stations \
             WHERE expires_at > $1 AND expires_at <= $2 AND hidden = FALSE ORDER BY id",
        )
        .bind(after.unix())
        .bind(until.unix())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(s, u, c)| {
                Ok((
                    StationId::parse(&s).map_err(|e| corrupt("stations", &s, e))?,
                    UnionId::parse(&u).map_err(|e| corrupt("stations", &s, e))?,
                    c,
                ))
            })
            .collect()
    }

    /// Moves the stale scan from `from` to `to` and queues `posts` (each station with the
    /// unions to tell and its detail), in one transaction; `false` when another instance
    /// moved it first (and queued them).
    pub async fn finish_stale_scan(
        &self,
        from: Timestamp,
        to: Timestamp,
        posts: &[(StationId, Vec<UnionId>, String)],
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        let moved =
            sqlx::query("UPDATE webhook_scan SET scanned_to = $2 WHERE id = 1 AND scanned_to = $1")
                .bind(from.unix())
                .bind(to.unix())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if moved != 1 {
            return Ok(false);
        }
        for (station, unions, detail) in posts {
            Db::queue_webhook_posts(
                &mut tx,
                unions,
                Some(station),
                WebhookEvent::Stale,
                detail,
                to,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes posts made or given up before `before`; how many.
    pub async fn purge_webhook_posts(&self, before: Timestamp) -> Result<u64, DbError> {
        Ok(sqlx::query(
            "DELETE FROM webhook_deliveries \
             WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < $1",
        )
        .bind(before.unix())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}

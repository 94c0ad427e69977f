//! Rider reports: storing them within the hourly limits, counting recent ones, and reading a
//! station's reports for its manager. Devices and addresses arrive here already hashed.

use std::str::FromStr;

use yizhan_core::{Amenity, ReportKind, StationId, Timestamp};

use super::{corrupt, Db, DbError};

/// A checked report ready to store.
#[derive(Clone, Copy, Debug)]
pub struct ReportRow<'a> {
    /// The station it is about.
    pub station: &'a StationId,
    /// What kind of report.
    pub kind: ReportKind,
    /// The broken amenity, for `amenity_broken`.
    pub amenity: Option<Amenity>,
    /// The rider's words, trimmed.
    pub text: Option<&'a str>,
    /// Salted hash of the device id, when the app sent one.
    pub device_hash: Option<&'a str>,
    /// Salted hash of the client address.
    pub address_hash: &'a str,
    /// When it arrived.
    pub created_at: Timestamp,
    /// The client's `Idempotency-Key`, when it sent one.
    pub idempotency_key: Option<&'a str>,
    /// The unions whose group-chat robots hear of it (the station's union and those above it;
    /// none for a confirmation). Queued in the report's own transaction, so a stored report is
    /// never left untold.
    pub tell: &'a [yizhan_core::UnionId],
}

/// The limits an insert must keep: at most so many reports created after `since`.
#[derive(Clone, Copy, Debug)]
pub struct ReportLimits {
    /// Start of the window (exclusive).
    pub since: Timestamp,
    /// Per device and station.
    pub per_device_and_station: i64,
    /// Per client address, over all stations.
    pub per_address: i64,
}

/// A stored report as the manager's inbox will show it (without the hashes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReport {
    /// Random id.
    pub id: String,
    /// What kind of report.
    pub kind: ReportKind,
    /// The broken amenity, for `amenity_broken`.
    pub amenity: Option<Amenity>,
    /// The rider's words.
    pub text: Option<String>,
    /// When it arrived.
    pub created_at: Timestamp,
    /// When the staff marked it dealt with.
    pub resolved_at: Option<Timestamp>,
    /// What the staff answered.
    pub reply: Option<String>,
}

/// A report's kind and amenity as stored, parsed; either no longer parsing makes the row `id`
/// corrupt.
pub(super) fn kind_and_amenity(
    id: &str,
    kind: &str,
    amenity: Option<&str>,
) -> Result<(ReportKind, Option<Amenity>), DbError> {
    let kind = ReportKind::parse(kind).ok_or_else(|| corrupt("reports", id, kind))?;
    let amenity = amenity
        .map(Amenity::from_str)
        .transpose()
        .map_err(|e| corrupt("reports", id, e))?;
    Ok((kind, amenity))
}

/// A report's id and kind, as a retried request reads them.
#[derive(sqlx::FromRow)]
struct ReportKindRecord {
    id: String,
    kind: String,
}

impl ReportKindRecord {
    /// The id and the parsed kind; a kind that no longer parses is corrupt.
    fn into_parts(self) -> Result<(String, ReportKind), DbError> {
        let kind = ReportKind::parse(&self.kind)
            .ok_or_else(|| corrupt("reports", &self.id, &self.kind))?;
        Ok((self.id, kind))
    }
}

/// A report as the station's inbox reads it (the staff inbox reads it too, with its station).
#[derive(sqlx::FromRow)]
pub(super) struct ReportRecord {
    id: String,
    kind: String,
    amenity: Option<String>,
    text: Option<String>,
    created_at: i64,
    resolved_at: Option<i64>,
    reply: Option<String>,
}

impl ReportRecord {
    /// Parses the row into a stored report; a row that no longer parses is corrupt.
    pub(super) fn into_report(self) -> Result<StoredReport, DbError> {
        let (kind, amenity) = kind_and_amenity(&self.id, &self.kind, self.amenity.as_deref())?;
        Ok(StoredReport {
            kind,
            amenity,
            text: self.text,
            created_at: Timestamp::from_unix(self.created_at),
            resolved_at: self.resolved_at.map(Timestamp::from_unix),
            reply: self.reply,
            id: self.id,
        })
    }
}

impl Db {
    /// How many riders (devices, or addresses for reports without one) said "this is right"
    /// about `station` since `since`.
    pub async fn confirmed_by(
        &self,
        station: &StationId,
        since: Timestamp,
    ) -> Result<u32, DbError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT COALESCE(device_hash, address_hash)) FROM reports \
             WHERE station_id = $1 AND kind = 'confirm' AND created_at >= $2",
        )
        .bind(station.as_str())
        .bind(since.unix())
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Every station's riders (devices, else addresses) who said "this is right" since
    /// `since`, for the stations that have any.
    pub async fn confirmed_since(
        &self,
        since: Timestamp,
    ) -> Result<Vec<(StationId, u32)>, DbError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT station_id, COUNT(DISTINCT COALESCE(device_hash, address_hash)) FROM reports \
             WHERE kind = 'confirm' AND created_at >= $1 GROUP BY station_id",
        )
        .bind(since.unix())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, n)| Some((StationId::parse(&id).ok()?, u32::try_from(n).ok()?)))
            .collect())
    }

    /// The salt for device and address hashes, made once by the migration; read once per
    /// process (every report and visit hashes with it).
    pub async fn report_salt(&self) -> Result<Vec<u8>, DbError> {
        self.secret("report_salt").await
    }

    /// Stores a report unless that would break `limits`, and returns its new id; `None` when a
    /// limit is reached. Checking and inserting is one statement, so two reports racing in from
    /// the same device cannot both get through. The id is 128 random bits in hex.
    pub async fn insert_report(
        &self,
        row: &ReportRow<'_>,
        limits: ReportLimits,
    ) -> Result<Option<String>, DbError> {
        // Counting and inserting run under the write lock, so on PostgreSQL too two reports
        // racing in cannot both see the count below the limit.
        let mut tx = self.write_tx().await?;
        let id: Option<String> = sqlx::query_scalar(
            "INSERT INTO reports (id, station_id, kind, amenity, text, device_hash, address_hash, created_at, idempotency_key, seq) \
             SELECT $12, $1, $2, $3, $4, $5, $6, $7, $11, (SELECT COALESCE(MAX(seq), 0) + 1 FROM reports) \
             WHERE ($5 IS NULL OR (SELECT COUNT(*) FROM reports \
                     WHERE station_id = $1 AND device_hash = $5 AND created_at > $8) < $9) \
               AND (SELECT COUNT(*) FROM reports WHERE address_hash = $6 AND created_at > $8) < $10 \
             RETURNING id",
        )
        .bind(row.station.as_str())
        .bind(row.kind.as_str())
        .bind(row.amenity.map(Amenity::as_str))
        .bind(row.text)
        .bind(row.device_hash)
        .bind(row.address_hash)
        .bind(row.created_at.unix())
        .bind(limits.since.unix())
        .bind(limits.per_device_and_station)
        .bind(limits.per_address)
        .bind(row.idempotency_key)
        .bind(super::random_hex::<16>()?)
        .fetch_optional(&mut *tx)
        .await?;
        if id.is_some() {
            // The kind and amenity only: the rider's words never leave the database.
            let detail = match row.amenity {
                Some(a) => format!("{}:{}", row.kind.as_str(), a.as_str()),
                None => row.kind.as_str().to_owned(),
            };
            Db::queue_webhook_posts(
                &mut tx,
                row.tell,
                Some(row.station),
                yizhan_core::WebhookEvent::Report,
                &detail,
                row.created_at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Forgets the device and address hashes of reports made before `before` (the limits only
    /// look back an hour); how many reports were changed. The column for the address takes ''
    /// since it is required.
    pub async fn clear_report_hashes(&self, before: Timestamp) -> Result<u64, DbError> {
        Ok(sqlx::query(
            "UPDATE reports SET device_hash = NULL, address_hash = '' \
             WHERE created_at < $1 AND (device_hash IS NOT NULL OR address_hash <> '')",
        )
        .bind(before.unix())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// The report first stored under `key` after `since`: its id and kind.
    pub async fn report_by_idempotency_key(
        &self,
        key: &str,
        since: Timestamp,
    ) -> Result<Option<(String, ReportKind)>, DbError> {
        let row: Option<ReportKindRecord> = sqlx::query_as(
            "SELECT id, kind FROM reports WHERE idempotency_key = $1 AND created_at > $2",
        )
        .bind(key)
        .bind(since.unix())
        .fetch_optional(&self.pool)
        .await?;
        row.map(ReportKindRecord::into_parts).transpose()
    }

    /// When this device reported on this station after `since`, newest first.
    pub async fn device_reports_since(
        &self,
        station: &StationId,
        device_hash: &str,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, DbError> {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT created_at FROM reports \
             WHERE station_id = $1 AND device_hash = $2 AND created_at > $3 \
             ORDER BY created_at DESC",
        )
        .bind(station.as_str())
        .bind(device_hash)
        .bind(since.unix())
        .fetch_all(&self.pool)
        .await?;
        Ok(times.into_iter().map(Timestamp::from_unix).collect())
    }

    /// When this address reported (on any station) after `since`, newest first.
    pub async fn address_reports_since(
        &self,
        address_hash: &str,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, DbError> {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT created_at FROM reports WHERE address_hash = $1 AND created_at > $2 \
             ORDER BY created_at DESC",
        )
        .bind(address_hash)
        .bind(since.unix())
        .fetch_all(&self.pool)
        .await?;
        Ok(times.into_iter().map(Timestamp::from_unix).collect())
    }

    /// A station's reports, newest first: the manager's inbox.
    pub async fn reports_for_station(
        &self,
        station: &StationId,
    ) -> Result<Vec<StoredReport>, DbError> {
        let rows: Vec<ReportRecord> = sqlx::query_as(
            "SELECT id, kind, amenity, text, created_at, resolved_at, reply FROM reports \
             WHERE station_id = $1 ORDER BY created_at DESC, id",
        )
        .bind(station.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ReportRecord::into_report).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db_with_stations() -> (tempfile::TempDir, Db, Vec<StationId>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Db::connect(&url).await.expect("db");
        let data = crate::demo::beijing(2, Timestamp::from_unix(1_800_000_000), 3600);
        db.insert_seed(&data.union_rows(), &data.stations)
            .await
            .expect("seed");
        let ids = data.stations.iter().map(|s| s.id.clone()).collect();
        (dir, db, ids)
    }

    fn row<'a>(station: &'a StationId, device: Option<&'a str>, at: i64) -> ReportRow<'a> {
        ReportRow {
            station,
            kind: ReportKind::AmenityBroken,
            amenity: Some(Amenity::Microwave),
            text: Some("转盘不转"),
            device_hash: device,
            address_hash: "addr",
            created_at: Timestamp::from_unix(at),
            idempotency_key: None,
            tell: &[],
        }
    }

    fn limits(now: i64, per_address: i64) -> ReportLimits {
        ReportLimits {
            since: Timestamp::from_unix(now - 3600),
            per_device_and_station: 1,
            per_address,
        }
    }

    #[tokio::test]
    async fn a_stored_report_reaches_the_station_inbox_without_hashes() {
        let (_dir, db, ids) = db_with_stations().await;
        let id = db
            .insert_report(&row(&ids[0], Some("dev"), 1000), limits(1000, 30))
            .await
            .expect("insert")
            .expect("within limits");
        assert_eq!(id.len(), 32, "128 random bits in hex: {id}");
        let inbox = db.reports_for_station(&ids[0]).await.expect("inbox");
        assert_eq!(
            inbox,
            vec![StoredReport {
                id,
                kind: ReportKind::AmenityBroken,
                amenity: Some(Amenity::Microwave),
                text: Some("转盘不转".into()),
                created_at: Timestamp::from_unix(1000),
                resolved_at: None,
                reply: None,
            }]
        );
        assert!(db
            .reports_for_station(&ids[1])
            .await
            .expect("inbox")
            .is_empty());
    }

    #[tokio::test]
    async fn second_report_from_a_device_within_the_window_is_not_stored() {
        let (_dir, db, ids) = db_with_stations().await;
        let first = db
            .insert_report(&row(&ids[0], Some("dev"), 1000), limits(1000, 30))
            .await
            .expect("insert");
        assert!(first.is_some());
        let again = db
            .insert_report(&row(&ids[0], Some("dev"), 1500), limits(1500, 30))
            .await
            .expect("insert");
        assert_eq!(again, None);
        // The same device on another station, or after the hour, is fine.
        let elsewhere = db
            .insert_report(&row(&ids[1], Some("dev"), 1500), limits(1500, 30))
            .await
            .expect("insert");
        assert!(elsewhere.is_some());
        let later = db
            .insert_report(&row(&ids[0], Some("dev"), 4600), limits(4600, 30))
            .await
            .expect("insert");
        assert!(later.is_some());
        let times = db
            .device_reports_since(&ids[0], "dev", Timestamp::from_unix(0))
            .await
            .expect("times");
        assert_eq!(
            times,
            vec![Timestamp::from_unix(4600), Timestamp::from_unix(1000)]
        );
    }

    #[tokio::test]
    async fn address_limit_counts_reports_without_a_device_too() {
        let (_dir, db, ids) = db_with_stations().await;
        for at in [1000, 1001] {
            let stored = db
                .insert_report(&row(&ids[0], None, at), limits(at, 2))
                .await
                .expect("insert");
            assert!(stored.is_some());
        }
        let third = db
            .insert_report(&row(&ids[1], None, 1002), limits(1002, 2))
            .await
            .expect("insert");
        assert_eq!(third, None);
        let times = db
            .address_reports_since("addr", Timestamp::from_unix(0))
            .await
            .expect("times");
        assert_eq!(times.len(), 2);
    }
}

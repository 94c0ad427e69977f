//! "我到了": riders' visits, counted per station per hour. A visit is one mark per device,
//! station and hour (a hash with a salt that changes daily) and one more in its station's hourly
//! count; marks go with the purge, counts stay.

use yizhan_core::{StationId, Timestamp};

use super::{Db, DbError};

/// What became of a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VisitOutcome {
    /// Counted.
    Counted,
    /// This device was counted at this station this hour already.
    AlreadyCounted,
    /// Its address sent too many visits this hour.
    Limited,
}

/// The name of the visit salt of `t`'s Beijing day; names sort by day.
fn visit_salt_name(t: Timestamp) -> String {
    format!(
        "visit_salt_{:08}",
        t.beijing_midnight().unix().div_euclid(86_400)
    )
}

/// The start of the hour `t` is in.
pub fn hour_of(t: Timestamp) -> i64 {
    t.unix().div_euclid(3600) * 3600
}

impl Db {
    /// Counts a visit to `station` by the device whose daily-salted hash is `mark`, unless the
    /// address `address_hash` sent `per_address` visits this hour already. The limit is checked
    /// and the mark written under the write lock, so visits sent at once cannot pass it.
    pub async fn count_visit(
        &self,
        station: &StationId,
        mark: &str,
        address_hash: &str,
        per_address: i64,
        now: Timestamp,
    ) -> Result<VisitOutcome, DbError> {
        let hour = hour_of(now);
        let mut tx = self.write_tx().await?;
        let seen: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM visit_marks WHERE mark = $1 AND hour = $2")
                .bind(mark)
                .bind(hour)
                .fetch_one(&mut *tx)
                .await?;
        if seen > 0 {
            tx.rollback().await?;
            return Ok(VisitOutcome::AlreadyCounted);
        }
        let sent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM visit_marks WHERE address_hash = $1 AND hour = $2",
        )
        .bind(address_hash)
        .bind(hour)
        .fetch_one(&mut *tx)
        .await?;
        if sent >= per_address {
            tx.rollback().await?;
            return Ok(VisitOutcome::Limited);
        }
        sqlx::query("INSERT INTO visit_marks (mark, address_hash, hour) VALUES ($1, $2, $3)")
            .bind(mark)
            .bind(address_hash)
            .bind(hour)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO visits (station_id, hour, count) VALUES ($1, $2, 1) \
             ON CONFLICT (station_id, hour) DO UPDATE SET count = visits.count + 1",
        )
        .bind(station.as_str())
        .bind(hour)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(VisitOutcome::Counted)
    }

    /// Visits to `station` counted since `since`.
    pub async fn visits_since(
        &self,
        station: &StationId,
        since: Timestamp,
    ) -> Result<u32, DbError> {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(count) AS BIGINT) FROM visits WHERE station_id = $1 AND hour >= $2",
        )
        .bind(station.as_str())
        .bind(hour_of(since))
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX))
    }

    /// Forgets visit marks from hours before `before`, and the daily salts of days before
    /// `before`'s (only the counts stay).
    pub async fn purge_visit_marks(&self, before: Timestamp) -> Result<u64, DbError> {
        sqlx::query("DELETE FROM secrets WHERE name LIKE 'visit_salt_%' AND name < $1")
            .bind(visit_salt_name(before))
            .execute(&self.pool)
            .await?;
        Ok(sqlx::query("DELETE FROM visit_marks WHERE hour < $1")
            .bind(hour_of(before))
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// The salt of visit marks on `now`'s Beijing day (made on first use, the same on every
    /// instance): a device's marks cannot be linked from one day to the next.
    pub async fn visit_salt(&self, now: Timestamp) -> Result<Vec<u8>, DbError> {
        self.secret(&visit_salt_name(now)).await
    }
}

//! Writes by signed-in staff: station status, station records, imports, report replies, and the
//! audit log every one of them appends to in the same transaction.

use sqlx::{Any, Transaction};
use yizhan_core::{
    Account, AdminStation, AmenityStatus, InboxReport, OpeningHours, StaffReply, StationId,
    StationState, Timestamp, UnionId, Username, ValidStation,
};

use super::reports::{kind_and_amenity, ReportRecord};
use super::{corrupt, Db, DbError};

/// One audit log entry to append.
#[derive(Clone, Debug)]
pub struct AuditRecord {
    /// The union whose admins may read it (the station's or account's union).
    pub union_id: UnionId,
    /// Who (username) or `system`.
    pub actor: String,
    /// What, e.g. `station.status`.
    pub action: &'static str,
    /// `station` or `account`.
    pub entity: &'static str,
    /// Its id.
    pub entity_id: String,
    /// JSON before (absent on create).
    pub before: Option<String>,
    /// JSON after.
    pub after: Option<String>,
}

impl AuditRecord {
    /// An entry about an account, with nothing to show before or after (a password reset, a
    /// two-step change): `actor` did `action` to `account`.
    pub fn about_account(actor: &Username, account: &Account, action: &'static str) -> AuditRecord {
        AuditRecord {
            union_id: account.union.id.clone(),
            actor: actor.as_str().to_owned(),
            action,
            entity: "account",
            entity_id: account.username.as_str().to_owned(),
            before: None,
            after: None,
        }
    }
}

/// A stored audit entry, raw.
#[derive(Clone, Debug)]
pub struct AuditRow {
    /// Sequence.
    pub id: i64,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Entity kind.
    pub entity: String,
    /// Entity id.
    pub entity_id: String,
    /// JSON before.
    pub before: Option<String>,
    /// JSON after.
    pub after: Option<String>,
}

/// A status as a manager sets it.
#[derive(Clone, Debug)]
pub struct StatusWrite {
    /// Open or closed.
    pub state: StationState,
    /// Amenity states to change.
    pub amenities: Vec<AmenityStatus>,
    /// Notice (trimmed), `None` to clear.
    pub notice: Option<String>,
    /// New hours, if changed.
    pub hours: Option<OpeningHours>,
    /// Now.
    pub confirmed_at: Timestamp,
    /// Now + expiry.
    pub expires_at: Timestamp,
    /// The saving account and the request's `Idempotency-Key`, when it sent one: the answer is
    /// kept under them, in the same transaction, for a retry.
    pub idempotency: Option<(String, String)>,
}

/// How a versioned write went.
#[derive(Clone, Debug)]
pub enum WriteOutcome {
    /// Written; the station as it is now, and the write's position in the change log.
    Written(Box<AdminStation>, u64),
    /// Someone changed it first; the station as it is now, unchanged by this write.
    Stale(Box<AdminStation>),
    /// No such station.
    Missing,
}

/// Appends to the audit log inside `tx`, so an entry is written exactly when its change is.
pub(super) async fn audit(
    tx: &mut Transaction<'_, Any>,
    rec: &AuditRecord,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO audit_log (at, union_id, actor, action, entity, entity_id, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now.unix())
    .bind(rec.union_id.as_str())
    .bind(&rec.actor)
    .bind(rec.action)
    .bind(rec.entity)
    .bind(&rec.entity_id)
    .bind(&rec.before)
    .bind(&rec.after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn union_of(
    tx: &mut Transaction<'_, Any>,
    id: &StationId,
) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT union_id FROM stations WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// A station moved from union `from` to `s.union_id`: managers whose union does not reach the
/// new union lose it (their union's admins no longer answer for it), and both unions' logs say
/// so, in the same transaction as the move.
async fn follow_union(
    tx: &mut Transaction<'_, Any>,
    s: &ValidStation,
    from: &str,
    actor: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    if from == s.union_id.as_str() {
        return Ok(());
    }
    let unions = super::all_unions(&mut **tx).await?;
    let managers: Vec<ManagerRecord> = sqlx::query_as(
        "SELECT a.id, a.username, a.union_id FROM account_stations x \
         JOIN accounts a ON a.id = x.account_id WHERE x.station_id = $1",
    )
    .bind(s.id.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let moved = serde_json::json!({"station": s.id, "from": from, "to": s.union_id}).to_string();
    let from_union = UnionId::parse(from).map_err(|e| corrupt("stations", s.id.as_str(), e))?;
    for union_id in [from_union, s.union_id.clone()] {
        let rec = AuditRecord {
            union_id,
            actor: actor.to_owned(),
            action: "station.move",
            entity: "station",
            entity_id: s.id.to_string(),
            before: Some(serde_json::json!({"union": from}).to_string()),
            after: Some(moved.clone()),
        };
        audit(tx, &rec, now).await?;
    }
    for m in managers {
        let (account, username, union) = m.into_parts()?;
        if super::union_scope(&unions, &union).contains(&s.union_id) {
            continue;
        }
        sqlx::query("DELETE FROM account_stations WHERE account_id = $1 AND station_id = $2")
            .bind(&account)
            .bind(s.id.as_str())
            .execute(&mut **tx)
            .await?;
        let rec = AuditRecord {
            union_id: union,
            actor: actor.to_owned(),
            action: "account.unassign",
            entity: "account",
            entity_id: username,
            before: Some(serde_json::json!({"station": s.id}).to_string()),
            after: Some(moved.clone()),
        };
        audit(tx, &rec, now).await?;
    }
    Ok(())
}

async fn current_version(
    tx: &mut Transaction<'_, Any>,
    id: &StationId,
) -> Result<Option<u64>, DbError> {
    let v: Option<i64> = sqlx::query_scalar("SELECT version FROM stations WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(v.map(|v| u64::try_from(v).unwrap_or(0)))
}

async fn write_fields(
    tx: &mut Transaction<'_, Any>,
    s: &ValidStation,
    existing: bool,
) -> Result<(), DbError> {
    if existing {
        sqlx::query(
            "UPDATE stations SET name = $1, address = $2, district = $3, union_id = $4, lat = $5, lng = $6, \
             hours = $7, phone = $8, hidden = $9, version = version + 1 WHERE id = $10",
        )
        .bind(&s.name)
        .bind(&s.address)
        .bind(&s.district)
        .bind(s.union_id.as_str())
        .bind(s.location.lat.get())
        .bind(s.location.lng.get())
        .bind(s.hours.as_str())
        .bind(&s.phone)
        .bind(s.hidden)
        .bind(s.id.as_str())
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO stations (id, name, address, district, union_id, lat, lng, hours, phone, \
             status_state, hidden, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'unknown', $10, 1)",
        )
        .bind(s.id.as_str())
        .bind(&s.name)
        .bind(&s.address)
        .bind(&s.district)
        .bind(s.union_id.as_str())
        .bind(s.location.lat.get())
        .bind(s.location.lng.get())
        .bind(s.hours.as_str())
        .bind(&s.phone)
        .bind(s.hidden)
        .execute(&mut **tx)
        .await?;
    }
    // Amenities that stay keep their state; new ones start unknown until a manager says.
    let kept: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM station_amenities WHERE station_id = $1 ORDER BY position",
    )
    .bind(s.id.as_str())
    .fetch_all(&mut **tx)
    .await?;
    for code in &kept {
        if !s.amenities.iter().any(|a| a.as_str() == code) {
            sqlx::query("DELETE FROM station_amenities WHERE station_id = $1 AND code = $2")
                .bind(s.id.as_str())
                .bind(code)
                .execute(&mut **tx)
                .await?;
        }
    }
    for (position, a) in s.amenities.iter().enumerate() {
        sqlx::query(
            "INSERT INTO station_amenities (station_id, code, state, position) VALUES ($1, $2, 'unknown', $3) \
             ON CONFLICT (station_id, code) DO UPDATE SET position = excluded.position",
        )
        .bind(s.id.as_str())
        .bind(a.as_str())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Db {
    /// One station, hidden or not, with its hidden flag.
    pub async fn admin_station(&self, id: &StationId) -> Result<Option<AdminStation>, DbError> {
        self.load_station(id).await
    }

    /// Up to `limit` stations of `unions`, ordered by union then id, after the station `after`
    /// ("" for the first page).
    pub async fn stations_page(
        &self,
        unions: &[UnionId],
        after: &str,
        limit: i64,
    ) -> Result<Vec<AdminStation>, DbError> {
        if unions.is_empty() {
            return Ok(Vec::new());
        }
        let union: String = if after.is_empty() {
            String::new()
        } else {
            sqlx::query_scalar("SELECT union_id FROM stations WHERE id = $1")
                .bind(after)
                .fetch_optional(&self.pool)
                .await?
                .unwrap_or_default()
        };
        let after = (union.as_str(), after);
        self.load_stations(&super::Selection::Page {
            unions,
            after,
            limit,
        })
        .await
    }

    /// The stations with these ids (those that exist), in id order; read in slices, so any
    /// number of ids stays under SQLite's bound-variable limit.
    pub async fn stations_by_id(&self, ids: &[StationId]) -> Result<Vec<AdminStation>, DbError> {
        let mut out = Vec::with_capacity(ids.len());
        for slice in ids.chunks(500) {
            out.extend(self.load_stations(&super::Selection::Ids(slice)).await?);
        }
        out.sort_by(|a, b| a.station.id.cmp(&b.station.id));
        Ok(out)
    }

    /// Sets a station's status if its version is still `expected`, and logs it in the same
    /// transaction. `audit_for` builds the log entry from the station before and after.
    pub async fn write_status(
        &self,
        before: &AdminStation,
        expected: u64,
        w: &StatusWrite,
        audit_for: impl FnOnce(&AdminStation, &AdminStation) -> AuditRecord,
    ) -> Result<WriteOutcome, DbError> {
        // `before` is the caller's fresh read; if the station changed since, the version check
        // below refuses the write and the stale answer is read anew.
        let id = &before.station.id;
        let mut after = before.clone();
        let st = &mut after.station;
        st.status.state = w.state;
        st.status.confirmed_at = Some(w.confirmed_at);
        st.status.expires_at = Some(w.expires_at);
        st.status.notice = w.notice.clone();
        if let Some(h) = &w.hours {
            st.hours = h.clone();
        }
        for a in &mut st.amenities {
            if let Some(new) = w.amenities.iter().find(|n| n.code == a.code) {
                a.state = new.state;
            }
        }
        st.version += 1;
        let rec = audit_for(before, &after);
        let mut tx = self.write_tx().await?;
        let change = if before.station.version == expected {
            self.status_row(&mut tx, w, id, expected, &rec).await?
        } else {
            None
        };
        let Some(change) = change else {
            tx.rollback().await?;
            return Ok(match self.admin_station(id).await? {
                Some(now) => WriteOutcome::Stale(Box::new(now)),
                None => WriteOutcome::Missing,
            });
        };
        for a in &w.amenities {
            sqlx::query(
                "UPDATE station_amenities SET state = $1 WHERE station_id = $2 AND code = $3",
            )
            .bind(a.state.as_str())
            .bind(id.as_str())
            .bind(a.code.as_str())
            .execute(&mut *tx)
            .await?;
        }
        if let Some((account, key)) = &w.idempotency {
            let answer = serde_json::to_string(&after.station)
                .map_err(|e| corrupt("stations", id.as_str(), e))?;
            sqlx::query(
                "INSERT INTO status_writes (account_id, idempotency_key, station_id, version, \
                 answer, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(account)
            .bind(key)
            .bind(id.as_str())
            .bind(i64::try_from(after.station.version).unwrap_or(i64::MAX))
            .bind(answer)
            .bind(w.confirmed_at.unix())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(WriteOutcome::Written(Box::new(after), change))
    }

    /// Writes the status row if the station is still at `expected` (the version check and the
    /// write are one statement, so two saves cannot both win), with its change-log entry and
    /// `rec`; returns the change's position, or `None` when the version did not match. On
    /// PostgreSQL the three are one statement: each round trip counts toward a fleet's write
    /// latency while the map is read flat out.
    async fn status_row(
        &self,
        tx: &mut Transaction<'static, Any>,
        w: &StatusWrite,
        id: &StationId,
        expected: u64,
        rec: &AuditRecord,
    ) -> Result<Option<u64>, DbError> {
        // One text for both engines' version-checked update, the PostgreSQL statement built
        // around it at compile time.
        macro_rules! set_status {
            () => {
                "UPDATE stations SET status_state = $1, confirmed_at = $2, expires_at = $3, \
                 notice = $4, hours = COALESCE($5, hours), version = version + 1 \
                 WHERE id = $6 AND version = $7"
            };
        }
        const SET: &str = set_status!();
        const SET_LOGGED: &str = concat!(
            "WITH up AS (",
            set_status!(),
            " RETURNING id), ch AS (INSERT INTO station_changes (station_id, at) \
             SELECT id, $2 FROM up RETURNING seq), au AS (INSERT INTO audit_log (at, union_id, \
             actor, action, entity, entity_id, before, after) \
             SELECT $2, $8, $9, $10, $11, $12, $13, $14 FROM up) SELECT seq FROM ch"
        );
        let expected = i64::try_from(expected).unwrap_or(-1);
        let bind_set = |q: sqlx::query::Query<'static, Any, sqlx::any::AnyArguments<'static>>| {
            q.bind(w.state.as_str())
                .bind(w.confirmed_at.unix())
                .bind(w.expires_at.unix())
                .bind(w.notice.clone())
                .bind(w.hours.as_ref().map(|h| h.as_str().to_owned()))
                .bind(id.as_str().to_owned())
                .bind(expected)
        };
        match self.backend() {
            super::Backend::Postgres => {
                let q = bind_set(sqlx::query(SET_LOGGED))
                    .bind(rec.union_id.as_str().to_owned())
                    .bind(rec.actor.clone())
                    .bind(rec.action)
                    .bind(rec.entity)
                    .bind(rec.entity_id.clone())
                    .bind(rec.before.clone())
                    .bind(rec.after.clone());
                let row = q.fetch_optional(&mut **tx).await?;
                row.map(|r| {
                    use sqlx::Row;
                    r.try_get::<i64, _>(0)
                        .map(|seq| u64::try_from(seq).unwrap_or(0))
                        .map_err(DbError::from)
                })
                .transpose()
            }
            super::Backend::Sqlite => {
                let updated = bind_set(sqlx::query(SET))
                    .execute(&mut **tx)
                    .await?
                    .rows_affected();
                if updated == 0 {
                    return Ok(None);
                }
                let change = super::note_change(tx, Some(id.as_str()), w.confirmed_at).await?;
                audit(tx, rec, w.confirmed_at).await?;
                Ok(Some(change))
            }
        }
    }

    /// The first answer to a status save this account sent under `key` for station `id`, and
    /// its version.
    pub async fn status_write_answer(
        &self,
        account: &str,
        key: &str,
        id: &StationId,
    ) -> Result<Option<(String, u64)>, DbError> {
        let row: Option<StatusAnswer> = sqlx::query_as(
            "SELECT answer, version FROM status_writes \
             WHERE account_id = $1 AND idempotency_key = $2 AND station_id = $3",
        )
        .bind(account)
        .bind(key)
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.answer, u64::try_from(r.version).unwrap_or(0))))
    }

    /// Forgets status-save keys older than `before`; how many.
    pub async fn purge_status_writes(&self, before: Timestamp) -> Result<u64, DbError> {
        Ok(
            sqlx::query("DELETE FROM status_writes WHERE created_at < $1")
                .bind(before.unix())
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    /// Creates (`expected` = `None`) or updates (if still at version `expected`) a station's
    /// record, and appends `rec` to the audit log in the same transaction. A create whose id is
    /// taken fails with a unique violation.
    pub async fn write_station(
        &self,
        s: &ValidStation,
        expected: Option<u64>,
        now: Timestamp,
        rec: &AuditRecord,
    ) -> Result<WriteOutcome, DbError> {
        let mut tx = self.write_tx().await?;
        match (expected, current_version(&mut tx, &s.id).await?) {
            (Some(_), None) => return Ok(WriteOutcome::Missing),
            (Some(e), Some(v)) if e != v => {
                tx.rollback().await?;
                return Ok(match self.admin_station(&s.id).await? {
                    Some(b) => WriteOutcome::Stale(Box::new(b)),
                    None => WriteOutcome::Missing,
                });
            }
            _ => {}
        }
        let from = union_of(&mut tx, &s.id).await?;
        write_fields(&mut tx, s, expected.is_some()).await?;
        let change = super::note_change(&mut tx, Some(s.id.as_str()), now).await?;
        audit(&mut tx, rec, now).await?;
        if let Some(from) = from.filter(|_| expected.is_some()) {
            follow_union(&mut tx, s, &from, &rec.actor, now).await?;
        }
        tx.commit().await?;
        Ok(match self.admin_station(&s.id).await? {
            Some(after) => WriteOutcome::Written(Box::new(after), change),
            None => WriteOutcome::Missing,
        })
    }

    /// Writes every station of an import in one transaction (all or nothing), one audit entry
    /// per station.
    pub async fn import_stations(
        &self,
        rows: &[(ValidStation, bool, AuditRecord)],
        now: Timestamp,
    ) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        for (s, existing, rec) in rows {
            let from = union_of(&mut tx, &s.id).await?;
            write_fields(&mut tx, s, *existing).await?;
            audit(&mut tx, rec, now).await?;
            if let Some(from) = from.filter(|_| *existing) {
                follow_union(&mut tx, s, &from, &rec.actor, now).await?;
            }
        }
        // Each station when they are few (other instances re-read those); past a batch, one
        // "reload everything".
        if rows.len() <= 500 {
            for (s, _, _) in rows {
                super::note_change(&mut tx, Some(s.id.as_str()), now).await?;
            }
        } else {
            super::note_change(&mut tx, None, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Appends an audit entry on its own (account changes).
    pub async fn append_audit(&self, rec: &AuditRecord, now: Timestamp) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Audit entries of `unions`, newest first, before id `before`.
    pub async fn audit_entries(
        &self,
        unions: &[UnionId],
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, DbError> {
        if unions.is_empty() {
            return Ok(Vec::new());
        }
        let n = unions.len();
        let sql = format!(
            "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log \
             WHERE union_id IN ({}) AND id < ${} ORDER BY id DESC LIMIT ${}",
            super::marks(1, n),
            n + 1,
            n + 2
        );
        let mut q = sqlx::query_as::<_, AuditEntry>(&sql);
        for u in unions {
            q = q.bind(u.as_str());
        }
        let rows = q
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(AuditEntry::into_audit_row).collect())
    }

    /// Fault reports (not confirmations) about `stations` (a manager's few), newest first.
    pub async fn inbox(&self, stations: &[StationId]) -> Result<Vec<InboxReport>, DbError> {
        if stations.is_empty() {
            return Ok(Vec::new());
        }
        let marks = super::marks(1, stations.len());
        let sql = format!(
            "SELECT r.id, r.station_id, s.name AS station_name, r.kind, r.amenity, r.text, \
             r.created_at, r.resolved_at, r.reply FROM reports r JOIN stations s ON s.id = r.station_id \
             WHERE r.station_id IN ({marks}) AND r.kind <> 'confirm' \
             ORDER BY r.created_at DESC, r.seq DESC LIMIT 500"
        );
        let mut q = sqlx::query_as::<_, InboxRecord>(&sql);
        for s in stations {
            q = q.bind(s.as_str());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(InboxRecord::into_inbox_report)
            .collect()
    }

    /// Fault reports about the stations of `unions` (an admin's scope), or of the one station
    /// `only` among them, newest first. Scoped by union in SQL: a city union's 100,000 stations
    /// are never listed one by one.
    pub async fn union_inbox(
        &self,
        unions: &[UnionId],
        only: Option<&StationId>,
    ) -> Result<Vec<InboxReport>, DbError> {
        if unions.is_empty() {
            return Ok(Vec::new());
        }
        let marks = super::marks(1, unions.len());
        let station = if only.is_some() {
            format!("AND r.station_id = ${}", unions.len() + 1)
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT r.id, r.station_id, s.name AS station_name, r.kind, r.amenity, r.text, \
             r.created_at, r.resolved_at, r.reply FROM reports r JOIN stations s ON s.id = r.station_id \
             WHERE s.union_id IN ({marks}) {station} AND r.kind <> 'confirm' \
             ORDER BY r.created_at DESC, r.seq DESC LIMIT 500"
        );
        let mut q = sqlx::query_as::<_, InboxRecord>(&sql);
        for u in unions {
            q = q.bind(u.as_str());
        }
        if let Some(id) = only {
            q = q.bind(id.as_str());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(InboxRecord::into_inbox_report)
            .collect()
    }

    /// The station a report is about.
    pub async fn report_station(&self, id: &str) -> Result<Option<StationId>, DbError> {
        let s: Option<String> = sqlx::query_scalar("SELECT station_id FROM reports WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        s.map(|s| StationId::parse(&s).map_err(|e| corrupt("reports", id, e)))
            .transpose()
    }

    /// Marks a report resolved with a reply riders will see, and logs it.
    pub async fn resolve_report(
        &self,
        id: &str,
        reply: &str,
        now: Timestamp,
        rec: &AuditRecord,
    ) -> Result<Option<InboxReport>, DbError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE reports SET resolved_at = $1, reply = $2 WHERE id = $3")
            .bind(now.unix())
            .bind(reply)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Riders see the reply on the station page, so it is a new version of the station
        // (its ETag), not a change a cached copy may hide.
        sqlx::query(
            "UPDATE stations SET version = version + 1 \
             WHERE id = (SELECT station_id FROM reports WHERE id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let station: Option<String> =
            sqlx::query_scalar("SELECT station_id FROM reports WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(station) = station {
            super::note_change(&mut tx, Some(&station), now).await?;
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        let row: Option<InboxRecord> = sqlx::query_as(
            "SELECT r.id, r.station_id, s.name AS station_name, r.kind, r.amenity, r.text, \
             r.created_at, r.resolved_at, r.reply FROM reports r JOIN stations s ON s.id = r.station_id \
             WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(InboxRecord::into_inbox_report).transpose()
    }

    /// Staff replies to a station's reports resolved since `since`, newest first (at most 5).
    pub async fn replies(
        &self,
        station: &StationId,
        since: Timestamp,
    ) -> Result<Vec<StaffReply>, DbError> {
        let rows: Vec<ReplyRecord> = sqlx::query_as(
            "SELECT kind, amenity, reply, resolved_at FROM reports WHERE station_id = $1 \
             AND resolved_at > $2 AND reply IS NOT NULL ORDER BY resolved_at DESC LIMIT 5",
        )
        .bind(station.as_str())
        .bind(since.unix())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_reply(station)).collect()
    }
}

/// A manager's account as stored, for a station that moves union.
#[derive(sqlx::FromRow)]
struct ManagerRecord {
    id: String,
    username: String,
    union_id: String,
}

impl ManagerRecord {
    /// The account id, username and union; a union that no longer parses is corrupt.
    fn into_parts(self) -> Result<(String, String, UnionId), DbError> {
        let union = UnionId::parse(&self.union_id).map_err(|e| corrupt("accounts", &self.id, e))?;
        Ok((self.id, self.username, union))
    }
}

/// The answer kept for a status save.
#[derive(sqlx::FromRow)]
struct StatusAnswer {
    answer: String,
    version: i64,
}

/// An audit entry as stored.
#[derive(sqlx::FromRow)]
struct AuditEntry {
    id: i64,
    at: i64,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
}

impl AuditEntry {
    fn into_audit_row(self) -> AuditRow {
        AuditRow {
            id: self.id,
            at: Timestamp::from_unix(self.at),
            actor: self.actor,
            action: self.action,
            entity: self.entity,
            entity_id: self.entity_id,
            before: self.before,
            after: self.after,
        }
    }
}

/// A report with its station's name, as the inbox reads it.
#[derive(sqlx::FromRow)]
struct InboxRecord {
    station_id: String,
    station_name: String,
    #[sqlx(flatten)]
    report: ReportRecord,
}

impl InboxRecord {
    /// Parses the row into an inbox entry; a row that no longer parses is corrupt.
    fn into_inbox_report(self) -> Result<InboxReport, DbError> {
        let r = self.report.into_report()?;
        let station_id =
            StationId::parse(&self.station_id).map_err(|e| corrupt("reports", &r.id, e))?;
        Ok(InboxReport {
            id: r.id,
            station_id,
            station_name: self.station_name,
            kind: r.kind,
            amenity: r.amenity,
            text: r.text,
            created_at: r.created_at,
            resolved_at: r.resolved_at,
            reply: r.reply,
        })
    }
}

/// A staff reply as stored (only replied reports are read, so `reply` and `resolved_at` are
/// set).
#[derive(sqlx::FromRow)]
struct ReplyRecord {
    kind: String,
    amenity: Option<String>,
    reply: String,
    resolved_at: i64,
}

impl ReplyRecord {
    /// Parses the row into a reply riders see; a row that no longer parses is corrupt (named
    /// by its station: the query reads no report id).
    fn into_reply(self, station: &StationId) -> Result<StaffReply, DbError> {
        let (kind, amenity) =
            kind_and_amenity(station.as_str(), &self.kind, self.amenity.as_deref())?;
        Ok(StaffReply {
            kind,
            amenity,
            reply: self.reply,
            resolved_at: Timestamp::from_unix(self.resolved_at),
        })
    }
}

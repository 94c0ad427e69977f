//! Membership applications: storing them within the address limit, finding them by reference
//! for the applicant and by id for union admins, decisions, withdrawal (which erases the
//! personal fields), per-station counts, the failed-lookup counters and the retention purge.
//! Phones, references and addresses used as keys arrive here already hashed.

use sqlx::{Any, Transaction};
use yizhan_core::application::Counts;
use yizhan_core::{
    ApplicationRecord, ApplicationStats, ApplicationStatus, DecisionKind, Employer, Occupation,
    Reference, StationCount, StationId, StationRef, TimelineEvent, Timestamp, UnionId, UnionRef,
    ValidApplication,
};

use super::staff::audit;
use super::{corrupt, AuditRecord, Db, DbError};

/// A checked application ready to store (or to replace a rejected one's fields).
#[derive(Clone, Copy, Debug)]
pub struct ApplicationRow<'a> {
    /// Random id (hex).
    pub id: &'a str,
    /// The reference.
    pub reference: &'a Reference,
    /// The receiving union.
    pub union_id: &'a UnionId,
    /// The checked form.
    pub form: &'a ValidApplication,
    /// Salted hash of the phone (duplicate check).
    pub phone_hash: &'a str,
    /// Salted hash of reference + phone (lookup).
    pub lookup_hash: &'a str,
    /// Salted hash of the client address.
    pub address_hash: &'a str,
    /// The client's `Idempotency-Key`, when it sent one.
    pub idempotency_key: Option<&'a str>,
    /// Now: creation and consent time.
    pub now: Timestamp,
}

/// The hourly limit an insert must keep: fewer than `max` applications plus refused
/// duplicates from the address after `since`.
#[derive(Clone, Copy, Debug)]
pub struct AddressLimit {
    /// Start of the window (exclusive).
    pub since: Timestamp,
    /// The most allowed in the window.
    pub max: i64,
}

/// Which applications the admin list shows.
#[derive(Clone, Debug, Default)]
pub struct ApplicationFilter {
    /// Only in these unions (the admin's scope).
    pub unions: Vec<UnionId>,
    /// Only with this status.
    pub status: Option<ApplicationStatus>,
    /// Only credited to this station.
    pub station: Option<StationId>,
    /// Sent at or after.
    pub from: Option<Timestamp>,
    /// Sent before.
    pub to: Option<Timestamp>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// What one purge run removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Applications deleted (decided or withdrawn longer than the retention ago).
    pub deleted: u64,
    /// Withdrawn applications whose leftover personal fields were erased.
    pub erased: u64,
    /// Address hashes cleared (older than a day).
    pub addresses_cleared: u64,
    /// Failed-lookup and failed sign-in records deleted.
    pub failures_deleted: u64,
    /// Applications nobody decided within the pending retention, deleted.
    pub pending_deleted: u64,
    /// Reports whose address and device hashes were cleared.
    pub report_hashes_cleared: u64,
    /// Sessions past their idle or absolute limit, deleted.
    pub sessions_deleted: u64,
    /// Status saves' Idempotency-Keys past two days, forgotten.
    pub status_keys_deleted: u64,
    /// Change-log entries older than a day.
    pub changes_deleted: u64,
    /// Visit marks past their hour.
    pub visit_marks_deleted: u64,
    /// Posts to group-chat robots made or given up over 30 days ago.
    pub webhook_posts_deleted: u64,
}

/// An application as stored, with its lookup hash (never leaves the server).
#[derive(Clone, Debug)]
pub struct StoredApplication {
    /// The record (timeline filled in).
    pub record: ApplicationRecord,
    /// Salted hash of reference + phone.
    pub lookup_hash: String,
}

/// Erases every personal field of the application `?` (last bind) and marks it withdrawn.
const ERASE: &str =
    "UPDATE applications SET name = '', phone = '', phone_hash = NULL, district = NULL, \
     employer = '', employer_other = NULL, occupation = '', occupation_other = NULL, \
     work_district = '', reason = NULL, address_hash = NULL";

const RECORD_COLUMNS: &str = "a.id, a.reference, a.status, a.union_id, u.name AS union_name, \
     a.station_id, s.name AS station_name, a.district, a.name, a.phone, a.employer, a.employer_other, \
     a.occupation, a.occupation_other, a.work_district, a.policy_version, a.consented_at, \
     a.created_at, a.updated_at, a.decided_at, a.decided_by, a.reason, a.lookup_hash \
     FROM applications a JOIN unions u ON u.id = a.union_id LEFT JOIN stations s ON s.id = a.station_id";

fn status_of(id: &str, s: &str) -> Result<ApplicationStatus, DbError> {
    ApplicationStatus::parse(s).ok_or_else(|| corrupt("applications", id, s))
}

/// An application as stored, with its union's and station's names (see [`RECORD_COLUMNS`]).
#[derive(sqlx::FromRow)]
struct ApplicationRecordRow {
    id: String,
    reference: String,
    status: String,
    union_id: String,
    union_name: String,
    station_id: Option<String>,
    station_name: Option<String>,
    district: Option<String>,
    name: String,
    phone: String,
    employer: String,
    employer_other: Option<String>,
    occupation: String,
    occupation_other: Option<String>,
    work_district: String,
    policy_version: String,
    consented_at: i64,
    created_at: i64,
    updated_at: i64,
    decided_at: Option<i64>,
    decided_by: Option<String>,
    reason: Option<String>,
    lookup_hash: String,
}

impl ApplicationRecordRow {
    /// Parses the row into the domain's application (timeline left empty); a row that no
    /// longer parses is corrupt.
    fn into_stored(self) -> Result<StoredApplication, DbError> {
        let bad = |e: &dyn std::fmt::Display| corrupt("applications", &self.id, e);
        // Erased (withdrawn) rows hold '' here.
        let employer = match self.employer.as_str() {
            "" => None,
            e => Some(Employer::parse(e).ok_or_else(|| bad(&e))?),
        };
        let occupation = match self.occupation.as_str() {
            "" => None,
            o => Some(Occupation::parse(o).ok_or_else(|| bad(&o))?),
        };
        let station = match self.station_id {
            Some(s) => Some(StationRef {
                id: StationId::parse(&s).map_err(|e| bad(&e))?,
                name: self.station_name.unwrap_or_default(),
            }),
            None => None,
        };
        let record = ApplicationRecord {
            reference: Reference::parse(&self.reference).map_err(|e| bad(&e.as_str()))?,
            status: status_of(&self.id, &self.status)?,
            union: UnionRef {
                id: UnionId::parse(&self.union_id).map_err(|e| bad(&e))?,
                name: self.union_name,
            },
            station,
            district: self.district,
            name: self.name,
            phone: self.phone,
            employer,
            employer_other: self.employer_other,
            occupation,
            occupation_other: self.occupation_other,
            work_district: self.work_district,
            policy_version: self.policy_version,
            consented_at: Timestamp::from_unix(self.consented_at),
            created_at: Timestamp::from_unix(self.created_at),
            updated_at: Timestamp::from_unix(self.updated_at),
            decided_at: self.decided_at.map(Timestamp::from_unix),
            decided_by: self.decided_by,
            reason: self.reason,
            timeline: Vec::new(),
            id: self.id,
        };
        Ok(StoredApplication {
            record,
            lookup_hash: self.lookup_hash,
        })
    }
}

/// Which one application a read wants; each names its own WHERE clause.
#[derive(Clone, Copy, Debug)]
enum OneApplication<'a> {
    /// By id (an admin).
    Id(&'a str),
    /// By reference (the applicant).
    Reference(&'a Reference),
}

impl OneApplication<'_> {
    /// The SELECT of [`RECORD_COLUMNS`] for this one application, its key bound as $1.
    fn sql(self) -> String {
        let filter = match self {
            OneApplication::Id(_) => "WHERE a.id = $1",
            OneApplication::Reference(_) => "WHERE a.reference = $1",
        };
        format!("SELECT {RECORD_COLUMNS} {filter}")
    }

    /// The value $1 stands for.
    fn key(self) -> String {
        match self {
            OneApplication::Id(id) => id.to_owned(),
            OneApplication::Reference(r) => r.as_str().to_owned(),
        }
    }
}

/// The reference and union of an application, as a retried request reads them.
#[derive(sqlx::FromRow)]
struct ReferenceRecord {
    id: String,
    reference: String,
    union_id: String,
    union_name: String,
}

impl ReferenceRecord {
    /// Parses the reference and union; a row that no longer parses is corrupt.
    fn into_parts(self) -> Result<(Reference, UnionRef), DbError> {
        let bad = |e: &dyn std::fmt::Display| corrupt("applications", &self.id, e);
        Ok((
            Reference::parse(&self.reference).map_err(|e| bad(&e.as_str()))?,
            UnionRef {
                id: UnionId::parse(&self.union_id).map_err(|e| bad(&e))?,
                name: self.union_name,
            },
        ))
    }
}

/// A step of an application's timeline as stored.
#[derive(sqlx::FromRow)]
struct EventRecord {
    at: i64,
    status: String,
    note: Option<String>,
}

impl EventRecord {
    /// Parses the step of application `id`; only a rejection shows its note (the reason).
    fn into_event(self, id: &str) -> Result<TimelineEvent, DbError> {
        let status = status_of(id, &self.status)?;
        Ok(TimelineEvent {
            status,
            at: Timestamp::from_unix(self.at),
            reason: self.note.filter(|_| status == ApplicationStatus::Rejected),
        })
    }
}

/// Applications (and approvals) credited to one station, or to none.
#[derive(sqlx::FromRow)]
struct StationCountRecord {
    station_id: Option<String>,
    station_name: Option<String>,
    applications: i64,
    approvals: i64,
}

/// Where a row of counts belongs.
enum Credited {
    /// To a station.
    Station(StationCount),
    /// To no station.
    Nowhere(Counts),
}

impl StationCountRecord {
    /// The counts and where they belong; a station id that no longer parses is corrupt.
    fn into_count(self) -> Result<Credited, DbError> {
        let applications = u64::try_from(self.applications).unwrap_or(0);
        let approvals = u64::try_from(self.approvals).unwrap_or(0);
        let Some(s) = self.station_id else {
            return Ok(Credited::Nowhere(Counts {
                applications,
                approvals,
            }));
        };
        Ok(Credited::Station(StationCount {
            station_id: StationId::parse(&s).map_err(|e| corrupt("applications", &s, e))?,
            station_name: self.station_name.unwrap_or_default(),
            applications,
            approvals,
        }))
    }
}

/// Binds what the applicant sent as ?1..?15 — union, station, district, name, phone, phone hash,
/// lookup hash, employer, other employer, occupation, other occupation, work district, policy
/// version, now (consent time), address hash — for the first submission and a corrected one.
fn bind_fields<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    row: &ApplicationRow<'q>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    let f = row.form;
    q.bind(row.union_id.as_str())
        .bind(f.station_id.as_ref().map(StationId::as_str))
        .bind(f.district.as_deref())
        .bind(f.name.as_str())
        .bind(f.phone.as_str())
        .bind(row.phone_hash)
        .bind(row.lookup_hash)
        .bind(f.employer.as_str())
        .bind(f.employer_other.as_deref())
        .bind(f.occupation.as_str())
        .bind(f.occupation_other.as_deref())
        .bind(&f.work_district)
        .bind(&f.policy_version)
        .bind(row.now.unix())
        .bind(row.address_hash)
}

async fn event(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    status: ApplicationStatus,
    note: Option<&str>,
    at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO application_events (application_id, at, status, note) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(at.unix())
    .bind(status.as_str())
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Db {
    /// Stores a new application and its first timeline step, unless the address is over
    /// `limit` (`false`). Checking and inserting is one statement. A UNIQUE violation means a
    /// reused idempotency key, a reference collision, or another pending application of the
    /// same phone at the same union (the caller tells which).
    pub async fn insert_application(
        &self,
        row: &ApplicationRow<'_>,
        limit: AddressLimit,
        reservation: &str,
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        // The attempt's reservation gives way to the application itself (which counts in its
        // place), in the same transaction.
        sqlx::query("DELETE FROM lookup_failures WHERE attempt = $1")
            .bind(reservation)
            .execute(&mut *tx)
            .await?;
        let insert = sqlx::query(
            "INSERT INTO applications (id, reference, union_id, station_id, district, name, phone, \
             phone_hash, lookup_hash, employer, employer_other, occupation, occupation_other, \
             work_district, policy_version, consented_at, status, created_at, updated_at, \
             idempotency_key, address_hash) \
             SELECT $16, $17, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
             'submitted', $14, $14, $18, $15 \
             WHERE (SELECT COUNT(*) FROM applications WHERE address_hash = $15 AND created_at > $19) \
                 + (SELECT COUNT(*) FROM lookup_failures WHERE key_hash = $15 AND at > $19) < $20",
        );
        let inserted = bind_fields(insert, row)
            .bind(row.id)
            .bind(row.reference.as_str())
            .bind(row.idempotency_key)
            .bind(limit.since.unix())
            .bind(limit.max)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if inserted == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        event(&mut tx, row.id, ApplicationStatus::Submitted, None, row.now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Counts an application attempt from `address_hash` before its checks run (a failed-lookup
    /// row named `attempt`), unless the address already has `limit.max` applications and
    /// refusals in the window (`false`, nothing counted). The row is written first, so the
    /// count is taken under the write lock.
    pub async fn reserve_application_attempt(
        &self,
        address_hash: &str,
        attempt: &str,
        limit: AddressLimit,
        now: Timestamp,
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("INSERT INTO lookup_failures (key_hash, at, attempt) VALUES ($1, $2, $3)")
            .bind(address_hash)
            .bind(now.unix())
            .bind(attempt)
            .execute(&mut *tx)
            .await?;
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM applications WHERE address_hash = $1 AND created_at > $2) \
             + (SELECT COUNT(*) FROM lookup_failures WHERE key_hash = $1 AND at > $2)",
        )
        .bind(address_hash)
        .bind(limit.since.unix())
        .fetch_one(&mut *tx)
        .await?;
        if n > limit.max {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The reference and union of the application first stored under `key`.
    pub async fn application_by_idempotency_key(
        &self,
        key: &str,
    ) -> Result<Option<(Reference, UnionRef)>, DbError> {
        let row: Option<ReferenceRecord> = sqlx::query_as(
            "SELECT a.id, a.reference, a.union_id, u.name AS union_name FROM applications a \
             JOIN unions u ON u.id = a.union_id WHERE a.idempotency_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(ReferenceRecord::into_parts).transpose()
    }

    /// Whether the phone (hashed) has a pending application at `union`, other than `except`.
    pub async fn pending_application_exists(
        &self,
        union: &UnionId,
        phone_hash: &str,
        except: Option<&str>,
    ) -> Result<bool, DbError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE union_id = $1 AND phone_hash = $2 \
             AND status IN ('submitted', 'under_review') AND id <> COALESCE($3, '')",
        )
        .bind(union.as_str())
        .bind(phone_hash)
        .bind(except)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Whether a reference is taken (the 40 random bits collided).
    pub async fn reference_exists(&self, reference: &Reference) -> Result<bool, DbError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE reference = $1")
            .bind(reference.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    async fn timeline(&self, id: &str) -> Result<Vec<TimelineEvent>, DbError> {
        let rows: Vec<EventRecord> = sqlx::query_as(
            "SELECT at, status, note FROM application_events WHERE application_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_event(id)).collect()
    }

    async fn one_application(
        &self,
        which: OneApplication<'_>,
    ) -> Result<Option<StoredApplication>, DbError> {
        let row: Option<ApplicationRecordRow> = sqlx::query_as(&which.sql())
            .bind(which.key())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut stored = row.into_stored()?;
        stored.record.timeline = self.timeline(&stored.record.id).await?;
        Ok(Some(stored))
    }

    /// One application by its reference, with its timeline.
    pub async fn application_by_reference(
        &self,
        reference: &Reference,
    ) -> Result<Option<StoredApplication>, DbError> {
        self.one_application(OneApplication::Reference(reference))
            .await
    }

    /// One application by its id, with its timeline.
    pub async fn application(&self, id: &str) -> Result<Option<StoredApplication>, DbError> {
        self.one_application(OneApplication::Id(id)).await
    }

    /// Applications matching `f`, newest first, without timelines.
    pub async fn applications(
        &self,
        f: &ApplicationFilter,
    ) -> Result<Vec<ApplicationRecord>, DbError> {
        if f.unions.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!(
            "SELECT {RECORD_COLUMNS} WHERE a.union_id IN ({})",
            super::marks(1, f.unions.len())
        );
        // Each condition present takes the next parameter number, in the order bound below.
        let mut next = f.unions.len();
        for (present, condition) in [
            (f.status.is_some(), "a.status ="),
            (f.station.is_some(), "a.station_id ="),
            (f.from.is_some(), "a.created_at >="),
            (f.to.is_some(), "a.created_at <"),
        ] {
            if present {
                next += 1;
                sql.push_str(&format!(" AND {condition} ${next}"));
            }
        }
        sql.push_str(&format!(
            " ORDER BY a.created_at DESC, a.id LIMIT ${}",
            next + 1
        ));
        let mut q = sqlx::query_as::<_, ApplicationRecordRow>(&sql);
        for u in &f.unions {
            q = q.bind(u.as_str());
        }
        if let Some(s) = f.status {
            q = q.bind(s.as_str());
        }
        if let Some(s) = &f.station {
            q = q.bind(s.as_str());
        }
        if let Some(t) = f.from {
            q = q.bind(t.unix());
        }
        if let Some(t) = f.to {
            q = q.bind(t.unix());
        }
        let rows = q.bind(f.limit).fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|r| r.into_stored().map(|s| s.record))
            .collect()
    }

    /// An admin opens an application: a `submitted` one moves to `under_review`, and the view
    /// is written to the audit log, in one transaction.
    pub async fn open_application(
        &self,
        id: &str,
        now: Timestamp,
        rec: &AuditRecord,
    ) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        let moved = sqlx::query(
            "UPDATE applications SET status = 'under_review', updated_at = $1 \
             WHERE id = $2 AND status = 'submitted'",
        )
        .bind(now.unix())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved > 0 {
            event(&mut tx, id, ApplicationStatus::UnderReview, None, now).await?;
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Decides a pending application and logs it; `false` when it is not pending (any more).
    pub async fn decide_application(
        &self,
        id: &str,
        decision: DecisionKind,
        reason: Option<&str>,
        actor: &str,
        now: Timestamp,
        rec: &AuditRecord,
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        let decided = decide_in(&mut tx, id, decision, reason, actor, now).await?;
        if !decided {
            tx.rollback().await?;
            return Ok(false);
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Decides many applications in one transaction, each with its own audit entry; returns
    /// the ids decided (the others were not pending).
    pub async fn decide_applications(
        &self,
        items: &[(String, AuditRecord)],
        decision: DecisionKind,
        reason: Option<&str>,
        actor: &str,
        now: Timestamp,
    ) -> Result<Vec<String>, DbError> {
        let mut tx = self.write_tx().await?;
        let mut done = Vec::new();
        for (id, rec) in items {
            if decide_in(&mut tx, id, decision, reason, actor, now).await? {
                audit(&mut tx, rec, now).await?;
                done.push(id.clone());
            }
        }
        tx.commit().await?;
        Ok(done)
    }

    /// The applicant withdraws: personal fields erased, reasons in the timeline too, status
    /// `withdrawn` from `now` (the retention counts from here). Withdrawing twice changes nothing.
    pub async fn withdraw_application(&self, id: &str, now: Timestamp) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        let sql = format!(
            "{ERASE}, status = 'withdrawn', decided_at = $1, decided_by = NULL, updated_at = $2 \
             WHERE id = $3 AND status <> 'withdrawn'"
        );
        let changed = sqlx::query(&sql)
            .bind(now.unix())
            .bind(now.unix())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed > 0 {
            sqlx::query("UPDATE application_events SET note = NULL WHERE application_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            event(&mut tx, id, ApplicationStatus::Withdrawn, None, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a rejected application's fields with corrected ones and sends it again
    /// (`submitted`, same reference); `false` when it is not rejected. A UNIQUE violation means
    /// the phone has another pending application at the (new) union.
    pub async fn resubmit_application(&self, row: &ApplicationRow<'_>) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        let update = sqlx::query(
            "UPDATE applications SET union_id = $1, station_id = $2, district = $3, name = $4, \
             phone = $5, phone_hash = $6, lookup_hash = $7, employer = $8, employer_other = $9, \
             occupation = $10, occupation_other = $11, work_district = $12, policy_version = $13, \
             consented_at = $14, status = 'submitted', reason = NULL, decided_at = NULL, \
             decided_by = NULL, updated_at = $14, address_hash = $15 \
             WHERE id = $16 AND status = 'rejected'",
        );
        let changed = bind_fields(update, row)
            .bind(row.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        event(&mut tx, row.id, ApplicationStatus::Submitted, None, row.now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Applications per station (and without one) in `unions`.
    pub async fn application_stats(&self, unions: &[UnionId]) -> Result<ApplicationStats, DbError> {
        let mut stats = ApplicationStats::default();
        if unions.is_empty() {
            return Ok(stats);
        }
        let marks = super::marks(1, unions.len());
        let sql = format!(
            "SELECT a.station_id, s.name AS station_name, COUNT(*) AS applications, \
             CAST(SUM(CASE WHEN a.status = 'approved' THEN 1 ELSE 0 END) AS BIGINT) AS approvals \
             FROM applications a LEFT JOIN stations s ON s.id = a.station_id \
             WHERE a.union_id IN ({marks}) GROUP BY a.station_id, s.name \
             ORDER BY applications DESC, a.station_id"
        );
        let mut q = sqlx::query_as::<_, StationCountRecord>(&sql);
        for u in unions {
            q = q.bind(u.as_str());
        }
        for r in q.fetch_all(&self.pool).await? {
            match r.into_count()? {
                Credited::Station(station) => stats.stations.push(station),
                Credited::Nowhere(none) => {
                    stats.without_station.applications += none.applications;
                    stats.without_station.approvals += none.approvals;
                }
            }
        }
        Ok(stats)
    }

    /// Applications and refused duplicates from an address after `since`, oldest first: when
    /// each entered the window.
    pub async fn application_attempts_since(
        &self,
        address_hash: &str,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, DbError> {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT created_at AS at FROM applications WHERE address_hash = $1 AND created_at > $2 \
             UNION ALL SELECT at FROM lookup_failures WHERE key_hash = $1 AND at > $2 ORDER BY 1",
        )
        .bind(address_hash)
        .bind(since.unix())
        .fetch_all(&self.pool)
        .await?;
        Ok(times.into_iter().map(Timestamp::from_unix).collect())
    }

    /// Deletes applications decided or withdrawn before `decided_before` and those still
    /// undecided since before `pending_before`, erases any personal field a withdrawn one still
    /// holds, and forgets address hashes and failed lookups older than `stale_before`. One
    /// transaction.
    pub async fn purge_applications(
        &self,
        decided_before: Timestamp,
        pending_before: Timestamp,
        stale_before: Timestamp,
    ) -> Result<PurgeReport, DbError> {
        let mut tx = self.write_tx().await?;
        let expired =
            "SELECT id FROM applications WHERE status IN ('approved', 'rejected', 'withdrawn') \
             AND decided_at IS NOT NULL AND decided_at < $1";
        sqlx::query(&format!(
            "DELETE FROM application_events WHERE application_id IN ({expired})"
        ))
        .bind(decided_before.unix())
        .execute(&mut *tx)
        .await?;
        let deleted = sqlx::query(&format!("DELETE FROM applications WHERE id IN ({expired})"))
            .bind(decided_before.unix())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let undecided =
            "SELECT id FROM applications WHERE status IN ('submitted', 'under_review') \
             AND updated_at < $1";
        sqlx::query(&format!(
            "DELETE FROM application_events WHERE application_id IN ({undecided})"
        ))
        .bind(pending_before.unix())
        .execute(&mut *tx)
        .await?;
        let pending_deleted = sqlx::query(&format!(
            "DELETE FROM applications WHERE id IN ({undecided})"
        ))
        .bind(pending_before.unix())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let erased = sqlx::query(&format!(
            "{ERASE} WHERE status = 'withdrawn' AND (name <> '' OR phone <> '' \
             OR phone_hash IS NOT NULL OR district IS NOT NULL OR employer <> '' \
             OR occupation <> '' OR work_district <> '' OR employer_other IS NOT NULL \
             OR occupation_other IS NOT NULL OR reason IS NOT NULL)"
        ))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let addresses_cleared = sqlx::query(
            "UPDATE applications SET address_hash = NULL \
             WHERE address_hash IS NOT NULL AND created_at < $1",
        )
        .bind(stale_before.unix())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let failures_deleted = sqlx::query("DELETE FROM lookup_failures WHERE at < $1")
            .bind(stale_before.unix())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(PurgeReport {
            deleted,
            erased,
            addresses_cleared,
            failures_deleted,
            pending_deleted,
            ..PurgeReport::default()
        })
    }
}

async fn decide_in(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    decision: DecisionKind,
    reason: Option<&str>,
    actor: &str,
    now: Timestamp,
) -> Result<bool, DbError> {
    let status = match decision {
        DecisionKind::Approve => ApplicationStatus::Approved,
        DecisionKind::Reject => ApplicationStatus::Rejected,
    };
    let changed = sqlx::query(
        "UPDATE applications SET status = $1, reason = $2, decided_at = $3, decided_by = $4, \
         updated_at = $5 WHERE id = $6 AND status IN ('submitted', 'under_review')",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(now.unix())
    .bind(actor)
    .bind(now.unix())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    event(tx, id, status, reason, now).await?;
    Ok(true)
}

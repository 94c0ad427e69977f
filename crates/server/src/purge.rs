//! The retention purge, hourly from [`spawn`] and on demand through [`purge_once`]:
//! - applications decided (or withdrawn) longer than `YIZHAN_APPLICATION_RETENTION` ago are
//!   deleted with their timelines, and withdrawn ones keep no personal field in the meantime;
//! - applications nobody decided within `YIZHAN_PENDING_RETENTION` are deleted;
//! - what the rate limits count (failed sign-ins and lookups, the salted address and device
//!   hashes of reports and applications) is forgotten after `YIZHAN_RATE_LIMIT_RETENTION`;
//! - sessions past their idle or absolute limit are deleted;
//! - visit marks (one visit per device, station and hour) go after their hour, with the daily
//!   salts of days gone;
//! - posts to unions' group-chat robots go a month after they were made or given up.

use std::time::Duration;

use tokio::task::JoinHandle;
use yizhan_core::Timestamp;

use crate::config::Settings;
use crate::db::{Db, DbError, PurgeReport};

/// How long a status save's Idempotency-Key is remembered.
pub const STATUS_KEYS_SECS: i64 = 2 * 86_400;

/// How often the job runs.
pub const EVERY: Duration = Duration::from_secs(3600);

/// How long each kind of record is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Decided or withdrawn applications, after the decision.
    pub decided: Duration,
    /// Applications nobody decided, after they were sent (or last corrected).
    pub pending: Duration,
    /// Rate-limit records and salted address and device hashes.
    pub rate_limits: Duration,
}

impl From<&Settings> for Retention {
    fn from(s: &Settings) -> Retention {
        Retention {
            decided: s.application_retention,
            pending: s.pending_retention,
            rate_limits: s.rate_limit_retention,
        }
    }
}

fn ago(now: Timestamp, d: Duration) -> Timestamp {
    now.plus_seconds(-i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2))
}

/// One purge as of `now`: what was deleted or erased.
pub async fn purge_once(
    db: &Db,
    now: Timestamp,
    retention: &Retention,
) -> Result<PurgeReport, DbError> {
    let mut report = db
        .purge_applications(
            ago(now, retention.decided),
            ago(now, retention.pending),
            ago(now, retention.rate_limits),
        )
        .await?;
    let stale = ago(now, retention.rate_limits);
    report.failures_deleted += db.purge_failures(stale).await?;
    report.report_hashes_cleared = db.clear_report_hashes(stale).await?;
    // Status-save keys must outlive a day of retries, whatever the rate-limit setting.
    report.status_keys_deleted = db
        .purge_status_writes(now.plus_seconds(-STATUS_KEYS_SECS))
        .await?;
    // A visit mark is needed for its hour only (one visit per device, station and hour).
    report.visit_marks_deleted = db.purge_visit_marks(now.plus_seconds(-3600)).await?;
    // Admins see a robot's latest posts; a month of them is plenty.
    report.webhook_posts_deleted = db
        .purge_webhook_posts(now.plus_seconds(-30 * 86_400))
        .await?;
    // Every instance reads the change log within a second; a day is plenty.
    report.changes_deleted = db.prune_changes(now.plus_seconds(-86_400)).await?;
    report.sessions_deleted = db
        .purge_sessions(
            now.plus_seconds(-crate::auth::IDLE_SECS),
            now.plus_seconds(-crate::auth::ABSOLUTE_SECS),
        )
        .await?;
    Ok(report)
}

/// Starts the hourly job (its first run is at once). Abort the handle to stop it.
pub fn spawn(db: Db, retention: Retention) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match purge_once(&db, Timestamp::now(), &retention).await {
                Ok(report) if report != PurgeReport::default() => tracing::info!(
                    deleted = report.deleted,
                    pending_deleted = report.pending_deleted,
                    erased = report.erased,
                    addresses_cleared = report.addresses_cleared,
                    failures_deleted = report.failures_deleted,
                    report_hashes_cleared = report.report_hashes_cleared,
                    sessions_deleted = report.sessions_deleted,
                    status_keys_deleted = report.status_keys_deleted,
                    changes_deleted = report.changes_deleted,
                    visit_marks_deleted = report.visit_marks_deleted,
                    webhook_posts_deleted = report.webhook_posts_deleted,
                    "retention purge"
                ),
                Ok(_) => {}
                // Counts and the driver's message only: no personal data reaches the log.
                Err(e) => tracing::error!(error = %e, "retention purge failed"),
            }
        }
    })
}

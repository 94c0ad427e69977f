//! The retention purge: applications decided (or withdrawn) longer than
//! `YIZHAN_APPLICATION_RETENTION` ago are deleted with their timelines; withdrawn ones keep no
//! personal field in the meantime; address hashes and failed-lookup records are forgotten after
//! a day, when no rate limit needs them any more. Runs hourly from [`spawn`], and on demand
//! through [`purge_once`].

use std::time::Duration;

use tokio::task::JoinHandle;
use yizhan_core::Timestamp;

use crate::db::{Db, DbError, PurgeReport};

/// How often the job runs.
pub const EVERY: Duration = Duration::from_secs(3600);
/// How long address hashes and failed lookups are kept (the longest rate-limit window is an
/// hour; a day leaves room for investigating abuse).
pub const RATE_LIMIT_KEEP_SECS: i64 = 86_400;

/// One purge as of `now`: what was deleted or erased.
pub async fn purge_once(
    db: &Db,
    now: Timestamp,
    retention: Duration,
) -> Result<PurgeReport, DbError> {
    let retention = i64::try_from(retention.as_secs()).unwrap_or(i64::MAX);
    db.purge_applications(
        now.plus_seconds(-retention),
        now.plus_seconds(-RATE_LIMIT_KEEP_SECS),
    )
    .await
}

/// Starts the hourly job (its first run is at once). Abort the handle to stop it.
pub fn spawn(db: Db, retention: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match purge_once(&db, Timestamp::now(), retention).await {
                Ok(report) if report != PurgeReport::default() => tracing::info!(
                    deleted = report.deleted,
                    erased = report.erased,
                    addresses_cleared = report.addresses_cleared,
                    failures_deleted = report.failures_deleted,
                    "application purge"
                ),
                Ok(_) => {}
                // Counts and the driver's message only: no personal data reaches the log.
                Err(e) => tracing::error!(error = %e, "application purge failed"),
            }
        }
    })
}

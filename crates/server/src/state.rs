//! What every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard};

use crate::config::Settings;
use crate::db::Db;
use crate::index::StationIndex;
use crate::shell::Shell;

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Public stations in memory, replaced on every write.
    pub index: Arc<RwLock<StationIndex>>,
    /// Typed settings.
    pub settings: Arc<Settings>,
    /// The app shell and its headers.
    pub shell: Arc<Shell>,
    /// The GeoJSON feed as last built, and its per-address limit.
    pub feed: Arc<Feed>,
    /// Counters and histograms for `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The bounded pool password hashes run in.
    pub hashers: Arc<crate::password::Hashers>,
    /// The last entry of the database's change log the index includes; held while catching up,
    /// so one catch-up runs at a time.
    pub applied: Arc<tokio::sync::Mutex<u64>>,
    /// The deployment's city (its centre and districts), read at start.
    pub city: Arc<crate::city::City>,
    /// Wakes the webhook sender when a post was queued here.
    pub webhooks: Arc<tokio::sync::Notify>,
    /// Riders who confirmed each station today.
    pub confirmed: Arc<crate::confirmed::ConfirmedToday>,
}

/// Changes read in one catch-up; more than this waiting reloads every station instead.
const SYNC_BATCH: i64 = 1000;

/// The GeoJSON feed of every station, built once per index revision and minute.
#[derive(Debug, Default)]
pub struct Feed {
    /// The last body built (a lock held while building, so one request builds and the rest
    /// wait for it).
    pub body: tokio::sync::Mutex<Option<FeedBody>>,
    /// Requests per address in the current minute.
    counts: std::sync::Mutex<(i64, HashMap<String, u32>)>,
}

/// Addresses the feed's limit tracks in one minute, at most.
pub const FEED_ADDRESSES: usize = 10_000;

/// A built feed.
#[derive(Debug)]
pub struct FeedBody {
    /// The index revision it was built from.
    pub revision: u64,
    /// The minute it was built in (statuses expire with the clock).
    pub minute: i64,
    /// The JSON.
    pub body: axum::body::Bytes,
    /// Its ETag.
    pub etag: String,
}

impl Feed {
    /// Counts a request from `address` in `minute`; `false` past `limit`.
    pub fn admit(&self, address: &str, minute: i64, limit: u32) -> bool {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if minute > counts.0 {
            // A new minute: every count starts again. (A request still in the last minute
            // counts in this one rather than wiping it.)
            *counts = (minute, HashMap::new());
        }
        if !counts.1.contains_key(address) && counts.1.len() >= FEED_ADDRESSES {
            // More addresses in one minute than any real use brings (an attacker cycling
            // through an IPv6 range): newcomers wait for the next minute, and memory stays
            // bounded.
            return false;
        }
        let n = counts.1.entry(address.to_owned()).or_insert(0);
        *n += 1;
        *n <= limit
    }
}

impl AppState {
    /// Reads the index. A poisoned lock only means a writer panicked after a full replace,
    /// so the data inside is still whole and reading on is safe.
    pub fn index(&self) -> RwLockReadGuard<'_, StationIndex> {
        self.index.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Brings the index up to the database's change log: the stations changed since the last
    /// catch-up are re-read and put in (or taken out when hidden); a reload of everything
    /// when the log says so (seeds, imports, the union tree), when more than a batch waits, or
    /// when entries this instance never read were pruned. Handlers call it after their own
    /// writes (which show at once) and a background task calls it every
    /// `YIZHAN_SYNC_INTERVAL` for writes made through other instances. The index's revision
    /// becomes the log position, the same on every instance, so ETags agree across a fleet.
    pub async fn catch_up(&self) -> Result<(), crate::db::DbError> {
        self.catch_up_with(None).await
    }

    /// [`AppState::catch_up`] after this instance wrote `written` at change-log position
    /// `seq`: when the log holds nothing but that write, the station is put in as the write
    /// left it, without reading it back, and when the write directly follows what is applied,
    /// without reading the log either (positions commit in order under the write lock).
    pub async fn catch_up_with(
        &self,
        written: Option<(&yizhan_core::AdminStation, u64)>,
    ) -> Result<(), crate::db::DbError> {
        let mut applied = self.applied.lock().await;
        if let Some((w, seq)) = written.filter(|&(_, seq)| seq == applied.saturating_add(1)) {
            let mut index = self.index.write().unwrap_or_else(|e| e.into_inner());
            index.replace(&w.station.id, Some(w.station.clone()).filter(|_| !w.hidden));
            index.set_revision(seq);
            *applied = seq;
            return Ok(());
        }
        let written = written.map(|(w, _)| w);
        let changes = self.db.changes_since(*applied, SYNC_BATCH).await?;
        let Some(last) = changes.rows.last().and_then(|c| u64::try_from(c.seq).ok()) else {
            return Ok(());
        };
        let pruned = changes
            .oldest
            .is_some_and(|o| o > applied.saturating_add(1));
        let everything = pruned
            || changes.rows.len() >= usize::try_from(SYNC_BATCH).unwrap_or(usize::MAX)
            || changes.rows.iter().any(|c| c.station_id.is_none());
        if everything {
            self.load_index(last).await?;
        } else {
            let mut ids: Vec<&str> = changes
                .rows
                .iter()
                .filter_map(|c| c.station_id.as_deref())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let mut fresh = Vec::with_capacity(ids.len());
            for id in ids {
                let Ok(id) = yizhan_core::StationId::parse(id) else {
                    continue;
                };
                let known = written.filter(|w| changes.rows.len() == 1 && w.station.id == id);
                let station = match known {
                    Some(w) => Some(w.clone()),
                    None => self.db.admin_station(&id).await?,
                };
                fresh.push((id, station.filter(|s| !s.hidden).map(|s| s.station)));
            }
            let mut index = self.index.write().unwrap_or_else(|e| e.into_inner());
            for (id, station) in fresh {
                index.replace(&id, station);
            }
            index.set_revision(last);
        }
        *applied = last;
        Ok(())
    }

    /// Reloads the index from the database (at start).
    pub async fn reload_index(&self) -> Result<(), crate::db::DbError> {
        let mut applied = self.applied.lock().await;
        // Read before the stations: whatever changes after is applied by the next catch-up.
        let last = self.db.last_change().await?;
        self.load_index(last).await?;
        *applied = last;
        Ok(())
    }

    async fn load_index(&self, revision: u64) -> Result<(), crate::db::DbError> {
        let started = std::time::Instant::now();
        let stations = self.db.public_stations().await?;
        let unions = self.db.unions().await?;
        let mut fresh = StationIndex::new(stations, &unions);
        fresh.set_revision(revision);
        fresh.set_holidays(self.settings.holidays.clone());
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        self.metrics.index_rebuilt(started.elapsed().as_secs_f64());
        Ok(())
    }
}

/// Follows the change log every `every` until aborted (other instances' writes).
pub fn spawn_sync(state: AppState, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = state.catch_up().await {
                tracing::warn!(error = %e, "could not follow the change log");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_limit_counts_per_address_per_minute_in_bounded_memory() {
        let feed = Feed::default();
        assert!(feed.admit("a", 10, 2));
        assert!(feed.admit("a", 10, 2));
        assert!(!feed.admit("a", 10, 2), "third in the minute");
        assert!(
            !feed.admit("a", 9, 2),
            "a late request of the last minute resets nothing"
        );
        assert!(feed.admit("a", 11, 2), "a new minute");
        for i in 0..FEED_ADDRESSES - 1 {
            assert!(feed.admit(&format!("x{i}"), 11, 2));
        }
        assert!(!feed.admit("newcomer", 11, 2), "the map is full");
        assert!(feed.admit("a", 11, 2), "known addresses still count");
        assert!(feed.admit("newcomer", 12, 2));
    }
}

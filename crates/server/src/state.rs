//! What every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard};

use crate::config::Settings;
use crate::db::Db;
use crate::index::StationIndex;
use crate::web::Shell;

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
    pub hashers: Arc<crate::auth::Hashers>,
}

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

    /// Re-reads one station after a write and puts it in the index (or takes it out when it is
    /// hidden), without reloading every station.
    pub async fn refresh_station(
        &self,
        id: &yizhan_core::StationId,
    ) -> Result<(), crate::db::DbError> {
        let fresh = self
            .db
            .admin_station(id)
            .await?
            .filter(|s| !s.hidden)
            .map(|s| s.station);
        self.index
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .replace(id, fresh);
        Ok(())
    }

    /// Reloads the index from the database.
    pub async fn reload_index(&self) -> Result<(), crate::db::DbError> {
        let started = std::time::Instant::now();
        let stations = self.db.public_stations().await?;
        let unions = self.db.unions().await?;
        let fresh = StationIndex::new(stations, &unions);
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        self.metrics.index_rebuilt(started.elapsed().as_secs_f64());
        Ok(())
    }
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

//! What every handler shares.

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
        let stations = self.db.public_stations().await?;
        let unions = self.db.unions().await?;
        let fresh = StationIndex::new(stations, &unions);
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }
}

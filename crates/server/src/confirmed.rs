//! "今天 N 位骑手确认": how many riders (devices) said a station is right today (Beijing time),
//! kept in memory so the station list, a hot and cached answer, never queries the database for
//! it. Read from the database at start and every minute (confirmations made through other
//! instances of a fleet show within that minute), and recounted for a station as soon as a
//! confirmation is stored here. The counts only show beside a station: they never change its
//! status, which is the manager's.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use yizhan_core::{Station, StationId, Timestamp};

use crate::db::{Db, DbError};

/// Today's counts, and the Beijing midnight they count from (none before the first read).
#[derive(Debug, Default)]
pub struct ConfirmedToday {
    counts: RwLock<(Option<Timestamp>, HashMap<StationId, u32>)>,
}

impl ConfirmedToday {
    /// Reads every station's count for today from the database.
    pub async fn reload(&self, db: &Db, now: Timestamp) -> Result<(), DbError> {
        let midnight = now.beijing_midnight();
        let counts = db.confirmed_since(midnight).await?.into_iter().collect();
        if let Ok(mut kept) = self.counts.write() {
            *kept = (Some(midnight), counts);
        }
        Ok(())
    }

    /// Recounts one station (after a confirmation was stored for it).
    pub async fn recount(&self, db: &Db, id: &StationId, now: Timestamp) -> Result<(), DbError> {
        let midnight = now.beijing_midnight();
        let n = db.confirmed_by(id, midnight).await?;
        if let Ok(mut kept) = self.counts.write() {
            if kept.0 != Some(midnight) {
                // A new day: yesterday's counts are over.
                *kept = (Some(midnight), HashMap::new());
            }
            kept.1.insert(id.clone(), n);
        }
        Ok(())
    }

    /// A station's count today (0 once the day the counts were read has ended).
    pub fn of(&self, id: &StationId, now: Timestamp) -> u32 {
        self.with_today(now, |count| count(id))
    }

    /// Writes today's count into each station: one read lock and one Beijing midnight for the
    /// whole list (a list answer has up to 500 stations), not one of each per station.
    pub fn stamp<'a>(&self, stations: impl IntoIterator<Item = &'a mut Station>, now: Timestamp) {
        self.with_today(now, |count| {
            for s in stations {
                s.confirmed_today = count(&s.id);
            }
        });
    }

    /// Runs `f` with a station's count today, under one read of the counts.
    fn with_today<R>(&self, now: Timestamp, f: impl FnOnce(&dyn Fn(&StationId) -> u32) -> R) -> R {
        let midnight = now.beijing_midnight();
        let kept = self.counts.read().ok();
        let today = kept
            .as_ref()
            .filter(|kept| kept.0 == Some(midnight))
            .map(|kept| &kept.1);
        f(&|id| {
            today
                .and_then(|counts| counts.get(id).copied())
                .unwrap_or(0)
        })
    }
}

/// Rereads the counts every `every` while the server runs (a failed read keeps the last ones).
pub fn spawn(db: Db, today: Arc<ConfirmedToday>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = today.reload(&db, Timestamp::now()).await {
                tracing::warn!(error = %e, "could not read today's confirmations");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_belong_to_their_day_and_are_zero_after_it() {
        let id = StationId::parse("bj-cy-0001").expect("id");
        let now = Timestamp::from_unix(1_796_544_000);
        let today = ConfirmedToday::default();
        assert_eq!(today.of(&id, now), 0, "nothing read yet");
        if let Ok(mut kept) = today.counts.write() {
            *kept = (
                Some(now.beijing_midnight()),
                HashMap::from([(id.clone(), 3)]),
            );
        }
        assert_eq!(today.of(&id, now), 3);
        let other = StationId::parse("bj-cy-0002").expect("id");
        assert_eq!(today.of(&other, now), 0);
        let tomorrow = Timestamp::from_unix(now.unix() + 24 * 3600);
        assert_eq!(today.of(&id, tomorrow), 0, "yesterday's count is over");
    }

    #[test]
    fn a_list_is_stamped_with_each_stations_count_of_the_day() {
        // Given counts read today for two of three stations
        let now = Timestamp::from_unix(1_796_544_000);
        let mut stations = crate::demo::beijing(3, now, 3600).stations;
        let today = ConfirmedToday::default();
        if let Ok(mut kept) = today.counts.write() {
            *kept = (
                Some(now.beijing_midnight()),
                HashMap::from([(stations[0].id.clone(), 3), (stations[2].id.clone(), 1)]),
            );
        }
        // When the list is stamped today, each station carries its own count
        today.stamp(&mut stations, now);
        let counts: Vec<u32> = stations.iter().map(|s| s.confirmed_today).collect();
        assert_eq!(counts, [3, 0, 1]);
        // And stamped tomorrow, every count is over
        today.stamp(&mut stations, Timestamp::from_unix(now.unix() + 24 * 3600));
        assert!(stations.iter().all(|s| s.confirmed_today == 0));
    }
}

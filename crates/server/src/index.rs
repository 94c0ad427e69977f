//! The in-memory station index: every public station and the union tree, loaded from the
//! database at start and replaced on every write. Queries never touch SQL, so they cost the same
//! on every backend and text search works for one Chinese character.

use std::collections::{BTreeMap, BTreeSet};

use yizhan_core::cluster;
use yizhan_core::query::MAX_LIMIT;
use yizhan_core::{BBox, Station, StationId, StationList, StationQuery, Timestamp, UnionId};

use crate::db::UnionRow;

/// Fewest stations in one grid cell that are drawn as a cluster rather than one by one.
const CLUSTER_MIN: usize = 3;

/// Stations by id plus the union tree.
#[derive(Debug, Default)]
pub struct StationIndex {
    stations: Vec<Station>,
    by_id: BTreeMap<StationId, usize>,
    children: BTreeMap<UnionId, Vec<UnionId>>,
    unions: BTreeSet<UnionId>,
}

impl StationIndex {
    /// Builds the index; `stations` must be public stations.
    pub fn new(mut stations: Vec<Station>, unions: &[UnionRow]) -> StationIndex {
        stations.sort_by(|a, b| a.id.cmp(&b.id));
        let by_id = stations
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let mut children: BTreeMap<UnionId, Vec<UnionId>> = BTreeMap::new();
        for u in unions {
            if let Some(p) = &u.parent {
                children.entry(p.clone()).or_default().push(u.id.clone());
            }
        }
        let unions = unions.iter().map(|u| u.id.clone()).collect();
        StationIndex {
            stations,
            by_id,
            children,
            unions,
        }
    }

    /// Puts one station in (new or changed), or takes it out (`None`: hidden or gone), keeping
    /// the order by id. Costs one pass over the ids, not a reload of every station.
    pub fn replace(&mut self, id: &StationId, station: Option<Station>) {
        match (self.by_id.get(id).copied(), station) {
            (Some(i), Some(s)) => self.stations[i] = s,
            (None, None) => {}
            (found, s) => {
                if let Some(i) = found {
                    self.stations.remove(i);
                }
                if let Some(s) = s {
                    let at = self.stations.partition_point(|x| x.id < s.id);
                    self.stations.insert(at, s);
                }
                self.by_id = self
                    .stations
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.id.clone(), i))
                    .collect();
            }
        }
    }

    /// How many stations are indexed.
    pub fn len(&self) -> usize {
        self.stations.len()
    }

    /// Whether no station is indexed.
    pub fn is_empty(&self) -> bool {
        self.stations.is_empty()
    }

    /// One station as riders see it at `now`.
    pub fn get(&self, id: &StationId, now: Timestamp) -> Option<Station> {
        self.by_id
            .get(id)
            .map(|&i| self.stations[i].clone().as_seen_at(now))
    }

    /// Every station as riders see it at `now`, ordered by id.
    pub fn all(&self, now: Timestamp) -> impl Iterator<Item = Station> + '_ {
        self.stations.iter().map(move |s| s.clone().as_seen_at(now))
    }

    /// `union` and every union below it; `None` when the union does not exist.
    pub fn union_and_below(&self, union: &UnionId) -> Option<BTreeSet<UnionId>> {
        if !self.unions.contains(union) {
            return None;
        }
        let mut out = BTreeSet::new();
        let mut todo = vec![union.clone()];
        while let Some(u) = todo.pop() {
            if let Some(kids) = self.children.get(&u) {
                todo.extend(kids.iter().cloned());
            }
            out.insert(u);
        }
        Some(out)
    }

    /// Runs a list query: box and filters, then either clusters and singles (with `bbox` and
    /// `zoom`), or one page ordered by distance from `near`, or by id.
    pub fn query(&self, q: &StationQuery, now: Timestamp) -> StationList {
        let unions = q
            .filter
            .union
            .as_ref()
            .map(|u| self.union_and_below(u).unwrap_or_default());
        // Filter on references; only what is answered gets copied. The box around every match
        // grows in the same pass.
        let mut around: Option<BBox> = None;
        let mut matching: Vec<&Station> = self
            .stations
            .iter()
            .filter(|s| q.bbox.is_none_or(|b| b.contains(&s.location)))
            .filter(|s| q.filter.matches_in(s, now, unions.as_ref()))
            .inspect(|s| {
                around = Some(around.map_or(BBox::point(s.location), |b| b.including(s.location)));
            })
            .collect();
        let total = matching.len();
        let bounds = around.map(|b| b.to_array());
        let limit = q.limit.unwrap_or(MAX_LIMIT);
        if let (Some(zoom), Some(_)) = (q.zoom, q.bbox) {
            let grouped = cluster::cluster(
                matching.into_iter().map(|s| (s.location, s)),
                zoom,
                CLUSTER_MIN,
            );
            let stations = grouped
                .singles
                .into_iter()
                .take(limit)
                .map(|s| s.clone().as_seen_at(now))
                .collect();
            return StationList {
                stations,
                total,
                next: None,
                clusters: grouped.clusters,
                bounds,
            };
        }
        let start = q.cursor.unwrap_or(0).min(total);
        let wanted = start.saturating_add(limit).min(total);
        if let Some(origin) = q.near {
            // Each distance once, then only the first `wanted` put in order: a page of 30 out
            // of 100,000 needs a selection, not a full sort.
            let mut by_distance: Vec<(f64, &Station)> = matching
                .iter()
                .map(|s| (origin.distance_m(&s.location), *s))
                .collect();
            if wanted < by_distance.len() && wanted > 0 {
                by_distance.select_nth_unstable_by(wanted - 1, |a, b| a.0.total_cmp(&b.0));
                by_distance.truncate(wanted);
            }
            by_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
            matching = by_distance.into_iter().map(|(_, s)| s).collect();
        }
        let stations: Vec<Station> = matching
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take(limit)
            .map(|s| (*s).clone().as_seen_at(now))
            .collect();
        let end = start + stations.len();
        StationList {
            stations,
            total,
            next: (end < total).then(|| end.to_string()),
            clusters: Vec::new(),
            bounds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing_one_station_keeps_every_other_and_the_order() {
        let now = Timestamp::from_unix(1_000_000);
        let data = crate::demo::beijing(50, now, 3600);
        let unions: Vec<UnionRow> = data
            .unions
            .iter()
            .map(|u| UnionRow {
                id: u.id.clone(),
                name: u.name.clone(),
                parent: u.parent.clone(),
            })
            .collect();
        let mut index = StationIndex::new(data.stations.clone(), &unions);
        let mut changed = data.stations[10].clone();
        changed.name = "改过的名字".into();
        index.replace(&changed.id, Some(changed.clone()));
        assert_eq!(
            index.get(&changed.id, now).map(|s| s.name),
            Some("改过的名字".into())
        );
        assert_eq!(index.len(), 50);
        // Hidden: out; shown again: back in its place by id.
        index.replace(&changed.id, None);
        assert_eq!(index.len(), 49);
        assert!(index.get(&changed.id, now).is_none());
        index.replace(&changed.id, Some(changed.clone()));
        let ids: Vec<_> = index.all(now).map(|s| s.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        for s in &data.stations {
            assert!(index.get(&s.id, now).is_some(), "{}", s.id);
        }
    }
}

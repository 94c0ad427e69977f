//! The in-memory station index: every public station and the union tree, loaded from the
//! database at start and replaced on every write. Queries never touch SQL, so they cost the same
//! on every backend and text search works for one Chinese character.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use yizhan_core::cluster;
use yizhan_core::query::MAX_LIMIT;
use yizhan_core::{
    BBox, LatLng, Station, StationId, StationList, StationQuery, Timestamp, UnionId,
};

use crate::db::UnionRow;

/// Fewest stations in one grid cell that are drawn as a cluster rather than one by one.
const CLUSTER_MIN: usize = 3;

/// Side of a grid cell, in degrees (about 11 km north–south): a phone's city view touches a
/// dozen or so cells, so a box query reads a few hundred stations instead of all 100,000.
const CELL_DEG: f64 = 0.1;

/// A grid cell: rows of latitude, columns of longitude.
type Cell = (i32, i32);

fn cell_of(p: &LatLng) -> Cell {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "|degrees| / 0.1 is at most 1,800: far inside i32"
    )]
    let at = |deg: f64| (deg / CELL_DEG).floor() as i32;
    (at(p.lat.get()), at(p.lng.get()))
}

/// The spatial index: which stations lie in each grid cell.
#[derive(Debug, Default)]
struct Grid {
    cells: HashMap<Cell, Vec<usize>>,
}

impl Grid {
    fn build(stations: &[Station]) -> Grid {
        let mut cells: HashMap<Cell, Vec<usize>> = HashMap::new();
        for (i, s) in stations.iter().enumerate() {
            cells.entry(cell_of(&s.location)).or_default().push(i);
        }
        Grid { cells }
    }

    fn take(&mut self, cell: Cell, i: usize) {
        if let Some(list) = self.cells.get_mut(&cell) {
            list.retain(|&x| x != i);
            if list.is_empty() {
                self.cells.remove(&cell);
            }
        }
    }

    /// Positions of every station in a cell that `b` touches (a superset of those inside
    /// it), ascending, so answers keep the order by id; `None` when `b` spans more cells than
    /// hold stations (the country view), where one pass over every station is cheaper.
    fn candidates(&self, b: &BBox) -> Option<Vec<usize>> {
        let (r0, c0) = cell_of(&b.min);
        let (r1, c1) = cell_of(&b.max);
        let span = i64::from(r1 - r0 + 1) * i64::from(c1 - c0 + 1);
        if usize::try_from(span).map_or(true, |n| n > self.cells.len()) {
            return None;
        }
        let mut out: Vec<usize> = (r0..=r1)
            .flat_map(|r| (c0..=c1).map(move |c| (r, c)))
            .filter_map(|cell| self.cells.get(&cell))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        Some(out)
    }
}

/// Revisions of the index, process-wide: a rebuilt index never reuses an old revision, so a
/// cache keyed by it cannot mistake new data for old.
static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_revision() -> u64 {
    REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Stations by id plus the union tree.
#[derive(Debug, Default)]
pub struct StationIndex {
    revision: u64,
    stations: Vec<Station>,
    by_id: BTreeMap<StationId, usize>,
    grid: Grid,
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
        let grid = Grid::build(&stations);
        StationIndex {
            revision: next_revision(),
            stations,
            by_id,
            grid,
            children,
            unions,
        }
    }

    /// Puts one station in (new or changed), or takes it out (`None`: hidden or gone), keeping
    /// the order by id. Costs one pass over the ids, not a reload of every station.
    pub fn replace(&mut self, id: &StationId, station: Option<Station>) {
        self.revision = next_revision();
        match (self.by_id.get(id).copied(), station) {
            (Some(i), Some(s)) => {
                let (from, to) = (cell_of(&self.stations[i].location), cell_of(&s.location));
                if from != to {
                    self.grid.take(from, i);
                    self.grid.cells.entry(to).or_default().push(i);
                }
                self.stations[i] = s;
            }
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
                // Positions after this one moved: the grid is rebuilt with them (one pass).
                self.grid = Grid::build(&self.stations);
            }
        }
    }

    /// Changes whenever the stations do (a rebuild or any replace).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Names this state of the index with the database's change-log position, which every
    /// instance of a fleet shares (so their ETags and caches agree).
    pub fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
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
        // A box reads only the stations in the grid cells it touches.
        let candidates: Box<dyn Iterator<Item = &Station>> =
            match q.bbox.as_ref().and_then(|b| self.grid.candidates(b)) {
                Some(near) => Box::new(near.into_iter().map(|i| &self.stations[i])),
                None => Box::new(self.stations.iter()),
            };
        let mut matching: Vec<&Station> = candidates
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
        // A station that moved is found at its new place, and no longer at the old one.
        let mut moved = data.stations[20].clone();
        let old = moved.location;
        moved.location = LatLng::new(31.2304, 121.4737).expect("Shanghai");
        index.replace(&moved.id, Some(moved.clone()));
        let ids = |b: &str| -> Vec<StationId> {
            let q = StationQuery::parse([("bbox", b)]).0;
            index
                .query(&q, now)
                .stations
                .into_iter()
                .map(|s| s.id)
                .collect()
        };
        assert!(ids("121.47,31.23,121.48,31.24").contains(&moved.id));
        let (lat, lng) = (old.lat.get(), old.lng.get());
        let around_old = format!(
            "{},{},{},{}",
            lng - 1e-6,
            lat - 1e-6,
            lng + 1e-6,
            lat + 1e-6
        );
        assert!(!ids(&around_old).contains(&moved.id));
    }

    /// The grid answers exactly what a pass over every station answers, in the same order.
    #[test]
    fn box_queries_through_the_grid_match_a_full_scan() {
        let now = Timestamp::from_unix(1_000_000);
        let data = crate::demo::nationwide(3000, now, 3600);
        let index = StationIndex::new(data.stations.clone(), &[]);
        let boxes = [
            "73,18,135,54",                // the country
            "116.2,39.7,116.6,40.1",       // Beijing
            "116.3,39.9,116.4,40.0",       // on cell edges
            "121.35,31.04,121.60,31.42",   // Shanghai
            "116.39,39.90,116.391,39.901", // a street corner
            "-10,-10,10,10",               // nowhere near
            "-180,-90,180,90",             // the world
        ];
        let mut found = 0;
        for b in boxes {
            let q = StationQuery::parse([("bbox", b), ("limit", "500")]).0;
            let got: Vec<StationId> = index
                .query(&q, now)
                .stations
                .into_iter()
                .map(|s| s.id)
                .collect();
            let bbox = BBox::parse(b).expect("box");
            let mut want: Vec<StationId> = data
                .stations
                .iter()
                .filter(|s| bbox.contains(&s.location))
                .map(|s| s.id.clone())
                .collect();
            want.sort();
            want.truncate(500);
            found += usize::from(!want.is_empty());
            assert_eq!(got, want, "{b}");
            assert_eq!(
                index.query(&q, now).total,
                data.stations
                    .iter()
                    .filter(|s| bbox.contains(&s.location))
                    .count(),
                "{b}"
            );
        }
        assert!(found >= 4, "too few boxes had stations to compare: {found}");
    }
}

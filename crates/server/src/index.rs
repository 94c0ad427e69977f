//! The in-memory station index: every public station and the union tree, loaded from the
//! database at start and replaced on every write. Queries never touch SQL, so they cost the same
//! on every backend and text search works for one Chinese character.
//!
//! Map views come from a hierarchy built once per change of the stations (as supercluster
//! does): for every zoom, the stations grouped into the global Web-Mercator cells of
//! [`yizhan_core::cluster`], with totals kept for crowded cells. A view reads the cells it
//! shows: a cell wholly inside the box answers from its totals, a cell on the box's edge from
//! its members. The answer is exactly what `cluster::cluster` gives over the box's stations.
//! Filtered views and nearest-first lists read candidate cells and filter them.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::sync::Arc;

use yizhan_core::cluster::{self, grid_bits, grid_cell, CellTotals, Cluster, MARKER_ZOOM};
use yizhan_core::holidays::Holidays;
use yizhan_core::query::MAX_LIMIT;
use yizhan_core::{
    BBox, LatLng, Station, StationId, StationList, StationQuery, Timestamp, UnionId,
};

use crate::db::UnionRow;

/// Fewest stations in one grid cell that are drawn as a cluster rather than one by one.
const CLUSTER_MIN: usize = 3;

/// Highest zoom the API accepts.
const MAX_ZOOM: u8 = 22;

/// Cells below this many stations keep no totals: reading their few members is as quick, and
/// most cells of the finer zooms are that small, so the hierarchy stays a few bytes a station.
const TOTALS_MIN: u32 = 16;

/// The zoom whose cells (about 0.09°, 7–10 km) serve filtered views and nearest-first lists.
const SEARCH_ZOOM: u8 = 10;

/// Fewest stations a cell needs to be a cluster at `zoom`: from [`MARKER_ZOOM`] on cells are a
/// marker's size, and two markers there would overlap.
fn min_points(zoom: u8) -> usize {
    if zoom >= MARKER_ZOOM {
        2
    } else {
        CLUSTER_MIN
    }
}

/// Spreads the low 32 bits of `v` to the even bits of the result.
fn spread(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
    x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

/// Z-order code of a finest cell: every coarser cell is a run of consecutive codes, so one
/// sorted array holds the members of every cell of every zoom as a range.
fn z_code(row: u32, col: u32) -> u64 {
    (spread(row) << 1) | spread(col)
}

/// Converts a position or length to the `u32` the hierarchy stores (at most 2^32 stations).
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One non-empty cell of a zoom.
#[derive(Clone, Copy, Debug)]
struct CellRef {
    row: u32,
    col: u32,
    /// Where its members start in [`Hierarchy::order`].
    start: u32,
    len: u32,
    /// Index of its totals in [`Level::totals`], or `u32::MAX` for a small cell.
    totals: u32,
}

/// The cells of one zoom, in (row, column) order.
#[derive(Debug, Default)]
struct Level {
    bits: u32,
    cells: Vec<CellRef>,
    totals: Vec<CellTotals>,
}

/// An inclusive range of rows and columns.
#[derive(Clone, Copy, Debug)]
struct Rect {
    rows: (u32, u32),
    cols: (u32, u32),
}

impl Level {
    fn totals_of(&self, c: &CellRef) -> Option<&CellTotals> {
        self.totals.get(c.totals as usize)
    }

    /// The cells a box may hold stations in, one cell wider on each side: the projection is
    /// monotonic in theory, and the margin keeps a rounding at a cell's edge harmless.
    fn rect(&self, b: &BBox) -> Rect {
        let last = (1u64 << self.bits) - 1;
        let nw = grid_cell(
            LatLng {
                lat: b.max.lat,
                lng: b.min.lng,
            },
            self.bits,
        );
        let se = grid_cell(
            LatLng {
                lat: b.min.lat,
                lng: b.max.lng,
            },
            self.bits,
        );
        let down = |v: i64| small(usize::try_from(v.saturating_sub(1).max(0)).unwrap_or(0));
        let up = |v: i64| {
            let v = u64::try_from(v.saturating_add(1)).unwrap_or(0).min(last);
            small(usize::try_from(v).unwrap_or(usize::MAX))
        };
        Rect {
            rows: (down(nw.0), up(se.0)),
            cols: (down(nw.1), up(se.1)),
        }
    }

    fn position(&self, row: u32, col: u32) -> usize {
        self.cells.partition_point(|c| (c.row, c.col) < (row, col))
    }

    /// Calls `f` for every non-empty cell in `r`, in (row, column) order: row by row with a
    /// binary search each when the rectangle is narrow, else one pass over the cells between
    /// its corners (a country view at a fine zoom spans more rows than there are cells).
    fn each_in(&self, r: Rect, mut f: impl FnMut(&CellRef)) {
        let from = self.position(r.rows.0, r.cols.0);
        let to = self.position(r.rows.1, r.cols.1.saturating_add(1));
        let rows = (r.rows.1 - r.rows.0) as usize + 1;
        let searches = rows.saturating_mul(2 + self.cells.len().max(1).ilog2() as usize);
        let within = |c: &CellRef| (r.cols.0..=r.cols.1).contains(&c.col);
        if searches >= to.saturating_sub(from) {
            for c in self.cells.get(from..to).unwrap_or_default() {
                if within(c) {
                    f(c);
                }
            }
            return;
        }
        for row in r.rows.0..=r.rows.1 {
            let start = self.position(row, r.cols.0);
            for c in self.cells.get(start..).unwrap_or_default() {
                if c.row != row || c.col > r.cols.1 {
                    break;
                }
                f(c);
            }
        }
    }

    /// The cell at (row, col), if any station is in it.
    fn cell(&self, row: u32, col: u32) -> Option<&CellRef> {
        self.cells
            .get(self.position(row, col))
            .filter(|c| c.row == row && c.col == col)
    }
}

/// Every zoom's cells over one array of station positions in Z-order.
#[derive(Debug, Default)]
struct Hierarchy {
    /// Station positions (into `StationIndex::stations`), by Z-order of their finest cell,
    /// then by position.
    order: Vec<u32>,
    /// The Z-order code of each entry of `order`, for updates in place.
    codes: Vec<u64>,
    /// Zooms 0..=22.
    levels: Vec<Level>,
}

impl Hierarchy {
    fn build(points: &[LatLng]) -> Hierarchy {
        let fine_bits = grid_bits(MAX_ZOOM);
        let fine: Vec<(u32, u32)> = points
            .iter()
            .map(|p| {
                let (r, c) = grid_cell(*p, fine_bits);
                // grid_cell clamps to 0..2^26, so both fit.
                (u32::try_from(r).unwrap_or(0), u32::try_from(c).unwrap_or(0))
            })
            .collect();
        let mut keyed: Vec<(u64, u32)> = fine
            .iter()
            .enumerate()
            .map(|(i, &(r, c))| (z_code(r, c), small(i)))
            .collect();
        keyed.sort_unstable();
        let order: Vec<u32> = keyed.iter().map(|k| k.1).collect();
        let levels = (0..=MAX_ZOOM)
            .map(|zoom| {
                let bits = grid_bits(zoom);
                let shift = fine_bits - bits;
                let mut level = Level {
                    bits,
                    ..Level::default()
                };
                let mut start = 0;
                while start < keyed.len() {
                    let code = keyed[start].0 >> (2 * shift);
                    let len = keyed[start..].partition_point(|k| k.0 >> (2 * shift) == code);
                    let (r, c) = fine[keyed[start].1 as usize];
                    let members = &order[start..start + len];
                    let totals = if small(len) >= TOTALS_MIN {
                        let mut t = CellTotals::new(points[members[0] as usize]);
                        for &m in &members[1..] {
                            t.add(points[m as usize]);
                        }
                        level.totals.push(t);
                        small(level.totals.len() - 1)
                    } else {
                        u32::MAX
                    };
                    level.cells.push(CellRef {
                        row: r >> shift,
                        col: c >> shift,
                        start: small(start),
                        len: small(len),
                        totals,
                    });
                    start += len;
                }
                level.cells.sort_unstable_by_key(|c| (c.row, c.col));
                level.cells.shrink_to_fit();
                level.totals.shrink_to_fit();
                level
            })
            .collect();
        let codes = keyed.iter().map(|k| k.0).collect();
        Hierarchy {
            order,
            codes,
            levels,
        }
    }

    /// The finest cell of `p` and its Z-order code.
    fn fine(p: LatLng) -> (u32, u32, u64) {
        let (r, c) = grid_cell(p, grid_bits(MAX_ZOOM));
        let (r, c) = (u32::try_from(r).unwrap_or(0), u32::try_from(c).unwrap_or(0));
        (r, c, z_code(r, c))
    }

    /// Where `(code, i)` is, or would go, in the sorted `(codes, order)`.
    fn slot(&self, code: u64, i: u32) -> usize {
        let mut at = self.codes.partition_point(|&c| c < code);
        while at < self.order.len() && self.codes[at] == code && self.order[at] < i {
            at += 1;
        }
        at
    }

    /// Recomputes cell `at`'s totals from its members (or drops them when it is small).
    fn refresh(level: &mut Level, at: usize, order: &[u32], points: &[LatLng]) {
        let cell = level.cells[at];
        let members = order
            .get(cell.start as usize..(cell.start + cell.len) as usize)
            .unwrap_or_default();
        let totals = members
            .split_first()
            .filter(|_| cell.len >= TOTALS_MIN)
            .map(|(first, rest)| {
                let mut t = CellTotals::new(points[*first as usize]);
                for &m in rest {
                    t.add(points[m as usize]);
                }
                t
            });
        match (totals, cell.totals) {
            (Some(t), u32::MAX) => {
                level.totals.push(t);
                level.cells[at].totals = small(level.totals.len() - 1);
            }
            (Some(t), k) => level.totals[k as usize] = t,
            (None, u32::MAX) => {}
            (None, k) => {
                // The last totals move into the freed slot; their cell follows them.
                let last = small(level.totals.len() - 1);
                level.totals.swap_remove(k as usize);
                if k != last {
                    if let Some(c) = level.cells.iter_mut().find(|c| c.totals == last) {
                        c.totals = k;
                    }
                }
                level.cells[at].totals = u32::MAX;
            }
        }
    }

    /// Takes station `i`, at `p`, out of every zoom's cells.
    fn take(&mut self, i: u32, p: LatLng, points: &[LatLng]) {
        let (fr, fc, code) = Hierarchy::fine(p);
        let at = self.slot(code, i);
        if self.order.get(at) != Some(&i) {
            return;
        }
        self.order.remove(at);
        self.codes.remove(at);
        let at = small(at);
        let fine_bits = grid_bits(MAX_ZOOM);
        for level in &mut self.levels {
            let shift = fine_bits - level.bits;
            let Some(k) = level
                .cell(fr >> shift, fc >> shift)
                .map(|_| level.position(fr >> shift, fc >> shift))
            else {
                continue;
            };
            for c in &mut level.cells {
                if c.start > at {
                    c.start -= 1;
                }
            }
            level.cells[k].len -= 1;
            if level.cells[k].len == 0 {
                Hierarchy::refresh(level, k, &self.order, points);
                level.cells.remove(k);
            } else {
                Hierarchy::refresh(level, k, &self.order, points);
            }
        }
    }

    /// Puts station `i`, at `p`, into every zoom's cells.
    fn put(&mut self, i: u32, p: LatLng, points: &[LatLng]) {
        let (fr, fc, code) = Hierarchy::fine(p);
        let at = self.slot(code, i);
        self.order.insert(at, i);
        self.codes.insert(at, code);
        let at = small(at);
        let fine_bits = grid_bits(MAX_ZOOM);
        for level in &mut self.levels {
            let shift = fine_bits - level.bits;
            let (r, c) = (fr >> shift, fc >> shift);
            let found = level.cell(r, c).is_some();
            let k = level.position(r, c);
            for (j, cell) in level.cells.iter_mut().enumerate() {
                if cell.start >= at && !(found && j == k) {
                    cell.start += 1;
                }
            }
            if found {
                level.cells[k].len += 1;
            } else {
                level.cells.insert(
                    k,
                    CellRef {
                        row: r,
                        col: c,
                        start: at,
                        len: 1,
                        totals: u32::MAX,
                    },
                );
            }
            Hierarchy::refresh(level, k, &self.order, points);
        }
    }

    /// Station positions from `i` on moved by `by` (a station was taken out or put in
    /// before them); the Z-order stays sorted.
    fn renumber(&mut self, from: u32, up: bool) {
        for m in &mut self.order {
            if *m >= from {
                *m = if up { *m + 1 } else { *m - 1 };
            }
        }
    }

    fn members(&self, c: &CellRef) -> &[u32] {
        let start = c.start as usize;
        self.order
            .get(start..start + c.len as usize)
            .unwrap_or_default()
    }

    /// Station positions in the cells `b` touches (a superset of those inside it).
    fn candidates(&self, b: &BBox) -> Vec<u32> {
        let Some(level) = self.levels.get(usize::from(SEARCH_ZOOM)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        level.each_in(level.rect(b), |c| out.extend_from_slice(self.members(c)));
        out
    }
}

/// A candidate of a nearest-first list: ordered by distance, then by position (id order).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Near(f64, u32);

impl Eq for Near {}

impl PartialOrd for Near {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Near {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// Latitude of the northern edge of grid row `row` of a grid `2^bits` cells across.
fn row_lat(row: u64, bits: u32) -> f64 {
    #[allow(clippy::cast_precision_loss, reason = "rows below 2^26: exact")]
    let y = row as f64 / (1u64 << bits) as f64;
    (std::f64::consts::PI * (1.0 - 2.0 * y))
        .sinh()
        .atan()
        .to_degrees()
}

/// Longitude of the western edge of grid column `col`.
fn col_lng(col: u64, bits: u32) -> f64 {
    #[allow(clippy::cast_precision_loss, reason = "columns below 2^26: exact")]
    let x = col as f64 / (1u64 << bits) as f64;
    x * 360.0 - 180.0
}

/// Mean Earth radius, as `LatLng::distance_m` uses.
const EARTH_M: f64 = 6_371_008.8;

/// Revisions of the index. The first is the clock in microseconds, so a restarted server never
/// hands out a revision (and with it an ETag) it gave to other data before.
static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn next_revision() -> u64 {
    use std::sync::atomic::Ordering::Relaxed;
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| u64::try_from(d.as_micros()).unwrap_or(1));
    let _ = REVISIONS.compare_exchange(0, start, Relaxed, Relaxed);
    REVISIONS.fetch_add(1, Relaxed)
}

/// Stations by id plus the union tree.
#[derive(Debug, Default)]
pub struct StationIndex {
    revision: u64,
    /// Ordered by id; positions are what the hierarchy stores.
    stations: Vec<Station>,
    /// Each station's location, beside the others for quick scans.
    points: Vec<LatLng>,
    hierarchy: Hierarchy,
    /// Around every station.
    bounds: Option<BBox>,
    children: BTreeMap<UnionId, Vec<UnionId>>,
    unions: BTreeSet<UnionId>,
    /// The deployment's holidays, for "open now" (`PH` in stations' hours).
    holidays: Arc<Holidays>,
}

impl StationIndex {
    /// Builds the index; `stations` must be public stations.
    pub fn new(loaded: Vec<Station>, unions: &[UnionRow]) -> StationIndex {
        // Fresh copies: the loaded stations' text lies scattered between the freed rows it
        // was read from, which keeps that memory from going back to the system. Copied, they
        // pack together (at 100,000 stations, 250 MB resident became 76 MB).
        let mut stations: Vec<Station> = loaded.to_vec();
        drop(loaded);
        stations.sort_by(|a, b| a.id.cmp(&b.id));
        stations.dedup_by(|a, b| a.id == b.id);
        stations.shrink_to_fit();
        let mut children: BTreeMap<UnionId, Vec<UnionId>> = BTreeMap::new();
        for u in unions {
            if let Some(p) = &u.parent {
                children.entry(p.clone()).or_default().push(u.id.clone());
            }
        }
        let unions = unions.iter().map(|u| u.id.clone()).collect();
        let mut index = StationIndex {
            revision: next_revision(),
            stations,
            children,
            unions,
            ..StationIndex::default()
        };
        index.rebuild();
        index
    }

    /// Recomputes what depends on positions and locations.
    fn rebuild(&mut self) {
        self.points = self.stations.iter().map(|s| s.location).collect();
        self.hierarchy = Hierarchy::build(&self.points);
        self.bounds = self.points.split_first().map(|(first, rest)| {
            rest.iter()
                .fold(BBox::point(*first), |b, p| b.including(*p))
        });
    }

    fn position(&self, id: &StationId) -> Option<usize> {
        self.stations.binary_search_by(|s| s.id.cmp(id)).ok()
    }

    /// Puts one station in (new or changed), or takes it out (`None`: hidden or gone), keeping
    /// the order by id. A change that keeps the station's place (a status, a notice: nearly
    /// every write) leaves the hierarchy alone; a station added, removed or moved is taken out
    /// of its cells and put into its new ones at every zoom (a few milliseconds at 100,000
    /// stations, where a rebuild takes about 100).
    pub fn replace(&mut self, id: &StationId, station: Option<Station>) {
        self.revision = next_revision();
        let found = self.position(id);
        match (found, station) {
            (Some(i), Some(s)) if self.stations[i].location == s.location => {
                self.stations[i] = s;
                return;
            }
            (None, None) => return,
            (Some(i), Some(s)) => {
                let at = small(i);
                self.hierarchy.take(at, self.points[i], &self.points);
                self.points[i] = s.location;
                self.hierarchy.put(at, s.location, &self.points);
                self.stations[i] = s;
            }
            (found, s) => {
                if let Some(i) = found {
                    self.hierarchy.take(small(i), self.points[i], &self.points);
                    self.stations.remove(i);
                    self.points.remove(i);
                    // Positions above it move down one.
                    self.hierarchy.renumber(small(i) + 1, false);
                }
                if let Some(s) = s {
                    let at = self.stations.partition_point(|x| x.id < s.id);
                    self.hierarchy.renumber(small(at), true);
                    self.points.insert(at, s.location);
                    self.hierarchy.put(small(at), s.location, &self.points);
                    self.stations.insert(at, s);
                }
            }
        }
        self.bounds = self.points.split_first().map(|(first, rest)| {
            rest.iter()
                .fold(BBox::point(*first), |b, p| b.including(*p))
        });
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

    /// The holidays "open now" follows (none until set).
    pub fn set_holidays(&mut self, holidays: Arc<Holidays>) {
        self.holidays = holidays;
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
        self.position(id)
            .map(|i| self.stations[i].clone().as_seen_at(now))
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
        let unfiltered = q.filter == yizhan_core::query::StationFilter::default();
        let limit = q.limit.unwrap_or(MAX_LIMIT);
        match (q.bbox, q.zoom, q.near) {
            (Some(b), Some(zoom), _) if unfiltered => return self.view(&b, zoom, limit, now),
            (None, _, Some(origin)) if unfiltered => return self.nearest(origin, q, now),
            _ => {}
        }
        self.scan(q, now)
    }

    fn seen(&self, positions: &[u32], now: Timestamp) -> Vec<Station> {
        positions
            .iter()
            .map(|&i| self.stations[i as usize].clone().as_seen_at(now))
            .collect()
    }

    /// An unfiltered map view from the hierarchy.
    fn view(&self, b: &BBox, zoom: u8, limit: usize, now: Timestamp) -> StationList {
        let h = &self.hierarchy;
        let Some(level) = h.levels.get(usize::from(zoom.min(MAX_ZOOM))) else {
            return self.scan(&StationQuery::default(), now);
        };
        let need = min_points(zoom);
        let mut clusters: Vec<Cluster> = Vec::new();
        let mut singles: Vec<u32> = Vec::new();
        let mut total = 0;
        let mut around: Option<[f64; 4]> = None;
        let mut grow = |t: &CellTotals| {
            let [w, s, e, n] = t.bbox();
            around = Some(around.map_or([w, s, e, n], |a| {
                [a[0].min(w), a[1].min(s), a[2].max(e), a[3].max(n)]
            }));
        };
        let mut here: Vec<u32> = Vec::new();
        level.each_in(level.rect(b), |cell| {
            if let Some(t) = level.totals_of(cell) {
                let [w, s, e, n] = t.bbox();
                let (min, max) = (b.min, b.max);
                if w > max.lng.get() || e < min.lng.get() || s > max.lat.get() || n < min.lat.get()
                {
                    return;
                }
                if w >= min.lng.get()
                    && e <= max.lng.get()
                    && s >= min.lat.get()
                    && n <= max.lat.get()
                {
                    // Wholly inside: the totals are the answer (crowded cells only have them).
                    total += t.count;
                    grow(t);
                    clusters.push(t.into_cluster());
                    return;
                }
            }
            here.clear();
            let mut acc: Option<CellTotals> = None;
            for &m in h.members(cell) {
                let p = self.points[m as usize];
                if b.contains(&p) {
                    here.push(m);
                    match &mut acc {
                        Some(t) => t.add(p),
                        None => acc = Some(CellTotals::new(p)),
                    }
                }
            }
            if let Some(t) = acc {
                total += t.count;
                grow(&t);
                if t.count >= need {
                    clusters.push(t.into_cluster());
                } else {
                    singles.extend_from_slice(&here);
                }
            }
        });
        // Singles in id order, as a scan would list them.
        singles.sort_unstable();
        singles.truncate(limit);
        StationList {
            stations: self.seen(&singles, now),
            total,
            next: None,
            clusters,
            bounds: around,
        }
    }

    /// The nearest unfiltered stations: rings of cells around `origin`, outwards until the
    /// page is full and no station beyond the rings can be nearer than its last.
    fn nearest(&self, origin: LatLng, q: &StationQuery, now: Timestamp) -> StationList {
        let total = self.stations.len();
        let limit = q.limit.unwrap_or(MAX_LIMIT);
        let start = q.cursor.unwrap_or(0).min(total);
        let wanted = start.saturating_add(limit).min(total);
        let h = &self.hierarchy;
        let Some(level) = h.levels.get(usize::from(SEARCH_ZOOM)) else {
            return self.scan(q, now);
        };
        let bits = level.bits;
        let last = (1i64 << bits) - 1;
        let (r, c) = grid_cell(origin, bits);
        // The `wanted` nearest so far, farthest on top.
        let mut best: BinaryHeap<Near> = BinaryHeap::with_capacity(wanted + 1);
        let consider = |best: &mut BinaryHeap<Near>, cell: &CellRef| {
            for &m in h.members(cell) {
                let n = Near(origin.distance_m(&self.points[m as usize]), m);
                if best.len() < wanted {
                    best.push(n);
                } else if best.peek().is_some_and(|worst| n < *worst) {
                    best.pop();
                    best.push(n);
                }
            }
        };
        let mut k: i64 = 0;
        loop {
            // A ring longer than the list of cells: reading every cell is cheaper.
            if usize::try_from(8 * k).unwrap_or(usize::MAX) > level.cells.len() {
                return self.scan(q, now);
            }
            let at = |row: i64, col: i64| -> Option<&CellRef> {
                if !(0..=last).contains(&row) || !(0..=last).contains(&col) {
                    return None;
                }
                level.cell(
                    u32::try_from(row).unwrap_or(0),
                    u32::try_from(col).unwrap_or(0),
                )
            };
            if k == 0 {
                if let Some(cell) = at(r, c) {
                    consider(&mut best, cell);
                }
            } else {
                for col in c - k..=c + k {
                    for row in [r - k, r + k] {
                        if let Some(cell) = at(row, col) {
                            consider(&mut best, cell);
                        }
                    }
                }
                for row in r - k + 1..=r + k - 1 {
                    for col in [c - k, c + k] {
                        if let Some(cell) = at(row, col) {
                            consider(&mut best, cell);
                        }
                    }
                }
            }
            let everything = r - k <= 0 && c - k <= 0 && r + k >= last && c + k >= last;
            if everything {
                break;
            }
            if best.len() >= wanted {
                let reach = self.ring_reach(origin, (r, c), k, bits);
                if best.peek().is_none_or(|worst| worst.0 <= reach) {
                    break;
                }
            }
            k += 1;
        }
        let mut page = best.into_sorted_vec();
        let positions: Vec<u32> = page.drain(..).skip(start).map(|n| n.1).collect();
        let end = start + positions.len();
        StationList {
            stations: self.seen(&positions, now),
            total,
            next: (end < total).then(|| end.to_string()),
            clusters: Vec::new(),
            bounds: self.bounds.map(|b| b.to_array()),
        }
    }

    /// A distance in metres no station outside rings `0..=k` around cell `centre` can be
    /// nearer than: to leave the square it must cross one of its sides, and a side is no
    /// nearer than its parallel (a latitude difference) or its whole meridian.
    fn ring_reach(&self, origin: LatLng, centre: (i64, i64), k: i64, bits: u32) -> f64 {
        let last = (1i64 << bits) - 1;
        let (r, c) = centre;
        let (lat, lng) = (origin.lat.get(), origin.lng.get());
        let mut reach = f64::INFINITY;
        let to_u = |v: i64| u64::try_from(v).unwrap_or(0);
        if r - k > 0 {
            reach = reach.min((row_lat(to_u(r - k), bits) - lat).to_radians() * EARTH_M);
        }
        if r + k < last {
            reach = reach.min((lat - row_lat(to_u(r + k + 1), bits)).to_radians() * EARTH_M);
        }
        if c - k > 0 || c + k < last {
            let meridian = |edge: f64| {
                let d = (lng - edge).abs().min(90.0).to_radians();
                (lat.to_radians().cos() * d.sin()).clamp(0.0, 1.0).asin() * EARTH_M
            };
            reach = reach
                .min(meridian(col_lng(to_u(c - k), bits)))
                .min(meridian(col_lng(to_u(c + k + 1), bits)));
        }
        // A metre of margin for rounding at a cell's edge.
        (reach - 1.0).max(0.0)
    }

    /// Any query by filtering candidates: the cells a box touches, or every station.
    fn scan(&self, q: &StationQuery, now: Timestamp) -> StationList {
        let unions = q
            .filter
            .union
            .as_ref()
            .map(|u| self.union_and_below(u).unwrap_or_default());
        let candidates: Vec<u32> = match &q.bbox {
            Some(b) => {
                let mut c = self.hierarchy.candidates(b);
                // Id order, as the answer lists them.
                c.sort_unstable();
                c
            }
            None => (0..small(self.stations.len())).collect(),
        };
        // Filter on positions; only what is answered gets copied. The box around every match
        // grows in the same pass.
        let mut around: Option<BBox> = None;
        let mut matching: Vec<u32> = candidates
            .into_iter()
            .filter(|&i| q.bbox.is_none_or(|b| b.contains(&self.points[i as usize])))
            .filter(|&i| {
                q.filter.matches_in(
                    &self.stations[i as usize],
                    now,
                    unions.as_ref(),
                    &self.holidays,
                )
            })
            .inspect(|&i| {
                let p = self.points[i as usize];
                around = Some(around.map_or(BBox::point(p), |b| b.including(p)));
            })
            .collect();
        let total = matching.len();
        let bounds = around.map(|b| b.to_array());
        let limit = q.limit.unwrap_or(MAX_LIMIT);
        if let (Some(zoom), Some(_)) = (q.zoom, q.bbox) {
            let grouped = cluster::cluster(
                matching.into_iter().map(|i| (self.points[i as usize], i)),
                zoom,
                min_points(zoom),
            );
            let singles: Vec<u32> = grouped.singles.into_iter().take(limit).collect();
            return StationList {
                stations: self.seen(&singles, now),
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
            let mut by_distance: Vec<Near> = matching
                .iter()
                .map(|&i| Near(origin.distance_m(&self.points[i as usize]), i))
                .collect();
            if wanted < by_distance.len() && wanted > 0 {
                by_distance.select_nth_unstable(wanted - 1);
                by_distance.truncate(wanted);
            }
            by_distance.sort_unstable();
            matching = by_distance.into_iter().map(|n| n.1).collect();
        }
        let page: Vec<u32> = matching
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take(limit)
            .copied()
            .collect();
        let end = start + page.len();
        StationList {
            stations: self.seen(&page, now),
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
    use proptest::prelude::*;

    fn unions_of(data: &crate::demo::DemoData) -> Vec<UnionRow> {
        data.unions
            .iter()
            .map(|u| UnionRow {
                id: u.id.clone(),
                name: u.name.clone(),
                parent: u.parent.clone(),
            })
            .collect()
    }

    #[test]
    fn replacing_one_station_keeps_every_other_and_the_order() {
        let now = Timestamp::from_unix(1_000_000);
        let data = crate::demo::beijing(50, now, 3600);
        let mut index = StationIndex::new(data.stations.clone(), &unions_of(&data));
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
        // A station that moved is found at its new place, and no longer at the old one, in
        // lists and in map views.
        let mut moved = data.stations[20].clone();
        let old = moved.location;
        moved.location = LatLng::new(31.2304, 121.4737).expect("Shanghai");
        index.replace(&moved.id, Some(moved.clone()));
        let ids = |q: &str| -> Vec<StationId> {
            let pairs: Vec<(&str, &str)> = q
                .split('&')
                .map(|p| p.split_once('=').unwrap_or((p, "")))
                .collect();
            let q = StationQuery::parse(pairs).0;
            index
                .query(&q, now)
                .stations
                .into_iter()
                .map(|s| s.id)
                .collect()
        };
        assert!(ids("bbox=121.47,31.23,121.48,31.24").contains(&moved.id));
        assert!(ids("bbox=121.47,31.23,121.48,31.24&zoom=18").contains(&moved.id));
        let (lat, lng) = (old.lat.get(), old.lng.get());
        let around_old = format!(
            "bbox={},{},{},{}",
            lng - 1e-6,
            lat - 1e-6,
            lng + 1e-6,
            lat + 1e-6
        );
        assert!(!ids(&around_old).contains(&moved.id));
        assert!(!ids(&format!("{around_old}&zoom=18")).contains(&moved.id));
        assert_eq!(
            ids(&format!("near={},{}&limit=1", 31.2304, 121.4737)),
            vec![moved.id.clone()]
        );
    }

    fn parse(q: &str) -> StationQuery {
        let pairs: Vec<(&str, &str)> = q
            .split('&')
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .collect();
        let (query, errors) = StationQuery::parse(pairs);
        assert!(errors.is_empty(), "{q}: {errors:?}");
        query
    }

    /// What the index answered before the hierarchy: filter every station by the box, then
    /// `cluster::cluster` over them.
    fn reference(stations: &[Station], b: &BBox, zoom: u8, now: Timestamp) -> StationList {
        let mut inside: Vec<&Station> = stations
            .iter()
            .filter(|s| b.contains(&s.location))
            .collect();
        inside.sort_by(|a, b| a.id.cmp(&b.id));
        let bounds = inside
            .iter()
            .fold(None::<BBox>, |a, s| {
                Some(a.map_or(BBox::point(s.location), |a| a.including(s.location)))
            })
            .map(|b| b.to_array());
        let total = inside.len();
        let grouped = cluster::cluster(
            inside.into_iter().map(|s| (s.location, s)),
            zoom,
            min_points(zoom),
        );
        StationList {
            stations: grouped
                .singles
                .into_iter()
                .map(|s| s.clone().as_seen_at(now))
                .collect(),
            total,
            next: None,
            clusters: grouped.clusters,
            bounds,
        }
    }

    struct Sets {
        now: Timestamp,
        nationwide: (Vec<Station>, StationIndex),
        beijing: (Vec<Station>, StationIndex),
    }

    fn sets() -> &'static Sets {
        static SETS: std::sync::OnceLock<Sets> = std::sync::OnceLock::new();
        SETS.get_or_init(|| {
            let now = Timestamp::from_unix(1_000_000);
            let make = |data: crate::demo::DemoData| {
                let index = StationIndex::new(data.stations.clone(), &unions_of(&data));
                (data.stations, index)
            };
            Sets {
                now,
                nationwide: make(crate::demo::nationwide(3000, now, 3600)),
                // Dense: 3,000 stations in one city.
                beijing: make(crate::demo::beijing(3000, now, 3600)),
            }
        })
    }

    /// A box from fractions: its centre somewhere over China, its size from a street to the
    /// whole country.
    fn a_box(cx: f64, cy: f64, size: f64, aspect: f64, dense: bool) -> BBox {
        let (lng0, lat0, w0, h0) = if dense {
            (115.4, 39.4, 2.1, 1.7)
        } else {
            (73.0, 18.0, 62.0, 36.0)
        };
        let w = (w0 * size).max(1e-4);
        let h = (w * aspect).min(h0 * 2.0);
        let lng = lng0 + w0 * cx;
        let lat = lat0 + h0 * cy;
        BBox::parse(&format!(
            "{},{},{},{}",
            (lng - w / 2.0).max(-180.0),
            (lat - h / 2.0).max(-90.0),
            (lng + w / 2.0).min(180.0),
            (lat + h / 2.0).min(90.0)
        ))
        .expect("box")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The hierarchy answers exactly what filtering and clustering every station answers:
        /// the same clusters in the same order, the same singles, total and bounds.
        #[test]
        fn map_views_from_the_hierarchy_match_a_scan_and_cluster(
            cx in 0.0..1.0f64,
            cy in 0.0..1.0f64,
            size in prop_oneof![0.0001..0.01f64, 0.01..0.2f64, 0.2..1.5f64],
            aspect in 0.3..2.0f64,
            zoom in 0u8..=22,
            dense in any::<bool>(),
        ) {
            let sets = sets();
            let (stations, index) = if dense { &sets.beijing } else { &sets.nationwide };
            let b = a_box(cx, cy, size, aspect, dense);
            let q = parse(&format!("bbox={}&zoom={zoom}", b.to_param()));
            let got = index.query(&q, sets.now);
            let want = reference(stations, &b, zoom, sets.now);
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn the_country_city_and_street_views_match_a_scan_and_cluster() {
        let sets = sets();
        let mut nonempty = 0;
        for (stations, index) in [&sets.nationwide, &sets.beijing] {
            for (b, zoom) in [
                ("73,18,135,54", 4),
                ("116.2,39.8,116.6,40.0", 12),
                ("116.39,39.90,116.41,39.92", 16),
                ("116.396,39.905,116.404,39.916", 16),
                ("116.3,39.9,116.4,40.0", 11),
                ("-180,-90,180,90", 0),
                ("-180,-90,180,90", 22),
                ("-10,-10,10,10", 8),
            ] {
                let bbox = BBox::parse(b).expect("box");
                let got = index.query(&parse(&format!("bbox={b}&zoom={zoom}")), sets.now);
                nonempty += usize::from(got.total > 0);
                assert_eq!(
                    got,
                    reference(stations, &bbox, zoom, sets.now),
                    "{b} z{zoom}"
                );
            }
        }
        assert!(nonempty >= 8, "too few views had stations: {nonempty}");
    }

    /// Regression: at street zoom nothing was grouped, so the dense Beijing set answered a
    /// phone's street view with hundreds of stations (317 KB at 100,000).
    #[test]
    fn a_street_view_holds_no_more_than_a_screen_can_show() {
        let now = Timestamp::from_unix(1_000_000);
        let data = crate::demo::beijing(3000, now, 3600);
        let mut stations = data.stations.clone();
        // And 500 more on one spot.
        for i in 0..500 {
            let mut s = data.stations[0].clone();
            s.id = StationId::parse(&format!("zz-same-spot-{i}")).expect("id");
            s.location = LatLng::new(39.91, 116.40).expect("point");
            stations.push(s);
        }
        let index = StationIndex::new(stations, &[]);
        for zoom in [16, 18, 22] {
            let got = index.query(
                &parse(&format!("bbox=116.396,39.905,116.404,39.916&zoom={zoom}")),
                now,
            );
            let counted: usize = got.clusters.iter().map(|c| c.count).sum();
            assert_eq!(got.stations.len() + counted, got.total);
            assert!(got.total >= 500);
            // At most one bubble per marker-sized cell of a phone's screen.
            assert!(
                got.stations.len() + got.clusters.len() <= 40 * 23,
                "z{zoom}"
            );
            assert!(got.clusters.iter().any(|c| c.count >= 500), "z{zoom}");
        }
    }

    /// A cell as plain values: row, column, start, length, totals.
    type Shape = (u32, u32, u32, u32, Option<CellTotals>);

    /// The hierarchy's cells and totals as plain values, to compare two hierarchies.
    fn shape(h: &Hierarchy) -> Vec<Vec<Shape>> {
        h.levels
            .iter()
            .map(|l| {
                l.cells
                    .iter()
                    .map(|c| (c.row, c.col, c.start, c.len, l.totals_of(c).copied()))
                    .collect()
            })
            .collect()
    }

    /// Stations moved, hidden and added one at a time leave the hierarchy exactly as a
    /// rebuild from the same stations makes it.
    #[test]
    fn updating_the_hierarchy_in_place_matches_a_rebuild() {
        let now = Timestamp::from_unix(1_000_000);
        let data = crate::demo::beijing(2000, now, 3600);
        let mut index = StationIndex::new(data.stations.clone(), &[]);
        let mut rng = 7u64;
        let mut next = |n: usize| {
            rng = rng
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(rng >> 33).unwrap_or(0) % n.max(1)
        };
        let spot = LatLng::new(39.91, 116.40).expect("point");
        for step in 0..300 {
            let s = data.stations[next(data.stations.len())].clone();
            match step % 4 {
                // Moved a little, or onto one crowded spot (cells grow past TOTALS_MIN).
                0 => {
                    let mut m = s.clone();
                    m.location = LatLng::new(
                        s.location.lat.get() + 0.001 * (next(21) as f64 - 10.0),
                        s.location.lng.get() + 0.001 * (next(21) as f64 - 10.0),
                    )
                    .expect("point");
                    index.replace(&s.id, Some(m));
                }
                1 => {
                    let mut m = s.clone();
                    m.location = spot;
                    index.replace(&s.id, Some(m));
                }
                2 => index.replace(&s.id, None),
                _ => index.replace(&s.id, Some(s.clone())),
            }
        }
        let stations: Vec<Station> = index.all(now).collect();
        let fresh = StationIndex::new(stations.clone(), &[]);
        assert_eq!(index.hierarchy.order, fresh.hierarchy.order);
        assert_eq!(index.hierarchy.codes, fresh.hierarchy.codes);
        assert_eq!(shape(&index.hierarchy), shape(&fresh.hierarchy));
        assert_eq!(index.bounds, fresh.bounds);
        for (b, zoom) in [
            ("115.4,39.4,117.5,41.1", 9),
            ("116.39,39.90,116.41,39.92", 17),
        ] {
            let q = parse(&format!("bbox={b}&zoom={zoom}"));
            assert_eq!(index.query(&q, now), fresh.query(&q, now));
        }
    }

    /// Nearest-first pages from the rings of cells equal a sort of every station.
    #[test]
    fn nearest_stations_from_rings_match_a_full_sort() {
        let sets = sets();
        for (stations, index) in [&sets.nationwide, &sets.beijing] {
            for (near, limit, cursor) in [
                ("39.9,116.4", 30, 0),
                ("31.23,121.47", 30, 0),
                ("39.9,116.4", 30, 60),
                ("45.0,90.0", 5, 0),
                ("0,0", 3, 0),
                ("39.9,116.4", 5000, 0),
            ] {
                let q = parse(&format!("near={near}&limit={limit}&cursor={cursor}"));
                let origin = q.near.expect("near");
                let got = index.query(&q, sets.now);
                let mut want: Vec<(f64, &Station)> = stations
                    .iter()
                    .map(|s| (origin.distance_m(&s.location), s))
                    .collect();
                want.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
                let want: Vec<&StationId> = want
                    .iter()
                    .skip(cursor)
                    .take(limit)
                    .map(|(_, s)| &s.id)
                    .collect();
                let got_ids: Vec<&StationId> = got.stations.iter().map(|s| &s.id).collect();
                assert_eq!(got_ids, want, "near={near} limit={limit} cursor={cursor}");
                assert_eq!(got.total, stations.len());
                let end = (cursor + limit).min(stations.len());
                assert_eq!(got.next, (end < stations.len()).then(|| end.to_string()));
            }
        }
    }

    /// Filtered views keep the scan: the grid answers exactly what a pass over every station
    /// answers, in the same order.
    #[test]
    fn box_queries_through_the_grid_match_a_full_scan() {
        let sets = sets();
        let (stations, index) = &sets.nationwide;
        let now = sets.now;
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
            let q = parse(&format!("bbox={b}&limit=500"));
            let got: Vec<StationId> = index
                .query(&q, now)
                .stations
                .into_iter()
                .map(|s| s.id)
                .collect();
            let bbox = BBox::parse(b).expect("box");
            let mut want: Vec<StationId> = stations
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
                stations
                    .iter()
                    .filter(|s| bbox.contains(&s.location))
                    .count(),
                "{b}"
            );
            // A filtered map view still clusters what passes the filter.
            let q = parse(&format!("bbox={b}&zoom=9&open_24h=1"));
            let got = index.query(&q, now);
            let counted: usize = got.clusters.iter().map(|c| c.count).sum();
            assert_eq!(got.stations.len() + counted, got.total, "{b}");
        }
        assert!(found >= 4, "too few boxes had stations to compare: {found}");
    }
}

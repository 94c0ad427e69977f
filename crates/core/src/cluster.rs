//! Grid clustering of stations for the map, so that a phone looking at all of China receives a
//! few hundred bubbles instead of 100,000 stations.
//!
//! Stations are grouped by the square cell of [`CELL_PX`] screen pixels they fall in at the
//! requested zoom (from [`MARKER_ZOOM`] on, of [`MARKER_CELL_PX`]: a marker's size, so only
//! markers that would overlap are grouped and no zoom returns more than a screen can show).
//! Every cell size is a power of two of the world's width, so the grids of all zooms nest and a
//! server can group its stations once per zoom ([`grid_bits`], [`grid_cell`]). The cells belong to the global Web-Mercator pixel grid, not to the requested
//! bounding box, so panning never reshuffles the bubbles and two overlapping requests agree on
//! every cell both of them see in full. The server runs this for `GET /api/v1/stations`; the
//! browser uses [`world_px`] to place and hit-test the same cells.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::f64::consts::PI;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use crate::geo::{BBox, LatLng};

/// A group of nearby stations drawn as one bubble.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cluster {
    /// Latitude of the centre: the mean of the members' latitudes.
    pub lat: f64,
    /// Longitude of the centre: the mean of the members' longitudes.
    pub lng: f64,
    /// How many stations the bubble stands for.
    pub count: usize,
    /// `[minLng, minLat, maxLng, maxLat]` of the members: zooming to it splits the bubble.
    pub bbox: [f64; 4],
}

/// Cell size in screen pixels (at 256-px tiles) within which stations merge.
pub const CELL_PX: f64 = 64.0;

/// From this zoom on, cells are [`MARKER_CELL_PX`] wide: at street level only stations whose
/// markers would overlap are grouped.
pub const MARKER_ZOOM: u8 = 16;

/// Cell size in screen pixels from [`MARKER_ZOOM`] on: about a station marker (14 px across).
pub const MARKER_CELL_PX: f64 = 16.0;

/// How many cells the world is across at `zoom`, as a power of two: `256 × 2^zoom` pixels over
/// cells of [`CELL_PX`] (or [`MARKER_CELL_PX`] from [`MARKER_ZOOM`] on). Zoom 22 gives 26.
pub fn grid_bits(zoom: u8) -> u32 {
    if zoom < MARKER_ZOOM {
        u32::from(zoom) + 2
    } else {
        u32::from(zoom) + 4
    }
}

/// Where Web-Mercator's square world ends: `atan(sinh(π))` in degrees. Beyond it the projection
/// runs off to infinity, so latitudes are clamped to it.
const MAX_MERCATOR_LAT: f64 = 85.051_128_779_806_6;

/// Fixed-point units per degree for the centre sums (1e-7° is about a centimetre). Integer sums
/// do not depend on the order of addition, so a cell's centre is bit-for-bit the same whatever
/// order the database returned its stations in. |180 × 1e7| × 5e9 items still fits in an `i64`.
const FIXED_PER_DEG: f64 = 1e7;

/// The result: stations to draw alone and clusters.
#[derive(Clone, Debug, PartialEq)]
pub struct Clustered<T> {
    /// Stations in cells with fewer than `min_points` stations, in input order.
    pub singles: Vec<T>,
    /// One bubble per crowded cell, sorted by the cell's row, then column.
    pub clusters: Vec<Cluster>,
}

/// Web-Mercator world pixel of a point at zoom (256 px tiles), for tests and the client.
///
/// `(0, 0)` is the north-west corner of the world at longitude -180 and latitude
/// 85.0511°; x grows eastwards and y southwards up to `256 × 2^zoom`.
pub fn world_px(p: LatLng, zoom: u8) -> (f64, f64) {
    // A power of two by repeated doubling is exact, so cell edges line up across zooms.
    let size = 256.0 * 2f64.powi(i32::from(zoom));
    let (x, y) = world_unit(p);
    (x * size, y * size)
}

/// [`world_px`] of a world one unit wide. Scaling by a power of two is exact, so a cell of
/// any zoom is this times a power of two, floored: the same cell whichever zoom it came from.
pub fn world_unit(p: LatLng) -> (f64, f64) {
    let lat = p.lat.get().clamp(-MAX_MERCATOR_LAT, MAX_MERCATOR_LAT);
    let sin = lat.to_radians().sin();
    let x = (p.lng.get() + 180.0) / 360.0;
    // ln(tan(π/4 + φ/2)) written with one sine and one logarithm.
    let y = 0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * PI);
    (x, y)
}

/// The cell (row, column) of `p` in the grid `2^bits` cells across (see [`grid_bits`]),
/// clamped to the world, so a point on its last edge (longitude 180) stays in the last cell.
pub fn grid_cell(p: LatLng, bits: u32) -> (i64, i64) {
    let cells = 1i64 << bits.min(62);
    #[allow(
        clippy::cast_precision_loss,
        reason = "a power of two up to 2^62: exact"
    )]
    let scale = cells as f64;
    let (x, y) = world_unit(p);
    let at = |v: f64| ((v * scale).floor() as i64).clamp(0, cells - 1);
    (at(y), at(x))
}

/// Grows `b` outwards to whole 256-px map tiles at `zoom`. The map asks for data by these
/// snapped boxes, so small pans repeat the same request (answered from caches), and every
/// clustering cell inside is whole (cells nest in tiles), so no cluster is cut at the edge.
pub fn snap_to_tiles(b: BBox, zoom: u8) -> BBox {
    const TILE: f64 = 256.0;
    let size = TILE * 2f64.powi(i32::from(zoom));
    let (x0, y0) = world_px(
        LatLng {
            lat: b.max.lat,
            lng: b.min.lng,
        },
        zoom,
    );
    let (x1, y1) = world_px(
        LatLng {
            lat: b.min.lat,
            lng: b.max.lng,
        },
        zoom,
    );
    // `max`/`min` rather than `clamp`: with a bound not known at compile time, `clamp`'s
    // check of its bounds brings the float printer into the rider's wasm (about 5 KB brotli).
    let snap_down = |v: f64| ((v / TILE).floor() * TILE).max(0.0).min(size);
    let snap_up = |v: f64| ((v / TILE).ceil() * TILE).max(0.0).min(size);
    let lng = |x: f64| x / size * 360.0 - 180.0;
    let lat = |y: f64| (PI * (1.0 - 2.0 * y / size)).sinh().atan().to_degrees();
    let corner = |la: f64, ln: f64| LatLng::new(la, ln).ok();
    match (
        corner(lat(snap_up(y1)), lng(snap_down(x0))),
        corner(lat(snap_down(y0)), lng(snap_up(x1))),
    ) {
        // Snapping only ever grows the box; keep the original where the poles clip it.
        (Some(min), Some(max)) => BBox {
            min: LatLng {
                lat: if min.lat.get() <= b.min.lat.get() {
                    min.lat
                } else {
                    b.min.lat
                },
                lng: min.lng,
            },
            max: LatLng {
                lat: if max.lat.get() >= b.max.lat.get() {
                    max.lat
                } else {
                    b.max.lat
                },
                lng: max.lng,
            },
        },
        _ => b,
    }
}

/// The grid cell of a point as (row, column): row first, so that sorting keys gives the output
/// order.
fn cell_key(p: LatLng, zoom: u8) -> (i64, i64) {
    grid_cell(p, grid_bits(zoom))
}

fn fixed(deg: f64) -> i64 {
    // Truncation rather than `round`, which is a library call on baseline x86-64 and wasm;
    // the centimetre it may lose does not show on a map.
    (deg * FIXED_PER_DEG) as i64
}

/// A multiply-rotate hash for cell keys (the one rustc uses, "FxHash"). The default SipHash
/// guards against keys chosen by an attacker; cell keys come from our own station data, and
/// SipHash was a fifth of the running time.
#[derive(Default)]
struct CellHasher(u64);

impl Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
    }

    fn write_i64(&mut self, v: i64) {
        self.write_u64(v as u64);
    }
}

/// Running totals for the stations of one cell, so members need not be kept to describe the
/// bubble. Sums are integers, so totals built in any order (or precomputed and merged) give
/// the same bubble to the bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellTotals {
    /// Stations counted.
    pub count: usize,
    lat_sum: i64,
    lng_sum: i64,
    min_lat: f64,
    min_lng: f64,
    max_lat: f64,
    max_lng: f64,
}

impl CellTotals {
    /// The totals of one station.
    pub fn new(p: LatLng) -> Self {
        let (lat, lng) = (p.lat.get(), p.lng.get());
        Self {
            count: 1,
            lat_sum: fixed(lat),
            lng_sum: fixed(lng),
            min_lat: lat,
            min_lng: lng,
            max_lat: lat,
            max_lng: lng,
        }
    }

    /// Counts one more station.
    pub fn add(&mut self, p: LatLng) {
        let (lat, lng) = (p.lat.get(), p.lng.get());
        self.count += 1;
        self.lat_sum += fixed(lat);
        self.lng_sum += fixed(lng);
        self.min_lat = self.min_lat.min(lat);
        self.min_lng = self.min_lng.min(lng);
        self.max_lat = self.max_lat.max(lat);
        self.max_lng = self.max_lng.max(lng);
    }

    /// `[minLng, minLat, maxLng, maxLat]` of the stations counted.
    pub fn bbox(&self) -> [f64; 4] {
        [self.min_lng, self.min_lat, self.max_lng, self.max_lat]
    }

    /// The bubble for these stations.
    pub fn into_cluster(self) -> Cluster {
        let mean = |sum: i64| sum as f64 / self.count as f64 / FIXED_PER_DEG;
        // Truncating to fixed point can nudge the mean a hair past the members; keep it inside
        // the box the client zooms to. (max/min rather than clamp: they cannot panic.)
        let lat = mean(self.lat_sum).max(self.min_lat).min(self.max_lat);
        let lng = mean(self.lng_sum).max(self.min_lng).min(self.max_lng);
        Cluster {
            lat,
            lng,
            count: self.count,
            bbox: self.bbox(),
        }
    }
}

/// Groups items by the grid cell they fall in at `zoom`; a cell with at least `min_points` items
/// becomes a cluster, otherwise its items stay single. From [`MARKER_ZOOM`] on, cells are a
/// marker's size.
///
/// `min_points` of 0 or 1 is treated as 2: a bubble of one is just a station. Every item ends
/// up either in `singles` or counted in exactly one cluster. The output is deterministic:
/// singles keep input order and clusters come sorted by (cell row, cell column); a cell's
/// cluster does not depend on the order of its items or on what else was passed in.
pub fn cluster<T>(
    items: impl IntoIterator<Item = (LatLng, T)>,
    zoom: u8,
    min_points: usize,
) -> Clustered<T> {
    let items = items.into_iter();
    let min_points = min_points.max(2);

    // Cells live in a Vec and the map only points into it, so the map stays small and the
    // cells can be sorted by key at the end.
    let mut slots: HashMap<(i64, i64), usize, BuildHasherDefault<CellHasher>> = HashMap::default();
    let mut cells: Vec<((i64, i64), CellTotals)> = Vec::new();
    // Each item waits with its cell's slot until we know whether that cell is crowded.
    let mut pending: Vec<(usize, T)> = Vec::with_capacity(items.size_hint().0);
    for (p, item) in items {
        let key = cell_key(p, zoom);
        let slot = match slots.entry(key) {
            Entry::Occupied(e) => {
                let slot = *e.get();
                cells[slot].1.add(p);
                slot
            }
            Entry::Vacant(e) => {
                e.insert(cells.len());
                cells.push((key, CellTotals::new(p)));
                cells.len() - 1
            }
        };
        pending.push((slot, item));
    }

    let singles = pending
        .into_iter()
        .filter(|(slot, _)| cells[*slot].1.count < min_points)
        .map(|(_, item)| item)
        .collect();
    let mut crowded: Vec<((i64, i64), CellTotals)> = cells
        .into_iter()
        .filter(|c| c.1.count >= min_points)
        .collect();
    // Keys are unique, so an unstable sort is still deterministic.
    crowded.sort_unstable_by_key(|c| c.0);
    Clustered {
        singles,
        clusters: crowded.into_iter().map(|c| c.1.into_cluster()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn pt(lat: f64, lng: f64) -> LatLng {
        LatLng::new(lat, lng).expect("valid test point")
    }

    /// The obvious, slow version: every cell's members listed out, cells in (row, column) order.
    fn reference(points: &[LatLng], zoom: u8) -> BTreeMap<(i64, i64), Vec<usize>> {
        let mut cells: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
        for (i, p) in points.iter().enumerate() {
            cells.entry(cell_key(*p, zoom)).or_default().push(i);
        }
        cells
    }

    /// A cluster's cell, found from its bbox corner: x depends only on longitude and y only on
    /// latitude, so (maxLat, minLng) projects exactly as the members holding those values did.
    fn cell_of(c: &Cluster, zoom: u8) -> (i64, i64) {
        cell_key(pt(c.bbox[3], c.bbox[0]), zoom)
    }

    #[test]
    fn world_px_puts_null_island_in_the_middle_of_the_zoom_0_tile() {
        let (x, y) = world_px(pt(0.0, 0.0), 0);
        assert!((x - 128.0).abs() < 1e-9, "{x}");
        assert!((y - 128.0).abs() < 1e-9, "{y}");
    }

    #[test]
    fn world_px_puts_tiananmen_where_the_slippy_map_formula_does() {
        // Derived independently in Python from the OSM slippy-map formula with size 256·2^10:
        //   x = (lng + 180) / 360 · size
        //   y = (1 − ln(tan φ + sec φ) / π) / 2 · size
        // giving (215830.0729, 99328.9837), i.e. tile 843/388, the tile that shows Beijing.
        let (x, y) = world_px(pt(39.9087, 116.3975), 10);
        assert!((x - 215_830.072_888_9).abs() < 1e-6, "{x}");
        assert!((y - 99_328.983_705_4).abs() < 1e-6, "{y}");
    }

    #[test]
    fn latitudes_beyond_the_mercator_limit_are_clamped_to_the_map_edge() {
        let size = 256.0 * 2f64.powi(5);
        let (_, north) = world_px(pt(90.0, 0.0), 5);
        let (_, south) = world_px(pt(-89.0, 0.0), 5);
        assert!(north.is_finite() && north.abs() < 1e-6, "{north}");
        assert!(south.is_finite() && (south - size).abs() < 1e-6, "{south}");
    }

    #[test]
    fn no_items_give_nothing() {
        let out = cluster(Vec::<(LatLng, ())>::new(), 5, 2);
        assert!(out.singles.is_empty() && out.clusters.is_empty());
    }

    #[test]
    fn stations_in_one_cell_become_one_cluster_with_mean_centre_and_bbox() {
        let items = [
            (pt(39.90, 116.30), 'a'),
            (pt(39.92, 116.40), 'b'),
            (pt(39.94, 116.50), 'c'),
        ];
        let out = cluster(items, 5, 2);
        assert!(out.singles.is_empty());
        let [c] = out.clusters.as_slice() else {
            panic!("expected one cluster, got {:?}", out.clusters);
        };
        assert_eq!(c.count, 3);
        assert!(
            (c.lat - 39.92).abs() < 1e-9 && (c.lng - 116.40).abs() < 1e-9,
            "{c:?}"
        );
        assert_eq!(c.bbox, [116.30, 39.90, 116.50, 39.94]);
    }

    #[test]
    fn a_cell_with_fewer_than_min_points_keeps_its_stations_single_in_input_order() {
        let items = [
            (pt(39.90, 116.30), 0),
            (pt(31.23, 121.47), 1), // Shanghai, alone in its cell
            (pt(39.92, 116.40), 2),
            (pt(23.13, 113.26), 3), // Guangzhou, alone in its cell
        ];
        let out = cluster(items, 5, 3);
        assert_eq!(out.singles, vec![0, 1, 2, 3]);
        assert!(out.clusters.is_empty());
    }

    #[test]
    fn min_points_of_zero_or_one_is_treated_as_two() {
        for min_points in [0, 1] {
            let out = cluster([(pt(31.23, 121.47), 7)], 5, min_points);
            assert_eq!(out.singles, vec![7]);
            assert!(out.clusters.is_empty());
        }
    }

    /// Regression: from zoom 16 nothing was grouped, so 10,000 stations on one street came
    /// back one by one (a 317 KB answer) and coinciding markers hid each other.
    #[test]
    fn from_zoom_16_only_markers_that_would_overlap_are_grouped() {
        for zoom in [MARKER_ZOOM, 19, 22] {
            let items = vec![(pt(39.9087, 116.3975), ()); 10];
            let out = cluster(items, zoom, 2);
            assert!(out.singles.is_empty(), "{zoom}");
            assert_eq!(out.clusters.len(), 1, "{zoom}");
            // 30 px apart at this zoom (more than a cell): two markers side by side, both drawn.
            let size = 256.0 * 2f64.powi(i32::from(zoom));
            let east = 116.3975 + 30.0 / size * 360.0;
            let items = [(pt(39.9087, 116.3975), 0), (pt(39.9087, east), 1)];
            let out = cluster(items, zoom, 2);
            assert_eq!(out.singles, vec![0, 1], "{zoom}");
        }
    }

    #[test]
    fn a_cell_of_any_zoom_is_a_finer_cell_shifted() {
        let p = pt(39.9087, 116.3975);
        let fine = grid_cell(p, grid_bits(22));
        for zoom in 0..=22 {
            let shift = grid_bits(22) - grid_bits(zoom);
            assert_eq!(
                grid_cell(p, grid_bits(zoom)),
                (fine.0 >> shift, fine.1 >> shift)
            );
        }
        // The world's last edge stays in the last cell.
        assert_eq!(grid_cell(pt(0.0, 180.0), 3).1, 7);
    }

    #[test]
    fn close_stations_either_side_of_a_cell_edge_stay_apart() {
        // The grid is fixed, not drawn around the data: that is what keeps panning stable.
        // Longitude 0 is a cell edge at every zoom.
        let items = [
            (pt(51.48, -0.000_001), 0),
            (pt(51.48, -0.000_002), 1),
            (pt(51.48, 0.000_001), 2),
            (pt(51.48, 0.000_002), 3),
        ];
        let out = cluster(items, 5, 2);
        assert_eq!(out.clusters.len(), 2);
        assert!(out.clusters.iter().all(|c| c.count == 2));
    }

    #[test]
    fn clusters_serialise_as_the_public_contract_says() {
        let c = Cluster {
            lat: 39.9,
            lng: 116.4,
            count: 12,
            bbox: [116.3, 39.8, 116.5, 40.0],
        };
        let json = serde_json::to_string(&c).expect("serialises");
        assert_eq!(
            json,
            r#"{"lat":39.9,"lng":116.4,"count":12,"bbox":[116.3,39.8,116.5,40.0]}"#
        );
        assert_eq!(serde_json::from_str::<Cluster>(&json).expect("parses"), c);
    }

    /// Up to 2000 points in a box around China.
    fn china_points() -> impl Strategy<Value = Vec<LatLng>> {
        prop::collection::vec((18.0..54.0f64, 73.0..135.0f64), 0..2000)
            .prop_map(|v| v.into_iter().map(|(lat, lng)| pt(lat, lng)).collect())
    }

    proptest! {
        #[test]
        fn every_item_is_single_or_in_exactly_one_cluster_of_its_cell(
            points in china_points(),
            zoom in 0u8..=18,
            min_points in 0usize..=10,
        ) {
            let out = cluster(points.iter().copied().zip(0..), zoom, min_points);

            // Singles: each index once, in input order.
            prop_assert!(out.singles.windows(2).all(|w| w[0] < w[1]));
            let clustered: usize = out.clusters.iter().map(|c| c.count).sum();
            prop_assert_eq!(out.singles.len() + clustered, points.len());

            // Identity: against the slow version, exactly the crowded cells' members are
            // clustered, each cluster counts its cell's members, and clusters come in
            // (row, column) order.
            let need = min_points.max(2);
            let cells = reference(&points, zoom);
            let (mut want_singles, mut want_clusters) = (BTreeSet::new(), Vec::new());
            for (key, members) in &cells {
                if members.len() < need {
                    want_singles.extend(members.iter().copied());
                } else {
                    want_clusters.push((*key, members));
                }
            }
            prop_assert_eq!(out.singles.iter().copied().collect::<BTreeSet<_>>(), want_singles);
            prop_assert_eq!(out.clusters.len(), want_clusters.len());
            for (c, (key, members)) in out.clusters.iter().zip(&want_clusters) {
                prop_assert_eq!(cell_of(c, zoom), *key);
                prop_assert_eq!(c.count, members.len());
                let lats = members.iter().map(|&i| points[i].lat.get());
                let lngs = members.iter().map(|&i| points[i].lng.get());
                prop_assert_eq!(c.bbox[0], lngs.clone().fold(f64::INFINITY, f64::min));
                prop_assert_eq!(c.bbox[1], lats.clone().fold(f64::INFINITY, f64::min));
                prop_assert_eq!(c.bbox[2], lngs.fold(f64::NEG_INFINITY, f64::max));
                prop_assert_eq!(c.bbox[3], lats.fold(f64::NEG_INFINITY, f64::max));
            }
        }

        #[test]
        fn every_cluster_holds_its_centre_and_at_least_min_points(
            points in china_points(),
            zoom in 0u8..=18,
            min_points in 0usize..=10,
        ) {
            let out = cluster(points.iter().map(|p| (*p, ())), zoom, min_points);
            for c in &out.clusters {
                let [min_lng, min_lat, max_lng, max_lat] = c.bbox;
                prop_assert!(min_lng <= c.lng && c.lng <= max_lng, "{:?}", c);
                prop_assert!(min_lat <= c.lat && c.lat <= max_lat, "{:?}", c);
                prop_assert!(c.count >= min_points.max(2), "{:?}", c);
            }
        }

        #[test]
        fn a_cell_seen_in_full_clusters_the_same_whatever_else_is_requested(
            points in china_points(),
            zoom in 0u8..=22,
            min_points in 0usize..=10,
            // A window of cells, as fractions of the occupied cell range, standing in for a
            // panned viewport; plus a sprinkling of points from outside it, standing in for the
            // partly visible cells at the viewport's edge.
            rows in (0.0..=1.0f64, 0.0..=1.0f64),
            cols in (0.0..=1.0f64, 0.0..=1.0f64),
            keep_outside_every in 1usize..=7,
        ) {
            let keys: Vec<(i64, i64)> = points.iter().map(|p| cell_key(*p, zoom)).collect();
            let span = |f: fn(&(i64, i64)) -> i64, (a, b): (f64, f64)| {
                let lo = keys.iter().map(f).min().unwrap_or(0);
                let hi = keys.iter().map(f).max().unwrap_or(0);
                let at = |t: f64| lo + ((hi - lo) as f64 * t).round() as i64;
                at(a.min(b))..=at(a.max(b))
            };
            let (row_range, col_range) = (span(|k| k.0, rows), span(|k| k.1, cols));
            let inside = |k: &(i64, i64)| row_range.contains(&k.0) && col_range.contains(&k.1);

            let full = cluster(points.iter().copied().zip(0..), zoom, min_points);
            // The subset arrives in reverse order, as another query plan might return it.
            let subset: Vec<(LatLng, usize)> = (0..points.len())
                .rev()
                .filter(|&i| inside(&keys[i]) || i % keep_outside_every == 0)
                .map(|i| (points[i], i))
                .collect();
            let part = cluster(subset, zoom, min_points);

            let clusters_inside = |c: &&Cluster| inside(&cell_of(c, zoom));
            let singles_inside = |out: &Clustered<usize>| -> BTreeSet<usize> {
                out.singles.iter().copied().filter(|&i| inside(&keys[i])).collect()
            };
            prop_assert_eq!(
                full.clusters.iter().filter(clusters_inside).collect::<Vec<_>>(),
                part.clusters.iter().filter(clusters_inside).collect::<Vec<_>>()
            );
            prop_assert_eq!(singles_inside(&full), singles_inside(&part));
        }
    }

    #[test]
    fn snapped_box_contains_the_view_and_is_stable_under_small_pans() {
        let view = BBox::parse("116.30,39.85,116.45,39.95").expect("box");
        let snapped = snap_to_tiles(view, 11);
        assert!(snapped.min.lat.get() <= 39.85 && snapped.min.lng.get() <= 116.30);
        assert!(snapped.max.lat.get() >= 39.95 && snapped.max.lng.get() >= 116.45);
        assert_eq!(
            snap_to_tiles(snapped, 11),
            snapped,
            "snapping is idempotent"
        );
        // A pan of a few pixels inside the same tiles asks for the same box.
        let nudged = BBox::parse("116.301,39.851,116.451,39.951").expect("box");
        assert_eq!(snap_to_tiles(nudged, 11), snapped);
    }

    #[test]
    fn snapping_the_whole_world_stays_on_the_globe() {
        let world = BBox::parse("-180,-90,180,90").expect("box");
        let snapped = snap_to_tiles(world, 0);
        assert_eq!(snapped.min.lng.get(), -180.0);
        assert_eq!(snapped.max.lng.get(), 180.0);
    }
}

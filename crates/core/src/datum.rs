//! Conversions between WGS-84 and the two datums Chinese web maps are drawn in.
//!
//! GCJ-02 ("Mars coordinates") is a deliberate, non-linear obfuscation of WGS-84 that Chinese
//! law requires of every map published in China, so Amap/Gaode and Tencent tiles are drawn in
//! it; Baidu adds a second offset of its own on top (BD-09). Shifts are a few hundred metres,
//! enough to put a marker on the wrong side of a street.
//!
//! Yizhan stores and serves WGS-84 everywhere and converts only at the edges: the browser, when
//! the tile provider draws in GCJ-02, and CSV import, when union staff declare GCJ-02 or BD-09
//! coordinates. Outside China (a rough bounding box) every conversion is the identity, as the
//! published formulas are.
//!
//! Every conversion returns a valid [`LatLng`]: inside the box the shifts are far too small to
//! leave the coordinate ranges, and should a formula ever produce something that does not
//! validate, the input is returned unchanged rather than panicking.

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

use crate::geo::LatLng;

/// A geodetic datum stations may be given or drawn in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Datum {
    /// WGS-84, what GPS reports and what Yizhan stores.
    #[default]
    Wgs84,
    /// GCJ-02, the obfuscated datum of Amap/Gaode and Tencent maps.
    Gcj02,
    /// BD-09, Baidu's further offset of GCJ-02.
    Bd09,
}

impl Datum {
    /// Every datum, for menus and exhaustive tests.
    pub const ALL: [Datum; 3] = [Datum::Wgs84, Datum::Gcj02, Datum::Bd09];

    /// The lowercase name used in the API, CSV headers and settings: `wgs84`, `gcj02` or `bd09`.
    pub fn as_str(self) -> &'static str {
        match self {
            Datum::Wgs84 => "wgs84",
            Datum::Gcj02 => "gcj02",
            Datum::Bd09 => "bd09",
        }
    }

    /// Parses a datum name, ignoring case and surrounding spaces. Besides the [`Datum::as_str`]
    /// names it accepts the hyphenated spellings (`WGS-84`, `GCJ-02`, `BD-09`) people type into
    /// spreadsheets, and `bd09ll`, Baidu's own API name for BD-09 latitude/longitude.
    pub fn parse(s: &str) -> Option<Datum> {
        const NAMES: [(&str, Datum); 7] = [
            ("wgs84", Datum::Wgs84),
            ("wgs-84", Datum::Wgs84),
            ("gcj02", Datum::Gcj02),
            ("gcj-02", Datum::Gcj02),
            ("bd09", Datum::Bd09),
            ("bd-09", Datum::Bd09),
            ("bd09ll", Datum::Bd09),
        ];
        let s = s.trim();
        NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map(|&(_, d)| d)
    }

    /// Converts a point given in this datum to WGS-84.
    pub fn to_wgs84(self, p: LatLng) -> LatLng {
        match self {
            Datum::Wgs84 => p,
            Datum::Gcj02 => gcj02_to_wgs84(p),
            Datum::Bd09 => bd09_to_wgs84(p),
        }
    }

    /// Converts a WGS-84 point to this datum.
    pub fn from_wgs84(self, p: LatLng) -> LatLng {
        match self {
            Datum::Wgs84 => p,
            Datum::Gcj02 => wgs84_to_gcj02(p),
            Datum::Bd09 => wgs84_to_bd09(p),
        }
    }
}

/// Whether a point lies outside the rough box (longitude 72.004..=137.8347, latitude
/// 0.8293..=55.8271) in which the published formulas shift coordinates. It is a box, not the
/// border: parts of neighbouring countries count as inside and are shifted too, exactly as the
/// map providers do. Non-finite input counts as outside, so it is never shifted.
pub fn out_of_china(lat: f64, lng: f64) -> bool {
    !((72.004..=137.8347).contains(&lng) && (0.8293..=55.8271).contains(&lat))
}

/// Semi-major axis of the Krasovsky 1940 ellipsoid, in metres, as the GCJ-02 formula uses it.
const KRASOVSKY_A: f64 = 6_378_245.0;
/// Its first eccentricity squared; published as 0.00669342162296594323, of which f64 keeps this.
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;
/// Baidu's angular constant in the BD-09 formula.
const X_PI: f64 = PI * 3000.0 / 180.0;
/// `gcj02_to_wgs84` stops once a step moves less than this many degrees (about 0.1 mm).
const INVERSE_TOLERANCE_DEG: f64 = 1e-9;
/// Bound on its iterations; in practice it settles in three to five.
const INVERSE_MAX_ITERATIONS: usize = 30;

/// A point from degrees, or `fallback` if the degrees are not a valid coordinate.
fn point_or(lat: f64, lng: f64, fallback: LatLng) -> LatLng {
    LatLng::new(lat, lng).unwrap_or(fallback)
}

/// The published GCJ-02 offset, in metres-like units, for offsets `x`, `y` from (105°E, 35°N).
fn gcj_transform(x: f64, y: f64) -> (f64, f64) {
    // Both components share the same high-frequency wobble in x.
    let wobble = (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    let sqrt_abs_x = x.abs().sqrt();
    let lat = -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * sqrt_abs_x
        + wobble
        + (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0
        + (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y / 30.0 * PI).sin()) * 2.0 / 3.0;
    let lng = 300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * sqrt_abs_x
        + wobble
        + (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0
        + (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    (lat, lng)
}

/// The GCJ-02 shift in degrees (latitude, longitude) at a WGS-84 point, ignoring the box.
fn gcj_delta(lat: f64, lng: f64) -> (f64, f64) {
    let (d_lat, d_lng) = gcj_transform(lng - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let sin_lat = rad_lat.sin();
    let magic = 1.0 - KRASOVSKY_EE * sin_lat * sin_lat;
    let sqrt_magic = magic.sqrt();
    // Metres to degrees on the Krasovsky ellipsoid: meridian and parallel radii of curvature.
    let d_lat =
        (d_lat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI);
    let d_lng = (d_lng * 180.0) / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI);
    (d_lat, d_lng)
}

/// WGS-84 to GCJ-02 by the standard published formula; unchanged outside China.
pub fn wgs84_to_gcj02(p: LatLng) -> LatLng {
    let (lat, lng) = (p.lat.get(), p.lng.get());
    if out_of_china(lat, lng) {
        return p;
    }
    let (d_lat, d_lng) = gcj_delta(lat, lng);
    point_or(lat + d_lat, lng + d_lng, p)
}

/// GCJ-02 to WGS-84; unchanged outside China.
///
/// There is no closed-form inverse. The common one-step approximation (subtract the shift
/// computed at the GCJ-02 point) is off by up to a couple of metres, so this solves
/// `w + delta(w) = g` by fixed-point iteration, which converges quickly because the shift
/// changes slowly with position. The result maps back to the input to well under a millimetre.
pub fn gcj02_to_wgs84(p: LatLng) -> LatLng {
    let (g_lat, g_lng) = (p.lat.get(), p.lng.get());
    if out_of_china(g_lat, g_lng) {
        return p;
    }
    let (mut lat, mut lng) = (g_lat, g_lng);
    for _ in 0..INVERSE_MAX_ITERATIONS {
        let (d_lat, d_lng) = gcj_delta(lat, lng);
        let (next_lat, next_lng) = (g_lat - d_lat, g_lng - d_lng);
        let settled = (next_lat - lat).abs() < INVERSE_TOLERANCE_DEG
            && (next_lng - lng).abs() < INVERSE_TOLERANCE_DEG;
        (lat, lng) = (next_lat, next_lng);
        if settled {
            break;
        }
    }
    point_or(lat, lng, p)
}

/// GCJ-02 to BD-09 by Baidu's published formula; unchanged outside China.
pub fn gcj02_to_bd09(p: LatLng) -> LatLng {
    let (y, x) = (p.lat.get(), p.lng.get());
    if out_of_china(y, x) {
        return p;
    }
    let z = x.hypot(y) + 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) + 0.000003 * (x * X_PI).cos();
    point_or(z * theta.sin() + 0.006, z * theta.cos() + 0.0065, p)
}

/// BD-09 to GCJ-02 by the published approximate inverse (within about 0.2 m of exact, which
/// keeps results identical to other libraries'); unchanged outside China.
pub fn bd09_to_gcj02(p: LatLng) -> LatLng {
    let (lat, lng) = (p.lat.get(), p.lng.get());
    if out_of_china(lat, lng) {
        return p;
    }
    let (x, y) = (lng - 0.0065, lat - 0.006);
    let z = x.hypot(y) - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * X_PI).cos();
    point_or(z * theta.sin(), z * theta.cos(), p)
}

/// WGS-84 to BD-09, through GCJ-02.
pub fn wgs84_to_bd09(p: LatLng) -> LatLng {
    gcj02_to_bd09(wgs84_to_gcj02(p))
}

/// BD-09 to WGS-84, through GCJ-02 (using the exact GCJ-02 inverse).
pub fn bd09_to_wgs84(p: LatLng) -> LatLng {
    gcj02_to_wgs84(bd09_to_gcj02(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// How closely published reference values must be matched, in degrees.
    const REF_TOLERANCE_DEG: f64 = 1e-6;

    fn pt(lat: f64, lng: f64) -> LatLng {
        LatLng::new(lat, lng).expect("test point in range")
    }

    fn assert_near(got: LatLng, want_lat: f64, want_lng: f64, tolerance: f64) {
        let (d_lat, d_lng) = (got.lat.get() - want_lat, got.lng.get() - want_lng);
        assert!(
            d_lat.abs() < tolerance && d_lng.abs() < tolerance,
            "got ({}, {}), want ({want_lat}, {want_lng}), off by ({d_lat:e}, {d_lng:e})",
            got.lat.get(),
            got.lng.get(),
        );
    }

    /// (WGS-84 lat, lng, GCJ-02 lat, lng): the shared table of googollee/eviltransform, in
    /// go/transform_test.go (the same rows are in javascript/test.js and python/test.py).
    const EVILTRANSFORM_WGS_GCJ: [(f64, f64, f64, f64); 3] = [
        // shanghai
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
        // shenzhen
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
        // beijing
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
    ];

    #[test]
    fn wgs84_to_gcj02_matches_the_eviltransform_table() {
        for (w_lat, w_lng, g_lat, g_lng) in EVILTRANSFORM_WGS_GCJ {
            assert_near(
                wgs84_to_gcj02(pt(w_lat, w_lng)),
                g_lat,
                g_lng,
                REF_TOLERANCE_DEG,
            );
        }
    }

    #[test]
    fn wgs84_to_gcj02_matches_the_coordtransform_readme() {
        // wandergis/coordtransform, README.md: wgs84togcj02(116.404, 39.915) (lng, lat order)
        // => [116.41024449916938, 39.91640428150164].
        let got = wgs84_to_gcj02(pt(39.915, 116.404));
        assert_near(
            got,
            39.91640428150164,
            116.41024449916938,
            REF_TOLERANCE_DEG,
        );
    }

    #[test]
    fn gcj02_to_wgs84_recovers_the_eviltransform_inputs() {
        // The same googollee/eviltransform table read backwards. Their exact inverse only
        // promises 0.5 m; ours recovers the seven-decimal WGS-84 inputs to the published precision.
        for (w_lat, w_lng, g_lat, g_lng) in EVILTRANSFORM_WGS_GCJ {
            assert_near(
                gcj02_to_wgs84(pt(g_lat, g_lng)),
                w_lat,
                w_lng,
                REF_TOLERANCE_DEG,
            );
        }
    }

    #[test]
    fn gcj02_to_bd09_matches_the_coordtransform_readme() {
        // wandergis/coordtransform, README.md: gcj02tobd09(116.404, 39.915)
        // => [116.41036949371029, 39.92133699351021].
        let got = gcj02_to_bd09(pt(39.915, 116.404));
        assert_near(
            got,
            39.92133699351021,
            116.41036949371029,
            REF_TOLERANCE_DEG,
        );
    }

    #[test]
    fn bd09_to_gcj02_matches_the_coordtransform_readme() {
        // wandergis/coordtransform, README.md: bd09togcj02(116.404, 39.915)
        // => [116.39762729119315, 39.90865673957631].
        let got = bd09_to_gcj02(pt(39.915, 116.404));
        assert_near(
            got,
            39.90865673957631,
            116.39762729119315,
            REF_TOLERANCE_DEG,
        );
    }

    #[test]
    fn gcj02_to_wgs84_is_exact_rather_than_one_step() {
        // wandergis/coordtransform, README.md publishes the one-step inverse
        // gcj02towgs84(116.404, 39.915) => [116.39775550083061, 39.91359571849836]; it is close
        // to ours but does not map back onto the input, while ours does to within 1e-8 degrees.
        let g = pt(39.915, 116.404);
        let w = gcj02_to_wgs84(g);
        assert!(w.distance_m(&pt(39.91359571849836, 116.39775550083061)) < 5.0);
        let back = wgs84_to_gcj02(w);
        assert_near(back, 39.915, 116.404, 1e-8);
        let one_step_back = wgs84_to_gcj02(pt(39.91359571849836, 116.39775550083061));
        assert!(one_step_back.distance_m(&g) > 10.0 * back.distance_m(&g));
    }

    #[test]
    fn datum_names_round_trip_through_parse() {
        for d in Datum::ALL {
            assert_eq!(Datum::parse(d.as_str()), Some(d));
            assert_eq!(Datum::parse(&d.as_str().to_uppercase()), Some(d));
            let json = serde_json::to_string(&d).expect("serialises");
            assert_eq!(json, format!("\"{}\"", d.as_str()));
            assert_eq!(serde_json::from_str::<Datum>(&json).expect("parses"), d);
        }
        assert_eq!(Datum::parse(" GCJ-02 "), Some(Datum::Gcj02));
        assert_eq!(Datum::parse("Wgs-84"), Some(Datum::Wgs84));
        assert_eq!(Datum::parse("bd09ll"), Some(Datum::Bd09));
        assert_eq!(Datum::parse("mercator"), None);
        assert_eq!(Datum::parse(""), None);
    }

    #[test]
    fn wgs84_datum_leaves_points_alone() {
        let p = pt(39.9087, 116.3975);
        assert_eq!(Datum::Wgs84.to_wgs84(p), p);
        assert_eq!(Datum::Wgs84.from_wgs84(p), p);
    }

    #[test]
    fn datum_methods_use_the_matching_conversions() {
        let p = pt(31.2304, 121.4737);
        assert_eq!(Datum::Gcj02.from_wgs84(p), wgs84_to_gcj02(p));
        assert_eq!(Datum::Gcj02.to_wgs84(p), gcj02_to_wgs84(p));
        assert_eq!(Datum::Bd09.from_wgs84(p), wgs84_to_bd09(p));
        assert_eq!(Datum::Bd09.to_wgs84(p), bd09_to_wgs84(p));
    }

    #[test]
    fn the_china_box_includes_its_edges_and_excludes_nan() {
        assert!(!out_of_china(39.9, 116.4));
        assert!(!out_of_china(0.8293, 72.004));
        assert!(!out_of_china(55.8271, 137.8347));
        assert!(out_of_china(51.5, -0.1));
        // A box, not the border: Singapore is inside it and gets shifted like Beijing.
        assert!(!out_of_china(1.29, 103.85));
        assert!(out_of_china(f64::NAN, 116.4));
        assert!(out_of_china(39.9, f64::INFINITY));
    }

    #[test]
    fn extreme_coordinates_convert_without_panicking() {
        let edges = [
            pt(90.0, 180.0),
            pt(-90.0, -180.0),
            pt(0.8293, 72.004),
            pt(55.8271, 137.8347),
            pt(0.0, 0.0),
        ];
        for p in edges {
            for d in Datum::ALL {
                let _ = d.to_wgs84(d.from_wgs84(p));
            }
        }
    }

    /// A point well inside China, where every conversion shifts.
    fn inside_china() -> impl Strategy<Value = LatLng> {
        (18.0f64..53.0, 74.0f64..134.0).prop_map(|(lat, lng)| pt(lat, lng))
    }

    /// A point anywhere outside the China box.
    fn outside_china() -> impl Strategy<Value = LatLng> {
        prop_oneof![
            (-90.0f64..=90.0, -180.0f64..72.0),
            (-90.0f64..=90.0, 137.9f64..=180.0),
            (-90.0f64..0.82, -180.0f64..=180.0),
            (55.83f64..=90.0, -180.0f64..=180.0),
        ]
        .prop_map(|(lat, lng)| pt(lat, lng))
    }

    proptest! {
        #[test]
        fn gcj02_round_trip_is_within_a_metre(p in inside_china()) {
            let back = gcj02_to_wgs84(wgs84_to_gcj02(p));
            prop_assert!(back.distance_m(&p) < 1.0, "{p:?} came back as {back:?}");
        }

        #[test]
        fn bd09_round_trip_is_within_a_metre(p in inside_china()) {
            let back = bd09_to_wgs84(wgs84_to_bd09(p));
            prop_assert!(back.distance_m(&p) < 1.0, "{p:?} came back as {back:?}");
            let gcj = wgs84_to_gcj02(p);
            let gcj_back = bd09_to_gcj02(gcj02_to_bd09(gcj));
            prop_assert!(gcj_back.distance_m(&gcj) < 1.0, "{gcj:?} came back as {gcj_back:?}");
        }

        #[test]
        fn conversions_outside_china_are_the_identity(p in outside_china()) {
            prop_assert_eq!(wgs84_to_gcj02(p), p);
            prop_assert_eq!(gcj02_to_wgs84(p), p);
            prop_assert_eq!(gcj02_to_bd09(p), p);
            prop_assert_eq!(bd09_to_gcj02(p), p);
            prop_assert_eq!(wgs84_to_bd09(p), p);
            prop_assert_eq!(bd09_to_wgs84(p), p);
            for d in Datum::ALL {
                prop_assert_eq!(d.to_wgs84(p), p);
                prop_assert_eq!(d.from_wgs84(p), p);
            }
        }

        #[test]
        fn gcj02_shift_inside_china_is_between_a_metre_and_a_kilometre(p in inside_china()) {
            let shift = wgs84_to_gcj02(p).distance_m(&p);
            prop_assert!((1.0..1_000.0).contains(&shift), "{p:?} shifted {shift} m");
        }

        #[test]
        fn conversions_anywhere_on_the_globe_return_without_panicking(
            lat in -90.0f64..=90.0,
            lng in -180.0f64..=180.0,
        ) {
            let p = pt(lat, lng);
            for d in Datum::ALL {
                let _ = d.to_wgs84(p);
                let _ = d.from_wgs84(p);
            }
        }
    }
}

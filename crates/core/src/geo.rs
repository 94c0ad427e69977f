//! WGS-84 coordinates and bounding boxes, validated when they are made.

use serde::{Deserialize, Serialize};

/// Why a coordinate or box is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GeoError {
    /// Not a finite number.
    #[error("not a number")]
    NotANumber,
    /// Latitude outside -90..=90 or longitude outside -180..=180.
    #[error("out of range")]
    OutOfRange,
    /// A bounding box without exactly four comma-separated numbers.
    #[error("expected minLng,minLat,maxLng,maxLat")]
    WrongArity,
    /// A bounding box whose minimum is above its maximum.
    #[error("minimum is greater than maximum")]
    Inverted,
}

/// A WGS-84 latitude in degrees, -90..=90.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = f64))]
pub struct Latitude(f64);

/// A WGS-84 longitude in degrees, -180..=180.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = f64))]
pub struct Longitude(f64);

fn checked(v: f64, limit: f64) -> Result<f64, GeoError> {
    if !v.is_finite() {
        Err(GeoError::NotANumber)
    } else if v.abs() > limit {
        Err(GeoError::OutOfRange)
    } else {
        Ok(v)
    }
}

impl TryFrom<f64> for Latitude {
    type Error = GeoError;
    fn try_from(v: f64) -> Result<Self, GeoError> {
        checked(v, 90.0).map(Self)
    }
}
impl TryFrom<f64> for Longitude {
    type Error = GeoError;
    fn try_from(v: f64) -> Result<Self, GeoError> {
        checked(v, 180.0).map(Self)
    }
}
impl From<Latitude> for f64 {
    fn from(v: Latitude) -> f64 {
        v.0
    }
}
impl From<Longitude> for f64 {
    fn from(v: Longitude) -> f64 {
        v.0
    }
}
impl Latitude {
    /// Degrees.
    pub fn get(self) -> f64 {
        self.0
    }
}
impl Longitude {
    /// Degrees.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A WGS-84 point, as stored and served everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LatLng {
    /// Latitude in degrees.
    pub lat: Latitude,
    /// Longitude in degrees.
    pub lng: Longitude,
}

impl LatLng {
    /// A point from degrees, checking both ranges.
    pub fn new(lat: f64, lng: f64) -> Result<Self, GeoError> {
        Ok(Self {
            lat: Latitude::try_from(lat)?,
            lng: Longitude::try_from(lng)?,
        })
    }

    /// Great-circle distance in metres (haversine on a sphere of the mean Earth radius).
    pub fn distance_m(&self, other: &LatLng) -> f64 {
        const R: f64 = 6_371_008.8;
        let (la1, la2) = (self.lat.0.to_radians(), other.lat.0.to_radians());
        let dlat = la2 - la1;
        let dlng = (other.lng.0 - self.lng.0).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlng / 2.0).sin().powi(2);
        2.0 * R * h.sqrt().min(1.0).asin()
    }
}

/// A bounding box `minLng,minLat,maxLng,maxLat`, as in the `bbox` query parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    /// South-west corner.
    pub min: LatLng,
    /// North-east corner.
    pub max: LatLng,
}

impl BBox {
    /// Parses `minLng,minLat,maxLng,maxLat`.
    pub fn parse(s: &str) -> Result<Self, GeoError> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let [a, b, c, d] = parts.as_slice() else {
            return Err(GeoError::WrongArity);
        };
        let num = |t: &str| t.parse::<f64>().map_err(|_| GeoError::NotANumber);
        let min = LatLng::new(num(b)?, num(a)?)?;
        let max = LatLng::new(num(d)?, num(c)?)?;
        if min.lat.0 > max.lat.0 || min.lng.0 > max.lng.0 {
            return Err(GeoError::Inverted);
        }
        Ok(Self { min, max })
    }

    /// Whether the point lies inside or on the edge of the box.
    pub fn contains(&self, p: &LatLng) -> bool {
        (self.min.lat.0..=self.max.lat.0).contains(&p.lat.0)
            && (self.min.lng.0..=self.max.lng.0).contains(&p.lng.0)
    }

    /// The box of one point.
    pub fn point(p: LatLng) -> Self {
        Self { min: p, max: p }
    }

    /// This box grown just enough to hold `p`.
    #[must_use]
    pub fn including(self, p: LatLng) -> Self {
        Self {
            min: LatLng {
                lat: Latitude(self.min.lat.0.min(p.lat.0)),
                lng: Longitude(self.min.lng.0.min(p.lng.0)),
            },
            max: LatLng {
                lat: Latitude(self.max.lat.0.max(p.lat.0)),
                lng: Longitude(self.max.lng.0.max(p.lng.0)),
            },
        }
    }

    /// `[minLng, minLat, maxLng, maxLat]`: the order of the `bbox` parameter and of GeoJSON.
    pub fn to_array(&self) -> [f64; 4] {
        [
            self.min.lng.0,
            self.min.lat.0,
            self.max.lng.0,
            self.max.lat.0,
        ]
    }

    /// The box as query text, `minLng,minLat,maxLng,maxLat`.
    pub fn to_param(&self) -> String {
        format!(
            "{},{},{},{}",
            self.min.lng.0, self.min.lat.0, self.max.lng.0, self.max.lat.0
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_grown_from_points_holds_each_of_them_and_no_more() {
        let pts = [(39.9, 116.4), (40.1, 116.2), (39.8, 116.6)]
            .map(|(lat, lng)| LatLng::new(lat, lng).expect("point"));
        let b = pts[1..]
            .iter()
            .fold(BBox::point(pts[0]), |b, p| b.including(*p));
        assert_eq!(b.to_array(), [116.2, 39.8, 116.6, 40.1]);
        assert!(pts.iter().all(|p| b.contains(p)));
        assert_eq!(BBox::parse(&b.to_param()), Ok(b));
    }

    #[test]
    fn latitude_above_ninety_is_rejected() {
        assert_eq!(LatLng::new(90.5, 116.4), Err(GeoError::OutOfRange));
        assert_eq!(LatLng::new(f64::NAN, 116.4), Err(GeoError::NotANumber));
    }

    #[test]
    fn longitude_below_minus_180_is_rejected() {
        assert_eq!(LatLng::new(39.9, -180.1), Err(GeoError::OutOfRange));
    }

    #[test]
    fn bbox_needs_four_numbers_in_order() {
        assert_eq!(BBox::parse("1,2,3"), Err(GeoError::WrongArity));
        assert_eq!(BBox::parse("a,b,c,d"), Err(GeoError::NotANumber));
        assert_eq!(BBox::parse("116,95,117,96"), Err(GeoError::OutOfRange));
        assert_eq!(BBox::parse("117,39,116,40"), Err(GeoError::Inverted));
        let b = BBox::parse("116.1, 39.7,116.7,40.2").expect("valid box");
        assert!(b.contains(&LatLng::new(39.9, 116.4).expect("point")));
        assert!(!b.contains(&LatLng::new(31.2, 121.5).expect("point")));
    }

    #[test]
    fn tiananmen_to_beijing_west_station_is_under_seven_km() {
        let a = LatLng::new(39.9087, 116.3975).expect("point");
        let b = LatLng::new(39.8946, 116.3214).expect("point");
        let d = a.distance_m(&b);
        assert!((6_500.0..6_800.0).contains(&d), "{d}");
    }

    #[test]
    fn coordinates_deserialise_only_in_range() {
        assert!(serde_json::from_str::<LatLng>(r#"{"lat":39.9,"lng":116.4}"#).is_ok());
        assert!(serde_json::from_str::<LatLng>(r#"{"lat":99.9,"lng":116.4}"#).is_err());
    }
}

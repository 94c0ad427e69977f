//! The rider's deployment settings (tiles, city centre, holidays), which the server writes
//! into the shell as `<meta name="yizhan:…">` tags (read with `crate::shared::settings::meta`).

use crate::shared::settings::meta;

/// Map tile settings.
#[derive(Clone, Debug, PartialEq)]
pub struct TileSettings {
    /// Leaflet URL template.
    pub url: String,
    /// Credit text (plain text, not HTML).
    pub attribution: String,
    /// The datum the tiles are drawn in; stations are converted to it for display only.
    pub datum: yizhan_core::datum::Datum,
}

impl TileSettings {
    /// Reads the tags; OpenStreetMap when the server gave none (e.g. `trunk serve`).
    pub fn read() -> TileSettings {
        TileSettings {
            url: meta("tile-url")
                .unwrap_or_else(|| "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into()),
            attribution: meta("tile-attribution")
                .unwrap_or_else(|| "© OpenStreetMap contributors".into()),
            datum: meta("tile-datum")
                .and_then(|d| yizhan_core::datum::Datum::parse(&d))
                .unwrap_or(yizhan_core::datum::Datum::Wgs84),
        }
    }
}

/// Beijing's centre (Tiananmen), when the server names no city.
const BEIJING_CENTRE: (f64, f64) = (39.9087, 116.3975);

/// Where the map opens when the rider's position is unknown: the deployment's city centre
/// (Beijing's when the server gave none).
pub fn city_centre() -> (f64, f64) {
    meta("city-centre")
        .and_then(|v| {
            let (lat, lng) = v.split_once(',')?;
            Some((lat.parse().ok()?, lng.parse().ok()?))
        })
        .filter(|&(lat, lng)| yizhan_core::LatLng::new(lat, lng).is_ok())
        .unwrap_or(BEIJING_CENTRE)
}

/// The box the map fits when it opens without a position or a link, `[minLng, minLat, maxLng,
/// maxLat]`: the deployment's city, when the server names one (none for Beijing's default).
pub fn city_bounds() -> Option<[f64; 4]> {
    meta("city-bounds")
        .and_then(|v| yizhan_core::BBox::parse(&v).ok())
        .map(|b| b.to_array())
}

/// The deployment's public holidays and make-up working days, which `PH` in opening hours
/// follows (none when the server gave none). Read once per page.
pub fn holidays() -> std::rc::Rc<yizhan_core::holidays::Holidays> {
    thread_local! {
        static KEPT: std::rc::Rc<yizhan_core::holidays::Holidays> = std::rc::Rc::new(
            meta("holidays")
                .and_then(|v| yizhan_core::holidays::Holidays::parse(&v).ok())
                .unwrap_or_default(),
        );
    }
    KEPT.with(std::rc::Rc::clone)
}

//! The deployment's city: where the rider's map opens when their position is unknown (its
//! centre, and the box the map fits to show the whole city), and the districts the join form
//! lists (an application without a station goes to the district's union, `{district}总工会`).
//! Set by `YIZHAN_CITY_CENTRE`, `YIZHAN_CITY_BOUNDS` and `YIZHAN_CITY_DISTRICTS`, else read from
//! the stations at start: a Shanghai union's deployment opens on Shanghai. Beijing (its centre
//! at the city's usual zoom, no box) when there are no stations, or when every station is in one
//! of Beijing's districts.

use yizhan_core::html::escape_html;
use yizhan_core::BEIJING_DISTRICTS;

/// Beijing's centre (Tiananmen).
pub const BEIJING_CENTRE: (f64, f64) = (39.9087, 116.3975);

/// Districts the form lists at most (a national deployment has hundreds; the most used first).
pub const MAX_DISTRICTS: usize = 60;

/// One district as the stations show it.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictRow {
    /// e.g. 浦东新区.
    pub name: String,
    /// Its public stations.
    pub stations: i64,
    /// Their mean position.
    pub lat: f64,
    /// Their mean position.
    pub lng: f64,
    /// The box around them, `[minLng, minLat, maxLng, maxLat]`.
    pub extent: [f64; 4],
}

/// The deployment's city.
#[derive(Clone, Debug, PartialEq)]
pub struct City {
    /// Where the map opens without a position (lat, lng).
    pub centre: (f64, f64),
    /// Districts riders may apply through, in the form's order.
    pub districts: Vec<String>,
    /// The box the map fits when it opens without a position, `[minLng, minLat, maxLng,
    /// maxLat]`; none: the centre at the city's usual zoom.
    pub bounds: Option<[f64; 4]>,
}

impl Default for City {
    fn default() -> City {
        City {
            centre: BEIJING_CENTRE,
            districts: BEIJING_DISTRICTS.iter().map(|d| (*d).to_owned()).collect(),
            bounds: None,
        }
    }
}

impl City {
    /// The city the stations' districts describe: their mean position, and the districts with
    /// the most stations first.
    pub fn of_districts(rows: &[DistrictRow]) -> City {
        let total: i64 = rows.iter().map(|r| r.stations).sum();
        if total == 0
            || rows
                .iter()
                .all(|r| BEIJING_DISTRICTS.contains(&r.name.as_str()))
        {
            return City::default();
        }
        #[allow(clippy::cast_precision_loss)] // station counts are far below 2^52
        let mean = |f: fn(&DistrictRow) -> f64| {
            rows.iter().map(|r| f(r) * r.stations as f64).sum::<f64>() / total as f64
        };
        let mut named: Vec<&DistrictRow> = rows.iter().filter(|r| !r.name.is_empty()).collect();
        named.sort_by(|a, b| b.stations.cmp(&a.stations).then(a.name.cmp(&b.name)));
        let bounds = rows.iter().map(|r| r.extent).reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        });
        City {
            bounds,
            centre: (mean(|r| r.lat), mean(|r| r.lng)),
            districts: named
                .into_iter()
                .take(MAX_DISTRICTS)
                .map(|r| r.name.clone())
                .collect(),
        }
    }

    /// This city with what the settings fix in place of what was read.
    pub fn with_settings(
        mut self,
        centre: Option<(f64, f64)>,
        bounds: Option<[f64; 4]>,
        districts: Option<&[String]>,
    ) -> City {
        if let Some(c) = centre {
            self.centre = c;
        }
        if bounds.is_some() {
            self.bounds = bounds;
        }
        if let Some(d) = districts {
            self.districts = d.to_vec();
        }
        self
    }

    /// The `<meta>` tags the shells carry (`yizhan:city-centre`, `yizhan:districts`, and
    /// `yizhan:city-bounds` when the city has a box).
    pub fn meta(&self) -> String {
        let bounds = self
            .bounds
            .map(|[w, s, e, n]| {
                format!(
                    "<meta name=\"yizhan:city-bounds\" content=\"{w:.5},{s:.5},{e:.5},{n:.5}\">"
                )
            })
            .unwrap_or_default();
        format!(
            "<meta name=\"yizhan:city-centre\" content=\"{:.5},{:.5}\"><meta name=\"yizhan:districts\" content=\"{}\">{bounds}",
            self.centre.0,
            self.centre.1,
            escape_html(&self.districts.join(","))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, stations: i64, lat: f64, lng: f64) -> DistrictRow {
        DistrictRow {
            name: name.into(),
            stations,
            lat,
            lng,
            extent: [lng - 0.05, lat - 0.05, lng + 0.05, lat + 0.05],
        }
    }

    #[test]
    fn shanghai_stations_make_a_shanghai_city_with_its_busiest_districts_first() {
        let city = City::of_districts(&[
            row("黄浦区", 10, 31.23, 121.48),
            row("浦东新区", 30, 31.22, 121.54),
        ]);
        assert_eq!(city.districts, ["浦东新区", "黄浦区"]);
        // The box takes in both districts' stations
        let b = city.bounds.expect("a box");
        for (got, want) in b.iter().zip([121.43, 31.17, 121.59, 31.28]) {
            assert!((got - want).abs() < 1e-9, "{b:?}");
        }
        assert!((city.centre.0 - 31.2225).abs() < 1e-9, "{:?}", city.centre);
        assert!((city.centre.1 - 121.525).abs() < 1e-9, "{:?}", city.centre);
    }

    #[test]
    fn no_stations_or_only_beijing_ones_keep_beijing() {
        assert_eq!(City::of_districts(&[]), City::default());
        assert_eq!(
            City::of_districts(&[row("朝阳区", 5, 39.95, 116.48)]),
            City::default()
        );
    }

    #[test]
    fn settings_win_and_the_meta_is_escaped() {
        let city = City::default().with_settings(
            Some((31.2304, 121.4737)),
            None,
            Some(&["浦东新区".to_owned(), "<b>\"".to_owned()]),
        );
        assert_eq!(
            city.meta(),
            "<meta name=\"yizhan:city-centre\" content=\"31.23040,121.47370\">\
             <meta name=\"yizhan:districts\" content=\"浦东新区,&lt;b&gt;&quot;\">"
        );
        let boxed = city.with_settings(None, Some([121.1, 30.7, 122.0, 31.9]), None);
        assert!(boxed.meta().ends_with(
            "<meta name=\"yizhan:city-bounds\" content=\"121.10000,30.70000,122.00000,31.90000\">"
        ));
    }
}

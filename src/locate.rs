//! Where the rider is: the browser's position (asked for once, never blocking the page), else
//! the last known position kept on this phone, else the city centre — and which one it is.

use std::rc::Rc;
use yizhan_core::decimal::trimmed;

use leptos::prelude::window;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const STORAGE_KEY: &str = "yizhan.lastPosition";

/// Where a position came from; the page says so when it is not the live one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Source {
    /// The browser's position just now.
    Live,
    /// The last position this phone saw.
    LastKnown,
    /// Nothing known: the city centre.
    CityCentre,
}

/// A WGS-84 position and its source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Position {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
    /// Where it came from.
    pub source: Source,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The best position known without asking the browser.
pub fn fallback() -> Position {
    let saved = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|v| {
            let (lat, lng) = v.split_once(',')?;
            Some((lat.parse::<f64>().ok()?, lng.parse::<f64>().ok()?))
        })
        .filter(|(lat, lng)| yizhan_core::LatLng::new(*lat, *lng).is_ok());
    match saved {
        Some((lat, lng)) => Position {
            lat,
            lng,
            source: Source::LastKnown,
        },
        None => {
            let (lat, lng) = crate::settings::city_centre();
            Position {
                lat,
                lng,
                source: Source::CityCentre,
            }
        }
    }
}

/// Asks the browser for the position once; `done` gets the live position or the fallback.
/// Inside an iframe without permission, or when refused, this quietly falls back.
pub fn locate(done: impl Fn(Position) + 'static) {
    let done: Rc<dyn Fn(Position)> = Rc::new(done);
    let Some(geo) = window().navigator().geolocation().ok() else {
        done(fallback());
        return;
    };
    let on_ok = {
        let done = done.clone();
        Closure::once_into_js(move |pos: web_sys::Position| {
            let c = pos.coords();
            let (lat, lng) = (c.latitude(), c.longitude());
            if let Some(s) = storage() {
                let _ = s.set_item(
                    STORAGE_KEY,
                    &format!("{},{}", trimmed(lat, 5), trimmed(lng, 5)),
                );
            }
            done(Position {
                lat,
                lng,
                source: Source::Live,
            });
        })
    };
    let on_err = {
        let done = done.clone();
        Closure::once_into_js(move |_: JsValue| done(fallback()))
    };
    let options = web_sys::PositionOptions::new();
    options.set_timeout(10_000);
    options.set_maximum_age(300_000);
    if geo
        .get_current_position_with_error_callback_and_options(
            on_ok.unchecked_ref(),
            Some(on_err.unchecked_ref()),
            &options,
        )
        .is_err()
    {
        done(fallback());
    }
}

//! Where the rider app is drawn: its own pages, or `/embed` inside a union's website. Screens
//! read it from context to pick their chrome and where their links lead. Inside the frame every
//! link keeps the frame's parameters, so "back to the map" returns to the same view, and links
//! that leave the frame (full map, join) keep them too.

use leptos::prelude::*;
use yizhan_core::pages;

use crate::shared::lang::Lang;
use crate::shared::route::with_param;

/// The frame a screen is drawn in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Chrome {
    /// The rider app's own pages (`/`, `/stations/{id}`).
    #[default]
    Page,
    /// `/embed`: compact, read-only, station details open inside the frame.
    Embed,
}

/// The chrome from context (the app's own pages when none was provided).
pub fn use_chrome() -> Chrome {
    use_context::<Chrome>().unwrap_or_default()
}

impl Chrome {
    /// The map's path.
    pub fn map_path(self) -> &'static str {
        match self {
            Chrome::Page => pages::MAP,
            Chrome::Embed => pages::EMBED,
        }
    }

    /// Where a station's details open: its own page, or this frame with `station=`. `search`
    /// (the current query) is only read in the frame.
    pub fn station_href(self, id: &str, lang: Lang, search: impl FnOnce() -> String) -> String {
        match self {
            Chrome::Page => format!("{}{}", pages::station(id), lang.query_suffix()),
            Chrome::Embed => {
                let search = with_param(&search(), "station", Some(id));
                format!("{}{search}", pages::EMBED)
            }
        }
    }

    /// Back to the map: the app's map in the page's language, or the frame's map as its
    /// parameters describe it.
    pub fn map_href(self, lang: Lang, search: impl FnOnce() -> String) -> String {
        match self {
            Chrome::Page => format!("{}{}", pages::MAP, lang.query_suffix()),
            Chrome::Embed => format!("{}{}", pages::EMBED, with_param(&search(), "station", None)),
        }
    }
}

/// The full map (`/`) with the frame's parameters, for a new tab.
pub fn full_map_href(search: &str) -> String {
    format!("{}{}", pages::MAP, with_param(search, "station", None))
}

/// The membership application crediting `station`, in the page's language.
pub fn join_href(station: &str, lang: Lang) -> String {
    let lang = match lang {
        Lang::Zh => "",
        Lang::En => "&lang=en",
    };
    format!("{}{lang}", pages::join_crediting(station))
}

/// Whether this document is framed by another (`window.top` is not this window).
pub fn in_frame() -> bool {
    let w = window();
    match w.top() {
        Ok(Some(top)) => !js_sys::Object::is(&top, &w),
        _ => false,
    }
}

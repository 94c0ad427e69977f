//! The rider's two bundles: the map (`/`, `/embed`) and one station's page (`/stations/{id}`,
//! `/embed?station={id}`), each with its language context and router.

use leptos::prelude::*;

use crate::i18n::Words;
use crate::pages::embed::{EmbedPage, EmbedStationPage};
use crate::pages::{map::MapPage, not_found::NotFound, station::StationPage};
use crate::shared::route::provide_location;
use yizhan_core::pages;

/// Starts what every rider page keeps running: the service worker, and the outbox that sends
/// reports made with no signal. Not inside a union's frame: the embed is read-only and leaves no
/// worker behind. In a task of its own after the page's first draw: neither is what the rider
/// opened the page for.
fn start_rider_services() {
    if !crate::chrome::in_frame() {
        set_timeout(
            || {
                crate::shared::browser::register_service_worker();
                crate::outbox::start();
            },
            std::time::Duration::ZERO,
        );
    }
}

/// Root of the map bundle (`index.html`): the map and list at `/` and in the frame at `/embed`.
/// A station's page is the station bundle's ([`StationApp`]): the map's first view never
/// downloads it.
#[component]
pub fn App() -> impl IntoView {
    start_rider_services();
    let location = provide_location(|path, search| Page::of(path, search).is_map());
    crate::shared::lang::provide_lang(|l| l.t(crate::i18n::Msg::AppTitle));
    // Only a change of page draws a new one; a new query updates it in place.
    let page = Memo::new(move |_| location.pathname.with(|p| Page::of(p, "")));
    move || match page.get() {
        Page::Map => view! { <MapPage/> }.into_any(),
        Page::Embed => view! { <EmbedPage/> }.into_any(),
        Page::Station | Page::EmbedStation | Page::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// Root of the station bundle (`station.html`): one station's page at `/stations/{id}`, and in
/// the frame at `/embed?station={id}`.
#[component]
pub fn StationApp() -> impl IntoView {
    crate::outbox::adopt_old();
    start_rider_services();
    let location = provide_location(|path, search| Page::of(path, search).is_station());
    crate::shared::lang::provide_lang(|l| l.t(crate::i18n::Msg::AppTitle));
    // The server and the service worker only open this bundle at `/embed` with a station.
    let page = Memo::new(move |_| {
        location.pathname.with(|p| match Page::of(p, "") {
            Page::Embed => Page::EmbedStation,
            page => page,
        })
    });
    move || match page.get() {
        Page::EmbedStation => view! { <EmbedStationPage/> }.into_any(),
        Page::Station => view! { <StationPage/> }.into_any(),
        Page::Map | Page::Embed | Page::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// The rider's pages, by path and query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    /// `/`
    Map,
    /// `/stations/{id}`
    Station,
    /// `/embed`
    Embed,
    /// `/embed?station={id}`
    EmbedStation,
    NotFound,
}

impl Page {
    fn of(path: &str, search: &str) -> Self {
        match path {
            pages::MAP => Page::Map,
            pages::EMBED
                if yizhan_core::url::names_station(crate::shared::route::parse_query(search)) =>
            {
                Page::EmbedStation
            }
            pages::EMBED => Page::Embed,
            _ if pages::station_id(path).is_some() => Page::Station,
            _ => Page::NotFound,
        }
    }

    /// Drawn by the map bundle. (It also shows the not-found page when the server answers an
    /// unknown path with it, but a link to an unknown path, such as another bundle's `/scan`,
    /// is the browser's to follow.)
    fn is_map(self) -> bool {
        matches!(self, Page::Map | Page::Embed)
    }

    /// Drawn by the station bundle.
    fn is_station(self) -> bool {
        matches!(self, Page::Station | Page::EmbedStation)
    }
}

#[cfg(test)]
mod tests {
    use super::{pages, Page};
    use crate::chrome::Chrome;
    use crate::shared::lang::Lang;

    /// A link's page, as the router reads it.
    fn page_of(href: &str) -> Page {
        let (path, search) = href.split_once('?').unwrap_or((href, ""));
        Page::of(path, search)
    }

    /// (The frame's links keep its parameters through `UrlSearchParams`, which only a browser
    /// has: the embed journeys follow them.)
    #[test]
    fn every_link_the_app_writes_opens_the_page_it_means() {
        for lang in [Lang::Zh, Lang::En] {
            let own = Chrome::Page.station_href("bj-cy-0001", lang, String::new);
            assert_eq!(page_of(&own), Page::Station, "{own}");
            assert_eq!(
                page_of(&Chrome::Page.map_href(lang, String::new)),
                Page::Map
            );
        }
        assert_eq!(page_of(Chrome::Page.map_path()), Page::Map);
        assert_eq!(page_of(Chrome::Embed.map_path()), Page::Embed);
        assert_eq!(
            page_of(&format!("{}?station=bj-cy-0001", pages::EMBED)),
            Page::EmbedStation
        );
    }

    #[test]
    fn paths_pick_pages_and_their_bundles() {
        assert_eq!(Page::of("/", "lang=en"), Page::Map);
        assert_eq!(Page::of("/embed", "amenities=water"), Page::Embed);
        assert_eq!(Page::of("/embed", "station="), Page::Embed);
        assert_eq!(
            Page::of("/embed", "lang=en&station=bj-cy-0001"),
            Page::EmbedStation
        );
        assert_eq!(Page::of("/stations/bj-cy-0001", ""), Page::Station);
        assert_eq!(
            pages::station_id("/stations/bj-cy-0001"),
            Some("bj-cy-0001")
        );
        assert!(Page::Map.is_map() && Page::Embed.is_map());
        assert!(Page::Station.is_station() && Page::EmbedStation.is_station());
        // Another bundle's page (`/scan`, `/join`) is neither's: the browser loads it
        for other in [Page::NotFound, Page::Station, Page::EmbedStation] {
            assert!(!other.is_map(), "{other:?}");
        }
        for other in [Page::NotFound, Page::Map, Page::Embed] {
            assert!(!other.is_station(), "{other:?}");
        }
        for other in [
            "/stations/",
            "/stations",
            "/stations/a/b",
            "/nope",
            "/embed/x",
        ] {
            assert_eq!(Page::of(other, ""), Page::NotFound, "{other}");
        }
    }
}

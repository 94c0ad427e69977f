//! Serving the built app: the shell for every app route (with settings as meta tags), hashed
//! assets cached for a year, precompressed files, and the security headers of each route.

use std::path::Path;

use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::shell::Bundle;
use crate::state::AppState;

/// A bundle's shell. Staff pages are never stored by any cache (they are only ever useful
/// signed in, and a shared computer must not keep them); the others are revalidated each time.
pub fn shell(state: &AppState, bundle: Bundle, status: StatusCode) -> Response {
    page(state.shell.page(bundle), bundle, status)
}

fn page(html: &str, bundle: Bundle, status: StatusCode) -> Response {
    let mut res = (status, axum::response::Html(html.to_owned())).into_response();
    let cache = if bundle == Bundle::Staff {
        "no-store"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// `/`: the map's shell; with nothing in the address but the language, the one that preloads
/// the city's nearby list (see [`crate::shell::Shell::home`]).
pub async fn home(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    if opens_on_city(query.as_deref()) {
        page(state.shell.home(), Bundle::Map, StatusCode::OK)
    } else {
        shell(&state, Bundle::Map, StatusCode::OK)
    }
}

/// Whether `/?{query}` opens on the city centre with no filters: its first list is then the
/// one the home shell preloads.
fn opens_on_city(query: Option<&str>) -> bool {
    form_urlencoded::parse(query.unwrap_or("").as_bytes()).all(|(k, _)| k == "lang")
}

/// `/embed`: the map's shell, or the station bundle's when the query names a station.
pub async fn embed(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    shell(&state, embed_bundle(query.as_deref()), StatusCode::OK)
}

/// The bundle `/embed?{query}` opens: the station's when the query names one, by core's rule
/// (the browser's too).
fn embed_bundle(query: Option<&str>) -> Bundle {
    let pairs = form_urlencoded::parse(query.unwrap_or("").as_bytes());
    if yizhan_core::url::names_station(pairs) {
        Bundle::Station
    } else {
        Bundle::Map
    }
}

/// Any path that is neither a page nor a file: the map's shell with 404, so the app shows its
/// translated not-found page.
pub async fn not_found(State(state): State<AppState>) -> Response {
    shell(&state, Bundle::Map, StatusCode::NOT_FOUND)
}

/// Whether a file name carries Trunk's content hash (`name-0123456789abcdef.ext`).
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, h)| {
        (10..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn is_embed(path: &str) -> bool {
    path == "/embed" || path.starts_with("/embed/")
}

const PERMISSIONS: &str = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()";

/// Middleware: security headers on every answer, and caching for static files.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let embed = is_embed(&path);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        if embed {
            state.shell.csp_embed.clone()
        } else {
            state.shell.csp_page.clone()
        },
    );
    if !embed {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS),
    );
    if !h.contains_key(header::CACHE_CONTROL) && res.status().is_success() {
        let cache = if is_hashed_asset(&path) {
            "public, max-age=31536000, immutable"
        } else if path == "/sw.js" || path == "/embed.js" || path.ends_with(".webmanifest") {
            // A new release must reach riders' service workers (and union sites' copies of the
            // embed script) at their next visit.
            "no-cache"
        } else {
            "public, max-age=3600"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    res
}

/// Static files from `dist`, preferring the `.br`/`.gz` twins the build wrote.
pub fn static_files(dist: &Path) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{EmbedOrigins, Settings};
    use crate::shell::{inline_scripts, Shell};

    #[test]
    fn inline_script_bodies_are_found_and_src_scripts_skipped() {
        let html =
            r#"<head><script src="/a.js"></script><script type="module">boot()</script></head>"#;
        assert_eq!(inline_scripts(html), vec!["boot()"]);
    }

    #[test]
    fn the_embed_opens_the_station_bundle_only_for_a_named_station() {
        assert_eq!(embed_bundle(Some("station=bj-cy-0001")), Bundle::Station);
        // Decoded before core's rule reads it.
        assert_eq!(
            embed_bundle(Some("lang=en&st%61tion=bj%2Dcy")),
            Bundle::Station
        );
        assert_eq!(embed_bundle(None), Bundle::Map);
        assert_eq!(embed_bundle(Some("station=")), Bundle::Map);
        assert_eq!(
            embed_bundle(Some("stations=x&amenities=water")),
            Bundle::Map
        );
    }

    #[test]
    fn only_an_address_with_no_view_or_filter_opens_on_the_city() {
        assert!(opens_on_city(None));
        assert!(opens_on_city(Some("")));
        assert!(opens_on_city(Some("lang=en")));
        assert!(!opens_on_city(Some("lat=39.9&lng=116.4")));
        assert!(!opens_on_city(Some("amenities=water&lang=en")));
    }

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed_asset("/yizhan-app-5f2a1b3c4d5e6f70_bg.wasm"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/leaflet.js"));
        assert!(!is_hashed_asset("/images/marker-icon.png"));
    }

    #[test]
    fn settings_in_meta_tags_are_escaped() {
        let settings = Settings {
            tile_attribution: "\"><script>x</script>".into(),
            ..Settings::default()
        };
        let shell = Shell::from_html("<html><head></head></html>", &settings);
        assert!(!shell.html().contains("<script>x"));
        assert!(shell.html().contains("&quot;&gt;&lt;script&gt;"));
    }

    #[test]
    fn only_the_home_shell_preloads_the_city_s_first_list() {
        let city = crate::city::City {
            centre: (31.230_4, 121.473_7),
            ..crate::city::City::default()
        };
        let shell =
            Shell::from_html("<html><head></head></html>", &Settings::default()).with_city(&city);
        let preload = r#"<link rel="preload" as="fetch" href="/api/v1/stations?near=31.2304,121.4737&amp;limit=30&amp;" crossorigin>"#;
        assert!(shell.home().contains(preload), "{}", shell.home());
        // `/embed` and unknown paths open elsewhere or on other filters.
        assert!(!shell.html().contains("preload"));
    }

    #[test]
    fn embed_csp_lists_allowed_origins_and_pages_allow_none() {
        let settings = Settings {
            embed_origins: EmbedOrigins::List(vec!["https://a.org".into()]),
            ..Settings::default()
        };
        let shell = Shell::from_html("<head><script>x</script></head>", &settings);
        let page = shell.csp_page.to_str().unwrap_or_default();
        let embed = shell.csp_embed.to_str().unwrap_or_default();
        assert!(page.ends_with("frame-ancestors 'none'"));
        assert!(embed.ends_with("frame-ancestors 'self' https://a.org"));
        // sha256 of "x"
        assert!(
            page.contains("'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='"),
            "{page}"
        );
    }
}

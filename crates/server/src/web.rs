//! Serving the built app: the shell for every app route (with settings as meta tags), hashed
//! assets cached for a year, precompressed files, and the security headers of each route.

use std::path::Path;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::config::{EmbedOrigins, Settings};
use crate::state::AppState;

/// The app shell (Trunk's `index.html`) and the headers that go with it.
#[derive(Debug)]
pub struct Shell {
    html: String,
    staff_html: String,
    join_html: String,
    csp_page: HeaderValue,
    csp_embed: HeaderValue,
}

/// Shown when the app has not been built, so the API still runs and says what to do.
const NOT_BUILT: &str =
    "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>驿站</title>\
<p>The app is not built yet: run <code>make build</code>.</p></html>";

/// Text made safe for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The bodies of inline `<script>` elements (no `src`), exactly as written, for CSP hashes.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

fn csp(settings: &Settings, script_hashes: &[String], frame_ancestors: &str) -> String {
    let hashes: String = script_hashes.iter().map(|h| format!(" '{h}'")).collect();
    let tiles = settings
        .tile_origin()
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:{tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; manifest-src 'self'; worker-src 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

impl Shell {
    /// Reads `dist/index.html` and the staff bundle's `dist/staff/index.html` (or stands in a
    /// notice when the app is not built), injects the public settings the apps need, and hashes
    /// Trunk's inline boot scripts for the CSP.
    pub fn load(settings: &Settings) -> Shell {
        let read = |path: std::path::PathBuf| match std::fs::read_to_string(&path) {
            Ok(h) => h,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "app not built; serving a notice instead");
                NOT_BUILT.to_owned()
            }
        };
        let html = read(settings.dist_dir.join("index.html"));
        let staff = read(settings.dist_dir.join("staff").join("index.html"));
        let join = read(settings.dist_dir.join("join-app").join("index.html"));
        Shell::from_bundles(&html, &staff, &join, settings)
    }

    /// Builds the shell from HTML text (the staff pages get a notice).
    pub fn from_html(html: &str, settings: &Settings) -> Shell {
        Shell::from_pages(html, NOT_BUILT, settings)
    }

    /// Builds the rider and staff shells from their HTML text (the join pages get a notice).
    pub fn from_pages(html: &str, staff_html: &str, settings: &Settings) -> Shell {
        Shell::from_bundles(html, staff_html, NOT_BUILT, settings)
    }

    /// Builds the shells of the three bundles: rider (map), staff (/manage, /admin) and join
    /// (/join, /join/status, /scan: what a scanned poster opens, kept small and separate).
    pub fn from_bundles(
        html: &str,
        staff_html: &str,
        join_html: &str,
        settings: &Settings,
    ) -> Shell {
        let hashes: Vec<String> = inline_scripts(html)
            .into_iter()
            .chain(inline_scripts(staff_html))
            .chain(inline_scripts(join_html))
            .map(|body| {
                format!(
                    "sha256-{}",
                    base64::engine::general_purpose::STANDARD
                        .encode(Sha256::digest(body.as_bytes()))
                )
            })
            .collect();
        let meta = format!(
            "<meta name=\"yizhan:tile-url\" content=\"{}\"><meta name=\"yizhan:tile-attribution\" content=\"{}\">\
             <meta name=\"yizhan:tile-datum\" content=\"{}\"><meta name=\"yizhan:public-url\" content=\"{}\">",
            escape_html(&settings.tile_url),
            escape_html(&settings.tile_attribution),
            settings.tile_datum.as_str(),
            escape_html(&settings.public_url),
        );
        let inject = |html: &str| match html.find("</head>") {
            Some(i) => format!("{}{meta}{}", &html[..i], &html[i..]),
            None => html.to_owned(),
        };
        let (html, staff_html, join_html) = (inject(html), inject(staff_html), inject(join_html));
        // The deployment's own pages may always frame /embed (the admin's embed builder shows a
        // live preview); other sites only when the operator lists them.
        let embed_ancestors = match &settings.embed_origins {
            EmbedOrigins::Any => "*".to_owned(),
            EmbedOrigins::List(list) if list.is_empty() => "'self'".to_owned(),
            EmbedOrigins::List(list) => format!("'self' {}", list.join(" ")),
        };
        let value = |s: String| {
            HeaderValue::from_str(&s)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
        };
        Shell {
            html,
            staff_html,
            join_html,
            csp_page: value(csp(settings, &hashes, "'none'")),
            csp_embed: value(csp(settings, &hashes, &embed_ancestors)),
        }
    }

    /// The shell's HTML.
    pub fn html(&self) -> &str {
        &self.html
    }
}

fn shell_response(state: &AppState, status: StatusCode) -> Response {
    let mut res = (status, axum::response::Html(state.shell.html.clone())).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// A staff route (`/manage`, `/admin`): the staff bundle's shell, never stored by any cache
/// (it is only ever useful signed in, and a shared computer must not keep it).
pub async fn staff_route(State(state): State<AppState>) -> Response {
    let mut res = axum::response::Html(state.shell.staff_html.clone()).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A join route (`/join`, `/join/status`, `/scan`): the join bundle's shell.
pub async fn join_route(State(state): State<AppState>) -> Response {
    let mut res = axum::response::Html(state.shell.join_html.clone()).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// An app route: the shell, 200.
pub async fn app_route(State(state): State<AppState>) -> Response {
    shell_response(&state, StatusCode::OK)
}

/// Any path that is neither an app route nor a file: the shell with 404, so the app shows
/// its translated not-found page.
pub async fn not_found(State(state): State<AppState>) -> Response {
    shell_response(&state, StatusCode::NOT_FOUND)
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

    #[test]
    fn inline_script_bodies_are_found_and_src_scripts_skipped() {
        let html =
            r#"<head><script src="/a.js"></script><script type="module">boot()</script></head>"#;
        assert_eq!(inline_scripts(html), vec!["boot()"]);
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

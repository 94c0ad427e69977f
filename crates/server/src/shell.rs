//! The app shell: Trunk's `index.html` of each bundle with the deployment's settings as meta
//! tags, and the Content-Security-Policy that allows exactly its boot script. Built once at
//! start; handlers in `web` serve it.

use axum::http::HeaderValue;
use base64::Engine;
use sha2::{Digest, Sha256};
use yizhan_core::html::escape_html;

use crate::config::{EmbedOrigins, Settings};

/// The app shell (Trunk's `index.html`) and the headers that go with it.
#[derive(Debug)]
pub struct Shell {
    pub(crate) html: String,
    pub(crate) staff_html: String,
    pub(crate) join_html: String,
    pub(crate) csp_page: HeaderValue,
    pub(crate) csp_embed: HeaderValue,
}

/// Shown when the app has not been built, so the API still runs and says what to do.
const NOT_BUILT: &str =
    "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>驿站</title>\
<p>The app is not built yet: run <code>make build</code>.</p></html>";

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

    /// The shells with the deployment's city in their `<meta>` tags (read from the stations
    /// once the database is open, after the shells are built).
    pub fn with_city(mut self, city: &crate::city::City) -> Shell {
        let meta = city.meta();
        for html in [&mut self.html, &mut self.staff_html, &mut self.join_html] {
            if let Some(i) = html.find("</head>") {
                html.insert_str(i, &meta);
            }
        }
        self
    }
}

//! The app shell: Trunk's `index.html` of each bundle with the deployment's settings as meta
//! tags, and the Content-Security-Policy that allows exactly its boot script. Built once at
//! start; handlers in `web` serve it.

use axum::http::HeaderValue;
use base64::Engine;
use sha2::{Digest, Sha256};
use yizhan_core::html::escape_html;

use crate::config::{EmbedOrigins, Settings};

/// The browser bundles: each its own wasm and its own shell (Trunk's `index.html`), so a page
/// downloads only its own code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// `/`, `/embed`: the rider's map and list.
    Map,
    /// `/stations/{id}`, `/embed?station={id}`: one station's page.
    Station,
    /// `/manage`, `/admin`: station managers and union staff.
    Staff,
    /// `/join`, `/join/status`: what a scanned poster opens.
    Join,
    /// `/scan`: the in-app camera and its QR decoder.
    Scan,
}

impl Bundle {
    /// Every bundle, in declaration order (the order of [`Shell`]'s pages).
    pub const ALL: [Bundle; 5] = [
        Bundle::Map,
        Bundle::Station,
        Bundle::Staff,
        Bundle::Join,
        Bundle::Scan,
    ];

    /// Where Trunk writes it, under the dist folder (`make build`).
    fn dir(self) -> &'static str {
        match self {
            Bundle::Map => "",
            Bundle::Station => "station-app",
            Bundle::Staff => "staff",
            Bundle::Join => "join-app",
            Bundle::Scan => "scan-app",
        }
    }
}

/// The bundles' shells and the headers that go with them.
#[derive(Debug)]
pub struct Shell {
    /// One per bundle, in [`Bundle::ALL`]'s order.
    pages: [String; Bundle::ALL.len()],
    /// The map's shell for `/` opened on the city (see [`Shell::home`]).
    home: String,
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
    /// Reads each bundle's `index.html` under the dist folder (or stands in a notice when the
    /// app is not built), injects the public settings the apps need, and hashes Trunk's inline
    /// boot scripts for the CSP.
    pub fn load(settings: &Settings) -> Shell {
        let pages = Bundle::ALL.map(|b| {
            let path = settings.dist_dir.join(b.dir()).join("index.html");
            match std::fs::read_to_string(&path) {
                Ok(h) => h,
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "app not built; serving a notice instead");
                    NOT_BUILT.to_owned()
                }
            }
        });
        Shell::from_bundles(pages, settings)
    }

    /// Builds the shell from the map's HTML text (the other bundles get a notice).
    pub fn from_html(html: &str, settings: &Settings) -> Shell {
        Shell::from_bundles(
            Bundle::ALL.map(|b| if b == Bundle::Map { html } else { NOT_BUILT }.to_owned()),
            settings,
        )
    }

    /// Builds the shells of the bundles from their HTML text, in [`Bundle::ALL`]'s order.
    pub fn from_bundles(pages: [String; Bundle::ALL.len()], settings: &Settings) -> Shell {
        let hashes: Vec<String> = pages
            .iter()
            .flat_map(|html| inline_scripts(html))
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
        ) + &format!(
            "<meta name=\"yizhan:holidays\" content=\"{}\">",
            escape_html(&settings.holidays.to_string())
        );
        let inject = |html: &str| match html.find("</head>") {
            Some(i) => format!("{}{meta}{}", &html[..i], &html[i..]),
            None => html.to_owned(),
        };
        let pages = pages.map(|html| inject(&html));
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
            home: pages[Bundle::Map as usize].clone(),
            pages,
            csp_page: value(csp(settings, &hashes, "'none'")),
            csp_embed: value(csp(settings, &hashes, &embed_ancestors)),
        }
    }

    /// The map's shell.
    pub fn html(&self) -> &str {
        self.page(Bundle::Map)
    }

    /// A bundle's shell.
    pub fn page(&self, bundle: Bundle) -> &str {
        // `ALL` lists the bundles in declaration order.
        &self.pages[bundle as usize]
    }

    /// The map's shell for `/` with no view or filters in its address: the page then opens on
    /// the city centre and its first request is the nearby list there, which this shell names
    /// as a preload, so the browser fetches the list while the app's code downloads.
    pub fn home(&self) -> &str {
        &self.home
    }

    /// The shells with the deployment's city in their `<meta>` tags (read from the stations
    /// once the database is open, after the shells are built).
    pub fn with_city(mut self, city: &crate::city::City) -> Shell {
        let meta = city.meta();
        for html in &mut self.pages {
            if let Some(i) = html.find("</head>") {
                html.insert_str(i, &meta);
            }
        }
        self.home = self.pages[Bundle::Map as usize].clone();
        if let Some(i) = self.home.find("</head>") {
            self.home.insert_str(i, &first_list_preload(city.centre));
        }
        self
    }
}

/// The preload of the nearby list the map asks first when it opens on `centre`. The browser
/// hands it to the app only for the very same URL, so it is written as the app asks it: the
/// query from `StationQuery::nearby`, ended with `&` as the app's HTTP client (gloo-net) ends
/// any URL that has a query. `crossorigin` because the app's fetch is a CORS request, even to
/// its own origin. The browser journey `find_nearby` checks the list is fetched once.
fn first_list_preload(centre: (f64, f64)) -> String {
    let query = yizhan_core::StationQuery::nearby(
        yizhan_core::StationFilter::default(),
        centre,
        yizhan_core::NEARBY_LIST_LEN,
        None,
    );
    format!(
        "<link rel=\"preload\" as=\"fetch\" href=\"/api/v1/stations?{}&amp;\" crossorigin>",
        escape_html(&query.to_query_string())
    )
}

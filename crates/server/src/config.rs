//! Typed settings, read once from `YIZHAN_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The variable holds a value of the wrong form.
    #[error("{name}: {problem}")]
    Invalid {
        /// Variable name.
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
}

/// Which datum the map tiles are drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TileDatum {
    /// GPS coordinates (OpenStreetMap and most of the world).
    Wgs84,
    /// China's obfuscated datum (Amap-style tiles).
    Gcj02,
}

impl TileDatum {
    /// The setting's text.
    pub fn as_str(self) -> &'static str {
        match self {
            TileDatum::Wgs84 => "wgs84",
            TileDatum::Gcj02 => "gcj02",
        }
    }
}

/// Where the demo seed puts its stations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoArea {
    /// Beijing's 16 districts (the default, and the dense worst case at 100,000).
    Beijing,
    /// 30 cities across China: the density a national deployment would see.
    China,
    /// One of those cities only, by its code (`sh` for 上海市): a city deployment elsewhere
    /// than Beijing.
    City(&'static str),
}

/// Where `/embed` may be framed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmbedOrigins {
    /// Any site (`*`), when the operator chooses it.
    Any,
    /// Only these origins, e.g. `https://www.bjzgh.org`. Empty: nowhere.
    List(Vec<String>),
}

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `YIZHAN_ADDR`: where to listen.
    pub addr: SocketAddr,
    /// `YIZHAN_DATABASE_URL`: `sqlite://data/yizhan.db` by default, or `postgres://…` for a
    /// fleet of servers on one PostgreSQL database.
    pub database_url: String,
    /// `YIZHAN_PUBLIC_URL`: the base URL printed in QR codes.
    pub public_url: String,
    /// `YIZHAN_TILE_URL`: Leaflet tile URL template.
    pub tile_url: String,
    /// `YIZHAN_TILE_ATTRIBUTION`: credit shown on the map.
    pub tile_attribution: String,
    /// `YIZHAN_TILE_DATUM`: `wgs84` or `gcj02`.
    pub tile_datum: TileDatum,
    /// `YIZHAN_EMBED_ORIGINS`: comma list of origins, or `*`.
    pub embed_origins: EmbedOrigins,
    /// `YIZHAN_TRUSTED_PROXIES`: peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `YIZHAN_STATUS_EXPIRY`: how long a manager's status is trusted (`12h`, `90m`, `3600s`).
    pub status_expiry: Duration,
    /// `YIZHAN_DIST_DIR`: the built app (Trunk's `dist/`).
    pub dist_dir: PathBuf,
    /// `YIZHAN_DEMO`: seed demo stations and the demo accounts (whose passwords are published)
    /// into an empty database. Off unless asked for; refused with an https public URL.
    pub demo: bool,
    /// `YIZHAN_DEMO_STATIONS`: how many demo stations `YIZHAN_DEMO` seeds.
    pub demo_stations: usize,
    /// `YIZHAN_DEMO_AREA`: `beijing` (default) or `china`.
    pub demo_area: DemoArea,
    /// `YIZHAN_RATE_LIMIT_RETENTION`: how long what the rate limits count is kept: failed
    /// sign-ins and lookups, and the salted address and device hashes of reports and
    /// applications (`1d`; at least the longest limit window, an hour).
    pub rate_limit_retention: Duration,
    /// `YIZHAN_PENDING_RETENTION`: how long an application nobody decided is kept before the
    /// purge deletes it (`180d`; at least a day).
    pub pending_retention: Duration,
    /// `YIZHAN_HASH_WORKERS`: password hashes computed at once (46 MiB each); further sign-ins
    /// wait briefly, then get 503. Defaults to the number of cores.
    pub hash_workers: usize,
    /// `YIZHAN_DB_POOL` and `YIZHAN_DB_BUSY_TIMEOUT`: connections kept open, and how long a
    /// writer waits for the write lock.
    pub db: crate::db::DbOptions,
    /// `YIZHAN_SYNC_INTERVAL`: how often the server reads the database's change log to follow
    /// writes made through other instances (`250ms`; a write through this instance shows at
    /// once).
    pub sync_interval: Duration,
    /// `YIZHAN_SHUTDOWN_GRACE`: on SIGTERM (or Ctrl-C) the server stops accepting and gives the
    /// requests in flight this long to finish (`10s`).
    pub shutdown_grace: Duration,
    /// `YIZHAN_METRICS_ALLOW`: addresses besides loopback that may read `/metrics`.
    pub metrics_allow: Vec<std::net::IpAddr>,
    /// `YIZHAN_METRICS_TOKEN`: a bearer token that may read `/metrics` from anywhere (at least
    /// 16 characters).
    pub metrics_token: Option<String>,
    /// `YIZHAN_REQUIRE_ADMIN_TOTP`: admins must sign in with a second step (an authenticator
    /// app); until they set it up, only their security page works.
    pub require_admin_totp: bool,
    /// How long a sign-in waits for a free password worker before 503 `busy` (3 s; not an
    /// environment setting).
    pub hash_wait: Duration,
    /// `YIZHAN_APPLICATION_RETENTION`: how long a membership application is kept after its
    /// decision or withdrawal (`365d`, `8760h`), then deleted by the purge job.
    pub application_retention: Duration,
    /// `YIZHAN_PRIVACY_POLICY_VERSION`: the version of the privacy notice `/join` shows; an
    /// application must consent to this one.
    pub privacy_policy_version: String,
    /// `YIZHAN_CITY_CENTRE`: where the rider's map opens without a position (`31.2304,121.4737`);
    /// unset: the mean position of the stations (Beijing's centre without stations).
    pub city_centre: Option<(f64, f64)>,
    /// `YIZHAN_CITY_BOUNDS`: the box the rider's map fits when it opens without a position,
    /// `minLng,minLat,maxLng,maxLat` (`121.1,30.7,122.0,31.9`); unset: the box around the
    /// stations (none for Beijing: its centre at the city's usual zoom).
    pub city_bounds: Option<[f64; 4]>,
    /// `YIZHAN_CITY_DISTRICTS`: the districts the join form lists, comma-separated
    /// (`浦东新区,黄浦区`); unset: the stations' districts, the busiest first (Beijing's 16
    /// without stations).
    pub city_districts: Option<Vec<String>>,
    /// `YIZHAN_HOLIDAYS`: a file listing public holidays and make-up working days
    /// (`off 2027-01-01`, `work 2027-02-07`; the form of `crates/server/data/holidays-cn.txt`),
    /// which replaces the list built in (2025 and 2026). `PH` in opening hours follows it.
    pub holidays: std::sync::Arc<yizhan_core::holidays::Holidays>,
    /// `YIZHAN_WEBHOOK_ALLOW_HTTP`: unions' group-chat robots may have plain `http://`
    /// addresses (a receiver on the same private network, or a test); off: https only.
    pub webhook_allow_http: bool,
    /// `YIZHAN_WEBHOOK_RETRY`: how long after a robot's first failed try the next is made
    /// (`30s`; each later wait is twice as long, at most an hour, six tries in all).
    pub webhook_retry: Duration,
    /// `YIZHAN_WEBHOOK_POLL`: how often the server looks for stations gone stale and posts
    /// due to robots (`30s`; a fault report is posted at once).
    pub webhook_poll: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/yizhan.db".into(),
            public_url: "http://127.0.0.1:8080".into(),
            tile_url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            tile_attribution: "© OpenStreetMap contributors".into(),
            tile_datum: TileDatum::Wgs84,
            embed_origins: EmbedOrigins::List(Vec::new()),
            trusted_proxies: Vec::new(),
            status_expiry: Duration::from_secs(12 * 3600),
            dist_dir: PathBuf::from("dist"),
            demo: false,
            demo_stations: 2000,
            demo_area: DemoArea::Beijing,
            rate_limit_retention: Duration::from_secs(86_400),
            pending_retention: Duration::from_secs(180 * 86_400),
            hash_workers: std::thread::available_parallelism().map_or(2, usize::from),
            hash_wait: Duration::from_secs(3),
            require_admin_totp: false,
            metrics_allow: Vec::new(),
            metrics_token: None,
            shutdown_grace: Duration::from_secs(10),
            sync_interval: Duration::from_millis(250),
            db: crate::db::DbOptions::default(),
            application_retention: Duration::from_secs(365 * 86_400),
            privacy_policy_version: "2026-11".into(),
            city_centre: None,
            city_bounds: None,
            city_districts: None,
            holidays: std::sync::Arc::new(built_in_holidays()),
            webhook_allow_http: false,
            webhook_retry: Duration::from_secs(30),
            webhook_poll: Duration::from_secs(30),
        }
    }
}

/// The holidays built into the server (`data/holidays-cn.txt`; a test holds it to its form).
pub fn built_in_holidays() -> yizhan_core::holidays::Holidays {
    yizhan_core::holidays::Holidays::parse(include_str!("../data/holidays-cn.txt"))
        .unwrap_or_default()
}

fn invalid(name: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name,
        problem: problem.into(),
    }
}

/// The URL with its scheme in lower case (`HTTPS://` is https too: every https-only rule
/// checks the scheme).
fn normalise_scheme(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
        None => url.to_owned(),
    }
}

/// A duration of at least `min_secs`, or the error that names the variable and an example.
fn at_least(
    name: &'static str,
    v: &str,
    min_secs: u64,
    expected: &'static str,
) -> Result<Duration, ConfigError> {
    parse_duration(v)
        .filter(|d| d.as_secs() >= min_secs)
        .ok_or_else(|| invalid(name, expected))
}

/// An on/off setting: `1`, `true`, `yes`, or `0`, `false`, `no`, empty.
fn flag(name: &'static str, v: &str) -> Result<bool, ConfigError> {
    match v.trim() {
        "1" | "true" | "yes" => Ok(true),
        "" | "0" | "false" | "no" => Ok(false),
        _ => Err(invalid(name, "expected 1 (on) or 0 (off)")),
    }
}

/// Parses `12h`, `90m`, `30s`, `250ms` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: u64 = num.parse().ok()?;
    if unit == "ms" {
        return (n > 0).then(|| Duration::from_millis(n));
    }
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    (secs > 0).then(|| Duration::from_secs(secs))
}

fn parse_origin(o: &str) -> Result<String, String> {
    let o = o.trim().trim_end_matches('/');
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))
        .ok_or_else(|| format!("{o}: an origin starts with https:// or http://"))?;
    if rest.is_empty() || rest.contains(['/', ' ', ';', '\'', '"']) {
        return Err(format!("{o}: an origin is scheme://host[:port] only"));
    }
    Ok(o.to_owned())
}

impl Settings {
    /// Reads every setting from the environment, using the defaults for unset ones.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let mut s = Settings::default();
        if let Some(v) = get("YIZHAN_ADDR") {
            s.addr = v
                .parse()
                .map_err(|_| invalid("YIZHAN_ADDR", "expected host:port, e.g. 127.0.0.1:8080"))?;
        }
        if let Some(v) = get("YIZHAN_DATABASE_URL") {
            if crate::db::Backend::of(&v).is_none() {
                return Err(invalid(
                    "YIZHAN_DATABASE_URL",
                    "expected sqlite://FILE or postgres://USER@HOST:PORT/DATABASE",
                ));
            }
            s.database_url = v;
        }
        s.public_url = match get("YIZHAN_PUBLIC_URL") {
            Some(v) => normalise_scheme(v.trim().trim_end_matches('/')),
            None => format!("http://{}", s.addr),
        };
        if let Some(v) = get("YIZHAN_TILE_URL") {
            if !(v.starts_with("https://") || v.starts_with("http://") || v.starts_with('/'))
                || !v.contains("{z}")
            {
                return Err(invalid(
                    "YIZHAN_TILE_URL",
                    "expected a URL template with {z}, {x} and {y}",
                ));
            }
            s.tile_url = v;
        }
        if let Some(v) = get("YIZHAN_TILE_ATTRIBUTION") {
            s.tile_attribution = v;
        }
        if let Some(v) = get("YIZHAN_TILE_DATUM") {
            s.tile_datum = match v.as_str() {
                "wgs84" => TileDatum::Wgs84,
                "gcj02" => TileDatum::Gcj02,
                _ => return Err(invalid("YIZHAN_TILE_DATUM", "expected wgs84 or gcj02")),
            };
        }
        if let Some(v) = get("YIZHAN_EMBED_ORIGINS") {
            s.embed_origins = if v.trim() == "*" {
                EmbedOrigins::Any
            } else {
                let list = v
                    .split(',')
                    .filter(|o| !o.trim().is_empty())
                    .map(parse_origin)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| invalid("YIZHAN_EMBED_ORIGINS", e))?;
                EmbedOrigins::List(list)
            };
        }
        if let Some(v) = get("YIZHAN_TRUSTED_PROXIES") {
            s.trusted_proxies = v
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .map(|p| p.trim().parse())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    invalid(
                        "YIZHAN_TRUSTED_PROXIES",
                        "expected a comma list of IP addresses",
                    )
                })?;
        }
        if let Some(v) = get("YIZHAN_STATUS_EXPIRY") {
            s.status_expiry = parse_duration(&v).ok_or_else(|| {
                invalid("YIZHAN_STATUS_EXPIRY", "expected e.g. 12h, 90m or 3600s")
            })?;
        }
        if let Some(v) = get("YIZHAN_DIST_DIR") {
            s.dist_dir = PathBuf::from(v);
        }
        if let Some(v) = get("YIZHAN_DEMO") {
            s.demo = flag("YIZHAN_DEMO", &v)?;
        }
        if s.demo && s.is_https() {
            return Err(invalid(
                "YIZHAN_DEMO",
                "demo accounts have published passwords and are never served over https; \
                 unset YIZHAN_DEMO for a real deployment",
            ));
        }
        if let Some(v) = get("YIZHAN_RATE_LIMIT_RETENTION") {
            s.rate_limit_retention = at_least(
                "YIZHAN_RATE_LIMIT_RETENTION",
                &v,
                3600,
                "expected at least an hour, e.g. 1d or 6h",
            )?;
        }
        if let Some(v) = get("YIZHAN_PENDING_RETENTION") {
            s.pending_retention = at_least(
                "YIZHAN_PENDING_RETENTION",
                &v,
                86_400,
                "expected at least a day, e.g. 180d",
            )?;
        }
        if let Some(v) = get("YIZHAN_REQUIRE_ADMIN_TOTP") {
            s.require_admin_totp = flag("YIZHAN_REQUIRE_ADMIN_TOTP", &v)?;
        }
        if let Some(v) = get("YIZHAN_METRICS_ALLOW") {
            s.metrics_allow = v
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .map(|p| p.trim().parse())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    invalid(
                        "YIZHAN_METRICS_ALLOW",
                        "expected a comma list of IP addresses",
                    )
                })?;
        }
        if let Some(v) = get("YIZHAN_METRICS_TOKEN") {
            let v = v.trim();
            if v.len() < 16 || !v.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(invalid(
                    "YIZHAN_METRICS_TOKEN",
                    "expected at least 16 printable characters",
                ));
            }
            s.metrics_token = Some(v.to_owned());
        }
        if let Some(v) = get("YIZHAN_SYNC_INTERVAL") {
            s.sync_interval = parse_duration(&v)
                .filter(|d| *d <= Duration::from_secs(60))
                .ok_or_else(|| {
                    invalid(
                        "YIZHAN_SYNC_INTERVAL",
                        "expected e.g. 250ms or 1s (at most 1m)",
                    )
                })?;
        }
        if let Some(v) = get("YIZHAN_SHUTDOWN_GRACE") {
            s.shutdown_grace = parse_duration(&v)
                .ok_or_else(|| invalid("YIZHAN_SHUTDOWN_GRACE", "expected e.g. 10s or 1m"))?;
        }
        if let Some(v) = get("YIZHAN_DB_POOL") {
            s.db.pool_size = v
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or_else(|| invalid("YIZHAN_DB_POOL", "expected 1 to 256 connections"))?;
        }
        if let Some(v) = get("YIZHAN_DB_BUSY_TIMEOUT") {
            s.db.busy_timeout = parse_duration(&v)
                .ok_or_else(|| invalid("YIZHAN_DB_BUSY_TIMEOUT", "expected e.g. 5s or 30s"))?;
        }
        if let Some(v) = get("YIZHAN_HASH_WORKERS") {
            s.hash_workers = v
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .ok_or_else(|| invalid("YIZHAN_HASH_WORKERS", "expected 1 to 64"))?;
        }
        if let Some(v) = get("YIZHAN_DEMO_STATIONS") {
            s.demo_stations = v.parse().map_err(|_| {
                invalid(
                    "YIZHAN_DEMO_STATIONS",
                    "expected a number (0 = no demo data)",
                )
            })?;
        }
        if let Some(v) = get("YIZHAN_DEMO_AREA") {
            s.demo_area = match v.trim() {
                "beijing" | "" => DemoArea::Beijing,
                "china" => DemoArea::China,
                code => DemoArea::City(crate::demo::city_code(code).ok_or_else(|| {
                    invalid(
                        "YIZHAN_DEMO_AREA",
                        "expected beijing, china, or a city code such as sh (上海), gz (广州), cd (成都)",
                    )
                })?),
            };
        }
        if let Some(v) = get("YIZHAN_APPLICATION_RETENTION") {
            // At least a day: an Idempotency-Key must be remembered for 24 h, and it lives on
            // the application's row.
            s.application_retention = at_least(
                "YIZHAN_APPLICATION_RETENTION",
                &v,
                86_400,
                "expected at least a day, e.g. 365d, 30d or 8760h",
            )?;
        }
        if let Some(v) = get("YIZHAN_PRIVACY_POLICY_VERSION") {
            let v = v.trim();
            if v.is_empty()
                || v.chars().count() > yizhan_core::application::MAX_POLICY_VERSION_CHARS
            {
                return Err(invalid(
                    "YIZHAN_PRIVACY_POLICY_VERSION",
                    "expected a short version such as 2026-11",
                ));
            }
            s.privacy_policy_version = v.to_owned();
        }
        if let Some(v) = get("YIZHAN_CITY_CENTRE") {
            let centre = v
                .split_once(',')
                .and_then(|(lat, lng)| Some((lat.trim().parse().ok()?, lng.trim().parse().ok()?)))
                .filter(|&(lat, lng)| yizhan_core::LatLng::new(lat, lng).is_ok());
            s.city_centre = Some(centre.ok_or_else(|| {
                invalid(
                    "YIZHAN_CITY_CENTRE",
                    "expected lat,lng, e.g. 31.2304,121.4737",
                )
            })?);
        }
        if let Some(v) = get("YIZHAN_CITY_BOUNDS") {
            let b = yizhan_core::BBox::parse(&v).map_err(|_| {
                invalid(
                    "YIZHAN_CITY_BOUNDS",
                    "expected minLng,minLat,maxLng,maxLat, e.g. 121.1,30.7,122.0,31.9",
                )
            })?;
            s.city_bounds = Some(b.to_array());
        }
        if let Some(v) = get("YIZHAN_CITY_DISTRICTS") {
            let list: Vec<String> = v
                .split([',', '，'])
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect();
            if list.is_empty()
                || list.len() > crate::city::MAX_DISTRICTS
                || list.iter().any(|d| d.chars().count() > 20)
            {
                return Err(invalid(
                    "YIZHAN_CITY_DISTRICTS",
                    "expected a comma list of up to 60 district names, e.g. 浦东新区,黄浦区",
                ));
            }
            s.city_districts = Some(list);
        }
        if let Some(path) = get("YIZHAN_HOLIDAYS") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| invalid("YIZHAN_HOLIDAYS", format!("cannot read {path}: {e}")))?;
            let list = yizhan_core::holidays::Holidays::parse(&text)
                .map_err(|e| invalid("YIZHAN_HOLIDAYS", format!("{path}: {e}")))?;
            s.holidays = std::sync::Arc::new(list);
        }
        if let Some(v) = get("YIZHAN_WEBHOOK_ALLOW_HTTP") {
            s.webhook_allow_http = flag("YIZHAN_WEBHOOK_ALLOW_HTTP", &v)?;
        }
        if let Some(v) = get("YIZHAN_WEBHOOK_RETRY") {
            s.webhook_retry = parse_duration(&v)
                .ok_or_else(|| invalid("YIZHAN_WEBHOOK_RETRY", "expected e.g. 30s or 2m"))?;
        }
        if let Some(v) = get("YIZHAN_WEBHOOK_POLL") {
            s.webhook_poll = parse_duration(&v)
                .ok_or_else(|| invalid("YIZHAN_WEBHOOK_POLL", "expected e.g. 30s or 500ms"))?;
        }
        Ok(s)
    }

    /// Whether the public URL is https: the session cookie is then `__Host-` and Secure, and
    /// demo data and demo accounts are refused.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The tile server's origin, which the CSP must allow images from.
    pub fn tile_origin(&self) -> Option<String> {
        let rest = self
            .tile_url
            .strip_prefix("https://")
            .map(|r| ("https://", r))
            .or_else(|| {
                self.tile_url
                    .strip_prefix("http://")
                    .map(|r| ("http://", r))
            })?;
        let host = rest.1.split('/').next()?;
        // `{s}` subdomains become a wildcard the CSP understands.
        Some(format!("{}{}", rest.0, host.replace("{s}", "*")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_serve_on_8080_with_a_sqlite_file() {
        let s = from(&[]).expect("defaults");
        assert_eq!(s.addr.port(), 8080);
        assert_eq!(s.database_url, "sqlite://data/yizhan.db");
        assert_eq!(s.status_expiry, Duration::from_secs(43_200));
        assert_eq!(s.embed_origins, EmbedOrigins::List(vec![]));
        assert_eq!(s.application_retention, Duration::from_secs(365 * 86_400));
        assert_eq!(s.privacy_policy_version, "2026-11");
    }

    #[test]
    fn application_retention_and_policy_version_are_read() {
        let s = from(&[
            ("YIZHAN_APPLICATION_RETENTION", "30d"),
            ("YIZHAN_PRIVACY_POLICY_VERSION", " 2027-01 "),
        ])
        .expect("ok");
        assert_eq!(s.application_retention, Duration::from_secs(30 * 86_400));
        assert_eq!(s.privacy_policy_version, "2027-01");
        assert!(from(&[("YIZHAN_APPLICATION_RETENTION", "a year")]).is_err());
        assert!(from(&[("YIZHAN_APPLICATION_RETENTION", "12h")]).is_err());
        assert!(from(&[("YIZHAN_PRIVACY_POLICY_VERSION", " ")]).is_err());
    }

    #[test]
    fn the_demo_area_is_beijing_unless_china_is_asked_for() {
        assert_eq!(from(&[]).expect("defaults").demo_area, DemoArea::Beijing);
        assert_eq!(
            from(&[("YIZHAN_DEMO_AREA", "sh")])
                .expect("shanghai")
                .demo_area,
            DemoArea::City("sh")
        );
        assert!(from(&[("YIZHAN_DEMO_AREA", "atlantis")]).is_err());
        assert_eq!(
            from(&[("YIZHAN_DEMO_AREA", "china")])
                .expect("china")
                .demo_area,
            DemoArea::China
        );
        assert!(from(&[("YIZHAN_DEMO_AREA", "shanghai")]).is_err());
    }

    #[test]
    fn demo_data_is_seeded_only_when_asked_and_never_over_https() {
        assert!(!from(&[]).expect("defaults").demo);
        assert!(from(&[("YIZHAN_DEMO", "1")]).expect("demo").demo);
        assert!(!from(&[("YIZHAN_DEMO", "0")]).expect("no demo").demo);
        assert!(from(&[("YIZHAN_DEMO", "maybe")]).is_err());
        let err = from(&[
            ("YIZHAN_DEMO", "1"),
            ("YIZHAN_PUBLIC_URL", "https://yizhan.example.org"),
        ])
        .expect_err("demo over https")
        .to_string();
        assert!(err.starts_with("YIZHAN_DEMO"), "{err}");
    }

    #[test]
    fn a_public_url_in_capitals_is_https_too() {
        let s = from(&[("YIZHAN_PUBLIC_URL", "HTTPS://Yizhan.example.org/")]).expect("ok");
        assert!(s.is_https());
        assert_eq!(s.public_url, "https://Yizhan.example.org");
        assert!(from(&[
            ("YIZHAN_DEMO", "1"),
            ("YIZHAN_PUBLIC_URL", "Https://yizhan.example.org"),
        ])
        .is_err());
    }

    #[test]
    fn retention_and_hash_workers_are_read_with_floors() {
        let s = from(&[
            ("YIZHAN_RATE_LIMIT_RETENTION", "6h"),
            ("YIZHAN_PENDING_RETENTION", "30d"),
            ("YIZHAN_HASH_WORKERS", "3"),
        ])
        .expect("ok");
        assert_eq!(s.rate_limit_retention, Duration::from_secs(6 * 3600));
        assert_eq!(s.pending_retention, Duration::from_secs(30 * 86_400));
        assert_eq!(s.hash_workers, 3);
        let db = from(&[("YIZHAN_DB_POOL", "16"), ("YIZHAN_DB_BUSY_TIMEOUT", "30s")])
            .expect("ok")
            .db;
        assert_eq!(
            (db.pool_size, db.busy_timeout),
            (16, Duration::from_secs(30))
        );
        assert!(from(&[("YIZHAN_DB_POOL", "0")]).is_err());
        assert!(from(&[("YIZHAN_RATE_LIMIT_RETENTION", "10m")]).is_err());
        assert!(from(&[("YIZHAN_PENDING_RETENTION", "12h")]).is_err());
        assert!(from(&[("YIZHAN_HASH_WORKERS", "0")]).is_err());
    }

    #[test]
    fn durations_take_units() {
        assert_eq!(parse_duration("90m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("3600"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("0h"), None);
        assert_eq!(parse_duration("12 hours"), None);
    }

    #[test]
    fn bad_settings_name_the_variable() {
        for (k, v) in [
            ("YIZHAN_ADDR", "nowhere"),
            ("YIZHAN_TILE_DATUM", "bd09"),
            ("YIZHAN_EMBED_ORIGINS", "www.example.org"),
            ("YIZHAN_STATUS_EXPIRY", "soon"),
            ("YIZHAN_TILE_URL", "javascript:alert(1)"),
        ] {
            let err = from(&[(k, v)]).expect_err(k).to_string();
            assert!(err.starts_with(k), "{err}");
        }
    }

    #[test]
    fn tile_origin_allows_subdomains() {
        let s = from(&[(
            "YIZHAN_TILE_URL",
            "https://{s}.tile.example.org/{z}/{x}/{y}.png",
        )])
        .expect("ok");
        assert_eq!(
            s.tile_origin().as_deref(),
            Some("https://*.tile.example.org")
        );
    }

    #[test]
    fn embed_origins_accept_a_list_or_star() {
        let s = from(&[("YIZHAN_EMBED_ORIGINS", "https://a.org, http://b.org:8000/")]).expect("ok");
        assert_eq!(
            s.embed_origins,
            EmbedOrigins::List(vec!["https://a.org".into(), "http://b.org:8000".into()])
        );
        assert_eq!(
            from(&[("YIZHAN_EMBED_ORIGINS", "*")])
                .expect("ok")
                .embed_origins,
            EmbedOrigins::Any
        );
    }

    #[test]
    fn holidays_come_built_in_and_a_file_replaces_them_or_is_named_when_wrong() {
        use yizhan_core::holidays::DayKind;
        let national_day = yizhan_core::Timestamp::from_unix(1_790_827_200).beijing();
        assert_eq!((national_day.month, national_day.day), (10, 1));
        let text = include_str!("../data/holidays-cn.txt");
        assert!(yizhan_core::holidays::Holidays::parse(text).is_ok());
        let built_in = Settings::default();
        assert_eq!(built_in.holidays.kind(&national_day), DayKind::Holiday);
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("holidays.txt");
        std::fs::write(&file, "off 2027-01-01\n").expect("write");
        let path = file.display().to_string();
        let s = Settings::from_lookup(|k| (k == "YIZHAN_HOLIDAYS").then(|| path.clone()))
            .expect("settings");
        assert_eq!(s.holidays.kind(&national_day), DayKind::Normal, "replaced");
        std::fs::write(&file, "off 2027-01-01\nholiday 2027-02-01\n").expect("write");
        let e = Settings::from_lookup(|k| (k == "YIZHAN_HOLIDAYS").then(|| path.clone()))
            .expect_err("refused");
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}

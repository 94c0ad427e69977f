//! Building the server from settings: database, demo seed, index, router, listener.

use std::sync::{Arc, RwLock};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use yizhan_core::Timestamp;

use crate::config::Settings;
use crate::db::{Db, DbError};
use crate::index::StationIndex;
use crate::shell::{Bundle, Shell};
use crate::state::AppState;
use crate::web;
use crate::{demo, error, routes};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be opened, migrated or seeded.
    #[error("database: {0}")]
    Db(#[from] DbError),
    /// The demo accounts could not be made.
    #[error("demo accounts: {0}")]
    Seed(String),
    /// Demo data was asked for on a server whose public URL is https.
    #[error(
        "YIZHAN_DEMO is set but the public URL is https: demo accounts have published passwords; \
         unset YIZHAN_DEMO"
    )]
    DemoOverHttps,
    /// The database holds the demo accounts, whose passwords are published, and the server
    /// would face the internet.
    #[error(
        "the database holds demo accounts with published passwords ({0}) and the public URL is \
         https; remove them with `yizhan-server remove-demo-accounts` and start again"
    )]
    DemoAccounts(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// The whole HTTP surface, for `serve` and for tests.
pub fn router(state: AppState) -> Router {
    let dist = state.settings.dist_dir.clone();
    // Every page route of the public contract answers with its bundle's shell.
    let pages = [
        ("/stations/{id}", Bundle::Station),
        ("/join", Bundle::Join),
        ("/join/status", Bundle::Join),
        ("/scan", Bundle::Scan),
        ("/manage", Bundle::Staff),
        ("/manage/{*rest}", Bundle::Staff),
        ("/admin", Bundle::Staff),
        ("/admin/{*rest}", Bundle::Staff),
    ];
    let mut router = Router::new()
        .route("/healthz", get(routes::health::health))
        .route("/readyz", get(routes::health::ready))
        .nest("/api/v1", routes::api())
        .merge(routes::api_docs::routes());
    // `/` is the map, with the first list preloaded when it opens on the city.
    router = router.route("/", get(web::home));
    // `/embed` is the map, or with `?station=` that station's page.
    router = router.route("/embed", get(web::embed));
    for (path, bundle) in pages {
        router = router.route(
            path,
            get(move |State(state): State<AppState>| async move {
                web::shell(&state, bundle, StatusCode::OK)
            }),
        );
    }
    // Counted and timed by route template (the layer sees the matched route).
    router = router
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::routes::metrics::track,
        ))
        .route("/metrics", get(crate::routes::metrics::metrics));
    let files = web::static_files(&dist).fallback(get(web::not_found).with_state(state.clone()));
    router
        .fallback_service(files)
        .layer(axum::middleware::from_fn(error::localise))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::headers,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        // Outermost: every layer and handler inside logs within the request's span.
        .layer(axum::middleware::from_fn_with_state(
            state.settings.clone(),
            crate::request_id::middleware,
        ))
        .with_state(state)
}

/// Opens the database, seeds demo stations into an empty one, and loads the index.
pub async fn state(settings: Settings) -> Result<AppState, StartupError> {
    let https = settings.is_https();
    if settings.demo && https {
        return Err(StartupError::DemoOverHttps);
    }
    let db = Db::connect_with(&settings.database_url, settings.db).await?;
    // Demo data only when asked for: a real deployment must never start with an account whose
    // password is printed in the README.
    if settings.demo {
        if settings.demo_stations > 0 && db.station_count().await? == 0 {
            let expiry = i64::try_from(settings.status_expiry.as_secs()).unwrap_or(i64::MAX);
            let data = match settings.demo_area {
                crate::config::DemoArea::Beijing => {
                    demo::beijing(settings.demo_stations, Timestamp::now(), expiry)
                }
                crate::config::DemoArea::China => {
                    demo::nationwide(settings.demo_stations, Timestamp::now(), expiry)
                }
                crate::config::DemoArea::City(code) => {
                    demo::one_city(code, settings.demo_stations, Timestamp::now(), expiry)
                }
            };
            if db.insert_seed(&data.union_rows(), &data.stations).await? {
                tracing::info!(stations = data.stations.len(), "seeded demo stations");
            }
        }
        crate::bootstrap::seed_demo_accounts(&db)
            .await
            .map_err(|e| StartupError::Seed(e.to_string()))?;
    }
    if https {
        let present = crate::bootstrap::demo_accounts_present(&db)
            .await
            .map_err(|e| StartupError::Seed(e.to_string()))?;
        if !present.is_empty() {
            db.close().await;
            return Err(StartupError::DemoAccounts(present.join(", ")));
        }
    }
    let city = crate::city::City::of_districts(&db.districts().await?).with_settings(
        settings.city_centre,
        settings.city_bounds,
        settings.city_districts.as_deref(),
    );
    let shell = Arc::new(Shell::load(&settings).with_city(&city));
    let mut metrics = crate::metrics::Metrics::default();
    metrics.register_db(&db);
    let hashers = Arc::new(crate::auth::Hashers::new(
        settings.hash_workers,
        settings.hash_wait,
    ));
    let state = AppState {
        db,
        hashers,
        feed: Arc::default(),
        metrics: Arc::new(metrics),
        index: Arc::new(RwLock::new(StationIndex::default())),
        applied: Arc::default(),
        webhooks: Arc::default(),
        confirmed: Arc::default(),
        city: Arc::new(city),
        settings: Arc::new(settings),
        shell,
    };
    state.reload_index().await?;
    state.confirmed.reload(&state.db, Timestamp::now()).await?;
    Ok(state)
}

/// A bound, ready server.
pub struct Server {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Server {
    /// Builds everything and binds the address (port 0 picks a free one).
    pub async fn build(settings: Settings) -> Result<Server, StartupError> {
        let addr = settings.addr;
        let state = state(settings).await?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartupError::Bind { addr, source })?;
        Ok(Server {
            router: router(state.clone()),
            listener,
            state,
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes and the requests in flight finish (within the grace
    /// period), then closes the database.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Deletes expired applications hourly while the server runs.
        let purge = crate::purge::spawn(
            self.state.db.clone(),
            crate::purge::Retention::from(&*self.state.settings),
        );
        // Follows writes made through other instances on the same database.
        let sync = crate::state::spawn_sync(self.state.clone(), self.state.settings.sync_interval);
        // Posts fault reports and stations gone stale to unions' group-chat robots.
        let webhooks = crate::webhook::spawn(self.state.clone(), self.state.settings.webhook_poll);
        // Riders' confirmations made through other instances show within a minute.
        let confirmed = crate::confirmed::spawn(
            self.state.db.clone(),
            self.state.confirmed.clone(),
            std::time::Duration::from_secs(60),
        );
        // Once `shutdown` completes: no new connections, and the requests in flight get the
        // grace period to finish; past it they are dropped (their clients retry).
        let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
        let serve = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing requests in flight");
            let _ = stopping.send(());
        });
        let grace = self.state.settings.shutdown_grace;
        let result = tokio::select! {
            r = serve => r,
            () = async move {
                if stopped.await.is_ok() {
                    tokio::time::sleep(grace).await;
                } else {
                    std::future::pending::<()>().await;
                }
            } => {
                tracing::warn!("shutdown grace passed; requests still in flight are dropped");
                Ok(())
            }
        };
        purge.abort();
        sync.abort();
        webhooks.abort();
        confirmed.abort();
        self.state.db.close().await;
        result
    }
}

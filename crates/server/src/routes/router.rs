//! The API's routes: every path under `/api/v1` and the handler that answers it.

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post};
use axum::Router;

use super::{
    admin, applications, coverage, insight, manage, openapi, poster, reports, review, services,
    session, stations, visits, webhooks,
};
use crate::error::AppError;
use crate::state::AppState;

/// The `/api/v1` routes.
pub fn api() -> Router<AppState> {
    Router::new()
        // Each router keeps its own hot answers (tests build many routers in one process).
        .route(
            "/stations",
            get(stations::list).layer(axum::Extension(std::sync::Arc::new(
                stations::Answers::default(),
            ))),
        )
        .route("/stations.geojson", get(stations::geojson))
        .route("/stations/{id}", get(stations::one))
        .route("/stations/{id}/services", get(services::for_station))
        .route("/stations/{id}/today", get(reports::today))
        .route("/stations/{id}/visits", post(visits::create))
        .route("/unions/{id}/services", get(services::for_union))
        .route(
            "/stations/{id}/reports",
            post(reports::create).layer(DefaultBodyLimit::max(reports::MAX_BODY_BYTES)),
        )
        .route("/stations/{id}/status", patch(manage::set_status))
        .route(
            "/applications",
            post(applications::create).layer(DefaultBodyLimit::max(applications::MAX_BODY_BYTES)),
        )
        .route(
            "/applications/lookup",
            post(applications::lookup).layer(DefaultBodyLimit::max(applications::MAX_BODY_BYTES)),
        )
        .route(
            "/applications/withdraw",
            post(applications::withdraw).layer(DefaultBodyLimit::max(applications::MAX_BODY_BYTES)),
        )
        .route(
            "/applications/resubmit",
            post(applications::resubmit).layer(DefaultBodyLimit::max(applications::MAX_BODY_BYTES)),
        )
        .route("/applications/policy", get(applications::policy))
        .route("/stations/{id}/poster.svg", get(poster::svg))
        .route(
            "/session",
            post(session::sign_in)
                .get(session::current)
                .delete(session::sign_out),
        )
        .route("/session/password", post(session::change_password))
        .route("/session/two-step", post(session::begin_two_step))
        .route("/session/two-step/qr.svg", get(session::two_step_qr))
        .route("/session/two-step/confirm", post(session::confirm_two_step))
        .route(
            "/sessions",
            get(session::list_sessions).delete(session::sign_out_everywhere),
        )
        .route(
            "/sessions/{id}",
            axum::routing::delete(session::end_session),
        )
        .route("/manage/stations", get(manage::my_stations))
        .route("/manage/reports", get(manage::inbox))
        .route("/manage/reports/{id}/resolve", post(manage::resolve))
        .route("/admin/unions", get(admin::unions))
        .route("/admin/numbers", get(insight::numbers))
        .route("/admin/numbers.csv", get(insight::numbers_csv))
        .route("/admin/coverage", get(coverage::coverage))
        .route("/admin/coverage.csv", get(coverage::coverage_csv))
        .route("/admin/coverage.svg", get(coverage::coverage_svg))
        .route("/admin/weekly", get(coverage::weekly))
        .route("/admin/weekly.csv", get(coverage::weekly_csv))
        .route("/admin/weekly.svg", get(coverage::weekly_svg))
        .route(
            "/admin/unions/{id}/services",
            get(services::admin_get).put(services::admin_put),
        )
        .route(
            "/admin/unions/{id}/webhook",
            get(webhooks::get)
                .put(webhooks::put)
                .delete(webhooks::delete),
        )
        .route("/admin/unions/{id}/webhook/test", post(webhooks::test))
        .route(
            "/admin/stations",
            get(admin::stations).post(admin::create_station),
        )
        .route(
            "/admin/stations/{id}",
            axum::routing::put(admin::update_station),
        )
        .route(
            "/admin/import",
            post(admin::import).layer(DefaultBodyLimit::max(admin::MAX_IMPORT_BYTES)),
        )
        .route("/admin/export.csv", get(admin::export_csv))
        .route("/admin/export.geojson", get(admin::export_geojson))
        .route(
            "/admin/accounts",
            get(admin::accounts).post(admin::create_account),
        )
        .route("/admin/accounts/{id}", patch(admin::update_account))
        .route("/admin/accounts/{id}/password", post(admin::reset_password))
        .route(
            "/admin/accounts/{id}/two-step/reset",
            post(admin::reset_two_step),
        )
        .route("/admin/audit", get(admin::audit))
        .route("/admin/applications", get(review::list))
        .route("/admin/applications/export.csv", get(review::export))
        .route("/admin/applications/stats", get(review::stats))
        .route("/admin/applications/decisions", post(review::decide_many))
        .route("/admin/applications/{id}", get(review::one))
        .route("/admin/applications/{id}/decision", post(review::decide))
        .route("/openapi.json", get(openapi::spec))
        .fallback(|| async { AppError::NoRoute })
}

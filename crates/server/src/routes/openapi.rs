//! `GET /api/v1/openapi.json`, generated from the handlers and domain types.

use axum::Json;
use utoipa::OpenApi;

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Yizhan API",
        description = "Rest stations for outdoor workers: map, status, union membership."
    ),
    paths(
        super::stations::list,
        super::stations::one,
        super::stations::geojson,
        super::reports::create,
        super::poster::svg,
        super::session::sign_in,
        super::session::current,
        super::session::sign_out,
        super::session::sign_out_everywhere,
        super::session::list,
        super::session::end,
        super::session::change_password,
        super::session::begin_two_step,
        super::session::two_step_qr,
        super::session::confirm_two_step,
        super::manage::set_status,
        super::manage::my_stations,
        super::manage::inbox,
        super::manage::resolve,
        super::admin::unions,
        super::admin::stations,
        super::admin::create_station,
        super::admin::update_station,
        super::admin::import,
        super::admin::export_csv,
        super::admin::export_geojson,
        super::admin::accounts,
        super::admin::create_account,
        super::admin::update_account,
        super::admin::reset_password,
        super::admin::reset_two_step,
        super::admin::audit,
        super::applications::create,
        super::applications::lookup,
        super::applications::withdraw,
        super::applications::resubmit,
        super::applications::policy,
        super::review::list,
        super::review::one,
        super::review::decide,
        super::review::decide_many,
        super::review::export,
        super::review::stats,
        super::health::health
    )
)]
pub struct ApiDoc;

/// Serves the OpenAPI 3 description.
pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

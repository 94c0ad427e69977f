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
        super::health::health
    )
)]
pub struct ApiDoc;

/// Serves the OpenAPI 3 description.
pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

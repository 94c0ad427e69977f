//! `GET /api/v1/openapi.json`, generated from the handlers and domain types, and the answers
//! many operations share: those of the JSON body extractor and of the signed-in `Staff`
//! extractor, listed once here and named in each operation's `responses(...)`.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use yizhan_core::ErrorBody;

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Yizhan API",
        description = "Rest stations for outdoor workers: map, status, union membership.\n\n\
            Every error answer is `{\"error\": {\"code\", \"message\", \"fields\"}}` (`ErrorBody`). \
            Staff operations need the session cookie from `POST /api/v1/session` (scheme `session`); \
            those that change something also need its `csrf_token` in `X-CSRF-Token` (scheme `csrf`)."
    ),
    modifiers(&StaffSecurity),
    components(schemas(ErrorBody)),
    paths(
        super::stations::list,
        super::stations::one,
        super::stations::geojson,
        super::services::for_station,
        super::services::for_union,
        super::reports::create,
        super::reports::today,
        super::visits::create,
        super::poster::svg,
        super::session::sign_in,
        super::session::current,
        super::session::sign_out,
        super::session::sign_out_everywhere,
        super::session::list_sessions,
        super::session::end_session,
        super::session::change_password,
        super::session::begin_two_step,
        super::session::two_step_qr,
        super::session::confirm_two_step,
        super::manage::set_status,
        super::manage::my_stations,
        super::manage::inbox,
        super::manage::resolve,
        super::admin::unions,
        super::insight::numbers,
        super::insight::numbers_csv,
        super::coverage::coverage,
        super::coverage::coverage_csv,
        super::coverage::coverage_svg,
        super::coverage::weekly,
        super::coverage::weekly_csv,
        super::coverage::weekly_svg,
        super::services::admin_get,
        super::services::admin_put,
        super::webhooks::get,
        super::webhooks::put,
        super::webhooks::delete,
        super::webhooks::test,
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
        super::health::health,
        super::health::ready
    )
)]
pub struct ApiDoc;

/// Serves the OpenAPI 3 description.
pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The security scheme of the session cookie.
pub const SESSION: &str = "session";
/// The security scheme of the CSRF token header.
pub const CSRF: &str = "csrf";

/// Declares the two halves of staff authentication: the session cookie (every staff operation)
/// and the CSRF token header (every staff operation that changes something).
struct StaffSecurity;

impl Modify for StaffSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "The session cookie set by `POST /api/v1/session` (HttpOnly, SameSite=Strict)",
            ))),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's `csrf_token`, on every cookie-authenticated write",
            ))),
        );
    }
}

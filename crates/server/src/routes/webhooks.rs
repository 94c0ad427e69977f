//! A union's group-chat robot (群机器人), set by its admins: `GET`, `PUT` and `DELETE
//! /api/v1/admin/unions/{id}/webhook`, and `POST …/webhook/test` for a test message. The
//! robot's address holds its key, so it is shown (and audited) without it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use yizhan_core::webhook::shown_url;
use yizhan_core::{Timestamp, UnionId, WebhookDraft, WebhookView};

use crate::auth::Staff;
use crate::error::{AppError, JsonBody, PathId};
use crate::routes::http::private;
use crate::routes::responses::{AdminRead, JsonBodyErrors, SignedInWrite};
use crate::routes::services::{administered, union_audit};
use crate::state::AppState;

/// Posts an admin sees.
const SHOWN_POSTS: i64 = 20;

async fn view(state: &AppState, union: &UnionId) -> Result<WebhookView, AppError> {
    let hook = state.db.union_webhook(union).await?;
    Ok(WebhookView {
        url: hook.as_ref().map(|(url, _)| shown_url(url)),
        format: hook.map(|(_, f)| f),
        deliveries: state.db.webhook_deliveries(union, SHOWN_POSTS).await?,
    })
}

/// The union's robot and its latest posts.
#[utoipa::path(get, path = "/api/v1/admin/unions/{id}/webhook",
    params(("id" = String, Path, description = "Union id", pattern = "^[a-z0-9-]{1,40}$")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The robot (its address without its key) and its latest 20 posts", body = WebhookView),
        (status = 404, description = "`not_found`: no such union among the admin's", body = yizhan_core::ErrorBody),
        AdminRead,
    ))]
pub async fn get(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let union = administered(&staff, &id)?;
    Ok(private(Json(view(&state, &union).await?).into_response()))
}

/// Sets the union's robot: new fault reports on its stations (and the stations of the unions
/// below it) and stations gone stale are posted there.
#[utoipa::path(put, path = "/api/v1/admin/unions/{id}/webhook", request_body = WebhookDraft,
    params(("id" = String, Path, description = "Union id", pattern = "^[a-z0-9-]{1,40}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Saved; the robot as it is now", body = WebhookView),
        (status = 404, description = "`not_found`: no such union among the admin's", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: `url` missing, too long, or not an https address (http only where the server allows it)", body = yizhan_core::ErrorBody),
        SignedInWrite,
        JsonBodyErrors,
    ))]
pub async fn put(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
    JsonBody(draft): JsonBody<WebhookDraft>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let union = administered(&staff, &id)?;
    let hook = draft
        .validate(state.settings.webhook_allow_http)
        .map_err(AppError::InvalidInput)?;
    let mut rec = union_audit(&staff, &union, "union.webhook");
    // The log keeps which robot it was, never its key.
    rec.after = serde_json::to_string(&serde_json::json!({
        "url": shown_url(&hook.url),
        "format": hook.format.as_str(),
    }))
    .ok();
    state
        .db
        .set_union_webhook(&union, Some(&hook), Timestamp::now(), &rec)
        .await?;
    Ok(private(Json(view(&state, &union).await?).into_response()))
}

/// Removes the union's robot; posts not yet made are given up.
#[utoipa::path(delete, path = "/api/v1/admin/unions/{id}/webhook",
    params(("id" = String, Path, description = "Union id", pattern = "^[a-z0-9-]{1,40}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Removed (or there was none)"),
        (status = 404, description = "`not_found`: no such union among the admin's", body = yizhan_core::ErrorBody),
        SignedInWrite,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let union = administered(&staff, &id)?;
    let rec = union_audit(&staff, &union, "union.webhook_removed");
    state
        .db
        .set_union_webhook(&union, None, Timestamp::now(), &rec)
        .await?;
    Ok(private(StatusCode::NO_CONTENT.into_response()))
}

/// Queues a test message to the union's robot; the robot's page shows whether it was taken.
#[utoipa::path(post, path = "/api/v1/admin/unions/{id}/webhook/test",
    params(("id" = String, Path, description = "Union id", pattern = "^[a-z0-9-]{1,40}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 202, description = "Queued; it is sent within seconds"),
        (status = 404, description = "`not_found`: no such union among the admin's, or it has no robot", body = yizhan_core::ErrorBody),
        SignedInWrite,
    ))]
pub async fn test(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let union = administered(&staff, &id)?;
    if !state
        .db
        .queue_webhook_test(&union, Timestamp::now())
        .await?
    {
        return Err(AppError::NotFound);
    }
    state.webhooks.notify_one();
    Ok(private(StatusCode::ACCEPTED.into_response()))
}

//! Unions' services cards (帮帮卡): riders read a station's card (`GET
//! /api/v1/stations/{id}/services`, or a union's: `/api/v1/unions/{id}/services`), a union's admins read and replace their union's own items
//! (`/api/v1/admin/unions/{id}/services`); the unions below inherit them.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use yizhan_core::{
    CardItem, InheritedServices, ServicesCard, ServicesDraft, StationId, Timestamp, UnionId,
    UnionServices,
};

use sha2::{Digest, Sha256};

use crate::auth::Staff;
use crate::db::{union_chain, AuditRecord};
use crate::error::{AppError, JsonBody, PathId};
use crate::routes::http::private;
use crate::routes::responses::{AdminRead, JsonBodyErrors, SignedInWrite};
use crate::secret::hex;
use crate::state::AppState;

/// The card riders see at a station: the items of every union above its own, top down, then
/// its own union's (the app shows the 12351 hotline before them).
#[utoipa::path(get, path = "/api/v1/stations/{id}/services",
    params(("id" = String, Path, description = "Station id", pattern = "^[a-z0-9-]{1,40}$")),
    responses(
        (status = 200, description = "The station's services card; ETag names its content", body = ServicesCard),
        (status = 304, description = "Unchanged"),
        (status = 404, description = "`not_found`: no such station", body = yizhan_core::ErrorBody),
    ))]
pub async fn for_station(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = StationId::parse(&id).map_err(|_| AppError::NotFound)?;
    let union = state
        .index()
        .get(&id, Timestamp::now())
        .ok_or(AppError::NotFound)?
        .union
        .id;
    card_answer(&state, &union, &headers).await
}

/// The card riders see for a union's stations (the join receipt shows the card of the union
/// that received the application, which may have come without a station).
#[utoipa::path(get, path = "/api/v1/unions/{id}/services",
    params(("id" = String, Path, description = "Union id", pattern = "^[a-z0-9-]{1,40}$")),
    responses(
        (status = 200, description = "The union's services card; ETag names its content", body = ServicesCard),
        (status = 304, description = "Unchanged"),
        (status = 404, description = "`not_found`: no such union", body = yizhan_core::ErrorBody),
    ))]
pub async fn for_union(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let union = UnionId::parse(&id).map_err(|_| AppError::NotFound)?;
    card_answer(&state, &union, &headers).await
}

/// The card of `union`'s stations, answered with an ETag of its content.
async fn card_answer(
    state: &AppState,
    union: &UnionId,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let chain = union_chain(&state.db.unions().await?, union);
    if chain.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut items = state.db.union_services(&chain).await?;
    let card = ServicesCard {
        services: chain
            .iter()
            .flat_map(|u| items.remove(u).unwrap_or_default())
            .map(CardItem::from)
            .collect(),
    };
    let body = crate::routes::stations::to_json(&card)?;
    // The card is small: its ETag is a digest of the answer itself.
    let etag = format!("\"s{}\"", hex(&Sha256::digest(&body)[..8]));
    Ok(crate::routes::stations::json_with_etag(
        headers,
        etag,
        "no-cache",
        body,
        "application/json",
    ))
}

/// The union's own items and those of the unions above, for its admins.
async fn union_services(state: &AppState, union: &UnionId) -> Result<UnionServices, AppError> {
    let unions = state.db.unions().await?;
    let chain = union_chain(&unions, union);
    let mut items = state.db.union_services(&chain).await?;
    let own = items.remove(union).unwrap_or_default();
    let inherited = chain
        .iter()
        .filter(|u| *u != union)
        .filter_map(|u| {
            let services = items.remove(u)?;
            let name = unions.iter().find(|r| &r.id == u)?.name.clone();
            Some(InheritedServices {
                union: u.clone(),
                name,
                services,
            })
        })
        .collect();
    Ok(UnionServices {
        services: own,
        inherited,
    })
}

/// The audit entry of `action` by `staff` on `union` itself (its card, its robot), without the
/// before and after.
pub(crate) fn union_audit(staff: &Staff, union: &UnionId, action: &'static str) -> AuditRecord {
    AuditRecord {
        union_id: union.clone(),
        actor: staff.account.username.as_str().to_owned(),
        action,
        entity: "union",
        entity_id: union.to_string(),
        before: None,
        after: None,
    }
}

/// The union this admin may edit the card of, or 404 (a union outside their scope answers as
/// if it did not exist).
pub(crate) fn administered(staff: &Staff, id: &str) -> Result<UnionId, AppError> {
    UnionId::parse(id)
        .ok()
        .filter(|u| staff.administers(u))
        .ok_or(AppError::NotFound)
}

/// A union's services card as its admins edit it.
#[utoipa::path(get, path = "/api/v1/admin/unions/{id}/services",
    params(("id" = String, Path, description = "Union id", pattern = "^[a-z0-9-]{1,40}$")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Its own items and those it inherits", body = UnionServices),
        (status = 404, description = "`not_found`: no such union among the admin's", body = yizhan_core::ErrorBody),
        AdminRead,
    ))]
pub async fn admin_get(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let union = administered(&staff, &id)?;
    Ok(private(
        Json(union_services(&state, &union).await?).into_response(),
    ))
}

/// Replaces a union's own items (the unions below see them on their cards at once).
#[utoipa::path(put, path = "/api/v1/admin/unions/{id}/services", request_body = ServicesDraft,
    params(("id" = String, Path, description = "Union id", pattern = "^[a-z0-9-]{1,40}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Saved; the card as it is now", body = UnionServices),
        (status = 404, description = "`not_found`: no such union among the admin's", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: more than 8 items (`services`: `out_of_range`), or an item without a title or contact, text too long, or a contact that is neither a phone number nor an https link (`services.{i}.title` / `line` / `contact`)", body = yizhan_core::ErrorBody),
        SignedInWrite,
        JsonBodyErrors,
    ))]
pub async fn admin_put(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
    JsonBody(draft): JsonBody<ServicesDraft>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let union = administered(&staff, &id)?;
    let items = draft.validate().map_err(AppError::InvalidInput)?;
    let before = union_services(&state, &union).await?.services;
    let json = |v| serde_json::to_string(v).ok();
    let rec = AuditRecord {
        before: json(&before),
        after: json(&items),
        ..union_audit(&staff, &union, "union.services")
    };
    state
        .db
        .set_union_services(&union, &items, Timestamp::now(), &rec)
        .await?;
    Ok(private(
        Json(union_services(&state, &union).await?).into_response(),
    ))
}

//! Little pieces of a station shared by the popup and the station page: CSS classes and labels.

use leptos::prelude::*;
use yizhan_core::{AmenityState, StationState};

use crate::i18n::{Lang, Words};

/// CSS class for a live status badge.
pub fn state_class(s: StationState) -> &'static str {
    match s {
        StationState::Open => "badge badge-open",
        StationState::Closed => "badge badge-closed",
        StationState::Unknown => "badge badge-unknown",
    }
}

/// CSS class for an amenity chip.
pub fn amenity_class(s: AmenityState) -> &'static str {
    match s {
        AmenityState::Ok => "amenity amenity-ok",
        AmenityState::OutOfOrder => "amenity amenity-broken",
        AmenityState::Unknown => "amenity amenity-unknown",
    }
}

/// Marker fill colour for a live status (colour is never the only signal: popups say it in words).
pub fn marker_colour(s: StationState) -> &'static str {
    match s {
        StationState::Open => "#1e8e3e",
        StationState::Closed => "#80868b",
        StationState::Unknown => "#e37400",
    }
}

/// "今天 N 位骑手确认", when any rider confirmed the station today (beside its status, never
/// instead of it).
pub fn riders_confirmed(lang: Memo<Lang>, n: u32) -> Option<impl IntoView> {
    (n > 0).then(|| view! { <p class="muted riders">{move || lang.get().riders_confirmed(n)}</p> })
}

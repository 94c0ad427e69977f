//! Little pieces of a station shared by the popup and the station page: CSS classes and labels.

use yizhan_core::{AmenityState, StationState};

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

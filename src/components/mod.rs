//! Reusable views.

pub mod dom;
pub mod map_view;
pub mod station_bits;

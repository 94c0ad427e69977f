//! One module per route.

pub mod embed;
pub mod map;
pub mod not_found;
pub mod station;

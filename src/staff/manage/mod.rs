//! `/manage`: what a station manager does from the counter, on a phone.

pub mod inbox;
pub mod list;
pub mod station;

//! Yizhan's browser apps, two bundles from one crate so a rider never downloads staff pages:
//! the rider app (`yizhan-app`: map, list, station pages) and the staff app (`yizhan-staff`:
//! `/manage` for station managers, `/admin` for union staff).
#![forbid(unsafe_code)]

mod api;
mod app;
mod components;
mod i18n;
mod locate;
mod outbox;
mod pages;
mod settings;
mod staff;

/// Mounts the rider app.
pub fn mount_rider() {
    leptos::mount::mount_to_body(app::App);
}

/// Mounts the staff app.
pub fn mount_staff() {
    leptos::mount::mount_to_body(staff::StaffApp);
}

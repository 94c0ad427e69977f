//! Yizhan's browser apps, bundles from one crate so nobody downloads pages they never use: the
//! rider's map (`yizhan-app`: map and list), a station's page (`yizhan-station`), the staff app (`yizhan-staff`: `/manage`
//! for station managers, `/admin` for union staff), the join app (`yizhan-join`: `/join` and
//! `/join/status`, what a scanned poster opens) and the scanner (`yizhan-scan`: `/scan`).
#![forbid(unsafe_code)]

mod api;
mod app;
mod chrome;
mod components;
mod i18n;
mod join;
mod locate;
mod outbox;
mod pages;
mod settings;
mod shared;
mod staff;

/// Mounts the rider app, in place of the loading note `index.html` shows until then.
pub fn mount_rider() {
    leptos::mount::mount_to_body(app::App);
    remove_loading_note();
}

/// Mounts a station's page, in place of the loading note `station.html` shows until then.
pub fn mount_station() {
    leptos::mount::mount_to_body(app::StationApp);
    remove_loading_note();
}

/// Removes the note a bundle's page shows while its code downloads (`#boot`).
fn remove_loading_note() {
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
}

/// Mounts the staff app.
pub fn mount_staff() {
    leptos::mount::mount_to_body(staff::StaffApp);
}

/// Mounts the join app (`/join`, `/join/status`) in place of its loading note.
pub fn mount_join() {
    leptos::mount::mount_to_body(join::JoinApp);
    remove_loading_note();
}

/// Mounts the scanner (`/scan`) in place of its loading note.
pub fn mount_scan() {
    leptos::mount::mount_to_body(join::ScanApp);
    remove_loading_note();
}

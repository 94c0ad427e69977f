//! Yizhan's rider app: mounts [`app::App`] and nothing else.
#![forbid(unsafe_code)]

mod api;
mod app;
mod components;
mod i18n;
mod locate;
mod outbox;
mod pages;
mod settings;

fn main() {
    leptos::mount::mount_to_body(app::App);
}

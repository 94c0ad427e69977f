//! The station bundle (`station.html`, served at `/stations/{id}` and `/embed?station={id}`).
#![forbid(unsafe_code)]

fn main() {
    yizhan_app::mount_station();
}

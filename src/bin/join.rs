//! The join bundle (`join.html`, served at `/join`, `/join/status` and `/scan`).
#![forbid(unsafe_code)]

fn main() {
    yizhan_app::mount_join();
}

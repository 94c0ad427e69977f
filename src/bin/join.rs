//! The join bundle (`join.html`, served at `/join` and `/join/status`).
#![forbid(unsafe_code)]

fn main() {
    yizhan_app::mount_join();
}

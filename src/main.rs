//! The map bundle (`index.html`, served at `/` and `/embed`).
#![forbid(unsafe_code)]

fn main() {
    yizhan_app::mount_rider();
}

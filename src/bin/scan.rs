//! The scan bundle (`scan.html`, served at `/scan`): the in-app camera and its QR decoder.
#![forbid(unsafe_code)]

fn main() {
    yizhan_app::mount_scan();
}

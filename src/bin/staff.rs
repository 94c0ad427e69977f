//! The staff bundle (`staff.html`, served at `/manage` and `/admin`).
#![forbid(unsafe_code)]

fn main() {
    yizhan_app::mount_staff();
}

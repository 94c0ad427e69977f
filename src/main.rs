//! The rider bundle (`index.html`).
#![forbid(unsafe_code)]

fn main() {
    yizhan_app::mount_rider();
}

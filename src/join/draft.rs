//! The form as typed, kept in local storage on every input so nothing is lost to a reload, a
//! failed submit or a dead battery; deleted once the server has the application. The station
//! is not kept: it comes from the link (`?station=`) each time.

use yizhan_core::NewApplication;

use super::storage;

/// The kept draft, or an empty form.
pub fn load() -> NewApplication {
    storage::load::<NewApplication>(storage::DRAFT).unwrap_or_default()
}

/// Keeps the form (without station and consent: both are asked each time).
pub fn save(form: &NewApplication) {
    let draft = NewApplication {
        station_id: None,
        consent: None,
        ..form.clone()
    };
    if draft == NewApplication::default() {
        storage::remove(storage::DRAFT);
    } else {
        storage::save(storage::DRAFT, &draft);
    }
}

/// Forgets the draft (the server has the application).
pub fn clear() {
    storage::remove(storage::DRAFT);
}

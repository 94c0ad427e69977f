//! Loading the station an editor page is about (`…/stations/{id}`), for the manager's status
//! page and the admin's station form alike.

use std::future::Future;

use leptos::prelude::*;
use yizhan_core::AdminStation;

use super::api;

/// Where an editor page is. It depends only on which station loaded, so loading again (after
/// signing back in) never throws away what was typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Waiting for the server.
    Loading,
    /// The request failed.
    Failed(api::Error),
    /// Not found (or not among those listed).
    Missing,
    /// Loaded: the id of what was loaded.
    Ready(String),
}

/// The loaded station, if any.
pub type Loaded = LocalResource<Result<Option<AdminStation>, api::Error>>;

/// The station whose id is in the route, picked from the list `fetch` gives (the manager's
/// stations or the admin's), loaded again after signing back in.
pub fn station_from_route<Fut>(fetch: impl Fn() -> Fut + 'static) -> (Loaded, Memo<Phase>)
where
    Fut: Future<Output = Result<Vec<AdminStation>, api::Error>> + 'static,
{
    let session = super::state::use_session();
    let id = super::pages::path_id();
    let data = LocalResource::new(move || {
        session.epoch();
        let id = id.get();
        let all = fetch();
        async move {
            let all = all.await?;
            Ok::<_, api::Error>(all.into_iter().find(|s| s.station.id.as_str() == id))
        }
    });
    let phase = Memo::new(move |_| match data.get() {
        None => Phase::Loading,
        Some(Err(e)) => Phase::Failed(e),
        Some(Ok(None)) => Phase::Missing,
        Some(Ok(Some(s))) => Phase::Ready(s.station.id.to_string()),
    });
    (data, phase)
}

//! The staff app: `/manage` for station managers, `/admin` for union staff.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// Root component of the staff bundle.
#[component]
pub fn StaffApp() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <p>"404"</p> }>
                <Route path=path!("/manage") view=|| view! { <h1>"驿站管理"</h1> }/>
                <Route path=path!("/admin") view=|| view! { <h1>"工会管理"</h1> }/>
            </Routes>
        </Router>
    }
}

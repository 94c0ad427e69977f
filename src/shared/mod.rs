//! The browser layer under the bundles: what more than one of them uses (the HTTP client, the
//! router, the loader, the page language, the service worker, clock and random ids, the shell's
//! settings, DOM helpers, the text field and the services card). Nothing here imports a bundle's modules (the
//! rider's `app`, `pages`, `components`, …, or `staff`, `join`): each bundle brings its own words
//! and pages.

pub mod browser;
pub mod dom;
pub mod http;
pub mod lang;
pub mod load;
pub mod route;
pub mod services_card;
pub mod settings;
pub mod text_field;

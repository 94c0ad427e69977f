//! The browser layer under the bundles: what the rider's map and station page, the staff app
//! and the sign-up and scan pages all build on. Nothing here imports a bundle's modules
//! (`app`, `pages`, `components`, `staff`, `join`, …); each bundle brings its own words and pages.

pub mod browser;
pub mod dom;
pub mod lang;
pub mod load;
pub mod route;
pub mod services_card;
pub mod settings;
pub mod text_field;

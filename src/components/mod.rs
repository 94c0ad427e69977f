//! The rider's reusable views (map and station bundles); views other bundles use too are in
//! `crate::shared`.

pub mod filter_bar;
pub mod links;
pub mod map_view;
pub mod report_form;
pub mod station_bits;
pub mod station_list;
pub mod visit_button;

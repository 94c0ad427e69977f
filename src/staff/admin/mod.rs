//! `/admin`: union staff run their stations, people and posters (desktop first, fine on a tablet).

pub mod alerts;
pub mod application;
pub mod application_stats;
pub mod applications;
pub mod audit;
pub mod coverage;
pub mod embed_builder;
pub mod import;
pub mod nav;
pub mod numbers;
pub mod people;
pub mod posters;
pub mod services;
pub mod station_form;
pub mod stations;
pub mod union_picker;

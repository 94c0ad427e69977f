//! API integration tests: the real router on a real SQLite file, over real HTTP.

mod authz;
mod helpers;
mod pages;
mod reports;
mod staff;
mod stations;

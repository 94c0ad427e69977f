//! API integration tests: the real router on a real SQLite file, over real HTTP.

mod helpers;
mod pages;
mod reports;
mod stations;

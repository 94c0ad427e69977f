//! Browser end-to-end tests: the real server (fresh SQLite file, demo stations) serving the
//! release build of the app, driven in headless Chromium through chromedriver. Elements are found
//! as a person finds them: by role, label and visible text. One module per journey.

mod harness;

mod any_city;
mod browse_map;
mod chat_alerts;
mod check_coverage;
mod count_visits;
mod edit_station;
mod embed_map;
mod find_nearby;
mod join_union;
mod keep_status;
mod navigate;
mod offline_shells;
mod recover_from_outage;
mod report_fault;
mod run_union;
mod search_stations;
mod secure_account;
mod services_card;
mod use_offline;
mod view_station;

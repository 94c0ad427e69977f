//! Reusable views.

pub mod dom;
pub mod filter_bar;
pub mod map_view;
pub mod report_form;
pub mod services_card;
pub mod station_bits;
pub mod station_list;
pub mod text_field;
pub mod visit_button;

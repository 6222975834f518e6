//! The panels around the article. Each reads the session and pushes
//! [`crate::gui::Action`]s; none changes the document itself.

pub mod bars;
pub mod corpus;
pub mod find_bar;
pub mod folder_search;
pub mod inspector;
pub mod overlays;
pub mod path_field;
pub mod review_bar;
pub mod span_list;
pub mod start;

//! The feed: its model, the one conversion from a stored show, the pure renderer, where
//! subscribers belong during moves, validation warnings, and podcast:guid.

pub mod categories;
pub mod guid;
pub mod input;
pub mod model;
pub mod plan;
pub mod render;
pub mod validate;

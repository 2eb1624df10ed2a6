//! The feed: its model, the one conversion from a stored show, the pure renderer, where
//! subscribers belong during moves, validation warnings, and podcast:guid; what changed between
//! two published versions, their line diff, and the directories a feed is submitted to.

pub mod categories;
pub mod changes;
pub mod diff;
pub mod directories;
pub mod guid;
pub mod input;
pub mod model;
pub mod plan;
pub mod render;
pub mod validate;

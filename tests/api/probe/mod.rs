//! The prober on real media made by ffmpeg (`kit::media`): what each file is, read from its
//! bytes, what it refuses, and that no input makes it panic.

mod audio;
mod helpers;
mod images;
mod never_panics;
mod refusals;
mod video;

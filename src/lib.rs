//! prepdeck: spaced-repetition flashcards for interview preparation.
//!
//! Data flows one way: files → [`store`] → plain structs → logic ([`sm2`],
//! [`session`], [`stats`]) → [`render`] → output. Only [`cmd`] touches the outside world.

pub mod catalog;
pub mod class;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod deck;
pub mod error;
pub mod input;
pub mod keys;
pub mod par;
pub mod plan;
pub mod progress;
pub mod rehearse;
pub mod render;
pub mod report;
pub mod select;
pub mod serde_time;
pub mod session;
pub mod sm2;
pub mod source;
pub mod stats;
pub mod store;
pub mod story;
pub mod suggest;
pub mod term;
pub mod update;

//! Turning plain data into text for people: tables, summaries, safe card text.

pub mod coach;
pub mod review;
pub mod style;
pub mod table;
pub mod text;

pub use style::Style;

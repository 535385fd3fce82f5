//! Turning plain data into text for people: tables, summaries, safe card text.

pub mod chart;
pub mod coach;
pub mod review;
pub mod stats;
pub mod style;
pub mod table;
pub mod text;

pub use style::Style;

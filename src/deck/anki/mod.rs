//! Anki packages (`.apkg`, `.colpkg`): their notes as prepdeck decks, their review log
//! as prepdeck history.

pub mod convert;
pub mod history;
pub mod package;
mod proto;

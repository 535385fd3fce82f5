//! The deck file format: the model, parsing with positions, validation and ids
//! (see docs/deck-format.md). Foreign formats that become decks live beside it.

mod card_ids;
mod id;
mod model;
mod parse;
mod problem;
mod ranges;
mod validate;
mod walk;

pub mod anki;
pub mod text;

pub use card_ids::CardIds;
pub use id::*;
pub use model::*;
pub use parse::*;
pub use problem::*;
pub use ranges::*;
pub use validate::*;
use walk::*;

/// The deck format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// The one size limit of a deck (16 MiB), the same everywhere: a deck file larger than
/// this is refused before it is read, and a deck is neither installed nor grown by `add`
/// past it as prepdeck writes it (pretty JSON), checked on those bytes before they are
/// written. At the some 500 bytes per card the built-in decks take written, that is
/// about 30,000 cards.
pub const MAX_DECK_BYTES: u64 = 16 * 1024 * 1024;

/// `bytes` in MiB with one decimal, for messages about the limit.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Why a deck that takes `written` bytes as prepdeck writes it is too large, if it is.
pub fn written_size_problem(written: usize) -> Option<String> {
    (written as u64 > MAX_DECK_BYTES).then(|| {
        format!(
            "the deck would take {} as prepdeck writes it, over the {} MiB limit for a deck; split it into smaller decks",
            mib(written as u64),
            MAX_DECK_BYTES / (1024 * 1024)
        )
    })
}
/// Longest id for a deck or a card; deck ids are also file names.
pub const MAX_ID_LEN: usize = 64;
/// Longest tag, in characters: room for Anki's hierarchical tags
/// (`Interview::Customers::De-escalation::Refunds`).
pub const MAX_TAG_CHARS: usize = 200;
/// Longest front or back, in characters.
pub const MAX_SIDE_CHARS: usize = 10_000;
/// Longest title, description, author, version, tag or source, in characters.
pub const MAX_FIELD_CHARS: usize = 1_000;
/// Longest Anki guid kept with a card, in characters (Anki's own are 10).
pub const MAX_GUID_CHARS: usize = 100;
/// A back longer than this many words is a warning: it is hard to recall out loud.
pub const LONG_BACK_WORDS: usize = 80;

#[cfg(test)]
mod tests;

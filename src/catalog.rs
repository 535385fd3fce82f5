//! The decks a learner has: built-in decks embedded in the binary, then user decks.

use crate::deck::{self, Deck, Id, Parsed};
use crate::error::{Error, Result};
use crate::store::DataDir;
use std::path::PathBuf;

/// Built-in deck files, in the order their new cards are introduced.
/// Foundations first: why the question is asked, then how to answer, then examples.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "decks/why-they-ask.json",
        include_str!("../decks/why-they-ask.json"),
    ),
    (
        "decks/answer-tips.json",
        include_str!("../decks/answer-tips.json"),
    ),
    (
        "decks/sample-answers.json",
        include_str!("../decks/sample-answers.json"),
    ),
    (
        "decks/star-examples.json",
        include_str!("../decks/star-examples.json"),
    ),
    (
        "decks/strategies.json",
        include_str!("../decks/strategies.json"),
    ),
    (
        "decks/interview-day.json",
        include_str!("../decks/interview-day.json"),
    ),
];

/// Where a deck comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary; read-only.
    BuiltIn,
    /// A file in the data directory's `decks/`.
    User(PathBuf),
}

impl Origin {
    /// `built-in` or `user`, as shown and in JSON.
    pub fn label(&self) -> &'static str {
        match self {
            Origin::BuiltIn => "built-in",
            Origin::User(_) => "user",
        }
    }
}

/// A deck and where it came from.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The deck.
    pub deck: Deck,
    /// Built-in or user file.
    pub origin: Origin,
}

/// All decks, built-in first, then user decks by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// The decks in introduction order.
    pub decks: Vec<Entry>,
}

/// Parses the embedded decks; an invalid one is a bug caught by the test suite.
pub fn built_in() -> Result<Vec<Deck>> {
    BUILT_IN
        .iter()
        .map(|(name, text)| {
            deck::parse(text.as_bytes(), &format!("built-in {name}"))
                .map(|parsed| parsed.deck)
                .map_err(Error::from)
        })
        .collect()
}

/// True when `id` names a built-in deck.
pub fn is_built_in(id: &str) -> Result<bool> {
    Ok(built_in()?.iter().any(|d| d.id.as_str() == id))
}

impl Catalog {
    /// Built-in decks plus every `*.json` in the data directory's `decks/`.
    pub fn load(dir: &DataDir) -> Result<Catalog> {
        let mut catalog = Catalog {
            decks: built_in()?
                .into_iter()
                .map(|deck| Entry {
                    deck,
                    origin: Origin::BuiltIn,
                })
                .collect(),
        };
        let paths = user_deck_files(dir)?;
        // The files are shared out over the machine's cores: at 100,000 cards the decks
        // are tens of megabytes of JSON, read and validated on every start. Every file is
        // loaded even when one fails, and the results are taken in order, so the error
        // reported is the one a file-by-file load would have stopped at.
        let parsed = crate::par::map(&paths, |path| deck::load(path));
        for (path, loaded) in paths.into_iter().zip(parsed) {
            // Warnings (long backs, untagged cards) are a linter's business: `check` and
            // `import` show them; repeating them on every review would only be noise.
            let Parsed { deck, .. } = loaded?;
            let expected = format!("{}.json", deck.id);
            if path.file_name().and_then(|n| n.to_str()) != Some(expected.as_str()) {
                return Err(Error::Invalid(format!(
                    "deck file {} holds deck id {:?}; rename it to {expected} so its id and file name agree",
                    path.display(),
                    deck.id.as_str()
                )));
            }
            if catalog.get(deck.id.as_str()).is_some() {
                return Err(Error::Invalid(format!(
                    "deck file {} uses the id {:?} of a built-in deck; rename the deck and its file",
                    path.display(),
                    deck.id.as_str()
                )));
            }
            catalog.decks.push(Entry {
                deck,
                origin: Origin::User(path),
            });
        }
        Ok(catalog)
    }

    /// The deck with `id`.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.decks.iter().find(|e| e.deck.id.as_str() == id)
    }

    /// The deck with `id`, or an error listing the known decks.
    pub fn require(&self, id: &str) -> Result<&Entry> {
        self.get(id).ok_or_else(|| Error::UnknownDeck {
            id: crate::render::text::one_line(id),
            known: self
                .decks
                .iter()
                .map(|e| e.deck.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// The decks named in `ids` (all when empty), in catalog order.
    pub fn select(&self, ids: &[String]) -> Result<Vec<&Entry>> {
        for id in ids {
            self.require(id)?;
        }
        Ok(self
            .decks
            .iter()
            .filter(|e| ids.is_empty() || ids.iter().any(|id| id == e.deck.id.as_str()))
            .collect())
    }
}

impl Catalog {
    /// The decks to study: those named in `ids`, or every deck not in `hidden` when
    /// none is named (a hidden deck named explicitly is still studied).
    pub fn select_for_study(
        &self,
        ids: &[String],
        hidden: &std::collections::BTreeSet<String>,
    ) -> Result<Vec<&Entry>> {
        let selected = self.select(ids)?;
        if !ids.is_empty() {
            return Ok(selected);
        }
        Ok(selected
            .into_iter()
            .filter(|e| !hidden.contains(e.deck.id.as_str()))
            .collect())
    }
}

/// `decks/*.json` in the data directory, sorted; hidden files are ignored.
fn user_deck_files(dir: &DataDir) -> Result<Vec<PathBuf>> {
    let decks_dir = dir.decks_dir();
    let entries = match std::fs::read_dir(&decks_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read", &decks_dir, e)),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io("read", &decks_dir, e))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".json") && !name.starts_with('.') {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// The path a user deck with `id` is stored at.
pub fn user_deck_path(dir: &DataDir, id: &Id) -> PathBuf {
    dir.decks_dir().join(format!("{id}.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(id: &str) -> String {
        format!(
            r#"{{"format_version": 1, "id": "{id}", "title": "T", "description": "",
            "cards": [{{"id": "c", "front": "Q", "back": "A", "tags": ["t"]}}]}}"#
        )
    }

    #[test]
    fn decks_load_in_file_order_and_the_first_problem_in_that_order_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        data.create().unwrap();
        let write = |name: &str, text: &str| std::fs::write(data.decks_dir().join(name), text);
        for i in 0..12 {
            write(&format!("d{i:02}.json"), &deck(&format!("d{i:02}"))).unwrap();
        }
        let ids: Vec<String> = Catalog::load(&data)
            .unwrap()
            .decks
            .iter()
            .map(|e| e.deck.id.to_string())
            .collect();
        assert_eq!(
            ids[BUILT_IN.len()..],
            (0..12).map(|i| format!("d{i:02}")).collect::<Vec<_>>()[..]
        );

        // d03 names the wrong id and d07 is not JSON: d03 comes first.
        write("d03.json", &deck("elsewhere")).unwrap();
        write("d07.json", "{").unwrap();
        let err = Catalog::load(&data).unwrap_err().to_string();
        assert!(
            err.contains("d03.json") && err.contains("elsewhere"),
            "{err}"
        );
        // Now d03 is not JSON and d07 names the wrong id: d03 again.
        write("d03.json", "{").unwrap();
        write("d07.json", &deck("elsewhere")).unwrap();
        let err = Catalog::load(&data).unwrap_err().to_string();
        assert!(
            err.contains("d03.json") && !err.contains("elsewhere"),
            "{err}"
        );
    }

    #[test]
    fn every_built_in_deck_is_valid_and_has_cards() {
        let decks = built_in().expect("built-in decks must validate");
        assert!(!decks.is_empty());
        for deck in &decks {
            assert!(!deck.cards.is_empty(), "{} has no cards", deck.id);
        }
    }
}

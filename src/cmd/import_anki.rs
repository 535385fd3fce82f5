//! `prepdeck import PACKAGE.apkg|.colpkg`: Anki's notes as prepdeck decks (one per Anki
//! deck unless `--deck` merges them) and Anki's review log as prepdeck history.

use super::import::{install_locked, installed, lock_decks, Options};
use super::{emit, Context};
use crate::catalog::is_built_in;
use crate::deck::anki::{convert, history, package};
use crate::deck::{self, Card, Deck, Id, Place, Problem, Severity, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::render::plural;
use crate::render::text::one_line;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// Most bytes read from a package: its media come along in the ZIP, though only the
/// collection in it is read.
pub const MAX_PACKAGE_BYTES: u64 = 512 * 1024 * 1024;

/// True when `path` names an Anki package by its extension.
pub fn is_package_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("apkg") || e.eq_ignore_ascii_case("colpkg"))
}

/// A card left out of the import, and why.
struct Skip {
    note: String,
    reason: String,
}

/// Imports the package in `bytes` read from `options.file`.
pub fn run(
    ctx: &Context,
    options: &Options,
    given: Option<Id>,
    bytes: &[u8],
    out: &mut impl Write,
) -> Result<()> {
    let file = &options.file;
    let shown = one_line(&file.display().to_string());
    let collection = package::read(bytes)
        .map_err(|e| Error::Invalid(format!("{shown} is not a readable Anki package: {e}")))?;
    let converted = convert::cards(&collection);
    let mut skips: Vec<Skip> = converted
        .skipped
        .iter()
        .map(|s| Skip {
            note: s.note.clone(),
            reason: s.reason.clone(),
        })
        .collect();
    let mut decks = group(&converted.cards, given.as_ref(), &shown)?;
    for deck in decks.values_mut() {
        drop_invalid_cards(&mut deck.0, &mut skips);
    }
    if options.strict && !skips.is_empty() {
        return Err(Error::Invalid(format!(
            "{shown} was not imported (--strict): {}",
            skip_lines(&skips).join("; ")
        )));
    }
    decks.retain(|_, (deck, _)| !deck.cards.is_empty());
    if decks.is_empty() {
        return Err(Error::Invalid(format!(
            "{shown} has no card prepdeck can show ({}), so nothing was imported",
            plural(skips.len(), "card skipped")
        )));
    }
    for (deck, _) in decks.values() {
        if is_built_in(deck.id.as_str())? {
            return Err(Error::Invalid(format!(
                "{} is the id of a built-in deck and cannot be replaced; import with --deck my-{}",
                deck.id, deck.id
            )));
        }
    }

    let _lock = lock_decks(ctx, options.dry_run)?;
    let mut reports = Vec::new();
    let mut text = String::new();
    for (deck, _) in decks.values() {
        let old = installed(ctx, &deck.id)?;
        let reported = install_locked(ctx, options, deck.clone(), old, &[], true)?;
        text.push_str(&reported.text);
        reports.push(reported.json);
    }
    let answers = import_history(ctx, options, &collection, &decks)?;

    text.push_str(&format!(
        "History: {} from Anki's review log{}.\n",
        plural(answers, "answer"),
        if options.dry_run {
            " would be added"
        } else {
            " added"
        }
    ));
    text.push_str("Anki's buttons became SM-2 grades: Again 1, Hard 3, Good 4, Easy 5.\n");
    if converted.sounds_removed > 0 {
        text.push_str(&format!(
            "Removed {} from card text (prepdeck shows text only).\n",
            plural(converted.sounds_removed, "[sound:] reference")
        ));
    }
    if collection.media > 0 {
        text.push_str(&format!(
            "Skipped {} (images and sounds are not imported).\n",
            plural(collection.media, "media file")
        ));
    }
    if !skips.is_empty() {
        text.push_str(&format!("Skipped {}:\n", plural(skips.len(), "card")));
        for line in skip_lines(&skips) {
            text.push_str(&format!("  {line}\n"));
        }
    }
    if options.json {
        let json = serde_json::json!({
            "decks": reports,
            "history_answers": answers,
            "media_skipped": collection.media,
            "sounds_removed": converted.sounds_removed,
            "skipped": skips.iter().map(|s| serde_json::json!({"note": s.note, "reason": s.reason})).collect::<Vec<_>>(),
        });
        return emit(out, &super::to_json(&json));
    }
    emit(out, &text)
}

fn skip_lines(skips: &[Skip]) -> Vec<String> {
    skips
        .iter()
        .map(|s| format!("{:?}: {}", s.note, s.reason))
        .collect()
}

/// The cards by prepdeck deck id: each Anki deck its own, or all under `given`. The
/// second value is each card's Anki card id, in the deck's order.
fn group(
    cards: &[convert::Made],
    given: Option<&Id>,
    shown: &str,
) -> Result<BTreeMap<Id, (Deck, Vec<i64>)>> {
    let mut decks: BTreeMap<Id, (Deck, Vec<i64>)> = BTreeMap::new();
    for made in cards {
        let id = match given {
            Some(id) => id.clone(),
            None => deck_id_for(&made.deck)?,
        };
        let (deck, anki_ids) = decks.entry(id.clone()).or_insert_with(|| {
            let title = match given {
                Some(id) => id.to_string(),
                None => crate::source::clean(&made.deck, deck::MAX_FIELD_CHARS),
            };
            (
                Deck {
                    format_version: FORMAT_VERSION,
                    id,
                    title,
                    description: crate::source::clean(
                        &format!("Imported from the Anki package {shown}."),
                        deck::MAX_FIELD_CHARS,
                    ),
                    author: None,
                    version: None,
                    cards: Vec::new(),
                },
                Vec::new(),
            )
        });
        let Ok(card_id) = Id::parse(&made.id) else {
            continue;
        };
        deck.cards.push(Card {
            id: card_id,
            front: made.front.clone(),
            back: made.back.clone(),
            tags: made.tags.clone(),
            source: None,
            // A guid too long or unsafe to keep costs only the way back to that note.
            guid: Some(made.guid.clone()).filter(|g| deck::guid_problem(g).is_none()),
        });
        anki_ids.push(made.anki_card);
    }
    Ok(decks)
}

/// A deck id from an Anki deck name: its words, `::` levels joined by `-`.
fn deck_id_for(name: &str) -> Result<Id> {
    let words = name.replace("::", " ");
    let slug = deck::slug(&words, |_| false);
    Id::parse_deck(slug.as_str())
        .or_else(|_| Id::parse_deck(&format!("{slug}-deck")))
        .map_err(|why| {
            Error::Invalid(format!(
                "Anki deck {:?} gives no usable deck id ({why}); import it with --deck ID",
                one_line(name)
            ))
        })
}

/// Takes out the cards prepdeck's validation refuses (text too long, a control character,
/// a duplicate front), each recorded as skipped with the reason.
fn drop_invalid_cards(deck: &mut Deck, skips: &mut Vec<Skip>) {
    let problems: Vec<Problem> = deck.problems();
    let mut bad: BTreeMap<usize, String> = BTreeMap::new();
    for problem in problems.iter().filter(|p| p.severity == Severity::Error) {
        if let Place::Card { index, .. } = &problem.place {
            bad.entry(index - 1)
                .or_insert_with(|| problem.message.clone());
        }
    }
    let mut index = 0;
    deck.cards.retain(|card| {
        let keep = match bad.get(&index) {
            Some(reason) => {
                skips.push(Skip {
                    note: crate::render::text::truncate(&card.front, 40).into_owned(),
                    reason: reason.clone(),
                });
                false
            }
            None => true,
        };
        index += 1;
        keep
    });
}

/// Appends Anki's answers for the imported cards to the review log, leaving out those
/// already there (a card's answers up to its last review), so importing the same package
/// twice adds nothing. Returns how many answers were (or would be) added.
fn import_history(
    ctx: &Context,
    options: &Options,
    collection: &package::Collection,
    decks: &BTreeMap<Id, (Deck, Vec<i64>)>,
) -> Result<usize> {
    let mut by_card: BTreeMap<i64, Vec<&package::Answer>> = BTreeMap::new();
    for answer in &collection.revlog {
        by_card.entry(answer.card).or_default().push(answer);
    }
    let offset = *ctx.clock.now().offset();
    let keys: Vec<(String, i64)> = decks
        .values()
        .flat_map(|(deck, anki)| {
            deck.cards
                .iter()
                .zip(anki)
                .map(move |(card, anki)| (format!("{}/{}", deck.id, card.id), *anki))
        })
        .collect();
    let wanted: BTreeSet<i64> = keys.iter().map(|(_, anki)| *anki).collect();
    if !by_card.keys().any(|card| wanted.contains(card)) {
        return Ok(0);
    }
    let plan = |progress: &crate::progress::Progress| -> Vec<crate::progress::Entry> {
        keys.iter()
            .flat_map(|(key, anki)| {
                let answers = by_card.get(anki).map_or(&[][..], Vec::as_slice);
                let since = progress.card(key).map(|state| state.last_review);
                history::entries(key, answers, since, offset, crate::clock::study_day)
            })
            .collect()
    };
    if options.dry_run {
        return Ok(plan(&ctx.data.load()?.progress).len());
    }
    let mut writer = ctx.data.open_writer()?;
    let entries = plan(&writer.progress);
    for entry in &entries {
        writer.append(entry)?;
    }
    if !entries.is_empty() {
        writer.save_snapshot()?;
    }
    Ok(entries.len())
}

//! An Anki collection as prepdeck cards: notes become cards the way Anki's templates
//! make them, and Anki's review log becomes prepdeck answers.

use super::package::{Card, Collection, Note, Notetype};
use crate::deck::text::html;

/// How Anki's four answer buttons map to SM-2 grades (0–5). Anki has no exact SM-2
/// grade; these keep Anki's meaning: Again is a failure (1: recalled only on seeing
/// the answer), Hard a pass with effort (3), Good a pass (4), Easy a perfect one (5).
pub fn grade_for_ease(ease: i64) -> Option<u8> {
    match ease {
        1 => Some(1),
        2 => Some(3),
        3 => Some(4),
        4 => Some(5),
        _ => None,
    }
}

/// One card made from an Anki card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// Anki's card id, to find its review log.
    pub anki_card: i64,
    /// The Anki deck it is in (full name, `::` between levels).
    pub deck: String,
    /// prepdeck card id: `anki-` and a hash of the note's guid, then the card's number in
    /// the note, so that a card keeps its id (and progress) however its text changes.
    pub id: String,
    /// Question side, plain text.
    pub front: String,
    /// Answer side, plain text.
    pub back: String,
    /// The note's tags.
    pub tags: Vec<String>,
    /// The note's guid, which every card of the note shares.
    pub guid: String,
}

/// A card that could not become a prepdeck card, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Anki's card id.
    pub anki_card: i64,
    /// The note's first field as text, cut short, to say which note it is.
    pub note: String,
    /// Why.
    pub reason: String,
}

/// Every card of the collection, in Anki's creation order, and those skipped.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    /// Cards made.
    pub cards: Vec<Made>,
    /// Cards skipped.
    pub skipped: Vec<Skipped>,
    /// `[sound:…]` references removed from card text.
    pub sounds_removed: usize,
}

/// Converts every card of `collection`.
pub fn cards(collection: &Collection) -> Converted {
    let mut converted = Converted::default();
    for card in &collection.cards {
        let skip = |reason: &str, note: Option<&Note>| Skipped {
            anki_card: card.id,
            note: note
                .and_then(|n| {
                    n.fields
                        .iter()
                        .map(|f| html::convert(f).text)
                        .find(|text| !text.trim().is_empty())
                })
                .map(|text| crate::render::text::truncate(&text, 40).into_owned())
                .unwrap_or_else(|| format!("Anki card {}", card.id)),
            reason: reason.to_owned(),
        };
        let Some(note) = collection.notes.get(&card.note) else {
            converted
                .skipped
                .push(skip("its note is missing from the package", None));
            continue;
        };
        let Some(notetype) = collection.notetypes.get(&note.notetype) else {
            converted
                .skipped
                .push(skip("its notetype is missing from the package", Some(note)));
            continue;
        };
        let sides = if notetype.cloze {
            cloze_sides(notetype, note, card)
        } else {
            template_sides(notetype, note, card)
        };
        let Some((front, back)) = sides else {
            converted.skipped.push(skip(
                "its template is missing from the notetype",
                Some(note),
            ));
            continue;
        };
        let (front, sounds_front) = plain(&front);
        let (back, sounds_back) = plain(&back);
        converted.sounds_removed += sounds_front + sounds_back;
        if front.trim().is_empty() {
            let why = if sounds_front > 0 || contains_image(note) {
                "its question is only an image or a sound, and prepdeck shows text"
            } else {
                "its question is empty"
            };
            converted.skipped.push(skip(why, Some(note)));
            continue;
        }
        if back.trim().is_empty() {
            converted.skipped.push(skip(
                "its answer is empty (or only an image or a sound)",
                Some(note),
            ));
            continue;
        }
        converted.cards.push(Made {
            anki_card: card.id,
            deck: collection
                .decks
                .get(&card.deck)
                .cloned()
                .unwrap_or_else(|| "Default".to_owned()),
            id: note_card_id(&note.guid, card.ord + 1),
            front,
            back,
            tags: note.tags.clone(),
            guid: note.guid.clone(),
        });
    }
    converted
}

fn contains_image(note: &Note) -> bool {
    note.fields.iter().any(|f| f.contains("<img"))
}

/// HTML field text as plain text without `[sound:…]` references, and how many there were.
fn plain(html_text: &str) -> (String, usize) {
    let (out, sounds) = without_sounds(&html::convert(html_text).text);
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    (lines.join("\n").trim().to_owned(), sounds)
}

/// The deletion numbers in cloze text (`{{c1::…}}` → 1), each once, in order.
pub fn cloze_numbers(text: &str) -> Vec<i64> {
    let mut numbers: Vec<i64> = text
        .match_indices("{{c")
        .filter_map(|(i, _)| {
            let rest = &text[i + 3..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            rest[digits..]
                .starts_with("::")
                .then(|| rest[..digits].parse().ok())
                .flatten()
        })
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// `text` without its `[sound:…]` references, and how many there were.
pub fn without_sounds(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut sounds = 0;
    while let Some(start) = rest.find("[sound:") {
        let Some(len) = rest[start..].find(']') else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + len + 1..];
        sounds += 1;
    }
    out.push_str(rest);
    (out, sounds)
}

/// The fields a template shows, in order: `{{Name}}`, `{{text:Name}}`, `{{type:Name}}`
/// (with `typed` only), never `{{FrontSide}}` or section tags (`#`, `^`, `/`).
fn referenced(template: &str, typed: bool) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        let tag = after[..close].trim();
        rest = &after[close + 2..];
        if tag.starts_with(['#', '^', '/', '!']) || tag == "FrontSide" {
            continue;
        }
        if tag.starts_with("type:") && !typed {
            continue;
        }
        let name = tag.rsplit(':').next().unwrap_or(tag).trim();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn field<'n>(notetype: &Notetype, note: &'n Note, name: &str) -> Option<&'n str> {
    let at = notetype.fields.iter().position(|f| f == name)?;
    note.fields.get(at).map(String::as_str)
}

/// Front and back of a card of a standard notetype: the question shows the fields its
/// template names; the answer, the fields the answer template adds (a type-in field is
/// the answer).
fn template_sides(notetype: &Notetype, note: &Note, card: &Card) -> Option<(String, String)> {
    let (question, answer) = notetype.templates.get(usize::try_from(card.ord).ok()?)?;
    let on_front = referenced(question, false);
    let join = |names: &[&str]| -> String {
        names
            .iter()
            .filter_map(|name| field(notetype, note, name))
            .filter(|text| !text.trim().is_empty())
            .collect::<Vec<_>>()
            .join("<br>")
    };
    let on_back: Vec<&str> = referenced(answer, true)
        .into_iter()
        .filter(|name| !on_front.contains(name))
        .collect();
    Some((join(&on_front), join(&on_back)))
}

/// Front and back of cloze card `card.ord + 1`: the text with that deletion hidden
/// (`[...]`, or `[hint]`), then with every deletion shown, followed by the fields only
/// the answer template names (Back Extra).
fn cloze_sides(notetype: &Notetype, note: &Note, card: &Card) -> Option<(String, String)> {
    let (question, answer) = notetype.templates.first()?;
    let number = card.ord + 1;
    let text_fields = referenced(question, false);
    let text = text_fields
        .iter()
        .filter_map(|name| field(notetype, note, name))
        .collect::<Vec<_>>()
        .join("<br>");
    let extra: Vec<&str> = referenced(answer, true)
        .into_iter()
        .filter(|name| !text_fields.contains(name))
        .filter_map(|name| field(notetype, note, name))
        .filter(|text| !text.trim().is_empty())
        .collect();
    let front = cloze(&text, Some(number));
    let mut back = cloze(&text, None);
    for more in extra {
        back.push_str("<br>");
        back.push_str(more);
    }
    Some((front, back))
}

/// `text` with deletion `hidden` shown as `[...]` (or `[hint]`) and every other deletion
/// as its answer.
pub fn cloze(text: &str, hidden: Option<i64>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{c") {
        let after = &rest[open + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let (Ok(number), true) = (
            after[..digits].parse::<i64>(),
            after[digits..].starts_with("::"),
        ) else {
            out.push_str(&rest[..open + 3]);
            rest = after;
            continue;
        };
        let body = &after[digits + 2..];
        let Some(close) = body.find("}}") else { break };
        let (answer, hint) = match body[..close].split_once("::") {
            Some((answer, hint)) => (answer, Some(hint)),
            None => (&body[..close], None),
        };
        out.push_str(&rest[..open]);
        if hidden == Some(number) {
            out.push('[');
            out.push_str(hint.unwrap_or("..."));
            out.push(']');
        } else {
            out.push_str(answer);
        }
        rest = &body[close + 2..];
    }
    out.push_str(rest);
    out
}

/// The card id of card `number` (1-based: a cloze number, or the template's place) of
/// the Anki note with `guid`: `anki-`, the guid's hash, the number. The `.apkg` import
/// and a text import with a guid column give a note's cards the same ids.
pub fn note_card_id(guid: &str, number: i64) -> String {
    format!("anki-{:016x}-{number}", fnv64(guid))
}

/// FNV-1a, 64 bits: a guid's hash for card ids. Fixed forever, as ids are stored.
fn fnv64(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloze_hides_one_deletion_and_shows_the_others() {
        let text = "In STAR, {{c1::S}} is the situation and {{c2::R::last}} is the result.";
        assert_eq!(
            cloze(text, Some(1)),
            "In STAR, [...] is the situation and R is the result."
        );
        assert_eq!(
            cloze(text, Some(2)),
            "In STAR, S is the situation and [last] is the result."
        );
        assert_eq!(
            cloze(text, None),
            "In STAR, S is the situation and R is the result."
        );
        assert_eq!(cloze("{{c1::open", Some(1)), "{{c1::open");
        assert_eq!(cloze("a {{cx::b}} c", None), "a {{cx::b}} c");
    }

    #[test]
    fn templates_name_their_fields_without_sections_or_front_side() {
        assert_eq!(
            referenced(
                "{{#Hint}}{{hint:Hint}}{{/Hint}}{{Front}}\n{{type:Back}}",
                false
            ),
            ["Hint", "Front"]
        );
        assert_eq!(
            referenced("{{FrontSide}}<hr id=answer>{{type:Back}}", true),
            ["Back"]
        );
    }

    #[test]
    fn sound_references_are_removed_and_counted() {
        assert_eq!(
            plain("Listen [sound:a.mp3] twice[sound:b.mp3]"),
            ("Listen  twice".to_owned(), 2)
        );
    }

    #[test]
    fn anki_buttons_map_to_sm2_grades_and_manual_entries_have_none() {
        let grades: Vec<Option<u8>> = (0..=5).map(grade_for_ease).collect();
        assert_eq!(grades, [None, Some(1), Some(3), Some(4), Some(5), None]);
    }

    #[test]
    fn guid_hash_is_fixed() {
        assert_eq!(fnv64(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64("a"), 0xaf63_dc4c_8601_ec8c);
    }
}

//! Writing a deck as text: TSV for Anki, CSV for spreadsheets.

use super::*;

/// The deck as TSV that Anki's importer reads (`#separator:tab`, `#html:true`,
/// `#tags column:3`, `#guid column:4`) and that `prepdeck import` reads back with the
/// same card ids. Fields are quoted by CSV rules when they hold a tab, a quote or a
/// leading `#`; newlines are written as `<br>`.
pub fn to_tsv(deck: &Deck) -> String {
    let title: String = deck
        .title
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    // `#notetype:Basic`: without it Anki uses the notetype picked last, and a Cloze one
    // there makes every card "No cloze 1 found".
    let mut out = format!(
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:{title}\n#tags column:3\n#guid column:4\n"
    );
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // A guid two cards share names a note that is more than either card (a cloze or
    // reversed note): written back, it would overwrite that note with one of its cards.
    let mut guid_cards: HashMap<&str, usize> = HashMap::new();
    for guid in deck.cards.iter().filter_map(|c| c.guid.as_deref()) {
        *guid_cards.entry(guid).or_default() += 1;
    }
    for card in &deck.cards {
        let guid = match card.guid.as_deref() {
            Some(guid) if guid_cards.get(guid) == Some(&1) => guid.to_owned(),
            _ => format!("prepdeck:{}/{}", deck.id, card.id),
        };
        // Writing to a Vec cannot fail.
        let _ = writer.write_record([
            text_to_html(&card.front),
            text_to_html(&card.back),
            card.tags.join(" "),
            guid,
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

/// The deck as CSV for a spreadsheet: a header row `id,front,back,tags,source` (and
/// `guid` when a card keeps an Anki note's guid), then a
/// row per card, plain text (a spreadsheet shows newlines in a quoted cell). Saved again
/// by Excel or LibreOffice, it imports back with the same card ids.
pub fn to_csv(deck: &Deck) -> String {
    // Every field quoted: LibreOffice's "Format quoted field as text" then keeps each
    // cell as written, where it would read `007`, `1/2` or `50%` as a number or a date.
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Anki's guids only when there are some: a spreadsheet of a deck made in prepdeck
    // keeps its five plain columns.
    let guids = deck.cards.iter().any(|c| c.guid.is_some());
    let columns = if guids { 6 } else { 5 };
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&["id", "front", "back", "tags", "source", "guid"][..columns]);
    for card in &deck.cards {
        let tags = card.tags.join(" ");
        let _ = writer.write_record(
            &[
                card.id.as_str(),
                &card.front,
                &card.back,
                &tags,
                card.source.as_deref().unwrap_or(""),
                card.guid.as_deref().unwrap_or(""),
            ][..columns],
        );
    }
    String::from_utf8_lossy(&writer.into_inner().unwrap_or_default()).into_owned()
}

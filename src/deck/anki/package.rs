//! Reading an Anki package (`.apkg`, `.colpkg`): a ZIP holding an SQLite collection.
//!
//! `collection.anki21b` (Anki 2.1.50+) is SQLite compressed with zstd, with notetypes,
//! fields, templates and decks in tables of their own; `collection.anki21` and
//! `collection.anki2` are plain SQLite with those as JSON in `col`. New Anki versions
//! also put a stub `collection.anki2` in new-format packages, so the newest one present
//! is read. Media files are not read, only counted.

use super::proto;
use std::collections::HashMap;
use std::io::Read;

/// Most bytes a collection may decompress to: far above any deck a coach shares, and a
/// bound against a ZIP or zstd bomb.
pub const MAX_COLLECTION_BYTES: u64 = 512 * 1024 * 1024;

/// Why a package could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageError(pub String);

impl std::fmt::Display for PackageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail(what: impl std::fmt::Display) -> PackageError {
    PackageError(what.to_string())
}

/// An Anki collection, as much of it as becomes prepdeck cards and history.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    /// Day 0 of review due numbers: the collection's creation, seconds since 1970.
    pub created: i64,
    /// Notetypes by id.
    pub notetypes: HashMap<i64, Notetype>,
    /// Deck names by id (`::` separates levels).
    pub decks: HashMap<i64, String>,
    /// Notes by id.
    pub notes: HashMap<i64, Note>,
    /// Cards, in id order (creation order).
    pub cards: Vec<Card>,
    /// Answers, in time order.
    pub revlog: Vec<Answer>,
    /// Media files in the package (never read).
    pub media: usize,
}

/// A notetype: its fields and card templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notetype {
    /// Its name ("Basic", "Cloze", ...).
    pub name: String,
    /// A cloze notetype: one card per deletion number, not per template.
    pub cloze: bool,
    /// Field names in order.
    pub fields: Vec<String>,
    /// Templates in order: (question format, answer format).
    pub templates: Vec<(String, String)>,
}

/// A note: fields and tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Anki's globally unique id, stable across exports.
    pub guid: String,
    /// Its notetype id.
    pub notetype: i64,
    /// Field contents (HTML) in notetype order.
    pub fields: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
}

/// A card: which note, deck and template, and its schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// Card id.
    pub id: i64,
    /// Note id.
    pub note: i64,
    /// Deck id.
    pub deck: i64,
    /// Template index; for cloze, the deletion number minus one.
    pub ord: i64,
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub kind: i64,
    /// Review cards: day number since `created`; learning: seconds since 1970.
    pub due: i64,
    /// Interval in days (review cards).
    pub interval: i64,
    /// Ease in permille (2500 = EF 2.5).
    pub factor: i64,
    /// Times answered.
    pub reps: i64,
    /// Times forgotten after it was learnt.
    pub lapses: i64,
}

/// One line of Anki's review log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// When, in milliseconds since 1970 (also the entry's id).
    pub at_ms: i64,
    /// Card id.
    pub card: i64,
    /// 1 Again, 2 Hard, 3 Good, 4 Easy; 0 for a manual reschedule.
    pub ease: i64,
    /// Interval after: days when positive, seconds when negative.
    pub interval: i64,
    /// Ease after, permille.
    pub factor: i64,
    /// 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual.
    pub kind: i64,
}

/// True when `bytes` start like a ZIP file, as every Anki package does.
pub fn is_package(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads the collection in the package `bytes`.
pub fn read(bytes: &[u8]) -> Result<Collection, PackageError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| fail(format!("not a readable ZIP file ({e})")))?;
    let names: Vec<String> = zip
        .file_names()
        .map(|name| name.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| fail(format!("its list of files cannot be read ({e})")))?;
    let (name, compressed) = [
        ("collection.anki21b", true),
        ("collection.anki21", false),
        ("collection.anki2", false),
    ]
    .into_iter()
    .find(|(name, _)| names.iter().any(|n| n == name))
    .ok_or_else(|| {
        fail("it holds no Anki collection (no collection.anki21b, .anki21 or .anki2)")
    })?;
    let media = names
        .iter()
        .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        .count();
    let entry = zip
        .by_name(name)
        .map_err(|e| fail(format!("{name} cannot be read ({e})")))?;
    let mut sqlite = Vec::new();
    let read = if compressed {
        let decoder = zstd::stream::read::Decoder::new(entry)
            .map_err(|e| fail(format!("{name} cannot be decompressed ({e})")))?;
        decoder
            .take(MAX_COLLECTION_BYTES + 1)
            .read_to_end(&mut sqlite)
    } else {
        entry
            .take(MAX_COLLECTION_BYTES + 1)
            .read_to_end(&mut sqlite)
    };
    read.map_err(|e| fail(format!("{name} cannot be read ({e})")))?;
    if sqlite.len() as u64 > MAX_COLLECTION_BYTES {
        return Err(fail(format!(
            "{name} is larger than {} MiB once unpacked",
            MAX_COLLECTION_BYTES / (1024 * 1024)
        )));
    }
    let mut collection = open(&sqlite, name)?;
    collection.media = media;
    Ok(collection)
}

/// The collection in SQLite `bytes`, read through a private temporary file.
fn open(bytes: &[u8], name: &str) -> Result<Collection, PackageError> {
    let mut file = tempfile::NamedTempFile::new()
        .map_err(|e| fail(format!("no temporary file for {name} ({e})")))?;
    std::io::Write::write_all(&mut file, bytes)
        .map_err(|e| fail(format!("cannot unpack {name} ({e})")))?;
    let db = rusqlite::Connection::open_with_flags(
        file.path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| fail(format!("{name} is not an SQLite database ({e})")))?;
    // Anki's tables order names with its own collation; SQLite cannot plan a query on
    // them without one by that name.
    db.create_collation("unicase", |a, b| a.to_lowercase().cmp(&b.to_lowercase()))
        .map_err(|e| fail(format!("{name}: {e}")))?;
    read_tables(&db).map_err(|e| fail(format!("{name}: {e}")))
}

fn read_tables(db: &rusqlite::Connection) -> Result<Collection, String> {
    let sql = |e: rusqlite::Error| e.to_string();
    let (created, legacy_models, legacy_decks): (i64, String, String) = db
        .query_row("select crt, models, decks from col", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .map_err(sql)?;
    let has_table = |table: &str| -> Result<bool, String> {
        db.query_row(
            "select count(*) from sqlite_master where type = 'table' and name = ?1",
            [table],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)
        .map_err(sql)
    };
    let (notetypes, decks) = if has_table("notetypes")? {
        (notetypes_from_tables(db)?, decks_from_table(db)?)
    } else {
        (
            notetypes_from_json(&legacy_models)?,
            decks_from_json(&legacy_decks)?,
        )
    };
    let mut notes = HashMap::new();
    let mut rows = db
        .prepare("select id, guid, mid, tags, flds from notes")
        .map_err(sql)?;
    let found = rows
        .query_map([], |r| {
            let tags: String = r.get(3)?;
            let fields: String = r.get(4)?;
            Ok((
                r.get::<_, i64>(0)?,
                Note {
                    guid: r.get(1)?,
                    notetype: r.get(2)?,
                    fields: fields.split('\u{1f}').map(str::to_owned).collect(),
                    tags: tags.split_whitespace().map(str::to_owned).collect(),
                },
            ))
        })
        .map_err(sql)?;
    for note in found {
        let (id, note) = note.map_err(sql)?;
        notes.insert(id, note);
    }
    let cards = db
        .prepare(
            "select id, nid, did, ord, type, due, ivl, factor, reps, lapses from cards order by id",
        )
        .map_err(sql)?
        .query_map([], |r| {
            Ok(Card {
                id: r.get(0)?,
                note: r.get(1)?,
                deck: r.get(2)?,
                ord: r.get(3)?,
                kind: r.get(4)?,
                due: r.get(5)?,
                interval: r.get(6)?,
                factor: r.get(7)?,
                reps: r.get(8)?,
                lapses: r.get(9)?,
            })
        })
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    let revlog = db
        .prepare("select id, cid, ease, ivl, factor, type from revlog order by id")
        .map_err(sql)?
        .query_map([], |r| {
            Ok(Answer {
                at_ms: r.get(0)?,
                card: r.get(1)?,
                ease: r.get(2)?,
                interval: r.get(3)?,
                factor: r.get(4)?,
                kind: r.get(5)?,
            })
        })
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    Ok(Collection {
        created,
        notetypes,
        decks,
        notes,
        cards,
        revlog,
        media: 0,
    })
}

/// Schema 18: `notetypes`, `fields` and `templates` tables, configs as protobuf.
fn notetypes_from_tables(db: &rusqlite::Connection) -> Result<HashMap<i64, Notetype>, String> {
    let sql = |e: rusqlite::Error| e.to_string();
    let mut notetypes: HashMap<i64, Notetype> = db
        .prepare("select id, name, config from notetypes")
        .map_err(sql)?
        .query_map([], |r| {
            let config: Vec<u8> = r.get(2)?;
            Ok((
                r.get::<_, i64>(0)?,
                Notetype {
                    name: r.get(1)?,
                    // NotetypeConfig field 1 is its kind: 1 for cloze.
                    cloze: proto::varint_field(&config, 1) == Some(1),
                    ..Notetype::default()
                },
            ))
        })
        .map_err(sql)?
        .collect::<Result<_, _>>()
        .map_err(sql)?;
    let fields = db
        .prepare("select ntid, name from fields order by ntid, ord")
        .map_err(sql)?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    for (notetype, name) in fields {
        if let Some(nt) = notetypes.get_mut(&notetype) {
            nt.fields.push(name);
        }
    }
    let templates = db
        .prepare("select ntid, config from templates order by ntid, ord")
        .map_err(sql)?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    for (notetype, config) in templates {
        if let Some(nt) = notetypes.get_mut(&notetype) {
            // TemplateConfig: field 1 the question format, field 2 the answer format.
            let text = |n| proto::text_field(&config, n).unwrap_or_default();
            nt.templates.push((text(1), text(2)));
        }
    }
    Ok(notetypes)
}

fn decks_from_table(db: &rusqlite::Connection) -> Result<HashMap<i64, String>, String> {
    let sql = |e: rusqlite::Error| e.to_string();
    db.prepare("select id, name from decks")
        .map_err(sql)?
        .query_map([], |r| {
            // Levels are separated by U+001F in the table, shown as `::`.
            let name: String = r.get(1)?;
            Ok((r.get::<_, i64>(0)?, name.replace('\u{1f}', "::")))
        })
        .map_err(sql)?
        .collect::<Result<_, _>>()
        .map_err(sql)
}

/// Schema 11: notetypes as JSON in `col.models`.
fn notetypes_from_json(json: &str) -> Result<HashMap<i64, Notetype>, String> {
    #[derive(serde::Deserialize)]
    struct Model {
        name: String,
        #[serde(default, rename = "type")]
        kind: i64,
        flds: Vec<Named>,
        tmpls: Vec<Template>,
    }
    #[derive(serde::Deserialize)]
    struct Named {
        name: String,
    }
    #[derive(serde::Deserialize)]
    struct Template {
        qfmt: String,
        afmt: String,
    }
    let models: HashMap<String, Model> =
        serde_json::from_str(json).map_err(|e| format!("col.models is not valid ({e})"))?;
    models
        .into_iter()
        .map(|(id, m)| {
            let id = id
                .parse::<i64>()
                .map_err(|_| format!("col.models has a notetype id {id:?}"))?;
            Ok((
                id,
                Notetype {
                    name: m.name,
                    cloze: m.kind == 1,
                    fields: m.flds.into_iter().map(|f| f.name).collect(),
                    templates: m.tmpls.into_iter().map(|t| (t.qfmt, t.afmt)).collect(),
                },
            ))
        })
        .collect()
}

fn decks_from_json(json: &str) -> Result<HashMap<i64, String>, String> {
    #[derive(serde::Deserialize)]
    struct Deck {
        name: String,
    }
    let decks: HashMap<String, Deck> =
        serde_json::from_str(json).map_err(|e| format!("col.decks is not valid ({e})"))?;
    decks
        .into_iter()
        .map(|(id, d)| {
            id.parse::<i64>()
                .map(|id| (id, d.name))
                .map_err(|_| format!("col.decks has a deck id {id:?}"))
        })
        .collect()
}

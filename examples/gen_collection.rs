//! Builds a benchmark data directory: N cards in 20 user decks and a review history of
//! about a year, written through prepdeck's own types so every file is exactly what
//! prepdeck itself would have written.
//!
//! ```sh
//! cargo run --release --example gen_collection -- --cards 100000 --reviews-per-card 10 --out /tmp/pd-100k
//! cargo run --release --example gen_collection -- --deck-file /tmp/import-10k.json --deck-file-cards 10000
//! ```
//!
//! The history is simulated the way prepdeck records it: each study day is one review
//! session in which the cards due that day are answered oldest-due first, a grade below 4
//! brings the card back three cards later as a re-drill (until it gets a 4 or 5), and a
//! few answers are taken back with `u` and answered again. Every `after` state is the
//! SM-2 result computed by `prepdeck::progress::answer_entry`. The last session leaves a
//! `state.json` snapshot, written by `prepdeck::store::snapshot::write`, as `review`
//! does (each deck's cards in the deck's order). Everything is derived from `--seed`: the
//! same arguments give the same decks, log and snapshot, byte for byte (a format 1
//! snapshot, `--snapshot-format 1`, has its cards in the hash map's order, which differs
//! from run to run).

use chrono::{DateTime, Days, FixedOffset, TimeDelta, Utc};
use clap::Parser;
use prepdeck::deck::{self, Card, Deck, Id};
use prepdeck::progress::{answer_entry, undo_entry, Entry, Progress};
use prepdeck::sm2::{Grade, Sm2};
use prepdeck::store::{log, snapshot};
use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(about = "Generate a prepdeck data directory (or a single deck) for benchmarks")]
pub struct Args {
    /// Cards in the collection, spread over --decks user decks.
    #[arg(long, default_value_t = 0)]
    cards: usize,
    /// Answers per card in the history (scheduling answers plus re-drills).
    #[arg(long, default_value_t = 10)]
    reviews_per_card: u32,
    /// Number of user decks.
    #[arg(long, default_value_t = 20)]
    decks: usize,
    /// Data directory to create (must not exist yet).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Do not write state.json (a cold start rebuilds progress from the log).
    #[arg(long)]
    no_snapshot: bool,
    /// The snapshot's format: 2 (this build's), or 1 to make a collection that builds
    /// before format 2 (issue #20) read as well (this build rewrites it once).
    #[arg(long, default_value_t = 2)]
    snapshot_format: u32,
    /// "Now" of the benchmark; the history ends the study day before it.
    #[arg(long, default_value = "2026-11-22T09:00:00+00:00")]
    now: String,
    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 20261122)]
    seed: u64,
    /// Also write one standalone deck file here (for `import` and `check`).
    #[arg(long)]
    deck_file: Option<PathBuf>,
    /// Cards in --deck-file.
    #[arg(long, default_value_t = 10_000)]
    deck_file_cards: usize,
    /// Deck id of --deck-file.
    #[arg(long, default_value = "bench-import")]
    deck_file_id: String,
}

/// xorshift64*: tiny, deterministic, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // Spread small seeds over the state so nearby seeds do not give nearby streams.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next() >> 11) * u128::from(n)) >> 53) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len() as u64) as usize]
    }

    /// An index drawn with the given relative weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(u64::from(total)) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------
// Card text: interview-preparation questions and answers of realistic length.

const ADJ: &[&str] = &[
    "angry",
    "impatient",
    "confused",
    "upset",
    "demanding",
    "frustrated",
    "rude",
    "anxious",
    "disappointed",
    "loyal",
    "elderly",
    "first-time",
    "high-value",
    "sarcastic",
    "tearful",
    "skeptical",
    "hurried",
    "polite but firm",
    "repeat",
    "well-informed",
];
const WHO: &[&str] = &[
    "customer",
    "client",
    "caller",
    "shopper",
    "subscriber",
    "guest",
    "patient",
    "tenant",
    "account holder",
    "business customer",
];
const PROBLEM: &[&str] = &[
    "wants a refund without a receipt",
    "was double-charged last month",
    "received the wrong order twice",
    "demands to speak to a manager",
    "threatens to post a bad review",
    "has waited forty minutes on hold",
    "blames you for a colleague's mistake",
    "insists the policy is unfair",
    "cannot log in to their account",
    "wants a discount you cannot give",
    "reports a safety issue with a product",
    "was promised a callback that never came",
    "disputes a late fee",
    "asks for an exception to the return window",
    "is upset about a price increase",
    "says the delivery never arrived",
    "keeps interrupting your explanation",
    "has contacted support five times about the same issue",
    "wants to cancel after a billing error",
    "shouts at a junior colleague",
    "asks for information you are not allowed to share",
    "received a damaged item as a gift",
    "found a cheaper price at a competitor",
    "cannot understand the technical explanation",
    "is unhappy with the installation appointment",
    "claims the product description was misleading",
    "needs an urgent replacement before a trip",
    "was given conflicting answers by two agents",
    "refuses to follow the troubleshooting steps",
    "wants compensation for lost time",
];
const CONTEXT: &[&str] = &[
    "a busy holiday weekend",
    "the last hour of your shift",
    "a live chat with three other customers waiting",
    "a system outage",
    "your first week in the role",
    "a product recall",
    "an in-store rush",
    "a phone call with a poor connection",
    "a public social-media thread",
    "a video call with their manager present",
    "a store closing",
    "peak season",
    "a migration to a new billing system",
    "a staff shortage",
    "a team meeting",
    "a follow-up email",
    "a walk-in visit",
    "a callback you promised",
    "an escalation from a colleague",
    "a quarterly review",
];
const ROLE: &[&str] = &[
    "a support agent",
    "a retail associate",
    "a call-centre team lead",
    "a customer success manager",
    "an account manager",
    "a front-desk receptionist",
    "a help-desk technician",
    "a bank teller",
    "a hotel concierge",
    "a store manager",
    "a flight attendant",
    "a field technician",
    "a pharmacy assistant",
    "a restaurant host",
    "an insurance claims handler",
];
const TOPIC: &[&str] = &[
    "empathy",
    "staying calm under pressure",
    "owning a mistake",
    "setting boundaries",
    "de-escalation",
    "active listening",
    "following policy",
    "creative problem solving",
    "clear communication",
    "follow-through",
    "handling feedback",
    "prioritising",
    "teamwork with other departments",
    "knowing when to escalate",
    "turning a complaint into loyalty",
    "patience",
    "tone of voice",
    "written communication",
    "product knowledge",
    "managing expectations",
];
const FRONT_TEMPLATES: &[&str] = &[
    "How would you respond to {a} {adj} {who} who {problem}?",
    "{A} {adj} {who} {problem} during {context}. What do you say first?",
    "Tell me about a time you helped {a} {adj} {who} who {problem}.",
    "Why would an interviewer ask {role} about {topic}?",
    "What is the first thing to show {a} {adj} {who} during {context}?",
    "As {role}, how do you handle {a} {who} who {problem}?",
    "Give a STAR answer: {a} {who} {problem} during {context}.",
    "Which mistake should you avoid when {a} {adj} {who} {problem}?",
    "What does {topic} look like in practice for {role}?",
    "How do you close the conversation when {a} {who} {problem}?",
];
const SENTENCES: &[&str] = &[
    "Acknowledge the feeling before the facts.",
    "Thank them for raising it and say you want to fix it.",
    "Restate the problem in their own words so they know you listened.",
    "Keep your voice low and slow; calm is contagious.",
    "Apologise for the experience without blaming a colleague.",
    "Explain the policy briefly, then move straight to what you can do.",
    "Offer two concrete options and let them choose.",
    "Give a specific time for the next update and keep it.",
    "Write down the case number and your name for them.",
    "If the request is outside your authority, escalate with a summary so they do not repeat themselves.",
    "Situation: set the scene in one sentence.",
    "Task: say what you were responsible for.",
    "Action: describe what you did, in the first person.",
    "Result: give a number if you can, such as a saved account or a higher rating.",
    "Close by checking that the solution works for them.",
    "Follow up the next day to confirm the issue is resolved.",
    "Never argue about who is right; focus on the next step.",
    "Name a boundary politely if the language becomes abusive.",
    "Show that you learned something and changed a process afterwards.",
    "Interviewers want evidence of empathy, ownership and judgement.",
    "Keep the answer under two minutes when you say it out loud.",
    "Mention how you kept your team informed.",
    "Avoid jargon; check understanding with a short question.",
    "Credit the colleague who helped you.",
];
const TAGS: &[&str] = &[
    "empathy",
    "star",
    "policy",
    "escalation",
    "tip",
    "scenario",
    "listening",
    "follow-up",
    "tone",
    "de-escalation",
    "refund",
    "phone",
    "email",
    "retail",
    "saas",
];

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn front(rng: &mut Rng) -> String {
    let template = *rng.pick(FRONT_TEMPLATES);
    let adj = *rng.pick(ADJ);
    let who = *rng.pick(WHO);
    // The article agrees with whichever word follows it in this template.
    let next = if template.contains("{a} {adj}") || template.contains("{A} {adj}") {
        adj
    } else {
        who
    };
    let a = article(next);
    let cap_a = if a == "an" { "An" } else { "A" };
    template
        .replace("{a}", a)
        .replace("{A}", cap_a)
        .replace("{adj}", adj)
        .replace("{who}", who)
        .replace("{problem}", rng.word(PROBLEM))
        .replace("{context}", rng.word(CONTEXT))
        .replace("{role}", rng.word(ROLE))
        .replace("{topic}", rng.word(TOPIC))
}

fn back(rng: &mut Rng) -> String {
    let target = rng.range(20, 70) as usize;
    let mut text = String::new();
    let mut words = 0;
    let mut unused: Vec<&str> = SENTENCES.to_vec();
    while words < target && !unused.is_empty() {
        let sentence = unused.swap_remove(rng.below(unused.len() as u64) as usize);
        let n = sentence.split_whitespace().count();
        if words > 0 && words + n > deck::LONG_BACK_WORDS {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(sentence);
        words += n;
    }
    text
}

/// A deck of `count` cards with unique fronts (so no "nearly the same" warnings) and
/// ids made by prepdeck's own slug rule, as `prepdeck add` would.
fn make_deck(rng: &mut Rng, id: &str, title: String, count: usize) -> Deck {
    let id = Id::parse(id).unwrap_or_else(|e| panic!("bad deck id {id}: {e}"));
    let mut deck = Deck::new(
        id,
        title,
        "Synthetic interview-preparation cards for prepdeck's benchmark.".into(),
    );
    let mut fronts = HashSet::new();
    let mut ids = HashSet::new();
    for i in 0..count {
        let mut text = front(rng);
        let mut tries = 0;
        while !fronts.insert(deck::normalize_front(&text)) {
            tries += 1;
            text = if tries < 8 {
                front(rng)
            } else {
                format!("{} (variant {i})", front(rng))
            };
        }
        let card_id = deck::slug(&text, |c| ids.contains(c));
        ids.insert(card_id.as_str().to_owned());
        let tags = (0..rng.range(1, 3))
            .map(|_| (*rng.pick(TAGS)).to_owned())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        deck.cards.push(Card {
            id: card_id,
            front: text,
            back: back(rng),
            tags,
            source: rng
                .chance(0.2)
                .then(|| "Interview coaching notes, week 3".to_owned()),
            guid: None,
        });
    }
    deck
}

fn write_deck(path: &Path, deck: &Deck) {
    std::fs::write(path, deck.to_json())
        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    // Prove the file is a valid deck, without a single warning, before any benchmark uses it.
    let parsed = deck::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        parsed.warnings.is_empty(),
        "{}: {:?}",
        path.display(),
        parsed.warnings.first()
    );
}

// ---------------------------------------------------------------------------------
// Review history.

/// One scheduling answer of a card's planned history.
struct Planned {
    /// Day relative to the card's first answer.
    day: i64,
    grade: u8,
    /// Grades of the same-session re-drills that follow a grade below 4.
    redrills: Vec<u8>,
    /// A grade given first and taken back with `u` before `grade`.
    undone: Option<u8>,
}

/// Grades a learner gives, by 0..=5: first sight, later reviews, re-drills.
const FIRST_WEIGHTS: [u32; 6] = [3, 7, 10, 20, 40, 20];
const REVIEW_WEIGHTS: [u32; 6] = [2, 4, 7, 15, 44, 28];
const REDRILL_WEIGHTS: [u32; 6] = [0, 2, 5, 13, 50, 30];
/// Every card's first answer is at most this many days ago.
const YEAR: i64 = 365;
/// A few answers are undone and given again.
const UNDO_RATE: f64 = 0.003;

fn grade(q: u8) -> Grade {
    Grade::new(q).unwrap_or_else(|| panic!("grade {q}"))
}

/// `lines` answers (scheduling answers plus re-drills) for one card, following SM-2,
/// with days relative to the first answer; also the interval after the last one.
fn plan_card(rng: &mut Rng, lines: u32) -> (Vec<Planned>, i64) {
    let mut sm2 = Sm2::default();
    let mut day = 0i64;
    let mut left = lines;
    let mut plan = Vec::new();
    while left > 0 {
        let weights = if plan.is_empty() {
            &FIRST_WEIGHTS
        } else {
            &REVIEW_WEIGHTS
        };
        let q = rng.weighted(weights) as u8;
        left -= 1;
        let mut redrills = Vec::new();
        if q < 4 {
            while left > 0 {
                let r = rng.weighted(&REDRILL_WEIGHTS) as u8;
                redrills.push(r);
                left -= 1;
                if r >= 4 {
                    break;
                }
            }
        }
        let undone = rng
            .chance(UNDO_RATE)
            .then(|| ((u64::from(q) + 1 + rng.below(5)) % 6) as u8);
        plan.push(Planned {
            day,
            grade: q,
            redrills,
            undone,
        });
        sm2 = sm2.answer(grade(q));
        // Most reviews happen on the due day; some a day or a few late.
        let late = match rng.below(100) {
            0..=79 => 0,
            80..=94 => 1,
            _ => rng.range(2, 5),
        };
        day += i64::from(sm2.interval) + late;
    }
    (plan, i64::from(sm2.interval))
}

/// A card's history and how many days before today its last answer was.
///
/// A collection in steady use is looked at on a random day: the chance that today falls
/// in a card's last interval grows with that interval's length, and the card's whole
/// history must fit in the past year. Drawing the day uniformly over the year and
/// keeping only histories for which both hold samples exactly that; the share of cards
/// due today then matches the daily review load (a few per cent), not a backlog.
fn place_card(rng: &mut Rng, lines: u32) -> (Vec<Planned>, i64) {
    for _ in 0..1_000_000 {
        let (plan, interval) = plan_card(rng, lines);
        let span = plan.last().map_or(0, |p| p.day);
        // Up to two days overdue: the learner is sometimes a little behind.
        let since_last = rng.range(1, YEAR);
        if since_last <= interval + 2 && span + since_last <= YEAR {
            return (plan, since_last);
        }
    }
    panic!("no history of {lines} answers fits in a year; use fewer --reviews-per-card");
}

/// One card in a day's session queue.
#[derive(Clone, Copy)]
struct Item {
    card: u32,
    answer: u16,
    /// `Some(i)`: the i-th re-drill of that answer.
    redrill: Option<u16>,
}

/// Writes log lines exactly as `LogWriter::append` does, and folds them into progress.
struct LogOut {
    file: BufWriter<File>,
    offset: u64,
    lines: usize,
    last_line: String,
    progress: Progress,
}

impl LogOut {
    fn push(&mut self, entry: &Entry) {
        let line = serde_json::to_string(entry).unwrap_or_else(|e| panic!("serialise: {e}"));
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.write_all(b"\n"))
            .unwrap_or_else(|e| panic!("write log: {e}"));
        self.offset += line.len() as u64 + 1;
        self.lines += 1;
        self.last_line = line;
        self.progress.apply(entry);
    }
}

/// REDRILL_GAP of the session: a failed card comes back after this many others.
const REDRILL_GAP: usize = prepdeck::session::REDRILL_GAP;

pub fn build_collection(args: &Args, out: &Path, now: DateTime<FixedOffset>) {
    // Times are written in UTC: run prepdeck on this directory with TZ=UTC.
    let today = prepdeck::clock::study_day_in(now, &Utc);
    if out.exists() {
        panic!("{} exists already; give a new directory", out.display());
    }
    let decks_dir = out.join("decks");
    std::fs::create_dir_all(&decks_dir).unwrap_or_else(|e| panic!("create {}: {e}", out.display()));
    let mut rng = Rng::new(args.seed);

    // Decks: cards split as evenly as possible over the decks, in deck order.
    let mut keys: Vec<String> = Vec::with_capacity(args.cards);
    let per_deck = args.cards / args.decks;
    let extra = args.cards % args.decks;
    for d in 0..args.decks {
        let count = per_deck + usize::from(d < extra);
        let id = format!("bench-{:02}", d + 1);
        let topic = TOPIC[d % TOPIC.len()];
        let deck = make_deck(&mut rng, &id, format!("Bench {:02}: {topic}", d + 1), count);
        for card in &deck.cards {
            keys.push(format!("{id}/{}", card.id));
        }
        write_deck(&decks_dir.join(format!("{id}.json")), &deck);
    }

    // Plan every card's history and put each scheduling answer on its study day.
    let first_day = today - Days::new(400);
    let day_count = (today - first_day).num_days() as usize;
    let mut by_day: Vec<Vec<Item>> = vec![Vec::new(); day_count];
    let mut plans: Vec<Vec<Planned>> = Vec::with_capacity(keys.len());
    for card in 0..keys.len() {
        let (plan, since_last) = place_card(&mut rng, args.reviews_per_card);
        let last_day = plan.last().map_or(0, |p| p.day);
        let start = day_count as i64 - since_last - last_day;
        for (i, p) in plan.iter().enumerate() {
            let index = usize::try_from(start + p.day).unwrap_or_else(|_| panic!("day"));
            by_day[index].push(Item {
                card: card as u32,
                answer: i as u16,
                redrill: None,
            });
        }
        plans.push(plan);
    }

    // Replay the days as sessions: due cards oldest-due first, then new cards in deck
    // order, re-drills three cards later, as `prepdeck review` orders them.
    let log_path = out.join("reviews.jsonl");
    let mut log = LogOut {
        file: BufWriter::with_capacity(
            1 << 20,
            File::create(&log_path).unwrap_or_else(|e| panic!("create log: {e}")),
        ),
        offset: 0,
        lines: 0,
        last_line: String::new(),
        progress: Progress::default(),
    };
    for (index, items) in by_day.iter_mut().enumerate() {
        if items.is_empty() {
            continue;
        }
        let day = first_day + Days::new(index as u64);
        items.sort_by_key(|item| {
            let due = log.progress.card(&keys[item.card as usize]).map(|s| s.due);
            (due.is_none(), due, item.card)
        });
        let midnight = day
            .and_hms_opt(0, 0, 0)
            .unwrap_or_else(|| panic!("midnight"))
            .and_utc()
            .fixed_offset();
        // The study day runs 04:00 to 04:00; the session starts in the morning.
        let mut t = rng.range(7 * 3600, 9 * 3600);
        let latest = 28 * 3600 - 1;
        let mut tick = |rng: &mut Rng, lo: i64, hi: i64| {
            t = (t + rng.range(lo, hi)).min(latest);
            midnight + TimeDelta::seconds(t)
        };
        let mut queue: VecDeque<Item> = items.iter().copied().collect();
        while let Some(item) = queue.pop_front() {
            let key = &keys[item.card as usize];
            let planned = &plans[item.card as usize][usize::from(item.answer)];
            let before = log.progress.card(key).copied();
            match item.redrill {
                None => {
                    if let Some(wrong) = planned.undone {
                        let at = tick(&mut rng, 4, 14);
                        let mistaken =
                            answer_entry(key, before.as_ref(), grade(wrong), false, at, day);
                        log.push(&mistaken);
                        let at = tick(&mut rng, 2, 6);
                        log.push(&undo_entry(&mistaken, before, at));
                    }
                    let at = tick(&mut rng, 4, 14);
                    let entry =
                        answer_entry(key, before.as_ref(), grade(planned.grade), false, at, day);
                    log.push(&entry);
                    if planned.grade < 4 && !planned.redrills.is_empty() {
                        let again = Item {
                            redrill: Some(0),
                            ..item
                        };
                        queue.insert(REDRILL_GAP.min(queue.len()), again);
                    }
                }
                Some(i) => {
                    let q = planned.redrills[usize::from(i)];
                    let at = tick(&mut rng, 4, 14);
                    log.push(&answer_entry(key, before.as_ref(), grade(q), true, at, day));
                    if q < 4 && usize::from(i) + 1 < planned.redrills.len() {
                        let again = Item {
                            redrill: Some(i + 1),
                            ..item
                        };
                        queue.insert(REDRILL_GAP.min(queue.len()), again);
                    }
                }
            }
        }
    }
    log.file
        .flush()
        .and_then(|()| log.file.get_ref().sync_all())
        .unwrap_or_else(|e| panic!("write log: {e}"));

    if !args.no_snapshot {
        // Each deck's cards in the deck's order, as `review` lists them when it writes.
        let mut by_deck: Vec<(&str, Vec<&str>)> = Vec::new();
        for key in &keys {
            let (deck, card) = key.split_once('/').unwrap_or((key, ""));
            match by_deck.last_mut() {
                Some((last, cards)) if *last == deck => cards.push(card),
                _ => by_deck.push((deck, vec![card])),
            }
        }
        for (deck, cards) in by_deck {
            log.progress.cards.arrange(deck, cards);
        }
        let last = (log.lines > 0).then_some(log.last_line.as_str());
        let write = match args.snapshot_format {
            1 => snapshot::write_format_1,
            _ => snapshot::write,
        };
        write(
            &out.join("state.json"),
            (log.offset, log.lines, last),
            &log.progress,
        )
        .unwrap_or_else(|e| panic!("write snapshot: {e}"));
    }

    // The log must replay to exactly the progress the snapshot holds.
    let mut replayed = Progress::default();
    let scan = log::replay(&log_path, 0, 0, &mut replayed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scan.lines, log.lines);
    assert!(replayed == log.progress, "replaying the log disagrees");

    let due = log
        .progress
        .cards
        .values()
        .filter(|s| s.due <= today)
        .count();
    eprintln!(
        "{}: {} cards in {} decks, {} log lines ({:.1} MB), {} cards due on {today}",
        out.display(),
        keys.len(),
        args.decks,
        log.lines,
        log.offset as f64 / 1e6,
        due
    );
}

fn main() {
    let args = Args::parse();
    let now = DateTime::parse_from_rfc3339(&args.now)
        .unwrap_or_else(|e| panic!("--now {:?}: {e}", args.now));
    if args.out.is_none() && args.deck_file.is_none() {
        eprintln!("nothing to do: give --out DIR and/or --deck-file FILE");
        std::process::exit(2);
    }
    if let Some(out) = &args.out {
        assert!(args.decks > 0, "--decks must be at least 1");
        build_collection(&args, out, now);
    }
    if let Some(path) = &args.deck_file {
        // A different stream from the collection's, so imported cards are new text.
        let mut rng = Rng::new(args.seed ^ 0x00DE_C0DE);
        let deck = make_deck(
            &mut rng,
            &args.deck_file_id,
            "Bench import deck".into(),
            args.deck_file_cards,
        );
        write_deck(path, &deck);
        eprintln!("{}: {} cards", path.display(), deck.cards.len());
    }
}

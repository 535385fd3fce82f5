//! Command-line syntax (clap types only; no logic).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Spaced-repetition flashcards for interview preparation.
#[derive(Debug, Parser)]
#[command(
    name = "prepdeck",
    version,
    about = "Spaced-repetition flashcards for interview preparation (SM-2)",
    long_about = "Spaced-repetition flashcards for interview preparation.\n\nprepdeck ships built-in decks on answering \"How do you handle difficult customers?\", schedules every card with SuperMemo-2 and saves every answer the moment you give it.",
    after_help = "Examples:\n  prepdeck review          review everything due, plus up to 20 new cards\n  prepdeck stats           where you stand, deck by deck\n  prepdeck add --deck my-stories \\\n      --front \"Tell me about a refund you refused\" \\\n      --back \"S: ... T: ... A: ... R: ...\"\n\nEnvironment: PREPDECK_DATA_DIR (data directory), PREPDECK_NOW (fixed clock,\nRFC 3339; empty means unset), NO_COLOR, TZ."
)]
pub struct Cli {
    /// Data directory for progress and user decks [env: PREPDECK_DATA_DIR; default: the
    /// platform's data directory]
    // The variable is read in `DataDir::resolve`, not by clap: clap refuses an empty
    // value, and `PREPDECK_DATA_DIR=` is how shells and CI files clear a variable.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Review due cards, then new ones
    #[command(
        after_help = "Examples:\n  prepdeck review\n  prepdeck review why-they-ask --new 5 --limit 30\n  prepdeck review --tag star          # only cards tagged star\n  prepdeck review --cram --shuffle my-stories   # the interview morning\n  # scripted: Enter reveals the answer, a digit grades it\n  printf '\\n5\\n\\n4\\n' | prepdeck review\n\nAt a terminal, single keys: Space or Enter shows the answer; 0-5 grades it at\nonce (? explains each grade); u undoes the previous answer; q, Esc, Ctrl-C or\nCtrl-D ends the session with its summary. Piped input (or --line) answers with\nlines: Enter shows the answer, a digit and Enter grades it; end of input ends\nthe session. Every answer is saved as it is given. --limit caps the cards of the session;\ncards graded below 4 come back on top of it, shown as [again]."
    )]
    Review(ReviewArgs),
    /// Add a card to one of your own decks (created if needed)
    #[command(
        after_help = "Example:\n  prepdeck add --deck my-stories --front \"Describe a customer you won back\" \\\n      --back \"Situation ... Action ... Result ...\" --tag star\n\nOn a terminal, a missing --front or --back is asked for."
    )]
    Add(AddArgs),
    /// Show, edit, suspend or delete one card
    #[command(
        after_help = "Examples:\n  prepdeck card show my-stories/refund-refused\n  prepdeck card edit refund-refused --back \"S: ... T: ... A: ... R: ...\"\n  prepdeck card edit refund-refused          # in $VISUAL or $EDITOR\n  prepdeck card suspend why-they-ask/some-card\n  prepdeck card delete my-stories/old-card --yes\n\nID is deck-id/card-id, or the card id alone when only one deck has it."
    )]
    Card(CardArgs),
    /// Show progress: a row per deck, retention, streak and the week ahead
    #[command(after_help = "Examples:\n  prepdeck stats\n  prepdeck stats answer-tips --json")]
    Stats(StatsArgs),
    /// List decks with their origin, size and due cards; hide or show a deck
    #[command(
        after_help = "Examples:\n  prepdeck decks\n  prepdeck decks --json\n  prepdeck decks hide why-they-ask    # leave it out of review and stats\n  prepdeck decks show why-they-ask"
    )]
    Decks(DecksArgs),
    /// List cards with their schedule
    #[command(
        after_help = "Examples:\n  prepdeck cards why-they-ask\n  prepdeck cards --due --json"
    )]
    Cards(CardsArgs),
    /// Set, show or clear your interview date; prepdeck then paces you to be ready by it
    #[command(
        after_help = "Examples:\n  prepdeck plan --interview 2026-12-18\n  prepdeck plan --interview 2026-12-18 --deck answer-tips \\\n      --deck star-examples --max-new 40\n  prepdeck plan --max-new 80   # a higher cap for the plan already set\n  prepdeck plan            # show days left, workload and readiness\n  prepdeck plan --clear"
    )]
    Plan(PlanArgs),
    /// Check deck files (JSON, TSV or CSV) for errors and warnings, like a linter
    #[command(
        after_help = "Examples:\n  prepdeck check my-stories.json\n  prepdeck check decks/*.json cards.tsv --json\n\nPrints one line per finding (FILE: place: error|warning: message) and a summary per file. Exit status 0 when no file has errors, 1 otherwise."
    )]
    Check(CheckArgs),
    /// Install a deck file, or update an installed deck keeping every card's progress
    #[command(
        after_help = "Examples:\n  prepdeck import my-stories.json\n  prepdeck import anki-export.txt --deck customer-service\n  prepdeck import my-stories-v2.json --dry-run   # what an update changes\n  prepdeck import big-v2.json --dry-run --json   # every changed id\n\nAccepts prepdeck JSON decks and tab-, semicolon- or comma-separated text (spreadsheets, Anki's \"Notes in Plain Text\"). Progress is kept by card id: re-worded cards keep their schedule, retired cards keep their history."
    )]
    Import(ImportArgs),
    /// Write a deck as prepdeck JSON or as TSV for Anki
    #[command(
        after_help = "Examples:\n  prepdeck export my-stories -o my-stories.json\n  prepdeck export answer-tips --format tsv -o answer-tips.txt   # for Anki"
    )]
    Export(ExportArgs),
    /// Remove an installed deck (its review history is kept)
    #[command(
        after_help = "Examples:\n  prepdeck remove my-stories\n  prepdeck remove my-stories --yes     # in scripts\n\nBuilt-in decks cannot be removed; hide them with `prepdeck decks hide DECK`."
    )]
    Remove(RemoveArgs),
    /// Write your progress as a JSON report to send to your coach (no card text)
    #[command(
        after_help = "Examples:\n  prepdeck report --name \"Ana P.\" -o ana.json --print\n  prepdeck report answer-tips --name Ana -o ana.json\n  prepdeck report --name Ana --deck my-coach-deck -o ana.json\n\nA report holds figures and card schedules by card id, never card text. Built-in\ndecks are reported by default; decks of your own (made with `add` or `import`)\nonly when named with --deck. See docs/report-format.md for every field."
    )]
    Report(ReportArgs),
    /// For coaches: a class view of many learners' reports (terminal, JSON or an HTML page)
    #[command(
        after_help = "Examples:\n  prepdeck class reports/\n  prepdeck class ana.json ben.json --json\n  prepdeck class reports/ --html class.html\n\nA file that is not a valid report (or is too large, or from a newer prepdeck) is\nrefused with one line on standard error and the others are shown; the exit status\nis then 1. Card fronts come from your installed copy of each deck."
    )]
    Class(ClassArgs),
    /// Write and keep your own stories (STAR); each makes cards in the deck my-stories
    #[command(
        after_help = "Examples:\n  prepdeck story new\n  prepdeck story list\n  prepdeck story show refund-without-a-receipt\n  EDITOR=nano prepdeck story edit refund-without-a-receipt\n  prepdeck story remove refund-without-a-receipt --yes\n\nPiped, `story new` reads one part a line: title, situation, task, actions (one a\nline, then an empty line), result, lesson."
    )]
    Story(StoryArgs),
    /// Say your story aloud to a question, timed, then score it on a 10-point rubric
    #[command(
        after_help = "Examples:\n  prepdeck rehearse\n  prepdeck rehearse --story refund-without-a-receipt --question 3\n  prepdeck rehearse --seconds 75      # timed elsewhere\n\nAt a terminal a timer counts up while you speak; Enter stops it. Piped, an empty\nline stops it. Then answer each rubric point y or n. The rehearsal is saved in\nthe review log before the score is shown."
    )]
    Rehearse(RehearseArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Example:\n  prepdeck completions bash \\\n      > ~/.local/share/bash-completion/completions/prepdeck"
    )]
    Completions(CompletionsArgs),
}

/// `prepdeck review`
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Decks to review [default: all]
    #[arg(value_name = "DECK")]
    pub decks: Vec<String>,
    /// Most new cards to introduce per study day, counting those already introduced today
    /// [default: 20; with an interview plan, its pace for the planned decks]. Given here,
    /// it applies to every deck, planned or not
    #[arg(long, value_name = "N")]
    pub new: Option<usize>,
    /// Most cards in this session
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Answer with lines (Enter after each) even at a terminal, as piped input does
    #[arg(long)]
    pub line: bool,
    /// Only cards with this tag; repeat for several (a card with any of them)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only this card (deck-id/card-id, or card-id when one deck has it); repeat for several
    #[arg(long = "card", value_name = "ID")]
    pub cards: Vec<String>,
    /// Every chosen card, due or not, in deck order; misses come back in the session.
    /// Answers are logged as cram answers and do not change the schedule
    #[arg(long, conflicts_with = "new")]
    pub cram: bool,
    /// With --cram: the cards in random order
    #[arg(long, requires = "cram")]
    pub shuffle: bool,
}

/// `prepdeck add`
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The user deck to add to
    #[arg(long, value_name = "ID")]
    pub deck: String,
    /// The question side (asked for on a terminal when missing)
    #[arg(long, value_name = "TEXT")]
    pub front: Option<String>,
    /// The answer side (asked for on a terminal when missing, over several lines); `-`
    /// reads it from standard input
    #[arg(long, value_name = "TEXT")]
    pub back: Option<String>,
    /// A tag; repeat for several
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Title for a new deck [default: the deck id]
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// Add every card of this file (prepdeck JSON, or TSV/CSV text as `import` reads it)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["front", "back", "tags"])]
    pub from: Option<PathBuf>,
}

/// `prepdeck stats`
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Decks to include [default: all]
    #[arg(value_name = "DECK")]
    pub decks: Vec<String>,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
}

/// `prepdeck decks`
#[derive(Debug, Args)]
pub struct DecksArgs {
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
    /// Hide or show a deck
    #[command(subcommand)]
    pub action: Option<DecksAction>,
}

/// `prepdeck decks hide|show`
#[derive(Debug, Subcommand)]
pub enum DecksAction {
    /// Leave a deck out of `review` and `stats` when no deck is named
    #[command(
        after_help = "Example:\n  prepdeck decks hide why-they-ask\n\n`prepdeck review why-they-ask` still reviews it."
    )]
    Hide(DeckArg),
    /// Bring a hidden deck back into `review` and `stats`
    #[command(after_help = "Example:\n  prepdeck decks show why-they-ask")]
    Show(DeckArg),
    /// Put back a deck that `prepdeck remove` took away, as it was when removed
    #[command(
        after_help = "Example:\n  prepdeck remove my-stories --yes\n  prepdeck decks restore my-stories\n\nThe newest removed copy comes back; its progress was never deleted."
    )]
    Restore(DeckArg),
}

/// One deck id.
#[derive(Debug, Args)]
pub struct DeckArg {
    /// The deck id
    #[arg(value_name = "DECK")]
    pub deck: String,
}

/// `prepdeck check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Deck files: prepdeck JSON, or TSV/CSV text
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Print the findings as JSON
    #[arg(long)]
    pub json: bool,
}

/// `prepdeck import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The deck file: prepdeck JSON, TSV/CSV text, or an Anki package (.apkg, .colpkg)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Install under this deck id [default: the JSON deck's id, or the text file's name]
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the summary as JSON: every card id by change, and every warning
    #[arg(long)]
    pub json: bool,
    /// Go on with an update that retires every card of the installed deck, or more than half
    #[arg(long)]
    pub allow_retire: bool,
    /// Refuse the file if any of its cards would be skipped (image-only, unsafe text, ...)
    #[arg(long)]
    pub strict: bool,
}

/// Formats `prepdeck export` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// A prepdeck JSON deck (lossless)
    Json,
    /// Tab-separated text with Anki's header lines
    Tsv,
    /// Comma-separated text with an id column, for spreadsheets
    Csv,
}

/// `prepdeck export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The deck id (built-in or your own)
    #[arg(value_name = "DECK")]
    pub deck: String,
    /// Output format
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// Write to this file (replaced atomically; through a symbolic link, its target) instead of standard output; `-` is standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `prepdeck remove`
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The deck id
    #[arg(value_name = "DECK")]
    pub deck: String,
    /// Do not ask for confirmation (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,
}

/// `prepdeck cards`
#[derive(Debug, Args)]
pub struct CardsArgs {
    /// Decks to list [default: all]
    #[arg(value_name = "DECK")]
    pub decks: Vec<String>,
    /// Only cards due today (or overdue)
    #[arg(long)]
    pub due: bool,
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

/// `prepdeck plan`
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The interview date, YYYY-MM-DD (sets or replaces the plan)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub interview: Option<String>,
    /// A deck to be ready on; repeat for several [default: all decks not hidden]
    #[arg(long = "deck", value_name = "DECK", requires = "interview")]
    pub decks: Vec<String>,
    /// The most new planned cards a day the pacing may ask for, at least 1 [default: 60];
    /// alone, changes the cap of the plan already set
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_new: Option<u32>,
    /// Remove the plan; SM-2 dates apply again
    #[arg(long, conflicts_with_all = ["interview", "decks", "max_new"])]
    pub clear: bool,
    /// Print the plan as JSON
    #[arg(long)]
    pub json: bool,
}

/// `prepdeck completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

/// `prepdeck report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Built-in decks to report [default: every built-in deck not hidden]
    #[arg(value_name = "DECK")]
    pub decks: Vec<String>,
    /// Also report this deck, one of your own included; repeat for several
    #[arg(long = "deck", value_name = "DECK")]
    pub include: Vec<String>,
    /// The name your coach knows you by (required)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Write to this file (replaced atomically) instead of standard output; `-` is standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also print the report on standard output, to see what you send
    #[arg(long)]
    pub print: bool,
}

/// `prepdeck class`
#[derive(Debug, Args)]
pub struct ClassArgs {
    /// Report files, or directories whose *.json files are reports
    #[arg(value_name = "REPORT|DIR", required = true)]
    pub reports: Vec<PathBuf>,
    /// Print the class as JSON
    #[arg(long, conflicts_with = "html")]
    pub json: bool,
    /// Write the class as one self-contained HTML page to FILE
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// `prepdeck card`
#[derive(Debug, Args)]
pub struct CardArgs {
    /// What to do with the card.
    #[command(subcommand)]
    pub action: CardAction,
}

/// `prepdeck card show|edit|suspend|unsuspend|delete|restore`
#[derive(Debug, Subcommand)]
pub enum CardAction {
    /// The card's text, schedule and history
    #[command(after_help = "Example:\n  prepdeck card show my-stories/refund-refused")]
    Show(CardId),
    /// Edit a card of your own decks, keeping its progress
    #[command(
        after_help = "Examples:\n  prepdeck card edit my-stories/refund-refused --back \"S: ... R: ...\"\n  prepdeck card edit refund-refused     # in $VISUAL or $EDITOR\n\nWithout --front, --back or --tag, the card opens in $VISUAL or $EDITOR."
    )]
    Edit(CardEditArgs),
    /// Take a card (of any deck) out of review and the interview plan
    #[command(after_help = "Example:\n  prepdeck card suspend why-they-ask/some-card")]
    Suspend(CardId),
    /// Bring a suspended card back
    #[command(after_help = "Example:\n  prepdeck card unsuspend why-they-ask/some-card")]
    Unsuspend(CardId),
    /// Delete a card from one of your decks (its review history is kept)
    #[command(
        after_help = "Examples:\n  prepdeck card delete my-stories/old-card\n  prepdeck card delete my-stories/old-card --yes   # in scripts"
    )]
    Delete(CardDeleteArgs),
    /// Bring back a card that an import retired or `card delete` took out
    #[command(
        after_help = "Example:\n  prepdeck card restore my-stories/old-card\n\nThe card goes back at the end of its deck as it was when it left."
    )]
    Restore(CardId),
}

/// One card id.
#[derive(Debug, Args)]
pub struct CardId {
    /// deck-id/card-id, or card-id when only one deck has it
    #[arg(value_name = "ID")]
    pub id: String,
}

/// `prepdeck story`
#[derive(Debug, Args)]
pub struct StoryArgs {
    /// What to do with your stories.
    #[command(subcommand)]
    pub action: StoryAction,
}

/// `prepdeck story new|list|show|edit|remove`
#[derive(Debug, Subcommand)]
pub enum StoryAction {
    /// Write a new story, part by part, with hints as you go
    #[command(
        after_help = "Examples:\n  prepdeck story new\n  # piped: one part a line; the actions end with an empty line\n  printf '%s\\n' 'Refund without a receipt' 'A customer ...' 'I was ...' \\\n      'I listened ...' 'I offered ...' '' 'She came back ...' 'Listen.' \\\n      | prepdeck story new"
    )]
    New,
    /// List your stories with their length aloud
    #[command(after_help = "Examples:\n  prepdeck story list\n  prepdeck story list --json")]
    List {
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show a story as the 60-90 s answer it makes, with its estimated length
    #[command(after_help = "Example:\n  prepdeck story show refund-without-a-receipt")]
    Show(StoryIdArg),
    /// Change a story in $VISUAL/$EDITOR, or part by part when neither is set
    #[command(
        after_help = "Examples:\n  EDITOR=nano prepdeck story edit refund-without-a-receipt\n  EDITOR= VISUAL= prepdeck story edit refund-without-a-receipt  # by part\n\nCards of parts that stay keep their progress; Enter keeps an old part."
    )]
    Edit(StoryIdArg),
    /// Remove a story and its cards (their review history is kept)
    #[command(
        after_help = "Examples:\n  prepdeck story remove refund-without-a-receipt\n  prepdeck story remove refund-without-a-receipt --yes   # in scripts"
    )]
    Remove {
        /// The story id (see `prepdeck story list`)
        #[arg(value_name = "ID")]
        id: String,
        /// Do not ask for confirmation (needed when standard input is not a terminal)
        #[arg(long)]
        yes: bool,
    },
}

/// One story id.
#[derive(Debug, Args)]
pub struct StoryIdArg {
    /// The story id (see `prepdeck story list`)
    #[arg(value_name = "ID")]
    pub id: String,
}

/// `prepdeck card edit`
#[derive(Debug, Args)]
pub struct CardEditArgs {
    /// deck-id/card-id, or card-id when only one deck has it
    #[arg(value_name = "ID")]
    pub id: String,
    /// New question side
    #[arg(long, value_name = "TEXT")]
    pub front: Option<String>,
    /// New answer side
    #[arg(long, value_name = "TEXT")]
    pub back: Option<String>,
    /// A tag; repeat for several (replaces the card's tags)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

/// `prepdeck card delete`
#[derive(Debug, Args)]
pub struct CardDeleteArgs {
    /// deck-id/card-id, or card-id when only one deck has it
    #[arg(value_name = "ID")]
    pub id: String,
    /// Do not ask for confirmation (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,
}

/// `prepdeck rehearse`
#[derive(Debug, Args)]
pub struct RehearseArgs {
    /// The story to tell [default: the one rehearsed least recently]
    #[arg(long, value_name = "ID")]
    pub story: Option<String>,
    /// The question to answer, by its number in the bank (1 is the main question)
    /// [default: the next in turn]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=crate::rehearse::QUESTIONS.len() as i64))]
    pub question: Option<u32>,
    /// Record this many seconds, timed elsewhere, instead of running the timer
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=crate::rehearse::MAX_SECONDS as i64))]
    pub seconds: Option<u32>,
}

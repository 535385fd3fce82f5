//! Your own stories: the parts of a STAR answer, their limits, and the file that keeps
//! them (`stories.json`, see docs/progress-format.md). Pure: no printing, no files.

pub mod cards;
pub mod hints;
pub mod text;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The `stories.json` format version this build reads and writes.
pub const STORIES_VERSION: u32 = 1;
/// Most actions a story may have.
pub const MAX_ACTIONS: usize = 5;
/// Most stories kept: a candidate prepares a few, not hundreds.
pub const MAX_STORIES: usize = 50;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest part other than the title, in characters (a few spoken sentences).
pub const MAX_PART_CHARS: usize = 600;
/// Longest story id.
pub const MAX_STORY_ID: usize = 40;

/// One story, told in STAR order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    /// Stable id: lowercase letters, digits and `-`; card ids are made from it.
    pub id: String,
    /// A short title, for you.
    pub title: String,
    /// Where and what went wrong, in one or two sentences.
    pub situation: String,
    /// Your task or role.
    pub task: String,
    /// What you did, in order (1 to 5).
    pub actions: Vec<String>,
    /// How it ended, with a number or proof.
    pub result: String,
    /// The lesson or closing line.
    pub lesson: String,
    /// When it was first written.
    #[serde(with = "crate::serde_time::datetime")]
    pub created: DateTime<FixedOffset>,
    /// When it was last changed.
    #[serde(with = "crate::serde_time::datetime")]
    pub updated: DateTime<FixedOffset>,
}

/// The content of `stories.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stories {
    /// Always [`STORIES_VERSION`] when written by this build.
    pub format_version: u32,
    /// The stories, in the order they were written.
    pub stories: Vec<Story>,
}

impl Default for Stories {
    fn default() -> Stories {
        Stories {
            format_version: STORIES_VERSION,
            stories: Vec::new(),
        }
    }
}

impl Stories {
    /// The story with `id`.
    pub fn get(&self, id: &str) -> Option<&Story> {
        self.stories.iter().find(|s| s.id == id)
    }

    /// What is wrong with the stories, if anything: the first problem found.
    pub fn problem(&self) -> Option<String> {
        if self.stories.len() > MAX_STORIES {
            return Some(format!("it holds more than {MAX_STORIES} stories"));
        }
        for (i, story) in self.stories.iter().enumerate() {
            if let Some(why) = story.problem() {
                return Some(format!("story {} ({:?}): {why}", i + 1, story.id));
            }
            if self.stories[..i].iter().any(|s| s.id == story.id) {
                return Some(format!("story id {:?} is used twice", story.id));
            }
        }
        None
    }

    /// A fresh id for a story titled `title`: its first words, then `-2`, `-3`… when taken.
    pub fn new_id(&self, title: &str) -> String {
        let base = id_base(title);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.get(&candidate).is_some() {
            let suffix = format!("-{n}");
            let mut cut = base.clone();
            cut.truncate(MAX_STORY_ID - suffix.len());
            candidate = format!("{}{suffix}", cut.trim_end_matches('-'));
            n += 1;
        }
        candidate
    }
}

/// The words of `title` in lowercase ASCII joined by `-`, cut at a word to fit.
fn id_base(title: &str) -> String {
    let mut id = String::new();
    let words = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase);
    for word in words {
        let extra = word.len() + usize::from(!id.is_empty());
        if id.len() + extra > MAX_STORY_ID - 3 {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word);
    }
    if id.is_empty() {
        "story".to_owned()
    } else {
        id
    }
}

/// True when `id` is a valid story id.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_STORY_ID
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A part of a story, in the order it is asked for and told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A short title.
    Title,
    /// The situation.
    Situation,
    /// Your task or role.
    Task,
    /// One action (asked for one a line).
    Action,
    /// The result.
    Result,
    /// The lesson or closing line.
    Lesson,
}

impl Part {
    /// Every part, in order.
    pub const ALL: [Part; 6] = [
        Part::Title,
        Part::Situation,
        Part::Task,
        Part::Action,
        Part::Result,
        Part::Lesson,
    ];

    /// The name used in prompts and messages.
    pub fn name(self) -> &'static str {
        match self {
            Part::Title => "title",
            Part::Situation => "situation",
            Part::Task => "task",
            Part::Action => "action",
            Part::Result => "result",
            Part::Lesson => "lesson",
        }
    }

    /// What to type, one line.
    pub fn prompt(self) -> &'static str {
        match self {
            Part::Title => "A short title for this story, for you",
            Part::Situation => "Situation: where you were and what went wrong (one or two sentences)",
            Part::Task => "Task: what was your job or role in it",
            Part::Action => "Actions: what you did, one a line, in order (1 to 5; an empty line ends them)",
            Part::Result => "Result: how it ended, with a number or proof (\"the customer came back\", \"a 5-star review\")",
            Part::Lesson => "Lesson: what you learned, or your closing line",
        }
    }

    /// Most characters the part may have.
    pub fn max_chars(self) -> usize {
        match self {
            Part::Title => MAX_TITLE_CHARS,
            _ => MAX_PART_CHARS,
        }
    }
}

/// Typed text made safe to keep: surrounding spaces trimmed, tabs and line breaks
/// made spaces, and every character a terminal could act on removed (the characters
/// deck validation refuses in card text). Returns the text and how many were removed.
pub fn clean(typed: &str) -> (String, usize) {
    let mut removed = 0;
    let text: String = typed
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if crate::render::text::is_unsafe_char(c) => {
                removed += 1;
                None
            }
            c => Some(c),
        })
        .collect();
    (text.trim().to_owned(), removed)
}

/// Why `text` cannot be part `part`, if it cannot: empty, too long or unsafe.
pub fn refuse(part: Part, text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return Some(format!(
            "the {} is empty; {}",
            part.name(),
            hints::empty(part)
        ));
    }
    let max = part.max_chars();
    if text.chars().count() > max {
        return Some(format!(
            "the {} is longer than {max} characters; say it in fewer words (the whole answer should take 60-90 seconds)",
            part.name()
        ));
    }
    if let Some(c) = crate::render::text::first_unsafe_char(text) {
        return Some(format!(
            "the {} holds the control character U+{:04X}; remove it",
            part.name(),
            u32::from(c)
        ));
    }
    if text.contains(['\n', '\t']) {
        return Some(format!("the {} must be on one line", part.name()));
    }
    None
}

impl Story {
    /// Every part with its text, in telling order (actions one by one).
    pub fn parts(&self) -> Vec<(Part, &str)> {
        let mut parts = vec![
            (Part::Title, self.title.as_str()),
            (Part::Situation, self.situation.as_str()),
            (Part::Task, self.task.as_str()),
        ];
        parts.extend(self.actions.iter().map(|a| (Part::Action, a.as_str())));
        parts.push((Part::Result, self.result.as_str()));
        parts.push((Part::Lesson, self.lesson.as_str()));
        parts
    }

    /// What is wrong with this story, if anything.
    pub fn problem(&self) -> Option<String> {
        if !is_valid_id(&self.id) {
            return Some(format!(
                "the id must be 1 to {MAX_STORY_ID} lowercase letters, digits and '-'"
            ));
        }
        if self.actions.is_empty() || self.actions.len() > MAX_ACTIONS {
            return Some(format!("it must have 1 to {MAX_ACTIONS} actions"));
        }
        self.parts().into_iter().find_map(|(p, t)| refuse(p, t))
    }

    /// The answer as spoken: situation, task, actions, result and lesson.
    pub fn spoken(&self) -> String {
        let mut parts: Vec<&str> = vec![&self.situation, &self.task];
        parts.extend(self.actions.iter().map(String::as_str));
        parts.push(&self.result);
        parts.push(&self.lesson);
        parts.join(" ")
    }

    /// Estimated seconds to say the answer aloud at [`hints::WORDS_PER_MINUTE`].
    pub fn spoken_seconds(&self) -> u32 {
        hints::spoken_seconds(&self.spoken())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_title_and_are_unique_and_short() {
        let mut stories = Stories::default();
        assert_eq!(
            stories.new_id("Refund without a receipt!"),
            "refund-without-a-receipt"
        );
        assert_eq!(stories.new_id("¡¿ !"), "story");
        let long = stories.new_id(&"word ".repeat(20));
        assert!(
            long.len() <= MAX_STORY_ID - 3 && is_valid_id(&long),
            "{long}"
        );
        let now = "2026-11-22T09:00:00Z".parse().unwrap();
        stories.stories.push(Story {
            id: "story".into(),
            title: "t".into(),
            situation: "s".into(),
            task: "t".into(),
            actions: vec!["a".into()],
            result: "r".into(),
            lesson: "l".into(),
            created: now,
            updated: now,
        });
        assert_eq!(stories.new_id("?"), "story-2");
        assert!(stories.problem().is_none());
    }

    #[test]
    fn typed_text_loses_control_characters_and_keeps_the_rest() {
        let (text, removed) = clean("  I \u{1b}[31mstayed\u{7} calm\t here \r");
        assert_eq!(text, "I [31mstayed calm  here");
        assert_eq!(removed, 2);
        assert!(refuse(Part::Task, &text).is_none());
        assert!(refuse(Part::Task, "   ").unwrap().contains("empty"));
        assert!(refuse(Part::Title, &"x".repeat(101))
            .unwrap()
            .contains("100"));
    }
}

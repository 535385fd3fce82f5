//! The readable text form of a story that `story edit` opens in your editor.

use super::{clean, refuse, Part, Story, MAX_ACTIONS};

/// The headings, in order, with the part each one holds.
const HEADINGS: [(&str, Part); 6] = [
    ("Title", Part::Title),
    ("Situation", Part::Situation),
    ("Task", Part::Task),
    ("Actions", Part::Action),
    ("Result", Part::Result),
    ("Lesson", Part::Lesson),
];

/// The parts as typed in the editor, before they become a story.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parts {
    /// Title.
    pub title: String,
    /// Situation.
    pub situation: String,
    /// Task.
    pub task: String,
    /// Actions, one each.
    pub actions: Vec<String>,
    /// Result.
    pub result: String,
    /// Lesson.
    pub lesson: String,
}

impl Parts {
    /// The parts of `story`.
    pub fn of(story: &Story) -> Parts {
        Parts {
            title: story.title.clone(),
            situation: story.situation.clone(),
            task: story.task.clone(),
            actions: story.actions.clone(),
            result: story.result.clone(),
            lesson: story.lesson.clone(),
        }
    }

    /// Every part and its text, actions one by one.
    pub fn list(&self) -> Vec<(Part, &str)> {
        let mut list = vec![
            (Part::Title, self.title.as_str()),
            (Part::Situation, self.situation.as_str()),
            (Part::Task, self.task.as_str()),
        ];
        list.extend(self.actions.iter().map(|a| (Part::Action, a.as_str())));
        list.push((Part::Result, &self.result));
        list.push((Part::Lesson, &self.lesson));
        list
    }

    /// The first reason these parts cannot make a story.
    pub fn problem(&self) -> Option<String> {
        if self.actions.is_empty() {
            return Some(format!(
                "there is no action; {}",
                super::hints::empty(Part::Action)
            ));
        }
        if self.actions.len() > MAX_ACTIONS {
            return Some(format!(
                "there are {} actions; keep the {MAX_ACTIONS} that matter most",
                self.actions.len()
            ));
        }
        self.list().into_iter().find_map(|(p, t)| refuse(p, t))
    }
}

/// `story` as text to edit: a heading per part, the text on the lines below it.
pub fn render(story: &Story) -> String {
    let parts = Parts::of(story);
    let mut text = String::from(
        "# Edit your story, then save and close the editor.\n# Lines starting with # are ignored. Each part goes under its heading; the\n# actions one a line (1 to 5). Leave a heading out or empty to be told so.\n",
    );
    for (heading, part) in HEADINGS {
        text.push_str(&format!("\n{heading}:\n"));
        match part {
            Part::Action => {
                for action in &parts.actions {
                    text.push_str(action);
                    text.push('\n');
                }
            }
            _ => {
                text.push_str(
                    parts
                        .list()
                        .iter()
                        .find(|(p, _)| *p == part)
                        .map_or("", |(_, t)| t),
                );
                text.push('\n');
            }
        }
    }
    text
}

/// Reads the text form back: headings may be in any order and case; text after a
/// heading on its own line counts too. Control characters are removed.
pub fn parse(text: &str) -> Result<Parts, String> {
    let mut parts = Parts::default();
    let mut seen: Vec<Part> = Vec::new();
    let mut current: Option<Part> = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let heading = line.split_once(':').and_then(|(head, rest)| {
            HEADINGS
                .iter()
                .find(|(h, _)| h.eq_ignore_ascii_case(head.trim()))
                .map(|(_, p)| (*p, rest))
        });
        let rest = match heading {
            Some((part, rest)) => {
                if seen.contains(&part) {
                    return Err(format!(
                        "line {}: the {} heading is there twice",
                        n + 1,
                        part.name()
                    ));
                }
                seen.push(part);
                current = Some(part);
                rest
            }
            None => line,
        };
        let (rest, _) = clean(rest);
        if rest.is_empty() {
            continue;
        }
        let Some(part) = current else {
            return Err(format!(
                "line {}: text before the first heading; put it under Title:, Situation:, Task:, Actions:, Result: or Lesson:",
                n + 1
            ));
        };
        let slot = match part {
            Part::Action => {
                parts.actions.push(rest);
                continue;
            }
            Part::Title => &mut parts.title,
            Part::Situation => &mut parts.situation,
            Part::Task => &mut parts.task,
            Part::Result => &mut parts.result,
            Part::Lesson => &mut parts.lesson,
        };
        if !slot.is_empty() {
            slot.push(' ');
        }
        slot.push_str(&rest);
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_form_reads_back_as_the_same_parts() {
        let story =
            crate::story::cards::tests::story("refund", &["I listened.", "I offered credit."]);
        let parsed = parse(&render(&story)).unwrap();
        assert_eq!(parsed, Parts::of(&story));
    }

    #[test]
    fn headings_in_any_case_with_text_on_the_same_line() {
        let parsed =
            parse("title: A\nSITUATION: B\nc\nTask:\nD\nActions:\nE\n\nF\nResult: G\nLesson: H\n")
                .unwrap();
        assert_eq!(parsed.situation, "B c");
        assert_eq!(parsed.actions, ["E", "F"]);
        assert!(parsed.problem().is_none());
        assert!(parse("oops\nTitle: A").unwrap_err().contains("line 1"));
        assert!(parse("Title: A\nTitle: B").unwrap_err().contains("twice"));
        assert!(parse("Title: A\n")
            .unwrap()
            .problem()
            .unwrap()
            .contains("no action"));
    }
}

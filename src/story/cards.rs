//! The active-recall cards a story makes, in the personal deck `my-stories`.
//!
//! Card ids are `story-<story id>-<part>` (`situation`, `task`, `action-1`…`action-5`,
//! `result`, `lesson`), so re-wording a part keeps that card's progress. The deck may
//! also hold cards added with `prepdeck add --deck my-stories`: those are kept as they
//! are, and only the cards tagged [`TAG`] with a `story-` id are made from the stories.

use super::{Stories, Story};
use crate::deck::{Card, Deck, Id, FORMAT_VERSION};

/// The personal deck the stories' cards live in.
pub const DECK_ID: &str = "my-stories";
/// The tag every generated card carries (with `story-` at the start of its id).
pub const TAG: &str = "my-story";

/// True for a card made from a story (not one added by hand).
pub fn is_generated(card: &Card) -> bool {
    card.id.as_str().starts_with("story-") && card.tags.iter().any(|t| t == TAG)
}

/// A title short enough to sit in a card's question.
fn short(title: &str) -> String {
    crate::render::text::truncate(title, 60).into_owned()
}

/// A card with `id` for `story`.
fn card(story: &Story, part: &str, front: String, back: &str) -> Option<Card> {
    Some(Card {
        id: Id::parse(&format!("story-{}-{part}", story.id)).ok()?,
        front,
        back: back.to_owned(),
        tags: vec![TAG.to_owned()],
        source: None,
        guid: None,
    })
}

/// The cards of one story, in telling order.
pub fn of(story: &Story) -> Vec<Card> {
    let t = short(&story.title);
    let mut cards = vec![
        card(
            story,
            "situation",
            format!("Your story «{t}»: the situation, in one sentence?"),
            &story.situation,
        ),
        card(
            story,
            "task",
            format!("Your story «{t}»: what was your task or role?"),
            &story.task,
        ),
    ];
    for (k, action) in story.actions.iter().enumerate() {
        let front = match k {
            0 => format!("Your story «{t}»: what did you do first?"),
            _ => format!(
                "Your story «{t}»: after «{}», what did you do next?",
                crate::render::text::truncate(&story.actions[k - 1], 80)
            ),
        };
        cards.push(card(story, &format!("action-{}", k + 1), front, action));
    }
    cards.push(card(
        story,
        "result",
        format!("Your story «{t}»: the result, with its proof?"),
        &story.result,
    ));
    cards.push(card(
        story,
        "lesson",
        format!("Your story «{t}»: your closing line?"),
        &story.lesson,
    ));
    cards.into_iter().flatten().collect()
}

/// The deck `my-stories` for `stories`: the cards added by hand to `old` first, as
/// they were, then every story's cards. Title and description are kept from `old`.
pub fn deck(stories: &Stories, old: Option<&Deck>) -> Deck {
    let mut deck = match old {
        Some(old) => Deck {
            cards: old.cards.iter().filter(|c| !is_generated(c)).cloned().collect(),
            ..old.clone()
        },
        None => Deck {
            format_version: FORMAT_VERSION,
            id: Id::parse(DECK_ID).unwrap_or_else(|_| unreachable!("a valid id")),
            title: "My stories".into(),
            description: "Cards made from your stories (prepdeck story); cards you add with prepdeck add --deck my-stories are kept.".into(),
            author: None,
            version: None,
            cards: Vec::new(),
        },
    };
    for story in &stories.stories {
        for card in of(story) {
            // A hand-added card could have taken the id; the story's card then waits.
            if !deck.cards.iter().any(|c| c.id == card.id) {
                deck.cards.push(card);
            }
        }
    }
    deck
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn story(id: &str, actions: &[&str]) -> Story {
        let now = "2026-11-22T09:00:00Z".parse().unwrap();
        Story {
            id: id.into(),
            title: "Refund without a receipt".into(),
            situation: "A customer wanted a refund without a receipt.".into(),
            task: "I was the cashier on duty.".into(),
            actions: actions.iter().map(|a| (*a).to_owned()).collect(),
            result: "She took store credit and came back the next week.".into(),
            lesson: "Offering options calms people down.".into(),
            created: now,
            updated: now,
        }
    }

    #[test]
    fn a_story_makes_one_card_per_part_with_ids_from_story_and_part() {
        let cards = of(&story("refund", &["I listened.", "I offered credit."]));
        let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "story-refund-situation",
                "story-refund-task",
                "story-refund-action-1",
                "story-refund-action-2",
                "story-refund-result",
                "story-refund-lesson"
            ]
        );
        assert!(
            cards[3].front.contains("after «I listened.»"),
            "{}",
            cards[3].front
        );
        assert_eq!(cards[3].back, "I offered credit.");
    }

    #[test]
    fn hand_added_cards_are_kept_and_generated_ones_replaced() {
        let stories = Stories {
            format_version: 1,
            stories: vec![story("refund", &["I listened."])],
        };
        let mut old = deck(&stories, None);
        old.cards.insert(
            0,
            Card {
                id: Id::parse("story-of-my-life").unwrap(),
                front: "Mine?".into(),
                back: "Yes".into(),
                tags: vec![],
                source: None,
                guid: None,
            },
        );
        let errors = old.errors();
        assert!(errors.is_empty(), "{errors:?}");
        let new = deck(&Stories::default(), Some(&old));
        let ids: Vec<&str> = new.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["story-of-my-life"]);
    }
}

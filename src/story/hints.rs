//! Coaching hints while a story is written: advice the source articles give, never a
//! refusal. Each hint is a sentence in our own words.

use super::{Part, Story};

/// Speaking pace used to estimate how long an answer takes aloud.
pub const WORDS_PER_MINUTE: u32 = 150;
/// Shorter than this, an answer usually lacks an action or the result.
pub const SHORTEST_SECONDS: u32 = 45;
/// Longer than this, the interviewer stops listening: keep it concise.
pub const LONGEST_SECONDS: u32 = 90;
/// The target range for the spoken answer.
pub const TARGET: (u32, u32) = (60, 90);

/// Seconds to say `text` at [`WORDS_PER_MINUTE`], rounded.
pub fn spoken_seconds(text: &str) -> u32 {
    let words = text.split_whitespace().count() as u32;
    (words * 60 + WORDS_PER_MINUTE / 2) / WORDS_PER_MINUTE
}

/// What to write when a part was left empty.
pub fn empty(part: Part) -> &'static str {
    match part {
        Part::Title => "give it a few words so you can find it again, e.g. \"refund without a receipt\"",
        Part::Situation => "say where you were and what went wrong, e.g. \"A customer came back to the store with a faulty product and was shouting.\"",
        Part::Task => "say what you had to do, e.g. \"I was the cashier on duty and had to sort it out.\"",
        Part::Action => "give at least one thing you did, e.g. \"I let her finish without interrupting.\"",
        Part::Result => "say how it ended, with a number or proof, e.g. \"She accepted store credit and came back the next week.\"",
        Part::Lesson => "close with what you learned, e.g. \"Listening first calms most people down.\"",
    }
}

/// Lowercase words of `text`, apostrophes kept (`i'd`, `we're`).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

fn has_any(text: &str, needles: &[&str]) -> bool {
    let lower = text.to_lowercase();
    needles.iter().any(|n| lower.contains(n))
}

/// True when `text` tells what one would do rather than what happened.
pub fn is_hypothetical(text: &str) -> bool {
    let w = words(text);
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    w.iter().any(|x| x == "i'd" || x == "would")
        || pair("i", "will")
        || pair("i", "usually")
        || pair("i", "always")
        || pair("i", "generally")
        || w.iter().any(|x| x == "whenever")
}

/// True when `text` says "we" (or "our", "us") and never "I".
pub fn is_we_not_i(text: &str) -> bool {
    let w = words(text);
    let we = w
        .iter()
        .any(|x| matches!(x.as_str(), "we" | "we're" | "we've" | "we'd" | "our" | "us"));
    let i = w
        .iter()
        .any(|x| matches!(x.as_str(), "i" | "i'm" | "i've" | "i'd" | "me" | "my"));
    we && !i
}

/// True when a result holds a number or something that proves it.
pub fn has_proof(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        || has_any(
            text,
            &[
                "came back",
                "returned",
                "review",
                "star",
                "thank",
                "praise",
                "note",
                "email",
                "letter",
                "renew",
                "stayed",
                "kept",
                "order",
                "survey",
                "rating",
                "score",
                "feedback",
                "recommend",
                "loyal",
                "again",
                "supervisor",
                "manager",
                "bought",
            ],
        )
}

/// Actions about listening.
pub fn is_listening(text: &str) -> bool {
    has_any(
        text,
        &[
            "listen",
            "heard",
            "hear ",
            "interrupt",
            "vent",
            "let him finish",
            "let her finish",
            "let them finish",
            "question",
        ],
    )
}

/// Actions about empathy or acknowledgement.
pub fn is_empathy(text: &str) -> bool {
    has_any(
        text,
        &[
            "understand",
            "acknowledg",
            "empath",
            "apolog",
            "sorry",
            "frustrat",
            "feel",
            "upset",
        ],
    )
}

/// Actions that offer a solution.
pub fn is_solution(text: &str) -> bool {
    has_any(
        text,
        &[
            "offer",
            "solution",
            "solve",
            "resolv",
            "fix",
            "exchange",
            "refund",
            "replace",
            "credit",
            "discount",
            "option",
            "alternative",
            "remake",
            "arrang",
            "propos",
            "suggest",
        ],
    )
}

/// Hints about one part as it is entered; actions are checked together by [`actions`].
pub fn for_part(part: Part, text: &str) -> Vec<String> {
    let mut hints = Vec::new();
    if matches!(
        part,
        Part::Situation | Part::Task | Part::Action | Part::Result
    ) && is_hypothetical(text)
    {
        hints.push("This sounds like what you would do. Interviewers want one specific event from your past: tell what happened, in the past tense.".to_owned());
    }
    if matches!(part, Part::Task | Part::Action | Part::Result) && is_we_not_i(text) {
        hints.push("You say \"we\": the interviewer is judging you, so say what you did yourself (\"I\"). Owning the customer's experience is a strong point.".to_owned());
    }
    match part {
        Part::Situation => {
            let sentences = text
                .split(['.', '!', '?'])
                .filter(|s| !s.trim().is_empty())
                .count();
            if sentences > 2 {
                hints.push(format!("{sentences} sentences: keep the situation to one or two, so most of your time goes to what you did and the result."));
            }
        }
        Part::Result if !has_proof(text) => {
            hints.push("Add a number or a proof: the customer came back, a 5-star review, a note from the customer or your supervisor. Evidence is the most convincing part of the answer.".to_owned());
        }
        _ => {}
    }
    hints
}

/// Hints about the actions as a whole: listening, empathy and a solution are what
/// recruiters listen for.
pub fn actions(actions: &[String]) -> Vec<String> {
    let mut hints = Vec::new();
    if !actions.iter().any(|a| is_listening(a)) {
        hints.push("No action about listening: say how you let the customer explain without interrupting, or the questions you asked.".to_owned());
    }
    if !actions.iter().any(|a| is_empathy(a)) {
        hints.push("No action about empathy: say how you acknowledged their frustration, in the words you used.".to_owned());
    }
    if !actions.iter().any(|a| is_solution(a)) {
        hints.push("No action offers a solution: say what you offered, within company policy (an exchange, store credit, a fix).".to_owned());
    }
    hints
}

/// The length hint for a whole story: its estimate, and a warning outside 45-90 s.
pub fn length(story: &Story) -> (u32, Option<String>) {
    let seconds = story.spoken_seconds();
    let warning = if seconds < SHORTEST_SECONDS {
        Some(format!("About {seconds} s aloud: short of the 60-90 s an answer should take; add what you said and did, and the proof of the result."))
    } else if seconds > LONGEST_SECONDS {
        Some(format!("About {seconds} s aloud: longer than 90 s; be concise: cut the situation first, then any action that is not yours."))
    } else {
        None
    };
    (seconds, warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hypothetical_is_told_apart_from_a_past_event() {
        assert!(is_hypothetical("I would stay calm and listen"));
        assert!(is_hypothetical("I'd offer a refund"));
        assert!(is_hypothetical("I always apologise"));
        assert!(!is_hypothetical("I stayed calm and listened"));
        assert!(!for_part(Part::Situation, "When a customer is angry I would listen.").is_empty());
    }

    #[test]
    fn we_without_i_is_flagged_but_we_with_i_is_not() {
        assert!(is_we_not_i("We refunded the order"));
        assert!(!is_we_not_i("I asked my manager and we refunded the order"));
        assert!(!is_we_not_i("I refunded the order"));
    }

    #[test]
    fn a_result_without_number_or_proof_gets_a_hint() {
        assert_eq!(for_part(Part::Result, "It went well.").len(), 1);
        assert!(for_part(Part::Result, "She came back the next week.").is_empty());
        assert!(for_part(Part::Result, "A 5-star review.").is_empty());
    }

    #[test]
    fn actions_missing_listening_empathy_or_a_solution_each_get_a_hint() {
        let hints = actions(&["I checked the stock.".into()]);
        assert_eq!(hints.len(), 3);
        let hints = actions(&[
            "I listened without interrupting.".into(),
            "I said I understood why she was upset.".into(),
            "I offered store credit.".into(),
        ]);
        assert!(hints.is_empty(), "{hints:?}");
    }

    #[test]
    fn spoken_length_is_estimated_at_150_words_a_minute() {
        assert_eq!(spoken_seconds(&"word ".repeat(150)), 60);
        assert_eq!(spoken_seconds(&"word ".repeat(225)), 90);
        assert_eq!(spoken_seconds(""), 0);
    }
}

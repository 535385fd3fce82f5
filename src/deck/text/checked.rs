//! The cards read from a text deck checked as every deck is, placed by line.

use super::*;

/// The deck of `raw` checked as a JSON deck is, its cards placed at `lines`: the deck
/// (none when the file cannot be used) and the findings. A card the checks refuse is
/// left out (counted in `skipped`, said in `problems`) and the rest checked again.
pub(super) fn checked(
    mut raw: RawDeck,
    mut lines: Vec<usize>,
    origin: &str,
    skipped: &mut usize,
    problems: &mut Vec<Problem>,
) -> (Option<Deck>, Vec<Problem>) {
    // A card the deck's checks refuse (an unsafe character, a side too long, a second
    // card with the same id) is left out with the reason, and the rest is checked again.
    loop {
        let line_of = |index: usize| lines.get(index.wrapping_sub(1)).copied().unwrap_or(0);
        match deck::build_naming(raw.clone(), origin, &|index| {
            format!("line {}", line_of(index))
        }) {
            Ok(parsed) => return (Some(parsed.deck), to_lines(parsed.warnings, &lines)),
            Err(e) => {
                let refused = refused_cards(&e.problems);
                if refused.is_empty() {
                    return (None, to_lines(e.problems, &lines));
                }
                for (index, message) in refused.iter().rev() {
                    let card = raw.cards.remove(index - 1);
                    let line = lines.remove(index - 1);
                    *skipped += 1;
                    problems.push(Problem::warning(
                        Place::Line { line, id: card.id },
                        format!("skipped: {message}"),
                    ));
                }
            }
        }
    }
}

/// The cards (1-based index, first message) that `problems` refuse, when every error is
/// about one card; empty when an error is about the whole file.
fn refused_cards(problems: &[Problem]) -> std::collections::BTreeMap<usize, String> {
    let mut refused = std::collections::BTreeMap::new();
    for problem in problems
        .iter()
        .filter(|p| p.severity == deck::Severity::Error)
    {
        match &problem.place {
            Place::Card { index, .. } => {
                refused
                    .entry(*index)
                    .or_insert_with(|| problem.message.clone());
            }
            _ => return std::collections::BTreeMap::new(),
        }
    }
    refused
}

/// `problems` with card places given as the lines the cards are on.
fn to_lines(problems: Vec<Problem>, lines: &[usize]) -> Vec<Problem> {
    let line_of = |index: usize| lines.get(index.wrapping_sub(1)).copied().unwrap_or(0);
    problems
        .into_iter()
        .map(|problem| match problem.place {
            Place::Card { index, id } => Problem {
                place: Place::Line {
                    line: line_of(index),
                    id,
                },
                ..problem
            },
            _ => problem,
        })
        .collect()
}

//! "Did you mean": the known name closest to a mistyped one.

/// The candidate closest to `typed` by edit distance (case-insensitive), if it is close
/// enough to be a typo: at most a third of the longer name's characters differ, and
/// never more than 3. Ties go to the first candidate.
pub fn closest(typed: &str, candidates: impl IntoIterator<Item = String>) -> Option<String> {
    let typed_lower = typed.to_lowercase();
    let mut best: Option<(usize, String)> = None;
    for candidate in candidates {
        let distance = edit_distance(&typed_lower, &candidate.to_lowercase());
        let longest = typed.chars().count().max(candidate.chars().count());
        let limit = (longest / 3).clamp(1, 3);
        if distance == 0 || distance > limit {
            continue;
        }
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance, with a swap of two neighbours counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Long names are ids at most a few hundred characters; the table stays small.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_typo_gets_the_closest_name_and_a_stranger_gets_none() {
        let decks = names(&["why-they-ask", "answer-tips", "star-examples"]);
        assert_eq!(
            closest("why-tehy-ask", decks.clone()).as_deref(),
            Some("why-they-ask")
        );
        assert_eq!(
            closest("answer-tip", decks.clone()).as_deref(),
            Some("answer-tips")
        );
        assert_eq!(closest("cooking", decks.clone()), None);
        // The exact name is not a suggestion.
        assert_eq!(closest("answer-tips", decks), None);
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_changes_and_swaps() {
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("abc", "abd"), 1);
        assert_eq!(edit_distance("abc", "ab"), 1);
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}

//! Running independent pieces of work on the machine's cores, results in input order.
//!
//! At 100,000 cards, loading the decks and going through every card for `stats` or the
//! review queue take tens of milliseconds each; the decks are independent of one
//! another, so they are shared out. No dependency: scoped threads from std.
//!
//! Callers keep the results in deck order and combine them as a loop over the decks
//! would have, so the outcome does not depend on how many threads ran.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, on up to as many threads as the machine has cores
/// (items are handed out one at a time, so uneven items still balance); the results
/// come back in the order of `items`. A panic in `f` is resumed on the caller's thread.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            return mine;
                        };
                        mine.push((i, f(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = map(&items, |&n| {
            // Uneven work, so threads finish out of order.
            if n % 7 == 0 {
                std::thread::yield_now();
            }
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(map(&[] as &[u8], |_| 0).is_empty());
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_reaches_the_caller() {
        map(&[1, 2, 3], |&n| if n == 2 { panic!("boom") } else { n });
    }
}

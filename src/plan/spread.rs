//! Days for reviews pulled in by answers given under the plan.

use crate::sm2::add_days;
use chrono::NaiveDate;

/// Chooses the day for a review pulled in by an answer given under the plan: the day
/// with the fewest moved reviews between the day after the answer and the last day
/// before the interview, the latest of equals. Only moved reviews are counted, so it is
/// they that are spread evenly, whatever SM-2 already has on each day.
#[derive(Debug, Clone)]
pub struct Spreader {
    first: NaiveDate,
    last_day: NaiveDate,
    loads: LeastLoaded,
}

impl Spreader {
    /// A spreader over `first..=last_day` holding `loads` moved reviews on those days.
    pub fn new(
        first: NaiveDate,
        last_day: NaiveDate,
        loads: impl IntoIterator<Item = u32>,
    ) -> Spreader {
        let days = usize::try_from((last_day - first).num_days() + 1).unwrap_or(0);
        let mut initial: Vec<u32> = loads.into_iter().take(days).collect();
        initial.resize(days, 0);
        Spreader {
            first,
            last_day,
            loads: LeastLoaded::new(&initial),
        }
    }

    /// The day to use for a card answered on `day` that SM-2 wants on `sm2_due`: `None`
    /// keeps SM-2's day (it is not after the last day, or no day is left before it).
    pub fn place(&mut self, day: NaiveDate, sm2_due: NaiveDate) -> Option<NaiveDate> {
        let from = add_days(day, 1).max(self.first);
        if sm2_due <= self.last_day || from > self.last_day {
            return None;
        }
        let low = usize::try_from((from - self.first).num_days()).ok()?;
        let chosen = self.loads.least(low)?;
        self.loads.add(chosen, 1);
        Some(add_days(self.first, chosen as u32))
    }

    /// Takes back a day returned by [`Spreader::place`] (for undo).
    pub fn unplace(&mut self, placed: NaiveDate) {
        if let Ok(index) = usize::try_from((placed - self.first).num_days()) {
            if placed <= self.last_day {
                self.loads.add(index, -1);
            }
        }
    }

    /// Moved reviews on `day`.
    pub fn load(&self, day: NaiveDate) -> u32 {
        usize::try_from((day - self.first).num_days())
            .ok()
            .filter(|_| day <= self.last_day)
            .map_or(0, |i| self.loads.get(i))
    }
}

/// Loads per day with "which day from `low` on has the least, the latest of equals"
/// answered in logarithmic time (a segment tree): the run-up estimate places hundreds
/// of thousands of reviews at 100,000 cards.
#[derive(Debug, Clone)]
pub(super) struct LeastLoaded {
    size: usize,
    len: usize,
    /// Node `i` holds the best (load, day) of its range; leaves start at `size`.
    tree: Vec<(u32, usize)>,
}

impl LeastLoaded {
    const EMPTY: (u32, usize) = (u32::MAX, 0);

    pub(super) fn new(loads: &[u32]) -> LeastLoaded {
        let size = loads.len().next_power_of_two().max(1);
        let mut tree = vec![Self::EMPTY; 2 * size];
        for (day, &load) in loads.iter().enumerate() {
            tree[size + day] = (load, day);
        }
        for node in (1..size).rev() {
            tree[node] = Self::better(tree[2 * node], tree[2 * node + 1]);
        }
        LeastLoaded {
            size,
            len: loads.len(),
            tree,
        }
    }

    fn better(a: (u32, usize), b: (u32, usize)) -> (u32, usize) {
        if a.0 < b.0 || (a.0 == b.0 && a.1 > b.1) {
            a
        } else {
            b
        }
    }

    fn get(&self, day: usize) -> u32 {
        self.tree[self.size + day].0
    }

    pub(super) fn add(&mut self, day: usize, delta: i32) {
        if day >= self.len {
            return;
        }
        let mut node = self.size + day;
        self.tree[node].0 = self.tree[node].0.saturating_add_signed(delta);
        while node > 1 {
            node /= 2;
            self.tree[node] = Self::better(self.tree[2 * node], self.tree[2 * node + 1]);
        }
    }

    /// The least-loaded day in `low..len`, the latest of equals.
    pub(super) fn least(&self, low: usize) -> Option<usize> {
        if low >= self.len {
            return None;
        }
        let (mut left, mut right) = (self.size + low, self.size + self.len);
        let mut best = Self::EMPTY;
        while left < right {
            if left % 2 == 1 {
                best = Self::better(best, self.tree[left]);
                left += 1;
            }
            if right % 2 == 1 {
                right -= 1;
                best = Self::better(best, self.tree[right]);
            }
            left /= 2;
            right /= 2;
        }
        (best != Self::EMPTY).then_some(best.1)
    }
}

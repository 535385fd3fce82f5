//! Text charts with Unicode block characters; colour only when the style allows.
//! Everything fits in 80 columns.

use super::Style;
use chrono::{Datelike, Days, NaiveDate};

/// Widest bar, in characters, so label + bar + value fit in 80 columns.
pub const BAR_WIDTH: usize = 50;
/// Shades from the lowest activity level to the highest.
pub const SHADES: [char; 4] = ['░', '▒', '▓', '█'];

/// The widest bar that leaves room for a `label_width` label and a `value_width` value
/// (with the spaces between) on a line: [`BAR_WIDTH`], less on a narrow terminal.
fn bar_room(label_width: usize, value_width: usize) -> usize {
    BAR_WIDTH.min(
        super::columns()
            .saturating_sub(label_width + value_width + 2)
            .max(5),
    )
}

/// Bar length for `value` when `max` gets [`BAR_WIDTH`]; any value above zero gets at least one block.
fn bar_len(value: u32, max: u32, width: usize) -> usize {
    if value == 0 || max == 0 {
        0
    } else {
        ((f64::from(value) / f64::from(max)) * width as f64)
            .round()
            .max(1.0) as usize
    }
}

/// A horizontal bar chart: one line per `(label, value)`, value printed after the bar.
pub fn bars(title: &str, rows: &[(String, u32)], style: Style) -> String {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let label_width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let room = bar_room(label_width, max.to_string().len());
    let mut text = format!("{}\n", style.bold(title));
    for (label, value) in rows {
        let bar = "█".repeat(bar_len(*value, max, room));
        text.push_str(&format!(
            "{label:<label_width$} {} {value}\n",
            style.accent(&bar)
        ));
    }
    text
}

/// A stacked bar chart of two series (drawn `█` then `▒`), with both values after it.
pub fn stacked_bars(
    title: &str,
    legend: (&str, &str),
    rows: &[(String, u32, u32)],
    style: Style,
) -> String {
    let max = rows.iter().map(|(_, a, b)| a + b).max().unwrap_or(0);
    let label_width = rows
        .iter()
        .map(|(l, _, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = format!(
        "{} ({} {}, {} {})\n",
        style.bold(title),
        style.accent("█"),
        legend.0,
        style.good("▒"),
        legend.1
    );
    let value_width = rows
        .iter()
        .map(|(_, a, b)| format!("{a}+{b}").len())
        .max()
        .unwrap_or(0);
    let room = bar_room(label_width, value_width);
    for (label, a, b) in rows {
        let total_len = bar_len(a + b, max, room);
        let a_len = if a + b == 0 {
            0
        } else {
            ((f64::from(*a) / f64::from(a + b)) * total_len as f64).round() as usize
        };
        let a_len = if *a > 0 { a_len.max(1) } else { 0 };
        let b_len = total_len.saturating_sub(a_len);
        let b_len = if *b > 0 { b_len.max(1) } else { 0 };
        text.push_str(&format!(
            "{label:<label_width$} {}{} {a}+{b}\n",
            style.accent(&"█".repeat(a_len)),
            style.good(&"▒".repeat(b_len)),
        ));
    }
    text
}

/// The shade for `value` on a scale up to `max`: `·` for nothing, then four levels.
pub fn shade(value: u32, max: u32) -> char {
    if value == 0 || max == 0 {
        return '·';
    }
    let level = ((f64::from(value) / f64::from(max)) * SHADES.len() as f64).ceil() as usize;
    SHADES[level.clamp(1, SHADES.len()) - 1]
}

/// A contribution-graph heatmap: one column per week (oldest left), one row per weekday,
/// for `weeks` weeks ending with the week of `today`. `count` gives a day's value.
pub fn heatmap(
    title: &str,
    today: NaiveDate,
    weeks: u32,
    count: impl Fn(NaiveDate) -> u32,
    style: Style,
) -> String {
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let start = monday - Days::new(u64::from(weeks.saturating_sub(1)) * 7);
    let days: Vec<NaiveDate> = start.iter_days().take_while(|d| *d <= today).collect();
    let max = days.iter().map(|d| count(*d)).max().unwrap_or(0);

    let mut text = format!("{}\n", style.bold(title));
    // A month's label sits over the first week whose Monday is in that month, in the
    // week's own column. A label is three letters over a week's two columns, so the
    // first column's month (already begun) is labelled only when the next week does
    // not start a month of its own.
    let monday = |week: u32| start + Days::new(u64::from(week) * 7);
    let starts_month = |week: u32| week > 0 && monday(week).month() != monday(week - 1).month();
    let mut header = String::new();
    for week in 0..weeks {
        let labelled = starts_month(week) || (week == 0 && !starts_month(1));
        let column = 4 + 2 * week as usize;
        if labelled && header.chars().count() < column {
            header.push_str(&" ".repeat(column - header.chars().count()));
            header.push_str(&monday(week).format("%b").to_string());
        }
    }
    text.push_str(header.trim_end());
    text.push('\n');
    for (row, name) in ["Mon", "", "Wed", "", "Fri", "", "Sun"].iter().enumerate() {
        let mut line = format!("{name:<4}");
        for week in 0..weeks {
            let day = start + Days::new(u64::from(week) * 7 + row as u64);
            if day > today {
                break;
            }
            let value = count(day);
            let cell = shade(value, max).to_string();
            line.push_str(&if value > 0 {
                style.good(&cell)
            } else {
                style.dim(&cell)
            });
            line.push(' ');
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text.push_str(&format!(
        "    less {} {} more (most in a day: {max})\n",
        style.dim("·"),
        SHADES
            .iter()
            .map(|c| style.good(&c.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain() -> Style {
        Style { color: false }
    }

    #[test]
    fn bars_scale_to_the_largest_value_and_show_counts() {
        let rows = vec![
            ("a".to_owned(), 10),
            ("b".to_owned(), 5),
            ("c".to_owned(), 0),
        ];
        let text = bars("T", &rows, plain());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], format!("a {} 10", "█".repeat(50)));
        assert_eq!(lines[2], format!("b {} 5", "█".repeat(25)));
        assert_eq!(lines[3], "c  0");
    }

    #[test]
    fn a_small_value_still_gets_one_block() {
        let rows = vec![("a".to_owned(), 1000), ("b".to_owned(), 1)];
        assert!(bars("T", &rows, plain()).contains("b █ 1"));
    }

    #[test]
    fn shades_rise_with_activity() {
        assert_eq!(shade(0, 8), '·');
        assert_eq!(shade(1, 8), '░');
        assert_eq!(shade(4, 8), '▒');
        assert_eq!(shade(6, 8), '▓');
        assert_eq!(shade(8, 8), '█');
    }

    #[test]
    fn heatmap_has_a_row_per_weekday_and_a_column_per_week_within_80_columns() {
        let today: NaiveDate = "2026-11-22".parse().unwrap(); // a Sunday
        let text = heatmap("H", today, 16, |d| u32::from(d == today) * 3, plain());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 1 + 7 + 1);
        let sunday = lines[8];
        assert!(sunday.starts_with("Sun "));
        assert_eq!(
            sunday
                .chars()
                .filter(|c| *c == '·' || SHADES.contains(c))
                .count(),
            16
        );
        assert!(sunday.ends_with('█'));
        assert!(text.lines().all(|l| l.chars().count() <= 80));
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn a_month_label_sits_over_the_first_week_whose_monday_is_in_that_month() {
        // 16 weeks up to Monday 2026-12-14 start on Monday 2026-08-31; the first
        // Monday of September is 09-07, the second column.
        let today: NaiveDate = "2026-12-14".parse().unwrap();
        let text = heatmap("H", today, 16, |_| 0, plain());
        let header = text.lines().nth(1).unwrap();
        let column = |label: &str| header.find(label).map(|i| header[..i].chars().count());
        assert_eq!(column("Sep"), Some(4 + 2));
        assert_eq!(column("Oct"), Some(4 + 2 * 5)); // 10-05
        assert_eq!(column("Nov"), Some(4 + 2 * 9)); // 11-02
        assert_eq!(column("Dec"), Some(4 + 2 * 14)); // 12-07
                                                     // August has only its last week here and no room for a label.
        assert_eq!(column("Aug"), None);
        // When the second week is in the same month, the first column is labelled.
        let text = heatmap("H", "2026-11-22".parse().unwrap(), 16, |_| 0, plain());
        let header = text.lines().nth(1).unwrap();
        assert!(header.starts_with("    Aug"), "{header}"); // 08-03
    }

    #[test]
    fn heatmap_stops_at_today_in_the_current_week() {
        let today: NaiveDate = "2026-11-18".parse().unwrap(); // a Wednesday
        let text = heatmap("H", today, 2, |_| 0, plain());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "Mon · ·");
        assert_eq!(lines[4], "Wed · ·");
        // Thursday of this week has not come yet: only last week's cell.
        assert_eq!(lines[5], "    ·");
    }
}

//! The `class --html` page: one self-contained file, no script and nothing fetched
//! (a Content-Security-Policy says so to the browser too), charts in inline SVG and
//! CSS, printable on A4 and readable on a phone. Every text from a report is escaped.

use super::class::{ago, interview, out_of_rubric, rehearsal, share};
use super::plural;
use crate::class::{Class, ClassDeck, HardCard, Learner};
use std::fmt::Write as _;

/// `text` safe inside HTML text and quoted attributes; characters a terminal or a
/// browser could act on (controls, bidi overrides) shown as `\u{..}` escapes.
pub fn escape(text: &str) -> String {
    let text = super::text::sanitize_field(text);
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root{--ink:#1d2430;--dim:#5b6472;--line:#d9dde3;--bar:#2f7d4f;--bg:#fff;--h0:#ebedf0;--h1:#c6e48b;--h2:#7bc96f;--h3:#239a3b;--h4:#196127}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:16px;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.15em;margin:1.4em 0 .3em}
p.note,.dim{color:var(--dim)}
table{border-collapse:collapse;width:100%}
th,td{padding:4px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
th{font-size:.85em;color:var(--dim);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.name{font-weight:600;overflow-wrap:anywhere}
td.nw{white-space:nowrap}
.bar{display:inline-block;vertical-align:middle;width:90px;height:10px;background:var(--h0);border-radius:2px;overflow:hidden}
.bar>span{display:block;height:100%;background:var(--bar)}
.pct{display:inline-block;min-width:3.2em;text-align:right;margin-left:4px;font-variant-numeric:tabular-nums}
svg.heat{width:96px;height:84px;display:block}
svg.heat rect{width:.84px;height:.84px;fill:var(--h0)}
svg.heat .h1{fill:var(--h1)}svg.heat .h2{fill:var(--h2)}svg.heat .h3{fill:var(--h3)}svg.heat .h4{fill:var(--h4)}
.front{overflow-wrap:anywhere;unicode-bidi:isolate}
.name{unicode-bidi:isolate}
.id{display:block;font:12px ui-monospace,monospace;color:var(--dim);overflow-wrap:anywhere}
.flag{display:inline-block;font-size:.75em;padding:0 4px;border:1px solid #b5523b;color:#b5523b;border-radius:3px}
.legend{font-size:.85em;color:var(--dim)}
.legend i{display:inline-block;width:10px;height:10px;margin:0 2px;vertical-align:middle}
@media (max-width:640px){
 body{padding:8px;font-size:15px}
 table.learners thead{display:none}
 table.learners,table.learners tbody,table.learners tr,table.learners td{display:block;width:100%}
 table.learners tr{border:1px solid var(--line);border-radius:6px;margin:0 0 10px;padding:6px}
 table.learners td{border:0;padding:2px 0;text-align:left}
 table.learners td::before{content:attr(data-label);display:inline-block;min-width:7.5em;color:var(--dim);font-size:.85em}
 table.learners td.name::before{display:none}
 table.learners td.heat svg{display:inline-block;vertical-align:top}
 table.hard th:nth-child(5),table.hard td:nth-child(5),table.hard th:nth-child(7),table.hard td:nth-child(7){display:none}
}
@page{size:A4;margin:12mm}
@media print{
 body{max-width:none;padding:0;font-size:9.5pt}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 tr{break-inside:avoid}
 h2{break-after:avoid}
 svg.heat{width:64px;height:56px}
}
"#;

/// The whole page.
pub fn class_page(class: &Class) -> String {
    let mut page = String::with_capacity(4096 + class.learners.len() * 2500);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<title>prepdeck class, {today}</title>\n<style>{STYLE}</style></head>\n<body>\n\
<header><h1>Class of {count}</h1><p class=\"note\">{summary}</p></header>\n",
        today = class.today,
        count = plural(class.learners.len(), "learner"),
        summary = escape(&summary(class)),
    );
    learners_table(&mut page, class);
    let (hard, calm): (Vec<&ClassDeck>, Vec<&ClassDeck>) =
        class.decks.iter().partition(|d| !d.hardest.is_empty());
    for deck in hard {
        deck_section(&mut page, deck);
    }
    if !calm.is_empty() {
        let ids: Vec<&str> = calm.iter().map(|d| d.id.as_str()).collect();
        let _ = writeln!(
            page,
            "<p class=\"note\" id=\"calm-decks\">No card with lapses, failed answers or re-drills yet: {}</p>",
            escape(&ids.join(", "))
        );
    }
    if !class.unknown_decks.is_empty() {
        let _ = writeln!(
            page,
            "<p class=\"note\" id=\"unknown-decks\">Not installed here (cards shown by id): {}</p>",
            escape(&class.unknown_decks.join(", "))
        );
    }
    page.push_str(
        "<footer><p class=\"note\">Made by prepdeck class from the learners' own reports. \
Readiness: cards last answered 4 or 5 and not overdue. Due: cards due or overdue on the day of the report.</p></footer>\n</body></html>\n",
    );
    page
}

fn summary(class: &Class) -> String {
    let mut shares: Vec<f64> = class.learners.iter().map(|l| l.readiness_share).collect();
    shares.sort_by(f64::total_cmp);
    let median = shares.get(shares.len() / 2).copied();
    let soon = class
        .learners
        .iter()
        .filter(|l| l.days_left.is_some_and(|d| (0..=14).contains(&d)))
        .count();
    format!(
        "On {}: median readiness {}; {} in the next 14 days.",
        class.today,
        share(median),
        plural(soon, "interview")
    )
}

fn learners_table(page: &mut String, class: &Class) {
    page.push_str(
        "<section id=\"learners\"><h2>Learners</h2>\n<table class=\"learners\"><thead><tr>\
<th>Learner</th><th>Last active</th><th class=\"num\">Streak</th><th>Readiness</th>\
<th class=\"num\">Due</th><th>Interview</th><th class=\"num\">Rehearsal</th><th>Last 8 weeks</th>\
</tr></thead><tbody>\n",
    );
    for l in &class.learners {
        learner_row(page, l, class.today);
    }
    page.push_str(
        "</tbody></table>\n<p class=\"legend\">Last 8 weeks: a column per week, oldest left, today at the bottom right; answers a day \
<i style=\"background:var(--h0)\"></i>0 <i style=\"background:var(--h1)\"></i>1-9 \
<i style=\"background:var(--h2)\"></i>10-19 <i style=\"background:var(--h3)\"></i>20-39 \
<i style=\"background:var(--h4)\"></i>40+</p></section>\n",
    );
}

fn learner_row(page: &mut String, l: &Learner, today: chrono::NaiveDate) {
    let name = escape(&l.name);
    let percent = (l.readiness_share.clamp(0.0, 1.0) * 100.0).round();
    let _ = write!(
        page,
        "<tr class=\"learner\"><td class=\"name\" data-label=\"Learner\">{name}</td>\
<td class=\"nw\" data-label=\"Last active\">{active}</td><td class=\"num nw\" data-label=\"Streak\">{streak}</td>\
<td class=\"nw\" data-label=\"Readiness\"><span class=\"bar readiness\" role=\"img\" aria-label=\"{percent}% ready\"><span style=\"width:{percent}%\"></span></span>\
<span class=\"pct\">{percent}%</span> <span class=\"dim\">{ready}/{cards}</span></td>\
<td class=\"num\" data-label=\"Due\">{due}</td><td data-label=\"Interview\">{interview}</td>\
<td class=\"num nw\" data-label=\"Rehearsal\"{rehearsal}</td><td class=\"heat\" data-label=\"Last 8 weeks\">",
        active = ago(l.last_active, today),
        streak = plural(l.streak_days, "day"),
        ready = l.readiness.ready,
        cards = l.readiness.cards,
        due = l.due,
        interview = interview(l),
        rehearsal = rehearsal_cell(l, today),
    );
    heatmap(page, l, &name);
    page.push_str("</td></tr>\n");
}

/// The rest of the rehearsal cell's opening tag and its content: the latest day's best
/// score and median time, when it was, and the day's median score on hover.
fn rehearsal_cell(l: &Learner, today: chrono::NaiveDate) -> String {
    let (Some(day), Some(median)) = (l.rehearsal_date, l.rehearsal_median_score) else {
        return format!(">{}", rehearsal(l));
    };
    format!(
        " title=\"best {best}, median {median} of the day's rehearsals; {total} in 8 weeks\">\
<span class=\"rehearsal\">{shown}</span><br><span class=\"dim\">{when}</span>",
        best = l.rehearsal_score.map_or_else(|| "–".into(), out_of_rubric),
        median = out_of_rubric(median),
        total = plural(l.rehearsals, "rehearsal"),
        shown = rehearsal(l),
        when = ago(Some(day), today),
    )
}

/// Eight columns of seven days, oldest first, today last; the shade by answers that day.
fn heatmap(page: &mut String, l: &Learner, name: &str) {
    let total: u64 = l.activity.iter().map(|&n| u64::from(n)).sum();
    let active = l.activity.iter().filter(|&&n| n > 0).count();
    let _ = write!(
        page,
        "<svg class=\"heat\" viewBox=\"0 0 8 7\" role=\"img\"><title>{name}: {} on {} of the last 56 days</title>",
        plural(total, "answer"),
        active
    );
    for (i, &n) in l.activity.iter().enumerate() {
        let (x, y) = (i / 7, i % 7);
        let level = match n {
            0 => 0,
            1..=9 => 1,
            10..=19 => 2,
            20..=39 => 3,
            _ => 4,
        };
        if level == 0 {
            let _ = write!(page, "<rect x=\"{x}\" y=\"{y}\"/>");
        } else {
            let _ = write!(page, "<rect x=\"{x}\" y=\"{y}\" class=\"h{level}\"/>");
        }
    }
    page.push_str("</svg>");
}

fn deck_section(page: &mut String, deck: &ClassDeck) {
    let mut notes = vec![plural(deck.learners, "learner")];
    if deck.other_version > 0 {
        notes.push(format!("{} on another version", deck.other_version));
    }
    if !deck.installed {
        notes.push("not installed here: cards shown by id".into());
    }
    let _ = writeln!(
        page,
        "<section class=\"deck\"><h2>Hardest cards: <bdi>{title}</bdi> <span class=\"id\">{id}</span></h2>\
<p class=\"note\">{notes}</p>",
        title = escape(&deck.title),
        id = escape(&deck.id),
        notes = escape(&notes.join(", ")),
    );
    page.push_str(
        "<table class=\"hard\"><thead><tr><th>Card</th><th class=\"num\">Lapses</th>\
<th class=\"num\">Failed (&lt;3)</th><th class=\"num\">Re-drills</th><th class=\"num\">Failing now</th>\
<th class=\"num\">Last grade low / mean</th><th class=\"num\">Learners</th></tr></thead><tbody>\n",
    );
    for card in &deck.hardest {
        hard_row(page, card);
    }
    page.push_str("</tbody></table></section>\n");
}

fn hard_row(page: &mut String, card: &HardCard) {
    let front = match (&card.front, card.retired) {
        (Some(front), _) => format!("<span class=\"front\">{}</span>", escape(front)),
        (None, true) => "<span class=\"flag\">retired</span> not in your copy of the deck".into(),
        (None, false) => String::new(),
    };
    let _ = writeln!(
        page,
        "<tr class=\"card\"><td>{front}<span class=\"id\">{id}</span></td><td class=\"num\">{lapses}</td>\
<td class=\"num\">{below}</td><td class=\"num\">{redrills}</td><td class=\"num\">{failing}</td>\
<td class=\"num\">{low} / {mean}</td><td class=\"num\">{learners}</td></tr>",
        id = escape(&card.id),
        lapses = card.lapses,
        below = card.below_3,
        redrills = card.redrills,
        failing = card.failing_now,
        low = card
            .lowest_last_grade
            .map_or_else(|| "–".to_owned(), |g| g.to_string()),
        mean = card
            .mean_last_grade
            .map_or_else(|| "–".to_owned(), |m| format!("{m:.1}")),
        learners = card.learners,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_terminal_controls_come_out_as_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("a\u{1b}[31mb\u{202e}"), "a\\u{1b}[31mb\\u{202e}");
    }
}

#!/usr/bin/env python3
"""`prepdeck class` at scale: N learner reports of C cards each (default 500 x 200).

Generates the reports (seeded, valid against docs/report.schema.json: the built-in decks'
card ids taken from `prepdeck cards --json`, plus two retired ids and one deck the coach
does not have), then times `class DIR`, `class DIR --json` and `class DIR --html FILE`
as whole processes (median of --runs after one warm-up) and prints the page's size.
Targets (issue #18): under 1 s, and the page under 2 MB.

    cargo build --release --locked --bin prepdeck
    python3 benches/class_bench.py --bin target/release/prepdeck --work /tmp/pd-class
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import time

NOW = "2026-11-22T09:00:00+00:00"
TODAY = dt.date(2026, 11, 22)


def card_ids(binary, data):
    out = subprocess.run(
        [binary, "--data-dir", data, "cards", "--json"],
        check=True, capture_output=True, env=env(), text=True,
    ).stdout
    decks = {}
    for card in json.loads(out):
        decks.setdefault(card["deck"], []).append(card["id"])
    return decks


def env():
    e = dict(os.environ)
    e.update(TZ="UTC", PREPDECK_NOW=NOW, NO_COLOR="1")
    return e


def report(rng, i, decks, cards):
    """One learner's report with `cards` answered cards over the decks."""
    ids = [(deck, card) for deck, cs in decks.items() for card in cs]
    ids += [("why-they-ask", "retired-one"), ("why-they-ask", "retired-two")]
    ids += [("coach-only", f"c{k}") for k in range(max(0, cards - len(ids)))]
    ids = ids[:cards]
    by_deck = {}
    for deck, card in ids:
        due = TODAY + dt.timedelta(days=rng.randint(-5, 30))
        grade = rng.choice([0, 1, 2, 3, 4, 4, 5, 5])
        by_deck.setdefault(deck, []).append({
            "id": card, "reps": rng.randint(0, 8), "lapses": rng.choice([0, 0, 0, 1, 2, 3]),
            "ef": round(rng.uniform(1.3, 2.8), 2), "interval": rng.randint(1, 60),
            "due": due.isoformat(), "last_grade": grade,
            "last_review": (TODAY - dt.timedelta(days=rng.randint(0, 20))).isoformat() + "T08:30:00Z",
            "below_3": rng.choice([0, 0, 1, 2, 4]), "redrills": rng.choice([0, 0, 1, 3]),
        })
    deck_reports = []
    for deck, progress in by_deck.items():
        n = len(decks.get(deck, progress))
        seen = len(progress)
        mature = sum(1 for c in progress if c["interval"] >= 21)
        ready = sum(1 for c in progress if c["last_grade"] >= 4)
        deck_reports.append({
            "id": deck, "title": deck.replace("-", " ").title(),
            "content_hash": "fnv1a64:%016x" % rng.getrandbits(64),
            "cards": max(n, seen), "seen": seen, "young": seen - mature, "mature": mature,
            "due": sum(1 for c in progress if c["due"] <= TODAY.isoformat()),
            "retention_30d": round(rng.uniform(0.5, 1.0), 3),
            "readiness": {"ready": ready, "cards": max(n, seen)},
            "streak_days": rng.randint(0, 20), "last_active": TODAY.isoformat(),
            "card_progress": progress,
        })
    activity = [
        {"date": (TODAY - dt.timedelta(days=d)).isoformat(), "answers": rng.randint(1, 80)}
        for d in range(56) if rng.random() < 0.6
    ]
    cards_total = sum(d["cards"] for d in deck_reports)
    ready_total = sum(d["readiness"]["ready"] for d in deck_reports)
    r = {
        "format": "prepdeck-report", "format_version": 1, "prepdeck_version": "0.1.0",
        "name": f"Learner {i:03d}", "generated_at": "2026-11-22T08:00:00Z",
        "date": TODAY.isoformat(), "time_zone": "UTC",
        "streak_days": rng.randint(0, 30), "last_active": TODAY.isoformat(),
        "readiness": {"ready": ready_total, "cards": cards_total},
        "activity": sorted(activity, key=lambda a: a["date"]), "decks": deck_reports,
    }
    if i % 3 == 0:
        r["interview"] = (TODAY + dt.timedelta(days=rng.randint(1, 40))).isoformat()
    if i % 4 == 0:
        r["rehearsals"] = [{"date": TODAY.isoformat(), "count": 3, "median_seconds": 75.0,
                            "score": 0.8, "median_score": 0.7}]
    return r


def timed(cmd, runs):
    subprocess.run(cmd, check=True, capture_output=True, env=env())
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env())
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default="target/release/prepdeck")
    p.add_argument("--work", default="/tmp/prepdeck-class-bench")
    p.add_argument("--learners", type=int, default=500)
    p.add_argument("--cards", type=int, default=200)
    p.add_argument("--runs", type=int, default=7)
    a = p.parse_args()
    data = os.path.join(a.work, "coach-data")
    reports = os.path.join(a.work, f"reports-{a.learners}x{a.cards}")
    os.makedirs(data, exist_ok=True)
    if not os.path.isdir(reports):
        os.makedirs(reports)
        rng = random.Random(18)
        decks = card_ids(a.bin, data)
        for i in range(a.learners):
            with open(os.path.join(reports, f"learner-{i:03d}.json"), "w") as f:
                json.dump(report(rng, i, decks, a.cards), f, indent=2)
    size = sum(os.path.getsize(os.path.join(reports, f)) for f in os.listdir(reports))
    print(f"{a.learners} reports of {a.cards} cards: {size / 1e6:.1f} MB of JSON in {reports}")
    base = [a.bin, "--data-dir", data, "class", reports]
    page = os.path.join(a.work, "class.html")
    for label, cmd in [
        ("class DIR (terminal)", base),
        ("class DIR --json", base + ["--json"]),
        ("class DIR --html FILE", base + ["--html", page]),
    ]:
        med, lo, hi = timed(cmd, a.runs)
        print(f"{label:<24} median {med * 1000:7.1f} ms  (min {lo * 1000:.1f}, max {hi * 1000:.1f}, {a.runs} runs)")
    print(f"HTML page: {os.path.getsize(page) / 1e6:.2f} MB ({os.path.getsize(page):,} bytes)")


if __name__ == "__main__":
    main()

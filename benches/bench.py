#!/usr/bin/env python3
"""Whole-process benchmark of prepdeck on generated collections.

Run through benches/run.sh, which builds the release binary and the generator first.
Standard library only (Python 3.11). Every figure is a whole process started from
scratch: wall time from spawn to the event, median over --runs runs (after one warm-up
run), and the peak resident set size of the process (GNU time's %M).

Commands that write (review, import) run on a fresh copy of the data directory each
time; read-only commands run on the generated directory itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

NOW = "2026-11-22T09:00:00+00:00"
DECKS = 20
REVIEWS_PER_CARD = 10
IMPORT_CARDS = 10_000
PENDING = "pending: commands land with issue 4"


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("PREPDECK_")}
    e.update({"TZ": "UTC", "PREPDECK_NOW": NOW, "NO_COLOR": "1", "LC_ALL": "C"})
    return e


# Peak memory comes from GNU time, not from os.wait4: Linux carries the parent's high-water
# RSS across fork and exec into the child's ru_maxrss, so a child forked from this Python
# process would report at least Python's own ~15 MiB. GNU time is tiny, and it adds well
# under a millisecond to a start-up (see the "spawn overhead" row).
TIME = "/usr/bin/time"


class Proc:
    """A prepdeck process with piped stdin/stdout, read without Python-side buffering."""

    def __init__(self, argv: list[str], stdin: bool) -> None:
        self.rss_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"prepdeck-bench-rss-{os.getpid()}"
        self.start = time.perf_counter_ns()
        self.p = subprocess.Popen(
            [TIME, "-f", "%M", "-o", str(self.rss_file), *argv],
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env(),
            bufsize=0,
        )
        self.buf = bytearray()

    def wait_for(self, marker: bytes, start: int = 0) -> int:
        """Reads stdout until `marker` appears at or after `start`; returns its index."""
        assert self.p.stdout is not None
        while True:
            i = self.buf.find(marker, start)
            if i >= 0:
                return i
            chunk = os.read(self.p.stdout.fileno(), 1 << 16)
            if not chunk:
                err = self.p.stderr.read().decode(errors="replace") if self.p.stderr else ""
                raise RuntimeError(f"end of output before {marker!r}; stderr: {err}")
            self.buf += chunk

    def send(self, text: str) -> None:
        assert self.p.stdin is not None
        self.p.stdin.write(text.encode())

    def finish(self) -> tuple[int, int]:
        """Closes stdin, drains output, reaps the process: (exit ns after spawn, peak KiB)."""
        if self.p.stdin is not None and not self.p.stdin.closed:
            self.p.stdin.close()
        assert self.p.stdout is not None and self.p.stderr is not None
        while os.read(self.p.stdout.fileno(), 1 << 16):
            pass
        err = self.p.stderr.read()
        code = self.p.wait()
        end = time.perf_counter_ns()
        if code != 0:
            raise RuntimeError(f"exit {code}: {err.decode(errors='replace')}")
        rss = int(self.rss_file.read_text().split()[-1])
        return end - self.start, rss


def run_once(argv: list[str]) -> tuple[float, int]:
    """(ms from spawn to exit, peak KiB) of a command with output to a pipe that is drained."""
    proc = Proc(argv, stdin=False)
    ns, rss = proc.finish()
    return ns / 1e6, rss


def fresh_copy(src: Path, dst: Path, snapshot: bool = True) -> Path:
    """A data directory review may write to: the log is copied (it is appended to), the
    decks and snapshot are hard links (decks are only read; the snapshot is replaced by
    rename, which leaves the original untouched)."""
    if dst.exists():
        shutil.rmtree(dst)
    (dst / "decks").mkdir(parents=True)
    for deck in (src / "decks").iterdir():
        os.link(deck, dst / "decks" / deck.name)
    shutil.copyfile(src / "reviews.jsonl", dst / "reviews.jsonl")
    if snapshot and (src / "state.json").exists():
        os.link(src / "state.json", dst / "state.json")
    return dst


def median(xs: list[float]) -> float:
    return statistics.median(xs)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.bin = str(Path(args.bin).resolve())
        self.work = Path(args.work)
        self.rows: list[dict] = []
        self.overhead = 0.0
        self.has_import = self.has_command("import")
        self.has_check = self.has_command("check")

    def has_command(self, name: str) -> bool:
        r = subprocess.run(
            [self.bin, name, "--help"], env=env(), capture_output=True, check=False
        )
        return r.returncode == 0

    def record(self, size: int, what: str, ms: list[float], rss: list[int], note: str = "") -> None:
        row = {
            "cards": size,
            "what": what,
            "median_ms": round(median(ms), 2) if ms else None,
            "min_ms": round(min(ms), 2) if ms else None,
            "max_ms": round(max(ms), 2) if ms else None,
            "runs": len(ms),
            "peak_rss_mib": round(max(rss) / 1024, 1) if rss else None,
            "note": note,
        }
        self.rows.append(row)
        if ms:
            print(
                f"  {what:<34} median {row['median_ms']:>9.2f} ms"
                f"  (min {row['min_ms']:.2f}, max {row['max_ms']:.2f}, n={len(ms)})"
                f"  peak {row['peak_rss_mib']:>6.1f} MiB {note}",
                flush=True,
            )
        else:
            print(f"  {what:<34} {note}", flush=True)

    def repeat(self, fn, runs: int) -> tuple[list[float], list[int]]:
        fn()  # warm-up: page cache, binary
        ms, rss = [], []
        for _ in range(runs):
            t, r = fn()
            ms.append(t)
            rss.append(r)
        return ms, rss

    # --- measurements -------------------------------------------------------------

    def readonly(self, size: int, data: Path, label: str, args: list[str]) -> None:
        argv = [self.bin, "--data-dir", str(data), *args]
        ms, rss = self.repeat(lambda: run_once(argv), self.args.runs)
        self.record(size, label, ms, rss)

    def first_card(self, size: int, data: Path, label: str, snapshot: bool) -> None:
        copy = self.work / "copy"

        def once() -> tuple[float, int]:
            fresh_copy(data, copy, snapshot)
            proc = Proc([self.bin, "--data-dir", str(copy), "review"], stdin=True)
            proc.wait_for(b"[1/")
            t = (time.perf_counter_ns() - proc.start) / 1e6
            proc.send("q\n")
            _, rss = proc.finish()
            return t, rss

        ms, rss = self.repeat(once, self.args.runs)
        self.record(size, label, ms, rss)

    def per_answer(self, size: int, data: Path) -> None:
        """Drives one session per run: reveal, then time from writing the grade to the
        next card's header (SM-2, log append, fdatasync, next prompt). Also times the
        end of the session: from `q` to exit, which saves the snapshot."""
        copy = self.work / "copy"
        answers = self.args.answers
        per_run_medians: list[float] = []
        pooled: list[float] = []
        quit_ms: list[float] = []
        rss_all: list[int] = []
        for run in range(self.args.runs + 1):
            fresh_copy(data, copy)
            proc = Proc([self.bin, "--data-dir", str(copy), "review"], stdin=True)
            pos = proc.wait_for(b"[1/")
            header_end = proc.wait_for(b"]", pos)
            total = int(proc.buf[pos + 3 : header_end])
            n = min(answers, total - 1)
            times = []
            for k in range(1, n + 1):
                proc.send("\n")
                legend = proc.wait_for(b"Grade 0-5 (", pos)
                proc.wait_for(b"> ", legend)
                t0 = time.perf_counter_ns()
                proc.send("4\n")
                pos = proc.wait_for(f"[{k + 1}/".encode(), legend)
                times.append((time.perf_counter_ns() - t0) / 1e6)
            t0 = time.perf_counter_ns()
            proc.send("q\n")
            _, rss = proc.finish()
            q = (time.perf_counter_ns() - t0) / 1e6
            if run == 0:
                continue  # warm-up
            per_run_medians.append(median(times))
            pooled.extend(times)
            quit_ms.append(q)
            rss_all.append(rss)
        pooled.sort()
        p90 = pooled[int(0.9 * (len(pooled) - 1))]
        self.record(
            size,
            f"per answer ({n} answers/run)",
            per_run_medians,
            rss_all,
            f"p90 {p90:.2f} ms over {len(pooled)} answers",
        )
        self.record(size, "end of session (q to exit)", quit_ms, rss_all)

    def import_deck(self, size: int, data: Path, deck: Path) -> None:
        if not self.has_import:
            self.record(size, "import 10,000-card deck", [], [], PENDING)
            return
        copy = self.work / "copy"

        def once() -> tuple[float, int]:
            fresh_copy(data, copy)
            return run_once([self.bin, "--data-dir", str(copy), "import", str(deck)])

        ms, rss = self.repeat(once, self.args.runs)
        self.record(size, "import 10,000-card deck", ms, rss)

    def check_deck(self, size: int, data: Path, deck: Path) -> None:
        if not self.has_check:
            self.record(size, "check 10,000-card deck", [], [], PENDING)
            return
        self.readonly(size, data, "check 10,000-card deck", ["check", str(deck)])

    # --- driver -------------------------------------------------------------------

    def generate(self, size: int) -> Path:
        data = self.work / f"collection-{size}"
        if not data.exists():
            tmp = self.work / f"collection-{size}.partial"
            if tmp.exists():
                shutil.rmtree(tmp)
            subprocess.run(
                [
                    self.args.gen,
                    "--cards", str(size),
                    "--reviews-per-card", str(REVIEWS_PER_CARD),
                    "--decks", str(DECKS),
                    "--now", NOW,
                    "--out", str(tmp),
                ],
                check=True,
            )
            tmp.rename(data)
        return data

    def import_file(self) -> Path:
        deck = self.work / "import-10k.json"
        if not deck.exists():
            subprocess.run(
                [
                    self.args.gen,
                    "--deck-file", str(deck),
                    "--deck-file-cards", str(IMPORT_CARDS),
                ],
                check=True,
            )
        return deck

    def run(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        deck = self.import_file()
        for size in self.args.sizes:
            data = self.generate(size)
            lines = sum(1 for _ in open(data / "reviews.jsonl", "rb"))
            print(f"\n== {size} cards, {lines} log lines", flush=True)
            if size == self.args.sizes[0]:
                ms, rss = self.repeat(lambda: run_once(["true"]), self.args.runs)
                self.overhead = median(ms)
                print(f"  spawn overhead (`time true`): median {self.overhead:.2f} ms", flush=True)
            self.first_card(size, data, "review: first card on screen", True)
            self.first_card(size, data, "review: first card, no snapshot", False)
            self.readonly(size, data, "stats", ["stats"])
            self.readonly(size, data, "stats --json", ["stats", "--json"])
            self.readonly(size, data, "cards --due --json", ["cards", "--due", "--json"])
            self.readonly(size, data, "decks", ["decks"])
            cold = fresh_copy(data, self.work / "cold", snapshot=False)
            self.readonly(size, cold, "stats, no snapshot", ["stats"])
            self.per_answer(size, data)
            self.import_deck(size, data, deck)
            self.check_deck(size, data, deck)
        for d in ("copy", "cold"):
            shutil.rmtree(self.work / d, ignore_errors=True)

    def report(self) -> str:
        sizes = self.args.sizes
        whats: list[str] = []
        for row in self.rows:
            if row["what"] not in whats:
                whats.append(row["what"])
        head = "| measurement | " + " | ".join(f"{s:,} cards" for s in sizes) + " |"
        lines = [head, "|---" * (len(sizes) + 1) + "|"]
        for what in whats:
            cells = []
            for s in sizes:
                row = next((r for r in self.rows if r["cards"] == s and r["what"] == what), None)
                if row is None:
                    cells.append("")
                elif row["median_ms"] is None:
                    cells.append(row["note"])
                else:
                    cells.append(f"{row['median_ms']:.1f} ms / {row['peak_rss_mib']:.0f} MiB")
            lines.append(f"| {what} | " + " | ".join(cells) + " |")
        lines.append("")
        lines.append(
            f"Each cell: median wall time / peak RSS. Starting a process under GNU time "
            f"(`/usr/bin/time true`) takes {self.overhead:.2f} ms here; it is included."
        )
        return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/prepdeck")
    ap.add_argument("--gen", default="target/release/examples/gen_collection")
    ap.add_argument("--work", default="/tmp/prepdeck-bench", help="generated data goes here")
    ap.add_argument("--sizes", default="1000,20000,100000",
                    type=lambda s: [int(x) for x in s.split(",")])
    ap.add_argument("--runs", type=int, default=7, help="measured runs per figure (>= 5)")
    ap.add_argument("--answers", type=int, default=50, help="answers timed per review session")
    ap.add_argument("--json", help="also write every row as JSON to this file")
    args = ap.parse_args()
    if args.runs < 5:
        ap.error("--runs must be at least 5")
    bench = Bench(args)
    print(f"prepdeck benchmark: {platform.platform()}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    bench.run()
    table = bench.report()
    print("\n" + table)
    if args.json:
        Path(args.json).write_text(json.dumps(bench.rows, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())

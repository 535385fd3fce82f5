#!/usr/bin/env python3
"""Whole-process benchmark of prepdeck on generated collections.

Run through benches/run.sh, which builds the release binary and the generator first.
Standard library only (Python 3.11). Every figure is a whole process started from
scratch: wall time from spawn to the event, median over --runs runs (after one warm-up
run), the peak resident set size of the process (GNU time's %M, the largest over the
runs) and its CPU time, user plus system (median), which shows how much of a wall time
the second core absorbed.

Commands that write (review, import) run on a fresh copy of the data directory each
time; read-only commands run on the generated directory itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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
PENDING = "not in this build"


# An interview 23 days after NOW: every card of every deck is planned.
PLAN_DATE = "2026-12-15"


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

    def finish(self) -> tuple[int, int, float]:
        """Closes stdin, drains output, reaps the process: (exit ns after spawn, peak KiB,
        CPU ms)."""
        if self.p.stdin is not None and not self.p.stdin.closed:
            self.p.stdin.close()
        assert self.p.stdout is not None and self.p.stderr is not None
        while os.read(self.p.stdout.fileno(), 1 << 16):
            pass
        err = self.p.stderr.read()
        # wait4 rather than wait: the rusage of GNU time includes the prepdeck it waited
        # for, to the microsecond (GNU time's own %U/%S only has centiseconds).
        _, status, usage = os.wait4(self.p.pid, 0)
        end = time.perf_counter_ns()
        code = os.waitstatus_to_exitcode(status)
        self.p.returncode = code
        if code != 0:
            raise RuntimeError(f"exit {code}: {err.decode(errors='replace')}")
        rss = int(self.rss_file.read_text().split()[-1])
        return end - self.start, rss, (usage.ru_utime + usage.ru_stime) * 1000


def run_once(argv: list[str]) -> tuple[float, int, float]:
    """(ms from spawn to exit, peak KiB, CPU ms) of a command with output to a pipe that
    is drained."""
    proc = Proc(argv, stdin=False)
    ns, rss, cpu = proc.finish()
    return ns / 1e6, rss, cpu


def fresh_copy(
    src: Path, dst: Path, snapshot: bool = True, index: bool = True, own_decks: bool = False
) -> Path:
    """A data directory review may write to: the log is copied (it is appended to), the
    snapshot is a hard link (it is replaced by rename, which leaves the original
    untouched), and `decks/` is a symbolic link to the original's, so the deck files keep
    the inode and change time the deck index recorded (a hard link would change the
    change time); the deck index is copied. With `own_decks` (for `import`, which writes
    a deck) the deck files are hard links in a directory of the copy's own."""
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    if own_decks:
        (dst / "decks").mkdir()
        for deck in (src / "decks").iterdir():
            os.link(deck, dst / "decks" / deck.name)
    else:
        os.symlink((src / "decks").resolve(), dst / "decks")
    if index and (src / "deck-index.json").exists():
        shutil.copyfile(src / "deck-index.json", dst / "deck-index.json")
    shutil.copyfile(src / "reviews.jsonl", dst / "reviews.jsonl")
    if snapshot and (src / "state.json").exists():
        os.link(src / "state.json", dst / "state.json")
    # The copied log (217 MB at 100,000 cards) is written back to disk now, not while the
    # next process is timed: background writeback competed with its fsyncs and its CPU.
    fd = os.open(dst / "reviews.jsonl", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return dst


def median(xs: list[float]) -> float:
    return statistics.median(xs)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.bin = str(Path(args.bin).resolve())
        # With --ab, every figure is measured for both builds, their runs alternating
        # (A B B A ...), on the same collection; rows carry "build": "A" or "B".
        self.bins = [self.bin] + ([str(Path(args.ab).resolve())] if args.ab else [])
        self.only = re.compile(args.only) if args.only else None
        self.other = None
        self.work = Path(args.work)
        self.rows: list[dict] = []
        self.overhead = 0.0
        self.cores: dict[int, tuple[float, float]] = {}
        self.has_import = self.has_command("import")
        self.has_check = self.has_command("check")

    def has_command(self, name: str) -> bool:
        r = subprocess.run(
            [self.bin, name, "--help"], env=env(), capture_output=True, check=False
        )
        return r.returncode == 0

    def wanted(self, what: str) -> bool:
        """False for a row that --only leaves out."""
        return self.only is None or bool(self.only.search(what))

    def src(self, data: Path) -> Path:
        """The collection the current build runs on: with --ab-own-snapshot, build B's
        own copy (`collection-N-B`), whose snapshot B has rewritten in its own format."""
        own = data.with_name(data.name + "-B")
        if self.args.ab_own_snapshot and self.build() == "B" and own.exists():
            return own
        return data

    def prepare_b(self, data: Path) -> None:
        """Makes `collection-N-B` for --ab-own-snapshot: the same decks (a symbolic
        link), deck index and log, and the snapshot as build B leaves it after a session
        that answered nothing (a build that reads an older snapshot format rewrites it
        then, once)."""
        own = data.with_name(data.name + "-B")
        if own.exists():
            # The import rows hard-link the deck files, which changes their change time:
            # an index B wrote before no longer matches, and every run would rebuild it.
            self.prime_index(own, self.bins[1])
            return
        tmp = data.with_name(data.name + "-B.partial")
        fresh_copy(data, tmp)
        os.unlink(tmp / "state.json")
        shutil.copyfile(data / "state.json", tmp / "state.json")
        answer_then_quit(self.bins[1], tmp, 0)
        tmp.rename(own)

    def build(self) -> str:
        """Which build `self.bin` is: "A" (--bin) or "B" (--ab)."""
        return "AB"[self.bins.index(self.bin)]

    def record(
        self,
        size: int,
        what: str,
        ms: list[float],
        rss: list[int],
        note: str = "",
        cpu: list[float] | None = None,
    ) -> None:
        row = {
            "cards": size,
            "build": self.build(),
            "what": what,
            "median_ms": round(median(ms), 2) if ms else None,
            "min_ms": round(min(ms), 2) if ms else None,
            "max_ms": round(max(ms), 2) if ms else None,
            "runs": len(ms),
            "peak_rss_mib": round(max(rss) / 1024, 1) if rss else None,
            "median_cpu_ms": round(median(cpu), 1) if cpu else None,
            "note": note,
        }
        self.rows.append(row)
        label = f"{what} [{row['build']}]" if len(self.bins) > 1 else what
        if ms:
            cpu_text = f", CPU {row['median_cpu_ms']:.0f} ms" if cpu else ""
            print(
                f"  {label:<36} median {row['median_ms']:>9.2f} ms"
                f"  (min {row['min_ms']:.2f}, max {row['max_ms']:.2f}, n={len(ms)})"
                f"  peak {row['peak_rss_mib']:>6.1f} MiB{cpu_text} {note}",
                flush=True,
            )
        else:
            print(f"  {label:<36} {note}", flush=True)

    def repeat(self, fn, runs: int) -> tuple[list[float], list[int], list[float]]:
        """`runs` timed calls of `fn` after a warm-up. With --ab, for each build, the
        builds alternating run by run (A B, B A, ...); returns build A's figures and
        leaves build B's in `self.other` (`self.bin` is set for each call)."""
        results = {b: ([], [], []) for b in self.bins}
        for b in self.bins:
            self.bin = b
            fn()  # warm-up: page cache, binary
        for i in range(runs):
            for b in self.bins if i % 2 == 0 else self.bins[::-1]:
                self.bin = b
                t, r, c = fn()
                results[b][0].append(t)
                results[b][1].append(r)
                results[b][2].append(c)
        self.bin = self.bins[0]
        self.other = results[self.bins[-1]] if len(self.bins) > 1 else None
        return results[self.bins[0]]

    def record_all(self, size: int, what: str, figures, cpu: bool = False) -> None:
        """Records what `repeat` returned, and build B's figures with --ab."""
        ms, rss, cpus = figures
        self.record(size, what, ms, rss, cpu=cpus if cpu else None)
        if self.other is not None:
            self.bin = self.bins[1]
            ms, rss, cpus = self.other
            self.record(size, what, ms, rss, cpu=cpus if cpu else None)
            self.bin = self.bins[0]

    # --- measurements -------------------------------------------------------------

    def readonly(self, size: int, data: Path, label: str, args: list[str]) -> None:
        if not self.wanted(label):
            return
        figures = self.repeat(
            lambda: run_once([self.bin, "--data-dir", str(self.src(data)), *args]),
            self.args.runs,
        )
        self.record_all(size, label, figures, cpu=True)

    def first_card(
        self,
        size: int,
        data: Path,
        label: str,
        snapshot: bool,
        after_quit: bool = False,
        index: bool = True,
        plan: bool = False,
        after_answers: int = 0,
    ) -> None:
        """Time from spawn to the first card's header (`[1/N]`) on piped input. With
        `after_quit`, a session that answered nothing (review, then q) ran first on the
        copy, as when someone opens review and leaves at once; with `after_answers`, a
        session that answered that many cards (as the next start after a day's study)."""
        if not self.wanted(label):
            return
        copy = self.work / "copy"

        def once() -> tuple[float, int, float]:
            fresh_copy(self.src(data), copy, snapshot, index)
            if plan:
                subprocess.run(
                    [self.bin, "--data-dir", str(copy), "plan", "--interview", PLAN_DATE],
                    check=True, env=env(), stdout=subprocess.DEVNULL,
                )
            if after_quit:
                earlier = Proc([self.bin, "--data-dir", str(copy), "review"], stdin=True)
                earlier.wait_for(b"[1/")
                earlier.send("q\n")
                earlier.finish()
            if after_answers:
                answer_then_quit(self.bin, copy, after_answers)
            proc = Proc([self.bin, "--data-dir", str(copy), "review"], stdin=True)
            proc.wait_for(b"[1/")
            t = (time.perf_counter_ns() - proc.start) / 1e6
            proc.send("q\n")
            _, rss, _ = proc.finish()
            return t, rss, 0.0

        self.record_all(size, label, self.repeat(once, self.args.runs))

    def whole_session(self, size: int, data: Path, label: str, answers: int) -> None:
        """Spawn to exit of a review that answers `answers` cards (fewer when fewer are
        due or new) with a 4 and quits: everything a short session costs, start-up and
        end of session included."""
        if not self.wanted(label):
            return
        copy = self.work / "copy"

        def once() -> tuple[float, int, float]:
            fresh_copy(self.src(data), copy)
            return answer_then_quit(self.bin, copy, answers)

        self.record_all(size, label, self.repeat(once, self.args.runs), cpu=True)

    def per_answer(self, size: int, data: Path) -> None:
        """Drives one session per run: reveal, then time from writing the grade to the
        next card's header (SM-2, log append, fdatasync, next prompt). Also times the
        end of the session: from `q` to exit, which saves the snapshot (when it pays,
        since #20). With --ab the builds' sessions alternate run by run."""
        if not self.wanted("per answer") and not self.wanted("end of session"):
            return
        figures = {b: ([], [], [], []) for b in self.bins}  # medians, pooled, quit, rss
        n = 0
        for run in range(self.args.runs + 1):
            for b in self.bins if run % 2 == 0 else self.bins[::-1]:
                self.bin = b
                n, times, q, rss = self.answer_session(data)
                if run == 0:
                    continue  # warm-up
                medians, pooled, quits, rsss = figures[b]
                medians.append(median(times))
                pooled.extend(times)
                quits.append(q)
                rsss.append(rss)
        for b in self.bins:
            self.bin = b
            medians, pooled, quits, rsss = figures[b]
            pooled.sort()
            p90 = pooled[int(0.9 * (len(pooled) - 1))]
            self.record(
                size,
                f"per answer ({n} answers/run)",
                medians,
                rsss,
                f"p90 {p90:.2f} ms over {len(pooled)} answers",
            )
            self.record(size, "end of session (q to exit)", quits, rsss)
        self.bin = self.bins[0]

    def answer_session(self, data: Path) -> tuple[int, list[float], float, int]:
        """One timed session of `self.bin` for [`per_answer`]: (answers, ms per answer,
        ms from q to exit, peak KiB)."""
        copy = self.work / "copy"
        fresh_copy(self.src(data), copy)
        # The copy just written, and whatever the session before wrote at its end (the
        # build before #20 rewrote a 19 MB snapshot there), would otherwise still be
        # going to the disk during this session's fdatasyncs: the build that runs after
        # the one that wrote more would pay for it.
        os.sync()
        proc = Proc([self.bin, "--data-dir", str(copy), "review"], stdin=True)
        pos = proc.wait_for(b"[1/")
        header_end = proc.wait_for(b"]", pos)
        total = int(proc.buf[pos + 3 : header_end])
        n = min(self.args.answers, total - 1)
        times = []
        for k in range(1, n + 1):
            proc.send("\n")
            legend = proc.wait_for(b"Grade: 0-2 wrong", pos)
            proc.wait_for(b"> ", legend)
            t0 = time.perf_counter_ns()
            proc.send("4\n")
            pos = proc.wait_for(f"[{k + 1}/".encode(), legend)
            times.append((time.perf_counter_ns() - t0) / 1e6)
        t0 = time.perf_counter_ns()
        proc.send("q\n")
        _, rss, _ = proc.finish()
        return n, times, (time.perf_counter_ns() - t0) / 1e6, rss

    def import_deck(self, size: int, data: Path, deck: Path) -> None:
        if not self.wanted("import"):
            return
        if not self.has_import:
            self.record(size, "import 10,000-card deck", [], [], PENDING)
            return
        copy = self.work / "copy"

        def once() -> tuple[float, int, float]:
            fresh_copy(self.src(data), copy, own_decks=True)
            return run_once([self.bin, "--data-dir", str(copy), "import", str(deck)])

        self.record_all(size, "import 10,000-card deck", self.repeat(once, self.args.runs), cpu=True)

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
        # Written afresh by the first build each time: an index left by a newer build (a
        # run with that build alone, or as A) is one the older build ignores, and it would
        # then read every deck at every start.
        (data / "deck-index.json").unlink(missing_ok=True)
        self.prime_index(data)
        return data

    def prime_index(self, data: Path, binary: str | None = None) -> None:
        """Lets `decks` write the deck index, as the first command after installing
        decks does in everyday use. A deck file changed less than 2 s ago is not indexed,
        so that long is waited for first."""
        binary = binary or self.bin
        newest = max(os.stat(deck).st_ctime for deck in (data / "decks").iterdir())
        time.sleep(max(0.0, newest + 2.5 - time.time()))
        subprocess.run(
            [binary, "--data-dir", str(data), "decks"],
            check=True, env=env(), stdout=subprocess.DEVNULL,
        )
        if not (data / "deck-index.json").exists():
            print(f"  ({binary} wrote no deck index: every start reads the decks)")

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
        print("machine:")
        for key, value in machine(self.work).items():
            print(f"  {key}: {value}")
        deck = self.import_file()
        for size in self.args.sizes:
            data = self.generate(size)
            if self.args.ab_own_snapshot:
                self.prepare_b(data)
            lines = sum(1 for _ in open(data / "reviews.jsonl", "rb"))
            before = effective_cores()
            print(f"\n== {size} cards, {lines} log lines; effective cores {before}", flush=True)
            if size == self.args.sizes[0]:
                ms, _, _ = self.repeat(lambda: run_once(["true"]), self.args.runs)
                self.other = None
                self.overhead = median(ms)
                print(f"  spawn overhead (`time true`): median {self.overhead:.2f} ms", flush=True)
            self.first_card(size, data, "review: first card on screen", True)
            self.first_card(size, data, "review: first card, no snapshot", False)
            self.first_card(
                size, data, "review: first card, no deck index", True, index=False
            )
            self.first_card(
                size, data, "review: first card after a quit session", True, after_quit=True
            )
            self.first_card(
                size, data, "review: first card, interview plan set", True, plan=True
            )
            self.first_card(
                size, data, "review: first card after 100 answers", True, after_answers=100
            )
            self.whole_session(size, data, "review then q, whole process", 0)
            self.whole_session(size, data, "100 answers then q, whole process", 100)
            self.readonly(size, data, "stats", ["stats"])
            self.readonly(size, data, "stats --json", ["stats", "--json"])
            self.readonly(size, data, "cards --due --json", ["cards", "--due", "--json"])
            self.readonly(size, data, "decks", ["decks"])
            if self.wanted("stats, no snapshot"):
                cold = fresh_copy(data, self.work / "cold", snapshot=False)
                self.readonly(size, cold, "stats, no snapshot", ["stats"])
            self.per_answer(size, data)
            self.import_deck(size, data, deck)
            self.check_deck(size, data, deck)
            after = effective_cores()
            self.cores[size] = (before, after)
            print(f"  effective cores after: {after}", flush=True)
        for d in ("copy", "cold"):
            shutil.rmtree(self.work / d, ignore_errors=True)

    def report(self) -> str:
        if len(self.bins) > 1:
            return self.report_ab()
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
                    digits = 2 if row["median_ms"] < 10 else 1
                    cells.append(
                        f"{row['median_ms']:.{digits}f} ms / {row['peak_rss_mib']:.0f} MiB"
                    )
            lines.append(f"| {what} | " + " | ".join(cells) + " |")
        lines.append("")
        lines.append(
            f"Each cell: median wall time / peak RSS. Starting a process under GNU time "
            f"(`/usr/bin/time true`) takes {self.overhead:.2f} ms here; it is included. "
            "Effective cores (two busy processes, before / after each size): "
            + ", ".join(f"{s:,} cards {b} / {a}" for s, (b, a) in self.cores.items())
            + "."
        )
        return "\n".join(lines)


    def report_ab(self) -> str:
        """A (--bin) against B (--ab): medians, and B's as a share of A's."""
        lines = [
            "| measurement | cards | A | B | B / A |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in self.rows:
            if row["build"] != "A" or row["median_ms"] is None:
                continue
            b = next(
                (r for r in self.rows
                 if r["build"] == "B" and r["cards"] == row["cards"] and r["what"] == row["what"]),
                None,
            )
            if b is None or b["median_ms"] is None:
                continue
            lines.append(
                f"| {row['what']} | {row['cards']:,} | {row['median_ms']:.2f} ms / "
                f"{row['peak_rss_mib']:.0f} MiB | {b['median_ms']:.2f} ms / "
                f"{b['peak_rss_mib']:.0f} MiB | {b['median_ms'] / row['median_ms']:.2f} |"
            )
        lines.append("")
        lines.append(
            f"A: {self.bins[0]}; B: {self.bins[1]}. Medians of {self.args.runs} runs each, "
            "the two builds alternating run by run. Effective cores (before / after each "
            "size): " + ", ".join(f"{s:,} cards {b} / {a}" for s, (b, a) in self.cores.items())
            + "."
        )
        return "\n".join(lines)


def answer_then_quit(binary: str, data: Path, answers: int) -> tuple[float, int, float]:
    """Runs one review on `data` that answers up to `answers` cards with a 4 (fewer when
    the session has fewer) and then quits; (ms from spawn to exit, peak KiB, CPU ms)."""
    proc = Proc([binary, "--data-dir", str(data), "review"], stdin=True)
    if answers:
        pos = proc.wait_for(b"[1/")
        total = int(proc.buf[pos + 3 : proc.wait_for(b"]", pos)])
        # All the input at once: the session reads it as typed ahead.
        proc.send("\n4\n" * min(answers, total - 1))
    proc.send("q\n")
    ns, rss, cpu = proc.finish()
    return ns / 1e6, rss, cpu


BUSY = "n = 0\nfor i in range(3_000_000):\n    n += i\n"


def effective_cores() -> float:
    """How many cores two busy processes actually got just now: 2.0 on an idle 2-core
    machine, nearer 1.0 when a virtual machine's host runs something else on the second
    core. Parallel start-up work (decks and progress load on two threads) only pays off
    when this is near 2."""

    def busy(n: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(n)]
        for p in procs:
            p.wait()
        return time.perf_counter() - start

    busy(1)  # warm-up
    one = min(busy(1) for _ in range(3))
    two = min(busy(2) for _ in range(3))
    return round(2 * one / two, 2)


def first_line(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
    except OSError:
        return "?"
    return out.strip().splitlines()[0] if out.strip() else "?"


def machine(work: Path) -> dict[str, str]:
    """What the figures were measured on, for benches/README.md."""
    info: dict[str, str] = {"nproc": first_line(["nproc"])}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu"] = model.group(1) if model else "?"
        meminfo = Path("/proc/meminfo").read_text()
        total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
        info["ram"] = f"{int(total.group(1)) / 1024 / 1024:.1f} GiB" if total else "?"
    except OSError:
        pass
    df = subprocess.run(
        ["df", "-hT", str(work)], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    if len(df) > 1:
        fields = df[-1].split()
        info["filesystem"] = f"{fields[1]} on {fields[0]} (work directory {work})"
    try:
        release = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text().splitlines()
            if "=" in line
        )
        info["os"] = release.get("PRETTY_NAME", "?").strip('"')
    except OSError:
        pass
    info["kernel"] = platform.release()
    info["rustc"] = first_line(["rustc", "--version"])
    info["python"] = platform.python_version()
    return info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/profiling/prepdeck")
    ap.add_argument("--gen", default="target/profiling/examples/gen_collection")
    ap.add_argument("--work", default="/tmp/prepdeck-bench", help="generated data goes here")
    ap.add_argument("--sizes", default="1000,20000,100000",
                    type=lambda s: [int(x) for x in s.split(",")])
    ap.add_argument("--runs", type=int, default=7, help="measured runs per figure (>= 5)")
    ap.add_argument("--answers", type=int, default=50, help="answers timed per review session")
    ap.add_argument("--json", help="also write every row as JSON to this file")
    ap.add_argument("--ab", metavar="BIN",
                    help="a second build, measured on the same collections, runs alternating")
    ap.add_argument("--ab-own-snapshot", action="store_true",
                    help="with --ab: build B runs on collection-N-B, the same collection "
                    "with the snapshot B rewrote (for a build with a newer snapshot format)")
    ap.add_argument("--only", metavar="REGEX",
                    help="only the measurements whose name matches, e.g. 'first card on|stats$'")
    args = ap.parse_args()
    if args.runs < 5:
        ap.error("--runs must be at least 5")
    bench = Bench(args)
    print(f"prepdeck benchmark: {platform.platform()}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    bench.run()
    table = bench.report()
    print("\n" + table)
    if args.json:
        result = {
            "machine": machine(bench.work),
            "effective_cores": {str(s): list(c) for s, c in bench.cores.items()},
            "rows": bench.rows,
        }
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())

"""Run one command on one damaged copy of a real file, in-process, and judge the outcome.

A good outcome is exit 2 with one ``error:`` line naming the file, or exit 0 (with a
``warning:`` when the damage makes the numbers wrong). A bad one is a traceback, exit 1, a hang
(an alarm fires after ``timeout_s``), a changed input or a file left behind.

``python -m tests.fuzz.harness [--all] [--command=dsc,tga] [--damaging]`` runs the corpus and
prints the problems and a per-command table of damaging inputs refused or flagged (``--all``:
every mutation of every file; default: the sample the test suite runs).
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from tests.fuzz.corpus import CASES, EXTRA_CASES, MUTATIONS, SHARED_DATA, Case, mutate


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so no handler in mofglass can swallow it."""


@dataclass(frozen=True)
class Outcome:
    case: Case
    mutation: str
    exit_code: int | None
    output: str
    seconds: float
    problems: tuple[str, ...]
    changed: bool = True

    @property
    def damaging(self) -> bool:
        """A damaging mutation that changed the bytes (on some binary files a mutation of
        text numbers finds none: the input is the real file and counts as undamaged)."""
        return MUTATIONS[self.mutation][1] and self.changed

    @property
    def refused(self) -> bool:
        return self.exit_code == 2

    @property
    def flagged(self) -> bool:
        return self.exit_code == 0 and "warning" in self.output.lower()

    @property
    def ok(self) -> bool:
        return not self.problems


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _on_alarm(signum: int, frame: object) -> None:
    raise Hang()


def run_case(case: Case, mutation: str, *, seed: int = 0, timeout_s: float = 60.0) -> Outcome:
    """Damage a copy of the case's file, run the command on it, return what happened."""
    from mofglass.cli import app

    src = SHARED_DATA / case.relpath
    with tempfile.TemporaryDirectory(prefix="mofglass-fuzz-") as tmp:
        work = Path(tmp)
        target = work / src.name
        original = src.read_bytes()
        damaged = mutate(original, mutation, seed)
        target.write_bytes(damaged)
        before = _digest(work)
        args = [
            a.replace("{file}", str(target)).replace("{data}", str(SHARED_DATA))
            for a in case.command
        ]
        n_files = sum("{" in a for a in case.command)
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        t0 = time.perf_counter()
        problems: list[str] = []
        try:
            r = CliRunner().invoke(app, args)
            code, out = r.exit_code, r.output
            if r.exception is not None and not isinstance(r.exception, SystemExit):
                problems.append(f"exception {type(r.exception).__name__}: {r.exception}")
        except Hang:
            code, out = None, ""
            problems.append(f"hang: no answer after {timeout_s:g} s")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        seconds = time.perf_counter() - t0
        if "Traceback" in out:
            problems.append("traceback printed")
        if code not in (0, 2, None):
            problems.append(f"exit {code}")
        if code == 2:
            lines = out.strip().splitlines()
            if len(lines) != 1 or not lines[0].startswith("error:"):
                problems.append("exit 2 without exactly one 'error:' line")
            elif src.name not in out and "mofglass" not in lines[0][:40] and n_files == 1:
                problems.append("error does not name the file")
        if _digest(work) != before:
            problems.append("input modified or files left behind")
    return Outcome(case, mutation, code, out, seconds, tuple(problems), damaged != original)


def sample(n_per_case: int = 1, seed: int = 0) -> list[tuple[Case, str]]:
    """A deterministic spread: every case, every mutation, round-robin."""
    names = sorted(MUTATIONS)
    out = []
    k = seed
    for case in CASES:
        for _ in range(n_per_case):
            out.append((case, names[k % len(names)]))
            k += 1
    return out


def _select(argv: list[str]) -> list[tuple[Case, str]]:
    """The (case, mutation) pairs the command line asks for."""
    full = "--all" in argv
    cases = EXTRA_CASES if "--extra" in argv else CASES + EXTRA_CASES
    pairs = [(c, m) for c in cases for m in MUTATIONS] if full else sample(2)
    only = [a.split("=", 1)[1] for a in argv if a.startswith("--only=")]
    if only:
        pairs = [(c, m) for c, m in pairs if any(o == c.id or o == c.relpath for o in only)]
    commands = [a.split("=", 1)[1].split(",") for a in argv if a.startswith("--command=")]
    if commands:
        wanted = {w for group in commands for w in group}
        pairs = [(c, m) for c, m in pairs if c.command[0] in wanted]
    mutations = [a.split("=", 1)[1].split(",") for a in argv if a.startswith("--mutation=")]
    if mutations:
        wanted = {w for group in mutations for w in group}
        pairs = [(c, m) for c, m in pairs if m in wanted]
    if "--damaging" in argv:
        pairs = [(c, m) for c, m in pairs if MUTATIONS[m][1]]
    return pairs


def _report_line(o: Outcome, verbose: bool) -> str | None:
    """One line for a run worth showing (a problem, a silent damaging input, or -v)."""
    status = "BAD " if o.problems else ("refused" if o.refused else "exit0  ")
    head = f"{o.case.id:55s} {o.mutation:12s} {o.seconds:6.1f}s"
    if o.problems or verbose:
        return f"{status} {head} {'; '.join(o.problems)} | {o.output.strip()[:200]!r}"
    if o.damaging and not (o.refused or o.flagged):
        return f"silent  {head} exit 0, no warning"
    return None


def summary(outcomes: list[Outcome]) -> str:
    """Per-command table: runs, bad runs, damaging inputs refused or flagged (the issue's rate)."""
    rows: dict[str, list[int]] = {}
    for o in outcomes:
        row = rows.setdefault(o.case.command[0], [0, 0, 0, 0])
        row[0] += 1
        row[1] += bool(o.problems)
        if o.damaging:
            row[2] += 1
            row[3] += o.refused or o.flagged
    total = [sum(r[i] for r in rows.values()) for i in range(4)]
    lines = [f"{'command':12s} {'runs':>5s} {'bad':>4s} {'caught/damaging':>16s} {'rate':>7s}"]
    for name, (runs, bad, damaging, caught) in [*sorted(rows.items()), ("TOTAL", total)]:
        rate = f"{100 * caught / damaging:6.1f}%" if damaging else "    n/a"
        lines.append(f"{name:12s} {runs:5d} {bad:4d} {f'{caught}/{damaging}':>16s} {rate}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the selected pairs, print the problems and the per-command rate table.

    Options: ``--all`` (every mutation of every file; with ``--extra`` only of the files the test
    suite does not run), ``--command=dsc,tga`` (first command
    word), ``--only=ID`` (a case id or file), ``--mutation=nan,utf16``, ``--damaging`` (only the damaging mutations),
    ``-v`` (every run). Exit 1 when any run has a problem.
    """
    outcomes = []
    for case, mut in _select(argv):
        o = run_case(case, mut)
        outcomes.append(o)
        line = _report_line(o, "-v" in argv)
        if line:
            print(line, flush=True)
    print(summary(outcomes))
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    shutil.rmtree(Path(tempfile.gettempdir()) / "mofglass-fuzz-none", ignore_errors=True)
    sys.exit(main(sys.argv[1:]))

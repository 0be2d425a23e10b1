"""Run one command on one damaged copy of a real file, in-process, and judge the outcome.

A good outcome is exit 2 with one ``error:`` line naming the file, or exit 0 (with a
``warning:`` when the damage makes the numbers wrong). A bad one is a traceback, exit 1, a hang
(an alarm fires after ``timeout_s``), a changed input or a file left behind.

``python -m tests.fuzz.harness [--all]`` runs the corpus and prints a table (``--all``: every
mutation of every file; default: the sample the test suite runs).
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

from tests.fuzz.corpus import CASES, MUTATIONS, SHARED_DATA, Case, mutate


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
        target.write_bytes(mutate(src.read_bytes(), mutation, seed))
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
    return Outcome(case, mutation, code, out, seconds, tuple(problems))


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


def main(argv: list[str]) -> int:
    full = "--all" in argv
    pairs = [(c, m) for c in CASES for m in MUTATIONS] if full else sample(2)
    only = [a.split("=", 1)[1] for a in argv if a.startswith("--only=")]
    if only:
        pairs = [(c, m) for c, m in pairs if any(o == c.id or o == c.relpath for o in only)]
    bad, damaging, caught = 0, 0, 0
    for case, mut in pairs:
        o = run_case(case, mut)
        if MUTATIONS[mut][1]:
            damaging += 1
            caught += o.refused or o.flagged
        status = "BAD " if o.problems else ("refused" if o.refused else "exit0  ")
        if o.problems or "-v" in argv:
            bad += bool(o.problems)
            print(
                f"{status} {case.id:55s} {mut:12s} {o.seconds:6.1f}s {'; '.join(o.problems)} "
                f"| {o.output.strip()[:200]!r}",
                flush=True,
            )
        elif MUTATIONS[mut][1] and not (o.refused or o.flagged):
            print(
                f"silent  {case.id:55s} {mut:12s} {o.seconds:6.1f}s exit 0, no warning", flush=True
            )
    print(f"{len(pairs)} runs, {bad} bad; damaging inputs refused or flagged: {caught}/{damaging}")
    return 1 if bad else 0


if __name__ == "__main__":
    shutil.rmtree(Path(tempfile.gettempdir()) / "mofglass-fuzz-none", ignore_errors=True)
    sys.exit(main(sys.argv[1:]))

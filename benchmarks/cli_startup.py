"""Whole-process start-up time of the command line (issue 17: ``mofglass --version`` < 0.3 s).

Runs each command five times in a fresh interpreter and prints the median, minimum and maximum
wall time. Not a test: timings depend on the machine and its load.

    python benchmarks/cli_startup.py
"""

from __future__ import annotations

import statistics
import subprocess
import time

COMMANDS = (
    ["--version"],
    ["--help"],
    ["schema"],
)


def _time(args: list[str], repeats: int = 5) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(["mofglass", *args], capture_output=True, check=True)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    print(f"{'command':24s} {'median/s':>9s} {'min/s':>7s} {'max/s':>7s}")
    for args in COMMANDS:
        t = _time(args)
        name = "mofglass " + " ".join(args)
        print(f"{name:24s} {statistics.median(t):9.3f} {min(t):7.3f} {max(t):7.3f}")


if __name__ == "__main__":
    main()

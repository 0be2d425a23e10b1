"""The ``mofglass`` console entry point: ``--version`` answers before anything heavy loads.

Everything else is handed to :func:`mofglass.cli.main`, whose import registers every subcommand
(and so imports the scientific stack). ``benchmarks/cli_startup.py`` times both paths.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line."""
    from mofglass._interrupt import install

    install()  # before the slow imports: Ctrl-C gives one line, never a traceback
    if sys.argv[1:] == ["--version"]:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("mofglass")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            v = "0.0.0+unknown"
        print(f"mofglass {v}")
        return
    from mofglass.cli import main as cli_main

    cli_main()

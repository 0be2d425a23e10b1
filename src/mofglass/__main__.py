"""``python -m mofglass``: the same as the ``mofglass`` command."""

from mofglass._interrupt import install

install()  # before the slow imports below: Ctrl-C gives one line, never a traceback

from mofglass.cli import main  # noqa: E402

main()

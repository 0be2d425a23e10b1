"""``python -m mofglass``: the same as the ``mofglass`` command."""

from mofglass.cli import main

main()

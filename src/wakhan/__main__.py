"""``python -m wakhan``: the same as the ``wakhan`` command (the CLI's stage: it only starts it)."""

from wakhan.cli import main

main()

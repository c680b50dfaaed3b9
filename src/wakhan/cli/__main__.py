"""``python -m wakhan.cli``: the same as the ``wakhan`` command."""

from wakhan.cli import main

main()

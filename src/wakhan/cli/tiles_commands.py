"""CLI commands (filled in by their stage)."""
from wakhan.cli.app import app  # noqa: F401

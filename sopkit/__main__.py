"""``python -m sopkit`` runs the CLI."""

from sopkit.cli import main

main()

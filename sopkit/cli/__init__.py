"""The ``sopkit`` command line: parse arguments, call the library, print or write.

One module per group of commands registers on ``app.app``; library modules
are imported inside the commands so ``sopkit --help`` stays as fast as Typer
itself.
"""

from __future__ import annotations

import atexit
import gc
import sys
from typing import Any

from . import (  # noqa: F401  (register the commands)
    check,
    costs,
    decide,
    documents,
    interop,
    plan,
    report,
    simulate,
    site,
)
from .app import app

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    # A portfolio of thousands of processes is millions of small objects that live until
    # the command ends; at the default thresholds the cycle collector rescans them over
    # and over (about a seventh of the run). Collect less often, not never: networkx
    # graphs hold reference cycles.
    gc.set_threshold(50_000, 20, 20)
    # At exit Python's last collection would walk every object still alive (a built
    # site's models, the caches): a twentieth of a rebuild, to free memory the process
    # is about to give back whole. Registered as the command starts, it runs after the
    # handlers the command registers (they may still need a collection).
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    return app(args=argv, prog_name="sopkit")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

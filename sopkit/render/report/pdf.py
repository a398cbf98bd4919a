"""Printing the report to PDF with WeasyPrint, which is optional.

WeasyPrint installs from PyPI (``pip install 'sopkit[pdf]'``) and draws with
the Pango library (Debian and Ubuntu: ``libpango-1.0-0``, macOS: ``brew
install pango``). Without either, ``pdf_problem`` says which to install and
``report_pdf`` raises a ``RenderError`` with that hint. Nothing is fetched
from the network: the report is self-contained and any other URL is refused.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from ...errors import RenderError

__all__ = ["pdf_problem", "report_pdf"]

_INSTALL = (
    "install WeasyPrint: pip install 'sopkit[pdf]' (it needs the Pango library: "
    "apt-get install libpango-1.0-0, or brew install pango)"
)


@lru_cache(maxsize=1)
def _weasyprint() -> Any:
    """The ``weasyprint`` module, or the reason it cannot be used."""
    try:
        import weasyprint
    except ImportError:
        return RenderError("no PDF renderer: WeasyPrint is not installed", hint=_INSTALL)
    except OSError as exc:  # WeasyPrint is there but Pango (or a library it needs) is not
        return RenderError(
            f"no PDF renderer: WeasyPrint cannot load a library it needs ({exc})", hint=_INSTALL
        )
    return weasyprint


def pdf_problem() -> RenderError | None:
    """Why no PDF can be made here, or ``None`` when WeasyPrint works."""
    found = _weasyprint()
    return found if isinstance(found, RenderError) else None


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report loads nothing from outside itself ({url[:60]})")


def report_pdf(html: str) -> bytes:
    """The report's HTML printed to PDF.

    The PDF's dates come from the page's ``dcterms`` meta tags (the report's
    date); without them it has none, so the same report gives the same bytes.

    Raises:
        RenderError: WeasyPrint or Pango is missing (the hint says what to install).
    """
    weasyprint = _weasyprint()
    if isinstance(weasyprint, RenderError):
        raise weasyprint
    return _print(html)


@lru_cache(maxsize=4)
def _print(html: str) -> bytes:
    """The same page prints to the same bytes, so a rebuild of unchanged files reuses it."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, url_fetcher=_no_network)
    data: bytes = document.write_pdf()
    return data

"""The site's own words in the portfolio's language: messages with markup, the build
stamp.

The dashboard and the scenario page speak the language of the report: the
processes' language when every process shares one, English otherwise
(``sopkit.render.i18n.portfolio_language``). Their words come from the same
catalogues as the SOPs and the report.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from ..i18n import Catalogue

__all__ = ["Stamp", "code", "html_words", "marked", "stamp_text"]

#: What a page's footer says about its build: text shown as given, or the build's time
#: (in UTC), written in the page's language.
Stamp = str | _dt.datetime


def marked(t: Catalogue, key: str, n: Decimal | int | None = None, **params: Any) -> Markup:
    """A message as HTML, for a template: its own words with ``&``, ``<``, ``>`` and ``"``
    escaped (an apostrophe stays as typed, as in the template's own text), values that
    are ``Markup`` (a link, a ``<code>``) kept as markup, other values escaped."""
    holes = {name: "{" + name + "}" for name in params}
    return Markup(_escape_words(t(key, n, **holes))).format(**t.shown(params))


def html_words(t: Catalogue) -> Callable[..., Markup]:
    """The ``t`` of a site template: a message with its count and values, as ``marked``
    gives it."""

    def words(key: str, n: Decimal | int | None = None, **params: Any) -> Markup:
        return marked(t, key, n, **params)

    return words


def _escape_words(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    )


def code(text: str) -> Markup:
    """``text`` as ``<code>``: a command or a line of a process file, never translated."""
    return Markup("<code>{}</code>").format(text)


def stamp_text(stamp: Stamp, t: Catalogue) -> str:
    """``built 2026-05-04 09:30 UTC``, in the page's language; text is shown as given."""
    if isinstance(stamp, str):
        return stamp
    moment = stamp.astimezone(_dt.UTC) if stamp.tzinfo is not None else stamp
    return t("site.stamp", day=f"{moment:%Y-%m-%d}", time=f"{moment:%H:%M}")

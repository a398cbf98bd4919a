"""Finding and running a Graphviz renderer.

Two renderers are supported, in this order:

1. ``dot`` from a system Graphviz install: every format, real font metrics
   through fontconfig, so Korean labels lay out and draw correctly (with
   Debian's ``fonts-noto-cjk``).
2. ``graphviz-pure``, the pip-installable port whose wheel ships a
   ``graphviz-pure`` binary with ``dot``'s flags (a sopkit dependency). No
   PDF, and no CJK glyphs or metrics.

``SOPKIT_GRAPHVIZ=dot`` or ``SOPKIT_GRAPHVIZ=graphviz-pure`` forces one. The
renderer runs as a subprocess with the DOT text on stdin and a timeout, in a
session of its own (``sopkit.children``: Ctrl-C reaches sopkit, which ends
it); any failure is a ``RenderError`` carrying its stderr.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ...children import Children
from ...children import run as run_child
from ...errors import RenderError
from ..i18n import Notice

__all__ = [
    "ENGINES",
    "ENV_VAR",
    "Engine",
    "INSTALL_HINT",
    "cjk_notice",
    "cjk_warning",
    "find_engine",
    "has_cjk",
]

ENV_VAR = "SOPKIT_GRAPHVIZ"
#: Renderer names in order of preference.
ENGINES = ("dot", "graphviz-pure")
DEFAULT_TIMEOUT = 120.0

#: Image formats each renderer can write.
_FORMATS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "dot": frozenset({"svg", "png", "pdf"}),
        "graphviz-pure": frozenset({"svg", "png"}),
    }
)
_CJK_GLYPHS: Mapping[str, bool] = MappingProxyType({"dot": True, "graphviz-pure": False})

_INSTALL = {
    "dot": (
        "install Graphviz: sudo apt-get install graphviz fonts-noto-cjk (Debian/Ubuntu), "
        "brew install graphviz (macOS) or winget install graphviz (Windows)"
    ),
    "graphviz-pure": "pip install graphviz-pure",
}
INSTALL_HINT = f"{_INSTALL['dot']}; or, without system packages, {_INSTALL['graphviz-pure']}"

# Hangul, kana, CJK ideographs and punctuation, full-width forms.
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3130-\u318f\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]"
)


@dataclass(frozen=True, slots=True)
class Engine:
    """A Graphviz renderer found on this machine.

    ``children``: the group its runs belong to, so a build that stops ends the
    drawings under way and starts no more (``sopkit.children``).
    """

    name: str
    path: str
    children: Children | None = field(default=None, compare=False, repr=False)

    @property
    def formats(self) -> frozenset[str]:
        """Image formats it can write (``svg``, ``png``, and ``pdf`` for system Graphviz)."""
        return _FORMATS[self.name]

    @property
    def cjk_glyphs(self) -> bool:
        """Whether it measures and draws Chinese, Japanese and Korean text."""
        return _CJK_GLYPHS[self.name]

    def check_format(self, fmt: str) -> None:
        """Raise ``RenderError`` when this renderer cannot write ``fmt``."""
        if fmt not in self.formats:
            raise RenderError(
                f"{self.name} cannot write {fmt.upper()}",
                hint=f"use {' or '.join(sorted(self.formats))}, or {_INSTALL['dot']}",
            )

    def run(
        self,
        source: str,
        fmt: str,
        *,
        options: Sequence[str] = (),
        timeout: float = DEFAULT_TIMEOUT,
    ) -> bytes:
        """Lay out and draw DOT ``source`` as ``fmt`` (any ``-T`` format the renderer knows)."""
        command = [self.path, f"-T{fmt}", *options]
        # Reproducible PDF metadata where the renderer honours it.
        env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
        try:
            done = run_child(
                command,
                input=source.encode("utf-8"),
                timeout=timeout,
                env=env,
                children=self.children,
            )
        except subprocess.TimeoutExpired:
            raise RenderError(
                f"{self.name} did not finish drawing within {timeout:g} seconds",
                hint="the process may be too large to lay out; try --format mermaid or dot",
            ) from None
        except OSError as exc:
            raise RenderError(
                f"could not run {self.path}: {exc.strerror or exc}", hint=INSTALL_HINT
            ) from None
        if done.returncode != 0:
            raise RenderError(
                f"{self.name} failed (exit {done.returncode}): {_tail(done.stderr)}",
                hint="this is a sopkit bug if the process file is valid; please report it",
            )
        return done.stdout


def _tail(stderr: bytes, lines: int = 12) -> str:
    text = stderr.decode("utf-8", "replace").strip().splitlines()
    return " / ".join(text[-lines:]) or "no error message"


def _locate(name: str) -> str | None:
    """The executable on PATH, or beside this Python (a venv that is not activated)."""
    found = shutil.which(name)
    if found:
        return found
    for folder in dict.fromkeys([sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]):
        found = shutil.which(name, path=folder)
        if found:
            return found
    return None


def find_engine() -> Engine:
    """The renderer to use: ``$SOPKIT_GRAPHVIZ``, else ``dot``, else ``graphviz-pure``.

    Raises:
        RenderError: the forced renderer is unknown or missing, or none is installed;
            the hint says how to install one.
    """
    forced = os.environ.get(ENV_VAR, "").strip()
    if forced:
        if forced not in ENGINES:
            raise RenderError(
                f"{ENV_VAR}={forced} is not a renderer sopkit knows",
                hint=f"set it to one of: {', '.join(ENGINES)}, or unset it",
            )
        path = _locate(forced)
        if path is None:
            raise RenderError(
                f"{ENV_VAR}={forced}, but {forced} is not installed",
                hint=f"{_INSTALL[forced]}, or unset {ENV_VAR}",
            )
        return Engine(forced, path)
    for name in ENGINES:
        path = _locate(name)
        if path is not None:
            return Engine(name, path)
    raise RenderError("no Graphviz renderer found to draw the diagram", hint=INSTALL_HINT)


def has_cjk(text: str) -> bool:
    """Whether text holds Chinese, Japanese or Korean characters."""
    return _CJK.search(text) is not None


def cjk_notice(engine: Engine, text: str) -> Notice | None:
    """What to tell the user when ``text`` has CJK characters that ``engine`` cannot measure
    or draw (a ``Notice``, so a Korean dashboard can say it in Korean)."""
    if engine.cjk_glyphs or not has_cjk(text):
        return None
    return Notice.of("notice.cjk", engine=engine.name, install=_INSTALL["dot"])


def cjk_warning(engine: Engine, text: str) -> str | None:
    """A warning when ``text`` has CJK characters that ``engine`` cannot measure or draw."""
    notice = cjk_notice(engine, text)
    return None if notice is None else str(notice)

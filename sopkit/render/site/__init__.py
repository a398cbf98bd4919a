"""The portfolio dashboard (``index.html``) and the SVG charts it shows."""

from .dashboard import Download, ProcessPage, render_index

__all__ = ["Download", "ProcessPage", "render_index"]

"""SOP documents and run checklists: one costed process as Markdown or HTML.

``document`` builds the figures and labels a template shows (``views``), with
``sections``, ``figures`` and ``diagram`` for its parts; ``templates`` holds the
Jinja environments and escaping, ``checklist`` the task list for one run.
"""

from .checklist import render_checklist
from .diagram import inline_svg
from .document import SopDocument, execution_order, render_sop, sop_document
from .templates import environment, md_escape, render_template

__all__ = [
    "SopDocument",
    "environment",
    "execution_order",
    "inline_svg",
    "md_escape",
    "render_checklist",
    "render_sop",
    "render_template",
    "sop_document",
]

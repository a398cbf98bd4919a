"""The XML namespaces a BPMN file uses, matched by URI and never by prefix.

Tools write the same namespace as ``bpmn:``, ``bpmn2:``, ``semantic:``,
``model:`` or as the default namespace; only the URI says what an element is.
"""

from __future__ import annotations

__all__ = ["BPMN", "BPMNDI", "BPSIM", "DC", "DI", "PREFIXES", "SOPKIT", "XSI", "qname"]

#: BPMN 2.0 semantic model (the MODEL namespace of the OMG schema).
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
#: BPMN diagram interchange: shapes and edges.
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
#: Diagram Definition: bounds and points.
DC = "http://www.omg.org/spec/DD/20100524/DC"
#: Diagram Definition: waypoints and diagram elements.
DI = "http://www.omg.org/spec/DD/20100524/DI"
#: BPSim 2.0 simulation scenarios (WfMC).
BPSIM = "http://www.bpsim.org/schemas/2.0"
#: sopkit's own extension: what BPMN has no element for (ranges as written, automation, …).
SOPKIT = "https://sopkit.dev/bpmn/1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: The prefixes sopkit writes, in the order they are declared.
PREFIXES: dict[str, str] = {
    "bpmn": BPMN,
    "bpmndi": BPMNDI,
    "dc": DC,
    "di": DI,
    "xsi": XSI,
    "bpsim": BPSIM,
    "sopkit": SOPKIT,
}


def qname(uri: str, local: str) -> str:
    """``{uri}local``: how ElementTree names an element, whatever prefix the file used."""
    return f"{{{uri}}}{local}"

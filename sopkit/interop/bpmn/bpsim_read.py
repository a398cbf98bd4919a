"""Reading BPSim scenario data (2.0, and 1.0 where it is the same) from a BPMN file.

What an import can use: processing times (a triangular or uniform
distribution keeps its range, any other distribution its mean), branch
probabilities, the start event's inter-trigger time (how often the process
runs), each resource's or lane's cost per hour, a task's fixed cost, and the
currency. Times are converted from the scenario's base time unit (minutes
unless it says otherwise) to hours. A value that is an expression, or valid
only under a calendar, is noted so the importer can warn about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from .reader import BpmnDocument

__all__ = ["BpsimData", "Estimate", "read_bpsim"]

_URIS = ("http://www.bpsim.org/schemas/2.0", "http://www.bpsim.org/schemas/1.0")

#: Hours in one of each BPSim time unit.
_UNIT_HOURS = {
    "ms": Decimal(1) / 3_600_000,
    "s": Decimal(1) / 3600,
    "min": Decimal(1) / 60,
    "hour": Decimal(1),
    "day": Decimal(24),
    "year": Decimal(8760),
}

#: (min, likely, max) in hours; likely is ``None`` for a uniform range.
Estimate = tuple[Decimal, Decimal | None, Decimal]


@dataclass(slots=True)
class BpsimData:
    """The parameters of one scenario, by the id of the element they are for."""

    scenario: str | None = None
    scenarios: int = 0
    currency: str | None = None
    processing: dict[str, Estimate] = field(default_factory=dict)
    #: A task's ``WaitTime``: the time that passes before the next can start (``wait``).
    wait: dict[str, Estimate] = field(default_factory=dict)
    #: A task's resource selection: ``(resource id, how many)``, as ``getResource`` names them.
    selection: dict[str, list[tuple[str, Decimal]]] = field(default_factory=dict)
    probability: dict[str, Decimal] = field(default_factory=dict)
    inter_trigger: dict[str, Decimal] = field(default_factory=dict)
    unit_cost: dict[str, Decimal] = field(default_factory=dict)
    fixed_cost: dict[str, Decimal] = field(default_factory=dict)
    #: (what could not be read, element id)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _local(element: Element) -> tuple[str, str]:
    tag = element.tag if isinstance(element.tag, str) else ""
    uri, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return uri, local


def _children(element: Element, local: str) -> list[Element]:
    return [c for c in element if _local(c)[0] in _URIS and _local(c)[1] == local]


def _child(element: Element, local: str) -> Element | None:
    found = _children(element, local)
    return found[0] if found else None


def _number(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+(?:\.\d+)?)Y)?(?:(?P<Mo>\d+(?:\.\d+)?)M)?(?:(?P<W>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<D>\d+(?:\.\d+)?)D)?(?:T(?:(?P<H>\d+(?:\.\d+)?)H)?(?:(?P<Mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<S>\d+(?:\.\d+)?)S)?)?$"
)
_DURATION_HOURS = {
    "Y": Decimal(8760),
    "Mo": Decimal(730),
    "W": Decimal(168),
    "D": Decimal(24),
    "H": Decimal(1),
    "Mi": Decimal(1) / 60,
    "S": Decimal(1) / 3600,
}


def duration_hours(text: str) -> Decimal | None:
    """An ``xs:duration`` (``PT30M``, ``P1D``) in hours; a day is 24, a month 730."""
    match = _DURATION.match(text.strip())
    if match is None or text.strip() in ("P", "PT"):
        return None
    return sum(
        (Decimal(v) * _DURATION_HOURS[k] for k, v in match.groupdict().items() if v),
        Decimal(0),
    )


class _Scenario:
    def __init__(self, data: BpsimData, base_unit: str) -> None:
        self.data = data
        self.base = _UNIT_HOURS.get(base_unit, _UNIT_HOURS["min"])

    def value(
        self, parameter: Element, ref: str, what: str, *, time: bool = True
    ) -> Estimate | None:
        """The parameter's value as (min, likely, max): a time in hours, else as written."""
        values = [v for v in parameter if _local(v)[0] in _URIS and _local(v)[1] != "ResultRequest"]
        if not values:
            return None
        plain = [v for v in values if v.get("validFor") is None]
        if len(values) > 1 or not plain:
            self.data.notes.append(
                (f"BPSim {what} differs by calendar: the default value is used", ref)
            )
        chosen = (plain or values)[0]
        _, kind = _local(chosen)
        unit = chosen.get("timeUnit")
        scale = (_UNIT_HOURS.get(unit, self.base) if unit else self.base) if time else Decimal(1)
        number = _number(chosen.get("value"))
        if kind in ("FloatingParameter", "NumericParameter") and number is not None:
            return number * scale, number * scale, number * scale
        if kind == "DurationParameter":
            hours = duration_hours(chosen.get("value") or "")
            if hours is not None:
                return hours, hours, hours
        if kind == "TriangularDistribution":
            low, mode, high = (_number(chosen.get(k)) for k in ("min", "mode", "max"))
            if low is not None and mode is not None and high is not None:
                return low * scale, mode * scale, high * scale
        if kind == "UniformDistribution":
            low, high = _number(chosen.get("min")), _number(chosen.get("max"))
            if low is not None and high is not None:
                return low * scale, None, high * scale
        mean = _number(chosen.get("mean"))
        if mean is not None:
            self.data.notes.append((f"BPSim {what}: {kind} read as its mean", ref))
            return mean * scale, mean * scale, mean * scale
        self.data.notes.append((f"BPSim {what}: cannot read {kind}", ref))
        return None

    def read(self, params: Element) -> None:
        ref = (params.get("elementRef") or "").strip()
        if ":" in ref:
            ref = ref.rpartition(":")[2]
        if not ref:
            return
        time = _child(params, "TimeParameters")
        processing = None if time is None else _child(time, "ProcessingTime")
        if processing is not None:
            estimate = self.value(processing, ref, "processing time")
            if estimate is not None:
                self.data.processing[ref] = estimate
        wait = None if time is None else _child(time, "WaitTime")
        if wait is not None:
            estimate = self.value(wait, ref, "wait time")
            if estimate is not None:
                self.data.wait[ref] = estimate
        control = _child(params, "ControlParameters")
        if control is not None:
            self._control(control, ref)
        cost = _child(params, "CostParameters")
        if cost is not None:
            self._cost(cost, ref)
        resources = _child(params, "ResourceParameters")
        chosen = None if resources is None else _child(resources, "Selection")
        expression = None if chosen is None else _child(chosen, "ExpressionParameter")
        if expression is not None:
            found = [
                (resource, Decimal(count))
                for resource, count in _GET_RESOURCE.findall(expression.get("value") or "")
            ]
            if found:
                self.data.selection[ref] = found

    def _control(self, control: Element, ref: str) -> None:
        probability = _child(control, "Probability")
        if probability is not None:
            value = self.value(probability, ref, "probability", time=False)
            if value is not None:
                self.data.probability[ref] = value[0]
        timer = _child(control, "InterTriggerTimer")
        if timer is not None:
            value = self.value(timer, ref, "inter-trigger time")
            if value is not None:
                low, likely, high = value
                mean = (low + 4 * likely + high) / 6 if likely is not None else (low + high) / 2
                if mean > 0:
                    self.data.inter_trigger[ref] = mean

    def _cost(self, cost: Element, ref: str) -> None:
        unit_cost = _child(cost, "UnitCost")
        if unit_cost is not None:
            value = self.value(unit_cost, ref, "unit cost", time=False)
            if value is not None:  # per base time unit: per hour
                self.data.unit_cost[ref] = value[0] / self.base
        fixed = _child(cost, "FixedCost")
        if fixed is not None:
            value = self.value(fixed, ref, "fixed cost", time=False)
            if value is not None:
                self.data.fixed_cost[ref] = value[0]


#: ``getResource('Resource_2', 1)``: one term of a resource selection expression.
_GET_RESOURCE = re.compile(r"getResource\(\s*'([^']+)'\s*,\s*(\d+(?:\.\d+)?)\s*\)")


def _scenarios(document: BpmnDocument) -> list[Element]:
    found = []
    for element in document.root.iter():
        uri, local = _local(element)
        if uri in _URIS and local == "Scenario":
            found.append(element)
    return found


def read_bpsim(document: BpmnDocument) -> BpsimData:
    """One BPSim scenario of the file (with those it inherits from), or empty data."""
    data = BpsimData()
    scenarios = _scenarios(document)
    data.scenarios = len(scenarios)
    if not scenarios:
        return data
    by_id = {s.get("id"): s for s in scenarios}
    inherited = {s.get("inherits") for s in scenarios}
    # the first scenario no other builds on: a baseline, or the most refined of a chain
    leaf = next((s for s in scenarios if s.get("id") not in inherited), scenarios[0])
    chain: list[Element] = []
    current: Element | None = leaf
    while current is not None and current not in chain:
        chain.insert(0, current)
        parent = current.get("inherits")
        current = by_id.get(parent) if parent else None
    chosen = chain[-1]
    data.scenario = chosen.get("name") or chosen.get("id")
    base_unit, currency = "min", None
    for scenario in chain:
        parameters = _child(scenario, "ScenarioParameters")
        if parameters is not None:
            base_unit = parameters.get("baseTimeUnit") or base_unit
            currency = parameters.get("baseCurrencyUnit") or currency
    data.currency = currency
    reader = _Scenario(data, base_unit)
    for scenario in chain:  # parents first: what a child sets wins
        for params in _children(scenario, "ElementParameters"):
            reader.read(params)
    return data

"""BPSim 2.0 scenario data: what a simulation tool needs to run the exported process.

One scenario, in hours and the process's currency, covering a year:

* each task's processing time as a triangular distribution over the step's
  min, likely and max in working hours (the hands-on time), its ``wait`` as the
  task's ``WaitTime`` in elapsed clock hours (so a simulation's lead time counts
  it on the same clock as the inter-trigger time: see ``elapsed_hours``), and
  the people it takes (``getResource`` of the owner's and each participant's
  resource);
* each role's cost per hour (``UnitCost`` of its resource) and headcount;
* the share of runs taking each branch of an exclusive split (``Probability``);
* how often the process starts: the hours between runs (``InterTriggerTimer``
  of the start event), a year being 8,760 hours;
* a step's expense as the ``FixedCost`` of each execution.

BPSim lives in a ``relationship`` of type ``BPSimData``, as the BPSim
specification's examples place it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from ...models import Clock, Estimate, Settings
from .flow import FlowGraph, probability_text
from .xmltree import El

__all__ = ["HOURS_PER_YEAR", "elapsed_hours", "scaled", "scenario", "time_parameter"]

#: Hours in a (non-leap) year: the clock BPSim's inter-trigger time runs on.
HOURS_PER_YEAR = Decimal(8760)
#: Hours BPSim places between two decimals it is given.
_PLACES = Decimal("1e-10")


def elapsed_hours(clock: Clock) -> Fraction:
    """Clock hours that pass per working hour of a wait, exactly.

    BPSim has one clock, elapsed time: the inter-trigger time counts 8,760 hours a
    year, and no BPSim calendar says when people work. A ``wait: 1w`` is a week that
    passes, 168 hours, not the 40 working hours it holds: a working week of
    ``days_per_week`` days is 168 clock hours and a working day its share of them,
    24 × 7 ÷ ``days_per_week`` (24 × 7 ÷ 5 = 33.6 at 5 days a week, so ``wait: 2d`` is
    67.2), and a working hour of waiting is ``24/hours_per_day × 7/days_per_week``
    clock hours (4.2 at 8 hours a day, 5 days a week). Processing time is the
    hands-on time, in working hours, as it is.
    """
    return (
        Fraction(24) / Fraction(clock.hours_per_day) * Fraction(7) / Fraction(clock.days_per_week)
    )


def scaled(value: Decimal, scale: Fraction, places: Decimal = _PLACES) -> Decimal:
    """``value × scale`` exactly, then rounded to ``places``: working hours to the clock
    hours BPSim writes (to ten decimals), and an import's way back (to ``places``)."""
    exact = Fraction(value) * scale
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(places)


def time_parameter(
    parent: El, estimate: Estimate, settings: Settings, scale: Fraction = Fraction(1)
) -> None:
    """A triangular distribution over min, likely and max (in working hours, times
    ``scale``); one value when they are equal."""
    low, likely, high = (scaled(p, scale) for p in estimate.points(settings.clock))
    if not estimate.is_range:
        parent.add("bpsim:FloatingParameter", {"value": probability_text(low), "timeUnit": "hour"})
        return
    parent.add(
        "bpsim:TriangularDistribution",
        {
            "mode": probability_text(likely),
            "min": probability_text(low),
            "max": probability_text(high),
            "timeUnit": "hour",
        },
    )


def _floating(parent: El, tag: str, value: Decimal, unit: str | None = None) -> None:
    parent.add(tag).add(
        "bpsim:FloatingParameter",
        {"value": probability_text(value), "timeUnit": unit},
    )


def _selection(step_roles: Sequence[tuple[str, Decimal]], resources: Mapping[str, str]) -> str:
    return " and ".join(
        f"getResource('{resources[role]}', {probability_text(count)})" for role, count in step_roles
    )


def _process_parameters(graph: FlowGraph, resources: Mapping[str, str]) -> list[El]:
    process = graph.process
    settings = process.settings
    found: list[El] = []
    for node in graph.nodes:
        step = node.step
        params = El("bpsim:ElementParameters", {"elementRef": node.id})
        if node.kind == "start" and process.frequency is not None:
            runs_a_year = process.frequency.per_month(settings.working_days_per_year) * 12
            control = params.add("bpsim:ControlParameters")
            _floating(control, "bpsim:InterTriggerTimer", HOURS_PER_YEAR / runs_a_year, "hour")
        if step is not None and step.is_work and step.time is not None:
            times = params.add("bpsim:TimeParameters")
            if not step.wait.is_zero:  # before ProcessingTime, as the schema orders them
                wait = times.add("bpsim:WaitTime")
                time_parameter(wait, step.wait, settings, elapsed_hours(settings.clock))
            time_parameter(times.add("bpsim:ProcessingTime"), step.time, settings)
            people = [(step.owner or "", Decimal(1)), *step.participants.items()]
            selection = params.add("bpsim:ResourceParameters").add("bpsim:Selection")
            selection.add("bpsim:ExpressionParameter", {"value": _selection(people, resources)})
            if step.expense is not None:
                _floating(params.add("bpsim:CostParameters"), "bpsim:FixedCost", step.expense)
        if params.children:
            found.append(params)
    for flow in graph.flows:
        if flow.probability is None:
            continue
        params = El("bpsim:ElementParameters", {"elementRef": flow.id})
        _floating(params.add("bpsim:ControlParameters"), "bpsim:Probability", flow.probability)
        found.append(params)
    return found


def _resource_parameters(resources: Mapping[str, str], settings: Settings) -> list[El]:
    found = []
    for role_name, resource_id in resources.items():
        role = settings.roles.get(role_name)
        if role is None:
            continue
        params = El("bpsim:ElementParameters", {"elementRef": resource_id})
        if role.headcount is not None:
            _floating(params.add("bpsim:ResourceParameters"), "bpsim:Quantity", role.headcount)
        if role.rate is not None:
            _floating(params.add("bpsim:CostParameters"), "bpsim:UnitCost", role.rate)
        if params.children:
            found.append(params)
    return found


def scenario(definitions_id: str, graphs: Sequence[FlowGraph], resources: Mapping[str, str]) -> El:
    """The ``relationship`` holding the BPSim scenario of every process in the file.

    ``resources`` maps each role to the id of its ``resource`` element; rates
    and headcounts are the effective ones of the first process (the file's own).
    """
    main = graphs[0].process
    settings = main.settings
    relationship = El("bpmn:relationship", {"type": "BPSimData"})
    data = relationship.add("bpmn:extensionElements").add("bpsim:BPSimData")
    scene = data.add(
        "bpsim:Scenario",
        {
            "id": "Scenario_1",
            "name": main.name,
            "description": "One year of runs, as sopkit costs it",
            "vendor": "sopkit",
            "version": "1",
        },
    )
    parameters = scene.add(
        "bpsim:ScenarioParameters",
        {"baseTimeUnit": "hour", "baseCurrencyUnit": settings.currency},
    )
    parameters.add("bpsim:Duration").add("bpsim:DurationParameter", {"value": "P1Y"})
    for graph in graphs:
        scene.extend(_process_parameters(graph, resources))
    scene.extend(_resource_parameters(resources, _merged_settings(graphs)))
    relationship.add("bpmn:source", text=definitions_id)
    relationship.add("bpmn:target", text=definitions_id)
    return relationship


def _merged_settings(graphs: Sequence[FlowGraph]) -> Settings:
    """The effective roles of every process in the file, the file's own process last (winning)."""
    settings = graphs[0].process.settings
    roles = {}
    for graph in reversed(graphs):
        roles.update(graph.process.settings.roles)
    return settings.model_copy(update={"roles": roles})

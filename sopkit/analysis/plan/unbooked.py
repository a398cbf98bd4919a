"""The work of a typical run a plan does not book, for its notes to say so.

A plan books a step's people for the step's span once (``booking.crew``), as the
typical run takes a step's time once however many executions it has (``per_run:
5`` is five executions side by side, as a team shares them out). So the people of
a step done more than once a run are booked for one execution, and the other
executions' hours are on no one's calendar; and a step that runs another process
books no one, its steps being that process's own plan. Left unsaid, the bookings
and the overbookings pass for all the work: ``unbooked`` finds both, in hours,
for the renderers to word.

Only the typical run counts: its conditions at their most likely answer, and no
rework (it goes right first time). A step that books none of the team (an
outside party's, a system's) has nothing booked once, and is left out.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ...models import Process
from ..booking import Timing, crew
from ..profile import expected_count
from ..units import to_decimal
from .results import Unbooked

__all__ = ["unbooked"]


def unbooked(process: Process, timing: Timing) -> tuple[Unbooked, ...]:
    """The steps of the run ``timing`` places whose work the plan does not all book, in
    file order: each call, and each step of the team's done more than once a run."""
    found = []
    for step in process.steps:
        if step.id not in timing:
            continue
        per_run = Fraction(step.per_run)
        if step.is_call:
            runs = expected_count(step.count) * per_run
            found.append(Unbooked(step.id, to_decimal(runs), Decimal(0), None, step.process))
        elif step.is_work and per_run > 1 and crew(process, step):
            work = timing[step.id][1]
            rest = to_decimal((per_run - 1) * work)
            found.append(Unbooked(step.id, to_decimal(per_run), to_decimal(work), rest))
    return tuple(found)

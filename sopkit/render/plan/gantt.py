"""A dated plan as a Gantt chart: roles as lanes, a bar per step, milestones, due dates.

The chart is a ``Scene`` (see ``render/diagram/scene.py``), written as SVG by
sopkit and drawn as PNG or PDF by Graphviz with every position fixed, like
the swimlane diagram. Lanes are roles in the order they first act (steps
without an owner, and calls, in a band at the top), one row per step of the
typical run; a role that works ``with`` the owner has the step in its own lane
too, as an outlined bar (roles that only ever join get lanes after the
owners'), so each lane shows when its people are busy. Time runs left to
right in calendar days; weekends and holidays
are shaded, so a bar over a weekend shows the pause. A bar covers the step's
work to the hour (a half-day step fills half a day); a thin line after it is
its wait; critical steps are dark; a diamond is a milestone; a vertical tick
is a due date, and the part of a bar past it is marked late with the number
of working days; pink days in a lane are days its role has more work at once
than people; a dashed line is today, when asked. The key names only what the
chart draws, and a short plan's days are widened to fill the picture under it.

SVG groups carry classes and data attributes for tests and stylesheets:
``lane`` with ``data-role``, ``bar`` with ``data-step`` and ``data-role`` (the
owner's), ``joint`` with the same for each ``with`` role, ``due`` with
``data-step``, ``overbooked`` with ``data-role``, ``data-start`` and ``data-finish``,
``today``.
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import Decimal

from babel.dates import format_skeleton

from ...analysis.plan import Overbooking, Plan, PlannedStep
from ..diagram.common import EVENTS_LANE, Wording, events_title, lane_of, lanes
from ..diagram.geometry import Box, Point
from ..diagram.metrics import line_height, text_width, wrap_text
from ..diagram.scene import (
    Diamond,
    Group,
    Label,
    Line,
    Polyline,
    Rect,
    Scene,
    Shape,
    Stroke,
    walk,
)
from ..diagram.style import DEFAULT_THEME, FONTS, Theme, get_theme
from ..i18n import catalogue
from ..numbers import hours_text, round_number
from .report import anchor_text, overbooking_text, plan_name, plan_span, step_names

__all__ = ["day_width", "gantt_scene", "key_kinds"]

_MARGIN = 14.0
_ROW = 20.0
_BAND_PAD = 4.0
_AXIS = 30.0
#: The step-name column fits the longest name, between these widths (longer ones are cut).
_NAME_WIDTH = 210.0
_NAME_WIDTH_MAX = 340.0
_GAP = 8.0
#: The chart aims at this width for its days; a day is 5 to 18 points wide …
_TIMELINE = 900.0
#: … but for a short plan wider, so its days take at least this much (24 days of
#: 18 points): a week's run squeezed into 108 points beside 430 of names read as a
#: strip of slivers, a third of the picture blank beside it.
_TIMELINE_LEAST = 432.0
#: Today is drawn when it falls within this many days of the plan.
_TODAY_REACH = 90

#: Colours: bars of the critical path dark, others light; late work in orange (with
#: words saying so); non-working days grey. Never red against green.
_CRITICAL = "#2c7fb8"
_OTHER = "#a6cee3"
_LATE = "#e08214"
_OFF = "#e6e6e6"
_GRID = "#d9d9d9"
_INK = "#1a1a1a"
#: Inside the outline of a step a role joins; the outline of one off the critical path
#: (the light fill of other steps would barely show as a line on white).
_JOINT_FILL = "#ffffff"
_JOINT_OTHER = "#5b9bd5"
#: The days a role has more work at once than people (pink: apart from late's orange).
_OVERBOOKED = "#f7c6dd"


def _text_line(text: str, size: float, *, bold: bool = False, colour: str = _INK) -> Line:
    return Line(text, size, bold=bold, colour=colour)


def _fit(text: str, width: float, size: float) -> str:
    """``text`` on one line no wider than ``width``, cut with an ellipsis if it must be."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _Chart:
    def __init__(self, plan: Plan, today: _dt.date | None, style: Theme) -> None:
        self.plan = plan
        self.style = style
        steps = plan.steps
        dates = [plan.start, plan.finish, *(s.due for s in steps if s.due is not None)]
        self.first, self.last = min(dates), max(dates)
        self.today = None
        # Days apart, not dates moved: a run near year 1 or 9999 has no dates 90 days out.
        # The chart draws a day past its last date, so today cannot be the calendar's last.
        if (
            today is not None
            and (self.first - today).days <= _TODAY_REACH
            and (today - self.last).days <= _TODAY_REACH
            and today < _dt.date.max
        ):
            self.today = today
            self.first, self.last = min(self.first, today), max(self.last, today)
        self.outside_today = today if today is not None and self.today is None else None
        # a day's room after the last date, so the last bar does not touch the edge
        self.count = (self.last - self.first).days + 2
        self.day = day_width(self.count)
        process_steps = {s.id: s for s in plan.process.steps}
        self.lane_of = {s.step_id: lane_of(process_steps[s.step_id]) for s in steps}
        self.keys = lanes([process_steps[s.step_id] for s in steps])
        for step in steps:
            if step.kind != "milestone":
                self.keys += [r for r in step.participants if r not in self.keys]
        self.joint = any(self._joins(step, key) for step in steps for key in self.keys)
        # The chart speaks the process's language; its events band is headed as the
        # diagram's is.
        self.t = catalogue(plan.process.language.value)
        self.names = step_names(plan, self.t)  # the overbookings' steps, as the notes name them
        self.events = events_title(
            [process_steps[s.step_id] for s in steps], Wording(language=self.t.language)
        )

    # x of a date's left edge, and of a moment of the run
    def x(self, day: _dt.date) -> float:
        return self.left + (day - self.first).days * self.day

    def at(self, hours: Decimal, *, end: bool) -> float:
        day, passed = self.plan.moment(hours, end=end)
        return round(self.x(day) + float(passed) * self.day, 2)

    def build(self) -> Scene:
        style = self.style
        items: list[Shape | Group] = []
        title, top = self._title()
        items.append(Group(tuple(title), classes=("title",)))
        header_width = self._header_width()
        size = self.style.detail_size
        longest = max((text_width(s.name, size, s.critical) for s in self.plan.steps), default=0.0)
        self.name_width = min(max(_NAME_WIDTH, longest + 14), _NAME_WIDTH_MAX)
        self.names_end = _MARGIN + header_width + self.name_width
        # a little room before the first day, so a milestone at its start stays clear
        self.left = self.names_end + _GAP
        # The days reach at least to the end of the title and key above them: a short
        # plan's chart is not a narrow block under a wide heading, blank beside it.
        reach = max(s.box.right for s in walk(tuple(title)) if isinstance(s, Label))
        self.day = max(self.day, round((reach - self.left) / self.count, 2))
        self._axis_top = top
        self._reach_words()
        axis_top = top
        rows_top = axis_top + _AXIS
        bands: list[tuple[str, float, float, list[PlannedStep]]] = []
        y = rows_top
        for key in self.keys:
            members = [
                s for s in self.plan.steps if self.lane_of[s.step_id] == key or self._joins(s, key)
            ]
            height = 2 * _BAND_PAD + _ROW * len(members)
            height = max(height, self._header_height(key) + 2 * _BAND_PAD)
            bands.append((key, y, height, members))
            y += height
        bottom = y
        width = self.left + self.count * self.day + _MARGIN
        # lanes (bands, headers, step names)
        for index, (key, band_top, height, members) in enumerate(bands):
            items.append(self._lane(index, key, band_top, height, members, width))
        # non-working days and week lines over the bands, under the bars
        off: list[Shape] = []
        working = self.plan.working
        for n in range(self.count):
            day = self.first + _dt.timedelta(days=n)
            if not working.is_working(day):
                off.append(Rect(Box(self.x(day), axis_top, self.day, bottom - axis_top), fill=_OFF))
            elif day.weekday() == 0:
                off.append(
                    Polyline(
                        (Point(self.x(day), rows_top), Point(self.x(day), bottom)),
                        Stroke(_GRID, 0.6),
                    )
                )
        off.append(
            Polyline(
                (Point(self.names_end, axis_top), Point(self.names_end, bottom)),
                Stroke(self.style.band_stroke, 1.0),
            )
        )
        items.append(Group(tuple(off), classes=("non-working",)))
        lanes_at = {key: (band_top, height) for key, band_top, height, _ in bands}
        for found in self.plan.overbooked:
            if found.role in lanes_at:
                items.append(self._overbooked(found, *lanes_at[found.role]))
        items.append(Group(tuple(self._axis(axis_top)), classes=("axis",)))
        for key, band_top, _, members in bands:
            for row, step in enumerate(members):
                centre = band_top + _BAND_PAD + _ROW * row + _ROW / 2
                if self._joins(step, key):
                    items.append(self._joint(step, centre, key))
                else:
                    items.append(self._bar(step, centre, key))
        if self.today is not None:
            x = self.x(self.today) + self.day / 2
            items.append(
                Group(
                    (
                        # From under the date axis, which it would strike through.
                        Polyline(
                            (Point(x, rows_top), Point(x, bottom)),
                            Stroke(_INK, 1.2, dashed=True),
                        ),
                    ),
                    classes=("today",),
                    data={"date": self.today.isoformat()},
                )
            )
        # The key and a late bar's words may reach past the last day of a short plan.
        reach = max((s.box.right for s in walk(tuple(items)) if isinstance(s, Label)), default=0)
        width = max(width, reach + _MARGIN)
        return Scene(
            width=round(width, 2),
            height=round(bottom + _MARGIN, 2),
            items=tuple(items),
            background=style.background,
            font=FONTS,
            title=self.t("gantt.title", name=plan_name(self.plan, self.t)),
            kind="gantt",
        )

    @property
    def grid_right(self) -> float:
        """x of the right edge of the last day drawn."""
        return self.left + self.count * self.day

    def _reach_words(self) -> None:
        """More days, if the words on the days need them: a month's name in the axis (a
        run ending on 2 February showed "февр. 2027 г." past the last column) and a
        step's lateness that has no room before its bar ("опоздание 3,06 дн." past the
        grid) stay inside the grid, over days drawn as the others are."""
        for _ in range(4):  # a day more may start a month, whose name needs days too
            words = [self._month_words(day)[1] for day in self._month_starts()[-1:]]
            words += [self._late_place(s)[1] for s in self.plan.steps if s.late]
            right = max((box.right for box in words), default=0.0) + 4
            if right <= self.grid_right:
                return
            self.count += math.ceil(round((right - self.grid_right) / self.day, 6))

    def _month_starts(self) -> list[_dt.date]:
        """The first day of each month in view (the chart's first day for the first)."""
        days = [self.first + _dt.timedelta(days=n) for n in range(self.count)]
        return [d for i, d in enumerate(days) if i == 0 or d.month != days[i - 1].month]

    def _month_words(self, day: _dt.date) -> tuple[str, Box]:
        """A month's name in the axis and where it goes: from the month's first day."""
        size = self.style.small_size
        # Babel's narrow no-break space (дек. 2026 г.) has no glyph in the fonts
        # Graphviz draws the PNG with: the plain no-break space shows everywhere.
        words = format_skeleton("yMMM", day, locale=self.t.language).replace("\u202f", "\u00a0")
        width = text_width(words, size, True)
        return words, Box(self.x(day) + 2, self._axis_top, width, line_height(size))

    def _joins(self, step: PlannedStep, key: str) -> bool:
        """Whether ``step`` shows in lane ``key`` as work done with its owner."""
        return (
            step.kind != "milestone"
            and key in step.participants
            and key != self.lane_of[step.step_id]
        )

    # --- parts ---

    def _title(self) -> tuple[list[Shape], float]:
        style, plan, t = self.style, self.plan, self.t
        parts = [plan_span(plan, t), t("unit.workdays", round_number(plan.lead_time_days, 2))]
        if plan.anchor is not None:
            parts.append(anchor_text(plan, t))
        late = sum(1 for s in plan.steps if s.late)
        if late:
            parts.append(t("gantt.late_steps", late))
        if plan.levelled:
            parts.append(t("gantt.levelled"))
        if plan.overbooked:
            parts.append(t("gantt.overbooked", len(plan.overbooked)))
        if self.outside_today is not None:
            parts.append(t("gantt.outside", date=t.day(self.outside_today)))
        summary = " · ".join(parts)
        width = 900.0
        title = t("gantt.title", name=plan_name(plan, t))
        lines = [
            *(
                _text_line(part, style.title_size, bold=True)
                for part in wrap_text(title, width, style.title_size, True)
            ),
            *(
                _text_line(part, style.summary_size)
                for part in wrap_text(summary, width, style.summary_size)
            ),
        ]
        height = sum(line_height(x.size) for x in lines)
        # As wide as its longest line: a box wider than the chart widens the picture.
        used = max(text_width(x.text, x.size, x.bold) for x in lines)
        shapes: list[Shape] = [Label(Box(_MARGIN, _MARGIN, used, height), tuple(lines))]
        y = _MARGIN + height + 6
        shapes += self._key(y)
        return shapes, y + line_height(style.small_size) + 10

    def _key(self, y: float) -> list[Shape]:
        size = self.style.small_size
        days = (self.first + _dt.timedelta(days=n) for n in range(self.count))
        kinds = key_kinds(
            self.plan,
            joint=self.joint,
            off=any(not self.plan.working.is_working(day) for day in days),
            today=self.today is not None,
        )
        # In a levelled plan the dark bars are what decides the end, holds for people
        # included; placed by a milestone, what sets the first day too.
        chain = "chain_placed" if self.plan.anchor is not None else "chain"
        named = {"critical": chain} if self.plan.levelled else {}
        keys = [(kind, self.t(f"gantt.key.{named.get(kind, kind)}")) for kind in kinds]
        shapes: list[Shape] = []
        x = _MARGIN
        middle = y + line_height(size) / 2
        for kind, words in keys:
            icon = Box(x, middle - 5, 16, 10)
            if kind in ("critical", "other", "late", "off", "overbooked"):
                fill = {
                    "critical": _CRITICAL,
                    "other": _OTHER,
                    "late": _LATE,
                    "off": _OFF,
                    "overbooked": _OVERBOOKED,
                }[kind]
                shapes.append(Rect(icon, fill=fill))
            elif kind == "joint":
                shapes.append(Rect(icon, fill=_JOINT_FILL, stroke=Stroke(_CRITICAL, 1.5)))
            elif kind == "milestone":
                shapes.append(Diamond(Box(x + 3, middle - 5, 10, 10), fill=_INK))
            else:
                dashed = kind in ("today", "held", "held_date")
                horizontal = kind in ("wait", "held", "held_date")
                points = (
                    (Point(x, middle), Point(x + 16, middle))
                    if horizontal
                    else (Point(x + 8, middle - 6), Point(x + 8, middle + 6))
                )
                shapes.append(Polyline(points, Stroke(_INK, 1.5, dashed=dashed)))
            label = Box(x + 20, y, text_width(words, size), line_height(size))
            shapes.append(Label(label, (_text_line(words, size, colour=self.style.muted_text),)))
            x += 20 + label.w + 14
        return shapes

    def _header_lines(self, key: str) -> tuple[Line, ...]:
        style = self.style
        name = self.events if key == EVENTS_LANE else key
        return tuple(
            _text_line(part, style.header_size, bold=True)
            for part in wrap_text(name, style.header_width, style.header_size, True)
        )

    def _header_width(self) -> float:
        widths = [
            max(text_width(x.text, x.size, x.bold) for x in self._header_lines(key))
            for key in self.keys
        ]
        return max(widths, default=0.0) + 16

    def _header_height(self, key: str) -> float:
        return sum(line_height(x.size) for x in self._header_lines(key))

    def _lane(
        self,
        index: int,
        key: str,
        top: float,
        height: float,
        members: list[PlannedStep],
        width: float,
    ) -> Group:
        style = self.style
        band = Box(_MARGIN, top, width - 2 * _MARGIN, height)
        header = Box(_MARGIN, top, self.names_end - _MARGIN - self.name_width, height)
        fill = style.band_alt_fill if index % 2 else style.band_fill
        role = self.plan.process.role(key) if key != EVENTS_LANE else None
        if role is not None and role.kind.value == "external":
            fill = style.external_fill
        elif role is not None and role.kind.value == "system":
            fill = style.system_fill
        shapes: list[Shape] = [
            Rect(band, fill=fill, stroke=Stroke(style.band_stroke, 0.8), classes=("band",)),
            Rect(header, fill=style.header_fill, stroke=Stroke(style.band_stroke, 0.8)),
            Label(
                Box(header.x + 8, top + _BAND_PAD, header.w - 16, self._header_height(key)),
                self._header_lines(key),
            ),
        ]
        size = style.detail_size
        for row, step in enumerate(members):
            y = top + _BAND_PAD + _ROW * row + (_ROW - line_height(size)) / 2
            name = _fit(step.name, self.name_width - 12, size)
            # A step this role joins is named as its owner's row names it, in grey.
            line = (
                _text_line(name, size, colour=style.muted_text)
                if self._joins(step, key)
                else _text_line(name, size, bold=step.critical)
            )
            shapes.append(
                Label(Box(header.right + 6, y, self.name_width - 12, line_height(size)), (line,))
            )
        return Group(
            tuple(shapes),
            id=f"g-lane-{index + 1}",
            classes=("lane",),
            data={"role": "" if key == EVENTS_LANE else key},
        )

    def _axis(self, top: float) -> list[Shape]:
        size = self.style.small_size
        shapes: list[Shape] = []
        days = [self.first + _dt.timedelta(days=n) for n in range(self.count)]
        starts = self._month_starts()
        for day in days:
            x = self.x(day)
            if starts and day == starts[0]:
                starts.pop(0)
                words, box = self._month_words(day)
                # A month with too few days in view for its name (a plan starting on
                # the 31st) leaves the words to the next month's, which they would cross.
                if not starts or box.right + 4 <= self.x(starts[0]):
                    shapes.append(Label(box, (_text_line(words, size, bold=True),)))
                shapes.append(Polyline((Point(x, top), Point(x, top + _AXIS)), Stroke(_GRID, 0.8)))
            every = 1 if self.day >= 13 else 7
            if (every == 1 or day.weekday() == 0) and self.day >= 5:
                words = str(day.day)
                shapes.append(
                    Label(
                        Box(
                            x + (self.day - text_width(words, size)) / 2 if every == 1 else x + 1,
                            top + _AXIS - line_height(size) - 2,
                            text_width(words, size),
                            line_height(size),
                        ),
                        (_text_line(words, size, colour=self.style.muted_text),),
                    )
                )
        return shapes

    def _bar(self, step: PlannedStep, centre: float, key: str) -> Group:
        shapes: list[Shape] = []
        classes = ["bar", step.kind]
        size = self.style.small_size
        if step.kind == "milestone":
            x = self.at(step.finish_hours, end=True)
            if step.held_days > 0:  # held for its date: from the end of the work before it
                ready = step.finish_hours - step.held_days * self.plan.hours_per_day
                shapes.append(
                    Polyline(
                        (Point(self.at(ready, end=True), centre), Point(x - 6, centre)),
                        Stroke(_INK, 1.5, dashed=True),
                        classes=("held",),
                    )
                )
            shapes.append(Diamond(Box(x - 6, centre - 6, 12, 12), fill=_INK))
            start = end = x + 6
        else:
            left = self.at(step.start_hours, end=False)
            right = max(self.at(step.finish_hours, end=True), left + 3)
            fill = _CRITICAL if step.critical else _OTHER
            bar = Box(left, centre - 6, right - left, 12)
            shapes.append(Rect(bar, fill=fill, stroke=Stroke(_INK, 0.6), classes=("work",)))
            start, end = left, right
            if step.held_days > 0:  # levelled: the time it waited for its people
                ready = step.start_hours - step.held_days * self.plan.hours_per_day
                shapes.append(
                    Polyline(
                        (Point(self.at(ready, end=False), centre), Point(left, centre)),
                        Stroke(_INK, 1.5, dashed=True),
                        classes=("held",),
                    )
                )
        if step.wait_until is not None:
            wait_end = self.x(step.wait_until) + self.day
            shapes.append(
                Polyline((Point(end, centre), Point(wait_end, centre)), Stroke(_INK, 1.0))
            )
            shapes.append(
                Polyline(
                    (Point(wait_end, centre - 3), Point(wait_end, centre + 3)), Stroke(_INK, 1.0)
                )
            )
        if step.critical:
            classes.append("critical")
        if step.due is not None:
            due_x = self.x(step.due) + self.day
            shapes.append(
                Polyline(
                    (Point(due_x, centre - 9), Point(due_x, centre + 9)),
                    Stroke(_INK, 2.0),
                    classes=("due",),
                )
            )
            if step.late and step.kind != "milestone" and end > due_x:
                # The work past the due date is late; a due date before the work starts
                # is joined to it by a line, not a bar over days nobody works on it.
                late_from = max(due_x, start)
                late_box = Box(late_from, centre - 6, end - late_from, 12)
                shapes.append(Rect(late_box, fill=_LATE, stroke=Stroke(_INK, 0.6)))
                if due_x < start:
                    shapes.append(
                        Polyline(
                            (Point(due_x, centre), Point(start, centre)),
                            Stroke(_LATE, 1.5, dashed=True),
                            classes=("late-gap",),
                        )
                    )
            if step.late:
                classes.append("late")
                words, place = self._late_place(step)
                box = Box(place.x, centre - place.h / 2, place.w, place.h)
                shapes.append(Label(box, (_text_line(words, size, bold=True, colour=_LATE),)))
        data = {"step": step.step_id, "role": "" if key == EVENTS_LANE else key}
        if step.due is not None:
            data["due"] = step.due.isoformat()
        return Group(
            tuple(shapes),
            id=f"g-step-{step.step_id}",
            classes=tuple(classes),
            data=data,
            title=self._title_of(step),
        )

    def _span(self, step: PlannedStep) -> tuple[float, float]:
        """x where a step's bar starts and ends (a milestone: its diamond's right)."""
        if step.kind == "milestone":
            x = self.at(step.finish_hours, end=True) + 6
            return x, x
        left = self.at(step.start_hours, end=False)
        return left, max(self.at(step.finish_hours, end=True), left + 3)

    def _late_place(self, step: PlannedStep) -> tuple[str, Box]:
        """A late step's words (``2.5 days late``) and where they go, at height 0: after
        the bar, its wait and its due date; before them where that runs past the last
        day; where neither fits, after them, and ``_reach_words`` adds the days."""
        size = self.style.small_size
        start, end = self._span(step)
        due_x = self.x(step.due) + self.day if step.due is not None else end
        # the table's figure (two decimals), without its trailing zeros: 1.5, 0.45
        late_by = hours_text(-(step.slack_days or Decimal(0)), self.t.language, 2)
        words = self.t("gantt.late_label", days=late_by)
        wide = text_width(words, size, True)
        left = max(end, due_x) + 4
        if step.wait_until is not None:  # after the wait's line, not over it
            left = max(left, self.x(step.wait_until) + self.day + 4)
        first = start
        if step.held_days > 0:  # before the line of its hold, not over it
            ready = step.start_hours - step.held_days * self.plan.hours_per_day
            first = min(first, self.at(ready, end=False))
        before = min(first, due_x) - 4 - wide
        if left + wide > self.grid_right and before >= self.left + 2:
            left = before
        return words, Box(left, 0.0, wide, line_height(size))

    def _title_of(self, step: PlannedStep) -> str:
        """A bar's tooltip in the chart's language: the step and its days."""
        span = self.t("plan.span", start=self.t.day(step.start), finish=self.t.day(step.finish))
        return f"{step.name}: {span}"

    def _overbooked(self, found: Overbooking, top: float, height: float) -> Group:
        """The working days a role has more work at once than people, shaded across its
        lane under the bars (the notes and warnings say who and how many)."""
        shapes: list[Shape] = []
        day = found.start
        while day <= found.finish:
            if self.plan.working.is_working(day):
                box = Box(self.x(day), top + 1, self.day, height - 2)
                shapes.append(Rect(box, fill=_OVERBOOKED))
            day += _dt.timedelta(days=1)
        return Group(
            tuple(shapes),
            classes=("overbooked",),
            data={
                "role": found.role,
                "start": found.start.isoformat(),
                "finish": found.finish.isoformat(),
            },
            title=overbooking_text(found, self.t.language, self.names),
        )

    def _joint(self, step: PlannedStep, centre: float, key: str) -> Group:
        """``step`` in the lane of a role that works on it with the owner: the same span,
        outlined (its wait, due date and lateness are on the owner's row)."""
        left = self.at(step.start_hours, end=False)
        right = max(self.at(step.finish_hours, end=True), left + 3)
        colour = _CRITICAL if step.critical else _JOINT_OTHER
        box = Box(left, centre - 5, right - left, 10)
        classes = ["joint", step.kind, *(["critical"] if step.critical else [])]
        return Group(
            (Rect(box, fill=_JOINT_FILL, stroke=Stroke(colour, 1.5), classes=("work",)),),
            id=f"g-with-{step.step_id}-{self.keys.index(key) + 1}",
            classes=tuple(classes),
            data={"step": step.step_id, "role": key},
            title=self._title_of(step),
        )


def day_width(count: int) -> float:
    """Points a day takes on a chart of ``count`` days: about ``_TIMELINE`` for them all,
    5 to 18 points a day, but at least ``_TIMELINE_LEAST`` for them all (a short plan's)."""
    return round(max(5.0, min(_TIMELINE / count, max(18.0, _TIMELINE_LEAST / count))), 2)


def key_kinds(plan: Plan, *, joint: bool, off: bool, today: bool) -> list[str]:
    """What the key explains, in its order: only what the chart draws (no "milestone"
    for a plan without one, no "late" where every due date is met). ``joint``, ``off``
    and ``today``: whether the chart draws a role's bar of work with the owner, a
    weekend or holiday, and today's line."""
    work = [s for s in plan.steps if s.kind != "milestone"]
    drawn = {
        "critical": any(s.critical for s in work),
        "other": any(not s.critical for s in work),
        "joint": joint,
        "wait": any(s.wait_until is not None for s in plan.steps),
        "held": plan.levelled and any(s.held_days > 0 for s in work),
        "milestone": len(work) < len(plan.steps),
        "held_date": bool(plan.anchor_held_days),
        "due": any(s.due is not None for s in plan.steps),
        "late": any(s.late for s in plan.steps),
        "overbooked": bool(plan.overbooked),
        "off": off,
        "today": today,
    }
    return [kind for kind, shown in drawn.items() if shown]


def gantt_scene(
    plan: Plan, *, today: _dt.date | None = None, theme: str | Theme = DEFAULT_THEME
) -> Scene:
    """The plan as a Gantt chart scene (see the module docstring)."""
    return _Chart(plan, today, get_theme(theme)).build()

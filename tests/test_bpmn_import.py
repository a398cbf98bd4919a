"""``sopkit import bpmn``: real BPMN diagrams in, sopkit processes out, and round trips.

Every library process survives export → import unchanged (steps, roles,
after, rework, conditions, ranges, rates, costs to the last digit) and
exports again to the same bytes. Every BPMN MIWG reference model imports,
with warnings where something had to be guessed, or is refused with one line;
the BPSim examples give their times, probabilities and rates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import PROCESSES
from typer.testing import CliRunner

from sopkit.analysis import cost_process
from sopkit.cli import app
from sopkit.errors import InputError, Problem, SopkitError, ValidationError
from sopkit.interop.bpmn import export_bpmn, import_bpmn, import_texts, write_import
from sopkit.interop.bpmn.notes import slugify
from sopkit.interop.bpmn.reader import Timer, iso_hours, read_bpmn
from sopkit.interop.filedata import process_data, settings_data
from sopkit.load import load_process, load_settings
from sopkit.output import OutputError

HERE = Path(__file__).parent
MIWG = HERE / "bpmn" / "miwg"
EXAMPLES = HERE / "bpmn" / "bpsim-examples"
FIXTURE = HERE / "fixtures" / "bpmn"
LIBRARY = sorted(p for p in PROCESSES.glob("*/*.yaml") if p.name != "roles.yaml")
MODELS = sorted(MIWG.glob("*.bpmn"))
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _import(path: Path) -> tuple[list[dict], dict, list[str]]:  # type: ignore[type-arg]
    result = import_bpmn(path.read_bytes(), path.name)
    import_texts(result, path.name)  # what is written reads back as a valid process
    return (
        [p.data for p in result.processes],
        result.settings,
        _lines(result.warnings),
    )


def _lines(warnings: Sequence[Problem]) -> list[str]:
    """The warning lines as printed, less the code every one of them ends in (one code
    for whatever an import guessed): the tests read the words."""
    lines = [w.format() for w in warnings]
    assert all(line.endswith(" [import-guess]") for line in lines)
    return [line.removesuffix(" [import-guess]") for line in lines]


def _round_trip(path: Path, folder: Path) -> tuple[bytes, Path]:
    exported = export_bpmn(cost_process(load_process(path)))
    result = import_bpmn(exported, f"{path.stem}.bpmn")
    assert result.warnings == ()
    write_import(import_texts(result, f"{path.stem}.bpmn"), folder)
    return exported, folder / f"{result.processes[0].id}.yaml"


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*LIBRARY, FIXTURE / "webinar.yaml"], ids=lambda p: p.stem)
def test_a_round_trip_gives_the_same_process_costs_and_bytes(path: Path, tmp_path: Path) -> None:
    original = load_process(path)
    exported, written = _round_trip(path, tmp_path)
    back = load_process(written)
    assert process_data(back) == process_data(original)
    for callee, copy in zip(original.callees.values(), back.callees.values(), strict=True):
        assert process_data(copy) == process_data(callee)
    used = [s.owner for s in original.steps if s.owner] + [
        r for s in original.steps for r in s.participants
    ]
    assert settings_data(back.base_settings, used) == settings_data(original.base_settings, used)
    before, after = cost_process(original), cost_process(back)
    assert after.annual_total_cost == before.annual_total_cost
    assert after.annual_hours == before.annual_hours
    assert [s.annual_total_cost for s in after.steps] == [s.annual_total_cost for s in before.steps]
    assert export_bpmn(after) == exported


def test_sopkit_cost_agrees_to_the_cent_after_a_round_trip(tmp_path: Path) -> None:
    runner = CliRunner()
    source = PROCESSES / "en"
    runner.invoke(
        app, ["export", "bpmn", str(source), "-o", str(tmp_path / "bpmn")], catch_exceptions=False
    )
    for bpmn in sorted((tmp_path / "bpmn").glob("*.bpmn")):
        result = runner.invoke(app, ["import", "bpmn", str(bpmn), "-o", str(tmp_path / "back")])
        assert result.exit_code == 0, result.stderr
    before = runner.invoke(app, ["cost", str(source), "--format", "json"])
    after = runner.invoke(app, ["cost", str(tmp_path / "back"), "--format", "json"])
    assert before.exit_code == after.exit_code == 0, after.stderr
    old, new = json.loads(before.stdout), json.loads(after.stdout)
    for key in (
        "total_annual_cost",
        "total_annual_total_cost",
        "total_annual_hours",
        "total_external_hours",
    ):
        assert new[key] == old[key], key
    assert sorted((p["id"], p["annual_total_cost"]) for p in new["processes"]) == sorted(
        (p["id"], p["annual_total_cost"]) for p in old["processes"]
    )


def test_edits_made_in_a_modeler_come_back(tmp_path: Path) -> None:
    """Structure wins over the extension: a task moved to another lane, renamed, or given a
    new time in a simulation tool keeps the change."""
    xml = export_bpmn(
        cost_process(load_process(PROCESSES / "en" / "content-marketing.yaml"))
    ).decode()
    xml = xml.replace('name="Outline"', 'name="Outline the post"', 1)
    xml = xml.replace("<bpmn:flowNodeRef>Task_outline</bpmn:flowNodeRef>", "", 1).replace(
        "<bpmn:flowNodeRef>Task_research</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>Task_research</bpmn:flowNodeRef><bpmn:flowNodeRef>Task_outline</bpmn:flowNodeRef>",
        1,
    )
    start = xml.index('elementRef="Task_draft"')
    value = xml.index('mode="', start)
    xml = (
        xml[:value]
        + 'mode="2.5" min="2" max="3" timeUnit="hour"/>'
        + xml[xml.index("/>", value) + 2 :]
    )
    result = import_bpmn(xml.encode(), "edited.bpmn")
    steps = {s["id"]: s for s in result.processes[0].data["steps"]}
    assert steps["outline"]["name"] == "Outline the post"
    assert steps["outline"]["owner"] == "SEO Specialist"
    assert steps["draft"]["time"] == {"min": "2h", "likely": "2h30m", "max": "3h"}
    assert any(
        "differs from the time in the sopkit extension" in w.message for w in result.warnings
    )


def test_documentation_edited_in_a_modeler_is_the_done_when_and_purpose() -> None:
    """sopkit writes ``done_when`` and ``purpose`` as the documentation a modeler shows: an edit
    there comes back, and one deleted there is gone."""
    process = load_process(PROCESSES / "en" / "content-marketing.yaml")
    steps = {s.id: s for s in process.steps}
    xml = export_bpmn(cost_process(process)).decode()
    for step_id, text in (("outline", "Edited: the outline is approved"), ("draft", "")):
        done_when = steps[step_id].done_when
        assert done_when is not None
        old = f"<bpmn:documentation>{done_when}</bpmn:documentation>"
        assert xml.count(old) == 1
        xml = xml.replace(old, f"<bpmn:documentation>{text}</bpmn:documentation>" if text else "")
    assert process.purpose is not None
    purpose = f"<bpmn:documentation>{process.purpose}</bpmn:documentation>"
    assert xml.count(purpose) == 1
    xml = xml.replace(purpose, "<bpmn:documentation>Edited purpose</bpmn:documentation>")
    assert process.trigger is not None
    trigger = f"<bpmn:documentation>{escape(process.trigger)}</bpmn:documentation>"
    assert xml.count(trigger) == 1  # the start event's
    xml = xml.replace(trigger, "<bpmn:documentation>Edited trigger</bpmn:documentation>")
    result = import_bpmn(xml.encode(), "edited.bpmn")
    data = result.processes[0].data
    imported = {s["id"]: s for s in data["steps"]}
    assert imported["outline"]["done_when"] == "Edited: the outline is approved"
    assert "done_when" not in imported["draft"]
    assert imported["research"]["done_when"] == steps["research"].done_when
    assert data["purpose"] == "Edited purpose"
    assert data["trigger"] == "Edited trigger"
    assert not result.warnings


def test_another_modelers_documentation_becomes_the_steps_instructions() -> None:
    """A task's documentation from another modeler says how the task is done: its paragraphs
    are the instructions, HTML (``textFormat="text/html"``) read as the text it shows."""
    processes, _, _ = _import(MIWG / "C.7.0.bpmn")
    steps = {s["id"]: s for s in processes[0]["steps"]}
    assert steps["approve-advertisement"]["instructions"] == [
        "The job description edited to a job advertisement has to be checked and approved."
    ]
    processes, _, _ = _import(MIWG / "C.3.0.bpmn")
    steps = {s["id"]: s for s in processes[0]["steps"]}
    assert steps["perform-repair-premium-level"]["instructions"] == [
        "These customers get special service in case of damage.",
        "This service level guarantees less than two days to solve the issue.",
    ]
    html = (
        '<documentation textFormat="text/html">&lt;p&gt;Check the &amp;lt;PO&amp;gt;.&lt;/p&gt;'
        "&lt;p&gt;Then &lt;b&gt;approve&lt;/b&gt; it.&lt;/p&gt;</documentation>"
    )
    xml = f"""<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <process id="p" name="Orders">
    <startEvent id="s"/>
    <userTask id="t" name="Check order">{html}</userTask>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
  </process>
</definitions>"""
    processes, _, _ = _import_bytes(xml.encode(), "orders.bpmn")
    assert processes[0]["steps"][0]["instructions"] == ["Check the <PO>.", "Then approve it."]


@pytest.mark.parametrize(
    ("documentation", "instructions"),
    [
        (
            "1. Open the file\n2) Check the totals\n- Send it",
            ["Open the file", "Check the totals", "Send it"],
        ),
        ("<p>First<p>Second", ["First", "Second"]),
        (
            "<table><tr><td>c1</td><td>c2</td></tr></table><div>x<b>bold</b>y</div>",
            ["c1 c2", "xboldy"],
        ),
        ("<style>p {color:red}</style>Styled<br>next", ["Styled", "next"]),
        ("a<!-- b > c -->end", ["aend"]),
    ],
)
def test_documentation_lines_as_typed_and_html_as_shown(
    documentation: str, instructions: list[str]
) -> None:
    """Each line typed is an instruction (the SOP numbers them, so list markers go); HTML is
    read as a browser shows it: a line per block, cells apart, styles and comments unseen."""
    kind = "html" if "<" in documentation else "plain"
    text = f'<documentation textFormat="text/{kind}">{escape(documentation)}</documentation>'
    xml = f"""<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <process id="p" name="Orders">
    <userTask id="t" name="Check order">{text}</userTask>
  </process>
</definitions>"""
    processes, _, _ = _import_bytes(xml.encode(), "orders.bpmn")
    assert processes[0]["steps"][0]["instructions"] == instructions


def _orders(inside: str, collaboration: str = "") -> bytes:
    return f"""<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">{collaboration}
  <process id="p" name="Orders">
    <startEvent id="s"/>
    {inside}
    <endEvent id="e" name="Order shipped"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="m"/>
    <sequenceFlow id="f3" sourceRef="m" targetRef="e"/>
  </process>
</definitions>""".encode()


def test_an_annotation_on_a_task_or_event_is_a_line_of_its_instructions() -> None:
    """A text annotation drawn beside a task (an association links them, either way round)
    says how the task is done: a line of the step's instructions, after its documentation's;
    an intermediate event's documentation is its milestone's instructions, as a task's."""
    xml = _orders(
        '<userTask id="t" name="Check order"><documentation>Open the order.</documentation>'
        "</userTask>"
        '<intermediateCatchEvent id="m" name="Paid"><documentation>The bank confirms.'
        "</documentation></intermediateCatchEvent>"
        '<textAnnotation id="a1"><text>Use the checklist</text></textAnnotation>'
        '<association id="as1" sourceRef="t" targetRef="a1"/>'
        '<textAnnotation id="a2"><text>Two days at most</text></textAnnotation>'
        '<association id="as2" sourceRef="a2" targetRef="m"/>'
    )
    (process,), _, warnings = _import_bytes(xml, "orders.bpmn")
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["check-order"]["instructions"] == ["Open the order.", "Use the checklist"]
    assert steps["paid"]["instructions"] == ["The bank confirms.", "Two days at most"]
    assert not any("annotation" in w for w in warnings)


def test_an_annotation_added_to_a_sopkit_export_joins_the_instructions() -> None:
    """sopkit writes no annotations: one in its export was added in a modeler, and its
    lines follow the instructions the extension carries (the documentation stays the
    ``done_when``), with or without the extension."""
    process = load_process(PROCESSES / "en" / "content-marketing.yaml")
    step = process.steps[0]
    xml = export_bpmn(cost_process(process)).decode()
    note = (
        '<bpmn:textAnnotation id="TextAnnotation_1"><bpmn:text>Ask sales first</bpmn:text>'
        f'</bpmn:textAnnotation><bpmn:association id="Association_1" sourceRef="Task_{step.id}" '
        'targetRef="TextAnnotation_1"/>'
    )
    xml = xml.replace("</bpmn:process>", f"{note}</bpmn:process>", 1)
    for text, before in ((xml, list(step.instructions)), (_without_extension(xml), [])):
        result = import_bpmn(text.encode(), "content-marketing.bpmn")
        back = result.processes[0].data["steps"][0]
        assert back["instructions"] == [*before, "Ask sales first"]
        assert back.get("done_when") == step.done_when
        assert not any("left out" in w.message for w in result.warnings)


def test_texts_no_field_holds_are_listed_in_one_warning() -> None:
    """An end event's name (an outcome), an inlined sub-process's name, documentation on
    flows, gateways and the other events, and an annotation on no step have no place in
    a process file: one warning for the file counts them and names a few."""
    (_, _, c81) = _import(MIWG / "C.8.1.bpmn")
    left = [w for w in c81 if "texts no field holds, left out" in w]
    assert len(left) == 1 and "5 end-event names ('Vacation Refused Automatically'," in left[0]
    (_, _, a2) = _import(MIWG / "A.2.0.bpmn")  # its split is the question, its merge a label
    (left,) = [w for w in a2 if "texts no field holds" in w]
    assert "1 gateway name ('Gateway (Merge Flows)')" in left
    (_, _, a4) = _import(MIWG / "A.4.0.bpmn")
    (left,) = [w for w in a4 if "texts no field holds" in w]
    assert "2 sub-process names ('Expanded Sub-Process 1', 'Expanded Sub-Process 2')" in left
    (_, _, c9) = _import(MIWG / "C.9.0.bpmn")
    (left,) = [w for w in c9 if "texts no field holds" in w]
    # documentation is named as its element's, apart from the element's name
    assert "3 end-event names ('Application issued', 'Application rejected' and 1 more)" in left
    assert (
        "4 texts on events (documentation of 'Application issued', documentation of "
        "'Application rejected' and 2 more)"
    ) in left
    assert "1 text on a gateway (documentation of 'Risk?')" in left
    assert (
        "3 texts on flows (documentation of 'Red (severe risk)', documentation of 'Green (no "
        "risk)' and 1 more)"
    ) in left
    # the texts of C.9.0's event sub-processes went with them, in the warnings leaving them out
    assert "Catches timeout" not in left and "'Handle timeout'" not in left
    (_, _, b2) = _import(MIWG / "B.2.0.bpmn")  # on an inlined sub-process: no step has it
    (left,) = [w for w in b2 if "texts no field holds" in w]
    assert left.endswith("1 annotation ('Annotation')")
    xml = _orders(
        '<task id="t" name="Pack"/><intermediateThrowEvent id="m" name="Packed"/>'
        '<textAnnotation id="a1"><text>Fragile goods go in the blue boxes, always</text>'
        "</textAnnotation>",
        '<collaboration id="c"><participant id="pp" name="Shop" processRef="p"/>'
        '<messageFlow id="mf" sourceRef="t" targetRef="pp"><documentation>The parcel'
        "</documentation></messageFlow></collaboration>",
    )
    (_, _, warnings) = _import_bytes(xml, "orders.bpmn")
    assert warnings[-1] == (
        "orders.bpmn: warning: texts no field holds, left out: 1 end-event name ('Order "
        "shipped'), 1 text on a flow (documentation of 'mf'), 1 annotation ('Fragile goods "
        "go in the blue boxes, alw…')"
    )
    # a library export's end events are named "Done": nothing is left out
    for path in (PROCESSES / "ko" / "content-marketing-ko.yaml",):
        result = import_bpmn(
            _without_extension(export_bpmn(cost_process(load_process(path))).decode()).encode(),
            "ko.bpmn",
        )
        assert not any("texts no field holds" in w.message for w in result.warnings)
    # an end event's name and its documentation are two texts, each named as itself
    (_, _, timer) = _import(FIXTURE / "timer.bpmn")
    (left,) = [w for w in timer if "texts no field holds" in w]
    assert left.endswith(
        "1 end-event name ('Quote closed'), 1 text on an event (documentation of 'Quote closed')"
    )


def _shop(
    *,
    collaboration: str = "",
    shop: str = "",
    customer: str = "",
    process: str = "",
    sales: str = "",
) -> bytes:
    """Orders between two pools, the shop (lanes Sales and Warehouse) and the customer (no
    lanes), each text given as the documentation of its element."""

    def doc(text: str) -> str:
        return f"<documentation>{text}</documentation>" if text else ""

    return f"""<?xml version="1.0"?>
<definitions xmlns="{BPMN_NS}" id="d">
  <collaboration id="c" name="Ordering">{doc(collaboration)}
    <participant id="shop" name="Shop" processRef="p">{doc(shop)}</participant>
    <participant id="customer" name="Customer" processRef="q">{doc(customer)}</participant>
    <messageFlow id="m1" sourceRef="order" targetRef="check"/>
  </collaboration>
  <process id="p">{doc(process)}
    <laneSet id="ls">
      <lane id="sales" name="Sales">{doc(sales)}<flowNodeRef>check</flowNodeRef></lane>
      <lane id="warehouse" name="Warehouse"><flowNodeRef>pack</flowNodeRef></lane>
    </laneSet>
    <task id="check" name="Check order"/>
    <task id="pack" name="Pack order"/>
    <sequenceFlow id="f1" sourceRef="check" targetRef="pack"/>
  </process>
  <process id="q">
    <task id="order" name="Place order"/>
  </process>
</definitions>""".encode()


def test_lanes_pools_and_the_collaboration_describe_the_roles_and_the_purpose() -> None:
    """A lane's documentation describes its role; a pool's is the purpose when the process
    has none, else it describes the role the pool is (one without lanes); the
    collaboration's, with the purpose taken, has no field and is counted as left out."""
    result = import_bpmn(
        _shop(
            collaboration="How a web order is handled.",
            shop="The web shop's order desk.",
            customer="Anyone who orders online.",
            sales="Takes orders and answers customers.",
        ),
        "shop.bpmn",
    )
    assert result.processes[0].data["purpose"] == "The web shop's order desk."
    roles = result.settings["roles"]
    assert roles["Sales"]["description"] == "Takes orders and answers customers."
    assert roles["Customer"]["description"] == "Anyone who orders online."
    assert "description" not in roles["Warehouse"]
    (left,) = [w.message for w in result.warnings if "texts no field holds" in w.message]
    assert left == (
        "texts no field holds, left out: 1 text on a collaboration (documentation of 'Ordering')"
    )
    written = import_texts(result, "shop.bpmn").texts["roles.yaml"]
    assert "description: Takes orders and answers customers." in written


@pytest.mark.parametrize(
    ("texts", "purpose", "left"),
    [
        # the process's own documentation is the purpose (sopkit writes it there)
        (
            {"process": "Orders, click to parcel.", "shop": "Order desk.", "collaboration": "All"},
            "Orders, click to parcel.",
            "1 text on a collaboration (documentation of 'Ordering'), "
            "1 text on a pool (documentation of 'Shop')",
        ),
        # without a pool's, the collaboration's
        ({"collaboration": "How a web order is handled."}, "How a web order is handled.", None),
        # a pool without lanes first: its text is still the purpose (the first that says one)
        ({"customer": "Orders placed online."}, "Orders placed online.", None),
    ],
)
def test_the_purpose_is_the_first_documentation_of_the_process_its_pools_or_collaboration(
    texts: dict[str, str], purpose: str, left: str | None
) -> None:
    result = import_bpmn(_shop(**texts), "shop.bpmn")
    assert result.processes[0].data["purpose"] == purpose
    found = [w.message for w in result.warnings if "texts no field holds" in w.message]
    assert found == ([] if left is None else [f"texts no field holds, left out: {left}"])


def test_a_lanes_documentation_is_its_roles_description_and_an_edit_there_wins() -> None:
    """sopkit writes each role's description as its lane's documentation (the extension
    carries it too), so a round trip keeps it without a word; a text edited there in a
    modeler wins, as an edited ``done_when`` does; a text deleted there leaves the
    extension's; and once a tool has dropped the extension, the lanes still give them."""
    import re

    process = load_process(PROCESSES / "en" / "content-marketing.yaml")
    xml = export_bpmn(cost_process(process)).decode()
    described = {
        name: role.description
        for name, role in process.settings.roles.items()
        if role.description and any(s.owner == name for s in process.steps)
    }
    assert len(described) >= 4
    for text in (xml, _without_extension(xml)):
        result = import_bpmn(text.encode(), "content-marketing.bpmn")
        roles = result.settings["roles"]
        assert {name: roles[name].get("description") for name in described} == described
        assert not any("texts no field holds" in w.message for w in result.warnings)
    editor = described["Editor"]
    edited = xml.replace(
        f"<bpmn:documentation>{editor}</bpmn:documentation>",
        "<bpmn:documentation>Checks every post.</bpmn:documentation>",
    )
    assert edited != xml
    for text in (edited, _without_extension(edited)):
        result = import_bpmn(text.encode(), "content-marketing.bpmn")
        assert result.settings["roles"]["Editor"]["description"] == "Checks every post."
        assert not any("texts no field holds" in w.message for w in result.warnings)
    deleted = re.sub(
        r'(<bpmn:lane id="Lane_content-marketing_3" name="Editor">)\s*<bpmn:documentation>'
        r"[^<]*</bpmn:documentation>",
        r"\1",
        xml,
    )
    assert deleted != xml
    result = import_bpmn(deleted.encode(), "content-marketing.bpmn")
    assert result.settings["roles"]["Editor"]["description"] == editor
    result = import_bpmn(_without_extension(deleted).encode(), "content-marketing.bpmn")
    assert "description" not in result.settings["roles"]["Editor"]


def test_lane_texts_go_to_a_processs_own_roles_and_the_first_lane_of_a_shared_role() -> None:
    """A role the process defines itself (its file's ``roles``) is described there; a role
    two processes share (the webinar's and its clip's Writer) takes its first lane's text,
    and sopkit's events lane is no role: those other texts are counted as left out."""
    import re

    xml = export_bpmn(cost_process(load_process(FIXTURE / "webinar.yaml"))).decode()
    for lane, text in (
        ("Lane_webinar_1", "Dates to keep"),
        ("Lane_webinar_3", "Writes the copy"),
        ("Lane_webinar_4", "An outside expert"),
        ("Lane_clip_2", "Cuts the clips"),
    ):
        xml, found = re.subn(
            rf'(<bpmn:lane id="{lane}"[^>]*>)',
            rf"\1<bpmn:documentation>{text}</bpmn:documentation>",
            xml,
        )
        assert found == 1, lane
    result = import_bpmn(xml.encode(), "webinar.bpmn")
    own = result.processes[0].data["roles"]["Guest Speaker"]
    assert own["description"] == "An outside expert"
    assert "Guest Speaker" not in result.settings["roles"]
    assert result.settings["roles"]["Writer"]["description"] == "Writes the copy"
    assert [w.message for w in result.warnings] == [
        "texts no field holds, left out: 2 texts on lanes (documentation of 'Milestones and "
        "sub-procedures', documentation of 'Writer')"
    ]
    import_texts(result, "webinar.bpmn")  # the described roles load


def test_a_flows_name_that_answers_no_question_is_counted_as_left_out() -> None:
    """A decision's branch names are its condition's answers, and a loop's "yes" and "no"
    are its rework: the name of any other flow (a label on the way between two tasks)
    has no field, and the left-out warning names it."""
    xml = f"""<definitions xmlns="{BPMN_NS}" id="d"><process id="p" name="Orders">
  <startEvent id="s"/>
  <task id="check" name="Check order"/>
  <exclusiveGateway id="ok" name="Complete?"/>
  <task id="pack" name="Pack order"/>
  <exclusiveGateway id="how" name="Express?"/>
  <task id="courier" name="Call courier"/>
  <task id="post" name="Post parcel"/>
  <exclusiveGateway id="join"/>
  <task id="bill" name="Send invoice"/>
  <endEvent id="e"/>
  <sequenceFlow id="f1" sourceRef="s" targetRef="check"/>
  <sequenceFlow id="f2" sourceRef="check" targetRef="ok"/>
  <sequenceFlow id="back" name="no" sourceRef="ok" targetRef="check"/>
  <sequenceFlow id="on" name="yes" sourceRef="ok" targetRef="pack"/>
  <sequenceFlow id="f3" sourceRef="pack" targetRef="how"/>
  <sequenceFlow id="b1" name="Express" sourceRef="how" targetRef="courier"/>
  <sequenceFlow id="b2" name="Standard" sourceRef="how" targetRef="post"/>
  <sequenceFlow id="f4" sourceRef="courier" targetRef="join"/>
  <sequenceFlow id="f5" sourceRef="post" targetRef="join"/>
  <sequenceFlow id="f6" name="Parcel sent" sourceRef="join" targetRef="bill"/>
  <sequenceFlow id="f7" sourceRef="bill" targetRef="e"/>
</process></definitions>"""
    (process,), _, warnings = _import_bytes(xml.encode(), "orders.bpmn")
    (condition,) = process["conditions"].values()
    assert set(condition["options"]) == {"Express", "Standard"}
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["check-order"]["rework"]["to"] == "check-order"
    (left,) = [w for w in warnings if "texts no field holds" in w]
    assert left.endswith("left out: 1 flow name ('Parcel sent')")


def test_a_gateways_name_that_asks_no_question_is_counted_as_left_out() -> None:
    """A decision's name is its condition's question, and a loop's is the question its
    rework answers (where it goes back, "Complete?", or where it is checked at its start,
    "More items?"); a name on any other gateway ("Merge", a split whose ways all lead to
    the same steps) is a label no field holds, and the left-out warning names it."""
    xml = f"""<definitions xmlns="{BPMN_NS}" id="d"><process id="p" name="Orders">
  <startEvent id="s"/>
  <exclusiveGateway id="again"/>
  <exclusiveGateway id="more" name="More items?"/>
  <task id="pick" name="Pick item"/>
  <task id="check" name="Check order"/>
  <exclusiveGateway id="ok" name="Complete?"/>
  <parallelGateway id="both" name="Both at once"/>
  <task id="pack" name="Pack order"/>
  <task id="bill" name="Send invoice"/>
  <parallelGateway id="join"/>
  <exclusiveGateway id="outcome" name="Review outcome"/>
  <exclusiveGateway id="merge" name="Merge"/>
  <exclusiveGateway id="how" name="Express?"/>
  <task id="courier" name="Call courier"/>
  <task id="post" name="Post parcel"/>
  <exclusiveGateway id="sent"/>
  <endEvent id="e"/>
  <sequenceFlow id="f0" sourceRef="s" targetRef="again"/>
  <sequenceFlow id="f1" sourceRef="again" targetRef="more"/>
  <sequenceFlow id="m1" name="yes" sourceRef="more" targetRef="pick"/>
  <sequenceFlow id="m2" sourceRef="pick" targetRef="again"/>
  <sequenceFlow id="m3" name="no" sourceRef="more" targetRef="check"/>
  <sequenceFlow id="f2" sourceRef="check" targetRef="ok"/>
  <sequenceFlow id="back" name="no" sourceRef="ok" targetRef="check"/>
  <sequenceFlow id="on" name="yes" sourceRef="ok" targetRef="both"/>
  <sequenceFlow id="p1" sourceRef="both" targetRef="pack"/>
  <sequenceFlow id="p2" sourceRef="both" targetRef="bill"/>
  <sequenceFlow id="p3" sourceRef="pack" targetRef="join"/>
  <sequenceFlow id="p4" sourceRef="bill" targetRef="join"/>
  <sequenceFlow id="f3" sourceRef="join" targetRef="outcome"/>
  <sequenceFlow id="o1" sourceRef="outcome" targetRef="merge"/>
  <sequenceFlow id="o2" sourceRef="outcome" targetRef="merge"/>
  <sequenceFlow id="f4" sourceRef="merge" targetRef="how"/>
  <sequenceFlow id="b1" name="Express" sourceRef="how" targetRef="courier"/>
  <sequenceFlow id="b2" name="Standard" sourceRef="how" targetRef="post"/>
  <sequenceFlow id="f5" sourceRef="courier" targetRef="sent"/>
  <sequenceFlow id="f6" sourceRef="post" targetRef="sent"/>
  <sequenceFlow id="f7" sourceRef="sent" targetRef="e"/>
</process></definitions>"""
    (process,), _, warnings = _import_bytes(xml.encode(), "orders.bpmn")
    questions = [c["question"] for c in process["conditions"].values()]
    assert questions == ["More items?", "Express?"]
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["check-order"]["rework"]["to"] == "check-order"
    (left,) = [w for w in warnings if "texts no field holds" in w]
    assert left.endswith(
        "left out: 3 gateway names ('Both at once', 'Review outcome' and 1 more)"
    ), left
    for asked in ("Express?", "Complete?", "More items?"):
        assert asked not in left
    # sopkit's own gateways stand for fields (Approved?, Runs this time?): none is counted,
    # with the extension's markers or without them
    for path in [*LIBRARY, FIXTURE / "webinar.yaml"]:
        xml = export_bpmn(cost_process(load_process(path))).decode()
        for text in (xml, _without_extension(xml)):
            result = import_bpmn(text.encode(), f"{path.stem}.bpmn")
            assert not any("gateway name" in w.message for w in result.warnings), path.stem


def _campaign() -> bytes:
    """Marketing briefs an agency: named message flows between the two pools, from and to
    a customer drawn as a pool without a process, and between two such pools."""
    return f"""<?xml version="1.0"?>
<definitions xmlns="{BPMN_NS}" id="d">
  <collaboration id="c">
    <participant id="marketing" name="Marketing" processRef="m"/>
    <participant id="agency" name="Agency" processRef="a"/>
    <participant id="customer" name="Customer"/>
    <participant id="bank" name="Bank"/>
    <messageFlow id="request" name="Campaign request" sourceRef="customer" targetRef="ms"/>
    <messageFlow id="brief" name="Send brief" sourceRef="write" targetRef="as"/>
    <messageFlow id="creative" name="Creative" sourceRef="produce" targetRef="review"/>
    <messageFlow id="launch" name="Send campaign" sourceRef="review" targetRef="customer"/>
    <messageFlow id="quiet" sourceRef="produce" targetRef="customer"/>
    <messageFlow id="pay" name="Payment" sourceRef="customer" targetRef="bank"/>
  </collaboration>
  <process id="m">
    <laneSet id="ml"><lane id="lead" name="Content Lead">
      <flowNodeRef>ms</flowNodeRef><flowNodeRef>write</flowNodeRef>
      <flowNodeRef>review</flowNodeRef><flowNodeRef>me</flowNodeRef>
    </lane></laneSet>
    <startEvent id="ms"/>
    <task id="write" name="Write brief"><documentation>Use the brief template.</documentation>
    </task>
    <task id="review" name="Review creative"/>
    <endEvent id="me"/>
    <sequenceFlow id="m1" sourceRef="ms" targetRef="write"/>
    <sequenceFlow id="m2" sourceRef="write" targetRef="review"/>
    <sequenceFlow id="m3" sourceRef="review" targetRef="me"/>
  </process>
  <process id="a">
    <startEvent id="as"/>
    <task id="produce" name="Produce creative"/>
    <endEvent id="ae"/>
    <sequenceFlow id="a1" sourceRef="as" targetRef="produce"/>
    <sequenceFlow id="a2" sourceRef="produce" targetRef="ae"/>
  </process>
</definitions>""".encode()


def test_a_message_flows_name_opens_the_instructions_of_the_step_receiving_it() -> None:
    """A named message flow says what one pool hands another: the step that receives it
    (the task it reaches, or the steps a start event it begins leads to) opens its
    instructions with the message and who sends it (their role, else their pool); one
    that no step receives (to a pool without a process) closes the sender's; a name
    neither end keeps is counted as left out, and an unnamed message adds nothing."""
    (process,), _, warnings = _import_bytes(_campaign(), "campaign.bpmn")
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["write-brief"]["instructions"] == [
        "Message from Customer: Campaign request",
        "Use the brief template.",
    ]
    assert steps["produce-creative"]["instructions"] == ["Message from Content Lead: Send brief"]
    assert steps["produce-creative"]["after"] == ["write-brief"]  # still a hand-off
    assert steps["review-creative"]["instructions"] == [
        "Message from Agency: Creative",
        "Message to Customer: Send campaign",
    ]
    (left,) = [w for w in warnings if "texts no field holds" in w]
    assert left.endswith("left out: 1 message-flow name ('Payment')")
    # MIWG C.2.0: the customer's card details begin the card company's part
    (shop,), _, _ = _import(MIWG / "C.2.0.bpmn")
    (payment,) = [s for s in shop["steps"] if s["id"] == "take-payment"]
    assert payment["instructions"] == ["Message from Customer: Send Credit Card Information"]


def test_a_message_flows_name_comes_through_the_sop_and_a_round_trip(tmp_path: Path) -> None:
    """The line is the step's: the SOP shows it where the step is done, and an export and
    an import of the written process keep it once, without a word."""
    from sopkit.render.sop import render_sop

    result = import_bpmn(_campaign(), "campaign.bpmn")
    for role in result.settings["roles"].values():
        role["rate"] = Decimal(50)
    write_import(import_texts(result, "campaign.bpmn"), tmp_path)
    process = load_process(tmp_path / f"{result.processes[0].id}.yaml")
    sop = render_sop(cost_process(process))
    assert "Message from Content Lead: Send brief" in sop
    back = import_bpmn(export_bpmn(cost_process(process)), "campaign.bpmn")
    assert back.warnings == ()
    again = {s["id"]: s.get("instructions") for s in back.processes[0].data["steps"]}
    assert again == {s.id: list(s.instructions) or None for s in process.steps}


def test_lanes_come_from_the_diagram_when_no_lane_lists_its_nodes() -> None:
    xml = export_bpmn(cost_process(load_process(FIXTURE / "webinar.yaml"))).decode()
    import re

    stripped = re.sub(r"\s*<bpmn:flowNodeRef>[^<]*</bpmn:flowNodeRef>", "", xml)
    assert "flowNodeRef" not in stripped
    original = import_bpmn(xml.encode(), "w.bpmn").processes[0].data["steps"]
    by_shape = import_bpmn(stripped.encode(), "w.bpmn").processes[0].data["steps"]
    assert [s.get("owner") for s in by_shape] == [s.get("owner") for s in original]


# --- the MIWG reference models ----------------------------------------------------------------


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_reference_model_imports_or_is_refused_with_one_line(path: Path) -> None:
    try:
        processes, settings, warnings = _import(path)
    except SopkitError as exc:
        assert len(exc.problems) == 1 and "\n" not in exc.problems[0].format()
        return
    assert processes and all(p["steps"] for p in processes)
    for line in warnings:
        assert line.startswith(f"{path.name}: warning: ") and "\n" not in line


def _counts(name: str) -> list[tuple[int, int]]:
    processes, _, _ = _import(MIWG / f"{name}.bpmn")
    return [
        (len(p["steps"]), len({s["owner"] for s in p["steps"] if "owner" in s})) for p in processes
    ]


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("A.1.0", [(3, 1)]),  # three tasks in a row, no lanes: one role
        ("A.2.0", [(4, 1)]),  # Task 1, then one of Tasks 2, 3, 4
        ("A.4.0", [(6, 3)]),  # a pool and a pool with two lanes; tasks 4 and 6 inside sub-processes
        ("C.5.0", [(17, 3), (2, 1)]),  # 16 tasks and the call; the called process's two tasks
        ("C.7.0", [(6, 3)]),  # Hiring manager, Recruitment and the engine's three tasks
    ],
)
def test_step_and_role_counts(name: str, counts: list[tuple[int, int]]) -> None:
    assert _counts(name) == counts


def test_c_4_0_pools_drawn_in_collaborations_of_their_own_are_all_read() -> None:
    """C.4.0 draws its onboarding as four collaborations of one pool each: IT, Payroll and
    Facilities are pools of the process (their tasks its steps), and a warning says so."""
    (process,), _, warnings = _import(MIWG / "C.4.0.bpmn")
    steps = {s["name"]: s for s in process["steps"]}
    assert process["name"] == "Money Bank"
    assert steps["Create domain account"]["owner"] == "IT"
    assert steps["Update payroll system"]["owner"] == "Payroll"
    assert steps["Configure access details"]["owner"] == "Facilities"
    assert len(process["steps"]) == 26
    assert any(
        "4 collaborations: 'IT', 'Payroll', 'Facilities' are read as pools of this one "
        "process beside 'Money Bank'" in w
        for w in warnings
    )


def test_a_1_0_is_a_sequence() -> None:
    (process,), settings, warnings = _import(MIWG / "A.1.0.bpmn")
    assert [(s["id"], s.get("after")) for s in process["steps"]] == [
        ("task-1", None),
        ("task-2", ["task-1"]),
        ("task-3", ["task-2"]),
    ]
    assert settings["roles"] == {"Process owner": settings["roles"]["Process owner"]}
    untimed = [w.split(": warning: ", 1)[-1] for w in warnings if "no processing time" in w]
    # named as the file names them: the modeler's ids (GUIDs here) are nowhere in it
    assert untimed == [
        "no processing time (BPSim) for 3 steps: 1h assumed ('task-1', 'task-2', 'task-3')"
    ]
    assert sum("owner" in w for w in warnings) == 1  # said once, by the lanes' warning


def test_a_2_0_exclusive_split_is_a_condition_with_equal_shares() -> None:
    (process,), _, warnings = _import(MIWG / "A.2.0.bpmn")
    (condition,) = process["conditions"].values()
    assert condition["question"] == "Gateway (Split Flow)"
    assert condition["options"] == {
        "Task 2": Decimal("0.3334"),
        "Task 3": Decimal("0.3333"),
        "Task 4": Decimal("0.3333"),
    }
    whens = [s.get("when") for s in process["steps"]]
    assert whens[0] is None and [list(w.values())[0] for w in whens[1:]] == [
        ["Task 2"],
        ["Task 3"],
        ["Task 4"],
    ]
    assert any("branch shares not given (BPSim): equal shares assumed" in w for w in warnings)


def test_a_4_0_pools_and_lanes_are_roles_and_message_flows_hand_offs() -> None:
    (process,), settings, _ = _import(MIWG / "A.4.0.bpmn")
    steps = {s["name"]: s for s in process["steps"]}
    assert list(settings["roles"]) == ["Pool", "Lane 1", "Lane 2"]
    assert steps["Task 1"]["owner"] == "Pool" and steps["Task 6"]["owner"] == "Lane 2"
    assert steps["Task 3"]["after"] == ["task-1"]  # Message Flow 1
    assert steps["Task 2"]["after"] == ["task-1", "task-5"]  # its own pool, and Message Flow 2
    assert steps["Task 4"]["after"] == ["task-3"]  # inside Expanded Sub-Process 1
    assert steps["Task 5"]["after"] == ["task-4"]  # after the sub-process


def test_c_7_0_loop_back_through_a_gateway_is_rework() -> None:
    (process,), _, warnings = _import(MIWG / "C.7.0.bpmn")
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["approve-advertisement"]["rework"] == {
        "to": "complete-advertisement",
        "probability": Decimal("0.5"),
    }
    assert steps["publish-on-other-platforms"]["after"] == ["select-other-platforms"]
    # the gateway's question, which the file has no place for, is in the warning
    assert any(
        "how often work goes back from 'approve-advertisement' to 'complete-advertisement' at "
        "'Advertisement approved?' is not given (BPSim): 0.5 assumed" in w
        for w in warnings
    )
    assert any("runs several times, how many is not given" in w for w in warnings)


def test_c_5_0_call_activity_runs_the_called_process() -> None:
    (bank, called), settings, _ = _import(MIWG / "C.5.0.bpmn")
    (call,) = [s for s in bank["steps"] if "process" in s]
    assert call["process"] == called["id"] == "check-for-connected-clients"
    assert "owner" not in call and "time" not in call
    # the called process has no lanes: it is done by whoever calls it
    assert {s["owner"] for s in called["steps"]} == {"Private Customer Account Manager"}
    assert "Check for connected clients" not in settings["roles"]


def test_a_pool_another_pool_calls_is_a_process_of_its_own_done_by_its_pool() -> None:
    """Sales calls Legal's process, which Legal's pool shows: Legal's process is a
    process of its own, named and done by Legal (not by the caller), and the message
    flow from Sales to Legal is between two processes, not to a pool without one."""
    (sales, legal), settings, warnings = _import(FIXTURE / "calledpool.bpmn")
    assert (sales["name"], legal["name"], legal["id"]) == ("Sales", "Legal", "legal")
    (call,) = [s for s in sales["steps"] if "process" in s]
    assert call["process"] == "legal"
    assert legal["owner"] == "Legal"
    assert [s["owner"] for s in legal["steps"]] == ["Legal"]
    assert set(settings["roles"]) == {"Sales", "Legal"}
    assert not any("without a process" in w for w in warnings)
    assert any(
        w.startswith(
            "calledpool.bpmn: warning: message flow between two processes of this file: left out"
        )
        and "m1" in w
        for w in warnings
    )
    # the hand-off is left out, but not what it says: its name is the receiving step's
    xml = (FIXTURE / "calledpool.bpmn").read_text(encoding="utf-8")
    named = xml.replace('<bpmn:messageFlow id="m1"', '<bpmn:messageFlow id="m1" name="Contract"')
    assert named != xml
    (_, legal), _, _ = _import_bytes(named.encode(), "calledpool.bpmn")
    assert [s.get("instructions") for s in legal["steps"]] == [["Message from Sales: Contract"]]


def test_pools_that_call_each_other_keep_their_names_and_roles() -> None:
    """Team A and Team B call each other's process: each is a process done by its pool,
    and the call that goes back round is one task, said to be a loop of calls."""
    (a, b), settings, warnings = _import(FIXTURE / "mutual.bpmn")
    assert (a["name"], b["name"]) == ("Team A", "Team B")
    assert {s["owner"] for s in a["steps"] if "owner" in s} == {"Team A"}
    assert {s["owner"] for s in b["steps"]} == {"Team B"}
    assert set(settings["roles"]) == {"Team A", "Team B"}
    assert not any("which this file does not hold" in w for w in warnings)
    assert any(
        "calls 'Team A', which runs this step's process: a loop of calls" in w for w in warnings
    )


def test_service_script_and_rule_tasks_are_a_systems_work_in_a_lane_of_people() -> None:
    (process,), settings, warnings = _import(MIWG / "C.7.0.bpmn")
    owners = {s["name"]: s["owner"] for s in process["steps"]}
    assert owners["Publish on homepage"] == owners["Select other platforms"] == "Process engine"
    assert owners["Write description"] == "Hiring manager"
    assert settings["roles"]["Process engine"] == {"kind": "system"}
    assert any(
        "3 service, script or business-rule tasks in lanes of people: given to the system role "
        "'Process engine' (no staff time)" in w
        for w in warnings
    )


def test_a_lane_of_only_automated_tasks_is_a_system_role(tmp_path: Path) -> None:
    xml = (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><process id="p" name="P">'
        '<laneSet id="ls"><lane id="l1" name="Clerk"><flowNodeRef>t</flowNodeRef></lane>'
        '<lane id="l2" name="CRM"><flowNodeRef>s</flowNodeRef><flowNodeRef>r</flowNodeRef>'
        '</lane></laneSet><userTask id="t" name="Check the lead"/>'
        '<serviceTask id="s" name="Score the lead"/><scriptTask id="r" name="Route the lead"/>'
        f"{_flows('t>s', 's>r')}</process></definitions>"
    )
    result = import_bpmn(xml.encode(), "crm.bpmn")
    (process,) = result.processes
    assert [s["owner"] for s in process.data["steps"]] == ["Clerk", "CRM", "CRM"]
    assert result.settings["roles"]["CRM"] == {"kind": "system"}
    assert "Process engine" not in result.settings["roles"]
    written = import_texts(result, "crm.bpmn").texts
    roles = dict(written)["roles.yaml"].replace("rate:  # fill in: the hourly cost", "rate: 40")
    (tmp_path / "roles.yaml").write_text(roles, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(dict(written)["p.yaml"], encoding="utf-8")
    cost = cost_process(load_process(tmp_path / "p.yaml"))
    # 1h of the clerk a month (the hour assumed for each task); the CRM's hours cost nothing
    assert cost.annual_cost == Decimal(40 * 12)


def test_a_pools_only_lane_without_a_name_is_named_after_the_pool() -> None:
    (process,), settings, warnings = _import(MIWG / "C.1.0.bpmn")
    assert process["steps"][0] == {**process["steps"][0], "owner": "Team-Assistant"}
    assert "Team-Assistant" in settings["roles"]
    assert not any("lane 1" in role for role in settings["roles"])
    assert any("its role is called after its pool, 'Team-Assistant'" in w for w in warnings)
    archive = next(s for s in process["steps"] if s["name"] == "Archive Invoice")
    assert archive["owner"] == "Process engine"


def test_c_1_0_one_team_assistant_and_the_loop_in_its_own_pool() -> None:
    """The pool "Team-Assistant" and the lane "Team Assistant" are one role (one rate to
    fill in), and the flow back after 'Review successful?' is rework of the task before it
    in its own pool, not of the other pool's task that replied to it."""
    (process,), settings, warnings = _import(MIWG / "C.1.0.bpmn")
    assert set(settings["roles"]) == {"Team-Assistant", "Approver", "Accountant", "Process engine"}
    assert any(
        "'Team Assistant' and 'Team-Assistant' differ only in case, spaces, hyphens or "
        "underscores" in w
        for w in warnings
    )
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["assign-approver"]["owner"] == "Team-Assistant"
    assert [i for i, s in steps.items() if "rework" in s] == ["rechnung-klaren"]
    assert steps["rechnung-klaren"]["rework"]["to"] == "approve-invoice"


def test_warnings_where_the_models_need_a_guess() -> None:
    _, _, a3 = _import(MIWG / "A.3.0.bpmn")
    assert any(
        "boundary event 'Boundary Intermediate Event Non-Interrupting Message'" in w for w in a3
    )
    _, _, b2 = _import(MIWG / "B.2.0.bpmn")
    assert any("inclusive gateway: each of its paths is read as a yes/no question" in w for w in b2)
    assert any("event-based gateway" in w for w in b2)
    _, _, c6 = _import(MIWG / "C.6.0.bpmn")
    assert any("event sub-process 'Handle Compensation' left out" in w for w in c6)


def test_what_a_file_holds_but_a_process_cannot_is_named_not_lost() -> None:
    """A compensation task runs only to undo work when later work is cancelled: not a step
    of every run. Data objects have no place in a process file, a flow to no element
    cannot be followed, and a second process with no pool cannot be told from a pool a
    tool drew without one: each is a warning, never silence."""
    xml = (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><process id="p" name="P">'
        '<startEvent id="s"/><task id="book" name="Book">'
        '<dataOutputAssociation id="do"><targetRef>brief</targetRef></dataOutputAssociation>'
        "</task>"
        '<boundaryEvent id="comp" attachedToRef="book"><compensateEventDefinition/>'
        "</boundaryEvent>"
        '<task id="undo" name="Undo booking" isForCompensation="true"/>'
        '<dataObjectReference id="brief" name="Campaign brief" dataObjectRef="bo"/>'
        '<dataObject id="bo"/>'
        '<endEvent id="e"/><sequenceFlow id="f1" sourceRef="s" targetRef="book"/>'
        '<sequenceFlow id="f2" sourceRef="book" targetRef="e"/>'
        '<sequenceFlow id="f3" sourceRef="book" targetRef="gone"/></process>'
        '<process id="q" name="Q"><task id="other" name="Other"/></process></definitions>'
    )
    (process,), _, warnings = _import_bytes(xml.encode(), "order.bpmn")
    assert [s["id"] for s in process["steps"]] == ["book", "other"]
    assert (
        "order.bpmn: warning: compensation activity 'Undo booking' left out: it runs only to "
        "undo work already done when later work is cancelled, outside the process's flow (undo)"
    ) in warnings
    assert (
        "order.bpmn: warning: data object 'Campaign brief' not imported: a process file has no "
        "inputs or outputs (name it in the instructions or done_when of the steps that use "
        "it) (brief)"
    ) in warnings
    # named by its ends, which find the line on the canvas; its id stays for a search
    assert (
        "order.bpmn: warning: sequence flow to or from 'gone', no element: left out "
        "(flow from 'Book' to 'gone', f3)"
    ) in warnings
    assert any(w.startswith("order.bpmn: warning: process 'Q' is in no pool") for w in warnings)
    assert not any("process 'P' is in no pool" in w for w in warnings)


def test_a_loop_asked_as_an_approval_makes_its_step_a_sign_off() -> None:
    """C.7.0's "Advertisement approved?" sends the work back to be redone: the step before
    it is the approver's sign-off, as sopkit's own "Approved?" gateway means."""
    (process, *_), _, warnings = _import(MIWG / "C.7.0.bpmn")
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["approve-advertisement"].get("approval") is True
    assert "rework" in steps["approve-advertisement"]
    assert [s for s, step in steps.items() if step.get("approval")] == ["approve-advertisement"]
    assert any(
        "read as a sign-off: the check after it asks 'Advertisement approved?'" in w
        for w in warnings
    )


def test_two_elements_with_one_id_are_refused() -> None:
    """One of them would be lost without a word: BPMN ids are unique, so the file is wrong."""
    xml = (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><process id="p" name="P">'
        '<task id="A" name="A"/><task id="A" name="A2"/></process></definitions>'
    )
    with pytest.raises(InputError) as raised:
        import_bpmn(xml.encode(), "dup.bpmn")
    assert raised.value.message == "two elements have the id 'A': task 'A' and task 'A2'"
    assert raised.value.hint == "BPMN ids must be unique: give one of them a new id in the XML"


def test_each_process_file_lists_the_warnings_about_its_own_elements() -> None:
    """B.2.0 holds three processes: a warning about a called process's element is at the
    top of that process's file, not the first one's."""
    result = import_bpmn((MIWG / "B.2.0.bpmn").read_bytes(), "B.2.0.bpmn")
    assert len(result.processes) == 3
    assert sum(len(p.warnings) for p in result.processes) == len(result.warnings)
    assert all(p.warnings for p in result.processes)
    # a warning about several elements ("u1, u2 and 3 more") goes with the first of them
    (grouped,) = import_bpmn((MIWG / "C.5.0.bpmn").read_bytes(), "C.5.0.bpmn").processes[1:]
    assert any(
        w.message.startswith("no processing time (BPSim) for 2 steps") for w in grouped.warnings
    )
    texts = import_texts(result, "B.2.0.bpmn").texts
    for process in result.processes[1:]:
        (problem, *_) = process.warnings
        assert f"- {problem.message} ({problem.hint})" in texts[f"{process.id}.yaml"]
        assert f"({problem.hint})" not in texts[f"{result.processes[0].id}.yaml"]


def test_an_unnamed_boundary_event_is_named_by_what_it_waits_for() -> None:
    """C.6.0's error events have no name: their answer is "error", not "path 1"."""
    (process,), _, _ = _import(MIWG / "C.6.0.bpmn")
    options = [c["options"] for c in process["conditions"].values()]
    assert {"error": Decimal("0.5"), "completed": Decimal("0.5")} in [
        {k: Decimal(str(v)) for k, v in o.items()} for o in options
    ]


def test_a_question_no_step_is_left_to_is_named_as_left_out() -> None:
    """C.3.0's boundary events and 'Successful?' lead to steps also reached another way: no
    step is left for their answers to decide, so the questions are left out, and the
    warnings say so and name the steps costed in every run that reaches them."""
    _, _, c3 = _import(MIWG / "C.3.0.bpmn")
    left_out = [w for w in c3 if "the question decides no step and is left out" in w]
    assert len(left_out) == 3
    assert "answers to \"How does 'Perform repair (standard level)' end?\"" in left_out[0]
    assert (
        "'perform-repair-premium-level', 'perform-emergency-repair', 'replace-fridge'"
        in (left_out[0])
    )
    assert "these steps are costed in every run" in left_out[0]
    assert 'answers to "Successful?"' in left_out[2]
    assert "('replace-fridge')" in left_out[2] and "this step is costed" in left_out[2]
    # A.2.0's shape: the question still decides a step, so it stays and is not called left out.
    _, _, a2 = _import(MIWG / "A.2.0.bpmn")
    assert not any("left out" in w and "texts no field holds" not in w for w in a2)


def test_names_from_any_encoding_the_xml_declares() -> None:
    text = (MIWG / "A.1.0.bpmn").read_text(encoding="latin-1").replace('"Task 1"', '"Tâche 1"', 1)
    (process,), _, _ = _import_bytes(text.encode("latin-1"), "latin.bpmn")
    assert process["steps"][0]["name"] == "Tâche 1"
    for encoding in ("utf-16", "shift_jis", "cp1252"):
        declared = text.replace("ISO-8859-1", encoding.upper().replace("_", "-"), 1)
        named = declared.replace("Tâche 1", "見積もり" if encoding != "cp1252" else "Tâche €")
        (process,), _, _ = _import_bytes(named.encode(encoding), f"{encoding}.bpmn")
        assert process["steps"][0]["name"] == ("見積もり" if encoding != "cp1252" else "Tâche €")


def _import_bytes(data: bytes, name: str) -> tuple[list[dict], dict, list[str]]:  # type: ignore[type-arg]
    result = import_bpmn(data, name)
    return (
        [p.data for p in result.processes],
        result.settings,
        _lines(result.warnings),
    )


def test_namespaces_are_matched_by_uri_not_prefix() -> None:
    plain = (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><process id="p" name="P">'
        '<laneSet id="ls"><lane id="l" name="Clerk"><flowNodeRef>t</flowNodeRef></lane></laneSet>'
        '<task id="t" name="Do it"/></process></definitions>'
    )
    prefixed = (
        plain.replace("<", "<weird:")
        .replace("<weird:/", "</weird:")
        .replace(f'xmlns="{BPMN_NS}"', f'xmlns:weird="{BPMN_NS}"')
    )
    assert "<weird:task" in prefixed
    assert (
        _import_bytes(plain.encode(), "a.bpmn")[0] == _import_bytes(prefixed.encode(), "a.bpmn")[0]
    )
    wrong = plain.replace(BPMN_NS, "http://www.omg.org/spec/BPMN/20100524/WRONG")
    with pytest.raises(InputError, match="not a BPMN 2.0 file"):
        import_bpmn(wrong.encode(), "w.bpmn")


def _flows(*pairs: str) -> str:
    return "".join(
        f'<sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(p.split(">") for p in pairs)
    )


def test_sub_processes_with_tasks_are_inlined_however_drawn_empty_ones_are_a_step() -> None:
    """A collapsed sub-process (``isExpanded="false"``, its content on a plane of its own)
    runs its tasks as an expanded one does: both are inlined; one with no work inside
    (only its start and end events) is one step."""

    def model(
        expanded: str, inside: str = '<task id="a" name="Read"/><task id="b" name="Comment"/>'
    ) -> bytes:
        return (
            f'<definitions xmlns="{BPMN_NS}" '
            'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
            'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" targetNamespace="x">'
            '<process id="p" name="P"><startEvent id="s"/><subProcess id="sp" name="Review">'
            f'<startEvent id="s2"/>{inside}'
            + (_flows("s2>a", "a>b").replace('id="f', 'id="g') if "task" in inside else "")
            + '</subProcess><task id="c" name="Publish"/><endEvent id="e"/>'
            + _flows("s>sp", "sp>c", "c>e")
            + '</process><bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">'
            f'<bpmndi:BPMNShape id="x" bpmnElement="sp" isExpanded="{expanded}">'
            '<dc:Bounds x="0" y="0" width="100" height="80"/></bpmndi:BPMNShape>'
            "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>"
        ).encode()

    inlined = [("Read", None), ("Comment", ["read"]), ("Publish", ["comment"])]
    for drawn in ("false", "true"):
        (process,), _, _ = _import_bytes(model(drawn), f"{drawn}.bpmn")
        assert [(s["name"], s.get("after")) for s in process["steps"]] == inlined
    (empty,), _, _ = _import_bytes(model("false", '<endEvent id="e2"/>'), "empty.bpmn")
    assert [(s["name"], s.get("after")) for s in empty["steps"]] == [
        ("Review", None),
        ("Publish", ["review"]),
    ]


def test_the_trials_collapsed_sub_process_keeps_its_tasks_in_their_lane() -> None:
    """The trial's file: "Run demo" drawn collapsed holds two tasks of Field Sales."""
    (process,), _, _ = _import(FIXTURE / "collapsed.bpmn")
    steps = {s["name"]: s for s in process["steps"]}
    assert "Run demo" not in steps
    assert steps["Prepare demo environment"]["owner"] == "Field Sales"
    assert steps["Give demo"]["after"] == ["prepare-demo-environment"]
    assert steps["Wait for signed contract"]["after"] == ["give-demo"]


def test_a_sub_process_bpsim_times_itself_is_one_step_of_that_time() -> None:
    """BPSim gives "Run demo" 3h and its two tasks nothing: it is one step of 3h (not two
    of 1h assumed), and a warning names the tasks not read as steps. Where BPSim times
    the tasks as well, they are the steps, and a warning says the 3h is not used."""
    (process,), _, warnings = _import(FIXTURE / "collapsed-bpsim.bpmn")
    steps = {s["name"]: s for s in process["steps"]}
    assert "Prepare demo environment" not in steps and "Give demo" not in steps
    assert steps["Run demo"]["time"] == "3h"
    assert steps["Run demo"]["owner"] == "Field Sales"
    assert steps["Wait for signed contract"]["after"] == ["run-demo"]
    assert any(
        "BPSim gives the sub-process a processing time and its tasks none: read as one step "
        "of that time; 2 tasks inside it are not steps ('Prepare demo environment', "
        "'Give demo') ('Run demo', SP)" in w
        for w in warnings
    )
    timed = (
        (FIXTURE / "collapsed-bpsim.bpmn")
        .read_text()
        .replace(
            '<bpsim:ElementParameters elementRef="SP">',
            '<bpsim:ElementParameters elementRef="X1"><bpsim:TimeParameters><bpsim:ProcessingTime>'
            '<bpsim:FloatingParameter value="2" timeUnit="hour"/></bpsim:ProcessingTime>'
            "</bpsim:TimeParameters></bpsim:ElementParameters>"
            '<bpsim:ElementParameters elementRef="SP">',
        )
    )
    (process,), _, warnings = _import_bytes(timed.encode(), "timed.bpmn")
    steps = {s["name"]: s for s in process["steps"]}
    assert "Run demo" not in steps
    assert (steps["Prepare demo environment"]["time"], steps["Give demo"]["time"]) == ("2h", "1h")
    assert any(
        "BPSim times the sub-process and the tasks inside it: its tasks are steps, its own "
        "processing time is not used ('Run demo', SP)" in w
        for w in warnings
    )


def test_a_receive_task_without_a_processing_time_is_a_milestone() -> None:
    """ "Wait for signed contract" waits for a message: no one works on it."""
    (process,), _, _ = _import(FIXTURE / "collapsed.bpmn")
    waiting = next(s for s in process["steps"] if s["name"] == "Wait for signed contract")
    assert waiting["milestone"] is True and "time" not in waiting


def test_a_timer_events_duration_is_the_milestones_wait_in_working_time() -> None:
    """The trial's "Wait 3 days" (P3D): 72 hours pass, 72 × 8/24 × 5/7 working hours."""
    (process,), _, warnings = _import(FIXTURE / "timer.bpmn")
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["wait-3-days"]["milestone"] is True
    assert steps["wait-3-days"]["wait"] == "17.1429h"
    assert any("timer P3D: a wait of 17.1429h" in w for w in warnings)


@pytest.mark.parametrize(
    ("timer", "wait", "said"),
    [
        ("<timeDuration>PT2H</timeDuration>", "0.4762h", "timer PT2H"),
        ("<timeDuration>P1W</timeDuration>", "40h", "timer P1W"),
        ("<timeCycle>R6/P1D</timeCycle>", None, "timer with a cycle (R6/P1D)"),
        ("<timeDate>2025-01-01T09:00</timeDate>", None, "timer with a date (2025-01-01T09:00)"),
        ("<timeDuration>${later}</timeDuration>", None, "a duration sopkit cannot read"),
    ],
)
def test_timer_durations_are_waits_cycles_and_dates_are_named(
    timer: str, wait: str | None, said: str
) -> None:
    data = (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><process id="p" name="P">'
        '<startEvent id="s"/><task id="a" name="Ask"/><intermediateCatchEvent id="t" name="Later">'
        f"<timerEventDefinition>{timer}</timerEventDefinition></intermediateCatchEvent>"
        '<task id="b" name="Chase"/><endEvent id="e"/>'
        + _flows("s>a", "a>t", "t>b", "b>e")
        + "</process></definitions>"
    ).encode()
    (process,), _, warnings = _import_bytes(data, "t.bpmn")
    later = next(s for s in process["steps"] if s["id"] == "later")
    assert later.get("wait") == wait
    assert any(said in w and "step 'later'" in w for w in warnings)


def test_the_reader_gives_an_events_timer_as_written_and_a_durations_clock_hours() -> None:
    """The reader reads a timer (what it says is the importer's to decide): a duration with
    its clock hours (a month 730, a year 8,760), a cycle or a date as written."""
    doc = read_bpmn((FIXTURE / "timer.bpmn").read_bytes(), "timer.bpmn")
    timers = {n.name: n.timer for n in doc.nodes.values() if n.timer is not None}
    assert timers == {"Wait 3 days": Timer(duration="P3D")}
    assert timers["Wait 3 days"].hours == 72
    assert Timer(cycle="R6/P1D").hours is None and Timer(duration="${later}").hours is None
    assert [iso_hours(t) for t in ("PT2H30M", "P1M", "P1Y", "P1W", "PT", "P")] == [
        Decimal("2.5"),
        730,
        8760,
        168,
        None,
        None,
    ]


def test_parallel_gateways_become_after_and_events_milestones() -> None:
    data = (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><process id="p" name="P">'
        '<startEvent id="s"/><task id="a" name="Plan"/><parallelGateway id="g1"/>'
        '<task id="b" name="Write"/><task id="c" name="Design"/><parallelGateway id="g2"/>'
        '<intermediateThrowEvent id="m" name="Ready"/><endEvent id="e"/>'
        + _flows("s>a", "a>g1", "g1>b", "g1>c", "b>g2", "c>g2", "g2>m", "m>e")
        + "</process></definitions>"
    ).encode()
    (process,), _, _ = _import_bytes(data, "p.bpmn")
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["write"]["after"] == ["plan"] and steps["design"]["after"] == ["plan"]
    assert steps["ready"] == {
        "id": "ready",
        "name": "Ready",
        "milestone": True,
        "owner": "P",
        "after": ["write", "design"],
    }


def test_a_bypassed_decision_does_not_gate_what_follows_it() -> None:
    """A.2.0's shape with Task 4 merging back before a common last task: the last task
    runs whatever the answer."""
    data = (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><process id="p" name="P">'
        '<startEvent id="s"/><task id="a" name="A"/><exclusiveGateway id="x" name="Which?"/>'
        '<task id="b" name="B"/><task id="c" name="C"/><exclusiveGateway id="m"/>'
        '<task id="d" name="D"/><endEvent id="e"/>'
        + _flows("s>a", "a>x", "x>b", "x>m", "b>m", "m>d", "d>e")
        + "</process></definitions>"
    ).encode()
    (process,), _, _ = _import_bytes(data, "p.bpmn")
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["b"]["when"] == {"which": ["B"]}
    assert "when" not in steps["d"]
    assert steps["d"]["after"] == ["b"]  # the empty branch round B is not a hand-off


# --- BPSim ------------------------------------------------------------------------------------


def test_bpsim_loan_example_times_shares_and_frequency() -> None:
    (process,), _, warnings = _import(EXAMPLES / "loan-process-v2.0.0.bpmn")
    steps = {s["id"]: s for s in process["steps"]}
    assert process["conditions"]["approved"] == {"question": "Approved?", "share": Decimal("0.27")}
    assert steps["send-approval-letter"]["when"] == {"approved": True}
    assert steps["send-rejection-letter"]["when"] == {"approved": False}
    assert steps["record-loan-application"]["time"] == "20m"  # a truncated normal's mean
    assert steps["send-approval-letter"]["time"] == "1m"  # PT1M
    # arrivals every (10 + 4 × 16 + 30) / 6 minutes: 730 h a month ÷ that
    assert process["frequency"] == "2526.92/month"
    assert any("TruncatedNormalDistribution read as its mean" in w for w in warnings)


def test_bpsim_percentages_and_scenario_inheritance() -> None:
    (process,), _, warnings = _import(EXAMPLES / "technical-support-process-v2.0.0.bpmn")
    shares = [c["options"] for c in process["conditions"].values()]
    assert {
        "Able to provide 1st level solution": Decimal("0.7"),
        "Unable to provide 1st level solution": Decimal("0.3"),
    } in shares
    steps = {s["id"]: s for s in process["steps"]}
    assert steps["request-1st-level-support"]["time"] == "0.5m"  # PT30S from scenario S2
    assert any("3 BPSim scenarios: '3 - Resource perspective' is used" in w for w in warnings)


def test_bpsim_rates_and_fixed_costs_are_read(tmp_path: Path) -> None:
    xml = export_bpmn(cost_process(load_process(FIXTURE / "webinar.yaml"))).decode()
    import re

    bare = re.sub(r"<sopkit:(process|settings)>.*?</sopkit:\1>", "", xml, flags=re.S)
    bare = re.sub(r"<sopkit:step>.*?</sopkit:step>", "", bare, flags=re.S)
    result = import_bpmn(bare.encode(), "bare.bpmn")
    roles = result.settings["roles"]
    assert roles["Editor"]["rate"] == Decimal("50.5") and roles["Agency"]["rate"] == 120
    assert result.settings["currency"] == "EUR"
    steps = {s["name"]: s for s in result.processes[0].data["steps"]}
    assert steps["Brief the guest speaker"]["expense"] == 300
    assert steps["Plan the webinar"]["time"] == {"min": "30m", "likely": "1h", "max": "3h"}
    assert steps["Slides and notes"]["time"] == {"min": "1h", "likely": "2h30m", "max": "4h"}
    assert steps["Approve the slides"]["rework"] == {
        "to": "deck",  # the step's id, from its element's (Task_deck)
        "probability": Decimal("0.25"),
    }
    # the inter-trigger time of 365 h: 2 runs a month
    assert result.processes[0].data["frequency"] == "2/month"


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_a_stripped_export_reads_the_frequency_back_as_written(path: Path) -> None:
    """The inter-trigger time is 8,760 hours ÷ the runs a year (1/week: 168.4615… h): read
    back, it is the frequency written (or an equal one), not runs a month rounded
    (4.33/month, 0.08% off), and no warning, as nothing was guessed."""
    from sopkit.models import Frequency

    process = load_process(path)
    if process.frequency is None:
        return
    xml = _without_extension(export_bpmn(cost_process(process)).decode())
    result = import_bpmn(xml.encode(), f"{path.stem}.bpmn")
    back = result.processes[0].data["frequency"]
    days = process.settings.working_days_per_year
    assert back == str(process.frequency) or Frequency.parse(back).per_month(
        days
    ) == process.frequency.per_month(days), back
    assert not any("frequency" in w.message for w in result.warnings)


@pytest.mark.parametrize(
    ("hours", "frequency"),
    [
        ("168.4615384615", "1/week"),
        ("182.5", "4/month"),  # not 12/quarter or 48/year
        ("33.6923076923", "1/day"),  # 260 working days a year
        ("1460", "6/year"),
        ("17520", "0.5/year"),
        ("100", "7.3/month"),
        ("168", None),  # a week of 7 × 24 h is 52.14 runs a year: no N/period
        ("0.2888888889", None),  # 30,323.08 runs a year: no small N
    ],
)
def test_inter_trigger_times_that_are_a_frequency(hours: str, frequency: str | None) -> None:
    from sopkit.interop.bpmn.imports import frequency_of

    assert frequency_of(Decimal(hours), Decimal(260)) == frequency


# --- refusals ---------------------------------------------------------------------------------


BAD = {
    "dtd": (b'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://example.com/d.dtd"><d/>', "DOCTYPE"),
    "billion-laughs": (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<l>&b;</l>",
        "DOCTYPE",
    ),
    "not-xml": (b"name: a process\nsteps: []\n", "not well-formed XML"),
    "not-bpmn": (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not a BPMN 2.0 file"),
    "empty": (b"  \n", "the file is empty"),
    "no-process": (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><collaboration id="c">'
        '<participant id="p" name="Customer"/></collaboration></definitions>'.encode(),
        "has no process",
    ),
    "complex-gateway": (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><process id="p">'
        '<task id="t" name="T"/><complexGateway id="g" name="Odd"/>'
        '<sequenceFlow id="f" sourceRef="t" targetRef="g"/>'
        "</process></definitions>".encode(),
        "complex gateway 'Odd' (g) cannot be mapped",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_what_cannot_be_mapped_is_refused_with_one_line(name: str) -> None:
    data, message = BAD[name]
    with pytest.raises(SopkitError) as caught:
        import_bpmn(data, f"{name}.bpmn")
    assert len(caught.value.problems) == 1
    assert message in caught.value.message
    assert isinstance(caught.value, InputError | ValidationError)


# --- writing ----------------------------------------------------------------------------------


def test_import_never_replaces_files_without_force(tmp_path: Path) -> None:
    result = import_bpmn((MIWG / "C.7.0.bpmn").read_bytes(), "C.7.0.bpmn")
    files = import_texts(result, "C.7.0.bpmn")
    written = write_import(files, tmp_path)
    # named by the file's title, not by its pool ("EU Bank", who does the work)
    assert result.processes[0].data["name"] == "Advertise a job vacancy"
    assert sorted(p.name for p in written) == ["advertise-a-job-vacancy.yaml", "roles.yaml"]
    assert write_import(files, tmp_path) == []  # the same texts again: nothing to write
    # a roles file for another currency is the team's for other processes: never merged
    (tmp_path / "roles.yaml").write_text(
        "currency: EUR\nroles: {Hiring manager: {rate: 70}}\n", encoding="utf-8"
    )
    with pytest.raises(OutputError, match="would replace roles.yaml"):
        write_import(files, tmp_path)
    assert "rate: 70" in (tmp_path / "roles.yaml").read_text(encoding="utf-8")
    assert [p.name for p in write_import(files, tmp_path, force=True)] == ["roles.yaml"]


def test_rates_left_to_fill_in_are_blank_and_commented(tmp_path: Path) -> None:
    result = import_bpmn((MIWG / "C.7.0.bpmn").read_bytes(), "C.7.0.bpmn")
    assert result.missing_rates == ["Hiring manager", "Recruitment"]
    write_import(import_texts(result, "C.7.0.bpmn"), tmp_path)
    text = (tmp_path / "roles.yaml").read_text(encoding="utf-8")
    assert "  Hiring manager:\n    rate:  # fill in: the hourly cost\n" in text
    settings = load_settings(tmp_path / "roles.yaml")
    assert settings.roles["Recruitment"].rate is None
    process = (tmp_path / "advertise-a-job-vacancy.yaml").read_text(encoding="utf-8")
    assert process.startswith("# Imported from C.7.0.bpmn by sopkit import bpmn.\n")
    assert "# - how often work goes back from 'approve-advertisement' to" in process


def _one_role_process(tmp_path: Path, role: str) -> Path:
    """A process of one step whose owner is ``role``, beside the English roles file."""
    folder = tmp_path / f"source-{role.lower()}"
    folder.mkdir()
    roles = (PROCESSES / "en" / "roles.yaml").read_text(encoding="utf-8")
    (folder / "roles.yaml").write_text(roles + f"  {role}: {{rate: 25}}\n", encoding="utf-8")
    path = folder / "tiny.yaml"
    path.write_text(
        "sopkit: 1\nid: tiny\nname: Tiny\nowner: Intern\nfrequency: 1/month\n"
        f"steps:\n  - {{id: a, name: A, owner: {role}, time: 1h}}\n",
        encoding="utf-8",
    )
    return path


def test_diagrams_imported_into_one_folder_add_the_roles_they_lack(tmp_path: Path) -> None:
    """The roles file the first import wrote gains the others' roles (one short role too,
    which a YAML dump writes in flow style on the ``roles:`` line), so the folder costs."""
    folder = tmp_path / "imported"
    sources = [
        PROCESSES / "en" / "content-marketing.yaml",
        PROCESSES / "en" / "lead-nurturing.yaml",
        _one_role_process(tmp_path, "Intern"),
    ]
    for source in sources:
        data = export_bpmn(cost_process(load_process(source)))
        name = f"{source.stem}.bpmn"
        write_import(import_texts(import_bpmn(data, name), name), folder)
    from sopkit.load import load_portfolio

    imported = {p.id: cost_process(p).annual_cost for p in load_portfolio(folder)}
    assert imported == {
        p.id: cost_process(p).annual_cost for p in (load_process(s) for s in sources)
    }
    text = (folder / "roles.yaml").read_text(encoding="utf-8")
    assert "  # the roles of the processes imported from tiny.bpmn\n  Intern: {rate: 25}\n" in (
        text
    )
    assert text.startswith("# Settings and roles of the processes imported from content-marketing")
    assert "  # the roles of the processes imported from lead-nurturing.bpmn\n" in text


def test_a_first_import_s_roles_on_one_line_gain_the_next_import_s(tmp_path: Path) -> None:
    """A few short roles are written in flow style on the 'roles:' line, where no line can
    be added: the next diagram's roles join them there instead of the import being refused
    (and --force then dropping the first diagram's roles and rates)."""
    folder = tmp_path / "imported"
    first = _one_role_process(tmp_path, "Intern")
    write_import(
        import_texts(
            import_bpmn(export_bpmn(cost_process(load_process(first))), "a.bpmn"), "a.bpmn"
        ),
        folder,
    )
    roles = folder / "roles.yaml"
    assert "roles: {Intern: {rate: 25}}" in roles.read_text(encoding="utf-8")
    second = PROCESSES / "en" / "content-marketing.yaml"
    data = export_bpmn(cost_process(load_process(second)))
    write_import(import_texts(import_bpmn(data, "b.bpmn"), "b.bpmn"), folder)
    from sopkit.load import load_settings

    text = roles.read_text(encoding="utf-8")
    # The team's role first, each on a line of its own, then the imported ones under the note:
    # the note says which roles came from the import, not the team's.
    assert (
        "roles:\n  Intern: {rate: 25}\n  # the roles of the processes imported from b.bpmn\n"
        in text
    )
    # a comment written beside the roles stays, above them
    roles.write_text(
        text.split("roles:")[0] + "roles: {Intern: {rate: 25}}  # agreed with HR\n",
        encoding="utf-8",
    )
    write_import(import_texts(import_bpmn(data, "b.bpmn"), "b.bpmn"), folder)
    assert "# agreed with HR\nroles:" in roles.read_text(encoding="utf-8")
    merged = load_settings(roles).roles
    assert list(merged)[0] == "Intern" and merged["Intern"].rate == 25
    assert set(load_settings(second.parent / "roles.yaml").roles) & set(merged) - {"Intern"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("C.7.0", "Advertise a job vacancy"),  # a phrase as the title, a bank as the pool
        ("C.1.1", "Invoice Handling (OMG BPMN MIWG Demo)"),  # a code as the title: the pool's
        ("C.3.0", "Fridge Repair Process"),  # no pool, a code as the title: the process's
        ("C.4.0", "Money Bank"),
        ("A.1.0", "A.1.0"),  # nothing but the code to go by
    ],
)
def test_a_process_is_named_after_what_names_the_work(name: str, expected: str) -> None:
    result = import_bpmn((MIWG / f"{name}.bpmn").read_bytes(), f"{name}.bpmn")
    assert result.processes[0].data["name"] == expected


def test_a_pool_renamed_in_a_modeler_keeps_its_new_name() -> None:
    """sopkit writes the process's name as the file's title and the pool's; bpmn.io and
    Camunda show only the pool, so a rename there is what the user meant."""
    data = export_bpmn(cost_process(load_process(PROCESSES / "en" / "content-marketing.yaml")))
    name = load_process(PROCESSES / "en" / "content-marketing.yaml").name
    renamed = data.replace(
        f'<bpmn:participant id="Participant_content-marketing" name="{name}"'.encode(),
        b'<bpmn:participant id="Participant_content-marketing" name="Blog post pipeline"',
    )
    assert renamed != data
    (process,) = import_bpmn(renamed, "content-marketing.bpmn").processes
    assert process.data["name"] == "Blog post pipeline"


def test_a_3_0_a_non_interrupting_event_s_path_runs_besides_the_normal_flow() -> None:
    """The escalation interrupts the sub-process: Task 4 or Task 2 follows, one of them.
    The message does not: Task 3 runs in some runs, and Task 2 follows whenever the
    sub-process completes, however often the message comes."""
    (process,), _, _ = _import(MIWG / "A.3.0.bpmn")
    steps = {s["name"]: s for s in process["steps"]}
    alternative, besides = process["conditions"]
    assert process["conditions"][alternative]["question"] == "How does 'Collapsed Sub-Process' end?"
    assert steps["Task 2"]["when"] == {alternative: ["completed"]}
    assert steps["Task 4"]["when"] == {
        alternative: ["Boundary Intermediate Event Interrupting Escalation"]
    }
    assert process["conditions"][besides]["question"].startswith(
        "Does 'Boundary Intermediate Event Non-Interrupting Message' happen during"
    )
    assert steps["Task 3"]["when"] == {besides: True}


def test_waits_and_joint_work_come_back_from_bpsim_when_a_tool_drops_the_extension() -> None:
    """A modeler that keeps BPSim but drops sopkit's extension: each step's wait is the
    task's BPSim WaitTime, so the lead time survives (2d is 16 h at 8 h a day)."""
    import re

    from sopkit import cost_process, export_bpmn, load_process

    launch = load_process(PROCESSES / "en" / "product-launch.yaml")
    xml = export_bpmn(cost_process(launch)).decode("utf-8")
    plain = re.sub(
        r"<sopkit:(\w+)\b[^>]*/>|<sopkit:(\w+)\b[^>]*>.*?</sopkit:\2>", "", xml, flags=re.S
    )
    assert "sopkit:" not in plain
    result = import_bpmn(plain.encode("utf-8"), "launch.bpmn")
    waits = [s["wait"] for s in result.processes[0].data["steps"] if "wait" in s]
    written = [s.wait for s in launch.steps if not s.wait.is_zero and s.is_work]
    assert len(waits) == len(written) == 8
    assert waits[0] == "16h"
    # Joint work comes back from the resources BPSim selects (those that are lanes).
    joint = {s["name"]: s["with"] for s in result.processes[0].data["steps"] if "with" in s}
    assert len(joint) == sum(1 for s in launch.steps if s.participants)
    assert joint["Confirm the tier and launch date"] == {"Head of Product": 1}
    assert any(
        "BPSim selects the resource 'SDR', which is no lane: left out" in w.message
        for w in result.warnings
    )
    import_texts(result, "launch.bpmn")  # and it loads


def test_bpsim_waits_are_elapsed_clock_hours_and_read_back_as_working_time() -> None:
    """BPSim's one clock is elapsed time (8,760 hours a year between triggers), so a
    ``wait: 3w`` is 3 × 168 = 504 hours there, not 120 working hours; 2d is 2 × 24 × 7/5
    = 67.2 (a working day's share of the week's 168 hours); read back, they are the
    working hours again, exactly."""
    import re

    launch = load_process(PROCESSES / "en" / "product-launch.yaml")
    xml = export_bpmn(cost_process(launch)).decode("utf-8")
    waits = re.findall(r'<bpsim:WaitTime>\s*<bpsim:FloatingParameter value="([0-9.]+)"', xml)
    by_step = [s.wait for s in launch.steps if not s.wait.is_zero and s.is_work]
    hours = [w.points(launch.settings.clock)[0] for w in by_step]
    assert [Decimal(w) for w in waits] == [h * Decimal("4.2") for h in hours]
    assert "504" in waits  # the three-week beta: three weeks pass
    result = import_bpmn(_without_extension(xml).encode("utf-8"), "launch.bpmn")
    back = [s["wait"] for s in result.processes[0].data["steps"] if "wait" in s]
    assert back == [f"{h.normalize():f}h" for h in hours]


def _without_extension(xml: str) -> str:
    import re

    plain = re.sub(
        r"<sopkit:(\w+)\b[^>]*/>|<sopkit:(\w+)\b[^>]*>.*?</sopkit:\2>", "", xml, flags=re.S
    )
    assert "sopkit:" not in plain
    return plain


def test_ids_come_back_from_the_element_ids_when_a_tool_drops_the_extension() -> None:
    """sopkit names elements after ids (``Process_<id>``, ``Task_<id>``, a called process's
    ``Task_<process>_<id>``), so ``sopkit diff`` against the original sees the same process
    and steps; a modeler's numbered ids are no sopkit ids and names give them."""
    from sopkit.load import load_portfolio

    loaded = load_portfolio([PROCESSES / "en" / "release-post.yaml"])
    portfolio = {p.id: p for p in (*loaded.processes, *loaded.dependencies)}
    release = portfolio["release-post"]
    xml = _without_extension(export_bpmn(cost_process(release)).decode())
    result = import_bpmn(xml.encode(), "renamed-file.bpmn")
    by_id = {p.id: p.data for p in result.processes}
    assert set(by_id) == {"release-post", "feature-item"}
    for process_id, data in by_id.items():
        original = portfolio[process_id]
        assert [s["id"] for s in data["steps"]] == [s.id for s in original.steps]
    # A modeler's own ids: Process_0abc1 shown by Participant_1xyz2 is no sopkit id.
    xml = xml.replace("Participant_release-post", "Participant_1xyz2").replace(
        "Process_release-post", "Process_0abc1"
    )
    result = import_bpmn(xml.encode(), "renamed-file.bpmn")
    assert result.processes[0].id == "monthly-release-post"
    steps = result.processes[0].data["steps"]
    assert [s["id"] for s in steps] == [slugify(s["name"]) for s in steps]


def test_a_stripped_export_keeps_done_when_trigger_and_its_roles() -> None:
    """Without the extension, a file sopkit exported still says what BPMN holds: each
    step's done_when (its documentation), the trigger (the start event's), and which lane
    is the events lane (no role to fill in a rate for)."""
    from sopkit.render.diagram.common import events_titles

    launch = load_process(HERE / "fixtures" / "launch" / "product-launch.yaml")
    result = import_bpmn(
        _without_extension(export_bpmn(cost_process(launch)).decode()).encode(), "launch.bpmn"
    )
    data = result.processes[0].data
    assert data["trigger"] == launch.trigger
    imported = {s["id"]: s for s in data["steps"]}
    assert set(imported) == {s.id for s in launch.steps}
    for step in launch.steps:
        assert imported[step.id].get("done_when") == step.done_when, step.id
        assert "instructions" not in imported[step.id]  # the extension alone had them
    assert not set(result.settings["roles"]) & events_titles()
    milestones = [imported[s.id] for s in launch.steps if s.milestone and s.owner is None]
    assert milestones and all("owner" not in m for m in milestones)


def test_a_stripped_export_says_once_what_only_the_extension_carried() -> None:
    """Instructions, automation, sign-offs and the like live only in the ``sopkit:``
    extension: a file sopkit exported that lost it says so once, not once a step."""
    from sopkit.load import load_portfolio

    loaded = load_portfolio([PROCESSES / "en" / "release-post.yaml"])
    xml = _without_extension(export_bpmn(cost_process(loaded.processes[0])).decode())
    result = import_bpmn(xml.encode(), "release-post.bpmn")
    missing = [w.message for w in result.warnings if "extension is missing" in w.message]
    assert len(missing) == 1 and len(result.processes) == 2
    assert "instructions" in missing[0] and "automation" in missing[0]
    assert "sign-offs" in missing[0] and "outside parties' kind" in missing[0]


def test_elements_added_in_a_modeler_take_ids_from_their_names() -> None:
    """bpmn-js names a new element Event_0k2x9ab or Task_1hcentk: that is no sopkit id,
    in a file with the extension or without it."""
    xml = export_bpmn(
        cost_process(load_process(PROCESSES / "en" / "content-marketing.yaml"))
    ).decode()
    added = (
        '<bpmn:userTask id="Task_1hcentk" name="Fact check"/>'
        '<bpmn:intermediateThrowEvent id="Event_0k2x9ab" name="Draft ready"/>'
    )
    at = xml.index("<bpmn:userTask ")
    xml = xml[:at] + added + xml[at:]
    for text in (xml, _without_extension(xml)):
        steps = import_bpmn(text.encode(), "added.bpmn").processes[0].data["steps"]
        ids = [s["id"] for s in steps]
        assert "fact-check" in ids and "draft-ready" in ids
        assert "outline" in ids and "1hcentk" not in ids and "0k2x9ab" not in ids


def test_a_sopkit_file_keeps_role_names_that_differ_only_in_case(tmp_path: Path) -> None:
    """Names alike are one role only in another modeler's file: sopkit's roles are exact,
    so its export imports without a warning and costs the same."""
    (tmp_path / "roles.yaml").write_text(
        "roles:\n  Team Assistant: {rate: 40}\n  team-assistant: {rate: 90}\n", encoding="utf-8"
    )
    (tmp_path / "m.yaml").write_text(
        "sopkit: 1\nid: m\nname: M\nowner: Team Assistant\nfrequency: 1/month\nsteps:\n"
        "  - {id: a, name: A, owner: Team Assistant, time: 1h, done_when: Done.}\n"
        "  - {id: b, name: B, owner: team-assistant, time: 1h, after: a, done_when: Done.}\n",
        encoding="utf-8",
    )
    cost = cost_process(load_process(tmp_path / "m.yaml"))
    for text in (export_bpmn(cost).decode(), _without_extension(export_bpmn(cost).decode())):
        result = import_bpmn(text.encode(), "m.bpmn")
        assert {"Team Assistant", "team-assistant"} <= set(result.settings["roles"])
        assert not any("differ only" in w.message for w in result.warnings)
        owners = [s["owner"] for s in result.processes[0].data["steps"]]
        assert owners == ["Team Assistant", "team-assistant"]


def test_one_question_at_many_gateways_comes_back_as_one_condition() -> None:
    """Without sopkit's extension (BPSim kept), the launch tier, asked at eleven gateways,
    is one question again: T1 and T2 by name with their shares, T3 as 'otherwise'."""
    import re

    from sopkit import cost_process, export_bpmn, load_process

    launch = load_process(PROCESSES / "en" / "product-launch.yaml")
    xml = export_bpmn(cost_process(launch)).decode("utf-8")
    plain = re.sub(
        r"<sopkit:(\w+)\b[^>]*/>|<sopkit:(\w+)\b[^>]*>.*?</sopkit:\2>", "", xml, flags=re.S
    )
    result = import_bpmn(plain.encode("utf-8"), "launch.bpmn")
    data = result.processes[0].data
    tiers = [n for n, c in data["conditions"].items() if c["question"] == "Which launch tier?"]
    assert tiers == ["which-launch-tier"]
    options = data["conditions"]["which-launch-tier"]["options"]
    assert options == {"T1": Decimal("0.2"), "T2": Decimal("0.5"), "otherwise": Decimal("0.3")}
    by_name = {s["name"]: s.get("when", {}) for s in data["steps"]}
    original = {s.name: s.when.get("tier") for s in launch.steps if s.when and "tier" in s.when}
    assert len(original) > 10
    for name, answers in original.items():
        came = by_name[name].get("which-launch-tier")
        if came is not None:  # (a step asking two questions keeps its own combined one)
            assert came == [a if a != "T3" else "otherwise" for a in answers], name
    assert any("gateways ask 'Which launch tier?'" in w.message for w in result.warnings)
    import_texts(result, "launch.bpmn")  # and it loads


def test_a_reply_to_an_activitys_message_comes_before_what_follows_it() -> None:
    """MIWG C.2.0: 'Pay Order' sends the card details to the card company, whose 'Send
    Result' answers 'Pay Order'. The answer is not a flow into the payment's start (a
    loop, which used to cut the request instead: 'Take Payment' came first of all);
    what follows the payment waits for it."""
    (process,), _, warnings = _import(MIWG / "C.2.0.bpmn")
    steps = process["steps"]
    after = {s["id"]: s.get("after", []) for s in steps}
    order = [s["id"] for s in steps]
    assert process["owner"] == "Customer"
    assert order.index("pay-order") < order.index("take-payment")
    assert after["take-payment"] == ["pay-order"]
    assert "take-payment" in after["send-order"]
    assert any(
        "message flow answers 'Pay Order': read as arriving before what follows it "
        "(message flow from 'Send Result' to 'Pay Order', " in w
        for w in warnings
    )
    assert not any("closes a loop" in w for w in warnings)
    # The run starts with the customer (whose start has no name), not with the carrier's
    # "Pick items", which Amazon's message starts: the file gives no trigger.
    assert "trigger" not in process


def _shop_and_bank(messages: list[tuple[str, str]]) -> dict:  # type: ignore[type-arg]
    """A shop's 'Pay' and a bank's 'Check card' then 'Send result', with message flows."""

    def flows(*pairs: tuple[str, str]) -> str:
        return "".join(
            f'<sequenceFlow id="f_{a}_{b}" sourceRef="{a}" targetRef="{b}"/>' for a, b in pairs
        )

    xml = (
        f'<definitions xmlns="{BPMN_NS}" targetNamespace="x"><collaboration id="c">'
        '<participant id="pa" name="Shop" processRef="p"/>'
        '<participant id="pb" name="Bank" processRef="q"/>'
        + "".join(
            f'<messageFlow id="m{i}" sourceRef="{a}" targetRef="{b}"/>'
            for i, (a, b) in enumerate(messages)
        )
        + '</collaboration><process id="p" name="Shop"><startEvent id="s"/>'
        '<task id="a" name="Pay"/><task id="n" name="Ship"/><endEvent id="e"/>'
        + flows(("s", "a"), ("a", "n"), ("n", "e"))
        + '</process><process id="q" name="Bank"><startEvent id="qs"/>'
        '<task id="b1" name="Check card"/><task id="b2" name="Send result"/><endEvent id="qe"/>'
        + flows(("qs", "b1"), ("b1", "b2"), ("b2", "qe"))
        + "</process></definitions>"
    )
    result = import_bpmn(xml.encode("utf-8"), "shop.bpmn")
    import_texts(result, "shop.bpmn")
    return {s["id"]: s.get("after", []) for s in result.processes[0].data["steps"]}


def test_a_reply_from_another_activity_than_the_one_asked_comes_before_what_follows() -> None:
    after = _shop_and_bank([("a", "b1"), ("b2", "a")])
    assert after["check-card"] == ["pay"] and "send-result" in after["ship"]


def test_an_activity_answering_straight_back_is_no_reply_to_reroute() -> None:
    """'Check card' receives and answers itself: either flow could be the reply, so the
    loop is cut as before (the later flow), and 'Pay' stays first."""
    after = _shop_and_bank([("a", "b1"), ("b1", "a")])
    assert after["pay"] == [] and after["check-card"] == ["pay"]


def test_a_flow_is_named_by_its_ends_as_the_canvas_shows_them(tmp_path: Path) -> None:
    """A message flow to a pool names the pool, not its id (``P_cust``); a flow with an
    end missing says nothing is there, not ``''``."""
    path = tmp_path / "pool.bpmn"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
        'targetNamespace="x"><collaboration id="c">'
        '<participant id="P_main" name="Marketing" processRef="proc"/>'
        '<participant id="P_cust" name="Customer"/>'
        '<messageFlow id="m1" name="brief" sourceRef="t1" targetRef="P_cust"/>'
        '</collaboration><process id="proc"><startEvent id="s"/>'
        '<task id="t1" name="Write brief"/><task id="t2" name="Send"/><endEvent id="e"/>'
        '<sequenceFlow id="f1" sourceRef="s" targetRef="t1"/>'
        '<sequenceFlow id="f2" sourceRef="t1" targetRef="t2"/>'
        '<sequenceFlow id="f3" sourceRef="t2" targetRef="e"/>'
        '<sequenceFlow id="f4" targetRef="t2"/></process></definitions>',
        encoding="utf-8",
    )
    _, _, warnings = _import(path)
    assert any("(message flow 'brief' from 'Write brief' to 'Customer', m1)" in w for w in warnings)
    assert any("(flow from nothing to 'Send', f4)" in w for w in warnings)

"""``sopkit export bpmn``: BPMN 2.0 that process tools open and simulate.

The structure and geometry rules are checked here with the standard library
(``bpmn_check``); the OMG schema, bpmn-moddle, bpmnlint and bpmn-js check the
same exports in ``test_bpmn_tools.py``. The BPSim block is validated here
against the official BPSim 2.0 schema, which the tests carry.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from bpmn_check import BPMN, BPMNDI, BPSIM, DC, SOPKIT, check
from conftest import PROCESSES, ROOT

from sopkit.analysis import cost_process
from sopkit.interop.bpmn import export_bpmn
from sopkit.interop.bpmn.extension import decode
from sopkit.load import load_process

FIXTURE = Path(__file__).parent / "fixtures" / "bpmn"
LIBRARY = sorted(p for p in PROCESSES.glob("*/*.yaml") if p.name != "roles.yaml")
BPSIM_XSD = Path(__file__).parent / "schemas" / "bpsim" / "BPSim-2.0.xsd"


def _export(path: Path) -> bytes:
    return export_bpmn(cost_process(load_process(path)))


@pytest.fixture(scope="module")
def webinar() -> ET.Element:
    return ET.fromstring(_export(FIXTURE / "webinar.yaml"))


def _by_id(root: ET.Element, element_id: str) -> ET.Element:
    found = [e for e in root.iter() if e.get("id") == element_id]
    assert len(found) == 1, element_id
    return found[0]


def _local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


@pytest.mark.parametrize("path", LIBRARY, ids=[p.stem for p in LIBRARY])
def test_every_library_export_keeps_the_rules(path: Path) -> None:
    assert check(_export(path)) == []


def test_the_checker_sees_broken_rules() -> None:
    """The rules can fail: a shrunk task, a node in two lanes, a negative coordinate."""
    xml = _export(FIXTURE / "webinar.yaml").decode("utf-8")
    broken = xml.replace('width="100" height="80"', 'width="90" height="80"', 1)
    assert any("not the standard size" in p for p in check(broken.encode()))
    lane_ref = "<bpmn:flowNodeRef>Task_plan</bpmn:flowNodeRef>"
    twice = xml.replace(lane_ref, lane_ref + "\n" + lane_ref, 1)
    assert any("in two lanes" in p for p in check(twice.encode()))
    negative = xml.replace('<dc:Bounds x="20"', '<dc:Bounds x="-20"', 1)
    assert any("negative" in p for p in check(negative.encode()))


def test_export_is_byte_identical_run_to_run_and_across_hash_seeds(tmp_path: Path) -> None:
    first = _export(FIXTURE / "webinar.yaml")
    assert _export(FIXTURE / "webinar.yaml") == first
    out = tmp_path / "again.bpmn"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sopkit",
            "export",
            "bpmn",
            str(FIXTURE / "webinar.yaml"),
            "-o",
            str(out),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    assert out.read_bytes() == first


def test_one_collaboration_per_process_and_the_called_process_in_the_same_file(
    webinar: ET.Element,
) -> None:
    participants = [p.get("processRef") for p in webinar.iter(f"{BPMN}participant")]
    assert participants == ["Process_webinar", "Process_clip"]
    call = _by_id(webinar, "Call_clips")
    assert call.get("calledElement") == "Process_clip"
    diagrams = [d.get("id") for d in webinar.iter(f"{BPMNDI}BPMNDiagram")]
    assert diagrams == ["Diagram_webinar", "Diagram_clip"]
    # the callee's own elements do not clash with the caller's
    assert _by_id(webinar, "Task_clip_cut").get("name") == "Cut the clip"


def test_lanes_are_roles_and_ownerless_events_share_the_top_lane(webinar: ET.Element) -> None:
    process = _by_id(webinar, "Process_webinar")
    lanes = {lane.get("name"): lane for lane in process.iter(f"{BPMN}lane")}
    assert list(lanes) == [
        "Milestones and sub-procedures",
        "Lead",
        "Writer",
        "Guest Speaker",
        "Agency",
        "Scheduler",
    ]
    refs = {
        lane: [r.text for r in element.iter(f"{BPMN}flowNodeRef")]
        for lane, element in lanes.items()
    }
    assert "Event_live" in refs["Milestones and sub-procedures"]
    assert "Call_clips" in refs["Milestones and sub-procedures"]
    assert "Event_wrap" in refs["Lead"]  # a milestone with an owner is in its owner's lane
    marker = lanes["Milestones and sub-procedures"].find(f"{BPMN}extensionElements/{SOPKIT}lane")
    assert marker is not None and marker.get("kind") == "events"


def test_a_roles_description_is_its_lanes_documentation(tmp_path: Path) -> None:
    """A modeler shows a lane's documentation beside it: each role's description is
    written there, the process's own roles' over the roles file's; a role without one,
    and the events lane, have none."""
    (tmp_path / "roles.yaml").write_text(
        "roles:\n"
        "  Writer: {rate: 40, description: Writes the copy.}\n"
        "  Editor: {rate: 50, description: Edits for the house.}\n"
        "  Lead: {rate: 80}\n",
        encoding="utf-8",
    )
    (tmp_path / "post.yaml").write_text(
        "sopkit: 1\nid: post\nname: Post\nowner: Lead\nfrequency: 1/week\n"
        "roles: {Editor: {rate: 60, description: Edits for this blog & its <readers>.}}\n"
        "steps:\n"
        "  - {id: draft, name: Draft, owner: Writer, time: 1h}\n"
        "  - {id: edit, name: Edit, owner: Editor, time: 1h, after: draft}\n"
        "  - {id: ok, name: Publish, owner: Lead, time: 15m, after: edit}\n"
        "  - {id: live, name: Live, milestone: true, after: ok}\n",
        encoding="utf-8",
    )
    root = ET.fromstring(_export(tmp_path / "post.yaml"))
    lanes = {lane.get("name"): lane for lane in root.iter(f"{BPMN}lane")}
    texts = {name: lane.findtext(f"{BPMN}documentation") for name, lane in lanes.items()}
    assert texts == {
        "Milestones": None,
        "Writer": "Writes the copy.",
        "Editor": "Edits for this blog & its <readers>.",
        "Lead": None,
    }
    # BPMN's order within a lane: documentation before the node references
    assert [_local(child) for child in lanes["Writer"]][:2] == ["documentation", "flowNodeRef"]
    assert check(ET.tostring(root)) == []


def test_kinds_of_node(webinar: ET.Element) -> None:
    kinds = {e.get("id"): _local(e) for e in _by_id(webinar, "Process_webinar")}
    assert kinds["Task_plan"] == "userTask"
    assert kinds["Task_reminder"] == "serviceTask"  # a system does it
    assert kinds["Event_live"] == "intermediateThrowEvent"
    assert kinds["Call_clips"] == "callActivity"
    assert [k for k in kinds.values()].count("startEvent") == 1
    assert [k for k in kinds.values()].count("endEvent") == 1


def test_a_short_trigger_names_the_start_event(webinar: ET.Element) -> None:
    """As modelers name it ("Invoice received"), so a diagram imported and exported again
    keeps its start event's name; a sentence stays the event's documentation only."""
    start = _by_id(webinar, "Event_run_start")
    assert start.get("name") == "A topic is picked."
    assert start.findtext(f"{BPMN}documentation") == "A topic is picked."
    blog = ET.fromstring(_export(PROCESSES / "en" / "content-marketing.yaml"))
    assert _by_id(blog, "Event_run_start").get("name") == "Start"  # its trigger is a sentence
    # renamed in a modeler, the name is the trigger that comes back; else the documentation
    from sopkit.interop.bpmn import import_bpmn

    exported = _export(FIXTURE / "webinar.yaml").decode()
    renamed = exported.replace('name="A topic is picked."', 'name="A topic is chosen"', 1)
    for text, trigger in ((exported, "A topic is picked."), (renamed, "A topic is chosen")):
        (process, *_) = import_bpmn(text.encode(), "webinar.bpmn").processes
        assert process.data["trigger"] == trigger


def _flows(root: ET.Element) -> dict[str, ET.Element]:
    return {f.get("id") or "": f for f in root.iter(f"{BPMN}sequenceFlow")}


def test_parallel_split_and_join_where_steps_fork_and_meet(webinar: ET.Element) -> None:
    split = _by_id(webinar, "Gateway_split_plan")
    assert _local(split) == "parallelGateway" and split.get("gatewayDirection") == "Diverging"
    join = _by_id(webinar, "Gateway_join_review")
    assert _local(join) == "parallelGateway" and join.get("gatewayDirection") == "Converging"
    flows = _flows(webinar)
    into_join = [flows[i.text or ""].get("sourceRef") for i in join.findall(f"{BPMN}incoming")]
    # in the order of review's after: deck (through its rework check), the speaker's
    # steps, the demo (each through the merge after its condition)
    assert into_join == [
        "Gateway_check_deck",
        "Gateway_skipped_speaker",
        "Gateway_skipped_demo-prep",
    ]


def test_a_condition_is_an_exclusive_split_with_a_default_way_round(webinar: ET.Element) -> None:
    skip = _by_id(webinar, "Gateway_skip_speaker")
    assert _local(skip) == "exclusiveGateway"
    assert skip.get("name") == "Is it a big one?"
    flows = _flows(webinar)
    taken = flows["Flow_skip_speaker__speaker"]
    assert taken.get("name") == "yes"
    condition = taken.find(f"{BPMN}conditionExpression")
    assert condition is not None and condition.text == "big = yes"
    assert skip.get("default") == "Flow_skip_speaker__skipped_speaker"
    # consecutive steps under the same condition share the split and the merge
    assert flows["Flow_speaker__speaker-rehearsal"] is not None
    merge = _by_id(webinar, "Gateway_skipped_speaker")
    assert {i.text for i in merge.findall(f"{BPMN}incoming")} == {
        "Flow_speaker-rehearsal__skipped_speaker",
        "Flow_skip_speaker__skipped_speaker",
    }
    demo = flows["Flow_skip_demo-prep__demo-prep"]
    assert demo.get("name") == "demo or talk / no"
    assert demo.find(f"{BPMN}conditionExpression").text == "format in (demo, talk) and big = no"  # type: ignore[union-attr]


def test_per_run_below_one_is_a_condition_and_above_one_a_multi_instance(
    webinar: ET.Element,
) -> None:
    skip = _by_id(webinar, "Gateway_skip_survey")
    assert skip.get("name") == "Runs this time? (in 25% of runs)"
    promote = _by_id(webinar, "Task_promote")
    loop = promote.find(f"{BPMN}multiInstanceLoopCharacteristics")
    assert loop is not None and loop.get("isSequential") == "true"
    assert loop.find(f"{BPMN}loopCardinality").text == "3"  # type: ignore[union-attr]
    clips = _by_id(webinar, "Call_clips").find(f"{BPMN}multiInstanceLoopCharacteristics")
    assert clips is not None and clips.get("isSequential") == "false"
    # the PERT mean of 2/3/6 items
    assert clips.find(f"{BPMN}loopCardinality").text == "3.3333333333"  # type: ignore[union-attr]


def test_rework_leaves_through_a_check_and_enters_a_merge_before_its_target(
    webinar: ET.Element,
) -> None:
    flows = _flows(webinar)
    back = flows["Flow_check_review__redo_deck"]
    assert back.get("name") == "rework 25%"
    assert back.find(f"{BPMN}conditionExpression") is not None
    marker = back.find(f"{BPMN}extensionElements/{SOPKIT}flow")
    assert marker is not None and marker.get("kind") == "rework"
    check_review = _by_id(webinar, "Gateway_check_review")
    assert check_review.get("name") == "Approved?"  # a sign-off
    assert check_review.get("default") == "Flow_check_review__split_review"
    redo = _by_id(webinar, "Gateway_redo_deck")
    incoming = [i.text for i in redo.findall(f"{BPMN}incoming")]
    assert "Flow_check_review__redo_deck" in incoming
    assert "Flow_check_deck__redo_deck" in incoming  # the deck sends itself back too
    assert flows["Flow_redo_deck__deck"] is not None  # and the merge leads to the target
    assert _by_id(webinar, "Gateway_check_deck").get("name") == "Sent back?"


def test_names_are_escaped_and_kept_exactly(webinar: ET.Element) -> None:
    assert _by_id(webinar, "Participant_webinar").get("name") == (
        "Webinar <\"Q&A\"> & 'follow-up' — 웨비나"
    )
    assert _by_id(webinar, "Task_deck").get("name") == "Slides\nand notes"


def _bpsim(root: ET.Element) -> dict[str, ET.Element]:
    return {e.get("elementRef") or "": e for e in root.iter(f"{BPSIM}ElementParameters")}


def test_bpsim_block_is_valid_against_the_bpsim_schema(webinar: ET.Element) -> None:
    lxml = pytest.importorskip("lxml.etree")
    schema = lxml.XMLSchema(lxml.parse(str(BPSIM_XSD)))
    for path in [FIXTURE / "webinar.yaml", *LIBRARY]:
        document = lxml.fromstring(_export(path))
        (block,) = document.iter("{http://www.bpsim.org/schemas/2.0}BPSimData")
        assert schema.validate(block), (path.name, schema.error_log)


def test_bpsim_times_are_triangular_over_the_estimate_in_hours(webinar: ET.Element) -> None:
    params = _bpsim(webinar)
    plan = params["Task_plan"].find(
        f"{BPSIM}TimeParameters/{BPSIM}ProcessingTime/{BPSIM}TriangularDistribution"
    )
    assert plan is not None
    assert (plan.get("min"), plan.get("mode"), plan.get("max")) == ("0.5", "1", "3")
    assert plan.get("timeUnit") == "hour"
    deck = params["Task_deck"].find(
        f"{BPSIM}TimeParameters/{BPSIM}ProcessingTime/{BPSIM}TriangularDistribution"
    )
    assert deck is not None and deck.get("mode") == "2.5"  # a bare range's likely is its middle
    speaker = params["Task_speaker"].find(
        f"{BPSIM}TimeParameters/{BPSIM}ProcessingTime/{BPSIM}FloatingParameter"
    )
    assert speaker is not None and speaker.get("value") == "0.75"
    cost = params["Task_speaker"].find(
        f"{BPSIM}CostParameters/{BPSIM}FixedCost/{BPSIM}FloatingParameter"
    )
    assert cost is not None and cost.get("value") == "300"


def test_bpsim_rates_people_shares_and_run_frequency(webinar: ET.Element) -> None:
    params = _bpsim(webinar)
    resources = {r.get("name"): r.get("id") for r in webinar.iter(f"{BPMN}resource")}
    editor = params[resources["Editor"] or ""]  # only the called process uses the editor
    unit = editor.find(f"{BPSIM}CostParameters/{BPSIM}UnitCost/{BPSIM}FloatingParameter")
    assert unit is not None and unit.get("value") == "50.5"
    writer = params[resources["Writer"] or ""]
    quantity = writer.find(f"{BPSIM}ResourceParameters/{BPSIM}Quantity/{BPSIM}FloatingParameter")
    assert quantity is not None and quantity.get("value") == "2"
    speaker = params[resources["Guest Speaker"] or ""]  # the process's own role
    assert (
        speaker.find(f"{BPSIM}CostParameters/{BPSIM}UnitCost/{BPSIM}FloatingParameter").get("value")
        == "200"
    )  # type: ignore[union-attr]
    selection = params["Task_plan"].find(
        f"{BPSIM}ResourceParameters/{BPSIM}Selection/{BPSIM}ExpressionParameter"
    )
    assert selection is not None
    assert selection.get("value") == (
        f"getResource('{resources['Lead']}', 1) and getResource('{resources['Writer']}', 1) "
        f"and getResource('{resources['Customer']}', 2)"
    )
    probability = {
        ref: p.find(f"{BPSIM}ControlParameters/{BPSIM}Probability/{BPSIM}FloatingParameter").get(
            "value"
        )  # type: ignore[union-attr]
        for ref, p in params.items()
        if p.find(f"{BPSIM}ControlParameters/{BPSIM}Probability") is not None
    }
    assert probability["Flow_skip_speaker__speaker"] == "0.25"
    assert probability["Flow_skip_speaker__skipped_speaker"] == "0.75"
    # demo or talk (0.5) and not big (0.75)
    assert probability["Flow_skip_demo-prep__demo-prep"] == "0.375"
    assert probability["Flow_check_review__redo_deck"] == "0.25"
    assert probability["Flow_check_review__split_review"] == "0.75"
    timer = params["Event_run_start"].find(
        f"{BPSIM}ControlParameters/{BPSIM}InterTriggerTimer/{BPSIM}FloatingParameter"
    )
    assert timer is not None and timer.get("timeUnit") == "hour"
    assert Decimal(timer.get("value") or "") == Decimal(8760) / 24  # 2 a month: 24 a year
    scenario = next(webinar.iter(f"{BPSIM}ScenarioParameters"))
    assert scenario.get("baseCurrencyUnit") == "EUR" and scenario.get("baseTimeUnit") == "hour"


def test_the_sopkit_extension_carries_what_bpmn_cannot(webinar: ET.Element) -> None:
    step = _by_id(webinar, "Task_plan").find(f"{BPMN}extensionElements/{SOPKIT}step")
    assert step is not None
    data = decode(step)
    assert data["time"] == {"min": "30m", "likely": "1h", "max": "3h"}
    assert data["with"] == {"Writer": Decimal(1), "Customer": Decimal(2)}
    assert data["dont"] == ["No: surprises"]
    assert "name" not in data and "owner" not in data and "after" not in data
    deck = decode(_by_id(webinar, "Task_deck").find(f"{BPMN}extensionElements/{SOPKIT}step"))  # type: ignore[arg-type]
    assert deck["automation"] == {
        "share": Decimal("0.3"),
        "tool": "Slides AI",
        "tool_cost": Decimal(600),
        "setup": "2h",
    }
    process = _by_id(webinar, "Process_webinar").find(f"{BPMN}extensionElements/{SOPKIT}process")
    settings = _by_id(webinar, "Process_webinar").find(f"{BPMN}extensionElements/{SOPKIT}settings")
    assert process is not None and settings is not None
    own = decode(process)
    assert own["conditions"]["format"]["options"] == {
        "panel": Decimal("0.5"),
        "talk": Decimal("0.3"),
        "demo": Decimal("0.2"),
    }
    assert own["review"]["version"] == "1.10"
    assert decode(settings)["calendar"] == {
        "weekend": ["fri", "sat"],
        "holidays": [__import__("datetime").date(2027, 1, 1)],
    }


def test_coordinates_are_plain_numbers(webinar: ET.Element) -> None:
    for bounds in webinar.iter(f"{DC}Bounds"):
        for value in bounds.attrib.values():
            assert "e" not in value.lower() and Fraction(value) >= 0


def test_a_process_too_large_to_draw_is_refused(tmp_path: Path) -> None:
    lines = []
    for i in range(151):
        after = f", after: [s{i - 1}]" if i else ""
        lines.append(f"  - {{id: s{i}, name: Step {i}, owner: Writer, time: 1h{after}}}\n")
    steps = "".join(lines)
    (tmp_path / "roles.yaml").write_text("roles: {Writer: {rate: 1}}\n", encoding="utf-8")
    path = tmp_path / "big.yaml"
    path.write_text(
        f"sopkit: 1\nid: big\nname: Big\nowner: Writer\nsteps:\n{steps}", encoding="utf-8"
    )
    from typer.testing import CliRunner

    from sopkit.cli import app

    result = CliRunner().invoke(app, ["export", "bpmn", str(path)])
    assert result.exit_code == 1
    assert "too large for a legible diagram" in result.stderr
    # From Python as from the command line: the library refuses it too.
    from sopkit import RenderError, export_bpmn, load_process

    with pytest.raises(RenderError, match="too large for a legible diagram"):
        export_bpmn(load_process(path))


def test_the_docs_say_how_many_clock_hours_a_working_day_of_waiting_is() -> None:
    """A working day of waiting is hours_per_day × 24/hours_per_day × 7/days_per_week
    clock hours: 24 × 7 ÷ 5 = 33.6 at 5 days a week (2d is 67.2), not 24. The reference,
    the BPMN guide and the code's own docstring say the number the export writes."""
    from sopkit.interop.bpmn import bpsim
    from sopkit.models import Clock

    per_hour = bpsim.elapsed_hours(Clock(Decimal(8), Decimal(5)))
    assert per_hour * 8 == Fraction("33.6") and per_hour * 16 == Fraction("67.2")
    texts = {
        "docs/format.md": " ".join((ROOT / "docs" / "format.md").read_text().split()),
        "docs/bpmn.md": " ".join((ROOT / "docs" / "bpmn.md").read_text().split()),
        "bpsim.elapsed_hours": " ".join((bpsim.elapsed_hours.__doc__ or "").split()),
    }
    for where, text in texts.items():
        assert "24 × 7 ÷ 5 = 33.6" in text, where
        assert "24 clock hours" not in text and "being 24 of them" not in text, where

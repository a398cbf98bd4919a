"""Properties of the exchange code: whatever the data, it comes back exactly.

* YAML written by ``yamltext`` reads back with sopkit's own reader as the same
  data: text stays text (``yes``, ``1.0``, ``2026-01-01``, ``a: b``, ``#x``),
  numbers stay exact.
* The ``sopkit:`` extension encodes any file-format data as XML and decodes it
  to the same data.
* Any valid process (random graphs with conditions, repeats, rework and
  milestones) exports to BPMN that keeps every rule of ``bpmn_check`` and
  imports back to the same process.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import yaml
from bpmn_check import check
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sopkit.analysis import cost_process
from sopkit.errors import SopkitError
from sopkit.interop.bpmn import export_bpmn, import_bpmn
from sopkit.interop.bpmn.extension import decode, encode_into
from sopkit.interop.bpmn.namespaces import SOPKIT
from sopkit.interop.bpmn.xmltree import El, serialise
from sopkit.interop.filedata import process_data
from sopkit.interop.yamltext import dump_yaml
from sopkit.load import process_from_data, settings_from_data
from sopkit.source import SourceMap, parse_yaml

# Characters YAML and XML 1.0 can both carry: no controls but tab and line break,
# no surrogates, no non-characters.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\n\t"),
    max_size=30,
)
TRICKY = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "null",
        "~",
        "1.0",
        "045",
        "1:30",
        "0x1F",
        "2026-01-01",
        "a: b",
        "#x",
        "- item",
        "[x]",
        "{x}",
        "&a",
        "*a",
        "!t",
        "'q'",
        '"q"',
        "a #b",
        " lead",
        "trail ",
        "",
        "\u2028",
        "\ufeff",
        "%x",
        "@x",
        "`x",
        "|",
        ">",
        "?",
        "2h",
        "1h..4h",
        "4/month",
        ".inf",
        "-",
        "-1",
    ]
)
SCALARS = st.one_of(
    TEXT,
    TRICKY,
    st.booleans(),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
    ),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
KEYS = st.one_of(TEXT.filter(bool), TRICKY.filter(bool))
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, Decimal):
        return isinstance(b, Decimal) and a == b
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, DATA, min_size=1, max_size=5))
def test_yaml_reads_back_as_written(data: dict[str, Any]) -> None:
    text = dump_yaml(data)
    assert _same(parse_yaml(text).data, data), text
    # PyYAML's pure-Python reader (what other tools use) reads the same file.
    assert yaml.load(text, Loader=yaml.SafeLoader) is not None


def test_text_with_a_question_mark_is_quoted_where_pyyaml_needs_it() -> None:
    data = {"conditions": {"ok": {"question": "Invoice approved?", "share": Decimal("0.5")}}}
    text = dump_yaml(data)
    assert '"Invoice approved?"' in text
    loaded = yaml.load(text, Loader=yaml.SafeLoader)
    assert loaded["conditions"]["ok"]["question"] == "Invoice approved?"


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, DATA, max_size=5))
def test_the_extension_decodes_what_it_encodes(data: dict[str, Any]) -> None:
    root = El("sopkit:step", {"xmlns:sopkit": SOPKIT})
    encode_into(root, data)
    parsed = ET.fromstring(serialise(root))
    assert _same(decode(parsed), data)


ROLES = ("Writer", "Editor", "Lead")


@st.composite
def processes(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=9))
    steps = []
    for index in range(count):
        step: dict[str, Any] = {"id": f"s{index}", "name": f"Step {index}"}
        milestone = index > 0 and draw(st.integers(0, 6)) == 0
        if milestone:
            step["milestone"] = True
            if draw(st.booleans()):
                step["owner"] = draw(st.sampled_from(ROLES))
        else:
            step["owner"] = draw(st.sampled_from(ROLES))
            step["time"] = draw(
                st.sampled_from(["30m", "1h..2h", {"min": "1h", "likely": "2h", "max": "5h"}])
            )
        if index:
            before = draw(st.lists(st.integers(0, index - 1), max_size=3, unique=True))
            if before:
                step["after"] = [f"s{b}" for b in before]
        gate = draw(st.integers(0, 5))
        if gate == 1:
            step["when"] = {"big": draw(st.booleans())}
        elif gate == 2:
            step["when"] = {"tier": draw(st.sampled_from([["A"], ["A", "B"], ["C"]]))}
        if not milestone and draw(st.integers(0, 5)) == 0:
            step["per_run"] = draw(st.sampled_from([Decimal("0.25"), Decimal(3)]))
        if not milestone and draw(st.integers(0, 4)) == 0:
            step["rework"] = {
                "to": f"s{draw(st.integers(0, index))}",
                "probability": Decimal("0.2"),
            }
        steps.append(step)
    return {
        "sopkit": 1,
        "id": "random",
        "name": "Random process",
        "owner": "Lead",
        "frequency": "3/month",
        "conditions": {
            "big": {"question": "Big?", "share": Decimal("0.3")},
            "tier": {
                "question": "Tier?",
                "options": {"A": Decimal("0.5"), "B": Decimal("0.3"), "C": Decimal("0.2")},
            },
        },
        "steps": steps,
    }


SETTINGS = settings_from_data(
    {"currency": "USD", "roles": {r: {"rate": Decimal(40 + i)} for i, r in enumerate(ROLES)}},
    SourceMap("roles.yaml"),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(processes())
def test_any_valid_process_exports_by_the_rules_and_comes_back(data: dict[str, Any]) -> None:
    text = dump_yaml(data)
    document = parse_yaml(text, "random.yaml")
    try:
        process = process_from_data(
            document.data, document.source, SETTINGS, source_path="random.yaml"
        )
    except SopkitError:
        assume(False)  # a rework to a step that is not upstream, an unused condition, …
        raise
    xml = export_bpmn(cost_process(process))
    assert check(xml) == []
    result = import_bpmn(xml, "random.bpmn")
    assert result.warnings == ()
    back = process_from_data(
        parse_yaml(dump_yaml(result.processes[0].data)).data,
        SourceMap("back.yaml"),
        SETTINGS,
        source_path="back.yaml",
    )
    assert process_data(back) == process_data(process)
    assert cost_process(back).annual_total_cost == cost_process(process).annual_total_cost


def test_the_exchange_knows_every_field_of_the_format() -> None:
    """A field added to the models that the file-format data (and so BPMN's extension and
    the import's YAML) does not carry would be lost in a round trip: this fails first."""
    from sopkit.interop.filedata import PROCESS_KEYS, STEP_KEYS
    from sopkit.models import Automation, Condition, Process, Review, Role, Settings, Step

    def names(model: Any) -> set[str]:
        return {info.alias or name for name, info in model.model_fields.items()}

    assert names(Step) == set(STEP_KEYS)
    assert names(Process) == set(PROCESS_KEYS)
    assert names(Role) == {"kind", "rate", "headcount", "available_hours", "description", "accept"}
    assert names(Settings) == {
        "currency",
        "hours_per_day",
        "days_per_week",
        "working_days_per_year",
        "calendar",
        "roles",
        "accept",
    }
    assert names(Automation) == {"share", "tool", "tool_cost", "setup"}
    assert names(Condition) == {"question", "share", "options"}
    assert names(Review) == {"version", "last_reviewed", "next_review", "approver"}

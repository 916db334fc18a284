"""The compact syntax: chains, one-line components, single-item lists, implicit groups."""

from __future__ import annotations

import copy

import pytest

from sysdesign.chains import ChainError, parse_chain
from sysdesign.diagnostics import InputError
from sysdesign.loader import located_design, parse_design
from sysdesign.model import Mode, Operation
from sysdesign.shorthand import normalise
from sysdesign.yamlsource import parse_text

HEAD = """\
id: t
title: T
prompt: P
scale: {peak_qps: 100}
slo: {p99_latency_ms: 200}
"""

COMPONENTS = """\
components:
  - users: client
  - {lb: load_balancer, replicas: 2}
  - {api: service, replicas: 3, capacity_rps: 500, latency_ms: 5}
  - {db: database, replicas: 3}
  - {events: queue, replicas: 3}
  - {worker: worker, replicas: 2}
"""


def design_text(flows: str, components: str = COMPONENTS, extra: str = "") -> str:
    return HEAD + components + flows + extra


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_design(text, "d.yaml")
    return [d.format() for d in info.value.diagnostics]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def col_of(text: str, needle: str, within: str) -> int:
    """1-based column of `needle` on the first line containing `within`."""
    line = text.splitlines()[line_of(text, within) - 1]
    return line.index(needle, line.index(within)) + 1


# -- chains ------------------------------------------------------------------------------------


def test_chain_equals_the_long_form() -> None:
    short = parse_design(
        design_text("flows:\n  - users -> lb -> api\n  - api ~> events ~> worker\n")
    )
    long = parse_design(
        design_text(
            "flows:\n"
            "  - {from: users, to: lb}\n"
            "  - {from: lb, to: api}\n"
            "  - {from: api, to: events, mode: async, op: write}\n"
            "  - {from: events, to: worker, mode: async, op: write}\n"
        )
    )
    assert short == long
    assert short.flows[2].mode is Mode.ASYNC and short.flows[2].op is Operation.WRITE
    assert short.flows[0].mode is Mode.SYNC and short.flows[0].op is Operation.READ


def test_chains_and_long_entries_mix_in_order() -> None:
    d = parse_design(
        design_text(
            "flows:\n  - {from: worker, to: db, op: write}\n  - users -> lb -> api\n"
            "  - {from: api, to: db, step: 2}\n"
        )
    )
    assert [f.key for f in d.flows] == ["worker->db", "users->lb", "lb->api", "api->db"]
    assert d.flows[3].step == 2


def test_mixed_arrows_in_one_chain() -> None:
    d = parse_design(design_text("flows: ['users -> api ~> events -> worker']\n"))
    assert [(f.key, f.mode.value) for f in d.flows] == [
        ("users->api", "sync"),
        ("api->events", "async"),
        ("events->worker", "sync"),
    ]


@pytest.mark.parametrize(
    "written, prefix",
    [
        ("  - users -> lb -> apii\n", "  - "),
        ("  - 'users -> lb -> apii'\n", "  - '"),
        ('  - "users -> lb -> apii"\n', '  - "'),
        ("  - [x]\n", None),
    ],
)
def test_unknown_id_points_at_its_column(written: str, prefix: str | None) -> None:
    if prefix is None:  # inline flow sequence inside the flows list
        text = design_text("flows: ['users -> lb', 'lb -> apii']\n")
        assert errors(text) == [
            f"d.yaml:{line_of(text, 'apii')}:{col_of(text, 'apii', 'flows:')}: error: "
            "flow to unknown component 'apii'; did you mean 'api'?"
        ]
        return
    text = design_text("flows:\n" + written)
    line = line_of(text, "apii")
    assert errors(text) == [
        f"d.yaml:{line}:{len(prefix) + len('users -> lb -> ') + 1}: error: "
        "flow to unknown component 'apii'; did you mean 'api'?"
    ]


def test_every_unknown_id_at_once_and_a_middle_id_once() -> None:
    text = design_text("flows:\n  - users -> lbb -> api -> dbb\n  - worker ~> evnts\n")
    found = errors(text)
    assert found == [
        f"d.yaml:14:{col_of(text, 'lbb', 'users ->')}: error: flow from unknown component 'lbb'; "
        "did you mean 'lb'?",
        f"d.yaml:14:{col_of(text, 'dbb', 'users ->')}: error: flow to unknown component 'dbb'; "
        "did you mean 'db'?",
        f"d.yaml:15:{col_of(text, 'evnts', 'worker ~>')}: error: flow to unknown component "
        "'evnts'; did you mean 'events'?",
    ]


def test_columns_after_wide_unicode_text() -> None:
    text = design_text("flows:\n  - {from: users, to: lb, label: 'é→ü'}\n  - 'lb -> ápi'\n")
    (found,) = errors(text)
    assert found.startswith(f"d.yaml:15:{col_of(text, 'ápi', 'lb ->')}: error: to: 'ápi'")


def test_chain_in_a_stage_sees_the_stage_components() -> None:
    stage = (
        "stages:\n  - id: s1\n    title: S\n    constraint: C\n    add:\n"
        "      components: [{cache: cache, replicas: 2}]\n"
        "      flows: [api -> cache -> nope]\n"
    )
    text = design_text("flows: [users -> api]\n", extra=stage)
    assert errors(text) == [
        f"d.yaml:{line_of(text, 'nope')}:{col_of(text, 'nope', 'cache ->')}: error: "
        "flow to unknown component 'nope' (as of stage 1)"
    ]


@pytest.mark.parametrize(
    "chain, message, at",
    [
        ("'a'", "a chain needs at least two component ids", "a"),
        ("'a -> '", "chain ends with '->': name its target", "->"),
        ("'-> b'", "chain starts with '->': name its source", "->"),
        ("'a -> -> b'", "two arrows with no component id between them", "-> b"),
        ("''", "a chain needs at least two component ids", "'"),
        ("'a → b'", "use '->' in a chain, not '→'", "→"),
        ("'a ⤳ b'", "use '~>' in a chain, not '⤳'", "⤳"),
        ("'a --> b'", "use '->' in a chain, not '-->'", "-->"),
        ("'a => b'", "use '->' in a chain, not '=>'", "=>"),
        ("'b <- a'", "use '->' in a chain, not '<-' (chains read left to right)", "<-"),
    ],
)
def test_malformed_chains_are_located(chain: str, message: str, at: str) -> None:
    text = design_text(f"flows:\n  - users -> lb\n  - {chain}\n")
    (found,) = errors(text)
    line = text.splitlines()[14]
    col = line.index(at, 5) + 1 if at != "'" else 6
    assert found.startswith(f"d.yaml:15:{col}: error: {message}")


def test_multiline_and_escaped_chains_are_refused() -> None:
    text = design_text('flows:\n  - >\n    users -> lb\n  - "users\\t-> lb"\n  - |\n    a -> b\n')
    assert errors(text) == [
        "d.yaml:14:5: error: keep a chain on one line (a plain or quoted string)",
        "d.yaml:16:5: error: write a chain without escapes (plain or single-quoted)",
        "d.yaml:17:5: error: keep a chain on one line (a plain or quoted string)",
    ]


@pytest.mark.parametrize(
    "flows",
    [
        "  - users -> lb\n  - lb -> api\n  - users -> lb\n",
        "  - users -> lb -> users -> lb\n",
        "  - {from: users, to: lb}\n  - users -> lb\n",
        "  - users -> lb\n  - {from: users, to: lb, step: 2}\n",
    ],
)
def test_duplicate_flows_from_chains_are_errors(flows: str) -> None:
    text = design_text("flows:\n" + flows + "  - api -> db\n")
    (found,) = errors(text)
    assert "duplicate flow 'users->lb': already declared at line 14" in found
    assert found.startswith("d.yaml:1")


def test_a_second_flow_with_its_own_id_is_not_a_duplicate() -> None:
    d = parse_design(design_text("flows:\n  - users -> lb\n  - {id: again, from: users, to: lb}\n"))
    assert [f.key for f in d.flows] == ["users->lb", "again"]


def test_empty_flows_list_and_no_flows() -> None:
    assert parse_design(design_text("flows: []\n")).flows == []
    assert parse_design(design_text("")).flows == []


def test_hostile_strings_never_crash() -> None:
    hostile = [
        "->" * 500,
        "a" * 5000 + " -> b",
        "a -> b\x07 -> c",
        "~>~>~>",
        " -> ",
        "a ->b->c~>d->",
        "\u202ea -> b",
        "a -> b -> c -> " * 200 + "d",
    ]
    for chain in hostile:
        text = design_text(f"flows:\n  - {chain!r}\n".replace('"', "'"))
        try:
            parse_design(text, "d.yaml")
        except InputError as exc:
            assert all(d.file == "d.yaml" and d.line >= 1 for d in exc.diagnostics)


def test_an_id_that_is_a_field_name_works_in_a_chain() -> None:
    comps = "components:\n  - {id: group, kind: service, replicas: 2}\n  - users: client\n"
    d = parse_design(design_text("flows: [users -> group]\n", components=comps))
    assert d.flows[0].to == "group"


def test_parse_chain_offsets() -> None:
    (link,) = parse_chain("  ab  ~>cd ")
    assert (link.source, link.source_at, link.target, link.target_at, link.arrow_at) == (
        "ab",
        2,
        "cd",
        8,
        6,
    )
    with pytest.raises(ChainError):
        parse_chain("ab")


# -- one-line components -----------------------------------------------------------------------


def test_one_line_components_equal_the_long_form() -> None:
    short = parse_design(design_text("flows: [users -> lb]\n"))
    long_components = (
        "components:\n"
        "  - {id: users, kind: client}\n"
        "  - {id: lb, kind: load_balancer, replicas: 2}\n"
        "  - {id: api, kind: service, replicas: 3, capacity_rps: 500, latency_ms: 5}\n"
        "  - {id: db, kind: database, replicas: 3}\n"
        "  - {id: events, kind: queue, replicas: 3}\n"
        "  - {id: worker, kind: worker, replicas: 2}\n"
    )
    long = parse_design(design_text("flows: [users -> lb]\n", components=long_components))
    assert short == long
    assert "replicas" not in short.components[0].model_fields_set  # nothing invented


@pytest.mark.parametrize(
    "entry, message, at",
    [
        ("{lb: load_balancr}", "unknown kind 'load_balancr'; did you mean 'load_balancer'?", "lo"),
        ("{lb: service, replica: 3}", "unknown field 'replica'; did you mean 'replicas'?", "rep"),
        (
            "{replicas: 3, lb: service}",
            "a one-line component starts with 'ID: kind'; put 'lb' first, or it is a misspelt "
            "field",
            "lb",
        ),
        (
            "{group: service}",
            "'group' is a component field, so 'group: service' cannot name a component; write "
            "the long form: {id: group, kind: service}",
            "group",
        ),
        (
            "{lb: service, id: x}",
            "one-line component 'lb' already names its id and kind in 'lb: ...'; drop 'id'",
            "id",
        ),
        (
            "{lb: service, kind: cache}",
            "one-line component 'lb' already names its id and kind in 'lb: ...'; drop 'kind'",
            "kind",
        ),
        ("{lb: }", "one-line component 'lb' needs a kind after the colon", "}"),
        ("{lb: [service]}", "one-line component 'lb' needs a kind after the colon", "["),
        ("{Big-LB: service}", "id: 'Big-LB' is not a slug", "Big"),
    ],
)
def test_one_line_component_errors(entry: str, message: str, at: str) -> None:
    comps = f"components:\n  - users: client\n  - {entry}\n"
    text = design_text("", components=comps)
    (found,) = errors(text)
    assert found.startswith(f"d.yaml:8:{text.splitlines()[7].index(at) + 1}: error: {message}")


def test_several_component_problems_at_once() -> None:
    comps = "components:\n  - users: client\n  - {a: servce}\n  - {group: service}\n  - b:\n"
    assert len(errors(design_text("", components=comps))) == 3


# -- single-item lists and implicit groups -----------------------------------------------------


def test_single_item_lists() -> None:
    comps = (
        "components:\n  - users: client\n"
        "  - {guard: safety_filter, screens: input, roles: rate_limiter}\n"
        "  - {logs: logging, observes: '*'}\n"
    )
    stage = (
        "stages:\n  - id: s\n    title: S\n    constraint: C\n"
        "    change: [{id: guard, screens: output}]\n"
    )
    d = parse_design(design_text("flows: [users -> guard]\n", components=comps, extra=stage))
    guard = d.components[1]
    assert [s.value for s in guard.screens] == ["input"]
    assert [r.value for r in guard.roles] == ["rate_limiter"]
    assert d.components[2].observes == ["*"]
    assert d.stages[0].change[0].screens is not None


def test_single_item_errors_keep_their_place() -> None:
    comps = "components:\n  - users: client\n  - {guard: safety_filter, screens: inptu}\n"
    (found,) = errors(design_text("", components=comps))
    assert found.startswith("d.yaml:8:37: error: unknown screens 'inptu'; did you mean 'input'?")


def test_group_names_create_groups_where_first_named() -> None:
    comps = (
        "components:\n  - {users: client, group: edge}\n  - {lb: load_balancer, group: edge}\n"
        "  - {api: service, group: core}\n"
    )
    stage = (
        "stages:\n  - id: s\n    title: S\n    constraint: C\n"
        "    add: {components: [{cache: cache, group: hot}, {c2: cache, group: core}]}\n"
    )
    d = parse_design(design_text("flows: [users -> lb -> api]\n", components=comps, extra=stage))
    assert [g.id for g in d.groups] == ["edge", "core"]
    assert [g.id for g in d.stages[0].add.groups] == ["hot"]


def test_declared_group_is_not_created_again() -> None:
    comps = "groups: [{id: edge, kind: zone}]\ncomponents:\n  - {users: client, group: edge}\n"
    d = parse_design(design_text("", components=comps))
    assert [(g.id, g.kind.value) for g in d.groups] == [("edge", "zone")]


def test_bad_group_name_is_located() -> None:
    comps = "components:\n  - {users: client, group: Edge Tier}\n"
    (found,) = errors(design_text("", components=comps))
    assert found.startswith("d.yaml:7:28: error: ")


# -- the normaliser itself ---------------------------------------------------------------------


def test_normalise_does_not_touch_its_input_and_long_form_is_unchanged() -> None:
    located = parse_text(design_text("flows: [users -> lb, api ~> db]\n"), "d.yaml")
    before = copy.deepcopy(located.data)
    normal = normalise(located)
    assert located.data == before
    assert normal.located.data["flows"][1] == {
        "from": "api",
        "to": "db",
        "mode": "async",
        "op": "write",
    }
    long = parse_text(HEAD + "components:\n  - {id: a, kind: client}\n", "l.yaml")
    assert normalise(long).located is long


def test_located_design_returns_the_normalised_locations() -> None:
    text = design_text("flows:\n  - {from: worker, to: db}\n  - users -> lb -> api\n")
    located, design = located_design(parse_text(text, "d.yaml"))
    assert design.flows[2].key == "lb->api"
    loc = located.locate(("flows", 2, "to"))
    assert (loc.line, loc.col) == (15, col_of(text, "api", "users ->"))


def test_schema_describes_the_short_forms() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from sysdesign.schema import design_schema

    validator = jsonschema.Draft202012Validator(design_schema())
    comps = COMPONENTS + "  - {guard: safety_filter, screens: input, group: edge}\n"
    good = yaml.safe_load(design_text("flows: [users -> lb ~> api]\n", components=comps))
    assert list(validator.iter_errors(good)) == []
    for bad_flow in ("users", "users -> ", "-> lb"):
        bad = yaml.safe_load(design_text(f"flows: ['{bad_flow}']\n"))
        assert list(validator.iter_errors(bad)), bad_flow
    bad = yaml.safe_load(design_text("", components="components: [{a: service, id: a}]\n"))
    assert list(validator.iter_errors(bad))


def test_long_form_data_for_tools_that_edit_designs() -> None:
    from sysdesign.shorthand import long_form_data

    data = long_form_data(design_text("flows: [users -> lb ~> api]\n"))
    assert data["flows"][1] == {"from": "lb", "to": "api", "mode": "async", "op": "write"}
    assert data["components"][0] == {"id": "users", "kind": "client"}
    with pytest.raises(InputError):
        long_form_data(design_text("flows: ['users ->']\n"))

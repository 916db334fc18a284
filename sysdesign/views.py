"""Views of a design: the design as of stage N, with what each stage added.

A view is a projection of one Design, never a hand-edited copy. Building a view also reports every
reference that does not resolve, as (YAML path, message) pairs the loader turns into located errors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from operator import attrgetter

from pydantic import ValidationError

from sysdesign.model import Component, Design, Flow, Group, Scale, Slo, Stage
from sysdesign.taxonomy import PROFILE_BY_NAME

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """A reference problem at a YAML path."""

    path: YamlPath
    message: str
    key: bool = False


@dataclass
class DesignView:
    """What the design looks like as of one stage (0 = the base design)."""

    design: Design
    stage_index: int
    components: dict[str, Component]
    flows: dict[str, Flow]
    groups: dict[str, Group]
    scale: Scale
    slo: Slo
    required_layers: dict[str, str]  # layer -> why it is required
    required_screens: dict[str, str]  # screen -> why it is required
    requirement_origins: dict[str, YamlPath] = field(default_factory=dict)  # "layer:X" -> path
    added_components: frozenset[str] = frozenset()
    added_flows: frozenset[str] = frozenset()
    changed_components: frozenset[str] = frozenset()
    component_origins: dict[str, YamlPath] = field(default_factory=dict)  # id -> YAML path
    flow_origins: dict[str, YamlPath] = field(default_factory=dict)  # flow key -> YAML path
    # scale factor -> sysdesign.analyses.Analyses, filled by analyses_for (computed once per view)
    analyses: dict[float, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def stage(self) -> Stage | None:
        return self.design.stages[self.stage_index - 1] if self.stage_index else None

    def origin(self, component: str | None = None, flow: str | None = None) -> YamlPath:
        """Where a component or flow was written, for located findings."""
        if component is not None:
            return self.component_origins.get(component, ())
        if flow is not None:
            return self.flow_origins.get(flow, ())
        return ()


def suggest(word: str, choices: Collection[str]) -> str:
    """'; did you mean X?' when something close exists, else ''."""
    match = get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def unknown_end(end: str, cid: str, names: Collection[str], upto: int = 0) -> str:
    """ "flow to unknown component 'dbb' (as of stage 2); did you mean 'db'?": a flow's end
    ('from' or 'to') that names no component of the view as of stage `upto`."""
    where = f" (as of stage {upto})" if upto else ""
    return f"flow {end} unknown component {cid!r}{where}{suggest(cid, names)}"


def resolve_stage(design: Design, stage: int | str | None) -> int:
    """A stage given by 1-based number or id, as an index; 0 for the base design.

    Raises ValueError with a helpful message for a stage that does not exist.
    """
    if stage is None or stage == 0 or stage == "0":
        return 0
    ids = [s.id for s in design.stages]
    if isinstance(stage, str) and not stage.isdigit():
        if stage in ids:
            return ids.index(stage) + 1
        raise ValueError(f"no stage {stage!r} in {design.id}{suggest(stage, ids)}")
    number = int(stage)
    if not 0 <= number <= len(ids):
        raise ValueError(
            f"{design.id} has stages 0..{len(ids)}; there is no stage {number}"
            if ids
            else f"{design.id} has no stages"
        )
    return number


def _merge(base, change):  # type: ignore[no-untyped-def]
    """A model with the fields set in `change` (a *Change model) replaced."""
    updates = {k: v for k, v in change.model_dump(exclude_unset=True).items() if k != "id"}
    estimates = updates.pop("estimates", None)
    merged = base.model_copy(update=updates)
    if estimates:
        merged = merged.model_copy(update={"estimates": [*base.estimates, *change.estimates]})
    return merged


_KEY = attrgetter("key")


def _fresh(keys: list[str], present: Mapping[str, object]) -> set[str] | None:
    """The keys as a set when none repeats and none is present yet (then they can all go in at
    once), else None."""
    unique = set(keys)
    return unique if len(unique) == len(keys) and present.keys().isdisjoint(unique) else None


def _paths(at: YamlPath, count: int) -> Iterator[YamlPath]:
    """`(*at, 0)`, `(*at, 1)`, ... `(*at, count - 1)`, built in C."""
    return map(at.__add__, zip(range(count)))


class _Builder:
    """Applies a design's base and stages, collecting reference problems."""

    def __init__(self, design: Design) -> None:
        self.design = design
        self.problems: list[Problem] = []
        self.components: dict[str, Component] = {}
        self.flows: dict[str, Flow] = {}
        self.groups: dict[str, Group] = {}
        self.component_origins: dict[str, YamlPath] = {}
        self.flow_origins: dict[str, YamlPath] = {}
        self.layers: dict[str, str] = {}
        self.screens: dict[str, str] = {}
        self.requirement_origins: dict[str, YamlPath] = {}
        self.ever: set[str] = set()  # every component id any stage so far has had

    def problem(self, path: YamlPath, message: str, key: bool = False) -> None:
        self.problems.append(Problem(path, message, key))

    def add_groups(self, groups: list[Group], at: YamlPath) -> None:
        for i, group in enumerate(groups):
            if group.id in self.groups:
                self.problem((*at, i, "id"), f"duplicate group id {group.id!r}")
            self.groups[group.id] = group

    def add_components(self, components: list[Component], at: YamlPath) -> set[str]:
        ids = [c.id for c in components]
        fresh = _fresh(ids, self.components)
        if fresh is not None:  # the common case, in bulk
            self.components.update(zip(ids, components, strict=True))
            self.component_origins.update(zip(ids, _paths(at, len(ids)), strict=True))
            self.ever.update(fresh)
            return fresh
        added: set[str] = set()
        for i, component in enumerate(components):
            if component.id in self.components:
                self.problem((*at, i, "id"), f"duplicate component id {component.id!r}")
                continue
            self.components[component.id] = component
            self.component_origins[component.id] = (*at, i)
            self.ever.add(component.id)
            added.add(component.id)
        return added

    def add_flows(self, flows: list[Flow], at: YamlPath) -> set[str]:
        keys = list(map(_KEY, flows))
        fresh = _fresh(keys, self.flows)
        if fresh is not None:  # the common case, in bulk
            self.flows.update(zip(keys, flows, strict=True))
            self.flow_origins.update(zip(keys, _paths(at, len(keys)), strict=True))
            return fresh
        added: set[str] = set()
        for i, (flow, key) in enumerate(zip(flows, keys, strict=True)):
            if key in self.flows:
                hint = " (give one of them an 'id')" if flow.id is None else ""
                self.problem((*at, i), f"duplicate flow {key!r}{hint}")
                continue
            self.flows[key] = flow
            self.flow_origins[key] = (*at, i)
            added.add(key)
        return added

    def remove(self, stage: Stage, at: YamlPath) -> None:
        for i, cid in enumerate(stage.remove.components):
            if cid not in self.components:
                self.problem(
                    (*at, "remove", "components", i),
                    f"stage removes unknown component {cid!r}{suggest(cid, self.components)}",
                )
                continue
            del self.components[cid]
            for key in [k for k, f in self.flows.items() if cid in (f.from_, f.to)]:
                del self.flows[key]
        for i, key in enumerate(stage.remove.flows):
            if key not in self.flows:
                self.problem(
                    (*at, "remove", "flows", i),
                    f"stage removes unknown flow {key!r}{suggest(key, self.flows)}",
                )
                continue
            del self.flows[key]

    def change(self, stage: Stage, at: YamlPath) -> set[str]:
        changed: set[str] = set()
        for i, patch in enumerate(stage.change):
            if patch.id not in self.components:
                self.problem(
                    (*at, "change", i, "id"),
                    f"stage changes unknown component {patch.id!r}"
                    f"{suggest(patch.id, self.components)}",
                )
                continue
            updates = patch.model_dump(exclude_unset=True, exclude={"id"})
            merged = self.components[patch.id].model_dump(by_alias=True, exclude_unset=True)
            merged.update(updates)
            try:
                self.components[patch.id] = Component.model_validate(merged, strict=False)
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                message = first["msg"].removeprefix("Value error, ")
                self.problem((*at, "change", i), f"this change makes {patch.id} invalid: {message}")
                continue
            changed.add(patch.id)
        return changed

    def require(
        self,
        layers: list,
        screens: list,
        why: str,
        at: YamlPath,  # type: ignore[type-arg]
    ) -> None:
        for layer in layers:
            if str(layer) not in self.layers:
                self.layers[str(layer)] = why
                self.requirement_origins[f"layer:{layer}"] = at
        for screen in screens:
            if str(screen) not in self.screens:
                self.screens[str(screen)] = why
                self.requirement_origins[f"screen:{screen}"] = at

    def check_references(self, upto: int) -> None:
        """Every reference in the current state resolves."""
        names = self.components
        for key, flow in self.flows.items():  # the common case (nothing wrong) first: fast
            if (
                flow.from_ in names
                and flow.to in names
                and flow.hit_ratio is None
                and all(cid in names for cid in flow.identifies)
            ):
                continue
            at = self.flow_origins[key]
            for end, cid in (("from", flow.from_), ("to", flow.to)):
                if cid not in names:
                    self.problem((*at, end), unknown_end(end, cid, names, upto))
            for i, cid in enumerate(flow.identifies):
                if cid not in names:
                    self.problem(
                        (*at, "identifies", i),
                        f"identifies unknown component {cid!r}{suggest(cid, names)}",
                    )
            source = names.get(flow.from_)
            cached = source is not None and bool(source.layers & {"cache", "cdn"})
            if flow.hit_ratio is not None and source is not None and not cached:
                self.problem(
                    (*at, "hit_ratio"),
                    f"hit_ratio is for flows out of a cache or CDN; {flow.from_!r} is a "
                    f"{source.kind.value}",
                )
        for cid, component in names.items():
            if (component.group is None or component.group in self.groups) and all(
                target == "*" or target in names for target in component.observes
            ):
                continue
            at = self.component_origins[cid]
            if component.group is not None and component.group not in self.groups:
                self.problem(
                    (*at, "group"),
                    f"unknown group {component.group!r}{suggest(component.group, self.groups)}",
                )
            for i, target in enumerate(component.observes):
                if target != "*" and target not in names:
                    self.problem(
                        (*at, "observes", i),
                        f"observes unknown component {target!r}{suggest(target, names)}",
                    )
        for gid, group in self.groups.items():
            if group.parent is not None and group.parent not in self.groups:
                self.problem(
                    ("groups",),
                    f"group {gid!r} has unknown parent {group.parent!r}"
                    f"{suggest(group.parent, self.groups)}",
                )


def build_view(
    design: Design, upto: int = 0, check: bool = True
) -> tuple[DesignView, list[Problem]]:
    """The design as of stage `upto` (0 = base), and every reference problem met on the way
    (`check=False` skips the reference checks, for designs the loader already validated)."""
    b, view = _build(design, upto, check)
    return view, b.problems


def _build(design: Design, upto: int, check: bool) -> tuple[_Builder, DesignView]:
    b = _Builder(design)
    b.add_groups(design.groups, ("groups",))
    added_c = b.add_components(design.components, ("components",))
    added_f = b.add_flows(design.flows, ("flows",))
    changed: set[str] = set()
    scale, slo = design.scale, design.slo
    for i, profile in enumerate(design.profiles):
        info = PROFILE_BY_NAME[str(profile)]
        b.require(list(info.layers), list(info.screens), f"profile {info.name}", ("profiles", i))
    b.require(
        design.requirements.layers,
        design.requirements.screens,
        "the requirements",
        ("requirements",),
    )
    if check:
        b.check_references(0)
    stage_ids: set[str] = set()
    for index, stage in enumerate(design.stages[:upto], start=1):
        at: YamlPath = ("stages", index - 1)
        if stage.id in stage_ids:
            b.problem((*at, "id"), f"duplicate stage id {stage.id!r}")
        stage_ids.add(stage.id)
        b.remove(stage, at)
        b.add_groups(stage.add.groups, (*at, "add", "groups"))
        added_c = b.add_components(stage.add.components, (*at, "add", "components"))
        added_f = b.add_flows(stage.add.flows, (*at, "add", "flows"))
        changed = b.change(stage, at)
        if stage.scale is not None:
            scale = _merge(scale, stage.scale)
        if stage.slo is not None:
            slo = _merge(slo, stage.slo)
        b.require(
            stage.requires.layers,
            stage.requires.screens,
            f"stage {index} ({stage.title})",
            (*at, "requires"),
        )
        if check:
            b.check_references(index)
    view = DesignView(
        design=design,
        stage_index=upto,
        components=b.components,
        flows=b.flows,
        groups=b.groups,
        scale=scale,
        slo=slo,
        required_layers=b.layers,
        required_screens=b.screens,
        requirement_origins=b.requirement_origins,
        added_components=frozenset(added_c) if upto else frozenset(),
        added_flows=frozenset(added_f) if upto else frozenset(),
        changed_components=frozenset(changed),
        component_origins=b.component_origins,
        flow_origins=b.flow_origins,
    )
    return b, view


def view_of(design: Design, stage: int | str | None = None) -> DesignView:
    """The design as of a stage (number or id); assumes the design was validated by the loader."""
    view, _ = build_view(design, resolve_stage(design, stage), check=False)
    return view


def reference_problems(design: Design) -> list[Problem]:
    """Every unresolved reference in the base design and in each stage, once each."""
    builder, _ = _build(design, len(design.stages), check=True)  # checks after every stage
    seen: dict[tuple[YamlPath, str], Problem] = {}
    for p in builder.problems:
        seen.setdefault((p.path, p.message.split(" (as of stage")[0]), p)
    accepted_ids = builder.ever
    for i, acceptance in enumerate(design.accepted):
        if acceptance.component is not None and acceptance.component not in accepted_ids:
            p = Problem(
                ("accepted", i, "component"),
                f"accepts a finding on unknown component {acceptance.component!r}"
                f"{suggest(acceptance.component, accepted_ids)}",
            )
            seen.setdefault((p.path, p.message), p)
    return list(seen.values())

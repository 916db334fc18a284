"""Agentic designs built on the clean base design: an agent loop, tools, sandboxes, tenants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from designs import component, remove_flow

Data = dict[str, Any]
Mutation = Callable[[Data], None]


def _c(cid: str, kind: str, **fields: Any) -> dict[str, Any]:
    base = {"id": cid, "kind": kind, "replicas": 2, "capacity_rps": 1000, "latency_ms": 5}
    return {**base, **fields}


def agent_loop(d: Data, rounds: int = 3, screened: tuple[int, ...] | None = None) -> None:
    """app plans with the model, then for each later round calls the web tool, screens its result
    (in the rounds listed in `screened`; default all) and calls the model again."""
    screened = tuple(range(2, rounds + 1)) if screened is None else screened
    component(d, "model")["capacity_rps"] = 100 * rounds
    d["components"] += [
        _c("web", "service", external=True, latency_ms=50),
        _c("tool-guard", "safety_filter", screens=["tool_output"], failure_mode="closed"),
    ]
    d["flows"] = [f for f in d["flows"] if (f["from"], f["to"]) != ("app", "model")]
    d["flows"] += [
        {"from": "tool-guard", "to": "events", "op": "write", "mode": "async"},
        {"id": "round-1", "from": "app", "to": "model", "step": 2},
    ]
    step = 2
    for r in range(2, rounds + 1):
        d["flows"].append({"id": f"search-{r}", "from": "app", "to": "web", "step": step + 1})
        if r in screened:
            d["flows"].append(
                {"id": f"screen-{r}", "from": "app", "to": "tool-guard", "step": step + 2}
            )
        d["flows"].append({"id": f"round-{r}", "from": "app", "to": "model", "step": step + 3})
        step += 3
    for f in d["flows"]:
        if f.get("id") == "app-write":
            f["step"] = step + 1


def tool_executor(authorized: bool) -> Mutation:
    """The model's answer picks an action that `actions` executes (after a policy check)."""

    def mutate(d: Data) -> None:
        d["components"] += [
            _c("actions", "tool_executor"),
            _c("tool-guard", "safety_filter", screens=["tool_output"], failure_mode="closed"),
        ]
        d["flows"] += [
            {"from": "app", "to": "actions", "step": 5},
            {"from": "actions", "to": "events", "op": "write", "mode": "async"},
            {"from": "app", "to": "tool-guard", "step": 6},
            {"from": "tool-guard", "to": "events", "op": "write", "mode": "async"},
        ]
        if authorized:
            d["components"].append(_c("policy", "policy_engine", failure_mode="closed"))
            d["flows"].append({"from": "app", "to": "policy", "step": 4})

    return mutate


def unscreened_tool(d: Data) -> None:
    """A tool whose result the model reads in a later call, with no screen in between."""
    tool_executor(True)(d)
    remove_flow(d, "app", "tool-guard")
    d["flows"].append({"id": "second", "from": "app", "to": "model", "step": 7})
    component(d, "model")["capacity_rps"] = 200


def screened_tool(d: Data) -> None:
    tool_executor(True)(d)
    d["flows"].append({"id": "second", "from": "app", "to": "model", "step": 7})
    component(d, "model")["capacity_rps"] = 200


def sandbox(reach: str) -> Mutation:
    """A sandbox that reaches: 'db' (the system of record), 'vault' (the secrets store through
    another service), 'web' (the internet, unproxied), 'proxied' (the internet through an egress
    proxy, and its own scoped credentials), or nothing."""

    def mutate(d: Data) -> None:
        d["components"] += [
            _c("box", "sandbox", runs_untrusted=True, uses_credentials=reach == "proxied"),
            _c("web", "service", external=True),
            _c("vault", "secrets_store", replicas=3),
            _c("proxy", "egress_proxy"),
            _c("helper", "service", uses_credentials=True),
        ]
        d["flows"] += [
            {"from": "app", "to": "box", "step": 4},
            {"from": "helper", "to": "vault"},
            {"from": "app", "to": "helper", "step": 4},
            {"from": "proxy", "to": "web"},
        ]
        targets = {
            "db": [{"id": "box-db", "from": "box", "to": "db", "op": "write"}],
            "vault": [{"from": "box", "to": "helper"}],
            "web": [{"from": "box", "to": "web"}],
            "proxied": [{"from": "box", "to": "proxy"}, {"from": "box", "to": "vault"}],
        }
        d["flows"] += targets.get(reach, [])
        if reach == "db":
            d["flows"].append({"from": "box", "to": "events", "op": "write", "mode": "async"})

    return mutate


def tenants(partitioned: bool) -> Mutation:
    def mutate(d: Data) -> None:
        d["scale"]["tenants"] = 50
        for cid in ("cache", "db"):
            if partitioned:
                component(d, cid)["tenancy"] = "tenant-key"

    return mutate


def guard_fails(mode: str | None) -> Mutation:
    def mutate(d: Data) -> None:
        if mode is None:
            del component(d, "guard")["failure_mode"]
        else:
            component(d, "guard")["failure_mode"] = mode

    return mutate


def _accept(code: str, cid: str) -> Mutation:
    def mutate(d: Data) -> None:
        guard_fails("open")(d)
        d["accepted"] = [{"code": code, "component": cid, "reason": "availability over safety"}]

    return mutate


AGENTIC_CASES: dict[str, tuple[Mutation, Mutation]] = {
    "SD113": (guard_fails(None), guard_fails("closed")),
    "SD209": (unscreened_tool, screened_tool),
    "SD210": (tool_executor(False), tool_executor(True)),
    "SD211": (sandbox("db"), sandbox("proxied")),
    "SD212": (tenants(False), tenants(True)),
    "SD213": (guard_fails("open"), _accept("SD213", "guard")),
}

"""What to practise next, from the history: weakest sections, items missed most, spaced
repetition of items, drills not done recently. Deterministic for a given history and date.

Spaced repetition (Leitner boxes, per rubric item, over attempts in date order): a missed item
goes back to box 0; a passed one moves up a box. An item is due `INTERVALS[box]` days after the
attempt that last judged it: a missed item comes back after 1 day, one passed once after 3,
twice after 7, then 14 and 30.

An attempt's missed items are those that earned less than full credit (`Attempt.missed`); for
attempts recorded before that was kept, the self answers other than "yes" stand in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sysdesign.rubric.models import Rubric
from sysdesign.rubric.records import Attempt
from sysdesign.rubric.rounding import fmt
from sysdesign.rubric.rounding import score as round_score

INTERVALS = (1, 3, 7, 14, 30)  # days until an item in box 0..4 is due again
RECENT_DAYS = 7  # a drill not done for longer is "not done recently"
SHOWN = 5


@dataclass(frozen=True)
class ItemState:
    """Where one rubric item stands in the spaced-repetition schedule."""

    item: str
    text: str
    study: str
    box: int
    last_seen: date
    last_missed: bool
    due: date
    misses: int
    seen: int
    drills: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "text": self.text,
            "study": self.study,
            "box": self.box,
            "last_seen": self.last_seen.isoformat(),
            "last_missed": self.last_missed,
            "due": self.due.isoformat(),
            "misses": self.misses,
            "seen": self.seen,
            "drills": list(self.drills),
        }


@dataclass(frozen=True)
class DrillState:
    drill: str
    last_done: date | None
    days_since: int | None  # None: never done
    attempts: int
    latest_score: float | None
    due_items: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "drill": self.drill,
            "last_done": self.last_done.isoformat() if self.last_done else None,
            "days_since": self.days_since,
            "attempts": self.attempts,
            "latest_score": self.latest_score,
            "due_items": self.due_items,
        }


@dataclass(frozen=True)
class Plan:
    today: date
    drill: str | None  # the drill to practise next
    reasons: tuple[str, ...]
    weakest_sections: tuple[tuple[str, str, float], ...]  # (id, title, score)
    missed_most: tuple[ItemState, ...]
    due: tuple[ItemState, ...]
    drills: tuple[DrillState, ...]
    attempts: int
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "drill": self.drill,
            "reasons": list(self.reasons),
            "weakest_sections": [
                {"id": sid, "title": title, "score": value}
                for sid, title, value in self.weakest_sections
            ],
            "missed_most": [s.as_dict() for s in self.missed_most],
            "due": [s.as_dict() for s in self.due],
            "drills": [d.as_dict() for d in self.drills],
            "attempts": self.attempts,
            "notes": list(self.notes),
        }


def _day(attempt: Attempt) -> date:
    return date.fromisoformat(attempt.date)


def _missed(attempt: Attempt, rubric: Rubric | None) -> tuple[set[str], set[str]]:
    """(items judged, items missed) in one attempt."""
    if attempt.missed or attempt.per_stage:  # schema 2: every item of the rubric was judged
        judged = {i.id for i in rubric.items} if rubric else set(attempt.missed)
        return judged | set(attempt.missed), set(attempt.missed)
    judged = set(attempt.answers)
    missed = {k for k, v in attempt.answers.items() if v.get("answer") != "yes"}
    return judged, missed


def _schedule(
    attempts: list[Attempt], rubric_of: Callable[[str], Rubric | None]
) -> dict[str, ItemState]:
    texts: dict[str, tuple[str, str]] = {}
    state: dict[str, dict[str, Any]] = {}
    for attempt in attempts:
        rubric = rubric_of(attempt.rubric)
        if rubric is not None:
            for item in rubric.items:
                texts.setdefault(item.id, (item.text, item.study))
        judged, missed = _missed(attempt, rubric)
        for item_id in sorted(judged):
            s = state.setdefault(item_id, {"box": 0, "misses": 0, "seen": 0, "drills": set()})
            s["seen"] += 1
            s["drills"].add(attempt.drill)
            s["last_seen"] = _day(attempt)
            s["last_missed"] = item_id in missed
            if item_id in missed:
                s["box"], s["misses"] = 0, s["misses"] + 1
            else:
                s["box"] = min(s["box"] + 1, len(INTERVALS) - 1)
    out = {}
    for item_id, s in state.items():
        box = s["box"] if not s["last_missed"] else 0
        interval = INTERVALS[0] if s["last_missed"] else INTERVALS[box]
        text, study = texts.get(item_id, (item_id, ""))
        out[item_id] = ItemState(
            item=item_id,
            text=text,
            study=study,
            box=box,
            last_seen=s["last_seen"],
            last_missed=s["last_missed"],
            due=s["last_seen"] + timedelta(days=interval),
            misses=s["misses"],
            seen=s["seen"],
            drills=tuple(sorted(s["drills"])),
        )
    return out


def _weakest_sections(
    attempts: list[Attempt], titles: dict[str, str]
) -> list[tuple[str, str, float]]:
    """Section scores averaged over the latest attempt of each drill, lowest first."""
    latest: dict[str, Attempt] = {}
    for a in attempts:
        latest[a.drill] = a
    totals: dict[str, list[float]] = {}
    for a in latest.values():
        for sid, value in a.sections.items():
            totals.setdefault(sid, []).append(float(value))
    averaged = [
        (sid, titles.get(sid, sid), round_score(sum(v) / len(v))) for sid, v in totals.items()
    ]
    return sorted(averaged, key=lambda t: (t[2], t[0]))


def plan(
    attempts: Iterable[Attempt],
    today: date,
    drills: Iterable[str],
    rubric_of: Callable[[str], Rubric | None],
) -> Plan:
    """What to practise next and why. `drills` are the reference drill ids; `rubric_of` loads a
    rubric by id (None when it no longer exists)."""
    history = sorted(
        (a for a in attempts if _day(a) <= today), key=lambda a: (a.recorded_at, a.id or 0)
    )
    ids = sorted(set(drills) | {a.drill for a in history})
    titles: dict[str, str] = {}
    for rid in sorted({a.rubric for a in history}):
        rubric = rubric_of(rid)
        if rubric is not None:
            titles.update({s.id: s.title for s in rubric.sections})
    schedule = _schedule(history, rubric_of)
    due = sorted(
        (s for s in schedule.values() if s.due <= today),
        key=lambda s: (s.box, s.due, -s.misses, s.item),  # missed (box 0) first
    )
    missed_most = sorted(
        (s for s in schedule.values() if s.misses),
        key=lambda s: (-s.misses, -len(s.drills), s.item),
    )
    due_ids = {s.item for s in due}
    drill_states = []
    for drill in ids:
        mine = [a for a in history if a.drill == drill]
        last = _day(mine[-1]) if mine else None
        rubric = rubric_of(mine[-1].rubric if mine else drill)
        items = {i.id for i in rubric.items} if rubric else set()
        drill_states.append(
            DrillState(
                drill=drill,
                last_done=last,
                days_since=(today - last).days if last else None,
                attempts=len(mine),
                latest_score=mine[-1].overall if mine else None,
                due_items=len(items & due_ids),
            )
        )
    weakest = _weakest_sections(history, titles)[:2]
    chosen, reasons = _choose(drill_states, due, weakest, bool(history))
    return Plan(
        today=today,
        drill=chosen,
        reasons=tuple(reasons),
        weakest_sections=tuple(weakest),
        missed_most=tuple(missed_most[:SHOWN]),
        due=tuple(due),
        drills=tuple(drill_states),
        attempts=len(history),
    )


def _choose(
    drills: list[DrillState],
    due: list[ItemState],
    weakest: list[tuple[str, str, float]],
    any_history: bool,
) -> tuple[str | None, list[str]]:
    if not drills:
        return None, ["no drills and no attempts yet"]
    if not any_history:
        first = drills[0].drill
        return first, [f"no graded attempt yet: start with {first} and grade it"]

    def stale(d: DrillState) -> int:
        return 10_000 if d.days_since is None else d.days_since

    ranked = sorted(drills, key=lambda d: (-d.due_items, -stale(d), d.drill))
    best = ranked[0]
    reasons = []
    if best.due_items:
        reasons.append(f"{best.due_items} of the items due for review are in its rubric")
    if best.days_since is None:
        reasons.append("never practised")
    elif best.days_since > RECENT_DAYS:
        reasons.append(f"not practised for {best.days_since} days")
    else:
        reasons.append(f"last practised {best.days_since} day(s) ago")
    if weakest:
        _, title, value = weakest[0]
        reasons.append(f"weakest section overall: {title} ({fmt(value)}); give it extra time")
    return best.drill, reasons

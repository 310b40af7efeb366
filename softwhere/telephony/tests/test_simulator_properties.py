"""Property tests of the simulator: whatever the configuration and state, one call ends exactly once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from softwhere.telephony.services.simulator import OutcomeKind, StepKind

from .builders import GROUP, GROUP2, IVR, MONDAY_9, OFFICE, PARIS, document, group, line, run

NUMBERS = [f"+3318704400{i}" for i in range(1, 7)]
OUTSIDE = ["+33612000000", "+4930123456"]
TARGETS = NUMBERS + [GROUP, GROUP2] + OUTSIDE

forward_target = st.one_of(st.none(), st.just("messagerie"), st.sampled_from(TARGETS))


@st.composite
def services(draw: st.DrawFn) -> dict[str, Any]:
    fwd = {
        kind: (
            {"enabled": False}
            if t is None
            else {"enabled": True, "destination": "messagerie"}
            if t == "messagerie"
            else {"enabled": True, "destination": "numero", "number": t}
        )
        for kind, t in (
            ("immediate", draw(st.one_of(st.none(), st.none(), forward_target))),
            ("busy", draw(forward_target)),
            ("no_answer", draw(forward_target)),
            ("unreachable", draw(forward_target)),
        )
    }
    if draw(st.booleans()):
        fwd["scheduled"] = {"enabled": True, "destination": "messagerie", "calendar": "Bureaux"}
    fwd["no_answer"]["rings"] = draw(st.integers(1, 10))
    return {
        "do_not_disturb": draw(st.booleans()),
        "call_waiting": draw(st.booleans()),
        "reject_anonymous": draw(st.booleans()),
        "welcome_announcement": {"enabled": draw(st.booleans()), "interruptible": draw(st.booleans())},
        "call_waiting_announcement": {"enabled": draw(st.booleans())},
        "multi_ring": {
            "enabled": draw(st.booleans()),
            "mode": draw(st.sampled_from(["simultane", "sequentiel"])),
            "numbers": draw(st.lists(st.sampled_from(OUTSIDE + NUMBERS), max_size=5, unique=True)),
        },
        "forwards": fwd,
    }


line_state = st.fixed_dictionaries(
    {},
    optional={
        "registered": st.booleans(),
        "calls_in_progress": st.integers(0, 3),
        "connected": st.booleans(),
        "answers": st.booleans(),
        "answer_after_rings": st.integers(1, 12),
        "do_not_disturb": st.booleans(),
        "present": st.fixed_dictionaries({}, optional={GROUP: st.booleans(), GROUP2: st.booleans()}),
        "last_call_end": st.integers(0, 7200).map(lambda s: (MONDAY_9 - timedelta(seconds=s)).isoformat()),
    },
)


@st.composite
def call_group(draw: st.DrawFn, number: str) -> dict[str, Any]:
    overflow = draw(st.sampled_from(["aucun", "dissuasion", "numero"]))
    return group(
        number,
        members=tuple(draw(st.lists(st.sampled_from(NUMBERS), max_size=6, unique=True))),
        name=f"G{number[-1]}",
        distribution=draw(st.sampled_from(["lineaire", "poste_libre", "cyclique", "parallele"])),
        max_rings=draw(st.integers(1, 10)),
        inter_call_delay={"enabled": True, "seconds": draw(st.integers(1, 3600))} if draw(st.booleans()) else {},
        max_waiting_calls=draw(st.integers(1, 50)),
        max_wait_seconds=draw(st.integers(1, 3600)),
        overflow={"mode": overflow, "number": draw(st.sampled_from(TARGETS)) if overflow == "numero" else None},
        welcome_announcement={"enabled": draw(st.booleans()), "interruptible": draw(st.booleans())},
    )


@st.composite
def scenario(draw: st.DrawFn) -> tuple[dict[str, Any], str, datetime, str | None, dict[str, Any]]:
    lines = [line(n, f"P{i}", f"N{i}", **draw(services())) for i, n in enumerate(NUMBERS)]
    ivr = {
        "name": "Standard",
        "number": IVR,
        "site": "Siège",
        "calendar": "Bureaux",
        "open_menu": {
            "announcement": "Jour",
            "keys": [{"key": "1", "number": GROUP}, {"key": "2", "number": NUMBERS[0]}],
        },
        "closed_menu": {
            "announcement": "Nuit",
            "keys": [{"key": "1", "submenu": {"keys": [{"key": "1", "number": GROUP2}]}}],
        },
    }
    doc = document(
        *lines, calendars=[OFFICE], call_groups=[draw(call_group(GROUP)), draw(call_group(GROUP2))], ivrs=[ivr]
    )
    state = {
        "lines": {n: draw(line_state) for n in NUMBERS + OUTSIDE},
        "call_groups": {
            g: {"calls_waiting": draw(st.integers(0, 55)), "last_answered": draw(st.sampled_from(NUMBERS))}
            for g in (GROUP, GROUP2)
        },
        "caller": {"keys": draw(st.text(alphabet="0123456789", max_size=3))},
    }
    at = datetime(2026, 11, 23, tzinfo=PARIS) + timedelta(minutes=draw(st.integers(0, 7 * 24 * 60)))
    caller = draw(st.one_of(st.none(), st.sampled_from(OUTSIDE + NUMBERS)))
    to = draw(st.sampled_from([*NUMBERS, GROUP, GROUP2, IVR, "+33187049999"]))
    return doc, to, at, caller, state


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_a_call_always_ends_in_exactly_one_outcome(
    case: tuple[dict[str, Any], str, datetime, str | None, dict[str, Any]],
) -> None:
    doc, to, at, caller, state = case
    sim = run(doc, to, at=at, caller=caller, state=state)  # finish() raises if a call ends twice
    assert sim.outcome.kind in set(OutcomeKind)
    assert sim.outcome.text
    assert sim.steps[0].kind == StepKind.CALL
    assert all(s.kind in set(StepKind) and s.text for s in sim.steps)
    times = [s.at for s in sim.steps] + [sim.outcome.at]
    assert times == sorted(times), "the trace goes back in time"
    if sim.outcome.kind == OutcomeKind.ANSWERED:
        assert sim.outcome.number


@settings(max_examples=200, deadline=None, database=None)
@given(
    members=st.lists(st.sampled_from(NUMBERS), min_size=1, max_size=6, unique=True),
    states=st.lists(line_state, min_size=6, max_size=6),
)
def test_parallel_rings_every_available_member(members: list[str], states: list[dict[str, Any]]) -> None:
    doc = document(
        *(line(n, f"P{i}", f"N{i}") for i, n in enumerate(NUMBERS)),
        call_groups=[group(GROUP, members=tuple(members), distribution="parallele")],
    )
    state = {"lines": dict(zip(NUMBERS, states, strict=True))}
    sim = run(doc, GROUP, state=state)

    def available(n: str) -> bool:
        s = state["lines"][n]
        return (
            s.get("registered", True)
            and s.get("connected", True)
            and s.get("present", {}).get(GROUP, True)
            and s.get("calls_in_progress", 0) == 0
        )

    expected = {n for n in members if available(n)}
    rings = [s for s in sim.steps if s.kind == StepKind.RING]
    if expected:
        assert set(rings[0].numbers) == expected
        answering = [
            n
            for n in expected
            if state["lines"][n].get("answers", True) and state["lines"][n].get("answer_after_rings", 1) <= 5
        ]
        if answering:
            assert sim.outcome.kind == OutcomeKind.ANSWERED and sim.outcome.number in answering
    else:
        assert not rings
        assert sim.outcome.kind == OutcomeKind.DISSUASION

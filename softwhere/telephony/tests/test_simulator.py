"""Table-driven tests of the call-routing simulator: every interaction seed 003 describes.

Each row is a configuration, a call and the expected outcome, plus the step kinds that
must appear in the trace (in order) — so the explanation is tested, not only the result.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from softwhere.telephony.services.config import config_from_document
from softwhere.telephony.services.simulator import CallState, simulate, state_from_dict

from .builders import (
    GROUP,
    IVR,
    MOBILE,
    MONDAY_9,
    MONDAY_20,
    MONDAY_1230,
    OUTSIDE,
    PARIS,
    SUNDAY_10,
    A,
    B,
    C,
    D,
    document,
    forwards,
    group,
    line,
    run,
)

CHRISTMAS_10 = datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)
AUGUST_10 = datetime(2026, 8, 10, 10, 0, tzinfo=PARIS)


def assert_in_order(kinds: list[str], expected: list[str]) -> None:
    it = iter(kinds)
    missing = [k for k in expected if k not in it]
    assert not missing, f"{expected} not found in order in {kinds}"


LINE_CASES: list[tuple[str, dict[str, Any], dict[str, Any], tuple[str, str | None, int | None], list[str]]] = [
    # id, services of A, call (at / caller / state), (outcome kind, number, at), step kinds in order
    ("plain call answered", {}, {}, ("answered", A, 5), ["call", "entity", "ring"]),
    (
        "scheduled forward beats immediate when the calendar is closed",
        {"forwards": forwards(scheduled={"destination": "numero", "number": B, "calendar": "Bureaux"}, immediate=C)},
        {"at": MONDAY_20},
        ("answered", B, 5),
        ["forward_scheduled", "entity", "ring"],
    ),
    (
        "immediate forward applies while the scheduled calendar is open",
        {"forwards": forwards(scheduled={"destination": "numero", "number": B, "calendar": "Bureaux"}, immediate=C)},
        {"at": MONDAY_9},
        ("answered", C, 5),
        ["calendar", "forward_immediate"],
    ),
    (
        "scheduled forward during the lunch break",
        {"forwards": forwards(scheduled={"destination": "messagerie", "calendar": "Bureaux"})},
        {"at": MONDAY_1230},
        ("voicemail", A, 0),
        ["forward_scheduled"],
    ),
    (
        "scheduled forward on a closure day",
        {"forwards": forwards(scheduled={"destination": "messagerie", "calendar": "Bureaux"})},
        {"at": CHRISTMAS_10},
        ("voicemail", A, 0),
        ["forward_scheduled"],
    ),
    (
        "scheduled forward during a closure period",
        {"forwards": forwards(scheduled={"destination": "messagerie", "calendar": "Bureaux"})},
        {"at": AUGUST_10},
        ("voicemail", A, 0),
        ["forward_scheduled"],
    ),
    (
        "immediate forward beats unreachable",
        {"forwards": forwards(immediate=C)},
        {"state": {"lines": {A: {"registered": False}}}},
        ("answered", C, 5),
        ["forward_immediate", "entity", "ring"],
    ),
    (
        "immediate forward beats busy",
        {"forwards": forwards(immediate=C)},
        {"state": {"lines": {A: {"calls_in_progress": 1}}}},
        ("answered", C, 5),
        ["forward_immediate"],
    ),
    (
        "do not disturb uses the busy forward",
        {"do_not_disturb": True},
        {},
        ("voicemail", A, 0),
        ["do_not_disturb", "forward_busy"],
    ),
    (
        "do not disturb without busy forward: the call fails",
        {"do_not_disturb": True, "forwards": forwards(busy=None)},
        {},
        ("failed", A, 0),
        ["do_not_disturb"],
    ),
    (
        "do not disturb set from the phone (state)",
        {"forwards": forwards(busy=B)},
        {"state": {"lines": {A: {"do_not_disturb": True}}}},
        ("answered", B, 5),
        ["do_not_disturb", "forward_busy", "entity"],
    ),
    (
        "unreachable line goes to voicemail by default",
        {},
        {"state": {"lines": {A: {"registered": False}}}},
        ("voicemail", A, 0),
        ["unreachable", "forward_unreachable"],
    ),
    (
        "unreachable without forward",
        {"forwards": forwards(unreachable=None)},
        {"state": {"lines": {A: {"registered": False}}}},
        ("unreachable", A, 0),
        ["unreachable"],
    ),
    (
        "busy, call waiting off: busy forward to voicemail",
        {},
        {"state": {"lines": {A: {"calls_in_progress": 1}}}},
        ("voicemail", A, 0),
        ["busy", "forward_busy"],
    ),
    (
        "busy without busy forward: busy tone",
        {"forwards": forwards(busy=None)},
        {"state": {"lines": {A: {"calls_in_progress": 1}}}},
        ("busy", A, 0),
        ["busy"],
    ),
    (
        "call waiting prevails over the busy forward",
        {"call_waiting": True, "forwards": forwards(busy=B)},
        {"state": {"lines": {A: {"calls_in_progress": 1}}}},
        ("answered", A, 5),
        ["call_waiting", "announcement"],
    ),
    (
        "refused waiting call falls into the no-answer forward",
        {"call_waiting": True, "forwards": forwards(busy=B, no_answer=C)},
        {"state": {"lines": {A: {"calls_in_progress": 1, "answers": False}}}},
        ("answered", C, 5),
        ["call_waiting", "no_answer", "forward_no_answer"],
    ),
    (
        "terminal quota reached: busy forward despite call waiting",
        {"call_waiting": True, "forwards": forwards(busy=B)},
        {"state": {"lines": {A: {"calls_in_progress": 2}}}},
        ("answered", B, 5),
        ["busy", "forward_busy"],
    ),
    (
        "no answer after 3 rings goes to voicemail",
        {},
        {"state": {"lines": {A: {"answers": False}}}},
        ("voicemail", A, 15),
        ["ring", "no_answer", "forward_no_answer"],
    ),
    (
        "answering after the configured rings is too late",
        {"forwards": forwards(no_answer={"destination": "messagerie", "rings": 2})},
        {"state": {"lines": {A: {"answer_after_rings": 3}}}},
        ("voicemail", A, 10),
        ["ring", "no_answer", "forward_no_answer"],
    ),
    (
        "no answer without forward: rings until the caller hangs up",
        {"forwards": forwards(no_answer=None)},
        {"state": {"lines": {A: {"answers": False}}}},
        ("no_answer", A, 0),
        ["ring"],
    ),
    (
        "blocked caller is rejected before any forward",
        {"blocked_numbers": ["02 98 76 54 32"], "forwards": forwards(immediate=C)},
        {},
        ("rejected", A, 0),
        ["blocked"],
    ),
    ("anonymous caller rejected", {"reject_anonymous": True}, {"caller": None}, ("rejected", A, 0), ["anonymous"]),
    ("anonymous caller accepted by default", {}, {"caller": None}, ("answered", A, 5), ["ring"]),
    (
        "forward to an outside number leaves the company",
        {"forwards": forwards(immediate="+33612000000")},
        {},
        ("external", "+33612000000", 0),
        ["forward_immediate"],
    ),
    (
        "forward loop is detected",
        {"forwards": forwards(immediate=B)},
        {"extra_b": {"forwards": forwards(immediate=A)}},
        ("loop", A, 0),
        ["forward_immediate", "entity", "forward_immediate"],
    ),
    (
        "non-interruptible welcome announcement is played before the ring",
        {"welcome_announcement": {"enabled": True, "interruptible": False}},
        {},
        ("answered", A, 15),
        ["announcement", "ring"],
    ),
    (
        "interruptible welcome announcement rings at once",
        {"welcome_announcement": {"enabled": True, "interruptible": True}},
        {},
        ("answered", A, 5),
        ["announcement", "ring"],
    ),
    (
        "welcome announcement with its calendar closed is not played",
        {"welcome_announcement": {"enabled": True, "calendar": "Bureaux"}},
        {"at": MONDAY_20},
        ("answered", A, 5),
        ["calendar", "ring"],
    ),
    (
        "ring on several lines, simultaneous: the first to answer wins",
        {"multi_ring": {"enabled": True, "mode": "simultane", "numbers": ["+33612000000", "+33612000001"]}},
        {"state": {"lines": {A: {"answers": False}, "+33612000000": {"answer_after_rings": 2}}}},
        ("answered", "+33612000001", 5),
        ["ring"],
    ),
    (
        "ring on several lines, sequential: the user's line first",
        {"multi_ring": {"enabled": True, "mode": "sequentiel", "numbers": ["+33612000000"]}},
        {"state": {"lines": {A: {"answers": False}}}},
        ("answered", "+33612000000", 20),
        ["ring", "no_answer", "ring"],
    ),
    (
        "ring on several lines, sequential, nobody answers: no-answer forward",
        {"multi_ring": {"enabled": True, "mode": "sequentiel", "numbers": ["+33612000000"]}},
        {"state": {"lines": {A: {"answers": False}, "+33612000000": {"answers": False}}}},
        ("voicemail", A, 30),
        ["ring", "no_answer", "ring", "no_answer", "forward_no_answer"],
    ),
]


@pytest.mark.parametrize(
    ("services", "call", "expected", "kinds"), [c[1:] for c in LINE_CASES], ids=[c[0] for c in LINE_CASES]
)
def test_user_line_rules(
    services: dict[str, Any], call: dict[str, Any], expected: tuple[str, str | None, int | None], kinds: list[str]
) -> None:
    extra_b = call.pop("extra_b", {})
    doc = document(line(A, **services), line(B, "Marc", "Durand", **extra_b), line(C, "Léa", "Petit"))
    sim = run(doc, A, at=call.get("at", MONDAY_9), caller=call.get("caller", OUTSIDE), state=call.get("state"))
    kind, number, at = expected
    assert (sim.outcome.kind, sim.outcome.number) == (kind, number), sim.as_dict()
    if at is not None:
        assert sim.outcome.at == at
    assert_in_order(sim.kinds(), kinds)
    assert all(step.text for step in sim.steps)


def test_anonymous_rejection_message_is_the_seeds() -> None:
    sim = run(document(line(A, reject_anonymous=True)), A, caller=None)
    assert "Votre correspondant ne souhaite pas recevoir d'appels anonymes" in sim.outcome.text


def test_forwarded_call_shows_the_callers_number_not_the_forwarding_line() -> None:
    sim = run(document(line(A, forwards=forwards(immediate=B)), line(B)), A)
    forward = next(s for s in sim.steps if s.kind == "forward_immediate" and "vers" in s.text)
    assert "voit le numéro de l'appelant" in forward.text


# --- The call-waiting summary table of §6.7 ------------------------------------------------------------------

CALL_WAITING_TABLE = [
    # welcome announcement, call-waiting announcement, expected phrase of the caller's experience, at
    ("off", False, "alerting classique", 5),
    ("off", True, "Annonce de double appel « Double appel prédéfini » jouée en boucle", 5),
    (
        "non_interruptive",
        True,
        "jouée une fois (10 s), puis l'annonce de double appel « Double appel prédéfini » en boucle",
        15,
    ),
    ("non_interruptive", False, "jouée une fois (10 s), puis l'alerting classique", 15),
    ("interruptive", True, "Annonce de double appel « Double appel prédéfini » jouée en boucle", 5),
    (
        "interruptive",
        False,
        "Annonce d'accueil « Accueil par défaut » (interruptive) jouée en boucle, alerting classique",
        5,
    ),
]


@pytest.mark.parametrize(("welcome", "cw_announcement", "phrase", "answered_at"), CALL_WAITING_TABLE)
def test_call_waiting_summary_table(welcome: str, cw_announcement: bool, phrase: str, answered_at: int) -> None:
    services: dict[str, Any] = {"call_waiting": True, "call_waiting_announcement": {"enabled": cw_announcement}}
    if welcome != "off":
        services["welcome_announcement"] = {"enabled": True, "interruptible": welcome == "interruptive"}
    sim = run(document(line(A, **services)), A, state={"lines": {A: {"calls_in_progress": 1}}})
    assert sim.outcome.kind == "answered"
    assert sim.outcome.at == answered_at
    texts = " ".join(s.text for s in sim.steps if s.kind in ("announcement", "ring"))
    assert phrase in texts


def test_call_waiting_disabled_row_plays_the_busy_forward() -> None:
    sim = run(
        document(line(A, call_waiting=False, forwards=forwards(busy=B)), line(B)),
        A,
        state={"lines": {A: {"calls_in_progress": 1}}},
    )
    assert_in_order(sim.kinds(), ["busy", "forward_busy"])
    assert sim.outcome.number == B


# --- Line kinds ------------------------------------------------------------------------------------------------


def test_fixed_number_for_mobile_is_forwarded_to_its_mobile() -> None:
    doc = document(
        {**line(D, "Alain", "Coste", kind="numero_fixe_mobile"), "associated_mobile": MOBILE},
        line(MOBILE, "Alain", "Coste", kind="mobile"),
    )
    sim = run(doc, D)
    assert (sim.outcome.kind, sim.outcome.number) == ("answered", MOBILE)
    assert_in_order(sim.kinds(), ["entity", "forward_immediate", "entity", "ring"])


def test_fixed_number_for_mobile_without_forward_never_rings() -> None:
    doc = document({**line(D, kind="numero_fixe_mobile"), "services": {"forwards": forwards(immediate=None)}})
    assert run(doc, D).outcome.kind == "unreachable"


def test_analogue_line_busy_has_no_busy_forward() -> None:
    doc = document(line(D, "FAX", "MKT", kind="analogique"))
    assert run(doc, D, state={"lines": {D: {"calls_in_progress": 1}}}).outcome.kind == "busy"


def test_unknown_number() -> None:
    sim = run(document(line(A)), "+33187049999")
    assert sim.outcome.kind == "unknown_number"


def test_short_number_reaches_the_line() -> None:
    doc = document({**line(A), "short_number": "1001"})
    assert run(doc, "1001", caller=B).outcome.number == A


def test_pickup_group_and_distinctive_ring_are_explained() -> None:
    doc = document(
        line(A, distinctive_ring=True), line(B), pickup_groups=[{"name": "Compta", "site": "Siège", "members": [A, B]}]
    )
    ring = next(s for s in run(doc, A, caller=B).steps if s.kind == "ring")
    assert "appel interne" in ring.text and "*98" in ring.text and "Compta" in ring.text


# --- Call groups ---------------------------------------------------------------------------------------------


def members_doc(**group_fields: Any) -> dict[str, Any]:
    return document(
        line(A, "Julie", "Bertrand"),
        line(B, "Marc", "Durand"),
        line(C, "Léa", "Petit"),
        line(D, "Paul", "Roux"),
        call_groups=[group(**group_fields)],
    )


def answered_sequence(doc: dict[str, Any], calls: int, *, hang_up: bool = True) -> list[str | None]:
    """Who answers ``calls`` successive calls one minute apart (each answerer hangs up before the next call)."""
    config = config_from_document(doc)
    state = CallState()
    who = []
    for i in range(calls):
        at = MONDAY_9 + timedelta(minutes=i)
        sim = simulate(config, GROUP, at, OUTSIDE, state)
        who.append(sim.outcome.number)
        state = sim.state_after
        if hang_up and sim.outcome.kind == "answered" and sim.outcome.number:
            state = state.hang_up(sim.outcome.number, at + timedelta(seconds=30))
    return who


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("lineaire", [A, A, A, A]),
        ("cyclique", [A, B, C, A]),
        ("poste_libre", [A, B, C, A]),
        ("parallele", [A, A, A, A]),
    ],
)
def test_distribution_modes_over_several_calls(mode: str, expected: list[str]) -> None:
    assert answered_sequence(members_doc(distribution=mode), 4) == expected


def test_busy_members_are_skipped_over_successive_calls_when_nobody_hangs_up() -> None:
    assert answered_sequence(members_doc(distribution="lineaire"), 4, hang_up=False) == [A, B, C, GROUP]


def test_poste_libre_picks_the_line_idle_for_the_longest_time() -> None:
    state = {
        "lines": {
            A: {"last_call_end": "2026-11-23T08:58"},
            B: {"last_call_end": "2026-11-23T08:30"},
            C: {"last_call_end": "2026-11-23T08:45"},
        }
    }
    sim = run(members_doc(distribution="poste_libre", members=(A, B, C)), GROUP, state=state)
    assert sim.outcome.number == B


def test_cyclique_starts_after_the_last_member_who_answered() -> None:
    sim = run(members_doc(distribution="cyclique"), GROUP, state={"call_groups": {GROUP: {"last_answered": C}}})
    assert sim.outcome.number == A


def test_linear_presents_to_the_next_member_when_the_first_does_not_answer() -> None:
    sim = run(members_doc(distribution="lineaire", max_rings=2), GROUP, state={"lines": {A: {"answers": False}}})
    assert (sim.outcome.number, sim.outcome.at) == (B, 15)  # 2 rings on A (10 s) then B answers at the 1st ring


def test_parallel_rings_every_available_member_at_once() -> None:
    state = {
        "lines": {
            A: {"answer_after_rings": 3},
            B: {"answer_after_rings": 2},
            C: {"calls_in_progress": 1},
            D: {"answers": False},
        }
    }
    sim = run(members_doc(distribution="parallele", members=(A, B, C, D)), GROUP, state=state)
    ring = next(s for s in sim.steps if s.kind == "ring")
    assert set(ring.numbers) == {A, B, D}
    assert (sim.outcome.number, sim.outcome.at) == (B, 10)


def test_group_membership_beats_dnd_and_forwards() -> None:
    doc = document(
        line(A, do_not_disturb=True, forwards=forwards(immediate="+33612000000")),
        call_groups=[group(members=(A,))],
    )
    sim = run(doc, GROUP)
    assert (sim.outcome.kind, sim.outcome.number) == ("answered", A)
    assert any("sans effet dans le groupement" in s.text for s in sim.steps)
    assert "forward_immediate" not in sim.kinds()


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ({"lines": {A: {"registered": False}}}, "non allumée"),
        ({"lines": {A: {"connected": False}}}, "déconnectée"),
        ({"lines": {A: {"present": {GROUP: False}}}}, "sorti"),
    ],
)
def test_member_must_meet_the_four_connection_criteria(state: dict[str, Any], reason: str) -> None:
    sim = run(members_doc(distribution="lineaire", members=(A, B)), GROUP, state=state)
    assert sim.outcome.number == B
    assert any(reason in s.text for s in sim.steps if s.kind == "member")


def test_member_configured_as_out_of_the_group() -> None:
    doc = members_doc(distribution="lineaire", members=(A, B))
    doc["call_groups"][0]["members"][0]["present"] = False
    assert run(doc, GROUP).outcome.number == B


def test_no_member_connected_overflows_at_once_without_queue() -> None:
    state = {"lines": {n: {"connected": False} for n in (A, B, C)}}
    sim = run(members_doc(), GROUP, state=state)
    assert (sim.outcome.kind, sim.outcome.at) == ("dissuasion", 0)
    assert any("shuntant la file" in s.text for s in sim.steps)


def test_group_without_members_overflows() -> None:
    sim = run(members_doc(members=()), GROUP)
    assert (sim.outcome.kind, sim.outcome.at) == ("dissuasion", 0)


def test_queue_full_overflows_immediately() -> None:
    sim = run(members_doc(max_waiting_calls=3), GROUP, state={"call_groups": {GROUP: {"calls_waiting": 3}}})
    assert (sim.outcome.kind, sim.outcome.at) == ("dissuasion", 0)
    assert any("File d'attente pleine" in s.text for s in sim.steps)


def test_calls_already_waiting_are_served_first() -> None:
    sim = run(members_doc(distribution="lineaire"), GROUP, state={"call_groups": {GROUP: {"calls_waiting": 1}}})
    assert sim.outcome.number == B
    assert any("arrivé avant celui-ci" in s.text for s in sim.steps)


def test_max_wait_then_overflow_to_a_number() -> None:
    doc = members_doc(max_wait_seconds=30, overflow={"mode": "numero", "number": "+33612000000"})
    state = {"lines": {n: {"answers": False} for n in (A, B, C)}}
    sim = run(doc, GROUP, state=state)
    assert (sim.outcome.kind, sim.outcome.number, sim.outcome.at) == ("external", "+33612000000", 30)
    assert_in_order(sim.kinds(), ["ring", "no_answer", "ring", "queue", "overflow"])


def test_max_wait_default_is_300_seconds_and_the_distribution_is_replayed() -> None:
    state = {"lines": {n: {"answers": False} for n in (A, B, C)}}
    sim = run(members_doc(), GROUP, state=state)
    assert (sim.outcome.kind, sim.outcome.at) == ("dissuasion", 300)
    assert any("rejouée" in s.text for s in sim.steps)


def test_overflow_none_hangs_up() -> None:
    sim = run(members_doc(members=(), overflow={"mode": "aucun"}), GROUP)
    assert sim.outcome.kind == "hangup"


def test_all_members_in_a_call_wait_with_the_hold_announcement_then_overflow() -> None:
    state = {"lines": {n: {"calls_in_progress": 1} for n in (A, B, C)}}
    sim = run(members_doc(), GROUP, state=state)
    assert sim.outcome.at == 300
    assert any("Attente prédéfinie" in s.text for s in sim.steps if s.kind == "queue")


def test_inter_call_delay_makes_a_member_unavailable_then_available() -> None:
    doc = members_doc(distribution="lineaire", members=(A, B), inter_call_delay={"enabled": True, "seconds": 60})
    state = {"lines": {A: {"last_call_end": "2026-11-23T08:59:30"}, B: {"calls_in_progress": 1}}}
    sim = run(doc, GROUP, state=state)
    assert (sim.outcome.number, sim.outcome.at) == (A, 35)  # free at +30 s, answers at the first ring
    assert any("redevient disponible" in s.text for s in sim.steps)


def test_inter_call_delay_elapsed_member_is_available() -> None:
    doc = members_doc(distribution="lineaire", members=(A, B), inter_call_delay={"enabled": True, "seconds": 60})
    sim = run(doc, GROUP, state={"lines": {A: {"last_call_end": "2026-11-23T08:58"}}})
    assert (sim.outcome.number, sim.outcome.at) == (A, 5)


def test_non_interruptible_group_welcome_delays_the_distribution() -> None:
    doc = members_doc(welcome_announcement={"enabled": True, "interruptible": False})
    assert run(doc, GROUP).outcome.at == 15


def test_group_closing_mode_forwards_while_closed() -> None:
    doc = members_doc(closing={"calendar": "Bureaux", "number": "+33612000000"})
    assert run(doc, GROUP, at=MONDAY_20).outcome.kind == "external"
    assert run(doc, GROUP, at=MONDAY_9).outcome.kind == "answered"


# --- IVR -----------------------------------------------------------------------------------------------------


def ivr_doc(**fields: Any) -> dict[str, Any]:
    ivr = {
        "name": "Standard",
        "number": IVR,
        "site": "Siège",
        "calendar": "Bureaux",
        "open_menu": {"announcement": "Menu jour", "keys": [{"key": "1", "number": GROUP, "label": "Accueil"}]},
        "closed_menu": {
            "announcement": "Menu nuit",
            "keys": [
                {"key": "1", "number": "+33612000000", "label": "Astreinte"},
                {"key": "2", "submenu": {"announcement": "Sous-menu", "keys": [{"key": "1", "number": A}]}},
            ],
        },
        **fields,
    }
    return document(
        line(A),
        line(B, "Marc", "Durand"),
        line(C, "Léa", "Petit"),
        call_groups=[group(distribution="cyclique")],
        ivrs=[ivr],
        announcements=[{"name": "Menu jour", "site": "Siège", "format": "mp3", "duration_seconds": 12}],
    )


@pytest.mark.parametrize(
    ("at", "keys", "outcome", "number"),
    [
        (MONDAY_9, "1", "answered", A),
        (MONDAY_1230, "1", "external", "+33612000000"),  # lunch break: closed menu
        (MONDAY_20, "21", "answered", A),  # closed menu, sub-menu key 1
        (SUNDAY_10, "1", "external", "+33612000000"),
        (MONDAY_9, "", "no_input", IVR),
        (MONDAY_9, "7", "invalid_key", IVR),
    ],
)
def test_ivr_menus_by_calendar(at: datetime, keys: str, outcome: str, number: str) -> None:
    sim = run(ivr_doc(), IVR, at=at, state={"caller": {"keys": keys}})
    assert (sim.outcome.kind, sim.outcome.number) == (outcome, number), sim.as_dict()


def test_ivr_announcement_length_delays_routing() -> None:
    sim = run(ivr_doc(), IVR, at=MONDAY_9, state={"caller": {"keys": "1"}})
    assert sim.outcome.at == 17  # 12 s menu, then A answers at the first ring
    assert_in_order(sim.kinds(), ["entity", "calendar", "ivr_menu", "ivr_key", "entity", "announcement", "ring"])


def test_ivr_single_mode_ignores_calendars() -> None:
    sim = run(ivr_doc(calendar=None, mode="unique"), IVR, at=MONDAY_20, state={"caller": {"keys": "1"}})
    assert sim.outcome.number == A


def test_disabled_ivr() -> None:
    assert run(ivr_doc(enabled=False), IVR).outcome.kind == "failed"


def test_state_document_parsing_defaults() -> None:
    state = state_from_dict({"lines": {"01 87 04 40 01": {"calls_in_progress": 2}}})
    assert state.line(A).calls_in_progress == 2
    assert state.line(B).registered and state.line(B).answers

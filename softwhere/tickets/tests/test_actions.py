"""Ticket actions: qualification, checklist, LED readings, comments, assignment, references."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.tickets import actions
from softwhere.tickets.choices import Level, TicketStatus, TimelineKind, Visibility
from softwhere.tickets.models import AppendOnlyError, LedReading, Ticket, TimelineEntry
from softwhere.tickets.transitions import TicketError, TicketErrorCode

PARIS = ZoneInfo("Europe/Paris")


def new_ticket(world: Any, **kw: Any) -> Ticket:
    return actions.create_ticket(
        actor=world.n1,
        organisation=world.acme,
        site=world.acme_site,
        subject=kw.pop("subject", "ONT sans synchro"),
        service_state=kw.pop("service_state", "interrompu"),
        **kw,
    )


def test_reference_is_year_month_and_monthly_sequence(world: Any) -> None:
    with time_machine.travel(datetime(2025, 5, 30, 9, 52, tzinfo=PARIS), tick=False):
        a, b = new_ticket(world), new_ticket(world)
    with time_machine.travel(datetime(2025, 6, 1, 0, 5, tzinfo=PARIS), tick=False):
        c = new_ticket(world)
    assert (a.reference, b.reference, c.reference) == ("2505000001", "2505000002", "2506000001")


def test_a_rolled_back_creation_gives_its_number_back(world: Any) -> None:
    with time_machine.travel(datetime(2025, 5, 30, 9, 52, tzinfo=PARIS), tick=False):
        first = new_ticket(world)
        with pytest.raises(RuntimeError), transaction.atomic():
            assert new_ticket(world).reference == "2505000002"
            raise RuntimeError("la suite échoue")
        assert (first.reference, new_ticket(world).reference) == ("2505000001", "2505000002")


# serialized_rollback like the browser tests: a plain transactional test's teardown re-creates the content
# types under new ids, and a browser test run after it on the same worker then fails to restore the snapshot
# (duplicate (app_label, model)); with it, the teardown leaves empty tables the next snapshot fills.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_creations_get_consecutive_references(world: Any) -> None:
    """Eight creators at once, each in its own connection: no duplicate, no gap."""
    references: list[str] = []
    barrier = threading.Barrier(8)

    def create() -> None:
        try:
            barrier.wait()
            references.append(new_ticket(world).reference)
        finally:
            connections.close_all()

    with time_machine.travel(datetime(2025, 5, 30, 9, 52, tzinfo=PARIS), tick=False):
        threads = [threading.Thread(target=create) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(references) == [f"2505{n:06d}" for n in range(1, 9)]


def test_reference_month_follows_paris_time(world: Any) -> None:
    # 31 May 23:30 UTC is already 1 June in Paris.
    with time_machine.travel(datetime(2025, 5, 31, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        assert new_ticket(world).reference.startswith("2506")


def test_create_refuses_foreign_site_and_contact(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.create_ticket(
            actor=world.n1,
            organisation=world.acme,
            site=world.other_site,
            subject="x",
            service_state="degrade",
            reporter=t.make_contact(world.other),
        )
    assert set(exc.value.message_dict) == {"site", "reporter"}
    assert not Ticket.objects.exists()


def test_create_validates_fields(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.create_ticket(actor=world.n1, organisation=world.acme, subject=" ", service_state="cassé", channel="fax")
    assert set(exc.value.message_dict) == {"subject", "service_state", "channel"}


def test_qualification_instantiates_the_case_checklists(world: Any) -> None:
    case = ResolutionCase.objects.get(pk="incident_materiel_ont")
    ticket = actions.qualify_ticket(new_ticket(world), actor=world.n1, case=case)
    n1 = list(ticket.checklist_items.filter(level=Level.N1).values_list("text", flat=True))
    n2 = list(ticket.checklist_items.filter(level=Level.N2).values_list("text", flat=True))
    assert n1 == case.n1_checks and n2 == case.n2_actions
    assert n1[0] == "Vérifier fibre correctement insérée."
    assert ticket.timeline.filter(kind=TimelineKind.QUALIFICATION, data__case=case.pk).exists()


def test_requalification_keeps_ticked_items_and_replaces_the_rest(world: Any) -> None:
    ticket = actions.qualify_ticket(
        new_ticket(world), actor=world.n1, case=ResolutionCase.objects.get(pk="incident_materiel_ont")
    )
    first = ticket.checklist_items.filter(level=Level.N1).first()
    assert first is not None
    actions.set_checklist_item(first, actor=world.n1, done=True, note="fibre OK")
    wan = ResolutionCase.objects.get(pk="incident_internet_perte_wan")
    ticket = actions.qualify_ticket(ticket, actor=world.n1, case=wan)
    texts = list(ticket.checklist_items.filter(level=Level.N1).values_list("text", flat=True))
    assert texts == [first.text, *wan.n1_checks]
    assert ticket.case_id == wan.pk


def test_client_cannot_qualify(world: Any) -> None:
    with pytest.raises(TicketError) as exc:
        actions.qualify_ticket(
            new_ticket(world), actor=world.client_user, case=ResolutionCase.objects.get(pk="incident_mobile_sim")
        )
    assert exc.value.code == TicketErrorCode.ROLE_NOT_ALLOWED


def test_checklist_tick_and_untick_are_logged(world: Any) -> None:
    ticket = actions.qualify_ticket(
        new_ticket(world), actor=world.n1, case=ResolutionCase.objects.get(pk="incident_fixe_poste_isole")
    )
    item = ticket.checklist_items.filter(level=Level.N1).first()
    assert item is not None
    item = actions.set_checklist_item(item, actor=world.n1, done=True, note="Port 12 du switch changé")
    assert item.done and item.done_by == world.n1 and item.done_at is not None
    item = actions.set_checklist_item(item, actor=world.n1, done=False)
    assert not item.done and item.done_by is None
    bodies = list(ticket.timeline.filter(kind=TimelineKind.CHECKLIST).values_list("body", flat=True))
    assert bodies == [
        f"☑ N1 : {item.text}\nNote : Port 12 du switch changé",
        f"☐ N1 : {item.text}",
    ]


def test_n2_actions_are_for_n2(world: Any) -> None:
    ticket = actions.qualify_ticket(
        new_ticket(world), actor=world.n1, case=ResolutionCase.objects.get(pk="incident_fixe_poste_isole")
    )
    n2_item = ticket.checklist_items.filter(level=Level.N2).first()
    assert n2_item is not None
    with pytest.raises(TicketError):
        actions.set_checklist_item(n2_item, actor=world.n1, done=True)
    assert actions.set_checklist_item(n2_item, actor=world.n2, done=True).done


def test_led_reading_writes_the_memo_label(world: Any) -> None:
    ticket = new_ticket(world)
    states = {"power": "vert_fixe", "pon": "rouge_fixe", "los": "rouge_clignotant", "lan": "eteint"}
    reading = actions.record_led_reading(
        ticket, actor=world.n1, device="ont", phase="before", states=states, equipment=world.acme_ont
    )
    assert reading.label == "Contrôle ONT : Power vert fixe, PON rouge fixe, LOS rouge clignotant, LAN éteint, avant redémarrage."
    after = actions.record_led_reading(
        ticket,
        actor=world.n1,
        device="router",
        phase="after",
        states={"power": "vert_fixe", "wan": "vert_fixe", "internet": "vert_fixe", "lan": "clignotant"},
    )
    assert after.label == "Contrôle routeur : Power vert fixe, WAN vert fixe, Internet vert fixe, LAN clignotant, après redémarrage."
    labels = list(ticket.timeline.filter(kind=TimelineKind.LED_READING).values_list("body", flat=True))
    assert labels == [reading.label, after.label]


@pytest.mark.parametrize(
    ("device", "phase", "states", "error_keys"),
    [
        ("ont", "before", {"power": "vert_fixe", "pon": "violet", "los": "eteint", "lan": "eteint"}, {"states"}),
        ("ont", "before", {"power": "vert_fixe", "pon": "vert_fixe", "los": "eteint"}, {"states"}),
        ("ont", "pendant", {"power": "vert_fixe", "pon": "vert_fixe", "los": "eteint", "lan": "eteint"}, {"phase"}),
        ("modem", "before", {}, {"device"}),
    ],
)
def test_led_reading_refuses_bad_input(world: Any, device: str, phase: str, states: dict[str, str], error_keys: set[str]) -> None:
    ticket = new_ticket(world)
    with pytest.raises(ValidationError) as exc:
        actions.record_led_reading(ticket, actor=world.n1, device=device, phase=phase, states=states)
    assert set(exc.value.message_dict) == error_keys
    assert not LedReading.objects.exists()


def test_comment_visibility(world: Any) -> None:
    ticket = new_ticket(world)
    internal = actions.add_comment(ticket, actor=world.n1, body="Client difficile à joindre")
    public = actions.add_comment(ticket, actor=world.n1, body="Intervention prévue demain", visibility=Visibility.PUBLIC)
    from_client = actions.add_comment(ticket, actor=world.client_user, body="Merci", visibility=Visibility.INTERNAL)
    assert (internal.visibility, public.visibility, from_client.visibility) == ("internal", "public", "public")
    with pytest.raises(ValidationError):
        actions.add_comment(ticket, actor=world.n1, body="  ")


def test_assignment_rules(world: Any) -> None:
    ticket = new_ticket(world)
    ticket = actions.assign_ticket(ticket, actor=world.supervisor, assignee=world.n1)
    assert ticket.assignee == world.n1
    with pytest.raises(ValidationError):
        actions.assign_ticket(ticket, actor=world.supervisor, assignee=world.client_user)
    Ticket.objects.filter(pk=ticket.pk).update(level=Level.N2, status=TicketStatus.ESCALATED)
    with pytest.raises(ValidationError):
        actions.assign_ticket(ticket, actor=world.supervisor, assignee=world.n1)
    assert actions.assign_ticket(ticket, actor=world.supervisor, assignee=world.n2).assignee == world.n2
    assert ticket.timeline.filter(kind=TimelineKind.ASSIGNMENT).count() == 2


def test_update_logs_old_and_new_values(world: Any) -> None:
    ticket = new_ticket(world)
    ticket = actions.update_ticket(ticket, actor=world.n1, service_state="secours_actif", carrier_ticket_reference="SFR-77")
    entry = ticket.timeline.get(kind=TimelineKind.FIELD_CHANGE)
    assert entry.data["changes"]["service_state"] == ["interrompu", "secours_actif"]
    with pytest.raises(ValidationError):
        actions.update_ticket(ticket, actor=world.n1, status="closed")
    with pytest.raises(ValidationError):
        actions.update_ticket(ticket, actor=world.n1, site=world.other_site)


def test_timeline_is_append_only(world: Any) -> None:
    entry = new_ticket(world).timeline.get()
    entry.body = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert TimelineEntry.objects.get(pk=entry.pk).body.startswith("Ticket créé")


def test_events_fire_after_commit_only(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from softwhere.tickets.signals import ticket_event

    seen: list[str] = []

    def receiver(sender: Any, **kw: Any) -> None:
        seen.append(kw["event"])

    ticket_event.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            new_ticket(world)
        assert seen == [] and len(callbacks) == 1
        callbacks[0]()
        assert seen == ["created"]
    finally:
        ticket_event.disconnect(receiver)

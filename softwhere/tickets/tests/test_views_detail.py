"""The agent's ticket page as the integration point of the domain apps: SLA, triage, diagnostics, interop.

Each panel is asserted on its rendered content; the page stays staff-only, and a
failing panel degrades to « indisponible » instead of breaking the page.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from softwhere.catalogue.models import ResolutionCase
from softwhere.core.templatetags.desk import timeline_icon
from softwhere.interop import actions as interop_actions
from softwhere.interop.choices import MessageKind, Protocol, Role, SignalisationStatus
from softwhere.interop.models import InteropMessage, InteropPeer, ServedAccess, Signalisation
from softwhere.tickets import actions
from softwhere.tickets.choices import ServiceState, TicketStatus, TimelineKind
from softwhere.tickets.models import Ticket
from softwhere.tickets.signals import ticket_event
from softwhere.triage.choices import AgentChoiceKind
from softwhere.triage.models import TriageCorrection, TriagePrediction

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
WAN = "incident_internet_perte_wan"
ONT = "incident_materiel_ont"


def paris(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def new_ticket(world: SimpleNamespace, **kw: Any) -> Ticket:
    defaults: dict[str, Any] = {
        "actor": world.n1,
        "organisation": world.acme,
        "site": world.acme_site,
        "subject": "Plus d'internet au siège",
        "service_state": ServiceState.INTERRUPTED,
        "services": [world.acme_access],
        "reporter": world.acme_contact,
    }
    defaults.update(kw)
    return actions.create_ticket(**defaults)


def page(user: object, ticket: Ticket) -> str:
    response = client_for(user).get(reverse("tickets:detail", args=[ticket.reference]))
    assert response.status_code == 200
    return response.content.decode()


def panel(user: object, ticket: Ticket, name: str) -> str:
    """A panel the ticket page fetches once shown (``tickets:panel``)."""
    response = client_for(user).get(reverse("tickets:panel", args=[ticket.reference, name]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def predict(ticket: Ticket, *, case: str | None, confidence: float, **kw: Any) -> TriagePrediction:
    """A stored proposal as ``triage.actions.prequalify_ticket`` leaves it (the classifier itself is tested in triage)."""
    top = kw.pop("top", [(WAN, confidence), (ONT, 0.2), ("incident_internet_debit_latence", 0.1)])
    return TriagePrediction.objects.create(
        ticket=ticket,
        text=f"{ticket.subject}\n\n{ticket.description}",
        model_version="test-v1",
        case_id=case,
        confidence=confidence,
        threshold=0.5,
        top=[{"case": c, "score": s} for c, s in top],
        state=ServiceState.INTERRUPTED,
        domain="internet",
        entities=kw.pop("entities", {}),
    )


# --- SLA ----------------------------------------------------------------------------------------------------


def test_sla_panel_shows_each_clock_with_due_date_consumption_state_and_penalty(world: SimpleNamespace) -> None:
    with time_machine.travel(paris("2026-11-27 17:00"), tick=False):  # seed 001: Friday 17:00
        ticket = new_ticket(world)
        body = panel(world.n1, ticket, "sla")
    assert 'data-testid="sla-clock-gtr"' in body
    assert 'data-testid="sla-clock-first_response"' in body and 'data-testid="sla-clock-resolution"' in body
    assert "30/11/2026 11:00" in body  # GTR due Monday 11:00
    assert "En cours" in body
    # Monday 14:00: Friday 17-18 + Monday 08-14 = 7 h of GTR time, second tier: 40 % of the 250 € monthly fee.
    with time_machine.travel(paris("2026-11-30 14:00"), tick=False):
        body = panel(world.n1, ticket, "sla")
    assert "Dépassé" in body
    assert "7 h / 4 h" in body
    penalty = body.split('data-testid="sla-penalty"', 1)[1].split("</dd>", 1)[0]
    assert "40 %" in penalty and "100,00 €" in penalty
    assert "Total des pénalités GTR : 100,00 €" in body


def test_sla_panel_lists_carrier_deadline(world: SimpleNamespace) -> None:
    from softwhere.sla.models import CarrierEscalation

    ticket = new_ticket(world)
    CarrierEscalation.objects.create(
        ticket=ticket,
        carrier="Orange",
        carrier_ticket_reference="FT123456",
        response_hours=48,
        started_at=paris("2026-11-23 09:00"),
        due_at=paris("2026-11-25 09:00"),
    )
    body = panel(world.n1, ticket, "sla")
    carriers = body.split('data-testid="sla-carriers"', 1)[1].split("</ul>", 1)[0]
    assert "Orange" in carriers and "FT123456" in carriers and "25/11/2026 09:00" in carriers
    assert "délai dépassé" in carriers


def test_a_failing_panel_degrades_instead_of_breaking_the_page(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("calendar store down")

    monkeypatch.setattr("softwhere.tickets.views.live_clocks", broken)
    ticket = new_ticket(world)
    with caplog.at_level(logging.ERROR, logger="softwhere.tickets.views"):
        body = panel(world.n1, ticket, "sla")
        assert 'data-testid="ticket-reference"' in page(world.n1, ticket)  # the page does not depend on it
    assert "Compteurs indisponibles pour le moment." in body
    assert any("sla panel failed" in r.getMessage() for r in caplog.records)


def test_the_page_fetches_the_other_apps_panels_once_shown(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    body = page(world.n1, ticket)
    for name in ("sla", "comms", "interop"):
        url = reverse("tickets:panel", args=[ticket.reference, name])
        assert f'hx-get="{url}" hx-trigger="load"' in body, name
    assert f'hx-get="{reverse("diagnostics:panel", args=[ticket.reference])}" hx-trigger="load"' in body
    assert 'data-testid="sla-clock-gtr"' not in body  # drawn by the fragment, not by the page
    assert 'data-testid="sla-clock-gtr"' in panel(world.n1, ticket, "sla")
    assert 'data-testid="comms-form"' in panel(world.n1, ticket, "comms")
    c = client_for(world.n1)
    assert c.get(reverse("tickets:panel", args=[ticket.reference, "inconnu"])).status_code == 404
    assert c.get(reverse("tickets:panel", args=["2611999999", "sla"])).status_code == 404


# --- Triage -------------------------------------------------------------------------------------------------


def test_triage_panel_shows_top_three_with_confidence_and_extracted_facts(world: SimpleNamespace) -> None:
    ticket = new_ticket(world, description="la box clignote rouge, rappelez le 06 12 34 56 78")
    predict(
        ticket,
        case=WAN,
        confidence=0.83,
        entities={
            "phones": ["+33612345678"],
            "ipv4": ["192.0.2.10"],
            "ticket_refs": [{"reference": "FT0012345678", "issuer": "Orange"}],
            "carriers": ["Orange"],
            "equipment": [{"brand": "Huawei", "model": "HG8245", "kind": "ont"}],
            "leds": [{"led": "pon", "device": "ont", "state": "rouge_fixe", "text": "PON rouge"}],
            "times": [{"text": "depuis ce matin 9h", "at": "2026-11-27T09:00:00+01:00", "precision": "minute"}],
        },
    )
    body = page(world.n1, ticket)
    top = body.split('data-testid="triage-top"', 1)[1].split("</ol>", 1)[0]
    wan = ResolutionCase.objects.get(pk=WAN)
    assert f"{wan.number}. {wan.title}" in top and "83 %" in top and "20 %" in top and "10 %" in top
    assert top.count("<li") == 3
    assert "Accepter" in top and top.count("Retenir") == 2
    assert "83 %</strong> de confiance" in body
    assert 'data-testid="triage-to-qualify"' not in body
    facts = body.split('data-testid="triage-facts"', 1)[1].split("</dl>", 1)[0]
    for text in (
        "06 12 34 56 78",
        "192.0.2.10",
        "FT0012345678 (Orange)",
        "Huawei HG8245",
        "PON rouge",
        "« depuis ce matin 9h » : 27/11/2026 09:00",
    ):
        assert text in facts, text
    # With a proposal, the manual case selector also goes through triage (so a correction is learnt).
    qualify_form = body.split('data-testid="qualify-form"', 1)[0].rsplit("<form", 1)[1]
    assert reverse("tickets:triage_choice", args=[ticket.reference]) in qualify_form


def test_triage_under_threshold_says_to_qualify(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    predict(ticket, case=None, confidence=0.31)
    body = page(world.n1, ticket)
    to_qualify = body.split('data-testid="triage-to-qualify"', 1)[1].split("</p>", 1)[0]
    assert "À qualifier" in to_qualify and "31 %" in to_qualify and "50 %" in to_qualify
    assert "Accepter" not in body.split('data-testid="triage-top"', 1)[1].split("</ol>", 1)[0]


def test_accepting_the_proposal_records_a_confirmation_and_qualifies(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    predict(ticket, case=WAN, confidence=0.83)
    response = client_for(world.n1).post(
        reverse("tickets:triage_choice", args=[ticket.reference]), {"case": WAN}, follow=True
    )
    ticket.refresh_from_db()
    assert ticket.case_id == WAN and ticket.checklist_items.exists()
    choice = TriageCorrection.objects.get(ticket=ticket)
    assert (choice.kind, choice.proposed_case_id, choice.chosen_case_id, choice.agent) == (
        AgentChoiceKind.CONFIRMED,
        WAN,
        WAN,
        world.n1,
    )
    assert any(m.startswith("Choix enregistré, ticket qualifié") for m in messages_of(response))
    assert "Proposition confirmée" in response.content.decode().split('data-testid="triage-choice"', 1)[1]


def test_correcting_the_proposal_records_a_correction(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    predict(ticket, case=WAN, confidence=0.83)
    client_for(world.n2).post(reverse("tickets:triage_choice", args=[ticket.reference]), {"case": ONT})
    ticket.refresh_from_db()
    assert ticket.case_id == ONT
    choice = TriageCorrection.objects.get(ticket=ticket)
    assert (choice.kind, choice.proposed_case_id, choice.chosen_case_id) == (AgentChoiceKind.CORRECTED, WAN, ONT)


def test_triage_choice_is_refused_to_non_agents(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    predict(ticket, case=WAN, confidence=0.83)
    response = client_for(world.adv).post(
        reverse("tickets:triage_choice", args=[ticket.reference]), {"case": WAN}, follow=True
    )
    assert "Seul un agent peut qualifier un ticket." in messages_of(response)
    assert 'data-testid="triage-choose-1"' not in response.content.decode()
    assert (
        client_for(world.client_user)
        .post(reverse("tickets:triage_choice", args=[ticket.reference]), {"case": WAN})
        .status_code
        == 403
    )
    ticket.refresh_from_db()
    assert ticket.case_id is None and not TriageCorrection.objects.exists()


def test_analyse_button_runs_triage_on_a_ticket_without_proposal(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = new_ticket(world, subject="poste accueil ne sonne plus")
    body = page(world.n1, ticket)
    assert 'data-testid="triage-run"' in body
    seen: list[str] = []

    def classify(text: str, *, now: Any = None, threshold: Any = None) -> dict[str, Any]:
        seen.append(text)
        return {
            "case": None,
            "confidence": 0.2,
            "threshold": 0.5,
            "model_version": "stub",
            "top": [{"case": WAN, "score": 0.2}],
            "state": "degrade",
            "domain": None,
            "entities": {},
        }

    monkeypatch.setattr("softwhere.triage.engine.classify", classify)
    response = client_for(world.n1).post(reverse("tickets:triage_run", args=[ticket.reference]), follow=True)
    assert seen == ["poste accueil ne sonne plus"]
    assert "Triage : confiance insuffisante, ticket à qualifier." in messages_of(response)
    assert 'data-testid="triage-to-qualify"' in response.content.decode()
    assert TriagePrediction.objects.filter(ticket=ticket, model_version="stub").exists()


# --- Diagnostics ----------------------------------------------------------------------------------------------


def test_diagnostics_panel_is_fetched_by_the_ticket_page(world: SimpleNamespace) -> None:
    """The page holds a placeholder that loads the panel (its queries are not paid before the page shows)."""
    ticket = new_ticket(world)
    body = page(world.n1, ticket)
    assert "{#" not in body and "{% comment" not in body  # template comments never reach the page
    placeholder = body.split('data-testid="diagnostics-panel"', 1)[1].split("</div>", 1)[0]
    panel_url = reverse("diagnostics:panel", args=[ticket.reference])
    assert f'hx-get="{panel_url}"' in placeholder and 'hx-trigger="load"' in placeholder
    panel = client_for(world.n1).get(panel_url).content.decode()
    assert 'data-testid="diagnostics-panel"' in panel and "Diagnostics équipements" in panel
    assert "data-lazy" not in panel  # the real panel replaces the placeholder, it does not load itself again


@pytest.mark.parametrize("kind", list(TimelineKind.values))
def test_every_timeline_kind_has_its_own_icon(kind: str) -> None:
    assert timeline_icon(kind) != "dot"


def test_diagnostic_entries_get_the_activity_icon() -> None:
    assert timeline_icon(TimelineKind.DIAGNOSTIC) == "activity"


# --- Interop --------------------------------------------------------------------------------------------------


@pytest.fixture
def oi(world: SimpleNamespace) -> InteropPeer:
    """A v1.0a OI (mail + CSV) serving the ACME fibre access: depositing only journals and queues the mail."""
    peer = InteropPeer(
        name="Fibre Infra",
        code="OIFI",
        peer_role=Role.OI,
        protocol=Protocol.V1,
        local_code="SWDK",
        mail_address="sav-ftth@fibre-infra.example",
        local_mail_address="sav-ftth@softwhere.example",
    )
    peer.full_clean()
    peer.save()
    ServedAccess.objects.create(peer=peer, access=world.acme_access, reference_prise="FI-1234-5678")
    return peer


def test_agent_escalates_to_the_oi_from_the_ticket_and_sees_the_journal(
    world: SimpleNamespace, oi: InteropPeer
) -> None:
    ticket = actions.transition_ticket(new_ticket(world), "take", actor=world.n1)
    body = panel(world.n1, ticket, "interop")
    form = body.split('data-testid="interop-panel"', 1)[1]
    assert "desservi par Fibre Infra" in form and 'data-testid="oi-escalate-form"' in form
    assert 'data-testid="interop-journal"' not in body  # nothing exchanged yet
    response = client_for(world.n1).post(
        reverse("tickets:escalate_oi", args=[ticket.reference]),
        {"nature": "COUPURE", "preloc": "PTO", "comment": "ONT LOS rouge"},
        follow=True,
    )
    assert "Signalisation déposée auprès de l'OI." in messages_of(response)
    sig = Signalisation.objects.get(ticket=ticket)
    assert (sig.peer, sig.status, sig.nature) == (oi, SignalisationStatus.SUBMITTED, "COUPURE")
    body = panel(world.n1, ticket, "interop")
    # The journal comes from interop's own ticket tag: the signalisation and the queued deposit mail.
    exchange = body.split('id="interop-journal"', 1)[1]
    assert sig.oc_reference in exchange and "Fibre Infra" in exchange
    deposit = InteropMessage.objects.get(signalisation=sig, kind=MessageKind.DEPOSIT)
    journal = exchange.split('data-testid="interop-journal"', 1)[1].split("</table>", 1)[0]
    assert "Dépôt de signalisation" in journal and deposit.filename in journal
    assert 'data-testid="oi-escalate-form"' not in body  # one open signalisation at a time


def test_oi_escalation_refusal_is_a_french_message(world: SimpleNamespace, oi: InteropPeer) -> None:
    ticket = new_ticket(world)
    ServedAccess.objects.all().delete()
    response = client_for(world.n1).post(
        reverse("tickets:escalate_oi", args=[ticket.reference]), {"preloc": "PTO"}, follow=True
    )
    assert any("aucun accès fibre du ticket n'est desservi par un OI configuré" in m for m in messages_of(response))
    assert not Signalisation.objects.exists()


def test_no_interop_panel_without_an_oi_or_exchanges(world: SimpleNamespace) -> None:
    assert panel(world.n1, new_ticket(world), "interop").strip() == ""  # the slot goes away


def test_non_agents_cannot_escalate_to_the_oi(world: SimpleNamespace, oi: InteropPeer) -> None:
    ticket = new_ticket(world)
    assert 'data-testid="interop-panel"' in panel(world.n1, ticket, "interop")
    assert 'data-testid="interop-panel"' not in panel(world.adv, ticket, "interop")
    response = client_for(world.adv).post(
        reverse("tickets:escalate_oi", args=[ticket.reference]), {"preloc": "PTO"}, follow=True
    )
    assert "Seul un agent peut signaler un défaut à l'OI." in messages_of(response)
    assert not Signalisation.objects.exists()


# --- Role scoping -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["client_user", "partner_user"])
def test_portal_users_never_reach_the_desk_page_or_its_actions(world: SimpleNamespace, role: str) -> None:
    ticket = new_ticket(world, organisation=world.partner_client, site=world.partner_site, services=[], reporter=None)
    c = client_for(getattr(world, role))
    assert c.get(reverse("tickets:detail", args=[ticket.reference])).status_code == 403
    for name in ("tickets:triage_choice", "tickets:triage_run", "tickets:escalate_oi"):
        assert c.post(reverse(name, args=[ticket.reference]), {"case": WAN}).status_code == 403, name
    for name in ("sla", "comms", "interop"):
        assert c.get(reverse("tickets:panel", args=[ticket.reference, name])).status_code == 403, name


def test_portal_page_shows_no_internal_panel_or_data(world: SimpleNamespace) -> None:
    ticket = new_ticket(world, description="Box HS")
    actions.update_ticket(
        ticket, actor=world.n1, alerts="Client sensible : VIP", complementary_data="Code portail 4321"
    )
    actions.add_comment(ticket, actor=world.n1, body="Note interne : escalade probable")
    actions.add_comment(ticket, actor=world.n1, body="Nous analysons votre demande.", visibility="public")
    actions.assign_ticket(ticket, actor=world.n1, assignee=world.n2)
    predict(ticket, case=WAN, confidence=0.83, entities={"phones": ["+33612345678"]})
    response = client_for(world.client_user).get(reverse("portal:detail", args=[ticket.reference]))
    # Random CSRF tokens (64 letters and digits) could contain a short secret such as the username « n2 ».
    body = re.sub(r"[A-Za-z0-9]{64}", "<token>", response.content.decode())
    assert "Nous analysons votre demande." in body
    for secret in (
        "Client sensible : VIP",
        "Code portail 4321",
        "Note interne",
        'data-testid="sla-panel"',
        'data-testid="triage-panel"',
        'data-testid="diagnostics-panel"',
        'data-testid="interop-panel"',
        'id="interop-journal"',
        "06 12 34 56 78",
        str(world.n2),
        world.n2.username,
    ):
        assert secret not in body, secret


# --- Assignment --------------------------------------------------------------------------------------------------


def test_assign_select_lists_active_agents_with_their_role_and_selects_the_assignee(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    actions.assign_ticket(ticket, actor=world.n1, assignee=world.n2)
    world.adv.first_name, world.adv.last_name = "Adèle", "Ventes"
    world.adv.save()  # ADV is desk staff but does not work tickets
    world.supervisor.is_active = False
    world.supervisor.save()
    body = page(world.n1, ticket)
    select = body.split('name="assignee"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    labels = {value: label for value, _selected, label in options}
    assert labels[""] == "— personne —"
    assert labels[str(world.n2.pk)] == f"{world.n2} (Agent N2)"
    assert labels[str(world.n1.pk)] == f"{world.n1} (Agent N1)"
    assert str(world.adv.pk) not in labels and str(world.supervisor.pk) not in labels
    assert str(world.client_user.pk) not in labels
    assert [value for value, selected, _label in options if selected] == [str(world.n2.pk)]

    c = client_for(world.n1)
    url = reverse("tickets:assign", args=[ticket.reference])
    c.post(url, {"assignee": world.client_user.pk})
    ticket.refresh_from_db()
    assert ticket.assignee == world.n2  # a client is not an agent: refused, nothing changed
    c.post(url, {"assignee": world.n1.pk})
    ticket.refresh_from_db()
    assert ticket.assignee == world.n1


def test_header_names_the_creator_the_assignee_and_the_reporter(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    actions.assign_ticket(ticket, actor=world.n1, assignee=world.n2)
    header = page(world.n1, ticket).split('id="entete"', 1)[1].split("</dl>", 1)[0]
    assert f"· {world.n1}</span>" in header  # created by
    assert f"<dt>Affecté à</dt><dd>{world.n2}</dd>" in header
    assert str(world.acme_contact) in header
    Ticket.objects.filter(pk=ticket.pk).update(created_by=None, assignee=None)
    header = page(world.n1, ticket).split('id="entete"', 1)[1].split("</dl>", 1)[0]
    assert "· système externe</span>" in header and "<dt>Affecté à</dt><dd>—</dd>" in header


# --- Query count --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ceiling"), [("page", 17), ("sla", 10), ("comms", 10), ("interop", 9), ("diagnostics", 10)]
)
def test_ticket_page_and_panels_query_counts_are_bounded(
    world: SimpleNamespace, oi: InteropPeer, name: str, ceiling: int
) -> None:
    """The page and each of its panels load in a fixed number of queries: more comments, LED readings, mails
    or inter-operator messages do not add any."""
    ticket = actions.transition_ticket(
        new_ticket(world, case=ResolutionCase.objects.get(pk=ONT)), "take", actor=world.n1
    )
    predict(ticket, case=ONT, confidence=0.9)
    c = client_for(world.n1)
    if name == "page":
        url = reverse("tickets:detail", args=[ticket.reference])
    elif name == "diagnostics":
        url = reverse("diagnostics:panel", args=[ticket.reference])
    else:
        url = reverse("tickets:panel", args=[ticket.reference, name])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    actions.add_comment(ticket, actor=world.n1, body="note 0")
    before = queries()
    for i in range(1, 8):
        actions.add_comment(ticket, actor=world.n2 if i % 2 else world.n1, body=f"note {i}")
    actions.record_led_reading(
        ticket,
        actor=world.n1,
        device="ont",
        phase="before",
        states={"power": "vert_fixe", "pon": "rouge_fixe", "los": "eteint", "lan": "vert_fixe"},
    )
    interop_actions.escalate_to_oi(ticket, actor=world.n1, nature="COUPURE", preloc="PTO", comment="LOS rouge")
    after = queries()
    assert after <= before + 1, (before, after)  # the page's LED table appears once (its readings in one query)
    assert after <= ceiling, after


# --- Ticket events --------------------------------------------------------------------------------------------------


def test_a_failing_receiver_is_logged_and_does_not_block_the_others(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []

    def broken_receiver(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("mail relay down")

    def recording_receiver(sender: Any, **kwargs: Any) -> None:
        seen.append(kwargs["event"])

    ticket_event.connect(broken_receiver, dispatch_uid="test-broken")
    ticket_event.connect(recording_receiver, dispatch_uid="test-recording")
    try:
        with caplog.at_level(logging.ERROR, logger="softwhere.tickets.events"):
            with django_capture_on_commit_callbacks(execute=True):
                ticket = new_ticket(world)
            with django_capture_on_commit_callbacks(execute=True):
                actions.transition_ticket(ticket, "take", actor=world.n1)
    finally:
        ticket_event.disconnect(dispatch_uid="test-broken")
        ticket_event.disconnect(dispatch_uid="test-recording")
    assert seen == ["created", "transition.take"]
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    failures = [r for r in caplog.records if r.name == "softwhere.tickets.events"]
    assert len(failures) == 2 and all(r.exc_info and r.exc_info[0] is RuntimeError for r in failures)
    assert "broken_receiver" in failures[0].getMessage() and "after created" in failures[0].getMessage()

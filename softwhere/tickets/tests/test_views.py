"""Agent desk pages: grid, new ticket, ticket page and every action through the UI."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.inventory.models import MobileLine, NumberRange, VoiceService
from softwhere.tickets import actions
from softwhere.tickets.choices import Level, Priority, ServiceState, TicketStatus, TimelineKind, Visibility
from softwhere.tickets.models import Ticket, TimelineEntry

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def new_ticket(world: SimpleNamespace, **kw: object) -> Ticket:
    defaults: dict[str, object] = {
        "actor": world.n1,
        "organisation": world.acme,
        "site": world.acme_site,
        "subject": "Plus d'internet au siège",
        "service_state": ServiceState.INTERRUPTED,
        "services": [world.acme_access],
    }
    defaults.update(kw)
    return actions.create_ticket(**defaults)  # type: ignore[arg-type]


def qualified(world: SimpleNamespace, case_id: str = "incident_materiel_ont", **kw: object) -> Ticket:
    return new_ticket(world, case=ResolutionCase.objects.get(pk=case_id), **kw)


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


# --- Access -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tickets:list", "tickets:create"])
def test_desk_pages_require_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["client_user", "partner_user"])
def test_desk_pages_are_forbidden_to_client_and_partner_users(world: SimpleNamespace, role: str) -> None:
    ticket = new_ticket(world)
    c = client_for(getattr(world, role))
    for url in (
        reverse("tickets:list"),
        reverse("tickets:create"),
        reverse("tickets:detail", args=[ticket.reference]),
    ):
        response = c.get(url)
        assert response.status_code == 403, url
        assert "Page réservée aux équipes du support." in response.content.decode()
    response = c.post(reverse("tickets:transition", args=[ticket.reference, "take"]))
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW


@pytest.mark.parametrize("role", ["n1", "n2", "supervisor", "adv", "admin"])
def test_staff_roles_see_grid_and_ticket(world: SimpleNamespace, role: str) -> None:
    ticket = new_ticket(world)
    c = client_for(getattr(world, role))
    grid = c.get(reverse("tickets:list"))
    assert grid.status_code == 200
    assert ticket.reference in grid.content.decode()
    page = c.get(reverse("tickets:detail", args=[ticket.reference]))
    assert page.status_code == 200
    assert "ACME Industries" in page.content.decode()


def test_unknown_ticket_is_404(world: SimpleNamespace) -> None:
    assert client_for(world.n1).get(reverse("tickets:detail", args=["0000000000"])).status_code == 404


def test_adv_sees_ticket_read_only(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    body = client_for(world.adv).get(reverse("tickets:detail", args=[ticket.reference])).content.decode()
    assert "votre rôle ne permet pas de traiter les tickets" in body
    assert 'data-testid="action-take"' not in body


# --- Grid ---------------------------------------------------------------------------------------------------


def test_grid_shows_seed_columns(world: SimpleNamespace) -> None:
    ticket = qualified(world, priority=Priority.P1)
    actions.assign_ticket(ticket, actor=world.n1, assignee=world.n1)
    body = client_for(world.n1).get(reverse("tickets:list")).content.decode()
    for header in ("Référence", "Raison sociale", "Site", "Cas", "État du service", "État", "Niveau", "Âge",
                   "Affecté à", "Priorité"):
        assert f">{header}<" in body, header
    assert "Siège ACME" in body
    assert "Défaut ONT ou alimentation fibre" in body
    assert "Interrompu" in body
    assert "Nouveau" in body
    assert "P1" in body
    assert str(world.n1) in body


def test_grid_default_shows_open_tickets_only(world: SimpleNamespace) -> None:
    open_ticket = new_ticket(world, subject="ouvert")
    cancelled = new_ticket(world, subject="annulé")
    actions.transition_ticket(cancelled, "cancel", actor=world.n1, reason="doublon")
    c = client_for(world.n1)
    body = c.get(reverse("tickets:list")).content.decode()
    assert open_ticket.reference in body
    assert cancelled.reference not in body
    body = c.get(reverse("tickets:list"), {"etat": "tous"}).content.decode()
    assert cancelled.reference in body
    body = c.get(reverse("tickets:list"), {"etat": "cancelled"}).content.decode()
    assert cancelled.reference in body and open_ticket.reference not in body


def test_grid_filters(world: SimpleNamespace) -> None:
    other_site = t.make_site(world.acme, "Agence Lyon")
    a = qualified(world, service_state=ServiceState.DEGRADED)
    b = new_ticket(world, site=other_site, services=[], organisation=world.acme)
    c_ticket = new_ticket(world, organisation=world.other, site=world.other_site, services=[])
    actions.assign_ticket(a, actor=world.n1, assignee=world.n1)
    actions.transition_ticket(a, "escalate", actor=world.n1, reason="ONT muet")
    c = client_for(world.n1)

    def refs(**params: str) -> set[str]:
        page = c.get(reverse("tickets:list"), params).context["page"]
        return {x.reference for x in page}

    assert refs(niveau="n2") == {a.reference}
    assert refs(niveau="n1") == {b.reference, c_ticket.reference}
    assert refs(service="degrade") == {a.reference}
    assert refs(organisation=str(world.other.pk)) == {c_ticket.reference}
    assert refs(affecte="moi") == {a.reference}
    assert refs(affecte="aucun") == {b.reference, c_ticket.reference}
    assert refs(affecte=str(world.n1.pk)) == {a.reference}
    assert refs(famille="incident") == {a.reference}
    assert refs(famille="aucun") == {b.reference, c_ticket.reference}
    assert refs(etat="escalated") == {a.reference}
    assert refs(cas="incident_materiel_ont") == {a.reference}


def test_grid_sorting(world: SimpleNamespace) -> None:
    p3 = new_ticket(world, priority=Priority.P3, subject="normal")
    p1 = new_ticket(world, priority=Priority.P1, subject="critique")
    c = client_for(world.n1)
    order = [x.reference for x in c.get(reverse("tickets:list")).context["page"]]
    assert order == [p1.reference, p3.reference]  # default: priority first
    order = [x.reference for x in c.get(reverse("tickets:list"), {"tri": "-priorite"}).context["page"]]
    assert order == [p3.reference, p1.reference]
    order = [x.reference for x in c.get(reverse("tickets:list"), {"tri": "age"}).context["page"]]
    assert order == [p1.reference, p3.reference]  # youngest first
    order = [x.reference for x in c.get(reverse("tickets:list"), {"tri": "-age"}).context["page"]]
    assert order == [p3.reference, p1.reference]
    for key in ("reference", "societe", "site", "cas", "service", "etat", "niveau", "affecte", "bogus"):
        assert c.get(reverse("tickets:list"), {"tri": key}).status_code == 200
        assert c.get(reverse("tickets:list"), {"tri": f"-{key}"}).status_code == 200


def test_grid_search_by_company_carrier_reference_and_phone_numbers(world: SimpleNamespace) -> None:
    acme_ticket = new_ticket(world)
    other_ticket = new_ticket(world, organisation=world.other, site=world.other_site, services=[],
                              carrier_ticket_reference="OI-778899")
    voice = VoiceService(site=world.other_site, voice_kind="sip_trunk", simultaneous_calls=4, label="Trunk")
    voice.full_clean()
    voice.save()
    rng = NumberRange(voice_service=voice, kind="sda", first_number="+33142685300", last_number="+33142685399")
    rng.full_clean()
    rng.save()
    mobile_site = t.make_site(world.other, "Flotte")
    line = MobileLine(site=mobile_site, msisdn="06 12 34 56 78", sim_kind="esim")
    line.full_clean()
    line.save()
    mobile_ticket = new_ticket(world, organisation=world.other, site=mobile_site, services=[line])
    c = client_for(world.n1)

    def refs(q: str) -> set[str]:
        return {x.reference for x in c.get(reverse("tickets:list"), {"q": q, "etat": "tous"}).context["page"]}

    assert refs("acme") == {acme_ticket.reference}
    assert refs("OI-7788") == {other_ticket.reference}
    # The access's carrier reference (prestation) finds the ticket linked to it.
    assert refs(world.acme_access.carrier_reference) == {acme_ticket.reference}
    # A contact's number (the world's contact has 01 42 68 53 00) finds its company's tickets.
    assert acme_ticket.reference in refs("01 42 68 53 00")
    # An SDA inside a number range finds the tickets of the range's site.
    assert refs("+33 1 42 68 53 42") == {other_ticket.reference}
    # A mobile line's MSISDN, written nationally.
    assert refs("0612345678") == {mobile_ticket.reference}


def test_search_by_exact_reference_opens_the_ticket(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    response = client_for(world.n1).get(reverse("tickets:list"), {"q": ticket.reference})
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.reference])


def test_grid_htmx_returns_the_grid_fragment(world: SimpleNamespace) -> None:
    new_ticket(world)
    response = client_for(world.n1).get(reverse("tickets:list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="ticket-grid"' in body
    assert "<html" not in body


def test_grid_query_count_does_not_grow_with_rows(world: SimpleNamespace, django_assert_max_num_queries: object) -> None:
    for _ in range(3):
        qualified(world)
    c = client_for(world.n1)
    c.get(reverse("tickets:list"))  # warm the session
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        c.get(reverse("tickets:list"))
    for _ in range(10):
        qualified(world)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = c.get(reverse("tickets:list"))
    assert len(response.context["page"]) == 13


def test_grid_paginates(world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    from softwhere.tickets import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(5):
        new_ticket(world)
    c = client_for(world.n1)
    page = c.get(reverse("tickets:list")).context["page"]
    assert len(page) == 2 and page.paginator.num_pages == 3
    page = c.get(reverse("tickets:list"), {"page": 3}).context["page"]
    assert len(page) == 1


@pytest.mark.parametrize("params", [{}, {"tri": "-priorite"}, {"etat": "tous", "tri": "age"}, {"q": "synchro"}])
def test_deeper_pages_continue_the_first_in_the_same_order(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any, params: dict[str, str]
) -> None:
    """Pages after the first read ids first, then their rows: together they are the whole list, in order."""
    from softwhere.tickets import views

    for i in range(7):
        new_ticket(world, priority=1 + i % 4, subject=f"ONT sans synchro n°{i}", description="synchro " * i)
    c = client_for(world.n1)
    whole = [t.reference for t in c.get(reverse("tickets:list"), params).context["page"]]
    assert len(whole) == 7
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    paged = []
    for number in (1, 2, 3):
        with django_assert_max_num_queries(10):  # HTMX fragment: session, user, search lookups, count, ids, rows
            page = c.get(reverse("tickets:list"), {**params, "page": number}, HTTP_HX_REQUEST="true").context["page"]
        paged += [t.reference for t in page]
        assert all(t.organisation.name == "ACME Industries" for t in page)
    assert paged == whole


# --- New ticket ---------------------------------------------------------------------------------------------


def test_create_form_narrows_sites_services_and_equipment(world: SimpleNamespace) -> None:
    c = client_for(world.n1)
    body = c.get(reverse("tickets:create")).content.decode()
    assert "ACME Industries" in body and "Autre Société" in body
    assert "Siège ACME" not in body  # no organisation chosen yet
    body = c.get(reverse("tickets:create"), {"organisation": world.acme.pk}).content.decode()
    assert "Siège ACME" in body and "Entrepôt" not in body
    body = c.get(reverse("tickets:create"), {"organisation": world.acme.pk, "site": world.acme_site.pk}).content.decode()
    assert world.acme_access.carrier_reference in body
    assert world.acme_ont.serial_number in body


def test_create_ticket_through_the_form(world: SimpleNamespace) -> None:
    c = client_for(world.n1)
    response = c.post(
        reverse("tickets:create"),
        {
            "organisation": world.acme.pk,
            "site": world.acme_site.pk,
            "services": [world.acme_access.pk],
            "equipment": [world.acme_ont.pk],
            "reporter": world.acme_contact.pk,
            "subject": "Fibre coupée",
            "description": "Voyant LOS rouge",
            "service_state": ServiceState.INTERRUPTED,
            "priority": "2",
            "channel": "phone",
            "case": "incident_materiel_ont",
        },
    )
    ticket = Ticket.objects.get(subject="Fibre coupée")
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.reference])
    assert ticket.created_by == world.n1
    assert ticket.priority == 2
    assert ticket.reporter == world.acme_contact
    assert list(ticket.services.all()) == [world.acme_access.service_ptr]
    assert list(ticket.equipment.all()) == [world.acme_ont]
    assert ticket.case_id == "incident_materiel_ont"
    assert ticket.checklist_items.filter(level=Level.N1).count() == 4


def test_create_ticket_refuses_a_site_of_another_company(world: SimpleNamespace) -> None:
    c = client_for(world.n1)
    response = c.post(
        reverse("tickets:create"),
        {"organisation": world.acme.pk, "site": world.other_site.pk, "subject": "x",
         "service_state": ServiceState.DEGRADED, "priority": "3", "channel": "phone"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["site"]
    assert not Ticket.objects.exists()


def test_create_ticket_requires_subject_and_state(world: SimpleNamespace) -> None:
    response = client_for(world.n1).post(
        reverse("tickets:create"), {"organisation": world.acme.pk, "priority": "3", "channel": "phone"}
    )
    assert set(response.context["form"].errors) == {"subject", "service_state"}
    assert not Ticket.objects.exists()


# --- Ticket page ----------------------------------------------------------------------------------------------


def test_ticket_page_header_fields(world: SimpleNamespace) -> None:
    ticket = qualified(world, alerts="Offre Service Client : Service Client Réseau",
                       complementary_data="[BES2] INTER BOA 16/06 17h30", carrier_ticket_reference="BOA-42")
    body = client_for(world.n1).get(reverse("tickets:detail", args=[ticket.reference])).content.decode()
    for text in ("ACME Industries", "Interrompu", "Offre Service Client : Service Client Réseau",
                 "[BES2] INTER BOA 16/06 17h30", "Siège ACME", "BOA-42", "GTR 4 h heures ouvrées",
                 world.acme_access.carrier_reference, str(world.n1), "Défaut ONT ou alimentation fibre",
                 "Contrôle ONT : Power __, PON __, LOS __, LAN __, avant/après redémarrage."):
        assert text in body, text


def test_ticket_page_offers_the_available_transitions_only(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    body = client_for(world.n1).get(reverse("tickets:detail", args=[ticket.reference])).content.decode()
    for name in ("take", "escalate", "cancel"):
        assert f'data-testid="action-{name}"' in body
    for name in ("close", "reopen", "resume", "return_to_n1"):
        assert f'data-testid="action-{name}"' not in body


def test_ticket_page_query_count_is_bounded(world: SimpleNamespace, django_assert_max_num_queries: object) -> None:
    ticket = qualified(world)
    for i in range(5):
        actions.add_comment(ticket, actor=world.n1, body=f"note {i}")
    c = client_for(world.n1)
    # Same bound as test_views_detail.py, which also checks that the panels do not grow with the history.
    with django_assert_max_num_queries(50):  # type: ignore[operator]
        c.get(reverse("tickets:detail", args=[ticket.reference]))


def test_transition_through_the_ui_changes_state_and_writes_timeline(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    c = client_for(world.n1)
    response = c.post(reverse("tickets:transition", args=[ticket.reference, "take"]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.assignee == world.n1
    entry = ticket.timeline.filter(kind=TimelineKind.STATUS).get()
    assert entry.author == world.n1
    assert "Prendre en charge" in entry.body


def test_refused_transition_shows_french_error_and_changes_nothing(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    actions.transition_ticket(ticket, "take", actor=world.n1)
    before = ticket.timeline.count()
    c = client_for(world.n1)
    # Resolve needs a resolution text.
    response = c.post(reverse("tickets:transition", args=[ticket.reference, "resolve"]), {"resolve-resolution": ""},
                      follow=True)
    assert "Décrivez la résolution apportée." in messages_of(response)
    # Close is impossible while the ticket is being worked.
    response = c.post(reverse("tickets:transition", args=[ticket.reference, "close"]), follow=True)
    message = "« Clôturer » est impossible depuis l'état « En cours (N1) »."
    assert message in messages_of(response)
    assert "Clôturer » est impossible" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.resolution == ""
    assert ticket.timeline.count() == before


def test_escalate_requires_reason_when_n1_checklist_incomplete(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    c = client_for(world.n1)
    response = c.post(reverse("tickets:transition", args=[ticket.reference, "escalate"]), follow=True)
    assert any("Checklist N1 incomplète" in m for m in messages_of(response))
    ticket.refresh_from_db()
    assert ticket.level == Level.N1
    c.post(reverse("tickets:transition", args=[ticket.reference, "escalate"]), {"escalate-reason": "ONT HS"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.level) == (TicketStatus.ESCALATED, Level.N2)
    assert "ONT HS" in ticket.timeline.filter(kind=TimelineKind.STATUS).last().body


def test_n1_cannot_resolve_an_escalated_ticket_but_n2_can(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    actions.transition_ticket(ticket, "escalate", actor=world.n1, reason="ONT HS")
    n1 = client_for(world.n1)
    body = n1.get(reverse("tickets:detail", args=[ticket.reference])).content.decode()
    assert 'data-testid="action-resolve"' not in body
    response = n1.post(reverse("tickets:transition", args=[ticket.reference, "resolve"]),
                       {"resolve-resolution": "ONT remplacé"}, follow=True)
    assert "Ticket escaladé : action réservée au niveau 2." in messages_of(response)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ESCALATED
    n2 = client_for(world.n2)
    n2.post(reverse("tickets:transition", args=[ticket.reference, "resolve"]), {"resolve-resolution": "ONT remplacé"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert ticket.resolution == "ONT remplacé"


def test_wait_carrier_observe_and_reopen(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    c = client_for(world.n1)
    c.post(reverse("tickets:transition", args=[ticket.reference, "take"]))
    c.post(reverse("tickets:transition", args=[ticket.reference, "wait_carrier"]),
           {"wait_carrier-carrier": "Orange", "wait_carrier-carrier_ticket_reference": "OC-123"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.carrier_ticket_reference, ticket.carrier) == (
        TicketStatus.WAITING_CARRIER, "OC-123", "Orange")
    c.post(reverse("tickets:transition", args=[ticket.reference, "resume"]))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    c.post(reverse("tickets:transition", args=[ticket.reference, "observe"]),
           {"observe-observation_until": "2099-01-02T10:00"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OBSERVATION
    assert ticket.observation_until is not None and ticket.observation_until.year == 2099
    response = c.post(reverse("tickets:transition", args=[ticket.reference, "reopen"]), follow=True)
    assert "Un motif est obligatoire." in messages_of(response)
    c.post(reverse("tickets:transition", args=[ticket.reference, "reopen"]), {"reopen-reason": "coupure à nouveau"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS


def test_unknown_transition_is_404(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    assert client_for(world.n1).post(reverse("tickets:transition", args=[ticket.reference, "teleport"])).status_code == 404


def test_transition_requires_post(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    assert client_for(world.n1).get(reverse("tickets:transition", args=[ticket.reference, "take"])).status_code == 405


def test_qualify_assign_comment_and_edit(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    c = client_for(world.n1)
    c.post(reverse("tickets:qualify", args=[ticket.reference]), {"case": "incident_internet_perte_wan"})
    c.post(reverse("tickets:assign", args=[ticket.reference]), {"assignee": world.n2.pk})
    c.post(reverse("tickets:comment", args=[ticket.reference]), {"body": "Client rappelé", "visibility": "public"})
    c.post(reverse("tickets:comment", args=[ticket.reference]), {"body": "Note interne", "visibility": "internal"})
    c.post(reverse("tickets:edit", args=[ticket.reference]),
           {"subject": ticket.subject, "service_state": "degrade", "priority": "2", "alerts": "GTR en cours",
            "complementary_data": "", "carrier": "", "carrier_ticket_reference": ""})
    ticket.refresh_from_db()
    assert ticket.case_id == "incident_internet_perte_wan"
    assert ticket.assignee == world.n2
    assert (ticket.service_state, ticket.priority, ticket.alerts) == ("degrade", 2, "GTR en cours")
    kinds = list(ticket.timeline.values_list("kind", "visibility"))
    assert (TimelineKind.QUALIFICATION, Visibility.INTERNAL) in kinds
    assert (TimelineKind.ASSIGNMENT, Visibility.INTERNAL) in kinds
    assert (TimelineKind.COMMENT, Visibility.PUBLIC) in kinds
    assert (TimelineKind.COMMENT, Visibility.INTERNAL) in kinds
    assert (TimelineKind.FIELD_CHANGE, Visibility.INTERNAL) in kinds
    body = c.get(reverse("tickets:detail", args=[ticket.reference])).content.decode()
    assert "Client rappelé" in body and "Note interne" in body
    assert ">Public<" in body and ">Interne<" in body


def test_assigning_a_client_user_is_refused(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    response = client_for(world.n1).post(
        reverse("tickets:assign", args=[ticket.reference]), {"assignee": world.client_user.pk}, follow=True
    )
    assert any("Sélectionnez un choix valide" in m for m in messages_of(response))
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_empty_comment_is_refused(world: SimpleNamespace) -> None:
    ticket = new_ticket(world)
    before = ticket.timeline.count()
    response = client_for(world.n1).post(reverse("tickets:comment", args=[ticket.reference]),
                                         {"body": "", "visibility": "internal"}, follow=True)
    assert any("Commentaire" in m for m in messages_of(response))
    assert ticket.timeline.count() == before


# --- Checklist ------------------------------------------------------------------------------------------------


def test_tick_n1_checklist_item_with_note(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    item = ticket.checklist_items.filter(level=Level.N1).order_by("position").first()
    c = client_for(world.n1)
    response = c.post(reverse("tickets:checklist_item", args=[ticket.reference, item.pk]),
                      {"done": "on", "note": "fibre bien clipsée"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "timelineChanged"
    body = response.content.decode()
    assert f'id="item-{item.pk}"' in body and "checked" in body and "fibre bien clipsée" in body
    item.refresh_from_db()
    assert item.done and item.done_by == world.n1 and item.note == "fibre bien clipsée"
    assert ticket.timeline.filter(kind=TimelineKind.CHECKLIST).count() == 1
    # Timeline fragment re-fetched by HTMX shows the tick.
    fragment = c.get(reverse("tickets:timeline", args=[ticket.reference])).content.decode()
    assert "Note : fibre bien clipsée" in fragment


def test_n1_cannot_tick_n2_action(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    item = ticket.checklist_items.filter(level=Level.N2).first()
    response = client_for(world.n1).post(reverse("tickets:checklist_item", args=[ticket.reference, item.pk]),
                                         {"done": "on"}, HTTP_HX_REQUEST="true")
    assert "Les actions N2 sont réservées au niveau 2." in response.content.decode()
    assert "HX-Trigger" not in response
    item.refresh_from_db()
    assert not item.done
    page = client_for(world.n1).get(reverse("tickets:detail", args=[ticket.reference])).content.decode()
    assert "lecture seule (réservé N2)" in page
    client_for(world.n2).post(reverse("tickets:checklist_item", args=[ticket.reference, item.pk]), {"done": "on"})
    item.refresh_from_db()
    assert item.done


def test_checklist_item_of_another_ticket_is_404(world: SimpleNamespace) -> None:
    a, b = qualified(world), qualified(world)
    item = b.checklist_items.first()
    response = client_for(world.n1).post(reverse("tickets:checklist_item", args=[a.reference, item.pk]), {"done": "on"})
    assert response.status_code == 404


# --- LED readings -----------------------------------------------------------------------------------------------


def test_led_form_shows_memo_states_and_meanings(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    body = client_for(world.n1).get(reverse("tickets:detail", args=[ticket.reference])).content.decode()
    assert "vert fixe — synchro OK" in body
    assert "rouge clignotant — rupture signal" in body
    assert "clignotant rapide — auth en cours" in body  # router Internet LED


def test_record_led_reading_puts_report_label_in_timeline(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    c = client_for(world.n1)
    response = c.post(
        reverse("tickets:led_reading", args=[ticket.reference, "ont"]),
        {"ont-phase": "before", "ont-equipment": world.acme_ont.pk, "ont-led_power": "vert_fixe",
         "ont-led_pon": "rouge_fixe", "ont-led_los": "rouge_clignotant", "ont-led_lan": "eteint"},
        follow=True,
    )
    label = "Contrôle ONT : Power vert fixe, PON rouge fixe, LOS rouge clignotant, LAN éteint, avant redémarrage."
    assert f"Relevé enregistré : {label}" in messages_of(response)
    entry = ticket.timeline.get(kind=TimelineKind.LED_READING)
    assert entry.body == label
    reading = ticket.led_readings.get()
    assert reading.equipment == world.acme_ont
    assert label in response.content.decode()


def test_led_reading_with_missing_led_is_refused(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    response = client_for(world.n1).post(
        reverse("tickets:led_reading", args=[ticket.reference, "router"]),
        {"router-phase": "after", "router-led_power": "vert_fixe"},
        follow=True,
    )
    assert any(m.startswith("WAN : ") for m in messages_of(response))
    assert not ticket.led_readings.exists()


def test_led_reading_with_state_not_in_memo_is_refused(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    client_for(world.n1).post(
        reverse("tickets:led_reading", args=[ticket.reference, "ont"]),
        {"ont-phase": "before", "ont-led_power": "rouge_fixe", "ont-led_pon": "vert_fixe",
         "ont-led_los": "eteint", "ont-led_lan": "vert_fixe"},
    )
    assert not ticket.led_readings.exists()


def test_led_reading_on_unknown_device_is_404(world: SimpleNamespace) -> None:
    ticket = qualified(world)
    assert client_for(world.n1).post(reverse("tickets:led_reading", args=[ticket.reference, "toaster"])).status_code == 404


def test_timeline_cannot_be_altered_from_the_ui(world: SimpleNamespace) -> None:
    """The page only appends: there is no route that edits or deletes a timeline entry."""
    ticket = new_ticket(world)
    first = TimelineEntry.objects.filter(ticket=ticket).first()
    c = client_for(world.n1)
    c.post(reverse("tickets:comment", args=[ticket.reference]), {"body": "x", "visibility": "internal"})
    assert TimelineEntry.objects.filter(ticket=ticket).first() == first
    assert TimelineEntry.objects.get(pk=first.pk).body == first.body


def test_invalid_filter_is_ignored_and_the_valid_ones_still_apply(world: SimpleNamespace) -> None:
    degraded = new_ticket(world, service_state=ServiceState.DEGRADED)
    new_ticket(world, service_state=ServiceState.INTERRUPTED)
    page = client_for(world.n1).get(reverse("tickets:list"), {"affecte": "999999", "service": "degrade"}).context["page"]
    assert [x.reference for x in page] == [degraded.reference]

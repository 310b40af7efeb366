"""Tickets through the API: creation by each kind of user, reading, filters, header edits and work on a ticket."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.core.tests.api_client import api_client
from softwhere.tickets import actions
from softwhere.tickets.models import ChecklistItem, LedReading, Ticket, TimelineEntry

CASE = "incident_internet_perte_wan"
ONT_OK = {"power": "vert_fixe", "pon": "vert_fixe", "los": "eteint", "lan": "clignotant"}


def _ticket(world: Any, organisation: Any = None, **kw: Any) -> Ticket:
    kw.setdefault("subject", "Plus d'internet")
    kw.setdefault("service_state", "interrompu")
    return actions.create_ticket(actor=world.n1, organisation=organisation or world.acme, **kw)


def _qualified(world: Any, **kw: Any) -> Ticket:
    return actions.qualify_ticket(_ticket(world, **kw), actor=world.n1, case=ResolutionCase.objects.get(pk=CASE))


# --- creation ----------------------------------------------------------------------------------------


def test_agent_creates_a_full_ticket(world):
    body = {
        "organisation": world.acme.pk, "site": world.acme_site.pk, "services": [world.acme_access.pk],
        "equipment": [world.acme_ont.pk], "reporter": world.acme_contact.pk, "case": CASE,
        "subject": "Perte WAN siège", "description": "Voyant PON rouge", "service_state": "interrompu",
        "priority": 1, "channel": "mail", "complementary_data": "Ping KO", "alerts": "GTR 4 h",
        "carrier_ticket_reference": "OR-1",
    }
    response = api_client(world.n1).post("/api/v1/tickets/", body)
    assert response.status_code == 201, response.json()
    got = response.json()
    ticket = Ticket.objects.get(reference=got["reference"])
    assert (ticket.organisation, ticket.site, ticket.case_id, ticket.priority, ticket.channel) == (
        world.acme, world.acme_site, CASE, 1, "mail"
    )
    assert [s["id"] for s in got["services"]] == [world.acme_access.pk]
    assert [e["id"] for e in got["equipment"]] == [world.acme_ont.pk]
    assert got["reporter"]["id"] == world.acme_contact.pk and got["created_by"]["id"] == world.n1.pk
    assert got["case"]["id"] == CASE and got["status"] == "new"
    assert ticket.checklist_items.count() > 0
    assert {tr["name"] for tr in got["available_transitions"]} == {"take", "escalate", "cancel"}


@pytest.mark.parametrize("role", ["n1", "client_user"])
def test_creation_answers_what_reading_the_ticket_answers(world, role):
    """The creation response is built from the objects just written, not read back: it must not differ."""
    body = {
        "organisation": world.acme.pk, "site": world.acme_site.pk, "services": [world.acme_access.pk],
        "equipment": [world.acme_ont.pk], "reporter": world.acme_contact.pk, "subject": "Perte WAN siège",
        "service_state": "interrompu", "priority": 2, "alerts": "GTR 4 h",
    }
    if role == "n1":
        body["case"] = CASE
    client = api_client(getattr(world, role))
    created = client.post("/api/v1/tickets/", body)
    assert created.status_code == 201, created.json()
    read = client.get(f"/api/v1/tickets/{created.json()['reference']}/")
    assert read.status_code == 200 and created.json() == read.json()


def test_creation_reads_nothing_back(world, django_assert_max_num_queries):
    """Each id sent is read once to check it, then the ticket and its links are written; the answer costs no query."""
    body = {
        "organisation": world.acme.pk, "site": world.acme_site.pk, "services": [world.acme_access.pk],
        "equipment": [world.acme_ont.pk], "reporter": world.acme_contact.pk, "case": CASE,
        "subject": "Perte WAN siège", "service_state": "interrompu",
    }
    client = api_client(world.n1)
    with django_assert_max_num_queries(23) as captured:  # 19 once the month's reference counter exists
        response = client.post("/api/v1/tickets/", body)
    assert response.status_code == 201, response.json()
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    read_back = re.compile(r'FROM "tickets_(ticket|ticket_services|ticket_equipment|checklistitem)"[ )]')
    assert not [sql for sql in reads if read_back.search(sql)]
    assert len(reads) == 6 + 1  # organisation, site, service, equipment, contact, case; the counter's creation
    assert response.json()["n1_checklist_complete"] is False


def test_each_request_scopes_relation_ids_though_their_querysets_are_shared(world):
    """Field copies share the declared queryset (no deep copy of its Query); the scope is applied per request."""
    from softwhere.tickets.api.serializers import TicketCreateSerializer

    first, second = TicketCreateSerializer(), TicketCreateSerializer()
    assert first.fields["organisation"].queryset is second.fields["organisation"].queryset
    assert first.fields["services"].child_relation.queryset is second.fields["services"].child_relation.queryset
    assert first.fields["organisation"] is not second.fields["organisation"]
    body = {"organisation": world.other.pk, "site": world.other_site.pk, "subject": "x", "service_state": "degrade"}
    refused = api_client(world.client_user).post("/api/v1/tickets/", body)  # another company's site
    assert refused.status_code == 400 and "site" in refused.json()
    accepted = api_client(world.n1).post("/api/v1/tickets/", body)
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["site"]["id"] == world.other_site.pk


def test_agent_may_open_for_any_company(world):
    response = api_client(world.adv).post("/api/v1/tickets/", {"organisation": world.other.pk, "subject": "Panne",
                                                                "service_state": "degrade"})
    assert response.status_code == 201
    assert response.json()["organisation"]["id"] == world.other.pk
    assert response.json()["channel"] == "phone"


@pytest.mark.parametrize("sent", [None, "OWN", "OTHER"])
def test_client_ticket_is_always_for_their_company(world, sent):
    body: dict[str, Any] = {"subject": "Téléphones muets", "service_state": "interrompu", "channel": "supervision"}
    if sent:
        body["organisation"] = world.acme.pk if sent == "OWN" else world.other.pk
    response = api_client(world.client_user).post("/api/v1/tickets/", body)
    if sent == "OTHER":
        # Another company's id is "unknown" to a client: 400, and no ticket for anyone.
        assert response.status_code == 400 and "organisation" in response.json()
        assert not Ticket.objects.exists()
        return
    assert response.status_code == 201, response.json()
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert (ticket.organisation, ticket.channel, ticket.created_by) == (world.acme, "web", world.client_user)


@pytest.mark.parametrize("role", ["client_user", "adv"])
def test_only_agents_qualify_at_creation(world, role):
    body = {"organisation": world.acme.pk, "subject": "x", "service_state": "degrade", "case": CASE}
    response = api_client(getattr(world, role)).post("/api/v1/tickets/", body)
    assert response.status_code == 400 and "case" in response.json()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("organisation", "created"),
    [("partner_client", True), ("partner", False), ("other", False), (None, False)],
)
def test_partner_opens_tickets_for_its_clients_only(world, organisation, created):
    body: dict[str, Any] = {"subject": "Coupure boutique", "service_state": "interrompu"}
    if organisation:
        body["organisation"] = getattr(world, organisation).pk
    response = api_client(world.partner_user).post("/api/v1/tickets/", body)
    if created:
        assert response.status_code == 201
        assert Ticket.objects.get().organisation == world.partner_client
    else:
        assert response.status_code == 400 and "organisation" in response.json()
        assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": None}, "subject"),
        ({"service_state": "cassé"}, "service_state"),
        ({"service_state": None}, "service_state"),
        ({"priority": 9}, "priority"),
        ({"channel": "pigeon"}, "channel"),
        ({"case": "cas_inconnu"}, "case"),
        ({"site": "OTHER_SITE"}, "site"),  # visible to staff, but not the ticket's company
        ({"services": ["OTHER_ACCESS"]}, "services"),
        ({"equipment": [999999]}, "equipment"),
        ({"reporter": "OTHER_CONTACT"}, "reporter"),
    ],
)
def test_create_ticket_bad_input(world, body, field):
    other_access = t.make_access(world.other_site)
    other_contact = t.make_contact(world.other)
    values = {"OTHER_SITE": world.other_site.pk, "OTHER_ACCESS": other_access.pk, "OTHER_CONTACT": other_contact.pk}
    body = {k: ([values.get(x, x) for x in v] if isinstance(v, list) else values.get(v, v) if isinstance(v, str)
                else v) for k, v in body.items()}
    full = {"organisation": world.acme.pk, "subject": "Panne", "service_state": "interrompu", **body}
    full = {k: v for k, v in full.items() if v is not None}
    response = api_client(world.n1).post("/api/v1/tickets/", full)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Ticket.objects.exists()


# --- reading and listing -----------------------------------------------------------------------------


def test_partner_reads_its_clients_tickets(world):
    own = _ticket(world, world.partner_client)
    foreign = _ticket(world, world.other)
    client = api_client(world.partner_user)
    assert client.get(f"/api/v1/tickets/{own.reference}/").json()["organisation"]["id"] == world.partner_client.pk
    assert client.get(f"/api/v1/tickets/{foreign.reference}/").status_code == 404
    assert [x["reference"] for x in client.get("/api/v1/tickets/").json()["results"]] == [own.reference]


@pytest.fixture
def grid(world):
    """Five tickets with distinct values for every filter."""
    n1, n2 = world.n1, world.n2
    a = _ticket(world, site=world.acme_site, services=[world.acme_access], priority=1, channel="mail",
                subject="Perte WAN")
    b = _ticket(world, world.other, site=world.other_site, subject="Téléphone muet", service_state="degrade")
    c = _qualified(world, organisation=world.partner_client, subject="Lenteurs")
    d = _ticket(world, subject="Facture", service_state="sans_perturbation", priority=4,
                carrier_ticket_reference="OI-778899")
    e = _ticket(world, world.other, subject="Ancien")
    Ticket.objects.filter(pk=e.pk).update(created_at=timezone.now() - timedelta(days=30))
    actions.transition_ticket(a, "take", actor=n1)
    actions.transition_ticket(c, "escalate", actor=n2, reason="N2")
    actions.assign_ticket(c, actor=n2, assignee=n2)
    actions.transition_ticket(d, "cancel", actor=n1, reason="Doublon")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


FILTERS = [
    ({"status": "new"}, {"b", "e"}),
    ({"status": ["in_progress", "escalated"]}, {"a", "c"}),
    ({"is_open": "false"}, {"d"}),
    ({"level": "n2"}, {"c"}),
    ({"organisation": "OTHER"}, {"b", "e"}),
    ({"site": "ACME_SITE"}, {"a"}),
    ({"assignee": "N2"}, {"c"}),
    ({"unassigned": "true"}, {"b", "d", "e"}),
    ({"case": CASE}, {"c"}),
    ({"service_state": "degrade"}, {"b"}),
    ({"service_state": ["degrade", "sans_perturbation"]}, {"b", "d"}),
    ({"priority": "1"}, {"a"}),
    ({"priority": ["1", "4"]}, {"a", "d"}),
    ({"channel": "mail"}, {"a"}),
    ({"created_before": "DAYS_AGO_7"}, {"e"}),
    ({"created_after": "DAYS_AGO_7"}, {"a", "b", "c", "d"}),
    ({"q": "muet"}, {"b"}),
    ({"q": "boulangerie"}, {"c"}),
    ({"q": "778899"}, {"d"}),
    ({"q": "ACME_ACCESS_REF"}, {"a"}),
    ({"q": "REF_OF_A"}, {"a"}),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=[str(f[0]) for f in FILTERS])
def test_ticket_filters(world, grid, params, expected):
    values = {
        "OTHER": world.other.pk, "ACME_SITE": world.acme_site.pk, "N2": world.n2.pk,
        "DAYS_AGO_7": (timezone.now() - timedelta(days=7)).isoformat(),
        "ACME_ACCESS_REF": world.acme_access.carrier_reference, "REF_OF_A": grid["a"].reference,
    }
    params = {k: values.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    response = api_client(world.n1).get("/api/v1/tickets/", params)
    assert response.status_code == 200
    refs = {x["reference"] for x in response.json()["results"]}
    assert refs == {grid[k].reference for k in expected}


@pytest.mark.parametrize(("params", "field"), [({"status": "lost"}, "status"), ({"priority": "9"}, "priority"),
                                               ({"created_after": "hier"}, "created_after")])
def test_bad_ticket_filter_is_400(world, params, field):
    response = api_client(world.n1).get("/api/v1/tickets/", params)
    assert response.status_code == 400 and field in response.json()


def test_ticket_ordering(world, grid):
    client = api_client(world.n1)
    by_priority = [x["reference"] for x in client.get("/api/v1/tickets/", {"ordering": "priority"}).json()["results"]]
    assert by_priority[0] == grid["a"].reference and by_priority[-1] == grid["d"].reference
    default = [x["reference"] for x in client.get("/api/v1/tickets/").json()["results"]]
    assert default[-1] == grid["e"].reference  # newest first
    oldest_first = client.get("/api/v1/tickets/", {"ordering": "created_at"}).json()["results"]
    assert oldest_first[0]["reference"] == grid["e"].reference


def test_client_filter_on_another_company_returns_nothing(world, grid):
    response = api_client(world.client_user).get("/api/v1/tickets/", {"organisation": world.other.pk})
    assert response.status_code == 200 and response.json()["results"] == []


def test_pagination(world, grid):
    client = api_client(world.n1)
    body = client.get("/api/v1/tickets/", {"page_size": 2}).json()
    assert "count" not in body and len(body["results"]) == 2 and body["next"] and body["previous"] is None
    # Keyset pagination: following "next" walks every ticket once, newest first, without offsets.
    seen = [x["reference"] for x in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [x["reference"] for x in body["results"]]
    assert len(seen) == len(set(seen)) == 5
    assert seen == list(Ticket.objects.order_by("-created_at", "-id").values_list("reference", flat=True))
    assert client.get("/api/v1/tickets/", {"cursor": "not-a-cursor"}).status_code == 404


# --- header edits ------------------------------------------------------------------------------------


def test_agent_updates_header_fields(world):
    ticket = _ticket(world)
    annex = t.make_site(world.acme, "Annexe")
    response = api_client(world.n1).patch(f"/api/v1/tickets/{ticket.reference}/", {
        "priority": 2, "site": annex.pk, "reporter": world.acme_contact.pk, "alerts": "VIP"})
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["priority"], got["site"]["id"], got["reporter"]["id"], got["alerts"]) == (
        2, annex.pk, world.acme_contact.pk, "VIP"
    )
    entry = TimelineEntry.objects.get(ticket=ticket, kind="field_change")
    assert set(entry.data["changes"]) == {"priority", "site", "reporter", "alerts"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"priority": 0}, "priority"),
        ({"service_state": "ok"}, "service_state"),
        ({"subject": ""}, "subject"),
        ({"site": "OTHER_SITE"}, "site"),
        ({"reporter": 999999}, "reporter"),
    ],
)
def test_update_ticket_bad_input(world, body, field):
    ticket = _ticket(world)
    body = {k: (world.other_site.pk if v == "OTHER_SITE" else v) for k, v in body.items()}
    before = Ticket.objects.filter(pk=ticket.pk).values().get()
    response = api_client(world.n1).patch(f"/api/v1/tickets/{ticket.reference}/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert Ticket.objects.filter(pk=ticket.pk).values().get() == before


def test_adv_is_staff_but_not_an_agent(world):
    ticket = _ticket(world)
    client = api_client(world.adv)
    assert client.get(f"/api/v1/tickets/{ticket.reference}/").status_code == 200
    assert client.patch(f"/api/v1/tickets/{ticket.reference}/", {"priority": 1}).status_code == 403


# --- qualification and assignment --------------------------------------------------------------------


def test_qualify_instantiates_the_checklist(world):
    ticket = _ticket(world)
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/qualify/", {"case": CASE})
    assert response.status_code == 200
    assert response.json()["case"]["id"] == CASE
    case = ResolutionCase.objects.get(pk=CASE)
    assert ticket.checklist_items.filter(level="n1").count() == len(case.n1_checks)


@pytest.mark.parametrize(("body", "status"), [({"case": "cas_inconnu"}, 400), ({}, 400)])
def test_qualify_bad_input(world, body, status):
    ticket = _ticket(world)
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/qualify/", body)
    assert response.status_code == status and "case" in response.json()
    assert Ticket.objects.get(pk=ticket.pk).case_id is None


def test_qualify_inactive_case_is_400(world):
    ResolutionCase.objects.filter(pk=CASE).update(is_active=False)
    ticket = _ticket(world)
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/qualify/", {"case": CASE})
    assert response.status_code == 400 and "case" in response.json()


def test_qualify_finished_ticket_is_409(world):
    ticket = actions.transition_ticket(_ticket(world), "cancel", actor=world.n1, reason="Doublon")
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/qualify/", {"case": CASE})
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"
    assert not ticket.checklist_items.exists()


def test_client_cannot_qualify_or_assign(world):
    ticket = _ticket(world)
    client = api_client(world.client_user)
    assert client.post(f"/api/v1/tickets/{ticket.reference}/qualify/", {"case": CASE}).status_code == 403
    assert client.post(f"/api/v1/tickets/{ticket.reference}/assign/", {"assignee": world.n1.pk}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.case_id is None and ticket.assignee_id is None


def test_assign_and_unassign(world):
    ticket = _ticket(world)
    client = api_client(world.supervisor)
    url = f"/api/v1/tickets/{ticket.reference}/assign/"
    assert client.post(url, {"assignee": world.n1.pk}).json()["assignee"]["id"] == world.n1.pk
    assert client.post(url, {"assignee": None}).json()["assignee"] is None
    assert TimelineEntry.objects.filter(ticket=ticket, kind="assignment").count() == 2


@pytest.mark.parametrize("assignee", ["client_user", "UNKNOWN", "MISSING"])
def test_assign_bad_input(world, assignee):
    ticket = _ticket(world)
    body = {} if assignee == "MISSING" else {"assignee": 999999 if assignee == "UNKNOWN" else world.client_user.pk}
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/assign/", body)
    assert response.status_code == 400 and "assignee" in response.json()
    assert Ticket.objects.get(pk=ticket.pk).assignee_id is None


def test_escalated_ticket_goes_to_an_n2(world):
    ticket = actions.transition_ticket(_qualified(world), "escalate", actor=world.n1, reason="N2")
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/assign/", {"assignee": world.n1.pk})
    assert response.status_code == 400 and "assignee" in response.json()


# --- comments and timeline ---------------------------------------------------------------------------


def test_comments_visibility(world):
    ticket = _ticket(world)
    staff = api_client(world.n1)
    internal = staff.post(f"/api/v1/tickets/{ticket.reference}/comments/", {"body": "Voir ticket OI"})
    public = staff.post(f"/api/v1/tickets/{ticket.reference}/comments/", {"body": "Nous testons la ligne",
                                                                          "visibility": "public"})
    assert (internal.status_code, internal.json()["visibility"]) == (201, "internal")
    assert public.json()["visibility"] == "public"
    client = api_client(world.client_user)
    reply = client.post(f"/api/v1/tickets/{ticket.reference}/comments/", {"body": "Merci", "visibility": "internal"})
    assert (reply.status_code, reply.json()["visibility"]) == (201, "public")
    assert [c["body"] for c in client.get(f"/api/v1/tickets/{ticket.reference}/comments/").json()] == [
        "Nous testons la ligne", "Merci"
    ]
    assert len(staff.get(f"/api/v1/tickets/{ticket.reference}/comments/").json()) == 3


@pytest.mark.parametrize(("body", "field"), [({"body": "  "}, "body"), ({}, "body"),
                                             ({"body": "x", "visibility": "secret"}, "visibility")])
def test_comment_bad_input(world, body, field):
    ticket = _ticket(world)
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/comments/", body)
    assert response.status_code == 400 and field in response.json()
    assert not TimelineEntry.objects.filter(ticket=ticket, kind="comment").exists()


def test_client_cannot_comment_a_closed_ticket(world):
    ticket = actions.transition_ticket(_ticket(world), "cancel", actor=world.n1, reason="Doublon")
    response = api_client(world.client_user).post(f"/api/v1/tickets/{ticket.reference}/comments/", {"body": "?"})
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"
    assert not TimelineEntry.objects.filter(ticket=ticket, kind="comment").exists()


def test_timeline_hides_internal_entries_from_clients(world):
    ticket = _qualified(world)
    actions.add_comment(ticket, actor=world.n1, body="interne")
    staff_kinds = [e["kind"] for e in api_client(world.n1).get(f"/api/v1/tickets/{ticket.reference}/timeline/").json()]
    assert staff_kinds == ["created", "qualification", "comment"]
    client_entries = api_client(world.client_user).get(f"/api/v1/tickets/{ticket.reference}/timeline/").json()
    assert [e["kind"] for e in client_entries] == ["created"]
    assert client_entries[0]["author"] is None  # an agent: not named to clients, as on the portal


def test_foreign_ticket_subresources_are_404(world):
    ticket = _qualified(world, organisation=world.other)
    item = ticket.checklist_items.first()
    client = api_client(world.client_user)
    base = f"/api/v1/tickets/{ticket.reference}"
    for url in ("comments", "timeline", "checklist", "led-readings"):
        assert client.get(f"{base}/{url}/").status_code == 404, url
    assert client.post(f"{base}/comments/", {"body": "x"}).status_code == 404
    assert client.patch(f"{base}/checklist/{item.pk}/", {"done": True}).status_code == 404
    assert client.post(f"{base}/led-readings/", {"device": "ont", "phase": "before", "states": ONT_OK}).status_code == 404
    assert not TimelineEntry.objects.filter(ticket=ticket, kind="comment").exists()


# --- checklist ---------------------------------------------------------------------------------------


def test_checklist_read_and_tick(world):
    ticket = _qualified(world)
    client = api_client(world.n1)
    items = client.get(f"/api/v1/tickets/{ticket.reference}/checklist/").json()
    assert [i["level"] for i in items] == sorted(i["level"] for i in items)
    first = items[0]
    response = client.patch(f"/api/v1/tickets/{ticket.reference}/checklist/{first['id']}/",
                            {"done": True, "note": "ONT OK"})
    assert response.status_code == 200
    assert (response.json()["done"], response.json()["note"], response.json()["done_by"]["id"]) == (
        True, "ONT OK", world.n1.pk
    )
    assert TimelineEntry.objects.filter(ticket=ticket, kind="checklist").count() == 1


def test_completed_n1_checklist_allows_escalation_without_reason(world):
    ticket = _qualified(world)
    client = api_client(world.n1)
    for item in ticket.checklist_items.filter(level="n1"):
        client.patch(f"/api/v1/tickets/{ticket.reference}/checklist/{item.pk}/", {"done": True})
    detail = client.get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert detail["n1_checklist_complete"] is True
    response = client.post(f"/api/v1/tickets/{ticket.reference}/transitions/", {"transition": "escalate"})
    assert response.status_code == 200 and response.json()["status"] == "escalated"


def test_checklist_refusals(world):
    ticket = _qualified(world)
    other = _qualified(world)
    n2_item = ticket.checklist_items.filter(level="n2").first()
    n1_item = ticket.checklist_items.filter(level="n1").first()
    base = f"/api/v1/tickets/{ticket.reference}/checklist"
    n1 = api_client(world.n1)
    assert n1.patch(f"{base}/{n2_item.pk}/", {"done": True}).json()["code"] == "n2_required"
    assert n1.patch(f"{base}/{other.checklist_items.first().pk}/", {"done": True}).status_code == 404
    assert n1.patch(f"{base}/{n1_item.pk}/", {"note": "sans done"}).status_code == 400
    assert api_client(world.client_user).get(f"{base}/").status_code == 403
    assert api_client(world.client_user).patch(f"{base}/{n1_item.pk}/", {"done": True}).status_code == 403
    actions.transition_ticket(ticket, "cancel", actor=world.n1, reason="Doublon")
    response = n1.patch(f"{base}/{n1_item.pk}/", {"done": True})
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"
    assert not ChecklistItem.objects.filter(ticket=ticket, done=True).exists()


# --- LED readings ------------------------------------------------------------------------------------


def test_record_and_list_led_readings(world):
    ticket = _ticket(world)
    client = api_client(world.n1)
    response = client.post(f"/api/v1/tickets/{ticket.reference}/led-readings/",
                           {"device": "ont", "phase": "before", "states": ONT_OK, "equipment": world.acme_ont.pk})
    assert response.status_code == 201, response.json()
    assert response.json()["label"] == (
        "Contrôle ONT : Power vert fixe, PON vert fixe, LOS éteint, LAN clignotant, avant redémarrage."
    )
    listed = client.get(f"/api/v1/tickets/{ticket.reference}/led-readings/").json()
    assert [(r["device"], r["phase"], r["equipment"]) for r in listed] == [("ont", "before", world.acme_ont.pk)]
    assert TimelineEntry.objects.get(ticket=ticket, kind="led_reading").body == response.json()["label"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"states": {**ONT_OK, "pon": "bleu"}}, ("states", "pon")),  # a known state the memo does not allow for PON
        ({"states": {**ONT_OK, "pon": "violet"}}, ("states", "pon")),
        ({"states": {k: v for k, v in ONT_OK.items() if k != "los"}}, ("states", "los")),
        ({"states": {**ONT_OK, "wifi": "vert_fixe"}}, ("states", "wifi")),
        ({"device": "modem"}, ("device",)),
        ({"phase": "during"}, ("phase",)),
        ({"states": None}, ("states",)),
        ({"equipment": "OTHER_EQUIPMENT"}, ("equipment",)),
    ],
)
def test_bad_led_reading(world, body, path):
    other_ont = t.make_equipment(world.other_site)
    ticket = _ticket(world)
    full = {"device": "ont", "phase": "after", "states": ONT_OK,
            **{k: (other_ont.pk if v == "OTHER_EQUIPMENT" else v) for k, v in body.items()}}
    full = {k: v for k, v in full.items() if v is not None}
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/led-readings/", full)
    assert response.status_code == 400
    errors = response.json()
    for key in path:
        assert key in errors, errors
        errors = errors[key]
    assert errors and all(isinstance(m, str) for m in errors)
    assert not LedReading.objects.exists()


def test_led_readings_are_for_agents_on_open_tickets(world):
    ticket = _ticket(world)
    body = {"device": "ont", "phase": "before", "states": ONT_OK}
    assert api_client(world.client_user).post(f"/api/v1/tickets/{ticket.reference}/led-readings/",
                                              body).status_code == 403
    assert api_client(world.client_user).get(f"/api/v1/tickets/{ticket.reference}/led-readings/").status_code == 403
    actions.transition_ticket(ticket, "cancel", actor=world.n1, reason="Doublon")
    response = api_client(world.n1).post(f"/api/v1/tickets/{ticket.reference}/led-readings/", body)
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"
    assert not LedReading.objects.exists()


def test_repeatable_filters_do_not_make_the_list_distinct(world, django_assert_max_num_queries):
    """SELECT DISTINCT over every column stops PostgreSQL from reading the ordered indexes (docs/performance.md)."""
    escalated = actions.transition_ticket(_qualified(world), "escalate", actor=world.n1, reason="Besoin N2")
    _ticket(world, subject="Autre")
    params = {"status": ["escalated", "waiting_carrier"], "priority": ["3"], "service_state": ["interrompu"]}
    with django_assert_max_num_queries(6) as captured:
        response = api_client(world.n2).get("/api/v1/tickets/", params)
    assert [row["reference"] for row in response.json()["results"]] == [escalated.reference]
    listing = [q["sql"] for q in captured.captured_queries if 'FROM "tickets_ticket"' in q["sql"]]
    assert listing and not any("DISTINCT" in sql for sql in listing)


def test_clients_and_partners_do_not_get_agent_names(world):
    """Like the portal (« Support SoftWhere »): agents are null for client and partner users, whole for staff."""
    ticket = _ticket(world)
    actions.assign_ticket(ticket, actor=world.n1, assignee=world.n2)
    actions.add_comment(ticket, actor=world.n1, body="Nous regardons.", visibility="public")
    own = actions.create_ticket(
        actor=world.client_user, organisation=world.acme, subject="Lent", service_state="degrade"
    )
    client = api_client(world.client_user)
    detail = client.get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert detail["assignee"] is None and detail["created_by"] is None
    [row] = [r for r in client.get("/api/v1/tickets/").json()["results"] if r["reference"] == ticket.reference]
    assert row["assignee"] is None
    timeline = client.get(f"/api/v1/tickets/{ticket.reference}/timeline/").json()
    entries = timeline["results"] if isinstance(timeline, dict) else timeline
    assert entries and all(e["author"] is None for e in entries)
    everything = str(detail) + str(row) + str(entries)
    assert world.n1.get_full_name() not in everything and world.n2.get_full_name() not in everything
    # their own people stay named
    assert client.get(f"/api/v1/tickets/{own.reference}/").json()["created_by"]["username"] == world.client_user.username
    staff = api_client(world.n1).get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert staff["assignee"]["username"] == world.n2.username and staff["created_by"]["username"] == world.n1.username

"""Ticket search (grid and API ``?q=``) and query counts of the main lists; run on SQLite and PostgreSQL."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.core import testing as t
from softwhere.core.tests.api_client import api_client
from softwhere.tickets import actions, search
from softwhere.tickets.choices import ServiceState, Visibility
from softwhere.tickets.models import Ticket

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
        "subject": "Demande diverse",
        "service_state": ServiceState.DEGRADED,
    }
    defaults.update(kw)
    return actions.create_ticket(**defaults)  # type: ignore[arg-type]


def found(term: str, *, header_only: bool = False) -> set[str]:
    qs = search.filter_tickets(Ticket.objects.all(), term, header_only=header_only)
    return set(qs.values_list("subject", flat=True))


@pytest.fixture
def corpus(world: SimpleNamespace) -> SimpleNamespace:
    ns = SimpleNamespace()
    ns.fibre = new_ticket(world, subject="Coupure fibre au siège", description="Le débit est interrompu depuis 9h.")
    ns.sda = new_ticket(world, subject="Appels entrants impossibles", description="Les SDA ne sonnent plus.")
    ns.wifi = new_ticket(world, subject="Wi-Fi lent", description="Lenteurs réseau en salle de réunion.")
    actions.add_comment(ns.wifi, actor=world.n1, body="Borne électrique redémarrée par l'électricien")
    ns.other = new_ticket(world, subject="Routeur remplacé", carrier_ticket_reference="FT-20250612-ABC")
    return ns


@pytest.mark.parametrize(
    ("term", "subject"),
    [
        ("coupure", "Coupure fibre au siège"),  # plain word
        ("coupures", "Coupure fibre au siège"),  # inflected (plural)
        ("siege", "Coupure fibre au siège"),  # accent missing
        ("SIÈGE", "Coupure fibre au siège"),  # upper case with accent
        ("debit interrompu", "Coupure fibre au siège"),  # two words from the description, unaccented
        ("lenteur", "Wi-Fi lent"),  # singular of "Lenteurs"
        ("electricien", "Wi-Fi lent"),  # only in a comment, unaccented
        ("appel entrant", "Appels entrants impossibles"),  # singular of a plural
    ],
)
def test_french_words_are_found_with_or_without_accents_and_inflections(corpus, term, subject):
    assert subject in found(term)


def test_unrelated_words_find_nothing(corpus):
    assert found("imprimante") == set()
    assert "Coupure fibre au siège" not in found("lenteur")


def test_identifiers_are_found_in_any_usual_writing(world, corpus):
    assert found(corpus.fibre.reference) >= {"Coupure fibre au siège"}
    assert found(corpus.fibre.reference[:6]) >= {"Coupure fibre au siège"}  # reference prefix
    assert found("20250612") == {"Routeur remplacé"}  # part of a carrier ticket reference
    assert found("ft-20250612-abc") == {"Routeur remplacé"}
    # Carrier reference of the access and the ONT serial, linked to a ticket.
    linked = new_ticket(world, subject="Accès lié", services=[world.acme_access], equipment=[world.acme_ont])
    assert linked.subject in found(world.acme_access.carrier_reference[2:])
    assert linked.subject in found(world.acme_ont.serial_number.lower())
    # The contact's number (01 42 68 53 00) in national, international and spaced forms.
    for phone in ("0142685300", "+33 1 42 68 53 00", "01.42.68.53.00", "33142685300"):
        assert "Coupure fibre au siège" in found(phone), phone


def test_identifiers_typed_inside_a_longer_term_are_found(world, corpus):
    """What an agent pastes from a customer's mail: the identifier with words around it."""
    ref = corpus.fibre.reference
    for typed in (f"ticket {ref}", f"réf. n°{ref}", f"#{ref}", f"Relance ticket {ref} svp"):
        assert found(typed) == {"Coupure fibre au siège"}, typed
    # Carrier reference written with spaces instead of dashes: its digits still find it.
    assert found("FT 20250612 ABC") == {"Routeur remplacé"}
    assert found("ticket orange FT-20250612-ABC") == {"Routeur remplacé"}
    # The contact's number inside a sentence, in two writings.
    for typed in ("rappeler au 01 42 68 53 00 svp", "appel du +33 1 42 68 53 00"):
        assert "Coupure fibre au siège" in found(typed), typed
    # A number in a description, found from a sentence holding it in another writing.
    new_ticket(world, subject="Rappel demandé", description="Joignable au 06.12.34.56.78 après 14h.")
    assert found("merci de rappeler le 06 12 34 56 78") == {"Rappel demandé"}
    # Words with few digits stay plain words: no identifier look-up, no false match.
    assert found("coupure 9h") == {"Coupure fibre au siège"}
    assert found(f"ticket {int(ref) + 1000}") == set()


def test_company_names_are_found_without_accents(world):
    """A company typed as agents type it: no accents, any case, « oe » for « œ »."""
    soc = t.make_organisation("Société Électrique du Cœur")
    new_ticket(world, organisation=soc, site=None, subject="Disjonctions répétées")
    for typed in ("societe electrique", "SOCIÉTÉ ÉLECTRIQUE", "electrique du coeur", "Électrique du Cœur"):
        assert found(typed) == {"Disjonctions répétées"}, typed
    assert found("societe electronique") == set()


@pytest.mark.parametrize(
    ("term", "tokens"),
    [
        ("ticket 2505057242", ["2505057242"]),
        ("n°2505057242", ["2505057242"]),
        ("2505057242", []),  # a single token is looked up whole already
        ("rappel au 06 12 34 56 78 svp", ["06 12 34 56 78"]),
        ("FT 20250612 ABC", ["20250612"]),
        ("coupure fibre depuis 9h", []),
        ("SN ZTEG-C8F1A2B3 HS", ["ZTEG-C8F1A2B3"]),
    ],
)
def test_embedded_identifiers(term, tokens):
    assert search.embedded_identifiers(term) == tokens


PHONE_WRITINGS = [
    "06 12 34 56 78",
    "06.12.34.56.78",
    "0612345678",
    "06-12-34-56-78",
    "+33 6 12 34 56 78",
    "+33612345678",
    "0033 6 12 34 56 78",
    "+33 (0)6 12 34 56 78",
]


@pytest.mark.parametrize("written", PHONE_WRITINGS)
def test_a_phone_number_in_the_text_is_found_however_it_is_typed(world, written):
    new_ticket(world, subject="Rappel demandé", description=f"Merci de rappeler M. Martin au {written}, joignable.")
    new_ticket(world, subject="Autre numéro", description="Standard : 06 12 34 56 79, ou 06.12.34.56.77.")
    for typed in PHONE_WRITINGS:
        assert found(typed) == {"Rappel demandé"}, typed
        assert found(typed, header_only=True) == {"Rappel demandé"}, typed
    assert found("06 12 34 56 79") == {"Autre numéro"}


def test_a_phone_number_in_a_comment_is_found(world, corpus):
    actions.add_comment(corpus.sda, actor=world.n1, body="Le client rappelle du 04.72.10.20.30 (portable du gérant).")
    assert found("+33 4 72 10 20 30") == {"Appels entrants impossibles"}
    assert found("0472102030") == {"Appels entrants impossibles"}
    assert found("0472102031") == set()


def test_internal_comments_are_not_searched_for_customers(corpus):
    assert "Wi-Fi lent" in found("electricien")
    assert found("electricien", header_only=True) == set()
    assert "Wi-Fi lent" in found("lenteurs", header_only=True)


def test_new_comments_and_edits_are_searchable_at_once(world, corpus):
    actions.add_comment(
        corpus.sda, actor=world.n1, body="Trunk SIP désenregistré chez l'opérateur", visibility=Visibility.PUBLIC
    )
    assert "Appels entrants impossibles" in found("desenregistre")
    actions.update_ticket(corpus.sda, actor=world.n1, subject="Standard injoignable")
    assert "Standard injoignable" in found("injoignable")
    assert found("impossibles") == set()


def test_grid_ranks_and_highlights_matches(world, corpus):
    new_ticket(world, subject="Fibre", description="Coupure, coupure et encore coupure de la fibre")
    c = client_for(world.n1)
    response = c.get(reverse("tickets:list"), {"q": "coupure fibre"})
    page = response.context["page"]
    assert {x.subject for x in page} == {"Coupure fibre au siège", "Fibre"}
    body = response.content.decode()
    assert "<mark>" in body and 'data-testid="search-hit"' in body
    assert "2 tickets" in body


def test_highlight_escapes_html():
    html = search.highlight(f"<script>x</script> {search.MARK_START}fibre{search.MARK_STOP}")
    assert html == "&lt;script&gt;x&lt;/script&gt; <mark>fibre</mark>"


def test_grid_count_is_capped(world, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    for _ in range(4):
        new_ticket(world)
    c = client_for(world.n1)
    response = c.get(reverse("tickets:list"))
    assert response.context["page"].paginator.count_label.startswith("plus de 2")
    assert response.context["page"].paginator.num_pages is None
    assert response.context["page"].has_next() is False  # all 4 fit in one page of 50


def test_api_search_uses_the_same_service(world, corpus):
    client = api_client(world.n1)
    refs = {x["reference"] for x in client.get("/api/v1/tickets/", {"q": "coupures siege"}).json()["results"]}
    assert refs == {corpus.fibre.reference}


def test_sla_at_risk_filter(world):
    from datetime import timedelta

    from django.utils import timezone

    from softwhere.sla.models import SlaClock

    due_soon = new_ticket(world, subject="Bientôt dû")
    later = new_ticket(world, subject="Plus tard")
    now = timezone.now()
    SlaClock.objects.filter(ticket__in=[due_soon, later]).delete()
    for ticket, minutes in ((due_soon, 30), (later, 600)):
        SlaClock.objects.create(
            ticket=ticket,
            kind="resolution",
            calendar="x",
            target_minutes=60,
            started_at=now,
            due_at=now + timedelta(minutes=minutes),
        )
    c = client_for(world.n1)
    page = c.get(reverse("tickets:list"), {"sla": "risque"}).context["page"]
    assert [x.subject for x in page] == ["Bientôt dû"]
    body = api_client(world.n1).get("/api/v1/tickets/", {"sla_at_risk_minutes": 60}).json()
    assert [x["reference"] for x in body["results"]] == [due_soon.reference]


def test_sla_at_risk_grid_pages_in_priority_order(world, monkeypatch):
    """The at-risk view reads its ids once (count and pages); pages still follow the grid's order."""
    from datetime import timedelta

    from django.utils import timezone

    from softwhere.sla.models import SlaClock
    from softwhere.tickets import views
    from softwhere.tickets.choices import Priority, TicketStatus
    from softwhere.tickets.models import Ticket as T

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    now = timezone.now()
    made = []
    for i, priority in enumerate([Priority.P3, Priority.P1, Priority.P4, Priority.P2, Priority.P1, Priority.P3]):
        ticket = new_ticket(world, subject=f"Risque {i}")
        T.objects.filter(pk=ticket.pk).update(priority=priority)
        made.append(ticket)
    SlaClock.objects.filter(ticket__in=made).delete()
    for ticket in made:
        for kind in ("intervention", "resolution"):  # two clocks at risk: the ticket is listed once
            SlaClock.objects.create(
                ticket=ticket, kind=kind, calendar="x", target_minutes=60, started_at=now,
                due_at=now + timedelta(minutes=45),
            )  # fmt: skip
    T.objects.filter(pk=made[5].pk).update(status=TicketStatus.CLOSED)  # closed: not in the open tickets
    c = client_for(world.n1)
    pages = [c.get(reverse("tickets:list"), {"sla": "risque", "page": n}).context["page"] for n in (1, 2, 3)]
    assert [[x.subject for x in p] for p in pages] == [
        ["Risque 1", "Risque 4"],  # P1, by age
        ["Risque 3", "Risque 0"],
        ["Risque 2"],
    ]
    assert pages[0].paginator.count_label == "5 tickets"
    assert (pages[0].has_next(), pages[2].has_next()) == (True, False)
    # The whole row is read: company and site show on the page.
    html = c.get(reverse("tickets:list"), {"sla": "risque"}, HTTP_HX_REQUEST="true").content.decode()
    assert world.acme.name in html and made[1].reference in html
    # A sort chosen by the agent applies too: youngest first.
    page = c.get(reverse("tickets:list"), {"sla": "risque", "tri": "age"}).context["page"]
    assert [x.subject for x in page] == ["Risque 4", "Risque 3"]


# --- No N+1: query counts do not grow with rows ----------------------------------------------------------


def _many(world: SimpleNamespace, n: int) -> None:
    other_site = t.make_site(world.acme, f"Entrepôt {n}")
    for i in range(n):
        ticket = new_ticket(world, site=other_site if i % 2 else world.acme_site, subject=f"Panne {i}")
        actions.assign_ticket(ticket, actor=world.n1, assignee=world.n2 if i % 2 else world.n1)
        actions.add_comment(ticket, actor=world.n1, body=f"Relance {i}")


@pytest.mark.parametrize("params", [{}, {"q": "panne"}, {"etat": "tous", "tri": "-age"}, {"sla": "risque"}])
def test_grid_query_count_is_fixed(world, django_assert_max_num_queries, params):
    c = client_for(world.n1)
    _many(world, 3)
    c.get(reverse("tickets:list"), params)  # warm the session
    with django_assert_max_num_queries(12):
        small = c.get(reverse("tickets:list"), params)
    _many(world, 12)
    with django_assert_max_num_queries(12):
        big = c.get(reverse("tickets:list"), params)
    assert len(big.context["page"]) >= len(small.context["page"])


def test_api_list_query_count_is_fixed(world, django_assert_max_num_queries):
    client = api_client(world.n1)
    _many(world, 3)
    client.get("/api/v1/tickets/")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/tickets/")
    _many(world, 12)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/tickets/", {"q": "panne"}).json()
    assert len(body["results"]) == 15


def test_ticket_page_query_count_is_fixed(world, django_assert_max_num_queries):
    ticket = new_ticket(world, services=[world.acme_access], equipment=[world.acme_ont])
    c = client_for(world.n1)
    c.get(reverse("tickets:detail", args=[ticket.reference]))
    with django_assert_max_num_queries(60) as few:
        c.get(reverse("tickets:detail", args=[ticket.reference]))
    for i in range(15):
        actions.add_comment(ticket, actor=world.n2 if i % 2 else world.n1, body=f"note {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(reverse("tickets:detail", args=[ticket.reference]))

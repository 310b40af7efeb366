"""Tenant boundaries of every API resource, table-driven.

For each resource and each kind of user: the list shows exactly the companies in
scope, an object out of scope is a 404 to read and to write (never a 403 that
would confirm it exists), and only inventory editors may write in scope.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from stdnum import luhn

from softwhere.core import testing as t
from softwhere.core.models import AuditEntry
from softwhere.core.tests.api_client import api_client
from softwhere.customers.models import Contact, Organisation, Site
from softwhere.inventory.choices import NumberRangeKind, VoiceKind
from softwhere.inventory.models import Access, Equipment, MobileLine, NumberRange, VoiceService
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.models import Ticket


def _iccid(n: int) -> str:
    body = f"893310{n:012d}"
    return body + luhn.calc_check_digit(body)


def _company_objects(org: Organisation, site: Site, n: int) -> SimpleNamespace:
    voice = VoiceService(site=site, voice_kind=VoiceKind.SIP_TRUNK, simultaneous_calls=10, label=f"Trunk {n}")
    voice.full_clean()
    voice.save()
    number_range = NumberRange(
        voice_service=voice, kind=NumberRangeKind.SDA, first_number=f"+3314268{n}000", last_number=f"+3314268{n}099"
    )
    number_range.full_clean()
    number_range.save()
    line = MobileLine(site=site, msisdn=f"+3361234{n}678", iccid=_iccid(n), label=f"Mobile {n}")
    line.full_clean()
    line.save()
    access = t.make_access(site)
    return SimpleNamespace(
        organisation=org,
        site=site,
        contact=t.make_contact(org, site=site),
        access=access,
        voice=voice,
        number_range=number_range,
        mobile=line,
        equipment=t.make_equipment(site, service=access),
    )


@pytest.fixture
def companies(world):
    """Inventory and one ticket for ACME, the partner's client and the other company."""
    result = {}
    for n, (key, org, site) in enumerate(
        [("acme", world.acme, world.acme_site), ("partner_client", world.partner_client, world.partner_site),
         ("other", world.other, world.other_site)],
        start=1,
    ):
        objs = _company_objects(org, site, n)
        objs.ticket = ticket_actions.create_ticket(
            actor=world.n1, organisation=org, site=site, subject=f"Panne {key}", service_state="interrompu"
        )
        result[key] = objs
    return result


# resource → (URL segment, attribute of _company_objects, lookup attribute, PATCH body)
RESOURCES = {
    "organisations": ("organisation", "pk", {"name": "Renommée"}),
    "sites": ("site", "pk", {"access_notes": "Badge à l'accueil"}),
    "contacts": ("contact", "pk", {"first_name": "Paul"}),
    "accesses": ("access", "pk", {"label": "Renommé"}),
    "voice-services": ("voice", "pk", {"label": "Renommé"}),
    "number-ranges": ("number_range", "pk", {"last_number": "+33142681050"}),
    "mobile-lines": ("mobile", "pk", {"fleet": "Direction"}),
    "equipment": ("equipment", "pk", {"firmware": "V9"}),
    "services": ("access", "pk", None),
    "tickets": ("ticket", "reference", {"subject": "Modifié"}),
}
# user attribute of `world` → companies in scope
SCOPES = {
    "client_user": {"acme"},
    "partner_user": {"partner_client"},
    "other_client_user": {"other"},
}


def _ids(response, lookup):
    assert response.status_code == 200
    return {item["reference" if lookup == "reference" else "id"] for item in response.json()["results"]}


@pytest.mark.parametrize("user_attr", list(SCOPES))
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_list_shows_only_companies_in_scope(world, companies, resource, user_attr):
    attr, lookup, _ = RESOURCES[resource]
    listed = _ids(api_client(getattr(world, user_attr)).get(f"/api/v1/{resource}/", {"page_size": 200}), lookup)
    fixture_ids = {key: getattr(getattr(objs, attr), lookup) for key, objs in companies.items()}
    assert {key for key, value in fixture_ids.items() if value in listed} == SCOPES[user_attr]


@pytest.mark.parametrize("user_attr", list(SCOPES))
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_out_of_scope_objects_are_404_to_read_and_write(world, companies, resource, user_attr):
    attr, lookup, patch = RESOURCES[resource]
    client = api_client(getattr(world, user_attr))
    for key, objs in companies.items():
        obj = getattr(objs, attr)
        url = f"/api/v1/{resource}/{getattr(obj, lookup)}/"
        in_scope = key in SCOPES[user_attr]
        assert client.get(url).status_code == (200 if in_scope else 404), (key, url)
        if patch is None:
            continue
        before = type(obj).objects.filter(pk=obj.pk).values().get()
        response = client.patch(url, patch)
        # In scope: inventory is read only for clients and partners, and they are not ticket agents.
        assert response.status_code == (403 if in_scope else 404), (key, url, response.json())
        assert type(obj).objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.parametrize("user_attr", ["client_user", "partner_user"])
@pytest.mark.parametrize(
    ("resource", "body"),
    [
        ("sites", lambda c: {"organisation": c.organisation.pk, "name": "Annexe", "address_line1": "1 rue Neuve",
                             "postal_code": "75001", "city": "Paris"}),
        ("contacts", lambda c: {"organisation": c.organisation.pk, "last_name": "Durand", "email": "d@example.fr"}),
        ("accesses", lambda c: {"site": c.site.pk, "technology": "adsl"}),
        ("equipment", lambda c: {"site": c.site.pk, "kind": "router"}),
    ],
)
def test_clients_and_partners_cannot_create_inventory(world, companies, resource, body, user_attr):
    own = companies["acme" if user_attr == "client_user" else "partner_client"]
    audit_before = AuditEntry.objects.count()
    response = api_client(getattr(world, user_attr)).post(f"/api/v1/{resource}/", body(own))
    assert response.status_code == 403
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("resource", ["sites", "contacts"])
def test_staff_cannot_be_tricked_into_an_unknown_organisation(world, resource):
    response = api_client(world.n1).post(f"/api/v1/{resource}/", {"organisation": 999999, "name": "X",
                                                                   "last_name": "X"})
    assert response.status_code == 400
    assert "organisation" in response.json()


def test_out_of_scope_ids_in_a_body_look_unknown(world, companies):
    """A partner naming another company's site gets the same answer as for a non-existent id."""
    client = api_client(world.partner_user)
    foreign = client.post("/api/v1/tickets/", {"organisation": world.partner_client.pk, "subject": "x",
                                               "service_state": "degrade", "site": world.other_site.pk})
    unknown = client.post("/api/v1/tickets/", {"organisation": world.partner_client.pk, "subject": "x",
                                               "service_state": "degrade", "site": 999999})
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json()["site"] == [m.replace("999999", str(world.other_site.pk)) for m in unknown.json()["site"]]
    assert not Ticket.objects.filter(subject="x").exists()


@pytest.mark.parametrize("role", ["n1", "n2", "supervisor", "adv", "admin"])
def test_every_inventory_editor_role_may_write(world, role):
    response = api_client(getattr(world, role)).patch(f"/api/v1/sites/{world.other_site.pk}/", {"access_notes": role})
    assert response.status_code == 200
    assert Site.objects.get(pk=world.other_site.pk).access_notes == role


def test_staff_list_everything(world, companies):
    client = api_client(world.n1)
    assert Contact.objects.count() == len(_ids(client.get("/api/v1/contacts/"), "pk"))
    assert Access.objects.count() == len(_ids(client.get("/api/v1/accesses/"), "pk"))
    assert Equipment.objects.count() == len(_ids(client.get("/api/v1/equipment/"), "pk"))

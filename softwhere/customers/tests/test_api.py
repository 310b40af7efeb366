"""Organisations, sites and contacts through the API: CRUD, normalisation, bad input."""

from __future__ import annotations

import pytest

from softwhere.core import testing as t
from softwhere.core.models import AuditEntry
from softwhere.core.tests.api_client import api_client
from softwhere.customers.models import Contact, Organisation, Site

ADDRESS = {"address_line1": "12, rue de l'Église", "postal_code": "69 007", "city": "Lyon"}


# --- organisations -----------------------------------------------------------------------------------


def test_create_organisation_normalises_and_audits(world):
    siret = t.make_siret(424242)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    response = api_client(world.adv).post(
        "/api/v1/organisations/",
        {"kind": "client", "name": "Garage Dupuis", "siret": spaced, "partner": world.partner.pk, **ADDRESS},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["siret"], body["address_line1"], body["postal_code"], body["city"]) == (
        siret, "12 RUE DE L EGLISE", "69007", "LYON"
    )
    org = Organisation.objects.get(pk=body["id"])
    assert org.partner == world.partner
    audit = AuditEntry.objects.get(object_type="customers.organisation", object_id=str(org.pk))
    assert (audit.action, audit.actor, audit.changes["siret"]) == ("customers.create", world.adv, siret)


def test_retrieve_and_update_organisation(world):
    client = api_client(world.n1)
    assert client.get(f"/api/v1/organisations/{world.acme.pk}/").json()["name"] == "ACME Industries"
    response = client.patch(f"/api/v1/organisations/{world.acme.pk}/", {"name": "ACME SAS", "city": "Saint-Étienne"})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["city"]) == ("ACME SAS", "SAINT ETIENNE")
    audit = AuditEntry.objects.get(action="customers.update")
    assert audit.changes == {"name": ["ACME Industries", "ACME SAS"], "city": ["PARIS", "SAINT ETIENNE"]}


def test_update_without_change_writes_no_audit(world):
    response = api_client(world.n1).patch(f"/api/v1/organisations/{world.acme.pk}/", {"name": "ACME Industries"})
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="customers.update").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"siret": "12345678901234"}, "siret"),  # bad Luhn key
        ({"siret": "1234"}, "siret"),
        ({"siret": ""}, "siret"),  # required for clients
        ({"postal_code": "00100"}, "postal_code"),
        ({"name": ""}, "name"),
        ({"kind": "reseller"}, "kind"),
        ({"address_line1": "x" * 39}, "address_line1"),
    ],
)
def test_create_organisation_bad_input(world, body, field):
    full = {"kind": "client", "name": "Test", "siret": t.make_siret(77), **ADDRESS, **body}
    response = api_client(world.n1).post("/api/v1/organisations/", full)
    assert response.status_code == 400
    assert field in response.json()
    assert isinstance(response.json()[field], list) and response.json()[field][0]
    assert not Organisation.objects.filter(name="Test").exists()


def test_create_organisation_missing_required_fields(world):
    response = api_client(world.n1).post("/api/v1/organisations/", {})
    assert response.status_code == 400
    assert {"name", "address_line1", "postal_code", "city"} <= set(response.json())


def test_duplicate_siret_is_refused_after_normalisation(world):
    spaced = " ".join([world.acme.siret[:9], world.acme.siret[9:]])
    response = api_client(world.n1).post(
        "/api/v1/organisations/", {"kind": "client", "name": "Clone", "siret": spaced, **ADDRESS}
    )
    assert response.status_code == 400
    assert "siret" in response.json()


def test_partner_must_be_a_partner_organisation(world):
    response = api_client(world.n1).patch(f"/api/v1/organisations/{world.other.pk}/", {"partner": world.acme.pk})
    assert response.status_code == 400
    assert "partner" in response.json()
    world.other.refresh_from_db()
    assert world.other.partner_id is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "partner"}, {"Intégrateur Sud"}),
        ({"partner": "PARTNER"}, {"Boulangerie Martin"}),
        ({"search": "acme"}, {"ACME Industries"}),
        ({"search": "SIRET-OF-OTHER"}, {"Autre Société"}),
    ],
)
def test_organisation_filters(world, params, expected):
    params = {k: (world.partner.pk if v == "PARTNER" else world.other.siret[2:9] if v == "SIRET-OF-OTHER" else v)
              for k, v in params.items()}
    response = api_client(world.n1).get("/api/v1/organisations/", params)
    assert {o["name"] for o in response.json()["results"]} == expected


def test_partner_sees_itself_and_its_clients(world):
    response = api_client(world.partner_user).get("/api/v1/organisations/")
    assert {o["name"] for o in response.json()["results"]} == {"Intégrateur Sud", "Boulangerie Martin"}


# --- sites -------------------------------------------------------------------------------------------


def test_create_site_with_opening_hours(world):
    hours = {"lun": ["08:00-12:00", "14:00-18:00"], "sam": ["09:00-12:00"]}
    response = api_client(world.n1).post(
        "/api/v1/sites/",
        {"organisation": world.acme.pk, "name": "Dépôt", **ADDRESS, "opening_hours": hours,
         "access_notes": "Sonner au portail"},
    )
    assert response.status_code == 201, response.json()
    site = Site.objects.get(pk=response.json()["id"])
    assert (site.opening_hours, site.address_line1, site.access_notes) == (
        hours, "12 RUE DE L EGLISE", "Sonner au portail"
    )
    assert AuditEntry.objects.filter(object_type="customers.site", action="customers.create").count() == 1


@pytest.mark.parametrize(
    ("hours", "error"),
    [
        ({"lun": ["8h-12h"]}, "opening_hours"),
        ({"lun": ["14:00-12:00"]}, "opening_hours"),
        ({"lun": ["08:00-12:00", "11:00-13:00"]}, "opening_hours"),
        ({"monday": ["08:00-12:00"]}, "opening_hours"),
        ({"lun": "08:00-12:00"}, "opening_hours"),
    ],
)
def test_site_bad_opening_hours(world, hours, error):
    response = api_client(world.n1).patch(f"/api/v1/sites/{world.acme_site.pk}/", {"opening_hours": hours})
    assert response.status_code == 400
    assert error in response.json()
    world.acme_site.refresh_from_db()
    assert world.acme_site.opening_hours == {}


def test_site_name_is_unique_per_organisation(world):
    response = api_client(world.n1).post(
        "/api/v1/sites/", {"organisation": world.acme.pk, "name": world.acme_site.name, **ADDRESS}
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_site_cannot_move_to_another_organisation(world):
    response = api_client(world.n1).patch(f"/api/v1/sites/{world.acme_site.pk}/", {"organisation": world.other.pk})
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert Site.objects.get(pk=world.acme_site.pk).organisation == world.acme


def test_site_filters(world):
    client = api_client(world.n1)
    by_org = client.get("/api/v1/sites/", {"organisation": world.other.pk}).json()["results"]
    assert [s["name"] for s in by_org] == ["Entrepôt"]
    by_search = client.get("/api/v1/sites/", {"search": "boutique"}).json()["results"]
    assert [s["id"] for s in by_search] == [world.partner_site.pk]


# --- contacts ----------------------------------------------------------------------------------------


def test_create_contact_normalises_phones_and_roles(world):
    response = api_client(world.n2).post(
        "/api/v1/contacts/",
        {"organisation": world.acme.pk, "site": world.acme_site.pk, "first_name": "Léa", "last_name": "Martin",
         "email": "lea@acme.fr", "phone": "01 42 68 53 00", "mobile": "0033 6 12 34 56 78",
         "roles": ["sur_site", "technique"], "preferred_channel": "both"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["phone"], body["mobile"], body["roles"]) == ("+33142685300", "+33612345678",
                                                              ["technique", "sur_site"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "12"}, "phone"),
        ({"phone": "01 00 00"}, "phone"),
        ({"roles": ["chef"]}, "roles"),
        ({"email": "pas-un-mail"}, "email"),
        ({"preferred_channel": "sms"}, "mobile"),  # SMS needs a mobile
        ({"email": "", "preferred_channel": "mail"}, "email"),
        ({"site": "OTHER_SITE"}, "site"),  # a site of another company
        ({"last_name": ""}, "last_name"),
    ],
)
def test_create_contact_bad_input(world, body, field):
    body = {k: (world.other_site.pk if v == "OTHER_SITE" else v) for k, v in body.items()}
    full = {"organisation": world.acme.pk, "last_name": "Test", "email": "t@acme.fr", **body}
    before = Contact.objects.count()
    response = api_client(world.n1).post("/api/v1/contacts/", full)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Contact.objects.count() == before


def test_update_contact_phone_and_refuse_move(world):
    client = api_client(world.n1)
    url = f"/api/v1/contacts/{world.acme_contact.pk}/"
    assert client.patch(url, {"phone": "04 72 00 00 00"}).json()["phone"] == "+33472000000"
    response = client.patch(url, {"organisation": world.other.pk})
    assert response.status_code == 400
    assert Contact.objects.get(pk=world.acme_contact.pk).organisation == world.acme


def test_contact_search_by_national_phone(world):
    response = api_client(world.n1).get("/api/v1/contacts/", {"search": "01 42 68 53 00"})
    assert [c["id"] for c in response.json()["results"]] == [world.acme_contact.pk]


def test_client_reads_own_contacts(world):
    other_contact = t.make_contact(world.other)
    response = api_client(world.client_user).get("/api/v1/contacts/")
    ids = {c["id"] for c in response.json()["results"]}
    assert world.acme_contact.pk in ids and other_contact.pk not in ids

"""The resolution catalogue and LED memos through the API."""

from __future__ import annotations

import pytest

from softwhere.catalogue import leds
from softwhere.catalogue.models import ResolutionCase
from softwhere.core.models import AuditEntry
from softwhere.core.tests.api_client import api_client

CASE = "incident_internet_perte_wan"


def test_list_cases_with_filters(world):
    client = api_client(world.n1)
    everything = client.get("/api/v1/catalogue/cases/", {"page_size": 200}).json()
    assert everything["count"] == ResolutionCase.objects.count() == 69
    assert [c["number"] for c in everything["results"]] == sorted(c["number"] for c in everything["results"])
    internet = client.get("/api/v1/catalogue/cases/", {"domain": "internet", "family": "incident",
                                                       "page_size": 200}).json()["results"]
    assert internet and {(c["domain"], c["family"]) for c in internet} == {("internet", "incident")}
    assert {c["id"] for c in internet} == set(
        ResolutionCase.objects.filter(domain="internet", family="incident").values_list("id", flat=True)
    )


@pytest.mark.parametrize("term", ["perte d’accès wan", "PON / DSL rouges", CASE, "1"])
def test_search_cases(world, term):
    results = api_client(world.n2).get("/api/v1/catalogue/cases/", {"search": term}).json()["results"]
    assert CASE in {c["id"] for c in results}


def test_retrieve_case(world):
    body = api_client(world.n1).get(f"/api/v1/catalogue/cases/{CASE}/").json()
    assert body["number"] == 1 and body["n1_checks"][0].startswith("Vérifier voyants ONT")
    assert (body["is_edited"], body["revision"], body["edited_by"]) == (False, 0, None)


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisor_and_admin_edit_a_case(world, role):
    user = getattr(world, role)
    response = api_client(user).patch(
        f"/api/v1/catalogue/cases/{CASE}/", {"title": "Perte WAN", "n1_checks": ["Vérifier l'ONT", " ", "Redémarrer"]}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["n1_checks"], body["revision"], body["is_edited"]) == (
        "Perte WAN", ["Vérifier l'ONT", "Redémarrer"], 1, True
    )
    assert body["edited_by"]["id"] == user.pk
    assert AuditEntry.objects.get(action="catalogue.edit").actor == user


@pytest.mark.parametrize("role", ["n1", "n2", "adv", "client_user", "partner_user"])
def test_others_cannot_edit_a_case(world, role):
    response = api_client(getattr(world, role)).patch(f"/api/v1/catalogue/cases/{CASE}/", {"title": "Piraté"})
    assert response.status_code == 403
    assert ResolutionCase.objects.get(pk=CASE).title != "Piraté"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"n1_checks": []}, "n1_checks"),
        ({"title": "   "}, "title"),
        ({"symptoms": "pas une liste"}, "symptoms"),
    ],
)
def test_edit_case_bad_input(world, body, field):
    response = api_client(world.supervisor).patch(f"/api/v1/catalogue/cases/{CASE}/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert ResolutionCase.objects.get(pk=CASE).revision == 0


def test_unknown_case_is_404(world):
    assert api_client(world.n1).get("/api/v1/catalogue/cases/nope/").status_code == 404


@pytest.mark.parametrize("role", ["client_user", "partner_user"])
def test_catalogue_is_internal(world, role):
    client = api_client(getattr(world, role))
    assert client.get("/api/v1/catalogue/cases/").status_code == 403
    assert client.get(f"/api/v1/catalogue/cases/{CASE}/").status_code == 403
    assert client.get("/api/v1/catalogue/leds/").status_code == 403


def test_led_memos(world):
    response = api_client(world.n1).get("/api/v1/catalogue/leds/")
    assert response.status_code == 200
    assert response.json() == leds.export_memos()
    ont = next(d for d in response.json()["devices"] if d["kind"] == "ont")
    assert [led["code"] for led in ont["leds"]] == ["power", "pon", "los", "lan"]

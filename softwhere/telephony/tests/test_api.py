"""Telephony API: scoped to the user's company, thin over the actions, responses checked against OpenAPI."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from softwhere.core.tests.api_client import api_client
from softwhere.telephony import actions
from softwhere.telephony.services.rules import check_document

from .builders import GROUP, OFFICE, A, B, C

pytestmark = pytest.mark.django_db


def test_client_sees_only_its_company(tel: SimpleNamespace) -> None:
    mine = api_client(tel.manager).get("/api/v1/telephony/lines/")
    assert mine.status_code == 200
    assert [x["number"] for x in mine.json()["results"]] == [A, B, C]
    assert api_client(tel.world.other_client_user).get("/api/v1/telephony/lines/").json()["results"] == []
    line_id = tel.lines[0].pk
    assert api_client(tel.world.other_client_user).get(f"/api/v1/telephony/lines/{line_id}/").status_code == 404
    assert api_client(tel.world.other_client_user).get(f"/api/v1/telephony/companies/{tel.org.pk}/").status_code == 404


def test_search_lines_by_name_number_and_site(tel: SimpleNamespace) -> None:
    client = api_client(tel.manager)
    assert [x["number"] for x in client.get("/api/v1/telephony/lines/", {"q": "dur"}).json()["results"]] == [B]
    assert [x["number"] for x in client.get("/api/v1/telephony/lines/", {"q": "01 87 04 40 03"}).json()["results"]] == [
        C
    ]
    assert client.get("/api/v1/telephony/lines/", {"site": "nulle part"}).json()["results"] == []


def test_patch_line_services_goes_through_the_rules(tel: SimpleNamespace) -> None:
    client = api_client(tel.manager)
    url = f"/api/v1/telephony/lines/{tel.lines[0].pk}/"
    ok = client.patch(url, {"services": {"call_waiting": True}}, format="json")
    assert ok.status_code == 200 and ok.json()["services"]["call_waiting"] is True
    bad = client.patch(url, {"services": {"multi_ring": {"enabled": True, "numbers": ["+12125551234"]}}}, format="json")
    assert bad.status_code == 400
    assert bad.json() == {"numbers": ["Renvoi interdit vers un numéro international hors Europe."]}


def test_patch_call_group_limit(tel: SimpleNamespace) -> None:
    group = actions.create_call_group(
        tel.org, actor=tel.manager, site=tel.site, name="Accueil", number=GROUP, members=[A, B]
    )
    response = api_client(tel.manager).patch(
        f"/api/v1/telephony/call-groups/{group.pk}/", {"max_waiting_calls": 60}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"max_waiting_calls": ["Nombre maximum d'appels en attente : de 1 à 50."]}
    detail = api_client(tel.manager).get(f"/api/v1/telephony/call-groups/{group.pk}/").json()
    assert [m["number"] for m in detail["members"]] == [A, B] and detail["max_waiting_calls"] == 20


def test_calendar_create_and_delete(tel: SimpleNamespace) -> None:
    client = api_client(tel.manager)
    created = client.post(
        f"/api/v1/telephony/calendars/?organisation={tel.org.pk}", {**OFFICE, "name": "Samedi"}, format="json"
    )
    assert created.status_code == 201
    assert client.delete(f"/api/v1/telephony/calendars/{created.json()['id']}/").status_code == 204
    refused = api_client(tel.world.other_client_user).post(
        f"/api/v1/telephony/calendars/?organisation={tel.org.pk}", {**OFFICE, "name": "X"}, format="json"
    )
    assert refused.status_code == 404


def test_company_document_and_simulate(tel: SimpleNamespace) -> None:
    actions.create_call_group(
        tel.org,
        actor=tel.manager,
        site=tel.site,
        name="Accueil",
        number=GROUP,
        members=[A, B, C],
        distribution="cyclique",
    )
    client = api_client(tel.manager)
    doc = client.get(f"/api/v1/telephony/companies/{tel.org.pk}/").json()
    assert check_document(doc) == []
    response = client.post(
        f"/api/v1/telephony/companies/{tel.org.pk}/simulate/",
        {
            "to": "01 87 04 41 00",
            "at": "2026-11-23T12:30",
            "caller": "0298765432",
            "state": {"call_groups": {GROUP: {"last_answered": A}}},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["outcome"]["kind"] == "answered" and body["outcome"]["number"] == B
    assert body["steps"][0]["text"].endswith("le lundi 23/11/2026 à 12:30.")


def test_import_through_the_api_lists_every_error(tel: SimpleNamespace) -> None:
    client = api_client(tel.manager)
    doc = client.get(f"/api/v1/telephony/companies/{tel.org.pk}/").json()
    doc["lines"][0]["services"]["blocked_numbers"] = ["1"] * 37
    doc["lines"][1]["email"] = doc["lines"][0]["email"]
    response = client.post(f"/api/v1/telephony/companies/{tel.org.pk}/import/", doc, format="json")
    assert response.status_code == 400
    errors = response.json()["non_field_errors"]
    assert len(errors) == 2 and any("supérieur à 36" in e for e in errors) and any("unique" in e for e in errors)
    doc["lines"][0]["services"]["blocked_numbers"] = []
    doc["lines"][1]["email"] = "marc.durand@acme.fr"
    assert client.post(f"/api/v1/telephony/companies/{tel.org.pk}/import/", doc, format="json").status_code == 200


# --- Lines: creation and deletion through the API (same action and rules as « Ajouter une ligne ») ----------

NEW_LINE = {
    "kind": "fixe",
    "number": "01 87 04 40 09",
    "first_name": "Nina",
    "last_name": "Roux",
    "email": "nina@acme.fr",
    "hardware": {"kind": "poste_ip", "model": "Polycom VVX 450"},
}


def test_manager_creates_and_deletes_a_line(tel: SimpleNamespace) -> None:
    from softwhere.core.models import AuditEntry
    from softwhere.telephony.models import Line

    client = api_client(tel.manager)
    created = client.post(
        "/api/v1/telephony/lines/", {**NEW_LINE, "organisation": tel.org.pk, "site": tel.site.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["number"], body["line_kind"], body["site"]) == ("+33187044009", "fixe", "Siège")
    assert body["services"]["call_waiting"] is Line.objects.get(number="+33187044009").services["call_waiting"]
    assert AuditEntry.objects.filter(action="telephony.line.create", object_id=str(body["id"])).exists()
    listed = [x["number"] for x in client.get("/api/v1/telephony/lines/").json()["results"]]
    assert "+33187044009" in listed
    assert client.delete(f"/api/v1/telephony/lines/{body['id']}/").status_code == 204
    assert not Line.objects.filter(number="+33187044009").exists()


def test_line_creation_errors_are_field_errors_and_write_nothing(tel: SimpleNamespace) -> None:
    from softwhere.telephony.models import Line

    client = api_client(tel.manager)
    url = "/api/v1/telephony/lines/"
    base = {**NEW_LINE, "organisation": tel.org.pk, "site": tel.site.pk}
    taken = client.post(url, {**base, "number": A}, format="json")
    assert (taken.status_code, taken.json()) == (400, {"number": [f"Le numéro {A} est déjà utilisé."]})
    no_site = client.post(url, {**base, "site": None}, format="json")
    assert (no_site.status_code, no_site.json()) == (400, {"site": ["Le site est obligatoire."]})
    foreign = client.post(url, {**base, "site": tel.site.pk + 999}, format="json")
    assert (foreign.status_code, foreign.json()) == (400, {"site": ["Site inconnu pour cette entreprise."]})
    bad_kind = client.post(url, {**base, "kind": "satellite"}, format="json")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    # The analogue plan (one subscribed) is free once; the second one is refused by the offer's rule.
    analog = {**base, "kind": "analogique", "name": "Alarme", "hardware": {"kind": "ata", "model": _ata()}}
    for key in ("first_name", "last_name", "email"):
        analog.pop(key)
    assert client.post(url, {**analog, "number": "01 87 04 40 08"}, format="json").status_code == 201
    refused = client.post(url, {**analog, "number": "01 87 04 40 07", "name": "Fax"}, format="json")
    assert refused.status_code == 400
    assert "Plus aucun forfait « Forfait analogique » disponible" in str(refused.json())
    assert not Line.objects.filter(number__in=["+33187044009", "+33187044007"]).exists()


def test_mobile_line_goes_to_the_pseudo_site_and_scope_is_enforced(tel: SimpleNamespace) -> None:
    from softwhere.telephony.models import Line, TelephonySite

    mobile = {"organisation": tel.org.pk, "kind": "mobile", "number": "06 12 34 56 78", "first_name": "Alain"}
    created = api_client(tel.manager).post("/api/v1/telephony/lines/", mobile, format="json")
    assert created.status_code == 201, created.content
    line = Line.objects.get(number="+33612345678")
    assert line.site == TelephonySite.objects.get(organisation=tel.org, is_mobile_pseudo_site=True)
    other = api_client(tel.world.other_client_user)
    refused = other.post("/api/v1/telephony/lines/", {**NEW_LINE, "organisation": tel.org.pk}, format="json")
    assert refused.status_code == 404
    assert other.delete(f"/api/v1/telephony/lines/{tel.lines[0].pk}/").status_code == 404
    assert Line.objects.filter(pk=tel.lines[0].pk).exists()


def _ata() -> str:
    from softwhere.telephony.choices import PHONE_MODELS, HardwareKind

    return next(m for m, (kind, _) in PHONE_MODELS.items() if kind == HardwareKind.ATA)

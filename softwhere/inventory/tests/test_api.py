"""Services, number ranges and equipment through the API: CRUD, normalisation, filters, bad input."""

from __future__ import annotations

import pytest
from stdnum import luhn

from softwhere.core import testing as t
from softwhere.core.models import AuditEntry
from softwhere.core.tests.api_client import api_client
from softwhere.inventory.models import Access, Equipment, MobileLine, NumberRange, VoiceService


def _iccid(n: int) -> str:
    body = f"893310{n:012d}"
    return body + luhn.calc_check_digit(body)


# --- accesses ----------------------------------------------------------------------------------------


def test_create_access_with_all_fields(world):
    body = {
        "site": world.acme_site.pk, "technology": "sdsl", "pairs": 4, "bandwidth_down_mbps": "20.00",
        "bandwidth_up_mbps": "20.00", "gtr_option": "extended", "carrier": "Orange", "carrier_reference":
        "0050VK9999", "commitment_months": 36, "commitment_start": "2025-01-01", "monthly_fee": "390.00",
        "label": "SDSL siège",
    }
    response = api_client(world.n1).post("/api/v1/accesses/", body)
    assert response.status_code == 201, response.json()
    got = response.json()
    assert {k: got[k] for k in body} == body
    assert (got["kind"], got["organisation"], got["status"]) == ("access", world.acme.pk, "active")
    access = Access.objects.get(pk=got["id"])
    assert access.pairs == 4 and access.kind == "access"
    assert AuditEntry.objects.get(object_id=str(access.pk), action="inventory.create").actor == world.n1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"technology": "sdsl", "pairs": 3}, "pairs"),
        ({"technology": "fibre", "pairs": 2}, "pairs"),
        ({"technology": "adsl", "gtr_option": "standard"}, "gtr_option"),
        ({"technology": "5g"}, "technology"),
        ({"technology": "fibre", "monthly_fee": "-1"}, "monthly_fee"),
        ({"technology": "fibre", "commitment_start": "2025-01-01"}, "commitment_months"),
        ({"technology": "fibre", "commitment_months": 24}, "commitment_months"),
        ({}, "technology"),
    ],
)
def test_create_access_bad_input(world, body, field):
    before = Access.objects.count()
    response = api_client(world.n1).post("/api/v1/accesses/", {"site": world.acme_site.pk, **body})
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Access.objects.count() == before


def test_create_access_requires_a_site(world):
    response = api_client(world.n1).post("/api/v1/accesses/", {"technology": "fibre"})
    assert response.status_code == 400 and "site" in response.json()


def test_update_access_audits_the_diff(world):
    response = api_client(world.n2).patch(f"/api/v1/accesses/{world.acme_access.pk}/",
                                          {"gtr_option": "extended", "monthly_fee": "300.00"})
    assert response.status_code == 200
    audit = AuditEntry.objects.get(action="inventory.update")
    assert audit.changes == {"gtr_option": ["standard", "extended"], "monthly_fee": ["250.00", "300.00"]}


def test_access_cannot_move_to_another_company(world):
    response = api_client(world.n1).patch(f"/api/v1/accesses/{world.acme_access.pk}/", {"site": world.other_site.pk})
    assert response.status_code == 400 and "site" in response.json()
    assert Access.objects.get(pk=world.acme_access.pk).site == world.acme_site


def test_access_can_move_between_sites_of_the_company(world):
    annex = t.make_site(world.acme, "Annexe")
    response = api_client(world.n1).patch(f"/api/v1/accesses/{world.acme_access.pk}/", {"site": annex.pk})
    assert response.status_code == 200
    assert response.json()["site"] == annex.pk


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"technology": "adsl"}, {"ADSL Entrepôt"}),
        ({"technology": "fibre"}, {"Fibre Siège ACME"}),
        ({"organisation": "OTHER"}, {"ADSL Entrepôt"}),
        ({"site": "ACME_SITE"}, {"Fibre Siège ACME"}),
        ({"search": "entrep"}, {"ADSL Entrepôt"}),
        ({"search": "ACME-REF"}, {"Fibre Siège ACME"}),
        ({"technology": "sdsl"}, set()),
    ],
)
def test_access_filters(world, params, expected):
    t.make_access(world.other_site, "adsl")
    values = {"OTHER": world.other.pk, "ACME_SITE": world.acme_site.pk,
              "ACME-REF": world.acme_access.carrier_reference}
    params = {k: values.get(v, v) for k, v in params.items()}
    response = api_client(world.n1).get("/api/v1/accesses/", params)
    assert response.status_code == 200
    assert {a["label"] for a in response.json()["results"]} == expected


def test_unknown_filter_value_is_400(world):
    response = api_client(world.n1).get("/api/v1/accesses/", {"technology": "5g"})
    assert response.status_code == 400 and "technology" in response.json()


def test_services_list_every_kind(world):
    voice = VoiceService.objects.create(site=world.acme_site, voice_kind="centrex", seats=5, label="Centrex")
    client = api_client(world.n1)
    kinds = {s["kind"] for s in client.get("/api/v1/services/", {"organisation": world.acme.pk}).json()["results"]}
    assert kinds == {"access", "voice"}
    only_voice = client.get("/api/v1/services/", {"kind": "voice"}).json()["results"]
    assert [s["id"] for s in only_voice] == [voice.pk]


# --- voice services and number ranges ----------------------------------------------------------------


def test_voice_service_and_its_number_ranges(world):
    client = api_client(world.n1)
    response = client.post("/api/v1/voice-services/", {"site": world.acme_site.pk, "voice_kind": "sip_trunk",
                                                       "simultaneous_calls": 8, "label": "Trunk SIP"})
    assert response.status_code == 201, response.json()
    voice_id = response.json()["id"]
    ndi = client.post("/api/v1/number-ranges/", {"voice_service": voice_id, "kind": "ndi",
                                                  "first_number": "01 42 68 53 00", "last_number": "0142685300"})
    assert ndi.status_code == 201, ndi.json()
    sda = client.post("/api/v1/number-ranges/", {"voice_service": voice_id, "kind": "sda",
                                                  "first_number": "+33 1 42 68 53 10", "last_number": "0142685319"})
    assert sda.status_code == 201
    assert (sda.json()["first_number"], sda.json()["last_number"], sda.json()["size"]) == (
        "+33142685310", "+33142685319", 10
    )
    detail = client.get(f"/api/v1/voice-services/{voice_id}/").json()
    assert [(r["kind"], r["size"]) for r in detail["number_ranges"]] == [("ndi", 1), ("sda", 10)]
    found = client.get("/api/v1/voice-services/", {"number": "01 42 68 53 15"}).json()["results"]
    assert [v["id"] for v in found] == [voice_id]
    assert client.get("/api/v1/voice-services/", {"number": "01 42 68 53 25"}).json()["results"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"voice_kind": "sip_trunk"}, "simultaneous_calls"),
        ({"voice_kind": "fax_to_mail"}, "fax_email"),
        ({"voice_kind": "fax_to_mail", "fax_email": "pas-un-mail"}, "fax_email"),
        ({"voice_kind": "isdn"}, "voice_kind"),
    ],
)
def test_voice_service_bad_input(world, body, field):
    response = api_client(world.n1).post("/api/v1/voice-services/", {"site": world.acme_site.pk, **body})
    assert response.status_code == 400
    assert field in response.json()
    assert not VoiceService.objects.exists()


@pytest.mark.parametrize(
    ("first", "last", "kind", "field"),
    [
        ("0142685300", "0142685399", "ndi", "last_number"),  # an NDI is one number
        ("0142685399", "0142685300", "sda", "last_number"),  # decreasing
        ("0142685300", "0142695300", "sda", "last_number"),  # crosses a block of 10 000
        ("12", "0142685300", "sda", "first_number"),
        ("0142685300", "abc", "sda", "last_number"),
    ],
)
def test_number_range_bad_input(world, first, last, kind, field):
    voice = VoiceService.objects.create(site=world.acme_site, voice_kind="centrex", seats=5)
    response = api_client(world.n1).post(
        "/api/v1/number-ranges/", {"voice_service": voice.pk, "kind": kind, "first_number": first, "last_number": last}
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not NumberRange.objects.exists()


def test_number_range_update_and_move_refused(world):
    voice = VoiceService.objects.create(site=world.acme_site, voice_kind="centrex", seats=5)
    other_voice = VoiceService.objects.create(site=world.acme_site, voice_kind="centrex", seats=2)
    sda = NumberRange.objects.create(voice_service=voice, kind="sda", first_number="+33142685300",
                                     last_number="+33142685309")
    client = api_client(world.n1)
    response = client.patch(f"/api/v1/number-ranges/{sda.pk}/", {"last_number": "01 42 68 53 19"})
    assert response.status_code == 200 and response.json()["size"] == 20
    response = client.patch(f"/api/v1/number-ranges/{sda.pk}/", {"voice_service": other_voice.pk})
    assert response.status_code == 400 and "voice_service" in response.json()


# --- mobile lines ------------------------------------------------------------------------------------


def test_create_mobile_line(world):
    iccid = _iccid(1)
    response = api_client(world.n1).post("/api/v1/mobile-lines/", {
        "site": world.acme_site.pk, "msisdn": "06 12 34 56 78", "iccid": f"{iccid[:4]} {iccid[4:]}",
        "apn": "internet.pro", "roaming_enabled": True, "fleet": "Commerciaux"})
    assert response.status_code == 201, response.json()
    assert (response.json()["msisdn"], response.json()["iccid"], response.json()["kind"]) == (
        "+33612345678", iccid, "mobile"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"msisdn": "01 42 68 53 00", "iccid": "VALID"}, "msisdn"),  # a landline
        ({"msisdn": "06 12 34 56 79", "iccid": "8933101234"}, "iccid"),
        ({"msisdn": "06 12 34 56 79"}, "iccid"),  # a physical SIM needs its ICCID
        ({"msisdn": "06 12 34 56 78", "iccid": "VALID"}, "msisdn"),  # already used
    ],
)
def test_mobile_line_bad_input(world, body, field):
    MobileLine.objects.create(site=world.other_site, msisdn="+33612345678", iccid=_iccid(9))
    body = {k: (_iccid(2) if v == "VALID" else v) for k, v in body.items()}
    response = api_client(world.n1).post("/api/v1/mobile-lines/", {"site": world.acme_site.pk, **body})
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert MobileLine.objects.count() == 1


def test_esim_needs_no_iccid_and_search_finds_msisdn(world):
    client = api_client(world.n1)
    created = client.post("/api/v1/mobile-lines/", {"site": world.acme_site.pk, "msisdn": "07 58 12 34 56",
                                                    "sim_kind": "esim"})
    assert created.status_code == 201, created.json()
    found = client.get("/api/v1/mobile-lines/", {"search": "07 58 12 34 56"}).json()["results"]
    assert [m["id"] for m in found] == [created.json()["id"]]


# --- equipment ---------------------------------------------------------------------------------------


def test_create_equipment_normalises_mac(world):
    body = {"site": world.acme_site.pk, "service": world.acme_access.pk, "kind": "router", "brand": "Cisco",
            "model": "C1111", "serial_number": "FGL1234", "firmware": "17.9", "mac_address": "AABB.CCDD.EEFF",
            "management_ip": "10.0.0.1", "warranty_end": "2027-12-31", "hostname": "rt-acme"}
    response = api_client(world.n1).post("/api/v1/equipment/", body)
    assert response.status_code == 201, response.json()
    got = response.json()
    assert got["mac_address"] == "aa:bb:cc:dd:ee:ff"
    assert {k: got[k] for k in body if k != "mac_address"} == {k: v for k, v in body.items() if k != "mac_address"}
    assert got["organisation"] == world.acme.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mac_address": "zz:zz:zz:zz:zz:zz"}, "mac_address"),
        ({"mac_address": "aa:bb:cc"}, "mac_address"),
        ({"management_ip": "10.0.0.256"}, "management_ip"),
        ({"management_ip": "routeur"}, "management_ip"),
        ({"warranty_end": "31/12/2027"}, "warranty_end"),
        ({"kind": "toaster"}, "kind"),
        ({"service": "OTHER_SITE_SERVICE"}, "service"),  # a service of another site
    ],
)
def test_equipment_bad_input(world, body, field):
    other_access = t.make_access(world.other_site)
    body = {k: (other_access.pk if v == "OTHER_SITE_SERVICE" else v) for k, v in body.items()}
    full = {"site": world.acme_site.pk, "kind": "router", **body}
    before = Equipment.objects.count()
    response = api_client(world.n1).post("/api/v1/equipment/", full)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Equipment.objects.count() == before


def test_update_equipment_and_filters(world):
    client = api_client(world.n1)
    url = f"/api/v1/equipment/{world.acme_ont.pk}/"
    response = client.patch(url, {"firmware": "V5R020", "mac_address": "00-11-22-33-44-55"})
    assert response.status_code == 200
    assert (response.json()["firmware"], response.json()["mac_address"]) == ("V5R020", "00:11:22:33:44:55")
    router = t.make_equipment(world.other_site, "router", brand="Cisco")
    assert [e["id"] for e in client.get("/api/v1/equipment/", {"kind": "router"}).json()["results"]] == [router.pk]
    assert [e["id"] for e in client.get("/api/v1/equipment/", {"search": "00:11:22"}).json()["results"]] == [
        world.acme_ont.pk
    ]
    by_service = client.get("/api/v1/equipment/", {"service": world.acme_access.pk}).json()["results"]
    assert [e["id"] for e in by_service] == [world.acme_ont.pk]

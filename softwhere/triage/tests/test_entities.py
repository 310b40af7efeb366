"""Fact extraction on the writings agents really receive."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from softwhere.core.testing import make_siret
from softwhere.triage.services.entities import (
    extract,
    extract_carriers,
    extract_equipment,
    extract_ips,
    extract_leds,
    extract_macs,
    extract_phones,
    extract_ranges,
    extract_sirets,
    extract_ticket_refs,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2025, 3, 14, 10, 30, tzinfo=PARIS)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rappeler au 01 23 45 67 89", "+33123456789"),
        ("tel 01.23.45.67.89", "+33123456789"),
        ("tel 01-23-45-67-89", "+33123456789"),
        ("tel 0123456789", "+33123456789"),
        ("portable +33 6 12 34 56 78", "+33612345678"),
        ("portable +33612345678", "+33612345678"),
        ("depuis l'étranger 0033 6 12 34 56 78", "+33612345678"),
        ("standard +33 (0)1 42 68 53 00", "+33142685300"),
        ("ligne 09.70.12.34.56 !", "+33970123456"),
    ],
)
def test_french_phone_writings_become_e164(text: str, expected: str) -> None:
    assert extract_phones(text) == [expected]


def test_phones_reject_invalid_and_embedded_digits() -> None:
    assert extract_phones("numéro 00 00 00 00 00") == []
    # A SIRET or an ICCID is not a phone number.
    assert extract_phones("SIRET 73282932000074, ICCID 8933150319003512345") == []


@pytest.mark.parametrize(
    ("text", "start", "end", "count"),
    [
        ("SDA 01 23 45 67 00 à 09", "+33123456700", "+33123456709", 10),
        ("plage 0123456700-0123456709", "+33123456700", "+33123456709", 10),
        ("du 01 45 00 00 10 au 01 45 00 00 49", "+33145000010", "+33145000049", 40),
        ("NDI 04.78.00.11.00 à 04.78.00.11.99", "+33478001100", "+33478001199", 100),
        ("numéros 05 61 22 33 40 a 49", "+33561223340", "+33561223349", 10),
    ],
)
def test_number_ranges(text: str, start: str, end: str, count: int) -> None:
    ranges, _ = extract_ranges(text)
    assert [(r["start"], r["end"], r["count"]) for r in ranges] == [(start, end, count)]


def test_range_numbers_are_not_repeated_as_single_phones() -> None:
    facts = extract("SDA 01 23 45 67 00 à 09, rappeler le 06 12 34 56 78", now=NOW)
    assert facts["phones"] == ["+33612345678"]
    assert len(facts["number_ranges"]) == 1


def test_reversed_range_is_ignored() -> None:
    assert extract_ranges("01 23 45 67 50 à 10")[0] == []


def test_ipv4_and_ipv6_are_validated() -> None:
    ips = extract_ips("LAN 192.168.1.254, WAN 82.64.12.34/29, faux 999.1.1.1, v6 2001:db8::1 et fe80::1/64")
    assert ips["ipv4"] == ["192.168.1.254", "82.64.12.34/29"]
    assert ips["ipv6"] == ["2001:db8::1", "fe80::1/64"]


def test_ip_lookalikes_are_not_ips() -> None:
    ips = extract_ips("tel 01.23.45.67.89, firmware version 3.2.5.1, heure 14:30:00, MAC aa:bb:cc:dd:ee:ff")
    assert ips == {"ipv4": [], "ipv6": []}


@pytest.mark.parametrize(
    "text",
    [
        "MAC 00:15:65:AB:CD:EF",
        "MAC 00-15-65-ab-cd-ef",
        "MAC 0015.65ab.cdef",
        "MAC 001565ABCDEF",
        "poste 001565abcdef à provisionner",
    ],
)
def test_mac_with_and_without_separators(text: str) -> None:
    assert extract_macs(text) == ["00:15:65:ab:cd:ef"]


def test_bare_twelve_digits_need_the_word_mac() -> None:
    assert extract_macs("commande 001565123456") == []
    assert extract_macs("adresse MAC : 001565123456") == ["00:15:65:12:34:56"]


def test_only_valid_sirets_are_kept() -> None:
    valid = make_siret(42)
    spaced = f"{valid[:3]} {valid[3:6]} {valid[6:9]} {valid[9:]}"
    invalid = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert extract_sirets(f"SIRET {spaced}, ancien {invalid}") == [valid]


def test_ticket_references_ours_and_carriers() -> None:
    refs = extract_ticket_refs(
        "Suite ticket 2505057242, ticket Orange FT-12345678 ouvert, INC0012345 chez Orange, ticket SFR n° 87654321"
    )
    assert {"reference": "2505057242", "issuer": "softwhere"} in refs
    assert {"reference": "FT-12345678", "issuer": "Orange"} in refs
    assert {"reference": "87654321", "issuer": "SFR"} in refs
    assert any(r["reference"] == "INC0012345" for r in refs)
    # A phone number is never taken for one of our references.
    assert extract_ticket_refs("rappeler le 0612345678") == []


def test_carriers_and_the_colour_orange() -> None:
    assert extract_carriers("fibre Orange livrée par Kosc, collecte Axione, backup Bouygues") == [
        "Orange",
        "Bouygues Telecom",
        "Kosc",
        "Axione",
    ]
    assert extract_carriers("le voyant orange clignote, LED orange fixe") == []
    assert extract_carriers("ligne SFR Business et freebox pro") == ["SFR", "Free"]


def test_equipment_brands_and_models() -> None:
    found = extract_equipment(
        "Poste Yealink T46U, pare-feu Fortigate 60F, IPBX 3CX, ONT Huawei HG8245H, RAD ETX-2, Stormshield SN210"
    )
    pairs = {(e["brand"], e["model"], e["kind"]) for e in found}
    assert ("Yealink", "T46U", "ip_phone") in pairs
    assert ("Fortinet", "60F", "firewall") in pairs
    assert ("3CX", None, "ipbx") in pairs
    assert ("Huawei", "HG8245H", "ont") in pairs
    assert ("RAD", "ETX-2", "nte") in pairs
    assert ("Stormshield", "SN210", "firewall") in pairs


def test_led_mentions_with_colour_and_state() -> None:
    leds = extract_leds("Voyant PON rouge, LOS clignotant, LAN éteint, la box clignote rouge")
    states = {(led["led"], led["device"], led["state"]) for led in leds}
    assert ("pon", "ont", "rouge_fixe") in states
    assert ("los", "ont", "clignotant") in states
    assert ("lan", None, "eteint") in states
    assert (None, "router", "rouge_clignotant") in states


def test_led_blinking_red_either_order() -> None:
    assert extract_leds("LOS rouge clignotant")[0]["state"] == "rouge_clignotant"
    assert extract_leds("le voyant los clignote en rouge")[0]["state"] == "rouge_clignotant"


@pytest.mark.parametrize(
    ("text", "at", "precision"),
    [
        ("plus de net depuis ce matin 9h", "2025-03-14T09:00:00+01:00", "minute"),
        ("ça coupe depuis ce matin", "2025-03-14T08:00:00+01:00", "part_of_day"),
        ("coupure hier soir", "2025-03-13T19:00:00+01:00", "part_of_day"),
        ("panne lundi 14h30", "2025-03-10T14:30:00+01:00", "minute"),
        ("depuis le 12/03", "2025-03-12T00:00:00+01:00", "day"),
        ("depuis 10h", "2025-03-14T10:00:00+01:00", "minute"),
        ("depuis 11h", "2025-03-13T11:00:00+01:00", "minute"),  # not yet 11h today: yesterday's
        ("avant-hier vers 16h15", "2025-03-12T16:15:00+01:00", "minute"),
        ("rdv mardi prochain", "2025-03-18T00:00:00+01:00", "day"),
        ("il y a 2 heures", "2025-03-14T08:30:00+01:00", "hour"),
        ("facture du 20/09", "2024-09-20T00:00:00+02:00", "day"),  # six months ahead means last year
    ],
)
def test_times_resolved_in_paris_against_the_message_time(text: str, at: str, precision: str) -> None:
    times = extract(text, now=NOW)["times"]
    assert [(t["at"], t["precision"]) for t in times] == [(at, precision)]


def test_times_need_an_aware_message_time() -> None:
    with pytest.raises(ValueError):
        extract("hier", now=datetime(2025, 3, 14, 10, 30))  # noqa: DTZ001 - the point of the test


def test_extract_returns_every_key_even_when_empty() -> None:
    assert extract("bonjour", now=NOW) == {
        "phones": [],
        "number_ranges": [],
        "ipv4": [],
        "ipv6": [],
        "macs": [],
        "sirets": [],
        "ticket_refs": [],
        "carriers": [],
        "equipment": [],
        "leds": [],
        "times": [],
    }

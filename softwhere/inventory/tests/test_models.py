"""Inventory rules enforced by clean(): GTR only on SDSL/fibre, SDSL pairs, number ranges, SIM data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from softwhere.core import testing as t
from softwhere.inventory.models import Equipment, MobileLine, NumberRange, VoiceService


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("technology", "pairs", "gtr", "error_field"),
    [
        ("sdsl", 3, "standard", "pairs"),
        ("sdsl", 4, "extended", None),
        ("fibre", None, "extended", None),
        ("adsl", None, "standard", "gtr_option"),
        ("backup_4g", None, "extended", "gtr_option"),
        ("adsl", 2, "none", "pairs"),
    ],
)
def test_access_rules(world: Any, technology: str, pairs: int | None, gtr: str, error_field: str | None) -> None:
    if error_field is None:
        access = t.make_access(world.acme_site, technology, pairs=pairs, gtr_option=gtr)
        assert access.kind == "access"
    else:
        with pytest.raises(ValidationError) as exc:
            t.make_access(world.acme_site, technology, pairs=pairs, gtr_option=gtr)
        assert error_field in exc.value.message_dict


@pytest.mark.django_db
def test_number_ranges(world: Any) -> None:
    trunk = VoiceService(site=world.acme_site, voice_kind="sip_trunk", simultaneous_calls=10, label="Trunk")
    trunk.full_clean()
    trunk.save()
    sda = NumberRange(voice_service=trunk, kind="sda", first_number="01 42 68 53 00", last_number="01 42 68 53 99")
    sda.full_clean()
    assert (sda.first_number, sda.last_number, sda.size) == ("+33142685300", "+33142685399", 100)
    with pytest.raises(ValidationError):
        NumberRange(voice_service=trunk, kind="sda", first_number="0142685399", last_number="0142685300").full_clean()
    with pytest.raises(ValidationError):
        NumberRange(voice_service=trunk, kind="ndi", first_number="0142685300", last_number="0142685301").full_clean()
    with pytest.raises(ValidationError) as exc:
        VoiceService(site=world.acme_site, voice_kind="sip_trunk").full_clean()
    assert "simultaneous_calls" in exc.value.message_dict


@pytest.mark.django_db
def test_mobile_line_requires_mobile_number_and_iccid(world: Any) -> None:
    line = MobileLine(site=world.acme_site, msisdn="06 12 34 56 78", iccid="89331501234567890126", apn="orange.fr")
    line.full_clean()
    assert line.msisdn == "+33612345678"
    with pytest.raises(ValidationError) as exc:
        MobileLine(site=world.acme_site, msisdn="01 42 68 53 00").full_clean()
    assert {"msisdn", "iccid"} <= set(exc.value.message_dict)
    esim = MobileLine(site=world.acme_site, msisdn="07 81 23 45 67", sim_kind="esim")
    esim.full_clean()


@pytest.mark.django_db
def test_equipment_mac_ip_and_site(world: Any) -> None:
    eq = Equipment(site=world.acme_site, kind="ip_phone", mac_address="001A.2B3C.4D5E", management_ip="10.1.2.3")
    eq.full_clean()
    assert eq.mac_address == "00:1a:2b:3c:4d:5e"
    with pytest.raises(ValidationError) as exc:
        Equipment(site=world.acme_site, kind="router", mac_address="zz", management_ip="10.1.2.300").full_clean()
    assert {"mac_address", "management_ip"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        Equipment(site=world.other_site, kind="ont", service=world.acme_access).full_clean()
    assert "service" in exc.value.message_dict

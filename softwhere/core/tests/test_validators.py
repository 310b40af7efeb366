"""Identifier normalisation shared by models, forms and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from softwhere.core import validators as v


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("732 829 320 00074", "73282932000074"),
        ("73282932000074", "73282932000074"),
        ("356 000 000 00048", "35600000000048"),  # La Poste: SIRET key exception handled by python-stdnum
    ],
)
def test_siret_valid(raw: str, expected: str) -> None:
    assert v.normalize_siret(raw) == expected


@pytest.mark.parametrize("raw", ["73282932000075", "1234", "ABCDEFGHIJKLMN", ""])
def test_siret_invalid(raw: str) -> None:
    with pytest.raises(ValidationError):
        v.normalize_siret(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01 42 68 53 00", "+33142685300"),
        ("01.42.68.53.00", "+33142685300"),
        ("+33 1 42 68 53 00", "+33142685300"),
        ("0033142685300", "+33142685300"),
        ("06-12-34-56-78", "+33612345678"),
        ("+32 2 555 12 12", "+3225551212"),
    ],
)
def test_phone_to_e164(raw: str, expected: str) -> None:
    assert v.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["01 42", "12345678901234", "téléphone", "+33 0 00 00 00 00"])
def test_phone_invalid(raw: str) -> None:
    with pytest.raises(ValidationError):
        v.normalize_phone(raw)


def test_mobile_must_be_mobile() -> None:
    assert v.normalize_mobile("07 81 23 45 67") == "+33781234567"
    with pytest.raises(ValidationError):
        v.normalize_mobile("01 42 68 53 00")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00:1A:2B:3C:4D:5E", "00:1a:2b:3c:4d:5e"),
        ("00-1a-2b-3c-4d-5e", "00:1a:2b:3c:4d:5e"),
        ("001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"),
        ("001A2B3C4D5E", "00:1a:2b:3c:4d:5e"),
    ],
)
def test_mac_normalised(raw: str, expected: str) -> None:
    assert v.normalize_mac(raw) == expected


@pytest.mark.parametrize("raw", ["00:1A:2B:3C:4D", "00:1A:2B:3C:4D:5G", "xx"])
def test_mac_invalid(raw: str) -> None:
    with pytest.raises(ValidationError):
        v.normalize_mac(raw)


def test_iccid() -> None:
    assert v.normalize_iccid("8933 1501 2345 6789 0126") == "89331501234567890126"
    with pytest.raises(ValidationError):
        v.normalize_iccid("89331501234567890128")  # bad Luhn key
    with pytest.raises(ValidationError):
        v.normalize_iccid("1234")


def test_address_normalisation() -> None:
    assert v.normalize_address_line("12, rue de l’Église") == "12 RUE DE L EGLISE"
    assert v.normalize_city("Saint-Étienne") == "SAINT ETIENNE"
    assert v.normalize_postal_code("75 002") == "75002"
    for bad in ("7500", "00100", "99000"):
        with pytest.raises(ValidationError):
            v.normalize_postal_code(bad)
    with pytest.raises(ValidationError):
        v.normalize_address_line("x" * 39)

"""Builders for tests and the demo dataset: valid objects with as few arguments as possible."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from stdnum import luhn

from softwhere.accounts.choices import Role
from softwhere.accounts.models import User
from softwhere.customers.choices import OrganisationKind
from softwhere.customers.models import Contact, Organisation, Site
from softwhere.inventory.choices import AccessTechnology, EquipmentKind, GtrOption
from softwhere.inventory.models import Access, Equipment

_counter = itertools.count(1)


def make_siret(seed: int | None = None) -> str:
    """A valid SIRET derived from ``seed``: Luhn-valid SIREN, then Luhn over all 14 digits."""
    n = next(_counter) if seed is None else seed
    siren8 = f"{(n * 7919 + 10_000_000) % 10**8:08d}"
    siren = siren8 + luhn.calc_check_digit(siren8)
    body = f"{siren}{n % 10000:04d}"
    return body + luhn.calc_check_digit(body)


def make_organisation(name: str | None = None, kind: str = OrganisationKind.CLIENT, **kw: Any) -> Organisation:
    n = next(_counter)
    org = Organisation(
        name=name or f"Entreprise {n}",
        kind=kind,
        siret=kw.pop("siret", make_siret(n + 1000)),
        address_line1=kw.pop("address_line1", f"{n} rue de la Paix"),
        postal_code=kw.pop("postal_code", "75002"),
        city=kw.pop("city", "Paris"),
        **kw,
    )
    org.full_clean()
    org.save()
    return org


def make_site(organisation: Organisation, name: str | None = None, **kw: Any) -> Site:
    n = next(_counter)
    site = Site(
        organisation=organisation,
        name=name or f"Site {n}",
        address_line1=kw.pop("address_line1", f"{n} avenue Jean Jaurès"),
        postal_code=kw.pop("postal_code", "69007"),
        city=kw.pop("city", "Lyon"),
        **kw,
    )
    site.full_clean()
    site.save()
    return site


def make_contact(organisation: Organisation, **kw: Any) -> Contact:
    n = next(_counter)
    contact = Contact(
        organisation=organisation,
        last_name=kw.pop("last_name", f"Dupont{n}"),
        first_name=kw.pop("first_name", "Claire"),
        email=kw.pop("email", f"contact{n}@example.fr"),
        phone=kw.pop("phone", "01 42 68 53 00"),
        roles=kw.pop("roles", ["technique"]),
        **kw,
    )
    contact.full_clean()
    contact.save()
    return contact


def make_access(site: Site, technology: str = AccessTechnology.FIBRE, **kw: Any) -> Access:
    n = next(_counter)
    access = Access(
        site=site,
        technology=technology,
        label=kw.pop("label", f"{AccessTechnology(technology).label} {site.name}"),
        carrier=kw.pop("carrier", "Orange"),
        carrier_reference=kw.pop("carrier_reference", f"0050VK{n:04d}"),
        gtr_option=kw.pop("gtr_option", GtrOption.STANDARD if technology in ("fibre", "sdsl") else GtrOption.NONE),
        pairs=kw.pop("pairs", 2 if technology == AccessTechnology.SDSL else None),
        monthly_fee=kw.pop("monthly_fee", Decimal("250.00")),
        **kw,
    )
    access.full_clean()
    access.save()
    return access


def make_equipment(site: Site, kind: str = EquipmentKind.ONT, **kw: Any) -> Equipment:
    n = next(_counter)
    eq = Equipment(
        site=site,
        kind=kind,
        brand=kw.pop("brand", "Huawei"),
        model=kw.pop("model", "HG8245H"),
        serial_number=kw.pop("serial_number", f"SN{n:08d}"),
        **kw,
    )
    eq.full_clean()
    eq.save()
    return eq


def make_user(role: str = Role.N1, organisation: Organisation | None = None, username: str | None = None) -> User:
    n = next(_counter)
    return User.objects.create_user(
        username=username or f"{role}{n}",
        password="motdepasse-Test-1",
        role=role,
        organisation=organisation,
        first_name=role.upper(),
        last_name=f"Agent{n}",
        email=f"{role}{n}@softwhere.example",
    )

"""Shared fixtures: one client company with a site, a partner with its own client, and a user per role."""

from __future__ import annotations

import ipaddress
import socket
from types import SimpleNamespace
from typing import Any

import pytest

from softwhere.accounts.choices import Role
from softwhere.core import testing as t
from softwhere.customers.choices import OrganisationKind

_real_connect = socket.socket.connect


def _loopback(host: Any) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        raise RuntimeError(f"network access is blocked in tests (tried {address[0]!r}); use a fake")
    _real_connect(self, address)


def pytest_configure(config: pytest.Config) -> None:
    """Tests never need the network: only loopback (PostgreSQL, Redis, live server) may be reached."""
    socket.socket.connect = _guarded_connect  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """PBKDF2's 1M iterations would dominate the suite; hashing strength is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    operator = t.make_organisation("SoftWhere", kind=OrganisationKind.OPERATOR)
    partner = t.make_organisation("Intégrateur Sud", kind=OrganisationKind.PARTNER)
    acme = t.make_organisation("ACME Industries")
    partner_client = t.make_organisation("Boulangerie Martin", partner=partner)
    other = t.make_organisation("Autre Société")
    acme_site = t.make_site(acme, "Siège ACME")
    acme_access = t.make_access(acme_site)
    acme_ont = t.make_equipment(acme_site, service=acme_access)
    partner_site = t.make_site(partner_client, "Boutique")
    other_site = t.make_site(other, "Entrepôt")
    return SimpleNamespace(
        operator=operator,
        partner=partner,
        acme=acme,
        partner_client=partner_client,
        other=other,
        acme_site=acme_site,
        acme_access=acme_access,
        acme_ont=acme_ont,
        acme_contact=t.make_contact(acme, site=acme_site),
        partner_site=partner_site,
        other_site=other_site,
        n1=t.make_user(Role.N1, operator, "n1"),
        n2=t.make_user(Role.N2, operator, "n2"),
        supervisor=t.make_user(Role.SUPERVISOR, operator, "superviseur"),
        adv=t.make_user(Role.ADV, operator, "adv"),
        admin=t.make_user(Role.ADMIN, operator, "admin"),
        partner_user=t.make_user(Role.PARTNER, partner, "partenaire"),
        client_user=t.make_user(Role.CLIENT, acme, "client"),
        other_client_user=t.make_user(Role.CLIENT, other, "autreclient"),
    )

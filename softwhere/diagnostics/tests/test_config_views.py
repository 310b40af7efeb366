"""The SSH access pages of the desk: administrators only, secrets never shown back, every change audited."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.core.models import AuditEntry
from softwhere.diagnostics import actions
from softwhere.diagnostics.models import Bastion, DeviceCredential, KnownHost

pytestmark = pytest.mark.django_db
SECRET = "Tres-Secret-Rebond-2026!"
KEY = "ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519" + b"k" * 32).decode()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_are_for_administrators_only(world: SimpleNamespace) -> None:
    for user in (world.n2, world.supervisor, world.adv, world.client_user):
        assert _client(user).get(reverse("diagnostics:access")).status_code == 403
        assert _client(user).post(reverse("diagnostics:credential_create"), {"name": "x"}).status_code == 403
    assert DeviceCredential.objects.count() == 0
    page = _client(world.admin).get(reverse("diagnostics:access")).content.decode()
    assert "RAD ETX" in page and "show configure reporting alarm-log" in page and "admin reboot" in page


def test_credential_secret_is_stored_encrypted_and_never_shown(world: SimpleNamespace) -> None:
    client = _client(world.admin)
    response = client.post(
        reverse("diagnostics:credential_create"),
        {"name": "rebond", "username": "jmartial", "kind": "password", "secret": SECRET},
    )
    assert response.status_code == 302
    cred = DeviceCredential.objects.get()
    assert cred.reveal() == SECRET and SECRET not in cred.secret_token
    edit = client.get(reverse("diagnostics:credential", args=[cred.pk])).content.decode()
    listing = client.get(reverse("diagnostics:access")).content.decode()
    assert SECRET not in edit and SECRET not in listing and "jmartial" in edit
    # Renaming without typing a secret keeps the stored one.
    client.post(
        reverse("diagnostics:credential", args=[cred.pk]),
        {"name": "rebond-lyon", "username": "jmartial", "kind": "password", "secret": ""},
    )
    cred.refresh_from_db()
    assert cred.name == "rebond-lyon" and cred.reveal() == SECRET
    audits = AuditEntry.objects.filter(action__startswith="credential.")
    assert audits.count() == 2 and all(SECRET not in str(a.changes) for a in audits)
    # A new credential needs a secret.
    refused = client.post(
        reverse("diagnostics:credential_create"), {"name": "vide", "username": "u", "kind": "password", "secret": ""}
    )
    assert refused.status_code == 200 and "Secret obligatoire." in refused.content.decode()


def test_bastion_and_known_hosts(world: SimpleNamespace) -> None:
    client = _client(world.admin)
    cred = actions.save_credential(actor=world.admin, name="rebond", username="u", secret=SECRET)
    response = client.post(
        reverse("diagnostics:bastion_create"),
        {
            "name": "oc4rebond1",
            "host": "10.0.0.5",
            "port": "22",
            "credential": cred.pk,
            "is_default": "on",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    bastion = Bastion.objects.get()
    assert bastion.is_default and bastion.enabled and bastion.credential == cred
    bad = client.post(
        reverse("diagnostics:known_host_create"), {"host": "10.0.0.5", "port": "22", "public_key": "n'importe quoi"}
    )
    assert bad.status_code == 200 and "Clé publique invalide" in bad.content.decode()
    assert KnownHost.objects.count() == 0
    client.post(reverse("diagnostics:known_host_create"), {"host": "10.0.0.5", "port": "22", "public_key": KEY})
    kh = KnownHost.objects.get()
    assert kh.fingerprint.startswith("SHA256:") and kh.added_by == world.admin
    assert kh.fingerprint in client.get(reverse("diagnostics:access")).content.decode()
    assert client.get(reverse("diagnostics:known_host_remove", args=[kh.pk])).status_code == 405
    client.post(reverse("diagnostics:known_host_remove", args=[kh.pk]))
    assert not KnownHost.objects.exists()
    assert AuditEntry.objects.filter(action="known_host.removed").count() == 1

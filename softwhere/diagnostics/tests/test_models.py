"""Service sheets, the secret store, known hosts and their audit."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.db import connection

from softwhere.core import testing as t
from softwhere.core.models import AuditEntry
from softwhere.diagnostics import actions, crypto
from softwhere.diagnostics.choices import Topology
from softwhere.diagnostics.models import DeviceCredential, KnownHost, ServiceSheet, fingerprint_of
from softwhere.inventory.choices import EquipmentKind
from softwhere.tickets.transitions import TicketError

pytestmark = pytest.mark.django_db

SECRET = "Mot-de-passe-Routeur-2025!"


def _raw_token(cred: DeviceCredential) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_token FROM diagnostics_devicecredential WHERE id = %s", [cred.pk])
        return str(cursor.fetchone()[0])


def test_secret_is_encrypted_at_rest_and_never_in_the_audit(world: SimpleNamespace) -> None:
    cred = actions.save_credential(actor=world.admin, name="routeurs", username="jmartial", secret=SECRET)
    stored = _raw_token(cred)
    assert SECRET not in stored and stored.startswith("gAAAAA")  # a Fernet token
    assert DeviceCredential.objects.get(pk=cred.pk).reveal() == SECRET
    assert SECRET not in str(cred) and SECRET not in repr(cred)
    for entry in AuditEntry.objects.all():
        assert SECRET not in str(entry.changes)
    # Keeping the secret: omit it; an empty one is refused.
    same = actions.save_credential(actor=world.admin, credential=cred, name="routeurs", username="admin2")
    assert same.reveal() == SECRET and same.username == "admin2"
    with pytest.raises(ValidationError):
        actions.save_credential(actor=world.admin, credential=cred, name="routeurs", username="x", secret="")


def test_key_comes_from_the_environment(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    cred = actions.save_credential(actor=world.admin, name="routeurs", username="u", secret=SECRET)
    # Another SECRET_KEY derives another key: the stored secret is unreadable, not silently wrong.
    settings.SECRET_KEY = "another-secret-key-" * 4  # type: ignore[attr-defined]
    with pytest.raises(crypto.SecretUnavailable):
        cred.reveal()
    # An explicit key list (rotation: new key first, old key still reads).
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv("SOFTWHERE_CREDENTIALS_KEYS", new_key)
    token = crypto.encrypt("x")
    assert Fernet(new_key.encode()).decrypt(token.encode()) == b"x"


def test_only_supervisors_and_admins_manage_ssh_access(world: SimpleNamespace) -> None:
    with pytest.raises(TicketError):
        actions.save_credential(actor=world.n1, name="x", username="u", secret="s3cret")
    with pytest.raises(TicketError):
        actions.add_known_host(actor=world.n2, host="10.0.0.1", public_key="ssh-ed25519 AAAA")


def test_known_host_fingerprint_and_replacement(world: SimpleNamespace) -> None:
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl rad@etx"
    kind, fp = fingerprint_of(key)
    assert kind == "ssh-ed25519" and fp.startswith("SHA256:") and not fp.endswith("=")
    kh = actions.add_known_host(actor=world.admin, host="10.47.1.1", public_key=key, comment="site 1")
    assert kh.public_key == key.rsplit(" ", 1)[0] and kh.fingerprint == fp
    assert kh.known_hosts_line() == f"10.47.1.1 {kh.public_key}"
    other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBqCq9gPc6Nmwbe1F52m7vhDL1y8ahCsbSKXs6BgpxHN"
    actions.add_known_host(actor=world.admin, host="10.47.1.1", public_key=other)
    assert KnownHost.objects.filter(host="10.47.1.1").count() == 1
    assert AuditEntry.objects.filter(action="known_host.replaced").exists()
    with pytest.raises(ValidationError):
        actions.add_known_host(actor=world.admin, host="10.47.1.1", public_key="ssh-ed25519 !!notbase64!!")


def _router(world: SimpleNamespace, site: object = None) -> object:
    return t.make_equipment(site or world.acme_site, kind=EquipmentKind.ROUTER, brand="RAD", model="ETX-203AM")


def test_service_sheet_fields_of_the_scribe_page(world: SimpleNamespace) -> None:
    router = _router(world)
    sheet = actions.save_service_sheet(
        router,
        actor=world.n1,
        hostname="RTE-INU_CONF5_EVPN_LA1-CD0HGFUXC7",
        admin_ip="192.168.1.1",
        topology=Topology.POINT_TO_POINT,
        software_version="6.5.1(0.24)",
        access_bandwidth_mbps=1000,
        connection_node="GREJ2",
        connection_port="ae16",
        gateway_ip="10.0.3.13",
        management_vlan=4001,
        carrier_reference="0050VJ33",
        service_reference="CD0HGFUXC7",
        access=world.acme_access,
    )
    assert router.service_sheet == sheet  # type: ignore[attr-defined]
    audit = AuditEntry.objects.get(action="service_sheet.created")
    assert audit.changes["management_vlan"] == [None, "4001"]
    # Editing keeps one sheet per equipment.
    actions.save_service_sheet(router, actor=world.n1, software_version="6.6.0")
    assert ServiceSheet.objects.get(equipment=router).software_version == "6.6.0"


@pytest.mark.parametrize(
    ("field", "value"),
    [("management_vlan", 4095), ("device_timezone", "Mars/Olympus"), ("admin_ip", "10.0.0.999"), ("ssh_port", 0)],
)
def test_service_sheet_validation(world: SimpleNamespace, field: str, value: object) -> None:
    fields = {"admin_ip": "10.0.0.1", field: value}
    with pytest.raises(ValidationError) as err:
        actions.save_service_sheet(_router(world), actor=world.n1, **fields)  # type: ignore[arg-type]
    assert field in err.value.message_dict


def test_access_of_another_customer_is_refused(world: SimpleNamespace) -> None:
    foreign = t.make_access(world.other_site)
    with pytest.raises(ValidationError) as err:
        actions.save_service_sheet(_router(world), actor=world.n1, admin_ip="10.0.0.1", access=foreign)
    assert "access" in err.value.message_dict


def test_point_to_point_peers(world: SimpleNamespace) -> None:
    site_b = t.make_site(world.acme, "Site B")
    a = actions.save_service_sheet(_router(world), actor=world.n1, admin_ip="10.0.0.1", service_reference="CD0X")
    b = actions.save_service_sheet(
        _router(world, site_b), actor=world.n1, admin_ip="10.0.0.2", service_reference="CD0X"
    )
    assert list(a.peers()) == [b] and list(b.peers()) == [a]
    with pytest.raises(ValidationError) as err:
        actions.save_service_sheet(_router(world), actor=world.n1, admin_ip="10.0.0.3", service_reference="CD0X")
    assert "service_reference" in err.value.message_dict
    lonely = actions.save_service_sheet(_router(world), actor=world.n1, admin_ip="10.0.0.4")
    assert not lonely.peers().exists()


def test_sheet_scoping_follows_the_equipment(world: SimpleNamespace) -> None:
    actions.save_service_sheet(_router(world), actor=world.n1, admin_ip="10.0.0.1")
    assert ServiceSheet.objects.visible_to(world.client_user).count() == 1
    assert ServiceSheet.objects.visible_to(world.other_client_user).count() == 0

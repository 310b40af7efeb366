"""Fixtures of the diagnostics tests: real SSH peers on loopback and a two-site point-to-point service."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from softwhere.accounts.choices import Role
from softwhere.core import testing as t
from softwhere.diagnostics import actions
from softwhere.diagnostics.choices import Topology, Vendor
from softwhere.diagnostics.models import KnownHost, ServiceSheet
from softwhere.inventory.choices import EquipmentKind

from .sshd import FakeBastion, FakeDevice, LoopThread

DATA = Path(__file__).parent / "data"
DEVICE_PASSWORD = "Rte-Device-Secret-42!"
BASTION_PASSWORD = "Rebond-Bastion-Secret-99?"


@pytest.fixture(scope="session")
def sshd_loop() -> Iterator[LoopThread]:
    loop = LoopThread()
    yield loop
    loop.stop()


@pytest.fixture(autouse=True)
def _short_timeouts(settings: Any) -> None:
    """Faults must end within the configured timeouts: keep them short so a hang fails fast."""
    settings.DIAGNOSTICS_CONNECT_TIMEOUT = 2
    settings.DIAGNOSTICS_LOGIN_TIMEOUT = 2
    settings.DIAGNOSTICS_COMMAND_TIMEOUT = 3
    settings.DIAGNOSTICS_PING_COUNT = 3
    settings.DIAGNOSTICS_PING_WAIT = 1


@pytest.fixture
def make_device(sshd_loop: LoopThread) -> Iterator[Callable[..., FakeDevice]]:
    started: list[FakeDevice] = []

    def factory(**kw: Any) -> FakeDevice:
        kw.setdefault("username", "jmartial")
        kw.setdefault("password", DEVICE_PASSWORD)
        device = FakeDevice(**kw)
        sshd_loop.run(device.start())
        started.append(device)
        return device

    yield factory
    for device in started:
        sshd_loop.run(device.stop())


@pytest.fixture
def fake_bastion(sshd_loop: LoopThread) -> Iterator[FakeBastion]:
    bastion = FakeBastion(username="jmartial", password=BASTION_PASSWORD)
    sshd_loop.run(bastion.start())
    yield bastion
    sshd_loop.run(bastion.stop())


@pytest.fixture
def p2p(world: SimpleNamespace, make_device: Callable[..., FakeDevice], fake_bastion: FakeBastion) -> SimpleNamespace:
    """Seed 004's RTE case: a point-to-point between two sites, each with an ETX-203AM, through a bastion."""
    site_a, site_b = world.acme_site, t.make_site(world.acme, "INU_MOIRA_EVPN_LA1", city="Moirans", postal_code="38430")
    access_a, access_b = t.make_access(site_a), t.make_access(site_b)
    router_a = t.make_equipment(site_a, kind=EquipmentKind.ROUTER, brand="RAD", model="ETX-203AM", service=access_a)
    router_b = t.make_equipment(site_b, kind=EquipmentKind.ROUTER, brand="RAD", model="ETX-203AM", service=access_b)
    dev_a = make_device(hostname="RTE-INU_C0", alarm_log=(DATA / "rad_etx_site1_alarm_log.txt").read_text())
    dev_b = make_device(hostname="RTE-MOIRA", alarm_log=(DATA / "rad_etx_site2_alarm_log.txt").read_text())
    admin = world.admin
    device_cred = actions.save_credential(actor=admin, name="routeurs RTE", username="jmartial", secret=DEVICE_PASSWORD)
    bastion_cred = actions.save_credential(actor=admin, name="rebond", username="jmartial", secret=BASTION_PASSWORD)
    bastion = actions.save_bastion(
        actor=admin,
        name="oc4rebond1",
        host="127.0.0.1",
        port=fake_bastion.port,
        credential=bastion_cred,
        is_default=True,
    )
    for host, port, key in (
        ("127.0.0.1", fake_bastion.port, fake_bastion.public_key()),
        ("127.0.0.1", dev_a.port, dev_a.public_key()),
        ("127.0.0.1", dev_b.port, dev_b.public_key()),
    ):
        actions.add_known_host(actor=admin, host=host, port=port, public_key=key)
    common = {
        "service_reference": "CD0HGFUXC7",
        "vendor": Vendor.RAD_ETX,
        "device_model": "ETX203AM",
        "admin_ip": "127.0.0.1",
        "topology": Topology.POINT_TO_POINT,
        "software_version": "6.5.1(0.24)",
        "hardware_version": "3.01A14",
        "access_bandwidth_mbps": 1000,
        "connection_node": "GREJ2",
        "connection_port": "ae16",
        "nni_port": "1",
        "gateway_ip": "10.0.3.13",
        "management_vlan": 4001,
        "credential": device_cred,
    }
    sheet_a = actions.save_service_sheet(
        router_a,
        actor=admin,
        hostname="RTE-INU_CONF5_EVPN_LA1-CD0HGFUXC7",
        ssh_port=dev_a.port,
        access=access_a,
        carrier_reference="0050VJ33",
        snmp_location="RTE_INU_CONF5_EVPN_L",
        **common,
    )
    sheet_b = actions.save_service_sheet(
        router_b,
        actor=admin,
        hostname="RTE-INU_MOIRA_EVPN_LA1-CD0HGFUXC7",
        ssh_port=dev_b.port,
        access=access_b,
        carrier_reference="0050VKF3",
        **common,
    )
    reporter = t.make_contact(world.acme, last_name="SIBUT", first_name="Jean-Baptiste", email="jb.sibut@example.fr")
    return SimpleNamespace(
        site_a=site_a,
        site_b=site_b,
        router_a=router_a,
        router_b=router_b,
        dev_a=dev_a,
        dev_b=dev_b,
        sheet_a=sheet_a,
        sheet_b=sheet_b,
        bastion=bastion,
        fake_bastion=fake_bastion,
        device_cred=device_cred,
        bastion_cred=bastion_cred,
        reporter=reporter,
    )


def make_ticket(world: SimpleNamespace, p2p: SimpleNamespace, **kw: Any) -> Any:
    """A ticket on site A naming only router A: the peer is found through the service sheet."""
    from softwhere.tickets import actions as ticket_actions
    from softwhere.tickets.choices import ServiceState

    return ticket_actions.create_ticket(
        actor=world.n1,
        organisation=world.acme,
        site=p2p.site_a,
        subject="Bagots sur le lien EVPN",
        service_state=ServiceState.DEGRADED,
        equipment=[p2p.router_a],
        reporter=p2p.reporter,
        **kw,
    )


SECRETS = (DEVICE_PASSWORD, BASTION_PASSWORD)


def assert_no_secret(*texts: Any) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text), "a secret leaked"


__all__ = ["KnownHost", "Role", "ServiceSheet", "assert_no_secret", "make_ticket"]

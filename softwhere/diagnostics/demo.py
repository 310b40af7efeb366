"""Demo diagnostics: SSH access, Scribe service sheets for the demo routers, and one past check.

The routers' addresses are the demo dataset's private ones: « Diagnostiquer » on the demo
shows how an unreachable bastion or router is reported, with no secret anywhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from . import actions
from .choices import AcceptanceProfile, Topology, Vendor

if TYPE_CHECKING:
    from softwhere.demo.actions import DemoContext

#: (equipment key, service reference, access bandwidth Mb/s, connection node, port, carrier reference)
SHEETS = (
    ("morel_router", "FO-MOREL-LYON", 500, "LYO-PART2", "xe-0/1/7", "FTTE-0069-88412"),
    ("morel_vil_router", "AD-MOREL-VIL", 20, "VIL-DSLAM1", "1/3/12", "ADSL-0069-55201"),
    ("giraud_gre_router", "FO-GIRAUD-GRE", 200, "GRE-J2", "ae16", "0050VKF3"),
    ("lemaire_router", "FO-LEMAIRE", 100, "GRE-J2", "ae21", "FTTH-0038-11907"),
    ("chartrons_router", "FO-CHARTRONS", 1000, "BDX-MER1", "xe-2/0/3", "FTTE-0033-40110"),
)


def _log(now_local: datetime) -> str:
    """A Cisco « show logging » whose last interface change is two days old: a stable line."""
    stamp = (now_local - timedelta(days=2)).replace(hour=9, minute=5, second=12)
    back = stamp + timedelta(minutes=47)
    fmt = "%b %d %Y %H:%M:%S.000 %Z"
    return (
        "Syslog logging: enabled (0 messages dropped, 0 flushes, 0 overruns, xml disabled, filtering disabled)\n"
        "Log Buffer (8192 bytes):\n\n"
        f"000041: {stamp.strftime(fmt)}: %LINK-3-UPDOWN: Interface GigabitEthernet0/0/0, changed state to down\n"
        f"000042: {stamp.strftime(fmt)}: %LINEPROTO-5-UPDOWN: Line protocol on Interface "
        "GigabitEthernet0/0/0, changed state to down\n"
        f"000043: {back.strftime(fmt)}: %LINK-3-UPDOWN: Interface GigabitEthernet0/0/0, changed state to up\n"
        f"000044: {back.strftime(fmt)}: %LINEPROTO-5-UPDOWN: Line protocol on Interface "
        "GigabitEthernet0/0/0, changed state to up\n"
    )


def load(ctx: DemoContext) -> dict[str, int]:
    admin = ctx.users["admin"]
    routers = actions.save_credential(actor=admin, name="routeurs clients", username="sw-diag", secret="demo-routeurs")
    rebond = actions.save_credential(actor=admin, name="rebond Lyon", username="sw-diag", secret="demo-rebond")
    bastion = actions.save_bastion(
        actor=admin,
        name="rebond-lyon",
        host="rebond.demo.softwhere.example",
        port=22,
        credential=rebond,
        is_default=True,
        enabled=True,
    )
    for key, reference, bandwidth, node, port, carrier in SHEETS:
        equipment = ctx.equipment[key]
        actions.save_service_sheet(
            equipment,
            actor=admin,
            service_reference=reference,
            hostname=equipment.hostname,
            vendor=Vendor.CISCO_IOS,
            device_model=equipment.model,
            admin_ip=equipment.management_ip,
            topology=Topology.POINT_TO_POINT,
            software_version=equipment.firmware or "IOS-XE 17.9.4a",
            access_bandwidth_mbps=bandwidth,
            connection_node=node,
            connection_port=port,
            management_vlan=4001,
            acceptance_profile=AcceptanceProfile.STANDARD,
            carrier_reference=carrier,
            access=getattr(equipment.service, "access", None) if equipment.service_id else None,
            credential=routers,
            bastion=bastion,
        )
    # The log an N2 captured on the Lyon router while the fibre was down, joined to the ticket.
    ticket = ctx.tickets["morel_fibre_down"]
    sheet = ctx.equipment["morel_router"].service_sheet
    now = timezone.localtime() - timedelta(hours=1)
    actions.record_alarm_log_capture(sheet, ticket=ticket, actor=ctx.users["n2"], text=_log(now), captured_at=now)
    return {"fiches prestation": len(SHEETS), "vérifications": 1}

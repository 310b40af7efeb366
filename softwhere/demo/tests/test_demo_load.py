"""``softwhere demo load``: every ticket state, valid objects, built through the actions, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from stdnum.fr import siret

from softwhere.accounts.choices import Role
from softwhere.accounts.models import User
from softwhere.core.testing import make_organisation
from softwhere.customers.choices import OrganisationKind
from softwhere.customers.models import Contact, Organisation, Site
from softwhere.demo import dataset
from softwhere.demo.models import DemoDataset
from softwhere.inventory.choices import AccessTechnology, EquipmentKind, VoiceKind
from softwhere.inventory.models import Access, Equipment, MobileLine, NumberRange, VoiceService
from softwhere.jobs.system import SYSTEM_USERNAME
from softwhere.tickets.choices import LedPhase, Level, TicketStatus, TimelineKind, Visibility
from softwhere.tickets.models import ChecklistItem, LedReading, Ticket, TimelineEntry

pytestmark = pytest.mark.django_db

MODELS = (
    Organisation,
    Site,
    Contact,
    User,
    Access,
    VoiceService,
    MobileLine,
    NumberRange,
    Equipment,
    Ticket,
    ChecklistItem,
    LedReading,
    TimelineEntry,
)


def load(*args: str) -> str:
    out = StringIO()
    call_command("demo", "load", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (*MODELS, DemoDataset)}


def test_demo_has_a_ticket_in_every_state_and_only_valid_objects() -> None:
    output = load()

    assert set(Ticket.objects.values_list("status", flat=True)) == set(TicketStatus.values)
    for model in MODELS:
        objects = list(model.objects.all())
        assert objects, f"no {model.__name__} in the demo"
        for obj in objects:
            obj.full_clean()  # raises ValidationError on the first invalid object
    assert dataset.PASSWORD in output
    for username in ("n1", "n2", "superviseur", "adv", "admin", "partenaire", "client"):
        assert username in output


def test_demo_contents_are_those_promised_in_the_readme() -> None:
    load()

    clients = Organisation.objects.filter(kind=OrganisationKind.CLIENT)
    assert clients.count() >= 5
    assert Organisation.objects.filter(kind=OrganisationKind.PARTNER).count() in (1, 2)
    assert all(siret.is_valid(o.siret) for o in clients)
    assert all(o.sites.count() >= 2 for o in clients)
    assert {r for c in Contact.objects.all() for r in c.roles} >= {"technique", "commercial", "facturation"}
    assert all(c.phone.startswith("+33") for c in Contact.objects.all())
    assert {a.technology for a in Access.objects.all()} >= {
        AccessTechnology.FIBRE,
        AccessTechnology.SDSL,
        AccessTechnology.ADSL,
        AccessTechnology.BACKUP_4G,
    }
    assert Access.objects.exclude(gtr_option="none").exists()
    assert {v.voice_kind for v in VoiceService.objects.all()} == set(VoiceKind.values)
    assert NumberRange.objects.filter(kind="sda", voice_service__voice_kind=VoiceKind.SIP_TRUNK).exists()
    assert MobileLine.objects.exclude(iccid="").exists()
    kinds = set(Equipment.objects.values_list("kind", flat=True))
    assert kinds >= {
        EquipmentKind.ONT,
        EquipmentKind.ROUTER,
        EquipmentKind.IP_PHONE,
        EquipmentKind.IPBX,
        EquipmentKind.SWITCH,
    }
    assert not Equipment.objects.filter(kind=EquipmentKind.ROUTER, management_ip=None).exists()
    assert not Equipment.objects.filter(kind=EquipmentKind.IP_PHONE, mac_address="").exists()
    assert Equipment.objects.filter(kind=EquipmentKind.IPBX, brand="3CX").exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    # Every demo login works; the worker's "systeme" actor (created by automatic actions) cannot log in.
    humans = User.objects.exclude(username=SYSTEM_USERNAME)
    assert all(u.check_password(dataset.PASSWORD) for u in humans)
    assert not any(u.has_usable_password() for u in User.objects.filter(username=SYSTEM_USERNAME))


def test_demo_tickets_went_through_the_actions() -> None:
    load()

    assert Ticket.objects.values("case").distinct().count() >= 10
    assert ChecklistItem.objects.filter(done=True, level=Level.N1).exists()
    assert ChecklistItem.objects.filter(done=True, level=Level.N2).exists()
    assert set(LedReading.objects.values_list("phase", flat=True)) == set(LedPhase.values)
    assert set(LedReading.objects.values_list("device", flat=True)) == {"ont", "router"}
    assert TimelineEntry.objects.filter(kind=TimelineKind.COMMENT, visibility=Visibility.PUBLIC).exists()
    assert TimelineEntry.objects.filter(kind=TimelineKind.COMMENT, visibility=Visibility.INTERNAL).exists()
    for ticket in Ticket.objects.all():
        entries = list(ticket.timeline.order_by("created_at", "id"))
        assert entries[0].kind == TimelineKind.CREATED
        moves = [e.data for e in entries if e.kind == TimelineKind.STATUS]
        if ticket.status == TicketStatus.NEW:
            assert moves == []
        else:
            # the last recorded transition lands exactly on the stored state
            assert moves[-1]["to"] == ticket.status
        readings = ticket.led_readings.count()
        assert ticket.timeline.filter(kind=TimelineKind.LED_READING).count() == readings


def test_demo_is_scoped_like_real_data() -> None:
    load()

    partner = User.objects.get(username="partenaire")
    client = User.objects.get(username="client")
    partner_orgs = set(Ticket.objects.visible_to(partner).values_list("organisation__name", flat=True))
    assert partner_orgs == {"Transports Giraud & Fils", "Boulangerie Lemaire"}
    assert set(Ticket.objects.visible_to(client).values_list("organisation__name", flat=True)) == {
        "Cabinet Morel & Associés"
    }


def test_second_load_creates_nothing() -> None:
    load()
    before = counts()

    output = load()

    assert counts() == before
    assert before["DemoDataset"] == 1
    assert "déjà chargé" in output


def test_load_refuses_a_database_with_other_data_unless_forced() -> None:
    make_organisation("Client existant")

    with pytest.raises(CommandError, match="--force"):
        load()
    assert not Ticket.objects.exists() and not DemoDataset.objects.exists()

    assert "non chargé" in load("--if-empty")
    assert not DemoDataset.objects.exists()

    load("--force")
    assert Organisation.objects.filter(name="Client existant").exists()
    assert DemoDataset.objects.get().forced is True
    assert Ticket.objects.count() >= len(dataset.TICKETS)  # apps may add tickets of their own (demo.py hooks)


def test_forced_load_refuses_clashing_usernames_and_changes_nothing() -> None:
    User.objects.create_user("n1", password="autre-mot-de-passe-1")

    with pytest.raises(CommandError, match="identifiant n1"):
        load("--force")

    assert Organisation.objects.count() == 0
    assert User.objects.count() == 1

"""``load_demo``: build the demo dataset of ``dataset.py`` in one transaction.

Inventory objects are validated with ``full_clean()`` before saving; tickets are
only ever touched through ``softwhere.tickets.actions`` so their timeline, checklist
and signals are exactly what agents would have produced. A ``DemoDataset`` row
written in the same transaction makes a second load a no-op.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from stdnum import luhn

from softwhere.accounts.models import User
from softwhere.catalogue.models import ResolutionCase
from softwhere.core.testing import make_siret
from softwhere.customers.models import Contact, Organisation, Site
from softwhere.inventory.models import Access, Equipment, MobileLine, NumberRange, Service, VoiceService
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import Visibility
from softwhere.tickets.models import Ticket

from . import dataset as d
from .models import DemoDataset


@dataclass(frozen=True)
class DemoContext:
    """The base demo objects, by dataset key, handed to each app's ``demo.load``."""

    orgs: dict[str, Organisation]
    sites: dict[str, Site]
    contacts: dict[str, Contact]
    services: dict[str, Service]
    equipment: dict[str, Equipment]
    users: dict[str, User]
    tickets: dict[str, Ticket]


class DemoRefused(Exception):
    """The database holds data the demo did not create (or that would clash with it)."""


@dataclass
class DemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def demo_loaded() -> bool:
    return DemoDataset.objects.exists()


def foreign_data() -> dict[str, int]:
    """Counts of rows a demo load would sit beside (the catalogue, loaded by migration, does not count)."""
    counts = {
        "organisations": Organisation.objects.count(),
        "utilisateurs": User.objects.count(),
        "tickets": Ticket.objects.count(),
    }
    return {k: v for k, v in counts.items() if v}


def _save(obj: models.Model) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _iccid(seed: int) -> str:
    """A 20-digit French ICCID (89 33 01 …) with its Luhn key."""
    body = f"89330123{seed:011d}"
    return body + luhn.calc_check_digit(body)


def _clashes() -> list[str]:
    sirets = [make_siret(o.siret_seed) for o in d.ORGANISATIONS]
    usernames = [u.username for u in d.USERS]
    clashes = [f"SIRET {s}" for s in Organisation.objects.filter(siret__in=sirets).values_list("siret", flat=True)]
    clashes += [
        f"identifiant {u}" for u in User.objects.filter(username__in=usernames).values_list("username", flat=True)
    ]
    return clashes


class _Builder:
    """Creates the objects of ``dataset`` in dependency order, keeping them by key for the scenarios."""

    def __init__(self) -> None:
        self.orgs: dict[str, Organisation] = {}
        self.sites: dict[str, Site] = {}
        self.contacts: dict[str, Contact] = {}
        self.users: dict[str, User] = {}
        self.services: dict[str, Service] = {}
        self.equipment: dict[str, Equipment] = {}
        self.tickets: dict[str, Ticket] = {}

    def build(self) -> None:
        self.organisations()
        self.people()
        self.inventory()
        for spec in d.TICKETS:
            self.tickets[spec.key] = self.ticket(spec)

    def organisations(self) -> None:
        for o in d.ORGANISATIONS:
            self.orgs[o.key] = _save(
                Organisation(
                    name=o.name,
                    kind=o.kind,
                    siret=make_siret(o.siret_seed),
                    address_line1=o.address,
                    postal_code=o.postal_code,
                    city=o.city,
                    partner=self.orgs[o.partner] if o.partner else None,
                )
            )
        for s in d.SITES:
            self.sites[s.key] = _save(
                Site(
                    organisation=self.orgs[s.org],
                    name=s.name,
                    address_line1=s.address,
                    postal_code=s.postal_code,
                    city=s.city,
                    opening_hours=s.hours,
                    access_notes=s.access_notes,
                )
            )

    def people(self) -> None:
        for c in d.CONTACTS:
            self.contacts[c.key] = _save(
                Contact(
                    organisation=self.orgs[c.org],
                    site=self.sites[c.site] if c.site else None,
                    first_name=c.first_name,
                    last_name=c.last_name,
                    email=c.email,
                    phone=c.phone,
                    mobile=c.mobile,
                    roles=list(c.roles),
                    preferred_channel=c.channel,
                )
            )
        # One hash for every demo user: the password is public anyway, and hashing is slow on purpose.
        password = make_password(d.PASSWORD)
        for u in d.USERS:
            self.users[u.username] = _save(
                User(
                    username=u.username,
                    password=password,
                    role=u.role,
                    organisation=self.orgs[u.org],
                    first_name=u.first_name,
                    last_name=u.last_name,
                    email=u.email,
                    is_staff=u.role == "admin",
                    is_superuser=u.role == "admin",
                )
            )

    def inventory(self) -> None:
        for s in d.SERVICES:
            site = self.sites[s.site]
            fields = dict(s.fields)
            service: Service
            if s.model == "access":
                service = _save(Access(site=site, **fields))
            elif s.model == "voice":
                voice: VoiceService = _save(VoiceService(site=site, **fields))
                for kind, first, last in s.numbers:
                    _save(NumberRange(voice_service=voice, kind=kind, first_number=first, last_number=last))
                service = voice
            else:
                seed = fields.pop("iccid_seed", None)
                service = _save(MobileLine(site=site, iccid=_iccid(seed) if seed else "", **fields))
            self.services[s.key] = service
        for e in d.EQUIPMENT:
            self.equipment[e.key] = _save(
                Equipment(
                    site=self.sites[e.site],
                    service=self.services[e.service] if e.service else None,
                    kind=e.kind,
                    brand=e.brand,
                    model=e.model,
                    serial_number=e.serial_number,
                    mac_address=e.mac_address,
                    management_ip=e.management_ip,
                    hostname=e.hostname,
                    firmware=e.firmware,
                    warranty_end=e.warranty_end,
                )
            )

    def ticket(self, spec: d.TicketSpec) -> Ticket:
        ticket = ticket_actions.create_ticket(
            actor=self.users[spec.author],
            organisation=self.orgs[spec.org],
            site=self.sites[spec.site] if spec.site else None,
            subject=spec.subject,
            description=spec.description,
            service_state=spec.service_state,
            priority=spec.priority,
            channel=spec.channel,
            reporter=self.contacts[spec.reporter] if spec.reporter else None,
            services=[self.services[k] for k in spec.services],
            equipment=[self.equipment[k] for k in spec.equipment],
            case=ResolutionCase.objects.get(pk=spec.case) if spec.case else None,
            complementary_data=spec.complementary_data,
            alerts=spec.alerts,
            client_reference=spec.client_reference,
        )
        for step in spec.steps:
            ticket = self.step(ticket, step)
        return ticket

    def step(self, ticket: Ticket, step: d.Step) -> Ticket:
        actor = self.users[step.actor]
        a = step.args
        if step.op == "transition":
            params = {k: v for k, v in a.items() if k != "name"}
            return ticket_actions.transition_ticket(ticket, a["name"], actor=actor, **params)
        if step.op == "observe":
            until = timezone.now() + timedelta(days=a["days"])
            return ticket_actions.transition_ticket(ticket, "observe", actor=actor, observation_until=until)
        if step.op == "qualify":
            return ticket_actions.qualify_ticket(ticket, actor=actor, case=ResolutionCase.objects.get(pk=a["case"]))
        if step.op == "assign":
            return ticket_actions.assign_ticket(ticket, actor=actor, assignee=self.users[a["assignee"]])
        if step.op == "check":
            items = ticket.checklist_items.filter(level=a["level"]).order_by("position")[: a["count"]]
            for item in items:
                note = a["notes"].get(f"i{item.position}", "")
                ticket_actions.set_checklist_item(item, actor=actor, done=True, note=note)
        elif step.op == "led":
            ticket_actions.record_led_reading(
                ticket,
                actor=actor,
                device=a["device"],
                phase=a["phase"],
                states=a["states"],
                equipment=self.equipment[a["equipment"]] if a["equipment"] else None,
            )
        elif step.op == "comment":
            visibility = Visibility.PUBLIC if a["public"] else Visibility.INTERNAL
            ticket_actions.add_comment(ticket, actor=actor, body=a["body"], visibility=visibility)
        else:
            raise ValueError(f"unknown demo step {step.op!r}")
        return Ticket.objects.get(pk=ticket.pk)


def load_demo(*, force: bool = False) -> DemoResult:
    """Load the demo once. Refuses (DemoRefused) beside foreign data unless ``force``, and on any clash."""
    if demo_loaded():
        return DemoResult(created=False)
    if foreign_data() and not force:
        found = ", ".join(f"{n} {k}" for k, n in foreign_data().items())
        raise DemoRefused(f"La base contient déjà des données ({found}). Relancez avec --force pour ajouter la démo.")
    clashes = _clashes()
    if clashes:
        raise DemoRefused("Conflit avec des données existantes : " + ", ".join(clashes) + ".")
    builder = _Builder()
    with transaction.atomic():
        builder.build()
        extra = _load_app_demos(builder)
        DemoDataset.objects.create(version=d.VERSION, forced=force)
    counts = {
        "organisations": len(builder.orgs),
        "sites": len(builder.sites),
        "contacts": len(builder.contacts),
        "services": len(builder.services),
        "équipements": len(builder.equipment),
        "utilisateurs": len(builder.users),
        "tickets": len(builder.tickets),
        **extra,
    }
    return DemoResult(created=True, counts=counts)


def _load_app_demos(builder: _Builder) -> dict[str, int]:
    """Let each domain app add its own demo objects on top of the base dataset.

    An app opts in with a ``demo.py`` module defining ``load(ctx: DemoContext) -> dict[str, int]``
    (French label -> rows created); apps run in INSTALLED_APPS order, inside the demo transaction.
    """
    ctx = DemoContext(
        orgs=builder.orgs,
        sites=builder.sites,
        contacts=builder.contacts,
        services=builder.services,
        equipment=builder.equipment,
        users=builder.users,
        tickets=builder.tickets,
    )
    counts: dict[str, int] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("softwhere.") or config.name == "softwhere.demo":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        counts.update(module.load(ctx))
    return counts


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, who) for every demo login, in dataset order."""
    out = []
    for u in d.USERS:
        user = User.objects.filter(username=u.username).select_related("organisation").first()
        if user is not None:
            out.append((user.username, user.get_role_display(), f"{user.get_full_name()} – {user.organisation}"))
    return out

"""``softwhere demo generate``: a large, realistic, reproducible dataset for load tests.

The demo dataset (``actions.load_demo``) replays every ticket through the ticket
actions; that is right for a showcase and far too slow for a million tickets. Here
rows are built in memory from a seeded ``random.Random`` and written in batches:
``COPY`` on PostgreSQL, ``executemany`` on SQLite. The rows are what the actions
would have written (timeline, checklist copied from the case, SLA resolution clock
for open tickets), and the search index is filled set-based: tickets go through a
staging table whose ``INSERT … SELECT`` feeds their comments to ``search_extra``,
and the per-comment trigger is skipped with ``SET LOCAL softwhere.search_bulk``.

Same ``--seed``, same companies, tickets and texts (ids and references follow what
the database already holds). A seed can be generated once per database.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from softwhere.accounts.choices import Role
from softwhere.catalogue.models import ResolutionCase
from softwhere.core.testing import make_siret
from softwhere.customers.choices import OrganisationKind
from softwhere.tickets.choices import Channel, Level, ServiceState, TicketStatus, TimelineKind, Visibility
from softwhere.tickets.models import TicketSequence
from softwhere.tickets.search_schema import BULK_GUC, TS_CONFIG

BATCH = 10_000

_PREFIXES = [
    "Boulangerie",
    "Cabinet",
    "Clinique",
    "Garage",
    "Hôtel",
    "Pharmacie",
    "Transports",
    "Atelier",
    "Laboratoire",
    "Imprimerie",
    "Menuiserie",
    "Étude notariale",
    "Agence",
    "Groupe",
    "Société",
]
_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
]
_FIRST = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Hugo",
    "Lucas",
    "Louis",
    "Nathan",
    "Jules",
    "Émilie",
    "Sophie",
    "Julien",
    "Nicolas",
    "Céline",
    "Thierry",
    "Hélène",
    "Stéphane",
    "Élodie",
    "Mathieu",
]
_CITIES = [
    ("LYON", "69003"),
    ("MARSEILLE", "13008"),
    ("TOULOUSE", "31000"),
    ("NANTES", "44000"),
    ("BORDEAUX", "33000"),
    ("LILLE", "59000"),
    ("RENNES", "35000"),
    ("REIMS", "51100"),
    ("GRENOBLE", "38000"),
    ("DIJON", "21000"),
    ("ANGERS", "49000"),
    ("NIMES", "30000"),
    ("CLERMONT-FERRAND", "63000"),
    ("LE MANS", "72000"),
    ("TOURS", "37000"),
    ("LIMOGES", "87000"),
]
_STREETS = [
    "RUE DE LA REPUBLIQUE",
    "AVENUE JEAN JAURES",
    "BOULEVARD VICTOR HUGO",
    "RUE DU GENERAL DE GAULLE",
    "RUE PASTEUR",
    "PLACE DE LA MAIRIE",
    "RUE DES ECOLES",
    "ZA DES CHAMPS",
    "RUE DE LA GARE",
]
_SITE_NAMES = ["Siège", "Agence", "Entrepôt", "Atelier", "Magasin", "Dépôt", "Bureau", "Annexe"]
_OPENERS = [
    "Le client signale",
    "Appel du client :",
    "Mail reçu :",
    "Remontée supervision :",
    "Le gérant indique",
    "La standardiste signale",
    "Signalement via le portail :",
]
_TAILS = [
    "depuis ce matin.",
    "depuis hier soir.",
    "par intermittence.",
    "sur tout le site.",
    "après la coupure électrique.",
    "depuis le passage du technicien.",
    "plusieurs fois par jour.",
]
_FOLLOW_UPS = [
    "Client rappelé, pas de réponse.",
    "Relance du client par mail.",
    "Le client confirme le symptôme.",
    "Intervention planifiée avec le client.",
    "Attente du retour de l'opérateur.",
    "Le client confirme que le service est rétabli.",
    "Photos des voyants reçues par mail.",
]
_CARRIERS = [("Orange", "FT"), ("SFR", "SFR"), ("Bouygues Telecom", "BYT"), ("Axione", "AXI"), ("Kosc", "KOS")]
# Fictional number ranges reserved by ARCEP (the demo never dials a real subscriber).
_FIXED_PREFIXES = ["+3319900", "+3326191", "+3335301", "+3346571", "+3353649"]
_MOBILE_PREFIX = "+3363998"
_OPEN = [
    TicketStatus.NEW,
    TicketStatus.IN_PROGRESS,
    TicketStatus.ESCALATED,
    TicketStatus.WAITING_CLIENT,
    TicketStatus.WAITING_CARRIER,
]
_OPEN_WEIGHTS = [15, 40, 15, 15, 15]
_RECENT = [
    *_OPEN,
    TicketStatus.RESOLVED,
    TicketStatus.OBSERVATION,
    TicketStatus.CLOSURE_REQUESTED,
    TicketStatus.CLOSED,
    TicketStatus.CANCELLED,
]
_RECENT_WEIGHTS = [10, 25, 10, 8, 8, 6, 4, 4, 22, 3]


@dataclass
class GenerationReport:
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def tickets_per_second(self) -> float:
        return self.counts.get("tickets", 0) / max(self.seconds.get("tickets", 0.0), 1e-9)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "counts": self.counts,
            "seconds": self.seconds,
            "tickets_per_second": round(self.tickets_per_second, 1),
            "vendor": connection.vendor,
        }


class GenerationRefused(Exception):
    pass


def _next_id(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return int(cur.fetchone()[0])


#: Seconds spent writing each table, for the generator's report (where does the time go?).
WRITE_SECONDS: dict[str, float] = defaultdict(float)


def _write(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL, executemany elsewhere; explicit ids, so sequences are reset afterwards."""
    if not rows:
        return
    start = time.perf_counter()
    try:
        _write_rows(table, columns, rows)
    finally:
        WRITE_SECONDS[table] += time.perf_counter() - start


def _write_rows(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _reset_sequences(tables: Iterable[str]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )


class Generator:
    def __init__(
        self,
        *,
        tickets: int,
        companies: int,
        seed: int,
        batch: int = BATCH,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.n_tickets, self.n_companies, self.seed, self.batch = tickets, companies, seed, batch
        self.rnd = random.Random(seed)
        self.progress = progress or (lambda _msg: None)
        self.report = GenerationReport(seed=seed)
        self.now = timezone.now().replace(microsecond=0)

    # --- Reference data -------------------------------------------------------------------------------------

    def run(self) -> GenerationReport:
        sirets = [make_siret(self._siret_seed(i)) for i in range(3)]
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM customers_organisation WHERE siret IN (%s, %s, %s)", sirets)
            if cur.fetchone()[0]:
                raise GenerationRefused(
                    f"Des données ont déjà été générées avec --seed {self.seed} : changez de graine."
                )
        self.cases = list(ResolutionCase.objects.order_by("number"))
        if not self.cases:
            raise GenerationRefused("Catalogue de résolution absent : lancez d'abord « softwhere migrate ».")
        start = time.perf_counter()
        with transaction.atomic():
            self._users()
            self._companies()
        self.report.seconds["reference_data"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        WRITE_SECONDS.clear()
        self._tickets()
        self.report.seconds["tickets"] = round(time.perf_counter() - start, 2)
        for table, seconds in WRITE_SECONDS.items():
            self.report.seconds[f"write {table}"] = round(seconds, 2)
        if connection.vendor == "postgresql":
            # What PostgreSQL advises after a bulk load, and what autovacuum would do later on its own:
            # statistics for the planner, and the visibility map, without which every index-only scan
            # (grid pages, counts) still reads the table (10 051 heap fetches for page 200 of the grid).
            # VACUUM cannot run inside a transaction (tests): ANALYZE alone there.
            start = time.perf_counter()
            with connection.cursor() as cur:
                cur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
            self.report.seconds["analyze"] = round(time.perf_counter() - start, 2)
        return self.report

    def _siret_seed(self, i: int) -> int:
        return 900_000_000 + self.seed * 1_000_000 + i

    def _users(self) -> None:
        password = make_password(None)  # unusable: generated agents log in only after a reset
        n_agents = max(8, self.n_companies // 40)
        uid = _next_id("accounts_user")
        rows: list[tuple[Any, ...]] = []
        self.n1: list[int] = []
        self.n2: list[int] = []
        for i in range(n_agents):
            role = Role.N2 if i % 4 == 0 else Role.N1
            first, last = self.rnd.choice(_FIRST), self.rnd.choice(_NAMES)
            username = f"gen{self.seed}-{role}-{i:03d}"
            rows.append(
                (
                    uid,
                    password,
                    False,
                    username,
                    first,
                    last,
                    f"{username}@desk.example",
                    False,
                    True,
                    self.now,
                    role,
                    None,
                )
            )
            (self.n2 if role == Role.N2 else self.n1).append(uid)
            uid += 1
        _write(
            "accounts_user",
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "role",
                "organisation_id",
            ],
            rows,
        )
        _reset_sequences(["accounts_user"])
        self.report.counts["agents"] = len(rows)

    def _companies(self) -> None:
        rnd, now = self.rnd, self.now
        org_id, site_id = _next_id("customers_organisation"), _next_id("customers_site")
        contact_id, service_id = _next_id("customers_contact"), _next_id("inventory_service")
        equipment_id = _next_id("inventory_equipment")
        orgs, sites, contacts, services, accesses, equipment = [], [], [], [], [], []
        self.sites_of: dict[int, list[int]] = defaultdict(list)
        self.access_of: dict[int, int] = {}
        self.equipment_of: dict[int, list[int]] = defaultdict(list)
        self.contacts_of: dict[int, list[int]] = defaultdict(list)
        n_partners = max(1, self.n_companies // 25)
        partners: list[int] = []
        for i in range(self.n_companies + n_partners):
            is_partner = i < n_partners
            city, postal = rnd.choice(_CITIES)
            name = (
                f"{rnd.choice(_NAMES)} Télécom Services"
                if is_partner
                else f"{rnd.choice(_PREFIXES)} {rnd.choice(_NAMES)} {city.title()} {i}"
            )
            kind = OrganisationKind.PARTNER if is_partner else OrganisationKind.CLIENT
            partner = rnd.choice(partners) if partners and not is_partner and rnd.random() < 0.5 else None
            address = f"{rnd.randint(1, 180)} {rnd.choice(_STREETS)}"[:38]
            orgs.append(
                (
                    org_id,
                    now,
                    now,
                    address,
                    "",
                    postal,
                    city,
                    kind,
                    name[:200],
                    make_siret(self._siret_seed(i)),
                    partner,
                    True,
                )
            )
            if is_partner:
                partners.append(org_id)
            else:
                self.client_orgs = getattr(self, "client_orgs", [])
                self.client_orgs.append(org_id)
                for s in range(rnd.choice([1, 1, 1, 2, 2, 3])):
                    site_city, site_postal = (city, postal) if s == 0 else rnd.choice(_CITIES)
                    sites.append(
                        (
                            site_id,
                            now,
                            now,
                            f"{rnd.randint(1, 180)} {rnd.choice(_STREETS)}"[:38],
                            "",
                            site_postal,
                            site_city,
                            org_id,
                            f"{_SITE_NAMES[s]} {site_city.title()}",
                            "{}",
                            "",
                        )
                    )
                    self.sites_of[org_id].append(site_id)
                    carrier, code = rnd.choice(_CARRIERS)
                    ref = f"{code}{rnd.randint(10**9, 10**10 - 1)}"
                    services.append(
                        (
                            service_id,
                            now,
                            now,
                            site_id,
                            "access",
                            f"Accès {site_city.title()}",
                            "active",
                            carrier,
                            ref,
                            None,
                            None,
                            "0",
                        )
                    )
                    fibre = rnd.random() < 0.7
                    accesses.append(
                        (
                            service_id,
                            "fibre" if fibre else "sdsl",
                            None if fibre else 2,
                            "standard" if rnd.random() < 0.4 else "none",
                        )
                    )
                    self.access_of[site_id] = service_id
                    for eq_kind, brand, prefix in (("ont", "Huawei", "HWTC"), ("router", "Cisco", "FGL")):
                        serial = f"{prefix}{rnd.getrandbits(32):08X}"
                        equipment.append(
                            (equipment_id, now, now, site_id, service_id, eq_kind, brand, "", serial, "", "", "")
                        )
                        self.equipment_of[site_id].append(equipment_id)
                        equipment_id += 1
                    service_id += 1
                    site_id += 1
                for _c in range(rnd.choice([1, 2])):
                    phone = f"{rnd.choice(_FIXED_PREFIXES)}{rnd.randint(0, 9999):04d}"
                    mobile = f"{_MOBILE_PREFIX}{rnd.randint(0, 9999):04d}"
                    first, last = rnd.choice(_FIRST), rnd.choice(_NAMES)
                    contacts.append(
                        (
                            contact_id,
                            now,
                            now,
                            org_id,
                            None,
                            first,
                            last,
                            f"{first[0].lower()}.{last.lower()}@client{org_id}.example",
                            phone,
                            mobile,
                            '["technique"]',
                            "mail",
                        )
                    )
                    self.contacts_of[org_id].append(contact_id)
                    contact_id += 1
            org_id += 1
        _write(
            "customers_organisation",
            [
                "id",
                "created_at",
                "updated_at",
                "address_line1",
                "address_line2",
                "postal_code",
                "city",
                "kind",
                "name",
                "siret",
                "partner_id",
                "is_active",
            ],
            orgs,
        )
        _write(
            "customers_site",
            [
                "id",
                "created_at",
                "updated_at",
                "address_line1",
                "address_line2",
                "postal_code",
                "city",
                "organisation_id",
                "name",
                "opening_hours",
                "access_notes",
            ],
            sites,
        )
        _write(
            "customers_contact",
            [
                "id",
                "created_at",
                "updated_at",
                "organisation_id",
                "site_id",
                "first_name",
                "last_name",
                "email",
                "phone",
                "mobile",
                "roles",
                "preferred_channel",
            ],
            contacts,
        )
        _write(
            "inventory_service",
            [
                "id",
                "created_at",
                "updated_at",
                "site_id",
                "kind",
                "label",
                "status",
                "carrier",
                "carrier_reference",
                "commitment_months",
                "commitment_start",
                "monthly_fee",
            ],
            services,
        )
        _write("inventory_access", ["service_ptr_id", "technology", "pairs", "gtr_option"], accesses)
        _write(
            "inventory_equipment",
            [
                "id",
                "created_at",
                "updated_at",
                "site_id",
                "service_id",
                "kind",
                "brand",
                "model",
                "serial_number",
                "firmware",
                "mac_address",
                "hostname",
            ],
            equipment,
        )
        _reset_sequences(
            [
                "customers_organisation",
                "customers_site",
                "customers_contact",
                "inventory_service",
                "inventory_equipment",
            ]
        )
        self.report.counts.update(
            {
                "entreprises": self.n_companies,
                "partenaires": n_partners,
                "sites": len(sites),
                "contacts": len(contacts),
                "services": len(services),
                "équipements": len(equipment),
            }
        )
        # Some companies open many more tickets than others (a few large accounts).
        self.org_weights = [rnd.paretovariate(1.2) for _ in self.client_orgs]

    # --- Tickets --------------------------------------------------------------------------------------------

    def _tickets(self) -> None:
        self.ids = {
            t: _next_id(t) for t in ("tickets_ticket", "tickets_timelineentry", "tickets_checklistitem", "sla_slaclock")
        }
        self.ids["tickets_ticket_services"] = _next_id("tickets_ticket_services")
        self.ids["tickets_ticket_equipment"] = _next_id("tickets_ticket_equipment")
        self.sequences = dict(TicketSequence.objects.values_list("period", "last_value"))
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM sla_businesscalendar ORDER BY id LIMIT 1")
            row = cur.fetchone()
        self.calendar = row[0] if row else "standard"
        totals: dict[str, int] = defaultdict(int)
        done = 0
        # On PostgreSQL outside a transaction, batch k is written by a second thread (its own
        # connection) while this one builds batch k + 1: the server's work and Python's overlap.
        overlap = connection.vendor == "postgresql" and not connection.in_atomic_block
        pool = ThreadPoolExecutor(max_workers=1) if overlap else None
        pending: Future[None] | None = None
        try:
            while done < self.n_tickets:
                size = min(self.batch, self.n_tickets - done)
                orgs = self.rnd.choices(self.client_orgs, weights=self.org_weights, k=size)
                counts, rows = self._batch(orgs)
                for table, n in counts.items():
                    totals[table] += n
                if pending is not None:
                    pending.result()
                if pool is not None:
                    pending = pool.submit(self._store_in_thread, rows, dict(self.sequences))
                else:
                    self._store(rows, dict(self.sequences))
                done += size
                self.progress(f"{done}/{self.n_tickets} tickets")
            if pending is not None:
                pending.result()
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        _reset_sequences(
            [
                "tickets_ticket",
                "tickets_timelineentry",
                "tickets_checklistitem",
                "sla_slaclock",
                "tickets_ticket_services",
                "tickets_ticket_equipment",
            ]
        )
        self.report.counts.update(
            {
                "tickets": totals["tickets"],
                "entrées d'historique": totals["timeline"],
                "commentaires": totals["comments"],
                "points de checklist": totals["checklist"],
                "compteurs SLA": totals["clocks"],
            }
        )

    def _reference(self, created: datetime) -> str:
        period = timezone.localtime(created).strftime("%y%m")
        value = self.sequences.get(period, 0) + 1
        self.sequences[period] = value
        return f"{period}{value:06d}"

    def _store_in_thread(self, rows: tuple[list[Any], ...], sequences: dict[str, int]) -> None:
        try:
            self._store(rows, sequences)
        finally:
            connection.close()  # this thread's own connection

    def _text(self, case: ResolutionCase | None, site_name: str) -> tuple[str, str]:
        rnd = self.rnd
        if case is None:
            subject = (
                rnd.choice(
                    ["Demande d'information", "Problème à qualifier", "Question sur la facture", "Service perturbé"]
                )
                + f" – {site_name}"
            )
            return subject[:200], f"{rnd.choice(_OPENERS)} un souci {rnd.choice(_TAILS)}"
        symptom = rnd.choice(case.symptoms) if case.symptoms else case.title
        subject = f"{case.title} – {site_name}"
        description = f"{rnd.choice(_OPENERS)} {symptom[0].lower()}{symptom[1:]} {rnd.choice(_TAILS)}"
        return subject[:200], description

    def _batch(self, orgs: list[int]) -> tuple[dict[str, int], tuple[list[Any], ...]]:
        rnd, now, ids = self.rnd, self.now, self.ids
        tickets, timeline, checklist, clocks, links, eq_links = [], [], [], [], [], []
        comments_text: list[str] = []
        for org in orgs:
            tid = ids["tickets_ticket"]
            ids["tickets_ticket"] += 1
            recent = rnd.random() < 0.25
            age = (
                timedelta(minutes=rnd.randint(5, 60 * 24 * 30))
                if recent
                else timedelta(minutes=rnd.randint(60 * 24 * 30, 60 * 24 * 730))
            )
            created = now - age
            status = (
                rnd.choices(_RECENT, _RECENT_WEIGHTS)[0]
                if recent
                else (TicketStatus.CLOSED if rnd.random() < 0.95 else TicketStatus.CANCELLED)
            )
            site = rnd.choice(self.sites_of[org])
            case = (
                None
                if (status == TicketStatus.NEW and rnd.random() < 0.6) or rnd.random() < 0.05
                else (rnd.choice(self.cases))
            )
            level = (
                Level.N2
                if status == TicketStatus.ESCALATED or (status not in _OPEN and rnd.random() < 0.15)
                else Level.N1
            )
            assignee = None if status == TicketStatus.NEW else rnd.choice(self.n2 if level == Level.N2 else self.n1)
            priority = rnd.choices([1, 2, 3, 4], [4, 16, 60, 20])[0]
            site_name = f"site {site}"
            subject, description = self._text(case, site_name)
            carrier_ref = (
                f"{rnd.choice(_CARRIERS)[1]}-{rnd.randint(10**7, 10**8 - 1)}"
                if (status == TicketStatus.WAITING_CARRIER or rnd.random() < 0.1)
                else ""
            )
            finished = status in (TicketStatus.CLOSED, TicketStatus.CANCELLED)
            resolved = created + timedelta(minutes=rnd.randint(30, 60 * 24 * 5)) if status not in _OPEN else None
            closed = resolved + timedelta(days=rnd.randint(1, 7)) if finished and resolved else None
            resolution = rnd.choice(case.examples) if case and case.examples and resolved else ""
            reporter = rnd.choice(self.contacts_of[org])
            author = rnd.choice(self.n1)
            # Timeline: creation, qualification, progress, 0-3 comments, final state.
            entries: list[tuple[str, str, int, datetime, str, dict[str, Any]]] = [
                (TimelineKind.CREATED, Visibility.PUBLIC, author, created, "Ticket créé (Téléphone).", {})
            ]
            t = created
            if case is not None:
                t += timedelta(minutes=rnd.randint(1, 30))
                entries.append(
                    (
                        TimelineKind.QUALIFICATION,
                        Visibility.INTERNAL,
                        author,
                        t,
                        f"Qualifié : {case.number}. {case.title}",
                        {"case": case.pk},
                    )
                )
            if status != TicketStatus.NEW:
                t += timedelta(minutes=rnd.randint(1, 60))
                entries.append(
                    (
                        TimelineKind.STATUS,
                        Visibility.INTERNAL,
                        assignee or author,
                        t,
                        "Nouveau → En cours (N1) : Prendre en charge",
                        {"transition": "take", "from": "new", "to": "in_progress"},
                    )
                )
            bodies = []
            for _ in range(rnd.choice([0, 1, 1, 2, 3])):
                t += timedelta(minutes=rnd.randint(5, 600))
                pool = (case.n1_checks + case.examples) if case else []
                body = rnd.choice(pool) if pool and rnd.random() < 0.6 else rnd.choice(_FOLLOW_UPS)
                bodies.append(body)
                entries.append(
                    (
                        TimelineKind.COMMENT,
                        rnd.choice([Visibility.INTERNAL, Visibility.PUBLIC]),
                        assignee or author,
                        t,
                        body,
                        {},
                    )
                )
            if status not in (TicketStatus.NEW, TicketStatus.IN_PROGRESS):
                entries.append(
                    (
                        TimelineKind.STATUS,
                        Visibility.PUBLIC,
                        assignee or author,
                        resolved or t,
                        f"En cours (N1) → {TicketStatus(status).label}",
                        {"to": status},
                    )
                )
            for kind, vis, who, when, body, data in entries:
                timeline.append((ids["tickets_timelineentry"], kind, vis, when, body, json.dumps(data), who, tid))
                ids["tickets_timelineentry"] += 1
            if case is not None:
                n1 = case.n1_checks
                progress = (
                    len(n1) if status not in (TicketStatus.NEW, TicketStatus.IN_PROGRESS) else (rnd.randint(0, len(n1)))
                )
                items = [(Level.N1, i, text) for i, text in enumerate(n1)]
                if level == Level.N2:
                    items += [(Level.N2, i, text) for i, text in enumerate(case.n2_actions)]
                for lvl, pos, text in items:
                    done = lvl == Level.N1 and pos < progress
                    checklist.append(
                        (
                            ids["tickets_checklistitem"],
                            lvl,
                            pos,
                            text[:300],
                            done,
                            "",
                            created + timedelta(minutes=10 + pos) if done else None,
                            case.pk,
                            assignee if done else None,
                            tid,
                        )
                    )
                    ids["tickets_checklistitem"] += 1
            if status in _OPEN:
                target = {1: 240, 2: 480, 3: 1440, 4: 2880}[priority]
                due = created + timedelta(minutes=target)
                state = "breached" if due < now else "running"
                clocks.append(
                    (
                        ids["sla_slaclock"],
                        tid,
                        "resolution",
                        None,
                        self.calendar,
                        target,
                        state,
                        created,
                        due,
                        due if state == "breached" else None,
                        None,
                        "[]",
                        None,
                        0.0,
                        now,
                        None,
                        0,
                        "0",
                    )
                )
                ids["sla_slaclock"] += 1
            if rnd.random() < 0.6:
                links.append((ids["tickets_ticket_services"], tid, self.access_of[site]))
                ids["tickets_ticket_services"] += 1
            if rnd.random() < 0.3:
                eq_links.append((ids["tickets_ticket_equipment"], tid, rnd.choice(self.equipment_of[site])))
                ids["tickets_ticket_equipment"] += 1
            tickets.append(
                (
                    tid,
                    self._reference(created),
                    org,
                    site,
                    case.pk if case else None,
                    subject,
                    description,
                    rnd.choice(list(ServiceState.values)),
                    priority,
                    rnd.choices(list(Channel.values), [50, 30, 10, 3, 7])[0],
                    reporter,
                    level,
                    status,
                    assignee,
                    "",
                    carrier_ref,
                    "",
                    "",
                    resolution,
                    created,
                    author,
                    closed or resolved or t,
                    resolved,
                    closed,
                    None,
                    # One ticket in eight carries the customer's own order number; derived from the id, not
                    # drawn, so the rest of a seeded dataset stays as it was.
                    f"CMD-{tid * 2654435761 % 10**6:06d}" if tid % 8 == 0 else "",
                )
            )
            comments_text.append(" ".join(bodies))
        counts = {
            "tickets": len(tickets),
            "timeline": len(timeline),
            "checklist": len(checklist),
            "clocks": len(clocks),
            "comments": sum(1 for e in timeline if e[1] == TimelineKind.COMMENT),
        }
        return counts, (tickets, comments_text, timeline, checklist, clocks, links, eq_links)

    def _store(self, rows: tuple[list[Any], ...], sequences: dict[str, int]) -> None:
        """Write one built batch in one transaction, with the reference counters it used."""
        tickets, comments_text, timeline, checklist, clocks, links, eq_links = rows
        with transaction.atomic():
            self._store_rows(tickets, comments_text, timeline, checklist, clocks, links, eq_links)
            for period, value in sequences.items():
                TicketSequence.objects.update_or_create(period=period, defaults={"last_value": value})

    def _store_rows(
        self,
        tickets: list[Any],
        comments_text: list[str],
        timeline: list[Any],
        checklist: list[Any],
        clocks: list[Any],
        links: list[Any],
        eq_links: list[Any],
    ) -> None:
        self._write_tickets(tickets, comments_text)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"SET LOCAL {BULK_GUC} = 'on'")  # comments already went into search_extra
        _write(
            "tickets_timelineentry",
            ["id", "kind", "visibility", "created_at", "body", "data", "author_id", "ticket_id"],
            timeline,
        )
        _write(
            "tickets_checklistitem",
            ["id", "level", "position", "text", "done", "note", "done_at", "case_id", "done_by_id", "ticket_id"],
            checklist,
        )
        _write(
            "sla_slaclock",
            [
                "id",
                "ticket_id",
                "kind",
                "access_id",
                "calendar",
                "target_minutes",
                "state",
                "started_at",
                "due_at",
                "breached_at",
                "paused_since",
                "pauses",
                "stopped_at",
                "consumed_minutes",
                "computed_at",
                "monthly_fee",
                "penalty_percent",
                "penalty_amount",
            ],
            clocks,
        )
        _write("tickets_ticket_services", ["id", "ticket_id", "service_id"], links)
        _write("tickets_ticket_equipment", ["id", "ticket_id", "equipment_id"], eq_links)

    _TICKET_COLUMNS = [
        "id",
        "reference",
        "organisation_id",
        "site_id",
        "case_id",
        "subject",
        "description",
        "service_state",
        "priority",
        "channel",
        "reporter_id",
        "level",
        "status",
        "assignee_id",
        "carrier",
        "carrier_ticket_reference",
        "complementary_data",
        "alerts",
        "resolution",
        "created_at",
        "created_by_id",
        "updated_at",
        "resolved_at",
        "closed_at",
        "observation_until",
        "client_reference",
    ]

    def _write_tickets(self, tickets: list[tuple[Any, ...]], comments_text: list[str]) -> None:
        if connection.vendor != "postgresql":
            _write("tickets_ticket", self._TICKET_COLUMNS, tickets)
            return
        cols = ", ".join(self._TICKET_COLUMNS)
        with connection.cursor() as cur:
            # INCLUDING DEFAULTS: the columns the generator does not fill (client_reference) get their '' default.
            cur.execute(
                "CREATE TEMP TABLE IF NOT EXISTS gen_ticket (LIKE tickets_ticket INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            cur.execute("ALTER TABLE gen_ticket ADD COLUMN IF NOT EXISTS comments_text text")
        _write(
            "gen_ticket",
            [*self._TICKET_COLUMNS, "comments_text"],
            [(*row, text) for row, text in zip(tickets, comments_text, strict=True)],
        )
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO tickets_ticket ({cols}, search_extra) "
                f"SELECT {cols}, CASE WHEN comments_text <> '' THEN to_tsvector('{TS_CONFIG}', comments_text) END "
                f"FROM gen_ticket"
            )
            cur.execute("TRUNCATE gen_ticket")
        WRITE_SECONDS["tickets_ticket"] += time.perf_counter() - start


def generate(
    *, tickets: int, companies: int, seed: int = 1, batch: int = BATCH, progress: Callable[[str], None] | None = None
) -> GenerationReport:
    return Generator(tickets=tickets, companies=companies, seed=seed, batch=batch, progress=progress).run()

"""The demo dataset as data: a French operator, two integrators, six client companies and their tickets.

Everything here is literal and deterministic so two loads build the same objects.
Fixed-line numbers come from the ARCEP ranges reserved for fiction (01 99 00,
02 61 91, 03 53 01, 04 65 71, 05 36 49) so a demo never dials a real subscriber.
Tickets are not rows but scenarios: steps replayed through ``tickets.actions``
(see ``softwhere/demo/actions.py``), so every state is reached the way an agent
would reach it, with its timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from softwhere.accounts.choices import Role
from softwhere.customers.choices import ContactRole, OrganisationKind, PreferredChannel
from softwhere.inventory.choices import (
    AccessTechnology,
    CommitmentMonths,
    EquipmentKind,
    GtrOption,
    SimKind,
    VoiceKind,
)
from softwhere.tickets.choices import Channel, Priority, ServiceState

VERSION = "2025.1"
#: One password for every demo login; printed by ``softwhere demo load`` and in the README.
PASSWORD = "SoftWhere-Demo-2025"

OFFICE_HOURS = {d: ["08:30-12:30", "13:30-18:00"] for d in ("lun", "mar", "mer", "jeu", "ven")}
SHOP_HOURS = {d: ["06:30-13:30", "15:00-19:30"] for d in ("mar", "mer", "jeu", "ven", "sam")} | {"dim": ["07:00-13:00"]}
DEPOT_HOURS = {d: ["05:00-21:00"] for d in ("lun", "mar", "mer", "jeu", "ven")} | {"sam": ["06:00-12:00"]}
HOTEL_HOURS = {d: ["00:00-24:00"] for d in ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")}
CLINIC_HOURS = {d: ["08:00-19:30"] for d in ("lun", "mar", "mer", "jeu", "ven")} | {"sam": ["09:00-17:00"]}


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    siret_seed: int
    address: str
    postal_code: str
    city: str
    partner: str | None = None


@dataclass(frozen=True)
class SiteSpec:
    key: str
    org: str
    name: str
    address: str
    postal_code: str
    city: str
    hours: dict[str, list[str]]
    access_notes: str = ""


@dataclass(frozen=True)
class ContactSpec:
    key: str
    org: str
    site: str | None
    first_name: str
    last_name: str
    email: str
    phone: str
    roles: tuple[str, ...]
    mobile: str = ""
    channel: str = PreferredChannel.MAIL


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    org: str
    first_name: str
    last_name: str

    @property
    def email(self) -> str:
        return f"{self.username}@demo.softwhere.example"


@dataclass(frozen=True)
class ServiceSpec:
    """One Access / VoiceService / MobileLine; ``model`` names the class, ``fields`` its columns."""

    key: str
    site: str
    model: str  # "access" | "voice" | "mobile"
    fields: dict[str, Any]
    #: voice only: (kind, first, last) number ranges, NDI first
    numbers: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class EquipmentSpec:
    key: str
    site: str
    kind: str
    brand: str
    model: str
    serial_number: str
    service: str | None = None
    mac_address: str = ""
    management_ip: str | None = None
    hostname: str = ""
    firmware: str = ""
    warranty_end: date | None = None


@dataclass(frozen=True)
class Step:
    """One thing an agent or a customer does on a ticket, replayed through the ticket actions.

    ``op`` is one of: transition, check, led, comment, assign, qualify, observe.
    """

    op: str
    actor: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TicketSpec:
    key: str
    org: str
    site: str | None
    subject: str
    description: str
    service_state: str
    author: str
    priority: int = Priority.P3
    channel: str = Channel.PHONE
    reporter: str | None = None
    services: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    case: str | None = None
    complementary_data: str = ""
    alerts: str = ""
    client_reference: str = ""
    steps: tuple[Step, ...] = ()


# --- step helpers: keep the scenarios below readable --------------------------------------------


def move(actor: str, name: str, **params: Any) -> Step:
    return Step("transition", actor, {"name": name, **params})


def take(actor: str) -> Step:
    return move(actor, "take")


def check(actor: str, count: int, level: str = "n1", **notes: str) -> Step:
    """Tick the first ``count`` items of ``level``; ``notes`` maps "i<position>" to a note."""
    return Step("check", actor, {"level": level, "count": count, "notes": notes})


def led(actor: str, device: str, phase: str, equipment: str | None = None, **states: str) -> Step:
    return Step("led", actor, {"device": device, "phase": phase, "equipment": equipment, "states": states})


def comment(actor: str, body: str, public: bool = False) -> Step:
    return Step("comment", actor, {"body": body, "public": public})


def assign(actor: str, assignee: str) -> Step:
    return Step("assign", actor, {"assignee": assignee})


def observe(actor: str, days: int) -> Step:
    return Step("observe", actor, {"days": days})


# --- organisations, sites, contacts, users --------------------------------------------------------

ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("softwhere", "SoftWhere", OrganisationKind.OPERATOR, 40001, "58 rue de la Villette", "69003", "Lyon"),
    OrgSpec(
        "alpes",
        "Alpes Télécom Intégration",
        OrganisationKind.PARTNER,
        40002,
        "27 avenue Alsace-Lorraine",
        "38000",
        "Grenoble",
    ),
    OrgSpec(
        "atlantique",
        "Atlantique Réseaux & Voix",
        OrganisationKind.PARTNER,
        40003,
        "12 quai de la Fosse",
        "44000",
        "Nantes",
    ),
    OrgSpec(
        "morel", "Cabinet Morel & Associés", OrganisationKind.CLIENT, 40004, "8 rue de la République", "69001", "Lyon"
    ),
    OrgSpec(
        "giraud",
        "Transports Giraud & Fils",
        OrganisationKind.CLIENT,
        40005,
        "12 rue de la Gare",
        "38430",
        "Moirans",
        partner="alpes",
    ),
    OrgSpec(
        "lemaire",
        "Boulangerie Lemaire",
        OrganisationKind.CLIENT,
        40006,
        "5 place Grenette",
        "38000",
        "Grenoble",
        partner="alpes",
    ),
    OrgSpec(
        "chartrons",
        "Hôtel des Chartrons",
        OrganisationKind.CLIENT,
        40007,
        "25 quai des Chartrons",
        "33000",
        "Bordeaux",
        partner="atlantique",
    ),
    OrgSpec(
        "erdre",
        "Clinique vétérinaire de l'Erdre",
        OrganisationKind.CLIENT,
        40008,
        "10 rue Paul Bellamy",
        "44000",
        "Nantes",
        partner="atlantique",
    ),
    OrgSpec("pixel", "Pixel & Papier", OrganisationKind.CLIENT, 40009, "2 rue de la Liberté", "21000", "Dijon"),
)

SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        "morel_lyon",
        "morel",
        "Siège Lyon",
        "8 rue de la République",
        "69001",
        "Lyon",
        OFFICE_HOURS,
        "3e étage, badge à demander à l'accueil. Baie de brassage dans le local archives.",
    ),
    SiteSpec(
        "morel_villeurbanne",
        "morel",
        "Bureau Villeurbanne",
        "45 cours Émile Zola",
        "69100",
        "Villeurbanne",
        OFFICE_HOURS,
    ),
    SiteSpec(
        "giraud_moirans",
        "giraud",
        "Dépôt Moirans",
        "12 rue de la Gare",
        "38430",
        "Moirans",
        DEPOT_HOURS,
        "Se présenter au poste de garde ; chaussures de sécurité obligatoires sur les quais.",
    ),
    SiteSpec(
        "giraud_grenoble", "giraud", "Agence Grenoble", "30 avenue Félix Viallet", "38000", "Grenoble", OFFICE_HOURS
    ),
    SiteSpec(
        "giraud_saint_priest", "giraud", "Quai Saint-Priest", "3 rue du Dauphiné", "69800", "Saint-Priest", DEPOT_HOURS
    ),
    SiteSpec(
        "lemaire_grenette",
        "lemaire",
        "Boutique Grenette",
        "5 place Grenette",
        "38000",
        "Grenoble",
        SHOP_HOURS,
        "Box et ONT dans l'arrière-boutique, derrière le four.",
    ),
    SiteSpec(
        "lemaire_echirolles",
        "lemaire",
        "Laboratoire Échirolles",
        "14 avenue de Grugliasco",
        "38130",
        "Échirolles",
        {d: ["03:00-11:00"] for d in ("mar", "mer", "jeu", "ven", "sam", "dim")},
    ),
    SiteSpec(
        "chartrons_hotel",
        "chartrons",
        "Hôtel",
        "25 quai des Chartrons",
        "33000",
        "Bordeaux",
        HOTEL_HOURS,
        "Réception 24/7 ; local technique au sous-sol (clé à la réception).",
    ),
    SiteSpec(
        "chartrons_annexe",
        "chartrons",
        "Annexe Saint-Pierre",
        "6 place du Parlement",
        "33000",
        "Bordeaux",
        OFFICE_HOURS,
    ),
    SiteSpec("erdre_nantes", "erdre", "Clinique Nantes", "10 rue Paul Bellamy", "44000", "Nantes", CLINIC_HOURS),
    SiteSpec("erdre_reze", "erdre", "Antenne Rezé", "15 rue Jean Jaurès", "44400", "Rezé", CLINIC_HOURS),
    SiteSpec("pixel_dijon", "pixel", "Studio Dijon", "2 rue de la Liberté", "21000", "Dijon", OFFICE_HOURS),
    SiteSpec("pixel_chenove", "pixel", "Atelier Chenôve", "8 avenue Roland Carraz", "21300", "Chenôve", OFFICE_HOURS),
)

T, C, F, S = ContactRole.TECHNICAL, ContactRole.COMMERCIAL, ContactRole.BILLING, ContactRole.ONSITE
CONTACTS: tuple[ContactSpec, ...] = (
    ContactSpec(
        "morel_it",
        "morel",
        "morel_lyon",
        "Claire",
        "Morel",
        "c.morel@morel-avocats.example",
        "04 65 71 20 01",
        (C, T),
        mobile="06 45 12 78 90",
        channel=PreferredChannel.BOTH,
    ),
    ContactSpec(
        "morel_compta", "morel", None, "Hugo", "Perrin", "compta@morel-avocats.example", "04 65 71 20 05", (F,)
    ),
    ContactSpec(
        "morel_villeurbanne",
        "morel",
        "morel_villeurbanne",
        "Inès",
        "Blanc",
        "i.blanc@morel-avocats.example",
        "04 65 71 21 00",
        (S,),
    ),
    ContactSpec(
        "giraud_dg", "giraud", None, "Paul", "Giraud", "paul.giraud@transports-giraud.example", "04 65 71 30 00", (C, F)
    ),
    ContactSpec(
        "giraud_exploit",
        "giraud",
        "giraud_moirans",
        "Sandrine",
        "Vidal",
        "exploitation@transports-giraud.example",
        "04 65 71 30 10",
        (T, S),
        mobile="06 72 45 18 36",
        channel=PreferredChannel.SMS,
    ),
    ContactSpec(
        "lemaire_gerant",
        "lemaire",
        "lemaire_grenette",
        "Antoine",
        "Lemaire",
        "contact@boulangerie-lemaire.example",
        "04 65 71 40 00",
        (C, T, F),
        mobile="06 88 14 52 07",
        channel=PreferredChannel.BOTH,
    ),
    ContactSpec(
        "chartrons_dir",
        "chartrons",
        "chartrons_hotel",
        "Isabelle",
        "Laurent",
        "direction@hotel-chartrons.example",
        "05 36 49 10 00",
        (C, F),
    ),
    ContactSpec(
        "chartrons_tech",
        "chartrons",
        "chartrons_hotel",
        "Mehdi",
        "Haddad",
        "technique@hotel-chartrons.example",
        "05 36 49 10 40",
        (T, S),
        mobile="07 68 12 34 56",
    ),
    ContactSpec(
        "erdre_vet",
        "erdre",
        "erdre_nantes",
        "Camille",
        "Roux",
        "accueil@clinique-erdre.example",
        "02 61 91 50 00",
        (C, T, S),
    ),
    ContactSpec(
        "erdre_compta", "erdre", None, "Olivier", "Marchand", "gestion@clinique-erdre.example", "02 61 91 50 09", (F,)
    ),
    ContactSpec(
        "pixel_it",
        "pixel",
        "pixel_dijon",
        "Léa",
        "Fontaine",
        "lea@pixel-papier.example",
        "03 53 01 40 01",
        (C, T, F),
        mobile="07 81 23 45 67",
        channel=PreferredChannel.BOTH,
    ),
    ContactSpec(
        "pixel_atelier",
        "pixel",
        "pixel_chenove",
        "Julien",
        "Mercier",
        "atelier@pixel-papier.example",
        "03 53 01 40 50",
        (S,),
    ),
)

USERS: tuple[UserSpec, ...] = (
    UserSpec("n1", Role.N1, "softwhere", "Julie", "Garnier"),
    UserSpec("n1bis", Role.N1, "softwhere", "Karim", "Benali"),
    UserSpec("n2", Role.N2, "softwhere", "Thomas", "Roussel"),
    UserSpec("superviseur", Role.SUPERVISOR, "softwhere", "Nathalie", "Faure"),
    UserSpec("adv", Role.ADV, "softwhere", "Sophie", "Lambert"),
    UserSpec("admin", Role.ADMIN, "softwhere", "Alexandre", "Henry"),
    UserSpec("partenaire", Role.PARTNER, "alpes", "Marc", "Chevalier"),
    UserSpec("partenaire2", Role.PARTNER, "atlantique", "Élodie", "Guérin"),
    UserSpec("client", Role.CLIENT, "morel", "Claire", "Morel"),
    UserSpec("client2", Role.CLIENT, "giraud", "Paul", "Giraud"),
)

# --- services and equipment -----------------------------------------------------------------------


def _access(tech: str, label: str, ref: str, down: str, up: str, fee: str, **kw: Any) -> dict[str, Any]:
    return {
        "technology": tech,
        "label": label,
        "carrier": kw.pop("carrier", "Orange"),
        "carrier_reference": ref,
        "bandwidth_down_mbps": Decimal(down),
        "bandwidth_up_mbps": Decimal(up),
        "monthly_fee": Decimal(fee),
        **kw,
    }


SERVICES: tuple[ServiceSpec, ...] = (
    # Cabinet Morel: fibre with business-hours GTR, SIP trunk with two SDA blocks, fax to mail.
    ServiceSpec(
        "morel_fibre",
        "morel_lyon",
        "access",
        _access(
            AccessTechnology.FIBRE,
            "Fibre FTTO 100 Mb/s – siège",
            "0050VKA2184",
            "100",
            "100",
            "390.00",
            gtr_option=GtrOption.STANDARD,
            commitment_months=CommitmentMonths.THIRTY_SIX,
            commitment_start=date(2024, 3, 1),
        ),
    ),
    ServiceSpec(
        "morel_trunk",
        "morel_lyon",
        "voice",
        {
            "voice_kind": VoiceKind.SIP_TRUNK,
            "label": "Trunk SIP 10 canaux",
            "carrier": "SoftWhere",
            "carrier_reference": "TRK-LYO-0012",
            "simultaneous_calls": 10,
            "monthly_fee": Decimal("120.00"),
            "commitment_months": CommitmentMonths.TWELVE,
            "commitment_start": date(2024, 3, 15),
        },
        numbers=(
            ("ndi", "04 65 71 20 00", "04 65 71 20 00"),
            ("sda", "04 65 71 20 00", "04 65 71 20 19"),
            ("sda", "04 65 71 21 00", "04 65 71 21 09"),
        ),
    ),
    ServiceSpec(
        "morel_fax",
        "morel_lyon",
        "voice",
        {
            "voice_kind": VoiceKind.FAX_TO_MAIL,
            "label": "Fax to mail",
            "carrier": "SoftWhere",
            "carrier_reference": "FAX-LYO-0003",
            "fax_email": "fax@morel-avocats.example",
            "monthly_fee": Decimal("9.90"),
        },
        numbers=(("ndi", "04 65 71 20 99", "04 65 71 20 99"),),
    ),
    ServiceSpec(
        "morel_adsl",
        "morel_villeurbanne",
        "access",
        _access(AccessTechnology.ADSL, "ADSL 20 Mb/s – Villeurbanne", "0472689912", "20", "1", "39.00"),
    ),
    ServiceSpec(
        "morel_4g",
        "morel_villeurbanne",
        "access",
        _access(
            AccessTechnology.BACKUP_4G,
            "Secours 4G – Villeurbanne",
            "4G-VIL-0007",
            "50",
            "20",
            "19.00",
            carrier="Bouygues Telecom",
        ),
    ),
    # Transports Giraud: SDSL with 24/7 GTR and 4G backup at the depot, Centrex, a fleet of mobiles.
    ServiceSpec(
        "giraud_sdsl",
        "giraud_moirans",
        "access",
        _access(
            AccessTechnology.SDSL,
            "SDSL 4 paires 20 Mb/s – dépôt",
            "0050VKF3",
            "20",
            "20",
            "420.00",
            pairs=4,
            gtr_option=GtrOption.EXTENDED,
            commitment_months=CommitmentMonths.THIRTY_SIX,
            commitment_start=date(2023, 9, 1),
        ),
    ),
    ServiceSpec(
        "giraud_4g",
        "giraud_moirans",
        "access",
        _access(AccessTechnology.BACKUP_4G, "Secours 4G – dépôt", "4G-MOI-0031", "50", "20", "19.00", carrier="SFR"),
    ),
    ServiceSpec(
        "giraud_centrex",
        "giraud_moirans",
        "voice",
        {
            "voice_kind": VoiceKind.CENTREX,
            "label": "Centrex 12 postes",
            "carrier": "SoftWhere",
            "carrier_reference": "CTX-MOI-0104",
            "seats": 12,
            "monthly_fee": Decimal("216.00"),
        },
        numbers=(("ndi", "04 65 71 30 00", "04 65 71 30 00"), ("sda", "04 65 71 30 00", "04 65 71 30 19")),
    ),
    ServiceSpec(
        "giraud_fibre_gre",
        "giraud_grenoble",
        "access",
        _access(
            AccessTechnology.FIBRE,
            "Fibre FTTO 50 Mb/s – agence",
            "0050VKB7731",
            "50",
            "50",
            "290.00",
            gtr_option=GtrOption.STANDARD,
        ),
    ),
    ServiceSpec(
        "giraud_mobile_1",
        "giraud_moirans",
        "mobile",
        {
            "msisdn": "06 10 20 30 40",
            "iccid_seed": 1,
            "label": "Chauffeur 01 – S. Bonnet",
            "fleet": "Chauffeurs",
            "apn": "orange.fr",
            "carrier": "Orange",
            "monthly_fee": Decimal("14.00"),
        },
    ),
    ServiceSpec(
        "giraud_mobile_2",
        "giraud_moirans",
        "mobile",
        {
            "msisdn": "06 11 22 33 44",
            "iccid_seed": 2,
            "label": "Chauffeur 02 – R. Costa",
            "fleet": "Chauffeurs",
            "apn": "orange.fr",
            "roaming_enabled": True,
            "carrier": "Orange",
            "monthly_fee": Decimal("19.00"),
        },
    ),
    ServiceSpec(
        "giraud_mobile_3",
        "giraud_saint_priest",
        "mobile",
        {
            "msisdn": "06 07 08 09 10",
            "iccid_seed": 3,
            "label": "Chef de quai Saint-Priest",
            "fleet": "Encadrement",
            "apn": "orange.fr",
            "carrier": "Orange",
            "monthly_fee": Decimal("14.00"),
        },
    ),
    ServiceSpec(
        "giraud_adsl_sp",
        "giraud_saint_priest",
        "access",
        _access(AccessTechnology.ADSL_NUE, "ADSL nue – quai Saint-Priest", "0478201133", "15", "1", "45.00"),
    ),
    # Boulangerie Lemaire: FTTH without GTR, small Centrex, fax to mail; ADSL + 4G at the lab.
    ServiceSpec(
        "lemaire_fibre",
        "lemaire_grenette",
        "access",
        _access(AccessTechnology.FIBRE, "Fibre FTTH 1 Gb/s – boutique", "FI-38185-22417", "1000", "500", "59.00"),
    ),
    ServiceSpec(
        "lemaire_centrex",
        "lemaire_grenette",
        "voice",
        {
            "voice_kind": VoiceKind.CENTREX,
            "label": "Centrex 3 postes",
            "carrier": "SoftWhere",
            "carrier_reference": "CTX-GRE-0388",
            "seats": 3,
            "monthly_fee": Decimal("54.00"),
        },
        numbers=(("ndi", "04 65 71 40 00", "04 65 71 40 00"),),
    ),
    ServiceSpec(
        "lemaire_fax",
        "lemaire_grenette",
        "voice",
        {
            "voice_kind": VoiceKind.FAX_TO_MAIL,
            "label": "Fax commandes",
            "carrier": "SoftWhere",
            "carrier_reference": "FAX-GRE-0041",
            "fax_email": "commandes@boulangerie-lemaire.example",
            "monthly_fee": Decimal("9.90"),
        },
        numbers=(("ndi", "04 65 71 40 09", "04 65 71 40 09"),),
    ),
    ServiceSpec(
        "lemaire_adsl",
        "lemaire_echirolles",
        "access",
        _access(AccessTechnology.ADSL, "ADSL 15 Mb/s – laboratoire", "0476235518", "15", "1", "39.00"),
    ),
    ServiceSpec(
        "lemaire_4g",
        "lemaire_echirolles",
        "access",
        _access(AccessTechnology.BACKUP_4G, "Secours 4G – laboratoire", "4G-ECH-0012", "30", "10", "19.00"),
    ),
    ServiceSpec(
        "lemaire_mobile",
        "lemaire_echirolles",
        "mobile",
        {
            "msisdn": "06 45 98 71 20",
            "iccid_seed": 4,
            "label": "Mobile livraisons",
            "apn": "orange.fr",
            "carrier": "Orange",
            "monthly_fee": Decimal("14.00"),
        },
    ),
    # Hôtel des Chartrons: fibre with 24/7 GTR, 30-channel SIP trunk on a 3CX, SDSL at the annex.
    ServiceSpec(
        "chartrons_fibre",
        "chartrons_hotel",
        "access",
        _access(
            AccessTechnology.FIBRE,
            "Fibre FTTO 200 Mb/s – hôtel",
            "0050VKC0452",
            "200",
            "200",
            "520.00",
            gtr_option=GtrOption.EXTENDED,
            commitment_months=CommitmentMonths.THIRTY_SIX,
            commitment_start=date(2024, 1, 15),
        ),
    ),
    ServiceSpec(
        "chartrons_trunk",
        "chartrons_hotel",
        "voice",
        {
            "voice_kind": VoiceKind.SIP_TRUNK,
            "label": "Trunk SIP 30 canaux",
            "carrier": "SoftWhere",
            "carrier_reference": "TRK-BDX-0201",
            "simultaneous_calls": 30,
            "monthly_fee": Decimal("290.00"),
        },
        numbers=(
            ("ndi", "05 36 49 10 00", "05 36 49 10 00"),
            ("sda", "05 36 49 10 00", "05 36 49 10 49"),
            ("sda", "05 36 49 11 00", "05 36 49 11 99"),
        ),
    ),
    ServiceSpec(
        "chartrons_sdsl",
        "chartrons_annexe",
        "access",
        _access(
            AccessTechnology.SDSL,
            "SDSL 2 paires 8 Mb/s – annexe",
            "0050VKD5519",
            "8",
            "8",
            "210.00",
            pairs=2,
            gtr_option=GtrOption.STANDARD,
        ),
    ),
    # Clinique de l'Erdre: fibre + Centrex + mobiles (one eSIM); ADSL with 4G backup at Rezé.
    ServiceSpec(
        "erdre_fibre",
        "erdre_nantes",
        "access",
        _access(
            AccessTechnology.FIBRE,
            "Fibre FTTO 100 Mb/s – clinique",
            "0050VKE1208",
            "100",
            "100",
            "340.00",
            gtr_option=GtrOption.STANDARD,
        ),
    ),
    ServiceSpec(
        "erdre_centrex",
        "erdre_nantes",
        "voice",
        {
            "voice_kind": VoiceKind.CENTREX,
            "label": "Centrex 8 postes",
            "carrier": "SoftWhere",
            "carrier_reference": "CTX-NTE-0512",
            "seats": 8,
            "monthly_fee": Decimal("144.00"),
        },
        numbers=(("ndi", "02 61 91 50 00", "02 61 91 50 00"), ("sda", "02 61 91 50 00", "02 61 91 50 09")),
    ),
    ServiceSpec(
        "erdre_mobile_1",
        "erdre_nantes",
        "mobile",
        {
            "msisdn": "06 33 41 27 58",
            "iccid_seed": 5,
            "label": "Astreinte vétérinaire",
            "fleet": "Astreinte",
            "apn": "sl2sfr",
            "carrier": "SFR",
            "monthly_fee": Decimal("17.00"),
        },
    ),
    ServiceSpec(
        "erdre_mobile_2",
        "erdre_nantes",
        "mobile",
        {
            "msisdn": "07 66 18 42 93",
            "sim_kind": SimKind.ESIM,
            "label": "Direction (eSIM)",
            "apn": "sl2sfr",
            "carrier": "SFR",
            "monthly_fee": Decimal("22.00"),
        },
    ),
    ServiceSpec(
        "erdre_adsl",
        "erdre_reze",
        "access",
        _access(AccessTechnology.ADSL, "ADSL 12 Mb/s – Rezé", "0240849921", "12", "1", "39.00"),
    ),
    ServiceSpec(
        "erdre_4g",
        "erdre_reze",
        "access",
        _access(AccessTechnology.BACKUP_4G, "Secours 4G – Rezé", "4G-REZ-0009", "30", "10", "19.00", carrier="SFR"),
    ),
    # Pixel & Papier: fibre + small SIP trunk at the studio, ADSL nue at the workshop.
    ServiceSpec(
        "pixel_fibre",
        "pixel_dijon",
        "access",
        _access(
            AccessTechnology.FIBRE,
            "Fibre FTTO 300 Mb/s – studio",
            "0050VKG4470",
            "300",
            "300",
            "310.00",
            gtr_option=GtrOption.STANDARD,
        ),
    ),
    ServiceSpec(
        "pixel_trunk",
        "pixel_dijon",
        "voice",
        {
            "voice_kind": VoiceKind.SIP_TRUNK,
            "label": "Trunk SIP 4 canaux",
            "carrier": "SoftWhere",
            "carrier_reference": "TRK-DIJ-0077",
            "simultaneous_calls": 4,
            "monthly_fee": Decimal("48.00"),
        },
        numbers=(("ndi", "03 53 01 40 00", "03 53 01 40 00"), ("sda", "03 53 01 40 00", "03 53 01 40 09")),
    ),
    ServiceSpec(
        "pixel_adsl",
        "pixel_chenove",
        "access",
        _access(AccessTechnology.ADSL_NUE, "ADSL nue – atelier", "0380524417", "18", "1", "45.00"),
    ),
)


def _mac(oui: str, n: int) -> str:
    return f"{oui}:{(n >> 16) & 0xFF:02x}:{(n >> 8) & 0xFF:02x}:{n & 0xFF:02x}"


YEALINK, SNOM, CISCO = "80:5e:c0", "00:04:13", "00:1e:bd"
E = EquipmentKind
W = date(2027, 6, 30)
EQUIPMENT: tuple[EquipmentSpec, ...] = (
    EquipmentSpec(
        "morel_ont",
        "morel_lyon",
        E.ONT,
        "Huawei",
        "HG8010H",
        "48575443A1B2C3D4",
        "morel_fibre",
        firmware="V3R017C10S105",
    ),
    EquipmentSpec(
        "morel_router",
        "morel_lyon",
        E.ROUTER,
        "Cisco",
        "C1111-4P",
        "FGL2231A0QK",
        "morel_fibre",
        mac_address=_mac(CISCO, 0x0A1201),
        management_ip="10.64.12.1",
        hostname="rt-morel-lyon",
        firmware="IOS-XE 17.9.4a",
        warranty_end=W,
    ),
    EquipmentSpec(
        "morel_switch",
        "morel_lyon",
        E.SWITCH,
        "HPE Aruba",
        "2530-24G-PoE+",
        "CN83FP2137",
        management_ip="10.64.12.2",
        hostname="sw-morel-lyon",
    ),
    EquipmentSpec(
        "morel_3cx",
        "morel_lyon",
        E.IPBX,
        "3CX",
        "Phone System v20 (mini-PC)",
        "3CX-20-LYO-0012",
        "morel_trunk",
        management_ip="10.64.12.10",
        hostname="pbx-morel",
    ),
    EquipmentSpec(
        "morel_phone_1",
        "morel_lyon",
        E.IP_PHONE,
        "Yealink",
        "T54W",
        "805EC01A2B01",
        "morel_trunk",
        mac_address=_mac(YEALINK, 0x1A2B01),
    ),
    EquipmentSpec(
        "morel_phone_2",
        "morel_lyon",
        E.IP_PHONE,
        "Yealink",
        "T54W",
        "805EC01A2B02",
        "morel_trunk",
        mac_address=_mac(YEALINK, 0x1A2B02),
    ),
    EquipmentSpec(
        "morel_phone_3",
        "morel_lyon",
        E.IP_PHONE,
        "Yealink",
        "T46U",
        "805EC01A2B03",
        "morel_trunk",
        mac_address=_mac(YEALINK, 0x1A2B03),
    ),
    EquipmentSpec(
        "morel_vil_router",
        "morel_villeurbanne",
        E.ROUTER,
        "Cisco",
        "C921-4P",
        "FGL2240B1XZ",
        "morel_adsl",
        management_ip="10.64.13.1",
        hostname="rt-morel-villeurbanne",
    ),
    EquipmentSpec(
        "morel_vil_4g",
        "morel_villeurbanne",
        E.MODEM_4G,
        "Teltonika",
        "RUTX11",
        "1108412297",
        "morel_4g",
        management_ip="10.64.13.2",
    ),
    EquipmentSpec(
        "giraud_router",
        "giraud_moirans",
        E.ROUTER,
        "Ekinops",
        "OneAccess ONE540",
        "T2145-0093",
        "giraud_sdsl",
        management_ip="10.64.20.1",
        hostname="rt-giraud-moirans",
        firmware="6.6.2",
    ),
    EquipmentSpec(
        "giraud_4g_modem",
        "giraud_moirans",
        E.MODEM_4G,
        "Teltonika",
        "RUTX11",
        "1108419930",
        "giraud_4g",
        management_ip="10.64.20.2",
    ),
    EquipmentSpec(
        "giraud_switch",
        "giraud_moirans",
        E.SWITCH,
        "Cisco",
        "CBS350-24P",
        "PSZ25011ABC",
        management_ip="10.64.20.3",
        hostname="sw-giraud-moirans",
    ),
    EquipmentSpec(
        "giraud_phone_1",
        "giraud_moirans",
        E.IP_PHONE,
        "Yealink",
        "T46U",
        "805EC02C0001",
        "giraud_centrex",
        mac_address=_mac(YEALINK, 0x2C0001),
    ),
    EquipmentSpec(
        "giraud_phone_2",
        "giraud_moirans",
        E.DECT,
        "Yealink",
        "W76P",
        "805EC02C0002",
        "giraud_centrex",
        mac_address=_mac(YEALINK, 0x2C0002),
    ),
    EquipmentSpec("giraud_gre_ont", "giraud_grenoble", E.ONT, "Nokia", "G-010G-Q", "ALCLB3A41F22", "giraud_fibre_gre"),
    EquipmentSpec(
        "giraud_gre_router",
        "giraud_grenoble",
        E.ROUTER,
        "Cisco",
        "C1111-4P",
        "FGL2302C1AA",
        "giraud_fibre_gre",
        management_ip="10.64.21.1",
        hostname="rt-giraud-grenoble",
    ),
    EquipmentSpec(
        "lemaire_ont",
        "lemaire_grenette",
        E.ONT,
        "Huawei",
        "HG8245H",
        "4857544312F0AB77",
        "lemaire_fibre",
        firmware="V3R017C10S115",
    ),
    EquipmentSpec(
        "lemaire_router",
        "lemaire_grenette",
        E.ROUTER,
        "Cisco",
        "C927-4P",
        "FGL2409D0KT",
        "lemaire_fibre",
        management_ip="10.64.30.1",
        hostname="rt-lemaire-grenette",
    ),
    EquipmentSpec(
        "lemaire_phone",
        "lemaire_grenette",
        E.IP_PHONE,
        "Snom",
        "D735",
        "000413A55C01",
        "lemaire_centrex",
        mac_address=_mac(SNOM, 0xA55C01),
    ),
    EquipmentSpec(
        "lemaire_lab_router",
        "lemaire_echirolles",
        E.ROUTER,
        "Cisco",
        "C921-4P",
        "FGL2412E7UP",
        "lemaire_adsl",
        management_ip="10.64.31.1",
    ),
    EquipmentSpec(
        "chartrons_ont", "chartrons_hotel", E.ONT, "Huawei", "HG8010H", "48575443C0452EE1", "chartrons_fibre"
    ),
    EquipmentSpec(
        "chartrons_router",
        "chartrons_hotel",
        E.ROUTER,
        "Cisco",
        "C1121-8P",
        "FGL2350A9PC",
        "chartrons_fibre",
        management_ip="10.64.40.1",
        hostname="rt-chartrons-hotel",
        warranty_end=W,
    ),
    EquipmentSpec(
        "chartrons_3cx",
        "chartrons_hotel",
        E.IPBX,
        "3CX",
        "Phone System v20 (appliance)",
        "3CX-20-BDX-0201",
        "chartrons_trunk",
        management_ip="10.64.40.10",
        hostname="pbx-chartrons",
    ),
    EquipmentSpec(
        "chartrons_switch_1",
        "chartrons_hotel",
        E.SWITCH,
        "HPE Aruba",
        "CX 6100 48G PoE",
        "CN2AKP8012",
        management_ip="10.64.40.2",
        hostname="sw-chartrons-1",
    ),
    EquipmentSpec(
        "chartrons_switch_2",
        "chartrons_hotel",
        E.SWITCH,
        "HPE Aruba",
        "CX 6100 24G PoE",
        "CN2AKP8013",
        management_ip="10.64.40.3",
        hostname="sw-chartrons-2",
    ),
    EquipmentSpec(
        "chartrons_phone_reception",
        "chartrons_hotel",
        E.IP_PHONE,
        "Yealink",
        "T58W",
        "805EC03D0001",
        "chartrons_trunk",
        mac_address=_mac(YEALINK, 0x3D0001),
    ),
    EquipmentSpec(
        "chartrons_phone_bar",
        "chartrons_hotel",
        E.IP_PHONE,
        "Yealink",
        "T43U",
        "805EC03D0002",
        "chartrons_trunk",
        mac_address=_mac(YEALINK, 0x3D0002),
    ),
    EquipmentSpec(
        "chartrons_annexe_router",
        "chartrons_annexe",
        E.ROUTER,
        "Ekinops",
        "OneAccess ONE540",
        "T2201-0412",
        "chartrons_sdsl",
        management_ip="10.64.41.1",
        hostname="rt-chartrons-annexe",
        firmware="6.4.1",
    ),
    EquipmentSpec("erdre_ont", "erdre_nantes", E.ONT, "Nokia", "G-010G-Q", "ALCLB3B77E10", "erdre_fibre"),
    EquipmentSpec(
        "erdre_router",
        "erdre_nantes",
        E.ROUTER,
        "Cisco",
        "C1111-4P",
        "FGL2318F2ZZ",
        "erdre_fibre",
        management_ip="10.64.50.1",
        hostname="rt-erdre-nantes",
    ),
    EquipmentSpec(
        "erdre_phone_accueil",
        "erdre_nantes",
        E.IP_PHONE,
        "Snom",
        "D785",
        "000413B77001",
        "erdre_centrex",
        mac_address=_mac(SNOM, 0xB77001),
    ),
    EquipmentSpec(
        "erdre_reze_router",
        "erdre_reze",
        E.ROUTER,
        "Cisco",
        "C921-4PLTEGB",
        "FGL2420G3MN",
        "erdre_adsl",
        management_ip="10.64.51.1",
        hostname="rt-erdre-reze",
    ),
    EquipmentSpec("pixel_ont", "pixel_dijon", E.ONT, "Huawei", "HG8010H", "48575443D4470A10", "pixel_fibre"),
    EquipmentSpec(
        "pixel_router",
        "pixel_dijon",
        E.ROUTER,
        "Cisco",
        "C1111-4P",
        "FGL2288H5QW",
        "pixel_fibre",
        management_ip="10.64.60.1",
        hostname="rt-pixel-dijon",
    ),
    EquipmentSpec(
        "pixel_phone",
        "pixel_dijon",
        E.IP_PHONE,
        "Yealink",
        "T54W",
        "805EC04E0001",
        "pixel_trunk",
        mac_address=_mac(YEALINK, 0x4E0001),
    ),
    EquipmentSpec(
        "pixel_chenove_router",
        "pixel_chenove",
        E.ROUTER,
        "Cisco",
        "C927-4P",
        "FGL2431J8RT",
        "pixel_adsl",
        management_ip="10.64.61.1",
    ),
)

# --- tickets: at least one in every TicketStatus ---------------------------------------------------

ONT_OK = {"power": "vert_fixe", "pon": "vert_fixe", "los": "eteint", "lan": "clignotant"}
ROUTER_OK = {"power": "vert_fixe", "wan": "vert_fixe", "internet": "vert_fixe", "lan": "clignotant"}

TICKETS: tuple[TicketSpec, ...] = (
    # -- new ---------------------------------------------------------------------------------------
    TicketSpec(
        "morel_standard",
        "morel",
        "morel_lyon",
        "Standard injoignable depuis l'extérieur",
        "Nos clients tombent sur un message « numéro non attribué » en appelant le standard depuis ce matin. "
        "Les appels internes fonctionnent.",
        ServiceState.DEGRADED,
        "client",
        priority=Priority.P2,
        channel=Channel.WEB,
        reporter="morel_it",
        services=("morel_trunk",),
        steps=(
            comment("client", "Les appels sortants fonctionnent, seuls les entrants posent problème.", public=True),
        ),
    ),
    TicketSpec(
        "chartrons_annexe_sync",
        "chartrons",
        "chartrons_annexe",
        "Alarme supervision : perte de synchro SDSL annexe",
        "Alarme LINK DOWN remontée par la supervision sur le lien SDSL de l'annexe Saint-Pierre.",
        ServiceState.INTERRUPTED,
        "n1bis",
        priority=Priority.P2,
        channel=Channel.SUPERVISION,
        services=("chartrons_sdsl",),
        equipment=("chartrons_annexe_router",),
        case="incident_internet_perte_wan",
        alerts="LINK DOWN 0050VKD5519 depuis 07:42",
    ),
    TicketSpec(
        "giraud_roaming",
        "giraud",
        "giraud_moirans",
        "Activer le roaming pour un chauffeur en Espagne",
        "Le chauffeur 01 part lundi pour une livraison à Barcelone, merci d'activer les données à l'étranger.",
        ServiceState.NO_DISRUPTION,
        "client2",
        priority=Priority.P4,
        channel=Channel.WEB,
        reporter="giraud_exploit",
        services=("giraud_mobile_1",),
    ),
    # -- in_progress -------------------------------------------------------------------------------
    TicketSpec(
        "morel_fibre_down",
        "morel",
        "morel_lyon",
        "Plus d'accès Internet au siège – fibre KO",
        "Coupure totale constatée à 09:05 : plus de navigation, plus de mails, téléphonie 3CX hors service.",
        ServiceState.INTERRUPTED,
        "n1",
        priority=Priority.P1,
        reporter="morel_it",
        services=("morel_fibre", "morel_trunk"),
        equipment=("morel_ont", "morel_router"),
        case="incident_internet_perte_wan",
        complementary_data="GTR 4 h heures ouvrées (lundi–vendredi 8 h–18 h).",
        steps=(
            take("n1"),
            led(
                "n1",
                "ont",
                "before",
                "morel_ont",
                power="vert_fixe",
                pon="rouge_fixe",
                los="rouge_clignotant",
                lan="vert_fixe",
            ),
            led(
                "n1",
                "router",
                "before",
                "morel_router",
                power="vert_fixe",
                wan="rouge_fixe",
                internet="rouge_fixe",
                lan="clignotant",
            ),
            check("n1", 3, i1="Internet rouge, LAN OK."),
            led(
                "n1",
                "ont",
                "after",
                "morel_ont",
                power="vert_fixe",
                pon="rouge_fixe",
                los="rouge_clignotant",
                lan="vert_fixe",
            ),
            comment(
                "n1",
                "Cliente prévenue : LOS toujours rouge clignotant après redémarrage, suspicion de "
                "rupture fibre. Heure de coupure 09:05.",
            ),
            comment(
                "n1",
                "Nous avons constaté une perte du signal optique sur votre accès fibre. "
                "Nos équipes poursuivent le diagnostic.",
                public=True,
            ),
        ),
    ),
    TicketSpec(
        "chartrons_trunk",
        "chartrons",
        "chartrons_hotel",
        "Trunk SIP non enregistré – appels entrants KO",
        "La réception ne reçoit plus aucun appel ; le 3CX indique le trunk « non enregistré ».",
        ServiceState.INTERRUPTED,
        "n1bis",
        priority=Priority.P1,
        reporter="chartrons_tech",
        services=("chartrons_trunk",),
        equipment=("chartrons_3cx",),
        case="incident_fixe_trunk_non_enregistre",
        steps=(
            take("n1bis"),
            check(
                "n1bis",
                2,
                i0="Navigation OK depuis le poste de la réception.",
                i1="Trunk « Unregistered » dans la console 3CX, erreur 403.",
            ),
            comment("n1bis", "Erreur 403 Forbidden à l'enregistrement : vérifier l'IP publique autorisée."),
        ),
    ),
    TicketSpec(
        "chartrons_router_reboots",
        "chartrons",
        "chartrons_annexe",
        "Routeur de l'annexe qui redémarre plusieurs fois par jour",
        "Le routeur de l'annexe redémarre tout seul, la connexion coupe quelques minutes à chaque fois.",
        ServiceState.DEGRADED,
        "partenaire2",
        channel=Channel.WEB,
        reporter="chartrons_tech",
        services=("chartrons_sdsl",),
        equipment=("chartrons_annexe_router",),
        steps=(
            Step("qualify", "n1", {"case": "incident_materiel_routeur"}),
            take("n1"),
            led(
                "n1",
                "router",
                "before",
                "chartrons_annexe_router",
                power="bleu",
                wan="clignotant",
                internet="clignotant_rapide",
                lan="clignotant",
            ),
            check("n1", 4, i2="Firmware 6.4.1, une version corrective 6.6.2 est disponible."),
            led("n1", "router", "after", "chartrons_annexe_router", **ROUTER_OK),
            move("n1", "resolve", resolution="Firmware mis à jour en 6.6.2 à distance, plus de redémarrage constaté."),
            move("partenaire2", "reopen", reason="Le routeur a encore redémarré ce matin à 08:10."),
            comment("n1", "Réouverture : relevé des journaux de redémarrage demandé au client.", public=True),
        ),
    ),
    # -- escalated ---------------------------------------------------------------------------------
    TicketSpec(
        "lemaire_ont",
        "lemaire",
        "lemaire_grenette",
        "Boutique sans Internet : voyant LOS rouge sur la box fibre",
        "Plus de terminal de paiement ni de téléphone depuis l'ouverture à 06:30.",
        ServiceState.INTERRUPTED,
        "n1",
        priority=Priority.P1,
        reporter="lemaire_gerant",
        services=("lemaire_fibre",),
        equipment=("lemaire_ont", "lemaire_router"),
        case="incident_materiel_ont",
        steps=(
            take("n1"),
            led("n1", "ont", "before", "lemaire_ont", power="vert_fixe", pon="eteint", los="rouge_fixe", lan="eteint"),
            check(
                "n1",
                4,
                i0="Jarretière réinsérée côté PTO, sans effet.",
                i1="Power vert fixe, PON éteint, LOS rouge fixe, LAN éteint.",
                i3="Coupure à 06:20 d'après le client, pas de reprise.",
            ),
            led("n1", "ont", "after", "lemaire_ont", power="vert_fixe", pon="eteint", los="rouge_fixe", lan="eteint"),
            move("n1", "escalate"),
            assign("superviseur", "n2"),
            check("n2", 1, level="n2", i0="Niveau optique reçu -31 dBm côté OLT : hors tolérance."),
            comment("n2", "Intervention technicien fibre demandée (contrôle PBO / PTO)."),
        ),
    ),
    TicketSpec(
        "pixel_latence",
        "pixel",
        "pixel_dijon",
        "Visioconférences saccadées, débit très faible",
        "Depuis deux jours les visios coupent et les envois de fichiers aux imprimeurs sont très lents.",
        ServiceState.DEGRADED,
        "n1bis",
        priority=Priority.P3,
        channel=Channel.MAIL,
        reporter="pixel_it",
        services=("pixel_fibre",),
        equipment=("pixel_router",),
        case="incident_internet_debit_latence",
        steps=(
            take("n1bis"),
            check(
                "n1bis",
                2,
                i0="Speedtest filaire : 12 Mb/s descendant pour 300 Mb/s souscrits.",
                i1="Ping 8.8.8.8 : 180 ms de moyenne, 4 % de pertes.",
            ),
            move(
                "n1bis",
                "escalate",
                reason="Débit et latence anormaux en filaire, usage local faible : analyse NOC nécessaire.",
            ),
            assign("superviseur", "n2"),
        ),
    ),
    # -- waiting_client ----------------------------------------------------------------------------
    TicketSpec(
        "erdre_renvoi",
        "erdre",
        "erdre_nantes",
        "Renvoi de nuit vers le vétérinaire de garde",
        "Nous souhaitons que le standard soit renvoyé vers le portable d'astreinte le soir et le week-end.",
        ServiceState.NO_DISRUPTION,
        "partenaire2",
        priority=Priority.P4,
        channel=Channel.MAIL,
        reporter="erdre_vet",
        services=("erdre_centrex",),
        case="parametrage_fixe_renvoi",
        steps=(
            take("n1"),
            check("n1", 1, i0="Renvoi inconditionnel sur plage horaire."),
            move(
                "n1",
                "wait_client",
                reason="Attente du numéro d'astreinte et des plages horaires (soirs et week-end) à appliquer.",
            ),
            comment(
                "n1",
                "Bonjour, pourriez-vous nous confirmer le numéro de l'astreinte et les horaires du renvoi ? Merci.",
                public=True,
            ),
        ),
    ),
    # -- waiting_carrier ---------------------------------------------------------------------------
    TicketSpec(
        "giraud_bagots",
        "giraud",
        "giraud_moirans",
        "Bagots sur le lien SDSL du dépôt",
        "Coupures de quelques secondes plusieurs fois par heure ; le secours 4G prend le relais.",
        ServiceState.BACKUP_ACTIVE,
        "n1",
        priority=Priority.P2,
        channel=Channel.SUPERVISION,
        reporter="giraud_exploit",
        services=("giraud_sdsl", "giraud_4g"),
        equipment=("giraud_router",),
        case="sav_internet_coupures",
        complementary_data="GTR 4 h étendue 24/7. Accès ethernet 0050VKF3.",
        alerts="14 pertes de synchro en 24 h",
        client_reference="EXPL-2026-0412",
        steps=(
            take("n1"),
            check(
                "n1",
                3,
                i0="Coupures relevées à 06:12, 06:47, 07:30, 09:05.",
                i1="Voyant WAN du routeur clignotant lors des coupures.",
            ),
            move("n1", "escalate"),
            assign("superviseur", "n2"),
            comment(
                "n2",
                "SSH sur rt-giraud-moirans : alarmes LINK DOWN/UP répétées depuis 05:58 sur l'interface "
                "SDSL, erreurs CRC en hausse sur les paires 3 et 4.",
            ),
            check("n2", 1, level="n2", i0="Erreurs CRC confirmées, dérangement ouvert chez l'opérateur."),
            move("n2", "wait_carrier", carrier="Orange", carrier_ticket_reference="25061900842"),
            comment(
                "n2",
                "Le dérangement est suivi par l'opérateur de collecte ; votre secours 4G assure la "
                "continuité de service.",
                public=True,
            ),
        ),
    ),
    # -- resolved ----------------------------------------------------------------------------------
    TicketSpec(
        "giraud_sim",
        "giraud",
        "giraud_moirans",
        "Carte SIM non reconnue sur le téléphone d'un chauffeur",
        "Le téléphone du chauffeur 02 affiche « Pas de carte SIM » depuis hier soir.",
        ServiceState.INTERRUPTED,
        "n1bis",
        reporter="giraud_exploit",
        services=("giraud_mobile_2",),
        case="incident_mobile_sim",
        steps=(
            take("n1bis"),
            check("n1bis", 3, i0="Même erreur dans un autre téléphone : la SIM est en cause."),
            move("n1bis", "resolve", resolution="SIM défectueuse : nouvelle SIM envoyée et activée, ligne rétablie."),
        ),
    ),
    TicketSpec(
        "chartrons_poste",
        "chartrons",
        "chartrons_hotel",
        "Poste de la réception sans tonalité",
        "Le poste principal de la réception est éteint, les autres postes fonctionnent.",
        ServiceState.DEGRADED,
        "n1",
        reporter="chartrons_tech",
        services=("chartrons_trunk",),
        equipment=("chartrons_phone_reception", "chartrons_switch_1"),
        case="incident_fixe_poste_isole",
        steps=(
            take("n1"),
            check(
                "n1",
                4,
                i0="Port 12 du switch sans PoE ; poste branché sur le port 14 : il démarre.",
                i3="Port 12 désactivé en PoE dans la configuration du switch.",
            ),
            move("n1", "resolve", resolution="Poste rebranché sur un port PoE actif et ré-enregistré sur le 3CX."),
        ),
    ),
    # -- observation -------------------------------------------------------------------------------
    TicketSpec(
        "erdre_backup",
        "erdre",
        "erdre_reze",
        "Le secours 4G ne prend pas le relais",
        "Lors de la coupure ADSL de mardi, l'antenne est restée sans Internet malgré le secours 4G.",
        ServiceState.DEGRADED,
        "n1",
        priority=Priority.P2,
        reporter="erdre_vet",
        services=("erdre_adsl", "erdre_4g"),
        equipment=("erdre_reze_router",),
        case="incident_internet_backup4g",
        steps=(
            take("n1"),
            check("n1", 3, i2="APN « sl2sfr » correct, data SIM active."),
            move("n1", "escalate"),
            assign("n2", "n2"),
            check("n2", 2, level="n2", i1="Règle de failover recréée dans le routeur (tracking ICMP)."),
            observe("n2", 3),
            comment(
                "n2",
                "Bascule testée en débranchant l'ADSL : secours actif en 40 secondes. Ticket en observation 3 jours.",
                public=True,
            ),
        ),
    ),
    # -- closure_requested -------------------------------------------------------------------------
    TicketSpec(
        "morel_facture",
        "morel",
        None,
        "Trunk SIP facturé deux fois sur la facture de mai",
        "La facture de mai comporte deux lignes « Trunk SIP 10 canaux ».",
        ServiceState.NO_DISRUPTION,
        "adv",
        priority=Priority.P4,
        channel=Channel.MAIL,
        reporter="morel_compta",
        services=("morel_trunk",),
        case="administratif_facturation",
        steps=(
            comment("adv", "Double ligne confirmée : régularisation demandée à la facturation."),
            take("n1"),
            check("n1", 3),
            move("n1", "resolve", resolution="Avoir de 120,00 € HT émis sur la facture de juin."),
            move("n1", "request_closure"),
        ),
    ),
    # -- closed ------------------------------------------------------------------------------------
    TicketSpec(
        "pixel_rma",
        "pixel",
        "pixel_chenove",
        "Routeur de l'atelier hors service",
        "Plus aucun voyant sur le routeur de l'atelier, même après changement de prise.",
        ServiceState.INTERRUPTED,
        "n1",
        priority=Priority.P2,
        reporter="pixel_atelier",
        services=("pixel_adsl",),
        equipment=("pixel_chenove_router",),
        case="sav_materiel_rma",
        steps=(
            take("n1"),
            check("n1", 3, i0="Numéro de série FGL2431J8RT.", i2="Sous garantie jusqu'en 2027."),
            move("n1", "escalate"),
            assign("superviseur", "n2"),
            check("n2", 2, level="n2", i0="RMA fournisseur ouvert, routeur de remplacement expédié."),
            move("n2", "resolve", resolution="Routeur remplacé par échange standard, connexion rétablie."),
            move("n2", "close"),
        ),
    ),
    TicketSpec(
        "morel_sda",
        "morel",
        "morel_lyon",
        "SDA 04 65 71 20 15 n'aboutit plus au bon poste",
        "Les appels vers la ligne directe de Maître Perrin sonnent à l'accueil.",
        ServiceState.DEGRADED,
        "client",
        channel=Channel.WEB,
        reporter="morel_it",
        services=("morel_trunk",),
        equipment=("morel_3cx",),
        steps=(
            Step("qualify", "n1bis", {"case": "incident_fixe_routage_sda"}),
            take("n1bis"),
            check("n1bis", 3, i0="Règle entrante 2015 pointait vers le groupe accueil après migration 3CX."),
            move("n1bis", "resolve", resolution="Règle d'appel entrant corrigée dans le 3CX."),
            comment("client", "Merci, tout fonctionne à nouveau.", public=True),
            move("client", "close"),
        ),
    ),
    # -- cancelled ---------------------------------------------------------------------------------
    TicketSpec(
        "lemaire_commande",
        "lemaire",
        "lemaire_grenette",
        "Suivi de livraison du routeur de prêt",
        "Quand le routeur de prêt sera-t-il livré à la boutique ?",
        ServiceState.NO_DISRUPTION,
        "partenaire",
        priority=Priority.P4,
        channel=Channel.WEB,
        reporter="lemaire_gerant",
        case="commande_materiel_suivi",
        steps=(
            move(
                "n1", "cancel", reason="Doublon : la demande est suivie dans le ticket de panne fibre de la boutique."
            ),
        ),
    ),
)

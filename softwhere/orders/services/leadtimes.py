"""Lead times of seed II.E d (« Récapitulatif des principaux délais », indicative) and the dates they give.

Weeks are calendar weeks rolled to the next business day; « sous 48 heures » is taken as two
business days; portability and special numbers are counted in business days. Each lead time has
a nominal value (the expected date) and an upper bound (after which the order is late).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from . import calendar

BUSINESS_DAYS, WEEKS = "business_days", "weeks"


@dataclass(frozen=True)
class LeadTime:
    label: str
    unit: str
    nominal: int
    latest: int
    source: str = "II.E d"

    def expected(self, start: date) -> date:
        return _add(start, self.nominal, self.unit)

    def deadline(self, start: date) -> date:
        return _add(start, self.latest, self.unit)

    @property
    def text(self) -> str:
        unit = "jours ouvrés" if self.unit == BUSINESS_DAYS else "semaines"
        if self.nominal == self.latest:
            return f"{self.nominal} {unit}"
        return f"{self.nominal} à {self.latest} {unit}"


def _add(start: date, amount: int, unit: str) -> date:
    if unit == BUSINESS_DAYS:
        return calendar.add_business_days(start, amount)
    return calendar.next_business_day(start + timedelta(weeks=amount))


VOICE_48H: Final = LeadTime("Trunk SIP / Centrex : sous 48 heures", BUSINESS_DAYS, 2, 2)
FAX_48H: Final = LeadTime("Fax to Mail : sous 48 heures", BUSINESS_DAYS, 2, 2)
# « 6 à 11 jours ouvrés » for Orange, France Télécom, subsequent and third-party portability alike.
PORTABILITY: Final = LeadTime("Portabilité : 6 à 11 jours ouvrés", BUSINESS_DAYS, 6, 11)
SPECIAL_NUMBERS: Final = LeadTime("Numéros spéciaux : 15 jours ouvrés minimum", BUSINESS_DAYS, 15, 15)
ADSL_ORANGE: Final = LeadTime("ADSL Orange : 4 semaines (± 1 semaine)", WEEKS, 4, 5)
ADSL_NU_ORANGE: Final = LeadTime("ADSL NU Orange : 6 semaines", WEEKS, 6, 6)
SDSL_ORANGE: Final = LeadTime("SDSL Orange : environ 3 semaines", WEEKS, 3, 3)
ADSL_SFR: Final = LeadTime("ADSL SFR : 4 semaines (± 1 semaine)", WEEKS, 4, 5)
SDSL_SFR: Final = LeadTime("SDSL SFR : 5 semaines", WEEKS, 5, 5)
FIBRE: Final = LeadTime("Fibre optique : selon étude, environ 12 semaines", WEEKS, 12, 12)
# I.E: « Le délai de parution, à titre informatif, est de 6 à 12 semaines ».
PAGES_JAUNES: Final = LeadTime("Pages Jaunes : parution en 6 à 12 semaines", WEEKS, 6, 12, "I.E")
# II.F a: « l'ajout/suppression sera mis en place sous 48h ».
SEATS_CHANGE: Final = LeadTime("Ajout ou suppression de postes : sous 48 heures", BUSINESS_DAYS, 2, 2, "II.F a")

LINK_LEAD_TIMES: Final = {
    ("adsl", "orange"): ADSL_ORANGE,
    ("adsl_nue", "orange"): ADSL_NU_ORANGE,
    ("sdsl", "orange"): SDSL_ORANGE,
    ("adsl", "sfr"): ADSL_SFR,
    # The table has no « ADSL NU SFR » row: the ADSL SFR lead time is used (docs/decisions.md).
    ("adsl_nue", "sfr"): ADSL_SFR,
    ("sdsl", "sfr"): SDSL_SFR,
}


def link_lead_time(technology: str, carrier: str) -> LeadTime | None:
    if technology == "fibre":
        return FIBRE
    return LINK_LEAD_TIMES.get((technology, (carrier or "").lower()))


def all_lead_times() -> list[LeadTime]:
    return [
        VOICE_48H,
        FAX_48H,
        PORTABILITY,
        SPECIAL_NUMBERS,
        ADSL_ORANGE,
        ADSL_NU_ORANGE,
        SDSL_ORANGE,
        ADSL_SFR,
        SDSL_SFR,
        FIBRE,
        PAGES_JAUNES,
        SEATS_CHANGE,
    ]


@dataclass(frozen=True)
class Milestone:
    code: str
    label: str
    expected: date
    deadline: date
    lead_time: str


@dataclass(frozen=True)
class PlanInput:
    """What the schedule depends on; actual dates replace the forecasts once known."""

    start: date
    links: tuple[tuple[str, str], ...] = ()  # (technology, carrier)
    voice: bool = False
    special_numbers: bool = False
    fax: bool = False
    fax_after_portability: bool = False
    portability: bool = False
    pages_jaunes: bool = False
    link_delivered_on: date | None = None
    voice_go_ahead_on: date | None = None
    portability_validated_on: date | None = None
    portability_done_on: date | None = None


def plan(data: PlanInput) -> list[Milestone]:
    """Milestones in flow order: link, then voice and portability (after link delivery), then fax to mail."""
    out: list[Milestone] = []
    link_expected = link_deadline = data.start
    for technology, carrier in data.links:
        lt = link_lead_time(technology, carrier)
        if lt is None:
            continue
        expected, deadline = lt.expected(data.start), lt.deadline(data.start)
        if data.link_delivered_on:
            expected = deadline = data.link_delivered_on
        out.append(Milestone(f"link_{technology}", lt.label.split(" :")[0], expected, deadline, lt.text))
        link_expected = max(link_expected, lt.expected(data.start))
        link_deadline = max(link_deadline, lt.deadline(data.start))
    if data.link_delivered_on:
        link_expected = link_deadline = data.link_delivered_on
    # Voice and portability start once the link is delivered (or at once without a link).
    go_expected = data.voice_go_ahead_on or link_expected
    go_deadline = data.voice_go_ahead_on or link_deadline
    if data.voice:
        out.append(
            Milestone(
                "voice",
                "Services voix",
                VOICE_48H.expected(go_expected),
                VOICE_48H.deadline(go_deadline),
                VOICE_48H.text,
            )
        )
    if data.special_numbers:
        out.append(
            Milestone(
                "special_numbers",
                "Numéros spéciaux",
                SPECIAL_NUMBERS.expected(data.start),
                SPECIAL_NUMBERS.deadline(data.start),
                SPECIAL_NUMBERS.text,
            )
        )
    port_expected = port_deadline = go_deadline
    if data.portability:
        base_e = data.portability_validated_on or go_expected
        base_d = data.portability_validated_on or go_deadline
        port_expected, port_deadline = PORTABILITY.expected(base_e), PORTABILITY.deadline(base_d)
        if data.portability_done_on:
            port_expected = port_deadline = data.portability_done_on
        out.append(Milestone("portability", "Portabilité", port_expected, port_deadline, PORTABILITY.text))
    if data.fax:
        base_e = port_expected if data.fax_after_portability and data.portability else go_expected
        base_d = port_deadline if data.fax_after_portability and data.portability else go_deadline
        out.append(Milestone("fax", "Fax to Mail", FAX_48H.expected(base_e), FAX_48H.deadline(base_d), FAX_48H.text))
    if data.pages_jaunes:
        base = port_deadline if data.portability else go_deadline
        out.append(
            Milestone(
                "pages_jaunes",
                "Parution Pages Jaunes",
                PAGES_JAUNES.expected(base),
                PAGES_JAUNES.deadline(base),
                PAGES_JAUNES.text,
            )
        )
    return out


def delivery_dates(milestones: list[Milestone]) -> tuple[date | None, date | None]:
    """The order's expected delivery and its lateness threshold (Pages Jaunes publication excluded)."""
    relevant = [m for m in milestones if m.code != "pages_jaunes"]
    if not relevant:
        return None, None
    return max(m.expected for m in relevant), max(m.deadline for m in relevant)


def is_late(deadline: date | None, today: date, delivered: bool) -> bool:
    return bool(deadline and not delivered and today > deadline)

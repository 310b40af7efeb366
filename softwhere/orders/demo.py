"""Demo orders at different points of the 11-step flow, one with a portability mandate and its quote.

Dates are relative to the load so the list always shows a fresh file, one waiting on the
client's study approval and one inside its 3-business-day contest window.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from . import actions
from .services import calendar

if TYPE_CHECKING:
    from softwhere.demo.actions import DemoContext

IBAN = "FR76 3000 6000 0112 3456 7890 189"
BIC = "BNPAFRPPXXX"


def _business_days_ago(days: int) -> date:
    day = timezone.localdate()
    while days:
        day -= timedelta(days=1)
        if calendar.is_business_day(day):
            days -= 1
    return day


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _signed(day: date) -> dict[str, object]:
    return {"quote_signed_on": day, "contracts_signed_on": day, "direct_debit_signed_on": day}


def load(ctx: DemoContext) -> dict[str, int]:
    adv = ctx.users["adv"]

    # 1. Received yesterday, RIB missing: processing is blocked with the list of what is missing.
    fresh = _business_days_ago(1)
    actions.create_order(
        actor=adv,
        organisation=ctx.orgs["morel"],
        site=ctx.sites["morel_villeurbanne"],
        received_at=_at(fresh, 9),
        items=[
            {"kind": "fibre", "parameters": {"carrier": "Orange", "commitment_months": 36, "bandwidth": "100M"}},
            {"kind": "opios", "parameters": {}},
            {"kind": "sip_trunk", "parameters": {"simultaneous_calls": 4}},
        ],
        client_phone="04 78 42 10 00",
        installation_siret=ctx.orgs["morel"].siret,
        **_signed(fresh - timedelta(days=3)),
    )

    # 2. SDSL with desaturation risk: the study findings wait for the client's approval (48 h).
    start = _business_days_ago(6)
    study = actions.create_order(
        actor=adv,
        organisation=ctx.orgs["chartrons"],
        site=ctx.sites["chartrons_annexe"],
        received_at=_at(start, 9),
        items=[
            {
                "kind": "sdsl",
                "parameters": {
                    "carrier": "orange",
                    "pairs": 2,
                    "commitment_months": 36,
                    "eligibility_number": "0556102030",
                    "distance_m": 3900,
                    "attenuation_db": 41,
                },
            },
            {"kind": "gtr_extended", "parameters": {"technology": "sdsl"}},
        ],
        iban=IBAN,
        bic=BIC,
        client_phone="05 56 10 20 00",
        installation_siret=ctx.orgs["chartrons"].siret,
        **_signed(start - timedelta(days=2)),
    )
    actions.acknowledge_order(study, actor=adv, at=_at(start, 11))
    actions.start_processing(study, actor=adv, at=_at(start, 14))
    actions.move_step(study, "eligibility", "complete", actor=adv, at=_at(_business_days_ago(5)))
    actions.move_step(study, "carrier_order", "complete", actor=adv, at=_at(_business_days_ago(5), 15))
    actions.move_step(study, "account", "complete", actor=adv, at=_at(_business_days_ago(4)))
    actions.move_step(
        study,
        "study_findings",
        "start",
        actor=adv,
        at=_at(_business_days_ago(1), 16),
        data={"findings": "Désaturation bipaire nécessaire (3 900 m, 41 dB) : 990 € HT."},
    )

    # 3. Data + voice with portability: link delivered, contest window open, mandate quoted.
    start = _business_days_ago(22)
    full = actions.create_order(
        actor=adv,
        organisation=ctx.orgs["giraud"],
        site=ctx.sites["giraud_moirans"],
        received_at=_at(start, 9),
        items=[
            {
                "kind": "sdsl",
                "parameters": {
                    "carrier": "orange",
                    "pairs": 1,
                    "commitment_months": 36,
                    "eligibility_number": "0476102030",
                },
            },
            {"kind": "opios", "parameters": {}},
            {"kind": "centrex", "parameters": {"seats": 8}},
            {"kind": "sda", "parameters": {"count": 20}},
            {
                "kind": "fax_to_mail",
                "parameters": {"email": "fax@transports-giraud.example", "after_portability": True},
            },
        ],
        iban=IBAN,
        bic=BIC,
        client_phone="04 76 35 10 00",
        installation_siret=ctx.orgs["giraud"].siret,
        numbers_postal_code="38430",
        **_signed(start - timedelta(days=2)),
    )
    actions.create_portability_request(
        full,
        actor=adv,
        operator="France Telecom",
        numbers=["04 76 35 10 00", "0476351001-0476351009", "0476351020-0476351024"],
        mandate_signed_on=start - timedelta(days=2),
        mandate_stamped=True,
        carrier_invoice_date=start - timedelta(days=20),
    )
    actions.start_processing(full, actor=adv, at=_at(start, 11))
    for code, ago in (("eligibility", 21), ("carrier_order", 21), ("account", 20)):
        actions.move_step(full, code, "complete", actor=adv, at=_at(_business_days_ago(ago)))
    actions.move_step(
        full,
        "study_findings",
        "skip",
        actor=adv,
        at=_at(_business_days_ago(19)),
        note="Ni désaturation ni paire supplémentaire.",
    )
    visit = _business_days_ago(4)
    actions.move_step(
        full, "appointment", "complete", actor=adv, at=_at(visit, 17), data={"orange_at": _at(visit, 9).isoformat()}
    )
    delivered = _business_days_ago(1)
    actions.move_step(
        full,
        "link_delivery",
        "complete",
        actor=adv,
        at=_at(delivered, 16),
        data={"delivered_on": delivered.isoformat()},
    )
    return {"commandes": 3, "demandes de portabilité": 1}

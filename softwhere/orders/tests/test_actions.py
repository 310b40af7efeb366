"""Order actions: file completeness, the 11-step flow with its dates, portability requests, commissions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from softwhere.core.models import AuditEntry
from softwhere.orders import actions
from softwhere.orders.actions import OrderError, OrderErrorCode
from softwhere.orders.choices import OrderStatus, PortabilityStatus, StepState
from softwhere.orders.models import CommissionStatement, Order, OrderItem, PortabilityRequest

from .factories import PARIS, RECEIVED, add_portability, make_order

pytestmark = pytest.mark.django_db


def at(day: int, month: int = 6, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=PARIS)


def test_create_order_starts_the_acknowledgement_clock(world: Any) -> None:
    friday = datetime(2025, 5, 30, 15, 0, tzinfo=PARIS)
    order = actions.create_order(
        actor=world.adv,
        organisation=world.partner_client,
        received_at=friday,
        items=[{"kind": "centrex", "parameters": {"seats": 5}}],
    )
    assert order.ack_due_at == datetime(2025, 6, 2, 15, 0, tzinfo=PARIS)  # 24 business hours: Monday 15:00
    assert order.partner == world.partner
    assert order.reference == f"CMD2505-{order.pk:05d}"
    assert AuditEntry.objects.filter(action="orders.create", object_id=str(order.pk)).exists()
    late = actions.acknowledge_order(order, actor=world.adv, at=datetime(2025, 6, 2, 15, 1, tzinfo=PARIS))
    assert late.ack_is_late(late.acknowledged_at)


def test_opios_defaults_are_stored(world: Any) -> None:
    order = make_order(world)
    opios = order.items.get(kind="opios")
    assert opios.parameters["lan_data"]["network"] == "192.168.1.0/24"
    assert opios.parameters["lan_voice"]["gateway"] == "192.168.254.1"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"iban": "FR76 3000 6000 0112 3456 7890 188"}, "iban"),
        ({"bic": "BNP"}, "bic"),
        ({"installation_siret": "12345678901234"}, "installation_siret"),
        ({"client_phone": "01 23"}, "client_phone"),
    ],
)
def test_bad_file_facts_save_nothing(world: Any, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        make_order(world, **overrides)
    assert field in exc.value.message_dict
    assert not Order.objects.exists() and not OrderItem.objects.exists()


def test_bad_item_saves_nothing(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_order(
            world, items=[{"kind": "sdsl", "parameters": {"carrier": "orange", "pairs": 3, "commitment_months": 12}}]
        )
    assert "1 paire" not in str(exc.value) and "1, 2 ou 4 paires" in exc.value.message_dict["items"][0]
    assert not Order.objects.exists()


def test_missing_rib_blocks_the_order_with_the_list(world: Any) -> None:
    order = make_order(world, iban="", bic="")
    add_portability(world, order)
    with pytest.raises(OrderError) as exc:
        actions.start_processing(order, actor=world.adv, at=at(3))
    assert exc.value.code == OrderErrorCode.FILE_INCOMPLETE
    assert exc.value.missing == ["RIB (IBAN et BIC)"]
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED and not order.steps.exists()
    actions.update_order(order, actor=world.adv, iban="fr7630006000011234567890189", bic="bnpafrppxxx")
    order = actions.start_processing(order, actor=world.adv, at=at(3))
    assert order.iban == "FR7630006000011234567890189"
    assert order.status == OrderStatus.IN_PROGRESS


def test_missing_items_follow_the_handbook(world: Any) -> None:
    order = make_order(
        world,
        contacts=False,
        quote_signed_on=None,
        items=[
            {"kind": "adsl", "parameters": {"carrier": "orange"}},
            {"kind": "fax_to_mail", "parameters": {}},
            {"kind": "pages_jaunes", "parameters": {}},
        ],
    )
    add_portability(world, order, carrier_invoice_date=date(2025, 1, 10), mandate_stamped=False)
    codes = [m.code for m in order.missing_items(date(2025, 6, 3))]
    assert codes == [
        "quote",
        "portability_mandate",
        "carrier_invoice",
        "fax_email",
        "pages_jaunes",
        "contacts",
        "eligibility_number",
    ]


def run_flow_to_link_delivery(world: Any, order: Order) -> None:
    adv = world.adv
    actions.move_step(order, "eligibility", "complete", actor=adv, at=at(3))
    actions.move_step(order, "carrier_order", "complete", actor=adv, at=at(3, hour=11))
    actions.move_step(order, "account", "complete", actor=adv, at=at(4))
    actions.move_step(order, "study_findings", "skip", actor=adv, at=at(5), note="Rien à ajouter")
    actions.move_step(order, "appointment", "complete", actor=adv, at=at(10), data={"orange_at": "2025-06-20T09:00"})


def test_full_flow_with_dates(world: Any) -> None:
    order = make_order(world)
    request = add_portability(world, order)
    assert request.total_eur == Decimal(100)  # NDI + one full block of ten, France Télécom
    order = actions.start_processing(order, actor=world.adv, at=at(3))
    states = {s.number: s.state for s in order.steps.all()}
    assert all(state == StepState.PENDING for state in states.values())
    # SDSL Orange 3 weeks from 3 June, then portability 6 to 11 business days and fax to mail 48 h.
    assert order.expected_delivery_on == date(2025, 7, 4)
    assert order.delivery_deadline_on == date(2025, 7, 11)

    run_flow_to_link_delivery(world, order)
    with pytest.raises(OrderError, match="après la livraison du lien"):
        actions.move_step(order, "portability_order", "start", actor=world.adv, at=at(23))
    actions.move_step(
        order, "link_delivery", "complete", actor=world.adv, at=at(23), data={"delivered_on": "2025-06-23"}
    )
    order.refresh_from_db()
    assert order.contest_deadline == date(2025, 6, 26)
    assert order.billing_starts_on(date(2025, 6, 26)) is None
    assert order.billing_starts_on(date(2025, 6, 27)) == date(2025, 6, 23)

    actions.move_step(order, "voice_go_ahead", "complete", actor=world.adv, at=at(24))
    actions.move_step(order, "voice_delivery", "complete", actor=world.adv, at=at(25))
    actions.move_step(
        order, "portability_order", "complete", actor=world.adv, at=at(25), data={"validated_on": "2025-06-25"}
    )
    with pytest.raises(ValidationError, match="Trop tôt"):
        actions.move_step(
            order, "portability_done", "start", actor=world.adv, at=at(26), data={"planned_date": "2025-07-02"}
        )
    actions.move_step(
        order, "portability_done", "start", actor=world.adv, at=at(26), data={"planned_date": "2025-07-03"}
    )
    with pytest.raises(ValidationError, match="10h00 et 16h00"):
        actions.move_step(
            order,
            "portability_done",
            "complete",
            actor=world.adv,
            at=at(3, 7, 18),
            data={"ported_at": "2025-07-03T17:00"},
        )
    with pytest.raises(ValidationError, match="future"):
        actions.move_step(
            order,
            "portability_done",
            "complete",
            actor=world.adv,
            at=at(3, 7, 10),
            data={"ported_at": "2025-07-03T11:00"},
        )
    step = actions.move_step(
        order, "portability_done", "complete", actor=world.adv, at=at(3, 7, 11), data={"ported_at": "2025-07-03T11:00"}
    )
    assert step.data["rollback_until"].startswith("2025-07-03T13:00")
    actions.move_step(order, "fax_to_mail", "complete", actor=world.adv, at=at(4, 7))
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.delivered_on == date(2025, 7, 4)
    assert PortabilityRequest.objects.get().status == PortabilityStatus.DONE
    # 11 steps finished + the start of step 10 (planned date sent).
    assert AuditEntry.objects.filter(action__startswith="orders.step").count() == 12


def test_steps_refuse_out_of_order_and_role(world: Any) -> None:
    order = actions.start_processing(make_order(world), actor=world.adv, at=at(3))
    with pytest.raises(OrderError, match="étape 1"):
        actions.move_step(order, "account", "complete", actor=world.adv, at=at(3))
    with pytest.raises(PermissionDenied):
        actions.move_step(order, "eligibility", "complete", actor=world.n1, at=at(3))
    with pytest.raises(ValidationError):
        actions.move_step(order, "nope", "complete", actor=world.adv, at=at(3))


def test_study_findings_need_approval_within_48h(world: Any) -> None:
    order = actions.start_processing(make_order(world), actor=world.adv, at=at(3))
    for code in ("eligibility", "carrier_order", "account"):
        actions.move_step(order, code, "complete", actor=world.adv, at=at(3))
    step = actions.move_step(
        order,
        "study_findings",
        "start",
        actor=world.adv,
        at=at(4),
        data={"findings": "Désaturation bipaire nécessaire"},
    )
    assert step.due_at == at(6)
    with pytest.raises(ValidationError, match="Accord du client"):
        actions.move_step(order, "study_findings", "complete", actor=world.adv, at=at(5))
    step = actions.move_step(order, "study_findings", "complete", actor=world.adv, at=at(5), data={"approved": True})
    assert step.state == StepState.DONE and step.data["findings"] == "Désaturation bipaire nécessaire"


def test_sfr_link_needs_a_second_appointment(world: Any) -> None:
    items = [
        {
            "kind": "sdsl",
            "parameters": {"carrier": "sfr", "pairs": 1, "commitment_months": 12, "eligibility_number": "0472102030"},
        }
    ]
    order = actions.start_processing(make_order(world, items=items), actor=world.adv, at=at(3))
    for code in ("eligibility", "carrier_order", "account"):
        actions.move_step(order, code, "complete", actor=world.adv, at=at(3))
    actions.move_step(order, "study_findings", "skip", actor=world.adv, at=at(3))
    with pytest.raises(ValidationError) as exc:
        actions.move_step(
            order, "appointment", "complete", actor=world.adv, at=at(4), data={"orange_at": "2025-06-20T09:00"}
        )
    assert "sfr_at" in exc.value.message_dict
    assert {s.code: s.state for s in order.steps.all()}["voice_go_ahead"] == StepState.NOT_APPLICABLE


def test_contest_window(world: Any) -> None:
    order = actions.start_processing(make_order(world), actor=world.adv, at=at(3))
    run_flow_to_link_delivery(world, order)
    actions.move_step(order, "link_delivery", "complete", actor=world.adv, at=at(23))
    with pytest.raises(OrderError, match="Délai de contestation dépassé"):
        actions.contest_link(order, actor=world.adv, at=at(27))
    order = actions.contest_link(order, actor=world.adv, at=at(26, hour=18), reason="Débit non conforme")
    assert order.billing_starts_on(date(2025, 7, 1)) is None


# --- Portability requests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"operator": "Bouygues"}, "operator", "ARCEP"),
        ({"operator": "Orange"}, "operator", "ambigu"),
        ({"numbers": ["0472"]}, "numbers", "invalide"),
        ({"numbers": ["0472102030"], "invoice_numbers": ["0472102030", "0472102031"]}, "numbers", "partielle"),
        ({"operator": "SFR", "numbers": ["0972102030"]}, "numbers", "09"),
    ],
)
def test_impossible_portability_saves_nothing(world: Any, kw: dict[str, Any], field: str, message: str) -> None:
    order = make_order(world)
    with pytest.raises(ValidationError) as exc:
        add_portability(world, order, **kw)
    assert message in " ".join(exc.value.message_dict[field])
    assert not PortabilityRequest.objects.exists()


def test_portability_added_after_start_opens_its_steps(world: Any) -> None:
    order = actions.start_processing(make_order(world), actor=world.adv, at=at(3))
    states = {s.code: s.state for s in order.steps.all()}
    assert states["portability_order"] == StepState.NOT_APPLICABLE
    with time_machine.travel(at(3), tick=False):
        request = add_portability(world, order)
    states = {s.code: s.state for s in order.steps.all()}
    assert states["portability_order"] == StepState.PENDING and states["fax_to_mail"] == StepState.PENDING
    actions.cancel_portability(request, actor=world.adv, at=at(4))
    request.refresh_from_db()
    assert request.status == PortabilityStatus.CANCELLED and request.total_eur == Decimal(100)  # not launched
    assert {s.code: s.state for s in order.steps.all()}["portability_order"] == StepState.NOT_APPLICABLE


def launched(world: Any) -> Any:
    order = make_order(world)
    request = add_portability(world, order, numbers=["0176710500", "0472102030"])  # 2 portabilities: 100 €
    request.status, request.validated_on, request.planned_date = (
        PortabilityStatus.PLANNED,
        date(2025, 6, 3),
        date(2025, 6, 12),
    )
    request.save()
    return request


def test_postponement_costs_the_whole_request(world: Any) -> None:
    request = launched(world)
    request = actions.postpone_portability(request, actor=world.adv, new_date=date(2025, 6, 19), at=at(10))
    assert request.total_eur == Decimal(200) and request.postponements == 1
    assert request.planned_date == date(2025, 6, 19)


def test_postponement_refused_within_24_hours(world: Any) -> None:
    request = launched(world)
    with pytest.raises(OrderError, match="24 heures"):
        actions.postpone_portability(request, actor=world.adv, new_date=date(2025, 6, 19), at=at(11, hour=1))
    with pytest.raises(ValidationError):
        actions.postpone_portability(request, actor=world.adv, new_date=date(2025, 6, 21), at=at(5))  # Saturday


def test_cancellation_costs_the_whole_request(world: Any) -> None:
    request = actions.cancel_portability(launched(world), actor=world.adv, at=at(10))
    assert request.total_eur == Decimal(200) and request.status == PortabilityStatus.CANCELLED


# --- Commissions ----------------------------------------------------------------------------------------


def test_commission_invoice_checked(world: Any) -> None:
    for month, amount in ((1, "120"), (2, "80"), (3, "40")):
        actions.record_commission(
            actor=world.adv, partner=world.partner, month=date(2025, month, 1), amount=Decimal(amount)
        )
    lines = [{"month": f"2025-0{m}-01", "amount": a} for m, a in ((1, "120"), (2, "80"), (3, "40"))]
    ok = actions.submit_commission_invoice(
        actor=world.partner_user,
        partner=world.partner,
        year=2025,
        quarter=1,
        invoice_number="F-1",
        invoice_date=date(2025, 4, 30),
        lines=lines,
    )
    assert ok.status == "accepted" and ok.problems == []
    late = actions.submit_commission_invoice(
        actor=world.partner_user,
        partner=world.partner,
        year=2025,
        quarter=1,
        invoice_number="F-2",
        invoice_date=date(2025, 5, 2),
        lines=lines[:2],
    )
    assert late.status == "refused" and len(late.problems) == 2
    with pytest.raises(PermissionDenied):
        actions.submit_commission_invoice(
            actor=world.client_user,
            partner=world.partner,
            year=2025,
            quarter=1,
            invoice_number="F-3",
            invoice_date=date(2025, 4, 30),
            lines=lines,
        )
    assert CommissionStatement.objects.visible_to(world.partner_user).count() == 3
    assert CommissionStatement.objects.visible_to(world.client_user).count() == 0


def test_received_constant_is_a_monday() -> None:
    assert RECEIVED.weekday() == 0

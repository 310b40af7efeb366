"""Every change to orders, their steps, portability requests and commissions goes through one function here.

Each checks the actor's role, validates (``full_clean()`` and the pure rules of ``services/``), runs in
one transaction and writes an audit entry. Refusals are ``ValidationError`` (bad input, field messages
in French) or ``OrderError`` (the flow does not allow it now, e.g. an incomplete file).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from softwhere.core.models import record_audit

from .choices import ORDER_DESK_ROLES, InvoiceStatus, OrderStatus, PortabilityStatus, StepState
from .models import CommissionInvoice, CommissionStatement, Order, OrderItem, OrderStep, PortabilityRequest
from .services import calendar, commissions, completeness, flow, portability
from .services.money import QuoteError, json_number

ORDER_FILE_FIELDS = frozenset(
    {
        "quote_signed_on",
        "contracts_signed_on",
        "direct_debit_signed_on",
        "iban",
        "bic",
        "pages_jaunes_form_on",
        "billing_address",
        "client_phone",
        "numbers_postal_code",
        "installation_siret",
        "notes",
    }
)


class OrderErrorCode(StrEnum):
    FILE_INCOMPLETE = "file_incomplete"
    STEP_REFUSED = "step_refused"
    NOT_ALLOWED_NOW = "not_allowed_now"


class OrderError(Exception):
    """A move the order flow does not allow now; ``message`` is French, ``missing`` lists file gaps."""

    def __init__(
        self, code: OrderErrorCode, message: str, *, missing: list[str] | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.missing = missing or []
        self.field = field


def check_order_desk(actor: Any) -> None:
    if not (actor.is_superuser or actor.role in ORDER_DESK_ROLES):
        raise PermissionDenied("Votre rôle ne permet pas de traiter les commandes (ADV).")


def _now(at: datetime | None) -> datetime:
    moment = at or timezone.now()
    if timezone.is_naive(moment):
        raise ValueError("aware datetime required")
    return moment


def _as_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return calendar.local_date(value)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: ["Date attendue (AAAA-MM-JJ)."]}) from exc


def _past(value: date, moment: datetime, field: str) -> date:
    """Steps record what happened: their dates cannot be in the future."""
    if value > calendar.local_date(moment):
        raise ValidationError({field: ["Cette date est dans le futur : l'étape enregistre un fait accompli."]})
    return value


def _as_datetime(value: Any, field: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError({field: ["Date et heure attendues (AAAA-MM-JJTHH:MM)."]}) from exc
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=calendar.PARIS)
    return moment


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def _quote_error(exc: QuoteError, default_field: str) -> ValidationError:
    return ValidationError({exc.field or default_field: [exc.message]})


# --- Orders ---------------------------------------------------------------------------------------------


def _replan(order: Order) -> None:
    """Expected delivery and lateness threshold from the lead-time table and the dates known so far."""
    from .services import leadtimes

    order.expected_delivery_on, order.delivery_deadline_on = leadtimes.delivery_dates(order.milestones())


def _build_item(order: Order, spec: Mapping[str, Any], index: int | None = None) -> OrderItem:
    item = OrderItem(
        order=order,
        kind=spec.get("kind", ""),
        quantity=spec.get("quantity") or 1,
        parameters=dict(spec.get("parameters") or {}),
    )
    try:
        item.full_clean(exclude=["order"])
    except ValidationError as exc:
        prefix = f"Élément {index + 1} ({item.get_kind_display() or item.kind})" if index is not None else ""
        messages = [f"{prefix} : {m}" if prefix else m for m in exc.messages]
        raise ValidationError({"items": messages}) from exc
    return item


def create_order(
    *,
    actor: Any,
    organisation: Any,
    site: Any = None,
    received_at: datetime | None = None,
    items: Iterable[Mapping[str, Any]] = (),
    **facts: Any,
) -> Order:
    """Record an order received by the desk; the 24-business-hour acknowledgement clock starts now."""
    check_order_desk(actor)
    unknown = set(facts) - ORDER_FILE_FIELDS
    if unknown:
        raise ValidationError({"non_field_errors": [f"Champs inconnus : {', '.join(sorted(unknown))}."]})
    received = _now(received_at)
    order = Order(
        organisation=organisation,
        partner=organisation.partner if organisation.partner_id else None,
        site=site,
        received_at=received,
        ack_due_at=calendar.add_business_hours(received, 24),
        numbers_postal_code=facts.pop("numbers_postal_code", "") or (site.postal_code if site else ""),
        **facts,
    )
    with transaction.atomic():
        order.full_clean(exclude=["reference"])
        built = [_build_item(order, spec, i) for i, spec in enumerate(items)]
        order.save()
        order.reference = f"CMD{calendar.local_date(received):%y%m}-{order.pk:05d}"
        for item in built:
            item.order = order
            item.save()
        _replan(order)
        order.save(update_fields=["reference", "expected_delivery_on", "delivery_deadline_on"])
        record_audit(
            actor,
            "orders.create",
            order,
            {
                "items": [i.kind for i in built],
                **{k: _jsonable(v) for k, v in facts.items()},
            },
        )
    return order


def intake_order(*, actor: Any, portability_request: Mapping[str, Any] | None = None, **order_fields: Any) -> Order:
    """Record a received order and, when the file holds one, its portability mandate: both or nothing.

    The order page takes the whole file at once; a refused mandate (unknown operator,
    partial SDA porting…) must not leave a half-recorded order behind.
    """
    with transaction.atomic():
        order = create_order(actor=actor, **order_fields)
        if portability_request:
            create_portability_request(order, actor=actor, **portability_request)
    return order


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def update_order(order: Order, *, actor: Any, **changes: Any) -> Order:
    """Complete the file (signed documents, RIB, account facts); the whole order is re-validated."""
    check_order_desk(actor)
    unknown = set(changes) - ORDER_FILE_FIELDS
    if unknown:
        raise ValidationError({"non_field_errors": [f"Champs non modifiables ici : {', '.join(sorted(unknown))}."]})
    with transaction.atomic():
        order = _locked(order)
        if order.status in (OrderStatus.DELIVERED, OrderStatus.CANCELLED):
            raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Commande close : le dossier n'est plus modifiable.")
        before = {f: _jsonable(getattr(order, f)) for f in changes}
        for field, value in changes.items():
            setattr(order, field, value)
        order.full_clean()
        diff = {
            f: [before[f], _jsonable(getattr(order, f))] for f in changes if before[f] != _jsonable(getattr(order, f))
        }
        if diff:
            order.save()
            record_audit(actor, "orders.update", order, diff)
    return order


def add_item(
    order: Order, *, actor: Any, kind: str, parameters: Mapping[str, Any] | None = None, quantity: int = 1
) -> OrderItem:
    check_order_desk(actor)
    with transaction.atomic():
        order = _locked(order)
        if order.status != OrderStatus.RECEIVED:
            raise OrderError(
                OrderErrorCode.NOT_ALLOWED_NOW,
                "Le traitement a démarré : un ajout passe par une modification de commande.",
            )
        item = _build_item(order, {"kind": kind, "parameters": parameters, "quantity": quantity})
        item.save()
        _replan(order)
        order.save(update_fields=["expected_delivery_on", "delivery_deadline_on", "updated_at"])
        record_audit(actor, "orders.add_item", order, {"kind": kind, "parameters": item.parameters})
    return item


def acknowledge_order(order: Order, *, actor: Any, at: datetime | None = None) -> Order:
    """« notre service ADV en accuse réception à l'expéditeur sous 24h ouvrés »."""
    check_order_desk(actor)
    moment = _now(at)
    with transaction.atomic():
        order = _locked(order)
        if order.acknowledged_at:
            raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Accusé de réception déjà envoyé.")
        order.acknowledged_at = moment
        order.save(update_fields=["acknowledged_at", "updated_at"])
        record_audit(actor, "orders.acknowledge", order, {"late": moment > order.ack_due_at})
    return order


def start_processing(order: Order, *, actor: Any, at: datetime | None = None) -> Order:
    """Start the 11-step flow, only once the file is complete; otherwise list what is missing."""
    check_order_desk(actor)
    moment = _now(at)
    with transaction.atomic():
        order = _locked(order)
        if order.status != OrderStatus.RECEIVED:
            raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Le traitement de cette commande a déjà démarré.")
        if not order.items.exists():
            raise OrderError(
                OrderErrorCode.FILE_INCOMPLETE, "La commande ne contient aucun élément.", missing=["Éléments commandés"]
            )
        missing = order.missing_items(calendar.local_date(moment))
        if missing:
            labels = [m.label for m in missing]
            raise OrderError(
                OrderErrorCode.FILE_INCOMPLETE,
                "Dossier incomplet, la commande est bloquée : " + " ; ".join(labels) + ".",
                missing=labels,
            )
        order.status = OrderStatus.IN_PROGRESS
        order.processing_started_at = moment
        if not order.acknowledged_at:
            order.acknowledged_at = moment
        scope = order.flow_scope()
        OrderStep.objects.bulk_create(
            [
                OrderStep(
                    order=order,
                    number=s.number,
                    code=s.code.value,
                    owner_label=s.owner,
                    state=StepState.PENDING if flow.applicable(s.code, scope) else StepState.NOT_APPLICABLE,
                )
                for s in flow.STEPS
            ]
        )
        _replan(order)
        order.save()
        record_audit(actor, "orders.start", order, {"expected_delivery_on": _jsonable(order.expected_delivery_on)})
    return order


def _refresh_applicability(order: Order) -> None:
    """A portability added or cancelled after the start opens or closes the steps not yet begun."""
    if order.status != OrderStatus.IN_PROGRESS:
        return
    scope = order.flow_scope()
    for step in order.steps.all():
        wanted = flow.applicable(flow.StepCode(step.code), scope)
        if wanted and step.state == StepState.NOT_APPLICABLE:
            step.state = StepState.PENDING
        elif not wanted and step.state == StepState.PENDING:
            step.state = StepState.NOT_APPLICABLE
        else:
            continue
        step.save(update_fields=["state"])


def _step_states(order: Order) -> dict[flow.StepCode, flow.StepState]:
    return {flow.StepCode(s.code): flow.StepState(s.state) for s in order.steps.all()}


def _portability_mandate_problems(request: PortabilityRequest, today: date) -> list[str]:
    problems = []
    if not (request.mandate_signed_on and request.mandate_stamped):
        problems.append("mandat de portabilité daté, signé et tamponné")
    if not request.carrier_invoice_date or not completeness.invoice_is_recent(request.carrier_invoice_date, today):
        problems.append("facture télécom de l'opérateur cédant de moins de 3 mois")
    return problems


def _apply_step_rules(order: Order, step: OrderStep, move: str, moment: datetime, data: dict[str, Any]) -> list[str]:
    """Step-specific requirements and effects (seed II.E c); returns the order fields changed."""
    code = flow.StepCode(step.code)
    today = calendar.local_date(moment)
    changed: list[str] = []
    if code == flow.StepCode.STUDY_FINDINGS:
        if move == "start":
            step.due_at = moment + timedelta(hours=flow.FINDINGS_APPROVAL_HOURS)
            step.data["findings"] = str(data.get("findings") or "")
        elif move == "complete":
            if not data.get("approved"):
                raise ValidationError({"approved": ["Accord du client ou de son intégrateur requis pour poursuivre."]})
            step.data.update(findings=str(data.get("findings") or step.data.get("findings", "")), approved=True)
    elif code == flow.StepCode.APPOINTMENT and move == "complete":
        needs_sfr = any(str(i.parameters.get("carrier")) == "sfr" for i in order.link_items())
        if not data.get("orange_at"):
            raise ValidationError({"orange_at": ["Date du rendez-vous Orange obligatoire."]})
        step.data["orange_at"] = _as_datetime(data["orange_at"], "orange_at").isoformat()
        if needs_sfr:
            if not data.get("sfr_at"):
                raise ValidationError({"sfr_at": ["Lien SFR : date du second rendez-vous (SFR) obligatoire."]})
            step.data["sfr_at"] = _as_datetime(data["sfr_at"], "sfr_at").isoformat()
    elif code == flow.StepCode.LINK_DELIVERY and move == "complete":
        delivered = _past(_as_date(data.get("delivered_on") or today, "delivered_on"), moment, "delivered_on")
        note_sent = _past(
            _as_date(data.get("delivery_note_sent_on") or delivered, "delivery_note_sent_on"),
            moment,
            "delivery_note_sent_on",
        )
        if note_sent < delivered:
            raise ValidationError({"delivery_note_sent_on": ["Le bon de livraison ne précède pas la livraison."]})
        order.link_delivered_on, order.delivery_note_sent_on = delivered, note_sent
        order.contest_deadline = calendar.add_business_days(note_sent, flow.CONTEST_BUSINESS_DAYS)
        changed += ["link_delivered_on", "delivery_note_sent_on", "contest_deadline"]
    elif code == flow.StepCode.VOICE_GO_AHEAD and move == "complete":
        order.voice_go_ahead_on = _past(
            _as_date(data.get("go_ahead_on") or today, "go_ahead_on"), moment, "go_ahead_on"
        )
        changed.append("voice_go_ahead_on")
    elif code in (flow.StepCode.PORTABILITY_ORDER, flow.StepCode.PORTABILITY_DONE):
        request = order.active_portability
        if request is None:
            raise OrderError(OrderErrorCode.STEP_REFUSED, "Aucune demande de portabilité active sur cette commande.")
        if code == flow.StepCode.PORTABILITY_ORDER:
            problems = _portability_mandate_problems(request, today)
            if problems and move != "skip":
                raise OrderError(
                    OrderErrorCode.FILE_INCOMPLETE,
                    "Mandat de portabilité incomplet : " + " ; ".join(problems) + ".",
                    missing=problems,
                )
            if move == "complete":
                request.validated_on = _past(
                    _as_date(data.get("validated_on") or today, "validated_on"), moment, "validated_on"
                )
                request.status = PortabilityStatus.SUBMITTED
                request.save(update_fields=["validated_on", "status", "updated_at"])
        elif move == "start":
            if not data.get("planned_date"):
                raise ValidationError({"planned_date": ["Date prévue de portabilité obligatoire."]})
            planned = _as_date(data["planned_date"], "planned_date")
            assert request.validated_on is not None
            earliest, _latest = portability.expected_porting_dates(request.validated_on)
            try:
                portability.porting_window(planned)
            except QuoteError as exc:
                raise _quote_error(exc, "planned_date") from exc
            if planned < earliest:
                raise ValidationError(
                    {
                        "planned_date": [
                            f"Trop tôt : la portabilité demande 6 à 11 jours ouvrés après validation (au plus tôt le "
                            f"{earliest:%d/%m/%Y})."
                        ]
                    }
                )
            request.planned_date = planned
            request.status = PortabilityStatus.PLANNED
            request.save(update_fields=["planned_date", "status", "updated_at"])
            step.data["planned_date"] = planned.isoformat()
        elif move == "complete":
            ported_at = _as_datetime(data.get("ported_at") or moment, "ported_at")
            if ported_at > moment:
                raise ValidationError({"ported_at": ["La portabilité ne peut être validée à une heure future."]})
            start, end = portability.porting_window(calendar.local_date(ported_at))
            if not start <= ported_at <= end:
                raise ValidationError({"ported_at": ["La portabilité s'effectue entre 10h00 et 16h00."]})
            request.ported_at, request.ported_on = ported_at, calendar.local_date(ported_at)
            request.status = PortabilityStatus.DONE
            request.save(update_fields=["ported_at", "ported_on", "status", "updated_at"])
            step.data["rollback_until"] = portability.rollback_deadline(ported_at).isoformat()
    return changed


def move_step(
    order: Order,
    code: str,
    move: str,
    *,
    actor: Any,
    at: datetime | None = None,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> OrderStep:
    """Start, complete or skip one of the 11 steps; the flow decides whether it may move now."""
    check_order_desk(actor)
    moment = _now(at)
    try:
        step_code = flow.StepCode(code)
    except ValueError as exc:
        raise ValidationError({"step": [f"Étape inconnue : « {code} »."]}) from exc
    with transaction.atomic():
        order = _locked(order)
        if order.status != OrderStatus.IN_PROGRESS:
            raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Les étapes avancent seulement sur une commande en cours.")
        try:
            target = flow.check_move(step_code, move, _step_states(order))
        except flow.FlowError as exc:
            raise OrderError(OrderErrorCode.STEP_REFUSED, exc.message, field=exc.field) from exc
        step = order.steps.select_for_update().get(code=step_code.value)
        changed = _apply_step_rules(order, step, move, moment, dict(data or {}))
        step.state = target.value
        step.owner = actor
        if move == "start" or not step.started_at:
            step.started_at = moment
        if target in flow.FINISHED:
            step.done_at = moment
        if note:
            step.note = note
        step.save()
        states = _step_states(order)
        if all(s in flow.FINISHED for s in states.values()):
            order.status = OrderStatus.DELIVERED
            order.delivered_on = calendar.local_date(moment)
            changed += ["status", "delivered_on"]
        _replan(order)
        order.save(update_fields=[*changed, "expected_delivery_on", "delivery_deadline_on", "updated_at"])
        record_audit(
            actor,
            f"orders.step.{move}",
            order,
            {"step": step.number, "code": step.code, "data": {k: _jsonable(v) for k, v in (data or {}).items()}},
        )
    return step


def contest_link(order: Order, *, actor: Any, at: datetime | None = None, reason: str = "") -> Order:
    """The client contests the link within 3 business days of the delivery note: billing does not start."""
    check_order_desk(actor)
    moment = _now(at)
    with transaction.atomic():
        order = _locked(order)
        if not order.link_delivered_on or not order.contest_deadline:
            raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Aucun lien livré à contester.")
        if calendar.local_date(moment) > order.contest_deadline:
            raise OrderError(
                OrderErrorCode.NOT_ALLOWED_NOW,
                f"Délai de contestation dépassé (3 jours ouvrés, jusqu'au "
                f"{order.contest_deadline:%d/%m/%Y}) : le lien est considéré comme opérationnel.",
            )
        order.link_contested_at = moment
        order.save(update_fields=["link_contested_at", "updated_at"])
        record_audit(actor, "orders.contest_link", order, {"reason": reason})
    return order


# --- Portability ----------------------------------------------------------------------------------------


def _quote(request: PortabilityRequest, **flags: Any) -> dict[str, Any]:
    data = {
        "operator": request.operator,
        "numbers": request.numbers,
        "analog_lines": request.analog_lines,
        "postpone": flags.get("postpone", False),
        "cancel": flags.get("cancel", False),
    }
    if request.invoice_numbers:
        data["invoice_numbers"] = request.invoice_numbers
    return portability.quote_json(data)


def create_portability_request(
    order: Order,
    *,
    actor: Any,
    operator: str,
    numbers: Iterable[str] = (),
    analog_lines: Iterable[str] = (),
    invoice_numbers: Iterable[str] | None = None,
    mandate_signed_on: date | None = None,
    mandate_stamped: bool = False,
    carrier_invoice_date: date | None = None,
) -> PortabilityRequest:
    """A mandate for the NDI and every SDA of the donor's invoice; refused when the quote is impossible."""
    check_order_desk(actor)
    try:
        op = portability.find_operator(operator)
        nums = portability.expand_numbers(numbers, "numbers")
        analog = portability.expand_numbers(analog_lines, "analog_lines")
        invoice = portability.expand_numbers(invoice_numbers, "invoice_numbers") if invoice_numbers else []
    except QuoteError as exc:
        raise _quote_error(exc, "numbers") from exc
    request = PortabilityRequest(
        order=order,
        operator=op.name.replace("*", ""),
        numbers=nums,
        analog_lines=analog,
        invoice_numbers=invoice,
        mandate_signed_on=mandate_signed_on,
        mandate_stamped=mandate_stamped,
        carrier_invoice_date=carrier_invoice_date,
    )
    try:
        result = _quote(request)
    except QuoteError as exc:
        raise _quote_error(exc, "numbers") from exc
    if carrier_invoice_date and carrier_invoice_date > calendar.local_date(timezone.now()):
        raise ValidationError({"carrier_invoice_date": ["La date de facture est dans le futur."]})
    with transaction.atomic():
        order = _locked(order)
        if order.status in (OrderStatus.DELIVERED, OrderStatus.CANCELLED):
            raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Commande close : pas de nouvelle portabilité.")
        if order.active_portability is not None:
            raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Une demande de portabilité est déjà active.")
        request.quote = result
        request.total_eur = Decimal(str(result["total_eur"]))
        request.full_clean()
        request.save()
        _refresh_applicability(order)
        _replan(order)
        order.save(update_fields=["expected_delivery_on", "delivery_deadline_on", "updated_at"])
        record_audit(
            actor,
            "orders.portability.create",
            order,
            {
                "operator": request.operator,
                "numbers": nums,
                "analog_lines": analog,
                "total_eur": result["total_eur"],
            },
        )
    return request


def _change_portability(
    request: PortabilityRequest, *, actor: Any, at: datetime | None, kind: str, new_date: date | None = None
) -> PortabilityRequest:
    check_order_desk(actor)
    moment = _now(at)
    with transaction.atomic():
        request = PortabilityRequest.objects.select_for_update().get(pk=request.pk)
        if request.status in (PortabilityStatus.DONE, PortabilityStatus.CANCELLED):
            raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Portabilité déjà effectuée ou annulée.")
        if request.status == PortabilityStatus.DRAFT:
            if kind == "postpone":
                raise OrderError(OrderErrorCode.NOT_ALLOWED_NOW, "Pas encore de date à reporter.")
            extra = Decimal(0)  # not launched yet: no order was passed to the donor operator
        else:
            if request.planned_date and moment > portability.change_deadline(request.planned_date):
                raise OrderError(
                    OrderErrorCode.NOT_ALLOWED_NOW,
                    "Report ou annulation impossible moins de 24 heures avant la date confirmée.",
                )
            extra = Decimal(str(_quote(request)["total_eur"]))
        if kind == "postpone":
            assert new_date is not None
            try:
                portability.porting_window(new_date)
            except QuoteError as exc:
                raise _quote_error(exc, "new_date") from exc
            if request.planned_date and new_date <= request.planned_date:
                raise ValidationError({"new_date": ["La date de report doit suivre la date prévue."]})
            request.planned_date = new_date
            request.postponements += 1
        else:
            request.status = PortabilityStatus.CANCELLED
            request.cancelled_at = moment
        lines = list(request.quote.get("lines", []))
        if extra:
            lines.append(
                {
                    "kind": kind,
                    "label": ("Report" if kind == "postpone" else "Annulation")
                    + " de la portabilité (coût de la demande globale)",
                    "amount_eur": json_number(extra),
                    "source": "III.D",
                    "numbers": [],
                }
            )
        request.total_eur += extra
        request.quote = {"total_eur": json_number(request.total_eur), "lines": lines}
        request.save()
        if kind == "cancel":
            order = _locked(request.order)
            _refresh_applicability(order)
            _replan(order)
            order.save(update_fields=["expected_delivery_on", "delivery_deadline_on", "updated_at"])
        record_audit(
            actor,
            f"orders.portability.{kind}",
            request.order,
            {
                "extra_eur": json_number(extra),
                "new_date": _jsonable(new_date),
            },
        )
    return request


def postpone_portability(
    request: PortabilityRequest, *, actor: Any, new_date: date, at: datetime | None = None
) -> PortabilityRequest:
    """Postpone (with the new date) up to 24 h before the confirmed date, at the cost of the whole request."""
    return _change_portability(request, actor=actor, at=at, kind="postpone", new_date=new_date)


def cancel_portability(request: PortabilityRequest, *, actor: Any, at: datetime | None = None) -> PortabilityRequest:
    return _change_portability(request, actor=actor, at=at, kind="cancel")


# --- Commissions ----------------------------------------------------------------------------------------


def record_commission(
    *, actor: Any, partner: Any, month: date, amount: Decimal, detail: list[Any] | None = None
) -> CommissionStatement:
    check_order_desk(actor)
    if partner.kind != "partner":
        raise ValidationError({"partner": ["L'organisation choisie n'est pas un partenaire."]})
    with transaction.atomic():
        row, _ = CommissionStatement.objects.update_or_create(
            partner=partner,
            month=commissions.first_of_month(month),
            defaults={"amount": amount, "detail": detail or []},
        )
        record_audit(actor, "orders.commission", row, {"amount": str(amount)})
    return row


def submit_commission_invoice(
    *,
    actor: Any,
    partner: Any,
    year: int,
    quarter: int,
    invoice_number: str,
    invoice_date: date,
    lines: Iterable[Mapping[str, Any]],
) -> CommissionInvoice:
    """Record a partner's quarterly invoice with the result of the seed X.B check (one line per month…)."""
    if not (actor.is_desk_staff or (actor.role == "partner" and actor.organisation_id == partner.pk)):
        raise PermissionDenied("Seul le partenaire concerné ou l'ADV peut déposer cette facture.")
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": ["Trimestre 1 à 4."]})
    parsed = []
    for i, line in enumerate(lines, 1):
        try:
            parsed.append(commissions.InvoiceLine(_as_date(line.get("month"), "lines"), Decimal(str(line["amount"]))))
        except (KeyError, InvalidOperation) as exc:
            raise ValidationError({"lines": [f"Ligne {i} : mois et montant attendus."]}) from exc
    statement = {row.month: row.amount for row in CommissionStatement.objects.filter(partner=partner)}
    problems = commissions.check_quarterly_invoice(year, quarter, invoice_date, parsed, statement)
    invoice = CommissionInvoice(
        partner=partner,
        year=year,
        quarter=quarter,
        invoice_number=invoice_number,
        invoice_date=invoice_date,
        lines=[{"month": ln.month.isoformat(), "amount": str(ln.amount)} for ln in parsed],
        status=InvoiceStatus.REFUSED if problems else InvoiceStatus.ACCEPTED,
        problems=problems,
    )
    with transaction.atomic():
        invoice.full_clean()
        invoice.save()
        record_audit(actor, "orders.commission_invoice", invoice, {"status": invoice.status, "problems": problems})
    return invoice

"""Order desk pages: order list and detail (file, steps, dates), portability quote, fee calculator.

Views stay thin: they scope orders with ``visible_to`` (another company's order is a 404),
parse a form, call one function of ``orders.actions`` or one pure rule, and turn refusals
into French messages. A refused action changes nothing.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from softwhere.core.views import AuthedRequest, add_errors_to_form, error_messages
from softwhere.customers.choices import OrganisationKind
from softwhere.customers.models import Organisation, Site

from . import actions
from .choices import ORDER_DESK_ROLES, ItemKind, OrderStatus, StepState
from .forms import (
    ITEM_PARAMETER_HELP,
    FeeForm,
    OrderCreateForm,
    OrderFileForm,
    PortabilityQuoteForm,
    SizingForm,
    StepForm,
)
from .models import CommissionStatement, Order
from .services import commissions, flow, leadtimes, portability
from .services.calculators import fee_quote, sizing_result
from .services.money import QuoteError


def _scoped_orders(request: AuthedRequest) -> Any:
    return Order.objects.visible_to(request.user).select_related("organisation", "partner", "site")


def _is_desk(user: Any) -> bool:
    return bool(user.is_superuser or user.role in ORDER_DESK_ROLES)


@login_required
def order_list(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    orders = list(_scoped_orders(request).prefetch_related("steps")[:200])
    rows = []
    for order in orders:
        states = {flow.StepCode(s.code): flow.StepState(s.state) for s in order.steps.all()}
        current = flow.current_step(states) if states else None
        rows.append(
            {
                "order": order,
                "current": current,
                "late": order.is_late(today),
                "ack_late": order.ack_is_late(timezone.now()),
            }
        )
    return render(request, "orders/list.html", {"rows": rows, "today": today, "can_create": _is_desk(request.user)})


@login_required
def order_create(request: AuthedRequest) -> HttpResponse:
    """File intake (seed II.B): company, items with their parameters, documents, and the mandate if any."""
    if not _is_desk(request.user):
        raise PermissionDenied("Seule l'ADV enregistre les commandes.")
    organisations = (
        Organisation.objects.visible_to(request.user)
        .filter(kind__in=[OrganisationKind.CLIENT, OrganisationKind.PARTNER])
        .order_by("name")
    )
    sites = Site.objects.visible_to(request.user).select_related("organisation").order_by("organisation__name", "name")
    form = OrderCreateForm(
        request.POST or None,
        organisations=organisations,
        sites=sites,
        initial={"organisation": request.GET.get("client") or request.GET.get("organisation")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.intake_order(
                actor=request.user, portability_request=form.portability_kwargs(), **form.order_kwargs()
            )
        except ValidationError as exc:
            add_errors_to_form(form, _portability_fields(exc))
        except (PermissionDenied, actions.OrderError) as exc:
            _refused(request, exc)
        else:
            missing = order.missing_items(timezone.localdate())
            if missing:
                messages.warning(
                    request,
                    f"Commande {order.reference} enregistrée ; dossier incomplet : "
                    + " ; ".join(m.label for m in missing)
                    + ".",
                )
            else:
                messages.success(request, f"Commande {order.reference} enregistrée, dossier complet.")
            return redirect("orders:detail", pk=order.pk)
    return render(
        request,
        "orders/create.html",
        {
            "form": form,
            "param_help": ITEM_PARAMETER_HELP,
            "kinds": dict(ItemKind.choices),
            "operators": [op.name for op in portability.operators()],
        },
        status=400 if form.errors else 200,
    )


#: errors of ``create_portability_request`` name its own arguments: show them on the page's mandate fields.
_PORTABILITY_FIELDS = {
    "operator": "port_operator",
    "numbers": "port_numbers",
    "analog_lines": "port_analog_lines",
    "invoice_numbers": "port_invoice_numbers",
    "carrier_invoice_date": "port_carrier_invoice_date",
}


def _portability_fields(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({_PORTABILITY_FIELDS.get(k, k): v for k, v in exc.message_dict.items()})


def _order_context(request: AuthedRequest, order: Order, file_form: OrderFileForm | None = None) -> dict[str, Any]:
    today = timezone.localdate()
    steps = list(order.steps.select_related("owner"))
    states = {flow.StepCode(s.code): flow.StepState(s.state) for s in steps}
    current = flow.current_step(states) if states else None
    needs_sfr = any(str(i.parameters.get("carrier")) == "sfr" for i in order.link_items())
    if file_form is None:
        file_form = OrderFileForm(initial={f: getattr(order, f) for f in OrderFileForm.base_fields})
    return {
        "order": order,
        "items": list(order.items.all()),
        "missing": order.missing_items(today),
        "eligibility_hints": order.eligibility_hints(),
        "steps": steps,
        "current": current,
        "current_step": next((s for s in steps if current and s.code == current.code.value), None),
        "milestones": order.milestones(),
        "late": order.is_late(today),
        "ack_late": order.ack_is_late(timezone.now()),
        "billing_starts_on": order.billing_starts_on(today),
        "portability": order.active_portability,
        "portability_requests": list(order.portability_requests.all()),
        "file_form": file_form,
        "can_edit": _is_desk(request.user) and order.status in (OrderStatus.RECEIVED, OrderStatus.IN_PROGRESS),
        "needs_sfr": needs_sfr,
        "today": today,
        "StepState": StepState,
    }


@login_required
def order_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(_scoped_orders(request), pk=pk)
    return render(request, "orders/detail.html", _order_context(request, order))


def _refused(request: AuthedRequest, exc: Exception) -> None:
    if isinstance(exc, actions.OrderError) and exc.missing and exc.code == actions.OrderErrorCode.FILE_INCOMPLETE:
        messages.error(request, exc.message)
        return
    for line in error_messages(exc):
        messages.error(request, line)


@login_required
@require_POST
def order_update(request: AuthedRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(_scoped_orders(request), pk=pk)
    form = OrderFileForm(request.POST)
    if form.is_valid():
        # Empty text fields are stored blank; empty dates stay None.
        changes = {k: ("" if v is None and k not in _DATE_FIELDS else v) for k, v in form.cleaned_data.items()}
        try:
            actions.update_order(order, actor=request.user, **changes)
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        except (PermissionDenied, actions.OrderError) as exc:
            _refused(request, exc)
            return redirect("orders:detail", pk=order.pk)
        else:
            messages.success(request, "Dossier mis à jour.")
            return redirect("orders:detail", pk=order.pk)
    return render(request, "orders/detail.html", _order_context(request, order, form), status=400)


_DATE_FIELDS = frozenset({"quote_signed_on", "contracts_signed_on", "direct_debit_signed_on", "pages_jaunes_form_on"})


@login_required
@require_POST
def order_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(_scoped_orders(request), pk=pk)
    try:
        actions.acknowledge_order(order, actor=request.user)
        messages.success(request, "Accusé de réception enregistré.")
    except (PermissionDenied, actions.OrderError) as exc:
        _refused(request, exc)
    return redirect("orders:detail", pk=order.pk)


@login_required
@require_POST
def order_start(request: AuthedRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(_scoped_orders(request), pk=pk)
    try:
        actions.start_processing(order, actor=request.user)
        messages.success(request, "Dossier complet : traitement démarré.")
    except (PermissionDenied, actions.OrderError) as exc:
        _refused(request, exc)
    return redirect("orders:detail", pk=order.pk)


@login_required
@require_POST
def order_step(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    order = get_object_or_404(_scoped_orders(request), pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("orders:detail", pk=order.pk)
    try:
        step = actions.move_step(
            order,
            code,
            form.cleaned_data["move"],
            actor=request.user,
            note=form.cleaned_data["note"],
            data=form.step_data(),
        )
        messages.success(request, f"Étape {step.number} : {StepState(step.state).label.lower()}.")
    except (ValidationError, PermissionDenied, actions.OrderError) as exc:
        _refused(request, exc)
    return redirect("orders:detail", pk=order.pk)


@login_required
@require_POST
def order_contest(request: AuthedRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(_scoped_orders(request), pk=pk)
    try:
        actions.contest_link(order, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "Contestation enregistrée : la facturation du lien ne démarre pas.")
    except (PermissionDenied, actions.OrderError) as exc:
        _refused(request, exc)
    return redirect("orders:detail", pk=order.pk)


@login_required
def portability_quote(request: AuthedRequest) -> HttpResponse:
    form = PortabilityQuoteForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payload: dict[str, Any] = {
            "operator": data["operator"],
            "numbers": form.lines(data["numbers"]),
            "analog_lines": form.lines(data["analog_lines"]),
            "postpone": data["postpone"],
            "cancel": data["cancel"],
        }
        if data["invoice_numbers"].strip():
            payload["invoice_numbers"] = form.lines(data["invoice_numbers"])
        try:
            result = portability.quote_json(payload)
        except QuoteError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "orders/portability_quote.html",
        {
            "form": form,
            "result": result,
            "operators": portability.operators(),
            "lead_time": leadtimes.PORTABILITY.text,
        },
        status=400 if form.errors else 200,
    )


@login_required
def fee_calculator(request: AuthedRequest) -> HttpResponse:
    is_sizing = request.method == "POST" and request.POST.get("calculator") == "sizing"
    form = FeeForm(request.POST if request.method == "POST" and not is_sizing else None)
    sizing_form = SizingForm(request.POST if is_sizing else None)
    result = sizing = None
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        data["months_active"] = data["months_elapsed"]
        data["recommit_months"] = data["commitment_months"]
        data["feasibility_done"] = not data.pop("feasibility_not_done")
        try:
            result = fee_quote(data)
        except QuoteError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
    if sizing_form.is_bound and sizing_form.is_valid():
        try:
            sizing = sizing_result({k: v for k, v in sizing_form.cleaned_data.items() if v is not None})
        except QuoteError as exc:
            sizing_form.add_error(None, exc.message)
    failed = bool(form.errors or sizing_form.errors)
    return render(
        request,
        "orders/fees.html",
        {
            "form": form,
            "result": result,
            "sizing_form": sizing_form,
            "sizing": sizing,
            "lead_times": leadtimes.all_lead_times(),
        },
        status=400 if failed else 200,
    )


@login_required
def commissions_page(request: AuthedRequest) -> HttpResponse:
    months = commissions.last_12_months(timezone.localdate())
    rows = (
        CommissionStatement.objects.visible_to(request.user)
        .filter(month__gte=months[0], month__lte=months[-1])
        .select_related("partner")
        .order_by("partner__name", "month")
    )
    if request.GET.get("format") == "csv":
        return _commissions_csv(rows)
    return render(request, "orders/commissions.html", {"rows": rows, "months": months})


def _commissions_csv(rows: Any) -> HttpResponse:
    """Spreadsheet export: semicolons and a BOM so French Excel opens it as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Partenaire", "Mois", "Commissions (€ HT)"])
    for row in rows:
        writer.writerow([row.partner.name, f"{row.month:%m/%Y}", f"{row.amount:.2f}".replace(".", ",")])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commissions.csv"'
    return response

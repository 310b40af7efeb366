"""Forms of the agent desk and the client portal.

Forms only parse and scope input (every queryset goes through ``visible_to``);
the rules live in ``tickets.actions``, whose errors the views attach back here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils import timezone

from softwhere.accounts.choices import AGENT_ROLES, Role
from softwhere.accounts.models import User, display_name
from softwhere.catalogue.choices import CaseDomain, CaseFamily
from softwhere.catalogue.leds import LedMemo
from softwhere.catalogue.models import ResolutionCase
from softwhere.core.widgets import SearchableSelect
from softwhere.customers.choices import OrganisationKind
from softwhere.customers.forms import CompanyFilterField, client_companies
from softwhere.customers.models import Contact, Organisation, Site
from softwhere.interop.services import codes as interop_codes
from softwhere.inventory.choices import EquipmentKind
from softwhere.inventory.models import Equipment, Service

from .choices import Channel, LedPhase, Level, Priority, ServiceState, TicketStatus, Visibility

# Grid filter values beyond the single statuses.
STATUS_GROUPS = {
    "ouverts": "Ouverts",
    "actifs": "Non terminés",
    "tous": "Tous",
}


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes (small sizes: the desk is dense) on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):  # includes CheckboxSelectMultiple
            css = "form-check-input"
        elif isinstance(widget, forms.HiddenInput):
            continue
        elif isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs.setdefault("class", css)


#: Help of the agent's « Référence du client » field (creation and header edit).
CLIENT_REFERENCE_HELP = "Numéro de ticket ou de commande du client, repris dans les mails (« Votre référence »)."


class DeskForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


# --- Resolution case select ------------------------------------------------------------------------------


def case_choices(include_blank: str = "— choisir un cas —") -> list[Any]:
    """Active cases grouped « Famille / Domaine », numbered like the paper sheets."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for case in ResolutionCase.objects.filter(is_active=True).only("id", "number", "family", "domain", "title"):
        group = f"{CaseFamily(case.family).label} / {CaseDomain(case.domain).label}"
        groups.setdefault(group, []).append((case.id, f"{case.number}. {case.title}"))
    return [("", include_blank), *groups.items()]


class CaseChoiceField(forms.ChoiceField):
    """A grouped select of active cases whose cleaned value is the ResolutionCase."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=case_choices, **kwargs)

    def __deepcopy__(self, memo: dict[int, Any]) -> CaseChoiceField:
        """Each form gets the catalogue read once (a callable would be re-read on every iteration)."""
        field: CaseChoiceField = super().__deepcopy__(memo)  # type: ignore[misc]
        field.choices = case_choices()
        return field

    def clean(self, value: Any) -> ResolutionCase | None:
        value = super().clean(value)
        if not value:
            return None
        case = ResolutionCase.objects.filter(pk=value, is_active=True).first()
        if case is None:
            raise forms.ValidationError("Cas de résolution inconnu ou désactivé.")
        return case


# --- Ticket grid filters ---------------------------------------------------------------------------------


class TicketFilterForm(DeskForm):
    """GET filters of the ticket grid; field names are the French query parameters."""

    q = forms.CharField(label="Recherche", required=False)
    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[*STATUS_GROUPS.items(), ("", "──────────"), *TicketStatus.choices],
    )
    niveau = forms.ChoiceField(label="Niveau", required=False, choices=[("", "Tous"), *Level.choices])
    service = forms.ChoiceField(label="État du service", required=False, choices=[("", "Tous"), *ServiceState.choices])
    organisation = CompanyFilterField()
    affecte = forms.ChoiceField(label="Affecté à", required=False)
    famille = forms.ChoiceField(
        label="Famille de cas",
        required=False,
        choices=[("", "Toutes"), ("aucun", "Non qualifiés"), *CaseFamily.choices],
    )
    sla = forms.ChoiceField(
        label="Échéance SLA",
        required=False,
        choices=[("", "Toutes"), ("risque", "À risque (moins de 2 h)"), ("depasse", "Dépassée")],
    )
    cas = forms.CharField(required=False, widget=forms.HiddenInput)
    tri = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = client_companies(user)
        affecte = self.fields["affecte"]
        assert isinstance(affecte, forms.ChoiceField)
        # A callable: the agents are read only when the select is drawn or an agent id is validated,
        # not on every HTMX refresh of the grid (a large desk has hundreds of agents).
        read: list[tuple[str, str]] = []

        def assignees() -> list[tuple[str, str]]:
            if not read:  # once per form, however many times the choices are walked
                read.extend(_assignee_filter_choices())
            return read

        affecte.choices = assignees


def _assignee_filter_choices() -> list[tuple[str, str]]:
    rows = agent_queryset().order_by("username").values_list("id", "first_name", "last_name", "username")
    agents = [(str(pk), display_name(first, last, username)) for pk, first, last, username in rows]
    return [("", "Tous"), ("moi", "Moi"), ("aucun", "Non affectés"), *agents]


def agent_queryset() -> Any:
    return User.objects.filter(is_active=True).filter(Q(role__in=AGENT_ROLES) | Q(is_superuser=True))


# --- New ticket (agents) --------------------------------------------------------------------------------


class ServiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        parts = [obj.get_kind_display(), obj.label, obj.carrier_reference]
        return " · ".join(dict.fromkeys(p for p in parts if p))


class EquipmentField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = " ".join(p for p in (obj.brand, obj.model) if p)
        return " · ".join(p for p in (obj.get_kind_display(), name, obj.serial_number) if p)


class TicketCreateForm(DeskForm):
    """Agent form: organisation → site → services / equipment, narrowed as the agent picks."""

    organisation = forms.ModelChoiceField(
        label="Raison sociale",
        queryset=Organisation.objects.none(),
        empty_label="— choisir la société —",
        # Picking a company redraws its sites, contacts and services (HTMX).
        widget=SearchableSelect(
            active_only=True,
            attrs={
                "hx-get": reverse_lazy("tickets:create"),
                "hx-trigger": "change",
                "hx-include": "#ticket-create",
                "hx-target": "#dependent-fields",
                "hx-select": "#dependent-fields",
                "hx-swap": "outerHTML",
            },
        ),
    )
    site = forms.ModelChoiceField(
        label="Site", required=False, queryset=Site.objects.none(), empty_label="— sans site précis —"
    )
    services = ServiceField(
        label="Services concernés", required=False, queryset=Service.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    equipment = EquipmentField(
        label="Équipements concernés",
        required=False,
        queryset=Equipment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reporter = forms.ModelChoiceField(
        label="Signaleur", required=False, queryset=Contact.objects.none(), empty_label="— non renseigné —"
    )
    subject = forms.CharField(label="Objet", max_length=200)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    service_state = forms.ChoiceField(label="État du service", choices=ServiceState.choices, widget=forms.RadioSelect)
    priority = forms.TypedChoiceField(label="Priorité", choices=Priority.choices, coerce=int, initial=Priority.P3)
    channel = forms.ChoiceField(label="Canal", choices=Channel.choices, initial=Channel.PHONE)
    client_reference = forms.CharField(
        label="Référence du client", required=False, max_length=60, help_text=CLIENT_REFERENCE_HELP
    )
    case = CaseChoiceField(label="Cas de résolution (facultatif)", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        org_id = _int_or_none(source.get("organisation"))
        site_id = _int_or_none(source.get("site"))
        self._set_queryset(
            "organisation",
            Organisation.objects.visible_to(user).exclude(kind=OrganisationKind.OPERATOR).filter(is_active=True),
        )
        sites = Site.objects.visible_to(user).filter(organisation_id=org_id) if org_id else Site.objects.none()
        self._set_queryset("site", sites)
        self._set_queryset(
            "reporter",
            Contact.objects.visible_to(user).filter(organisation_id=org_id) if org_id else Contact.objects.none(),
        )
        # Services and equipment are offered once a site of the chosen company is picked.
        self.site_selected = bool(site_id and sites.filter(pk=site_id).exists())
        if self.site_selected:
            self._set_queryset("services", Service.objects.visible_to(user).filter(site_id=site_id))
            self._set_queryset("equipment", Equipment.objects.visible_to(user).filter(site_id=site_id))

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


# --- Ticket page forms ------------------------------------------------------------------------------------

# Which inputs each transition asks for (the guards in transitions.py decide what is mandatory).
TRANSITION_FIELDS: dict[str, tuple[str, ...]] = {
    "escalate": ("reason",),
    "return_to_n1": ("reason",),
    "wait_client": ("reason",),
    "wait_carrier": ("carrier", "carrier_ticket_reference", "reason"),
    "resolve": ("resolution",),
    "observe": ("observation_until", "reason"),
    "cancel": ("reason",),
    "reopen": ("reason",),
}


class TransitionForm(DeskForm):
    reason = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resolution = forms.CharField(label="Résolution apportée", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    carrier = forms.CharField(label="Opérateur", required=False, max_length=60)
    carrier_ticket_reference = forms.CharField(label="Référence ticket opérateur", required=False, max_length=60)
    observation_until = forms.DateTimeField(
        label="Observation jusqu'au",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def params(self, name: str) -> dict[str, Any]:
        """Keyword arguments for ``transition_ticket`` limited to what ``name`` uses."""
        wanted = TRANSITION_FIELDS.get(name, ())
        return {f: self.cleaned_data.get(f) for f in wanted if self.cleaned_data.get(f) not in (None, "")}


class QualifyForm(DeskForm):
    case = CaseChoiceField(label="Cas de résolution")


class AgentChoiceIterator(ModelChoiceIterator):
    """Options from plain rows: a large desk has hundreds of agents, and building a model instance per option
    (deferred fields included) cost more than the rest of the select. Validation stays the field's own."""

    role_labels = dict(Role.choices)

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("id", "first_name", "last_name", "username", "role")
        for pk, first, last, username, role in rows:
            yield (pk, f"{display_name(first, last, username)} ({self.role_labels.get(role, role)})")


class AgentField(forms.ModelChoiceField):
    """Agents with their role."""

    iterator = AgentChoiceIterator


class AssignForm(DeskForm):
    assignee = AgentField(label="Affecter à", queryset=User.objects.none(), required=False, empty_label="— personne —")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agent_queryset().order_by("role", "last_name", "username")


class CommentForm(DeskForm):
    body = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label="Visibilité", choices=Visibility.choices, initial=Visibility.INTERNAL, widget=forms.RadioSelect
    )


class PortalCommentForm(DeskForm):
    body = forms.CharField(label="Votre message", widget=forms.Textarea(attrs={"rows": 3}))


class ChecklistItemForm(DeskForm):
    done = forms.BooleanField(required=False)
    note = forms.CharField(required=False, max_length=2000)


class TicketEditForm(DeskForm):
    """Header fields an agent may correct; only the changed ones reach ``update_ticket``."""

    subject = forms.CharField(label="Objet", max_length=200)
    service_state = forms.ChoiceField(label="État du service", choices=ServiceState.choices)
    priority = forms.TypedChoiceField(label="Priorité", choices=Priority.choices, coerce=int)
    alerts = forms.CharField(label="Alertes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    complementary_data = forms.CharField(
        label="Données complémentaires", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    carrier = forms.CharField(label="Opérateur tiers", required=False, max_length=60)
    carrier_ticket_reference = forms.CharField(label="Référence ticket opérateur", required=False, max_length=60)
    client_reference = forms.CharField(
        label="Référence du client", required=False, max_length=60, help_text=CLIENT_REFERENCE_HELP
    )


class LedReadingForm(DeskForm):
    """One select per LED of the memo, each option « état — signification » in the memo's words."""

    phase = forms.ChoiceField(label="Relevé", choices=LedPhase.choices, widget=forms.RadioSelect)
    equipment = forms.ModelChoiceField(
        label="Équipement", required=False, queryset=Equipment.objects.none(), empty_label="— non précisé —"
    )

    def __init__(
        self, *args: Any, memo: LedMemo, equipment: Any = None, available: list[Equipment] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", memo.kind)
        super().__init__(*args, **kwargs)
        self.memo = memo
        field = self.fields["equipment"]
        assert isinstance(field, forms.ModelChoiceField)
        kind = EquipmentKind.ONT if memo.kind == "ont" else EquipmentKind.ROUTER
        field.queryset = equipment.filter(kind=kind) if equipment is not None else Equipment.objects.none()
        if available is not None:
            # The ticket page already holds the site's equipment: offer it without a query per memo.
            offered = [e for e in available if e.kind == kind]
            field.widget.choices = [("", field.empty_label), *((e.pk, field.label_from_instance(e)) for e in offered)]
            self.has_equipment = bool(offered)
        else:
            self.has_equipment = field.queryset.exists()
        for led in memo.leds:
            self.fields[f"led_{led.code}"] = forms.ChoiceField(
                label=led.label,
                choices=[("", "—"), *((s.state, f"{s.label} — {s.meaning}") for s in led.states)],
                widget=forms.Select(attrs={"class": "form-select form-select-sm led-select"}),
            )

    def led_fields(self) -> list[forms.BoundField]:
        return [self[f"led_{led.code}"] for led in self.memo.leds]

    def states(self) -> dict[str, str]:
        return {led.code: self.cleaned_data[f"led_{led.code}"] for led in self.memo.leds}


# --- Client portal -----------------------------------------------------------------------------------------


class PortalSiteField(forms.ModelChoiceField):
    """Partner users see several companies: their sites are labelled with the company."""

    show_company = False

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation} — {obj}" if self.show_company else str(obj)


class PortalTicketForm(DeskForm):
    site = PortalSiteField(label="Site concerné", queryset=Site.objects.none(), empty_label="— choisir —")
    subject = forms.CharField(label="Objet", max_length=200)
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce qui ne fonctionne pas, depuis quand, les voyants observés, les numéros concernés.",
    )
    service_state = forms.ChoiceField(
        label="Impact sur le service", choices=ServiceState.choices, widget=forms.RadioSelect
    )
    client_reference = forms.CharField(
        label="Votre référence",
        required=False,
        max_length=60,
        help_text="Facultatif : votre propre numéro de ticket ou de commande, repris dans nos messages.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["site"]
        assert isinstance(field, PortalSiteField)
        field.queryset = Site.objects.visible_to(user).select_related("organisation")
        field.show_company = user.role == "partner"


def default_observation_end() -> str:
    """Prefill of the observation form: tomorrow, same time (local)."""
    return (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


class OiEscalationForm(DeskForm):
    """Deposit of a SAV FTTH signalisation to the OI (``interop.actions.escalate_to_oi``)."""

    nature = forms.ChoiceField(
        label="Nature du défaut",
        required=False,
        choices=[("", "Déduite du dernier relevé ONT"), *interop_codes.NATURES.items()],
    )
    preloc = forms.ChoiceField(label="Pré-localisation", choices=list(interop_codes.PRELOCS.items()), initial="PTO")
    comment = forms.CharField(
        label="Commentaire pour l'OI", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

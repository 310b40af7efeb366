"""Forms of the gateway's pages: OI moves (take charge, inform, close) and OC follow-up (inform, answer, cancel)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from .choices import ResolutionState
from .choices import SignalisationStatus as S
from .services import codes
from .services.formats import PARIS, Slot

INFO_CHOICES = [(k, v) for k, v in codes.INFO_TYPES.items() if k != "DEMANDE_ANNULATION"]
RESOLUTION_CHOICES = [("", "—"), *ResolutionState.choices]
LOCATION_CHOICES = [("", "— (RET seulement)"), *codes.PRELOCS.items()]


def _local(value: datetime | None) -> datetime | None:
    """``datetime-local`` inputs are Paris wall-clock time."""
    if value is None:
        return None
    return value.replace(tzinfo=PARIS) if value.tzinfo is None else value


class _SlotsMixin(forms.Form):
    """Three optional (start, end) pairs → ``cleaned_data["proposals"]``, plus an optional ``appointment``."""

    slot_count = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        for i in range(1, self.slot_count + 1):
            self.fields[f"start{i}"] = forms.DateTimeField(label=f"Créneau {i} : début", required=False, widget=widget)
            self.fields[f"end{i}"] = forms.DateTimeField(label=f"Créneau {i} : fin", required=False, widget=widget)

    def _slot(self, start_name: str, end_name: str) -> Slot | None:
        start, end = _local(self.cleaned_data.get(start_name)), _local(self.cleaned_data.get(end_name))
        if start is None and end is None:
            return None
        if start is None or end is None or end <= start:
            self.add_error(start_name, "Créneau incomplet ou fin avant le début.")
            return None
        return Slot(start, end)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        slots = [self._slot(f"start{i}", f"end{i}") for i in range(1, self.slot_count + 1)]
        data["proposals"] = [s for s in slots if s is not None]
        return data


class TakeChargeForm(forms.Form):
    resolution_state = forms.ChoiceField(label="État de résolution", choices=ResolutionState.choices)


class OiInformationForm(_SlotsMixin):
    """OI → OC: a message, a status (en attente / suspendu / en cours), proposals or the agreed appointment."""

    info_type = forms.ChoiceField(label="Type de message", choices=INFO_CHOICES)
    text = forms.CharField(label="Message", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    resolution_state = forms.ChoiceField(label="État de résolution", choices=RESOLUTION_CHOICES, required=False)
    status = forms.ChoiceField(
        label="État de la signalisation",
        required=False,
        choices=[
            ("", "inchangé"),
            (S.PENDING, S.PENDING.label),
            (S.HELD, S.HELD.label),
            (S.IN_PROGRESS, S.IN_PROGRESS.label),
        ],
    )
    appointment_id = forms.CharField(label="Identifiant de RDV", required=False, max_length=50)
    confirm_first = forms.BooleanField(label="Le créneau 1 est le RDV retenu (confirmation)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("confirm_first"):
            if not data.get("proposals"):
                self.add_error("start1", "Indiquez le créneau retenu.")
            else:
                data["appointment"] = data["proposals"][0]
                data["proposals"] = []
        data.setdefault("appointment", None)
        return data


class OcInformationForm(_SlotsMixin):
    """OC → OI: a message, client details, new appointment proposals (three at most)."""

    info_type = forms.ChoiceField(label="Type de message", choices=INFO_CHOICES)
    text = forms.CharField(label="Message", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AppointmentAnswerForm(_SlotsMixin):
    """OC: accept the OI's slot (one proposed) or refuse with new proposals."""

    answer = forms.ChoiceField(label="Réponse", choices=[("accept", "Accepter"), ("refuse", "Refuser et proposer")])
    text = forms.CharField(label="Message", required=False, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif", max_length=255)


class RelaunchForm(forms.Form):
    text = forms.CharField(label="Message de relance", required=False, max_length=2000)


class ClosureForm(forms.Form):
    code = forms.ChoiceField(label="Code de clôture", choices=list(codes.CLOSURE_SUBCODES.items()))
    responsibility = forms.ChoiceField(label="Responsabilité", choices=list(codes.RESPONSIBILITIES.items()))
    location = forms.ChoiceField(label="Localisation du défaut", choices=LOCATION_CHOICES, required=False)
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))

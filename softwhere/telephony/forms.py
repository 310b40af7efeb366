"""Forms of the self-care pages; they only parse input, the rules live in actions.py and services/rules.py."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import forms

from .choices import WEEKDAY_NAMES, WEEKDAYS, DistributionMode, OverflowMode
from .services.rules import schema_issues

DAY_CHOICES = [(d, WEEKDAY_NAMES[i].capitalize()) for i, d in enumerate(WEEKDAYS)]


class CalendarForm(forms.Form):
    name = forms.CharField(label="Nom du calendrier", max_length=120)
    days = forms.MultipleChoiceField(label="Les jours où s'applique l'horaire type", choices=DAY_CHOICES,
                                     widget=forms.CheckboxSelectMultiple, initial=["lun", "mar", "mer", "jeu", "ven"])
    start = forms.TimeField(label="De", initial="09:00", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="À", initial="18:00", widget=forms.TimeInput(attrs={"type": "time"}))
    lunch = forms.BooleanField(label="Pause déjeuner", required=False)
    lunch_start = forms.TimeField(label="Pause de", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    lunch_end = forms.TimeField(label="à", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    closure_days = forms.CharField(label="Jours de fermeture", required=False,
                                   help_text="Dates AAAA-MM-JJ séparées par des virgules.")

    def clean_closure_days(self) -> list[str]:
        days = [d.strip() for d in self.cleaned_data["closure_days"].split(",") if d.strip()]
        for d in days:
            try:
                date.fromisoformat(d)
            except ValueError as exc:
                raise forms.ValidationError(f"Date invalide : {d} (AAAA-MM-JJ).") from exc
        return days

    def action_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        schedule: dict[str, Any] = {"days": d["days"], "start": f"{d['start']:%H:%M}", "end": f"{d['end']:%H:%M}"}
        if d["lunch"] and d["lunch_start"] and d["lunch_end"]:
            schedule["lunch_break"] = {"start": f"{d['lunch_start']:%H:%M}", "end": f"{d['lunch_end']:%H:%M}"}
        return {"name": d["name"], "schedules": [schedule], "closure_days": d["closure_days"]}


class CallGroupForm(forms.Form):
    name = forms.CharField(label="Nom du groupe", max_length=120)
    number = forms.CharField(label="Numéro du groupe", max_length=20)
    site = forms.ChoiceField(label="Site")
    distribution = forms.ChoiceField(label="Mode de distribution", choices=DistributionMode.choices,
                                     initial=DistributionMode.POSTE_LIBRE)
    max_rings = forms.IntegerField(label="Nombre de sonneries maximum", initial=5)
    max_waiting_calls = forms.IntegerField(label="Nombre maximum d'appels en attente", initial=20)
    max_wait_seconds = forms.IntegerField(label="Temps d'attente maximum avant débordement (s)", initial=300)
    overflow_mode = forms.ChoiceField(label="Mode de débordement", choices=OverflowMode.choices,
                                      initial=OverflowMode.DISSUASION)
    overflow_number = forms.CharField(label="Numéro de débordement", required=False)
    members = forms.MultipleChoiceField(label="Membres", widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, sites: list[tuple[str, str]], lines: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = sites  # type: ignore[attr-defined]
        self.fields["members"].choices = lines  # type: ignore[attr-defined]


class IvrForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=120)
    number = forms.CharField(label="Numéro", max_length=20)
    site = forms.ChoiceField(label="Site")
    calendar = forms.ChoiceField(label="Calendrier", required=False,
                                 help_text="Sans calendrier : mode unique 24h/24 - 7j/7.")
    announcement = forms.FileField(label="Annonce d'accueil (MP3 ou WAV, 2 min au plus)")
    closed_announcement = forms.FileField(label="Annonce des heures de fermeture", required=False,
                                          help_text="Absente : le menu de fermeture reprend celui d'ouverture.")

    def __init__(self, *args: Any, sites: list[tuple[str, str]], calendars: list[str],
                 destinations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = sites  # type: ignore[attr-defined]
        self.fields["calendar"].choices = [("", "Aucun calendrier"), *((c, c) for c in calendars)]  # type: ignore[attr-defined]
        for key in range(1, 10):
            self.fields[f"key_{key}"] = forms.CharField(
                label=f"Touche {key}", required=False,
                widget=forms.TextInput(attrs={"list": "destinations", "placeholder": "Touche non affectée"}),
            )
        self.destinations = destinations


class SimulateForm(forms.Form):
    to = forms.CharField(label="Numéro appelé", widget=forms.TextInput(attrs={"list": "company-numbers"}))
    day = forms.DateField(label="Jour", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Heure", widget=forms.TimeInput(attrs={"type": "time"}))
    caller = forms.CharField(label="Numéro appelant", required=False, help_text="Vide : numéro masqué.")
    keys = forms.CharField(label="Touches tapées (AVI)", required=False, max_length=10)
    state = forms.CharField(label="État des lignes (JSON, facultatif)", required=False,
                            widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
                            help_text='Ex. {"lines": {"+33187044001": {"answers": false}}}')

    def clean_state(self) -> dict[str, Any] | None:
        raw = self.cleaned_data["state"].strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError("JSON invalide.") from exc
        problems = schema_issues(value, "state")
        if problems:
            raise forms.ValidationError([str(p) for p in problems])
        return value if isinstance(value, dict) else {"lines": {}}

"""Forms of the self-care pages; they only parse input, the rules live in actions.py and services/rules.py."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from softwhere.core.views import add_errors_to_form

from .choices import (
    PHONE_MODELS,
    WEEKDAY_NAMES,
    WEEKDAYS,
    CallerIdMode,
    DistributionMode,
    ForwardDestination,
    HardwareKind,
    LineKind,
    MultiRingMode,
    OverflowMode,
    RestrictionProfile,
)
from .models import Calendar, Line
from .services.config import FORWARD_KINDS, default_services, merge_defaults
from .services.numbers import normalize_number
from .services.rules import (
    FORWARD_KINDS_BY_LINE,
    FORWARD_LABELS,
    HARDWARE_BY_LINE,
    SERVICE_KINDS,
    calendar_issues,
    schema_issues,
)

DAY_CHOICES = [(d, WEEKDAY_NAMES[i].capitalize()) for i, d in enumerate(WEEKDAYS)]


class CalendarForm(forms.Form):
    """Name and closure days of a calendar; its schedules and closure periods are the two formsets below."""

    name = forms.CharField(label="Nom du calendrier", max_length=120)
    closure_days = forms.CharField(
        label="Jours de fermeture", required=False, help_text="Dates AAAA-MM-JJ séparées par des virgules."
    )

    def clean_closure_days(self) -> list[str]:
        days = [d.strip() for d in self.cleaned_data["closure_days"].split(",") if d.strip()]
        for d in days:
            try:
                date.fromisoformat(d)
            except ValueError as exc:
                raise forms.ValidationError(f"Date invalide : {d} (AAAA-MM-JJ).") from exc
        return days


class HhmmField(forms.CharField):
    """An hour as the document stores it, « HH:MM », where « 24:00 » closes at midnight (schema ``hhmm``).

    A text input, not ``type=time``: browsers cannot hold 24:00 and would blank it when editing.
    """

    _pattern = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)|24:00")

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "HH:MM", "inputmode": "numeric", "size": 6}
        super().__init__(max_length=5, widget=forms.TextInput(attrs=attrs), **kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value)).strip().replace("h", ":")
        if not text:
            return ""
        if not self._pattern.fullmatch(text):
            raise forms.ValidationError("Heure invalide : saisissez HH:MM (de 00:00 à 24:00).")
        hours, minutes = text.split(":")
        return f"{int(hours):02d}:{minutes}"


class ScheduleForm(forms.Form):
    """One schedule type: the weekdays it applies to, its hours and an optional lunch break."""

    days = forms.MultipleChoiceField(
        label="Les jours où s'applique l'horaire type", choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    start = HhmmField(label="De")
    end = HhmmField(label="À")
    lunch = forms.BooleanField(label="Pause déjeuner", required=False)
    lunch_start = HhmmField(label="Pause de", required=False)
    lunch_end = HhmmField(label="à", required=False)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("lunch") and not (d.get("lunch_start") and d.get("lunch_end")):
            self.add_error("lunch_start", "Indiquez le début et la fin de la pause déjeuner.")
        return d

    def schedule(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {"days": d["days"], "start": d["start"], "end": d["end"]}
        if d["lunch"]:
            out["lunch_break"] = {"start": d["lunch_start"], "end": d["lunch_end"]}
        return out

    @staticmethod
    def initial_from(schedule: dict[str, Any]) -> dict[str, Any]:
        lunch = schedule.get("lunch_break") or {}
        return {
            "days": schedule["days"],
            "start": schedule["start"],
            "end": schedule["end"],
            "lunch": bool(lunch),
            "lunch_start": lunch.get("start"),
            "lunch_end": lunch.get("end"),
        }


class ClosurePeriodForm(forms.Form):
    first_day = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label="Au", widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> dict[str, str]:
        return {k: self.cleaned_data[k].isoformat() for k in ("first_day", "last_day")}


ScheduleFormSet = forms.formset_factory(ScheduleForm, extra=0, can_delete=True)
ClosurePeriodFormSet = forms.formset_factory(ClosurePeriodForm, extra=0, can_delete=True)
NEW_CALENDAR_SCHEDULE = {"days": ["lun", "mar", "mer", "jeu", "ven"], "start": "09:00", "end": "18:00"}

# Where a rule's error (``services.rules.calendar_issues`` path tail) is shown on a schedule row.
_SCHEDULE_ERROR_FIELDS = {"days": "days", "start": "start", "end": "end", "lunch_break": "lunch_start"}


class CalendarEditor:
    """The calendar page: main form + schedules formset + closure periods formset, as one unit.

    ``is_valid`` also runs the seed's calendar rules (``calendar_issues``) so that each error lands on its
    row before anything is saved; ``actions.create_calendar`` / ``update_calendar`` re-check the company.
    """

    def __init__(self, data: Any = None, *, calendar: Calendar | None = None) -> None:
        if calendar is None:
            main: dict[str, Any] = {}
            schedules = [ScheduleForm.initial_from(NEW_CALENDAR_SCHEDULE)]
            periods: list[dict[str, Any]] = []
        else:
            main = {"name": calendar.name, "closure_days": ", ".join(calendar.closure_days)}
            schedules = [ScheduleForm.initial_from(s) for s in calendar.schedules]
            periods = list(calendar.closure_periods)
        if data is not None:
            # Bound rows are compared to nothing, so only truly blank rows count as « left empty ».
            schedules, periods = [], []
        self.form = CalendarForm(data, initial=main)
        self.schedules = ScheduleFormSet(data, initial=schedules, prefix="schedules")
        self.periods = ClosurePeriodFormSet(data, initial=periods, prefix="periods")
        self._schedule_forms: list[ScheduleForm] = []
        self._period_forms: list[ClosurePeriodForm] = []

    @staticmethod
    def _kept(formset: forms.BaseFormSet) -> list[Any]:
        """Rows to save: not marked « Supprimer » and not blank rows added but left empty."""
        deleted = set(map(id, formset.deleted_forms))
        return [f for f in formset.forms if id(f) not in deleted and f.cleaned_data]

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.schedules.is_valid(), self.periods.is_valid()])
        if not valid:
            return False
        self._schedule_forms = self._kept(self.schedules)
        self._period_forms = self._kept(self.periods)
        issues = calendar_issues(self.action_kwargs())
        for issue in issues:
            self._place(issue.path, issue.message)
        return not issues

    def _place(self, path: str, message: str) -> None:
        match = re.fullmatch(r"(schedules|closure_periods)\[(\d+)\](?:\.(\w+))?", path)
        if match is None:  # « au moins un type d'horaire » and anything not tied to a row
            self.form.add_error(None, message)
        elif match[1] == "schedules":
            self._schedule_forms[int(match[2])].add_error(_SCHEDULE_ERROR_FIELDS.get(match[3] or ""), message)
        else:
            self._period_forms[int(match[2])].add_error("last_day", message)

    def action_kwargs(self) -> dict[str, Any]:
        return {
            "name": self.form.cleaned_data["name"],
            "schedules": [f.schedule() for f in self._schedule_forms],
            "closure_periods": [f.period() for f in self._period_forms],
            "closure_days": self.form.cleaned_data["closure_days"],
        }

    def add_action_errors(self, exc: ValidationError) -> None:
        add_errors_to_form(self.form, exc)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or any(self.schedules.errors)
            or self.schedules.non_form_errors()
            or any(self.periods.errors)
            or self.periods.non_form_errors()
        )


class CallGroupForm(forms.Form):
    name = forms.CharField(label="Nom du groupe", max_length=120)
    number = forms.CharField(label="Numéro du groupe", max_length=20)
    site = forms.ChoiceField(label="Site")
    distribution = forms.ChoiceField(
        label="Mode de distribution", choices=DistributionMode.choices, initial=DistributionMode.POSTE_LIBRE
    )
    max_rings = forms.IntegerField(label="Nombre de sonneries maximum", initial=5)
    max_waiting_calls = forms.IntegerField(label="Nombre maximum d'appels en attente", initial=20)
    max_wait_seconds = forms.IntegerField(label="Temps d'attente maximum avant débordement (s)", initial=300)
    overflow_mode = forms.ChoiceField(
        label="Mode de débordement", choices=OverflowMode.choices, initial=OverflowMode.DISSUASION
    )
    overflow_number = forms.CharField(label="Numéro de débordement", required=False)
    inter_call_delay_enabled = forms.BooleanField(label="Délai inter-appels", required=False)
    inter_call_delay_seconds = forms.IntegerField(label="Durée du délai inter-appels (s)", required=False)
    members = forms.MultipleChoiceField(label="Membres", widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, sites: list[tuple[str, str]], lines: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = sites  # type: ignore[attr-defined]
        self.fields["members"].choices = lines  # type: ignore[attr-defined]


class IvrForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=120)
    number = forms.CharField(label="Numéro", max_length=20)
    site = forms.ChoiceField(label="Site")
    calendar = forms.ChoiceField(
        label="Calendrier", required=False, help_text="Sans calendrier : mode unique 24h/24 - 7j/7."
    )
    announcement = forms.FileField(label="Annonce d'accueil (MP3 ou WAV, 2 min au plus)")
    closed_announcement = forms.FileField(
        label="Annonce des heures de fermeture",
        required=False,
        help_text="Absente : le menu de fermeture reprend celui d'ouverture.",
    )

    def __init__(
        self,
        *args: Any,
        sites: list[tuple[str, str]],
        calendars: list[str],
        destinations: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = sites  # type: ignore[attr-defined]
        self.fields["calendar"].choices = [("", "Aucun calendrier"), *((c, c) for c in calendars)]  # type: ignore[attr-defined]
        for key in range(1, 10):
            self.fields[f"key_{key}"] = forms.CharField(
                label=f"Touche {key}",
                required=False,
                widget=forms.TextInput(attrs={"list": "destinations", "placeholder": "Touche non affectée"}),
            )
        self.destinations = destinations


class SimulateForm(forms.Form):
    to = forms.CharField(label="Numéro appelé", widget=forms.TextInput(attrs={"list": "company-numbers"}))
    day = forms.DateField(label="Jour", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Heure", widget=forms.TimeInput(attrs={"type": "time"}))
    caller = forms.CharField(label="Numéro appelant", required=False, help_text="Vide : numéro masqué.")
    keys = forms.CharField(label="Touches tapées (AVI)", required=False, max_length=10)
    state = forms.CharField(
        label="État des lignes (JSON, facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text='Ex. {"lines": {"+33187044001": {"answers": false}}}',
    )

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


# --- Line services (« Paramétrage des services de la ligne ») ----------------------------------------------


def _lines_of(text: str) -> list[str]:
    return [v.strip() for v in text.replace(",", "\n").splitlines() if v.strip()]


class LineServicesForm(forms.Form):
    """Identity, services, forwards and IP phone of one line; only the blocks its kind offers (§5.2.1 tables).

    ``services_payload`` / ``changes`` give ``actions.update_line`` partial blocks: the action
    deep-merges them and re-checks the whole company (limits, destinations, calendars).
    """

    def __init__(self, *args: Any, line: Line, calendars: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        kind = line.kind
        s = merge_defaults(default_services(kind, line.associated_mobile or None), line.services)
        hw = line.hardware or {}
        f = self.fields
        cal_choices = [("", "Aucun calendrier"), *((c, c) for c in calendars)]
        self.sections: list[tuple[str, list[str]]] = []

        def section(title: str, names: list[str]) -> None:
            if names:
                self.sections.append((title, names))

        # Identity (« Modifier les coordonnées »)
        ident: list[str] = []
        if kind == LineKind.ANALOGIQUE:
            f["name"] = forms.CharField(label="Nom", max_length=120, initial=line.name)
            ident.append("name")
        else:
            f["first_name"] = forms.CharField(label="Prénom", max_length=80, initial=line.first_name, required=False)
            f["last_name"] = forms.CharField(label="Nom", max_length=80, initial=line.last_name, required=False)
            ident += ["first_name", "last_name"]
            if kind != LineKind.MOBILE:
                f["email"] = forms.EmailField(label="E-mail (identifiant unique)", initial=line.email, required=False)
                ident.append("email")
        f["short_number"] = forms.CharField(
            label="Numéro court", max_length=9, initial=line.short_number, required=False
        )
        ident.append("short_number")
        if kind in (LineKind.FIXE, LineKind.NUMERO_FIXE_MOBILE):
            f["associated_mobile"] = forms.CharField(
                label="Ligne mobile associée", max_length=20, initial=line.associated_mobile, required=False
            )
            ident.append("associated_mobile")
        section("Rappel des informations", ident)

        def offered(service: str) -> bool:
            return kind in SERVICE_KINDS[service][1]

        out: list[str] = []
        if offered("caller_id"):
            f["caller_id_mode"] = forms.ChoiceField(
                label="Affichage du numéro", choices=CallerIdMode.choices, initial=s["caller_id"]["mode"]
            )
            f["caller_id_number"] = forms.CharField(
                label="Numéro alternatif présenté", required=False, initial=s["caller_id"].get("number") or ""
            )
            out += ["caller_id_mode", "caller_id_number"]
        if offered("callback_on_busy"):
            f["callback_on_busy"] = forms.BooleanField(
                label="Rappel automatique sur occupation", required=False, initial=s["callback_on_busy"]
            )
            out.append("callback_on_busy")
        if offered("restriction_profile"):
            f["restriction_profile"] = forms.ChoiceField(
                label="Profil de restriction d'appels sortants",
                choices=RestrictionProfile.choices,
                initial=s["restriction_profile"],
            )
            out.append("restriction_profile")
        section("Appels sortants", out)

        inc: list[str] = []
        for name, label in (
            ("do_not_disturb", "Ne pas déranger"),
            ("reject_anonymous", "Rejeter les appels anonymes"),
            ("call_waiting", "Signal d'appel"),
            ("distinctive_ring", "Sonnerie différenciée appels externes / internes"),
        ):
            if name == "reject_anonymous" or offered(name):  # anonymous rejection: every kind (§5.2.1)
                f[name] = forms.BooleanField(label=label, required=False, initial=s[name])
                inc.append(name)
        if offered("multi_ring"):
            mr = s["multi_ring"]
            f["multi_ring_enabled"] = forms.BooleanField(
                label="Sonnerie sur plusieurs lignes", required=False, initial=mr["enabled"]
            )
            f["multi_ring_mode"] = forms.ChoiceField(label="Mode", choices=MultiRingMode.choices, initial=mr["mode"])
            f["multi_ring_numbers"] = forms.CharField(
                label="Autres lignes qui sonnent (5 au plus)",
                required=False,
                initial="\n".join(mr["numbers"]),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Un numéro par ligne.",
            )
            inc += ["multi_ring_enabled", "multi_ring_mode", "multi_ring_numbers"]
        section("Appels entrants", inc)

        f["blocked_numbers"] = forms.CharField(
            label="Numéros bloqués (36 au plus)",
            required=False,
            initial="\n".join(s["blocked_numbers"]),
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Un numéro par ligne.",
        )
        section("Bloquer des numéros", ["blocked_numbers"])

        self.forward_kinds = [k for k in FORWARD_KINDS if k in FORWARD_KINDS_BY_LINE[LineKind(kind)]]
        fwd: list[str] = []
        for k in self.forward_kinds:
            block = s["forwards"][k]
            label = FORWARD_LABELS[k]
            f[f"fwd_{k}_enabled"] = forms.BooleanField(label=label, required=False, initial=block["enabled"])
            f[f"fwd_{k}_destination"] = forms.ChoiceField(
                label="Destination", choices=ForwardDestination.choices, initial=block["destination"]
            )
            f[f"fwd_{k}_number"] = forms.CharField(label="Numéro", required=False, initial=block.get("number") or "")
            fwd += [f"fwd_{k}_enabled", f"fwd_{k}_destination", f"fwd_{k}_number"]
            if k == "no_answer":
                f["fwd_no_answer_rings"] = forms.IntegerField(
                    label="Après (sonneries)", initial=block.get("rings") or 3, required=False
                )
                fwd.append("fwd_no_answer_rings")
            if k == "scheduled":
                f["fwd_scheduled_calendar"] = forms.ChoiceField(
                    label="Calendrier", choices=cal_choices, initial=block.get("calendar") or "", required=False
                )
                fwd.append("fwd_scheduled_calendar")
        section("Renvois d'appels", fwd)

        if offered("voicemail_notification"):
            vm = s["voicemail_notification"]
            f["vm_enabled"] = forms.BooleanField(
                label="Notification des messages vocaux par e-mail", required=False, initial=vm["enabled"]
            )
            f["vm_email"] = forms.EmailField(label="Adresse de notification", required=False, initial=vm.get("email"))
            f["vm_attach"] = forms.BooleanField(
                label="Joindre le message vocal", required=False, initial=vm.get("attach_message")
            )
            section("Messagerie vocale", ["vm_enabled", "vm_email", "vm_attach"])

        if kind == LineKind.FIXE:
            models = [("", "—"), *((m, m) for m in PHONE_MODELS)]
            f["hw_kind"] = forms.ChoiceField(
                label="Matériel",
                choices=[(v, lbl) for v, lbl in HardwareKind.choices if v in HARDWARE_BY_LINE[LineKind.FIXE]],
                initial=hw.get("kind") or HardwareKind.AUCUN,
            )
            f["hw_model"] = forms.ChoiceField(
                label="Marque - modèle", choices=models, required=False, initial=hw.get("model") or ""
            )
            f["hw_mac"] = forms.CharField(label="Adresse MAC", required=False, initial=hw.get("mac") or "")
            f["hw_keys"] = forms.CharField(
                label="Touches programmables",
                required=False,
                initial="\n".join(
                    ";".join(x for x in (k["type"], k.get("number") or "", k.get("label") or "")).rstrip(";")
                    for k in hw.get("keys") or []
                ),
                widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
                help_text="Une touche par ligne : supervision;numéro;libellé, raccourci;numéro;libellé ou interception.",
            )
            section("Matériel Poste IP", ["hw_kind", "hw_model", "hw_mac", "hw_keys"])

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[n] for n in names]) for title, names in self.sections]

    def clean_hw_keys(self) -> list[dict[str, Any]]:
        keys = []
        for raw in self.cleaned_data["hw_keys"].splitlines():
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.split(";")]
            if parts[0] not in ("supervision", "raccourci", "interception"):
                raise forms.ValidationError(
                    f"Type de touche inconnu : « {parts[0]} » (supervision, raccourci, interception)."
                )
            keys.append(
                {
                    "type": parts[0],
                    "number": normalize_number(parts[1]) if len(parts) > 1 and parts[1] else None,
                    "label": parts[2] if len(parts) > 2 and parts[2] else None,
                }
            )
        return keys

    def changes(self) -> dict[str, Any]:
        """Identity and hardware changes for ``update_line``."""
        d = self.cleaned_data
        out: dict[str, Any] = {
            k: d[k] or ""
            for k in ("name", "first_name", "last_name", "email", "short_number", "associated_mobile")
            if k in d
        }
        if "hw_kind" in d:
            out["hardware"] = {
                **(self.line.hardware or {}),
                "kind": d["hw_kind"],
                "model": d["hw_model"] or None,
                "mac": d["hw_mac"].strip() or None,
                "keys": d["hw_keys"],
            }
        return out

    def services_payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        s: dict[str, Any] = {}
        if "caller_id_mode" in d:
            s["caller_id"] = {"mode": d["caller_id_mode"], "number": normalize_number(d["caller_id_number"]) or None}
        for name in (
            "callback_on_busy",
            "restriction_profile",
            "do_not_disturb",
            "reject_anonymous",
            "call_waiting",
            "distinctive_ring",
        ):
            if name in d:
                s[name] = d[name]
        if "multi_ring_enabled" in d:
            s["multi_ring"] = {
                "enabled": d["multi_ring_enabled"],
                "mode": d["multi_ring_mode"],
                "numbers": [normalize_number(n) for n in _lines_of(d["multi_ring_numbers"])],
            }
        s["blocked_numbers"] = _lines_of(d["blocked_numbers"])
        forwards: dict[str, Any] = {}
        for k in self.forward_kinds:
            block: dict[str, Any] = {
                "enabled": d[f"fwd_{k}_enabled"],
                "destination": d[f"fwd_{k}_destination"],
                "number": normalize_number(d[f"fwd_{k}_number"]) or None,
            }
            if k == "no_answer" and d.get("fwd_no_answer_rings") is not None:
                block["rings"] = d["fwd_no_answer_rings"]
            if k == "scheduled":
                block["calendar"] = d.get("fwd_scheduled_calendar") or None
            forwards[k] = block
        s["forwards"] = forwards
        if "vm_enabled" in d:
            s["voicemail_notification"] = {
                "enabled": d["vm_enabled"],
                "email": d["vm_email"] or None,
                "attach_message": d["vm_attach"],
            }
        return s


class PickupGroupForm(forms.Form):
    name = forms.CharField(label="Nom du groupe d'interception", max_length=120)
    site = forms.ChoiceField(label="Site")
    members = forms.MultipleChoiceField(
        label="Lignes fixes du site", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, sites: list[tuple[str, str]], lines: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = sites  # type: ignore[attr-defined]
        self.fields["members"].choices = lines  # type: ignore[attr-defined]


class LibraryAnnouncementForm(forms.Form):
    """« Télécharger une annonce » into a site's library; an existing name is replaced everywhere it is used."""

    site = forms.ChoiceField(label="Site")
    name = forms.CharField(label="Nom de l'annonce", max_length=120)
    file = forms.FileField(label="Fichier MP3 ou WAV (2 minutes au plus)")

    def __init__(self, *args: Any, sites: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = sites  # type: ignore[attr-defined]


LINE_ANNOUNCEMENT_SLOTS = [
    ("welcome_announcement", "Annonce d'accueil"),
    ("hold_announcement", "Annonce de mise en attente"),
    ("call_waiting_announcement", "Annonce sur double appel"),
]


class LineAnnouncementForm(forms.Form):
    """One personal announcement of a user line; a new file overwrites the previous one (§6)."""

    slot = forms.ChoiceField(label="Annonce", choices=LINE_ANNOUNCEMENT_SLOTS)
    enabled = forms.BooleanField(label="Activée", required=False, initial=True)
    file = forms.FileField(label="Nouveau fichier MP3 ou WAV (2 minutes au plus)", required=False)
    use_default = forms.BooleanField(label="Revenir à l'annonce prédéfinie", required=False)
    interruptible = forms.BooleanField(label="Interruptible (annonce d'accueil)", required=False)
    calendar = forms.ChoiceField(label="Calendrier (annonce d'accueil)", required=False)

    def __init__(self, *args: Any, calendars: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["calendar"].choices = [("", "Toujours"), *((c, c) for c in calendars)]  # type: ignore[attr-defined]


class DirectoryContactForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=120)
    number = forms.CharField(label="Numéro", max_length=20)
    short_number = forms.CharField(label="Numéro court", max_length=9, required=False)


# Where ``create_line``'s errors (keyed by the rule path's last segment) are shown on the line form.
_LINE_ERROR_FIELDS = {
    **{kind.value: "kind" for kind in LineKind},  # « Plus aucun forfait … disponible » (offer.plans.<plan>)
    "kind": "hw_kind",  # hardware.kind: the line's plan itself is a closed choice
    "model": "hw_model",
    "mac": "hw_mac",
    "site": "site",
}


class LineCreateForm(forms.Form):
    """« Ajouter une ligne » : plan, site, number, user identity and support; the rules live in the actions."""

    kind = forms.ChoiceField(label="Forfait")
    site = forms.ChoiceField(label="Site", help_text="Une ligne mobile va sur le pseudo-site des lignes mobiles.")
    number = forms.CharField(label="Numéro", max_length=20)
    first_name = forms.CharField(label="Prénom", max_length=80, required=False)
    last_name = forms.CharField(label="Nom", max_length=80, required=False)
    email = forms.EmailField(label="E-mail (identifiant unique)", required=False)
    name = forms.CharField(label="Nom de la ligne (analogique)", max_length=120, required=False)
    associated_mobile = forms.CharField(label="Ligne mobile associée", max_length=20, required=False)
    hw_kind = forms.ChoiceField(label="Matériel", choices=HardwareKind.choices, initial=HardwareKind.POSTE_IP)
    hw_model = forms.ChoiceField(label="Marque - modèle", required=False)
    hw_mac = forms.CharField(label="Adresse MAC", required=False)

    def __init__(
        self, *args: Any, sites: list[tuple[str, str]], available: dict[str, int | None], **kwargs: Any
    ) -> None:
        """``available`` : plans left per line kind (None: not counted, e.g. mobile lines), shown in the choice."""
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = sites  # type: ignore[attr-defined]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k.value, k.label if available.get(k.value) is None else f"{k.label} ({available[k.value]} disponible(s))")
            for k in LineKind
        ]
        self.fields["hw_model"].choices = [("", "—"), *((m, m) for m in PHONE_MODELS)]  # type: ignore[attr-defined]

    def action_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``actions.create_line`` (site resolved by the view)."""
        d = self.cleaned_data
        hardware = {"kind": d["hw_kind"], "model": d["hw_model"] or None, "mac": d["hw_mac"].strip() or None}
        return {
            "kind": d["kind"],
            "number": d["number"],
            "hardware": {k: v for k, v in hardware.items() if v},
            **{
                k: d[k].strip()
                for k in ("first_name", "last_name", "email", "name", "associated_mobile")
                if d[k].strip()
            },
        }

    def add_action_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, errors in exc.message_dict.items():
            field = key if key in self.fields and key not in _LINE_ERROR_FIELDS else _LINE_ERROR_FIELDS.get(key)
            self.add_error(field, errors)

"""Forms of the self-care pages; they only parse input, the rules live in actions.py and services/rules.py."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import forms

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
from .models import Line
from .services.config import FORWARD_KINDS, default_services, merge_defaults
from .services.numbers import normalize_number
from .services.rules import FORWARD_KINDS_BY_LINE, FORWARD_LABELS, HARDWARE_BY_LINE, SERVICE_KINDS, schema_issues

DAY_CHOICES = [(d, WEEKDAY_NAMES[i].capitalize()) for i, d in enumerate(WEEKDAYS)]


class CalendarForm(forms.Form):
    name = forms.CharField(label="Nom du calendrier", max_length=120)
    days = forms.MultipleChoiceField(
        label="Les jours où s'applique l'horaire type",
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["lun", "mar", "mer", "jeu", "ven"],
    )
    start = forms.TimeField(label="De", initial="09:00", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="À", initial="18:00", widget=forms.TimeInput(attrs={"type": "time"}))
    lunch = forms.BooleanField(label="Pause déjeuner", required=False)
    lunch_start = forms.TimeField(label="Pause de", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    lunch_end = forms.TimeField(label="à", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
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

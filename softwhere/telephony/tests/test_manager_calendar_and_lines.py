"""Manager pages: a calendar edited with all its schedules and closures, and « Nouvelle ligne »."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from softwhere.core.models import AuditEntry
from softwhere.telephony import actions
from softwhere.telephony.choices import PHONE_MODELS, HardwareKind
from softwhere.telephony.models import Calendar, Line, TelephonySite

from .builders import A

pytestmark = pytest.mark.django_db

WEEK = {"days": ["lun", "mar", "mer", "jeu", "ven"], "start": "09:00", "end": "18:00"}
SATURDAY = {"days": ["sam"], "start": "09:00", "end": "12:00"}


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def calendar_post(
    name: str,
    schedules: list[dict[str, Any]],
    periods: list[dict[str, str]] | None = None,
    closure_days: str = "",
    *,
    initial_schedules: int = 0,
    initial_periods: int = 0,
) -> dict[str, Any]:
    """The POST of the calendar page: main fields plus the two formsets (Django's management form)."""
    data: dict[str, Any] = {
        "name": name,
        "closure_days": closure_days,
        "schedules-TOTAL_FORMS": len(schedules),
        "schedules-INITIAL_FORMS": initial_schedules,
        "periods-TOTAL_FORMS": len(periods or []),
        "periods-INITIAL_FORMS": initial_periods,
    }
    for i, s in enumerate(schedules):
        for key, value in s.items():
            data[f"schedules-{i}-{key}"] = value
    for i, p in enumerate(periods or []):
        for key, value in p.items():
            data[f"periods-{i}-{key}"] = value
    return data


@pytest.fixture
def two_schedules(tel: SimpleNamespace) -> Calendar:
    return actions.create_calendar(
        tel.org,
        actor=tel.manager,
        name="Magasin",
        schedules=[{**WEEK, "lunch_break": {"start": "12:00", "end": "14:00"}}, SATURDAY],
        closure_periods=[{"first_day": "2026-08-03", "last_day": "2026-08-21"}],
        closure_days=["2026-12-25"],
    )


def edit_url(tel: SimpleNamespace, calendar: Calendar) -> str:
    return f"/telephonie/{tel.org.pk}/calendriers/{calendar.pk}/"


def test_edit_page_shows_every_schedule_and_closure(tel: SimpleNamespace, two_schedules: Calendar) -> None:
    response = client_for(tel.manager).get(edit_url(tel, two_schedules))
    editor = response.context["editor"]
    assert [f.initial["days"] for f in editor.schedules.forms] == [WEEK["days"], ["sam"]]
    assert editor.schedules.forms[0].initial["lunch_start"] == "12:00"
    assert [f.initial for f in editor.periods.forms] == [{"first_day": "2026-08-03", "last_day": "2026-08-21"}]
    assert editor.form.initial["closure_days"] == "2026-12-25"


def test_editing_a_calendar_with_two_schedules_keeps_both(tel: SimpleNamespace, two_schedules: Calendar) -> None:
    data = calendar_post(
        "Magasin centre",
        [
            {**WEEK, "lunch": "on", "lunch_start": "12:00", "lunch_end": "14:00"},
            {**SATURDAY, "end": "13:00"},
        ],
        [{"first_day": "2026-08-03", "last_day": "2026-08-21"}],
        "2026-12-25, 2027-01-01",
        initial_schedules=2,
        initial_periods=1,
    )
    response = client_for(tel.manager).post(edit_url(tel, two_schedules), data)
    assert response.status_code == 302
    two_schedules.refresh_from_db()
    assert two_schedules.name == "Magasin centre"
    assert two_schedules.schedules == [
        {**WEEK, "lunch_break": {"start": "12:00", "end": "14:00"}},
        {**SATURDAY, "end": "13:00"},
    ]
    assert two_schedules.closure_periods == [{"first_day": "2026-08-03", "last_day": "2026-08-21"}]
    assert two_schedules.closure_days == ["2026-12-25", "2027-01-01"]
    audit = AuditEntry.objects.filter(action="telephony.calendar.update", object_id=str(two_schedules.pk)).get()
    assert audit.actor == tel.manager


def test_rows_are_removed_added_and_blank_added_rows_ignored(tel: SimpleNamespace, two_schedules: Calendar) -> None:
    data = calendar_post(
        "Magasin",
        [{**WEEK, "DELETE": "on"}, SATURDAY, {"days": ["lun"], "start": "10:00", "end": "19:00"}, {}],
        [{"first_day": "2026-08-03", "last_day": "2026-08-21", "DELETE": "on"}, {}],
        initial_schedules=2,
        initial_periods=1,
    )
    assert client_for(tel.manager).post(edit_url(tel, two_schedules), data).status_code == 302
    two_schedules.refresh_from_db()
    assert two_schedules.schedules == [SATURDAY, {"days": ["lun"], "start": "10:00", "end": "19:00"}]
    assert two_schedules.closure_periods == []
    assert two_schedules.closure_days == []


@pytest.mark.parametrize(
    ("schedules", "row", "field", "message"),
    [
        (
            [WEEK, {**SATURDAY, "start": "12:00", "end": "09:00"}],
            1,
            "end",
            "L'heure de fin doit suivre l'heure de début.",
        ),
        (
            [WEEK, {**SATURDAY, "lunch": "on", "lunch_start": "11:30", "lunch_end": "13:00"}],
            1,
            "lunch_start",
            "La pause déjeuner doit être comprise dans les horaires d'ouverture.",
        ),
        (
            [{**WEEK, "lunch": "on", "lunch_start": "14:00", "lunch_end": "12:00"}, SATURDAY],
            0,
            "lunch_start",
            "La pause déjeuner doit finir après son début.",
        ),
        (
            [{**WEEK, "lunch": "on"}, SATURDAY],
            0,
            "lunch_start",
            "Indiquez le début et la fin de la pause déjeuner.",
        ),
        (
            [WEEK, {"days": ["sam", "lun"], "start": "14:00", "end": "18:00"}],
            1,
            "days",
            "Le lundi a déjà un horaire (type n° 1).",
        ),
    ],
    ids=["end-before-start", "lunch-outside-hours", "lunch-reversed", "lunch-without-hours", "same-weekday"],
)
def test_invalid_schedule_gives_a_row_error_and_saves_nothing(
    tel: SimpleNamespace,
    two_schedules: Calendar,
    schedules: list[dict[str, Any]],
    row: int,
    field: str,
    message: str,
) -> None:
    before = (two_schedules.name, two_schedules.schedules, two_schedules.closure_periods)
    audits = AuditEntry.objects.count()
    data = calendar_post("Renommé", schedules, initial_schedules=2)
    response = client_for(tel.manager).post(edit_url(tel, two_schedules), data)
    assert response.status_code == 400
    forms = response.context["editor"].schedules.forms
    assert forms[row].errors[field] == [message]
    assert not any(f.errors for i, f in enumerate(forms) if i != row)
    two_schedules.refresh_from_db()
    assert (two_schedules.name, two_schedules.schedules, two_schedules.closure_periods) == before
    assert AuditEntry.objects.count() == audits


def test_closure_errors_and_duplicate_name_are_field_errors(tel: SimpleNamespace, two_schedules: Calendar) -> None:
    c = client_for(tel.manager)
    data = calendar_post(
        "Bureaux",  # the fixture's office calendar
        [WEEK],
        [{"first_day": "2026-08-03", "last_day": "2026-08-21"}, {"first_day": "2026-05-02", "last_day": "2026-05-01"}],
        initial_schedules=1,
        initial_periods=1,
    )
    response = c.post(edit_url(tel, two_schedules), data)
    assert response.status_code == 400
    periods = response.context["editor"].periods.forms
    assert periods[1].errors["last_day"] == ["Le premier jour de la période doit précéder le dernier."]
    data["periods-1-first_day"] = "2026-05-01"
    response = c.post(edit_url(tel, two_schedules), data)
    assert response.context["editor"].form.errors["name"] == ["Un calendrier porte déjà le nom « Bureaux »."]
    data.update(name="Magasin", closure_days="2026-13-01")
    response = c.post(edit_url(tel, two_schedules), data)
    assert response.context["editor"].form.errors["closure_days"] == ["Date invalide : 2026-13-01 (AAAA-MM-JJ)."]
    two_schedules.refresh_from_db()
    assert len(two_schedules.schedules) == 2


def test_every_schedule_removed_is_refused(tel: SimpleNamespace, two_schedules: Calendar) -> None:
    data = calendar_post("Magasin", [{**WEEK, "DELETE": "on"}, {**SATURDAY, "DELETE": "on"}], initial_schedules=2)
    response = client_for(tel.manager).post(edit_url(tel, two_schedules), data)
    assert response.status_code == 400
    assert response.context["editor"].form.non_field_errors() == [
        "Les horaires d'ouverture sont obligatoires (au moins un type d'horaire)."
    ]
    two_schedules.refresh_from_db()
    assert len(two_schedules.schedules) == 2


def test_create_with_two_schedules_and_other_company_is_404(tel: SimpleNamespace) -> None:
    url = f"/telephonie/{tel.org.pk}/calendriers/nouveau/"
    c = client_for(tel.manager)
    assert c.get(url).context["editor"].schedules.forms[0].initial["days"] == WEEK["days"]
    assert c.post(url, calendar_post("Boutique", [WEEK, SATURDAY])).status_code == 302
    assert Calendar.objects.get(organisation=tel.org, name="Boutique").schedules == [WEEK, SATURDAY]
    calendar = Calendar.objects.get(organisation=tel.org, name="Boutique")
    assert client_for(tel.world.other_client_user).get(edit_url(tel, calendar)).status_code == 404


# --- « Nouvelle ligne » ------------------------------------------------------------------------------------


def line_post(tel: SimpleNamespace, **fields: str) -> dict[str, str]:
    return {
        "kind": "fixe",
        "site": str(tel.site.pk),
        "number": "01 87 04 40 09",
        "first_name": "Nina",
        "last_name": "Roux",
        "email": "nina@acme.fr",
        "hw_kind": "poste_ip",
        "hw_model": "Polycom VVX 450",
        **fields,
    }


def new_line_url(tel: SimpleNamespace) -> str:
    return f"/telephonie/{tel.org.pk}/lignes/nouvelle/"


def test_manager_creates_a_fixed_line_through_the_action(tel: SimpleNamespace) -> None:
    c = client_for(tel.manager)
    page = c.get(new_line_url(tel))
    kinds = dict(page.context["form"].fields["kind"].choices)
    assert kinds["fixe"] == "Forfait fixe (2 disponible(s))"  # 5 subscribed, 3 assigned by the fixture
    response = c.post(new_line_url(tel), line_post(tel))
    line = Line.objects.get(number="+33187044009")
    assert response.status_code == 302 and response["Location"].endswith(f"/lignes/{line.pk}/")
    assert (line.kind, line.site, line.email, line.hardware["model"]) == (
        "fixe",
        tel.site,
        "nina@acme.fr",
        "Polycom VVX 450",
    )
    assert AuditEntry.objects.filter(action="telephony.line.create", object_id=str(line.pk)).exists()


def test_no_plan_left_is_refused_on_the_plan_field(tel: SimpleNamespace) -> None:
    ata = next(m for m, (kind, _) in PHONE_MODELS.items() if kind == HardwareKind.ATA)
    hardware = {"kind": "ata", "model": ata}
    # The fixture subscribes one analogue plan: fill it, then ask for one more from the page.
    actions.create_line(
        tel.org,
        actor=tel.manager,
        site=tel.site,
        kind="analogique",
        number="01 87 04 40 08",
        name="Alarme",
        hardware=hardware,
    )
    c = client_for(tel.manager)
    kinds = dict(c.get(new_line_url(tel)).context["form"].fields["kind"].choices)
    assert kinds["analogique"] == "Forfait analogique (0 disponible(s))"
    analog = {"kind": "analogique", "name": "Fax", "first_name": "", "last_name": "", "email": ""}
    response = c.post(new_line_url(tel), line_post(tel, **analog, hw_kind="ata", hw_model=ata))
    assert response.status_code == 400
    assert response.context["form"].errors["kind"] == [
        "Plus aucun forfait « Forfait analogique » disponible : 2 attribué(s) pour 1 souscrit(s)."
    ]
    assert not Line.objects.filter(number="+33187044009").exists()


def test_duplicate_work_email_is_refused_on_the_email_field(tel: SimpleNamespace) -> None:
    response = client_for(tel.manager).post(new_line_url(tel), line_post(tel, email="Julie@acme.fr"))
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        f"L'adresse e-mail julie@acme.fr est déjà celle de la ligne {A} : elle doit être unique."
    ]
    assert not Line.objects.filter(number="+33187044009").exists()


def test_taken_number_and_missing_identity_are_field_errors(tel: SimpleNamespace) -> None:
    c = client_for(tel.manager)
    response = c.post(new_line_url(tel), line_post(tel, number=A))
    assert response.context["form"].errors["number"] == [f"Le numéro {A} est déjà utilisé."]
    response = c.post(new_line_url(tel), line_post(tel, email="", hw_model=""))
    errors = response.context["form"].errors
    assert errors["email"] == ["L'adresse e-mail de l'utilisateur est obligatoire."]
    assert errors["hw_model"] == ["Le modèle de matériel est obligatoire."]
    assert Line.objects.filter(organisation=tel.org).count() == 3


def test_mobile_line_goes_to_the_mobile_pseudo_site(tel: SimpleNamespace) -> None:
    data = line_post(tel, kind="mobile", number="06 12 34 56 78", email="", hw_kind="aucun", hw_model="")
    assert client_for(tel.manager).post(new_line_url(tel), data).status_code == 302
    line = Line.objects.get(number="+33612345678")
    assert line.site == TelephonySite.objects.get(organisation=tel.org, is_mobile_pseudo_site=True)


def test_line_creation_is_scoped(tel: SimpleNamespace) -> None:
    response = client_for(tel.world.other_client_user).post(new_line_url(tel), line_post(tel))
    assert response.status_code == 404
    assert not Line.objects.filter(number="+33187044009").exists()


def test_hours_accept_midnight_close_and_short_forms(tel: SimpleNamespace, two_schedules: Calendar) -> None:
    c = client_for(tel.manager)
    data = calendar_post("Magasin", [{**WEEK, "end": "24:00"}, {**SATURDAY, "start": "9h30"}], initial_schedules=2)
    assert c.post(edit_url(tel, two_schedules), data).status_code == 302
    two_schedules.refresh_from_db()
    assert [(s["start"], s["end"]) for s in two_schedules.schedules] == [("09:00", "24:00"), ("09:30", "12:00")]
    page = c.get(edit_url(tel, two_schedules)).content.decode()
    assert 'name="schedules-0-end" value="24:00"' in page  # shown back as is, not blanked
    data["schedules-1-start"] = "25:00"
    response = c.post(edit_url(tel, two_schedules), data)
    assert response.context["editor"].schedules.forms[1].errors["start"] == [
        "Heure invalide : saisissez HH:MM (de 00:00 à 24:00)."
    ]

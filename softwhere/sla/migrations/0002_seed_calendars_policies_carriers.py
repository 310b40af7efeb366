"""Built-in calendars, default per-priority targets and the carriers of seed 001 (IV).

Values are written out here (not imported) so this migration stays what it was
when it ran; later edits happen in the admin.
"""

from django.db import migrations

WEEKDAYS_8_18 = {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
CALENDARS = [
    ("business-hours", "Heures ouvrées (lundi–vendredi 8 h–18 h, hors jours fériés)", WEEKDAYS_8_18, "FR"),
    (
        "business-hours-sat",
        "Heures ouvrées étendues (lundi–samedi 8 h–18 h, hors jours fériés)",
        {**WEEKDAYS_8_18, "sat": ["08:00-18:00"]},
        "FR",
    ),
    ("24x7", "24 h/24, 7 j/7", {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, ""),
]
# priority: (first response, resolution) in business minutes of "business-hours".
POLICIES = {1: (30, 240), 2: (60, 480), 3: (240, 1800), 4: (480, 3000)}
CARRIERS = [
    ("Orange", "France Télécom, France Telecom, FT, Orange Business", 48),
    ("SFR", "SFR Business, Neuf Cegetel", 72),
]


def seed(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    Carrier = apps.get_model("sla", "Carrier")
    for cid, name, weekly, country in CALENDARS:
        BusinessCalendar.objects.update_or_create(
            id=cid,
            defaults={"name": name, "weekly_hours": weekly, "holiday_country": country, "is_builtin": True},
        )
    for priority, (first, resolution) in POLICIES.items():
        SlaPolicy.objects.get_or_create(
            priority=priority,
            defaults={
                "calendar_id": "business-hours",
                "first_response_minutes": first,
                "resolution_minutes": resolution,
            },
        )
    for name, aliases, hours in CARRIERS:
        Carrier.objects.get_or_create(
            name=name, defaults={"aliases": aliases, "response_hours": hours, "calendar_id": "24x7"}
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

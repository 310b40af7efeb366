"""Every limit and rule of seed 003 on the configuration document, each with its French message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from softwhere.telephony.services.numbers import forward_destination_error, outgoing_call_error, zone_of_postal_code
from softwhere.telephony.services.rules import calendar_references, check_document

from .builders import MOBILE, MONDAY_9, SUNDAY_10, A, B, D, valid_document


def test_the_reference_document_is_valid() -> None:
    assert check_document(valid_document()) == []


def lines(doc: dict[str, Any], number: str) -> dict[str, Any]:
    return next(x for x in doc["lines"] if x["number"] == number)


def services(doc: dict[str, Any], number: str = A) -> dict[str, Any]:
    return lines(doc, number).setdefault("services", {})


def fwd(doc: dict[str, Any], kind: str, line_number: str = A, **value: Any) -> None:
    services(doc, line_number).setdefault("forwards", {})[kind] = {"enabled": True, **value}


Mutation = Callable[[dict[str, Any]], Any]

RULES: list[tuple[str, Mutation, str, str]] = [
    # id, mutation, expected path (prefix), expected message (substring)
    (
        "blocked numbers ≤ 36",
        lambda d: services(d).update(blocked_numbers=[f"01000000{i:02d}" for i in range(37)]),
        "lines[0].services.blocked_numbers",
        "Le nombre de numéros bloqués ne peut pas être supérieur à 36.",
    ),
    (
        "ring on ≤ 5 more lines",
        lambda d: services(d).update(multi_ring={"enabled": True, "numbers": [f"+3361200000{i}" for i in range(6)]}),
        "lines[0].services.multi_ring",
        "5 lignes au plus",
    ),
    (
        "ring-on numbers in international format",
        lambda d: services(d).update(multi_ring={"enabled": True, "numbers": ["0612000000"]}),
        "lines[0].services.multi_ring.numbers[0]",
        "format international préfixé par un « + »",
    ),
    (
        "ring-on numbers follow forwarding rules",
        lambda d: services(d).update(multi_ring={"enabled": True, "numbers": ["+12125551234"]}),
        "lines[0].services.multi_ring.numbers[0]",
        "hors Europe",
    ),
    (
        "forward to emergency refused",
        lambda d: fwd(d, "immediate", destination="numero", number="112"),
        "lines[0].services.forwards.immediate.number",
        "Renvoi interdit vers un numéro d'urgence.",
    ),
    (
        "forward to 08AB refused",
        lambda d: fwd(d, "busy", destination="numero", number="0892 68 00 00"),
        "lines[0].services.forwards.busy.number",
        "numéro spécial 08AB",
    ),
    (
        "forward to special short refused",
        lambda d: fwd(d, "busy", destination="numero", number="0118712"),
        "lines[0].services.forwards.busy.number",
        "numéro court spécial",
    ),
    (
        "forward outside Europe refused",
        lambda d: fwd(d, "no_answer", destination="numero", number="+12125551234", rings=3),
        "lines[0].services.forwards.no_answer.number",
        "international hors Europe",
    ),
    (
        "forward to a non-listed euro country refused",
        lambda d: fwd(d, "unreachable", destination="numero", number="+351211234567"),
        "lines[0].services.forwards.unreachable.number",
        "seuls les pays frontaliers de la zone euro",
    ),
    (
        "forward to itself refused",
        lambda d: fwd(d, "busy", destination="numero", number=A),
        "lines[0].services.forwards.busy.number",
        "vers elle-même",
    ),
    (
        "no-answer rings ≤ 10",
        lambda d: fwd(d, "no_answer", destination="messagerie", rings=11),
        "lines[0].services.forwards.no_answer.rings",
        "de 1 à 10",
    ),
    (
        "scheduled forward needs a calendar",
        lambda d: fwd(d, "scheduled", destination="messagerie"),
        "lines[0].services.forwards.scheduled.calendar",
        "Choisissez un calendrier.",
    ),
    (
        "scheduled forward calendar must exist",
        lambda d: fwd(d, "scheduled", destination="messagerie", calendar="Nuit"),
        "lines[0].services.forwards.scheduled.calendar",
        "Calendrier « Nuit » inconnu.",
    ),
    (
        "scheduled and immediate are exclusive",
        lambda d: (
            fwd(d, "scheduled", destination="messagerie", calendar="Bureaux"),
            fwd(d, "immediate", destination="messagerie"),
        ),
        "lines[0].services.forwards.scheduled",
        "exclusifs",
    ),
    (
        "fixed number for mobile has no busy forward",
        lambda d: fwd(d, "busy", D, destination="messagerie"),
        "lines[3].services.forwards.busy",
        "« Renvoi sur occupation » n'est pas disponible",
    ),
    (
        "fixed number for mobile has no call waiting",
        lambda d: services(d, D).update(call_waiting=True),
        "lines[3].services.call_waiting",
        "« Signal d'appel » n'est pas disponible pour une ligne « Forfait numéro fixe pour ligne mobile ».",
    ),
    (
        "analogue line has no DND",
        lambda d: services(d, "+33187044009").update(do_not_disturb=True),
        "lines[5].services.do_not_disturb",
        "« Ne pas déranger » n'est pas disponible",
    ),
    (
        "analogue line has no voicemail",
        lambda d: fwd(d, "immediate", "+33187044009", destination="messagerie"),
        "lines[5].services.forwards.immediate",
        "pas de messagerie vocale",
    ),
    (
        "distinctive ring only on forfait fixe",
        lambda d: services(d, MOBILE).update(distinctive_ring=True),
        "lines[4].services.distinctive_ring",
        "« Sonnerie différenciée » n'est pas disponible",
    ),
    (
        "alternative caller id needs a number",
        lambda d: services(d).update(caller_id={"mode": "alternatif"}),
        "lines[0].services.caller_id",
        "numéro alternatif",
    ),
    (
        "voicemail notification needs an e-mail",
        lambda d: services(d).update(voicemail_notification={"enabled": True}),
        "lines[0].services.voicemail_notification.email",
        "invalide",
    ),
    (
        "unique work e-mail",
        lambda d: lines(d, B).update(email=lines(d, A)["email"].upper()),
        "lines[1].email",
        "doit être unique",
    ),
    (
        "user names and e-mail required",
        lambda d: lines(d, A).update(email=""),
        "lines[0].email",
        "L'adresse e-mail de l'utilisateur est obligatoire.",
    ),
    (
        "analogue line needs a name",
        lambda d: lines(d, "+33187044009").update(name=""),
        "lines[5].name",
        "Le nom de la ligne est obligatoire.",
    ),
    (
        "number in the site's zone",
        lambda d: lines(d, A).update(number="+33472000001"),
        "lines[0].number",
        "n'est pas de la zone géographique du site « Siège » (numéros en 01)",
    ),
    (
        "mobile line needs a mobile number",
        lambda d: lines(d, MOBILE).update(number="+33187044055"),
        "lines[4].number",
        "n'est pas un numéro mobile",
    ),
    (
        "mobile lines live on the pseudo-site",
        lambda d: lines(d, MOBILE).update(site="Siège"),
        "lines[4].site",
        "VOS LIGNES MOBILES AVEC OPTION PABX",
    ),
    ("numbers are unique", lambda d: lines(d, B).update(number=A), "lines[1].number", "déjà utilisé"),
    (
        "collaboration only on forfait fixe",
        lambda d: lines(d, D).update(collaboration="collaboration"),
        "lines[3].collaboration",
        "réservées au forfait fixe",
    ),
    (
        "hardware model required without collaboration",
        lambda d: lines(d, B).update(hardware={"kind": "aucun"}),
        "lines[1].hardware.kind",
        "le modèle de matériel est obligatoire",
    ),
    (
        "invalid MAC",
        lambda d: lines(d, A)["hardware"].update(mac="64:16:7F"),
        "lines[0].hardware.mac",
        "Adresse MAC invalide",
    ),
    (
        "supervision keys before shortcuts",
        lambda d: lines(d, A)["hardware"].update(
            keys=[
                {"type": "raccourci", "number": "0612345678", "label": "Pierre"},
                {"type": "supervision", "number": B},
            ]
        ),
        "lines[0].hardware.keys",
        "toujours placées avant",
    ),
    (
        "supervision keys ≤ 45",
        lambda d: lines(d, A)["hardware"].update(keys=[{"type": "supervision", "number": B}] * 46),
        "lines[0].hardware.keys",
        "45 touches de supervision au plus.",
    ),
    (
        "supervision only of internal fixed/mobile lines",
        lambda d: lines(d, A)["hardware"].update(keys=[{"type": "supervision", "number": D}]),
        "lines[0].hardware.keys[0]",
        "numéro fixe pour ligne mobile exclu",
    ),
    (
        "keys only on IP phones with keys",
        lambda d: lines(d, B)["hardware"].update(keys=[{"type": "interception"}]),
        "lines[1].hardware.keys",
        "ne dispose pas de touches programmables",
    ),
    (
        "one association per mobile",
        lambda d: lines(d, A).update(associated_mobile=MOBILE),
        "lines[0].associated_mobile",
        "déjà associée",
    ),
    (
        "plans subscribed",
        lambda d: d["offer"]["plans"].update(fixe=2),
        "offer.plans.fixe",
        "Plus aucun forfait « Forfait fixe » disponible : 3 attribué(s) pour 2 souscrit(s).",
    ),
    (
        "options subscribed",
        lambda d: d["offer"]["options"].update(collaboration=0),
        "offer.options.collaboration",
        "Plus aucune option « Collaboration » disponible",
    ),
    (
        "calendar needs opening hours",
        lambda d: d["calendars"][0].update(schedules=[]),
        "calendars[0].schedules",
        "Les horaires d'ouverture sont obligatoires",
    ),
    (
        "calendar day in one schedule only",
        lambda d: d["calendars"][0]["schedules"].append({"days": ["lun"], "start": "08:00", "end": "12:00"}),
        "calendars[0].schedules[1].days",
        "Le lundi a déjà un horaire",
    ),
    (
        "calendar end after start",
        lambda d: d["calendars"][0]["schedules"][0].update(end="08:00", lunch_break=None),
        "calendars[0].schedules[0].end",
        "L'heure de fin doit suivre l'heure de début.",
    ),
    (
        "lunch break inside the hours",
        lambda d: d["calendars"][0]["schedules"][0].update(lunch_break={"start": "08:00", "end": "10:00"}),
        "calendars[0].schedules[0].lunch_break",
        "comprise dans les horaires",
    ),
    (
        "closure period in order",
        lambda d: d["calendars"][0]["closure_periods"].append({"first_day": "2026-05-02", "last_day": "2026-05-01"}),
        "calendars[0].closure_periods[1]",
        "doit précéder",
    ),
    (
        "announcement ≤ 2 minutes",
        lambda d: d["announcements"][0].update(duration_seconds=125),
        "announcements[0].duration_seconds",
        "L'annonce dure 2 min 05 s : 2 minutes au plus.",
    ),
    (
        "default announcement names are reserved",
        lambda d: d["announcements"][0].update(name="Accueil prédéfini"),
        "announcements[0].name",
        "annonce par défaut",
    ),
    (
        "pickup group name without special characters",
        lambda d: d["pickup_groups"][0].update(name="Compta #1"),
        "pickup_groups[0].name",
        "ne doit pas contenir de caractères spéciaux",
    ),
    (
        "pickup group members of one site",
        lambda d: d["pickup_groups"][0]["members"].append(MOBILE),
        "pickup_groups[0].members[2]",
        "seules les lignes fixes",
    ),
    (
        "one pickup group per line",
        lambda d: d["pickup_groups"].append({"name": "Accueil", "site": "Siège", "members": [A]}),
        "pickup_groups[1].members[0]",
        "fait déjà partie du groupe d'interception « Service Comptabilité »",
    ),
    (
        "group max rings ≤ 10",
        lambda d: d["call_groups"][0].update(max_rings=11),
        "call_groups[0].max_rings",
        "de 1 à 10",
    ),
    (
        "inter-call delay ≤ 3600 s",
        lambda d: d["call_groups"][0].update(inter_call_delay={"enabled": True, "seconds": 3601}),
        "call_groups[0].inter_call_delay",
        "de 1 à 3600 secondes",
    ),
    (
        "max waiting calls ≤ 50",
        lambda d: d["call_groups"][0].update(max_waiting_calls=51),
        "call_groups[0].max_waiting_calls",
        "de 1 à 50",
    ),
    (
        "max wait ≤ 3600 s",
        lambda d: d["call_groups"][0].update(max_wait_seconds=3601),
        "call_groups[0].max_wait_seconds",
        "de 1 à 3600 secondes",
    ),
    (
        "overflow never to a voicemail",
        lambda d: d["call_groups"][0].update(overflow={"mode": "messagerie"}),
        "call_groups[0].overflow",
        "Il n'existe pas de débordement vers une messagerie.",
    ),
    (
        "overflow number follows forwarding rules",
        lambda d: d["call_groups"][0].update(overflow={"mode": "numero", "number": "08 92 68 00 00"}),
        "call_groups[0].overflow.number",
        "Renvoi interdit",
    ),
    (
        "group members: fixed or mobile lines only",
        lambda d: d["call_groups"][0]["members"].append({"number": D}),
        "call_groups[0].members[3]",
        "ne peut pas être membre",
    ),
    (
        "group announcement from the site library",
        lambda d: d["call_groups"][0].update(welcome_announcement={"enabled": True, "announcement": "Inconnue"}),
        "call_groups[0].welcome_announcement",
        "n'est pas dans la bibliothèque du site « Siège »",
    ),
    (
        "IVR keys 1 to 9",
        lambda d: d["ivrs"][0]["open_menu"]["keys"].append({"key": "0", "number": A}),
        "ivrs[0].open_menu.keys[1].key",
        "format invalide",
    ),
    (
        "IVR two levels only",
        lambda d: d["ivrs"][0]["open_menu"]["keys"].append(
            {"key": "2", "submenu": {"announcement": "Menu jour", "keys": [{"key": "1", "submenu": {"keys": []}}]}}
        ),
        "ivrs[0].open_menu.keys[1].submenu.keys[0]",
        "champ",
    ),
    (
        "IVR menu needs an announcement",
        lambda d: d["ivrs"][0]["open_menu"].update(announcement=None),
        "ivrs[0].open_menu.announcement",
        "nécessite une annonce d'accueil",
    ),
    (
        "IVR with calendar needs a closed menu",
        lambda d: d["ivrs"][0].update(closed_menu=None),
        "ivrs[0].closed_menu",
        "heures de fermeture",
    ),
    (
        "IVR destinations follow the forwarding rules",
        lambda d: d["ivrs"][0]["open_menu"]["keys"].append({"key": "2", "number": "0899123456"}),
        "ivrs[0].open_menu.keys[1].number",
        "Renvoi interdit vers un numéro spécial 08AB.",
    ),
    (
        "directory ≤ 500 contacts",
        lambda d: d.update(directory=[{"name": f"C{i}", "number": "+33298765432"} for i in range(501)]),
        "directory",
        "500 au plus",
    ),
    (
        "short numbers unique",
        lambda d: d["directory"][0].update(short_number="1001"),
        "directory[0].short_number",
        "déjà attribué",
    ),
    (
        "unknown field refused by the schema",
        lambda d: lines(d, A).update(colour="red"),
        "lines[0]",
        "champ inconnu : colour.",
    ),
]


@pytest.mark.parametrize(("mutation", "path", "message"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_rule(mutation: Mutation, path: str, message: str) -> None:
    doc = valid_document()
    mutation(doc)
    issues = check_document(doc)
    assert any(i.path.startswith(path) and message in i.message for i in issues), [str(i) for i in issues]


def test_every_error_is_listed_not_only_the_first() -> None:
    doc = valid_document()
    doc["call_groups"][0].update(max_rings=11, max_waiting_calls=51, max_wait_seconds=0)
    services(doc).update(blocked_numbers=["1"] * 37)
    assert len(check_document(doc)) == 4


def test_foreign_numbers_and_emails_are_taken() -> None:
    issues = check_document(valid_document(), foreign_numbers={A}, foreign_emails={"JULIE.bertrand.001@acme.fr"})
    assert {i.path for i in issues} == {"lines[0].number", "lines[0].email"}


def test_calendar_references_count_every_service() -> None:
    doc = valid_document()
    fwd(doc, "scheduled", destination="messagerie", calendar="Bureaux")
    assert calendar_references(doc)["Bureaux"] == 2  # the IVR and the scheduled forward


@pytest.mark.parametrize(
    ("number", "allowed"),
    [
        ("01 42 68 53 00", True),
        ("+33 9 70 00 00 00", True),
        ("06 12 34 56 78", True),
        ("1234", True),
        ("+32 2 123 45 67", True),
        ("+352 12 34 56", True),
        ("+49 30 1234567", True),
        ("+39 06 1234567", True),
        ("+34 91 123 45 67", True),
        ("+377 93 12 34 56", True),
        ("+376 812 345", True),
        ("+48 22 123 45 67", True),
        ("+31 20 123 4567", True),
        ("+41 22 123 45 67", False),
        ("+351 21 123 4567", False),
        ("+44 20 7123 4567", False),
        ("+1 212 555 1234", False),
        ("15", False),
        ("112", False),
        ("0800 00 00 00", False),
        ("0899 12 34 56", False),
        ("01015", False),
        ("03615", False),
        ("0118218", False),
    ],
)
def test_forwarding_destination_table(number: str, allowed: bool) -> None:
    assert (forward_destination_error(number) is None) is allowed


@pytest.mark.parametrize(
    ("profile", "number", "at", "allowed"),
    [
        ("sans_restriction", "+12125551234", MONDAY_9, True),
        ("gratuits_eur_7_7", "+12125551234", MONDAY_9, False),
        ("gratuits_eur_7_7", "+4930123456", SUNDAY_10, True),
        ("gratuits_eur_7_7", "0800123456", MONDAY_9, True),
        ("gratuits_eur_7_7", "0899123456", MONDAY_9, False),
        ("speciaux_eur_7_7", "0899123456", MONDAY_9, True),
        ("gratuits_eur_l_s", "0612345678", SUNDAY_10, False),
        ("gratuits_eur_l_v", "0612345678", MONDAY_9, True),
        ("national_7_7", "0612345678", SUNDAY_10, True),
        ("national_7_7", "+4930123456", MONDAY_9, False),
        ("national_l_v", "0142685300", SUNDAY_10, False),
        ("interne_7_7", "0142685300", MONDAY_9, False),
        ("interne_7_7", "1001", MONDAY_9, True),
        ("interne_7_7", "112", SUNDAY_10, True),
    ],
)
def test_restriction_profiles(profile: str, number: str, at: Any, allowed: bool) -> None:
    assert (outgoing_call_error(profile, number, at) is None) is allowed


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("75015", "1"),
        ("44800", "2"),
        ("69500", "4"),
        ("06520", "4"),
        ("33300", "5"),
        ("57200", "3"),
        ("97400", "2"),
        ("20000", "4"),
    ],
)
def test_geographic_zones(code: str, zone: str) -> None:
    assert zone_of_postal_code(code) == zone

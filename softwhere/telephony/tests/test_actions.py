"""Actions on the stored configuration: validated against the seed's rules, atomic, audited, scoped."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from softwhere.core.models import AuditEntry
from softwhere.telephony import actions
from softwhere.telephony.models import Announcement, CallGroupMember, Line, TelephonySite
from softwhere.telephony.services.document import export_document

from .audio import mp3, wav
from .builders import GROUP, IVR, MONDAY_9, MONDAY_1230, A, B, C
from .conftest import make_line

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def test_setup_creates_the_mobile_pseudo_site_and_audits(tel: SimpleNamespace) -> None:
    pseudo = TelephonySite.objects.get(organisation=tel.org, is_mobile_pseudo_site=True)
    assert pseudo.name == "VOS LIGNES MOBILES AVEC OPTION PABX"
    assert AuditEntry.objects.filter(action="telephony.line.create", actor=tel.manager).count() == 3


def test_new_fixed_line_gets_the_seeds_defaults(tel: SimpleNamespace) -> None:
    s = tel.lines[0].services
    assert s["forwards"]["busy"] == {"enabled": True, "destination": "messagerie", "number": None}
    assert s["forwards"]["no_answer"]["rings"] == 3
    assert s["forwards"]["immediate"]["enabled"] is False
    assert s["hold_announcement"]["enabled"] and s["call_waiting_announcement"]["enabled"]
    assert not s["welcome_announcement"]["enabled"] and not s["do_not_disturb"] and not s["call_waiting"]
    assert s["restriction_profile"] == "sans_restriction" and s["callback_on_busy"] is True


def test_fixed_number_for_mobile_is_forwarded_to_its_mobile_by_default(tel: SimpleNamespace) -> None:
    pseudo = TelephonySite.objects.get(organisation=tel.org, is_mobile_pseudo_site=True)
    actions.create_line(
        tel.org,
        actor=tel.manager,
        site=pseudo,
        kind="mobile",
        number="06 12 34 56 78",
        first_name="Alain",
        last_name="Coste",
    )
    line = make_line(
        tel,
        "+33187044004",
        kind="numero_fixe_mobile",
        first_name="Alain",
        last_name="Coste",
        email="alain@acme.fr",
        hardware={},
        associated_mobile="0612345678",
    )
    assert line.services["forwards"]["immediate"] == {
        "enabled": True,
        "destination": "numero",
        "number": "+33612345678",
    }
    assert actions.simulate_call(tel.org, line.number, MONDAY_9).outcome.number == "+33612345678"


def test_unique_work_email_across_companies(tel: SimpleNamespace) -> None:
    other_site = actions.create_site(tel.world.other, actor=tel.world.admin, name="Entrepôt")
    actions.set_offer(tel.world.other, actor=tel.world.admin, plans={"fixe": 1})
    with pytest.raises(ValidationError) as exc:
        actions.create_line(
            tel.world.other,
            actor=tel.world.admin,
            site=other_site,
            kind="fixe",
            number="+33478000001",
            first_name="J",
            last_name="B",
            email="JULIE@acme.fr",
            hardware={"kind": "dect", "model": "Yealink W52PU"},
        )
    assert exc.value.message_dict["email"] == [
        "L'adresse e-mail julie@acme.fr est déjà utilisée : elle doit être unique."
    ]


def test_plan_limit_refuses_a_line_and_rolls_back(tel: SimpleNamespace) -> None:
    make_line(tel, "+33187044005", first_name="E", last_name="F", email="e@acme.fr")
    make_line(tel, "+33187044006", first_name="G", last_name="H", email="g@acme.fr")
    with pytest.raises(ValidationError) as exc:
        make_line(tel, "+33187044007", first_name="I", last_name="J", email="i@acme.fr")
    assert "Plus aucun forfait « Forfait fixe » disponible : 6 attribué(s) pour 5 souscrit(s)." in messages(exc.value)
    assert not Line.objects.filter(number="+33187044007").exists()


def test_update_line_services_and_refusal_keeps_previous_state(tel: SimpleNamespace) -> None:
    line = tel.lines[0]
    actions.update_line(line, actor=tel.manager, services={"blocked_numbers": ["0145834778", "+442346950434"]})
    with pytest.raises(ValidationError) as exc:
        actions.update_line(line, actor=tel.manager, services={"blocked_numbers": [str(i) for i in range(37)]})
    assert exc.value.message_dict["blocked_numbers"] == [
        "Le nombre de numéros bloqués ne peut pas être supérieur à 36."
    ]
    line.refresh_from_db()
    assert line.services["blocked_numbers"] == ["0145834778", "+442346950434"]


def test_forward_destination_refused_in_french(tel: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.update_line(
            tel.lines[0],
            actor=tel.manager,
            services={"forwards": {"immediate": {"enabled": True, "destination": "numero", "number": "17"}}},
        )
    assert exc.value.message_dict["number"] == ["Renvoi interdit vers un numéro d'urgence."]


def test_other_company_and_partner_scope(tel: SimpleNamespace) -> None:
    with pytest.raises(PermissionDenied):
        actions.update_line(tel.lines[0], actor=tel.world.other_client_user, services={"do_not_disturb": True})
    actions.update_line(tel.lines[0], actor=tel.world.n1, services={"do_not_disturb": True})  # desk editor


def test_calendar_deletable_only_when_unused_and_rename_follows(tel: SimpleNamespace) -> None:
    actions.update_line(
        tel.lines[0],
        actor=tel.manager,
        services={"forwards": {"scheduled": {"enabled": True, "destination": "messagerie", "calendar": "Bureaux"}}},
    )
    with pytest.raises(ValidationError) as exc:
        actions.delete_calendar(tel.calendar, actor=tel.manager)
    assert messages(exc.value) == [
        "Le calendrier « Bureaux » est utilisé par 1 service(s) : il ne peut pas être supprimé."
    ]
    actions.update_calendar(tel.calendar, actor=tel.manager, name="Horaires siège")
    tel.lines[0].refresh_from_db()
    assert tel.lines[0].services["forwards"]["scheduled"]["calendar"] == "Horaires siège"
    actions.update_line(
        tel.lines[0], actor=tel.manager, services={"forwards": {"scheduled": {"enabled": False, "calendar": None}}}
    )
    actions.delete_calendar(tel.calendar, actor=tel.manager)


def test_calendar_rules_in_french(tel: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.create_calendar(tel.org, actor=tel.manager, name="Vide", schedules=[])
    assert "Les horaires d'ouverture sont obligatoires (au moins un type d'horaire)." in messages(exc.value)


def test_site_only_name_editable_and_deletion_rules(tel: SimpleNamespace) -> None:
    actions.rename_site(tel.site, actor=tel.manager, name="Balard - Marketing")
    assert export_document(tel.org)["lines"][0]["site"] == "Balard - Marketing"
    with pytest.raises(ValidationError) as exc:
        actions.delete_site(tel.site, actor=tel.manager)
    assert messages(exc.value) == ["Le site « Balard - Marketing » a des lignes : il ne peut pas être supprimé."]
    pseudo = TelephonySite.objects.get(organisation=tel.org, is_mobile_pseudo_site=True)
    with pytest.raises(ValidationError):
        actions.delete_site(pseudo, actor=tel.manager)
    empty = actions.create_site(tel.org, actor=tel.manager, name="Annexe")
    actions.delete_site(empty, actor=tel.manager)


def test_pickup_group_rules(tel: SimpleNamespace) -> None:
    group = actions.save_pickup_group(
        tel.org, actor=tel.manager, name="Service Comptabilité", site=tel.site, members=[A, B]
    )
    with pytest.raises(ValidationError) as exc:
        actions.save_pickup_group(tel.org, actor=tel.manager, name="Accueil", site=tel.site, members=[B, C])
    assert exc.value.message_dict["members"] == [
        "La ligne +33187044002 fait déjà partie du groupe d'interception « Service Comptabilité »."
    ]
    with pytest.raises(ValidationError) as exc:
        actions.save_pickup_group(tel.org, actor=tel.manager, name="Compta & co", site=tel.site, members=[C])
    assert exc.value.message_dict["name"] == [
        "Le nom du groupe d'interception ne doit pas contenir de caractères spéciaux."
    ]
    actions.save_pickup_group(
        tel.org, actor=tel.manager, name="Service Comptabilité", site=tel.site, members=[A], group=group
    )
    assert list(group.members.values_list("number", flat=True)) == [A]


def test_announcements_read_from_the_file(tel: SimpleNamespace) -> None:
    a = actions.add_library_announcement(tel.site, actor=tel.manager, name="Accueil SAV", data=mp3(42))
    assert (a.format, round(a.duration_seconds)) == ("mp3", 42)
    with pytest.raises(ValidationError) as exc:
        actions.add_library_announcement(tel.site, actor=tel.manager, name="Trop long", data=wav(121))
    assert messages(exc.value) == ["L'annonce dure 2 min 01 s : 2 minutes au plus."]
    with pytest.raises(ValidationError) as exc:
        actions.add_library_announcement(tel.site, actor=tel.manager, name="Texte", data=b"ceci n'est pas un son" * 20)
    assert messages(exc.value) == ["Format non reconnu : seuls les fichiers MP3 ou WAV sont acceptés."]


def test_default_announcements_are_neither_editable_nor_deletable(tel: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.library_announcement(tel.site, "Accueil prédéfini")
    assert messages(exc.value) == ["Les annonces par défaut ne sont ni modifiables ni supprimables."]
    with pytest.raises(ValidationError):
        actions.add_library_announcement(tel.site, actor=tel.manager, name="Attente prédéfinie", data=wav(5))


def test_library_replace_everywhere_and_delete_only_when_unused(tel: SimpleNamespace) -> None:
    ann = actions.add_library_announcement(tel.site, actor=tel.manager, name="Accueil SAV", data=wav(20))
    welcome = {"enabled": True, "announcement": "Accueil SAV", "interruptible": False}
    actions.create_call_group(
        tel.org, actor=tel.manager, site=tel.site, name="SAV", number=GROUP, members=[A], welcome=welcome
    )
    actions.create_call_group(
        tel.org, actor=tel.manager, site=tel.site, name="Ventes", number="+33187044101", members=[B], welcome=welcome
    )
    assert actions.announcement_usage(tel.site)["Accueil SAV"] == (2, 0)
    actions.replace_library_announcement(ann, actor=tel.manager, data=wav(40))
    sims = [actions.simulate_call(tel.org, n, MONDAY_9) for n in (GROUP, "+33187044101")]
    assert [s.outcome.at for s in sims] == [45, 45]  # the 40 s file is played non-interruptibly on both groups
    with pytest.raises(ValidationError) as exc:
        actions.delete_library_announcement(ann, actor=tel.manager)
    assert "est utilisée (2 groupement(s), 0 AVI)" in messages(exc.value)[0]
    spare = actions.add_library_announcement(tel.site, actor=tel.manager, name="Inutile", data=wav(3))
    actions.delete_library_announcement(spare, actor=tel.manager)
    assert not Announcement.objects.filter(pk=spare.pk).exists()


def test_user_line_announcement_is_overwritten(tel: SimpleNamespace) -> None:
    line = tel.lines[0]
    actions.set_line_announcement(
        line, "welcome_announcement", actor=tel.manager, data=wav(8), name="Bonjour v1", interruptible=False
    )
    actions.set_line_announcement(
        line, "welcome_announcement", actor=tel.manager, data=wav(6), name="Bonjour v2", interruptible=False
    )
    assert list(Announcement.objects.filter(line=line).values_list("name", flat=True)) == ["Bonjour v2"]
    assert actions.simulate_call(tel.org, A, MONDAY_9).outcome.at == 11  # 6 s then the first ring


def test_call_group_limits_and_members(tel: SimpleNamespace) -> None:
    group = actions.create_call_group(
        tel.org,
        actor=tel.manager,
        site=tel.site,
        name="Accueil",
        number=GROUP,
        members=[A, B, C],
        distribution="cyclique",
    )
    assert (group.max_rings, group.max_waiting_calls, group.max_wait_seconds, group.overflow_mode) == (
        5,
        20,
        300,
        "dissuasion",
    )
    for field, value, message in (
        ("max_rings", 11, "Nombre de sonneries maximum : de 1 à 10."),
        ("max_waiting_calls", 51, "Nombre maximum d'appels en attente : de 1 à 50."),
        ("max_wait_seconds", 3601, "Temps d'attente maximum avant débordement : de 1 à 3600 secondes."),
        ("overflow_mode", "messagerie", "Il n'existe pas de débordement vers une messagerie."),
    ):
        with pytest.raises(ValidationError) as exc:
            actions.update_call_group(group, actor=tel.manager, **{field: value})
        assert message in messages(exc.value), field
    with pytest.raises(ValidationError) as exc:
        actions.update_call_group(
            group, actor=tel.manager, inter_call_delay_enabled=True, inter_call_delay_seconds=3601
        )
    assert "Délai inter-appels : de 1 à 3600 secondes." in messages(exc.value)
    actions.update_call_group(group, actor=tel.manager, members=[C, A])
    assert list(CallGroupMember.objects.filter(group=group).values_list("line__number", flat=True)) == [C, A]


def test_presence_by_the_lines_user(tel: SimpleNamespace) -> None:
    group = actions.create_call_group(
        tel.org, actor=tel.manager, site=tel.site, name="Accueil", number=GROUP, members=[A, B], distribution="lineaire"
    )
    actions.set_presence(group, tel.lines[0], actor=tel.manager, present=False)
    assert actions.simulate_call(tel.org, GROUP, MONDAY_9).outcome.number == B


def test_ivr_routes_key_1_to_the_group_and_lunch_break_closes_it(tel: SimpleNamespace) -> None:
    actions.add_library_announcement(tel.site, actor=tel.manager, name="Menu jour", data=wav(10))
    actions.add_library_announcement(tel.site, actor=tel.manager, name="Menu midi", data=wav(5))
    actions.create_call_group(
        tel.org,
        actor=tel.manager,
        site=tel.site,
        name="Accueil",
        number=GROUP,
        members=[A, B, C],
        distribution="cyclique",
    )
    actions.create_ivr(
        tel.org,
        actor=tel.manager,
        site=tel.site,
        name="Standard",
        number=IVR,
        mode="calendrier",
        calendar="Bureaux",
        open_menu={"announcement": "Menu jour", "keys": [{"key": "1", "number": GROUP}]},
        closed_menu={"announcement": "Menu midi", "keys": [{"key": "1", "number": GROUP}]},
    )
    from softwhere.telephony.services.simulator import CallState

    sim = actions.simulate_call(tel.org, IVR, MONDAY_1230, state=CallState(keys="1"))
    assert sim.outcome.kind == "answered"
    assert any("pause déjeuner" in s.text for s in sim.steps)
    with pytest.raises(ValidationError) as exc:
        actions.create_ivr(
            tel.org,
            actor=tel.manager,
            site=tel.site,
            name="Sans annonce",
            number="+33187044201",
            open_menu={"keys": [{"key": "1", "number": "112"}]},
        )
    text = " ".join(messages(exc.value))
    assert "nécessite une annonce d'accueil" in text and "Renvoi interdit vers un numéro d'urgence." in text

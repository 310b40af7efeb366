"""Catalogue browser, case detail, supervisor edit form and LED memo page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.catalogue.models import ResolutionCase
from softwhere.core.models import AuditEntry

pytestmark = pytest.mark.django_db

CASE = "incident_materiel_ont"


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def listed_ids(response: object) -> list[str]:
    return [c.id for g in response.context["groups"] for d in g["domains"] for c in d["cases"]]  # type: ignore[attr-defined]


def test_catalogue_lists_the_69_cases_grouped(world: SimpleNamespace) -> None:
    response = client_for(world.n1).get(reverse("catalogue:list"))
    ids = listed_ids(response)
    assert len(ids) == 69 and len(set(ids)) == 69
    assert [g["label"] for g in response.context["groups"]] == [
        "Incident", "Paramétrage", "SAV", "Administratif", "Commande"]
    incident = response.context["groups"][0]
    assert [d["label"] for d in incident["domains"]] == ["Internet", "Téléphonie fixe", "Mobile", "Matériel"]


def test_catalogue_search_is_accent_insensitive(world: SimpleNamespace) -> None:
    c = client_for(world.n1)
    ids = listed_ids(c.get(reverse("catalogue:list"), {"q": "defaut ont"}))
    assert CASE in ids
    ids = listed_ids(c.get(reverse("catalogue:list"), {"q": "LOS allumé synchronisation"}))
    assert ids == [CASE]
    assert listed_ids(c.get(reverse("catalogue:list"), {"q": "zzzz introuvable"})) == []
    family = listed_ids(c.get(reverse("catalogue:list"), {"famille": "commande"}))
    assert len(family) == 5 and all(i.startswith("commande_") for i in family)


@pytest.mark.parametrize("role", ["client_user", "partner_user"])
def test_catalogue_is_refused_to_client_and_partner_users(world: SimpleNamespace, role: str) -> None:
    c = client_for(getattr(world, role))
    for url in (reverse("catalogue:list"), reverse("catalogue:detail", args=[CASE]), reverse("catalogue:leds"),
                reverse("catalogue:edit", args=[CASE])):
        assert c.get(url).status_code == 403, url


def test_case_detail_shows_every_section_and_version(world: SimpleNamespace) -> None:
    body = client_for(world.n1).get(reverse("catalogue:detail", args=[CASE])).content.decode()
    for text in ("Voyant PON rouge ou LOS allumé", "Vérifier fibre correctement insérée.",
                 "Test signal optique côté opérateur.", "ONT remplacé, synchronisation rétablie.",
                 "seed000-1", "identique au fichier"):
        assert text in body, text
    assert reverse("catalogue:edit", args=[CASE]) not in body  # N1 cannot edit


@pytest.mark.parametrize("role", ["n1", "n2", "adv"])
def test_edit_is_forbidden_to_non_editors(world: SimpleNamespace, role: str) -> None:
    c = client_for(getattr(world, role))
    assert c.get(reverse("catalogue:edit", args=[CASE])).status_code == 403
    assert c.post(reverse("catalogue:edit", args=[CASE]), {"title": "x", "n1_checks": "a"}).status_code == 403
    assert c.post(reverse("catalogue:reset", args=[CASE])).status_code == 302
    assert ResolutionCase.objects.get(pk=CASE).revision == 0


def test_supervisor_edits_a_case_beside_the_file_version(world: SimpleNamespace) -> None:
    c = client_for(world.supervisor)
    page = c.get(reverse("catalogue:edit", args=[CASE])).content.decode()
    assert "Version du fichier (seed000-1)" in page
    case = ResolutionCase.objects.get(pk=CASE)
    response = c.post(
        reverse("catalogue:edit", args=[CASE]),
        {
            "title": case.title,
            "symptoms": "\n".join(case.symptoms),
            "n1_checks": "\n".join([*case.n1_checks, "Photographier les voyants."]),
            "n2_actions": "\n".join(case.n2_actions),
            "examples": "\n".join(case.examples),
            "is_active": "on",
        },
        follow=True,
    )
    assert "Cas 18 enregistré (révision 1)." in [str(m) for m in response.context["messages"]]
    case.refresh_from_db()
    assert case.n1_checks[-1] == "Photographier les voyants."
    assert case.revision == 1 and case.edited_by == world.supervisor
    assert case.file_data["n1_checks"][-1] != "Photographier les voyants."  # the file version is kept
    assert AuditEntry.objects.filter(action="catalogue.edit", object_id=CASE).exists()
    edit_page = c.get(reverse("catalogue:edit", args=[CASE])).content.decode()
    assert "modifié" in edit_page
    # Back to the file text.
    c.post(reverse("catalogue:reset", args=[CASE]))
    case.refresh_from_db()
    assert case.n1_checks == case.file_data["n1_checks"] and case.revision == 2


def test_edit_keeps_at_least_one_n1_check(world: SimpleNamespace) -> None:
    case = ResolutionCase.objects.get(pk=CASE)
    response = client_for(world.supervisor).post(
        reverse("catalogue:edit", args=[CASE]), {"title": case.title, "n1_checks": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["n1_checks"]
    case.refresh_from_db()
    assert case.revision == 0


def test_led_memo_page_shows_both_memos_with_meanings(world: SimpleNamespace) -> None:
    body = client_for(world.n1).get(reverse("catalogue:leds")).content.decode()
    for text in ("Mémo N1 – ONT Fibre", "Mémo N1 – Routeur", "rupture signal", "auth en cours",
                 "Contrôle ONT : Power __, PON __, LOS __, LAN __, avant/après redémarrage.",
                 "Alim OK / veille / firmware (ne pas confondre avec vert)"):
        assert text in body, text

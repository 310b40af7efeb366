"""Self-care pages: the three menus, search, scoping, forms calling the actions, « où va cet appel ? »."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from softwhere.core import testing as t
from softwhere.telephony import actions
from softwhere.telephony.models import Calendar, CallGroup

from .builders import GROUP, A, B, C

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_client_manager_lands_on_its_offer(tel: SimpleNamespace) -> None:
    c = client_for(tel.manager)
    response = c.get("/telephonie/", follow=True)
    assert response.redirect_chain[-1][0] == f"/telephonie/{tel.org.pk}/"
    body = response.content.decode()
    for menu in ("Gérer votre offre", "Gérer votre service", "Gérer vos lignes", "Où va cet appel ?"):
        assert menu in body
    assert "VOS LIGNES MOBILES AVEC OPTION PABX" in body
    assert "Votre offre : 10 forfaits dont 7 disponibles" in body


def test_staff_home_lists_companies_by_page_with_a_search(tel: SimpleNamespace) -> None:
    c = client_for(tel.world.n1)
    body = c.get("/telephonie/").content.decode()
    assert f'href="/telephonie/{tel.org.pk}/"' in body and "souscrite" in body
    assert "SoftWhere" not in body.split("<tbody>", 1)[1]  # the operator itself is not a client company
    found = c.get("/telephonie/", {"q": tel.org.name[:5]}).content.decode()
    assert f'href="/telephonie/{tel.org.pk}/"' in found
    none = c.get("/telephonie/", {"q": "zzz-aucune"}).content.decode()
    assert "Aucune entreprise pour « zzz-aucune »" in none
    for n in range(60):
        t.make_organisation(f"Client téléphonie {n:02d}")
    first = c.get("/telephonie/").content.decode()
    assert first.count('href="/telephonie/') - first.count('href="/telephonie/"') == 50
    assert "Suivante" in first


def test_other_company_is_a_404(tel: SimpleNamespace) -> None:
    c = client_for(tel.world.other_client_user)
    for url in ("", "service/", "lignes/", "ou-va-cet-appel/", f"lignes/{tel.lines[0].pk}/"):
        assert c.get(f"/telephonie/{tel.org.pk}/{url}").status_code == 404, url


def test_search_lines_by_name_number_and_site(tel: SimpleNamespace) -> None:
    c = client_for(tel.manager)

    def found(**params: str) -> list[str]:
        body = c.get(f"/telephonie/{tel.org.pk}/lignes/", params).content.decode()
        return [n for n in (A, B, C) if n in body]

    assert found(q="durand") == [B]
    assert found(q="01 87 04 40 03") == [C]
    assert found(site=str(tel.site.pk)) == [A, B, C]
    assert found(q="inconnu") == []


def test_calendar_form_creates_through_the_action_and_shows_rule_errors(tel: SimpleNamespace) -> None:
    c = client_for(tel.manager)
    url = f"/telephonie/{tel.org.pk}/calendriers/nouveau/"
    management = {"schedules-TOTAL_FORMS": 1, "schedules-INITIAL_FORMS": 1, "periods-TOTAL_FORMS": 0}
    management["periods-INITIAL_FORMS"] = 0
    ok = c.post(
        url,
        {
            **management,
            "name": "Magasin",
            "schedules-0-days": ["lun", "sam"],
            "schedules-0-start": "10:00",
            "schedules-0-end": "19:00",
            "schedules-0-lunch": "on",
            "schedules-0-lunch_start": "12:30",
            "schedules-0-lunch_end": "13:30",
        },
    )
    assert ok.status_code == 302
    assert Calendar.objects.get(organisation=tel.org, name="Magasin").schedules[0]["lunch_break"] == {
        "start": "12:30",
        "end": "13:30",
    }
    bad = c.post(
        url,
        {
            **management,
            "name": "Inversé",
            "schedules-0-days": ["lun"],
            "schedules-0-start": "18:00",
            "schedules-0-end": "09:00",
        },
    )
    assert "L&#x27;heure de fin doit suivre l&#x27;heure de début." in bad.content.decode()


def test_group_form_and_presence_toggle(tel: SimpleNamespace) -> None:
    c = client_for(tel.manager)
    response = c.post(
        f"/telephonie/{tel.org.pk}/groupements/nouveau/",
        {
            "name": "Accueil",
            "number": "01 87 04 41 00",
            "site": str(tel.site.pk),
            "distribution": "cyclique",
            "max_rings": 5,
            "max_waiting_calls": 20,
            "max_wait_seconds": 300,
            "overflow_mode": "dissuasion",
            "members": [A, B, C],
        },
    )
    group = CallGroup.objects.get(number=GROUP)
    assert response.status_code == 302 and group.distribution == "cyclique"
    c.post(f"/telephonie/{tel.org.pk}/groupements/{group.pk}/", {"line": tel.lines[0].pk, "present": "0"})
    assert not group.members.get(line=tel.lines[0]).present


def test_client_of_another_company_cannot_edit(tel: SimpleNamespace) -> None:
    partner_org_user = tel.world.partner_user  # the partner does not manage ACME
    response = client_for(partner_org_user).post(f"/telephonie/{tel.org.pk}/calendriers/nouveau/", {})
    assert response.status_code == 404


def test_simulate_page_shows_the_trace(tel: SimpleNamespace) -> None:
    actions.update_line(
        tel.lines[0],
        actor=tel.manager,
        services={"forwards": {"immediate": {"enabled": True, "destination": "numero", "number": B}}},
    )
    body = (
        client_for(tel.manager)
        .get(
            f"/telephonie/{tel.org.pk}/ou-va-cet-appel/",
            {"to": A, "day": "2026-11-23", "time": "12:30", "caller": "0298765432"},
        )
        .content.decode()
    )
    assert "Renvoi immédiat actif" in body
    assert 'data-testid="outcome" data-kind="answered"' in body
    assert "Marc Durand (+33187044002) décroche." in body

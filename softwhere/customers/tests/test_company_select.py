"""The company select of the grid filter and the new-ticket form at ten thousand companies.

Past ``SearchableSelect.limit`` companies the select holds only the empty and the chosen
option and a search box fetches the matching ones; below, it lists them all.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.core import testing as t
from softwhere.core.widgets import SearchableSelect
from softwhere.tickets import actions
from softwhere.tickets.choices import ServiceState

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def select_options(html: str, select_id: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select #{select_id}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SearchableSelect, "limit", 3)


def test_few_companies_are_all_listed(world: SimpleNamespace) -> None:
    html = client_for(world.n1).get(reverse("tickets:list")).content.decode()
    labels = [label for _, label in select_options(html, "id_organisation")]
    assert labels == ["Toutes", "ACME Industries", "Autre Société", "Boulangerie Martin", "Intégrateur Sud"]
    assert "data-searchable-for" not in html


def test_many_companies_render_only_the_chosen_one_and_a_search_box(world: SimpleNamespace, small_limit: None) -> None:
    c = client_for(world.n1)
    html = c.get(reverse("tickets:list")).content.decode()
    assert select_options(html, "id_organisation") == [("", "Toutes")]
    assert 'data-searchable-for="id_organisation"' in html

    html = c.get(reverse("tickets:list"), {"organisation": world.acme.pk}).content.decode()
    assert select_options(html, "id_organisation") == [("", "Toutes"), (str(world.acme.pk), "ACME Industries")]

    html = c.get(reverse("tickets:create"), {"organisation": world.other.pk}).content.decode()
    options = select_options(html, "id_organisation")
    assert options == [("", "— choisir la société —"), (str(world.other.pk), "Autre Société")]
    assert re.search(r'<option value="\d+" selected>Autre Société', html)


def test_filtering_by_a_company_still_validates_against_the_visible_ones(
    world: SimpleNamespace, small_limit: None
) -> None:
    for org, subject in ((world.acme, "Panne ACME"), (world.other, "Panne Autre")):
        actions.create_ticket(actor=world.n1, organisation=org, subject=subject, service_state=ServiceState.DEGRADED)
    html = client_for(world.n1).get(reverse("tickets:list"), {"organisation": world.acme.pk}).content.decode()
    assert "Panne ACME" in html and "Panne Autre" not in html


def options(c: Client, term: str, **extra: str) -> list[tuple[str, str]]:
    params = {"champ": "organisation", "organisation_recherche": term, "vide": "Toutes", **extra}
    response = c.get(reverse("customers:options"), params)
    assert response.status_code == 200
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', response.content.decode())


def test_search_finds_by_name_city_or_siret_without_operators(world: SimpleNamespace) -> None:
    c = client_for(world.n1)
    found = options(c, "soci")
    assert found[1:] == [(str(world.other.pk), "Autre Société")]
    assert found[0][0] == "" and found[0][1].startswith("1 résultat")
    assert options(c, "softwhere")[1:] == []  # the operator itself is not a client company
    assert options(c, "SOCIETE")[1:] == [(str(world.other.pk), "Autre Société")]  # accents and case ignored
    world.acme.siret = "73282932000074"
    world.acme.save()
    assert options(c, "732 829 320")[1:] == [(str(world.acme.pk), "ACME Industries")]
    assert options(c, "")[0] == ("", "Toutes")


def test_search_is_scoped_to_what_the_user_may_see(world: SimpleNamespace) -> None:
    assert options(client_for(world.client_user), "e")[1:] == [(str(world.acme.pk), "ACME Industries")]
    partner = {label for _, label in options(client_for(world.partner_user), "e")[1:]}
    assert partner == {"Intégrateur Sud", "Boulangerie Martin"}


def test_search_for_the_new_ticket_form_leaves_out_inactive_companies(world: SimpleNamespace) -> None:
    world.other.is_active = False
    world.other.save()
    c = client_for(world.n1)
    assert options(c, "Autre")[1:] == [(str(world.other.pk), "Autre Société")]
    assert options(c, "Autre", actifs="1")[1:] == []


def test_search_escapes_names(world: SimpleNamespace) -> None:
    t.make_organisation('Dupont <b>&</b> "Fils"')
    body = (
        client_for(world.n1)
        .get(reverse("customers:options"), {"champ": "organisation", "organisation_recherche": "dupont"})
        .content.decode()
    )
    assert "&lt;b&gt;&amp;&lt;/b&gt; &quot;Fils&quot;" in body and "<b>" not in body


@pytest.mark.parametrize("url_name", ["sla:at-risk", "sla:breached", "sla:charts"])
def test_sla_pages_filter_by_company_with_the_same_select(
    world: SimpleNamespace, url_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = client_for(world.supervisor)
    html = c.get(reverse(url_name)).content.decode()
    labels = [label for _, label in select_options(html, "f-organisation")]
    assert labels == ["Toutes", "ACME Industries", "Autre Société", "Boulangerie Martin", "Intégrateur Sud"]

    monkeypatch.setattr(SearchableSelect, "limit", 3)
    html = c.get(reverse(url_name), {"organisation": world.acme.pk}).content.decode()
    assert select_options(html, "f-organisation") == [("", "Toutes"), (str(world.acme.pk), "ACME Industries")]
    assert 'data-searchable-for="f-organisation"' in html

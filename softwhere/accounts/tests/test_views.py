"""Login / logout pages, login throttling, and the API tokens page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-Test-1"


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_login_page_is_french(client: Client) -> None:
    body = client.get(reverse("login")).content.decode()
    assert 'lang="fr"' in body and "Identifiant" in body and "Se connecter" in body


def test_login_then_land_on_role_page(client: Client, world: SimpleNamespace) -> None:
    response = client.post(reverse("login"), {"username": "n1", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tickets:list")
    response = Client().post(reverse("login"), {"username": "client", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:list")


def test_wrong_password_shows_french_error(client: Client, world: SimpleNamespace) -> None:
    response = client.post(reverse("login"), {"username": "n1", "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides." in response.content.decode()


def test_repeated_failures_lock_the_login(client: Client, world: SimpleNamespace, settings: object) -> None:
    for _ in range(5):
        client.post(reverse("login"), {"username": "n1", "password": "faux"})
    response = client.post(reverse("login"), {"username": "n1", "password": PASSWORD})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()


def test_logout_is_post_only(world: SimpleNamespace) -> None:
    c = client_for(world.n1)
    assert c.get(reverse("logout")).status_code == 405
    assert c.get(reverse("tickets:list")).status_code == 200
    response = c.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert c.get(reverse("tickets:list")).status_code == 302


def test_navbar_shows_user_and_role(world: SimpleNamespace) -> None:
    body = client_for(world.n2).get(reverse("tickets:list")).content.decode()
    assert str(world.n2) in body
    assert 'title="Agent N2" data-testid="role-badge">N2<' in body
    assert f'action="{reverse("logout")}"' in body


def test_tokens_page_creates_shows_key_once_and_revokes(world: SimpleNamespace) -> None:
    c = client_for(world.partner_user)
    response = c.post(reverse("api_tokens"), {"name": "synchro ERP"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.partner_user)
    key = response.context["new_key"]["key"]
    assert key in response.content.decode()
    assert ApiToken.hash_key(key) == token.key_hash
    again = c.get(reverse("api_tokens")).content.decode()
    assert key not in again and "synchro ERP" in again  # the key is shown once
    c.post(reverse("api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(world: SimpleNamespace) -> None:
    token, _ = ApiToken.issue(world.n1, "script")
    response = client_for(world.n2).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_tokens_page_lists_only_own_tokens(world: SimpleNamespace) -> None:
    ApiToken.issue(world.n1, "mon script")
    ApiToken.issue(world.n2, "script du voisin")
    body = client_for(world.n1).get(reverse("api_tokens")).content.decode()
    assert "mon script" in body and "script du voisin" not in body


def test_admin_is_limited_to_inventory_for_staff_agents(world: SimpleNamespace) -> None:
    world.n1.is_staff = True
    world.n1.save(update_fields=["is_staff"])
    c = client_for(world.n1)
    assert c.get(reverse("admin:customers_site_changelist")).status_code == 200
    assert c.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert c.get(reverse("admin:tickets_ticket_add")).status_code == 403
    world.admin.is_staff = True
    world.admin.save(update_fields=["is_staff"])
    assert client_for(world.admin).get(reverse("admin:accounts_user_changelist")).status_code == 200

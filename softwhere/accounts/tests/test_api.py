"""/me/, API tokens and token authentication."""

from __future__ import annotations

import pytest

from softwhere.accounts.models import ApiToken
from softwhere.core.tests.api_client import api_client


def test_me_describes_the_user_and_their_rights(world):
    response = api_client(world.client_user).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() | {"id": None} == {
        "id": None,
        "username": "client",
        "first_name": world.client_user.first_name,
        "last_name": world.client_user.last_name,
        "email": world.client_user.email,
        "role": "client",
        "organisation": {"id": world.acme.pk, "name": "ACME Industries", "kind": "client"},
        "is_desk_staff": False,
        "is_agent": False,
        "is_n2": False,
    }


def test_me_for_an_n2_agent(world):
    body = api_client(world.n2).get("/api/v1/me/").json()
    assert (body["role"], body["is_desk_staff"], body["is_agent"], body["is_n2"]) == ("n2", True, True, True)


def test_create_token_returns_the_key_once(world):
    client = api_client(world.n1)
    response = client.post("/api/v1/tokens/", {"name": "Supervision"})
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith("swd_") and body["prefix"] == body["key"][:12]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == world.n1 and token.key_hash == ApiToken.hash_key(body["key"])
    listed = client.get("/api/v1/tokens/").json()
    assert [t["id"] for t in listed] == [body["id"]]
    assert "key" not in listed[0]


def test_create_token_requires_a_name(world):
    response = api_client(world.n1).post("/api/v1/tokens/", {})
    assert response.status_code == 400
    assert "name" in response.json()
    assert not ApiToken.objects.exists()


def test_tokens_list_only_the_users_own(world):
    own, _ = ApiToken.issue(world.client_user, "mine")
    ApiToken.issue(world.n1, "not mine")
    response = api_client(world.client_user).get("/api/v1/tokens/")
    assert [t["id"] for t in response.json()] == [own.pk]


def test_revoke_token_keeps_it_listed_as_revoked(world):
    token, key = ApiToken.issue(world.n1, "ci")
    client = api_client(world.n1)
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    listed = client.get("/api/v1/tokens/").json()
    assert listed[0]["is_active"] is False and listed[0]["revoked_at"] is not None


def test_cannot_revoke_another_users_token(world):
    token, _ = ApiToken.issue(world.n1, "ci")
    assert api_client(world.client_user).delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_valid_token_authenticates_and_records_use(world):
    token, key = ApiToken.issue(world.client_user, "script")
    response = api_client(token=key).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "client"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("revoked", id="revoked"),
        pytest.param("swd_unknown-key-000000000000000000000000", id="unknown"),
        pytest.param("", id="anonymous"),
    ],
)
def test_bad_or_missing_token_is_401(world, header):
    token, key = ApiToken.issue(world.n1, "old")
    if header == "revoked":
        token.revoke()
        header = key
    client = api_client(token=header) if header else api_client()
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_inactive_users_token_is_401(world):
    token, key = ApiToken.issue(world.n1, "old")
    world.n1.is_active = False
    world.n1.save()
    assert api_client(token=key).get("/api/v1/tickets/").status_code == 401


def test_token_can_revoke_itself_and_then_stops_working(world):
    token, key = ApiToken.issue(world.n1, "leaked")
    client = api_client(token=key)
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401

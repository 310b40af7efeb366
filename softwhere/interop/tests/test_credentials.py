"""Peer tokens are encrypted at rest (diagnostics secret store) and still sent in clear to the peer."""

from __future__ import annotations

from django.db import connection

from softwhere.interop.choices import Protocol, Role
from softwhere.interop.models import InteropPeer

TOKEN = "jeton-très-secret-0123456789"


def make_peer(**extra) -> InteropPeer:
    peer = InteropPeer(
        name="Fibre Infra",
        code="OIFI",
        peer_role=Role.OI,
        protocol=Protocol.V2,
        local_code="SWDK",
        endpoint_url="http://127.0.0.1:9/v2",
        **extra,
    )
    peer.full_clean()
    peer.save()
    return peer


def test_token_is_not_stored_in_clear(db):
    peer = make_peer(auth_token=TOKEN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT auth_token_encrypted FROM interop_interoppeer WHERE id = %s", [peer.pk])
        [stored] = cursor.fetchone()
    assert stored and TOKEN not in stored
    assert InteropPeer.objects.get(pk=peer.pk).auth_token == TOKEN
    assert TOKEN not in repr(peer)


def test_clearing_the_token(db):
    peer = make_peer(auth_token=TOKEN)
    peer.auth_token = ""
    peer.save()
    fresh = InteropPeer.objects.get(pk=peer.pk)
    assert (fresh.auth_token, fresh.has_auth_token) == ("", False)


def test_admin_form_keeps_the_token_when_left_blank(db):
    from softwhere.interop.admin import InteropPeerForm

    peer = make_peer(auth_token=TOKEN)
    data = {
        "name": peer.name,
        "code": peer.code,
        "peer_role": peer.peer_role,
        "protocol": peer.protocol,
        "is_active": "on",
        "local_code": peer.local_code,
        "endpoint_url": peer.endpoint_url,
        "auto_accept_resolution": "on",
        "new_auth_token": "",
    }
    form = InteropPeerForm(data=data, instance=peer)
    assert form.is_valid(), form.errors
    form.save()
    assert InteropPeer.objects.get(pk=peer.pk).auth_token == TOKEN
    form = InteropPeerForm(data={**data, "new_auth_token": "nouveau"}, instance=InteropPeer.objects.get(pk=peer.pk))
    assert form.is_valid(), form.errors
    form.save()
    assert InteropPeer.objects.get(pk=peer.pk).auth_token == "nouveau"
    assert "nouveau" not in form.as_p()  # never rendered back

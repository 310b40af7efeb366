"""« Paramétrage des services de la ligne » : the manager edits forwards, DND, voicemail, phone keys."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.test import Client

from softwhere.telephony.models import Line

from .builders import OUTSIDE, B

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _url(tel: SimpleNamespace, line: Line) -> str:
    return f"/telephonie/{tel.org.pk}/lignes/{line.pk}/"


def _form_data(c: Client, url: str) -> dict[str, Any]:
    """The form as rendered (initial values), ready to be changed and posted back."""
    form = c.get(url).context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_manager_sets_forwards_dnd_voicemail_and_keys(tel: SimpleNamespace) -> None:
    line = tel.lines[0]
    c = _client(tel.manager)
    data = _form_data(c, _url(tel, line))
    data.update(
        {
            "do_not_disturb": "on",
            "fwd_busy_destination": "numero",
            "fwd_busy_number": "02 98 76 54 32",
            "fwd_no_answer_rings": "4",
            "fwd_scheduled_enabled": "on",
            "fwd_scheduled_calendar": "Bureaux",
            "fwd_scheduled_destination": "messagerie",
            "vm_enabled": "on",
            "vm_email": "julie@acme.fr",
            "blocked_numbers": "0611111111\n0622222222",
            "hw_keys": f"supervision;{B};Marc\nraccourci;0298765432;Agence",
        }
    )
    response = c.post(_url(tel, line), data)
    assert response.status_code == 302, response.context["form"].errors
    line.refresh_from_db()
    s = line.services
    assert s["do_not_disturb"] is True and s["blocked_numbers"] == ["0611111111", "0622222222"]
    assert s["forwards"]["busy"] == {"enabled": True, "destination": "numero", "number": OUTSIDE}
    assert s["forwards"]["no_answer"]["rings"] == 4
    assert s["forwards"]["scheduled"]["calendar"] == "Bureaux" and s["forwards"]["scheduled"]["enabled"]
    assert s["voicemail_notification"] == {"enabled": True, "email": "julie@acme.fr", "attach_message": False}
    assert [k["type"] for k in line.hardware["keys"]] == ["supervision", "raccourci"]
    assert line.hardware["model"] == "Polycom VVX 450"


def test_forbidden_destination_is_refused_with_a_french_message_and_nothing_saved(tel: SimpleNamespace) -> None:
    line = tel.lines[0]
    before = dict(line.services)
    c = _client(tel.manager)
    data = _form_data(c, _url(tel, line))
    data.update({"fwd_immediate_enabled": "on", "fwd_immediate_destination": "numero", "fwd_immediate_number": "112"})
    response = c.post(_url(tel, line), data)
    assert response.status_code == 400
    assert "urgence" in response.content.decode()
    line.refresh_from_db()
    assert line.services == before


def test_blocks_follow_the_line_kind(tel: SimpleNamespace) -> None:
    from softwhere.telephony import actions

    fax = actions.create_line(
        tel.org,
        actor=tel.manager,
        site=tel.site,
        kind="analogique",
        number="+33187044009",
        name="FAX",
        hardware={"kind": "ata", "model": "AudioCodes MP-202B RevD"},
    )
    form = _client(tel.manager).get(_url(tel, fax)).context["form"]
    assert "fwd_immediate_enabled" in form.fields and "fwd_busy_enabled" not in form.fields  # §5.2.1: immediate only
    assert "do_not_disturb" not in form.fields and "reject_anonymous" in form.fields and "hw_keys" not in form.fields


def test_read_only_for_users_who_cannot_edit(tel: SimpleNamespace) -> None:
    line = tel.lines[0]
    c = _client(tel.world.adv)  # ADV can edit (inventory editor) — a partner of another company cannot even see it
    assert c.get(_url(tel, line)).context["form"] is not None
    outsider = _client(tel.world.other_client_user)
    assert outsider.post(_url(tel, line), {"do_not_disturb": "on"}).status_code == 404


def test_line_announcement_upload_overwrites_the_previous_file(tel: SimpleNamespace) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from softwhere.telephony.models import Announcement

    from .audio import wav

    line = tel.lines[0]
    c = _client(tel.manager)
    url = f"/telephonie/{tel.org.pk}/lignes/{line.pk}/annonce/"
    for seconds in (10, 15):
        f = SimpleUploadedFile("accueil.wav", wav(seconds), content_type="audio/wav")
        c.post(url, {"slot": "welcome_announcement", "enabled": "on", "interruptible": "on", "file": f})
    line.refresh_from_db()
    block = line.services["welcome_announcement"]
    assert block["enabled"] and block["interruptible"] and block["announcement"]
    assert [round(a.duration_seconds) for a in Announcement.objects.filter(line=line)] == [15]
    f = SimpleUploadedFile("long.wav", wav(130), content_type="audio/wav")
    page = c.post(url, {"slot": "hold_announcement", "enabled": "on", "file": f}, follow=True).content.decode()
    assert "2 minutes au plus" in page

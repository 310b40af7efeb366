"""Manager forms of « Gérer votre service » and the call groups: pickup groups, announcements, group edit."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from softwhere.telephony import actions
from softwhere.telephony.models import Announcement, CallGroup, PickupGroup

from .audio import wav
from .builders import GROUP, A, B, C

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pickup_group_create_refused_then_edit_and_delete(tel: SimpleNamespace) -> None:
    c = _client(tel.manager)
    base = f"/telephonie/{tel.org.pk}"
    bad = c.post(f"{base}/interception/nouveau/", {"name": "Compta & co", "site": tel.site.pk, "members": [A]})
    assert bad.status_code == 400 and "caractères spéciaux" in bad.content.decode()
    assert not PickupGroup.objects.exists()
    c.post(f"{base}/interception/nouveau/", {"name": "Comptabilité", "site": tel.site.pk, "members": [A, B]})
    group = PickupGroup.objects.get()
    assert sorted(group.members.values_list("number", flat=True)) == [A, B]
    c.post(f"{base}/interception/{group.pk}/", {"name": "Comptabilité", "site": tel.site.pk, "members": [C]})
    assert list(group.members.values_list("number", flat=True)) == [C]
    c.post(f"{base}/interception/{group.pk}/", {"delete": "1"})
    assert not PickupGroup.objects.exists()


def test_library_announcement_upload_replace_and_delete_only_when_unused(tel: SimpleNamespace) -> None:
    c = _client(tel.manager)
    base = f"/telephonie/{tel.org.pk}"

    def upload(seconds: float) -> Any:
        f = SimpleUploadedFile("accueil.wav", wav(seconds), content_type="audio/wav")
        return c.post(f"{base}/annonces/nouvelle/", {"site": tel.site.pk, "name": "Accueil SAV", "file": f})

    too_long = upload(125)
    assert too_long.status_code == 400 and "2 minutes au plus" in too_long.content.decode()
    assert upload(20).status_code == 302
    ann = Announcement.objects.get()
    assert round(ann.duration_seconds) == 20
    welcome = {"enabled": True, "announcement": "Accueil SAV", "interruptible": False}
    actions.create_call_group(
        tel.org, actor=tel.manager, site=tel.site, name="SAV", number=GROUP, members=[A], welcome=welcome
    )
    upload(30)  # same name: replaced wherever it is used
    assert Announcement.objects.count() == 1 and round(Announcement.objects.get().duration_seconds) == 30
    page = c.post(f"{base}/annonces/{ann.pk}/supprimer/", follow=True).content.decode()
    assert "est utilisée" in page and Announcement.objects.exists()


def test_call_group_edit_keeps_number_and_member_order(tel: SimpleNamespace) -> None:
    group = actions.create_call_group(
        tel.org, actor=tel.manager, site=tel.site, name="Accueil", number=GROUP, members=[C, A], distribution="lineaire"
    )
    c = _client(tel.manager)
    url = f"/telephonie/{tel.org.pk}/groupements/{group.pk}/modifier/"
    data = {
        "name": "Accueil clients",
        "number": "+33187044999",
        "site": tel.site.pk,
        "distribution": "cyclique",
        "max_rings": 4,
        "max_waiting_calls": 20,
        "max_wait_seconds": 300,
        "overflow_mode": "dissuasion",
        "members": [A, B, C],
        "inter_call_delay_enabled": "on",
        "inter_call_delay_seconds": 3601,
    }
    refused = c.post(url, data)
    assert refused.status_code == 200 and "3600" in refused.content.decode()
    data["inter_call_delay_seconds"] = 30
    assert c.post(url, data).status_code == 302
    group = CallGroup.objects.get()
    assert (group.name, group.number, group.distribution, group.inter_call_delay_seconds) == (
        "Accueil clients",
        GROUP,
        "cyclique",
        30,
    )
    assert list(group.members.values_list("line__number", flat=True)) == [C, A, B]


def test_directory_add_refused_then_delete(tel: SimpleNamespace) -> None:
    from softwhere.telephony.models import DirectoryContact

    c = _client(tel.manager)
    url = f"/telephonie/{tel.org.pk}/annuaire/"
    assert "Voir l'annuaire" in c.get(f"/telephonie/{tel.org.pk}/service/").content.decode()
    c.post(url, {"name": "Plombier", "number": "04 76 00 11 22", "short_number": "5001"})
    contact = DirectoryContact.objects.get()
    assert contact.number == "+33476001122"
    taken = c.post(url, {"name": "Garage", "number": "04 76 00 11 23", "short_number": "5001"})
    assert taken.status_code == 400 and DirectoryContact.objects.count() == 1
    c.post(url, {"delete": contact.pk})
    assert not DirectoryContact.objects.exists()
    assert _client(tel.world.other_client_user).get(url).status_code == 404

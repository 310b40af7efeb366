"""The CLI shapes used by our checks: export, import (all or nothing, every error listed), simulate."""

from __future__ import annotations

import base64
import json
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from softwhere.telephony.models import Line
from softwhere.telephony.services.rules import check_document

from .audio import wav
from .builders import GROUP, IVR, A, B, valid_document


def cli(*args: str) -> str:
    out = StringIO()
    call_command("telephony", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_simulate_prints_steps_and_outcome(tmp_path: Path) -> None:
    doc = write(tmp_path, "conf.json", valid_document())
    state = write(tmp_path, "state.json", {"caller": {"keys": "1"}, "lines": {A: {"answers": False}}})
    out = json.loads(
        cli("simulate", doc, "--to", IVR, "--at", "2026-11-23T12:30", "--from", "0298765432", "--state", state)
    )
    assert set(out) == {"steps", "outcome"}
    assert all({"kind", "text"} <= set(step) for step in out["steps"])
    assert out["steps"][0]["text"].startswith("Appel de +33298765432 vers +33187044200 le lundi 23/11/2026 à 12:30")
    assert out["outcome"]["kind"] == "external"  # lunch break: closed menu, key 1 → the on-call mobile
    out = json.loads(cli("simulate", doc, "--to", IVR, "--at", "2026-11-23T09:00", "--state", state))
    assert (out["outcome"]["kind"], out["outcome"]["number"]) == ("answered", B)  # Cyclique, A does not answer


def test_simulate_rejects_a_bad_state(tmp_path: Path) -> None:
    doc = write(tmp_path, "conf.json", valid_document())
    state = write(tmp_path, "state.json", {"lines": {A: {"answers": "oui"}}})
    with pytest.raises(CommandError, match="type de valeur invalide"):
        cli("simulate", doc, "--to", A, "--at", "2026-11-23T09:00", "--state", state)


@pytest.mark.django_db
def test_export_import_round_trip(tel: SimpleNamespace, tmp_path: Path) -> None:
    doc = valid_document()
    doc["company"] = {"name": tel.org.name, "siret": tel.org.siret}
    doc["sites"][0]["customer_site"] = tel.world.acme_site.name
    for a in doc["announcements"]:
        a["content_base64"] = base64.b64encode(wav(a["duration_seconds"])).decode()
    assert "importée" in cli("import", write(tmp_path, "in.json", doc))
    exported = json.loads(cli("export", tel.org.siret))
    assert check_document(exported) == []
    assert [x["number"] for x in exported["lines"]] == sorted(x["number"] for x in doc["lines"])
    assert exported["call_groups"][0]["members"] == [{"number": n, "present": True} for n in (A, B, "+33612345678")]
    assert exported["ivrs"][0]["open_menu"]["keys"] == [{"key": "1", "number": GROUP, "label": "Accueil"}]
    # the export re-imports as is: the audio of existing announcements is kept without content_base64
    assert "importée" in cli("import", write(tmp_path, "again.json", exported))
    assert json.loads(cli("export", str(tel.org.pk))) == exported


@pytest.mark.django_db
def test_import_is_all_or_nothing_and_lists_every_error(tel: SimpleNamespace, tmp_path: Path) -> None:
    before = set(Line.objects.filter(organisation=tel.org).values_list("number", flat=True))
    doc = valid_document()
    doc["company"] = {"name": tel.org.name, "siret": tel.org.siret}
    doc["call_groups"][0].update(max_rings=11, overflow={"mode": "messagerie"})
    doc["lines"][0]["services"] = {"blocked_numbers": ["1"] * 37}
    with pytest.raises(CommandError) as exc:
        cli("import", write(tmp_path, "bad.json", doc))
    text = str(exc.value)
    assert text.startswith("3 erreur(s) :")
    for message in ("de 1 à 10", "pas de débordement vers une messagerie", "supérieur à 36"):
        assert message in text
    assert set(Line.objects.filter(organisation=tel.org).values_list("number", flat=True)) == before


@pytest.mark.django_db
def test_import_without_audio_for_a_new_announcement_is_refused(tel: SimpleNamespace, tmp_path: Path) -> None:
    doc = valid_document()
    doc["company"] = {"name": tel.org.name, "siret": tel.org.siret}
    with pytest.raises(CommandError, match="fichier audio absent"):
        cli("import", write(tmp_path, "noaudio.json", doc))


@pytest.mark.django_db
def test_export_unknown_company() -> None:
    with pytest.raises(CommandError, match="introuvable"):
        cli("export", "Nulle Part")

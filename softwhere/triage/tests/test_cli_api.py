"""The CLI shapes used by our checks, and the classification endpoint (validated against the schema)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from softwhere.core.tests.api_client import api_client
from softwhere.triage.services.classifier import TriageClassifier

ENTITY_KEYS = {
    "phones",
    "number_ranges",
    "ipv4",
    "ipv6",
    "macs",
    "sirets",
    "ticket_refs",
    "carriers",
    "equipment",
    "leds",
    "times",
}


def run(*args: str) -> Any:
    out = io.StringIO()
    call_command("triage", *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_classify_shape(triage_model: TriageClassifier) -> None:
    result = run("classify", "plus de net depuis ce matin, la box clignote rouge. Rappel au 01 23 45 67 89")
    assert result["case"] == "incident_internet_perte_wan"
    assert isinstance(result["confidence"], float) and 0 < result["confidence"] <= 1
    assert [set(t) for t in result["top"]] == [{"case", "score"}] * 3
    assert result["top"][0]["case"] == result["case"]
    assert result["state"] == "interrompu"
    assert set(result["entities"]) == ENTITY_KEYS
    assert result["entities"]["phones"] == ["+33123456789"]
    assert result["model_version"] == triage_model.version


def test_cli_classify_null_case_below_threshold(triage_model: TriageClassifier) -> None:
    result = run("classify", "la SIM demande le PUK", "--threshold", "1.01")
    assert result["case"] is None
    assert result["top"][0]["case"] == "incident_mobile_sim"
    assert result["domain"] == "mobile"


def test_cli_eval_shape(triage_model: TriageClassifier, tmp_path: Path) -> None:
    lines = [
        {"text": "la SIM demande le PUK", "case": "incident_mobile_sim"},
        {"text": "poste accueil ne sonne plus", "case": "incident_fixe_poste_isole"},
        {"text": "la SIM demande le PUK", "case": "incident_fixe_poste_isole"},  # wrong on purpose
    ]
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    report = run("eval", str(path))
    assert report["n"] == 3
    assert report["top1"] == pytest.approx(2 / 3, abs=1e-3)
    assert 0 <= report["top3"] <= 1
    assert report["per_case"]["incident_mobile_sim"]["recall"] == 1.0
    assert report["per_case"]["incident_fixe_poste_isole"]["recall"] == 0.5


def test_cli_eval_refuses_unknown_cases(triage_model: TriageClassifier, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "case": "pas_un_cas"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="unknown case"):
        call_command("triage", "eval", str(path), stdout=io.StringIO())


def test_api_classify(triage_model: TriageClassifier, world: Any) -> None:
    response = api_client(world.n1).post(
        "/api/v1/triage/classify/",
        {"text": "Voyant LOS rouge sur l'ONT Huawei HG8245H depuis hier soir", "at": "2025-03-14T10:30:00+01:00"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["case"] == "incident_materiel_ont"
    assert body["entities"]["times"][0]["at"] == "2025-03-13T19:00:00+01:00"
    assert {"brand": "Huawei", "model": "HG8245H", "kind": "ont"} in body["entities"]["equipment"]


def test_api_classify_validates_and_is_staff_only(triage_model: TriageClassifier, world: Any) -> None:
    assert api_client(world.n1).post("/api/v1/triage/classify/", {"text": "  "}, format="json").status_code == 400
    assert (
        api_client(world.client_user).post("/api/v1/triage/classify/", {"text": "x"}, format="json").status_code == 403
    )
    assert api_client().post("/api/v1/triage/classify/", {"text": "x"}, format="json").status_code == 401

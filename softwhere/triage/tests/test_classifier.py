"""Classifier sanity, calibration threshold, state/domain proposal, and the targets on the held-out split."""

from __future__ import annotations

from pathlib import Path

import pytest

from softwhere.tickets.choices import ServiceState
from softwhere.triage.services.classifier import TriageClassifier
from softwhere.triage.services.dataset import EVAL_FILE, TRAIN_FILE, catalogue_cases, evaluation_samples, read_jsonl
from softwhere.triage.services.evaluation import evaluate
from softwhere.triage.services.state import propose_state


@pytest.fixture
def classifier(session_classifier: tuple[TriageClassifier, Path]) -> TriageClassifier:
    return session_classifier[0]


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("plus de net depuis ce matin, la box clignote rouge", "incident_internet_perte_wan"),
        ("poste accueil ne sonne plus", "incident_fixe_poste_isole"),
        ("la SIM demande le PUK", "incident_mobile_sim"),
        ("tous les postes sont en non enregistré, plus aucun appel", "incident_fixe_trunk_non_enregistre"),
        ("voyant LOS rouge sur l'ONT, pas de synchro fibre", "incident_materiel_ont"),
        ("pouvez-vous ouvrir le port 443 vers notre serveur web ?", "parametrage_internet_nat"),
    ],
)
def test_issue_messages_get_their_case(classifier: TriageClassifier, text: str, case: str) -> None:
    prediction = classifier.predict(text)
    assert prediction.case == case
    assert prediction.confidence >= classifier.threshold


def test_top_three_is_ranked_and_calibrated(classifier: TriageClassifier) -> None:
    prediction = classifier.predict("internet très lent, ping à 300 ms")
    scores = [r.score for r in prediction.top]
    assert len(prediction.top) == 3 and scores == sorted(scores, reverse=True)
    assert prediction.top[0].score == prediction.confidence
    assert abs(sum(prediction.probabilities.values()) - 1) < 1e-6


def test_below_threshold_the_case_is_left_to_the_agent(classifier: TriageClassifier) -> None:
    vague = classifier.predict("Bonjour, merci de me contacter au plus vite. Cordialement")
    assert vague.confidence < classifier.threshold
    assert vague.case is None and len(vague.top) == 3
    clear = classifier.predict("la SIM demande le PUK")
    assert classifier.predict("la SIM demande le PUK", threshold=1.01).case is None
    assert classifier.predict("la SIM demande le PUK", threshold=clear.confidence).case == "incident_mobile_sim"


def test_artefact_round_trip(classifier: TriageClassifier, tmp_path: Path) -> None:
    classifier.save(tmp_path / "m.joblib")
    loaded = TriageClassifier.load(tmp_path / "m.joblib")
    assert loaded.version == classifier.version
    assert loaded.predict("la SIM demande le PUK").top == classifier.predict("la SIM demande le PUK").top


def test_data_files_cover_every_case_and_do_not_overlap() -> None:
    ids = [c["id"] for c in catalogue_cases()]
    train = read_jsonl(TRAIN_FILE, known_cases=ids)
    held_out = read_jsonl(EVAL_FILE, known_cases=ids)
    per_case = {case: sum(1 for s in train if s.case == case) for case in ids}
    assert min(per_case.values()) >= 20, per_case
    assert {s.case for s in held_out} == set(ids)
    assert min(sum(1 for s in held_out if s.case == case) for case in ids) >= 6
    normalise = lambda t: " ".join(t.lower().split())  # noqa: E731
    assert not {normalise(s.text) for s in train} & {normalise(s.text) for s in held_out}


def test_targets_on_the_held_out_split(classifier: TriageClassifier) -> None:
    report = evaluate(classifier, evaluation_samples())
    assert report["n"] >= 69 * 6
    assert report["top1"] >= 0.85, report["confusions"]
    assert report["top3"] >= 0.95
    assert set(report["per_case"]) == {c["id"] for c in catalogue_cases()}


@pytest.mark.parametrize(
    ("text", "case", "state"),
    [
        ("plus de net depuis ce matin, la box clignote rouge", "incident_internet_perte_wan", ServiceState.INTERRUPTED),
        (
            "la fibre est coupée mais on est passés sur le secours 4G",
            "incident_internet_perte_wan",
            ServiceState.BACKUP_ACTIVE,
        ),
        (
            "la fibre est coupée et la 4G de secours n'a pas pris le relais",
            "incident_internet_backup4g",
            ServiceState.INTERRUPTED,
        ),
        ("connexion très lente, ping à 300 ms", "incident_internet_debit_latence", ServiceState.DEGRADED),
        ("coupures aléatoires plusieurs fois par jour", "sav_internet_coupures", ServiceState.DEGRADED),
        ("merci d'ouvrir le port 443 vers le NAS", "parametrage_internet_nat", ServiceState.NO_DISRUPTION),
        (
            "toujours pas reçu notre commande, c'est en panne de livraison ?",
            "commande_materiel_suivi",
            ServiceState.NO_DISRUPTION,
        ),
    ],
)
def test_service_state_proposal(text: str, case: str, state: str) -> None:
    assert propose_state(text, case) == state

"""The active classifier of this process, and ``classify``: one text in, the triage JSON out.

The active ``TriageModel`` row names the artefact; it is loaded once per
process and kept in memory by version, so a retrain in another process is
picked up on the next call. With no trained model at all, the first call
trains one from the data files (a few seconds) so triage works out of the box.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import TriageModel
from .services import classifier as clf_service
from .services.classifier import Prediction, TriageClassifier
from .services.dataset import catalogue_cases
from .services.entities import extract
from .services.state import propose_state

_loaded: dict[str, TriageClassifier] = {}
_training_lock = threading.Lock()


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "triage" / "models"


def confidence_threshold() -> float:
    """Below it the case is left "à qualifier"; ``TRIAGE_CONFIDENCE_THRESHOLD`` in settings overrides it."""
    return float(getattr(settings, "TRIAGE_CONFIDENCE_THRESHOLD", clf_service.DEFAULT_THRESHOLD))


def remember(classifier: TriageClassifier) -> None:
    _loaded[classifier.version] = classifier


def forget_all() -> None:
    _loaded.clear()


def _load(row: TriageModel) -> TriageClassifier | None:
    cached = _loaded.get(row.version)
    if cached is not None:
        return cached
    path = row.artefact if row.artefact.exists() else models_dir() / row.artefact.name
    if not path.exists():
        return None
    classifier = TriageClassifier.load(path)
    remember(classifier)
    return classifier


def active_classifier() -> TriageClassifier:
    row = TriageModel.objects.filter(is_active=True).first()
    loaded = _load(row) if row is not None else None
    if loaded is not None:
        return loaded
    with _training_lock:
        row = TriageModel.objects.filter(is_active=True).first()
        loaded = _load(row) if row is not None else None
        if loaded is not None:
            return loaded
        from .actions import train_model  # actions imports this module

        return _loaded[train_model(actor=None).version]


@cache
def case_domains() -> dict[str, str]:
    return {c["id"]: c["domain"] for c in catalogue_cases()}


def propose_domain(prediction: Prediction) -> str | None:
    """The case's domain; with no case proposed, the domain gathering most probability."""
    domains = case_domains()
    if prediction.case is not None:
        return domains.get(prediction.case)
    totals: dict[str, float] = defaultdict(float)
    for case, p in prediction.probabilities.items():
        if case in domains:
            totals[domains[case]] += p
    return max(totals, key=lambda d: totals[d]) if totals else None


def classify(text: str, *, now: datetime | None = None, threshold: float | None = None) -> dict[str, Any]:
    """The JSON shared by the CLI, the API and the stored prediction."""
    classifier = active_classifier()
    limit = confidence_threshold() if threshold is None else threshold
    prediction = classifier.predict(text, threshold=limit)
    return {
        "case": prediction.case,
        "confidence": prediction.confidence,
        "top": [{"case": r.case, "score": r.score} for r in prediction.top],
        "state": propose_state(text, prediction.top[0].case),
        "domain": propose_domain(prediction),
        "threshold": limit,
        "model_version": classifier.version,
        "entities": extract(text, now=now or timezone.now()),
    }

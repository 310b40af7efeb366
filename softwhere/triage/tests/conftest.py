"""One classifier trained per test session (seconds), registered as the active model per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from softwhere.triage import engine
from softwhere.triage.models import TriageModel
from softwhere.triage.services import classifier as clf_service
from softwhere.triage.services.classifier import TriageClassifier
from softwhere.triage.services.dataset import training_samples


@pytest.fixture(scope="session")
def session_classifier(tmp_path_factory: pytest.TempPathFactory) -> tuple[TriageClassifier, Path]:
    classifier = clf_service.train(training_samples(), version="test-session")
    path = tmp_path_factory.mktemp("triage") / "test-session.joblib"
    classifier.save(path)
    return classifier, path


@pytest.fixture
def triage_dir(settings: Any, tmp_path: Path) -> Path:
    """Artefacts of models trained inside a test go to a temporary data dir."""
    settings.DATA_DIR = tmp_path
    return tmp_path / "triage" / "models"


@pytest.fixture
def triage_model(db: None, session_classifier: tuple[TriageClassifier, Path], triage_dir: Path) -> TriageClassifier:
    classifier, path = session_classifier
    TriageModel.objects.create(
        version=classifier.version, path=str(path), threshold=classifier.threshold, is_active=True
    )
    engine.remember(classifier)
    return classifier

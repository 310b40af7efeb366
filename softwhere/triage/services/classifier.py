"""The case classifier: TF-IDF on characters and words, a calibrated linear SVM.

Character n-grams (inside word boundaries) absorb typos, missing accents and
jargon spellings ("cnx", "bagote", "pon rouge"); word uni/bigrams carry the
phrases ("un seul poste", "tous les postes"). A linear SVM separates the 69
cases well on a few thousand short texts. Its margins become probabilities by
temperature scaling: one softmax temperature fitted on out-of-fold margins
(5-fold cross-validation), so the confidence shown to the agent is calibrated
on texts the SVMs did not see; predictions use the mean of the fold models. Prediction is one sparse product and a softmax
(about a millisecond); training takes a few seconds on one core.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from .dataset import Sample
from .text import for_features

#: Below this calibrated probability the top case is not proposed ("à qualifier"). Chosen on
#: out-of-fold predictions of the training file: ~85 % of requests proposed, ~88 % of those right.
DEFAULT_THRESHOLD = 0.5
TOP_K = 3
ARTEFACT_FORMAT = 1


@dataclass(frozen=True)
class Ranked:
    case: str
    score: float


@dataclass(frozen=True)
class Prediction:
    case: str | None
    confidence: float
    top: tuple[Ranked, ...]
    #: full probability per case, for the domain vote when no case is proposed
    probabilities: dict[str, float] = field(repr=False, compare=False)


class TemperatureScaledSVC(ClassifierMixin, BaseEstimator):
    """LinearSVC whose margins are turned into probabilities by softmax(margin / T).

    T minimises the log-loss of out-of-fold margins. Compared with one sigmoid per
    class and per fold (scikit-learn's CalibratedClassifierCV), this keeps the
    probabilities summing to one and costs nothing at prediction time.
    """

    def __init__(self, C: float = 0.5, folds: int = 5, seed: int = 0) -> None:
        self.C = C
        self.folds = folds
        self.seed = seed

    def _svc(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight="balanced", random_state=self.seed)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> TemperatureScaledSVC:
        y = np.asarray(y)
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.classes_ = np.unique(y)
        index = {c: i for i, c in enumerate(self.classes_)}
        target = np.array([index[c] for c in y])
        margins = np.zeros((len(y), len(self.classes_)))
        folds = StratifiedKFold(n_splits=self.folds, shuffle=True, random_state=self.seed)
        coefs, intercepts = [], []
        for train_idx, test_idx in folds.split(np.zeros(len(y)), y):
            svc = self._svc().fit(X[train_idx], y[train_idx], sample_weight=weights[train_idx])
            if list(svc.classes_) != list(self.classes_):
                raise ValueError("every case needs samples in every fold")
            margins[test_idx] = svc.decision_function(X[test_idx])
            coefs.append(svc.coef_)
            intercepts.append(svc.intercept_)

        def loss(log_t: float) -> float:
            logp = log_softmax(margins / np.exp(log_t), axis=1)
            return float(-(weights * logp[np.arange(len(y)), target]).sum() / weights.sum())

        self.temperature_ = float(np.exp(minimize_scalar(loss, bounds=(-6.0, 3.0), method="bounded").x))
        # Predict with the mean of the fold models, the very margins the temperature was fitted on
        # (a model refitted on everything has wider margins and would be overconfident).
        # Stored feature-major and contiguous: a sparse row times it reads only the rows of its n-grams.
        self.coef_t_ = np.ascontiguousarray(np.mean(coefs, axis=0).T)
        self.intercept_ = np.mean(intercepts, axis=0)
        return self

    def decision_function(self, X: Any) -> Any:
        return np.asarray(X @ self.coef_t_) + self.intercept_

    def predict_proba(self, X: Any) -> Any:
        return softmax(self.decision_function(X) / self.temperature_, axis=1)

    def predict(self, X: Any) -> Any:
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]


def build_pipeline(seed: int = 0) -> Pipeline:
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), preprocessor=for_features, sublinear_tf=True, min_df=1
    )
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        preprocessor=for_features,
        token_pattern=r"(?u)\b\w+\b",
        sublinear_tf=True,
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("chars", chars), ("words", words)])),
            ("model", TemperatureScaledSVC(C=0.5, folds=5, seed=seed)),
        ]
    )


def fingerprint(samples: Sequence[Sample]) -> str:
    digest = hashlib.sha256()
    for s in samples:
        digest.update(f"{s.case}\t{s.weight}\t{s.text}\n".encode())
    return digest.hexdigest()


class TriageClassifier:
    """A trained pipeline plus what is needed to explain it (version, threshold, training facts)."""

    def __init__(self, pipeline: Pipeline, *, version: str, threshold: float, info: dict[str, Any]) -> None:
        self.pipeline = pipeline
        self.version = version
        self.threshold = threshold
        self.info = info
        self.classes: list[str] = [str(c) for c in pipeline.classes_]

    def predict(self, text: str, *, threshold: float | None = None) -> Prediction:
        return self.predict_many([text], threshold=threshold)[0]

    def predict_many(self, texts: Sequence[str], *, threshold: float | None = None) -> list[Prediction]:
        limit = self.threshold if threshold is None else threshold
        probabilities = self.pipeline.predict_proba(list(texts))
        out: list[Prediction] = []
        for row in probabilities:
            order = np.argsort(row)[::-1][:TOP_K]
            top = tuple(Ranked(self.classes[i], round(float(row[i]), 4)) for i in order)
            best = top[0]
            out.append(
                Prediction(
                    case=best.case if best.score >= limit else None,
                    confidence=best.score,
                    top=top,
                    probabilities={c: float(p) for c, p in zip(self.classes, row, strict=True)},
                )
            )
        return out

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": ARTEFACT_FORMAT,
            "pipeline": self.pipeline,
            "version": self.version,
            "threshold": self.threshold,
            "info": self.info,
        }
        tmp = path.with_suffix(".tmp")
        joblib.dump(payload, tmp, compress=3)
        tmp.replace(path)  # readers never see a half-written artefact

    @classmethod
    def load(cls, path: Path) -> TriageClassifier:
        payload = joblib.load(path)
        if payload.get("format") != ARTEFACT_FORMAT:
            raise ValueError(f"unsupported triage artefact format in {path}")
        return cls(
            payload["pipeline"], version=payload["version"], threshold=payload["threshold"], info=payload["info"]
        )


def train(
    samples: Sequence[Sample],
    *,
    version: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 0,
) -> TriageClassifier:
    """Fit on ``samples`` (weights honoured: agents' corrections count more than one line)."""
    if len({s.case for s in samples}) < 2:
        raise ValueError("at least two cases are needed to train")
    started = time.perf_counter()
    pipeline = build_pipeline(seed)
    texts = [s.text for s in samples]
    labels = [s.case for s in samples]
    weights = np.array([s.weight for s in samples], dtype=float)
    pipeline.fit(texts, labels, model__sample_weight=weights)
    seconds = time.perf_counter() - started
    data_hash = fingerprint(samples)
    info = {
        "samples": len(samples),
        "cases": len(set(labels)),
        "sources": {src: sum(1 for s in samples if s.source == src) for src in sorted({s.source for s in samples})},
        "data_sha256": data_hash,
        "training_seconds": round(seconds, 3),
        "temperature": round(float(pipeline.named_steps["model"].temperature_), 4),
    }
    return TriageClassifier(pipeline, version=version or data_hash[:12], threshold=threshold, info=info)

"""Top-1 / top-3 accuracy and per-case recall of a classifier on labelled samples."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .classifier import TriageClassifier
from .dataset import Sample


def evaluate(classifier: TriageClassifier, samples: Sequence[Sample]) -> dict[str, Any]:
    """Ranking quality ignores the threshold; ``proposed`` counts answers above it and their precision."""
    if not samples:
        return {"n": 0, "top1": 0.0, "top3": 0.0, "per_case": {}}
    predictions = classifier.predict_many([s.text for s in samples])
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    top1 = top3 = proposed = proposed_right = 0
    confusions: dict[tuple[str, str], int] = defaultdict(int)
    for sample, prediction in zip(samples, predictions, strict=True):
        ranked = [r.case for r in prediction.top]
        first = ranked[0] == sample.case
        third = sample.case in ranked
        top1 += first
        top3 += third
        counts = hits[sample.case]
        counts[0] += 1
        counts[1] += first
        counts[2] += third
        if prediction.case is not None:
            proposed += 1
            proposed_right += prediction.case == sample.case
        if not first:
            confusions[(sample.case, ranked[0])] += 1
    n = len(samples)
    return {
        "n": n,
        "top1": round(top1 / n, 4),
        "top3": round(top3 / n, 4),
        "threshold": classifier.threshold,
        "proposed": round(proposed / n, 4),
        "proposed_precision": round(proposed_right / proposed, 4) if proposed else None,
        "model_version": classifier.version,
        "per_case": {
            case: {"n": c[0], "recall": round(c[1] / c[0], 4), "recall_top3": round(c[2] / c[0], 4)}
            for case, c in sorted(hits.items())
        },
        "confusions": [
            {"case": case, "predicted": predicted, "count": count}
            for (case, predicted), count in sorted(confusions.items(), key=lambda kv: -kv[1])[:20]
        ],
    }

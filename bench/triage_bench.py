"""Triage benchmark: train from the data files, evaluate on the held-out split, time it on one core.

Run: ``.venv/bin/python bench/triage_bench.py [--runs N] [--json-only]``. Prints a JSON
document then a short table: top-1, top-3, training time, and per-message
latency (median and p95) of the full triage (classifier + state + fact
extraction), measured message by message with BLAS/OpenMP limited to one thread.
No database is needed: this exercises the pure services only.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, before numpy is imported
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softwhere.settings")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from softwhere.triage.services import classifier as clf_service  # noqa: E402
from softwhere.triage.services.dataset import evaluation_samples, training_samples  # noqa: E402
from softwhere.triage.services.entities import extract  # noqa: E402
from softwhere.triage.services.evaluation import evaluate  # noqa: E402
from softwhere.triage.services.state import propose_state  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="Passes over the evaluation split for latency.")
    parser.add_argument("--json-only", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    samples = training_samples()
    started = time.perf_counter()
    classifier = clf_service.train(samples, version="bench")
    training_seconds = time.perf_counter() - started

    held_out = evaluation_samples()
    report = evaluate(classifier, held_out)

    now = datetime.now(tz=UTC)
    latencies: list[float] = []
    classifier.predict(held_out[0].text)  # warm-up
    for _ in range(args.runs):
        for sample in held_out:
            t0 = time.perf_counter()
            prediction = classifier.predict(sample.text)
            propose_state(sample.text, prediction.top[0].case)
            extract(sample.text, now=now)
            latencies.append((time.perf_counter() - t0) * 1000)

    result = {
        "n_train": len(samples),
        "n_eval": report["n"],
        "cases": len({s.case for s in held_out}),
        "top1": report["top1"],
        "top3": report["top3"],
        "threshold": classifier.threshold,
        "proposed": report["proposed"],
        "proposed_precision": report["proposed_precision"],
        "training_seconds": round(training_seconds, 2),
        "latency_ms_median": round(statistics.median(latencies), 3),
        "latency_ms_p95": round(percentile(latencies, 0.95), 3),
        "latency_messages": len(latencies),
        "weakest_cases": sorted(
            ({"case": c, "recall": v["recall"]} for c, v in report["per_case"].items()), key=lambda x: x["recall"]
        )[:5],
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if not args.json_only:
        rows = [
            ("top-1 (held-out split)", f"{result['top1']:.3f}"),
            ("top-3 (held-out split)", f"{result['top3']:.3f}"),
            (
                f"proposed ≥ {result['threshold']} / precision",
                f"{result['proposed']:.3f} / {result['proposed_precision']}",
            ),
            ("training time", f"{result['training_seconds']:.2f} s ({result['n_train']} samples)"),
            (
                "latency median / p95",
                f"{result['latency_ms_median']:.2f} / {result['latency_ms_p95']:.2f} ms per message",
            ),
        ]
        width = max(len(k) for k, _ in rows)
        print()
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

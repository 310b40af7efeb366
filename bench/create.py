"""Tickets created per second through the REST API, with several concurrent clients.

    SOFTWHERE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/softwhere_bench \
        .venv/bin/python bench/create.py [--clients 8] [--seconds 20] [--workers 2]

Starts ``softwhere serve`` (or uses ``--url``), then ``--clients`` threads POST
``/api/v1/tickets/`` in a loop for ``--seconds`` (each with a site, its access and a
reporter of a generated company, so the whole create path runs: validation, reference
sequence, timeline, SLA clocks, search trigger). Prints JSON then a table: tickets/s
sustained, p50/p95/p99 latency, errors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softwhere.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

import httpx  # noqa: E402
from grid import _credentials, _percentile, _start_server  # noqa: E402

from softwhere.customers.models import Site  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    sites = list(
        Site.objects.filter(services__kind="access", organisation__contacts__isnull=False).values(
            "id", "organisation_id", "services__id", "organisation__contacts__id"
        )[:500]
    )
    if not sites:
        raise SystemExit("No generated company: run `softwhere demo generate` first.")
    _session, token = _credentials()
    proc, url = (None, args.url) if args.url else _start_server(args.workers)
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + args.seconds

    def client(n: int) -> None:
        rnd = random.Random(n)
        with httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=60) as http:
            while time.perf_counter() < deadline:
                s = rnd.choice(sites)
                body = {
                    "organisation": s["organisation_id"],
                    "site": s["id"],
                    "services": [s["services__id"]],
                    "reporter": s["organisation__contacts__id"],
                    "subject": "Coupure fibre – test de charge",
                    "description": "Plus de synchro, voyant PON rouge depuis ce matin.",
                    "service_state": "interrompu",
                    "priority": rnd.choice([1, 2, 3, 4]),
                    "channel": "phone",
                }
                start = time.perf_counter()
                response = http.post("/api/v1/tickets/", json=body)
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    if response.status_code == 201:
                        latencies.append(elapsed)
                    else:
                        errors.append(response.status_code)

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        duration = time.perf_counter() - started
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
    doc = {
        "clients": args.clients,
        "workers": args.workers,
        "seconds": round(duration, 1),
        "created": len(latencies),
        "tickets_per_second": round(len(latencies) / duration, 1),
        "errors": len(errors),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(_percentile(latencies, 95), 1) if latencies else None,
        "p99_ms": round(_percentile(latencies, 99), 1) if latencies else None,
    }
    print(json.dumps(doc, indent=1))
    print(f"\n{'clients':>8} {'tickets/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'erreurs':>8}")
    print(
        f"{args.clients:>8} {doc['tickets_per_second']:>10} {doc['p50_ms']:>8} {doc['p95_ms']:>8} "
        f"{doc['p99_ms']:>8} {len(errors):>8}"
    )


if __name__ == "__main__":
    main()

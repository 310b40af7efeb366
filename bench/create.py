"""Tickets created per second through the REST API, with several concurrent clients.

    SOFTWHERE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/softwhere_bench \
        .venv/bin/python bench/create.py [--clients 8] [--seconds 20] [--workers 2] \
        [--events worker|inline] [--job-workers 1]

Starts ``softwhere serve`` (or uses ``--url``), then ``--clients`` threads POST
``/api/v1/tickets/`` in a loop for ``--seconds`` (each with a site, its access and a
reporter of a generated company, so the whole create path runs: validation, reference
sequence, timeline, search trigger, and the other apps' reactions: SLA clocks,
acknowledgement mail, TMF621 notifications).

``--events`` sets ``SOFTWHERE_TICKET_EVENTS`` on the server. ``inline``: the reactions
run in the request, after its commit. ``worker`` (default, the high-rate production
setting): the request writes the event to the outbox and ``--job-workers`` processes of
``softwhere worker`` (started here, on the same cores) apply the reactions. The script
then waits until the outbox is empty and reports how long that took after the load
stopped, so reactions left behind are measured, not hidden.

Prints JSON then a table: tickets/s sustained, p50/p95/p99 latency, errors, and in
worker mode the outbox drain and the rate with every reaction applied (created tickets
over load plus drain time). ``SOFTWHERE_JOBS_CLAIM_BATCH`` in the environment sets the
job workers' claim batch (1 = one job per claim, as before batching).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softwhere.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()
# One INFO line per POST from httpx would bury the results (and cost the load generator CPU).
logging.getLogger("httpx").setLevel(logging.WARNING)

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from grid import ROOT, _credentials, _percentile, _start_server, server_env  # noqa: E402

from softwhere.customers.models import Site  # noqa: E402
from softwhere.jobs.choices import JobStatus  # noqa: E402
from softwhere.jobs.models import ScheduledJob  # noqa: E402
from softwhere.tickets import events  # noqa: E402


def _pending_events() -> int:
    return ScheduledJob.objects.filter(kind=events.JOB_EVENT, status__in=[JobStatus.PENDING, JobStatus.RUNNING]).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (more than 1: gthread, keep-alive)"
    )
    parser.add_argument("--url", default="")
    parser.add_argument("--events", choices=events.MODES, default=events.WORKER)
    parser.add_argument("--job-workers", type=int, default=1)
    parser.add_argument("--drain-timeout", type=float, default=600)
    args = parser.parse_args()
    sites = list(
        Site.objects.filter(services__kind="access", organisation__contacts__isnull=False).values(
            "id", "organisation_id", "services__id", "organisation__contacts__id"
        )[:500]
    )
    if not sites:
        raise SystemExit("No generated company: run `softwhere demo generate` first.")
    _session, token = _credentials()
    env = server_env(SOFTWHERE_TICKET_EVENTS=args.events)
    backlog_before = _pending_events()
    proc, url = (None, args.url) if args.url else _start_server(args.workers, env, args.threads)
    job_workers = [
        subprocess.Popen(
            [str(ROOT / ".venv/bin/softwhere"), "worker", "--poll-interval", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(args.job_workers if args.events == events.WORKER else 0)
    ]
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
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        duration = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        backlog_at_end = _pending_events()
        drain_deadline = time.perf_counter() + args.drain_timeout
        while job_workers and _pending_events() > backlog_before and time.perf_counter() < drain_deadline:
            time.sleep(0.2)
        drain = time.perf_counter() - started - duration
        backlog_left = _pending_events() - backlog_before
    finally:
        for p in [proc, *job_workers]:
            if p is not None:
                p.terminate()
                p.wait(10)
    doc = {
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "seconds": round(duration, 1),
        "created": len(latencies),
        "tickets_per_second": round(len(latencies) / duration, 1),
        "errors": len(errors),
        "events": args.events,
        "job_workers": len(job_workers),
        # Worker mode: events still in the outbox when the load stopped, and the time to apply them.
        "outbox_at_end": backlog_at_end - backlog_before,
        "outbox_drain_seconds": round(drain, 1) if job_workers else None,
        "outbox_left": backlog_left,
        # Every created ticket with its reactions applied (SLA clocks, acknowledgement, notifications):
        # created / (load + drain). What the desk sustains for as long as the load lasts.
        "applied_tickets_per_second": round(len(latencies) / (duration + drain), 1) if job_workers else None,
        "claim_batch": settings.JOBS_CLAIM_BATCH,
        # CPU the load generator itself took from the shared cores, per created ticket.
        "client_cpu_ms_per_ticket": round(client_cpu * 1000 / len(latencies), 2) if latencies else None,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(_percentile(latencies, 95), 1) if latencies else None,
        "p99_ms": round(_percentile(latencies, 99), 1) if latencies else None,
    }
    print(json.dumps(doc, indent=1))
    print(
        f"\n{'événements':>10} {'clients':>8} {'tickets/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'erreurs':>8} {'file fin':>9} {'vidée en s':>10} {'appliqués/s':>11}"
    )
    print(
        f"{args.events:>10} {args.clients:>8} {doc['tickets_per_second']:>10} {doc['p50_ms']:>8} {doc['p95_ms']:>8} "
        f"{doc['p99_ms']:>8} {len(errors):>8} {doc['outbox_at_end']:>9} {str(doc['outbox_drain_seconds']):>10}"
        f" {str(doc['applied_tickets_per_second']):>11}"
    )


if __name__ == "__main__":
    main()

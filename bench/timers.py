"""10 000 follow-up timers falling due at once, executed by real ``softwhere worker`` processes.

    .venv/bin/python bench/timers.py [--timers 10000] [--workers 2] \
        [--server postgres://postgres@127.0.0.1:5432/postgres] [--database softwhere_timers] [--keep]

Creates a scratch PostgreSQL database (``--database``, refused if it already exists),
migrates it, starts ``--workers`` ``softwhere worker`` processes and waits until they
poll. Then schedules ``--timers`` jobs through ``softwhere.jobs.actions.schedule``
(with a dedupe key, as the follow-ups do) in one transaction, all due at the same
instant: at commit they all fall due at once. The handler (``bench/timer_handlers.py``)
writes one AuditEntry row per execution in the worker's transaction.

Measures the time from the commit to the last ``done_at`` and checks, from the
database: every job ``done`` after one attempt, exactly one effect row per job (none
ran twice, none lost), no effect without a job. Prints JSON then a short table; exits 1
when a check fails or the timers were not all executed within ``--timeout`` seconds.
The scratch database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
SOFTWHERE = str(ROOT / ".venv/bin/softwhere")
HANDLERS = "timer_handlers"
TARGET_SECONDS = 60


def _url(server: str, database: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{database}"))


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)


def _wait_started(logs: list[Path], timeout: float = 120) -> None:
    """A worker prints « Worker <id> : types … » once Django is loaded and it starts polling."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all("Worker " in log.read_text(errors="replace") for log in logs):
            return
        time.sleep(0.2)
    raise SystemExit("the workers did not start: " + " | ".join(log.read_text()[-500:] for log in logs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--poll-interval", type=float, default=1.0, help="worker poll interval (its default: 1 s)")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="softwhere_timers")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    url = _url(args.server, args.database)
    _admin(args.server, f'CREATE DATABASE "{args.database}"')
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "softwhere.settings",
        "SOFTWHERE_DATABASE_URL": url,
        "SOFTWHERE_DEBUG": "0",
        "SOFTWHERE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(p for p in (str(BENCH), os.environ.get("PYTHONPATH", "")) if p),
    }
    workers: list[subprocess.Popen[bytes]] = []
    logdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"softwhere-timers-{os.getpid()}"
    logdir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([SOFTWHERE, "migrate", "--skip-checks", "-v0"], env=env, check=True, timeout=600)
        os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SOFTWHERE_DATABASE_URL", "SOFTWHERE_DEBUG")})
        sys.path.insert(0, str(ROOT))
        sys.path.insert(0, str(BENCH))
        import django

        django.setup()
        from django.db import connection, transaction
        from django.utils import timezone
        from timer_handlers import KIND

        from softwhere.jobs.actions import schedule

        logs = [logdir / f"w{i}.log" for i in range(args.workers)]
        for i, log in enumerate(logs):
            workers.append(
                subprocess.Popen(
                    [SOFTWHERE, "worker", "--import", HANDLERS, "--worker-id", f"w{i}"]
                    + ["--poll-interval", str(args.poll_interval)],
                    env=env,
                    stdout=log.open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )
        _wait_started(logs)

        started = time.perf_counter()
        with transaction.atomic():
            due = timezone.now()
            for i in range(args.timers):
                schedule(KIND, due, {"ticket": i}, dedupe_key=f"{KIND}:{i}")
        committed = timezone.now()
        schedule_seconds = time.perf_counter() - started

        def count_done() -> int:
            with connection.cursor() as cur:
                cur.execute("SELECT COUNT(*) FROM jobs_scheduledjob WHERE status = 'done'")
                return int(cur.fetchone()[0])

        deadline = time.perf_counter() + args.timeout
        while count_done() < args.timers and time.perf_counter() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # let a (faulty) second execution show up before checking
        for w in workers:
            w.send_signal(signal.SIGTERM)
        exit_codes = [w.wait(timeout=60) for w in workers]

        with connection.cursor() as cur:
            cur.execute("SELECT status, COUNT(*) FROM jobs_scheduledjob GROUP BY status")
            statuses = {s: n for s, n in cur.fetchall()}
            cur.execute("SELECT attempts, COUNT(*) FROM jobs_scheduledjob GROUP BY attempts")
            attempts = {str(a): n for a, n in cur.fetchall()}
            cur.execute("SELECT locked_by, COUNT(*) FROM jobs_scheduledjob GROUP BY locked_by ORDER BY locked_by")
            per_worker = {w: n for w, n in cur.fetchall()}
            cur.execute(
                "SELECT MIN(done_at), MAX(done_at) FROM jobs_scheduledjob WHERE status = 'done'",
            )
            first_done, last_done = cur.fetchone()
            cur.execute(
                """
                SELECT
                  COUNT(*) FILTER (WHERE e.n IS NULL),
                  COUNT(*) FILTER (WHERE e.n > 1),
                  COALESCE(SUM(e.n), 0)
                FROM jobs_scheduledjob j
                LEFT JOIN (
                  SELECT object_id, COUNT(*) AS n FROM core_auditentry WHERE action = %s GROUP BY object_id
                ) e ON e.object_id = j.id::text
                """,
                [KIND],
            )
            lost, twice, effects = (int(v) for v in cur.fetchone())
            cur.execute("SELECT COUNT(*) FROM core_auditentry WHERE action = %s", [KIND])
            all_effects = cur.fetchone()[0]
        connection.close()
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
        if not args.keep:
            _admin(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    done = statuses.get("done", 0)
    all_seconds = (last_done - committed).total_seconds() if last_done else None
    doc = {
        "timers": args.timers,
        "workers": args.workers,
        "poll_interval_s": args.poll_interval,
        "schedule_seconds": round(schedule_seconds, 1),
        "first_done_after_s": round((first_done - committed).total_seconds(), 2) if first_done else None,
        "all_done_after_s": round(all_seconds, 1) if all_seconds is not None else None,
        "timers_per_second": round(done / all_seconds, 1) if all_seconds else None,
        "statuses": statuses,
        "attempts": attempts,
        "per_worker": per_worker,
        "executed_twice": twice,
        "lost": lost + (args.timers - sum(statuses.values())),
        "effects": effects,
        "orphan_effects": all_effects - effects,
        "worker_exit_codes": exit_codes,
        "target_s": TARGET_SECONDS,
    }
    ok = (
        done == args.timers
        and twice == 0
        and doc["lost"] == 0
        and doc["orphan_effects"] == 0
        and attempts == {"1": args.timers}
        and all_seconds is not None
        and all_seconds <= TARGET_SECONDS
    )
    doc["ok"] = ok
    print(json.dumps(doc, indent=1))
    print(f"\n{'minuteurs':>10} {'workers':>8} {'tous exécutés':>14} {'par s':>8} {'en double':>10} {'perdus':>7}")
    print(
        f"{args.timers:>10} {args.workers:>8} {str(doc['all_done_after_s']) + ' s':>14} "
        f"{doc['timers_per_second']!s:>8} {twice:>10} {doc['lost']:>7}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

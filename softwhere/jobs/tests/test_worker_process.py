"""The worker as a real process on a real database file/server: kill -9, restart, SIGTERM, two workers.

Each test gets its own freshly migrated database (a SQLite file, or a new PostgreSQL
database when SOFTWHERE_DATABASE_URL points at PostgreSQL), shared by the test and the
worker processes. Effects are AuditEntry rows written by ``probe_handlers.probe``,
one per execution: "exactly once" means one row per job.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from .probe_handlers import PROBE

BASE_URL = os.environ.get("SOFTWHERE_DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith(("postgres://", "postgresql://"))
SOFTWHERE = str(Path(sys.executable).with_name("softwhere"))
HANDLERS = "softwhere.jobs.tests.probe_handlers"


@dataclass
class Db:
    url: str
    env: dict[str, str]
    logs: Path

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(urlsplit(self.url).path, timeout=20) as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql).fetchall()

    def django(self, code: str) -> Any:
        """Run ``code`` in a fresh Django process on this database; it must print one JSON line."""
        script = f"import json, django\ndjango.setup()\nimport {HANDLERS}\n{code}"
        out = subprocess.run(
            [sys.executable, "-c", script], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])

    def schedule(self, count: int, *, in_seconds: float = 0, **payload: Any) -> list[int]:
        return list(
            self.django(
                "from datetime import timedelta\n"
                "from django.utils import timezone\n"
                "from softwhere.jobs.actions import schedule\n"
                f"due = timezone.now() + timedelta(seconds={in_seconds})\n"
                f"print(json.dumps([schedule({PROBE!r}, due, {payload!r}).pk for _ in range({count})]))"
            )
        )

    def jobs(self) -> dict[int, tuple[str, int, str]]:
        rows = self.query("SELECT id, status, attempts, locked_by FROM jobs_scheduledjob")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def effects(self) -> dict[int, int]:
        rows = self.query(
            f"SELECT object_id, COUNT(*) FROM core_auditentry WHERE action = '{PROBE}' GROUP BY object_id"
        )
        return {int(r[0]): r[1] for r in rows}

    def worker(self, *args: str, name: str = "worker") -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}-{time.monotonic_ns()}.log").open("wb")
        return subprocess.Popen(
            [SOFTWHERE, "worker", "--import", HANDLERS, "--poll-interval", "0.2", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def worker_once(self, *args: str) -> str:
        out = subprocess.run(
            [SOFTWHERE, "worker", "--once", "--import", HANDLERS, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout


def wait_for(condition: Callable[[], bool], timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def kill9(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Db]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "softwhere.settings", "SOFTWHERE_LOG_LEVEL": "INFO"}
    if ON_POSTGRES:
        import psycopg

        name = f"softwhere_jobs_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(BASE_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(BASE_URL)._replace(path=f"/{name}"))
    else:
        url = f"sqlite:///{tmp_path}/worker.sqlite3"
    env["SOFTWHERE_DATABASE_URL"] = url
    subprocess.run([SOFTWHERE, "migrate", "--skip-checks", "-v0"], env=env, check=True, timeout=300)
    yield Db(url, env, tmp_path)
    if ON_POSTGRES:
        with psycopg.connect(BASE_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def assert_each_ran_once(db: Db, job_ids: list[int]) -> None:
    jobs, effects = db.jobs(), db.effects()
    assert {j: jobs[j][0] for j in job_ids} == dict.fromkeys(job_ids, "done")
    assert {j: effects.get(j, 0) for j in job_ids} == dict.fromkeys(job_ids, 1)


def test_killed_between_scheduling_and_execution(db: Db) -> None:
    job_ids = db.schedule(8, in_seconds=4)
    worker = db.worker()
    time.sleep(1.5)  # the worker is polling; nothing is due yet
    kill9(worker)
    assert db.effects() == {}
    assert {s for s, _, _ in db.jobs().values()} == {"pending"}
    wait_for(
        lambda: db.query("SELECT COUNT(*) FROM jobs_scheduledjob WHERE due_at > CURRENT_TIMESTAMP")[0][0] == 0,
        what="jobs to be due",
    )
    time.sleep(0.5)
    assert db.worker_once().startswith("8 ")
    assert_each_ran_once(db, job_ids)
    assert db.worker_once().startswith("0 ")  # a second run finds nothing left


def test_killed_while_holding_a_job_and_in_the_middle_of_a_batch(db: Db) -> None:
    held = db.schedule(1, sleep=60)  # blocks its first attempt: the worker is killed holding it
    batch = db.schedule(12, in_seconds=0.5, sleep=0.1)
    worker = db.worker("--lease", "4")
    wait_for(lambda: db.jobs()[held[0]][0] == "running", what="the held job to be claimed")
    time.sleep(0.5)
    kill9(worker)
    status, attempts, _ = db.jobs()[held[0]]
    assert (status, attempts) == ("running", 1)
    assert held[0] not in db.effects()  # its transaction died with the process

    worker = db.worker("--lease", "4")  # the restarted worker leaves the held job alone while its lease runs
    wait_for(lambda: len(db.effects()) >= 4, what="part of the batch")
    kill9(worker)  # killed again, somewhere in the middle of the batch
    assert all(count == 1 for count in db.effects().values())

    time.sleep(4.5)  # every lease taken by the killed workers has expired
    db.worker_once()
    assert_each_ran_once(db, held + batch)
    assert db.jobs()[held[0]][1] == 2  # the held job ran on its second attempt


def test_sigterm_finishes_the_current_job_then_exits(db: Db) -> None:
    job_ids = db.schedule(1, sleep=2)
    worker = db.worker()
    wait_for(lambda: db.jobs()[job_ids[0]][0] == "running", what="the job to start")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
    assert_each_ran_once(db, job_ids)


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent workers need PostgreSQL (SKIP LOCKED)")
def test_two_workers_never_run_a_job_twice(db: Db) -> None:
    job_ids = db.schedule(40, in_seconds=3, sleep=0.05)
    workers = [db.worker("--worker-id", f"w{i}", name=f"w{i}") for i in (1, 2)]
    try:
        wait_for(lambda: len(db.effects()) == 40, timeout=90, what="all jobs")
        time.sleep(0.5)
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            assert w.wait(timeout=30) == 0
    assert_each_ran_once(db, job_ids)
    assert {locked_by for _, _, locked_by in db.jobs().values()} == {"w1", "w2"}  # both took a share

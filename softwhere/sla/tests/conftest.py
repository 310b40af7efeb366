"""Helpers for SLA tests: run ticket actions with their after-commit events, and the worker in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from softwhere.jobs.worker import Worker

PARIS = ZoneInfo("Europe/Paris")


def paris(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed(): action(...)`` — the block's on-commit callbacks (ticket events) run at its end,
    as they would after a real commit (pytest-django wraps each test in a transaction that never commits)."""

    @contextmanager
    def block() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


@pytest.fixture
def run_worker(committed: Callable[[], AbstractContextManager[Any]]) -> Callable[[], int]:
    """Run every due job once, in this process, as ``softwhere worker --once`` would."""

    def run() -> int:
        with committed():
            return Worker(worker_id="test-worker").run_pending()

    return run

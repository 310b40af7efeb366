"""Request-level middleware of the desk."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse


class _QueryTimer:
    """``connection.execute_wrapper`` that adds up the time spent in the database and counts the statements."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class ServerTimingMiddleware:
    """``Server-Timing`` response header: time spent in Django (``app``) and in the database (``db``).

    The benchmarks report the server's own time from it, apart from the loopback round
    trip and the load generator sharing the cores; browsers show it in their developer
    tools. Off unless ``SERVER_TIMING`` (``SOFTWHERE_SERVER_TIMING=1``): durations help
    whoever probes the server for timing differences, so production leaves it off.
    Placed first in ``MIDDLEWARE`` so that ``app`` covers the other middleware too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(getattr(settings, "SERVER_TIMING", False))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        timer = _QueryTimer()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(timer):
            response = self.get_response(request)
        app_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = (
            f'app;dur={app_ms:.1f}, db;dur={timer.seconds * 1000:.1f};desc="{timer.count} queries"'
        )
        return response

"""Server-Timing header: off by default, app and database time when enabled."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_no_server_timing_by_default(world):
    c = Client()
    c.force_login(world.n1)
    assert "Server-Timing" not in c.get("/tickets/").headers


@override_settings(SERVER_TIMING=True)
def test_server_timing_reports_app_and_database_time(world):
    c = Client()
    c.force_login(world.n1)
    c.get("/tickets/")  # warm the session
    with CaptureQueriesContext(connection) as captured:
        header = c.get("/tickets/").headers["Server-Timing"]
    found = re.fullmatch(r'app;dur=([0-9.]+), db;dur=([0-9.]+);desc="(\d+) queries"', header)
    assert found, header
    app, db, queries = float(found[1]), float(found[2]), int(found[3])
    assert queries == len(captured.captured_queries) > 0
    assert 0 < db <= app
    # A page that reads nothing from the database reports no database time.
    header = Client().get("/connexion/").headers["Server-Timing"]
    assert header.endswith('db;dur=0.0;desc="0 queries"'), header

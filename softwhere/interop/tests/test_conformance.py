"""Conformance of our TMF621 endpoints to the published specifications, with schemathesis (bounded runs).

The official TM Forum TMF621 v5.0.1 (OpenAPI 3) and v4.0.0 (Swagger 2.0) documents and the
Interop'Fibre profile are read from ``shared/specs`` (beside the repository, as in CI). Each operation is exercised in-process
through the WSGI application, with generated valid and invalid requests; the responses must
have a documented status code, content type, headers and body schema, and never be a 5xx.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from softwhere.accounts.models import ApiToken
from softwhere.interop.choices import Protocol

from .conftest import make_loop

SPECS = Path(os.environ.get("SOFTWHERE_SPECS_DIR", Path(__file__).resolve().parents[3] / ".." / "shared" / "specs"))
V5_SPEC = SPECS / "TMF621-Trouble_Ticket-v5.0.1.oas.yaml"
V4_SPEC = SPECS / "TMF621-TroubleTicket-v4.0.0.swagger.json"
INTEROP_SPEC = SPECS / "interop-fibre" / "ticketing" / "swagger.yaml"
if not (V5_SPEC.is_file() and V4_SPEC.is_file() and INTEROP_SPEC.is_file()):
    pytest.skip(f"specifications not found in {SPECS}", allow_module_level=True)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
BOUNDED = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def APP(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Django's WSGI handler without closing the test's database connection after each request.

    Like Django's test client: the request signals would close the connection that holds the
    test transaction (PostgreSQL), so they are detached around the call.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = _HANDLER(environ, start_response)
        try:
            return list(response)
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


_HANDLER = WSGIHandler()


# Request bodies only: these optional, deeply nested attributes (characteristics, attachments, specification
# refs, and relatedParty whose oneOf PartyRef/PartyRoleRef no value can satisfy) make Hypothesis spend
# seconds per example while our API ignores or refuses them. Response schemas are left untouched.
HEAVY_REQUEST_ATTRIBUTES = (
    "attachment",
    "troubleTicketCharacteristic",
    "troubleTicketSpecification",
    "troubleTicketRelationship",
    "relatedParty",
    "channel",
)


def _load(path: Path, base: str) -> dict[str, Any]:
    spec = copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))  # JSON is YAML too
    if "swagger" in spec:  # Swagger 2.0 (v4): base path, request bodies as plain definitions
        spec["basePath"] = base
        request_bodies = [spec["definitions"][name] for name in ("TroubleTicket_Create", "TroubleTicket_Update")]
    else:
        spec["servers"] = [{"url": base}]
        schemas = spec["components"]["schemas"]
        request_bodies = [
            p for n in ("TroubleTicket_FVO", "TroubleTicket_MVO") for p in schemas.get(n, {}).get("allOf", [])
        ]
    for body in request_bodies:
        for attribute in HEAVY_REQUEST_ATTRIBUTES:
            body.get("properties", {}).pop(attribute, None)
    return spec


v5 = schemathesis.openapi.from_dict(_load(V5_SPEC, "/tmf-api/troubleTicket/v5")).include(
    path_regex=r"^/(troubleTicket|hub)(/\{id\})?$"
)
v4 = schemathesis.openapi.from_dict(_load(V4_SPEC, "/tmf-api/troubleTicket/v4")).include(
    path_regex=r"^/(troubleTicket|hub)(/\{id\})?$"  # not the listener/* paths: the subscriber implements those
)
interop = schemathesis.openapi.from_dict(_load(INTEROP_SPEC, "/tmf-api/interop/troubleTicket/v1"))


@pytest.fixture
def ticket_token(world: Any) -> str:
    """A client's token, its company having one ticket already (used by the v5 and v4 runs)."""
    from softwhere.tickets import actions as ticket_actions

    ticket_actions.create_ticket(actor=world.n1, organisation=world.acme, subject="Existant", service_state="degrade")
    return ApiToken.issue(world.client_user, "schemathesis")[1]


@pytest.fixture
def interop_token(world: Any) -> str:
    loop = make_loop(world, Protocol.INTEROP_TMF, base_url="http://127.0.0.1:9")
    return str(loop.oc_key)


@v5.parametrize()
@BOUNDED
def test_tmf621_v5_conforms_to_the_official_spec(case: Any, ticket_token: str) -> None:
    response = case.call(app=APP, headers={"Authorization": f"Token {ticket_token}"})
    case.validate_response(response, checks=CHECKS)


@v4.parametrize()
@BOUNDED
def test_tmf621_v4_conforms_to_the_official_spec(case: Any, ticket_token: str) -> None:
    response = case.call(app=APP, headers={"Authorization": f"Token {ticket_token}"})
    case.validate_response(response, checks=CHECKS)


@interop.parametrize()
@BOUNDED
def test_interop_profile_conforms_to_its_spec(case: Any, interop_token: str) -> None:
    response = case.call(app=APP, headers={"Authorization": f"Token {interop_token}"})
    case.validate_response(response, checks=CHECKS)


def _stateful(schema: Any, token: str) -> list[tuple[str, str, int]]:
    """Chains of calls linked by schemathesis' inferred links (create → retrieve/patch, hub → delete), bounded."""
    calls: list[tuple[str, str, int]] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def after_call(self, response: Any, case: Any) -> None:
            calls.append((case.method, case.path, response.status_code))

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"app": APP, "headers": {"Authorization": f"Token {token}"}}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Workflow.run(
        settings=settings(
            max_examples=4,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    return calls


def _chained(calls: list[tuple[str, str, int]]) -> bool:
    """A resource created by one step was then used by a later one (a 2xx on an ``{id}`` path)."""
    return any(path.endswith("{id}") and 200 <= code < 300 for _method, path, code in calls)


def test_tmf621_v5_stateful(ticket_token: str) -> None:
    assert _chained(_stateful(v5, ticket_token))


def test_tmf621_v4_stateful(ticket_token: str) -> None:
    assert _chained(_stateful(v4, ticket_token))


def test_interop_profile_stateful(interop_token: str) -> None:
    assert _chained(_stateful(interop, interop_token))

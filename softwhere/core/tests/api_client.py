"""An API test client that checks every response against the published OpenAPI schema.

The schema is the one drf-spectacular serves, generated once per test process.
Every response to ``/api/v1/…`` must have a documented status code and a body
matching its schema, so the contract cannot drift from the code unnoticed. For
strictness, objects in the test copy of the schema refuse undocumented properties.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.http import HttpResponse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from rest_framework.test import APIClient
from werkzeug.datastructures import Headers, ImmutableMultiDict

API_PREFIX = "/api/v1/"


@cache
def schema_dict() -> dict[str, Any]:
    """The OpenAPI document as served at /api/schema/ (JSON round trip resolves lazy strings)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def _forbid_additional_properties(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _forbid_additional_properties(value)
    elif isinstance(node, list):
        for value in node:
            _forbid_additional_properties(value)


@cache
def openapi() -> OpenAPI:
    spec = json.loads(json.dumps(schema_dict()))
    _forbid_additional_properties(spec)
    return OpenAPI.from_dict(spec)


@dataclass
class _Request:
    """What openapi-core needs to find the operation of a response (the path template is matched by it)."""

    host_url: str
    path: str
    method: str
    path_pattern: str | None = None
    parameters: RequestParameters = field(default_factory=RequestParameters)
    content_type: str = "application/json"
    body: bytes | None = None


@dataclass
class _Response:
    status_code: int
    data: bytes
    content_type: str
    headers: Headers


def validate_response(response: HttpResponse) -> None:
    """Raise if ``response`` is not described by the schema (status code, content type or body)."""
    request = response.wsgi_request  # type: ignore[attr-defined]
    if not request.path.startswith(API_PREFIX):
        return
    openapi().validate_response(
        _Request(
            host_url=request._current_scheme_host,
            path=request.path,
            method=request.method.lower(),
            parameters=RequestParameters(query=ImmutableMultiDict(request.GET)),
        ),
        _Response(
            status_code=response.status_code,
            data=response.content,
            content_type=response.get("Content-Type", "application/json") if response.content else "application/json",
            headers=Headers(response.headers.items()),
        ),
    )


class SchemaValidatingClient(APIClient):
    """APIClient whose every response is validated against the OpenAPI schema."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        response = super().request(*args, **kwargs)
        validate_response(response)
        return response


def api_client(user: Any = None, *, token: str | None = None) -> SchemaValidatingClient:
    """A client acting as ``user`` (forced authentication) or sending ``Authorization: Token <token>``."""
    client = SchemaValidatingClient()
    if user is not None:
        client.force_authenticate(user=user)
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client

"""HTTP transport for v2.0 (XML) and TMF621 (JSON): one call, short timeouts, a couple of connect retries.

Durable retries with backoff are the job queue's (``interop.send``): ``Retryable``
tells it to try again later, anything else is a final answer from the peer.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from django.conf import settings

RETRYABLE_STATUSES = frozenset({401, 403, 404, 408, 425, 429, 500, 502, 503, 504})


class Retryable(Exception):
    """The peer could not be reached or answered « try later »: the job will run again."""


@dataclass
class HttpResult:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def call(method: str, url: str, *, body: bytes | None, content_type: str, token: str = "") -> HttpResult:
    headers = {"Accept": "application/json, application/xml;q=0.9"}
    if body is not None:
        headers["Content-Type"] = content_type
    if token:
        headers["Authorization"] = f"Token {token}"
    timeout = getattr(settings, "INTEROP_HTTP_TIMEOUT", 10.0)
    transport = httpx.HTTPTransport(retries=2)  # connection-level retries only
    try:
        with httpx.Client(transport=transport, timeout=timeout, follow_redirects=False) as client:
            response = client.request(method, url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise Retryable(f"{method} {url} : {exc.__class__.__name__} {exc}") from exc
    if response.status_code in RETRYABLE_STATUSES:
        raise Retryable(f"{method} {url} : HTTP {response.status_code} {response.text[:300]}")
    return HttpResult(
        status=response.status_code,
        body=response.content,
        content_type=response.headers.get("content-type", ""),
        headers=dict(response.headers),
    )

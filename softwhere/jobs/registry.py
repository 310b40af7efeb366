"""Handler registry: ``@job_handler("kind")`` maps a job kind to the function that runs it.

A handler receives the ``ScheduledJob`` (read ``job.payload``) and runs inside the
worker's transaction: its database writes commit together with the job's ``done``
mark, or not at all. Raise to retry later (with backoff, up to ``max_attempts``).
Effects outside the database (SMTP, HTTP) cannot join that transaction: make them
idempotent, or register them with ``transaction.on_commit`` (at most once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from .models import ScheduledJob

Handler = Callable[["ScheduledJob"], object]
_H = TypeVar("_H", bound=Handler)

_HANDLERS: dict[str, Handler] = {}


class UnknownJobKind(LookupError):
    pass


def job_handler(kind: str) -> Callable[[_H], _H]:
    """Register ``func`` as the handler of ``kind`` (one handler per kind)."""

    def register(func: _H) -> _H:
        existing = _HANDLERS.get(kind)
        if existing is not None and existing is not func and _qualname(existing) != _qualname(func):
            raise ValueError(f"job kind {kind!r} already handled by {_qualname(existing)}")
        _HANDLERS[kind] = func
        return func

    return register


def get_handler(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise UnknownJobKind(f"no handler registered for job kind {kind!r}") from None


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)


def _qualname(func: Handler) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"

"""Render admin-editable templates as plain text (Django template syntax, no HTML escaping)."""

from __future__ import annotations

from typing import Any

from django.template import Context, Engine, TemplateSyntaxError

# A private engine: builtins only (no app tags), no autoescape since mails and SMS are plain text.
_ENGINE = Engine(autoescape=False)


class RenderError(ValueError):
    pass


def render_text(source: str, context: dict[str, Any]) -> str:
    try:
        text = _ENGINE.from_string(source).render(Context(context, autoescape=False))
    except TemplateSyntaxError as exc:
        raise RenderError(f"Modèle invalide : {exc}") from exc
    # Template tags leave blank lines behind: keep at most one empty line in a row.
    lines: list[str] = []
    for line in text.strip().splitlines():
        line = line.rstrip()
        if not line and lines and not lines[-1]:
            continue
        lines.append(line)
    return "\n".join(lines)


def check_template(source: str) -> None:
    """Raise RenderError if ``source`` does not compile (used by the model's clean())."""
    try:
        _ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise RenderError(f"Modèle invalide : {exc}") from exc

"""Inline SVG of alarm transitions over time: one lane per equipment, red ticks down, green ticks up.

Server-rendered and dependency-free, so the ticket page needs no chart library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from html import escape

WIDTH, LANE, LEFT, TOP = 640, 34, 170, 18


@dataclass(frozen=True)
class Lane:
    label: str
    #: (timestamp, "raise" | "clear", title)
    events: Sequence[tuple[datetime, str, str]]


def _short(label: str, size: int = 26) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def transitions_svg(lanes: Sequence[Lane], *, end: datetime, days: int, tz: tzinfo) -> str:
    start = end - timedelta(days=days)
    span = (end - start).total_seconds()
    plot = WIDTH - LEFT - 10
    height = TOP + LANE * max(len(lanes), 1) + 18

    def x(t: datetime) -> float:
        return LEFT + plot * max(0.0, min(1.0, (t - start).total_seconds() / span))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diag-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-label="Transitions d\'alarmes sur {days} jours">'
    ]
    for d in range(days + 1):
        tick = start + timedelta(days=d)
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{TOP - 4}" x2="{tx:.1f}" y2="{height - 16}" stroke="#dee2e6"/>')
        if d < days:
            label = escape(tick.astimezone(tz).strftime("%d/%m"))
            parts.append(f'<text x="{tx + 2:.1f}" y="{height - 4}" font-size="10" fill="#6c757d">{label}</text>')
    for i, lane in enumerate(lanes):
        y = TOP + LANE * i + LANE / 2
        parts.append(
            f'<text x="4" y="{y + 4:.1f}" font-size="10" fill="#212529">{escape(_short(lane.label))}</text>'
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot}" y2="{y:.1f}" stroke="#adb5bd"/>'
        )
        for when, kind, title in lane.events:
            if not start <= when <= end:
                continue
            colour, dy = ("#dc3545", 10) if kind == "raise" else ("#198754", -10)
            parts.append(
                f'<line x1="{x(when):.1f}" y1="{y:.1f}" x2="{x(when):.1f}" y2="{y + dy:.1f}" stroke="{colour}" '
                f'stroke-width="2"><title>{escape(title)}</title></line>'
            )
    if not lanes:
        parts.append(f'<text x="{LEFT}" y="{TOP + 14}" font-size="11" fill="#6c757d">Aucun journal lu.</text>')
    parts.append("</svg>")
    return "".join(parts)

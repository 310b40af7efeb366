"""SLA charts (monthly compliance per clock kind, GTR penalties per client) rendered as SVG or PNG.

Figures are built with matplotlib's object API on the Agg canvas, never through
``pyplot``: pyplot keeps global state and picks a GUI backend, neither of which
belongs in a web worker serving concurrent requests.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from softwhere.core.frdates import month_label

from .choices import ClockKind
from .reports import Compliance

# Servers have no display: should anything in the process reach for pyplot, it gets Agg too.
matplotlib.use("Agg")

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}

#: Bootstrap's palette, so the images match the badges of the pages.
KIND_COLOURS = {"gtr": "#dc3545", "first_response": "#0dcaf0", "resolution": "#0d6efd"}
CLIENT_COLOURS = ("#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#d63384", "#20c997", "#ffc107", "#6c757d")

_RC: dict[Any, Any] = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: accents and € render everywhere
    "font.size": 9,
    "svg.fonttype": "none",  # text stays text in SVG: lighter, selectable, searchable
    "svg.hashsalt": "softwhere-sla",  # stable element ids: same data, same bytes
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _euros(value: float, _pos: Any = None) -> str:
    """French money format for axis ticks: 1 234 €."""
    return f"{value:,.0f} €".replace(",", "\u202f")


def _amount(value: float) -> str:
    """Exact amount for bar labels: 1 234,50 €."""
    return f"{value:,.2f} €".replace(",", "\u202f").replace(".", ",").replace(",00 €", " €")


def _new_figure() -> tuple[Figure, Any]:
    fig = Figure(figsize=(8, 3.6), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def compliance_figure(months: Sequence[date], series: dict[str, list[Compliance]], *, title: str) -> Figure:
    """Grouped bars, one per clock kind: % of the clocks stopped in the month that met their target.

    A month without stopped clocks of a kind has no bar rather than a 0 % (nothing was late).
    """
    with matplotlib.rc_context(_RC):
        fig, ax = _new_figure()
        kinds = [(k, label) for k, label in ClockKind.choices if series.get(k)]
        width = 0.8 / max(len(kinds), 1)
        for i, (kind, label) in enumerate(kinds):
            offset = (i - (len(kinds) - 1) / 2) * width
            x = [m + offset for m in range(len(months))]
            values = [float("nan") if c.percent is None else c.percent for c in series[kind]]
            ax.bar(x, values, width=width * 0.92, label=str(label), color=KIND_COLOURS.get(kind))
        ax.set_ylim(0, 110)
        ax.set_xlim(-0.6, len(months) - 0.4)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f} %"))
        ax.set_yticks([0, 20, 40, 60, 80, 100])
        ax.set_ylabel("Engagements respectés")
        ax.set_xticks(list(range(len(months))), [month_label(m, short=True) for m in months])
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(title, loc="left", fontweight="bold")
        ax.legend(loc="lower right", bbox_to_anchor=(1, 1), frameon=False, ncols=3, fontsize=8)
    return fig


def penalties_figure(months: Sequence[date], per_client: dict[str, list[Decimal]], *, title: str) -> Figure:
    """Stacked bars of GTR penalties (€ HT) per month, one colour per client."""
    with matplotlib.rc_context(_RC):
        fig, ax = _new_figure()
        x = list(range(len(months)))
        bottom = [0.0] * len(months)
        for i, (name, amounts) in enumerate(per_client.items()):
            values = [float(a) for a in amounts]
            ax.bar(x, values, bottom=bottom, label=name, color=CLIENT_COLOURS[i % len(CLIENT_COLOURS)], width=0.6)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        for xi, total in zip(x, bottom, strict=True):
            if total:
                ax.annotate(
                    _amount(total), (xi, total), ha="center", va="bottom", xytext=(0, 2), textcoords="offset points"
                )
        ax.set_ylim(0, max([*bottom, 1.0]) * 1.15)
        ax.set_xlim(-0.6, len(months) - 0.4)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(_euros))
        ax.set_ylabel("Pénalités (€ HT)")
        ax.set_xticks(x, [month_label(m, short=True) for m in months])
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(title, loc="left", fontweight="bold")
        if per_client:
            ax.legend(
                loc="lower right", bbox_to_anchor=(1, 1), frameon=False, ncols=min(len(per_client), 3), fontsize=8
            )
        else:
            ax.text(0.5, 0.5, "Aucune pénalité sur la période", transform=ax.transAxes, ha="center", color="#6c757d")
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    """The figure as ``svg`` or ``png`` bytes (ValueError for any other format)."""
    if fmt not in FORMATS:
        raise ValueError(f"format inconnu : {fmt}")
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return buffer.getvalue()

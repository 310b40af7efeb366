"""Monthly GTR penalty report as PDF: the CSV's rows grouped by client, with subtotals and a total.

Cells come from ``reports.report_row`` (the CSV's own formatting), so the two exports
can never disagree on a figure; only the totals are added here.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from softwhere.core.frdates import month_label

from .models import SlaClock
from .reports import report_row

TABLE_HEADER = [
    "Ticket",
    "Accès",
    "Réf. opérateur",
    "Option GTR",
    "Détectée le",
    "Rétablie le",
    "Durée",
    "Palier",
    "Redevance",
    "Pénalité",
]
TIERS_NOTE = (
    "Indemnité par accès garanti selon le temps de rétablissement T, mesuré dans le calendrier de la GTR : "
    "4 h &lt; T &lt;= 6 h 30 : 20 % ; 6 h 30 &lt; T &lt;= 8 h 30 : 40 % ; 8 h 30 &lt; T &lt;= 10 h : 60 % ; "
    "T &gt; 10 h : 100 % de la redevance mensuelle. Montants en euros hors taxes."
)


def money(amount: Decimal) -> str:
    """1 234,50 € with a no-break space (in the PDF's base-14 font encoding, unlike U+202F)."""
    return f"{amount:,.2f}".replace(",", "\xa0").replace(".", ",") + "\xa0€"


def _cells(clock: SlaClock) -> list[str]:
    row = report_row(clock)
    # client, ticket, access, carrier ref, technology, option, calendar, detected, restored, minutes,
    # duration, percent, fee, penalty — the CSV's columns.
    return [row[1], row[2], row[3], row[5], row[7], row[8], row[10], f"{row[11]} %", f"{row[12]} €", f"{row[13]} €"]


def penalty_report_pdf(clocks: Iterable[SlaClock], *, month: date, scope: str, now: datetime | None = None) -> bytes:
    """The report for ``month``; ``clocks`` as selected by ``reports.penalty_clocks`` (ordered by client)."""
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8, leading=10, textColor=colors.grey)
    cell = ParagraphStyle("cell", parent=styles["Normal"], fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Pénalités GTR — {month_label(month)}",
        author="SoftWhere Desk",
    )
    generated = timezone.localtime(now or timezone.now())
    story: list[object] = [
        Paragraph(f"Rapport des pénalités GTR — {month_label(month)}", styles["Title"]),
        Paragraph(f"Périmètre : {_escape(scope)}", styles["Normal"]),
        Paragraph(f"Édité le {generated:%d/%m/%Y à %H:%M} (heure de Paris)", small),
        Spacer(1, 6 * mm),
    ]
    by_client: dict[str, list[SlaClock]] = {}
    for clock in clocks:
        by_client.setdefault(clock.ticket.organisation.name, []).append(clock)
    total, count = Decimal("0"), 0
    for name, rows in by_client.items():
        subtotal = sum((c.penalty_amount for c in rows), Decimal("0"))
        total += subtotal
        count += len(rows)
        data: list[list[object]] = [list(TABLE_HEADER)]
        data += [[Paragraph(_escape(v), cell) if i == 1 else v for i, v in enumerate(_cells(c))] for c in rows]
        data.append([f"Total {name}", "", "", "", "", "", "", "", "", money(subtotal)])
        table = Table(
            data,
            repeatRows=1,
            colWidths=[28 * mm, 62 * mm, 30 * mm, 22 * mm, 28 * mm, 28 * mm, 16 * mm, 14 * mm, 20 * mm, 22 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                    ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.grey),
                    ("SPAN", (0, -1), (-2, -1)),
                    ("ALIGN", (6, 0), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story += [Paragraph(_escape(name), styles["Heading2"]), table, Spacer(1, 4 * mm)]
    if not by_client:
        story.append(Paragraph("Aucune pénalité GTR pour ce mois.", styles["Normal"]))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            f"<b>Total des pénalités : {money(total)} HT</b> ({count} coupure{'s' if count > 1 else ''} indemnisée{'s' if count > 1 else ''})",
            styles["Heading3"],
        ),
        Paragraph(TIERS_NOTE, small),
    ]
    doc.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    """Paragraph text is a mini-markup: client names such as « Dupont & Fils » must not break it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

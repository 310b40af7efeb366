"""The automatic follow-up of seed 001 VII as a plan of timed steps (pure; the jobs run them).

« Si l'intégrateur ou le client ne répondent pas à ces mails, le ticket sera gelé jusqu'à la
réponse des protagonistes. S'il n'y a pas de retour au bout de trois relances, un mail
d'auto-clôture 24h sera envoyé. » and, after the resolution, « Si l'intégrateur ou le
client ne confirment pas dans les 24 heures, une relance par mail sera effectuée. Si la
fermeture de l'incident n'est toujours pas validée, un nouveau mail sera envoyé afin de
prévenir … d'une auto clôture qui s'effectuera sous 24 heures. »
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

REMINDER = "reminder"
NOTICE = "notice"
CLOSE = "close"


@dataclass(frozen=True)
class Step:
    index: int  # position in the plan, from 0
    action: str  # REMINDER, NOTICE or CLOSE
    number: int  # reminder number (1…), 0 for the notice and the closure
    after: timedelta  # delay from the start of the follow-up


def plan(kind: str, *, reminder_hours: float, max_reminders: int, auto_close_hours: float) -> list[Step]:
    """Steps of a follow-up started at t=0.

    ``client_answer``: a reminder every ``reminder_hours`` (at most ``max_reminders``), then
    the auto-close notice one interval after the last reminder, then the closure
    ``auto_close_hours`` later. ``closure``: one reminder after ``reminder_hours``, the notice
    one interval later, the closure ``auto_close_hours`` after the notice.
    """
    every = timedelta(hours=reminder_hours)
    count = max_reminders if kind == "client_answer" else 1
    steps = [Step(i, REMINDER, i + 1, every * (i + 1)) for i in range(count)]
    notice_at = every * (count + 1)
    steps.append(Step(count, NOTICE, 0, notice_at))
    steps.append(Step(count + 1, CLOSE, 0, notice_at + timedelta(hours=auto_close_hours)))
    return steps

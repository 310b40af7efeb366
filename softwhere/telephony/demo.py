"""Demo telephony: Transports Giraud's « Pack Business Unifié », set up through the self-care actions.

Built by its manager (the demo user ``client2``), so every object passes the seed's rules
and shows up in the three self-care menus and in « où va cet appel ? ».
"""

from __future__ import annotations

import io
import wave
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from . import actions
from .services.document import ensure_pseudo_site

if TYPE_CHECKING:
    from softwhere.demo.actions import DemoContext

PHONE = {"kind": "poste_ip", "model": "Polycom VVX 450"}
DEPOT, SEBASTIEN, RAPHAEL, AGENCE = "+33465713001", "+33465713002", "+33465713003", "+33465713010"
GROUP, IVR, FAX = "+33465713000", "+33465713018", "+33465713019"
MOBILE = "+33610203040"  # giraud_mobile_1 of the base dataset


def _wav(seconds: float) -> bytes:
    """A silent 8 kHz WAV: the desk reads the duration from the file itself."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80" * int(seconds * 8000))
    return buffer.getvalue()


def load(ctx: DemoContext) -> dict[str, int]:
    org, manager = ctx.orgs["giraud"], ctx.users["client2"]
    christmas = date(timezone.localdate().year, 12, 25)
    actions.set_offer(
        org,
        actor=manager,
        plans={"fixe": 8, "numero_fixe_mobile": 1, "analogique": 1, "groupement": 2, "avi": 1},
        options={"collaboration": 2},
    )
    moirans = actions.create_site(org, actor=manager, name="Dépôt Moirans", customer_site=ctx.sites["giraud_moirans"])
    grenoble = actions.create_site(
        org, actor=manager, name="Agence Grenoble", customer_site=ctx.sites["giraud_grenoble"]
    )
    weekdays = ["lun", "mar", "mer", "jeu", "ven"]
    actions.create_calendar(
        org,
        actor=manager,
        name="Horaires dépôt",
        schedules=[
            {"days": weekdays, "start": "07:30", "end": "18:00", "lunch_break": {"start": "12:00", "end": "13:30"}},
            {"days": ["sam"], "start": "08:00", "end": "12:00"},
        ],
        closure_days=[christmas.isoformat(), date(christmas.year + 1, 1, 1).isoformat()],
    )
    actions.create_calendar(
        org, actor=manager, name="Agence", schedules=[{"days": weekdays, "start": "09:00", "end": "17:30"}]
    )
    people = (
        (DEPOT, "Accueil", "Dépôt", "accueil.depot", moirans),
        (SEBASTIEN, "Sébastien", "Bonnet", "s.bonnet", moirans),
        (RAPHAEL, "Raphaël", "Costa", "r.costa", moirans),
        (AGENCE, "Paul", "Giraud", "p.giraud", grenoble),
    )
    lines = [
        actions.create_line(
            org,
            actor=manager,
            site=site,
            kind="fixe",
            number=number,
            first_name=first,
            last_name=last,
            email=f"{login}@transports-giraud.example",
            hardware=PHONE,
        )
        for number, first, last, login, site in people
    ]
    actions.create_line(
        org,
        actor=manager,
        site=moirans,
        kind="analogique",
        number=FAX,
        name="FAX EXPLOITATION",
        hardware={"kind": "ata", "model": "AudioCodes MP-202B RevD"},
    )
    actions.create_line(
        org,
        actor=manager,
        site=ensure_pseudo_site(org),
        kind="mobile",
        number=MOBILE,
        first_name="Sébastien",
        last_name="Bonnet chauffeur",
    )
    # The manager's own line: forwarded to the agency's mobile when busy, voicemail mails, DND off.
    actions.update_line(
        lines[3],
        actor=manager,
        services={
            "forwards": {"busy": {"enabled": True, "destination": "numero", "number": MOBILE}},
            "voicemail_notification": {"enabled": True, "email": "p.giraud@transports-giraud.example"},
            "call_waiting": True,
        },
    )
    actions.save_pickup_group(org, actor=manager, name="Quais Moirans", site=moirans, members=[SEBASTIEN, RAPHAEL])
    actions.add_library_announcement(moirans, actor=manager, name="Accueil exploitation", data=_wav(12))
    actions.add_library_announcement(moirans, actor=manager, name="Menu standard", data=_wav(15))
    actions.add_library_announcement(moirans, actor=manager, name="Menu fermeture", data=_wav(9))
    actions.create_call_group(
        org,
        actor=manager,
        site=moirans,
        name="Exploitation",
        number=GROUP,
        members=[DEPOT, SEBASTIEN, RAPHAEL],
        distribution="cyclique",
        welcome={"enabled": True, "announcement": "Accueil exploitation", "interruptible": True},
        overflow_mode="numero",
        overflow_number=AGENCE,
    )
    keys = [{"key": "1", "number": GROUP}, {"key": "2", "number": AGENCE}]
    actions.create_ivr(
        org,
        actor=manager,
        site=moirans,
        name="Standard Giraud",
        number=IVR,
        mode="calendrier",
        calendar="Horaires dépôt",
        open_menu={"announcement": "Menu standard", "keys": keys},
        closed_menu={"announcement": "Menu fermeture", "keys": [{"key": "2", "number": AGENCE}]},
    )
    return {"lignes de téléphonie": 6, "groupements d'appels": 1, "accueils vocaux": 1}

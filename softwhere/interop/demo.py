"""Demo gateway: two OIs we signal to, one OC that signals to us, and an escalated fibre ticket with its journal.

The exchanges go through the real actions and the real v1.0a files: our outbound messages are
marked delivered (the demo has no peer to reach, and the worker must not retry them for hours),
and the OIs' answers are ingested as if their mails had arrived. The desk's own state (ticket
timeline, « attente opérateur ») follows from them exactly as in production.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from softwhere.inventory.models import Access
from softwhere.jobs.actions import cancel
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob

from . import actions, inbound, journal, outbound
from .choices import Direction, MessageStatus, Protocol, Role
from .models import InteropMessage, InteropPeer, ServedAccess
from .services import v1_csv
from .services.formats import Slot

if TYPE_CHECKING:
    from softwhere.demo.actions import DemoContext


def _peer(**fields: object) -> InteropPeer:
    peer = InteropPeer(**fields)
    peer.full_clean()
    peer.save()
    return peer


def _delivered() -> None:
    """Our queued messages count as delivered: the demo has no peer on the other end."""
    now = timezone.now()
    for message in InteropMessage.objects.filter(direction=Direction.OUTBOUND, status=MessageStatus.PENDING):
        journal.finish(message, MessageStatus.SENT, sent_at=now, attempts=1)
        cancel(f"{outbound.JOB_SEND}:{message.pk}")
    ScheduledJob.objects.filter(kind=outbound.JOB_SEND, status=JobStatus.PENDING).update(status=JobStatus.CANCELLED)


def _file(peer: InteropPeer, file_type: v1_csv.FileType, row: dict[str, object]) -> None:
    """An answer from ``peer`` as its mail attachment would bring it."""
    name = v1_csv.build_filename(file_type, peer.code, peer.local_code, timezone.now(), 1)
    inbound.ingest_v1_file(peer, v1_csv.write(file_type, [row]), name, subject=v1_csv.subject_for(name))


def _access(ctx: DemoContext, key: str) -> Access:
    return Access.objects.get(pk=ctx.services[key].pk)


def load(ctx: DemoContext) -> dict[str, int]:
    alpes = _peer(
        name="Alpes Fibre Infrastructures",
        code="ALFI",
        peer_role=Role.OI,
        protocol=Protocol.V1,
        local_code="SWDK",
        mail_address="sav-ftth@alpes-fibre.example",
        local_mail_address="sav-ftth@softwhere.example",
    )
    rhone = _peer(
        name="Rhône THD",
        code="RTHD",
        peer_role=Role.OI,
        protocol=Protocol.V2,
        local_code="SWDK",
        endpoint_url="https://ws.rhone-thd.example/sav-ftth/v2",
        auth_token="demo-jeton-non-secret",
    )
    oc = _peer(
        name="Dauphiné Télécom",
        code="DPHT",
        peer_role=Role.OC,
        protocol=Protocol.V1,
        local_code="SWOI",
        mail_address="sav@dauphine-telecom.example",
        local_mail_address="sav-oi@softwhere.example",
    )
    ServedAccess.objects.create(
        peer=alpes,
        access=_access(ctx, "lemaire_fibre"),
        reference_prise="FI-3818-2241",
        reference_prestation="VIA0A0000038B2241",
    )
    ServedAccess.objects.create(
        peer=rhone,
        access=_access(ctx, "morel_fibre"),
        reference_prise="FI-6900-8841",
        reference_prestation="VIA0A0000069B8841",
    )
    ServedAccess.objects.create(
        peer=oc,
        access=_access(ctx, "giraud_fibre_gre"),
        reference_prise="FI-3800-5020",
        reference_prestation="DPHT-FTTH-005020",
    )

    # OC role: the shop without Internet (LOS red) is signalled to its OI, which acknowledges and fixes a date.
    ticket = ctx.tickets["lemaire_ont"]
    sig = actions.escalate_to_oi(ticket, actor=ctx.users["n2"], preloc="PTO", comment="Niveau optique -31 dBm.")
    _delivered()
    _file(
        alpes,
        v1_csv.ACK,
        {
            "ReferenceSigSAVRaccoOC": sig.oc_reference,
            "ReferencePrestationPrise": sig.reference_prestation,
            "ReferencePrise": sig.reference_prise,
            "ResultatAR": "OK",
            "IdTicketOI": "ALFI-SAV-20417",
            "DatePriseEnCompte": timezone.now(),
            "MotifRefus": "",
        },
    )
    sig.refresh_from_db()
    slot = Slot.from_json(sig.proposals[0])
    _file(
        alpes,
        v1_csv.INFORMATION,
        {
            "ReferenceSigSAVRaccoOC": sig.oc_reference,
            "IdTicketOI": "ALFI-SAV-20417",
            "DateMessage": timezone.now(),
            "TypeMessage": "CONFIRMATION_RDV",
            "IdRdv": "RDV-ALFI-881",
            "PropalRdv": [slot],
            "Commentaire": "Technicien fibre au PTO, contrôle de la jarretière et du PBO palier.",
        },
    )
    _delivered()

    # OI role: an OC signals a cut on an access of our network; the agent finds it in the work queue.
    start = timezone.localtime() + timedelta(days=2)
    row = {
        "ReferencePrestationPrise": "DPHT-FTTH-005020",
        "ReferencePrise": "FI-3800-5020",
        "ReferenceSigSAVRaccoOC": "DPHT-SAV-7781",
        "DateIncidClientFinal": timezone.localdate(),
        "NatureDefaut": "COUPURE",
        "PrelocDefaut": "PBO",
        "NomClient": "GIRAUD",
        "PrenomClient": "Paul",
        "ContactClient1": "0476000000",
        "ContactClient2": "",
        "IdRdv": "",
        "PropalRdv": [
            Slot(
                start.replace(hour=9, minute=0, second=0, microsecond=0),
                start.replace(hour=12, minute=0, second=0, microsecond=0),
            )
        ],
        "Commentaire": "Pas de signal au PBO d'étage, voisins impactés.",
    }
    _file(oc, v1_csv.DEPOSIT, row)
    _delivered()
    return {
        "opérateurs interop": InteropPeer.objects.count(),
        "signalisations SAV FTTH": alpes.signalisations.count() + oc.signalisations.count(),
        "messages interop": InteropMessage.objects.count(),
    }

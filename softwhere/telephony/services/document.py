"""The company's telephony configuration as a JSON document: export from the database, import into it.

The document format is ``schema/telephony.schema.json``. The import replaces the
whole configuration of the company in one transaction (all or nothing) after
``rules.check_document`` found no problem; every problem is listed.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.db import transaction

from softwhere.customers.models import Organisation, Site

from ..choices import MOBILE_PSEUDO_SITE
from ..models import (
    Announcement,
    Calendar,
    CallGroup,
    CallGroupMember,
    DirectoryContact,
    Ivr,
    Line,
    Offer,
    PickupGroup,
    TelephonySite,
)
from .audio import read_audio
from .config import default_services, merge_defaults
from .numbers import normalize_number
from .rules import Issue, check_document


def export_document(org: Organisation, *, with_audio: bool = False) -> dict[str, Any]:
    offer = Offer.objects.filter(organisation=org).first()
    sites = list(TelephonySite.objects.filter(organisation=org).select_related("customer_site"))
    lines = list(Line.objects.filter(organisation=org).select_related("site", "pickup_group").order_by("number"))
    announcements = []
    for a in Announcement.objects.filter(organisation=org).select_related("site", "line").order_by("pk"):
        entry: dict[str, Any] = {
            "name": a.name,
            "site": a.site.name if a.site else None,
            "line": a.line.number if a.line else None,
            "format": a.format,
            "duration_seconds": round(a.duration_seconds, 3),
        }
        if with_audio:
            entry["content_base64"] = base64.b64encode(bytes(a.content)).decode("ascii")
        announcements.append(entry)
    pickup: dict[int, dict[str, Any]] = {
        g.pk: {"name": g.name, "site": g.site.name, "members": []}
        for g in PickupGroup.objects.filter(organisation=org).select_related("site").order_by("name")
    }
    for line in lines:
        if line.pickup_group_id:
            pickup[line.pickup_group_id]["members"].append(line.number)
    groups = []
    for g in CallGroup.objects.filter(organisation=org).select_related("site").prefetch_related("members__line"):
        groups.append(
            {
                "name": g.name,
                "number": g.number,
                "site": g.site.name,
                "distribution": g.distribution,
                "max_rings": g.max_rings,
                "inter_call_delay": {"enabled": g.inter_call_delay_enabled, "seconds": g.inter_call_delay_seconds},
                "max_waiting_calls": g.max_waiting_calls,
                "max_wait_seconds": g.max_wait_seconds,
                "overflow": {"mode": g.overflow_mode, "number": g.overflow_number or None},
                "welcome_announcement": {"enabled": True, "announcement": None, "interruptible": True, **g.welcome},
                "hold_announcement": {"enabled": True, "announcement": None, **g.hold},
                "closing": {"calendar": g.closing_calendar or None, "number": g.closing_number or None},
                "members": [
                    {"number": m.line.number, "present": m.present}
                    for m in sorted(g.members.all(), key=lambda m: (m.position, m.pk))
                ],
            }
        )
    return {
        "format": "softwhere-telephony",
        "version": 1,
        "company": {"name": org.name, "siret": org.siret},
        "offer": {"plans": offer.plans, "options": offer.options} if offer else {"plans": {}, "options": {}},
        "sites": [
            {
                "name": s.name,
                "customer_site": s.customer_site.name if s.customer_site else None,
                "postal_code": s.postal_code or None,
            }
            for s in sites
            if not s.is_mobile_pseudo_site
        ],
        "calendars": [c.as_document() for c in Calendar.objects.filter(organisation=org)],
        "announcements": announcements,
        "lines": [line_document(line) for line in lines],
        "pickup_groups": list(pickup.values()),
        "call_groups": groups,
        "ivrs": [
            {
                "name": i.name,
                "number": i.number,
                "site": i.site.name,
                "enabled": i.enabled,
                "mode": i.mode,
                "calendar": i.calendar or None,
                "open_menu": i.open_menu or {"announcement": None, "keys": []},
                "closed_menu": i.closed_menu,
            }
            for i in Ivr.objects.filter(organisation=org).select_related("site")
        ],
        "directory": [
            {"name": c.name, "number": c.number, "short_number": c.short_number or None}
            for c in DirectoryContact.objects.filter(organisation=org)
        ],
    }


def line_document(line: Line) -> dict[str, Any]:
    return {
        "number": line.number,
        "kind": line.kind,
        "site": line.site.name,
        "first_name": line.first_name or None,
        "last_name": line.last_name or None,
        "email": line.email or None,
        "name": line.name or None,
        "short_number": line.short_number or None,
        "associated_mobile": line.associated_mobile or None,
        "collaboration": line.collaboration,
        "hardware": {"kind": "aucun", **line.hardware},
        "services": merge_defaults(default_services(line.kind, line.associated_mobile or None), line.services),
    }


def foreign_taken(org: Organisation) -> tuple[set[str], set[str]]:
    """Numbers and e-mails used by other companies (they must stay unique on the platform)."""
    numbers: set[str] = set()
    for model in (Line, CallGroup, Ivr):
        numbers.update(model.objects.exclude(organisation=org).values_list("number", flat=True))
    emails = set(Line.objects.exclude(organisation=org).exclude(email="").values_list("email", flat=True))
    return numbers, emails


def company_issues(org: Organisation, doc: dict[str, Any] | None = None) -> list[Issue]:
    numbers, emails = foreign_taken(org)
    return check_document(
        doc if doc is not None else export_document(org), foreign_numbers=numbers, foreign_emails=emails
    )


def ensure_pseudo_site(org: Organisation) -> TelephonySite:
    site, _ = TelephonySite.objects.get_or_create(
        organisation=org, is_mobile_pseudo_site=True, defaults={"name": MOBILE_PSEUDO_SITE}
    )
    return site


def import_document(org: Organisation, doc: dict[str, Any]) -> list[Issue]:
    """Replace ``org``'s configuration with ``doc``; returns the problems (then nothing is changed)."""
    issues = company_issues(org, doc)
    if issues:
        return issues
    with transaction.atomic():
        kept_audio = {
            (a.site.name if a.site else None, a.line.number if a.line else None, a.name): bytes(a.content)
            for a in Announcement.objects.filter(organisation=org).select_related("site", "line")
        }
        audio: list[tuple[dict[str, Any], bytes]] = []
        problems: list[Issue] = []
        for i, a in enumerate(doc.get("announcements") or ()):
            key = (a.get("site"), normalize_number(a["line"]) if a.get("line") else None, a["name"])
            if a.get("content_base64"):
                content = base64.b64decode(a["content_base64"])
                try:
                    read_audio(content)
                except Exception as exc:  # a ValidationError with a French message
                    problems.append(
                        Issue(f"announcements[{i}].content_base64", str(getattr(exc, "messages", [exc])[0]))
                    )
            elif key in kept_audio:
                content = kept_audio[key]
            else:
                problems.append(
                    Issue(
                        f"announcements[{i}]",
                        f"Annonce « {a['name']} » : fichier audio absent (content_base64) et inconnu de la configuration actuelle.",
                    )
                )
                continue
            audio.append((a, content))
        if problems:
            return problems
        _wipe(org)
        _create(org, doc, audio)
    return []


def _wipe(org: Organisation) -> None:
    CallGroupMember.objects.filter(group__organisation=org).delete()
    CallGroup.objects.filter(organisation=org).delete()
    Ivr.objects.filter(organisation=org).delete()
    Announcement.objects.filter(organisation=org).delete()
    Line.objects.filter(organisation=org).delete()
    PickupGroup.objects.filter(organisation=org).delete()
    Calendar.objects.filter(organisation=org).delete()
    DirectoryContact.objects.filter(organisation=org).delete()
    TelephonySite.objects.filter(organisation=org, is_mobile_pseudo_site=False).delete()


def _create(org: Organisation, doc: dict[str, Any], audio: list[tuple[dict[str, Any], bytes]]) -> None:
    offer = doc.get("offer") or {}
    Offer.objects.update_or_create(
        organisation=org, defaults={"plans": offer.get("plans") or {}, "options": offer.get("options") or {}}
    )
    sites = {MOBILE_PSEUDO_SITE: ensure_pseudo_site(org)}
    for s in doc.get("sites") or ():
        customer_site = Site.objects.filter(organisation=org, name=s.get("customer_site") or s["name"]).first()
        sites[s["name"]] = TelephonySite.objects.create(organisation=org, name=s["name"], customer_site=customer_site)
    for c in doc.get("calendars") or ():
        Calendar.objects.create(
            organisation=org,
            name=c["name"],
            schedules=c["schedules"],
            closure_periods=c.get("closure_periods") or [],
            closure_days=c.get("closure_days") or [],
        )
    pickup = {}
    for p in doc.get("pickup_groups") or ():
        pickup[p["name"]] = PickupGroup.objects.create(organisation=org, site=sites[p["site"]], name=p["name"])
    pickup_of = {normalize_number(n): pickup[p["name"]] for p in doc.get("pickup_groups") or () for n in p["members"]}
    lines = {}
    for x in doc.get("lines") or ():
        number = normalize_number(x["number"])
        lines[number] = Line.objects.create(
            organisation=org,
            site=sites[x["site"]],
            kind=x["kind"],
            number=number,
            short_number=x.get("short_number") or "",
            first_name=x.get("first_name") or "",
            last_name=x.get("last_name") or "",
            email=x.get("email") or "",
            name=x.get("name") or "",
            associated_mobile=normalize_number(x["associated_mobile"]) if x.get("associated_mobile") else "",
            collaboration=x.get("collaboration") or "aucune",
            hardware=x.get("hardware") or {},
            services=merge_defaults(default_services(x["kind"], x.get("associated_mobile")), x.get("services")),
            pickup_group=pickup_of.get(number),
        )
    for a, content in audio:
        info = read_audio(content) if content else None
        Announcement.objects.create(
            organisation=org,
            site=sites.get(a.get("site") or "") if a.get("site") else None,
            line=lines.get(normalize_number(a["line"])) if a.get("line") else None,
            name=a["name"],
            format=info.format if info else a["format"],
            duration_seconds=info.duration_seconds if info else a["duration_seconds"],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )
    for g in doc.get("call_groups") or ():
        delay = g.get("inter_call_delay") or {}
        overflow = g.get("overflow") or {}
        closing = g.get("closing") or {}
        group = CallGroup.objects.create(
            organisation=org,
            site=sites[g["site"]],
            name=g["name"],
            number=normalize_number(g["number"]),
            distribution=g.get("distribution") or "poste_libre",
            max_rings=g.get("max_rings", 5),
            inter_call_delay_enabled=bool(delay.get("enabled")),
            inter_call_delay_seconds=delay.get("seconds"),
            max_waiting_calls=g.get("max_waiting_calls", 20),
            max_wait_seconds=g.get("max_wait_seconds", 300),
            overflow_mode=overflow.get("mode") or "dissuasion",
            overflow_number=normalize_number(overflow["number"]) if overflow.get("number") else "",
            welcome=g.get("welcome_announcement") or {},
            hold=g.get("hold_announcement") or {},
            closing_calendar=closing.get("calendar") or "",
            closing_number=normalize_number(closing["number"]) if closing.get("number") else "",
        )
        for position, m in enumerate(g.get("members") or ()):
            CallGroupMember.objects.create(
                group=group,
                line=lines[normalize_number(m["number"])],
                position=position,
                present=m.get("present", True),
            )
    for i in doc.get("ivrs") or ():
        Ivr.objects.create(
            organisation=org,
            site=sites[i["site"]],
            name=i["name"],
            number=normalize_number(i["number"]),
            enabled=i.get("enabled", True),
            mode=i.get("mode") or ("calendrier" if i.get("calendar") else "unique"),
            calendar=i.get("calendar") or "",
            open_menu=i["open_menu"],
            closed_menu=i.get("closed_menu"),
        )
    for c in doc.get("directory") or ():
        DirectoryContact.objects.create(
            organisation=org, name=c["name"], number=c["number"], short_number=c.get("short_number") or ""
        )

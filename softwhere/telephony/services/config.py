"""The company configuration as plain, immutable data: what the simulator and the rules read.

It is parsed from the JSON document (``schema/telephony.schema.json``) that the
export writes and the import reads, so the simulator runs identically on a file
(CLI), on the database (export then parse) or on a test table. Missing service
blocks take the seed's defaults for the line's kind (``default_services``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..choices import (
    DEFAULT_ANNOUNCEMENTS,
    DEFAULT_GROUP_RINGS,
    DEFAULT_MAX_WAIT_SECONDS,
    DEFAULT_MAX_WAITING_CALLS,
    DEFAULT_NO_ANSWER_RINGS,
    MAX_CALLS_BY_HARDWARE,
    AnnouncementSlot,
    CallerIdMode,
    Collaboration,
    DistributionMode,
    ForwardDestination,
    HardwareKind,
    IvrMode,
    LineKind,
    MultiRingMode,
    OverflowMode,
    RestrictionProfile,
)
from .calendar import Calendar, calendar_from_dict
from .numbers import normalize_number

FORWARD_KINDS = ("immediate", "busy", "no_answer", "unreachable", "scheduled")


def default_services(kind: str, associated_mobile: str | None = None) -> dict[str, Any]:
    """The services block of a new line of ``kind``, with the seed's « valeur par défaut » (§6)."""
    user_line = kind in (LineKind.FIXE, LineKind.MOBILE)
    forward_off = {"enabled": False, "destination": ForwardDestination.MESSAGERIE, "number": None}
    forward_vm = {"enabled": user_line, "destination": ForwardDestination.MESSAGERIE, "number": None}
    immediate = dict(forward_off)
    if kind == LineKind.NUMERO_FIXE_MOBILE:
        # « Activé vers la ligne mobile associée »
        immediate = {
            "enabled": bool(associated_mobile),
            "destination": ForwardDestination.NUMERO,
            "number": associated_mobile,
        }
    if kind == LineKind.ANALOGIQUE:
        immediate["destination"] = ForwardDestination.NUMERO
    return {
        "caller_id": {"mode": CallerIdMode.LIGNE, "number": None},
        "callback_on_busy": True,
        "restriction_profile": RestrictionProfile.SANS_RESTRICTION,
        "do_not_disturb": False,
        "reject_anonymous": False,
        "call_waiting": False,
        "distinctive_ring": False,
        "multi_ring": {"enabled": False, "mode": MultiRingMode.SIMULTANE, "numbers": []},
        "welcome_announcement": {"enabled": False, "announcement": None, "interruptible": False, "calendar": None},
        "hold_announcement": {"enabled": user_line, "announcement": None},
        "call_waiting_announcement": {"enabled": user_line, "announcement": None},
        "blocked_numbers": [],
        "forwards": {
            "immediate": immediate,
            "busy": dict(forward_vm),
            "no_answer": {**forward_vm, "rings": DEFAULT_NO_ANSWER_RINGS},
            "unreachable": dict(forward_vm),
            "scheduled": {**forward_off, "calendar": None},
        },
        "voicemail_notification": {"enabled": False, "email": None, "attach_message": False},
    }


def merge_defaults(defaults: dict[str, Any], given: dict[str, Any] | None) -> dict[str, Any]:
    """Deep merge: values given win, missing keys take the default."""
    result = copy.deepcopy(defaults)
    for key, value in (given or {}).items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge_defaults(result[key], value)
        else:
            result[key] = value
    return result


@dataclass(frozen=True)
class Forward:
    enabled: bool
    destination: str = ForwardDestination.MESSAGERIE
    number: str | None = None
    rings: int = DEFAULT_NO_ANSWER_RINGS
    calendar: str | None = None


@dataclass(frozen=True)
class AnnouncementUse:
    """An announcement slot of a line or group: ``announcement`` None means the slot's default one."""

    enabled: bool
    slot: str
    announcement: str | None = None
    interruptible: bool = False
    calendar: str | None = None

    @property
    def name(self) -> str:
        if self.announcement:
            return self.announcement
        default = DEFAULT_ANNOUNCEMENTS.get(self.slot)
        return default[0] if default else "(aucune annonce)"


@dataclass(frozen=True)
class Hardware:
    kind: str = HardwareKind.AUCUN
    model: str | None = None
    mac: str | None = None
    iccid: str | None = None
    keys: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Line:
    number: str
    kind: str
    site: str
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    name: str = ""
    short_number: str | None = None
    associated_mobile: str | None = None
    collaboration: str = Collaboration.AUCUNE
    hardware: Hardware = field(default_factory=Hardware)
    caller_id_mode: str = CallerIdMode.LIGNE
    caller_id_number: str | None = None
    callback_on_busy: bool = True
    restriction_profile: str = RestrictionProfile.SANS_RESTRICTION
    do_not_disturb: bool = False
    reject_anonymous: bool = False
    call_waiting: bool = False
    distinctive_ring: bool = False
    multi_ring_enabled: bool = False
    multi_ring_mode: str = MultiRingMode.SIMULTANE
    multi_ring_numbers: tuple[str, ...] = ()
    welcome: AnnouncementUse = AnnouncementUse(False, AnnouncementSlot.ACCUEIL_LIGNE)
    hold: AnnouncementUse = AnnouncementUse(True, AnnouncementSlot.ATTENTE_LIGNE)
    call_waiting_announcement: AnnouncementUse = AnnouncementUse(True, AnnouncementSlot.DOUBLE_APPEL)
    blocked_numbers: tuple[str, ...] = ()
    forwards: dict[str, Forward] = field(default_factory=dict)
    voicemail_notification: bool = False
    voicemail_email: str | None = None
    voicemail_attach: bool = False

    @property
    def label(self) -> str:
        person = f"{self.first_name} {self.last_name}".strip()
        return f"{person or self.name or 'ligne'} ({self.number})"

    @property
    def max_calls(self) -> int:
        return MAX_CALLS_BY_HARDWARE.get(self.hardware.kind, 2)

    def forward(self, kind: str) -> Forward:
        return self.forwards.get(kind) or Forward(False)


@dataclass(frozen=True)
class Member:
    number: str
    present: bool = True


@dataclass(frozen=True)
class CallGroup:
    name: str
    number: str
    site: str
    distribution: str = DistributionMode.POSTE_LIBRE
    max_rings: int = DEFAULT_GROUP_RINGS
    inter_call_delay: int | None = None  # seconds when activated
    max_waiting_calls: int = DEFAULT_MAX_WAITING_CALLS
    max_wait_seconds: int = DEFAULT_MAX_WAIT_SECONDS
    overflow_mode: str = OverflowMode.DISSUASION
    overflow_number: str | None = None
    welcome: AnnouncementUse = AnnouncementUse(True, AnnouncementSlot.ACCUEIL_GROUPE, interruptible=True)
    hold: AnnouncementUse = AnnouncementUse(True, AnnouncementSlot.ATTENTE_GROUPE)
    closing_calendar: str | None = None
    closing_number: str | None = None
    members: tuple[Member, ...] = ()

    @property
    def label(self) -> str:
        return f"« {self.name} » ({self.number})"


@dataclass(frozen=True)
class IvrKey:
    key: str
    number: str | None = None
    label: str = ""
    submenu: IvrMenu | None = None


@dataclass(frozen=True)
class IvrMenu:
    announcement: str | None = None
    keys: dict[str, IvrKey] = field(default_factory=dict)


@dataclass(frozen=True)
class Ivr:
    name: str
    number: str
    site: str
    enabled: bool = True
    mode: str = IvrMode.UNIQUE
    calendar: str | None = None
    open_menu: IvrMenu = field(default_factory=IvrMenu)
    closed_menu: IvrMenu | None = None

    @property
    def label(self) -> str:
        return f"« {self.name} » ({self.number})"


@dataclass(frozen=True)
class Announcement:
    name: str
    duration_seconds: float
    site: str | None = None
    line: str | None = None
    format: str = "mp3"


@dataclass(frozen=True)
class CompanyConfig:
    name: str = ""
    sites: tuple[str, ...] = ()
    calendars: dict[str, Calendar] = field(default_factory=dict)
    announcements: tuple[Announcement, ...] = ()
    lines: dict[str, Line] = field(default_factory=dict)
    call_groups: dict[str, CallGroup] = field(default_factory=dict)
    ivrs: dict[str, Ivr] = field(default_factory=dict)
    pickup_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name → member numbers
    directory: dict[str, str] = field(default_factory=dict)  # short number → number

    def resolve(self, dialled: str) -> Line | CallGroup | Ivr | None:
        """The entity reached by ``dialled`` (E.164, national writing or a short number)."""
        number = normalize_number(dialled)
        if number in self.lines:
            return self.lines[number]
        if number in self.call_groups:
            return self.call_groups[number]
        if number in self.ivrs:
            return self.ivrs[number]
        for line in self.lines.values():
            if line.short_number and line.short_number == number:
                return line
        target = self.directory.get(number)
        if target and normalize_number(target) != number:
            return self.resolve(target)
        return None

    def is_internal(self, number: str | None) -> bool:
        return bool(number) and self.resolve(number or "") is not None

    def announcement_seconds(self, use: AnnouncementUse, *, owner_site: str | None, owner_line: str | None) -> float:
        """Duration of the announcement a slot plays (defaults have a nominal length, decision t6)."""
        if use.announcement:
            for a in self.announcements:
                if a.name == use.announcement and (a.site == owner_site or a.line == owner_line):
                    return a.duration_seconds
            for a in self.announcements:
                if a.name == use.announcement:
                    return a.duration_seconds
        default = DEFAULT_ANNOUNCEMENTS.get(use.slot)
        return default[1] if default else 0.0

    def pickup_group_of(self, number: str) -> str | None:
        return next((name for name, members in self.pickup_groups.items() if number in members), None)


# --- Parsing the JSON document ------------------------------------------------------------------------------


def _use(data: dict[str, Any] | None, slot: str, *, enabled: bool, interruptible: bool = False) -> AnnouncementUse:
    data = data or {}
    return AnnouncementUse(
        enabled=bool(data.get("enabled", enabled)),
        slot=slot,
        announcement=data.get("announcement"),
        interruptible=bool(data.get("interruptible", interruptible)),
        calendar=data.get("calendar"),
    )


def line_from_dict(data: dict[str, Any]) -> Line:
    number = normalize_number(data["number"])
    kind = data["kind"]
    mobile = normalize_number(data["associated_mobile"]) if data.get("associated_mobile") else None
    s = merge_defaults(default_services(kind, mobile), data.get("services"))
    hw = data.get("hardware") or {}
    forwards = {}
    for fk in FORWARD_KINDS:
        f = s["forwards"][fk]
        forwards[fk] = Forward(
            enabled=bool(f.get("enabled")),
            destination=f.get("destination") or ForwardDestination.MESSAGERIE,
            number=normalize_number(f["number"]) if f.get("number") else None,
            rings=int(f.get("rings") or DEFAULT_NO_ANSWER_RINGS),
            calendar=f.get("calendar"),
        )
    user_line = kind in (LineKind.FIXE, LineKind.MOBILE)
    return Line(
        number=number,
        kind=kind,
        site=data.get("site") or "",
        first_name=data.get("first_name") or "",
        last_name=data.get("last_name") or "",
        email=data.get("email"),
        name=data.get("name") or "",
        short_number=data.get("short_number"),
        associated_mobile=mobile,
        collaboration=data.get("collaboration") or Collaboration.AUCUNE,
        hardware=Hardware(
            kind=hw.get("kind") or HardwareKind.AUCUN,
            model=hw.get("model"),
            mac=hw.get("mac"),
            iccid=hw.get("iccid"),
            keys=tuple(hw.get("keys") or ()),
        ),
        caller_id_mode=s["caller_id"]["mode"],
        caller_id_number=s["caller_id"].get("number"),
        callback_on_busy=bool(s["callback_on_busy"]),
        restriction_profile=s["restriction_profile"],
        do_not_disturb=bool(s["do_not_disturb"]),
        reject_anonymous=bool(s["reject_anonymous"]),
        call_waiting=bool(s["call_waiting"]),
        distinctive_ring=bool(s["distinctive_ring"]),
        multi_ring_enabled=bool(s["multi_ring"]["enabled"]),
        multi_ring_mode=s["multi_ring"].get("mode") or MultiRingMode.SIMULTANE,
        multi_ring_numbers=tuple(normalize_number(n) for n in s["multi_ring"].get("numbers") or ()),
        welcome=_use(s["welcome_announcement"], AnnouncementSlot.ACCUEIL_LIGNE, enabled=False),
        hold=_use(s["hold_announcement"], AnnouncementSlot.ATTENTE_LIGNE, enabled=user_line),
        call_waiting_announcement=_use(
            s["call_waiting_announcement"], AnnouncementSlot.DOUBLE_APPEL, enabled=user_line
        ),
        blocked_numbers=tuple(s["blocked_numbers"] or ()),
        forwards=forwards,
        voicemail_notification=bool(s["voicemail_notification"].get("enabled")),
        voicemail_email=s["voicemail_notification"].get("email"),
        voicemail_attach=bool(s["voicemail_notification"].get("attach_message")),
    )


def group_from_dict(data: dict[str, Any]) -> CallGroup:
    delay = data.get("inter_call_delay") or {}
    overflow = data.get("overflow") or {}
    closing = data.get("closing") or {}
    return CallGroup(
        name=data["name"],
        number=normalize_number(data["number"]),
        site=data.get("site") or "",
        distribution=data.get("distribution") or DistributionMode.POSTE_LIBRE,
        max_rings=int(data.get("max_rings") or DEFAULT_GROUP_RINGS),
        inter_call_delay=int(delay["seconds"]) if delay.get("enabled") and delay.get("seconds") else None,
        max_waiting_calls=int(data.get("max_waiting_calls", DEFAULT_MAX_WAITING_CALLS)),
        max_wait_seconds=int(data.get("max_wait_seconds", DEFAULT_MAX_WAIT_SECONDS)),
        overflow_mode=overflow.get("mode") or OverflowMode.DISSUASION,
        overflow_number=normalize_number(overflow["number"]) if overflow.get("number") else None,
        welcome=_use(
            data.get("welcome_announcement"), AnnouncementSlot.ACCUEIL_GROUPE, enabled=True, interruptible=True
        ),
        hold=_use(data.get("hold_announcement"), AnnouncementSlot.ATTENTE_GROUPE, enabled=True),
        closing_calendar=closing.get("calendar"),
        closing_number=normalize_number(closing["number"]) if closing.get("number") else None,
        members=tuple(
            Member(normalize_number(m["number"]), bool(m.get("present", True))) for m in data.get("members") or ()
        ),
    )


def menu_from_dict(data: dict[str, Any] | None) -> IvrMenu | None:
    if data is None:
        return None
    keys = {}
    for k in data.get("keys") or ():
        keys[str(k["key"])] = IvrKey(
            key=str(k["key"]),
            number=normalize_number(k["number"]) if k.get("number") else None,
            label=k.get("label") or "",
            submenu=menu_from_dict(k.get("submenu")),
        )
    return IvrMenu(announcement=data.get("announcement"), keys=keys)


def ivr_from_dict(data: dict[str, Any]) -> Ivr:
    return Ivr(
        name=data["name"],
        number=normalize_number(data["number"]),
        site=data.get("site") or "",
        enabled=bool(data.get("enabled", True)),
        mode=data.get("mode") or (IvrMode.CALENDRIER if data.get("calendar") else IvrMode.UNIQUE),
        calendar=data.get("calendar"),
        open_menu=menu_from_dict(data.get("open_menu")) or IvrMenu(),
        closed_menu=menu_from_dict(data.get("closed_menu")),
    )


def config_from_document(doc: dict[str, Any]) -> CompanyConfig:
    lines = {}
    for raw in doc.get("lines") or ():
        line = line_from_dict(raw)
        lines[line.number] = line
    directory = {str(c["short_number"]): c["number"] for c in doc.get("directory") or () if c.get("short_number")}
    return CompanyConfig(
        name=(doc.get("company") or {}).get("name", ""),
        sites=tuple(s["name"] for s in doc.get("sites") or ()),
        calendars={c["name"]: calendar_from_dict(c) for c in doc.get("calendars") or ()},
        announcements=tuple(
            Announcement(
                name=a["name"],
                duration_seconds=float(a.get("duration_seconds") or 0),
                site=a.get("site"),
                line=normalize_number(a["line"]) if a.get("line") else None,
                format=a.get("format") or "mp3",
            )
            for a in doc.get("announcements") or ()
        ),
        lines=lines,
        call_groups={g.number: g for g in (group_from_dict(x) for x in doc.get("call_groups") or ())},
        ivrs={i.number: i for i in (ivr_from_dict(x) for x in doc.get("ivrs") or ())},
        pickup_groups={
            p["name"]: tuple(normalize_number(n) for n in p.get("members") or ())
            for p in doc.get("pickup_groups") or ()
        },
        directory=directory,
    )

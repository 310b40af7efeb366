"""« Où va cet appel ? » — a pure call-routing simulator for the hosted telephony offer (seed 003).

``simulate(config, to, at, caller, state)`` follows the seed's rules and returns an
ordered trace (each step a machine-readable ``kind`` and a French ``text``) and
exactly one outcome. Nothing here touches the database or the clock.

Order of the rules for a user line (§6.5, §6.6, §6.7, §6.13, §6.14), see decisions t11–t14:

1. blocked caller, then anonymous caller rejection;
2. scheduled forward while its calendar is closed, then immediate forward
   (« Le renvoi d'appel programmé qui prévaut sur > Le renvoi d'appel immédiat prévaut sur > … »);
3. do-not-disturb: behaves as the busy forward (« s'appuie sur le Renvoi sur Occupation »);
4. not registered: unreachable forward;
5. in a call: call waiting first while the terminal has room, else the busy forward;
6. idle: welcome announcement (interruptible or not), ringing (with « sonnerie sur plusieurs
   lignes »), then the no-answer forward.

A call group (§7) ignores its members' forwards and DND (« La connexion à un groupement
d'appels prévaut sur tous les renvois d'une ligne »); a member is in the queue when it is
registered, connected to its groups and « présent » in this group, and available when not
in a call and past its inter-call delay. Distribution modes Linéaire, Poste libre, Cyclique,
Parallèle; the queue is limited by the maximum number of waiting calls and the maximum wait,
after which the call overflows (nothing, the dissuasion message, or a number — never a
voicemail). An IVR (§3.5, §8) always answers, picks its open or closed menu by calendar and
reads the caller's keys.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NoReturn

from ..choices import (
    DEFAULT_ANNOUNCEMENTS,
    RING_SECONDS,
    WEEKDAY_NAMES,
    AnnouncementSlot,
    DistributionMode,
    ForwardDestination,
    LineKind,
    MultiRingMode,
    OverflowMode,
)
from .calendar import PARIS
from .config import CallGroup, CompanyConfig, Ivr, IvrMenu, Line
from .numbers import normalize_number

MAX_HOPS = 10


class StepKind(StrEnum):
    CALL = "call"
    ENTITY = "entity"
    BLOCKED = "blocked"
    ANONYMOUS = "anonymous"
    CALENDAR = "calendar"
    FORWARD_SCHEDULED = "forward_scheduled"
    FORWARD_IMMEDIATE = "forward_immediate"
    FORWARD_BUSY = "forward_busy"
    FORWARD_NO_ANSWER = "forward_no_answer"
    FORWARD_UNREACHABLE = "forward_unreachable"
    DND = "do_not_disturb"
    UNREACHABLE = "unreachable"
    BUSY = "busy"
    CALL_WAITING = "call_waiting"
    ANNOUNCEMENT = "announcement"
    RING = "ring"
    NO_ANSWER = "no_answer"
    GROUP_CLOSED = "group_closed"
    MEMBER = "member"
    QUEUE = "queue"
    OVERFLOW = "overflow"
    IVR_MENU = "ivr_menu"
    IVR_KEY = "ivr_key"
    NOTE = "note"


class OutcomeKind(StrEnum):
    ANSWERED = "answered"
    VOICEMAIL = "voicemail"
    EXTERNAL = "external"
    BUSY = "busy"
    FAILED = "failed"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"
    NO_ANSWER = "no_answer"
    DISSUASION = "dissuasion"
    HANGUP = "hangup"
    NO_INPUT = "no_input"
    INVALID_KEY = "invalid_key"
    UNKNOWN_NUMBER = "unknown_number"
    LOOP = "loop"


# --- Live state of the lines at the time of the call -------------------------------------------------------


@dataclass
class LineState:
    """What the network knows of a line when the call arrives (defaults: an idle, registered phone that answers)."""

    registered: bool = True
    calls_in_progress: int = 0
    do_not_disturb: bool | None = None  # None: as configured; the phone may toggle it (§6.5)
    connected: bool = True  # « connectée à ses groupements » (phone / Webex)
    present: dict[str, bool] = field(default_factory=dict)  # group number → présent/sorti override
    last_call_end: datetime | None = None
    answers: bool = True
    answer_after_rings: int = 1
    max_calls: int | None = None  # terminal quota override


@dataclass
class GroupState:
    calls_waiting: int = 0
    last_answered: str | None = None  # for Cyclique


@dataclass
class CallState:
    lines: dict[str, LineState] = field(default_factory=dict)
    groups: dict[str, GroupState] = field(default_factory=dict)
    keys: str = ""  # digits the caller will type in IVR menus, in order

    def line(self, number: str) -> LineState:
        return self.lines.setdefault(number, LineState())

    def group(self, number: str) -> GroupState:
        return self.groups.setdefault(number, GroupState())

    def hang_up(self, number: str, at: datetime) -> CallState:
        """A copy where ``number`` ended one call at ``at`` (to chain calls in tests and the UI)."""
        new = copy.deepcopy(self)
        ls = new.line(normalize_number(number))
        ls.calls_in_progress = max(0, ls.calls_in_progress - 1)
        ls.last_call_end = at
        return new


def _aware(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=PARIS)


def state_from_dict(data: dict[str, Any] | None) -> CallState:
    """From the STATE.json document (see the schema's ``$defs/state``)."""
    data = data or {}
    lines = {}
    for number, raw in (data.get("lines") or {}).items():
        lines[normalize_number(number)] = LineState(
            registered=bool(raw.get("registered", True)),
            calls_in_progress=int(raw.get("calls_in_progress", 0)),
            do_not_disturb=raw.get("do_not_disturb"),
            connected=bool(raw.get("connected", True)),
            present={normalize_number(k): bool(v) for k, v in (raw.get("present") or {}).items()},
            last_call_end=_aware(raw.get("last_call_end")),
            answers=bool(raw.get("answers", True)),
            answer_after_rings=max(1, int(raw.get("answer_after_rings", 1))),
            max_calls=raw.get("max_calls"),
        )
    groups = {
        normalize_number(number): GroupState(
            calls_waiting=int(raw.get("calls_waiting", 0)),
            last_answered=normalize_number(raw["last_answered"]) if raw.get("last_answered") else None,
        )
        for number, raw in (data.get("call_groups") or {}).items()
    }
    return CallState(lines=lines, groups=groups, keys=str((data.get("caller") or {}).get("keys") or ""))


def state_to_dict(state: CallState) -> dict[str, Any]:
    def line(ls: LineState) -> dict[str, Any]:
        d = asdict(ls)
        d["last_call_end"] = ls.last_call_end.isoformat() if ls.last_call_end else None
        return d

    return {
        "lines": {n: line(ls) for n, ls in state.lines.items()},
        "call_groups": {n: asdict(gs) for n, gs in state.groups.items()},
        "caller": {"keys": state.keys},
    }


# --- Result -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    kind: str
    text: str
    at: int  # seconds since the call arrived
    number: str | None = None
    numbers: tuple[str, ...] = ()  # lines rung together in this step

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "text": self.text, "at": self.at}
        if self.number:
            d["number"] = self.number
        if self.numbers:
            d["numbers"] = list(self.numbers)
        return d


@dataclass(frozen=True)
class Outcome:
    kind: str
    text: str
    at: int
    number: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "text": self.text, "at": self.at}
        if self.number:
            d["number"] = self.number
        return d


@dataclass(frozen=True)
class Simulation:
    steps: tuple[Step, ...]
    outcome: Outcome
    state_after: CallState

    def as_dict(self) -> dict[str, Any]:
        return {"steps": [s.as_dict() for s in self.steps], "outcome": self.outcome.as_dict()}

    def kinds(self) -> list[str]:
        return [s.kind for s in self.steps]


class _Finished(Exception):
    """Unwinds the routing once the outcome is known."""


def _dt_text(at: datetime) -> str:
    local = at.astimezone(PARIS)
    return f"{WEEKDAY_NAMES[local.weekday()]} {local:%d/%m/%Y} à {local:%H:%M}"


def _secs(value: float) -> str:
    return f"{round(value)} s"


# --- The run ------------------------------------------------------------------------------------------------


class _Run:
    def __init__(self, config: CompanyConfig, at: datetime, caller: str | None, state: CallState) -> None:
        self.config = config
        self.at = at
        self.caller = normalize_number(caller) if caller else None
        self.state = copy.deepcopy(state)
        self.keys = list(self.state.keys)
        self.t = 0.0
        self.steps: list[Step] = []
        self.outcome: Outcome | None = None
        self.hops = 0
        self.visited: set[str] = set()

    @property
    def now(self) -> datetime:
        return self.at + timedelta(seconds=self.t)

    def step(self, kind: str, text: str, number: str | None = None, numbers: tuple[str, ...] = ()) -> None:
        self.steps.append(Step(str(kind), text, round(self.t), number, numbers))

    def finish(self, kind: OutcomeKind, text: str, number: str | None = None) -> NoReturn:
        if self.outcome is not None:
            raise RuntimeError("a call can only end once")
        self.outcome = Outcome(str(kind), text, round(self.t), number)
        raise _Finished

    # -- dispatch --------------------------------------------------------------------------------------------

    def route(self, dialled: str, *, forwarded_from: str | None = None) -> None:
        entity = self.config.resolve(dialled)
        number = normalize_number(dialled)
        if entity is None:
            if forwarded_from is None:
                self.finish(
                    OutcomeKind.UNKNOWN_NUMBER,
                    f"Le numéro {number} n'appartient pas à la configuration de l'entreprise.",
                    number,
                )
            self.finish(OutcomeKind.EXTERNAL, f"L'appel sort vers le réseau public : {number}.", number)
        self.hops += 1
        if self.hops > MAX_HOPS or (entity.number in self.visited and not isinstance(entity, Ivr)):
            self.finish(
                OutcomeKind.LOOP,
                f"Boucle de renvois : {entity.number} est atteint une seconde fois, l'appel est libéré.",
                entity.number,
            )
        self.visited.add(entity.number)
        if isinstance(entity, CallGroup):
            self.group(entity)
        elif isinstance(entity, Ivr):
            self.ivr(entity)
        else:
            self.line(entity)

    # -- user, mobile and analogue lines ---------------------------------------------------------------------

    def line(self, line: Line) -> None:
        ls = self.state.line(line.number)
        self.step(StepKind.ENTITY, f"Ligne {line.label} — {LineKind(line.kind).label}.", line.number)

        if self.caller and any(normalize_number(b) == self.caller for b in line.blocked_numbers):
            self.step(
                StepKind.BLOCKED, f"Le numéro appelant {self.caller} fait partie des numéros bloqués.", line.number
            )
            self.finish(OutcomeKind.REJECTED, "Appel rejeté : numéro bloqué sur cette ligne.", line.number)
        if self.caller is None and line.reject_anonymous:
            self.step(StepKind.ANONYMOUS, "Appel anonyme et rejet des appels anonymes activé.", line.number)
            self.finish(
                OutcomeKind.REJECTED,
                "L'appel n'aboutit pas ; l'appelant entend « Votre correspondant ne souhaite pas recevoir d'appels "
                "anonymes. Pour le joindre, désactivez le masquage de votre numéro ».",
                line.number,
            )

        scheduled = line.forward("scheduled")
        if scheduled.enabled and scheduled.calendar:
            status = self.calendar_status(scheduled.calendar)
            if not status[0]:
                self.step(
                    StepKind.FORWARD_SCHEDULED,
                    f"Renvoi programmé actif : calendrier « {scheduled.calendar} » fermé ({status[1]}) ; "
                    "il agit comme un renvoi immédiat, la ligne ne sonne pas.",
                    line.number,
                )
                self.forward(line, "scheduled")
            self.step(
                StepKind.CALENDAR,
                f"Renvoi programmé : calendrier « {scheduled.calendar} » ouvert ({status[1]}), pas de renvoi.",
                line.number,
            )
        immediate = line.forward("immediate")
        if immediate.enabled:
            self.step(
                StepKind.FORWARD_IMMEDIATE,
                "Renvoi immédiat actif : l'appel est renvoyé sans faire sonner la ligne.",
                line.number,
            )
            self.forward(line, "immediate")
        if line.kind == LineKind.NUMERO_FIXE_MOBILE:
            self.step(
                StepKind.UNREACHABLE, "Ligne virtuelle sans terminal : elle ne reçoit jamais d'appel.", line.number
            )
            self.finish(
                OutcomeKind.UNREACHABLE, "Ligne injoignable (aucun renvoi immédiat vers le mobile).", line.number
            )

        dnd = line.do_not_disturb if ls.do_not_disturb is None else ls.do_not_disturb
        if dnd and line.kind != LineKind.ANALOGIQUE:
            self.step(
                StepKind.DND,
                "Ne pas déranger activé : la ligne s'appuie sur le renvoi sur occupation.",
                line.number,
            )
            if line.forward("busy").enabled:
                self.forward(line, "busy")
            self.finish(
                OutcomeKind.FAILED,
                "L'appel n'aboutit pas (ne pas déranger sans renvoi sur occupation).",
                line.number,
            )

        if not ls.registered:
            self.step(
                StepKind.UNREACHABLE,
                "La ligne n'est pas enregistrée dans le réseau (terminal éteint ou déconnecté).",
                line.number,
            )
            if line.forward("unreachable").enabled:
                self.forward(line, "unreachable")
            self.finish(OutcomeKind.UNREACHABLE, "Ligne injoignable : aucun renvoi sur non joignabilité.", line.number)

        welcome_on = self.welcome_active(line)
        if ls.calls_in_progress > 0:
            self.busy_line(line, ls, welcome_on)
        self.idle_line(line, ls, welcome_on)

    def welcome_active(self, line: Line) -> bool:
        if not line.welcome.enabled:
            return False
        if line.welcome.calendar:
            is_open, why = self.calendar_status(line.welcome.calendar)
            if not is_open:
                self.step(
                    StepKind.CALENDAR,
                    f"Annonce d'accueil non jouée : calendrier « {line.welcome.calendar} » fermé ({why}).",
                    line.number,
                )
                return False
        return True

    def busy_line(self, line: Line, ls: LineState, welcome_on: bool) -> None:
        quota = ls.max_calls or line.max_calls
        if line.call_waiting and ls.calls_in_progress < quota:
            self.step(
                StepKind.CALL_WAITING,
                f"Ligne en communication ({ls.calls_in_progress} appel(s), jusqu'à {quota} sur ce terminal) et "
                "signal d'appel activé : le nouvel appel est signalé à l'utilisateur (il prévaut sur le renvoi sur "
                "occupation).",
                line.number,
            )
            self.call_waiting_experience(line, welcome_on)
            if ls.answers:
                self.t += ls.answer_after_rings * RING_SECONDS
                ls.calls_in_progress += 1
                hold = (
                    f" ; son premier correspondant entend l'annonce de mise en attente « {line.hold.name} »"
                    if line.hold.enabled
                    else ""
                )
                self.finish(
                    OutcomeKind.ANSWERED,
                    f"{line.label} prend l'appel en mettant la communication en cours en attente{hold}.",
                    line.number,
                )
            self.step(
                StepKind.NO_ANSWER,
                "L'utilisateur refuse l'appel signalé (ou ne le prend pas) : il tombe dans le renvoi sur non-réponse.",
                line.number,
            )
            self.no_answer(line)
        if line.call_waiting:
            text = f"Quota d'appels simultanés du terminal atteint ({quota}) : renvoi sur occupation."
        elif line.kind == LineKind.ANALOGIQUE:
            text = "Ligne analogique occupée."
        else:
            text = "Ligne en communication et signal d'appel désactivé : renvoi sur occupation."
        self.step(StepKind.BUSY, text, line.number)
        if line.forward("busy").enabled and line.kind != LineKind.ANALOGIQUE:
            self.forward(line, "busy")
        self.finish(OutcomeKind.BUSY, "L'appelant entend la tonalité occupée.", line.number)

    def call_waiting_experience(self, line: Line, welcome_on: bool) -> None:
        """The caller's side of a waiting call: the summary table of §6.7."""
        cw = line.call_waiting_announcement
        welcome = line.welcome.name
        if welcome_on and not line.welcome.interruptible:
            seconds = self.config.announcement_seconds(line.welcome, owner_site=None, owner_line=line.number)
            then = (
                f"puis l'annonce de double appel « {cw.name} » en boucle" if cw.enabled else "puis l'alerting classique"
            )
            self.step(
                StepKind.ANNOUNCEMENT,
                f"Annonce d'accueil « {welcome} » (non interruptive) jouée une fois ({_secs(seconds)}), {then} ; "
                "l'appel est signalé après le jeu complet de l'annonce.",
                line.number,
            )
            self.t += seconds
        elif welcome_on:
            text = (
                f"Annonce de double appel « {cw.name} » jouée en boucle"
                if cw.enabled
                else f"Annonce d'accueil « {welcome} » (interruptive) jouée en boucle, alerting classique"
            )
            self.step(
                StepKind.ANNOUNCEMENT,
                f"{text} ; l'appel est signalé en même temps que l'annonce.",
                line.number,
            )
        elif cw.enabled:
            self.step(
                StepKind.ANNOUNCEMENT,
                f"Annonce de double appel « {cw.name} » jouée en boucle jusqu'à la prise ou au refus de l'appel.",
                line.number,
            )
        else:
            self.step(StepKind.RING, "Aucune annonce : l'appelant entend l'alerting classique.", line.number)

    def idle_line(self, line: Line, ls: LineState, welcome_on: bool) -> None:
        if welcome_on:
            seconds = self.config.announcement_seconds(line.welcome, owner_site=None, owner_line=line.number)
            if line.welcome.interruptible:
                self.step(
                    StepKind.ANNOUNCEMENT,
                    f"Annonce d'accueil « {line.welcome.name} » (mode interruptif) : la ligne sonne pendant "
                    "l'annonce, l'utilisateur peut décrocher en l'interrompant.",
                    line.number,
                )
            else:
                self.step(
                    StepKind.ANNOUNCEMENT,
                    f"Annonce d'accueil « {line.welcome.name} » (mode non interruptif) jouée entièrement "
                    f"({_secs(seconds)}) avant que la ligne sonne.",
                    line.number,
                )
                self.t += seconds
        no_answer = line.forward("no_answer")
        has_no_answer = no_answer.enabled and line.kind != LineKind.ANALOGIQUE
        limit = no_answer.rings if has_no_answer else None
        extras = line.multi_ring_numbers if line.multi_ring_enabled and line.kind != LineKind.ANALOGIQUE else ()
        notes = self.ring_notes(line)
        if extras and line.multi_ring_mode == MultiRingMode.SIMULTANE:
            rung = (line.number, *extras)
            self.step(
                StepKind.RING,
                f"Sonnerie sur plusieurs lignes (simultané) : {', '.join(rung)} sonnent en même temps{notes}.",
                line.number,
                rung,
            )
            answering = [
                (self.state.line(n).answer_after_rings, i, n)
                for i, n in enumerate(rung)
                if self.state.line(n).answers
                and self.state.line(n).registered
                and (limit is None or self.state.line(n).answer_after_rings <= limit)
            ]
            if answering:
                rings, _, who = min(answering)
                self.answered_by(who, rings, f"{who} décroche en premier et récupère l'appel.")
        elif extras:
            per_target = limit or no_answer.rings
            for i, n in enumerate((line.number, *extras)):
                target = self.state.line(n)
                what = "la ligne de l'utilisateur sonne en premier" if i == 0 else f"puis {n} sonne"
                self.step(
                    StepKind.RING,
                    f"Sonnerie sur plusieurs lignes (séquentiel) : {what} ({per_target} sonneries){notes if i == 0 else ''}.",
                    line.number,
                    (n,),
                )
                if target.answers and target.registered and target.answer_after_rings <= per_target:
                    self.answered_by(n, target.answer_after_rings, f"{n} décroche.")
                self.t += per_target * RING_SECONDS
                self.step(StepKind.NO_ANSWER, f"{n} ne répond pas après {per_target} sonneries.", line.number)
            self.no_answer(line, already_waited=True)
        else:
            self.step(StepKind.RING, f"La ligne sonne{notes}.", line.number, (line.number,))
            if ls.answers and (limit is None or ls.answer_after_rings <= limit):
                self.answered_by(line.number, ls.answer_after_rings, f"{line.label} décroche.")
        if limit is None:
            self.finish(
                OutcomeKind.NO_ANSWER,
                "Personne ne décroche : la ligne sonne jusqu'à ce que l'appelant raccroche (pas de renvoi sur "
                "non-réponse).",
                line.number,
            )
        self.t += limit * RING_SECONDS
        self.step(StepKind.NO_ANSWER, f"Pas de réponse après {limit} sonneries.", line.number)
        self.no_answer(line, already_waited=True)

    def ring_notes(self, line: Line) -> str:
        notes = []
        if line.distinctive_ring:
            notes.append(
                "sonnerie différenciée : appel " + ("interne" if self.config.is_internal(self.caller) else "externe")
            )
        group = self.config.pickup_group_of(line.number)
        if group:
            notes.append(f"interceptable par *98 depuis le groupe d'interception « {group} »")
        return f" ({' ; '.join(notes)})" if notes else ""

    def answered_by(self, number: str, rings: int, text: str) -> None:
        self.t += rings * RING_SECONDS
        self.state.line(number).calls_in_progress += 1
        self.finish(OutcomeKind.ANSWERED, text, number)

    def no_answer(self, line: Line, *, already_waited: bool = False) -> None:
        if line.forward("no_answer").enabled and line.kind != LineKind.ANALOGIQUE:
            self.forward(line, "no_answer")
        self.finish(
            OutcomeKind.NO_ANSWER,
            "Personne ne prend l'appel et aucun renvoi sur non-réponse n'est activé.",
            line.number,
        )

    def forward(self, line: Line, kind: str) -> None:
        f = line.forward(kind)
        step_kind = {
            "scheduled": StepKind.FORWARD_SCHEDULED,
            "immediate": StepKind.FORWARD_IMMEDIATE,
            "busy": StepKind.FORWARD_BUSY,
            "no_answer": StepKind.FORWARD_NO_ANSWER,
            "unreachable": StepKind.FORWARD_UNREACHABLE,
        }[kind]
        label = {
            "scheduled": "Renvoi programmé",
            "immediate": "Renvoi immédiat",
            "busy": "Renvoi sur occupation",
            "no_answer": "Renvoi sur non-réponse",
            "unreachable": "Renvoi sur non joignabilité",
        }[kind]
        if f.destination == ForwardDestination.MESSAGERIE or not f.number:
            self.step(step_kind, f"{label} vers la messagerie vocale.", line.number)
            convergent = " (messagerie convergente avec la ligne mobile associée)" if line.associated_mobile else ""
            self.finish(
                OutcomeKind.VOICEMAIL,
                f"Messagerie vocale de {line.label}{convergent} : l'appelant peut déposer un message.",
                line.number,
            )
        self.step(
            step_kind,
            f"{label} vers {f.number} ; la destination voit le numéro de l'appelant, pas celui de {line.number}.",
            line.number,
        )
        self.route(f.number or "", forwarded_from=line.number)

    # -- call groups -----------------------------------------------------------------------------------------

    def group(self, g: CallGroup) -> None:
        gs = self.state.group(g.number)
        delay = f"délai inter-appels {g.inter_call_delay} s" if g.inter_call_delay else "délai inter-appels désactivé"
        self.step(
            StepKind.ENTITY,
            f"Groupement d'appels {g.label} : mode {DistributionMode(g.distribution).label}, "
            f"{g.max_rings} sonneries maximum, {delay}, {g.max_waiting_calls} appels en attente au plus, "
            f"débordement après {g.max_wait_seconds} s.",
            g.number,
        )
        if g.closing_calendar and g.closing_number:
            is_open, why = self.calendar_status(g.closing_calendar)
            if not is_open:
                self.step(
                    StepKind.GROUP_CLOSED,
                    f"Mode fermeture : calendrier « {g.closing_calendar} » fermé ({why}) → renvoi immédiat vers "
                    f"{g.closing_number}.",
                    g.number,
                )
                self.route(g.closing_number, forwarded_from=g.number)
        if not g.members:
            self.step(StepKind.QUEUE, "Groupement sans aucun membre : la file d'attente est shuntée.", g.number)
            self.overflow(g, "aucun membre")

        connected = []
        for m in g.members:
            reason = self.member_disconnected(g, m.number, m.present)
            if reason:
                self.step(StepKind.MEMBER, f"{self.label_of(m.number)} : {reason}, hors de la file d'appel.", g.number)
            else:
                connected.append(m.number)
                self.member_notes(m.number, g)
        if not connected:
            self.step(
                StepKind.QUEUE,
                "Aucun membre connecté : l'appel passe directement en débordement en shuntant la file d'attente.",
                g.number,
            )
            self.overflow(g, "aucun membre connecté")
        ahead = gs.calls_waiting
        if ahead >= g.max_waiting_calls:
            self.step(
                StepKind.QUEUE,
                f"File d'attente pleine : {ahead} appel(s) déjà en attente pour un maximum de {g.max_waiting_calls}.",
                g.number,
            )
            self.overflow(g, "nombre maximum d'appels en attente atteint")

        if g.welcome.enabled:
            seconds = self.config.announcement_seconds(g.welcome, owner_site=g.site, owner_line=None)
            if g.welcome.interruptible:
                self.step(
                    StepKind.ANNOUNCEMENT,
                    f"Annonce d'accueil « {g.welcome.name} » (mode interruptif) : l'appel est distribué pendant "
                    "l'annonce, un agent disponible peut répondre en l'interrompant.",
                    g.number,
                )
            else:
                self.step(
                    StepKind.ANNOUNCEMENT,
                    f"Annonce d'accueil « {g.welcome.name} » (mode non interruptif) jouée entièrement "
                    f"({_secs(seconds)}) avant la distribution.",
                    g.number,
                )
                self.t += seconds
        deadline = self.t + g.max_wait_seconds
        hold = (
            f" ; l'appelant entend l'annonce d'attente « {g.hold.name} » en boucle"
            if g.hold.enabled
            else (" ; l'appelant entend une sonnerie")
        )
        if ahead:
            self.step(
                StepKind.QUEUE,
                f"{ahead} appel(s) déjà en attente : l'appel est placé derrière eux dans la file{hold}.",
                g.number,
            )
        taken: set[str] = set()
        waiting_announced = bool(ahead)
        while True:
            available = [n for n in self.order(g, connected) if n not in taken and self.member_free_at(g, n) <= self.t]
            while ahead and available:
                served = available.pop(0)
                taken.add(served)
                ahead -= 1
                self.step(
                    StepKind.QUEUE,
                    f"{self.label_of(served)} prend un appel arrivé avant celui-ci.",
                    g.number,
                )
            rung = False
            if not ahead and available:
                rung = True
                self.ring_pass(g, available, deadline)
                if self.t >= deadline:
                    break
                self.step(
                    StepKind.QUEUE,
                    f"Aucun membre disponible n'a répondu : l'appel reste en file d'attente{hold}.",
                    g.number,
                )
                waiting_announced = True
            elif not waiting_announced:
                busy = [self.label_of(n) for n in connected if n not in available]
                self.step(
                    StepKind.QUEUE,
                    f"Aucun membre disponible ({', '.join(busy)}) : l'appel est mis en file d'attente{hold}.",
                    g.number,
                )
                waiting_announced = True
            upcoming = [
                (self.member_free_at(g, n), n)
                for n in connected
                if n not in taken and self.t < self.member_free_at(g, n) < float("inf")
            ]
            if not upcoming or min(upcoming)[0] >= deadline:
                if rung:
                    self.step(
                        StepKind.QUEUE,
                        "La distribution est rejouée, quitte à solliciter de nouveau les mêmes lignes, jusqu'à "
                        f"l'écoulement du temps d'attente maximum ({g.max_wait_seconds} s).",
                        g.number,
                    )
                self.t = deadline
                break
            when, who = min(upcoming)
            self.t = when
            self.step(
                StepKind.MEMBER, f"{self.label_of(who)} redevient disponible (fin du délai inter-appels).", g.number
            )
        self.step(StepKind.QUEUE, f"Temps d'attente maximum écoulé ({g.max_wait_seconds} s).", g.number)
        self.overflow(g, "temps d'attente maximum écoulé")

    def member_disconnected(self, g: CallGroup, number: str, present_config: bool) -> str | None:
        if number not in self.config.lines:
            return "ligne inconnue de la configuration"
        ls = self.state.line(number)
        if not ls.registered:
            return "non allumée (terminal non enregistré)"
        if not ls.connected:
            return "déconnectée de ses groupements d'appels"
        if not ls.present.get(g.number, present_config):
            return "statut « sorti » dans ce groupement"
        return None

    def member_notes(self, number: str, g: CallGroup) -> None:
        line = self.config.lines[number]
        ls = self.state.line(number)
        active = []
        if line.do_not_disturb if ls.do_not_disturb is None else ls.do_not_disturb:
            active.append("ne pas déranger")
        if line.forward("immediate").enabled:
            active.append("renvoi immédiat")
        if line.forward("scheduled").enabled:
            active.append("renvoi programmé")
        if active:
            self.step(
                StepKind.MEMBER,
                f"{line.label} : {', '.join(active)} sans effet dans le groupement (la connexion au groupement prévaut).",
                g.number,
            )

    def member_free_at(self, g: CallGroup, number: str) -> float:
        """Seconds since the call's arrival from which the member is available (inf: in a call)."""
        ls = self.state.line(number)
        if ls.calls_in_progress > 0:
            return float("inf")
        if g.inter_call_delay and ls.last_call_end:
            ready = (ls.last_call_end - self.at).total_seconds() + g.inter_call_delay
            return max(ready, float("-inf"))
        return float("-inf")

    def order(self, g: CallGroup, connected: list[str]) -> list[str]:
        if g.distribution == DistributionMode.POSTE_LIBRE:

            def idle_since(n: str) -> float:
                ls = self.state.line(n)
                if ls.last_call_end is None:
                    return float("-inf")
                return (ls.last_call_end - self.at).total_seconds() + (g.inter_call_delay or 0)

            return sorted(connected, key=lambda n: (idle_since(n), connected.index(n)))
        if g.distribution == DistributionMode.CYCLIQUE:
            last = self.state.group(g.number).last_answered
            members = [m.number for m in g.members]
            if last in members:
                i = members.index(last) + 1
                rotated = members[i:] + members[:i]
                return [n for n in rotated if n in connected]
        return list(connected)

    def ring_pass(self, g: CallGroup, available: list[str], deadline: float) -> None:
        ring_time = g.max_rings * RING_SECONDS
        if g.distribution == DistributionMode.PARALLELE:
            self.step(
                StepKind.RING,
                f"Mode parallèle : tous les membres disponibles sonnent en même temps ({', '.join(available)}) ; "
                "le premier qui répond récupère l'appel.",
                g.number,
                tuple(available),
            )
            window = min(ring_time, deadline - self.t)
            answering = [
                (self.state.line(n).answer_after_rings, i, n)
                for i, n in enumerate(available)
                if self.state.line(n).answers
                and self.state.line(n).answer_after_rings <= g.max_rings
                and self.state.line(n).answer_after_rings * RING_SECONDS <= window
            ]
            if answering:
                rings, _, who = min(answering)
                self.group_answered(g, who, rings)
            self.t += window
            self.step(StepKind.NO_ANSWER, f"Aucun membre ne répond après {g.max_rings} sonneries.", g.number)
            return
        for i, n in enumerate(available):
            ls = self.state.line(n)
            window = min(ring_time, deadline - self.t)
            self.step(
                StepKind.RING,
                f"Appel présenté à {self.label_of(n)} ({g.max_rings} sonneries au plus).",
                g.number,
                (n,),
            )
            if ls.answers and ls.answer_after_rings <= g.max_rings and ls.answer_after_rings * RING_SECONDS <= window:
                self.group_answered(g, n, ls.answer_after_rings)
            self.t += window
            if self.t >= deadline:
                self.step(StepKind.NO_ANSWER, f"{self.label_of(n)} ne répond pas avant la fin de l'attente.", g.number)
                return
            after = " : appel présenté au suivant" if i + 1 < len(available) else ""
            self.step(StepKind.NO_ANSWER, f"{self.label_of(n)} ne répond pas{after}.", g.number)

    def group_answered(self, g: CallGroup, number: str, rings: int) -> None:
        self.state.group(g.number).last_answered = number
        self.answered_by(number, rings, f"{self.label_of(number)} répond à l'appel du groupement {g.label}.")

    def overflow(self, g: CallGroup, why: str) -> None:
        if g.overflow_mode == OverflowMode.NUMERO and g.overflow_number:
            self.step(StepKind.OVERFLOW, f"Débordement ({why}) : renvoi vers {g.overflow_number}.", g.number)
            self.route(g.overflow_number, forwarded_from=g.number)
        if g.overflow_mode == OverflowMode.DISSUASION:
            name = DEFAULT_ANNOUNCEMENTS[AnnouncementSlot.DISSUASION][0]
            self.step(StepKind.OVERFLOW, f"Débordement ({why}) : disque de dissuasion.", g.number)
            self.finish(
                OutcomeKind.DISSUASION,
                f"Le disque de dissuasion « {name} » invite l'appelant à renouveler son appel.",
                g.number,
            )
        self.step(StepKind.OVERFLOW, f"Débordement ({why}) : pas de renvoi.", g.number)
        self.finish(OutcomeKind.HANGUP, "L'appel est raccroché (raccroché sec).", g.number)

    # -- interactive voice response --------------------------------------------------------------------------

    def ivr(self, ivr: Ivr) -> None:
        self.step(StepKind.ENTITY, f"Accueil vocal interactif {ivr.label}.", ivr.number)
        if not ivr.enabled:
            self.finish(
                OutcomeKind.FAILED, "L'accueil vocal interactif est désactivé : l'appel n'aboutit pas.", ivr.number
            )
        menu = ivr.open_menu
        if ivr.calendar:
            is_open, why = self.calendar_status(ivr.calendar)
            if is_open:
                self.step(
                    StepKind.CALENDAR,
                    f"Calendrier « {ivr.calendar} » ouvert ({why}) : menu des heures d'ouverture.",
                    ivr.number,
                )
            else:
                self.step(
                    StepKind.CALENDAR,
                    f"Calendrier « {ivr.calendar} » fermé ({why}) : menu des heures de fermeture.",
                    ivr.number,
                )
                menu = ivr.closed_menu or IvrMenu()
        else:
            self.step(StepKind.CALENDAR, "Mode unique 24h/24 - 7j/7 : menu principal.", ivr.number)
        self.menu(ivr, menu, level=1)

    def menu(self, ivr: Ivr, menu: IvrMenu, *, level: int) -> None:
        seconds = 0.0
        for a in self.config.announcements:
            if a.name == menu.announcement and (a.site == ivr.site or a.site is None):
                seconds = a.duration_seconds
                break
        where = "menu principal" if level == 1 else "sous-menu"
        keys = (
            ", ".join(f"{k} → {'sous-menu' if e.submenu else e.number}" for k, e in sorted(menu.keys.items()))
            or "aucune touche"
        )
        self.step(
            StepKind.IVR_MENU,
            f"L'appel est décroché ; annonce du {where} « {menu.announcement or '(aucune)'} » "
            f"({_secs(seconds)}, interruptive). Touches : {keys}.",
            ivr.number,
        )
        if not self.keys:
            self.t += seconds
            self.finish(OutcomeKind.NO_INPUT, "L'appelant ne tape aucune touche et raccroche.", ivr.number)
        key = self.keys.pop(0)
        self.t += seconds
        entry = menu.keys.get(key)
        if entry is None:
            self.step(StepKind.IVR_KEY, f"L'appelant tape {key} : touche non affectée.", ivr.number)
            self.finish(OutcomeKind.INVALID_KEY, f"Touche {key} non affectée : l'appel n'est pas orienté.", ivr.number)
        if entry.submenu is not None and level == 1:
            self.step(StepKind.IVR_KEY, f"L'appelant tape {key} : sous-menu.", ivr.number)
            self.menu(ivr, entry.submenu, level=2)
        label = f" ({entry.label})" if entry.label else ""
        self.step(
            StepKind.IVR_KEY,
            f"L'appelant tape {key} : renvoi vers {entry.number}{label} (appel sortant de l'AVI, facturé comme un "
            "appel sortant d'une ligne fixe).",
            ivr.number,
        )
        self.route(entry.number or "", forwarded_from=ivr.number)

    # -- helpers ---------------------------------------------------------------------------------------------

    def calendar_status(self, name: str) -> tuple[bool, str]:
        calendar = self.config.calendars.get(name)
        if calendar is None:
            return True, "calendrier introuvable, considéré ouvert"
        status = calendar.status(self.now)
        return status.open, status.reason

    def label_of(self, number: str) -> str:
        line = self.config.lines.get(number)
        return line.label if line else number


def simulate(
    config: CompanyConfig,
    to: str,
    at: datetime,
    caller: str | None = None,
    state: CallState | None = None,
) -> Simulation:
    """Where a call to ``to`` from ``caller`` (None: hidden number) at ``at`` goes, and why."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=PARIS)
    run = _Run(config, at, caller, state or CallState())
    origin = f"de {run.caller}" if run.caller else "d'un numéro masqué"
    internal = " (appel interne)" if config.is_internal(run.caller) else ""
    run.step(StepKind.CALL, f"Appel {origin}{internal} vers {normalize_number(to)} le {_dt_text(at)}.")
    with contextlib.suppress(_Finished):
        run.route(to)
    if run.outcome is None:  # pragma: no cover - every branch of route() finishes
        raise RuntimeError("the simulation ended without an outcome")
    return Simulation(steps=tuple(run.steps), outcome=run.outcome, state_after=run.state)

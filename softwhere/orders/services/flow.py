"""The 11-step flow of a Data + Voice order (seed II.E c) as an explicit state machine.

Each step has a state (``pending`` → ``in_progress`` → ``done``, or ``skipped`` when nothing is to
be done, or ``not_applicable`` when the order has no such part), a date and an owner. Steps run
in order: a step moves only when every earlier step is finished. Portability (steps 9–10) is
launched only after the link is delivered (step 6), « afin de ne pas provoquer de coupure ».
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class StepState(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"
    NOT_APPLICABLE = "not_applicable"


FINISHED: Final = frozenset({StepState.DONE, StepState.SKIPPED, StepState.NOT_APPLICABLE})


class StepCode(StrEnum):
    ELIGIBILITY = "eligibility"
    CARRIER_ORDER = "carrier_order"
    ACCOUNT = "account"
    STUDY_FINDINGS = "study_findings"
    APPOINTMENT = "appointment"
    LINK_DELIVERY = "link_delivery"
    VOICE_GO_AHEAD = "voice_go_ahead"
    VOICE_DELIVERY = "voice_delivery"
    PORTABILITY_ORDER = "portability_order"
    PORTABILITY_DONE = "portability_done"
    FAX_TO_MAIL = "fax_to_mail"


@dataclass(frozen=True)
class StepDef:
    number: int
    code: StepCode
    label: str
    owner: str  # who acts, as in the seed
    #: Step may be skipped when nothing is to be done (no findings, no appointment).
    skippable: bool = False


STEPS: Final = (
    StepDef(1, StepCode.ELIGIBILITY, "Étude de l'éligibilité du site", "ADV"),
    StepDef(2, StepCode.CARRIER_ORDER, "Commande du lien auprès de l'opérateur", "ADV"),
    StepDef(3, StepCode.ACCOUNT, "Création du compte client et envoi des identifiants Extranet", "ADV"),
    StepDef(
        4,
        StepCode.STUDY_FINDINGS,
        "Retour d'étude Orange : accord du client sous 48 h",
        "Commercial Nord/Sud",
        skippable=True,
    ),
    StepDef(5, StepCode.APPOINTMENT, "Rendez-vous d'installation opérateur", "ADV", skippable=True),
    StepDef(6, StepCode.LINK_DELIVERY, "Livraison du lien et bon de livraison", "Service technique"),
    StepDef(7, StepCode.VOICE_GO_AHEAD, "Feu vert du client pour la VoIP et la portabilité", "ADV"),
    StepDef(8, StepCode.VOICE_DELIVERY, "Bons de livraison VoIP (Centrex, Trunk, SDA…)", "Service technique"),
    StepDef(9, StepCode.PORTABILITY_ORDER, "Commande de portabilité", "ADV"),
    StepDef(10, StepCode.PORTABILITY_DONE, "Portabilité effectuée et bon de livraison", "Service technique"),
    StepDef(11, StepCode.FAX_TO_MAIL, "Bon de livraison Fax to Mail", "Service technique"),
)
BY_CODE: Final = {s.code: s for s in STEPS}
LINK_STEPS: Final = frozenset(
    {
        StepCode.ELIGIBILITY,
        StepCode.CARRIER_ORDER,
        StepCode.STUDY_FINDINGS,
        StepCode.APPOINTMENT,
        StepCode.LINK_DELIVERY,
    }
)
# Seed 5: « Pour les ADSL dégroupés et les SDSL : un RDV programmé par Orange (+ un second RDV par SFR) ».
APPOINTMENT_TECHNOLOGIES: Final = frozenset({"adsl_nue", "sdsl"})
# Seed 4: « obtenir son accord sous 48h ».
FINDINGS_APPROVAL_HOURS: Final = 48
# Seed 6: « 3 jours ouvrés pour contester le bon fonctionnement … à compter de la date d'envoi du BL ».
CONTEST_BUSINESS_DAYS: Final = 3


@dataclass(frozen=True)
class FlowScope:
    """Which parts of the flow an order has."""

    has_link: bool
    has_voice: bool
    has_portability: bool
    has_fax_after_portability: bool
    needs_appointment: bool


def applicable(code: StepCode, scope: FlowScope) -> bool:
    if code in LINK_STEPS:
        return scope.has_link and (code != StepCode.APPOINTMENT or scope.needs_appointment)
    if code in (StepCode.VOICE_GO_AHEAD,):
        return scope.has_voice or scope.has_portability
    if code == StepCode.VOICE_DELIVERY:
        return scope.has_voice
    if code in (StepCode.PORTABILITY_ORDER, StepCode.PORTABILITY_DONE):
        return scope.has_portability
    if code == StepCode.FAX_TO_MAIL:
        return scope.has_fax_after_portability
    return True  # account creation


class FlowError(Exception):
    """A step move the flow does not allow; ``message`` is French."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


MOVES: Final = {
    "start": ({StepState.PENDING}, StepState.IN_PROGRESS),
    "complete": ({StepState.PENDING, StepState.IN_PROGRESS}, StepState.DONE),
    "skip": ({StepState.PENDING, StepState.IN_PROGRESS}, StepState.SKIPPED),
}
MOVE_LABELS: Final = {"start": "démarrer", "complete": "terminer", "skip": "passer"}


def check_move(code: StepCode, move: str, states: dict[StepCode, StepState]) -> StepState:
    """The state after ``move``; raises ``FlowError`` when the step cannot move now."""
    if move not in MOVES:
        raise FlowError(f"Action inconnue : « {move} ».", field="move")
    step = BY_CODE[code]
    allowed_from, target = MOVES[move]
    current = states[code]
    if current == StepState.NOT_APPLICABLE:
        raise FlowError(f"Étape {step.number} sans objet pour cette commande.")
    if current not in allowed_from:
        raise FlowError(
            f"Étape {step.number} déjà {'terminée' if current in FINISHED else 'en cours'} : "
            f"impossible de la {MOVE_LABELS[move]}."
        )
    if move == "skip" and not step.skippable:
        raise FlowError(f"L'étape {step.number} ({step.label}) ne peut pas être passée.")
    if code in (StepCode.PORTABILITY_ORDER, StepCode.PORTABILITY_DONE) and states[StepCode.LINK_DELIVERY] not in (
        StepState.DONE,
        StepState.NOT_APPLICABLE,
    ):
        raise FlowError("La portabilité n'est lancée qu'après la livraison du lien, pour éviter toute coupure.")
    blocking = [s for s in STEPS if s.number < step.number and states[s.code] not in FINISHED]
    if blocking:
        first = blocking[0]
        raise FlowError(f"Terminez d'abord l'étape {first.number} ({first.label}).")
    return target


def current_step(states: dict[StepCode, StepState]) -> StepDef | None:
    for step in STEPS:
        if states[step.code] not in FINISHED:
            return step
    return None

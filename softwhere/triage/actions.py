"""Triage state changes: training a model version, pre-qualifying a ticket, recording an agent's choice."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from softwhere.accounts.choices import Role
from softwhere.catalogue.models import ResolutionCase
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket
from softwhere.tickets.transitions import TicketError, TicketErrorCode

from . import engine
from .choices import AgentChoiceKind
from .models import TriageCorrection, TriageModel, TriagePrediction
from .services import classifier as clf_service
from .services.dataset import Sample, evaluation_samples, training_samples
from .services.evaluation import evaluate

logger = logging.getLogger(__name__)

#: A corrected text weighs like several lines of the data files: the agent saw the real case.
CORRECTION_WEIGHT = 5.0
CONFIRMATION_WEIGHT = 2.0
ROBOT_USERNAME = "triage"


def triage_actor() -> Any:
    """The inactive service account that signs automatic qualifications in the ticket timeline."""
    user_model = get_user_model()
    robot, created = user_model.objects.get_or_create(
        username=ROBOT_USERNAME,
        defaults={"role": Role.N1, "first_name": "Triage", "last_name": "automatique", "is_active": False},
    )
    if created:
        robot.set_unusable_password()
        robot.save(update_fields=["password"])
    return robot


def correction_samples() -> list[Sample]:
    """The latest agent choice per ticket, as weighted training samples."""
    latest: dict[int, TriageCorrection] = {}
    for choice in TriageCorrection.objects.order_by("created_at", "id"):
        latest[choice.ticket_id] = choice
    return [
        Sample(
            text=c.text,
            case=c.chosen_case_id,
            weight=CORRECTION_WEIGHT if c.kind == AgentChoiceKind.CORRECTED else CONFIRMATION_WEIGHT,
            source="agents",
        )
        for c in latest.values()
        if c.text.strip()
    ]


def train_model(*, actor: Any = None, activate: bool = True) -> TriageModel:
    """Train on the data files + catalogue + agents' choices, evaluate on the held-out split, store a version."""
    corrections = correction_samples()
    samples = training_samples(corrections)
    now = timezone.now()
    fingerprint = clf_service.fingerprint(samples)
    version = f"{now:%Y%m%d-%H%M%S}-{fingerprint[:8]}"
    classifier = clf_service.train(samples, version=version, threshold=engine.confidence_threshold())
    report = evaluate(classifier, evaluation_samples())
    metrics = {
        "eval": {k: report[k] for k in ("n", "top1", "top3", "proposed", "proposed_precision")},
        **classifier.info,
    }
    path = engine.models_dir() / f"{version}.joblib"
    classifier.save(path)
    with transaction.atomic():
        if activate:
            TriageModel.objects.filter(is_active=True).update(is_active=False)
        row = TriageModel.objects.create(
            version=version,
            trained_at=now,
            trained_by=actor if getattr(actor, "pk", None) else None,
            path=str(path),
            metrics=metrics,
            n_samples=len(samples),
            n_corrections=len(corrections),
            threshold=classifier.threshold,
            is_active=activate,
        )
    engine.remember(classifier)
    logger.info("triage model %s trained on %d samples (%d from agents)", version, len(samples), len(corrections))
    return row


def ticket_text(ticket: Ticket) -> str:
    return f"{ticket.subject}\n\n{ticket.description}".strip()


def prequalify_ticket(ticket: Ticket, *, actor: Any = None, set_state: bool = False) -> TriagePrediction:
    """Run triage on a new ticket and store the proposal; above the threshold, qualify it.

    Qualification goes through ``tickets.actions.qualify_ticket`` so the N1
    checklist is instantiated; it is signed by the triage service account, so
    the timeline says the machine chose, and an agent can still requalify.
    With ``set_state`` the proposed service state replaces the ticket's.
    """
    text = ticket_text(ticket)
    result = engine.classify(text, now=ticket.created_at)
    case = ResolutionCase.objects.filter(pk=result["case"], is_active=True).first() if result["case"] else None
    with transaction.atomic():
        prediction = TriagePrediction.objects.create(
            ticket=ticket,
            text=text,
            model_version=result["model_version"],
            case=case,
            confidence=result["confidence"],
            threshold=result["threshold"],
            top=result["top"],
            state=result["state"],
            domain=result["domain"] or "",
            entities=result["entities"],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        open_ticket = ticket.status not in (TicketStatus.CLOSED, TicketStatus.CANCELLED)
        if case is not None and ticket.case_id is None and open_ticket:
            ticket_actions.qualify_ticket(ticket, actor=triage_actor(), case=case)
            prediction.applied = True
            prediction.save(update_fields=["applied"])
        if set_state and open_ticket and result["state"] != ticket.service_state:
            ticket_actions.update_ticket(ticket, actor=triage_actor(), service_state=result["state"])
    return prediction


def latest_prediction(ticket: Ticket) -> TriagePrediction | None:
    return TriagePrediction.objects.filter(ticket=ticket).order_by("-created_at", "-id").first()


def _kind(proposed_id: str | None, chosen_id: str) -> str:
    if proposed_id is None:
        return AgentChoiceKind.CHOSEN
    return AgentChoiceKind.CONFIRMED if proposed_id == chosen_id else AgentChoiceKind.CORRECTED


def record_agent_choice(ticket: Ticket, *, actor: Any, case: ResolutionCase) -> TriageCorrection:
    """The agent accepts a proposal or picks another case: store it (for training) and qualify the ticket."""
    if not getattr(actor, "is_agent", False):
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Seul un agent peut qualifier un ticket.")
    with transaction.atomic():
        prediction = latest_prediction(ticket)
        proposed_id = prediction.case_id if prediction else None
        choice = TriageCorrection.objects.create(
            ticket=ticket,
            prediction=prediction,
            text=prediction.text if prediction else ticket_text(ticket),
            proposed_case_id=proposed_id,
            chosen_case=case,
            kind=_kind(proposed_id, case.pk),
            agent=actor,
        )
        ticket_actions.qualify_ticket(ticket, actor=actor, case=case)
    return choice


def record_qualification(ticket_id: int, *, case_id: str, actor_id: int | None) -> TriageCorrection | None:
    """Called after an agent qualified a ticket by hand: keep it when it differs from the proposal.

    Automatic qualifications (signed by the triage account) and choices already
    recorded by ``record_agent_choice`` are skipped.
    """
    prediction = TriagePrediction.objects.filter(ticket_id=ticket_id).order_by("-created_at", "-id").first()
    if prediction is None or actor_id is None:
        return None
    agent = get_user_model().objects.filter(pk=actor_id).first()
    if agent is None or agent.username == ROBOT_USERNAME or not agent.is_agent:
        return None
    already = TriageCorrection.objects.filter(
        ticket_id=ticket_id, chosen_case_id=case_id, created_at__gte=prediction.created_at
    ).exists()
    if already or prediction.case_id == case_id:
        return None
    return TriageCorrection.objects.create(
        ticket_id=ticket_id,
        prediction=prediction,
        text=prediction.text,
        proposed_case_id=prediction.case_id,
        chosen_case_id=case_id,
        kind=_kind(prediction.case_id, case_id),
        agent=agent,
    )

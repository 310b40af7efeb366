"""Pre-qualification of new tickets, agents' choices, and learning from them at the next training."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from softwhere.catalogue.models import ResolutionCase
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import Channel, Level, TimelineKind
from softwhere.tickets.models import Ticket
from softwhere.tickets.transitions import TicketError
from softwhere.triage import actions, engine
from softwhere.triage.choices import AgentChoiceKind
from softwhere.triage.models import TriageCorrection, TriageModel
from softwhere.triage.services import dataset
from softwhere.triage.services.classifier import TriageClassifier


def mail_ticket(world: Any, subject: str, description: str = "") -> Ticket:
    """What the mail intake creates: a ticket from the client's mail, no case yet."""
    return ticket_actions.create_ticket(
        actor=None,
        organisation=world.acme,
        site=world.acme_site,
        subject=subject,
        description=description,
        service_state="interrompu",
        channel=Channel.MAIL,
        reporter=world.acme_contact,
    )


def test_mail_ticket_is_prequalified_with_its_checklist(triage_model: TriageClassifier, world: Any) -> None:
    ticket = mail_ticket(
        world,
        "Plus d'internet !!",
        "Bonjour,\nplus de net depuis ce matin 9h, la box clignote rouge. Nos postes 3CX sont coupés aussi.\n"
        "Merci de me rappeler au 06 12 34 56 78.\nCordialement, Claire",
    )
    prediction = actions.prequalify_ticket(ticket, actor=None)
    ticket.refresh_from_db()
    assert ticket.case_id == "incident_internet_perte_wan" and prediction.applied
    case = ResolutionCase.objects.get(pk="incident_internet_perte_wan")
    assert list(ticket.checklist_items.filter(level=Level.N1).values_list("text", flat=True)) == case.n1_checks
    assert prediction.model_version == triage_model.version
    assert prediction.entities["phones"] == ["+33612345678"]
    assert prediction.entities["times"][0]["at"].endswith("09:00:00+01:00") or prediction.entities["times"][0][
        "at"
    ].endswith("09:00:00+02:00")
    assert [t["case"] for t in prediction.top][0] == "incident_internet_perte_wan"
    qualification = ticket.timeline.get(kind=TimelineKind.QUALIFICATION)
    assert qualification.author.username == actions.ROBOT_USERNAME
    assert not qualification.author.is_active  # the service account cannot log in


def test_low_confidence_ticket_stays_to_qualify(triage_model: TriageClassifier, world: Any) -> None:
    ticket = mail_ticket(world, "Demande", "Bonjour, merci de me contacter au plus vite. Cordialement")
    prediction = actions.prequalify_ticket(ticket, actor=None)
    ticket.refresh_from_db()
    assert prediction.case is None and not prediction.applied
    assert ticket.case is None and not ticket.checklist_items.exists()
    assert len(prediction.top) == 3


def test_set_state_applies_the_proposed_state(triage_model: TriageClassifier, world: Any) -> None:
    ticket = mail_ticket(world, "Ouverture de port", "Merci d'ouvrir le port 443 vers notre NAS 192.168.1.20")
    actions.prequalify_ticket(ticket, actor=None, set_state=True)
    ticket.refresh_from_db()
    assert ticket.service_state == "sans_perturbation"
    assert ticket.case_id == "parametrage_internet_nat"


def test_agent_confirms_or_corrects(triage_model: TriageClassifier, world: Any) -> None:
    confirmed = mail_ticket(world, "SIM bloquée", "la SIM demande le PUK")
    actions.prequalify_ticket(confirmed)
    choice = actions.record_agent_choice(
        confirmed, actor=world.n1, case=ResolutionCase.objects.get(pk="incident_mobile_sim")
    )
    assert choice.kind == AgentChoiceKind.CONFIRMED and choice.proposed_case_id == "incident_mobile_sim"

    vague = mail_ticket(world, "Demande", "Bonjour, merci de me contacter au plus vite. Cordialement")
    actions.prequalify_ticket(vague)
    case = ResolutionCase.objects.get(pk="administratif_facturation")
    chosen = actions.record_agent_choice(vague, actor=world.n1, case=case)
    vague.refresh_from_db()
    assert chosen.kind == AgentChoiceKind.CHOSEN and vague.case_id == case.pk
    assert vague.checklist_items.filter(level=Level.N1).count() == len(case.n1_checks)

    with pytest.raises(TicketError):
        actions.record_agent_choice(vague, actor=world.client_user, case=case)


def test_manual_requalification_is_recorded_after_commit(
    triage_model: TriageClassifier, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = mail_ticket(world, "Plus de téléphone", "poste accueil ne sonne plus")
    with django_capture_on_commit_callbacks(execute=True):
        prediction = actions.prequalify_ticket(ticket)
    assert prediction.case_id == "incident_fixe_poste_isole"
    assert not TriageCorrection.objects.exists()  # the automatic qualification teaches nothing

    other = ResolutionCase.objects.get(pk="incident_fixe_trunk_non_enregistre")
    with django_capture_on_commit_callbacks(execute=True):
        ticket_actions.qualify_ticket(ticket, actor=world.n1, case=other)
    correction = TriageCorrection.objects.get()
    assert (correction.proposed_case_id, correction.chosen_case_id) == ("incident_fixe_poste_isole", other.pk)
    assert correction.kind == AgentChoiceKind.CORRECTED and correction.agent == world.n1
    assert correction.text == prediction.text

    # Going through record_agent_choice records once, not twice.
    back = ResolutionCase.objects.get(pk="incident_fixe_poste_isole")
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_agent_choice(ticket, actor=world.n1, case=back)
    assert TriageCorrection.objects.count() == 2


def test_correction_is_used_by_the_next_training(triage_model: TriageClassifier, world: Any, triage_dir: Path) -> None:
    text = "Le fax du service compta ne reçoit plus rien depuis lundi"
    before = triage_model.predict(text)
    target = (
        "incident_fixe_routage_sda"
        if before.top[0].case != "incident_fixe_routage_sda"
        else "incident_fixe_poste_isole"
    )
    ticket = mail_ticket(world, "Fax", text)
    actions.prequalify_ticket(ticket)
    actions.record_agent_choice(ticket, actor=world.n1, case=ResolutionCase.objects.get(pk=target))

    out = io.StringIO()
    call_command("triage", "train", stdout=out)
    trained = json.loads(out.getvalue())
    assert trained["corrections"] == 1
    assert trained["metrics"]["eval"]["n"] >= 69 * 6
    row = TriageModel.objects.get(is_active=True)
    assert row.version == trained["version"] != triage_model.version
    assert Path(row.path).parent == triage_dir and Path(row.path).exists()

    result = engine.classify(f"Fax\n\n{text}")
    assert result["model_version"] == row.version
    assert result["top"][0]["case"] == target
    new_ticket = mail_ticket(world, "Fax", text)
    assert actions.prequalify_ticket(new_ticket).model_version == row.version


def test_first_classify_trains_a_model_when_none_exists(
    db: None, triage_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small slice of the data keeps this test fast; the path is the same as with the full files.
    small = [s for s in dataset.read_jsonl(dataset.TRAIN_FILE) if s.case.startswith("incident_mobile")]
    monkeypatch.setattr(actions, "training_samples", lambda extra=(): [*small, *extra])
    monkeypatch.setattr(actions, "evaluation_samples", lambda: small[:5])
    engine.forget_all()
    assert not TriageModel.objects.exists()
    result = engine.classify("la SIM demande le PUK")
    row = TriageModel.objects.get()
    assert row.is_active and result["model_version"] == row.version
    assert result["case"] == "incident_mobile_sim"
    assert list(triage_dir.glob("*.joblib")) == [Path(row.path)]
    # The next call reuses it.
    assert engine.classify("la SIM demande le PUK")["model_version"] == row.version
    assert TriageModel.objects.count() == 1

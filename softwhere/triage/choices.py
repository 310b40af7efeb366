from softwhere.core.choices import DeskChoices, colours


class AgentChoiceKind(DeskChoices):
    """What the agent did with the proposal."""

    CONFIRMED = "confirmed", "Proposition confirmée"
    CORRECTED = "corrected", "Proposition corrigée"
    CHOSEN = "chosen", "Cas choisi (rien n'était proposé)"


colours(AgentChoiceKind, {"confirmed": "success", "corrected": "warning", "chosen": "info"})

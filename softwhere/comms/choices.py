from softwhere.core.choices import DeskChoices, colours


class TemplateFamily(DeskChoices):
    """The three rows of seed 004's template bar."""

    CLT = "clt", "CLT – client"
    INT = "int", "INT – équipes d'intervention et de support"
    EDS = "eds", "EDS – équipe de suivi"


class TemplatePurpose(DeskChoices):
    """What a template is for; the automatic follow-up picks its templates by purpose."""

    ACKNOWLEDGEMENT = "acknowledgement", "Accusé de réception"
    WEB_FORM = "web_form", "Réponse automatique : formulaire web"
    ADD_INFORMATION = "add_information", "Ajout d'informations client"
    INFORMATION_REQUEST = "information_request", "Demande d'informations"
    ACTION_REQUEST = "action_request", "Demande d'action"
    INFORMATION = "information", "Information / suivi"
    CLOSURE_REQUEST = "closure_request", "Demande de clôture"
    REMINDER = "reminder", "Relance"
    CLOSURE_REMINDER = "closure_reminder", "Relance de demande de clôture"
    AUTO_CLOSE_NOTICE = "auto_close_notice", "Préavis d'auto-clôture 24 h"
    AUTO_CLOSED = "auto_closed", "Clôture automatique"
    TEAM_ACTIVATION = "team_activation", "Activation d'une équipe"
    TEAM_REMINDER = "team_reminder", "Relance d'une équipe"
    OTHER = "other", "Autre"


class Audience(DeskChoices):
    CLIENT = "client", "Client et partenaire"
    TEAM = "team", "Équipe interne ou prestataire"


class CommunicationContext(DeskChoices):
    """Seed 004: « Quel est le contexte de la communication ? Libre sans ajout de gel »."""

    FREE = "libre", "Libre sans ajout de gel"
    FREEZE = "gel", "Avec gel du ticket (attente du client)"


class ChannelMode(DeskChoices):
    """Seed 004: « Mode de communication : Information via mail et/ou SMS »."""

    MAIL = "mail", "Mail"
    SMS = "sms", "SMS"
    BOTH = "both", "Mail et SMS"


class MessageChannel(DeskChoices):
    MAIL = "mail", "Mail"
    SMS = "sms", "SMS"


class Direction(DeskChoices):
    OUTBOUND = "out", "Envoyé"
    INBOUND = "in", "Reçu"


class MessageStatus(DeskChoices):
    PENDING = "pending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec d'envoi"
    RECEIVED = "received", "Reçu"


colours(MessageStatus, {"pending": "warning", "sent": "success", "failed": "danger", "received": "info"})


class InboundOutcome(DeskChoices):
    PENDING = "pending", "À traiter"
    THREADED = "threaded", "Rattaché au ticket"
    NEW_TICKET = "new_ticket", "Ticket créé"
    CARRIER = "carrier", "Transmis à la passerelle opérateurs (SAV FTTH)"
    AUTO_ANSWERED = "auto_answered", "Réponse automatique (formulaire web)"
    IGNORED = "ignored", "Ignoré (message automatique)"
    REJECTED = "rejected", "Rejeté"


colours(
    InboundOutcome,
    {
        "pending": "warning",
        "threaded": "success",
        "new_ticket": "primary",
        "auto_answered": "info",
        "ignored": "secondary",
        "rejected": "danger",
    },
)


class FollowUpKind(DeskChoices):
    CLIENT_ANSWER = "client_answer", "Attente de réponse du client"
    CLOSURE = "closure", "Demande de clôture"


class FollowUpState(DeskChoices):
    ACTIVE = "active", "En cours"
    ANSWERED = "answered", "Réponse reçue"
    CLOSED = "closed", "Ticket clôturé automatiquement"
    CANCELLED = "cancelled", "Arrêtée"


colours(FollowUpState, {"active": "warning", "answered": "success", "closed": "dark", "cancelled": "secondary"})

"""Seed 004's template rows (CLT / INT / EDS), with SoftWhere's texts; editable in the admin afterwards.

The seed names CLT 0, 2, 3, 4, 5, 6, 7, INT A0–A3 and lists EDS E0–E14 without their
meaning; CLT 1, 7-CL, 8 and 9 are ours, for the automatic follow-up of seed 001 VII
(see docs/decisions.md, "Communications").
"""

from django.db import migrations

TEAM_BODY = (
    "Bonjour,\n\n"
    "{{ action }} pour l'incident {{ reference }} – {{ organisation }}{% if site %}, site {{ site }} ({{ city }}){% endif %}.\n"
    "Objet : {{ ticket_subject }}\n"
    "État du ticket : {{ status }}\n"
    "{% if grouped_outage %}Incident rattaché à une panne groupée.\n{% endif %}"
    "\n{{ information }}\n\n"
    "{{ agent|default:signature }}"
)

CLIENT_SIGN = "\n\n{% if agent %}{{ agent }}\n{% endif %}{{ signature }}"

T = [
    # code, family, number, name, purpose, audience, context, channels, chain, recipients, subject, body, sms, instructions
    (
        "CLT0", "clt", "0", "Accusé de réception – ouverture du ticket", "acknowledgement", "client", "libre", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\n"
        "Nous avons bien enregistré votre demande : le ticket d'incident n° {{ reference }} est ouvert.\n"
        "Objet : {{ ticket_subject }}\n"
        "Société : {{ organisation }}{% if site %} – site {{ site }} ({{ city }}){% endif %}\n\n"
        "Vous serez informé par mail de l'évolution de l'incident. Pour nous écrire à son sujet, "
        "répondez à ce mail en conservant son objet.\n"
        "Suivi en ligne : {{ ticket_url }}\n\n"
        "{{ signature }}",
        "{{ sms_header }}\nTicket {{ reference }} ouvert : {{ ticket_subject }}",
        "Envoyé automatiquement à l'ouverture du ticket (seed 001 VII).",
    ),
    (
        "CLT1", "clt", "1", "Réponse automatique – formulaire web", "web_form", "client", "libre", "mail",
        False, "", "SoftWhere – merci de déclarer votre incident par le formulaire en ligne",
        "Bonjour,\n\n"
        "Nous avons bien reçu votre mail{% if original_subject %} « {{ original_subject }} »{% endif %}, "
        "mais nous n'avons pas pu le rattacher à un ticket d'incident (expéditeur inconnu ou référence de ticket absente).\n\n"
        "Pour déclarer un incident, merci de remplir le formulaire en ligne :\n{{ web_form_url }}\n\n"
        "Une fois le formulaire validé, vous recevrez un mail de prise en compte avec le numéro d'incident. "
        "Pour un ticket existant, répondez au mail reçu en conservant son objet (« INFO INCIDENT <numéro> »).\n\n"
        "{{ signature }}",
        "",
        "Réponse automatique aux mails d'un expéditeur inconnu ou sans référence (seed 001 VII.B).",
    ),
    (
        "CLT2", "clt", "2", "Ajout d'informations client", "add_information", "client", "libre", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\nLes informations que vous nous avez communiquées ont été ajoutées au ticket {{ reference }} :\n\n"
        "{{ information }}" + CLIENT_SIGN,
        "",
        "Reprend dans le ticket les informations fournies par le client.",
    ),
    (
        "CLT3", "clt", "3", "Demande d'informations", "information_request", "client", "gel", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\nPour poursuivre le traitement de l'incident {{ reference }} ({{ ticket_subject }}), "
        "nous avons besoin des informations suivantes :\n\n{{ information }}\n\n"
        "Merci de répondre à ce mail en conservant son objet. Dans l'attente de votre retour, le ticket est gelé."
        + CLIENT_SIGN,
        "",
        "Gèle le ticket (attente client) ; sans réponse : relances puis auto-clôture (seed 001 VII).",
    ),
    (
        "CLT4", "clt", "4", "Demande d'action", "action_request", "client", "gel", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\nPour poursuivre le traitement de l'incident {{ reference }} ({{ ticket_subject }}), "
        "merci de réaliser l'action suivante :\n\n{{ information }}\n\n"
        "Merci de nous confirmer sa réalisation en répondant à ce mail. Dans l'attente de votre retour, le ticket est gelé."
        + CLIENT_SIGN,
        "",
        "Gèle le ticket (attente client) ; sans réponse : relances puis auto-clôture (seed 001 VII).",
    ),
    (
        "CLT5", "clt", "5", "Information / suivi de l'incident", "information", "client", "libre", "both",
        False, "", "{{ header }}",
        "Bonjour,\n\n{% if grouped_outage %}Votre site est concerné par un incident collectif (panne groupée) "
        "en cours de traitement.\n\n{% endif %}Information sur l'incident {{ reference }} :\n\n{{ information }}"
        + CLIENT_SIGN,
        "{{ sms_header }}\n{% if grouped_outage %}Panne groupée. {% endif %}{{ information }}",
        "NE PAS METTRE D'APOSTROPHE si vous collez un texte d'un autre outil. "
        "Respectez le mode de communication privilégié du signaleur.",
    ),
    (
        "CLT6", "clt", "6", "Demande de clôture", "closure_request", "client", "libre", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\nL'incident {{ reference }} ({{ ticket_subject }}) est résolu."
        "{% if resolution %}\nRésolution : {{ resolution }}{% endif %}\n"
        "{% if information %}\n{{ information }}\n{% endif %}\n"
        "Merci de nous confirmer le bon fonctionnement de votre service en répondant à ce mail. "
        "Sans confirmation sous 24 heures, nous vous relancerons, puis le ticket sera clôturé automatiquement."
        + CLIENT_SIGN,
        "",
        "Envoyé automatiquement quand le ticket est déclaré rétabli (seed 001 VII).",
    ),
    (
        "CLT7", "clt", "7", "Relance", "reminder", "client", "libre", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\nRelance n° {{ reminder_number }} sur {{ max_reminders }} : nous sommes toujours en attente "
        "de votre retour sur l'incident {{ reference }}{% if request_date %}, suite à notre demande du {{ request_date }}{% endif %}."
        "\n\nSans retour de votre part après {{ max_reminders }} relances, le ticket sera clôturé automatiquement.\n\n"
        "{{ signature }}",
        "",
        "Envoyé automatiquement tant que le ticket reste en attente client.",
    ),
    (
        "CLT7-CL", "clt", "7b", "Relance – demande de clôture", "closure_reminder", "client", "libre", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\nNous n'avons pas encore reçu votre confirmation de la résolution de l'incident {{ reference }}"
        "{% if request_date %} (demande du {{ request_date }}){% endif %}.\n"
        "Merci de nous confirmer le bon fonctionnement de votre service en répondant à ce mail.\n\n"
        "{{ signature }}",
        "",
        "Envoyé automatiquement 24 h après la demande de clôture restée sans réponse.",
    ),
    (
        "CLT8", "clt", "8", "Préavis d'auto-clôture 24 h", "auto_close_notice", "client", "libre", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\nSans retour de votre part, le ticket {{ reference }} sera clôturé automatiquement "
        "dans {{ auto_close_hours }} heures, le {{ auto_close_at }}.\n"
        "Pour le garder ouvert, il suffit de répondre à ce mail.\n\n{{ signature }}",
        "",
        "Envoyé automatiquement après la dernière relance.",
    ),
    (
        "CLT9", "clt", "9", "Clôture automatique", "auto_closed", "client", "libre", "mail",
        False, "", "{{ header }}",
        "Bonjour,\n\nLe ticket {{ reference }} est clôturé.\n{{ close_reason }}\n\n"
        "Si le problème réapparaît, répondez à ce mail ou déclarez un nouvel incident : {{ web_form_url }}\n\n"
        "{{ signature }}",
        "",
        "Envoyé automatiquement à la clôture sans réponse.",
    ),
    (
        "INT-A0", "int", "A0", "Activation équipe d'intervention (changement de routeur)", "team_activation", "team",
        "libre", "mail", False, "Équipe d'intervention,intervention@softwhere.example;", "{{ header }} – activation intervention",
        TEAM_BODY.replace("{{ action }}", "Merci d'activer une intervention sur site"),
        "", "Seed 004 : « activer une équipe d'intervention pour un changement de routeur (Template A0) ».",
    ),
    (
        "INT-A1", "int", "A1", "Relance équipe d'intervention", "team_reminder", "team",
        "libre", "mail", False, "Équipe d'intervention,intervention@softwhere.example;", "{{ header }} – relance intervention",
        TEAM_BODY.replace("{{ action }}", "Relance : intervention toujours attendue"),
        "", "Seed 004 : « relancer cette même équipe (Template A1) ».",
    ),
    (
        "INT-A2", "int", "A2", "Activation équipe support", "team_activation", "team",
        "libre", "mail", False, "Équipe support,support-n2@softwhere.example;", "{{ header }} – activation support",
        TEAM_BODY.replace("{{ action }}", "Merci de prendre en charge une analyse"),
        "", "Seed 004 : « activer une équipe d'intervention côté support (Template A2) ».",
    ),
    (
        "INT-A3", "int", "A3", "Relance équipe support", "team_reminder", "team",
        "libre", "mail", False, "Équipe support,support-n2@softwhere.example;", "{{ header }} – relance support",
        TEAM_BODY.replace("{{ action }}", "Relance : analyse toujours attendue"),
        "", "Seed 004 : « et de les relancer avec le template A3 ».",
    ),
    (
        "EDS-E0", "eds", "E0", "Information de l'équipe de suivi", "information", "team",
        "libre", "mail", False, "Équipe de suivi,suivi@softwhere.example;", "{{ header }} – information",
        TEAM_BODY.replace("{{ action }}", "Pour information"),
        "", "La ligne EDS du seed 004 ne donne que les numéros (E0…E14) : modèle générique d'information.",
    ),
    (
        "EDS-E1", "eds", "E1", "Relance de l'équipe de suivi", "team_reminder", "team",
        "libre", "mail", False, "Équipe de suivi,suivi@softwhere.example;", "{{ header }} – relance",
        TEAM_BODY.replace("{{ action }}", "Relance"),
        "", "La ligne EDS du seed 004 ne donne que les numéros (E0…E14) : modèle générique de relance.",
    ),
]


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("comms", "MessageTemplate")
    for position, row in enumerate(T):
        (code, family, number, name, purpose, audience, context, channels, chain, recipients, subject, body, sms,
         instructions) = row
        MessageTemplate.objects.update_or_create(
            code=code,
            defaults=dict(
                family=family, number=number, name=name, purpose=purpose, audience=audience, context=context,
                channels=channels, chain_to_closure=chain, default_recipients=recipients, subject_template=subject,
                body_template=body, sms_template=sms, instructions=instructions, position=position,
            ),
        )


def unload(apps, schema_editor):
    apps.get_model("comms", "MessageTemplate").objects.filter(code__in=[row[0] for row in T]).delete()


class Migration(migrations.Migration):
    dependencies = [("comms", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

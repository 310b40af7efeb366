from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("nouveau/", views.ticket_create, name="create"),
    path("<str:reference>/", views.ticket_detail, name="detail"),
    path("<str:reference>/historique/", views.ticket_timeline, name="timeline"),
    path("<str:reference>/panneau/<slug:name>/", views.ticket_panel, name="panel"),
    path("<str:reference>/transition/<slug:name>/", views.ticket_transition, name="transition"),
    path("<str:reference>/qualifier/", views.ticket_qualify, name="qualify"),
    path("<str:reference>/affecter/", views.ticket_assign, name="assign"),
    path("<str:reference>/commenter/", views.ticket_comment, name="comment"),
    path("<str:reference>/modifier/", views.ticket_edit, name="edit"),
    path("<str:reference>/checklist/<int:item_id>/", views.checklist_item, name="checklist_item"),
    path("<str:reference>/voyants/<slug:device>/", views.led_reading, name="led_reading"),
    path("<str:reference>/triage/choix/", views.triage_choice, name="triage_choice"),
    path("<str:reference>/triage/analyser/", views.triage_run, name="triage_run"),
    path("<str:reference>/signalisation-oi/", views.escalate_oi, name="escalate_oi"),
]

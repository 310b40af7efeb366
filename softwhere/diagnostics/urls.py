from django.urls import path

from . import views

app_name = "diagnostics"
urlpatterns = [
    path("tickets/<str:reference>/", views.ticket_panel, name="panel"),
    path("tickets/<str:reference>/diagnostiquer/", views.diagnose, name="diagnose"),
    path("tickets/<str:reference>/redemarrer/<int:sheet_id>/", views.reboot, name="reboot"),
    path("tickets/<str:reference>/observation/mail/", views.watch_mail, name="watch_mail"),
    path("verifications/<int:pk>/", views.run_detail, name="run"),
    path("acces/", views.access_config, name="access"),
    path("acces/identifiants/nouveau/", views.credential_edit, name="credential_create"),
    path("acces/identifiants/<int:pk>/", views.credential_edit, name="credential"),
    path("acces/bastions/nouveau/", views.bastion_edit, name="bastion_create"),
    path("acces/bastions/<int:pk>/", views.bastion_edit, name="bastion"),
    path("acces/cles/nouvelle/", views.known_host_add, name="known_host_create"),
    path("acces/cles/<int:pk>/retirer/", views.known_host_remove, name="known_host_remove"),
]

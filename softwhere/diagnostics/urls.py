from django.urls import path

from . import views

app_name = "diagnostics"
urlpatterns = [
    path("tickets/<str:reference>/", views.ticket_panel, name="panel"),
    path("tickets/<str:reference>/diagnostiquer/", views.diagnose, name="diagnose"),
    path("tickets/<str:reference>/redemarrer/<int:sheet_id>/", views.reboot, name="reboot"),
    path("tickets/<str:reference>/observation/mail/", views.watch_mail, name="watch_mail"),
    path("verifications/<int:pk>/", views.run_detail, name="run"),
]

from django.urls import path

from . import views

app_name = "telephony"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:org_id>/", views.offer, name="offer"),
    path("<int:org_id>/service/", views.service, name="service"),
    path("<int:org_id>/calendriers/nouveau/", views.calendar_create, name="calendar_create"),
    path("<int:org_id>/calendriers/<int:pk>/", views.calendar_edit, name="calendar_edit"),
    path("<int:org_id>/calendriers/<int:pk>/supprimer/", views.calendar_delete, name="calendar_delete"),
    path("<int:org_id>/lignes/", views.lines, name="lines"),
    path("<int:org_id>/annuaire/", views.directory, name="directory"),
    path("<int:org_id>/lignes/nouvelle/", views.line_create, name="line_create"),
    path("<int:org_id>/lignes/<int:pk>/", views.line_detail, name="line"),
    path("<int:org_id>/lignes/<int:pk>/annonce/", views.line_announcement, name="line_announcement"),
    path("<int:org_id>/groupements/nouveau/", views.group_create, name="group_create"),
    path("<int:org_id>/groupements/<int:pk>/", views.group_detail, name="group"),
    path("<int:org_id>/groupements/<int:pk>/modifier/", views.group_edit, name="group_edit"),
    path("<int:org_id>/interception/nouveau/", views.pickup_edit, name="pickup_create"),
    path("<int:org_id>/interception/<int:pk>/", views.pickup_edit, name="pickup"),
    path("<int:org_id>/annonces/nouvelle/", views.announcement_upload, name="announcement_upload"),
    path("<int:org_id>/annonces/<int:pk>/supprimer/", views.announcement_delete, name="announcement_delete"),
    path("<int:org_id>/avi/nouveau/", views.ivr_create, name="ivr_create"),
    path("<int:org_id>/ou-va-cet-appel/", views.simulate, name="simulate"),
]

from django.urls import path

from . import portal_views as views

app_name = "portal"
urlpatterns = [
    path("", views.portal_list, name="list"),
    path("nouveau/", views.portal_create, name="create"),
    path("<str:reference>/", views.portal_detail, name="detail"),
    path("<str:reference>/commenter/", views.portal_comment, name="comment"),
    path("<str:reference>/transition/<slug:name>/", views.portal_transition, name="transition"),
]

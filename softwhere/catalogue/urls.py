from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("voyants/", views.led_memo, name="leds"),
    path("cas/<slug:pk>/", views.case_detail, name="detail"),
    path("cas/<slug:pk>/modifier/", views.case_edit, name="edit"),
    path("cas/<slug:pk>/retablir/", views.case_reset, name="reset"),
]

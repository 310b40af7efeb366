from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("options/", views.company_options, name="options"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
]

from django.urls import path

from dmk.website import views

app_name = "website"
urlpatterns = [
    path("sitzungen/", views.meeting_index, name="meeting_index"),
    path("sitzungen/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("beschluesse/", views.resolution_index, name="resolution_index"),
    path("beschluesse/<slug:slug>/", views.resolution_detail, name="resolution_detail"),
    path("vorlagen/<slug:slug>/", views.paper_detail, name="paper_detail"),
    path("vorlagen/<slug:slug>/download/", views.paper_download, name="paper_download"),
    path("laender/", views.state_index, name="state_index"),
    path("vorsitz/", views.chair_period_index, name="chair_period_index"),
]

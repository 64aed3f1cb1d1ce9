"""``/oparl/v1/``: the OParl 1.1 interface (issue 16). Outside the language prefixes: the
data is the same in every language. Names follow the OParl list and object names."""

from django.urls import path

from dmk.api import views

app_name = "oparl"
urlpatterns = [
    path("", views.system, name="system"),
    path("body/", views.body_list, name="body_list"),
    path("body/<int:pk>/", views.body, name="body"),
    path("body/<int:pk>/organization/", views.body_organization, name="body_organization"),
    path("body/<int:pk>/person/", views.body_person, name="body_person"),
    path("body/<int:pk>/meeting/", views.body_meeting, name="body_meeting"),
    path("body/<int:pk>/paper/", views.body_paper, name="body_paper"),
    path("body/<int:pk>/agendaItem/", views.body_agenda_item, name="body_agenda_item"),
    path("body/<int:pk>/consultation/", views.body_consultation, name="body_consultation"),
    path("body/<int:pk>/file/", views.body_file, name="body_file"),
    path("body/<int:pk>/membership/", views.body_membership, name="body_membership"),
    path(
        "body/<int:pk>/legislativeTerm/", views.body_legislative_term, name="body_legislative_term"
    ),
    path("body/<int:pk>/location/", views.body_location, name="body_location"),
    path("land/<str:code>/", views.land, name="land"),
    path("organization/<int:pk>/", views.organization, name="organization"),
    path("person/<int:pk>/", views.person, name="person"),
    path("membership/<int:pk>/", views.membership, name="membership"),
    path("legislativeTerm/<int:pk>/", views.legislative_term, name="legislative_term"),
    path("meeting/<int:pk>/", views.meeting, name="meeting"),
    path("location/<int:pk>/", views.location, name="location"),
    path("agendaItem/<int:pk>/", views.agenda_item, name="agenda_item"),
    path("resolution/<int:pk>/", views.resolution, name="resolution"),
    path("paper/<int:pk>/", views.paper, name="paper"),
    path("consultation/<int:pk>/", views.consultation, name="consultation"),
    path("file/<int:pk>/", views.file, name="file"),
    path("file/<int:pk>/download/", views.file_download, name="file_download"),
]
